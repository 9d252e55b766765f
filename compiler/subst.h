/* subst.h - ${name} variables in template text: the igz overlay's strings (lower.c)
 * and sparkc init's starter job (init.c) read them with one engine, so a variable is
 * written and replaced the same way in both. */
#ifndef SPARKC_SUBST_H
#define SPARKC_SUBST_H

#include <stddef.h>

struct subst_var {
	const char *name;
	const char *value;      /* NULL: replaced by nothing */
};

/* text[0..len) with each ${name} of vars replaced by its value. An unknown name, or a
 * "${" with no "}", stays as written. Returns a malloc'd, NUL-terminated string and its
 * length in *out_len. */
char *subst_vars(const char *text, size_t len, const struct subst_var *vars, size_t nvars, size_t *out_len);
/* The same into buf (cap bytes, NUL-terminated when it fits): returns the length of the
 * whole result, which is all in buf when it is less than cap. */
size_t subst_vars_into(char *buf, size_t cap, const char *text, size_t len, const struct subst_var *vars,
		       size_t nvars);

#endif
