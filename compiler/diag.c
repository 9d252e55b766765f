/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"
#include "mask.h"
#include "node.h"
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
	mask_diag(g, src);
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

const char *severity_name(enum severity s)
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
	fprintf(out, ":%s %s%s:%s ", reset, sevc, severity_name(g->severity), reset);
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

/* One diagnostic as the JSON format's record. */
static struct node *json_record(struct arena *a, const struct diag *g)
{
	struct node *o = node_new(a, N_MAP);
	node_set_str(a, o, "file", g->file);
	node_set_int(a, o, "line", g->line);
	node_set_int(a, o, "column", g->col);
	node_set_str(a, o, "path", g->path);
	node_set_str(a, o, "rule", g->rule);
	node_set_str(a, o, "severity", severity_name(g->severity));
	node_set_str(a, o, "message", g->message);
	node_set_str(a, o, "hint", g->hint);
	return o;
}

static void print_json(const struct diag *g, FILE *out)
{
	struct arena a = {0};
	emit_json_ordered(out, json_record(&a, g), 0);
	fputc('\n', out);
	arena_free(&a);
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

/* One diagnostic as a SARIF 2.1.0 result: the message carries the path and the hint,
 * which SARIF has no field for. */
static struct node *sarif_result(struct arena *a, const struct diag *g)
{
	struct node *r = node_new(a, N_MAP), *msg = node_new(a, N_MAP);
	node_set_str(a, r, "ruleId", g->rule);
	node_set_str(a, r, "level", severity_name(g->severity));
	node_set_str(a, msg, "text", arena_printf(a, "%s%s%s%s%s%s", g->path, *g->path ? ": " : "", g->message,
						  g->hint ? " (hint: " : "", g->hint ? g->hint : "", g->hint ? ")" : ""));
	node_set(a, r, "message", msg);
	struct node *phys = node_new(a, N_MAP), *artifact = node_new(a, N_MAP);
	node_set_str(a, artifact, "uri", g->file);
	node_set(a, phys, "artifactLocation", artifact);
	if (g->line) {
		struct node *region = node_new(a, N_MAP);
		node_set_int(a, region, "startLine", g->line);
		node_set_int(a, region, "startColumn", g->col);
		node_set(a, phys, "region", region);
	}
	struct node *loc = node_new(a, N_MAP), *locs = node_new(a, N_SEQ);
	node_set(a, loc, "physicalLocation", phys);
	node_push(a, locs, loc);
	node_set(a, r, "locations", locs);
	r->flow = true;
	return r;
}

static void print_sarif(const struct diags *d, FILE *out)
{
	struct arena a = {0};
	struct node *log = node_new(&a, N_MAP), *run = node_new(&a, N_MAP);
	struct node *tool = node_new(&a, N_MAP), *driver = node_new(&a, N_MAP);
	struct node *runs = node_new(&a, N_SEQ), *results = node_new(&a, N_SEQ);
	node_set_str(&a, log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	node_set_str(&a, log, "version", "2.1.0");
	node_set_str(&a, driver, "name", "sparkc");
	node_set_str(&a, driver, "version", SPARKC_VERSION);
	node_set(&a, tool, "driver", driver);
	tool->flow = true;
	node_set(&a, run, "tool", tool);
	for (size_t i = 0; i < d->n; i++)
		node_push(&a, results, sarif_result(&a, &d->v[i]));
	node_set(&a, run, "results", results);
	node_push(&a, runs, run);
	node_set(&a, log, "runs", runs);
	emit_json_ordered(out, log, 2);
	fputc('\n', out);
	arena_free(&a);
}

void diags_sort(struct diags *d)
{
	if (d->n)
		qsort(d->v, d->n, sizeof *d->v, by_position);
}

void diags_print(struct diags *d, enum diag_format fmt, FILE *out, bool color)
{
	diags_sort(d);
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

void diags_move(struct diags *to, struct diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		if (to->n == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->v = xrealloc(to->v, to->cap * sizeof *to->v);
		}
		to->v[to->n] = from->v[i];
		to->v[to->n].seq = to->n;
		to->n++;
	}
	to->errors += from->errors;
	to->warnings += from->warnings;
	free(from->v);
	*from = (struct diags){0};
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
