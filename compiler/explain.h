/* explain.h - what a job really asks of the cluster: per role the heap, the overhead
 * and where it came from, the pod's memory, cpu and GPUs; the job's total footprint;
 * and the spark-submit --conf list the operator will generate from the manifest. */
#ifndef SPARKC_EXPLAIN_H
#define SPARKC_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "job.h"
#include "node.h"

/* manifest: what lower_job() made of job. */
void explain_job(FILE *out, const struct job *job, const struct node *manifest, bool json);

/* The Spark version that sizes the pods and where it comes from, in words: "Spark
 * 3.5.5, from the image tag", "Spark 3.2.3, assumed: set spark_version". */
void explain_spark_version(const struct job *job, char *buf, size_t len);

/* One role's pod as explain's table shows it (heap, overhead and the rule that gave
 * it, pod memory, CPU request and limit, cores, GPUs, instances), in Markdown, for an
 * editor's hover. */
void explain_role_markdown(FILE *out, const struct job *job, enum role r);

#endif
