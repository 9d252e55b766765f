/* krm.h - `sparkc krm`: sparkc as a KRM function (the kustomize and kpt functions
 * specification), for render-time pipelines.
 *
 * Reads one config.kubernetes.io/v1 ResourceList (or a v1 List), YAML or JSON, on
 * stdin and writes it back on stdout in the same form: each `kind: spark` item is
 * replaced by its manifest (load -> check -> lower -> emit, as compile does), every
 * other item passes through with its values unchanged, and every diagnostic becomes a
 * results[] entry. functionConfig, when given, is a ConfigMap whose data may set
 * `namespace` and `templates` (a directory, as --templates). */
#ifndef SPARKC_KRM_H
#define SPARKC_KRM_H

#include <stdbool.h>
#include <stdio.h>

#include "load.h"

/* Returns the exit status: 0, 1 when any result is an error or the input is not a
 * ResourceList (diagnostics on err then, nothing on out), 2 on an I/O error. */
int krm_run(FILE *in, FILE *out, FILE *err, const struct limits *lim, bool color);

#endif
