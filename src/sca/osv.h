/*
 * OSV records (ossf/osv-schema 1.7; FORMATS.md section 5): reading one
 * record, and deciding whether a version of a package is affected by the
 * schema's evaluation rules.
 *
 * A record is small (one advisory), but untrusted: every list has a limit
 * (util/limits.h SG_OSV_*), and what is kept is bounded.
 */
#ifndef SG_SCA_OSV_H
#define SG_SCA_OSV_H

#include <stddef.h>
#include <time.h>

#include "core/severity.h"
#include "sca/version.h"
#include "util/buf.h"
#include "util/error.h"

enum sg_osv_event_kind {
	SG_OSV_INTRODUCED = 0,
	SG_OSV_FIXED,
	SG_OSV_LAST_AFFECTED,
	SG_OSV_LIMIT,
};

struct sg_osv_event {
	enum sg_osv_event_kind kind;
	char *version;
};

enum sg_osv_range_type {
	SG_OSV_RANGE_SEMVER = 0,
	SG_OSV_RANGE_ECOSYSTEM,
	SG_OSV_RANGE_GIT,   /* kept for explain; never matched (needs the repository) */
	SG_OSV_RANGE_OTHER,
};

struct sg_osv_range {
	enum sg_osv_range_type type;
	struct sg_osv_event *events;
	size_t n_events;
};

struct sg_osv_affected {
	char *ecosystem; /* NULL for entries without a package (GIT-only) */
	char *name;
	char *purl;      /* may be NULL */
	struct sg_osv_range *ranges;
	size_t n_ranges;
	char **versions;
	size_t n_versions;
	char *severity_vector; /* affected[].severity (only when the record has none) */
};

struct sg_osv_record {
	char *id;
	char *modified;          /* RFC 3339 as written */
	time_t modified_at;
	int withdrawn;           /* withdrawn present */
	char **aliases;
	size_t n_aliases;
	char *summary;           /* may be NULL; cut to SG_OSV_MAX_SUMMARY_BYTES */
	char *cvss_v3;           /* top-level severity vectors; may be NULL */
	char *cvss_v4;
	char *severity_word;     /* database_specific.severity (GHSA: LOW/MODERATE/HIGH/CRITICAL) */
	struct sg_osv_affected *affected;
	size_t n_affected;
};

/* "SEMVER", "ECOSYSTEM", "GIT", "OTHER"; "introduced", "fixed", ... */
const char *sg_osv_range_type_name(enum sg_osv_range_type t);
const char *sg_osv_event_kind_name(enum sg_osv_event_kind k);

/* Parse one record from memory; `where` names it in errors (file or zip entry). */
int sg_osv_parse(const char *data, size_t len, const char *where, struct sg_osv_record *out,
		 struct sg_error *err) SG_MUST_USE;
void sg_osv_record_free(struct sg_osv_record *r);

/*
 * The record's severity: CVSS v3.x base score when given, else v4.0, else the
 * database's word (MODERATE is medium), else an affected entry's vector;
 * *known is 0 when the record carries none of these.
 */
enum sg_severity sg_osv_severity(const struct sg_osv_record *r, int *known, int *score_tenths);
/* The vector or word that severity came from; NULL when none. */
const char *sg_osv_severity_source(const struct sg_osv_record *r);

/*
 * A package name as the store keys it, so that a purl's name and a record's
 * meet: PyPI names PEP 503-normalised (lower case, runs of "-_." as "-"),
 * NuGet ids lower-cased (NuGet compares them case-insensitively), others
 * as written. Cut to size.
 */
void sg_osv_package_key(const char *ecosystem, const char *name, char *out, size_t size);

/* One affected entry as compact JSON (what the store keeps per package) and back. */
int sg_osv_affected_to_json(const struct sg_osv_affected *a, struct sg_buf *out) SG_MUST_USE;
int sg_osv_affected_from_json(const char *json, size_t len, struct sg_osv_affected *out,
			      struct sg_error *err) SG_MUST_USE;
void sg_osv_affected_free(struct sg_osv_affected *a);

/* The outcome of evaluating one affected entry for one version. */
struct sg_osv_verdict {
	int affected;
	/* What decided it, for `sca explain`: "versions list", or
	 * "range 1 (ECOSYSTEM): introduced 2.0.0, fixed 2.3.1". */
	char decided_by[512];
	/* The smallest fixed version above v in a range that affects it ("" if none). */
	char fixed_in[128];
	/* Versions in the entry that did not parse under the order (skipped, reported). */
	int unparseable;
	/* Affected only because a fix that could not be read might have ended
	 * a range that the readable events open for the version: failing
	 * closed, it counts as affected. */
	int undecided;
};

/*
 * Evaluate (OSV "Evaluation": versions list, then each range with its events
 * sorted by `order`, limits honoured, introduced "0" before everything,
 * last_affected inclusive, fixed exclusive; a range an unreadable fix
 * leaves open counts as affected, see verdict.undecided). SEMVER ranges use
 * SG_VORDER_SEMVER whatever `order` is; GIT ranges never match. SG_EINPUT
 * when `version` itself does not parse under the order that applies.
 */
int sg_osv_evaluate(const struct sg_osv_affected *a, enum sg_vorder order, const char *version,
		    struct sg_osv_verdict *out, struct sg_error *err) SG_MUST_USE;

#endif
