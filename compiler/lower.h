/* lower.h - stage 3: a checked job -> the manifest the Spark operator reads.
 *
 * Applies what MLRun's submit does (docs/design.md, "What lowering produces"): defaults
 * from templates/defaults.yaml, labels, resources, volumes and mounts, the igz overlay
 * from templates/igz.yaml, and the ScheduledSparkApplication wrapper for scheduled
 * jobs. Lowering never fails: the checks have already rejected what it cannot map. */
#ifndef SPARKC_LOWER_H
#define SPARKC_LOWER_H

#include "job.h"
#include "node.h"

struct node *lower_job(const struct job *job, struct arena *a);

#endif
