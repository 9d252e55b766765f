/* subst.c - see subst.h. */
#include "subst.h"

#include <string.h>

#include "arena.h"

static const struct subst_var *find(const struct subst_var *vars, size_t nvars, const char *name, size_t len)
{
	for (size_t i = 0; i < nvars; i++)
		if (len && vars[i].name[0] == name[0] && strlen(vars[i].name) == len && !memcmp(vars[i].name, name, len))
			return &vars[i];
	return NULL;
}

size_t subst_vars_into(char *buf, size_t cap, const char *text, size_t len, const struct subst_var *vars,
		       size_t nvars)
{
	size_t n = 0;
	for (const char *p = text, *end = text + len; p < end;) {
		const char *close = p + 1 < end && p[0] == '$' && p[1] == '{' ? memchr(p, '}', (size_t)(end - p)) : NULL;
		const struct subst_var *var = close ? find(vars, nvars, p + 2, (size_t)(close - p - 2)) : NULL;
		/* a variable's value, else the text up to the next '$' (at least one byte) */
		const char *next = var ? NULL : memchr(p + 1, '$', (size_t)(end - p - 1));
		const char *value = var ? (var->value ? var->value : "") : p;
		size_t add = var ? strlen(value) : (size_t)((next ? next : end) - p);
		if (n + add < cap)
			memcpy(buf + n, value, add);
		n += add;
		p = var ? close + 1 : p + add;
	}
	if (n < cap)
		buf[n] = '\0';
	return n;
}

char *subst_vars(const char *text, size_t len, const struct subst_var *vars, size_t nvars, size_t *out_len)
{
	size_t cap = len + 256;
	char *buf = xmalloc(cap);
	*out_len = subst_vars_into(buf, cap, text, len, vars, nvars);
	if (*out_len >= cap) {
		buf = xrealloc(buf, *out_len + 1);
		subst_vars_into(buf, *out_len + 1, text, len, vars, nvars);
	}
	return buf;
}
