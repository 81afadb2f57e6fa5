/*
 * The SQLite backend's people, keys and exceptions. These tables stay small
 * (people, not results), so their statements are prepared per call.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

int sq_principal_add(void *impl, const char *name, enum sg_role role, time_t now, long long *id,
		     struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO principal(name, role, created_at) VALUES (?1, ?2, ?3)", &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	sq_bind_text(st, 2, sg_role_name(role));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot add the user", err);
	if (rc == SG_ECONFLICT)
		return sg_error_set(err, SG_DIAG_CONFLICT, "user \"%s\" exists already", name);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static void read_principal(sqlite3_stmt *st, struct sg_principal *out)
{
	const char *name = sq_col_text(st, 1), *role = sq_col_text(st, 2);

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	if (!role || sg_role_parse(role, &out->role) != 0)
		out->role = SG_ROLE_VIEWER; /* the least a damaged row can grant */
	out->created_at = (time_t)sqlite3_column_int64(st, 3);
	out->n_keys = sqlite3_column_int(st, 4);
}

#define PRINCIPAL_COLUMNS \
	"p.id, p.name, p.role, p.created_at, (SELECT count(*) FROM principal_key k WHERE k.principal_id = p.id)"

int sq_principal_find(void *impl, const char *name, struct sg_principal *out, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "SELECT " PRINCIPAL_COLUMNS " FROM principal p WHERE p.name = ?1", &st, err)))
		return rc;
	sq_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_principal(st, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no user \"%s\": add one with `shipgate user add`", name);
	} else {
		rc = sq_fail(s, err, "cannot read users");
	}
	sqlite3_finalize(st);
	return rc;
}

int sq_principals_list(void *impl, sg_principal_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_principal p;
	sqlite3_stmt *st;
	int rc, cb_rc = 0;

	if ((rc = sq_prepare(s, "SELECT " PRINCIPAL_COLUMNS " FROM principal p ORDER BY p.name", &st, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_principal(st, &p);
		if ((cb_rc = cb(ctx, &p)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read users");
}

int sq_key_add(void *impl, long long principal_id, const char *key_id,
	       const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO principal_key(principal_id, key_id, public_key, created_at) "
			     "VALUES (?1, ?2, ?3, ?4)", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, principal_id);
	sq_bind_text(st, 2, key_id);
	sqlite3_bind_blob(st, 3, key, SG_PUBLIC_KEY_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	rc = sq_run_once(s, st, "cannot register the key", err);
	if (rc == SG_ECONFLICT)
		return sg_error_set(err, SG_DIAG_CONFLICT, "key %s is registered already", key_id);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sq_key_find(void *impl, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES],
		struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "SELECT principal_id, public_key FROM principal_key WHERE key_id = ?1", &st, err)))
		return rc;
	sq_bind_text(st, 1, key_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == SG_PUBLIC_KEY_BYTES) {
		*principal_id = sqlite3_column_int64(st, 0);
		memcpy(key, sqlite3_column_blob(st, 1), SG_PUBLIC_KEY_BYTES);
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "key %s is not registered", key_id);
	} else {
		rc = sq_fail(s, err, "cannot read keys");
	}
	sqlite3_finalize(st);
	return rc;
}

int sq_exception_insert(void *impl, const struct sg_exception_request *req, long long *id,
			struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "INSERT INTO exception(scope, finding_id, finding_fingerprint, tool, rule, component, "
			     "product_id, reason, expires_on, expires_at, requester_id, requested_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &st, err)))
		return rc;
	sq_bind_text(st, 1, sg_scope_name(req->scope));
	if (req->scope == SG_SCOPE_FINDING) {
		sqlite3_bind_int64(st, 2, req->finding_id);
		sqlite3_bind_blob(st, 3, req->finding_fingerprint, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	}
	sq_bind_text(st, 4, req->tool);
	sq_bind_text(st, 5, req->rule);
	sq_bind_text(st, 6, req->component);
	if (req->product_id)
		sqlite3_bind_int64(st, 7, req->product_id);
	sq_bind_text(st, 8, req->reason);
	sq_bind_text(st, 9, req->expires_on);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)req->expires_at);
	sqlite3_bind_int64(st, 11, req->requester_id);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)req->requested_at);
	rc = sq_run_once(s, st, "cannot record the exception", err);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc == SG_ECONFLICT ? sq_fail(s, err, "cannot record the exception") : rc;
}

/* A name for a principal id whose row is gone: never NULL, so that an
 * approval whose approver row was removed does not read as pending. */
#define NAME_OF(alias, idcol) \
	"CASE WHEN " idcol " IS NULL THEN NULL ELSE coalesce(" alias ".name, '(missing user)') END"

int sq_exceptions_list(void *impl, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx,
		       struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_exception e;
	sqlite3_stmt *st;
	int rc, cb_rc = 0;

	rc = sq_prepare(s,
		     "SELECT e.id, e.scope, e.finding_id, e.finding_fingerprint, e.tool, e.rule, e.component, "
		     "e.product_id, CASE WHEN e.product_id IS NULL THEN NULL ELSE coalesce(p.name, '(missing product)') END, "
		     "e.reason, e.expires_on, e.expires_at, coalesce(r.name, '(missing user)'), e.requested_at, "
		     NAME_OF("a", "e.approver_id") ", e.approver_key_id, e.signature, k.public_key, e.approved_at, "
		     NAME_OF("v", "e.revoked_by") ", e.revoked_at, e.revoke_reason, a.role "
		     "FROM exception e "
		     "LEFT JOIN product p ON p.id = e.product_id "
		     "LEFT JOIN principal r ON r.id = e.requester_id "
		     "LEFT JOIN principal a ON a.id = e.approver_id "
		     "LEFT JOIN principal_key k ON k.key_id = e.approver_key_id AND k.principal_id = e.approver_id "
		     "LEFT JOIN principal v ON v.id = e.revoked_by "
		     "WHERE (?1 = 0 OR e.id = ?1) AND (?2 = 0 OR e.product_id = ?2 OR e.product_id IS NULL) "
		     "AND (?3 = 0 OR e.approver_id IS NOT NULL) ORDER BY e.id",
		     &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, filter->id);
	sqlite3_bind_int64(st, 2, filter->product_id);
	sqlite3_bind_int(st, 3, filter->approved_only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *scope = sq_col_text(st, 1);
		memset(&e, 0, sizeof(e));
		e.id = sqlite3_column_int64(st, 0);
		if (!scope || sg_scope_parse(scope, &e.scope) != 0)
			e.scope = SG_SCOPE_FINDING;
		e.finding_id = sqlite3_column_int64(st, 2);
		if (sqlite3_column_bytes(st, 3) == SG_FINGERPRINT_BYTES)
			memcpy(e.finding_fingerprint, sqlite3_column_blob(st, 3), SG_FINGERPRINT_BYTES);
		e.tool = sq_col_text(st, 4);
		e.rule = sq_col_text(st, 5);
		e.component = sq_col_text(st, 6);
		e.product_id = sqlite3_column_int64(st, 7);
		e.product = sq_col_text(st, 8);
		e.reason = sq_col_text(st, 9);
		e.expires_on = sq_col_text(st, 10);
		e.expires_at = (time_t)sqlite3_column_int64(st, 11);
		e.requester = sq_col_text(st, 12);
		e.requested_at = (time_t)sqlite3_column_int64(st, 13);
		e.approver = sq_col_text(st, 14);
		e.approver_key_id = sq_col_text(st, 15);
		if (sqlite3_column_type(st, 16) == SQLITE_BLOB) {
			e.signature = sqlite3_column_blob(st, 16);
			e.signature_len = (size_t)sqlite3_column_bytes(st, 16);
		}
		if (sqlite3_column_bytes(st, 17) == SG_PUBLIC_KEY_BYTES)
			e.approver_public_key = sqlite3_column_blob(st, 17);
		e.approved_at = (time_t)sqlite3_column_int64(st, 18);
		e.revoked_by = sq_col_text(st, 19);
		e.revoked_at = (time_t)sqlite3_column_int64(st, 20);
		e.revoke_reason = sq_col_text(st, 21);
		e.approver_role = sq_col_text(st, 22);
		if (!e.reason)
			e.reason = "";
		if (!e.expires_on)
			e.expires_on = "";
		if ((cb_rc = cb(ctx, &e)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read exceptions");
}

/* An update that changed nothing: no such exception, or its state forbade it. */
static int gone_or(struct sq *s, long long id, const char *conflict, struct sg_error *err)
{
	sqlite3_stmt *st;
	int rc, exists;

	if ((rc = sq_prepare(s, "SELECT 1 FROM exception WHERE id = ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!exists)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no exception %lld", id);
	return sg_error_set(err, SG_DIAG_CONFLICT, "exception %lld %s", id, conflict);
}

int sq_exception_approve(void *impl, long long id, long long approver_id, const char *key_id,
			 const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "UPDATE exception SET approver_id = ?2, approver_key_id = ?3, signature = ?4, "
			     "approved_at = ?5 WHERE id = ?1 AND approver_id IS NULL AND revoked_by IS NULL",
			  &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, approver_id);
	sq_bind_text(st, 3, key_id);
	sqlite3_bind_blob(st, 4, sig, SG_SIGNATURE_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	if ((rc = sq_run_once(s, st, "cannot record the approval", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return gone_or(s, id, "was approved or revoked meanwhile", err);
	return 0;
}

int sq_exception_revoke(void *impl, long long id, long long by_id, const char *reason, time_t now,
			struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sq_prepare(s, "UPDATE exception SET revoked_by = ?2, revoked_at = ?3, revoke_reason = ?4 "
			     "WHERE id = ?1 AND revoked_by IS NULL", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, by_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	sq_bind_text(st, 4, reason);
	if ((rc = sq_run_once(s, st, "cannot record the revocation", err)))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return gone_or(s, id, "is revoked already", err);
	return 0;
}
