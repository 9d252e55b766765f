/* udiff.c - see udiff.h.
 *
 * Written here because sparkc links no library but its YAML parser, and no Debian
 * library offers a unified diff of two buffers short of libgit2. The method is GNU
 * diff's (diffutils' lib/diffseq.h, after E. Myers, "An O(ND) Difference Algorithm and
 * Its Variations", 1986, section 4b): lines are numbered by content (equal lines, equal
 * numbers), lines with no equal on the other side are marked changed at once, and the
 * rest is split at the middle snake of the shortest edit script, recursively, in space
 * linear in the number of lines. A file in DIR may be hostile (50 MB, a million equal
 * lines), so time and memory are bounded: a search that grows too expensive splits
 * where it got furthest (GNU diff's heuristic), past a total amount of work the rest is
 * marked changed, and texts whose lines would need more memory than a small multiple
 * of their size are diffed as a whole replacement. Every diff written is correct (patch
 * applies it); only the bounded ones may be longer than the shortest. */
#include "udiff.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "escape.h"

#define CONTEXT 3
#define WORK_LIMIT ((long)1 << 28)      /* diagonals and snake steps, all searches together */
#define LINE_COST 64                    /* bytes a line may take in the searches' tables */
#define MEMORY_SLACK ((size_t)64 << 20) /* what any text may use beyond 4 times its size */

struct text {
	const char *p;
	size_t len, n;          /* bytes, lines */
	uint32_t *id;           /* each line's number by content */
	char *changed;          /* each line: deleted (old) or inserted (new) */
};

static size_t count_lines(const char *p, size_t len)
{
	size_t n = 0;
	for (const char *end = p + len; p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return n;
}

/* ---- numbering lines by content ------------------------------------------------------ */

struct line_class {
	const char *p;
	uint32_t len, hash, count[2];   /* how many lines of each text have it */
};

static uint32_t hash_line(const char *p, size_t n)
{
	uint32_t h = 2166136261u;       /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

/* Number the lines of both texts, so that lines compare as integers. */
static void number_lines(struct text *t)
{
	size_t slots = 16;
	while (slots < 2 * (t[0].n + t[1].n))
		slots *= 2;
	uint32_t *table = xmalloc(slots * sizeof *table);  /* class + 1; 0 = empty */
	memset(table, 0, slots * sizeof *table);
	struct line_class *cls = xmalloc((t[0].n + t[1].n + 1) * sizeof *cls);
	uint32_t ncls = 0;
	for (int s = 0; s < 2; s++) {
		t[s].id = xmalloc((t[s].n + 1) * sizeof *t[s].id);
		const char *p = t[s].p, *end = t[s].p + t[s].len;
		for (size_t i = 0; i < t[s].n; i++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			uint32_t len = (uint32_t)(nl ? (size_t)(nl - p) + 1 : (size_t)(end - p)), h = hash_line(p, len);
			size_t at = h & (slots - 1);
			while (table[at] && !(cls[table[at] - 1].hash == h && cls[table[at] - 1].len == len &&
					      !memcmp(cls[table[at] - 1].p, p, len)))
				at = (at + 1) & (slots - 1);
			if (!table[at]) {
				cls[ncls] = (struct line_class){.p = p, .len = len, .hash = h};
				table[at] = ++ncls;
			}
			t[s].id[i] = table[at] - 1;
			cls[table[at] - 1].count[s]++;
			p += len;
		}
	}
	/* a line with no equal on the other side is changed whatever the rest does */
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < t[s].n; i++)
			t[s].changed[i] = cls[t[s].id[i]].count[!s] == 0;
	free(table);
	free(cls);
}

/* ---- the search ------------------------------------------------------------------------ */

struct search {
	const uint32_t *a, *b;  /* the lines not yet marked, by number ... */
	const uint32_t *amap, *bmap;    /* ... and where each is in its text */
	char *achanged, *bchanged;
	int32_t *fd, *bd;       /* furthest x on each diagonal, forward and backward */
	long too_expensive;     /* a search of more edits splits where it got furthest */
	long work;
};

static void mark(struct search *s, long xoff, long xlim, long yoff, long ylim)
{
	for (long x = xoff; x < xlim; x++)
		s->achanged[s->amap[x]] = 1;
	for (long y = yoff; y < ylim; y++)
		s->bchanged[s->bmap[y]] = 1;
}

/* The middle of a shortest edit script from a[xoff, xlim) to b[yoff, ylim), which
 * differ in their first and last lines, into (*xmid, *ymid): diffseq.h's diag. */
static void middle(struct search *s, long xoff, long xlim, long yoff, long ylim, long *xmid, long *ymid)
{
	int32_t *fd = s->fd, *bd = s->bd;
	const uint32_t *a = s->a, *b = s->b;
	long dmin = xoff - ylim, dmax = xlim - yoff, fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	bool odd = (fmid - bmid) & 1;
	fd[fmid] = (int32_t)xoff;
	bd[bmid] = (int32_t)xlim;
	for (long c = 1;; c++) {
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (long d = fmax; d >= fmin; d -= 2) {
			long lo = fd[d - 1], hi = fd[d + 1], x = lo >= hi ? lo + 1 : hi, y = x - d;
			while (x < xlim && y < ylim && a[x] == b[y])
				x++, y++;
			s->work += 1 + x - (lo >= hi ? lo + 1 : hi);
			fd[d] = (int32_t)x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*xmid = x, *ymid = y;
				return;
			}
		}
		if (bmin > dmin)
			bd[--bmin - 1] = INT32_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = INT32_MAX;
		else
			--bmax;
		for (long d = bmax; d >= bmin; d -= 2) {
			long lo = bd[d - 1], hi = bd[d + 1], x = lo < hi ? lo : hi - 1, y = x - d;
			while (x > xoff && y > yoff && a[x - 1] == b[y - 1])
				x--, y--;
			s->work += 1 + (lo < hi ? lo : hi - 1) - x;
			bd[d] = (int32_t)x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*xmid = x, *ymid = y;
				return;
			}
		}
		if (c < s->too_expensive && s->work < WORK_LIMIT)
			continue;
		/* too expensive: the forward point furthest along, or the backward one,
		 * whichever got further from its end */
		long fxy = -1, fx = xoff, bxy = LONG_MAX, bx = xlim;
		for (long d = fmax; d >= fmin; d -= 2) {
			long x = fd[d] < xlim ? fd[d] : xlim, y = x - d;
			if (y > ylim)
				x = ylim + d, y = ylim;
			if (x + y > fxy)
				fxy = x + y, fx = x;
		}
		for (long d = bmax; d >= bmin; d -= 2) {
			long x = bd[d] > xoff ? bd[d] : xoff, y = x - d;
			if (y < yoff)
				x = yoff + d, y = yoff;
			if (x + y < bxy)
				bxy = x + y, bx = x;
		}
		if ((xlim + ylim) - bxy < fxy - (xoff + yoff))
			*xmid = fx, *ymid = fxy - fx;
		else
			*xmid = bx, *ymid = bxy - bx;
		return;
	}
}

/* Mark what changes from a[xoff, xlim) to b[yoff, ylim). The smaller half is searched
 * by recursion, the larger in this loop, so that the stack stays logarithmic. */
static void compare(struct search *s, long xoff, long xlim, long yoff, long ylim)
{
	for (;;) {
		while (xoff < xlim && yoff < ylim && s->a[xoff] == s->b[yoff])
			xoff++, yoff++;
		while (xlim > xoff && ylim > yoff && s->a[xlim - 1] == s->b[ylim - 1])
			xlim--, ylim--;
		if (xoff == xlim || yoff == ylim || s->work >= WORK_LIMIT) {
			mark(s, xoff, xlim, yoff, ylim);
			return;
		}
		long xmid, ymid;
		middle(s, xoff, xlim, yoff, ylim, &xmid, &ymid);
		if ((xmid == xoff && ymid == yoff) || (xmid == xlim && ymid == ylim)) {
			mark(s, xoff, xlim, yoff, ylim);        /* no split: never loop */
			return;
		}
		if ((xmid - xoff) + (ymid - yoff) < (xlim - xmid) + (ylim - ymid)) {
			compare(s, xoff, xmid, yoff, ymid);
			xoff = xmid, yoff = ymid;
		} else {
			compare(s, xmid, xlim, ymid, ylim);
			xlim = xmid, ylim = ymid;
		}
	}
}

/* The lines not marked yet, of text t: their numbers and where they are. */
static size_t unmarked(const struct text *t, uint32_t **ids, uint32_t **map)
{
	*ids = xmalloc((t->n + 1) * sizeof **ids);
	*map = xmalloc((t->n + 1) * sizeof **map);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!t->changed[i]) {
			(*ids)[k] = t->id[i];
			(*map)[k++] = (uint32_t)i;
		}
	return k;
}

/* Mark each line of old and new that the diff deletes or inserts. */
static void mark_changes(struct text *t)
{
	number_lines(t);
	struct search s = {.achanged = t[0].changed, .bchanged = t[1].changed};
	uint32_t *a, *b, *amap, *bmap;
	size_t na = unmarked(&t[0], &a, &amap), nb = unmarked(&t[1], &b, &bmap);
	free(t[0].id);
	free(t[1].id);
	s.a = a, s.b = b, s.amap = amap, s.bmap = bmap;
	size_t diags = na + nb + 3;
	int32_t *v = xmalloc(2 * (2 * diags) * sizeof *v);
	s.fd = v + diags;               /* indexed by diagonal, -(nb + 1) .. na + 1 */
	s.bd = v + 3 * diags;
	s.too_expensive = 1;
	for (size_t d = diags; d; d >>= 2)
		s.too_expensive <<= 1;
	if (s.too_expensive < 4096)
		s.too_expensive = 4096;
	compare(&s, 0, (long)na, 0, (long)nb);
	free(v);
	free(a);
	free(b);
	free(amap);
	free(bmap);
}

/* ---- writing ---------------------------------------------------------------------------- */

/* The line's bytes, but its control characters escaped (escape.h) and bytes that are
 * not UTF-8 as \xHH: only a line of a file edited by hand has any (sparkc writes none),
 * so only such a line no longer applies as patch input; reviewing a diff must not drive
 * the reviewer's terminal. A tab stays, and a CR before the line end (a CRLF checkout's
 * file, which patch applies to as it is). */
static void put_bytes(FILE *out, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t plain = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c = u[i];
		size_t len = c >= 0x20 && c < 0x7F ? 1 : utf8_decode(u + i, n - i, &c);
		char buf[8];
		const char *esc = !len ? (snprintf(buf, sizeof buf, "\\x%02x", u[i]), buf)
			: c == '\t' || (c == '\r' && i + 1 == n) ? NULL : escape_control(c, buf);
		len += !len;
		if (esc) {
			fwrite(p + plain, 1, i - plain, out);
			fputs(esc, out);
			plain = i + len;
		}
		i += len;
	}
	fwrite(p + plain, 1, n - plain, out);
}

static void put_line(FILE *out, char tag, const char *p, size_t n, bool color)
{
	const char *on = !color ? "" : tag == '-' ? "\033[31m" : tag == '+' ? "\033[32m" : "";
	fputs(on, out);
	putc(tag, out);
	bool nl = n && p[n - 1] == '\n';
	put_bytes(out, p, nl ? n - 1 : n);
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

/* A reader of a text's lines, front to back. */
struct cursor {
	const char *p, *end;
	size_t line;
};

static size_t next_line(struct cursor *c, const char **p)
{
	*p = c->p;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	c->p = nl ? nl + 1 : c->end;
	c->line++;
	return (size_t)(c->p - *p);
}

static void skip_to(struct cursor *c, size_t line)
{
	const char *p;
	while (c->line < line)
		next_line(c, &p);
}

/* A run of changed lines: old [i0, i1) and new [j0, j1), with the unchanged lines
 * before it, pairwise equal. */
struct block {
	size_t i0, i1, j0, j1;
};

static bool next_block(const struct text *t, size_t *i, size_t *j, struct block *b)
{
	while (*i < t[0].n && *j < t[1].n && !t[0].changed[*i] && !t[1].changed[*j])
		(*i)++, (*j)++;
	b->i0 = *i, b->j0 = *j;
	while (*i < t[0].n && (t[0].changed[*i] || *j >= t[1].n))
		(*i)++;
	while (*j < t[1].n && (t[1].changed[*j] || *i >= t[0].n))
		(*j)++;
	b->i1 = *i, b->j1 = *j;
	return b->i1 > b->i0 || b->j1 > b->j0;
}

static void write_hunks(FILE *out, const struct text *t, bool color)
{
	struct cursor ca = {t[0].p, t[0].p + t[0].len, 0}, cb = {t[1].p, t[1].p + t[1].len, 0};
	size_t i = 0, j = 0;
	struct block first, last, next;
	bool more = next_block(t, &i, &j, &next);
	while (more) {
		first = last = next;
		/* blocks no more than 2 * CONTEXT unchanged lines apart share a hunk */
		while ((more = next_block(t, &i, &j, &next)) && next.i0 - last.i1 <= 2 * CONTEXT)
			last = next;
		size_t before = first.i0 < CONTEXT ? first.i0 : CONTEXT;
		size_t after = t[0].n - last.i1 < CONTEXT ? t[0].n - last.i1 : CONTEXT;
		if (more && next.i0 - last.i1 < after)
			after = next.i0 - last.i1;
		size_t i0 = first.i0 - before, i1 = last.i1 + after, j0 = first.j0 - before, j1 = last.j1 + after;
		fputs(color ? "\033[36m@@ " : "@@ ", out);
		range(out, '-', i0, i1 - i0);
		putc(' ', out);
		range(out, '+', j0, j1 - j0);
		fputs(color ? " @@\033[m\n" : " @@\n", out);
		skip_to(&ca, i0);
		skip_to(&cb, j0);
		for (size_t x = i0, y = j0; x < i1 || y < j1;) {
			const char *p;
			size_t n;
			if (x < i1 && t[0].changed[x]) {
				n = next_line(&ca, &p), x++;
				put_line(out, '-', p, n, color);
			} else if (y < j1 && t[1].changed[y]) {
				n = next_line(&cb, &p), y++;
				put_line(out, '+', p, n, color);
			} else {
				const char *same;
				n = next_line(&ca, &p), x++;
				next_line(&cb, &same), y++;
				put_line(out, ' ', p, n, color);
			}
		}
	}
}

void udiff_write(FILE *out, const char *old_name, const char *old, size_t old_len,
		 const char *new_name, const char *new, size_t new_len, bool color)
{
	if (old_len == new_len && (!old_len || !memcmp(old, new, old_len)))
		return;
	struct text t[2] = {{.p = old, .len = old_len}, {.p = new, .len = new_len}};
	t[0].n = count_lines(old, old_len);
	t[1].n = count_lines(new, new_len);
	for (int s = 0; s < 2; s++)
		t[s].changed = xmalloc(t[s].n + 1);
	/* the names, from the index too, with their control characters escaped */
	struct strbuf names = {0};
	escape_text(&names, old_name, strlen(old_name));
	size_t old_end = names.len;
	escape_text(&names, new_name, strlen(new_name));
	fprintf(out, "%s--- %.*s\n+++ %.*s%s\n", color ? "\033[1m" : "", (int)old_end, names.p,
		(int)(names.len - old_end), names.p + old_end, color ? "\033[m" : "");
	free(names.p);
	/* lines (numbered by 32 bits) that fit the memory a text of this size may take */
	if ((t[0].n + t[1].n) <= UINT32_MAX / 2 &&
	    (t[0].n + t[1].n) * LINE_COST <= 4 * (old_len + new_len) + MEMORY_SLACK) {
		mark_changes(t);
	} else {
		memset(t[0].changed, 1, t[0].n);
		memset(t[1].changed, 1, t[1].n);
	}
	write_hunks(out, t, color);
	free(t[0].changed);
	free(t[1].changed);
}
