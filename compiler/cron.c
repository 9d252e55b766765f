/* cron.c - see cron.h. The messages follow robfig/cron's, with the field named. */
#include "cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bounds {
	const char *name;
	int min, max;
	const char *const *names;       /* names for min..min+n, lower case */
};

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
				     "sep", "oct", "nov", "dec", NULL};
static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const struct bounds fields[5] = {
	{"minute", 0, 59, NULL}, {"hour", 0, 23, NULL}, {"day of month", 1, 31, NULL},
	{"month", 1, 12, months}, {"day of week", 0, 6, days},
};

/* A non-negative integer or a name; -1 with a message otherwise. */
static int parse_value(const char *s, size_t len, const struct bounds *b, char *why, size_t wl)
{
	if (b->names) {
		for (int i = 0; b->names[i]; i++)
			if (strlen(b->names[i]) == len && !strncasecmp(s, b->names[i], len))
				return b->min + i;
	}
	if (len == 0 || len > 9 || strspn(s, "0123456789") < len) {
		if (len && s[0] == '-' && strspn(s + 1, "0123456789") == len - 1)
			snprintf(why, wl, "%s: negative number (%.*s) not allowed", b->name, (int)len, s);
		else
			snprintf(why, wl, "%s: failed to parse '%.*s' as a number%s", b->name, (int)len, s,
				 b->names ? " or name" : "");
		return -1;
	}
	return atoi(s);
}

/* One comma-separated part: *, ?, N, N-M, with an optional /step. */
static bool check_range(const char *s, size_t len, const struct bounds *b, char *why, size_t wl,
			size_t *err_at)
{
	const char *slash = memchr(s, '/', len);
	size_t range_len = slash ? (size_t)(slash - s) : len;
	if (slash && memchr(slash + 1, '/', len - range_len - 1)) {
		snprintf(why, wl, "%s: too many slashes in '%.*s'", b->name, (int)len, s);
		return false;
	}
	int start, end;
	bool single = false;
	if (range_len == 1 && (s[0] == '*' || s[0] == '?')) {
		start = b->min;
		end = b->max;
	} else {
		const char *dash = memchr(s, '-', range_len);
		if (dash == s)
			dash = memchr(s + 1, '-', range_len - 1);   /* a leading '-' is a sign */
		size_t low_len = dash ? (size_t)(dash - s) : range_len;
		if (dash && memchr(dash + 1, '-', range_len - low_len - 1)) {
			snprintf(why, wl, "%s: too many hyphens in '%.*s'", b->name, (int)range_len, s);
			return false;
		}
		if ((start = parse_value(s, low_len, b, why, wl)) < 0)
			return false;
		if (dash) {
			*err_at = low_len + 1;
			if ((end = parse_value(dash + 1, range_len - low_len - 1, b, why, wl)) < 0)
				return false;
		} else {
			end = start;
			single = true;
		}
	}
	if (slash) {
		*err_at = range_len + 1;
		size_t step_len = len - range_len - 1;
		struct bounds any = {b->name, 0, 0, NULL};
		int step = parse_value(slash + 1, step_len, &any, why, wl);
		if (step < 0)
			return false;
		if (step == 0) {
			snprintf(why, wl, "%s: step of range should be a positive number", b->name);
			return false;
		}
		if (single)
			end = b->max;   /* N/step means N-max/step */
	}
	*err_at = 0;
	if (start < b->min) {
		snprintf(why, wl, "%s: beginning of range (%d) below minimum (%d)", b->name, start, b->min);
		return false;
	}
	if (end > b->max) {
		snprintf(why, wl, "%s: end of range (%d) above maximum (%d)", b->name, end, b->max);
		return false;
	}
	if (start > end) {
		snprintf(why, wl, "%s: beginning of range (%d) beyond end of range (%d)", b->name, start,
			 end);
		return false;
	}
	return true;
}

/* Go's time.ParseDuration: [-+]? then one or more <decimal><unit>, units ns us µs ms s m h. */
static bool go_duration(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, "0"))
		return true;
	if (!*s)
		return false;
	while (*s) {
		size_t d = strspn(s, "0123456789");
		const char *p = s + d;
		size_t f = 0;
		if (*p == '.') {
			f = strspn(p + 1, "0123456789");
			p += 1 + f;
		}
		if (d + f == 0)
			return false;
		static const char *const units[] = {"ns", "us", "\xc2\xb5s", "\xce\xbcs", "ms", "s", "m", "h"};
		size_t best = 0;
		for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
			size_t ul = strlen(units[i]);
			if (!strncmp(p, units[i], ul) && ul > best)
				best = ul;
		}
		if (!best)
			return false;
		s = p + best;
	}
	return true;
}

static bool valid_time_zone(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("/_+-", s[i]))
			return false;
	return true;
}

/* A descriptor (@daily, @every 1h30m, ...) at s, as robfig/cron's parseDescriptor reads
 * it; *offset is at s. */
static bool check_descriptor(const char *spec, const char *s, char *why, size_t wl, size_t *offset)
{
	static const char *const descriptors[] = {"@yearly", "@annually", "@monthly", "@weekly",
						  "@daily", "@midnight", "@hourly", NULL};
	size_t len = strcspn(s, " \t");
	for (int i = 0; descriptors[i]; i++)
		if (strlen(descriptors[i]) == len && !strncmp(s, descriptors[i], len) &&
		    s[len + strspn(s + len, " \t")] == '\0')
			return true;
	if (!strncmp(s, "@every ", 7)) {
		const char *d = s + 7;
		while (*d == ' ')
			d++;
		char dur[64];
		size_t dl = strcspn(d, " \t");
		if (dl < sizeof dur && d[dl + strspn(d + dl, " \t")] == '\0') {
			memcpy(dur, d, dl);
			dur[dl] = '\0';
			if (go_duration(dur))
				return true;
		}
		*offset = (size_t)(d - spec);
		snprintf(why, wl, "'%s' is not a duration such as 90s, 5m or 1h30m", d);
		return false;
	}
	snprintf(why, wl, "unrecognized descriptor '%.*s'", (int)len, s);
	return false;
}

/* Five space-separated fields from s, each a comma-separated list of ranges. */
static bool check_fields(const char *spec, const char *s, char *why, size_t wl, size_t *offset)
{
	const char *starts[6];
	size_t lens[6], n = 0;
	while (*s) {
		size_t len = strcspn(s, " \t");
		if (n < 6) {
			starts[n] = s;
			lens[n] = len;
		}
		n++;
		s += len;
		s += strspn(s, " \t");
	}
	if (n != 5) {
		snprintf(why, wl, "expected exactly 5 fields (minute hour day-of-month month day-of-week), found %zu", n);
		return false;
	}
	for (size_t f = 0; f < 5; f++) {
		const char *p = starts[f], *end = starts[f] + lens[f];
		while (p <= end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *part_end = comma ? comma : end;
			size_t err_at = 0;
			if (!check_range(p, (size_t)(part_end - p), &fields[f], why, wl, &err_at)) {
				*offset = (size_t)(p - spec) + err_at;
				return false;
			}
			p = part_end + 1;
		}
	}
	return true;
}

bool cron_check(const char *spec, char *why, size_t wl, size_t *offset)
{
	const char *s = spec;
	*offset = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		snprintf(why, wl, "empty schedule");
		return false;
	}
	if (!strncmp(s, "TZ=", 3) || !strncmp(s, "CRON_TZ=", 8)) {
		const char *tz = strchr(s, '=') + 1;
		size_t tzlen = strcspn(tz, " \t");
		if (!valid_time_zone(tz, tzlen)) {
			*offset = (size_t)(tz - spec);
			snprintf(why, wl, "'%.*s' is not a time zone name", (int)tzlen, tz);
			return false;
		}
		s = tz + tzlen;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	*offset = (size_t)(s - spec);
	if (*s == '@')
		return check_descriptor(spec, s, why, wl, offset);
	return check_fields(spec, s, why, wl, offset);
}
