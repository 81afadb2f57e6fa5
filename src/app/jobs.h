/*
 * Background jobs of `shipgate serve` (docs/jobs.md): "vulndb-import"
 * re-imports OSV records from a configured path, "sla-notices" sends one
 * notice per finding and stage ("due-soon", "overdue") of the SLA clause
 * (remediate.sla). Servers that share a store run each job once per due time:
 * the store's claim (store.h "Background jobs") lets one of them in.
 */
#ifndef SG_APP_JOBS_H
#define SG_APP_JOBS_H

#include <stdio.h>

#include "app/app.h"

#define SG_JOB_VULNDB_IMPORT "vulndb-import"
#define SG_JOB_SLA_NOTICES "sla-notices"

#define SG_JOB_INSTANCE_BYTES 128
/* The longest interval: a year. */
#define SG_JOB_MAX_INTERVAL_S (366LL * 86400)
/* Notices one run sends at most; the rest wait for the next run. */
#define SG_JOB_MAX_NOTICES 10000
/* A webhook must answer within this long (seconds), connection included. */
#define SG_WEBHOOK_CONNECT_TIMEOUT_S 5
#define SG_WEBHOOK_TIMEOUT_S 10

struct sg_jobs_config {
	const char *instance;       /* who runs them, as job_run.instance records it */
	const char *vulndb_path;    /* NULL: no vulndb-import job */
	long long vulndb_every;     /* seconds */
	const char *sla_notify;     /* NULL: no sla-notices job; "log" or a webhook URL */
	long long sla_every;        /* seconds */
	int sla_due_soon_days;      /* "due-soon": due within this many days */
};

/*
 * What the server lends the jobs. write_begin/write_end bracket each write
 * transaction (the server's writers queue on one lock); log_line writes one
 * complete JSON object as one line of the server's log. Any may be NULL.
 */
struct sg_jobs_hooks {
	void *ctx;
	void (*write_begin)(void *ctx);
	void (*write_end)(void *ctx);
	void (*log_line)(void *ctx, const char *json);
};

/* "30s", "15m", "1h", "1d": a whole number and a unit, 1 s to a year. */
int sg_jobs_parse_duration(const char *text, const char *what, long long *seconds,
			   struct sg_error *err) SG_MUST_USE;
/* An instance name: 1 to SG_JOB_INSTANCE_BYTES-1 printable ASCII characters. */
int sg_jobs_check_instance(const char *name, struct sg_error *err) SG_MUST_USE;
/* The default instance name: the host name and the process id. */
void sg_jobs_default_instance(char out[SG_JOB_INSTANCE_BYTES]);
/* Where notices go: "log", or an https:// URL (http:// only to a loopback
 * host: 127.0.0.0/8, ::1 or localhost), without user or password. */
int sg_jobs_check_notify(const char *target, struct sg_error *err) SG_MUST_USE;
/* Is the whole configuration usable? (what serve checks before starting) */
int sg_jobs_check_config(const struct sg_jobs_config *cfg, struct sg_error *err) SG_MUST_USE;

/* Register the configured jobs (a new one is due at once). */
int sg_jobs_register(struct sg_app *app, const struct sg_jobs_config *cfg, time_t now,
		     struct sg_error *err) SG_MUST_USE;
/*
 * For each configured job: claim it; if this instance got it, run it and
 * finish the run "ok" or "failed" with a one-line summary, logged as one
 * line {"time","event":"job","job","instance","run","outcome","summary","ms"}.
 * *ran counts the runs. A job that fails is not an error of this call; a
 * store that cannot be reached is.
 */
int sg_jobs_run_due(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		    time_t now, int *ran, struct sg_error *err) SG_MUST_USE;

/* ---- the jobs themselves (their summary, in out, is one line) ---- */
int sg_job_vulndb_import(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
			 char *summary, size_t summary_size, struct sg_error *err) SG_MUST_USE;
int sg_job_sla_notices(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		       long long run_id, char *summary, size_t summary_size, struct sg_error *err) SG_MUST_USE;

/* ---- `shipgate job` ---- */
int sg_app_jobs_list(struct sg_app *app, sg_job_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
int sg_app_job_run_now(struct sg_app *app, const char *name, struct sg_error *err) SG_MUST_USE;

/* The webhook's process-wide setup (libcurl), from the main thread before
 * any job runs, and its end. */
int sg_webhook_global_init(struct sg_error *err) SG_MUST_USE;
void sg_webhook_global_cleanup(void);

#endif
