/*
 * The gate: may this release ship? Pure: app/ gathers the facts from the
 * store, sg_gate_evaluate() decides each clause the policy enables, with a
 * reason for each. A clause the policy does not enable is not reported: no
 * clause reports a verdict it did not compute.
 */
#ifndef SG_CORE_GATE_H
#define SG_CORE_GATE_H

#include <time.h>

#include "core/policy.h"
#include "core/severity.h"

enum sg_clause_status {
	SG_CLAUSE_PASS,
	SG_CLAUSE_FAIL,
	SG_CLAUSE_WAIVED,
	SG_CLAUSE_NOT_APPLICABLE,
};
const char *sg_clause_status_name(enum sg_clause_status status);

#define SG_GATE_MAX_CLAUSES 16
#define SG_GATE_MAX_REASONS 8
#define SG_GATE_REASON_BYTES 320

struct sg_clause_result {
	const char *id;       /* "remediate.release", "sast", "sca", ... */
	enum sg_clause_status status;
	int n_reasons;
	char reasons[SG_GATE_MAX_REASONS][SG_GATE_REASON_BYTES];
};

/* The newest matching scan (SAST results, an SBOM), if any. */
struct sg_gate_scan {
	int found;
	long long id;
	char tool[128];
	char commit[72];
	time_t created_at;
};

struct sg_gate_facts {
	const struct sg_policy *policy;
	const char *product;
	const char *release;        /* NULL: no --release */
	const char *release_commit; /* the release's commit when release != NULL */
	time_t now;
	/* open findings per severity (false positives excluded) */
	long long open_by_severity[SG_SEV_COUNT];
	/* with a release: the SAST scan of its commit; without: the newest one */
	struct sg_gate_scan sast;
	/* with a release: the SBOM (scan of kind "sca") of its commit; without: the newest */
	struct sg_gate_scan sca;
	/* Exceptions: the open findings above that active, verified waivers
	 * cover; active approvals that do not hold (a signature that fails, an
	 * approver without the policy's approver_role); lapsed waivers that
	 * cover open blocking findings again ("exception 12 expired on ..."). */
	long long waived_by_severity[SG_SEV_COUNT];
	int n_waivers;
	int n_bad_signatures;
	char bad_signatures[SG_GATE_MAX_REASONS][SG_GATE_REASON_BYTES];
	int n_lapsed;
	struct {
		char text[SG_GATE_REASON_BYTES];
		long long findings;
	} lapsed[SG_GATE_MAX_REASONS];
	/* Clause remediate.sla: open, unwaived findings past their due date or
	 * due within SG_SLA_DUE_SOON_DAYS, and the oldest overdue of each severity. */
	long long overdue[SG_SEV_COUNT];
	long long due_soon[SG_SEV_COUNT];
	long long oldest_overdue_id[SG_SEV_COUNT];
	time_t oldest_overdue_due[SG_SEV_COUNT];
	int clock_overridden;
};

struct sg_gate_result {
	int blocked;
	int n_clauses;
	struct sg_clause_result clauses[SG_GATE_MAX_CLAUSES];
	long long blocking_total;
	long long waived_total;
};

void sg_gate_evaluate(const struct sg_gate_facts *facts, struct sg_gate_result *out);

#endif
