/* templates.h - the default values and the igz overlay, as YAML data.
 *
 * Built in from the YAML files in templates/; `--templates DIR` reads defaults.yaml and igz.yaml
 * from DIR instead (each file that DIR holds replaces the built-in one). */
#ifndef SPARKC_TEMPLATES_H
#define SPARKC_TEMPLATES_H

#include "diag.h"
#include "node.h"

struct templates {
	struct node *defaults;  /* templates/defaults.yaml */
	struct node *igz;       /* templates/igz.yaml */
};

/* NULL after reporting a diagnostic: DIR is not a directory, or a template is
 * unreadable, or invalid (its schema, templates.schema.json, and its names and labels). */
const struct templates *templates_load(const char *dir, struct diags *diags);

/* After templates_load returned NULL, the exit status: 2 when DIR or a file could not
 * be read, 1 when a template is invalid. */
int templates_failure(void);

void templates_free(void);

/* A template string, or NULL when the template leaves it null. */
const char *template_text(const struct node *tmpl, const char *path);

#endif
