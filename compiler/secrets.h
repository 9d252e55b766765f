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

enum secret_kind { SECRET_ENV, SECRET_ENV_VARS, SECRET_CONF, SECRET_ACCESS_KEY, SECRET_OBJECT };

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
 * hadoop_conf and volumes, an operator manifest's driver and executor env and
 * envVars, sparkConf, hadoopConf and volumes, or a Kubernetes Secret's stringData and
 * data (a companion beside a job). A value "true" or "false" is a switch, not a
 * secret. */
void secrets_flagged(const struct node *doc, secret_fn *fn, void *ctx);

/* Each value the secrets rule flags in a template (--templates): an env var's value,
 * an accessKey, any setting under a secret's name, wherever the template holds it; a
 * value made of a ${variable} is not one. */
void secrets_in_template(const struct node *root, secret_fn *fn, void *ctx);

/* Each non-empty scalar of a document (any document, valid or not) that diagnostics
 * must mask: those the rule flags and any other held under a name that says secret. */
void secrets_to_mask(const struct node *doc, void (*fn)(const struct node *value, void *ctx), void *ctx);

/* secrets_to_mask's values, each once, into *v (grown as needed, *cap its size; the
 * caller frees it); returns how many. */
size_t secrets_collect(const struct node *doc, const struct node ***v, size_t *cap);

/* From a source line's text alone, for diagnostics made where no document is at hand
 * (a YAML error, a duplicate key). doc is the document's text as far as it is held (may
 * be NULL): an alias written where a key or a name is (*pw) is read as its anchor's
 * text from it. Keys and names are read as YAML reads them (quotes and escapes). */
struct secret_text {
	const char *p;
	size_t len;
};

/* The byte ranges [from, to) of values written under a secret's name (`password:
 * ...`, `{name: DB_PASSWORD, value: ...}`), and of a `value:` when env_name_above says
 * a `name:` naming a secret is on the lines near (an env var written as a block).
 * Returns how many, at most max. */
size_t secrets_in_line(const char *line, const struct secret_text *doc, bool env_name_above, size_t (*spans)[2],
		       size_t max);

/* The length of a quoted scalar as written, s[0] being its quote (' or "), escapes
 * included; the rest of the line when it is not closed there. */
size_t quoted_scalar_length(const char *s);

/* Whether a line holds `name: <a name that says secret>`. */
bool secrets_line_names_one(const char *line, const struct secret_text *doc);

/* Whether the last secret value of a line (as secrets_in_line finds them) goes on to the
 * lines below: its opening quote (" or ') when the line does not close it, 'b' for a
 * block scalar (| or >), 'p' for a plain value that ends the line, 'e' for a secret's
 * key with no value on the line (only tags or an anchor), '?' for `? <secret's key>`
 * (its value follows on a `: ` line); else 0. */
char secrets_line_leaves_open(const char *line, const struct secret_text *doc, bool env_name_above);

/* Whether the anchor &name (name[0, n)) is used, as *name, where secrets_in_line finds
 * a secret, anywhere in doc: the anchor's value is then one wherever it is written. */
bool secrets_anchor_used(const struct secret_text *doc, const char *name, size_t n);

#endif
