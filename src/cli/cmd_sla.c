/* `shipgate sla`: overdue findings and those due soon; exit 1 when a
 * finding at a blocking severity is overdue, so a scheduled job can alert. */
#include <stdio.h>
#include <string.h>

#include "app/findings.h"
#include "app/sla.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/safe_text.h"
#include "core/sla.h"
#include "util/timeutil.h"

struct printer {
	time_t now;
};

static int print_due(void *ctx, const struct sg_finding *f, time_t due, int overdue)
{
	struct printer *p = ctx;
	char when[SG_TIME_TEXT];
	long long days = 0, late;

	if (!__builtin_sub_overflow((long long)p->now, (long long)due, &late))
		days = late / 86400;
	sg_time_format(due, when);
	printf("%-8s #%-6lld %-8s due %.10s", overdue ? "OVERDUE" : "due soon", f->id, sg_severity_name(f->severity),
	       when);
	if (overdue)
		printf(" (%lld day%s ago)", days, days == 1 ? "" : "s");
	fputs("  ", stdout);
	sg_put_safe(stdout, f->tool);
	putchar(' ');
	sg_put_safe(stdout, f->rule[0] ? f->rule : "(no rule)");
	if (f->path) {
		putchar(' ');
		sg_put_safe(stdout, f->path);
	}
	putchar('\n');
	return 0;
}

int sg_cmd_sla(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *product = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_sla_summary sum;
	struct sg_args args;
	struct printer p;
	char now[SG_TIME_TEXT];
	int rc, fmt, sev;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate sla --product P [--format text|json]", err)) ||
	    (rc = sg_args_require(product, "product", err)))
		return rc;
	if ((fmt = sg_pick_format(format, formats, err)) < 0)
		return err->code;
	if (fmt == 1) {
		/* Built whole before it is printed: a report that fails half way
		 * prints nothing rather than half a document. */
		struct sg_buf out;
		struct sg_jw w;
		sg_buf_init(&out, 256ULL << 20);
		sg_jw_init_buf(&w, &out, 1);
		rc = sg_app_sla_json(app, product, &w, &sum, err);
		if (!rc && sg_jw_finish(&w) != 0)
			rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory writing the report");
		if (!rc)
			fwrite(out.data, 1, out.len, stdout);
		sg_buf_release(&out);
		if (rc)
			return rc;
		return sum.blocking_overdue ? SG_EPOLICY : 0;
	}
	memset(&p, 0, sizeof(p));
	p.now = sg_now();
	rc = sg_app_sla(app, product, print_due, &p, &sum, err);
	if (rc)
		return rc;
	sg_time_format(sum.now, now);
	{
		long long overdue = 0, soon = 0;
		for (sev = 0; sev < SG_SEV_COUNT; sev++) {
			overdue += sum.overdue[sev];
			soon += sum.due_soon[sev];
		}
		printf("sla: %lld overdue (%lld at a blocking severity), %lld due within %d days, as of %s\n", overdue,
		       sum.blocking_overdue, soon, SG_SLA_DUE_SOON_DAYS, now);
		if (sum.clock_overridden)
			printf("note: the clock is set by $SHIPGATE_NOW, not the system clock\n");
	}
	return sum.blocking_overdue ? SG_EPOLICY : 0;
}
