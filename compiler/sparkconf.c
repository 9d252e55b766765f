/* sparkconf.c - see sparkconf.h.
 *
 * Values are parsed the way Spark parses them (written here because they are Spark's
 * rules, which no library implements): ConfigHelpers.toBoolean/toNumber, JavaUtils
 * byteStringAs/timeStringAs, Utils.stringToSeq and ConfigBuilder.checkValues. */
#include "sparkconf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "path.h"
#include "quantity.h"
#include "sparkver.h"
#include "strbuf.h"
#include "suggest.h"
#include "templates.h"

struct conf_checker {
	const struct job *job;
	const char *version;            /* the Spark the job runs */
	const struct node *conf;        /* spec.spark_conf */
	struct diag_src *src;
	const struct spark_vendor *vendor;      /* the image's vendor, or NULL: Apache Spark */
	bool registry_line;             /* the registry holds the version's release line */
	size_t errors;
	char named[96];                 /* spark_named's text */
};

static void report(struct conf_checker *c, enum severity sev, const struct node *at, const char *rule,
		   const char *path, const char *hint, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void report(struct conf_checker *c, enum severity sev, const struct node *at, const char *rule,
		   const char *path, const char *hint, const char *fmt, ...)
{
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	c->errors += sev == SEV_ERROR;
	diag_node(c->src, at, sev, rule, path, hint, "%s", message);
}

/* ---- the registry ------------------------------------------------------------- */

/* The first of key's rows, or NULL. */
static const struct spark_key *first_row(const char *key)
{
	size_t lo = 0, hi = spark_keys_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(key, spark_keys[mid].key) <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < spark_keys_count && !strcmp(spark_keys[lo].key, key) ? &spark_keys[lo] : NULL;
}

/* A release line as "%u.%u" reads it, for a version and the registry's lines: digits,
 * a dot, digits. By hand: this runs for every line of every key a job sets, and sscanf
 * cost a fifth of a compile. */
static void line_numbers(const char *s, unsigned *major, unsigned *minor)
{
	*major = *minor = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		*major = *major * 10 + (unsigned)(*s - '0');
	if (*s++ == '.')
		for (; *s >= '0' && *s <= '9'; s++)
			*minor = *minor * 10 + (unsigned)(*s - '0');
}

/* Whether release a's line (major.minor) is after b's. */
static bool line_after(const char *a, const char *b)
{
	unsigned am, an, bm, bn;
	line_numbers(a, &am, &an);
	line_numbers(b, &bm, &bn);
	return am != bm ? am > bm : an > bn;
}

/* The next entry of a row's lines ("3.4:3.4.2 3.5 4.0"): its line and the first release
 * of it that reads the key; false at the end. */
static bool next_entry(const char **p, char *line, char *first)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return false;
	size_t n = strcspn(*p, " :");
	text_copy(line, 8, *p, n);
	*p += n;
	if (**p == ':') {
		size_t m = strcspn(++*p, " ");
		text_copy(first, 16, *p, m);
		*p += m;
	} else {
		n = strlen(line);
		memcpy(first, line, n);
		memcpy(first + n, ".0", 3);
	}
	return true;
}

/* The registry's line of a version (its major.minor), or false when the registry holds
 * no such line: a release it read no source of (2.3, a future 4.3) or that never was (3.6). */
static bool find_line_of(const char *version, char *line)
{
	unsigned a, b;
	line_numbers(version, &a, &b);
	for (const char *p = spark_lines; *p;) {
		size_t n = strcspn(p, " ");
		unsigned major, minor;
		line_numbers(p, &major, &minor);
		if (major == a && minor == b) {
			text_copy(line, 8, p, n);
			return true;
		}
		p += n + (p[n] == ' ');
	}
	return false;
}

/* find_line_of, kept for the last version asked about: every key of a job asks about
 * the same one. */
static bool line_of(const char *version, char *line)
{
	static char seen[32], seen_line[8];
	static bool seen_found, known;
	bool keep = strlen(version) < sizeof seen;
	if (!known || !keep || strcmp(version, seen)) {
		seen_found = find_line_of(version, seen_line);
		known = keep;
		if (keep)
			strcpy(seen, version);
	}
	memcpy(line, seen_line, sizeof seen_line);
	return seen_found;
}

bool spark_line_known(const char *version)
{
	char line[8];
	return line_of(version, line);
}

/* Whether version's line is one of a space-separated list of lines. */
static bool line_listed(const char *list, const char *version)
{
	char line[8];
	if (!line_of(version, line))
		return false;
	size_t n = strlen(line);
	for (const char *p = list; *p;) {
		size_t m = strcspn(p, " ");
		if (m == n && !strncmp(p, line, n))
			return true;
		p += m + (p[m] == ' ');
	}
	return false;
}

void spark_place(const char *key, const char *version, struct spark_placement *out)
{
	memset(out, 0, sizeof *out);
	const struct spark_key *k = first_row(key);
	char want[8], line[8], first[16], last_line[8] = "";
	if (!line_of(version, want))
		return;
	for (; k && k < spark_keys + spark_keys_count && !strcmp(k->key, key); k++)
		for (const char *p = k->lines; next_entry(&p, line, first);) {
			if (!strcmp(line, want)) {
				/* In the line from the release that got the key ('b': a backport
				 * whose patch release nothing dates). */
				if (version_compare(first, version) > 0) {
					snprintf(out->since, sizeof out->since, "%s", first);
					out->since_unsure = strchr(k->flags, 'b') != NULL;
				} else {
					out->row = k;
				}
				return;
			}
			if (line_after(line, want)) {
				snprintf(out->since, sizeof out->since, "%s", first);
				out->since_unsure = strchr(k->flags, 'u') != NULL;
				return;
			}
			memcpy(last_line, line, sizeof last_line);
		}
	if (!*last_line)
		return;
	/* Gone: the line after the last one that read it. */
	for (const char *p = spark_lines; *p;) {
		size_t n = strcspn(p, " ");
		text_copy(line, sizeof line, p, n);
		if (line_after(line, last_line)) {
			snprintf(out->gone, sizeof out->gone, "%s.0", line);
			return;
		}
		p += n + (p[n] == ' ');
	}
}

const struct spark_key *spark_key_for(const char *key, const char *version)
{
	struct spark_placement pl;
	spark_place(key, version, &pl);
	return pl.row;
}

/* '*' matches one non-empty dot-free name, '**' a non-empty rest of the key. */
static bool pattern_match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (p[0] == '*' && p[1] == '*')
			return *s != '\0';
		if (*p == '*') {
			size_t n = strcspn(s, ".");
			if (!n)
				return false;
			s += n - 1;
		} else if (*p != *s) {
			return false;
		}
	}
	return *s == '\0';
}

/* pattern_match ignoring case; out gets the key as the pattern spells it, the names
 * the wildcards match kept as written (spark.Hadoop.fs.x -> spark.hadoop.fs.x). */
static bool pattern_match_case(const char *p, const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (; *p && o + 1 < len; p++, s++) {
		if (p[0] == '*' && p[1] == '*') {
			if (!*s)
				return false;
			snprintf(out + o, len - o, "%s", s);
			return strlen(s) < len - o;
		}
		if (*p == '*') {
			size_t n = strcspn(s, ".");
			if (!n || o + n >= len)
				return false;
			memcpy(out + o, s, n);
			o += n;
			s += n - 1;
		} else if (*p != *s && ((*p | 0x20) != (*s | 0x20) || (unsigned)((*p | 0x20) - 'a') >= 26)) {
			return false;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return !*p && *s == '\0';
}

const struct spark_template *spark_template_find(const char *key)
{
	for (size_t i = 0; i < spark_templates_count; i++)
		if (pattern_match(spark_templates[i].pattern, key))
			return &spark_templates[i];
	return NULL;
}

static const struct spark_namespace *namespace_of(const char *key)
{
	for (size_t i = 0; i < spark_namespaces_count; i++)
		if (!strncmp(key, spark_namespaces[i].prefix, strlen(spark_namespaces[i].prefix)))
			return &spark_namespaces[i];
	return NULL;
}

/* The table entry whose prefix the key starts with, or NULL. */
static const struct spark_third_party *prefixed(const struct spark_third_party *t, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(key, t[i].prefix, strlen(t[i].prefix)))
			return &t[i];
	return NULL;
}

/* Whether key starts with one of a comma-separated list of prefixes. */
static bool in_prefixes(const char *list, const char *key)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		if (n && !strncmp(key, p, n))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

const struct spark_vendor *spark_vendor_of(const char *image)
{
	if (!image)
		return NULL;
	/* The repository path: before the tag or digest (a ':' after the last '/'). */
	size_t end = strcspn(image, "@"), slash = 0;
	for (size_t i = 0; i < end; i++)
		if (image[i] == '/')
			slash = i;
	const char *colon = memchr(image + slash, ':', end - slash);
	if (colon)
		end = (size_t)(colon - image);
	/* the answer for the last repository asked about: a run's jobs mostly share one */
	static char seen[128];
	static size_t seen_len = SIZE_MAX;
	static const struct spark_vendor *seen_vendor;
	if (end == seen_len && !memcmp(image, seen, end))
		return seen_vendor;
	const struct spark_vendor *vendor = NULL;
	for (size_t i = 0; i < spark_vendors_count && !vendor; i++) {
		size_t m = strlen(spark_vendors[i].image);
		for (size_t j = 0; j + m <= end && !vendor; j++)
			if (!strncasecmp(image + j, spark_vendors[i].image, m))
				vendor = &spark_vendors[i];
	}
	if (end < sizeof seen) {
		memcpy(seen, image, end);
		seen_len = end;
		seen_vendor = vendor;
	}
	return vendor;
}

/* The known key a mistyped one most likely means, among the keys the job's Spark reads
 * and that are no deprecated names: the same key in other case, else the nearest within
 * two edits, else the key with a misplaced "kubernetes." segment. */
static bool suggestable(const char *key, const char *version)
{
	const struct spark_key *k = spark_key_for(key, version);
	return k && !*k->deprecated && !strchr(k->flags, 'r') && !strchr(k->flags, 'u');
}

static const struct spark_key *near_key(const char *key, const char *version, bool *case_only)
{
	*case_only = false;
	size_t n = strlen(key);
	for (size_t i = 0; i < spark_keys_count; i++)
		if (spark_keys[i].len == n && !strcasecmp(key, spark_keys[i].key) && suggestable(spark_keys[i].key, version)) {
			*case_only = true;
			return &spark_keys[i];
		}
	const struct spark_key *best = NULL;
	size_t best_d = 3;
	if (n >= 12)
		for (size_t i = 0; i < spark_keys_count; i++) {
			/* a key of another length by more than the edits left is no nearer; a row
			 * of the same key as the one before was weighed with it */
			size_t len = spark_keys[i].len;
			if ((len > n ? len - n : n - len) >= best_d ||
			    (i && len == spark_keys[i - 1].len && !strcmp(spark_keys[i].key, spark_keys[i - 1].key)))
				continue;
			size_t d = edit_distance_within(key, n, spark_keys[i].key, len, best_d - 1);
			if (d < best_d && suggestable(spark_keys[i].key, version)) {
				best_d = d;
				best = &spark_keys[i];
			}
		}
	if (!best && !strncmp(key, "spark.kubernetes.", 17)) {
		char alt[256];
		snprintf(alt, sizeof alt, "spark.%s", key + 17);
		best = suggestable(alt, version) ? first_row(alt) : NULL;
	}
	return best;
}

/* ---- Spark's value parsing ------------------------------------------------------ */

/* Java's String.trim: every character up to U+0020 at either end. */
static void java_trim(const char *s, char *out, size_t len)
{
	while (*s && (unsigned char)*s <= ' ')
		s++;
	size_t n = strlen(s);
	while (n && (unsigned char)s[n - 1] <= ' ')
		n--;
	if (n >= len)
		n = len - 1;
	memmove(out, s, n);     /* out may be s itself */
	out[n] = '\0';
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Integer.parseInt / Long.parseLong: an optional sign and decimal digits, in range. */
static bool java_integer(const char *s, long long min, long long max)
{
	const char *d = s + (*s == '+' || *s == '-');
	if (!*d || strspn(d, "0123456789") != strlen(d))
		return false;
	errno = 0;
	long long v = strtoll(s, NULL, 10);
	return !errno && v >= min && v <= max;
}

/* Double.parseDouble: a decimal or hex float with an optional f/d suffix, or NaN and
 * [+-]Infinity spelled so. C's strtod also takes "inf", "nan" and "infinity" in any case,
 * which Java does not. */
static bool java_double(const char *s, double *out)
{
	const char *d = s + (*s == '+' || *s == '-');
	if (!strcmp(s, "NaN") || !strcmp(d, "Infinity")) {
		*out = *s == 'N' ? NAN : *s == '-' ? -HUGE_VAL : HUGE_VAL;
		return true;
	}
	if (!*d || strpbrk(d, "nNiI"))
		return false;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	size_t n = strlen(buf);
	/* A float-type suffix; in a hex float (0x...) only after its p exponent. */
	bool hex = d[0] == '0' && (d[1] == 'x' || d[1] == 'X');
	if (n > 1 && strchr("fFdD", buf[n - 1]) && (!hex || strpbrk(buf, "pP")))
		buf[n - 1] = '\0';
	char *end;
	*out = strtod(buf, &end);       /* out of range: +-HUGE_VAL, Java's +-Infinity */
	return end != buf && !*end;
}

bool spark_double(const char *text, double *out)
{
	char s[256];
	java_trim(text, s, sizeof s);
	return java_double(s, out);
}

/* JavaUtils.byteStringAs and timeStringAs: "([0-9]+)([a-z]+)?" after lower-casing and
 * trimming, with a suffix from the list. A value with a space, a fraction or another
 * suffix fails, with Spark's own words. */
static bool spark_unit_value(const char *text, bool bytes, char *why, size_t len)
{
	static const char *const byte_suffixes[] = {"b", "k", "kb", "m", "mb", "g", "gb",
						    "t", "tb", "p", "pb", NULL};
	static const char *const time_suffixes[] = {"us", "ms", "s", "m", "min", "h", "d", NULL};
	char s[128];
	/* ConfigHelpers.byteFromString takes a leading '-' off before JavaUtils sees it. */
	java_trim(bytes && text[0] == '-' ? text + 1 : text, s, sizeof s);
	lower(s);
	const char *p = s + (!bytes && *s == '-');
	size_t digits = strspn(p, "0123456789");
	const char *suffix = p + digits;
	bool letters = *suffix && strspn(suffix, "abcdefghijklmnopqrstuvwxyz") == strlen(suffix);
	if (digits && (!*suffix || letters)) {
		if (digits > 18) {
			snprintf(why, len, "'%s' is too large a number", text);
			return false;
		}
		if (!*suffix)
			return true;
		for (const char *const *x = bytes ? byte_suffixes : time_suffixes; *x; x++)
			if (!strcmp(suffix, *x))
				return true;
		snprintf(why, len, "'%s': invalid suffix \"%s\"", text, suffix);
		return false;
	}
	if (bytes && digits && *suffix == '.' && strspn(suffix + 1, "0123456789")) {
		snprintf(why, len, "'%s': fractional values are not supported", text);
		return false;
	}
	snprintf(why, len, bytes ? "'%s' is not a size: Spark takes bytes (b), kibibytes (k), mebibytes (m), "
				   "gibibytes (g), tebibytes (t) or pebibytes (p), e.g. 50b, 100k or 250m"
				 : "'%s' is not a time: Spark takes microseconds (us), milliseconds (ms), seconds (s), "
				   "minutes (m or min), hours (h) or days (d), e.g. 50s, 100ms or 250us",
		 text);
	return false;
}

/* Whether one value (an element of a list key) is among the allowed values. */
static bool allowed(const struct spark_key *k, const char *v)
{
	bool any_case = strchr(k->flags, 'c') != NULL;
	size_t n = strlen(v);
	for (const char *p = k->values; *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && (any_case ? !strncasecmp(p, v, n) : !strncmp(p, v, n)))
			return true;
		p += m + (p[m] == ',');
	}
	return false;
}

/* A value Spark fails to read: why, or NULL when it reads it. */
static bool value_ok(const struct spark_key *k, const char *text, char *why, size_t len)
{
	char s[256];
	java_trim(text, s, sizeof s);
	const char *t = k->type;
	if (!strcmp(t, "bool")) {
		if (strcasecmp(s, "true") && strcasecmp(s, "false")) {
			snprintf(why, len, "'%s' is not a boolean", text);
			return false;
		}
	} else if (!strcmp(t, "int") || !strcmp(t, "long")) {
		bool is_int = !strcmp(t, "int");
		if (!java_integer(s, is_int ? -2147483648LL : -9223372036854775807LL - 1,
				  is_int ? 2147483647LL : 9223372036854775807LL)) {
			snprintf(why, len, "'%s' is not %s", text,
				 is_int ? "an integer (Spark reads it as a 32-bit int)" : "a whole number");
			return false;
		}
	} else if (!strcmp(t, "double")) {
		double d;
		if (!java_double(s, &d)) {
			snprintf(why, len, "'%s' is not a number", text);
			return false;
		}
	} else if (!strcmp(t, "bytes") || !strcmp(t, "time")) {
		if (!spark_unit_value(text, !strcmp(t, "bytes"), why, len))
			return false;
	}
	if (!*k->values)
		return true;
	if (!strchr(k->flags, 'l')) {
		if (allowed(k, s))
			return true;
		snprintf(why, len, "'%s' is not one of %s", text, k->values);
		return false;
	}
	/* Utils.stringToSeq: split at commas, trim each, drop the empty ones. */
	for (const char *p = s; *p;) {
		size_t m = strcspn(p, ",");
		char item[128];
		snprintf(item, sizeof item, "%.*s", (int)m, p);
		java_trim(item, item, sizeof item);
		if (*item && !allowed(k, item)) {
			snprintf(why, len, "'%s' in '%s' is not one of %s", item, text, k->values);
			return false;
		}
		p += m + (p[m] == ',');
	}
	return true;
}

/* ---- the keys ------------------------------------------------------------------- */

/* What a key takes, in words, from its registry entry. */
void spark_key_type_hint(const struct spark_key *k, char *buf, size_t len)
{
	static const struct {
		const char *unit, *name;
	} units[] = {{"b", "bytes"}, {"k", "KiB"}, {"m", "MiB"}, {"g", "GiB"}, {"t", "TiB"}, {"p", "PiB"},
		     {"us", "microseconds"}, {"ms", "milliseconds"}, {"s", "seconds"}, {"min", "minutes"},
		     {"h", "hours"}, {"d", "days"}};
	const char *unit = k->unit;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcmp(unit, units[i].unit))
			unit = units[i].name;
	buf[0] = '\0';
	if (*k->values)
		return;         /* the message lists them */
	if (!strcmp(k->type, "bytes"))
		snprintf(buf, len, "a size such as 64m or 1g; a bare number is in %s", unit);
	else if (!strcmp(k->type, "time"))
		snprintf(buf, len, "a time such as 30s or 500ms; a bare number is in %s", unit);
	else if (!strcmp(k->type, "bool"))
		snprintf(buf, len, "true or false");
	else if (!strcmp(k->type, "int") || !strcmp(k->type, "long"))
		snprintf(buf, len, "a whole number");
	else if (!strcmp(k->type, "double"))
		snprintf(buf, len, "a number such as 0.5");
}

/* The Spark a message names: "Spark 3.5.1", or "Spark 3.2.3 (assumed: set spark_version)"
 * when nobody gave one (neither the document nor its image tag). */
static const char *spark_named(struct conf_checker *c)
{
	if (c->job->spark_version_from == SPARK_VERSION_DEFAULT)
		snprintf(c->named, sizeof c->named, "Spark %s (assumed: set %s)", c->version,
			 c->job->fields->spark_version_name);
	else
		snprintf(c->named, sizeof c->named, "Spark %s", c->version);
	return c->named;
}

/* A key the registry does not have, unless a templated prefix takes it: reported with
 * the nearest key, or when the registry covers its namespace for c->version. A vendor's
 * Spark reads keys the registry cannot know: there only near misses are reported. */
static void check_unknown(struct conf_checker *c, const struct node *kn, const char *key, const char *path)
{
	char hint[512];
	if (spark_template_find(key) || templates_known_conf(c->job->templates, key))
		return;         /* templated, or a team's own key (.sparkc.yaml) */
	bool case_only;
	const struct spark_key *near = near_key(key, c->version, &case_only);
	const struct spark_namespace *ns = namespace_of(key);
	char exact[256] = "";
	/* Spark's prefixes are case-sensitive too: spark.Hadoop.* is ignored. */
	for (size_t i = 0; !case_only && i < spark_templates_count && !*exact; i++)
		if (!pattern_match_case(spark_templates[i].pattern, key, exact, sizeof exact))
			exact[0] = '\0';
	if (*exact) {
		did_you_mean(hint, sizeof hint, exact, false);
		report(c, SEV_WARNING, kn, "conf-unknown", path, hint,
		       "'%s' is not a Spark key (keys are case-sensitive); Spark ignores unknown keys", key);
	} else if (near) {
		did_you_mean(hint, sizeof hint, near->key, false);
		report(c, SEV_WARNING, kn, "conf-unknown", path, hint,
		       case_only ? "'%s' is not a Spark key (keys are case-sensitive); Spark ignores unknown keys"
		       : "'%s' is not a Spark key; Spark ignores unknown keys",
		       key);
	} else if (ns && line_listed(ns->lines_read, c->version) && !c->vendor &&
		   !prefixed(spark_third_parties, spark_third_parties_count, key)) {
		/* Only a line whose own source was read for the namespace can judge its
		 * keys (spark.kubernetes.: not 4.1 and 4.2; spark.sql.: not 3.4 and 4.0):
		 * elsewhere only near misses are reported. */
		report(c, SEV_WARNING, kn, "conf-unknown", path,
		       "check the key against Spark's configuration documentation",
		       c->job->spark_version_from == SPARK_VERSION_DEFAULT
			       ? "'%s' is not a key of %s; Spark ignores unknown keys"
			       : "'%s' is not a %s key; Spark ignores unknown keys",
		       key, spark_named(c));
	}
}

/* A key another cluster manager reads (YARN's, Mesos', the standalone master's): real,
 * and of no effect on Kubernetes. Unknown ones get the nearest key of that manager. */
static void check_cluster_manager(struct conf_checker *c, const struct node *kn, const char *key, const char *path,
				  const struct spark_third_party *cm, bool known)
{
	char hint[320] = "";
	bool case_only;
	const struct spark_key *near = known ? NULL : near_key(key, c->version, &case_only);
	if (near && !strncmp(near->key, cm->prefix, strlen(cm->prefix)))
		did_you_mean(hint, sizeof hint, near->key, false);
	else
		snprintf(hint, sizeof hint, "remove it: Spark on Kubernetes does not read %s* keys", cm->prefix);
	report(c, SEV_WARNING, kn, "conf-cluster-manager", path, hint,
	       known ? "'%s' is a key of %s: it has no effect on Kubernetes"
		     : "'%s' is under %s, a prefix of %s: it has no effect on Kubernetes",
	       key, known ? cm->owner : cm->prefix, cm->owner);
}

/* A key Spark c->version reads only at one value (SQLConf.removedSQLConfigs), or no more. */
static void check_removed(struct conf_checker *c, const struct node *kn, const struct node *v,
			  const struct spark_key *k, const char *path)
{
	const char *key = kn->text;
	const char *note = *k->removed_note ? k->removed_note : "remove it";
	/* SQLConf.requireDefaultValueOfRemovedConf, run for every SparkConf entry by
	 * SQLConf.mergeSparkConf when the session starts: a value other than the accepted
	 * one (compared as written, case and all) throws. */
	bool accepted = node_is_scalar(v) && !strcmp(v->text, k->default_value);
	if (!accepted)
		report(c, SEV_ERROR, v ? v : kn, "conf-removed", path, note,
		       "'%s' was removed in Spark %s, which refuses it at any value but '%s'", key, k->removed,
		       k->default_value);
	else
		report(c, SEV_WARNING, kn, "conf-removed", path, note, "'%s' was removed in Spark %s", key, k->removed);
}

/* Whether a cluster manager's key is, in this release, an old name of a key Spark reads
 * on every cluster manager (SparkConf.configsWithAlternatives: spark.yarn.executor.memoryOverhead
 * -> spark.executor.memoryOverhead from 2.3, spark.yarn.keytab -> spark.kerberos.keytab from
 * 3.0, spark.yarn.max.executor.failures -> spark.executor.maxNumFailures from 3.5): then it
 * has an effect on Kubernetes, and is the deprecated name of that key. */
static bool read_as_own_key(const struct spark_key *row)
{
	const char *to = row ? row->deprecated_note : "";
	return row && *row->deprecated && !strncmp(to, "spark.", 6) && !strchr(to, ' ') &&
	       !prefixed(spark_cluster_managers, spark_cluster_managers_count, to);
}

/* Whether some release reads the key so (its rows from first on). */
static bool ever_read_as_own_key(const struct spark_key *first)
{
	for (const struct spark_key *k = first; k && k < spark_keys + spark_keys_count && !strcmp(k->key, first->key);
	     k++)
		if (read_as_own_key(k))
			return true;
	return false;
}

/* What check_key asks the registry of a key set for a Spark version: the cluster
 * manager whose prefix it has, its first row, and where it stands for that version. */
struct key_facts {
	const struct spark_third_party *cluster_manager;
	const struct spark_key *any;
	struct spark_placement pl;
};

static void find_facts(const char *key, const char *version, struct key_facts *out)
{
	out->cluster_manager = prefixed(spark_cluster_managers, spark_cluster_managers_count, key);
	out->any = first_row(key);
	spark_place(key, version, &out->pl);
}

/* find_facts for every key of every job: the same few keys and versions again and
 * again, so kept by the key's interned text (node.h) and the version. */
static const struct key_facts *facts_of(const char *key, const char *version, struct key_facts *buf)
{
	static struct {
		const char *key;        /* an interned text, or NULL */
		char version[16];
		struct key_facts facts;
	} kept[256];
	unsigned atom = node_text_atom(key);
	size_t vlen = strlen(version);
	if (!atom || vlen >= sizeof kept->version) {
		find_facts(key, version, buf);
		return buf;
	}
	uint32_t h = atom * 2654435761u;
	for (size_t k = 0; k < vlen; k++)
		h = (h ^ (unsigned char)version[k]) * 16777619u;
	size_t i = h >> 24;
	if (kept[i].key != key || strcmp(kept[i].version, version)) {
		find_facts(key, version, &kept[i].facts);
		kept[i].key = key;
		memcpy(kept[i].version, version, vlen + 1);
	}
	return &kept[i].facts;
}

static void check_key(struct conf_checker *c, const struct node *kn, const struct node *v)
{
	const char *key = kn->text;
	char hint[512], why[512];
	struct path pb;
	const char *path = path_of(&pb, c->job->fields->conf, key, NULL);
	if (c->vendor && in_prefixes(c->vendor->prefixes, key))
		return;         /* the vendor's own key (its documentation: c->vendor->source) */
	struct key_facts buf;
	const struct key_facts *facts = facts_of(key, c->version, &buf);
	const struct spark_third_party *cm = facts->cluster_manager;
	const struct spark_key *any = facts->any;
	if (cm && !read_as_own_key(facts->pl.row)) {
		/* For a release the registry does not place the key in, an old name of a key of
		 * every cluster manager may be either: no claim. */
		if (!facts->pl.row && ever_read_as_own_key(any))
			return;
		check_cluster_manager(c, kn, key, path, cm, any != NULL || spark_template_find(key));
		return;
	}
	if (!c->registry_line)
		return;         /* a Spark whose source the registry did not read: no claim */
	if (!any) {
		check_unknown(c, kn, key, path);
		return;
	}
	struct spark_placement pl = facts->pl;
	const struct spark_key *k = pl.row;
	if (!k && spark_template_find(key))
		return;         /* read through its template (TransportConf's spark.rpc.io.*) */
	if (!k && *pl.since && pl.since_unsure) {
		/* The release that added it is one the sources around it leave undated. */
		snprintf(hint, sizeof hint, "remove it, or set a later %s", c->job->fields->spark_version_name);
		report(c, SEV_WARNING, kn, "conf-too-new", path, hint, "'%s' is not read by %s: a later release added it",
		       key, spark_named(c));
		return;
	}
	if (!k && *pl.since) {
		snprintf(hint, sizeof hint, "set %s to %s or later, or remove it", c->job->fields->spark_version_name,
			 pl.since);
		report(c, SEV_WARNING, kn, "conf-too-new", path, hint, "'%s' was added in Spark %s: %s ignores it",
		       key, pl.since, spark_named(c));
		return;
	}
	if (!k) {
		report(c, SEV_WARNING, kn, "conf-removed", path, "remove it",
		       "'%s' is not in %s (gone by %s): Spark ignores it", key, spark_named(c), pl.gone);
		return;
	}
	if (strchr(k->flags, 'u'))
		return;         /* the sources disagree for this release: no claim */
	if (strchr(k->flags, 'r')) {
		check_removed(c, kn, v, k, path);
		return;
	}
	if (*k->deprecated) {
		bool is_key = !strncmp(k->deprecated_note, "spark.", 6) && !strchr(k->deprecated_note, ' ');
		bool names_keys = !strncmp(k->deprecated_note, "spark.", 6);
		snprintf(hint, sizeof hint, "%s%s", names_keys ? "use " : "", k->deprecated_note);
		report(c, SEV_WARNING, kn, "conf-deprecated", path, *k->deprecated_note ? hint : NULL,
		       "'%s' is deprecated since Spark %s%s%s", key, k->deprecated,
		       is_key ? "; it is read as " : "", is_key ? k->deprecated_note : "");
		if (!*k->since && !*k->default_value && !strcmp(k->type, "string"))
			return;         /* a name in a deprecation table only: nothing to parse */
	}
	/* check.c parses these with sparkc's memory notation (they size the pods). */
	static const char *const sized[] = {
		"spark.driver.memoryOverhead", "spark.executor.memoryOverhead", "spark.driver.minMemoryOverhead",
		"spark.executor.minMemoryOverhead", "spark.executor.pyspark.memory", "spark.memory.offHeap.size",
		"spark.kubernetes.memoryOverheadFactor", "spark.driver.memoryOverheadFactor",
		"spark.executor.memoryOverheadFactor"};
	for (size_t i = 0; i < sizeof sized / sizeof *sized; i++)
		if (!strcmp(key, sized[i]))
			return;
	/* Spark parses a value when it reads the key: SQL's entries when the session starts
	 * (SQLConf.mergeSparkConf -> setConfString -> entry.valueConverter), the others where
	 * the code that uses them runs (ConfigEntry.readFrom), for a feature the job never
	 * turns on perhaps never: "at start" would not always be true. */
	if (node_is_scalar(v) && !value_ok(k, v->text, why, sizeof why)) {
		spark_key_type_hint(k, hint, sizeof hint);
		report(c, SEV_ERROR, v, "conf-value", path, *hint ? hint : NULL, "%s; Spark fails when it reads the key",
		       why);
	}
}

/* ---- resources ------------------------------------------------------------------ */

static const struct node *conf_node(const struct conf_checker *c, const char *key)
{
	const struct node *v = node_get(c->conf, key);
	return node_is_scalar(v) ? v : NULL;
}

static bool conf_true(const struct conf_checker *c, const char *key)
{
	const struct node *v = conf_node(c, key);
	char s[16];
	if (!v)
		return false;
	java_trim(v->text, s, sizeof s);
	return !strcasecmp(s, "true");
}

/* A long sparkConf value as SparkConf.getLong reads it (trimmed), or -1. */
static long long conf_long(const struct conf_checker *c, const char *key)
{
	const struct node *v = conf_node(c, key);
	char s[32];
	if (!v)
		return -1;
	java_trim(v->text, s, sizeof s);
	return java_integer(s, 0, 9223372036854775807LL) ? strtoll(s, NULL, 10) : -1;
}

/* UnifiedMemoryManager.getMaxMemory (the same from 2.4 to 4.1):
 *   reservedMemory = conf.getLong("spark.testing.reservedMemory",
 *                                 if (conf.contains("spark.testing")) 0 else 300 MiB)
 *   minSystemMemory = (reservedMemory * 1.5).ceil
 * and Spark stops at start when the system memory (spark.testing.memory, else the heap)
 * or spark.executor.memory is below it: "System memory ... must be at least 471859200"
 * (INVALID_DRIVER_MEMORY), "Executor memory ... must be at least ..." (INVALID_EXECUTOR_MEMORY). */
static void check_heap(struct conf_checker *c, enum role r)
{
	const struct node *mem = c->job->role[r].memory;
	const struct memory *heap = &c->job->role[r].heap;
	long long reserved = conf_long(c, "spark.testing.reservedMemory");
	const char *why = "the 300 MiB it reserves";
	if (reserved >= 0)
		why = "spark.testing.reservedMemory";
	else if (conf_node(c, "spark.testing") || node_get(c->conf, "spark.testing"))
		reserved = 0, why = "spark.testing";
	else if (!conf_node(c, "spark.testing.reservedMemory"))
		reserved = 300 * MIB;
	else
		return;         /* a value Spark cannot read: conf-value says so */
	/* ceil(1.5 x reserved) in whole numbers; Spark's double saturates at Long.MaxValue */
	long long minimum = reserved > 6148914691236517204LL ? 9223372036854775807LL : reserved + (reserved + 1) / 2;
	long long system = r == ROLE_DRIVER ? conf_long(c, "spark.testing.memory") : -1;
	if (!heap->ok || heap->bytes < MIB || (system < 0 ? heap->bytes : system) >= minimum)
		return;         /* below 1 MiB check.c reports it */
	char hint[96], floor[48];
	if (minimum % MIB)
		snprintf(floor, sizeof floor, "%lld bytes", minimum);
	else
		snprintf(floor, sizeof floor, "%lld MiB", minimum / MIB);
	snprintf(hint, sizeof hint, "give it at least %lldm", (minimum + MIB - 1) / MIB);
	report(c, SEV_ERROR, mem, "heap-too-small", c->job->fields->memory[r], hint,
	       "the %s's heap of %s is below Spark's minimum of %s (1.5 x %s): it stops at start",
	       role_names[r], heap->jvm, floor, why);
}

/* spark.task.cpus as TaskSchedulerImpl reads it (a whole number of at least 1), or 0. */
static long long task_cpus(const struct conf_checker *c)
{
	const struct node *v = conf_node(c, "spark.task.cpus");
	char s[32];
	if (!v)
		return 1;
	java_trim(v->text, s, sizeof s);
	return java_integer(s, 1, 2147483647LL) ? atoll(s) : 0;
}

/* From 3.0, SparkContext (checkResourcesPerTask; 3.1 on ResourceUtils.
 * validateTaskCpusLargeEnough) stops on Kubernetes: "The number of cores per executor (=N)
 * has to be >= ...". Spark 2.4 checks nothing: TaskSchedulerImpl offers an executor only
 * when its free cores reach spark.task.cpus, so no task is ever scheduled; nor does 3.0
 * under spark.testing.skipValidateCores (3.0.1 checkResourcesPerTask: shouldCheckExecCores
 * &= !SKIP_VALIDATE_CORES_TESTING), which from 3.1 ResourceProfile no longer heeds. */
static void check_task_cpus(struct conf_checker *c)
{
	const struct node *v = conf_node(c, "spark.task.cpus");
	long long task = task_cpus(c), cores = c->job->role[ROLE_EXECUTOR].cores;
	bool checked = version_compare(c->version, "3.0") >= 0 &&
		       (version_compare(c->version, "3.1") >= 0 || !conf_true(c, "spark.testing.skipValidateCores"));
	if (v && task > cores) {
		char hint[96];
		struct path pb;
		snprintf(hint, sizeof hint, "set %s to %lld or more, or lower spark.task.cpus",
			 c->job->fields->cores_name[ROLE_EXECUTOR], task);
		report(c, SEV_ERROR, v, "task-cpus", path_of(&pb, c->job->fields->conf, "spark.task.cpus", NULL), hint,
		       !checked
			       ? "spark.task.cpus (%lld) is above the executor's cores (%lld): no task fits, %s never "
				 "schedules one"
			       : "spark.task.cpus (%lld) is above the executor's cores (%lld): no task fits, %s stops at "
				 "start",
		       task, cores, spark_named(c));
	}
}

/* GPUs: Spark schedules tasks on spark.executor.resource.gpu.amount GPUs per executor and
 * finds them with its discovery script; the pod gets what its limit says. Spark on
 * Kubernetes adds a limit itself only with spark.executor.resource.gpu.vendor
 * (BasicExecutorFeatureStep: "Resource: gpu was requested, but vendor was not
 * specified."); an executor finding fewer GPUs than the amount stops (ResourceUtils:
 * "... is less than what the user requested"); a task amount above the executor's
 * stops the application (ResourceProfile: "... needs to be >= the task resource request
 * amount"). */
static void check_gpu(struct conf_checker *c)
{
	const struct role_resources *rr = &c->job->role[ROLE_EXECUTOR];
	const struct node *amount = conf_node(c, "spark.executor.resource.gpu.amount");
	const struct node *task = conf_node(c, "spark.task.resource.gpu.amount");
	const struct node *vendor = conf_node(c, "spark.executor.resource.gpu.vendor");
	const struct job_fields *f = c->job->fields;
	struct path pe, pt;
	const char *exec_path = path_of(&pe, f->conf, "spark.executor.resource.gpu.amount", NULL);
	const char *task_path = path_of(&pt, f->conf, "spark.task.resource.gpu.amount", NULL);
	char *end;
	long long limit = -1;
	if (version_compare(c->version, "3.0") < 0)
		return;         /* no resource scheduling before Spark 3.0: the registry says so */
	if (rr->gpu_types > 1)
		return;         /* check.c reports the second GPU type */
	if (rr->gpu && node_is_scalar(rr->gpu->value) && rr->gpu->value->kind == N_INT)
		limit = rr->gpu->value->num;
	long long exec = -1;
	if (amount) {
		exec = strtoll(amount->text, &end, 10);
		if (end == amount->text || *end || exec < 0) {
			report(c, SEV_ERROR, amount, "gpu", exec_path, NULL,
			       "'%s' is not a whole number of GPUs", amount->text);
			return;
		}
	}
	if (exec > 0 && !vendor)
		;       /* check_resource_vendors */
	else if (exec > 0 && limit >= 0 && exec > limit)
		report(c, SEV_ERROR, amount, "gpu", exec_path, NULL,
		       "Spark expects %lld GPUs per executor but the pod's limit %s gives %lld: executors stop at start",
		       exec, rr->gpu->key->text, limit);
	else if (exec >= 0 && limit > exec)
		report(c, SEV_WARNING, amount, "gpu", exec_path, NULL,
		       "the pod's limit %s gives %lld GPUs but Spark schedules tasks on %lld", rr->gpu->key->text, limit,
		       exec);
	else if (!amount && limit > 0) {
		char hint[160];
		snprintf(hint, sizeof hint, "set spark.executor.resource.gpu.amount, its .vendor and "
			 "spark.task.resource.gpu.amount in %s", f->conf_name);
		report(c, SEV_WARNING, rr->gpu->key, "gpu", f->gpu[ROLE_EXECUTOR], hint,
		       "the executor pod gets %lld GPU%s but Spark schedules no task on %s", limit,
		       limit == 1 ? "" : "s", limit == 1 ? "it" : "them");
	}
	if (task) {
		double t = strtod(task->text, &end);
		if (end == task->text || *end || t <= 0)
			report(c, SEV_ERROR, task, "gpu", task_path, NULL,
			       "'%s' is not a GPU amount above 0", task->text);
		else if (exec < 0)
			report(c, SEV_ERROR, task, "gpu", task_path,
			       "set spark.executor.resource.gpu.amount",
			       "tasks ask for GPUs but executors have none configured: Spark stops at start");
		else if (t > (double)exec)
			report(c, SEV_ERROR, task, "gpu", task_path, NULL,
			       "a task asks for %s GPUs, more than an executor's %lld: Spark stops at start", task->text,
			       exec);
	}
}

/* Spark on Kubernetes turns spark.{driver,executor}.resource.<name>.amount into a pod
 * limit <vendor>/<name>, and KubernetesUtils.buildResourcesQuantities throws for an
 * amount without its .vendor ("Resource: gpu was requested, but vendor was not
 * specified."), whatever limit the pod has: for the driver in spark-submit
 * (BasicDriverFeatureStep), for an executor in the driver, each time
 * ExecutorPodsAllocator builds one (BasicExecutorFeatureStep; the snapshot store logs
 * the error and tries again), so no executor ever starts. */
static void check_resource_vendors(struct conf_checker *c)
{
	if (version_compare(c->version, "3.0") < 0)
		return;         /* no resource scheduling before Spark 3.0: the registry says so */
	for (size_t i = 0; c->conf && c->conf->kind == N_MAP && i < c->conf->n; i++) {
		const struct node *k = c->conf->pairs[i].key;
		size_t len = strlen(k->text);
		const char *role = !strncmp(k->text, "spark.driver.resource.", 22) ? "driver"
				   : !strncmp(k->text, "spark.executor.resource.", 24) ? "executor" : NULL;
		if (!role || len < 8 || strcmp(k->text + len - 7, ".amount"))
			continue;
		const char *name = k->text + strlen(role) + 16;        /* after spark.<role>.resource. */
		int name_len = (int)(len - 7 - (size_t)(name - k->text));
		char vendor[256];
		snprintf(vendor, sizeof vendor, "spark.%s.resource.%.*s.vendor", role, name_len, name);
		const struct node *v = c->conf->pairs[i].value;
		if (name_len <= 0 || conf_node(c, vendor) || !node_is_scalar(v) || !strcmp(v->text, "0"))
			continue;
		char hint[320];
		snprintf(hint, sizeof hint, "set %s beside it (e.g. nvidia.com for a GPU)", vendor);
		struct path pb;
		report(c, SEV_ERROR, v, "gpu", path_of(&pb, c->job->fields->conf, k->text, NULL), hint,
		       "Spark on Kubernetes takes a resource amount only with its vendor: without %s, %s "
		       "(\"Resource: %.*s was requested, but vendor was not specified.\")",
		       vendor, *role == 'd' ? "spark-submit stops" : "the driver builds no executor pod and no executor starts",
		       name_len, name);
	}
}

/* An executor runs spark.executor.cores tasks at a time, whatever CPU its pod requests. */
static void check_executor_cores(struct conf_checker *c)
{
	const struct role_resources *rr = &c->job->role[ROLE_EXECUTOR];
	double req = rr->cpu_request_m;
	if (!rr->cpu_request_given || !rr->cpu_request_ok)
		return;
	long long cores = c->job->role[ROLE_EXECUTOR].cores, per_task = task_cpus(c);
	if (req < (double)(cores + 1) * 1000 || !per_task || per_task > cores)
		return;         /* headroom below one more task's CPU is the JVM's own; task-cpus
				   reports a spark.task.cpus no executor fits */
	char hint[128], why[96];
	const char *name = c->job->fields->cores_name[ROLE_EXECUTOR];
	long long tasks = cores / per_task;     /* TaskSchedulerImpl: cores / CPUS_PER_TASK slots */
	snprintf(hint, sizeof hint, "set %s to %lld to use them", name, (long long)(req / 1000));
	if (per_task > 1)
		snprintf(why, sizeof why, "%s: %lld, spark.task.cpus: %lld", name, cores, per_task);
	else
		snprintf(why, sizeof why, "%s: %lld", name, cores);
	report(c, SEV_WARNING, rr->cpu_request, "executor-cores", c->job->fields->cpu_request[ROLE_EXECUTOR], hint,
	       "the executor requests %s CPU but runs %lld task%s at a time (%s)", rr->cpu_request->text, tasks,
	       tasks == 1 ? "" : "s", why);
}

/* ExecutorAllocationManager.validateSettings: dynamic allocation needs an external
 * shuffle service, shuffle tracking, shuffle-block decommissioning or a shuffle plugin
 * with reliable storage, else SparkContext stops. Kubernetes has no external shuffle
 * service. spec.dynamic_allocation is safe: the operator turns shuffle tracking on with
 * it. Set in spark_conf alone, tracking is Spark's default: on from 3.4.0
 * (DYN_ALLOCATION_SHUFFLE_TRACKING_ENABLED: false in 3.3's package.scala, true in 3.5's;
 * the core migration guide, 3.3 to 3.4: "Spark driver will track shuffle data when
 * dynamic allocation is enabled without shuffle service"). Spark 2.4 has no shuffle
 * tracking (3.0.0): its validateSettings requires spark.shuffle.service.enabled ("Dynamic
 * allocation of executors requires the external shuffle service"), and with it on, the
 * executors fail to register with a service Kubernetes does not run. Every release skips
 * the requirement under spark.dynamicAllocation.testing (2.4.5 and 3.3.1
 * validateSettings: `!testing`). */
static void check_dynamic_allocation(struct conf_checker *c)
{
	const struct job_fields *f = c->job->fields;
	const struct node *da_on = node_get(c->job->dynamic_allocation, "enabled");
	bool spec_on = da_on && da_on->kind == N_BOOL && da_on->num;
	struct path pb;
	char hint[160];
	bool testing = conf_true(c, "spark.dynamicAllocation.testing");
	if (version_compare(c->version, "3.0") < 0 && (spec_on || conf_true(c, "spark.dynamicAllocation.enabled")) &&
	    !(testing && !conf_true(c, "spark.shuffle.service.enabled"))) {
		snprintf(hint, sizeof hint, "use an image of Spark 3.0 or later, or a fixed number of executors (%s)",
			 f->instances_name);
		/* With the service on, validateSettings passes and each executor's
		 * BlockManager.registerWithExternalShuffleServer fails instead. */
		report(c, SEV_ERROR, spec_on ? da_on : conf_node(c, "spark.dynamicAllocation.enabled"),
		       "dynamic-allocation",
		       spec_on ? path_of(&pb, f->dynamic_allocation, "enabled", NULL)
			       : path_of(&pb, f->conf, "spark.dynamicAllocation.enabled", NULL),
		       hint,
		       conf_true(c, "spark.shuffle.service.enabled")
			       ? "%s has no shuffle tracking and Kubernetes no external shuffle service: its executors "
				 "fail to register with the service and stop"
			       : "%s has no shuffle tracking and Kubernetes no external shuffle service: it refuses dynamic "
				 "allocation and stops at start",
		       spark_named(c));
		return;
	}
	if (spec_on || !conf_true(c, "spark.dynamicAllocation.enabled"))
		return;
	bool tracking = conf_node(c, "spark.dynamicAllocation.shuffleTracking.enabled")
				? conf_true(c, "spark.dynamicAllocation.shuffleTracking.enabled")
				: version_compare(c->version, "3.4.0") >= 0;
	if (tracking || testing || conf_true(c, "spark.shuffle.service.enabled") ||
	    (conf_true(c, "spark.decommission.enabled") &&
	     conf_true(c, "spark.storage.decommission.shuffleBlocks.enabled")) ||
	    conf_node(c, "spark.shuffle.sort.io.plugin.class"))
		return;
	snprintf(hint, sizeof hint, "use %s, or set spark.dynamicAllocation.shuffleTracking.enabled: true",
		 f->dynamic_allocation);
	report(c, SEV_ERROR, conf_node(c, "spark.dynamicAllocation.enabled"), "dynamic-allocation",
	       path_of(&pb, f->conf, "spark.dynamicAllocation.enabled", NULL), hint,
	       "%s refuses dynamic allocation without shuffle tracking or a shuffle service "
	       "(Kubernetes has none): it stops at start", spark_named(c));
}

size_t check_spark_configuration(const struct job *job, struct diag_src *src)
{
	struct conf_checker c = {.job = job, .version = job->spark_version_effective, .src = src,
				 .conf = job->conf, .vendor = spark_vendor_of(job->image)};
	c.registry_line = spark_line_known(c.version);
	/* A null value is not set (a manifest's is dropped by the API server, schema.c). */
	for (size_t i = 0; c.conf && c.conf->kind == N_MAP && i < c.conf->n; i++)
		if (c.conf->pairs[i].value->kind != N_NULL)
			check_key(&c, c.conf->pairs[i].key, c.conf->pairs[i].value);
	check_heap(&c, ROLE_DRIVER);
	check_heap(&c, ROLE_EXECUTOR);
	check_task_cpus(&c);
	check_gpu(&c);
	check_resource_vendors(&c);
	check_executor_cores(&c);
	check_dynamic_allocation(&c);
	return c.errors;
}
