/* secrets.c - see secrets.h. */
#include "secrets.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "manifest.h"
#include "path.h"

/* Every word below, and every near miss of one, holds one of these pairs of letters: a
 * name with none of them (most keys of a job) is answered without splitting it, since
 * the walk asks for every key. */
static bool may_name_secret(const char *name)
{
	static const char pairs[][3] = {"ke", "cr", "ss", "pw", "ec", "et", "wo", "rd", "au", "as"};
	for (const char *p = name; p[0] && p[1]; p++) {
		char a = (char)tolower((unsigned char)p[0]), b = (char)tolower((unsigned char)p[1]);
		for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
			if (a == pairs[i][0] && b == pairs[i][1])
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

/* Whether w is word, or one edit from it (a letter changed, added, dropped, or two
 * swapped): DB_PASWORD, spark.authenticate.secre. Words of five letters or more only. */
static bool near(const char *w, const char *word)
{
	size_t a = strlen(w), b = strlen(word), i = 0;
	if (a < 5 || a > b + 1 || b > a + 1)
		return false;
	while (i < a && i < b && w[i] == word[i])
		i++;
	if (i == a && i == b)
		return true;
	if (a == b)
		return !strcmp(w + i + 1, word + i + 1) ||
		       (i + 1 < a && w[i] == word[i + 1] && w[i + 1] == word[i] && !strcmp(w + i + 2, word + i + 2));
	return a < b ? !strcmp(w + i, word + i + 1) : !strcmp(w + i + 1, word + i);
}

static bool ends_with_word(const char *w, const char *end)
{
	size_t n = strlen(w), k = strlen(end);
	return n > k && !strcmp(w + n - k, end);
}

static bool names_secret(const char *name)
{
	if (!may_name_secret(name))
		return false;
	/* names of Kubernetes Secrets to mount, not secrets: Spark's running-on-kubernetes.md,
	 * spark.kubernetes.{driver,executor}.secrets.*, .secretKeyRef.* and
	 * spark.kubernetes.kerberos.tokenSecret.{name,itemKey} */
	if (!strncmp(name, "spark.kubernetes.", 17) &&
	    (strstr(name, ".secrets.") || strstr(name, ".secretKeyRef.") || strstr(name, ".tokenSecret.")))
		return false;
	char words[WORDS][WORD];
	size_t n = name_words(name, words);
	/* a name that ends so points at a secret, or says how one is used, rather than
	 * holding one */
	static const char *const pointers[] = {"file", "path", "dir", "provider", "type", "name", "url",
					       "uri", "endpoint", "header", "expiry", "seconds", "ttl",
					       "timeout", "length", "limit", "size", "count", "location", "profile",
					       "enabled", "required", "mode", "method", "algorithm", "version",
					       "format", "policy", "interval", "ratio", "threshold", "id", "regex",
					       "pattern", NULL};
	if (!n || among(words[n - 1], pointers) || !strcmp(name, "GOOGLE_APPLICATION_CREDENTIALS"))
		return false;   /* Google Cloud's: the path of a credentials file */
	/* anywhere in the name, and as the end of a word (PGPASSWORD, clientsecret) */
	static const char *const alone[] = {"secret", "password", "passwd", "passphrase", "token", "apikey",
					    "accesskey", "secretkey", "privatekey", NULL};
	static const char *const ending[] = {"password", "passwd", "passphrase", "secret", "token", NULL};
	/* as the last word only: DB_PWD, spark.redis.auth, MLRUN_AUTH_SESSION (not PWD,
	 * not spark.sql.session.timeZone) */
	static const char *const last[] = {"pass", "pwd", "auth", "session", "credential", "credentials", NULL};
	static const char *const before_key[] = {"access", "api", "secret", "private", "ssh", "account",
						 "auth", NULL};
	for (size_t i = 0; i < n; i++) {
		const char *w = words[i];
		bool ends = false;
		for (size_t k = 0; ending[k] && !ends; k++)
			ends = ends_with_word(w, ending[k]);
		/* a near miss, but never "secrets", Kubernetes' word for a list of Secrets' names */
		bool miss = near(w, "password") || (near(w, "secret") && strcmp(w, "secrets")) ||
			    (i == n - 1 && near(w, "credential"));
		/* one word split in two by its capitals (dbPassWord, PassPhrase) */
		char joined[2 * WORD];
		bool split = i + 1 < n && snprintf(joined, sizeof joined, "%s%s", w, words[i + 1]) > 0 &&
			     among(joined, alone);
		if (among(w, alone) || ends || miss || split || (i == n - 1 && n > 1 && among(w, last)) ||
		    (i + 1 < n && !strcmp(words[i + 1], "key") && among(w, before_key)))
			return true;
	}
	return false;
}

bool secret_name(const char *name)
{
	/* Keys are the same few names in every document: each key's name is decided once
	 * (node.h: the atom of an interned key's text). */
	static unsigned char decided[NODE_ATOMS];       /* 0 not yet, 1 a secret's, 2 not */
	unsigned atom = node_find_atom(name);   /* also a name read again from its line */
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

/* A password that follows a URL's "scheme://user:" up to its '@' (RFC 3986, section
 * 3.2.1: "user:password" in the userinfo field is deprecated, clear text having
 * proven a security risk), or a connection property's "password=" / "pwd=" after
 * '?', '&', ';' or ':' (PostgreSQL's and MySQL's JDBC URLs, SQL Server's and ODBC's
 * connection strings). Empty, or a variable (${...}, $VAR), it is none. */
static bool password_at(const char *p)
{
	return *p && *p != '$' && *p != '{' && *p != '@' && *p != '&' && *p != ';';
}

static bool holds_password(const char *text)
{
	for (const char *p = strstr(text, "://"); p; p = strstr(p + 3, "://")) {
		size_t authority = strcspn(p + 3, "/?#");
		const char *at = NULL, *colon = NULL;
		for (const char *c = p + 3; c < p + 3 + authority; c++)
			if (*c == '@')
				at = c;
		for (const char *c = p + 3; at && c < at && !colon; c++)
			if (*c == ':')
				colon = c;
		if (colon && password_at(colon + 1))
			return true;
	}
	/* a property starts after a separator: only there is its name compared (every
	 * literal value of a job passes here, most of them with none) */
	for (const char *p = text; *p; p++) {
		char before = p > text ? p[-1] : '\0';
		if (before != '?' && before != '&' && before != ';' && before != ':')
			continue;
		size_t n = !strncasecmp(p, "password=", 9) ? 9 : !strncasecmp(p, "pwd=", 4) ? 4 : 0;
		if (n && password_at(p + n))
			return true;
	}
	return false;
}

/* A literal the rule flags: not a switch (ENABLE_AUTH: "true" says whether, not what). */
static bool flagged_literal(const struct node *v)
{
	return literal(v) && strcasecmp(v->text, "true") && strcasecmp(v->text, "false");
}

/* Whether the rule flags v, the value of name: a literal, not a switch, that its name
 * says is a secret or that holds a password itself. */
static bool flags(const char *name, const struct node *v)
{
	return flagged_literal(v) && (secret_name(name) || holds_password(v->text));
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
		if (!flags(key->text, v))
			continue;
		struct secret s = {.kind = kind, .value = v, .name = key->text};
		snprintf(s.path, sizeof s.path, "%s.%s.%s", at, field, key->text);
		fn(&s, ctx);
	}
}

/* A Kubernetes Secret's stringData and data: all of it is the secret (data's base64 is
 * no encryption). */
static void flag_secret_object(const struct node *doc, secret_fn *fn, void *ctx)
{
	static const char *const fields[] = {"stringData", "data"};
	for (size_t f = 0; f < 2; f++) {
		const struct node *map = node_get(doc, fields[f]);
		for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++) {
			const struct node *key = map->pairs[i].key, *v = map->pairs[i].value;
			if (!literal(v))
				continue;
			struct secret s = {.kind = SECRET_OBJECT, .value = v, .name = key->text};
			snprintf(s.path, sizeof s.path, "%s.%s", fields[f], key->text);
			fn(&s, ctx);
		}
	}
}

void secrets_flagged(const struct node *doc, secret_fn *fn, void *ctx)
{
	struct secret s;
	if (node_text_eq(node_get(doc, "kind"), "Secret") && node_text_eq(node_get(doc, "apiVersion"), "v1")) {
		flag_secret_object(doc, fn, ctx);
		return;
	}
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
			if (!node_is_text(name) || !flags(name->text, value))
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

/* Fields whose value names a Kubernetes Secret rather than holding one (the last two:
 * the templates' secret_env, MLRun's global_function_env_secret_name and
 * project_secret_name). */
static bool names_a_secret_object(const char *key)
{
	static const char *const refs[] = {"access_key_secret", "image_pull_secret", "secretName", "secretKeyRef",
					   "secretRef", "envSecretKeyRefs", "global_secret", "project_secret", NULL};
	return among(key, refs);
}

/* Every non-empty scalar under n but a switch: what a secret's name holds when its
 * value is a list or a mapping (a wrong type, but its text is still the secret). A
 * switch (mount_otlp_secret: true) says whether, not what: masked, its text would hide
 * every "true" of the document's messages. */
static void each_scalar(const struct node *n, void (*fn)(const struct node *, void *), void *ctx)
{
	if (flagged_literal(n)) {
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

/* A value the templates make of their variables (${user}, mlrun-project-secrets-
 * ${project}): a name or setting given elsewhere, checked there. */
static bool variable(const struct node *v)
{
	const char *open = strstr(v->text, "${");
	return open && strchr(open, '}');
}

struct template_walk {
	secret_fn *fn;
	void *ctx;
	struct path path;
};

static void report(struct template_walk *w, enum secret_kind kind, const struct node *v, const char *name,
		   const char *last)
{
	struct secret s = {.kind = kind, .value = v, .name = name};
	size_t saved = last ? path_push_key(&w->path, last) : w->path.len;
	size_t n = w->path.len < sizeof s.path ? w->path.len : sizeof s.path - 1;
	memcpy(s.path, w->path.buf, n);
	s.path[n] = '\0';
	path_pop(&w->path, saved);
	w->fn(&s, w->ctx);
}

static void walk_template(struct template_walk *w, const struct node *n)
{
	if (n && n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++) {
			size_t saved = path_push_index(&w->path, i);
			walk_template(w, n->items[i]);
			path_pop(&w->path, saved);
		}
		return;
	}
	if (!n || n->kind != N_MAP)
		return;
	const struct node *name = node_get(n, "name"), *value = node_get(n, "value");
	if (node_is_text(name) && flags(name->text, value) && !variable(value))
		report(w, SECRET_ENV, value, name->text, "value");
	for (size_t i = 0; i < n->n; i++) {
		const struct node *k = n->pairs[i].key, *v = n->pairs[i].value;
		size_t saved = path_push_key(&w->path, k->text);
		if (flagged_literal(v) && !variable(v) &&
		    ((secret_name(k->text) && !names_a_secret_object(k->text)) || holds_password(v->text)))
			report(w, strcmp(k->text, "accessKey") ? SECRET_CONF : SECRET_ACCESS_KEY, v, k->text, NULL);
		else if (!node_is_text(v))
			walk_template(w, v);
		path_pop(&w->path, saved);
	}
}

void secrets_in_template(const struct node *root, secret_fn *fn, void *ctx)
{
	struct template_walk w = {.fn = fn, .ctx = ctx};
	walk_template(&w, root);
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

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A scalar as written, s[0, n): its text into out (at most size - 1 bytes), quotes
 * removed and escapes decoded as YAML does ("DB_P\x41SSWORD" is DB_PASSWORD), so that
 * a name is known however it is spelled. A code point above ASCII is kept as '?': no
 * secret word holds one. */
static void scalar_text(const char *s, size_t n, char *out, size_t size)
{
	size_t k = 0;
	char q = n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0] ? s[0] : 0;
	if (q)
		s++, n -= 2;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		char c = s[i];
		if (q == '\'' && c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			i++;
		} else if (q == '"' && c == '\\' && i + 1 < n) {
			char e = s[++i];
			int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
			if (digits) {
				unsigned long v = 0;
				for (int d = 0; d < digits && i + 1 < n && hex_digit(s[i + 1]) >= 0; d++)
					v = v * 16 + (unsigned long)hex_digit(s[++i]);
				c = v < 0x80 ? (char)v : '?';
			} else {
				c = e == 't' ? '\t' : e == 'n' ? '\n' : e == '0' ? '\0' : e;
			}
			if (!c)
				break;
		}
		out[k++] = c;
	}
	out[k] = '\0';
}

/* The length of a plain scalar at s: to the line's end, a comment, a ": ", or in a flow
 * collection a , } or ]. */
static size_t plain_length(const char *s, bool flow)
{
	size_t end = 0;
	while (s[end] && !(flow && strchr(",}]", s[end])) && !(s[end] == ' ' && s[end + 1] == '#') &&
	       !(end > 0 && s[end] == ':' && (s[end + 1] == ' ' || !s[end + 1])))
		end++;
	while (end > 0 && s[end - 1] == ' ')
		end--;
	return end;
}

/* The length of the line starting at s, up to its line break or end: the source window
 * is no C string, so strcspn could read past it. */
static size_t line_length(const char *s, const char *end)
{
	const char *e = s;
	while (e < end && *e != '\r' && *e != '\n')
		e++;
	return (size_t)(e - s);
}

/* An alias *name written on a line of the document: its anchor's scalar (&name value)
 * from the document's text, decoded into out; false when not found there. */
static bool alias_text(const struct secret_text *doc, const char *name, size_t n, char *out, size_t size)
{
	for (const char *p = doc ? doc->p : NULL, *end = p ? p + doc->len : NULL; p && p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			break;
		p = amp + 1;
		if ((size_t)(end - p) <= n || memcmp(p, name, n) || (p[n] != ' ' && p[n] != '\t'))
			continue;
		const char *v = p + n;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)line_length(v, end), v);
		size_t vlen = line[0] == '"' || line[0] == '\'' ? quoted_scalar_length(line) : plain_length(line, true);
		scalar_text(line, vlen, out, size);
		return true;
	}
	return false;
}

/* The text of a key or a name as written at s[0, n): decoded, an alias resolved. */
static void name_text(const char *s, size_t n, const struct secret_text *doc, char *out, size_t size)
{
	if (n > 1 && s[0] == '*' && alias_text(doc, s + 1, n - 1, out, size))
		return;
	scalar_text(s, n, out, size);
}

/* Tags (!!int, !secret) and an anchor (&a) before a value: where the value starts. */
static size_t skip_properties(const char *line, size_t v)
{
	while (line[v] == '!' || line[v] == '&') {
		while (line[v] && line[v] != ' ' && line[v] != '\t')
			v++;
		while (line[v] == ' ' || line[v] == '\t')
			v++;
	}
	return v;
}

typedef void pair_fn(const char *key, size_t from, size_t to, bool question, void *ctx);

/* Each `key: value` of a line: fn gets the key (unquoted, decoded, an alias resolved
 * through doc) and the value's byte range after its tags and anchor (empty: the value
 * is on the lines below). A line `? key` gives the key, question set, and the range
 * at the line's end. Flow collections end a plain value at , } or ]. */
static void each_pair(const char *line, const struct secret_text *doc, pair_fn *fn, void *ctx)
{
	size_t key_start = 0;
	int flow = 0;
	size_t q = strspn(line, " -");
	if (line[q] == '?' && (line[q + 1] == ' ' || !line[q + 1])) {
		size_t k = q + 1 + strspn(line + q + 1, " ");
		size_t n = line[k] == '"' || line[k] == '\'' ? quoted_scalar_length(line + k) : plain_length(line + k, false);
		char key[256];
		name_text(line + k, n, doc, key, sizeof key);
		size_t end = strlen(line);
		fn(key, end, end, true, ctx);
		return;
	}
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
			while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
				b--;
			name_text(line + a, b - a, doc, key, sizeof key);
			size_t v = skip_properties(line, i + 1 + strspn(line + i + 1, " \t"));
			if (line[v] == '{' || line[v] == '[') {
				fn(key, v, v, false, ctx);      /* a collection: its own pairs follow */
				i = v;
				continue;
			}
			size_t end = v + (line[v] == '"' || line[v] == '\'' ? quoted_scalar_length(line + v)
					  : plain_length(line + v, flow > 0));
			fn(key, v, end, false, ctx);
			i = end > i + 1 ? end : i + 1;
			key_start = i;
			continue;
		}
		i++;
	}
}

struct line_scan {
	const char *line;
	const struct secret_text *doc;
	bool env_name;          /* a `name:` naming a secret: its `value:` is one */
	/* the values found, in order: a secret's, or a `value:` (secret if env_name) */
	struct { size_t from, to; bool value; } found[32];
	size_t nfound;
	bool after_secret;      /* the last pair's value was found */
	char empty;             /* the last pair is a secret's with its value below: 'e', '?' */
};

/* Whether a value written as text at line[from, to) names a secret (an alias resolved). */
static bool value_names_secret(struct line_scan *ls, size_t from, size_t to)
{
	char name[256];
	name_text(ls->line + from, to - from, ls->doc, name, sizeof name);
	return secret_name(name);
}

static void scan_pair(const char *key, size_t from, size_t to, bool question, void *ctx)
{
	struct line_scan *ls = ctx;
	bool after = ls->after_secret;
	ls->after_secret = false;
	bool value = !strcmp(key, "value");
	bool secret = value || (secret_name(key) && !names_a_secret_object(key));
	ls->empty = 0;
	if (from == to) {
		/* nothing on this line (not a { or [ that opens its value here) */
		if (secret && (!value || ls->env_name) && ls->line[from] != '{' && ls->line[from] != '[')
			ls->empty = question ? '?' : 'e';
		return;
	}
	/* a switch, as each_scalar leaves it */
	bool is_switch = (to - from == 4 && !strncasecmp(ls->line + from, "true", 4)) ||
			 (to - from == 5 && !strncasecmp(ls->line + from, "false", 5));
	if (!strcmp(key, "name")) {
		ls->env_name = ls->env_name || value_names_secret(ls, from, to);
	} else if ((secret || (!*key && after)) && !is_switch && ls->nfound < sizeof ls->found / sizeof *ls->found) {
		/* `!*key && after`: `password: abc: def`, a plain value that YAML cut at `: ` */
		ls->found[ls->nfound].from = from;
		ls->found[ls->nfound].to = to;
		ls->found[ls->nfound++].value = value;
		ls->after_secret = true;
	}
}

/* secrets_in_line, with block scalar indicators (| or >, whose text is on the lines
 * below) when blocks is set. */
static size_t in_line(const char *line, const struct secret_text *doc, bool env_name_above, bool blocks,
		      size_t (*spans)[2], size_t max, char *empty)
{
	struct line_scan ls = {.line = line, .doc = doc, .env_name = env_name_above};
	each_pair(line, doc, scan_pair, &ls);
	size_t n = 0;
	for (size_t i = 0; i < ls.nfound && n < max; i++) {
		char c = line[ls.found[i].from];
		if ((ls.found[i].value && !ls.env_name) || (!blocks && (c == '|' || c == '>')))
			continue;
		spans[n][0] = ls.found[i].from;
		spans[n++][1] = ls.found[i].to;
	}
	if (empty)
		*empty = ls.empty;
	return n;
}

size_t secrets_in_line(const char *line, const struct secret_text *doc, bool env_name_above, size_t (*spans)[2],
		       size_t max)
{
	return in_line(line, doc, env_name_above, false, spans, max, NULL);
}

bool secrets_line_names_one(const char *line, const struct secret_text *doc)
{
	struct line_scan ls = {.line = line, .doc = doc};
	each_pair(line, doc, scan_pair, &ls);
	return ls.env_name;
}

char secrets_line_leaves_open(const char *line, const struct secret_text *doc, bool env_name_above)
{
	size_t spans[32][2];
	char empty;
	size_t n = in_line(line, doc, env_name_above, true, spans, 32, &empty);
	if (empty)
		return empty;
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

bool secrets_anchor_used(const struct secret_text *doc, const char *name, size_t n)
{
	for (const char *p = doc ? doc->p : NULL, *end = p ? p + doc->len : NULL; p && p < end;) {
		const char *star = memchr(p, '*', (size_t)(end - p));
		if (!star)
			break;
		p = star + 1;
		if ((size_t)(end - p) < n || memcmp(p, name, n) || (p + n < end && (isalnum((unsigned char)p[n]) ||
									      p[n] == '-' || p[n] == '_')))
			continue;
		/* the line that uses it, and the line above (an env var written as a block) */
		const char *ls = star, *above = NULL;
		while (ls > doc->p && ls[-1] != '\n')
			ls--;
		if (ls > doc->p) {
			above = ls - 1;
			while (above > doc->p && above[-1] != '\n')
				above--;
		}
		char line[512], prev[512];
		snprintf(line, sizeof line, "%.*s", (int)line_length(ls, end), ls);
		snprintf(prev, sizeof prev, "%.*s", above ? (int)line_length(above, end) : 0, above ? above : "");
		size_t spans[32][2];
		bool env = secrets_line_names_one(line, doc) || secrets_line_names_one(prev, doc);
		size_t k = secrets_in_line(line, doc, env, spans, 32);
		for (size_t i = 0; i < k; i++)
			if (line + spans[i][0] <= line + (star - ls) && line + (star - ls) < line + spans[i][1])
				return true;
	}
	return false;
}
