/* mask.c - see mask.h. */
#include "mask.h"

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
 * or NULL) after them moves with the text; one inside them moves to the mask. */
static char *splice_mask(char *s, size_t from, size_t to, int *caret)
{
	if (caret) {
		int first = (int)chars(s, from) + 1, after = first + (int)chars(s + from, to - from);
		if (*caret >= after)
			*caret += (int)strlen(MASK) - (after - first);
		else if (*caret > first)
			*caret = first;
	}
	size_t len = strlen(s);
	char *out = xmalloc(len - (to - from) + strlen(MASK) + 1);
	memcpy(out, s, from);
	memcpy(out + from, MASK, strlen(MASK));
	memcpy(out + from + strlen(MASK), s + to, len - to + 1);
	free(s);
	return out;
}

/* s with each occurrence of needle[0, len) replaced by MASK. In a message or hint
 * (caret NULL), and for a short needle (under 4 bytes) anywhere, only where it stands
 * alone, so that a secret "secret" or "ab" leaves sparkc's own words whole. */
static char *mask_occurrences(char *s, const char *needle, size_t len, int *caret)
{
	if (!len)
		return s;
	for (size_t i = 0; s[i];) {
		bool hit = !strncmp(s + i, needle, len);
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

/* What the line's text says is a secret, for diagnostics made before a document is
 * at hand (YAML errors, duplicate keys), whose values the document may not hold. An
 * env var's value is known by its name on the line or the lines just above. */
static void mask_by_names(struct diag *g, const struct source *source)
{
	bool env_name_above = false;
	bool value = strstr(g->source, "value") != NULL;       /* else nothing to look up */
	for (int k = 1; value && k <= 2 && g->line - k >= 1 && !env_name_above; k++) {
		int c;
		char *prev = source_excerpt(source, g->line - k, 1, &c);
		if (!prev)
			break;
		env_name_above = secrets_line_names_one(prev);
		bool item = prev[strspn(prev, " ")] == '-';
		free(prev);
		if (item)
			break;
	}
	size_t spans[16][2];
	size_t n = secrets_in_line(g->source, env_name_above, spans, 16);
	while (n) {     /* right to left, so that the offsets found stay valid */
		size_t last = 0;
		for (size_t i = 1; i < n; i++)
			if (spans[i][0] > spans[last][0])
				last = i;
		if (spans[last][1] > spans[last][0])
			g->source = splice_mask(g->source, spans[last][0], spans[last][1], &g->caret);
		spans[last][0] = spans[--n][0];
		spans[last][1] = spans[n][1];
	}
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

void mask_diag(struct diag *g, const struct diag_src *src)
{
	/* by position first, right to left so that the offsets found stay valid */
	size_t done_before = (size_t)-1;
	const int caret = g->caret;
	while (g->source && g->line) {
		size_t best_from = 0, best_to = 0;
		bool found = false;
		for (size_t i = 0; i < src->nsecrets; i++) {
			size_t from, to;
			if (src->secrets[i]->line == g->line &&
			    secret_span(g->source, caret, g->col, src->secrets[i], &from, &to) &&
			    from < done_before && (!found || from > best_from)) {
				best_from = from;
				best_to = to < done_before ? to : done_before;
				found = true;
			}
		}
		if (!found)
			break;
		g->source = splice_mask(g->source, best_from, best_to, &g->caret);
		done_before = best_from;
	}
	if (g->source)
		mask_by_names(g, src->source);
	for (size_t i = 0; i < src->nsecrets; i++) {
		const struct node *secret = src->secrets[i];
		if (g->source) {
			g->source = mask_text(g->source, secret, &g->caret);
			g->source = mask_cut_ends(g->source, secret->text, strcspn(secret->text, "\n"), &g->caret);
		}
		g->message = mask_text(g->message, secret, NULL);
		if (g->hint)
			g->hint = mask_text(g->hint, secret, NULL);
	}
}
