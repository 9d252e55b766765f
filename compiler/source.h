/* source.h - the bytes of one input, streamed.
 *
 * An input (a file, stdin, or text in memory) is read in chunks as the YAML parser
 * asks for them, so memory stays flat however many documents a file holds. On the
 * way through, the bytes are checked to be UTF-8 without NUL (so that the error is
 * sparkc's own, at the byte's position), the size limits act before the parser holds
 * the bytes, and the bytes of the current document are kept, so that a diagnostic
 * can show its source line. */
#ifndef SPARKC_SOURCE_H
#define SPARKC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct source {
	const char *name;       /* as diagnostics show it: the path, or <stdin> */
	FILE *fp;               /* streaming from a file or stdin ... */
	bool own_fp;
	const char *mem;        /* ... or from memory */
	size_t mem_len, mem_pos;
	size_t max_bytes;       /* the file size limit */
	size_t max_doc_bytes;   /* the document size limit, counted from doc_start */
	size_t doc_start;       /* bytes read when the current document started */
	size_t max_gap_bytes;   /* the longest run of bytes between two parser events ... */
	size_t event_at;        /* ... counted from the bytes read at the last event */
	size_t total;           /* bytes read so far */
	/* the window: bytes from offset base (line base_line) to total, at win inside
	 * win_buf (win_cap bytes), which it moves to the start of only when it needs room */
	char *win, *win_buf;
	size_t win_len, win_cap, base;
	int base_line;
	int seen_line;          /* a line whose start was looked up (0: none) ... */
	size_t seen_off;        /* ... and its offset in the window, to look ahead from */
	/* the offsets of the window's lines (from base_line), found once for the
	 * diagnostics that look them up: a document's thousands of diagnostics each
	 * searched the window from its start. Grown on use (a pointer, so that lookups
	 * through a const source may grow it), emptied when the window moves. */
	struct source_line_index *lines;
	/* UTF-8 checking, carried across chunks: the sequence being read */
	unsigned utf8_need, utf8_have;
	uint32_t utf8_cp, utf8_min;
	size_t utf8_lead;       /* offset of its first byte */
	/* whether the bytes read so far hold the mark "sparkc:" (source_find_mark), which
	 * starts the comments sparkc reads (load.h: only then does the loader search lines
	 * for them) */
	bool marked;
	/* what stopped the stream, if anything */
	enum { SOURCE_OK, SOURCE_BAD_BYTE, SOURCE_TOO_LARGE, SOURCE_DOC_TOO_LARGE, SOURCE_VALUE_TOO_LARGE,
	       SOURCE_IO } status;
	size_t bad_at;          /* offset of the bad byte */
	unsigned char bad_byte;
	int io_errno;
};

/* Open path ("-" is stdin); -1 with errno when it cannot be opened. */
int source_open(struct source *s, const char *path, size_t max_bytes);
void source_open_text(struct source *s, const char *name, const char *text, size_t len);
void source_close(struct source *s);

/* The whole of f in one buffer from xmalloc (not NUL-terminated), *len bytes; NULL
 * (with errno) on a read error. Past max bytes it stops with *too_large set (SIZE_MAX:
 * no limit). The one reader of a whole stream: krm's stdin, embed_tree's files. */
char *source_read_all(FILE *f, size_t max, size_t *len, bool *too_large);

/* libyaml's read handler (yaml_read_handler_t): the next bytes in buf, *got of them
 * (0 at the end of the input); 0 when the stream stops early: a bad byte, a size
 * limit, a read error, and status says which. */
int source_read(void *source, unsigned char *buf, size_t count, size_t *got);

/* A new document starts at line: its size is counted from here (to within one read
 * ahead of the parser, 64 KiB), and lines before it are no longer needed for
 * diagnostics. */
void source_document_starts(struct source *s, int line);

/* The first byte of the character at line:col (1-based), or -1 if the window does
 * not hold it: what a syntax error points at, where a block scalar's text starts.
 * Lines at or after the last one looked up are found from it. */
int source_byte_at(struct source *s, int line, int col);

/* A copy of the text of line (1-based) if the window still holds it, else NULL, for
 * showing column col (1-based, in characters) under a caret. A long line is cut to
 * about 120 characters around col, with "..." where it was cut; *caret is col's
 * column in the text returned. */
char *source_excerpt(const struct source *s, int line, int col, int *caret);

/* The bytes of lines from to to - 1 (1-based; to <= 0: to the window's end) that the
 * window holds, *len of them from its return; NULL when it does not hold line from.
 * What the loader searches for comments (load.h). */
const char *source_lines(const struct source *s, int from, int to, size_t *len);

/* The first "sparkc:" in p[0..n) (in any case, with blanks allowed before the ':'),
 * at its 's'; NULL if none. Up to before bytes ahead of p are looked back into, for
 * a mark cut between two reads. */
const char *source_find_mark(const char *p, size_t n, size_t before);

/* Line and column (1-based, columns in characters) of a byte offset in the window. */
void source_position(const struct source *s, size_t offset, int *line, int *col);

#endif
