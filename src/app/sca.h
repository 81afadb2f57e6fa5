/*
 * Dependency analysis verbs: `ingest sbom`, `vulndb import`, `vulndb status`
 * and `sca explain` (clause sca; DESIGN.md section 1).
 */
#ifndef SG_APP_SCA_H
#define SG_APP_SCA_H

#include <stddef.h>

#include "app/app.h"
#include "app/sca_match.h"

/* ---- ingest sbom ---- */

struct sg_ingest_sbom_params {
	const char *file;    /* "-": stdin */
	/* The name reports, error messages, the scan, findings' evidence and
	 * the audit ledger use for the file (an upload read through
	 * /proc/self/fd/N is "request body"); NULL: the path itself. */
	const char *name;
	const char *product;
	const char *commit;  /* may be NULL: then the release's commit, if any */
	const char *release; /* may be NULL */
};

struct sg_sbom_report {
	char format[16];         /* "CycloneDX", "SPDX" */
	char spec_version[16];
	char tool[128];
	char tool_version[64];
	char subject[256];
	long long components;
	long long without_purl;
	long long vex;
	int duplicate;           /* this very file was ingested for the product and commit: nothing done */
	long long duplicate_of;
	long long scan_id;
	char commit[72];
	struct sg_sca_counts match;
};

int sg_app_ingest_sbom(struct sg_app *app, const struct sg_ingest_sbom_params *params,
		       struct sg_sbom_report *report, struct sg_error *err) SG_MUST_USE;

/*
 * The report as one JSON object, the shape `ingest sbom --format json`
 * prints and the API returns (app/ingest_report.c):
 *   {"duplicate": bool, "duplicate_of": SCAN|null, "scan": SCAN|null,
 *    "commit": SHA|null, "format": "CycloneDX"|"SPDX", "spec_version",
 *    "tool", "tool_version", "subject" (each null when unknown),
 *    "components", "without_purl", "vex",
 *    "match": {"components", "unmatched", "vulnerable", "findings", "new",
 *              "reopened", "fixed", "not_applicable", "license_findings",
 *              "skipped_versions", "unplaceable"}}
 * A duplicate carries only what it is a duplicate of (the rest null or 0).
 */
struct sg_jw;
void sg_sbom_report_json(struct sg_jw *w, const struct sg_sbom_report *r);

/* ---- vulndb ---- */

struct sg_vulndb_report {
	long long files;      /* records read */
	long long added;
	long long updated;
	long long unchanged;  /* the store had them as new or newer */
	long long withdrawn;  /* among the added and updated */
	long long products;   /* whose newest SBOM was matched again */
	struct sg_sca_counts match; /* summed over those products */
};

/* Import every record under the paths (directories, .json files, .zip
 * archives) in one transaction, then match every product's newest SBOM
 * again when anything changed. */
int sg_app_vulndb_import(struct sg_app *app, const char *const *paths, size_t n_paths,
			 struct sg_vulndb_report *report, struct sg_error *err) SG_MUST_USE;
int sg_app_vulndb_status(struct sg_app *app, sg_vulndb_count_cb cb, void *ctx,
			 struct sg_error *err) SG_MUST_USE;

/* ---- sca explain ---- */

enum sg_explain_kind {
	SG_EXPLAIN_COMPONENT, /* a component of the SBOM that the purl names */
	SG_EXPLAIN_RECORD,    /* one record evaluated for it */
	SG_EXPLAIN_VEX,       /* a VEX statement of the SBOM about it */
};

struct sg_explain_item {
	enum sg_explain_kind kind;
	const struct sg_component_record *component; /* every kind */
	const char *order;                           /* COMPONENT: the version order used */
	const struct sg_sca_evaluation *evaluation;  /* RECORD */
	const struct sg_vex_record *vex;             /* VEX */
};
typedef int (*sg_explain_cb)(void *ctx, const struct sg_explain_item *item);

struct sg_explain_summary {
	long long scan_id;       /* the SBOM explained */
	char commit[72];
	long long components;    /* named by the purl */
	long long records;       /* evaluated */
	long long affected;
	int vuln_known;          /* with --vuln: the database holds a record by that id or alias */
};

/* Explain how the product's newest SBOM matches a component: every component
 * the purl names (a purl without version names every version), and every
 * record for its package (only those named `vuln`, by id or alias, if given). */
int sg_app_sca_explain(struct sg_app *app, const char *product, const char *purl, const char *vuln,
		       sg_explain_cb cb, void *ctx, struct sg_explain_summary *summary,
		       struct sg_error *err) SG_MUST_USE;

#endif
