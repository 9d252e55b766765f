/* resources.c - lookup in the table that the Makefile generates (build/resources_data.c). */
#include "resources.h"

#include <string.h>

const struct resource *resource_get(const char *name)
{
	for (size_t i = 0; i < resources_count; i++)
		if (!strcmp(resources[i].name, name))
			return &resources[i];
	return NULL;
}
