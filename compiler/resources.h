/* resources.h - data files built into the binary: the templates and the schemas.
 *
 * The Makefile turns each file into a byte array (build/resources_data.c), and also
 * into the node tree sparkc's loader makes of it (build/resources_tree.c, written by
 * tools/embed_tree.c), so that sparkc starts without parsing them. The binary needs
 * nothing at run time beyond itself; --templates DIR can replace the templates. */
#ifndef SPARKC_RESOURCES_H
#define SPARKC_RESOURCES_H

#include <stddef.h>

struct resource {
	const char *name;       /* path in the source tree, e.g. "templates/igz.yaml" */
	const char *text;
	size_t len;
};

extern const struct resource resources[];
extern const size_t resources_count;

const struct resource *resource_get(const char *name);

struct node;
struct resource_tree {
	const char *name;
	struct node *root;
};

extern const struct resource_tree resource_trees[];
extern const size_t resource_trees_count;

/* The prebuilt tree of a built-in file, e.g. "schemas/sparkjob.schema.json". */
struct node *resource_tree(const char *name);

#endif
