/*
 * cli/client: the command line's HTTP client (docs/api.md, "The command line
 * against a server"). The pure parts: URLs (every value escaped, one
 * segment stays one segment), the HTTP status -> code -> exit status table,
 * the error answer {"error":{"code","message"}} read with the streaming
 * reader (hostile and foreign answers included), the checks on --server and
 * the token, and a request to a port where nothing listens.
 *
 * src/cli/ is not in libshipgate.a (the Makefile links tests with the
 * library only): the two files under test are compiled in here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cli/client.c"
#include "cli/exit_status.c"
#include "util/alloc.h"
#include "util/hash.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* ---- URLs ---- */

static void test_path_escapes_each_segment(void **state)
{
	struct sg_buf p;

	(void)state;
	sg_buf_init(&p, 1024);
	assert_int_equal(sg_client_path(&p, "products"), 0);
	assert_int_equal(sg_client_path(&p, "my app/x?y#z&%"), 0);
	assert_int_equal(sg_client_path(&p, "sarif"), 0);
	assert_string_equal(p.data, "/products/my%20app%2Fx%3Fy%23z%26%25/sarif");
	sg_buf_reset(&p);
	/* Unreserved characters stay; UTF-8 is escaped byte by byte. */
	assert_int_equal(sg_client_path(&p, "A-z_0.9~"), 0);
	assert_int_equal(sg_client_path(&p, "caf\xc3\xa9"), 0);
	assert_string_equal(p.data, "/A-z_0.9~/caf%C3%A9");
	sg_buf_reset(&p);
	/* "." and ".." would climb the path: they are encoded. */
	assert_int_equal(sg_client_path(&p, ".."), 0);
	assert_int_equal(sg_client_path(&p, "."), 0);
	assert_int_equal(sg_client_path(&p, "..."), 0);
	assert_string_equal(p.data, "/%2E%2E/%2E/...");
	sg_buf_release(&p);
}

static void test_url_with_query(void **state)
{
	const struct sg_client_param q[] = {
		{"status", "open"}, {"severity", NULL}, {"page", "2"}, {"per_page", "a&b=c d"},
	};
	struct sg_error err;
	struct sg_buf u;

	(void)state;
	sg_error_clear(&err);
	sg_buf_init(&u, SG_CLIENT_MAX_URL_BYTES);
	assert_int_equal(sg_client_url("http://127.0.0.1:8080", "/api/v1/products/demo/findings", q, 4, &u, &err), 0);
	/* A NULL value is left out; a value cannot add a parameter. */
	assert_string_equal(u.data,
			    "http://127.0.0.1:8080/api/v1/products/demo/findings?status=open&page=2&per_page=a%26b%3Dc%20d");
	sg_buf_reset(&u);
	assert_int_equal(sg_client_url("https://h/prefix", "/api/v1/exceptions", q + 1, 1, &u, &err), 0);
	assert_string_equal(u.data, "https://h/prefix/api/v1/exceptions");
	sg_buf_reset(&u);
	assert_int_equal(sg_client_url("https://h", "/x", NULL, 0, &u, &err), 0);
	assert_string_equal(u.data, "https://h/x");
	sg_buf_release(&u);
}

static void test_url_too_long(void **state)
{
	static char big[SG_CLIENT_MAX_URL_BYTES + 10];
	struct sg_client_param q[] = {{"since", big}};
	struct sg_error err;
	struct sg_buf u;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	sg_error_clear(&err);
	sg_buf_init(&u, SG_CLIENT_MAX_URL_BYTES);
	assert_int_equal(sg_client_url("http://h", "/api/v1/audit", q, 1, &u, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	sg_buf_release(&u);
	/* Escaping triples a byte: a value under the bound may not fit after. */
	memset(big, ' ', SG_CLIENT_MAX_URL_BYTES / 2);
	big[SG_CLIENT_MAX_URL_BYTES / 2] = '\0';
	sg_error_clear(&err);
	sg_buf_init(&u, SG_CLIENT_MAX_URL_BYTES);
	assert_int_equal(sg_client_url("http://h", "/api/v1/audit", q, 1, &u, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	sg_buf_release(&u);
}

/* ---- status -> code -> exit status ---- */

static void test_status_codes(void **state)
{
	static const struct {
		long status;
		int code, exit;
	} table[] = {
		{200, SG_OK, 0},         {201, SG_OK, 0},        {204, SG_OK, 0},
		{400, SG_EINPUT, 2},     {401, SG_EUSAGE, 2},    {404, SG_ENOTFOUND, 2},
		{409, SG_ECONFLICT, 2},  {413, SG_EINPUT, 2},    {429, SG_EUSAGE, 2},
		{403, SG_EPOLICY, 1},    {500, SG_EINTERNAL, 3}, {502, SG_EINTERNAL, 3},
		{503, SG_ESTORE, 3},     {504, SG_EINTERNAL, 3}, {301, SG_EUSAGE, 2},
		{308, SG_EUSAGE, 2},     {405, SG_EUSAGE, 2},    {418, SG_EUSAGE, 2},
		{100, SG_EINTERNAL, 3},  {0, SG_EINTERNAL, 3},   {600, SG_EINTERNAL, 3},
		{-1, SG_EINTERNAL, 3},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		int code = sg_client_status_code(table[i].status);
		if (code != table[i].code || sg_exit_status(code) != table[i].exit)
			fail_msg("HTTP %ld: code %d exit %d, wanted %d exit %d", table[i].status, code,
				 sg_exit_status(code), table[i].code, table[i].exit);
	}
}

/* ---- error answers ---- */

static int from_answer(long status, const char *body, struct sg_error *err)
{
	sg_error_clear(err);
	return sg_client_error_from_answer(status, body, body ? strlen(body) : 0, "http://h:1", err);
}

static void test_error_answer_known_code(void **state)
{
	struct sg_error err;

	(void)state;
	assert_int_equal(from_answer(409, "{\"error\":{\"code\":\"conflict\",\"message\":\"release 1.0 exists\"}}", &err),
			 SG_ECONFLICT);
	assert_int_equal(err.diag, SG_DIAG_CONFLICT);
	assert_string_equal(err.message, "release 1.0 exists");
	assert_string_equal(err.where, "");
	/* The code follows the status, not the diagnostic's class:
	 * audit-broken is a policy failure locally, a 503 here (exit 3). */
	assert_int_equal(from_answer(503, "{\"error\":{\"message\":\"ledger\",\"code\":\"audit-broken\"}}", &err),
			 SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_AUDIT_BROKEN);
	assert_int_equal(sg_exit_status(err.code), 3);
	/* approval-refused: a 403, exit 1 as locally. */
	assert_int_equal(from_answer(403, "{\"error\":{\"code\":\"approval-refused\",\"message\":\"own request\"}}", &err),
			 SG_EPOLICY);
	assert_int_equal(err.diag, SG_DIAG_APPROVAL_REFUSED);
	/* Other members, before and after, and nesting are passed over. */
	assert_int_equal(from_answer(404, "{\"x\":[1,{\"code\":\"no\"}],\"error\":{\"detail\":{\"code\":\"no\"},"
					  "\"code\":\"not-found\",\"message\":\"no finding 9\"},\"y\":null}",
				     &err),
			 SG_ENOTFOUND);
	assert_int_equal(err.diag, SG_DIAG_NOT_FOUND);
	assert_string_equal(err.message, "no finding 9");
}

static void test_error_answer_401_and_suffix(void **state)
{
	struct sg_error err;

	(void)state;
	assert_int_equal(from_answer(401, "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"unknown token\"}}", &err),
			 SG_EUSAGE);
	assert_int_equal(err.diag, SG_DIAG_UNAUTHENTICATED);
	assert_string_equal(err.message, "the server refused the token: unknown token");
	/* A message that ends in its own code does not say it twice. */
	assert_int_equal(from_answer(400, "{\"error\":{\"code\":\"bad-value\",\"message\":\"body: x [bad-value]\"}}", &err),
			 SG_EINPUT);
	assert_string_equal(err.message, "body: x");
	/* ... but another bracket stays. */
	assert_int_equal(from_answer(400, "{\"error\":{\"code\":\"bad-value\",\"message\":\"x [usage]\"}}", &err),
			 SG_EINPUT);
	assert_string_equal(err.message, "x [usage]");
	assert_int_equal(from_answer(400, "{\"error\":{\"code\":\"bad-value\",\"message\":\"[bad-value]\"}}", &err),
			 SG_EINPUT);
	assert_string_equal(err.message, "[bad-value]");
}

static void test_error_answer_foreign(void **state)
{
	struct sg_error err;

	(void)state;
	/* A code this client does not know: the status picks the diagnostic
	 * and the message keeps the server's code. */
	assert_int_equal(from_answer(400, "{\"error\":{\"code\":\"frob\",\"message\":\"later\"}}", &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_BAD_VALUE);
	assert_string_equal(err.message, "later (the server's code \"frob\")");
	/* Not JSON (a proxy's page), empty, truncated, the wrong shape. */
	assert_int_equal(from_answer(502, "<html>bad gateway</html>", &err), SG_EINTERNAL);
	assert_int_equal(err.diag, SG_DIAG_INTERNAL);
	assert_non_null(strstr(err.message, "answered HTTP 502 without an error message"));
	assert_non_null(strstr(err.message, "\"http://h:1\""));
	assert_int_equal(from_answer(503, "", &err), SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_UNAVAILABLE);
	assert_int_equal(from_answer(404, NULL, &err), SG_ENOTFOUND);
	assert_int_equal(err.diag, SG_DIAG_NOT_FOUND);
	/* Truncated: what was read before the cut is not trusted. */
	assert_int_equal(from_answer(409, "{\"error\":{\"code\":\"conflict\",\"message\":\"half", &err), SG_ECONFLICT);
	assert_int_equal(err.diag, SG_DIAG_CONFLICT);
	assert_non_null(strstr(err.message, "without an error message"));
	assert_int_equal(from_answer(429, "{\"error\":{\"code\":1,\"message\":[\"x\"]}}", &err), SG_EUSAGE);
	assert_int_equal(err.diag, SG_DIAG_RATE_LIMITED);
	assert_int_equal(from_answer(413, "[\"error\"]", &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	/* A NUL inside the message is refused by the reader. */
	assert_int_equal(from_answer(400, "{\"error\":{\"code\":\"usage\",\"message\":\"a\\u0000b\"}}", &err), SG_EINPUT);
	assert_non_null(strstr(err.message, "without an error message"));
	/* A redirect says it is not followed. */
	assert_int_equal(from_answer(301, "", &err), SG_EUSAGE);
	assert_non_null(strstr(err.message, "not followed"));
}

static void test_error_answer_long_message(void **state)
{
	static char body[(1 << 16) + 100];
	struct sg_error err;
	size_t n;

	(void)state;
	n = (size_t)snprintf(body, sizeof(body), "{\"error\":{\"code\":\"bad-value\",\"message\":\"");
	memset(body + n, 'm', 1 << 16);
	n += 1 << 16;
	snprintf(body + n, sizeof(body) - n, "\"}}");
	assert_int_equal(from_answer(400, body, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_BAD_VALUE);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
}

/* Allocation failures while reading the answer: still an error, the
 * status's code, nothing leaked. */
static void test_error_answer_alloc_failures(void **state)
{
	const char *body = "{\"error\":{\"code\":\"conflict\",\"message\":\"exists\"}}";
	struct sg_error err;
	unsigned long n;

	(void)state;
	for (n = 1; n < 20; n++) {
		sg_alloc_fail_after(n);
		assert_int_equal(from_answer(409, body, &err), SG_ECONFLICT);
		sg_alloc_fail_after(0);
		assert_int_equal(err.diag, SG_DIAG_CONFLICT);
	}
}

/* ---- opening: the server's URL and the token ---- */

static int open_with(const char *server, const char *token, struct sg_error *err)
{
	struct sg_client c;
	int rc;

	sg_error_clear(err);
	rc = sg_client_open(&c, server, token, NULL, err);
	if (rc == 0)
		sg_client_close(&c);
	return rc;
}

static void test_open_checks_url(void **state)
{
	static const char *const good[] = {
		"http://127.0.0.1:8080", "https://shipgate.example", "https://shipgate.example:8443/prefix/",
		"HTTPS://shipgate.example", "http://[::1]:8080",
	};
	static const char *const bad[] = {
		"ftp://h",  "file:///etc/passwd", "127.0.0.1:8080", "",  "http://",  "https://u:p@h/",
		"https://u@h/", "https://h/?a=b", "https://h/#x", "gopher://h", "http://h h/", "dict://h",
	};
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (open_with(good[i], "sgt_x", &err) != 0)
			fail_msg("\"%s\" refused: %s", good[i], err.message);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (open_with(bad[i], "sgt_x", &err) != SG_EUSAGE)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(err.diag, SG_DIAG_USAGE);
	}
}

static void test_open_checks_token(void **state)
{
	static char long_token[SG_CLIENT_MAX_TOKEN_BYTES + 2];
	static const char *const bad[] = {
		"", "sgt x", "sgt_x\r\nX-Evil: 1", "sgt_\t", "sgt_\x7f", "sgt_\xc3\xa9",
	};
	struct sg_client c;
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(open_with("http://h", bad[i], &err), SG_EUSAGE);
		assert_int_equal(err.diag, SG_DIAG_USAGE);
		/* The message describes the token; it never quotes it. */
		if (bad[i][0])
			assert_null(strstr(err.message, bad[i]));
	}
	memset(long_token, 'a', SG_CLIENT_MAX_TOKEN_BYTES);
	assert_int_equal(open_with("http://h", long_token, &err), 0);
	long_token[SG_CLIENT_MAX_TOKEN_BYTES] = 'a';
	assert_int_equal(open_with("http://h", long_token, &err), SG_EUSAGE);
	assert_null(strstr(err.message, long_token));

	/* What is kept: the base without trailing slashes, the header line. */
	sg_error_clear(&err);
	assert_int_equal(sg_client_open(&c, "https://h:8443/p//", "sgt_abc", "ca.pem", &err), 0);
	assert_string_equal(c.base, "https://h:8443/p");
	assert_string_equal(c.auth, "Authorization: Bearer sgt_abc");
	assert_string_equal(c.cacert, "ca.pem");
	sg_client_close(&c);
	assert_null(c.auth);
	assert_null(c.base);
	assert_int_equal(sg_client_open(&c, "https://h", "sgt_abc", "", &err), SG_EUSAGE);
}

static void test_open_alloc_failures(void **state)
{
	struct sg_client c;
	struct sg_error err;
	unsigned long n;
	int rc;

	(void)state;
	for (n = 1; n < 5; n++) {
		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_client_open(&c, "https://h", "sgt_abc", NULL, &err);
		sg_alloc_fail_after(0);
		if (rc == 0) {
			sg_client_close(&c);
			continue;
		}
		assert_int_equal(rc, SG_ENOMEM);
		assert_int_equal(err.diag, SG_DIAG_NO_MEMORY);
	}
}

/* ---- a request that gets no answer ---- */

static void test_call_unreachable(void **state)
{
	const struct sg_client_request req = {.method = "GET", .path = "/api/v1/findings/1"};
	struct sg_client_response resp;
	struct sg_client c;
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	/* Port 1 on loopback: nothing listens there (tcpmux is long gone). */
	assert_int_equal(sg_client_open(&c, "http://127.0.0.1:1", "sgt_secret_value", NULL, &err), 0);
	sg_client_response_init(&resp);
	assert_int_equal(sg_client_call(&c, &req, &resp, &err), SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_UNAVAILABLE);
	assert_int_equal(sg_exit_status(err.code), 3);
	assert_non_null(strstr(err.message, "cannot reach the server at \"http://127.0.0.1:1\""));
	assert_null(strstr(err.message, "sgt_secret_value"));
	assert_int_equal(resp.status, 0);
	sg_client_response_release(&resp);
	sg_client_close(&c);
}

static void test_call_missing_upload(void **state)
{
	const struct sg_client_request req = {
		.method = "POST", .path = "/api/v1/products/demo/sarif", .body_file = "/nonexistent/x.sarif"};
	struct sg_client_response resp;
	struct sg_client c;
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_client_open(&c, "http://127.0.0.1:1", "sgt_x", NULL, &err), 0);
	sg_client_response_init(&resp);
	/* The file is opened before anything is sent. */
	assert_int_equal(sg_client_call(&c, &req, &resp, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	assert_string_equal(err.where, "/nonexistent/x.sarif");
	sg_client_response_release(&resp);
	sg_client_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_escapes_each_segment),
		cmocka_unit_test(test_url_with_query),
		cmocka_unit_test(test_url_too_long),
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_error_answer_known_code),
		cmocka_unit_test(test_error_answer_401_and_suffix),
		cmocka_unit_test(test_error_answer_foreign),
		cmocka_unit_test(test_error_answer_long_message),
		cmocka_unit_test(test_error_answer_alloc_failures),
		cmocka_unit_test(test_open_checks_url),
		cmocka_unit_test(test_open_checks_token),
		cmocka_unit_test(test_open_alloc_failures),
		cmocka_unit_test(test_call_unreachable),
		cmocka_unit_test(test_call_missing_upload),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
