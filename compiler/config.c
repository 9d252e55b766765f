/* config.c - see config.h. */
/* realpath(3) is XSI in POSIX.1-2008: ask for it, not for all of the libc (_DEFAULT_SOURCE). */
#define _XOPEN_SOURCE 700
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "load.h"
#include "rules.h"
#include "schema.h"
#include "source.h"

/* What a directory resolves to: its real path and the configuration governing it. */
struct dir_entry {
	const char *key;        /* the directory as named, or its real path */
	const char *real;
	const struct config *config;
};

struct configs {
	struct config_options opt;
	struct diags *diags;
	struct arena arena;
	struct config no_config;
	const struct config *given;     /* --config's, once read */
	struct dir_entry *dirs; /* open addressing, a power of two */
	size_t ndirs, cap;
	char cwd[PATH_MAX];     /* for the names diagnostics give configuration files */
};

struct configs *configs_open(const struct config_options *opt, struct diags *diags)
{
	struct configs *cs = xmalloc(sizeof *cs);
	*cs = (struct configs){.opt = *opt, .diags = diags, .no_config = {.templates = opt->templates}};
	if (!getcwd(cs->cwd, sizeof cs->cwd))
		cs->cwd[0] = '\0';
	return cs;
}

void configs_free(struct configs *cs)
{
	if (!cs)
		return;
	free(cs->dirs);
	arena_free(&cs->arena);
	free(cs);
}

/* ---- reading one ---------------------------------------------------------------- */

/* A path as diagnostics name it: relative to the current directory when inside it. */
static const char *shown_path(struct configs *cs, const char *real)
{
	size_t n = strlen(cs->cwd);
	if (n > 1 && !strncmp(real, cs->cwd, n) && real[n] == '/')
		return real + n + 1;
	return real;
}

static char **string_list(struct arena *a, const struct node *list, size_t *n)
{
	*n = 0;
	if (!list || list->kind != N_SEQ || !list->n)
		return NULL;
	char **v = arena_alloc(a, list->n * sizeof *v);
	for (size_t i = 0; i < list->n; i++)
		if (node_is_text(list->items[i]))
			v[(*n)++] = arena_strdup(a, list->items[i]->text);
	return v;
}

static const char *text_of(const struct node *n)
{
	return node_is_text(n) ? n->text : NULL;
}

/* rules: {RULE: off | warning | error}; the schema has checked the names and values. */
static bool take_rules(struct configs *cs, struct config *c, const struct node *map, struct diag_src *ds)
{
	bool ok = true;
	for (size_t i = 0; map && map->kind == N_MAP && i < map->n; i++) {
		const struct rule *r = rule_find(map->pairs[i].key->text);
		const char *v = text_of(map->pairs[i].value);
		if (!r || !v)
			continue;
		enum rule_level level = !strcmp(v, "off") ? LEVEL_OFF : !strcmp(v, "warning") ? LEVEL_WARNING : LEVEL_ERROR;
		if (level != LEVEL_ERROR && !rule_adjustable(r)) {
			const char *why;
			rule_silenceable(r, SEV_ERROR, &why);
			char path[96];
			snprintf(path, sizeof path, "rules.%s", r->id);
			diag_node(ds, map->pairs[i].value, SEV_ERROR, "config", path,
				  r->warns_too ? "fix what it reports, or silence one of its warnings in place (# sparkc:ignore)"
					       : "fix what it reports",
				  "%s cannot be turned %s: its errors are ones sparkc does not let be silenced (%s)", r->id,
				  level == LEVEL_OFF ? "off" : "down to a warning", why);
			ok = false;
			continue;
		}
		if (!c->levels)
			c->levels = arena_alloc(&cs->arena, rules_count);
		c->levels[r - rules] = (unsigned char)level;
	}
	return ok;
}

/* mlrun.version, operator.version: with the command line's, which win, the releases
 * the configuration's jobs are compiled for. */
static bool take_releases(struct configs *cs, struct config *c, const struct node *root, struct diag_src *ds)
{
	const struct node *mlrun = node_get(node_get(root, "mlrun"), "version");
	const struct node *operator_version = node_get(node_get(root, "operator"), "version");
	if (!node_is_text(mlrun) && !node_is_text(operator_version))
		return true;
	struct releases *rel = arena_alloc(&cs->arena, sizeof *rel);
	char why[256];
	const char *m = cs->opt.mlrun_version ? cs->opt.mlrun_version : text_of(mlrun);
	const char *o = cs->opt.operator_version ? cs->opt.operator_version : text_of(operator_version);
	if (!releases_resolve(rel, m, o, why, sizeof why)) {
		bool mlrun_bad = m && !cs->opt.mlrun_version && !releases_resolve(rel, m, NULL, why, sizeof why);
		diag_node(ds, mlrun_bad ? mlrun : operator_version, SEV_ERROR, "config",
			  mlrun_bad ? "mlrun.version" : "operator.version", "`sparkc --version` lists the releases it knows",
			  "%s", why);
		return false;
	}
	c->releases = rel;
	return true;
}

/* templates: a directory relative to the configuration's; spark: its default version
 * and known keys. The templates the configuration's jobs use. */
static bool take_templates(struct configs *cs, struct config *c, const struct node *root, struct diag_src *ds)
{
	const struct node *dir = node_get(root, "templates"), *spark = node_get(root, "spark");
	const struct templates *t = cs->opt.templates;
	if (node_is_text(dir) && !cs->opt.templates_given) {
		const char *path = dir->text[0] == '/' ? dir->text : arena_printf(&cs->arena, "%s/%s", c->dir, dir->text);
		struct stat st;
		if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
			diag_node(ds, dir, SEV_ERROR, "config", "templates",
				  "a directory holding defaults.yaml and/or igz.yaml, relative to the configuration's",
				  "no directory '%s' (%s)", dir->text, stat(path, &st) ? strerror(errno) : "not a directory");
			return false;
		}
		t = templates_load(shown_path(cs, path), cs->diags);
		if (!t)
			return false;
	}
	size_t nkeys, nprefixes;
	char **keys = string_list(&cs->arena, node_get(spark, "known-keys"), &nkeys);
	char **prefixes = string_list(&cs->arena, node_get(spark, "known-prefixes"), &nprefixes);
	const char *version = text_of(node_get(spark, "default-version"));
	if (version || nkeys || nprefixes)
		t = templates_adjust(t, version ? arena_strdup(&cs->arena, version) : NULL, keys, nkeys, prefixes,
				     nprefixes);
	c->templates = t;
	return true;
}

static struct config *new_config(struct configs *cs, const char *path, const char *dir)
{
	struct config *c = arena_alloc(&cs->arena, sizeof *c);
	c->path = arena_strdup(&cs->arena, path);
	c->dir = arena_strdup(&cs->arena, dir);
	c->templates = cs->opt.templates;
	return c;
}

/* The configuration in (named c->path), read and checked into c. */
static void read_config(struct configs *cs, struct config *c, struct source *in)
{
	struct node *root = load_single(cs->diags, in, &cs->arena, true);
	struct diag_src ds = {.diags = cs->diags, .file = c->path, .source = in};
	if (!root)
		c->invalid = true;
	else if (root->kind != N_NULL) {        /* an empty file sets nothing */
		bool ok = schema_validate_ref("schemas/sparkc-config.schema.json", "#", root, &ds);
		if (ok) {
			ok = take_rules(cs, c, node_get(root, "rules"), &ds);
			c->exclude = string_list(&cs->arena, node_get(root, "exclude"), &c->nexclude);
			const char *fail_on = text_of(node_get(root, "fail-on"));
			c->fail_on = !fail_on ? FAIL_ON_UNSET : !strcmp(fail_on, "warning") ? FAIL_ON_WARNING : FAIL_ON_ERROR;
			c->namespace = text_of(node_get(root, "namespace"));
			ok = take_templates(cs, c, root, &ds) && ok;
			ok = take_releases(cs, c, root, &ds) && ok;
		}
		c->invalid = !ok;
	}
}

static const struct config *load_config(struct configs *cs, const char *real, const char *dir)
{
	struct config *c = new_config(cs, shown_path(cs, real), dir);
	struct source in;
	if (source_open(&in, real, default_limits.max_file_bytes)) {
		struct diag_src ds = {.diags = cs->diags, .file = c->path};
		diag_add(&ds, 0, 0, SEV_ERROR, "io", "", NULL, "cannot read %s: %s", c->path, strerror(errno));
		c->invalid = true;
		return c;
	}
	in.name = c->path;
	read_config(cs, c, &in);
	source_close(&in);
	return c;
}

bool config_named(const char *path)
{
	const char *slash = strrchr(path, '/');
	return !strcmp(slash ? slash + 1 : path, CONFIG_NAME);
}

const struct config *config_check_text(struct configs *cs, const char *path, const char *text, size_t len)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? arena_strndup(&cs->arena, path, slash > path ? (size_t)(slash - path) : 1)
			  : arena_strdup(&cs->arena, ".");
	struct config *c = new_config(cs, path, dir);
	struct source in;
	source_open_text(&in, c->path, text, len);
	read_config(cs, c, &in);
	source_close(&in);
	return c;
}

/* ---- finding one ---------------------------------------------------------------- */

static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037u;     /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static struct dir_entry *lookup(struct configs *cs, const char *key)
{
	if (!cs->cap)
		return NULL;
	for (size_t i = hash(key) & (cs->cap - 1);; i = (i + 1) & (cs->cap - 1)) {
		if (!cs->dirs[i].key)
			return NULL;
		if (!strcmp(cs->dirs[i].key, key))
			return &cs->dirs[i];
	}
}

static void remember(struct configs *cs, const char *key, const char *real, const struct config *c)
{
	if (2 * (cs->ndirs + 1) > cs->cap) {
		struct dir_entry *old = cs->dirs;
		size_t old_cap = cs->cap;
		cs->cap = cs->cap ? 2 * cs->cap : 64;
		cs->dirs = xmalloc(cs->cap * sizeof *cs->dirs);
		memset(cs->dirs, 0, cs->cap * sizeof *cs->dirs);
		cs->ndirs = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				remember(cs, old[i].key, old[i].real, old[i].config);
		free(old);
	}
	size_t i = hash(key) & (cs->cap - 1);
	while (cs->dirs[i].key)
		i = (i + 1) & (cs->cap - 1);
	cs->dirs[i] = (struct dir_entry){arena_strdup(&cs->arena, key), real, c};
	cs->ndirs++;
}

static bool exists(const char *dir, const char *name, bool regular)
{
	char path[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) >= sizeof path)
		return false;
	return !stat(path, &st) && (!regular || S_ISREG(st.st_mode));
}

/* The configuration of the real directory real: its own .sparkc.yaml, else its
 * parent's, up to the directory holding .git or /. */
static const struct config *governing(struct configs *cs, const char *real)
{
	struct dir_entry *e = lookup(cs, real);
	if (e)
		return e->config;
	const struct config *c = &cs->no_config;
	if (exists(real, CONFIG_NAME, true)) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s%s" CONFIG_NAME, real, strcmp(real, "/") ? "/" : "");
		c = load_config(cs, path, real);
	} else if (!exists(real, ".git", false) && strcmp(real, "/")) {
		char parent[PATH_MAX];
		snprintf(parent, sizeof parent, "%s", real);
		char *slash = strrchr(parent, '/');
		slash[slash == parent] = '\0';
		c = governing(cs, parent);
	}
	remember(cs, real, arena_strdup(&cs->arena, real), c);
	return c;
}

/* The directory path is in, as named ("." for a bare name), resolved once. */
static const struct dir_entry *dir_of(struct configs *cs, const char *path)
{
	char named[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!strcmp(path, "-") || !slash)
		snprintf(named, sizeof named, ".");
	else
		snprintf(named, sizeof named, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	struct dir_entry *e = lookup(cs, named);
	if (e)
		return e;
	char real[PATH_MAX];
	const struct config *c = &cs->no_config;
	const char *r = NULL;
	if (realpath(named, real)) {
		r = arena_strdup(&cs->arena, real);
		c = governing(cs, real);
	}
	remember(cs, named, r, c);
	return lookup(cs, named);
}

const struct config *config_for(struct configs *cs, const char *path)
{
	if (cs->opt.none)
		return &cs->no_config;
	if (cs->opt.file) {
		if (!cs->given) {
			char real[PATH_MAX], dir[PATH_MAX];
			if (!realpath(cs->opt.file, real))
				snprintf(real, sizeof real, "%s", cs->opt.file);
			snprintf(dir, sizeof dir, "%s", real);
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir] = '\0';
			cs->given = load_config(cs, real, slash ? dir : ".");
		}
		return cs->given;
	}
	return dir_of(cs, path)->config;
}

/* ---- excluding ------------------------------------------------------------------ */

/* One name against one glob component, each n bytes. */
static bool name_matches(const char *glob, size_t gn, const char *name, size_t nn)
{
	char g[NAME_MAX + 1], s[NAME_MAX + 1];
	if (gn > NAME_MAX || nn > NAME_MAX)
		return false;
	memcpy(g, glob, gn);
	g[gn] = '\0';
	memcpy(s, name, nn);
	s[nn] = '\0';
	return !fnmatch(g, s, 0);
}

/* The rest of a glob or path after its first component. */
static const char *next_component(const char *s)
{
	const char *slash = strchr(s, '/');
	return slash ? slash + 1 : s + strlen(s);
}

static size_t component_length(const char *s)
{
	return strcspn(s, "/");
}

/* The components of glob against those of path, `**` standing for any number of them
 * (a trailing one, for one or more). Wildcard matching with one place to come back
 * to, the last `**`, as for `*` in a name: O(components of glob x of path), where
 * trying every way to share the path among the `**`s was exponential in their number
 * (a committed exclude of a dozen `**` components against a deep tree never ended). */
static bool components_match(const char *glob, const char *path)
{
	const char *g = glob, *p = path, *star = NULL, *mark = NULL;
	while (*p) {
		if (component_length(g) == 2 && !strncmp(g, "**", 2)) {
			star = g = next_component(g);
			mark = p;
			if (!*g)
				return true;    /* a trailing ** matches everything below */
		} else if (*g && name_matches(g, component_length(g), p, component_length(p))) {
			g = next_component(g);
			p = next_component(p);
		} else if (star) {
			g = star;
			p = mark = next_component(mark);
		} else {
			return false;
		}
	}
	return !*g;
}

static bool glob_matches(const char *glob, const char *rel, bool is_dir)
{
	char g[PATH_MAX];
	size_t n = strlen(glob);
	if (n >= sizeof g)
		return false;
	memcpy(g, glob, n + 1);
	if (n && g[n - 1] == '/') {
		if (!is_dir)
			return false;
		g[--n] = '\0';
	}
	if (!strchr(g, '/')) {          /* a name, at any depth */
		const char *base = strrchr(rel, '/');
		return name_matches(g, n, base ? base + 1 : rel, strlen(base ? base + 1 : rel));
	}
	return components_match(g[0] == '/' ? g + 1 : g, rel);
}

static bool decide(char *const *globs, size_t n, const char *rel, bool is_dir)
{
	bool out = false;
	for (size_t i = 0; i < n; i++) {
		bool negated = globs[i][0] == '!';
		if (out == negated && glob_matches(globs[i] + negated, rel, is_dir))
			out = !negated;
	}
	return out;
}

bool globs_exclude(char *const *globs, size_t n, const char *rel, bool is_dir)
{
	if (!n)
		return false;
	char prefix[PATH_MAX];
	/* a path inside an excluded directory is excluded, whatever comes after */
	for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t len = (size_t)(slash - rel);
		if (!len || len >= sizeof prefix)
			continue;
		memcpy(prefix, rel, len);
		prefix[len] = '\0';
		if (decide(globs, n, prefix, true))
			return true;
	}
	return decide(globs, n, rel, is_dir);
}

bool config_excludes(struct configs *cs, const char *path, bool is_dir, char *const *globs, size_t nglobs)
{
	if (!strcmp(path, "-"))
		return false;
	const char *named = path;
	while (named[0] == '.' && named[1] == '/')
		named += 2;
	if (globs_exclude(globs, nglobs, named, is_dir))
		return true;
	const struct config *c = config_for(cs, path);
	if (!c->nexclude)
		return false;
	/* the path from the configuration's directory: its directory's real path, then
	 * its name */
	const struct dir_entry *d = dir_of(cs, path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(c->dir);
	const char *below;
	if (!d->real)
		return false;
	if (!strcmp(c->dir, "/"))
		below = d->real + 1;
	else if (!strncmp(d->real, c->dir, n) && (d->real[n] == '/' || !d->real[n]))
		below = d->real + n + (d->real[n] == '/');
	else
		return false;   /* --config's, for a path outside its directory */
	char rel[PATH_MAX];
	if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", below, *below ? "/" : "", base) >= sizeof rel)
		return false;
	return globs_exclude(c->exclude, c->nexclude, rel, is_dir);
}

/* ---- settling a file's diagnostics ------------------------------------------------ */

void config_apply(const struct config *c, const unsigned char *levels, enum fail_on fail_on, struct diags *d,
		  size_t first)
{
	enum fail_on fails = fail_on != FAIL_ON_UNSET ? fail_on : c->fail_on;
	size_t kept = first;
	for (size_t i = first; i < d->n; i++) {
		struct diag *g = &d->v[i];
		const struct rule *r = (levels || c->levels) ? rule_find(g->rule) : NULL;
		enum rule_level level = LEVEL_UNSET;
		if (r && levels)
			level = levels[r - rules];
		if (r && level == LEVEL_UNSET && c->levels)
			level = c->levels[r - rules];
		if (level == LEVEL_OFF) {
			diag_free(g);
			continue;
		}
		if (level == LEVEL_WARNING || level == LEVEL_ERROR)
			g->severity = level == LEVEL_ERROR ? SEV_ERROR : SEV_WARNING;
		g->fails = g->severity == SEV_ERROR || fails == FAIL_ON_WARNING;
		d->v[kept++] = *g;
	}
	d->n = kept;
	diags_recount(d);
}
