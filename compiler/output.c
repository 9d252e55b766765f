/* output.c - see output.h. */
#define _GNU_SOURCE     /* syncfs */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "combine.h"
#include "emit.h"
#include "udiff.h"

#define STAGING_PREFIX ".sparkc-staging."
#define KUSTOMIZATION "kustomization.yaml"

enum state { T_SAME, T_NEW, T_CHANGED, T_ORPHAN, T_GONE /* an orphan no longer there */ };

struct target {
	char *rel;              /* "ns/name.yaml", or a file of DIR itself; relative to DIR */
	off_t at;               /* the new text in the spool ... */
	size_t len;
	char *text;             /* ... or here (the kustomization, the index) */
	enum state state;
	mode_t mode;            /* T_CHANGED: the existing file's mode, kept */
	bool bookkeeping;       /* the index: never reported as a difference */
	bool done;              /* renamed into place (or away): undone if the run fails */
};

struct output {
	struct output_options opt;
	FILE *dest;
	FILE *spool;            /* every manifest, until the run is known to be valid */
	bool to_null;           /* dest is /dev/null: written at once, nothing to protect */
	struct strbuf text;     /* standard output: the stream not yet written ... */
	struct combine stream;  /* ... and the manifests' separators */
	struct target *t;
	size_t n, cap;
	bool io_error;
	size_t stale;           /* --check, --diff: differences found */
	int dirfd;              /* DIR, locked */
	char **made;            /* directories mkdir -p made for DIR itself */
	size_t nmade;
};

/* ---- signals ------------------------------------------------------------------------ */

/* Every signal whose default action ends the process and that a handler can catch.
 * SIGXFSZ is ignored instead: a write past `ulimit -f` then fails with EFBIG and is
 * reported like any other failed write. */
static const int terminating[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGPOLL, SIGPWR, SIGSYS, SIGTRAP,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

/* What a signal (or exit, say on running out of memory) must remove: the staging
 * directory and its files "0".."nfiles-1", then directories made for DIR itself.
 * unlinkat and rmdir are async-signal-safe; the names are built without stdio. */
static struct {
	volatile sig_atomic_t live;
	int dirfd, stagefd;
	char name[64];
	volatile sig_atomic_t nfiles;
	char **made;
	volatile sig_atomic_t nmade;
} staging;

static char *slot_name(char *buf, size_t i, bool backup)
{
	char tmp[24];
	size_t k = 0;
	do
		tmp[k++] = (char)('0' + i % 10);
	while ((i /= 10));
	size_t j = 0;
	while (k)
		buf[j++] = tmp[--k];
	if (backup)
		buf[j++] = '~';
	buf[j] = '\0';
	return buf;
}

static void remove_staging(void)
{
	if (staging.live) {
		char name[32];
		for (sig_atomic_t i = 0; i < staging.nfiles; i++) {
			unlinkat(staging.stagefd, slot_name(name, (size_t)i, false), 0);
			unlinkat(staging.stagefd, slot_name(name, (size_t)i, true), 0);
		}
		close(staging.stagefd);
		unlinkat(staging.dirfd, staging.name, AT_REMOVEDIR);
		staging.live = 0;
	}
	for (sig_atomic_t i = staging.nmade; i-- > 0;)
		rmdir(staging.made[i]);
	staging.nmade = 0;
}

static void on_signal(int sig)
{
	remove_staging();
	signal(sig, SIG_DFL);
	raise(sig);     /* delivered once this handler returns */
}

static void block_signals(sigset_t *saved)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof terminating / sizeof *terminating; i++)
		sigaddset(&set, terminating[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

static void catch_signals(void)
{
	static bool once;
	if (once)
		return;
	once = true;
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof terminating / sizeof *terminating; i++) {
		struct sigaction old;
		/* a signal ignored by whoever started sparkc stays ignored */
		if (sigaction(terminating[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(terminating[i], &sa, NULL);
	}
	atexit(remove_staging);
}

/* ---- spooling ---------------------------------------------------------------------- */

static void render(FILE *f, const struct node *m, enum out_format fmt)
{
	if (fmt == OUT_JSON) {
		emit_json(f, m, 4, 0);
		fputc('\n', f);
	} else {
		emit_yaml(f, m);
	}
}

struct output *output_open(const struct output_options *opt, FILE *dest)
{
	struct output *o = xmalloc(sizeof *o);
	*o = (struct output){.opt = *opt, .dest = dest, .dirfd = -1};
	combine_begin(&o->stream, opt->fmt == OUT_JSON ? COMBINE_JSON_LIST : COMBINE_YAML, &o->text);
	signal(SIGXFSZ, SIG_IGN);
	struct stat st, null_st;
	if (!opt->dir && fstat(fileno(dest), &st) == 0 && S_ISCHR(st.st_mode) &&
	    stat("/dev/null", &null_st) == 0 && st.st_rdev == null_st.st_rdev) {
		o->to_null = true;
		return o;
	}
	o->spool = tmpfile();
	if (!o->spool) {
		fprintf(o->opt.err, "sparkc: cannot create a temporary file: %s\n", strerror(errno));
		exit(2);
	}
	return o;
}

static struct target *push(struct output *o, struct target t)
{
	if (o->n == o->cap)
		o->t = xrealloc(o->t, (o->cap = o->cap ? 2 * o->cap : 64) * sizeof *o->t);
	o->t[o->n] = t;
	return &o->t[o->n++];
}

/* A namespace or name that could lead out of DIR (checked as Kubernetes names before,
 * so this is a last guard). */
static bool file_name_ok(const char *s)
{
	return *s && *s != '.' && !strchr(s, '/');
}

/* To /dev/null the manifest is rendered and written at once, as to a real stream,
 * since nothing written there can be taken back or seen. */
static void add_to_null(struct output *o, const struct node *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	render(mem, m, o->opt.fmt);
	fclose(mem);
	combine_add(&o->stream, text, len);
	free(text);
	fwrite(o->text.p ? o->text.p : "", 1, o->text.len, o->dest);
	o->text.len = 0;
}

bool output_add(struct output *o, const struct node *m, const char *ns, const char *name)
{
	if (o->io_error)
		return false;
	if (o->to_null) {
		add_to_null(o, m);
		return true;
	}
	struct target t = {0};
	if (o->opt.dir) {
		if (!file_name_ok(ns) || !file_name_ok(name)) {
			fprintf(o->opt.err, "sparkc: refusing to write outside %s: %s/%s\n", o->opt.dir, ns, name);
			o->io_error = true;
			return false;
		}
		t.rel = xmalloc(strlen(ns) + strlen(name) + 7);
		sprintf(t.rel, "%s/%s.%s", ns, name, o->opt.fmt == OUT_JSON ? "json" : "yaml");
	}
	t.at = ftello(o->spool);
	render(o->spool, m, o->opt.fmt);
	off_t end = ftello(o->spool);
	if (t.at < 0 || end < 0 || ferror(o->spool)) {
		fprintf(o->opt.err, "sparkc: cannot write a temporary file: %s\n", strerror(errno));
		free(t.rel);
		o->io_error = true;
		return false;
	}
	t.len = (size_t)(end - t.at);
	push(o, t);
	return true;
}

/* The new text of t (allocated). */
static char *new_text(struct output *o, const struct target *t)
{
	char *buf = xmalloc(t->len + 1);
	if (t->text) {
		memcpy(buf, t->text, t->len);
	} else {
		size_t got = 0;
		while (got < t->len) {
			ssize_t k = pread(fileno(o->spool), buf + got, t->len - got, t->at + (off_t)got);
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

static bool write_all(int fd, const char *p, size_t n)
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

/* ---- standard output ------------------------------------------------------------------- */

/* Whole documents at a time; to a regular file, with the terminating signals held
 * off, so that a signal ends the file between documents. */
static bool flush_docs(int fd, struct strbuf *b, bool whole)
{
	sigset_t saved;
	if (whole)
		block_signals(&saved);
	bool ok = write_all(fd, b->p, b->len);
	int e = errno;
	if (whole)
		sigprocmask(SIG_SETMASK, &saved, NULL);
	errno = e;
	b->len = 0;
	return ok;
}

/* The spooled manifests as one stream (combine.c), written a megabyte at a time. */
static int to_dest(struct output *o)
{
	int fd = fileno(o->dest);
	struct stat st;
	bool whole = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	bool ok = fflush(o->dest) == 0 && fflush(o->spool) == 0;
	for (size_t i = 0; ok && i < o->n; i++) {
		char *text = new_text(o, &o->t[i]);
		combine_add(&o->stream, text, o->t[i].len);
		free(text);
		if (o->text.len >= (1 << 20))
			ok = flush_docs(fd, &o->text, whole);
	}
	if (ok)
		combine_end(&o->stream);
	if (ok && o->text.len)
		ok = flush_docs(fd, &o->text, whole);
	if (!ok) {
		fprintf(o->opt.err, "sparkc: cannot write to standard output: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

/* ---- DIR: reading what is there ---------------------------------------------------- */

static const char *sep(const struct output *o)
{
	size_t n = strlen(o->opt.dir);
	return n && o->opt.dir[n - 1] == '/' ? "" : "/";
}

static void problem(struct output *o, const char *rel, const char *what)
{
	fprintf(o->opt.err, "sparkc: %s%s%s: %s\n", o->opt.dir, sep(o), rel, what);
	o->io_error = true;
}

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

/* A file of DIR as text: a regular file, opened without following a link and without
 * blocking, at most max bytes (else *err says so). NULL and no *err when absent. With
 * want other than SIZE_MAX, a file of another size is not read: "" and its size. */
static char *read_target(int parent, const char *name, size_t max, size_t want, size_t *len,
			 mode_t *mode, const char **err)
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

static int by_rel(const void *a, const void *b)
{
	return strcmp(((const struct target *)a)->rel, ((const struct target *)b)->rel);
}

/* What an index line may name: a file sparkc could have written (ns/name.yaml or
 * .json, the kustomization) or a namespace directory it made ("ns/"). Anything else
 * (an edited index) is ignored, so that no other file is ever removed. */
static bool name_ok(const char *s, size_t n)
{
	if (!n || n > 253 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

static bool index_entry_ok(const char *s)
{
	if (!strcmp(s, KUSTOMIZATION))
		return true;
	const char *slash = strchr(s, '/');
	if (!slash || !name_ok(s, (size_t)(slash - s)))
		return false;
	const char *base = slash + 1;
	size_t n = strlen(base);
	if (!n)
		return true;    /* a directory */
	size_t ext = n > 5 && !strcmp(base + n - 5, ".yaml") ? 5 : n > 5 && !strcmp(base + n - 5, ".json") ? 5 : 0;
	return ext && name_ok(base, n - ext);
}

/* ---- DIR: the transaction --------------------------------------------------------- */

/* mkdir -p DIR, remembering what it made so that a failed or interrupted run leaves
 * no trace. */
static bool make_dir(struct output *o)
{
	size_t len = strlen(o->opt.dir);
	char *buf = xmalloc(len + 2);
	memcpy(buf, o->opt.dir, len);
	memcpy(buf + len, "/", 2);
	bool ok = true;
	for (char *p = buf + 1; *p && ok; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) == 0) {
			o->made = xrealloc(o->made, (o->nmade + 1) * sizeof *o->made);
			o->made[o->nmade++] = xstrdup(buf);
			staging.made = o->made;
			staging.nmade = (sig_atomic_t)o->nmade;
		} else if (errno != EEXIST) {
			fprintf(o->opt.err, "sparkc: cannot create %s: %s\n", buf, strerror(errno));
			ok = false;
		}
		*p = '/';
	}
	free(buf);
	return ok;
}

/* Open (creating if asked) and lock DIR. DIR itself is opened as named, a link
 * included: the caller chose it. -1 and no error when it does not exist and is not to
 * be created. */
static bool open_dir(struct output *o, bool create)
{
	if (create) {
		sigset_t saved;
		block_signals(&saved);  /* a directory made is on the list before a signal */
		bool ok = make_dir(o);
		sigprocmask(SIG_SETMASK, &saved, NULL);
		if (!ok) {
			o->io_error = true;
			return false;
		}
	}
	o->dirfd = open(o->opt.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dirfd < 0) {
		if (errno == ENOENT && !create)
			return true;
		fprintf(o->opt.err, "sparkc: cannot open %s: %s\n", o->opt.dir, strerror(errno));
		o->io_error = true;
		return false;
	}
	/* one -o run at a time; --check and --diff see no run half done */
	while (flock(o->dirfd, create ? LOCK_EX : LOCK_SH) && errno == EINTR)
		;
	return true;
}

/* Staging directories a run left (no live run holds the lock beside ours): removed
 * when writing, reported by --check and --diff. */
static void stale_staging(struct output *o, bool remove)
{
	if (o->dirfd < 0)
		return;
	int fd = dup(o->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (strncmp(e->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)) ||
		    fstatat(o->dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
			continue;
		if (!remove) {
			/* a diff has no words for it: said on the error stream then */
			fprintf(o->opt.diff ? o->opt.err : o->dest, "%s%s%s: left over by an interrupted run\n",
				o->opt.dir, sep(o), e->d_name);
			o->stale++;
			continue;
		}
		int sfd = openat(o->dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *s = sfd >= 0 ? fdopendir(sfd) : NULL;
		if (s) {
			struct dirent *f;
			while ((f = readdir(s)))
				if (strcmp(f->d_name, ".") && strcmp(f->d_name, ".."))
					unlinkat(sfd, f->d_name, 0);
			closedir(s);
		} else if (sfd >= 0) {
			close(sfd);
		}
		unlinkat(o->dirfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static bool in_index(const char *index, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = index; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == n && !memcmp(p, line, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static const char *base_of(const char *rel)
{
	const char *slash = strchr(rel, '/');
	return slash ? slash + 1 : rel;
}

/* The directory (namespace) part of rel into buf: "" for a file of DIR itself. */
static const char *ns_of(const char *rel, char *buf, size_t size)
{
	const char *slash = strchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;
	if (n >= size)
		n = size - 1;
	memcpy(buf, rel, n);
	buf[n] = '\0';
	return buf;
}

/* Open the namespace directory ns of DIR without following a link; -1 when it does
 * not exist (*err NULL) or may not be used (*err says why). "" is DIR itself. */
static int open_ns(struct output *o, const char *ns, const char **err)
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

/* Compare every target with DIR (sorted, one namespace directory open at a time):
 * its state, and what --check and --diff print. */
static void compare(struct output *o, bool *ns_missing)
{
	char ns[256] = "", cur[256];
	int nsfd = -1;
	bool ns_bad = false;
	for (size_t i = 0; i < o->n; i++) {
		struct target *t = &o->t[i];
		ns_of(t->rel, cur, sizeof cur);
		if (i == 0 || strcmp(cur, ns)) {
			if (nsfd >= 0)
				close(nsfd);
			strcpy(ns, cur);
			const char *err;
			nsfd = open_ns(o, ns, &err);
			ns_bad = err != NULL;
			if (err)
				problem(o, ns, err);
		}
		ns_missing[i] = nsfd < 0;
		if (ns_bad)
			continue;
		struct stat st;
		if (t->state == T_ORPHAN && (nsfd < 0 || fstatat(nsfd, base_of(t->rel), &st, AT_SYMLINK_NOFOLLOW) ||
					     !S_ISREG(st.st_mode))) {
			t->state = T_GONE;      /* removed, or replaced by something not sparkc's */
			continue;
		}
		size_t old_len = 0;
		mode_t mode = 0;
		const char *err;
		char *old = read_target(nsfd, base_of(t->rel), o->opt.max_file_bytes,
					o->opt.diff || t->state == T_ORPHAN ? SIZE_MAX : t->len, &old_len, &mode, &err);
		if (err) {
			problem(o, t->rel, err);
			continue;
		}
		if (t->state == T_ORPHAN && !o->opt.diff) {
			free(old);
			old = NULL;
		}
		char *text = t->state == T_ORPHAN ? NULL : new_text(o, t);
		if (t->state != T_ORPHAN)
			t->state = !old ? T_NEW : old_len == t->len && !memcmp(old, text, old_len) ? T_SAME : T_CHANGED;
		t->mode = mode;
		if (t->state != T_SAME && !t->bookkeeping && (o->opt.check || o->opt.diff)) {
			o->stale++;
			if (o->opt.diff) {
				udiff_write(o->dest, old ? t->rel : "/dev/null", old ? old : "", old ? old_len : 0,
					    text ? t->rel : "/dev/null", text ? text : "", text ? t->len : 0,
					    o->opt.color);
			} else {
				fprintf(o->dest, "%s%s%s: %s\n", o->opt.dir, sep(o), t->rel,
					t->state == T_NEW ? "missing" : t->state == T_CHANGED ? "differs"
					: "orphan (sparkc wrote it; its job is gone)");
			}
		}
		free(old);
		free(text);
	}
	if (nsfd >= 0)
		close(nsfd);
}

/* Write the new and changed files into a fresh staging directory. */
static bool stage(struct output *o)
{
	char name[64];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
	for (int tries = 0;; tries++, r = r * 6364136223846793005UL + 1442695040888963407UL) {
		snprintf(name, sizeof name, STAGING_PREFIX "%ld.%06lx", (long)getpid(), (r >> 20) & 0xffffff);
		sigset_t saved;
		block_signals(&saved);
		int ok = mkdirat(o->dirfd, name, 0700);
		if (ok == 0) {
			staging.dirfd = o->dirfd;
			memcpy(staging.name, name, sizeof name);
			staging.stagefd = openat(o->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			staging.nfiles = 0;
			staging.live = 1;
		}
		int e = errno;
		sigprocmask(SIG_SETMASK, &saved, NULL);
		if (ok == 0 && staging.stagefd >= 0)
			break;
		if (ok == 0 || e != EEXIST || tries > 100) {
			fprintf(o->opt.err, "sparkc: cannot write in %s: %s\n", o->opt.dir, strerror(ok ? e : errno));
			return false;
		}
	}
	for (size_t i = 0; i < o->n; i++) {
		struct target *t = &o->t[i];
		if (t->state != T_NEW && t->state != T_CHANGED)
			continue;
		char slot[32];
		staging.nfiles = (sig_atomic_t)(i + 1);    /* on the list before it exists */
		int fd = openat(staging.stagefd, slot_name(slot, i, false),
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		char *text = new_text(o, t);
		bool ok = fd >= 0 && write_all(fd, text, t->len) &&
			  (t->state != T_CHANGED || fchmod(fd, t->mode) == 0);
		int e = errno;
		free(text);
		if (fd >= 0 && close(fd) && ok) {
			ok = false;
			e = errno;
		}
		if (!ok) {
			problem(o, t->rel, strerror(e));
			return false;
		}
	}
	/* the new files' bytes reach the disk before any name points at them */
	if (syncfs(staging.stagefd)) {
		fprintf(o->opt.err, "sparkc: cannot write in %s: %s\n", o->opt.dir, strerror(errno));
		return false;
	}
	return true;
}

/* Rename everything into place (signals held off by the caller); on the first failure,
 * undo what was done. Old files stay linked in the staging directory until then. */
static bool commit(struct output *o, const bool *ns_missing)
{
	char ns[256] = "", cur[256], slot[32], backup[32];
	int nsfd = -1;
	bool ok = true;
	const char *failed = NULL;
	int err = 0;
	char *made_ns = NULL;   /* namespace directories made, NUL-separated */
	size_t made_len = 0;
	for (size_t i = 0; i < o->n && ok; i++) {
		struct target *t = &o->t[i];
		if (t->state == T_SAME || t->state == T_GONE)
			continue;
		ns_of(t->rel, cur, sizeof cur);
		if (nsfd < 0 || strcmp(cur, ns)) {
			if (nsfd >= 0) {
				fsync(nsfd);
				close(nsfd);
			}
			strcpy(ns, cur);
			if (ns_missing[i] && *ns) {
				if (mkdirat(o->dirfd, ns, 0777)) {
					ok = false, failed = ns, err = errno;
					break;
				}
				made_ns = xrealloc(made_ns, made_len + strlen(ns) + 1);
				strcpy(made_ns + made_len, ns);
				made_len += strlen(ns) + 1;
			}
			const char *why;
			nsfd = open_ns(o, ns, &why);
			if (nsfd < 0) {
				ok = false, failed = ns, err = errno;
				break;
			}
		}
		const char *base = base_of(t->rel);
		slot_name(slot, i, false);
		slot_name(backup, i, true);
		if (t->state == T_CHANGED)
			ok = !linkat(nsfd, base, staging.stagefd, backup, 0) &&
			     !renameat(staging.stagefd, slot, nsfd, base);
		else if (t->state == T_NEW)     /* linkat: never over a file that appeared meanwhile */
			ok = !linkat(staging.stagefd, slot, nsfd, base, 0);
		else
			ok = !renameat(nsfd, base, staging.stagefd, backup);
		if (ok)
			t->done = true;
		else
			failed = t->rel, err = errno;
	}
	if (nsfd >= 0) {
		fsync(nsfd);
		close(nsfd);
	}
	if (!ok) {
		fprintf(o->opt.err, "sparkc: cannot write %s%s%s: %s; nothing was changed\n", o->opt.dir, sep(o), failed,
			strerror(err));
		for (size_t i = o->n; i-- > 0;) {
			struct target *t = &o->t[i];
			if (!t->done)
				continue;
			const char *why;
			int fd = open_ns(o, ns_of(t->rel, cur, sizeof cur), &why);
			slot_name(backup, i, true);
			if (t->state == T_NEW)
				unlinkat(fd, base_of(t->rel), 0);
			else
				renameat(staging.stagefd, backup, fd, base_of(t->rel));
			if (fd >= 0)
				close(fd);
		}
		for (size_t at = 0; at < made_len; at += strlen(made_ns + at) + 1)
			unlinkat(o->dirfd, made_ns + at, AT_REMOVEDIR);
	}
	free(made_ns);
	fsync(o->dirfd);
	return ok;
}

/* The index: every file this run generated, and the namespace directories sparkc made
 * (made now, or listed before) that still hold one. Sorted. */
static char *index_text(struct output *o, const char *old_index, const bool *ns_missing)
{
	struct strbuf b = {0};
	const char head[] = "# Written by sparkc compile -o: the files it generated in this directory.\n"
			    "# A later run removes those whose job is gone; it never removes a file not listed.\n";
	strbuf_add(&b, head, sizeof head - 1);
	char ns[256] = "", cur[256];
	for (size_t i = 0; i < o->n; i++) {
		const struct target *t = &o->t[i];
		if (t->state == T_ORPHAN || t->state == T_GONE || t->bookkeeping)
			continue;
		ns_of(t->rel, cur, sizeof cur);
		if (*cur && strcmp(cur, ns)) {
			strcpy(ns, cur);
			char line[260];
			snprintf(line, sizeof line, "%s/", ns);
			if (ns_missing[i] || in_index(old_index, line)) {
				strbuf_add(&b, line, strlen(line));
				strbuf_add(&b, "\n", 1);
			}
		}
		strbuf_add(&b, t->rel, strlen(t->rel));
		strbuf_add(&b, "\n", 1);
	}
	strbuf_add(&b, "", 1);
	return b.p;
}

static void set_text(struct target *t, char *text)
{
	t->text = text;
	t->len = strlen(text);
}

/* Namespace directories listed in the old index that hold no generated file now:
 * removed when empty (a file someone else put there keeps it). */
static void remove_empty_dirs(struct output *o, const char *old_index)
{
	for (const char *p = old_index; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[260];
		if (len > 1 && len < sizeof line && p[len - 1] == '/') {
			memcpy(line, p, len);
			line[len] = '\0';
			if (index_entry_ok(line)) {
				bool used = false;
				for (size_t i = 0; i < o->n && !used; i++)
					used = o->t[i].state != T_ORPHAN && o->t[i].state != T_GONE &&
					       !strncmp(o->t[i].rel, line, len);
				line[len - 1] = '\0';
				if (!used)
					unlinkat(o->dirfd, line, AT_REMOVEDIR);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
}

static int to_dir(struct output *o)
{
	bool writing = !o->opt.check && !o->opt.diff;
	if (fflush(o->spool)) {
		fprintf(o->opt.err, "sparkc: cannot write a temporary file: %s\n", strerror(errno));
		return 2;
	}
	if (writing)
		catch_signals();
	if (!open_dir(o, writing))
		return 2;
	qsort(o->t, o->n, sizeof *o->t, by_rel);
	size_t old_len = 0;
	mode_t mode;
	const char *err;
	char *old_index = read_target(o->dirfd, OUTPUT_INDEX, o->opt.max_file_bytes, SIZE_MAX, &old_len, &mode,
				      &err);
	if (err)
		problem(o, OUTPUT_INDEX, err);
	/* the kustomization: generated like a manifest, so never over a hand-made one */
	if (o->opt.kustomization) {
		struct strbuf b = {0};
		const char head[] = "# Generated by sparkc compile --kustomization: every manifest in this directory.\n"
				    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n";
		strbuf_add(&b, head, sizeof head - 1);
		for (size_t i = 0; i < o->n; i++) {
			strbuf_add(&b, "  - ", 4);
			strbuf_add(&b, o->t[i].rel, strlen(o->t[i].rel));
			strbuf_add(&b, "\n", 1);
		}
		strbuf_add(&b, "", 1);
		struct stat st;
		if (o->dirfd >= 0 && !in_index(old_index, KUSTOMIZATION) &&
		    fstatat(o->dirfd, KUSTOMIZATION, &st, AT_SYMLINK_NOFOLLOW) == 0)
			problem(o, KUSTOMIZATION, "exists and was not written by sparkc; remove it or leave out --kustomization");
		set_text(push(o, (struct target){.rel = xstrdup(KUSTOMIZATION)}), b.p);
	}
	/* orphans: listed in the old index, generated no more */
	size_t generated = o->n;
	for (const char *p = old_index; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xmalloc(len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		struct target key = {.rel = line};
		if (line[0] != '#' && line[len ? len - 1 : 0] != '/' && index_entry_ok(line) &&
		    !bsearch(&key, o->t, generated, sizeof *o->t, by_rel) &&
		    (strcmp(line, KUSTOMIZATION) || !o->opt.kustomization))
			push(o, (struct target){.rel = line, .state = T_ORPHAN});
		else
			free(line);
		p = nl ? nl + 1 : NULL;
	}
	qsort(o->t, o->n, sizeof *o->t, by_rel);
	bool *ns_missing = xmalloc((o->n + 1) * sizeof *ns_missing);
	compare(o, ns_missing);
	stale_staging(o, writing && !o->io_error);
	int rc = o->io_error ? 2 : 0;
	if (!writing || rc) {
		free(ns_missing);
		free(old_index);
		if (rc)
			remove_staging();       /* directories made for DIR */
		return rc ? rc : o->stale ? 1 : 0;
	}
	/* the index goes last in the sorted order ('.' < letters, so it is moved) */
	struct target idx = {.rel = xstrdup(OUTPUT_INDEX), .bookkeeping = true};
	set_text(&idx, index_text(o, old_index, ns_missing));
	idx.state = !old_index ? T_NEW : old_len == idx.len && !memcmp(old_index, idx.text, old_len) ? T_SAME
										   : T_CHANGED;
	idx.mode = mode;
	push(o, idx);
	ns_missing = xrealloc(ns_missing, o->n * sizeof *ns_missing);
	ns_missing[o->n - 1] = false;
	bool changes = false;
	for (size_t i = 0; i < o->n; i++)
		changes = changes || (o->t[i].state != T_SAME && o->t[i].state != T_GONE);
	if (changes) {
		if (stage(o)) {
			sigset_t saved;
			block_signals(&saved);
			if (commit(o, ns_missing)) {
				staging.nmade = 0;      /* DIR holds the files now */
				remove_empty_dirs(o, old_index);
			} else {
				rc = 2;
			}
			/* the backups and orphans moved aside go with the staging directory */
			for (size_t i = 0; i < o->n; i++)
				if (o->t[i].state != T_SAME && o->t[i].state != T_GONE)
					staging.nfiles = (sig_atomic_t)(i + 1);
			remove_staging();
			sigprocmask(SIG_SETMASK, &saved, NULL);
		} else {
			rc = 2;
		}
	}
	if (rc)
		remove_staging();
	free(ns_missing);
	free(old_index);
	return rc;
}

int output_close(struct output *o, bool ok)
{
	int rc = 0;
	if (ok && !o->io_error)
		rc = o->opt.dir ? to_dir(o) : o->to_null ? 0 : to_dest(o);
	if (o->to_null) {
		combine_end(&o->stream);
		fwrite(o->text.p ? o->text.p : "", 1, o->text.len, o->dest);
	}
	if (o->to_null && fflush(o->dest)) {
		fprintf(o->opt.err, "sparkc: cannot write to standard output: %s\n", strerror(errno));
		rc = 2;
	}
	if (o->io_error && rc == 0)
		rc = 2;
	if (o->opt.dir && o->dest && fflush(o->dest))
		rc = 2;
	if (o->spool)
		fclose(o->spool);
	if (o->dirfd >= 0)
		close(o->dirfd);        /* and the lock with it */
	for (size_t i = 0; i < o->n; i++) {
		free(o->t[i].rel);
		free(o->t[i].text);
	}
	for (size_t i = 0; i < o->nmade; i++)
		free(o->made[i]);
	staging.nmade = 0;
	staging.made = NULL;
	free(o->made);
	free(o->text.p);
	free(o->stream.first.p);
	free(o->t);
	free(o);
	return rc;
}
