/* `shipgate sla`: findings past their due date or due soon (clause remediate.sla). */
#ifndef SG_APP_SLA_H
#define SG_APP_SLA_H

#include "app/app.h"

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

int sg_app_sla(struct sg_app *app, const char *product, sg_sla_cb cb, void *ctx, struct sg_sla_summary *out,
	       struct sg_error *err) SG_MUST_USE;

#endif
