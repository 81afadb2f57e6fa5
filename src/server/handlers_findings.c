/* Findings over HTTP: a product's list (paged), one with its history, a triage. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"
#include "server/request.h"
#include "util/limits.h"

/* page and per_page: positive integers, per_page at most SG_HTTP_MAX_PAGE_SIZE. */
static int query_count(struct sg_request *req, const char *name, long long dflt, long long max, long long *out,
		       struct sg_error *err)
{
	const char *v = sg_req_query(req, name);
	char *end;
	long long n;

	*out = dflt;
	if (!v)
		return 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end || n < 1 || n > max || strspn(v, "0123456789") != strlen(v))
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "%s must be a whole number from 1 to %lld", name, max);
	*out = n;
	return 0;
}

struct page {
	struct sg_jw *w;
	long long skip;     /* findings before this page */
	long long take;     /* this page's size */
	long long seen;
};

static int page_finding(void *ctx, const struct sg_finding *f)
{
	struct page *p = ctx;

	p->seen++;
	if (p->seen > p->skip && p->seen <= p->skip + p->take)
		sg_finding_json(p->w, f);
	return 0;
}

int sg_h_findings_list(struct sg_request *req, struct sg_error *err)
{
	struct sg_findings_query q = {0};
	long long page_no, per_page;
	struct page p;
	struct sg_jw w;
	int rc;

	if ((rc = query_count(req, "page", 1, 1LL << 40, &page_no, err)) ||
	    (rc = query_count(req, "per_page", 100, SG_HTTP_MAX_PAGE_SIZE, &per_page, err)))
		return rc;
	q.product = req->params[0];
	q.status = sg_req_query(req, "status");
	q.severity = sg_req_query(req, "severity");
	if (__builtin_mul_overflow(page_no, per_page, &q.limit))
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "page is too large");
	/* One more than the page: whether a next page exists. */
	q.limit++;
	memset(&p, 0, sizeof(p));
	p.w = &w;
	p.skip = (page_no - 1) * per_page;
	p.take = per_page;
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "product", q.product);
	sg_jw_kv_int(&w, "page", page_no);
	sg_jw_kv_int(&w, "per_page", per_page);
	sg_jw_key(&w, "findings");
	sg_jw_array_begin(&w);
	if ((rc = sg_app_findings_list(req->app, &q, page_finding, &p, err)))
		return rc;
	sg_jw_array_end(&w);
	sg_jw_key(&w, "next_page");
	if (p.seen > p.skip + p.take)
		sg_jw_int(&w, page_no + 1);
	else
		sg_jw_null(&w);
	sg_jw_object_end(&w);
	return sg_req_json_done(req, &w, err);
}

struct shown {
	struct sg_jw *w;
	char product[SG_MAX_NAME_BYTES + 1];
};

static int show_finding(void *ctx, const struct sg_finding *f)
{
	struct shown *s = ctx;

	snprintf(s->product, sizeof(s->product), "%s", f->product ? f->product : "");
	sg_jw_key(s->w, "finding");
	sg_finding_json(s->w, f);
	sg_jw_key(s->w, "events");
	sg_jw_array_begin(s->w);
	return 0;
}

static int show_event(void *ctx, const struct sg_finding_event *e)
{
	struct shown *s = ctx;

	sg_finding_event_json(s->w, e);
	return 0;
}

/* The finding and its history ({"finding":..., "events":[...]}, as
 * `findings show --format json` prints it), once the caller may see it. */
static int show(struct sg_request *req, long long id, unsigned status, struct sg_error *err)
{
	struct shown s;
	struct sg_jw w;
	int rc;

	memset(&s, 0, sizeof(s));
	s.w = &w;
	sg_req_json(req, &w, status);
	sg_jw_object_begin(&w);
	rc = sg_app_finding_show(req->app, id, show_finding, show_event, &s, err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no such finding");
	if (rc)
		return rc;
	if ((rc = sg_req_object_product(req, s.product, "finding", err)))
		return rc;
	sg_jw_array_end(&w);
	sg_jw_object_end(&w);
	return sg_req_json_done(req, &w, err);
}

int sg_h_finding_show(struct sg_request *req, struct sg_error *err)
{
	long long id;
	int rc;

	if ((rc = sg_parse_finding_id(req->params[0], &id, err)))
		return rc == SG_EUSAGE ? sg_error_set(err, SG_DIAG_NOT_FOUND, "no such finding") : rc;
	return show(req, id, MHD_HTTP_OK, err);
}

int sg_h_finding_triage(struct sg_request *req, struct sg_error *err)
{
	static const char *const keys[] = {"status", "reason", NULL};
	const char *v[2];
	long long id;
	int rc;

	if ((rc = sg_parse_finding_id(req->params[0], &id, err)))
		return rc == SG_EUSAGE ? sg_error_set(err, SG_DIAG_NOT_FOUND, "no such finding") : rc;
	/* Whether the caller may see it comes first: 404 before anything else. */
	if ((rc = show(req, id, MHD_HTTP_OK, err)))
		return rc;
	if ((rc = sg_req_body_fields(req, keys, v, err)))
		return rc;
	if ((rc = sg_app_finding_triage(req->app, id, v[0], v[1], err)))
		return rc;
	return show(req, id, MHD_HTTP_OK, err);
}
