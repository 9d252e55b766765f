/* jobnames.c - see jobnames.h. A balanced tree from the C library (tsearch: a
 * red-black tree in glibc) holds the pairs. */
#define _GNU_SOURCE     /* tdestroy */
#include "jobnames.h"

#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct seen_job {
	struct job_origin origin;
	const char *name;       /* in key, after the namespace's NUL */
	char key[];             /* namespace NUL name NUL */
};

struct jobnames {
	void *root;
};

static int by_key(const void *a, const void *b)
{
	const struct seen_job *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->name, y->name);
}

struct jobnames *jobnames_new(void)
{
	struct jobnames *set = xmalloc(sizeof *set);
	set->root = NULL;
	return set;
}

const struct job_origin *jobnames_add(struct jobnames *set, const char *ns, const char *name,
				      struct job_origin origin)
{
	size_t nl = strlen(ns) + 1, ml = strlen(name) + 1;
	struct seen_job *e = xmalloc(sizeof *e + nl + ml);
	e->origin = origin;
	memcpy(e->key, ns, nl);
	memcpy(e->key + nl, name, ml);
	e->name = e->key + nl;
	struct seen_job **found = tsearch(e, &set->root, by_key);
	if (!found) {
		fputs("sparkc: out of memory\n", stderr);
		exit(2);        /* as every allocation does (arena.h) */
	}
	if (*found == e)
		return NULL;
	free(e);
	return &(*found)->origin;
}

void jobnames_free(struct jobnames *set)
{
	if (!set)
		return;
	tdestroy(set->root, free);
	free(set);
}
