/* manifest.h - an operator manifest's settings: a SparkApplication or
 * ScheduledSparkApplication of sparkoperator.k8s.io/v1beta2 that sparkc validates,
 * explains and passes through, resolved into the settings a job resolves into
 * (job.h), so that the same rules and the same explain serve it.
 *
 * Where the manifest leaves a field out, the value is what Spark then uses: the field's
 * key in sparkConf, else Spark's default (memory 1g, cores 1, a CPU request of the
 * cores, no CPU limit, 2 executors: Spark's DEFAULT_NUMBER_EXECUTORS). Every node
 * points into the manifest (spec.template's for a scheduled one), so diagnostics
 * point there too. */
#ifndef SPARKC_MANIFEST_H
#define SPARKC_MANIFEST_H

#include <stdbool.h>

#include "job.h"
#include "node.h"
#include "templates.h"

/* Whether a document is an operator manifest sparkc reads: apiVersion
 * sparkoperator.k8s.io/v1beta2 and kind SparkApplication or ScheduledSparkApplication. */
static inline bool manifest_is(const struct node *doc)
{
	const struct node *api = node_get(doc, "apiVersion"), *kind = node_get(doc, "kind");
	return node_text_eq(api, "sparkoperator.k8s.io/v1beta2") &&
	       (node_text_eq(kind, "SparkApplication") || node_text_eq(kind, "ScheduledSparkApplication"));
}

/* The namespace: metadata.namespace, else namespace_option (-n), else "default",
 * Kubernetes' own: a hand-written manifest is not MLRun's, so the templates' default
 * namespace (MLRun's) is not taken for it. */
void manifest_resolve(struct job *job, const struct node *doc, const struct templates *t,
		      const struct releases *releases, const char *namespace_option);

#endif
