/* emit.c - see emit.h.
 *
 * A document is written into one growing buffer and handed to its stream in one
 * call: a stdio call per character cost more than deciding what to write. */
#include "emit.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* ---- the buffer ------------------------------------------------------------------- */

static inline char *room(struct strbuf *b, size_t n)
{
	return b->cap - b->len >= n ? b->p + b->len : strbuf_room(b, n);
}

static inline void put(struct strbuf *b, const char *s, size_t n)
{
	if (n) {
		memcpy(room(b, n), s, n);
		b->len += n;
	}
}

static inline void put_byte(struct strbuf *b, char c)
{
	*room(b, 1) = c;
	b->len++;
}

#define PUT_LITERAL(b, s) put((b), (s), sizeof(s) - 1)

static void put_int(struct strbuf *b, long long v)
{
	b->len += decimal_text(room(b, DECIMAL_MAX), v);
}

/* An indent: nearly always shallower than 32, written as 32 spaces in fixed-size
 * stores (no call) of which n count. */
static void put_spaces(struct strbuf *b, int n)
{
	static const char spaces[32] = "                                ";
	if (n > 0 && n <= 32) {
		memcpy(room(b, 32), spaces, 32);
		b->len += (size_t)n;
	} else if (n > 0) {
		memset(room(b, (size_t)n), ' ', (size_t)n);
		b->len += (size_t)n;
	}
}

static const char hex_upper[] = "0123456789ABCDEF", hex_lower[] = "0123456789abcdef";

/* Where the document is done: into its stream in one call. */
static void write_out(FILE *out, struct strbuf *b)
{
	if (b->len)
		fwrite(b->p, 1, b->len, out);
	free(b->p);
}

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
	if (*d >= '0' && *d <= '9') {
		/* made only of "0123456789abcdefABCDEFxXoO_.:+-" */
		static const char number_chars[256] = {
			['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
			['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
			['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['x'] = 1, ['X'] = 1,
			['o'] = 1, ['O'] = 1, ['_'] = 1, ['.'] = 1, [':'] = 1, ['+'] = 1, ['-'] = 1,
		};
		size_t i = 0;
		while (i < len && number_chars[(unsigned char)s[i]])
			i++;
		if (i == len)
			return true;
	}
	/* YAML 1.1 timestamps start yyyy-m */
	return len >= 6 && s[4] == '-' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	       s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
}

/* What a byte means to a plain scalar: in it, NEVER (controls, line breaks, non-ASCII
 * and NUL: double quotes), COLON (not before a space), HASH (not after a space); as its
 * first byte, INDICATOR (never) or WORDLIKE (may start a word, number or date that
 * resolves_to_non_string looks at). Filled in once, from the lists below. */
enum { NEVER = 1, COLON = 2, HASH = 4, INDICATOR = 1, WORDLIKE = 2 };
static unsigned char inside[256], starting[256];

static void fill_byte_classes(void)
{
	for (int c = 0; c < 256; c++)
		inside[c] = c < 0x20 || c >= 0x7f ? NEVER : 0;
	inside[':'] = COLON;
	inside['#'] = HASH;
	for (const char *p = "-?:,[]{}#&*!|>'\"%@` \t"; *p; p++)
		starting[(unsigned char)*p] = INDICATOR;
	for (const char *p = "~yYnN=oO<tTfF.+0123456789"; *p; p++)
		starting[(unsigned char)*p] = WORDLIKE;
	starting[0] = INDICATOR;
}

/* Eight bytes at a time (byte tricks as in "Bit Twiddling Hacks"): in each byte of w
 * that is zero, 0x80, exactly (no borrow reaches another byte). */
static inline uint64_t zero_bytes(uint64_t w)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7Fu;
	return ~(((w & low7) + low7) | w | low7);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BYTE_WORDS 1
#define NEXT_BYTE(m) ((m) << 8)         /* each byte's mark onto the byte after it */
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTE_WORDS 1
#define NEXT_BYTE(m) ((m) >> 8)
#else
#define BYTE_WORDS 0
#endif

#if BYTE_WORDS
/* Whether the eight bytes at p hold what no plain scalar holds: a control, DEL or a
 * non-ASCII byte, ": " or " #" (what inside[] marks, in context). */
static inline bool word_not_plain(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80, low7 = ones * 0x7F;
	uint64_t w;
	memcpy(&w, p, 8);
	uint64_t below = ~((w & low7) + ones * 0x60) & highs;     /* < 0x20, of the bytes < 0x80 */
	if ((w & highs) | below | zero_bytes(w ^ (ones * 0x7F)))
		return true;
	uint64_t colon = zero_bytes(w ^ (ones * ':')), space = zero_bytes(w ^ (ones * ' ')),
		 hash = zero_bytes(w ^ (ones * '#'));
	return ((NEXT_BYTE(colon) & space) | (NEXT_BYTE(space) & hash)) != 0;
}
#endif

bool yaml_plain_safe(const char *s, size_t len)
{
	static bool filled;
	if (!filled) {
		fill_byte_classes();
		filled = true;
	}
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	if (len == 0 || starting[*p] == INDICATOR || end[-1] == ' ' || end[-1] == ':')
		return false;
#if BYTE_WORDS
	if (len >= 8) {
		/* words seven bytes apart overlap by one, so that every two neighbouring
		 * bytes are in one word; the last word ends where the text does */
		for (size_t i = 0; i + 8 < len; i += 7)
			if (word_not_plain(p + i))
				return false;
		if (word_not_plain(end - 8))
			return false;
		return starting[*p] != WORDLIKE || !resolves_to_non_string(s, len);
	}
#endif
	for (; p < end; p++) {
		unsigned char k = inside[*p];
		if (!k)
			continue;
		if (k == NEVER || (k == COLON && p[1] == ' ') || (k == HASH && p[-1] == ' '))
			return false;   /* p[-1]: a first byte is no '#' */
	}
	return starting[(unsigned char)*s] != WORDLIKE || !resolves_to_non_string(s, len);
}

/* Bytes a double-quoted YAML scalar writes as they are (the others are escaped). */
static bool yaml_quoted_as_is(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != 0xC2 && c != 0xE2 && c != 0xEF;
}

static void write_double_quoted(struct strbuf *b, const char *s, size_t len)
{
	put_byte(b, '"');
	for (size_t i = 0; i < len; i++) {
		size_t run = i;
		while (run < len && yaml_quoted_as_is((unsigned char)s[run]))
			run++;
		put(b, s + i, run - i);
		if ((i = run) == len)
			break;
		unsigned char c = (unsigned char)s[i];
		const unsigned char *u = (const unsigned char *)s + i;
		switch (c) {
		case '"': PUT_LITERAL(b, "\\\""); continue;
		case '\\': PUT_LITERAL(b, "\\\\"); continue;
		case '\n': PUT_LITERAL(b, "\\n"); continue;
		case '\t': PUT_LITERAL(b, "\\t"); continue;
		case '\r': PUT_LITERAL(b, "\\r"); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			char *p = room(b, 4);
			p[0] = '\\', p[1] = 'x', p[2] = hex_upper[c >> 4], p[3] = hex_upper[c & 15];
			b->len += 4;
		} else if (c == 0xC2 && i + 1 < len && u[1] == 0x85) {
			PUT_LITERAL(b, "\\N");       /* NEL, a line break to YAML 1.1 */
			i++;
		} else if (c == 0xC2 && i + 1 < len && u[1] >= 0x80 && u[1] <= 0x9F) {
			/* the other C1 controls: not printable, so no YAML reader takes them raw */
			char *p = room(b, 4);
			p[0] = '\\', p[1] = 'x', p[2] = hex_upper[u[1] >> 4], p[3] = hex_upper[u[1] & 15];
			b->len += 4;
			i++;
		} else if (c == 0xE2 && i + 2 < len && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9)) {
			put(b, u[2] == 0xA8 ? "\\L" : "\\P", 2);
			i += 2;
		} else if (c == 0xEF && i + 2 < len && u[1] == 0xBB && u[2] == 0xBF) {
			PUT_LITERAL(b, "\\uFEFF");
			i += 2;
		} else if (c == 0xEF && i + 2 < len && u[1] == 0xBF && (u[2] == 0xBE || u[2] == 0xBF)) {
			put(b, u[2] == 0xBE ? "\\uFFFE" : "\\uFFFF", 6);       /* noncharacters */
			i += 2;
		} else {
			put_byte(b, (char)c);
		}
	}
	put_byte(b, '"');
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

/* Null, a boolean or an integer, written the same in YAML and JSON; false for the
 * other kinds. */
static bool put_word(struct strbuf *b, const struct node *n)
{
	switch (n->kind) {
	case N_NULL: PUT_LITERAL(b, "null"); return true;
	case N_BOOL: put(b, n->num ? "true" : "false", n->num ? 4 : 5); return true;
	case N_INT: put_int(b, n->num); return true;
	default: return false;
	}
}

static void write_yaml_scalar(struct strbuf *b, const struct node *n)
{
	char buf[40];
	const char *f;
	switch (n->kind) {
	case N_STR:
		if (yaml_plain_safe(n->text, n->len))
			put(b, n->text, n->len);
		else
			write_double_quoted(b, n->text, n->len);
		break;
	case N_FLOAT:
		if (!(f = float_text(n, buf, sizeof buf)))  /* infinity or NaN: the same in YAML 1.1 and 1.2 */
			f = strpbrk(n->text, "aA") ? ".nan" : *n->text == '-' ? "-.inf" : ".inf";
		put(b, f, strlen(f));
		break;
	default:
		put_word(b, n);
	}
}

/* A mapping key: most are the same few names again and again, so whether one can be
 * written plain is decided once per name (node.h's atoms). */
static void write_key(struct strbuf *b, const struct node *k)
{
	static unsigned char plain[NODE_ATOMS];         /* 0 not yet known, 1 plain, 2 not */
	unsigned atom = k->kind == N_STR ? node_atom(k) : 0;
	if (!atom) {
		write_yaml_scalar(b, k);
		return;
	}
	if (!plain[atom])
		plain[atom] = yaml_plain_safe(k->text, k->len) ? 1 : 2;
	if (plain[atom] == 1)
		put(b, k->text, k->len);
	else
		write_double_quoted(b, k->text, k->len);
}

/* strcmp's order; most keys differ in their first byte */
static int key_order(const struct pair *a, const struct pair *b)
{
	const unsigned char *x = (const unsigned char *)a->key->text, *y = (const unsigned char *)b->key->text;
	return *x != *y ? *x - *y : strcmp((const char *)x, (const char *)y);
}

static int by_key(const void *pa, const void *pb)
{
	return key_order(*(const struct pair *const *)pa, *(const struct pair *const *)pb);
}

/* The order of a mapping's pairs, kept by the sequence of its keys' atoms: manifests'
 * mappings have the same keys in the same order, document after document. */
#define ORDERS 128
#define ORDERED_MAX 24
static struct order {
	unsigned char n;
	unsigned short atoms[ORDERED_MAX];
	unsigned char pair[ORDERED_MAX];        /* the pairs' positions, in key order */
} orders[ORDERS];

/* The pairs of a mapping in key order. Small mappings are the rule: a stack array and
 * an insertion sort (glibc's qsort allocates), or the order kept for their keys. */
static const struct pair **sorted_pairs(const struct node *map, const struct pair **buf, size_t cap)
{
	const struct pair **v = map->n <= cap ? buf : xmalloc(map->n * sizeof *v);
	if (map->n > ORDERED_MAX) {
		for (size_t i = 0; i < map->n; i++)
			v[i] = &map->pairs[i];
		qsort(v, map->n, sizeof *v, by_key);
		return v;
	}
	struct order *o = NULL;
	if (map->n >= 3) {
		uint32_t h = (uint32_t)map->n;
		unsigned short atoms[ORDERED_MAX];
		size_t i = 0;
		for (; i < map->n; i++) {
			const struct node *k = map->pairs[i].key;
			if (!(atoms[i] = (unsigned short)(k->kind == N_STR ? node_atom(k) : 0)))
				break;
			h = (h ^ atoms[i]) * 2654435761u;
		}
		if (i == map->n) {
			o = &orders[h >> 25];
			if (o->n == map->n && !memcmp(o->atoms, atoms, map->n * sizeof *atoms)) {
				for (i = 0; i < map->n; i++)
					v[i] = &map->pairs[o->pair[i]];
				return v;
			}
			o->n = 0;       /* filled in below */
			memcpy(o->atoms, atoms, map->n * sizeof *atoms);
		}
	}
	for (size_t i = 0; i < map->n; i++)
		v[i] = &map->pairs[i];
	for (size_t i = 1; i < map->n; i++) {
		const struct pair *p = v[i];
		size_t j = i;
		while (j > 0 && key_order(v[j - 1], p) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = p;
	}
	if (o) {
		for (size_t i = 0; i < map->n; i++)
			o->pair[i] = (unsigned char)(v[i] - map->pairs);
		o->n = (unsigned char)map->n;
	}
	return v;
}

static bool is_empty_collection(const struct node *n)
{
	return (n->kind == N_MAP || n->kind == N_SEQ) && n->n == 0;
}

static void emit_value(struct strbuf *b, const struct node *n, int indent, bool inline_first);

/* Within one document the same collection at the same indent is written once, then
 * copied: lowering gives the driver and the executor one env list and one labels
 * mapping, and the templates' mounts and volumes are shared nodes. Kept by address
 * for the document being written (a document's nodes do not change while it is, and
 * another document's generation never matches). */
#define WRITTEN 512
static struct written {
	unsigned generation;
	int indent;
	bool inline_first;
	const struct node *n;
	size_t from, to;        /* where its text is in the buffer */
} written[WRITTEN];
static unsigned generation;

static struct written *written_slot(const struct node *n, int indent, bool inline_first)
{
	size_t h = (((uintptr_t)n >> 4) * 2654435761u + (unsigned)indent * 2 + inline_first) % WRITTEN;
	return &written[h];
}

/* A value after "key:" or "-": scalars and empty collections on the same line,
 * mappings and lists below it. */
static void emit_after_indicator(struct strbuf *b, const struct node *v, int indent)
{
	if (is_empty_collection(v)) {
		if (v->kind == N_MAP)
			PUT_LITERAL(b, " {}\n");
		else
			PUT_LITERAL(b, " []\n");
	} else if (v->kind == N_MAP || v->kind == N_SEQ) {
		put_byte(b, '\n');
		emit_value(b, v, indent + 2, false);
	} else {
		put_byte(b, ' ');
		write_yaml_scalar(b, v);
		put_byte(b, '\n');
	}
}

static void emit_collection(struct strbuf *b, const struct node *n, int indent, bool inline_first);

/* inline_first: the first line's indent was already written (after "- "). */
static void emit_value(struct strbuf *b, const struct node *n, int indent, bool inline_first)
{
	if (n->kind != N_MAP && n->kind != N_SEQ) {
		if (!inline_first)
			put_spaces(b, indent);
		write_yaml_scalar(b, n);
		put_byte(b, '\n');
		return;
	}
	struct written *w = written_slot(n, indent, inline_first);
	if (w->generation == generation && w->n == n && w->indent == indent && w->inline_first == inline_first) {
		size_t len = w->to - w->from;
		char *p = room(b, len);         /* may move b->p: the text is read after */
		memcpy(p, b->p + w->from, len);
		b->len += len;
		return;
	}
	size_t from = b->len;
	emit_collection(b, n, indent, inline_first);
	*w = (struct written){generation, indent, inline_first, n, from, b->len};
}

static void emit_collection(struct strbuf *b, const struct node *n, int indent, bool inline_first)
{
	if (n->kind == N_MAP) {
		const struct pair *buf[64];
		const struct pair **v = sorted_pairs(n, buf, 64);
		for (size_t i = 0; i < n->n; i++) {
			if (i || !inline_first)
				put_spaces(b, indent);
			write_key(b, v[i]->key);
			put_byte(b, ':');
			emit_after_indicator(b, v[i]->value, indent);
		}
		if (v != buf)
			free(v);
	} else {
		for (size_t i = 0; i < n->n; i++) {
			const struct node *it = n->items[i];
			if (i || !inline_first)
				put_spaces(b, indent);
			put_byte(b, '-');
			if ((it->kind == N_MAP || it->kind == N_SEQ) && it->n) {
				put_byte(b, ' ');
				emit_value(b, it, indent + 2, true);
			} else {
				emit_after_indicator(b, it, indent);
			}
		}
	}
}

void emit_yaml_buf(struct strbuf *b, const struct node *doc)
{
	if (++generation == 0) {        /* the slots of 4 billion documents ago would match */
		memset(written, 0, sizeof written);
		generation = 1;
	}
	if (!is_empty_collection(doc))
		emit_value(b, doc, 0, false);
	else if (doc->kind == N_MAP)
		PUT_LITERAL(b, "{}\n");
	else
		PUT_LITERAL(b, "[]\n");
}

void emit_yaml(FILE *out, const struct node *doc)
{
	struct strbuf b = {0};
	emit_yaml_buf(&b, doc);
	write_out(out, &b);
}

/* Bytes a JSON string writes as they are (the others are escaped; '[' only in "##[",
 * which a CI log showing the JSON would take for a workflow command: escape.h). */
static bool json_as_is(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != '[';
}

void json_string_buf(struct strbuf *b, const char *s, size_t len)
{
	put_byte(b, '"');
	for (size_t i = 0; i < len; i++) {
		size_t run = i;
		while (run < len && json_as_is((unsigned char)s[run]))
			run++;
		put(b, s + i, run - i);
		if ((i = run) == len)
			break;
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': PUT_LITERAL(b, "\\\""); break;
		case '\\': PUT_LITERAL(b, "\\\\"); break;
		case '\n': PUT_LITERAL(b, "\\n"); break;
		case '\t': PUT_LITERAL(b, "\\t"); break;
		case '\r': PUT_LITERAL(b, "\\r"); break;
		case '\b': PUT_LITERAL(b, "\\b"); break;
		case '\f': PUT_LITERAL(b, "\\f"); break;
		case '[':
			if (escape_forges_command(s, len, i, c, &(bool){false}))
				PUT_LITERAL(b, "\\u005b");
			else
				put_byte(b, '[');
			break;
		default: {      /* the other controls and DEL */
			char *p = room(b, 6);
			memcpy(p, "\\u00", 4);
			p[4] = hex_lower[c >> 4], p[5] = hex_lower[c & 15];
			b->len += 6;
		}
		}
	}
	put_byte(b, '"');
}

void json_write_string(FILE *out, const char *s, size_t len)
{
	struct strbuf b = {0};
	json_string_buf(&b, s, len);
	write_out(out, &b);
}

/* How a JSON document is laid out: keys sorted (manifests) or in the order they were
 * set (reports); indent 0 puts everything on one line. */
struct json_style {
	int indent;
	bool sorted;
};

/* Before an item: a new line at its depth, or on one line a space after the comma. */
static void json_break(struct strbuf *b, const struct json_style *st, int level, bool first)
{
	if (st->indent) {
		put_byte(b, '\n');
		put_spaces(b, st->indent * level);
	} else if (!first) {
		put_byte(b, ' ');
	}
}

static void json_value(struct strbuf *b, const struct node *n, const struct json_style *st, int level);

static void json_map(struct strbuf *b, const struct node *n, const struct json_style *st, int level)
{
	if (!n->n) {
		PUT_LITERAL(b, "{}");
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
	put_byte(b, '{');
	for (size_t i = 0; i < n->n; i++) {
		json_break(b, st, level + 1, i == 0);
		json_string_buf(b, v[i]->key->text, v[i]->key->len);
		PUT_LITERAL(b, ": ");
		json_value(b, v[i]->value, st, level + 1);
		if (i + 1 < n->n)
			put_byte(b, ',');
	}
	if (st->indent)
		json_break(b, st, level, false);
	put_byte(b, '}');
	if (v != buf)
		free(v);
}

static void json_value(struct strbuf *b, const struct node *n, const struct json_style *st, int level)
{
	if (n->flow && st->indent) {
		json_value(b, n, &(struct json_style){0, st->sorted}, level);
		return;
	}
	if (put_word(b, n))
		return;
	switch (n->kind) {
	case N_FLOAT: {
		char buf[40];
		const char *f = float_text(n, buf, sizeof buf);
		if (f)
			put(b, f, strlen(f));
		else    /* JSON has no infinity or NaN */
			json_string_buf(b, n->text, n->len);
		break;
	}
	case N_STR: json_string_buf(b, n->text, n->len); break;
	case N_SEQ:
		if (!n->n) {
			PUT_LITERAL(b, "[]");
			break;
		}
		put_byte(b, '[');
		for (size_t i = 0; i < n->n; i++) {
			json_break(b, st, level + 1, i == 0);
			json_value(b, n->items[i], st, level + 1);
			if (i + 1 < n->n)
				put_byte(b, ',');
		}
		if (st->indent)
			json_break(b, st, level, false);
		put_byte(b, ']');
		break;
	case N_MAP:
		json_map(b, n, st, level);
		break;
	case N_NULL: case N_BOOL: case N_INT:
		break;          /* put_word's */
	}
}

void emit_json_buf(struct strbuf *b, const struct node *n, int indent, int level)
{
	json_value(b, n, &(struct json_style){indent, true}, level);
}

void emit_json(FILE *out, const struct node *n, int indent, int level)
{
	struct strbuf b = {0};
	emit_json_buf(&b, n, indent, level);
	write_out(out, &b);
}

void emit_json_ordered_buf(struct strbuf *b, const struct node *n, int indent)
{
	json_value(b, n, &(struct json_style){indent, false}, 0);
}

void emit_json_ordered(FILE *out, const struct node *n, int indent)
{
	struct strbuf b = {0};
	emit_json_ordered_buf(&b, n, indent);
	write_out(out, &b);
}
