/* k8sname.h - the names Kubernetes accepts (apimachinery's validation: IsDNS1035Label,
 * IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue), and the
 * longest job name whose generated names still fit them. Used by the checks, the
 * command line's -n, sparkc init and sparkc krm. */
#ifndef SPARKC_K8SNAME_H
#define SPARKC_K8SNAME_H

#include <stdbool.h>
#include <stddef.h>

/* At most 63 lower-case letters, digits and '-', starting and ending with a letter or
 * digit (a namespace, a Secret's name part). */
bool dns1123_label(const char *s);

/* A DNS-1123 label that starts with a letter (a Service's name). */
bool dns1035_label(const char *s);

/* The first n bytes of s as dot-separated DNS-1123 labels, at most 253 in all. */
bool dns1123_subdomain(const char *s, size_t n);

/* A label value (and the name part of a key): empty, or at most 63 characters of
 * [A-Za-z0-9-_.] starting and ending with an alphanumeric. */
bool label_value_ok(const char *s);

/* What is wrong with a label or annotation key ([prefix/]name), or NULL. */
const char *label_key_problem(const char *k);

/* The longest name a job can have: its driver pod <name>-driver and Service
 * <name>-ui-svc must fit 63 characters, and a scheduled job's runs are named
 * <name>-<19-digit timestamp> before that. */
size_t job_name_max(bool scheduled);

#endif
