/* outdir.c - -o DIR as a transaction (see output.h): an exclusive lock on DIR, the
 * changed files written into one staging directory, then renamed into place with the
 * old ones kept until every rename succeeded; signals held off or cleaned up after.
 * It reads the index and compares (outcompare.c, outindex.c), then writes. */
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
#include "escape.h"
#include "outfiles.h"

/* Linux's syncfs(2) makes every staged file durable in one call, where an fsync a file
 * costs a journal commit each (100,000 files: minutes). glibc and musl declare it only
 * under _GNU_SOURCE, which sparkc does not ask for (it builds as POSIX), hence the
 * declaration; elsewhere each staged file is fsync'ed as it is written. */
#if defined(__linux__)
int syncfs(int fd);
#define HAVE_SYNCFS 1
#else
#define HAVE_SYNCFS 0
#endif

/* What sparkc puts in a staging directory: the new files "0", "1", ..., the old ones
 * kept as "0~", "1~", ..., the spool, and the marker that tells a later run the
 * directory is sparkc's to remove (a committed .sparkc-staging.* without it is not). */
#define SPOOL_NAME "spool"
#define MARKER_NAME ".sparkc-staging"
static const char marker_text[] = "sparkc compile -o: this run's files before they are renamed into place.\n"
				  "A run that was killed leaves this directory; the next run removes it.\n";

/* ---- signals ------------------------------------------------------------------------ */

/* Every signal whose default action ends the process and that a handler can catch.
 * SIGXFSZ is ignored instead: a write past `ulimit -f` then fails with EFBIG and is
 * reported like any other failed write. */
static const int terminating[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGSYS, SIGTRAP,
	/* not POSIX (macOS has none of them) */
#ifdef SIGPOLL
	SIGPOLL,
#endif
#ifdef SIGPWR
	SIGPWR,
#endif
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};

/* What a signal (or exit, say on running out of memory) must remove: the staging
 * directory, its files "0".."nfiles-1", the spool and the marker, then directories
 * made for DIR itself. unlinkat and rmdir are async-signal-safe; the names are built
 * without stdio. */
static struct {
	volatile sig_atomic_t live;
	int dirfd, stagefd;
	char name[64];
	volatile sig_atomic_t nfiles;
	volatile sig_atomic_t spool, marker;
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
		if (staging.spool)
			unlinkat(staging.stagefd, SPOOL_NAME, 0);
		if (staging.marker)
			unlinkat(staging.stagefd, MARKER_NAME, 0);
		staging.spool = staging.marker = 0;
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

void outdir_block_signals(sigset_t *saved)
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
			print_escaped(o->opt.err, "sparkc: cannot create %s: %s\n", buf, strerror(errno));
			ok = false;
		}
		*p = '/';
	}
	free(buf);
	return ok;
}

/* A stat's access and modification times: POSIX.1-2008's st_atim and st_mtim, which
 * macOS's struct stat calls st_atimespec and st_mtimespec (and, when a build asks it
 * for POSIX alone, gives as seconds and nanoseconds apart). */
static void stat_times(const struct stat *st, struct timespec t[2])
{
#if defined(__APPLE__) && (!defined(_POSIX_C_SOURCE) || defined(_DARWIN_C_SOURCE))
	t[0] = st->st_atimespec;
	t[1] = st->st_mtimespec;
#elif defined(__APPLE__)
	t[0] = (struct timespec){.tv_sec = st->st_atime, .tv_nsec = st->st_atimensec};
	t[1] = (struct timespec){.tv_sec = st->st_mtime, .tv_nsec = st->st_mtimensec};
#else
	t[0] = st->st_atim;
	t[1] = st->st_mtim;
#endif
}

/* Open (creating if asked) and lock DIR. DIR itself is opened as named, a link
 * included: the caller chose it. -1 and no error when it does not exist and is not to
 * be created. */
static bool open_dir(struct output *o, bool create)
{
	if (create) {
		sigset_t saved;
		outdir_block_signals(&saved);  /* a directory made is on the list before a signal */
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
		print_escaped(o->opt.err, "sparkc: cannot open %s: %s\n", o->opt.dir, strerror(errno));
		o->io_error = true;
		return false;
	}
	/* one -o run at a time; --check and --diff see no run half done */
	while (flock(o->dirfd, create ? LOCK_EX : LOCK_SH) && errno == EINTR)
		;
	struct stat st;
	if (create && !o->nmade && fstat(o->dirfd, &st) == 0) {
		stat_times(&st, o->dir_times);
		o->dir_times_kept = true;
	}
	return true;
}

/* Whether name is what sparkc puts in a staging directory. */
static bool staged_name(const char *name)
{
	size_t digits = strspn(name, "0123456789");
	return !strcmp(name, SPOOL_NAME) || !strcmp(name, MARKER_NAME) ||
	       (digits && (!name[digits] || !strcmp(name + digits, "~")));
}

/* A staging directory another run left, if it carries the marker and holds nothing but
 * what sparkc puts there: opened, else -1. */
static int left_staging(struct output *o, const char *name)
{
	int fd = openat(o->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	mode_t mode;
	const char *err;
	char *marker = outcompare_read(fd, MARKER_NAME, sizeof marker_text, &len, &mode, &err);
	bool ours = marker && len == sizeof marker_text - 1 && !memcmp(marker, marker_text, len);
	free(marker);
	int dfd = ours ? dup(fd) : -1;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (dfd >= 0 && !d)
		close(dfd);
	ours = ours && d;
	for (struct dirent *e; ours && (e = readdir(d));)
		ours = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || staged_name(e->d_name);
	if (d)
		closedir(d);
	if (!ours) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Staging directories a run left (no live run holds the lock beside ours): removed
 * when writing, reported by --check and --diff. Only sparkc's (left_staging). */
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
		if (strncmp(e->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)) ||
		    (staging.live && !strcmp(e->d_name, staging.name)))
			continue;
		int sfd = left_staging(o, e->d_name);
		if (sfd < 0) {
			/* killed before its marker was written, it is empty: git keeps no empty
			 * directory, so no one else's is lost (rmdir fails on any other) */
			if (remove)
				unlinkat(o->dirfd, e->d_name, AT_REMOVEDIR);
			continue;
		}
		if (!remove) {
			/* a diff has no words for it: said on the error stream then */
			print_escaped(o->opt.diff ? o->opt.err : o->dest, "%s%s%s: left over by an interrupted run\n",
				o->opt.dir, output_sep(o), e->d_name);
			o->stale++;
			close(sfd);
			continue;
		}
		int dfd = dup(sfd);
		DIR *s = dfd >= 0 ? fdopendir(dfd) : NULL;
		bool emptied = s != NULL;
		if (s) {
			struct dirent *f;
			rewinddir(s);   /* the descriptor was read to its end by left_staging */
			while ((f = readdir(s)))
				if (staged_name(f->d_name) && strcmp(f->d_name, MARKER_NAME) && unlinkat(sfd, f->d_name, 0))
					emptied = false;
			closedir(s);
		} else if (dfd >= 0) {
			close(dfd);
		}
		if (emptied)    /* the marker last: until then, a later run knows the directory */
			unlinkat(sfd, MARKER_NAME, 0);
		close(sfd);
		unlinkat(o->dirfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* Make this run's staging directory in DIR (once). */
static bool make_staging(struct output *o)
{
	if (staging.live)
		return true;
	char name[64];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
	for (int tries = 0;; tries++, r = r * 6364136223846793005UL + 1442695040888963407UL) {
		snprintf(name, sizeof name, STAGING_PREFIX "%ld.%06lx", (long)getpid(), (r >> 20) & 0xffffff);
		sigset_t saved;
		outdir_block_signals(&saved);
		int ok = mkdirat(o->dirfd, name, 0700);
		bool marked = false;
		if (ok == 0) {
			staging.dirfd = o->dirfd;
			memcpy(staging.name, name, sizeof name);
			staging.stagefd = openat(o->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			staging.nfiles = 0;
			staging.marker = 1;     /* on the list before it exists */
			staging.live = 1;
			int mfd = staging.stagefd < 0 ? -1 : openat(staging.stagefd, MARKER_NAME,
								     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			marked = mfd >= 0 && write_all(mfd, marker_text, sizeof marker_text - 1);
			if (mfd >= 0 && close(mfd))
				marked = false;
		}
		int e = errno;
		sigprocmask(SIG_SETMASK, &saved, NULL);
		if (marked)
			break;
		if (ok == 0 || e != EEXIST || tries > 100) {
			print_escaped(o->opt.err, "sparkc: cannot write in %s: %s\n", o->opt.dir, strerror(e));
			return false;
		}
	}
	return true;
}

/* Write the new and changed files into the staging directory. */
static bool stage(struct output *o)
{
	if (!make_staging(o))
		return false;
	for (size_t i = 0; i < o->n; i++) {
		struct target *t = &o->t[i];
		if (t->state != T_NEW && t->state != T_CHANGED)
			continue;
		char slot[32];
		staging.nfiles = (sig_atomic_t)(i + 1);    /* on the list before it exists */
		int fd = openat(staging.stagefd, slot_name(slot, i, false),
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		char *text = target_new_text(o, t);
		bool ok = fd >= 0 && write_all(fd, text, t->len) &&
			  (t->state != T_CHANGED || fchmod(fd, t->mode) == 0) && (HAVE_SYNCFS || fsync(fd) == 0);
		int e = errno;
		free(text);
		if (fd >= 0 && close(fd) && ok) {
			ok = false;
			e = errno;
		}
		if (!ok) {
			output_problem(o, t->rel, strerror(e));
			return false;
		}
	}
	/* the new files' bytes reach the disk before any name points at them */
#if HAVE_SYNCFS
	if (syncfs(staging.stagefd)) {
#else
	if (fsync(staging.stagefd)) {
#endif
		print_escaped(o->opt.err, "sparkc: cannot write in %s: %s\n", o->opt.dir, strerror(errno));
		return false;
	}
	return true;
}

/* Whether the run moves target t: into place, or (an orphan) away. */
static bool moves(const struct target *t)
{
	return t->state == T_NEW || t->state == T_CHANGED || t->state == T_ORPHAN;
}

/* Move target i into place (or an orphan away into the staging directory), the old
 * file kept there as its backup. */
static bool move_target(const struct target *t, size_t i, int nsfd)
{
	char slot[32], backup[32];
	const char *base = target_base(t->rel);
	slot_name(slot, i, false);
	slot_name(backup, i, true);
	if (t->state == T_CHANGED)
		return !linkat(nsfd, base, staging.stagefd, backup, 0) && !renameat(staging.stagefd, slot, nsfd, base);
	if (t->state == T_NEW)          /* linkat: never over a file that appeared meanwhile */
		return !linkat(staging.stagefd, slot, nsfd, base, 0);
	return !renameat(nsfd, base, staging.stagefd, backup);
}

/* Undo the moves done, last first, and remove the namespace directories made
 * (made_ns: their names, NUL-separated). */
static void roll_back(struct output *o, const char *made_ns, size_t made_len)
{
	char cur[256], backup[32];
	for (size_t i = o->n; i-- > 0;) {
		struct target *t = &o->t[i];
		if (!t->done)
			continue;
		const char *why;
		int fd = outcompare_open_ns(o, target_ns(t->rel, cur, sizeof cur), &why);
		slot_name(backup, i, true);
		if (t->state == T_NEW)
			unlinkat(fd, target_base(t->rel), 0);
		else
			renameat(staging.stagefd, backup, fd, target_base(t->rel));
		if (fd >= 0)
			close(fd);
	}
	for (size_t at = 0; at < made_len; at += strlen(made_ns + at) + 1)
		unlinkat(o->dirfd, made_ns + at, AT_REMOVEDIR);
}

/* Rename everything into place (signals held off by the caller); on the first failure,
 * undo what was done. Old files stay linked in the staging directory until then. */
static bool commit(struct output *o, const bool *ns_missing)
{
	char ns[256] = "", cur[256];
	int nsfd = -1;
	bool ok = true;
	const char *failed = NULL;
	int err = 0;
	char *made_ns = NULL;   /* namespace directories made, NUL-separated */
	size_t made_len = 0;
	for (size_t i = 0; i < o->n && ok; i++) {
		struct target *t = &o->t[i];
		if (!moves(t))
			continue;
		target_ns(t->rel, cur, sizeof cur);
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
			nsfd = outcompare_open_ns(o, ns, &why);
			if (nsfd < 0) {
				ok = false, failed = ns, err = errno;
				break;
			}
		}
		ok = move_target(t, i, nsfd);
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
		print_escaped(o->opt.err, "sparkc: cannot write %s%s%s: %s; nothing was changed\n", o->opt.dir, output_sep(o), failed,
			strerror(err));
		roll_back(o, made_ns, made_len);
	}
	free(made_ns);
	fsync(o->dirfd);
	return ok;
}

/* Every file the run will have in DIR, sorted: the manifests, the kustomization, and
 * the orphans the index names. */
static void gather(struct output *o, struct index *idx)
{
	const char *err;
	size_t len = 0;
	mode_t mode = 0;
	char *text = outcompare_read(o->dirfd, INDEX_NAME, o->opt.max_file_bytes, &len, &mode, &err);
	if (err)
		output_problem(o, INDEX_NAME, err);
	outindex_parse(idx, text, len, mode);
	targets_sort(o);
	if (o->opt.kustomization) {
		char *list = outindex_kustomization(o);
		target_set_text(target_push(o, (struct target){.rel = xstrdup(KUSTOMIZATION)}), list);
		outcompare_other_kustomizations(o);
		targets_sort(o);
	}
	outcompare_add_orphans(o, idx);
}

/* After the renames: remove each namespace directory the index says sparkc made whose
 * last file this run removed (a directory someone else emptied, or made, is left). */
static void remove_emptied_dirs(struct output *o, const struct index *idx)
{
	char ns[256], cur[256];
	for (size_t i = 0; i < o->n;) {
		target_ns(o->t[i].rel, ns, sizeof ns);
		bool removed = false, holds = false;
		for (; i < o->n && !strcmp(target_ns(o->t[i].rel, cur, sizeof cur), ns); i++) {
			removed = removed || (o->t[i].state == T_ORPHAN && o->t[i].done);
			holds = holds || o->t[i].state == T_SAME || o->t[i].state == T_NEW || o->t[i].state == T_CHANGED;
		}
		if (*ns && removed && !holds && outindex_lists_dir(idx, ns))
			unlinkat(o->dirfd, ns, AT_REMOVEDIR);
	}
}

/* Stage the changed files, then rename them in with signals held off; 0, or 2 with
 * DIR as it was. */
static int apply(struct output *o, const bool *ns_missing, const struct index *idx)
{
	bool changes = false;
	for (size_t i = 0; i < o->n; i++)
		changes = changes || moves(&o->t[i]);
	if (!changes) {
		remove_staging();       /* the spool's, if it had one */
		return 0;
	}
	if (!stage(o))
		return 2;
	int rc = 0;
	sigset_t saved;
	outdir_block_signals(&saved);
	if (commit(o, ns_missing)) {
		staging.nmade = 0;      /* DIR holds the files now */
		remove_emptied_dirs(o, idx);
	} else {
		rc = 2;
	}
	/* the backups and orphans moved aside go with the staging directory */
	for (size_t i = 0; i < o->n; i++)
		if (moves(&o->t[i]))
			staging.nfiles = (sig_atomic_t)(i + 1);
	remove_staging();
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return rc;
}

int outdir_finish(struct output *o)
{
	bool writing = !o->opt.check && !o->opt.diff;
	if (fflush(o->spool)) {
		fprintf(o->opt.err, "sparkc: cannot write a temporary file: %s\n", strerror(errno));
		outdir_abandon(o);
		return 2;
	}
	if (writing)
		catch_signals();
	if (o->dirfd < 0 && !open_dir(o, writing))
		return 2;
	struct index idx;
	gather(o, &idx);
	bool *ns_missing = xmalloc((o->n + 1) * sizeof *ns_missing);
	outcompare_targets(o, &idx, ns_missing);
	stale_staging(o, writing && !o->io_error);
	int rc = o->io_error ? 2 : 0;
	if (writing && !rc) {
		/* the index goes last: pushed after the sorted targets, it is renamed last */
		struct target t = {.rel = xstrdup(INDEX_NAME), .mode = idx.mode};
		target_set_text(&t, outindex_text(o, &idx, ns_missing));
		t.state = !idx.text ? T_NEW : idx.len == t.len && !memcmp(idx.text, t.text, t.len) ? T_SAME : T_CHANGED;
		target_push(o, t);
		ns_missing = xrealloc(ns_missing, o->n * sizeof *ns_missing);
		ns_missing[o->n - 1] = false;
		rc = apply(o, ns_missing, &idx);
		if (!rc)
			outcompare_say_done(o);
	}
	if (rc)
		remove_staging();       /* and the directories made for DIR */
	free(ns_missing);
	outindex_free(&idx);
	if (!rc && !writing && o->stale)
		/* a hook or CI job that fails here is read by someone who did not run it */
		print_escaped(o->opt.err, "sparkc: %zu file%s in %s differ%s from what the inputs compile to; "
			      "the same command without --%s writes %s\n", o->stale, o->stale == 1 ? "" : "s",
			      o->opt.dir, o->stale == 1 ? "s" : "", o->opt.diff ? "diff" : "check",
			      o->stale == 1 ? "it" : "them");
	return rc || writing ? rc : o->stale ? 1 : 0;
}

int outdir_spool_file(struct output *o)
{
	catch_signals();
	if ((o->dirfd < 0 && !open_dir(o, true)) || !make_staging(o))
		return -1;
	sigset_t saved;
	outdir_block_signals(&saved);
	staging.spool = 1;      /* on the list before it exists */
	int fd = openat(staging.stagefd, SPOOL_NAME, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int e = errno;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0)
		print_escaped(o->opt.err, "sparkc: cannot write in %s: %s\n", o->opt.dir, strerror(e));
	return fd;
}

void outdir_abandon(struct output *o)
{
	sigset_t saved;
	outdir_block_signals(&saved);
	bool made = staging.live || staging.nmade;
	remove_staging();
	/* DIR as it was, its times included, when only this run's staging came and went */
	if (made && o->dirfd >= 0 && o->dir_times_kept)
		futimens(o->dirfd, o->dir_times);
	sigprocmask(SIG_SETMASK, &saved, NULL);
}

void outdir_forget(struct output *o)
{
	for (size_t i = 0; i < o->nmade; i++)
		free(o->made[i]);
	staging.nmade = 0;
	staging.made = NULL;
	free(o->made);
}
