/* `shipgate sla`: findings past their due date or due soon (clause remediate.sla). */
#ifndef SG_APP_SLA_H
#define SG_APP_SLA_H

#include "app/app.h"
#include "util/json_writer.h"

struct sg_sla_summary {
	long long overdue[SG_SEV_COUNT];
	long long due_soon[SG_SEV_COUNT];
	long long blocking_overdue;  /* overdue at a severity the policy blocks on */
	int clock_overridden;
	time_t now;
};

/* Called for each listed finding, oldest first per severity, gravest
 * severity first; overdue says which list it is on. At most
 * SG_GATE_MAX_LISTED per severity are listed; the summary counts all.
 * Findings an active exception waives are left out. */
typedef int (*sg_sla_cb)(void *ctx, const struct sg_finding *f, time_t due, int overdue);

/*
 * The open findings of one severity with a deadline that no waiver covers:
 * how many are overdue at `now`, and how many more are due within
 * SG_SLA_DUE_SOON_DAYS. Leaves in q the filter of both (oldest first), for
 * listing them. The gate and `shipgate sla` count alike through it.
 */
int sg_sla_count(struct sg_store *store, const struct sg_policy *policy, long long product_id,
		 enum sg_severity severity, time_t now, const long long *waivers, size_t n_waivers,
		 struct sg_finding_filter *q, long long *overdue, long long *due_soon,
		 struct sg_error *err) SG_MUST_USE;

int sg_app_sla(struct sg_app *app, const char *product, sg_sla_cb cb, void *ctx, struct sg_sla_summary *out,
	       struct sg_error *err) SG_MUST_USE;

/* The whole report as one JSON object (`sla --format json`, the API):
 * {"product", "findings":[{"state","due","finding"}], "overdue":{...},
 * "due_soon":{...}, "blocking_overdue", "evaluated_at", "clock_overridden"}.
 * On error the writer holds part of a document: write into a buffer. */
int sg_app_sla_json(struct sg_app *app, const char *product, struct sg_jw *w, struct sg_sla_summary *sum,
		    struct sg_error *err) SG_MUST_USE;

#endif
