/* lsptree.h - the editor's text as sparkc's stages read it, for hover, completion and
 * quick fixes: the YAML document holding a line, loaded by load.c; what it is and its
 * settings, checked and resolved as the pipeline does it (pipeline_check_application:
 * the same job or operator manifest every command sees); and the keys from the document
 * down to a position, or to the mapping a key is being typed into.
 *
 * Only the document holding the line is kept (two arenas, one document each), so a file
 * of many documents costs one document's memory. The templates stay loaded while a tree
 * is (the settings point into them): no validation runs between lsp_tree_load and
 * lsp_tree_free. */
#ifndef SPARKC_LSPTREE_H
#define SPARKC_LSPTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "document.h"
#include "job.h"
#include "lsptext.h"
#include "pipeline.h"

#define LSP_TREE_DEPTH 64

/* One step down: a mapping's pair, or a list's item. */
struct lsp_step {
	const struct node *parent;      /* N_MAP or N_SEQ */
	const struct pair *pair;        /* in a mapping */
	size_t index;                   /* in a list */
};

struct lsp_tree {
	struct arena arenas[2];
	const struct node *doc;         /* the document holding the line, or NULL */
	bool config;                    /* a .sparkc.yaml, not a job: no kind, not resolved */
	enum document_kind kind;
	bool resolved;                  /* a job or operator manifest: job holds its settings */
	bool valid;                     /* ... and it has no error */
	struct job job;
	struct configs *configs;        /* the file's, which job refers to */
	/* lsp_tree_locate's or lsp_tree_mapping's answer */
	struct lsp_step path[LSP_TREE_DEPTH];
	size_t depth;
	bool on_key;                    /* the position is on the last pair's key */
};

/* Load the document of text that holds line (a sparkc mark line) and resolve it. */
void lsp_tree_load(struct lsp_tree *t, const struct text *text, const char *name, int line,
		   const struct options *opt);
void lsp_tree_free(struct lsp_tree *t);

/* The keys and items down to the node at line:col: the last step's key when on_key, else
 * the value its path ends at. false when the position is in no node of the document. */
bool lsp_tree_locate(struct lsp_tree *t, const struct text *text, int line, int col);

/* The block mapping a key at line:col would be typed into (the line itself blank): the
 * path to it, and the mapping (NULL when the key above holds nothing yet: the path then
 * ends at that key, whose value the new key starts). false when none. */
bool lsp_tree_mapping(struct lsp_tree *t, int line, int col, const struct node **map);

/* The step's key text ("[]" for a list item). */
const char *lsp_step_key(const struct lsp_step *s);

/* Whether the path's keys (a list item matching "[]") are those of pattern, in order:
 * lsp_path_is(t, t->depth, "spec", "spark_conf", NULL). */
bool lsp_path_is(const struct lsp_tree *t, size_t depth, ...);

#endif
