/*
 * The PostgreSQL backend's people, keys and exceptions, operation by
 * operation as sqlite_people.c. A name or key id that is taken is found with
 * ON CONFLICT DO NOTHING rather than by a failed insert, which would abort
 * the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"
#include "util/alloc.h"

/* A unique key met where none is expected (an id a copied store already
 * uses): a store failure, as SQLite reports it, not a conflict to show users. */
static int conflict_is_failure(int rc, struct sg_error *err)
{
	char msg[sizeof(err->message)];

	if (rc == 0 || err->diag != SG_DIAG_CONFLICT)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->message);
	return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s", msg);
}

int pg_principal_add(void *impl, const char *name, enum sg_role role, time_t now, long long *id,
		     struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_text(&p, sg_role_name(role));
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(impl,
			 "INSERT INTO principal(name, role, created_at) VALUES ($1, $2, $3) "
			 "ON CONFLICT (name) DO NOTHING RETURNING id",
			 &p, id, "cannot add the user", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_CONFLICT, "user \"%s\" exists already", name);
	return rc;
}

static void read_principal(const PGresult *res, int row, struct sg_principal *out)
{
	const char *name = pg_get_text(res, row, 1), *role = pg_get_text(res, row, 2);

	memset(out, 0, sizeof(*out));
	out->id = pg_get_int(res, row, 0);
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	if (!role || sg_role_parse(role, &out->role) != 0)
		out->role = SG_ROLE_VIEWER; /* the least a damaged row can grant */
	out->created_at = (time_t)pg_get_int(res, row, 3);
	out->n_keys = (int)pg_get_int(res, row, 4);
}

#define PRINCIPAL_COLUMNS \
	"p.id, p.name, p.role, p.created_at, (SELECT count(*) FROM principal_key k WHERE k.principal_id = p.id)"

int pg_principal_find(void *impl, const char *name, struct sg_principal *out, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;
	int rc = 0;

	pg_params_init(&p);
	pg_param_text(&p, name);
	res = pg_query(impl, "SELECT " PRINCIPAL_COLUMNS " FROM principal p WHERE p.name = $1", &p,
		       "cannot read users", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0)
		read_principal(res, 0, out);
	else
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no user \"%s\": add one with `shipgate user add`",
				  name);
	PQclear(res);
	return rc;
}

struct principal_walk {
	sg_principal_cb cb;
	void *ctx;
};

static int principal_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct principal_walk *w = ctx;
	struct sg_principal p;

	(void)err;
	read_principal(res, row, &p);
	return w->cb(w->ctx, &p);
}

int pg_principals_list(void *impl, sg_principal_cb cb, void *ctx, struct sg_error *err)
{
	struct principal_walk w = {cb, ctx};

	return pg_each(impl, "SELECT " PRINCIPAL_COLUMNS " FROM principal p ORDER BY p.name", NULL,
		       "cannot read users", principal_row, &w, err);
}

int pg_key_add(void *impl, long long principal_id, const char *key_id,
	       const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	pg_param_text(&p, key_id);
	pg_param_bytes(&p, key, SG_PUBLIC_KEY_BYTES);
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(impl,
			 "INSERT INTO principal_key(principal_id, key_id, public_key, created_at) "
			 "VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING RETURNING id",
			 &p, id, "cannot register the key", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_CONFLICT, "key %s is registered already", key_id);
	return rc;
}

int pg_key_find(void *impl, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES],
		struct sg_error *err)
{
	unsigned char found[SG_PUBLIC_KEY_BYTES];
	struct pg_params p;
	PGresult *res;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, key_id);
	res = pg_query(impl, "SELECT principal_id, public_key FROM principal_key WHERE key_id = $1", &p,
		       "cannot read keys", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0 && pg_get_bytes(res, 0, 1, found, sizeof(found)) == 0) {
		*principal_id = pg_get_int(res, 0, 0);
		memcpy(key, found, SG_PUBLIC_KEY_BYTES);
		rc = 0;
	} else {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "key %s is not registered", key_id);
	}
	PQclear(res);
	return rc;
}

int pg_exception_insert(void *impl, const struct sg_exception_request *req, long long *id,
			struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, sg_scope_name(req->scope));
	if (req->scope == SG_SCOPE_FINDING) {
		pg_param_int(&p, req->finding_id);
		pg_param_bytes(&p, req->finding_fingerprint, SG_FINGERPRINT_BYTES);
	} else {
		pg_param_null(&p);
		pg_param_null(&p);
	}
	pg_param_text(&p, req->tool);
	pg_param_text(&p, req->rule);
	pg_param_text(&p, req->component);
	if (req->product_id)
		pg_param_int(&p, req->product_id);
	else
		pg_param_null(&p);
	pg_param_text(&p, req->reason);
	pg_param_text(&p, req->expires_on);
	pg_param_int(&p, (long long)req->expires_at);
	pg_param_int(&p, req->requester_id);
	pg_param_int(&p, (long long)req->requested_at);
	rc = pg_query_id(impl,
			 "INSERT INTO exception(scope, finding_id, finding_fingerprint, tool, rule, component, "
			 "product_id, reason, expires_on, expires_at, requester_id, requested_at) "
			 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
			 &p, id, "cannot record the exception", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot record the exception: no row was inserted");
	return conflict_is_failure(rc, err);
}

/* A name for a principal id whose row is gone: never NULL, so that an
 * approval whose approver row was removed does not read as pending. */
#define NAME_OF(alias, idcol) \
	"CASE WHEN " idcol " IS NULL THEN NULL ELSE coalesce(" alias ".name, '(missing user)') END"

struct exception_walk {
	sg_exception_cb cb;
	void *ctx;
};

/* The signature as SQLite hands it out: any length, and NULL when empty. */
static int read_signature(const PGresult *res, int row, int col, unsigned char **sig, size_t *len,
			  struct sg_error *err)
{
	*sig = NULL;
	*len = 0;
	if (pg_is_null(res, row, col))
		return 0;
	*sig = pg_get_bytes_alloc(res, row, col, len);
	if (!*sig)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (*len == 0) {
		sg_free(*sig);
		*sig = NULL;
	}
	return 0;
}

static int exception_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct exception_walk *w = ctx;
	unsigned char public_key[SG_PUBLIC_KEY_BYTES], *sig;
	const char *scope = pg_get_text(res, row, 1);
	struct sg_exception e;
	size_t sig_len;
	int rc;

	memset(&e, 0, sizeof(e));
	e.id = pg_get_int(res, row, 0);
	if (!scope || sg_scope_parse(scope, &e.scope) != 0)
		e.scope = SG_SCOPE_FINDING;
	e.finding_id = pg_get_int(res, row, 2);
	if (pg_get_bytes(res, row, 3, e.finding_fingerprint, SG_FINGERPRINT_BYTES) != 0)
		memset(e.finding_fingerprint, 0, SG_FINGERPRINT_BYTES);
	e.tool = pg_get_text(res, row, 4);
	e.rule = pg_get_text(res, row, 5);
	e.component = pg_get_text(res, row, 6);
	e.product_id = pg_get_int(res, row, 7);
	e.product = pg_get_text(res, row, 8);
	e.reason = pg_get_text(res, row, 9);
	e.expires_on = pg_get_text(res, row, 10);
	e.expires_at = (time_t)pg_get_int(res, row, 11);
	e.requester = pg_get_text(res, row, 12);
	e.requested_at = (time_t)pg_get_int(res, row, 13);
	e.approver = pg_get_text(res, row, 14);
	e.approver_key_id = pg_get_text(res, row, 15);
	if ((rc = read_signature(res, row, 16, &sig, &sig_len, err)))
		return rc;
	e.signature = sig;
	e.signature_len = sig_len;
	if (pg_get_bytes(res, row, 17, public_key, sizeof(public_key)) == 0)
		e.approver_public_key = public_key;
	e.approved_at = (time_t)pg_get_int(res, row, 18);
	e.revoked_by = pg_get_text(res, row, 19);
	e.revoked_at = (time_t)pg_get_int(res, row, 20);
	e.revoke_reason = pg_get_text(res, row, 21);
	e.approver_role = pg_get_text(res, row, 22);
	if (!e.reason)
		e.reason = "";
	if (!e.expires_on)
		e.expires_on = "";
	rc = w->cb(w->ctx, &e);
	sg_free(sig);
	return rc;
}

int pg_exceptions_list(void *impl, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx,
		       struct sg_error *err)
{
	struct exception_walk w = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, filter->id);
	pg_param_int(&p, filter->product_id);
	pg_param_int(&p, filter->approved_only);
	return pg_each(impl,
		       "SELECT e.id, e.scope, e.finding_id, e.finding_fingerprint, e.tool, e.rule, e.component, "
		       "e.product_id, CASE WHEN e.product_id IS NULL THEN NULL "
		       "ELSE coalesce(p.name, '(missing product)') END, "
		       "e.reason, e.expires_on, e.expires_at, coalesce(r.name, '(missing user)'), e.requested_at, "
		       NAME_OF("a", "e.approver_id") ", e.approver_key_id, e.signature, k.public_key, "
		       "e.approved_at, "
		       NAME_OF("v", "e.revoked_by") ", e.revoked_at, e.revoke_reason, a.role "
		       "FROM exception e "
		       "LEFT JOIN product p ON p.id = e.product_id "
		       "LEFT JOIN principal r ON r.id = e.requester_id "
		       "LEFT JOIN principal a ON a.id = e.approver_id "
		       "LEFT JOIN principal_key k "
		       "ON k.key_id = e.approver_key_id AND k.principal_id = e.approver_id "
		       "LEFT JOIN principal v ON v.id = e.revoked_by "
		       "WHERE ($1::bigint = 0 OR e.id = $1::bigint) "
		       "AND ($2::bigint = 0 OR e.product_id = $2::bigint OR e.product_id IS NULL) "
		       "AND ($3::bigint = 0 OR e.approver_id IS NOT NULL) ORDER BY e.id",
		       &p, "cannot read exceptions", exception_row, &w, err);
}

/* An update that changed nothing: no such exception, or its state forbade it. */
static int gone_or(struct pg *s, long long id, const char *conflict, struct sg_error *err)
{
	struct pg_params p;
	long long found;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	rc = pg_query_id(s, "SELECT id FROM exception WHERE id = $1", &p, &found, "cannot read exceptions", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no exception %lld", id);
	if (rc)
		return rc;
	return sg_error_set(err, SG_DIAG_CONFLICT, "exception %lld %s", id, conflict);
}

int pg_exception_approve(void *impl, long long id, long long approver_id, const char *key_id,
			 const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, approver_id);
	pg_param_text(&p, key_id);
	pg_param_bytes(&p, sig, SG_SIGNATURE_BYTES);
	pg_param_int(&p, (long long)now);
	if ((rc = pg_exec_count(impl,
				"UPDATE exception SET approver_id = $2, approver_key_id = $3, signature = $4, "
				"approved_at = $5 WHERE id = $1 AND approver_id IS NULL AND revoked_by IS NULL",
				&p, "cannot record the approval", &changed, err)))
		return rc;
	if (changed != 1)
		return gone_or(impl, id, "was approved or revoked meanwhile", err);
	return 0;
}

int pg_exception_revoke(void *impl, long long id, long long by_id, const char *reason, time_t now,
			struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, by_id);
	pg_param_int(&p, (long long)now);
	pg_param_text(&p, reason);
	if ((rc = pg_exec_count(impl,
				"UPDATE exception SET revoked_by = $2, revoked_at = $3, revoke_reason = $4 "
				"WHERE id = $1 AND revoked_by IS NULL",
				&p, "cannot record the revocation", &changed, err)))
		return rc;
	if (changed != 1)
		return gone_or(impl, id, "is revoked already", err);
	return 0;
}
