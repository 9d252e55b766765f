/* suppress.c - see suppress.h. */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rules.h"
#include "source.h"
#include "suggest.h"

enum scope { ON_LINE, LINE_AND_NEXT, WHOLE_FILE, ONE_DOCUMENT };

struct ignored_rule {
	const struct rule *rule;
	bool used;
	int refused_line;       /* the line of an error it may not silence, or 0 */
	const char *refused_why;
};

struct ignore {
	int line, col;          /* the comment's `#`, or the annotation's value */
	enum scope scope;
	int next;               /* LINE_AND_NEXT: the line below it and the comments stacked under it */
	size_t doc;             /* ONE_DOCUMENT: which */
	const char *path;       /* "" for a comment, the annotation's path */
	char *frame;            /* its source line, for what apply reports about it */
	int caret;
	struct ignored_rule *rules;
	size_t nrules;
};

struct suppressions {
	struct ignore *v;
	size_t n, cap;
};

static const char annotation_key[] = "sparkc.io/ignore";

struct suppressions *suppressions_new(void)
{
	struct suppressions *s = xmalloc(sizeof *s);
	*s = (struct suppressions){0};
	return s;
}

static void forget(struct suppressions *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].frame);
		free(s->v[i].rules);
	}
	s->n = 0;
}

void suppressions_free(struct suppressions *s)
{
	if (!s)
		return;
	forget(s);
	free(s->v);
	free(s);
}

/* A character of a rule id, in either case: ids are read as the directive is. */
static bool rule_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* One rule id of a list at text[*at] (ASCII, any case), added to ig, or reported at
 * col + *at. */
static void take_rule(struct ignore *ig, struct diag_src *src, const char *text, size_t len, int col,
		      const char *path)
{
	char id[64];
	size_t n = 0;
	for (; n < len && n < sizeof id - 1; n++)
		id[n] = (char)(text[n] >= 'A' && text[n] <= 'Z' ? text[n] - 'A' + 'a' : text[n]);
	id[n] = 0;
	const struct rule *r = rule_find(id);
	if (!r) {
		char hint[128];
		const char *near = did_you_mean(hint, sizeof hint, rule_closest(id), true);
		diag_add(src, ig->line, col, SEV_ERROR, "ignore-invalid", path,
			 near ? near : "`sparkc rules` lists the rules",
			 "'%.*s' is not a sparkc rule", (int)len, text);
		return;
	}
	for (size_t i = 0; i < ig->nrules; i++)
		if (ig->rules[i].rule == r)
			return;
	ig->rules = xrealloc(ig->rules, (ig->nrules + 1) * sizeof *ig->rules);
	ig->rules[ig->nrules++] = (struct ignored_rule){.rule = r};
}

static void keep(struct suppressions *s, struct ignore *ig, struct diag_src *src)
{
	/* comments stacked alone above a line all reach it (one rule a line, as people
	 * write them when each needs its reason) */
	for (size_t i = 0; i < s->n && ig->scope == LINE_AND_NEXT; i++)
		if (s->v[i].scope == LINE_AND_NEXT && s->v[i].next == ig->line)
			s->v[i].next = ig->line + 1;
	if (!ig->nrules)
		return;
	ig->frame = src->source ? source_excerpt(src->source, ig->line, ig->col, &ig->caret) : NULL;
	if (s->n == s->cap)
		s->v = xrealloc(s->v, (s->cap = s->cap ? 2 * s->cap : 8) * sizeof *s->v);
	s->v[s->n++] = *ig;
}

static const char list_hint[] = "write the rules, comma-separated, then optionally ' -- ' and the reason: "
				"# sparkc:ignore executor-cores -- one task slot on purpose";

void suppress_comment(struct suppressions *s, struct diag_src *src, const struct loader_comment *c)
{
	const char *p = c->text + 1, *end = c->text + c->len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	p += strlen("sparkc");          /* the loader found it there, then a ':' (source.h) */
	while (p < end && *p != ':')
		p++;
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	const char *word = p;
	char directive[32];
	size_t dlen = 0;
	for (; p < end && rule_char(*p); p++)
		if (dlen < sizeof directive - 1)
			directive[dlen++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	directive[dlen] = 0;
	static const char *const directives[] = {"ignore", "ignore-file"};
	int col = c->col + (int)(word - c->text);
	if (strcmp(directive, directives[0]) && strcmp(directive, directives[1])) {
		/* "sparkc:" in prose is no directive; a near miss of one is, and so are
		 * the words other linters' comments use (ESLint's disable, flake8's noqa) */
		static const char *const habits[][2] = {
			{"disable", "ignore"}, {"disable-line", "ignore"}, {"disable-next-line", "ignore"},
			{"noqa", "ignore"}, {"skip", "ignore"}, {"nolint", "ignore"}, {"ignore-line", "ignore"},
			{"ignore-next-line", "ignore"}, {"disable-file", "ignore-file"}, {"skip-file", "ignore-file"},
		};
		const char *near = *directive ? closest_word(directive, directives, 2) : NULL;
		for (size_t i = 0; !near && i < sizeof habits / sizeof *habits; i++)
			if (!strcmp(directive, habits[i][0]))
				near = habits[i][1];
		char hint[64];
		if (near)
			diag_add(src, c->line, col, SEV_ERROR, "ignore-invalid", "", did_you_mean(hint, sizeof hint, near, true),
				 "'sparkc:%s' is not a sparkc comment: sparkc:ignore or sparkc:ignore-file", directive);
		return;
	}
	struct ignore ig = {.line = c->line, .col = c->col, .path = "",
			    .scope = strcmp(directive, "ignore") ? WHOLE_FILE : c->alone ? LINE_AND_NEXT : ON_LINE,
			    .next = c->line + 1};
	bool listed = false;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || (listed && *p == ',')))
			p++;
		if (p == end || (p + 1 < end && p[0] == '-' && p[1] == '-' && (p + 2 == end || p[2] == ' ')))
			break;          /* the end, or the reason */
		const char *id = p;
		while (p < end && rule_char(*p))
			p++;
		if (p == id || (p < end && *p != ' ' && *p != '\t' && *p != ',')) {
			diag_add(src, c->line, c->col + (int)(id - c->text), SEV_ERROR, "ignore-invalid", "", list_hint,
				 "expected a rule id, ',' or ' -- reason' here");
			return;
		}
		take_rule(&ig, src, id, (size_t)(p - id), c->col + (int)(id - c->text), "");
		listed = true;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == ',')
			p++;
		else if (p < end && !(p + 1 < end && p[0] == '-' && p[1] == '-')) {
			diag_add(src, c->line, c->col + (int)(p - c->text), SEV_ERROR, "ignore-invalid", "", list_hint,
				 "expected ',' or ' -- reason' after the rules");
			free(ig.rules);
			return;
		}
	}
	if (!listed)
		diag_add(src, c->line, col, SEV_ERROR, "ignore-invalid", "", list_hint,
			 "sparkc:%s names no rule", directive);
	keep(s, &ig, src);
}

void suppress_annotation(struct suppressions *s, struct diag_src *src, const struct node *doc)
{
	const struct node *v = node_get(node_get(node_get(doc, "metadata"), "annotations"), annotation_key);
	if (!v)
		return;
	const char *path = "metadata.annotations.sparkc.io/ignore";
	if (!node_is_text(v)) {
		diag_node(src, v, SEV_ERROR, "ignore-invalid", path, "e.g. sparkc.io/ignore: \"executor-cores,conf-unknown\"",
			  "expected a string of comma-separated rule ids, got %s", node_kind_name(v->kind));
		return;
	}
	struct ignore ig = {.line = v->line, .col = v->col, .scope = ONE_DOCUMENT, .doc = src->doc, .path = path};
	const char *p = v->text, *end = v->text + v->len;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == ','))
			p++;
		const char *id = p;
		while (p < end && *p != ',' && *p != ' ')
			p++;
		if (p > id)
			take_rule(&ig, src, id, (size_t)(p - id), v->col, path);
	}
	if (!ig.nrules && !v->len)
		diag_node(src, v, SEV_ERROR, "ignore-invalid", path, "e.g. sparkc.io/ignore: \"executor-cores\"",
			  "names no rule");
	keep(s, &ig, src);
}

static bool covers(const struct ignore *ig, const struct diag *g)
{
	switch (ig->scope) {
	case ON_LINE: return g->line == ig->line;
	case LINE_AND_NEXT: return g->line == ig->line || g->line == ig->next;
	case WHOLE_FILE: return true;
	case ONE_DOCUMENT: return g->doc == ig->doc;
	}
	return false;
}

/* Whether g is silenced; each rule that meets it is used, or notes why it may not. */
static bool silenced(struct suppressions *s, const struct diag *g)
{
	bool silence = false;
	for (size_t i = 0; i < s->n; i++) {
		struct ignore *ig = &s->v[i];
		for (size_t k = 0; k < ig->nrules && covers(ig, g); k++) {
			struct ignored_rule *ir = &ig->rules[k];
			if (strcmp(ir->rule->id, g->rule))
				continue;
			ir->used = true;
			if (rule_silenceable(ir->rule, g->severity, &ir->refused_why))
				silence = true;
			else if (!ir->refused_line)
				ir->refused_line = g->line ? g->line : -1;
		}
	}
	return silence;
}

/* The rule of an ignore comment (not an annotation) of s that silences g, or NULL. */
static const struct rule *commented(const struct suppressions *s, const struct diag *g)
{
	for (size_t j = 0; j < s->n; j++)
		for (size_t k = 0; k < s->v[j].nrules; k++) {
			const struct rule *r = s->v[j].rules[k].rule;
			const char *why;
			if (s->v[j].scope != ONE_DOCUMENT && covers(&s->v[j], g) && !strcmp(r->id, g->rule) &&
			    rule_silenceable(r, g->severity, &why))
				return r;
		}
	return NULL;
}

size_t suppress_commented(const struct suppressions *s, const struct diags *d, size_t first, const char **ids,
			  size_t max)
{
	size_t n = 0;
	for (size_t i = first; i < d->n && n < max; i++) {
		const struct rule *r = commented(s, &d->v[i]);
		bool listed = !r;
		for (size_t k = 0; k < n && !listed; k++)
			listed = ids[k] == r->id;
		if (r && !listed)
			ids[n++] = r->id;
	}
	return n;
}

/* How many objects of the file name rule r in their annotation, as the i-th
 * suppression (an annotation) does, if none of them used it and the i-th is the first:
 * one annotation that kustomize's commonAnnotations wrote on every object is used when
 * it silenced something in any of them, and unused once. 0: not reported here. */
static size_t unused_annotation(const struct suppressions *s, size_t i, const struct rule *r)
{
	size_t carriers = 1;
	for (size_t j = 0; j < s->n; j++) {
		if (j == i || s->v[j].scope != ONE_DOCUMENT)
			continue;
		for (size_t k = 0; k < s->v[j].nrules; k++) {
			if (s->v[j].rules[k].rule != r)
				continue;
			if (s->v[j].rules[k].used || j < i)
				return 0;
			carriers++;
		}
	}
	return carriers;
}

static const char *const scope_words[] = {
	[ON_LINE] = "on this line", [LINE_AND_NEXT] = "on this line or the next",
	[WHOLE_FILE] = "in this file", [ONE_DOCUMENT] = "in this object"};

/* Remove d's diagnostics from first on that s silences; how many. */
static size_t remove_silenced(struct suppressions *s, struct diags *d, size_t first)
{
	size_t count = 0, kept = first;
	for (size_t i = first; i < d->n; i++) {
		if (s->n && silenced(s, &d->v[i])) {
			diag_free(&d->v[i]);
			count++;
		} else {
			d->v[kept++] = d->v[i];
		}
	}
	d->n = kept;
	return count;
}

/* What s's ignores say of themselves: refused, unused. Those of unused-ignore (meta)
 * or of the other rules, as unused-ignore's are known only once the others' are. */
static void report_ignores(struct suppressions *s, struct diags *d, const char *file, bool checked, bool meta)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct ignore *ig = &s->v[i];
		struct diag_src src = {.diags = d, .file = file, .doc = ig->doc, .frame = ig->frame,
				       .frame_caret = ig->caret};
		for (size_t k = 0; k < ig->nrules; k++) {
			const struct ignored_rule *ir = &ig->rules[k];
			if (meta != !strcmp(ir->rule->id, "unused-ignore"))
				continue;
			size_t carriers = ir->used || !checked ? 0
					  : ig->scope == ONE_DOCUMENT ? unused_annotation(s, i, ir->rule) : 1;
			char at[32] = "";
			if (ir->refused_line > 0)
				snprintf(at, sizeof at, " at line %d", ir->refused_line);
			if (ir->refused_line)
				diag_add(&src, ig->line, ig->col, SEV_ERROR, "ignore-refused", ig->path,
					 "fix what it reports: only warnings, and the errors `sparkc rules` marks ignorable "
					 "(a policy), can be silenced",
					 "the %s error%s cannot be ignored: %s", ir->rule->id, at, ir->refused_why);
			else if (carriers == 1)
				diag_add(&src, ig->line, ig->col, SEV_WARNING, "unused-ignore", ig->path,
					 ig->nrules > 1 ? "remove it from the list" : "remove the suppression",
					 "'%s' reports nothing %s to ignore", ir->rule->id, scope_words[ig->scope]);
			else if (carriers)
				diag_add(&src, ig->line, ig->col, SEV_WARNING, "unused-ignore", ig->path,
					 "remove it from the annotations (or from kustomize's commonAnnotations)",
					 "'%s' reports nothing in any of the %zu objects of this file whose annotation names it",
					 ir->rule->id, carriers);
		}
	}
}

size_t suppress_apply(struct suppressions *s, struct diags *d, size_t first, const char *file, bool checked)
{
	size_t count = remove_silenced(s, d, first), unused = d->n;
	report_ignores(s, d, file, checked, false);
	/* an ignore of unused-ignore (ruff's noqa: RUF100) silences what the others said */
	count += remove_silenced(s, d, unused);
	report_ignores(s, d, file, checked, true);
	forget(s);
	diags_recount(d);
	return count;
}
