/*
 * The PostgreSQL backend's background jobs, operation by operation as
 * sqlite_jobs.c. Servers sharing the database claim a job with its row lock
 * (SELECT ... FOR UPDATE SKIP LOCKED) in a short transaction of its own, not
 * under the store's write lock: a claim must neither wait behind an ingest
 * nor make one wait. One claimant holds the row and moves its next run on;
 * another skips the locked row, or, once it is committed, re-reads it (READ
 * COMMITTED re-checks a changed row) and finds it no longer due.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

int pg_job_register(void *impl, const char *name, long long interval_seconds, time_t now, struct sg_error *err)
{
	struct pg_params p;

	/* A new job is due at once; a known one keeps its next run unless the
	 * new interval brings it closer (a server restarted with 1h, not 1d). */
	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_int(&p, interval_seconds);
	pg_param_int(&p, (long long)now);
	return pg_exec(impl,
		       "INSERT INTO job(name, interval_seconds, next_run_at, created_at) VALUES ($1, $2, $3, $3) "
		       "ON CONFLICT (name) DO UPDATE SET interval_seconds = excluded.interval_seconds, "
		       "next_run_at = LEAST(job.next_run_at, $3 + excluded.interval_seconds)",
		       &p, "cannot register the job", err);
}

/* Inside the claim's transaction: lock the job's row if it is due and no one
 * else holds it. *due 0 or 1. */
static int job_lock_due(struct pg *s, const char *name, time_t now, int *due, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_int(&p, (long long)now);
	res = pg_query(s, "SELECT 1 FROM job WHERE name = $1 AND next_run_at <= $2 FOR UPDATE SKIP LOCKED", &p,
		       "cannot claim the job", err);
	if (!res)
		return err->code;
	*due = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

static int job_move_on(struct pg *s, const char *name, time_t now, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_int(&p, (long long)now);
	return pg_exec(s, "UPDATE job SET next_run_at = $2 + interval_seconds WHERE name = $1", &p,
		       "cannot schedule the job", err);
}

static int run_insert(struct pg *s, const char *name, const char *instance, time_t now, long long *run_id,
		      struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_text(&p, instance);
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(s, "INSERT INTO job_run(job, instance, started_at) VALUES ($1, $2, $3) RETURNING id", &p,
			 run_id, "cannot record the job's run", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot record the job's run: no id came back");
	return rc;
}

int pg_job_claim(void *impl, const char *name, const char *instance, time_t now, long long *run_id,
		 struct sg_error *err)
{
	struct pg *s = impl;
	int rc, due = 0;

	*run_id = 0;
	if (s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a job is claimed outside any transaction");
	/* pg_exec rather than pg_exec_sql: outside a transaction it replaces a
	 * lost connection and tries again, and the scheduler's connection may
	 * sit idle across a database restart. */
	if ((rc = pg_exec(s, "BEGIN ISOLATION LEVEL READ COMMITTED", NULL, "cannot claim the job", err)))
		return rc;
	s->in_tx = 1;
	rc = job_lock_due(s, name, now, &due, err);
	if (!rc && due)
		rc = job_move_on(s, name, now, err);
	if (!rc && due)
		rc = run_insert(s, name, instance, now, run_id, err);
	if (!rc)
		rc = pg_exec_sql(s, "COMMIT", "cannot claim the job", err);
	if (rc) {
		*run_id = 0;
		if (s->in_tx && PQstatus(s->conn) == CONNECTION_OK)
			PQclear(PQexec(s->conn, "ROLLBACK"));
	}
	s->in_tx = 0;
	return rc;
}

int pg_job_finish(void *impl, long long run_id, int ok, const char *summary, time_t now, struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, run_id);
	pg_param_int(&p, (long long)now);
	pg_param_text(&p, ok ? "ok" : "failed");
	pg_param_text(&p, summary);
	if ((rc = pg_exec_count(impl, "UPDATE job_run SET finished_at = $2, outcome = $3, summary = $4 WHERE id = $1",
				&p, "cannot record the end of the job's run", &changed, err)))
		return rc;
	if (changed != 1)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no job run %lld", run_id);
	return 0;
}

int pg_job_trigger(void *impl, const char *name, struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0;
	int rc;

	/* Due by the database's clock; a job due already stays as it is. */
	pg_params_init(&p);
	pg_param_text(&p, name);
	if ((rc = pg_exec_count(impl,
				"UPDATE job SET next_run_at = LEAST(next_run_at, "
				"floor(extract(epoch FROM clock_timestamp()))::bigint) WHERE name = $1",
				&p, "cannot trigger the job", &changed, err)))
		return rc;
	if (changed != 1)
		return sg_error_set(err, SG_DIAG_NOT_FOUND,
				    "no job \"%s\": a server registers its jobs when it starts", name);
	return 0;
}

struct job_walk {
	sg_job_cb cb;
	void *ctx;
};

static int job_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct job_walk *w = ctx;
	struct sg_job_record j;

	(void)err;
	memset(&j, 0, sizeof(j));
	j.name = pg_get_text(res, row, 0);
	j.interval_seconds = pg_get_int(res, row, 1);
	j.next_run_at = (time_t)pg_get_int(res, row, 2);
	j.runs = pg_get_int(res, row, 3);
	j.last_started_at = (time_t)pg_get_int(res, row, 4);
	j.last_finished_at = (time_t)pg_get_int(res, row, 5);
	j.last_instance = pg_get_text(res, row, 6);
	j.last_outcome = pg_get_text(res, row, 7);
	j.last_summary = pg_get_text(res, row, 8);
	return w->cb(w->ctx, &j);
}

int pg_jobs_list(void *impl, sg_job_cb cb, void *ctx, struct sg_error *err)
{
	struct job_walk w = {cb, ctx};

	return pg_each(impl,
		       "SELECT j.name, j.interval_seconds, j.next_run_at, "
		       "(SELECT count(*) FROM job_run c WHERE c.job = j.name), "
		       "r.started_at, r.finished_at, r.instance, r.outcome, r.summary "
		       "FROM job j LEFT JOIN job_run r ON r.id = (SELECT max(id) FROM job_run m WHERE m.job = j.name) "
		       "ORDER BY j.name",
		       NULL, "cannot read jobs", job_row, &w, err);
}

int pg_notice_mark(void *impl, long long finding_id, const char *stage, long long run_id, time_t now,
		   int *is_new, struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0;
	int rc;

	*is_new = 0;
	pg_params_init(&p);
	pg_param_int(&p, finding_id);
	pg_param_text(&p, stage);
	if (run_id)
		pg_param_int(&p, run_id);
	else
		pg_param_null(&p);
	pg_param_int(&p, (long long)now);
	if ((rc = pg_exec_count(impl,
				"INSERT INTO sla_notice(finding_id, stage, run_id, sent_at) VALUES ($1, $2, $3, $4) "
				"ON CONFLICT (finding_id, stage) DO NOTHING",
				&p, "cannot record the notice", &changed, err)))
		return rc;
	*is_new = changed == 1;
	return 0;
}
