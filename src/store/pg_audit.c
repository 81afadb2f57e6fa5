/*
 * The PostgreSQL backend's audit ledger, and the state digests it vouches
 * for, operation by operation as sqlite_audit.c.
 *
 * A state digest is sg_rhash over the same columns as SQLite's, each value
 * hashed by its type (integer, text, blob, NULL), so that a store copied from
 * SQLite verifies here. SQLite types each value; PostgreSQL types each
 * column, and its results are text: a value's type is its column's
 * (PQftype). Where SQLite's query gives one column values of two types
 * (findings' first_seen_at, with their component or without), the query
 * here selects the parts and hash_findings_seen() builds SQLite's value.
 *
 * Appending is read-head-then-insert: writers are serialised by the advisory
 * lock pg.c takes at begin, so the chain stays linear across servers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "util/alloc.h"

/* Built-in type oids (pg_type.dat; stable across PostgreSQL versions). */
#define PG_OID_BOOL 16
#define PG_OID_BYTEA 17
#define PG_OID_INT8 20
#define PG_OID_INT2 21
#define PG_OID_INT4 23
#define PG_OID_TEXT 25
#define PG_OID_OID 26
#define PG_OID_FLOAT4 700
#define PG_OID_FLOAT8 701
#define PG_OID_VARCHAR 1043
#define PG_OID_NUMERIC 1700

/* The first column names the object; the others are its state. Rows of one
 * object are consecutive. `one` selects a single object ($1). */
struct state_query {
	const char *all;
	const char *one;
	/* The last two columns are first_seen_at and component, hashed as the
	 * one value SQLite's FINDINGS_STATE gives. */
	int seen_with_component;
};

#define EXCEPTION_STATE                                                                      \
	"SELECT id, id, scope, finding_id, finding_fingerprint, tool, rule, component, product_id, " \
	"reason, expires_on, expires_at, requester_id, requested_at, approver_id, approver_key_id, " \
	"signature, approved_at, revoked_by, revoked_at, revoke_reason FROM exception "
#define INGEST_STATE(where_ingest, where_scan)                                                   \
	"SELECT x.iid, i.id, i.product_id, i.created_at, s.id, s.product_id, s.kind, s.tool, "       \
	"s.tool_version, s.category, s.commit_sha, s.release_version, s.environment, "              \
	"s.artifact_name, s.artifact_sha256, s.ingest_options, s.results_null, s.result_count, "    \
	"s.new_count, s.reopened_count, s.fixed_count, s.created_at "                               \
	"FROM (SELECT id AS iid FROM ingest " where_ingest " UNION "                                \
	"SELECT ingest_id FROM scan " where_scan ") x "                                             \
	"LEFT JOIN ingest i ON i.id = x.iid LEFT JOIN scan s ON s.ingest_id = x.iid "                \
	"ORDER BY x.iid, s.id"
/* SQLite's last column is CASE WHEN component IS NULL THEN first_seen_at
 * ELSE first_seen_at || ' ' || component END: an integer, or a text. */
#define FINDINGS_STATE                                                                           \
	"SELECT product_id, id, fingerprint, kind, tool, category, rule, tool_severity, severity, "  \
	"status, first_seen_at, component FROM finding "

#define HISTORY_STATE                                                                           \
	"SELECT coalesce(f.product_id, 0), e.id, e.finding_id, e.scan_id, e.at, e.event, "         \
	"e.from_status, e.to_status, e.reason FROM finding_event e LEFT JOIN finding f ON f.id = e.finding_id "

#define VULNDB_STATE                                                                            \
	"SELECT 1, v.id, v.osv_id, v.modified, v.modified_at, v.withdrawn, v.aliases, v.summary, "   \
	"v.severity, v.score, v.severity_source, v.record_sha256, v.imported_at, p.id, p.digest "    \
	"FROM vuln v LEFT JOIN vuln_package p ON p.vuln_id = v.id ORDER BY v.id, p.id"

/* SBOM: the UNION ALL's columns resolve to one type each; the VEX rows' NULLs
 * stay NULL and the 0 and 1 that tell the rows apart are integers, as in SQLite. */
#define SBOM_STATE(where)                                                                          \
	"SELECT scan_id, 0, id, ref, name, version, purl, component, ecosystem, package, type, "     \
	"scope, licenses, depth, unmatched FROM sbom_component " where " UNION ALL "                 \
	"SELECT scan_id, 1, id, vuln, state, justification, detail, ref, NULL, NULL, NULL, NULL, "   \
	"NULL, NULL, NULL FROM sbom_vex " where " ORDER BY 1, 2, 3"

static const struct state_query state_queries[SG_OBJ_COUNT] = {
	[SG_OBJ_POLICY] = {NULL, NULL, 0}, /* a file, not a table: the ledger alone records it */
	[SG_OBJ_PRODUCT] = {"SELECT id, id, name, created_at FROM product ORDER BY id",
			    "SELECT id, id, name, created_at FROM product WHERE id = $1", 0},
	[SG_OBJ_USER] = {"SELECT id, id, name, role, created_at FROM principal ORDER BY id",
			 "SELECT id, id, name, role, created_at FROM principal WHERE id = $1", 0},
	[SG_OBJ_KEY] = {"SELECT id, id, principal_id, key_id, public_key, created_at FROM principal_key ORDER BY id",
			"SELECT id, id, principal_id, key_id, public_key, created_at FROM principal_key WHERE id = $1",
			0},
	[SG_OBJ_EXCEPTION] = {EXCEPTION_STATE "ORDER BY id", EXCEPTION_STATE "WHERE id = $1", 0},
	[SG_OBJ_RELEASE] = {"SELECT id, id, product_id, version, commit_sha, build_digest, created_at "
			    "FROM release ORDER BY id",
			    "SELECT id, id, product_id, version, commit_sha, build_digest, created_at "
			    "FROM release WHERE id = $1",
			    0},
	[SG_OBJ_INGEST] = {INGEST_STATE("", ""), INGEST_STATE("WHERE id = $1", "WHERE ingest_id = $1"), 0},
	[SG_OBJ_FINDINGS] = {FINDINGS_STATE "ORDER BY product_id, id",
			     FINDINGS_STATE "WHERE product_id = $1 ORDER BY product_id, id", 1},
	/* An event whose finding is gone counts under product 0, which no
	 * ledger event records. */
	[SG_OBJ_HISTORY] = {HISTORY_STATE "ORDER BY 1, e.id", HISTORY_STATE "WHERE f.product_id = $1 ORDER BY e.id",
			    0},
	[SG_OBJ_SBOM] = {SBOM_STATE(""), SBOM_STATE("WHERE scan_id = $1"), 0},
	/* The whole database is one object: an import changes many records at once. */
	[SG_OBJ_VULNDB] = {VULNDB_STATE, VULNDB_STATE, 0},
	/* The hash is state: a token inserted or swapped behind shipgate's back
	 * is one the ledger does not vouch for. */
	[SG_OBJ_TOKEN] = {"SELECT id, id, principal_id, sha256, prefix, created_at, expires_at, revoked_at "
			  "FROM api_token ORDER BY id",
			  "SELECT id, id, principal_id, sha256, prefix, created_at, expires_at, revoked_at "
			  "FROM api_token WHERE id = $1",
			  0},
	/* A user's grants, by name (bytewise, COLLATE "C", as SQLite's index). */
	[SG_OBJ_GRANT] = {"SELECT principal_id, product, created_at FROM product_grant ORDER BY principal_id, product",
			  "SELECT principal_id, product, created_at FROM product_grant WHERE principal_id = $1 "
			  "ORDER BY principal_id, product",
			  0},
};

/* A bytea value hashed as a blob; short ones are decoded on the stack. */
static int hash_bytes(struct sg_rhash *h, const PGresult *res, int row, int col, struct sg_error *err)
{
	unsigned char small[64], *data;
	size_t text_len = (size_t)PQgetlength(res, row, col), len;

	if (text_len >= 2 && (text_len - 2) / 2 <= sizeof(small) &&
	    pg_get_bytes(res, row, col, small, (text_len - 2) / 2) == 0) {
		sg_rhash_blob(h, small, (text_len - 2) / 2);
		return 0;
	}
	data = pg_get_bytes_alloc(res, row, col, &len);
	if (!data)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	sg_rhash_blob(h, data, len);
	sg_free(data);
	return 0;
}

static int hash_column(struct sg_rhash *h, const PGresult *res, int row, int col, struct sg_error *err)
{
	const char *v = PQgetvalue(res, row, col);
	char number[40];

	if (PQgetisnull(res, row, col)) {
		sg_rhash_null(h);
		return 0;
	}
	switch (PQftype(res, col)) {
	case PG_OID_INT2:
	case PG_OID_INT4:
	case PG_OID_INT8:
	case PG_OID_OID:
		sg_rhash_int(h, strtoll(v, NULL, 10));
		return 0;
	case PG_OID_BOOL: /* SQLite's booleans are the integers 1 and 0 */
		sg_rhash_int(h, v[0] == 't');
		return 0;
	case PG_OID_BYTEA:
		return hash_bytes(h, res, row, col, err);
	case PG_OID_FLOAT4: /* no audited column holds one; as SQLite hashes a REAL */
	case PG_OID_FLOAT8:
	case PG_OID_NUMERIC:
		snprintf(number, sizeof(number), "%.17g", strtod(v, NULL));
		sg_rhash_text(h, number);
		return 0;
	default: /* text, varchar and the rest: every byte, as text */
		sg_rhash_text_n(h, v, (size_t)PQgetlength(res, row, col));
		return 0;
	}
}

/* SQLite's CASE WHEN component IS NULL THEN first_seen_at ELSE first_seen_at
 * || ' ' || component END: the integer, or the text "<first_seen_at>
 * <component>" (NULL when first_seen_at is, as || gives). */
static int hash_findings_seen(struct sg_rhash *h, const PGresult *res, int row, int seen_col, int component_col,
			      struct sg_error *err)
{
	size_t seen_len, component_len;
	char small[256], *text;

	if (pg_is_null(res, row, component_col))
		return hash_column(h, res, row, seen_col, err);
	if (pg_is_null(res, row, seen_col)) {
		sg_rhash_null(h);
		return 0;
	}
	seen_len = (size_t)PQgetlength(res, row, seen_col);
	component_len = (size_t)PQgetlength(res, row, component_col);
	text = seen_len + 1 + component_len <= sizeof(small) ? small : sg_malloc(seen_len + 1 + component_len);
	if (!text)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	memcpy(text, PQgetvalue(res, row, seen_col), seen_len);
	text[seen_len] = ' ';
	memcpy(text + seen_len + 1, PQgetvalue(res, row, component_col), component_len);
	sg_rhash_text_n(h, text, seen_len + 1 + component_len);
	if (text != small)
		sg_free(text);
	return 0;
}

struct digest_walk {
	const struct state_query *q;
	sg_digest_cb cb;
	void *ctx;
	struct sg_rhash h;
	long long current;
	int open_object;
};

static int digest_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct digest_walk *w = ctx;
	unsigned char digest[SG_DIGEST_BYTES];
	long long id = pg_get_int(res, row, 0);
	int n = PQnfields(res), plain = w->q->seen_with_component ? n - 2 : n, i, rc;

	if (w->open_object && id != w->current) {
		sg_rhash_final(&w->h, digest);
		w->open_object = 0;
		if ((rc = w->cb(w->ctx, w->current, 0, 1, digest)))
			return rc;
	}
	if (!w->open_object) {
		sg_rhash_init(&w->h);
		w->current = id;
		w->open_object = 1;
	}
	for (i = 1; i < plain; i++)
		if ((rc = hash_column(&w->h, res, row, i, err)))
			return rc;
	if (w->q->seen_with_component)
		return hash_findings_seen(&w->h, res, row, n - 2, n - 1, err);
	return 0;
}

int pg_object_digests(void *impl, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx,
		      struct sg_error *err)
{
	unsigned char digest[SG_DIGEST_BYTES];
	struct digest_walk w;
	struct pg_params p;
	const char *sql;
	int rc;

	if ((unsigned)kind >= SG_OBJ_COUNT)
		return sg_error_set(err, SG_DIAG_INTERNAL, "unknown object kind %d", (int)kind);
	sql = object_id ? state_queries[kind].one : state_queries[kind].all;
	if (!sql)
		return 0;
	memset(&w, 0, sizeof(w));
	w.q = &state_queries[kind];
	w.cb = cb;
	w.ctx = ctx;
	pg_params_init(&p);
	/* VULNDB's one query is its all query: it takes no parameter. */
	if (object_id && strstr(sql, "$1"))
		pg_param_int(&p, object_id);
	if ((rc = pg_each(impl, sql, &p, "cannot read the state of audited objects", digest_row, &w, err)))
		return rc;
	if (w.open_object) {
		sg_rhash_final(&w.h, digest);
		return cb(ctx, w.current, 0, 1, digest);
	}
	return 0;
}

/* A digest column: zeros unless it holds exactly SG_DIGEST_BYTES. */
static void copy_digest(const PGresult *res, int row, int col, unsigned char out[SG_DIGEST_BYTES])
{
	if (pg_get_bytes(res, row, col, out, SG_DIGEST_BYTES) != 0)
		memset(out, 0, SG_DIGEST_BYTES);
}

int pg_audit_head(void *impl, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err)
{
	PGresult *res;

	*seq = 0;
	memset(hash, 0, SG_DIGEST_BYTES);
	res = pg_query(impl, "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1", NULL,
		       "cannot read the audit ledger", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0) {
		*seq = pg_get_int(res, 0, 0);
		copy_digest(res, 0, 1, hash);
	}
	PQclear(res);
	return 0;
}

int pg_audit_append(void *impl, const struct sg_audit_event *e, struct sg_error *err)
{
	struct pg_params p;
	long long added = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, e->seq);
	pg_param_int(&p, (long long)e->at);
	pg_param_text(&p, e->actor);
	pg_param_text(&p, e->action);
	pg_param_text(&p, sg_object_kind_name(e->object_kind));
	pg_param_int(&p, e->object_id);
	pg_param_text(&p, e->object_label);
	pg_param_text(&p, e->payload);
	if (e->has_state)
		pg_param_bytes(&p, e->state, SG_DIGEST_BYTES);
	else
		pg_param_null(&p);
	pg_param_bytes(&p, e->prev_hash, SG_DIGEST_BYTES);
	pg_param_bytes(&p, e->hash, SG_DIGEST_BYTES);
	/* A seq taken already fails as SQLite's does (store-failed), without
	 * aborting the transaction on a unique violation first. */
	if ((rc = pg_exec_count(impl,
				"INSERT INTO audit_event(seq, at, actor, action, object_kind, object_id, "
				"object_label, payload, state_digest, prev_hash, hash) "
				"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
				"ON CONFLICT (seq) DO NOTHING",
				&p, "cannot append to the audit ledger", &added, err)))
		return rc;
	if (added != 1)
		return sg_error_set(err, SG_DIAG_STORE_FAILED,
				    "cannot append to the audit ledger: event %lld exists already", e->seq);
	return 0;
}

/* Is each column of an audit_event row of the type and size shipgate
 * writes? Column types hold here, but a table altered by hand may not. */
static int well_formed(const PGresult *res, int row)
{
	static const int integer_cols[] = {0, 1, 5};
	static const int text_cols[] = {2, 3, 4, 6, 7};
	unsigned char digest[SG_DIGEST_BYTES];
	size_t i;
	int c;

	for (i = 0; i < sizeof(integer_cols) / sizeof(integer_cols[0]); i++) {
		Oid type = PQftype(res, integer_cols[i]);
		c = integer_cols[i];
		if ((type != PG_OID_INT8 && type != PG_OID_INT4 && type != PG_OID_INT2) ||
		    pg_is_null(res, row, c) || pg_get_int(res, row, c) < 0)
			return 0;
	}
	for (i = 0; i < sizeof(text_cols) / sizeof(text_cols[0]); i++) {
		Oid type = PQftype(res, text_cols[i]);
		c = text_cols[i];
		if ((type != PG_OID_TEXT && type != PG_OID_VARCHAR) || pg_is_null(res, row, c) ||
		    strlen(PQgetvalue(res, row, c)) != (size_t)PQgetlength(res, row, c))
			return 0;
	}
	for (c = 8; c <= 10; c++) {
		if (c == 8 && pg_is_null(res, row, c))
			continue;
		if (PQftype(res, c) != PG_OID_BYTEA || pg_get_bytes(res, row, c, digest, sizeof(digest)) != 0)
			return 0;
	}
	return 1;
}

struct audit_walk {
	sg_audit_cb cb;
	void *ctx;
};

static int audit_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct audit_walk *w = ctx;
	const char *kind = pg_get_text(res, row, 4);
	struct sg_audit_event e;

	(void)err;
	memset(&e, 0, sizeof(e));
	e.seq = pg_get_int(res, row, 0);
	e.at = (time_t)pg_get_int(res, row, 1);
	e.actor = pg_get_text(res, row, 2);
	e.action = pg_get_text(res, row, 3);
	if (!kind || sg_object_kind_parse(kind, &e.object_kind) != 0)
		e.object_kind = (enum sg_object_kind)SG_OBJ_COUNT; /* hashes as "unknown" */
	e.object_id = pg_get_int(res, row, 5);
	e.object_label = pg_get_text(res, row, 6);
	e.payload = pg_get_text(res, row, 7);
	e.has_state = !pg_is_null(res, row, 8);
	copy_digest(res, row, 8, e.state);
	copy_digest(res, row, 9, e.prev_hash);
	copy_digest(res, row, 10, e.hash);
	e.malformed = !well_formed(res, row);
	return w->cb(w->ctx, &e);
}

int pg_audit_list(void *impl, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err)
{
	struct audit_walk w = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, (long long)since);
	return pg_each(impl,
		       "SELECT seq, at, actor, action, object_kind, object_id, object_label, payload, "
		       "state_digest, prev_hash, hash FROM audit_event WHERE $1::bigint = 0 OR at >= $1::bigint "
		       "ORDER BY seq",
		       &p, "cannot read the audit ledger", audit_row, &w, err);
}

struct latest_walk {
	sg_digest_cb cb;
	void *ctx;
};

static int latest_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct latest_walk *w = ctx;
	unsigned char digest[SG_DIGEST_BYTES];

	(void)err;
	copy_digest(res, row, 2, digest);
	return w->cb(w->ctx, pg_get_int(res, row, 0), pg_get_int(res, row, 1), !pg_is_null(res, row, 2), digest);
}

int pg_audit_latest(void *impl, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err)
{
	struct latest_walk w = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, sg_object_kind_name(kind));
	/* The latest event of each object: audit_by_object (object_kind, object_id, seq) serves it. */
	return pg_each(impl,
		       "SELECT DISTINCT ON (object_id) object_id, seq, state_digest FROM audit_event "
		       "WHERE object_kind = $1 ORDER BY object_id, seq DESC",
		       &p, "cannot read the audit ledger", latest_row, &w, err);
}
