/* main.c - the sparkc command line: subcommands, options, help. The work itself is
 * pipeline.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init.h"
#include "k8sname.h"
#include "krm.h"
#include "escape.h"
#include "lsp.h"
#include "pipeline.h"
#include "resources.h"
#include "rules.h"
#include "suggest.h"
#include "upstream.h"
#include "version.h"

/* The releases compile, validate and explain follow (upstream.h). */
#define USAGE_RELEASES \
	"      --mlrun-version V  the MLRun release whose submission to follow (default\n" \
	"                         the newest release; sparkc --version lists them)\n" \
	"      --operator-version V  the Spark operator release whose CRD to check\n" \
	"                         against (default its newest release; or master)\n"

static const char usage_main[] =
	"usage: sparkc <command> [options] [FILE...]\n"
	"\n"
	"Compile Spark job descriptions (MLRun kind: spark YAML) to Spark operator manifests.\n"
	"Operator manifests (sparkoperator.k8s.io/v1beta2 SparkApplication and\n"
	"ScheduledSparkApplication) are read too: validated, explained and passed through.\n"
	"\n"
	"commands:\n"
	"  compile    job files -> SparkApplication / ScheduledSparkApplication manifests\n"
	"  validate   check job files and report every problem (for pre-commit and CI)\n"
	"  explain    show each job's real pod sizes, footprint and spark-submit conf\n"
	"  init       print a commented starter job\n"
	"  krm        run as a KRM function: ResourceList on stdin -> ResourceList on stdout\n"
	"  lsp        run as a language server for editors (LSP on stdin and stdout)\n"
	"  rules      list every rule sparkc reports: id, severity, summary, source\n"
	"  schema     print the JSON Schema of the job format\n"
	"\n"
	"  sparkc --help | --version\n"
	"  sparkc <command> --help      options of one command\n"
	"\n"
	"Exit status: 0 success, 1 invalid input, 2 usage or I/O error.\n"
	"\n"
	"Documentation, releases and issues: " SPARKC_REPOSITORY "\n";

static const char usage_compile[] =
	"usage: sparkc compile [options] FILE...|-\n"
	"\n"
	"Compile job files (directories are walked for *.yaml and *.yml; - reads stdin) to\n"
	"manifests on stdout, one YAML document each; an operator manifest among them is\n"
	"validated and written through in the same form. Nothing is written unless every\n"
	"job compiles.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       write DIR/<namespace>/<name>.yaml instead of stdout;\n"
	"                         unchanged files are left untouched, and files an\n"
	"                         earlier run wrote whose job is gone are removed\n"
	"      --check            with -o: write nothing, exit 1 listing files missing,\n"
	"                         differing or orphaned, and leftovers of interrupted runs\n"
	"      --diff             with -o: write nothing, print a unified diff of what a\n"
	"                         run would change (paths relative to DIR); exit 1 if any\n"
	"      --kustomization    with -o: also write DIR/kustomization.yaml listing every\n"
	"                         generated manifest\n"
	"  -n, --namespace NS     namespace of every job, overriding metadata.namespace, and\n"
	"                         of operator manifests that give none\n"
	"      --format FMT       yaml (default) or json (several manifests form a v1 List)\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	USAGE_RELEASES
	"      --diagnostics FMT  text (default), json, sarif or github\n"
	"  -h, --help             show this help\n"
	"\n"
	"what is atomic:\n"
	"  Nothing is written unless every input compiles. With -o, all files change or\n"
	"  none: each is written into a staging directory inside DIR, then renamed into\n"
	"  place, and a failed rename puts back what the run had replaced. A signal that\n"
	"  can be caught removes the staging directory; after SIGKILL or a crash, the next\n"
	"  run removes it (--check reports it), but a crash during the renames can leave\n"
	"  some files new and some old. Standard output, when a regular file, gets whole\n"
	"  documents (a signal lands between two); a pipe can see a cut-off stream if\n"
	"  sparkc is killed while writing. sparkc never truncates or seeks standard output.\n"
	"  Nothing is written outside DIR or through a symbolic link inside it.\n";

static const char examples_compile[] =
	"\n"
	"examples:\n"
	"  sparkc compile jobs/etl.yaml | kubectl apply -f -\n"
	"  sparkc compile -o manifests/ jobs/\n"
	"  sparkc compile --check -o manifests/ jobs/\n"
	"  sparkc compile --diff -o manifests/ jobs/\n";

static const char usage_validate[] =
	"usage: sparkc validate [options] FILE...\n"
	"\n"
	"Check job files and operator manifests (against the operator's CRD schema, then\n"
	"the rules for their fields) and report every problem of every file, sorted by\n"
	"position.\n"
	"Warnings do not change the exit status, unless --fail-on warning (or fail-on:\n"
	"warning in .sparkc.yaml) says they should. spark_conf is checked against Spark's own\n"
	"configuration registry for the job's spark_version (2.4, 3.2 to 4.x): unknown,\n"
	"newer, deprecated and removed keys, values Spark cannot parse, and the resource\n"
	"settings Spark refuses at start (heap, task CPUs, GPUs, dynamic allocation).\n"
	"\n"
	"options:\n"
	"      --format FMT       text (default), json (one object per line), sarif\n"
	"                         (SARIF 2.1.0), github (workflow annotations), or a\n"
	"                         test report with one test case per file: junit\n"
	"                         (JUnit XML) or tap (TAP version 13)\n"
	"  -n, --namespace NS     namespace of every job, as for compile\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	USAGE_RELEASES
	"  -h, --help             show this help\n";

static const char examples_validate[] =
	"\n"
	"examples:\n"
	"  sparkc validate jobs/*.yaml\n"
	"  sparkc validate --format github jobs/\n"
	"  sparkc validate --format junit jobs/ > sparkc-report.xml\n";

static const char usage_explain[] =
	"usage: sparkc explain [options] FILE...\n"
	"\n"
	"Show what each job or operator manifest asks of the cluster: per role the heap,\n"
	"the memory overhead and\n"
	"where it comes from (explicit setting, factor, minimum), the pod memory Spark\n"
	"requests, cpu request and limit, cores, GPUs and instances; the job's footprint\n"
	"(driver + executors; with dynamic allocation at minExecutors and maxExecutors);\n"
	"and the spark-submit --conf list the Spark operator generates for it; and each\n"
	"effective setting with where it comes from: the job, the templates, the igz\n"
	"overlay, the operator or Spark's default. The sizes follow the rules of\n"
	"spark_version, or else of the Spark version the image tag names\n"
	"(iguazio/spark-app:3.5.5-b697 runs 3.5.5).\n"
	"\n"
	"options:\n"
	"      --format FMT       text (default) or json\n"
	"  -n, --namespace NS     namespace of every job, as for compile\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	USAGE_RELEASES
	"  -h, --help             show this help\n";

static const char examples_explain[] =
	"\n"
	"example:\n"
	"  sparkc explain jobs/etl.yaml\n";

static const char usage_krm[] =
	"usage: sparkc krm [options] < RESOURCELIST\n"
	"\n"
	"Run as a KRM function (the kustomize and kpt functions specification): read a\n"
	"config.kubernetes.io/v1 ResourceList (YAML or JSON) on stdin and write it back on\n"
	"stdout, each kind: spark item replaced by its manifest, every other item unchanged,\n"
	"every diagnostic a results[] entry (severity, message with the ResourceList's\n"
	"line:column, field.path, file.path and file.index from the item's annotations;\n"
	"a v1 List, which has no results, is read too).\n"
	"Manifests are annotated with the file they belong in, <namespace>/<name>.yaml.\n"
	"functionConfig, if any, is a ConfigMap whose data may set:\n"
	"  namespace: NS          namespace of every job, as compile -n\n"
	"  templates: DIR         read defaults.yaml and igz.yaml from DIR\n"
	"Exit status 1 when any result is an error, or the input is not a ResourceList.\n"
	"\n"
	"options:\n"
	"  -h, --help             show this help\n";

static const char examples_krm[] =
	"\n"
	"example:\n"
	"  kpt fn source jobs/ | sparkc krm | kpt fn sink manifests/\n";

static const char usage_lsp[] =
	"usage: sparkc lsp [options]\n"
	"\n"
	"Run as a Language Server Protocol server on stdin and stdout, for editors (Neovim,\n"
	"Helix, Emacs eglot, VS Code; see the README's \"Editors\"). Each open job file or\n"
	"operator manifest is validated as `sparkc validate` validates it, on open and as\n"
	"it is edited, with every rule's diagnostics at their place; hover shows a key's\n"
	"description, a spark_conf key's entry in Spark's configuration registry and, on\n"
	"driver_resources and executor_resources, the pod explain computes; completion\n"
	"offers the job format's keys and values and Spark's keys for the job's version;\n"
	"quick fixes apply what a diagnostic suggests. A file's .sparkc.yaml (read anew at\n"
	"every check) and its ignore comments apply as on the command line. The editor\n"
	"starts it; it ends when the editor says exit or closes its input.\n"
	"\n"
	"options:\n"
	"  -n, --namespace NS     namespace of every job, as for compile\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	"      --config FILE      the configuration of every file, instead of each\n"
	"                         file's nearest .sparkc.yaml\n"
	"      --no-config        read no .sparkc.yaml\n"
	"      --disable RULE     do not report RULE (comma-separated, repeatable)\n"
	"      --enable RULE      report RULE, though a .sparkc.yaml turned it off\n"
	"      --exclude GLOB     report nothing on a file GLOB matches (repeatable)\n"
	USAGE_RELEASES
	"  -h, --help             show this help\n";

static const char examples_lsp[] =
	"\n"
	"example (Neovim):\n"
	"  vim.lsp.start({name = 'sparkc', cmd = {'sparkc', 'lsp'}})\n";

static const char usage_limits[] =
	"\n"
	"limits on untrusted input (each exceeded limit is an error, exit 1):\n"
	"      --max-file-size BYTES      one input file (default 256 MiB)\n"
	"      --max-document-size BYTES  one YAML document, to within 256 KiB (default 4 MiB)\n"
	"      --max-scalar-size BYTES    one value (default 1 MiB)\n"
	"      --max-depth N              nesting of mappings and lists (default 64)\n"
	"      --max-nodes N              nodes per document, aliases expanded (default 100000)\n"
	"      --max-documents N          documents per input (default 100000)\n";

static const char usage_reporting[] =
	"\n"
	"what is read and reported (a .sparkc.yaml in an input's directory or above, up\n"
	"to the repository's root, sets the same for the files it governs; see\n"
	"`sparkc schema --config`; text diagnostics end with a summary line on stderr\n"
	"when anything was reported):\n"
	"      --config FILE      the configuration of every input, instead of each\n"
	"                         input's nearest .sparkc.yaml\n"
	"      --no-config        read no .sparkc.yaml\n"
	"      --disable RULE     do not report RULE (comma-separated rules, repeatable;\n"
	"                         `sparkc rules` lists them); only warnings and ignorable\n"
	"                         errors can be\n"
	"      --enable RULE      report RULE at its own severity, though a .sparkc.yaml\n"
	"                         turned it off\n"
	"      --exclude GLOB     never read a path GLOB matches (.gitignore's rules,\n"
	"                         against the path as named; repeatable)\n"
	"      --fail-on LEVEL    error (default) or warning: warnings fail the run too\n"
	"                         (exit 1; junit and tap count the file as failed)\n"
	"      --allow-no-jobs    succeed when every file read holds only other\n"
	"                         Kubernetes objects or MLRun functions (all skipped),\n"
	"                         which is otherwise an error: for hooks that name\n"
	"                         whichever files changed (the pre-commit hooks pass it)\n"
	"  -q, --quiet            errors only (and warnings under --fail-on warning),\n"
	"                         no summary\n"
	"      --summary          print the summary line even when nothing was reported\n"
	"      --color WHEN       colour the text diagnostics and --diff: auto (a\n"
	"                         terminal, and NO_COLOR unset; FORCE_COLOR forces it),\n"
	"                         always or never; --color alone is always\n";

static const char usage_rules[] =
	"usage: sparkc rules [options]\n"
	"\n"
	"List every rule sparkc reports: its id (which each diagnostic names, in every\n"
	"format), its default severity, whether its errors may be silenced (ignorable),\n"
	"a summary, and the upstream source it follows. docs/rules.md says the same at\n"
	"more length.\n"
	"\n"
	"options:\n"
	"      --format FMT       text (default), json, markdown (docs/rules.md) or man\n"
	"                         (the man page's list)\n"
	"  -h, --help             show this help\n";

static const char examples_rules[] =
	"\n"
	"example:\n"
	"  sparkc rules | grep conf-\n";

static const char usage_init[] =
	"usage: sparkc init [options] NAME\n"
	"\n"
	"Print a commented starter job named NAME that compiles as it is, with the\n"
	"yaml-language-server schema line that gives editors completion and checks.\n"
	"\n"
	"options:\n"
	"      --igz              add Iguazio v3io access (igz_spark)\n"
	"      --schedule CRON    run on a schedule (a ScheduledSparkApplication)\n"
	"      --schema PATH      the schema the editor reads: a path relative to the job,\n"
	"                         or a URL (default: sparkjob.schema.json, beside the job)\n"
	"  -h, --help             show this help\n";

static const char examples_init[] =
	"\n"
	"example:\n"
	"  sparkc init nightly-etl --schedule '0 2 * * *' > jobs/nightly-etl.yaml\n";

static const char usage_schema[] =
	"usage: sparkc schema [--config]\n"
	"\n"
	"Print the JSON Schema (draft 2020-12) of the job format: one self-contained file,\n"
	"the one sparkc checks jobs with and `make install` puts in PREFIX/share/sparkc.\n"
	"Editors that run yaml-language-server (VS Code's YAML extension, Neovim, Helix)\n"
	"read it for checks, completion and hover, named by a job file's first line\n"
	"  # yaml-language-server: $schema=sparkjob.schema.json\n"
	"or, for every job in a folder, by VS Code's settings.json:\n"
	"  \"yaml.schemas\": {\"/usr/local/share/sparkc/sparkjob.schema.json\": \"jobs/**/*.yaml\"}\n"
	"JSON Schema validators take it as is: Python jsonschema, and ajv-cli (YAML or\n"
	"JSON) with its strict mode off, as strict mode refuses the editors' keywords:\n"
	"  ajv validate --spec=draft2020 --strict=false -s sparkjob.schema.json -d job.yaml\n"
	"\n"
	"options:\n"
	"      --config           print instead the schema of .sparkc.yaml, the\n"
	"                         configuration (its first line\n"
	"                           # yaml-language-server: $schema=sparkc-config.schema.json\n"
	"                         gives an editor its keys and rules)\n"
	"  -h, --help             show this help\n";

static const char examples_schema[] =
	"\n"
	"example:\n"
	"  sparkc schema > sparkjob.schema.json\n"
	"  sparkc schema --config > sparkc-config.schema.json\n";

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The message echoes what the command line gave, control characters escaped. */
static void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	if (msg)
		vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	print_escaped(stderr, "sparkc: %s\n", msg ? msg : fmt);
	free(msg);
	fputs("Try 'sparkc --help' for more information.\n", stderr);
	exit(2);
}

static size_t parse_size(const char *s, const char *opt)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || s[0] == '-')
		usage_error("%s takes a positive whole number", opt);
	return (size_t)v;
}

/* ---- options ----------------------------------------------------------------------- */

enum {
	OPT_CHECK = 256, OPT_DIFF, OPT_KUSTOMIZATION, OPT_IGZ, OPT_SCHEDULE, OPT_SCHEMA, OPT_FORMAT, OPT_TEMPLATES, OPT_DIAGNOSTICS, OPT_MAX_FILE, OPT_MAX_DOC,
	OPT_MAX_SCALAR, OPT_MAX_DEPTH, OPT_MAX_NODES, OPT_MAX_DOCS, OPT_SUMMARY, OPT_COLOR, OPT_CONFIG, OPT_NO_CONFIG,
	OPT_DISABLE, OPT_ENABLE, OPT_EXCLUDE, OPT_FAIL_ON, OPT_MLRUN_VERSION, OPT_OPERATOR_VERSION, OPT_ALLOW_NO_JOBS,
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"output", required_argument, NULL, 'o'},
	{"namespace", required_argument, NULL, 'n'},
	{"check", no_argument, NULL, OPT_CHECK},
	{"diff", no_argument, NULL, OPT_DIFF},
	{"kustomization", no_argument, NULL, OPT_KUSTOMIZATION},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"templates", required_argument, NULL, OPT_TEMPLATES},
	{"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
	{"max-file-size", required_argument, NULL, OPT_MAX_FILE},
	{"max-document-size", required_argument, NULL, OPT_MAX_DOC},
	{"max-scalar-size", required_argument, NULL, OPT_MAX_SCALAR},
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	{"max-nodes", required_argument, NULL, OPT_MAX_NODES},
	{"max-documents", required_argument, NULL, OPT_MAX_DOCS},
	{"igz", no_argument, NULL, OPT_IGZ},
	{"schedule", required_argument, NULL, OPT_SCHEDULE},
	{"schema", required_argument, NULL, OPT_SCHEMA},
	{"quiet", no_argument, NULL, 'q'},
	{"summary", no_argument, NULL, OPT_SUMMARY},
	{"color", required_argument, NULL, OPT_COLOR},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"no-config", no_argument, NULL, OPT_NO_CONFIG},
	{"disable", required_argument, NULL, OPT_DISABLE},
	{"enable", required_argument, NULL, OPT_ENABLE},
	{"exclude", required_argument, NULL, OPT_EXCLUDE},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"allow-no-jobs", no_argument, NULL, OPT_ALLOW_NO_JOBS},
	{"mlrun-version", required_argument, NULL, OPT_MLRUN_VERSION},
	{"operator-version", required_argument, NULL, OPT_OPERATOR_VERSION},
	{NULL, 0, NULL, 0},
};

/* junit and tap are test reports, one test case per input: validate's alone. */
static enum diag_format parse_diag_format(const char *s, bool reports)
{
	if (!strcmp(s, "text")) return FMT_TEXT;
	if (!strcmp(s, "json")) return FMT_JSON;
	if (!strcmp(s, "sarif")) return FMT_SARIF;
	if (!strcmp(s, "github")) return FMT_GITHUB;
	if (reports && !strcmp(s, "junit")) return FMT_JUNIT;
	if (reports && !strcmp(s, "tap")) return FMT_TAP;
	usage_error("unknown diagnostics format '%s' (%s)", s,
		    reports ? "text, json, sarif, github, junit or tap"
			    : "text, json, sarif or github; junit and tap are reports of validate");
}

/* init's schema line names the schema beside the job, as `sparkc schema >
 * sparkjob.schema.json` writes it: a path that means the same in every clone of the
 * repository the job is committed to, never one of the machine that ran init. */
static const char default_init_schema[] = "sparkjob.schema.json";

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* --color, else FORCE_COLOR (set and neither 0 nor false: as Node and the CI
 * services that set it read it), else NO_COLOR (set: no colour), else a terminal
 * that is not dumb. */
static bool color_wanted(int fd, enum color_mode mode)
{
	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	const char *force = getenv("FORCE_COLOR"), *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (force && *force)
		return strcmp(force, "0") && strcmp(force, "false");
	return isatty(fd) && !(nc && *nc) && term && strcmp(term, "dumb");
}

/* Options other linters spell differently (helm lint --strict, ruff --ignore and
 * --select, ESLint --no-color, kubeconform -skip), which users type by habit: each
 * with sparkc's own. */
static const struct {
	const char *habit, *ours;
} option_habits[] = {
	{"no-color", "--color=never"}, {"no-colour", "--color=never"}, {"colour", "--color"},
	{"strict", "--fail-on warning"}, {"fail-on-warning", "--fail-on warning"},
	{"fail-on-warnings", "--fail-on warning"}, {"warnings-as-errors", "--fail-on warning"},
	{"ignore", "--disable RULE"}, {"skip", "--disable RULE"}, {"select", "--enable RULE"},
	{"output-format", "--format"}, {"silent", "--quiet"},
};

/* " (did you mean --NAME?)" for an unknown long option arg: the habit it is, else
 * the nearest of long_options; "" for none. */
static const char *option_hint(char *buf, size_t len, const char *arg)
{
	if (arg[0] != '-' || arg[1] != '-')
		return "";
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	for (size_t i = 0; i < sizeof option_habits / sizeof *option_habits; i++)
		if (!strcmp(name, option_habits[i].habit)) {
			snprintf(buf, len, "; did you mean %s?", option_habits[i].ours);
			return buf;
		}
	const char *names[sizeof long_options / sizeof *long_options];
	size_t n = 0;
	for (const struct option *o = long_options; o->name; o++)
		names[n++] = o->name;
	const char *near = closest_word(name, names, n);
	if (!near || strlen(name) < 4)  /* a name that short is near too many others */
		return "";
	snprintf(buf, len, "; did you mean --%s?", near);
	return buf;
}

/* getopt leaves optind on the argument it was reading while a cluster of short
 * options (-dash.yaml: -d, -a, ...) is not done, and past it once it is. */
static void unknown_option(int argc, char **argv)
{
	const char *arg = argv[optind - 1];
	if (optopt && optind < argc && argv[optind][0] == '-' && argv[optind][1] != '-' &&
	    strchr(argv[optind] + 1, optopt) && !(arg[0] == '-' && arg[1] == optopt && !arg[2]))
		arg = argv[optind];
	if (optopt && strcmp(arg + 1, (char[]){(char)optopt, 0}))
		usage_error("unknown option '-%c' in '%s' (a file whose name starts with '-' is "
			    "written ./%s or after --)", optopt, arg, arg);
	char hint[96];
	usage_error("unknown option '%s'%s", optopt ? arg : argv[optind - 1],
		    optopt ? "" : option_hint(hint, sizeof hint, argv[optind - 1]));
}

#define LIMIT_OPTS OPT_MAX_FILE, OPT_MAX_DOC, OPT_MAX_SCALAR, OPT_MAX_DEPTH, OPT_MAX_NODES, OPT_MAX_DOCS
#define REPORTING_OPTS OPT_CONFIG, OPT_NO_CONFIG, OPT_DISABLE, OPT_ENABLE, OPT_EXCLUDE, OPT_FAIL_ON, 'q', OPT_SUMMARY, \
	OPT_COLOR, OPT_ALLOW_NO_JOBS
#define RELEASE_OPTS OPT_MLRUN_VERSION, OPT_OPERATOR_VERSION

/* Every command: the first three are the pipeline's (same values as enum run_command),
 * the others main's own. */
enum command { CMD_COMPILE = RUN_COMPILE, CMD_VALIDATE = RUN_VALIDATE, CMD_EXPLAIN = RUN_EXPLAIN,
	       CMD_SCHEMA, CMD_INIT, CMD_KRM, CMD_LSP, CMD_RULES };

/* The commands, their help and the options each one takes. */
static const struct command_info {
	const char *name;
	enum command command;
	const char *usage, *examples;
	int options[32];        /* 0-terminated; 'h' is always accepted */
} commands[] = {
	{"compile", CMD_COMPILE, usage_compile, examples_compile,
	 {'o', 'n', OPT_CHECK, OPT_DIFF, OPT_KUSTOMIZATION, OPT_FORMAT, OPT_TEMPLATES, OPT_DIAGNOSTICS, REPORTING_OPTS,
	  RELEASE_OPTS, LIMIT_OPTS}},
	{"validate", CMD_VALIDATE, usage_validate, examples_validate,
	 {'n', OPT_FORMAT, OPT_TEMPLATES, REPORTING_OPTS, RELEASE_OPTS, LIMIT_OPTS}},
	{"explain", CMD_EXPLAIN, usage_explain, examples_explain,
	 {'n', OPT_FORMAT, OPT_TEMPLATES, REPORTING_OPTS, RELEASE_OPTS, LIMIT_OPTS}},
	{"schema", CMD_SCHEMA, usage_schema, examples_schema, {0}},
	{"init", CMD_INIT, usage_init, examples_init, {OPT_IGZ, OPT_SCHEDULE, OPT_SCHEMA}},
	{"krm", CMD_KRM, usage_krm, examples_krm, {LIMIT_OPTS}},
	{"lsp", CMD_LSP, usage_lsp, examples_lsp,
	 {'n', OPT_TEMPLATES, OPT_CONFIG, OPT_NO_CONFIG, OPT_DISABLE, OPT_ENABLE, OPT_EXCLUDE, RELEASE_OPTS, LIMIT_OPTS}},
	{"rules", CMD_RULES, usage_rules, examples_rules, {OPT_FORMAT}},
};

static bool takes_option(const struct command_info *ci, int c)
{
	for (const int *o = ci->options; *o; o++)
		if (*o == c)
			return true;
	return c == 'h';
}

static void print_usage(const struct command_info *ci)
{
	fputs(ci->usage, stdout);
	if (takes_option(ci, OPT_SUMMARY))
		fputs(usage_reporting, stdout);
	if (takes_option(ci, OPT_MAX_FILE))
		fputs(usage_limits, stdout);
	fputs(ci->examples, stdout);
}

static enum rules_format parse_rules_format(const char *s)
{
	static const char *const names[] = {[RULES_TEXT] = "text", [RULES_JSON] = "json",
					    [RULES_MARKDOWN] = "markdown", [RULES_MAN] = "man"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(s, names[i]))
			return (enum rules_format)i;
	usage_error("unknown output format '%s' (text, json, markdown or man)", s);
}

static enum color_mode parse_color(const char *s)
{
	if (!strcmp(s, "auto")) return COLOR_AUTO;
	if (!strcmp(s, "always")) return COLOR_ALWAYS;
	if (!strcmp(s, "never")) return COLOR_NEVER;
	usage_error("--color takes auto, always or never, not '%s'", s);
}

static char **excludes;         /* --exclude's globs */

/* --disable, --enable: each rule of a comma-separated list. */
static void set_rules(struct options *opt, const char *list, enum rule_level level)
{
	static unsigned char *levels;   /* file-scope, as the globs */
	if (!levels)
		levels = calloc(rules_count, 1);
	if (!levels)
		usage_error("%s", "out of memory");
	opt->rule_levels = levels;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		char id[64];
		snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), p);
		const struct rule *r = rule_find(id);
		if (!r) {
			const char *near = rule_closest(id);
			usage_error("'%s' is not a sparkc rule%s%s%s (`sparkc rules` lists them)", id,
				    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		}
		const char *why;
		rule_silenceable(r, SEV_ERROR, &why);
		if (level == LEVEL_OFF && !rule_adjustable(r))
			usage_error("%s cannot be turned off: its errors are ones sparkc does not let be silenced (%s)",
				    r->id, why);
		levels[r - rules] = (unsigned char)level;
		p += n + (p[n] == ',');
	}
}

/* --format: each command's own formats. */
static void set_format(struct options *opt, enum command command, const char *arg)
{
	if (command == CMD_VALIDATE)
		opt->diag_format = parse_diag_format(arg, true);
	else if (!strcmp(arg, "yaml") && command == CMD_COMPILE)
		opt->out_format = OUT_YAML;
	else if (!strcmp(arg, "json") && command == CMD_COMPILE)
		opt->out_format = OUT_JSON;
	else if (!strcmp(arg, "json"))
		opt->explain_format = EXPLAIN_JSON;
	else if (!strcmp(arg, "text") && command == CMD_EXPLAIN)
		opt->explain_format = EXPLAIN_TEXT;
	else
		usage_error("unknown output format '%s' (%s)", arg,
			    command == CMD_COMPILE ? "yaml or json" : "text or json");
}

/* The options of main's own commands (init, rules) and the ones main resolves itself
 * (--color, the releases named), which the pipeline does not see. */
struct init_options {
	bool igz;
	const char *schedule, *schema;
	enum rules_format rules_format;
	enum color_mode color;
	bool config_schema;     /* schema --config */
	const char *mlrun_version, *operator_version;
};

/* schema's: --config is a flag there, where the other commands' --config takes a
 * file, so getopt cannot read both. */
static void parse_schema_options(int argc, char **argv, const struct command_info *ci, struct init_options *init)
{
	optind = 2;
	for (; optind < argc && argv[optind][0] == '-' && argv[optind][1]; optind++) {
		const char *a = argv[optind];
		if (!strcmp(a, "--"))  {
			optind++;
			return;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_usage(ci);
			exit(0);
		}
		if (!strcmp(a, "--config")) {
			init->config_schema = true;
			continue;
		}
		bool known = a[1] != '-' && strchr("onq", a[1]) && !a[2];
		for (const struct option *o = long_options; !known && o->name; o++)
			known = a[1] == '-' && !strncmp(a + 2, o->name, strlen(o->name)) &&
				(!a[2 + strlen(o->name)] || a[2 + strlen(o->name)] == '=');
		if (known)
			usage_error("%s does not take the option '%.*s'", ci->name, (int)strcspn(a, "="), a);
		char hint[96];
		usage_error("unknown option '%s'%s", a, option_hint(hint, sizeof hint, a));
	}
}

/* An option as getopt_long read it: --name (long_options[li], spelled out when it was
 * abbreviated) or -c; argv[optind - 1] is its value when it takes one. */
static const char *option_name(int c, int li)
{
	static char name[64];
	if (li >= 0)
		snprintf(name, sizeof name, "--%s", long_options[li].name);
	else
		snprintf(name, sizeof name, "-%c", c);
	return name;
}

/* The options after the command (getopt's optind is left on the first argument). */
static void parse_options(int argc, char **argv, const struct command_info *ci, struct options *opt,
			  struct init_options *init)
{
	if (ci->command == CMD_SCHEMA) {
		parse_schema_options(argc, argv, ci, init);
		return;
	}
	/* --color alone means always, as ls and grep read it: a word after it that is
	 * no WHEN is an operand (--color jobs/), not its value. */
	for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--color") && (i + 1 == argc || (strcmp(argv[i + 1], "auto") &&
				strcmp(argv[i + 1], "always") && strcmp(argv[i + 1], "never"))))
			argv[i] = (char *)"--color=always";
	opterr = 0;
	optind = 2;
	int c, li = -1;
	while ((c = getopt_long(argc, argv, ":ho:n:q", long_options, &li)) != -1) {
		if (c != ':' && c != '?' && !takes_option(ci, c))
			usage_error("%s does not take the option '%s'", ci->name, option_name(c, li));
		li = -1;
		switch (c) {
		case 'h': print_usage(ci); exit(0);
		case 'o':
			if (!*optarg)   /* an unset variable in a script: never the root directory */
				usage_error("%s", "-o needs a directory name, not an empty string");
			opt->out_dir = optarg;
			break;
		case 'n':
			if (!dns1123_label(optarg))
				usage_error("'%s' is not a valid namespace name", optarg);
			opt->namespace = optarg;
			break;
		case OPT_CHECK: opt->check = true; break;
		case OPT_DIFF: opt->diff = true; break;
		case OPT_KUSTOMIZATION: opt->kustomization = true; break;
		case OPT_FORMAT:
			if (ci->command == CMD_RULES)
				init->rules_format = parse_rules_format(optarg);
			else
				set_format(opt, ci->command, optarg);
			break;
		case 'q': opt->quiet = true; break;
		case OPT_SUMMARY: opt->summary = true; break;
		case OPT_COLOR: init->color = parse_color(optarg); break;
		case OPT_CONFIG: opt->config_file = optarg; break;
		case OPT_NO_CONFIG: opt->no_config = true; break;
		case OPT_DISABLE: set_rules(opt, optarg, LEVEL_OFF); break;
		case OPT_ENABLE: set_rules(opt, optarg, LEVEL_ON); break;
		case OPT_EXCLUDE:
			/* the globs stay in argv; a file-scope list, so never a leak */
			if (!excludes)
				excludes = calloc((size_t)argc, sizeof *excludes);
			if (!excludes)
				usage_error("%s", "out of memory");
			opt->exclude = excludes;
			/* matched against paths a leading ./ aside: so is the glob */
			while (optarg[0] == '.' && optarg[1] == '/' && optarg[2])
				optarg += 2;
			opt->exclude[opt->nexclude++] = optarg;
			break;
		case OPT_ALLOW_NO_JOBS: opt->allow_no_jobs = true; break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "error") && strcmp(optarg, "warning"))
				usage_error("--fail-on takes error or warning, not '%s'", optarg);
			opt->fail_on = strcmp(optarg, "error") ? FAIL_ON_WARNING : FAIL_ON_ERROR;
			break;
		case OPT_TEMPLATES: opt->templates_dir = optarg; break;
		case OPT_DIAGNOSTICS: opt->diag_format = parse_diag_format(optarg, false); break;
		case OPT_MAX_FILE: opt->limits.max_file_bytes = parse_size(optarg, "--max-file-size"); break;
		case OPT_MAX_DOC: opt->limits.max_doc_bytes = parse_size(optarg, "--max-document-size"); break;
		case OPT_MAX_SCALAR: opt->limits.max_scalar_bytes = parse_size(optarg, "--max-scalar-size"); break;
		case OPT_MAX_DEPTH: opt->limits.max_depth = parse_size(optarg, "--max-depth"); break;
		case OPT_MAX_NODES: opt->limits.max_nodes = parse_size(optarg, "--max-nodes"); break;
		case OPT_MAX_DOCS: opt->limits.max_docs = parse_size(optarg, "--max-documents"); break;
		case OPT_IGZ: init->igz = true; break;
		case OPT_SCHEDULE: init->schedule = optarg; break;
		case OPT_SCHEMA: init->schema = optarg; break;
		case OPT_MLRUN_VERSION: init->mlrun_version = optarg; break;
		case OPT_OPERATOR_VERSION: init->operator_version = optarg; break;
		case ':': usage_error("option '%s' needs a value", argv[optind - 1]);
		default: unknown_option(argc, argv);
		}
	}
}

/* The releases --mlrun-version and --operator-version name, resolved into *out, and
 * the versions as given: the pipeline's options of them. */
static void resolve_releases(const struct init_options *init, struct releases *out, struct options *opt)
{
	char why[256];
	if (!releases_resolve(out, init->mlrun_version, init->operator_version, why, sizeof why))
		usage_error("%s", why);
	opt->releases = out;
	opt->mlrun_version = init->mlrun_version;
	opt->operator_version = init->operator_version;
}

/* schema, init, krm, lsp and rules, which are main's own; -1 for the pipeline's commands. */
static int run_own_command(enum command command, char **args, int nargs, const struct options *opt,
			   const struct init_options *init)
{
	switch (command) {
	case CMD_SCHEMA: {
		if (nargs)
			usage_error("schema takes no arguments ('%s')", args[0]);
		const struct resource *r = resource_get(init->config_schema ? "schemas/sparkc-config.schema.json"
								    : "schemas/sparkjob.schema.json");
		fwrite(r->text, 1, r->len, stdout);
		return fflush(stdout) ? 2 : 0;
	}
	case CMD_INIT:
		if (nargs != 1)
			usage_error("%s", "init takes one NAME, the job's name");
		return init_job(stdout, stderr, args[0], init->igz, init->schedule,
				init->schema ? init->schema : default_init_schema);
	case CMD_KRM:
		if (nargs)
			usage_error("krm reads its ResourceList from stdin and takes no arguments ('%s')", args[0]);
		return krm_run(stdin, stdout, stderr, &opt->limits, color_wanted(STDERR_FILENO, init->color));
	case CMD_LSP: {
		if (nargs)
			usage_error("lsp reads the editor's messages from stdin and takes no arguments ('%s')", args[0]);
		struct options checks = *opt;  /* each document is validated as validate would */
		struct releases releases;
		checks.command = RUN_VALIDATE;
		resolve_releases(init, &releases, &checks);
		checks.err = stderr;
		return lsp_run(STDIN_FILENO, STDOUT_FILENO, &checks);
	}
	case CMD_RULES:
		if (nargs)
			usage_error("rules takes no arguments ('%s')", args[0]);
		rules_print(stdout, init->rules_format);
		return fflush(stdout) ? 2 : 0;
	default:
		return -1;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("sparkc %s\n", SPARKC_VERSION);
		upstream_describe(stdout);
		return 0;
	}
	const struct command_info *ci = NULL;
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(cmd, commands[i].name))
			ci = &commands[i];
	if (!ci)
		usage_error("unknown command '%s'", cmd);
	struct options opt = {.limits = default_limits};
	struct init_options init = {0};
	parse_options(argc, argv, ci, &opt, &init);
	if (opt.config_file && opt.no_config)   /* the pipeline's commands and lsp */
		usage_error("%s", "--config and --no-config contradict each other");
	int nargs = argc - optind;
	int rc = run_own_command(ci->command, argv + optind, nargs, &opt, &init);
	if (rc >= 0)
		return rc;
	if (opt.check && !opt.out_dir)
		usage_error("%s needs -o DIR, the directory to compare with", "--check");
	if (opt.diff && !opt.out_dir)
		usage_error("%s needs -o DIR, the directory to compare with", "--diff");
	if (opt.kustomization && !opt.out_dir)
		usage_error("%s needs -o DIR, the directory to write it in", "--kustomization");
	if (nargs < 1)
		usage_error("%s needs at least one FILE (or - for stdin)", cmd);
	struct releases releases;
	resolve_releases(&init, &releases, &opt);
	opt.command = (enum run_command)ci->command;   /* one of the pipeline's: the others returned */
	opt.out = stdout;
	opt.err = stderr;
	opt.color = color_wanted(STDERR_FILENO, init.color);
	opt.color_out = color_wanted(STDOUT_FILENO, init.color);
	return pipeline_run(&opt, argv + optind, (size_t)nargs);
}
