/* upstream.c - see upstream.h. */
#include "upstream.h"

#include <string.h>

#include "resources.h"
#include "sparkconf.h"

/* enum mlrun_change's names in schemas/upstreams.yaml */
static const char *const change_names[MLRUN_CHANGES] = {
	[MLRUN_SHM_PATH_CURRENT] = "shm_path_current",
	[MLRUN_SECRET_ENV_NAMES_AS_WRITTEN] = "secret_env_names_as_written",
	[MLRUN_ROLE_PRIORITY_CLASS] = "role_priority_class",
	[MLRUN_PREEMPTION_ON_SERVER] = "preemption_on_server",
	[MLRUN_S3_ENDPOINT_AWS] = "s3_endpoint_aws",
	[MLRUN_ENV_FROM] = "env_from",
	[MLRUN_SECRET_ENV_USER_WINS] = "secret_env_user_wins",
	[MLRUN_S3_USER_ENV_WINS] = "s3_user_env_wins",
	[MLRUN_DEFAULT_POD_LABELS] = "default_pod_labels",
};

static const struct node *upstreams(const char *product)
{
	static const struct node *root;
	if (!root)
		root = resource_tree("schemas/upstreams.yaml");
	return node_get(root, product);
}

static const struct node *releases(const char *product)
{
	return node_get(upstreams(product), "releases");
}

/* The place of version in product's list, oldest first; -1 when it is not there. */
static long rank(const char *product, const char *version)
{
	const struct node *list = releases(product);
	for (size_t i = 0; version && list && i < list->n; i++)
		if (node_text_eq(node_get(list->items[i], "version"), version))
			return (long)i;
	return -1;
}

static const char *release_version(const char *product, size_t i)
{
	return node_get(releases(product)->items[i], "version")->text;
}

/* "1.7, 1.8 and 1.9" (operator releases as their users name them) */
static void known_list(const char *product, char *buf, size_t len)
{
	const struct node *list = releases(product);
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < list->n && used < len; i++) {
		char name[64];
		const char *v = release_version(product, i);
		if (!strcmp(product, "operator"))
			v = operator_release_name(v, name, sizeof name);
		int n = snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 == list->n ? " and " : ", ", v);
		if (n > 0)
			used += (size_t)n;
	}
}

const char *operator_release_name(const char *version, char *buf, size_t len)
{
	bool numbered = version[0] >= '0' && version[0] <= '9';
	snprintf(buf, len, "%s%s", numbered ? "v" : "", version);
	return buf;
}

bool releases_resolve(struct releases *t, const char *mlrun, const char *operator_version, char *err,
		    size_t len)
{
	char known[256], release[32];
	*t = (struct releases){0};
	if (!mlrun) {
		mlrun = node_get(upstreams("mlrun"), "default")->text;
	} else {
		/* 1.11.2 is a patch of 1.11: the same submission */
		const char *dot = strchr(mlrun, '.');
		dot = dot ? strchr(dot + 1, '.') : NULL;
		snprintf(release, sizeof release, "%.*s", dot ? (int)(dot - mlrun) : (int)strlen(mlrun), mlrun);
		mlrun = release;
	}
	long m = rank("mlrun", mlrun);
	if (m < 0) {
		known_list("mlrun", known, sizeof known);
		snprintf(err, len, "unknown MLRun release '%s' (sparkc knows %s)", mlrun, known);
		return false;
	}
	if (!operator_version)
		operator_version = node_get(upstreams("operator"), "default")->text;
	else if (operator_version[0] == 'v' && operator_version[1] >= '0' && operator_version[1] <= '9')
		operator_version++;
	long o = rank("operator", operator_version);
	if (o < 0) {
		known_list("operator", known, sizeof known);
		snprintf(err, len, "unknown Spark operator release '%s' (sparkc knows %s)", operator_version, known);
		return false;
	}
	t->mlrun = release_version("mlrun", (size_t)m);
	t->mlrun_rank = (size_t)m;
	t->operator_version = release_version("operator", (size_t)o);
	t->operator_rank = (size_t)o;
	const struct node *changes = node_get(upstreams("mlrun"), "changes");
	for (int c = 0; c < MLRUN_CHANGES; c++) {
		const struct node *since = node_get(node_get(changes, change_names[c]), "since");
		long r = rank("mlrun", since ? since->text : NULL);
		t->has[c] = r >= 0 && r <= m;   /* a change without a known release: not had */
	}
	return true;
}

const struct releases *releases_default(void)
{
	static struct releases t;
	static bool done;
	if (!done) {
		char err[256];
		releases_resolve(&t, NULL, NULL, err, sizeof err);
		done = true;
	}
	return &t;
}

bool mlrun_before(const struct releases *t, const char *since)
{
	long r = rank("mlrun", since);
	return r < 0 || (size_t)r > t->mlrun_rank;
}

bool operator_before(const struct releases *t, const char *since)
{
	long r = rank("operator", since);
	return r < 0 || (size_t)r > t->operator_rank;
}

const struct node *operator_submit_order(const struct releases *t)
{
	return node_get(releases("operator")->items[t->operator_rank], "submit");
}

void upstream_describe(FILE *out)
{
	static const struct {
		const char *product, *title;
	} products[] = {{"mlrun", "MLRun"}, {"operator", "Spark operator"}};
	for (size_t p = 0; p < sizeof products / sizeof *products; p++) {
		const struct node *list = releases(products[p].product);
		const char *dflt = node_get(upstreams(products[p].product), "default")->text;
		fprintf(out, "%s releases:", products[p].title);
		for (size_t i = 0; i < list->n; i++) {
			char name[64];
			const char *v = release_version(products[p].product, i);
			const struct node *dev = node_get(list->items[i], "development");
			fprintf(out, "%s %s%s%s", i ? "," : "",
				p ? operator_release_name(v, name, sizeof name) : v,
				!strcmp(v, dflt) ? " (default)" : "", dev && dev->num ? " (in development)" : "");
		}
		fputc('\n', out);
	}
	fputs("Spark releases:", out);     /* the registry's release lines */
	for (const char *p = spark_lines; *p;) {
		size_t n = strcspn(p, " ");
		fprintf(out, "%s %.*s", p == spark_lines ? "" : ",", (int)n, p);
		p += n + (p[n] == ' ');
	}
	fputc('\n', out);
}
