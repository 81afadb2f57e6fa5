#include <stdio.h>
#include <string.h>

#include "app/ingest_sarif.h"
#include "cli/args.h"
#include "cli/cli.h"

static int ingest_sarif(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_ingest_sarif_params p = {0};
	const struct sg_opt opts[] = {
		{"product", &p.product, NULL},
		{"commit", &p.commit, NULL},
		{"release", &p.release, NULL},
		{"kind", &p.kind, NULL},
		{"env", &p.environment, NULL},
		{"category", &p.category, NULL},
		{"source-root", &p.source_root, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_ingest_report report;
	struct sg_args args;
	size_t i;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, SG_MAX_POSITIONAL,
				"shipgate ingest sarif FILE... --product P [--commit SHA] ...", err)) ||
	    (rc = sg_args_require(p.product, "product", err)))
		return rc;
	if (!p.kind)
		p.kind = "sast";
	p.files = args.positional;
	p.n_files = args.n_positional;
	rc = sg_app_ingest_sarif(app, &p, &report, err);
	if (rc) {
		sg_ingest_report_release(&report);
		return rc;
	}
	for (i = 0; i < report.n_files; i++) {
		const struct sg_ingest_file_report *f = &report.files[i];
		if (f->duplicate) {
			printf("%s: already ingested as scan %lld for this commit; nothing changed\n", f->file,
			       f->duplicate_of);
		} else if (f->n_runs == 0) {
			printf("%s: the log has no runs; no scan recorded\n", f->file);
		} else {
			printf("%s: scan %lld: %lld result%s, %lld new, %lld reopened", f->file, f->first_scan_id,
			       f->results, f->results == 1 ? "" : "s", f->new_findings, f->reopened);
			if (f->not_failures)
				printf(", %lld not failures (kind pass/review/...) skipped", f->not_failures);
			if (f->absent)
				printf(", %lld with baselineState \"absent\" skipped", f->absent);
			if (f->tool_failed_runs)
				printf("; %d run%s without results (the tool failed): nothing closed for %s",
				       f->tool_failed_runs, f->tool_failed_runs == 1 ? "" : "s",
				       f->tool_failed_runs == 1 ? "it" : "them");
			printf("\n");
		}
	}
	printf("%lld finding%s fixed (no longer reported)\n", report.fixed, report.fixed == 1 ? "" : "s");
	sg_ingest_report_release(&report);
	return 0;
}

int sg_cmd_ingest(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "sarif") == 0)
		return ingest_sarif(app, argc - 1, argv + 1, err);
	if (argc >= 1)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "unknown evidence \"%s\": this version ingests sarif", argv[0]);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate ingest sarif FILE... --product P");
}
