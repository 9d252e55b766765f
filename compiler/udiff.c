/* udiff.c - see udiff.h.
 *
 * Written here because sparkc links no library but its YAML parser, and no Debian
 * library offers a unified diff of two buffers short of libgit2. Myers' O(ND)
 * algorithm over lines; the manifests compared are small and their changes few, and
 * past a bound on the edit distance (hostile sizes) the diff replaces the whole text,
 * which is still a correct diff. */
#include "udiff.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "escape.h"

#define CONTEXT 3
#define MAX_TRACE (1 << 24)     /* ints of search trace, 64 MiB */

struct lines {
	const char **p;         /* each line with its newline, if any */
	size_t *n;
	size_t count;
};

static void split(struct lines *l, const char *s, size_t len)
{
	size_t cap = 16;
	l->p = xmalloc(cap * sizeof *l->p);
	l->n = xmalloc(cap * sizeof *l->n);
	l->count = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) + 1 : len - i;
		if (l->count == cap) {
			cap *= 2;
			l->p = xrealloc(l->p, cap * sizeof *l->p);
			l->n = xrealloc(l->n, cap * sizeof *l->n);
		}
		l->p[l->count] = s + i;
		l->n[l->count++] = n;
		i += n;
	}
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->n[i] == b->n[j] && !memcmp(a->p[i], b->p[j], a->n[i]);
}

/* The edit script as ops: ' ' keep, '-' delete, '+' insert, in order. */
static char *edit_script(const struct lines *a, const struct lines *b, size_t *nops)
{
	long n = (long)a->count, m = (long)b->count, max = n + m, width = 2 * max + 1;
	char *ops = xmalloc((size_t)(n + m) + 1);
	long limit = MAX_TRACE / width, rows = 0;
	int *trace = NULL;      /* row d: the furthest x on each diagonal after d edits */
	long d, found = -1;
	for (d = 0; d <= max && d <= limit && found < 0; d++) {
		if (d == rows) {
			rows = rows ? 2 * rows : 8;
			trace = xrealloc(trace, (size_t)rows * (size_t)width * sizeof *trace);
		}
		int *cur = trace + d * width, *prev = d ? trace + (d - 1) * width : trace;
		for (long k = -d; k <= d; k += 2) {
			long x = d == 0 ? 0
				 : (k == -d || (k != d && prev[max + k - 1] < prev[max + k + 1]))
					 ? prev[max + k + 1] : prev[max + k - 1] + 1;
			long y = x - k;
			while (x < n && y < m && same(a, (size_t)x, b, (size_t)y))
				x++, y++;
			cur[max + k] = (int)x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
	}
	size_t k_ops = 0;
	if (found < 0) {        /* too far apart: delete everything, insert everything */
		memset(ops, '-', (size_t)n);
		memset(ops + n, '+', (size_t)m);
		k_ops = (size_t)(n + m);
	} else {
		/* walk back from (n, m), writing the ops from the end */
		size_t at = (size_t)(n + m);
		long x = n, y = m;
		for (d = found; d > 0; d--) {
			int *prev = trace + (d - 1) * width;
			long k = x - y;
			bool down = k == -d || (k != d && prev[max + k - 1] < prev[max + k + 1]);
			long pk = down ? k + 1 : k - 1, px = prev[max + pk], py = px - pk;
			long sx = down ? px : px + 1;   /* where the snake started */
			while (x > sx)
				ops[--at] = ' ', x--, y--;
			ops[--at] = down ? '+' : '-';
			x = px, y = py;
		}
		while (x > 0)
			ops[--at] = ' ', x--, y--;
		k_ops = (size_t)(n + m) - at;
		memmove(ops, ops + at, k_ops);
	}
	free(trace);
	*nops = k_ops;
	return ops;
}

static void put_line(FILE *out, char tag, const char *p, size_t n, bool color)
{
	const char *on = !color ? "" : tag == '-' ? "\033[31m" : tag == '+' ? "\033[32m" : "";
	fputs(on, out);
	putc(tag, out);
	bool nl = n && p[n - 1] == '\n';
	fwrite(p, 1, nl ? n - 1 : n, out);
	fputs(color && *on ? "\033[m\n" : "\n", out);
	if (!nl)
		fputs("\\ No newline at end of file\n", out);
}

static void range(FILE *out, char sign, size_t start, size_t count)
{
	/* diff -u: an empty range names the line before it; ",1" is left out */
	fprintf(out, "%c%zu", sign, count ? start + 1 : start);
	if (count != 1)
		fprintf(out, ",%zu", count);
}

void udiff_write(FILE *out, const char *old_name, const char *old, size_t old_len,
		 const char *new_name, const char *new, size_t new_len, bool color)
{
	if (old_len == new_len && (!old_len || !memcmp(old, new, old_len)))
		return;
	struct lines a, b;
	split(&a, old, old_len);
	split(&b, new, new_len);
	size_t nops;
	char *ops = edit_script(&a, &b, &nops);
	/* the names, from the index too, with their control characters escaped */
	struct strbuf names = {0};
	escape_text(&names, old_name, strlen(old_name));
	size_t old_end = names.len;
	escape_text(&names, new_name, strlen(new_name));
	fprintf(out, "%s--- %.*s\n+++ %.*s%s\n", color ? "\033[1m" : "", (int)old_end, names.p,
		(int)(names.len - old_end), names.p + old_end, color ? "\033[m" : "");
	free(names.p);
	/* position of op i in each text */
	size_t *ai = xmalloc((nops + 1) * sizeof *ai), *bi = xmalloc((nops + 1) * sizeof *bi);
	ai[0] = bi[0] = 0;
	for (size_t i = 0; i < nops; i++) {
		ai[i + 1] = ai[i] + (ops[i] != '+');
		bi[i + 1] = bi[i] + (ops[i] != '-');
	}
	for (size_t i = 0; i < nops;) {
		if (ops[i] == ' ') {
			i++;
			continue;
		}
		/* a hunk: from CONTEXT lines before this change to CONTEXT after the last
		 * change that is no more than 2 * CONTEXT unchanged lines from the next */
		size_t start = i > CONTEXT ? i - CONTEXT : 0, end = i;
		for (size_t j = i, keep = 0; j < nops; j++) {
			keep = ops[j] == ' ' ? keep + 1 : 0;
			if (ops[j] != ' ')
				end = j + 1;
			if (keep > 2 * CONTEXT)
				break;
		}
		end = end + CONTEXT < nops ? end + CONTEXT : nops;
		fputs(color ? "\033[36m@@ " : "@@ ", out);
		range(out, '-', ai[start], ai[end] - ai[start]);
		putc(' ', out);
		range(out, '+', bi[start], bi[end] - bi[start]);
		fputs(color ? " @@\033[m\n" : " @@\n", out);
		for (size_t j = start; j < end; j++) {
			if (ops[j] == '+')
				put_line(out, '+', b.p[bi[j]], b.n[bi[j]], color);
			else
				put_line(out, ops[j], a.p[ai[j]], a.n[ai[j]], color);
		}
		i = end;
	}
	free(ai);
	free(bi);
	free(ops);
	free(a.p);
	free(a.n);
	free(b.p);
	free(b.n);
}
