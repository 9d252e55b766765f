/* node.h - the one tree type of sparkc.
 *
 * The loader builds the job document as nodes (with source positions), the schema
 * and templates are nodes, and lowering builds the manifest as nodes that the
 * emitter writes. Scalars keep the text exactly as written next to their resolved
 * YAML 1.2 type, because a string field takes `010` or `1e3` as that text while a
 * number field takes its value. */
#ifndef SPARKC_NODE_H
#define SPARKC_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"

enum node_kind { N_NULL, N_BOOL, N_INT, N_FLOAT, N_STR, N_SEQ, N_MAP };

struct node;
struct pair {
	struct node *key, *value;
};

struct node {
	enum node_kind kind;
	bool quoted;            /* scalar written quoted, as a block, or tagged !!str */
	bool flow;              /* a collection sparkc's JSON reports write on one line */
	unsigned short atom;    /* a mapping key's text, interned (0: not yet); node_atom */
	int line, col;          /* 1-based source position; 0 for nodes sparkc built */
	const char *text;       /* scalar text as written, NUL-terminated */
	size_t len;
	long long num;          /* N_INT value, N_BOOL 0/1 */
	size_t n, cap;          /* items (N_SEQ) or pairs (N_MAP) */
	union {
		struct node **items;
		struct pair *pairs;
	};
};

struct node *node_new(struct arena *a, enum node_kind kind);
struct node *node_str(struct arena *a, const char *s);
struct node *node_strn(struct arena *a, const char *s, size_t len);
struct node *node_int(struct arena *a, long long v);
struct node *node_bool(struct arena *a, bool v);

static inline bool node_is_scalar(const struct node *n)
{
	return n && n->kind != N_SEQ && n->kind != N_MAP;
}

/* Mapping keys are compared by identity. The text of a key is interned once, as an
 * atom: a number below NODE_ATOMS, kept in the key node, whose text then points to the
 * interned copy; a lookup finds the atom of the text it is given (a literal of the
 * code, or the text of another key) and compares atoms. A key's atom is 0 only when
 * the table is full (thousands of distinct keys): such a key compares as text, with
 * the same result. node_atom interns the key on first use (the loader does so for
 * every key it reads), writing the atom and the text into the key node: a key node is
 * never const. */
#define NODE_ATOMS 8192
unsigned node_atom(const struct node *key);
/* The atom of text if it is an interned copy (the text of a key node_atom interned),
 * else 0; nothing is interned. For caches of what a key's name means. */
unsigned node_text_atom(const char *text);
/* The same for any text equal to an interned one (a name read from a source line):
 * found by its hash, nothing interned. */
unsigned node_find_atom(const char *text);

/* Mapping lookup; NULL when the key is absent or its value is null (null means
 * "not set" everywhere in the job format). Keys compare as C strings. Inline so that
 * the length of a literal key is the compiler's to count: a key of another length is
 * passed over without reading its text. */
struct pair *node_get_pair_n(const struct node *map, const char *key, size_t len);
static inline struct pair *node_get_pair(const struct node *map, const char *key)
{
	return node_get_pair_n(map, key, strlen(key));
}
static inline struct node *node_get(const struct node *map, const char *key)
{
	struct pair *p = node_get_pair_n(map, key, strlen(key));
	return p && p->value->kind != N_NULL ? p->value : NULL;
}
/* node_get on a path of keys separated by '.', e.g. "spec.driver_resources". */
struct node *node_at(const struct node *map, const char *path);

/* Replace the value of key in place, or append the pair. */
void node_set(struct arena *a, struct node *map, const char *key, struct node *value);
void node_push(struct arena *a, struct node *seq, struct node *item);
/* A sequence's first item whose mapping has field == value (e.g. name == "v3io"). */
struct node *node_find_by(const struct node *seq, const char *field, const char *value);
bool node_seq_has_text(const struct node *seq, const char *text);

/* A copy of the collection n that shares its items (or pairs' keys and values), to
 * replace some of them: what copy-on-write of a subtree makes of the collection on the
 * path to a change, so that everything unchanged stays shared. */
struct node *node_copy_shallow(struct arena *a, const struct node *n);
/* A copy of the whole subtree into a (krm edits the objects it passes through). */
struct node *node_copy_deep(struct arena *a, const struct node *n);
/* A copy that shares nothing with n, texts and keys included: one kept after the
 * arena n lives in is reset (a companion object held until its file ends). */
struct node *node_copy_detached(struct arena *a, const struct node *n);

/* Report trees (explain, diagnostics) set fields with these: a string, or null when s
 * is NULL; a whole number; a number in C's %g. */
void node_set_str(struct arena *a, struct node *map, const char *key, const char *s);
void node_set_int(struct arena *a, struct node *map, const char *key, long long v);
void node_set_float(struct arena *a, struct node *map, const char *key, double v);

bool node_text_eq(const struct node *n, const char *s);
const char *node_kind_name(enum node_kind kind);
/* A string-typed field takes a plain number or boolean as the text written. */
static inline bool node_is_text(const struct node *n)
{
	return n && (n->kind == N_STR || n->kind == N_INT || n->kind == N_FLOAT ||
		     n->kind == N_BOOL);
}

#endif
