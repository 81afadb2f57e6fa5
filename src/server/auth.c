/*
 * Who is asking, and may they: the bearer token, the per-token rate limit,
 * the product in the path, and the route's least role (docs/api.md).
 *
 * A product the caller may not see answers exactly as one that does not
 * exist (404, the store's own "no product" message), and that is decided
 * before the role: a viewer learns nothing about a foreign product by
 * trying a write on it.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server/request.h"
#include "util/timeutil.h"

static int role_allows(enum sg_access least, enum sg_role role)
{
	switch (least) {
	case SG_ACCESS_PUBLIC:
	case SG_ACCESS_READ:
		return 1;
	case SG_ACCESS_WRITE:
		return role >= SG_ROLE_DEVELOPER;
	case SG_ACCESS_TRIAGE:
		return role >= SG_ROLE_SECURITY;
	case SG_ACCESS_ADMIN:
		return role == SG_ROLE_ADMIN;
	}
	return 0;
}

static int check_role(struct sg_request *req, struct sg_error *err)
{
	if (role_allows(req->route->least, req->caller.role))
		return 0;
	return sg_error_set(err, SG_DIAG_NOT_PERMITTED, "the role %s may not do this (%s %s)",
			    sg_role_name(req->caller.role), req->route->method, req->route->pattern);
}

int sg_req_product(struct sg_request *req, const char *product, struct sg_error *err)
{
	int sees = 0, rc;

	if ((rc = sg_app_caller_sees_product(req->app, &req->caller, product, &sees, err)))
		return rc;
	if (!sees)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", product);
	return 0;
}

int sg_req_object_product(struct sg_request *req, const char *product, const char *what, struct sg_error *err)
{
	int sees = 0, rc;

	if (product) {
		if ((rc = sg_app_caller_sees_product(req->app, &req->caller, product, &sees, err)))
			return rc;
		if (!sees)
			return sg_error_set(err, SG_DIAG_NOT_FOUND, "no such %s", what);
	}
	return check_role(req, err);
}

int sg_req_authorize(struct sg_request *req, struct sg_error *err)
{
	const char *header = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	struct timespec now;
	unsigned wait;
	int rc;

	if (!header || strncasecmp(header, "Bearer ", 7) != 0) {
		sg_req_fail(req, MHD_HTTP_UNAUTHORIZED, SG_DIAG_UNAUTHENTICATED,
			    "this route needs a token: Authorization: Bearer TOKEN");
		return SG_EUSAGE;
	}
	header += 7;
	while (*header == ' ')
		header++;
	req->app = sg_app_pool_take(req->server->pool);
	if (!req->app) {
		sg_req_fail(req, MHD_HTTP_SERVICE_UNAVAILABLE, SG_DIAG_UNAVAILABLE, "the store cannot be opened now");
		return SG_ESTORE;
	}
	rc = sg_app_authenticate(req->app, header, sg_now(), &req->caller, err);
	if (rc) {
		sg_req_error(req, err);
		return rc;
	}
	req->authenticated = 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wait = sg_rate_limiter_take(req->server->limiter, req->caller.token_id, &now);
	if (wait) {
		req->retry_after = wait;
		sg_req_fail(req, MHD_HTTP_TOO_MANY_REQUESTS, SG_DIAG_RATE_LIMITED,
			    "too many requests for this token; try again after Retry-After seconds");
		return SG_EUSAGE;
	}
	/* Routes naming an object by id decide once they know its product. */
	if (strstr(req->route->pattern, "{id}"))
		return 0;
	if (strstr(req->route->pattern, "{product}") && (rc = sg_req_product(req, req->params[0], err))) {
		sg_req_error(req, err);
		return rc;
	}
	if ((rc = check_role(req, err))) {
		sg_req_error(req, err);
		return rc;
	}
	return 0;
}
