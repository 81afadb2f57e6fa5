/*
 * ingest/sarif: the SARIF 2.1.0 reader (FORMATS.md section 1), through a
 * recording sink, over the small logs in tests/unit/fixtures/sarif/.
 * Clause: sast ("SARIF ingest ...; a SAST scan of the release commit is
 * required"): what a tool reported must reach the store exactly, and a bad
 * log must be refused with a diagnostic id and a position.
 *
 * Each positive case runs twice: with a sink that cannot abandon (two passes;
 * nothing reaches it before the whole document is checked) and with one that
 * can (results may arrive live during pass 1). Both must end with the same
 * records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/severity.h"
#include "ingest/sarif.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/limits.h"

#define FIX "tests/unit/fixtures/sarif/"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* ---- the recording sink ---- */

#define MAX_RESULTS 16
#define MAX_RUNS 8
#define TXT 160

struct rec_fp {
	char name[64], value[64];
	int partial;
};

struct rec_result {
	int run;
	char rule_id[TXT];
	char rule_name[TXT];
	int has_rule_name;
	enum sg_level level;
	enum sg_severity severity;
	int from_score;
	char path[TXT];
	int has_path;
	long line, column;
	char snippet[TXT];
	int has_snippet;
	char message[TXT];
	size_t message_len;
	int message_utf8_ok;
	int n_fps;
	struct rec_fp fps[4];
};

struct rec_run {
	int index;
	char tool[TXT];
	char tool_version[TXT];
	int has_tool_version;
	char category[TXT];
	int results_null;
	long long result_count; /* at run_end */
	int ended;
};

struct recorder {
	int n_run_begin, n_result, n_run_end, n_abandon;
	int n_runs, n_results;
	struct rec_run runs[MAX_RUNS];
	struct rec_result results[MAX_RESULTS];
	int fail_result_at;   /* 1-based result call to refuse; 0 never */
	int fail_run_begin;   /* refuse the first run_begin */
	int calls_after_fail;
	int failed;
};

static void copy(char *dst, const char *src)
{
	snprintf(dst, TXT, "%s", src ? src : "");
}

/* Is s well-formed UTF-8 (no cut sequence, no stray continuation byte)? */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n;
		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xe0) == 0xc0)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0)
			n = 3;
		else
			return 0;
		p++;
		while (n-- > 0) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			p++;
		}
	}
	return 1;
}

static int on_run_begin(void *ctx, const struct sg_sarif_run *run, struct sg_error *err)
{
	struct recorder *r = ctx;
	struct rec_run *x;

	if (r->failed)
		r->calls_after_fail++;
	r->n_run_begin++;
	if (r->fail_run_begin) {
		r->failed = 1;
		return sg_error_set(err, SG_DIAG_CONFLICT, "refused run %d", run->index);
	}
	if (r->n_runs >= MAX_RUNS)
		return 0;
	x = &r->runs[r->n_runs++];
	memset(x, 0, sizeof(*x));
	x->index = run->index;
	copy(x->tool, run->tool);
	x->has_tool_version = run->tool_version != NULL;
	copy(x->tool_version, run->tool_version);
	copy(x->category, run->category);
	x->results_null = run->results_null;
	return 0;
}

static int on_result(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		     struct sg_error *err)
{
	struct recorder *r = ctx;
	struct rec_result *x;
	size_t i;

	if (r->failed)
		r->calls_after_fail++;
	r->n_result++;
	if (r->fail_result_at && r->n_result == r->fail_result_at) {
		r->failed = 1;
		return sg_error_set(err, SG_DIAG_CONFLICT, "refused result %d", r->n_result);
	}
	if (r->n_results >= MAX_RESULTS)
		return 0;
	x = &r->results[r->n_results++];
	memset(x, 0, sizeof(*x));
	x->run = run->index;
	copy(x->rule_id, res->rule_id);
	x->has_rule_name = res->rule_name != NULL;
	copy(x->rule_name, res->rule_name);
	x->level = res->level;
	x->severity = res->severity;
	x->from_score = res->severity_from_score;
	x->has_path = res->path != NULL;
	copy(x->path, res->path);
	x->line = res->line;
	x->column = res->column;
	x->has_snippet = res->snippet != NULL;
	copy(x->snippet, res->snippet);
	assert_non_null(res->message);
	copy(x->message, res->message);
	x->message_len = strlen(res->message);
	x->message_utf8_ok = utf8_ok(res->message);
	x->n_fps = (int)res->n_fps;
	for (i = 0; i < res->n_fps && i < 4; i++) {
		snprintf(x->fps[i].name, sizeof(x->fps[i].name), "%s", res->fps[i].name);
		snprintf(x->fps[i].value, sizeof(x->fps[i].value), "%s", res->fps[i].value);
		x->fps[i].partial = res->fps[i].partial;
	}
	return 0;
}

static int on_run_end(void *ctx, const struct sg_sarif_run *run, struct sg_error *err)
{
	struct recorder *r = ctx;
	int i;

	(void)err;
	if (r->failed)
		r->calls_after_fail++;
	r->n_run_end++;
	for (i = r->n_runs - 1; i >= 0; i--) {
		if (r->runs[i].index == run->index && !r->runs[i].ended) {
			r->runs[i].ended = 1;
			r->runs[i].result_count = run->result_count;
			break;
		}
	}
	return 0;
}

/* Undo everything: what came so far will be handed over again. */
static int on_abandon(void *ctx, struct sg_error *err)
{
	struct recorder *r = ctx;
	int aborts = r->n_abandon + 1;

	(void)err;
	memset(r, 0, sizeof(*r));
	r->n_abandon = aborts;
	return 0;
}

static struct sg_sarif_sink make_sink(struct recorder *r, int can_abandon)
{
	struct sg_sarif_sink s;

	memset(&s, 0, sizeof(s));
	s.ctx = r;
	s.run_begin = on_run_begin;
	s.result = on_result;
	s.run_end = on_run_end;
	s.abandon = can_abandon ? on_abandon : NULL;
	return s;
}

/* Read `file` into r with the given options and sink mode. */
static int read_log(const char *file, const struct sg_sarif_options *opts, int can_abandon,
		    struct recorder *r, struct sg_sarif_summary *sum, struct sg_error *err)
{
	struct sg_sarif_options none = {NULL, NULL};
	struct sg_sarif_sink sink = make_sink(r, can_abandon);
	char path[256];

	snprintf(path, sizeof(path), "%s%s", FIX, file);
	sg_error_clear(err);
	return sg_sarif_read_file(path, "input.sarif", opts ? opts : &none, &sink, sum, err);
}

/* A positive case: read in both modes, expect success, compare the records. */
static void read_ok(const char *file, const struct sg_sarif_options *opts, struct recorder *r,
		    struct sg_sarif_summary *sum)
{
	struct recorder live;
	struct sg_sarif_summary live_sum;
	struct sg_error err;
	int i;

	memset(r, 0, sizeof(*r));
	if (read_log(file, opts, 0, r, sum, &err) != 0)
		fail_msg("%s: %s [%s] at %s", file, err.message, sg_diag_id(err.diag), err.pointer);
	/* Two-pass mode: begin/end pair up, one per run. */
	assert_int_equal(r->n_run_begin, sum->n_runs);
	assert_int_equal(r->n_run_end, sum->n_runs);
	assert_int_equal(r->n_abandon, 0);

	memset(&live, 0, sizeof(live));
	if (read_log(file, opts, 1, &live, &live_sum, &err) != 0)
		fail_msg("%s (abandon-capable sink): %s [%s]", file, err.message, sg_diag_id(err.diag));
	assert_int_equal(live.n_runs, r->n_runs);
	assert_int_equal(live.n_results, r->n_results);
	assert_int_equal(live.n_run_end, r->n_run_end);
	for (i = 0; i < r->n_runs; i++)
		assert_memory_equal(&live.runs[i], &r->runs[i], sizeof(r->runs[i]));
	for (i = 0; i < r->n_results; i++)
		assert_memory_equal(&live.results[i], &r->results[i], sizeof(r->results[i]));
	assert_memory_equal(live_sum.sha256, sum->sha256, SG_SHA256_BYTES);
	assert_int_equal(live_sum.n_runs, sum->n_runs);
	assert_int_equal(live_sum.n_results, sum->n_results);
	assert_int_equal(live_sum.n_not_failures, sum->n_not_failures);
}

/* An error case: in the two-pass mode nothing reached the sink? (`quiet`) */
static void read_fails(const char *file, int code, enum sg_diag diag, const char *pointer, int quiet)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	struct sg_error err;
	int mode;

	for (mode = 0; mode < 2; mode++) {
		memset(&r, 0, sizeof(r));
		assert_int_equal(read_log(file, NULL, mode, &r, &sum, &err), code);
		if (err.diag != diag)
			fail_msg("%s: diag %s, expected %s (%s)", file, sg_diag_id(err.diag),
				 sg_diag_id(diag), err.message);
		assert_int_equal(err.code, code);
		assert_string_equal(err.where, "input.sarif");
		if (pointer)
			assert_string_equal(err.pointer, pointer);
		if (quiet && mode == 0) {
			assert_int_equal(r.n_run_begin, 0);
			assert_int_equal(r.n_result, 0);
			assert_int_equal(r.n_run_end, 0);
		}
	}
}

/* ---- rules, levels, severities ---- */

static void test_rules_by_index_and_id(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_runs, 1);
	assert_string_equal(r.runs[0].tool, "Scanner");
	assert_string_equal(r.runs[0].tool_version, "1.2.3");
	/* ruleIndex only: the rule supplies the id */
	assert_string_equal(r.results[0].rule_id, "R0");
	assert_string_equal(r.results[0].rule_name, "zero");
	assert_string_equal(r.results[0].message, "by index");
	/* ruleId */
	assert_string_equal(r.results[1].rule_id, "R1");
	assert_string_equal(r.results[1].rule_name, "one");
}

/* §3.27.5: "CA5350/md5" is rule CA5350 with a sub-id. */
static void test_hierarchical_rule_id(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[2].rule_id, "R1/sub");
	assert_true(r.results[2].has_rule_name);
	assert_string_equal(r.results[2].rule_name, "one");
	assert_int_equal(r.results[2].level, SG_LEVEL_NOTE);
	assert_int_equal(r.results[2].severity, SG_SEV_HIGH);
}

/* §3.27.10: no result level -> the rule's defaultConfiguration.level. */
static void test_default_configuration_level(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_int_equal(r.results[0].level, SG_LEVEL_ERROR);
	assert_int_equal(r.results[0].severity, SG_SEV_HIGH);
	assert_int_equal(r.results[0].from_score, 0);
	assert_int_equal(r.results[1].level, SG_LEVEL_NOTE);
}

/* §3.27.10: no level anywhere -> warning -> medium (the common case in the corpus). */
static void test_no_level_anywhere(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[3].rule_id, "R2");
	assert_int_equal(r.results[3].level, SG_LEVEL_WARNING);
	assert_int_equal(r.results[3].severity, SG_SEV_MEDIUM);
	/* A rule nobody declared: the same default, and no name. */
	assert_string_equal(r.results[6].rule_id, "UNKNOWN");
	assert_false(r.results[6].has_rule_name);
	assert_int_equal(r.results[6].level, SG_LEVEL_WARNING);
	assert_int_equal(r.results[6].severity, SG_SEV_MEDIUM);
}

/* The result's level wins over the rule default; "none" maps to info. */
static void test_result_level_wins(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[5].message, "result level");
	assert_int_equal(r.results[5].level, SG_LEVEL_NOTE);
	assert_int_equal(r.results[5].severity, SG_SEV_LOW);
	assert_string_equal(r.results[7].message, "level none");
	assert_int_equal(r.results[7].level, SG_LEVEL_NONE);
	assert_int_equal(r.results[7].severity, SG_SEV_INFO);
}

/* DESIGN.md "Severity": security-severity of the rule ("8.1" -> high)... */
static void test_rule_security_severity(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_int_equal(r.results[1].severity, SG_SEV_HIGH);
	assert_int_equal(r.results[1].from_score, 1);
	/* The level stays what §3.27.10 says; only the severity comes from the score. */
	assert_int_equal(r.results[1].level, SG_LEVEL_NOTE);
}

/* ... and of the result (a number, 9.5 -> critical), which wins over the rule's. */
static void test_result_security_severity_wins(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[4].message, "result score");
	assert_int_equal(r.results[4].severity, SG_SEV_CRITICAL);
	assert_int_equal(r.results[4].from_score, 1);
}

/* A word ("CRITICAL") is no score: the level decides (FORMATS.md §9). */
static void test_word_security_severity_ignored(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[9].message, "word score");
	assert_int_equal(r.results[9].level, SG_LEVEL_ERROR);
	assert_int_equal(r.results[9].severity, SG_SEV_HIGH);
	assert_int_equal(r.results[9].from_score, 0);
}

/* §3.27.9: only "fail" results are problems; the others are counted, not handed over. */
static void test_kind_not_fail_skipped(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	int i;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 10);
	assert_int_equal(sum.n_results, 12);
	assert_int_equal(sum.n_not_failures, 2);
	assert_int_equal(sum.n_runs, 1);
	for (i = 0; i < r.n_results; i++) {
		assert_string_not_equal(r.results[i].message, "a pass");
		assert_string_not_equal(r.results[i].message, "a review");
	}
	assert_int_equal(r.runs[0].result_count, 12);
}

/* No message.text: the rule's shortDescription stands in. */
static void test_message_from_rule(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("rules_driver.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[8].rule_id, "R0");
	assert_string_equal(r.results[8].message, "rule zero");
}

/* §3.13.2: version SHOULD come first; last is still a valid log (FORMATS.md §9). */
static void test_version_last(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("version_last.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 1);
	assert_string_equal(r.results[0].rule_id, "L1");
	assert_int_equal(r.results[0].level, SG_LEVEL_ERROR);
}

/* §3.52.3: rule.index with rule.toolComponent.index points into an extension. */
static void test_extension_rules(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("extensions.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 4);
	assert_string_equal(r.results[0].rule_id, "E1");
	assert_string_equal(r.results[0].rule_name, "ext-one");
	assert_int_equal(r.results[0].level, SG_LEVEL_ERROR);
	assert_string_equal(r.results[1].rule_id, "F0");
	assert_string_equal(r.results[1].rule_name, "ext2-zero");
	assert_int_equal(r.results[1].severity, SG_SEV_CRITICAL);
	assert_int_equal(r.results[1].from_score, 1);
	assert_string_equal(r.results[2].rule_id, "D0");
	assert_string_equal(r.results[2].rule_name, "driver-zero");
	/* rule.id alone finds an extension's rule too. */
	assert_string_equal(r.results[3].rule_id, "E0");
	assert_string_equal(r.results[3].rule_name, "ext-zero");
}

/* Members in any order: a tool after the results still resolves their rules. */
static void test_tool_after_results(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("tool_after_results.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_runs, 1);
	assert_string_equal(r.runs[0].tool, "LateTool");
	assert_int_equal(r.n_results, 2);
	assert_string_equal(r.results[0].rule_id, "T1");
	assert_string_equal(r.results[0].rule_name, "t-one");
	assert_int_equal(r.results[0].level, SG_LEVEL_ERROR);
	assert_string_equal(r.results[1].rule_id, "T0");
	assert_string_equal(r.results[1].rule_name, "t-zero");
	assert_int_equal(r.results[1].level, SG_LEVEL_NOTE);
}

/* ---- locations ---- */

/* §3.14.14 originalUriBaseIds: SRCROOT {"uri":"file:///src/"} + "x.c" -> /src/x.c */
static void test_uri_base_ids(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 6);
	assert_string_equal(r.results[0].path, "/src/x.c");
	assert_int_equal(r.results[0].line, 12);
	assert_int_equal(r.results[0].column, 5);
	assert_true(r.results[0].has_snippet);
	assert_string_equal(r.results[0].snippet, "  gets(buf);");
	/* A base defined through another base. */
	assert_string_equal(r.results[1].path, "/src/lib/y.c");
	assert_int_equal(r.results[1].line, 0);
	assert_false(r.results[1].has_snippet);
}

/* §3.4.2: artifactLocation.index into run.artifacts (with the artifact's uriBaseId). */
static void test_artifact_index(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[2].path, "/src/a/b.c");
	assert_int_equal(r.results[2].line, 3);
	assert_string_equal(r.results[3].path, "/abs/z.c");
}

static void test_no_location(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[4].message, "no location");
	assert_false(r.results[4].has_path);
	assert_int_equal(r.results[4].line, 0);
}

/* §3.27.12: only the first location counts (as for GitHub). */
static void test_first_location_only(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase.sarif", NULL, &r, &sum);
	assert_string_equal(r.results[5].path, "/src/first.c");
}

/* --source-root makes absolute paths under it relative. */
static void test_source_root(void **state)
{
	struct sg_sarif_options opts = {"/src", NULL};
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase.sarif", &opts, &r, &sum);
	assert_string_equal(r.results[0].path, "x.c");
	assert_string_equal(r.results[1].path, "lib/y.c");
	assert_string_equal(r.results[2].path, "a/b.c");
	assert_string_equal(r.results[3].path, "/abs/z.c");
}

/* A uriBaseId defined after the results that use it still applies. */
static void test_uri_base_after_results(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("uribase_late.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 1);
	assert_string_equal(r.results[0].path, "/src/x.c");
}

/* A sink that can abandon: results read live are abandoned once and given again. */
static void test_abandon_then_again(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	struct sg_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_log("uribase_late.sarif", NULL, 1, &r, &sum, &err), 0);
	assert_true(r.n_abandon <= 1);
	assert_int_equal(r.n_run_begin, 1);
	assert_int_equal(r.n_result, 1);
	assert_int_equal(r.n_run_end, 1);
	assert_string_equal(r.results[0].path, "/src/x.c");
}

/* ---- runs ---- */

/* §3.17.3 "category/run-id", split at the last '/' (GitHub); no '/' -> no category. */
static void test_category(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("automation.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_runs, 4);
	assert_string_equal(r.runs[0].category, "cat");
	assert_string_equal(r.runs[1].category, "");
	assert_string_equal(r.runs[2].category, "a/b");
	assert_string_equal(r.runs[3].category, "");
	assert_int_equal(r.runs[2].index, 2);
}

/* --category wins over automationDetails. */
static void test_category_override(void **state)
{
	struct sg_sarif_options opts = {NULL, "over"};
	struct recorder r;
	struct sg_sarif_summary sum;
	int i;

	(void)state;
	read_ok("automation.sarif", &opts, &r, &sum);
	for (i = 0; i < 4; i++)
		assert_string_equal(r.runs[i].category, "over");
}

/* driver version, else semanticVersion, else none. */
static void test_tool_version(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("automation.sarif", NULL, &r, &sum);
	assert_string_equal(r.runs[0].tool_version, "1.0");
	assert_string_equal(r.runs[1].tool_version, "4.5.6");
	assert_false(r.runs[2].has_tool_version);
}

/* §3.14.23: results null or absent = the tool failed (close nothing); [] = found nothing. */
static void test_results_null(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("results_null.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_runs, 4);
	assert_string_equal(r.runs[0].tool, "Null");
	assert_int_equal(r.runs[0].results_null, 1);
	assert_string_equal(r.runs[1].tool, "Absent");
	assert_int_equal(r.runs[1].results_null, 1);
	assert_string_equal(r.runs[2].tool, "Empty");
	assert_int_equal(r.runs[2].results_null, 0);
	assert_int_equal(r.runs[2].result_count, 0);
	assert_int_equal(r.runs[3].results_null, 0);
	assert_int_equal(r.runs[3].result_count, 2);
	assert_int_equal(r.n_results, 2);
	assert_int_equal(r.results[0].run, 3);
	assert_int_equal(sum.n_runs, 4);
	assert_int_equal(sum.n_results, 2);
}

/* §3.13.4: runs [] = the producer found nothing. */
static void test_runs_empty(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("runs_empty.sarif", NULL, &r, &sum);
	assert_int_equal(sum.n_runs, 0);
	assert_int_equal(r.n_run_begin, 0);
	assert_int_equal(r.n_result, 0);
}

/* Fingerprint entries reach the sink as given, empty values included
 * (core/identity drops those). */
static void test_fingerprints_passed_through(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	int i, seen = 0;

	(void)state;
	read_ok("fingerprints.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 2);
	assert_int_equal(r.results[0].n_fps, 3);
	for (i = 0; i < 3; i++) {
		const struct rec_fp *f = &r.results[0].fps[i];
		if (strcmp(f->name, "contextHash/v1") == 0) {
			assert_string_equal(f->value, "abc");
			assert_int_equal(f->partial, 0);
			seen |= 1;
		} else if (strcmp(f->name, "primaryLocationLineHash") == 0) {
			assert_string_equal(f->value, "h1");
			assert_int_equal(f->partial, 1);
			seen |= 2;
		} else if (strcmp(f->name, "scanFileHash") == 0) {
			assert_string_equal(f->value, "");
			assert_int_equal(f->partial, 1);
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
	assert_int_equal(r.results[1].n_fps, 0);
}

/* ---- the artifact's digest ---- */

static void file_sha256(const char *path, unsigned char out[SG_SHA256_BYTES])
{
	FILE *f = fopen(path, "rb");
	static char data[1 << 16];
	size_t n;

	assert_non_null(f);
	n = fread(data, 1, sizeof(data), f);
	assert_true(n < sizeof(data));
	fclose(f);
	sg_sha256(data, n, out);
}

/* "sha256 of the file's bytes, as read" */
static void test_sha256(void **state)
{
	static const char *const files[] = {"rules_driver.sarif", "bom.sarif", "version_last.sarif"};
	unsigned char want[SG_SHA256_BYTES];
	struct recorder r;
	struct sg_sarif_summary sum;
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", FIX, files[i]);
		file_sha256(path, want);
		read_ok(files[i], NULL, &r, &sum);
		assert_memory_equal(sum.sha256, want, SG_SHA256_BYTES);
	}
}

/* A UTF-8 byte order mark (SARIF SDK, BinSkim) is skipped. */
static void test_bom(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;

	(void)state;
	read_ok("bom.sarif", NULL, &r, &sum);
	assert_int_equal(r.n_results, 1);
	assert_string_equal(r.runs[0].tool, "Bom");
}

/* ---- hostile and broken logs ---- */

/* FORMATS.md 1.1: "reject them with a clear unsupported SARIF version error". */
static void test_version_200(void **state)
{
	(void)state;
	read_fails("version_200.sarif", SG_EINPUT, SG_DIAG_SARIF_VERSION, "/version", 1);
}

static void test_no_version(void **state)
{
	(void)state;
	read_fails("no_version.sarif", SG_EINPUT, SG_DIAG_SARIF_VERSION, "/version", 1);
}

static void test_bad_rule_index(void **state)
{
	(void)state;
	read_fails("bad_rule_index.sarif", SG_EINPUT, SG_DIAG_SARIF_BAD_RULE_REF, "/runs/0/results/1", 0);
}

static void test_bad_extension_ref(void **state)
{
	(void)state;
	read_fails("bad_extension_ref.sarif", SG_EINPUT, SG_DIAG_SARIF_BAD_RULE_REF, "/runs/0/results/0", 0);
}

static void test_bad_artifact_index(void **state)
{
	(void)state;
	read_fails("bad_artifact_index.sarif", SG_EINPUT, SG_DIAG_SARIF_INVALID, "/runs/0/results/0", 0);
}

static void test_bad_level(void **state)
{
	(void)state;
	read_fails("bad_level.sarif", SG_EINPUT, SG_DIAG_SARIF_INVALID, "/runs/0/results/0/level", 0);
}

static void test_no_tool(void **state)
{
	(void)state;
	read_fails("no_tool.sarif", SG_EINPUT, SG_DIAG_SARIF_NO_TOOL, "/runs/0/tool/driver/name", 1);
}

static void test_not_an_object(void **state)
{
	(void)state;
	read_fails("not_object.sarif", SG_EINPUT, SG_DIAG_SARIF_NOT_SARIF, NULL, 1);
}

/* DESIGN.md: "the ingest that carried it writes nothing": nothing reaches the sink. */
static void test_truncated_reaches_nothing(void **state)
{
	(void)state;
	read_fails("truncated.sarif", SG_EINPUT, SG_DIAG_JSON_TRUNCATED, NULL, 1);
}

static void test_missing_file(void **state)
{
	(void)state;
	read_fails("does-not-exist.sarif", SG_EIO, SG_DIAG_FILE_OPEN, NULL, 1);
}

/* "a regular file: it is read twice" */
static void test_not_a_regular_file(void **state)
{
	struct recorder r;
	struct sg_sarif_sink sink = make_sink(&r, 0);
	struct sg_sarif_options none = {NULL, NULL};
	struct sg_sarif_summary sum;
	struct sg_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	sg_error_clear(&err);
	assert_int_equal(sg_sarif_read_file(FIX, "dir", &none, &sink, &sum, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	assert_int_equal(r.n_run_begin, 0);
}

/* "whatever the sink returned": the read stops at the sink's error. */
static void test_sink_error_stops(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	struct sg_error err;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		memset(&r, 0, sizeof(r));
		r.fail_result_at = 2;
		assert_int_equal(read_log("rules_driver.sarif", NULL, mode, &r, &sum, &err), SG_ECONFLICT);
		assert_int_equal(err.diag, SG_DIAG_CONFLICT);
		assert_int_equal(r.n_result, 2);
		assert_int_equal(r.calls_after_fail, 0);
		assert_int_equal(r.n_run_end, 0);
		/* It says which result it refused. */
		assert_string_equal(err.pointer, "/runs/0/results/1");
	}
}

static void test_sink_run_begin_error_stops(void **state)
{
	struct recorder r;
	struct sg_sarif_summary sum;
	struct sg_error err;
	int mode;

	(void)state;
	for (mode = 0; mode < 2; mode++) {
		memset(&r, 0, sizeof(r));
		r.fail_run_begin = 1;
		assert_int_equal(read_log("results_null.sarif", NULL, mode, &r, &sum, &err), SG_ECONFLICT);
		assert_int_equal(r.n_run_begin, 1);
		assert_int_equal(r.n_result, 0);
		assert_int_equal(r.calls_after_fail, 0);
	}
}

/* ---- limits ---- */

static char tmpdir[64];

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/*
 * "message text kept (longer is cut, not an error)": cut, and still text.
 * Cut within a two-byte character, the message must not end in half of it
 * (it is stored, and written out as JSON).
 */
static void test_long_message_cut_on_character(void **state)
{
	size_t n_chars = SG_SARIF_MAX_MESSAGE_BYTES, cap = 2 * n_chars + 512, used = 0, i;
	char *doc = malloc(cap);
	char path[128];
	struct sg_sarif_options none = {NULL, NULL};
	struct recorder r;
	struct sg_sarif_sink sink = make_sink(&r, 0);
	struct sg_sarif_summary sum;
	struct sg_error err;
	static const char head[] = "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"T\"}},"
				   "\"results\":[{\"ruleId\":\"x\",\"message\":{\"text\":\"a";
	static const char tail[] = "\"}}]}]}";

	(void)state;
	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	used = sizeof(head) - 1;
	for (i = 0; i < n_chars; i++) {
		memcpy(doc + used, "\xc3\xa9", 2);
		used += 2;
	}
	memcpy(doc + used, tail, sizeof(tail) - 1);
	used += sizeof(tail) - 1;
	snprintf(path, sizeof(path), "%s/long.sarif", tmpdir);
	write_file(path, doc, used);
	free(doc);

	memset(&r, 0, sizeof(r));
	sg_error_clear(&err);
	assert_int_equal(sg_sarif_read_file(path, "long.sarif", &none, &sink, &sum, &err), 0);
	assert_int_equal(r.n_results, 1);
	unlink(path);
	/* The recorder keeps TXT bytes; check the full message's properties it saw. */
	assert_true(r.results[0].message_len <= SG_SARIF_MAX_MESSAGE_BYTES);
	assert_true(r.results[0].message_len >= SG_SARIF_MAX_MESSAGE_BYTES - 3);
	assert_true(r.results[0].message_utf8_ok);
}

/* ---- the allocation torture loop (STYLE.md "Tests") ---- */

static void test_alloc_failures(void **state)
{
	char bad[4096] = "";
	size_t bad_len = 0;
	static const struct {
		const char *file;
		int results;
	} logs[] = {{"uribase.sarif", 6}, {"fingerprints.sarif", 2}, {"extensions.sarif", 4}};
	unsigned long n;
	int mode, n_bad = 0, run;

	(void)state;
	for (run = 0; run < 6; run++) {
		const char *file = logs[run / 2].file;
		int want = logs[run / 2].results;
		int ok = 0, failed = 0;

		mode = run % 2;
		for (n = 1; n <= 400 && ok < 3; n++) {
			struct recorder r;
			struct sg_sarif_summary sum;
			struct sg_error err;
			int rc;

			memset(&r, 0, sizeof(r));
			sg_alloc_fail_after(n);
			rc = read_log(file, NULL, mode, &r, &sum, &err);
			sg_alloc_fail_after(0);
			if (rc == 0) {
				ok++;
				assert_int_equal(r.n_results, want);
				continue;
			}
			failed++;
			/* Every failure here is an allocation failure: it must say so. */
			if ((rc != SG_ENOMEM || err.diag != SG_DIAG_NO_MEMORY) && bad_len < sizeof(bad) - 1) {
				int w = snprintf(bad + bad_len, sizeof(bad) - bad_len,
						 "[%s mode %d n=%lu: rc %d %s: %s] ", file, mode, n, rc,
						 sg_diag_id(err.diag), err.message);
				n_bad++;
				if (w > 0)
					bad_len += (size_t)w < sizeof(bad) - bad_len ? (size_t)w
										     : sizeof(bad) - bad_len - 1;
			}
		}
		assert_true(failed > 0);
		assert_true(ok > 0);
	}
	if (n_bad)
		fail_msg("%d allocation failures reported as something else: %s", n_bad, bad);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-test-sarif-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return setup(state);
}

static int group_teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_by_index_and_id),
		cmocka_unit_test(test_hierarchical_rule_id),
		cmocka_unit_test(test_default_configuration_level),
		cmocka_unit_test(test_no_level_anywhere),
		cmocka_unit_test(test_result_level_wins),
		cmocka_unit_test(test_rule_security_severity),
		cmocka_unit_test(test_result_security_severity_wins),
		cmocka_unit_test(test_word_security_severity_ignored),
		cmocka_unit_test(test_kind_not_fail_skipped),
		cmocka_unit_test(test_message_from_rule),
		cmocka_unit_test(test_version_last),
		cmocka_unit_test(test_extension_rules),
		cmocka_unit_test(test_tool_after_results),
		cmocka_unit_test(test_uri_base_ids),
		cmocka_unit_test(test_artifact_index),
		cmocka_unit_test(test_no_location),
		cmocka_unit_test(test_first_location_only),
		cmocka_unit_test(test_source_root),
		cmocka_unit_test(test_uri_base_after_results),
		cmocka_unit_test(test_abandon_then_again),
		cmocka_unit_test(test_category),
		cmocka_unit_test(test_category_override),
		cmocka_unit_test(test_tool_version),
		cmocka_unit_test(test_results_null),
		cmocka_unit_test(test_runs_empty),
		cmocka_unit_test(test_fingerprints_passed_through),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_version_200),
		cmocka_unit_test(test_no_version),
		cmocka_unit_test(test_bad_rule_index),
		cmocka_unit_test(test_bad_extension_ref),
		cmocka_unit_test(test_bad_artifact_index),
		cmocka_unit_test(test_bad_level),
		cmocka_unit_test(test_no_tool),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_truncated_reaches_nothing),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_regular_file),
		cmocka_unit_test(test_sink_error_stops),
		cmocka_unit_test(test_sink_run_begin_error_stops),
		cmocka_unit_test(test_long_message_cut_on_character),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
