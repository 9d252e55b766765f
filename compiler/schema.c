/* schema.c - see schema.h. */
#include "schema.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "resources.h"

/* ---- schema documents ----------------------------------------------------------- */

struct schema_doc {
	const char *id;         /* the file name that $ref uses */
	struct node *root;
};

static struct arena schema_arena;       /* lives as long as the process */

/* Compiled `pattern` regexes, cached by schema node. The schemas use only ERE syntax. */
struct regex_cache {
	const struct node *pattern;
	regex_t re;
	bool ok;
};
static struct regex_cache regexes[64];
static size_t nregexes;

static struct schema_doc docs[4];
static size_t ndocs;

static const struct node *schema_doc_get(const char *id)
{
	for (size_t i = 0; i < ndocs; i++)
		if (!strcmp(docs[i].id, id))
			return docs[i].root;
	char name[128];
	snprintf(name, sizeof name, "schemas/%s", id);
	const struct resource *r = resource_get(name);
	if (!r || ndocs == sizeof docs / sizeof *docs)
		return NULL;
	struct diags d = {0};
	struct diag_src src = {.diags = &d, .file = r->name, .text = r->text, .len = r->len};
	struct node *root = load_text(&src, &schema_arena);
	if (!root) {
		diags_print(&d, FMT_TEXT, stderr, false);
		fprintf(stderr, "sparkc: built-in schema %s is invalid\n", name);
		exit(2);
	}
	docs[ndocs++] = (struct schema_doc){.id = arena_strdup(&schema_arena, id), .root = root};
	return root;
}

const struct node *schema_job(void)
{
	return schema_doc_get("sparkjob.schema.json");
}

void schema_free(void)
{
	for (size_t i = 0; i < nregexes; i++)
		if (regexes[i].ok)
			regfree(&regexes[i].re);
	nregexes = 0;
	ndocs = 0;
	arena_free(&schema_arena);
}

/* Resolve "file#/json/pointer" or "#/json/pointer" relative to the current document. */
static const struct node *resolve_ref(const char *ref, const struct node **docroot)
{
	const char *hash = strchr(ref, '#');
	if (!hash)
		return NULL;
	if (hash != ref) {
		char id[128];
		size_t len = (size_t)(hash - ref);
		if (len >= sizeof id)
			return NULL;
		memcpy(id, ref, len);
		id[len] = '\0';
		*docroot = schema_doc_get(id);
	}
	const struct node *n = *docroot;
	const char *p = hash + 1;
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

/* ---- paths ------------------------------------------------------------------- */

struct path {
	char buf[1024];
	size_t len;
};

static size_t path_push_key(struct path *p, const char *key)
{
	size_t saved = p->len;
	int n = snprintf(p->buf + p->len, sizeof p->buf - p->len, "%s%s", p->len ? "." : "", key);
	if (n > 0)
		p->len = p->len + (size_t)n < sizeof p->buf ? p->len + (size_t)n : sizeof p->buf - 1;
	return saved;
}

static size_t path_push_index(struct path *p, size_t i)
{
	size_t saved = p->len;
	int n = snprintf(p->buf + p->len, sizeof p->buf - p->len, "[%zu]", i);
	if (n > 0)
		p->len = p->len + (size_t)n < sizeof p->buf ? p->len + (size_t)n : sizeof p->buf - 1;
	return saved;
}

static void path_pop(struct path *p, size_t saved)
{
	p->len = saved;
	p->buf[saved] = '\0';
}

/* ---- edit distance ------------------------------------------------------------ */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			/* a swap of two neighbours counts as one edit */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *closest_word(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	size_t limit = len < 6 ? 2 : len / 3 + 1;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* ---- validation ---------------------------------------------------------------- */

struct ctx {
	struct diag_src *src;   /* NULL: only count errors (trying an anyOf branch) */
	struct path path;
	size_t errors;
};

static void report(struct ctx *c, const struct node *at, const char *rule, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct ctx *c, const struct node *at, const char *rule, const char *hint,
		   const char *fmt, ...)
{
	c->errors++;
	if (!c->src)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_node(c->src, at, SEV_ERROR, rule, c->path.buf, hint, "%s", msg);
}

static bool kind_is(const struct node *v, const char *type)
{
	switch (v->kind) {
	case N_NULL: return !strcmp(type, "null");
	case N_BOOL: return !strcmp(type, "boolean");
	case N_INT: return !strcmp(type, "integer") || !strcmp(type, "number");
	case N_FLOAT: return !strcmp(type, "number");
	case N_STR: return !strcmp(type, "string");
	case N_SEQ: return !strcmp(type, "array");
	case N_MAP: return !strcmp(type, "object");
	}
	return false;
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

/* type may be a string or a list; a list that holds "string" reads as "a string". */
static bool check_type(struct ctx *c, const struct node *type, const struct node *v)
{
	if (type->kind == N_SEQ) {
		for (size_t i = 0; i < type->n; i++)
			if (kind_is(v, type->items[i]->text))
				return true;
		const char *want = type->n ? type->items[0]->text : "?";
		report(c, v, "schema-type", NULL, "expected %s, got %s", type_word(want), value_word(v));
		return false;
	}
	if (kind_is(v, type->text)) {
		/* 0644 is 644 to YAML 1.2 but 420 to kubectl's YAML 1.1: refuse to guess. */
		if (v->kind == N_INT && v->text[v->text[0] == '-' || v->text[0] == '+'] == '0' &&
		    strspn(v->text + (v->text[0] == '-' || v->text[0] == '+'), "0123456789") > 1 &&
		    !v->quoted) {
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
	const char *hint = NULL;
	if (!strcmp(type->text, "integer") && v->kind == N_STR && v->quoted)
		hint = "remove the quotes";
	report(c, v, "schema-type", hint, "expected %s, got %s", type_word(type->text), value_word(v));
	return false;
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


static bool pattern_match(const struct node *pattern, const char *s)
{
	struct regex_cache *rc = NULL;
	for (size_t i = 0; i < nregexes; i++)
		if (regexes[i].pattern == pattern)
			rc = &regexes[i];
	if (!rc) {
		if (nregexes == sizeof regexes / sizeof *regexes)
			return true;
		rc = &regexes[nregexes++];
		rc->pattern = pattern;
		rc->ok = regcomp(&rc->re, pattern->text, REG_EXTENDED | REG_NOSUB) == 0;
	}
	return !rc->ok || regexec(&rc->re, s, 0, NULL, 0) == 0;
}

static void validate(struct ctx *c, const struct node *s, const struct node *docroot,
		     const struct node *v);

static size_t try_branch(struct ctx *c, const struct node *s, const struct node *docroot,
			 const struct node *v)
{
	struct ctx probe = {.src = NULL, .path = c->path};
	validate(&probe, s, docroot, v);
	return probe.errors;
}

/* The branch an error report should follow: the first whose type fits the value. */
static const struct node *branch_for(const struct node *s, const struct node *docroot,
				     const struct node *v, const struct node **branch_root)
{
	const struct node *type = node_get(s, "type");
	const char *ref = node_get(s, "$ref") ? node_get(s, "$ref")->text : NULL;
	*branch_root = docroot;
	if (ref) {
		s = resolve_ref(ref, branch_root);
		if (!s)
			return NULL;
		type = node_get(s, "type");
	}
	if (!type)
		return NULL;
	if (type->kind == N_SEQ) {
		for (size_t i = 0; i < type->n; i++)
			if (kind_is(v, type->items[i]->text))
				return s;
		return NULL;
	}
	return kind_is(v, type->text) ? s : NULL;
}

static void validate_any_of(struct ctx *c, const struct node *branches, const struct node *docroot,
			    const struct node *v, bool one)
{
	size_t passed = 0;
	for (size_t i = 0; i < branches->n; i++)
		if (try_branch(c, branches->items[i], docroot, v) == 0)
			passed++;
	if (one ? passed == 1 : passed >= 1)
		return;
	if (passed > 1) {
		report(c, v, "schema-one-of", NULL, "matches more than one of the allowed forms");
		return;
	}
	for (size_t i = 0; i < branches->n; i++) {
		const struct node *root;
		const struct node *b = branch_for(branches->items[i], docroot, v, &root);
		if (b) {
			validate(c, b, root, v);
			return;
		}
	}
	/* No branch has the value's type: name the types the branches take. */
	char want[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < branches->n; i++) {
		const struct node *root = docroot, *b = branches->items[i];
		if (node_get(b, "$ref"))
			b = resolve_ref(node_get(b, "$ref")->text, &root);
		const struct node *t = node_get(b, "type");
		if (t && t->kind == N_STR)
			len += (size_t)snprintf(want + len, sizeof want - len, "%s%s",
						len ? " or " : "", type_word(t->text));
		if (len >= sizeof want)
			break;
	}
	report(c, v, "schema-type", NULL, "expected %s, got %s", len ? want : "another form",
	       value_word(v));
}

static void validate_object(struct ctx *c, const struct node *s, const struct node *docroot,
			    const struct node *v)
{
	const struct node *props = node_get(s, "properties");
	const struct node *addl = node_get_pair(s, "additionalProperties")
					  ? node_get_pair(s, "additionalProperties")->value
					  : NULL;
	const struct node *req = node_get(s, "required");
	for (size_t i = 0; req && i < req->n; i++) {
		const char *name = req->items[i]->text;
		if (!node_get(v, name)) {
			const struct pair *p = node_get_pair(v, name);
			report(c, p ? p->key : v, "schema-required", NULL,
			       p ? "'%s' is required and cannot be null" : "missing required key '%s'", name);
		}
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct node *key = v->pairs[i].key, *val = v->pairs[i].value;
		const struct node *sub = props ? node_get(props, key->text) : NULL;
		size_t saved = path_push_key(&c->path, key->text);
		if (sub) {
			if (val->kind != N_NULL)
				validate(c, sub, docroot, val);
		} else if (addl && addl->kind == N_BOOL && !addl->num) {
			const char *cands[128];
			size_t n = 0;
			for (size_t k = 0; props && k < props->n && n < 128; k++)
				cands[n++] = props->pairs[k].key->text;
			const char *near = closest_word(key->text, cands, n);
			char hint[256];
			if (near)
				snprintf(hint, sizeof hint, "did you mean '%s'?", near);
			report(c, key, "schema-unknown-key", near ? hint : NULL, "unknown key '%s'", key->text);
		} else if (addl && addl->kind == N_MAP) {
			validate(c, addl, docroot, val);
		}
		path_pop(&c->path, saved);
	}
}

static void validate(struct ctx *c, const struct node *s, const struct node *docroot,
		     const struct node *v)
{
	if (!s || s->kind != N_MAP)
		return;
	const struct node *k;
	if ((k = node_get(s, "$ref"))) {
		const struct node *root = docroot;
		const struct node *target = resolve_ref(k->text, &root);
		if (target)
			validate(c, target, root, v);
	}
	if ((k = node_get(s, "anyOf")))
		validate_any_of(c, k, docroot, v, false);
	if ((k = node_get(s, "oneOf")))
		validate_any_of(c, k, docroot, v, true);
	if ((k = node_get(s, "type")) && !check_type(c, k, v))
		return;
	if ((k = node_get(s, "const")) && !scalar_equal(k, v)) {
		report(c, v, "schema-const", NULL, "expected '%s', got '%s'", k->text,
		       node_is_scalar(v) ? v->text : node_kind_name(v->kind));
		return;
	}
	if ((k = node_get(s, "enum"))) {
		bool found = false;
		for (size_t i = 0; i < k->n && !found; i++)
			found = scalar_equal(k->items[i], v);
		if (!found) {
			char vals[512];
			list_values(k, vals, sizeof vals);
			const char *near = NULL;
			char hint[256];
			if (node_is_scalar(v)) {
				const char *cands[32];
				size_t n = 0;
				for (size_t i = 0; i < k->n && n < 32; i++)
					cands[n++] = k->items[i]->text;
				near = closest_word(v->text, cands, n);
				if (near)
					snprintf(hint, sizeof hint, "did you mean '%s'?", near);
			}
			report(c, v, "schema-enum", near ? hint : NULL, "'%s' is not one of: %s",
			       node_is_scalar(v) ? v->text : node_kind_name(v->kind), vals);
		}
	}
	if (v->kind == N_STR) {
		if ((k = node_get(s, "pattern")) && !pattern_match(k, v->text)) {
			const struct node *title = node_get(s, "title");
			if (title)
				report(c, v, "schema-pattern", NULL, "'%s' is not %s", v->text, title->text);
			else
				report(c, v, "schema-pattern", NULL, "'%s' does not match the pattern %s",
				       v->text, k->text);
		}
		if ((k = node_get(s, "minLength")) && utf8_length(v->text) < (size_t)k->num) {
			if (k->num == 1)
				report(c, v, "schema-length", NULL, "must not be empty");
			else
				report(c, v, "schema-length", NULL, "must be at least %lld characters long", k->num);
		}
		if ((k = node_get(s, "maxLength")) && utf8_length(v->text) > (size_t)k->num)
			report(c, v, "schema-length", NULL, "must be at most %lld characters long", k->num);
	}
	if (v->kind == N_INT) {
		if ((k = node_get(s, "minimum")) && v->num < k->num)
			report(c, v, "schema-minimum", NULL, "must be at least %lld, got %lld", k->num, v->num);
		if ((k = node_get(s, "maximum")) && v->num > k->num)
			report(c, v, "schema-maximum", NULL, "must be at most %lld, got %lld", k->num, v->num);
	}
	if (v->kind == N_SEQ) {
		if ((k = node_get(s, "minItems")) && v->n < (size_t)k->num)
			report(c, v, "schema-items", NULL, "needs at least %lld items", k->num);
		if ((k = node_get(s, "items"))) {
			for (size_t i = 0; i < v->n; i++) {
				size_t saved = path_push_index(&c->path, i);
				validate(c, k, docroot, v->items[i]);
				path_pop(&c->path, saved);
			}
		}
	}
	if (v->kind == N_MAP && (node_get(s, "properties") || node_get(s, "required") ||
				 node_get_pair(s, "additionalProperties")))
		validate_object(c, s, docroot, v);
}

bool schema_validate(const struct node *doc, struct diag_src *src)
{
	const struct node *root = schema_job();
	struct ctx c = {.src = src};
	validate(&c, root, root, doc);
	return c.errors == 0;
}

/* ---- coercion ------------------------------------------------------------------ */

static bool type_allows(const struct node *type, const char *want)
{
	if (!type)
		return false;
	if (type->kind == N_SEQ) {
		for (size_t i = 0; i < type->n; i++)
			if (!strcmp(type->items[i]->text, want))
				return true;
		return false;
	}
	return !strcmp(type->text, want);
}

static struct node *coerce(struct arena *a, const struct node *s, const struct node *docroot,
			   const struct node *v)
{
	/* follow $ref and take the first anyOf branch whose type fits */
	for (int guard = 0; s && guard < 16; guard++) {
		const struct node *ref = node_get(s, "$ref");
		if (!ref)
			break;
		s = resolve_ref(ref->text, &docroot);
	}
	const struct node *type = node_get(s, "type");
	const struct node *any = node_get(s, "anyOf");
	if (node_is_scalar(v)) {
		if (v->kind == N_STR || v->kind == N_NULL)
			return (struct node *)v;
		/* A field whose type includes string is a text field (the job schema lists
		 * number and boolean beside it only to accept them as text). An
		 * int-or-string field (anyOf) keeps an integer. */
		bool to_text = type_allows(type, "string");
		const char *native = v->kind == N_BOOL ? "boolean" : v->kind == N_INT ? "integer" : "number";
		for (size_t i = 0; !type && any && i < any->n; i++) {
			const struct node *t = node_get(any->items[i], "type");
			if (type_allows(t, native))
				return (struct node *)v;
			to_text = to_text || type_allows(t, "string");
		}
		if (!to_text)
			return (struct node *)v;
		struct node *str = node_strn(a, v->text, v->len);
		str->line = v->line;
		str->col = v->col;
		return str;
	}
	struct node *out = node_new(a, v->kind);
	out->line = v->line;
	out->col = v->col;
	if (v->kind == N_SEQ) {
		const struct node *items = node_get(s, "items");
		for (size_t i = 0; i < v->n; i++)
			node_push(a, out, coerce(a, items, docroot, v->items[i]));
	} else {
		const struct node *props = node_get(s, "properties");
		const struct pair *addl = node_get_pair(s, "additionalProperties");
		for (size_t i = 0; i < v->n; i++) {
			const struct node *val = v->pairs[i].value;
			if (val->kind == N_NULL)
				continue;       /* not set */
			const struct node *sub = props ? node_get(props, v->pairs[i].key->text) : NULL;
			if (!sub && addl && addl->value->kind == N_MAP)
				sub = addl->value;
			node_set(a, out, v->pairs[i].key->text, coerce(a, sub, docroot, val));
		}
	}
	return out;
}

struct node *schema_coerce(struct arena *a, const char *ref, const struct node *value)
{
	const struct node *root = schema_job();
	const struct node *s = resolve_ref(ref, &root);
	return coerce(a, s, root, value);
}
