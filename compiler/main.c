/* main.c - the sparkc command line: subcommands, options, help. The work itself is
 * pipeline.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pipeline.h"
#include "resources.h"
#include "version.h"

static const char usage_main[] =
	"usage: sparkc <command> [options] [FILE...]\n"
	"\n"
	"Compile Spark job descriptions (MLRun kind: spark YAML) to Spark operator manifests.\n"
	"\n"
	"commands:\n"
	"  compile    job files -> SparkApplication / ScheduledSparkApplication manifests\n"
	"  validate   check job files and report every problem (for pre-commit and CI)\n"
	"  explain    show each job's real pod sizes, footprint and spark-submit conf\n"
	"  schema     print the JSON Schema of the job format\n"
	"\n"
	"  sparkc --help | --version\n"
	"  sparkc <command> --help      options of one command\n"
	"\n"
	"Exit status: 0 success, 1 invalid input, 2 usage or I/O error.\n";

static const char usage_compile[] =
	"usage: sparkc compile [options] FILE...|-\n"
	"\n"
	"Compile job files (directories are walked for *.yaml and *.yml; - reads stdin) to\n"
	"manifests on stdout, one YAML document each. Nothing is written unless every job\n"
	"compiles.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       write DIR/<namespace>/<name>.yaml instead of stdout\n"
	"                         (atomically; unchanged files are left untouched)\n"
	"      --check            with -o: write nothing, exit 1 listing missing or\n"
	"                         differing files (\"generated manifests are up to date\")\n"
	"  -n, --namespace NS     namespace of every job, overriding metadata.namespace\n"
	"      --format FMT       yaml (default) or json (several manifests form a v1 List)\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	"      --diagnostics FMT  text (default), json, sarif or github\n"
	"%s"
	"\n"
	"examples:\n"
	"  sparkc compile jobs/etl.yaml | kubectl apply -f -\n"
	"  sparkc compile -o manifests/ jobs/\n"
	"  sparkc compile --check -o manifests/ jobs/\n";

static const char usage_validate[] =
	"usage: sparkc validate [options] FILE...\n"
	"\n"
	"Check job files and report every problem of every file, sorted by position.\n"
	"Warnings never change the exit status.\n"
	"\n"
	"options:\n"
	"      --format FMT       text (default), json (one object per line), sarif\n"
	"                         (SARIF 2.1.0) or github (workflow annotations)\n"
	"  -n, --namespace NS     namespace of every job, as for compile\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	"%s"
	"\n"
	"examples:\n"
	"  sparkc validate jobs/*.yaml\n"
	"  sparkc validate --format github jobs/\n";

static const char usage_explain[] =
	"usage: sparkc explain [options] FILE...\n"
	"\n"
	"Show what each job asks of the cluster: per role the heap, the memory overhead and\n"
	"where it comes from (explicit setting, factor, minimum), the pod memory Spark\n"
	"requests, cpu request and limit, cores, GPUs and instances; the job's footprint\n"
	"(driver + executors; with dynamic allocation at minExecutors and maxExecutors);\n"
	"and the spark-submit --conf list the Spark operator generates for it.\n"
	"\n"
	"options:\n"
	"      --format FMT       text (default) or json\n"
	"  -n, --namespace NS     namespace of every job, as for compile\n"
	"      --templates DIR    read defaults.yaml and igz.yaml from DIR\n"
	"%s"
	"\n"
	"example:\n"
	"  sparkc explain jobs/etl.yaml\n";

static const char usage_limits[] =
	"\n"
	"limits on untrusted input (each exceeded limit is an error, exit 1):\n"
	"      --max-file-size BYTES      one input file (default 256 MiB)\n"
	"      --max-document-size BYTES  one YAML document (default 4 MiB)\n"
	"      --max-scalar-size BYTES    one value (default 1 MiB)\n"
	"      --max-depth N              nesting of mappings and lists (default 64)\n"
	"      --max-nodes N              nodes per document, aliases expanded (default 100000)\n"
	"      --max-documents N          documents per input (default 100000)\n";

static const char usage_schema[] =
	"usage: sparkc schema\n"
	"\n"
	"Print the JSON Schema (draft 2020-12) of the job format. Editors read it through\n"
	"yaml-language-server with a first line such as\n"
	"  # yaml-language-server: $schema=sparkjob.schema.json\n";

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sparkc: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sparkc --help' for more information.\n", stderr);
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
	OPT_CHECK = 256, OPT_FORMAT, OPT_TEMPLATES, OPT_DIAGNOSTICS, OPT_MAX_FILE, OPT_MAX_DOC,
	OPT_MAX_SCALAR, OPT_MAX_DEPTH, OPT_MAX_NODES, OPT_MAX_DOCS,
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"output", required_argument, NULL, 'o'},
	{"namespace", required_argument, NULL, 'n'},
	{"check", no_argument, NULL, OPT_CHECK},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"templates", required_argument, NULL, OPT_TEMPLATES},
	{"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
	{"max-file-size", required_argument, NULL, OPT_MAX_FILE},
	{"max-document-size", required_argument, NULL, OPT_MAX_DOC},
	{"max-scalar-size", required_argument, NULL, OPT_MAX_SCALAR},
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	{"max-nodes", required_argument, NULL, OPT_MAX_NODES},
	{"max-documents", required_argument, NULL, OPT_MAX_DOCS},
	{NULL, 0, NULL, 0},
};

static enum diag_format parse_diag_format(const char *s)
{
	if (!strcmp(s, "text")) return FMT_TEXT;
	if (!strcmp(s, "json")) return FMT_JSON;
	if (!strcmp(s, "sarif")) return FMT_SARIF;
	if (!strcmp(s, "github")) return FMT_GITHUB;
	usage_error("unknown diagnostics format '%s' (text, json, sarif or github)", s);
}

static bool color_wanted(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(nc && *nc) && term && strcmp(term, "dumb");
}

static void print_usage(enum command cmd)
{
	if (cmd == CMD_COMPILE)
		printf(usage_compile, usage_limits);
	else if (cmd == CMD_VALIDATE)
		printf(usage_validate, usage_limits);
	else if (cmd == CMD_EXPLAIN)
		printf(usage_explain, usage_limits);
	else
		fputs(usage_schema, stdout);
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
		return 0;
	}
	struct options opt = {.limits = default_limits};
	if (!strcmp(cmd, "compile"))
		opt.command = CMD_COMPILE;
	else if (!strcmp(cmd, "validate"))
		opt.command = CMD_VALIDATE;
	else if (!strcmp(cmd, "explain"))
		opt.command = CMD_EXPLAIN;
	else if (!strcmp(cmd, "schema"))
		opt.command = CMD_SCHEMA;
	else
		usage_error("unknown command '%s'", cmd);

	const char *short_opts = opt.command == CMD_COMPILE ? "+:ho:n:" : "+:hn:";
	opterr = 0;
	optind = 2;
	int c;
	while ((c = getopt_long(argc, argv, short_opts, long_options, NULL)) != -1) {
		bool compile_only = c == 'o' || c == OPT_CHECK || c == OPT_DIAGNOSTICS;
		if ((compile_only && opt.command != CMD_COMPILE) ||
		    (opt.command == CMD_SCHEMA && c != 'h')) {
			usage_error("option '%s' does not apply to this command", argv[optind - 1]);
		}
		switch (c) {
		case 'h': print_usage(opt.command); return 0;
		case 'o': opt.out_dir = optarg; break;
		case 'n':
			if (!dns1123_label(optarg))
				usage_error("'%s' is not a valid namespace name", optarg);
			opt.namespace = optarg;
			break;
		case OPT_CHECK: opt.check = true; break;
		case OPT_FORMAT:
			if (opt.command == CMD_VALIDATE)
				opt.diag_format = parse_diag_format(optarg);
			else if (!strcmp(optarg, "yaml") && opt.command == CMD_COMPILE)
				opt.out_format = OUT_YAML;
			else if (!strcmp(optarg, "json"))
				opt.out_format = OUT_JSON;
			else if (!strcmp(optarg, "text") && opt.command == CMD_EXPLAIN)
				opt.out_format = OUT_YAML;
			else
				usage_error("unknown output format '%s' (%s)", optarg,
					    opt.command == CMD_COMPILE ? "yaml or json" : "text or json");
			break;
		case OPT_TEMPLATES: opt.templates_dir = optarg; break;
		case OPT_DIAGNOSTICS: opt.diag_format = parse_diag_format(optarg); break;
		case OPT_MAX_FILE: opt.limits.max_file_bytes = parse_size(optarg, "--max-file-size"); break;
		case OPT_MAX_DOC: opt.limits.max_doc_bytes = parse_size(optarg, "--max-document-size"); break;
		case OPT_MAX_SCALAR: opt.limits.max_scalar_bytes = parse_size(optarg, "--max-scalar-size"); break;
		case OPT_MAX_DEPTH: opt.limits.max_depth = parse_size(optarg, "--max-depth"); break;
		case OPT_MAX_NODES: opt.limits.max_nodes = parse_size(optarg, "--max-nodes"); break;
		case OPT_MAX_DOCS: opt.limits.max_docs = parse_size(optarg, "--max-documents"); break;
		case ':': usage_error("option '%s' needs a value", argv[optind - 1]); break;
		default: usage_error("unknown option '%s'", argv[optind - 1]); break;
		}
	}
	if (opt.command == CMD_SCHEMA) {
		if (optind < argc)
			usage_error("schema takes no arguments ('%s')", argv[optind]);
		const struct resource *r = resource_get("schemas/sparkjob.schema.json");
		fwrite(r->text, 1, r->len, stdout);
		return fflush(stdout) ? 2 : 0;
	}
	if (opt.check && !opt.out_dir)
		usage_error("%s needs -o DIR, the directory to compare with", "--check");
	if (optind >= argc)
		usage_error("%s needs at least one FILE (or - for stdin)", cmd);
	opt.out = stdout;
	opt.err = stderr;
	opt.color = color_wanted();
	return pipeline_run(&opt, argv + optind, (size_t)(argc - optind));
}
