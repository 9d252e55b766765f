/* operator.h - the Spark operator's --conf arguments for the SparkApplication's own
 * fields, as its submission.go builds them: one table, read by the checks (a spark_conf
 * key the operator overrides has no effect) and by explain (the submit arguments).
 *
 * sparkConf goes to spark-submit first and these after it, and the last --conf of a
 * key wins (operator issue #1109). */
#ifndef SPARKC_OPERATOR_H
#define SPARKC_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "job.h"

/* Where the operator reads a key's value in the manifest's spec (or its template's). */
enum operator_from {
	FROM_ROLE,              /* spec.<role>.<field> */
	FROM_SPEC,              /* spec.<field>, once per role */
	FROM_DYNAMIC,           /* spec.dynamicAllocation.<field>, when it is enabled */
};

#define FOR_DRIVER (1u << ROLE_DRIVER)
#define FOR_EXECUTOR (1u << ROLE_EXECUTOR)

struct operator_conf {
	const char *conf;       /* the --conf key; "%s" stands for the role */
	enum operator_from from;
	unsigned roles;         /* FOR_DRIVER | FOR_EXECUTOR; FROM_DYNAMIC rows have none */
	const char *field;      /* the manifest field it is read from */
	const char *value;      /* a value the operator passes as is, instead of field's */
	bool after_labels;      /* the operator adds it after the role's label keys */
	/* The job field that sets it ("%s": the role), NULL when the job has none, and the
	 * spec field that must be set for the operator to pass it (NULL: always passed). */
	const char *job_field, *when;
	/* conf-overridden's hint when no job field sets the key, else NULL */
	const char *hint;
};

/* The keys in the order the operator adds them: a role's FROM_ROLE and FROM_SPEC rows,
 * driver then executor, then the FROM_DYNAMIC rows. */
extern const struct operator_conf operator_confs[];
extern const size_t operator_confs_n;

/* A row's key, or its when field, for role r, into buf. */
void operator_key(const char *pattern, enum role r, char *buf, size_t len);

#endif
