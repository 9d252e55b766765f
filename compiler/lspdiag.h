/* lspdiag.h - sparkc's diagnostics as the Language Server Protocol's Diagnostic: the
 * same finding `sparkc validate` prints, with its range in the document (the token at
 * its line:column), severity, rule id as `code` with a link to the rule's text in
 * docs/rules.md (codeDescription.href, as SARIF's helpUri), the
 * path and message, and the hint as related information. A diagnostic about another
 * file (a template, a configuration file) is shown at the document's start, naming
 * that file and position. */
#ifndef SPARKC_LSPDIAG_H
#define SPARKC_LSPDIAG_H

#include <jansson.h>
#include <stdbool.h>

#include "diag.h"
#include "lsptext.h"

/* The bytes [*start, *end) of text (a document named name) that g is about; false (and
 * [0, 0)) when g is about no position in it. */
bool lsp_diag_span(const struct text *text, const char *name, const struct diag *g, size_t *start, size_t *end);

/* g as a new Diagnostic object, its range in the encoding enc. */
json_t *lsp_diag_json(const struct text *text, const char *uri, const char *name, const struct diag *g,
		      enum position_encoding enc);

#endif
