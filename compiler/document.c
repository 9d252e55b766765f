/* document.c - see document.h. */
#include "document.h"

#include <ctype.h>
#include <string.h>

#include "k8sname.h"
#include "manifest.h"
#include "suggest.h"

/* MLRun's other runtimes, and its project file: what each is, for the one error. */
static const struct {
	const char *kind, *what, *hint;
} mlrun_kinds[] = {
	{"job", "an MLRun job function (one Kubernetes pod), not a Spark job", NULL},
	{"remote-spark", "an MLRun remote-spark function: it runs on an existing Spark cluster, not "
			 "through the Spark operator",
	 "for the Spark operator, make it a kind: spark function (new_function(kind=\"spark\"))"},
	{"serving", "an MLRun serving function (a Nuclio serving graph), not a Spark job", NULL},
	{"nuclio", "an MLRun Nuclio function, not a Spark job", NULL},
	{"remote", "an MLRun Nuclio function, not a Spark job", NULL},
	{"application", "an MLRun application runtime, not a Spark job", NULL},
	{"dask", "an MLRun Dask function, not a Spark job", NULL},
	{"mpijob", "an MLRun MPI job, not a Spark job", NULL},
	{"databricks", "an MLRun Databricks function, not a Spark job", NULL},
	{"handler", "an MLRun handler function (runs in process), not a Spark job", NULL},
	{"local", "an MLRun local function (runs in process), not a Spark job", NULL},
	{"project", "an MLRun project file, not a function", "give sparkc the kind: spark function files the project lists"},
};

enum document_kind document_kind(const struct node *doc, struct diag_src *src)
{
	const struct node *kind = node_get(doc, "kind"), *api = node_get(doc, "apiVersion");
	if (manifest_is(doc))
		return DOC_MANIFEST;
	/* A job file misses a key or two; YAML that has none of the three is another
	 * tool's (a workflow's name/on/jobs, a chart's apiVersion/name/version). */
	if (doc->kind != N_MAP || (!kind && !node_get(doc, "metadata") && !node_get(doc, "spec")))
		return DOC_FOREIGN;
	if (!node_is_text(kind) || !strcmp(kind->text, "spark"))
		return DOC_JOB;
	if (!node_is_text(api)) {
		for (size_t i = 0; i < sizeof mlrun_kinds / sizeof *mlrun_kinds; i++)
			if (!strcmp(kind->text, mlrun_kinds[i].kind))
				return DOC_FUNCTION;
		return DOC_JOB;         /* the schema names the closest kind */
	}
	/* An operator manifest with one of its two words wrong: the error at that word. */
	static const char *const operator_kinds[] = {"SparkApplication", "ScheduledSparkApplication"};
	bool other_group = strchr(api->text, '/') && strncmp(api->text, "sparkoperator.k8s.io/", 21);
	if ((!strcmp(kind->text, operator_kinds[0]) || !strcmp(kind->text, operator_kinds[1])) && other_group) {
		/* e.g. Apache's spark-kubernetes-operator (spark.apache.org): another CRD */
		diag_node(src, api, SEV_ERROR, "schema-const", "apiVersion",
			  "sparkc reads the Kubeflow Spark operator's resources (sparkoperator.k8s.io/v1beta2), "
			  "whose spec differs: a new apiVersion alone does not make one",
			  "%s of %s is another operator's resource: sparkc reads sparkoperator.k8s.io/v1beta2",
			  kind->text, api->text);
		return DOC_OTHER;
	}
	if (!strcmp(kind->text, operator_kinds[0]) || !strcmp(kind->text, operator_kinds[1])) {
		diag_node(src, api, SEV_ERROR, "schema-const", "apiVersion",
			  "write apiVersion: sparkoperator.k8s.io/v1beta2 (the operator's current API)",
			  "%s of %s is not supported: sparkc reads sparkoperator.k8s.io/v1beta2", kind->text,
			  api->text);
		return DOC_OTHER;
	}
	if (!strcmp(api->text, "sparkoperator.k8s.io/v1beta2")) {
		char buf[160];
		const char *hint = did_you_mean(buf, sizeof buf, closest_word(kind->text, operator_kinds, 2), true);
		diag_node(src, kind, SEV_ERROR, "schema-const", "kind", hint,
			  "expected SparkApplication or ScheduledSparkApplication, got '%s': sparkc reads those two "
			  "kinds of sparkoperator.k8s.io/v1beta2", kind->text);
		return DOC_OTHER;
	}
	return DOC_KUBERNETES;
}

void document_function(struct diag_src *src, const struct node *kind)
{
	for (size_t i = 0; i < sizeof mlrun_kinds / sizeof *mlrun_kinds; i++)
		if (!strcmp(kind->text, mlrun_kinds[i].kind))
			diag_node(src, kind, SEV_ERROR, "schema-const", "kind",
				  mlrun_kinds[i].hint ? mlrun_kinds[i].hint
						      : "sparkc takes MLRun Spark operator functions (kind: spark) "
							"and writes SparkApplication manifests",
				  "expected 'spark', got '%s': %s", kind->text, mlrun_kinds[i].what);
}

void document_foreign(struct diag_src *src, const struct node *doc)
{
	static const char hint[] = "a job file holds MLRun jobs (kind: spark), Spark operator manifests and Kubernetes "
				   "objects beside them; a file of other YAML alone is skipped, unless the run finds no "
				   "job at all (--allow-no-jobs lets that pass)";
	if (doc->kind != N_MAP)
		diag_node(src, doc, SEV_ERROR, "schema-type", "", hint,
			  "expected a Spark job (a mapping with kind: spark), got %s", node_kind_name(doc->kind));
	else
		diag_node(src, doc, SEV_ERROR, "schema-required", "", hint,
			  "missing required key 'kind': YAML with no kind, metadata or spec is no Spark job");
}

void document_lone_object(struct diag_src *src, const struct node *kind, const struct node *api)
{
	diag_node(src, kind, SEV_ERROR, "schema-const", "kind",
		 "sparkc reads MLRun job files (kind: spark) and Spark operator manifests "
		 "(sparkoperator.k8s.io/v1beta2 SparkApplication, ScheduledSparkApplication); other "
		 "Kubernetes objects pass through beside one of them in its file, and a file of them "
		 "alone is skipped when the run finds one elsewhere: this run found none "
		 "(--allow-no-jobs lets such a run pass)",
		 "expected 'spark', got '%s': a Kubernetes object (%s), not a Spark job", kind->text, api->text);
}

/* A companion is written to DIR/<namespace>/<name>.<kind>.yaml: its name, namespace and
 * kind must be what Kubernetes takes (and so safe in a path). */
bool document_companion(const struct node *doc, struct diag_src *src)
{
	const struct node *kind = node_get(doc, "kind"), *md = node_get(doc, "metadata");
	const struct node *name = node_get(md, "name"), *ns = node_get(md, "namespace");
	bool ok = true;
	for (size_t i = 0; i < kind->len; i++)
		if (!isalnum((unsigned char)kind->text[i]) || i > 62) {
			diag_node(src, kind, SEV_ERROR, "schema-pattern", "kind", "a kind is a word such as ConfigMap",
				  "'%s' is not a Kubernetes kind", kind->text);
			ok = false;
			break;
		}
	if (!node_is_text(name) || !dns1123_subdomain(name->text, name->len)) {
		diag_node(src, name ? name : md ? md : doc, SEV_ERROR, "name", "metadata.name",
			  "lower-case letters, digits, '-' and '.', e.g. 'spark-conf'",
			  "a Kubernetes object beside an application needs a name Kubernetes takes (a DNS-1123 subdomain)");
		ok = false;
	}
	if (ns && (!node_is_text(ns) || strlen(ns->text) != ns->len || !dns1123_label(ns->text))) {
		diag_node(src, ns, SEV_ERROR, "namespace", "metadata.namespace",
			  "lower-case letters, digits and '-', at most 63", "not a namespace name Kubernetes takes");
		ok = false;
	}
	return ok;
}
