/* arena.c - see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fputs("sparkc: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fputs("sparkc: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* size (a multiple of 16) does not fit in what is left of the head block. */
void *arena_alloc_block(struct arena *a, size_t size)
{
	size_t cap = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
	struct arena_block *b = xmalloc(sizeof *b + cap);
	b->size = cap;
	a->used += size;
	if (a->head && cap != BLOCK_SIZE) {
		/* A large allocation gets a block of its own behind the current one, so the
		 * current block keeps filling. */
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
		a->free = b->data + size;
		a->end = b->data + cap;
	}
	return b->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return memset(arena_alloc_raw(a, size), 0, size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc_raw(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *arena_join(struct arena *a, const char *s, ...)
{
	size_t len = 0;
	va_list ap;
	va_start(ap, s);
	for (const char *t = s; t; t = va_arg(ap, const char *))
		len += strlen(t);
	va_end(ap);
	char *p = arena_alloc_raw(a, len + 1), *at = p;
	va_start(ap, s);
	for (const char *t = s; t; t = va_arg(ap, const char *)) {
		size_t n = strlen(t);
		memcpy(at, t, n);
		at += n;
	}
	va_end(ap);
	*at = '\0';
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *keep = NULL;
	while (b) {
		struct arena_block *next = b->next;
		if (!keep && b->size == BLOCK_SIZE)
			keep = b;
		else
			free(b);
		b = next;
	}
	if (keep)
		keep->next = NULL;
	a->head = keep;
	a->used = 0;
	a->free = keep ? keep->data : NULL;
	a->end = keep ? keep->data + keep->size : NULL;
}

void arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
	a->free = a->end = NULL;
}
