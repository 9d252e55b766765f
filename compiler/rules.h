/* rules.h - every rule sparkc reports, in one table: its stable id, default severity,
 * whether its errors may be silenced, a one-line summary, a longer text, and the
 * upstream source it follows.
 *
 * Each diagnostic names its rule (diag.h). From this table come `sparkc rules`,
 * docs/rules.md (`sparkc rules --format markdown`), SARIF's tool.driver.rules (each
 * with a helpUri into docs/rules.md), the man page's list and the rule names the
 * configuration schema offers (tools/gen-rules-docs.py writes the last three;
 * tests/rules.py fails when any of them disagrees with the table, or when the code
 * reports a rule the table lacks). */
#ifndef SPARKC_RULES_H
#define SPARKC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "version.h"

enum severity { SEV_ERROR, SEV_WARNING };

/* "error" or "warning", as every format names a severity. */
const char *severity_name(enum severity s);

/* Where docs/rules.md is read on the web, as this release has it (version.h); each
 * rule is its #id there. */
#define SPARKC_RULES_URL SPARKC_REPOSITORY "/blob/v" SPARKC_VERSION "/docs/rules.md"

/* The sections of docs/rules.md, in order. */
enum rule_group { GROUP_YAML, GROUP_INPUT, GROUP_SCHEMA, GROUP_JOB, GROUP_SPARK_CONF, GROUP_KRM, GROUP_CONTROL };

struct rule {
	const char *id;
	enum severity severity;         /* what it reports, unless configured otherwise */
	bool warns_too;                 /* an error rule some of whose findings are warnings */
	/* Its errors may be silenced (an ignore comment or annotation, `off` or
	 * `warning` in the configuration): a policy, whose manifest stays one the
	 * operator and Kubernetes accept. Warnings can always be silenced. */
	bool ignorable;
	enum rule_group group;
	const char *summary;            /* one line */
	const char *text;               /* what it checks and why */
	const char *source;             /* the upstream source it follows */
};

extern const struct rule rules[];
extern const size_t rules_count;

/* The rule with this id, or NULL. */
const struct rule *rule_find(const char *id);

/* The id of the rule closest to a mistyped one (suggest.h), or NULL. */
const char *rule_closest(const char *id);

/* Whether a diagnostic of rule r at severity sev may be silenced; if not, *why says
 * in a few words what the error protects. */
bool rule_silenceable(const struct rule *r, enum severity sev, const char **why);

/* Whether the configuration may turn r off or down to a warning: not when one of its
 * errors is one sparkc never lets be silenced. */
bool rule_adjustable(const struct rule *r);

enum rules_format { RULES_TEXT, RULES_JSON, RULES_MARKDOWN, RULES_MAN };
/* `sparkc rules`: every rule, in one of four forms (the markdown is docs/rules.md, the
 * man form the man page's RULES section). */
void rules_print(FILE *out, enum rules_format fmt);

#endif
