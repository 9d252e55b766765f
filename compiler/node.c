/* node.c - see node.h. */
#include "node.h"

#include <stdio.h>
#include <string.h>

struct node *node_new(struct arena *a, enum node_kind kind)
{
	struct node *n = arena_alloc(a, sizeof *n);
	n->kind = kind;
	n->text = "";
	return n;
}

struct node *node_strn(struct arena *a, const char *s, size_t len)
{
	struct node *n = node_new(a, N_STR);
	n->text = arena_strndup(a, s, len);
	n->len = len;
	return n;
}

struct node *node_str(struct arena *a, const char *s)
{
	return node_strn(a, s, strlen(s));
}

struct node *node_int(struct arena *a, long long v)
{
	struct node *n = node_new(a, N_INT);
	n->num = v;
	n->text = arena_printf(a, "%lld", v);
	n->len = strlen(n->text);
	return n;
}

struct node *node_bool(struct arena *a, bool v)
{
	struct node *n = node_new(a, N_BOOL);
	n->num = v;
	n->text = v ? "true" : "false";
	n->len = strlen(n->text);
	return n;
}

bool node_text_eq(const struct node *n, const char *s)
{
	return node_is_scalar(n) && strcmp(n->text, s) == 0;
}

struct pair *node_get_pair(const struct node *map, const char *key)
{
	if (!map || map->kind != N_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->pairs[i].key->text;
		/* most keys differ in their first byte: skip the call for those */
		if (k[0] == key[0] && strcmp(k, key) == 0)
			return &map->pairs[i];
	}
	return NULL;
}

struct node *node_get(const struct node *map, const char *key)
{
	struct pair *p = node_get_pair(map, key);
	return p && p->value->kind != N_NULL ? p->value : NULL;
}

struct node *node_at(const struct node *map, const char *path)
{
	char key[128];
	const struct node *n = map;
	while (n && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof key)
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		n = node_get(n, key);
		path += len + (path[len] == '.');
	}
	return (struct node *)n;
}

static void grow(struct arena *a, struct node *n, size_t elem)
{
	if (n->n < n->cap)
		return;
	size_t cap = n->cap ? n->cap * 2 : 4;
	void *p = arena_alloc(a, cap * elem);
	if (n->n)
		memcpy(p, n->items, n->n * elem);
	n->items = p;
	n->cap = cap;
}

void node_set(struct arena *a, struct node *map, const char *key, struct node *value)
{
	struct pair *p = node_get_pair(map, key);
	if (p) {
		p->value = value;
		return;
	}
	grow(a, map, sizeof(struct pair));
	map->pairs[map->n].key = node_str(a, key);
	map->pairs[map->n].value = value;
	map->n++;
}

void node_push(struct arena *a, struct node *seq, struct node *item)
{
	grow(a, seq, sizeof(struct node *));
	seq->items[seq->n++] = item;
}

struct node *node_find_by(const struct node *seq, const char *field, const char *value)
{
	if (!seq || seq->kind != N_SEQ)
		return NULL;
	for (size_t i = 0; i < seq->n; i++)
		if (node_text_eq(node_get(seq->items[i], field), value))
			return seq->items[i];
	return NULL;
}

bool node_seq_has_text(const struct node *seq, const char *text)
{
	if (!seq || seq->kind != N_SEQ)
		return false;
	for (size_t i = 0; i < seq->n; i++)
		if (node_text_eq(seq->items[i], text))
			return true;
	return false;
}

/* texts: copy the scalars' texts and the keys too, not only the structure. */
static struct node *copy(struct arena *a, const struct node *n, bool texts)
{
	struct node *c = node_new(a, n->kind);
	*c = *n;
	c->cap = n->n;
	if (texts && n->text)
		c->text = arena_strndup(a, n->text, n->len);
	if (n->kind == N_SEQ) {
		c->items = arena_alloc(a, n->n * sizeof *c->items + 1);
		for (size_t i = 0; i < n->n; i++)
			c->items[i] = copy(a, n->items[i], texts);
	} else if (n->kind == N_MAP) {
		c->pairs = arena_alloc(a, n->n * sizeof *c->pairs + 1);
		for (size_t i = 0; i < n->n; i++) {
			c->pairs[i].key = texts ? copy(a, n->pairs[i].key, true) : n->pairs[i].key;
			c->pairs[i].value = copy(a, n->pairs[i].value, texts);
		}
	}
	return c;
}

struct node *node_copy_deep(struct arena *a, const struct node *n)
{
	return copy(a, n, false);
}

struct node *node_copy_detached(struct arena *a, const struct node *n)
{
	return copy(a, n, true);
}

const char *node_kind_name(enum node_kind kind)
{
	switch (kind) {
	case N_NULL: return "null";
	case N_BOOL: return "a boolean";
	case N_INT: return "an integer";
	case N_FLOAT: return "a number";
	case N_STR: return "a string";
	case N_SEQ: return "a list";
	case N_MAP: return "a mapping";
	}
	return "?";
}

void node_set_str(struct arena *a, struct node *map, const char *key, const char *s)
{
	node_set(a, map, key, s ? node_str(a, s) : node_new(a, N_NULL));
}

void node_set_int(struct arena *a, struct node *map, const char *key, long long v)
{
	node_set(a, map, key, node_int(a, v));
}

void node_set_float(struct arena *a, struct node *map, const char *key, double v)
{
	struct node *n = node_new(a, N_FLOAT);
	n->text = arena_printf(a, "%g", v);
	n->len = strlen(n->text);
	node_set(a, map, key, n);
}
