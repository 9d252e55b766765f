/* sparkver.c - see sparkver.h. */
#include "sparkver.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool image_tag_spark_version(const char *image, char *buf, size_t len)
{
	/* repository[:tag][@digest]; a ':' before the last '/' is a registry's port */
	size_t end = strcspn(image, "@"), name = 0, colon = end;
	for (size_t i = 0; i < end; i++) {
		if (image[i] == '/') {
			name = i + 1;
			colon = end;
		} else if (image[i] == ':') {
			colon = i;
		}
	}
	if (colon == end)
		return false;
	const char *tag = image + colon + 1;
	bool spark = false;
	for (size_t i = name; i + 5 <= colon && !spark; i++)
		spark = !strncasecmp(image + i, "spark", 5);
	if (!strncasecmp(tag, "spark-", 6)) {
		tag += 6;
		spark = true;
	}
	if (!spark)
		return false;
	if (*tag == 'v')
		tag++;
	size_t n = 0;
	int parts = 0;
	while (parts < 3 && tag[n] >= '0' && tag[n] <= '9') {
		n += strspn(tag + n, "0123456789");
		parts++;
		if (tag[n] != '.' || parts == 3 || tag[n + 1] < '0' || tag[n + 1] > '9')
			break;
		n++;
	}
	if (parts < 2 || (tag[n] && tag[n] != '-' && tag[n] != '_' && tag + n != image + end) || n >= len)
		return false;
	/* Only a Spark release that runs on Kubernetes (2.4 on): myorg/sparkapp:0.4.0 and
	 * myorg/spark-etl:1.0.0 version the application, not Spark. */
	long major = strtol(tag, NULL, 10), minor = strtol(tag + strcspn(tag, ".") + 1, NULL, 10);
	if (major < 2 || major > 4 || (major == 2 && minor < 4))
		return false;
	memcpy(buf, tag, n);
	buf[n] = '\0';
	return true;
}

/* strtol(*s, s, 10), without its locale and errno: versions are compared for every
 * job. */
static long leading_number(const char **s)
{
	const char *p = *s;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	bool negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return 0;       /* no number: *s stays */
	unsigned long v = 0, limit = negative ? (unsigned long)LONG_MAX + 1 : LONG_MAX;
	bool over = false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (over || v > (limit - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	*s = p;
	if (over)
		return negative ? LONG_MIN : LONG_MAX;
	return negative ? (v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v) : (long)v;
}

int version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		long x = leading_number(&a), y = leading_number(&b);
		if (x != y)
			return x < y ? -1 : 1;
		while (*a && *a != '.')         /* strcspn(a, "."), without a call per part */
			a++;
		while (*b && *b != '.')
			b++;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && !*b)
			break;
		if ((*a && !(*a >= '0' && *a <= '9')) || (*b && !(*b >= '0' && *b <= '9')))
			return strcmp(a, b) < 0 ? -1 : strcmp(a, b) > 0;
	}
	return 0;
}
