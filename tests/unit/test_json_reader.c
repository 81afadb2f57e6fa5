/*
 * util/json_reader: the streaming reader under every JSON parser.
 * STYLE.md "Untrusted input": hostile documents (truncated, oversized, deeply
 * nested, NUL bytes, bad UTF-8) are rejected with a diagnostic id and a
 * position; allocation failures are survived (the torture loop).
 * Clause: sast (every SARIF byte passes through here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/json_reader.h"
#include "util/limits.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* ---- a source reading from memory, chunk bytes at a time ---- */

struct mem {
	const char *data;
	size_t len, pos, chunk;
	int fail_at_end; /* return -1 instead of 0 at the end */
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	if (n == 0)
		return m->fail_at_end ? -1 : 0;
	if (n > len)
		n = len;
	if (m->chunk && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static int record_nothing(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	(void)ctx;
	(void)r;
	(void)ev;
	return 0;
}

/* ---- a handler recording each event ---- */

#define MAX_EVENTS 64

struct rec_event {
	enum sg_json_type type;
	char text[64];
	int has_text;
	char pointer[128];
	int depth;
};

struct rec {
	int n;
	struct rec_event ev[MAX_EVENTS];
	int fail_at;        /* event number (1-based) at which to fail; 0: never */
	int events_after_fail;
	int failed;
};

static int record(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct rec *rc = ctx;
	struct rec_event *e;

	if (rc->failed)
		rc->events_after_fail++;
	if (rc->n < MAX_EVENTS) {
		e = &rc->ev[rc->n];
		e->type = ev->type;
		e->has_text = ev->text != NULL;
		if (ev->text)
			snprintf(e->text, sizeof(e->text), "%s", ev->text);
		sg_json_pointer(r, e->pointer, sizeof(e->pointer));
		e->depth = sg_json_depth(r);
	}
	rc->n++;
	if (rc->fail_at && rc->n == rc->fail_at) {
		rc->failed = 1;
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "stop here");
	}
	return 0;
}

static int parse_mem(const char *data, size_t len, size_t chunk, struct rec *rc,
		     struct sg_error *err)
{
	struct mem m = {data, len, 0, chunk, 0};
	struct sg_json_source src = {mem_read, &m};

	sg_error_clear(err);
	return sg_json_parse(&src, "mem.json", record, rc, err);
}

static int parse_str(const char *text, struct rec *rc, struct sg_error *err)
{
	return parse_mem(text, strlen(text), 0, rc, err);
}

/* Expect an error with this diagnostic; macro so failures name the case. */
#define assert_parse_error(text, diag_)                                                      \
	do {                                                                                 \
		struct rec rc_;                                                              \
		struct sg_error err_;                                                        \
		memset(&rc_, 0, sizeof(rc_));                                                \
		assert_int_equal(parse_str((text), &rc_, &err_), sg_diag_code(diag_));       \
		if (err_.diag != (diag_))                                                    \
			fail_msg("diag %s, expected %s (%s)", sg_diag_id(err_.diag),         \
				 sg_diag_id(diag_), err_.message);                           \
		assert_string_equal(err_.where, "mem.json");                                 \
	} while (0)

/* ---- the event stream ---- */

#define SMALL_DOC "{\"a\":[1,\"x\",{\"b\":null}],\"c\":true,\"d\":false}"

static const struct {
	enum sg_json_type type;
	const char *text;
	const char *pointer;
	int depth;
} small_expected[] = {
	{SG_JSON_OBJECT_START, NULL, "", 0},
	{SG_JSON_ARRAY_START, NULL, "/a", 1},
	{SG_JSON_NUMBER, "1", "/a/0", 2},
	{SG_JSON_STRING, "x", "/a/1", 2},
	{SG_JSON_OBJECT_START, NULL, "/a/2", 2},
	{SG_JSON_NULL, NULL, "/a/2/b", 3},
	{SG_JSON_OBJECT_END, NULL, "/a/2", 2},
	{SG_JSON_ARRAY_END, NULL, "/a", 1},
	{SG_JSON_TRUE, NULL, "/c", 1},
	{SG_JSON_FALSE, NULL, "/d", 1},
	{SG_JSON_OBJECT_END, NULL, "", 0},
};

static void check_small(const char *data, size_t len, size_t chunk)
{
	struct rec rc;
	struct sg_error err;
	size_t i, n = sizeof(small_expected) / sizeof(small_expected[0]);

	memset(&rc, 0, sizeof(rc));
	if (parse_mem(data, len, chunk, &rc, &err) != 0)
		fail_msg("chunk %zu: %s", chunk, err.message);
	assert_int_equal(rc.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(rc.ev[i].type, small_expected[i].type);
		assert_int_equal(rc.ev[i].has_text, small_expected[i].text != NULL);
		if (small_expected[i].text)
			assert_string_equal(rc.ev[i].text, small_expected[i].text);
		assert_string_equal(rc.ev[i].pointer, small_expected[i].pointer);
		assert_int_equal(rc.ev[i].depth, small_expected[i].depth);
	}
}

/* "for OBJECT_START/ARRAY_START and their END events it is the path of the container itself" */
static void test_events_and_pointers(void **state)
{
	static const size_t chunks[] = {0, 1, 2, 3, 5, 7};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
		check_small(SMALL_DOC, strlen(SMALL_DOC), chunks[i]);
}

/* Pretty-printed: white space everywhere changes nothing. */
static void test_events_with_whitespace(void **state)
{
	const char *doc = "\n { \"a\" : [ 1 , \"x\" , { \"b\" : null } ] ,\r\n\t\"c\":true , \"d\" : false }\n";

	(void)state;
	check_small(doc, strlen(doc), 0);
	check_small(doc, strlen(doc), 1);
}

/* "A leading UTF-8 byte order mark is skipped" (FORMATS.md §9), even read byte by byte. */
static void test_bom_skipped(void **state)
{
	const char *doc = "\xEF\xBB\xBF" SMALL_DOC;

	(void)state;
	check_small(doc, strlen(doc), 0);
	check_small(doc, strlen(doc), 1);
	check_small(doc, strlen(doc), 2);
}

/* A BOM is only skipped at the start; elsewhere it is not JSON. */
static void test_bom_twice_or_inside(void **state)
{
	(void)state;
	assert_parse_error("\xEF\xBB\xBF\xEF\xBB\xBF{}", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("{}\xEF\xBB\xBF", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("\xEF\xBB\xBF", SG_DIAG_JSON_TRUNCATED);
}

/* Accessors seen from inside the handler. */
struct access {
	int checked;
};

static int check_access(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct access *a = ctx;

	if (ev->type == SG_JSON_NULL) { /* /a/2/b */
		assert_int_equal(sg_json_depth(r), 3);
		assert_string_equal(sg_json_key(r, 0), "a");
		assert_int_equal(sg_json_index(r, 0), -1);
		assert_null(sg_json_key(r, 1));
		assert_int_equal(sg_json_index(r, 1), 2);
		assert_string_equal(sg_json_key(r, 2), "b");
		/* Out of range levels. */
		assert_null(sg_json_key(r, 3));
		assert_null(sg_json_key(r, -1));
		assert_int_equal(sg_json_index(r, 3), -1);
		a->checked++;
	}
	if (ev->type == SG_JSON_OBJECT_START && sg_json_depth(r) == 0) {
		assert_null(sg_json_key(r, 0));
		assert_int_equal(sg_json_index(r, 0), -1);
		a->checked++;
	}
	return 0;
}

static void test_accessors(void **state)
{
	struct mem m = {SMALL_DOC, strlen(SMALL_DOC), 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct access a = {0};
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", check_access, &a, &err), 0);
	assert_int_equal(a.checked, 2);
}

/* ---- sg_json_match ---- */

struct matches {
	int a_elements;   /* {"a","#"} */
	int a2_b;         /* {"a","#","b"} */
	int top_members;  /* {"*"} */
	int top;          /* {} */
	int wrong_kind;   /* {"a","*"}: "*" never matches an array index */
	int hash_on_obj;  /* {"#"}: "#" never matches a key */
	int under_a;      /* prefix {"a"} */
	int exact_key;    /* {"c"} */
};

static int count_matches(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const p_a_el[] = {"a", "#", NULL};
	static const char *const p_a2_b[] = {"a", "#", "b", NULL};
	static const char *const p_star[] = {"*", NULL};
	static const char *const p_top[] = {NULL};
	static const char *const p_wrong[] = {"a", "*", NULL};
	static const char *const p_hash[] = {"#", NULL};
	static const char *const p_a[] = {"a", NULL};
	static const char *const p_c[] = {"c", NULL};
	struct matches *m = ctx;

	/* Count value starts only (an END event repeats its START's path). */
	if (ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END)
		return 0;
	m->a_elements += sg_json_match(r, p_a_el);
	m->a2_b += sg_json_match(r, p_a2_b);
	m->top_members += sg_json_match(r, p_star);
	m->top += sg_json_match(r, p_top);
	m->wrong_kind += sg_json_match(r, p_wrong);
	m->hash_on_obj += sg_json_match(r, p_hash);
	m->under_a += sg_json_match_prefix(r, p_a);
	m->exact_key += sg_json_match(r, p_c);
	return 0;
}

static void test_match(void **state)
{
	struct mem m = {SMALL_DOC, strlen(SMALL_DOC), 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct matches c;
	struct sg_error err;

	(void)state;
	memset(&c, 0, sizeof(c));
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", count_matches, &c, &err), 0);
	assert_int_equal(c.a_elements, 3);  /* 1, "x", {...} */
	assert_int_equal(c.a2_b, 1);
	assert_int_equal(c.top_members, 3); /* a, c, d */
	assert_int_equal(c.top, 1);         /* the root object */
	assert_int_equal(c.wrong_kind, 0);
	assert_int_equal(c.hash_on_obj, 0);
	assert_int_equal(c.under_a, 5);     /* [ 1 "x" { null */
	assert_int_equal(c.exact_key, 1);
}

/* RFC 6901: '~' -> "~0", '/' -> "~1"; match uses the raw key. */
struct escaped {
	int matched;
	char pointer[128];
};

static int check_escaped(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const pat[] = {"a/b", "m~n", NULL};
	struct escaped *e = ctx;

	if (ev->type == SG_JSON_NUMBER) {
		e->matched = sg_json_match(r, pat);
		sg_json_pointer(r, e->pointer, sizeof(e->pointer));
	}
	return 0;
}

static void test_pointer_escaping(void **state)
{
	const char *doc = "{\"a/b\":{\"m~n\":1}}";
	struct mem m = {doc, strlen(doc), 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct escaped e;
	struct sg_error err;

	(void)state;
	memset(&e, 0, sizeof(e));
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", check_escaped, &e, &err), 0);
	assert_int_equal(e.matched, 1);
	assert_string_equal(e.pointer, "/a~1b/m~0n");
}

/* "numbers as their literal text": no conversion, no overflow (FORMATS.md §9). */
static void test_number_text(void **state)
{
	const char *doc = "[-1.5e3,0,123456789012345678901234567890,1E+2]";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(doc, &rc, &err), 0);
	assert_int_equal(rc.n, 6);
	assert_string_equal(rc.ev[1].text, "-1.5e3");
	assert_string_equal(rc.ev[2].text, "0");
	assert_string_equal(rc.ev[3].text, "123456789012345678901234567890");
	assert_string_equal(rc.ev[4].text, "1E+2");
}

/* "strings decoded and NUL-terminated" */
static void test_string_decoding(void **state)
{
	const char *doc = "[\"a\\\"b\\\\c\\/d\\n\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"\xc3\xa9\"]";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(doc, &rc, &err), 0);
	assert_int_equal(rc.n, 6);
	assert_string_equal(rc.ev[1].text, "a\"b\\c/d\n");
	assert_string_equal(rc.ev[2].text, "caf\xc3\xa9");
	assert_string_equal(rc.ev[3].text, "\xf0\x9f\x98\x80");
	assert_string_equal(rc.ev[4].text, "\xc3\xa9");
}

/* The event's len is the decoded length. */
static int check_len(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	size_t *len = ctx;

	(void)r;
	if (ev->type == SG_JSON_STRING) {
		*len = ev->len;
		assert_int_equal(strlen(ev->text), ev->len);
	}
	return 0;
}

static void test_string_len(void **state)
{
	const char *doc = "\"a\\u00e9\\n\"";
	struct mem m = {doc, strlen(doc), 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;
	size_t len = 0;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", check_len, &len, &err), 0);
	assert_int_equal(len, 4);
}

/* A scalar is a whole document too. */
static void test_scalar_documents(void **state)
{
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(" 42 ", &rc, &err), 0);
	assert_int_equal(rc.n, 1);
	assert_int_equal(rc.ev[0].type, SG_JSON_NUMBER);
	assert_int_equal(rc.ev[0].depth, 0);
	assert_string_equal(rc.ev[0].pointer, "");
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str("null", &rc, &err), 0);
	assert_int_equal(rc.n, 1);
	assert_int_equal(rc.ev[0].type, SG_JSON_NULL);
}

/* ---- errors ---- */

/* "A parse context carries line, column, offset and path, so every error says where." */
static void test_syntax_error_position(void **state)
{
	const char *doc = "{\n  \"a\": 1,\n  \"b\" 2\n}\n";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(doc, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_SYNTAX);
	assert_string_equal(err.where, "mem.json");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 7); /* the 2 where ':' belongs */
	assert_int_equal(err.offset, 18);
}

static void test_syntax_error_bad_char(void **state)
{
	const char *doc = "{\n\"a\":1,\n@}";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(doc, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_SYNTAX);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 1);
	assert_int_equal(err.offset, 9);
}

/* The position holds when the document arrives one byte per read. */
static void test_syntax_error_position_bytewise(void **state)
{
	const char *doc = "{\n  \"a\": 1,\n  \"b\" 2\n}\n";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_mem(doc, strlen(doc), 1, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_SYNTAX);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 7);
}

/* A syntax error past the first read chunk: line counting carries over. */
static void test_syntax_error_second_chunk(void **state)
{
	size_t pad = SG_JSON_READ_CHUNK + 100, len = pad + 16, i;
	char *doc = malloc(len + 1);
	struct rec rc;
	struct sg_error err;

	(void)state;
	assert_non_null(doc);
	doc[0] = '[';
	for (i = 1; i < pad; i++)
		doc[i] = (i % 50 == 0) ? '\n' : ' ';
	memcpy(doc + pad, "1,\n  x]", 8);
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_mem(doc, strlen(doc), 0, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_SYNTAX);
	/* lines: 1 + one per '\n' in the padding + the one after "1," */
	assert_int_equal(err.line, 1 + (long)((pad - 1) / 50) + 1);
	assert_int_equal(err.column, 3);
	assert_int_equal(err.offset, (long long)pad + 5);
	free(doc);
}

static void test_truncated(void **state)
{
	(void)state;
	assert_parse_error("{\"a\":[1,2", SG_DIAG_JSON_TRUNCATED);
	assert_parse_error("{\"a\":\"ab", SG_DIAG_JSON_TRUNCATED);
	assert_parse_error("{\"a\"", SG_DIAG_JSON_TRUNCATED);
	assert_parse_error("[", SG_DIAG_JSON_TRUNCATED);
	assert_parse_error("tru", SG_DIAG_JSON_TRUNCATED);
}

static void test_truncated_position(void **state)
{
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str("{\"a\":\n[1,2", &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_JSON_TRUNCATED);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.offset, 10);
}

static void test_empty_input(void **state)
{
	(void)state;
	assert_parse_error("", SG_DIAG_JSON_TRUNCATED);
	assert_parse_error("  \n\t ", SG_DIAG_JSON_TRUNCATED);
}

/* "Reject NUL bytes early." */
static void test_nul_byte(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		long long offset;
	} cases[] = {
		{"{\"a\":\"x\0y\"}", 11, 7},
		{"{}\0", 3, 2},
		{"\0{}", 3, 0},
		{"[1,\0 2]", 7, 3},
	};
	struct rec rc;
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&rc, 0, sizeof(rc));
		assert_int_equal(parse_mem(cases[i].data, cases[i].len, 0, &rc, &err), SG_EINPUT);
		assert_int_equal(err.diag, SG_DIAG_JSON_NUL);
		assert_int_equal(err.offset, cases[i].offset);
	}
}

/* "an embedded NUL is rejected": also when written as an escape. */
static void test_escaped_nul(void **state)
{
	(void)state;
	assert_parse_error("[\"a\\u0000b\"]", SG_DIAG_JSON_NUL);
	assert_parse_error("{\"a\\u0000b\":1}", SG_DIAG_JSON_NUL);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_parse_error("[\"\xff\"]", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("[\"a\xc3\"]", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("{\"\xfe\":1}", SG_DIAG_JSON_SYNTAX);
}

static char *nested(int levels, char open, char close)
{
	char *s = malloc((size_t)levels * 2 + 1);
	int i;

	assert_non_null(s);
	for (i = 0; i < levels; i++) {
		s[i] = open;
		s[levels * 2 - 1 - i] = close;
	}
	s[levels * 2] = '\0';
	return s;
}

/* SG_JSON_MAX_DEPTH levels are allowed; one more is a limit error. */
static void test_depth_limit(void **state)
{
	char *ok = nested(SG_JSON_MAX_DEPTH, '[', ']');
	char *deep = nested(SG_JSON_MAX_DEPTH + 1, '[', ']');
	char *very = nested(100000, '[', ']');
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str(ok, &rc, &err), 0);
	assert_parse_error(deep, SG_DIAG_LIMIT_EXCEEDED);
	assert_parse_error(very, SG_DIAG_LIMIT_EXCEEDED);
	free(ok);
	free(deep);
	free(very);
}

static void test_depth_limit_objects(void **state)
{
	int levels = SG_JSON_MAX_DEPTH + 1, i;
	size_t cap = (size_t)levels * 8 + 8, used = 0;
	char *s = malloc(cap);

	(void)state;
	assert_non_null(s);
	for (i = 0; i < levels; i++) {
		memcpy(s + used, "{\"k\":", 5);
		used += 5;
	}
	s[used++] = '1';
	for (i = 0; i < levels; i++)
		s[used++] = '}';
	s[used] = '\0';
	assert_parse_error(s, SG_DIAG_LIMIT_EXCEEDED);
	free(s);
}

/* A JSON string of `n` bytes of 'a' (as a value, or as a key). */
static char *long_string_doc(size_t n, int as_key)
{
	char *s = malloc(n + 16);
	size_t used = 0;

	assert_non_null(s);
	s[used++] = as_key ? '{' : '[';
	s[used++] = '"';
	memset(s + used, 'a', n);
	used += n;
	s[used++] = '"';
	if (as_key) {
		memcpy(s + used, ":1}", 3);
		used += 3;
	} else {
		s[used++] = ']';
	}
	s[used] = '\0';
	return s;
}

/* SG_JSON_MAX_STRING_BYTES "for one string or key": at the limit is fine. */
static void test_string_at_limit(void **state)
{
	char *doc = long_string_doc(SG_JSON_MAX_STRING_BYTES, 0);
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	if (parse_str(doc, &rc, &err) != 0)
		fail_msg("%s", err.message);
	assert_int_equal(rc.n, 3);
	free(doc);
}

static void test_string_over_limit(void **state)
{
	char *doc = long_string_doc(SG_JSON_MAX_STRING_BYTES + 1, 0);
	char *key = long_string_doc(SG_JSON_MAX_STRING_BYTES + 1, 1);
	char *huge = long_string_doc(4 * SG_JSON_MAX_STRING_BYTES, 0);

	(void)state;
	assert_parse_error(doc, SG_DIAG_LIMIT_EXCEEDED);
	assert_parse_error(key, SG_DIAG_LIMIT_EXCEEDED);
	assert_parse_error(huge, SG_DIAG_LIMIT_EXCEEDED);
	free(doc);
	free(key);
	free(huge);
}

/* The string limit holds when the bytes trickle in (split across reads). */
static void test_string_over_limit_small_reads(void **state)
{
	char *doc = long_string_doc(SG_JSON_MAX_STRING_BYTES + 1, 0);
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_mem(doc, strlen(doc), 4093, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(rc.n, 1); /* only the '[' */
	free(doc);
}

static void test_trailing_garbage(void **state)
{
	struct rec rc;
	struct sg_error err;

	(void)state;
	assert_parse_error("{} x", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("{}]", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("[1] // comment", SG_DIAG_JSON_SYNTAX);
	/* Trailing white space is fine. */
	memset(&rc, 0, sizeof(rc));
	assert_int_equal(parse_str("{}  \n\t\r\n", &rc, &err), 0);
}

static void test_two_top_level_values(void **state)
{
	(void)state;
	assert_parse_error("{} {}", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("1 2", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("[]\n[]", SG_DIAG_JSON_SYNTAX);
}

/* Strict JSON: no comments, no single quotes, no trailing commas. */
static void test_not_json(void **state)
{
	(void)state;
	assert_parse_error("/* c */ {}", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("{'a':1}", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("[1,2,]", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("{\"a\":01}", SG_DIAG_JSON_SYNTAX);
	assert_parse_error("[NaN]", SG_DIAG_JSON_SYNTAX);
}

/* A handler's sg_json_fail() stops the parse; the error carries its code, diag and pointer. */
static void test_handler_fail_stops(void **state)
{
	const char *doc = "{\"a\":[1,\n  \"x\",{\"b\":null}],\"c\":true}";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	rc.fail_at = 4; /* the "x" at /a/1 */
	assert_int_equal(parse_str(doc, &rc, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_SARIF_INVALID);
	assert_string_equal(err.pointer, "/a/1");
	assert_string_equal(err.message, "stop here");
	assert_string_equal(err.where, "mem.json");
	assert_int_equal(rc.n, 4);
	assert_int_equal(rc.events_after_fail, 0);
	assert_int_equal(err.line, 2);
}

/* "including the position of the token being read": its first byte. */
static void test_handler_fail_position(void **state)
{
	const char *doc = "{\"a\":[1,\n  \"xyz\",{\"b\":null}],\"c\":true}";
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	rc.fail_at = 4; /* the "xyz" at /a/1, line 2 column 3 */
	assert_int_equal(parse_str(doc, &rc, &err), SG_EINPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 3);
	assert_int_equal(err.offset, 11);
}

/* A handler failing with another class: the code follows the diagnostic. */
static int fail_no_memory(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	(void)ctx;
	(void)ev;
	return sg_json_fail(r, SG_DIAG_NO_MEMORY, "pretend");
}

static void test_handler_fail_code(void **state)
{
	struct mem m = {"[1]", 3, 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", fail_no_memory, NULL, &err), SG_ENOMEM);
	assert_int_equal(err.diag, SG_DIAG_NO_MEMORY);
	assert_string_equal(err.pointer, "/");
}

/* read() returning -1 is an I/O error, not a JSON one. */
static void test_read_error(void **state)
{
	struct mem m = {"{\"a\":", 5, 0, 0, 1};
	struct sg_json_source src = {mem_read, &m};
	struct rec rc;
	struct sg_error err;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", record, &rc, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_READ);
	assert_string_equal(err.where, "mem.json");
}

static int check_offset(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	unsigned long long *last = ctx;

	(void)ev;
	assert_true(sg_json_offset(r) >= *last);
	*last = sg_json_offset(r);
	return 0;
}

/* The offset only grows and ends within the document. */
static void test_offset(void **state)
{
	struct mem m = {SMALL_DOC, strlen(SMALL_DOC), 0, 3, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;
	unsigned long long last = 0;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", check_offset, &last, &err), 0);
	assert_true(last > 0);
	assert_true(last <= strlen(SMALL_DOC));
}

/* ---- number conversions ---- */

static void test_text_to_ll(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(sg_json_text_to_ll("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sg_json_text_to_ll("-12", &v), 0);
	assert_int_equal(v, -12);
	assert_int_equal(sg_json_text_to_ll("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(sg_json_text_to_ll("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
}

/* "SG_EINPUT (without touching the reader) when the text is not an integer / is out of range" */
static void test_text_to_ll_rejects(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(sg_json_text_to_ll("99999999999999999999", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("9223372036854775808", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("-9223372036854775809", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("1.5", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("1e3", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("-", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("12a", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("0x10", &v), SG_EINPUT);
	assert_int_equal(v, 7); /* untouched */
}

/* Strict: what a JSON number literal cannot look like is not an integer. */
static void test_text_to_ll_strict(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(sg_json_text_to_ll(" 12", &v), SG_EINPUT);
	assert_int_equal(sg_json_text_to_ll("+12", &v), SG_EINPUT);
	assert_int_equal(v, 7);
}

/* The same for doubles: no blanks, no '+', no hexadecimal (strtod reads "0x10" as 16). */
static void test_text_to_double_strict(void **state)
{
	double d = 3;

	(void)state;
	assert_int_equal(sg_json_text_to_double(" 1.5", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("+1.5", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("0x10", &d), SG_EINPUT);
	assert_true(d == 3);
}

static void test_text_to_double(void **state)
{
	double d = 0;

	(void)state;
	assert_int_equal(sg_json_text_to_double("1.5", &d), 0);
	assert_true(d == 1.5);
	assert_int_equal(sg_json_text_to_double("-2e3", &d), 0);
	assert_true(d == -2000.0);
	d = 3;
	assert_int_equal(sg_json_text_to_double("1e400", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("abc", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("1.5x", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("nan", &d), SG_EINPUT);
	assert_int_equal(sg_json_text_to_double("inf", &d), SG_EINPUT);
	assert_true(d == 3);
}

/* ---- the push interface: any chunking reads the same ---- */

/*
 * A trace of everything a parse shows a handler and its caller: each event
 * with its text, pointer, depth, token position and offset, then the result
 * with every field of the error. Two parses agree when their traces do.
 * Positions are counted from (line_base, offset_base), so that a document
 * read after padding can be compared with itself read alone.
 */
struct trace {
	char *text;
	size_t len, cap;
	int events;
	int fail_at; /* event number (1-based) at which the handler fails; 0: never */
	long line_base;
	long long offset_base;
};

static void trace_add(struct trace *t, const char *fmt, ...) SG_PRINTF(2, 3);
static void trace_add(struct trace *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = t->text ? vsnprintf(t->text + t->len, t->cap - t->len, fmt, ap) : -2;
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap * 2 + (n > 0 ? (size_t)n : 0) + 256;
		t->text = realloc(t->text, t->cap);
		assert_non_null(t->text);
	}
}

static void trace_init(struct trace *t, int fail_at, long line_base, long long offset_base)
{
	memset(t, 0, sizeof(*t));
	t->fail_at = fail_at;
	t->line_base = line_base;
	t->offset_base = offset_base;
	trace_add(t, "%s", "");
}

static int trace_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct trace *t = ctx;
	char pointer[256];
	long line, column;
	long long offset;

	sg_json_pointer(r, pointer, sizeof(pointer));
	sg_json_position(r, &line, &column, &offset);
	t->events++;
	trace_add(t, "%d %.40s|%s|%d|%ld:%ld:%lld|%llu\n", (int)ev->type, ev->text ? ev->text : "-", pointer,
		  sg_json_depth(r), line - t->line_base, column, offset - t->offset_base,
		  sg_json_offset(r) - (unsigned long long)t->offset_base);
	if (t->fail_at && t->events == t->fail_at)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "stop at event %d", t->events);
	return 0;
}

static void trace_result(struct trace *t, int rc, const struct sg_error *err)
{
	if (rc == 0) {
		trace_add(t, "ok\n");
		return;
	}
	trace_add(t, "error %d %s %s|%s|%ld:%ld:%lld|%s\n", rc, sg_diag_id(err->diag), err->message, err->where,
		  err->line - t->line_base, err->column, err->offset - t->offset_base, err->pointer);
}

/* Push data[0..len) in chunks of `chunk` bytes (0: all at once), or in two
 * pieces split at `split` when chunk is (size_t)-1. */
static void trace_push(const char *data, size_t len, size_t chunk, size_t split, struct trace *t)
{
	struct sg_json_push *p = NULL;
	struct sg_error err;
	size_t at = 0, n;
	int rc;

	sg_error_clear(&err);
	assert_int_equal(sg_json_push_new("mem.json", trace_event, t, &p, &err), 0);
	rc = 0;
	while (rc == 0 && at < len) {
		if (chunk == (size_t)-1)
			n = at < split ? split - at : len - at;
		else
			n = chunk == 0 || chunk > len - at ? len - at : chunk;
		rc = sg_json_push_feed(p, data + at, n, &err);
		at += n;
	}
	if (rc == 0)
		rc = sg_json_push_finish(p, &err);
	trace_result(t, rc, &err);
	sg_json_push_free(p);
}

static void trace_parse(const char *data, size_t len, struct trace *t)
{
	struct mem m = {data, len, 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	rc = sg_json_parse(&src, "mem.json", trace_event, t, &err);
	trace_result(t, rc, &err);
}

static void assert_same_trace(const struct trace *want, const struct trace *got, const char *how, size_t n)
{
	if (strcmp(want->text, got->text) != 0)
		fail_msg("%s %zu differs:\n--- whole:\n%s--- this way:\n%s", how, n, want->text, got->text);
}

/*
 * The document read after SG_JSON_READ_CHUNK - k bytes of padding (white
 * space, then a newline): the first block ends k bytes into it, so every
 * token, escape and UTF-8 character meets a block end somewhere in the sweep.
 */
static void trace_padded(const char *data, size_t len, size_t k, int fail_at, int push, struct trace *t)
{
	size_t pad = SG_JSON_READ_CHUNK - k;
	char *doc = malloc(pad + len);

	assert_non_null(doc);
	memset(doc, ' ', pad - 1);
	doc[pad - 1] = '\n';
	memcpy(doc + pad, data, len);
	trace_init(t, fail_at, 1, (long long)pad);
	if (push)
		trace_push(doc, pad + len, 4093, 0, t);
	else
		trace_parse(doc, pad + len, t);
	free(doc);
}

/*
 * Every chunking of `data` gives the trace sg_json_parse() gives: pushed 1,
 * 2, 3 and 7 bytes at a time, all at once, and in two pieces split at every
 * byte. Then read with a block end before each of its bytes, it still reads
 * as when whole (unless it starts with a byte order mark, which padding
 * would move). Each with the handler failing at each event, too.
 */
static void check_chunkings_ex(const char *data, size_t len, int failures)
{
	static const size_t sizes[] = {1, 2, 3, 7, 0};
	struct trace want, got;
	size_t i, split, k;
	int fail_at, events, pad = len > 0 && !(len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0);

	trace_init(&want, 0, 0, 0);
	trace_parse(data, len, &want);
	events = want.events;
	free(want.text);
	for (fail_at = 0; fail_at <= (failures ? events : 0); fail_at++) {
		trace_init(&want, fail_at, 0, 0);
		trace_parse(data, len, &want);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			trace_init(&got, fail_at, 0, 0);
			trace_push(data, len, sizes[i], 0, &got);
			assert_same_trace(&want, &got, "pushed in chunks of", sizes[i]);
			free(got.text);
		}
		for (split = 1; fail_at == 0 && split < len; split++) {
			trace_init(&got, fail_at, 0, 0);
			trace_push(data, len, (size_t)-1, split, &got);
			assert_same_trace(&want, &got, "pushed in two pieces split at", split);
			free(got.text);
		}
		/* A block end at every byte; with a failing handler, at every
		 * third (the padding makes each read cost a block). */
		for (k = 0; pad && k <= len; k++) {
			if (fail_at > 0 && (k % 3 != (size_t)fail_at % 3 || len > 1000))
				continue;
			trace_padded(data, len, k, fail_at, 0, &got);
			assert_same_trace(&want, &got, "read with a block ending at byte", k);
			free(got.text);
			if (k % 5 == 0 && fail_at == 0) {
				trace_padded(data, len, k, fail_at, 1, &got);
				assert_same_trace(&want, &got, "pushed with a block ending at byte", k);
				free(got.text);
			}
		}
		free(want.text);
	}
}

static void check_chunkings(const char *data, size_t len)
{
	check_chunkings_ex(data, len, 1);
}

#define CHECK_CHUNKINGS(lit) check_chunkings((lit), sizeof(lit) - 1)

/* Good documents: the events, their positions and pointers do not depend
 * on where chunks and blocks end, a token or a UTF-8 character split
 * included. */
static void test_push_same_events(void **state)
{
	(void)state;
	CHECK_CHUNKINGS(SMALL_DOC);
	CHECK_CHUNKINGS("\n { \"a\" : [ 1 , \"x\" , { \"b\" : null } ] ,\r\n\t\"c\":true , \"d\" : false }\n");
	CHECK_CHUNKINGS("{\"version\": \"2.1.0\",\n \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}},\n"
			"  \"results\": [{\"ruleId\": \"R1\", \"message\": {\"text\": \"caf\xc3\xa9 \xf0\x9f\x98\x80\"},\n"
			"   \"rank\": -12.5e+3, \"x\": [true, false, null, 0, 1234567890123456789012345]}]}]}");
	CHECK_CHUNKINGS("[\"a\\\"b\\\\c\\/d\\n\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"\xc3\xa9\xe2\x82\xac\", "
			"\"\\\\\", \"\\\\\\\"\"]");
	CHECK_CHUNKINGS("{\"a/b\":{\"m~n\":1},\"\xc3\xa9\":{\"\":[[],{}]}}");
	CHECK_CHUNKINGS(" 42 ");
	CHECK_CHUNKINGS("12345");
	CHECK_CHUNKINGS("true");
	CHECK_CHUNKINGS("\"just a string\"");
	CHECK_CHUNKINGS("[1,22,333,4444,-5.5e5,6E-6]");
}

/* The byte order mark is recognised however its three bytes arrive, and
 * only at the start. */
static void test_push_bom(void **state)
{
	(void)state;
	CHECK_CHUNKINGS("\xEF\xBB\xBF" SMALL_DOC);
	CHECK_CHUNKINGS("\xEF\xBB\xBF" "1");
	CHECK_CHUNKINGS("\xEF\xBB\xBF");
	CHECK_CHUNKINGS("\xEF\xBB");
	CHECK_CHUNKINGS("\xEF\xBB\xBF\xEF\xBB\xBF{}");
	CHECK_CHUNKINGS("\xEF\xBB\xBF{\n\"a\":1,\n@}");
	CHECK_CHUNKINGS("{}\xEF\xBB\xBF");
	CHECK_CHUNKINGS("1");
	CHECK_CHUNKINGS("[]");
}

/* Bad documents: the same diagnostic at the same line, column, offset and
 * pointer, however the bytes are cut. */
static void test_push_same_errors(void **state)
{
	(void)state;
	CHECK_CHUNKINGS("{\n  \"a\": 1,\n  \"b\" 2\n}\n");
	CHECK_CHUNKINGS("{\n\"a\":1,\n@}");
	CHECK_CHUNKINGS("{\"a\":[1,2");
	CHECK_CHUNKINGS("{\"a\":\"ab");
	CHECK_CHUNKINGS("{\"a\":\n[1,2");
	CHECK_CHUNKINGS("tru");
	CHECK_CHUNKINGS("trux");
	CHECK_CHUNKINGS("[tru,1]");
	CHECK_CHUNKINGS("[1.x]");
	CHECK_CHUNKINGS("[1.]");
	CHECK_CHUNKINGS("[-]");
	CHECK_CHUNKINGS("[1e]");
	CHECK_CHUNKINGS("{\"a\":01}");
	CHECK_CHUNKINGS("{\"a\":1 \"b\"}");
	CHECK_CHUNKINGS("{\"a\":1 234}");
	CHECK_CHUNKINGS("[1 \"b\"]");
	CHECK_CHUNKINGS("{\"a\" 123}");
	CHECK_CHUNKINGS("{123:1}");
	CHECK_CHUNKINGS("[NaN]");
	CHECK_CHUNKINGS("[1,2,]");
	CHECK_CHUNKINGS("{'a':1}");
	CHECK_CHUNKINGS("/* c */ {}");
	CHECK_CHUNKINGS("{} x");
	CHECK_CHUNKINGS("{} 123");
	CHECK_CHUNKINGS("{} 123 ");
	CHECK_CHUNKINGS("{} \"x\"");
	CHECK_CHUNKINGS("{}]");
	CHECK_CHUNKINGS("[]\n[]");
	CHECK_CHUNKINGS("1 2");
	CHECK_CHUNKINGS("");
	CHECK_CHUNKINGS("  \n\t ");
	CHECK_CHUNKINGS("{\"a\":\"x\0y\"}");
	CHECK_CHUNKINGS("{}\0");
	CHECK_CHUNKINGS("\0{}");
	CHECK_CHUNKINGS("[1,\0 2]");
	CHECK_CHUNKINGS("[\"a\\u0000b\"]");
	CHECK_CHUNKINGS("{\"a\\u0000b\":1}");
	CHECK_CHUNKINGS("[\"\\u12G4\"]");
	CHECK_CHUNKINGS("[\"\\x\"]");
	CHECK_CHUNKINGS("[\"a\nb\"]");
	CHECK_CHUNKINGS("[\"\xff\"]");
	CHECK_CHUNKINGS("[\"a\xc3\"]");
	CHECK_CHUNKINGS("[\"a\xc3\xc3\xa9\"]");
	CHECK_CHUNKINGS("[\"\xe2\x82\"]");
	CHECK_CHUNKINGS("[\"\xf0\x9f\x98\"]");
	CHECK_CHUNKINGS("[\"\xc0\xaf\"]");
	CHECK_CHUNKINGS("[\"\xed\xa0\x80\"]");
	CHECK_CHUNKINGS("{\"\xfe\":1}");
	CHECK_CHUNKINGS("{\"a\":1,\"b\":[true,{\"c\":\"\xc3\"}]}");
	CHECK_CHUNKINGS("[\"\\ud83d\"]");
}

/* Limits hold and are reported at the same byte under any chunking: one
 * byte past the string limit, as a value or a key, a number past the token
 * limit, nesting past the depth limit. */
static void test_push_limits(void **state)
{
	size_t n = SG_JSON_MAX_STRING_BYTES;
	char *docs[4], *deep = nested(SG_JSON_MAX_DEPTH + 1, '[', ']');
	struct trace want, got;
	size_t i, d;

	(void)state;
	docs[0] = long_string_doc(n + 1, 0);
	docs[1] = long_string_doc(n + 1, 1);
	docs[2] = long_string_doc(n, 0);
	docs[3] = malloc(SG_JSON_MAX_TOKEN_BYTES + 8);
	assert_non_null(docs[3]);
	docs[3][0] = '[';
	memset(docs[3] + 1, '1', SG_JSON_MAX_TOKEN_BYTES + 1);
	memcpy(docs[3] + SG_JSON_MAX_TOKEN_BYTES + 2, "]", 2);
	for (d = 0; d < 4; d++) {
		static const size_t sizes[] = {1, 7, 4093, 0};
		trace_init(&want, 0, 0, 0);
		trace_parse(docs[d], strlen(docs[d]), &want);
		if (d == 2)
			assert_string_equal(want.text + want.len - 3, "ok\n");
		else
			assert_non_null(strstr(want.text, "limit-exceeded"));
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			trace_init(&got, 0, 0, 0);
			trace_push(docs[d], strlen(docs[d]), sizes[i], 0, &got);
			assert_same_trace(&want, &got, "limit document pushed in chunks of", sizes[i]);
			free(got.text);
		}
		free(want.text);
		free(docs[d]);
	}
	check_chunkings_ex(deep, strlen(deep), 0);
	free(deep);
}

/* The string limit error names the byte that goes over it, even when an
 * escape takes the string over at the very end of a block (the position
 * once fell before the block and was counted over memory past it). */
static void test_string_limit_at_block_end(void **state)
{
	size_t n = SG_JSON_MAX_STRING_BYTES, pad = SG_JSON_READ_CHUNK - 3, len = pad + n + 5, i;
	char *doc = malloc(len + 1);
	struct trace want, got;
	struct sg_error err;
	struct mem m;
	struct sg_json_source src = {mem_read, &m};

	(void)state;
	assert_non_null(doc);
	/* pad, then ["aaa...a\n"] with the escape's 'n' the byte past the limit
	 * and the last byte of a block */
	memset(doc, ' ', pad);
	memcpy(doc + pad, "[\"", 2);
	memset(doc + pad + 2, 'a', n - 1);
	memcpy(doc + pad + 2 + n - 1, "\\n\"]", 5);
	assert_int_equal((pad + 2 + n) % SG_JSON_READ_CHUNK, SG_JSON_READ_CHUNK - 1);
	m = (struct mem){doc, len, 0, 0, 0};
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", record_nothing, NULL, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(err.offset, (long long)(pad + 2 + n));
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, (long)(pad + 3 + n));
	trace_init(&want, 0, 0, 0);
	trace_parse(doc, len, &want);
	for (i = 1; i <= 4096; i *= 64) {
		trace_init(&got, 0, 0, 0);
		trace_push(doc, len, i, 0, &got);
		assert_same_trace(&want, &got, "pushed in chunks of", i);
		free(got.text);
	}
	free(want.text);
	free(doc);
}

/* "After an error every later feed/finish returns the same error." */
static void test_push_error_sticks(void **state)
{
	struct sg_json_push *p = NULL;
	struct trace t;
	struct sg_error err, first, again;
	char *big = malloc(SG_JSON_READ_CHUNK);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', SG_JSON_READ_CHUNK);
	memcpy(big + 100, "[1,}", 4);
	trace_init(&t, 0, 0, 0);
	sg_error_clear(&err);
	assert_int_equal(sg_json_push_new("upload", trace_event, &t, &p, &err), 0);
	/* Refused within the block that shows it: before the end of input. */
	assert_int_equal(sg_json_push_feed(p, big, 1000, &err), 0);
	assert_int_equal(sg_json_push_feed(p, big + 1000, SG_JSON_READ_CHUNK - 1000, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_JSON_SYNTAX);
	assert_string_equal(err.where, "upload");
	assert_int_equal(err.offset, 103);
	first = err;
	sg_error_clear(&again);
	assert_int_equal(sg_json_push_feed(p, "2]", 2, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	sg_error_clear(&again);
	assert_int_equal(sg_json_push_finish(p, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	assert_int_equal(t.events, 2); /* '[' and 1: nothing after the error */
	sg_json_push_free(p);
	free(t.text);
	free(big);
}

/* A finished document takes no more bytes; finishing again changes nothing. */
static void test_push_after_finish(void **state)
{
	struct sg_json_push *p = NULL;
	struct trace t;
	struct sg_error err;

	(void)state;
	trace_init(&t, 0, 0, 0);
	sg_error_clear(&err);
	assert_int_equal(sg_json_push_new("upload", trace_event, &t, &p, &err), 0);
	assert_int_equal(sg_json_push_feed(p, "{}", 2, &err), 0);
	assert_int_equal(sg_json_push_feed(p, "", 0, &err), 0);
	assert_int_equal(sg_json_push_finish(p, &err), 0);
	assert_int_equal(sg_json_push_finish(p, &err), 0);
	assert_int_equal(sg_json_push_feed(p, " ", 1, &err), SG_EINTERNAL);
	assert_true(err.diag == SG_DIAG_INTERNAL);
	assert_int_equal(t.events, 2);
	sg_json_push_free(p);
	sg_json_push_free(NULL);
	free(t.text);
}

/* A handler that notes an error and goes on (SARIF's deferred checks) does
 * not hide a syntax error further on. */
static int note_and_go_on(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sg_error *err = ctx, saved = *err;

	if (ev->type == SG_JSON_NUMBER) {
		(void)sg_json_fail(r, SG_DIAG_SARIF_INVALID, "noted");
		*err = saved;
	}
	return 0;
}

static void test_noted_error_does_not_hide_syntax(void **state)
{
	struct mem m = {"[1, 2 3]", 8, 0, 0, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_json_parse(&src, "mem.json", note_and_go_on, &err, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_JSON_SYNTAX);
	assert_int_equal(err.offset, 6);
}

/* Pushed allocation failures: a clean SG_ENOMEM, never a crash. */
static void test_push_alloc_failures(void **state)
{
	const char *doc = "{\"a\":\"a long enough string to make the scratch buffer grow\",\"b\":[1,2,3]}";
	unsigned long n;
	int ok = 0, failed = 0;

	(void)state;
	for (n = 1; n <= 30; n++) {
		struct sg_json_push *p = NULL;
		struct trace t;
		struct sg_error err;
		size_t at;
		int rc;

		trace_init(&t, 0, 0, 0);
		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_json_push_new("mem.json", trace_event, &t, &p, &err);
		for (at = 0; rc == 0 && at < strlen(doc); at += 5)
			rc = sg_json_push_feed(p, doc + at, strlen(doc) - at < 5 ? strlen(doc) - at : 5, &err);
		if (rc == 0)
			rc = sg_json_push_finish(p, &err);
		sg_alloc_fail_after(0);
		sg_json_push_free(p);
		free(t.text);
		if (rc == 0) {
			ok++;
			continue;
		}
		failed++;
		assert_int_equal(rc, SG_ENOMEM);
		assert_true(err.diag == SG_DIAG_NO_MEMORY);
	}
	assert_true(failed > 0);
	assert_true(ok > 0);
}

/* ---- the allocation torture loop (STYLE.md "Tests") ---- */

static void test_alloc_failures(void **state)
{
	const char *doc = "\xEF\xBB\xBF{\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
			  "\"results\":[{\"ruleId\":\"R1\",\"message\":{\"text\":\"a long enough message "
			  "to make the scratch buffer grow a few times over\"}}]}],\"version\":\"2.1.0\"}";
	unsigned long n;
	int ok = 0, failed = 0;

	(void)state;
	for (n = 1; n <= 50; n++) {
		struct mem m = {doc, strlen(doc), 0, 0, 0};
		struct sg_json_source src = {mem_read, &m};
		struct rec rc;
		struct sg_error err;
		int rc_code;

		memset(&rc, 0, sizeof(rc));
		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc_code = sg_json_parse(&src, "mem.json", record, &rc, &err);
		sg_alloc_fail_after(0);
		if (rc_code == 0) {
			ok++;
			assert_int_equal(rc.n, 20);
			continue;
		}
		failed++;
		if (!(err.code == SG_ENOMEM || err.diag == SG_DIAG_NO_MEMORY))
			fail_msg("n=%lu: rc %d diag %s (%s)", n, rc_code, sg_diag_id(err.diag),
				 err.message);
		assert_int_equal(rc_code, SG_ENOMEM);
	}
	/* Both paths ran: some allocations failed, and later n let it finish. */
	assert_true(failed > 0);
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_and_pointers),
		cmocka_unit_test(test_events_with_whitespace),
		cmocka_unit_test(test_bom_skipped),
		cmocka_unit_test(test_bom_twice_or_inside),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_pointer_escaping),
		cmocka_unit_test(test_number_text),
		cmocka_unit_test(test_string_decoding),
		cmocka_unit_test(test_string_len),
		cmocka_unit_test(test_scalar_documents),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_syntax_error_bad_char),
		cmocka_unit_test(test_syntax_error_position_bytewise),
		cmocka_unit_test(test_syntax_error_second_chunk),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_truncated_position),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_escaped_nul),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_depth_limit_objects),
		cmocka_unit_test(test_string_at_limit),
		cmocka_unit_test(test_string_over_limit),
		cmocka_unit_test(test_string_over_limit_small_reads),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_two_top_level_values),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_handler_fail_stops),
		cmocka_unit_test(test_handler_fail_position),
		cmocka_unit_test(test_handler_fail_code),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_text_to_ll),
		cmocka_unit_test(test_text_to_ll_rejects),
		cmocka_unit_test(test_text_to_ll_strict),
		cmocka_unit_test(test_text_to_double),
		cmocka_unit_test(test_text_to_double_strict),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_push_same_events),
		cmocka_unit_test(test_push_bom),
		cmocka_unit_test(test_push_same_errors),
		cmocka_unit_test(test_push_limits),
		cmocka_unit_test(test_string_limit_at_block_end),
		cmocka_unit_test(test_push_error_sticks),
		cmocka_unit_test(test_push_after_finish),
		cmocka_unit_test(test_noted_error_does_not_hide_syntax),
		cmocka_unit_test(test_push_alloc_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
