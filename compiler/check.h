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

enum document_kind { DOC_JOB, DOC_MANIFEST, DOC_OTHER };

/* What a document is: a job (kind: spark, or no kind the schema can name), an operator
 * manifest (manifest.h), or something else: another MLRun runtime, another apiVersion
 * of the operator, any other Kubernetes object, which gets one error (at its kind, or
 * at an operator's apiVersion) rather than one for every key of the job format it
 * lacks. */
enum document_kind check_document_kind(const struct node *doc, struct diag_src *src);

#endif
