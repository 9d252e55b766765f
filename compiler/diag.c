/* diag.c - see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"
#include "escape.h"
#include "mask.h"
#include "node.h"
#include "source.h"
#include "strbuf.h"
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

void diag_find_secrets(struct diag_src *src)
{
	if (src->find_secrets)
		src->find_secrets(src);
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
	g->caret = src->frame_caret;
	g->source = src->frame ? xstrdup(src->frame)
		    : src->source ? source_excerpt(src->source, line, col, &g->caret) : NULL;
	diag_find_secrets(src);
	mask_diag(g, src);
	g->seq = d->n++;
	g->doc = src->doc;
	g->fails = sev == SEV_ERROR;
	if (sev == SEV_ERROR)
		d->errors++;
	else
		d->warnings++;
	d->failing += g->fails;
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

/* The source line under a diagnostic, control characters escaped (tabs kept, so that
 * the caret's tabs line up) and so is the '[' of "##[" (escape.h), and the caret under
 * column caret. */
static void text_frame(struct strbuf *b, const struct diag *g, const char *caretc, const char *reset)
{
	char num[16];
	snprintf(num, sizeof num, "%5d | ", g->line);
	strbuf_str(b, num);
	struct strbuf under = {0};      /* what goes before the caret: a space per column */
	const unsigned char *s = (const unsigned char *)g->source;
	size_t n = strlen(g->source);
	int col = 1;
	for (size_t i = 0; i < n; col++) {
		uint32_t c = 0;
		size_t len = utf8_decode(s + i, n - i, &c);
		char buf[8];
		const char *esc = !len ? (snprintf(buf, sizeof buf, "\\x%02x", s[i]), buf)
				  : c == '\t' ? NULL : escape_control(c, buf);
		if (escape_forges_command(g->source, n, i, c, &(bool){false}))
			esc = "\\x5b";       /* of "##[" (a frame line starts with its number) */
		size_t width = esc ? strlen(esc) : 1;
		if (esc)
			strbuf_str(b, esc);
		else
			strbuf_add(b, g->source + i, len);
		for (size_t w = 0; col < g->caret && w < width; w++)
			strbuf_add(&under, c == '\t' && len ? "\t" : " ", 1);
		i += len ? len : 1;
	}
	strbuf_str(b, "\n      | ");
	strbuf_add(b, under.p, under.len);
	free(under.p);
	strbuf_str(b, caretc);
	strbuf_str(b, "^");
	strbuf_str(b, reset);
	strbuf_str(b, "\n");
}

/* `file:line:col: severity: path: message [rule]`, the frame and the hint: text from
 * input escaped, the whole diagnostic written at once. */
static void print_text(const struct diag *g, FILE *out, bool color)
{
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	const char *sevc = !color ? "" : g->severity == SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
	const char *caretc = color ? "\033[1;32m" : "";
	struct strbuf b = {0};
	strbuf_str(&b, bold);
	escape_text(&b, g->file, strlen(g->file));
	if (g->line) {
		char pos[32];
		snprintf(pos, sizeof pos, ":%d:%d", g->line, g->col);
		strbuf_str(&b, pos);
	}
	strbuf_str(&b, ":");
	strbuf_str(&b, reset);
	strbuf_str(&b, " ");
	strbuf_str(&b, sevc);
	strbuf_str(&b, severity_name(g->severity));
	strbuf_str(&b, reset);
	strbuf_str(&b, ": ");
	if (*g->path) {
		escape_text(&b, g->path, strlen(g->path));
		strbuf_str(&b, ": ");
	}
	strbuf_str(&b, bold);
	escape_text(&b, g->message, strlen(g->message));
	strbuf_str(&b, reset);
	strbuf_str(&b, " [");
	strbuf_str(&b, g->rule);
	strbuf_str(&b, "]\n");
	if (g->source)
		text_frame(&b, g, caretc, reset);
	if (g->hint) {
		strbuf_str(&b, "      = hint: ");
		escape_text(&b, g->hint, strlen(g->hint));
		strbuf_str(&b, "\n");
	}
	fwrite(b.p, 1, b.len, out);
	free(b.p);
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

/* GitHub workflow commands: text from input with its control characters escaped
 * first (escape.h), so that none starts a line of its own; then, as the runner reads a
 * command, properties escape % \\r \\n : and , and the message % \\r \\n. */
static void github_escape(struct strbuf *b, const char *s, bool property)
{
	struct strbuf vis = {0};
	escape_text(&vis, s, strlen(s));
	for (size_t i = 0; i < vis.len; i++) {
		switch (vis.p[i]) {
		case '%': strbuf_str(b, "%25"); break;
		case '\r': strbuf_str(b, "%0D"); break;
		case '\n': strbuf_str(b, "%0A"); break;
		case ':': strbuf_str(b, property ? "%3A" : ":"); break;
		case ',': strbuf_str(b, property ? "%2C" : ","); break;
		default: strbuf_add(b, vis.p + i, 1);
		}
	}
	free(vis.p);
}

static void print_github(const struct diag *g, FILE *out)
{
	struct strbuf b = {0};
	strbuf_str(&b, g->severity == SEV_ERROR ? "::error file=" : "::warning file=");
	github_escape(&b, g->file, true);
	if (g->line) {
		char pos[48];
		snprintf(pos, sizeof pos, ",line=%d,col=%d", g->line, g->col);
		strbuf_str(&b, pos);
	}
	strbuf_str(&b, ",title=sparkc ");
	github_escape(&b, g->rule, true);
	strbuf_str(&b, "::");
	if (*g->path) {
		github_escape(&b, g->path, false);
		strbuf_str(&b, ": ");
	}
	github_escape(&b, g->message, false);
	if (g->hint) {
		strbuf_str(&b, " (hint: ");
		github_escape(&b, g->hint, false);
		strbuf_str(&b, ")");
	}
	strbuf_str(&b, "\n");
	fwrite(b.p, 1, b.len, out);
	free(b.p);
}

/* One diagnostic as a SARIF 2.1.0 result: the message carries the path and the hint,
 * which SARIF has no field for; index is its rule's in tool.driver.rules. */
static struct node *sarif_result(struct arena *a, const struct diag *g, long index)
{
	struct node *r = node_new(a, N_MAP), *msg = node_new(a, N_MAP);
	node_set_str(a, r, "ruleId", g->rule);
	if (index >= 0)
		node_set_int(a, r, "ruleIndex", index);
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

/* Markdown's `code` marks taken out, for SARIF's plain text. */
static const char *plain_text(struct arena *a, const char *markdown)
{
	char *s = arena_strndup(a, markdown, strlen(markdown)), *out = s;
	for (const char *p = s; *p; p++)
		if (*p != '`')
			*out++ = *p;
	*out = '\0';
	return s;
}

/* A rule as SARIF's reportingDescriptor: the table's summary, text and source (as
 * plain text and as markdown), and its page in docs/rules.md. */
static struct node *sarif_rule(struct arena *a, const struct rule *rule)
{
	struct node *d = node_new(a, N_MAP), *s = node_new(a, N_MAP), *full = node_new(a, N_MAP);
	struct node *help = node_new(a, N_MAP), *conf = node_new(a, N_MAP);
	node_set_str(a, d, "id", rule->id);
	node_set_str(a, s, "text", plain_text(a, rule->summary));
	node_set(a, d, "shortDescription", s);
	node_set_str(a, full, "text", plain_text(a, rule->text));
	node_set(a, d, "fullDescription", full);
	node_set_str(a, d, "helpUri", arena_printf(a, "%s#%s", SPARKC_RULES_URL, rule->id));
	node_set_str(a, help, "text", plain_text(a, arena_printf(a, "%s Source: %s.", rule->text, rule->source)));
	node_set_str(a, help, "markdown", arena_printf(a, "%s\n\nSource: %s.", rule->text, rule->source));
	node_set(a, d, "help", help);
	node_set_str(a, conf, "level", severity_name(rule->severity));
	node_set(a, d, "defaultConfiguration", conf);
	return d;
}

static void print_sarif(const struct diags *d, FILE *out)
{
	struct arena a = {0};
	struct node *log = node_new(&a, N_MAP), *run = node_new(&a, N_MAP);
	struct node *tool = node_new(&a, N_MAP), *driver = node_new(&a, N_MAP);
	struct node *runs = node_new(&a, N_SEQ), *results = node_new(&a, N_SEQ);
	struct node *described = node_new(&a, N_SEQ);
	node_set_str(&a, log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	node_set_str(&a, log, "version", "2.1.0");
	node_set_str(&a, driver, "name", "sparkc");
	node_set_str(&a, driver, "version", SPARKC_VERSION);
	node_set_str(&a, driver, "informationUri", SPARKC_REPOSITORY);
	/* The rules the results name, in the table's order; each result points at its own. */
	long *index = xmalloc(rules_count * sizeof *index);
	for (size_t i = 0; i < rules_count; i++)
		index[i] = -1;
	for (size_t i = 0; i < d->n; i++) {
		const struct rule *r = rule_find(d->v[i].rule);
		if (r)
			index[r - rules] = 0;
	}
	for (size_t i = 0; i < rules_count; i++)
		if (index[i] == 0) {
			index[i] = (long)described->n;
			node_push(&a, described, sarif_rule(&a, &rules[i]));
		}
	node_set(&a, driver, "rules", described);
	node_set(&a, tool, "driver", driver);
	node_set(&a, run, "tool", tool);
	for (size_t i = 0; i < d->n; i++) {
		const struct rule *r = rule_find(d->v[i].rule);
		node_push(&a, results, sarif_result(&a, &d->v[i], r ? index[r - rules] : -1));
	}
	free(index);
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

void diag_free(struct diag *g)
{
	free(g->file);
	free(g->path);
	free(g->message);
	free(g->hint);
	free(g->source);
}

void diags_recount(struct diags *d)
{
	d->errors = d->warnings = d->failing = 0;
	for (size_t i = 0; i < d->n; i++) {
		d->errors += d->v[i].severity == SEV_ERROR;
		d->warnings += d->v[i].severity == SEV_WARNING;
		d->failing += d->v[i].fails;
	}
}

void diags_drop_warnings(struct diags *d)
{
	size_t kept = 0;
	for (size_t i = 0; i < d->n; i++) {
		struct diag *g = &d->v[i];
		if (g->severity == SEV_ERROR || g->fails)
			d->v[kept++] = *g;
		else
			diag_free(g);
	}
	d->n = kept;
	diags_recount(d);
}

/* "1 file", "2 files" */
static void count(struct strbuf *b, const char *sep, size_t n, const char *one, const char *many,
		  const char *color, const char *reset)
{
	char num[32];
	snprintf(num, sizeof num, "%zu", n);
	strbuf_str(b, sep);
	strbuf_str(b, n ? color : "");
	strbuf_str(b, num);
	strbuf_str(b, " ");
	strbuf_str(b, n == 1 ? one : many);
	strbuf_str(b, n ? reset : "");
}

void diags_summary(const struct diags *d, const struct diag_totals *t, FILE *out, bool color)
{
	const char *reset = color ? "\033[0m" : "";
	struct strbuf b = {0};
	strbuf_str(&b, "sparkc:");
	count(&b, " ", t->files, "file", "files", "", "");
	count(&b, ", ", t->jobs, "job", "jobs", "", "");
	if (t->manifests)
		count(&b, ", ", t->manifests, "manifest", "manifests", "", "");
	count(&b, ": ", d->errors, "error", "errors", color ? "\033[1;31m" : "", reset);
	count(&b, ", ", d->warnings, "warning", "warnings", color ? "\033[1;35m" : "", reset);
	if (t->ignored) {
		char ignored[48];
		snprintf(ignored, sizeof ignored, " (%zu ignored)", t->ignored);
		strbuf_str(&b, ignored);
	}
	if (t->skipped)
		count(&b, ", ", t->skipped, "file skipped", "files skipped", "", "");
	if (t->excluded)
		count(&b, ", ", t->excluded, "path excluded", "paths excluded", "", "");
	/* an exit status of 1 beside "0 errors" says why */
	if (d->failing > d->errors)
		strbuf_str(&b, "; under fail-on warning, warnings fail the run");
	strbuf_str(&b, "\n");
	fwrite(b.p, 1, b.len, out);
	free(b.p);
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
	to->failing += from->failing;
	free(from->v);
	*from = (struct diags){0};
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		diag_free(&d->v[i]);
	free(d->v);
	*d = (struct diags){0};
}
