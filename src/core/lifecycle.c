#include "core/lifecycle.h"

#include <string.h>

static const char *const status_names[SG_STATUS_COUNT] = {
	[SG_STATUS_OPEN] = "open",
	[SG_STATUS_FIXED] = "fixed",
	[SG_STATUS_FALSE_POSITIVE] = "false_positive",
};

const char *sg_status_name(enum sg_finding_status status)
{
	if ((int)status < 0 || status >= SG_STATUS_COUNT)
		return "unknown";
	return status_names[status];
}

int sg_status_parse(const char *name, enum sg_finding_status *out)
{
	int i;

	for (i = 0; i < SG_STATUS_COUNT; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum sg_finding_status)i;
			return 0;
		}
	}
	return -1;
}

const char *sg_event_name(enum sg_event_kind kind)
{
	switch (kind) {
	case SG_EVENT_OPENED:
		return "opened";
	case SG_EVENT_FIXED:
		return "fixed";
	case SG_EVENT_REOPENED:
		return "reopened";
	case SG_EVENT_TRIAGED:
		return "triaged";
	default:
		return "unknown";
	}
}

struct sg_transition sg_lifecycle_sighted(int exists, enum sg_finding_status current)
{
	struct sg_transition t = {0, current, SG_EVENT_OPENED};

	if (!exists) {
		t.changes = 1;
		t.to = SG_STATUS_OPEN;
		t.event = SG_EVENT_OPENED;
	} else if (current == SG_STATUS_FIXED) {
		t.changes = 1;
		t.to = SG_STATUS_OPEN;
		t.event = SG_EVENT_REOPENED;
	}
	return t;
}

struct sg_transition sg_lifecycle_absent(enum sg_finding_status current)
{
	struct sg_transition t = {0, current, SG_EVENT_FIXED};

	if (current == SG_STATUS_OPEN) {
		t.changes = 1;
		t.to = SG_STATUS_FIXED;
	}
	return t;
}

int sg_lifecycle_triage(enum sg_finding_status current, enum sg_finding_status wanted,
			struct sg_transition *out)
{
	/* Only a person can call a finding a false positive, or take that back;
	 * "fixed" is for scans to say, never a person. */
	if (wanted == SG_STATUS_FIXED)
		return -1;
	if (wanted == current) {
		out->changes = 0;
		out->to = current;
		out->event = SG_EVENT_TRIAGED;
		return 0;
	}
	out->changes = 1;
	out->to = wanted;
	out->event = SG_EVENT_TRIAGED;
	return 0;
}
