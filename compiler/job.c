/* job.c - see job.h. */
#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "quantity.h"

const char *const role_names[2] = {"driver", "executor"};

static const char *text_or(const struct node *n, const char *fallback)
{
	return node_is_scalar(n) ? n->text : fallback;
}

int version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a += strcspn(a, ".");
		b += strcspn(b, ".");
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && !*b)
			break;
		if ((*a && !strchr("0123456789", *a)) || (*b && !strchr("0123456789", *b)))
			return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
	}
	return 0;
}

static bool cpu_less(const struct node *a, const struct node *b)
{
	double x, y;
	return cpu_parse(a->text, &x) && cpu_parse(b->text, &y) && x < y;
}

/* MLRun fills what a role leaves out; unlike MLRun, a default cpu limit rises to an
 * explicit request and a default request falls to an explicit limit. */
static void resolve_role(struct job *job, enum role r)
{
	struct role_resources *rr = &job->role[r];
	char key[64];
	snprintf(key, sizeof key, "%s_resources", role_names[r]);
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

void job_resolve(struct job *job, const struct node *doc, const struct templates *t,
		 const char *namespace_option)
{
	memset(job, 0, sizeof *job);
	const struct node *d = t->defaults;
	job->doc = doc;
	job->templates = t;
	job->metadata = node_get(doc, "metadata");
	job->spec = node_get(doc, "spec");
	job->name = text_or(node_get(job->metadata, "name"), "");
	job->namespace_from_option = namespace_option != NULL;
	job->namespace = namespace_option
				 ? namespace_option
				 : text_or(node_get(job->metadata, "namespace"),
					   text_or(node_get(d, "namespace"), "default"));
	job->project = text_or(node_get(job->metadata, "project"), text_or(node_get(d, "project"), "default"));
	job->tag = text_or(node_get(job->metadata, "tag"), text_or(node_get(d, "tag"), "latest"));
	job->job_type = text_or(node_get(job->spec, "job_type"), text_or(node_get(d, "job_type"), "Python"));
	job->spark_version = text_or(node_get(job->spec, "spark_version"),
				     text_or(node_get(d, "spark_version"), "3.2.3"));
	job->spark_version_effective = job->spark_version;
	job->image = text_or(node_get(job->spec, "image"), text_or(node_get(d, "image"), NULL));
	job->scheduled = node_get(job->spec, "schedule") != NULL;
	resolve_role(job, DRIVER);
	resolve_role(job, EXECUTOR);
	resolve_igz(job);
}

const char *job_conf(const struct job *job, const char *key)
{
	const struct node *v = node_get(node_get(job->spec, "spark_conf"), key);
	return node_is_scalar(v) ? v->text : NULL;
}
