/* outtargets.c - the run's files (targets) and their new text: the bottom of the output
 * stage (see outfiles.h), calling no other part of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "escape.h"
#include "outfiles.h"

struct target *target_push(struct output *o, struct target t)
{
	if (o->n == o->cap)
		o->t = xrealloc(o->t, (o->cap = o->cap ? 2 * o->cap : 64) * sizeof *o->t);
	o->t[o->n] = t;
	return &o->t[o->n++];
}

static int by_rel(const void *a, const void *b)
{
	return strcmp(((const struct target *)a)->rel, ((const struct target *)b)->rel);
}

void targets_sort(struct output *o)
{
	qsort(o->t, o->n, sizeof *o->t, by_rel);
}

void target_set_text(struct target *t, char *text)
{
	t->text = text;
	t->len = strlen(text);
}

char *target_new_text(struct output *o, const struct target *t)
{
	char *buf = xmalloc(t->len + 1);
	if (t->text) {
		memcpy(buf, t->text, t->len);
	} else if (!o->spilled) {
		memcpy(buf, o->mem + t->at, t->len);
	} else {
		size_t got = 0;
		while (got < t->len) {
			ssize_t k = pread(fileno(o->spool), buf + got, t->len - got, t->at + (off_t)got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				fprintf(o->opt.err, "sparkc: cannot read a temporary file: %s\n",
					k ? strerror(errno) : "it is shorter than written");
				exit(2);
			}
			got += (size_t)k;
		}
	}
	buf[t->len] = '\0';
	return buf;
}

const char *target_base(const char *rel)
{
	const char *slash = strchr(rel, '/');
	return slash ? slash + 1 : rel;
}

const char *target_ns(const char *rel, char *buf, size_t size)
{
	const char *slash = strchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;
	if (n >= size)
		n = size - 1;
	memcpy(buf, rel, n);
	buf[n] = '\0';
	return buf;
}

bool spool_move_to(struct output *o, int fd)
{
	FILE *f = fflush(o->spool) == 0 && write_all(fd, o->mem, o->mem_len) ? fdopen(fd, "r+") : NULL;
	if (!f || fseeko(f, 0, SEEK_END)) {
		int e = errno;
		if (f)
			fclose(f);
		else
			close(fd);
		errno = e;
		return false;
	}
	fclose(o->spool);
	free(o->mem);
	o->mem = NULL;
	o->spool = f;
	o->spilled = true;
	return true;
}

const char *output_sep(const struct output *o)
{
	size_t n = strlen(o->opt.dir);
	return n && o->opt.dir[n - 1] == '/' ? "" : "/";
}

void output_note(struct output *o, const char *rel, const char *what)
{
	print_escaped(o->opt.err, "sparkc: %s%s%s: %s\n", o->opt.dir, output_sep(o), rel, what);
}

void output_problem(struct output *o, const char *rel, const char *what)
{
	output_note(o, rel, what);
	o->io_error = true;
}

bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = ENOSPC;
			return false;
		}
		p += k;
		n -= (size_t)k;
	}
	return true;
}
