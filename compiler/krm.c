/* krm.c - see krm.h.
 *
 * The conventions followed, from the functions specification and the annotations
 * kustomize and kpt set on items:
 * - an item's file is its internal.config.kubernetes.io/path annotation (or the legacy
 *   config.kubernetes.io/path), its document in that file .../index (default 0);
 * - a generated item names the file it belongs in with the same annotations: a manifest
 *   gets <namespace>/<name>.yaml, index 0 (the layout of compile -o), so that
 *   `kpt fn sink DIR` writes what `sparkc compile -o DIR` would;
 * - the orchestrator's annotations on a job (keys under config.kubernetes.io/,
 *   internal.config.kubernetes.io/ and config.k8s.io/) are about the job's file, not
 *   the job: they are not carried into its manifest;
 * - a result is {message, severity, resourceRef, field: {path}, file: {path, index},
 *   tags}; positions are those of the ResourceList read, in the message;
 * - output has the input's serialization (JSON in, JSON out) and its apiVersion. */
#include "krm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "emit.h"
#include "job.h"
#include "k8sname.h"
#include "lower.h"
#include "manifest.h"
#include "schema.h"
#include "suggest.h"
#include "secrets.h"
#include "templates.h"

struct krm {
	struct arena *arena;
	struct source *in;
	FILE *err;
	bool color;
	struct node *results;
	bool errors;
	const char *namespace, *templates_dir;
	struct target {         /* each manifest so far: */
		const char *file;       /* <namespace>/<name>.yaml */
		size_t item;            /* the item it came from */
		const struct node *name;        /* that job's metadata.name */
	} *targets;
	size_t ntargets;
};

/* ---- results ------------------------------------------------------------------------ */

static void set_text(struct arena *a, struct node *map, const char *key, const char *value)
{
	node_set(a, map, key, node_str(a, value));
}

/* A document index as the orchestrators write it: decimal digits. */
static bool index_ok(const char *text)
{
	return *text && !text[strspn(text, "0123456789")] && strlen(text) < 10;
}

/* A value of item's for a result's resourceRef: "********" when it is one of the
 * item's secrets (aliased into its name). */
static const char *ref_text(const struct node *v, const struct node *const *secrets, size_t nsecrets)
{
	for (size_t i = 0; i < nsecrets; i++)
		if (!strcmp(secrets[i]->text, v->text))
			return "********";
	return v->text;
}

/* The results of a run of diagnostics about item (NULL: about the function's
 * configuration or templates), which are then printed on stderr too. secrets: the
 * item's, which no resourceRef shows. */
static void add_results(struct krm *k, struct diags *d, const struct node *item, const struct node *const *secrets,
			size_t nsecrets)
{
	struct arena *a = k->arena;
	diags_sort(d);
	const struct node *meta = item ? node_get(item, "metadata") : NULL;
	const struct node *ann = meta ? node_get(meta, "annotations") : NULL;
	const struct node *path = NULL, *index = NULL;
	if (ann && ann->kind == N_MAP) {
		path = node_get(ann, "internal.config.kubernetes.io/path");
		if (!node_is_text(path))
			path = node_get(ann, "config.kubernetes.io/path");
		index = node_get(ann, "internal.config.kubernetes.io/index");
		if (!node_is_text(index))
			index = node_get(ann, "config.kubernetes.io/index");
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		struct node *r = node_new(a, N_MAP);
		char *where = g->line ? arena_printf(a, "%s:%d:%d: ", g->file, g->line, g->col)
				      : arena_printf(a, "%s: ", g->file);
		set_text(a, r, "message", arena_printf(a, "%s%s%s%s%s", where, g->message,
						       g->hint ? " (hint: " : "", g->hint ? g->hint : "",
						       g->hint ? ")" : ""));
		set_text(a, r, "severity", g->severity == SEV_ERROR ? "error" : "warning");
		if (item) {
			struct node *ref = node_new(a, N_MAP);
			static const char *const ref_keys[] = {"apiVersion", "kind"};
			for (size_t j = 0; j < 2; j++)
				if (node_is_text(node_get(item, ref_keys[j])))
					set_text(a, ref, ref_keys[j], ref_text(node_get(item, ref_keys[j]), secrets, nsecrets));
			static const char *const meta_keys[] = {"name", "namespace"};
			for (size_t j = 0; meta && j < 2; j++)
				if (node_is_text(node_get(meta, meta_keys[j])))
					set_text(a, ref, meta_keys[j], ref_text(node_get(meta, meta_keys[j]), secrets, nsecrets));
			node_set(a, r, "resourceRef", ref);
		}
		if (*g->path) {
			struct node *field = node_new(a, N_MAP);
			set_text(a, field, "path", g->path);
			node_set(a, r, "field", field);
		}
		/* the item's file; a template's diagnostic names the template file */
		const char *file = item ? (node_is_text(path) ? path->text : NULL)
				   : strcmp(g->file, k->in->name) ? g->file : NULL;
		if (file) {
			struct node *f = node_new(a, N_MAP);
			set_text(a, f, "path", file);
			if (item && (!node_is_text(index) || index_ok(index->text)))  /* else a warning */
				node_set(a, f, "index", node_int(a, node_is_text(index) ? atoll(index->text) : 0));
			node_set(a, r, "file", f);
		}
		struct node *tags = node_new(a, N_MAP);
		set_text(a, tags, "rule", g->rule);
		node_set(a, r, "tags", tags);
		node_push(a, k->results, r);
	}
	if (d->errors)
		k->errors = true;
	diags_print(d, FMT_TEXT, k->err, k->color);
	diags_free(d);
}

/* ---- functionConfig ---------------------------------------------------------------- */

static void read_config(struct krm *k, const struct node *config, struct diag_src *src)
{
	if (!config)
		return;
	const struct node *kind = node_get(config, "kind");
	if (config->kind != N_MAP || !node_text_eq(kind, "ConfigMap")) {
		diag_node(src, kind ? kind : config, SEV_ERROR, "krm-config", "functionConfig.kind",
			  "kind: ConfigMap, with data: {namespace: <namespace>, templates: <directory>}",
			  "sparkc krm takes its settings from a ConfigMap's data");
		return;
	}
	const struct node *data = node_get(config, "data");
	if (data && data->kind != N_MAP) {
		diag_node(src, data, SEV_ERROR, "krm-config", "functionConfig.data", NULL,
			  "expected a mapping, got %s", node_kind_name(data->kind));
		return;
	}
	static const char *const keys[] = {"namespace", "templates"};
	for (size_t i = 0; data && i < data->n; i++) {
		const struct node *key = data->pairs[i].key, *v = data->pairs[i].value;
		char *path = arena_printf(k->arena, "functionConfig.data.%s", key->text);
		if (strcmp(key->text, keys[0]) && strcmp(key->text, keys[1])) {
			char buf[64];
			const char *hint = did_you_mean(buf, sizeof buf, closest_word(key->text, keys, 2), true);
			diag_node(src, key, SEV_ERROR, "krm-config", path, hint ? hint : "the keys are namespace and templates",
				  "unknown key '%s'", key->text);
		} else if (v->kind == N_NULL || (node_is_text(v) && !*v->text)) {
			continue;       /* not set, as the Argo CD plugin takes an empty parameter */
		} else if (!node_is_text(v)) {
			diag_node(src, v, SEV_ERROR, "krm-config", path, NULL, "expected a string, got %s",
				  node_kind_name(v->kind));
		} else if (!strcmp(key->text, "templates")) {
			/* compile's --templates takes a missing directory as one that holds
			 * no template; here a typo in a config file would pass unseen */
			struct stat st;
			if (stat(v->text, &st) || !S_ISDIR(st.st_mode))
				diag_node(src, v, SEV_ERROR, "krm-config", path,
					  "a directory holding defaults.yaml and igz.yaml, relative to where the function runs",
					  "no directory '%s'", v->text);
			k->templates_dir = v->text;
		} else if (!dns1123_label(v->text)) {
			diag_node(src, v, SEV_ERROR, "krm-config", path,
				  "lower-case letters, digits and '-', at most 63", "'%s' is not a valid namespace name",
				  v->text);
		} else {
			k->namespace = v->text;
		}
	}
}

/* ---- items ---------------------------------------------------------------------------- */

static bool orchestration_key(const char *key)
{
	return !strncmp(key, "config.kubernetes.io/", 21) || !strncmp(key, "internal.config.kubernetes.io/", 30) ||
	       !strncmp(key, "config.k8s.io/", 14);
}

/* The job without the orchestrator's annotations (a copy: a job that fails goes back
 * as it came). */
static struct node *job_of_item(struct arena *a, const struct node *item)
{
	struct node *job = node_copy_deep(a, item);
	struct node *meta = node_get(job, "metadata");
	struct pair *ann = meta && meta->kind == N_MAP ? node_get_pair(meta, "annotations") : NULL;
	if (!ann || ann->value->kind != N_MAP)
		return job;
	struct node *kept = node_new(a, N_MAP);
	*kept = *ann->value;
	kept->n = 0;
	for (size_t i = 0; i < ann->value->n; i++)
		if (!orchestration_key(ann->value->pairs[i].key->text))
			kept->pairs[kept->n++] = ann->value->pairs[i];
	ann->value = kept->n ? kept : node_new(a, N_NULL);
	return job;
}

/* The file a manifest belongs in, on the manifest, as kpt and kustomize read it. */
static void annotate_generated(struct arena *a, struct node *manifest, const char *file)
{
	struct node *meta = node_get(manifest, "metadata");
	struct node *ann = node_get(meta, "annotations");
	if (!ann) {
		ann = node_new(a, N_MAP);
		node_set(a, meta, "annotations", ann);
	}
	static const char *const prefixes[] = {"config.kubernetes.io/", "internal.config.kubernetes.io/"};
	for (size_t i = 0; i < 2; i++) {
		set_text(a, ann, arena_printf(a, "%spath", prefixes[i]), file);
		set_text(a, ann, arena_printf(a, "%sindex", prefixes[i]), "0");
	}
}

/* Replace the scalar at line:col with asterisks, wherever it is below n. */
static void mask_at(struct arena *a, struct node *n, int line, int col)
{
	if (n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			mask_at(a, n->items[i], line, col);
	} else if (n->kind == N_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			struct node *v = n->pairs[i].value;
			if (node_is_scalar(v) && v->line == line && v->col == col)
				n->pairs[i].value = node_str(a, "********");
			else
				mask_at(a, v, line, col);
		}
	}
}

/* A job that failed goes back as it came, except that no output repeats a secret the
 * checks flagged. */
static struct node *failed_item(struct arena *a, const struct node *item, const struct diags *d)
{
	struct node *out = (struct node *)item;
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->v[i].rule, "secret-literal"))
			continue;
		if (out == item)
			out = node_copy_deep(a, item);
		mask_at(a, out, d->v[i].line, d->v[i].col);
	}
	return out;
}

/* An error at name for each earlier item whose object goes to the same file. */
static void report_collision(struct krm *k, struct diag_src *src, const char *file, const struct node *name,
			     const char *what, const char *ns, const char *objects)
{
	for (size_t i = 0; i < k->ntargets; i++) {
		const struct target *first = &k->targets[i];
		if (!strcmp(first->file, file))
			diag_node(src, name, SEV_ERROR, "duplicate-name", "metadata.name",
				  "give each job its own name or namespace",
				  "%s '%s' in namespace %s is also item %zu's, at %s:%d:%d: the %s would collide", what,
				  name->text, ns, first->item, k->in->name, first->name->line, first->name->col, objects);
	}
}

static void add_target(struct krm *k, const char *file, size_t index, const struct node *name)
{
	k->targets = xrealloc(k->targets, (k->ntargets + 1) * sizeof *k->targets);
	k->targets[k->ntargets++] = (struct target){file, index, name};
}

/* A kind: spark item -> its manifest, or the item itself when it has errors. */
static struct node *compile_item(struct krm *k, const struct templates *t, const struct node *item,
				 size_t index)
{
	struct diags d = {0};
	struct diag_src src = {.diags = &d, .file = k->in->name, .source = k->in};
	struct node *doc = job_of_item(k->arena, item);
	/* known before the first diagnostic, so that no result shows them (mask.h) */
	const struct node **secrets = NULL;
	size_t secrets_cap = 0;
	src.nsecrets = secrets_collect(doc, &secrets, &secrets_cap);
	src.secrets = secrets;
	const struct node *meta = node_get(item, "metadata");
	const struct node *ann = meta && meta->kind == N_MAP ? node_get(meta, "annotations") : NULL;
	static const char *const index_keys[] = {"internal.config.kubernetes.io/index", "config.kubernetes.io/index"};
	for (size_t i = 0; ann && ann->kind == N_MAP && i < 2; i++) {
		const struct node *v = node_get(ann, index_keys[i]);
		if (node_is_text(v) && !index_ok(v->text))
			diag_node(&src, v, SEV_WARNING, "krm-index",
				  arena_printf(k->arena, "metadata.annotations.%s", index_keys[i]),
				  "the orchestrator writes the document's position in its file, 0 for the first",
				  "'%s' is not a document index; the results name the file without one", v->text);
	}
	bool valid = schema_validate(doc, &src, releases_default());
	struct job job;
	job_resolve(&job, doc, t, releases_default(), k->namespace);
	valid = check_job(&job, &src) && valid;
	struct node *out = NULL;
	if (valid) {
		char *file = arena_printf(k->arena, "%s/%s.yaml", job.namespace, job.name);
		const struct node *name = node_get(job.metadata, "name");
		report_collision(k, &src, file, name, "job", job.namespace, "manifests");
		if (!d.errors) {
			out = lower_job(&job, k->arena);
			annotate_generated(k->arena, out, file);
			add_target(k, file, index, name);
		}
	}
	if (!out)
		out = failed_item(k->arena, item, &d);
	add_results(k, &d, item, secrets, src.nsecrets);
	free(secrets);
	return out;
}

/* A SparkApplication or ScheduledSparkApplication passed through is checked as compile
 * checks one (an operator manifest of v1beta2: its schema and rules, as results), and is
 * an object a job's manifest may collide with: an error at whichever of the two comes
 * second. */
static struct node *passthrough_item(struct krm *k, const struct templates *t, const struct node *item,
				     size_t index)
{
	const struct node *api = node_get(item, "apiVersion"), *kind = node_get(item, "kind");
	const struct node *meta = node_get(item, "metadata");
	const struct node *name = meta && meta->kind == N_MAP ? node_get(meta, "name") : NULL;
	const struct node *ns = meta && meta->kind == N_MAP ? node_get(meta, "namespace") : NULL;
	struct diags d = {0};
	struct diag_src src = {.diags = &d, .file = k->in->name, .source = k->in};
	const struct node **secrets = NULL;
	size_t secrets_cap = 0;
	struct node *out = (struct node *)item;
	if (t && manifest_is(item)) {
		src.nsecrets = secrets_collect(item, &secrets, &secrets_cap);
		src.secrets = secrets;
		schema_validate_manifest(item, &src, releases_default());
		struct job job;
		manifest_resolve(&job, item, t, releases_default(), k->namespace);
		check_job(&job, &src);
		out = failed_item(k->arena, item, &d);  /* a flagged secret is not repeated */
	}
	if (!node_is_text(api) || strncmp(api->text, "sparkoperator.k8s.io/", 21) ||
	    !(node_text_eq(kind, "SparkApplication") || node_text_eq(kind, "ScheduledSparkApplication")) ||
	    !node_is_text(name) || !node_is_text(ns)) {
		if (d.n)
			add_results(k, &d, item, secrets, src.nsecrets);
		free(secrets);
		return out;
	}
	char *file = arena_printf(k->arena, "%s/%s.yaml", ns->text, name->text);
	report_collision(k, &src, file, name, kind->text, ns->text, "objects");
	add_target(k, file, index, name);
	if (d.n)
		add_results(k, &d, item, secrets, src.nsecrets);
	free(secrets);
	return out;
}

/* ---- the run ------------------------------------------------------------------------- */

static bool is_json(const char *s, size_t len)
{
	size_t i = strspn(s, " \t\r\n");
	return i < len && s[i] == '{';
}

/* The input's root as a ResourceList or List, or a diagnostic. */
static bool check_list(const struct node *root, struct diag_src *src)
{
	const struct node *kind = root->kind == N_MAP ? node_get(root, "kind") : NULL;
	const struct node *api = root->kind == N_MAP ? node_get(root, "apiVersion") : NULL;
	bool resource_list = node_text_eq(kind, "ResourceList");
	const char *hint = "a KRM function reads apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: [...]";
	if (root->kind != N_MAP) {
		diag_node(src, root, SEV_ERROR, "krm-input", "", hint, "expected a ResourceList, got %s",
			  node_kind_name(root->kind));
	} else if (!resource_list && !node_text_eq(kind, "List")) {
		diag_node(src, kind ? kind : root, SEV_ERROR, "krm-input", "kind", hint, "expected kind ResourceList%s%s",
			  node_is_text(kind) ? ", got " : "", node_is_text(kind) ? kind->text : "");
	} else if (resource_list ? !node_text_eq(api, "config.kubernetes.io/v1") &&
				   !node_text_eq(api, "config.kubernetes.io/v1beta1")
				 : !node_text_eq(api, "v1")) {
		diag_node(src, api ? api : root, SEV_ERROR, "krm-input", "apiVersion", hint,
			  "expected apiVersion %s", resource_list ? "config.kubernetes.io/v1" : "v1");
	} else if (node_get(root, "items") && node_get(root, "items")->kind != N_SEQ) {
		diag_node(src, node_get(root, "items"), SEV_ERROR, "krm-input", "items", hint,
			  "expected a list, got %s", node_kind_name(node_get(root, "items")->kind));
	} else {
		return true;
	}
	return false;
}

/* Each item: a job compiled, any other mapping passed through (an operator manifest
 * checked on the way), anything else as it came. */
static struct node *process_items(struct krm *k, const struct templates *t, const struct node *items)
{
	struct node *out = node_new(k->arena, N_SEQ);
	for (size_t i = 0; items && i < items->n; i++) {
		const struct node *item = items->items[i];
		bool spark = item->kind == N_MAP && node_text_eq(node_get(item, "kind"), "spark");
		struct node *item_out = (struct node *)item;
		if (spark && t)
			item_out = compile_item(k, t, item, i);
		else if (!spark && item->kind == N_MAP)
			item_out = passthrough_item(k, t, item, i);
		node_push(k->arena, out, item_out);
	}
	return out;
}

/* The input cannot be processed: still a ResourceList, with no item and the errors as
 * results, as the functions specification asks of a function that can write one. */
static struct node *failed_list(struct krm *k)
{
	struct node *failed = node_new(k->arena, N_MAP);
	set_text(k->arena, failed, "apiVersion", "config.kubernetes.io/v1");
	set_text(k->arena, failed, "kind", "ResourceList");
	node_set(k->arena, failed, "items", node_new(k->arena, N_SEQ));
	node_set(k->arena, failed, "results", k->results);
	return failed;
}

/* In the form the ResourceList came in. */
static void write_list(FILE *out, const struct node *list, bool json)
{
	if (json) {
		emit_json(out, list, 2, 0);
		fputc('\n', out);
	} else {
		emit_yaml(out, list);
	}
}

/* One ResourceList per run: a second document would be lost. */
static bool nothing_after(struct loader *ld, struct arena *arena, struct diag_src *src)
{
	struct node *next = NULL;
	enum load_result lr = loader_next(ld, arena, &next);
	if (lr == LOAD_DOC && next->kind != N_NULL)
		diag_node(src, next, SEV_ERROR, "krm-input", "", "give the function one ResourceList",
			  "a second document after the ResourceList");
	return lr == LOAD_END || (lr == LOAD_DOC && next->kind == N_NULL);
}

/* n, or a copy of it with the values of secrets (nodes of n) masked. */
static struct node *without_secrets(struct arena *a, const struct node *n, const struct node *const *secrets,
				    size_t nsecrets)
{
	for (size_t i = 0; i < nsecrets; i++)
		if (secrets[i] == n)
			return node_str(a, "********");
	if (n->kind == N_MAP) {
		struct node *m = node_new(a, N_MAP);
		for (size_t i = 0; i < n->n; i++)
			node_set(a, m, n->pairs[i].key->text, without_secrets(a, n->pairs[i].value, secrets, nsecrets));
		return m;
	}
	if (n->kind == N_SEQ) {
		struct node *s = node_new(a, N_SEQ);
		for (size_t i = 0; i < n->n; i++)
			node_push(a, s, without_secrets(a, n->items[i], secrets, nsecrets));
		return s;
	}
	return (struct node *)n;
}

/* The list as it came, with the items made and (a ResourceList's) results; its
 * functionConfig without the values held under a secret's name. */
static struct node *answer(struct krm *k, const struct node *root, struct node *items, bool resource_list,
			   const struct diag_src *src)
{
	struct node *list = node_new(k->arena, N_MAP);
	for (size_t i = 0; i < root->n; i++) {
		const char *key = root->pairs[i].key->text;
		const struct node *v = root->pairs[i].value;
		if (!strcmp(key, "functionConfig"))
			v = without_secrets(k->arena, v, src->secrets, src->nsecrets);
		if (strcmp(key, "items") && strcmp(key, "results"))
			node_set(k->arena, list, key, (struct node *)v);
	}
	node_set(k->arena, list, "items", items);
	if (resource_list && k->results->n)
		node_set(k->arena, list, "results", k->results);
	return list;
}

int krm_run(FILE *in, FILE *out, FILE *err, const struct limits *lim, bool color)
{
	size_t len = 0;
	bool too_large = false;
	/* stdin whole, for a ResourceList is one document and its form (JSON or YAML)
	 * decides the output's */
	char *text = source_read_all(in, lim->max_file_bytes, &len, &too_large);
	if (!text) {
		fprintf(err, "sparkc: cannot read standard input: %s\n", strerror(errno));
		return 2;
	}
	struct source src_in;
	source_open_text(&src_in, "<stdin>", text, len);
	struct arena arena = {0};
	struct diags d = {0};
	struct diag_src src = {.diags = &d, .file = src_in.name, .source = &src_in};
	struct krm k = {.arena = &arena, .in = &src_in, .err = err, .color = color,
			.results = node_new(&arena, N_SEQ)};
	struct loader *ld = NULL;
	struct node *root = NULL;
	const struct node **config_secrets = NULL;
	size_t config_secrets_cap = 0;
	int rc = 1;
	bool emitted = false;   /* the ResourceList written */
	if (too_large) {
		diag_add(&src, 0, 0, SEV_ERROR, "limit-file-size", "", "raise --max-file-size",
			 "standard input is larger than %zu bytes", lim->max_file_bytes);
		goto done;
	}
	ld = loader_open(&src, &src_in, lim);
	enum load_result first = loader_next(ld, &arena, &root);
	if (first == LOAD_END)
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "", "a KRM function reads one ResourceList on stdin",
			 "no ResourceList on standard input");
	if (first != LOAD_DOC || !check_list(root, &src))
		goto done;
	bool resource_list = node_text_eq(node_get(root, "kind"), "ResourceList");
	/* the configuration's secrets: no result, and no functionConfig written back, shows them */
	const struct node *config = resource_list ? node_get(root, "functionConfig") : NULL;
	src.nsecrets = secrets_collect(config, &config_secrets, &config_secrets_cap);
	src.secrets = config_secrets;
	read_config(&k, config, &src);
	const struct templates *t = NULL;
	if (!d.errors) {
		/* templates_load reports to a bare diags: its diagnostics name template files */
		t = templates_load(k.templates_dir, &d);
	}
	add_results(&k, &d, NULL, NULL, 0);
	struct node *items_out = process_items(&k, t, node_get(root, "items"));
	if (!nothing_after(ld, &arena, &src))
		goto done;
	write_list(out, answer(&k, root, items_out, resource_list, &src), is_json(text, len));
	rc = fflush(out) ? 2 : k.errors ? 1 : 0;
	emitted = true;
done:
	if (!emitted) {
		add_results(&k, &d, NULL, NULL, 0);
		write_list(out, failed_list(&k), is_json(text, len));
		if (fflush(out))
			rc = 2;
	}
	if (d.n)
		diags_print(&d, FMT_TEXT, err, color);
	if (ld)
		loader_close(ld);
	diags_free(&d);
	source_close(&src_in);
	free(text);
	free(config_secrets);
	free(k.targets);
	arena_free(&arena);
	templates_free();
	schema_free();
	return rc;
}
