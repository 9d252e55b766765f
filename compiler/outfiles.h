/* outfiles.h - what the parts of the output stage share; no other stage includes it.
 *
 *   output.c      the front: spools every manifest, then streams them to standard
 *                 output (through combine.c) or hands them to outdir.c
 *   outdir.c      -o DIR as a transaction: lock, staging directory, renames, rollback,
 *                 and the signals that must not leave a half-written DIR
 *   outcompare.c  DIR against what the run generated: each file's state, read without
 *                 following links; what --check and --diff print
 *   outindex.c    the files sparkc keeps beside the manifests: the index (and the
 *                 orphans it names), the kustomization
 *
 * A run's files are targets, named relative to DIR and kept sorted by that name. */
#ifndef SPARKC_OUTFILES_H
#define SPARKC_OUTFILES_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "combine.h"
#include "output.h"

#define STAGING_PREFIX ".sparkc-staging."
#define KUSTOMIZATION "kustomization.yaml"

enum state { T_SAME, T_NEW, T_CHANGED, T_ORPHAN, T_GONE /* an orphan no longer there */ };

struct target {
	char *rel;              /* "ns/name.yaml", or a file of DIR itself; relative to DIR */
	off_t at;               /* the new text in the spool ... */
	size_t len;
	char *text;             /* ... or here (the kustomization, the index) */
	enum state state;
	mode_t mode;            /* T_CHANGED: the existing file's mode, kept */
	bool bookkeeping;       /* the index: never reported as a difference */
	bool done;              /* renamed into place (or away): undone if the run fails */
};

struct output {
	struct output_options opt;
	FILE *dest;
	FILE *spool;            /* every manifest, until the run is known to be valid: */
	char *mem;              /* in memory (open_memstream) ... */
	size_t mem_len;
	bool spilled;           /* ... or, past a bound, in a file */
	bool to_null;           /* dest is /dev/null: written at once, nothing to protect */
	struct strbuf doc;      /* the manifest being rendered */
	struct strbuf text;     /* standard output: the stream not yet written ... */
	struct combine stream;  /* ... and the manifests' separators */
	struct target *t;
	size_t n, cap;
	bool io_error;
	size_t stale;           /* --check, --diff: differences found */
	int dirfd;              /* DIR, locked */
	struct timespec dir_times[2];   /* DIR's access and modification times, when it was there */
	bool dir_times_kept;
	char **made;            /* directories mkdir -p made for DIR itself */
	size_t nmade;
};

/* ---- output.c: the targets ---- */

/* Append t to o's targets; the pointer lasts until the next push. */
struct target *target_push(struct output *o, struct target t);
/* t's text now comes from text (allocated, NUL-terminated; t owns it). */
void target_set_text(struct target *t, char *text);
/* The new text of t, allocated and NUL-terminated: from the spool or t->text. A spool
 * that cannot be read back ends the process with exit 2. */
char *target_new_text(struct output *o, const struct target *t);
/* qsort/bsearch order of targets: by rel. */
int target_by_rel(const void *a, const void *b);
/* The file name part of rel. */
const char *target_base(const char *rel);
/* The directory (namespace) part of rel into buf: "" for a file of DIR itself. */
const char *target_ns(const char *rel, char *buf, size_t size);
/* Report "DIR/rel: what" on the error stream; the run then fails (exit 2). */
void output_problem(struct output *o, const char *rel, const char *what);
/* "/" unless DIR as given ends in one: DIR, sep, rel names a file of DIR. */
const char *output_sep(const struct output *o);
/* write(2) all n bytes, again after EINTR; false with errno set (ENOSPC for a write
 * of nothing). */
bool write_all(int fd, const char *p, size_t n);

/* ---- outdir.c ---- */

/* -o DIR, --check or --diff with every manifest spooled: returns the exit status of
 * output_close (0, 1 for differences found, 2). */
int outdir_finish(struct output *o);
/* Hold off the signals that end the process (the old mask into *saved), so that a
 * write or a rename is not cut in half; sigprocmask(SIG_SETMASK, saved) ends it. */
void outdir_block_signals(sigset_t *saved);
/* The spool's file, when it outgrows memory in a run that writes DIR: DIR (made and
 * locked if not yet) gets its staging directory now, and the file goes there. -1 with
 * the reason said. */
int outdir_spool_file(struct output *o);
/* An invalid run: remove what outdir_spool_file made (DIR's times put back). */
void outdir_abandon(struct output *o);
/* Free the list of directories made for DIR; a signal no longer removes them. */
void outdir_forget(struct output *o);

/* ---- outcompare.c ---- */

/* A file of DIR as text: a regular file, opened without following a link and without
 * blocking, at most max bytes (else *err says so). NULL and no *err when absent. With
 * want other than SIZE_MAX, a file of another size is not read: "" and its size. */
char *outcompare_read(int parent, const char *name, size_t max, size_t want, size_t *len, mode_t *mode,
		      const char **err);
/* Open the namespace directory ns of DIR without following a link; -1 when it does
 * not exist (*err NULL) or may not be used (*err says why). "" is DIR itself. */
int outcompare_open_ns(struct output *o, const char *ns, const char **err);
/* Compare every target with DIR (sorted): set its state and mode, note in ns_missing[i]
 * whether its namespace directory is absent, and print what --check and --diff report. */
void outcompare_targets(struct output *o, bool *ns_missing);

/* ---- outindex.c ---- */

/* --kustomization: add DIR/kustomization.yaml listing every target so far; a problem
 * if one exists that old_index does not list. */
void outindex_add_kustomization(struct output *o, const char *old_index);
/* Add as orphans the files old_index lists that this run did not generate (targets
 * sorted). Lines that sparkc could not have written are ignored. */
void outindex_add_orphans(struct output *o, const char *old_index);
/* The new index: every file this run generated, and the namespace directories sparkc
 * made (made now, or listed before) that still hold one. Sorted, allocated. */
char *outindex_text(struct output *o, const char *old_index, const bool *ns_missing);
/* Remove the namespace directories old_index lists that hold no generated file now,
 * if empty (a file someone else put there keeps one). */
void outindex_remove_empty_dirs(struct output *o, const char *old_index);

#endif
