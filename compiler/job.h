/* job.h - a job's effective settings: its own fields with the templates' defaults
 * applied, resolved once and shared by the checks, lowering and explain.
 *
 * An operator manifest (a SparkApplication sparkc passes through) resolves into the
 * same settings (manifest.h), with Spark's own defaults where the manifest leaves a
 * field out and every node pointing into the manifest, so that one set of rules
 * (check.c, sparkconf.c) and one explain serve both; job_fields names each setting
 * the way the document's format writes it, for diagnostics.
 *
 * Resolving assumes the document passed schema validation (types are right); it
 * does not judge values, the checks do. */
#ifndef SPARKC_JOB_H
#define SPARKC_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"
#include "quantity.h"
#include "templates.h"
#include "upstream.h"

enum role { ROLE_DRIVER, ROLE_EXECUTOR };
extern const char *const role_names[2];         /* "driver", "executor" */
extern const char *const role_resources_keys[2]; /* "driver_resources", "executor_resources" */

struct role_resources {
	const struct node *resources;   /* the job's driver_/executor_resources, or NULL */
	const struct node *cpu_request, *cpu_limit, *memory;   /* effective */
	bool cpu_request_given, cpu_limit_given, memory_given;
	const struct pair *gpu;         /* the GPU limit (name: quantity), or NULL */
	struct pair gpu_pair;           /* a manifest's gpu {name, quantity}, which gpu points at */
	size_t gpu_types;               /* how many GPU resource names the limits hold */
	/* The effective values parsed once, for every stage: heap.ok is false when memory
	 * is unset or no size (heap.why says why); a CPU is ok when set and a quantity. */
	struct memory heap;
	bool cpu_request_ok, cpu_limit_ok;
	double cpu_request_m, cpu_limit_m;      /* millicores, when ok */
	/* <role>_cores, and for the executor MLRun's `replicas or default`: the node the
	 * manifest carries (NULL when neither the job nor the defaults give one) and its
	 * number (1 when NULL). The driver's instances are 1. */
	const struct node *cores_at, *instances_at;
	long long cores, instances;
	bool cores_given, instances_given;      /* by the document itself */
};

/* A spark_conf memory size sparkc computes with (overheads, off-heap, pyspark memory),
 * parsed once; at is NULL when the key is not set to a scalar. */
struct conf_size {
	const char *key;
	const char *set_as;             /* the key at is under: key, or an old name Spark reads as it */
	long long bare_unit;            /* the unit of a bare number: MiB, or 1 for off-heap */
	const struct node *at;
	char path[96];                  /* where at is, for diagnostics */
	struct memory value;
};
#define CONF_SIZES 6

/* A memory overhead factor sparkc computes with: spark.kubernetes.memoryOverheadFactor,
 * spark.driver.memoryOverheadFactor, spark.executor.memoryOverheadFactor, in that order;
 * at is NULL when not set to a scalar. A manifest's spec.memoryOverheadFactor stands
 * for the first when sparkConf does not set it (manifest.c): path says which. */
struct conf_factor {
	const char *key;
	const struct node *at;
	char path[96];                  /* where at is, for diagnostics and explain */
	bool from_field;                /* at is a manifest field, not a sparkConf key */
};
#define CONF_FACTORS 3

struct igz_settings {
	bool mount_v3io_to_executor;
	const char *user, *access_key_secret, *api, *framesd, *igz_version, *history_server_path;
	const struct node *at;          /* the job's igz_spark node, for diagnostics */
};

enum spark_version_source { SPARK_VERSION_GIVEN, SPARK_VERSION_IMAGE, SPARK_VERSION_DEFAULT };

/* Where a document's format writes each setting: paths for diagnostics, and names for
 * hints (a job's hints name its fields as a job file writes them, "executor_cores"; a
 * manifest's by their path, "spec.executor.cores"). */
struct job_fields {
	const char *noun;               /* "job", "application" */
	const char *given, *fallback;   /* explain's origins: the document's own, a default's */
	const char *spec;               /* the spec's path: "spec", "spec.template" */
	const char *conf, *conf_name;   /* spark_conf / sparkConf: path, name */
	const char *memory[2], *cpu_request[2], *cpu_limit[2], *gpu[2];   /* paths, by role */
	const char *cpu_limit_name[2], *cores_name[2], *instances_name;
	const char *dynamic_allocation; /* path */
	const char *spark_version, *spark_version_name;
	const char *main_class_name;
	const char *image_hint, *service_account_hint;  /* conf-denied's, by the keys' field */
	const char *volumes, *mounts[3];                /* paths; mounts NULL-ended */
};

struct job {
	const struct node *doc, *metadata, *spec;
	/* An operator manifest rather than a job: the rules for MLRun's fields, the
	 * templates and lowering do not apply to it. */
	bool manifest;
	const struct job_fields *fields;
	const struct node *spec_key;    /* the key holding spec (spec:, or template: in a scheduled manifest) */
	/* The spec's settings the rules read, whatever the format names them: spark_conf,
	 * dynamic_allocation, volumes, each list of volume mounts (by fields->mounts), the
	 * schedule (a cron string, or a job's mapping holding one), main_class, the
	 * Spark version as written. */
	const struct node *conf, *dynamic_allocation, *volumes, *mounts[3], *schedule, *main_class,
		*spark_version_at;
	const struct templates *templates;
	const struct releases *releases;  /* the MLRun and operator releases compiled for */
	const char *name, *namespace, *project, *tag;   /* an empty project or tag is not set */
	bool namespace_from_option;
	const char *job_type;
	const char *spark_version;      /* sparkVersion in the manifest: spark_version, the tag's, the default */
	/* The Spark that runs, which sizing and version-gated rules follow: spark_version
	 * when given, else the version the image tag names, else the default. */
	const char *spark_version_effective;
	enum spark_version_source spark_version_from;
	char image_spark_version[32];   /* the version the image tag names, or "" */
	/* image: the job's, else the templates' default (an empty image is not set);
	 * image_given is the job's own non-empty image. */
	const char *image;
	bool image_given;
	/* Where a relative command is, by MLRun's workdir resolution: workdir when it is
	 * absolute, else build.source_code_target_dir joined with workdir_sub (a relative
	 * workdir without its "./"). NULL when neither gives an absolute directory. */
	const char *workdir, *workdir_sub;
	bool scheduled;
	struct role_resources role[2];
	bool igz;
	struct igz_settings igz_settings;
	struct conf_size conf_sizes[CONF_SIZES];
	struct conf_factor conf_factors[CONF_FACTORS];
};

/* job keeps pointers into itself (role[].gpu): resolve it where it stays. */
void job_resolve(struct job *job, const struct node *doc, const struct templates *t,
		 const struct releases *releases, const char *namespace_option);

/* For the resolvers (job.c, manifest.c): the Spark version that runs, from the version
 * written (NULL when none), the image tag, or fallback; and conf_sizes and conf_factors
 * from job->conf. */
void job_resolve_spark_version(struct job *job, const char *version, const char *fallback);
void job_resolve_conf_sizes(struct job *job);

/* The job's spark_conf value for key as text, or NULL. */
const char *job_conf(const struct job *job, const char *key);

/* The parsed spark_conf size for key (one of conf_sizes' keys), or NULL when it is not
 * set or not a size: callers that only use a valid size need no error path. */
/* That size as written (sparkConf's, or a manifest's spec.<role>.memoryOverhead, which
 * wins over it), or NULL. */
const char *job_conf_size_text(const struct job *job, const char *key);
/* The spark_conf key the size for key is set under: key, or the old name Spark reads as it. */
const char *job_conf_size_key(const struct job *job, const char *key);

const struct memory *job_conf_size(const struct job *job, const char *key);

/* The overhead factor for key (one of conf_factors' keys), or NULL when it is not set. */
const struct conf_factor *job_conf_factor(const struct job *job, const char *key);


#endif
