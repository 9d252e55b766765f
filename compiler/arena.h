/* arena.h - bump allocation for everything one document needs.
 *
 * A document's input tree, output tree and strings all live in one arena that is
 * reset after the document is emitted, so memory stays flat however many documents
 * a run compiles. Allocation never fails: running out of memory ends the process
 * with exit 2 (see arena.c), which keeps every caller free of NULL checks. */
#ifndef SPARKC_ARENA_H
#define SPARKC_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* block being filled; older blocks follow it */
	size_t used;                /* bytes handed out, for the document size limit */
	unsigned char *free, *end;  /* what is left of head (NULL: nothing) */
};

void *arena_alloc(struct arena *a, size_t size);          /* zeroed, 16-aligned */
void *arena_alloc_block(struct arena *a, size_t size);    /* arena_alloc_raw's new block */

/* arena_alloc, not zeroed. Inline: a document's nodes and strings are a million
 * allocations a thousand jobs, nearly all from the block being filled. */
static inline void *arena_alloc_raw(struct arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (!a->free || (size_t)(a->end - a->free) < size)
		return arena_alloc_block(a, size);
	void *p = a->free;
	a->free += size;
	a->used += size;
	return p;
}
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The strings up to a NULL, joined: arena_printf's "%s%s..." without printf. */
char *arena_join(struct arena *a, const char *s, ...);
void arena_reset(struct arena *a);                        /* keep the first block */
void arena_free(struct arena *a);

/* Out-of-memory is not a condition sparkc can report usefully per document. */
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
