/*
 * sca/version for PyPI, Debian and Maven against the reference
 * implementations installed on this machine:
 *
 * - PyPI: packaging.version.Version of Debian's python3-packaging (for
 *   /usr/bin/python3; the pyenv python3 on PATH lacks it), run once over
 *   every version of osv-scalibr's pypi-versions*.txt plus generated ones
 *   (epochs, pre/post/dev/local combinations in every spelling, numbers
 *   beyond 64 bits, whitespace, random edits that mostly break them).
 *   shipgate must accept exactly what Version() accepts and order every
 *   pair of accepted ones the same.
 * - Debian: `dpkg --compare-versions`, one process per pair, so about 1500
 *   pairs: versions of debian-versions*.txt and generated ones (epochs, "~",
 *   "+", letters, revisions, characters dpkg only warns about, and what it
 *   refuses). For each pair dpkg is asked whether shipgate's answer holds
 *   (exit 0), or, where shipgate refuses a side, must refuse too (exit 2).
 * - Maven: ComparableVersion of Debian's maven-artifact 3.8.7 through a
 *   small Java program, over maven-versions*.txt and generated versions.
 *
 * Deliberate differences, not generated here and tested in
 * test_version_distro: packaging's four non-ASCII letters that Python's
 * IGNORECASE folds to ASCII; dpkg's "" and "<unknown>" ("no version");
 * Maven's non-ASCII and control characters.
 *
 * A reference tool that is missing skips its test with a message.
 * Everything is deterministic (fixed seeds, no clock).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sca/version.h"

#define VECTORS "../shared/corpus/versions/osv-scalibr/"
#define PYTHON "/usr/bin/python3"
#define DPKG "/usr/bin/dpkg"
#define JAVA "/usr/bin/java"
#define JAVAC "/usr/bin/javac"
#define MAVEN_ARTIFACT "/usr/share/maven/lib/maven-artifact-3.x.jar"
#define MAX_VERSION_BYTES 256 /* SG_VERSION_MAX_BYTES: longer ones are refused, not compared */
#define HASH_SLOTS (1u << 16)
#define MAX_REPORTED 10
#define DPKG_PAIRS 1500

/* ---- a set of distinct version strings ---- */

struct corpus {
	char **v;
	size_t n, cap;
	uint32_t slot[HASH_SLOTS]; /* index + 1, 0 when free */
};

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void add(struct corpus *c, const char *v)
{
	uint32_t h = fnv1a(v) & (HASH_SLOTS - 1);

	if (strlen(v) > MAX_VERSION_BYTES)
		return;
	while (c->slot[h]) {
		if (strcmp(c->v[c->slot[h] - 1], v) == 0)
			return;
		h = (h + 1) & (HASH_SLOTS - 1);
	}
	assert_true(c->n < HASH_SLOTS / 2);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		assert_non_null(c->v);
	}
	c->v[c->n] = strdup(v);
	assert_non_null(c->v[c->n]);
	c->slot[h] = (uint32_t)++c->n;
}

static struct corpus *corpus_new(void)
{
	struct corpus *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

static void corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	free(c);
}

/* Both sides of every "A <op> B" line of a vector file. */
static void add_vector_file(struct corpus *c, const char *name)
{
	char path[256], line[1024], a[512], op[8], b[512];
	FILE *f;

	snprintf(path, sizeof(path), VECTORS "%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "# ", 2) != 0 && strncmp(line, "// ", 3) != 0 &&
		    sscanf(line, "%511s %7s %511s", a, op, b) == 3) {
			add(c, a);
			add(c, b);
		}
	fclose(f);
}

/* A small deterministic generator (the test must not vary run to run). */
static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

#define PICK(seed, arr) (arr)[next_random(seed) % (sizeof(arr) / sizeof((arr)[0]))]

/* One or two random edits (insert, delete, replace) with bytes of alphabet. */
static void add_edited(struct corpus *c, const char *v, const char *alphabet, uint32_t *seed)
{
	char buf[MAX_VERSION_BYTES + 8];
	size_t len = strlen(v), na = strlen(alphabet), pos, edits, e;

	if (len + 4 > sizeof(buf))
		return;
	memcpy(buf, v, len + 1);
	edits = 1 + next_random(seed) % 2;
	for (e = 0; e < edits; e++) {
		pos = len ? next_random(seed) % (len + 1) : 0;
		switch (next_random(seed) % 3) {
		case 0:
			memmove(buf + pos + 1, buf + pos, len - pos + 1);
			buf[pos] = alphabet[next_random(seed) % na];
			len++;
			break;
		case 1:
			if (pos < len) {
				memmove(buf + pos, buf + pos + 1, len - pos);
				len--;
			}
			break;
		default:
			if (pos < len)
				buf[pos] = alphabet[next_random(seed) % na];
			break;
		}
	}
	if (len > 0)
		add(c, buf);
}

/* Run argv with stdout to out_fd (or /dev/null when -1) and stderr to
 * /dev/null; its exit status, or -1 if it did not exit. */
static int run(char *const argv[], int out_fd)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	if (out_fd >= 0)
		assert_int_equal(posix_spawn_file_actions_adddup2(&fa, out_fd, 1), 0);
	else
		assert_int_equal(posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0), 0);
	assert_int_equal(posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0), 0);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(rc, 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(char *path, const char *data, size_t len)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* Versions one a line as "x" + hex (no byte of a version can break a line). */
static void write_versions(char *path, const struct corpus *c)
{
	FILE *f;
	size_t i, k;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (i = 0; i < c->n; i++) {
		fputc('x', f);
		for (k = 0; c->v[i][k]; k++)
			fprintf(f, "%02x", (unsigned char)c->v[i][k]);
		fputc('\n', f);
	}
	assert_int_equal(fclose(f), 0);
}

/* Pairs as "i j" lines: each version with the next one (neighbours come
 * from the same base, so they differ in one detail) and with a random one. */
static size_t write_pairs(char *path, size_t n, uint32_t seed, size_t **pairs_out)
{
	size_t *pairs = malloc(4 * n * sizeof(*pairs)), np = 0, i;
	FILE *f;
	int fd = mkstemp(path);

	assert_non_null(pairs);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (i = 0; i < n; i++) {
		pairs[2 * np] = i;
		pairs[2 * np + 1] = (i + 1) % n;
		np++;
		pairs[2 * np] = i;
		pairs[2 * np + 1] = next_random(&seed) % n;
		np++;
	}
	for (i = 0; i < np; i++)
		fprintf(f, "%zu %zu\n", pairs[2 * i], pairs[2 * i + 1]);
	assert_int_equal(fclose(f), 0);
	*pairs_out = pairs;
	return np;
}

static char our_answer(enum sg_vorder order, const char *a, const char *b)
{
	struct sg_error err;
	int c = 0, rc;

	sg_error_clear(&err);
	rc = sg_version_compare(order, a, b, &c, &err);
	if (rc) {
		assert_int_equal(rc, SG_EINPUT);
		assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
		return '.';
	}
	return c < 0 ? '<' : c > 0 ? '>' : '=';
}

static int accepts(enum sg_vorder order, const char *v)
{
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_version_check(order, v, &err) == 0)
		return 1;
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	return 0;
}

/*
 * A reference run over versions and pairs files: its first line "ok N ..."
 * (or "skip" and why), then a line of 0/1 per version (accepted), then a
 * line of <, =, > or . (a side refused) per pair. Compared with shipgate:
 * the number of differences, or -1 when the reference asked to be skipped
 * (the caller removes its files first, then asserts).
 */
static int compare_with_reference(enum sg_vorder order, const char *tool, char *const argv[],
				   const struct corpus *c, const size_t *pairs, size_t np)
{
	char out_path[] = "/tmp/sg-vdiff-out-XXXXXX", *line = NULL;
	size_t cap = 0, i, bad = 0, n_valid = 0, n_compared = 0;
	ssize_t len;
	FILE *f;
	int fd = mkstemp(out_path), status;

	assert_true(fd >= 0);
	status = run(argv, fd);
	assert_int_equal(close(fd), 0);
	f = fopen(out_path, "r");
	assert_non_null(f);
	len = getline(&line, &cap, f);
	if (len <= 0 || strncmp(line, "ok ", 3) != 0) {
		fclose(f);
		unlink(out_path);
		if (len > 0 && strncmp(line, "skip ", 5) == 0) {
			print_message("%s: %s", tool, line + 5);
			free(line);
			return -1;
		}
		fail_msg("%s failed (exit %d): %s", tool, status, len > 0 ? line : "no output");
	}
	assert_int_equal(status, 0);
	assert_int_equal((size_t)strtoul(line + 3, NULL, 10), c->n);
	print_message("%s: %s", tool, line + 3);
	len = getline(&line, &cap, f);
	assert_true(len >= (ssize_t)c->n);
	for (i = 0; i < c->n; i++) {
		int want = line[i] == '1';

		n_valid += (size_t)want;
		if (accepts(order, c->v[i]) != want && bad++ < MAX_REPORTED)
			print_message("\"%s\": %s %s it, shipgate does not\n", c->v[i], tool,
				      want ? "accepts" : "refuses");
	}
	len = getline(&line, &cap, f);
	assert_true(len >= (ssize_t)np);
	for (i = 0; i < np; i++) {
		const char *a = c->v[pairs[2 * i]], *b = c->v[pairs[2 * i + 1]];
		char got = our_answer(order, a, b);

		n_compared += line[i] != '.';
		if (got != line[i] && bad++ < MAX_REPORTED)
			print_message("\"%s\" vs \"%s\": %s %c, shipgate %c\n", a, b, tool, line[i], got);
	}
	free(line);
	fclose(f);
	unlink(out_path);
	print_message("%zu versions (%zu valid), %zu pairs, %zu ordered by both, %zu differences\n", c->n,
		      n_valid, np, n_compared, bad);
	assert_true(n_valid > c->n / 4);
	assert_true(n_compared > np / 4);
	return (int)bad;
}

/* ---- PyPI against packaging ---- */

static const char pypi_script[] =
	"import sys\n"
	"try:\n"
	"    import packaging\n"
	"    from packaging.version import Version, InvalidVersion\n"
	"except ImportError:\n"
	"    print('skip python3-packaging is not installed for " PYTHON "'); sys.exit(0)\n"
	"if int(packaging.__version__.split('.')[0]) < 22:\n"
	"    print('skip packaging %s still has LegacyVersion' % packaging.__version__); sys.exit(0)\n"
	"vs = [bytes.fromhex(l.strip()[1:]).decode('utf-8', 'surrogateescape') for l in open(sys.argv[1])]\n"
	"def parse(v):\n"
	"    try:\n"
	"        return Version(v)\n"
	"    except InvalidVersion:\n"
	"        return None\n"
	"ps = [parse(v) for v in vs]\n"
	"out = []\n"
	"for l in open(sys.argv[2]):\n"
	"    a, b = (ps[int(x)] for x in l.split())\n"
	"    out.append('.' if a is None or b is None else '<' if a < b else '>' if a > b else '=')\n"
	"print('ok %d versions, packaging %s' % (len(vs), packaging.__version__))\n"
	"print(''.join('0' if p is None else '1' for p in ps))\n"
	"print(''.join(out))\n";

static void generate_pypi(struct corpus *c)
{
	static const char *const bases[] = {
		"0", "1", "1.0", "1.0.0", "1.2.3", "2.1", "1.2.3.4.5", "01.02", "0.0.0.1", "10.0",
		"18446744073709551616.1", "1.18446744073709551615", "v1.0", "V2.0", "2019.12.304",
	};
	static const char *const epochs[] = {"", "", "", "1!", "0!", "2!", "01!", "99999999999999999999!"};
	static const char *const pres[] = {
		"", "", "", "a1", "a", "b2", "rc3", "c1", "alpha1", "beta", "pre2", "preview3", ".a1", "-b2",
		"_rc3", "-alpha-1", ".c.1", "RC1", "Alpha", "a01", "a18446744073709551616", "b.", "rc-",
	};
	static const char *const posts[] = {
		"", "", "", ".post1", "-1", "post2", ".post", "-post_3", ".rev4", "r5", ".r", "-0", ".POST1",
		"_post-2", "-r.7", "post18446744073709551617",
	};
	static const char *const devs[] = {"", "", "", ".dev1", "dev", "-dev2", "_dev_3", ".DEV4", "dev0", ".dev-"};
	static const char *const locals[] = {
		"", "", "", "+local", "+1", "+a.1", "+1.a", "+abc-def_1", "+ABC", "+01", "+0", "+a", "+z.0",
		"+0.a", "+a.0.b", "+18446744073709551616",
	};
	static const char *const spaces[] = {
		"", "", "", "", " ", "\t", "\n", "\xc2\xa0", "\xe2\x80\x83", "\xc2\x85", "\x1f", "\x0b",
		"\xef\xbb\xbf", "\xe3\x80\x80", "\xe2\x80\xa8",
	};
	static const char *const odd[] = {
		"1.0.-1", "1..0", ".1", "1.", "1.0-", "1.0_1", "1.0+", "1.0+a..b", "1 .0", "1.0 a1",
		"1.0a1a2", "1.0.post1.post2", "1.0.dev1a1", "1.0.dev1.post1", "1!1!1", "v", "vv1",
		"1.0+\xc3\xa9", "1\xc3\xa9", "\xef\xbc\x91.0", "1.0-dev", "1.0-post", "1.0-rc1",
	};
	static const char edit_alphabet[] = "0123456789.!-_+abcdeilnoprstvwABCDEPRV \t";
	char v[MAX_VERSION_BYTES * 2];
	uint32_t seed = 440;
	size_t i, n0;

	for (i = 0; i < 2500; i++) {
		snprintf(v, sizeof(v), "%s%s%s%s%s%s%s", PICK(&seed, spaces), PICK(&seed, epochs),
			 PICK(&seed, bases), PICK(&seed, pres), PICK(&seed, posts), PICK(&seed, devs),
			 PICK(&seed, locals));
		add(c, v);
		if (i % 5 == 0) {
			size_t len = strlen(v);

			snprintf(v + len, sizeof(v) - len, "%s", PICK(&seed, spaces));
			add(c, v);
		}
	}
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		add(c, odd[i]);
	n0 = c->n;
	for (i = 0; i < n0; i += 2)
		add_edited(c, c->v[i], edit_alphabet, &seed);
}

static void test_pypi_against_packaging(void **state)
{
	char vpath[] = "/tmp/sg-vdiff-pypi-v-XXXXXX", ppath[] = "/tmp/sg-vdiff-pypi-p-XXXXXX";
	char spath[] = "/tmp/sg-vdiff-pypi-s-XXXXXX";
	char *argv[] = {PYTHON, spath, vpath, ppath, NULL};
	struct corpus *c;
	size_t *pairs, np;
	int differences;

	(void)state;
	if (access(PYTHON, X_OK) != 0) {
		print_message(PYTHON " missing: PyPI differential test skipped\n");
		skip();
	}
	c = corpus_new();
	add_vector_file(c, "pypi-versions.txt");
	add_vector_file(c, "pypi-versions-generated.txt");
	generate_pypi(c);
	assert_true(c->n > 10000);
	write_versions(vpath, c);
	np = write_pairs(ppath, c->n, 1, &pairs);
	write_file(spath, pypi_script, sizeof(pypi_script) - 1);
	differences = compare_with_reference(SG_VORDER_PYPI, "packaging", argv, c, pairs, np);
	unlink(vpath);
	unlink(ppath);
	unlink(spath);
	free(pairs);
	corpus_free(c);
	if (differences < 0)
		skip();
	assert_int_equal(differences, 0);
}

/* ---- Debian against dpkg ---- */

static void generate_dpkg(struct corpus *c)
{
	static const char *const bases[] = {
		"1.0", "1.2.3", "0.9", "2.30", "3.0", "1.0+dfsg", "20200101", "0", "10.2.1", "1.01",
		"1.18446744073709551616", "7.4.052", "2.7.4+reloaded2", "a1.0", ".1",
	};
	static const char *const epochs[] = {
		"", "", "", "", "", "0:", "1:", "1:", "2:", "10:", "00:", "-0:", "+1:", "2147483647:", "\n1:",
	};
	/* What dpkg refuses, one version in 16: most pairs should be ordered. */
	static const char *const bad_epochs[] = {"2147483648:", "a:", ":", "-1:", "1a:", "1 :"};
	static const char *const tails[] = {
		"", "", "", "~", "~~", "~rc1", "~beta2", "+b1", "+dfsg", "a", "z", "A", ".1", "+git20200101.abc",
		"~~pre", ".", "+", "~a", "Z~", "\xc3\xa9", "_1", "!", "\n",
	};
	static const char *const revisions[] = {
		"", "", "", "-1", "-0", "-00", "-1ubuntu1", "-1+deb10u1", "-1~bpo10+1", "-2.1", "-a",
		"-1-2", "-1~", "-~", "-1:2", "-1_2",
	};
	static const char *const bad_revisions[] = {"-", "-1 2", "--"};
	static const char *const blanks[] = {"", "", "", "", " ", "\t", " \t"};
	static const char edit_alphabet[] = "0123456789.-+~:aZ \t!";
	char v[MAX_VERSION_BYTES];
	uint32_t seed = 7;
	size_t i, n0;

	for (i = 0; i < 1200; i++) {
		int bad = next_random(&seed) % 16 == 0, bad_epoch = next_random(&seed) % 2;

		snprintf(v, sizeof(v), "%s%s%s%s%s%s", PICK(&seed, blanks),
			 bad && bad_epoch ? PICK(&seed, bad_epochs) : PICK(&seed, epochs), PICK(&seed, bases),
			 PICK(&seed, tails), bad && !bad_epoch ? PICK(&seed, bad_revisions) : PICK(&seed, revisions),
			 PICK(&seed, blanks));
		add(c, v);
	}
	n0 = c->n;
	for (i = 0; i < n0; i += 6)
		add_edited(c, c->v[i], edit_alphabet, &seed);
}

/* dpkg's answer to "a rel b": 0 true, 1 false, 2 a side refused. */
static int dpkg_says(const char *a, const char *rel, const char *b)
{
	char *argv[] = {DPKG, "--compare-versions", "--", (char *)a, (char *)rel, (char *)b, NULL};

	return run(argv, -1);
}

static void test_dpkg_against_dpkg(void **state)
{
	struct corpus *gen, *files;
	size_t i, bad = 0, n_refused = 0, n_asked = 0;
	uint32_t seed = 12;

	(void)state;
	if (access(DPKG, X_OK) != 0) {
		print_message(DPKG " missing: Debian differential test skipped\n");
		skip();
	}
	gen = corpus_new();
	files = corpus_new();
	generate_dpkg(gen);
	add_vector_file(files, "debian-versions.txt");
	add_vector_file(files, "debian-versions-generated.txt");
	assert_true(gen->n > 1000 && files->n > 5000);
	/* Two thirds generated (neighbours and random), one third from the
	 * vector files (random pairs the files do not hold). */
	for (i = 0; i < DPKG_PAIRS; i++) {
		const struct corpus *c = i % 3 == 2 ? files : gen;
		size_t x = next_random(&seed) % c->n;
		size_t y = i % 3 == 0 ? (x + 1) % c->n : next_random(&seed) % c->n;
		const char *a = c->v[x], *b = c->v[y];
		char got = our_answer(SG_VORDER_DPKG, a, b);
		const char *rel = got == '<' ? "lt" : got == '>' ? "gt" : "eq";
		int want = got == '.' ? 2 : 0, rc;

		rc = dpkg_says(a, rel, b);
		n_asked++;
		n_refused += got == '.';
		if (rc != want && bad++ < MAX_REPORTED)
			print_message("\"%s\" %s \"%s\": shipgate %s, dpkg exit %d\n", a, rel, b,
				      got == '.' ? "refuses" : "holds", rc);
	}
	print_message("dpkg: %zu pairs asked, %zu refused by both, %zu differences\n", n_asked, n_refused, bad);
	corpus_free(gen);
	corpus_free(files);
	assert_int_equal(bad, 0);
	assert_true(n_refused > DPKG_PAIRS / 20 && n_refused < DPKG_PAIRS * 3 / 4);
}

/* ---- Maven against ComparableVersion ---- */

static const char maven_class[] =
	"import org.apache.maven.artifact.versioning.ComparableVersion;\n"
	"import java.nio.charset.StandardCharsets;\n"
	"import java.nio.file.*;\n"
	"import java.util.*;\n"
	"public class MavenDiff {\n"
	"  public static void main(String[] args) throws Exception {\n"
	"    List<String> hex = Files.readAllLines(Paths.get(args[0]));\n"
	"    ComparableVersion[] vs = new ComparableVersion[hex.size()];\n"
	"    StringBuilder valid = new StringBuilder(), out = new StringBuilder();\n"
	"    for (int i = 0; i < vs.length; i++) {\n"
	"      String h = hex.get(i).substring(1);\n"
	"      byte[] b = new byte[h.length() / 2];\n"
	"      for (int k = 0; k < b.length; k++) b[k] = (byte) Integer.parseInt(h.substring(2 * k, 2 * k + 2), 16);\n"
	"      vs[i] = new ComparableVersion(new String(b, StandardCharsets.UTF_8));\n"
	"      valid.append('1');\n"
	"    }\n"
	"    for (String l : Files.readAllLines(Paths.get(args[1]))) {\n"
	"      String[] p = l.split(\" \");\n"
	"      int c = vs[Integer.parseInt(p[0])].compareTo(vs[Integer.parseInt(p[1])]);\n"
	"      out.append(c < 0 ? '<' : c > 0 ? '>' : '=');\n"
	"    }\n"
	"    System.out.println(\"ok \" + vs.length + \" versions, maven-artifact \" +\n"
	"      ComparableVersion.class.getPackage().getImplementationVersion());\n"
	"    System.out.println(valid);\n"
	"    System.out.println(out);\n"
	"  }\n"
	"}\n";

static void generate_maven(struct corpus *c)
{
	static const char *const bases[] = {
		"1", "1.0", "1.0.0", "1.2.3", "2.0.1", "0", "01.002", "1.2147483648", "1.9223372036854775808",
		"1.0000000000", "v3.3.0", "1.2.3.4.5",
	};
	static const char *const seps[] = {"", "", ".", "-", "-", "_"};
	static const char *const quals[] = {
		"", "", "alpha", "a", "a1", "beta", "b2", "milestone", "m3", "rc", "cr", "RC1", "snapshot",
		"SNAPSHOT", "ga", "final", "release", "Final", "sp", "sp1", "foo", "Beta-1", "1", "0", "00",
		"jre", "android", "x", "GA", "M1",
	};
	static const char edit_alphabet[] = "0123456789.-abcmrsx";
	char v[MAX_VERSION_BYTES];
	uint32_t seed = 3;
	size_t i, n0;

	for (i = 0; i < 2000; i++) {
		snprintf(v, sizeof(v), "%s%s%s%s%s", PICK(&seed, bases), PICK(&seed, seps), PICK(&seed, quals),
			 PICK(&seed, seps), PICK(&seed, quals));
		add(c, v);
	}
	n0 = c->n;
	for (i = 0; i < n0; i += 2)
		add_edited(c, c->v[i], edit_alphabet, &seed);
}

static void test_maven_against_comparable_version(void **state)
{
	char vpath[] = "/tmp/sg-vdiff-mvn-v-XXXXXX", ppath[] = "/tmp/sg-vdiff-mvn-p-XXXXXX";
	char dir[] = "/tmp/sg-vdiff-mvn-XXXXXX", src[64];
	char *argv[] = {JAVA, "-cp", MAVEN_ARTIFACT, src, vpath, ppath, NULL};
	struct corpus *c;
	size_t *pairs, np, i;
	FILE *f;
	int differences;

	(void)state;
	/* `java File.java` compiles the source: it needs a JDK, not just a JRE. */
	if (access(JAVA, X_OK) != 0 || access(JAVAC, X_OK) != 0 || access(MAVEN_ARTIFACT, R_OK) != 0) {
		print_message("a JDK (" JAVAC ") or " MAVEN_ARTIFACT " missing: Maven differential test skipped\n");
		skip();
	}
	c = corpus_new();
	add_vector_file(c, "maven-versions.txt");
	add_vector_file(c, "maven-versions-generated.txt");
	generate_maven(c);
	/* Every version here is one shipgate reads: printable ASCII only. */
	for (i = 0; i < c->n; i++)
		assert_true(accepts(SG_VORDER_MAVEN, c->v[i]));
	write_versions(vpath, c);
	np = write_pairs(ppath, c->n, 2, &pairs);
	/* java runs a single source file whose class name matches the file. */
	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/MavenDiff.java", dir);
	f = fopen(src, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(maven_class, 1, sizeof(maven_class) - 1, f), sizeof(maven_class) - 1);
	assert_int_equal(fclose(f), 0);
	differences = compare_with_reference(SG_VORDER_MAVEN, "ComparableVersion", argv, c, pairs, np);
	unlink(src);
	rmdir(dir);
	unlink(vpath);
	unlink(ppath);
	free(pairs);
	corpus_free(c);
	if (differences < 0)
		skip();
	assert_int_equal(differences, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pypi_against_packaging),
		cmocka_unit_test(test_dpkg_against_dpkg),
		cmocka_unit_test(test_maven_against_comparable_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
