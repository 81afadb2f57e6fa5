/*
 * util/json_writer: "escaping strings and placing commas itself. Errors are
 * sticky: check sg_jw_finish() once at the end." Every output is read back
 * with util/json_reader, so "valid JSON" is checked by a real parser.
 * Clause: every gate --format json report and `findings --format json`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/json_reader.h"
#include "util/json_writer.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* Buffers of each test, released by the teardown even when the test fails. */
static struct sg_buf fx[4];

static int fx_setup(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		sg_buf_init(&fx[i], 4096);
	return 0;
}

static int fx_teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		sg_buf_release(&fx[i]);
	return 0;
}

/* ---- read the output back ---- */

struct mem {
	const char *data;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	if (n > len)
		n = len;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

/* Collects every string value (decoded), one after the other, separated by '|'. */
struct strings {
	struct sg_buf text;
	int events;
};

static int collect(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct strings *s = ctx;

	(void)r;
	s->events++;
	if (ev->type == SG_JSON_STRING) {
		sg_buf_add(&s->text, ev->text, ev->len);
		sg_buf_addc(&s->text, '|');
	}
	return 0;
}

/* Parse `json`; returns the number of events, or -1 if it is not JSON. */
static int read_back(const char *json, size_t len, struct sg_buf *strings_out)
{
	struct mem m = {json, len, 0};
	struct sg_json_source src = {mem_read, &m};
	struct strings s;
	struct sg_error err;
	int rc;

	sg_buf_init(&s.text, 1 << 20);
	s.events = 0;
	sg_error_clear(&err);
	rc = sg_json_parse(&src, "output", collect, &s, &err);
	if (strings_out) {
		sg_buf_reset(strings_out);
		sg_buf_add(strings_out, s.text.data, s.text.len);
	}
	sg_buf_release(&s.text);
	return rc == 0 ? s.events : -1;
}

/* ---- compact output ---- */

static void test_compact_nested(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_int(&w, "a", 1);
	sg_jw_key(&w, "b");
	sg_jw_array_begin(&w);
	sg_jw_int(&w, 1);
	sg_jw_int(&w, -2);
	sg_jw_object_begin(&w);
	sg_jw_object_end(&w);
	sg_jw_array_begin(&w);
	sg_jw_array_end(&w);
	sg_jw_bool(&w, 1);
	sg_jw_bool(&w, 0);
	sg_jw_null(&w);
	sg_jw_array_end(&w);
	sg_jw_kv_string(&w, "c", "x");
	sg_jw_key(&w, "d");
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "e", NULL);
	sg_jw_object_end(&w);
	sg_jw_object_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data,
			    "{\"a\":1,\"b\":[1,-2,{},[],true,false,null],\"c\":\"x\",\"d\":{\"e\":null}}");
	assert_int_equal(read_back(fx[0].data, fx[0].len, NULL), 18);
}

/* Compact output has no newline at all, not even at the end. */
static void test_compact_no_newline(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_int(&w, 1);
	sg_jw_array_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data, "[1]");
}

static void test_scalars(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_int(&w, LLONG_MIN);
	sg_jw_int(&w, LLONG_MAX);
	sg_jw_int(&w, 0);
	sg_jw_double(&w, 1.5);
	sg_jw_double(&w, -0.25);
	sg_jw_array_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data,
			    "[-9223372036854775808,9223372036854775807,0,1.5,-0.25]");
}

/* A double round-trips exactly. */
static void test_double_round_trip(void **state)
{
	struct sg_jw w;
	double v = 0.1 + 0.2, back;
	char *end;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_double(&w, v);
	assert_int_equal(sg_jw_finish(&w), 0);
	back = strtod(fx[0].data, &end);
	assert_true(*end == '\0');
	assert_true(back == v);
}

/* JSON has no NaN or infinity: whatever is written must still be JSON. */
static void test_double_not_finite(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_double(&w, NAN);
	sg_jw_double(&w, INFINITY);
	sg_jw_array_end(&w);
	if (sg_jw_finish(&w) == 0)
		assert_int_equal(read_back(fx[0].data, fx[0].len, NULL), 4);
}

/* ---- escaping ---- */

static void test_escape_quote_backslash(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_string(&w, "say \"hi\" \\ bye");
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data, "\"say \\\"hi\\\" \\\\ bye\"");
}

static void test_escape_control(void **state)
{
	struct sg_jw w;
	const char *in = "a\x01" "b\x1f" "c\n\t\r\b\f";
	size_t i;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_buf_init(&fx[1], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_string(&w, in);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_non_null(strstr(fx[0].data, "a\\u0001b"));
	/* No raw control byte reaches the output. */
	for (i = 0; i < fx[0].len; i++)
		assert_true((unsigned char)fx[0].data[i] >= 0x20);
	/* And the reader gives back the same bytes. */
	assert_int_equal(read_back(fx[0].data, fx[0].len, &fx[1]), 1);
	assert_int_equal(fx[1].len, strlen(in) + 1);
	assert_memory_equal(fx[1].data, in, strlen(in));
}

/* sg_jw_string_n is binary-safe: an embedded NUL is written as \u0000. */
static void test_string_n_nul(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_string_n(&w, "a\0b", 3);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data, "\"a\\u0000b\"");
}

/* Keys are escaped like strings. */
static void test_escape_keys(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_buf_init(&fx[1], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "k\"\\\n", "v");
	sg_jw_object_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data, "{\"k\\\"\\\\\\n\":\"v\"}");
	assert_int_equal(read_back(fx[0].data, fx[0].len, &fx[1]), 3);
}

/* UTF-8 text passes through and reads back unchanged. */
static void test_utf8_round_trip(void **state)
{
	struct sg_jw w;
	const char *in = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_buf_init(&fx[1], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_string(&w, in);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_int_equal(read_back(fx[0].data, fx[0].len, &fx[1]), 1);
	assert_memory_equal(fx[1].data, in, strlen(in));
}

/*
 * Bytes that are not UTF-8 (a message cut mid-character, a binary file name)
 * must not make the output invalid JSON: the writer replaces them or fails.
 */
static void test_invalid_utf8_stays_json(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_string(&w, "bad \xff byte");
	sg_jw_string(&w, "cut \xe2\x82");
	sg_jw_array_end(&w);
	if (sg_jw_finish(&w) == 0 && read_back(fx[0].data, fx[0].len, NULL) < 0)
		fail_msg("the writer produced invalid JSON: %s", fx[0].data);
}

/* ---- pretty output ---- */

static void write_sample(struct sg_jw *w)
{
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "id", "x");
	sg_jw_key(w, "list");
	sg_jw_array_begin(w);
	sg_jw_int(w, 1);
	sg_jw_int(w, 2);
	sg_jw_array_end(w);
	sg_jw_key(w, "empty");
	sg_jw_object_begin(w);
	sg_jw_object_end(w);
	sg_jw_object_end(w);
}

static void test_pretty(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 1);
	write_sample(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[0].data, "{\n"
				    "  \"id\": \"x\",\n"
				    "  \"list\": [\n"
				    "    1,\n"
				    "    2\n"
				    "  ],\n"
				    "  \"empty\": {}\n"
				    "}\n");
}

/* Pretty and compact are the same document. */
static void test_pretty_equals_compact(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_buf_init(&fx[1], 4096);
	sg_buf_init(&fx[2], 4096);
	sg_buf_init(&fx[3], 4096);
	sg_jw_init_buf(&w, &fx[0], 1);
	write_sample(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	sg_jw_init_buf(&w, &fx[1], 0);
	write_sample(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_string_equal(fx[1].data, "{\"id\":\"x\",\"list\":[1,2],\"empty\":{}}");
	assert_int_equal(read_back(fx[0].data, fx[0].len, &fx[2]), read_back(fx[1].data, fx[1].len, &fx[3]));
	assert_string_equal(fx[2].data, fx[3].data);
}

/* ---- to a FILE ---- */

static void test_to_file(void **state)
{
	char *data = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&data, &size);
	struct sg_jw w;

	(void)state;
	assert_non_null(f);
	sg_jw_init_file(&w, f, 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_int(&w, "id", 7);
	sg_jw_object_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	fclose(f);
	assert_string_equal(data, "{\"id\":7}");
	free(data);
}

/* A FILE that cannot be written: the error shows at finish. */
static void test_file_write_error(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	struct sg_jw w;
	int i;

	(void)state;
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	sg_jw_init_file(&w, f, 0);
	sg_jw_array_begin(&w);
	for (i = 0; i < 100; i++)
		sg_jw_string(&w, "some text");
	sg_jw_array_end(&w);
	assert_int_not_equal(sg_jw_finish(&w), 0);
	fclose(f);
}

/* ---- errors ---- */

static void test_unbalanced_open(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_int(&w, "a", 1);
	assert_int_not_equal(sg_jw_finish(&w), 0);
}

static void test_unbalanced_close(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_array_end(&w);
	sg_jw_array_end(&w);
	assert_int_not_equal(sg_jw_finish(&w), 0);
}

/* Closing an object with "]" (or an array with "}") is unbalanced too. */
static void test_mismatched_close(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_object_begin(&w);
	sg_jw_array_end(&w);
	if (sg_jw_finish(&w) == 0)
		fail_msg("mismatched close accepted: %s", fx[0].data);
	sg_jw_init_buf(&w, &fx[1], 0);
	sg_jw_array_begin(&w);
	sg_jw_object_end(&w);
	if (sg_jw_finish(&w) == 0)
		fail_msg("mismatched close accepted: %s", fx[1].data);
}

/* "Errors are sticky": after the first error nothing more is written. */
static void test_error_sticky(void **state)
{
	struct sg_jw w;
	size_t len;
	int rc;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_end(&w);
	len = fx[0].len;
	sg_jw_array_begin(&w);
	sg_jw_int(&w, 1);
	sg_jw_array_end(&w);
	assert_int_equal(fx[0].len, len);
	rc = sg_jw_finish(&w);
	assert_int_not_equal(rc, 0);
	assert_int_equal(sg_jw_finish(&w), rc);
}

/* Deeper than SG_JW_MAX_DEPTH: an error, not an overflow of need_comma[]. */
static void test_too_deep(void **state)
{
	struct sg_jw w;
	int i;

	(void)state;
	sg_buf_init(&fx[0], 1 << 16);
	sg_jw_init_buf(&w, &fx[0], 0);
	for (i = 0; i < SG_JW_MAX_DEPTH + 10; i++)
		sg_jw_array_begin(&w);
	for (i = 0; i < SG_JW_MAX_DEPTH + 10; i++)
		sg_jw_array_end(&w);
	assert_int_not_equal(sg_jw_finish(&w), 0);
}

/* Exactly SG_JW_MAX_DEPTH levels are fine. */
static void test_max_depth_ok(void **state)
{
	struct sg_jw w;
	int i;

	(void)state;
	sg_buf_init(&fx[0], 1 << 16);
	sg_jw_init_buf(&w, &fx[0], 0);
	for (i = 0; i < SG_JW_MAX_DEPTH; i++)
		sg_jw_array_begin(&w);
	for (i = 0; i < SG_JW_MAX_DEPTH; i++)
		sg_jw_array_end(&w);
	assert_int_equal(sg_jw_finish(&w), 0);
	assert_int_equal(fx[0].len, 2 * SG_JW_MAX_DEPTH);
}

/* The buffer's maximum reached: finish reports the buffer's error. */
static void test_buffer_full(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 10);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_jw_array_begin(&w);
	sg_jw_string(&w, "this does not fit");
	sg_jw_array_end(&w);
	assert_int_equal(sg_jw_finish(&w), SG_EINPUT);
}

static void test_buffer_alloc_failure(void **state)
{
	struct sg_jw w;

	(void)state;
	sg_buf_init(&fx[0], 4096);
	sg_jw_init_buf(&w, &fx[0], 0);
	sg_alloc_fail_after(1);
	sg_jw_array_begin(&w);
	sg_jw_int(&w, 1);
	sg_jw_array_end(&w);
	sg_alloc_fail_after(0);
	assert_int_equal(sg_jw_finish(&w), SG_ENOMEM);
}

/*
 * Misuse that would write invalid JSON: a key outside an object, a value in
 * an object without a key, a second top-level value. The writer "places
 * commas itself"; it should not emit a document no parser accepts.
 */
static void test_misuse_is_error(void **state)
{
	static const char *const names[] = {"key in an array", "value without a key",
					    "two top-level values"};
	struct sg_jw w;
	char failures[1024] = "";
	size_t used = 0;
	int variant;

	(void)state;
	for (variant = 0; variant < 3; variant++) {
		sg_buf_reset(&fx[variant]);
		sg_jw_init_buf(&w, &fx[variant], 0);
		switch (variant) {
		case 0:
			sg_jw_array_begin(&w);
			sg_jw_key(&w, "k");
			sg_jw_int(&w, 1);
			sg_jw_array_end(&w);
			break;
		case 1:
			sg_jw_object_begin(&w);
			sg_jw_int(&w, 1);
			sg_jw_object_end(&w);
			break;
		default:
			sg_jw_int(&w, 1);
			sg_jw_int(&w, 2);
			break;
		}
		/* Two top-level values have no JSON form at all ("12" would read as one number). */
		if (sg_jw_finish(&w) == 0 &&
		    (variant == 2 || read_back(fx[variant].data, fx[variant].len, NULL) < 0)) {
			int n = snprintf(failures + used, sizeof(failures) - used, "[%s: %s] ", names[variant],
					 fx[variant].data);
			if (n > 0 && (size_t)n < sizeof(failures) - used)
				used += (size_t)n;
		}
	}
	if (used)
		fail_msg("no error, and the output is not the JSON written: %s", failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compact_nested, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_compact_no_newline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_scalars, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_double_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_double_not_finite, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_escape_quote_backslash, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_escape_control, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_string_n_nul, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_escape_keys, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_utf8_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_stays_json, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pretty, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pretty_equals_compact, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_to_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_file_write_error, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unbalanced_open, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unbalanced_close, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mismatched_close, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_error_sticky, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_too_deep, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_max_depth_ok, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_full, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_buffer_alloc_failure, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_misuse_is_error, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
