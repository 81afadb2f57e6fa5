/*
 * Matching an SBOM's components against the OSV database: the one
 * procedure behind `ingest sbom` (a new SBOM), `vulndb import` (new data
 * for the SBOMs already stored) and `sca explain` (why a component matched).
 *
 * For each component: its OSV package (ecosystem and name, from its purl)
 * is looked up; every record with an entry for that package is evaluated
 * by the OSV rules with the ecosystem's version order (sca/osv.h); records
 * that match and name each other (id or aliases) are one vulnerability, so
 * GHSA-x and CVE-y for the same flaw make one finding. Its identity is
 * product + vulnerability + component without version (DESIGN.md rule 3).
 */
#ifndef SG_APP_SCA_MATCH_H
#define SG_APP_SCA_MATCH_H

#include <time.h>

#include "core/policy.h"
#include "sca/osv.h"
#include "store/store.h"

/* What a matching pass did. */
struct sg_sca_counts {
	long long components;      /* in the SBOM */
	long long unmatched;       /* cannot be matched (no purl, no ecosystem, no version order ...) */
	long long vulnerable;      /* components with at least one vulnerability */
	long long findings;        /* sca findings reported (after merging aliases) */
	long long new_findings;
	long long reopened;
	long long fixed;           /* sca and licence findings no longer reported */
	long long not_applicable;  /* set so by a VEX statement */
	long long license_findings;
	long long skipped_versions; /* versions in records that do not parse under their order */
	long long unplaceable;      /* record and component pairs where the component's version cannot be
				     * placed in the record's ranges (reported by sca explain) */
};

struct sg_sca_match_params {
	long long product_id;
	long long ingest_id;       /* the ingest that sights the findings */
	long long scan_id;         /* the SBOM's scan */
	const char *artifact;      /* the SBOM file, named in VEX reasons */
	time_t now;
};

/* Match every component of the scan; sight findings; close those of the
 * product's sca and licence views that this pass did not report. */
int sg_sca_match(struct sg_store *store, const struct sg_policy *policy, const struct sg_sca_match_params *p,
		 struct sg_sca_counts *counts, struct sg_error *err) SG_MUST_USE;

/* One record evaluated for one component (for `sca explain`). */
struct sg_sca_evaluation {
	const struct sg_vuln_candidate *record;
	int applies;               /* ecosystem (and release) apply, and not withdrawn */
	const char *why_not;       /* when !applies */
	int unplaceable;           /* !applies because the version cannot be placed in the record's ranges */
	struct sg_osv_verdict verdict; /* when applies */
};
typedef int (*sg_sca_evaluation_cb)(void *ctx, const struct sg_sca_evaluation *e);

/* Evaluate every record naming the component's package. SG_EINPUT when the
 * component cannot be matched (its `unmatched` says why). */
int sg_sca_evaluate_component(struct sg_store *store, const struct sg_component_record *c,
			      sg_sca_evaluation_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;

/* The view names findings of each kind live in (identity, snapshot). */
#define SG_SCA_KIND "sca"
#define SG_SCA_TOOL "osv"
#define SG_LICENSE_KIND "license"
#define SG_LICENSE_TOOL "shipgate"

#endif
