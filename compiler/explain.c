/* explain.c - see explain.h. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "operator.h"
#include "quantity.h"
#include "sizing.h"
#include "sparkconf.h"
#include "sparkver.h"

/* ---- the operator's spark-submit arguments --------------------------------------
 * As the operator's submission.go builds them from the CR (buildSparkSubmitArgs), in the
 * order of the release compiled for (schemas/upstreams.yaml, submit); sparkConf comes
 * before the CR's own fields, so a later --conf of the same key wins. The submission id
 * is chosen by the operator at run time. */

struct conf_list {
	char **v;
	size_t n, cap;
};

static void conf_add(struct conf_list *c, const char *key, const char *value)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 32) * sizeof *c->v);
	c->v[c->n] = xmalloc(strlen(key) + strlen(value) + 2);
	sprintf(c->v[c->n++], "%s=%s", key, value);
}

/* The operator passes none of these fields when empty (submission.go). */
static void conf_text(struct conf_list *c, const char *key, const struct node *v)
{
	if (node_is_scalar(v) && v->len)
		conf_add(c, key, v->text);
}

static int by_key_text(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
	return strcmp(a->key->text, b->key->text);
}

/* Map entries as "<prefix><key>" in key order (the operator iterates a Go map: the
 * order it uses is random, so sparkc shows a sorted one). */
static void conf_map(struct conf_list *c, const char *prefix, const struct node *map)
{
	if (!map || map->kind != N_MAP)
		return;
	struct pair *sorted = xmalloc((map->n + 1) * sizeof *sorted);
	memcpy(sorted, map->pairs, map->n * sizeof *sorted);
	qsort(sorted, map->n, sizeof *sorted, by_key_text);
	for (size_t i = 0; i < map->n; i++) {
		char key[512];
		snprintf(key, sizeof key, "%s%s", prefix, sorted[i].key->text);
		conf_text(c, key, sorted[i].value);
	}
	free(sorted);
}

static void conf_role(struct conf_list *c, const char *name, const struct node *app_labels,
		      const struct node *s, enum role r)
{
	const char *role = role_names[r];
	const struct node *rs = node_get(s, role);
	char key[128], prefix[64];
	snprintf(prefix, sizeof prefix, "spark.kubernetes.%s.label.", role);
	snprintf(key, sizeof key, "%ssparkoperator.k8s.io/app-name", prefix);
	conf_add(c, key, name);
	snprintf(key, sizeof key, "%ssparkoperator.k8s.io/launched-by-spark-operator", prefix);
	conf_add(c, key, "true");
	/* the webhook mutates the pods of Spark before 3.0.0 and those without a pod template
	 * (driverConfOption, executorConfOption); sparkc emits no pod template */
	const struct node *version = node_get(s, "sparkVersion");
	if (!node_get(rs, "template") || (node_is_text(version) && version_compare(version->text, "3.0.0") < 0)) {
		snprintf(key, sizeof key, "%ssparkoperator.k8s.io/mutated-by-spark-operator", prefix);
		conf_add(c, key, "true");
	}
	snprintf(key, sizeof key, "%ssparkoperator.k8s.io/submission-id", prefix);
	conf_add(c, key, "<submission-id>");
	/* the role's fields, in the order the operator adds them (operator.h) */
	for (int after_labels = 0; after_labels < 2; after_labels++) {
		if (after_labels) {
			conf_map(c, prefix, app_labels);
			conf_map(c, prefix, node_get(rs, "labels"));
		}
		for (size_t i = 0; i < operator_confs_n; i++) {
			const struct operator_conf *o = &operator_confs[i];
			if (o->from == FROM_DYNAMIC || !(o->roles & (1u << r)) || o->after_labels != after_labels)
				continue;
			operator_key(o->conf, r, key, sizeof key);
			conf_text(c, key, node_get(o->from == FROM_ROLE ? rs : s, o->field));
		}
	}
}

/* spec.dynamicAllocation, when enabled: its fields and the operator's own values. */
static void conf_dynamic(struct conf_list *c, const struct node *s)
{
	const struct node *da = node_get(s, "dynamicAllocation");
	const struct node *enabled = node_get(da, "enabled");
	if (!enabled || !enabled->num)
		return;
	for (size_t i = 0; i < operator_confs_n; i++) {
		const struct operator_conf *o = &operator_confs[i];
		if (o->from != FROM_DYNAMIC)
			continue;
		if (o->value)
			conf_add(c, o->conf, o->value);
		else
			conf_text(c, o->conf, node_get(da, o->field));
	}
}

/* The pod template file the operator writes for a role (driverPodTemplateOption,
 * executorPodTemplateOption: always, a default one when the CR has none). */
static void conf_pod_template(struct conf_list *c, enum role r)
{
	char key[96], value[96];
	snprintf(key, sizeof key, "spark.kubernetes.%s.podTemplateFile", role_names[r]);
	snprintf(value, sizeof value, "/tmp/spark/<submission-id>/%s-pod-template.yaml", role_names[r]);
	conf_add(c, key, value);
	snprintf(key, sizeof key, "spark.kubernetes.%s.podTemplateContainerName", role_names[r]);
	snprintf(value, sizeof value, "spark-kubernetes-%s", role_names[r]);
	conf_add(c, key, value);
}

static void conf_application(struct conf_list *c, const struct node *meta, const struct node *s)
{
	conf_text(c, "spark.kubernetes.namespace", node_get(meta, "namespace"));
	conf_text(c, "spark.kubernetes.container.image", node_get(s, "image"));
	conf_text(c, "spark.kubernetes.container.image.pullPolicy", node_get(s, "imagePullPolicy"));
	const struct node *secrets = node_get(s, "imagePullSecrets");
	if (secrets && secrets->n) {
		size_t len = 1;
		for (size_t i = 0; i < secrets->n; i++)
			len += secrets->items[i]->len + 1;
		char *joined = xmalloc(len);
		joined[0] = '\0';
		for (size_t i = 0; i < secrets->n; i++) {
			if (i)
				strcat(joined, ",");
			strcat(joined, secrets->items[i]->text);
		}
		conf_add(c, "spark.kubernetes.container.image.pullSecrets", joined);
		free(joined);
	}
	conf_text(c, "spark.kubernetes.pyspark.pythonVersion", node_get(s, "pythonVersion"));
	conf_text(c, "spark.kubernetes.memoryOverheadFactor", node_get(s, "memoryOverheadFactor"));
	conf_add(c, "spark.kubernetes.submission.waitAppCompletion", "false");
}

static void submit_conf(struct conf_list *c, const struct node *manifest, const struct releases *releases)
{
	const struct node *meta = node_get(manifest, "metadata");
	const char *name = node_get(meta, "name")->text;
	const struct node *s = node_get(manifest, "spec");
	if (node_get(s, "template"))
		s = node_get(s, "template");
	const struct node *steps = operator_submit_order(releases);
	for (size_t i = 0; steps && i < steps->n; i++) {
		const char *step = steps->items[i]->text;
		if (!strcmp(step, "application")) {
			conf_application(c, meta, s);
		} else if (!strcmp(step, "spark_conf")) {
			conf_map(c, "", node_get(s, "sparkConf"));
		} else if (!strcmp(step, "hadoop_conf")) {
			conf_map(c, "spark.hadoop.", node_get(s, "hadoopConf"));
		} else if (!strcmp(step, "driver_pod_name")) {
			char pod[128];
			snprintf(pod, sizeof pod, "%s-driver", name);
			conf_add(c, "spark.kubernetes.driver.pod.name", pod);
		} else if (!strcmp(step, "dynamic_allocation")) {
			conf_dynamic(c, s);
		} else {
			for (int r = ROLE_DRIVER; r <= ROLE_EXECUTOR; r++) {
				if (!strcmp(step, role_names[r]))
					conf_role(c, name, node_get(meta, "labels"), s, (enum role)r);
				else if (!strncmp(step, role_names[r], strlen(role_names[r])) &&
					 !strcmp(step + strlen(role_names[r]), "_pod_template"))
					conf_pod_template(c, (enum role)r);
			}
		}
	}
}

/* ---- resources ------------------------------------------------------------------ */

struct role_view {
	struct pod_memory mem;
	const char *cpu_request, *cpu_limit;
	double cpu_request_m, cpu_limit_m;
	long long cores, instances;
	const char *gpu_name;
	long long gpu_quantity;
};

static void role_view(const struct job *job, enum role r,
		      struct role_view *v)
{
	memset(v, 0, sizeof *v);
	pod_memory(job, r, &v->mem);
	const struct role_resources *rr = &job->role[r];
	v->cpu_request = rr->cpu_request ? rr->cpu_request->text : NULL;
	v->cpu_limit = rr->cpu_limit ? rr->cpu_limit->text : NULL;
	v->cpu_request_m = rr->cpu_request_m;
	v->cpu_limit_m = rr->cpu_limit_m;
	v->cores = rr->cores;
	v->instances = rr->instances;
	if (rr->gpu) {
		v->gpu_name = rr->gpu->key->text;
		v->gpu_quantity = rr->gpu->value->num;
	}
}

static void overhead_reason(char *buf, size_t len, const struct pod_memory *m, const char *role)
{
	switch (m->source) {
	case OVERHEAD_EXPLICIT:
		if (strncmp(m->explicit_key, "spark.yarn.", 11))
			snprintf(buf, len, "spark.%s.memoryOverhead = %s (set explicitly: no factor, no minimum)",
				 role, m->explicit_text);
		else    /* SparkConf.configsWithAlternatives: the YARN name is read as the key */
			snprintf(buf, len, "%s = %s, read as spark.%s.memoryOverhead (set explicitly: no factor, "
				 "no minimum)", m->explicit_key, m->explicit_text, role);
		break;
	case OVERHEAD_FACTOR:
		snprintf(buf, len, "%g x %lld MiB = %lld MiB (factor %g: %s; above the %lld MiB minimum)",
			 m->factor, m->heap_mib, m->factor_mib, m->factor, m->factor_from, m->floor_mib);
		break;
	case OVERHEAD_FLOOR:
		snprintf(buf, len, "minimum %lld MiB (%s), since %g x %lld MiB = %lld MiB is less "
			 "(factor %g: %s)", m->floor_mib, m->floor_from, m->factor, m->heap_mib,
			 m->factor_mib, m->factor, m->factor_from);
		break;
	}
}

static const char *source_name(enum overhead_source s)
{
	return s == OVERHEAD_EXPLICIT ? "explicit" : s == OVERHEAD_FACTOR ? "factor" : "minimum";
}

static void format_cpu(char *buf, size_t len, double millicores)
{
	if ((long long)millicores % 1000 == 0)
		snprintf(buf, len, "%lld", (long long)millicores / 1000);
	else
		snprintf(buf, len, "%lldm", (long long)millicores);
}

struct totals {
	long long executors;
	long long memory_mib;
	double cpu_request_m, cpu_limit_m;
	bool cpu_unlimited;             /* a role without a CPU limit (a manifest may leave it out) */
	long long gpus;
};

static void totals_for(const struct role_view role[2], long long executors, struct totals *t)
{
	t->executors = executors;
	t->memory_mib = role[ROLE_DRIVER].mem.pod_mib + role[ROLE_EXECUTOR].mem.pod_mib * executors;
	t->cpu_request_m = role[ROLE_DRIVER].cpu_request_m + role[ROLE_EXECUTOR].cpu_request_m * (double)executors;
	t->cpu_limit_m = role[ROLE_DRIVER].cpu_limit_m + role[ROLE_EXECUTOR].cpu_limit_m * (double)executors;
	t->cpu_unlimited = !role[ROLE_DRIVER].cpu_limit || !role[ROLE_EXECUTOR].cpu_limit;
	t->gpus = role[ROLE_DRIVER].gpu_quantity + role[ROLE_EXECUTOR].gpu_quantity * executors;
}

static void print_totals_text(FILE *out, const char *label, const struct totals *t)
{
	char mem[32], req[32], lim[32];
	format_mib(t->memory_mib, mem, sizeof mem);
	format_cpu(req, sizeof req, t->cpu_request_m);
	format_cpu(lim, sizeof lim, t->cpu_limit_m);
	fprintf(out, "  %-22s 1 driver + %lld executor%s: %s memory, cpu %s requested / %s limit",
		label, t->executors, t->executors == 1 ? "" : "s", mem, req, t->cpu_unlimited ? "no" : lim);
	if (t->gpus)
		fprintf(out, ", %lld GPU%s", t->gpus, t->gpus == 1 ? "" : "s");
	fputc('\n', out);
}

static struct node *totals_json(struct arena *a, const struct totals *t)
{
	char req[32], lim[32];
	format_cpu(req, sizeof req, t->cpu_request_m);
	format_cpu(lim, sizeof lim, t->cpu_limit_m);
	struct node *o = node_new(a, N_MAP);
	node_set_int(a, o, "executors", t->executors);
	node_set_int(a, o, "memoryMiB", t->memory_mib);
	node_set_str(a, o, "cpuRequest", req);
	node_set_str(a, o, "cpuLimit", t->cpu_unlimited ? NULL : lim);
	node_set_int(a, o, "gpus", t->gpus);
	o->flow = true;
	return o;
}

static struct node *role_json(struct arena *a, const struct role_view *v)
{
	const struct pod_memory *m = &v->mem;
	struct node *o = node_new(a, N_MAP);
	node_set_str(a, o, "memory", m->heap_text);
	node_set_int(a, o, "memoryMiB", m->heap_mib);
	node_set_int(a, o, "overheadMiB", m->overhead_mib);
	node_set_str(a, o, "overheadSource", source_name(m->source));
	node_set_float(a, o, "overheadFactor", m->factor);
	node_set_str(a, o, "overheadFactorFrom", m->factor_from);
	node_set_int(a, o, "minimumOverheadMiB", m->floor_mib);
	node_set_int(a, o, "offHeapMiB", m->offheap_mib);
	node_set_int(a, o, "pysparkMiB", m->pyspark_mib);
	node_set_int(a, o, "podMemoryMiB", m->pod_mib);
	node_set_str(a, o, "cpuRequest", v->cpu_request ? v->cpu_request : "");
	node_set_str(a, o, "cpuLimit", v->cpu_limit);
	node_set_int(a, o, "cores", v->cores);
	node_set_int(a, o, "instances", v->instances);
	if (v->gpu_name) {
		struct node *gpu = node_new(a, N_MAP);
		node_set_str(a, gpu, "name", v->gpu_name);
		node_set_int(a, gpu, "quantity", v->gpu_quantity);
		gpu->flow = true;
		node_set(a, o, "gpu", gpu);
	} else {
		node_set_str(a, o, "gpu", NULL);
	}
	return o;
}

/* Where the Spark version that sizes the pods comes from (enum spark_version_source). */
static const char *const version_from[] = {"spark_version", "image tag", "default"};

/* ---- effective settings and where each comes from --------------------------------- */

struct setting {
	char key[128], value[160];
	char origin[192];       /* job, templates, igz overlay, operator, Spark's default */
};

struct settings {
	struct setting v[24];
	size_t n;
};

static void setting_add(struct settings *s, const char *key, const char *value, const char *origin)
{
	if (s->n == sizeof s->v / sizeof *s->v || !value)
		return;
	struct setting *e = &s->v[s->n++];
	snprintf(e->key, sizeof e->key, "%s", key);
	snprintf(e->value, sizeof e->value, "%s", value);
	snprintf(e->origin, sizeof e->origin, "%s", origin);
}

/* A key's value: the job's spark_conf, else Spark's default from the registry. */
static void setting_conf(struct settings *s, const struct job *job, const char *key)
{
	const char *v = job_conf(job, key);
	const struct spark_key *k = spark_key_for(key, job->spark_version_effective);
	if (v)
		setting_add(s, key, v, job->fields->given);
	else if (k && *k->default_value)
		setting_add(s, key, k->default_value, "Spark's default");
}

/* Where a role's value comes from: the document, or the default that stands in. A
 * manifest's value may come from its sparkConf as well as from the field (manifest.h);
 * Spark's defaults are nodes sparkc made, with no position. */
static const char *origin(const struct job *job, const struct node *value, bool given)
{
	if (job->manifest)
		given = given || (value && value->line);
	return given ? job->fields->given : job->fields->fallback;
}

/* The settings explain shows for one role: what sizes and places its pods. */
static void role_settings(const struct job *job, const struct node *spec, const struct role_view *v,
			  enum role r, struct settings *s)
{
	const char *role = role_names[r];
	const struct role_resources *rr = &job->role[r];
	const struct node *rs = node_get(spec, role);
	const char *given = job->fields->given, *fallback = job->fields->fallback;
	char key[128], val[64];
	if (r == ROLE_EXECUTOR) {
		snprintf(val, sizeof val, "%lld", v->instances);
		setting_add(s, "spark.executor.instances", val, origin(job, rr->instances_at, rr->instances_given));
	}
	snprintf(key, sizeof key, "spark.%s.cores", role);
	snprintf(val, sizeof val, "%lld", v->cores);
	setting_add(s, key, val, origin(job, rr->cores_at, rr->cores_given));
	snprintf(key, sizeof key, "spark.%s.memory", role);
	setting_add(s, key, v->mem.heap_text, origin(job, rr->memory, rr->memory_given));
	snprintf(key, sizeof key, "spark.%s.memoryOverhead", role);
	snprintf(val, sizeof val, "%lldm", v->mem.overhead_mib);
	setting_add(s, key, v->mem.source == OVERHEAD_EXPLICIT ? v->mem.explicit_text : val,
		    v->mem.source == OVERHEAD_EXPLICIT ? given : "Spark's default");
	snprintf(key, sizeof key, "spark.%s.memoryOverheadFactor", role);
	snprintf(val, sizeof val, "%g", v->mem.factor);
	/* the origin names the key or field the factor came from when it is not this one */
	const struct conf_factor *cf = v->mem.factor_set;
	char from[160];
	snprintf(from, sizeof from, "%s (%s)", given, cf ? v->mem.factor_from : "");
	setting_add(s, key, val, !cf ? "Spark's default" : strcmp(cf->key, key) ? from : given);
	snprintf(key, sizeof key, "spark.kubernetes.%s.request.cores", role);
	/* a manifest that requests no CPU gets its cores' worth: Spark's default */
	setting_add(s, key, v->cpu_request,
		    origin(job, rr->cpu_request == rr->cores_at ? NULL : rr->cpu_request, rr->cpu_request_given));
	snprintf(key, sizeof key, "spark.kubernetes.%s.limit.cores", role);
	setting_add(s, key, v->cpu_limit, origin(job, rr->cpu_limit, rr->cpu_limit_given));
	snprintf(key, sizeof key, "spark.kubernetes.authenticate.%s.serviceAccountName", role);
	const struct node *sa = node_get(rs, "serviceAccount");
	setting_add(s, key, sa ? sa->text : NULL,
		    job->manifest || (r == ROLE_EXECUTOR && node_get(job->spec, "service_account")) ? given : fallback);
	snprintf(key, sizeof key, "spark.kubernetes.%s.container.image", role);
	setting_add(s, key, job->image, job->image_given ? given : fallback);
	if (r == ROLE_EXECUTOR) {
		setting_conf(s, job, "spark.task.cpus");
		setting_conf(s, job, "spark.executor.resource.gpu.amount");
		setting_conf(s, job, "spark.task.resource.gpu.amount");
	}
}

/* The application's spark_conf as the manifest has it: the job's own keys, the igz
 * overlay's, the templates'. */
static void conf_settings(const struct job *job, const struct node *spec, struct settings *s)
{
	const struct node *conf = node_get(spec, "sparkConf");
	const struct node *igz_conf = job->igz ? node_get(job->templates->igz, "history_server_conf") : NULL;
	for (size_t i = 0; conf && conf->kind == N_MAP && i < conf->n; i++) {
		const char *key = conf->pairs[i].key->text;
		setting_add(s, key, conf->pairs[i].value->text,
			    job_conf(job, key) ? job->fields->given : node_get(igz_conf, key) ? "igz overlay" : "templates");
	}
	const struct conf_factor *factor = &job->conf_factors[0];
	if (factor->from_field) {
		char from[160];
		snprintf(from, sizeof from, "%s (%s)", job->fields->given, factor->path);
		setting_add(s, factor->key, factor->at->text, from);
	}
	setting_add(s, "spark.kubernetes.submission.waitAppCompletion", "false", "operator");
	const struct node *da = node_get(spec, "dynamicAllocation");
	if (node_get(da, "enabled") && node_get(da, "enabled")->num)
		setting_add(s, "spark.dynamicAllocation.shuffleTracking.enabled", "true", "operator");
	else if (!job_conf(job, "spark.dynamicAllocation.enabled"))
		setting_conf(s, job, "spark.dynamicAllocation.enabled");
}

static struct node *settings_json(struct arena *a, const struct settings *s)
{
	struct node *list = node_new(a, N_SEQ);
	for (size_t i = 0; i < s->n; i++) {
		struct node *o = node_new(a, N_MAP);
		node_set_str(a, o, "key", s->v[i].key);
		node_set_str(a, o, "value", s->v[i].value);
		node_set_str(a, o, "origin", s->v[i].origin);
		o->flow = true;
		node_push(a, list, o);
	}
	return list;
}

static void print_settings(FILE *out, const char *group, const struct settings *s)
{
	fprintf(out, "  %s:\n", group);
	for (size_t i = 0; i < s->n; i++) {
		char kv[320];
		snprintf(kv, sizeof kv, "%s=%s", s->v[i].key, s->v[i].value);
		fprintf(out, "    %-58s %s\n", kv, s->v[i].origin);
	}
}

/* ---- the report ------------------------------------------------------------------ */

/* Everything explain shows, computed once for both renderers. */
struct explanation {
	const struct job *job;
	const char *kind;
	struct role_view role[2];      /* by enum role */
	bool dynamic;
	const struct node *min_executors, *max_executors;   /* when dynamic */
	struct totals fixed, at_min, at_max;
	struct conf_list conf;
	struct settings settings[3];    /* by enum role, then SETTINGS_APPLICATION */
};

enum { SETTINGS_APPLICATION = 2 };
static const char *const settings_groups[3] = {"driver", "executor", "application"};

static void explain_json(FILE *out, const struct explanation *e)
{
	const struct job *job = e->job;
	struct arena a = {0};
	struct node *o = node_new(&a, N_MAP);
	node_set_str(&a, o, "name", job->name);
	node_set_str(&a, o, "namespace", job->namespace);
	node_set_str(&a, o, "kind", e->kind);
	node_set_str(&a, o, "type", job->job_type);
	node_set_str(&a, o, "sparkVersion", job->spark_version);
	node_set_str(&a, o, "sizedForSparkVersion", job->spark_version_effective);
	node_set_str(&a, o, "sizedForSparkVersionFrom", job->manifest && job->spark_version_from == SPARK_VERSION_GIVEN
								 ? job->fields->spark_version_name
								 : version_from[job->spark_version_from]);
	if (!job->manifest)
		node_set_str(&a, o, "mlrunVersion", job->releases->mlrun);
	node_set_str(&a, o, "operatorVersion", job->releases->operator_version);
	node_set(&a, o, "driver", role_json(&a, &e->role[ROLE_DRIVER]));
	node_set(&a, o, "executor", role_json(&a, &e->role[ROLE_EXECUTOR]));
	struct node *footprint = node_new(&a, N_MAP);
	if (e->dynamic) {
		node_set(&a, footprint, "minExecutors", totals_json(&a, &e->at_min));
		node_set(&a, footprint, "maxExecutors", totals_json(&a, &e->at_max));
	} else {
		node_set(&a, footprint, "instances", totals_json(&a, &e->fixed));
	}
	node_set(&a, o, "footprint", footprint);
	struct node *settings = node_new(&a, N_MAP);
	for (size_t i = 0; i < 3; i++)
		node_set(&a, settings, settings_groups[i], settings_json(&a, &e->settings[i]));
	node_set(&a, o, "settings", settings);
	struct node *conf = node_new(&a, N_SEQ);
	for (size_t i = 0; i < e->conf.n; i++)
		node_push(&a, conf, node_str(&a, e->conf.v[i]));
	node_set(&a, o, "sparkSubmitConf", conf);
	emit_json_ordered(out, o, 2);
	fputc('\n', out);
	arena_free(&a);
}

/* One row of the driver/executor table. */
static void row(FILE *out, const char *label, const char *driver, const char *executor)
{
	fprintf(out, "  %-22s %-24s %s\n", label, driver, executor);
}

/* The table's memory rows: heap, overhead, the executor's extras, the pod. */
static void memory_rows(FILE *out, const struct role_view role[2])
{
	char a[64], b[64], a2[160], b2[160];
	format_mib(role[ROLE_DRIVER].mem.heap_mib, a, sizeof a);
	format_mib(role[ROLE_EXECUTOR].mem.heap_mib, b, sizeof b);
	snprintf(a2, sizeof a2, "%s (%s)", a, role[ROLE_DRIVER].mem.heap_text);
	snprintf(b2, sizeof b2, "%s (%s)", b, role[ROLE_EXECUTOR].mem.heap_text);
	row(out, "memory (heap)", a2, b2);
	format_mib(role[ROLE_DRIVER].mem.overhead_mib, a, sizeof a);
	format_mib(role[ROLE_EXECUTOR].mem.overhead_mib, b, sizeof b);
	row(out, "overhead", a, b);
	if (role[ROLE_EXECUTOR].mem.offheap_mib) {
		format_mib(role[ROLE_EXECUTOR].mem.offheap_mib, b, sizeof b);
		row(out, "off-heap", "-", b);
	}
	if (role[ROLE_EXECUTOR].mem.pyspark_mib) {
		format_mib(role[ROLE_EXECUTOR].mem.pyspark_mib, b, sizeof b);
		row(out, "pyspark memory", "-", b);
	}
	format_mib(role[ROLE_DRIVER].mem.pod_mib, a, sizeof a);
	format_mib(role[ROLE_EXECUTOR].mem.pod_mib, b, sizeof b);
	row(out, "pod memory (req=limit)", a, b);
}

static void explain_text(FILE *out, const struct explanation *e)
{
	const struct job *job = e->job;
	const struct role_view *role = e->role;
	fprintf(out, "%s: %s in namespace %s (%s, Spark %s%s)\n", job->name, e->kind, job->namespace,
		job->job_type, job->spark_version_effective,
		job->spark_version_from == SPARK_VERSION_IMAGE ? ", from the image tag" : "");
	char op[64];
	operator_release_name(job->releases->operator_version, op, sizeof op);
	if (job->manifest)
		fprintf(out, "for the Spark operator %s\n\n", op);
	else
		fprintf(out, "as MLRun %s submits it, for the Spark operator %s\n\n", job->releases->mlrun, op);
	row(out, "", "driver", "executor");
	memory_rows(out, role);
	char a[64], b[64];
	snprintf(a, sizeof a, "%s / %s", role[ROLE_DRIVER].cpu_request ? role[ROLE_DRIVER].cpu_request : "-",
		 role[ROLE_DRIVER].cpu_limit ? role[ROLE_DRIVER].cpu_limit : "none");
	snprintf(b, sizeof b, "%s / %s", role[ROLE_EXECUTOR].cpu_request ? role[ROLE_EXECUTOR].cpu_request : "-",
		 role[ROLE_EXECUTOR].cpu_limit ? role[ROLE_EXECUTOR].cpu_limit : "none");
	row(out, "cpu request / limit", a, b);
	snprintf(a, sizeof a, "%lld", role[ROLE_DRIVER].cores);
	snprintf(b, sizeof b, "%lld", role[ROLE_EXECUTOR].cores);
	row(out, "cores", a, b);
	snprintf(a, sizeof a, role[ROLE_DRIVER].gpu_name ? "%s: %lld" : "none", role[ROLE_DRIVER].gpu_name, role[ROLE_DRIVER].gpu_quantity);
	snprintf(b, sizeof b, role[ROLE_EXECUTOR].gpu_name ? "%s: %lld" : "none", role[ROLE_EXECUTOR].gpu_name, role[ROLE_EXECUTOR].gpu_quantity);
	row(out, "GPUs", a, b);
	if (e->dynamic)
		snprintf(b, sizeof b, "%s to %s (dynamic)", e->min_executors ? e->min_executors->text : "0",
			 e->max_executors ? e->max_executors->text : "unbounded");
	else
		snprintf(b, sizeof b, "%lld", role[ROLE_EXECUTOR].instances);
	row(out, "instances", "1", b);
	char why[512];
	overhead_reason(why, sizeof why, &role[ROLE_DRIVER].mem, "driver");
	fprintf(out, "\n  driver overhead:   %s\n", why);
	overhead_reason(why, sizeof why, &role[ROLE_EXECUTOR].mem, "executor");
	fprintf(out, "  executor overhead: %s\n\n", why);
	fputs("footprint:\n", out);
	if (e->dynamic) {
		print_totals_text(out, "at minExecutors", &e->at_min);
		print_totals_text(out, "at maxExecutors", &e->at_max);
	} else {
		print_totals_text(out, "total", &e->fixed);
	}
	fputs("\nspark-submit --conf, as the operator generates it (later wins):\n", out);
	for (size_t i = 0; i < e->conf.n; i++)
		fprintf(out, "  %s\n", e->conf.v[i]);
	fputs("\neffective settings and where each comes from:\n", out);
	for (size_t i = 0; i < 3; i++)
		print_settings(out, settings_groups[i], &e->settings[i]);
}

void explain_job(FILE *out, const struct job *job, const struct node *manifest, bool json)
{
	const struct node *spec = node_get(manifest, "spec");
	if (node_get(spec, "template"))
		spec = node_get(spec, "template");
	struct explanation e = {.job = job, .kind = node_get(manifest, "kind")->text};
	role_view(job, ROLE_DRIVER, &e.role[ROLE_DRIVER]);
	role_view(job, ROLE_EXECUTOR, &e.role[ROLE_EXECUTOR]);
	const struct node *da = node_get(spec, "dynamicAllocation");
	e.dynamic = node_get(da, "enabled") && node_get(da, "enabled")->num;
	e.min_executors = node_get(da, "minExecutors");
	e.max_executors = node_get(da, "maxExecutors");
	totals_for(e.role, e.role[ROLE_EXECUTOR].instances, &e.fixed);
	totals_for(e.role, e.min_executors ? e.min_executors->num : 0, &e.at_min);
	totals_for(e.role, e.max_executors ? e.max_executors->num : e.role[ROLE_EXECUTOR].instances, &e.at_max);
	submit_conf(&e.conf, manifest, job->releases);
	role_settings(job, spec, &e.role[ROLE_DRIVER], ROLE_DRIVER, &e.settings[ROLE_DRIVER]);
	role_settings(job, spec, &e.role[ROLE_EXECUTOR], ROLE_EXECUTOR, &e.settings[ROLE_EXECUTOR]);
	conf_settings(job, spec, &e.settings[SETTINGS_APPLICATION]);
	if (json)
		explain_json(out, &e);
	else
		explain_text(out, &e);
	for (size_t i = 0; i < e.conf.n; i++)
		free(e.conf.v[i]);
	free(e.conf.v);
}

void explain_spark_version(const struct job *job, char *buf, size_t len)
{
	const char *from = job->spark_version_from == SPARK_VERSION_IMAGE ? "the image tag"
			   : job->fields->spark_version_name;
	snprintf(buf, len, "Spark %s, %s %s", job->spark_version_effective,
		 job->spark_version_from == SPARK_VERSION_DEFAULT ? "assumed: set" : "from", from);
}

void explain_role_markdown(FILE *out, const struct job *job, enum role r)
{
	struct role_view v;
	role_view(job, r, &v);
	char version[160], mib[64], why[512];
	explain_spark_version(job, version, sizeof version);
	fprintf(out, "**%s pod** (%s, %s)\n\n| | |\n|---|---|\n", role_names[r], job->job_type, version);
	format_mib(v.mem.heap_mib, mib, sizeof mib);
	fprintf(out, "| memory (heap) | %s (`%s`) |\n", mib, v.mem.heap_text);
	format_mib(v.mem.overhead_mib, mib, sizeof mib);
	fprintf(out, "| overhead | %s |\n", mib);
	if (v.mem.offheap_mib) {
		format_mib(v.mem.offheap_mib, mib, sizeof mib);
		fprintf(out, "| off-heap | %s |\n", mib);
	}
	if (v.mem.pyspark_mib) {
		format_mib(v.mem.pyspark_mib, mib, sizeof mib);
		fprintf(out, "| pyspark memory | %s |\n", mib);
	}
	format_mib(v.mem.pod_mib, mib, sizeof mib);
	fprintf(out, "| **pod memory** (request = limit) | **%s** |\n", mib);
	fprintf(out, "| cpu request / limit | %s / %s |\n", v.cpu_request ? v.cpu_request : "-",
		v.cpu_limit ? v.cpu_limit : "none");
	fprintf(out, "| cores | %lld |\n", v.cores);
	if (v.gpu_name)
		fprintf(out, "| GPUs | %s: %lld |\n", v.gpu_name, v.gpu_quantity);
	if (r == ROLE_EXECUTOR)
		fprintf(out, "| instances | %lld |\n", v.instances);
	overhead_reason(why, sizeof why, &v.mem, role_names[r]);
	fprintf(out, "\noverhead: %s\n", why);
}
