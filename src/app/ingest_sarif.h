/* `shipgate ingest sarif`: SARIF logs into the store, one transaction for all files. */
#ifndef SG_APP_INGEST_SARIF_H
#define SG_APP_INGEST_SARIF_H

#include <stddef.h>

#include "app/app.h"

struct sg_ingest_sarif_params {
	const char *const *files;
	/* Optional, parallel to files: the name reports, error messages, the
	 * scan and the audit ledger use for each file (an upload read through
	 * /proc/self/fd/N is "request body"); NULL, or a NULL entry, uses the
	 * path itself. */
	const char *const *names;
	size_t n_files;
	const char *product;
	const char *commit;      /* may be NULL: then the release's commit, if any */
	const char *release;     /* may be NULL */
	const char *kind;        /* "sast" (default) or "dast" */
	const char *environment; /* may be NULL */
	const char *category;    /* overrides automationDetails.id; may be NULL */
	const char *source_root; /* may be NULL */
};

/* What one file did; the report holds one per file. */
struct sg_ingest_file_report {
	const char *file;         /* its name (params.names), else its path */
	int duplicate;            /* same artifact for the same product, kind and commit: skipped */
	long long duplicate_of;   /* that earlier scan */
	int n_runs;
	long long first_scan_id;
	long long results;        /* results that are findings (kind "fail") */
	long long not_failures;
	long long absent;         /* baselineState "absent": reported gone by the tool itself */
	long long new_findings;
	long long reopened;
	int tool_failed_runs;     /* runs with results null: nothing closed for them */
};

struct sg_ingest_report {
	struct sg_ingest_file_report *files; /* n_files entries, owned */
	size_t n_files;
	long long fixed;           /* findings closed by the snapshot rule */
	char commit[72];
};

int sg_app_ingest_sarif(struct sg_app *app, const struct sg_ingest_sarif_params *params,
			struct sg_ingest_report *report, struct sg_error *err) SG_MUST_USE;
void sg_ingest_report_release(struct sg_ingest_report *report);

/*
 * The report as one JSON object, the shape `ingest sarif --format json`
 * prints and the API returns (app/ingest_report.c):
 *   {"commit": SHA|null, "fixed": N,
 *    "files": [{"file", "duplicate": bool, "duplicate_of": SCAN|null,
 *               "scan": SCAN|null (its first scan), "runs", "results", "new",
 *               "reopened", "not_failures", "absent", "tool_failed_runs"}]}
 */
struct sg_jw;
void sg_ingest_report_json(struct sg_jw *w, const struct sg_ingest_report *r);

#endif
