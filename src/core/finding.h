/*
 * The finding model shared by ingest, store, gate and the faces.
 * Strings are borrowed: they live as long as the call that hands them over.
 */
#ifndef SG_CORE_FINDING_H
#define SG_CORE_FINDING_H

#include "core/severity.h"
#include "util/hash.h"
#include "util/timeutil.h"

enum sg_finding_status {
	SG_STATUS_OPEN = 0,
	SG_STATUS_FIXED,
	SG_STATUS_FALSE_POSITIVE,
};
#define SG_STATUS_COUNT 3

const char *sg_status_name(enum sg_finding_status status);
int sg_status_parse(const char *name, enum sg_finding_status *out);

/* What happened to a finding; each is one row of its history. */
enum sg_event_kind {
	SG_EVENT_OPENED = 0,  /* first reported */
	SG_EVENT_FIXED,       /* a full scan of its view no longer reports it */
	SG_EVENT_REOPENED,    /* reported again after it was fixed: a regression */
	SG_EVENT_TRIAGED,     /* a person changed its status */
};
const char *sg_event_name(enum sg_event_kind kind);

/* One result as an ingest hands it to the store. */
struct sg_sighting {
	const char *rule;
	const char *rule_name;  /* may be NULL */
	enum sg_severity tool_severity; /* as the tool's output says */
	enum sg_severity severity;      /* after the policy's severity_overrides */
	const char *path;       /* normalised; may be NULL (no location) */
	long line;              /* 0 when unknown */
	long column;
	const char *message;
	const char *component;  /* sca, license: canonical purl without version; else NULL */
};

/* A finding as the store returns it. */
struct sg_finding {
	long long id;
	unsigned char fingerprint[SG_FINGERPRINT_BYTES];
	const char *product;
	const char *kind;
	const char *tool;
	const char *category;
	const char *rule;
	enum sg_severity severity;
	enum sg_finding_status status;
	const char *path;
	long line;
	const char *message;
	const char *first_seen; /* timestamps, see util/timeutil.h */
	const char *last_seen;
	long long first_seen_scan;
	long long last_seen_scan;
	time_t first_seen_at;
	long long waiver_id;    /* with SG_WAIVERS_ONLY: the lowest exception covering it */
	const char *component;  /* sca, license: canonical purl without version; else NULL */
};

struct sg_finding_event {
	long long id;
	long long finding_id;
	long long scan_id; /* 0 when not caused by a scan */
	const char *at;
	enum sg_event_kind kind;
	const char *from_status; /* NULL for "opened" */
	const char *to_status;
	const char *reason;      /* may be NULL */
};

#endif
