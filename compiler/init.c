/* init.c - see init.h. */
#include "init.h"

#include <stdlib.h>
#include <string.h>

#include "cron.h"
#include "escape.h"
#include "k8sname.h"
#include "resources.h"
#include "subst.h"

/* Write a template, replacing ${name}, ${schedule} and ${schema}; one not given (no
 * schedule) stays as written. */
static void put_template(FILE *out, const char *resource, const char *name, const char *schedule,
			 const char *schema)
{
	const struct resource *r = resource_get(resource);
	struct subst_var vars[3];
	size_t n = 0;
	if (name)
		vars[n++] = (struct subst_var){"name", name};
	if (schedule)
		vars[n++] = (struct subst_var){"schedule", schedule};
	if (schema)
		vars[n++] = (struct subst_var){"schema", schema};
	size_t len;
	char *text = subst_vars(r->text, r->len, vars, n, &len);
	fwrite(text, 1, len, out);
	free(text);
}

int init_job(FILE *out, FILE *err, const char *name, bool igz, const char *schedule,
	     const char *schema_path)
{
	size_t max = job_name_max(schedule != NULL);
	if (!dns1035_label(name) || strlen(name) > max) {
		print_escaped(err, "sparkc: '%s' cannot name a job: use at most %zu lower-case letters, digits "
			"and '-', starting with a letter%s\n", name, max,
			schedule ? " (a scheduled job's runs add a timestamp to it)" : "");
		return 2;
	}
	if (schedule) {
		char why[256];
		size_t off;
		if (strchr(schedule, '"') || strchr(schedule, '\\') || !cron_check(schedule, why, sizeof why, &off)) {
			print_escaped(err, "sparkc: '%s' is not a schedule: %s\n", schedule,
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
