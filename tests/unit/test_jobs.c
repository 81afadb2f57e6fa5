/*
 * app/jobs: what `shipgate serve` takes for its background jobs (docs/jobs.md):
 * durations, instance names, where SLA notices go.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app/jobs.h"

static long long duration(const char *text)
{
	struct sg_error err;
	long long s = -7;

	sg_error_clear(&err);
	if (sg_jobs_parse_duration(text, "--every", &s, &err) != 0) {
		assert_int_equal(err.diag, SG_DIAG_BAD_VALUE);
		assert_non_null(strstr(err.message, "--every"));
		return -1;
	}
	return s;
}

static void test_duration_units(void **state)
{
	(void)state;
	assert_int_equal(duration("30s"), 30);
	assert_int_equal(duration("1s"), 1);
	assert_int_equal(duration("15m"), 900);
	assert_int_equal(duration("1h"), 3600);
	assert_int_equal(duration("1d"), 86400);
	assert_int_equal(duration("366d"), 366LL * 86400);
	assert_int_equal(duration("8784h"), 366LL * 86400);
	assert_int_equal(duration("007m"), 420);
}

static void test_duration_rejects(void **state)
{
	static const char *const bad[] = {
		"",     "s",      "0s",   "0d",  "30",   "30x",  "30S",  "1h30m", "-5s", "+5s", " 5s",
		"5s ",  "5 s",    "1.5h", "367d", "31622401s", "99999999999999999999s", "1e3s", "0x10s", "ss",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (duration(bad[i]) != -1)
			fail_msg("\"%s\" was taken as a duration", bad[i]);
	}
	assert_int_equal(duration(NULL), -1);
}

static int instance_ok(const char *name)
{
	struct sg_error err;

	sg_error_clear(&err);
	return sg_jobs_check_instance(name, &err) == 0;
}

static void test_instance_names(void **state)
{
	char name[SG_JOB_INSTANCE_BYTES + 1], def[SG_JOB_INSTANCE_BYTES];

	(void)state;
	assert_true(instance_ok("web-1"));
	assert_true(instance_ok("host.example:1234"));
	assert_false(instance_ok(""));
	assert_false(instance_ok(NULL));
	assert_false(instance_ok("two words"));
	assert_false(instance_ok("tab\there"));
	assert_false(instance_ok("new\nline"));
	assert_false(instance_ok("caf\xc3\xa9"));
	memset(name, 'a', SG_JOB_INSTANCE_BYTES - 1);
	name[SG_JOB_INSTANCE_BYTES - 1] = '\0';
	assert_true(instance_ok(name));
	name[SG_JOB_INSTANCE_BYTES - 1] = 'a';
	name[SG_JOB_INSTANCE_BYTES] = '\0';
	assert_false(instance_ok(name));
	/* The default passes its own check, and names the process. */
	sg_jobs_default_instance(def);
	assert_true(instance_ok(def));
	assert_non_null(strchr(def, ':'));
}

static int notify_ok(const char *target)
{
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_jobs_check_notify(target, &err) == 0)
		return 1;
	assert_int_equal(err.diag, SG_DIAG_BAD_VALUE);
	/* A refused URL is never quoted: it may hold the webhook's secret. */
	if (target)
		assert_null(strstr(err.message, "secret"));
	return 0;
}

static void test_notify_targets(void **state)
{
	(void)state;
	assert_true(notify_ok("log"));
	assert_true(notify_ok("https://hooks.example.com/services/secret"));
	assert_true(notify_ok("https://hooks.example.com:8443/x?token=secret"));
	assert_true(notify_ok("http://127.0.0.1:8080/hook"));
	assert_true(notify_ok("http://127.1.2.3/hook"));
	assert_true(notify_ok("http://localhost:9/hook"));
	assert_true(notify_ok("http://[::1]:9/hook"));
	/* Clear text beyond this machine: refused. */
	assert_false(notify_ok("http://hooks.example.com/secret"));
	assert_false(notify_ok("http://10.0.0.1/secret"));
	assert_false(notify_ok("http://[::2]/secret"));
	assert_false(notify_ok("http://localhost.example.com/secret"));
	assert_false(notify_ok("http://127.0.0.1.example.com/secret"));
	/* Other schemes, credentials in the URL, nonsense. */
	assert_false(notify_ok("ftp://127.0.0.1/secret"));
	assert_false(notify_ok("file:///etc/secret"));
	assert_false(notify_ok("https://user:secret@hooks.example.com/"));
	assert_false(notify_ok("https://user@hooks.example.com/secret"));
	assert_false(notify_ok("stderr"));
	assert_false(notify_ok("LOG"));
	assert_false(notify_ok(""));
	assert_false(notify_ok(NULL));
	assert_false(notify_ok("https://"));
}

static void test_config(void **state)
{
	struct sg_jobs_config cfg;
	struct sg_error err;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.instance = "web-1";
	sg_error_clear(&err);
	assert_int_equal(sg_jobs_check_config(&cfg, &err), 0);
	cfg.sla_notify = "log";
	assert_int_not_equal(sg_jobs_check_config(&cfg, &err), 0); /* no interval */
	cfg.sla_every = 60;
	cfg.sla_due_soon_days = 7;
	assert_int_equal(sg_jobs_check_config(&cfg, &err), 0);
	cfg.sla_due_soon_days = 366;
	assert_int_not_equal(sg_jobs_check_config(&cfg, &err), 0);
	cfg.sla_due_soon_days = 0;
	cfg.vulndb_path = "osv/";
	assert_int_not_equal(sg_jobs_check_config(&cfg, &err), 0);
	cfg.vulndb_every = 3600;
	assert_int_equal(sg_jobs_check_config(&cfg, &err), 0);
	cfg.instance = "a b";
	assert_int_not_equal(sg_jobs_check_config(&cfg, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_rejects),
		cmocka_unit_test(test_instance_names),
		cmocka_unit_test(test_notify_targets),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
