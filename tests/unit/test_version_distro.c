/*
 * sca/version for PyPI (PEP 440), Maven, Debian (dpkg) and Alpine (apk)
 * (FORMATS.md section 6). Every vector of osv-scalibr's
 * {pypi,maven,debian,alpine}-versions.txt and *-versions-generated.txt in
 * ../shared/corpus/versions/osv-scalibr goes through sg_version_compare; the
 * few the reference implementation itself answers differently are listed
 * below with the reason. Then each ecosystem's rules one by one, numbers
 * beyond 64 bits, and what is refused.
 * Clause: sca (a component is vulnerable exactly when its version is in an
 * advisory's range, in the ecosystem's own version order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "sca/version.h"
#include "util/error.h"

#define VECTORS "../shared/corpus/versions/osv-scalibr/"
#define MAX_REPORTED 10

/*
 * Vectors the reference implementation answers differently from the file.
 * `want` is its answer: '<', '=', '>', or 'E' for refused.
 */
struct deviation {
	const char *file;
	const char *line;
	char want;
};

static const struct deviation deviations[] = {
	/*
	 * Maven: maven-versions-generated.txt came from maven-artifact 3.8.6.
	 * Since 3.8.7 (MNG-7644, also in 3.9) a qualifier after "." starts a
	 * sub-list as after "-", so "1.0.0.RC8" reads as "1-rc-8"; the answers
	 * below are those of ComparableVersion 3.8.7 (Debian's maven-artifact,
	 * checked with its main()).
	 */
	{"maven-versions-generated.txt", "1.0.0-RC16 < 1.0.0.RC8-beta", '>'},
	{"maven-versions-generated.txt", "1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3", '>'},
	{"maven-versions-generated.txt", "2.9.0-1 < 2.9.0.RC1", '>'},
	{"maven-versions-generated.txt", "6.1.12.rc5 < 6.1.12rc1", '>'},
	{"maven-versions-generated.txt", "1.1.31.sec10 < 1.1.31_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.1.34.sec10 < 1.1.34_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.1.46.sec10 < 1.1.46_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.8.sec10_noneautotype < 1.2.8_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.31.sec10 < 1.2.31_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.48.sec10 < 1.2.48_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.50.sec10 < 1.2.50_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.54.sec10 < 1.2.54_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.57.sec10 < 1.2.57_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.60.sec10 < 1.2.60_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.2.67.sec10 < 1.2.67_noneautotype", '>'},
	{"maven-versions-generated.txt", "1.0.0rc0 < 1.0.beta8", '>'},
	{"maven-versions-generated.txt", "1.5.9.RC1 < 1.5.9-RC0", '>'},
	{"maven-versions-generated.txt", "1.1.0-01-glassfish < 1.1.0.Beta1", '>'},
	/* Maven: ComparableVersion drops "ga" only at the end of a list, so
	 * "1-ga-1" is [1, [[1]]], below "1-1" = [1, [1]] (3.8.6 agrees). */
	{"maven-versions.txt", "1-1 = 1-ga-1", '>'},
	/*
	 * Alpine: each of these has a version that apk-tools calls invalid
	 * (`apk version -c`); `apk version -t` still orders it by reading
	 * tokens until the first invalid one: the version that turns invalid
	 * first is the older, two that turn invalid at the same point are equal. The
	 * file's answers are osv-scalibr's own reading. An empty number ("..",
	 * a leading "."), a letter after ".", a letter-only version, "-r"
	 * without a number and a second "-r" are invalid.
	 */
	{"alpine-versions.txt", "1-r = 1-r0", '<'},
	{"alpine-versions.txt", "0..1..0 < 0..1..1", '='},
	{"alpine-versions.txt", "0...1...0 < 0...1...1", '='},
	{"alpine-versions.txt", "0...1...0.r1 < 0...1...0.r2", '='},
	{"alpine-versions.txt", "0...1...0r1 < 0...1...0r2", '='},
	{"alpine-versions.txt", "0..8 > 0...8", '='},
	{"alpine-versions.txt", "0.8.21.r2 > 0.8.21.r1", '='},
	{"alpine-versions.txt", "1-r0-1 = 1-r-2", '>'},
	{"alpine-versions.txt", ".2 > .1", '='},
	{"alpine-versions.txt", "a < b", '='},
	{"alpine-versions.txt", "c > b", '='},
};

#define N_DEVIATIONS (sizeof(deviations) / sizeof(deviations[0]))

/*
 * PyPI: packaging >= 22 has no LegacyVersion, so the vectors that order
 * legacy strings ("0.1-bulbasaur", "2013-01-21T20:33:09+0100", "0.3m1",
 * "trunk", ...) are refused. These counts are checked here;
 * test_version_distro_diff checks against packaging itself that exactly
 * those strings are invalid.
 */
#define PYPI_REFUSED_HAND 11
#define PYPI_REFUSED_GENERATED 69

/* The snapshots' vector counts: a guard against a loader that skips lines. */
struct vector_file {
	const char *name;
	enum sg_vorder order;
	size_t vectors;
	size_t refused; /* PyPI legacy vectors */
};

static int deviation_used[N_DEVIATIONS];

static char result_char(int rc, int c)
{
	if (rc != 0)
		return 'E';
	return c < 0 ? '<' : c > 0 ? '>' : '=';
}

static const struct deviation *find_deviation(const char *file, const char *line)
{
	size_t i;

	for (i = 0; i < N_DEVIATIONS; i++)
		if (strcmp(deviations[i].file, file) == 0 && strcmp(deviations[i].line, line) == 0) {
			deviation_used[i]++;
			return &deviations[i];
		}
	return NULL;
}

/* "A <op> B"; comment lines start with "# " or "// ". */
static void run_file(const struct vector_file *vf)
{
	char path[256], line[1024], a[512], op[8], b[512];
	size_t n = 0, refused = 0, bad = 0, len;
	const struct deviation *d;
	struct sg_error err;
	FILE *f;
	char want, got;
	int rc, c;

	snprintf(path, sizeof(path), VECTORS "%s", vf->name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || strncmp(line, "# ", 2) == 0 || strncmp(line, "// ", 3) == 0)
			continue;
		if (sscanf(line, "%511s %7s %511s", a, op, b) != 3 || strlen(op) != 1 || !strchr("<=>", op[0]))
			fail_msg("%s: malformed vector \"%s\"", vf->name, line);
		n++;
		d = find_deviation(vf->name, line);
		want = d ? d->want : op[0];
		sg_error_clear(&err);
		c = 7;
		rc = sg_version_compare(vf->order, a, b, &c, &err);
		got = result_char(rc, c);
		if (rc != 0) {
			assert_int_equal(rc, SG_EINPUT);
			assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
		}
		if (vf->order == SG_VORDER_PYPI && got == 'E' && !d) {
			refused++;
			continue;
		}
		if (got != want && bad++ < MAX_REPORTED)
			print_message("%s: \"%s\": got %c, want %c (%s)\n", vf->name, line, got, want,
				      rc ? err.message : "");
	}
	fclose(f);
	assert_int_equal(bad, 0);
	assert_int_equal(n, vf->vectors);
	assert_int_equal(refused, vf->refused);
}

static void run_files(const struct vector_file *files, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		run_file(&files[i]);
}

/* Every listed deviation was met once: the list cannot go stale. */
static void check_deviations_used(const char *prefix)
{
	size_t i;

	for (i = 0; i < N_DEVIATIONS; i++)
		if (strncmp(deviations[i].file, prefix, strlen(prefix)) == 0 && deviation_used[i] != 1)
			fail_msg("deviation \"%s\" in %s met %d times", deviations[i].line, deviations[i].file,
				 deviation_used[i]);
}

static void test_pypi_vectors(void **state)
{
	static const struct vector_file files[] = {
		{"pypi-versions.txt", SG_VORDER_PYPI, 37, PYPI_REFUSED_HAND},
		{"pypi-versions-generated.txt", SG_VORDER_PYPI, 12375, PYPI_REFUSED_GENERATED},
	};

	(void)state;
	run_files(files, 2);
}

static void test_maven_vectors(void **state)
{
	static const struct vector_file files[] = {
		{"maven-versions.txt", SG_VORDER_MAVEN, 102, 0},
		{"maven-versions-generated.txt", SG_VORDER_MAVEN, 14752, 0},
	};

	(void)state;
	run_files(files, 2);
	check_deviations_used("maven");
}

static void test_debian_vectors(void **state)
{
	static const struct vector_file files[] = {
		{"debian-versions.txt", SG_VORDER_DPKG, 30, 0},
		{"debian-versions-generated.txt", SG_VORDER_DPKG, 14442, 0},
	};

	(void)state;
	run_files(files, 2);
}

static void test_alpine_vectors(void **state)
{
	static const struct vector_file files[] = {
		{"alpine-versions.txt", SG_VORDER_APK, 778, 0},
		{"alpine-versions-generated.txt", SG_VORDER_APK, 13979, 0},
	};

	(void)state;
	run_files(files, 2);
	check_deviations_used("alpine");
}

/* ---- helpers for the rules ---- */

static int cmp(enum sg_vorder order, const char *a, const char *b)
{
	struct sg_error err;
	int c = 7, rc;

	sg_error_clear(&err);
	rc = sg_version_compare(order, a, b, &c, &err);
	if (rc != 0)
		fail_msg("%s: \"%s\" vs \"%s\" refused: %s", sg_vorder_name(order), a, b, err.message);
	assert_int_equal(sg_version_check(order, a, &err), 0);
	assert_int_equal(sg_version_check(order, b, &err), 0);
	return (c > 0) - (c < 0);
}

/* a < b, and b > a: the order is antisymmetric. */
static void lt(enum sg_vorder order, const char *a, const char *b)
{
	if (cmp(order, a, b) != -1 || cmp(order, b, a) != 1)
		fail_msg("%s: expected \"%s\" < \"%s\"", sg_vorder_name(order), a, b);
}

static void eq(enum sg_vorder order, const char *a, const char *b)
{
	if (cmp(order, a, b) != 0 || cmp(order, b, a) != 0)
		fail_msg("%s: expected \"%s\" == \"%s\"", sg_vorder_name(order), a, b);
}

/* v is refused by check and by compare on either side, as version-invalid. */
static void refused(enum sg_vorder order, const char *v)
{
	struct sg_error err;
	int c = 7;

	sg_error_clear(&err);
	if (sg_version_check(order, v, &err) != SG_EINPUT)
		fail_msg("%s: \"%.60s\" accepted", sg_vorder_name(order), v ? v : "(null)");
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_true(err.message[0] != '\0');
	sg_error_clear(&err);
	assert_int_equal(sg_version_compare(order, v, "1", &c, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_error_clear(&err);
	assert_int_equal(sg_version_compare(order, "1", v, &c, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_int_equal(c, 7); /* nothing written on failure */
}

/* prefix, then the bytes of unit over and over up to len bytes, in buf. */
static const char *fill(char *buf, size_t size, const char *prefix, const char *unit, size_t len)
{
	size_t used = strlen(prefix), k = strlen(unit), i;

	assert_true(len < size && used <= len);
	memcpy(buf, prefix, used);
	for (i = 0; used < len; i++)
		buf[used++] = unit[i % k];
	buf[len] = '\0';
	return buf;
}

/* The length limit: 256 bytes pass, 257 and 300 are refused (the text is
 * valid at every length). */
static void check_length_limit(enum sg_vorder order, const char *prefix, const char *unit)
{
	char buf[512];
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_version_check(order, fill(buf, sizeof(buf), prefix, unit, 256), &err) != 0)
		fail_msg("%s: 256 bytes refused: %s", sg_vorder_name(order), err.message);
	refused(order, fill(buf, sizeof(buf), prefix, unit, 257));
	refused(order, fill(buf, sizeof(buf), prefix, unit, 300));
}

/* ---- PyPI ---- */

static void test_pypi_rules(void **state)
{
	const enum sg_vorder o = SG_VORDER_PYPI;

	(void)state;
	/* Release with zero padding; epochs first. */
	eq(o, "1.0", "1.0.0");
	eq(o, "1", "1.0.0.0.0");
	lt(o, "1.0", "1.0.1");
	lt(o, "1.9", "1.10");
	eq(o, "1.01", "1.1");
	lt(o, "2.0", "1!1.0");
	eq(o, "0!1.0", "1.0");
	/* .devN < aN < bN < rcN < final < .postN, dev of a pre or post just below it. */
	lt(o, "1.0.dev0", "1.0a0");
	lt(o, "1.0a1.dev1", "1.0a1");
	lt(o, "1.0a1", "1.0a2");
	lt(o, "1.0a2", "1.0b1");
	lt(o, "1.0b2", "1.0rc1");
	lt(o, "1.0rc1", "1.0");
	lt(o, "1.0", "1.0.post1.dev1");
	lt(o, "1.0.post1.dev1", "1.0.post1");
	lt(o, "1.0.post1", "1.0.post2");
	lt(o, "1.0.post1", "1.1.dev1");
	lt(o, "1.0rc1.post1", "1.0");
	lt(o, "1.0rc1", "1.0rc1.post1");
	/* Alternate spellings, separators and implicit numbers. */
	eq(o, "1.0alpha1", "1.0a1");
	eq(o, "1.0-beta.2", "1.0b2");
	eq(o, "1.0c1", "1.0rc1");
	eq(o, "1.0pre1", "1.0rc1");
	eq(o, "1.0preview_1", "1.0rc1");
	eq(o, "1.0a", "1.0a0");
	eq(o, "1.0-1", "1.0.post1");
	eq(o, "1.0rev1", "1.0.post1");
	eq(o, "1.0-r-1", "1.0.post1");
	eq(o, "1.0.post", "1.0.post0");
	eq(o, "1.0_dev-2", "1.0.dev2");
	eq(o, "1.0.dev", "1.0.dev0");
	eq(o, "1.0a-1", "1.0a1");   /* the "-1" is the pre-release number */
	eq(o, "1.0a.", "1.0a0");
	/* Case, "v", surrounding whitespace (Python's \s, Unicode too). */
	eq(o, "1.0RC1", "1.0rc1");
	eq(o, "V1.0.DEV1", "1.0.dev1");
	eq(o, "  1.0\t\n", "1.0");
	eq(o, "\xc2\xa0" "1.0\xe3\x80\x80", "1.0");
	eq(o, "\x1c" "1.0\x1f", "1.0");
	/* Local versions: after the public one, numeric > alphanumeric
	 * segments, compared per segment, separators equivalent, case-free. */
	lt(o, "1.0", "1.0+local");
	lt(o, "1.0+local", "1.0.post1");
	lt(o, "1.0+abc", "1.0+abd");
	lt(o, "1.0+abc", "1.0+abc.0");
	lt(o, "1.0+zzz", "1.0+0");
	lt(o, "1.0+2", "1.0+10");
	eq(o, "1.0+01", "1.0+1");
	eq(o, "1.0+a-b_c", "1.0+a.b.c");
	eq(o, "1.0+ABC", "1.0+abc");
	/* Numbers beyond 64 bits, without overflow. */
	lt(o, "1.18446744073709551615", "1.18446744073709551616");
	lt(o, "99999999999999999999999999999999", "100000000000000000000000000000000");
	eq(o, "1.0000000000000000000000000000001", "1.1");
	lt(o, "18446744073709551617!1.0", "18446744073709551618!0.1");
	lt(o, "1.0.post18446744073709551616", "1.0.post18446744073709551617");
	lt(o, "1.0+18446744073709551616", "1.0+18446744073709551617");
}

static void test_pypi_refused(void **state)
{
	static const char *const bad[] = {
		"1.0.-1", "", " ", "\t\n", "1.0.", "1..0", ".1", "1.0-", "1.0_1", "1.0+", "1.0+a..b",
		"1.0+a.", "1.0 a1", "v", "vv1.0", "1!", "!1.0", "1.0a1a2", "1.0.post1.post2", "1.0.dev1a1",
		"1.0+\xc3\xa9", "1.0\xc3\xa9", "0.1-bulbasaur", "trunk", "0.3m1",
		"2013-01-21T20:33:09+0100", "1.0.0-final", "1,0", "1.0\x01", "1.0+a_",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(SG_VORDER_PYPI, bad[i]);
	/* Deliberate: packaging lets U+017F match "s" (IGNORECASE), shipgate
	 * refuses non-ASCII inside a version. */
	refused(SG_VORDER_PYPI, "1.0.po\xc5\xbft1");
	refused(SG_VORDER_PYPI, NULL);
	check_length_limit(SG_VORDER_PYPI, "1", "0");
	check_length_limit(SG_VORDER_PYPI, "1.0+", "a.1");
}

/* ---- Maven ---- */

static void test_maven_rules(void **state)
{
	const enum sg_vorder o = SG_VORDER_MAVEN;

	(void)state;
	/* Version Order Specification examples. */
	lt(o, "1", "2");
	lt(o, "1.5", "2");
	lt(o, "1", "1.1");
	lt(o, "1-snapshot", "1");
	lt(o, "1", "1-sp");
	lt(o, "1-foo2", "1-foo10");
	eq(o, "1.foo", "1-foo"); /* since MNG-7644 (3.8.7) */
	lt(o, "1-foo", "1-1");
	lt(o, "1-1", "1.1");
	eq(o, "1.ga", "1-ga");
	eq(o, "1-ga", "1-0");
	eq(o, "1-0", "1.0");
	eq(o, "1.0", "1");
	lt(o, "1-ga", "1-sp");
	lt(o, "1-ga.1", "1-sp.1");
	lt(o, "1-sp-1", "1-ga-1");
	lt(o, "1-a1", "1-alpha-2");
	/* Qualifier order, aliases, case and unknown qualifiers after sp. */
	lt(o, "1-alpha", "1-beta");
	lt(o, "1-beta", "1-milestone");
	lt(o, "1-milestone", "1-rc");
	eq(o, "1-rc", "1-cr");
	lt(o, "1-rc", "1-snapshot");
	lt(o, "1-SNAPSHOT", "1");
	eq(o, "1", "1-final");
	eq(o, "1", "1.RELEASE");
	lt(o, "1-sp", "1-abc");
	lt(o, "1-abc", "1-abd");
	lt(o, "1-abc", "1-abca");
	eq(o, "1-ABC", "1-abc");
	eq(o, "1a1", "1-alpha-1");
	lt(o, "1-a", "1-b");     /* "a" alone is not alpha: unknown, lexical */
	lt(o, "1-alpha", "1-b"); /* and after every known qualifier */
	/* MNG-7644 (3.8.7): ".X1" reads as "-X1". */
	eq(o, "1.0.RC1", "1.0-RC1");
	lt(o, "1.0.RC1", "1.0-RC2");
	/* Numbers: int < long < BigInteger items, by value inside each. */
	lt(o, "1.999999999", "1.1000000000");
	lt(o, "1.999999999999999999", "1.1000000000000000000");
	lt(o, "1.12345678901234567889", "1.12345678901234567890");
	eq(o, "1.00000000000000000000001", "1.1");
	lt(o, "1.0000000000.1", "1.0000000000.2");
	/* An all-zero run keeps its length for the item type (a LongItem 0
	 * sorts above every IntItem), as ComparableVersion does. */
	lt(o, "1.5.1", "1.0000000000.1");
	/* Separators at the edges, and any other text. */
	eq(o, "1.", "1");
	eq(o, "1-", "1");
	eq(o, ".1", "0.1");
	lt(o, "1 a", "1 b");
	eq(o, "1_2", "1_2");
}

static void test_maven_refused(void **state)
{
	(void)state;
	refused(SG_VORDER_MAVEN, "");
	refused(SG_VORDER_MAVEN, NULL);
	refused(SG_VORDER_MAVEN, "1.0\x01");
	refused(SG_VORDER_MAVEN, "1.0\n");
	refused(SG_VORDER_MAVEN, "1.0\x7f");
	refused(SG_VORDER_MAVEN, "1.\xd9\xa3");   /* Arabic-Indic three: a digit to Java */
	refused(SG_VORDER_MAVEN, "1.0-\xc3\x89");
	check_length_limit(SG_VORDER_MAVEN, "1", ".1");
	check_length_limit(SG_VORDER_MAVEN, "1", "a1");  /* three items a byte: the most */
	check_length_limit(SG_VORDER_MAVEN, "", "-");
}

/* ---- Debian ---- */

static void test_dpkg_rules(void **state)
{
	const enum sg_vorder o = SG_VORDER_DPKG;

	(void)state;
	/* deb-version(7): "~" sorts before anything, even the end. */
	lt(o, "1.0~rc1", "1.0");
	lt(o, "1.0~~", "1.0~");
	lt(o, "1.0~~a", "1.0~");
	lt(o, "1.0", "1.0+b1");
	lt(o, "1.0", "1.0a");
	lt(o, "1.0a", "1.0+");
	lt(o, "1.0a", "1.0.");
	lt(o, "1.0A", "1.0z"); /* letters by ASCII code */
	/* Epoch first, default 0, any number of leading zeros. */
	lt(o, "9.9", "1:0.1");
	eq(o, "0:1.0", "1.0");
	eq(o, "0001:1.0", "1:1.0");
	eq(o, "-0:1.0", "1.0");   /* strtol: "-0" is 0 */
	eq(o, "+1:1.0", "1:1.0");
	lt(o, "2147483646:1", "2147483647:1");
	/* The LAST hyphen splits off the revision; no revision is revision 0. */
	eq(o, "1.0", "1.0-0");
	eq(o, "1.0-00", "1.0-0");
	lt(o, "1.0-1", "1.0-2");
	lt(o, "1-2-3", "1-2-4");
	lt(o, "1-2-3", "1-3-1"); /* upstream "1-2" < "1-3" */
	lt(o, "1.2.3-1~deb7u1", "1.2.3-1");
	/* Digit runs by value, at any length. */
	eq(o, "1.01", "1.1");
	lt(o, "1.9", "1.10");
	lt(o, "1.18446744073709551615", "1.18446744073709551616");
	lt(o, "1.99999999999999999999999999999999", "1.100000000000000000000000000000000");
	eq(o, "1.000000000000000000000000000000007", "1.7");
	/* Only warnings in dpkg: compared all the same. */
	lt(o, "a1", "b1");
	lt(o, "1_2", "1:1_2");
	eq(o, "1:a:b", "1:a:b");
	lt(o, "1.0", "1.0\n");     /* "\n" is punctuation: after the end */
	lt(o, "1.0z", "1.0\xc3\xa9"); /* a high byte sorts after the letters (amd64) */
	lt(o, "1.0\xc3\xa9", "1.0+");  /* and before the other punctuation */
	/* Surrounding blanks are trimmed. */
	eq(o, "  1.0-1\t", "1.0-1");
}

static void test_dpkg_refused(void **state)
{
	/* All refused by `dpkg --compare-versions` (exit 2) except "" and
	 * "<unknown>", which dpkg reads as "no version": refused deliberately. */
	static const char *const bad[] = {
		"",        "<unknown>", " ",      "\t", "1 0",   "1.0 -1", ":1.0", "a:1.0", "1a:1.0",
		"-1:1.0",  "1:",        "1.0-",   "-1", "1:-1",  "2147483648:1",      "99999999999999999999:1",
		"+:1",     "1.0--",     " : ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(SG_VORDER_DPKG, bad[i]);
	refused(SG_VORDER_DPKG, NULL);
	check_length_limit(SG_VORDER_DPKG, "1", ".1");
}

/* ---- Alpine ---- */

static void test_apk_rules(void **state)
{
	const enum sg_vorder o = SG_VORDER_APK;

	(void)state;
	/* Suffix order around the release. */
	lt(o, "1.2_alpha", "1.2_beta");
	lt(o, "1.2_beta", "1.2_pre");
	lt(o, "1.2_pre", "1.2_rc");
	lt(o, "1.2_rc", "1.2");
	lt(o, "1.2", "1.2_cvs");
	lt(o, "1.2_cvs", "1.2_svn");
	lt(o, "1.2_svn", "1.2_git");
	lt(o, "1.2_git", "1.2_hg");
	lt(o, "1.2_hg", "1.2_p");
	lt(o, "1.2_p1", "1.2_p2");
	lt(o, "1.2_p", "1.2_p0"); /* a missing number is not 0: the shorter ends first */
	lt(o, "1.2_rc1", "1.2_rc1_p1");
	lt(o, "1.2_alpha1_beta", "1.2_alpha1");
	/* Letter, hash, revision; more components make a newer version. */
	lt(o, "1.2", "1.2a");
	lt(o, "1.2a", "1.2b");
	lt(o, "1.2b", "1.2.1");
	lt(o, "1", "1.0");
	lt(o, "1", "1-r0");
	lt(o, "1.0-r1", "1.0-r2");
	lt(o, "1.0-r9", "1.0-r10");
	lt(o, "1.0~abc-r5", "1.0~abd-r1");
	lt(o, "1.0~abc-r1", "1.0~abc-r2");
	lt(o, "1.0", "1.0~ab");
	/* Leading zeros after the first component compare as strings. */
	lt(o, "1.01", "1.1");
	lt(o, "1.010", "1.02");
	lt(o, "1.0", "1.00");
	eq(o, "01.1", "1.1");
	lt(o, "1.9", "1.10");
	/* apk-tools 2.x: digits after the letter are a number. */
	lt(o, "6.6.2p1", "6.6.2p2");
	lt(o, "6.6.2p9", "6.6.2p10");
	lt(o, "6.6.2p1-r0", "6.6.2p1-r1");
	/* Numbers beyond 64 bits. */
	lt(o, "1.18446744073709551615", "1.18446744073709551616");
	lt(o, "18446744073709551616.0", "18446744073709551617");
	lt(o, "1.0_p18446744073709551616", "1.0_p18446744073709551617");
	lt(o, "1.0-r18446744073709551616", "1.0-r18446744073709551617");
	/* Invalid ones, ordered as `apk version -t` does. */
	lt(o, ".1", "1");
	lt(o, "1.0_foo", "1.0");
	eq(o, "1-ruff1", "1-ruff2");
	lt(o, "1.2.0A", "1.2.0");
	eq(o, "\xc3\xa9", "x");
}

static void test_apk_refused(void **state)
{
	char buf[512];
	struct sg_error err;

	(void)state;
	refused(SG_VORDER_APK, "");
	refused(SG_VORDER_APK, NULL);
	/* Anything else up to the limit is ordered, as by `apk version -t`. */
	sg_error_clear(&err);
	assert_int_equal(sg_version_check(SG_VORDER_APK, fill(buf, sizeof(buf), "", "\xff", 256), &err), 0);
	check_length_limit(SG_VORDER_APK, "1", ".1");
}

/* ---- dispatch by OSV ecosystem ---- */

static void test_ecosystems(void **state)
{
	(void)state;
	assert_int_equal(sg_vorder_for_ecosystem("PyPI"), SG_VORDER_PYPI);
	assert_int_equal(sg_vorder_for_ecosystem("Maven"), SG_VORDER_MAVEN);
	assert_int_equal(sg_vorder_for_ecosystem("Debian:12"), SG_VORDER_DPKG);
	assert_int_equal(sg_vorder_for_ecosystem("Ubuntu:22.04:LTS"), SG_VORDER_DPKG);
	assert_int_equal(sg_vorder_for_ecosystem("Alpine:v3.18"), SG_VORDER_APK);
	assert_int_equal(sg_vorder_for_ecosystem("Wolfi"), SG_VORDER_APK);
	assert_string_equal(sg_vorder_name(SG_VORDER_DPKG), "dpkg");
	/* The same strings order differently per ecosystem. */
	assert_int_equal(cmp(SG_VORDER_PYPI, "1.0", "1.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_APK, "1.0", "1.0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_DPKG, "1.0", "1.0.0"), -1);
	assert_int_equal(cmp(SG_VORDER_MAVEN, "1.0", "1.0.0"), 0);
	assert_int_equal(cmp(SG_VORDER_MAVEN, "1.0~rc1", "1.0"), 1);
	assert_int_equal(cmp(SG_VORDER_DPKG, "1.0~rc1", "1.0"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pypi_vectors),
		cmocka_unit_test(test_maven_vectors),
		cmocka_unit_test(test_debian_vectors),
		cmocka_unit_test(test_alpine_vectors),
		cmocka_unit_test(test_pypi_rules),
		cmocka_unit_test(test_pypi_refused),
		cmocka_unit_test(test_maven_rules),
		cmocka_unit_test(test_maven_refused),
		cmocka_unit_test(test_dpkg_rules),
		cmocka_unit_test(test_dpkg_refused),
		cmocka_unit_test(test_apk_rules),
		cmocka_unit_test(test_apk_refused),
		cmocka_unit_test(test_ecosystems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
