/* pipeline.c - see pipeline.h. */
#include "pipeline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "document.h"
#include "escape.h"
#include "combine.h"
#include "explain.h"
#include "job.h"
#include "jobnames.h"
#include "lower.h"
#include "manifest.h"
#include "mask.h"
#include "report.h"
#include "schema.h"
#include "secrets.h"
#include "templates.h"

struct run {
	const struct options *opt;
	const struct templates *templates;
	struct diags diags;
	struct output *out;
	struct arena arena;
	struct jobnames *seen;  /* namespace/name of every job so far */
	bool io_error;
	struct strbuf explanations;     /* explain: every job's, printed at the end */
	struct combine explained;       /* ... one stream into it */
	bool report;            /* validate --format junit|tap: ... */
	char **inputs;          /* ... needs every input read, clean ones too */
	size_t ninputs, inputs_cap;
	char *skipped_json;             /* .json files the directory walk passed over */
	size_t skipped_json_len;
	const struct node **secrets;    /* the current document's values to mask */
	size_t secrets_cap;
	/* The current file: how many jobs and manifests it holds, and the errors of its
	 * other Kubernetes objects, which count if it holds none (document_lone_object). */
	size_t applications;
	struct diags lone_objects, companions;
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
	if (r->skipped_json_len)
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
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
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

static void report_duplicate(const struct job_origin *again, const struct job_origin *first, void *arg)
{
	struct run *r = arg;
	struct diag_src src = {.diags = &r->diags, .file = again->file};
	diag_add(&src, again->line, again->col, SEV_ERROR, "duplicate-job", "metadata.name",
		 "one namespace and name make one Kubernetes object (and one file under -o): rename one of them",
		 "a job or manifest with this namespace and name is already defined at %s:%d:%d", first->file,
		 first->line, first->col);
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
	if (!ns && r->opt->namespace)      /* as for a manifest, and kubectl apply -n */
		node_set(&r->arena, md, "namespace", node_str(&r->arena, r->opt->namespace));
	char *file = xmalloc(strlen(name) + kind->len + 2);
	char *p = file + sprintf(file, "%s.", name);
	for (size_t i = 0; i <= kind->len; i++)
		p[i] = (char)tolower((unsigned char)kind->text[i]);
	const char *namespace = ns ? ns->text : r->opt->namespace ? r->opt->namespace : "default";
	jobnames_add(r->seen, namespace, file, (struct job_origin){src->file, kind->line, kind->col});
	if (!output_add(r->out, doc, namespace, file))
		r->io_error = true;
	free(file);
}

/* At the end of a file, its other Kubernetes objects' diagnostics: as companions if
 * it holds an application, else the one error each that says what sparkc reads. */
static void end_objects(struct run *r)
{
	diags_move(&r->diags, r->applications ? &r->companions : &r->lone_objects);
	diags_free(&r->companions);
	diags_free(&r->lone_objects);
	r->applications = 0;
}

static void process_document(struct run *r, struct node *doc, struct diag_src *src)
{
	enum document_kind kind = document_kind(doc, src);
	if (kind == DOC_KUBERNETES)
		process_object(r, doc, src);
	if (kind == DOC_KUBERNETES || kind == DOC_OTHER)
		return;
	r->applications++;
	if (kind == DOC_MANIFEST)
		r->totals.manifests++;
	else
		r->totals.jobs++;
	/* The meaning checks run even when the schema found problems, so that one run
	 * reports everything; they skip values of the wrong type. */
	const struct releases *rel = r->opt->releases ? r->opt->releases : releases_default();
	bool valid = kind == DOC_MANIFEST ? schema_validate_manifest(doc, src, rel) : schema_validate(doc, src, rel);
	if (doc->kind != N_MAP)
		return;
	struct job job;
	if (kind == DOC_MANIFEST)
		manifest_resolve(&job, doc, r->templates, rel, r->opt->namespace);
	else
		job_resolve(&job, doc, r->templates, rel, r->opt->namespace);
	valid = check_job(&job, src) && valid;
	note_name(r, &job, src);
	if (!valid || r->opt->command == RUN_VALIDATE)
		return;
	struct node *manifest = kind == DOC_MANIFEST ? passed_through(r, doc, &job) : lower_job(&job, &r->arena);
	if (r->opt->command == RUN_EXPLAIN) {
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		explain_job(mem, &job, manifest, r->opt->explain_format == EXPLAIN_JSON);
		fclose(mem);
		combine_add(&r->explained, text, len);
		free(text);
		return;
	}
	if (!output_add(r->out, manifest, job.namespace, job.name))
		r->io_error = true;
}

/* The document's secrets are known before its first diagnostic, so that none shows them;
 * the loader's, made while it read the document (diagnostics from index loaded_from on),
 * are masked again with them. A document the loader could not take whole (load_error)
 * is masked of, not processed. */
static void process_masked(struct run *r, struct node *doc, struct diag_src *src, size_t loaded_from,
			   bool load_error)
{
	src->nsecrets = secrets_collect(doc, &r->secrets, &r->secrets_cap);
	src->secrets = r->secrets;
	mask_diags_since(src->diags, loaded_from, src);
	if (!load_error)
		process_document(r, doc, src);
	src->nsecrets = 0;
}

static void process_source(struct run *r, struct source *in)
{
	struct diag_src src = {.diags = &r->diags, .file = in->name, .source = in};
	if (r->report) {
		if (r->ninputs == r->inputs_cap)
			r->inputs = xrealloc(r->inputs, (r->inputs_cap = r->inputs_cap ? r->inputs_cap * 2 : 16) *
						 sizeof *r->inputs);
		r->inputs[r->ninputs++] = xstrdup(in->name);
	}
	r->totals.files++;
	struct loader *ld = loader_open(&src, in, &r->opt->limits);
	size_t jobs = 0;
	bool failed = false;
	struct node *doc;
	enum load_result lr;
	for (size_t loaded_from = r->diags.n; (lr = loader_next(ld, &r->arena, &doc)) != LOAD_END;
	     loaded_from = r->diags.n) {
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
	end_objects(r);
	if (in->status == SOURCE_IO) {
		report_io(r, in->name, in->io_errno);
		print_escaped(r->opt->err, "sparkc: cannot read %s: %s\n", in->name, strerror(in->io_errno));
		r->io_error = true;
	} else if (!jobs && !failed) {
		diag_add(&src, 0, 0, SEV_ERROR, "empty", "", "a job file holds at least one kind: spark document",
			 "no job in %s", src.file);
	}
}

static void process_file(struct run *r, const char *path)
{
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

static bool run_begin(struct run *r, const struct options *opt)
{
	*r = (struct run){.opt = opt, .seen = jobnames_new(), .report = opt->command == RUN_VALIDATE &&
			  (opt->diag_format == FMT_JUNIT || opt->diag_format == FMT_TAP)};
	combine_begin(&r->explained, opt->explain_format == EXPLAIN_JSON ? COMBINE_JSON_ARRAY : COMBINE_TEXT,
		      &r->explanations);
	r->templates = templates_load(opt->templates_dir, &r->diags);
	if (!r->templates) {
		diags_print(&r->diags, FMT_TEXT, opt->err, opt->color);
		diags_free(&r->diags);
		templates_free();
		jobnames_free(r->seen);
		return false;
	}
	if (opt->command == RUN_COMPILE)
		r->out = output_open(&(struct output_options){
			.dir = opt->out_dir, .check = opt->check, .diff = opt->diff,
			.kustomization = opt->kustomization, .color = opt->color_out, .fmt = opt->out_format,
			.max_file_bytes = opt->limits.max_file_bytes, .err = opt->err}, opt->out);
	return true;
}

static int run_finish(struct run *r)
{
	const struct options *opt = r->opt;
	jobnames_duplicates(r->seen, report_duplicate, r);
	bool ok = r->diags.errors == 0 && !r->io_error;
	int rc = 0;
	combine_end(&r->explained);
	if (r->explanations.len)
		fwrite(r->explanations.p, 1, r->explanations.len, opt->out);
	free(r->explanations.p);
	free(r->secrets);
	if (r->out)
		rc = output_close(r->out, ok);
	/* Machine formats of validate go to stdout; text (and compile's) to stderr. */
	bool machine = opt->command == RUN_VALIDATE && opt->diag_format != FMT_TEXT;
	bool reported = r->diags.n > 0;
	if (opt->quiet)
		diags_drop_warnings(&r->diags);
	if (r->report)
		report_print(&r->diags, opt->diag_format, r->inputs, r->ninputs, opt->out);
	else if (machine || r->diags.n)
		diags_print(&r->diags, opt->diag_format, machine ? opt->out : opt->err,
			    !machine && opt->color);
	/* The summary ends text output when anything was reported; machine formats
	 * on stderr (compile --diagnostics) get it only when asked. */
	if (!opt->quiet && (opt->summary || (reported && opt->diag_format == FMT_TEXT)))
		diags_summary(&r->diags, &r->totals, opt->err, opt->color);
	for (size_t i = 0; i < r->ninputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	if (r->io_error)
		rc = 2;
	else if (r->diags.errors && rc == 0)
		rc = 1;
	diags_free(&r->diags);
	arena_free(&r->arena);
	jobnames_free(r->seen);
	templates_free();
	schema_free();
	return rc;
}

int pipeline_run(const struct options *opt, char **inputs, size_t ninputs)
{
	struct run r;
	if (!run_begin(&r, opt))
		return templates_failure();
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	for (size_t i = 0; i < ninputs; i++) {
		size_t before = nfiles;
		bool io_error = r.io_error;
		r.skipped_json_len = 0;
		collect(&r, inputs[i], &files, &nfiles, &cap);
		if (nfiles == before && r.io_error == io_error)
			no_job_in_directory(&r, inputs[i]);
	}
	free(r.skipped_json);
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
	if (!run_begin(&r, opt))
		return templates_failure();
	struct source in;
	source_open_text(&in, name, text, len);
	process_source(&r, &in);
	source_close(&in);
	return run_finish(&r);
}
