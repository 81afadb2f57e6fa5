#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"

static const char *const list_formats[] = {"text", "json", NULL};

struct printer {
	struct sg_jw jw; /* findings show */
	struct sg_json_list list;
	int json;
	long long count;
};

static int print_finding(void *ctx, const struct sg_finding *f)
{
	struct printer *p = ctx;

	p->count++;
	if (p->json) {
		sg_finding_json(sg_json_list_item(&p->list), f);
		return 0;
	}
	printf("#%-6lld %-8s %-14s ", f->id, sg_severity_name(f->severity), sg_status_name(f->status));
	sg_put_safe(stdout, f->tool);
	putchar(' ');
	sg_put_safe(stdout, f->rule[0] ? f->rule : "(no rule)");
	if (f->path) {
		putchar(' ');
		sg_put_safe(stdout, f->path);
		if (f->line > 0)
			printf(":%ld", f->line);
	} else if (f->component) {
		putchar(' ');
		sg_put_safe(stdout, f->component);
	}
	fputs("\n        ", stdout);
	sg_put_safe_n(stdout, f->message, 200);
	putchar('\n');
	return 0;
}

static int list(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_findings_query q = {0};
	const char *format = NULL, *limit = NULL;
	const struct sg_opt opts[] = {
		{"product", &q.product, NULL},
		{"status", &q.status, NULL},
		{"severity", &q.severity, NULL},
		{"format", &format, NULL},
		{"limit", &limit, NULL},
		{NULL, NULL, NULL},
	};
	struct printer p;
	struct sg_args args;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate findings [list] --product P [...]", err)) ||
	    (rc = sg_args_require(q.product, "product", err)))
		return rc;
	fmt = sg_pick_format(format, list_formats, err);
	if (fmt < 0)
		return err->code;
	if (limit) {
		char *end;
		errno = 0;
		q.limit = strtoll(limit, &end, 10);
		if (errno || *end || q.limit <= 0)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--limit must be a positive integer");
	}
	memset(&p, 0, sizeof(p));
	p.json = fmt == 1;
	rc = sg_app_findings_list(app, &q, print_finding, &p, err);
	if (p.json && !rc) {
		rc = sg_json_list_end(&p.list, err);
	} else if (!rc) {
		printf("%lld finding%s\n", p.count, p.count == 1 ? "" : "s");
	}
	return rc;
}

static int print_event(void *ctx, const struct sg_finding_event *e)
{
	struct printer *p = ctx;

	if (p->json) {
		sg_finding_event_json(&p->jw, e);
		return 0;
	}
	printf("  %s  %-9s", e->at, sg_event_name(e->kind));
	if (e->from_status)
		printf(" %s -> %s", e->from_status, e->to_status);
	else
		printf(" -> %s", e->to_status);
	if (e->scan_id > 0)
		printf("  (scan %lld)", e->scan_id);
	if (e->reason) {
		fputs("  reason: ", stdout);
		sg_put_safe(stdout, e->reason);
	}
	printf("\n");
	return 0;
}

static int show_finding(void *ctx, const struct sg_finding *f)
{
	struct printer *p = ctx;
	char fp[2 * SG_FINGERPRINT_BYTES + 1];

	if (p->json) {
		/* The finding's members, then its history, in one object. */
		sg_jw_key(&p->jw, "finding");
		sg_finding_json(&p->jw, f);
		sg_jw_key(&p->jw, "events");
		sg_jw_array_begin(&p->jw);
		return 0;
	}
	sg_hex(f->fingerprint, SG_FINGERPRINT_BYTES, fp);
	printf("finding %lld  %s  %s\n", f->id, sg_severity_name(f->severity), sg_status_name(f->status));
	fputs("  product      ", stdout);
	sg_put_safe(stdout, f->product);
	fputs("\n  tool         ", stdout);
	sg_put_safe(stdout, f->tool);
	printf(" (%s", f->kind);
	if (f->category[0]) {
		fputs(", category ", stdout);
		sg_put_safe(stdout, f->category);
	}
	fputs(")\n  rule         ", stdout);
	sg_put_safe(stdout, f->rule[0] ? f->rule : "(no rule)");
	if (f->path) {
		fputs("\n  location     ", stdout);
		sg_put_safe(stdout, f->path);
		printf(":%ld", f->line);
	}
	if (f->component) {
		fputs("\n  component    ", stdout);
		sg_put_safe(stdout, f->component);
	}
	fputs("\n  message      ", stdout);
	sg_put_safe(stdout, f->message);
	printf("\n  fingerprint  %s\n  first seen   %s (scan %lld)\n  last seen    %s (scan %lld)\nhistory:\n",
	       fp, f->first_seen, f->first_seen_scan, f->last_seen, f->last_seen_scan);
	return 0;
}

static int show(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *format = NULL;
	const struct sg_opt opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct printer p;
	long long id;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1, "shipgate findings show ID [--format text|json]", err)) ||
	    (rc = sg_parse_finding_id(args.positional[0], &id, err)))
		return rc;
	fmt = sg_pick_format(format, list_formats, err);
	if (fmt < 0)
		return err->code;
	memset(&p, 0, sizeof(p));
	p.json = fmt == 1;
	if (p.json) {
		sg_jw_init_file(&p.jw, stdout, 1);
		sg_jw_object_begin(&p.jw);
	}
	rc = sg_app_finding_show(app, id, show_finding, print_event, &p, err);
	if (p.json && !rc) {
		sg_jw_array_end(&p.jw);
		sg_jw_object_end(&p.jw);
		if (sg_jw_finish(&p.jw))
			rc = sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
	}
	return rc;
}

static int triage(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *status = NULL, *reason = NULL;
	const struct sg_opt opts[] = {
		{"status", &status, NULL},
		{"reason", &reason, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_args args;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1, "shipgate findings triage ID --status S --reason TEXT", err)) ||
	    (rc = sg_parse_finding_id(args.positional[0], &id, err)) ||
	    (rc = sg_args_require(status, "status", err)) || (rc = sg_args_require(reason, "reason", err)))
		return rc;
	rc = sg_app_finding_triage(app, id, status, reason, err);
	if (!rc)
		printf("finding %lld is now %s\n", id, status);
	return rc;
}

int sg_cmd_findings(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return list(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return show(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "triage") == 0)
		return triage(app, argc - 1, argv + 1, err);
	return list(app, argc, argv, err);
}
