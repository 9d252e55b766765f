/* lsp.c - see lsp.h. */
#include "lsp.h"

#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lspdiag.h"
#include "lspfix.h"
#include "lspinfo.h"
#include "lsptext.h"
#include "lspwire.h"
#include "schema.h"
#include "version.h"

/* JSON-RPC's and the protocol's error codes. */
enum {
	PARSE_ERROR = -32700,
	INVALID_REQUEST = -32600,
	METHOD_NOT_FOUND = -32601,
	INVALID_PARAMS = -32602,
	SERVER_NOT_INITIALIZED = -32002,
};

enum { DEBOUNCE_MS = 150, DEBOUNCE_MAX_MS = 1000 };

struct document {
	char *uri;
	char *name;             /* the file's path (a file: URI), else the URI: what diagnostics name */
	struct text text;
	json_int_t version;
	struct diags diags;     /* of the text as last checked */
	bool dirty;             /* changed since */
	long long first_change, due;    /* when the first unchecked change came; when to check */
};

struct server {
	struct wire wire;
	const struct options *opt;
	enum position_encoding enc;
	enum { STARTING, RUNNING, SHUT_DOWN } state;
	bool gone;              /* the client's end is closed */
	long long debounce;     /* ms */
	bool trace;             /* $/logTrace each check's time */
	bool watch_config;      /* the client can be asked to watch .sparkc.yaml files */
	bool snippets;          /* the client takes snippets in completion items */
	struct document **docs;
	size_t ndocs, docs_cap;
};

/* A request's failure, answered as a JSON-RPC error. */
struct failure {
	int code;
	char message[256];
};

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void fail(struct failure *f, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct failure *f, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f->code = code;
	vsnprintf(f->message, sizeof f->message, fmt, ap);
	va_end(ap);
}

/* ---- messages out -------------------------------------------------------------------- */

static void send_message(struct server *srv, json_t *msg)
{
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	char *text = json_dumps(msg, JSON_COMPACT);
	if (!text || !wire_write(&srv->wire, text, strlen(text)))
		srv->gone = true;
	free(text);
	json_decref(msg);
}

/* id NULL: the request's id could not be read. */
static void respond_error(struct server *srv, json_t *id, int code, const char *message)
{
	send_message(srv, json_pack("{s:O?, s:{s:i, s:o}}", "id", id, "error", "code", code, "message",
			    text_json_string(message, strlen(message))));
}

static void notify(struct server *srv, const char *method, json_t *params)
{
	send_message(srv, json_pack("{s:s, s:o}", "method", method, "params", params));
}

static void log_trace(struct server *srv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_trace(struct server *srv, const char *fmt, ...)
{
	if (!srv->trace)
		return;
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	notify(srv, "$/logTrace", json_pack("{s:o}", "message", text_json_string(message, strlen(message))));
}

/* ---- documents ------------------------------------------------------------------------- */

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* A file: URI's path, percent-decoded (file:///home/a%20b.yaml -> /home/a b.yaml), so
 * that diagnostics name the file as `sparkc validate` would; any other URI as it is. */
static char *uri_name(const char *uri)
{
	if (strncmp(uri, "file://", 7) || !strchr(uri + 7, '/'))
		return xstrdup(uri);
	const char *p = strchr(uri + 7, '/');   /* past the host, usually empty */
	char *name = xmalloc(strlen(p) + 1), *o = name;
	for (; *p; p++) {
		if (*p == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0 && (hex(p[1]) || hex(p[2]))) {
			*o++ = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return name;
}

static struct document *find_document(struct server *srv, const char *uri)
{
	for (size_t i = 0; uri && i < srv->ndocs; i++)
		if (!strcmp(srv->docs[i]->uri, uri))
			return srv->docs[i];
	return NULL;
}

static void free_document(struct document *doc)
{
	free(doc->uri);
	free(doc->name);
	text_free(&doc->text);
	diags_free(&doc->diags);
	free(doc);
}

/* Validate the text as `sparkc validate` would a file of that name, and publish. */
static void check(struct server *srv, struct document *doc)
{
	long long start = now_us();
	diags_free(&doc->diags);
	pipeline_validate_text(srv->opt, doc->name, doc->text.p, doc->text.len, &doc->diags);
	long long checked = now_us();
	json_t *list = json_array();
	for (size_t i = 0; i < doc->diags.n; i++)
		json_array_append_new(list, lsp_diag_json(&doc->text, doc->uri, doc->name, &doc->diags.v[i], srv->enc));
	notify(srv, "textDocument/publishDiagnostics",
	       json_pack("{s:s, s:I, s:o}", "uri", doc->uri, "version", doc->version, "diagnostics", list));
	doc->dirty = false;
	log_trace(srv, "checked %s (version %lld, %zu bytes): %zu diagnostics; check %.3f ms, publish %.3f ms",
		  doc->uri, (long long)doc->version, doc->text.len, doc->diags.n, (checked - start) / 1000.0,
		  (now_us() - checked) / 1000.0);
}

/* Check the documents whose debounce time is over; the time to wait for the next one
 * in ms (-1: none is waiting). */
static int check_due(struct server *srv)
{
	long long now = now_us() / 1000, next = -1;
	for (size_t i = 0; i < srv->ndocs && !srv->gone; i++) {
		struct document *doc = srv->docs[i];
		if (doc->dirty && doc->due <= now)
			check(srv, doc);
		else if (doc->dirty && (next < 0 || doc->due < next))
			next = doc->due;
	}
	return next < 0 ? -1 : (int)(next - now);
}

static void changed(struct server *srv, struct document *doc)
{
	long long now = now_us() / 1000;
	if (!doc->dirty)
		doc->first_change = now;
	doc->dirty = true;
	doc->due = now + srv->debounce;
	if (doc->due > doc->first_change + DEBOUNCE_MAX_MS)
		doc->due = doc->first_change + DEBOUNCE_MAX_MS;
}

/* ---- parameters ------------------------------------------------------------------------- */

/* params.textDocument.uri's open document; NULL (f set) when the parameter is missing,
 * NULL (f unset) when the document is not open. */
static struct document *param_document(struct server *srv, json_t *params, struct failure *f)
{
	const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
	if (!uri)
		fail(f, INVALID_PARAMS, "params.textDocument.uri: expected a string");
	return find_document(srv, uri);
}

/* A Position as a byte offset of the document (none open: 0), checked to be one. */
static bool param_offset(struct server *srv, const struct document *doc, json_t *position, size_t *offset,
			 struct failure *f)
{
	json_t *line = json_object_get(position, "line"), *character = json_object_get(position, "character");
	if (!json_is_integer(line) || !json_is_integer(character) || json_integer_value(line) < 0 ||
	    json_integer_value(character) < 0) {
		fail(f, INVALID_PARAMS, "a position is {line, character}, both whole numbers from 0");
		return false;
	}
	*offset = doc ? text_offset(&doc->text, json_integer_value(line), json_integer_value(character), srv->enc) : 0;
	return true;
}

static bool param_range(struct server *srv, const struct document *doc, json_t *range, size_t *start, size_t *end,
			struct failure *f)
{
	if (!param_offset(srv, doc, json_object_get(range, "start"), start, f) ||
	    !param_offset(srv, doc, json_object_get(range, "end"), end, f))
		return false;
	if (*start > *end) {
		size_t swap = *start;
		*start = *end;
		*end = swap;
	}
	return true;
}

/* ---- the lifecycle -------------------------------------------------------------------- */

static json_t *initialize(struct server *srv, json_t *params, struct failure *f)
{
	if (srv->state != STARTING) {
		fail(f, INVALID_REQUEST, "initialize was received already");
		return NULL;
	}
	/* the client's encodings in its order of preference; UTF-16 is the default */
	json_t *encodings = json_object_get(json_object_get(json_object_get(params, "capabilities"), "general"),
					    "positionEncodings");
	size_t i;
	json_t *e;
	bool chosen = false;
	json_array_foreach(encodings, i, e)
		for (int k = 0; k < 3 && !chosen; k++)
			if (json_is_string(e) && !strcmp(json_string_value(e), position_encoding_names[k])) {
				srv->enc = (enum position_encoding)k;
				chosen = true;
			}
	json_t *debounce = json_object_get(json_object_get(params, "initializationOptions"), "debounce");
	if (json_is_integer(debounce) && json_integer_value(debounce) >= 0 && json_integer_value(debounce) <= 10000)
		srv->debounce = json_integer_value(debounce);
	const char *trace = json_string_value(json_object_get(params, "trace"));
	srv->trace = trace && strcmp(trace, "off");
	json_t *watch = json_object_get(json_object_get(json_object_get(params, "capabilities"), "workspace"),
					"didChangeWatchedFiles");
	srv->watch_config = json_is_true(json_object_get(watch, "dynamicRegistration"));
	json_t *item = json_object_get(json_object_get(json_object_get(json_object_get(params, "capabilities"),
									"textDocument"), "completion"), "completionItem");
	srv->snippets = json_is_true(json_object_get(item, "snippetSupport"));
	srv->state = RUNNING;
	/* save: a client that cannot watch files (Neovim) still says when a .sparkc.yaml or
	 * a template is saved */
	return json_pack("{s:{s:s, s:{s:b, s:i, s:{s:b}}, s:b, s:{s:[s,s], s:b}, s:{s:[s]}}, s:{s:s, s:s}}",
			 "capabilities", "positionEncoding", position_encoding_names[srv->enc], "textDocumentSync",
			 "openClose", 1, "change", 2, "save", "includeText", 0, "hoverProvider", 1, "completionProvider",
			 "triggerCharacters", ".", " ", "resolveProvider", 1, "codeActionProvider", "codeActionKinds", "quickfix",
			 "serverInfo", "name", "sparkc", "version", SPARKC_VERSION);
}

static json_t *shutdown_request(struct server *srv, json_t *params, struct failure *f)
{
	(void)params;
	(void)f;
	srv->state = SHUT_DOWN;
	return json_null();
}

/* ---- text synchronisation ---------------------------------------------------------------- */

static void did_open(struct server *srv, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *text = json_object_get(td, "text"), *version = json_object_get(td, "version");
	if (!uri || !json_is_string(text))
		return;
	struct document *doc = find_document(srv, uri);
	if (!doc) {
		if (srv->ndocs == srv->docs_cap)
			srv->docs = xrealloc(srv->docs, (srv->docs_cap = srv->docs_cap ? srv->docs_cap * 2 : 8) *
							    sizeof *srv->docs);
		doc = srv->docs[srv->ndocs++] = xmalloc(sizeof *doc);
		*doc = (struct document){.uri = xstrdup(uri), .name = uri_name(uri)};
	}
	text_set(&doc->text, json_string_value(text), json_string_length(text));
	doc->version = json_is_integer(version) ? json_integer_value(version) : 0;
	check(srv, doc);
}

static void did_change(struct server *srv, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument"), *changes = json_object_get(params, "contentChanges");
	struct document *doc = find_document(srv, json_string_value(json_object_get(td, "uri")));
	if (!doc || !json_is_array(changes))
		return;
	size_t i;
	json_t *change;
	json_array_foreach(changes, i, change) {
		json_t *text = json_object_get(change, "text"), *range = json_object_get(change, "range");
		size_t start = 0, end = doc->text.len;
		struct failure f = {0};
		if (!json_is_string(text) || (range && !param_range(srv, doc, range, &start, &end, &f)))
			continue;       /* a change that says nothing usable */
		text_replace(&doc->text, start, end, json_string_value(text), json_string_length(text));
	}
	json_t *version = json_object_get(td, "version");
	if (json_is_integer(version))
		doc->version = json_integer_value(version);
	changed(srv, doc);
}

static void did_close(struct server *srv, json_t *params)
{
	const char *uri = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
	for (size_t i = 0; uri && i < srv->ndocs; i++) {
		if (strcmp(srv->docs[i]->uri, uri))
			continue;
		/* its diagnostics go with it */
		notify(srv, "textDocument/publishDiagnostics", json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
		free_document(srv->docs[i]);
		srv->docs[i] = srv->docs[--srv->ndocs];
		return;
	}
}

/* Once the client is ready: a client that can watch files for the server is asked to
 * report changes of .sparkc.yaml, which steers what every document below it reports. */
static void initialized(struct server *srv, json_t *params)
{
	(void)params;
	if (srv->watch_config)
		send_message(srv, json_pack("{s:s, s:s, s:{s:[{s:s, s:s, s:{s:[{s:s}]}}]}}", "id", "sparkc-watch",
					    "method", "client/registerCapability", "params", "registrations", "id",
					    "sparkc-config", "method", "workspace/didChangeWatchedFiles",
					    "registerOptions", "watchers", "globPattern", "**/.sparkc.yaml"));
}

/* A configuration or watched file changed, or a file was saved (a .sparkc.yaml, a
 * template: what the checks read from disk): every open document is checked again. */
static void recheck_all(struct server *srv, json_t *params)
{
	(void)params;
	for (size_t i = 0; i < srv->ndocs; i++)
		changed(srv, srv->docs[i]);
}

static void set_trace(struct server *srv, json_t *params)
{
	const char *value = json_string_value(json_object_get(params, "value"));
	if (value)
		srv->trace = strcmp(value, "off") != 0;
}

/* ---- language features ------------------------------------------------------------------- */

static json_t *hover(struct server *srv, json_t *params, struct failure *f)
{
	struct document *doc = param_document(srv, params, f);
	size_t offset, start, end;
	if (!param_offset(srv, doc, json_object_get(params, "position"), &offset, f) || !doc)
		return json_null();
	char *md = lsp_hover(&doc->text, doc->name, offset, srv->opt, &start, &end);
	if (!md)
		return json_null();
	json_t *result = json_pack("{s:{s:s, s:o}, s:o}", "contents", "kind", "markdown", "value",
				   text_json_string(md, strlen(md)), "range",
				   text_range_json(&doc->text, start, end, srv->enc));
	free(md);
	return result;
}

static json_t *completion(struct server *srv, json_t *params, struct failure *f)
{
	struct document *doc = param_document(srv, params, f);
	size_t offset;
	if (!param_offset(srv, doc, json_object_get(params, "position"), &offset, f) || !doc)
		return json_null();
	/* a space triggers only the values after `key: ` */
	const char *trigger = json_string_value(json_object_get(json_object_get(params, "context"), "triggerCharacter"));
	json_t *items = trigger && !strcmp(trigger, " ") && (offset < 2 || memcmp(doc->text.p + offset - 2, ": ", 2))
				? json_array()
				: lsp_completion(&doc->text, doc->name, offset, srv->opt, srv->enc, srv->snippets);
	return json_pack("{s:b, s:o}", "isIncomplete", 0, "items", items);
}

static json_t *completion_resolve(struct server *srv, json_t *params, struct failure *f)
{
	(void)srv;
	if (!json_is_object(params)) {
		fail(f, INVALID_PARAMS, "params: expected a CompletionItem");
		return NULL;
	}
	json_t *item = json_deep_copy(params);
	lsp_completion_resolve(item);
	return item;
}

/* Whether the client's context.only admits quick fixes. */
static bool wants_quickfix(json_t *only)
{
	if (!json_is_array(only))
		return true;
	size_t i;
	json_t *kind;
	json_array_foreach(only, i, kind) {
		const char *k = json_string_value(kind);
		if (k && (!*k || !strcmp(k, "quickfix")))
			return true;
	}
	return false;
}

static json_t *code_action(struct server *srv, json_t *params, struct failure *f)
{
	struct document *doc = param_document(srv, params, f);
	size_t start, end;
	if (!param_range(srv, doc, json_object_get(params, "range"), &start, &end, f) || !doc)
		return json_null();
	if (!wants_quickfix(json_object_get(json_object_get(params, "context"), "only")))
		return json_array();
	if (doc->dirty)         /* fixes for the text as it is now */
		check(srv, doc);
	return lsp_code_actions(&doc->text, doc->uri, doc->name, &doc->diags, start, end, srv->opt, srv->enc);
}

/* ---- dispatch ------------------------------------------------------------------------------ */

static const struct request {
	const char *method;
	json_t *(*answer)(struct server *, json_t *params, struct failure *);
} requests[] = {
	{"initialize", initialize},
	{"shutdown", shutdown_request},
	{"textDocument/hover", hover},
	{"textDocument/completion", completion},
	{"completionItem/resolve", completion_resolve},
	{"textDocument/codeAction", code_action},
};

static const struct notification {
	const char *method;
	void (*take)(struct server *, json_t *params);
} notifications[] = {
	{"initialized", initialized},
	{"textDocument/didOpen", did_open},
	{"textDocument/didChange", did_change},
	{"textDocument/didClose", did_close},
	{"workspace/didChangeConfiguration", recheck_all},
	{"workspace/didChangeWatchedFiles", recheck_all},
	{"textDocument/didSave", recheck_all},
	{"$/setTrace", set_trace},
};

static void request(struct server *srv, json_t *id, const char *method, json_t *params)
{
	const struct request *r = NULL;
	for (size_t i = 0; i < sizeof requests / sizeof *requests; i++)
		if (!strcmp(method, requests[i].method))
			r = &requests[i];
	struct failure f = {0};
	json_t *result = NULL;
	if (srv->state == STARTING && (!r || r->answer != initialize))
		fail(&f, SERVER_NOT_INITIALIZED, "the first request is initialize");
	else if (srv->state == SHUT_DOWN)
		fail(&f, INVALID_REQUEST, "the server is shut down: exit is all it takes now");
	else if (!r)
		fail(&f, METHOD_NOT_FOUND, "sparkc lsp does not answer %.128s", method);
	else
		result = r->answer(srv, params, &f);
	if (f.code) {
		json_decref(result);
		respond_error(srv, id, f.code, f.message);
	} else {
		send_message(srv, json_pack("{s:O, s:o}", "id", id, "result", result ? result : json_null()));
	}
}

/* One message; the exit status once the client said exit, else -1. */
static int take(struct server *srv, const char *body, size_t len)
{
	json_error_t err;
	json_t *msg = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!msg) {
		char message[256];
		snprintf(message, sizeof message, "not JSON: %s (at byte %d)", err.text, err.position);
		respond_error(srv, NULL, PARSE_ERROR, message);
		return -1;
	}
	json_t *id = json_object_get(msg, "id"), *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	if (json_is_null(params))       /* `"params": null` for a method that takes none (Emacs' eglot) */
		params = NULL;
	bool id_ok = json_is_integer(id) || json_is_string(id);
	if (!json_is_object(msg) || !json_is_string(method) || (id && !id_ok) ||
	    !json_is_string(json_object_get(msg, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(msg, "jsonrpc")), "2.0") ||
	    (params && !json_is_object(params) && !json_is_array(params))) {
		/* a response (the server sends no request) is not answered */
		if (!(json_is_object(msg) && !method && (json_object_get(msg, "result") || json_object_get(msg, "error"))))
			respond_error(srv, id_ok ? id : NULL, INVALID_REQUEST,
				      "a JSON-RPC 2.0 message is an object with jsonrpc \"2.0\", a method and, "
				      "for a request, an id that is a number or a string");
		json_decref(msg);
		return -1;
	}
	const char *name = json_string_value(method);
	int rc = -1;
	if (id) {
		request(srv, id, name, params);
	} else if (!strcmp(name, "exit")) {
		rc = srv->state == SHUT_DOWN ? 0 : 1;
	} else if (srv->state == RUNNING) {       /* before initialize, notifications are dropped */
		for (size_t i = 0; i < sizeof notifications / sizeof *notifications; i++)
			if (!strcmp(name, notifications[i].method))
				notifications[i].take(srv, params);
	}
	json_decref(msg);
	return rc;
}

int lsp_run(int in, int out, const struct options *opt)
{
	/* a client that goes away makes write fail with EPIPE, not kill the server */
	signal(SIGPIPE, SIG_IGN);
	struct server srv = {.opt = opt, .debounce = DEBOUNCE_MS};
	/* a message carries a document's text, escaped as JSON: up to twice the file limit */
	size_t max_body = opt->limits.max_file_bytes > SIZE_MAX / 2 - (1u << 20) ? SIZE_MAX
					: 2 * opt->limits.max_file_bytes + (1u << 20);
	wire_init(&srv.wire, in, out, max_body);
	int rc = -1, wait = -1;
	while (rc < 0 && !srv.gone) {
		const char *body;
		size_t len;
		char message[160];
		switch (wire_read(&srv.wire, wait, &body, &len)) {
		case WIRE_MESSAGE:
			rc = take(&srv, body, len);
			break;
		case WIRE_TIMEOUT:
			break;
		case WIRE_END:
			rc = srv.state == SHUT_DOWN ? 0 : 1;
			break;
		case WIRE_BAD_FRAME:
			respond_error(&srv, NULL, PARSE_ERROR,
				      "not a message: a message is a header Content-Length: <bytes>, an empty line, and "
				      "that many bytes of JSON");
			break;
		case WIRE_TOO_LARGE:
			snprintf(message, sizeof message, "a message above %zu bytes was skipped (raise --max-file-size)",
				 max_body);
			respond_error(&srv, NULL, INVALID_REQUEST, message);
			break;
		}
		/* once shut down, nothing is published: exit is all that comes */
		wait = srv.state == SHUT_DOWN ? -1 : check_due(&srv);
	}
	for (size_t i = 0; i < srv.ndocs; i++)
		free_document(srv.docs[i]);
	free(srv.docs);
	wire_free(&srv.wire);
	schema_free();
	return rc < 0 ? 1 : rc;
}
