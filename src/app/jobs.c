/*
 * The background jobs' runner (jobs.h) and the vulndb-import job; the
 * sla-notices job is in sla_notify.c.
 *
 * A claim is the store's: one short transaction that lets one server in per
 * due time (store.h "Background jobs"). On SQLite, which has one writer at a
 * time, the claim and the run's end queue behind this process's other
 * writers like any write; on PostgreSQL they do not: the job's row lock is
 * all a claim needs, and it must not wait for an ingest.
 */
#include "app/jobs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/sca.h"
#include "util/buf.h"
#include "util/json_writer.h"
#include "util/timeutil.h"

/* ---- configuration ---- */

int sg_jobs_parse_duration(const char *text, const char *what, long long *seconds, struct sg_error *err)
{
	static const struct {
		char unit;
		long long seconds;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	unsigned long long n;
	char *end;
	size_t i;

	if (!text || !isdigit((unsigned char)text[0]))
		goto bad;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno || end == text || !end[0] || end[1])
		goto bad;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*end != units[i].unit)
			continue;
		if (n == 0 || n > (unsigned long long)(SG_JOB_MAX_INTERVAL_S / units[i].seconds))
			goto bad;
		*seconds = (long long)n * units[i].seconds;
		return 0;
	}
bad:
	return sg_error_set(err, SG_DIAG_BAD_VALUE,
			    "%s must be a duration like 30s, 15m, 1h or 1d (at most 366d), not \"%.40s\"", what,
			    text ? text : "");
}

int sg_jobs_check_instance(const char *name, struct sg_error *err)
{
	size_t i, len = name ? strlen(name) : 0;

	if (len == 0 || len >= SG_JOB_INSTANCE_BYTES)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--instance must be 1 to %d characters",
				    SG_JOB_INSTANCE_BYTES - 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] <= 0x20 || (unsigned char)name[i] >= 0x7f)
			return sg_error_set(err, SG_DIAG_BAD_VALUE,
					    "--instance must be printable ASCII without spaces");
	return 0;
}

void sg_jobs_default_instance(char out[SG_JOB_INSTANCE_BYTES])
{
	char host[64];
	size_t i;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	/* A host name is the administrator's, but the instance name must pass
	 * sg_jobs_check_instance all the same. */
	for (i = 0; host[i]; i++)
		if ((unsigned char)host[i] <= 0x20 || (unsigned char)host[i] >= 0x7f)
			host[i] = '_';
	snprintf(out, SG_JOB_INSTANCE_BYTES, "%s:%ld", host[0] ? host : "localhost", (long)getpid());
}

int sg_jobs_check_config(const struct sg_jobs_config *cfg, struct sg_error *err)
{
	int rc;

	if ((rc = sg_jobs_check_instance(cfg->instance, err)))
		return rc;
	if (cfg->vulndb_path && (cfg->vulndb_every <= 0 || !cfg->vulndb_path[0]))
		return sg_error_set(err, SG_DIAG_USAGE, "--vulndb-path needs a path and --vulndb-every a duration");
	if (cfg->sla_notify && (rc = sg_jobs_check_notify(cfg->sla_notify, err)))
		return rc;
	if (cfg->sla_notify && cfg->sla_every <= 0)
		return sg_error_set(err, SG_DIAG_USAGE, "--sla-notify needs --sla-every DURATION");
	if (cfg->sla_due_soon_days < 0 || cfg->sla_due_soon_days > 365)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--sla-due-soon must be 0 to 365 days");
	return 0;
}

/* ---- claiming and running ---- */

struct job_def {
	const char *name;
	long long every;
};

/* The configured jobs, in the order they run within a tick. */
static size_t configured_jobs(const struct sg_jobs_config *cfg, struct job_def out[2])
{
	size_t n = 0;

	if (cfg->vulndb_path) {
		out[n].name = SG_JOB_VULNDB_IMPORT;
		out[n++].every = cfg->vulndb_every;
	}
	if (cfg->sla_notify) {
		out[n].name = SG_JOB_SLA_NOTICES;
		out[n++].every = cfg->sla_every;
	}
	return n;
}

int sg_jobs_register(struct sg_app *app, const struct sg_jobs_config *cfg, time_t now, struct sg_error *err)
{
	struct sg_store *store;
	struct job_def jobs[2];
	size_t i, n = configured_jobs(cfg, jobs);
	int rc;

	if (n == 0)
		return 0;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = sg_store_job_register(store, jobs[i].name, jobs[i].every, now, err)))
			return rc;
	return 0;
}

static void hook_write_begin(const struct sg_jobs_hooks *h)
{
	if (h && h->write_begin)
		h->write_begin(h->ctx);
}

static void hook_write_end(const struct sg_jobs_hooks *h)
{
	if (h && h->write_end)
		h->write_end(h->ctx);
}

/* SQLite lets one writer in at a time: its claims queue with the rest. */
static int one_writer(struct sg_store *store)
{
	return strncmp(sg_store_name(store), "sqlite:", 7) == 0;
}

static long long micros_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - t->tv_sec) * 1000000LL + (now.tv_nsec - t->tv_nsec) / 1000;
}

struct run_record {
	const char *job;
	const char *instance;
	long long run_id;
	int ok;
	const char *summary;
	long long us;
};

static void log_run(const struct sg_jobs_hooks *h, const struct run_record *r)
{
	char when[SG_TIME_TEXT];
	struct sg_buf line;
	struct sg_jw w;

	if (!h || !h->log_line)
		return;
	/* The real clock, as the request log: the operator's record. */
	sg_time_format(time(NULL), when);
	sg_buf_init(&line, 16384);
	sg_jw_init_buf(&w, &line, 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "time", when);
	sg_jw_kv_string(&w, "event", "job");
	sg_jw_kv_string(&w, "job", r->job);
	sg_jw_kv_string(&w, "instance", r->instance);
	sg_jw_kv_int(&w, "run", r->run_id);
	sg_jw_kv_string(&w, "outcome", r->ok ? "ok" : "failed");
	sg_jw_kv_string(&w, "summary", r->summary);
	sg_jw_kv_int(&w, "us", r->us);
	sg_jw_object_end(&w);
	if (sg_jw_finish(&w) == 0 && !sg_buf_error(&line))
		h->log_line(h->ctx, line.data);
	sg_buf_release(&line);
}

static int run_job(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		   const char *name, long long run_id, char *summary, size_t size)
{
	struct sg_error job_err;
	int rc;

	sg_error_clear(&job_err);
	if (strcmp(name, SG_JOB_VULNDB_IMPORT) == 0)
		rc = sg_job_vulndb_import(app, cfg, hooks, summary, size, &job_err);
	else
		rc = sg_job_sla_notices(app, cfg, hooks, run_id, summary, size, &job_err);
	if (rc) {
		/* The failure is the run's summary, on one line. */
		sg_error_format(&job_err, summary, size);
		summary[strcspn(summary, "\r\n")] = '\0';
	}
	return rc;
}

/* Claim one job; run and finish it when this instance got it. */
static int claim_and_run(struct sg_app *app, struct sg_store *store, const struct sg_jobs_config *cfg,
			 const struct sg_jobs_hooks *hooks, const char *name, time_t now, int *ran,
			 struct sg_error *err)
{
	int serial = one_writer(store), rc;
	struct run_record r;
	struct timespec started;
	char summary[1024];
	long long run_id = 0;

	if (serial)
		hook_write_begin(hooks);
	rc = sg_store_job_claim(store, name, cfg->instance, now, &run_id, err);
	if (serial)
		hook_write_end(hooks);
	if (rc || run_id == 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &started);
	summary[0] = '\0';
	memset(&r, 0, sizeof(r));
	r.job = name;
	r.instance = cfg->instance;
	r.run_id = run_id;
	r.ok = run_job(app, cfg, hooks, name, run_id, summary, sizeof(summary)) == 0;
	r.summary = summary;
	r.us = micros_since(&started);
	if (serial)
		hook_write_begin(hooks);
	rc = sg_store_job_finish(store, run_id, r.ok, summary, time(NULL), err);
	if (serial)
		hook_write_end(hooks);
	log_run(hooks, &r);
	(*ran)++;
	return rc;
}

int sg_jobs_run_due(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		    time_t now, int *ran, struct sg_error *err)
{
	struct sg_store *store;
	struct job_def jobs[2];
	size_t i, n = configured_jobs(cfg, jobs);
	int rc;

	*ran = 0;
	if (n == 0)
		return 0;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = claim_and_run(app, store, cfg, hooks, jobs[i].name, now, ran, err)))
			return rc;
	return 0;
}

/* ---- vulndb-import ---- */

int sg_job_vulndb_import(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
			 char *summary, size_t summary_size, struct sg_error *err)
{
	const char *paths[1] = {cfg->vulndb_path};
	struct sg_vulndb_report r;
	int rc;

	/* It writes its own transaction and audit entries, as `vulndb import`. */
	hook_write_begin(hooks);
	rc = sg_app_vulndb_import(app, paths, 1, &r, err);
	hook_write_end(hooks);
	if (rc)
		return rc;
	snprintf(summary, summary_size,
		 "%lld record%s read: %lld added, %lld updated (%lld withdrawn), %lld unchanged; "
		 "%lld product%s matched again: %lld new finding%s, %lld reopened, %lld fixed",
		 r.files, r.files == 1 ? "" : "s", r.added, r.updated, r.withdrawn, r.unchanged, r.products,
		 r.products == 1 ? "" : "s", r.match.new_findings, r.match.new_findings == 1 ? "" : "s",
		 r.match.reopened, r.match.fixed);
	return 0;
}

/* ---- `shipgate job` ---- */

int sg_app_jobs_list(struct sg_app *app, sg_job_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	return sg_store_jobs_list(store, cb, ctx, err);
}

int sg_app_job_run_now(struct sg_app *app, const char *name, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_check_name(name, "the job's name", err)) ||
	    (rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	return sg_store_job_trigger(store, name, err);
}
