/* init.c - see init.h. */
#include "init.h"

#include <string.h>

#include "check.h"
#include "cron.h"
#include "resources.h"

/* Write a template, replacing ${name}, ${schedule} and ${schema}. */
static void put_template(FILE *out, const char *resource, const char *name, const char *schedule,
			 const char *schema)
{
	const struct resource *r = resource_get(resource);
	const char *p = r->text, *end = r->text + r->len;
	while (p < end) {
		const char *var = strstr(p, "${");
		if (!var || var >= end) {
			fwrite(p, 1, (size_t)(end - p), out);
			break;
		}
		fwrite(p, 1, (size_t)(var - p), out);
		const char *close = strchr(var, '}');
		size_t len = close ? (size_t)(close - var - 2) : 0;
		const char *value = !strncmp(var + 2, "name", len) && len == 4       ? name
				    : !strncmp(var + 2, "schedule", len) && len == 8 ? schedule
				    : !strncmp(var + 2, "schema", len) && len == 6   ? schema
										     : NULL;
		if (value) {
			fputs(value, out);
			p = close + 1;
		} else {
			fputs("${", out);
			p = var + 2;
		}
	}
}

int init_job(FILE *out, FILE *err, const char *name, bool igz, const char *schedule,
	     const char *schema_path)
{
	size_t max = schedule ? 36 : 56;
	if (!dns1035_label(name) || strlen(name) > max) {
		fprintf(err, "sparkc: '%s' cannot name a job: use at most %zu lower-case letters, digits "
			"and '-', starting with a letter%s\n", name, max,
			schedule ? " (a scheduled job's runs add a timestamp to it)" : "");
		return 2;
	}
	if (schedule) {
		char why[256];
		size_t off;
		if (strchr(schedule, '"') || strchr(schedule, '\\') || !cron_check(schedule, why, sizeof why, &off)) {
			fprintf(err, "sparkc: '%s' is not a schedule: %s\n", schedule,
				strchr(schedule, '"') || strchr(schedule, '\\') ? "quotes and backslashes are not cron" : why);
			return 2;
		}
	}
	put_template(out, "templates/init.yaml", name, schedule, schema_path);
	if (igz)
		put_template(out, "templates/init-igz.yaml", name, schedule, schema_path);
	if (schedule)
		put_template(out, "templates/init-schedule.yaml", name, schedule, schema_path);
	return fflush(out) ? 2 : 0;
}
