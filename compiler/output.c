/* output.c - see output.h; the front of the output stage, whose parts are listed in
 * outfiles.h: it spools the manifests (outtargets.c), then streams them to standard
 * output or hands them to the directory transaction (outdir.c). */
#include "output.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "escape.h"
#include "emit.h"
#include "outfiles.h"

/* ---- spooling ---------------------------------------------------------------------- */

/* The manifests are held in memory up to this many bytes, then in a file: memory stays
 * flat however many documents a run compiles, and a run whose manifests fit needs no
 * temporary file at all (a container built FROM scratch has no /tmp). */
#define SPOOL_IN_MEMORY ((off_t)8 << 20)

/* One manifest as text, in o->doc (a buffer kept from one manifest to the next); a
 * YAML file of DIR opens with the generated-file marker (outfiles.h). */
static void render(struct output *o, const struct node *m)
{
	o->doc.len = 0;
	if (o->opt.fmt == OUT_JSON) {
		emit_json_buf(&o->doc, m, 4, 0);
		strbuf_add(&o->doc, "\n", 1);
	} else {
		if (o->opt.dir)
			strbuf_str(&o->doc, GENERATED_MARKER);
		emit_yaml_buf(&o->doc, m);
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
	o->spool = open_memstream(&o->mem, &o->mem_len);
	if (!o->spool) {
		fprintf(o->opt.err, "sparkc: out of memory\n");
		exit(2);
	}
	return o;
}

/* An unnamed temporary file in $TMPDIR (or /tmp), for a spool that outgrew memory when
 * DIR is not being written; -1 with the reason said. */
static int temp_file(struct output *o)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = xmalloc(strlen(dir) + sizeof "/sparkc.XXXXXX");
	sprintf(path, "%s/sparkc.XXXXXX", dir);
	sigset_t saved;
	outdir_block_signals(&saved);   /* no signal between its creation and its unlinking */
	int fd = mkstemp(path);
	int e = errno;
	if (fd >= 0)
		unlink(path);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0)
		print_escaped(o->opt.err, "sparkc: the manifests take more than %d MiB, and no temporary file can be made "
			"in %s: %s (set TMPDIR to a writable directory)\n", (int)(SPOOL_IN_MEMORY >> 20), dir,
			strerror(e));
	free(path);
	return fd;
}

/* Move the spool from memory to a file: in DIR's staging directory when -o writes DIR
 * (no other place is needed, and DIR must hold the files anyway), else a temporary
 * file. */
static bool spill(struct output *o)
{
	bool writing = o->opt.dir && !o->opt.check && !o->opt.diff;
	int fd = writing ? outdir_spool_file(o) : temp_file(o);
	if (fd < 0)
		return false;
	if (!spool_move_to(o, fd)) {
		fprintf(o->opt.err, "sparkc: cannot write a temporary file: %s\n", strerror(errno));
		return false;
	}
	return true;
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
	render(o, m);
	combine_add(&o->stream, o->doc.p, o->doc.len);
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
			print_escaped(o->opt.err, "sparkc: refusing to write outside %s: %s/%s\n", o->opt.dir, ns, name);
			o->io_error = true;
			return false;
		}
		t.rel = xmalloc(strlen(ns) + strlen(name) + 7);
		sprintf(t.rel, "%s/%s.%s", ns, name, o->opt.fmt == OUT_JSON ? "json" : "yaml");
	}
	t.at = ftello(o->spool);
	render(o, m);
	fwrite(o->doc.p, 1, o->doc.len, o->spool);
	off_t end = ftello(o->spool);
	if (t.at < 0 || end < 0 || ferror(o->spool)) {
		fprintf(o->opt.err, "sparkc: cannot write a temporary file: %s\n", strerror(errno));
		free(t.rel);
		o->io_error = true;
		return false;
	}
	t.len = (size_t)(end - t.at);
	target_push(o, t);
	if (!o->spilled && end > SPOOL_IN_MEMORY && !spill(o)) {
		o->io_error = true;
		return false;
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
		outdir_block_signals(&saved);
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
		char *text = target_new_text(o, &o->t[i]);
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

/* ---- the end -------------------------------------------------------------------------- */

int output_close(struct output *o, bool ok)
{
	int rc = 0;
	if (ok && !o->io_error)
		rc = o->opt.dir ? outdir_finish(o) : o->to_null ? 0 : to_dest(o);
	else if (o->opt.dir)
		outdir_abandon(o);
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
	free(o->mem);
	if (o->dirfd >= 0)
		close(o->dirfd);        /* and the lock with it */
	for (size_t i = 0; i < o->n; i++) {
		free(o->t[i].rel);
		free(o->t[i].text);
	}
	outdir_forget(o);
	free(o->text.p);
	free(o->doc.p);
	free(o->stream.first.p);
	free(o->t);
	free(o);
	return rc;
}
