/* fuzz_lsp.c - libFuzzer over `sparkc lsp` with the input as a document an editor has
 * open: a session (initialize, didOpen, then at places on each of its lines hover,
 * completion and code actions, an incremental change and the same again, shutdown,
 * exit) is written as a client would and served by lsp_run. Any crash, sanitizer report,
 * leak or hang is a bug; `make fuzz-lsp` runs it. (The framing itself is fuzzed by
 * tests/lsp.py, with mutated sessions.) */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"
#include "lsptext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void frame(FILE *f, json_t *msg)
{
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	char *body = json_dumps(msg, JSON_COMPACT);
	fprintf(f, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
	free(body);
	json_decref(msg);
}

static void request(FILE *f, int *id, const char *method, json_t *params)
{
	frame(f, json_pack("{s:i, s:s, s:o}", "id", ++*id, "method", method, "params", params));
}

static json_t *doc(void)
{
	return json_pack("{s:s}", "uri", "file:///fuzz/job.yaml");
}

/* Hover, completion and code actions at a few places of each of the first lines (a few,
 * since each request reads the document anew: a session stays well within the fuzzer's
 * time limit under its instrumentation). */
static void ask_around(FILE *f, int *id, size_t lines)
{
	static const int cols[] = {0, 3, 9};
	for (size_t line = 0; line < lines && line < 12; line++)
		for (size_t c = 0; c < 3; c++) {
			int col = cols[c];
			json_t *pos = json_pack("{s:I, s:i}", "line", (json_int_t)line, "character", col);
			request(f, id, "textDocument/hover", json_pack("{s:o, s:O}", "textDocument", doc(), "position", pos));
			request(f, id, "textDocument/completion",
				json_pack("{s:o, s:O}", "textDocument", doc(), "position", pos));
			request(f, id, "textDocument/codeAction",
				json_pack("{s:o, s:{s:O, s:O}, s:{}}", "textDocument", doc(), "range", "start", pos, "end",
					  pos, "context"));
			json_decref(pos);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *session = tmpfile();
	if (!session)
		return 0;
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	int id = 0;
	request(session, &id, "initialize", json_pack("{s:{}, s:{s:i}}", "capabilities", "initializationOptions",
						     "debounce", 0));
	frame(session, json_pack("{s:s, s:{s:{s:s, s:s, s:i, s:o}}}", "method", "textDocument/didOpen", "params",
				 "textDocument", "uri", "file:///fuzz/job.yaml", "languageId", "yaml", "version", 1,
				 "text", text_json_string((const char *)data, size)));
	ask_around(session, &id, lines);
	/* an incremental change: the middle line's first characters replaced */
	frame(session, json_pack("{s:s, s:{s:{s:s, s:i}, s:[{s:{s:{s:I, s:i}, s:{s:I, s:i}}, s:s}]}}", "method",
				 "textDocument/didChange", "params", "textDocument", "uri", "file:///fuzz/job.yaml",
				 "version", 2, "contentChanges", "range", "start", "line", (json_int_t)(lines / 2),
				 "character", 0, "end", "line", (json_int_t)(lines / 2), "character", 3, "text", "x: "));
	ask_around(session, &id, lines);
	request(session, &id, "shutdown", json_null());
	frame(session, json_pack("{s:s}", "method", "exit"));
	rewind(session);
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	struct options opt = {.command = RUN_VALIDATE, .limits = default_limits, .err = devnull};
	lsp_run(fileno(session), fileno(devnull), &opt);
	fclose(session);
	return 0;
}
