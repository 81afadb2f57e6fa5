/*
 * core/lifecycle: DESIGN.md section 3 "Finding identity" (a full scan that no
 * longer reports a finding marks it fixed; a later report reopens it).
 * Clauses: remediate.release (open findings block), remediate.sla
 * (a regression reopens), exceptions (a person's false_positive is kept).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/finding.h"
#include "core/lifecycle.h"
#include "util/hash.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* remediate.release: a first sighting opens the finding. */
static void test_sighted_new(void **state)
{
	struct sg_transition t = sg_lifecycle_sighted(0, SG_STATUS_OPEN);

	(void)state;
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_OPEN);
	assert_int_equal(t.event, SG_EVENT_OPENED);
}

/* `current` is meaningless for a fingerprint never seen: still "opened". */
static void test_sighted_new_ignores_current(void **state)
{
	struct sg_transition t = sg_lifecycle_sighted(0, SG_STATUS_FIXED);

	(void)state;
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_OPEN);
	assert_int_equal(t.event, SG_EVENT_OPENED);
}

/* remediate.sla: "a later report of it reopens it (a regression event)". */
static void test_sighted_fixed_reopens(void **state)
{
	struct sg_transition t = sg_lifecycle_sighted(1, SG_STATUS_FIXED);

	(void)state;
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_OPEN);
	assert_int_equal(t.event, SG_EVENT_REOPENED);
}

/* "Re-ingesting the same file is a no-op." */
static void test_sighted_open_no_change(void **state)
{
	struct sg_transition t = sg_lifecycle_sighted(1, SG_STATUS_OPEN);

	(void)state;
	assert_int_equal(t.changes, 0);
	assert_int_equal(t.to, SG_STATUS_OPEN);
}

/* exceptions: "false_positive stays false_positive whatever scans say". */
static void test_sighted_false_positive_stays(void **state)
{
	struct sg_transition t = sg_lifecycle_sighted(1, SG_STATUS_FALSE_POSITIVE);

	(void)state;
	assert_int_equal(t.changes, 0);
	assert_int_equal(t.to, SG_STATUS_FALSE_POSITIVE);
}

/* "A full scan that no longer reports a finding marks it fixed". */
static void test_absent_open_fixes(void **state)
{
	struct sg_transition t = sg_lifecycle_absent(SG_STATUS_OPEN);

	(void)state;
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_FIXED);
	assert_int_equal(t.event, SG_EVENT_FIXED);
}

static void test_absent_fixed_no_change(void **state)
{
	struct sg_transition t = sg_lifecycle_absent(SG_STATUS_FIXED);

	(void)state;
	assert_int_equal(t.changes, 0);
	assert_int_equal(t.to, SG_STATUS_FIXED);
}

static void test_absent_false_positive_stays(void **state)
{
	struct sg_transition t = sg_lifecycle_absent(SG_STATUS_FALSE_POSITIVE);

	(void)state;
	assert_int_equal(t.changes, 0);
	assert_int_equal(t.to, SG_STATUS_FALSE_POSITIVE);
}

/* Only scans say "fixed": a person cannot close a finding by hand. */
static void test_triage_to_fixed_refused(void **state)
{
	struct sg_transition t;

	(void)state;
	assert_int_equal(sg_lifecycle_triage(SG_STATUS_OPEN, SG_STATUS_FIXED, &t), -1);
	assert_int_equal(sg_lifecycle_triage(SG_STATUS_FALSE_POSITIVE, SG_STATUS_FIXED, &t), -1);
	assert_int_equal(sg_lifecycle_triage(SG_STATUS_FIXED, SG_STATUS_FIXED, &t), -1);
}

static void test_triage_open_to_false_positive(void **state)
{
	struct sg_transition t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(sg_lifecycle_triage(SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE, &t), 0);
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_FALSE_POSITIVE);
	assert_int_equal(t.event, SG_EVENT_TRIAGED);
}

/* A person takes a false_positive back. */
static void test_triage_false_positive_to_open(void **state)
{
	struct sg_transition t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(sg_lifecycle_triage(SG_STATUS_FALSE_POSITIVE, SG_STATUS_OPEN, &t), 0);
	assert_int_equal(t.changes, 1);
	assert_int_equal(t.to, SG_STATUS_OPEN);
	assert_int_equal(t.event, SG_EVENT_TRIAGED);
}

static void test_status_names(void **state)
{
	static const char *const names[SG_STATUS_COUNT] = {"open", "fixed", "false_positive"};
	enum sg_finding_status s;
	int i;

	(void)state;
	for (i = 0; i < SG_STATUS_COUNT; i++) {
		assert_string_equal(sg_status_name((enum sg_finding_status)i), names[i]);
		assert_int_equal(sg_status_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(sg_status_parse("closed", &s), -1);
	assert_int_equal(sg_status_parse("", &s), -1);
	assert_int_equal(sg_status_parse("Open", &s), -1);
}

static void test_event_names(void **state)
{
	(void)state;
	assert_string_equal(sg_event_name(SG_EVENT_OPENED), "opened");
	assert_string_equal(sg_event_name(SG_EVENT_FIXED), "fixed");
	assert_string_equal(sg_event_name(SG_EVENT_REOPENED), "reopened");
	assert_string_equal(sg_event_name(SG_EVENT_TRIAGED), "triaged");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sighted_new),
		cmocka_unit_test(test_sighted_new_ignores_current),
		cmocka_unit_test(test_sighted_fixed_reopens),
		cmocka_unit_test(test_sighted_open_no_change),
		cmocka_unit_test(test_sighted_false_positive_stays),
		cmocka_unit_test(test_absent_open_fixes),
		cmocka_unit_test(test_absent_fixed_no_change),
		cmocka_unit_test(test_absent_false_positive_stays),
		cmocka_unit_test(test_triage_to_fixed_refused),
		cmocka_unit_test(test_triage_open_to_false_positive),
		cmocka_unit_test(test_triage_false_positive_to_open),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_event_names),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
