/* job.c - see job.h. */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quantity.h"
#include "sparkver.h"
#include "strbuf.h"

const char *const role_names[2] = {"driver", "executor"};
const char *const role_resources_keys[2] = {"driver_resources", "executor_resources"};

static const struct job_fields job_fields = {
	.noun = "job",
	.given = "job",
	.fallback = "templates",
	.spec = "spec",
	.conf = "spec.spark_conf",
	.conf_name = "spark_conf",
	.memory = {"spec.driver_resources.requests.memory", "spec.executor_resources.requests.memory"},
	.cpu_request = {"spec.driver_resources.requests.cpu", "spec.executor_resources.requests.cpu"},
	.cpu_limit = {"spec.driver_resources.limits.cpu", "spec.executor_resources.limits.cpu"},
	.gpu = {"spec.driver_resources.limits", "spec.executor_resources.limits"},
	.cpu_limit_name = {"limits.cpu", "limits.cpu"},
	.cores_name = {"driver_cores", "executor_cores"},
	.instances_name = "replicas",
	.dynamic_allocation = "spec.dynamic_allocation",
	.spark_version = "spec.spark_version",
	.spark_version_name = "spark_version",
	.main_class_name = "main_class",
	.image_hint = "use spec.image / image_pull_policy",
	.service_account_hint = "use service_account",
	.volumes = "spec.volumes",
	.mounts = {"spec.volume_mounts", "spec.driver_volume_mounts", "spec.executor_volume_mounts"},
};

static const char *text_or(const struct node *n, const char *fallback)
{
	return node_is_scalar(n) ? n->text : fallback;
}

/* MLRun's `value or default`: an empty string is not set either (real exports carry
 * tag: '' and project: ''). */
static const char *nonempty_or(const struct node *n, const char *fallback)
{
	return node_is_scalar(n) && n->len ? n->text : fallback;
}

/* MLRun's _resolve_workdir (server-side kubejob handler): an absolute workdir is kept;
 * else the directory the build copied the source to, joined with the workdir. (Its
 * third case, source loaded at run time, MLRun refuses for Spark jobs.) */
static void resolve_workdir(struct job *job)
{
	const struct node *build = node_get(job->spec, "build");
	const char *workdir = nonempty_or(node_get(job->spec, "workdir"), NULL);
	if (workdir && workdir[0] == '/') {
		job->workdir = workdir;
		return;
	}
	const char *target = nonempty_or(node_get(build, "source_code_target_dir"), NULL);
	if (target && target[0] == '/') {
		job->workdir = target;
		job->workdir_sub = workdir && !strncmp(workdir, "./", 2) ? workdir + 2 : workdir;
	}
}

static bool cpu_of(const struct node *n, double *millicores)
{
	*millicores = 0;
	return node_is_scalar(n) && cpu_parse(n->text, millicores);
}

static bool cpu_less(const struct node *a, const struct node *b)
{
	double x, y;
	return cpu_of(a, &x) && cpu_of(b, &y) && x < y;
}

/* <role>_cores and replicas as lowering puts them in the manifest: the job's, else the
 * defaults'; MLRun reads `replicas or default`, so replicas: 0 is not set either. */
static void resolve_counts(struct job *job, enum role r)
{
	struct role_resources *rr = &job->role[r];
	const struct node *d = job->templates->defaults;
	const char *key = job_fields.cores_name[r];
	rr->cores_at = node_get(job->spec, key);
	if (!rr->cores_at)
		rr->cores_at = node_get(d, key);
	rr->cores_given = node_get(job->spec, key) != NULL;
	rr->cores = rr->cores_at && rr->cores_at->kind == N_INT ? rr->cores_at->num : 1;
	rr->instances = 1;
	if (r == ROLE_EXECUTOR) {
		rr->instances_at = node_get(job->spec, "replicas");
		rr->instances_given = rr->instances_at && rr->instances_at->kind == N_INT && rr->instances_at->num;
		if (!rr->instances_at || rr->instances_at->num == 0)
			rr->instances_at = node_get(d, "replicas");
		rr->instances = rr->instances_at ? rr->instances_at->num : 1;
	}
}

/* MLRun fills what a role leaves out; unlike MLRun, a default cpu limit rises to an
 * explicit request and a default request falls to an explicit limit. */
static void resolve_role(struct job *job, enum role r)
{
	struct role_resources *rr = &job->role[r];
	const char *key = role_resources_keys[r];
	const struct node *dflt = node_get(job->templates->defaults, key);
	rr->resources = node_get(job->spec, key);
	const struct node *req = node_get(rr->resources, "requests");
	const struct node *lim = node_get(rr->resources, "limits");
	rr->cpu_request = node_get(req, "cpu");
	rr->cpu_limit = node_get(lim, "cpu");
	rr->memory = node_get(req, "memory");
	rr->cpu_request_given = rr->cpu_request != NULL;
	rr->cpu_limit_given = rr->cpu_limit != NULL;
	rr->memory_given = rr->memory != NULL;
	if (!rr->cpu_request) {
		rr->cpu_request = node_at(dflt, "requests.cpu");
		if (rr->cpu_limit && rr->cpu_request && cpu_less(rr->cpu_limit, rr->cpu_request))
			rr->cpu_request = rr->cpu_limit;
	}
	if (!rr->cpu_limit) {
		rr->cpu_limit = node_at(dflt, "limits.cpu");
		if (rr->cpu_limit && rr->cpu_request && cpu_less(rr->cpu_limit, rr->cpu_request))
			rr->cpu_limit = rr->cpu_request;
	}
	if (!rr->memory)
		rr->memory = node_at(dflt, "requests.memory");
	if (node_is_scalar(rr->memory))
		memory_parse(rr->memory->text, MIB, &rr->heap);
	rr->cpu_request_ok = cpu_of(rr->cpu_request, &rr->cpu_request_m);
	rr->cpu_limit_ok = cpu_of(rr->cpu_limit, &rr->cpu_limit_m);
	for (size_t i = 0; lim && lim->kind == N_MAP && i < lim->n; i++) {
		const char *k = lim->pairs[i].key->text;
		if (strcmp(k, "cpu") && strcmp(k, "memory") && lim->pairs[i].value->kind != N_NULL) {
			if (!rr->gpu)
				rr->gpu = &lim->pairs[i];
			rr->gpu_types++;
		}
	}
}

static void resolve_igz(struct job *job)
{
	const struct node *v = node_get(job->spec, "igz_spark");
	job->igz = v && (v->kind == N_MAP || (v->kind == N_BOOL && v->num));
	if (!job->igz)
		return;
	struct igz_settings *s = &job->igz_settings;
	const struct node *t = node_get(job->templates->igz, "settings");
	const struct node *m = v->kind == N_MAP ? v : NULL;
	s->at = v;
	const struct node *mount = node_get(m, "mount_v3io_to_executor");
	if (!mount)
		mount = node_get(t, "mount_v3io_to_executor");
	s->mount_v3io_to_executor = !mount || mount->kind != N_BOOL || mount->num;
#define SETTING(field) s->field = text_or(node_get(m, #field), text_or(node_get(t, #field), NULL))
	SETTING(user);
	SETTING(access_key_secret);
	SETTING(api);
	SETTING(framesd);
	SETTING(igz_version);
	SETTING(history_server_path);
#undef SETTING
}

/* alternative: the key's old name, which SparkConf reads when the key itself is not set,
 * whatever the cluster manager (SparkConf.configsWithAlternatives, 2.3 on:
 * DRIVER_MEMORY_OVERHEAD.key -> AlternateConfig("spark.yarn.driver.memoryOverhead", "2.3");
 * getOption -> getDeprecatedConfig). Kubernetes' feature steps and ResourceProfile read the
 * overheads through SparkConf, so the YARN names size Kubernetes pods too. */
static const struct {
	const char *key;
	long long bare_unit;
	const char *alternative;
} conf_size_keys[CONF_SIZES] = {
	{"spark.driver.memoryOverhead", MIB, "spark.yarn.driver.memoryOverhead"},
	{"spark.executor.memoryOverhead", MIB, "spark.yarn.executor.memoryOverhead"},
	{"spark.driver.minMemoryOverhead", MIB, NULL}, {"spark.executor.minMemoryOverhead", MIB, NULL},
	{"spark.executor.pyspark.memory", MIB, NULL}, {"spark.memory.offHeap.size", 1, NULL},
};

void job_resolve_conf_sizes(struct job *job)
{
	for (size_t i = 0; i < CONF_SIZES; i++) {
		struct conf_size *cs = &job->conf_sizes[i];
		cs->key = conf_size_keys[i].key;
		cs->bare_unit = conf_size_keys[i].bare_unit;
		cs->set_as = cs->key;
		cs->at = node_get(job->conf, cs->key);
		if (!cs->at && conf_size_keys[i].alternative && node_get(job->conf, conf_size_keys[i].alternative)) {
			cs->set_as = conf_size_keys[i].alternative;
			cs->at = node_get(job->conf, cs->set_as);
		}
		text_join(cs->path, sizeof cs->path, job->fields->conf, ".", cs->set_as, NULL);
		if (!node_is_scalar(cs->at))
			cs->at = NULL;
		else
			memory_parse(cs->at->text, cs->bare_unit, &cs->value);
	}
	static const char *const factor_keys[CONF_FACTORS] = {
		"spark.kubernetes.memoryOverheadFactor", "spark.driver.memoryOverheadFactor",
		"spark.executor.memoryOverheadFactor"};
	for (size_t i = 0; i < CONF_FACTORS; i++) {
		struct conf_factor *cf = &job->conf_factors[i];
		cf->key = factor_keys[i];
		cf->at = node_get(job->conf, cf->key);
		cf->from_field = false;
		text_join(cf->path, sizeof cf->path, job->fields->conf, ".", cf->key, NULL);
		if (!node_is_scalar(cf->at))
			cf->at = NULL;
	}
}

void job_resolve_spark_version(struct job *job, const char *version, const char *fallback)
{
	bool tagged = job->image && image_tag_spark_version(job->image, job->image_spark_version,
							  sizeof job->image_spark_version);
	/* A version that is no version (latest) drives no rule: check.c reports it. */
	const char *number = version && (*version == 'v' || *version == 'V') ? version + 1 : version;
	if (number && (!strchr("0123456789", *number) || !*number || !strchr(number, '.')))
		version = number = NULL;
	job->spark_version_from = version ? SPARK_VERSION_GIVEN : tagged ? SPARK_VERSION_IMAGE : SPARK_VERSION_DEFAULT;
	job->spark_version_effective = job->spark_version_from == SPARK_VERSION_IMAGE ? job->image_spark_version
				       : number ? number : fallback;
}

void job_resolve(struct job *job, const struct node *doc, const struct templates *t,
		 const struct releases *releases, const char *namespace_option)
{
	memset(job, 0, sizeof *job);
	const struct node *d = t->defaults;
	job->doc = doc;
	job->templates = t;
	job->releases = releases;
	job->fields = &job_fields;
	job->metadata = node_get(doc, "metadata");
	job->spec = node_get(doc, "spec");
	const struct pair *spec_pair = node_get_pair(doc, "spec");
	job->spec_key = spec_pair ? spec_pair->key : job->spec;
	job->conf = node_get(job->spec, "spark_conf");
	job->dynamic_allocation = node_get(job->spec, "dynamic_allocation");
	job->volumes = node_get(job->spec, "volumes");
	job->mounts[0] = node_get(job->spec, "volume_mounts");
	job->mounts[1] = node_get(job->spec, "driver_volume_mounts");
	job->mounts[2] = node_get(job->spec, "executor_volume_mounts");
	job->schedule = node_get(job->spec, "schedule");
	job->main_class = node_get(job->spec, "main_class");
	job->spark_version_at = node_get(job->spec, "spark_version");
	job->name = text_or(node_get(job->metadata, "name"), "");
	job->namespace_from_option = namespace_option != NULL;
	job->namespace = namespace_option
				 ? namespace_option
				 : text_or(node_get(job->metadata, "namespace"),
					   text_or(node_get(d, "namespace"), "default"));
	job->project = nonempty_or(node_get(job->metadata, "project"), text_or(node_get(d, "project"), "default"));
	job->tag = nonempty_or(node_get(job->metadata, "tag"), text_or(node_get(d, "tag"), "latest"));
	job->job_type = text_or(node_get(job->spec, "job_type"), text_or(node_get(d, "job_type"), "Python"));
	const char *image = nonempty_or(node_get(job->spec, "image"), NULL);
	job->image_given = image != NULL;
	job->image = image ? image : nonempty_or(node_get(d, "image"), NULL);
	const char *version = nonempty_or(job->spark_version_at, NULL);
	job_resolve_spark_version(job, version, text_or(node_get(d, "spark_version"), "3.2.3"));
	/* sparkVersion names the Spark that runs: spark_version, else the image tag's,
	 * else the templates' default (MLRun writes its 3.2.3 whatever the image runs;
	 * the operator only records the field). */
	job->spark_version = version ? version
			     : job->spark_version_from == SPARK_VERSION_IMAGE ? job->image_spark_version
			     : text_or(node_get(d, "spark_version"), "3.2.3");
	resolve_workdir(job);
	job->scheduled = job->schedule != NULL;
	resolve_role(job, ROLE_DRIVER);
	resolve_role(job, ROLE_EXECUTOR);
	resolve_counts(job, ROLE_DRIVER);
	resolve_counts(job, ROLE_EXECUTOR);
	resolve_igz(job);
	job_resolve_conf_sizes(job);
}

const char *job_conf(const struct job *job, const char *key)
{
	const struct node *v = node_get(job->conf, key);
	return node_is_scalar(v) ? v->text : NULL;
}

const char *job_conf_size_text(const struct job *job, const char *key)
{
	for (size_t i = 0; i < CONF_SIZES; i++)
		if (!strcmp(job->conf_sizes[i].key, key))
			return node_is_text(job->conf_sizes[i].at) ? job->conf_sizes[i].at->text : NULL;
	return NULL;
}

const char *job_conf_size_key(const struct job *job, const char *key)
{
	for (size_t i = 0; i < CONF_SIZES; i++)
		if (!strcmp(job->conf_sizes[i].key, key))
			return job->conf_sizes[i].set_as;
	return key;
}

const struct conf_factor *job_conf_factor(const struct job *job, const char *key)
{
	for (size_t i = 0; i < CONF_FACTORS; i++)
		if (!strcmp(job->conf_factors[i].key, key))
			return job->conf_factors[i].at ? &job->conf_factors[i] : NULL;
	return NULL;
}

const struct memory *job_conf_size(const struct job *job, const char *key)
{
	for (size_t i = 0; i < CONF_SIZES; i++)
		if (!strcmp(job->conf_sizes[i].key, key))
			return job->conf_sizes[i].at && job->conf_sizes[i].value.ok ? &job->conf_sizes[i].value : NULL;
	return NULL;
}
