/* lspfix.c - see lspfix.h. */
#include "lspfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lspdiag.h"
#include "lsptree.h"
#include "rules.h"
#include "sparkconf.h"
#include "suggest.h"

struct fixer {
	const struct text *text;
	const char *uri, *name;
	const struct options *opt;
	enum position_encoding enc;
	json_t *actions;
};

/* One action of one edit: bytes [from, to) of the text become new_text. */
static void add_action(struct fixer *f, const struct diag *g, bool preferred, size_t from, size_t to,
		       const char *new_text, const char *title)
{
	json_t *edit = json_object(), *changes = json_object(), *action = json_object();
	json_object_set_new(edit, "range", text_range_json(f->text, from, to, f->enc));
	json_object_set_new(edit, "newText", text_json_string(new_text, strlen(new_text)));
	json_object_set_new(changes, f->uri, json_pack("[o]", edit));
	json_object_set_new(action, "title", text_json_string(title, strlen(title)));
	json_object_set_new(action, "kind", json_string("quickfix"));
	json_object_set_new(action, "diagnostics",
			    json_pack("[o]", lsp_diag_json(f->text, f->uri, f->name, g, f->enc)));
	if (preferred)
		json_object_set_new(action, "isPreferred", json_true());
	json_object_set_new(action, "edit", json_pack("{s:o}", "changes", changes));
	json_array_append_new(f->actions, action);
}

/* The token's text without its quotes, and its quote character (0 for none). */
static char token_text(const struct text *t, size_t from, size_t to, char *buf, size_t len)
{
	char quote = to - from >= 2 && (t->p[from] == '"' || t->p[from] == '\'') && t->p[to - 1] == t->p[from]
			     ? t->p[from] : 0;
	if (quote)
		from++, to--;
	snprintf(buf, len, "%.*s", (int)(to - from), t->p + from);
	return quote;
}

/* The diagnostic's word replaced by word, in the quotes it was written in. */
static void replace_word(struct fixer *f, const struct diag *g, size_t from, size_t to, const char *word,
			 const char *title)
{
	char old[512], new_text[600];
	char quote = token_text(f->text, from, to, old, sizeof old);
	if (quote)
		snprintf(new_text, sizeof new_text, "%c%s%c", quote, word, quote);
	else
		snprintf(new_text, sizeof new_text, "%s", word);
	add_action(f, g, true, from, to, new_text, title);
}

/* A deprecated spark_conf key that the job's Spark reads as one other key: renamed to
 * it, unless the mapping has that key already. */
static void rename_deprecated(struct fixer *f, const struct diag *g, size_t from, size_t to)
{
	char key[512], note[256] = "";
	token_text(f->text, from, to, key, sizeof key);
	struct lsp_tree t;
	lsp_tree_load(&t, f->text, f->name, g->line, f->opt);
	const struct spark_key *k = t.resolved ? spark_key_for(key, t.job.spark_version_effective) : NULL;
	if (k)
		snprintf(note, sizeof note, "%s", k->deprecated_note);
	bool taken = strncmp(note, "spark.", 6) || strchr(note, ' ') || !lsp_tree_locate(&t, f->text, g->line, g->col) ||
		     !t.on_key || node_get_pair(t.path[t.depth - 1].parent, note);
	lsp_tree_free(&t);
	char title[320];
	snprintf(title, sizeof title, "Replace with %s", note);
	if (!taken)
		replace_word(f, g, from, to, note, title);
}

/* A key put into a mapping that has keys, written as they are: before the first, on its
 * own line at its column (a block mapping, a list item's too), or first in the braces. */
static void insert_key(struct fixer *f, const struct diag *g, const struct node *map, const char *key,
		       const char *value, const char *title)
{
	if (!map || map->kind != N_MAP || !map->n || !map->pairs[0].key->line)
		return;
	const struct node *first = map->pairs[0].key;
	size_t at = text_mark_offset(f->text, first->line, first->col), before = at;
	while (before > 0 && (f->text->p[before - 1] == ' ' || f->text->p[before - 1] == '\t'))
		before--;
	bool flow = before > 0 && (f->text->p[before - 1] == '{' || f->text->p[before - 1] == ',');
	char insert[256];
	if (flow)
		snprintf(insert, sizeof insert, "%s: %s, ", key, value);
	else
		snprintf(insert, sizeof insert, "%s: %s%s%*s", key, value, text_line_break(f->text, at),
			 first->col - 1, "");
	add_action(f, g, true, at, at, insert, title);
}

/* executor-cores: its hint says `set <field> to <N> ...`; the cores are set where the
 * document sets them, else the field is added. */
static void set_cores(struct fixer *f, const struct diag *g)
{
	char field[128], title[192];
	long long n;
	int used = 0;
	if (!g->hint || sscanf(g->hint, "set %127s to %lld%n", field, &n, &used) != 2 || !used)
		return;
	snprintf(title, sizeof title, "Set %s to %lld", field, n);
	char value[32];
	snprintf(value, sizeof value, "%lld", n);
	struct lsp_tree t;
	lsp_tree_load(&t, f->text, f->name, g->line, f->opt);
	const struct role_resources *rr = &t.job.role[ROLE_EXECUTOR];
	if (t.resolved && rr->cores_given && rr->cores_at->line) {
		size_t from = text_mark_offset(f->text, rr->cores_at->line, rr->cores_at->col);
		add_action(f, g, true, from, text_token_end(f->text, from), value, title);
	} else if (t.resolved) {
		const char *key = strrchr(field, '.') ? strrchr(field, '.') + 1 : field;
		insert_key(f, g, t.job.manifest ? node_get(t.job.spec, role_names[ROLE_EXECUTOR]) : t.job.spec, key,
			   value, title);
	}
	lsp_tree_free(&t);
}

/* `# sparkc:ignore RULE -- ` alone on a line above the diagnostic's, at its indentation,
 * for the user to write why: offered where the rule may be silenced (rules.h). */
static void ignore_here(struct fixer *f, const struct diag *g, size_t from)
{
	size_t line = text_line_start(f->text, from), indent = line;
	while (indent < f->text->len && (f->text->p[indent] == ' ' || f->text->p[indent] == '\t'))
		indent++;
	char comment[512];
	snprintf(comment, sizeof comment, "%.*s# sparkc:ignore %s -- %s", (int)(indent - line), f->text->p + line,
		 g->rule, text_line_break(f->text, from));
	char title[128];
	snprintf(title, sizeof title, "Ignore %s here", g->rule);
	add_action(f, g, false, line, line, comment, title);
}

json_t *lsp_code_actions(const struct text *text, const char *uri, const char *name, const struct diags *d,
			 size_t start, size_t end, const struct options *opt, enum position_encoding enc)
{
	struct fixer f = {.text = text, .uri = uri, .name = name, .opt = opt, .enc = enc, .actions = json_array()};
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		size_t from, to;
		if (!lsp_diag_span(text, name, g, &from, &to) || from > end || to < start)
			continue;
		char word[512];
		if (did_you_mean_word(g->hint, word, sizeof word)) {
			char title[600];
			snprintf(title, sizeof title, "Change to '%s'", word);
			replace_word(&f, g, from, to, word, title);
		}
		if (!strcmp(g->rule, "conf-deprecated"))
			rename_deprecated(&f, g, from, to);
		if (!strcmp(g->rule, "executor-cores"))
			set_cores(&f, g);
		const char *why;
		if (rule_find(g->rule) && rule_silenceable(rule_find(g->rule), g->severity, &why))
			ignore_here(&f, g, from);
	}
	return f.actions;
}
