/* secrets.c - see secrets.h. */
#include "secrets.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"

/* Every word below holds "ke", "cr", "ss" or "pw": a name with none of them (most keys
 * of a job) is answered without splitting it, since the walk asks for every key. */
static bool may_name_secret(const char *name)
{
	for (const char *p = name; p[0] && p[1]; p++) {
		char a = (char)tolower((unsigned char)p[0]), b = (char)tolower((unsigned char)p[1]);
		if ((a == 'k' && b == 'e') || (a == 'c' && b == 'r') || (a == 's' && b == 's') ||
		    (a == 'p' && b == 'w'))
			return true;
	}
	return false;
}

enum { WORDS = 24, WORD = 32 };

/* The words of a name, lower-case: split at anything not a letter or digit (_ - .) and
 * where camelCase turns (fooBar, APIKey -> api key). Returns how many, at most WORDS. */
static size_t name_words(const char *name, char (*words)[WORD])
{
	size_t n = 0, len = 0;
	for (const unsigned char *p = (const unsigned char *)name;; p++) {
		bool alnum = *p && isalnum(*p);
		bool turn = alnum && len && isupper(*p) &&
			    (islower(p[-1]) || isdigit(p[-1]) || (isupper(p[-1]) && islower(p[1])));
		if ((!alnum || turn) && len) {
			words[n++][len < WORD ? len : WORD - 1] = '\0';
			len = 0;
			if (n == WORDS)
				return n;
		}
		if (!*p)
			return n;
		if (alnum && len < WORD - 1)
			words[n][len++] = (char)tolower(*p);
		else if (alnum)
			len++;
	}
}

static bool among(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

static bool names_secret(const char *name)
{
	if (!may_name_secret(name))
		return false;
	if (!strncmp(name, "spark.kubernetes.", 17) &&
	    (strstr(name, ".secrets.") || strstr(name, ".secretKeyRef.")))
		return false;
	char words[WORDS][WORD];
	size_t n = name_words(name, words);
	/* a name that ends so points at a secret rather than holding one */
	static const char *const pointers[] = {"file", "path", "dir", "provider", "type", "name", "url",
					       "uri", "endpoint", "header", "expiry", "seconds", "ttl",
					       "timeout", "length", "limit", "size", "count", NULL};
	if (!n || among(words[n - 1], pointers))
		return false;
	static const char *const alone[] = {"secret", "password", "passwd", "token", "apikey", "accesskey",
					    "secretkey", "privatekey", NULL};
	static const char *const last[] = {"pass", "pwd", NULL};     /* DB_PWD, not PWD */
	static const char *const before_key[] = {"access", "api", "secret", "private", "ssh", "account",
						 "auth", NULL};
	for (size_t i = 0; i < n; i++) {
		if (among(words[i], alone) || (i == n - 1 && n > 1 && among(words[i], last)) ||
		    (i + 1 < n && !strcmp(words[i + 1], "key") && among(words[i], before_key)))
			return true;
	}
	return false;
}

bool secret_name(const char *name)
{
	/* Keys are the same few names in every document: each key's name is decided once
	 * (node.h: the atom of an interned key's text). */
	static unsigned char decided[NODE_ATOMS];       /* 0 not yet, 1 a secret's, 2 not */
	unsigned atom = node_text_atom(name);
	if (atom && decided[atom])
		return decided[atom] == 1;
	bool secret = names_secret(name);
	if (atom)
		decided[atom] = secret ? 1 : 2;
	return secret;
}

static bool literal(const struct node *v)
{
	return node_is_text(v) && v->len;
}

/* Where the rule looks, in each format, below the spec: env lists ({name, value}),
 * env maps (NAME: value: a manifest's envVars, which the operator's webhook sets on
 * the pods as env vars), conf maps; then volumes. */
struct secret_places {
	const char *env[2], *env_map[2], *conf[2];
};
static const struct secret_places job_places = {{"env", NULL}, {NULL, NULL}, {"spark_conf", "hadoop_conf"}};
static const struct secret_places manifest_places = {
	{"driver.env", "executor.env"}, {"driver.envVars", "executor.envVars"}, {"sparkConf", "hadoopConf"}};

/* Each literal value of a map whose key names a secret. */
static void flag_map(const struct node *map, enum secret_kind kind, const char *at, const char *field,
		     secret_fn *fn, void *ctx)
{
	for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++) {
		const struct node *key = map->pairs[i].key, *v = map->pairs[i].value;
		if (!literal(v) || !secret_name(key->text))
			continue;
		struct secret s = {.kind = kind, .value = v, .name = key->text};
		snprintf(s.path, sizeof s.path, "%s.%s.%s", at, field, key->text);
		fn(&s, ctx);
	}
}

void secrets_flagged(const struct node *doc, secret_fn *fn, void *ctx)
{
	struct secret s;
	const struct node *spec = node_get(doc, "spec");
	const char *at = "spec";
	const struct secret_places *places = &job_places;
	if (manifest_is(doc)) {
		places = &manifest_places;
		if (node_get(spec, "template")) {
			spec = node_get(spec, "template");
			at = "spec.template";
		}
	}
	for (size_t e = 0; e < 2 && places->env[e]; e++) {
		const struct node *env = node_at(spec, places->env[e]);
		for (size_t i = 0; env && env->kind == N_SEQ && i < env->n; i++) {
			const struct node *name = node_get(env->items[i], "name");
			const struct node *value = node_get(env->items[i], "value");
			if (!node_is_text(name) || !literal(value) || !secret_name(name->text))
				continue;
			s = (struct secret){.kind = SECRET_ENV, .value = value, .name = name->text};
			snprintf(s.path, sizeof s.path, "%s.%s[%zu].value", at, places->env[e], i);
			fn(&s, ctx);
		}
	}
	for (size_t e = 0; e < 2 && places->env_map[e]; e++)
		flag_map(node_at(spec, places->env_map[e]), SECRET_ENV_VARS, at, places->env_map[e], fn, ctx);
	for (size_t k = 0; k < 2; k++)
		flag_map(node_get(spec, places->conf[k]), SECRET_CONF, at, places->conf[k], fn, ctx);
	const struct node *vols = node_get(spec, "volumes");
	for (size_t i = 0; vols && vols->kind == N_SEQ && i < vols->n; i++) {
		const struct node *ak = node_get(node_at(vols->items[i], "flexVolume.options"), "accessKey");
		if (!literal(ak))
			continue;
		s = (struct secret){.kind = SECRET_ACCESS_KEY, .value = ak, .name = "accessKey"};
		snprintf(s.path, sizeof s.path, "%s.volumes[%zu].flexVolume.options.accessKey", at, i);
		fn(&s, ctx);
	}
}

/* Fields whose value names a Kubernetes Secret rather than holding one. */
static bool names_a_secret_object(const char *key)
{
	return !strcmp(key, "access_key_secret") || !strcmp(key, "image_pull_secret") ||
	       !strcmp(key, "secretName");
}

/* Every non-empty scalar under n: what a secret's name holds when its value is a
 * list or a mapping (a wrong type, but its text is still the secret). */
static void each_scalar(const struct node *n, void (*fn)(const struct node *, void *), void *ctx)
{
	if (literal(n)) {
		fn(n, ctx);
	} else if (n && n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			each_scalar(n->items[i], fn, ctx);
	} else if (n && n->kind == N_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			each_scalar(n->pairs[i].key, fn, ctx);
			each_scalar(n->pairs[i].value, fn, ctx);
		}
	}
}

/* The keys of maps of settings (walk); the first byte rules out most keys, as this is
 * asked of every key of a document that draws a diagnostic. */
static bool settings_key(const struct node *k)
{
	const char *t = k->text;
	if (!node_is_scalar(k))
		return false;
	return (t[0] == 's' && !strcmp(t, "spark_conf")) || (t[0] == 'h' && !strcmp(t, "hadoop_conf")) ||
	       (t[0] == 'o' && !strcmp(t, "options"));
}

/* settings: n is a map of settings whose values are text (spark_conf, hadoop_conf, a
 * flexVolume's options), where a list or mapping under a secret's name is the secret
 * written as the wrong type; elsewhere such a name may head an object of its own
 * (secretKeyRef: {name: ..., key: ...}). */
static void walk(const struct node *n, bool settings, void (*fn)(const struct node *, void *), void *ctx)
{
	if (!n || (n->kind != N_MAP && n->kind != N_SEQ))
		return;
	if (n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			walk(n->items[i], false, fn, ctx);
		return;
	}
	/* an env var's shape, {name: DB_PASSWORD, value: ...}, wherever it is */
	const struct node *name = node_get(n, "name"), *value = node_get(n, "value");
	if (node_is_text(name) && secret_name(name->text))
		each_scalar(value, fn, ctx);
	for (size_t i = 0; i < n->n; i++) {
		const struct node *k = n->pairs[i].key, *v = n->pairs[i].value;
		bool secret = node_is_text(k) && secret_name(k->text) && !names_a_secret_object(k->text);
		if (secret && (literal(v) || settings))
			each_scalar(v, fn, ctx);
		else
			walk(v, settings_key(k), fn, ctx);
	}
}

struct flagged_ctx {
	void (*fn)(const struct node *, void *);
	void *ctx;
};

static void pass_value(const struct secret *s, void *ctx)
{
	struct flagged_ctx *f = ctx;
	f->fn(s->value, f->ctx);
}

void secrets_to_mask(const struct node *doc, void (*fn)(const struct node *value, void *ctx), void *ctx)
{
	struct flagged_ctx f = {fn, ctx};
	secrets_flagged(doc, pass_value, &f);
	walk(doc, false, fn, ctx);
}

struct collection {
	const struct node ***v;
	size_t n, *cap;
};

static void collect_one(const struct node *value, void *ctx)
{
	struct collection *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		if ((*c->v)[i] == value)
			return;
	if (c->n == *c->cap)
		*c->v = xrealloc(*c->v, (*c->cap = *c->cap ? *c->cap * 2 : 8) * sizeof **c->v);
	(*c->v)[c->n++] = value;
}

size_t secrets_collect(const struct node *doc, const struct node ***v, size_t *cap)
{
	struct collection c = {v, 0, cap};
	secrets_to_mask(doc, collect_one, &c);
	return c.n;
}

/* ---- the same from a line's text ------------------------------------------------- */

size_t quoted_scalar_length(const char *s)
{
	size_t t = 1;
	for (; s[t]; t++) {
		if (s[0] == '"' && s[t] == '\\' && s[t + 1])
			t++;
		else if (s[0] == '\'' && s[t] == '\'' && s[t + 1] == '\'')
			t++;
		else if (s[t] == s[0])
			return t + 1;
	}
	return t;
}

/* Each `key: value` of a line: calls fn with the key (without its quotes) and the
 * value's byte range. Flow collections end a plain value at , } or ]. */
static void each_pair(const char *line, void (*fn)(const char *key, size_t from, size_t to, void *ctx),
		      void *ctx)
{
	size_t key_start = 0;
	int flow = 0;
	for (size_t i = 0; line[i];) {
		char ch = line[i];
		if (ch == '"' || ch == '\'') {
			i += quoted_scalar_length(line + i);
			continue;
		}
		if (ch == '{' || ch == '[' || ch == ',' || (ch == '-' && (line[i + 1] == ' ' || !line[i + 1]))) {
			flow += ch == '{' || ch == '[';
			key_start = i + 1;
		} else if (ch == '}' || ch == ']') {
			flow -= flow > 0;
			key_start = i + 1;
		} else if (ch == '#' && (i == 0 || line[i - 1] == ' ')) {
			return;
		} else if (ch == ':' && (line[i + 1] == ' ' || line[i + 1] == '\t' || !line[i + 1] ||
				       (i > key_start && (line[i - 1] == '"' || line[i - 1] == '\'')))) {
			/* `key: value`, and JSON's `"key":"value"` */
			char key[256];
			size_t a = key_start, b = i;
			while (a < b && (line[a] == ' ' || line[a] == '\t'))
				a++;
			if (a < b && (line[a] == '"' || line[a] == '\'') && line[b - 1] == line[a] && b - a >= 2) {
				a++;
				b--;
			}
			snprintf(key, sizeof key, "%.*s", (int)(b - a), line + a);
			size_t v = i + 1;
			while (line[v] == ' ' || line[v] == '\t')
				v++;
			if (line[v] == '{' || line[v] == '[') {
				fn(key, v, v, ctx);     /* a collection: its own pairs follow */
				i = v;
				continue;
			}
			size_t end = v;
			if (line[v] == '"' || line[v] == '\'')
				end = v + quoted_scalar_length(line + v);
			else
				while (line[end] && !(flow && strchr(",}]", line[end])) &&
				       !(line[end] == ' ' && line[end + 1] == '#') &&
				       !(end > v && line[end] == ':' && (line[end + 1] == ' ' || !line[end + 1])))
					end++;
			while (end > v && line[end - 1] == ' ')
				end--;
			fn(key, v, end, ctx);
			i = end > i + 1 ? end : i + 1;
			key_start = i;
			continue;
		}
		i++;
	}
}

struct line_scan {
	const char *line;
	bool env_name;          /* a `name:` naming a secret: its `value:` is one */
	/* the values found, in order: a secret's, or a `value:` (secret if env_name) */
	struct { size_t from, to; bool value; } found[32];
	size_t nfound;
	bool after_secret;      /* the last pair's value was found */
};

static void scan_pair(const char *key, size_t from, size_t to, void *ctx)
{
	struct line_scan *ls = ctx;
	bool after = ls->after_secret;
	ls->after_secret = false;
	if (from == to)
		return;
	bool value = !strcmp(key, "value");
	if (!strcmp(key, "name")) {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(to - from), ls->line + from);
		ls->env_name = ls->env_name || secret_name(name);
	} else if ((value || (!*key && after) || (secret_name(key) && !names_a_secret_object(key))) &&
		   ls->nfound < sizeof ls->found / sizeof *ls->found) {
		/* `!*key && after`: `password: abc: def`, a plain value that YAML cut at `: ` */
		ls->found[ls->nfound].from = from;
		ls->found[ls->nfound].to = to;
		ls->found[ls->nfound++].value = value;
		ls->after_secret = true;
	}
}

/* secrets_in_line, with block scalar indicators (| or >, whose text is on the lines
 * below) when blocks is set. */
static size_t in_line(const char *line, bool env_name_above, bool blocks, size_t (*spans)[2], size_t max)
{
	struct line_scan ls = {.line = line, .env_name = env_name_above};
	each_pair(line, scan_pair, &ls);
	size_t n = 0;
	for (size_t i = 0; i < ls.nfound && n < max; i++) {
		char c = line[ls.found[i].from];
		if ((ls.found[i].value && !ls.env_name) || (!blocks && (c == '|' || c == '>')))
			continue;
		spans[n][0] = ls.found[i].from;
		spans[n++][1] = ls.found[i].to;
	}
	return n;
}

size_t secrets_in_line(const char *line, bool env_name_above, size_t (*spans)[2], size_t max)
{
	return in_line(line, env_name_above, false, spans, max);
}

bool secrets_line_names_one(const char *line)
{
	struct line_scan ls = {.line = line};
	each_pair(line, scan_pair, &ls);
	return ls.env_name;
}

char secrets_line_leaves_open(const char *line, bool env_name_above)
{
	size_t spans[32][2];
	size_t n = in_line(line, env_name_above, true, spans, 32);
	if (!n)
		return 0;
	size_t from = spans[n - 1][0], to = spans[n - 1][1];
	char c = line[from];
	if (c == '"' || c == '\'') {
		size_t t = 1;
		for (const char *q = line + from; q[t]; t++) {
			if (q[t] == c && !(c == '\'' && q[t + 1] == '\''))
				return 0;
			if ((c == '"' && q[t] == '\\') || (c == '\'' && q[t] == '\''))
				t += q[t + 1] != '\0';
		}
		return c;
	}
	if (c == '|' || c == '>')
		return 'b';
	size_t rest = to + strspn(line + to, " \t");
	return !line[rest] || line[rest] == '#' ? 'p' : 0;
}
