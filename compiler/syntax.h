/* syntax.h - the YAML parser's errors in sparkc's words.
 *
 * libyaml reports an error as a problem ("could not find expected ':'"), the context
 * it was reading ("while scanning a simple key") and a mark for each. This turns
 * them into one plain sentence at the position that helps most (the unclosed quote,
 * the key without ':'), with a hint where one helps; the source is consulted for
 * the character at the mark (a tab, a reserved indicator). */
#ifndef SPARKC_SYNTAX_H
#define SPARKC_SYNTAX_H

#include <yaml.h>

#include "source.h"

struct syntax_error {
	int line, col;          /* 1-based */
	char message[256];
	const char *hint;       /* may be NULL */
};

/* plain_start is where the last node the parser reported starts when it was a plain
 * scalar (else NULL): a ': ' right after one that began on an earlier line means a
 * line continued the value above it, an indentation mistake. */
void syntax_explain(const yaml_parser_t *parser, struct source *in,
		    const yaml_mark_t *plain_start, struct syntax_error *out);

#endif
