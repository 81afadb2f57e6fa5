/*
 * sca/version: the SemVer, npm, Go, NuGet and RubyGems orders
 * (FORMATS.md sections 5 and 6), through the public sg_version_compare.
 *
 * Every vector of osv-scalibr's semver-versions.txt (under SEMVER, npm and
 * Go), nuget-versions.txt, rubygems-versions.txt and
 * rubygems-versions-generated.txt runs. A vector is "not followed" only where
 * the ecosystem's own implementation refuses a version osv-scalibr reads
 * leniently; shipgate then refuses it too (SG_EINPUT, version-invalid), and
 * the table below names each one with the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sca/version.h"

#define CORPUS "../shared/corpus/versions/osv-scalibr/"
#define LINE_BYTES 1024

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* a <=> b under order, which must parse; the sign. */
static int cmp(enum sg_vorder order, const char *a, const char *b)
{
	struct sg_error err;
	int c = 99, rc;

	sg_error_clear(&err);
	rc = sg_version_compare(order, a, b, &c, &err);
	if (rc != 0)
		fail_msg("%s: \"%s\" vs \"%s\": %s", sg_vorder_name(order), a, b, err.message);
	assert_int_not_equal(c, 99);
	return sign(c);
}

/* v does not parse under order: check and compare (either side) say so. */
static void refused(enum sg_vorder order, const char *v, const char *valid)
{
	struct sg_error err;
	int c = 99;

	sg_error_clear(&err);
	if (sg_version_check(order, v, &err) != SG_EINPUT)
		fail_msg("%s accepts \"%s\"", sg_vorder_name(order), v ? v : "(null)");
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_true(err.message[0] != '\0');
	assert_null(strchr(err.message, '\n'));
	sg_error_clear(&err);
	assert_int_equal(sg_version_compare(order, v, valid, &c, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_error_clear(&err);
	assert_int_equal(sg_version_compare(order, valid, v, &c, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_int_equal(c, 99);
}

static void accepted(enum sg_vorder order, const char *v)
{
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_version_check(order, v, &err) != 0)
		fail_msg("%s refuses \"%s\": %s", sg_vorder_name(order), v, err.message);
}

/*
 * Vectors deliberately not followed: the ecosystem's implementation refuses
 * a version in them (osv-scalibr pads or truncates instead). Each must be
 * met exactly once in its file, and is refused.
 */
static const struct {
	const char *file;
	enum sg_vorder order;
	const char *vector;
	const char *why;
} not_followed[] = {
	{"semver-versions.txt", SG_VORDER_SEMVER,
	 "999999999999999999999999999991 < 999999999999999999999999999999",
	 "one number is not SemVer 2.0 (major.minor.patch required)"},
	{"semver-versions.txt", SG_VORDER_NPM,
	 "999999999999999999999999999991 < 999999999999999999999999999999",
	 "node-semver requires major.minor.patch"},
	{"semver-versions.txt", SG_VORDER_NPM,
	 "999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < "
	 "999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991",
	 "node-semver refuses numbers above Number.MAX_SAFE_INTEGER"},
	{"semver-versions.txt", SG_VORDER_SEMVER, "1.1.3.4.5 = 1.1.3.4.5",
	 "SemVer 2.0 has three numbers; osv-scalibr reads the rest as build"},
	{"semver-versions.txt", SG_VORDER_NPM, "1.1.3.4.5 = 1.1.3.4.5", "node-semver's LOOSE refuses it"},
	{"semver-versions.txt", SG_VORDER_GO, "1.1.3.4.5 = 1.1.3.4.5", "x/mod/semver refuses it"},
	{"nuget-versions.txt", SG_VORDER_NUGET, "999999999999999999999999999991 < 999999999999999999999999999999",
	 "NuGet version parts are Int32 (System.Version)"},
	{"nuget-versions.txt", SG_VORDER_NUGET,
	 "999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < "
	 "999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991",
	 "NuGet version parts are Int32 (System.Version)"},
	{"rubygems-versions.txt", SG_VORDER_RUBYGEMS, "1 > 1beta",
	 "Gem::Version: the first segment is digits only (\"1.beta\" parses)"},
	{"rubygems-versions.txt", SG_VORDER_RUBYGEMS, "1 > 1gamma",
	 "Gem::Version: the first segment is digits only"},
};
#define N_NOT_FOLLOWED (sizeof(not_followed) / sizeof(not_followed[0]))

struct tally {
	size_t followed;     /* vectors checked both ways */
	size_t v_refused;    /* SEMVER: a side spelled with "v" (strict SemVer has none) */
	size_t hits[N_NOT_FOLLOWED];
};

static int op_sign(const char *op)
{
	if (strcmp(op, "<") == 0)
		return -1;
	if (strcmp(op, "=") == 0)
		return 0;
	if (strcmp(op, ">") == 0)
		return 1;
	fail_msg("unknown operator \"%s\"", op);
	return 2;
}

static int not_followed_index(const char *file, enum sg_vorder order, const char *line)
{
	size_t i;

	for (i = 0; i < N_NOT_FOLLOWED; i++)
		if (not_followed[i].order == order && strcmp(not_followed[i].file, file) == 0 &&
		    strcmp(not_followed[i].vector, line) == 0)
			return (int)i;
	return -1;
}

static void run_vector(const char *file, enum sg_vorder order, const char *line, const char *a,
		       const char *op, const char *b, struct tally *t)
{
	struct sg_error err;
	int want = op_sign(op), idx = not_followed_index(file, order, line), c = 99, rc;

	if (idx >= 0 || (order == SG_VORDER_SEMVER && (a[0] == 'v' || b[0] == 'v'))) {
		sg_error_clear(&err);
		rc = sg_version_compare(order, a, b, &c, &err);
		if (rc != SG_EINPUT || err.diag != SG_DIAG_VERSION_INVALID)
			fail_msg("%s %s: \"%s\" should be refused", file, sg_vorder_name(order), line);
		if (idx >= 0)
			t->hits[idx]++;
		else
			t->v_refused++;
		return;
	}
	if (cmp(order, a, b) != want)
		fail_msg("%s %s: \"%s\" does not hold", file, sg_vorder_name(order), line);
	if (cmp(order, b, a) != -want)
		fail_msg("%s %s: \"%s\" does not hold reversed", file, sg_vorder_name(order), line);
	assert_int_equal(cmp(order, a, a), 0);
	t->followed++;
}

/* Runs every "A <op> B" line of a corpus file; comments are "# " and "// ". */
static void run_file(const char *file, enum sg_vorder order, struct tally *t)
{
	char path[256], line[LINE_BYTES], a[LINE_BYTES], op[8], b[LINE_BYTES], extra[2];
	FILE *f;
	size_t len;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), CORPUS "%s", file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (the corpus is a sibling checkout: ../shared)", path);
	while (fgets(line, sizeof(line), f)) {
		len = strlen(line);
		assert_true(len < sizeof(line) - 1);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || strncmp(line, "# ", 2) == 0 || strncmp(line, "//", 2) == 0)
			continue;
		if (sscanf(line, "%1023s %7s %1023s %1s", a, op, b, extra) != 3)
			fail_msg("%s: bad line \"%s\"", file, line);
		run_vector(file, order, line, a, op, b, t);
	}
	fclose(f);
}

static void assert_not_followed_met(const char *file, enum sg_vorder order, const struct tally *t)
{
	size_t i;

	for (i = 0; i < N_NOT_FOLLOWED; i++)
		if (not_followed[i].order == order && strcmp(not_followed[i].file, file) == 0 &&
		    t->hits[i] != 1)
			fail_msg("not-followed vector \"%s\" met %zu times (%s)", not_followed[i].vector,
				 t->hits[i], not_followed[i].why);
}

static void test_semver_vectors_semver(void **state)
{
	struct tally t;

	(void)state;
	run_file("semver-versions.txt", SG_VORDER_SEMVER, &t);
	assert_not_followed_met("semver-versions.txt", SG_VORDER_SEMVER, &t);
	/* 86 vectors: 2 not followed, 29 with a "v" side, the rest hold. */
	assert_int_equal(t.v_refused, 29);
	assert_int_equal(t.followed, 86 - 2 - 29);
}

static void test_semver_vectors_npm(void **state)
{
	struct tally t;

	(void)state;
	run_file("semver-versions.txt", SG_VORDER_NPM, &t);
	assert_not_followed_met("semver-versions.txt", SG_VORDER_NPM, &t);
	assert_int_equal(t.v_refused, 0);
	assert_int_equal(t.followed, 86 - 3);
}

static void test_semver_vectors_go(void **state)
{
	struct tally t;

	(void)state;
	run_file("semver-versions.txt", SG_VORDER_GO, &t);
	assert_not_followed_met("semver-versions.txt", SG_VORDER_GO, &t);
	assert_int_equal(t.followed, 86 - 1);
}

static void test_nuget_vectors(void **state)
{
	struct tally t;

	(void)state;
	run_file("nuget-versions.txt", SG_VORDER_NUGET, &t);
	assert_not_followed_met("nuget-versions.txt", SG_VORDER_NUGET, &t);
	assert_int_equal(t.followed, 35 - 2);
}

static void test_rubygems_vectors(void **state)
{
	struct tally t;

	(void)state;
	run_file("rubygems-versions.txt", SG_VORDER_RUBYGEMS, &t);
	assert_not_followed_met("rubygems-versions.txt", SG_VORDER_RUBYGEMS, &t);
	assert_int_equal(t.followed, 25 - 2);
}

/* Produced by Gem::Version itself over consecutive versions of real gems. */
static void test_rubygems_generated_vectors(void **state)
{
	struct tally t;

	(void)state;
	run_file("rubygems-versions-generated.txt", SG_VORDER_RUBYGEMS, &t);
	assert_int_equal(t.followed, 4098);
}

/* version.c: the part before ':' picks the order (FORMATS.md section 5). */
static void test_ecosystem_mapping(void **state)
{
	struct sg_error err;
	int c = 99;

	(void)state;
	assert_int_equal(sg_vorder_for_ecosystem("npm"), SG_VORDER_NPM);
	assert_int_equal(sg_vorder_for_ecosystem("crates.io"), SG_VORDER_SEMVER);
	assert_int_equal(sg_vorder_for_ecosystem("Go"), SG_VORDER_GO);
	assert_int_equal(sg_vorder_for_ecosystem("Hex"), SG_VORDER_SEMVER);
	assert_int_equal(sg_vorder_for_ecosystem("SwiftURL"), SG_VORDER_SEMVER);
	assert_int_equal(sg_vorder_for_ecosystem("Bitnami"), SG_VORDER_SEMVER);
	assert_int_equal(sg_vorder_for_ecosystem("NuGet"), SG_VORDER_NUGET);
	assert_int_equal(sg_vorder_for_ecosystem("RubyGems"), SG_VORDER_RUBYGEMS);
	assert_int_equal(sg_vorder_for_ecosystem("PyPI"), SG_VORDER_PYPI);
	assert_int_equal(sg_vorder_for_ecosystem("Maven"), SG_VORDER_MAVEN);
	assert_int_equal(sg_vorder_for_ecosystem("Maven:https://repo.maven.apache.org/maven2"), SG_VORDER_MAVEN);
	assert_int_equal(sg_vorder_for_ecosystem("Debian:12"), SG_VORDER_DPKG);
	assert_int_equal(sg_vorder_for_ecosystem("Ubuntu:Pro:18.04:LTS"), SG_VORDER_DPKG);
	assert_int_equal(sg_vorder_for_ecosystem("Alpine:v3.16"), SG_VORDER_APK);
	assert_int_equal(sg_vorder_for_ecosystem("Wolfi"), SG_VORDER_APK);
	assert_int_equal(sg_vorder_for_ecosystem("Chainguard"), SG_VORDER_APK);
	/* Names are exact: no case folding, no prefixes. */
	assert_int_equal(sg_vorder_for_ecosystem("go"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem("NPM"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem("npmx"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem("crates"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem("Packagist"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem(""), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem(":npm"), SG_VORDER_NONE);
	assert_int_equal(sg_vorder_for_ecosystem(NULL), SG_VORDER_NONE);
	assert_string_equal(sg_vorder_name(SG_VORDER_SEMVER), "semver");
	assert_string_equal(sg_vorder_name(SG_VORDER_NPM), "npm");
	assert_string_equal(sg_vorder_name(SG_VORDER_GO), "go");
	assert_string_equal(sg_vorder_name(SG_VORDER_NUGET), "nuget");
	assert_string_equal(sg_vorder_name(SG_VORDER_RUBYGEMS), "rubygems");
	assert_string_equal(sg_vorder_name((enum sg_vorder)77), "none");
	/* No order: reported, never a silent answer. */
	sg_error_clear(&err);
	assert_int_equal(sg_version_compare(SG_VORDER_NONE, "1.0.0", "1.0.0", &c, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_int_equal(c, 99);
	sg_error_clear(&err);
	assert_int_equal(sg_version_check((enum sg_vorder)77, "1.0.0", &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
}

static const enum sg_vorder mine[] = {SG_VORDER_SEMVER, SG_VORDER_NPM, SG_VORDER_GO, SG_VORDER_NUGET,
				      SG_VORDER_RUBYGEMS};
#define N_MINE (sizeof(mine) / sizeof(mine[0]))

/* Hostile input: refused with version-invalid under every order, never a crash. */
static void test_unparseable_everywhere(void **state)
{
	static const char *const junk[] = {
		"", "1..2", "not a version", "\x01\x02\x03", "\xff\xfe", "1.0.0\x1b[31m", "-1.0.0",
		"1.0.0 1.0.0", "1.0.0+a+b", "1.0.0-a_b", "1.0.0-\xc3\xa9", ".1.0.0", "1.0.0..", "1,0,0",
		"1.0.0+", "1.0.0-a..b", "1.0.0-a.", "\"1.0.0\"", "1.0.0/../..", "%s%n%s",
	};
	char long_version[301], edge[258];
	struct sg_error err;
	size_t i, j;

	(void)state;
	/* 300 bytes, well formed but for its length. */
	memset(long_version, 0, sizeof(long_version));
	memcpy(long_version, "1.0.0-", 6);
	memset(long_version + 6, 'a', 294);
	/* Exactly at the limit (256) parses; one more byte does not. */
	memset(edge, 0, sizeof(edge));
	memcpy(edge, "1.0.0-", 6);
	memset(edge + 6, 'a', 250);
	assert_int_equal(strlen(edge), 256);
	for (i = 0; i < N_MINE; i++) {
		for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++)
			refused(mine[i], junk[j], "1.0.0");
		refused(mine[i], long_version, "1.0.0");
		refused(mine[i], NULL, "1.0.0");
		accepted(mine[i], edge);
		edge[256] = 'a';
		refused(mine[i], edge, "1.0.0");
		edge[256] = '\0';
	}
	/* The message quotes the version escaped and cut to one short line. */
	sg_error_clear(&err);
	assert_int_equal(sg_version_check(SG_VORDER_NPM, "1.0.0\x1b[31m", &err), SG_EINPUT);
	assert_non_null(strstr(err.message, "\"1.0.0\\x1b[31m\""));
	sg_error_clear(&err);
	assert_int_equal(sg_version_check(SG_VORDER_SEMVER, long_version, &err), SG_EINPUT);
	assert_true(strlen(err.message) < 200);
	assert_non_null(strstr(err.message, "...\""));
}

/* Numbers of any length compare by value, never through a machine integer. */
static void test_huge_numbers(void **state)
{
	(void)state;
	assert_int_equal(cmp(SG_VORDER_SEMVER, "18446744073709551616.0.0", "18446744073709551615.0.0"), 1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "18446744073709551616.0.0", "99999999999999999999.0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0-18446744073709551616", "1.0.0-18446744073709551615"), 1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0-100000000000000000000", "1.0.0-99999999999999999999"), 1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0-99999999999999999999", "1.0.0-a"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "10.0.0", "9.0.0"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.340282366920938463463374607431768211456.0",
			     "1.340282366920938463463374607431768211455.0"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "999999999999999999999999999991", "999999999999999999999999999999"), -1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.18446744073709551616", "1.18446744073709551615"), 1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.000018446744073709551616", "1.18446744073709551616"), 0);
	/* node-semver: major, minor, patch up to Number.MAX_SAFE_INTEGER. */
	assert_int_equal(cmp(SG_VORDER_NPM, "9007199254740991.0.0", "9007199254740990.0.0"), 1);
	assert_int_equal(cmp(SG_VORDER_NPM, "0.0.0009007199254740991", "0.0.9007199254740991"), 0);
	refused(SG_VORDER_NPM, "9007199254740992.0.0", "1.0.0");
	refused(SG_VORDER_NPM, "1.99999999999999999999.0", "1.0.0");
	/* Pre-release numbers are exact here; node-semver compares them as
	 * doubles and calls these two equal. */
	assert_int_equal(cmp(SG_VORDER_NPM, "1.0.0-99999999999999999999", "1.0.0-99999999999999999998"), 1);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.0.0-9007199254740993", "1.0.0-9007199254740992"), 1);
	/* NuGet: System.Version parts are Int32. */
	assert_int_equal(cmp(SG_VORDER_NUGET, "2147483647.0", "2147483646.9.9.9"), 1);
	refused(SG_VORDER_NUGET, "2147483648.0", "1.0");
	refused(SG_VORDER_NUGET, "1.0.0.99999999999999999999", "1.0");
}

/* FORMATS.md section 6 "Go"; go.dev/ref/mod#pseudo-versions. */
static void test_go(void **state)
{
	(void)state;
	/* vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef, after release vX.Y.Z. */
	assert_int_equal(cmp(SG_VORDER_GO, "4.1.18-0.20201215153152-4422e3b66b9f", "4.1.18"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "4.1.18-0.20201215153152-4422e3b66b9f", "4.1.17"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "4.1.18-0.20201215153152-4422e3b66b9f",
			     "4.1.18-0.20210101000000-aaaaaaaaaaaa"), -1);
	/* vX.0.0-yyyymmddhhmmss-abcdefabcdef: no earlier tag. */
	assert_int_equal(cmp(SG_VORDER_GO, "0.0.0-20201120070457-d52dcb253c63", "0.0.0-20210101000000-000000000000"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "0.0.0-20201120070457-d52dcb253c63", "0.0.1"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "0.0.0-20201120070457-d52dcb253c63", "0.0.0"), -1);
	/* vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef: after a pre-release tag. */
	assert_int_equal(cmp(SG_VORDER_GO, "1.2.4-pre.0.20200101000000-abcdefabcdef", "1.2.4-pre"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.2.4-pre.0.20200101000000-abcdefabcdef", "1.2.4-pre.1"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.2.4-pre.0.20200101000000-abcdefabcdef", "1.2.4"), -1);
	/* +incompatible is build metadata. */
	assert_int_equal(cmp(SG_VORDER_GO, "2.1.6+incompatible", "2.1.6"), 0);
	assert_int_equal(cmp(SG_VORDER_GO, "2.1.6+incompatible", "2.1.7"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "2.1.6+incompatible", "2.1.6-rc.1"), 1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "2.1.6+incompatible", "2.1.6"), 0);
	/* vulndb "introduced": "1.16.0-0": the first pre-release of 1.16.0. */
	assert_int_equal(cmp(SG_VORDER_GO, "1.16.0-0", "1.16.0-beta1"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.16.0-0", "1.16.0-0.20200101000000-abcdefabcdef"), -1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.16.0-0", "1.15.15"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "1.16.0-0", "1.16.0"), -1);
	/* Go's own spelling with "v" is the same version. */
	assert_int_equal(cmp(SG_VORDER_GO, "v1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_GO, "v2.1.6+incompatible", "2.1.6"), 0);
	/* x/mod/semver shorthand: "1" is 1.0.0, "1.2" is 1.2.0 (OSV "0"). */
	assert_int_equal(cmp(SG_VORDER_GO, "1", "1.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_GO, "1.2", "1.2.0"), 0);
	assert_int_equal(cmp(SG_VORDER_GO, "0", "0.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_GO, "0", "0.0.0-20201120070457-d52dcb253c63"), 1);
	assert_int_equal(cmp(SG_VORDER_GO, "v1.2", "1.1.99"), 1);
	refused(SG_VORDER_GO, "1-pre", "1.0.0");
	refused(SG_VORDER_GO, "1.2-pre", "1.0.0");
	refused(SG_VORDER_GO, "1.2+build", "1.0.0");
	refused(SG_VORDER_GO, "vv1.0.0", "1.0.0");
	refused(SG_VORDER_GO, "V1.0.0", "1.0.0");
	refused(SG_VORDER_GO, "v", "1.0.0");
	refused(SG_VORDER_GO, "01.0.0", "1.0.0");
	refused(SG_VORDER_GO, "1.00", "1.0.0");
	refused(SG_VORDER_GO, "1.0.0-01", "1.0.0");
	refused(SG_VORDER_GO, " 1.0.0", "1.0.0");
	refused(SG_VORDER_GO, "go1.21", "1.0.0");
	accepted(SG_VORDER_GO, "1.0.0+01.0");
}

/* SemVer 2.0 strictly (OSV SEMVER ranges, crates.io precedence). */
static void test_semver_strict(void **state)
{
	(void)state;
	/* RustSec sentinels: "0.0.0-0" below every version. */
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.0.0-0", "0.0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.0.0-0", "0.1.0-alpha"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.0.0-0", "0.0.0-alpha"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.0.0-0", "0.0.0-1"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.0.0-0", "0.0.0-0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.2.37-0", "0.2.37"), -1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "0.2.37-0", "0.2.36"), 1);
	/* semver.org 11: build metadata does not take part. */
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0+a", "1.0.0+b"), 0);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0-rc.1+build.5", "1.0.0-rc.1"), 0);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0-alpha-1", "1.0.0-alpha"), 1);
	assert_int_equal(cmp(SG_VORDER_SEMVER, "1.0.0--", "1.0.0-0"), 1);
	accepted(SG_VORDER_SEMVER, "1.0.0+001.0-0");
	refused(SG_VORDER_SEMVER, "v1.0.0", "1.0.0");
	refused(SG_VORDER_SEMVER, "=1.0.0", "1.0.0");
	refused(SG_VORDER_SEMVER, " 1.0.0", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.0.0 ", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.0", "1.0.0");
	refused(SG_VORDER_SEMVER, "0", "1.0.0");
	refused(SG_VORDER_SEMVER, "01.0.0", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.00.0", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.0.0-01", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.0.0beta", "1.0.0");
	refused(SG_VORDER_SEMVER, "1.0.0.0", "1.0.0");
}

/* node-semver loose: new SemVer(v, {loose: true}). */
static void test_npm_loose(void **state)
{
	(void)state;
	assert_int_equal(cmp(SG_VORDER_NPM, "=v1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, " v1.2.3 ", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "\tv = 1.2.3\n", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "\xc2\xa0" "1.2.3\xe2\x80\xa8", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "\xef\xbb\xbf" "1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.3beta", "1.2.3-beta"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "01.02.03", "1.2.3"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.0.0-01", "1.0.0-1"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.0.0-010", "1.0.0-9"), 1);
	/* What LOOSE's backtracking gives: "1.2.34.5" is 1.2.3-4.5, "1.2.3-" has
	 * the pre-release "-". */
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.34.5", "1.2.3-4.5"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.3-", "1.2.3--"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.3-.x", "1.2.3--.x"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.3-+b", "1.2.3--"), 0);
	assert_int_equal(cmp(SG_VORDER_NPM, "1.2.3-4-foo", "1.2.3-4"), 1);
	refused(SG_VORDER_NPM, "1.2", "1.0.0");
	refused(SG_VORDER_NPM, "1.2.3.4", "1.0.0");
	refused(SG_VORDER_NPM, "x1.2.3", "1.0.0");
	refused(SG_VORDER_NPM, "v", "1.0.0");
	refused(SG_VORDER_NPM, "1.2.3 -beta", "1.0.0");
	refused(SG_VORDER_NPM, "1.2.3\xc2\xa0" "beta", "1.0.0");
}

/* NuGetVersion.TryParse and VersionComparer (Default). */
static void test_nuget(void **state)
{
	(void)state;
	assert_int_equal(cmp(SG_VORDER_NUGET, "1", "1.0.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_NUGET, " 1.0 ", "1.0.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.00.0", "1.0"), 0);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0.1", "1.0.0"), 1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0.1-alpha", "1.0.0.1"), -1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-A", "1.0.0-a"), 0);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-rc.10", "1.0.0-RC.9"), 1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-alpha+meta", "1.0.0-ALPHA+other"), 0);
	/* int.TryParse reads "-1" as minus one: numeric, below "0". */
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0--1", "1.0.0-0"), -1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0--1", "1.0.0-a"), -1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0--0", "1.0.0-0"), 0);
	/* Above Int32 a label is no number: it sorts with the alphanumerics. */
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-2147483647", "1.0.0-2147483648"), -1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-3", "1.0.0-2147483648"), -1);
	assert_int_equal(cmp(SG_VORDER_NUGET, "1.0.0-2147483648", "1.0.0-a"), -1);
	accepted(SG_VORDER_NUGET, "1.0.0+01.02");
	accepted(SG_VORDER_NUGET, "1.0.0-0a");
	refused(SG_VORDER_NUGET, "1.0.0.0.0", "1.0");
	refused(SG_VORDER_NUGET, "1.", "1.0");
	refused(SG_VORDER_NUGET, ".1", "1.0");
	refused(SG_VORDER_NUGET, "1.0.0-01", "1.0");
	refused(SG_VORDER_NUGET, "1.0.0-a+b+c", "1.0");
	refused(SG_VORDER_NUGET, "1.+2", "1.0");
	refused(SG_VORDER_NUGET, "1. 2", "1.0");
	refused(SG_VORDER_NUGET, "v1.0", "1.0");
	refused(SG_VORDER_NUGET, "   ", "1.0");
}

/* Gem::Version (rubygems 3.x). */
static void test_rubygems(void **state)
{
	(void)state;
	/* "-" is ".pre.": a pre-release. */
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0-1", "1.0"), -1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0-1", "1.0.pre.1"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.0-beta", "1.0.0.pre.beta"), 0);
	/* [1, "pre", "beta"] against [1, "beta"] (rubygems 4 calls them equal). */
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.0-beta", "1.0.0.beta"), 1);
	/* Trailing zeros of each part are dropped. */
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.0", "1"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.a", "1.a"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.a.0", "1.a"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.a", "1"), -1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0.0.1", "1"), 1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0a", "1.0.a"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.A", "1.a"), -1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "1.0-a-b", "1.0.pre.a.pre.b"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, " 1.0\n", "1.0"), 0);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "2.0.0.rc1", "2.0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_RUBYGEMS, "2.0.0.rc1", "1.99"), 1);
	/* Gem::Version reads a blank string as 0; shipgate wants a version. */
	refused(SG_VORDER_RUBYGEMS, " ", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1beta", "1.0");
	refused(SG_VORDER_RUBYGEMS, "a.1", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1.0-", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1.0_1", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1.0\n2.0", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1.0 2.0", "1.0");
	refused(SG_VORDER_RUBYGEMS, "1.0+build", "1.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_vectors_semver),
		cmocka_unit_test(test_semver_vectors_npm),
		cmocka_unit_test(test_semver_vectors_go),
		cmocka_unit_test(test_nuget_vectors),
		cmocka_unit_test(test_rubygems_vectors),
		cmocka_unit_test(test_rubygems_generated_vectors),
		cmocka_unit_test(test_ecosystem_mapping),
		cmocka_unit_test(test_unparseable_everywhere),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_semver_strict),
		cmocka_unit_test(test_npm_loose),
		cmocka_unit_test(test_nuget),
		cmocka_unit_test(test_rubygems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
