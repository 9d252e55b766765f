/* outfiles.h - what the parts of the output stage share; no other stage includes it.
 *
 * Each part calls only the parts listed below it, so that a run reads downward:
 *
 *   output.c      the front: spools every manifest, then streams them to standard
 *                 output (through combine.c) or hands them to outdir.c
 *   outdir.c      -o DIR as a transaction: lock, staging directory, renames, rollback,
 *                 and the signals that must not leave a half-written DIR
 *   outcompare.c  DIR against what the run generated: each file's state and whether
 *                 sparkc may replace or remove it, read without following links; what
 *                 --check and --diff print
 *   outindex.c    the files sparkc keeps beside the manifests, as text: the index read
 *                 (untrusted: it is committed) and written, the kustomization, and what
 *                 sparkc writes at which path
 *   outtargets.c  the run's files (targets) and their new text, spooled in memory or a
 *                 file
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
#include "sha256.h"

#define STAGING_PREFIX ".sparkc-staging."
#define KUSTOMIZATION "kustomization.yaml"
#define INDEX_NAME ".sparkc-index"        /* the index -o keeps in DIR */

enum state {
	T_SAME, T_NEW, T_CHANGED,
	T_ORPHAN,               /* listed, its job gone, still sparkc's: removed */
	T_KEPT,                 /* listed, its job gone, edited or not sparkc's: kept, no longer listed */
	T_GONE,                 /* listed, its job gone, and no longer in DIR */
};

/* Whether DIR's file at a target's path is sparkc's to replace or remove. */
enum owner {
	OWN_SPARKC,             /* its bytes match the index's hash (or it is the same as the new text) */
	OWN_UNLISTED,           /* the index does not list it */
	OWN_EDITED,             /* listed, but its bytes are not those sparkc wrote */
	OWN_FOREIGN,            /* listed, but it is not what sparkc writes at that path */
	OWN_UNREAD,             /* an orphan that cannot be read (too large, unreadable) */
};

struct target {
	char *rel;              /* "ns/name.yaml", or a file of DIR itself; relative to DIR */
	off_t at;               /* the new text in the spool ... */
	size_t len;
	char *text;             /* ... or here (the kustomization, the index) */
	enum state state;
	enum owner owner;       /* T_CHANGED, T_KEPT: whose the file in DIR is */
	mode_t mode;            /* T_CHANGED: the existing file's mode, kept */
	bool done;              /* renamed into place (or away): undone if the run fails */
	unsigned char hash[SHA256_BYTES];   /* of the new text, for the index (writing runs) */
};

struct index_entry {
	const char *rel;        /* in the index's text; not NUL-terminated */
	size_t len;
	const char *hash;       /* SHA256_HEX digits in the text, or NULL (an older sparkc) */
	bool dir;               /* "ns/": a namespace directory sparkc made */
};

struct index {
	char *text;             /* the file DIR/.sparkc-index, NULL when absent */
	size_t len;
	mode_t mode;
	struct index_entry *e;  /* the entries that can be sparkc's, sorted by rel */
	size_t n;
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

/* ---- outdir.c ---- */

/* -o DIR, --check or --diff with every manifest spooled: returns the exit status of
 * output_close (0, 1 for differences found, 2). */
int outdir_finish(struct output *o);
/* The spool's file, when it outgrows memory in a run that writes DIR: DIR (made and
 * locked if not yet) gets its staging directory now, and the file goes there. -1 with
 * the reason said. */
int outdir_spool_file(struct output *o);
/* An invalid run: remove what outdir_spool_file made (DIR's times put back). */
void outdir_abandon(struct output *o);
/* Hold off the signals that end the process (the old mask into *saved), so that a
 * write or a rename is not cut in half; sigprocmask(SIG_SETMASK, saved) ends it. */
void outdir_block_signals(sigset_t *saved);
/* Free the list of directories made for DIR; a signal no longer removes them. */
void outdir_forget(struct output *o);

/* ---- outcompare.c ---- */

/* A file of DIR as text: a regular file, opened without following a link and without
 * blocking, at most max bytes (else *err says so). NULL and no *err when absent. */
char *outcompare_read(int parent, const char *name, size_t max, size_t *len, mode_t *mode, const char **err);
/* Open the namespace directory ns of DIR without following a link; -1 when it does
 * not exist (*err NULL) or may not be used (*err says why). "" is DIR itself. */
int outcompare_open_ns(struct output *o, const char *ns, const char **err);
/* Add as orphans the files the index lists that this run did not generate and that are
 * in DIR as regular files (targets sorted before and after). */
void outcompare_add_orphans(struct output *o, const struct index *idx);
/* --kustomization: a problem for each other name kustomize reads (kustomization.yml,
 * Kustomization) that is in DIR: sparkc never writes those. */
void outcompare_other_kustomizations(struct output *o);
/* Compare every target with DIR (sorted): set its state, owner and mode, note in
 * ns_missing[i] whether its namespace directory is absent, report (as problems of the
 * run) the files a writing run may not replace, and print what --check and --diff
 * report. Writing runs also hash each new text for the index. */
void outcompare_targets(struct output *o, const struct index *idx, bool *ns_missing);

/* After a run that wrote DIR: say which files it kept though their job is gone. */
void outcompare_say_kept(struct output *o);

/* ---- outindex.c ---- */

/* Read DIR/.sparkc-index's text (taken over: idx frees it): every line that names what
 * sparkc could have written, sorted; CR line ends, duplicates, NULs and other lines
 * are skipped here and gone from the next index written. Linear in the size but for
 * the sort, which a sorted index (as sparkc writes it) skips. */
void outindex_parse(struct index *idx, char *text, size_t len, mode_t mode);
void outindex_free(struct index *idx);
/* The entries for rel: [*first, return value), empty when none. */
size_t outindex_find(const struct index *idx, const char *rel, size_t len, size_t *first);
/* Whose DIR's file at rel, holding text, is: sparkc's when the index lists rel with
 * this text's hash (or, for a line an older sparkc wrote without one, when the file
 * is what sparkc writes there) and the file is what sparkc writes at rel. */
enum owner outindex_owner(const struct index *idx, const char *rel, const char *text, size_t len);
/* A sentence saying why the file at rel is not sparkc's (owner not OWN_SPARKC). */
const char *outindex_owner_says(enum owner owner);
/* The kustomization listing the targets so far (allocated, NUL-terminated). */
char *outindex_kustomization(const struct output *o);
/* The new index: every file this run generated with its hash, and the namespace
 * directories sparkc made (made now, or listed before) that still hold one. Sorted,
 * allocated. */
char *outindex_text(const struct output *o, const struct index *idx, const bool *ns_missing);

/* ---- outtargets.c ---- */

/* Append t to o's targets; the pointer lasts until the next push. */
struct target *target_push(struct output *o, struct target t);
/* Sort the targets by rel. */
void targets_sort(struct output *o);
/* t's text now comes from text (allocated, NUL-terminated; t owns it). */
void target_set_text(struct target *t, char *text);
/* The new text of t, allocated and NUL-terminated: from the spool or t->text. A spool
 * that cannot be read back ends the process with exit 2. */
char *target_new_text(struct output *o, const struct target *t);
/* The file name part of rel. */
const char *target_base(const char *rel);
/* The directory (namespace) part of rel into buf: "" for a file of DIR itself. */
const char *target_ns(const char *rel, char *buf, size_t size);
/* Move the spool from memory to the file fd (open for reading and writing; taken
 * over, closed on failure); false with errno set. */
bool spool_move_to(struct output *o, int fd);
/* Report "DIR/rel: what" on the error stream; the run then fails (exit 2). */
void output_problem(struct output *o, const char *rel, const char *what);
/* Say "sparkc: DIR/rel: what" on the error stream, the run going on. */
void output_note(struct output *o, const char *rel, const char *what);
/* "/" unless DIR as given ends in one: DIR, sep, rel names a file of DIR. */
const char *output_sep(const struct output *o);
/* write(2) all n bytes, again after EINTR; false with errno set (ENOSPC for a write
 * of nothing). */
bool write_all(int fd, const char *p, size_t n);

#endif
