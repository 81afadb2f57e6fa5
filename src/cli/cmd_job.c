/* `shipgate job list` and `shipgate job run-now NAME`: the servers' background jobs (docs/jobs.md). */
#include <stdio.h>
#include <string.h>

#include "app/jobs.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"
#include "util/timeutil.h"

static const char usage[] = "shipgate job list [--format text|json] | job run-now NAME";

/* "1d", "15m", "90s": the largest unit that divides it. */
static void format_interval(long long s, char *out, size_t size)
{
	if (s % 86400 == 0)
		snprintf(out, size, "%lldd", s / 86400);
	else if (s % 3600 == 0)
		snprintf(out, size, "%lldh", s / 3600);
	else if (s % 60 == 0)
		snprintf(out, size, "%lldm", s / 60);
	else
		snprintf(out, size, "%llds", s);
}

struct printer {
	struct sg_json_list list;
	int json;
	long long n;
	time_t now;
};

static void print_json(struct printer *p, const struct sg_job_record *j)
{
	struct sg_jw *w = sg_json_list_item(&p->list);

	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "name", j->name);
	sg_jw_kv_int(w, "interval_seconds", j->interval_seconds);
	sg_jw_kv_time(w, "next_run_at", j->next_run_at);
	sg_jw_key(w, "due");
	sg_jw_bool(w, j->next_run_at <= p->now);
	sg_jw_kv_int(w, "runs", j->runs);
	sg_jw_key(w, "last_run");
	if (!j->last_started_at) {
		sg_jw_null(w);
	} else {
		sg_jw_object_begin(w);
		sg_jw_kv_time(w, "started_at", j->last_started_at);
		sg_jw_kv_time(w, "finished_at", j->last_finished_at);
		sg_jw_kv_string(w, "instance", j->last_instance);
		sg_jw_kv_string(w, "outcome", j->last_outcome);
		sg_jw_kv_string(w, "summary", j->last_summary);
		sg_jw_object_end(w);
	}
	sg_jw_object_end(w);
}

static void print_text(struct printer *p, const struct sg_job_record *j)
{
	char every[32], when[SG_TIME_TEXT];

	format_interval(j->interval_seconds, every, sizeof(every));
	sg_time_format(j->next_run_at, when);
	sg_put_safe(stdout, j->name);
	printf("  every %s, next run %s%s, %lld run%s\n", every, when, j->next_run_at <= p->now ? " (due)" : "",
	       j->runs, j->runs == 1 ? "" : "s");
	if (!j->last_started_at)
		return;
	sg_time_format(j->last_started_at, when);
	printf("  last run %s by ", when);
	sg_put_safe(stdout, j->last_instance ? j->last_instance : "?");
	if (!j->last_outcome) {
		fputs(": running (or stopped before it finished)\n", stdout);
		return;
	}
	printf(": %s", j->last_outcome);
	if (j->last_summary && j->last_summary[0]) {
		fputs(": ", stdout);
		sg_put_safe_n(stdout, j->last_summary, 300);
	}
	putchar('\n');
}

static int print_job(void *ctx, const struct sg_job_record *j)
{
	struct printer *p = ctx;

	p->n++;
	if (p->json)
		print_json(p, j);
	else
		print_text(p, j);
	return 0;
}

static int list(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *format = NULL;
	const struct sg_opt opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct printer p;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)))
		return rc;
	if ((fmt = sg_pick_format(format ? format : "text", formats, err)) < 0)
		return err->code;
	memset(&p, 0, sizeof(p));
	p.json = fmt == 1;
	/* Whether a job is due is the servers' business, by the real clock. */
	p.now = time(NULL);
	if ((rc = sg_app_jobs_list(app, print_job, &p, err)))
		return rc;
	if (p.json)
		return sg_json_list_end(&p.list, err);
	if (p.n == 0)
		printf("no jobs: `shipgate serve --vulndb-path ... | --sla-notify ...` registers them\n");
	return 0;
}

static int run_now(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_args args;
	int rc;

	if ((rc = sg_args_parse(argc, argv, NULL, &args, err)) || (rc = sg_args_count(&args, 1, 1, usage, err)) ||
	    (rc = sg_app_job_run_now(app, args.positional[0], err)))
		return rc;
	fputs("job ", stdout);
	sg_put_safe(stdout, args.positional[0]);
	fputs(" is due now: the next tick of a server running it starts it (within a second)\n", stdout);
	return 0;
}

int sg_cmd_job(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return list(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "run-now") == 0)
		return run_now(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}
