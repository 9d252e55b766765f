/* lsp.h - `sparkc lsp`: a Language Server Protocol (3.17) server on stdin and stdout,
 * a front of the same pipeline as `sparkc validate` (as krm.h is a front of compile's).
 *
 * Each open document is validated as `sparkc validate` validates a file of its path
 * (pipeline_validate_text: every rule, the templates and limits given), on open and on
 * every change (full or incremental sync), its diagnostics published with ranges, rule
 * ids and hints (lspdiag.h). A change is checked once the client has been quiet for the
 * debounce time (150 ms unless initializationOptions.debounce says otherwise, in
 * milliseconds; never later than a second after the first unchecked change), so that a
 * burst of edits costs one check; a saved file or a changed .sparkc.yaml checks every
 * open document again. Hover and completion come from the schema, Spark's
 * configuration registry and explain's pod sizes (lspinfo.h); code actions are the fixes
 * diagnostics name (lspfix.h). Messages are framed by lspwire.h and read and written
 * with jansson.
 *
 * Whatever arrives, the server answers with a JSON-RPC error or ignores it as the
 * protocol says (malformed frames and JSON, unknown methods, requests before initialize
 * or after shutdown, bad parameters), and ends cleanly when the client exits or goes
 * away. Memory is what the open documents hold: each check's trees live in an arena
 * reset afterwards, each message's JSON is freed once answered. */
#ifndef SPARKC_LSP_H
#define SPARKC_LSP_H

#include "pipeline.h"

/* Serve on file descriptors in and out until exit (0 after shutdown, 1 without, as the
 * protocol asks) or the end of the input (1). opt: validate's options (templates,
 * namespace, limits). */
int lsp_run(int in, int out, const struct options *opt);

#endif
