/* strbuf.c - see strbuf.h. */
#include "strbuf.h"

#include <stdarg.h>
#include <string.h>

#include "arena.h"

/* Doubles past what is needed, so that n appends cost O(n) copies in all. */
void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (!n)
		return;         /* b->p may still be NULL */
	memcpy(strbuf_room(b, n), s, n);
	b->len += n;
}

char *strbuf_room(struct strbuf *b, size_t n)
{
	if (b->cap - b->len < n)
		b->p = xrealloc(b->p, b->cap = (b->len + n) * 2);
	return b->p + b->len;
}

void strbuf_str(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

size_t decimal_text(char *buf, long long v)
{
	char digits[DECIMAL_MAX], *end = digits + sizeof digits, *p = end;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(end - p));
	return (size_t)(end - p);
}

char *text_join(char *buf, size_t size, const char *s, ...)
{
	size_t len = 0;
	va_list ap;
	va_start(ap, s);
	for (; s; s = va_arg(ap, const char *)) {
		size_t n = strlen(s);
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(buf + len, s, n);
		len += n;
	}
	va_end(ap);
	buf[len] = '\0';
	return buf;
}

void text_copy(char *buf, size_t size, const char *s, size_t n)
{
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}
