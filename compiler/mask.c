/* mask.c - see mask.h. */
#include "mask.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "node.h"
#include "secrets.h"
#include "source.h"

#define MASK "********"

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c & 0x80);
}

static size_t chars(const char *s, size_t bytes)
{
	size_t n = 0;
	for (size_t i = 0; i < bytes && s[i]; i++)
		n += (s[i] & 0xC0) != 0x80;
	return n;
}

/* s with bytes [from, to) replaced by MASK. A caret (1-based column in characters,
 * or NULL) after them moves with the text; one inside them keeps its column, within
 * the mask. */
static char *splice_mask(char *s, size_t from, size_t to, int *caret)
{
	if (caret) {
		int first = (int)chars(s, from) + 1, after = first + (int)chars(s + from, to - from);
		if (*caret >= after)
			*caret += (int)strlen(MASK) - (after - first);
		else if (*caret >= first + (int)strlen(MASK))
			*caret = first + (int)strlen(MASK) - 1;   /* inside: stays on the mask */
	}
	size_t len = strlen(s);
	char *out = xmalloc(len - (to - from) + strlen(MASK) + 1);
	memcpy(out, s, from);
	memcpy(out + from, MASK, strlen(MASK));
	memcpy(out + from + strlen(MASK), s + to, len - to + 1);
	free(s);
	return out;
}

/* Whether s starts with needle[0, len) as a message may quote it made over: letters in
 * any case, and any separator for a separator ('S3cr3t_A' as the name 's3cr3t-a'). */
static bool loosely_at(const char *s, const char *needle, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char a = s[i], b = needle[i];
		if (!a)
			return false;
		bool wa = word_char(a), wb = word_char(b);
		if (wa != wb || (wa && a != b && (((a | 0x20) != (b | 0x20)) || !((a | 0x20) >= 'a' && (a | 0x20) <= 'z'))))
			return false;
	}
	return true;
}

/* s with each occurrence of needle[0, len) replaced by MASK. In a message or hint
 * (caret NULL), and for a short needle (under 4 bytes) anywhere, only where it stands
 * alone, so that a secret "secret" or "ab" leaves sparkc's own words whole; there, an
 * occurrence made over (case, separators) counts too. */
static char *mask_occurrences(char *s, const char *needle, size_t len, int *caret)
{
	if (!len)
		return s;
	for (size_t i = 0; s[i];) {
		bool hit = caret ? !strncmp(s + i, needle, len) : loosely_at(s + i, needle, len);
		bool alone = hit && (i == 0 || !word_char(needle[0]) || !word_char(s[i - 1])) &&
			     (!word_char(needle[len - 1]) || !word_char(s[i + len]));
		if (hit && ((caret && len >= 4) || alone)) {
			s = splice_mask(s, i, i + len, caret);
			i += strlen(MASK);
		} else {
			i++;
		}
	}
	return s;
}

/* Which pairs of adjacent characters a text holds, as mask_occurrences compares them
 * (letters in one case, every separator alike), hashed into bits: a secret whose first
 * or last pair the text lacks is not in it. Masking a diagnostic then costs the
 * secrets it can hold, not a comparison of every secret of the document at every
 * position of its text (a job of 9,000 secret env vars took a minute). */
struct pairs {
	unsigned char bit[512];
	const char *of;         /* the text they are of: its masking makes a new one */
};

static unsigned pair_hash(const char *p)
{
	unsigned char a = (unsigned char)p[0], b = (unsigned char)p[1];
	a = (a | 0x20) >= 'a' && (a | 0x20) <= 'z' ? a | 0x20 : word_char((char)a) ? a : 0;
	b = (b | 0x20) >= 'a' && (b | 0x20) <= 'z' ? b | 0x20 : word_char((char)b) ? b : 0;
	return (a * 31u + b) & 4095;
}

static void pairs_of(struct pairs *p, const char *s)
{
	if (p->of == s)
		return;
	memset(p->bit, 0, sizeof p->bit);
	p->of = s;
	for (; s[0] && s[1]; s++) {
		unsigned h = pair_hash(s);
		p->bit[h >> 3] |= (unsigned char)(1u << (h & 7));
	}
}

/* Whether the text may hold needle[0, len) (as its first line, ends): its first and
 * its last pair (ends: either, as a cut line holds a part). */
static bool may_hold(struct pairs *p, const char *text, const char *needle, size_t len, bool ends)
{
	if (len < 2)
		return true;
	pairs_of(p, text);
	unsigned h1 = pair_hash(needle), h2 = pair_hash(needle + len - 2);
	bool first = p->bit[h1 >> 3] & (1u << (h1 & 7)), last = p->bit[h2 >> 3] & (1u << (h2 & 7));
	return ends ? first || last : first && last;
}

/* Each quoted part of text ('...') masked whole. */
static char *mask_quoted(char *s)
{
	for (size_t i = 0; s[i]; i++) {
		char *end = s[i] == '\'' ? strchr(s + i + 1, '\'') : NULL;
		if (end && end > s + i + 1) {
			s = splice_mask(s, i + 1, (size_t)(end - s), NULL);
			i += strlen(MASK) + 1;
		}
	}
	return s;
}

/* Comparing each diagnostic with each secret of its document, and scanning the lines
 * around it for secrets' names, is quadratic: a job of 19,000 literal secrets draws
 * 19,000 diagnostics, a job written as one 4 MB line of JSON as many on that line.
 * Past a budget (a comparison, or 16 bytes of lines scanned, a unit) a document's
 * further diagnostics are masked wholesale instead, more than needed and never less:
 * no code frame and no path, every value their message and hint quote masked. */
#define MASK_BUDGET ((size_t)2 << 20)

static bool over_budget(struct diag *g, const struct diag_src *src, size_t line_bytes)
{
	static const struct node *const *of;
	static size_t doc, spent;
	if (of != src->secrets || doc != src->doc) {
		of = src->secrets;
		doc = src->doc;
		spent = 0;
	}
	spent += src->nsecrets + line_bytes / 16;
	if (spent <= MASK_BUDGET)
		return false;
	free(g->source);
	g->source = NULL;
	free(g->path);
	g->path = xstrdup("");  /* a key can be a secret, aliased */
	g->message = mask_quoted(g->message);
	if (g->hint)
		g->hint = mask_quoted(g->hint);
	return true;
}

/* The secret's text, and each line of a multi-line one. */
static char *mask_text(char *s, const struct node *secret, int *caret)
{
	s = mask_occurrences(s, secret->text, secret->len, caret);
	if (!strchr(secret->text, '\n'))
		return s;
	for (const char *p = secret->text; *p;) {
		size_t n = strcspn(p, "\n");
		s = mask_occurrences(s, p, n, caret);
		p += n + (p[n] == '\n');
	}
	return s;
}

/* Byte offset of character index i (0-based) in s, or its length. */
static size_t char_offset(const char *s, long i)
{
	size_t b = 0;
	for (long c = 0; s[b] && c < i; c++)
		do
			b++;
		while ((s[b] & 0xC0) == 0x80);
	return b;
}

/* Where the source line shows the secret, in bytes [*from, *to): found by position,
 * quotes and escapes included, even where the line's window cuts it. The caret is at
 * column col of the source, which the secret's own column is measured from. */
static bool secret_span(const char *line, int caret, int col, const struct node *secret,
			size_t *from, size_t *to)
{
	long start = (long)caret - 1 + (secret->col - col);     /* characters */
	*from = char_offset(line, start < 0 ? 0 : start);
	char c = line[*from];
	if (start >= 0 && (c == '|' || c == '>'))
		return false;   /* a block scalar: its text is on the lines below */
	if (start >= 0 && (c == '"' || c == '\'')) {
		*to = *from + quoted_scalar_length(line + *from);
	} else if (start < 0 && secret->quoted) {
		*to = strcspn(line, "\"'");    /* the window starts inside the quotes */
		if (line[*to])
			(*to)++;
	} else {
		/* a block scalar's text may be placed at its line's start, before the indent */
		while (start >= 0 && (line[*from] == ' ' || line[*from] == '\t')) {
			(*from)++;
			start++;
		}
		long end = start;
		for (const char *p = secret->text; *p && *p != '\n'; p++)
			end += (*p & 0xC0) != 0x80;
		*to = end > 0 ? char_offset(line, end) : 0;
	}
	return *to > *from;
}

/* The lines of the source's window from line first to line last (1-based), as many as
 * it still holds: text and length of each, NULL for those it does not. */
enum { ABOVE = 50, BELOW = 20 };
struct lines {
	int first;
	const char *text[ABOVE + 1 + BELOW];
	size_t len[ABOVE + 1 + BELOW];
	struct secret_text doc;         /* the whole window: aliases and anchors */
};

static void window_lines(const struct source *s, int line, struct lines *ls)
{
	memset(ls, 0, sizeof *ls);
	ls->first = line - ABOVE;
	if (!s || !s->win)
		return;
	ls->doc = (struct secret_text){s->win, s->win_len};
	/* from the first line wanted, which the source's line index finds at once */
	int l = ls->first > s->base_line ? ls->first : s->base_line;
	size_t len;
	const char *p = source_lines(s, l, l, &len), *end = s->win + s->win_len;
	for (; p && p < end && l <= line + BELOW; l++) {
		const char *e = p;
		while (e < end && *e != '\n' && *e != '\r' && *e)
			e++;
		if (l >= ls->first) {
			ls->text[l - ls->first] = p;
			ls->len[l - ls->first] = (size_t)(e - p);
		}
		if (e == end || !*e)
			break;
		p = e + ((e[0] == '\r' && e + 1 < end && e[1] == '\n') ? 2 : 1);
	}
}

/* A copy of line l of ls (1-based), or NULL. */
static char *line_copy(const struct lines *ls, int l)
{
	int i = l - ls->first;
	if (i < 0 || i >= ABOVE + 1 + BELOW || !ls->text[i])
		return NULL;
	char *c = xmalloc(ls->len[i] + 1);
	memcpy(c, ls->text[i], ls->len[i]);
	c[ls->len[i]] = '\0';
	return c;
}

/* The column of a line's first key (after a "- "), and whether the line starts an item;
 * -1 for a blank or comment line. */
static int key_indent(const char *line, bool *item)
{
	size_t i = strspn(line, " ");
	*item = false;
	while (line[i] == '-' && (line[i + 1] == ' ' || !line[i + 1])) {
		*item = true;
		i += 1 + strspn(line + i + 1, " ");
	}
	return !line[i] || line[i] == '#' ? -1 : (int)i;
}

/* Whether a `name:` that says secret sits in the same block mapping as line l's keys,
 * above it or below it (an env var written as a block, in either order). */
static bool env_name_near(const struct lines *ls, int l)
{
	char *here = line_copy(ls, l);
	if (!here)
		return false;
	bool item, other_item, found = false;
	int ind = key_indent(here, &item);
	/* a flow mapping this line opens and the lines below go on with */
	bool flow_open = false;
	for (const char *c = here; *c; c++)
		flow_open = *c == '{' ? true : *c == '}' ? false : flow_open;
	free(here);
	if (ind < 0)
		return false;
	for (int dir = -1; dir <= 1 && !found; dir += 2) {
		if (dir < 0 && item)
			continue;       /* the item starts here: nothing above is in it */
		for (int k = l + dir; !found && k >= ls->first && k <= ls->first + ABOVE + BELOW; k += dir) {
			char *other = line_copy(ls, k);
			if (!other)
				break;
			int oind = key_indent(other, &other_item);
			bool stop = oind >= 0 && (oind < ind || (dir > 0 && other_item && oind <= ind));
			if ((oind == ind && !(dir > 0 && other_item)) ||
			    (dir < 0 && stop && strchr(other, '{')) ||      /* a flow mapping's start */
			    (dir > 0 && flow_open && oind > ind))
				found = secrets_line_names_one(other, &ls->doc);
			if (dir > 0 && flow_open && strchr(other, '}'))
				flow_open = false;
			free(other);
			if (stop || (dir < 0 && other_item && oind == ind))
				break;
		}
	}
	return found;
}

/* Where in s a quote c, opened on a line above, closes (the byte after it), or 0. */
static size_t quote_closes(const char *s, char c)
{
	for (size_t t = 0; s[t]; t++) {
		if (s[t] == c && !(c == '\'' && s[t + 1] == '\''))
			return t + 1;
		if ((c == '"' && s[t] == '\\') || (c == '\'' && s[t] == '\''))
			t += s[t + 1] != '\0';
	}
	return 0;
}

static size_t add_span(size_t (*spans)[2], size_t n, size_t max, size_t from, size_t to)
{
	if (n < max && to > from) {
		spans[n][0] = from;
		spans[n++][1] = to;
	}
	return n;
}

/* Whether a line leaves a flow collection ({ or [) open. */
static bool flow_open(const char *line)
{
	int depth = 0;
	for (size_t i = 0; line[i]; i++) {
		if (line[i] == '"' || line[i] == '\'')
			i += quoted_scalar_length(line + i) - 1;
		else if (line[i] == '#' && (i == 0 || line[i - 1] == ' '))
			break;
		else
			depth += line[i] == '{' || line[i] == '[' ? 1 : line[i] == '}' || line[i] == ']' ? -1 : 0;
	}
	return depth > 0;
}

/* Whether a line is one clean `key: value` of a nested mapping (a plain key of name
 * characters, a value with no further ": "): what a mapping under a secret-named key
 * holds (secret: {secretName: ...} of a volume), not the secret's text, which YAML
 * would read there only as a broken line. */
static bool nested_pair(const char *line)
{
	size_t i = strspn(line, " "), k;
	while (line[i] == '-' && line[i + 1] == ' ')
		i += 1 + strspn(line + i + 1, " ");
	for (k = i; line[k] && (isalnum((unsigned char)line[k]) || strchr("_./-", line[k])); k++)
		;
	if (k == i || line[k] != ':' || (line[k + 1] && line[k + 1] != ' '))
		return false;
	const char *rest = line + k + 1;
	const char *colon = strstr(rest, ": "), *hash = strstr(rest, " #");
	return !colon || (hash && hash < colon);
}

/* Where a line's text ends before a comment. */
static size_t before_comment(const char *w, size_t from)
{
	size_t end = from;
	for (size_t i = from; w[i]; i++) {
		if (w[i] == '"' || w[i] == '\'') {
			i += quoted_scalar_length(w + i) - 1;
			end = i + 1;
		} else if (w[i] == '#' && i > 0 && (w[i - 1] == ' ' || w[i - 1] == '\t')) {
			break;
		} else if (w[i] != ' ' && w[i] != '\t') {
			end = i + 1;
		}
	}
	return end;
}

/* The values of anchors on the line (&name value) that the document uses, as *name,
 * where a secret goes: masked where they are written. */
static size_t anchored_spans(const struct lines *ls, const char *w, size_t (*spans)[2], size_t n, size_t max)
{
	for (size_t i = 0; w[i]; i++) {
		if (w[i] == '"' || w[i] == '\'') {
			i += quoted_scalar_length(w + i) - 1;
			continue;
		}
		if (w[i] != '&' || (i && w[i - 1] != ' ' && w[i - 1] != '[' && w[i - 1] != '{' && w[i - 1] != ','))
			continue;
		size_t name = i + 1, len = strcspn(w + name, " \t,]}");
		if (!len || !secrets_anchor_used(&ls->doc, w + name, len))
			continue;
		size_t v = name + len + strspn(w + name + len, " \t");
		size_t end = w[v] == '"' || w[v] == '\'' ? v + quoted_scalar_length(w + v) : v + strcspn(w + v, ",]}#");
		while (end > v && w[end - 1] == ' ')
			end--;
		n = add_span(spans, n, max, v, end);
	}
	return n;
}

/* What line l's own text, and the lines around it, put under a secret's name, for
 * diagnostics made before a document is at hand (YAML errors, duplicate keys), whose
 * values the document may not hold: byte ranges of the line's whole text w. A line
 * may go on with a secret begun above it (a quoted scalar not closed there, a block
 * scalar, a plain one, a secret's key whose value starts on the next line, `? key`
 * and its `: value`); an env var's value is known by its name anywhere in its own flow
 * mapping's line or block mapping's lines; an anchor's value by where it is used. */
static size_t names_spans(const struct lines *ls, int l, const char *w, size_t (*spans)[2], size_t max)
{
	size_t n = 0, rest = 0;
	bool item;
	int ind = key_indent(w, &item);
	for (int k = l - 1; k >= ls->first && k >= l - ABOVE; k--) {
		char *above = line_copy(ls, k);
		if (!above)
			break;
		char open = secrets_line_leaves_open(above, &ls->doc, strstr(above, "value") && env_name_near(ls, k));
		bool ok = true;         /* whether each line from k + 1 to l goes on with it */
		size_t close = 0;
		int aind = key_indent(above, &item);
		bool flow = flow_open(above);
		for (int j = k + 1; open && ok && j <= l; j++) {
			char *mid = j == l ? NULL : line_copy(ls, j);
			const char *t = j == l ? w : mid;
			bool it;
			int mind = t ? key_indent(t, &it) : -2;
			if (open == '"' || open == '\'') {
				close = t ? quote_closes(t, open) : 0;
				ok = t && (j == l || !close);
			} else if (open == '?' && j == k + 1) {
				ok = t && mind >= 0 && t[mind] == ':';      /* `: value` */
			} else {
				ok = t && (mind == -1 || mind > aind || (open == 'e' && flow) ||
					   (open == '?' && mind >= aind)) &&
				     !(open == 'e' && !flow && j == k + 1 && nested_pair(t));
			}
			free(mid);
		}
		free(above);
		if (open) {
			if (ok) {
				size_t from = strspn(w, " \t");
				if (open == '?' && k == l - 1 && w[from] == ':')
					from += 1 + strspn(w + from + 1, " \t");
				rest = close ? close : before_comment(w, from);
				n = add_span(spans, n, max, from, rest);
			}
			break;
		}
		if (aind >= 0 && aind < ind && ind >= 0)
			break;  /* a parent key ends the search */
	}
	size_t found[16][2];
	size_t m = secrets_in_line(w + rest, &ls->doc, strstr(w + rest, "value") && env_name_near(ls, l), found, 16);
	for (size_t i = 0; i < m; i++)
		n = add_span(spans, n, max, rest + found[i][0], rest + found[i][1]);
	return anchored_spans(ls, w, spans, n, max);
}

/* The text line l goes on with below it, where it leaves a secret open (a value on the
 * next line, a block scalar, a quoted or plain one cut by the line's end): each span
 * of the lines below that continue it, into texts, for a message that quotes the value
 * (a tag's error, `key: !!int` and the value below). Returns how many. */
static size_t continued_below(const struct lines *ls, int l, char **texts, size_t max)
{
	char *here = line_copy(ls, l);
	bool open = here && secrets_line_leaves_open(here, &ls->doc, strstr(here, "value") && env_name_near(ls, l));
	free(here);
	size_t k = 0;
	for (int j = l + 1; open && j <= l + BELOW && k < max; j++) {
		char *w = line_copy(ls, j);
		if (!w)
			break;
		size_t spans[8][2];
		size_t m = names_spans(ls, j, w, spans, 8);
		for (size_t i = 0; i < m && k < max; i++) {
			texts[k] = xmalloc(spans[i][1] - spans[i][0] + 1);
			memcpy(texts[k], w + spans[i][0], spans[i][1] - spans[i][0]);
			texts[k++][spans[i][1] - spans[i][0]] = '\0';
		}
		free(w);
		open = m > 0;
	}
	return k;
}

/* The spans names_spans finds in line g->line (ls: the lines around it), as byte ranges
 * of the frame g->source (a window of the line, "..." where it is cut), before anything
 * in it is masked. */
static size_t mask_by_names(const struct diag *g, const struct lines *ls, size_t (*spans)[2], size_t max)
{
	char *w = line_copy(ls, g->line);
	if (!w) {       /* not held: the frame's own text is all there is */
		w = xstrdup(g->source);
		struct lines none = {.first = g->line};
		size_t n = names_spans(&none, g->line, w, spans, max);
		free(w);
		return n;
	}
	/* where the frame's window starts in the line: source_excerpt's caret, measured */
	size_t flen = strlen(g->source), wlen = strlen(w);
	size_t pre = !strncmp(g->source, "...", 3) && g->col + 3 - g->caret > 0 ? 3 : 0;
	long skip = (long)g->col + (long)pre - g->caret;
	size_t a = char_offset(w, skip < 0 ? 0 : skip);
	size_t body = flen - pre < wlen - a ? flen - pre : wlen - a;
	bool fits = skip >= 0 && !memcmp(w + a, g->source + pre, body) &&
		    (pre + body == flen || !strcmp(g->source + pre + body, "..."));
	size_t n = 0;
	if (fits) {
		size_t found[32][2];
		size_t m = names_spans(ls, g->line, w, found, 32);
		for (size_t i = 0; i < m; i++) {
			size_t from = found[i][0] > a ? found[i][0] : a, to = found[i][1] < a + body ? found[i][1] : a + body;
			if (to > from)
				n = add_span(spans, n, max, from - a + pre, to - a + pre);
		}
	} else {
		n = names_spans(ls, g->line, g->source, spans, max);
	}
	free(w);
	return n;
}

/* A line cut to a window ("..." at an end) may show a secret's start or end at the
 * cut, which is no whole occurrence: mask the piece (of 3 bytes or more). */
static char *mask_cut_ends(char *line, const char *text, size_t len, int *caret)
{
	size_t n = strlen(line);
	if (n > 6 && !strcmp(line + n - 3, "...")) {
		size_t body = n - 3;
		for (size_t k = len < body ? len : body; k >= 3; k--) {
			if (!memcmp(line + body - k, text, k)) {
				line = splice_mask(line, body - k, body, caret);
				n = strlen(line);
				break;
			}
		}
	}
	if (n > 6 && !strncmp(line, "...", 3)) {
		for (size_t k = len < n - 3 ? len : n - 3; k >= 3; k--) {
			if (!memcmp(line + 3, text + len - k, k)) {
				line = splice_mask(line, 3, 3 + k, caret);
				break;
			}
		}
	}
	return line;
}

static int by_start(const void *pa, const void *pb)
{
	const size_t *x = pa, *y = pb;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Sort spans and merge those that overlap or touch; returns how many are left. */
static size_t merge_spans(size_t (*spans)[2], size_t n)
{
	qsort(spans, n, sizeof *spans, by_start);
	size_t merged = 0;
	for (size_t i = 0; i < n; i++) {
		if (merged && spans[i][0] <= spans[merged - 1][1]) {
			if (spans[i][1] > spans[merged - 1][1])
				spans[merged - 1][1] = spans[i][1];
		} else {
			spans[merged][0] = spans[i][0];
			spans[merged++][1] = spans[i][1];
		}
	}
	return merged;
}

/* Mask in g's message and hint a secret as a source line shows it, t[0, len), without
 * its tags and quotes, wherever it stands alone (four characters at least). */
static void mask_span_text(struct diag *g, const char *t, size_t len)
{
	while (len && *t == '!') {
		size_t tag = strcspn(t, " \t");
		tag = tag < len ? tag : len;
		t += tag, len -= tag;
		while (len && (*t == ' ' || *t == '\t'))
			t++, len--;
	}
	if (len >= 2 && (*t == '"' || *t == '\'') && t[len - 1] == *t)
		t++, len -= 2;
	if (len >= 4) {
		g->message = mask_occurrences(g->message, t, len, NULL);
		if (g->hint)
			g->hint = mask_occurrences(g->hint, t, len, NULL);
	}
}

/* The bytes of the lines window_lines gives for line. */
static size_t window_bytes(const struct source *s, int line)
{
	size_t len = 0;
	if (s && s->win && line) {
		int first = line - ABOVE > s->base_line ? line - ABOVE : s->base_line;
		source_lines(s, first, line + BELOW + 1, &len);
	}
	return len;
}

void mask_diag(struct diag *g, const struct diag_src *src)
{
	if (over_budget(g, src, g->source ? window_bytes(src->source, g->line) : 0))
		return;
	/* the ranges of the source line to mask, found by position and by names before
	 * anything is masked, then masked right to left, so that the offsets stay valid */
	enum { MAX = 64 };
	size_t spans[MAX][2], n = 0;
	const int caret = g->caret;
	/* the lines around g's, for the secrets' names on them and what its line leaves
	 * open below it */
	bool framed = g->source && g->line;
	struct lines ls;
	if (framed) {
		window_lines(src->source, g->line, &ls);
		for (size_t i = 0; i < src->nsecrets; i++) {
			size_t from, to;
			if (src->secrets[i]->line == g->line &&
			    secret_span(g->source, caret, g->col, src->secrets[i], &from, &to))
				n = add_span(spans, n, MAX, from, to);
		}
		n += mask_by_names(g, &ls, spans + n, MAX - n);
	}
	size_t merged = merge_spans(spans, n);
	/* what the frame masks by position, the message and hint must not quote either
	 * (a tagged secret, `!!int S3CR3T`, is named in its own error): the span's text
	 * without a tag and quotes, masked where it stands alone */
	for (size_t i = 0; i < merged; i++)
		mask_span_text(g, g->source + spans[i][0], spans[i][1] - spans[i][0]);
	/* and what the line leaves open goes on below it (`value: !!int` over the value) */
	if (framed) {
		char *below[16];
		size_t k = continued_below(&ls, g->line, below, 16);
		while (k--) {
			mask_span_text(g, below[k], strlen(below[k]));
			free(below[k]);
		}
	}
	while (merged--)
		g->source = splice_mask(g->source, spans[merged][0], spans[merged][1], &g->caret);
	struct pairs in_source = {.of = NULL}, in_path = {.of = NULL}, in_message = {.of = NULL},
		     in_hint = {.of = NULL};
	for (size_t i = 0; i < src->nsecrets; i++) {
		const struct node *secret = src->secrets[i];
		size_t first_line = strcspn(secret->text, "\n");
		/* a multi-line secret's lines are masked one by one: no pair filters them */
		size_t len = secret->text[first_line] ? 0 : secret->len;
		if (g->source && may_hold(&in_source, g->source, secret->text, len, false))
			g->source = mask_text(g->source, secret, &g->caret);
		if (g->source && may_hold(&in_source, g->source, secret->text, first_line, true))
			g->source = mask_cut_ends(g->source, secret->text, first_line, &g->caret);
		/* a path names keys, and a secret aliased as a key is one of them */
		if (may_hold(&in_path, g->path, secret->text, len, false))
			g->path = mask_text(g->path, secret, NULL);
		if (may_hold(&in_message, g->message, secret->text, len, false))
			g->message = mask_text(g->message, secret, NULL);
		if (g->hint && may_hold(&in_hint, g->hint, secret->text, len, false))
			g->hint = mask_text(g->hint, secret, NULL);
	}
}

void mask_diags_since(struct diags *d, size_t from, const struct diag_src *src)
{
	for (size_t i = from; i < d->n; i++)
		mask_diag(&d->v[i], src);
}
