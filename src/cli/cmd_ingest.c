#include <stdio.h>
#include <string.h>

#include "app/ingest_sarif.h"
#include "app/sca.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/safe_text.h"
#include "util/json_writer.h"

static const char *const ingest_formats[] = {"text", "json", NULL};

/* The report as JSON on stdout (the API's shape, app/ingest_report.c). */
static int print_json(const struct sg_ingest_report *sarif, const struct sg_sbom_report *sbom, struct sg_error *err)
{
	struct sg_jw w;

	sg_jw_init_file(&w, stdout, 1);
	if (sarif)
		sg_ingest_report_json(&w, sarif);
	else
		sg_sbom_report_json(&w, sbom);
	if (sg_jw_finish(&w) != 0)
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
	return 0;
}

static int ingest_sarif(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_ingest_sarif_params p = {0};
	const char *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &p.product, NULL},
		{"commit", &p.commit, NULL},
		{"release", &p.release, NULL},
		{"kind", &p.kind, NULL},
		{"env", &p.environment, NULL},
		{"category", &p.category, NULL},
		{"source-root", &p.source_root, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_ingest_report report;
	struct sg_args args;
	size_t i;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, SG_MAX_POSITIONAL,
				"shipgate ingest sarif FILE... --product P [--commit SHA] ... [--format text|json]",
				err)) ||
	    (rc = sg_args_require(p.product, "product", err)))
		return rc;
	if ((fmt = sg_pick_format(format, ingest_formats, err)) < 0)
		return err->code;
	if (!p.kind)
		p.kind = "sast";
	p.files = args.positional;
	p.n_files = args.n_positional;
	rc = sg_app_ingest_sarif(app, &p, &report, err);
	if (!rc && fmt == 1)
		rc = print_json(&report, NULL, err);
	if (rc || fmt == 1) {
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

static int ingest_sbom(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_ingest_sbom_params p = {0};
	const char *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &p.product, NULL},
		{"commit", &p.commit, NULL},
		{"release", &p.release, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_sbom_report r;
	struct sg_args args;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1,
				"shipgate ingest sbom FILE --product P [--commit SHA] [--release V] [--format text|json]",
				err)) ||
	    (rc = sg_args_require(p.product, "product", err)))
		return rc;
	if ((fmt = sg_pick_format(format, ingest_formats, err)) < 0)
		return err->code;
	p.file = args.positional[0];
	if ((rc = sg_app_ingest_sbom(app, &p, &r, err)))
		return rc;
	if (fmt == 1)
		return print_json(NULL, &r, err);
	if (r.duplicate) {
		printf("%s: already ingested as scan %lld for this commit; nothing changed\n", p.file, r.duplicate_of);
		return 0;
	}
	printf("%s: %s %s from ", p.file, r.format, r.spec_version);
	sg_put_safe_n(stdout, r.tool[0] ? r.tool : "an unnamed tool", 128);
	printf(": scan %lld: %lld component%s (%lld without purl, %lld not matchable), %lld VEX statement%s\n",
	       r.scan_id, r.components, r.components == 1 ? "" : "s", r.without_purl, r.match.unmatched, r.vex,
	       r.vex == 1 ? "" : "s");
	printf("%lld vulnerable component%s, %lld vulnerabilit%s, %lld licence violation%s\n", r.match.vulnerable,
	       r.match.vulnerable == 1 ? "" : "s", r.match.findings, r.match.findings == 1 ? "y" : "ies",
	       r.match.license_findings, r.match.license_findings == 1 ? "" : "s");
	printf("findings: %lld new, %lld reopened, %lld not applicable (VEX)\n", r.match.new_findings, r.match.reopened,
	       r.match.not_applicable);
	if (r.match.skipped_versions)
		printf("%lld version%s in matching records did not parse and %s skipped (see sca explain)\n",
		       r.match.skipped_versions, r.match.skipped_versions == 1 ? "" : "s",
		       r.match.skipped_versions == 1 ? "was" : "were");
	if (r.match.unplaceable)
		printf("%lld component and record pair%s could not be evaluated: the version cannot be placed in "
		       "the record's ranges (see sca explain)\n",
		       r.match.unplaceable, r.match.unplaceable == 1 ? "" : "s");
	printf("%lld finding%s fixed (no longer reported)\n", r.match.fixed, r.match.fixed == 1 ? "" : "s");
	return 0;
}

int sg_cmd_ingest(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "sarif") == 0)
		return ingest_sarif(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "sbom") == 0)
		return ingest_sbom(app, argc - 1, argv + 1, err);
	if (argc >= 1)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "unknown evidence \"%s\": this version ingests sarif and sbom", argv[0]);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate ingest sarif|sbom FILE... --product P");
}
