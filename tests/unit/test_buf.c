/*
 * util/buf: the one buffer type (STYLE.md "Memory and buffers": always
 * NUL-terminated yet binary-safe, a hard maximum, a sticky error; _init,
 * _release, _detach as the only hand-over of ownership).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* "data: NUL-terminated; never NULL after init" */
static void test_init_empty(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 100);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	assert_int_equal(sg_buf_error(&b), 0);
	sg_buf_release(&b);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_appends(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 1000);
	assert_int_equal(sg_buf_adds(&b, "abc"), 0);
	assert_int_equal(sg_buf_addc(&b, '-'), 0);
	assert_int_equal(sg_buf_add(&b, "xyz123", 3), 0);
	assert_int_equal(sg_buf_add(&b, "", 0), 0);
	assert_string_equal(b.data, "abc-xyz");
	assert_int_equal(b.len, 7);
	sg_buf_release(&b);
}

/* Binary-safe: embedded NULs count, and a NUL still ends the bytes. */
static void test_binary_safe(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 100);
	assert_int_equal(sg_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(sg_buf_addc(&b, '\0'), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0", 4);
	assert_int_equal(b.data[4], '\0');
	sg_buf_release(&b);
}

/* Growth across many reallocations keeps every byte. */
static void test_growth(void **state)
{
	struct sg_buf b;
	size_t i;

	(void)state;
	sg_buf_init(&b, 1 << 20);
	for (i = 0; i < 10000; i++)
		assert_int_equal(sg_buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 10000);
	for (i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], (char)('a' + i % 26));
	assert_int_equal(b.data[10000], '\0');
	assert_true(b.cap > b.len);
	sg_buf_release(&b);
}

static void test_printf(void **state)
{
	struct sg_buf b;
	char big[1001];

	(void)state;
	sg_buf_init(&b, 10000);
	assert_int_equal(sg_buf_printf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(sg_buf_printf(&b, ";%05.1f", 3.14159), 0);
	assert_string_equal(b.data, "n=42;003.1");
	assert_int_equal(b.len, 10);
	/* A printf larger than the current capacity. */
	memset(big, 'x', 1000);
	big[1000] = '\0';
	assert_int_equal(sg_buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 1012);
	assert_int_equal(b.data[10], '[');
	assert_int_equal(b.data[1011], ']');
	assert_int_equal(b.data[1012], '\0');
	sg_buf_printf(&b, "%s", ""); /* an empty printf is fine */
	assert_int_equal(sg_buf_error(&b), 0);
	assert_int_equal(b.len, 1012);
	sg_buf_release(&b);
}

/* The hard maximum: exactly max fits. */
static void test_max_exact(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 5);
	assert_int_equal(sg_buf_adds(&b, "abcde"), 0);
	assert_string_equal(b.data, "abcde");
	assert_int_equal(sg_buf_error(&b), 0);
	sg_buf_release(&b);
}

/* One byte over max: SG_EINPUT, and the error sticks. */
static void test_max_sticky(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 5);
	assert_int_equal(sg_buf_adds(&b, "abc"), 0);
	assert_int_equal(sg_buf_adds(&b, "def"), SG_EINPUT);
	assert_int_equal(sg_buf_error(&b), SG_EINPUT);
	/* Nothing of the failed append was kept. */
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	/* Sticky: even an append that would fit fails now. */
	assert_int_equal(sg_buf_addc(&b, 'x'), SG_EINPUT);
	assert_int_equal(sg_buf_printf(&b, "%d", 1), SG_EINPUT);
	assert_int_equal(sg_buf_add(&b, "", 0), SG_EINPUT);
	assert_int_equal(b.len, 3);
	assert_int_equal(sg_buf_error(&b), SG_EINPUT);
	sg_buf_release(&b);
}

static void test_printf_over_max(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 8);
	assert_int_equal(sg_buf_printf(&b, "%s", "123456789"), SG_EINPUT);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	sg_buf_release(&b);
}

/* A huge length cannot wrap around the maximum check. */
static void test_add_huge_length(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 100);
	assert_int_equal(sg_buf_adds(&b, "ab"), 0);
	assert_int_equal(sg_buf_add(&b, "x", SIZE_MAX), SG_EINPUT);
	assert_int_equal(sg_buf_add(&b, "x", SIZE_MAX - 1), SG_EINPUT);
	assert_int_equal(b.len, 2);
	sg_buf_release(&b);
}

/* "reset: len = 0, keeps memory, clears error" */
static void test_reset(void **state)
{
	struct sg_buf b;
	char *before;

	(void)state;
	sg_buf_init(&b, 5);
	assert_int_equal(sg_buf_adds(&b, "abc"), 0);
	before = b.data;
	assert_int_equal(sg_buf_adds(&b, "defgh"), SG_EINPUT);
	sg_buf_reset(&b);
	assert_int_equal(sg_buf_error(&b), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, before);
	assert_int_equal(sg_buf_adds(&b, "xy"), 0);
	assert_string_equal(b.data, "xy");
	sg_buf_release(&b);
}

/* "sg_buf_release() (frees and resets for reuse)" */
static void test_release_reuse(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 5);
	assert_int_equal(sg_buf_adds(&b, "abcdef"), SG_EINPUT);
	sg_buf_release(&b);
	assert_int_equal(sg_buf_error(&b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 5);
	assert_int_equal(sg_buf_adds(&b, "abcde"), 0);
	assert_string_equal(b.data, "abcde");
	sg_buf_release(&b);
	sg_buf_release(&b); /* twice is harmless */
}

static void test_truncate(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 100);
	assert_int_equal(sg_buf_adds(&b, "abcdef"), 0);
	sg_buf_truncate(&b, 2);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "ab");
	/* Longer than the contents: no change. */
	sg_buf_truncate(&b, 50);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "ab");
	sg_buf_truncate(&b, 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(sg_buf_adds(&b, "z"), 0);
	assert_string_equal(b.data, "z");
	sg_buf_release(&b);
	/* On a fresh buffer. */
	sg_buf_init(&b, 100);
	sg_buf_truncate(&b, 0);
	assert_string_equal(b.data, "");
	sg_buf_release(&b);
}

/* "sg_buf_detach() (hands the bytes to the caller)": caller frees; b is reset. */
static void test_detach(void **state)
{
	struct sg_buf b;
	size_t len = 0;
	char *s;

	(void)state;
	sg_buf_init(&b, 100);
	assert_int_equal(sg_buf_add(&b, "hi\0there", 8), 0);
	s = sg_buf_detach(&b, &len);
	assert_non_null(s);
	assert_int_equal(len, 8);
	assert_memory_equal(s, "hi\0there", 9);
	assert_int_equal(b.len, 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.max, 100);
	/* b is usable again, independent of s. */
	assert_int_equal(sg_buf_adds(&b, "new"), 0);
	assert_memory_equal(s, "hi", 2);
	sg_free(s);
	sg_buf_release(&b);
}

/* Detaching an empty buffer still gives an owned, freeable "". */
static void test_detach_empty(void **state)
{
	struct sg_buf b;
	size_t len = 99;
	char *s;

	(void)state;
	sg_buf_init(&b, 100);
	s = sg_buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	sg_free(s);
	s = sg_buf_detach(&b, NULL); /* len is optional */
	assert_non_null(s);
	sg_free(s);
	sg_buf_release(&b);
}

/* "NULL on error", and nothing leaks. */
static void test_detach_after_error(void **state)
{
	struct sg_buf b;
	size_t len = 99;

	(void)state;
	sg_buf_init(&b, 3);
	assert_int_equal(sg_buf_adds(&b, "ab"), 0);
	assert_int_equal(sg_buf_adds(&b, "cd"), SG_EINPUT);
	assert_null(sg_buf_detach(&b, &len));
	/* The buffer is released: a fresh start. */
	assert_int_equal(b.len, 0);
	assert_int_equal(sg_buf_error(&b), 0);
	sg_buf_release(&b);
}

/* An allocation failure is SG_ENOMEM, sticky until reset. */
static void test_alloc_failure_sticky(void **state)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 1 << 20);
	sg_alloc_fail_after(1);
	assert_int_equal(sg_buf_adds(&b, "abc"), SG_ENOMEM);
	sg_alloc_fail_after(0);
	assert_int_equal(sg_buf_error(&b), SG_ENOMEM);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(sg_buf_adds(&b, "abc"), SG_ENOMEM);
	sg_buf_reset(&b);
	assert_int_equal(sg_buf_adds(&b, "abc"), 0);
	assert_string_equal(b.data, "abc");
	sg_buf_release(&b);
}

/* A failed grow keeps what was there. */
static void test_alloc_failure_keeps_contents(void **state)
{
	struct sg_buf b;
	char big[300];

	(void)state;
	memset(big, 'q', sizeof(big));
	sg_buf_init(&b, 1 << 20);
	assert_int_equal(sg_buf_adds(&b, "keep"), 0);
	sg_alloc_fail_after(1);
	assert_int_equal(sg_buf_add(&b, big, sizeof(big)), SG_ENOMEM);
	sg_alloc_fail_after(0);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");
	assert_null(sg_buf_detach(&b, NULL));
	sg_buf_release(&b);
}

/* The torture loop: fail allocation n for n = 1.., never crash or leak. */
static void test_alloc_torture(void **state)
{
	unsigned long n;
	int completed = 0;

	(void)state;
	for (n = 1; n <= 20; n++) {
		struct sg_buf b;
		char *s;
		int i, rc = 0;

		sg_buf_init(&b, 1 << 20);
		sg_alloc_fail_after(n);
		for (i = 0; i < 200 && rc == 0; i++)
			rc = sg_buf_printf(&b, "line %d of the torture text\n", i);
		s = sg_buf_detach(&b, NULL);
		sg_alloc_fail_after(0);
		if (rc == 0) {
			assert_non_null(s);
			completed++;
		} else {
			assert_int_equal(rc, SG_ENOMEM);
			assert_null(s);
		}
		sg_free(s);
		sg_buf_release(&b);
	}
	assert_true(completed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_binary_safe),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_max_exact),
		cmocka_unit_test(test_max_sticky),
		cmocka_unit_test(test_printf_over_max),
		cmocka_unit_test(test_add_huge_length),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_release_reuse),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_detach_empty),
		cmocka_unit_test(test_detach_after_error),
		cmocka_unit_test(test_alloc_failure_sticky),
		cmocka_unit_test(test_alloc_failure_keeps_contents),
		cmocka_unit_test(test_alloc_torture),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
