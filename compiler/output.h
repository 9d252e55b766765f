/* output.h - where compiled manifests go: standard output (only when every input
 * compiled), a directory tree (-o: DIR/<namespace>/<name>.yaml), or a comparison with
 * that tree (--check, --diff).
 *
 * Every manifest is spooled while the inputs are compiled, in memory up to 8 MiB and
 * past that in a file (in DIR's staging directory when -o writes DIR, else an unnamed
 * file in $TMPDIR or /tmp); nothing reaches stdout or DIR until the whole run is known
 * to be valid.
 *
 * Standard output is never truncated or seeked; when it is a regular file, each
 * document is written whole (a signal lands between documents).
 *
 * -o DIR is a transaction under an exclusive lock on DIR (flock; --check and --diff
 * take a shared one): every target is checked first (a regular file or absent, in a
 * namespace directory that is no symbolic link); the changed files are written into
 * one staging directory DIR/.sparkc-staging.<pid>.<random> and then renamed into
 * place, each old file kept (a hard link in the staging directory) until every rename
 * succeeded, and put back if one fails. Changed files keep their mode; new ones get
 * the umask's. Nothing is opened through a symbolic link below DIR. Each YAML file
 * opens with sparkc's generated-file marker, and the files written are recorded in
 * DIR/.sparkc-index, so that a later run replaces or removes only its own files
 * (edited by hand or not), and removes those whose job is gone (and the namespace
 * directories it made, once empty), never another file. A
 * catchable signal removes the staging directory before the process ends; a later run
 * removes one that SIGKILL left, and --check reports it. */
#ifndef SPARKC_OUTPUT_H
#define SPARKC_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "node.h"

enum out_format { OUT_YAML, OUT_JSON };

struct output_options {
	const char *dir;        /* -o DIR; NULL: standard output */
	bool check;             /* list what differs from DIR, write nothing */
	bool diff;              /* print a unified diff against DIR, write nothing */
	bool kustomization;     /* also generate DIR/kustomization.yaml */
	bool color;             /* colour the diff (stdout is a terminal) */
	enum out_format fmt;
	size_t max_file_bytes;  /* a file of DIR read for --diff is at most this long */
	FILE *err;              /* every message goes here: the caller's one error stream */
};

struct output;

/* dest: standard output (manifests, or what --check and --diff report). */
struct output *output_open(const struct output_options *opt, FILE *dest);
/* Add one manifest. false (with a message on opt->err) if it cannot be spooled or its
 * namespace or name cannot be a file name. */
bool output_add(struct output *o, const struct node *manifest, const char *ns, const char *name);
/* Finish: commit everything if ok, else discard, touching nothing. Returns the exit
 * status to use: 0, 1 (--check or --diff found differences) or 2 (I/O error). */
int output_close(struct output *o, bool ok);

#endif
