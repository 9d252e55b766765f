/* operator.c - see operator.h. */
#include "operator.h"

#include <stdio.h>
#include <string.h>

const struct operator_conf operator_confs[] = {
	{"spark.executor.instances", FROM_ROLE, FOR_EXECUTOR, "instances", NULL, false, "replicas", NULL, NULL},
	{"spark.kubernetes.%s.container.image", FROM_SPEC, FOR_DRIVER | FOR_EXECUTOR, "image", NULL, false, NULL, NULL, NULL},
	{"spark.%s.cores", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR, "cores", NULL, false, "%s_cores", NULL, NULL},
	{"spark.kubernetes.%s.request.cores", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR, "coreRequest", NULL, false,
	 "%s_resources.requests.cpu", NULL, NULL},
	{"spark.kubernetes.%s.limit.cores", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR, "coreLimit", NULL, false,
	 "%s_resources.limits.cpu", NULL, NULL},
	{"spark.%s.memory", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR, "memory", NULL, false,
	 "%s_resources.requests.memory", NULL, NULL},
	/* lowering copies spark_conf's own memoryOverhead here: no override */
	{"spark.%s.memoryOverhead", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR, "memoryOverhead", NULL, false, NULL, NULL, NULL},
	{"spark.kubernetes.authenticate.%s.serviceAccountName", FROM_ROLE, FOR_DRIVER | FOR_EXECUTOR,
	 "serviceAccount", NULL, false, NULL, NULL, NULL},
	{"spark.driver.extraJavaOptions", FROM_ROLE, FOR_DRIVER, "javaOptions", NULL, false,
	 "driver_java_options", "driver_java_options", NULL},
	{"spark.executor.extraJavaOptions", FROM_ROLE, FOR_EXECUTOR, "javaOptions", NULL, true,
	 "executor_java_options", "executor_java_options", NULL},
	{"spark.dynamicAllocation.enabled", FROM_DYNAMIC, 0, "enabled", "true", false,
	 "dynamic_allocation.enabled", "dynamic_allocation", NULL},
	{"spark.dynamicAllocation.initialExecutors", FROM_DYNAMIC, 0, "initialExecutors", NULL, false,
	 "dynamic_allocation.initialExecutors", "dynamic_allocation", NULL},
	{"spark.dynamicAllocation.minExecutors", FROM_DYNAMIC, 0, "minExecutors", NULL, false,
	 "dynamic_allocation.minExecutors", "dynamic_allocation", NULL},
	{"spark.dynamicAllocation.maxExecutors", FROM_DYNAMIC, 0, "maxExecutors", NULL, false,
	 "dynamic_allocation.maxExecutors", "dynamic_allocation", NULL},
	/* the operator turns shuffle tracking on with dynamic allocation */
	{"spark.dynamicAllocation.shuffleTracking.enabled", FROM_DYNAMIC, 0, NULL, "true", false, NULL,
	 "dynamic_allocation", "to turn it off, drop spec.dynamic_allocation and set spark.dynamicAllocation.* here"},
};
const size_t operator_confs_n = sizeof operator_confs / sizeof *operator_confs;

/* n bytes of s after the *used bytes of buf, as many as fit before its NUL */
static void append(char *buf, size_t len, size_t *used, const char *s, size_t n)
{
	if (n > len - 1 - *used)
		n = len - 1 - *used;
	memcpy(buf + *used, s, n);
	*used += n;
}

void operator_key(const char *pattern, enum role r, char *buf, size_t len)
{
	/* the table's patterns are data, so no printf format: "%s" is replaced by hand
	 * (and without printf: this runs for every key the checks look up) */
	const char *at = strstr(pattern, "%s");
	size_t used = 0;
	if (!at) {
		append(buf, len, &used, pattern, strlen(pattern));
	} else {
		append(buf, len, &used, pattern, (size_t)(at - pattern));
		append(buf, len, &used, role_names[r], strlen(role_names[r]));
		append(buf, len, &used, at + 2, strlen(at + 2));
	}
	buf[used] = '\0';
}
