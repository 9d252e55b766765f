/* lsptext.c - see lsptext.h. */
#include "lsptext.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

const char *const position_encoding_names[3] = {"utf-16", "utf-8", "utf-32"};

static void index_lines(struct text *t);

void text_set(struct text *t, const char *s, size_t n)
{
	text_replace(t, 0, t->len, s, n);
}

void text_replace(struct text *t, size_t start, size_t end, const char *s, size_t n)
{
	if (end > t->len)
		end = t->len;
	if (start > end)
		start = end;
	size_t len = t->len - (end - start) + n;
	if (len > t->cap || !t->p) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < len)
			cap *= 2;
		t->p = xrealloc(t->p, cap);
		t->cap = cap;
	}
	memmove(t->p + start + n, t->p + end, t->len - end);
	if (n)
		memcpy(t->p + start, s, n);
	t->len = len;
	index_lines(t);
}

void text_free(struct text *t)
{
	free(t->p);
	free(t->lines);
	free(t->yaml_lines);
	*t = (struct text){0};
}

/* ---- characters and line breaks ----------------------------------------------------- */

/* The character at i: its byte length, and in *cp its code point. A byte that starts no
 * valid UTF-8 sequence counts as one character of one byte (the protocol's JSON carries
 * UTF-8 only, but an edit's offsets are the client's). */
static size_t char_at(const struct text *t, size_t i, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)t->p + i;
	size_t left = t->len - i, n = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	*cp = s[0];
	if (n <= 1 || n > left || s[0] > 0xF4)
		return 1;
	unsigned v = s[0] & (0x7F >> n);
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 1;
		v = v << 6 | (s[k] & 0x3F);
	}
	*cp = v;
	return n;
}

/* Code units of one character in the encoding. */
static long long units(unsigned cp, size_t bytes, enum position_encoding enc)
{
	return enc == POS_UTF8 ? (long long)bytes : enc == POS_UTF16 && cp >= 0x10000 ? 2 : 1;
}

/* The length of the protocol's line break at i (\n, \r\n, \r), or 0. */
static size_t lsp_break(const struct text *t, size_t i)
{
	if (t->p[i] == '\n')
		return 1;
	if (t->p[i] == '\r')
		return i + 1 < t->len && t->p[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* The length of libyaml's line break at i: the protocol's, NEL, LS and PS. */
static size_t yaml_break(const struct text *t, size_t i)
{
	size_t n = lsp_break(t, i);
	const unsigned char *s = (const unsigned char *)t->p + i;
	if (!n && s[0] == 0xC2 && i + 1 < t->len && s[1] == 0x85)
		n = 2;
	if (!n && s[0] == 0xE2 && i + 2 < t->len && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
		n = 3;
	return n;
}

/* libyaml starts counting after a byte-order mark. */
static size_t after_bom(const struct text *t)
{
	return t->len >= 3 && !memcmp(t->p, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* The starts of the lines brk ends, from offset from. */
static size_t *line_starts(const struct text *t, size_t from, size_t (*brk)(const struct text *, size_t),
			   size_t *n)
{
	size_t cap = 64, k = 0;
	size_t *v = xmalloc(cap * sizeof *v);
	v[k++] = from;
	for (size_t i = from; i < t->len;) {
		size_t b = brk(t, i);
		i += b ? b : 1;
		if (!b)
			continue;
		if (k == cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[k++] = i;
	}
	*n = k;
	return v;
}

static void index_lines(struct text *t)
{
	free(t->lines);
	free(t->yaml_lines);
	t->lines = line_starts(t, 0, lsp_break, &t->nlines);
	t->yaml_lines = line_starts(t, after_bom(t), yaml_break, &t->nyaml_lines);
}

/* Where line (0-based) of an index starts; the text's end past its last line. */
static size_t line_offset(const struct text *t, const size_t *lines, size_t n, long long line)
{
	return line < 0 ? lines[0] : (size_t)line < n ? lines[line] : t->len;
}

/* The line of an index that holds offset. */
static size_t line_of(const size_t *lines, size_t n, size_t offset)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* From a line's start, the offset `count` units (or characters) on, stopping at its end. */
static size_t skip_units(const struct text *t, size_t i, long long count, enum position_encoding enc,
			 size_t (*brk)(const struct text *, size_t))
{
	while (i < t->len && !brk(t, i)) {
		unsigned cp;
		size_t w = char_at(t, i, &cp);
		long long u = units(cp, w, enc);
		if (u > count)
			break;
		count -= u;
		i += w;
	}
	return i;
}

/* Line and units of offset in an index of lines brk ends. */
static void locate(const struct text *t, const size_t *lines, size_t nlines, size_t offset,
		   enum position_encoding enc, size_t (*brk)(const struct text *, size_t), long long *line,
		   long long *count)
{
	if (offset > t->len)
		offset = t->len;
	if (offset < lines[0])
		offset = lines[0];
	size_t l = line_of(lines, nlines, offset), line_start = lines[l], i;
	long long n = 0;
	for (i = line_start; i < offset && !brk(t, i);) {
		unsigned cp;
		size_t w = char_at(t, i, &cp);
		if (i + w > offset)
			break;
		n += units(cp, w, enc);
		i += w;
	}
	*line = l;
	*count = n;
}

/* ---- the protocol's positions and sparkc's marks ---------------------------------------- */

size_t text_offset(const struct text *t, long long line, long long character, enum position_encoding enc)
{
	if (!t->lines)
		return 0;
	size_t i = line_offset(t, t->lines, t->nlines, line);
	return skip_units(t, i, character < 0 ? 0 : character, enc, lsp_break);
}

void text_position(const struct text *t, size_t offset, enum position_encoding enc, long long *line,
		   long long *character)
{
	*line = *character = 0;
	if (t->lines)
		locate(t, t->lines, t->nlines, offset, enc, lsp_break, line, character);
}

json_t *text_range_json(const struct text *t, size_t start, size_t end, enum position_encoding enc)
{
	long long l[2], c[2];
	text_position(t, start, enc, &l[0], &c[0]);
	text_position(t, end, enc, &l[1], &c[1]);
	return json_pack("{s:{s:I,s:I},s:{s:I,s:I}}", "start", "line", (json_int_t)l[0], "character",
			 (json_int_t)c[0], "end", "line", (json_int_t)l[1], "character", (json_int_t)c[1]);
}

json_t *text_json_string(const char *s, size_t n)
{
	const struct text t = {.p = (char *)s, .len = n, .cap = n};
	char *clean = xmalloc(3 * n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t w = char_at(&t, i, &cp);
		bool bad = (w == 1 && cp >= 0x80) || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF ||
			   (w == 2 && cp < 0x80) || (w == 3 && cp < 0x800) || (w == 4 && cp < 0x10000);
		if (bad)
			memcpy(clean + o, "\xEF\xBF\xBD", 3), o += 3;
		else
			memcpy(clean + o, s + i, w), o += w;
		i += w;
	}
	json_t *j = json_stringn(clean, o);
	free(clean);
	return j;
}

size_t text_mark_offset(const struct text *t, int line, int col)
{
	if (line <= 0 || !t->yaml_lines)
		return 0;
	size_t i = line_offset(t, t->yaml_lines, t->nyaml_lines, line - 1);
	return skip_units(t, i, col > 1 ? col - 1 : 0, POS_UTF32, yaml_break);
}

void text_mark(const struct text *t, size_t offset, int *line, int *col)
{
	long long l = 0, c = 0;
	if (t->yaml_lines)
		locate(t, t->yaml_lines, t->nyaml_lines, offset, POS_UTF32, yaml_break, &l, &c);
	*line = (int)l + 1;
	*col = (int)c + 1;
}

size_t text_line_start(const struct text *t, size_t offset)
{
	if (offset > t->len)
		offset = t->len;
	while (offset > 0 && t->p[offset - 1] != '\n' && t->p[offset - 1] != '\r')
		offset--;
	return offset;
}

size_t text_line_end(const struct text *t, size_t offset)
{
	while (offset < t->len && !lsp_break(t, offset))
		offset++;
	return offset;
}

const char *text_line_break(const struct text *t, size_t offset)
{
	size_t end = text_line_end(t, offset);
	if (end == t->len)
		end = text_line_end(t, 0);
	size_t n = end < t->len ? lsp_break(t, end) : 0;
	return n == 2 ? "\r\n" : n && t->p[end] == '\r' ? "\r" : "\n";
}

/* ---- tokens ------------------------------------------------------------------------------ */

/* What is open at offset, from the start of its line: the flow collections' depth, and
 * the quote of a quoted scalar offset lies inside (0: none). A line is read alone, so a
 * scalar or collection continued from the line above is not seen. */
static void open_at(const struct text *t, size_t line_start, size_t offset, int *depth, char *quote)
{
	*depth = 0;
	*quote = 0;
	for (size_t i = line_start; i < offset; i++) {
		char c = t->p[i];
		if (*quote) {
			if (c == '\\' && *quote == '"')
				i++;
			else if (c == *quote)
				*quote = 0;     /* '' inside single quotes closes and reopens: the same */
		} else if (c == '"' || c == '\'') {
			*quote = c;
		} else if (c == '#' && (i == line_start || t->p[i - 1] == ' ' || t->p[i - 1] == '\t')) {
			break;
		} else if (c == '[' || c == '{') {
			++*depth;
		} else if ((c == ']' || c == '}') && *depth) {
			--*depth;
		}
	}
}

/* From i, past the quoted scalar's closing quote (quote), or to end. */
static size_t past_quote(const struct text *t, size_t i, size_t end, char quote)
{
	for (; i < end; i++) {
		if (quote == '"' && t->p[i] == '\\')
			i++;
		else if (t->p[i] == quote && quote == '\'' && i + 1 < end && t->p[i + 1] == '\'')
			i++;
		else if (t->p[i] == quote)
			return i + 1;
	}
	return end;
}

/* From a flow collection's opening bracket, past its closing one on the same line, or
 * just past the bracket when it closes on a later line. */
static size_t past_flow(const struct text *t, size_t offset, size_t end)
{
	int depth = 0;
	for (size_t i = offset; i < end; i++) {
		char c = t->p[i];
		if (c == '"' || c == '\'')
			i = past_quote(t, i + 1, end, c) - 1;
		else if (c == '#' && (t->p[i - 1] == ' ' || t->p[i - 1] == '\t'))
			break;
		else if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && !--depth)
			return i + 1;
	}
	return offset + 1;
}

size_t text_token_end(const struct text *t, size_t offset)
{
	size_t end = text_line_end(t, offset), i = offset;
	if (offset >= end)
		return offset;
	char c = t->p[i], quote;
	int depth;
	open_at(t, text_line_start(t, offset), offset, &depth, &quote);
	bool flow = depth > 0, indicator = i + 1 == end || t->p[i + 1] == ' ' || t->p[i + 1] == '\t';
	if (quote) {            /* a diagnostic about a part of a quoted scalar: to its quote */
		i = past_quote(t, i, end, quote);
		if (i > offset + 1 && t->p[i - 1] == quote)
			i--;
	} else if (c == '"' || c == '\'') {
		i = past_quote(t, i + 1, end, c);
	} else if (c == '{' || c == '[') {
		i = past_flow(t, offset, end);
	} else if (c == '|' || c == '>' || ((c == '-' || c == '?') && indicator)) {
		i++;            /* a block scalar's or a list item's indicator */
	} else {
		for (; i < end; i++) {
			char d = t->p[i];
			if (d == ':' && (i + 1 == end || t->p[i + 1] == ' ' || t->p[i + 1] == '\t' ||
					 (flow && strchr(",]}", t->p[i + 1]))))
				break;
			if (d == '#' && i > offset && (t->p[i - 1] == ' ' || t->p[i - 1] == '\t'))
				break;
			if (flow && strchr(",]}", d))
				break;
		}
		while (i > offset + 1 && (t->p[i - 1] == ' ' || t->p[i - 1] == '\t'))
			i--;
	}
	if (i == offset) {
		unsigned cp;
		i += char_at(t, i, &cp);
	}
	return i;
}
