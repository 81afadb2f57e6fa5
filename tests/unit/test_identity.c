/*
 * core/identity: DESIGN.md "Finding identity", SARIF 2.1.0 Appendix B.
 * Clauses: sast, remediate.release (a finding keeps its id across scans, so
 * its status and exceptions follow it; a new finding is never merged away).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/identity.h"
#include "util/hash.h"

#define FP SG_FINGERPRINT_BYTES

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static struct sg_identity_input text_input(void)
{
	struct sg_identity_input in;

	memset(&in, 0, sizeof(in));
	in.tool = "Flawfinder";
	in.rule = "FF1001";
	in.path = "src/a.c";
	in.flagged_text = "strcpy(dst, src);";
	in.message = "Does not check for buffer overflows when copying to destination";
	return in;
}

static enum sg_identity_basis base_of(const struct sg_identity_input *in, unsigned char out[FP])
{
	return sg_identity_base(in, out);
}

/* Macros, so that a failure names the line of the case, not of a helper. */
#define assert_same_base(a, b)                                \
	do {                                                  \
		unsigned char x_[FP], y_[FP];                 \
		base_of((a), x_);                             \
		base_of((b), y_);                             \
		assert_memory_equal(x_, y_, FP);              \
	} while (0)

#define assert_other_base(a, b)                               \
	do {                                                  \
		unsigned char x_[FP], y_[FP];                 \
		base_of((a), x_);                             \
		base_of((b), y_);                             \
		assert_memory_not_equal(x_, y_, FP);          \
	} while (0)

/* "Re-ingesting the same file is a no-op": identity is deterministic. */
static void test_same_input_same_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char x[FP], y[FP], z[FP];
	char rule[16], path[16];

	(void)state;
	/* Equal strings in other buffers: content, not pointers, counts. */
	memcpy(rule, "FF1001", 7);
	memcpy(path, "src/a.c", 8);
	b.rule = rule;
	b.path = path;
	assert_same_base(&a, &b);
	base_of(&a, x);
	base_of(&a, y);
	assert_memory_equal(x, y, FP);
	/* Not all zero: the base is a digest. */
	memset(z, 0, FP);
	assert_memory_not_equal(x, z, FP);
}

static void test_tool_changes_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.tool = "Semgrep";
	assert_other_base(&a, &b);
}

static void test_rule_changes_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.rule = "FF1002";
	assert_other_base(&a, &b);
}

static void test_path_changes_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.path = "src/b.c";
	assert_other_base(&a, &b);
	/* No location at all is yet another identity. */
	b.path = NULL;
	assert_other_base(&a, &b);
}

/* Fields are length-prefixed: ("ab","c") and ("a","bc") differ. */
static void test_fields_do_not_run_together(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.tool = "ab";
	a.rule = "c";
	b.tool = "a";
	b.rule = "bc";
	assert_other_base(&a, &b);
	a = text_input();
	b = text_input();
	a.rule = "R";
	a.path = "1/x.c";
	b.rule = "R1";
	b.path = "/x.c";
	assert_other_base(&a, &b);
}

/*
 * "Line numbers are not part of identity: moving code keeps a finding."
 * The input has no line or column member at all; the same rule, path and
 * flagged text reported at another line is the same input and the same base.
 */
static void test_line_is_not_an_input(void **state)
{
	struct sg_identity_input at_line_10 = text_input(), at_line_99 = text_input();

	(void)state;
	assert_same_base(&at_line_10, &at_line_99);
}

/* "a hash of the flagged text with white space removed": re-indenting keeps the id. */
static void test_reindent_keeps_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char x[FP];

	(void)state;
	b.flagged_text = "\t    strcpy(dst,  src);\r\n";
	assert_same_base(&a, &b);
	assert_int_equal(base_of(&b, x), SG_IDENTITY_FLAGGED_TEXT);
}

/*
 * "with white space removed": spaces inside the line are white space too, so a
 * reformatting that adds or drops them (clang-format, black) keeps the id.
 */
static void test_whitespace_removed_inside_line(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.flagged_text = "strcpy(dst,src);";
	assert_same_base(&a, &b);
	b.flagged_text = "strcpy( dst, src ) ;";
	assert_same_base(&a, &b);
	b.flagged_text = "strcpy(dst,\n            src);";
	assert_same_base(&a, &b);
}

static void test_flagged_text_change_changes_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.flagged_text = "strcpy(dst, src2);";
	assert_other_base(&a, &b);
}

/* With flagged text the message is not evidence: a reworded message keeps the id. */
static void test_flagged_text_wins_over_message(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	b.message = "something else entirely";
	assert_same_base(&a, &b);
	b.message = NULL;
	assert_same_base(&a, &b);
}

/* "else the message text with its digits removed". */
static void test_message_digits_ignored(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char x[FP];

	(void)state;
	a.flagged_text = NULL;
	b.flagged_text = NULL;
	a.message = "buffer of 10 bytes at offset 4";
	b.message = "buffer of 256 bytes at offset 1";
	assert_int_equal(base_of(&a, x), SG_IDENTITY_MESSAGE);
	assert_same_base(&a, &b);
	b.message = "buffer of 256 words at offset 1";
	assert_other_base(&a, &b);
}

static void test_location_only_basis(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char x[FP];

	(void)state;
	a.flagged_text = NULL;
	a.message = NULL;
	assert_int_equal(base_of(&a, x), SG_IDENTITY_LOCATION_ONLY);
	b.flagged_text = NULL;
	b.message = NULL;
	b.path = "src/other.c";
	assert_other_base(&a, &b);
}

static const struct sg_fingerprint_entry fps_abc[] = {
	{"primaryLocationLineHash", "5f3a9b2c1e/1", 1},
	{"contextHash/v1", "deadbeef", 0},
	{"primaryLocationStartColumnFingerprint", "12", 1},
};
static const struct sg_fingerprint_entry fps_cab[] = {
	{"primaryLocationStartColumnFingerprint", "12", 1},
	{"primaryLocationLineHash", "5f3a9b2c1e/1", 1},
	{"contextHash/v1", "deadbeef", 0},
};
static const struct sg_fingerprint_entry fps_bca[] = {
	{"contextHash/v1", "deadbeef", 0},
	{"primaryLocationStartColumnFingerprint", "12", 1},
	{"primaryLocationLineHash", "5f3a9b2c1e/1", 1},
};

static void test_fingerprints_basis(void **state)
{
	struct sg_identity_input a = text_input();
	unsigned char x[FP];

	(void)state;
	a.fps = fps_abc;
	a.n_fps = 3;
	assert_int_equal(base_of(&a, x), SG_IDENTITY_TOOL_FINGERPRINTS);
}

/* "(all non-empty values, sorted by name)": the order of entries does not matter. */
static void test_fingerprint_order_irrelevant(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input(), c = text_input();

	(void)state;
	a.fps = fps_abc;
	a.n_fps = 3;
	b.fps = fps_cab;
	b.n_fps = 3;
	c.fps = fps_bca;
	c.n_fps = 3;
	assert_same_base(&a, &b);
	assert_same_base(&a, &c);
}

/* With tool fingerprints, flagged text and message are not evidence. */
static void test_fingerprints_win_over_text(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = fps_abc;
	a.n_fps = 3;
	b.fps = fps_abc;
	b.n_fps = 3;
	b.flagged_text = "completely different";
	b.message = "other message";
	assert_same_base(&a, &b);
}

/* "The path is part of the base even with tool fingerprints." */
static void test_fingerprints_keep_path(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = fps_abc;
	a.n_fps = 3;
	b.fps = fps_abc;
	b.n_fps = 3;
	b.path = "src/copy_of_a.c";
	assert_other_base(&a, &b);
	b = a;
	b.rule = "FF9999";
	assert_other_base(&a, &b);
}

static void test_fingerprint_value_changes_base(void **state)
{
	static const struct sg_fingerprint_entry one[] = {{"h", "v1", 1}};
	static const struct sg_fingerprint_entry two[] = {{"h", "v2", 1}};
	static const struct sg_fingerprint_entry renamed[] = {{"g", "v1", 1}};
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = one;
	a.n_fps = 1;
	b.fps = two;
	b.n_fps = 1;
	assert_other_base(&a, &b);
	b.fps = renamed;
	assert_other_base(&a, &b);
}

/* An extra fingerprint entry is other evidence. */
static void test_fingerprint_extra_entry(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = fps_abc;
	a.n_fps = 2;
	b.fps = fps_abc;
	b.n_fps = 3;
	assert_other_base(&a, &b);
}

/* "all non-empty values": an empty value is as if the entry were absent. */
static void test_empty_fingerprint_values_ignored(void **state)
{
	static const struct sg_fingerprint_entry with_empty[] = {
		{"contextHash/v1", "deadbeef", 0},
		{"primaryLocationLineHash", "", 1},
	};
	static const struct sg_fingerprint_entry without[] = {
		{"contextHash/v1", "deadbeef", 0},
	};
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = with_empty;
	a.n_fps = 2;
	b.fps = without;
	b.n_fps = 1;
	assert_same_base(&a, &b);
}

/* Only empty values: fall back to the flagged text, as if there were no fingerprints. */
static void test_all_empty_fingerprints_fall_back(void **state)
{
	static const struct sg_fingerprint_entry empty[] = {
		{"primaryLocationLineHash", "", 1},
		{"contextHash/v1", "", 0},
	};
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char x[FP];

	(void)state;
	a.fps = empty;
	a.n_fps = 2;
	assert_int_equal(base_of(&a, x), SG_IDENTITY_FLAGGED_TEXT);
	assert_same_base(&a, &b);
	/* ... and to the message when there is no flagged text either. */
	a.flagged_text = NULL;
	b.flagged_text = NULL;
	assert_int_equal(base_of(&a, x), SG_IDENTITY_MESSAGE);
	assert_same_base(&a, &b);
}

/* fingerprints and partialFingerprints are different namespaces (§3.27.16, §3.27.17). */
static void test_partial_vs_full_differ(void **state)
{
	static const struct sg_fingerprint_entry full[] = {{"hash/v1", "abc", 0}};
	static const struct sg_fingerprint_entry partial[] = {{"hash/v1", "abc", 1}};
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = full;
	a.n_fps = 1;
	b.fps = partial;
	b.n_fps = 1;
	assert_other_base(&a, &b);
}

/* Name and value are separate fields: ("ab","c") != ("a","bc"). */
static void test_fingerprint_fields_do_not_run_together(void **state)
{
	static const struct sg_fingerprint_entry x1[] = {{"ab", "c", 1}};
	static const struct sg_fingerprint_entry x2[] = {{"a", "bc", 1}};
	struct sg_identity_input a = text_input(), b = text_input();

	(void)state;
	a.fps = x1;
	a.n_fps = 1;
	b.fps = x2;
	b.n_fps = 1;
	assert_other_base(&a, &b);
}

/* "an occurrence index for identical ones". */
static void test_occurrence(void **state)
{
	struct sg_identity_input a = text_input();
	unsigned char base[FP], f0[FP], f0b[FP], f1[FP], f2[FP];

	(void)state;
	base_of(&a, base);
	sg_identity_fingerprint(base, 0, f0);
	sg_identity_fingerprint(base, 0, f0b);
	sg_identity_fingerprint(base, 1, f1);
	sg_identity_fingerprint(base, 2, f2);
	assert_memory_equal(f0, f0b, FP);
	assert_memory_not_equal(f0, f1, FP);
	assert_memory_not_equal(f1, f2, FP);
	assert_memory_not_equal(f0, f2, FP);
}

/* The fingerprint depends on the base too, not only on the occurrence. */
static void test_fingerprint_depends_on_base(void **state)
{
	struct sg_identity_input a = text_input(), b = text_input();
	unsigned char ba[FP], bb[FP], fa[FP], fb[FP];

	(void)state;
	b.rule = "FF1002";
	base_of(&a, ba);
	base_of(&b, bb);
	sg_identity_fingerprint(ba, 0, fa);
	sg_identity_fingerprint(bb, 0, fb);
	assert_memory_not_equal(fa, fb, FP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_input_same_base),
		cmocka_unit_test(test_tool_changes_base),
		cmocka_unit_test(test_rule_changes_base),
		cmocka_unit_test(test_path_changes_base),
		cmocka_unit_test(test_fields_do_not_run_together),
		cmocka_unit_test(test_line_is_not_an_input),
		cmocka_unit_test(test_reindent_keeps_base),
		cmocka_unit_test(test_whitespace_removed_inside_line),
		cmocka_unit_test(test_flagged_text_change_changes_base),
		cmocka_unit_test(test_flagged_text_wins_over_message),
		cmocka_unit_test(test_message_digits_ignored),
		cmocka_unit_test(test_location_only_basis),
		cmocka_unit_test(test_fingerprints_basis),
		cmocka_unit_test(test_fingerprint_order_irrelevant),
		cmocka_unit_test(test_fingerprints_win_over_text),
		cmocka_unit_test(test_fingerprints_keep_path),
		cmocka_unit_test(test_fingerprint_value_changes_base),
		cmocka_unit_test(test_fingerprint_extra_entry),
		cmocka_unit_test(test_empty_fingerprint_values_ignored),
		cmocka_unit_test(test_all_empty_fingerprints_fall_back),
		cmocka_unit_test(test_partial_vs_full_differ),
		cmocka_unit_test(test_fingerprint_fields_do_not_run_together),
		cmocka_unit_test(test_occurrence),
		cmocka_unit_test(test_fingerprint_depends_on_base),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
