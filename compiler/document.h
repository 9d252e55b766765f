/* document.h - what a document is, decided before the schema: a job, an operator
 * manifest, another Kubernetes object (taken beside one of those in its file), another
 * MLRun function, or something sparkc does not read, which gets one error saying what
 * it is. */
#ifndef SPARKC_DOCUMENT_H
#define SPARKC_DOCUMENT_H

#include <stdbool.h>

#include "diag.h"
#include "node.h"

enum document_kind { DOC_JOB, DOC_MANIFEST, DOC_KUBERNETES, DOC_FUNCTION, DOC_FOREIGN, DOC_OTHER };

/* What a document is: a job (kind: spark, or no kind the schema can name), an operator
 * manifest (manifest.h), another Kubernetes object (DOC_KUBERNETES), another MLRun
 * runtime or project (DOC_FUNCTION), or YAML that is no object at all (DOC_FOREIGN: not
 * a mapping, or one with no kind, metadata or spec, such as a GitHub workflow, a Helm
 * chart's Chart.yaml and values.yaml, a docker-compose file) — none of these gets a
 * diagnostic here: see document_lone_object, document_function and document_foreign —,
 * or something else: an object of the operator's group of another apiVersion or kind,
 * which gets one error (at its apiVersion or kind) rather than one for every key of the
 * job format it lacks. */
enum document_kind document_kind(const struct node *doc, struct diag_src *src);

/* The one error of another MLRun runtime or project (DOC_FUNCTION): what it is and
 * what sparkc takes. The caller keeps it aside until its file ends: a file that holds
 * only such documents and other Kubernetes objects is skipped (pipeline.h). */
void document_function(struct diag_src *src, const struct node *kind);

/* The one error of YAML that is no object (DOC_FOREIGN), kept aside as a function's. */
void document_foreign(struct diag_src *src, const struct node *doc);

/* Another Kubernetes object is taken beside a job or manifest of the same file (the
 * ConfigMaps and Secrets an application mounts); a file of such objects alone is
 * skipped, and only a run that finds no job or manifest at all reports, for each
 * object, the one error at its kind that this makes (the caller keeps it aside). */
void document_lone_object(struct diag_src *src, const struct node *kind, const struct node *api);

/* Whether such an object has the kind, name and namespace Kubernetes takes, which
 * compile needs to file it; each problem a diagnostic at its node. */
bool document_companion(const struct node *doc, struct diag_src *src);

#endif
