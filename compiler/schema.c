/* schema.c - see schema.h. */
#include "schema.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "path.h"
#include "resources.h"
#include "suggest.h"

/* ---- the schema document --------------------------------------------------------- */

static struct arena schema_arena;       /* lives as long as the process */

const struct node *schema_job(void)
{
	return resource_tree("schemas/sparkjob.schema.json");  /* built in, already parsed */
}

/* Resolve a local reference "#/json/pointer" in the schema document. */
const struct node *schema_resolve_ref(const char *ref, const struct node *docroot)
{
	if (ref[0] != '#')
		return NULL;
	const struct node *n = docroot;
	const char *p = ref + 1;
	while (n && *p == '/') {
		p++;
		char key[128];
		size_t k = 0;
		while (*p && *p != '/' && k + 1 < sizeof key) {
			if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
				key[k++] = p[1] == '0' ? '~' : '/';
				p += 2;
			} else {
				key[k++] = *p++;
			}
		}
		key[k] = '\0';
		n = node_get(n, key);
	}
	return n;
}

/* ---- compiled schemas -------------------------------------------------------------
 * Each schema node is compiled once, on first use, into the keywords it holds: types
 * as a bit set, properties sorted for binary search, $ref resolved to a pointer (on
 * first use), patterns compiled. Validation then never searches a schema by key name.
 * Keywords for editors (description, markdownDescription, defaultSnippets,
 * doNotSuggest, markdownEnumDescriptions, ...) are not validation: they are skipped. */

enum {
	T_NULL = 1, T_BOOLEAN = 2, T_INTEGER = 4, T_NUMBER = 8, T_STRING = 16, T_ARRAY = 32, T_OBJECT = 64,
};

struct snode;
struct sprop {
	const char *name;
	unsigned atom;                  /* name's (node.h), 0 when it has none */
	const struct node *schema;
	const struct snode *compiled;   /* schema compiled, on first use */
};

enum addl { ADDL_ANY, ADDL_FALSE, ADDL_SCHEMA };

/* The keywords validation reads for every value come first, in the cache lines it
 * reads (a document's values visit hundreds of these). */
struct snode {
	unsigned types;                 /* 0: any */
	bool one_of, re_ok, has_min, has_max, nullable, object_keywords, ref_resolved;
	enum addl addl;
	const char *ref;                /* $ref, resolved on first use into ref_target */
	const struct snode *ref_target;
	const struct node *branches;    /* anyOf or oneOf list */
	const struct node *enum_values, *const_value;
	const struct node *pattern;
	long long min_length, max_length, min_items;    /* -1: none */
	const struct node *items;
	const struct snode *items_compiled;     /* items compiled, on first use */
	struct sprop *props;            /* sorted by name */
	size_t nprops;
	/* props by their names' atoms, when every name has one: open addressing, an index
	 * + 1 per slot (0: empty), slots a power of two */
	unsigned short *by_atom;
	size_t by_atom_slots;
	unsigned searches;              /* by name, before a large table gets by_atom */
	const struct node *required;
	/* The release that added the field (upstream.h): x-mlrun-since in the job format,
	 * x-operator-since in the operator's CRD and the objects a job takes from it. */
	const char *mlrun_since, *operator_since;
	const struct node *addl_schema;
	const struct node *docroot;
	const struct node *type;        /* as written, for messages */
	const char *title;
	long long min, max;
	const struct node *default_value;       /* default: what an older MLRun takes too */
	regex_t re;
};

/* node -> compiled snode, open addressing by pointer */
static struct {
	const struct node **keys;
	struct snode **values;
	size_t cap, n;
} compiled;

static unsigned type_bit(const char *t)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"null", T_NULL}, {"boolean", T_BOOLEAN}, {"integer", T_INTEGER},
		     {"number", T_NUMBER}, {"string", T_STRING}, {"array", T_ARRAY}, {"object", T_OBJECT}};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(t, names[i].name))
			return names[i].bit;
	return 0;
}

static int by_prop_name(const void *a, const void *b)
{
	return strcmp(((const struct sprop *)a)->name, ((const struct sprop *)b)->name);
}

/* Most schemas list their properties sorted already (spark_conf's thousand keys, for
 * one): qsort's merge sort would compare them again, and allocate. */
static bool props_sorted(const struct sprop *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(p[i - 1].name, p[i].name) > 0)
			return false;
	return true;
}

/* A document's keys are interned (node.h): its properties are found by atom, the names
 * of a schema's properties interned once when it is compiled. A large table (spark_conf's
 * thousand keys, there for editors' completion) is interned only once it has been
 * searched often enough to repay it: a run of one job looks up a few of its names. */
#define INDEX_NOW 64

static void index_props(struct snode *c)
{
	size_t slots = 8;
	while (slots < 2 * c->nprops)
		slots *= 2;
	if (c->nprops >= 0xFFFF)
		return;
	unsigned short *by_atom = arena_alloc(&schema_arena, slots * sizeof *by_atom);
	for (size_t i = 0; i < c->nprops; i++) {
		struct node key = {.kind = N_STR, .text = c->props[i].name, .len = strlen(c->props[i].name)};
		unsigned atom = node_atom(&key);
		if (!atom)
			return;         /* the table is full: by name */
		c->props[i].atom = atom;
		c->props[i].name = key.text;    /* the interned copy */
		size_t h = atom & (slots - 1);
		while (by_atom[h])
			h = (h + 1) & (slots - 1);
		by_atom[h] = (unsigned short)(i + 1);
	}
	c->by_atom = by_atom;
	c->by_atom_slots = slots;
}

static long long num_or(const struct node *n, long long fallback)
{
	return n && n->kind == N_INT ? n->num : fallback;
}

static size_t ptr_hash(const void *p, size_t cap)
{
	return ((size_t)p >> 4) * 2654435761u & (cap - 1);
}

static void memo_put(const struct node *key, struct snode *value)
{
	if ((compiled.n + 1) * 2 > compiled.cap) {
		size_t cap = compiled.cap ? compiled.cap * 2 : 256;
		const struct node **keys = xmalloc(cap * sizeof *keys);
		struct snode **values = xmalloc(cap * sizeof *values);
		memset(keys, 0, cap * sizeof *keys);
		memset(values, 0, cap * sizeof *values);
		for (size_t i = 0; i < compiled.cap; i++) {
			if (!compiled.keys[i])
				continue;
			size_t h = ptr_hash(compiled.keys[i], cap);
			while (keys[h])
				h = (h + 1) & (cap - 1);
			keys[h] = compiled.keys[i];
			values[h] = compiled.values[i];
		}
		free(compiled.keys);
		free(compiled.values);
		compiled.keys = keys;
		compiled.values = values;
		compiled.cap = cap;
	}
	size_t h = ptr_hash(key, compiled.cap);
	while (compiled.keys[h])
		h = (h + 1) & (compiled.cap - 1);
	compiled.keys[h] = key;
	compiled.values[h] = value;
	compiled.n++;
}

static struct snode *memo_get(const struct node *key)
{
	if (!compiled.cap)
		return NULL;
	size_t h = ptr_hash(key, compiled.cap);
	while (compiled.keys[h]) {
		if (compiled.keys[h] == key)
			return compiled.values[h];
		h = (h + 1) & (compiled.cap - 1);
	}
	return NULL;
}

static const struct snode *compile(const struct node *s, const struct node *docroot)
{
	if (!s || s->kind != N_MAP)
		return NULL;
	struct snode *c = memo_get(s);
	if (c)
		return c;
	c = arena_alloc(&schema_arena, sizeof *c);
	memo_put(s, c);
	c->docroot = docroot;
	c->min_length = c->max_length = c->min_items = -1;
	for (size_t i = 0; i < s->n; i++) {
		const char *k = s->pairs[i].key->text;
		const struct node *v = s->pairs[i].value;
		if (!strcmp(k, "type")) {
			c->type = v;
			if (v->kind == N_SEQ)
				for (size_t t = 0; t < v->n; t++)
					c->types |= type_bit(v->items[t]->text);
			else
				c->types = type_bit(v->text);
			if (c->types & T_NUMBER)
				c->types |= T_INTEGER;
		} else if (!strcmp(k, "$ref")) {
			c->ref = v->text;
		} else if (!strcmp(k, "anyOf") || !strcmp(k, "oneOf")) {
			c->branches = v;
			c->one_of = k[0] == 'o';
		} else if (!strcmp(k, "enum")) {
			c->enum_values = v;
		} else if (!strcmp(k, "const")) {
			c->const_value = v;
		} else if (!strcmp(k, "pattern")) {
			c->pattern = v;
			c->re_ok = regcomp(&c->re, v->text, REG_EXTENDED | REG_NOSUB) == 0;
		} else if (!strcmp(k, "title")) {
			c->title = v->text;
		} else if (!strcmp(k, "nullable")) {
			c->nullable = v->kind == N_BOOL && v->num;
		} else if (k[0] == 'x') {       /* the release that added a field (upstream.h) */
			if (!strcmp(k, "x-mlrun-since"))
				c->mlrun_since = v->text;
			else if (!strcmp(k, "x-operator-since"))
				c->operator_since = v->text;
		} else if (k[0] == 'd' && !strcmp(k, "default")) {
			c->default_value = v;
		} else if (!strcmp(k, "minimum")) {
			c->has_min = true;
			c->min = num_or(v, 0);
		} else if (!strcmp(k, "maximum")) {
			c->has_max = true;
			c->max = num_or(v, 0);
		} else if (!strcmp(k, "minLength")) {
			c->min_length = num_or(v, -1);
		} else if (!strcmp(k, "maxLength")) {
			c->max_length = num_or(v, -1);
		} else if (!strcmp(k, "minItems")) {
			c->min_items = num_or(v, -1);
		} else if (!strcmp(k, "items")) {
			c->items = v;
		} else if (!strcmp(k, "required")) {
			c->required = v;
			c->object_keywords = true;
		} else if (!strcmp(k, "properties") && v->kind == N_MAP) {
			c->props = arena_alloc(&schema_arena, (v->n + 1) * sizeof *c->props);
			for (size_t p = 0; p < v->n; p++)
				c->props[p] = (struct sprop){v->pairs[p].key->text, 0, v->pairs[p].value, NULL};
			c->nprops = v->n;
			if (!props_sorted(c->props, c->nprops))
				qsort(c->props, c->nprops, sizeof *c->props, by_prop_name);
			if (c->nprops <= INDEX_NOW)
				index_props(c);
			c->object_keywords = true;
		} else if (!strcmp(k, "additionalProperties")) {
			c->addl = v->kind == N_BOOL ? (v->num ? ADDL_ANY : ADDL_FALSE) : ADDL_SCHEMA;
			c->addl_schema = v->kind == N_MAP ? v : NULL;
			c->object_keywords = true;
		}
	}
	return c;
}

static const struct snode *ref_target(const struct snode *c)
{
	struct snode *m = (struct snode *)c;
	if (!m->ref_resolved) {
		m->ref_target = compile(schema_resolve_ref(m->ref, m->docroot), m->docroot);
		m->ref_resolved = true;
	}
	return m->ref_target;
}

static struct sprop *find_prop(const struct snode *c, const char *name)
{
	if (!c->by_atom && c->nprops > INDEX_NOW && ++((struct snode *)c)->searches == INDEX_NOW)
		index_props((struct snode *)c);
	unsigned atom = c->by_atom ? node_text_atom(name) : 0;
	if (atom) {
		for (size_t h = atom & (c->by_atom_slots - 1);; h = (h + 1) & (c->by_atom_slots - 1)) {
			unsigned short i = c->by_atom[h];
			if (!i)
				return NULL;
			if (c->props[i - 1].atom == atom)
				return &c->props[i - 1];
		}
	}
	size_t lo = 0, hi = c->nprops;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(name, c->props[mid].name);
		if (!cmp)
			return &c->props[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A property's compiled schema, kept in the property. */
static const struct snode *prop_compiled(const struct snode *c, struct sprop *p)
{
	if (!p->compiled)
		p->compiled = compile(p->schema, c->docroot);
	return p->compiled;
}

static const struct snode *items_compiled(const struct snode *c)
{
	struct snode *m = (struct snode *)c;
	if (!m->items_compiled && m->items)
		m->items_compiled = compile(m->items, m->docroot);
	return m->items_compiled;
}

/* ---- validation ---------------------------------------------------------------- */

/* Where validation is: the keys and list indexes down from the document's root, made
 * into a path (path.h) only when a diagnostic names it. */
struct place {
	const char *key;        /* NULL: a list index */
	size_t index;
};
struct places {
	struct place *v, first[64];     /* v: first, or allocated when deeper */
	size_t n, cap;
};

static void places_init(struct places *w)
{
	w->v = w->first;
	w->n = 0;
	w->cap = sizeof w->first / sizeof *w->first;
}

static void places_free(struct places *w)
{
	if (w->v != w->first)
		free(w->v);
}

static void enter(struct places *w, const char *key, size_t index)
{
	if (w->n == w->cap) {
		struct place *v = xmalloc(2 * w->cap * sizeof *v);
		memcpy(v, w->v, w->n * sizeof *v);
		places_free(w);
		w->v = v;
		w->cap *= 2;
	}
	w->v[w->n++] = (struct place){key, index};
}

static const char *path_text(const struct places *w, struct path *p)
{
	p->len = 0;
	p->buf[0] = '\0';
	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].key)
			path_push_key(p, w->v[i].key);
		else
			path_push_index(p, w->v[i].index);
	}
	return p->buf;
}

struct ctx {
	struct diag_src *src;   /* NULL: only count errors (trying an anyOf branch) */
	/* An operator manifest: JSON Schema as the API server applies a CRD's. A float
	 * with no fraction is an integer, a float is held to minimum/maximum. Nulls are
	 * read as for a job, which is what the API server does to a custom resource: it
	 * drops a null whose schema is not nullable and has no default before validating
	 * (apiextensions-apiserver, pkg/apiserver/schema/defaulting/prunenulls.go,
	 * PruneNonNullableNullsWithoutDefaults, for properties and additionalProperties
	 * alike; list items keep theirs). */
	bool strict;
	const struct releases *releases;  /* the MLRun and operator releases compiled for */
	struct places *at;              /* shared with the branches tried */
	size_t errors;
	const struct node *holder;      /* the key whose value is being validated, if any */
	const struct node *near;        /* the innermost node with a source position */
};

static void report(struct ctx *c, const struct node *at, const char *rule, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct ctx *c, const struct node *at, const char *rule, const char *hint,
		   const char *fmt, ...)
{
	c->errors++;
	if (!c->src)
		return;
	if (!at->line && c->near)
		at = c->near;   /* an empty list item has no position of its own */
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct path path;
	diag_node(c->src, at, SEV_ERROR, rule, path_text(c->at, &path), hint, "%s", msg);
}

/* A finite float's value (YAML's .inf and .nan are not). */
static bool finite_value(const struct node *v, double *d)
{
	if (v->kind != N_FLOAT || strpbrk(v->text, "nN"))
		return false;
	*d = strtod(v->text, NULL);
	return true;
}

/* A float with no fraction (2.0) is an integer to JSON Schema (draft 6 on). */
static bool integral(const struct node *v)
{
	double d;
	return finite_value(v, &d) && d > -9e18 && d < 9e18 && d == (double)(long long)d;
}

static unsigned kind_bit(const struct node *v)
{
	switch (v->kind) {
	case N_NULL: return T_NULL;
	case N_BOOL: return T_BOOLEAN;
	case N_INT: return T_INTEGER;
	case N_FLOAT: return T_NUMBER;
	case N_STR: return T_STRING;
	case N_SEQ: return T_ARRAY;
	case N_MAP: return T_OBJECT;
	}
	return 0;
}

static const char *type_word(const char *type)
{
	if (!strcmp(type, "object")) return "a mapping";
	if (!strcmp(type, "array")) return "a list";
	if (!strcmp(type, "string")) return "a string";
	if (!strcmp(type, "integer")) return "an integer";
	if (!strcmp(type, "number")) return "a number";
	if (!strcmp(type, "boolean")) return "a boolean (true or false)";
	return type;
}

static const char *value_word(const struct node *v)
{
	return v->kind == N_FLOAT && strspn(v->text, "0123456789-+") == v->len
		       ? "a number too large for an integer"
		       : node_kind_name(v->kind);
}

static const char *first_type(const struct node *type)
{
	return type->kind == N_SEQ ? (type->n ? type->items[0]->text : "?") : type->text;
}

static bool check_type(struct ctx *c, const struct snode *s, const struct node *v)
{
	unsigned bits = kind_bit(v) | (c->strict && integral(v) ? T_INTEGER : 0);
	if (!(s->types & bits) && !c->src) {
		c->errors++;    /* a branch tried: nothing to say */
		return false;
	}
	if (!(s->types & bits)) {
		const char *hint = NULL;
		char one[160];
		if ((s->types & ~T_NULL) == T_ARRAY && v->kind == N_STR && v->len < 100) {
			/* exclude: drafts/, args: --verbose: one item meant as a list */
			snprintf(one, sizeof one, "a list of one is written [%s%s%s]", v->quoted ? "\"" : "", v->text,
				 v->quoted ? "\"" : "");
			hint = one;
		} else if ((s->types & ~T_NULL) == T_INTEGER && v->kind == N_STR && v->quoted)
			hint = "remove the quotes";
		else if ((s->types & ~T_NULL) == T_STRING && !v->quoted && node_is_scalar(v) && v->kind != N_NULL)
			/* sparkVersion: 3.5, value: 8080, pythonVersion: 3 */
			hint = v->kind == N_BOOL ? "put it in quotes: unquoted, YAML reads it as true or false"
						 : "put it in quotes: unquoted, YAML reads it as a number";
		report(c, v, "schema-type", hint, "expected %s, got %s", type_word(first_type(s->type)),
		       value_word(v));
		return false;
	}
	/* 0644 is 644 to YAML 1.2 but 420 to kubectl's YAML 1.1: refuse to guess. */
	const char *digits = v->text + (v->text[0] == '-' || v->text[0] == '+');
	if (v->kind == N_INT && !(s->types & T_STRING) && !v->quoted && digits[0] == '0' &&
	    strspn(digits, "0123456789") > 1) {
		char hint[160];
		snprintf(hint, sizeof hint, "write 0o%s for octal (%lld) or %lld for decimal",
			 v->text + strspn(v->text, "-+0"), strtoll(v->text, NULL, 8), v->num);
		report(c, v, "yaml-leading-zero", hint,
		       "'%s' is read as %lld by YAML 1.2 but as octal %lld by kubectl", v->text, v->num,
		       strtoll(v->text, NULL, 8));
		return false;
	}
	return true;
}

static bool scalar_equal(const struct node *a, const struct node *b)
{
	if (!node_is_scalar(a) || !node_is_scalar(b))
		return false;
	if (a->kind == N_INT && b->kind == N_INT)
		return a->num == b->num;
	return a->kind == b->kind && !strcmp(a->text, b->text);
}

static void list_values(const struct node *list, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < list->n && len + 1 < size; i++) {
		if (list->items[i]->kind != N_STR && i)      /* "3" and 3: say it once */
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", list->items[i]->text);
		if (n > 0)
			len += (size_t)n;
	}
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void validate(struct ctx *c, const struct snode *s, const struct node *v);

static size_t try_branch(struct ctx *c, const struct snode *s, const struct node *v)
{
	struct ctx probe = {.src = NULL, .strict = c->strict, .releases = c->releases, .at = c->at};
	validate(&probe, s, v);
	return probe.errors;
}

/* The branch an error report should follow: the first whose type fits the value. A
 * branch with no type but a list of values (an enum defined once and referenced, such
 * as PreemptionMode) fits any scalar: its own check then names the values it takes. */
static const struct snode *branch_for(const struct snode *s, const struct node *v)
{
	if (s && s->ref)
		s = ref_target(s);
	if (s && !s->types && (s->enum_values || s->const_value))
		return v->kind != N_SEQ && v->kind != N_MAP ? s : NULL;
	return s && s->types && (s->types & kind_bit(v)) ? s : NULL;
}

static void validate_branches(struct ctx *c, const struct snode *s, const struct node *v)
{
	const struct node *list = s->branches;
	size_t passed = 0;
	for (size_t i = 0; i < list->n; i++)
		if (try_branch(c, compile(list->items[i], s->docroot), v) == 0)
			passed++;
	if (s->one_of ? passed == 1 : passed >= 1)
		return;
	if (passed > 1) {
		report(c, v, "schema-one-of", NULL, "matches more than one of the allowed forms");
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct snode *b = branch_for(compile(list->items[i], s->docroot), v);
		if (b) {
			validate(c, b, v);
			return;
		}
	}
	/* No branch has the value's type: name the types the branches take. */
	char want[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < list->n && len < sizeof want; i++) {
		const struct snode *b = compile(list->items[i], s->docroot);
		if (b && b->ref)
			b = ref_target(b);
		if (b && b->type && b->type->kind == N_STR && b->types != T_NULL)    /* null: not set */
			len += (size_t)snprintf(want + len, sizeof want - len, "%s%s", len ? " or " : "",
						type_word(b->type->text));
	}
	/* An int-or-string quantity names itself: "expected a Kubernetes quantity ...". A
	 * fraction is a quantity only as a string (the CRD takes an integer or a string). */
	char quoted[160];
	if (v->kind == N_FLOAT && s->title)
		snprintf(quoted, sizeof quoted, "write it as a string: '%s'", v->text);
	report(c, v, "schema-type", v->kind == N_FLOAT && s->title ? quoted : NULL, "expected %s, got %s",
	       s->title ? s->title : len ? want : "another form", value_word(v));
}

/* A field the release compiled for does not have. An operator field newer than the
 * operator release is an error: that release's API server rejects it as an unknown
 * field (strict field validation). An MLRun field newer than the MLRun release is a
 * warning: that MLRun reads only the fields it knows (mlrun/model.py, ModelObj.from_dict)
 * and ignores it. A field at its default value asks nothing of an older MLRun and draws
 * nothing (mount_otlp_secret: false, which every export of its release carries). */
static bool release_lacks(struct ctx *c, const struct snode *s, const struct node *key,
			  const struct node *val)
{
	char name[64], want[64];
	if (s->operator_since && operator_before(c->releases, s->operator_since)) {
		operator_release_name(c->releases->operator_version, name, sizeof name);
		operator_release_name(s->operator_since, want, sizeof want);
		char hint[160];
		snprintf(hint, sizeof hint, "remove it, or compile for --operator-version %s", s->operator_since);
		report(c, key, "operator-version", hint,
		       "'%s' is not in the CRD of the Spark operator %s, whose API server rejects it; "
		       "operator %s has it", key->text, name, want);
		return true;
	}
	if (s->mlrun_since && c->src && mlrun_before(c->releases, s->mlrun_since) &&
	    !(s->default_value && scalar_equal(s->default_value, val))) {
		char hint[160];
		snprintf(hint, sizeof hint, "compile for --mlrun-version %s or later, or remove it", s->mlrun_since);
		struct path path;
		diag_node(c->src, key, SEV_WARNING, "mlrun-version", path_text(c->at, &path), hint,
			  "'%s' came in MLRun %s; MLRun %s, which this job is compiled for, ignores it",
			  key->text, s->mlrun_since, c->releases->mlrun);
	}
	return false;
}

static void validate_object(struct ctx *c, const struct snode *s, const struct node *v)
{
	const struct node *req = s->required;
	for (size_t i = 0; req && i < req->n; i++) {
		const char *name = req->items[i]->text;
		const struct pair *p = node_get_pair(v, name);
		struct sprop *prop = find_prop(s, name);
		const struct snode *cs = prop ? prop_compiled(s, prop) : NULL;
		/* null is not set (skipped below), so a required key that is null is missing,
		 * unless its schema says nullable */
		if (!p || (p->value->kind == N_NULL && !(cs && cs->nullable))) {
			/* at the key holding the mapping (spec:), not at its first child */
			report(c, p ? p->key : c->holder ? c->holder : v, "schema-required", NULL,
			       p ? "'%s' is required and cannot be null" : "missing required key '%s'", name);
		}
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct node *key = v->pairs[i].key, *val = v->pairs[i].value;
		struct sprop *prop = find_prop(s, key->text);
		enter(c->at, key->text, 0);
		const struct node *holder = c->holder;
		c->holder = key;
		if (prop) {
			/* null means not set: skipped, and a nullable property's null is allowed */
			const struct snode *cs = prop_compiled(s, prop);
			if (val->kind != N_NULL && !release_lacks(c, cs, key, val))
				validate(c, cs, val);
		} else if (s->addl == ADDL_FALSE) {
			const char *cands[128];
			size_t n = 0;
			for (size_t k = 0; k < s->nprops && n < 128; k++)
				cands[n++] = s->props[k].name;
			char buf[256];
			report(c, key, "schema-unknown-key", did_you_mean(buf, sizeof buf, closest_word(key->text, cands, n), true),
			       "unknown key '%s'", key->text);
		} else if (s->addl == ADDL_SCHEMA && (val->kind != N_NULL || !c->strict)) {
			/* A manifest's null under additionalProperties is pruned as a property's is
			 * (getSchemaForField in prunenulls.go, below); a job's keeps its schema's
			 * verdict. */
			validate(c, compile(s->addl_schema, s->docroot), val);
		}
		c->holder = holder;
		c->at->n--;
	}
}

static void validate_node(struct ctx *c, const struct snode *s, const struct node *v);

static void validate(struct ctx *c, const struct snode *s, const struct node *v)
{
	if (!s)
		return;
	const struct node *near = c->near;
	if (v->line)
		c->near = v;
	validate_node(c, s, v);
	c->near = near;
}

static void validate_node(struct ctx *c, const struct snode *s, const struct node *v)
{
	if (s->ref)
		validate(c, ref_target(s), v);
	if (s->branches)
		validate_branches(c, s, v);
	if (s->types && !check_type(c, s, v))
		return;
	if (s->const_value && !scalar_equal(s->const_value, v)) {
		const char *want = s->const_value->text;
		char buf[256];
		const char *hint = did_you_mean(buf, sizeof buf, node_is_scalar(v) ? closest_word(v->text, &want, 1) : NULL, true);
		report(c, v, "schema-const", hint, "expected '%s', got '%s'", want,
		       node_is_scalar(v) ? v->text : node_kind_name(v->kind));
		return;
	}
	if (s->enum_values) {
		const struct node *k = s->enum_values;
		bool found = false;
		for (size_t i = 0; i < k->n && !found; i++)
			found = scalar_equal(k->items[i], v);
		if (!found) {
			char vals[512];
			list_values(k, vals, sizeof vals);
			const char *hint = NULL;
			char buf[256];
			if (node_is_scalar(v)) {
				const char *cands[32];
				size_t n = 0;
				for (size_t i = 0; i < k->n && n < 32; i++)
					cands[n++] = k->items[i]->text;
				hint = did_you_mean(buf, sizeof buf, closest_word(v->text, cands, n), true);
			}
			report(c, v, "schema-enum", hint, "'%s' is not one of: %s",
			       node_is_scalar(v) ? v->text : node_kind_name(v->kind), vals);
		}
	}
	if (v->kind == N_STR) {
		if (s->pattern && s->re_ok && regexec(&s->re, v->text, 0, NULL, 0) != 0) {
			if (s->title)
				report(c, v, "schema-pattern", NULL, "'%s' is not %s", v->text, s->title);
			else
				report(c, v, "schema-pattern", NULL, "'%s' does not match the pattern %s",
				       v->text, s->pattern->text);
		}
		if (s->min_length >= 0 && utf8_length(v->text) < (size_t)s->min_length) {
			if (s->min_length == 1)
				report(c, v, "schema-length", NULL, "must not be empty");
			else
				report(c, v, "schema-length", NULL, "must be at least %lld characters long",
				       s->min_length);
		}
		if (s->max_length >= 0 && utf8_length(v->text) > (size_t)s->max_length)
			report(c, v, "schema-length", NULL, "must be at most %lld characters long", s->max_length);
	}
	double d;
	if (v->kind == N_INT) {
		if (s->has_min && v->num < s->min)
			report(c, v, "schema-minimum", NULL, "must be at least %lld, got %lld", s->min, v->num);
		if (s->has_max && v->num > s->max)
			report(c, v, "schema-maximum", NULL, "must be at most %lld, got %lld", s->max, v->num);
	} else if (c->strict && finite_value(v, &d)) {
		if (s->has_min && d < (double)s->min)
			report(c, v, "schema-minimum", NULL, "must be at least %lld, got %s", s->min, v->text);
		if (s->has_max && d > (double)s->max)
			report(c, v, "schema-maximum", NULL, "must be at most %lld, got %s", s->max, v->text);
	}
	if (v->kind == N_SEQ) {
		if (s->min_items >= 0 && v->n < (size_t)s->min_items)
			report(c, v, "schema-items", NULL, "needs at least %lld items", s->min_items);
		if (s->items) {
			const struct snode *items = items_compiled(s);
			const struct node *holder = c->holder;
			c->holder = NULL;       /* an item is held by no key */
			for (size_t i = 0; i < v->n; i++) {
				enter(c->at, NULL, i);
				validate(c, items, v->items[i]);
				c->at->n--;
			}
			c->holder = holder;
		}
	}
	if (v->kind == N_MAP && s->object_keywords)
		validate_object(c, s, v);
}

bool schema_validate(const struct node *doc, struct diag_src *src, const struct releases *releases)
{
	const struct node *root = schema_job();
	struct places at;
	places_init(&at);
	struct ctx c = {.src = src, .releases = releases, .at = &at};
	validate(&c, compile(root, root), doc);
	places_free(&at);
	return c.errors == 0;
}

bool schema_validate_manifest(const struct node *doc, struct diag_src *src, const struct releases *releases)
{
	const struct node *root = resource_tree("schemas/sparkoperator.schema.json");
	const struct node *kind = node_get(doc, "kind");
	char ref[64];
	snprintf(ref, sizeof ref, "#/$defs/%s", node_is_text(kind) ? kind->text : "");
	struct places at;
	places_init(&at);
	struct ctx c = {.src = src, .strict = true, .releases = releases, .at = &at};
	validate(&c, compile(schema_resolve_ref(ref, root), root), doc);
	places_free(&at);
	return c.errors == 0;
}

bool schema_validate_ref(const char *resource, const char *ref, const struct node *doc,
			 struct diag_src *src)
{
	const struct node *root = resource_tree(resource);
	struct places at;
	places_init(&at);
	struct ctx c = {.src = src, .releases = releases_default(), .at = &at};
	validate(&c, compile(schema_resolve_ref(ref, root), root), doc);
	places_free(&at);
	return c.errors == 0;
}

/* ---- coercion ------------------------------------------------------------------ */

static struct node *coerce(struct arena *a, const struct snode *s, const struct node *v)
{
	for (int guard = 0; s && s->ref && guard < 16; guard++)
		s = ref_target(s);
	if (node_is_scalar(v)) {
		if (v->kind == N_STR || v->kind == N_NULL || !s)
			return (struct node *)v;
		/* A field whose type includes string is a text field (the job schema lists
		 * number and boolean beside it only to accept them as text). An
		 * int-or-string field (anyOf) keeps an integer. */
		bool to_text = (s->types & T_STRING) != 0;
		unsigned native = kind_bit(v);
		for (size_t i = 0; !s->types && s->branches && i < s->branches->n; i++) {
			const struct snode *b = compile(s->branches->items[i], s->docroot);
			if (b && (b->types & native))
				return (struct node *)v;
			to_text = to_text || (b && (b->types & T_STRING));
		}
		if (!to_text)
			return (struct node *)v;
		struct node *str = node_strn(a, v->text, v->len);
		str->line = v->line;
		str->col = v->col;
		return str;
	}
	/* What coercion leaves as it is stays shared; a collection is copied once a child
	 * changes (or, in a mapping, a null is dropped: not set). */
	struct node *out = NULL;
	if (v->kind == N_SEQ) {
		const struct snode *items = s ? items_compiled(s) : NULL;
		for (size_t i = 0; i < v->n; i++) {
			struct node *item = coerce(a, items, v->items[i]);
			if (item == v->items[i])
				continue;
			if (!out)
				out = node_copy_shallow(a, v);
			out->items[i] = item;
		}
		return out ? out : (struct node *)v;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct node *val = v->pairs[i].value;
		struct node *done = NULL;
		if (val->kind != N_NULL) {
			struct sprop *prop = s ? find_prop(s, v->pairs[i].key->text) : NULL;
			const struct snode *sub = prop ? prop_compiled(s, prop)
						  : s && s->addl == ADDL_SCHEMA ? compile(s->addl_schema, s->docroot) : NULL;
			done = coerce(a, sub, val);
			if (done == val && !out)
				continue;
		}
		if (!out) {             /* the pairs before this one, as they were */
			out = node_new(a, N_MAP);
			out->line = v->line;
			out->col = v->col;
			out->pairs = arena_alloc_raw(a, v->n * sizeof *out->pairs);
			out->cap = v->n;
			memcpy(out->pairs, v->pairs, i * sizeof *out->pairs);
			out->n = i;
		}
		if (done)
			out->pairs[out->n++] = (struct pair){v->pairs[i].key, done};
	}
	return out ? out : (struct node *)v;
}

/* Lowering coerces every list item with one of a few references, each a literal: the
 * compiled schema of the last ones, by address (checked against the text kept, as the
 * address may be a buffer that now holds another), looked through in turn and
 * replaced in turn. */
#define REFS_KEPT 8
static struct {
	const char *at;
	char text[64];
	const struct snode *schema;
} refs_kept[REFS_KEPT];
static size_t refs_next;

static const struct snode *compiled_ref(const char *ref)
{
	for (size_t i = 0; i < REFS_KEPT; i++)
		if (refs_kept[i].at == ref && !strcmp(refs_kept[i].text, ref))
			return refs_kept[i].schema;
	const struct node *root = schema_job();
	const struct snode *c = compile(schema_resolve_ref(ref, root), root);
	size_t i = refs_next;
	if (strlen(ref) < sizeof refs_kept[i].text) {
		refs_kept[i].at = ref;
		strcpy(refs_kept[i].text, ref);
		refs_kept[i].schema = c;
		refs_next = (i + 1) % REFS_KEPT;
	}
	return c;
}

struct node *schema_coerce(struct arena *a, const char *ref, const struct node *value)
{
	return coerce(a, compiled_ref(ref), value);
}

void schema_free(void)
{
	memset(refs_kept, 0, sizeof refs_kept);
	refs_next = 0;
	for (size_t i = 0; i < compiled.cap; i++)
		if (compiled.keys[i] && compiled.values[i]->re_ok)
			regfree(&compiled.values[i]->re);
	free(compiled.keys);
	free(compiled.values);
	memset(&compiled, 0, sizeof compiled);
	arena_free(&schema_arena);
}
