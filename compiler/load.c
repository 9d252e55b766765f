/* load.c - see load.h. */
#include "load.h"

#include <yaml.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

const struct limits default_limits = {
	.max_file_bytes = 256u << 20,
	.max_doc_bytes = 4u << 20,
	.max_scalar_bytes = 1u << 20,
	.max_depth = 64,
	.max_nodes = 100000,
	.max_docs = 100000,
};

/* ---- scalar resolution (YAML 1.2 core schema) ---------------------------------- */

/* Whether s is one or more digits of base 8, 10 or 16. */
static bool all_digits(const char *s, int base)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool digit = base == 16 ? (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
					: c >= '0' && c < '0' + base;
		if (!digit)
			return false;
	}
	return true;
}

static bool is_float(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF"))
		return true;
	bool digits = false;
	while (*s >= '0' && *s <= '9') { s++; digits = true; }
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') { s++; digits = true; }
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!all_digits(s, 10))
			return false;
		return true;
	}
	return *s == '\0';
}

static bool any_of(const char *s, const char *a, const char *b, const char *c)
{
	return !strcmp(s, a) || !strcmp(s, b) || !strcmp(s, c);
}

static void resolve_plain(struct node *n)
{
	const char *s = n->text;
	/* The first byte says which of null, boolean or number it can be; most values are
	 * strings that start with none of these. */
	switch (*s) {
	case '\0':
		n->kind = N_NULL;
		return;
	case '~':
		if (!s[1])
			n->kind = N_NULL;
		return;
	case 'n': case 'N':
		if (any_of(s, "null", "Null", "NULL"))
			n->kind = N_NULL;
		return;
	case 't': case 'T':
		if (any_of(s, "true", "True", "TRUE")) {
			n->kind = N_BOOL;
			n->num = 1;
		}
		return;
	case 'f': case 'F':
		if (any_of(s, "false", "False", "FALSE"))
			n->kind = N_BOOL;
		return;
	case '.':
		if (any_of(s, ".nan", ".NaN", ".NAN")) {
			n->kind = N_FLOAT;
			return;
		}
		break;
	case '+': case '-':
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		break;
	default:
		return;
	}
	const char *d = s + (*s == '-' || *s == '+');
	int base = 0;
	if (all_digits(d, 10))
		base = 10;
	else if (s[0] == '0' && s[1] == 'o' && all_digits(s + 2, 8))
		base = 8;
	else if (s[0] == '0' && s[1] == 'x' && all_digits(s + 2, 16))
		base = 16;
	if (base) {
		errno = 0;
		char *end;
		long long v = strtoll(base == 10 ? s : s + 2, &end, base);
		/* Too large for 64 bits: a number, but not one sparkc can use as an integer. */
		n->kind = errno == ERANGE ? N_FLOAT : N_INT;
		n->num = v;
	} else if (is_float(s)) {
		n->kind = N_FLOAT;
	}
}

/* ---- building the tree from events ------------------------------------------- */

struct anchor {
	const char *name;
	struct node *node;
	size_t weight;          /* nodes in its subtree, aliases expanded */
	struct anchor *next;
};

#define ANCHOR_BUCKETS 256

struct frame {
	struct node *node;
	size_t first;           /* index of its first child in the scratch stack */
	size_t expanded_at;     /* the document's node count when it started */
	const char *anchor;
};

struct loader {
	yaml_parser_t parser;
	bool stopped;           /* after an error that ends the stream */
	yaml_mark_t last_start, last_end;       /* the last event's marks ... */
	bool last_plain;        /* ... and whether it was a plain scalar */
	struct diag_src *src;
	struct source *in;
	const struct limits *lim;
	size_t docs;
	/* per document */
	struct frame *frames;
	size_t nframes, frames_cap;
	struct node **scratch;
	size_t nscratch, scratch_cap;
	struct anchor *anchors[ANCHOR_BUCKETS];
	size_t expanded;
	/* comments (loader_on_comment) */
	void (*on_comment)(void *arg, const struct loader_comment *c);
	void *comment_arg;
	int comments_from;      /* the first line not searched yet */
	bool comments_done;
	struct text_span *spans;        /* quoted and block scalars that hold the word */
	size_t nspans, spans_cap;
};

/* Where a quoted or block scalar's text lies, from its first character to just past its
 * last (libyaml's marks, 0-based). */
struct text_span {
	size_t start_line, start_col, end_line, end_col;
};

/* How far the parser may have read past the last event it returned is its raw buffer
 * (16 KiB) and the decoded text it holds (at most 48 KiB more); the value limit allows
 * twice that on top of --max-scalar-size, so that no value within the limit is
 * stopped while it is read (make_scalar checks its exact length). */
#define READ_AHEAD (128u << 10)

struct loader *loader_open(struct diag_src *src, struct source *in, const struct limits *lim)
{
	struct loader *ld = xmalloc(sizeof *ld);
	*ld = (struct loader){.src = src, .in = in, .lim = lim, .comments_from = 1};
	in->max_doc_bytes = lim->max_doc_bytes;
	/* No event comes while the parser reads a scalar, so the bytes read since the last
	 * event bound the length of the value being read. */
	in->max_gap_bytes = lim->max_scalar_bytes > (size_t)-1 - READ_AHEAD
				    ? 0 : lim->max_scalar_bytes + READ_AHEAD;
	/* libyaml fails here only when its malloc does: the same end as xmalloc's
	 * out-of-memory path (arena.c), which no caller can recover from either. */
	if (!yaml_parser_initialize(&ld->parser)) {
		fputs("sparkc: cannot create a YAML parser: out of memory\n", stderr);
		exit(2);
	}
	yaml_parser_set_input(&ld->parser, source_read, in);
	return ld;
}

/* ---- comments ------------------------------------------------------------------- */

/* libyaml's events carry no comments (its scanner skips them), so the loader finds the
 * few sparkc reads in the lines the source keeps (source.h): a `#` at a line's start or
 * after white space, then "sparkc:". Such a `#` is a comment unless a quoted or block
 * scalar holds it (a plain scalar cannot: " #" ends it), and a scalar can hold one only
 * if its text holds "sparkc:" too; so the loader notes the spans of those scalars as
 * their events come (rare), and searches a document's lines once its events are all
 * in, before the window lets them go. A line with no "sparkc:" costs one search. */

static const char *find_word(const char *p, size_t n)
{
	return source_find_mark(p, n, 0);
}

void loader_on_comment(struct loader *ld, void (*fn)(void *arg, const struct loader_comment *c), void *arg)
{
	ld->on_comment = fn;
	ld->comment_arg = arg;
}

static void note_span(struct loader *ld, const yaml_event_t *ev)
{
	if (!ld->on_comment || ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
	    !find_word((const char *)ev->data.scalar.value, ev->data.scalar.length))
		return;
	if (ld->nspans == ld->spans_cap)
		ld->spans = xrealloc(ld->spans, (ld->spans_cap = ld->spans_cap ? 2 * ld->spans_cap : 4) * sizeof *ld->spans);
	ld->spans[ld->nspans++] = (struct text_span){ev->start_mark.line, ev->start_mark.column, ev->end_mark.line,
						     ev->end_mark.column};
}

static bool in_span(const struct loader *ld, int line, int col)
{
	size_t l = (size_t)line - 1, c = (size_t)col - 1;
	for (size_t i = 0; i < ld->nspans; i++) {
		const struct text_span *t = &ld->spans[i];
		bool after_start = l > t->start_line || (l == t->start_line && c >= t->start_col);
		bool before_end = l < t->end_line || (l == t->end_line && c < t->end_col);
		if (after_start && before_end)
			return true;
	}
	return false;
}

/* Hand out the comments of lines comments_from to to - 1 (to <= 0: every line left),
 * then forget the spans, which belonged to those lines' document. */
static void scan_comments(struct loader *ld, int to)
{
	if (!ld->on_comment || ld->comments_done || (to > 0 && to <= ld->comments_from))
		return;
	if (!ld->in->marked) {          /* no "sparkc:" read yet: nothing to search */
		ld->comments_from = to > 0 ? to : ld->comments_from;
		ld->comments_done = to <= 0;
		ld->nspans = 0;
		return;
	}
	size_t len = 0;
	const char *text = source_lines(ld->in, ld->comments_from, to, &len);
	for (const char *w = text ? find_word(text, len) : NULL; w; w = find_word(w + 1, len - (size_t)(w + 1 - text))) {
		const char *hash = w;
		while (hash > text && (hash[-1] == ' ' || hash[-1] == '\t'))
			hash--;
		if (hash == text || hash[-1] != '#')
			continue;
		hash--;
		const char *start = hash;      /* of its line */
		while (start > text && start[-1] != '\n' && start[-1] != '\r')
			start--;
		bool alone = true;
		for (const char *p = start; p < hash; p++)
			alone = alone && (*p == ' ' || *p == '\t');
		if (hash > start && hash[-1] != ' ' && hash[-1] != '\t')
			continue;
		struct loader_comment c = {.text = hash, .alone = alone};
		source_position(ld->in, ld->in->base + (size_t)(hash - ld->in->win), &c.line, &c.col);
		if (in_span(ld, c.line, c.col))
			continue;
		while (hash + c.len < text + len && hash[c.len] != '\n' && hash[c.len] != '\r')
			c.len++;
		ld->on_comment(ld->comment_arg, &c);
	}
	if (to > 0)
		ld->comments_from = to;
	else
		ld->comments_done = true;
	ld->nspans = 0;
}

void loader_close(struct loader *ld)
{
	if (!ld)
		return;
	scan_comments(ld, 0);
	yaml_parser_delete(&ld->parser);
	free(ld->spans);
	free(ld->frames);
	free(ld->scratch);
	free(ld);
}

static void set_mark(struct node *n, yaml_mark_t m)
{
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
}

/* A Go template's {{ ... }} (a Helm chart's templates) reads as a flow mapping inside a
 * flow mapping, or breaks the YAML somewhere on its line: a syntax error on a line that
 * holds one says what the file is, rather than what YAML expected there. */
static const char *template_hint(const struct loader *ld, int line, const char *hint)
{
	int caret;
	char *text = source_excerpt(ld->in, line, 1, &caret);
	bool go_template = text && strstr(text, "{{");
	free(text);
	return go_template ? "this line holds a Go template's {{ }}, as a Helm chart's templates do: such a file is "
			     "YAML only once rendered (helm template CHART | sparkc validate -); leave it out with "
			     "exclude: in .sparkc.yaml"
			   : hint;
}

static void fail(struct loader *ld, const struct node *at, const char *rule, const char *hint,
		 const char *msg)
{
	diag_node(ld->src, at, SEV_ERROR, rule, "", hint, "%s", msg);
}

static unsigned anchor_hash(const char *s)
{
	unsigned h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h % ANCHOR_BUCKETS;
}

static void push_scratch(struct loader *ld, struct node *n)
{
	if (ld->nscratch == ld->scratch_cap) {
		ld->scratch_cap = ld->scratch_cap ? ld->scratch_cap * 2 : 256;
		ld->scratch = xrealloc(ld->scratch, ld->scratch_cap * sizeof *ld->scratch);
	}
	ld->scratch[ld->nscratch++] = n;
}

static void add_anchor(struct loader *ld, struct arena *a, const char *name, struct node *n,
		       size_t weight)
{
	struct anchor *an = arena_alloc(a, sizeof *an);
	an->name = name;
	an->node = n;
	an->weight = weight;
	unsigned h = anchor_hash(name);
	an->next = ld->anchors[h];
	ld->anchors[h] = an;
}

static const char *event_anchor(struct arena *a, const yaml_char_t *anchor)
{
	return anchor ? arena_strndup(a, (const char *)anchor, strlen((const char *)anchor)) : NULL;
}

/* Mapping keys must be unique; report each later duplicate at its key. */
static int by_key_text(const void *pa, const void *pb)
{
	const struct pair *a = *(const struct pair *const *)pa, *b = *(const struct pair *const *)pb;
	int c = strcmp(a->key->text, b->key->text);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

/* Whether map's keys are all interned (node.h) and all different: each atom marked
 * as seen in this mapping, no sorting, no allocation. */
static bool distinct_atoms(const struct node *map)
{
	static unsigned seen[NODE_ATOMS], mapping;
	if (++mapping == 0) {   /* the marks of 4 billion mappings ago would match */
		memset(seen, 0, sizeof seen);
		mapping = 1;
	}
	for (size_t i = 0; i < map->n; i++) {
		unsigned atom = map->pairs[i].key->atom;
		if (!atom || seen[atom] == mapping)
			return false;
		seen[atom] = mapping;
	}
	return true;
}

static bool check_duplicates(struct loader *ld, struct node *map)
{
	bool ok = true;
	if (map->n < 2 || distinct_atoms(map))
		return true;
	/* a duplicate, or a key not interned: sort to find (and report) each */
	struct pair **sorted = xmalloc(map->n * sizeof *sorted);
	for (size_t i = 0; i < map->n; i++)
		sorted[i] = &map->pairs[i];
	qsort(sorted, map->n, sizeof *sorted, by_key_text);
	for (size_t i = 1; i < map->n; i++) {
		struct pair *first = sorted[i - 1], *dup = sorted[i];
		if (strcmp(first->key->text, dup->key->text))
			continue;
		size_t k = i - 1;      /* the first occurrence of this run */
		while (k > 0 && !strcmp(sorted[k - 1]->key->text, dup->key->text))
			k--;
		diag_node(ld->src, dup->key, SEV_ERROR, "yaml-duplicate-key", "",
			  "remove one of them; YAML readers disagree on which one wins",
			  "duplicate key '%s' (first at line %d)", dup->key->text, sorted[k]->key->line);
		ok = false;
	}
	free(sorted);
	return ok;
}

/* ---- merge keys -------------------------------------------------------------------- */

/* `<<: *base` (or a list of them) merges the keys of other mappings that the mapping
 * does not write itself, an earlier one winning: YAML 1.1's merge type, which
 * Kubernetes' reader (go-yaml) and PyYAML apply, so `executor: {<<: *pod, instances: 3}`
 * is what a manifest means. libyaml reports `<<` as a plain key and leaves this to
 * its caller. */
static bool is_merge_key(const struct node *k)
{
	return k->kind == N_STR && !k->quoted && !strcmp(k->text, "<<");
}

struct ordered_pair {
	struct pair pair;
	size_t order;
};

static int by_key_then_order(const void *pa, const void *pb)
{
	const struct ordered_pair *a = pa, *b = pb;
	int c = strcmp(a->pair.key->text, b->pair.key->text);
	return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

static int by_order(const void *pa, const void *pb)
{
	const struct ordered_pair *a = pa, *b = pb;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The sources of a merge key's value, or 0 after reporting that it has none. */
static size_t merge_sources(struct loader *ld, const struct node *key, const struct node *v,
			    const struct node ***out)
{
	if (v->kind == N_MAP) {
		*out = (const struct node **)xmalloc(sizeof **out);
		(*out)[0] = v;
		return 1;
	}
	bool wrong = v->kind != N_SEQ || !v->n;
	for (size_t i = 0; !wrong && i < v->n; i++)
		wrong = v->items[i]->kind != N_MAP;
	if (wrong) {
		fail(ld, key, "yaml-merge", "write <<: *anchor or <<: [*a, *b], anchors of mappings",
		     "a merge key '<<' takes a mapping or a list of mappings");
		return 0;
	}
	*out = (const struct node **)xmalloc(v->n * sizeof **out);
	for (size_t i = 0; i < v->n; i++)
		(*out)[i] = v->items[i];
	return v->n;
}

/* Replace map's `<<` pairs with the pairs they merge, each key once: the mapping's own
 * first, then each source's in order. Duplicates among the mapping's own keys are
 * check_duplicates' to report, before this. */
static bool apply_merges(struct loader *ld, struct arena *a, struct node *map)
{
	size_t total = 0, own = 0;
	for (size_t i = 0; i < map->n; i++) {
		const struct node *v = map->pairs[i].value;
		if (!is_merge_key(map->pairs[i].key))
			own++;
		else if (v->kind == N_MAP)
			total += v->n;
		else if (v->kind == N_SEQ)
			for (size_t j = 0; j < v->n; j++)
				total += v->items[j]->kind == N_MAP ? v->items[j]->n : 0;
	}
	if (own == map->n)
		return true;
	total += own;
	struct ordered_pair *all = xmalloc((total ? total : 1) * sizeof *all);
	size_t n = 0;
	for (size_t i = 0; i < map->n; i++)
		if (!is_merge_key(map->pairs[i].key))
			all[n] = (struct ordered_pair){map->pairs[i], n}, n++;
	bool ok = true;
	for (size_t i = 0; i < map->n; i++) {
		if (!is_merge_key(map->pairs[i].key))
			continue;
		const struct node **src = NULL;
		size_t nsrc = merge_sources(ld, map->pairs[i].key, map->pairs[i].value, &src);
		ok = ok && nsrc;
		for (size_t s = 0; s < nsrc; s++)
			for (size_t j = 0; j < src[s]->n; j++)
				all[n] = (struct ordered_pair){src[s]->pairs[j], n}, n++;
		free(src);
	}
	/* Each key once, its first occurrence kept, in the order written. */
	qsort(all, n, sizeof *all, by_key_then_order);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!kept || strcmp(all[kept - 1].pair.key->text, all[i].pair.key->text))
			all[kept++] = all[i];
	qsort(all, kept, sizeof *all, by_order);
	map->pairs = arena_alloc(a, kept * sizeof *map->pairs + 1);
	for (size_t i = 0; i < kept; i++)
		map->pairs[i] = all[i].pair;
	map->n = map->cap = kept;
	free(all);
	return ok;
}

/* Finish the collection on top of the frame stack: move its children from the scratch
 * stack into the arena. Returns false after reporting an error. */
static bool close_frame(struct loader *ld, struct arena *a)
{
	struct frame *f = &ld->frames[--ld->nframes];
	struct node *n = f->node;
	size_t count = ld->nscratch - f->first;
	struct node **kids = count ? ld->scratch + f->first : NULL;
	bool ok = true;
	if (n->kind == N_SEQ) {
		n->items = arena_alloc_raw(a, count * sizeof *n->items + 1);
		if (count)
			memcpy(n->items, kids, count * sizeof *n->items);
		n->n = n->cap = count;
	} else {
		n->n = n->cap = count / 2;
		n->pairs = arena_alloc_raw(a, n->n * sizeof *n->pairs + 1);
		for (size_t i = 0; i < n->n; i++) {
			struct node *k = kids[2 * i];
			if (node_is_scalar(k)) {
				node_atom(k);   /* compared by identity from here on (node.h) */
			} else {
				fail(ld, k, "yaml-complex-key", template_hint(ld, k->line, NULL),
				     "a mapping key must be a plain string, not a list or mapping");
				ok = false;
			}
			n->pairs[i].key = k;
			n->pairs[i].value = kids[2 * i + 1];
		}
		if (ok)
			ok = check_duplicates(ld, n) && apply_merges(ld, a, n);
	}
	ld->nscratch = f->first;
	if (f->anchor)
		add_anchor(ld, a, f->anchor, n, ld->expanded - f->expanded_at + 1);
	return ok;
}

static bool count_node(struct loader *ld, struct node *at, size_t weight)
{
	ld->expanded += weight;
	if (ld->expanded > ld->lim->max_nodes) {
		diag_node(ld->src, at, SEV_ERROR, "limit-nodes", "",
			  "raise --max-nodes if this document is really this large",
			  "document has more than %zu nodes (aliases expanded): limit reached",
			  ld->lim->max_nodes);
		return false;
	}
	return true;
}

/* Where the value being read when the stream stopped starts: past the indicators and
 * line ends after the last node (`key: `, `- `, `[`), a few hundred characters ahead
 * at most. The parser's own mark is wherever it stopped, deep inside the value. */
static void value_start(const struct loader *ld, int *line, int *col)
{
	*line = (int)ld->last_end.line + 1;
	*col = (int)ld->last_end.column + 1;
	for (int c, n = 0; n < 256 && (c = source_byte_at(ld->in, *line, *col)) > 0; n++) {
		int next = source_byte_at(ld->in, *line, *col + 1);
		bool before_space = next == ' ' || next == '\t' || next == '\n' || next == '\r';
		if (c == '\n' || c == '\r') {
			(*line)++;
			*col = 1;
		} else if (strchr(" \t,[{", c) || (strchr(":-?", c) && before_space)) {
			(*col)++;       /* '-', '?' and ':' are indicators only before a space */
		} else {
			break;
		}
	}
}

/* The stream cannot go on: say why, once. */
static enum load_result stream_error(struct loader *ld)
{
	struct source *in = ld->in;
	int line, col;
	ld->stopped = true;
	switch (in->status) {
	case SOURCE_BAD_BYTE:
		source_position(in, in->bad_at, &line, &col);
		diag_add(ld->src, line, col, SEV_ERROR, "yaml-encoding", "", "save the file as UTF-8",
			 in->bad_byte ? "invalid UTF-8 byte 0x%02X" : "NUL byte (0x00) in YAML text",
			 in->bad_byte);
		break;
	case SOURCE_TOO_LARGE:
		diag_add(ld->src, 0, 0, SEV_ERROR, "limit-file", "",
			 "raise --max-file-size if it is really this large",
			 "file is larger than %zu bytes", in->max_bytes);
		break;
	case SOURCE_DOC_TOO_LARGE:
		diag_add(ld->src, in->base_line, 1, SEV_ERROR, "limit-document", "",
			 "raise --max-document-size if this job is really this large",
			 "the document starting here is larger than %zu bytes", in->max_doc_bytes);
		break;
	case SOURCE_VALUE_TOO_LARGE:
		value_start(ld, &line, &col);
		diag_add(ld->src, line, col, SEV_ERROR, "limit-scalar", "",
			 "raise --max-scalar-size if a value really needs to be this long",
			 "a value (or comment) runs on for more than %zu bytes; the limit is %zu",
			 in->max_gap_bytes, ld->lim->max_scalar_bytes);
		break;
	case SOURCE_IO:
		break;          /* the caller reports an I/O error */
	case SOURCE_OK: {
		struct syntax_error e;
		syntax_explain(&ld->parser, in, ld->last_plain ? &ld->last_start : NULL, &e);
		diag_add(ld->src, e.line, e.col, SEV_ERROR, "yaml-syntax", "", template_hint(ld, e.line, e.hint), "%s",
			 e.message);
		break;
	}
	}
	return LOAD_ERROR;
}

/* libyaml marks a node where it starts: a block scalar at its `|` or `>`, an empty
 * value just after its indicator. A diagnostic is about the text, so it points at the
 * block's first line of text (the line a secret in it shows on, masked), and at the
 * `-` or `:` of an empty value. */
static void mark_text(struct loader *ld, struct node *n, const yaml_event_t *ev)
{
	yaml_scalar_style_t style = ev->data.scalar.style;
	if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
		/* the text ends before the line libyaml's end mark is on */
		for (int line = n->line + 1; line <= (int)ev->end_mark.line; line++) {
			int col = 1, c;
			while ((c = source_byte_at(ld->in, line, col)) == ' ')
				col++;
			if (c < 0)
				return;
			if (c != '\n' && c != '\r') {
				n->line = line;
				n->col = col;
				return;
			}
		}
	} else if (!ev->data.scalar.length && style == YAML_PLAIN_SCALAR_STYLE && n->col > 1) {
		int c = source_byte_at(ld->in, n->line, n->col - 1);
		if (c == '-' || c == ':' || c == '?')
			n->col--;
	}
}

static struct node *make_scalar(struct loader *ld, struct arena *a, const yaml_event_t *ev,
				bool *ok)
{
	struct node *n = node_new(a, N_STR);
	set_mark(n, ev->start_mark);
	mark_text(ld, n, ev);
	size_t len = ev->data.scalar.length;
	if (len > ld->lim->max_scalar_bytes) {
		diag_node(ld->src, n, SEV_ERROR, "limit-scalar", "",
			  "raise --max-scalar-size if a value really needs to be this long",
			  "value is %zu bytes long; the limit is %zu", len, ld->lim->max_scalar_bytes);
		*ok = false;
		return n;
	}
	n->text = arena_strndup(a, (const char *)ev->data.scalar.value, len);
	n->len = len;
	/* libyaml resolves a tag's handle: `!!int` arrives as tag:yaml.org,2002:int, and a
	 * lone `!` (which makes a plain scalar a string) as "!" */
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && strcmp(tag, "!") && strcmp(tag, "tag:yaml.org,2002:str")) {
		static const char *const core[] = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
						   "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"};
		static const enum node_kind kinds[] = {N_INT, N_FLOAT, N_BOOL, N_NULL};
		size_t i = 0;
		while (i < 4 && strcmp(tag, core[i]))
			i++;
		if (i == 4) {
			diag_node(ld->src, n, SEV_ERROR, "yaml-tag", "",
				  "remove the tag; job files use plain YAML values",
				  "unsupported tag '%s'", tag);
			*ok = false;
			return n;
		}
		resolve_plain(n);
		if (n->kind != kinds[i] && !(kinds[i] == N_FLOAT && n->kind == N_INT)) {
			diag_node(ld->src, n, SEV_ERROR, "yaml-tag", "", NULL,
				  "'%s' is not a valid %s", n->text, tag + strlen("tag:yaml.org,2002:"));
			*ok = false;
		}
		n->kind = kinds[i];
		return n;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag)
		resolve_plain(n);
	else
		n->quoted = true;
	return n;
}

/* A document begins: the document limit, and anchors and frames start afresh. */
static bool start_document(struct loader *ld, const yaml_event_t *ev)
{
	if (++ld->docs > ld->lim->max_docs) {
		struct node at = {.line = (int)ev->start_mark.line + 1, .col = 1};
		diag_node(ld->src, &at, SEV_ERROR, "limit-documents", "",
			  "raise --max-documents, or split the file",
			  "more than %zu documents in one input", ld->lim->max_docs);
		return false;
	}
	ld->nframes = ld->nscratch = ld->expanded = 0;
	memset(ld->anchors, 0, sizeof ld->anchors);
	scan_comments(ld, (int)ev->start_mark.line + 1);       /* those between documents */
	source_document_starts(ld->in, (int)ev->start_mark.line + 1);
	return true;
}

/* A mapping or sequence begins: a frame collects its items until it ends. */
static bool open_collection(struct loader *ld, struct arena *a, const yaml_event_t *ev)
{
	if (ld->nframes >= ld->lim->max_depth) {
		struct node at = {0};
		set_mark(&at, ev->start_mark);
		diag_node(ld->src, &at, SEV_ERROR, "limit-depth", "",
			  "raise --max-depth if the nesting is intended",
			  "nesting deeper than %zu levels", ld->lim->max_depth);
		return false;
	}
	if (ld->nframes == ld->frames_cap) {
		ld->frames_cap = ld->frames_cap ? ld->frames_cap * 2 : 16;
		ld->frames = xrealloc(ld->frames, ld->frames_cap * sizeof *ld->frames);
	}
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	struct node *n = node_new(a, map ? N_MAP : N_SEQ);
	set_mark(n, ev->start_mark);
	if (!count_node(ld, n, 1))
		return false;
	ld->frames[ld->nframes++] = (struct frame){
		.node = n, .first = ld->nscratch, .expanded_at = ld->expanded,
		.anchor = event_anchor(a, map ? ev->data.mapping_start.anchor
					      : ev->data.sequence_start.anchor)};
	return true;
}

/* The anchor an alias names (NULL, with an error, when there is none before it). */
static const struct anchor *find_anchor(struct loader *ld, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *an = ld->anchors[anchor_hash(name)];
	while (an && strcmp(an->name, name))
		an = an->next;
	if (!an) {
		struct node at = {0};
		set_mark(&at, ev->start_mark);
		diag_node(ld->src, &at, SEV_ERROR, "yaml-alias", "", NULL,
			  "alias '*%s' names no earlier anchor", name);
		return NULL;
	}
	return an;
}

/* One event into the document being built. Returns false when the stream must stop
 * (the error is reported); *ok turns false on an error the document survives. */
static bool take_event(struct loader *ld, struct arena *a, const yaml_event_t *ev,
		       struct node **root, bool *ok)
{
	struct node *n = NULL;
	size_t weight = 1;
	switch (ev->type) {
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (!start_document(ld, ev))
			return false;
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(ld, a, ev);      /* added to its parent when it ends */
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		n = ld->frames[ld->nframes - 1].node;
		if (!close_frame(ld, a))
			*ok = false;
		weight = 0;     /* counted when it started */
		break;
	case YAML_SCALAR_EVENT:
		note_span(ld, ev);
		n = make_scalar(ld, a, ev, ok);
		if (ev->data.scalar.anchor)
			add_anchor(ld, a, event_anchor(a, ev->data.scalar.anchor), n, 1);
		break;
	case YAML_ALIAS_EVENT: {
		const struct anchor *an = find_anchor(ld, ev);
		if (!an)
			return false;
		n = an->node;
		weight = an->weight;
		break;
	}
	}
	if (n) {
		if (weight && !count_node(ld, n, weight))
			return false;
		if (ld->nframes)
			push_scratch(ld, n);
		else
			*root = n;
	}
	return true;
}

enum load_result loader_next(struct loader *ld, struct arena *a, struct node **root)
{
	*root = NULL;
	if (ld->stopped)
		return LOAD_END;
	bool ok = true;
	yaml_event_t ev;
	for (;;) {
		if (!yaml_parser_parse(&ld->parser, &ev))
			return stream_error(ld);
		ld->in->event_at = ld->in->total;
		ld->last_start = ev.start_mark;
		ld->last_end = ev.end_mark;
		ld->last_plain = ev.type == YAML_SCALAR_EVENT &&
				 ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yaml_event_type_t type = ev.type;
		yaml_mark_t end = ev.end_mark;
		bool go_on = take_event(ld, a, &ev, root, &ok);
		yaml_event_delete(&ev);
		if (!go_on) {
			ld->stopped = true;
			*root = NULL;
			return LOAD_ERROR;
		}
		if (type == YAML_STREAM_END_EVENT) {
			ld->stopped = true;
			scan_comments(ld, 0);
			return LOAD_END;
		}
		if (type == YAML_DOCUMENT_END_EVENT) {
			/* the document's lines: those before the line its end mark is on,
			 * and that line too when the mark is past its start (`...`) */
			scan_comments(ld, (int)end.line + 1 + (end.column > 0));
			if (!*root) {
				*root = node_new(a, N_NULL);
				(*root)->line = (*root)->col = 1;
			}
			return ok ? LOAD_DOC : LOAD_ERROR;
		}
	}
}

struct node *load_single(struct diags *diags, struct source *in, struct arena *a, bool untrusted)
{
	struct limits lim = default_limits;
	if (!untrusted)
		lim.max_nodes = (size_t)-1;
	lim.max_depth = 1000;
	struct diag_src src = {.diags = diags, .file = in->name, .source = in};
	struct loader *ld = loader_open(&src, in, &lim);
	struct node *root = NULL, *extra = NULL;
	if (loader_next(ld, a, &root) != LOAD_DOC)
		root = NULL;
	else if (loader_next(ld, a, &extra) != LOAD_END) {
		diag_add(&src, 1, 1, SEV_ERROR, "yaml-syntax", "", NULL, "expected one document");
		root = NULL;
	}
	loader_close(ld);
	return root;
}
