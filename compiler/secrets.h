/* secrets.h - values that must not be written as plain text, and that no output of
 * sparkc may repeat.
 *
 * The secrets rule: a literal value of an env var (a list's {name, value} or an
 * envVars map's NAME: value), or of a spark_conf / hadoop_conf
 * key, whose name's words say secret, password, token or access key (names that only
 * point at one -- ..._FILE, ..._PATH, ..._DIR, spark.kubernetes.*.secrets.*,
 * spark.kubernetes.*.secretKeyRef.* -- are fine), and a literal flexVolume accessKey
 * option. check.c reports each; diagnostics mask them (diag.c), and with them any other
 * scalar a document holds under such a name, wherever it sits. */
#ifndef SPARKC_SECRETS_H
#define SPARKC_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"

enum secret_kind { SECRET_ENV, SECRET_ENV_VARS, SECRET_CONF, SECRET_ACCESS_KEY };

struct secret {
	enum secret_kind kind;
	const struct node *value;
	const char *name;       /* the env var or conf key */
	char path[512];         /* e.g. spec.env[0].value */
};

typedef void secret_fn(const struct secret *s, void *ctx);

/* Whether a name says it holds a secret, read as words (split at _ - . and camelCase
 * turns), so that TOKENIZER_NAME does not; docs/design.md lists the words. */
bool secret_name(const char *name);

/* Each value the secrets rule flags in a document: a job's env, spark_conf,
 * hadoop_conf and volumes, or an operator manifest's driver and executor env and
 * envVars, sparkConf, hadoopConf and volumes. */
void secrets_flagged(const struct node *doc, secret_fn *fn, void *ctx);

/* Each non-empty scalar of a document (any document, valid or not) that diagnostics
 * must mask: those the rule flags and any other held under a name that says secret. */
void secrets_to_mask(const struct node *doc, void (*fn)(const struct node *value, void *ctx), void *ctx);

/* secrets_to_mask's values, each once, into *v (grown as needed, *cap its size; the
 * caller frees it); returns how many. */
size_t secrets_collect(const struct node *doc, const struct node ***v, size_t *cap);

/* From a source line's text alone, for diagnostics made where no document is at hand
 * (a YAML error, a duplicate key): the byte ranges [from, to) of values written under
 * a secret's name (`password: ...`, `{name: DB_PASSWORD, value: ...}`), and of a
 * `value:` when env_name_above says a `name:` naming a secret is on the lines just
 * above (an env var written as a block). Returns how many, at most max. */
size_t secrets_in_line(const char *line, bool env_name_above, size_t (*spans)[2], size_t max);

/* The length of a quoted scalar as written, s[0] being its quote (' or "), escapes
 * included; the rest of the line when it is not closed there. */
size_t quoted_scalar_length(const char *s);

/* Whether a line holds `name: <a name that says secret>`. */
bool secrets_line_names_one(const char *line);

/* Whether the last secret value of a line (as secrets_in_line finds them) goes on to the
 * lines below: its opening quote (" or ') when the line does not close it, 'b' for a
 * block scalar (| or >), 'p' for a plain value that ends the line; else 0. */
char secrets_line_leaves_open(const char *line, bool env_name_above);

#endif
