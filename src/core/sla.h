/*
 * Remediation deadlines (clause remediate.sla). A finding is due its first
 * detection plus the policy's sla_days for its severity. Identity survives
 * moved code, and a fixed finding that comes back keeps its first detection,
 * so neither resets the clock; a severity that rises takes its shorter
 * deadline at once. Pure.
 */
#ifndef SG_CORE_SLA_H
#define SG_CORE_SLA_H

#include <time.h>

#include "core/policy.h"

#define SG_SLA_DUE_SOON_DAYS 7

/* 1 and the due time when the severity has a deadline; 0 otherwise. */
int sg_sla_due(const struct sg_policy *policy, enum sg_severity severity, time_t first_seen,
	       time_t *due);
/* The first-seen time before which a finding of this severity is overdue
 * at `at` (first_seen + days <= at). Only when sla_days[severity] > 0. */
time_t sg_sla_first_seen_cutoff(const struct sg_policy *policy, enum sg_severity severity, time_t at);

#endif
