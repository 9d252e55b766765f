/* load.h - stage 1: bytes -> YAML documents as node trees with line:column marks.
 *
 * Reads one input (file or stdin) whole, checks it is UTF-8 without NUL bytes, and
 * hands out its documents one at a time, each built into the caller's arena from
 * libfyaml's event stream. Scalars are resolved as YAML 1.2 (core schema) but keep
 * the text as written. Syntax errors, duplicate keys and every input limit become
 * diagnostics; the loader never prints. */
#ifndef SPARKC_LOAD_H
#define SPARKC_LOAD_H

#include <stddef.h>

#include "diag.h"
#include "node.h"

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

struct source {
	char *name;                /* as given; "<stdin>" for - */
	char *text;
	size_t len;
};

/* 0 on success; otherwise -1 with errno set, or 1 when larger than the limit. */
int source_read(struct source *src, const char *path, size_t max_bytes);
void source_free(struct source *src);

enum load_result { LOAD_DOC, LOAD_END, LOAD_ERROR };

struct loader;
/* src->diags receives the diagnostics; its file and text must outlive the loader. */
struct loader *loader_open(struct diag_src *src, const struct limits *lim);
/* The next document's root (a null node for an empty document) in *root. After
 * LOAD_ERROR the error is reported and the input has no further documents. */
enum load_result loader_next(struct loader *ld, struct arena *a, struct node **root);
void loader_close(struct loader *ld);

/* Parse a whole built-in text (templates, schema) that is known to hold one document;
 * NULL with a diagnostic otherwise. */
struct node *load_text(struct diag_src *src, struct arena *a);

#endif
