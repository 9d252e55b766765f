/* output.h - where compiled manifests go: stdout (only when every input compiled),
 * a directory tree (-o: DIR/<namespace>/<name>.yaml, atomic, unchanged files left
 * alone, nothing at all on error), or a comparison with that tree (--check). */
#ifndef SPARKC_OUTPUT_H
#define SPARKC_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "node.h"

enum out_format { OUT_YAML, OUT_JSON };

struct output;

/* dir NULL: to dest (stdout), once every input compiled. check: compare with dir
 * instead of writing. */
struct output *output_open(const char *dir, bool check, enum out_format fmt, FILE *dest);
/* Add one manifest. false (with a message on stderr) on an I/O problem or when two
 * jobs would write the same file. */
bool output_add(struct output *o, const struct node *manifest, const char *ns, const char *name);
/* Finish: commit everything if ok, else discard. Returns the exit status to use:
 * 0, 1 (--check found stale files) or 2 (I/O error). */
int output_close(struct output *o, bool ok);

#endif
