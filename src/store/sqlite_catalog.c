/* The SQLite backend: products, ingests, scans and releases. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* Run a query for one id: 0 with *id set, SG_ENOTFOUND (err untouched) when
 * there is no row, or a store error. */
static int step_for_id(struct sq *s, sqlite3_stmt *st, long long *id, struct sg_error *err,
		       const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? SG_ENOTFOUND : sq_fail(s, err, what);
}

int sq_product_find(void *impl, const char *name, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_PRODUCT_FIND, err);
	int rc;

	if (!st)
		return err->code;
	sq_bind_text(st, 1, name);
	rc = step_for_id(s, st, id, err, "cannot look up the product");
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", name);
	return rc;
}

int sq_product_ensure(void *impl, const char *name, time_t now, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc = sq_product_find(impl, name, id, err);

	if (rc != SG_ENOTFOUND)
		return rc;
	sg_error_clear(err);
	st = sq_stmt(s, ST_PRODUCT_INSERT, err);
	if (!st)
		return err->code;
	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = sq_exec_done(s, st, err, "cannot create the product");
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sq_ingest_begin(void *impl, long long product_id, time_t now, long long *ingest_id,
			   struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_OCCURRENCE_RESET, err);
	int rc;

	if (!st)
		return err->code;
	if ((rc = sq_exec_done(s, st, err, "cannot start the ingest")))
		return rc;
	st = sq_stmt(s, ST_INGEST_INSERT, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = sq_exec_done(s, st, err, "cannot start the ingest");
	if (!rc)
		*ingest_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sq_scan_find_artifact(void *impl, long long product_id, const char *kind, const char *commit,
				 const unsigned char sha256[SG_SHA256_BYTES], const char *options,
				 long long before_scan_id, long long *scan_id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SCAN_FIND_ARTIFACT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sq_bind_text(st, 2, kind);
	sqlite3_bind_blob(st, 3, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	sq_bind_text(st, 4, commit);
	sqlite3_bind_int64(st, 5, before_scan_id);
	sq_bind_text(st, 6, options ? options : "");
	return step_for_id(s, st, scan_id, err, "cannot look up earlier scans");
}

int sq_scan_insert(void *impl, const struct sg_scan_record *scan, long long *scan_id,
			  struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SCAN_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, scan->product_id);
	sqlite3_bind_int64(st, 2, scan->ingest_id);
	sq_bind_text(st, 3, scan->kind);
	sq_bind_text(st, 4, scan->tool);
	sq_bind_text(st, 5, scan->tool_version);
	sq_bind_text(st, 6, scan->category ? scan->category : "");
	sq_bind_text(st, 7, scan->commit);
	sq_bind_text(st, 8, scan->release);
	sq_bind_text(st, 9, scan->environment);
	sq_bind_text(st, 10, scan->artifact_name);
	sqlite3_bind_blob(st, 11, scan->artifact_sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, scan->results_null);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)scan->created_at);
	sq_bind_text(st, 14, scan->options ? scan->options : "");
	rc = sq_exec_done(s, st, err, "cannot record the scan");
	if (!rc)
		*scan_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sq_scans_set_artifact(void *impl, long long first_scan_id,
				 const unsigned char sha256[SG_SHA256_BYTES], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SCAN_ARTIFACT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, first_scan_id);
	sqlite3_bind_blob(st, 2, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	return sq_exec_done(s, st, err, "cannot record the scan's artifact");
}

int sq_scan_set_counts(void *impl, long long scan_id, const struct sg_scan_counts *c,
			      struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SCAN_COUNTS, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int64(st, 2, c->results);
	sqlite3_bind_int64(st, 3, c->new_findings);
	sqlite3_bind_int64(st, 4, c->reopened);
	sqlite3_bind_int64(st, 5, c->fixed);
	return sq_exec_done(s, st, err, "cannot record the scan's counts");
}

int sq_scan_newest(void *impl, long long product_id, const char *kind, const char *commit,
			  struct sg_gate_scan *out, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SCAN_NEWEST, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sq_bind_text(st, 2, kind);
	sq_bind_text(st, 3, commit);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->found = 1;
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->tool, sizeof(out->tool), "%s", sq_col_text(st, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", sq_col_text(st, 2));
		out->created_at = (time_t)sqlite3_column_int64(st, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot look up scans");
}

int sq_release_create(void *impl, long long product_id, const char *version, const char *commit,
			     const char *build_digest, time_t now, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_RELEASE_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sq_bind_text(st, 2, version);
	sq_bind_text(st, 3, commit);
	sq_bind_text(st, 4, build_digest);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT && sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		return sg_error_set(err, SG_DIAG_CONFLICT, "release \"%s\" exists already", version);
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot create the release");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int sq_release_find(void *impl, long long product_id, const char *version, struct sg_release *out,
			   struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_RELEASE_FIND, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sq_bind_text(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->version, sizeof(out->version), "%s", sq_col_text(st, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", sq_col_text(st, 2));
		snprintf(out->build_digest, sizeof(out->build_digest), "%s", sq_col_text(st, 3));
		out->created_at = (time_t)sqlite3_column_int64(st, 4);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot look up the release");
	return sg_error_set(err, SG_DIAG_NOT_FOUND, "no release \"%s\"", version);
}
