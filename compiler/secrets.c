/* secrets.c - see secrets.h. */
#include "secrets.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Every word below holds "ke", "cr" or "ssw": a name with none of them (most keys of a
 * job) is answered without the lower-case copy, since the walk asks for every key. */
static bool may_name_secret(const char *name)
{
	for (const char *p = name; p[0] && p[1]; p++) {
		char a = (char)tolower((unsigned char)p[0]), b = (char)tolower((unsigned char)p[1]);
		if ((a == 'k' && b == 'e') || (a == 'c' && b == 'r') ||
		    (a == 's' && b == 's' && tolower((unsigned char)p[2]) == 'w'))
			return true;
	}
	return false;
}

bool secret_name(const char *name)
{
	if (!may_name_secret(name))
		return false;
	static const char *const pointers[] = {"_file", "_path", "_dir", ".file", ".path", ".dir",
					       ".provider", ".type"};
	static const char *const words[] = {"secret", "password", "passwd", "token", "access_key",
					    "accesskey", "access.key", "access-key", "api_key", "apikey"};
	char lower[256];
	size_t n = strlen(name);
	if (n >= sizeof lower)
		n = sizeof lower - 1;
	for (size_t i = 0; i < n; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[n] = '\0';
	for (size_t i = 0; i < sizeof pointers / sizeof *pointers; i++) {
		size_t pl = strlen(pointers[i]);
		if (n >= pl && !strcmp(lower + n - pl, pointers[i]))
			return false;
	}
	if (!strncmp(name, "spark.kubernetes.", 17) &&
	    (strstr(name, ".secrets.") || strstr(name, ".secretKeyRef.")))
		return false;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(lower, words[i]))
			return true;
	return false;
}

static bool literal(const struct node *v)
{
	return node_is_text(v) && v->len;
}

void secrets_flagged(const struct node *spec, secret_fn *fn, void *ctx)
{
	struct secret s;
	const struct node *env = node_get(spec, "env");
	for (size_t i = 0; env && env->kind == N_SEQ && i < env->n; i++) {
		const struct node *name = node_get(env->items[i], "name");
		const struct node *value = node_get(env->items[i], "value");
		if (!node_is_text(name) || !literal(value) || !secret_name(name->text))
			continue;
		s = (struct secret){.kind = SECRET_ENV, .value = value, .name = name->text};
		snprintf(s.path, sizeof s.path, "spec.env[%zu].value", i);
		fn(&s, ctx);
	}
	static const char *const confs[] = {"spark_conf", "hadoop_conf"};
	for (size_t k = 0; k < 2; k++) {
		const struct node *conf = node_get(spec, confs[k]);
		for (size_t i = 0; conf && conf->kind == N_MAP && i < conf->n; i++) {
			const struct node *key = conf->pairs[i].key, *v = conf->pairs[i].value;
			if (!literal(v) || !secret_name(key->text))
				continue;
			s = (struct secret){.kind = SECRET_CONF, .value = v, .name = key->text};
			snprintf(s.path, sizeof s.path, "spec.%s.%s", confs[k], key->text);
			fn(&s, ctx);
		}
	}
	const struct node *vols = node_get(spec, "volumes");
	for (size_t i = 0; vols && vols->kind == N_SEQ && i < vols->n; i++) {
		const struct node *ak = node_get(node_at(vols->items[i], "flexVolume.options"), "accessKey");
		if (!literal(ak))
			continue;
		s = (struct secret){.kind = SECRET_ACCESS_KEY, .value = ak, .name = "accessKey"};
		snprintf(s.path, sizeof s.path, "spec.volumes[%zu].flexVolume.options.accessKey", i);
		fn(&s, ctx);
	}
}

/* Fields whose value names a Kubernetes Secret rather than holding one. */
static bool names_a_secret_object(const char *key)
{
	return !strcmp(key, "access_key_secret") || !strcmp(key, "image_pull_secret") ||
	       !strcmp(key, "secretName");
}

static void walk(const struct node *n, void (*fn)(const struct node *, void *), void *ctx)
{
	if (!n || (n->kind != N_MAP && n->kind != N_SEQ))
		return;
	if (n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			walk(n->items[i], fn, ctx);
		return;
	}
	/* an env var's shape, {name: DB_PASSWORD, value: ...}, wherever it is */
	const struct node *name = node_get(n, "name"), *value = node_get(n, "value");
	if (node_is_text(name) && literal(value) && secret_name(name->text))
		fn(value, ctx);
	for (size_t i = 0; i < n->n; i++) {
		const struct node *k = n->pairs[i].key, *v = n->pairs[i].value;
		if (literal(v) && node_is_text(k) && secret_name(k->text) && !names_a_secret_object(k->text))
			fn(v, ctx);
		walk(v, fn, ctx);
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
	secrets_flagged(node_get(doc, "spec"), pass_value, &f);
	walk(doc, fn, ctx);
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
		} else if (ch == ':' && (line[i + 1] == ' ' || !line[i + 1])) {
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
			while (line[v] == ' ')
				v++;
			size_t end = v;
			if (line[v] == '"' || line[v] == '\'')
				end = v + quoted_scalar_length(line + v);
			else
				while (line[end] && !(flow && strchr(",}]", line[end])) &&
				       !(line[end] == ' ' && line[end + 1] == '#'))
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
	size_t (*spans)[2], n, max;
	size_t values[8][2], nvalues;   /* the `value:`s, secret if env_name */
};

static void scan_pair(const char *key, size_t from, size_t to, void *ctx)
{
	struct line_scan *ls = ctx;
	if (from == to || ls->line[from] == '|' || ls->line[from] == '>')
		return;
	if (!strcmp(key, "name")) {
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(to - from), ls->line + from);
		ls->env_name = ls->env_name || secret_name(name);
	} else if (!strcmp(key, "value")) {
		if (ls->nvalues < 8) {
			ls->values[ls->nvalues][0] = from;
			ls->values[ls->nvalues++][1] = to;
		}
	} else if (secret_name(key) && !names_a_secret_object(key) && ls->n < ls->max) {
		ls->spans[ls->n][0] = from;
		ls->spans[ls->n++][1] = to;
	}
}

size_t secrets_in_line(const char *line, bool env_name_above, size_t (*spans)[2], size_t max)
{
	struct line_scan ls = {.line = line, .env_name = env_name_above, .spans = spans, .max = max};
	each_pair(line, scan_pair, &ls);
	for (size_t i = 0; ls.env_name && i < ls.nvalues && ls.n < max; i++) {
		spans[ls.n][0] = ls.values[i][0];
		spans[ls.n++][1] = ls.values[i][1];
	}
	return ls.n;
}

bool secrets_line_names_one(const char *line)
{
	struct line_scan ls = {.line = line};
	each_pair(line, scan_pair, &ls);
	return ls.env_name;
}
