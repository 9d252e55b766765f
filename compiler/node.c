/* node.c - see node.h. */
#include "node.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"

/* ---- keys by identity ------------------------------------------------------------- */

/* The interned texts last as long as the process, in static storage (nothing to free).
 * In the pool each text follows its atom (two bytes), so that the atom of a text that
 * is already an interned copy is read, not looked up. atom_node[atom] is a key node
 * of the text, which node_set puts in the mappings it builds instead of a copy.
 * Open addressing over slot[]; a probe sequence is cut short, so that keys written to
 * collide cost at most that many comparisons each (past it, and past the pool, a text
 * is not interned and compares as text). */
#define SLOTS (2 * NODE_ATOMS)
#define PROBES 32
#define POOL (256u << 10)

static struct node atom_node[NODE_ATOMS];
static uint32_t atom_hash[NODE_ATOMS];
static unsigned short slot[SLOTS];
static char pool[POOL];
static size_t pool_used;
static unsigned atoms = 1;              /* 0 names no atom */

unsigned node_text_atom(const char *text)
{
	unsigned short atom = 0;        /* an interned copy: its atom is just before it */
	if ((uintptr_t)text - (uintptr_t)pool < pool_used)
		memcpy(&atom, text - sizeof atom, sizeof atom);
	return atom;
}

/* The atom of s, interned now when add and it is not yet (0 when it is not, or when
 * the table is full). */
static unsigned find_or_add(const char *s, bool add)
{
	unsigned atom = node_text_atom(s);
	if (atom)
		return atom;
	uint32_t h = 2166136261u;               /* FNV-1a */
	size_t len = 0;
	for (; s[len]; len++)
		h = (h ^ (unsigned char)s[len]) * 16777619u;
	for (unsigned i = 0; i < PROBES; i++) {
		unsigned short *at = &slot[(h + i) % SLOTS];
		atom = *at;
		if (atom && atom_hash[atom] == h && atom_node[atom].len == len &&
		    !memcmp(atom_node[atom].text, s, len))
			return atom;
		if (atom)
			continue;
		if (!add || atoms == NODE_ATOMS || POOL - pool_used < sizeof(unsigned short) + len + 1)
			return 0;
		unsigned short id = (unsigned short)atoms++;
		memcpy(pool + pool_used, &id, sizeof id);
		char *text = memcpy(pool + pool_used + sizeof id, s, len + 1);
		pool_used += sizeof id + len + 1;
		atom_node[id] = (struct node){.kind = N_STR, .text = text, .len = len, .atom = id};
		atom_hash[id] = h;
		return *at = id;
	}
	return 0;
}

static unsigned intern(const char *s)
{
	return find_or_add(s, true);
}

unsigned node_find_atom(const char *text)
{
	return find_or_add(text, false);
}

unsigned node_atom(const struct node *key)
{
	if (!key->atom) {
		/* a cache of the key's text, filled in on first use: the node changes, its
		 * text does not */
		struct node *k = (struct node *)key;
		unsigned atom = intern(k->text);
		/* a text with a NUL inside compares as text, as C strings do */
		if (atom && atom_node[atom].len == k->len) {
			k->atom = (unsigned short)atom;
			k->text = atom_node[atom].text;
		}
	}
	return key->atom;
}

/* The atom of a text being looked up. Most are literals of the code, looked up again
 * and again at the same address: the atom last found at an address is tried first
 * (and checked, as the address may be a buffer that now holds another key). */
static unsigned text_atom(const char *key)
{
	static struct {
		const char *at;
		unsigned atom;
	} seen[1024];
	unsigned atom = node_text_atom(key);
	if (atom)
		return atom;
	unsigned i = (unsigned)(((uintptr_t)key * 0x9E3779B97F4A7C15ull) >> 54);
	atom = seen[i].atom;
	if (seen[i].at == key && atom && !strcmp(atom_node[atom].text, key))
		return atom;
	atom = intern(key);
	seen[i].at = key;
	seen[i].atom = atom;
	return atom;
}

/* The pair of map whose key is key, whose atom is want: atoms compared, or texts
 * where one of them has none. */
static struct pair *find_atom(const struct node *map, const char *key, unsigned want)
{
	if (!map->n)
		return NULL;    /* pairs may be NULL */
	struct pair *p = map->pairs, *end = p + map->n;
	if (!want) {            /* no interned key is this text */
		for (; p < end; p++)
			if (!p->key->atom && !strcmp(p->key->text, key))
				return p;
		return NULL;
	}
	for (; p < end; p++) {
		unsigned have = p->key->atom ? p->key->atom : node_atom(p->key);
		if (have == want || (!have && !strcmp(p->key->text, key)))
			return p;
	}
	return NULL;
}

/* The same by text: a literal of the code being looked up has no atom, and finding
 * it costs more than this saves (measured: 827 M against 814 M instructions for
 * 1,000 jobs). len is strlen(key): a key's text equals it as a C string when it has
 * that length, or holds a NUL there (a key may hold one: "a\0b" is "a" to strcmp). */
static struct pair *find_text(const struct node *map, const char *key, size_t len)
{
	for (struct pair *p = map->pairs, *end = p + map->n; p < end; p++) {
		const struct node *k = p->key;
		if (k->len == len ? k->text[0] == key[0] && !memcmp(k->text, key, len)
				  : k->len > len && !k->atom && !k->text[len] && !memcmp(k->text, key, len))
			return p;       /* (an interned text holds no NUL: node_atom) */
	}
	return NULL;
}

/* ---- nodes ------------------------------------------------------------------------ */

struct node *node_new(struct arena *a, enum node_kind kind)
{
	struct node *n = arena_alloc_raw(a, sizeof *n);
	*n = (struct node){.kind = kind, .text = ""};
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
	char digits[DECIMAL_MAX];
	struct node *n = node_strn(a, digits, decimal_text(digits, v));
	n->kind = N_INT;
	n->num = v;
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

struct pair *node_get_pair_n(const struct node *map, const char *key, size_t len)
{
	if (!map || map->kind != N_MAP || !map->n)
		return NULL;    /* pairs may be NULL */
	unsigned atom = node_text_atom(key);    /* the text of another key: by identity */
	return atom ? find_atom(map, key, atom) : find_text(map, key, len);
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
	void *p = arena_alloc_raw(a, cap * elem);     /* items past n are never read */
	if (n->n)
		memcpy(p, n->items, n->n * elem);
	n->items = p;
	n->cap = cap;
}

void node_set(struct arena *a, struct node *map, const char *key, struct node *value)
{
	unsigned atom = text_atom(key);
	struct pair *p = find_atom(map, key, atom);
	if (p) {
		p->value = value;
		return;
	}
	grow(a, map, sizeof(struct pair));
	map->pairs[map->n].key = atom ? &atom_node[atom] : node_str(a, key);
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
	unsigned atom = text_atom(field);       /* once, for every item */
	for (size_t i = 0; i < seq->n; i++) {
		const struct node *item = seq->items[i];
		const struct pair *p = item->kind == N_MAP ? find_atom(item, field, atom) : NULL;
		if (p && p->value->kind != N_NULL && node_text_eq(p->value, value))
			return seq->items[i];
	}
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
	if (texts && n->text && !n->atom)       /* an interned key's text lasts as long as the process */
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

struct node *node_copy_shallow(struct arena *a, const struct node *n)
{
	struct node *c = node_new(a, n->kind);
	*c = *n;
	c->cap = n->n;
	size_t size = n->kind == N_MAP ? sizeof *c->pairs : sizeof *c->items;
	if (n->n)
		c->items = memcpy(arena_alloc_raw(a, n->n * size), n->items, n->n * size);
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
