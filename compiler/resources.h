/* resources.h - data files built into the binary: the templates and the schemas.
 *
 * The Makefile turns each file into a byte array (build/resources.c), so the binary
 * needs nothing at run time beyond itself; --templates DIR can replace templates. */
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

#endif
