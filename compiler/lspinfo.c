/* lspinfo.c - see lspinfo.h. */
#include "lspinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "explain.h"
#include "lsptree.h"
#include "path.h"
#include "resources.h"
#include "schema.h"
#include "sparkconf.h"

/* ---- the schema of a document ----------------------------------------------------------- */

/* The schema a document is read with, and the document its $refs resolve in: the job
 * schema, the operator's schema of a manifest's kind, or a .sparkc.yaml's; NULL for
 * other documents. */
static const struct node *schema_of(const struct lsp_tree *t, const struct node **docroot)
{
	if (t->config) {
		*docroot = resource_tree("schemas/sparkc-config.schema.json");
		return *docroot;
	}
	if (t->kind == DOC_MANIFEST) {
		*docroot = resource_tree("schemas/sparkoperator.schema.json");
		char ref[96];
		snprintf(ref, sizeof ref, "#/$defs/%s", node_get(t->doc, "kind")->text);
		return schema_resolve_ref(ref, *docroot);
	}
	*docroot = schema_job();
	return t->kind == DOC_JOB ? *docroot : NULL;
}

static const struct node *deref(const struct node *s, const struct node *docroot)
{
	for (int i = 0; i < 8 && s && node_is_text(node_get(s, "$ref")); i++)
		s = schema_resolve_ref(node_get(s, "$ref")->text, docroot);
	return s && s->kind == N_MAP ? s : NULL;
}

static const char *const branch_keys[] = {"anyOf", "oneOf", "allOf"};

/* The schema of the value under key (NULL: of a list's items) in what s describes, as an
 * editor reads it: its properties, else the first branch that has the key, else its
 * additionalProperties. */
static const struct node *schema_child(const struct node *s, const struct node *docroot, const char *key,
				       int level)
{
	s = deref(s, docroot);
	if (!s || level > 8)
		return NULL;
	const struct node *found = key ? node_get(node_get(s, "properties"), key) : node_get(s, "items");
	for (size_t b = 0; !found && b < 3; b++) {
		const struct node *branches = node_get(s, branch_keys[b]);
		for (size_t i = 0; branches && branches->kind == N_SEQ && !found && i < branches->n; i++)
			found = schema_child(branches->items[i], docroot, key, level + 1);
	}
	if (!found && key)
		found = node_get(s, "additionalProperties");
	return found && found->kind == N_MAP ? found : NULL;
}

/* The schema of the node the first depth steps of t's path lead to. */
static const struct node *schema_walk(const struct lsp_tree *t, size_t depth, const struct node **docroot)
{
	const struct node *s = schema_of(t, docroot);
	for (size_t i = 0; s && i < depth; i++)
		s = schema_child(s, *docroot, t->path[i].pair ? t->path[i].pair->key->text : NULL, 0);
	return s;
}

/* A key's description as editors show it: its own, else its definition's. */
static const char *description(const struct node *s, const struct node *docroot)
{
	for (int i = 0; i < 2 && s; i++, s = deref(s, docroot)) {
		const struct node *d = node_get(s, "markdownDescription");
		if (!node_is_text(d))
			d = node_get(s, "description");
		if (node_is_text(d))
			return d->text;
	}
	return NULL;
}

/* Calls each(value, its description) for the values a key takes: its enum (null left
 * out), const, and true and false for a boolean, through its branches. */
static void schema_values(const struct node *s, const struct node *docroot, int level,
			  void (*each)(const char *value, const char *doc, void *arg), void *arg)
{
	s = deref(s, docroot);
	if (!s || level > 8)
		return;
	const struct node *e = node_get(s, "enum"), *docs = node_get(s, "markdownEnumDescriptions");
	for (size_t i = 0; e && e->kind == N_SEQ && i < e->n; i++)
		if (e->items[i]->kind != N_NULL)
			each(e->items[i]->text, docs && docs->kind == N_SEQ && i < docs->n ? docs->items[i]->text : NULL, arg);
	if (node_is_scalar(node_get(s, "const")))
		each(node_get(s, "const")->text, NULL, arg);
	const struct node *type = node_get(s, "type");
	bool boolean = node_text_eq(type, "boolean");
	for (size_t i = 0; type && type->kind == N_SEQ && i < type->n; i++)
		boolean = boolean || node_text_eq(type->items[i], "boolean");
	if (boolean) {
		each("true", NULL, arg);
		each("false", NULL, arg);
	}
	for (size_t b = 0; b < 3; b++) {
		const struct node *branches = node_get(s, branch_keys[b]);
		for (size_t i = 0; branches && branches->kind == N_SEQ && i < branches->n; i++)
			schema_values(branches->items[i], docroot, level + 1, each, arg);
	}
}

/* ---- where a path leads ------------------------------------------------------------------- */

/* The dotted path of the first depth steps (spec.spark_conf), as diagnostics name it. */
static const char *steps_path(const struct lsp_tree *t, size_t depth, struct path *p)
{
	p->len = 0;
	p->buf[0] = '\0';
	for (size_t i = 0; i < depth; i++) {
		if (t->path[i].pair)
			path_push_key(p, t->path[i].pair->key->text);
		else
			path_push_index(p, t->path[i].index);
	}
	return p->buf;
}

/* Whether the first depth steps lead to the document's spark_conf / sparkConf. */
static bool at_conf(const struct lsp_tree *t, size_t depth)
{
	struct path p;
	return t->resolved && !strcmp(steps_path(t, depth, &p), t->job.fields->conf);
}

/* The role whose resources the path's last key is (driver_resources, a manifest's
 * driver), or -1. */
static int role_at(const struct lsp_tree *t)
{
	struct path p;
	const char *at = steps_path(t, t->depth, &p);
	for (int r = 0; t->resolved && r < 2; r++) {
		char want[64];
		snprintf(want, sizeof want, "%s.%s", t->job.fields->spec,
			 t->job.manifest ? role_names[r] : role_resources_keys[r]);
		if (!strcmp(at, want))
			return r;
	}
	return -1;
}

/* ---- hover ---------------------------------------------------------------------------------- */

/* A spark_conf key's text in the registry, as the job schema carries it for editors
 * (its description there: Spark's documentation and the key's facts), or NULL. */
static const char *conf_doc(const char *key)
{
	const struct node *root = schema_job();
	const struct node *conf = schema_child(schema_child(root, root, "spec", 0), root, "spark_conf", 0);
	return description(schema_child(conf, root, key, 0), root);
}

/* What a key is to the Spark a job runs: read (and how), not yet, or no more. */
static void conf_status(char *buf, size_t len, const char *key, const char *version)
{
	struct spark_placement pl;
	spark_place(key, version, &pl);
	const struct spark_key *k = pl.row;
	char takes[256] = "";
	if (k)
		spark_key_type_hint(k, takes, sizeof takes);
	if (!spark_line_known(version))
		snprintf(buf, len, "a release whose source sparkc's registry has not read");
	else if (!k && spark_template_find(key))
		snprintf(buf, len, "read through its template, `%s`", spark_template_find(key)->pattern);
	else if (!k && *pl.since && pl.since_unsure)
		snprintf(buf, len, "not read: a later release added the key");
	else if (!k && *pl.since)
		snprintf(buf, len, "not read: the key was added in Spark %s", pl.since);
	else if (!k && *pl.gone)
		snprintf(buf, len, "not read: the key is gone by Spark %s", pl.gone);
	else if (!k)
		snprintf(buf, len, "not a key of Spark's registry");
	else if (strchr(k->flags, 'm'))
		snprintf(buf, len, "another cluster manager's key, of no effect on Kubernetes");
	else if (strchr(k->flags, 'r'))
		snprintf(buf, len, "removed in Spark %s, which refuses any value but '%s'", k->removed,
			 k->default_value);
	else if (*k->deprecated)
		snprintf(buf, len, "deprecated since Spark %s%s%s", k->deprecated, *k->deprecated_note ? ": " : "",
			 k->deprecated_note);
	else
		snprintf(buf, len, "read%s%s%s", *takes ? " (" : "", takes, *takes ? ")" : "");
}

/* A spark_conf key's registry entry, and what it is to the Spark the job runs (job NULL:
 * a completion item's documentation). */
static void conf_markdown(FILE *out, const char *key, const struct job *job)
{
	const char *doc = conf_doc(key);
	const struct spark_template *tpl = spark_template_find(key);
	fprintf(out, "**`%s`**: Spark configuration\n\n", key);
	if (doc)
		fprintf(out, "%s\n", doc);
	else if (tpl)
		fprintf(out, "A key of the form `%s` (%s).\n", tpl->pattern, tpl->source);
	if (!job || (!doc && tpl))
		return;
	char version[160], status[512];
	explain_spark_version(job, version, sizeof version);
	conf_status(status, sizeof status, key, job->spark_version_effective);
	fprintf(out, "\nThis %s runs %s: %s.\n", job->fields->noun, version, status);
}

/* An enum value's own description (schema_values' callback). */
struct value_doc {
	const char *value, *doc;
};

static void find_value_doc(const char *value, const char *doc, void *arg)
{
	struct value_doc *v = arg;
	if (!v->doc && doc && !strcmp(value, v->value))
		v->doc = doc;
}

/* The Markdown for where t is located; NULL for nothing. */
static char *hover_text(const struct lsp_tree *t)
{
	const struct lsp_step *last = &t->path[t->depth - 1];
	const struct node *value = last->pair ? last->pair->value : last->parent->items[last->index];
	char *md = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&md, &len);
	if (last->pair && at_conf(t, t->depth - 1)) {
		conf_markdown(out, last->pair->key->text, &t->job);
	} else {
		/* explain sizes valid jobs; a job with an error elsewhere is sized with a
		 * caveat, one whose heap Spark cannot read is not */
		int role = t->on_key ? role_at(t) : -1;
		if (role >= 0 && t->job.role[role].heap.ok)
			explain_role_markdown(out, &t->job, (enum role)role);
		if (role >= 0 && !t->valid)
			fprintf(out, "%sThe %s has errors%s: see its diagnostics.\n", ftell(out) ? "\n" : "",
				t->job.fields->noun,
				t->job.role[role].heap.ok ? ", which may change this" : "; the pod's size shows here without them");
		const struct node *docroot, *s = schema_walk(t, t->depth, &docroot);
		const char *doc = description(s, docroot);
		struct value_doc v = {value->text, NULL};
		if (!t->on_key && node_is_scalar(value))
			schema_values(s, docroot, 0, find_value_doc, &v);
		if (v.doc)
			fprintf(out, "%s`%s`: %s\n", ftell(out) ? "\n---\n\n" : "", value->text, v.doc);
		if (doc)
			fprintf(out, "%s%s\n", ftell(out) ? "\n---\n\n" : "", doc);
	}
	fclose(out);
	if (!len) {
		free(md);
		return NULL;
	}
	return md;
}

char *lsp_hover(const struct text *text, const char *name, size_t offset, const struct options *opt,
		size_t *start, size_t *end)
{
	int line, col;
	text_mark(text, offset, &line, &col);
	struct lsp_tree t;
	lsp_tree_load(&t, text, name, line, opt);
	char *md = NULL;
	if (lsp_tree_locate(&t, text, line, col)) {
		const struct lsp_step *last = &t.path[t.depth - 1];
		const struct node *at = t.on_key ? last->pair->key
				      : last->pair ? last->pair->value : last->parent->items[last->index];
		*start = text_mark_offset(text, at->line, at->col);
		*end = text_token_end(text, *start);
		/* on the key, or on a value written on one line with it */
		if (at->line && node_is_scalar(at) && offset >= *start && offset <= *end)
			md = hover_text(&t);
	}
	lsp_tree_free(&t);
	return md;
}

/* ---- completion ------------------------------------------------------------------------------ */

struct completion {
	json_t *items;
	const struct text *text;
	enum position_encoding enc;
	size_t from, to;                /* the bytes an item replaces: what is typed so far */
	int col;                        /* the column the key starts at */
	bool snippets;                  /* the client takes snippets */
	const struct node *present;     /* the mapping the key goes into (its keys are not offered) */
};

enum { KIND_PROPERTY = 10, KIND_ENUM_MEMBER = 20, TAG_DEPRECATED = 1, FORMAT_SNIPPET = 2 };

static bool offered(const struct completion *c, const char *label)
{
	size_t i;
	json_t *item;
	json_array_foreach(c->items, i, item)
		if (!strcmp(json_string_value(json_object_get(item, "label")), label))
			return true;
	return false;
}

/* The item added (the array holds it). */
static json_t *add_item(struct completion *c, const char *label, int kind, const char *detail, const char *doc,
			const char *insert, bool deprecated, json_t *data)
{
	json_t *item = json_object(), *edit = json_object();
	json_object_set_new(item, "label", json_string(label));
	json_object_set_new(item, "kind", json_integer(kind));
	if (detail)
		json_object_set_new(item, "detail", json_string(detail));
	if (doc)
		json_object_set_new(item, "documentation", json_pack("{s:s, s:s?}", "kind", "markdown", "value", doc));
	if (deprecated) {
		json_object_set_new(item, "tags", json_pack("[i]", TAG_DEPRECATED));
		json_object_set_new(item, "deprecated", json_true());
	}
	json_object_set_new(edit, "range", text_range_json(c->text, c->from, c->to, c->enc));
	json_object_set_new(edit, "newText", json_string(insert));
	json_object_set_new(item, "textEdit", edit);
	if (data)
		json_object_set_new(item, "data", data);
	json_array_append_new(c->items, item);
	return item;
}

/* What a schema's value is, for a key's item: its type's name, and whether it holds a
 * mapping or a list (written on the lines below the key). */
static const char *value_type(const struct node *s, const struct node *docroot, bool *block, bool *list)
{
	s = deref(s, docroot);
	const struct node *type = node_get(s, "type");
	const char *name = node_is_text(type) ? type->text
			   : type && type->kind == N_SEQ && type->n ? type->items[0]->text : NULL;
	*list = (name && !strcmp(name, "array")) || node_get(s, "items");
	*block = *list || (name && !strcmp(name, "object")) || node_get(s, "properties");
	return name;
}

static void schema_keys(struct completion *c, const struct node *s, const struct node *docroot, int level)
{
	s = deref(s, docroot);
	const struct node *props = node_get(s, "properties");
	for (size_t i = 0; props && props->kind == N_MAP && i < props->n; i++) {
		const char *key = props->pairs[i].key->text;
		const struct node *ps = props->pairs[i].value, *hide = node_get(ps, "doNotSuggest");
		if ((hide && hide->kind == N_BOOL && hide->num) || node_get_pair(c->present, key) || offered(c, key))
			continue;
		bool block, list;
		const char *type = value_type(ps, docroot, &block, &list);
		char insert[256];
		bool snippet = block && c->snippets && !strpbrk(key, "$}\\");
		if (snippet)    /* the value on the lines below, indented under the key */
			snprintf(insert, sizeof insert, "%s:\n%*s%s$0", key, c->col + 1, "", list ? "- " : "");
		else
			snprintf(insert, sizeof insert, block ? "%s:" : "%s: ", key);
		json_t *item = add_item(c, key, KIND_PROPERTY, type, description(ps, docroot), insert, false, NULL);
		if (snippet)
			json_object_set_new(item, "insertTextFormat", json_integer(FORMAT_SNIPPET));
	}
	for (size_t b = 0; s && level < 8 && b < 3; b++) {
		const struct node *branches = node_get(s, branch_keys[b]);
		for (size_t i = 0; branches && branches->kind == N_SEQ && i < branches->n; i++)
			schema_keys(c, branches->items[i], docroot, level + 1);
	}
}

/* spark_conf keys for the Spark the job runs (each key's newest facts when it is not
 * known, or a release the registry has not read): those Spark on Kubernetes reads there, deprecated ones tagged; not internal,
 * removed or other cluster managers' keys, nor those whose facts the sources dispute. */
static void conf_keys(struct completion *c, const struct lsp_tree *t)
{
	const char *version = t->resolved && spark_line_known(t->job.spark_version_effective)
				      ? t->job.spark_version_effective : NULL;
	for (size_t i = 0; i < spark_keys_count; i++) {
		const struct spark_key *k = &spark_keys[i];
		if (i + 1 < spark_keys_count && !strcmp(spark_keys[i + 1].key, k->key))
			continue;       /* a key's rows run in release order: its last holds the newest */
		if (version)
			k = spark_key_for(k->key, version);
		if (!k || strpbrk(k->flags, "imru") || node_get_pair(c->present, k->key))
			continue;
		char detail[96], insert[320];
		snprintf(detail, sizeof detail, "%s%s%s", k->type, *k->since ? ", since Spark " : "", k->since);
		snprintf(insert, sizeof insert, "%s: ", k->key);
		add_item(c, k->key, KIND_PROPERTY, detail, NULL, insert, *k->deprecated != '\0',
			 json_pack("{s:s}", "key", k->key));
	}
}

static void add_value(const char *value, const char *doc, void *arg)
{
	struct completion *c = arg;
	if (offered(c, value))
		return;
	char *quoted = NULL;
	if (!yaml_plain_safe(value, strlen(value))) {  /* a JSON string is a YAML double-quoted scalar */
		json_t *s = json_string(value);
		quoted = json_dumps(s, JSON_ENCODE_ANY);
		json_decref(s);
	}
	add_item(c, value, KIND_ENUM_MEMBER, NULL, doc, quoted ? quoted : value, false, NULL);
	free(quoted);
}

/* What is being typed on the cursor's line, up to the cursor. */
enum typing { TYPING_NOTHING, TYPING_KEY, TYPING_ITEM_KEY, TYPING_VALUE };

static enum typing typing_at(const struct text *text, size_t offset, size_t *word, size_t *value)
{
	const char *p = text->p;
	size_t i = text_line_start(text, offset);
	enum typing what = TYPING_KEY;
	while (i < offset && p[i] == ' ')
		i++;
	if (i + 1 < offset && p[i] == '-' && p[i + 1] == ' ') {
		what = TYPING_ITEM_KEY;
		for (i++; i < offset && p[i] == ' '; i++)
			;
	}
	*word = i;
	if (i < offset && strchr("\"'{}[]#&*!|>%@`,?:", p[i]))
		return TYPING_NOTHING;  /* no plain key starts so */
	size_t j = i;
	while (j < offset && p[j] != ':' && p[j] != ' ' && p[j] != '#')
		j++;
	if (j == offset)
		return what;
	if (p[j] != ':' || j + 1 >= offset || p[j + 1] != ' ')
		return TYPING_NOTHING;
	for (j++; j < offset && p[j] == ' '; j++)
		;
	*value = j;
	for (; j < offset; j++)
		if (strchr("\"'{}[]#:", p[j]))
			return TYPING_NOTHING;
	return TYPING_VALUE;
}

json_t *lsp_completion(const struct text *text, const char *name, size_t offset, const struct options *opt,
		       enum position_encoding enc, bool snippets)
{
	json_t *items = json_array();
	size_t word = 0, value = 0, end = text_line_end(text, offset);
	if (offset > end)
		offset = end;
	enum typing what = typing_at(text, offset, &word, &value);
	if (what == TYPING_NOTHING)
		return items;
	/* The text as it will parse: the line being typed taken out (the new item an empty
	 * mapping, a key's value not there yet). */
	struct text parsed = {0};
	text_set(&parsed, text->p, text->len);
	if (what == TYPING_KEY)
		text_replace(&parsed, text_line_start(text, offset), end, "", 0);
	else if (what == TYPING_ITEM_KEY)
		text_replace(&parsed, word, end, "{}", 2);
	else
		text_replace(&parsed, value, end, "", 0);
	int line, col;
	text_mark(text, word, &line, &col);
	struct lsp_tree t;
	lsp_tree_load(&t, &parsed, name, line, opt);
	struct completion c = {.items = items, .text = text, .enc = enc, .to = offset, .col = col,
			       .snippets = snippets, .from = what == TYPING_VALUE ? value : word};
	bool found;
	if (what == TYPING_KEY) {
		found = lsp_tree_mapping(&t, line, col, &c.present);
	} else {
		found = lsp_tree_locate(&t, &parsed, line, col) && t.on_key == (what == TYPING_VALUE);
		const struct lsp_step *last = found ? &t.path[t.depth - 1] : NULL;
		if (found && what == TYPING_ITEM_KEY)
			found = !last->pair && last->parent->items[last->index]->kind == N_MAP;
	}
	const struct node *docroot = NULL, *s = NULL;
	if (found && what != TYPING_VALUE && at_conf(&t, t.depth))
		conf_keys(&c, &t);
	else if (found && (s = schema_walk(&t, t.depth, &docroot)) && what != TYPING_VALUE)
		schema_keys(&c, s, docroot, 0);
	else if (found && s)
		schema_values(s, docroot, 0, add_value, &c);
	lsp_tree_free(&t);
	text_free(&parsed);
	return items;
}

void lsp_completion_resolve(json_t *item)
{
	const char *key = json_string_value(json_object_get(json_object_get(item, "data"), "key"));
	if (!key)
		return;
	char *md = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&md, &len);
	conf_markdown(out, key, NULL);
	fclose(out);
	json_object_set_new(item, "documentation", json_pack("{s:s, s:s}", "kind", "markdown", "value", md));
	free(md);
}
