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

enum document_kind { DOC_JOB, DOC_MANIFEST, DOC_KUBERNETES, DOC_OTHER };

/* What a document is: a job (kind: spark, or no kind the schema can name), an operator
 * manifest (manifest.h), another Kubernetes object (DOC_KUBERNETES, no diagnostic: see
 * check_lone_object), or something else: another MLRun runtime or another apiVersion
 * of the operator, which gets one error (at its kind, or at the operator's apiVersion)
 * rather than one for every key of the job format it lacks. */
enum document_kind check_document_kind(const struct node *doc, struct diag_src *src);

/* Another Kubernetes object is taken beside a job or manifest of the same file (the
 * ConfigMaps and Secrets an application mounts); in a file without one it is the one
 * error at its kind that this makes (the caller keeps it aside until the file ends). */
void check_lone_object(struct diag_src *src, const struct node *kind, const struct node *api);

/* Whether such an object has the kind, name and namespace Kubernetes takes, which
 * compile needs to file it; each problem a diagnostic at its node. */
bool check_companion(const struct node *doc, struct diag_src *src);

#endif
