#include "app/sla.h"

#include <string.h>

#include "app/gate.h"
#include "core/sla.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/timeutil.h"

struct relay {
	const struct sg_policy *policy;
	time_t now;
	sg_sla_cb cb;
	void *ctx;
};

static int relay_one(void *ctx, const struct sg_finding *f)
{
	struct relay *r = ctx;
	time_t due = 0;

	sg_sla_due(r->policy, f->severity, f->first_seen_at, &due);
	return r->cb(r->ctx, f, due, due <= r->now);
}

int sg_sla_count(struct sg_store *store, const struct sg_policy *policy, long long product_id,
		 enum sg_severity severity, time_t now, const long long *waivers, size_t n_waivers,
		 struct sg_finding_filter *q, long long *overdue, long long *due_soon, struct sg_error *err)
{
	time_t soon = now + (time_t)SG_SLA_DUE_SOON_DAYS * 86400;
	long long counts[SG_SEV_COUNT];
	int rc;

	*overdue = *due_soon = 0;
	memset(q, 0, sizeof(*q));
	q->product_id = product_id;
	q->status = SG_STATUS_OPEN;
	q->min_severity = severity;
	q->one_severity = 1;
	q->by_first_seen = 1;
	q->first_seen_until = sg_sla_first_seen_cutoff(policy, severity, soon);
	/* Counting past waivers visits each row: first count from the index
	 * alone, and only look further when something is due. */
	if ((rc = sg_store_findings_count(store, q, counts, err)))
		return rc;
	q->waivers = waivers;
	q->n_waivers = n_waivers;
	q->waiver_mode = SG_WAIVERS_EXCLUDE;
	if (counts[severity] == 0)
		return 0;
	if (n_waivers && (rc = sg_store_findings_count(store, q, counts, err)))
		return rc;
	*due_soon = counts[severity];
	q->first_seen_until = sg_sla_first_seen_cutoff(policy, severity, now);
	if ((rc = sg_store_findings_count(store, q, counts, err)))
		return rc;
	*overdue = counts[severity];
	*due_soon -= *overdue;
	q->first_seen_until = sg_sla_first_seen_cutoff(policy, severity, soon);
	return 0;
}

static int run(struct sg_store *store, long long product_id, const struct sg_policy *policy, const long long *ids,
	       size_t n, sg_sla_cb cb, void *ctx, struct sg_sla_summary *out, struct sg_error *err)
{
	struct relay r = {policy, out->now, cb, ctx};
	struct sg_finding_filter q;
	int sev, rc;

	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		if (!policy->sla_enabled || policy->sla_days[sev] <= 0)
			continue;
		if ((rc = sg_sla_count(store, policy, product_id, (enum sg_severity)sev, out->now, ids, n, &q,
				       &out->overdue[sev], &out->due_soon[sev], err)))
			return rc;
		if (sg_policy_blocks(policy, (enum sg_severity)sev))
			out->blocking_overdue += out->overdue[sev];
		if (out->overdue[sev] + out->due_soon[sev] == 0)
			continue;
		q.limit = SG_GATE_MAX_LISTED;
		if ((rc = sg_store_findings_list(store, &q, relay_one, &r, err)))
			return rc;
	}
	return 0;
}

int sg_app_sla(struct sg_app *app, const char *product, sg_sla_cb cb, void *ctx, struct sg_sla_summary *out,
	       struct sg_error *err)
{
	const struct sg_policy *policy;
	struct sg_store *store;
	long long product_id, *ids = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->now = sg_now();
	out->clock_overridden = sg_clock_overridden();
	if ((rc = sg_check_name(product, "--product", err)) || (rc = sg_app_policy(app, &policy, err)))
		return rc;
	if (!policy->sla_enabled)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "the policy (%s) sets no sla_days: there are no deadlines to check", policy->source);
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) ||
	    (rc = sg_store_product_find(store, product, &product_id, err)) ||
	    (rc = sg_app_begin_synced(app, store, product_id, product, err)))
		return rc;
	rc = sg_gate_active_waivers(store, policy, product_id, out->now, &ids, &n, err);
	if (!rc)
		rc = run(store, product_id, policy, ids, n, cb, ctx, out, err);
	sg_free(ids);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}
