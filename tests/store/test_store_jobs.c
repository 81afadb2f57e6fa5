/*
 * The store's background jobs (store.h "Background jobs", docs/jobs.md) on
 * every backend: register, claim, finish, trigger, list, notice marks, and
 * claims racing: threads with a handle each claim the same due job at the
 * same moment, round after round, and exactly one gets it each time.
 *
 * The store comes from SG_TEST_STORE_URL as in test_store.c: a template in
 * which "%s" is replaced by a name unique to the case (on PostgreSQL the
 * schema, which this test creates and drops); unset, SQLite files in a
 * fresh directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/hash.h"

#define T0 1900000000LL
#define RACERS 8
#define ROUNDS 60

static char url_template[600];
static char tmpdir[64];
static PGconn *pg_admin;
static unsigned case_counter;

struct fx {
	char url[700];
	char schema[64];
	struct sg_store *s;
	struct sg_error err;
};
static struct fx fx;

#define OK(call)                                                                                           \
	do {                                                                                               \
		int rc_ = (call);                                                                          \
		if (rc_ != 0)                                                                              \
			fail_msg("%s returned %d: %s [%s]", #call, rc_, fx.err.message, sg_diag_id(fx.err.diag)); \
	} while (0)

static int is_pg(void)
{
	return strncmp(url_template, "postgres", 8) == 0;
}

static void fill_template(const char *name, char *out, size_t size)
{
	const char *at = strstr(url_template, "%s");

	if (!at) {
		snprintf(out, size, "%s", url_template);
		return;
	}
	snprintf(out, size, "%.*s%s%s", (int)(at - url_template), url_template, name, at + 2);
}

static void pg_admin_run(const char *sql_head, const char *schema)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "%s %s", sql_head, schema);
	PQclear(PQexec(pg_admin, sql));
}

static int group_setup(void **state)
{
	const char *env = getenv("SG_TEST_STORE_URL");
	char url[700];

	(void)state;
	if (sg_crypto_init() != 0)
		return -1;
	if (!env || !*env) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-jobs-test-XXXXXX");
		if (!mkdtemp(tmpdir))
			return -1;
		snprintf(url_template, sizeof(url_template), "sqlite:%s/%%s.db", tmpdir);
		return 0;
	}
	snprintf(url_template, sizeof(url_template), "%s", env);
	if (!is_pg())
		return 0;
	if (!strstr(url_template, "%s")) {
		size_t len = strlen(url_template);
		snprintf(url_template + len, sizeof(url_template) - len, "%soptions=-csearch_path%%3D%%s",
			 strchr(url_template, '?') ? "&" : "?");
	}
	fill_template("public", url, sizeof(url));
	pg_admin = PQconnectdb(url);
	if (!pg_admin || PQstatus(pg_admin) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to SG_TEST_STORE_URL's database: %s\n",
			pg_admin ? PQerrorMessage(pg_admin) : "out of memory");
		return -1;
	}
	PQclear(PQexec(pg_admin, "SET client_min_messages = 'warning'"));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (tmpdir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	if (pg_admin)
		PQfinish(pg_admin);
	return 0;
}

static int case_setup(void **state)
{
	char name[48];

	(void)state;
	memset(&fx, 0, sizeof(fx));
	snprintf(name, sizeof(name), "sgj_%ld_case%u", (long)getpid(), ++case_counter);
	if (is_pg()) {
		snprintf(fx.schema, sizeof(fx.schema), "%s", name);
		pg_admin_run("DROP SCHEMA IF EXISTS", name);
		pg_admin_run("CREATE SCHEMA", name);
	}
	fill_template(name, fx.url, sizeof(fx.url));
	sg_error_clear(&fx.err);
	if (sg_store_open(fx.url, SG_STORE_OPEN_CREATE, &fx.s, &fx.err) != 0) {
		fprintf(stderr, "case setup: %s [%s]\n", fx.err.message, sg_diag_id(fx.err.diag));
		return -1;
	}
	return 0;
}

static int case_teardown(void **state)
{
	(void)state;
	if (fx.s) {
		sg_store_rollback(fx.s);
		sg_store_close(fx.s);
	}
	fx.s = NULL;
	if (fx.schema[0])
		pg_admin_run("DROP SCHEMA IF EXISTS", strcat(fx.schema, " CASCADE"));
	return 0;
}

/* ---- jobs_list into one record, strings copied ---- */

struct job_copy {
	int found;
	long long interval_seconds, runs;
	time_t next_run_at, last_started_at, last_finished_at;
	char last_instance[64], last_outcome[16], last_summary[128];
	int outcome_null;
	const char *want;
};

static int copy_job(void *ctx, const struct sg_job_record *j)
{
	struct job_copy *c = ctx;

	if (strcmp(j->name, c->want) != 0)
		return 0;
	c->found = 1;
	c->interval_seconds = j->interval_seconds;
	c->runs = j->runs;
	c->next_run_at = j->next_run_at;
	c->last_started_at = j->last_started_at;
	c->last_finished_at = j->last_finished_at;
	snprintf(c->last_instance, sizeof(c->last_instance), "%s", j->last_instance ? j->last_instance : "");
	snprintf(c->last_outcome, sizeof(c->last_outcome), "%s", j->last_outcome ? j->last_outcome : "");
	snprintf(c->last_summary, sizeof(c->last_summary), "%s", j->last_summary ? j->last_summary : "");
	c->outcome_null = j->last_outcome == NULL;
	return 0;
}

static struct job_copy job(struct sg_store *s, const char *name)
{
	struct job_copy c;

	memset(&c, 0, sizeof(c));
	c.want = name;
	OK(sg_store_jobs_list(s, copy_job, &c, &fx.err));
	assert_true(c.found);
	return c;
}

static long long claim(struct sg_store *s, const char *name, const char *instance, time_t now)
{
	long long run_id = -1;

	OK(sg_store_job_claim(s, name, instance, now, &run_id, &fx.err));
	assert_true(run_id >= 0);
	return run_id;
}

/* ---- cases ---- */

static void test_claim_once_per_due_time(void **state)
{
	struct job_copy c;
	long long r1, r2;

	(void)state;
	OK(sg_store_job_register(fx.s, "import", 60, T0, &fx.err));
	c = job(fx.s, "import");
	assert_int_equal(c.interval_seconds, 60);
	assert_int_equal(c.next_run_at, T0); /* a new job is due at once */
	assert_int_equal(c.runs, 0);
	assert_int_equal(c.last_started_at, 0);
	assert_true(c.outcome_null);
	assert_int_equal(claim(fx.s, "import", "a", T0 - 1), 0); /* not due yet */
	r1 = claim(fx.s, "import", "a", T0);
	assert_true(r1 > 0);
	assert_int_equal(claim(fx.s, "import", "b", T0), 0);      /* claimed: no longer due */
	assert_int_equal(claim(fx.s, "import", "b", T0 + 59), 0);
	c = job(fx.s, "import");
	assert_int_equal(c.next_run_at, T0 + 60);
	assert_int_equal(c.runs, 1);
	assert_string_equal(c.last_instance, "a");
	assert_true(c.outcome_null); /* running */
	OK(sg_store_job_finish(fx.s, r1, 1, "3 records read", T0 + 5, &fx.err));
	c = job(fx.s, "import");
	assert_string_equal(c.last_outcome, "ok");
	assert_string_equal(c.last_summary, "3 records read");
	assert_int_equal(c.last_finished_at, T0 + 5);
	/* Late: the next run counts from the claim, not from the missed time. */
	r2 = claim(fx.s, "import", "b", T0 + 500);
	assert_true(r2 > r1);
	OK(sg_store_job_finish(fx.s, r2, 0, "the path is gone", T0 + 501, &fx.err));
	c = job(fx.s, "import");
	assert_int_equal(c.next_run_at, T0 + 560);
	assert_int_equal(c.runs, 2);
	assert_string_equal(c.last_instance, "b");
	assert_string_equal(c.last_outcome, "failed");
	assert_string_equal(c.last_summary, "the path is gone");
	assert_int_equal(sg_store_job_finish(fx.s, 999999, 1, "x", T0, &fx.err), SG_ENOTFOUND);
	assert_int_equal(claim(fx.s, "no-such-job", "a", T0 + 10000), 0);
}

static void test_register_again(void **state)
{
	struct job_copy c;

	(void)state;
	OK(sg_store_job_register(fx.s, "notices", 3600, T0, &fx.err));
	assert_true(claim(fx.s, "notices", "a", T0) > 0); /* next run T0 + 3600 */
	/* Registered again (a server restarted): the next run stays... */
	OK(sg_store_job_register(fx.s, "notices", 7200, T0 + 100, &fx.err));
	c = job(fx.s, "notices");
	assert_int_equal(c.interval_seconds, 7200);
	assert_int_equal(c.next_run_at, T0 + 3600);
	/* ... unless a shorter interval brings it closer. */
	OK(sg_store_job_register(fx.s, "notices", 60, T0 + 100, &fx.err));
	c = job(fx.s, "notices");
	assert_int_equal(c.interval_seconds, 60);
	assert_int_equal(c.next_run_at, T0 + 160);
	assert_int_equal(c.runs, 1);
}

static void test_trigger(void **state)
{
	time_t now = time(NULL);
	struct job_copy c;

	(void)state;
	assert_int_equal(sg_store_job_trigger(fx.s, "nothing", &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	OK(sg_store_job_register(fx.s, "import", 86400, now, &fx.err));
	assert_true(claim(fx.s, "import", "a", now) > 0);
	assert_int_equal(claim(fx.s, "import", "a", now + 10), 0);
	OK(sg_store_job_trigger(fx.s, "import", &fx.err));
	c = job(fx.s, "import");
	assert_true(c.next_run_at <= time(NULL) && c.next_run_at >= now - 5); /* the store's clock */
	assert_true(claim(fx.s, "import", "b", time(NULL)) > 0);
	assert_int_equal(claim(fx.s, "import", "a", time(NULL)), 0);
	/* A job due already stays due from when it was. */
	OK(sg_store_job_register(fx.s, "old", 60, 1000, &fx.err));
	OK(sg_store_job_trigger(fx.s, "old", &fx.err));
	assert_int_equal(job(fx.s, "old").next_run_at, 1000);
}

static void test_claim_outside_transactions_only(void **state)
{
	long long run_id = 7;

	(void)state;
	OK(sg_store_job_register(fx.s, "import", 60, T0, &fx.err));
	OK(sg_store_begin(fx.s, &fx.err));
	assert_int_not_equal(sg_store_job_claim(fx.s, "import", "a", T0, &run_id, &fx.err), 0);
	assert_int_equal(run_id, 0);
	sg_store_rollback(fx.s);
	assert_true(claim(fx.s, "import", "a", T0) > 0);
}

static void test_notice_marks(void **state)
{
	unsigned char base[SG_FINGERPRINT_BYTES];
	struct sg_sighting_outcome out;
	struct sg_sighting sight;
	struct sg_scan_record scan;
	struct sg_view view = {0, "sast", "tool", ""};
	long long product, ingest, scan_id, run_id;
	int is_new = -1;

	(void)state;
	/* A finding to notice. */
	memset(&scan, 0, sizeof(scan));
	memset(&sight, 0, sizeof(sight));
	memset(base, 7, sizeof(base));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "shop", T0, &product, &fx.err));
	OK(sg_store_ingest_begin(fx.s, product, T0, &ingest, &fx.err));
	scan.product_id = product;
	scan.ingest_id = ingest;
	scan.kind = "sast";
	scan.tool = "tool";
	scan.category = "";
	scan.artifact_name = "a.sarif";
	scan.options = "";
	scan.created_at = T0;
	OK(sg_store_scan_insert(fx.s, &scan, &scan_id, &fx.err));
	view.product_id = product;
	sight.rule = "R1";
	sight.severity = SG_SEV_HIGH;
	sight.tool_severity = SG_SEV_HIGH;
	sight.path = "a.c";
	sight.line = 1;
	sight.message = "m";
	OK(sg_store_finding_sight(fx.s, &view, ingest, scan_id, base, &sight, T0, &out, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_job_register(fx.s, "sla-notices", 60, T0, &fx.err));
	run_id = claim(fx.s, "sla-notices", "a", T0);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_notice_mark(fx.s, out.finding_id, "due-soon", run_id, T0, &is_new, &fx.err));
	assert_int_equal(is_new, 1);
	OK(sg_store_notice_mark(fx.s, out.finding_id, "due-soon", run_id, T0, &is_new, &fx.err));
	assert_int_equal(is_new, 0);
	OK(sg_store_commit(fx.s, &fx.err));
	/* Another stage is another notice; a mark rolled back was never made. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_notice_mark(fx.s, out.finding_id, "overdue", run_id, T0, &is_new, &fx.err));
	assert_int_equal(is_new, 1);
	sg_store_rollback(fx.s);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_notice_mark(fx.s, out.finding_id, "overdue", 0, T0, &is_new, &fx.err));
	assert_int_equal(is_new, 1);
	OK(sg_store_notice_mark(fx.s, out.finding_id, "due-soon", 0, T0, &is_new, &fx.err));
	assert_int_equal(is_new, 0);
	OK(sg_store_commit(fx.s, &fx.err));
}

/* ---- claims racing ---- */

struct race {
	pthread_barrier_t start, done;
	atomic_int claimed[ROUNDS];
	atomic_int failures;
	char url[700];
};

struct racer {
	struct race *race;
	int index;
};

static void *race_claims(void *arg)
{
	struct racer *me = arg;
	struct race *race = me->race;
	struct sg_store *s = NULL;
	struct sg_error err;
	char instance[16];
	int round;

	sg_error_clear(&err);
	snprintf(instance, sizeof(instance), "racer-%d", me->index);
	if (sg_store_open(race->url, SG_STORE_OPEN_EXISTING, &s, &err) != 0) {
		fprintf(stderr, "%s: %s\n", instance, err.message);
		atomic_fetch_add(&race->failures, 1);
	}
	for (round = 0; round < ROUNDS; round++) {
		long long run_id = 0;
		/* Everyone at once: one due time per round. */
		pthread_barrier_wait(&race->start);
		if (s && sg_store_job_claim(s, "race", instance, T0 + 10 * round, &run_id, &err) != 0) {
			fprintf(stderr, "%s, round %d: %s\n", instance, round, err.message);
			atomic_fetch_add(&race->failures, 1);
		}
		if (run_id > 0)
			atomic_fetch_add(&race->claimed[round], 1);
		pthread_barrier_wait(&race->done);
	}
	sg_store_close(s);
	return NULL;
}

static void test_claims_race(void **state)
{
	static struct race race;
	struct racer racers[RACERS];
	pthread_t threads[RACERS];
	int i, once = 0;

	(void)state;
	memset(&race, 0, sizeof(race));
	snprintf(race.url, sizeof(race.url), "%s", fx.url);
	OK(sg_store_job_register(fx.s, "race", 10, T0, &fx.err));
	pthread_barrier_init(&race.start, NULL, RACERS);
	pthread_barrier_init(&race.done, NULL, RACERS);
	for (i = 0; i < RACERS; i++) {
		racers[i].race = &race;
		racers[i].index = i;
		assert_int_equal(pthread_create(&threads[i], NULL, race_claims, &racers[i]), 0);
	}
	for (i = 0; i < RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&race.start);
	pthread_barrier_destroy(&race.done);
	assert_int_equal(atomic_load(&race.failures), 0);
	for (i = 0; i < ROUNDS; i++) {
		if (atomic_load(&race.claimed[i]) != 1)
			fail_msg("round %d: %d claims", i, atomic_load(&race.claimed[i]));
		once++;
	}
	assert_int_equal(once, ROUNDS);
	assert_int_equal(job(fx.s, "race").runs, ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_once_per_due_time, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_register_again, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_trigger, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_claim_outside_transactions_only, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_notice_marks, case_setup, case_teardown),
		cmocka_unit_test_setup_teardown(test_claims_race, case_setup, case_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
