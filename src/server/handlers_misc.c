/* The small routes: health, the OpenAPI document, releases, the SLA report, the audit ledger. */
#include <microhttpd.h>
#include <string.h>

#include "app/audit.h"
#include "app/sla.h"
#include "server/request.h"
#include "util/timeutil.h"

int sg_h_healthz(struct sg_request *req, struct sg_error *err)
{
	struct sg_jw w;

	/* Says only that the process answers: no store, no version, nothing
	 * an unauthenticated client could learn from. */
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "status", "ok");
	sg_jw_object_end(&w);
	return sg_req_json_done(req, &w, err);
}

int sg_h_openapi(struct sg_request *req, struct sg_error *err)
{
	sg_buf_reset(&req->out);
	req->status = MHD_HTTP_OK;
	req->content_type = "application/json";
	if (sg_buf_add(&req->out, sg_openapi_json, sg_openapi_json_len) != 0)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

int sg_h_release_create(struct sg_request *req, struct sg_error *err)
{
	static const char *const keys[] = {"version", "commit", "build_digest", NULL};
	const char *v[3];
	char commit[72];
	struct sg_jw w;
	long long id;
	int rc;

	if ((rc = sg_req_body_fields(req, keys, v, err)))
		return rc;
	if (!v[0] || !v[1])
		return sg_error_set(err, SG_DIAG_USAGE, "a release needs \"version\" and \"commit\"");
	if ((rc = sg_check_commit(v[1], commit, err)) ||
	    (rc = sg_app_release_create(req->app, req->params[0], v[0], commit, v[2], &id, err)))
		return rc;
	sg_req_json(req, &w, MHD_HTTP_CREATED);
	sg_jw_object_begin(&w);
	sg_jw_kv_int(&w, "id", id);
	sg_jw_kv_string(&w, "product", req->params[0]);
	sg_jw_kv_string(&w, "version", v[0]);
	sg_jw_kv_string(&w, "commit", commit);
	sg_jw_kv_string(&w, "build_digest", v[2]);
	sg_jw_object_end(&w);
	return sg_req_json_done(req, &w, err);
}

int sg_h_sla(struct sg_request *req, struct sg_error *err)
{
	struct sg_sla_summary sum;
	struct sg_jw w;
	int rc;

	sg_req_json(req, &w, MHD_HTTP_OK);
	if ((rc = sg_app_sla_json(req->app, req->params[0], &w, &sum, err)))
		return rc;
	return sg_req_json_done(req, &w, err);
}

static int write_event(void *ctx, const struct sg_audit_event *e)
{
	sg_audit_event_json(ctx, e);
	return 0;
}

int sg_h_audit_log(struct sg_request *req, struct sg_error *err)
{
	const char *since = sg_req_query(req, "since");
	time_t from = 0;
	struct sg_jw w;
	int rc;

	if (since && sg_time_parse(since, &from) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not \"%.40s\"",
				    since);
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_jw_array_begin(&w);
	if ((rc = sg_app_audit_log(req->app, from, write_event, &w, err)))
		return rc;
	sg_jw_array_end(&w);
	return sg_req_json_done(req, &w, err);
}

int sg_h_audit_verify(struct sg_request *req, struct sg_error *err)
{
	const char *anchor = sg_req_query(req, "anchor");
	struct sg_audit_verify_report r;
	struct sg_jw w;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = sg_app_audit_verify(req->app, anchor, &r, err)))
		return rc;
	/* 200 either way: the report is the answer, "ok" its verdict. */
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_audit_verify_json(&w, &r, anchor);
	return sg_req_json_done(req, &w, err);
}
