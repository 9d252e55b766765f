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
	const struct resource *r = resource_get(builtin);
	struct source src = {0};
	struct diag_src ds = {.diags = diags, .file = builtin, .text = r->text, .len = r->len};
	if (dir) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		int rc = source_read(&src, path, default_limits.max_file_bytes);
		if (rc == 0) {
			ds.file = arena_strdup(&template_arena, path);
			ds.text = src.text;
			ds.len = src.len;
		} else if (errno != ENOENT) {
			diag_add(&ds, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: %s", path,
				 strerror(errno));
			return NULL;
		}
	}
	struct node *root = load_text(&ds, &template_arena);
	if (root && root->kind != N_MAP) {
		diag_node(&ds, root, SEV_ERROR, "template", "", NULL, "a template must be a mapping");
		root = NULL;
	}
	source_free(&src);
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
