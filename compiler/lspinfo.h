/* lspinfo.h - what sparkc knows about the place under the editor's cursor:
 *
 * - hover: a job key's description from the job schema (an enum value's own); a
 *   spark_conf / sparkConf key's entry in Spark's configuration registry, with the
 *   Spark version the job runs; on driver_resources / executor_resources (a manifest's
 *   driver / executor) the role's pod as explain computes it;
 * - completion: the schema's keys where a key is being typed and its values (enums,
 *   booleans) after `key: `; in spark_conf / sparkConf, the registry's keys for the
 *   job's Spark version (deprecated ones tagged, removed and newer ones left out).
 *
 * Read from the document as the pipeline resolves it (lsptree.h); nothing here judges a
 * job, the diagnostics do. */
#ifndef SPARKC_LSPINFO_H
#define SPARKC_LSPINFO_H

#include <jansson.h>
#include <stddef.h>

#include "lsptext.h"
#include "pipeline.h"

/* The hover at byte offset of text (a document named name): Markdown to free(), and in
 * *start, *end the bytes it is about; NULL when there is nothing to say. */
char *lsp_hover(const struct text *text, const char *name, size_t offset, const struct options *opt,
		size_t *start, size_t *end);

/* The CompletionItems at byte offset, a new JSON array (empty when none); their text
 * edits' ranges in the encoding enc. A key whose value goes on the lines below puts the
 * cursor there, indented, as a snippet when the client takes snippets; else the key
 * alone (a client's plain completion may insert a line break as a NUL: Neovim's). */
json_t *lsp_completion(const struct text *text, const char *name, size_t offset, const struct options *opt,
		       enum position_encoding enc, bool snippets);

/* completionItem/resolve: a spark_conf key's item (data.key) given its documentation. */
void lsp_completion_resolve(json_t *item);

#endif
