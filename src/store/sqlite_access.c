/*
 * The SQLite backend's API tokens and product grants. Like people, these
 * tables stay small, so their statements are prepared per call; a token
 * is found through the unique index on its hash.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

int sq_token_insert(void *impl, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
		    const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO api_token(principal_id, sha256, prefix, created_at, expires_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5)", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, principal_id);
	sqlite3_bind_blob(st, 2, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	sq_bind_text(st, 3, prefix);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	if (expires_at)
		sqlite3_bind_int64(st, 5, (sqlite3_int64)expires_at);
	rc = sq_run_once(s, st, "cannot record the token", err);
	if (rc == SG_ECONFLICT)
		return sg_error_set(err, SG_DIAG_CONFLICT, "a token with the same hash exists already");
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The columns read_token() reads; a token whose user is gone keeps its row. */
static void read_token(sqlite3_stmt *st, struct sg_token_record *out)
{
	const char *name = sq_col_text(st, 3), *role = sq_col_text(st, 4), *prefix = sq_col_text(st, 6);

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->principal_id = sqlite3_column_int64(st, 1);
	out->user_found = sqlite3_column_int(st, 2) && name;
	snprintf(out->user, sizeof(out->user), "%s", out->user_found ? name : "");
	if (!role || sg_role_parse(role, &out->role) != 0)
		out->role = SG_ROLE_VIEWER; /* the least a damaged row can grant */
	if (sqlite3_column_bytes(st, 5) == SG_SHA256_BYTES)
		memcpy(out->sha256, sqlite3_column_blob(st, 5), SG_SHA256_BYTES);
	snprintf(out->prefix, sizeof(out->prefix), "%s", prefix ? prefix : "");
	out->created_at = (time_t)sqlite3_column_int64(st, 7);
	out->expires_at = (time_t)sqlite3_column_int64(st, 8); /* NULL reads as 0: never */
	out->revoked = sqlite3_column_type(st, 9) != SQLITE_NULL;
	out->revoked_at = (time_t)sqlite3_column_int64(st, 9);
}

int sq_token_find(void *impl, const unsigned char sha256[SG_SHA256_BYTES], struct sg_token_record *out,
		  struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_TOKEN_FIND, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_token(st, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		/* Nothing of the token in the message: it is a secret. */
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no such token");
	} else {
		rc = sq_fail(s, err, "cannot read tokens");
	}
	sqlite3_reset(st);
	return rc;
}

int sq_token_revoke(void *impl, long long id, time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc, exists;

	if ((rc = sq_prepare(s, "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if ((rc = sq_run_once(s, st, "cannot revoke the token", err)))
		return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot revoke the token") : rc;
	if (sqlite3_changes(s->db) == 1)
		return 0;
	if ((rc = sq_prepare(s, "SELECT 1 FROM api_token WHERE id = ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	exists = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read tokens");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (!exists)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no token %lld", id);
	return sg_error_set(err, SG_DIAG_CONFLICT, "token %lld is revoked already", id);
}

int sq_tokens_list(void *impl, const struct sg_token_filter *filter, sg_token_record_cb cb, void *ctx,
		   struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_token_record t;
	sqlite3_stmt *st;
	int rc, cb_rc = 0;

	if ((rc = sq_prepare(s, SQ_TOKEN_SELECT "WHERE (?1 = 0 OR t.id = ?1) AND (?2 = 0 OR t.principal_id = ?2) "
					  "ORDER BY t.id", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, filter ? filter->id : 0);
	sqlite3_bind_int64(st, 2, filter ? filter->principal_id : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_token(st, &t);
		if ((cb_rc = cb(ctx, &t)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read tokens");
}

int sq_grant_add(void *impl, long long principal_id, const char *product, time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO product_grant(principal_id, product, created_at) VALUES (?1, ?2, ?3)", &st,
			  err)))
		return rc;
	sqlite3_bind_int64(st, 1, principal_id);
	sq_bind_text(st, 2, product);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot record the grant", err);
	if (rc == SG_ECONFLICT)
		return sg_error_set(err, SG_DIAG_CONFLICT, "product \"%s\" is granted already", product);
	return rc;
}

int sq_grant_remove(void *impl, long long principal_id, const char *product, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "DELETE FROM product_grant WHERE principal_id = ?1 AND product = ?2", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, principal_id);
	sq_bind_text(st, 2, product);
	if ((rc = sq_run_once(s, st, "cannot remove the grant", err)))
		return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot remove the grant") : rc;
	if (sqlite3_changes(s->db) != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "product \"%s\" is not granted", product);
	return 0;
}

int sq_grants_list(void *impl, long long principal_id, sg_product_name_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc, cb_rc = 0;

	/* The unique index on (principal_id, product) gives this order. */
	if ((rc = sq_prepare(s, "SELECT product FROM product_grant WHERE principal_id = ?1 ORDER BY product", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, principal_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *product = sq_col_text(st, 0);
		if ((cb_rc = cb(ctx, product ? product : "")))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read grants");
}

int sq_grant_check(void *impl, long long principal_id, const char *product, int *granted, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_GRANT_CHECK, err);
	int rc;

	*granted = 0;
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, principal_id);
	sq_bind_text(st, 2, product);
	rc = sqlite3_step(st);
	*granted = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read grants");
	sqlite3_reset(st);
	return rc;
}

int sq_product_name(void *impl, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "SELECT name FROM product WHERE id = ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *n = sq_col_text(st, 0);
		snprintf(name, SG_PRODUCT_NAME_BYTES, "%s", n ? n : "");
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no product %lld", id);
	} else {
		rc = sq_fail(s, err, "cannot read products");
	}
	sqlite3_finalize(st);
	return rc;
}
