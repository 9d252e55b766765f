/* sizing.c - see sizing.h. */
#include "sizing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quantity.h"
#include "sparkconf.h"
#include "sparkver.h"

static long long conf_mib(const struct job *job, const char *key, bool *set)
{
	const struct memory *m = job_conf_size(job, key);
	*set = m != NULL;
	return m ? m->bytes / MIB : 0;      /* Spark truncates to whole MiB */
}

/* The factor: the role's own key (3.3+), else the Kubernetes one, else Spark's default
 * for the job type. */
static void overhead_factor(const struct job *job, enum role r, bool non_jvm, struct pod_memory *out)
{
	const struct conf_factor *cf;
	char key[96];
	snprintf(key, sizeof key, "spark.%s.memoryOverheadFactor", role_names[r]);
	if (version_compare(job->spark_version_effective, "3.3") >= 0 && (cf = job_conf_factor(job, key))) {
		spark_double(cf->at->text, &out->factor);
		out->factor_from = cf->key;
		out->factor_set = cf;
	} else if ((cf = job_conf_factor(job, "spark.kubernetes.memoryOverheadFactor"))) {
		/* a manifest's spec.memoryOverheadFactor, when sparkConf does not set the key */
		spark_double(cf->at->text, &out->factor);
		out->factor_from = cf->from_field ? cf->path : cf->key;
		out->factor_set = cf;
	} else {
		out->factor = non_jvm ? 0.4 : 0.1;
		out->factor_from = non_jvm ? "Spark's default for Python and R jobs"
					   : "Spark's default for JVM jobs";
	}
}

void pod_memory(const struct job *job, enum role r, struct pod_memory *out)
{
	memset(out, 0, sizeof *out);
	const char *role = role_names[r];
	const char *version = job->spark_version_effective;
	bool python = !strcmp(job->job_type, "Python");
	bool non_jvm = python || !strcmp(job->job_type, "R");
	char key[96];
	const struct memory *heap = &job->role[r].heap;
	if (heap->ok) {
		out->heap_mib = heap->bytes / MIB;
		snprintf(out->heap_text, sizeof out->heap_text, "%s", heap->jvm);
	}

	overhead_factor(job, r, non_jvm, out);
	/* Java's (int) of a double: truncation toward zero (0.35 * 1300 = 454.999... -> 454). */
	double product = out->factor * (double)out->heap_mib;
	out->factor_mib = product >= 2147483647.0 ? 2147483647LL : product >= 0 ? (long long)product : 0;

	bool set;
	out->floor_mib = 384;
	out->floor_from = "Spark's minimum";
	if (version_compare(version, "4.0") >= 0) {
		snprintf(key, sizeof key, "spark.%s.minMemoryOverhead", role);
		long long floor = conf_mib(job, key, &set);
		if (set) {
			out->floor_mib = floor;
			out->floor_from = r == ROLE_DRIVER ? "spark.driver.minMemoryOverhead"
						      : "spark.executor.minMemoryOverhead";
		}
	}
	snprintf(key, sizeof key, "spark.%s.memoryOverhead", role);
	long long explicit_mib = conf_mib(job, key, &set);
	if (set) {
		out->overhead_mib = explicit_mib;
		out->source = OVERHEAD_EXPLICIT;
		out->explicit_text = job_conf_size_text(job, key);
		out->explicit_key = job_conf_size_key(job, key);
	} else if (out->factor_mib >= out->floor_mib) {
		out->overhead_mib = out->factor_mib;
		out->source = OVERHEAD_FACTOR;
	} else {
		out->overhead_mib = out->floor_mib;
		out->source = OVERHEAD_FLOOR;
	}
	out->pod_mib = out->heap_mib + out->overhead_mib;
	if (r == ROLE_EXECUTOR) {
		const char *offheap = job_conf(job, "spark.memory.offHeap.enabled");
		if (version_compare(version, "3.1") >= 0 && offheap && !strcasecmp(offheap, "true"))
			out->offheap_mib = conf_mib(job, "spark.memory.offHeap.size", &set);
		if (python)
			out->pyspark_mib = conf_mib(job, "spark.executor.pyspark.memory", &set);
		out->pod_mib += out->offheap_mib + out->pyspark_mib;
	}
}
