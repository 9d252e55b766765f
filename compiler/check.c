/* check.c - see check.h. */
#include "check.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cron.h"
#include "k8sname.h"
#include "manifest.h"
#include "operator.h"
#include "path.h"
#include "quantity.h"
#include "schema.h"
#include "secrets.h"
#include "sparkconf.h"
#include "sparkver.h"
#include "strbuf.h"
#include "suggest.h"

struct checker {
	const struct job *job;
	struct diag_src *src;
	size_t errors;
};

#define ERR(c, at, rule, path, hint, ...) \
	((c)->errors++, diag_node((c)->src, (at), SEV_ERROR, (rule), (path), (hint), __VA_ARGS__))
#define WARN(c, at, rule, path, hint, ...) \
	diag_node((c)->src, (at), SEV_WARNING, (rule), (path), (hint), __VA_ARGS__)

static void check_label_map(struct checker *c, const struct node *map, const char *path,
			    bool values_are_labels)
{
	for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++) {
		const struct node *k = map->pairs[i].key, *v = map->pairs[i].value;
		struct path pb;
		const char *p = path_of(&pb, path, k->text, NULL);
		const char *why = label_key_problem(k->text);
		if (why)
			ERR(c, k, "label-key", p, NULL, "'%s' is not a valid key: %s", k->text, why);
		if (values_are_labels && node_is_scalar(v) && !label_value_ok(v->text))
			ERR(c, v, "label-value", p, "at most 63 characters of letters, digits, '-', '_' and '.', "
			    "starting and ending with a letter or digit",
			    "'%s' is not a valid label value", v->text);
	}
}

/* ---- control characters ------------------------------------------------------- */

/* A NUL or another C0 control character (tab and newline aside) in a name, namespace,
 * label, annotation key or path: C strings would end at a NUL ("ab\0/../x" naming the
 * file "ab"), and Kubernetes and file systems take none of them. Values elsewhere
 * keep such characters and are escaped on output. */
static void check_controls_in(struct checker *c, const struct node *n, const char *path, const char *what)
{
	if (!node_is_text(n))
		return;
	for (size_t i = 0; i < n->len; i++) {
		unsigned char ch = (unsigned char)n->text[i];
		if (ch < 0x20 && ch != '\t' && ch != '\n') {
			ERR(c, n, "control-character", path, "write the value without control characters",
			    "%s holds the control character U+%04X at character %zu; it cannot hold one", what, ch,
			    i + 1);
			return;
		}
	}
}

static void check_controls_in_map(struct checker *c, const struct node *map, const char *path,
				  const char *what, bool values_too)
{
	for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++) {
		check_controls_in(c, map->pairs[i].key, path, what);
		if (values_too)
			check_controls_in(c, map->pairs[i].value, path, what);
	}
}

static void check_controls_in_seq(struct checker *c, const struct node *seq, const char *path,
				  const char *field, const char *what)
{
	for (size_t i = 0; seq && seq->kind == N_SEQ && i < seq->n; i++) {
		const struct node *item = seq->items[i];
		check_controls_in(c, field ? node_at(item, field) : item, path, what);
	}
}

static void check_control_characters(struct checker *c)
{
	const struct node *md = c->job->metadata, *spec = c->job->spec;
	check_controls_in(c, node_get(md, "name"), "metadata.name", "a name");
	check_controls_in(c, node_get(md, "namespace"), "metadata.namespace", "a namespace");
	check_controls_in(c, node_get(md, "project"), "metadata.project", "a label value");
	check_controls_in(c, node_get(md, "tag"), "metadata.tag", "a label value");
	check_controls_in_map(c, node_get(md, "labels"), "metadata.labels", "a label", true);
	check_controls_in_map(c, node_get(md, "annotations"), "metadata.annotations", "an annotation key", false);
	if (!spec || spec->kind != N_MAP || c->job->manifest)
		return;         /* a manifest's paths are plain strings to the CRD's schema */
	check_controls_in(c, node_get(spec, "command"), "spec.command", "a path");
	check_controls_in(c, node_get(spec, "workdir"), "spec.workdir", "a path");
	/* each field and its path */
	static const char *const selectors[][2] = {{"node_selector", "spec.node_selector"},
						   {"driver_node_selector", "spec.driver_node_selector"},
						   {"executor_node_selector", "spec.executor_node_selector"}};
	for (size_t i = 0; i < 3; i++)
		check_controls_in_map(c, node_get(spec, selectors[i][0]), selectors[i][1], "a label", true);
	static const char *const mounts[][2] = {{"volume_mounts", "spec.volume_mounts"},
						{"driver_volume_mounts", "spec.driver_volume_mounts"},
						{"executor_volume_mounts", "spec.executor_volume_mounts"}};
	for (size_t i = 0; i < 3; i++) {
		const struct node *list = node_get(spec, mounts[i][0]);
		check_controls_in_seq(c, list, mounts[i][1], "mountPath", "a path");
		check_controls_in_seq(c, list, mounts[i][1], "subPath", "a path");
	}
	check_controls_in_seq(c, node_get(spec, "volumes"), "spec.volumes", "hostPath.path", "a path");
	static const char *const deps[][2] = {{"jars", "spec.deps.jars"}, {"files", "spec.deps.files"},
					      {"pyFiles", "spec.deps.pyFiles"}, {"archives", "spec.deps.archives"}};
	const struct node *d = node_get(spec, "deps");
	for (size_t i = 0; i < 4; i++)
		check_controls_in_seq(c, node_get(d, deps[i][0]), deps[i][1], NULL, "a path");
}

/* ---- metadata -------------------------------------------------------------------- */

/* Whether n is a value no diagnostic may show (a secret aliased into another field). */
static bool shows_secret(const struct checker *c, const struct node *n)
{
	diag_find_secrets(c->src);
	for (size_t i = 0; i < c->src->nsecrets; i++)
		if (c->src->secrets[i] == n || (node_is_text(n) && !strcmp(c->src->secrets[i]->text, n->text)))
			return true;
	return false;
}

static void check_metadata(struct checker *c)
{
	const struct job *job = c->job;
	const struct node *name = node_get(job->metadata, "name");
	size_t max = job_name_max(job->scheduled);
	if (node_is_text(name) && !dns1035_label(name->text)) {
		char hint[160];
		char fixed[64];
		size_t k = 0;
		for (const char *s = name->text; *s && k + 1 < sizeof fixed; s++)
			fixed[k++] = *s == '_' || *s == '.' || *s == ' ' ? '-' : (char)tolower((unsigned char)*s);
		fixed[k] = '\0';
		/* no example made of a secret: the hint would show it, lower-cased */
		bool example = !shows_secret(c, name) && dns1035_label(fixed);
		snprintf(hint, sizeof hint, "lower-case letters, digits and '-', starting with a letter%s%s%s",
			 example ? ", e.g. '" : "", example ? fixed : "", example ? "'" : "");
		ERR(c, name, "name", "metadata.name", hint,
		    "'%s' is not a valid name: the driver pod and its Service need a DNS-1035 label",
		    name->text);
	} else if (node_is_text(name) && strlen(name->text) > max) {
		ERR(c, name, "name-length", "metadata.name",
		    job->scheduled ? "each run is named <name>-<19-digit timestamp>, and its driver pod "
				     "<run>-driver must fit 63 characters"
				   : "the driver pod <name>-driver and the Service <name>-ui-svc must fit 63 "
				     "characters",
		    "name is %zu characters long; %s%s's name can have at most %zu", strlen(name->text),
		    job->scheduled ? "a scheduled " : strchr("aeiou", job->fields->noun[0]) ? "an " : "a ",
		    job->fields->noun, max);
	}
	if (job->manifest) {     /* its namespace is the CRD's pattern; project and tag are MLRun's */
		check_label_map(c, node_get(job->metadata, "labels"), "metadata.labels", true);
		check_label_map(c, node_get(job->metadata, "annotations"), "metadata.annotations", false);
		/* The operator puts these on the pods and the driver's Service
		 * (spark.kubernetes.<role>.label.<key>, .annotation.<key>, submission.go
		 * driverConfOption/executorConfOption), and a node selector's are label pairs
		 * too: the API server refuses a pod with a bad one. */
		static const struct {
			const char *field;
			bool labels;
		} pod_maps[] = {{"labels", true}, {"annotations", false}, {"serviceLabels", true},
				{"serviceAnnotations", false}, {"nodeSelector", true}};
		for (size_t i = 0; i < sizeof pod_maps / sizeof *pod_maps; i++) {
			const char *field = pod_maps[i].field;
			struct path pb;
			if (!strcmp(field, "nodeSelector"))
				check_label_map(c, node_get(job->spec, field), path_of(&pb, job->fields->spec, field, NULL),
						true);
			for (enum role r = ROLE_DRIVER; r <= ROLE_EXECUTOR; r++)
				check_label_map(c, node_get(node_get(job->spec, role_names[r]), field),
						path_of(&pb, job->fields->spec, role_names[r], field, NULL), pod_maps[i].labels);
		}
		return;
	}
	const struct node *ns = node_get(job->metadata, "namespace");
	if (node_is_text(ns) && !job->namespace_from_option && !dns1123_label(ns->text))
		ERR(c, ns, "namespace", "metadata.namespace",
		    "lower-case letters, digits and '-', at most 63 characters",
		    "'%s' is not a valid namespace name", ns->text);
	static const char *const label_fields[] = {"project", "tag"};
	for (size_t i = 0; i < 2; i++) {
		const struct node *v = node_get(job->metadata, label_fields[i]);
		if (node_is_text(v) && !label_value_ok(v->text)) {
			struct path pb;
			const char *p = path_of(&pb, "metadata", label_fields[i], NULL);
			char hint[64];
			snprintf(hint, sizeof hint, "it becomes the label mlrun/%s", label_fields[i]);
			ERR(c, v, "label-value", p, hint, "'%s' is not a valid label value", v->text);
		}
	}
	check_label_map(c, node_get(job->metadata, "labels"), "metadata.labels", true);
	check_label_map(c, node_get(job->metadata, "annotations"), "metadata.annotations", false);
}

/* ---- resources ------------------------------------------------------------------- */

/* A manifest's request and limit may also come from sparkConf, and without a request
 * Spark requests the cores: Kubernetes refuses a request above the limit wherever each
 * comes from. Said at the field the manifest writes, else the limit. (Both fields
 * written: check_role_resources' own rule.) */
static void check_effective_cpu(struct checker *c, enum role r)
{
	const struct role_resources *rr = &c->job->role[r];
	const char *role = role_names[r];
	if ((rr->cpu_request_given && rr->cpu_limit_given) || !rr->cpu_limit || !rr->cpu_request_ok ||
	    !rr->cpu_limit_ok || rr->cpu_request_m <= rr->cpu_limit_m)
		return;
	bool at_request = rr->cpu_request_given;
	char key[64];
	struct path pb;
	snprintf(key, sizeof key, "spark.kubernetes.%s.limit.cores", role);
	ERR(c, at_request ? rr->cpu_request : rr->cpu_limit, "cpu-request-above-limit",
	    at_request ? c->job->fields->cpu_request[r]
	    : rr->cpu_limit_given ? c->job->fields->cpu_limit[r] : path_of(&pb, c->job->fields->conf, key, NULL),
	    "keep the request (coreRequest, else the cores) at or below the limit (coreLimit)",
	    "%c%s CPU request (%s%s) is higher than limit (%s)", toupper((unsigned char)role[0]), role + 1,
	    rr->cpu_request->text, rr->cpu_request == rr->cores_at ? ", its cores" : "", rr->cpu_limit->text);
}

static void check_role_resources(struct checker *c, enum role r)
{
	const struct role_resources *rr = &c->job->role[r];
	const char *role = role_names[r];
	struct path pb;
	const char *path;
	bool req_ok = true, lim_ok = true;
	if (rr->cpu_request_given && node_is_text(rr->cpu_request)) {
		path = c->job->fields->cpu_request[r];
		req_ok = rr->cpu_request_ok && rr->cpu_request_m > 0;
		if (!req_ok)
			ERR(c, rr->cpu_request, "cpu", path, "a Kubernetes quantity such as 1, 0.5 or 500m",
			    "'%s' is not a CPU amount", rr->cpu_request->text);
	}
	if (rr->cpu_limit_given && node_is_text(rr->cpu_limit)) {
		path = c->job->fields->cpu_limit[r];
		lim_ok = rr->cpu_limit_ok && rr->cpu_limit_m > 0;
		if (!lim_ok)
			ERR(c, rr->cpu_limit, "cpu", path, "a Kubernetes quantity such as 1, 0.5 or 500m",
			    "'%s' is not a CPU amount", rr->cpu_limit->text);
	}
	if (c->job->manifest)
		check_effective_cpu(c, r);
	if (rr->cpu_request_given && rr->cpu_limit_given && req_ok && lim_ok &&
	    rr->cpu_request_m > rr->cpu_limit_m) {
		path = c->job->fields->cpu_request[r];
		char hint[160];
		snprintf(hint, sizeof hint, "raise %s to at least %s, or lower the request",
			 c->job->fields->cpu_limit_name[r], rr->cpu_request->text);
		ERR(c, rr->cpu_request, "cpu-request-above-limit", path, hint,
		    "%c%s CPU request (%s) is higher than limit (%s)", toupper((unsigned char)role[0]),
		    role + 1, rr->cpu_request->text, rr->cpu_limit->text);
	}
	if (rr->memory_given && node_is_text(rr->memory)) {
		path = c->job->fields->memory[r];
		if (!rr->heap.ok)
			ERR(c, rr->memory, "memory", path, rr->heap.hint[0] ? rr->heap.hint : NULL, "%s", rr->heap.why);
		else if (rr->heap.bytes < MIB)
			ERR(c, rr->memory, "memory", path, "Spark needs at least 1m of heap",
			    "'%s' is less than 1 MiB", rr->memory->text);
	}
	const struct node *lim_map = node_get(rr->resources, "limits");
	const struct pair *lm = node_get_pair(lim_map, "memory");
	if (lm && lm->value->kind != N_NULL) {
		path = path_of(&pb, "spec", role_resources_keys[r], "limits.memory", NULL);
		WARN(c, lm->key, "memory-limit-ignored", path,
		     "size the pod with requests.memory and spark.<role>.memoryOverhead",
		     "ignored: Spark sets the pod's memory limit to memory + overhead");
	}
	if (rr->gpu_types > 1) {
		path = c->job->fields->gpu[r];
		ERR(c, lim_map, "gpu", path, "keep one of them",
		    "a Spark role takes a single GPU resource type; %zu are given", rr->gpu_types);
	}
}

/* spark_conf sizes sparkc computes with, so a wrong one is caught here, not at submit. */
static void check_conf_sizes(struct checker *c, const struct node *conf)
{
	const char *version = c->job->spark_version_effective;
	for (size_t i = 0; i < CONF_SIZES; i++) {
		const struct conf_size *cs = &c->job->conf_sizes[i];
		if (!cs->at || cs->value.ok)
			continue;
		/* A release without the key never reads its value (minMemoryOverhead: 4.0,
		 * SPARK-47208); the registry calls the key too new. */
		if (strstr(cs->key, "minMemoryOverhead") && version_compare(version, "4.0") < 0)
			continue;
		ERR(c, cs->at, "memory", cs->path, cs->value.hint[0] ? cs->value.hint : NULL, "%s", cs->value.why);
	}
	for (size_t i = 0; i < CONF_FACTORS; i++) {
		const struct conf_factor *cf = &c->job->conf_factors[i];
		const struct node *v = cf->at;
		if (!v)
			continue;
		const char *path = cf->path;
		double f = 0;
		bool per_role = i > 0;  /* spark.kubernetes.memoryOverheadFactor comes first */
		if (per_role && version_compare(version, "3.3") < 0)
			continue;       /* added in 3.3 (SPARK-38194): an older Spark never reads it */
		/* NaN fails Spark's checkValue; an infinite factor asks for an endless pod. */
		if (!spark_double(v->text, &f) || !(f >= 0 && f < HUGE_VAL) || (per_role && f == 0))
			ERR(c, v, "overhead-factor", path, per_role ? "a number above 0, e.g. 0.2" : "a number of 0 or more, e.g. 0.2",
			    "'%s' is not a valid memory overhead factor", v->text);
		/* Spark 2.4-3.2's checkValue: "Ensure that memory overhead is a double between
		 * 0 --> 1.0" (Config.scala); SPARK-37611 lifted the bound in 3.3. */
		else if (!per_role && f >= 1 && version_compare(version, "3.3") < 0)
			ERR(c, v, "overhead-factor", path, "below 1 (Spark 3.3 and later take more), e.g. 0.4",
			    "Spark %s takes a factor below 1 here, got '%s': spark-submit stops", version, v->text);
	}
	const struct node *offheap = node_get(conf, "spark.memory.offHeap.enabled");
	if (node_is_scalar(offheap) && !strcasecmp(offheap->text, "true")) {
		const struct node *size = node_get(conf, "spark.memory.offHeap.size");
		const struct memory *m = job_conf_size(c->job, "spark.memory.offHeap.size");
		struct path pb;
		/* MemoryManager.tungstenMemoryMode requires the size in bytes above 0; from 3.1
		 * ResourceProfile also takes it in whole MiB (Utils.executorOffHeapMemorySizeAsMb,
		 * checkOffHeapEnabled: "must be > 0"), so below 1 MiB fails there. */
		bool whole_mib = version_compare(c->job->spark_version_effective, "3.1") >= 0;
		if (!size || (m && m->bytes < (whole_mib ? MIB : 1)))
			ERR(c, size ? size : offheap, "offheap-size",
			    path_of(&pb, c->job->fields->conf, size ? "spark.memory.offHeap.size"
								      : "spark.memory.offHeap.enabled", NULL),
			    "set spark.memory.offHeap.size, e.g. 1g",
			    whole_mib ? "spark.memory.offHeap.size must be at least 1 MiB when off-heap memory is enabled"
				      : "spark.memory.offHeap.size must be above 0 when off-heap memory is enabled");
	}
}

/* ---- spark_conf ------------------------------------------------------------------ */

/* Keys the operator sets itself and refuses in sparkConf (submission.go). */
static bool conf_denied(const char *key)
{
	return !strcmp(key, "spark.master") || !strncmp(key, "spark.kubernetes.container.image", 32) ||
	       !strncmp(key, "spark.kubernetes.authenticate.", 30);
}

/* Whether a manifest sets the field the operator reads a row's key from; where, into
 * field. */
static bool manifest_sets(const struct job *job, const struct operator_conf *o, enum role r, char *field,
			  size_t len)
{
	const char *prefix = job->fields->spec;
	const struct node *da = job->dynamic_allocation;
	switch (o->from) {
	case FROM_ROLE:
		snprintf(field, len, "%s.%s.%s", prefix, role_names[r], o->field);
		return node_get(node_get(job->spec, role_names[r]), o->field) != NULL;
	case FROM_SPEC:
		snprintf(field, len, "%s.%s", prefix, o->field);
		return node_get(job->spec, o->field) != NULL;
	case FROM_DYNAMIC:
		snprintf(field, len, "%s.dynamicAllocation%s%s", prefix, o->field ? "." : "", o->field ? o->field : "");
		return node_get(da, "enabled") && node_get(da, "enabled")->kind == N_BOOL && node_get(da, "enabled")->num &&
		       (o->value || node_get(da, o->field));
	}
	return false;
}

/* Whether a manifest's sparkConf value says what the field the operator passes after
 * it says: then nothing is overridden. sparkc writes such pairs itself: a job's
 * spark_conf memoryOverhead stays in sparkConf, as MLRun passes it, and is also the
 * role's memoryOverhead field, the one the operator's webhook reads (lower.c). Sizes
 * and CPU amounts are compared as Spark and Kubernetes read them (a bare
 * memoryOverhead is MiB, 1 CPU is 1000m). */
static bool says_the_same(const struct job *job, const struct operator_conf *o, enum role r,
			  const struct node *value)
{
	const struct node *field = o->from == FROM_ROLE ? node_get(node_get(job->spec, role_names[r]), o->field)
				   : o->from == FROM_SPEC ? node_get(job->spec, o->field) : NULL;
	if (!node_is_scalar(value) || !node_is_scalar(field))
		return false;
	if (!strcmp(value->text, field->text))
		return true;
	struct memory a, b;
	double ca, cb;
	if (strstr(o->field, "memory"))
		return memory_parse(value->text, MIB, &a) && memory_parse(field->text, MIB, &b) && a.bytes == b.bytes;
	if (strstr(o->field, "core") && strcmp(o->field, "cores"))
		return cpu_parse(value->text, &ca) && cpu_parse(field->text, &cb) && ca == cb;
	return false;
}

/* A key the operator passes from the job's own field has no effect in spark_conf: the
 * operator's --conf comes after sparkConf and the last one wins (operator.h). A
 * manifest's key is dead when the manifest sets the field to another value. */
static void warn_overridden(struct checker *c, const struct node *conf, const struct operator_conf *o,
			    enum role r)
{
	char when[64], hint[256], field[96];
	/* each row's key for each role, made once */
	static char keys[32][2][128];
	static bool made;
	size_t row = (size_t)(o - operator_confs);
	char buf[128];
	const char *key = keys[row][r];
	if (!made) {
		for (size_t i = 0; i < operator_confs_n && i < 32; i++)
			for (enum role k = ROLE_DRIVER; k <= ROLE_EXECUTOR; k++)
				operator_key(operator_confs[i].conf, k, keys[i][k], sizeof keys[i][k]);
		made = true;
	}
	if (row >= 32) {
		operator_key(o->conf, r, buf, sizeof buf);
		key = buf;
	}
	const struct pair *p = node_get_pair(conf, key);
	if (!p)
		return;
	struct path pb;
	if (c->job->manifest) {
		if (conf_denied(key) || !manifest_sets(c->job, o, r, field, sizeof field) ||
		    (o->field && says_the_same(c->job, o, r, p->value)))
			return;
		if (o->field)
			snprintf(hint, sizeof hint, "remove it: %s sets this key", field);
		else
			snprintf(hint, sizeof hint, "the operator turns it on with %s; to turn it off, drop that "
				 "and set spark.dynamicAllocation.* here", field);
		WARN(c, p->key, "conf-overridden", path_of(&pb, c->job->fields->conf, key, NULL), hint,
		     "has no effect: the operator passes its own value for this key after sparkConf");
		return;
	}
	if (o->when)
		operator_key(o->when, r, when, sizeof when);
	if (o->when && !node_get(c->job->spec, when))
		return;
	if (o->hint) {
		snprintf(hint, sizeof hint, "%s", o->hint);
	} else {
		operator_key(o->job_field, r, field, sizeof field);
		snprintf(hint, sizeof hint, "set spec.%s instead", field);
	}
	WARN(c, p->key, "conf-overridden", path_of(&pb, c->job->fields->conf, key, NULL), hint,
	     "has no effect: the operator passes its own value for this key after sparkConf");
}

static void check_conf_overridden(struct checker *c, const struct node *conf)
{
	for (size_t i = 0; i < operator_confs_n; i++) {
		const struct operator_conf *o = &operator_confs[i];
		if (!o->job_field && !o->hint && !c->job->manifest)
			continue;       /* a job sets no such field */
		if (o->from == FROM_DYNAMIC) {
			warn_overridden(c, conf, o, ROLE_DRIVER);     /* no role in its key */
			continue;
		}
		for (enum role r = ROLE_DRIVER; r <= ROLE_EXECUTOR; r++)
			if (o->roles & (1u << r))
				warn_overridden(c, conf, o, r);
	}
}

static void check_spark_conf(struct checker *c)
{
	const struct job *job = c->job;
	const struct node *conf = job->conf;
	for (size_t i = 0; conf && conf->kind == N_MAP && i < conf->n; i++) {
		const struct node *k = conf->pairs[i].key, *v = conf->pairs[i].value;
		const char *key = k->text;
		struct path pb;
		if (conf_denied(key)) {
			ERR(c, k, "conf-denied", path_of(&pb, job->fields->conf, key, NULL),
			    !strncmp(key, "spark.kubernetes.container.image", 32) ? job->fields->image_hint
			    : !strcmp(key, "spark.master") ? "the operator sets the master to the cluster it runs in"
							   : job->fields->service_account_hint,
			    "'%s' is set by the Spark operator and refused in sparkConf", key);
		} else if (!strcmp(key, "spark.kubernetes.namespace") && node_is_scalar(v) &&
			   strcmp(v->text, job->namespace)) {
			ERR(c, v, "conf-namespace", path_of(&pb, job->fields->conf, key, NULL),
			    "remove it: the namespace comes from metadata.namespace or -n",
			    "namespace '%s' differs from the %s's namespace '%s'", v->text, job->fields->noun, job->namespace);
		}
	}
	check_conf_sizes(c, conf);

	check_conf_overridden(c, conf);
}

/* ---- what a document is ------------------------------------------------------- */

/* ---- secrets --------------------------------------------------------------------- */

static void report_secret(const struct secret *s, void *ctx)
{
	struct checker *c = ctx;
	/* a Spark key that the registry says holds a number, a switch or one of a few
	 * words holds no secret (spark.sql.hive.thriftServer.singleSession) */
	const struct spark_key *known =
		s->kind == SECRET_CONF && c->job ? spark_key_for(s->name, c->job->spark_version_effective) : NULL;
	if (known && (strcmp(known->type, "string") || *known->values))
		return;
	static const char *const hints[] = {
		[SECRET_ENV] = "take it from a Secret: valueFrom: {secretKeyRef: {name: <secret>, key: <key>}}",
		[SECRET_ENV_VARS] = "take it from a Secret: envSecretKeyRefs: {<VAR>: {name: <secret>, key: <key>}}",
		[SECRET_CONF] = "put it in a Secret and pass it as an environment variable with "
				"spark.kubernetes.driver.secretKeyRef.<VAR>=<secret>:<key> (and executor)",
		[SECRET_ACCESS_KEY] = "remove it and name a Secret in flexVolume.secretRef (igz_spark does "
				      "this with access_key_secret)",
		[SECRET_OBJECT] = "keep it out of git: create the Secret in the cluster (kubectl create secret), "
				  "or commit it encrypted (a SealedSecret, SOPS)",
	};
	if (s->kind == SECRET_ACCESS_KEY)
		ERR(c, s->value, "secret-literal", s->path,
		    c->job->manifest ? "remove it and name a Secret in flexVolume.secretRef" : hints[s->kind],
		    "the access key is written as plain text; manifests land in git");
	else if (s->kind == SECRET_OBJECT)
		ERR(c, s->value, "secret-literal", s->path, hints[s->kind],
		    "a Secret's value written as plain text (base64 is no encryption); manifests land in git");
	else
		ERR(c, s->value, "secret-literal", s->path, hints[s->kind],
		    "'%s' holds a secret as plain text; manifests land in git", s->name);
}

bool check_secret_object(const struct node *doc, struct diag_src *src)
{
	struct checker c = {.src = src};
	secrets_flagged(doc, report_secret, &c);
	return c.errors == 0;
}

/* ---- volumes ------------------------------------------------------------------ */

static bool igz_declares(const struct job *job, const char *name)
{
	if (!job->igz)
		return false;
	const struct node *igz = job->templates->igz;
	return node_find_by(node_at(igz, "fuse.volumes"), "name", name) ||
	       node_find_by(node_at(igz, "daemon.volumes"), "name", name);
}

static void check_volumes(struct checker *c)
{
	const struct job_fields *f = c->job->fields;
	const struct node *vols = c->job->volumes;
	for (size_t i = 0; vols && vols->kind == N_SEQ && i < vols->n; i++) {
		const struct node *name = node_get(vols->items[i], "name");
		if (!node_is_text(name))
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct node *other = node_get(vols->items[j], "name");
			if (other && !strcmp(other->text, name->text)) {
				struct path pb;
				path_of(&pb, f->volumes, NULL);
				path_push_index(&pb, i);
				path_push_key(&pb, "name");
				const char *path = pb.buf;
				ERR(c, name, "volume-duplicate", path, "give each volume its own name",
				    "volume '%s' is declared twice (first at line %d)", name->text, other->line);
				break;
			}
		}
	}
	for (size_t l = 0; l < 3 && f->mounts[l]; l++) {
		const struct node *mounts = c->job->mounts[l];
		for (size_t i = 0; mounts && mounts->kind == N_SEQ && i < mounts->n; i++) {
			const struct node *name = node_get(mounts->items[i], "name");
			if (!node_is_text(name) || node_find_by(vols, "name", name->text) || igz_declares(c->job, name->text))
				continue;
			struct path pb;
			path_of(&pb, f->mounts[l], NULL);
			path_push_index(&pb, i);
			path_push_key(&pb, "name");
			const char *path = pb.buf;
			const char *cands[64];
			size_t n = 0;
			for (size_t k = 0; vols && vols->kind == N_SEQ && k < vols->n && n < 64; k++)
				if (node_get(vols->items[k], "name"))
					cands[n++] = node_get(vols->items[k], "name")->text;
			char buf[160];
			const char *hint = did_you_mean(buf, sizeof buf, closest_word(name->text, cands, n), true);
			char declare[96];
			snprintf(declare, sizeof declare, "declare it in %s", f->volumes);
			ERR(c, name, "volume-undeclared", path, hint ? hint : declare,
			    "mounts volume '%s', which %s does not declare", name->text, f->volumes);
		}
	}
}

/* ---- the rest ------------------------------------------------------------------ */

static void check_data_store(struct checker *c, const struct node *v, const char *path)
{
	static const char *const bad[] = {"dbfs:", "http://", "https://", "memory://"};
	for (size_t i = 0; i < 4; i++)
		if (node_is_scalar(v) && !strncasecmp(v->text, bad[i], strlen(bad[i])))
			ERR(c, v, "data-store", path,
			    "put the file in the image (local://), on v3io (v3io://) or in object storage (s3a://)",
			    "The Spark runtimes spark and remote-spark do not support dbfs, http, or memory "
			    "data stores");
}

/* An empty image is not set, as in MLRun; the templates' default image stands in for
 * a job that gives none (MLRun's configured Spark image, or use_default_image). */
static void check_image(struct checker *c)
{
	const struct job *job = c->job;
	if (job->image)
		return;
	const struct node *image = node_get(job->spec, "image");
	const struct node *use_default = node_get(job->spec, "use_default_image");
	bool wants_default = use_default && use_default->kind == N_BOOL && use_default->num;
	const char *hint = wants_default
				   ? "set spec.image, or give a default image: in defaults.yaml of a --templates "
				     "directory, which use_default_image takes"
				   : "set spec.image, e.g. iguazio/spark-app:3.5.5, or use_default_image: true with a "
				     "default image: in defaults.yaml of a --templates directory";
	if (image && !node_is_text(image))
		return;         /* the schema reports its type */
	if (image)
		ERR(c, image, "image-required", "spec.image", hint, "image is empty and %s",
		    wants_default ? "use_default_image asks for the templates' default image, which they do "
				    "not define"
				  : "the templates define no default image");
	else
		ERR(c, job->spec_key, "image-required", "spec",
		    wants_default ? hint : "add spec.image, e.g. iguazio/spark-app:3.5.5",
		    "missing required key 'image' (the templates give no default image)");
}

/* MLRun's rule: a "" value removes the key from the selector it overrides, which for
 * sparkc is the templates' default; one that removes nothing is a slip. */
static void check_selector_removals(struct checker *c, const struct node *sel, const char *path)
{
	const struct node *dflt = node_get(c->job->templates->defaults, "node_selector");
	for (size_t i = 0; sel && sel->kind == N_MAP && i < sel->n; i++) {
		const struct node *k = sel->pairs[i].key, *v = sel->pairs[i].value;
		const struct node *d = node_get(dflt, k->text);
		if (v->kind != N_STR || v->len || (node_is_text(d) && d->len))
			continue;
		struct path pb;
		const char *p = path_of(&pb, path, k->text, NULL);
		WARN(c, v, "node-selector-empty", p,
		     "leave the key out; \"\" only removes a key that the templates' node selector sets",
		     "'%s: \"\"' removes nothing: the templates' node selector has no '%s'", k->text, k->text);
	}
}

static bool build_step_set(const struct node *build, const char *key)
{
	const struct node *v = node_get(build, key);
	return v && ((v->kind == N_SEQ && v->n) || (node_is_text(v) && v->len));
}

/* Build steps in an export mean MLRun builds an image before the run; sparkc builds
 * nothing, so a manifest whose image is not that built image runs without them. */
static void check_build(struct checker *c)
{
	const struct job *job = c->job;
	const struct pair *bp = node_get_pair(job->spec, "build");
	if (!bp || bp->value->kind != N_MAP)
		return;
	static const char *const steps[] = {"commands", "requirements", "base_image"};
	char set[64] = "";
	for (size_t i = 0; i < 3; i++)
		if (build_step_set(bp->value, steps[i]))
			snprintf(set + strlen(set), sizeof set - strlen(set), "%s%s", *set ? ", " : "", steps[i]);
	if (!*set)
		return;
	const struct node *base = node_get(bp->value, "base_image");
	const char *image = job->image_given ? job->image : NULL;
	const char *why = !image ? "spec.image is not set"
			  : image[0] == '.' ? "spec.image is MLRun's name for the image it would build"
			  : node_is_text(base) && !strcmp(image, base->text) ? "spec.image is the base image"
									 : NULL;
	if (why)
		WARN(c, bp->key, "build-not-run", "spec.build",
		     "build the image (MLRun's deploy, or docker build with these steps), push it, and set "
		     "spec.image to its full name",
		     "build.%s: MLRun builds an image with these before the job runs, but sparkc builds nothing "
		     "and %s, so the manifest runs without them", set, why);
}

static void major_minor(const char *version, char *buf, size_t len)
{
	const char *dot = strchr(version, '.');
	size_t n = dot ? (size_t)(dot + 1 - version) + strcspn(dot + 1, ".") : strlen(version);
	text_copy(buf, len, version, n);
}

/* The Spark that runs is the image's; a spark_version that names another one sizes the
 * pods by the wrong rules. Only major.minor counts (3.5.1 and 3.5.5 size alike). */
static void check_spark_version(struct checker *c)
{
	const struct job *job = c->job;
	const struct node *sv = job->spark_version_at;
	if (job->spark_version_from != SPARK_VERSION_GIVEN && node_is_scalar(sv) && sv->len)
		WARN(c, sv, "spark-version", job->fields->spark_version, "a Spark release such as 3.5.5",
		     "'%s' is not a Spark version: the version rules follow Spark %s%s", sv->text,
		     job->spark_version_effective, job->spark_version_from == SPARK_VERSION_IMAGE ? ", from the image tag" : "");
	if (job->spark_version_from != SPARK_VERSION_GIVEN || !job->image_spark_version[0])
		return;
	char given[32], tagged[32];
	major_minor(job->spark_version_effective, given, sizeof given);
	major_minor(job->image_spark_version, tagged, sizeof tagged);
	if (version_compare(given, tagged) == 0)
		return;
	char hint[128];
	snprintf(hint, sizeof hint, "set %s: %s, or use an image of Spark %s", job->fields->spark_version_name,
		 job->image_spark_version, job->spark_version);
	WARN(c, sv, "spark-version-image", job->fields->spark_version, hint,
	     "Spark %s contradicts the image '%s', which runs Spark %s; sizing follows %s",
	     job->spark_version, job->image, job->image_spark_version, job->fields->spark_version_name);
}

/* A relative command needs a directory to be run from, and every file the job names
 * must be where the driver can read it. */
static void check_command(struct checker *c)
{
	const struct job *job = c->job;
	const struct node *spec = job->spec;
	const struct node *command = node_get(spec, "command");
	if (!node_is_text(command))
		command = NULL;
	/* job.c resolved the workdir as MLRun does; none means no absolute directory */
	if (command && command->len && !strstr(command->text, "://") && command->text[0] != '/' && !job->workdir) {
		const struct node *workdir = node_get(spec, "workdir");
		ERR(c, workdir ? workdir : command, "command-relative", workdir ? "spec.workdir" : "spec.command",
		    "give an absolute workdir (e.g. /User) or build.source_code_target_dir, or an "
		    "absolute command path",
		    "command '%s' is relative and %s", command->text,
		    workdir ? "workdir is not an absolute path" : "there is no workdir to join it to");
	}
	check_data_store(c, command, "spec.command");
	const struct node *deps = node_get(spec, "deps");
	static const char *const data_lists[] = {"jars", "files", "pyFiles", "archives"};
	for (size_t l = 0; l < 4; l++) {
		const struct node *list = node_get(deps, data_lists[l]);
		for (size_t i = 0; list && list->kind == N_SEQ && i < list->n; i++) {
			struct path pb;
			path_of(&pb, "spec.deps", data_lists[l], NULL);
			path_push_index(&pb, i);
			const char *path = pb.buf;
			check_data_store(c, list->items[i], path);
		}
	}
}

/* What runs: a JVM job's entry point, and code MLRun would have to ship itself. */
static void check_code(struct checker *c)
{
	const struct job *job = c->job;
	const struct node *spec = job->spec;
	bool jvm = !strcmp(job->job_type, "Scala") || !strcmp(job->job_type, "Java");
	if (jvm && !job->main_class) {
		char hint[96];
		snprintf(hint, sizeof hint, "add %s, e.g. org.example.Main", job->fields->main_class_name);
		ERR(c, job->spec_key, "main-class", job->fields->spec, hint,
		    "a %s %s needs %s", job->job_type, job->fields->noun, job->fields->main_class_name);
	}
	if (job->manifest)
		return;
	const struct node *build = node_get(spec, "build");
	const struct pair *code = node_get_pair(build, "functionSourceCode");
	if (code && code->value->kind != N_NULL)
		ERR(c, code->key, "embedded-code", "spec.build.functionSourceCode",
		    "point command at a file in the image (local://) or on v3io (v3io://)",
		    "embedded code needs a ConfigMap that MLRun creates at run time; sparkc cannot compile it");
}

/* Fields of MLRun's other runtimes that its Spark runtime does not apply. The SDK
 * refuses to set them (mlrun/runtimes/sparkjob/spark3job.py, Spark3Runtime:
 * with_node_selection, with_security_context), but a function read from a dict keeps
 * them, and the server's Spark3RuntimeHandler reads only the driver_ and executor_
 * fields (server/py/services/api/runtime_handlers/sparkjob/spark3job.py,
 * _enrich_job, _enrich_node_selectors, _enrich_preemption_mode): the field reaches no
 * pod. Exports carry them without a user asking: MLRun 1.7 to 1.9 wrote the
 * preemptible-node affinity and tolerations into spec.affinity and spec.tolerations
 * whenever a function was made (mlrun/runtimes/pod.py, KubeResourceSpec.preemption_mode
 * -> enrich_function_preemption_spec), and a default security context comes from
 * MLRun's configuration. So a warning: the job compiles as MLRun runs it. */
static void check_refused_fields(struct checker *c)
{
	static const struct {
		const char *field, *use;
	} refused[] = {
		{"node_name", "use driver_node_selector / executor_node_selector"},
		{"security_context", "the Spark operator runtime does not support it"},
		{"affinity", "use driver_affinity / executor_affinity (an export of MLRun 1.7-1.9 holds the "
			     "preemptible-node affinity here and in those fields)"},
		{"tolerations", "use driver_tolerations / executor_tolerations (an export of MLRun 1.7-1.9 holds "
				"the preemptible-node tolerations here and in those fields)"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		const struct pair *p = node_get_pair(c->job->spec, refused[i].field);
		if (!p || p->value->kind == N_NULL || ((p->value->kind == N_MAP || p->value->kind == N_SEQ) && !p->value->n))
			continue;
		struct path pb;
		const char *path = path_of(&pb, "spec", refused[i].field, NULL);
		WARN(c, p->key, "refused-field", path, refused[i].use,
		     "MLRun's Spark runtime does not apply spec.%s (its SDK refuses to set the field): the "
		     "manifest leaves it out",
		     refused[i].field);
	}
}

static void check_node_selectors(struct checker *c)
{
	static const char *const selectors[] = {"node_selector", "driver_node_selector", "executor_node_selector"};
	for (size_t i = 0; i < 3; i++) {
		struct path pb;
		const char *path = path_of(&pb, "spec", selectors[i], NULL);
		check_label_map(c, node_get(c->job->spec, selectors[i]), path, true);
		check_selector_removals(c, node_get(c->job->spec, selectors[i]), path);
	}
}

/* The operator passes the bounds to Spark, which stops at start when they disagree
 * (ExecutorAllocationManager.validateSettings). An initialExecutors below
 * minExecutors is no such case: Spark logs a warning, ignores it and starts with the
 * larger number (Utils.getDynamicAllocationInitialExecutors, Spark 3.x and 4.x). */
static void check_dynamic_allocation(struct checker *c)
{
	const struct node *da = c->job->dynamic_allocation;
	const char *at = c->job->fields->dynamic_allocation;
	struct path pb;
	const struct node *mn = node_get(da, "minExecutors"), *in = node_get(da, "initialExecutors"),
			  *mx = node_get(da, "maxExecutors");
	if (mn && mn->kind != N_INT)
		mn = NULL;
	if (in && in->kind != N_INT)
		in = NULL;
	if (mx && mx->kind != N_INT)
		mx = NULL;
	if (mn && in && mn->num > in->num) {
		char hint[96];
		snprintf(hint, sizeof hint, "set initialExecutors to %lld or more, or remove it", mn->num);
		WARN(c, in, "dynamic-allocation", path_of(&pb, at, "initialExecutors", NULL), hint,
		     "initialExecutors (%lld) is below minExecutors (%lld): Spark warns, ignores it and "
		     "starts with the larger number, minExecutors or spark.executor.instances",
		     in->num, mn->num);
	}
	if (in && mx && in->num > mx->num)
		ERR(c, in, "dynamic-allocation", path_of(&pb, at, "initialExecutors", NULL), NULL,
		    "initialExecutors (%lld) is above maxExecutors (%lld)", in->num, mx->num);
	if (mn && mx && mn->num > mx->num)
		ERR(c, mn, "dynamic-allocation", path_of(&pb, at, "minExecutors", NULL), NULL,
		    "minExecutors (%lld) is above maxExecutors (%lld)", mn->num, mx->num);
}

/* Where the image comes from: the templates' default when the job has none, and a
 * reference the cluster can pull. */
static void check_image_reference(struct checker *c)
{
	check_image(c);
	const struct node *image = node_get(c->job->spec, "image");
	if (node_is_text(image) && image->text[0] == '.')
		WARN(c, image, "image-registry-relative", "spec.image",
		     "write the full reference, e.g. docker-registry.example.com:80/sparkjob:latest",
		     "'%s' names an image in MLRun's configured registry, which the cluster cannot resolve "
		     "from this manifest", image->text);
}

static void check_schedule(struct checker *c)
{
	const struct node *sched = c->job->schedule;
	const struct node *cron = sched && sched->kind == N_MAP ? node_get(sched, "cron") : sched;
	if (!cron || cron->kind != N_STR)
		return;         /* the schema reports a wrong type */
	char why[256];
	size_t off;
	if (cron_check(cron->text, why, sizeof why, &off))
		return;
	/* Point at the character; a plain single-line scalar starts where its text does. */
	struct node at = *cron;
	if (!cron->quoted || strchr(cron->text, '\n') == NULL)
		at.col += (int)off + (cron->quoted ? 1 : 0);
	ERR(c, &at, "cron", sched->kind == N_MAP ? "spec.schedule.cron" : "spec.schedule",
	    "five fields 'minute hour day-of-month month day-of-week', e.g. '0 */2 * * *', or @daily",
	    "%s", why);
}

static void check_igz(struct checker *c)
{
	const struct job *job = c->job;
	if (!job->igz)
		return;
	const struct igz_settings *s = &job->igz_settings;
	/* point at the job's own value where it has one */
	const struct node *user_at = node_get(s->at, "user"), *secret_at = node_get(s->at, "access_key_secret");
	if (!user_at)
		user_at = s->at;
	if (!secret_at)
		secret_at = s->at;
	/* a key the mapping lacks: at `igz_spark:`, not at the mapping's first child */
	const struct node *missing_at = s->at->kind == N_MAP ? node_get_pair(job->spec, "igz_spark")->key : s->at;
	if (!s->user || !*s->user)
		ERR(c, missing_at, "igz-user", "spec.igz_spark", "igz_spark: {user: <v3io user>, access_key_secret: <Secret>}",
		    "igz_spark needs the v3io user, and the templates name none");
	else if (strchr(s->user, '/') || !strcmp(s->user, "..") || !strcmp(s->user, "."))
		ERR(c, user_at, "igz-user", "spec.igz_spark.user", NULL, "'%s' is not a user name", s->user);
	if (!s->access_key_secret || !*s->access_key_secret)
		ERR(c, missing_at, "igz-secret", "spec.igz_spark",
		    "create one with: kubectl create secret generic v3io-access --from-literal=accessKey=...",
		    "igz_spark needs access_key_secret, the Secret holding the v3io access key, and the "
		    "templates name none");
	else if (!dns1123_subdomain(s->access_key_secret, strlen(s->access_key_secret)))
		ERR(c, secret_at, "igz-secret", "spec.igz_spark.access_key_secret", NULL,
		    "'%s' is not a valid Secret name", s->access_key_secret);
}

/* What the operator's CRD leaves to reconcile time, where a job's schema says it
 * (issues #2837, #2964): a policy it does not know, a negative history limit. */
static void check_manifest_schedule(struct checker *c)
{
	const struct node *spec = node_get(c->job->doc, "spec");
	const struct node *policy = node_get(spec, "concurrencyPolicy");
	if (node_is_text(policy) && !node_text_eq(policy, "Allow") && !node_text_eq(policy, "Forbid") &&
	    !node_text_eq(policy, "Replace")) {
		const char *cands[] = {"Allow", "Forbid", "Replace"};
		char buf[160];
		const char *hint = did_you_mean(buf, sizeof buf, closest_word(policy->text, cands, 3), true);
		ERR(c, policy, "concurrency-policy", "spec.concurrencyPolicy", hint ? hint : "Allow, Forbid or Replace",
		    "'%s' is not one of: Allow, Forbid, Replace; the operator fails the run at reconcile time",
		    policy->text);
	}
	static const char *const limits[] = {"successfulRunHistoryLimit", "failedRunHistoryLimit"};
	for (size_t i = 0; i < 2; i++) {
		const struct node *v = node_get(spec, limits[i]);
		struct path pb;
		if (v && v->kind == N_INT && v->num < 0)
			ERR(c, v, "run-history-limit", path_of(&pb, "spec", limits[i], NULL), "0 or more",
			    "must be at least 0, got %lld; the operator fails at reconcile time", v->num);
	}
}

bool check_job(const struct job *job, struct diag_src *src)
{
	struct checker c = {.job = job, .src = src};
	check_control_characters(&c);
	check_metadata(&c);
	if (!job->spec || job->spec->kind != N_MAP)
		return c.errors == 0 && job->manifest;  /* the schema reports the missing spec */
	bool mlrun = !job->manifest;    /* the rules about MLRun's own fields */
	check_role_resources(&c, ROLE_DRIVER);
	check_role_resources(&c, ROLE_EXECUTOR);
	if (mlrun) {
		check_command(&c);
		check_image_reference(&c);
	}
	check_code(&c);
	if (mlrun) {
		check_refused_fields(&c);
		check_node_selectors(&c);
	}
	check_dynamic_allocation(&c);
	check_spark_conf(&c);
	c.errors += check_spark_configuration(job, src);
	secrets_flagged(job->doc, report_secret, &c);
	check_volumes(&c);
	check_schedule(&c);
	if (job->manifest && job->scheduled)
		check_manifest_schedule(&c);
	if (mlrun) {
		check_igz(&c);
		check_build(&c);
	}
	check_spark_version(&c);
	return c.errors == 0;
}
