/* sparkconf.h - stage 2c: spark_conf checked against Spark's own configuration registry,
 * and the resource settings Spark refuses at start.
 *
 * The registry (schemas/spark-config.tsv, built in as C tables) holds every key Spark's
 * source defines, reads by name or documents, for the 2.4-4.x release lines, with the
 * facts of each line: type and unit, the release that added it, allowed values, default,
 * deprecation and removal. A key has one row per run of lines with the same facts. Keys
 * are judged for the job's Spark version: unknown keys in Spark's namespaces or near a
 * known key, keys newer than the version, deprecated and removed keys, other cluster
 * managers' keys, and values Spark cannot parse. Keys whose last part the user names
 * (labels, volumes, resources, catalogs, spark.hadoop.*) match as templates; a vendor's
 * Spark (recognised from the image) reads its own keys. Then the resource rules: heap,
 * task CPUs, GPUs, executor cores, dynamic allocation. */
#ifndef SPARKC_SPARKCONF_H
#define SPARKC_SPARKCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "job.h"

struct spark_key {
	const char *key;
	size_t len;                     /* strlen(key) */
	const char *lines;              /* the release lines of this row: "3.4:3.4.2 3.5 4.0" */
	const char *type;               /* bool int long double string bytes time */
	const char *unit;               /* bytes and time: the unit of a bare number */
	const char *since;              /* the release that added it */
	const char *deprecated;         /* since when, or "" */
	const char *deprecated_note;    /* the replacement or Spark's note */
	const char *removed;            /* the first release without it, or "" */
	const char *removed_note;
	const char *values;             /* allowed values, comma-separated, or "" */
	const char *default_value;
	const char *flags;              /* i internal, c case-insensitive values, l list,
					   r removed key refused unless at its accepted value,
					   m another cluster manager's, n read by name, d documented
					   only, u no claim: the sources disagree, b a backport
					   whose first patch release is undated */
};
struct spark_namespace {
	const char *prefix;             /* "spark.sql." */
	const char *lines_read;         /* the release lines whose own source was read for its
					   keys: "2.4 3.0 3.1 3.2 3.3 3.5 4.1" */
};
struct spark_template {
	const char *pattern;            /* '*' one dot-free name, '**' the rest */
	const char *source;             /* the Spark code that reads it */
};

struct spark_third_party {
	const char *prefix;             /* "spark.sql.iceberg." */
	const char *owner;              /* the library whose keys these are */
};

/* A vendor's Spark distribution, recognised from its image. */
struct spark_vendor {
	const char *name;               /* "Amazon EMR" */
	const char *image;              /* a part of the image's repository path: "/spark/emr-" */
	const char *prefixes;           /* its own keys' prefixes, comma-separated */
	const char *source;             /* where the vendor documents them */
};

extern const char spark_lines[];        /* the release lines the registry holds: "2.4 3.2 ..." */
extern const struct spark_key spark_keys[];
extern const size_t spark_keys_count;
extern const struct spark_namespace spark_namespaces[];
extern const size_t spark_namespaces_count;
extern const struct spark_template spark_templates[];
extern const size_t spark_templates_count;
extern const struct spark_third_party spark_third_parties[];
extern const size_t spark_third_parties_count;
extern const struct spark_third_party spark_cluster_managers[];        /* prefix, its name */
extern const size_t spark_cluster_managers_count;
extern const struct spark_vendor spark_vendors[];
extern const size_t spark_vendors_count;

/* The registry's row for key (exact) that holds Spark version's facts, or NULL when
 * that Spark does not read the key (or the registry does not know it). */
const struct spark_key *spark_key_for(const char *key, const char *version);

/* Where a key stands for a Spark version: the row that holds its facts there, or why
 * none does (it arrives in a later release, or it is gone). */
struct spark_placement {
	const struct spark_key *row;    /* NULL: that Spark does not read the key */
	char since[16];                 /* row NULL: the first release that has it, or "" */
	bool since_unsure;              /* since is a guess: its line's sources disagree ('u'),
					   or a backport's patch release is undated ('b') */
	char gone[16];                  /* row NULL: the first release line without it, or "" */
};
void spark_place(const char *key, const char *version, struct spark_placement *out);

/* Whether the registry holds version's release line (read from its source): for any
 * other, it makes no claim about a key. */
bool spark_line_known(const char *version);

/* What a key takes, in words ("a size such as 64m or 1g; a bare number is in MiB"); ""
 * when its allowed values say it. */
void spark_key_type_hint(const struct spark_key *k, char *buf, size_t len);

/* The templated key (a label, a volume, spark.hadoop.*, ...) that key matches, or NULL. */
const struct spark_template *spark_template_find(const char *key);

/* The vendor whose Spark an image reference names, or NULL for Apache Spark's. */
const struct spark_vendor *spark_vendor_of(const char *image);

/* A doubleConf value as Spark reads it (String.trim, Double.parseDouble: "0.5d", "1e3",
 * "NaN", "Infinity"; out of range is infinite); false when Spark cannot. */
bool spark_double(const char *text, double *out);

/* Every spark_conf key and value, and the resource rules. Returns the number of errors
 * reported (warnings do not count). */
size_t check_spark_configuration(const struct job *job, struct diag_src *src);

#endif
