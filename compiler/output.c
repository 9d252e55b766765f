/* output.c - see output.h. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"

struct pending {
	char *final;            /* DIR/ns/name.yaml */
	char *temp;             /* its temp file, or NULL when the content is unchanged */
};

struct output {
	const char *dir;
	bool check;
	enum out_format fmt;
	FILE *dest;             /* stdout */
	FILE *spool;            /* what goes to dest, held back until every input compiled */
	bool direct;            /* dest is written at once (see output_open) */
	off_t dest_start;       /* where a direct regular-file dest started, to undo a failed run */
	size_t count;
	struct pending *files;
	size_t nfiles, cap;
	size_t stale;
	bool io_error;
	char **made_dirs;       /* directories this run created, removed again on error */
	size_t nmade;
};

/* What to remove if a signal ends the run: temp files, then the directories the run
 * created (unlink and rmdir are async-signal-safe). */
static char **live_temps;
static volatile sig_atomic_t nlive;
static char **live_dirs;
static volatile sig_atomic_t nlive_dirs;

static void remove_temps(int sig)
{
	for (sig_atomic_t i = 0; i < nlive; i++)
		if (live_temps[i])
			unlink(live_temps[i]);
	for (sig_atomic_t i = nlive_dirs; i-- > 0;)
		rmdir(live_dirs[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

struct output *output_open(const char *dir, bool check, enum out_format fmt, FILE *dest)
{
	struct output *o = xmalloc(sizeof *o);
	*o = (struct output){.dir = dir, .check = check, .fmt = fmt, .dest = dest};
	if (!dir) {
		/* Nothing may reach stdout unless every input compiles. A pipe or a terminal
		 * gets the manifests from a spool file at the end; a regular file is written
		 * at once and cut back to where it started if the run fails; /dev/null is
		 * written at once. (Several JSON manifests form one List: always spooled.) */
		struct stat st, null_st;
		fflush(dest);
		if (fmt == OUT_YAML && fstat(fileno(dest), &st) == 0) {
			if (S_ISREG(st.st_mode)) {
				/* with O_APPEND (>>) the offset reads 0 until the first write */
				int flags = fcntl(fileno(dest), F_GETFL);
				o->dest_start = flags >= 0 && (flags & O_APPEND) ? st.st_size
									   : lseek(fileno(dest), 0, SEEK_CUR);
				o->direct = o->dest_start >= 0;
			} else if (S_ISCHR(st.st_mode) && stat("/dev/null", &null_st) == 0 &&
				   st.st_rdev == null_st.st_rdev) {
				o->direct = true;
				o->dest_start = -1;
			}
		}
		if (o->direct) {
			o->spool = dest;
			return o;
		}
		o->spool = tmpfile();
		if (!o->spool) {
			fprintf(stderr, "sparkc: cannot create a temporary file: %s\n", strerror(errno));
			exit(2);
		}
	} else if (!check) {
		signal(SIGINT, remove_temps);
		signal(SIGTERM, remove_temps);
		signal(SIGHUP, remove_temps);
	}
	return o;
}

static void render(FILE *f, const struct node *m, enum out_format fmt)
{
	if (fmt == OUT_JSON) {
		emit_json(f, m, 4, 0);
		fputc('\n', f);
	} else {
		emit_yaml(f, m);
	}
}

/* mkdir -p, remembering what it created so that a failed run can leave no trace. */
static bool mkdirs(struct output *o, const char *path)
{
	char buf[4096];
	size_t len = strlen(path);
	if (len + 2 > sizeof buf)
		return false;
	memcpy(buf, path, len);
	memcpy(buf + len, "/", 2);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) == 0) {
			o->made_dirs = xrealloc(o->made_dirs, (o->nmade + 1) * sizeof *o->made_dirs);
			o->made_dirs[o->nmade++] = xstrdup(buf);
			live_dirs = o->made_dirs;       /* signals are blocked here (add_to_dir) */
			nlive_dirs = (sig_atomic_t)o->nmade;
		} else if (errno != EEXIST) {
			return false;
		}
		*p = '/';
	}
	return true;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = xmalloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	*len = n;
	return buf;
}

static void remember(struct output *o, struct pending p)
{
	if (o->nfiles == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->files = xrealloc(o->files, o->cap * sizeof *o->files);
		live_temps = xrealloc(live_temps, o->cap * sizeof *live_temps);
	}
	live_temps[o->nfiles] = p.temp;
	o->files[o->nfiles++] = p;
	nlive = (sig_atomic_t)o->nfiles;
}

static bool add_to_dir(struct output *o, const struct node *m, const char *ns, const char *name)
{
	/* Names were checked as DNS labels; refuse anything else rather than escape DIR. */
	if (strchr(ns, '/') || strchr(name, '/') || ns[0] == '.' || name[0] == '.') {
		fprintf(stderr, "sparkc: refusing to write outside %s: %s/%s\n", o->dir, ns, name);
		o->io_error = true;
		return false;
	}
	char *final = xmalloc(strlen(o->dir) + strlen(ns) + strlen(name) + 16);
	sprintf(final, "%s/%s/%s.%s", o->dir, ns, name, o->fmt == OUT_JSON ? "json" : "yaml");
	for (size_t i = 0; i < o->nfiles; i++) {
		if (!strcmp(o->files[i].final, final)) {
			fprintf(stderr, "sparkc: two jobs compile to %s (namespace %s, name %s)\n", final, ns, name);
			free(final);
			o->io_error = true;
			return false;
		}
	}
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	render(mem, m, o->fmt);
	fclose(mem);
	size_t old_len = 0;
	char *old = read_all(final, &old_len);
	bool same = old && old_len == len && !memcmp(old, text, len);
	free(old);
	struct pending p = {.final = final};
	if (o->check && !same) {
		fprintf(o->dest, "%s: %s\n", final, old ? "differs" : "missing");
		o->stale++;
	}
	if (!o->check && !same) {
		/* A file created must be on the cleanup list before a signal can see it. */
		sigset_t block, saved;
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		sigprocmask(SIG_BLOCK, &block, &saved);
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/%s", o->dir, ns);
		p.temp = xmalloc(strlen(final) + 16);
		sprintf(p.temp, "%s/.%s.XXXXXX", dir, name);
		int fd = mkdirs(o, dir) ? mkstemp(p.temp) : -1;
		if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) || close(fd)) {
			fprintf(stderr, "sparkc: cannot write %s: %s\n", final, strerror(errno));
			if (fd >= 0)
				unlink(p.temp);
			free(p.temp);
			p.temp = NULL;
			o->io_error = true;
		} else {
			chmod(p.temp, 0644);
		}
		remember(o, p);
		sigprocmask(SIG_SETMASK, &saved, NULL);
	} else {
		remember(o, p);
	}
	free(text);
	return !o->io_error;
}

bool output_add(struct output *o, const struct node *m, const char *ns, const char *name)
{
	o->count++;
	if (o->dir)
		return add_to_dir(o, m, ns, name);
	if (o->fmt == OUT_YAML && o->count > 1)
		fputs("---\n", o->spool);
	if (o->fmt == OUT_JSON && o->count > 1) {
		/* the previous object's closing line gets the separator */
		fseek(o->spool, -1, SEEK_CUR);
		fputs(",\n", o->spool);
	}
	render(o->spool, m, o->fmt);
	return true;
}

/* Several JSON manifests form a v1 List, as `kubectl get -o json` prints them: the
 * spooled objects are indented into its items (JSON strings hold no raw newlines). */
static int copy_spool(struct output *o)
{
	rewind(o->spool);
	bool list = o->fmt == OUT_JSON && o->count > 1;
	if (list)
		fputs("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n", o->dest);
	char buf[65536];
	if (list) {
		bool line_start = true;
		int c;
		while ((c = getc(o->spool)) != EOF) {
			if (line_start)
				fputs("        ", o->dest);
			putc(c, o->dest);
			line_start = c == '\n';
		}
	} else {
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, o->spool)) > 0)
			fwrite(buf, 1, n, o->dest);
	}
	if (list)
		fputs("    ],\n    \"kind\": \"List\"\n}\n", o->dest);
	fclose(o->spool);
	if (fflush(o->dest) || ferror(o->dest)) {
		fprintf(stderr, "sparkc: cannot write to standard output: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

int output_close(struct output *o, bool ok)
{
	int rc = 0;
	if (!o->dir && o->direct) {
		if (fflush(o->dest) || ferror(o->dest)) {
			fprintf(stderr, "sparkc: cannot write to standard output: %s\n", strerror(errno));
			rc = 2;
		} else if (!ok && o->dest_start >= 0 &&
			   (ftruncate(fileno(o->dest), o->dest_start) ||
			    lseek(fileno(o->dest), o->dest_start, SEEK_SET) < 0)) {
			fprintf(stderr, "sparkc: cannot undo the output: %s\n", strerror(errno));
			rc = 2;
		}
	} else if (!o->dir) {
		if (ok)
			rc = copy_spool(o);
		else
			fclose(o->spool);
	}
	ok = ok && !o->io_error;
	for (size_t i = 0; i < o->nfiles; i++) {
		struct pending *p = &o->files[i];
		if (p->temp) {
			if (ok && rename(p->temp, p->final)) {
				fprintf(stderr, "sparkc: cannot write %s: %s\n", p->final, strerror(errno));
				rc = 2;
			}
			if (!ok)
				unlink(p->temp);
			live_temps[i] = NULL;
			free(p->temp);
		}
		free(p->final);
	}
	nlive = 0;
	nlive_dirs = 0;
	live_dirs = NULL;
	for (size_t i = o->nmade; i-- > 0;) {
		if (!ok)
			rmdir(o->made_dirs[i]);
		free(o->made_dirs[i]);
	}
	free(o->made_dirs);
	if (o->io_error)
		rc = 2;
	else if (o->check && o->stale)
		rc = 1;
	free(o->files);
	free(o);
	free(live_temps);
	live_temps = NULL;
	return rc;
}
