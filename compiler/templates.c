/* templates.c - see templates.h. */
#include "templates.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "resources.h"

static struct arena template_arena;     /* lives as long as the process */
static struct templates loaded;

static struct node *load_one(const char *dir, const char *name, struct diags *diags)
{
	char builtin[64];
	snprintf(builtin, sizeof builtin, "templates/%s", name);
	struct source in;
	if (!dir)
		return resource_tree(builtin);      /* built in, already parsed */
	char *path = arena_printf(&template_arena, "%s/%s", dir, name);
	if (source_open(&in, path, default_limits.max_file_bytes)) {
		if (errno == ENOENT)
			return resource_tree(builtin);
		struct diag_src ds = {.diags = diags, .file = path};
		diag_add(&ds, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct node *root = load_single(diags, &in, &template_arena);
	if (root && root->kind != N_MAP) {
		struct diag_src ds = {.diags = diags, .file = in.name, .source = &in};
		diag_node(&ds, root, SEV_ERROR, "template", "", NULL, "a template must be a mapping");
		root = NULL;
	}
	source_close(&in);
	return root;
}

const struct templates *templates_load(const char *dir, struct diags *diags)
{
	loaded.defaults = load_one(dir, "defaults.yaml", diags);
	loaded.igz = load_one(dir, "igz.yaml", diags);
	return loaded.defaults && loaded.igz ? &loaded : NULL;
}

void templates_free(void)
{
	loaded = (struct templates){0};
	arena_free(&template_arena);
}

const char *template_text(const struct node *tmpl, const char *path)
{
	const struct node *n = node_at(tmpl, path);
	return node_is_scalar(n) ? n->text : NULL;
}
