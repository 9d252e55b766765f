/* check.h - stage 2b: what a schema cannot say about a job.
 *
 * Names Kubernetes will accept, label syntax, CPU and memory notation, request <=
 * limit, GPUs, volume references, Scala/Java main classes, spark_conf keys the
 * operator refuses or silently overrides, cron, unsupported data stores, secrets
 * written as plain text. Runs after schema validation, even when it found problems
 * (values of the wrong type are skipped), so that one run reports everything; every
 * finding is a diagnostic at the offending node. */
#ifndef SPARKC_CHECK_H
#define SPARKC_CHECK_H

#include <stdbool.h>

#include "diag.h"
#include "job.h"

/* false if any error was reported (warnings do not count). */
bool check_job(const struct job *job, struct diag_src *src);

/* Whether a document is a job at all. A Kubernetes object (a SparkApplication, say:
 * what sparkc writes) gets one error at its kind, rather than one for every key of
 * the job format it lacks; false then. */
bool check_is_job(const struct node *doc, struct diag_src *src);

#endif
