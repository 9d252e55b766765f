/* lsptree.c - see lsptree.h. */
#include "lsptree.h"

#include <stdarg.h>
#include <string.h>

#include "config.h"
#include "load.h"
#include "source.h"
#include "templates.h"

void lsp_tree_load(struct lsp_tree *t, const struct text *text, const char *name, int line,
		   const struct options *opt)
{
	memset(t, 0, sizeof *t);
	struct diags scratch = {0};     /* the editor has them from the last check */
	struct source in;
	source_open_text(&in, name, text->p, text->len);
	struct diag_src src = {.diags = &scratch, .file = name, .source = &in};
	struct loader *ld = loader_open(&src, &in, &opt->limits);
	int cur = 0;
	struct node *doc;
	enum load_result lr;
	while ((lr = loader_next(ld, &t->arenas[cur], &doc)) != LOAD_END) {
		if (doc && t->doc && doc->line > line)
			break;
		if (doc) {      /* the latest document starting at or before the line */
			t->doc = doc;
			cur = !cur;
			arena_reset(&t->arenas[cur]);
		}
		if (lr == LOAD_ERROR && !doc)
			break;
	}
	loader_close(ld);
	src.source = NULL;
	source_close(&in);
	t->config = config_named(name);
	if (t->doc && t->doc->kind == N_MAP && !t->config) {
		const struct templates *templates = templates_load(opt->templates_dir, &scratch);
		t->kind = document_kind(t->doc, &src);
		if (templates && (t->kind == DOC_JOB || t->kind == DOC_MANIFEST)) {
			/* under the file's .sparkc.yaml, as pipeline_validate_text checks it: its
			 * templates (Spark's default version, known keys), namespace, releases */
			t->configs = pipeline_configs_open(opt, templates, true, &scratch);
			const struct config *config = config_for(t->configs, name);
			t->valid = pipeline_check_application(t->doc, t->kind, config->templates,
							      pipeline_releases(opt, config),
							      pipeline_namespace(opt, config), &t->job, &src);
			t->resolved = true;
		}
	}
	diags_free(&scratch);
}

void lsp_tree_free(struct lsp_tree *t)
{
	configs_free(t->configs);
	arena_free(&t->arenas[0]);
	arena_free(&t->arenas[1]);
	templates_free();
}

/* Whether mark a:b comes at or before c:d. */
static bool at_or_before(int a, int b, int c, int d)
{
	return a < c || (a == c && b <= d);
}

static bool push(struct lsp_tree *t, const struct node *parent, const struct pair *pair, size_t index)
{
	if (t->depth == LSP_TREE_DEPTH)
		return false;
	t->path[t->depth++] = (struct lsp_step){parent, pair, index};
	return true;
}

/* Of a collection's children, the one starting last at or before line:col (positions,
 * not order: a merge key's pairs point where their anchor is); -1 when none. */
static long child_at(const struct node *n, int line, int col)
{
	long best = -1;
	int bl = 0, bc = 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct node *c = n->kind == N_MAP ? n->pairs[i].key : n->items[i];
		if (c->line && at_or_before(c->line, c->col, line, col) && (best < 0 || at_or_before(bl, bc, c->line, c->col))) {
			best = (long)i;
			bl = c->line;
			bc = c->col;
		}
	}
	return best;
}

bool lsp_tree_locate(struct lsp_tree *t, const struct text *text, int line, int col)
{
	t->depth = 0;
	t->on_key = false;
	const struct node *n = t->doc;
	while (n && (n->kind == N_MAP || n->kind == N_SEQ)) {
		long i = child_at(n, line, col);
		if (i < 0)
			break;
		if (n->kind == N_SEQ) {
			if (!push(t, n, NULL, (size_t)i))
				break;
			n = n->items[i];
			continue;
		}
		const struct pair *p = &n->pairs[i];
		if (!push(t, n, p, 0))
			break;
		size_t key = text_mark_offset(text, p->key->line, p->key->col);
		size_t at = text_mark_offset(text, line, col);
		if (p->key->line == line && at <= text_token_end(text, key)) {
			t->on_key = true;
			return true;
		}
		n = p->value;
		if (!n->line || !at_or_before(n->line, n->col, line, col))
			break;  /* between the key and its value */
	}
	return t->depth > 0;
}

bool lsp_tree_mapping(struct lsp_tree *t, int line, int col, const struct node **map)
{
	t->depth = 0;
	*map = NULL;
	const struct node *n = t->doc;
	if (!n || n->kind == N_NULL)
		return col == 1;        /* the first key of an empty document */
	while (n->kind == N_MAP || n->kind == N_SEQ) {
		if (!n->n)
			return false;
		if (n->kind == N_MAP && n->pairs[0].key->col == col) {
			*map = n;
			return true;
		}
		int first = n->kind == N_MAP ? n->pairs[0].key->col : n->items[0]->col;
		long i = child_at(n, line - 1, 1 << 30);
		if (col < first || i < 0)
			return false;
		const struct node *parent = n, *key = n->kind == N_MAP ? n->pairs[i].key : NULL;
		if (!push(t, parent, key ? &n->pairs[i] : NULL, (size_t)i))
			return false;
		n = key ? n->pairs[i].value : n->items[i];
		if (key && n->kind == N_NULL)
			return true;    /* `spec:` with nothing yet: the new key starts its mapping */
		if (key && n->line == key->line)
			return false;   /* a flow collection or a scalar on the key's line */
	}
	return false;
}

const char *lsp_step_key(const struct lsp_step *s)
{
	return s->pair ? s->pair->key->text : "[]";
}

bool lsp_path_is(const struct lsp_tree *t, size_t depth, ...)
{
	va_list ap;
	va_start(ap, depth);
	size_t i = 0;
	const char *k;
	while ((k = va_arg(ap, const char *)) && i < depth && !strcmp(k, lsp_step_key(&t->path[i])))
		i++;
	bool match = !k && i == depth;
	va_end(ap);
	return match;
}
