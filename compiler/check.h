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

/* false if any error was reported (warnings do not count). An operator manifest's
 * settings (job->manifest) draw the rules about what the operator and Spark read; the
 * rules about MLRun's own fields (command, image, igz, build, node selectors, ...) are
 * a job's alone. */
bool check_job(const struct job *job, struct diag_src *src);
/* A Kubernetes object beside a job: a Secret's literal stringData and data are the same
 * error as a secret written in a job. false if any was reported. */
bool check_secret_object(const struct node *doc, struct diag_src *src);

#endif
