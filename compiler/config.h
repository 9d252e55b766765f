/* config.h - a repository's settings: .sparkc.yaml.
 *
 * The configuration that governs an input is the nearest .sparkc.yaml in its
 * directory or above, up to the repository's root (the directory holding .git) or /;
 * `--config FILE` names one for every input, `--no-config` takes none. Inputs from two
 * repositories in one run each follow their own. A configuration is checked like a job
 * (schemas/sparkc-config.schema.json, which `sparkc schema --config` prints, then what
 * a schema cannot say): an invalid one is reported and the files it governs are not
 * read. It holds
 *
 *   rules:      {RULE: off | warning | error}  a rule's severity (off: not reported);
 *               only a rule whose errors may be silenced (rules.h) can be turned off
 *               or down to a warning
 *   exclude:    [GLOB...]  gitignore-style, relative to the configuration's directory;
 *               an excluded path is never opened, nor a directory walked
 *   fail-on:    error | warning  whether warnings fail the run (exit 1)
 *   namespace:  as -n, for the jobs it governs
 *   templates:  a directory, relative to the configuration's, as --templates
 *   spark:      default-version (the Spark a job runs when neither its spark_version
 *               nor its image tag says), known-keys and known-prefixes (a team's or a
 *               vendor's spark_conf keys, never called unknown)
 *   mlrun:      version, the MLRun release to follow (as --mlrun-version)
 *   operator:   version, the Spark operator release to check against (as
 *               --operator-version)
 *
 * The command line's settings (-n, --templates, --fail-on, --disable, --enable,
 * --exclude, --mlrun-version, --operator-version) win over a configuration's. */
#ifndef SPARKC_CONFIG_H
#define SPARKC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "templates.h"
#include "upstream.h"

/* A configuration file's name. */
#define CONFIG_NAME ".sparkc.yaml"

/* Whether path (as named) is a configuration file: its last component is CONFIG_NAME. */
bool config_named(const char *path);

/* A rule's setting, by the command line or a configuration. */
enum rule_level { LEVEL_UNSET, LEVEL_OFF, LEVEL_ON, LEVEL_WARNING, LEVEL_ERROR };
enum fail_on { FAIL_ON_UNSET, FAIL_ON_ERROR, FAIL_ON_WARNING };

struct config {
	const char *path;               /* the file; NULL: none governs */
	const char *dir;                /* what its paths are relative to (absolute) */
	bool invalid;                   /* reported; the files it governs are not read */
	unsigned char *levels;          /* per rule (rules[]), enum rule_level; NULL: none set */
	char **exclude;
	size_t nexclude;
	enum fail_on fail_on;
	const char *namespace;          /* or NULL */
	const struct templates *templates;      /* the templates its jobs use */
	/* mlrun.version, operator.version (the command line's win): the releases its
	 * jobs are compiled for; NULL when it sets neither */
	const struct releases *releases;
};

struct configs;

/* What the command line says of configurations. */
struct config_options {
	const char *file;                       /* --config; NULL: each input's nearest */
	bool none;                              /* --no-config */
	const struct templates *templates;      /* the run's: built in, or --templates ... */
	bool templates_given;                   /* ... which wins over a configuration's */
	const char *mlrun_version, *operator_version;   /* --mlrun-version, --operator-version */
};

/* The run's configurations; their diagnostics go to diags. */
struct configs *configs_open(const struct config_options *opt, struct diags *diags);
void configs_free(struct configs *cs);

/* The configuration that governs path (a file or directory as named; "-": the current
 * directory's), never NULL. */
const struct config *config_for(struct configs *cs, const char *path);

/* A configuration file's text (as an editor holds it), checked as one read from path
 * would be: its diagnostics name path. */
const struct config *config_check_text(struct configs *cs, const char *path, const char *text, size_t len);

/* Whether path (as named, a directory when is_dir) is excluded: by the exclude globs
 * of its configuration, or by globs given on the command line (matched against the
 * path as named, a leading ./ aside). */
bool config_excludes(struct configs *cs, const char *path, bool is_dir, char *const *globs, size_t nglobs);

/* Settle a file's diagnostics, d's from first on, by the settings of c and of the
 * command line (levels: per rule, or NULL; fail_on): a rule set off is dropped, one
 * set to warning or error takes that severity, and under fail-on warning a warning
 * fails the run (diag.fails). */
void config_apply(const struct config *c, const unsigned char *levels, enum fail_on fail_on, struct diags *d,
		  size_t first);

/* gitignore's rules for one list of globs and a path relative to their base: a glob
 * with no '/' but a trailing one matches a name at any depth, else the path from the
 * base; `*`, `?` and `[...]` within a name, `**` for any number of directories; a
 * trailing '/' matches directories only; `!` takes a path back in, but not one inside
 * an excluded directory; the last glob that matches decides. */
bool globs_exclude(char *const *globs, size_t n, const char *rel, bool is_dir);

#endif
