/*
 * sca/version SG_VORDER_NPM against node-semver itself (Debian node-semver
 * 7.3.5 under /usr/share/nodejs/semver): every version string of
 * osv-scalibr's semver-versions.txt plus generated ones (pre-releases with
 * numeric and alphanumeric identifiers of differing lengths, build metadata,
 * loose prefixes and whitespace, numbers around 2^53, malformed and random
 * strings) goes to node once; for every pair both sides accept, shipgate's
 * order must be node's `compare(a, b, true)`, and shipgate must accept
 * exactly what `new SemVer(v, {loose: true})` accepts.
 *
 * Documented differences, checked as such:
 * - semver.valid(v, true) tests its expression before trimming, so it
 *   refuses trailing whitespace that compare() trims; shipgate follows
 *   compare().
 * - node-semver compares pre-release numbers of 2^53 and more as doubles
 *   (identifiers.js: `a = +a`), so distinct ones can be "equal"; shipgate
 *   compares them exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sca/version.h"

#define SEMVER_JS "/usr/share/nodejs/semver/"
#define CORPUS_FILE "../shared/corpus/versions/osv-scalibr/semver-versions.txt"
#define MAX_VERSIONS 1200
#define VERSION_BYTES 300
#define MAX_REPORTED 10

/* One node run over the file named by argv[1] (hex-encoded UTF-8, one
 * version a line): "ok N", then per version constructor-accepts and
 * valid()-accepts as two digits, then per version i a row "r" + one of
 * <, =, > or . (a side refused) for each j > i. */
static const char node_script[] =
	"const S=\"" SEMVER_JS "\";"
	"const SemVer=require(S+\"classes/semver\"),valid=require(S+\"functions/valid\");"
	"const vs=require(\"fs\").readFileSync(process.argv[1],\"utf8\").split(\"\\n\")"
	".filter(l=>l.length).map(h=>Buffer.from(h,\"hex\").toString(\"utf8\"));"
	"const o=vs.map(v=>{try{return new SemVer(v,true)}catch(e){return null}});"
	"const out=[\"ok \"+vs.length];"
	"vs.forEach((v,i)=>out.push((o[i]?\"1\":\"0\")+(valid(v,true)!==null?\"1\":\"0\")));"
	"for(let i=0;i<vs.length;i++){let r=\"r\";for(let j=i+1;j<vs.length;j++){"
	"if(!o[i]||!o[j]){r+=\".\";continue}const c=o[i].compare(o[j]);"
	"r+=c<0?\"<\":c>0?\">\":\"=\"}out.push(r)}"
	"process.stdout.write(out.join(\"\\n\")+\"\\n\");";

struct corpus {
	char v[MAX_VERSIONS][VERSION_BYTES];
	size_t n;
};

static void add(struct corpus *c, const char *v)
{
	size_t i;

	assert_true(strlen(v) < VERSION_BYTES);
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], v) == 0)
			return;
	assert_true(c->n < MAX_VERSIONS);
	snprintf(c->v[c->n++], VERSION_BYTES, "%s", v);
}

static void addf(struct corpus *c, const char *a, const char *b, const char *d, const char *e)
{
	char v[VERSION_BYTES];

	snprintf(v, sizeof(v), "%s%s%s%s", a, b, d, e);
	add(c, v);
}

static void add_corpus_file(struct corpus *c)
{
	char line[1024], a[512], op[8], b[512];
	FILE *f = fopen(CORPUS_FILE, "r");

	if (!f)
		fail_msg("cannot open %s", CORPUS_FILE);
	while (fgets(line, sizeof(line), f))
		if (line[0] != '/' && line[0] != '#' && sscanf(line, "%511s %7s %511s", a, op, b) == 3) {
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

static void generate(struct corpus *c)
{
	static const char *const mains[] = {
		"0.0.0", "1.2.3", "1.2.4", "1.3.0", "2.0.0", "10.0.0", "01.2.3", "1.2.34", "1.10.0",
	};
	static const char *const pres[] = {
		"", "-0", "-1", "-2", "-10", "-01", "-00", "-a", "-b", "-alpha", "-alpha.1", "-alpha.beta",
		"-beta", "-beta.2", "-beta.11", "-rc.1", "-A", "-Beta", "--", "-a-b", "-1a", "-a1", "-0.0",
		"-1.0", "-a.1.b", "-alpha.01", "-x-1", "-9007199254740990", "-9007199254740991",
		"-9007199254740992", "-9007199254740993", "-99999999999999999999", "-18446744073709551616",
		"-x.9007199254740993", "-1.2.3.4.5.6", "beta", "rc1", "0", "-", "-.x", "-a..b", "-a.",
		"-a_b", ".4", ".x",
	};
	static const char *const builds[] = {"", "+build", "+b.01", "+001.x-y", "+", "+a..b", "+a+b"};
	static const char *const prefixes[] = {
		"", "v", "=", "v=", " ", "=v ", "vv", "\t", "\xc2\xa0", "\xef\xbb\xbf", "x", "V", "-", "==v\n",
	};
	static const char *const suffixes[] = {"", " ", "\n", "\xe2\x80\xa8", "\xe3\x80\x80", "x"};
	static const char *const odd[] = {
		"9007199254740991.0.0", "9007199254740992.0.0", "0.0.9007199254740991",
		"0.0.0009007199254740991", "0.9007199254740991.1", "99999999999999999999.0.0", "1.2", "1",
		"1.2.3.4", "1.2.34.5", "1.2.10.5", "1.2.10.x", "1.2.3.x", "1.2.3-", "1.2.3-.x", "1.2.3-+b",
		"1.2.3+", "v", "", " ", "=", "x1.2.3", "1.2.3_4", "1.2.3-\xc3\xa9", "1 .2.3", "1.2 .3",
		"1.2.3 -beta", "1.2.3 beta", "1.2.3\xc2\xa0" "beta", "v 1.2.3", "1.2.3-4-foo", "1.2.3-5-Foo",
		"1.2.3-r100", "1.2.3-R2",
	};
	static const char alphabet[] = "0123456789.-+vVa=bz -0.1";
	char v[VERSION_BYTES];
	uint32_t seed = 20240229;
	size_t i, j, k, n;

	for (i = 0; i < sizeof(mains) / sizeof(mains[0]); i++)
		for (j = 0; j < sizeof(pres) / sizeof(pres[0]); j++)
			addf(c, "", mains[i], pres[j], builds[(i + j) % 4 == 0 ? 0 : (i * 7 + j) % 7]);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		for (j = 0; j < sizeof(suffixes) / sizeof(suffixes[0]); j++) {
			addf(c, prefixes[i], "1.2.3", "", suffixes[j]);
			addf(c, prefixes[i], "1.2.3-beta.1", "+b", suffixes[j]);
		}
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		add(c, odd[i]);
	/* Around the length limit (256 bytes; none of these is multi-byte). */
	memset(v, 0, sizeof(v));
	memcpy(v, "1.2.3-", 6);
	memset(v + 6, 'a', 250);
	add(c, v);
	v[256] = 'a';
	add(c, v);
	memset(v, 0, sizeof(v));
	memcpy(v, "1.2.3+", 6);
	memset(v + 6, 'b', 250);
	add(c, v);
	/* Random strings over version characters: mostly refused, some not. */
	for (i = 0; i < 200; i++) {
		n = 1 + next_random(&seed) % 14;
		for (k = 0; k < n; k++)
			v[k] = alphabet[next_random(&seed) % (sizeof(alphabet) - 1)];
		v[n] = '\0';
		add(c, v);
	}
	/* Random well-formed-ish versions: mains and pre-releases mixed. */
	for (i = 0; i < 200; i++) {
		const char *m = mains[next_random(&seed) % (sizeof(mains) / sizeof(mains[0]))];
		const char *p1 = pres[next_random(&seed) % 27];
		const char *p2 = pres[next_random(&seed) % 27];

		snprintf(v, sizeof(v), "%s%s%s%s", m, p1, p2[0] ? "." : "", p2[0] ? p2 + 1 : "");
		add(c, v);
	}
}

static void write_hex_file(const struct corpus *c, char *path)
{
	FILE *f;
	size_t i, k;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (i = 0; i < c->n; i++) {
		assert_true(c->v[i][0] != '\0'); /* an empty line would be dropped */
		for (k = 0; c->v[i][k]; k++)
			fprintf(f, "%02x", (unsigned char)c->v[i][k]);
		fputc('\n', f);
	}
	assert_int_equal(fclose(f), 0);
}

static int accepts(const char *v)
{
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_version_check(SG_VORDER_NPM, v, &err) == 0)
		return 1;
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	return 0;
}

static int ends_in_space(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && ((unsigned char)v[n - 1] >= 0x80 || v[n - 1] == ' ' ||
			 (v[n - 1] >= '\t' && v[n - 1] <= '\r'));
}

/* A digit run of 16 or more after the first "-": a pre-release number
 * node-semver may read as a rounded double. */
static int has_big_prerelease_number(const char *v)
{
	const char *p = strchr(v, '-');
	size_t run = 0;

	for (; p && *p && *p != '+'; p++) {
		run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
		if (run >= 16)
			return 1;
	}
	return 0;
}

static void test_npm_against_node_semver(void **state)
{
	static struct corpus c; /* large: not on the stack */
	char path[] = "/tmp/sg-npm-diff-XXXXXX", cmd[sizeof(node_script) + 128], *line = NULL;
	size_t cap = 0, i, j, n_pairs = 0, n_valid = 0, n_trailing = 0, n_doubles = 0, bad = 0;
	int ctor[MAX_VERSIONS], status, c_sign;
	ssize_t len;
	FILE *p;

	(void)state;
	if (access(SEMVER_JS "classes/semver.js", R_OK) != 0 || system("command -v node >/dev/null 2>&1") != 0) {
		print_message("node or node-semver (" SEMVER_JS ") missing: differential test skipped\n");
		skip();
	}
	c.n = 0;
	add_corpus_file(&c);
	generate(&c);
	assert_true(c.n > 600);
	/* Empty versions cannot be a hex line of their own; node refuses "" and
	 * " " alike and so does shipgate, so the empty one goes as " ". */
	for (i = 0; i < c.n; i++)
		if (c.v[i][0] == '\0')
			snprintf(c.v[i], VERSION_BYTES, " ");
	write_hex_file(&c, path);
	snprintf(cmd, sizeof(cmd), "node -e '%s' %s", node_script, path);
	p = popen(cmd, "r");
	assert_non_null(p);

	len = getline(&line, &cap, p);
	assert_true(len > 0);
	if (strncmp(line, "ok ", 3) != 0 || (size_t)strtoul(line + 3, NULL, 10) != c.n)
		fail_msg("node-semver run failed: %s", line);
	for (i = 0; i < c.n; i++) {
		len = getline(&line, &cap, p);
		assert_true(len >= 2);
		ctor[i] = line[0] == '1';
		if (accepts(c.v[i]) != ctor[i] && bad++ < MAX_REPORTED)
			print_message("acceptance differs for \"%s\": node %d\n", c.v[i], ctor[i]);
		/* valid() refuses only what compare() accepts after trimming. */
		if (line[1] != line[0]) {
			assert_true(ctor[i] && ends_in_space(c.v[i]));
			n_trailing++;
		}
		n_valid += (size_t)ctor[i];
	}
	for (i = 0; i < c.n; i++) {
		len = getline(&line, &cap, p);
		assert_true(len >= 1 && line[0] == 'r');
		assert_true((size_t)len >= 1 + (c.n - i - 1));
		for (j = i + 1; j < c.n; j++) {
			char want = line[1 + (j - i - 1)];
			struct sg_error err;
			int r;

			if (want == '.')
				continue;
			sg_error_clear(&err);
			r = sg_version_compare(SG_VORDER_NPM, c.v[i], c.v[j], &c_sign, &err);
			assert_int_equal(r, 0);
			n_pairs++;
			if ((c_sign < 0 ? '<' : c_sign > 0 ? '>' : '=') == want)
				continue;
			if (want == '=' && has_big_prerelease_number(c.v[i]) &&
			    has_big_prerelease_number(c.v[j])) {
				n_doubles++;
				continue;
			}
			if (bad++ < MAX_REPORTED)
				print_message("\"%s\" vs \"%s\": node %c, shipgate %d\n", c.v[i], c.v[j], want,
					      c_sign);
		}
	}
	free(line);
	status = pclose(p);
	unlink(path);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("%zu versions (%zu accepted by node-semver), %zu pairs compared, %zu trimmed by "
		      "compare() only, %zu pre-release numbers node rounds\n",
		      c.n, n_valid, n_pairs, n_trailing, n_doubles);
	assert_int_equal(bad, 0);
	/* The generated set must exercise what it claims to. */
	assert_true(n_valid > 400);
	assert_true(n_pairs > 50000);
	assert_true(n_trailing > 0);
	assert_true(n_doubles > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npm_against_node_semver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
