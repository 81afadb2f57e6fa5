/*
 * core/severity: DESIGN.md "Severity" and SARIF 2.1.0 §3.27.10.
 * Clause: remediate.release (which findings are critical/high decides the gate).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/severity.h"
#include "util/hash.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* Returns the severity, or -1 when the score carries none. */
static int score(double s)
{
	enum sg_severity sev = (enum sg_severity)77;
	int rc = sg_severity_from_score(s, &sev);

	if (rc != 0) {
		assert_int_equal(rc, -1);
		return -1;
	}
	return (int)sev;
}

/* DESIGN.md: ">= 9.0 critical, >= 7.0 high, >= 4.0 medium, > 0 low". */
static void test_score_thresholds(void **state)
{
	(void)state;
	assert_int_equal(score(10.0), SG_SEV_CRITICAL);
	assert_int_equal(score(9.0), SG_SEV_CRITICAL);
	assert_int_equal(score(8.99), SG_SEV_HIGH);
	assert_int_equal(score(7.0), SG_SEV_HIGH);
	assert_int_equal(score(6.99), SG_SEV_MEDIUM);
	assert_int_equal(score(4.0), SG_SEV_MEDIUM);
	assert_int_equal(score(3.99), SG_SEV_LOW);
	assert_int_equal(score(0.1), SG_SEV_LOW);
	/* The smallest positive score is still low. */
	assert_int_equal(score(0.0001), SG_SEV_LOW);
}

/* "Returns -1 when the score carries no severity (0.0, negative, above 10, not finite)". */
static void test_score_without_severity(void **state)
{
	(void)state;
	assert_int_equal(score(0.0), -1);
	assert_int_equal(score(-0.0), -1);
	assert_int_equal(score(10.1), -1);
	assert_int_equal(score(10.0000001), -1);
	assert_int_equal(score(-1.0), -1);
	assert_int_equal(score(NAN), -1);
	assert_int_equal(score(INFINITY), -1);
	assert_int_equal(score(-INFINITY), -1);
}

static void test_score_parse_numbers(void **state)
{
	double d = -5;

	(void)state;
	assert_int_equal(sg_score_parse("7.5", &d), 0);
	assert_true(d == 7.5);
	assert_int_equal(sg_score_parse("9", &d), 0);
	assert_true(d == 9.0);
	assert_int_equal(sg_score_parse("0", &d), 0);
	assert_true(d == 0.0);
	assert_int_equal(sg_score_parse("9.8e0", &d), 0);
	assert_true(d == 9.8);
}

/* A string holding a number may carry surrounding blanks (" 9 "). */
static void test_score_parse_blanks(void **state)
{
	double d = -5;

	(void)state;
	assert_int_equal(sg_score_parse(" 9 ", &d), 0);
	assert_true(d == 9.0);
}

/* Words ("CRITICAL", Semgrep via DefectDojo) carry no score: FORMATS.md §9. */
static void test_score_parse_rejects(void **state)
{
	double d = 1234;

	(void)state;
	assert_int_not_equal(sg_score_parse("abc", &d), 0);
	assert_int_not_equal(sg_score_parse("", &d), 0);
	assert_int_not_equal(sg_score_parse("   ", &d), 0);
	assert_int_not_equal(sg_score_parse("CRITICAL", &d), 0);
	assert_int_not_equal(sg_score_parse("7.5x", &d), 0);
	assert_int_not_equal(sg_score_parse("7.5 high", &d), 0);
	/* Out of double range: not a score. */
	assert_int_not_equal(sg_score_parse("1e400", &d), 0);
	/* strtod would accept these; a score is a finite number. */
	assert_int_not_equal(sg_score_parse("nan", &d), 0);
	assert_int_not_equal(sg_score_parse("inf", &d), 0);
	assert_int_not_equal(sg_score_parse("infinity", &d), 0);
}

/*
 * A security-severity string is a decimal number (GitHub: "a string score").
 * strtod also reads hexadecimal: "0x9" must not become 9.0 (critical).
 */
static void test_score_parse_hex(void **state)
{
	double d = 1234;

	(void)state;
	assert_int_not_equal(sg_score_parse("0x9", &d), 0);
	assert_int_not_equal(sg_score_parse("0x1p3", &d), 0);
	assert_true(d == 1234);
}

static void test_level_parse(void **state)
{
	static const struct {
		const char *name;
		enum sg_level level;
	} cases[] = {
		{"none", SG_LEVEL_NONE},
		{"note", SG_LEVEL_NOTE},
		{"warning", SG_LEVEL_WARNING},
		{"error", SG_LEVEL_ERROR},
	};
	enum sg_level l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		l = SG_LEVEL_UNSET;
		assert_int_equal(sg_level_parse(cases[i].name, &l), 0);
		assert_int_equal(l, cases[i].level);
		assert_string_equal(sg_level_name(cases[i].level), cases[i].name);
	}
}

/* SARIF enum values are case-sensitive strings. */
static void test_level_parse_unknown(void **state)
{
	enum sg_level l = SG_LEVEL_NOTE;

	(void)state;
	assert_int_equal(sg_level_parse("", &l), -1);
	assert_int_equal(sg_level_parse("fatal", &l), -1);
	assert_int_equal(sg_level_parse("Error", &l), -1);
	assert_int_equal(sg_level_parse("warning ", &l), -1);
	assert_int_equal(sg_level_parse("recommendation", &l), -1);
}

/* §3.27.10: the result's own level wins over the rule default. */
static void test_effective_result_level_wins(void **state)
{
	(void)state;
	assert_int_equal(sg_level_effective(SG_LEVEL_ERROR, SG_LEVEL_NOTE, 1), SG_LEVEL_ERROR);
	assert_int_equal(sg_level_effective(SG_LEVEL_NOTE, SG_LEVEL_ERROR, 1), SG_LEVEL_NOTE);
	assert_int_equal(sg_level_effective(SG_LEVEL_WARNING, SG_LEVEL_UNSET, 1), SG_LEVEL_WARNING);
	/* An explicit "none" is a level too. */
	assert_int_equal(sg_level_effective(SG_LEVEL_NONE, SG_LEVEL_ERROR, 1), SG_LEVEL_NONE);
}

/* §3.27.10: "If kind has any value other than fail ... level SHALL be none". */
static void test_effective_not_fail_is_none(void **state)
{
	(void)state;
	assert_int_equal(sg_level_effective(SG_LEVEL_ERROR, SG_LEVEL_ERROR, 0), SG_LEVEL_NONE);
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_ERROR, 0), SG_LEVEL_NONE);
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_UNSET, 0), SG_LEVEL_NONE);
}

/* §3.27.10: absent level -> rule defaultConfiguration.level. */
static void test_effective_rule_default(void **state)
{
	(void)state;
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_ERROR, 1), SG_LEVEL_ERROR);
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_NOTE, 1), SG_LEVEL_NOTE);
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_NONE, 1), SG_LEVEL_NONE);
}

/* §3.27.10: nothing anywhere -> "warning". */
static void test_effective_default_warning(void **state)
{
	(void)state;
	assert_int_equal(sg_level_effective(SG_LEVEL_UNSET, SG_LEVEL_UNSET, 1), SG_LEVEL_WARNING);
}

/* DESIGN.md: error high, warning medium, note low (none info). */
static void test_level_to_severity(void **state)
{
	(void)state;
	assert_int_equal(sg_severity_from_level(SG_LEVEL_ERROR), SG_SEV_HIGH);
	assert_int_equal(sg_severity_from_level(SG_LEVEL_WARNING), SG_SEV_MEDIUM);
	assert_int_equal(sg_severity_from_level(SG_LEVEL_NOTE), SG_SEV_LOW);
	assert_int_equal(sg_severity_from_level(SG_LEVEL_NONE), SG_SEV_INFO);
}

static void test_severity_names(void **state)
{
	static const char *const names[SG_SEV_COUNT] = {"info", "low", "medium", "high",
							 "critical"};
	enum sg_severity s;
	int i;

	(void)state;
	for (i = 0; i < SG_SEV_COUNT; i++) {
		s = (enum sg_severity)99;
		assert_string_equal(sg_severity_name((enum sg_severity)i), names[i]);
		assert_int_equal(sg_severity_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(sg_severity_parse("urgent", &s), -1);
	assert_int_equal(sg_severity_parse("", &s), -1);
	assert_int_equal(sg_severity_parse("hig", &s), -1);
	assert_int_equal(sg_severity_parse("highest", &s), -1);
}

/* The enum order is the order of gravity (findings lists sort by it). */
static void test_severity_order(void **state)
{
	(void)state;
	assert_true(SG_SEV_CRITICAL > SG_SEV_HIGH);
	assert_true(SG_SEV_HIGH > SG_SEV_MEDIUM);
	assert_true(SG_SEV_MEDIUM > SG_SEV_LOW);
	assert_true(SG_SEV_LOW > SG_SEV_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_thresholds),
		cmocka_unit_test(test_score_without_severity),
		cmocka_unit_test(test_score_parse_numbers),
		cmocka_unit_test(test_score_parse_blanks),
		cmocka_unit_test(test_score_parse_rejects),
		cmocka_unit_test(test_score_parse_hex),
		cmocka_unit_test(test_level_parse),
		cmocka_unit_test(test_level_parse_unknown),
		cmocka_unit_test(test_effective_result_level_wins),
		cmocka_unit_test(test_effective_not_fail_is_none),
		cmocka_unit_test(test_effective_rule_default),
		cmocka_unit_test(test_effective_default_warning),
		cmocka_unit_test(test_level_to_severity),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_severity_order),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
