/* emit.h - stage 4: a manifest tree -> YAML or JSON text, byte for byte deterministic.
 *
 * Written here rather than with a YAML library's emitter because the output must be
 * read the same way by YAML 1.1 readers (Go's yaml.v2 inside kubectl, PyYAML) and
 * YAML 1.2 readers alike, and a library emitter that writes a string such as `y`,
 * `on`, `0777` or `1e3` bare lets one of them read it back as a boolean or a number.
 * Every mapping's keys are sorted (the order `kubectl get -o yaml` prints), lists keep
 * their order, indent is two spaces, and no line has trailing spaces.
 *
 * Each function comes twice: the _buf one appends to a buffer, the other writes the
 * document to a stream in one call. */
#ifndef SPARKC_EMIT_H
#define SPARKC_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "node.h"
#include "strbuf.h"

void emit_yaml(FILE *out, const struct node *doc);
void emit_yaml_buf(struct strbuf *b, const struct node *doc);
/* indent: spaces per level (kubectl prints JSON with 4). */
void emit_json(FILE *out, const struct node *doc, int indent, int level);
void emit_json_buf(struct strbuf *b, const struct node *doc, int indent, int level);
/* JSON for sparkc's own reports (explain, diagnostics, SARIF): each mapping's keys in
 * the order they were set, so that a reader finds them where the format documents
 * them. indent 0 writes the whole document on one line, items separated by ", " (one
 * JSON Lines record). No newline at the end. */
void emit_json_ordered(FILE *out, const struct node *doc, int indent);
void emit_json_ordered_buf(struct strbuf *b, const struct node *doc, int indent);

/* Whether a string can be written as a plain YAML scalar and read back, by YAML 1.1
 * and 1.2 readers alike, as the same string. */
bool yaml_plain_safe(const char *s, size_t len);
void json_write_string(FILE *out, const char *s, size_t len);
void json_string_buf(struct strbuf *b, const char *s, size_t len);

#endif
