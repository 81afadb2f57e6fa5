/* `shipgate findings`: list, show with history, triage. */
#ifndef SG_APP_FINDINGS_H
#define SG_APP_FINDINGS_H

#include "app/app.h"
#include "util/json_writer.h"

struct sg_findings_query {
	const char *product;
	const char *status;   /* "open" (default), "fixed", "false_positive", "all" */
	const char *severity; /* at or above; NULL: all */
	long long limit;      /* 0: all */
};

int sg_app_findings_list(struct sg_app *app, const struct sg_findings_query *q, sg_finding_cb cb,
			 void *ctx, struct sg_error *err) SG_MUST_USE;
int sg_app_finding_show(struct sg_app *app, long long id, sg_finding_cb cb, sg_event_cb event_cb,
			void *ctx, struct sg_error *err) SG_MUST_USE;
/* Set the status a person decided (false_positive, or open to take that back). */
int sg_app_finding_triage(struct sg_app *app, long long id, const char *status, const char *reason,
			  struct sg_error *err) SG_MUST_USE;

/* The one JSON shape of a finding and of an event (CLI and API alike). */
void sg_finding_json(struct sg_jw *w, const struct sg_finding *f);
void sg_finding_event_json(struct sg_jw *w, const struct sg_finding_event *e);

/* Parse a finding id ("12"); SG_EUSAGE if it is not a positive integer. */
int sg_parse_finding_id(const char *text, long long *id, struct sg_error *err) SG_MUST_USE;

#endif
