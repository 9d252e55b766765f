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
	/* A team's own spark_conf keys, and prefixes of them (.sparkc.yaml's
	 * spark.known-keys, spark.known-prefixes), which are never called unknown. */
	char **known_keys, **known_prefixes;
	size_t nknown_keys, nknown_prefixes;
};

/* NULL after reporting a diagnostic: DIR is not a directory, or a template is
 * unreadable, or invalid (its schema, templates.schema.json, and its names and labels).
 * Each call loads anew (a run's configurations may name several directories); all
 * live until templates_free. */
const struct templates *templates_load(const char *dir, struct diags *diags);

/* base with the default spark_version replaced (when spark_version is not NULL) and
 * the known spark_conf keys and prefixes given (strings the caller keeps). */
const struct templates *templates_adjust(const struct templates *base, const char *spark_version,
					 char **known_keys, size_t nknown_keys, char **known_prefixes,
					 size_t nknown_prefixes);

/* Whether key is one of t's known spark_conf keys, or under one of its prefixes. */
bool templates_known_conf(const struct templates *t, const char *key);

/* After templates_load returned NULL, the exit status: 2 when DIR or a file could not
 * be read, 1 when a template is invalid. */
int templates_failure(void);

void templates_free(void);

/* A template string, or NULL when the template leaves it null. */
const char *template_text(const struct node *tmpl, const char *path);

#endif
