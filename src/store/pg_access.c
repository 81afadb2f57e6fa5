/*
 * The PostgreSQL backend's API tokens and product grants, operation by
 * operation as sqlite_access.c. A token is found through the unique index
 * on its hash; a hash or grant that exists already is found with ON
 * CONFLICT DO NOTHING, so that it does not abort the caller's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

/* A token's row with its user's. PostgreSQL's IS NOT NULL is a boolean
 * ("t"/"f" as text): cast, to read it as SQLite's 1 or 0. */
#define PG_TOKEN_SELECT                                                                            \
	"SELECT t.id, t.principal_id, (p.id IS NOT NULL)::integer, p.name, p.role, t.sha256, t.prefix, " \
	"t.created_at, t.expires_at, t.revoked_at FROM api_token t "                                   \
	"LEFT JOIN principal p ON p.id = t.principal_id "

int pg_token_insert(void *impl, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
		    const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	pg_param_bytes(&p, sha256, SG_SHA256_BYTES);
	pg_param_text(&p, prefix);
	pg_param_int(&p, (long long)now);
	if (expires_at)
		pg_param_int(&p, (long long)expires_at);
	else
		pg_param_null(&p);
	rc = pg_query_id(impl,
			 "INSERT INTO api_token(principal_id, sha256, prefix, created_at, expires_at) "
			 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING RETURNING id",
			 &p, id, "cannot record the token", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_CONFLICT, "a token with the same hash exists already");
	return rc;
}

/* The columns PG_TOKEN_SELECT reads; a token whose user is gone keeps its row. */
static void read_token(const PGresult *res, int row, struct sg_token_record *out)
{
	const char *name = pg_get_text(res, row, 3), *role = pg_get_text(res, row, 4);
	const char *prefix = pg_get_text(res, row, 6);

	memset(out, 0, sizeof(*out));
	out->id = pg_get_int(res, row, 0);
	out->principal_id = pg_get_int(res, row, 1);
	out->user_found = pg_get_int(res, row, 2) && name;
	snprintf(out->user, sizeof(out->user), "%s", out->user_found ? name : "");
	if (!role || sg_role_parse(role, &out->role) != 0)
		out->role = SG_ROLE_VIEWER; /* the least a damaged row can grant */
	if (pg_get_bytes(res, row, 5, out->sha256, SG_SHA256_BYTES) != 0)
		memset(out->sha256, 0, SG_SHA256_BYTES);
	snprintf(out->prefix, sizeof(out->prefix), "%s", prefix ? prefix : "");
	out->created_at = (time_t)pg_get_int(res, row, 7);
	out->expires_at = (time_t)pg_get_int(res, row, 8); /* NULL reads as 0: never */
	out->revoked = !pg_is_null(res, row, 9);
	out->revoked_at = (time_t)pg_get_int(res, row, 9);
}

int pg_token_find(void *impl, const unsigned char sha256[SG_SHA256_BYTES], struct sg_token_record *out,
		  struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;
	int rc = 0;

	pg_params_init(&p);
	pg_param_bytes(&p, sha256, SG_SHA256_BYTES);
	res = pg_query(impl, PG_TOKEN_SELECT "WHERE t.sha256 = $1", &p, "cannot read tokens", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0)
		read_token(res, 0, out);
	else /* nothing of the token in the message: it is a secret */
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no such token");
	PQclear(res);
	return rc;
}

int pg_token_revoke(void *impl, long long id, time_t now, struct sg_error *err)
{
	struct pg_params p;
	long long changed = 0, found;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, (long long)now);
	if ((rc = pg_exec_count(impl, "UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
				&p, "cannot revoke the token", &changed, err)))
		return rc;
	if (changed == 1)
		return 0;
	pg_params_init(&p);
	pg_param_int(&p, id);
	rc = pg_query_id(impl, "SELECT id FROM api_token WHERE id = $1", &p, &found, "cannot read tokens", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no token %lld", id);
	if (rc)
		return rc;
	return sg_error_set(err, SG_DIAG_CONFLICT, "token %lld is revoked already", id);
}

struct token_walk {
	sg_token_record_cb cb;
	void *ctx;
};

static int token_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct token_walk *w = ctx;
	struct sg_token_record t;

	(void)err;
	read_token(res, row, &t);
	return w->cb(w->ctx, &t);
}

int pg_tokens_list(void *impl, const struct sg_token_filter *filter, sg_token_record_cb cb, void *ctx,
		   struct sg_error *err)
{
	struct token_walk w = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, filter ? filter->id : 0);
	pg_param_int(&p, filter ? filter->principal_id : 0);
	return pg_each(impl,
		       PG_TOKEN_SELECT "WHERE ($1::bigint = 0 OR t.id = $1::bigint) "
				       "AND ($2::bigint = 0 OR t.principal_id = $2::bigint) ORDER BY t.id",
		       &p, "cannot read tokens", token_row, &w, err);
}

int pg_grant_add(void *impl, long long principal_id, const char *product, time_t now, struct sg_error *err)
{
	struct pg_params p;
	long long added = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	pg_param_text(&p, product);
	pg_param_int(&p, (long long)now);
	if ((rc = pg_exec_count(impl,
				"INSERT INTO product_grant(principal_id, product, created_at) VALUES ($1, $2, $3) "
				"ON CONFLICT (principal_id, product) DO NOTHING",
				&p, "cannot record the grant", &added, err)))
		return rc;
	if (added != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "product \"%s\" is granted already", product);
	return 0;
}

int pg_grant_remove(void *impl, long long principal_id, const char *product, struct sg_error *err)
{
	struct pg_params p;
	long long removed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	pg_param_text(&p, product);
	if ((rc = pg_exec_count(impl, "DELETE FROM product_grant WHERE principal_id = $1 AND product = $2", &p,
				"cannot remove the grant", &removed, err)))
		return rc;
	if (removed != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "product \"%s\" is not granted", product);
	return 0;
}

struct grant_walk {
	sg_product_name_cb cb;
	void *ctx;
};

static int grant_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct grant_walk *w = ctx;
	const char *product = pg_get_text(res, row, 0);

	(void)err;
	return w->cb(w->ctx, product ? product : "");
}

int pg_grants_list(void *impl, long long principal_id, sg_product_name_cb cb, void *ctx, struct sg_error *err)
{
	struct grant_walk w = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	/* The unique index on (principal_id, product) gives this order (bytewise: COLLATE "C"). */
	return pg_each(impl, "SELECT product FROM product_grant WHERE principal_id = $1 ORDER BY product", &p,
		       "cannot read grants", grant_row, &w, err);
}

int pg_grant_check(void *impl, long long principal_id, const char *product, int *granted, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	*granted = 0;
	pg_params_init(&p);
	pg_param_int(&p, principal_id);
	pg_param_text(&p, product);
	res = pg_query(impl, "SELECT 1 FROM product_grant WHERE principal_id = $1 AND product = $2", &p,
		       "cannot read grants", err);
	if (!res)
		return err->code;
	*granted = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

int pg_product_name(void *impl, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;
	int rc = 0;

	pg_params_init(&p);
	pg_param_int(&p, id);
	res = pg_query(impl, "SELECT name FROM product WHERE id = $1", &p, "cannot read products", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0) {
		const char *n = pg_get_text(res, 0, 0);
		snprintf(name, SG_PRODUCT_NAME_BYTES, "%s", n ? n : "");
	} else {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no product %lld", id);
	}
	PQclear(res);
	return rc;
}
