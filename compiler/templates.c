/* templates.c - see templates.h. */
#include "templates.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "k8sname.h"
#include "load.h"
#include "mask.h"
#include "resources.h"
#include "schema.h"
#include "secrets.h"

static struct arena template_arena;     /* lives until templates_free */
static int failure;                     /* templates_failure() */

/* What the schema cannot say of defaults.yaml: the names and labels it gives jobs. */
static bool check_defaults(const struct node *root, struct diag_src *ds)
{
	size_t before = ds->diags->errors;
	const struct node *ns = node_get(root, "namespace");
	if (ns && ns->kind == N_STR && !dns1123_label(ns->text))
		diag_node(ds, ns, SEV_ERROR, "namespace", "namespace",
			  "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63",
			  "'%s' is not a valid namespace name", ns->text);
	static const char *const labels[] = {"project", "tag"};
	for (size_t i = 0; i < 2; i++) {
		const struct node *v = node_get(root, labels[i]);
		if (v && node_is_scalar(v) && v->kind != N_NULL && !label_value_ok(v->text))
			diag_node(ds, v, SEV_ERROR, "label-value", labels[i],
				  "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
				  "'%s' is not a valid label value (it becomes the mlrun/%s label)", v->text, labels[i]);
	}
	const struct node *sel = node_get(root, "node_selector");
	for (size_t i = 0; sel && sel->kind == N_MAP && i < sel->n; i++) {
		const struct node *k = sel->pairs[i].key, *v = sel->pairs[i].value;
		char path[512];
		snprintf(path, sizeof path, "node_selector.%s", k->text);
		const char *problem = label_key_problem(k->text);
		if (problem)
			diag_node(ds, k, SEV_ERROR, "label-key", path, problem,
				  "'%s' is not a valid label key", k->text);
		if (node_is_scalar(v) && v->kind != N_NULL && !label_value_ok(v->text))
			diag_node(ds, v, SEV_ERROR, "label-value", path,
				  "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
				  "'%s' is not a valid label value", v->text);
	}
	return ds->diags->errors == before;
}

/* A literal secret in a template would reach every manifest compiled with it. */
static void report_secret(const struct secret *s, void *ctx)
{
	diag_node(ctx, s->value, SEV_ERROR, "secret-literal", s->path,
		  s->kind == SECRET_ACCESS_KEY ? "remove it and name a Secret in flexVolume.secretRef"
		  : s->kind == SECRET_ENV ? "take it from a Secret: valueFrom: {secretKeyRef: {name: <secret>, key: <key>}}"
					  : "put it in a Secret and have the job take it from there",
		  "'%s' holds a secret as plain text; every manifest compiled with these templates would carry it",
		  s->name);
}

static struct node *load_one(const char *dir, const char *name, struct diags *diags)
{
	char builtin[64];
	snprintf(builtin, sizeof builtin, "templates/%s", name);
	struct source in;
	if (!dir)
		return resource_tree(builtin);      /* built in, already parsed */
	char *path = arena_printf(&template_arena, "%s/%s", dir, name);
	/* a regular file, through a link too: a link committed to /dev/stdin or a FIFO
	 * would make the run wait for ever, and a directory would read as nothing */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		struct diag_src ds = {.diags = diags, .file = path};
		diag_add(&ds, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: it is not a regular file", path);
		failure = 2;
		return NULL;
	}
	if (source_open(&in, path, default_limits.max_file_bytes)) {
		if (errno == ENOENT)
			return resource_tree(builtin);
		struct diag_src ds = {.diags = diags, .file = path};
		diag_add(&ds, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: %s", path, strerror(errno));
		failure = 2;
		return NULL;
	}
	size_t loaded_from = diags->n;
	struct node *root = load_single(diags, &in, &template_arena, true);
	struct diag_src ds = {.diags = diags, .file = in.name, .source = &in};
	/* known before the first diagnostic about the template, so that none shows them */
	const struct node **secrets = NULL;
	size_t secrets_cap = 0;
	if (root) {
		ds.nsecrets = secrets_collect(root, &secrets, &secrets_cap);
		ds.secrets = secrets;
		mask_diags_since(diags, loaded_from, &ds);
	}
	if (root && root->kind != N_MAP) {
		diag_node(&ds, root, SEV_ERROR, "template", "", NULL, "a template must be a mapping");
		root = NULL;
	}
	/* A template's values reach every job: checked as a job's own would be. */
	bool defaults = !strcmp(name, "defaults.yaml");
	if (root) {
		size_t errors = diags->errors;
		secrets_in_template(root, report_secret, &ds);
		bool ok = schema_validate_ref("schemas/templates.schema.json",
					      defaults ? "#/$defs/defaults" : "#/$defs/igz", root, &ds) &&
			  diags->errors == errors;
		if (!(defaults ? check_defaults(root, &ds) && ok : ok))
			root = NULL;
	}
	if (!root && !failure)
		failure = 1;
	free(secrets);
	source_close(&in);
	return root;
}

int templates_failure(void)
{
	return failure ? failure : 2;
}

const struct templates *templates_load(const char *dir, struct diags *diags)
{
	failure = 0;
	struct stat st;
	if (dir && (stat(dir, &st) || !S_ISDIR(st.st_mode))) {
		/* a typo in --templates must not compile on the built-in defaults */
		struct diag_src ds = {.diags = diags, .file = dir};
		diag_add(&ds, 0, 0, SEV_ERROR, "io", "",
			 "--templates names a directory holding defaults.yaml and/or igz.yaml",
			 "no directory '%s' (%s)", dir, stat(dir, &st) ? strerror(errno) : "not a directory");
		failure = 2;
		return NULL;
	}
	struct templates *t = arena_alloc(&template_arena, sizeof *t);
	t->defaults = load_one(dir, "defaults.yaml", diags);
	t->igz = load_one(dir, "igz.yaml", diags);
	return t->defaults && t->igz ? t : NULL;
}

const struct templates *templates_adjust(const struct templates *base, const char *spark_version,
					 char **known_keys, size_t nknown_keys, char **known_prefixes,
					 size_t nknown_prefixes)
{
	struct templates *t = arena_alloc(&template_arena, sizeof *t);
	*t = *base;
	if (spark_version) {
		t->defaults = node_copy_deep(&template_arena, base->defaults);
		node_set(&template_arena, t->defaults, "spark_version", node_str(&template_arena, spark_version));
	}
	t->known_keys = known_keys;
	t->nknown_keys = nknown_keys;
	t->known_prefixes = known_prefixes;
	t->nknown_prefixes = nknown_prefixes;
	return t;
}

bool templates_known_conf(const struct templates *t, const char *key)
{
	for (size_t i = 0; i < t->nknown_keys; i++)
		if (!strcmp(key, t->known_keys[i]))
			return true;
	for (size_t i = 0; i < t->nknown_prefixes; i++)
		if (!strncmp(key, t->known_prefixes[i], strlen(t->known_prefixes[i])))
			return true;
	return false;
}

void templates_free(void)
{
	arena_free(&template_arena);
}

const char *template_text(const struct node *tmpl, const char *path)
{
	const struct node *n = node_at(tmpl, path);
	return node_is_scalar(n) ? n->text : NULL;
}
