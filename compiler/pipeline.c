/* pipeline.c - see pipeline.h. */
#include "pipeline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "combine.h"
#include "config.h"
#include "document.h"
#include "escape.h"
#include "explain.h"
#include "job.h"
#include "jobnames.h"
#include "lower.h"
#include "manifest.h"
#include "mask.h"
#include "report.h"
#include "schema.h"
#include "secrets.h"
#include "strbuf.h"
#include "suppress.h"
#include "templates.h"

/* A Kubernetes object beside an application (a companion), held until its file ends. */
struct held_object {
	struct node *doc;
	const char *namespace, *file;   /* where -o files it: <namespace>/<name>.<kind>.yaml */
	struct job_origin at;
};

/* An explanation held until its file's diagnostics are settled: it is printed only if
 * its document has no error then. */
struct held {
	size_t doc;
	char *text;
	size_t len;
};

/* Files read again for the lines of duplicate names, found once every file is closed:
 * the file of the last one kept open, read on (the duplicates come in the order of the
 * run), so that many in one file read it once. */
struct reread {
	const char *file;
	struct source in;
	int line;
	bool open;
};

struct run {
	const struct options *opt;
	const struct templates *templates;      /* the run's: built in, or --templates */
	struct configs *configs;
	const struct config *config;            /* the current file's */
	struct suppressions *suppressions;      /* the current file's */
	struct reread reread;                   /* see frame_again */
	struct diags diags;
	struct output *out;
	struct arena arena;
	struct jobnames *seen;  /* namespace/name of every job so far */
	bool io_error;
	struct strbuf explanations;     /* explain: every job's, printed at the end */
	struct combine explained;       /* ... one stream into it */
	bool report;            /* validate --format junit|tap: ... */
	char **inputs;          /* ... needs every input read, clean ones too, ... */
	bool *inputs_skipped;   /* ... and which held no Spark job */
	size_t ninputs, inputs_cap;
	char *skipped_json;             /* .json files the directory walk passed over */
	size_t skipped_json_len;
	char *skipped_chart;            /* the first Helm chart it passed over, or NULL */
	const struct node **secrets;    /* the current document's values to mask */
	size_t secrets_cap;
	const struct node *unmasked;    /* the current document, its secrets not yet found */
	/* The current file: how many jobs and manifests it holds, how many other
	 * documents (Kubernetes objects; MLRun functions and YAML that is no object, the
	 * foreign), and their diagnostics, kept aside until it ends (end_objects). */
	size_t applications, others;
	struct diags lone_objects, foreign, companions;
	struct held *held;      /* explain's, until the file is settled */
	size_t nheld, held_cap;
	struct held_object *objects;    /* compile's companions, until the file ends ... */
	size_t nobjects, objects_cap;
	struct arena file_arena;        /* ... in here */
	size_t docs;            /* documents so far (diag_src.doc) */
	size_t excluded;        /* paths left out by exclude globs */
	struct diags skipped;   /* the errors of files skipped for holding no Spark job */
	struct diag_totals totals;      /* for the summary line */
};

/* ---- inputs ------------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* MLRun also exports functions as .json; a walk takes YAML only, so name what it left. */
static void note_skipped_json(struct run *r, const char *path)
{
	size_t len = strlen(path);
	r->skipped_json = xrealloc(r->skipped_json, r->skipped_json_len + len + 3);
	sprintf(r->skipped_json + r->skipped_json_len, "%s%s", r->skipped_json_len ? ", " : "", path);
	r->skipped_json_len += len + (r->skipped_json_len ? 2 : 0);
}

/* A directory that yields no job file fails like an empty file: a pre-commit gate
 * must not pass it silently. */
static void no_job_in_directory(struct run *r, const char *dir)
{
	struct diag_src src = {.diags = &r->diags, .file = dir};
	if (r->skipped_chart)
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "",
			 "a Helm chart's templates are YAML only once rendered: helm template CHART | sparkc validate -",
			 "no job in %s: it holds a Helm chart (%s), which a walk does not read", dir, r->skipped_chart);
	else if (r->skipped_json_len)
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "",
			 "a directory is walked for *.yaml and *.yml, skipping entries named .*; name a .json file as an argument to read it",
			 "no job in %s: it holds no .yaml or .yml file outside hidden entries, only %s", dir, r->skipped_json);
	else
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "", "a directory is walked for *.yaml and *.yml, skipping entries named .*",
			 "no job in %s: it holds no .yaml or .yml file outside hidden entries", dir);
}

/* validate's test reports (junit, tap) show an input that cannot be read as an
 * erroring test case: the message printed on stderr is also a diagnostic there. */
static void report_io(struct run *r, const char *path, int err)
{
	struct diag_src src = {.diags = &r->diags, .file = path};
	if (r->report)
		diag_add(&src, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: %s", path, strerror(err));
}

/* Whether an exclude glob (the command line's, or the path's configuration's) leaves
 * path out. */
static bool excluded(struct run *r, const char *path, bool is_dir)
{
	bool out = config_excludes(r->configs, path, is_dir, r->opt->exclude, r->opt->nexclude);
	r->excluded += out;
	return out;
}

static void add_file(const char *path, char ***files, size_t *n, size_t *cap)
{
	if (*n == *cap)
		*files = xrealloc(*files, (*cap = *cap ? *cap * 2 : 16) * sizeof **files);
	(*files)[(*n)++] = xstrdup(path);
}

/* Directories are walked in name order, hidden entries skipped, for a stable output.
 * As find and git do, a symbolic link to a directory found inside a walk is not
 * followed (no loops, nothing outside the tree), and only regular files are read
 * (a FIFO would block the walk, a device never ends); a link to a regular file is
 * read. What the command line names is taken as named, links and FIFOs included. */
static void walk(struct run *r, const char *path, char ***files, size_t *n, size_t *cap)
{
	/* A Helm chart (a directory holding Chart.yaml): its templates are Go templates,
	 * YAML only once helm renders them, and its Chart.yaml and values.yaml are no
	 * jobs. */
	struct stat cs;
	char *chart = xmalloc(strlen(path) + sizeof "/Chart.yaml");
	sprintf(chart, "%s/Chart.yaml", path);
	bool is_chart = stat(chart, &cs) == 0 && S_ISREG(cs.st_mode);
	free(chart);
	if (is_chart) {
		if (!r->skipped_chart)
			r->skipped_chart = xstrdup(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		report_io(r, path, errno);
		print_escaped(r->opt->err, "sparkc: cannot read directory %s: %s\n", path, strerror(errno));
		r->io_error = true;
		return;
	}
	char **names = NULL;
	size_t nn = 0, nc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nn == nc)
			names = xrealloc(names, (nc = nc ? nc * 2 : 16) * sizeof *names);
		names[nn] = xmalloc(strlen(path) + strlen(e->d_name) + 2);
		sprintf(names[nn++], "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
	}
	closedir(d);
	if (nn)         /* an empty directory: qsort must not see NULL */
		qsort(names, nn, sizeof *names, by_name);
	for (size_t i = 0; i < nn; i++) {
		struct stat es;
		size_t len = strlen(names[i]);
		if (lstat(names[i], &es))
			;       /* gone meanwhile */
		else if (S_ISLNK(es.st_mode) && (stat(names[i], &es) || S_ISDIR(es.st_mode)))
			;       /* a link to a directory, or to nothing: not followed */
		else if ((S_ISDIR(es.st_mode) || (S_ISREG(es.st_mode) && is_yaml_name(names[i]))) &&
			 excluded(r, names[i], S_ISDIR(es.st_mode)))
			;       /* never opened, nor walked */
		else if (S_ISDIR(es.st_mode))
			walk(r, names[i], files, n, cap);
		else if (S_ISREG(es.st_mode) && is_yaml_name(names[i]))
			add_file(names[i], files, n, cap);
		else if (S_ISREG(es.st_mode) && len > 5 && !strcmp(names[i] + len - 5, ".json"))
			note_skipped_json(r, names[i]);
		free(names[i]);
	}
	free(names);
}

static void collect(struct run *r, const char *path, char ***files, size_t *n, size_t *cap)
{
	struct stat st;
	bool dir = strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (excluded(r, path, dir))
		;       /* named, but excluded: pre-commit names every file it matches */
	else if (dir)
		walk(r, path, files, n, cap);
	else
		add_file(path, files, n, cap);
}

/* ---- the pipeline ---------------------------------------------------------------- */

/* One namespace/name is one Kubernetes object and one file under -o: a second job or
 * operator manifest with both is an error at its name, in every command (found at the
 * end of the run, see report_duplicate). */
static void note_name(struct run *r, const struct job *job, const struct diag_src *src)
{
	const struct node *name = node_get(job->metadata, "name");
	if (node_is_text(name) && job->namespace && strlen(name->text) == name->len)
		jobnames_add(r->seen, job->namespace, name->text,
			     (struct job_origin){src->file, name->line, name->col});
}

static void reread_close(struct reread *rr)
{
	if (rr->open)
		source_close(&rr->in);
	rr->open = false;
}

/* The line of a position in a file the run read, under a caret at col; NULL when the
 * file cannot be read again (standard input, a FIFO). */
static char *frame_again(struct reread *rr, const char *file, int line, int col, int *caret)
{
	if (rr->open && (strcmp(rr->file, file) || line < rr->line))
		reread_close(rr);
	struct stat st;         /* a FIFO or a device is not read twice */
	if (!rr->open && (stat(file, &st) || !S_ISREG(st.st_mode) || source_open(&rr->in, file, (size_t)-1) < 0))
		return NULL;
	rr->open = true;
	rr->file = file;
	rr->line = line;
	unsigned char buf[65536];
	size_t got = 1;
	char *next = NULL;
	while (!(next = source_excerpt(&rr->in, line + 1, 1, caret)) && source_read(&rr->in, buf, sizeof buf, &got) &&
	       got)
		;
	free(next);
	char *frame = source_excerpt(&rr->in, line, col, caret);
	source_document_starts(&rr->in, line);  /* the lines before it can go */
	return frame;
}

static void report_duplicate(const struct job_origin *again, const struct job_origin *first, void *arg)
{
	struct run *r = arg;
	struct diag_src src = {.diags = &r->diags, .file = again->file};
	char *frame = frame_again(&r->reread, again->file, again->line, again->col, &src.frame_caret);
	src.frame = frame;
	diag_add(&src, again->line, again->col, SEV_ERROR, "duplicate-job", "metadata.name",
		 "one namespace and name make one Kubernetes object (and one file under -o): rename one of them, "
		 "unless one is the manifest compile -o wrote from the other: leave such manifests out of the run "
		 "(compile --check -o DIR compares them)",
		 "a job or manifest with this namespace and name is already defined at %s:%d:%d", first->file,
		 first->line, first->col);
	free(frame);
}

const char *pipeline_namespace(const struct options *opt, const struct config *config)
{
	return opt->namespace ? opt->namespace : config->namespace;
}

const struct releases *pipeline_releases(const struct options *opt, const struct config *config)
{
	return config->releases ? config->releases : opt->releases;
}

static const char *namespace_option(const struct run *r)
{
	return pipeline_namespace(r->opt, r->config);
}

static const struct releases *releases_option(const struct run *r)
{
	return pipeline_releases(r->opt, r->config);
}

/* An operator manifest passes through as written: one that leaves metadata.namespace
 * out lands where kubectl or Argo CD puts it (filed under default/ by -o), unless -n
 * names a namespace, which is then written into it, as kubectl apply -n would. */
static struct node *passed_through(struct run *r, struct node *doc, const struct job *job)
{
	struct node *md = node_get(doc, "metadata");
	if (job->namespace_from_option && md && md->kind == N_MAP)
		node_set(&r->arena, md, "namespace", node_str(&r->arena, job->namespace));
	return doc;
}

static void write_objects(struct run *r);

/* Another Kubernetes object: noted, for the error if its file holds no application;
 * compile passes it through beside them, filed as DIR/<namespace>/<name>.<kind>.yaml
 * (no application's name has a dot, so the two never meet). */
static void process_object(struct run *r, struct node *doc, struct diag_src *src)
{
	const struct node *kind = node_get(doc, "kind");
	struct diag_src lone = *src, companion = *src;
	lone.diags = &r->lone_objects;
	companion.diags = &r->companions;
	document_lone_object(&lone, kind, node_get(doc, "apiVersion"));
	bool ok = check_secret_object(doc, &companion);
	if (!document_companion(doc, &companion) || !ok || r->opt->command != RUN_COMPILE)
		return;
	struct node *md = node_get(doc, "metadata");
	const struct node *ns = node_get(md, "namespace");
	const char *name = node_get(md, "name")->text;
	if (!ns && namespace_option(r))    /* as for a manifest, and kubectl apply -n */
		node_set(&r->arena, md, "namespace", node_str(&r->arena, namespace_option(r)));
	/* Until its file shows an application, held in the file's arena: a file of such
	 * objects alone is skipped, and none of them written. */
	struct arena *a = &r->file_arena;
	char *file = arena_alloc(a, strlen(name) + kind->len + 2);
	char *p = file + sprintf(file, "%s.", name);
	for (size_t i = 0; i <= kind->len; i++)
		p[i] = (char)tolower((unsigned char)kind->text[i]);
	if (r->nobjects == r->objects_cap)
		r->objects = xrealloc(r->objects, (r->objects_cap = r->objects_cap ? 2 * r->objects_cap : 8) *
						      sizeof *r->objects);
	r->objects[r->nobjects++] = (struct held_object){
		.doc = node_copy_detached(a, doc), .file = file,
		.namespace = arena_strdup(a, ns ? ns->text : namespace_option(r) ? namespace_option(r) : "default"),
		.at = {src->file, kind->line, kind->col}};
	write_objects(r);
}

/* A file's companions held so far, once it is known to hold an application: to the
 * output, in the order of the file's documents. */
static void write_objects(struct run *r)
{
	for (size_t i = 0; i < r->nobjects && r->applications; i++) {
		const struct held_object *o = &r->objects[i];
		jobnames_add(r->seen, o->namespace, o->file, o->at);
		if (!output_add(r->out, o->doc, o->namespace, o->file))
			r->io_error = true;
	}
	if (r->applications)
		r->nobjects = 0;
}

/* At the end of a file, its other documents' diagnostics. Beside a job or manifest, a
 * Kubernetes object is a companion (its own checks count) and another MLRun function
 * or YAML that is no object an error. A file of such documents alone (a kustomization,
 * RBAC, ConfigMaps beside the jobs, a GitHub workflow) is not sparkc's: their one error each is kept aside, for a run that finds
 * no job at all (run_finish), and the file is skipped, unless it has diagnostics of its
 * own (a YAML error, a malformed sparkc:ignore), which are reported. Returns whether
 * the file held such documents alone. */
static bool end_objects(struct run *r)
{
	bool alone = !r->applications && r->others;
	r->nobjects = 0;        /* written, or the file has no application */
	arena_reset(&r->file_arena);
	if (r->applications) {
		diags_move(&r->diags, &r->companions);
		diags_move(&r->diags, &r->foreign);
	} else {
		diags_move(&r->skipped, &r->lone_objects);
		diags_move(&r->skipped, &r->foreign);
	}
	diags_free(&r->companions);
	diags_free(&r->lone_objects);
	diags_free(&r->foreign);
	r->applications = r->others = 0;
	return alone;
}

/* Whether every error of d's from first on is one a suppression may silence (a
 * policy): the document is then compiled as if it had none, and the run fails at its
 * end unless they were silenced. There is at least one. */
static bool only_ignorable_errors(const struct diags *d, size_t first)
{
	bool any = false;
	for (size_t i = first; i < d->n; i++) {
		if (d->v[i].severity != SEV_ERROR)
			continue;
		const struct rule *rule = rule_find(d->v[i].rule);
		if (!rule || !rule->ignorable)
			return false;
		any = true;
	}
	return any;
}

bool pipeline_check_application(const struct node *doc, enum document_kind kind, const struct templates *t,
				const struct releases *rel, const char *namespace, struct job *job, struct diag_src *src)
{
	/* The meaning checks run even when the schema found problems, so that one run
	 * reports everything; they skip values of the wrong type. */
	if (!rel)
		rel = releases_default();
	bool valid = kind == DOC_MANIFEST ? schema_validate_manifest(doc, src, rel) : schema_validate(doc, src, rel);
	if (doc->kind != N_MAP)
		return false;
	if (kind == DOC_MANIFEST)
		manifest_resolve(job, doc, t, rel, namespace);
	else
		job_resolve(job, doc, t, rel, namespace);
	return check_job(job, src) && valid;
}

/* Comments do not survive compiling: the rules that the ignore comments of the
 * application (diagnostics from first on) silence and that its manifest draws too are
 * added to the manifest's sparkc.io/ignore annotation, so that validate says of the
 * output what it says of the job (a rule of the job's format alone is left out: there
 * it would be an unused ignore). Rare, so the manifest's check runs again only then. */
static void carry_ignores(struct run *r, struct node *manifest, size_t first, const struct diag_src *src)
{
	const char *ids[32];
	size_t n = suppress_commented(r->suppressions, &r->diags, first, ids, sizeof ids / sizeof *ids);
	if (!n)
		return;
	struct diags drawn = {0};
	struct diag_src quiet = {.diags = &drawn, .file = src->file, .doc = src->doc};
	struct job again;
	pipeline_check_application(manifest, DOC_MANIFEST, r->config->templates, releases_option(r),
				   namespace_option(r), &again, &quiet);
	struct node *md = node_get(manifest, "metadata"), *ann = node_get(md, "annotations");
	const struct node *had = node_get(ann, "sparkc.io/ignore");
	struct strbuf list = {0};
	if (node_is_text(had))
		strbuf_add(&list, had->text, had->len);
	for (size_t i = 0; i < n; i++) {
		bool recurs = false;
		for (size_t k = 0; k < drawn.n && !recurs; k++)
			recurs = !strcmp(drawn.v[k].rule, ids[i]);
		if (!recurs)
			continue;
		if (list.len)
			strbuf_add(&list, ",", 1);
		strbuf_add(&list, ids[i], strlen(ids[i]));
	}
	diags_free(&drawn);
	if (list.len && md && md->kind == N_MAP && (!had || list.len > had->len)) {
		/* copies, as lowering shares unchanged subtrees (templates' among them) */
		ann = ann && ann->kind == N_MAP ? node_copy_shallow(&r->arena, ann) : node_new(&r->arena, N_MAP);
		node_set(&r->arena, ann, "sparkc.io/ignore", node_strn(&r->arena, list.p, list.len));
		md = node_copy_shallow(&r->arena, md);
		node_set(&r->arena, md, "annotations", ann);
		node_set(&r->arena, manifest, "metadata", md);
	}
	free(list.p);
}

static void process_document(struct run *r, struct node *doc, struct diag_src *src)
{
	size_t first = r->diags.n;
	enum document_kind kind = document_kind(doc, src);
	suppress_annotation(r->suppressions, src, doc);
	if (kind == DOC_KUBERNETES || kind == DOC_FUNCTION || kind == DOC_FOREIGN)
		r->others++;
	if (kind == DOC_KUBERNETES)
		process_object(r, doc, src);
	if (kind == DOC_FUNCTION || kind == DOC_FOREIGN) {
		struct diag_src aside = *src;
		aside.diags = &r->foreign;
		if (kind == DOC_FUNCTION)
			document_function(&aside, node_get(doc, "kind"));
		else
			document_foreign(&aside, doc);
	}
	if (kind == DOC_KUBERNETES || kind == DOC_FUNCTION || kind == DOC_FOREIGN || kind == DOC_OTHER)
		return;
	r->applications++;
	write_objects(r);       /* the companions before it */
	if (kind == DOC_MANIFEST)
		r->totals.manifests++;
	else
		r->totals.jobs++;
	struct job job;
	bool valid = pipeline_check_application(doc, kind, r->config->templates, releases_option(r),
						namespace_option(r), &job, src);
	if (doc->kind != N_MAP)
		return;
	note_name(r, &job, src);
	if ((!valid && !only_ignorable_errors(&r->diags, first)) || r->opt->command == RUN_VALIDATE)
		return;
	struct node *manifest = kind == DOC_MANIFEST ? passed_through(r, doc, &job) : lower_job(&job, &r->arena);
	if (r->opt->command == RUN_COMPILE)
		carry_ignores(r, manifest, first, src);
	if (r->opt->command == RUN_EXPLAIN) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		explain_job(mem, &job, manifest, r->opt->explain_format == EXPLAIN_JSON);
		fclose(mem);
		if (r->nheld == r->held_cap)
			r->held = xrealloc(r->held, (r->held_cap = r->held_cap ? 2 * r->held_cap : 8) * sizeof *r->held);
		r->held[r->nheld++] = (struct held){src->doc, text, len};
		return;
	}
	if (!output_add(r->out, manifest, job.namespace, job.name))
		r->io_error = true;
}

/* The document's secrets, found when its first diagnostic is made, so that none shows
 * them; a document that draws none is not walked for them. */
static void find_secrets(struct diag_src *src)
{
	struct run *r = src->find_secrets_arg;
	src->nsecrets = secrets_collect(r->unmasked, &r->secrets, &r->secrets_cap);
	src->secrets = r->secrets;
	src->find_secrets = NULL;
}

/* The loader's diagnostics, made while it read the document (from index loaded_from
 * on), are masked again once its secrets are known. A document the loader could not
 * take whole (load_error) is masked of, not processed. */
static void process_masked(struct run *r, struct node *doc, struct diag_src *src, size_t loaded_from,
			   bool load_error)
{
	r->unmasked = doc;
	src->find_secrets = find_secrets;
	src->find_secrets_arg = r;
	if (src->diags->n > loaded_from) {
		diag_find_secrets(src);
		mask_diags_since(src->diags, loaded_from, src);
	}
	if (!load_error)
		process_document(r, doc, src);
	src->find_secrets = NULL;
	src->nsecrets = 0;
}

/* A comment the loader found, read while its line is in the window. */
struct comment_arg {
	struct run *run;
	struct diag_src *src;
};

static void take_comment(void *arg, const struct loader_comment *c)
{
	struct comment_arg *ca = arg;
	suppress_comment(ca->run->suppressions, ca->src, c);
}

/* When a file ends: its suppressions, then the settings of its configuration and the
 * command line; then the explanations of its documents that have no error left. A
 * file of other objects alone was not checked: a suppression in it that silences
 * nothing is no finding. */
static void settle_file(struct run *r, size_t first, const char *file, bool checked)
{
	r->totals.ignored += suppress_apply(r->suppressions, &r->diags, first, file, checked);
	config_apply(r->config, r->opt->rule_levels, r->opt->fail_on, &r->diags, first);
	for (size_t i = 0; i < r->nheld; i++) {
		bool failed = false;
		for (size_t k = first; k < r->diags.n && !failed; k++)
			failed = r->diags.v[k].doc == r->held[i].doc && r->diags.v[k].severity == SEV_ERROR;
		if (!failed)
			combine_add(&r->explained, r->held[i].text, r->held[i].len);
		free(r->held[i].text);
	}
	r->nheld = 0;
}

static void process_source(struct run *r, struct source *in)
{
	struct diag_src src = {.diags = &r->diags, .file = in->name, .source = in};
	if (r->report) {
		if (r->ninputs == r->inputs_cap) {
			r->inputs_cap = r->inputs_cap ? r->inputs_cap * 2 : 16;
			r->inputs = xrealloc(r->inputs, r->inputs_cap * sizeof *r->inputs);
			r->inputs_skipped = xrealloc(r->inputs_skipped, r->inputs_cap * sizeof *r->inputs_skipped);
		}
		r->inputs_skipped[r->ninputs] = false;
		r->inputs[r->ninputs++] = xstrdup(in->name);
	}
	r->totals.files++;
	size_t first = r->diags.n;
	struct loader *ld = loader_open(&src, in, &r->opt->limits);
	loader_on_comment(ld, take_comment, &(struct comment_arg){r, &src});
	size_t jobs = 0;
	bool failed = false;
	struct node *doc;
	enum load_result lr;
	/* src.doc names the document about to be read: its comments come with it */
	for (size_t loaded_from = r->diags.n; (void)(src.doc = ++r->docs),
	     (lr = loader_next(ld, &r->arena, &doc)) != LOAD_END; loaded_from = r->diags.n) {
		if (lr == LOAD_ERROR) {
			failed = true;
			if (!doc)
				break;  /* the stream cannot go on */
			process_masked(r, doc, &src, loaded_from, true);
		} else if (doc->kind != N_NULL) {
			jobs++;
			process_masked(r, doc, &src, loaded_from, false);
		}
		arena_reset(&r->arena);
	}
	loader_close(ld);
	bool alone = end_objects(r);
	if (in->status == SOURCE_IO) {
		report_io(r, in->name, in->io_errno);
		print_escaped(r->opt->err, "sparkc: cannot read %s: %s\n", in->name, strerror(in->io_errno));
		r->io_error = true;
	} else if (!jobs && !failed) {
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "", "a job file holds at least one kind: spark document",
			 "no job in %s", src.file);
	}
	settle_file(r, first, in->name, !alone);
	/* skipped: other objects alone, and nothing of its own to report */
	if (alone && r->diags.n == first && !r->io_error) {
		r->totals.skipped++;
		if (r->report)
			r->inputs_skipped[r->ninputs - 1] = true;
	}
}

static void process_file(struct run *r, const char *path)
{
	r->config = config_for(r->configs, path);
	if (r->config->invalid)
		return;         /* its errors say why; what it governs is not read */
	struct source in;
	if (source_open(&in, path, r->opt->limits.max_file_bytes)) {
		int err = errno;
		report_io(r, path, err);
		print_escaped(r->opt->err, "sparkc: cannot read %s: %s\n", path, strerror(err));
		r->io_error = true;
		return;
	}
	process_source(r, &in);
	source_close(&in);
}

struct configs *pipeline_configs_open(const struct options *opt, const struct templates *templates, bool files,
				      struct diags *diags)
{
	return configs_open(&(struct config_options){
		.file = opt->config_file, .none = opt->no_config || !files, .templates = templates,
		.templates_given = opt->templates_dir != NULL, .mlrun_version = opt->mlrun_version,
		.operator_version = opt->operator_version}, diags);
}

/* files: the inputs are files (a run over text in memory reads no configuration). */
static bool run_begin(struct run *r, const struct options *opt, bool files)
{
	*r = (struct run){.opt = opt, .seen = jobnames_new(), .report = opt->command == RUN_VALIDATE &&
			  (opt->diag_format == FMT_JUNIT || opt->diag_format == FMT_TAP)};
	combine_begin(&r->explained, opt->explain_format == EXPLAIN_JSON ? COMBINE_JSON_ARRAY : COMBINE_TEXT,
		      &r->explanations);
	r->templates = templates_load(opt->templates_dir, &r->diags);
	if (!r->templates) {    /* r->diags says why: the caller reports them */
		templates_free();
		jobnames_free(r->seen);
		return false;
	}
	r->configs = pipeline_configs_open(opt, r->templates, files, &r->diags);
	r->suppressions = suppressions_new();
	if (opt->command == RUN_COMPILE)
		r->out = output_open(&(struct output_options){
			.dir = opt->out_dir, .check = opt->check, .diff = opt->diff,
			.kustomization = opt->kustomization, .color = opt->color_out, .fmt = opt->out_format,
			.max_file_bytes = opt->limits.max_file_bytes, .err = opt->err}, opt->out);
	return true;
}

/* The templates failed (run_begin): their diagnostics, and the exit status. */
static int run_failed(struct run *r)
{
	diags_print(&r->diags, FMT_TEXT, r->opt->err, r->opt->color);
	diags_free(&r->diags);
	return templates_failure();
}

/* What a run holds, released at its end; the compiled schemas too unless the process
 * goes on checking (the language server), so that leak checkers see a clean heap. */
static void run_free(struct run *r, bool keep_schemas)
{
	free(r->explanations.p);
	free(r->secrets);
	for (size_t i = 0; i < r->ninputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	free(r->inputs_skipped);
	free(r->held);
	free(r->objects);
	arena_free(&r->file_arena);
	diags_free(&r->skipped);
	diags_free(&r->diags);
	arena_free(&r->arena);
	jobnames_free(r->seen);
	suppressions_free(r->suppressions);
	configs_free(r->configs);
	templates_free();
	if (!keep_schemas)
		schema_free();
}

static int run_finish(struct run *r)
{
	const struct options *opt = r->opt;
	jobnames_duplicates(r->seen, report_duplicate, r);
	reread_close(&r->reread);
	/* A run that finds no job and no manifest at all fails: each file it skipped
	 * draws the error at its kind, as when it is alone; unless --allow-no-jobs (a
	 * hook handed only the files a commit changed: a ServiceAccount, a kustomization). */
	if (!r->totals.jobs && !r->totals.manifests && r->skipped.n && !opt->allow_no_jobs) {
		diags_move(&r->diags, &r->skipped);
		r->totals.skipped = 0;
		for (size_t i = 0; i < r->ninputs; i++)
			r->inputs_skipped[i] = false;
	}
	bool ok = r->diags.failing == 0 && !r->io_error;
	int rc = 0;
	combine_end(&r->explained);
	if (r->explanations.len)
		fwrite(r->explanations.p, 1, r->explanations.len, opt->out);
	if (r->out)
		rc = output_close(r->out, ok);
	/* Machine formats of validate go to stdout; text (and compile's) to stderr. */
	bool machine = opt->command == RUN_VALIDATE && opt->diag_format != FMT_TEXT;
	bool reported = r->diags.n > 0;
	if (opt->quiet)
		diags_drop_warnings(&r->diags);
	if (r->report)
		report_print(&r->diags, opt->diag_format, r->inputs, r->inputs_skipped, r->ninputs, opt->out);
	else if (machine || r->diags.n)
		diags_print(&r->diags, opt->diag_format, machine ? opt->out : opt->err,
			    !machine && opt->color);
	/* The summary ends text output when anything was reported, or nothing read for
	 * every input was excluded; machine formats on stderr (compile --diagnostics) get
	 * it only when asked. */
	r->totals.excluded = r->excluded;
	bool nothing_read = !r->totals.files && r->excluded;
	if (!opt->quiet && (opt->summary || ((reported || nothing_read) && opt->diag_format == FMT_TEXT)))
		diags_summary(&r->diags, &r->totals, opt->err, opt->color);
	if (r->io_error)
		rc = 2;
	else if (!ok && rc == 0)
		rc = 1;
	run_free(r, false);
	return rc;
}

int pipeline_run(const struct options *opt, char **inputs, size_t ninputs)
{
	struct run r;
	if (!run_begin(&r, opt, true))
		return run_failed(&r);
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	for (size_t i = 0; i < ninputs; i++) {
		size_t before = nfiles, excluded_before = r.excluded;
		bool io_error = r.io_error;
		r.skipped_json_len = 0;
		free(r.skipped_chart);
		r.skipped_chart = NULL;
		collect(&r, inputs[i], &files, &nfiles, &cap);
		if (nfiles == before && r.io_error == io_error && r.excluded == excluded_before)
			no_job_in_directory(&r, inputs[i]);
	}
	free(r.skipped_json);
	free(r.skipped_chart);
	for (size_t i = 0; i < nfiles; i++)
		process_file(&r, files[i]);
	int rc = run_finish(&r);        /* diagnostics name the files */
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return rc;
}

int pipeline_run_text(const struct options *opt, const char *name, const char *text, size_t len)
{
	struct run r;
	if (!run_begin(&r, opt, false))
		return run_failed(&r);
	struct source in;
	source_open_text(&in, name, text, len);
	r.config = config_for(r.configs, "-");
	process_source(&r, &in);
	source_close(&in);
	return run_finish(&r);
}

void pipeline_validate_text(const struct options *opt, const char *name, const char *text, size_t len,
			    struct diags *out)
{
	struct run r;
	if (!run_begin(&r, opt, true)) {
		diags_sort(&r.diags);
		diags_move(out, &r.diags);      /* the templates' */
		return;
	}
	if (config_named(name)) {
		config_check_text(r.configs, name, text, len);
	} else {
		/* as validate reads a file of that name: its configuration, unless excluded;
		 * a file of other objects alone is skipped, as beside the jobs of a repository */
		r.config = config_for(r.configs, name);
		if (!r.config->invalid && !config_excludes(r.configs, name, false, opt->exclude, opt->nexclude)) {
			struct source in;
			source_open_text(&in, name, text, len);
			process_source(&r, &in);
			source_close(&in);
		}
		jobnames_duplicates(r.seen, report_duplicate, &r);
		reread_close(&r.reread);
	}
	diags_sort(&r.diags);
	diags_move(out, &r.diags);
	run_free(&r, true);
}

