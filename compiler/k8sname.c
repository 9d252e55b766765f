/* k8sname.c - see k8sname.h. */
#include "k8sname.h"

#include <ctype.h>
#include <string.h>

static bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool dns1123_label(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!alnum_lower(s[i]) && s[i] != '-')
			return false;
	return true;
}

bool dns1035_label(const char *s)
{
	return dns1123_label(s) && s[0] >= 'a' && s[0] <= 'z';
}

bool dns1123_subdomain(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	char part[254];
	for (size_t start = 0; start <= n;) {
		size_t len = strcspn(s + start, ".");
		if (start + len > n)
			len = n - start;
		memcpy(part, s + start, len);
		part[len] = '\0';
		if (!dns1123_label(part))
			return false;
		start += len + 1;
	}
	return true;
}

bool label_value_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

const char *label_key_problem(const char *k)
{
	const char *slash = strchr(k, '/');
	const char *name = slash ? slash + 1 : k;
	if (slash && !dns1123_subdomain(k, (size_t)(slash - k)))
		return "its prefix (before '/') must be a DNS subdomain such as example.com";
	if (!*name)
		return "its name part must not be empty";
	if (!label_value_ok(name) || strchr(name, '/'))
		return "its name must be at most 63 characters of letters, digits, '-', '_' and '.', "
		       "starting and ending with a letter or digit";
	return NULL;
}

size_t job_name_max(bool scheduled)
{
	/* 63 - strlen("-driver") - 20 for a run's "-<19-digit timestamp>"; unscheduled,
	 * the Service <name>-ui-svc and the pod <name>-driver: 63 - 7 */
	return scheduled ? 36 : 56;
}
