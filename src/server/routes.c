/*
 * The route table: every path the server answers, with who may call it and
 * how it takes its body. docs/openapi.json describes exactly these routes
 * (tests/unit/test_openapi_routes.c holds the two to each other), and the
 * authorisation test is generated from the `least` column (the least role).
 */
#include <string.h>

#include "server/request.h"
#include "util/hash.h"

static const struct sg_route routes[] = {
	{"GET", "/healthz", SG_ACCESS_PUBLIC, SG_BODY_NONE, 0, 0, sg_h_healthz},
	{"GET", "/api/v1/openapi.json", SG_ACCESS_PUBLIC, SG_BODY_NONE, 0, 0, sg_h_openapi},
	{"POST", "/api/v1/products/{product}/sarif", SG_ACCESS_WRITE, SG_BODY_UPLOAD, SG_UPLOAD_SARIF, 1, sg_h_ingest},
	{"POST", "/api/v1/products/{product}/sbom", SG_ACCESS_WRITE, SG_BODY_UPLOAD, SG_UPLOAD_SBOM, 1, sg_h_ingest},
	{"GET", "/api/v1/products/{product}/findings", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_findings_list},
	{"GET", "/api/v1/findings/{id}", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_finding_show},
	{"POST", "/api/v1/findings/{id}/triage", SG_ACCESS_TRIAGE, SG_BODY_JSON, 0, 1, sg_h_finding_triage},
	{"POST", "/api/v1/products/{product}/releases", SG_ACCESS_WRITE, SG_BODY_JSON, 0, 1, sg_h_release_create},
	{"GET", "/api/v1/products/{product}/gate", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_gate},
	{"GET", "/api/v1/products/{product}/sla", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_sla},
	{"GET", "/api/v1/exceptions", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_exceptions_list},
	{"POST", "/api/v1/exceptions", SG_ACCESS_WRITE, SG_BODY_JSON, 0, 1, sg_h_exception_request},
	{"GET", "/api/v1/exceptions/{id}", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_exception_show},
	{"GET", "/api/v1/exceptions/{id}/payload", SG_ACCESS_READ, SG_BODY_NONE, 0, 0, sg_h_exception_payload},
	{"POST", "/api/v1/exceptions/{id}/approve", SG_ACCESS_WRITE, SG_BODY_JSON, 0, 1, sg_h_exception_approve},
	{"POST", "/api/v1/exceptions/{id}/revoke", SG_ACCESS_WRITE, SG_BODY_JSON, 0, 1, sg_h_exception_revoke},
	{"GET", "/api/v1/audit", SG_ACCESS_ADMIN, SG_BODY_NONE, 0, 0, sg_h_audit_log},
	{"GET", "/api/v1/audit/verify", SG_ACCESS_ADMIN, SG_BODY_NONE, 0, 0, sg_h_audit_verify},
};

const struct sg_route *sg_server_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

/* Percent-decode one path segment into out. The path was split on its
 * raw "/"s, so a decoded "/" is part of the name (product names may hold
 * one: "team/web"); a decoded NUL, or a segment too long, does not match. */
static int decode_segment(const char *seg, size_t len, char out[256])
{
	size_t i, o = 0;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)seg[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return -1;
			hi = sg_hex_value(seg[i + 1]);
			lo = sg_hex_value(seg[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
			if (c == 0)
				return -1;
		}
		if (o >= 255)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* Does path match pattern? Fills params in order. */
static int path_matches(const char *pattern, const char *path, char params[SG_ROUTE_MAX_PARAMS][256])
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t len = strcspn(s, "/");
			if (!pe || n >= SG_ROUTE_MAX_PARAMS || decode_segment(s, len, params[n]) != 0)
				return 0;
			n++;
			p = pe + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

const struct sg_route *sg_route_match(const char *method, const char *path,
				      char params[SG_ROUTE_MAX_PARAMS][256], const char **allow)
{
	const struct sg_route *found = NULL;
	int get = 0, post = 0;
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_matches(routes[i].pattern, path, params))
			continue;
		if (strcmp(routes[i].method, method) == 0 && !found)
			found = &routes[i];
		if (strcmp(routes[i].method, "GET") == 0)
			get = 1;
		else
			post = 1;
	}
	*allow = get && post ? "GET, POST" : get ? "GET" : post ? "POST" : NULL;
	if (found) /* the params of the route found, not of a later one */
		(void)path_matches(found->pattern, path, params);
	return found;
}
