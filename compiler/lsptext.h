/* lsptext.h - a document's text as the editor holds it, and the three ways to say
 * where something is in it:
 *
 * - a byte offset, what the text is stored and edited by;
 * - a Language Server Protocol position: a line (lines end at \n, \r\n or \r) and a
 *   character counted in the encoding the client and server agreed on (UTF-16 code
 *   units unless the client offers UTF-8 or UTF-32);
 * - a sparkc mark: line:column, 1-based, as libyaml counts them and every diagnostic
 *   names them (lines also end at NEL, U+2028 and U+2029; columns count characters; a
 *   byte-order mark at the start is not one).
 *
 * Positions past a line's end mean its end, and past the text's end its end, as the
 * protocol asks; nothing here fails on any text or position. */
#ifndef SPARKC_LSPTEXT_H
#define SPARKC_LSPTEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum position_encoding { POS_UTF16, POS_UTF8, POS_UTF32 };

/* The protocol's names for them: "utf-16", "utf-8", "utf-32". */
extern const char *const position_encoding_names[3];

struct text {
	char *p;                /* not NUL-terminated (a text may hold NUL) */
	size_t len, cap;
	/* where each line starts, by the protocol's line breaks and by libyaml's: made
	 * again by every change, so that a position is found in its line alone */
	size_t *lines, nlines, *yaml_lines, nyaml_lines;
};

void text_set(struct text *t, const char *s, size_t n);
/* Replace bytes [start, end) with n bytes of s. */
void text_replace(struct text *t, size_t start, size_t end, const char *s, size_t n);
void text_free(struct text *t);

/* A protocol position -> byte offset, and back. */
size_t text_offset(const struct text *t, long long line, long long character, enum position_encoding enc);
void text_position(const struct text *t, size_t offset, enum position_encoding enc, long long *line,
		   long long *character);

/* The protocol's Range {start, end} of bytes [start, end), a new JSON object. */
json_t *text_range_json(const struct text *t, size_t start, size_t end, enum position_encoding enc);

/* A JSON string of n bytes of s, each byte that is not part of a UTF-8 character (a
 * message cut short, say) as U+FFFD: what the client gets is always UTF-8. */
json_t *text_json_string(const char *s, size_t n);

/* A sparkc mark -> byte offset (line 0: the text's start), and back. */
size_t text_mark_offset(const struct text *t, int line, int col);
void text_mark(const struct text *t, size_t offset, int *line, int *col);

/* Where the line holding offset starts and ends (before its line break), in bytes. */
size_t text_line_start(const struct text *t, size_t offset);
size_t text_line_end(const struct text *t, size_t offset);
/* The line break that ends the line holding offset ("\r\n", "\r" or "\n"; the last line,
 * which may have none, the text's first): what a fix that adds lines writes. */
const char *text_line_break(const struct text *t, size_t offset);

/* The end of the YAML token that starts at offset, on its line: a quoted scalar to its
 * closing quote, a plain one to the `: `, ` #`, line end (or, inside a flow
 * collection, `,` `]` `}`) that ends it, a flow collection to its closing bracket when
 * that is on the line, an indicator (`- `, `? `, `|`, `>`) alone; from inside a quoted
 * scalar (a diagnostic about a part of it), to before its closing quote. At least one
 * character where the line has one. What a diagnostic's range covers and a quick fix
 * replaces. */
size_t text_token_end(const struct text *t, size_t offset);

#endif
