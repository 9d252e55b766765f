/* quantity.c - see quantity.h. */
#include "quantity.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"

static const struct {
	const char *suffix;
	int shift;              /* power of two of the unit */
} jvm_units[] = {
	{"b", 0}, {"k", 10}, {"kb", 10}, {"m", 20}, {"mb", 20}, {"g", 30}, {"gb", 30},
	{"t", 40}, {"tb", 40}, {"p", 50}, {"pb", 50},
};
static const struct {
	const char *k8s, *jvm;
	int shift;
} binary_units[] = {
	{"Ki", "k", 10}, {"Mi", "m", 20}, {"Gi", "g", 30}, {"Ti", "t", 40}, {"Pi", "p", 50},
};

/* Spark reads only a whole number and a unit: a fraction (1.5g; the hint offers the
 * next smaller unit, 1536m) or an exponent (5e8) is an error, said in out; true then. */
static bool written_as_decimal(const char *text, const char *suffix, struct memory *out)
{
	char *why = out->why, *hint = out->hint;
	size_t why_len = sizeof out->why, hint_len = sizeof out->hint;
	if (*suffix == '.') {
		char *end;
		double v = strtod(text, &end);
		snprintf(why, why_len, "'%s' has a fraction; Spark reads only whole numbers", text);
		for (size_t i = 0; i < sizeof binary_units / sizeof *binary_units; i++) {
			if (strcasecmp(end, binary_units[i].jvm) && strcasecmp(end, binary_units[i].k8s))
				continue;
			if (i > 0)
				snprintf(hint, hint_len, "write %.0f%s", v * 1024, binary_units[i - 1].jvm);
		}
		if (!hint[0])
			snprintf(hint, hint_len, "write a whole number with a smaller unit: 1536m, not 1.5g");
		return true;
	}
	if (*suffix == 'e' || *suffix == 'E') {
		const char *exp = suffix + 1 + (suffix[1] == '-' || suffix[1] == '+');
		if (suffix[1] && strspn(exp, "0123456789") == strlen(exp)) {
			snprintf(why, why_len, "'%s' is written with an exponent; Spark reads only a whole number and a unit",
				 text);
			snprintf(hint, hint_len, "write 512m or 2g");
			return true;
		}
	}
	return false;
}

bool memory_parse(const char *text, long long bare_unit, struct memory *out)
{
	memset(out, 0, sizeof *out);
	char *why = out->why, *hint = out->hint;
	size_t why_len = sizeof out->why, hint_len = sizeof out->hint;
	size_t digits = strspn(text, "0123456789");
	const char *suffix = text + digits;
	if (digits == 0) {
		snprintf(why, why_len, "'%s' is not a memory size", text);
		snprintf(hint, hint_len, "write a whole number with a unit: 512m, 2g");
		return false;
	}
	if (digits > 15) {
		snprintf(why, why_len, "'%s' is too large", text);
		return false;
	}
	long long n = strtoll(text, NULL, 10);
	if (written_as_decimal(text, suffix, out))
		return false;
	int shift = -1;
	const char *jvm_suffix = NULL;
	if (!*suffix) {
		shift = -2;     /* bare number */
	}
	for (size_t i = 0; shift == -1 && i < sizeof jvm_units / sizeof *jvm_units; i++)
		if (!strcasecmp(suffix, jvm_units[i].suffix))
			shift = jvm_units[i].shift;
	for (size_t i = 0; shift == -1 && i < sizeof binary_units / sizeof *binary_units; i++) {
		if (!strcmp(suffix, binary_units[i].k8s)) {
			shift = binary_units[i].shift;
			jvm_suffix = binary_units[i].jvm;
		}
	}
	if (shift == -1) {
		snprintf(why, why_len, "'%s' has an unknown unit '%s'", text, suffix);
		snprintf(hint, hint_len, "units are k, m, g, t (or kb, mb, gb; Ki, Mi, Gi): 512m, 2g");
		return false;
	}
	long long mult = shift == -2 ? bare_unit : 1LL << shift;
	if (n > 0 && mult > (1LL << 62) / n) {
		snprintf(why, why_len, "'%s' is too large", text);
		return false;
	}
	out->bytes = n * mult;
	out->kubernetes_unit = jvm_suffix != NULL;
	if (jvm_suffix || (shift == -2 && bare_unit == MIB)) {
		size_t len = decimal_text(out->jvm, n);         /* at most 15 digits */
		text_join(out->jvm + len, sizeof out->jvm - len, jvm_suffix ? jvm_suffix : "m", NULL);
	} else {
		text_join(out->jvm, sizeof out->jvm, text, NULL);
	}
	return out->ok = true;
}

/* resource.Quantity: sign, digits with an optional fraction, then a binary suffix
 * (Ki..Ei), a decimal one (n u m k M G T P E) or an exponent. */
bool cpu_parse(const char *text, double *millicores)
{
	const char *p = text;
	if (*p == '+' || *p == '-')
		p++;
	size_t int_digits = strspn(p, "0123456789");
	p += int_digits;
	size_t frac_digits = 0;
	if (*p == '.') {
		p++;
		frac_digits = strspn(p, "0123456789");
		p += frac_digits;
	}
	if (int_digits + frac_digits == 0)
		return false;
	double v = 0;
	if (p == text + int_digits && int_digits <= 15 && *p != 'e' && *p != 'E' && *p != 'x' && *p != 'X' &&
	    *p != ',') {
		/* digits alone, where strtod would stop too: fifteen are exact in a double, so
		 * this is its value, at a tenth of its cost (every job's cpus pass here) */
		for (const char *d = text; d < p; d++)
			v = v * 10 + (*d - '0');
	} else {
		char *end;
		errno = 0;
		v = strtod(text, &end);
		/* strtod reads a decimal exponent too (1e3), which Kubernetes takes as a suffix
		 * (apimachinery resource/quantity.go, parseQuantityString): checked after them */
		if (errno || (end != p && *p != 'e' && *p != 'E'))
			return false;
	}
	static const struct {
		const char *s;
		double m;
	} sfx[] = {{"", 1}, {"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6},
		   {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18}, {"Ki", 1024.0},
		   {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
		   {"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0}};
	for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
		if (!strcmp(p, sfx[i].s)) {
			*millicores = v * sfx[i].m * 1000;
			return true;
		}
	}
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (*q && strspn(q, "0123456789") == strlen(q)) {
			*millicores = strtod(text, NULL) * 1000;
			return true;
		}
	}
	return false;
}

void format_mib(long long mib, char *buf, size_t len)
{
	snprintf(buf, len, "%lld MiB", mib);
}
