/*
 * Fuzz target: what the API server reads from a request before any handler
 * runs: the path against the route table (percent-decoding included), the
 * small JSON bodies (sg_req_body_fields), a bearer token's shape, and
 * --listen. The first byte picks which; the rest is the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "evidence/token.h"
#include "server/request.h"
#include "util/alloc.h"

static void fuzz_route(const char *text)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
	char params[SG_ROUTE_MAX_PARAMS][256];
	const struct sg_route *r;
	const char *allow;
	size_t i, k;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		r = sg_route_match(methods[i], text, params, &allow);
		if (r && (strcmp(r->method, methods[i]) != 0 || !allow))
			abort();
		/* A matched route's parameters are decoded, bounded, without '/' or NUL. */
		for (k = 0; r && k < SG_ROUTE_MAX_PARAMS && strchr(r->pattern, '{'); k++)
			if (strlen(params[k]) > 255)
				abort();
	}
}

static void fuzz_body(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"finding", "rule", "component", "product", "all_products",
					   "reason", "expires", NULL};
	struct sg_request req;
	const char *values[7];
	struct sg_error err;
	size_t i;

	memset(&req, 0, sizeof(req));
	sg_buf_init(&req.body, SG_HTTP_MAX_JSON_BODY_BYTES);
	if (sg_buf_add(&req.body, data, size) == 0) {
		sg_error_clear(&err);
		if (sg_req_body_fields(&req, keys, values, &err) == 0) {
			for (i = 0; i < 7; i++)
				if (values[i] && strlen(values[i]) > size)
					abort();
		} else if (err.diag == SG_DIAG_NONE) {
			abort(); /* a refusal must say why */
		}
	}
	for (i = 0; i < SG_REQ_MAX_FIELDS; i++)
		sg_free(req.body_fields[i]);
	sg_buf_release(&req.body);
}

static void fuzz_listen(const char *text)
{
	struct sockaddr_storage addr;
	struct sg_error err;
	unsigned len;
	int loopback;

	sg_error_clear(&err);
	if (sg_server_parse_listen(text, &addr, &len, &loopback, &err) != 0 && err.diag == SG_DIAG_NONE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_route(text);
		break;
	case 1:
		fuzz_body(data + 1, size - 1);
		break;
	case 2:
		if (sg_token_check(text) == 0 && strncmp(text, "sgt_", 4) != 0)
			abort();
		break;
	default:
		fuzz_listen(text);
		break;
	}
	free(text);
	return 0;
}
