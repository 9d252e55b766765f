/* pipeline.h - drives the stages over every input, one document at a time:
 *
 *   load (load.c) -> schema (schema.c) -> check (check.c) -> lower (lower.c) -> emit (emit.c)
 *
 * and collects the diagnostics of the whole run. The command line (main.c) and the
 * fuzzer (tests/fuzz/) are its two callers. */
#ifndef SPARKC_PIPELINE_H
#define SPARKC_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "diag.h"
#include "document.h"
#include "job.h"
#include "load.h"
#include "output.h"
#include "upstream.h"

/* The commands that run the stages; schema, init and krm are main.c's own. */
enum run_command { RUN_COMPILE, RUN_VALIDATE, RUN_EXPLAIN };

/* explain's own formats: the text it prints is no YAML. */
enum explain_format { EXPLAIN_TEXT, EXPLAIN_JSON };

struct options {
	enum run_command command;
	const char *out_dir;            /* compile -o */
	bool check;                     /* compile --check */
	bool diff;                      /* compile --diff */
	bool kustomization;             /* compile --kustomization */
	const char *namespace;          /* -n */
	const char *templates_dir;      /* --templates */
	const struct releases *releases; /* --mlrun-version, --operator-version; NULL: the defaults */
	const char *mlrun_version, *operator_version;  /* ... as given, which win over a configuration's */
	enum out_format out_format;     /* compile --format */
	enum explain_format explain_format; /* explain --format */
	enum diag_format diag_format;   /* validate --format, compile --diagnostics */
	struct limits limits;
	FILE *out;                      /* manifests and explanations (stdout) */
	FILE *err;                      /* diagnostics in text form (stderr) */
	const char *config_file;        /* --config */
	bool no_config;                 /* --no-config */
	char **exclude;                 /* --exclude, each a gitignore-style glob */
	size_t nexclude;
	unsigned char *rule_levels;     /* --disable, --enable: per rule (rules.h), enum rule_level; or NULL */
	enum fail_on fail_on;           /* --fail-on */
	bool allow_no_jobs;             /* --allow-no-jobs: a run of skipped files alone succeeds */
	bool quiet;                     /* -q: errors only, no summary */
	bool summary;                   /* --summary: the summary line even when nothing was reported */
	bool color;                     /* colour the text diagnostics */
	bool color_out;                 /* colour what goes to out (--diff) */
};

/* Run a command over files and directories ("-" is stdin); returns the exit status. */
int pipeline_run(const struct options *opt, char **inputs, size_t ninputs);

/* The same over one input held in memory. */
int pipeline_run_text(const struct options *opt, const char *name, const char *text, size_t len);

/* validate over one input held in memory, as over a file of that name (its
 * .sparkc.yaml, its exclusion, its suppressions), for a caller that goes on (the
 * language server): its diagnostics, sorted, are appended to out instead of printed,
 * and the compiled schemas are kept for the next call. A file of other Kubernetes
 * objects alone is skipped, as in a repository's run: it draws nothing. A .sparkc.yaml
 * is checked as the configuration it is. */
void pipeline_validate_text(const struct options *opt, const char *name, const char *text, size_t len,
			    struct diags *out);

/* The configurations of the command line's options (opt's --config, --no-config, the
 * templates and releases it gives); files: the inputs are files, whose .sparkc.yaml
 * apply (else none does). configs_free releases them. */
struct configs *pipeline_configs_open(const struct options *opt, const struct templates *templates, bool files,
				      struct diags *diags);

/* A file's namespace (-n, else its configuration's) and releases (its configuration's
 * mlrun.version, operator.version, else the command line's), as every command reads them. */
const char *pipeline_namespace(const struct options *opt, const struct config *config);
const struct releases *pipeline_releases(const struct options *opt, const struct config *config);

/* One job or operator manifest (kind, from document_kind) as every command checks it
 * for the releases rel (NULL: the defaults): its schema, its settings resolved into *job
 * (only when doc is a mapping) and the meaning checks; true when it is valid. */
bool pipeline_check_application(const struct node *doc, enum document_kind kind, const struct templates *t,
				const struct releases *rel, const char *namespace, struct job *job, struct diag_src *src);

#endif
