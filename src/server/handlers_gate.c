/*
 * GET .../gate: the gate's report, the same JSON as `shipgate gate --format
 * json`, HTTP 200 whether the verdict is pass or block (the verdict is the
 * answer; an error status would mean the question could not be answered).
 * Answers are kept in the gate cache (gate_cache.c) while the store's audit
 * head is unchanged.
 */
#include <microhttpd.h>
#include <string.h>

#include "app/gate.h"
#include "server/request.h"

static int audit_head_seq(struct sg_app *app, long long *seq, struct sg_error *err)
{
	unsigned char hash[SG_DIGEST_BYTES];
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_store_audit_head(store, seq, hash, err);
	sg_store_rollback(store);
	return rc;
}

/* The answer computed, into req->out. */
static int compute(struct sg_request *req, const char *release, struct sg_error *err)
{
	struct sg_gate_report report;
	struct sg_jw w;
	int rc;

	memset(&report, 0, sizeof(report));
	rc = sg_app_gate(req->app, req->params[0], release, &report, err);
	if (rc && rc != SG_EPOLICY) {
		sg_gate_report_release(&report);
		return rc;
	}
	sg_req_json(req, &w, MHD_HTTP_OK);
	sg_gate_json(&w, &report);
	sg_gate_report_release(&report);
	return sg_req_json_done(req, &w, err);
}

static int cached(struct sg_request *req, const char *release, long long seq)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!sg_gate_cache_get(req->server->gate_cache, req->params[0], release, seq, &now, &req->out))
		return 0;
	req->status = MHD_HTTP_OK;
	req->content_type = "application/json";
	return 1;
}

int sg_h_gate(struct sg_request *req, struct sg_error *err)
{
	const char *release = sg_req_query(req, "release");
	struct sg_gate_cache *cache = req->server->gate_cache;
	struct timespec now;
	long long seq = 0;
	int rc;

	if ((rc = audit_head_seq(req->app, &seq, err)))
		return rc;
	if (cached(req, release ? release : "", seq))
		return 0;
	sg_gate_cache_compute_lock(cache, req->params[0]);
	/* Another request may have computed it while this one waited. */
	if (cached(req, release ? release : "", seq)) {
		sg_gate_cache_compute_unlock(cache, req->params[0]);
		return 0;
	}
	/* The head was read first, the answer computed after: the answer is
	 * at least as new as the head it is kept under. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	rc = compute(req, release, err);
	if (!rc)
		sg_gate_cache_put(cache, req->params[0], release ? release : "", seq, &now, req->out.data, req->out.len);
	sg_gate_cache_compute_unlock(cache, req->params[0]);
	return rc;
}
