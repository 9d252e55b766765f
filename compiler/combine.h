/* combine.h - several results as one stream: the one place that decides what goes
 * between the manifests compile prints and the explanations explain prints.
 *
 *   COMBINE_YAML        YAML documents, "---" between two
 *   COMBINE_JSON_LIST   one JSON object as it is; several, the items of a v1 List, as
 *                       `kubectl get -o json` prints them (indented 8, keys at 4)
 *   COMBINE_JSON_ARRAY  one JSON value as it is; several, a JSON array of them
 *   COMBINE_TEXT        texts, a blank line between two
 *
 * Each result comes rendered, ending in a newline (emit.c writes them). A lone JSON
 * result is written bare, so the first one is held until a second one or the end. */
#ifndef SPARKC_COMBINE_H
#define SPARKC_COMBINE_H

#include <stddef.h>

#include "strbuf.h"

enum combine_format { COMBINE_YAML, COMBINE_JSON_LIST, COMBINE_JSON_ARRAY, COMBINE_TEXT };

struct combine {
	enum combine_format fmt;
	struct strbuf *out;     /* the stream so far; the caller may write and empty it */
	size_t n;               /* results added */
	struct strbuf first;    /* JSON: the first result, until it is known not to be alone */
};

/* Start a stream of fmt into out. */
void combine_begin(struct combine *c, enum combine_format fmt, struct strbuf *out);
/* Add one result (len bytes of text); what goes before it is added to out first. */
void combine_add(struct combine *c, const char *text, size_t len);
/* End the stream: what closes it is added to out. Nothing at all for no result. */
void combine_end(struct combine *c);

#endif
