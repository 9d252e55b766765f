/* lspwire.h - the Language Server Protocol's base protocol: messages framed by a
 * Content-Length header, read from and written to file descriptors (stdin, stdout).
 *
 *   Content-Length: 52\r\n
 *   \r\n
 *   {"jsonrpc":"2.0","id":1,"method":"initialize",...}
 *
 * A header block is lines of `Name: value` ended by an empty line; the body is exactly
 * Content-Length bytes. The reader takes what a client may send, and nothing worse can
 * crash or stall it: unknown headers are skipped; a header line without a name, an
 * overlong line, a block without a valid Content-Length are a bad frame, reported as
 * such and skipped to the next block; a body above the size limit is read past without
 * being held; a Content-Length larger than what arrives leaves the reader waiting for
 * the rest, as any reader of a length-framed stream must, until the client closes. The
 * bytes held never exceed the limit plus one read.
 *
 * Hand-written: the framing is a dozen lines of HTTP-like headers, and no well-kept
 * C library in Debian implements it without bringing an event loop and a JSON stack of
 * its own (libjsonrpc-glib: GLib, GIO, json-glib) into a statically linked binary. The
 * JSON inside each frame is jansson's (lsp.c). */
#ifndef SPARKC_LSPWIRE_H
#define SPARKC_LSPWIRE_H

#include <stdbool.h>
#include <stddef.h>

enum wire_status {
	WIRE_MESSAGE,           /* a body, in *body and *len */
	WIRE_TIMEOUT,           /* nothing complete within the time given */
	WIRE_END,               /* the client closed its end (or reading failed) */
	WIRE_BAD_FRAME,         /* a header block that frames no message: skipped */
	WIRE_TOO_LARGE,         /* a body above the limit: read past, not held */
};

struct wire {
	int in, out;            /* file descriptors */
	size_t max_body;        /* the largest body held */
	char *buf;              /* bytes read and not yet consumed: buf[start, len) */
	size_t start, len, cap;
	/* the header block being read */
	long long content_length;       /* -1: none yet */
	bool headers;                   /* any header line read */
	bool bad;                       /* the block frames no message */
	bool skip_line;                 /* inside an overlong line, dropped to its end */
	bool in_body;                   /* headers done: content_length bytes follow */
	size_t discard;                 /* body bytes still to drop (a body too large) */
	bool ended;                     /* the input reached its end */
};

void wire_init(struct wire *w, int in, int out, size_t max_body);
void wire_free(struct wire *w);

/* The next frame, waiting at most timeout_ms (-1: as long as it takes) for its bytes.
 * A body stays valid until the next call. */
enum wire_status wire_read(struct wire *w, int timeout_ms, const char **body, size_t *len);

/* Frame and write one body whole; false when the client is gone (EPIPE, any error). */
bool wire_write(struct wire *w, const char *body, size_t len);

#endif
