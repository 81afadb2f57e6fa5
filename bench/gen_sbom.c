/*
 * gen_sbom: writes a deterministic, realistic CycloneDX 1.5 SBOM for the
 * dependency analysis benchmark (bench/sca.sh).
 *
 *   gen_sbom N OUT.json --universe FILE [--seed S] [--upgrade K] [--affected PCT]
 *
 * N components in all (nested ones included) of a platform built from
 * services in several languages plus container images, the way syft
 * describes one:
 *
 *   - per language ecosystem (npm, Maven, PyPI, Go, NuGet, crates.io,
 *     RubyGems, in roughly that order of weight) a few first-party services
 *     (type application, with purl) whose dependencies are nested in them;
 *     some dependencies nest their own (bundled npm packages, shaded jars),
 *     down to depth 3; a few are files without purl;
 *   - two Debian 12 images and one Alpine 3.19 image (type container), each
 *     with its operating-system component and its distribution packages
 *     (purl qualifiers arch= and distro=, and epoch= for a dpkg epoch);
 *   - bom-ref, scope (mostly required, some optional and excluded), hashes,
 *     licences (SPDX ids, some expressions, some free-text names, a few
 *     GPL-3.0 and AGPL-3.0 for a licence policy to find), properties, and a
 *     dependencies[] graph; a VEX section (vulnerabilities[] with analysis)
 *     marks some of the vulnerable components not_affected.
 *
 * Packages and versions come from the universe file gen_osv --universe
 * writes (ecosystem, purl, newest version, an older one, a version some
 * record affects and that record's id), so the share of vulnerable
 * components is controlled: a component of a package that has records takes
 * the affected version with probability --affected percent (default 10),
 * an older one with 10%, else the newest. The same package is often used
 * by several services, as in real monorepos.
 *
 * --upgrade K (K > 0) writes the same platform K dependency-update rounds
 * later: half of the old versions (affected or older) are bumped to the
 * newest, about 0.5% of the components are gone and as many are new; the
 * bom-refs of unchanged components stay the same.
 *
 * Only libc: it must build anywhere the benchmark runs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_CAP (1u << 22)
#define MAX_FIELD 256

#include "gen_json.h"

/* ------------------------------------------------------------------ */
/* the package universe (gen_osv --universe)                           */
/* ------------------------------------------------------------------ */

enum eco { E_NPM, E_MAVEN, E_PYPI, E_GO, E_NUGET, E_CRATES, E_RUBYGEMS, E_DEBIAN, E_ALPINE, N_ECO };

struct ecoinfo {
	const char *osv;
	unsigned permille;   /* share of the SBOM's components */
	const char *language; /* syft:package:language; NULL for distributions */
	const char *cataloger;
	const char *lockfile;
};

static const struct ecoinfo ecos[N_ECO] = {
	[E_NPM] = {"npm", 340, "javascript", "javascript-lock-cataloger", "package-lock.json"},
	[E_MAVEN] = {"Maven", 150, "java", "java-archive-cataloger", "app.jar"},
	[E_PYPI] = {"PyPI", 120, "python", "python-installed-package-cataloger", "requirements.txt"},
	[E_GO] = {"Go", 90, "go", "go-module-binary-cataloger", "bin/server"},
	[E_NUGET] = {"NuGet", 60, "dotnet", "dotnet-deps-cataloger", "App.deps.json"},
	[E_CRATES] = {"crates.io", 50, "rust", "rust-cargo-lock-cataloger", "Cargo.lock"},
	[E_RUBYGEMS] = {"RubyGems", 40, "ruby", "ruby-gemfile-cataloger", "Gemfile.lock"},
	[E_DEBIAN] = {"Debian", 110, NULL, "dpkg-db-cataloger", "/var/lib/dpkg/status"},
	[E_ALPINE] = {"Alpine", 40, NULL, "apk-db-cataloger", "/lib/apk/db/installed"},
};

struct pkg {
	char *purl;      /* without version */
	char *newest, *older, *affected; /* purl spelling; affected NULL when none */
	char *record;    /* the record affecting `affected` */
	unsigned records;
};

struct pkgs {
	struct pkg *items;
	size_t n, cap;
};

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (!p) {
		fputs("gen_sbom: out of memory\n", stderr);
		exit(1);
	}
	memcpy(p, s, n);
	return p;
}

static int eco_index(const char *name)
{
	int e;

	for (e = 0; e < N_ECO; e++)
		if (strcmp(ecos[e].osv, name) == 0)
			return e;
	return -1;
}

static int read_universe(const char *path, struct pkgs u[N_ECO])
{
	FILE *f = fopen(path, "r");
	char line[2048], *field[7], *p;
	unsigned long lineno = 0;
	int e, i;

	if (!f) {
		fprintf(stderr, "gen_sbom: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof line, f)) {
		struct pkg *k;

		lineno++;
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		p = line;
		for (i = 0; i < 7; i++) {
			field[i] = p;
			p += strcspn(p, "\t");
			if (*p)
				*p++ = '\0';
			else if (i < 6)
				break;
		}
		if (i < 7 || (e = eco_index(field[0])) < 0) {
			fprintf(stderr, "gen_sbom: %s:%lu: not a universe line\n", path, lineno);
			fclose(f);
			return 1;
		}
		if (u[e].n == u[e].cap) {
			u[e].cap = u[e].cap ? u[e].cap * 2 : 1024;
			u[e].items = realloc(u[e].items, u[e].cap * sizeof *u[e].items);
			if (!u[e].items) {
				fputs("gen_sbom: out of memory\n", stderr);
				exit(1);
			}
		}
		k = &u[e].items[u[e].n++];
		k->purl = dup(field[1]);
		k->newest = dup(field[2]);
		k->older = dup(field[3]);
		k->affected = strcmp(field[4], "-") ? dup(field[4]) : NULL;
		k->record = strcmp(field[5], "-") ? dup(field[5]) : NULL;
		k->records = (unsigned)strtoul(field[6], NULL, 10);
	}
	fclose(f);
	for (e = 0; e < N_ECO; e++)
		if (u[e].n == 0) {
			fprintf(stderr, "gen_sbom: %s: no %s packages\n", path, ecos[e].osv);
			return 1;
		}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the platform: a tree of components                                  */
/* ------------------------------------------------------------------ */

enum ckind { C_SERVICE, C_CONTAINER, C_OS, C_LIBRARY, C_FILE };
enum vchoice { V_NEWEST, V_OLDER, V_AFFECTED };

struct comp {
	enum ckind kind;
	int eco;
	int parent;          /* -1: top level */
	int depth;
	unsigned serial;     /* stable across --upgrade: names the bom-ref */
	const struct pkg *pkg;
	enum vchoice v;
	int gone;            /* removed by --upgrade */
	int first_child, next_sibling, last_child;
};

struct tree {
	struct comp *c;
	size_t n, cap;
};

static int add(struct tree *t, enum ckind kind, int eco, int parent, unsigned serial)
{
	struct comp *c;
	int i;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->c = realloc(t->c, t->cap * sizeof *t->c);
		if (!t->c) {
			fputs("gen_sbom: out of memory\n", stderr);
			exit(1);
		}
	}
	i = (int)t->n++;
	c = &t->c[i];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->eco = eco;
	c->parent = parent;
	c->depth = parent < 0 ? 0 : t->c[parent].depth + 1;
	c->serial = serial;
	c->first_child = c->next_sibling = c->last_child = -1;
	if (parent >= 0) {
		if (t->c[parent].last_child < 0)
			t->c[parent].first_child = i;
		else
			t->c[t->c[parent].last_child].next_sibling = i;
		t->c[parent].last_child = i;
	}
	return i;
}

/* Popular packages are used more: skewed towards the head of the universe,
 * where gen_osv puts the packages with advisories. */
static const struct pkg *pick_pkg(struct rng *g, const struct pkgs *u)
{
	double x = unit(g);
	size_t k = (size_t)(x * x * x * 0.35 * (double)u->n + x * 0.65 * (double)u->n);

	return &u->items[k < u->n ? k : u->n - 1];
}

static enum vchoice pick_version(struct rng *g, const struct pkg *p, unsigned affected_pct)
{
	unsigned r = below(g, 100);

	if (p->affected && r < affected_pct)
		return V_AFFECTED;
	if (r < affected_pct + 10)
		return V_OLDER;
	return V_NEWEST;
}

struct plan {
	unsigned services[N_ECO];
	unsigned quota[N_ECO];
};

/* How many services and components each ecosystem gets, structure included,
 * so that the whole is exactly n. */
static void make_plan(unsigned long long n, struct plan *pl)
{
	unsigned long long structural = 0, rest, given = 0;
	int e;

	memset(pl, 0, sizeof *pl);
	for (e = 0; e < N_ECO; e++) {
		if (e == E_DEBIAN)
			pl->services[e] = 2; /* images; each with its operating-system */
		else if (e == E_ALPINE)
			pl->services[e] = 1;
		else
			pl->services[e] = 1 + (unsigned)(n * ecos[e].permille / 1000 / 700);
		structural += pl->services[e] * ((e == E_DEBIAN || e == E_ALPINE) ? 2 : 1);
	}
	rest = n > structural ? n - structural : 0;
	for (e = 0; e < N_ECO; e++) {
		pl->quota[e] = (unsigned)(rest * ecos[e].permille / 1000);
		given += pl->quota[e];
	}
	pl->quota[E_NPM] += (unsigned)(rest - given);
}

static void build(struct tree *t, const struct pkgs u[N_ECO], unsigned long long n, uint64_t seed,
		  unsigned affected_pct)
{
	struct plan pl;
	unsigned serial = 0;
	int e;

	make_plan(n, &pl);
	for (e = 0; e < N_ECO; e++) {
		struct rng g = {mix64(seed ^ 0x42554c44ull) ^ mix64((uint64_t)e)};
		int roots[64];
		unsigned s, made = 0, ns = pl.services[e] < 64 ? pl.services[e] : 64;
		int distro = e == E_DEBIAN || e == E_ALPINE;

		for (s = 0; s < ns; s++) {
			roots[s] = add(t, distro ? C_CONTAINER : C_SERVICE, e, -1, serial++);
			if (distro)
				add(t, C_OS, e, roots[s], serial++);
		}
		while (made < pl.quota[e]) {
			int parent = roots[made % ns], i;
			unsigned bundle = 0, j;

			/* a dependency with its own nested components (bundled npm
			 * packages, a shaded jar), sometimes two levels of them */
			if (!distro && below(&g, 100) < 8)
				bundle = 1 + below(&g, 6);
			if (!distro && below(&g, 100) < 1) {
				add(t, C_FILE, e, parent, serial++);
				made++;
				continue;
			}
			i = add(t, C_LIBRARY, e, parent, serial++);
			t->c[i].pkg = pick_pkg(&g, &u[e]);
			t->c[i].v = pick_version(&g, t->c[i].pkg, affected_pct);
			made++;
			for (j = 0; j < bundle && made < pl.quota[e]; j++) {
				int k = add(t, C_LIBRARY, e, i, serial++);
				t->c[k].pkg = pick_pkg(&g, &u[e]);
				t->c[k].v = pick_version(&g, t->c[k].pkg, affected_pct);
				made++;
				if (below(&g, 100) < 10 && made < pl.quota[e]) {
					int m = add(t, C_LIBRARY, e, k, serial++);
					t->c[m].pkg = pick_pkg(&g, &u[e]);
					t->c[m].v = pick_version(&g, t->c[m].pkg, affected_pct);
					made++;
				}
			}
		}
	}
}

/* K rounds of dependency updates (see the file comment). */
static void upgrade(struct tree *t, const struct pkgs u[N_ECO], uint64_t seed, unsigned long long rounds)
{
	size_t i, n = t->n, added = 0, removed = 0;
	unsigned serial = (unsigned)n + 1000000u;
	unsigned long long r;

	for (r = 1; r <= rounds; r++)
		for (i = 0; i < n; i++) {
			struct comp *c = &t->c[i];
			struct rng g = {mix64(seed ^ 0x55504752ull) ^ mix64(c->serial) ^ mix64(r)};
			unsigned x = below(&g, 1000);

			if (c->kind != C_LIBRARY || c->gone)
				continue;
			/* only leaves go, so that nothing nested is orphaned */
			if (x < 5 && c->first_child < 0) {
				c->gone = 1;
				removed++;
			} else if (c->v != V_NEWEST && x < 500) {
				c->v = V_NEWEST;
			}
		}
	/* as many new dependencies, spread over the services and images */
	{
		struct rng g = {mix64(seed ^ 0x4e455744ull) ^ mix64(rounds)};

		for (i = 0; added < removed; i = (i + 1) % n) {
			int k;

			if ((t->c[i].kind != C_SERVICE && t->c[i].kind != C_CONTAINER) || below(&g, 4) != 0)
				continue;
			k = add(t, C_LIBRARY, t->c[i].eco, (int)i, serial++);
			t->c[k].pkg = pick_pkg(&g, &u[t->c[k].eco]);
			t->c[k].v = V_NEWEST;
			added++;
		}
	}
}

/* ------------------------------------------------------------------ */
/* writing                                                             */
/* ------------------------------------------------------------------ */

struct writer {
	struct out *o;
	const struct tree *t;
	uint64_t seed;
	unsigned long long variant;
	char serial_number[64];
};

/* purl percent-decoding, for the name and version fields */
static void decode(const char *in, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (in[i] == '%' && i + 2 < len) {
			char h[3] = {in[i + 1], in[i + 2], 0};
			out[n++] = (char)strtol(h, NULL, 16);
			i += 2;
		} else {
			out[n++] = in[i];
		}
	}
	out[n] = '\0';
}

static const char *version_of(const struct comp *c)
{
	switch (c->v) {
	case V_AFFECTED:
		return c->pkg->affected;
	case V_OLDER:
		return c->pkg->older;
	default:
		return c->pkg->newest;
	}
}

static void full_purl(const struct comp *c, char *out, size_t size)
{
	const char *v = version_of(c), *colon = strstr(v, "%3A");

	if (c->eco == E_DEBIAN && colon)
		/* syft and trivy put a dpkg epoch in the epoch qualifier, not
		 * in the version (the universe spells it "1%3A2.3.4-1") */
		snprintf(out, size, "%s@%s?arch=amd64&distro=debian-12&epoch=%.*s", c->pkg->purl, colon + 3,
			 (int)(colon - v), v);
	else if (c->eco == E_DEBIAN)
		snprintf(out, size, "%s@%s?arch=amd64&distro=debian-12", c->pkg->purl, v);
	else if (c->eco == E_ALPINE)
		snprintf(out, size, "%s@%s?arch=x86_64&distro=alpine-3.19.1", c->pkg->purl, v);
	else
		snprintf(out, size, "%s@%s", c->pkg->purl, v);
}

static void bom_ref(const struct writer *w, const struct comp *c, char *out, size_t size)
{
	char purl[2 * MAX_FIELD];
	unsigned long long id = (unsigned long long)mix64(w->seed ^ mix64(c->serial));

	switch (c->kind) {
	case C_LIBRARY:
		full_purl(c, purl, sizeof purl);
		snprintf(out, size, "%s%cpackage-id=%016llx", purl, strchr(purl, '?') ? '&' : '?', id);
		break;
	case C_SERVICE:
		snprintf(out, size, "service-%s-%u", ecos[c->eco].osv, c->serial);
		break;
	case C_CONTAINER:
		snprintf(out, size, "image-%u", c->serial);
		break;
	case C_OS:
		snprintf(out, size, "os-%016llx", id);
		break;
	default:
		snprintf(out, size, "file-%016llx", id);
		break;
	}
}

struct licence {
	unsigned weight;
	char kind; /* i: license.id, e: expression, n: license.name, 2: two ids, -: none */
	const char *text, *text2;
};

static const struct licence lic_common[] = {
	{450, 'i', "MIT", NULL},
	{200, 'i', "Apache-2.0", NULL},
	{60, 'i', "ISC", NULL},
	{80, 'i', "BSD-3-Clause", NULL},
	{40, 'i', "BSD-2-Clause", NULL},
	{20, 'i', "MPL-2.0", NULL},
	{20, 'i', "LGPL-2.1-or-later", NULL},
	{15, 'i', "GPL-2.0-only", NULL},
	{10, 'i', "GPL-3.0-or-later", NULL},
	{5, 'i', "AGPL-3.0-only", NULL},
	{40, 'e', "MIT OR Apache-2.0", NULL},
	{10, 'e', "GPL-2.0-only WITH Classpath-exception-2.0", NULL},
	{10, 'n', "SEE LICENSE IN LICENSE.md", NULL},
	{5, '2', "MIT", "CC0-1.0"},
	{35, '-', NULL, NULL},
};
static const struct licence lic_distro[] = {
	{300, 'i', "GPL-2.0-or-later", NULL},
	{150, 'i', "LGPL-2.1-or-later", NULL},
	{100, 'i', "BSD-3-Clause", NULL},
	{150, 'i', "MIT", NULL},
	{50, 'i', "Apache-2.0", NULL},
	{40, 'i', "GPL-3.0-or-later", NULL},
	{10, 'i', "GPL-3.0-only", NULL},
	{100, '2', "GPL-2.0-or-later", "LGPL-2.1-or-later"},
	{50, 'e', "GPL-2.0-or-later OR MIT", NULL},
	{30, 'n', "public-domain", NULL},
	{20, '-', NULL, NULL},
};

static const struct licence *pick_licence(const struct comp *c)
{
	int distro = c->eco == E_DEBIAN || c->eco == E_ALPINE;
	const struct licence *l = distro ? lic_distro : lic_common;
	size_t n = distro ? sizeof lic_distro / sizeof lic_distro[0] : sizeof lic_common / sizeof lic_common[0];
	unsigned total = 0, x, i;
	/* a package's licence does not depend on where it is used */
	uint64_t h = 0x4c4943ull;
	const char *p;

	for (p = c->pkg->purl; *p; p++)
		h = mix64(h ^ (unsigned char)*p);
	for (i = 0; i < n; i++)
		total += l[i].weight;
	x = (unsigned)(h % total);
	for (i = 0; i + 1 < n && x >= l[i].weight; i++)
		x -= l[i].weight;
	return &l[i];
}

static void write_licences(struct out *o, const struct licence *l)
{
	if (l->kind == '-')
		return;
	key(o, "licenses");
	arr(o);
	obj(o);
	if (l->kind == 'e') {
		kv_str(o, "expression", l->text);
	} else {
		key(o, "license");
		obj(o);
		kv_str(o, l->kind == 'n' ? "name" : "id", l->text);
		obj_end(o);
	}
	obj_end(o);
	if (l->kind == '2') {
		obj(o);
		key(o, "license");
		obj(o);
		kv_str(o, "id", l->text2);
		obj_end(o);
		obj_end(o);
	}
	arr_end(o);
}

static void property(struct out *o, const char *name, const char *value)
{
	obj(o);
	kv_str(o, "name", name);
	kv_str(o, "value", value);
	obj_end(o);
}

static void write_component(struct writer *w, int i);

static void write_children(struct writer *w, int parent)
{
	int k, any = 0;

	for (k = w->t->c[parent].first_child; k >= 0; k = w->t->c[k].next_sibling)
		if (!w->t->c[k].gone)
			any = 1;
	if (!any)
		return;
	key(w->o, "components");
	arr(w->o);
	for (k = w->t->c[parent].first_child; k >= 0; k = w->t->c[k].next_sibling)
		if (!w->t->c[k].gone)
			write_component(w, k);
	arr_end(w->o);
}

static void write_library(struct writer *w, const struct comp *c)
{
	struct out *o = w->o;
	const char *pb = c->pkg->purl, *slash = strrchr(pb, '/'), *type_end = strchr(pb, '/');
	char base[MAX_FIELD], name[2 * MAX_FIELD + 2], group[MAX_FIELD], ver[MAX_FIELD], purl[2 * MAX_FIELD];
	char buf[5 * MAX_FIELD];
	uint64_t h = mix64(w->seed ^ mix64(c->serial) ^ 0x4c4942ull);
	unsigned scope = (unsigned)(h % 100);

	decode(slash + 1, strlen(slash + 1), base, sizeof base);
	group[0] = '\0';
	if (slash > type_end) /* a namespace: Maven's group, npm's scope, a Go module path */
		decode(type_end + 1, (size_t)(slash - type_end - 1), group, sizeof group);
	if ((c->eco == E_NPM && group[0]) || c->eco == E_GO) {
		/* syft names these by their full name: "@scope/name", the module path */
		snprintf(name, sizeof name, "%s/%s", group, base);
		group[0] = '\0';
	} else {
		snprintf(name, sizeof name, "%s", base);
		if (c->eco != E_MAVEN)
			group[0] = '\0'; /* deb/debian, apk/alpine: the vendor, not a group */
	}
	decode(version_of(c), strlen(version_of(c)), ver, sizeof ver);
	full_purl(c, purl, sizeof purl);

	kv_str(o, "type", "library");
	if (group[0])
		kv_str(o, "group", group);
	kv_str(o, "name", name);
	kv_str(o, "version", ver);
	if (h % 7 == 0) {
		snprintf(buf, sizeof buf, "%s: a \"%s\" library for the platform", name, ecos[c->eco].osv);
		kv_str(o, "description", buf);
	}
	/* distribution packages are all installed: no scope */
	if (c->eco != E_DEBIAN && c->eco != E_ALPINE)
		kv_str(o, "scope", scope < 85 ? "required" : scope < 95 ? "optional" : "excluded");
	if (h % 10 < 6) {
		key(o, "hashes");
		arr(o);
		obj(o);
		kv_str(o, "alg", "SHA-256");
		snprintf(buf, sizeof buf, "%016llx%016llx%016llx%016llx", (unsigned long long)mix64(h),
			 (unsigned long long)mix64(h + 1), (unsigned long long)mix64(h + 2),
			 (unsigned long long)mix64(h + 3));
		kv_str(o, "content", buf);
		obj_end(o);
		arr_end(o);
	}
	write_licences(o, pick_licence(c));
	kv_str(o, "purl", purl);
	if (h % 5 == 0) {
		key(o, "externalReferences");
		arr(o);
		obj(o);
		snprintf(buf, sizeof buf, "https://github.com/example/%s", name);
		kv_str(o, "url", buf);
		kv_str(o, "type", "vcs");
		obj_end(o);
		arr_end(o);
	}
	key(o, "properties");
	arr(o);
	property(o, "syft:package:foundBy", ecos[c->eco].cataloger);
	if (ecos[c->eco].language)
		property(o, "syft:package:language", ecos[c->eco].language);
	property(o, "syft:location:0:path", ecos[c->eco].lockfile);
	arr_end(o);
}

static void write_component(struct writer *w, int i)
{
	const struct comp *c = &w->t->c[i];
	struct out *o = w->o;
	char ref[3 * MAX_FIELD], buf[2 * MAX_FIELD];
	uint64_t h = mix64(w->seed ^ mix64(c->serial) ^ 0x434f4dull);

	bom_ref(w, c, ref, sizeof ref);
	obj(o);
	kv_str(o, "bom-ref", ref);
	switch (c->kind) {
	case C_SERVICE:
		kv_str(o, "type", "application");
		snprintf(buf, sizeof buf, "%s-service-%u", ecos[c->eco].language, c->serial);
		kv_str(o, "name", buf);
		kv_str(o, "version", "2.4.0");
		/* first-party: a purl no advisory names */
		snprintf(buf, sizeof buf, "pkg:generic/acme/%s-service-%u@2.4.0", ecos[c->eco].language, c->serial);
		kv_str(o, "purl", buf);
		break;
	case C_CONTAINER:
		kv_str(o, "type", "container");
		snprintf(buf, sizeof buf, "registry.example.com/acme/%s-%u", c->eco == E_DEBIAN ? "api" : "edge",
			 c->serial);
		kv_str(o, "name", buf);
		snprintf(buf, sizeof buf, "sha256:%016llx%016llx%016llx%016llx", (unsigned long long)mix64(h),
			 (unsigned long long)mix64(h + 1), (unsigned long long)mix64(h + 2),
			 (unsigned long long)mix64(h + 3));
		kv_str(o, "version", buf);
		break;
	case C_OS:
		kv_str(o, "type", "operating-system");
		kv_str(o, "name", c->eco == E_DEBIAN ? "debian" : "alpine");
		kv_str(o, "version", c->eco == E_DEBIAN ? "12" : "3.19.1");
		kv_str(o, "description", c->eco == E_DEBIAN ? "Debian GNU/Linux 12 (bookworm)" : "Alpine Linux v3.19");
		break;
	case C_FILE:
		kv_str(o, "type", "file");
		snprintf(buf, sizeof buf, "vendor/lib%016llx.so", (unsigned long long)h);
		kv_str(o, "name", buf);
		key(o, "hashes");
		arr(o);
		obj(o);
		kv_str(o, "alg", "SHA-1");
		snprintf(buf, sizeof buf, "%016llx%016llx%08llx", (unsigned long long)mix64(h),
			 (unsigned long long)mix64(h + 1), (unsigned long long)(mix64(h + 2) & 0xffffffffu));
		kv_str(o, "content", buf);
		obj_end(o);
		arr_end(o);
		break;
	default:
		write_library(w, c);
		break;
	}
	write_children(w, i);
	obj_end(o);
}

static void write_dependencies(struct writer *w)
{
	struct out *o = w->o;
	char ref[3 * MAX_FIELD];
	size_t i;
	int k;

	key(o, "dependencies");
	arr(o);
	for (i = 0; i < w->t->n; i++) {
		const struct comp *c = &w->t->c[i];
		if (c->gone)
			continue;
		obj(o);
		bom_ref(w, c, ref, sizeof ref);
		kv_str(o, "ref", ref);
		key(o, "dependsOn");
		arr(o);
		for (k = c->first_child; k >= 0; k = w->t->c[k].next_sibling)
			if (!w->t->c[k].gone) {
				bom_ref(w, &w->t->c[k], ref, sizeof ref);
				str(o, ref);
			}
		arr_end(o);
		obj_end(o);
	}
	arr_end(o);
}

/* VEX: the team analysed some vulnerable components and found most not
 * affected; a few are still in triage or exploitable. */
static void write_vex(struct writer *w)
{
	static const char *const justifications[] = {"code_not_reachable", "code_not_present",
						      "requires_configuration", "protected_at_runtime"};
	struct out *o = w->o;
	char ref[3 * MAX_FIELD], buf[4 * MAX_FIELD];
	size_t i;
	int any = 0;

	for (i = 0; i < w->t->n; i++) {
		const struct comp *c = &w->t->c[i];
		uint64_t h = mix64(w->seed ^ mix64(c->serial) ^ 0x564558ull);
		unsigned x = (unsigned)(h % 100);

		if (c->gone || c->kind != C_LIBRARY || c->v != V_AFFECTED || !c->pkg->record || x >= 15)
			continue;
		if (!any) {
			key(o, "vulnerabilities");
			arr(o);
			any = 1;
		}
		bom_ref(w, c, ref, sizeof ref);
		obj(o);
		kv_str(o, "id", c->pkg->record);
		key(o, "source");
		obj(o);
		kv_str(o, "name", "OSV");
		snprintf(buf, sizeof buf, "https://osv.dev/vulnerability/%s", c->pkg->record);
		kv_str(o, "url", buf);
		obj_end(o);
		key(o, "analysis");
		obj(o);
		kv_str(o, "state", x < 11 ? "not_affected" : x < 13 ? "in_triage" : "exploitable");
		if (x < 11) {
			kv_str(o, "justification", justifications[x % 4]);
			kv_str(o, "detail", "The vulnerable function is not called by the platform.");
		}
		obj_end(o);
		key(o, "affects");
		arr(o);
		obj(o);
		/* some tools write BOM-Links rather than plain bom-refs */
		if (x % 3 == 0) {
			snprintf(buf, sizeof buf, "%s/%llu#%s", w->serial_number, w->variant + 1, ref);
			kv_str(o, "ref", buf);
		} else {
			kv_str(o, "ref", ref);
		}
		obj_end(o);
		arr_end(o);
		obj_end(o);
	}
	if (any)
		arr_end(o);
}

static void write_sbom(struct writer *w)
{
	struct out *o = w->o;
	uint64_t h = mix64(w->seed ^ mix64(w->variant) ^ 0x53424f4dull);
	char buf[128];
	size_t i;

	snprintf(w->serial_number, sizeof w->serial_number, "urn:uuid:%08llx-%04llx-4%03llx-8%03llx-%012llx",
		 (unsigned long long)(h & 0xffffffffu), (unsigned long long)((h >> 32) & 0xffffu),
		 (unsigned long long)((h >> 48) & 0xfffu), (unsigned long long)(mix64(h) & 0xfffu),
		 (unsigned long long)(mix64(h + 1) & 0xffffffffffffull));
	obj(o);
	kv_str(o, "$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
	kv_str(o, "bomFormat", "CycloneDX");
	kv_str(o, "specVersion", "1.5");
	kv_str(o, "serialNumber", w->serial_number);
	kv_raw(o, "version", "1");
	key(o, "metadata");
	obj(o);
	snprintf(buf, sizeof buf, "2024-06-%02lluT12:00:00Z", 1 + w->variant % 28);
	kv_str(o, "timestamp", buf);
	key(o, "tools");
	obj(o);
	key(o, "components");
	arr(o);
	obj(o);
	kv_str(o, "type", "application");
	kv_str(o, "author", "anchore");
	kv_str(o, "name", "syft");
	kv_str(o, "version", "1.4.1");
	obj_end(o);
	arr_end(o);
	obj_end(o);
	key(o, "component");
	obj(o);
	kv_str(o, "bom-ref", "acme-platform");
	kv_str(o, "type", "application");
	kv_str(o, "name", "acme-platform");
	snprintf(buf, sizeof buf, "2024.%llu.0", 6 + w->variant);
	kv_str(o, "version", buf);
	obj_end(o);
	obj_end(o);
	key(o, "components");
	arr(o);
	for (i = 0; i < w->t->n; i++)
		if (w->t->c[i].parent < 0 && !w->t->c[i].gone)
			write_component(w, (int)i);
	arr_end(o);
	write_dependencies(w);
	write_vex(w);
	obj_end(o);
	put_c(o, '\n');
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static void usage(void)
{
	fputs("usage: gen_sbom N OUT.json --universe FILE [--seed S] [--upgrade K] [--affected PCT]\n"
	      "  OUT.json may be - for standard output\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long n = 0, seed = 1, variant = 0, affected = 10;
	const char *path = NULL, *universe = NULL;
	struct pkgs u[N_ECO];
	struct tree t;
	struct out o;
	struct writer w;
	size_t i, live = 0, vulnerable = 0;
	int have_n = 0, e;
	FILE *f;

	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];
		unsigned long long *dst = NULL;

		if (strcmp(arg, "--seed") == 0)
			dst = &seed;
		else if (strcmp(arg, "--upgrade") == 0)
			dst = &variant;
		else if (strcmp(arg, "--affected") == 0)
			dst = &affected;
		if (dst) {
			if (a + 1 >= argc || parse_u64(argv[a + 1], UINT64_MAX, dst) != 0) {
				fprintf(stderr, "gen_sbom: %s needs a non-negative integer\n", arg);
				usage();
			}
			a++;
		} else if (strcmp(arg, "--universe") == 0) {
			if (a + 1 >= argc)
				usage();
			universe = argv[++a];
		} else if (arg[0] == '-' && arg[1] == '-') {
			fprintf(stderr, "gen_sbom: unknown option %s\n", arg);
			usage();
		} else if (!have_n) {
			if (parse_u64(arg, 1000000ull, &n) != 0 || n < 100) {
				fputs("gen_sbom: N must be an integer in 100..1000000\n", stderr);
				usage();
			}
			have_n = 1;
		} else if (!path) {
			path = arg;
		} else {
			usage();
		}
	}
	if (!have_n || !path || !universe || affected > 90 || variant > 1000)
		usage();

	memset(u, 0, sizeof u);
	if (read_universe(universe, u))
		return 1;
	memset(&t, 0, sizeof t);
	build(&t, u, n, seed, (unsigned)affected);
	if (variant > 0)
		upgrade(&t, u, seed, variant);

	f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "gen_sbom: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(&o, 0, sizeof o);
	o.f = f;
	o.cap = OUT_CAP;
	o.tool = "gen_sbom";
	o.buf = malloc(OUT_CAP);
	if (!o.buf) {
		fputs("gen_sbom: out of memory\n", stderr);
		return 1;
	}
	memset(&w, 0, sizeof w);
	w.o = &o;
	w.t = &t;
	w.seed = seed;
	w.variant = variant;
	write_sbom(&w);
	out_flush(&o);
	free(o.buf);
	if (o.failed || fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0)) {
		fprintf(stderr, "gen_sbom: write to %s failed: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < t.n; i++) {
		if (t.c[i].gone)
			continue;
		live++;
		vulnerable += t.c[i].kind == C_LIBRARY && t.c[i].v == V_AFFECTED;
	}
	/* what the file holds, for the benchmark's log */
	fprintf(stderr, "gen_sbom: %zu components written to %s (%zu with a version a record affects)\n", live,
		path, vulnerable);
	free(t.c);
	for (e = 0; e < N_ECO; e++) {
		for (i = 0; i < u[e].n; i++) {
			free(u[e].items[i].purl);
			free(u[e].items[i].newest);
			free(u[e].items[i].older);
			free(u[e].items[i].affected);
			free(u[e].items[i].record);
		}
		free(u[e].items);
	}
	return 0;
}
