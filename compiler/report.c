/* report.c - see report.h. */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "escape.h"

/* ---- text as XML and TAP take it --------------------------------------------------- */

static const char replacement[] = "\xEF\xBF\xBD";      /* U+FFFD for bytes that are not UTF-8 */

/* Writes text one character at a time through put, which gets the code point and its
 * bytes; bytes that are not UTF-8 are written as U+FFFD. A character that would forge
 * a workflow command (escape.h) is written as the syntax's own escape of it, colon or
 * bracket; none when they are NULL (a syntax that escapes '#' and starts no line). */
static void write_escaped(FILE *out, const char *text,
			  void (*put)(FILE *out, uint32_t c, const unsigned char *bytes, size_t len),
			  const char *colon, const char *bracket)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	bool head = true;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t len = utf8_decode(s + i, n - i, &c);
		char buf[8];
		if (len && colon && escape_forges_command(text, n, i, escape_control(c, buf) ? 0 : c, &head))
			fputs(c == '[' ? bracket : colon, out);
		else if (len)
			put(out, c, s + i, len);
		else
			fputs(replacement, out);
		i += len ? len : 1;
	}
}

/* XML 1.0 text or attribute content. Tab, line feed and carriage return are written as
 * character references in attributes (an attribute value's white space is otherwise
 * normalised to spaces); the other control characters are shown as the text
 * diagnostics show them (escape.h: the C0 ones cannot appear in XML 1.0 at all, even
 * as references), and U+FFFE/U+FFFF, which XML forbids too, as U+FFFD. */
static void xml_char(FILE *out, uint32_t c, const unsigned char *bytes, size_t len)
{
	char buf[8];
	const char *esc;
	switch (c) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs("&quot;", out); break;
	case '\t': fputs("&#9;", out); break;
	case '\n': fputs("&#10;", out); break;
	case '\r': fputs("&#13;", out); break;
	default:
		if ((esc = escape_control(c, buf)))
			fputs(esc, out);
		else if (c == 0xFFFE || c == 0xFFFF)
			fputs(replacement, out);
		else
			fwrite(bytes, 1, len, out);
	}
}

static void xml_write(FILE *out, const char *text)
{
	write_escaped(out, text, xml_char, "&#58;", "&#91;");
}

/* Inside a YAML double-quoted scalar, in the escapes TAP's YAMLish readers know (\\ \"
 * \n \t \r \xHH), which are escape.h's for the control characters below U+0100.
 * YAMLish has no \u escape: a character escape.h shows as \uXXXX (LS and PS, line
 * breaks to YAML 1.1 readers; the bidirectional controls) is shown as that text. */
static void tap_yaml_char(FILE *out, uint32_t c, const unsigned char *bytes, size_t len)
{
	char buf[8];
	const char *esc;
	if (c == '"')
		fputs("\\\"", out);
	else if (c == '\\')
		fputs("\\\\", out);
	else if ((esc = escape_control(c, buf)))
		fprintf(out, "%s%s", esc[1] == 'u' ? "\\" : "", esc);
	else
		fwrite(bytes, 1, len, out);
}

static void tap_yaml_string(FILE *out, const char *text)
{
	fputc('"', out);
	write_escaped(out, text, tap_yaml_char, "\\x3a", "\\x5b");
	fputc('"', out);
}

/* In a test line's description '#' would start a directive, and a line break would
 * end the line. */
static void tap_description_char(FILE *out, uint32_t c, const unsigned char *bytes, size_t len)
{
	char buf[8];
	const char *esc;
	if (c == '#' || c == '\\')
		fprintf(out, "\\%c", (int)c);
	else if ((esc = escape_control(c, buf)))
		fputs(esc, out);
	else
		fwrite(bytes, 1, len, out);
}

/* ---- one test case per input --------------------------------------------------------- */

/* The diagnostics of one input: a run of the sorted diagnostics. */
struct input_result {
	const struct diag *v;
	size_t n, errors, warnings;
	size_t failing;         /* those that fail the run (diag.fails) */
};

static struct input_result diags_of(const struct diags *d, const char *name)
{
	size_t lo = 0, hi = d->n;
	if (!d->n)              /* no diagnostic at all: d->v is NULL */
		return (struct input_result){0};
	while (lo < hi) {       /* the first diagnostic whose file is not before name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(d->v[mid].file, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct input_result r = {.v = d->v + lo};
	while (lo + r.n < d->n && !strcmp(d->v[lo + r.n].file, name)) {
		if (r.v[r.n].severity == SEV_ERROR)
			r.errors++;
		else
			r.warnings++;
		r.failing += r.v[r.n].fails;
		r.n++;
	}
	return r;
}

/* `file:line:col: path: message`, the first line of a text diagnostic, through esc. */
static void write_summary(FILE *out, const struct diag *g, bool severity,
			  void (*esc)(FILE *, const char *))
{
	esc(out, g->file);
	if (g->line)
		fprintf(out, ":%d:%d", g->line, g->col);
	fputs(": ", out);
	if (severity)
		fprintf(out, "%s: ", severity_name(g->severity));
	if (*g->path) {
		esc(out, g->path);
		fputs(": ", out);
	}
	esc(out, g->message);
}

/* An input that could not be read (rule io): a JUnit <error>, not a <failure>. */
static bool io_error(const struct input_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].severity == SEV_ERROR && !strcmp(r->v[i].rule, "io"))
			return true;
	return false;
}

/* The first diagnostic that fails the test case. */
static const struct diag *first_failing(const struct input_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].fails)
			return &r->v[i];
	return NULL;
}

/* What a skipped test case says. */
static const char skip_reason[] = "no Spark job: only other Kubernetes objects, MLRun functions or other YAML";

/* ---- JUnit XML ----------------------------------------------------------------------- */

/* The diagnostics of a test case as lines of text, each ending with its rule as in the
 * text format, with its hint below it. */
static void junit_diagnostics(FILE *out, const struct input_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		write_summary(out, &r->v[i], true, xml_write);
		fputs(" [", out);       /* the rule, as text output ends each line */
		xml_write(out, r->v[i].rule);
		fputc(']', out);
		if (r->v[i].hint) {
			fputs("\n  hint: ", out);
			xml_write(out, r->v[i].hint);
		}
		fputc('\n', out);
	}
}

static void print_junit(const struct diags *d, char *const *inputs, const bool *skipped, size_t ninputs,
			FILE *out)
{
	size_t failures = 0, errors = 0, skips = 0;
	for (size_t i = 0; i < ninputs; i++) {
		struct input_result r = diags_of(d, inputs[i]);
		if (io_error(&r))
			errors++;
		else
			failures += r.failing > 0;
		skips += skipped[i];
	}
	char counts[160];
	snprintf(counts, sizeof counts, "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\"",
		 ninputs, failures, errors, skips);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"sparkc validate\" %s>\n"
		"  <testsuite name=\"sparkc validate\" %s>\n", counts, counts);
	for (size_t i = 0; i < ninputs; i++) {
		struct input_result r = diags_of(d, inputs[i]);
		fputs("    <testcase name=\"", out);
		xml_write(out, inputs[i]);
		fputs("\" classname=\"sparkc.validate\" file=\"", out);
		xml_write(out, inputs[i]);
		fputs("\" time=\"0\"", out);
		if (skipped[i]) {
			fprintf(out, ">\n      <skipped message=\"%s\"/>\n    </testcase>\n", skip_reason);
			continue;
		}
		if (!r.n) {
			fputs("/>\n", out);
			continue;
		}
		fputs(">\n", out);
		const struct diag *first = first_failing(&r);
		const char *element = io_error(&r) ? "error" : "failure";
		if (first) {
			fprintf(out, "      <%s type=\"", element);
			xml_write(out, first->rule);
			fputs("\" message=\"", out);
			write_summary(out, first, false, xml_write);
			if (r.failing > 1)
				fprintf(out, " (and %zu more %s%s)", r.failing - 1,
					r.failing == r.errors ? "error" : "failing diagnostic", r.failing > 2 ? "s" : "");
			fputs("\">\n", out);
		} else {
			fputs("      <system-out>\n", out);
		}
		junit_diagnostics(out, &r);
		if (first)
			fprintf(out, "</%s>\n", element);
		else
			fputs("</system-out>\n", out);
		fputs("    </testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
}

/* ---- TAP ------------------------------------------------------------------------------ */

static void raw_write(FILE *out, const char *text)
{
	fputs(text, out);
}

/* The YAML block under a test line: a one-line message (the first error), then every
 * diagnostic of the input with its fields. */
static void tap_diagnostics(FILE *out, const struct input_result *r)
{
	const struct diag *first = first_failing(r);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (first)
		write_summary(mem, first, false, raw_write);
	else
		fprintf(mem, "%zu warning%s", r->warnings, r->warnings > 1 ? "s" : "");
	fclose(mem);
	fputs("  ---\n  message: ", out);
	tap_yaml_string(out, text);
	free(text);
	fprintf(out, "\n  severity: %s\n  diagnostics:\n", first ? "fail" : "warning");
	for (size_t i = 0; i < r->n; i++) {
		const struct diag *g = &r->v[i];
		fputs("    - file: ", out);
		tap_yaml_string(out, g->file);
		fprintf(out, "\n      line: %d\n      column: %d\n      severity: %s\n      rule: %s\n"
			"      path: ", g->line, g->col, severity_name(g->severity), g->rule);
		tap_yaml_string(out, g->path);
		fputs("\n      message: ", out);
		tap_yaml_string(out, g->message);
		if (g->hint) {
			fputs("\n      hint: ", out);
			tap_yaml_string(out, g->hint);
		}
		fputc('\n', out);
	}
	fputs("  ...\n", out);
}

static void print_tap(const struct diags *d, char *const *inputs, const bool *skipped, size_t ninputs, FILE *out)
{
	fprintf(out, "TAP version 13\n1..%zu\n", ninputs);
	for (size_t i = 0; i < ninputs; i++) {
		struct input_result r = diags_of(d, inputs[i]);
		fprintf(out, "%s %zu - ", r.failing ? "not ok" : "ok", i + 1);
		write_escaped(out, inputs[i], tap_description_char, NULL, NULL);
		if (skipped[i])
			fprintf(out, " # SKIP %s", skip_reason);
		fputc('\n', out);
		if (r.n)
			tap_diagnostics(out, &r);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void report_print(struct diags *d, enum diag_format fmt, char *const *inputs, const bool *skipped,
		  size_t ninputs, FILE *out)
{
	diags_sort(d);
	/* Errors about no input read (a directory without a job, a file that cannot be
	 * read) are test cases too, after the inputs: a run that fails must never
	 * report green, nor an empty plan. */
	char **cases = xmalloc((ninputs + d->n + 1) * sizeof *cases);
	char **sorted = xmalloc((ninputs + 1) * sizeof *sorted);
	bool *skips = xmalloc(ninputs + d->n + 1);
	size_t ncases = 0;
	for (size_t i = 0; i < ninputs; i++) {
		skips[ncases] = skipped[i];
		cases[ncases++] = sorted[i] = inputs[i];
	}
	if (ninputs)
		qsort(sorted, ninputs, sizeof *sorted, by_name);
	for (size_t i = 0; i < d->n; i++) {
		const char *file = d->v[i].file;
		if ((i && !strcmp(file, d->v[i - 1].file)) ||
		    (ninputs && bsearch(&file, sorted, ninputs, sizeof *sorted, by_name)))
			continue;
		skips[ncases] = false;
		cases[ncases++] = d->v[i].file;
	}
	if (fmt == FMT_JUNIT)
		print_junit(d, cases, skips, ncases, out);
	else
		print_tap(d, cases, skips, ncases, out);
	free(skips);
	free(sorted);
	free(cases);
}
