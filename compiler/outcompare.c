/* outcompare.c - DIR against what the run generated: each target's state (same, new,
 * changed, orphan, gone), read without following a link below DIR, and what --check
 * (one line a file) and --diff (a unified diff) print. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "escape.h"
#include "outfiles.h"
#include "udiff.h"

/* Why the entry name of parent is not what sparkc may open (after an open failed). */
static const char *why_not(int parent, const char *name, int err, bool want_dir)
{
	struct stat st;
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return "is a symbolic link; sparkc reads and writes nothing through links in the output directory";
		if (want_dir && !S_ISDIR(st.st_mode))
			return "is not a directory";
	}
	return strerror(err);
}

/* O_NONBLOCK: a FIFO put in DIR must not hang the run; it is then refused as no
 * regular file. */
char *outcompare_read(int parent, const char *name, size_t max, size_t want, size_t *len, mode_t *mode,
		      const char **err)
{
	*err = NULL;
	if (parent < 0)
		return NULL;
	int fd = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			*err = why_not(parent, name, errno, false);
		return NULL;
	}
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st)) {
		*err = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		*err = S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file";
	} else if (want != SIZE_MAX && (size_t)st.st_size != want) {
		*mode = st.st_mode & 07777;
		*len = (size_t)st.st_size;
		buf = xstrdup("");
	} else if ((size_t)st.st_size > max) {
		*err = "is larger than the file size limit (--max-file-size)";
	} else {
		*mode = st.st_mode & 07777;
		buf = xmalloc((size_t)st.st_size + 1);
		size_t got = 0;
		ssize_t k;
		while (got < (size_t)st.st_size &&
		       ((k = read(fd, buf + got, (size_t)st.st_size - got)) > 0 || (k < 0 && errno == EINTR)))
			got += k > 0 ? (size_t)k : 0;
		if (got < (size_t)st.st_size) {
			*err = got ? strerror(errno) : "cannot be read";
			free(buf);
			buf = NULL;
		} else {
			*len = got;
			buf[got] = '\0';
		}
	}
	close(fd);
	return buf;
}

int outcompare_open_ns(struct output *o, const char *ns, const char **err)
{
	*err = NULL;
	if (o->dirfd < 0)
		return -1;
	if (!*ns)
		return dup(o->dirfd);
	int fd = openat(o->dirfd, ns, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		*err = why_not(o->dirfd, ns, errno, true);
	return fd;
}

/* --check: one line for the file; --diff: its unified diff (old or text NULL: the
 * side that does not exist). */
static void report_difference(struct output *o, const struct target *t, const char *old, size_t old_len,
			      const char *text)
{
	o->stale++;
	if (o->opt.diff)
		udiff_write(o->dest, old ? t->rel : "/dev/null", old ? old : "", old ? old_len : 0,
			    text ? t->rel : "/dev/null", text ? text : "", text ? t->len : 0, o->opt.color);
	else
		print_escaped(o->dest, "%s%s%s: %s\n", o->opt.dir, output_sep(o), t->rel,
			t->state == T_NEW ? "missing" : t->state == T_CHANGED ? "differs"
			: "orphan (sparkc wrote it; its job is gone)");
}

/* The targets are sorted, so one namespace directory is open at a time. */
void outcompare_targets(struct output *o, bool *ns_missing)
{
	char ns[256] = "", cur[256];
	int nsfd = -1;
	bool ns_bad = false;
	for (size_t i = 0; i < o->n; i++) {
		struct target *t = &o->t[i];
		target_ns(t->rel, cur, sizeof cur);
		if (i == 0 || strcmp(cur, ns)) {
			if (nsfd >= 0)
				close(nsfd);
			strcpy(ns, cur);
			const char *err;
			nsfd = outcompare_open_ns(o, ns, &err);
			ns_bad = err != NULL;
			if (err)
				output_problem(o, ns, err);
		}
		ns_missing[i] = nsfd < 0;
		if (ns_bad)
			continue;
		struct stat st;
		if (t->state == T_ORPHAN && (nsfd < 0 || fstatat(nsfd, target_base(t->rel), &st, AT_SYMLINK_NOFOLLOW) ||
					     !S_ISREG(st.st_mode))) {
			t->state = T_GONE;      /* removed, or replaced by something not sparkc's */
			continue;
		}
		size_t old_len = 0;
		mode_t mode = 0;
		const char *err;
		char *old = outcompare_read(nsfd, target_base(t->rel), o->opt.max_file_bytes,
					o->opt.diff || t->state == T_ORPHAN ? SIZE_MAX : t->len, &old_len, &mode, &err);
		if (err) {
			output_problem(o, t->rel, err);
			continue;
		}
		if (t->state == T_ORPHAN && !o->opt.diff) {
			free(old);
			old = NULL;
		}
		char *text = t->state == T_ORPHAN ? NULL : target_new_text(o, t);
		if (t->state != T_ORPHAN)
			t->state = !old ? T_NEW : old_len == t->len && !memcmp(old, text, old_len) ? T_SAME : T_CHANGED;
		t->mode = mode;
		if (t->state != T_SAME && !t->bookkeeping && (o->opt.check || o->opt.diff))
			report_difference(o, t, old, old_len, text);
		free(old);
		free(text);
	}
	if (nsfd >= 0)
		close(nsfd);
}

