/* path.h - the dotted path a diagnostic names (spec.driver_resources.requests.cpu,
 * spec.deps.jars[2]), built by appending keys and indexes so that every stage writes
 * paths the same way. Inline: the schema validator pushes one for every key of every
 * document, and this was its largest single cost as snprintf. A path too long for the
 * buffer is cut short. */
#ifndef SPARKC_PATH_H
#define SPARKC_PATH_H

#include <stdarg.h>
#include <string.h>

#include "strbuf.h"

struct path {
	char buf[1024];
	size_t len;
};

static inline void path_append(struct path *p, const char *s, size_t len)
{
	if (p->len + len >= sizeof p->buf)
		len = sizeof p->buf - 1 - p->len;
	memcpy(p->buf + p->len, s, len);
	p->len += len;
	p->buf[p->len] = '\0';
}

/* Appends ".key" ("key" on an empty path); returns the length to pop back to. */
static inline size_t path_push_key(struct path *p, const char *key)
{
	size_t saved = p->len;
	if (p->len)
		path_append(p, ".", 1);
	path_append(p, key, strlen(key));
	return saved;
}

/* Appends "[i]"; returns the length to pop back to. */
static inline size_t path_push_index(struct path *p, size_t i)
{
	size_t saved = p->len;
	char digits[DECIMAL_MAX + 2];
	size_t n = 0;
	digits[n++] = '[';
	n += decimal_text(digits + n, (long long)i);
	digits[n++] = ']';
	path_append(p, digits, n);
	return saved;
}

static inline void path_pop(struct path *p, size_t saved)
{
	p->len = saved;
	p->buf[saved] = '\0';
}

/* p set to its keys joined with '.', up to a NULL: path_of(&p, "spec", "deps", NULL).
 * Returns p's text. */
static inline const char *path_of(struct path *p, const char *key, ...)
{
	p->len = 0;
	p->buf[0] = '\0';
	va_list ap;
	va_start(ap, key);
	for (; key; key = va_arg(ap, const char *))
		path_push_key(p, key);
	va_end(ap);
	return p->buf;
}

#endif
