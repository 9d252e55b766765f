/* enrich.h - what MLRun's server adds to a job from its own configuration when it
 * submits it, given as settings of templates/defaults.yaml: the S3 auto-mount and the
 * Secrets whose keys become environment variables, and the preemptible-node policy of
 * each role. Each follows the MLRun release the job is compiled for (upstream.h); with
 * the settings empty, as in MLRun's default configuration, nothing changes.
 *
 * Part of lowering (lower.c), on the manifest nodes it builds. */
#ifndef SPARKC_ENRICH_H
#define SPARKC_ENRICH_H

#include "job.h"

/* The S3 auto-mount, then the global and the project Secret's keys, into a role's env
 * list (which the caller built from the job's env and the igz overlay's). */
void enrich_env(const struct job *job, struct arena *a, struct node *env);

/* A role's scheduling as lowering built it; each NULL when not set. */
struct scheduling {
	struct node *node_selector, *tolerations, *affinity;
};

/* The job's own node selector (a role's, or the function's) under the preemption mode
 * its field mode_key names, as MLRun's SDK pruned it before MLRun 1.10; as given from
 * 1.10, whose server prunes the merged selector in enrich_scheduling. */
const struct node *enrich_selector(const struct job *job, struct arena *a, const char *mode_key,
				   const struct node *selector);

/* The role's preemption mode applied to its scheduling: any of the three may be
 * replaced (by NULL when nothing is left of it). */
void enrich_scheduling(const struct job *job, struct arena *a, enum role r, struct scheduling *s);

#endif
