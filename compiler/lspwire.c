/* lspwire.c - see lspwire.h. */
#include "lspwire.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"

enum {
	READ_CHUNK = 64 * 1024,
	MAX_HEADER_LINE = 4096,         /* Content-Length and Content-Type lines are short */
};

void wire_init(struct wire *w, int in, int out, size_t max_body)
{
	*w = (struct wire){.in = in, .out = out, .max_body = max_body, .content_length = -1};
}

void wire_free(struct wire *w)
{
	free(w->buf);
	w->buf = NULL;
}

/* A new header block begins. */
static void next_block(struct wire *w)
{
	w->content_length = -1;
	w->headers = w->bad = w->in_body = w->skip_line = false;
}

/* RFC 7230's token characters, which a header name is made of. */
static bool token(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("!#$%&'*+-.^_`|~", s[i]) && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return n > 0;
}

/* One header line (without its line end); Content-Length is the only one read. */
static void header(struct wire *w, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	if (!colon || !token(line, (size_t)(colon - line))) {
		w->bad = true;
		return;
	}
	if ((size_t)(colon - line) != 14 || strncasecmp(line, "Content-Length", 14))
		return;         /* Content-Type (always utf-8 JSON) or another header */
	const char *v = colon + 1, *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	long long value = 0;
	for (const char *p = v; p < end; p++) {
		if (*p < '0' || *p > '9' || value > (1LL << 50)) {
			w->bad = true;
			return;
		}
		value = value * 10 + (*p - '0');
	}
	if (v == end || (w->content_length >= 0 && w->content_length != value))
		w->bad = true;
	w->content_length = value;
}

/* What the buffered bytes make: a status, or -1 when more bytes are needed. */
static int parse(struct wire *w, const char **body, size_t *len)
{
	if (!w->buf)
		return -1;      /* nothing read yet */
	for (;;) {
		size_t avail = w->len - w->start;
		char *p = w->buf + w->start;
		if (w->discard) {
			size_t n = avail < w->discard ? avail : w->discard;
			w->start += n;
			w->discard -= n;
			if (w->discard)
				return -1;
			next_block(w);
			return WIRE_TOO_LARGE;
		}
		if (w->in_body) {
			if (avail < (size_t)w->content_length)
				return -1;
			*body = p;
			*len = (size_t)w->content_length;
			w->start += *len;
			next_block(w);
			return WIRE_MESSAGE;
		}
		char *nl = memchr(p, '\n', avail);
		if (w->skip_line) {
			w->start = nl ? (size_t)(nl + 1 - w->buf) : w->len;
			if (!nl)
				return -1;
			w->skip_line = false;
			continue;
		}
		if (!nl) {
			if (avail > MAX_HEADER_LINE) {         /* no header line is this long */
				w->headers = w->bad = w->skip_line = true;
				w->start = w->len;
			}
			return -1;
		}
		size_t n = (size_t)(nl - p);
		w->start += n + 1;
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			w->headers = true;
			header(w, p, n);
			continue;
		}
		/* the empty line that ends a block; one between frames is tolerated */
		if (!w->headers)
			continue;
		if (w->bad || w->content_length < 0) {
			next_block(w);
			return WIRE_BAD_FRAME;
		}
		if ((size_t)w->content_length > w->max_body)
			w->discard = (size_t)w->content_length;
		else
			w->in_body = true;
		if (!w->content_length) {       /* an empty body frames no message */
			next_block(w);
			return WIRE_BAD_FRAME;
		}
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Room for one more read: consumed bytes dropped, and the buffer grown to hold a whole
 * body (which is below the limit) plus one read. */
static void make_room(struct wire *w)
{
	if (w->start) {
		memmove(w->buf, w->buf + w->start, w->len - w->start);
		w->len -= w->start;
		w->start = 0;
	}
	size_t want = w->len + READ_CHUNK;
	if (w->in_body && (size_t)w->content_length + READ_CHUNK > want)
		want = (size_t)w->content_length + READ_CHUNK;
	if (want > w->cap) {
		size_t cap = w->cap ? w->cap : READ_CHUNK;
		while (cap < want)
			cap *= 2;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
	}
}

enum wire_status wire_read(struct wire *w, int timeout_ms, const char **body, size_t *len)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	for (;;) {
		int status = parse(w, body, len);
		if (status >= 0)
			return (enum wire_status)status;
		if (w->ended)
			return WIRE_END;        /* a frame cut short by the end is no message */
		make_room(w);
		int wait = -1;
		if (deadline >= 0) {
			long long left = deadline - now_ms();
			wait = left > 0 ? (int)(left < 1000000 ? left : 1000000) : 0;
		}
		struct pollfd pfd = {.fd = w->in, .events = POLLIN};
		int ready = poll(&pfd, 1, wait);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0)
			return WIRE_TIMEOUT;
		ssize_t n = read(w->in, w->buf + w->len, w->cap - w->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			w->ended = true;
		else
			w->len += (size_t)n;
	}
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

bool wire_write(struct wire *w, const char *body, size_t len)
{
	char head[64];
	int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
	return write_all(w->out, head, (size_t)n) && write_all(w->out, body, len);
}
