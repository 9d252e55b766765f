/* lspfix.h - the quick fixes a diagnostic already names, as code actions: the key or
 * value a "did you mean" offers; a deprecated spark_conf key's replacement, where Spark
 * names one key; executor_cores set to the CPUs an executor requests (executor-cores);
 * and an ignore comment for the rule on the line above, where the rule may be silenced.
 * Each is a text edit of the document; none decides anything the diagnostic did not
 * say. */
#ifndef SPARKC_LSPFIX_H
#define SPARKC_LSPFIX_H

#include <jansson.h>

#include "diag.h"
#include "lsptext.h"
#include "pipeline.h"

/* The CodeActions for the diagnostics d (the document's latest) whose range meets bytes
 * [start, end] of text, a document at uri named name: a new JSON array. */
json_t *lsp_code_actions(const struct text *text, const char *uri, const char *name, const struct diags *d,
			 size_t start, size_t end, const struct options *opt, enum position_encoding enc);

#endif
