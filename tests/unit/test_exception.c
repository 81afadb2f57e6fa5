/*
 * core/exception: the states of an exception in time, the names of scopes
 * and states, the exact text an approver signs (clause exceptions), and the
 * reason a lapsed exception gives when its findings block again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/exception.h"
#include "util/buf.h"
#include "util/hash.h"

#define DAY 86400
#define NOW ((time_t)1764417600)     /* 2025-11-29T12:00:00Z */
#define EXPIRES ((time_t)1769817600) /* 2026-01-31T00:00:00Z */
#define FP_HEX "000102030405060708090a0b0c0d0e0f"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* A pending finding-scope exception of product "shop". */
static void make_exception(struct sg_exception *e)
{
	int i;

	memset(e, 0, sizeof(*e));
	e->id = 12;
	e->scope = SG_SCOPE_FINDING;
	e->finding_id = 34;
	for (i = 0; i < SG_FINGERPRINT_BYTES; i++)
		e->finding_fingerprint[i] = (unsigned char)i;
	e->product_id = 1;
	e->product = "shop";
	e->reason = "hello world";
	e->expires_on = "2026-01-31";
	e->expires_at = EXPIRES;
	e->requester = "ana";
	e->requested_at = NOW;
}

static void assert_signing_text(const struct sg_exception *e, const char *want)
{
	struct sg_buf b;

	sg_buf_init(&b, 1 << 16);
	assert_int_equal(sg_exception_signing_text(e, &b), 0);
	if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0)
		fail_msg("signing text:\n%.*s\n-- want:\n%s", (int)b.len, b.data ? b.data : "", want);
	sg_buf_release(&b);
}

/* ---- states ---- */

static void test_status_pending_active(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	assert_int_equal(sg_exception_status_at(&e, NOW), SG_EXC_PENDING);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES - 1), SG_EXC_PENDING);
	e.approver = "carol";
	e.approved_at = NOW + 60;
	assert_int_equal(sg_exception_status_at(&e, NOW + 60), SG_EXC_ACTIVE);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES - 1), SG_EXC_ACTIVE);
}

/* "it stops applying at 00:00 UTC that day": expired at exactly expires_at. */
static void test_status_expired_at_boundary(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.approver = "carol";
	assert_int_equal(sg_exception_status_at(&e, EXPIRES - 1), SG_EXC_ACTIVE);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES), SG_EXC_EXPIRED);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES + 365 * DAY), SG_EXC_EXPIRED);
	/* A request never approved expires too. */
	e.approver = NULL;
	assert_int_equal(sg_exception_status_at(&e, EXPIRES), SG_EXC_EXPIRED);
}

/* "Revocation wins over expiry". */
static void test_status_revoked_wins(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.revoked_by = "dave";
	e.revoked_at = NOW + 10;
	/* pending, then revoked */
	assert_int_equal(sg_exception_status_at(&e, NOW + 20), SG_EXC_REVOKED);
	e.approver = "carol";
	assert_int_equal(sg_exception_status_at(&e, NOW + 20), SG_EXC_REVOKED);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES), SG_EXC_REVOKED);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES + DAY), SG_EXC_REVOKED);
}

/* ---- names ---- */

/* Expiry follows the signed date: a stored expires_at that disagrees (a
 * row edited to extend an exception) changes nothing, and a date that does
 * not parse counts as expired. */
static void test_status_follows_signed_date(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.approver = "carol";
	e.expires_at = EXPIRES + 3650 * DAY;
	assert_int_equal(sg_exception_status_at(&e, EXPIRES), SG_EXC_EXPIRED);
	assert_int_equal(sg_exception_status_at(&e, EXPIRES - 1), SG_EXC_ACTIVE);
	e.expires_on = "2026-02-30";
	assert_int_equal(sg_exception_status_at(&e, NOW), SG_EXC_EXPIRED);
	e.expires_on = "2026-01-31T00:00:00Z";
	assert_int_equal(sg_exception_status_at(&e, NOW), SG_EXC_EXPIRED);
}

static void test_scope_names(void **state)
{
	static const enum sg_exception_scope scopes[] = {SG_SCOPE_FINDING, SG_SCOPE_RULE, SG_SCOPE_COMPONENT};
	static const char *const names[] = {"finding", "rule", "component"};
	enum sg_exception_scope got;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_string_equal(sg_scope_name(scopes[i]), names[i]);
		got = (enum sg_exception_scope)99;
		assert_int_equal(sg_scope_parse(names[i], &got), 0);
		assert_int_equal(got, scopes[i]);
		assert_int_equal(sg_scope_parse(sg_scope_name(scopes[i]), &got), 0);
		assert_int_equal(got, scopes[i]);
	}
	got = SG_SCOPE_RULE;
	assert_int_equal(sg_scope_parse("Finding", &got), -1);
	assert_int_equal(sg_scope_parse("", &got), -1);
	assert_int_equal(sg_scope_parse("rules", &got), -1);
	assert_int_equal(sg_scope_parse("unknown", &got), -1);
	assert_int_equal(got, SG_SCOPE_RULE); /* untouched on failure */
	assert_string_equal(sg_scope_name((enum sg_exception_scope)3), "unknown");
	assert_string_equal(sg_scope_name((enum sg_exception_scope)-1), "unknown");
}

static void test_status_names(void **state)
{
	static const char *const names[SG_EXC_STATUS_COUNT] = {"pending", "active", "expired", "revoked"};
	enum sg_exception_status got;
	int i;

	(void)state;
	assert_int_equal(SG_EXC_PENDING, 0);
	for (i = 0; i < SG_EXC_STATUS_COUNT; i++) {
		assert_string_equal(sg_exception_status_name((enum sg_exception_status)i), names[i]);
		got = (enum sg_exception_status)99;
		assert_int_equal(sg_exception_status_parse(names[i], &got), 0);
		assert_int_equal(got, i);
	}
	got = SG_EXC_ACTIVE;
	assert_int_equal(sg_exception_status_parse("Active", &got), -1);
	assert_int_equal(sg_exception_status_parse("", &got), -1);
	assert_int_equal(sg_exception_status_parse("unknown", &got), -1);
	assert_int_equal(got, SG_EXC_ACTIVE);
	assert_string_equal(sg_exception_status_name((enum sg_exception_status)SG_EXC_STATUS_COUNT), "unknown");
	assert_string_equal(sg_exception_status_name((enum sg_exception_status)-1), "unknown");
}

/* ---- the signing text: exact bytes ---- */

static void test_signing_text_finding(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: finding\n"
				"finding: 34\n"
				"fingerprint: " FP_HEX "\n"
				"product: shop\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 11\n"
				"hello world");
}

static void test_signing_text_rule_all_products(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.scope = SG_SCOPE_RULE;
	e.finding_id = 0;
	e.tool = "Flawfinder";
	e.rule = "FF1004";
	e.product_id = 0;
	e.product = NULL;
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: rule\n"
				"tool: Flawfinder\n"
				"rule: FF1004\n"
				"all-products: yes\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 11\n"
				"hello world");
	/* The same rule for one product. */
	e.product_id = 2;
	e.product = "web";
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: rule\n"
				"tool: Flawfinder\n"
				"rule: FF1004\n"
				"product: web\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 11\n"
				"hello world");
}

static void test_signing_text_component(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.id = 7;
	e.scope = SG_SCOPE_COMPONENT;
	e.component = "pkg:npm/lodash@4.17.20";
	e.product = NULL;
	e.requested_at = NOW + 1;
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 7\n"
				"scope: component\n"
				"component: pkg:npm/lodash@4.17.20\n"
				"all-products: yes\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:01Z\n"
				"reason: 11\n"
				"hello world");
}

/* The reason is counted in bytes and may hold line breaks; a reason that
 * imitates more fields cannot be mistaken for them. */
static void test_signing_text_reason(void **state)
{
	struct sg_exception e;

	(void)state;
	make_exception(&e);
	e.reason = "line one\nline two\n";
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: finding\n"
				"finding: 34\n"
				"fingerprint: " FP_HEX "\n"
				"product: shop\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 18\n"
				"line one\nline two\n");
	e.reason = "caf\xc3\xa9"; /* 4 characters, 5 bytes */
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: finding\n"
				"finding: 34\n"
				"fingerprint: " FP_HEX "\n"
				"product: shop\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 5\n"
				"caf\xc3\xa9");
	e.reason = "";
	assert_signing_text(&e, "shipgate-exception-approval-v1\n"
				"id: 12\n"
				"scope: finding\n"
				"finding: 34\n"
				"fingerprint: " FP_HEX "\n"
				"product: shop\n"
				"expires: 2026-01-31\n"
				"requester: ana\n"
				"requested-at: 2025-11-29T12:00:00Z\n"
				"reason: 0\n");
}

/* Each field of the exception shows in its text: change one, the text changes. */
static void test_signing_text_each_field(void **state)
{
	struct sg_exception base, e;
	struct sg_buf a, b;
	int field;

	(void)state;
	make_exception(&base);
	sg_buf_init(&a, 1 << 16);
	assert_int_equal(sg_exception_signing_text(&base, &a), 0);
	for (field = 0; field < 9; field++) {
		e = base;
		switch (field) {
		case 0: e.id = 13; break;
		case 1: e.finding_id = 35; break;
		case 2: e.finding_fingerprint[15] ^= 1; break;
		case 3: e.product = "shop2"; break;
		case 4: e.product = NULL; break;
		case 5: e.expires_on = "2026-02-01"; break;
		case 6: e.requester = "anna"; break;
		case 7: e.requested_at = NOW + 1; break;
		default: e.reason = "hello world!"; break;
		}
		sg_buf_init(&b, 1 << 16);
		assert_int_equal(sg_exception_signing_text(&e, &b), 0);
		if (a.len == b.len && memcmp(a.data, b.data, a.len) == 0)
			fail_msg("field %d does not change the signing text", field);
		sg_buf_release(&b);
	}
	sg_buf_release(&a);
}

/* The buffer's limit: an error, not a truncated text that could be signed. */
static void test_signing_text_too_long(void **state)
{
	struct sg_exception e;
	struct sg_buf b;

	(void)state;
	make_exception(&e);
	sg_buf_init(&b, 64);
	assert_int_not_equal(sg_exception_signing_text(&e, &b), 0);
	sg_buf_release(&b);
}

/* ---- lapse texts ---- */

static void test_lapse_text(void **state)
{
	struct sg_exception e;
	char text[256];

	(void)state;
	make_exception(&e);
	sg_exception_lapse_text(&e, NOW, text, sizeof(text));
	assert_string_equal(text, "exception 12 is pending approval");
	e.approver = "carol";
	sg_exception_lapse_text(&e, NOW, text, sizeof(text));
	assert_string_equal(text, "exception 12 is active until 2026-01-31");
	sg_exception_lapse_text(&e, EXPIRES, text, sizeof(text));
	assert_string_equal(text, "exception 12 expired on 2026-01-31");
	e.revoked_by = "dave";
	e.revoked_at = NOW + 3600;
	sg_exception_lapse_text(&e, NOW + 7200, text, sizeof(text));
	assert_string_equal(text, "exception 12 was revoked by dave at 2025-11-29T13:00:00Z");
	/* Revoked wins over expired here too. */
	sg_exception_lapse_text(&e, EXPIRES + DAY, text, sizeof(text));
	assert_string_equal(text, "exception 12 was revoked by dave at 2025-11-29T13:00:00Z");
}

/* A short buffer is cut and terminated. */
static void test_lapse_text_short_buffer(void **state)
{
	struct sg_exception e;
	char text[16];

	(void)state;
	make_exception(&e);
	memset(text, 'x', sizeof(text));
	sg_exception_lapse_text(&e, EXPIRES, text, 10);
	assert_string_equal(text, "exception");
	assert_int_equal(text[10], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_pending_active),
		cmocka_unit_test(test_status_expired_at_boundary),
		cmocka_unit_test(test_status_revoked_wins),
		cmocka_unit_test(test_status_follows_signed_date),
		cmocka_unit_test(test_scope_names),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_signing_text_finding),
		cmocka_unit_test(test_signing_text_rule_all_products),
		cmocka_unit_test(test_signing_text_component),
		cmocka_unit_test(test_signing_text_reason),
		cmocka_unit_test(test_signing_text_each_field),
		cmocka_unit_test(test_signing_text_too_long),
		cmocka_unit_test(test_lapse_text),
		cmocka_unit_test(test_lapse_text_short_buffer),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
