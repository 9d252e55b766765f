/* upstream.h - the upstream releases this build knows, and the ones a run compiles for.
 *
 * schemas/upstreams.yaml (built in) lists MLRun's releases with what its server does
 * differently in each, and the Spark operator's releases with the order of their
 * spark-submit arguments; the operator's CRD fields carry the release that added them
 * in the schemas themselves (x-operator-since), as the job format's MLRun fields do
 * (x-mlrun-since). Code asks whether the release a job is compiled for has a change;
 * which release brought it is data. */
#ifndef SPARKC_UPSTREAM_H
#define SPARKC_UPSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "node.h"

/* The changes of MLRun's Spark submission that lowering follows, by their names in
 * schemas/upstreams.yaml's mlrun.changes (where each says what it is and its source). */
enum mlrun_change {
	MLRUN_SHM_PATH_CURRENT,
	MLRUN_SECRET_ENV_NAMES_AS_WRITTEN,
	MLRUN_ROLE_PRIORITY_CLASS,
	MLRUN_PREEMPTION_ON_SERVER,
	MLRUN_S3_ENDPOINT_AWS,
	MLRUN_ENV_FROM,
	MLRUN_SECRET_ENV_USER_WINS,
	MLRUN_S3_USER_ENV_WINS,
	MLRUN_DEFAULT_POD_LABELS,
	MLRUN_CHANGES
};

/* The MLRun and operator releases a run compiles for. */
struct releases {
	const char *mlrun;              /* "1.11" */
	const char *operator_version;   /* "2.5.2", "master" */
	size_t mlrun_rank, operator_rank;       /* their places in the lists, oldest first */
	bool has[MLRUN_CHANGES];
};

/* The releases named by --mlrun-version and --operator-version (NULL: the default);
 * false, with a sentence naming the releases known into err, when one is unknown. An
 * MLRun release may carry a patch number (1.11.2 is 1.11); an operator release a
 * leading v. */
bool releases_resolve(struct releases *t, const char *mlrun, const char *operator_version, char *err,
		    size_t len);

/* Both defaults: the newest MLRun and operator releases. */
const struct releases *releases_default(void);

static inline bool mlrun_has(const struct releases *t, enum mlrun_change c)
{
	return t->has[c];
}

/* Whether the release compiled for is older than since (a field's x-mlrun-since or
 * x-operator-since); a since this build does not know is treated as newer. */
bool mlrun_before(const struct releases *t, const char *since);
bool operator_before(const struct releases *t, const char *since);

/* An operator release as its users name it: "v2.5.2", "master". */
const char *operator_release_name(const char *version, char *buf, size_t len);

/* The order of the operator's spark-submit arguments (upstreams.yaml: submit), as a
 * list of step names. */
const struct node *operator_submit_order(const struct releases *t);

/* What `sparkc --version` adds after its first line: the MLRun, operator and Spark
 * releases this build knows. */
void upstream_describe(FILE *out);

#endif
