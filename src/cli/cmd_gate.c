#include <stdio.h>

#include "app/gate.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/render_gate.h"

enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN, FMT_JUNIT, FMT_SARIF };
static const char *const gate_formats[] = {"text", "json", "markdown", "junit", "sarif", NULL};

int sg_cmd_gate(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *product = NULL, *release = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL},
		{"release", &release, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_gate_report report;
	struct sg_args args;
	struct sg_jw w;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate gate --product P [--release V] [--format F]", err)) ||
	    (rc = sg_args_require(product, "product", err)))
		return rc;
	fmt = sg_pick_format(format, gate_formats, err);
	if (fmt < 0)
		return err->code;
	rc = sg_app_gate(app, product, release, &report, err);
	if (rc) {
		sg_gate_report_release(&report);
		return rc;
	}
	switch (fmt) {
	case FMT_JSON:
		sg_jw_init_file(&w, stdout, 1);
		sg_gate_json(&w, &report);
		if (sg_jw_finish(&w))
			rc = sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
		break;
	case FMT_MARKDOWN:
		sg_render_gate_markdown(stdout, &report);
		break;
	case FMT_JUNIT:
		sg_render_gate_junit(stdout, &report);
		break;
	case FMT_SARIF:
		if (sg_render_gate_sarif(stdout, &report))
			rc = sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
		break;
	case FMT_TEXT:
	default:
		sg_render_gate_text(stdout, &report);
		break;
	}
	if (!rc && report.result.blocked)
		rc = SG_EPOLICY;
	sg_gate_report_release(&report);
	return rc;
}
