/*
 * ingest/sarif: the push checker (sg_sarif_check_*) against the file reader.
 * "A document the checker accepts must be one sg_sarif_read_file accepts and
 * vice versa (same diagnostics)": every SARIF file of ../shared/corpus/sarif,
 * the fixtures of tests/unit/fixtures/sarif and hostile logs written here are
 * read by sg_sarif_read_file() as an ingest reads them (a sink that can
 * abandon), and pushed to the checker in chunks of several sizes; the result,
 * every field of the error and the summary must be the same.
 * Clause: sast (an upload is refused before anything is locked or written).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/sarif.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/limits.h"

#define CORPUS "../shared/corpus/sarif"
#define FIX "tests/unit/fixtures/sarif"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* A run whose tool comes after its results: read twice (pass 2). */
#define LATE_TOOL                                                                                  \
	"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleIndex\": 1, \"message\": {\"text\": \"m\"}}]," \
	" \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"A\"}, {\"id\": \"B\"}]}}}]}"

/* ---- a sink that takes everything, as an ingest's would ---- */

static int take_result(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		       struct sg_error *err)
{
	(void)run;
	(void)res;
	(void)err;
	(*(long long *)ctx)++;
	return 0;
}

static int take_abandon(void *ctx, struct sg_error *err)
{
	(void)err;
	*(long long *)ctx = 0;
	return 0;
}

/* ---- what one read ended with ---- */

struct outcome {
	int rc;
	struct sg_error err;
	struct sg_sarif_summary summary;
};

static void read_file(const char *path, const char *name, const struct sg_sarif_options *opts, struct outcome *o)
{
	long long results = 0;
	struct sg_sarif_sink sink = {&results, NULL, take_result, NULL, take_abandon};

	memset(o, 0, sizeof(*o));
	sg_error_clear(&o->err);
	o->rc = sg_sarif_read_file(path, name, opts, &sink, &o->summary, &o->err);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	data = malloc(*len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, *len, f), *len);
	fclose(f);
	return data;
}

/* Push data in chunks of `chunk` bytes (0: at once). */
static void check_pushed(const char *data, size_t len, size_t chunk, const char *name,
			 const struct sg_sarif_options *opts, struct outcome *o)
{
	struct sg_sarif_check *c = NULL;
	size_t at = 0, n;

	memset(o, 0, sizeof(*o));
	sg_error_clear(&o->err);
	o->rc = sg_sarif_check_new(name, opts, &c, &o->err);
	assert_int_equal(o->rc, 0);
	while (o->rc == 0 && at < len) {
		n = chunk == 0 || chunk > len - at ? len - at : chunk;
		o->rc = sg_sarif_check_feed(c, data + at, n, &o->err);
		at += n;
	}
	if (o->rc == 0)
		o->rc = sg_sarif_check_finish(c, &o->summary, &o->err);
	sg_sarif_check_free(c);
}

static void assert_same_outcome(const struct outcome *want, const struct outcome *got, const char *what,
				size_t chunk)
{
	const struct sg_error *a = &want->err, *b = &got->err;

	/* (after a success the error holds nothing of interest) */
	if (want->rc != got->rc ||
	    (want->rc != 0 &&
	     (a->diag != b->diag || strcmp(a->message, b->message) != 0 || strcmp(a->where, b->where) != 0 ||
	      a->line != b->line || a->column != b->column || a->offset != b->offset ||
	      strcmp(a->pointer, b->pointer) != 0)))
		fail_msg("%s, chunks of %zu: read_file %d [%s] %s:%ld:%ld (%lld) %s: %s\n"
			 "                  checker %d [%s] %s:%ld:%ld (%lld) %s: %s",
			 what, chunk, want->rc, sg_diag_id(a->diag), a->where, a->line, a->column, a->offset,
			 a->pointer, a->message, got->rc, sg_diag_id(b->diag), b->where, b->line, b->column,
			 b->offset, b->pointer, b->message);
	if (want->rc != 0)
		return;
	if (memcmp(want->summary.sha256, got->summary.sha256, SG_SHA256_BYTES) != 0 ||
	    want->summary.n_runs != got->summary.n_runs || want->summary.n_results != got->summary.n_results ||
	    want->summary.n_not_failures != got->summary.n_not_failures ||
	    want->summary.n_absent != got->summary.n_absent)
		fail_msg("%s, chunks of %zu: the summaries differ (runs %d/%d, results %lld/%lld, "
			 "not failures %lld/%lld, absent %lld/%lld)",
			 what, chunk, want->summary.n_runs, got->summary.n_runs, want->summary.n_results,
			 got->summary.n_results, want->summary.n_not_failures, got->summary.n_not_failures,
			 want->summary.n_absent, got->summary.n_absent);
}

struct tally {
	int files, accepted, refused;
};

/*
 * The file as an ingest reads it (live, with a sink that can abandon),
 * against the checker fed 1, 7, 4096 and 65537 bytes at a time and all at
 * once. The name given stands for the path in every error.
 */
static void check_file(const char *path, const struct sg_sarif_options *opts, struct tally *t)
{
	static const size_t sizes[] = {1, 7, 4096, 65537, 0};
	struct outcome want, got;
	size_t len, i;
	char *data = slurp(path, &len);

	read_file(path, "upload.sarif", opts, &want);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] == 1 && len > (1U << 20))
			continue; /* a byte at a time is for the smaller files */
		check_pushed(data, len, sizes[i], "upload.sarif", opts, &got);
		assert_same_outcome(&want, &got, path, sizes[i]);
	}
	t->files++;
	if (want.rc == 0)
		t->accepted++;
	else
		t->refused++;
	free(data);
}

/* ---- the files ---- */

#define MAX_PATHS 1024

static char *paths[MAX_PATHS];
static size_t n_paths;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && n_paths < MAX_PATHS &&
	    (strstr(path, ".sarif") || (strlen(path) > 5 && strcmp(path + strlen(path) - 5, ".json") == 0))) {
		paths[n_paths] = strdup(path);
		assert_non_null(paths[n_paths]);
		n_paths++;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_tree(const char *dir, struct tally *t)
{
	size_t i;

	n_paths = 0;
	assert_int_equal(nftw(dir, collect, 16, FTW_PHYS), 0);
	qsort(paths, n_paths, sizeof(paths[0]), by_name);
	for (i = 0; i < n_paths; i++) {
		check_file(paths[i], &(struct sg_sarif_options){NULL, NULL}, t);
		free(paths[i]);
	}
	n_paths = 0;
}

/* Every log of the corpus: most are accepted, a few are not SARIF 2.1.0. */
static void test_corpus(void **state)
{
	struct tally t = {0, 0, 0};

	(void)state;
	check_tree(CORPUS, &t);
	print_message("%d corpus files: %d accepted, %d refused, alike\n", t.files, t.accepted, t.refused);
	assert_true(t.files >= 120);
	assert_true(t.accepted >= 100);
	assert_true(t.refused >= 1);
}

/* The fixtures: bad rule and artifact references, no tool, no version, a
 * tool after its results and uriBaseIds late (pass 2), truncation. */
static void test_fixtures(void **state)
{
	struct tally t = {0, 0, 0};

	(void)state;
	check_tree(FIX, &t);
	assert_int_equal(t.files, 20);
	assert_true(t.accepted >= 10);
	assert_true(t.refused >= 6);
}

/* Options count: a category override and a source root change nothing in
 * what is accepted, and are copied by the checker. */
static void test_options(void **state)
{
	char *root = strdup("/src"), *category = strdup("cat");
	struct sg_sarif_options opts = {root, category};
	struct tally t = {0, 0, 0};

	(void)state;
	check_file(FIX "/uribase.sarif", &opts, &t);
	check_file(FIX "/uribase_late.sarif", &opts, &t);
	check_file(FIX "/automation.sarif", &opts, &t);
	free(root);
	free(category);
	assert_int_equal(t.accepted, 3);
}

/* The checker keeps its own copy of the options and the name: the
 * caller's may be gone before the upload ends (pass 2 reads them last). */
static void test_options_copied(void **state)
{
	static const char late_bad[] =
		"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleIndex\": 2}],"
		" \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"A\"}]}}}]}";
	char *name = strdup("upload"), *category = strdup("cat"), *root = strdup("/src");
	struct sg_sarif_options opts = {root, category};
	struct sg_sarif_check *c = NULL;
	struct sg_sarif_summary sum;
	struct sg_error err;

	(void)state;
	assert_non_null(name);
	assert_non_null(category);
	assert_non_null(root);
	sg_error_clear(&err);
	assert_int_equal(sg_sarif_check_new(name, &opts, &c, &err), 0);
	free(name);
	free(category);
	free(root);
	assert_int_equal(sg_sarif_check_feed(c, LATE_TOOL, strlen(LATE_TOOL), &err), 0);
	assert_int_equal(sg_sarif_check_finish(c, &sum, &err), 0);
	assert_int_equal(sum.n_results, 1);
	sg_sarif_check_free(c);

	name = strdup("upload");
	assert_non_null(name);
	assert_int_equal(sg_sarif_check_new(name, NULL, &c, &err), 0);
	free(name);
	assert_int_equal(sg_sarif_check_feed(c, late_bad, sizeof(late_bad) - 1, &err), 0);
	assert_int_equal(sg_sarif_check_finish(c, &sum, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_SARIF_BAD_RULE_REF);
	assert_string_equal(err.where, "upload");
	sg_sarif_check_free(c);
}

/* ---- hostile logs, written here ---- */

static const char *const hostile[] = {
	"",
	"   ",
	"\xEF\xBB\xBF",
	"\xEF\xBB\xBF{\"version\":\"2.1.0\",\"runs\":[]}",
	"\xEF\xBB\xBF\xEF\xBB\xBF{\"version\":\"2.1.0\",\"runs\":[]}",
	"this is not json",
	"[{\"version\": \"2.1.0\"}]",
	"\"2.1.0\"",
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}",
	"{\"version\": \"2.1.0\", \"runs\": [] ",
	"{\"version\": \"2.1.0\", \"runs\": []} {\"x\": 1}",
	"{\"version\": \"2.1.0\", \"runs\": [],}",
	"{\"version\": \"2.0.0\", \"runs\": []}",
	"{\"version\": 2.1, \"runs\": []}",
	"{\"runs\": []}",
	"{\"version\": \"2.1.0\"}",
	"{\"version\": \"2.1.0\", \"version\": \"2.1.0\", \"runs\": []}",
	"{\"version\": \"2.1.0\", \"runs\": [], \"runs\": null}",
	"{\"version\": \"2.1.0\", \"runs\": 7}",
	"{\"version\": \"2.1.0\", \"runs\": [7]}",
	"{\"version\": \"2.1.0\", \"runs\": [{}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": 1}}}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": 5}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": [],"
	" \"results\": []}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": [3]}]}",
	/* a result's own members, read live */
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"level\": \"fatal\", \"message\": {\"text\": \"m\"}}]}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleIndex\": 3, \"message\": {\"text\": \"m\"}}]}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"locations\": [{\"physicalLocation\": {\"region\": {\"startLine\": -1}}}]}]}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a%zz\"}}}]}]}]}",
	/* the same, with the version last: nothing is read live, pass 2 finds them */
	"{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"level\": \"fatal\", \"message\": {\"text\": \"m\"}}]}], \"version\": \"2.1.0\"}",
	"{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleIndex\": 3, \"message\": {\"text\": \"m\"}}]}], \"version\": \"2.1.0\"}",
	"{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleIndex\": 3}]}], \"version\": \"2.2\"}",
	/* a tool after the results: pass 2 resolves them against it */
	LATE_TOOL,
	"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleIndex\": 2, \"message\": {\"text\": \"m\"}}],"
	" \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"A\"}, {\"id\": \"B\"}]}}}]}",
	/* context after the results of a live run: what was read live is abandoned */
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a.c\","
	" \"uriBaseId\": \"S\"}}}]}], \"originalUriBaseIds\": {\"S\": {\"uri\": \"file:///src/\"}}}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"index\": 0}}}]}],"
	" \"artifacts\": [{\"location\": {\"uri\": \"b.c\"}}]}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": ["
	"{\"ruleId\": \"R\", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"index\": 1}}}]}],"
	" \"artifacts\": [{\"location\": {\"uri\": \"b.c\"}}]}]}",
	/* a deferred structural problem, then broken JSON */
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [7]}}, \"results\": [",
	"{\"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [7]}}}], \"version\": \"2.1.0\"}",
	/* bytes */
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\\u0000\"}}}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"\xc0\xaf\"}}}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"\xff\"}}}]}",
};

static char *write_temp(const char *data, size_t len)
{
	char *path = strdup("/tmp/sg-sarif-check-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void check_text(const char *data, size_t len, struct tally *t)
{
	char *path = write_temp(data, len);

	check_file(path, &(struct sg_sarif_options){NULL, NULL}, t);
	unlink(path);
	free(path);
}

static void test_hostile(void **state)
{
	struct tally t = {0, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		check_text(hostile[i], strlen(hostile[i]), &t);
	print_message("%d hostile logs: %d accepted, %d refused, alike\n", t.files, t.accepted, t.refused);
	assert_true(t.accepted >= 3);
	assert_true(t.refused >= 30);
}

/* A NUL byte, and a real log cut short, with NUL bytes, and with its last
 * result's ruleIndex out of range (found live, after many good results). */
static void test_hostile_real_log(void **state)
{
	static const char nul[] = "{\"version\": \"2.1.0\",\0 \"runs\": []}";
	struct tally t = {0, 0, 0};
	size_t len, cut;
	char *data = slurp(FIX "/fingerprints.sarif", &len), *p, *last, *bad;

	(void)state;
	check_text(nul, sizeof(nul) - 1, &t);
	for (cut = 1; cut < len; cut += len / 17 + 1)
		check_text(data, cut, &t);
	data[len / 2] = '\0';
	check_text(data, len, &t);
	free(data);
	/* CodeQL's log (several blocks long) with its last ruleIndex past the
	 * rules: refused live, at that result, after all the others */
	data = slurp(CORPUS "/defectdojo/codeQL-output.sarif", &len);
	for (p = strstr(data, "\"ruleIndex\""), last = NULL; p; p = strstr(p + 1, "\"ruleIndex\""))
		last = p;
	assert_non_null(last);
	last += strlen("\"ruleIndex\"");
	while (*last == ' ' || *last == ':')
		last++;
	bad = malloc(len + 16);
	assert_non_null(bad);
	memcpy(bad, data, (size_t)(last - data));
	memcpy(bad + (last - data), "99999999", 8);
	memcpy(bad + (last - data) + 8, last, len - (size_t)(last - data));
	check_text(bad, len + 8, &t);
	free(bad);
	free(data);
	assert_true(t.refused >= 19);
}

/* ---- the checker's own contract ---- */

static const char good[] = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}},"
			   " \"results\": [{\"ruleId\": \"R\", \"kind\": \"pass\", \"message\": {\"text\": \"m\"}},"
			   " {\"ruleId\": \"R\", \"message\": {\"text\": \"m\"}}]}]}";

/* "After an error every later feed/finish returns the same error." */
static void test_error_sticks(void **state)
{
	static const char bad[] = "{\"version\": \"2.0.0\", \"runs\": []}";
	struct sg_sarif_check *c = NULL;
	struct sg_error err, first, again;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_sarif_check_new("upload", NULL, &c, &err), 0);
	assert_int_equal(sg_sarif_check_feed(c, bad, sizeof(bad) - 1, &err), 0);
	assert_int_equal(sg_sarif_check_finish(c, NULL, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_SARIF_VERSION);
	assert_string_equal(err.where, "upload");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 13);
	first = err;
	sg_error_clear(&again);
	assert_int_equal(sg_sarif_check_feed(c, "x", 1, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	sg_error_clear(&again);
	assert_int_equal(sg_sarif_check_finish(c, NULL, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	sg_sarif_check_free(c);
}

/* A tool after its results: the checker reads them again from its copy,
 * resolved against the tool, as pass 2 of the file reader does. */
static void test_late_context(void **state)
{
	static const char late_bad[] =
		"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleIndex\": 2, \"message\": {\"text\": \"m\"}}],"
		" \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"A\"}, {\"id\": \"B\"}]}}}]}";
	struct outcome o;

	(void)state;
	check_pushed(LATE_TOOL, strlen(LATE_TOOL), 3, "upload", NULL, &o);
	assert_int_equal(o.rc, 0);
	assert_int_equal(o.summary.n_runs, 1);
	assert_int_equal(o.summary.n_results, 1);
	check_pushed(late_bad, strlen(late_bad), 3, "upload", NULL, &o);
	assert_int_equal(o.rc, SG_EINPUT);
	assert_true(o.err.diag == SG_DIAG_SARIF_BAD_RULE_REF);
	assert_string_equal(o.err.where, "upload");
	assert_string_equal(o.err.pointer, "/runs/0/results/0");
	assert_int_equal(o.err.line, 1);
}

/* A bad log is refused at the block that shows it, before its end. */
static void test_refused_early(void **state)
{
	size_t len = 2 * SG_JSON_READ_CHUNK;
	char *data = malloc(len);
	struct sg_sarif_check *c = NULL;
	struct sg_error err;

	(void)state;
	assert_non_null(data);
	memset(data, ' ', len);
	memcpy(data + 10, "{\"version\": \"2.1.0\", \"runs\": [7, }", 34);
	sg_error_clear(&err);
	assert_int_equal(sg_sarif_check_new("upload", NULL, &c, &err), 0);
	assert_int_equal(sg_sarif_check_feed(c, data, len, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_JSON_SYNTAX);
	assert_int_equal(err.offset, 43);
	sg_sarif_check_free(c);
	free(data);
}

/* The summary is that of the file, and finish may be asked again. */
static void test_summary(void **state)
{
	struct sg_sarif_check *c = NULL;
	struct sg_sarif_summary sum, again;
	struct sg_error err;
	unsigned char sha[SG_SHA256_BYTES];

	(void)state;
	sg_error_clear(&err);
	sg_sha256(good, sizeof(good) - 1, sha);
	assert_int_equal(sg_sarif_check_new("upload", NULL, &c, &err), 0);
	assert_int_equal(sg_sarif_check_feed(c, good, 10, &err), 0);
	assert_int_equal(sg_sarif_check_feed(c, good + 10, sizeof(good) - 11, &err), 0);
	assert_int_equal(sg_sarif_check_finish(c, &sum, &err), 0);
	assert_memory_equal(sum.sha256, sha, SG_SHA256_BYTES);
	assert_int_equal(sum.n_runs, 1);
	assert_int_equal(sum.n_results, 2);
	assert_int_equal(sum.n_not_failures, 1);
	assert_int_equal(sg_sarif_check_finish(c, &again, &err), 0);
	assert_memory_equal(&again, &sum, sizeof(sum));
	assert_int_equal(sg_sarif_check_feed(c, " ", 1, &err), SG_EINTERNAL);
	assert_true(err.diag == SG_DIAG_INTERNAL);
	sg_sarif_check_free(c);
	sg_sarif_check_free(NULL);
}

/* Allocation failures: a clean SG_ENOMEM, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
	const char *late = LATE_TOOL; /* a tool after its results: pass 2 runs */
	unsigned long n;
	int ok = 0, failed = 0;

	(void)state;
	for (n = 1; n <= 60; n++) {
		struct sg_sarif_check *c = NULL;
		struct sg_error err;
		int rc;

		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_sarif_check_new("upload", &(struct sg_sarif_options){"/src", "c"}, &c, &err);
		if (!rc)
			rc = sg_sarif_check_feed(c, late, strlen(late), &err);
		if (!rc)
			rc = sg_sarif_check_finish(c, NULL, &err);
		sg_alloc_fail_after(0);
		sg_sarif_check_free(c);
		if (rc == 0) {
			ok++;
			continue;
		}
		failed++;
		assert_int_equal(rc, SG_ENOMEM);
		assert_true(err.diag == SG_DIAG_NO_MEMORY);
	}
	assert_true(failed > 0);
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_options_copied),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_hostile_real_log),
		cmocka_unit_test(test_late_context),
		cmocka_unit_test(test_error_sticks),
		cmocka_unit_test(test_refused_early),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
