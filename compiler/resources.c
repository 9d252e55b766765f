/* resources.c - lookups in the tables the Makefile generates (build/resources_*.c). */
#include "resources.h"

#include <string.h>

const struct resource *resource_get(const char *name)
{
	for (size_t i = 0; i < resources_count; i++)
		if (!strcmp(resources[i].name, name))
			return &resources[i];
	return NULL;
}

struct node *resource_tree(const char *name)
{
	for (size_t i = 0; i < resource_trees_count; i++)
		if (!strcmp(resource_trees[i].name, name))
			return resource_trees[i].root;
	return NULL;
}
