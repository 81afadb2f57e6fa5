/*
 * app/ingest_sarif, app/ingest_sbom: a file read through a path that must
 * not show (the server's spool, /proc/self/fd/N) goes by the name given in
 * the parameters, in the report, in error messages, in the scan and in the
 * audit ledger; and ingest reports as JSON (app/ingest_report.c).
 * Clauses: sast, sca (evidence names what it came from, not where a server
 * kept it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/ingest_sarif.h"
#include "app/sca.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/json_writer.h"

#define NAME "request body"
#define COMMIT "0123456789abcdef0123456789abcdef01234567"

static const char sarif_doc[] =
	"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"tiny\"}}, \"results\": ["
	"{\"ruleId\": \"T1\", \"level\": \"error\", \"message\": {\"text\": \"x\"}, \"locations\": "
	"[{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a.c\"}, \"region\": {\"startLine\": 1}}}]}]}]}";
static const char sbom_doc[] =
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"metadata\": {\"tools\": [{\"name\": \"gen\", "
	"\"version\": \"1\"}], \"component\": {\"type\": \"application\", \"name\": \"app\"}}, \"components\": ["
	"{\"type\": \"library\", \"name\": \"a\", \"version\": \"1.0.0\", \"purl\": \"pkg:npm/a@1.0.0\"},"
	"{\"type\": \"library\", \"name\": \"b\"}]}";

static char tmpdir[128];
static unsigned case_counter;

struct fx {
	char url[320];
	char policy[300];
	char db_path[300];
	struct sg_app app;
	struct sg_error err;
	int fd;
	char spool[64];
};
static struct fx fx;

#define OK(call)                                                                                   \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s returned %d: %s [%s]", #call, rc_, fx.err.message,             \
				 sg_diag_id(fx.err.diag));                                         \
	} while (0)

static void remove_dir(const char *path)
{
	char child[512];
	struct dirent *e;
	DIR *d = opendir(path);

	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			unlink(child);
		}
		closedir(d);
	}
	rmdir(path);
}

static int group_setup(void **state)
{
	(void)state;
	if (sg_crypto_init() != 0)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-names-test-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	remove_dir(tmpdir);
	return 0;
}

static int case_setup(void **state)
{
	struct sg_init_report report;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.fd = -1;
	case_counter++;
	snprintf(fx.db_path, sizeof(fx.db_path), "%s/case%u.db", tmpdir, case_counter);
	snprintf(fx.url, sizeof(fx.url), "sqlite:%s", fx.db_path);
	snprintf(fx.policy, sizeof(fx.policy), "%s/policy%u.yml", tmpdir, case_counter);
	sg_app_init(&fx.app, fx.url, fx.policy);
	sg_error_clear(&fx.err);
	return sg_app_init_store(&fx.app, fx.policy, &report, &fx.err) == 0 ? 0 : -1;
}

static int case_teardown(void **state)
{
	(void)state;
	if (fx.fd >= 0)
		close(fx.fd);
	sg_app_close(&fx.app);
	return 0;
}

/* The document in an unlinked file, read as the server reads its spool. */
static const char *spool(const char *data, size_t len)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/spool%u", tmpdir, case_counter);
	fx.fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fx.fd >= 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write(fx.fd, data, len), (ssize_t)len);
	snprintf(fx.spool, sizeof(fx.spool), "/proc/self/fd/%d", fx.fd);
	return fx.spool;
}

/* One value from the store. */
static void query(const char *sql, char *out, size_t size)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(fx.db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The whole ledger, as `audit log --format json` shows it. */
static int add_event(void *ctx, const struct sg_audit_event *e)
{
	struct sg_jw w;

	sg_jw_init_buf(&w, ctx, 0);
	sg_audit_event_json(&w, e);
	assert_int_equal(sg_jw_finish(&w), 0);
	return 0;
}

static void ledger(struct sg_buf *b)
{
	sg_buf_init(b, 1U << 20);
	OK(sg_app_audit_log(&fx.app, 0, add_event, b, &fx.err));
	assert_int_equal(sg_buf_error(b), 0);
}

static void assert_ledger_names_it(void)
{
	struct sg_buf b;
	struct sg_audit_verify_report v;

	ledger(&b);
	/* (the payload is JSON text inside the event's JSON) */
	assert_non_null(strstr(b.data, "\\\"file\\\":\\\"" NAME "\\\""));
	assert_null(strstr(b.data, "/proc/"));
	sg_buf_release(&b);
	OK(sg_app_audit_verify(&fx.app, NULL, &v, &fx.err));
	assert_true(v.ok);
}

static void test_sarif_name(void **state)
{
	const char *files[1], *names[1] = {NAME};
	struct sg_ingest_sarif_params p = {0};
	struct sg_ingest_report report;
	char value[300];

	(void)state;
	files[0] = spool(sarif_doc, sizeof(sarif_doc) - 1);
	p.files = files;
	p.names = names;
	p.n_files = 1;
	p.product = "web";
	p.commit = COMMIT;
	p.kind = "sast";
	OK(sg_app_ingest_sarif(&fx.app, &p, &report, &fx.err));
	assert_int_equal(report.n_files, 1);
	assert_string_equal(report.files[0].file, NAME);
	assert_int_equal(report.files[0].results, 1);
	sg_ingest_report_release(&report);
	query("SELECT group_concat(artifact_name) FROM scan", value, sizeof(value));
	assert_string_equal(value, NAME);
	assert_ledger_names_it();
}

/* An error names the document by its name, never by the spool's path. */
static void test_sarif_name_in_errors(void **state)
{
	static const char bad[] = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, "
				  "\"results\": [{\"ruleIndex\": 4}]}]}";
	const char *files[1], *names[1] = {NAME};
	struct sg_ingest_sarif_params p = {0};
	struct sg_ingest_report report;
	char line[1200];

	(void)state;
	files[0] = spool(bad, sizeof(bad) - 1);
	p.files = files;
	p.names = names;
	p.n_files = 1;
	p.product = "web";
	p.commit = COMMIT;
	p.kind = "sast";
	assert_int_equal(sg_app_ingest_sarif(&fx.app, &p, &report, &fx.err), SG_EINPUT);
	sg_ingest_report_release(&report);
	assert_true(fx.err.diag == SG_DIAG_SARIF_BAD_RULE_REF);
	assert_string_equal(fx.err.where, NAME);
	sg_error_format(&fx.err, line, sizeof(line));
	assert_null(strstr(line, "/proc/"));
	assert_non_null(strstr(line, NAME));
}

/* Without names, the path names the file, as before. */
static void test_sarif_without_names(void **state)
{
	const char *files[1];
	struct sg_ingest_sarif_params p = {0};
	struct sg_ingest_report report;
	char value[300];

	(void)state;
	files[0] = spool(sarif_doc, sizeof(sarif_doc) - 1);
	p.files = files;
	p.n_files = 1;
	p.product = "web";
	p.commit = COMMIT;
	p.kind = "sast";
	OK(sg_app_ingest_sarif(&fx.app, &p, &report, &fx.err));
	assert_string_equal(report.files[0].file, files[0]);
	sg_ingest_report_release(&report);
	query("SELECT artifact_name FROM scan", value, sizeof(value));
	assert_string_equal(value, files[0]);
}

static void test_sbom_name(void **state)
{
	struct sg_ingest_sbom_params p = {0};
	struct sg_sbom_report report;
	char value[300];

	(void)state;
	p.file = spool(sbom_doc, sizeof(sbom_doc) - 1);
	p.name = NAME;
	p.product = "web";
	p.commit = COMMIT;
	OK(sg_app_ingest_sbom(&fx.app, &p, &report, &fx.err));
	assert_int_equal(report.components, 2);
	query("SELECT group_concat(artifact_name) FROM scan", value, sizeof(value));
	assert_string_equal(value, NAME);
	assert_ledger_names_it();
}

static void test_sbom_name_in_errors(void **state)
{
	static const char bad[] = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{}]}";
	struct sg_ingest_sbom_params p = {0};
	struct sg_sbom_report report;
	char line[1200];

	(void)state;
	p.file = spool(bad, sizeof(bad) - 1);
	p.name = NAME;
	p.product = "web";
	p.commit = COMMIT;
	assert_int_equal(sg_app_ingest_sbom(&fx.app, &p, &report, &fx.err), SG_EINPUT);
	assert_true(fx.err.diag == SG_DIAG_SBOM_INVALID);
	assert_string_equal(fx.err.where, NAME);
	sg_error_format(&fx.err, line, sizeof(line));
	assert_null(strstr(line, "/proc/"));
}

/* ---- the JSON shapes ---- */

static void test_sarif_report_json(void **state)
{
	struct sg_ingest_file_report files[2];
	struct sg_ingest_report r;
	struct sg_buf b;
	struct sg_jw w;

	(void)state;
	memset(files, 0, sizeof(files));
	memset(&r, 0, sizeof(r));
	files[0].file = "a \"quoted\" name.sarif";
	files[0].n_runs = 2;
	files[0].first_scan_id = 7;
	files[0].results = 10;
	files[0].not_failures = 1;
	files[0].absent = 2;
	files[0].new_findings = 4;
	files[0].reopened = 3;
	files[0].tool_failed_runs = 1;
	files[1].file = "b.sarif";
	files[1].duplicate = 1;
	files[1].duplicate_of = 5;
	r.files = files;
	r.n_files = 2;
	r.fixed = 6;
	snprintf(r.commit, sizeof(r.commit), "%s", COMMIT);
	sg_buf_init(&b, 1U << 16);
	sg_jw_init_buf(&w, &b, 0);
	sg_ingest_report_json(&w, &r);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(b.data,
			    "{\"commit\":\"" COMMIT "\",\"fixed\":6,\"files\":["
			    "{\"file\":\"a \\\"quoted\\\" name.sarif\",\"duplicate\":false,\"duplicate_of\":null,"
			    "\"scan\":7,\"runs\":2,\"results\":10,\"new\":4,\"reopened\":3,\"not_failures\":1,"
			    "\"absent\":2,\"tool_failed_runs\":1},"
			    "{\"file\":\"b.sarif\",\"duplicate\":true,\"duplicate_of\":5,\"scan\":null,\"runs\":0,"
			    "\"results\":0,\"new\":0,\"reopened\":0,\"not_failures\":0,\"absent\":0,"
			    "\"tool_failed_runs\":0}]}");
	/* no commit: null */
	r.commit[0] = '\0';
	r.n_files = 0;
	sg_buf_reset(&b);
	sg_jw_init_buf(&w, &b, 0);
	sg_ingest_report_json(&w, &r);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(b.data, "{\"commit\":null,\"fixed\":6,\"files\":[]}");
	sg_buf_release(&b);
}

static void test_sbom_report_json(void **state)
{
	struct sg_sbom_report r;
	struct sg_buf b;
	struct sg_jw w;

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(r.format, sizeof(r.format), "CycloneDX");
	snprintf(r.spec_version, sizeof(r.spec_version), "1.5");
	snprintf(r.tool, sizeof(r.tool), "syft");
	snprintf(r.subject, sizeof(r.subject), "demo");
	snprintf(r.commit, sizeof(r.commit), "%s", COMMIT);
	r.components = 7;
	r.without_purl = 2;
	r.vex = 1;
	r.scan_id = 3;
	r.match.components = 7;
	r.match.unmatched = 2;
	r.match.vulnerable = 1;
	r.match.findings = 2;
	r.match.new_findings = 2;
	r.match.fixed = 1;
	r.match.not_applicable = 1;
	r.match.license_findings = 1;
	r.match.skipped_versions = 4;
	r.match.unplaceable = 5;
	sg_buf_init(&b, 1U << 16);
	sg_jw_init_buf(&w, &b, 0);
	sg_sbom_report_json(&w, &r);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(b.data,
			    "{\"duplicate\":false,\"duplicate_of\":null,\"scan\":3,\"commit\":\"" COMMIT "\","
			    "\"format\":\"CycloneDX\",\"spec_version\":\"1.5\",\"tool\":\"syft\",\"tool_version\":null,"
			    "\"subject\":\"demo\",\"components\":7,\"without_purl\":2,\"vex\":1,\"match\":{"
			    "\"components\":7,\"unmatched\":2,\"vulnerable\":1,\"findings\":2,\"new\":2,\"reopened\":0,"
			    "\"fixed\":1,\"not_applicable\":1,\"license_findings\":1,\"skipped_versions\":4,"
			    "\"unplaceable\":5}}");
	/* a duplicate: what it duplicates, no scan of its own */
	memset(&r, 0, sizeof(r));
	r.duplicate = 1;
	r.duplicate_of = 9;
	r.scan_id = 12;
	sg_buf_reset(&b);
	sg_jw_init_buf(&w, &b, 0);
	sg_sbom_report_json(&w, &r);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_non_null(strstr(b.data, "{\"duplicate\":true,\"duplicate_of\":9,\"scan\":null,\"commit\":null,"
				       "\"format\":null,"));
	sg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sarif_name, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_sarif_name_in_errors, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_sarif_without_names, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_sbom_name, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_sbom_name_in_errors, case_setup, case_teardown),
		cmocka_unit_test(test_sarif_report_json),
		cmocka_unit_test(test_sbom_report_json),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
