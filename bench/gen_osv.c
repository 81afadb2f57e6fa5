/*
 * gen_osv: writes a deterministic, realistic OSV database for the dependency
 * analysis benchmark (bench/sca.sh).
 *
 *   gen_osv N OUTDIR [--seed S] [--universe FILE] [--revision R [--every M]]
 *
 * N records, one pretty-printed JSON file each, under OUTDIR/<ecosystem>/
 * <ID>.json, the way OSV's per-ecosystem all.zip files unpack. Ecosystems in
 * roughly osv.dev's proportions (Debian, npm, PyPI, Alpine, Maven, Go,
 * crates.io, NuGet, RubyGems), each record shaped like its source's:
 *
 *   - GHSA (every language ecosystem): CVE alias, CVSS v3 vector (most),
 *     database_specific.severity, cwe_ids; 1 to 3 affected entries (a
 *     package's ranges split over two entries, or sibling packages); an
 *     enumerated versions list on about 30%; last_affected on a few;
 *   - PYSEC, GO and RUSTSEC: the ecosystem's own database. Some are twins
 *     of a GHSA record (aliases [CVE, GHSA-...]): the same flaw, which
 *     matching must report once. PYSEC always lists versions; GO and
 *     RUSTSEC use SEMVER ranges ("introduced": "0" / "0.0.0-0");
 *   - DEBIAN-CVE, DSA, DLA: per-release entries ("Debian:11", "Debian:12",
 *     "Debian:13"), fixed versions such as 1.2.3-1+deb12u1, versions lists,
 *     some with no fix yet;
 *   - ALPINE-CVE: per-release entries ("Alpine:v3.19"), fixed 1.2.3-r2.
 *
 * About 1% are withdrawn. Each record's content derives from a hash of the
 * seed and its number, so the same arguments always give the same bytes.
 *
 * Packages come from a per-ecosystem universe of generated names (a few
 * popular packages carry many advisories), each with a release history of
 * 21 to 200 versions; ranges are drawn from that history. --universe FILE
 * writes the universe as TSV for gen_sbom: for every package its purl
 * without version, its newest version, an older one, and one version that a
 * record affects (with that record's id), so the SBOM can hold a controlled
 * share of vulnerable components.
 *
 * --revision R (R > 0) writes, instead, the later revision R of every M-th
 * record (M = --every, default 50; N = 50,000 gives 1,000 records): modified
 * later, and for most a changed range (a fix moved to the next release, an
 * introduced version corrected, 10% a fix found incomplete so that the
 * newest release is affected too), 5% withdrawn. The same N and seed must
 * be given as for the base database.
 *
 * Only libc: it must build anywhere the benchmark runs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define OUT_CAP (1u << 20)
#define MAX_HISTORY 200  /* releases per package: versions lists stay <= 200 */
#define N_WORDS 40u      /* per word list: names come from 40^3 = 64000 combinations */
#define MAX_UNIVERSE 64000u

#include "gen_json.h"

/* ------------------------------------------------------------------ */
/* ecosystems and the package universe                                 */
/* ------------------------------------------------------------------ */

enum eco { E_NPM, E_PYPI, E_MAVEN, E_GO, E_CRATES, E_RUBYGEMS, E_NUGET, E_DEBIAN, E_ALPINE, N_ECO };

struct ecoinfo {
	const char *osv;      /* OSV ecosystem (without release) */
	const char *purl_type;
	unsigned permille;    /* share of the records */
};

/* Roughly osv.dev's mix, without the ecosystems shipgate's SBOMs rarely name. */
static const struct ecoinfo ecos[N_ECO] = {
	[E_NPM] = {"npm", "npm", 220},
	[E_PYPI] = {"PyPI", "pypi", 150},
	[E_MAVEN] = {"Maven", "maven", 90},
	[E_GO] = {"Go", "golang", 60},
	[E_CRATES] = {"crates.io", "cargo", 35},
	[E_RUBYGEMS] = {"RubyGems", "gem", 30},
	[E_NUGET] = {"NuGet", "nuget", 35},
	[E_DEBIAN] = {"Debian", "deb", 280},
	[E_ALPINE] = {"Alpine", "apk", 100},
};

static const char *const words_a[N_WORDS] = {
	"fast", "tiny", "simple", "secure", "easy", "super", "micro", "hyper", "open", "smart",
	"deep", "quick", "lazy", "pretty", "safe", "async", "native", "pure", "mini", "next",
	"auto", "cloud", "data", "http", "json", "yaml", "xml", "web", "net", "node",
	"core", "cli", "log", "test", "dev", "form", "date", "time", "text", "file",
};
static const char *const words_b[N_WORDS] = {
	"parser", "client", "server", "router", "logger", "cache", "config", "store", "utils", "helper",
	"loader", "builder", "mapper", "stream", "queue", "worker", "crypto", "auth", "session", "proxy",
	"render", "template", "schema", "validator", "formatter", "bundler", "compiler", "driver", "adapter",
	"plugin", "toolkit", "engine", "socket", "reader", "writer", "watcher", "scheduler", "tokenizer",
	"encoder", "sdk",
};
/* "" first: about one name in forty has two words only */
static const char *const words_c[N_WORDS] = {
	"", "core", "lite", "js", "plus", "ng", "x", "pro", "kit", "base",
	"common", "api", "extra", "next", "legacy", "v2", "native", "tools", "io", "contrib",
	"ext", "mini", "fast", "fx", "lib", "util", "sync", "rs", "go", "hub",
	"box", "lab", "node", "star", "wave", "spark", "flow", "bridge", "link", "mesh",
};

struct universe {
	unsigned vulnerable; /* packages 0..vulnerable-1 get records */
	unsigned size;       /* packages gen_sbom may name */
};

/* Sizes depend only on N, so the base and its revisions agree. */
static void universe_sizes(unsigned long long n, struct universe u[N_ECO])
{
	int e;

	for (e = 0; e < N_ECO; e++) {
		unsigned long long recs = n * ecos[e].permille / 1000;
		unsigned long long v = recs / 3 < 50 ? 50 : recs / 3;
		unsigned long long s = v * 6 < 3000 ? 3000 : v * 6;

		u[e].vulnerable = (unsigned)(v < MAX_UNIVERSE ? v : MAX_UNIVERSE);
		u[e].size = (unsigned)(s < MAX_UNIVERSE ? s : MAX_UNIVERSE);
	}
}

static uint64_t pkg_hash(int e, unsigned k)
{
	return mix64(((uint64_t)(unsigned)e << 32) ^ k ^ 0x504b47ull);
}

static void capitalize(char *dst, size_t len, const char *w)
{
	snprintf(dst, len, "%s", w);
	if (dst[0] >= 'a' && dst[0] <= 'z')
		dst[0] = (char)(dst[0] - 'a' + 'A');
}

/*
 * Package k of ecosystem e. Its three words come from a bijection of k, so
 * names are distinct within an ecosystem. osv_spelling: the name as the
 * advisory writes it (PyPI advisories keep the project's own spelling, e.g.
 * "Fast_Parser"; purls and matching use the PEP 503 form).
 */
static void pkg_name(int e, unsigned k, int osv_spelling, char *out, size_t len)
{
	/* 7919 is prime to 64000: k -> x is a permutation of 0..63999 */
	unsigned x = (unsigned)(((unsigned long long)k * 7919u + (unsigned)e * 104729u) % 64000u);
	const char *a = words_a[x % N_WORDS], *b = words_b[(x / N_WORDS) % N_WORDS];
	const char *c = words_c[x / (N_WORDS * N_WORDS)];
	uint64_t h = pkg_hash(e, k);
	int has_c = c[0] != '\0';
	char ca[32], cb[32], cc[32];

	switch (e) {
	case E_NPM:
		if (h % 100 < 15)
			snprintf(out, len, "@%s/%s%s%s", a, b, has_c ? "-" : "", c);
		else
			snprintf(out, len, "%s-%s%s%s", a, b, has_c ? "-" : "", c);
		break;
	case E_PYPI:
		if (osv_spelling && h % 100 < 20) {
			capitalize(ca, sizeof ca, a);
			capitalize(cb, sizeof cb, b);
			snprintf(out, len, "%s_%s%s%s", ca, cb, has_c ? "_" : "", c);
		} else {
			snprintf(out, len, "%s-%s%s%s", a, b, has_c ? "-" : "", c);
		}
		break;
	case E_MAVEN: {
		static const char *const dom[3] = {"org", "io", "com"};
		snprintf(out, len, "%s.%s:%s%s%s", dom[h % 3], a, b, has_c ? "-" : "", c);
		break;
	}
	case E_GO:
		snprintf(out, len, "%s/%s%s/%s%s%s", h % 10 < 8 ? "github.com" : "gitlab.com", a,
			 h % 4 == 0 ? "hq" : "", b, has_c ? "-" : "", c);
		break;
	case E_CRATES:
		snprintf(out, len, "%s_%s%s%s", a, b, has_c ? "_" : "", c);
		break;
	case E_RUBYGEMS:
		snprintf(out, len, "%s-%s%s%s", a, b, has_c ? "-" : "", c);
		break;
	case E_NUGET:
		capitalize(ca, sizeof ca, a);
		capitalize(cb, sizeof cb, b);
		capitalize(cc, sizeof cc, c);
		snprintf(out, len, "%s.%s%s%s", ca, cb, has_c ? "." : "", cc);
		break;
	case E_DEBIAN:
		snprintf(out, len, "%s%s-%s%s%s", h % 10 < 4 ? "lib" : "", a, b, has_c ? "-" : "", c);
		break;
	default:
		snprintf(out, len, "%s-%s%s%s", a, b, has_c ? "-" : "", c);
		break;
	}
}

/* The purl of package k without version or qualifiers (gen_sbom adds them). */
static void pkg_purl(int e, unsigned k, char *out, size_t len)
{
	char name[160], *colon;

	pkg_name(e, k, 0, name, sizeof name);
	switch (e) {
	case E_NPM:
		if (name[0] == '@')
			snprintf(out, len, "pkg:npm/%%40%s", name + 1);
		else
			snprintf(out, len, "pkg:npm/%s", name);
		break;
	case E_MAVEN:
		colon = strchr(name, ':');
		*colon = '/';
		snprintf(out, len, "pkg:maven/%s", name);
		break;
	case E_DEBIAN:
		snprintf(out, len, "pkg:deb/debian/%s", name);
		break;
	case E_ALPINE:
		snprintf(out, len, "pkg:apk/alpine/%s", name);
		break;
	default:
		snprintf(out, len, "pkg:%s/%s", ecos[e].purl_type, name);
		break;
	}
}

/* A package's releases, oldest first: mostly patch releases, some minor, a
 * few major (Go modules stay below v2, whose path would change). */
struct history {
	unsigned n; /* releases: 21..200 */
	/* one more: the release after the newest, for fixes not yet published */
	unsigned short major[MAX_HISTORY + 1], minor[MAX_HISTORY + 1], patch[MAX_HISTORY + 1];
	int epoch;  /* Debian: "1:" before every version */
	int final;  /* Maven: ".Final" after every version (JBoss style) */
	unsigned revision; /* Debian: "-1".."-3"; Alpine: "-r0".. */
};

static void history(int e, unsigned k, struct history *h)
{
	uint64_t ph = pkg_hash(e, k);
	struct rng g = {ph ^ 0x48495354ull};
	unsigned i, ma, mi = 0, pa = 0;

	h->n = 21 + below(&g, MAX_HISTORY - 20);
	ma = below(&g, 100) < 40 ? 0 : 1 + below(&g, 3);
	if (e == E_DEBIAN || e == E_ALPINE)
		ma = 1 + below(&g, 8);
	if (e == E_GO && ma > 1)
		ma = 1;
	h->epoch = e == E_DEBIAN && below(&g, 100) < 5;
	h->final = e == E_MAVEN && below(&g, 100) < 10;
	h->revision = below(&g, 3);
	mi = below(&g, 5);
	for (i = 0; i <= h->n; i++) {
		h->major[i] = (unsigned short)ma;
		h->minor[i] = (unsigned short)mi;
		h->patch[i] = (unsigned short)pa;
		{
			unsigned r = below(&g, 100);
			if (r < 4 && !(e == E_GO && ma >= 1)) {
				ma++;
				mi = pa = 0;
			} else if (r < 25) {
				mi++;
				pa = 0;
			} else {
				pa++;
			}
		}
	}
}

/* Release j as the ecosystem spells it; purl: the SBOM's spelling (Go's "v"). */
static void version(int e, const struct history *h, unsigned j, int purl, char *out, size_t len)
{
	unsigned ma = h->major[j], mi = h->minor[j], pa = h->patch[j];

	switch (e) {
	case E_GO:
		snprintf(out, len, "%s%u.%u.%u", purl ? "v" : "", ma, mi, pa);
		break;
	case E_MAVEN:
		snprintf(out, len, "%u.%u.%u%s", ma, mi, pa, h->final ? ".Final" : "");
		break;
	case E_DEBIAN:
		/* purls percent-encode the epoch's ':' as syft writes them */
		snprintf(out, len, "%s%u.%u.%u-%u", h->epoch ? (purl ? "1%3A" : "1:") : "", ma, mi, pa,
			 1 + h->revision);
		break;
	case E_ALPINE:
		snprintf(out, len, "%u.%u.%u-r%u", ma, mi, pa, h->revision);
		break;
	default:
		snprintf(out, len, "%u.%u.%u", ma, mi, pa);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* vulnerabilities and their records                                   */
/* ------------------------------------------------------------------ */

enum kind { K_GHSA, K_PYSEC, K_GO, K_RUSTSEC, K_DEBIAN_CVE, K_DSA, K_DLA, K_ALPINE };
enum end { END_FIXED, END_LAST_AFFECTED, END_NONE };

struct range_spec {
	unsigned a, b;   /* introduced at release a (0: "0"), fixed at release b */
	enum end end;
};

struct aff_spec {
	unsigned k;      /* package */
	unsigned release; /* Debian 10..13, Alpine minor 17..20; 0 elsewhere */
	unsigned n_ranges;
	struct range_spec r[2];
	int versions_list;
};

#define MAX_AFF 3

struct vuln {
	int eco;
	unsigned long long number; /* the vulnerability's sequence number */
	int has_cve;
	unsigned cve_year, cve_num;
	unsigned weakness;
	char cvss[96];     /* "" when the advisory gives no vector */
	double score;
	unsigned pub_y, pub_m, pub_d, mod_y, mod_m, mod_d;
	int withdrawn;
	unsigned n_aff;
	struct aff_spec aff[MAX_AFF];
	char ghsa[24];
};

struct weakness {
	const char *name;
	unsigned cwe;
	const char *what;
};

static const struct weakness weaknesses[] = {
	{"Cross-site Scripting", 79, "does not neutralise user-controlled input before it is placed in output that is served as a web page"},
	{"Prototype Pollution", 1321, "lets an attacker add or modify properties of Object.prototype through a crafted \"__proto__\" key"},
	{"Regular Expression Denial of Service", 1333, "uses a regular expression with catastrophic backtracking on crafted input"},
	{"Path Traversal", 22, "builds file paths from input that may contain \"../\" or \"..\\\\\" sequences"},
	{"SQL Injection", 89, "concatenates user input into SQL queries"},
	{"Command Injection", 78, "passes unsanitised arguments to a shell"},
	{"Improper Input Validation", 20, "does not validate the length of a header before copying it"},
	{"Uncontrolled Resource Consumption", 400, "allocates memory proportional to an attacker-controlled size field"},
	{"Deserialization of Untrusted Data", 502, "deserialises objects from untrusted streams without a type allow-list"},
	{"Server-Side Request Forgery", 918, "fetches URLs supplied by the client, including internal addresses"},
	{"Out-of-bounds Write", 787, "writes past the end of a heap buffer when decoding malformed input"},
	{"Use After Free", 416, "uses a connection object after it was released on an error path"},
	{"Improper Certificate Validation", 295, "accepts TLS certificates whose host name does not match"},
	{"Open Redirect", 601, "redirects to a URL taken from a query parameter without checking its host"},
	{"XML External Entity Reference", 611, "resolves external entities in untrusted XML documents"},
	{"Integer Overflow", 190, "computes a buffer size that may wrap around on 32-bit platforms"},
};
#define N_WEAKNESSES (sizeof weaknesses / sizeof weaknesses[0])

/* CVSS v3.1 base score (specification section 7.1), rounded up to tenths. */
static double cvss_score(unsigned av, unsigned ac, unsigned pr, unsigned ui, unsigned s, unsigned c, unsigned i,
			 unsigned a)
{
	static const double w_av[4] = {0.85, 0.62, 0.55, 0.2}, w_ac[2] = {0.77, 0.44};
	static const double w_pr_u[3] = {0.85, 0.62, 0.27}, w_pr_c[3] = {0.85, 0.68, 0.5};
	static const double w_ui[2] = {0.85, 0.62}, w_cia[3] = {0.56, 0.22, 0.0};
	double iss = 1 - (1 - w_cia[c]) * (1 - w_cia[i]) * (1 - w_cia[a]);
	double p15 = 1, impact, expl, base;
	long tenths;
	int k;

	/* (iss - 0.02)^15 without libm: the tools link against libc only */
	for (k = 0; k < 15; k++)
		p15 *= iss - 0.02;
	impact = s ? 7.52 * (iss - 0.029) - 3.25 * p15 : 6.42 * iss;
	expl = 8.22 * w_av[av] * w_ac[ac] * (s ? w_pr_c[pr] : w_pr_u[pr]) * w_ui[ui];
	if (impact <= 0)
		return 0;
	base = s ? 1.08 * (impact + expl) : impact + expl;
	if (base > 10)
		base = 10;
	/* round up to one decimal (the specification's Roundup) */
	tenths = (long)(base * 10 - 1e-9);
	if ((double)tenths < base * 10 - 1e-9)
		tenths++;
	return (double)tenths / 10;
}

static void make_cvss(struct rng *g, struct vuln *v)
{
	static const char av_c[4] = {'N', 'A', 'L', 'P'}, ac_c[2] = {'L', 'H'}, pr_c[3] = {'N', 'L', 'H'};
	static const char ui_c[2] = {'N', 'R'}, s_c[2] = {'U', 'C'}, cia_c[3] = {'H', 'L', 'N'};
	/* network attacks and high impact dominate real advisories */
	unsigned av = below(g, 100) < 75 ? 0 : 1 + below(g, 3), ac = below(g, 100) < 80 ? 0 : 1;
	unsigned pr = below(g, 3), ui = below(g, 2), s = below(g, 100) < 15;
	unsigned c = below(g, 3), i = below(g, 3), a = below(g, 3);

	if (c == 2 && i == 2 && a == 2)
		a = 0;
	snprintf(v->cvss, sizeof v->cvss, "CVSS:%s/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c",
		 below(g, 100) < 80 ? "3.1" : "3.0", av_c[av], ac_c[ac], pr_c[pr], ui_c[ui], s_c[s], cia_c[c],
		 cia_c[i], cia_c[a]);
	v->score = cvss_score(av, ac, pr, ui, s, c, i, a);
}

static const char *severity_word(double score)
{
	if (score >= 9.0)
		return "CRITICAL";
	if (score >= 7.0)
		return "HIGH";
	if (score >= 4.0)
		return "MODERATE";
	return "LOW";
}

/* A popular package carries many advisories: skewed towards small k. */
static unsigned pick_vulnerable(struct rng *g, const struct universe *u)
{
	double x = unit(g);
	unsigned k = (unsigned)(x * x * u->vulnerable);

	return k < u->vulnerable ? k : u->vulnerable - 1;
}

/* One range inside a package's history. Distributions need a >= 2 release
 * gap, so that the release before the fix (patched as +debNNuM) exists. */
static void make_range(struct rng *g, int e, unsigned n_hist, unsigned lo, unsigned hi, struct range_spec *r,
		       int allow_open)
{
	unsigned gap = (e == E_DEBIAN) ? 2 : 1, span;

	if (hi < lo + gap + 1)
		hi = lo + gap + 1;
	if (hi > n_hist)
		hi = n_hist;
	if (lo + gap > hi)
		lo = hi - gap;
	span = hi - lo;
	r->a = (lo == 0 && chance(g, 50)) ? 0 : lo + below(g, span - gap > 1 ? (span - gap) / 2 : 1);
	r->b = r->a + gap + below(g, hi - r->a - gap + 1);
	if (r->b > n_hist)
		r->b = n_hist;
	r->end = END_FIXED;
	if (allow_open && chance(g, e == E_DEBIAN ? 4 : 2))
		r->end = END_NONE;
	else if (e != E_DEBIAN && e != E_ALPINE && chance(g, 4))
		r->end = END_LAST_AFFECTED;
}

static void ghsa_id(struct rng *g, char *out, size_t len)
{
	static const char alphabet[] = "23456789cfghjmpqrvwx";
	char p[12];
	int i;

	for (i = 0; i < 12; i++)
		p[i] = alphabet[below(g, 20)];
	snprintf(out, len, "GHSA-%.4s-%.4s-%.4s", p, p + 4, p + 8);
}

static int pick_eco(struct rng *g)
{
	unsigned x = below(g, 1000), acc = 0;
	int e;

	for (e = 0; e < N_ECO; e++) {
		acc += ecos[e].permille;
		if (x < acc)
			return e;
	}
	return E_NPM;
}

static void make_vuln(uint64_t seed, unsigned long long number, const struct universe u[N_ECO], struct vuln *v)
{
	struct rng g = {mix64(seed ^ 0x56554c4eull) ^ mix64(number)};
	struct history h;
	unsigned i;
	int e;

	memset(v, 0, sizeof *v);
	v->number = number;
	v->eco = e = pick_eco(&g);
	v->has_cve = e == E_DEBIAN || e == E_ALPINE || chance(&g, 90);
	v->cve_year = 2015 + below(&g, 10);
	/* one number per vulnerability (so ids built on it are distinct),
	 * above what the corpus uses, so that no generated record takes the
	 * identity of a real one */
	v->cve_num = 60000 + (unsigned)number;
	v->weakness = below(&g, N_WEAKNESSES);
	if (chance(&g, 85))
		make_cvss(&g, v);
	else
		v->score = 1.0 + below(&g, 90) / 10.0;
	v->pub_y = v->cve_year + (below(&g, 100) < 70 ? 0 : 1);
	if (v->pub_y > 2024)
		v->pub_y = 2024;
	v->pub_m = 1 + below(&g, 12);
	v->pub_d = 1 + below(&g, 28);
	/* modified a year or two after publication, never after 2024 */
	v->mod_y = v->pub_y + 1 + below(&g, 2);
	v->mod_m = 1 + below(&g, 12);
	v->mod_d = 1 + below(&g, 28);
	if (v->mod_y > 2024) {
		v->mod_y = 2024;
		v->mod_m = 12;
		v->mod_d = 28;
	}
	v->withdrawn = chance(&g, 1);
	ghsa_id(&g, v->ghsa, sizeof v->ghsa);

	v->aff[0].k = pick_vulnerable(&g, &u[e]);
	history(e, v->aff[0].k, &h);
	v->n_aff = 1;
	if (e == E_DEBIAN || e == E_ALPINE) {
		/* one entry per release the flaw was triaged for */
		unsigned first = e == E_DEBIAN ? 11 : 17, n_rel = e == E_DEBIAN ? 3 : 4, n = 1 + below(&g, 3);
		unsigned start = below(&g, n_rel - n + 1);

		make_range(&g, e, h.n, 0, h.n, &v->aff[0].r[0], 1);
		v->aff[0].n_ranges = 1;
		/* osv.dev enumerates the affected versions of distribution records */
		v->aff[0].versions_list = e == E_DEBIAN && chance(&g, 70);
		v->aff[0].release = first + start;
		for (i = 1; i < n; i++) {
			v->aff[i] = v->aff[0];
			v->aff[i].release = first + start + i;
		}
		v->n_aff = n;
		return;
	}
	{
		unsigned r = below(&g, 100);
		/* GHSA splits a package's lines over entries, or names siblings */
		if (r < 12 && h.n >= 40) {
			make_range(&g, e, h.n, 0, h.n / 2, &v->aff[0].r[0], 0);
			v->aff[0].n_ranges = 1;
			v->aff[1].k = v->aff[0].k;
			make_range(&g, e, h.n, h.n / 2 + 1, h.n, &v->aff[1].r[0], 0);
			v->aff[1].n_ranges = 1;
			v->n_aff = 2;
		} else {
			make_range(&g, e, h.n, 0, h.n, &v->aff[0].r[0], 1);
			v->aff[0].n_ranges = 1;
			v->n_aff = r < 18 ? 2 : r < 25 ? 3 : 1;
			for (i = 1; i < v->n_aff; i++) {
				struct history hi;
				v->aff[i].k = pick_vulnerable(&g, &u[e]);
				history(e, v->aff[i].k, &hi);
				make_range(&g, e, hi.n, 0, hi.n, &v->aff[i].r[0], 0);
				v->aff[i].n_ranges = 1;
			}
		}
		for (i = 0; i < v->n_aff; i++)
			v->aff[i].versions_list = chance(&g, 30);
	}
}

/* The records a vulnerability yields: GHSA alone, the ecosystem's own
 * database alone, or both (twins that name each other). */
static unsigned record_kinds(uint64_t seed, const struct vuln *v, enum kind kinds[2])
{
	struct rng g = {mix64(seed ^ 0x4b494e44ull) ^ mix64(v->number)};
	unsigned r = below(&g, 100);

	switch (v->eco) {
	case E_PYPI:
		if (r < 40) {
			kinds[0] = K_GHSA;
			kinds[1] = K_PYSEC;
			return 2;
		}
		kinds[0] = r < 70 ? K_PYSEC : K_GHSA;
		return 1;
	case E_GO:
		if (r < 50) {
			kinds[0] = K_GHSA;
			kinds[1] = K_GO;
			return 2;
		}
		kinds[0] = r < 90 ? K_GO : K_GHSA;
		return 1;
	case E_CRATES:
		if (r < 30) {
			kinds[0] = K_GHSA;
			kinds[1] = K_RUSTSEC;
			return 2;
		}
		kinds[0] = r < 90 ? K_RUSTSEC : K_GHSA;
		return 1;
	case E_DEBIAN:
		kinds[0] = r < 70 ? K_DEBIAN_CVE : r < 85 ? K_DSA : K_DLA;
		return 1;
	case E_ALPINE:
		kinds[0] = K_ALPINE;
		return 1;
	default:
		kinds[0] = K_GHSA;
		return 1;
	}
}

/* Per-database sequence numbers, above the ones real records use. */
struct counters {
	unsigned pysec, go, rustsec, dsa, dla;
};

static void record_id(enum kind kind, const struct vuln *v, struct counters *c, char *out, size_t len)
{
	switch (kind) {
	case K_GHSA:
		snprintf(out, len, "%s", v->ghsa);
		break;
	case K_PYSEC:
		snprintf(out, len, "PYSEC-%u-%u", v->pub_y, 10000 + c->pysec++);
		break;
	case K_GO:
		snprintf(out, len, "GO-%u-%u", v->pub_y, 10000 + c->go++);
		break;
	case K_RUSTSEC:
		snprintf(out, len, "RUSTSEC-%u-%u", v->pub_y, 10000 + c->rustsec++);
		break;
	case K_DEBIAN_CVE:
		snprintf(out, len, "DEBIAN-CVE-%u-%u", v->cve_year, v->cve_num);
		break;
	case K_DSA:
		snprintf(out, len, "DSA-%u-1", 10000 + c->dsa++);
		break;
	case K_DLA:
		snprintf(out, len, "DLA-%u-1", 10000 + c->dla++);
		break;
	default:
		snprintf(out, len, "ALPINE-CVE-%u-%u", v->cve_year, v->cve_num);
		break;
	}
}

/* What a later revision changes (--revision). */
struct revision {
	unsigned r;         /* 0: the base record */
	int move_fix;       /* the fix is in the next release */
	int move_introduced;
	int incomplete;     /* the fix was incomplete: fixed after the newest release */
	int withdraw;
};

static void make_revision(uint64_t seed, unsigned long long index, unsigned r, struct revision *rev)
{
	struct rng g = {mix64(seed ^ 0x52455649ull) ^ mix64(index) ^ mix64(r)};
	unsigned x = below(&g, 100);

	memset(rev, 0, sizeof *rev);
	rev->r = r;
	if (r == 0)
		return;
	rev->move_fix = x < 45;
	rev->move_introduced = x >= 45 && x < 70;
	rev->incomplete = x >= 70 && x < 80;
	rev->withdraw = x >= 80 && x < 85;
}

static void apply_revision(const struct revision *rev, struct vuln *v)
{
	unsigned i, j;

	if (rev->withdraw)
		v->withdrawn = 1;
	for (i = 0; i < v->n_aff; i++) {
		struct history h;
		history(v->eco, v->aff[i].k, &h);
		for (j = 0; j < v->aff[i].n_ranges; j++) {
			struct range_spec *r = &v->aff[i].r[j];
			if (rev->move_fix && r->b < h.n - 1)
				r->b++;
			/* the newest release, which SBOMs mostly name, is affected now */
			if (rev->incomplete && r->end != END_NONE) {
				r->b = h.n;
				r->end = END_FIXED;
			}
			if (rev->move_introduced && r->a + 3 < r->b)
				r->a++;
		}
	}
}

static void date(char *out, size_t len, unsigned y, unsigned m, unsigned d, unsigned long long salt)
{
	snprintf(out, len, "%04u-%02u-%02uT%02llu:%02llu:%02lluZ", y, m, d, salt % 24, salt / 24 % 60,
		 salt / 1440 % 60);
}

static void write_events(struct out *o, int e, enum kind kind, const struct history *h,
			 const struct range_spec *r, unsigned release)
{
	char ver[96], fixed[128];

	key(o, "events");
	arr(o);
	obj(o);
	if (r->a == 0)
		kv_str(o, "introduced", kind == K_RUSTSEC ? "0.0.0-0" : "0");
	else {
		version(e, h, r->a, 0, ver, sizeof ver);
		kv_str(o, "introduced", ver);
	}
	obj_end(o);
	if (r->end != END_NONE) {
		obj(o);
		if (r->end == END_LAST_AFFECTED) {
			version(e, h, r->b - 1, 0, ver, sizeof ver);
			kv_str(o, "last_affected", ver);
		} else if (e == E_DEBIAN && release < 13) {
			/* stable releases get the fix as a patched older upstream */
			version(e, h, r->b - 1, 0, ver, sizeof ver);
			snprintf(fixed, sizeof fixed, "%s+deb%uu%u", ver, release, 1 + r->b % 3);
			kv_str(o, "fixed", fixed);
		} else {
			/* b may be n: the release after the newest one SBOMs name */
			version(e, h, r->b, 0, ver, sizeof ver);
			kv_str(o, "fixed", ver);
		}
		obj_end(o);
	}
	arr_end(o);
}

static void write_affected(struct out *o, enum kind kind, const struct vuln *v, const struct aff_spec *a)
{
	int e = v->eco;
	struct history h;
	char name[160], purl[200], eco[32], ver[96];
	unsigned i, j, last;

	history(e, a->k, &h);
	pkg_name(e, a->k, 1, name, sizeof name);
	pkg_purl(e, a->k, purl, sizeof purl);
	if (e == E_DEBIAN)
		snprintf(eco, sizeof eco, "Debian:%u", a->release);
	else if (e == E_ALPINE)
		snprintf(eco, sizeof eco, "Alpine:v3.%u", a->release);
	else
		snprintf(eco, sizeof eco, "%s", ecos[e].osv);

	obj(o);
	key(o, "package");
	obj(o);
	kv_str(o, "ecosystem", eco);
	kv_str(o, "name", name);
	if (kind != K_DEBIAN_CVE && kind != K_DSA && kind != K_DLA)
		kv_str(o, "purl", purl);
	obj_end(o);
	key(o, "ranges");
	arr(o);
	for (i = 0; i < a->n_ranges; i++) {
		obj(o);
		kv_str(o, "type", (kind == K_GO || kind == K_RUSTSEC || (kind == K_GHSA && e == E_GO)) ? "SEMVER"
												  : "ECOSYSTEM");
		write_events(o, e, kind, &h, &a->r[i], a->release);
		obj_end(o);
	}
	arr_end(o);
	if ((a->versions_list && kind != K_GO && kind != K_RUSTSEC) || kind == K_PYSEC) {
		key(o, "versions");
		arr(o);
		for (i = 0; i < a->n_ranges; i++) {
			last = a->r[i].end == END_NONE ? h.n : a->r[i].b;
			for (j = a->r[i].a; j < last && j < h.n; j++) {
				version(e, &h, j, 0, ver, sizeof ver);
				str(o, ver);
			}
		}
		arr_end(o);
	}
	if (kind == K_GO) {
		key(o, "ecosystem_specific");
		obj(o);
		key(o, "imports");
		arr(o);
		obj(o);
		kv_str(o, "path", name);
		key(o, "symbols");
		arr(o);
		str(o, "Parse");
		str(o, "(*Decoder).Decode");
		arr_end(o);
		obj_end(o);
		arr_end(o);
		obj_end(o);
	} else if (kind == K_RUSTSEC) {
		key(o, "ecosystem_specific");
		obj(o);
		key(o, "affects");
		obj(o);
		key(o, "arch");
		raw(o, "[]");
		key(o, "os");
		raw(o, "[]");
		key(o, "functions");
		arr(o);
		snprintf(purl, sizeof purl, "%s::decode", name);
		str(o, purl);
		arr_end(o);
		obj_end(o);
		obj_end(o);
		key(o, "database_specific");
		obj(o);
		key(o, "categories");
		arr(o);
		str(o, "memory-corruption");
		arr_end(o);
		if (v->cvss[0] && v->number % 3 == 0) {
			kv_str(o, "cvss", v->cvss);
		} else {
			key(o, "cvss");
			raw(o, "null");
		}
		key(o, "informational");
		raw(o, "null");
		obj_end(o);
	} else if (kind == K_DEBIAN_CVE || kind == K_DSA || kind == K_DLA) {
		key(o, "ecosystem_specific");
		obj(o);
		kv_str(o, "urgency", v->score >= 7 ? "high" : "not yet assigned");
		obj_end(o);
	} else if (kind == K_GHSA) {
		key(o, "database_specific");
		obj(o);
		snprintf(purl, sizeof purl,
			 "https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/%u/%02u/%s/%s.json",
			 v->pub_y, v->pub_m, v->ghsa, v->ghsa);
		kv_str(o, "source", purl);
		obj_end(o);
	}
	obj_end(o);
}

static void write_details(struct out *o, const struct vuln *v, const char *name, const struct revision *rev)
{
	const struct weakness *w = &weaknesses[v->weakness];
	char text[2048];
	size_t n;

	n = (size_t)snprintf(text, sizeof text,
			     "### Impact\n%s %s. An attacker who controls the input can exploit this remotely; "
			     "see CWE-%u (%s).\n\n### Patches\nUpgrade to the fixed version listed below. Users who "
			     "cannot upgrade should validate \"untrusted\" input before passing it to `%s`.\n\n"
			     "### Workarounds\nNone known.\n",
			     name, w->what, w->cwe, w->name, name);
	if (v->number % 7 == 0 && n < sizeof text)
		snprintf(text + n, sizeof text - n,
			 "\nThanks to Zo\xc3\xab Br\xc3\xbc" "ckner for reporting this (C:\\temp\\poc.txt attached).\n");
	if (rev->r > 0) {
		n = strlen(text);
		snprintf(text + n, sizeof text - n, "\n_Revision %u: ranges corrected after maintainer review._\n",
			 rev->r);
	}
	kv_str(o, "details", text);
}

static void write_references(struct out *o, const struct vuln *v, const char *name, uint64_t h)
{
	char url[320];

	key(o, "references");
	arr(o);
	if (v->has_cve) {
		obj(o);
		kv_str(o, "type", "ADVISORY");
		snprintf(url, sizeof url, "https://nvd.nist.gov/vuln/detail/CVE-%u-%u", v->cve_year, v->cve_num);
		kv_str(o, "url", url);
		obj_end(o);
	}
	obj(o);
	kv_str(o, "type", "FIX");
	snprintf(url, sizeof url, "https://github.com/example/%s/commit/%016llx%016llx%08llx", name,
		 (unsigned long long)mix64(h), (unsigned long long)mix64(h + 1), (unsigned long long)(h & 0xffffffffu));
	kv_str(o, "url", url);
	obj_end(o);
	obj(o);
	kv_str(o, "type", "WEB");
	snprintf(url, sizeof url, "https://github.com/example/%s/issues/%llu", name, (unsigned long long)(h % 5000));
	kv_str(o, "url", url);
	obj_end(o);
	obj(o);
	kv_str(o, "type", "PACKAGE");
	snprintf(url, sizeof url, "https://example.org/packages/%s", name);
	kv_str(o, "url", url);
	obj_end(o);
	arr_end(o);
}

static void write_record(struct out *o, enum kind kind, const char *id, const struct vuln *v,
			 const char *twin_ghsa, const struct revision *rev)
{
	const struct weakness *w = &weaknesses[v->weakness];
	char name[160], buf[256], cve[32], modified[40];
	unsigned i, n_aff = v->n_aff;
	int is_distro = kind == K_DEBIAN_CVE || kind == K_DSA || kind == K_DLA || kind == K_ALPINE;

	pkg_name(v->eco, v->aff[0].k, 1, name, sizeof name);
	snprintf(cve, sizeof cve, "CVE-%u-%u", v->cve_year, v->cve_num);
	/* the ecosystem databases list the main package only */
	if (kind == K_PYSEC || kind == K_RUSTSEC)
		n_aff = 1;
	/* DSA and DLA are per release: one entry, the first release triaged */
	if (kind == K_DSA || kind == K_DLA)
		n_aff = 1;

	obj(o);
	kv_str(o, "schema_version", kind == K_GO ? "1.3.1" : "1.6.0");
	kv_str(o, "id", id);
	/* revisions are from 2025, after every base record */
	if (rev->r > 0)
		date(modified, sizeof modified, 2025, 1 + (rev->r - 1) / 28 % 12, 1 + (rev->r - 1) % 28, v->number);
	else
		date(modified, sizeof modified, v->mod_y, v->mod_m, v->mod_d, v->number);
	kv_str(o, "modified", modified);
	date(buf, sizeof buf, v->pub_y, v->pub_m, v->pub_d, v->number + 7);
	kv_str(o, "published", buf);
	/* withdrawing is the record's last modification */
	if (v->withdrawn)
		kv_str(o, "withdrawn", modified);
	if (is_distro) {
		/* distributions name the CVE as upstream, not as an alias */
		key(o, "upstream");
		arr(o);
		str(o, cve);
		arr_end(o);
	} else {
		key(o, "aliases");
		arr(o);
		if (v->has_cve)
			str(o, cve);
		if (twin_ghsa)
			str(o, twin_ghsa);
		arr_end(o);
	}
	if (kind == K_DSA || kind == K_DLA) {
		snprintf(buf, sizeof buf, "%s - security update", name);
		kv_str(o, "summary", buf);
	} else if (!is_distro) {
		snprintf(buf, sizeof buf, "%s in %s", w->name, name);
		kv_str(o, "summary", buf);
	}
	write_details(o, v, name, rev);
	if (v->cvss[0] && (kind == K_GHSA || (kind == K_RUSTSEC && v->number % 3 == 0))) {
		key(o, "severity");
		arr(o);
		obj(o);
		kv_str(o, "type", "CVSS_V3");
		kv_str(o, "score", v->cvss);
		obj_end(o);
		arr_end(o);
	}
	key(o, "affected");
	arr(o);
	for (i = 0; i < n_aff; i++)
		write_affected(o, kind, v, &v->aff[i]);
	arr_end(o);
	write_references(o, v, name, mix64(v->number));
	if (kind == K_GHSA) {
		key(o, "database_specific");
		obj(o);
		key(o, "cwe_ids");
		arr(o);
		snprintf(buf, sizeof buf, "CWE-%u", w->cwe);
		str(o, buf);
		arr_end(o);
		key(o, "github_reviewed");
		raw(o, "true");
		date(buf, sizeof buf, v->pub_y, v->pub_m, v->pub_d, v->number + 3);
		kv_str(o, "github_reviewed_at", buf);
		kv_str(o, "nvd_published_at", buf);
		kv_str(o, "severity", severity_word(v->score));
		obj_end(o);
	} else if (kind == K_GO) {
		key(o, "database_specific");
		obj(o);
		snprintf(buf, sizeof buf, "https://pkg.go.dev/vuln/%s", id);
		kv_str(o, "url", buf);
		kv_str(o, "review_status", "REVIEWED");
		obj_end(o);
	} else if (kind == K_RUSTSEC) {
		key(o, "database_specific");
		obj(o);
		kv_str(o, "license", "CC0-1.0");
		obj_end(o);
	}
	obj_end(o);
	put_c(o, '\n');
}

/* ------------------------------------------------------------------ */
/* the universe file for gen_sbom                                      */
/* ------------------------------------------------------------------ */

struct pkg_state {
	unsigned records;
	int affected;        /* a release some applicable record affects; -1: none */
	char record[96];     /* that record */
};

/* The SBOM is of Debian 12 and Alpine 3.19: only entries of those releases
 * apply to its distribution packages. */
static void note_record(struct pkg_state *ps[N_ECO], const struct universe u[N_ECO], uint64_t seed,
			const struct vuln *v, const char *id, enum kind kind)
{
	unsigned i, n_aff = (kind == K_PYSEC || kind == K_RUSTSEC || kind == K_DSA || kind == K_DLA) ? 1 : v->n_aff;

	for (i = 0; i < n_aff; i++) {
		const struct aff_spec *a = &v->aff[i];
		const struct range_spec *r = &a->r[0];
		struct pkg_state *p = &ps[v->eco][a->k];
		struct history h;
		struct rng g = {mix64(seed ^ 0x4146464full) ^ mix64(v->number)};
		unsigned lo, hi;

		if (a->k >= u[v->eco].size)
			continue;
		if (i == 0 || a->k != v->aff[0].k)
			p->records++;
		if (p->affected >= 0 || v->withdrawn)
			continue;
		if ((v->eco == E_DEBIAN && a->release != 12) || (v->eco == E_ALPINE && a->release != 19))
			continue;
		history(v->eco, a->k, &h);
		lo = r->a;
		/* fixed / last_affected at b: releases a..b-1 are affected
		 * (a..b-2 for Debian stable, fixed in a patched b-1) */
		hi = r->end == END_NONE ? h.n : (v->eco == E_DEBIAN ? r->b - 1 : r->b);
		if (hi > h.n)
			hi = h.n;
		if (hi <= lo)
			continue;
		p->affected = (int)(lo + below(&g, hi - lo));
		snprintf(p->record, sizeof p->record, "%s", id);
	}
}

static int write_universe(const char *path, struct pkg_state *ps[N_ECO], const struct universe u[N_ECO])
{
	FILE *f = fopen(path, "w");
	struct history h;
	char purl[200], cur[96], old[96], aff[96];
	unsigned k;
	int e;

	if (!f) {
		fprintf(stderr, "gen_osv: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fputs("# ecosystem\tpurl\tnewest\tolder\taffected\trecord\trecords\n", f);
	for (e = 0; e < N_ECO; e++)
		for (k = 0; k < u[e].size; k++) {
			const struct pkg_state *p = &ps[e][k];
			history(e, k, &h);
			pkg_purl(e, k, purl, sizeof purl);
			version(e, &h, h.n - 1, 1, cur, sizeof cur);
			version(e, &h, h.n / 2, 1, old, sizeof old);
			if (p->affected >= 0)
				version(e, &h, (unsigned)p->affected, 1, aff, sizeof aff);
			fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%u\n", ecos[e].osv, purl, cur, old,
				p->affected >= 0 ? aff : "-", p->affected >= 0 ? p->record : "-", p->records);
		}
	if (fclose(f) != 0) {
		fprintf(stderr, "gen_osv: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
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
	fputs("usage: gen_osv N OUTDIR [--seed S] [--universe FILE] [--revision R [--every M]]\n", stderr);
	exit(2);
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen_osv: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n = 0, seed = 1, revision = 0, every = 50, index = 0, written = 0, number;
	const char *dir = NULL, *universe_path = NULL;
	struct universe u[N_ECO];
	struct pkg_state *ps[N_ECO];
	struct counters ctr;
	struct out o;
	char path[4096];
	int have_n = 0, e, rc = 0;

	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];
		unsigned long long *dst = NULL;

		if (strcmp(arg, "--seed") == 0)
			dst = &seed;
		else if (strcmp(arg, "--revision") == 0)
			dst = &revision;
		else if (strcmp(arg, "--every") == 0)
			dst = &every;
		if (dst) {
			if (a + 1 >= argc || parse_u64(argv[a + 1], UINT64_MAX, dst) != 0) {
				fprintf(stderr, "gen_osv: %s needs a non-negative integer\n", arg);
				usage();
			}
			a++;
		} else if (strcmp(arg, "--universe") == 0) {
			if (a + 1 >= argc)
				usage();
			universe_path = argv[++a];
		} else if (arg[0] == '-' && arg[1] == '-') {
			fprintf(stderr, "gen_osv: unknown option %s\n", arg);
			usage();
		} else if (!have_n) {
			if (parse_u64(arg, 10000000ull, &n) != 0) {
				fputs("gen_osv: N must be an integer in 0..10000000\n", stderr);
				usage();
			}
			have_n = 1;
		} else if (!dir) {
			dir = arg;
		} else {
			usage();
		}
	}
	if (!have_n || !dir || every == 0 || revision > 336)
		usage();
	if (universe_path && revision > 0) {
		fputs("gen_osv: --universe describes the base database: leave out --revision\n", stderr);
		return 2;
	}

	universe_sizes(n, u);
	for (e = 0; e < N_ECO; e++) {
		ps[e] = calloc(u[e].size, sizeof *ps[e]);
		if (!ps[e]) {
			fputs("gen_osv: out of memory\n", stderr);
			return 1;
		}
		for (unsigned k = 0; k < u[e].size; k++)
			ps[e][k].affected = -1;
	}
	if (make_dir(dir))
		return 1;
	for (e = 0; e < N_ECO; e++) {
		snprintf(path, sizeof path, "%s/%s", dir, ecos[e].osv);
		if (make_dir(path))
			return 1;
	}
	memset(&o, 0, sizeof o);
	o.cap = OUT_CAP;
	o.tool = "gen_osv";
	o.buf = malloc(OUT_CAP);
	if (!o.buf) {
		fputs("gen_osv: out of memory\n", stderr);
		return 1;
	}
	memset(&ctr, 0, sizeof ctr);

	for (number = 0; index < n; number++) {
		struct vuln v;
		enum kind kinds[2];
		unsigned n_kinds, i;
		char ids[2][48];

		make_vuln(seed, number, u, &v);
		n_kinds = record_kinds(seed, &v, kinds);
		/* security announcements are per release: stable, or LTS */
		if (kinds[0] == K_DSA || kinds[0] == K_DLA) {
			v.aff[0].release = kinds[0] == K_DSA ? 12 : 11;
			v.n_aff = 1;
		}
		for (i = 0; i < n_kinds; i++)
			record_id(kinds[i], &v, &ctr, ids[i], sizeof ids[i]);
		for (i = 0; i < n_kinds && index < n; i++, index++) {
			struct revision rev;
			struct vuln rv = v;
			FILE *f;

			if (universe_path)
				note_record(ps, u, seed, &v, ids[i], kinds[i]);
			if (revision > 0 && index % every != 0)
				continue;
			make_revision(seed, index, (unsigned)revision, &rev);
			apply_revision(&rev, &rv);
			snprintf(path, sizeof path, "%s/%s/%s.json", dir, ecos[v.eco].osv, ids[i]);
			f = fopen(path, "wb");
			if (!f) {
				fprintf(stderr, "gen_osv: %s: %s\n", path, strerror(errno));
				return 1;
			}
			o.f = f;
			o.depth = 0;
			o.after_key = 0;
			/* a twin names the GHSA record of the same flaw */
			write_record(&o, kinds[i], ids[i], &rv, (i == 1 && kinds[0] == K_GHSA) ? ids[0] : NULL,
				     &rev);
			out_flush(&o);
			if (o.failed || fclose(f) != 0) {
				fprintf(stderr, "gen_osv: write to %s failed: %s\n", path, strerror(errno));
				return 1;
			}
			written++;
		}
	}
	free(o.buf);
	if (universe_path)
		rc = write_universe(universe_path, ps, u);
	for (e = 0; e < N_ECO; e++)
		free(ps[e]);
	fprintf(stderr, "gen_osv: %llu records written to %s (%llu vulnerabilities)\n", written, dir, number);
	return rc;
}
