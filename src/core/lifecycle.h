/*
 * The life of a finding (DESIGN.md section 3): what a sighting in a scan,
 * or its absence from a full scan, does to its status. Pure.
 *
 *   (new) --sighted--> open --absent from a full scan--> fixed
 *   fixed --sighted--> open (event "reopened": a regression)
 *   false_positive stays false_positive whatever scans say: a person decided.
 */
#ifndef SG_CORE_LIFECYCLE_H
#define SG_CORE_LIFECYCLE_H

#include "core/finding.h"

struct sg_transition {
	int changes;                    /* 0: status stays, no event */
	enum sg_finding_status to;
	enum sg_event_kind event;
};

/* A scan reported the finding. `exists` is 0 for a fingerprint never seen. */
struct sg_transition sg_lifecycle_sighted(int exists, enum sg_finding_status current);

/* A full scan of the finding's view did not report it. */
struct sg_transition sg_lifecycle_absent(enum sg_finding_status current);

/* A person sets the status (triage). Returns -1 if the move is not allowed. */
int sg_lifecycle_triage(enum sg_finding_status current, enum sg_finding_status wanted,
			struct sg_transition *out);

#endif
