/*
 * sca/osv: OSV records (FORMATS.md section 5). Every record of
 * ../shared/corpus/osv is read (and its affected entries go through the
 * store's JSON and back unchanged); hostile and malformed records are
 * refused with their diagnostic and pointer; the evaluation follows
 * docs/schema.md "Evaluation" on real records and on the pitfalls FORMATS.md
 * lists (unsorted events, "0" sentinels, limits, last_affected inclusive,
 * fixed exclusive, RustSec and Go pre-release sentinels, Go pseudo-versions,
 * PyPI "1.0" == "1.0.0").
 * Clause: sca (a component is vulnerable exactly when the advisory's
 * evaluation rules say so, in the ecosystem's own version order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sca/cvss.h"
#include "sca/osv.h"
#include "sca/version.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"

#define CORPUS "../shared/corpus/osv/"

/* The corpus snapshot holds 554 JSON records outside schema/ (and 200 PyPA
 * YAML originals, which are not read); the count guards the walk. */
#define CORPUS_RECORDS 554

/* ---- helpers ---- */

static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n + 1);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else if (data) {
			data[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return data;
}

static int parse_text(const char *json, struct sg_osv_record *rec, struct sg_error *err)
{
	sg_error_clear(err);
	return sg_osv_parse(json, strlen(json), "test", rec, err);
}

static void parse_ok(const char *json, struct sg_osv_record *rec)
{
	struct sg_error err;
	int rc = parse_text(json, rec, &err);

	if (rc != 0)
		fail_msg("refused: %s (%s at %s)", err.message, sg_diag_id(err.diag), err.pointer);
}

static void parse_refused(const char *json, enum sg_diag diag, const char *pointer)
{
	struct sg_osv_record rec;
	struct sg_error err;
	int rc = parse_text(json, &rec, &err);

	if (rc == 0)
		fail_msg("accepted: %s", json);
	assert_int_equal(rc, sg_diag_code(diag));
	if (err.diag != diag)
		fail_msg("diag %s, want %s (%s)", sg_diag_id(err.diag), sg_diag_id(diag), err.message);
	if (pointer)
		assert_string_equal(err.pointer, pointer);
	/* A refused record is left empty: freeing it again is harmless. */
	assert_null(rec.id);
	assert_int_equal(rec.n_affected, 0);
	sg_osv_record_free(&rec);
}

static void assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

static void load_record(const char *rel, struct sg_osv_record *rec)
{
	char path[512];
	struct sg_error err;
	size_t len = 0;
	char *data;
	int rc;

	snprintf(path, sizeof(path), "%s%s", CORPUS, rel);
	data = load(path, &len);
	if (!data)
		fail_msg("cannot read %s", path);
	sg_error_clear(&err);
	rc = sg_osv_parse(data, len, path, rec, &err);
	free(data);
	if (rc != 0)
		fail_msg("%s refused: %s", rel, err.message);
}

/* Evaluate an entry under its ecosystem's order; -1 when the version is refused. */
static int eval(const struct sg_osv_affected *a, enum sg_vorder order, const char *version,
		struct sg_osv_verdict *v)
{
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	rc = sg_osv_evaluate(a, order, version, v, &err);
	if (rc != 0) {
		assert_int_equal(rc, SG_EINPUT);
		assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
		return -1;
	}
	return v->affected;
}

static int affected_in(const struct sg_osv_record *rec, size_t entry, const char *version)
{
	struct sg_osv_verdict v;
	enum sg_vorder order;

	assert_true(entry < rec->n_affected);
	order = sg_vorder_for_ecosystem(rec->affected[entry].ecosystem);
	return eval(&rec->affected[entry], order, version, &v);
}

/* A record with one affected entry in `eco`, made of the given ranges JSON. */
static void entry_record(struct sg_osv_record *rec, const char *eco, const char *ranges, const char *versions)
{
	char json[8192];

	snprintf(json, sizeof(json),
		 "{\"id\":\"T-1\",\"modified\":\"2024-01-02T03:04:05Z\",\"affected\":[{\"package\":"
		 "{\"ecosystem\":\"%s\",\"name\":\"p\"},\"ranges\":[%s],\"versions\":[%s]}]}",
		 eco, ranges ? ranges : "", versions ? versions : "");
	parse_ok(json, rec);
}

/* ---- the corpus: every record is read, and its entries survive the store ---- */

struct expectation {
	const char *file;  /* relative to CORPUS */
	enum sg_diag diag; /* SG_DIAG_NONE: read */
	const char *why;
};

/*
 * Records whose outcome is a decision rather than a matter of course. The
 * osv-linter's deliberately defective cases are schema-valid or defective
 * only in what shipgate does not evaluate, so they are read.
 */
static const struct expectation expectations[] = {
	{"osv-schema/linter-testdata/nointroduced-CVE-2023-41045.json", SG_DIAG_NONE,
	 "a fixed-only GIT range: GIT ranges are never evaluated, so not checked for introduced"},
	{"osv-schema/linter-testdata/nondistinct-CVE-2018-5407.json", SG_DIAG_NONE,
	 "repeated packages across affected entries are allowed (GHSA splits ranges that way)"},
	{"osv-schema/linter-testdata/nopackage-GHSA-9v2f-6vcg-3hgv.json", SG_DIAG_NONE,
	 "a package name that does not exist upstream is still a well-formed record"},
	{"osv-schema/ghsa-converted/withdrawn.osv.json", SG_DIAG_NONE, "withdrawn records are read, marked"},
};

static const struct expectation *expected(const char *rel)
{
	size_t i;

	for (i = 0; i < sizeof(expectations) / sizeof(expectations[0]); i++)
		if (strcmp(expectations[i].file, rel) == 0)
			return &expectations[i];
	return NULL;
}

static void assert_same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_entry(const struct sg_osv_affected *a, const struct sg_osv_affected *b)
{
	size_t i, j;

	assert_same_str(a->ecosystem, b->ecosystem);
	assert_same_str(a->name, b->name);
	assert_same_str(a->purl, b->purl);
	assert_same_str(a->severity_vector, b->severity_vector);
	assert_int_equal(a->n_ranges, b->n_ranges);
	for (i = 0; i < a->n_ranges; i++) {
		assert_int_equal(a->ranges[i].type, b->ranges[i].type);
		assert_int_equal(a->ranges[i].n_events, b->ranges[i].n_events);
		for (j = 0; j < a->ranges[i].n_events; j++) {
			assert_int_equal(a->ranges[i].events[j].kind, b->ranges[i].events[j].kind);
			assert_string_equal(a->ranges[i].events[j].version, b->ranges[i].events[j].version);
		}
	}
	assert_int_equal(a->n_versions, b->n_versions);
	for (i = 0; i < a->n_versions; i++)
		assert_string_equal(a->versions[i], b->versions[i]);
}

static void round_trip(const struct sg_osv_affected *a)
{
	struct sg_buf first, second;
	struct sg_osv_affected back;
	struct sg_error err;
	int rc;

	sg_buf_init(&first, SG_OSV_MAX_RECORD_BYTES);
	sg_buf_init(&second, SG_OSV_MAX_RECORD_BYTES);
	assert_int_equal(sg_osv_affected_to_json(a, &first), 0);
	sg_error_clear(&err);
	rc = sg_osv_affected_from_json(first.data, first.len, &back, &err);
	if (rc != 0)
		fail_msg("stored form refused: %s at %s: %s", err.message, err.pointer, first.data);
	assert_same_entry(a, &back);
	assert_int_equal(sg_osv_affected_to_json(&back, &second), 0);
	assert_string_equal(first.data, second.data);
	sg_osv_affected_free(&back);
	sg_buf_release(&first);
	sg_buf_release(&second);
}

/* Every versions[] entry that parses must evaluate as affected (it is listed). */
static void listed_versions_affected(const char *rel, const struct sg_osv_affected *a)
{
	enum sg_vorder order = sg_vorder_for_ecosystem(a->ecosystem);
	struct sg_osv_verdict v;
	struct sg_error err;
	size_t i;

	if (order == SG_VORDER_NONE)
		return;
	for (i = 0; i < a->n_versions; i++) {
		int rc;

		sg_error_clear(&err);
		rc = sg_osv_evaluate(a, order, a->versions[i], &v, &err);
		if (rc != 0) {
			/* Only a version the order refuses may fail. */
			assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
			continue;
		}
		if (!v.affected)
			fail_msg("%s: listed version \"%s\" not affected (%s)", rel, a->versions[i], v.decided_by);
	}
}

struct walk {
	int records, refused, entries;
};

static void check_record(struct walk *w, const char *path, const char *rel)
{
	const struct expectation *x = expected(rel);
	struct sg_osv_record rec;
	struct sg_error err;
	size_t len = 0, i, j, k;
	char *data = load(path, &len);
	int rc;

	if (!data)
		fail_msg("cannot read %s", path);
	sg_error_clear(&err);
	rc = sg_osv_parse(data, len, path, &rec, &err);
	free(data);
	w->records++;
	if (x && x->diag != SG_DIAG_NONE) {
		if (rc == 0 || err.diag != x->diag)
			fail_msg("%s: want %s (%s), got rc %d %s", rel, sg_diag_id(x->diag), x->why, rc,
				 sg_diag_id(err.diag));
		w->refused++;
		return;
	}
	if (rc != 0)
		fail_msg("%s refused: %s at %s [%s]", rel, err.message, err.pointer, sg_diag_id(err.diag));
	assert_non_null(rec.id);
	assert_true(rec.id[0] != '\0');
	assert_non_null(rec.modified);
	assert_true(rec.modified_at >= 0);
	for (i = 0; i < rec.n_affected; i++) {
		const struct sg_osv_affected *a = &rec.affected[i];

		assert_true((a->ecosystem == NULL) == (a->name == NULL));
		for (j = 0; j < a->n_ranges; j++)
			for (k = 0; k < a->ranges[j].n_events; k++)
				assert_non_null(a->ranges[j].events[k].version);
		round_trip(a);
		listed_versions_affected(rel, a);
		w->entries++;
	}
	sg_osv_record_free(&rec);
}

static void walk(struct walk *w, const char *dir, const char *rel)
{
	struct dirent **names = NULL;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		fail_msg("cannot read %s", dir);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[1024], sub[1024];
		struct stat st;
		size_t len = strlen(name);

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", name);
		if (name[0] == '.' || stat(path, &st) != 0) {
			free(names[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (strcmp(sub, "schema") != 0) /* the JSON schema and ecosystems.json */
				walk(w, path, sub);
		} else if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
			check_record(w, path, sub);
		}
		free(names[i]);
	}
	free(names);
}

static void test_corpus(void **state)
{
	struct walk w = {0, 0, 0};
	size_t i;

	(void)state;
	walk(&w, "../shared/corpus/osv", "");
	assert_int_equal(w.records, CORPUS_RECORDS);
	assert_int_equal(w.refused, 0);
	assert_true(w.entries > 1000);
	/* Every table entry names a file that exists (no stale decisions). */
	for (i = 0; i < sizeof(expectations) / sizeof(expectations[0]); i++) {
		char path[512];
		struct stat st;

		snprintf(path, sizeof(path), "%s%s", CORPUS, expectations[i].file);
		assert_int_equal(stat(path, &st), 0);
	}
}

/* YAML is not read: the PyPA originals are refused as JSON syntax. */
static void test_yaml_refused(void **state)
{
	struct sg_osv_record rec;
	struct sg_error err;
	size_t len = 0;
	char *data = load(CORPUS "pypa/yaml/django/PYSEC-2011-12.yaml", &len);

	(void)state;
	assert_non_null(data);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_parse(data, len, "yaml", &rec, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_SYNTAX);
	free(data);
}

/* ---- reading records: what is kept ---- */

static void test_fields_kept(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	parse_ok("{\"schema_version\":\"1.7.5\",\"id\":\"GHSA-xxxx\",\"modified\":\"2024-01-02T03:04:05Z\","
		 "\"aliases\":[\"CVE-2024-1\",\"PYSEC-2024-2\"],\"summary\":\"bad thing\","
		 "\"severity\":[{\"type\":\"CVSS_V2\",\"score\":\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"},"
		 "{\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"type\":\"CVSS_V3\"},"
		 "{\"type\":\"Ubuntu\",\"score\":\"high\"},"
		 "{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}],"
		 "\"database_specific\":{\"severity\":\"MODERATE\",\"cwe_ids\":[\"CWE-79\"]},"
		 "\"future_field\":{\"nested\":[1,2,{\"x\":null}]},"
		 "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Foo\",\"purl\":\"pkg:pypi/foo\"},"
		 "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.2\"}],"
		 "\"database_specific\":{\"a\":1}},"
		 "{\"type\":\"GIT\",\"repo\":\"https://x\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"abc\"}]}],"
		 "\"versions\":[\"1.0\",\"1.1\"],\"ecosystem_specific\":{\"z\":[]}},"
		 "{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{\"fixed\":\"abc\"}]}]}]}",
		 &rec);
	assert_string_equal(rec.id, "GHSA-xxxx");
	assert_string_equal(rec.modified, "2024-01-02T03:04:05Z");
	assert_int_equal(rec.modified_at, 1704164645);
	assert_int_equal(rec.withdrawn, 0);
	assert_int_equal(rec.n_aliases, 2);
	assert_string_equal(rec.aliases[1], "PYSEC-2024-2");
	assert_string_equal(rec.summary, "bad thing");
	assert_string_equal(rec.cvss_v3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(rec.cvss_v4, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
	assert_string_equal(rec.severity_word, "MODERATE");
	assert_int_equal(rec.n_affected, 2);
	assert_string_equal(rec.affected[0].ecosystem, "PyPI");
	assert_string_equal(rec.affected[0].name, "Foo");
	assert_string_equal(rec.affected[0].purl, "pkg:pypi/foo");
	assert_int_equal(rec.affected[0].n_ranges, 2);
	assert_int_equal(rec.affected[0].ranges[0].type, SG_OSV_RANGE_ECOSYSTEM);
	assert_int_equal(rec.affected[0].ranges[0].n_events, 2);
	assert_int_equal(rec.affected[0].ranges[0].events[1].kind, SG_OSV_FIXED);
	assert_string_equal(rec.affected[0].ranges[0].events[1].version, "1.2");
	assert_int_equal(rec.affected[0].ranges[1].type, SG_OSV_RANGE_GIT);
	assert_int_equal(rec.affected[0].ranges[1].events[1].kind, SG_OSV_LIMIT);
	assert_int_equal(rec.affected[0].n_versions, 2);
	assert_null(rec.affected[0].severity_vector);
	/* An entry without a package is kept, with no ecosystem. */
	assert_null(rec.affected[1].ecosystem);
	assert_null(rec.affected[1].name);
	assert_int_equal(rec.affected[1].ranges[0].type, SG_OSV_RANGE_GIT);
	sg_osv_record_free(&rec);
	sg_osv_record_free(&rec); /* freed records are empty */
}

/* osv.dev writes microseconds; the schema's pattern allows any fraction. */
static void test_modified_fraction(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	parse_ok("{\"id\":\"X\",\"modified\":\"2021-05-18T20:13:47.123456Z\"}", &rec);
	assert_string_equal(rec.modified, "2021-05-18T20:13:47.123456Z");
	assert_int_equal(rec.modified_at, 1621368827);
	sg_osv_record_free(&rec);
	parse_ok("{\"id\":\"X\",\"modified\":\"2021-05-18T20:13:47.1Z\"}", &rec);
	assert_int_equal(rec.modified_at, 1621368827);
	sg_osv_record_free(&rec);
	/* golang/vulndb's data/osv: Go's zero time, "never set". */
	parse_ok("{\"id\":\"X\",\"modified\":\"0001-01-01T00:00:00Z\"}", &rec);
	assert_string_equal(rec.modified, "0001-01-01T00:00:00Z");
	assert_int_equal(rec.modified_at, 0);
	sg_osv_record_free(&rec);
	parse_ok("{\"id\":\"X\",\"modified\":\"1600-02-29T00:00:00Z\"}", &rec);
	assert_int_equal(rec.modified_at, 0);
	sg_osv_record_free(&rec);
}

static void test_modified_refused(void **state)
{
	static const char *const bad[] = {
		"2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05+01:00", "2024-01-02T03:04:05.Z",
		"2024-01-02T03:04:05,5Z", "2024-13-02T03:04:05Z", "2024-02-30T03:04:05Z", "2024-01-02t03:04:05z",
		"2024-01-02T03:04:05.12a4Z", " 2024-01-02T03:04:05Z", "", "0001-02-29T00:00:00Z", "-001-01-01T00:00:00Z",
		"0001-01-01T24:00:00Z",
	};
	char json[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"id\":\"X\",\"modified\":\"%s\"}", bad[i]);
		parse_refused(json, SG_DIAG_OSV_INVALID, "/modified");
	}
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"withdrawn\":\"yesterday\"}",
		      SG_DIAG_OSV_INVALID, "/withdrawn");
}

static void test_required(void **state)
{
	(void)state;
	parse_refused("{\"modified\":\"2024-01-02T03:04:05Z\"}", SG_DIAG_OSV_INVALID, "/id");
	parse_refused("{\"id\":\"X\"}", SG_DIAG_OSV_INVALID, "/modified");
	parse_refused("{\"id\":7,\"modified\":\"2024-01-02T03:04:05Z\"}", SG_DIAG_OSV_INVALID, "/id");
	parse_refused("{\"id\":null,\"modified\":\"2024-01-02T03:04:05Z\"}", SG_DIAG_OSV_INVALID, "/id");
	parse_refused("{\"id\":\"X\",\"modified\":{\"t\":1}}", SG_DIAG_OSV_INVALID, "/modified");
	parse_refused("{}", SG_DIAG_OSV_INVALID, "/id");
	parse_refused("[]", SG_DIAG_OSV_INVALID, NULL);
	parse_refused("\"GHSA-1\"", SG_DIAG_OSV_INVALID, NULL);
	parse_refused("{\"id\":\"X\",\"id\":\"Y\",\"modified\":\"2024-01-02T03:04:05Z\"}", SG_DIAG_OSV_INVALID,
		      "/id");
}

/* osv.dev's query API wraps records ({"vulns": [...]}): one record is asked for. */
static void test_query_response_refused(void **state)
{
	struct sg_osv_record rec;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse_text("{\"vulns\":[{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\"}]}", &rec, &err),
			 SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_OSV_INVALID);
	assert_string_equal(err.pointer, "/id");
	assert_non_null(strstr(err.message, "vulns"));
}

static void test_withdrawn(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	load_record("osv-schema/ghsa-converted/withdrawn.osv.json", &rec);
	assert_int_equal(rec.withdrawn, 1);
	assert_string_equal(rec.id, "GHSA-35c4-f3rq-f9g3");
	sg_osv_record_free(&rec);
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"withdrawn\":null}", &rec);
	assert_int_equal(rec.withdrawn, 0);
	sg_osv_record_free(&rec);
}

/* "longer is cut, not an error", on a character boundary. */
static void test_summary_cut(void **state)
{
	struct sg_osv_record rec;
	char *json = malloc(SG_OSV_MAX_SUMMARY_BYTES + 256);
	size_t n;

	(void)state;
	assert_non_null(json);
	n = (size_t)snprintf(json, 128, "{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"summary\":\"");
	memset(json + n, 'a', SG_OSV_MAX_SUMMARY_BYTES - 1);
	n += SG_OSV_MAX_SUMMARY_BYTES - 1;
	memcpy(json + n, "\xC3\xA9tail\"}", 9); /* e-acute straddles the limit */
	parse_ok(json, &rec);
	assert_int_equal(strlen(rec.summary), SG_OSV_MAX_SUMMARY_BYTES - 1);
	sg_osv_record_free(&rec);
	free(json);
}

static void test_affected_severity_sources(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	/* RustSec: database_specific.cvss, a vector or null. */
	load_record("rustsec/RUSTSEC-2021-0004.json", &rec);
	assert_string_equal(rec.affected[0].severity_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L");
	sg_osv_record_free(&rec);
	load_record("rustsec/RUSTSEC-2024-0334.json", &rec);
	assert_null(rec.affected[0].severity_vector);
	sg_osv_record_free(&rec);
	/* affected[].severity comes before database_specific.cvss, v3 before v4. */
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"affected\":[{"
		 "\"database_specific\":{\"cvss\":\"CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L\"},"
		 "\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"},"
		 "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}]}]}",
		 &rec);
	assert_string_equal(rec.affected[0].severity_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	sg_osv_record_free(&rec);
}

static void test_structure_refused(void **state)
{
	(void)state;
#define REC(aff) "{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"affected\":[" aff "]}"
	/* Exactly one of introduced/fixed/last_affected/limit per event. */
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1.0.0\"}]}]}"),
		      SG_DIAG_OSV_INVALID, "/affected/0/ranges/0/events/0/fixed");
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{}]}]}"),
		      SG_DIAG_OSV_INVALID, "/affected/0/ranges/0/events/1");
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"note\":\"x\"}]}]}"),
		      SG_DIAG_OSV_INVALID, "/affected/0/ranges/0/events/1");
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":0}]}]}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/ranges/0/events/0/introduced");
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[\"0\"]}]}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/ranges/0/events/0");
	/* A range needs type and events; SEMVER/ECOSYSTEM ranges an introduced. */
	parse_refused(REC("{\"ranges\":[{\"events\":[{\"introduced\":\"0\"}]}]}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/ranges/0");
	parse_refused(REC("{\"ranges\":[{\"type\":\"SEMVER\"}]}"), SG_DIAG_OSV_INVALID, "/affected/0/ranges/0");
	parse_refused(REC("{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1.0\"}]}]}"),
		      SG_DIAG_OSV_INVALID, "/affected/0/ranges/0");
	parse_refused(REC("{\"ranges\":[{\"type\":3,\"events\":[{\"introduced\":\"0\"}]}]}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/ranges/0/type");
	parse_refused(REC("{\"ranges\":{\"type\":\"SEMVER\"}}"), SG_DIAG_OSV_INVALID, "/affected/0/ranges");
	/* A package has ecosystem and name together. */
	parse_refused(REC("{\"package\":{\"ecosystem\":\"npm\"}}"), SG_DIAG_OSV_INVALID, "/affected/0/package");
	parse_refused(REC("{\"package\":{\"name\":\"x\",\"purl\":\"pkg:npm/x\"}}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/package");
	parse_refused(REC("{\"package\":{\"ecosystem\":\"npm\",\"name\":[\"x\"]}}"), SG_DIAG_OSV_INVALID,
		      "/affected/0/package/name");
	parse_refused(REC("{\"package\":\"npm/x\"}"), SG_DIAG_OSV_INVALID, "/affected/0/package");
	parse_refused(REC("{\"versions\":[\"1.0\",1.1]}"), SG_DIAG_OSV_INVALID, "/affected/0/versions/1");
	parse_refused(REC("\"npm\""), SG_DIAG_OSV_INVALID, "/affected/0");
	parse_refused(REC("{\"ranges\":[],\"ranges\":[]}"), SG_DIAG_OSV_INVALID, "/affected/0/ranges");
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"affected\":{}}", SG_DIAG_OSV_INVALID,
		      "/affected");
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"aliases\":[\"a\",{}]}",
		      SG_DIAG_OSV_INVALID, "/aliases/1");
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"severity\":[{\"type\":\"CVSS_V3\","
		      "\"score\":9.8}]}",
		      SG_DIAG_OSV_INVALID, "/severity/0/score");
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"summary\":[]}", SG_DIAG_OSV_INVALID,
		      "/summary");
	/* Unknown range types are kept (never evaluated), unknown members ignored. */
	{
		struct sg_osv_record rec;

		parse_ok(REC("{\"ranges\":[{\"type\":\"FUTURE\",\"x\":{},\"events\":[{\"fixed\":\"1\",\"y\":2}]}],"
			     "\"aliases\":7,\"versions\":null,\"package\":null}"),
			 &rec);
		assert_int_equal(rec.affected[0].ranges[0].type, SG_OSV_RANGE_OTHER);
		assert_int_equal(rec.affected[0].n_versions, 0);
		assert_null(rec.affected[0].ecosystem);
		sg_osv_record_free(&rec);
	}
#undef REC
}

static void test_json_errors(void **state)
{
	struct sg_osv_record rec;
	struct sg_error err;
	static const char nul[] = "{\"id\":\"X\0\",\"modified\":\"2024-01-02T03:04:05Z\"}";

	(void)state;
	parse_refused("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\"", SG_DIAG_JSON_TRUNCATED, NULL);
	parse_refused("{\"id\":\"X\",}", SG_DIAG_JSON_SYNTAX, NULL);
	parse_refused("", SG_DIAG_JSON_TRUNCATED, NULL);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_parse(nul, sizeof(nul) - 1, "nul", &rec, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_NUL);
}

/* ---- limits (util/limits.h SG_OSV_*) ---- */

/* A record with `n` copies of `item` (comma-separated) spliced between head and tail. */
static char *repeated(const char *head, const char *item, size_t n, const char *tail)
{
	size_t hl = strlen(head), il = strlen(item), tl = strlen(tail), i, off;
	char *s = malloc(hl + n * (il + 1) + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	off = hl;
	for (i = 0; i < n; i++) {
		if (i)
			s[off++] = ',';
		memcpy(s + off, item, il);
		off += il;
	}
	memcpy(s + off, tail, tl + 1);
	return s;
}

static void limit_case(const char *head, const char *item, size_t max, const char *tail, const char *pointer)
{
	struct sg_osv_record rec;
	char *ok = repeated(head, item, max, tail);
	char *over = repeated(head, item, max + 1, tail);

	parse_ok(ok, &rec);
	sg_osv_record_free(&rec);
	parse_refused(over, SG_DIAG_LIMIT_EXCEEDED, pointer);
	free(ok);
	free(over);
}

#define HEAD "{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\","

static void test_limits(void **state)
{
	struct sg_osv_affected entry;
	struct sg_osv_record rec;
	struct sg_error err;
	char version[SG_OSV_MAX_VERSION_BYTES + 2];
	char json[1024];
	char *big;

	(void)state;
	limit_case(HEAD "\"aliases\":[", "\"A\"", SG_OSV_MAX_ALIASES, "]}", "/aliases/256");
	limit_case(HEAD "\"affected\":[", "{}", SG_OSV_MAX_AFFECTED, "]}", "/affected/4096");
	limit_case(HEAD "\"affected\":[{\"ranges\":[", "{\"type\":\"GIT\",\"events\":[]}", SG_OSV_MAX_RANGES, "]}]}",
		   "/affected/0/ranges/256");
	limit_case(HEAD "\"affected\":[{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[", "{\"introduced\":\"1.0.0\"}",
		   SG_OSV_MAX_EVENTS, "]}]}]}", "/affected/0/ranges/0/events/4096");
	limit_case(HEAD "\"affected\":[{\"versions\":[", "\"1\"", SG_OSV_MAX_VERSIONS, "]}]}",
		   "/affected/0/versions/100000");
	/* One version string. */
	memset(version, '1', sizeof(version) - 1);
	version[SG_OSV_MAX_VERSION_BYTES] = '\0';
	snprintf(json, sizeof(json), HEAD "\"affected\":[{\"versions\":[\"%s\"]}]}", version);
	parse_ok(json, &rec);
	sg_osv_record_free(&rec);
	version[SG_OSV_MAX_VERSION_BYTES] = '1';
	version[SG_OSV_MAX_VERSION_BYTES + 1] = '\0';
	snprintf(json, sizeof(json), HEAD "\"affected\":[{\"versions\":[\"%s\"]}]}", version);
	parse_refused(json, SG_DIAG_LIMIT_EXCEEDED, "/affected/0/versions/0");
	snprintf(json, sizeof(json),
		 HEAD "\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"events\":[{\"fixed\":\"%s\"}]}]}]}", version);
	parse_refused(json, SG_DIAG_LIMIT_EXCEEDED, "/affected/0/ranges/0/events/0/fixed");
	/* The whole record, before any parsing. */
	big = malloc(SG_OSV_MAX_RECORD_BYTES + 1);
	assert_non_null(big);
	memset(big, ' ', SG_OSV_MAX_RECORD_BYTES + 1);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_parse(big, SG_OSV_MAX_RECORD_BYTES + 1, "big", &rec, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_affected_from_json(big, SG_OSV_MAX_RECORD_BYTES + 1, &entry, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	free(big);
}

static void test_alloc_failures(void **state)
{
	char path[256];
	size_t len = 0;
	char *data;
	unsigned long n;
	int ok = 0, failed = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s%s", CORPUS, "osv.dev-api-via-secobserve/CVE-2024-32002.json");
	data = load(path, &len);
	assert_non_null(data);
	for (n = 1; n < 100000 && ok < 2; n++) {
		struct sg_osv_record rec;
		struct sg_error err;
		int rc;

		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_osv_parse(data, len, "alloc", &rec, &err);
		sg_alloc_fail_after(0);
		if (rc == 0) {
			ok++;
			assert_int_equal(rec.n_affected, 9);
			sg_osv_record_free(&rec);
			continue;
		}
		failed++;
		if (rc != SG_ENOMEM || err.diag != SG_DIAG_NO_MEMORY)
			fail_msg("allocation %lu: rc %d %s: %s", n, rc, sg_diag_id(err.diag), err.message);
		assert_null(rec.id);
	}
	assert_true(failed > 100);
	free(data);
}

/* ---- severity ---- */

static void test_severity(void **state)
{
	struct sg_osv_record rec;
	int known = -1, tenths = 0;

	(void)state;
	/* CVSS v3 first. */
	load_record("osv-schema/linter-testdata/nopackage-GHSA-9v2f-6vcg-3hgv.json", &rec);
	assert_int_equal(sg_osv_severity(&rec, &known, &tenths), SG_SEV_CRITICAL);
	assert_int_equal(known, 1);
	assert_int_equal(tenths, 98);
	sg_osv_record_free(&rec);
	/* v4 when there is no v3. */
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"severity\":[{\"type\":\"CVSS_V4\","
		 "\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"}]}",
		 &rec);
	assert_int_equal(sg_osv_severity(&rec, &known, &tenths), SG_SEV_CRITICAL);
	assert_int_equal(tenths, 93);
	sg_osv_record_free(&rec);
	/* A vector that does not parse is skipped; GitHub's word, any case. */
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"severity\":[{\"type\":\"CVSS_V3\","
		 "\"score\":\"CVSS:3.1/AV:Q\"}],\"database_specific\":{\"severity\":\"moderate\"}}",
		 &rec);
	assert_int_equal(sg_osv_severity(&rec, &known, &tenths), SG_SEV_MEDIUM);
	assert_int_equal(known, 1);
	assert_int_equal(tenths, -1);
	sg_osv_record_free(&rec);
	/* Then an affected entry's vector (RustSec). */
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"database_specific\":{\"severity\":\"SEVERE\"},"
		 "\"affected\":[{},{\"database_specific\":{\"cvss\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L\"}}]}",
		 &rec);
	assert_int_equal(sg_osv_severity(&rec, &known, &tenths), SG_SEV_MEDIUM);
	assert_int_equal(tenths, 53);
	sg_osv_record_free(&rec);
	/* Go vulndb: none at all. */
	load_record("go-vulndb/GO-2021-0243.json", &rec);
	sg_osv_severity(&rec, &known, &tenths);
	assert_int_equal(known, 0);
	assert_int_equal(tenths, -1);
	sg_osv_record_free(&rec);
	/* Words: MODERATE is medium; LOW, HIGH, CRITICAL. */
	parse_ok("{\"id\":\"X\",\"modified\":\"2024-01-02T03:04:05Z\",\"database_specific\":{\"severity\":\"LOW\"}}", &rec);
	assert_int_equal(sg_osv_severity(&rec, NULL, NULL), SG_SEV_LOW);
	sg_osv_record_free(&rec);
	load_record("ghsa-from-vulndb-testdata/GHSA-7fxj-fr3v-r9gj.json", &rec);
	assert_int_equal(sg_osv_severity(&rec, &known, &tenths), SG_SEV_CRITICAL);
	assert_int_equal(tenths, 98);
	sg_osv_record_free(&rec);
}

/* ---- evaluation: the schema's rules on small entries ---- */

static void test_unsorted_events(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;
	const struct sg_osv_affected *a;

	(void)state;
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"2.0.0\"},{\"fixed\":\"2.3.1\"},"
		     "{\"fixed\":\"1.2.3\"},{\"introduced\":\"0\"}]}",
		     NULL);
	a = &rec.affected[0];
	assert_int_equal(eval(a, SG_VORDER_SEMVER, "1.0.0", &v), 1);
	assert_string_equal(v.decided_by, "range 1 (SEMVER): introduced 0, fixed 1.2.3, introduced 2.0.0, fixed 2.3.1");
	assert_string_equal(v.fixed_in, "1.2.3");
	assert_int_equal(eval(a, SG_VORDER_SEMVER, "1.2.3", &v), 0);
	assert_int_equal(eval(a, SG_VORDER_SEMVER, "1.9.9", &v), 0);
	assert_int_equal(eval(a, SG_VORDER_SEMVER, "2.0.0", &v), 1);
	assert_string_equal(v.fixed_in, "2.3.1");
	assert_int_equal(eval(a, SG_VORDER_SEMVER, "2.3.1", &v), 0);
	assert_prefix(v.decided_by, "not affected: outside range 1 (SEMVER): introduced 0, fixed 1.2.3");
	assert_string_equal(v.fixed_in, "");
	assert_int_equal(v.unparseable, 0);
	sg_osv_record_free(&rec);
}

/* fixed is exclusive, last_affected inclusive; pre-releases sit below their release. */
static void test_boundaries(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "npm", "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.2.0\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "0.9.9", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.0.0", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.0.0-rc.1", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.1.9", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.2.0-rc.1", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.2.0", &v), 0);
	sg_osv_record_free(&rec);
	entry_record(&rec, "npm",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"last_affected\":\"1.2.0\"}]}", NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.2.0", &v), 1);
	assert_string_equal(v.fixed_in, ""); /* no fix, only a last affected version */
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.2.1-0", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.2.1", &v), 0);
	sg_osv_record_free(&rec);
}

/* introduced "0" is below everything; last_affected "0" after it closes the range at once. */
static void test_zero_sentinels(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "crates.io", "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}", NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "0.0.0-0", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "99999.0.0", &v), 1);
	assert_string_equal(v.fixed_in, "");
	sg_osv_record_free(&rec);
	/* GHSA's last_affected "0" (strict SemVer would not even parse "0"),
	 * in either order in the record. */
	entry_record(&rec, "npm",
		     "{\"type\":\"SEMVER\",\"events\":[{\"last_affected\":\"0\"},{\"introduced\":\"0\"}]}", NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "0.0.1", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NPM, "1.0.0", &v), 0);
	assert_int_equal(v.unparseable, 0);
	assert_non_null(strstr(v.decided_by, "introduced 0, last_affected 0"));
	sg_osv_record_free(&rec);
}

static void test_limits_evaluated(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"2.0.0\"}]}", NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.9.9", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "2.0.0", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "3.0.0", &v), 0);
	sg_osv_record_free(&rec);
	/* "*" is infinity; with several limits, below any one is enough. */
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"limit\":\"*\"}]},"
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"5.0.0\"},{\"limit\":\"1.0.0\"},"
		     "{\"limit\":\"6.0.0\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "0.5.0", &v), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "100.0.0", &v), 1);
	assert_string_equal(v.decided_by, "range 1 (SEMVER): introduced 1.0.0, limit *");
	sg_osv_record_free(&rec);
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"5.0.0\"},{\"limit\":\"1.0.0\"},"
		     "{\"limit\":\"6.0.0\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "5.5.0", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "6.0.0", &v), 0);
	sg_osv_record_free(&rec);
}

static void test_multiple_ranges(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "Go",
		     "{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{\"introduced\":\"0\"}]},"
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.1.0\"}]},"
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"2.0.0\"},{\"fixed\":\"2.0.5\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_GO, "2.0.1", &v), 1);
	assert_string_equal(v.decided_by, "range 3 (SEMVER): introduced 2.0.0, fixed 2.0.5");
	assert_string_equal(v.fixed_in, "2.0.5");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_GO, "1.0.3", &v), 1);
	assert_string_equal(v.decided_by, "range 2 (SEMVER): introduced 1.0.0, fixed 1.1.0");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_GO, "1.5.0", &v), 0);
	assert_string_equal(v.decided_by,
			    "not affected: range 1 (GIT) not evaluated (commit ranges need the repository); "
			    "outside range 2 (SEMVER): introduced 1.0.0, fixed 1.1.0; "
			    "outside range 3 (SEMVER): introduced 2.0.0, fixed 2.0.5");
	sg_osv_record_free(&rec);
}

/* GIT ranges never match (they need the repository), and say so. */
static void test_git_only(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("osv-schema/linter-testdata/nointroduced-CVE-2023-41045.json", &rec);
	assert_null(rec.affected[0].ecosystem);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_NONE, "5.0.8", &v), 0);
	assert_string_equal(v.decided_by, "not affected: range 1 (GIT) not evaluated (commit ranges need the repository)");
	sg_osv_record_free(&rec);
}

/*
 * An event that does not parse under the order is skipped and counted. A
 * range it leaves undecided for a version fails closed: the version counts
 * as affected (verdict.undecided says why); where the readable events
 * decide, they decide.
 */
static void test_unparseable_events(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.5\"}]}", NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.2.0", &v), 1);
	assert_int_equal(v.undecided, 1);
	assert_int_equal(v.unparseable, 1);
	assert_string_equal(v.fixed_in, "");
	assert_string_equal(v.decided_by, "counted as affected: undecided, range 1 (SEMVER): introduced 1.0.0; "
					  "skipped, not semver versions: fixed \"1.5\"");
	/* Below the range it is certainly not affected, still reported. */
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "0.9.0", &v), 0);
	assert_int_equal(v.undecided, 0);
	assert_int_equal(v.unparseable, 1);
	assert_prefix(v.decided_by, "not affected: outside range 1");
	sg_osv_record_free(&rec);
	/* An unreadable introduced cannot take away what the rest decides. */
	entry_record(&rec, "crates.io",
		     "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"v0.1\"},{\"introduced\":\"2.0.0\"},"
		     "{\"fixed\":\"3.0.0\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "2.5.0", &v), 1);
	assert_int_equal(v.unparseable, 1);
	assert_string_equal(v.fixed_in, "3.0.0");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.0.0", &v), 0);
	assert_prefix(v.decided_by, "undecided, range 1");
	/* Not affected here, but the unreadable introduced might sit anywhere
	 * up to 3.0.0 or beyond it: undecided, not "certainly not". */
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "3.5.0", &v), 0);
	assert_prefix(v.decided_by, "undecided, range 1");
	sg_osv_record_free(&rec);
	/* An unreadable limit, alone: BeforeLimits cannot be known. */
	entry_record(&rec, "crates.io", "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"limit\":\"x\"}]}",
		     NULL);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.0.0", &v), 0);
	assert_prefix(v.decided_by, "undecided");
	sg_osv_record_free(&rec);
	/* A versions[] entry that does not parse is skipped and counted. */
	entry_record(&rec, "crates.io", NULL, "\"1.0\",\"1.0.0\",\"garbage\"");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.0.0", &v), 1);
	assert_int_equal(v.unparseable, 2);
	assert_string_equal(v.decided_by, "versions list (\"1.0.0\")");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "1.0.1", &v), 0);
	assert_string_equal(v.decided_by, "not affected: not in the versions list (3 entries)");
	sg_osv_record_free(&rec);
}

/* The version being evaluated must parse under every order the entry needs. */
static void test_version_refused(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;
	struct sg_error err;

	(void)state;
	entry_record(&rec, "crates.io", "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}", NULL);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_SEMVER, "1.0", &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	assert_int_equal(v.affected, 0);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_SEMVER, "", &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_SEMVER, NULL, &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	/* A SEMVER range places a Go or npm version by its own order (Go's "v",
	 * as every SBOM generator writes it), and refuses what that order refuses. */
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_GO, "v1.2.3", &v, &err), 0);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_SEMVER, "v1.2.3", &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_PYPI, "1.0.post1", &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_osv_record_free(&rec);
	/* No comparator for the ecosystem: never "not affected". */
	entry_record(&rec, "Hackage", "{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}", NULL);
	sg_error_clear(&err);
	assert_int_equal(sg_osv_evaluate(&rec.affected[0], SG_VORDER_NONE, "1.0", &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_VERSION_INVALID);
	sg_osv_record_free(&rec);
}

/* A version a SEMVER range cannot place is still found in the versions list
 * (and by ECOSYSTEM ranges); only when nothing else affects it is the pair
 * unplaceable. */
static void test_versions_list_before_semver(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	entry_record(&rec, "PyPI", "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}]}",
		     "\"1.0\",\"1.1\"");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_PYPI, "1.0", &v), 1);
	assert_string_equal(v.decided_by, "versions list (\"1.0\")");
	/* Not listed, and SemVer cannot place "1.5": unplaceable, not "not affected". */
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_PYPI, "1.5", &v), -1);
	sg_osv_record_free(&rec);
}

/* decided_by stays one bounded line, cut on a character. */
static void test_decided_by_bounded(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;
	char *json;
	size_t len;

	(void)state;
	json = repeated(HEAD "\"affected\":[{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"p\"},"
			"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},",
			"{\"fixed\":\"1.0.0-\\u00e9\\u00e9\\u00e9\\u00e9\\n\"}", 200, "]}]}]}");
	parse_ok(json, &rec);
	free(json);
	/* 200 unreadable fixes leave the range open: counted as affected. */
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "0.1.0", &v), 1);
	assert_int_equal(v.undecided, 1);
	assert_int_equal(v.unparseable, 200);
	len = strlen(v.decided_by);
	assert_true(len < sizeof(v.decided_by));
	assert_string_equal(v.decided_by + len - 3, "...");
	assert_null(strchr(v.decided_by, '\n'));
	sg_osv_record_free(&rec);
}

/* ---- evaluation on real records ---- */

/* RustSec: "0.0.0-0" is below every release, "0.2.37-0" below 0.2.37's pre-releases. */
static void test_rustsec_sentinels(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("rustsec/RUSTSEC-2016-0005.json", &rec);
	assert_string_equal(rec.affected[0].ecosystem, "crates.io");
	assert_int_equal(affected_in(&rec, 0, "0.0.0"), 1);
	assert_int_equal(affected_in(&rec, 0, "0.1.0"), 1);
	assert_int_equal(affected_in(&rec, 0, "0.2.36"), 1);
	assert_int_equal(affected_in(&rec, 0, "0.2.37-alpha"), 0);
	assert_int_equal(affected_in(&rec, 0, "0.2.37"), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_SEMVER, "0.2.36", &v), 1);
	assert_string_equal(v.fixed_in, "0.2.37-0");
	assert_string_equal(v.decided_by, "range 1 (SEMVER): introduced 0.0.0-0, fixed 0.2.37-0");
	sg_osv_record_free(&rec);
}

/* Go: "1.16.0-0" is 1.16.0's earliest pre-release; two introduced/fixed pairs. */
static void test_go_stdlib(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("go-vulndb/GO-2021-0243.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "1.15.13"), 1);
	assert_int_equal(affected_in(&rec, 0, "1.15.14"), 0);
	assert_int_equal(affected_in(&rec, 0, "1.16.0-rc1"), 1);
	assert_int_equal(affected_in(&rec, 0, "1.16.5"), 1);
	assert_int_equal(affected_in(&rec, 0, "1.16.6"), 0);
	assert_int_equal(affected_in(&rec, 0, "1.17.0"), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_GO, "1.16.2", &v), 1);
	assert_string_equal(v.fixed_in, "1.16.6");
	assert_string_equal(v.decided_by, "range 1 (SEMVER): introduced 0, fixed 1.15.14, introduced 1.16.0-0, fixed 1.16.6");
	sg_osv_record_free(&rec);
}

/* Go: a pseudo-version fix orders by its timestamp. */
static void test_go_pseudo_version(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	load_record("go-vulndb/GO-2024-3251.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "0.0.0-20240101000000-abcdefabcdef"), 1);
	assert_int_equal(affected_in(&rec, 0, "0.0.0-20241025131057-f7ce9d7b6f9c"), 0);
	assert_int_equal(affected_in(&rec, 0, "0.0.0-20241101000000-abcdefabcdef"), 0);
	assert_int_equal(affected_in(&rec, 0, "0.1.0"), 0);
	sg_osv_record_free(&rec);
}

/* GHSA last_affected (Go, ECOSYSTEM ranges), split across two entries. */
static void test_ghsa_last_affected(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	load_record("ghsa-from-vulndb-testdata/GHSA-7fxj-fr3v-r9gj.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "6.1.2"), 1);
	assert_int_equal(affected_in(&rec, 0, "6.1.3"), 0);
	assert_int_equal(affected_in(&rec, 1, "6.1.3"), 0);
	assert_int_equal(affected_in(&rec, 1, "6.2.0"), 1);
	assert_int_equal(affected_in(&rec, 1, "6.4.0-alpha1"), 1);
	assert_int_equal(affected_in(&rec, 1, "6.4.0"), 0);
	sg_osv_record_free(&rec);
}

/* npm (SEMVER range): introduced "2.1.1-0". */
static void test_npm_record(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	load_record("osv-schema/ghsa-converted/npm_greater_than.osv.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "2.1.0"), 0);
	assert_int_equal(affected_in(&rec, 0, "2.1.1-beta.1"), 1);
	assert_int_equal(affected_in(&rec, 0, "2.2.4"), 1);
	assert_int_equal(affected_in(&rec, 0, "3.0.0"), 0);
	sg_osv_record_free(&rec);
}

/* FORMATS.md's example of unsorted events: 12.10.0, 12.10.2, 12.0, 12.6.7, 11.6.1, 11.10.13. */
static void test_maven_unsorted(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("osv-schema/ghsa-converted/maven_greater_than.osv.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "11.6.0"), 0);
	assert_int_equal(affected_in(&rec, 0, "11.6.1"), 1);
	assert_int_equal(affected_in(&rec, 0, "11.10.12"), 1);
	assert_int_equal(affected_in(&rec, 0, "11.10.13"), 0);
	assert_int_equal(affected_in(&rec, 0, "12.5"), 1);
	assert_int_equal(affected_in(&rec, 0, "12.6.7"), 0);
	assert_int_equal(affected_in(&rec, 0, "12.10.1"), 1);
	assert_int_equal(affected_in(&rec, 0, "12.10.2"), 0);
	assert_int_equal(affected_in(&rec, 0, "13.0"), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_MAVEN, "12.1", &v), 1);
	assert_string_equal(v.fixed_in, "12.6.7");
	assert_string_equal(v.decided_by, "range 1 (ECOSYSTEM): introduced 11.6.1, fixed 11.10.13, introduced 12.0, "
					  "fixed 12.6.7, introduced 12.10.0, fixed 12.10.2");
	sg_osv_record_free(&rec);
}

/* PyPI: versions[] compared parsed ("3.2" is "3.2.0"), before the ranges. */
static void test_pypi_versions_list(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("pypa/json/cryptography/PYSEC-2021-63.json", &rec);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_PYPI, "3.2.0", &v), 1);
	assert_string_equal(v.decided_by, "versions list (\"3.2\")");
	assert_string_equal(v.fixed_in, "3.3.2"); /* from the range that also covers it */
	assert_int_equal(affected_in(&rec, 0, "3.0"), 0);
	assert_int_equal(affected_in(&rec, 0, "3.3.2"), 0);
	sg_osv_record_free(&rec);
	entry_record(&rec, "PyPI", NULL, "\"1.0\"");
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_PYPI, "1.0.0", &v), 1);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_PYPI, "1.0.post1", &v), 0);
	sg_osv_record_free(&rec);
}

/* PyPI last_affected, inclusive, on a record with a long versions list. */
static void test_pypi_last_affected(void **state)
{
	struct sg_osv_record rec;

	(void)state;
	load_record("pypa/json/py/PYSEC-2022-42969.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "1.11.0"), 1);
	assert_int_equal(affected_in(&rec, 0, "1.11.1"), 0);
	assert_int_equal(affected_in(&rec, 0, "0.1"), 1);
	sg_osv_record_free(&rec);
}

/* RubyGems: introduced 0, introduced 4.0.1, fixed 4.0.5, fixed 3.0.21 (unsorted). */
static void test_rubygems_multiple_pairs(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("osv-schema/ghsa-converted/multiple_ranges_in_package.osv.json", &rec);
	assert_int_equal(affected_in(&rec, 0, "3.0.20"), 1);
	assert_int_equal(affected_in(&rec, 0, "3.0.21"), 0);
	assert_int_equal(affected_in(&rec, 0, "4.0.0"), 0);
	assert_int_equal(eval(&rec.affected[0], SG_VORDER_RUBYGEMS, "4.0.4", &v), 1);
	assert_string_equal(v.fixed_in, "4.0.5");
	sg_osv_record_free(&rec);
}

/* Alpine and Debian entries of one osv.dev record (apk and dpkg orders). */
static void test_distro_entries(void **state)
{
	struct sg_osv_record rec;
	struct sg_osv_verdict v;

	(void)state;
	load_record("osv.dev-api-via-secobserve/CVE-2024-32002.json", &rec);
	assert_string_equal(rec.affected[0].ecosystem, "Alpine:v3.17");
	assert_int_equal(affected_in(&rec, 0, "2.39.4-r0"), 1);
	assert_int_equal(affected_in(&rec, 0, "2.39.5-r0"), 0);
	assert_string_equal(rec.affected[5].ecosystem, "Debian:11");
	assert_int_equal(eval(&rec.affected[5], SG_VORDER_DPKG, "1:2.30.2-1+deb11u2", &v), 1);
	assert_string_equal(v.decided_by, "versions list (\"1:2.30.2-1+deb11u2\")");
	assert_string_equal(v.fixed_in, "1:2.30.2-1+deb11u3");
	assert_int_equal(affected_in(&rec, 5, "1:2.30.2-1+deb11u3"), 0);
	/* The GIT-only entry, without a package. */
	assert_null(rec.affected[8].ecosystem);
	assert_int_equal(rec.affected[8].ranges[0].type, SG_OSV_RANGE_GIT);
	sg_osv_record_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_yaml_refused),
		cmocka_unit_test(test_fields_kept),
		cmocka_unit_test(test_modified_fraction),
		cmocka_unit_test(test_modified_refused),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_query_response_refused),
		cmocka_unit_test(test_withdrawn),
		cmocka_unit_test(test_summary_cut),
		cmocka_unit_test(test_affected_severity_sources),
		cmocka_unit_test(test_structure_refused),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_unsorted_events),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_zero_sentinels),
		cmocka_unit_test(test_limits_evaluated),
		cmocka_unit_test(test_multiple_ranges),
		cmocka_unit_test(test_git_only),
		cmocka_unit_test(test_unparseable_events),
		cmocka_unit_test(test_versions_list_before_semver),
		cmocka_unit_test(test_version_refused),
		cmocka_unit_test(test_decided_by_bounded),
		cmocka_unit_test(test_rustsec_sentinels),
		cmocka_unit_test(test_go_stdlib),
		cmocka_unit_test(test_go_pseudo_version),
		cmocka_unit_test(test_ghsa_last_affected),
		cmocka_unit_test(test_npm_record),
		cmocka_unit_test(test_maven_unsorted),
		cmocka_unit_test(test_pypi_versions_list),
		cmocka_unit_test(test_pypi_last_affected),
		cmocka_unit_test(test_rubygems_multiple_pairs),
		cmocka_unit_test(test_distro_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
