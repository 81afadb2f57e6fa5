/*
 * server/: the pure parts of the HTTP API: route matching (path parameters,
 * percent-decoding, 405 against 404), --listen parsing and the loopback
 * rule, the per-token rate limiter, the gate cache's validity rules and the
 * status of each diagnostic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "server/request.h"
#include "util/limits.h"

static void test_route_match(void **state)
{
	char params[SG_ROUTE_MAX_PARAMS][256];
	const struct sg_route *r;
	const char *known;

	(void)state;
	r = sg_route_match("GET", "/api/v1/products/web/gate", params, &known);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/products/{product}/gate");
	assert_string_equal(params[0], "web");
	assert_int_equal(r->least, SG_ACCESS_READ);

	/* Percent-encoded characters are decoded into the parameter. */
	r = sg_route_match("GET", "/api/v1/products/my%20app/findings", params, &known);
	assert_non_null(r);
	assert_string_equal(params[0], "my app");

	/* An encoded "/" is part of the name, not a path separator. */
	r = sg_route_match("GET", "/api/v1/products/team%2Fweb/gate", params, &known);
	assert_non_null(r);
	assert_string_equal(params[0], "team/web");
	/* An encoded NUL, a bad escape, an empty segment: no match. */
	assert_null(sg_route_match("GET", "/api/v1/products/a%00b/x", params, &known));
	assert_null(known);
	assert_null(sg_route_match("GET", "/api/v1/products/a%00b/gate", params, &known));
	assert_null(sg_route_match("GET", "/api/v1/products/a%2/gate", params, &known));
	assert_null(sg_route_match("GET", "/api/v1/products/a%zzb/gate", params, &known));
	assert_null(sg_route_match("GET", "/api/v1/products//gate", params, &known));

	/* Two parameters' worth of path, trailing slashes, prefixes. */
	assert_null(sg_route_match("GET", "/api/v1/products/web/gate/", params, &known));
	assert_null(sg_route_match("GET", "/api/v1/products/web", params, &known));
	assert_null(sg_route_match("GET", "/api/v1/products/web/gate/x", params, &known));

	/* A known path with another method: 405, not 404. */
	assert_null(sg_route_match("DELETE", "/api/v1/findings/12", params, &known));
	assert_string_equal(known, "GET");
	assert_null(sg_route_match("POST", "/healthz", params, &known));
	assert_string_equal(known, "GET");
	assert_null(sg_route_match("PUT", "/api/v1/exceptions", params, &known));
	assert_string_equal(known, "GET, POST");
	assert_null(sg_route_match("GET", "/api/v1/findings/12/triage", params, &known));
	assert_string_equal(known, "POST");
	r = sg_route_match("POST", "/api/v1/findings/12/triage", params, &known);
	assert_non_null(r);
	assert_string_equal(params[0], "12");
	assert_int_equal(r->body, SG_BODY_JSON);
	assert_int_equal(r->writes, 1);

	/* The exceptions collection and one exception are different routes. */
	r = sg_route_match("POST", "/api/v1/exceptions", params, &known);
	assert_non_null(r);
	assert_int_equal(r->least, SG_ACCESS_WRITE);
	r = sg_route_match("GET", "/api/v1/exceptions/7/payload", params, &known);
	assert_non_null(r);
	assert_string_equal(params[0], "7");

	/* A segment longer than 255 bytes does not match. */
	{
		char path[600];
		memset(path, 0, sizeof(path));
		strcpy(path, "/api/v1/products/");
		memset(path + strlen(path), 'a', 300);
		strcat(path, "/gate");
		assert_null(sg_route_match("GET", path, params, &known));
	}
}

static void test_route_table(void **state)
{
	const struct sg_route *routes;
	size_t n, i, j;

	(void)state;
	routes = sg_server_routes(&n);
	assert_true(n >= 18);
	for (i = 0; i < n; i++) {
		/* Writes are POSTs; uploads are writes; every route has a handler. */
		assert_non_null(routes[i].fn);
		if (routes[i].writes)
			assert_string_equal(routes[i].method, "POST");
		if (routes[i].body == SG_BODY_UPLOAD)
			assert_true(routes[i].writes && routes[i].upload != 0);
		/* Only the two documented routes are public. */
		if (routes[i].least == SG_ACCESS_PUBLIC)
			assert_true(strcmp(routes[i].pattern, "/healthz") == 0 ||
				    strcmp(routes[i].pattern, "/api/v1/openapi.json") == 0);
		for (j = 0; j < i; j++)
			assert_false(strcmp(routes[i].method, routes[j].method) == 0 &&
				     strcmp(routes[i].pattern, routes[j].pattern) == 0);
	}
}

static void test_listen(void **state)
{
	struct sockaddr_storage addr;
	struct sg_error err;
	unsigned len;
	int loopback;

	(void)state;
	assert_int_equal(sg_server_parse_listen("127.0.0.1:8080", &addr, &len, &loopback, &err), 0);
	assert_int_equal(addr.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&addr)->sin_port), 8080);
	assert_int_equal(loopback, 1);
	assert_int_equal(sg_server_parse_listen("127.8.9.10:0", &addr, &len, &loopback, &err), 0);
	assert_int_equal(loopback, 1);
	assert_int_equal(sg_server_parse_listen("0.0.0.0:8080", &addr, &len, &loopback, &err), 0);
	assert_int_equal(loopback, 0);
	assert_int_equal(sg_server_parse_listen("10.1.2.3:443", &addr, &len, &loopback, &err), 0);
	assert_int_equal(loopback, 0);
	assert_int_equal(sg_server_parse_listen("[::1]:8080", &addr, &len, &loopback, &err), 0);
	assert_int_equal(addr.ss_family, AF_INET6);
	assert_int_equal(loopback, 1);
	assert_int_equal(sg_server_parse_listen("[::]:8080", &addr, &len, &loopback, &err), 0);
	assert_int_equal(loopback, 0);

	assert_int_equal(sg_server_parse_listen("localhost:8080", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(err.diag, SG_DIAG_BAD_VALUE);
	assert_int_equal(sg_server_parse_listen("127.0.0.1", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("127.0.0.1:65536", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("127.0.0.1:-1", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("127.0.0.1:", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("[::1:8080", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("::1:8080", &addr, &len, &loopback, &err), SG_EUSAGE);
	assert_int_equal(sg_server_parse_listen("", &addr, &len, &loopback, &err), SG_EUSAGE);
}

static void test_rate_limiter(void **state)
{
	struct sg_rate_limiter *l = sg_rate_limiter_new(10);
	struct timespec t = {1000, 0};
	int i, allowed = 0;
	unsigned wait = 0;

	(void)state;
	assert_non_null(l);
	/* A full bucket: SG_HTTP_RATE_BURST_SECONDS seconds' worth at once. */
	for (i = 0; i < 100; i++) {
		wait = sg_rate_limiter_take(l, 7, &t);
		if (wait == 0)
			allowed++;
	}
	assert_int_equal(allowed, 10 * SG_HTTP_RATE_BURST_SECONDS);
	assert_true(wait >= 1);
	/* Another token has its own bucket. */
	assert_int_equal(sg_rate_limiter_take(l, 8, &t), 0);
	/* A second later, ten more. */
	t.tv_sec++;
	allowed = 0;
	for (i = 0; i < 100; i++)
		if (sg_rate_limiter_take(l, 7, &t) == 0)
			allowed++;
	assert_int_equal(allowed, 10);
	/* A clock that goes back adds nothing and breaks nothing. */
	t.tv_sec -= 5;
	assert_true(sg_rate_limiter_take(l, 7, &t) >= 1);
	sg_rate_limiter_free(l);

	/* 0: no limit. */
	l = sg_rate_limiter_new(0);
	for (i = 0; i < 10000; i++)
		assert_int_equal(sg_rate_limiter_take(l, 1, &t), 0);
	sg_rate_limiter_free(l);

	/* Many tokens: the table starts over rather than fill up or refuse. */
	l = sg_rate_limiter_new(1);
	for (i = 1; i <= 20000; i++)
		assert_int_equal(sg_rate_limiter_take(l, i, &t), 0);
	sg_rate_limiter_free(l);
}

static void test_gate_cache(void **state)
{
	struct sg_gate_cache *c = sg_gate_cache_new();
	struct timespec t = {50, 0};
	struct sg_buf out;
	int i;

	(void)state;
	sg_buf_init(&out, 1 << 20);
	assert_false(sg_gate_cache_get(c, "web", "", 5, &t, &out));
	sg_gate_cache_put(c, "web", "", 5, &t, "{\"verdict\":\"pass\"}", 18);
	assert_true(sg_gate_cache_get(c, "web", "", 5, &t, &out));
	assert_string_equal(out.data, "{\"verdict\":\"pass\"}");
	/* Another release, product or ledger head: not this answer. */
	assert_false(sg_gate_cache_get(c, "web", "1.0", 5, &t, &out));
	assert_false(sg_gate_cache_get(c, "api", "", 5, &t, &out));
	assert_false(sg_gate_cache_get(c, "web", "", 6, &t, &out));
	/* Older than a second: computed again. */
	t.tv_nsec = 999000000;
	assert_true(sg_gate_cache_get(c, "web", "", 5, &t, &out));
	t.tv_sec++;
	assert_false(sg_gate_cache_get(c, "web", "", 5, &t, &out));
	/* A newer answer replaces the old one in place. */
	sg_gate_cache_put(c, "web", "", 6, &t, "{\"verdict\":\"block\"}", 19);
	assert_true(sg_gate_cache_get(c, "web", "", 6, &t, &out));
	assert_string_equal(out.data, "{\"verdict\":\"block\"}");
	/* More products than slots: the oldest go, nothing breaks. */
	for (i = 0; i < 200; i++) {
		char name[32];
		snprintf(name, sizeof(name), "p%d", i);
		sg_gate_cache_put(c, name, "", 6, &t, "{}", 2);
	}
	assert_true(sg_gate_cache_get(c, "p199", "", 6, &t, &out));
	assert_false(sg_gate_cache_get(c, "p0", "", 6, &t, &out));
	sg_buf_release(&out);
	sg_gate_cache_free(c);
}

static void test_status_for(void **state)
{
	static const struct {
		enum sg_diag diag;
		unsigned status;
	} cases[] = {
		{SG_DIAG_UNAUTHENTICATED, 401}, {SG_DIAG_RATE_LIMITED, 429}, {SG_DIAG_NOT_PERMITTED, 403},
		{SG_DIAG_APPROVAL_REFUSED, 403}, {SG_DIAG_NOT_FOUND, 404},     {SG_DIAG_CONFLICT, 409},
		{SG_DIAG_LIMIT_EXCEEDED, 413},   {SG_DIAG_UNAVAILABLE, 503},   {SG_DIAG_AUDIT_BROKEN, 503},
		{SG_DIAG_USAGE, 400},            {SG_DIAG_BAD_VALUE, 400},     {SG_DIAG_JSON_SYNTAX, 400},
		{SG_DIAG_SARIF_INVALID, 400},    {SG_DIAG_STORE_FAILED, 503},  {SG_DIAG_NO_MEMORY, 503},
		{SG_DIAG_INTERNAL, 500},
	};
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sg_error_clear(&err);
		sg_error_set(&err, cases[i].diag, "x");
		assert_int_equal(sg_http_status_for(&err), cases[i].status);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_match), cmocka_unit_test(test_route_table),
		cmocka_unit_test(test_listen),      cmocka_unit_test(test_rate_limiter),
		cmocka_unit_test(test_gate_cache),  cmocka_unit_test(test_status_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
