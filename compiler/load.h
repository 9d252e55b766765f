/* load.h - stage 1: bytes -> YAML documents as node trees with line:column marks.
 *
 * Hands out the documents of one input (source.c streams its bytes) one at a time,
 * each built into the caller's arena from libyaml's event stream, which libyaml emits
 * as it reads, so every limit acts before the input is held whole. Anchors and
 * aliases are expanded here, under the node limit. Scalars are resolved as YAML 1.2
 * (core schema) whatever the parser's YAML version, but keep the text as written.
 * Syntax errors (in plain words, syntax.c), duplicate keys and every input limit
 * become diagnostics; the loader never prints. */
#ifndef SPARKC_LOAD_H
#define SPARKC_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "node.h"
#include "source.h"

/* Bounds on untrusted input; each is named in `sparkc --help` and can be raised. */
struct limits {
	size_t max_file_bytes;     /* --max-file-size */
	size_t max_doc_bytes;      /* --max-document-size */
	size_t max_scalar_bytes;   /* --max-scalar-size */
	size_t max_depth;          /* --max-depth: nesting of mappings and lists */
	size_t max_nodes;          /* --max-nodes: nodes per document, aliases expanded */
	size_t max_docs;           /* --max-documents: per input */
};
extern const struct limits default_limits;

enum load_result { LOAD_DOC, LOAD_END, LOAD_ERROR };

struct loader;
/* Parse the documents of in; diagnostics go to src (whose source is in). */
struct loader *loader_open(struct diag_src *src, struct source *in, const struct limits *lim);
/* The next document's root (a null node for an empty document) in *root. After
 * LOAD_ERROR the error is reported and the input has no further documents. */
enum load_result loader_next(struct loader *ld, struct arena *a, struct node **root);
void loader_close(struct loader *ld);

/* A comment that holds "sparkc:" (a suppression, suppress.h): where its `#` is, its
 * text from the `#` to the end of its line, and whether it is alone on its line. */
struct loader_comment {
	int line, col;
	const char *text;
	size_t len;
	bool alone;
};
/* Have fn called for each such comment of the input, in order, while its line is
 * still in the source's window (so that a diagnostic about it shows it): a document's
 * comments before its root is handed out, the lines after the last document's at the
 * end. */
void loader_on_comment(struct loader *ld, void (*fn)(void *arg, const struct loader_comment *c), void *arg);

/* Parse an input that must hold one document (templates, schemas); NULL with a
 * diagnostic to diags otherwise. untrusted: a file from the repository (templates,
 * .sparkc.yaml), bounded by the default node limit like a job, lest an alias bomb's
 * expanded tree be walked; else a file built into sparkc, bounded only in depth. */
struct node *load_single(struct diags *diags, struct source *in, struct arena *a, bool untrusted);

#endif
