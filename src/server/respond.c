/*
 * Answers: JSON bodies, the status for each diagnostic, and the error shape
 * {"error":{"code","message"}} (docs/api.md). A store or internal failure
 * is answered with a fixed message: its details (a file name, SQLite's
 * words) go to the server's log only.
 */
#include <microhttpd.h>
#include <string.h>

#include "server/request.h"
#include "util/alloc.h"
#include "util/json_reader.h"
#include "util/limits.h"

const char *sg_req_query(struct sg_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void sg_req_json(struct sg_request *req, struct sg_jw *w, unsigned status)
{
	sg_buf_reset(&req->out);
	req->status = status;
	req->content_type = "application/json";
	sg_jw_init_buf(w, &req->out, 0);
}

int sg_req_json_done(struct sg_request *req, struct sg_jw *w, struct sg_error *err)
{
	if (sg_jw_finish(w) != 0 || sg_buf_error(&req->out))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory writing the answer");
	return 0;
}

unsigned sg_http_status_for(const struct sg_error *err)
{
	switch (err->diag) {
	case SG_DIAG_UNAUTHENTICATED:
		return MHD_HTTP_UNAUTHORIZED;
	case SG_DIAG_RATE_LIMITED:
		return MHD_HTTP_TOO_MANY_REQUESTS;
	case SG_DIAG_NOT_PERMITTED:
	case SG_DIAG_APPROVAL_REFUSED:
		return MHD_HTTP_FORBIDDEN;
	case SG_DIAG_LIMIT_EXCEEDED:
		return MHD_HTTP_CONTENT_TOO_LARGE;
	case SG_DIAG_NOT_FOUND:
		return MHD_HTTP_NOT_FOUND;
	case SG_DIAG_CONFLICT:
		return MHD_HTTP_CONFLICT;
	case SG_DIAG_UNAVAILABLE:
	case SG_DIAG_AUDIT_BROKEN:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	default:
		break;
	}
	switch (err->code) {
	case SG_EUSAGE:
	case SG_EINPUT:
	case SG_EIO:
		return MHD_HTTP_BAD_REQUEST;
	case SG_ENOTFOUND:
		return MHD_HTTP_NOT_FOUND;
	case SG_ECONFLICT:
		return MHD_HTTP_CONFLICT;
	case SG_EPOLICY:
		return MHD_HTTP_FORBIDDEN;
	case SG_ESTORE:
	case SG_ENOMEM:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	default:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

void sg_req_fail(struct sg_request *req, unsigned status, enum sg_diag diag, const char *message)
{
	struct sg_jw w;

	sg_req_json(req, &w, status);
	req->error_code = sg_diag_id(diag);
	sg_jw_object_begin(&w);
	sg_jw_key(&w, "error");
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "code", sg_diag_id(diag));
	sg_jw_kv_string(&w, "message", message);
	sg_jw_object_end(&w);
	sg_jw_object_end(&w);
	if (sg_jw_finish(&w) != 0 || sg_buf_error(&req->out)) {
		/* Out of memory: a fixed answer that needs none. */
		sg_buf_reset(&req->out);
		req->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	}
}

void sg_req_error(struct sg_request *req, const struct sg_error *err)
{
	unsigned status = sg_http_status_for(err);
	char message[900];

	if (status >= 500 && err->diag != SG_DIAG_AUDIT_BROKEN && err->diag != SG_DIAG_UNAVAILABLE) {
		/* The details may name files or say what SQLite said: they are
		 * for the operator, in the log line of this request. */
		sg_req_fail(req, status, status == MHD_HTTP_SERVICE_UNAVAILABLE ? SG_DIAG_UNAVAILABLE : SG_DIAG_INTERNAL,
			    status == MHD_HTTP_SERVICE_UNAVAILABLE
				    ? "the store cannot be used now; try again (the server's log says why)"
				    : "an internal error; the server's log says more");
		return;
	}
	sg_error_describe(err, message, sizeof(message));
	sg_req_fail(req, status, err->diag, message);
}

/* ---- small JSON bodies ---- */

struct fields {
	const char *const *keys;
	const char **values;
	char **owned;
	size_t n_keys;
};

static int on_field(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct fields *f = ctx;
	size_t i;
	int depth = sg_json_depth(r);

	if (depth == 0) {
		if (ev->type != SG_JSON_OBJECT_START && ev->type != SG_JSON_OBJECT_END)
			return sg_json_fail(r, SG_DIAG_BAD_VALUE, "the body must be a JSON object");
		return 0;
	}
	if (depth > 1 || ev->type == SG_JSON_OBJECT_START || ev->type == SG_JSON_ARRAY_START)
		return sg_json_fail(r, SG_DIAG_BAD_VALUE, "member \"%.60s\" must be a string",
				    sg_json_key(r, 0) ? sg_json_key(r, 0) : "");
	for (i = 0; i < f->n_keys; i++)
		if (strcmp(f->keys[i], sg_json_key(r, 0)) == 0)
			break;
	if (i == f->n_keys)
		return sg_json_fail(r, SG_DIAG_BAD_VALUE, "unknown member \"%.60s\"", sg_json_key(r, 0));
	if (f->values[i])
		return sg_json_fail(r, SG_DIAG_BAD_VALUE, "member \"%.60s\" is given twice", f->keys[i]);
	if (ev->type == SG_JSON_TRUE) {
		f->values[i] = "true";
		return 0;
	}
	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_BAD_VALUE, "member \"%.60s\" must be a string", f->keys[i]);
	if (memchr(ev->text, '\0', ev->len))
		return sg_json_fail(r, SG_DIAG_BAD_VALUE, "member \"%.60s\" holds a NUL character", f->keys[i]);
	f->owned[i] = sg_strndup(ev->text, ev->len);
	if (!f->owned[i])
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	f->values[i] = f->owned[i];
	return 0;
}

int sg_req_body_fields(struct sg_request *req, const char *const *keys, const char **values, struct sg_error *err)
{
	struct sg_json_mem m = {req->body.data, req->body.len, 0};
	struct sg_json_source src = {sg_json_mem_read, &m};
	struct fields f = {keys, values, req->body_fields, 0};
	size_t i;

	while (keys[f.n_keys])
		f.n_keys++;
	if (f.n_keys > SG_REQ_MAX_FIELDS)
		return sg_error_set(err, SG_DIAG_INTERNAL, "too many body members for one route");
	for (i = 0; i < f.n_keys; i++)
		values[i] = NULL;
	if (req->body.len == 0)
		return sg_error_set(err, SG_DIAG_USAGE, "the request needs a JSON body");
	/* The copies live in the request (req->body_fields), freed with it. */
	return sg_json_parse(&src, "the request body", on_field, &f, err);
}
