/* job.h - a job's effective settings: its own fields with the templates' defaults
 * applied, resolved once and shared by the checks, lowering and explain.
 *
 * Resolving assumes the document passed schema validation (types are right); it
 * does not judge values, the checks do. */
#ifndef SPARKC_JOB_H
#define SPARKC_JOB_H

#include <stdbool.h>

#include "node.h"
#include "templates.h"

enum role { DRIVER, EXECUTOR };
extern const char *const role_names[2];         /* "driver", "executor" */

struct role_resources {
	const struct node *resources;   /* the job's driver_/executor_resources, or NULL */
	const struct node *cpu_request, *cpu_limit, *memory;   /* effective */
	bool cpu_request_given, cpu_limit_given, memory_given;
	const struct pair *gpu;         /* the GPU limit (name: quantity), or NULL */
	size_t gpu_types;               /* how many GPU resource names the limits hold */
};

struct igz_settings {
	bool mount_v3io_to_executor;
	const char *user, *access_key_secret, *api, *framesd, *igz_version, *history_server_path;
	const struct node *at;          /* the job's igz_spark node, for diagnostics */
};

struct job {
	const struct node *doc, *metadata, *spec;
	const struct templates *templates;
	const char *name, *namespace, *project, *tag;
	bool namespace_from_option;
	const char *job_type, *spark_version, *image;
	const char *spark_version_effective;    /* the Spark the job runs: what version rules follow */
	bool scheduled;
	struct role_resources role[2];
	bool igz;
	struct igz_settings igz_settings;
};

void job_resolve(struct job *job, const struct node *doc, const struct templates *t,
		 const char *namespace_option);

/* The job's spark_conf value for key as text, or NULL. */
const char *job_conf(const struct job *job, const char *key);

/* Compare dotted versions numerically ("3.2.10" > "3.2.3"); missing parts are 0. */
int version_compare(const char *a, const char *b);

#endif
