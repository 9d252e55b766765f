/* lower.c - see lower.h. */
#include "lower.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"
#include "quantity.h"
#include "schema.h"
#include "sparkver.h"
#include "subst.h"

struct lowering {
	const struct job *job;
	struct arena *a;
	const struct node *spec;        /* the job's spec */
	const struct node *defaults;    /* templates/defaults.yaml */
	const struct node *igz;         /* templates/igz.yaml, when the job has igz_spark */
	const struct igz_parts *parts;  /* the parts of igz lowering reads */
	const char *shm_path;
	/* The templates' nodes substituted so far (subst), by address: the driver and the
	 * executor take the same ones. Slots of an earlier job's lowering are told apart
	 * by their generation. */
	unsigned generation;
	struct node *pod_labels, *pod_env, *pod_env_from;      /* the driver's and executor's */
	struct node *pod_selector;      /* node_selector() of pod_selector_of */
	const struct node *pod_selector_of;
};

#define SUBSTITUTED 128
static struct substituted {
	unsigned generation;
	const struct node *from;
	struct node *to;
} substituted[SUBSTITUTED];

/* The parts of the igz overlay lowering reads, found once for a run's templates. */
struct igz_parts {
	const struct node *deps, *fuse_volumes, *daemon_volumes, *fuse_mounts, *daemon_mounts, *env,
		*history_server_conf, *exporter_jar;
};

static const struct igz_parts *igz_parts(const struct node *igz)
{
	static const struct node *of;
	static struct igz_parts parts;
	if (of != igz) {
		parts = (struct igz_parts){
			.deps = node_get(igz, "deps"),
			.fuse_volumes = node_at(igz, "fuse.volumes"),
			.daemon_volumes = node_at(igz, "daemon.volumes"),
			.fuse_mounts = node_at(igz, "fuse.volume_mounts"),
			.daemon_mounts = node_at(igz, "daemon.volume_mounts"),
			.env = node_get(igz, "env"),
			.history_server_conf = node_get(igz, "history_server_conf"),
			.exporter_jar = node_at(igz, "monitoring.exporter_jar"),
		};
		of = igz;
	}
	return &parts;
}

static struct node *str(struct lowering *l, const char *s)
{
	return node_str(l->a, s);
}

/* Text of a scalar as a string node (a plain number or boolean as written); a string
 * is its own node, shared. */
static struct node *text(struct lowering *l, const struct node *v)
{
	return v->kind == N_STR ? (struct node *)v : node_strn(l->a, v->text, v->len);
}

static struct node *text_map(struct lowering *l, const struct node *map)
{
	struct node *out = node_new(l->a, N_MAP);
	for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++)
		if (map->pairs[i].value->kind != N_NULL)
			node_set(l->a, out, map->pairs[i].key->text, text(l, map->pairs[i].value));
	return out;
}

static struct node *text_list(struct lowering *l, const struct node *list)
{
	struct node *out = node_new(l->a, N_SEQ);
	for (size_t i = 0; list && list->kind == N_SEQ && i < list->n; i++)
		node_push(l->a, out, text(l, list->items[i]));
	return out;
}

/* A job field as MLRun's server reads it: `if runtime.spec.x:` and `runtime.spec.x or
 * default` take an empty string for not set (spark3job.py, Spark3RuntimeHandler.run and
 * _enrich_job). fn.to_dict() writes `priority_class_name: ''` into every export, from
 * mlconf's default_function_priority_class_name. */
static const struct node *given(const struct lowering *l, const char *key)
{
	const struct node *v = node_get(l->spec, key);
	return v && !(node_is_text(v) && v->len == 0) ? v : NULL;
}

static void set_if(struct lowering *l, struct node *map, const char *key, struct node *v)
{
	if (v && !((v->kind == N_MAP || v->kind == N_SEQ) && v->n == 0))
		node_set(l->a, map, key, v);
}

/* ---- igz overlay: ${name} substitution ------------------------------------------- */

/* Template collections that hold no ${...}, found once and kept by address: the
 * templates' nodes last as long as the process. */
static bool known_constant(const struct node *n, bool add)
{
	static const struct node *seen[512];
	size_t h = ((uintptr_t)n >> 4) * 2654435761u % 512;
	for (size_t i = 0; i < 512; i++, h = (h + 1) % 512) {
		if (seen[h] == n)
			return true;
		if (!seen[h]) {
			if (add)
				seen[h] = n;
			return add;
		}
	}
	return false;
}

/* The igz overlay's strings with the job's ${user}, ${namespace}, ... (subst.h). n is
 * a template's node, or a scalar. What holds no variable is the template's own node,
 * shared: the templates are never changed, and neither is a manifest once built. */
static struct node *subst_uncached(struct lowering *l, const struct node *n);

static struct node *subst(struct lowering *l, const struct node *n)
{
	if ((n->kind != N_MAP && n->kind != N_SEQ && n->kind != N_STR) || known_constant(n, false))
		return (struct node *)n;
	size_t h = ((uintptr_t)n >> 4) * 2654435761u % SUBSTITUTED;
	struct substituted *slot = &substituted[h];
	if (slot->generation == l->generation && slot->from == n)
		return slot->to;
	struct node *to = subst_uncached(l, n);
	*slot = (struct substituted){l->generation, n, to};
	return to;
}

static struct node *subst_uncached(struct lowering *l, const struct node *n)
{
	if (n->kind == N_STR && strstr(n->text, "${")) {
		const struct igz_settings *s = &l->job->igz_settings;
		const struct subst_var vars[] = {
			{"user", s->user}, {"access_key_secret", s->access_key_secret}, {"api", s->api},
			{"framesd", s->framesd}, {"history_server_path", s->history_server_path},
			{"igz_version", s->igz_version}, {"namespace", l->job->namespace},
			{"shm_path", l->shm_path},
		};
		char buf[256];
		size_t len = subst_vars_into(buf, sizeof buf, n->text, n->len, vars, sizeof vars / sizeof *vars);
		if (len < sizeof buf)
			return node_strn(l->a, buf, len);
		char *text = subst_vars(n->text, n->len, vars, sizeof vars / sizeof *vars, &len);
		struct node *out = node_strn(l->a, text, len);
		free(text);
		return out;
	}
	if (n->kind != N_MAP && n->kind != N_SEQ)
		return (struct node *)n;
	struct node *out = NULL;        /* a copy, once a child changes */
	for (size_t i = 0; i < n->n; i++) {
		const struct node *child = n->kind == N_SEQ ? n->items[i] : n->pairs[i].value;
		struct node *done = subst(l, child);
		if (done == child)
			continue;
		if (!out)
			out = node_copy_shallow(l->a, n);
		if (n->kind == N_SEQ)
			out->items[i] = done;
		else
			out->pairs[i].value = done;
	}
	if (!out)
		known_constant(n, true);
	return out ? out : (struct node *)n;
}

/* Append each item of from whose `field` no item of to has yet (igz is idempotent:
 * an export that already holds the overlay gets no duplicates). to's texts of field are
 * collected once, then each of from's looked for among them. */
static void add_missing_by(struct lowering *l, struct node *to, const struct node *from,
			   const char *field)
{
	if (!from || !from->n)
		return;
	enum { MAX = 32 };
	const char *have[MAX];
	size_t nhave = 0;
	bool all = to->n + from->n <= MAX;      /* else node_find_by, item by item */
	for (size_t i = 0; all && i < to->n; i++) {
		const struct node *v = node_get(to->items[i], field);
		if (node_is_scalar(v))
			have[nhave++] = v->text;
	}
	for (size_t i = 0; i < from->n; i++) {
		const struct node *key = node_get(from->items[i], field);
		if (!key)
			continue;
		bool found = false;
		for (size_t k = 0; all && k < nhave && !found; k++)
			found = have[k][0] == key->text[0] && !strcmp(have[k], key->text);
		if (!all)
			found = node_find_by(to, field, key->text) != NULL;
		if (found)
			continue;
		struct node *item = subst(l, from->items[i]);
		node_push(l->a, to, item);
		const struct node *v = all ? node_get(item, field) : NULL;
		if (node_is_scalar(v))
			have[nhave++] = v->text;
	}
}

/* ---- application-level fields ---------------------------------------------------- */

static struct node *main_application_file(struct lowering *l)
{
	const char *command = node_get(l->spec, "command")->text;
	if (strstr(command, "://"))
		return str(l, command);
	if (command[0] == '/')
		return node_str(l->a, arena_join(l->a, "local://", command, NULL));
	/* os.path.join(workdir, command), with the workdir resolved as MLRun does */
	const char *dir = l->job->workdir, *sub = l->job->workdir_sub ? l->job->workdir_sub : "";
	size_t dl = strlen(dir), sl = strlen(sub);
	const char *sep1 = dl && dir[dl - 1] == '/' ? "" : "/";
	const char *sep2 = !sl || sub[sl - 1] == '/' ? "" : "/";
	return node_str(l->a, arena_join(l->a, "local://", dir, sep1, sub, sep2, command, NULL));
}

static struct node *restart_policy(struct lowering *l)
{
	static const struct {
		const char *from, *to;
	} keys[] = {
		{"type", "type"}, {"retries", "onFailureRetries"}, {"retry_interval", "onFailureRetryInterval"},
		{"submission_retries", "onSubmissionFailureRetries"},
		{"submission_retry_interval", "onSubmissionFailureRetryInterval"},
	};
	const struct node *dflt = node_get(l->defaults, "restart_policy");
	const struct node *job = node_get(l->spec, "restart_policy");
	struct node *out = node_new(l->a, N_MAP);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const struct node *v = node_get(job, keys[i].from);
		if (!v)
			v = node_get(dflt, keys[i].from);
		if (v)
			node_set(l->a, out, keys[i].to, (struct node *)v);
	}
	return out;
}

static struct node *deps(struct lowering *l)
{
	static const char *const lists[] = {"jars", "files", "pyFiles", "packages", "repositories",
					    "excludePackages", "archives"};
	const struct node *job_deps = node_get(l->spec, "deps");
	struct node *out = node_new(l->a, N_MAP);
	const struct node *extra = l->igz ? l->parts->deps : NULL;
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		struct node *list = text_list(l, node_get(job_deps, lists[i]));
		const struct node *add = node_get(extra, lists[i]);
		for (size_t k = 0; add && add->kind == N_SEQ && k < add->n; k++)
			if (!node_seq_has_text(list, add->items[k]->text))
				node_push(l->a, list, subst(l, add->items[k]));
		set_if(l, out, lists[i], list);
	}
	return out;
}

static struct node *coerced_list(struct lowering *l, const char *field, const char *ref)
{
	struct node *out = node_new(l->a, N_SEQ);
	const struct node *list = node_get(l->spec, field);
	for (size_t i = 0; list && list->kind == N_SEQ && i < list->n; i++)
		node_push(l->a, out, schema_coerce(l->a, ref, list->items[i]));
	return out;
}

static struct node *volumes(struct lowering *l)
{
	struct node *out = coerced_list(l, "volumes", "#/$defs/Volume");
	if (l->igz) {
		add_missing_by(l, out, l->parts->fuse_volumes, "name");
		add_missing_by(l, out, l->parts->daemon_volumes, "name");
	}
	return out;
}

static struct node *spark_conf(struct lowering *l)
{
	struct node *conf = text_map(l, node_get(l->spec, "spark_conf"));
	if (l->igz && l->job->igz_settings.history_server_path) {
		const struct node *hs = l->parts->history_server_conf;
		for (size_t i = 0; hs && hs->kind == N_MAP && i < hs->n; i++)
			if (!node_get(conf, hs->pairs[i].key->text))
				node_set(l->a, conf, hs->pairs[i].key->text, subst(l, hs->pairs[i].value));
	}
	/* MLRun tests the value's truth (spark3job.py, run: `if spark_conf.get(
	 * "spark.eventLog.enabled")`): the text "false" is true, a YAML false is not */
	const struct node *enabled = node_get(conf, "spark.eventLog.enabled");
	const struct node *written = node_get(node_get(l->spec, "spark_conf"), "spark.eventLog.enabled");
	bool truth = enabled && enabled->len && !(written && written->kind == N_BOOL && !written->num);
	if (truth && !node_get(conf, "spark.eventLog.dir")) {
		const struct node *dir = node_get(l->defaults, "event_log_dir");
		if (dir)
			node_set(l->a, conf, "spark.eventLog.dir", text(l, dir));
	}
	return conf;
}

static struct node *monitoring(struct lowering *l)
{
	const struct node *m = node_get(l->spec, "monitoring");
	const struct node *enabled = node_get(m, "enabled");
	const struct node *jar = node_get(m, "exporter_jar");
	bool on = enabled && enabled->num;
	if (l->igz && !(enabled && !enabled->num)) {
		on = true;
		if (!jar)
			jar = l->parts->exporter_jar;
	}
	if (!on)
		return NULL;
	struct node *out = node_new(l->a, N_MAP);
	node_set(l->a, out, "exposeDriverMetrics", node_bool(l->a, true));
	node_set(l->a, out, "exposeExecutorMetrics", node_bool(l->a, true));
	if (jar) {
		struct node *prom = node_new(l->a, N_MAP);
		node_set(l->a, prom, "jmxExporterJar", text(l, jar));
		node_set(l->a, out, "prometheus", prom);
	}
	return out;
}

/* ---- driver and executor ------------------------------------------------------- */

static struct node *env(struct lowering *l)
{
	struct node *out = coerced_list(l, "env", "#/$defs/EnvVar");
	const struct node *add = l->igz ? l->parts->env : NULL;
	for (size_t i = 0; add && add->kind == N_SEQ && i < add->n; i++) {
		const char *name = node_get(add->items[i], "name")->text;
		struct node *have = node_find_by(out, "name", name);
		/* MLRun's export blanks V3IO_* values; an entry with no value takes the overlay's. */
		if (!have) {
			node_push(l->a, out, subst(l, add->items[i]));
		} else if (!node_get(have, "valueFrom") && !(node_get(have, "value") && node_get(have, "value")->len)) {
			for (size_t k = 0; k < out->n; k++)
				if (out->items[k] == have)
					out->items[k] = subst(l, add->items[i]);
		}
	}
	enrich_env(l->job, l->a, out);
	return out;
}

static void merge_mounts(struct lowering *l, struct node *out, const struct node *list)
{
	for (size_t i = 0; list && list->kind == N_SEQ && i < list->n; i++) {
		struct node *m = schema_coerce(l->a, "#/$defs/VolumeMount", list->items[i]);
		const struct node *path = node_get(m, "mountPath");
		bool replaced = false;
		for (size_t k = 0; path && k < out->n && !replaced; k++) {
			if (node_text_eq(node_get(out->items[k], "mountPath"), path->text)) {
				out->items[k] = m;      /* a later mount of the same path wins */
				replaced = true;
			}
		}
		if (!replaced)
			node_push(l->a, out, m);
	}
}

static struct node *volume_mounts(struct lowering *l, enum role r)
{
	struct node *out = node_new(l->a, N_SEQ);
	merge_mounts(l, out, node_get(l->spec, "volume_mounts"));
	merge_mounts(l, out, node_get(l->spec, r == ROLE_DRIVER ? "driver_volume_mounts" : "executor_volume_mounts"));
	if (l->igz) {
		if (r == ROLE_DRIVER || l->job->igz_settings.mount_v3io_to_executor)
			add_missing_by(l, out, l->parts->fuse_mounts, "mountPath");
		add_missing_by(l, out, l->parts->daemon_mounts, "mountPath");
	}
	return out;
}

/* MLRun's get_resource_labels (server api/common/runtime_handlers.py): the server's
 * default labels, the job's over them, then MLRun's own. */
static struct node *labels(struct lowering *l, bool pod)
{
	const struct job *job = l->job;
	struct node *out = mlrun_has(job->releases, MLRUN_DEFAULT_POD_LABELS)
				   ? text_map(l, node_get(l->defaults, "default_pod_labels"))
				   : node_new(l->a, N_MAP);
	const struct node *own = node_get(job->metadata, "labels");
	for (size_t i = 0; own && own->kind == N_MAP && i < own->n; i++)
		if (own->pairs[i].value->kind != N_NULL)
			node_set(l->a, out, own->pairs[i].key->text, text(l, own->pairs[i].value));
	node_set(l->a, out, "mlrun/class", str(l, "spark"));
	node_set(l->a, out, "mlrun/function", str(l, job->name));
	node_set(l->a, out, "mlrun/name", str(l, job->name));
	node_set(l->a, out, "mlrun/project", str(l, job->project));
	node_set(l->a, out, "mlrun/tag", str(l, job->tag));
	if (pod)
		node_set(l->a, out, "mlrun/job", str(l, job->name));
	return out;
}

/* The job's selector over the templates' default, as MLRun merges the function's over
 * the project's and the config's: a "" value removes the key it overrides and is
 * never emitted (a pod with a "" selector value fits no node). */
static struct node *node_selector(struct lowering *l, const struct node *sel)
{
	struct node *out = node_new(l->a, N_MAP);
	const struct node *dflt = node_get(l->defaults, "node_selector");
	for (size_t i = 0; dflt && dflt->kind == N_MAP && i < dflt->n; i++) {
		const struct pair *p = &dflt->pairs[i];
		if (node_is_text(p->value) && p->value->len && !node_get(sel, p->key->text))
			node_set(l->a, out, p->key->text, text(l, p->value));
	}
	for (size_t i = 0; sel && sel->kind == N_MAP && i < sel->n; i++) {
		const struct pair *p = &sel->pairs[i];
		if (node_is_text(p->value) && p->value->len)
			node_set(l->a, out, p->key->text, text(l, p->value));
	}
	return out;
}

/* The keys of a role's own settings, in the job and the defaults. */
static const struct role_keys {
	const char *overhead, *service_account, *node_selector, *preemption_mode, *tolerations, *affinity,
		*java_options;
} role_keys[2] = {
	{"spark.driver.memoryOverhead", "driver_service_account", "driver_node_selector", "driver_preemption_mode",
	 "driver_tolerations", "driver_affinity", "driver_java_options"},
	{"spark.executor.memoryOverhead", "executor_service_account", "executor_node_selector",
	 "executor_preemption_mode", "executor_tolerations", "executor_affinity", "executor_java_options"},
};

static struct node *role_spec(struct lowering *l, enum role r)
{
	const struct role_resources *rr = &l->job->role[r];
	const struct role_keys *keys = &role_keys[r];
	struct node *out = node_new(l->a, N_MAP);

	node_set(l->a, out, "cores", rr->cores_at ? (struct node *)rr->cores_at : node_int(l->a, 1));
	if (r == ROLE_EXECUTOR)
		node_set(l->a, out, "instances",
			 rr->instances_at ? (struct node *)rr->instances_at : node_int(l->a, 1));
	if (rr->cpu_request)
		node_set(l->a, out, "coreRequest", text(l, rr->cpu_request));
	if (rr->cpu_limit)
		node_set(l->a, out, "coreLimit", text(l, rr->cpu_limit));
	if (rr->heap.ok)
		node_set(l->a, out, "memory", str(l, rr->heap.jvm));
	/* The operator's quota check cannot read a bare number: give it a unit. */
	const struct memory *overhead = job_conf_size(l->job, keys->overhead);
	if (overhead)
		node_set(l->a, out, "memoryOverhead", str(l, overhead->jvm));
	if (rr->gpu) {
		struct node *gpu = node_new(l->a, N_MAP);
		node_set(l->a, gpu, "name", text(l, rr->gpu->key));
		node_set(l->a, gpu, "quantity", rr->gpu->value);
		node_set(l->a, out, "gpu", gpu);
	}
	if (!l->pod_labels)
		l->pod_labels = labels(l, true);
	node_set(l->a, out, "labels", l->pod_labels);
	const struct node *sa = r == ROLE_EXECUTOR ? given(l, "service_account") : NULL;
	if (!sa)
		sa = node_get(l->defaults, keys->service_account);
	if (sa)
		node_set(l->a, out, "serviceAccount", text(l, sa));
	if (!l->pod_env)        /* the same for both roles */
		l->pod_env = env(l);
	set_if(l, out, "env", l->pod_env);
	if (mlrun_has(l->job->releases, MLRUN_ENV_FROM)) {
		if (!l->pod_env_from)
			l->pod_env_from = coerced_list(l, "env_from", "#/$defs/EnvFromSource");
		set_if(l, out, "envFrom", l->pod_env_from);
	}
	set_if(l, out, "volumeMounts", volume_mounts(l, r));

	const struct node *sel = enrich_selector(l->job, l->a, keys->preemption_mode,
						 node_get(l->spec, keys->node_selector));
	if (!sel || sel->kind != N_MAP || !sel->n)      /* MLRun replaces, it does not merge */
		sel = enrich_selector(l->job, l->a, "preemption_mode", node_get(l->spec, "node_selector"));
	if (!l->pod_selector || sel != l->pod_selector_of) {    /* the roles' may be one */
		l->pod_selector = node_selector(l, sel);
		l->pod_selector_of = sel;
	}
	struct scheduling sched = {.node_selector = l->pod_selector};
	sched.tolerations = coerced_list(l, keys->tolerations, "#/$defs/Toleration");
	const struct node *aff = node_get(l->spec, keys->affinity);
	if (aff)
		sched.affinity = schema_coerce(l->a, "#/$defs/Affinity", aff);
	enrich_scheduling(l->job, l->a, r, &sched);
	set_if(l, out, "nodeSelector", sched.node_selector);
	set_if(l, out, "tolerations", sched.tolerations);
	set_if(l, out, "affinity", sched.affinity);
	const struct node *priority = given(l, "priority_class_name");
	if (priority && mlrun_has(l->job->releases, MLRUN_ROLE_PRIORITY_CLASS))
		node_set(l->a, out, "priorityClassName", text(l, priority));
	const struct node *java = node_get(l->spec, keys->java_options);
	if (java && java->len)
		node_set(l->a, out, "javaOptions", text(l, java));
	return out;
}

/* ---- the application ------------------------------------------------------------- */

static struct node *app_spec(struct lowering *l)
{
	const struct job *job = l->job;
	struct arena *a = l->a;
	struct node *s = node_new(a, N_MAP);
	node_set(a, s, "type", str(l, job->job_type));
	if (!strcmp(job->job_type, "Python")) {
		const struct node *pv = given(l, "python_version");
		if (!pv)
			pv = node_get(l->defaults, "python_version");
		if (pv)
			node_set(a, s, "pythonVersion", text(l, pv));
	}
	node_set(a, s, "mode", str(l, "cluster"));
	node_set(a, s, "image", str(l, job->image));
	const struct node *v;
	if ((v = given(l, "image_pull_policy")))
		node_set(a, s, "imagePullPolicy", text(l, v));
	if ((v = given(l, "image_pull_secret"))) {
		struct node *list = node_new(a, N_SEQ);
		node_push(a, list, text(l, v));
		node_set(a, s, "imagePullSecrets", list);
	}
	node_set(a, s, "mainApplicationFile", main_application_file(l));
	if ((v = given(l, "main_class")))
		node_set(a, s, "mainClass", text(l, v));
	set_if(l, s, "arguments", text_list(l, node_get(l->spec, "args")));
	node_set(a, s, "sparkVersion", str(l, job->spark_version));
	node_set(a, s, "restartPolicy", restart_policy(l));
	set_if(l, s, "deps", deps(l));
	set_if(l, s, "volumes", volumes(l));
	set_if(l, s, "sparkConf", spark_conf(l));
	set_if(l, s, "hadoopConf", text_map(l, node_get(l->spec, "hadoop_conf")));
	node_set(a, s, "driver", role_spec(l, ROLE_DRIVER));
	node_set(a, s, "executor", role_spec(l, ROLE_EXECUTOR));
	if ((v = given(l, "priority_class_name"))) {
		struct node *bso = node_new(a, N_MAP);
		node_set(a, bso, "priorityClassName", text(l, v));
		node_set(a, s, "batchSchedulerOptions", bso);
	}
	if ((v = node_get(l->spec, "dynamic_allocation"))) {
		struct node *da = node_new(a, N_MAP);
		for (size_t i = 0; i < v->n; i++)
			if (v->pairs[i].value->kind != N_NULL)
				node_set(a, da, v->pairs[i].key->text, v->pairs[i].value);
		set_if(l, s, "dynamicAllocation", da);
	}
	set_if(l, s, "monitoring", monitoring(l));
	return s;
}

static struct node *metadata(struct lowering *l)
{
	struct node *m = node_new(l->a, N_MAP);
	node_set(l->a, m, "name", str(l, l->job->name));
	node_set(l->a, m, "namespace", str(l, l->job->namespace));
	node_set(l->a, m, "labels", labels(l, false));
	set_if(l, m, "annotations", text_map(l, node_get(l->job->metadata, "annotations")));
	return m;
}

static struct node *scheduled(struct lowering *l, struct node *template)
{
	const struct node *sched = node_get(l->spec, "schedule");
	struct node *s = node_new(l->a, N_MAP);
	if (sched->kind != N_MAP) {
		node_set(l->a, s, "schedule", text(l, sched));
	} else {
		static const struct {
			const char *from, *to;
		} keys[] = {
			{"cron", "schedule"}, {"concurrency_policy", "concurrencyPolicy"}, {"suspend", "suspend"},
			{"successful_run_history_limit", "successfulRunHistoryLimit"},
			{"failed_run_history_limit", "failedRunHistoryLimit"}, {"time_zone", "timeZone"},
		};
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
			const struct node *v = node_get(sched, keys[i].from);
			if (v)
				node_set(l->a, s, keys[i].to, v->kind == N_STR ? text(l, v) : (struct node *)v);
		}
	}
	node_set(l->a, s, "template", template);
	return s;
}

struct node *lower_job(const struct job *job, struct arena *a)
{
	static unsigned generations;
	if (++generations == 0) {       /* the slots of 4 billion jobs ago would match */
		memset(substituted, 0, sizeof substituted);
		generations = 1;
	}
	struct lowering l = {.job = job, .a = a, .spec = job->spec, .defaults = job->templates->defaults,
			     .generation = generations};
	if (job->igz) {
		l.igz = job->templates->igz;
		l.parts = igz_parts(l.igz);
		/* MLRun 1.8 mounts the current path whatever the Iguazio version */
		const char *since = template_text(l.igz, "shm.since_version");
		const char *ver = job->igz_settings.igz_version;
		bool before = ver && since && version_compare(ver, since) < 0 &&
			      !mlrun_has(job->releases, MLRUN_SHM_PATH_CURRENT);
		l.shm_path = template_text(l.igz, before ? "shm.path_before" : "shm.path");
		l.shm_path = l.shm_path ? subst(&l, node_str(a, l.shm_path))->text : "";
	}
	struct node *doc = node_new(a, N_MAP);
	node_set(a, doc, "apiVersion", str(&l, "sparkoperator.k8s.io/v1beta2"));
	node_set(a, doc, "metadata", metadata(&l));
	struct node *spec = app_spec(&l);
	if (job->scheduled) {
		node_set(a, doc, "kind", str(&l, "ScheduledSparkApplication"));
		node_set(a, doc, "spec", scheduled(&l, spec));
	} else {
		node_set(a, doc, "kind", str(&l, "SparkApplication"));
		node_set(a, doc, "spec", spec);
	}
	return doc;
}
