/* diag.h - diagnostics: collected from every stage, sorted, printed in one of four formats
 * (validate's test reports, junit and tap, are report.h's).
 *
 * A diagnostic is `file:line:col: error: <path>: <message>` plus the source line and a
 * caret, and a hint where one helps. Stages never print: they add to a `struct diags`,
 * and the command line prints them all at the end, sorted by file and position, so
 * one run reports every error of every file. */
#ifndef SPARKC_DIAG_H
#define SPARKC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rules.h"

struct node;

enum diag_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB, FMT_JUNIT, FMT_TAP };  /* junit, tap: report.h */

struct diag {
	char *file;
	int line, col;          /* 1-based; 0 when the diagnostic is about the whole file */
	char *path;             /* e.g. spec.driver_resources.requests.memory; may be "" */
	const char *rule;       /* its rule's id (rules.h), e.g. "memory" */
	enum severity severity;
	char *message;
	char *hint;             /* may be NULL */
	char *source;           /* the source line (or a window of it), may be NULL ... */
	int caret;              /* ... and the column of the caret under it */
	size_t seq;             /* insertion order, to keep the sort stable */
	size_t doc;             /* the document it is about (diag_src.doc) */
	bool fails;             /* it makes the run fail: an error, or a warning under fail-on warning */
};

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t errors, warnings;
	size_t failing;         /* those whose fails is set */
};

struct source;

/* What the current document's diagnostics refer to: the file, and its bytes for
 * source lines (may be NULL); and the values no diagnostic may show (secrets.h),
 * which each diagnostic is masked of as it is made (mask.h). */
struct diag_src {
	struct diags *diags;
	const char *file;
	const struct source *source;
	const struct node *const *secrets;
	size_t nsecrets;
	/* Finding the secrets is a walk of the whole document, which only a diagnostic
	 * needs: when set, called before the first diagnostic is masked, it sets secrets
	 * and nsecrets and clears itself. */
	void (*find_secrets)(struct diag_src *src);
	void *find_secrets_arg;
	size_t doc;             /* the run's count of documents so far: which one this is */
	/* A source line kept from when it was read, shown instead of source's (whose
	 * window has moved on since), and the caret's column under it. */
	const char *frame;
	int frame_caret;
};

/* src's secrets, found now if they were not yet (find_secrets): for a check that must
 * know them before it says something. */
void diag_find_secrets(struct diag_src *src);

void diag_add(struct diag_src *src, int line, int col, enum severity sev,
	      const char *rule, const char *path, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* At a node's position (or the file's start when it has none). */
void diag_node(struct diag_src *src, const struct node *at, enum severity sev,
	       const char *rule, const char *path, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Free what a diagnostic holds (one taken out of a struct diags). */
void diag_free(struct diag *g);

/* Count errors, warnings and failing anew, after diagnostics were changed in place. */
void diags_recount(struct diags *d);

/* By file, then position, then the order they were added. */
void diags_sort(struct diags *d);
void diags_print(struct diags *d, enum diag_format fmt, FILE *out, bool color);
/* -q: drop the warnings, keeping the errors and the warnings that fail the run
 * (fail-on warning): a run never fails on what it did not print. */
void diags_drop_warnings(struct diags *d);

/* What a run read, for the summary line. */
struct diag_totals {
	size_t files;           /* input files read */
	size_t jobs, manifests; /* job documents, operator manifests */
	size_t skipped;         /* files that held no Spark job (other Kubernetes objects) */
	size_t ignored;         /* diagnostics silenced by an ignore comment or annotation */
	size_t excluded;        /* paths an exclude glob left out */
};
/* `sparkc: 12 files, 14 jobs, 2 manifests: 1 error, 3 warnings (2 ignored), 4 files
 * skipped`, one line, counting d's diagnostics; then `, 2 paths excluded` when excludes
 * acted, and why the run fails when warnings fail it. */
void diags_summary(const struct diags *d, const struct diag_totals *t, FILE *out, bool color);

/* Append from's diagnostics to to (made aside, then found to count), emptying from. */
void diags_move(struct diags *to, struct diags *from);
void diags_free(struct diags *d);

#endif
