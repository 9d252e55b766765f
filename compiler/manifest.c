/* manifest.c - see manifest.h. */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"

#define MANIFEST_FIELDS(P)                                                                          \
	{                                                                                           \
		.noun = "application", .given = "manifest", .fallback = "Spark's default", .spec = P, \
		.conf = P ".sparkConf", .conf_name = P ".sparkConf",                                  \
		.memory = {P ".driver.memory", P ".executor.memory"},                                 \
		.cpu_request = {P ".driver.coreRequest", P ".executor.coreRequest"},                  \
		.cpu_limit = {P ".driver.coreLimit", P ".executor.coreLimit"},                        \
		.gpu = {P ".driver.gpu", P ".executor.gpu"},                                          \
		.cpu_limit_name = {P ".driver.coreLimit", P ".executor.coreLimit"},                   \
		.cores_name = {P ".driver.cores", P ".executor.cores"},                               \
		.instances_name = P ".executor.instances",                                           \
		.dynamic_allocation = P ".dynamicAllocation",                                        \
		.spark_version = P ".sparkVersion", .spark_version_name = P ".sparkVersion",          \
		.main_class_name = P ".mainClass",                                                   \
		.image_hint = "use " P ".image / " P ".imagePullPolicy",                              \
		.service_account_hint = "use " P ".driver.serviceAccount / " P ".executor.serviceAccount", \
		.volumes = P ".volumes",                                                             \
		.mounts = {P ".driver.volumeMounts", P ".executor.volumeMounts", NULL},               \
	}

static const struct job_fields application_fields = MANIFEST_FIELDS("spec");
static const struct job_fields scheduled_fields = MANIFEST_FIELDS("spec.template");

/* Spark's defaults for what a manifest leaves out: spark.{driver,executor}.memory and
 * .cores (SparkConf, config/package.scala). */
static const struct node spark_default_memory = {.kind = N_STR, .text = "1g", .len = 2};
static const struct node spark_default_cores = {.kind = N_INT, .text = "1", .len = 1, .num = 1};
/* SchedulerBackendUtils.DEFAULT_NUMBER_EXECUTORS */
#define SPARK_DEFAULT_EXECUTORS 2

static const char *text_or(const struct node *n, const char *fallback)
{
	return node_is_text(n) ? n->text : fallback;
}

/* A field of the role, else its key in sparkConf (which the operator then leaves as
 * it is). */
static const struct node *role_value(const struct job *job, const struct node *rs, const char *field,
				     const char *conf_key, bool *given)
{
	const struct node *v = node_get(rs, field);
	*given = v != NULL;
	if (!v) {
		v = node_get(job->conf, conf_key);
		if (!node_is_scalar(v))
			v = NULL;
	}
	return v;
}

/* A manifest's sizes reach Spark as written (the operator passes them verbatim), and
 * Spark's byteStringAs reads k, m, g, t, p (and kb, mb, ...), not Kubernetes' Ki, Mi,
 * Gi: "1Gi" fails spark-submit with "Invalid suffix", so it is no size here. */
static void spark_reads(struct memory *m, const char *text)
{
	if (!m->ok || !m->kubernetes_unit)
		return;
	char jvm[sizeof m->jvm];
	memcpy(jvm, m->jvm, sizeof jvm);
	m->ok = false;
	snprintf(m->why, sizeof m->why, "'%s' has a Kubernetes unit, which Spark does not read", text);
	snprintf(m->hint, sizeof m->hint, "write it as Spark does: %s", jvm);
}

static long long whole_number(const struct node *n, long long fallback)
{
	if (!n || !node_is_scalar(n))
		return fallback;
	if (n->kind == N_INT)
		return n->num;
	char *end;
	long long v = strtoll(n->text, &end, 10);
	return end != n->text && !*end ? v : fallback;
}

static void resolve_role(struct job *job, enum role r)
{
	struct role_resources *rr = &job->role[r];
	const char *role = role_names[r];
	const struct node *rs = node_get(job->spec, role);
	char key[96];
	snprintf(key, sizeof key, "spark.%s.cores", role);
	rr->cores_at = role_value(job, rs, "cores", key, &rr->cores_given);
	rr->cores = whole_number(rr->cores_at, 1);
	if (!rr->cores_at)
		rr->cores_at = &spark_default_cores;
	rr->instances = 1;
	if (r == ROLE_EXECUTOR) {
		rr->instances_at = role_value(job, rs, "instances", "spark.executor.instances", &rr->instances_given);
		rr->instances = whole_number(rr->instances_at, SPARK_DEFAULT_EXECUTORS);
	}
	snprintf(key, sizeof key, "spark.%s.memory", role);
	rr->memory = role_value(job, rs, "memory", key, &rr->memory_given);
	if (!rr->memory)
		rr->memory = &spark_default_memory;
	if (node_is_text(rr->memory)) {
		memory_parse(rr->memory->text, MIB, &rr->heap);
		spark_reads(&rr->heap, rr->memory->text);
	}
	/* Spark requests the cores when no request is given, and sets no limit. */
	snprintf(key, sizeof key, "spark.kubernetes.%s.request.cores", role);
	rr->cpu_request = role_value(job, rs, "coreRequest", key, &rr->cpu_request_given);
	if (!rr->cpu_request)
		rr->cpu_request = rr->cores_at;
	snprintf(key, sizeof key, "spark.kubernetes.%s.limit.cores", role);
	rr->cpu_limit = role_value(job, rs, "coreLimit", key, &rr->cpu_limit_given);
	rr->cpu_request_ok = node_is_text(rr->cpu_request) && cpu_parse(rr->cpu_request->text, &rr->cpu_request_m);
	rr->cpu_limit_ok = node_is_text(rr->cpu_limit) && cpu_parse(rr->cpu_limit->text, &rr->cpu_limit_m);
	const struct node *gpu = node_get(rs, "gpu");
	const struct node *name = node_get(gpu, "name"), *quantity = node_get(gpu, "quantity");
	if (node_is_text(name) && quantity) {
		rr->gpu_pair = (struct pair){(struct node *)name, (struct node *)quantity};
		rr->gpu = &rr->gpu_pair;
		rr->gpu_types = 1;
	}
	/* The operator passes spec.<role>.memoryOverhead after sparkConf: it is the
	 * overhead Spark uses. */
	snprintf(key, sizeof key, "spark.%s.memoryOverhead", role);
	const struct node *overhead = node_get(rs, "memoryOverhead");
	for (size_t i = 0; node_is_text(overhead) && i < CONF_SIZES; i++) {
		struct conf_size *cs = &job->conf_sizes[i];
		if (strcmp(cs->key, key))
			continue;
		cs->at = overhead;
		cs->set_as = cs->key;      /* the operator passes the key itself */
		snprintf(cs->path, sizeof cs->path, "%sOverhead", job->fields->memory[r]);
		memory_parse(overhead->text, cs->bare_unit, &cs->value);
		spark_reads(&cs->value, overhead->text);
	}
}

void manifest_resolve(struct job *job, const struct node *doc, const struct templates *t,
		      const struct releases *releases, const char *namespace_option)
{
	memset(job, 0, sizeof *job);
	job->manifest = true;
	job->doc = doc;
	job->templates = t;
	job->releases = releases;
	job->metadata = node_get(doc, "metadata");
	const struct pair *sp = node_get_pair(doc, "spec");
	job->spec = sp ? sp->value : NULL;
	job->spec_key = sp ? sp->key : NULL;
	job->scheduled = node_text_eq(node_get(doc, "kind"), "ScheduledSparkApplication");
	job->fields = &application_fields;
	if (job->scheduled) {
		job->fields = &scheduled_fields;
		job->schedule = node_get(job->spec, "schedule");
		sp = node_get_pair(job->spec, "template");
		job->spec = sp ? sp->value : NULL;
		job->spec_key = sp ? sp->key : job->spec_key;
	}
	if (job->spec && job->spec->kind != N_MAP)
		job->spec = NULL;
	job->name = text_or(node_get(job->metadata, "name"), "");
	const struct node *ns = node_get(job->metadata, "namespace");
	job->namespace = node_is_text(ns) ? ns->text
					  : namespace_option ? namespace_option : "default";
	job->namespace_from_option = !node_is_text(ns) && namespace_option;
	job->conf = node_get(job->spec, "sparkConf");
	job->dynamic_allocation = node_get(job->spec, "dynamicAllocation");
	job->volumes = node_get(job->spec, "volumes");
	job->mounts[0] = node_at(job->spec, "driver.volumeMounts");
	job->mounts[1] = node_at(job->spec, "executor.volumeMounts");
	job->main_class = node_get(job->spec, "mainClass");
	job->spark_version_at = node_get(job->spec, "sparkVersion");
	job->job_type = text_or(node_get(job->spec, "type"), "Python");
	const char *image = text_or(node_get(job->spec, "image"), NULL);
	job->image_given = image && *image;
	job->image = job->image_given ? image : NULL;
	const char *version = text_or(job->spark_version_at, NULL);
	job->spark_version = version ? version : "";
	job_resolve_spark_version(job, version && *version ? version : NULL,
				  text_or(node_get(t->defaults, "spark_version"), "3.2.3"));
	job_resolve_conf_sizes(job);
	for (size_t i = 0; i < CONF_SIZES; i++)
		if (job->conf_sizes[i].at)
			spark_reads(&job->conf_sizes[i].value, job->conf_sizes[i].at->text);
	/* The operator passes spec.memoryOverheadFactor as
	 * spark.kubernetes.memoryOverheadFactor before sparkConf, and not when empty
	 * (submission.go, memoryOverheadFactorOption): sparkConf's key wins over it. */
	const struct node *factor = node_get(job->spec, "memoryOverheadFactor");
	struct conf_factor *k8s = &job->conf_factors[0];
	if (node_is_scalar(factor) && factor->len && !k8s->at) {
		k8s->at = factor;
		k8s->from_field = true;
		snprintf(k8s->path, sizeof k8s->path, "%s.memoryOverheadFactor", job->fields->spec);
	}
	resolve_role(job, ROLE_DRIVER);
	resolve_role(job, ROLE_EXECUTOR);
}
