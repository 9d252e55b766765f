/* source.c - see source.h. */
#include "source.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

int source_open(struct source *s, const char *path, size_t max_bytes)
{
	memset(s, 0, sizeof *s);
	s->max_bytes = max_bytes;
	s->base_line = 1;
	if (!strcmp(path, "-")) {
		s->name = "<stdin>";
		s->fp = stdin;
		return 0;
	}
	s->name = path;
	s->fp = fopen(path, "rb");
	if (!s->fp)
		return -1;
	s->own_fp = true;
	return 0;
}

void source_open_text(struct source *s, const char *name, const char *text, size_t len)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->mem = text;
	s->mem_len = len;
	s->max_bytes = (size_t)-1;
	s->base_line = 1;
}

struct source_line_index {
	size_t *off;            /* off[i]: where line base_line + i starts in the window */
	size_t n, cap;
	size_t scanned;         /* no line starts after the last entry before this offset */
	/* the line an excerpt was last taken from (0: none), its end, and a column of it:
	 * the diagnostics of one long line (a job written as one line of JSON) come in
	 * order, each found from the one before, not from the line's start */
	int at_line;
	size_t line_end;
	int at_chars;
	size_t at_off;
};

void source_close(struct source *s)
{
	if (s->lines) {
		free(s->lines->off);
		free(s->lines);
		s->lines = NULL;
	}
	if (s->own_fp)
		fclose(s->fp);
	free(s->win_buf);
	s->win = s->win_buf = NULL;
	s->fp = NULL;
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether the 8 bytes at p are ASCII and none is below `below` (at most 0x80): most
 * bytes of a job file are, and a word at a time they are passed over quickly. */
static inline bool ascii_from(const unsigned char *p, unsigned char below)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	/* with no high bit set, a byte below `below` is one whose subtraction borrows */
	return !(w & HIGHS) && !((w - ONES * below) & HIGHS);
}

/* Check bytes for UTF-8: no NUL, no overlong forms, no surrogates, nothing above
 * U+10FFFF. A sequence may continue in the next chunk. Returns false with the offset
 * of the offending sequence's first byte. */
static bool check_utf8(struct source *s, const unsigned char *p, size_t n, size_t at)
{
	for (size_t i = 0; i < n; i++) {
		if (!s->utf8_need) {
			while (i + 8 <= n && ascii_from(p + i, 0x01))
				i += 8;
			if (i == n)
				break;
		}
		unsigned char c = p[i];
		if (!s->utf8_need) {
			if (c >= 0x01 && c < 0x80)
				continue;
			s->utf8_lead = at + i;
			s->utf8_have = 1;
			if (c >= 0xC2 && c <= 0xDF) { s->utf8_need = 2; s->utf8_cp = c & 0x1F; s->utf8_min = 0x80; }
			else if (c >= 0xE0 && c <= 0xEF) { s->utf8_need = 3; s->utf8_cp = c & 0x0F; s->utf8_min = 0x800; }
			else if (c >= 0xF0 && c <= 0xF4) { s->utf8_need = 4; s->utf8_cp = c & 0x07; s->utf8_min = 0x10000; }
			else return false;      /* NUL, a stray continuation byte, a bad lead */
			continue;
		}
		if ((c & 0xC0) != 0x80)
			return false;
		s->utf8_cp = (s->utf8_cp << 6) | (c & 0x3F);
		if (++s->utf8_have < s->utf8_need)
			continue;
		s->utf8_need = 0;
		if (s->utf8_cp < s->utf8_min || s->utf8_cp > 0x10FFFF ||
		    (s->utf8_cp >= 0xD800 && s->utf8_cp <= 0xDFFF))
			return false;
	}
	return true;
}

static void stop_bad_byte(struct source *s)
{
	s->status = SOURCE_BAD_BYTE;
	s->bad_at = s->utf8_lead;
	s->bad_byte = s->utf8_lead >= s->base && s->utf8_lead - s->base < s->win_len
			      ? (unsigned char)s->win[s->utf8_lead - s->base]
			      : 0;
}

static void window_append(struct source *s, const char *p, size_t n)
{
	size_t start = s->win ? (size_t)(s->win - s->win_buf) : 0;
	if (start + s->win_len + n > s->win_cap) {
		if (s->win_len)
			memmove(s->win_buf, s->win, s->win_len);
		if (s->win_len + n > s->win_cap) {
			s->win_cap = (s->win_len + n) * 2 + 4096;
			s->win_buf = xrealloc(s->win_buf, s->win_cap);
		}
		s->win = s->win_buf;
	}
	memcpy(s->win + s->win_len, p, n);
	s->win_len += n;
}

/* The mark is looked for by its ':', rarer than any letter of it; blanks before the
 * ':' and any case are taken, as `# SPARKC:IGNORE` and `# sparkc : ignore` are
 * written by habit (flake8 reads `# NOQA` alike). */
const char *source_find_mark(const char *p, size_t n, size_t before)
{
	static const char word[] = "sparkc";
	const size_t len = sizeof word - 1;
	for (const char *c = p, *end = p + n; (c = memchr(c, ':', (size_t)(end - c))); c++) {
		const char *w = c;
		while ((size_t)(w - p) + before > 0 && (w[-1] == ' ' || w[-1] == '\t'))
			w--;
		if ((size_t)(w - p) + before >= len && (w[-1] | 0x20) == 'c' && !strncasecmp(w - len, word, len))
			return w - len;
	}
	return NULL;
}

/* Read up to count new bytes into buf; 0 at the end of the input or on a read error. */
static size_t read_more(struct source *s, char *buf, size_t count)
{
	if (!s->fp) {
		size_t n = s->mem_len - s->mem_pos < count ? s->mem_len - s->mem_pos : count;
		memcpy(buf, s->mem + s->mem_pos, n);
		s->mem_pos += n;
		return n;
	}
	size_t n = fread(buf, 1, count, s->fp);
	if (n == 0 && ferror(s->fp)) {
		s->status = SOURCE_IO;
		s->io_errno = errno;
	}
	return n;
}

/* Read, count, keep and check up to count new bytes; 0 at the end of the input, or
 * when the input must stop (status says why). */
static size_t take(struct source *s, char *buf, size_t count)
{
	size_t n = read_more(s, buf, count);
	if (n == 0) {
		if (s->utf8_need)       /* the input ends inside a UTF-8 sequence */
			stop_bad_byte(s);
		return 0;
	}
	if (s->total + n > s->max_bytes) {
		s->status = SOURCE_TOO_LARGE;
		return 0;
	}
	/* The document and value limits act here, before the parser holds the bytes: a
	 * parser builds a whole scalar before it reports it, so a 100 MB value would
	 * otherwise be in memory before sparkc sees its length. */
	if (s->max_doc_bytes && s->total + n - s->doc_start > s->max_doc_bytes) {
		s->status = SOURCE_DOC_TOO_LARGE;
		return 0;
	}
	if (s->max_gap_bytes && s->total + n - s->event_at > s->max_gap_bytes) {
		s->status = SOURCE_VALUE_TOO_LARGE;
		return 0;
	}
	window_append(s, buf, n);
	if (!s->marked)
		s->marked = source_find_mark(s->win + s->win_len - n, n, s->win_len - n) != NULL;
	size_t at = s->total;
	s->total += n;
	if (!check_utf8(s, (const unsigned char *)buf, n, at)) {
		stop_bad_byte(s);
		return 0;
	}
	return n;
}

int source_read(void *user, unsigned char *buf, size_t count, size_t *got)
{
	struct source *s = user;
	*got = 0;
	if (s->status != SOURCE_OK)
		return 0;
	if (count > 65536)      /* bounded reads keep the size checks close */
		count = 65536;
	*got = take(s, (char *)buf, count);
	return s->status == SOURCE_OK;
}

/* The length of the line break at p, 0 if there is none. The parser reads YAML 1.1,
 * where NEL (U+0085), LS (U+2028) and PS (U+2029) end a line like CR and LF, so
 * sparkc counts lines the same way. A CR at the end of the window counts alone. */
static size_t line_break(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	if (*u == '\n')
		return 1;
	if (*u == '\r')
		return p + 1 < end && u[1] == '\n' ? 2 : 1;
	if (*u == 0xC2 && p + 1 < end && u[1] == 0x85)
		return 2;
	if (*u == 0xE2 && p + 2 < end && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

void source_document_starts(struct source *s, int line)
{
	s->doc_start = s->total;
	size_t drop = 0;
	const char *end = s->win + s->win_len;
	const unsigned char *u = (const unsigned char *)s->win;
	while (s->base_line < line && drop < s->win_len) {
		while (drop + 8 <= s->win_len && ascii_from(u + drop, '\r' + 1))
			drop += 8;      /* the bytes that cannot start a line break, quickly */
		while (drop < s->win_len && u[drop] > '\r' && u[drop] < 0xC2)
			drop++;
		if (drop == s->win_len)
			break;
		size_t br = line_break(s->win + drop, end);
		drop += br ? br : 1;
		s->base_line += br != 0;
	}
	if (s->win)
		s->win += drop;         /* moved only when window_append needs the room */
	s->win_len -= drop;
	s->base += drop;
	s->seen_line = 0;       /* line starts found before moved */
	if (s->lines) {
		s->lines->n = s->lines->scanned = 0;
		s->lines->at_line = 0;
	}
}

/* p advanced by up to n characters, not past end */
static const char *skip_chars(const char *p, const char *end, int n)
{
	for (; n > 0 && p < end; n--)
		do
			p++;
		while (p < end && (*p & 0xC0) == 0x80);
	return p;
}

/* The window's line index grown towards line: its last entry is then line, or the
 * last line start that bytes still to come cannot move (a line break may be cut at
 * the window's end: a CR before its LF, a NEL or LS in part). */
static const struct source_line_index *index_lines(const struct source *s, int line)
{
	struct source_line_index *ls = s->lines;
	if (!ls) {
		ls = xmalloc(sizeof *ls);
		*ls = (struct source_line_index){0};
		((struct source *)s)->lines = ls;      /* s is never a const object */
	}
	if (!ls->n) {
		ls->off = ls->cap ? ls->off : xmalloc((ls->cap = 256) * sizeof *ls->off);
		ls->off[ls->n++] = 0;
	}
	size_t last = ls->off[ls->n - 1];
	const char *p = s->win + (ls->scanned > last ? ls->scanned : last), *end = s->win + s->win_len;
	while ((long)ls->n - 1 < (long)line - s->base_line) {
		size_t br = 0;
		while (p < end && !(br = line_break(p, end)))
			p++;
		if (p + 3 >= end) {
			/* the last 3 bytes may hold a break in part: looked at again */
			last = ls->off[ls->n - 1];
			ls->scanned = s->win_len >= 3 && s->win_len - 3 > last ? s->win_len - 3 : last;
			break;
		}
		p += br;
		if (ls->n == ls->cap)
			ls->off = xrealloc(ls->off, (ls->cap *= 2) * sizeof *ls->off);
		ls->off[ls->n++] = (size_t)(p - s->win);
	}
	return ls;
}

/* The start of line (1-based) in the window, or NULL; *end is the end of the window.
 * The search starts from a line known to start at offset from, or a later one the
 * window's line index knows. */
static const char *line_start(const struct source *s, int line, const char **end, int from_line,
			      size_t from)
{
	if (line < from_line || !s->win)
		return NULL;
	const struct source_line_index *ls = index_lines(s, line);
	long known = (long)ls->n - 1 < (long)line - s->base_line ? (long)ls->n - 1 : (long)line - s->base_line;
	if (known >= 0 && s->base_line + known >= from_line && ls->off[known] >= from) {
		from_line = s->base_line + (int)known;
		from = ls->off[known];
		if (from_line < line && (size_t)known == ls->n - 1 && ls->scanned > from)
			from = ls->scanned;     /* the last line known holds no break before */
	}
	const char *p = s->win + from;
	*end = s->win + s->win_len;
	for (int l = from_line; l < line; l++) {
		size_t br = 0;
		for (;;) {
			while (p < *end && (unsigned char)*p > '\r' && (unsigned char)*p < 0xC2)
				p++;    /* the bytes that cannot start a line break, quickly */
			if (p == *end || (br = line_break(p, *end)))
				break;
			p++;
		}
		if (p == *end)
			return NULL;
		p += br;
	}
	return p;
}

int source_byte_at(struct source *s, int line, int col)
{
	bool ahead = s->seen_line >= s->base_line && line >= s->seen_line;
	const char *end, *p = line_start(s, line, &end, ahead ? s->seen_line : s->base_line,
					 ahead ? s->seen_off : 0);
	if (!p)
		return -1;
	s->seen_line = line;
	s->seen_off = (size_t)(p - s->win);
	p = skip_chars(p, end, col - 1);
	return p < end ? (unsigned char)*p : -1;
}

/* p (the start of line) advanced by n characters, not past e: from the column the
 * line index last found when it is on this line and not past n. */
static const char *line_column(const struct source *s, int line, const char *p, const char *e, int n)
{
	struct source_line_index *ls = s->lines;
	const char *from = p;
	int chars = 0;
	if (ls->at_line == line && ls->at_chars <= n && s->win + ls->at_off <= e) {
		from = s->win + ls->at_off;
		chars = ls->at_chars;
	}
	const char *q = skip_chars(from, e, n - chars);
	if (q < e) {    /* a column short of the end: the next one looks on from here */
		ls->at_line = line;
		ls->at_chars = n;
		ls->at_off = (size_t)(q - s->win);
	}
	return q;
}

char *source_excerpt(const struct source *s, int line, int col, int *caret)
{
	const char *end, *p = line_start(s, line, &end, s->base_line, 0);
	if (!p)
		return NULL;
	struct source_line_index *ls = s->lines;
	const char *e = p;
	if (ls->at_line == line) {
		e = s->win + ls->line_end;
	} else {
		while (e < end && !line_break(e, end) && *e)
			e++;
		ls->at_line = line;
		ls->line_end = (size_t)(e - s->win);
		ls->at_chars = 0;
		ls->at_off = (size_t)(p - s->win);
	}
	/* a caret under a line of a whole JSON job, or a 10 MB value, needs a window: the
	 * WIDTH characters from BEFORE characters before col, or the line's last WIDTH */
	enum { BEFORE = 60, WIDTH = 120 };
	int skip = col - 1 > BEFORE ? col - 1 - BEFORE : 0;
	if (skip && skip_chars(line_column(s, line, p, e, skip), e, WIDTH) == e) {
		int chars = 0;
		for (const char *c = p; c < e; c++)
			chars += (*c & 0xC0) != 0x80;
		skip = chars > WIDTH ? chars - WIDTH : 0;
	}
	const char *from = line_column(s, line, p, e, skip), *to = skip_chars(from, e, WIDTH);
	const char *pre = from > p ? "..." : "", *post = to < e ? "..." : "";
	size_t len = strlen(pre) + (size_t)(to - from) + strlen(post);
	char *copy = xmalloc(len + 1);
	snprintf(copy, len + 1, "%s%.*s%s", pre, (int)(to - from), from, post);
	*caret = col - skip + (int)strlen(pre);
	return copy;
}

const char *source_lines(const struct source *s, int from, int to, size_t *len)
{
	const char *end, *p = line_start(s, from, &end, s->base_line, 0);
	if (!p)
		return NULL;
	const char *q = to > from ? line_start(s, to, &end, from, (size_t)(p - s->win)) : NULL;
	*len = (size_t)((q ? q : end) - p);
	return p;
}

void source_position(const struct source *s, size_t offset, int *line, int *col)
{
	*line = s->base_line;
	*col = 1;
	const char *end = s->win + s->win_len;
	for (size_t i = 0; s->base + i < offset && i < s->win_len;) {
		size_t br = line_break(s->win + i, end);
		if (br) {
			(*line)++;
			*col = 1;
			i += br;
		} else {
			*col += ((unsigned char)s->win[i++] & 0xC0) != 0x80;
		}
	}
}

char *source_read_all(FILE *f, size_t max, size_t *len, bool *too_large)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = xmalloc(cap);
	size_t got;
	*too_large = false;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n > max) {
			*too_large = true;
			break;
		}
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
