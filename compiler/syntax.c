/* syntax.c - see syntax.h. */
#include "syntax.h"

#include <stdio.h>
#include <string.h>

/* libyaml's problems (and, where one problem has several causes, the context it
 * began with) in plain words. `opened` names what starts at the context mark, added
 * as "(... starts at line L, column C)"; at_context reports at the context mark
 * rather than where the parser gave up. */
struct known {
	const char *problem, *context;
	bool at_context;
	const char *message, *opened, *hint;
};

static const struct known known[] = {
	{"could not find expected ':'", NULL, true,
	 "missing ':' after the key that starts here", NULL,
	 "write `key: value`, with a space after the ':'; a value that goes on to the next line "
	 "is indented more than its key"},
	{"mapping values are not allowed in this context", NULL, false,
	 "unexpected ':' here: a plain value cannot hold ': '", NULL,
	 "quote the value if the ': ' belongs to it, or put the nested mapping on its own "
	 "indented lines"},
	{"did not find expected key", NULL, false,
	 "expected a key at this line's indentation", "the mapping",
	 "the keys of one mapping start in the same column; check this line's indentation"},
	{"did not find expected '-' indicator", NULL, false,
	 "expected a '- ' list item at this line's indentation", "the list",
	 "the items of one list start with '- ' in the same column; check this line's indentation"},
	{"did not find expected ',' or ']'", NULL, false,
	 "unclosed '[': expected ',' or ']' here", "the list",
	 "close the list with ']' and separate its items with ', '"},
	{"did not find expected ',' or '}'", NULL, false,
	 "unclosed '{': expected ',' or '}' here", "the mapping",
	 "close the mapping with '}' and separate its entries with ', '"},
	{"found unexpected end of stream", "while scanning a quoted", true,
	 "unclosed quote: the file ends before this value's closing quote", NULL,
	 "end the value with the quote it starts with; inside '...' write '' for a quote, "
	 "inside \"...\" write \\\""},
	{"found unexpected document indicator", "while scanning a quoted", true,
	 "unclosed quote: a '---' or '...' line comes before this value's closing quote", NULL,
	 "end the value with the quote it starts with"},
	{"did not find expected node content", NULL, false,
	 "a value is missing here", NULL, NULL},
	{"block sequence entries are not allowed in this context", NULL, false,
	 "a '- ' list item cannot start here", NULL,
	 "start the list on the line after its key, or quote a value that begins with '- '"},
	{"mapping keys are not allowed in this context", NULL, false,
	 "a '? ' key cannot start here", NULL, "quote a value that begins with '? '"},
	{"found a tab character", NULL, false,  /* in a block scalar's or plain value's lines */
	 "tab character used for indentation", NULL,
	 "indent with spaces: YAML does not allow tabs in indentation"},
	{"found unknown escape character", NULL, false,
	 "unknown escape sequence in a double-quoted value", NULL,
	 "write \\\\ for a backslash, or use single quotes, which have no escapes"},
	{"did not find expected hexdecimal number", NULL, false,
	 "invalid \\x, \\u or \\U escape: it needs hexadecimal digits", NULL, NULL},
	{"found invalid Unicode character escape code", NULL, false,
	 "invalid \\u or \\U escape: it does not name a Unicode character", NULL, NULL},
	{"did not find expected alphabetic or numeric character", "while scanning an a", false,
	 "an anchor (&) or alias (*) needs a name of letters, digits, '-' or '_'", NULL,
	 "quote a value that begins with '&' or '*'"},
	{"found undefined tag handle", NULL, false,
	 "tag handle not declared by a %TAG directive", NULL,
	 "remove the tag; job files use plain YAML values"},
	{"found incompatible YAML document", NULL, false,
	 "unsupported YAML version in the %YAML directive", NULL,
	 "sparkc reads YAML 1.1 and 1.2 documents (%YAML 1.1 or %YAML 1.2)"},
	{"found duplicate %YAML directive", NULL, false,
	 "the %YAML directive is given twice", NULL, NULL},
	{"found duplicate %TAG directive", NULL, false,
	 "the same %TAG handle is declared twice", NULL, NULL},
	{"did not find expected <document start>", NULL, false,
	 "expected '---' here to start a document", NULL,
	 "after %YAML or %TAG lines, and after a '...' line, a document begins with '---'"},
	{"found unexpected ':'", NULL, false,
	 "':' directly before ',', '[', ']', '{' or '}' in a flow collection", NULL,
	 "quote the value, or put a space after the ':'"},
	/* whole contexts: every problem met while reading these has one cause */
	{NULL, "while scanning a block scalar", false,
	 "invalid block scalar header after | or >", NULL,
	 "write |, |-, |+, >, >- or >+ (optionally with an indentation digit 1-9) and start the "
	 "text on the next line"},
	{NULL, "while scanning a tag", false, "invalid tag", NULL,
	 "remove the tag; job files use plain YAML values"},
	{NULL, "while parsing a tag", false, "invalid tag", NULL,
	 "remove the tag; job files use plain YAML values"},
	{NULL, "while scanning a", false, "invalid directive line (a line starting with '%')", NULL,
	 "a directive is `%YAML 1.2` or `%TAG !handle! prefix`; quote a value that begins with '%'"},
	{NULL, "while parsing a", false, "invalid directive line (a line starting with '%')", NULL,
	 "a directive is `%YAML 1.2` or `%TAG !handle! prefix`; quote a value that begins with '%'"},
};

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* "found character that cannot start any token": what the character is decides. */
static void explain_bad_start(struct source *in, struct syntax_error *out)
{
	int c = source_byte_at(in, out->line, out->col);
	if (c == '\t') {
		bool indent = true;
		for (int col = 1; col < out->col && indent; col++)
			indent = source_byte_at(in, out->line, col) == ' ';
		snprintf(out->message, sizeof out->message, "%s",
			 indent ? "tab character used for indentation" : "tab character before a value");
		out->hint = indent ? "indent with spaces: YAML does not allow tabs in indentation"
				   : "use a space: in the YAML 1.1 that sparkc reads, a tab cannot follow "
				     "'-' or '?'";
	} else if (c > 0x20 && c < 0x7f) {
		snprintf(out->message, sizeof out->message, "'%c' cannot start a plain value%s", c,
			 c == '@' || c == '`' ? ": YAML reserves it" : "");
		out->hint = "put the value in quotes";
	} else {
		snprintf(out->message, sizeof out->message, "this character cannot start a plain value");
		out->hint = "put the value in quotes";
	}
}

/* The source has checked the encoding; what the reader still refuses are characters
 * YAML does not allow anywhere (C0 and C1 controls, U+FFFE, U+FFFF). */
static void explain_reader_error(const yaml_parser_t *p, struct source *in, const char *problem,
				 struct syntax_error *out)
{
	source_position(in, p->problem_offset, &out->line, &out->col);
	if (!strcmp(problem, "control characters are not allowed")) {
		unsigned c = (unsigned)p->problem_value;
		snprintf(out->message, sizeof out->message, "%s U+%04X is not allowed in YAML text",
			 c < 0xA0 ? "control character" : "noncharacter", c);
		out->hint = "remove it, or write it as an escape (such as \\x07) inside a "
			    "double-quoted value";
	} else {
		snprintf(out->message, sizeof out->message, "unreadable text (%s)", problem);
	}
}

/* Text right after a '}' or ']' on the same line: a value that begins with '{' or '['
 * is a flow collection (as in `image: {REGISTRY}/spark:4.0`), which must end at its
 * closing bracket. libyaml then wants the next key ("did not find expected key") or
 * list item, which would point at the indentation. */
static bool explain_after_flow(const yaml_parser_t *p, struct source *in, const char *problem,
			       struct syntax_error *out)
{
	if (p->flow_level || (strcmp(problem, "did not find expected key") &&
			      strcmp(problem, "did not find expected '-' indicator")))
		return false;
	int col = out->col - 1;
	while (col > 0 && source_byte_at(in, out->line, col) == ' ')
		col--;
	int c = col > 0 ? source_byte_at(in, out->line, col) : 0;
	if (c != '}' && c != ']')
		return false;
	snprintf(out->message, sizeof out->message,
		 "text after a closed %s: a value that starts with '%c' is a flow %s, which ends at "
		 "its '%c'", c == '}' ? "'{...}'" : "'[...]'", c == '}' ? '{' : '[',
		 c == '}' ? "mapping" : "list", c);
	out->hint = "put the whole value in quotes if the brackets belong to the text";
	return true;
}

/* The first row of the known table that matches the parser's problem and context;
 * false when none does. */
static bool explain_known(const yaml_parser_t *p, const char *problem, const char *context,
			  struct syntax_error *out)
{
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		const struct known *k = &known[i];
		if ((k->problem && !starts_with(problem, k->problem)) ||
		    (k->context && !starts_with(context, k->context)))
			continue;
		if (k->at_context && context) {
			out->line = (int)p->context_mark.line + 1;
			out->col = (int)p->context_mark.column + 1;
		}
		if (k->opened && context)
			snprintf(out->message, sizeof out->message, "%s (%s starts at line %d, column %d)",
				 k->message, k->opened, (int)p->context_mark.line + 1,
				 (int)p->context_mark.column + 1);
		else
			snprintf(out->message, sizeof out->message, "%s", k->message);
		out->hint = k->hint;
		return true;
	}
	return false;
}

void syntax_explain(const yaml_parser_t *p, struct source *in,
		    const yaml_mark_t *plain_start, struct syntax_error *out)
{
	*out = (struct syntax_error){.line = (int)p->problem_mark.line + 1,
				     .col = (int)p->problem_mark.column + 1};
	const char *problem = p->problem ? p->problem : "", *context = p->context;
	if (p->error == YAML_MEMORY_ERROR) {
		snprintf(out->message, sizeof out->message, "out of memory while reading the YAML");
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		explain_reader_error(p, in, problem, out);
		return;
	}
	if (!strcmp(problem, "mapping values are not allowed in this context") && plain_start &&
	    (int)plain_start->line + 1 < out->line) {
		/* a plain value ran on over lines into a `key: value` line */
		snprintf(out->message, sizeof out->message,
			 "unexpected ':' here: this line continues the value that starts at line %d, "
			 "column %d", (int)plain_start->line + 1, (int)plain_start->column + 1);
		out->hint = "check the indentation: a line indented deeper than the key above it "
			    "continues that key's value, and a key needs ': ' after it";
		return;
	}
	if (!strcmp(problem, "found character that cannot start any token")) {
		explain_bad_start(in, out);
		return;
	}
	/* the input ended where a value was to come: the token that did not fit is the end */
	bool at_end = p->tokens.head < p->tokens.tail &&
		      p->tokens.head->type == YAML_STREAM_END_TOKEN;
	if (at_end && !strcmp(problem, "did not find expected node content")) {
		snprintf(out->message, sizeof out->message, "%s",
			 p->flow_level ? "unclosed '[' or '{': the file ends before it is closed"
				       : "the file ends where a value is expected");
		out->hint = p->flow_level ? "close each '[' with ']' and each '{' with '}'" : NULL;
		return;
	}
	if (explain_after_flow(p, in, problem, out))
		return;
	if (explain_known(p, problem, context, out))
		return;
	/* a problem not listed above: say so plainly, and keep the parser's words */
	snprintf(out->message, sizeof out->message, "invalid YAML here (the parser reports: %s%s%s)",
		 context ? context : "", context ? ", " : "", problem);
}
