#include "app/findings.h"

#include "app/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lifecycle.h"
#include "util/limits.h"
#include "util/timeutil.h"

int sg_parse_finding_id(const char *text, long long *id, struct sg_error *err)
{
	char *end;
	long long v;

	errno = 0;
	v = text ? strtoll(text, &end, 10) : 0;
	if (!text || !*text || errno || *end || v <= 0)
		return sg_error_set(err, SG_DIAG_USAGE, "finding id \"%.40s\" is not a positive integer",
				    text ? text : "");
	*id = v;
	return 0;
}

int sg_app_findings_list(struct sg_app *app, const struct sg_findings_query *q, sg_finding_cb cb,
			 void *ctx, struct sg_error *err)
{
	struct sg_finding_filter filter;
	struct sg_store *store;
	int rc;

	memset(&filter, 0, sizeof(filter));
	if ((rc = sg_check_name(q->product, "--product", err)))
		return rc;
	if (!q->status || strcmp(q->status, "open") == 0)
		filter.status = SG_STATUS_OPEN;
	else if (strcmp(q->status, "all") == 0)
		filter.any_status = 1;
	else if (sg_status_parse(q->status, &filter.status) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--status must be open, fixed, false_positive or all, not \"%.40s\"", q->status);
	if (q->severity && sg_severity_parse(q->severity, &filter.min_severity) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--severity must be critical, high, medium, low or info, not \"%.40s\"",
				    q->severity);
	filter.limit = q->limit;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	if ((rc = sg_store_product_find(store, q->product, &filter.product_id, err)) ||
	    (rc = sg_app_begin_synced(app, store, filter.product_id, q->product, err)))
		return rc;
	rc = sg_store_findings_list(store, &filter, cb, ctx, err);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_finding_show(struct sg_app *app, long long id, sg_finding_cb cb, sg_event_cb event_cb,
			void *ctx, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	rc = sg_store_finding_get(store, id, cb, ctx, err);
	if (!rc)
		rc = sg_store_finding_events(store, id, event_cb, ctx, err);
	return rc;
}

struct current_status {
	enum sg_finding_status status;
	long long product_id;
	char product[SG_MAX_NAME_BYTES + 1];
};

static int remember_status(void *ctx, const struct sg_finding *f)
{
	struct current_status *c = ctx;

	c->status = f->status;
	snprintf(c->product, sizeof(c->product), "%s", f->product ? f->product : "");
	return 0;
}

int sg_app_finding_triage(struct sg_app *app, long long id, const char *status, const char *reason,
			  struct sg_error *err)
{
	struct current_status current;
	struct sg_transition t;
	enum sg_finding_status wanted;
	struct sg_store *store;
	int rc;

	if (!status || sg_status_parse(status, &wanted) != 0 || wanted == SG_STATUS_FIXED)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--status must be false_positive or open (scans decide \"fixed\"), not \"%.40s\"",
				    status ? status : "");
	if (!reason || !*reason)
		return sg_error_set(err, SG_DIAG_USAGE, "--reason is required: say why, for the record");
	if (strlen(reason) > SG_MAX_REASON_BYTES)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--reason is longer than %d bytes",
				    SG_MAX_REASON_BYTES);
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	if ((rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_store_finding_get(store, id, remember_status, &current, err);
	if (!rc)
		rc = sg_store_product_find(store, current.product, &current.product_id, err);
	if (!rc)
		rc = sg_app_audit_check(store, SG_OBJ_FINDINGS, current.product_id, err);
	if (!rc)
		rc = sg_app_audit_check(store, SG_OBJ_HISTORY, current.product_id, err);
	if (!rc && sg_lifecycle_triage(current.status, wanted, &t) != 0)
		rc = sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld cannot move to %s", id, status);
	if (!rc && !t.changes)
		rc = sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld is %s already", id,
				  sg_status_name(current.status));
	if (!rc)
		rc = sg_store_finding_set_status(store, id, current.status, t.to, t.event, reason, sg_now(),
						 err);
	if (!rc) {
		struct sg_audit_note note;
		char label[300];
		snprintf(label, sizeof(label), "findings of product %s", current.product);
		sg_audit_note_begin(&note);
		sg_jw_kv_int(&note.w, "finding", id);
		sg_jw_kv_string(&note.w, "from", sg_status_name(current.status));
		sg_jw_kv_string(&note.w, "to", sg_status_name(t.to));
		sg_jw_kv_string(&note.w, "reason", reason);
		rc = sg_app_audit(app, store, "finding.triage", SG_OBJ_FINDINGS, current.product_id, label, &note,
				  err);
		if (!rc)
			rc = sg_app_audit_history(app, store, current.product_id, current.product, "finding.triage",
						  err);
	}
	if (!rc)
		rc = sg_store_commit(store, err);
	if (rc)
		sg_store_rollback(store);
	return rc;
}

void sg_finding_json(struct sg_jw *w, const struct sg_finding *f)
{
	char fp[2 * SG_FINGERPRINT_BYTES + 1];

	sg_hex(f->fingerprint, SG_FINGERPRINT_BYTES, fp);
	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "id", f->id);
	sg_jw_kv_string(w, "fingerprint", fp);
	sg_jw_kv_string(w, "product", f->product);
	sg_jw_kv_string(w, "status", sg_status_name(f->status));
	sg_jw_kv_string(w, "severity", sg_severity_name(f->severity));
	sg_jw_kv_string(w, "kind", f->kind);
	sg_jw_kv_string(w, "tool", f->tool);
	sg_jw_kv_string(w, "category", f->category);
	sg_jw_kv_string(w, "rule", f->rule);
	sg_jw_kv_string(w, "path", f->path);
	sg_jw_kv_string(w, "component", f->component);
	sg_jw_key(w, "line");
	if (f->line > 0)
		sg_jw_int(w, f->line);
	else
		sg_jw_null(w);
	sg_jw_kv_string(w, "message", f->message);
	sg_jw_kv_string(w, "first_seen", f->first_seen);
	sg_jw_kv_string(w, "last_seen", f->last_seen);
	sg_jw_kv_int(w, "first_seen_scan", f->first_seen_scan);
	sg_jw_kv_int(w, "last_seen_scan", f->last_seen_scan);
	sg_jw_object_end(w);
}

void sg_finding_event_json(struct sg_jw *w, const struct sg_finding_event *e)
{
	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "id", e->id);
	sg_jw_kv_string(w, "at", e->at);
	sg_jw_kv_string(w, "event", sg_event_name(e->kind));
	sg_jw_kv_string(w, "from", e->from_status);
	sg_jw_kv_string(w, "to", e->to_status);
	sg_jw_key(w, "scan");
	if (e->scan_id > 0)
		sg_jw_int(w, e->scan_id);
	else
		sg_jw_null(w);
	sg_jw_kv_string(w, "reason", e->reason);
	sg_jw_object_end(w);
}
