/* jobnames.c - see jobnames.h.
 *
 * Each job costs 16 bytes: a 64-bit hash of namespace and name, and its position
 * (file index, line, column packed into 64 bits); names are not kept, so a run's
 * memory stays nearly flat in the number of jobs. The array lives in its own mapping,
 * grown with mremap and sorted in place (heapsort), so that growing and sorting it
 * never holds a second copy (realloc and glibc's qsort would). Two different pairs with one 64-bit hash would be taken for a duplicate:
 * about one chance in 10^9 in a run of 100,000 jobs.
 *
 * mremap is Linux's: elsewhere (macOS), and in a build that asks for POSIX alone,
 * the array is grown with realloc, which may copy it. */
#if defined(__linux__) && !defined(_POSIX_C_SOURCE)
#define _GNU_SOURCE     /* mremap */
#endif
#include "jobnames.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "arena.h"

#define LINE_BITS 28
#define COL_BITS 16
#define FILE_BITS (64 - LINE_BITS - COL_BITS)

struct seen {
	uint64_t hash;
	uint64_t where;         /* file index, line, column: ascending in the order seen */
};

struct jobnames {
	struct seen *v;
	size_t n, cap;
	const char **files;     /* file names, by index */
	size_t nfiles;
};

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;   /* a separator no name holds */
}

static uint64_t clamp(long v, int bits)
{
	uint64_t max = (1ULL << bits) - 1;
	return v < 0 ? 0 : (uint64_t)v > max ? max : (uint64_t)v;
}

struct jobnames *jobnames_new(void)
{
	struct jobnames *set = xmalloc(sizeof *set);
	*set = (struct jobnames){0};
	return set;
}

void jobnames_add(struct jobnames *set, const char *ns, const char *name, struct job_origin at)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 4096;
#ifdef MREMAP_MAYMOVE
		void *v = set->cap ? mremap(set->v, set->cap * sizeof *set->v, cap * sizeof *set->v, MREMAP_MAYMOVE)
				   : mmap(NULL, cap * sizeof *set->v, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (v == MAP_FAILED) {
			fputs("sparkc: out of memory\n", stderr);
			exit(2);        /* as every allocation does (arena.h) */
		}
#else
		void *v = xrealloc(set->v, cap * sizeof *set->v);
#endif
		set->v = v;
		set->cap = cap;
	}
	if (!set->nfiles || set->files[set->nfiles - 1] != at.file) {
		set->files = xrealloc(set->files, (set->nfiles + 1) * sizeof *set->files);
		set->files[set->nfiles++] = at.file;
	}
	set->v[set->n++] = (struct seen){
		.hash = fnv1a(fnv1a(0xcbf29ce484222325ULL, ns), name),
		.where = clamp((long)set->nfiles - 1, FILE_BITS) << (LINE_BITS + COL_BITS) |
			 clamp(at.line, LINE_BITS) << COL_BITS | clamp(at.col, COL_BITS),
	};
}

static int by_hash_then_where(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->where < y->where ? -1 : x->where > y->where;
}

static int by_where(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	return x->where < y->where ? -1 : x->where > y->where;
}

static void sift_down(struct seen *v, size_t i, size_t n, int (*cmp)(const void *, const void *))
{
	for (size_t child; (child = 2 * i + 1) < n; i = child) {
		if (child + 1 < n && cmp(&v[child], &v[child + 1]) < 0)
			child++;
		if (cmp(&v[i], &v[child]) >= 0)
			return;
		struct seen t = v[i];
		v[i] = v[child];
		v[child] = t;
	}
}

static void heapsort_seen(struct seen *v, size_t n, int (*cmp)(const void *, const void *))
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n, cmp);
	for (size_t end = n; end-- > 1;) {
		struct seen t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end, cmp);
	}
}

static struct job_origin origin(const struct jobnames *set, uint64_t where)
{
	return (struct job_origin){
		.file = set->files[where >> (LINE_BITS + COL_BITS)],
		.line = (int)((where >> COL_BITS) & ((1ULL << LINE_BITS) - 1)),
		.col = (int)(where & ((1ULL << COL_BITS) - 1)),
	};
}

size_t jobnames_duplicates(struct jobnames *set,
			   void (*fn)(const struct job_origin *again, const struct job_origin *first, void *arg),
			   void *arg)
{
	heapsort_seen(set->v, set->n, by_hash_then_where);
	/* keep the repeats, each paired (in .hash, no longer needed) with its first; the
	 * first is kept aside, as the repeats are written over the entries read */
	size_t k = 0;
	uint64_t first_hash = set->n ? set->v[0].hash : 0, first_where = set->n ? set->v[0].where : 0;
	for (size_t i = 1; i < set->n; i++) {
		if (set->v[i].hash != first_hash) {
			first_hash = set->v[i].hash;
			first_where = set->v[i].where;
		} else {
			set->v[k++] = (struct seen){.hash = first_where, .where = set->v[i].where};
		}
	}
	heapsort_seen(set->v, k, by_where);
	for (size_t i = 0; i < k; i++) {
		struct job_origin again = origin(set, set->v[i].where), first = origin(set, set->v[i].hash);
		fn(&again, &first, arg);
	}
	set->n = 0;
	return k;
}

void jobnames_free(struct jobnames *set)
{
	if (!set)
		return;
#ifdef MREMAP_MAYMOVE
	if (set->cap)
		munmap(set->v, set->cap * sizeof *set->v);
#else
	free(set->v);
#endif
	free(set->files);
	free(set);
}
