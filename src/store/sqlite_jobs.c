/*
 * The SQLite backend's background jobs (store.h "Background jobs"). Servers
 * that share a store file claim a job inside BEGIN IMMEDIATE: SQLite lets one
 * writer in at a time, so whoever gets in first finds the job due and moves
 * it on; the next one in finds it no longer due. The tables stay small, so
 * statements are prepared per call.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

int sq_job_register(void *impl, const char *name, long long interval_seconds, time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	/* A new job is due at once; a known one keeps its next run unless the
	 * new interval brings it closer (a server restarted with 1h, not 1d). */
	if ((rc = sq_prepare(s,
			     "INSERT INTO job(name, interval_seconds, next_run_at, created_at) VALUES (?1, ?2, ?3, ?3) "
			     "ON CONFLICT (name) DO UPDATE SET interval_seconds = excluded.interval_seconds, "
			     "next_run_at = min(job.next_run_at, ?3 + excluded.interval_seconds)",
			     &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, interval_seconds);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot register the job", err);
	return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot register the job") : rc;
}

/* Inside the claim's transaction: is the job due? *due 0 or 1. */
static int job_is_due(struct sq *s, const char *name, time_t now, int *due, struct sg_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "SELECT 1 FROM job WHERE name = ?1 AND next_run_at <= ?2", &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = sqlite3_step(st);
	*due = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read jobs");
	sqlite3_finalize(st);
	return rc;
}

static int job_move_on(struct sq *s, const char *name, time_t now, struct sg_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "UPDATE job SET next_run_at = ?2 + interval_seconds WHERE name = ?1", &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot schedule the job", err);
	return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot schedule the job") : rc;
}

static int run_insert(struct sq *s, const char *name, const char *instance, time_t now, long long *run_id,
		      struct sg_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO job_run(job, instance, started_at) VALUES (?1, ?2, ?3)", &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	sq_bind_text(st, 2, instance);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot record the job's run", err);
	if (rc == SG_ECONFLICT)
		return sq_fail(s, err, "cannot record the job's run");
	if (!rc)
		*run_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sq_job_claim(void *impl, const char *name, const char *instance, time_t now, long long *run_id,
		 struct sg_error *err)
{
	struct sq *s = impl;
	int rc, due = 0;

	*run_id = 0;
	if (s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a job is claimed outside any transaction");
	/* IMMEDIATE: the write lock first, so that two claimants cannot both
	 * read the job as due before either moves it on. */
	if ((rc = sq_exec_sql(s, "BEGIN IMMEDIATE", err, "cannot claim the job")))
		return rc;
	s->in_tx = 1;
	rc = job_is_due(s, name, now, &due, err);
	if (!rc && due)
		rc = job_move_on(s, name, now, err);
	if (!rc && due)
		rc = run_insert(s, name, instance, now, run_id, err);
	if (!rc)
		rc = sq_exec_sql(s, "COMMIT", err, "cannot claim the job");
	if (rc) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		*run_id = 0;
	}
	s->in_tx = 0;
	return rc;
}

int sq_job_finish(void *impl, long long run_id, int ok, const char *summary, time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "UPDATE job_run SET finished_at = ?2, outcome = ?3, summary = ?4 WHERE id = ?1", &st,
			     err)))
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sq_bind_text(st, 3, ok ? "ok" : "failed");
	sq_bind_text(st, 4, summary);
	if ((rc = sq_run_once(s, st, "cannot record the end of the job's run", err)))
		return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot record the end of the job's run") : rc;
	if (sqlite3_changes(s->db) != 1)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no job run %lld", run_id);
	return 0;
}

int sq_job_trigger(void *impl, const char *name, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	/* Due by the store's clock; a job due already stays as it is. */
	if ((rc = sq_prepare(s,
			     "UPDATE job SET next_run_at = min(next_run_at, CAST(strftime('%s', 'now') AS INTEGER)) "
			     "WHERE name = ?1",
			     &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	if ((rc = sq_run_once(s, st, "cannot trigger the job", err)))
		return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot trigger the job") : rc;
	if (sqlite3_changes(s->db) != 1)
		return sg_error_set(err, SG_DIAG_NOT_FOUND,
				    "no job \"%s\": a server registers its jobs when it starts", name);
	return 0;
}

static void read_job(sqlite3_stmt *st, struct sg_job_record *out)
{
	memset(out, 0, sizeof(*out));
	out->name = sq_col_text(st, 0);
	out->interval_seconds = sqlite3_column_int64(st, 1);
	out->next_run_at = (time_t)sqlite3_column_int64(st, 2);
	out->runs = sqlite3_column_int64(st, 3);
	out->last_started_at = (time_t)sqlite3_column_int64(st, 4);
	out->last_finished_at = (time_t)sqlite3_column_int64(st, 5);
	out->last_instance = sq_col_text(st, 6);
	out->last_outcome = sq_col_text(st, 7);
	out->last_summary = sq_col_text(st, 8);
}

int sq_jobs_list(void *impl, sg_job_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_job_record j;
	sqlite3_stmt *st;
	int rc, cb_rc = 0;

	if ((rc = sq_prepare(s,
			     "SELECT j.name, j.interval_seconds, j.next_run_at, "
			     "(SELECT count(*) FROM job_run c WHERE c.job = j.name), "
			     "r.started_at, r.finished_at, r.instance, r.outcome, r.summary "
			     "FROM job j LEFT JOIN job_run r "
			     "ON r.id = (SELECT max(id) FROM job_run m WHERE m.job = j.name) "
			     "ORDER BY j.name",
			     &st, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_job(st, &j);
		if ((cb_rc = cb(ctx, &j)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read jobs");
}

int sq_notice_mark(void *impl, long long finding_id, const char *stage, long long run_id, time_t now,
		   int *is_new, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	*is_new = 0;
	if ((rc = sq_prepare(s,
			     "INSERT INTO sla_notice(finding_id, stage, run_id, sent_at) VALUES (?1, ?2, ?3, ?4) "
			     "ON CONFLICT (finding_id, stage) DO NOTHING",
			     &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, finding_id);
	sq_bind_text(st, 2, stage);
	if (run_id)
		sqlite3_bind_int64(st, 3, run_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	if ((rc = sq_run_once(s, st, "cannot record the notice", err)))
		return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot record the notice") : rc;
	*is_new = sqlite3_changes(s->db) == 1;
	return 0;
}
