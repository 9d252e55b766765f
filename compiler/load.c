/* load.c - see load.h. */
#include "load.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct limits default_limits = {
	.max_file_bytes = 256u << 20,
	.max_doc_bytes = 4u << 20,
	.max_scalar_bytes = 1u << 20,
	.max_depth = 64,
	.max_nodes = 100000,
	.max_docs = 100000,
};

/* ---- scalar resolution (YAML 1.2 core schema) ---------------------------------- */

static bool all_digits(const char *s, const char *digits)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(digits, *s))
			return false;
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
		if (!all_digits(s, "0123456789"))
			return false;
		return true;
	}
	return *s == '\0';
}

static void resolve_plain(struct node *n)
{
	const char *s = n->text;
	/* Only these can start a null, boolean or number; everything else is a string. */
	if (*s && !strchr("~nNtTfF0123456789+-.", *s))
		return;
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL")) {
		n->kind = N_NULL;
	} else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		n->kind = N_BOOL;
		n->num = 1;
	} else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		n->kind = N_BOOL;
	} else if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		n->kind = N_FLOAT;
	} else {
		const char *d = s + (*s == '-' || *s == '+');
		int base = 0;
		if (all_digits(d, "0123456789"))
			base = 10;
		else if (s[0] == '0' && s[1] == 'o' && all_digits(s + 2, "01234567"))
			base = 8;
		else if (s[0] == '0' && s[1] == 'x' && all_digits(s + 2, "0123456789abcdefABCDEF"))
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
	struct fy_parser *fyp;
	struct fy_diag *fydiag;
	struct diag_src *src;
	struct source *in;
	const struct limits *lim;
	/* the first error libfyaml printed, parsed from its text */
	int err_line, err_col;
	char err_msg[256];
	bool have_err;
	size_t docs;
	/* per document */
	struct frame *frames;
	size_t nframes, frames_cap;
	struct node **scratch;
	size_t nscratch, scratch_cap;
	struct anchor *anchors[ANCHOR_BUCKETS];
	size_t expanded;
	char *quoted;           /* single-quoted scalar text being read (see quoted_text) */
	size_t quoted_cap;
};

/* libfyaml prints "<input>:LINE:COL: error: MESSAGE" and then the source line and a
 * caret; sparkc keeps only the first such message and reports it itself. */
static void capture_fy_diag(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	(void)d;
	struct loader *ld = user;
	if (ld->have_err)
		return;
	char text[512];
	if (len >= sizeof text)
		len = sizeof text - 1;
	memcpy(text, buf, len);
	text[len] = '\0';
	char *e = strstr(text, ": error: ");
	if (!e)
		return;
	*e = '\0';
	char *msg = e + strlen(": error: ");
	msg[strcspn(msg, "\n")] = '\0';
	char *c2 = strrchr(text, ':');
	if (!c2)
		return;
	*c2 = '\0';
	char *c1 = strrchr(text, ':');
	if (!c1)
		return;
	ld->err_line = atoi(c1 + 1);
	ld->err_col = atoi(c2 + 1);
	snprintf(ld->err_msg, sizeof ld->err_msg, "%s", msg);
	ld->have_err = true;
}

struct loader *loader_open(struct diag_src *src, struct source *in, const struct limits *lim)
{
	struct loader *ld = xmalloc(sizeof *ld);
	*ld = (struct loader){.src = src, .in = in, .lim = lim};
	in->max_doc_bytes = lim->max_doc_bytes;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = capture_fy_diag;
	dcfg.user = ld;
	dcfg.colorize = false;
	ld->fydiag = fy_diag_create(&dcfg);
	/* Errors about a token are collected rather than printed: printing them shows the
	 * source line, and libfyaml 0.7.12 can crash doing that (fy_diag_error_atom_display
	 * on a broken multi-line plain key; fy-tool crashes the same way). */
	if (ld->fydiag)
		fy_diag_set_collect_errors(ld->fydiag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE,
		.diag = ld->fydiag,
	};
	ld->fyp = fy_parser_create(&cfg);
	if (!ld->fyp || fy_parser_set_input_callback(ld->fyp, in, source_read)) {
		fputs("sparkc: cannot create a YAML parser\n", stderr);
		exit(2);
	}
	return ld;
}

void loader_close(struct loader *ld)
{
	if (!ld)
		return;
	if (ld->fyp)
		fy_parser_destroy(ld->fyp);
	if (ld->fydiag)
		fy_diag_destroy(ld->fydiag);
	free(ld->frames);
	free(ld->scratch);
	free(ld->quoted);
	free(ld);
}

static void set_mark(struct node *n, const struct fy_mark *m)
{
	if (m) {
		n->line = m->line + 1;
		n->col = m->column + 1;
	}
}

static void fail(struct loader *ld, const struct node *at, const char *rule, const char *hint,
		 const char *msg)
{
	diag_node(ld->src, at, SEV_ERROR, rule, "", hint, "%s", msg);
}

/* Token text from libfyaml is not NUL-terminated: hash by length. */
static unsigned anchor_hash(const char *s, size_t len)
{
	unsigned h = 5381;
	for (size_t i = 0; i < len; i++)
		h = h * 33 + (unsigned char)s[i];
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

static const char *token_text(struct fy_token *t, size_t *len)
{
	const char *s = t ? fy_token_get_text(t, len) : NULL;
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

/* The text of a single-quoted scalar.
 *
 * libfyaml 0.7.12 (the version Debian 12 ships) decodes a run of 2k quote characters
 * inside a single-quoted scalar as 2k-1 quotes instead of k, and fy_token_get_text then
 * returns the text cut to the length the scanner measured, and leaks its chunk buffer
 * when the text overruns it (fixed upstream after 0.7.12). So this text is read
 * through the token iterator, which frees what it allocates, and when its length
 * disagrees with the scanner's, each run of m quotes is put back to the (m+1)/2 it
 * stood for: a run cannot border another, as a line break between two folds to a
 * space or newline. Correct versions of libfyaml agree on the length and pass
 * through untouched. */
static const char *quoted_text(struct loader *ld, struct fy_token *t, size_t *len)
{
	size_t want = fy_token_get_text_length(t), have = 0;
	struct fy_token_iter *it = fy_token_iter_create(t);
	if (!it)
		return token_text(t, len);
	const struct fy_iter_chunk *c = NULL;
	int err = 0;
	while ((c = fy_token_iter_chunk_next(it, c, &err))) {
		if (have + c->len + 1 > ld->quoted_cap) {
			ld->quoted_cap = 2 * (have + c->len + 1);
			ld->quoted = xrealloc(ld->quoted, ld->quoted_cap);
		}
		memcpy(ld->quoted + have, c->str, c->len);
		have += c->len;
	}
	fy_token_iter_destroy(it);
	if (err)
		return token_text(t, len);
	if (have != want) {
		size_t out = 0;
		for (size_t i = 0; i < have;) {
			size_t run = 0;
			while (i + run < have && ld->quoted[i + run] == '\'')
				run++;
			if (run) {
				memset(ld->quoted + out, '\'', (run + 1) / 2);
				out += (run + 1) / 2;
				i += run;
			} else {
				ld->quoted[out++] = ld->quoted[i++];
			}
		}
		have = out;
	}
	*len = have;
	return ld->quoted ? ld->quoted : "";
}

static void add_anchor(struct loader *ld, struct arena *a, const char *name, struct node *n,
		       size_t weight)
{
	struct anchor *an = arena_alloc(a, sizeof *an);
	an->name = name;
	an->node = n;
	an->weight = weight;
	unsigned h = anchor_hash(name, strlen(name));
	an->next = ld->anchors[h];
	ld->anchors[h] = an;
}

static const char *event_anchor(struct loader *ld, struct arena *a, struct fy_token *t)
{
	(void)ld;
	if (!t)
		return NULL;
	size_t len;
	const char *s = token_text(t, &len);
	return arena_strndup(a, s, len);
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

static bool check_duplicates(struct loader *ld, struct node *map)
{
	bool ok = true;
	if (map->n < 2)
		return true;
	if (map->n <= 16) {
		/* the common case: compare each pair, no allocation */
		bool dup = false;
		for (size_t i = 1; i < map->n && !dup; i++)
			for (size_t j = 0; j < i && !dup; j++)
				dup = !strcmp(map->pairs[i].key->text, map->pairs[j].key->text);
		if (!dup)
			return true;
	}
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
		n->items = arena_alloc(a, count * sizeof *n->items + 1);
		if (count)
			memcpy(n->items, kids, count * sizeof *n->items);
		n->n = n->cap = count;
	} else {
		n->n = n->cap = count / 2;
		n->pairs = arena_alloc(a, n->n * sizeof *n->pairs + 1);
		for (size_t i = 0; i < n->n; i++) {
			struct node *k = kids[2 * i];
			if (!node_is_scalar(k)) {
				fail(ld, k, "yaml-complex-key", NULL,
				     "a mapping key must be a plain string, not a list or mapping");
				ok = false;
			}
			n->pairs[i].key = k;
			n->pairs[i].value = kids[2 * i + 1];
		}
		if (ok)
			ok = check_duplicates(ld, n);
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

static enum load_result stream_error(struct loader *ld)
{
	struct source *in = ld->in;
	int line, col;
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
	case SOURCE_IO:
		break;          /* the caller reports an I/O error */
	case SOURCE_OK: {
		void *it = NULL;
		struct fy_diag_error *e;
		while ((e = fy_diag_errors_iterate(ld->fydiag, &it)) && e->type != FYET_ERROR)
			;
		if (e)
			diag_add(ld->src, e->line, e->column, SEV_ERROR, "yaml-syntax", "", NULL, "%s", e->msg);
		else if (ld->have_err)
			diag_add(ld->src, ld->err_line, ld->err_col, SEV_ERROR, "yaml-syntax", "", NULL,
				 "%s", ld->err_msg);
		else
			diag_add(ld->src, 1, 1, SEV_ERROR, "yaml-syntax", "", NULL, "invalid YAML");
		break;
	}
	}
	return LOAD_ERROR;
}

static struct node *make_scalar(struct loader *ld, struct arena *a, struct fy_event *ev, bool *ok)
{
	struct node *n = node_new(a, N_STR);
	set_mark(n, fy_event_start_mark(ev));
	enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
	size_t len;
	const char *text = style == FYSS_SINGLE_QUOTED ? quoted_text(ld, ev->scalar.value, &len)
						       : token_text(ev->scalar.value, &len);
	if (len > ld->lim->max_scalar_bytes) {
		diag_node(ld->src, n, SEV_ERROR, "limit-scalar", "",
			  "raise --max-scalar-size if a value really needs to be this long",
			  "value is %zu bytes long; the limit is %zu", len, ld->lim->max_scalar_bytes);
		*ok = false;
		return n;
	}
	n->text = arena_strndup(a, text, len);
	n->len = len;
	bool plain = style == FYSS_PLAIN;
	/* libfyaml marks a quoted scalar at its first character; point at the quote. */
	if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && n->col > 1)
		n->col--;
	const char *tag = ev->scalar.tag ? fy_token_get_text0(ev->scalar.tag) : NULL;
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
				  "unsupported tag '%s'", tag ? tag : "");
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
	if (plain && !tag)
		resolve_plain(n);
	else
		n->quoted = true;
	return n;
}

enum load_result loader_next(struct loader *ld, struct arena *a, struct node **root)
{
	*root = NULL;
	bool ok = true;
	struct fy_event *ev;
	while ((ev = fy_parser_parse(ld->fyp))) {
		enum fy_event_type type = ev->type;
		const struct fy_mark *mark = fy_event_start_mark(ev);
		if (ld->in->status != SOURCE_OK) {
			fy_parser_event_free(ld->fyp, ev);
			return stream_error(ld);        /* the bytes stopped: nothing after is real */
		}
		struct node *n = NULL;
		size_t weight = 1;
		switch (type) {
		case FYET_NONE:
		case FYET_STREAM_START:
			break;
		case FYET_STREAM_END:
			fy_parser_event_free(ld->fyp, ev);
			return LOAD_END;
		case FYET_DOCUMENT_START:
			if (++ld->docs > ld->lim->max_docs) {
				struct node at = {.line = mark ? mark->line + 1 : 1, .col = 1};
				diag_node(ld->src, &at, SEV_ERROR, "limit-documents", "",
					  "raise --max-documents, or split the file",
					  "more than %zu documents in one input", ld->lim->max_docs);
				fy_parser_event_free(ld->fyp, ev);
				return LOAD_ERROR;
			}
			ld->nframes = ld->nscratch = ld->expanded = 0;
			memset(ld->anchors, 0, sizeof ld->anchors);
			source_document_starts(ld->in, mark ? mark->line + 1 : 1);
			break;
		case FYET_DOCUMENT_END:
			fy_parser_event_free(ld->fyp, ev);
			if (!*root) {
				*root = node_new(a, N_NULL);
				(*root)->line = (*root)->col = 1;
			}
			return ok ? LOAD_DOC : LOAD_ERROR;
		case FYET_MAPPING_START:
		case FYET_SEQUENCE_START:
			if (ld->nframes >= ld->lim->max_depth) {
				struct node at = {.line = mark ? mark->line + 1 : 0,
						  .col = mark ? mark->column + 1 : 0};
				diag_node(ld->src, &at, SEV_ERROR, "limit-depth", "",
					  "raise --max-depth if the nesting is intended",
					  "nesting deeper than %zu levels", ld->lim->max_depth);
				fy_parser_event_free(ld->fyp, ev);
				return LOAD_ERROR;
			}
			if (ld->nframes == ld->frames_cap) {
				ld->frames_cap = ld->frames_cap ? ld->frames_cap * 2 : 16;
				ld->frames = xrealloc(ld->frames, ld->frames_cap * sizeof *ld->frames);
			}
			n = node_new(a, type == FYET_MAPPING_START ? N_MAP : N_SEQ);
			set_mark(n, mark);
			if (!count_node(ld, n, 1)) {
				fy_parser_event_free(ld->fyp, ev);
				return LOAD_ERROR;
			}
			ld->frames[ld->nframes++] = (struct frame){
				.node = n, .first = ld->nscratch, .expanded_at = ld->expanded,
				.anchor = event_anchor(ld, a, type == FYET_MAPPING_START
							? ev->mapping_start.anchor
							: ev->sequence_start.anchor)};
			n = NULL;       /* added to its parent when it ends */
			break;
		case FYET_MAPPING_END:
		case FYET_SEQUENCE_END:
			n = ld->frames[ld->nframes - 1].node;
			if (!close_frame(ld, a))
				ok = false;
			weight = 0;     /* counted when it started */
			break;
		case FYET_SCALAR:
			n = make_scalar(ld, a, ev, &ok);
			if (ev->scalar.anchor)
				add_anchor(ld, a, event_anchor(ld, a, ev->scalar.anchor), n, 1);
			break;
		case FYET_ALIAS: {
			size_t len;
			const char *name = token_text(ev->alias.anchor, &len);
			struct anchor *an = ld->anchors[anchor_hash(name, len)];
			while (an && (strlen(an->name) != len || memcmp(an->name, name, len)))
				an = an->next;
			if (!an) {
				struct node at = {.line = mark ? mark->line + 1 : 0,
						  .col = mark ? mark->column + 1 : 0};
				diag_node(ld->src, &at, SEV_ERROR, "yaml-alias", "", NULL,
					  "alias '*%.*s' names no earlier anchor", (int)len, name);
				fy_parser_event_free(ld->fyp, ev);
				return LOAD_ERROR;
			}
			n = an->node;
			weight = an->weight;
			break;
		}
		}
		fy_parser_event_free(ld->fyp, ev);
		if (n) {
			if (weight && !count_node(ld, n, weight))
				return LOAD_ERROR;
			if (ld->nframes)
				push_scratch(ld, n);
			else
				*root = n;
		}
	}
	return stream_error(ld);
}

struct node *load_single(struct diags *diags, struct source *in, struct arena *a)
{
	struct limits lim = default_limits;
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
