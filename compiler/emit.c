/* emit.c - see emit.h. */
#include "emit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Strings that some YAML reader resolves to null, a boolean, a number, a date or a
 * merge key when they are written plain. The number test is deliberately broad
 * (YAML 1.1 ints, floats, sexagesimals, hex, octal and binary, YAML 1.2 floats such
 * as 1e3): anything made only of number characters is quoted. */
static bool resolves_to_non_string(const char *s, size_t len)
{
	/* the reserved words, by length (none is longer than 5) */
	static const char *const words[6][16] = {
		[1] = {"~", "y", "Y", "n", "N", "=", NULL},
		[2] = {"no", "No", "NO", "on", "On", "ON", "<<", NULL},
		[3] = {"yes", "Yes", "YES", "off", "Off", "OFF", NULL},
		[4] = {"null", "Null", "NULL", "true", "True", "TRUE", ".inf", ".Inf", ".INF", ".nan",
		       ".NaN", ".NAN", NULL},
		[5] = {"false", "False", "FALSE", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", NULL},
	};
	if (len < 6)
		for (const char *const *w = words[len]; *w; w++)
			if ((*w)[0] == s[0] && !memcmp(*w, s, len))
				return true;
	const char *d = s + (*s == '-' || *s == '+');
	if (*d == '.')
		d++;
	if (*d >= '0' && *d <= '9' && strspn(s, "0123456789abcdefABCDEFxXoO_.:+-") == len)
		return true;
	/* YAML 1.1 timestamps start yyyy-m */
	if (len >= 6 && strspn(s, "0123456789") == 4 && s[4] == '-')
		return true;
	return false;
}

bool yaml_plain_safe(const char *s, size_t len)
{
	if (len == 0 || len != strlen(s))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) || s[len - 1] == ' ' || s[len - 1] == ':')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f)
			return false;   /* controls, line breaks and non-ASCII: double quotes */
		if (c == ':' && s[i + 1] == ' ')
			return false;
		if (c == '#' && s[i - 1] == ' ')
			return false;
	}
	return !resolves_to_non_string(s, len);
}

static void write_double_quoted(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const unsigned char *u = (const unsigned char *)s + i;
		switch (c) {
		case '"': fputs("\\\"", out); continue;
		case '\\': fputs("\\\\", out); continue;
		case '\n': fputs("\\n", out); continue;
		case '\t': fputs("\\t", out); continue;
		case '\r': fputs("\\r", out); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\x%02X", c);
		} else if (c == 0xC2 && i + 1 < len && u[1] == 0x85) {
			fputs("\\N", out);      /* NEL, a line break to YAML 1.1 */
			i++;
		} else if (c == 0xE2 && i + 2 < len && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) {
			fputs(u[2] == 0xA8 ? "\\L" : "\\P", out);
			i += 2;
		} else if (c == 0xEF && i + 2 < len && u[1] == 0xBB && u[2] == 0xBF) {
			fputs("\\uFEFF", out);
			i += 2;
		} else {
			fputc(c, out);
		}
	}
	fputc('"', out);
}

/* A number read as YAML 1.2 float (or an integer too large for 64 bits), as text that
 * YAML 1.1, YAML 1.2 and JSON readers all take for the same number (the shortest that
 * reads back; YAML 1.1 wants a '.' and a signed exponent: 1.5e3 is 1500.0); NULL for
 * infinity and NaN, which JSON has no number for. Manifests never hold one: these are
 * values of objects passed through (sparkc krm). */
static const char *float_text(const struct node *n, char *buf, size_t cap)
{
	const char *s = n->text, *d = s + (*s == '-');
	size_t digits = strspn(d, "0123456789");
	if (digits && !d[digits] && (digits == 1 || d[0] != '0'))
		return s;       /* an integer beyond 64 bits: exact as written */
	if (strpbrk(s, "iInN"))         /* .inf, .nan and their other spellings */
		return NULL;
	double v = strtod(s, NULL);
	if (!isfinite(v))
		return NULL;
	for (int prec = 15; prec <= 17; prec++) {   /* the shortest form that reads back */
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (!strchr(buf, '.')) {
		char *e = strchr(buf, 'e');
		char tail[16] = "";
		if (e) {
			snprintf(tail, sizeof tail, "%s", e);
			*e = '\0';
		}
		strncat(buf, ".0", cap - strlen(buf) - 1);
		strncat(buf, tail, cap - strlen(buf) - 1);
	}
	return buf;
}

static void write_yaml_scalar(FILE *out, const struct node *n)
{
	char buf[40];
	const char *f;
	switch (n->kind) {
	case N_NULL: fputs("null", out); break;
	case N_BOOL: fputs(n->num ? "true" : "false", out); break;
	case N_INT: fprintf(out, "%lld", n->num); break;
	case N_FLOAT:
		if ((f = float_text(n, buf, sizeof buf)))
			fputs(f, out);
		else    /* infinity or NaN: the same in YAML 1.1 and 1.2 */
			fputs(strpbrk(n->text, "aA") ? ".nan" : *n->text == '-' ? "-.inf" : ".inf", out);
		break;
	case N_STR:
		if (yaml_plain_safe(n->text, n->len))
			fwrite(n->text, 1, n->len, out);
		else
			write_double_quoted(out, n->text, n->len);
		break;
	default: break;
	}
}

static int by_key(const void *pa, const void *pb)
{
	const struct pair *a = *(const struct pair *const *)pa, *b = *(const struct pair *const *)pb;
	return strcmp(a->key->text, b->key->text);
}

/* The pairs of a mapping in key order. Small mappings are the rule: a stack array and
 * an insertion sort (glibc's qsort allocates). */
static const struct pair **sorted_pairs(const struct node *map, const struct pair **buf, size_t cap)
{
	const struct pair **v = map->n <= cap ? buf : xmalloc(map->n * sizeof *v);
	for (size_t i = 0; i < map->n; i++)
		v[i] = &map->pairs[i];
	if (map->n > 24) {
		qsort(v, map->n, sizeof *v, by_key);
		return v;
	}
	for (size_t i = 1; i < map->n; i++) {
		const struct pair *p = v[i];
		size_t j = i;
		while (j > 0 && strcmp(v[j - 1]->key->text, p->key->text) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = p;
	}
	return v;
}

static void indent_to(FILE *out, int n)
{
	static const char spaces[] = "                                                                ";
	while (n > 0) {
		int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;
		fwrite(spaces, 1, (size_t)k, out);
		n -= k;
	}
}

static bool is_empty_collection(const struct node *n)
{
	return (n->kind == N_MAP || n->kind == N_SEQ) && n->n == 0;
}

static void emit_value(FILE *out, const struct node *n, int indent, bool inline_first);

/* A value after "key:" or "-": scalars and empty collections on the same line,
 * mappings and lists below it. */
static void emit_after_indicator(FILE *out, const struct node *v, int indent)
{
	if (is_empty_collection(v)) {
		fputs(v->kind == N_MAP ? " {}\n" : " []\n", out);
	} else if (v->kind == N_MAP || v->kind == N_SEQ) {
		fputc('\n', out);
		emit_value(out, v, indent + 2, false);
	} else {
		fputc(' ', out);
		write_yaml_scalar(out, v);
		fputc('\n', out);
	}
}

/* inline_first: the first line's indent was already written (after "- "). */
static void emit_value(FILE *out, const struct node *n, int indent, bool inline_first)
{
	if (n->kind == N_MAP) {
		const struct pair *buf[64];
		const struct pair **v = sorted_pairs(n, buf, 64);
		for (size_t i = 0; i < n->n; i++) {
			if (i || !inline_first)
				indent_to(out, indent);
			write_yaml_scalar(out, v[i]->key);
			fputc(':', out);
			emit_after_indicator(out, v[i]->value, indent);
		}
		if (v != buf)
			free(v);
	} else if (n->kind == N_SEQ) {
		for (size_t i = 0; i < n->n; i++) {
			const struct node *it = n->items[i];
			if (i || !inline_first)
				indent_to(out, indent);
			fputc('-', out);
			if ((it->kind == N_MAP || it->kind == N_SEQ) && it->n) {
				fputc(' ', out);
				emit_value(out, it, indent + 2, true);
			} else {
				emit_after_indicator(out, it, indent);
			}
		}
	} else {
		if (!inline_first)
			indent_to(out, indent);
		write_yaml_scalar(out, n);
		fputc('\n', out);
	}
}

void emit_yaml(FILE *out, const struct node *doc)
{
	if (is_empty_collection(doc))
		fputs(doc->kind == N_MAP ? "{}\n" : "[]\n", out);
	else
		emit_value(out, doc, 0, false);
}

void json_write_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

/* How a JSON document is laid out: keys sorted (manifests) or in the order they were
 * set (reports); indent 0 puts everything on one line. */
struct json_style {
	int indent;
	bool sorted;
};

/* Before an item: a new line at its depth, or on one line a space after the comma. */
static void json_break(FILE *out, const struct json_style *st, int level, bool first)
{
	if (st->indent) {
		fputc('\n', out);
		indent_to(out, st->indent * level);
	} else if (!first) {
		fputc(' ', out);
	}
}

static void json_value(FILE *out, const struct node *n, const struct json_style *st, int level);

static void json_map(FILE *out, const struct node *n, const struct json_style *st, int level)
{
	if (!n->n) {
		fputs("{}", out);
		return;
	}
	const struct pair *buf[64];
	const struct pair **v = buf;
	if (st->sorted) {
		v = sorted_pairs(n, buf, 64);
	} else {
		if (n->n > 64)
			v = xmalloc(n->n * sizeof *v);
		for (size_t i = 0; i < n->n; i++)
			v[i] = &n->pairs[i];
	}
	fputc('{', out);
	for (size_t i = 0; i < n->n; i++) {
		json_break(out, st, level + 1, i == 0);
		json_write_string(out, v[i]->key->text, v[i]->key->len);
		fputs(": ", out);
		json_value(out, v[i]->value, st, level + 1);
		if (i + 1 < n->n)
			fputc(',', out);
	}
	if (st->indent)
		json_break(out, st, level, false);
	fputc('}', out);
	if (v != buf)
		free(v);
}

static void json_value(FILE *out, const struct node *n, const struct json_style *st, int level)
{
	if (n->flow && st->indent) {
		json_value(out, n, &(struct json_style){0, st->sorted}, level);
		return;
	}
	switch (n->kind) {
	case N_NULL: fputs("null", out); break;
	case N_BOOL: fputs(n->num ? "true" : "false", out); break;
	case N_INT: fprintf(out, "%lld", n->num); break;
	case N_FLOAT: {
		char buf[40];
		const char *f = float_text(n, buf, sizeof buf);
		if (f)
			fputs(f, out);
		else    /* JSON has no infinity or NaN */
			json_write_string(out, n->text, n->len);
		break;
	}
	case N_STR: json_write_string(out, n->text, n->len); break;
	case N_SEQ:
		if (!n->n) {
			fputs("[]", out);
			break;
		}
		fputc('[', out);
		for (size_t i = 0; i < n->n; i++) {
			json_break(out, st, level + 1, i == 0);
			json_value(out, n->items[i], st, level + 1);
			if (i + 1 < n->n)
				fputc(',', out);
		}
		if (st->indent)
			json_break(out, st, level, false);
		fputc(']', out);
		break;
	case N_MAP:
		json_map(out, n, st, level);
		break;
	}
}

void emit_json(FILE *out, const struct node *n, int indent, int level)
{
	json_value(out, n, &(struct json_style){indent, true}, level);
}

void emit_json_ordered(FILE *out, const struct node *n, int indent)
{
	json_value(out, n, &(struct json_style){indent, false}, 0);
}
