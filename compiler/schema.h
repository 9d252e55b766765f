/* schema.h - stage 2a: JSON Schema validation of a job document.
 *
 * There is no well-kept JSON Schema library for C in Debian, so this is a small
 * validator for the keywords sparkc's schemas use (type, properties, required,
 * additionalProperties, enum, const, pattern, minimum, maximum, minLength, maxLength,
 * items, minItems, anyOf, oneOf, and local $ref to $defs). The schema is the one
 * self-contained document schemas/sparkjob.schema.json, built in; the keywords it
 * carries for editors (description, markdownDescription, defaultSnippets, ...) are
 * skipped. Two of sparkc's own say which upstream release added a field:
 * x-mlrun-since (a job field) and x-operator-since (an operator CRD field), read with
 * default against the releases compiled for (upstream.h).
 *
 * Job-format conventions on top of plain JSON Schema: a null value of a declared
 * property means "not set" and is skipped (MLRun writes `affinity: null`), and an
 * unknown key gets a "did you mean" from edit distance. */
#ifndef SPARKC_SCHEMA_H
#define SPARKC_SCHEMA_H

#include <stdbool.h>

#include "diag.h"
#include "node.h"
#include "upstream.h"

/* The built-in schema of the job format. */
const struct node *schema_job(void);

/* Validate a job document; each violation becomes a diagnostic at its node. A field
 * the releases compiled for lack (x-mlrun-since, x-operator-since) is a warning
 * (mlrun-version) or an error (operator-version) at its key. */
bool schema_validate(const struct node *doc, struct diag_src *src, const struct releases *releases);

/* Validate an operator manifest (sparkoperator.k8s.io/v1beta2 SparkApplication or
 * ScheduledSparkApplication, by its kind) against the operator's CRD schema, built in
 * as schemas/sparkoperator.schema.json, as JSON Schema (draft 7) on the object the API
 * server validates: unknown keys are errors, format is not asserted, and a null is
 * "not set" as in a job, since the API server drops a null the CRD does not mark
 * nullable (a required key that is null is missing; a nullable one's null is allowed).
 * The schema holds the fields of every operator release sparkc knows; one that the
 * release compiled for lacks is an error (operator-version) naming the release that has it. */
bool schema_validate_manifest(const struct node *doc, struct diag_src *src, const struct releases *releases);

/* Validate a document against the schema at ref ("#/$defs/defaults") of another
 * built-in schema (resource "schemas/templates.schema.json"). */
bool schema_validate_ref(const char *resource, const char *ref, const struct node *doc,
			 struct diag_src *src);

/* A copy of an embedded Kubernetes object with each scalar typed as the schema says:
 * where a string is expected, a plain number or boolean becomes the text written.
 * ref is a local schema reference such as "#/$defs/EnvVar". */
struct node *schema_coerce(struct arena *a, const char *ref, const struct node *value);

/* A local reference ("#/$defs/Spec") resolved in a built-in schema document, or NULL:
 * for readers that walk a schema themselves (the language server's hover and
 * completion). */
const struct node *schema_resolve_ref(const char *ref, const struct node *docroot);

/* Release the loaded schemas (at exit, so that leak checkers see a clean heap). */
void schema_free(void);

#endif
