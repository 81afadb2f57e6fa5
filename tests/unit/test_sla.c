/*
 * core/sla: remediation deadlines (clause remediate.sla). A finding is due
 * its first detection plus the policy's sla_days for its severity; the
 * cutoff is the first-seen time at or before which a finding is overdue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/policy.h"
#include "core/sla.h"

#define DAY 86400
#define NOW ((time_t)1764417600) /* 2025-11-29T12:00:00Z */

static void make_policy(struct sg_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->block_release = (1u << SG_SEV_CRITICAL) | (1u << SG_SEV_HIGH);
	p->sla_enabled = 1;
	p->sla_days[SG_SEV_CRITICAL] = 7;
	p->sla_days[SG_SEV_HIGH] = 30;
	p->sla_days[SG_SEV_MEDIUM] = 90;
	p->sla_days[SG_SEV_LOW] = 180;
	/* info: no deadline */
}

/* Without sla_days (clause not enabled) nothing is ever due. */
static void test_disabled_policy(void **state)
{
	struct sg_policy p;
	time_t due = 12345;
	int sev;

	(void)state;
	make_policy(&p);
	p.sla_enabled = 0;
	for (sev = SG_SEV_INFO; sev <= SG_SEV_CRITICAL; sev++)
		assert_int_equal(sg_sla_due(&p, (enum sg_severity)sev, NOW, &due), 0);
	assert_int_equal(due, 12345);
}

/* A severity left out of sla_days has no deadline. */
static void test_severity_without_days(void **state)
{
	struct sg_policy p;
	time_t due = 12345;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_sla_due(&p, SG_SEV_INFO, NOW, &due), 0);
	p.sla_days[SG_SEV_HIGH] = 0;
	assert_int_equal(sg_sla_due(&p, SG_SEV_HIGH, NOW, &due), 0);
	assert_int_equal(due, 12345);
	/* The others keep theirs. */
	assert_int_equal(sg_sla_due(&p, SG_SEV_CRITICAL, NOW, &due), 1);
}

/* A severity outside the enum is no deadline, never a read out of bounds. */
static void test_bad_severity(void **state)
{
	struct sg_policy p;
	time_t due = 0;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_sla_due(&p, (enum sg_severity)SG_SEV_COUNT, NOW, &due), 0);
	assert_int_equal(sg_sla_due(&p, (enum sg_severity)-1, NOW, &due), 0);
}

/* due = first_seen + days * 86400, exactly: whole days of UTC seconds. */
static void test_due_arithmetic(void **state)
{
	struct sg_policy p;
	time_t due = 0;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_sla_due(&p, SG_SEV_CRITICAL, NOW, &due), 1);
	assert_int_equal(due, NOW + 7 * DAY);
	assert_int_equal(due, (time_t)1765022400); /* 2025-12-06T12:00:00Z */
	assert_int_equal(sg_sla_due(&p, SG_SEV_HIGH, NOW, &due), 1);
	assert_int_equal(due, NOW + 30 * DAY);
	assert_int_equal(sg_sla_due(&p, SG_SEV_MEDIUM, NOW + 1, &due), 1);
	assert_int_equal(due, NOW + 1 + 90 * DAY);
	assert_int_equal(sg_sla_due(&p, SG_SEV_LOW, 0, &due), 1);
	assert_int_equal(due, (time_t)180 * DAY);
	/* The largest policy value, 3650 days, from a recent date. */
	p.sla_days[SG_SEV_INFO] = 3650;
	assert_int_equal(sg_sla_due(&p, SG_SEV_INFO, NOW, &due), 1);
	assert_int_equal(due, NOW + (time_t)3650 * DAY);
	/* One day. */
	p.sla_days[SG_SEV_INFO] = 1;
	assert_int_equal(sg_sla_due(&p, SG_SEV_INFO, NOW, &due), 1);
	assert_int_equal(due, NOW + DAY);
}

/* The cutoff: at - days * 86400; a finding first seen at the cutoff is due
 * exactly now, so overdue ("first_seen + days <= at"); a second later is not. */
static void test_cutoff(void **state)
{
	struct sg_policy p;
	time_t cutoff, due = 0;
	int sev;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_sla_first_seen_cutoff(&p, SG_SEV_CRITICAL, NOW), NOW - 7 * DAY);
	assert_int_equal(sg_sla_first_seen_cutoff(&p, SG_SEV_HIGH, NOW), NOW - 30 * DAY);
	assert_int_equal(sg_sla_first_seen_cutoff(&p, SG_SEV_LOW, NOW), NOW - 180 * DAY);
	for (sev = SG_SEV_LOW; sev <= SG_SEV_CRITICAL; sev++) {
		cutoff = sg_sla_first_seen_cutoff(&p, (enum sg_severity)sev, NOW);
		assert_int_equal(sg_sla_due(&p, (enum sg_severity)sev, cutoff, &due), 1);
		assert_true(due <= NOW);
		assert_int_equal(due, NOW);
		assert_int_equal(sg_sla_due(&p, (enum sg_severity)sev, cutoff + 1, &due), 1);
		assert_true(due > NOW);
	}
}

/* A severity that rises takes its shorter deadline at once: the same first
 * detection is due sooner at high than at medium. */
static void test_rising_severity_shortens(void **state)
{
	struct sg_policy p;
	time_t medium = 0, high = 0, critical = 0;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_sla_due(&p, SG_SEV_MEDIUM, NOW, &medium), 1);
	assert_int_equal(sg_sla_due(&p, SG_SEV_HIGH, NOW, &high), 1);
	assert_int_equal(sg_sla_due(&p, SG_SEV_CRITICAL, NOW, &critical), 1);
	assert_true(critical < high);
	assert_true(high < medium);
	/* First seen 40 days ago: overdue at high, not at medium. */
	assert_true(NOW - 40 * DAY <= sg_sla_first_seen_cutoff(&p, SG_SEV_HIGH, NOW));
	assert_false(NOW - 40 * DAY <= sg_sla_first_seen_cutoff(&p, SG_SEV_MEDIUM, NOW));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disabled_policy),
		cmocka_unit_test(test_severity_without_days),
		cmocka_unit_test(test_bad_severity),
		cmocka_unit_test(test_due_arithmetic),
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_rising_severity_shortens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
