/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"
#include "node.h"
#include "secrets.h"
#include "source.h"
#include "version.h"

__attribute__((format(printf, 1, 0)))
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* ---- masking secrets -------------------------------------------------------------- */

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

static void mask_secrets(struct diag *g, const struct diag_src *src)
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
		if (g->source)
			g->source = mask_text(g->source, secret, &g->caret);
		g->message = mask_text(g->message, secret, NULL);
		if (g->hint)
			g->hint = mask_text(g->hint, secret, NULL);
	}
}

__attribute__((format(printf, 8, 0)))
static void vadd(struct diag_src *src, int line, int col, enum severity sev, const char *rule,
		 const char *path, const char *hint, const char *fmt, va_list ap)
{
	struct diags *d = src->diags;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	struct diag *g = &d->v[d->n];
	g->file = xstrdup(src->file);
	g->line = line;
	g->col = col;
	g->path = xstrdup(path ? path : "");
	g->rule = rule;
	g->severity = sev;
	g->message = vformat(fmt, ap);
	g->hint = hint ? xstrdup(hint) : NULL;
	g->source = src->source ? source_excerpt(src->source, line, col, &g->caret) : NULL;
	mask_secrets(g, src);
	g->seq = d->n++;
	if (sev == SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
}

void diag_add(struct diag_src *src, int line, int col, enum severity sev, const char *rule,
	      const char *path, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(src, line, col, sev, rule, path, hint, fmt, ap);
	va_end(ap);
}

void diag_node(struct diag_src *src, const struct node *at, enum severity sev, const char *rule,
	       const char *path, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(src, at ? at->line : 0, at ? at->col : 0, sev, rule, path, hint, fmt, ap);
	va_end(ap);
}

static int by_position(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *sev_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : "warning";
}

static void print_text(const struct diag *g, FILE *out, bool color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *sevc = !color ? "" : g->severity == SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
	const char *caretc = color ? "\033[1;32m" : "";
	fprintf(out, "%s%s", bold, g->file);
	if (g->line)
		fprintf(out, ":%d:%d", g->line, g->col);
	fprintf(out, ":%s %s%s:%s ", reset, sevc, sev_name(g->severity), reset);
	if (*g->path)
		fprintf(out, "%s: ", g->path);
	fprintf(out, "%s%s%s\n", bold, g->message, reset);
	if (g->source) {
		fprintf(out, "%5d | %s\n      | ", g->line, g->source);
		/* One space per character before the caret; tabs under tabs so it lines up. */
		const char *c = g->source;
		for (int i = 1; i < g->caret && *c; i++) {
			fputc(*c == '\t' ? '\t' : ' ', out);
			do
				c++;
			while ((*c & 0xC0) == 0x80);
		}
		fprintf(out, "%s^%s\n", caretc, reset);
	}
	if (g->hint)
		fprintf(out, "      = hint: %s\n", g->hint);
}

static void print_json(const struct diag *g, FILE *out)
{
	fputs("{\"file\": ", out);
	json_write_string(out, g->file, strlen(g->file));
	fprintf(out, ", \"line\": %d, \"column\": %d, \"path\": ", g->line, g->col);
	json_write_string(out, g->path, strlen(g->path));
	fprintf(out, ", \"rule\": \"%s\", \"severity\": \"%s\", \"message\": ", g->rule,
		sev_name(g->severity));
	json_write_string(out, g->message, strlen(g->message));
	fputs(", \"hint\": ", out);
	if (g->hint)
		json_write_string(out, g->hint, strlen(g->hint));
	else
		fputs("null", out);
	fputs("}\n", out);
}

/* GitHub workflow commands: properties escape % \r \n : and ,; the message % \r \n. */
static void github_escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': fputs(property ? "%3A" : ":", out); break;
		case ',': fputs(property ? "%2C" : ",", out); break;
		default: fputc(*s, out);
		}
	}
}

static void print_github(const struct diag *g, FILE *out)
{
	fprintf(out, "::%s file=", g->severity == SEV_ERROR ? "error" : "warning");
	github_escape(out, g->file, true);
	if (g->line)
		fprintf(out, ",line=%d,col=%d", g->line, g->col);
	fputs(",title=sparkc ", out);
	github_escape(out, g->rule, true);
	fputs("::", out);
	if (*g->path) {
		github_escape(out, g->path, false);
		fputs(": ", out);
	}
	github_escape(out, g->message, false);
	if (g->hint) {
		fputs(" (hint: ", out);
		github_escape(out, g->hint, false);
		fputs(")", out);
	}
	fputc('\n', out);
}

static void print_sarif(const struct diags *d, FILE *out)
{
	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\"driver\": "
	      "{\"name\": \"sparkc\", \"version\": \"" SPARKC_VERSION "\"}},\n"
	      "      \"results\": [", out);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		fprintf(out, "%s\n        {\"ruleId\": \"%s\", \"level\": \"%s\", \"message\": {\"text\": ",
			i ? "," : "", g->rule, sev_name(g->severity));
		char *text = xmalloc(strlen(g->path) + strlen(g->message) +
				     (g->hint ? strlen(g->hint) : 0) + 16);
		sprintf(text, "%s%s%s%s%s", g->path, *g->path ? ": " : "", g->message,
			g->hint ? " (hint: " : "", g->hint ? g->hint : "");
		if (g->hint)
			strcat(text, ")");
		json_write_string(out, text, strlen(text));
		free(text);
		fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
		json_write_string(out, g->file, strlen(g->file));
		fputs("}", out);
		if (g->line)
			fprintf(out, ", \"region\": {\"startLine\": %d, \"startColumn\": %d}", g->line,
				g->col);
		fputs("}}]}", out);
	}
	fputs("\n      ]\n    }\n  ]\n}\n", out);
}

void diags_print(struct diags *d, enum diag_format fmt, FILE *out, bool color)
{
	if (d->n)
		qsort(d->v, d->n, sizeof *d->v, by_position);
	if (fmt == FMT_SARIF) {
		print_sarif(d, out);
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		if (fmt == FMT_JSON)
			print_json(&d->v[i], out);
		else if (fmt == FMT_GITHUB)
			print_github(&d->v[i], out);
		else
			print_text(&d->v[i], out, color);
	}
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].path);
		free(d->v[i].message);
		free(d->v[i].hint);
		free(d->v[i].source);
	}
	free(d->v);
	*d = (struct diags){0};
}
