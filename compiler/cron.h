/* cron.h - schedules as the Spark operator reads them (robfig/cron's ParseStandard).
 *
 * Five fields (minute hour day-of-month month day-of-week) of numbers, names,
 * ranges, steps, lists, * and ?; the descriptors @yearly @annually @monthly @weekly
 * @daily @midnight @hourly and @every <Go duration>; an optional CRON_TZ= or TZ=
 * prefix. */
#ifndef SPARKC_CRON_H
#define SPARKC_CRON_H

#include <stdbool.h>
#include <stddef.h>

/* false with a message and the 0-based byte offset of the problem in spec. */
bool cron_check(const char *spec, char *why, size_t why_len, size_t *offset);

#endif
