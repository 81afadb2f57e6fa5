/*
 * Exceptions over HTTP. The person acting is the token's user: the
 * requester of a request, the approver of an approval (whose signature,
 * made where their private key lives, is all the body carries), the
 * revoker of a revocation. app/exceptions.c applies the role rules.
 */
#include <microhttpd.h>
#include <string.h>

#include "app/exceptions.h"
#include "app/findings.h"
#include "server/request.h"
#include "util/alloc.h"

/* The products a caller sees, read once per listing: a listing's callback
 * runs inside the store's read transaction and cannot ask the store. */
struct visible {
	int all;
	char **names;
	size_t n, cap;
};

static int add_grant(void *ctx, const char *product)
{
	struct visible *v = ctx;
	char **grown;

	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		grown = sg_realloc_array(v->names, cap, sizeof(*grown));
		if (!grown)
			return SG_ENOMEM;
		v->names = grown;
		v->cap = cap;
	}
	if (!(v->names[v->n] = sg_strdup(product)))
		return SG_ENOMEM;
	v->n++;
	return 0;
}

static void visible_free(struct visible *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		sg_free(v->names[i]);
	sg_free(v->names);
}

static int sees(const struct visible *v, const char *product)
{
	size_t i;

	if (v->all || !product)
		return 1;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->names[i], product) == 0)
			return 1;
	return 0;
}

struct listing {
	struct sg_jw *w;
	const struct visible *visible;
};

static int list_one(void *ctx, const struct sg_exception *e, enum sg_exception_status status)
{
	struct listing *l = ctx;

	if (sees(l->visible, e->product))
		sg_exception_json(l->w, e, status);
	return 0;
}

int sg_h_exceptions_list(struct sg_request *req, struct sg_error *err)
{
	const char *product = sg_req_query(req, "product");
	struct visible v = {0};
	struct listing l = {NULL, &v};
	struct sg_jw w;
	int rc;

	if (product && (rc = sg_req_product(req, product, err)))
		return rc;
	v.all = req->caller.role == SG_ROLE_ADMIN || product != NULL;
	if (!v.all && (rc = sg_app_user_grants(req->app, req->caller.name, add_grant, &v, err)))
		goto out;
	l.w = &w;
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_jw_array_begin(&w);
	if ((rc = sg_app_exceptions_list(req->app, sg_req_query(req, "status"), product, list_one, &l, err)))
		goto out;
	sg_jw_array_end(&w);
	rc = sg_req_json_done(req, &w, err);
out:
	visible_free(&v);
	return rc;
}

struct one {
	struct sg_jw *w;
	int found;
	char product[SG_MAX_NAME_BYTES + 1];
	int every_product;
};

static int keep_one(void *ctx, const struct sg_exception *e, enum sg_exception_status status)
{
	struct one *o = ctx;

	o->found = 1;
	o->every_product = e->product == NULL;
	snprintf(o->product, sizeof(o->product), "%s", e->product ? e->product : "");
	if (o->w)
		sg_exception_json(o->w, e, status);
	return 0;
}

/* The exception named in the path, as JSON into req->out, once the caller
 * may see it and the route's role allows. */
static int load(struct sg_request *req, long long *id, struct sg_error *err)
{
	struct one o;
	struct sg_jw w;
	int rc;

	if (sg_parse_exception_id(req->params[0], id, err) != 0)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no such exception");
	memset(&o, 0, sizeof(o));
	o.w = &w;
	sg_req_json(req, &w, MHD_HTTP_OK);
	rc = sg_app_exception_get(req->app, *id, keep_one, &o, err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no such exception");
	if (rc)
		return rc;
	if ((rc = sg_req_object_product(req, o.every_product ? NULL : o.product, "exception", err)))
		return rc;
	return sg_req_json_done(req, &w, err);
}

int sg_h_exception_show(struct sg_request *req, struct sg_error *err)
{
	long long id;

	return load(req, &id, err);
}

int sg_h_exception_payload(struct sg_request *req, struct sg_error *err)
{
	struct sg_buf text;
	long long id;
	int rc;

	if ((rc = load(req, &id, err)))
		return rc;
	sg_buf_init(&text, 1U << 20);
	rc = sg_app_exception_signing_text(req->app, id, &text, err);
	if (!rc) {
		sg_buf_reset(&req->out);
		if (sg_buf_add(&req->out, text.data, text.len) != 0)
			rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		req->content_type = "text/plain; charset=utf-8";
		req->status = MHD_HTTP_OK;
	}
	sg_buf_release(&text);
	return rc;
}

/* `--as NAME` sent by the command line: the token's user, or refused.
 * The server never acts for anyone but the token's user. */
static int check_as(struct sg_request *req, const char *as, struct sg_error *err)
{
	if (as && strcmp(as, req->caller.name) != 0)
		return sg_error_set(err, SG_DIAG_NOT_PERMITTED, "this token acts as \"%s\", not as \"%.80s\"",
				    req->caller.name, as);
	return 0;
}

/* After a change: the exception as it is now. */
static int answer_exception(struct sg_request *req, long long id, unsigned status, struct sg_error *err)
{
	struct one o;
	struct sg_jw w;
	int rc;

	memset(&o, 0, sizeof(o));
	o.w = &w;
	sg_req_json(req, &w, status);
	if ((rc = sg_app_exception_get(req->app, id, keep_one, &o, err)))
		return rc;
	return sg_req_json_done(req, &w, err);
}

static int remember_product(void *ctx, const struct sg_finding *f)
{
	snprintf(ctx, SG_MAX_NAME_BYTES + 1, "%s", f->product ? f->product : "");
	return 0;
}

static int no_event(void *ctx, const struct sg_finding_event *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

/* The finding an exception would name must be one the caller sees: else
 * 404, as for any other finding, and nothing of its product is told. */
static int finding_visible(struct sg_request *req, const char *finding, struct sg_error *err)
{
	char product[SG_MAX_NAME_BYTES + 1] = "";
	long long id;
	int rc;

	if (sg_parse_finding_id(finding, &id, err) != 0)
		return err->code; /* the app says the same of it */
	rc = sg_app_finding_show(req->app, id, remember_product, no_event, product, err);
	if (rc == SG_ENOTFOUND || (!rc && !product[0]))
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no such finding");
	if (rc)
		return rc;
	return sg_req_object_product(req, product, "finding", err);
}

int sg_h_exception_request(struct sg_request *req, struct sg_error *err)
{
	static const char *const keys[] = {"finding", "rule", "component", "product", "all_products",
					   "reason", "expires", "as", NULL};
	struct sg_exception_params p = {0};
	const char *v[8];
	long long id;
	int rc;

	if ((rc = sg_req_body_fields(req, keys, v, err)) || (rc = check_as(req, v[7], err)))
		return rc;
	p.finding = v[0];
	p.rule = v[1];
	p.component = v[2];
	p.product = v[3];
	p.all_products = v[4] != NULL;
	p.reason = v[5];
	p.expires = v[6];
	p.as = req->caller.name;
	/* A product the caller does not see is not there, nor a finding of
	 * one; an exception for every product reaches products only an admin
	 * sees. */
	if (p.product && (rc = sg_req_product(req, p.product, err)))
		return rc;
	if (p.finding && (rc = finding_visible(req, p.finding, err)))
		return rc;
	if (p.all_products && req->caller.role != SG_ROLE_ADMIN)
		return sg_error_set(err, SG_DIAG_NOT_PERMITTED,
				    "only an admin may request an exception for every product over the API");
	if ((rc = sg_app_exception_request(req->app, &p, &id, err)))
		return rc;
	return answer_exception(req, id, MHD_HTTP_CREATED, err);
}

int sg_h_exception_approve(struct sg_request *req, struct sg_error *err)
{
	static const char *const keys[] = {"signature", "as", NULL};
	struct sg_signature sig;
	const char *v[2];
	long long id;
	int rc;

	if ((rc = load(req, &id, err)) || (rc = sg_req_body_fields(req, keys, v, err)) ||
	    (rc = check_as(req, v[1], err)))
		return rc;
	if (!v[0])
		return sg_error_set(err, SG_DIAG_USAGE, "the body needs \"signature\": the text `shipgate key sign` wrote");
	if ((rc = sg_signature_parse(v[0], strlen(v[0]), &sig, err)) ||
	    (rc = sg_app_exception_approve(req->app, id, req->caller.name, &sig, err)))
		return rc;
	return answer_exception(req, id, MHD_HTTP_OK, err);
}

int sg_h_exception_revoke(struct sg_request *req, struct sg_error *err)
{
	static const char *const keys[] = {"reason", "as", NULL};
	const char *v[2];
	long long id;
	int rc;

	if ((rc = load(req, &id, err)) || (rc = sg_req_body_fields(req, keys, v, err)) ||
	    (rc = check_as(req, v[1], err)) || (rc = sg_app_exception_revoke(req->app, id, req->caller.name, v[0], err)))
		return rc;
	return answer_exception(req, id, MHD_HTTP_OK, err);
}
