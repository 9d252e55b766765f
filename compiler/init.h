/* init.h - `sparkc init NAME`: a commented starter job that compiles as it is, from
 * templates/init.yaml (and init-igz.yaml, init-schedule.yaml for the options). */
#ifndef SPARKC_INIT_H
#define SPARKC_INIT_H

#include <stdbool.h>
#include <stdio.h>

/* Returns the exit status: 0, or 2 after a message on err for a bad NAME or CRON. */
int init_job(FILE *out, FILE *err, const char *name, bool igz, const char *schedule,
	     const char *schema_path);

#endif
