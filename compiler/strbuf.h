/* strbuf.h - a growable byte buffer, for text built in pieces before it is written
 * whole (the stream of several results, the index and the kustomization of -o). */
#ifndef SPARKC_STRBUF_H
#define SPARKC_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p;                /* NULL until the first byte; not NUL-terminated */
	size_t len, cap;
};

/* Append n bytes of s. Never fails: out of memory ends the process (see arena.h). */
void strbuf_add(struct strbuf *b, const char *s, size_t n);
/* Make room for n more bytes (n > 0) and return where they go; the caller fills
 * them and adds n to len. */
char *strbuf_room(struct strbuf *b, size_t n);

/* The decimal text of v into buf (DECIMAL_MAX bytes, not NUL-terminated): its length.
 * What printf's %lld writes, without printf. */
#define DECIMAL_MAX 20
size_t decimal_text(char *buf, long long v);
/* Append the string s, without its NUL. */
void strbuf_str(struct strbuf *b, const char *s);

/* The strings up to a NULL, joined into buf (size > 0) and cut short as snprintf cuts:
 * what snprintf's "%s%s..." writes, for the paths and keys built for every job. */
char *text_join(char *buf, size_t size, const char *s, ...);
/* The first n bytes of s, cut short to size - 1 (size > 0), as a string in buf: what
 * snprintf's "%.*s" writes. */
void text_copy(char *buf, size_t size, const char *s, size_t n);

#endif
