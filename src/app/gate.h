/* `shipgate gate`: gather the evidence, let core/gate decide, keep the blockers. */
#ifndef SG_APP_GATE_H
#define SG_APP_GATE_H

#include "app/app.h"
#include "core/gate.h"
#include "util/json_writer.h"
#include "util/timeutil.h"

struct sg_gate_blocker {
	long long id;
	char fingerprint[2 * SG_FINGERPRINT_BYTES + 1];
	enum sg_severity severity;
	char *tool;
	char *rule;
	char *path;    /* may be NULL */
	char *component; /* sca and licence findings: the purl without version; may be NULL */
	long line;
	char *message; /* cut to a few hundred bytes */
	/* A waived finding: the exception that waives it. */
	long long exception_id;
	char approver[SG_PRINCIPAL_NAME_BYTES];
	char expires[SG_DATE_TEXT];
};

struct sg_gate_report {
	char product[256];
	char release[256];       /* "" without --release */
	char release_commit[72];
	const struct sg_policy *policy;
	struct sg_gate_result result;
	struct sg_gate_blocker *blockers; /* the first SG_GATE_MAX_LISTED, gravest first */
	size_t n_blockers;
	struct sg_gate_blocker *waived;   /* the first SG_GATE_MAX_LISTED waived findings */
	size_t n_waived;
	time_t evaluated_at;
	int clock_overridden;            /* $SHIPGATE_NOW set the time: said in every output */
};

int sg_app_gate(struct sg_app *app, const char *product, const char *release,
		struct sg_gate_report *report, struct sg_error *err) SG_MUST_USE;
/* The ids of the product's active exceptions whose approvals verify
 * (sg_free them); inside the caller's transaction. */
int sg_gate_active_waivers(struct sg_store *store, const struct sg_policy *policy, long long product_id,
			   time_t now, long long **ids, size_t *n, struct sg_error *err) SG_MUST_USE;
void sg_gate_report_release(struct sg_gate_report *report);

/* The gate's JSON (DESIGN.md section 4), the same for the CLI and the API. */
void sg_gate_json(struct sg_jw *w, const struct sg_gate_report *report);

#endif
