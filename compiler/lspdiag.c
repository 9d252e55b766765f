/* lspdiag.c - see lspdiag.h. */
#include "lspdiag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rules.h"

enum { SEVERITY_ERROR = 1, SEVERITY_WARNING = 2, TAG_DEPRECATED = 2 };

/* Whether g is about the document itself, at a position in it. */
static bool in_document(const char *name, const struct diag *g)
{
	return g->line > 0 && !strcmp(g->file, name);
}

bool lsp_diag_span(const struct text *text, const char *name, const struct diag *g, size_t *start, size_t *end)
{
	*start = *end = 0;
	if (!in_document(name, g))
		return false;
	*start = text_mark_offset(text, g->line, g->col);
	*end = text_token_end(text, *start);
	return true;
}

json_t *lsp_diag_json(const struct text *text, const char *uri, const char *name, const struct diag *g,
		      enum position_encoding enc)
{
	size_t start, end;
	lsp_diag_span(text, name, g, &start, &end);
	json_t *d = json_object();
	json_object_set_new(d, "range", text_range_json(text, start, end, enc));
	json_object_set_new(d, "severity", json_integer(g->severity == SEV_ERROR ? SEVERITY_ERROR : SEVERITY_WARNING));
	json_object_set_new(d, "code", json_string(g->rule));
	const struct rule *rule = rule_find(g->rule);
	if (rule)       /* the rule's text in docs/rules.md, where SARIF's helpUri points too */
		json_object_set_new(d, "codeDescription", json_pack("{s:s++}", "href", SPARKC_RULES_URL, "#", rule->id));
	json_object_set_new(d, "source", json_string("sparkc"));
	char *message;
	size_t len;
	FILE *m = open_memstream(&message, &len);
	if (strcmp(g->file, name))      /* another file's: named, with its position */
		fprintf(m, g->line ? "%s:%d:%d: " : "%s: ", g->file, g->line, g->col);
	fprintf(m, "%s%s%s", g->path, *g->path ? ": " : "", g->message);
	fclose(m);
	json_object_set_new(d, "message", text_json_string(message, len));
	free(message);
	if (g->hint) {
		json_t *info = json_object(), *location = json_object();
		json_object_set_new(location, "uri", json_string(uri));
		json_object_set_new(location, "range", text_range_json(text, start, end, enc));
		json_object_set_new(info, "location", location);
		char *hint = xmalloc(strlen(g->hint) + 7);
		sprintf(hint, "hint: %s", g->hint);
		json_object_set_new(info, "message", text_json_string(hint, strlen(hint)));
		free(hint);
		json_object_set_new(d, "relatedInformation", json_pack("[o]", info));
	}
	if (!strcmp(g->rule, "conf-deprecated"))
		json_object_set_new(d, "tags", json_pack("[i]", TAG_DEPRECATED));
	return d;
}
