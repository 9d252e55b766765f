/* escape.h - text from input made safe to print: control characters escaped.
 *
 * Names, namespaces, keys, values and file names come from files a pull request
 * writes. Printed raw, a control character would move a terminal's cursor, recolour
 * it, or start a line that a CI log takes for its own (a forged `::error`). So every
 * writer shows them as escapes, by one rule (escape_control): the text and github
 * diagnostics, sparkc's own messages that echo a name (escape_text, print_escaped),
 * and the JUnit and TAP reports, whose syntaxes add their own escapes around it
 * (report.c). JSON and SARIF escape the same characters the JSON way (emit.c). */
#ifndef SPARKC_ESCAPE_H
#define SPARKC_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), its code point
 * in *cp; 0 when the bytes are not UTF-8 (input files are checked as UTF-8 when read,
 * but file names and arguments come from the command line as any bytes). */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* How control character c is shown: "\n", "\r", "\t", "\x1b" (C0, DEL and C1
 * controls), "\u2028" (the line and paragraph separators, which YAML 1.1 and some
 * log viewers take for line breaks, and the bidirectional overrides and isolates,
 * which reorder what a reader sees), written into buf; NULL for any other character,
 * which is printed as it is. */
const char *escape_control(uint32_t c, char buf[static 8]);

/* GitHub's runner takes a line of a step's output (stdout or stderr) for a workflow
 * command when, its leading white space trimmed, it starts with "::" (actions/runner,
 * src/Runner.Common/ActionCommand.cs, TryParseV2), or when "##[" appears anywhere in
 * it (TryParse, the older form, which src/Runner.Worker/ActionCommandManager.cs,
 * TryProcessCommand, still tries): a forged ::error, or a ##[stop-commands] that
 * silences every later annotation. Whether the character c at s[i] (of n bytes) is one
 * a writer must show escaped, in its own syntax, so that no such line comes of it: the
 * '[' of "##[", or the first ':' of a "::" with nothing but white space before it.
 * *head says "nothing but white space before i": true before the text's first
 * character, kept up to date by each call (made for every character in turn). */
bool escape_forges_command(const char *s, size_t n, size_t i, uint32_t c, bool *head);

/* Append n bytes of s to b, control characters escaped, and each byte that is not
 * UTF-8 as \xHH; the '[' of "##[" as \x5b, and a ':' that starts "::" after
 * nothing but white space as \x3a (the text may start a line). */
void escape_text(struct strbuf *b, const char *s, size_t n);

/* printf to f as one write, with every control character the arguments bring
 * escaped: the format's own text holds none but a final newline, which stays. */
void print_escaped(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
