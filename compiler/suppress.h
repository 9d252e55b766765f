/* suppress.h - what a team silences in place, in a file or on an object:
 *
 *   # sparkc:ignore RULE[,RULE...] -- reason
 *       the diagnostics of those rules on the comment's line, or, when the comment is
 *       alone on its line, on the line below (below the stack of such comments it
 *       is one of);
 *   # sparkc:ignore-file RULE[,RULE...] -- reason
 *       ... anywhere in the file;
 *   metadata.annotations: {sparkc.io/ignore: "RULE[,RULE...]", sparkc.io/ignore-reason: ...}
 *       ... of that document: an operator manifest or a companion object carries it
 *       through helm template and kustomize build, which drop comments (kube-linter's
 *       ignore-check.kube-linter.io/<check> does the same).
 *
 * The reason is optional. Warnings can always be silenced; an error only when its rule
 * says so (rules.h: a policy, whose manifest the operator and Kubernetes accept). A
 * suppression that meets an error it may not silence is an error itself
 * (ignore-refused) and the error stays; one that silences nothing is a warning
 * (unused-ignore); one that names no rule or an unknown one is an error
 * (ignore-invalid). A file's suppressions are gathered while it is read and applied to
 * its diagnostics when it ends, so that one anywhere in the file counts. */
#ifndef SPARKC_SUPPRESS_H
#define SPARKC_SUPPRESS_H

#include <stddef.h>

#include "diag.h"
#include "load.h"
#include "node.h"

struct suppressions;

struct suppressions *suppressions_new(void);
void suppressions_free(struct suppressions *s);

/* A comment the loader found (load.h), read at src's document; a malformed one is
 * reported to src at once, while its line can still be shown. */
void suppress_comment(struct suppressions *s, struct diag_src *src, const struct loader_comment *c);

/* The sparkc.io/ignore annotation of the document doc (src->doc), if it has one. */
void suppress_annotation(struct suppressions *s, struct diag_src *src, const struct node *doc);

/* The rules of d's diagnostics from first on that an ignore comment read so far
 * silences, each once, into ids (at most max); how many. Comments do not survive
 * compiling: compile carries these into the manifest's annotation. */
size_t suppress_commented(const struct suppressions *s, const struct diags *d, size_t first, const char **ids,
			  size_t max);

/* Apply a file's suppressions to its diagnostics, d's from first on: remove those
 * silenced, add ignore-refused and (when its documents were checked: not a file of
 * other objects, which is skipped) unused-ignore; then forget them for the next file.
 * Returns how many diagnostics were silenced. */
size_t suppress_apply(struct suppressions *s, struct diags *d, size_t first, const char *file, bool checked);

#endif
