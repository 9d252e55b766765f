/* explain.h - what a job really asks of the cluster: per role the heap, the overhead
 * and where it came from, the pod's memory, cpu and GPUs; the job's total footprint;
 * and the spark-submit --conf list the operator will generate from the manifest. */
#ifndef SPARKC_EXPLAIN_H
#define SPARKC_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "job.h"
#include "node.h"

/* manifest: what lower_job() made of job. */
void explain_job(FILE *out, const struct job *job, const struct node *manifest, bool json);

#endif
