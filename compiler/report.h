/* report.h - validate's results as test reports for CI systems: one test case per
 * input file, passed or failed by its errors.
 *
 * junit: the JUnit XML that GitLab, Jenkins and most CI servers read
 *   (testsuites/testsuite/testcase, a failure per failing file with its diagnostics).
 * tap:   TAP version 13, one "ok"/"not ok" line per file with a YAML block of the
 *   file's diagnostics.
 * Unlike the other formats these need the clean files too (a passing test case each),
 * so the caller passes every input it read. A diagnostic about anything else (a
 * directory without a job, a file that could not be read) makes a failing test case
 * of its own after the inputs; rule io is a JUnit <error> (counted in errors), any
 * other a <failure>. */
#ifndef SPARKC_REPORT_H
#define SPARKC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* inputs: the names of the inputs read, in order, as the diagnostics name them;
 * skipped: which of them held no Spark job (a skipped test case). A test case fails
 * on a diagnostic that fails the run (diag.fails: an error, or a warning under
 * fail-on warning). */
void report_print(struct diags *d, enum diag_format fmt, char *const *inputs, const bool *skipped,
		  size_t ninputs, FILE *out);

#endif
