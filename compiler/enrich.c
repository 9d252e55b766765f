/* enrich.c - see enrich.h. */
#include "enrich.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "subst.h"

static const char *text_or_null(const struct node *map, const char *key)
{
	const struct node *v = node_get(map, key);
	return node_is_text(v) && v->len ? v->text : NULL;
}

/* ---- environment variables -------------------------------------------------------
 * As MLRun's server edits a function's env before it builds the CR: the auto-mount
 * first (launcher, framework/api/utils.py try_perform_auto_mount), then the Secrets
 * (runtime_handlers/base.py add_secrets_to_spec_before_running). A variable set again
 * replaces the entry of that name where it is (mlrun/runtimes/pod.py, _set_env). */

struct env_edit {
	const struct job *job;
	struct arena *a;
	struct node *env;
	const struct node *injected;    /* the export's auto_mount_injected_env_names */
	struct node *written;           /* the names the S3 auto-mount set to plain values */
};

/* MLRun's has_user_set_plain_env (mlrun/runtimes/pod.py): the job sets name to a plain
 * value, which no auto-mount wrote. */
static bool user_set_plain(const struct env_edit *e, const char *name)
{
	if (node_seq_has_text(e->injected, name) || node_seq_has_text(e->written, name))
		return false;
	return node_get(node_find_by(e->env, "name", name), "value") != NULL;
}

static void set_env(struct env_edit *e, const char *name, struct node *entry)
{
	for (size_t i = 0; i < e->env->n; i++) {
		if (node_text_eq(node_get(e->env->items[i], "name"), name)) {
			e->env->items[i] = entry;
			return;
		}
	}
	node_push(e->a, e->env, entry);
}

static void set_plain(struct env_edit *e, bool keep_user, const char *name, const char *value)
{
	if (keep_user && user_set_plain(e, name))
		return;
	struct node *entry = node_new(e->a, N_MAP);
	node_set(e->a, entry, "name", node_str(e->a, name));
	node_set(e->a, entry, "value", node_str(e->a, value));
	set_env(e, name, entry);
	node_push(e->a, e->written, node_str(e->a, name));
}

static void set_from_secret(struct env_edit *e, bool keep_user, const char *name, const char *secret,
			    const char *key)
{
	if (keep_user && user_set_plain(e, name))
		return;
	struct node *ref = node_new(e->a, N_MAP), *from = node_new(e->a, N_MAP);
	struct node *entry = node_new(e->a, N_MAP);
	node_set(e->a, ref, "key", node_str(e->a, key));
	node_set(e->a, ref, "name", node_str(e->a, secret));
	node_set(e->a, from, "secretKeyRef", ref);
	node_set(e->a, entry, "name", node_str(e->a, name));
	node_set(e->a, entry, "valueFrom", from);
	set_env(e, name, entry);
}

/* MLRun's mount_s3 (mlrun/runtimes/mounts.py) as the S3 auto-mount applies it, for a
 * function that did not mount storage itself (disable_auto_mount, which with_igz_spark
 * sets). Only credentials from a Secret: a template holds no key as text, and without
 * a Secret MLRun would take the keys from its own server's environment. */
static void s3_auto_mount(struct env_edit *e)
{
	const struct job *job = e->job;
	const struct node *s3 = node_get(job->templates->defaults, "s3_auto_mount");
	const struct node *disabled = node_get(job->spec, "disable_auto_mount");
	if (!s3 || job->igz || (disabled && disabled->kind == N_BOOL && disabled->num))
		return;
	bool keep_user = mlrun_has(job->releases, MLRUN_S3_USER_ENV_WINS);
	const char *prefix = text_or_null(s3, "prefix");
	prefix = prefix ? prefix : "";
	char name[256];
	const char *endpoint = text_or_null(s3, "endpoint_url"), *region = text_or_null(s3, "aws_region");
	const char *secret = text_or_null(s3, "secret_name");
	const struct node *non_anonymous = node_get(s3, "non_anonymous");
	if (endpoint) {
		snprintf(name, sizeof name, "%s%s", prefix,
			 mlrun_has(job->releases, MLRUN_S3_ENDPOINT_AWS) ? "AWS_ENDPOINT_URL_S3" : "S3_ENDPOINT_URL");
		set_plain(e, keep_user, name, endpoint);
	}
	if (region) {
		snprintf(name, sizeof name, "%sAWS_REGION", prefix);
		set_plain(e, keep_user, name, region);
	}
	if (non_anonymous && non_anonymous->kind == N_BOOL && non_anonymous->num) {
		snprintf(name, sizeof name, "%sS3_NON_ANONYMOUS", prefix);
		set_plain(e, keep_user, name, "true");
	}
	static const char *const keys[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
	for (size_t i = 0; secret && i < 2; i++) {
		snprintf(name, sizeof name, "%s%s", prefix, keys[i]);
		set_from_secret(e, keep_user, name, secret, keys[i]);
	}
}

/* add_k8s_secrets_to_spec (server runtime_handlers/base.py): each key of the global
 * Secret, then of the project's (a project key of the same name wins), as the variable
 * env_variable_prefix + key (upper-cased before MLRun 1.8); from MLRun 1.12 not where
 * the job sets it itself. */
static void secret_env(struct env_edit *e)
{
	const struct job *job = e->job;
	const struct node *se = node_get(job->templates->defaults, "secret_env");
	if (!se)
		return;
	bool keep_user = mlrun_has(job->releases, MLRUN_SECRET_ENV_USER_WINS);
	bool names_as_written = mlrun_has(job->releases, MLRUN_SECRET_ENV_NAMES_AS_WRITTEN);
	const char *prefix = text_or_null(se, "env_variable_prefix");
	prefix = prefix ? prefix : "";
	const char *global = text_or_null(se, "global_secret"), *pattern = text_or_null(se, "project_secret");
	char *project = NULL;
	if (pattern) {
		const struct subst_var vars[] = {{"project", job->project}};
		size_t len;
		project = subst_vars(pattern, strlen(pattern), vars, 1, &len);
	}
	const struct {
		const char *secret;
		const struct node *keys;
	} sources[] = {
		{global, node_get(se, "global_keys")},
		{project, node_get(node_get(se, "project_keys"), job->project)},
	};
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; sources[s].secret && sources[s].keys && i < sources[s].keys->n; i++) {
			const char *key = sources[s].keys->items[i]->text;
			char name[512];
			snprintf(name, sizeof name, "%s%s", prefix, key);
			/* MLRun 1.7's SecretsStore.k8s_env_variable_name_for_secret: prefix + key.upper() */
			size_t at = strlen(prefix) < strlen(name) ? strlen(prefix) : strlen(name);
			for (char *c = name + at; !names_as_written && *c; c++)
				*c = (char)toupper((unsigned char)*c);
			set_from_secret(e, keep_user, name, sources[s].secret, key);
		}
	}
	free(project);
}

void enrich_env(const struct job *job, struct arena *a, struct node *env)
{
	struct env_edit e = {.job = job, .a = a, .env = env, .written = node_new(a, N_SEQ),
			     .injected = node_get(job->spec, "auto_mount_injected_env_names")};
	s3_auto_mount(&e);
	secret_env(&e);
}

/* ---- preemption modes ------------------------------------------------------------
 * MLRun's enrich_preemption_mode (mlrun/k8s_utils.py), which its server applies to each
 * role from 1.10 (spark3job.py, _enrich_preemption_mode), on the manifest's camelCase
 * objects. Two departures, where MLRun loses what the job set by accident: pruning
 * keeps the node selector keys that are not the preemptible ones when the preemptible
 * selector is empty (_prune_node_selector returns None), and keeps pod (anti-)affinity
 * when the affinity has no node affinity (_prune_affinity_node_selector_requirement
 * returns None). */

struct preemptible {
	const struct node *selector;    /* preemptible_nodes.node_selector */
	const struct node *tolerations; /* preemptible_nodes.tolerations */
};

static bool same_text(const struct node *x, const struct node *y)
{
	return (!x && !y) || (x && y && node_is_scalar(x) && node_is_scalar(y) && !strcmp(x->text, y->text));
}

/* V1Toleration's equality: every field. */
static bool toleration_equal(const struct node *a, const struct node *b)
{
	static const char *const fields[] = {"key", "operator", "value", "effect", "tolerationSeconds"};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!same_text(node_get(a, fields[i]), node_get(b, fields[i])))
			return false;
	return true;
}

static bool has_toleration(const struct node *list, const struct node *t)
{
	for (size_t i = 0; list && i < list->n; i++)
		if (toleration_equal(list->items[i], t))
			return true;
	return false;
}

/* {key, operator, values: [value]}: a preemptible selector label as a requirement. */
static struct node *requirement(struct arena *a, const struct pair *label, const char *op)
{
	struct node *r = node_new(a, N_MAP), *values = node_new(a, N_SEQ);
	node_push(a, values, node_strn(a, label->value->text, label->value->len));
	node_set(a, r, "key", node_strn(a, label->key->text, strlen(label->key->text)));
	node_set(a, r, "operator", node_str(a, op));
	node_set(a, r, "values", values);
	return r;
}

/* V1NodeSelectorRequirement's equality with requirement(label, op): expr is exactly
 * {key: <label>, operator: op, values: [<value>]}. */
static bool is_requirement(const struct node *expr, const struct pair *label, const char *op)
{
	const struct node *values = node_get(expr, "values");
	return expr->n == 3 && node_text_eq(node_get(expr, "key"), label->key->text) &&
	       node_text_eq(node_get(expr, "operator"), op) && values && values->kind == N_SEQ &&
	       values->n == 1 && same_text(values->items[0], label->value);
}

/* A copy of map without key (shallow). */
static struct node *without(struct arena *a, const struct node *map, const char *key)
{
	struct node *out = node_new(a, N_MAP);
	for (size_t i = 0; map && i < map->n; i++)
		if (strcmp(map->pairs[i].key->text, key))
			node_set(a, out, map->pairs[i].key->text, map->pairs[i].value);
	return out;
}

/* affinity with nodeAffinity's requiredDuringSchedulingIgnoredDuringExecution replaced
 * by required (or dropped when NULL); nodeAffinity goes when nothing is left in it. */
static struct node *with_required(struct arena *a, const struct node *affinity, struct node *required)
{
	static const char *const key = "requiredDuringSchedulingIgnoredDuringExecution";
	struct node *na = without(a, node_get(affinity, "nodeAffinity"), key);
	if (required)
		node_set(a, na, key, required);
	struct node *out = without(a, affinity, "nodeAffinity");
	if (na->n)
		node_set(a, out, "nodeAffinity", na);
	return out;
}

/* One term holding a requirement per preemptible label (all must hold), or a term per
 * label (any may), as generate_preemptible_nodes_anti_affinity_terms and
 * generate_preemptible_nodes_affinity_terms build them. */
static struct node *required_terms(struct arena *a, const struct node *selector, const char *op, bool one_term)
{
	struct node *terms = node_new(a, N_SEQ), *exprs = NULL;
	for (size_t i = 0; selector && i < selector->n; i++) {
		if (!exprs || !one_term) {
			struct node *term = node_new(a, N_MAP);
			exprs = node_new(a, N_SEQ);
			node_set(a, term, "matchExpressions", exprs);
			node_push(a, terms, term);
		}
		node_push(a, exprs, requirement(a, &selector->pairs[i], op));
	}
	if (!terms->n)
		return NULL;    /* an empty nodeSelectorTerms the API server refuses */
	struct node *required = node_new(a, N_MAP);
	node_set(a, required, "nodeSelectorTerms", terms);
	return required;
}

/* _prune_affinity_node_selector_requirement: the preemptible selector's requirements
 * with operator op taken out of the required terms; a term left with nothing is dropped. */
static struct node *prune_required(struct arena *a, const struct node *affinity, const struct node *selector,
				   const char *op)
{
	const struct node *required = node_at(affinity, "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
	const struct node *terms = node_get(required, "nodeSelectorTerms");
	if (!terms)
		return (struct node *)affinity;
	struct node *kept = node_new(a, N_SEQ);
	for (size_t t = 0; t < terms->n; t++) {
		const struct node *term = terms->items[t], *exprs = node_get(term, "matchExpressions");
		struct node *left = node_new(a, N_SEQ);
		for (size_t x = 0; exprs && x < exprs->n; x++) {
			bool preemptible = false;
			for (size_t l = 0; selector && l < selector->n && !preemptible; l++)
				preemptible = is_requirement(exprs->items[x], &selector->pairs[l], op);
			if (!preemptible)
				node_push(a, left, exprs->items[x]);
		}
		const struct node *fields = node_get(term, "matchFields");
		if (!left->n && !(fields && fields->n))
			continue;
		struct node *copy = without(a, term, "matchExpressions");
		if (left->n)
			node_set(a, copy, "matchExpressions", left);
		node_push(a, kept, copy);
	}
	struct node *pruned = NULL;
	if (kept->n) {
		pruned = without(a, required, "nodeSelectorTerms");
		node_set(a, pruned, "nodeSelectorTerms", kept);
	}
	return with_required(a, affinity, pruned);
}

/* _prune_empty_affinity: kept only with pod (anti-)affinity, preferred node affinity,
 * or a required term that says something. */
static struct node *meaningful(struct node *affinity)
{
	if (!affinity)
		return NULL;
	if (node_get(affinity, "podAffinity") || node_get(affinity, "podAntiAffinity"))
		return affinity;
	const struct node *na = node_get(affinity, "nodeAffinity");
	const struct node *preferred = node_get(na, "preferredDuringSchedulingIgnoredDuringExecution");
	if (preferred && preferred->n)
		return affinity;
	const struct node *terms = node_at(na, "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
	for (size_t i = 0; terms && i < terms->n; i++) {
		const struct node *x = node_get(terms->items[i], "matchExpressions");
		const struct node *f = node_get(terms->items[i], "matchFields");
		if ((x && x->n) || (f && f->n))
			return affinity;
	}
	return NULL;
}

static struct node *add_tolerations(struct arena *a, struct node *list, const struct node *add)
{
	struct node *out = node_new(a, N_SEQ);
	for (size_t i = 0; list && i < list->n; i++)
		node_push(a, out, list->items[i]);
	for (size_t i = 0; add && i < add->n; i++)
		if (!has_toleration(out, add->items[i]))
			node_push(a, out, add->items[i]);
	return out;
}

/* _prune_node_selector: without the labels the preemptible nodes carry, with their value */
static struct node *prune_selector(struct arena *a, const struct node *selector, const struct node *preemptible)
{
	struct node *sel = node_new(a, N_MAP);
	for (size_t i = 0; selector && selector->kind == N_MAP && i < selector->n; i++) {
		const struct pair *l = &selector->pairs[i];
		if (!same_text(node_get(preemptible, l->key->text), l->value))
			node_set(a, sel, l->key->text, l->value);
	}
	return sel;
}

/* prevent, but for the node selector (which the releases prune at different points) */
static void prevent(struct arena *a, const struct preemptible *p, struct scheduling *s)
{
	struct node *tol = node_new(a, N_SEQ);
	for (size_t i = 0; s->tolerations && i < s->tolerations->n; i++)
		if (!has_toleration(p->tolerations, s->tolerations->items[i]))
			node_push(a, tol, s->tolerations->items[i]);
	s->tolerations = tol;
	if (s->affinity)
		s->affinity = prune_required(a, s->affinity, p->selector, "In");
	/* without preemptible tolerations, keep off the preemptible labels by anti-affinity */
	if (!(p->tolerations && p->tolerations->n))
		s->affinity = with_required(a, s->affinity, required_terms(a, p->selector, "NotIn", true));
}

static void constrain(struct arena *a, const struct preemptible *p, struct scheduling *s)
{
	s->tolerations = add_tolerations(a, s->tolerations, p->tolerations);
	s->affinity = with_required(a, s->affinity, required_terms(a, p->selector, "In", false));
}

/* The preemptible nodes' settings, and the mode the job's field mode_key names (the
 * templates' preemption_mode when it names none); NULL when nothing is to be done
 * (mlconfig.is_preemption_nodes_configured, mode none). */
static const char *preemption_mode(const struct job *job, const char *mode_key, struct preemptible *p)
{
	const struct node *d = job->templates->defaults;
	const struct node *nodes = node_get(d, "preemptible_nodes");     /* once: a role asks thrice */
	p->selector = node_get(nodes, "node_selector");
	p->tolerations = node_get(nodes, "tolerations");
	if (!(p->selector && p->selector->n) && !(p->tolerations && p->tolerations->n))
		return NULL;
	const char *mode = text_or_null(job->spec, mode_key);
	if (!mode)
		mode = text_or_null(d, "preemption_mode");
	return mode && strcmp(mode, "none") ? mode : NULL;
}

/* Before MLRun 1.10 the SDK's setters applied the modes (mlrun/runtimes/pod.py,
 * KubeResourceSpec.enrich_function_preemption_spec, called by the preemption_mode,
 * driver_preemption_mode and executor_preemption_mode setters of Spark3JobSpec), and
 * MLRun's server applied them again when it loaded the function (from_dict), with its
 * own configuration: to the role's own driver_/executor_ fields, and to the function's
 * node_selector under its preemption_mode, before the submit merged the selectors. */
const struct node *enrich_selector(const struct job *job, struct arena *a, const char *mode_key,
				   const struct node *selector)
{
	struct preemptible p;
	const char *mode = preemption_mode(job, mode_key, &p);
	if (mlrun_has(job->releases, MLRUN_PREEMPTION_ON_SERVER) || !mode || !selector || selector->kind != N_MAP)
		return selector;
	/* prevent and allow: _prune_node_selector */
	return strcmp(mode, "constrain") ? prune_selector(a, selector, p.selector) : selector;
}

/* The SDK's enrich_function_preemption_spec on a role's tolerations and affinity. Unlike
 * the server's later version, allow also takes the preemptible (anti-)affinity out, and
 * an affinity without node affinity is kept whole. */
static void sdk_preemption(struct arena *a, const struct preemptible *p, const char *mode, struct scheduling *s)
{
	if (!strcmp(mode, "prevent")) {
		prevent(a, p, s);
	} else if (!strcmp(mode, "constrain")) {
		constrain(a, p, s);
	} else if (!strcmp(mode, "allow")) {
		if (s->affinity) {
			s->affinity = prune_required(a, s->affinity, p->selector, "NotIn");
			s->affinity = prune_required(a, s->affinity, p->selector, "In");
		}
		s->tolerations = add_tolerations(a, s->tolerations, p->tolerations);
	}
	/* _clear_affinity_if_initialized_but_empty */
	if (s->affinity && !node_get(s->affinity, "nodeAffinity") && !node_get(s->affinity, "podAffinity") &&
	    !node_get(s->affinity, "podAntiAffinity"))
		s->affinity = NULL;
}

void enrich_scheduling(const struct job *job, struct arena *a, enum role r, struct scheduling *s)
{
	static const char *const mode_keys[] = {[ROLE_DRIVER] = "driver_preemption_mode",
						[ROLE_EXECUTOR] = "executor_preemption_mode"};
	struct preemptible p;
	const char *mode = preemption_mode(job, mode_keys[r], &p);
	if (!mode)
		return;
	if (!mlrun_has(job->releases, MLRUN_PREEMPTION_ON_SERVER)) {
		sdk_preemption(a, &p, mode, s);
		return;
	}
	if (!strcmp(mode, "prevent")) {
		prevent(a, &p, s);
		s->node_selector = prune_selector(a, s->node_selector, p.selector);
	} else if (!strcmp(mode, "constrain"))
		constrain(a, &p, s);
	else if (!strcmp(mode, "allow"))
		s->tolerations = add_tolerations(a, s->tolerations, p.tolerations);
	s->affinity = meaningful(s->affinity);
}
