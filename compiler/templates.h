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

/* NULL after reporting a diagnostic (an unreadable or invalid template). */
const struct templates *templates_load(const char *dir, struct diags *diags);

void templates_free(void);

/* A template string, or NULL when the template leaves it null. */
const char *template_text(const struct node *tmpl, const char *path);

#endif
