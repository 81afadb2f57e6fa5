/*
 * core/pathnorm: SARIF 2.1.0 §3.4 artifact locations, FORMATS.md 1.4.
 * Clause: sast (the normalised path is part of finding identity, so the same
 * file written two ways must be one path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/pathnorm.h"
#include "util/hash.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* Normalise and compare; a macro so a failure names the case's line. */
#define NORM(uri, base, root, expect)                                                  \
	do {                                                                           \
		char out_[512];                                                        \
		memset(out_, 'X', sizeof(out_));                                       \
		assert_int_equal(sg_path_normalize((uri), (base), (root), out_, sizeof(out_)), 0); \
		assert_string_equal(out_, (expect));                                   \
	} while (0)

#define NORM_FAILS(uri, base, root)                                                    \
	do {                                                                           \
		char out_[512];                                                        \
		assert_int_equal(sg_path_normalize((uri), (base), (root), out_, sizeof(out_)), -1); \
	} while (0)

/* "file:///C:/x -> C:/x" */
static void test_file_uri_drive(void **state)
{
	(void)state;
	NORM("file:///C:/x/y.c", NULL, NULL, "C:/x/y.c");
}

/* "a drive letter is upper-cased" (the corpus has file:///d: and file:///C:). */
static void test_file_uri_lower_drive(void **state)
{
	(void)state;
	NORM("file:///d:/a", NULL, NULL, "D:/a");
	NORM("file:///D:/a", NULL, NULL, "D:/a");
}

/* "file://host/x -> //host/x" */
static void test_file_uri_host(void **state)
{
	(void)state;
	NORM("file://host/share/a", NULL, NULL, "//host/share/a");
}

/* RFC 8089 §2: "localhost" is the local machine, as an empty authority. */
static void test_file_uri_localhost(void **state)
{
	(void)state;
	NORM("file://localhost/a/b", NULL, NULL, "/a/b");
}

static void test_file_uri_absolute(void **state)
{
	(void)state;
	NORM("file:///home/u/p/src/a.c", NULL, NULL, "/home/u/p/src/a.c");
}

/* "an absolute path under source_root is made relative to it" */
static void test_source_root_strips(void **state)
{
	(void)state;
	NORM("file:///home/u/p/src/a.c", NULL, "/home/u/p", "src/a.c");
	NORM("/home/u/p/src/a.c", NULL, "/home/u/p", "src/a.c");
	NORM("/home/u/p/a.c", NULL, "/home/u/p", "a.c");
}

/* The root is a directory: it matches at a segment boundary only. */
static void test_source_root_boundary(void **state)
{
	(void)state;
	NORM("file:///home/u/project2/x", NULL, "/home/u/p", "/home/u/project2/x");
	NORM("file:///home/u/project2/x", NULL, "/home/u/project", "/home/u/project2/x");
	NORM("/home/u/px", NULL, "/home/u/p", "/home/u/px");
}

/* A path outside the root stays absolute. */
static void test_source_root_outside(void **state)
{
	(void)state;
	NORM("/usr/include/stdio.h", NULL, "/home/u/p", "/usr/include/stdio.h");
	NORM("src/a.c", NULL, "/home/u/p", "src/a.c");
}

/* "'.' segments and duplicate slashes are removed" */
static void test_dot_and_slashes(void **state)
{
	(void)state;
	NORM("./a//b/./c", NULL, NULL, "a/b/c");
	NORM("a/./././b", NULL, NULL, "a/b");
	NORM("/a//b", NULL, NULL, "/a/b");
}

/* "'..' resolved where it can be" */
static void test_dotdot(void **state)
{
	(void)state;
	NORM("a/../b", NULL, NULL, "b");
	NORM("a/b/c/../../d", NULL, NULL, "a/d");
	NORM("/a/b/../c", NULL, NULL, "/a/c");
}

/* Where it cannot be, a relative ".." stays... */
static void test_dotdot_leading_kept(void **state)
{
	(void)state;
	NORM("../x", NULL, NULL, "../x");
	NORM("../../x/y", NULL, NULL, "../../x/y");
	NORM("a/../../x", NULL, NULL, "../x");
}

/* ... and above the root there is nothing: "/.." is "/". */
static void test_dotdot_above_root(void **state)
{
	(void)state;
	NORM("/../x", NULL, NULL, "/x");
	NORM("/a/../../x", NULL, NULL, "/x");
	NORM("file:///../x", NULL, NULL, "/x");
}

static void test_percent_decoding(void **state)
{
	(void)state;
	NORM("my%20dir/a%20b.c", NULL, NULL, "my dir/a b.c");
	NORM("file:///home/u/my%20dir/a.c", NULL, NULL, "/home/u/my dir/a.c");
	NORM("%41%62c", NULL, NULL, "Abc");
	NORM("caf%C3%A9.c", NULL, NULL, "caf\xc3\xa9.c");
}

/* "-1 when ... the input is malformed (a bad percent escape, a NUL)" */
static void test_bad_escape(void **state)
{
	(void)state;
	NORM_FAILS("a%zzb", NULL, NULL);
	NORM_FAILS("a%2", NULL, NULL);
	NORM_FAILS("a%", NULL, NULL);
	NORM_FAILS("a%g1", NULL, NULL);
}

static void test_escaped_nul(void **state)
{
	(void)state;
	NORM_FAILS("a%00b.c", NULL, NULL);
	NORM_FAILS("file:///x%00", NULL, NULL);
}

/* "backslashes become slashes" */
static void test_backslashes(void **state)
{
	(void)state;
	NORM("src\\a\\b.c", NULL, NULL, "src/a/b.c");
	NORM("c:\\x\\y.c", NULL, NULL, "C:/x/y.c");
	NORM(".\\a\\\\b", NULL, NULL, "a/b");
}

/* "other schemes are kept as written" */
static void test_other_scheme_kept(void **state)
{
	(void)state;
	NORM("http://x/y", NULL, NULL, "http://x/y");
	NORM("https://example.com/a/b.js", NULL, NULL, "https://example.com/a/b.js");
}

/* "a relative reference with a known base (the resolved uriBaseId) is joined to it" */
static void test_relative_with_base(void **state)
{
	(void)state;
	NORM("uri", "file:///src/", NULL, "/src/uri");
	NORM("x/y.c", "file:///src/", NULL, "/src/x/y.c");
	NORM("./x/../y.c", "file:///src/", NULL, "/src/y.c");
	NORM("x.c", "/work/", NULL, "/work/x.c");
	NORM("x.c", "file:///C:/build/", NULL, "C:/build/x.c");
}

/* The base joins before the root is stripped. */
static void test_base_then_root(void **state)
{
	(void)state;
	NORM("src/a.c", "file:///home/u/p/", "/home/u/p", "src/a.c");
}

/* An absolute URI ignores the base (§3.4.4: uriBaseId SHALL be absent then). */
static void test_absolute_ignores_base(void **state)
{
	(void)state;
	NORM("file:///a/b.c", "file:///src/", NULL, "/a/b.c");
}

/* "the result is at most out_size-1 bytes or an error" */
static void test_too_long(void **state)
{
	char out[8];

	(void)state;
	memset(out, 0, sizeof(out));
	assert_int_equal(sg_path_normalize("abcdefgh", NULL, NULL, out, sizeof(out)), -1);
	assert_int_equal(sg_path_normalize("abcdefghijklmnop", NULL, NULL, out, sizeof(out)), -1);
	assert_int_equal(sg_path_normalize("abcdefg", NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "abcdefg");
	/* The base counts too. */
	assert_int_equal(sg_path_normalize("abc", "/longbase/", NULL, out, sizeof(out)), -1);
}

/* Fits only after normalising: the bound is on the result. */
static void test_long_input_short_result(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(sg_path_normalize("./././a/../b", NULL, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "b");
}

static void test_is_contained(void **state)
{
	(void)state;
	assert_true(sg_path_is_contained("a"));
	assert_true(sg_path_is_contained("a/b/c.c"));
	assert_true(sg_path_is_contained("a/..b/c"));
	assert_true(sg_path_is_contained("..a/b"));
	assert_true(sg_path_is_contained("a/b.."));
	assert_false(sg_path_is_contained(".."));
	assert_false(sg_path_is_contained("../a"));
	assert_false(sg_path_is_contained("a/../b"));
	assert_false(sg_path_is_contained("a/.."));
	assert_false(sg_path_is_contained("/a"));
	assert_false(sg_path_is_contained("//host/a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_uri_drive),
		cmocka_unit_test(test_file_uri_lower_drive),
		cmocka_unit_test(test_file_uri_host),
		cmocka_unit_test(test_file_uri_localhost),
		cmocka_unit_test(test_file_uri_absolute),
		cmocka_unit_test(test_source_root_strips),
		cmocka_unit_test(test_source_root_boundary),
		cmocka_unit_test(test_source_root_outside),
		cmocka_unit_test(test_dot_and_slashes),
		cmocka_unit_test(test_dotdot),
		cmocka_unit_test(test_dotdot_leading_kept),
		cmocka_unit_test(test_dotdot_above_root),
		cmocka_unit_test(test_percent_decoding),
		cmocka_unit_test(test_bad_escape),
		cmocka_unit_test(test_escaped_nul),
		cmocka_unit_test(test_backslashes),
		cmocka_unit_test(test_other_scheme_kept),
		cmocka_unit_test(test_relative_with_base),
		cmocka_unit_test(test_base_then_root),
		cmocka_unit_test(test_absolute_ignores_base),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_long_input_short_result),
		cmocka_unit_test(test_is_contained),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
