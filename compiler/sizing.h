/* sizing.h - the memory Spark gives each pod, computed offline with Spark's own rules
 * (BasicDriverFeatureStep, BasicExecutorFeatureStep, ResourceProfile), by version:
 *
 *   pod = heap + overhead [+ off-heap (executor, 3.1+)] [+ pyspark memory (executor, Python)]
 *   overhead = spark.<role>.memoryOverhead if set, else
 *              max((int)(factor * heap), floor)   -- Java's double arithmetic, truncated
 *   factor = spark.<role>.memoryOverheadFactor (3.3+), else spark.kubernetes.memoryOverheadFactor,
 *            else 0.4 for Python and R jobs, 0.1 for Scala and Java
 *   floor  = 384 MiB; from 4.0 spark.<role>.minMemoryOverhead (default 384m) */
#ifndef SPARKC_SIZING_H
#define SPARKC_SIZING_H

#include <stdbool.h>

#include "job.h"

enum overhead_source { OVERHEAD_EXPLICIT, OVERHEAD_FACTOR, OVERHEAD_FLOOR };

struct pod_memory {
	long long heap_mib;
	char heap_text[48];             /* as the manifest says it: 512m, 2g */
	long long overhead_mib;
	enum overhead_source source;
	const char *explicit_text;      /* spark.<role>.memoryOverhead as written */
	const char *explicit_key;       /* the key written: that one, or its YARN name (job.c) */
	double factor;
	const char *factor_from;        /* the conf key or manifest field, or why the default applies */
	const struct conf_factor *factor_set;   /* where the factor is set; NULL: Spark's default */
	long long factor_mib;           /* (int)(factor * heap) */
	long long floor_mib;
	const char *floor_from;         /* "Spark's minimum" or spark.<role>.minMemoryOverhead */
	long long offheap_mib, pyspark_mib;
	long long pod_mib;
};

void pod_memory(const struct job *job, enum role r, struct pod_memory *out);

#endif
