/*
 * The SQLite backend's audit ledger, and the state digests it vouches for.
 *
 * A state digest is sg_rhash over the columns listed below, row after row,
 * each value hashed by its type (integer, text, blob, NULL): docs/audit.md
 * lists the same columns, and every backend must hash the same values the
 * same way so that a store copied to another backend still verifies.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/timeutil.h"

/* The first column names the object; the others are its state. Rows of
 * one object are consecutive. `one` selects a single object (?1). */
struct state_query {
	const char *all;
	const char *one;
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
/* A finding's component (store migration 3) decides which exceptions cover
 * it, so the ledger vouches for it; it rides with first_seen_at, as text
 * "<first_seen_at> <component>", only when there is one, so that the digest
 * of findings without a component (all findings before migration 3) stays
 * what the ledger recorded. An integer and a text value hash apart. */
#define FINDINGS_STATE                                                                           \
	"SELECT product_id, id, fingerprint, kind, tool, category, rule, tool_severity, severity, "  \
	"status, CASE WHEN component IS NULL THEN first_seen_at "                                   \
	"ELSE first_seen_at || ' ' || component END FROM finding "

#define HISTORY_STATE                                                                           \
	"SELECT coalesce(f.product_id, 0), e.id, e.finding_id, e.scan_id, e.at, e.event, "         \
	"e.from_status, e.to_status, e.reason FROM finding_event e LEFT JOIN finding f ON f.id = e.finding_id "

/* The records, and their package rows by digest (sqlite_sca.c says why). */
#define VULNDB_STATE                                                                            \
	"SELECT 1, v.id, v.osv_id, v.modified, v.modified_at, v.withdrawn, v.aliases, v.summary, "   \
	"v.severity, v.score, v.severity_source, v.record_sha256, v.imported_at, p.id, p.digest "    \
	"FROM vuln v LEFT JOIN vuln_package p ON p.vuln_id = v.id ORDER BY v.id, p.id"

static const struct state_query state_queries[SG_OBJ_COUNT] = {
	[SG_OBJ_POLICY] = {NULL, NULL}, /* a file, not a table: the ledger alone records it */
	[SG_OBJ_PRODUCT] = {"SELECT id, id, name, created_at FROM product ORDER BY id",
			    "SELECT id, id, name, created_at FROM product WHERE id = ?1"},
	[SG_OBJ_USER] = {"SELECT id, id, name, role, created_at FROM principal ORDER BY id",
			 "SELECT id, id, name, role, created_at FROM principal WHERE id = ?1"},
	[SG_OBJ_KEY] = {"SELECT id, id, principal_id, key_id, public_key, created_at FROM principal_key ORDER BY id",
			"SELECT id, id, principal_id, key_id, public_key, created_at FROM principal_key WHERE id = ?1"},
	[SG_OBJ_EXCEPTION] = {EXCEPTION_STATE "ORDER BY id", EXCEPTION_STATE "WHERE id = ?1"},
	[SG_OBJ_RELEASE] = {"SELECT id, id, product_id, version, commit_sha, build_digest, created_at "
			    "FROM release ORDER BY id",
			    "SELECT id, id, product_id, version, commit_sha, build_digest, created_at "
			    "FROM release WHERE id = ?1"},
	[SG_OBJ_INGEST] = {INGEST_STATE("", ""), INGEST_STATE("WHERE id = ?1", "WHERE ingest_id = ?1")},
	/* finding_by_product serves both without sorting. */
	[SG_OBJ_FINDINGS] = {FINDINGS_STATE "ORDER BY product_id, id",
			     FINDINGS_STATE "WHERE product_id = ?1 ORDER BY product_id, id"},
	/* An event whose finding is gone counts under product 0, which no
	 * ledger event records. */
	[SG_OBJ_HISTORY] = {HISTORY_STATE "ORDER BY 1, e.id", HISTORY_STATE "WHERE f.product_id = ?1 ORDER BY e.id"},
	[SG_OBJ_SBOM] = {"SELECT scan_id, 0, id, ref, name, version, purl, component, ecosystem, package, type, "
			 "scope, licenses, depth, unmatched FROM sbom_component UNION ALL "
			 "SELECT scan_id, 1, id, vuln, state, justification, detail, ref, NULL, NULL, NULL, NULL, "
			 "NULL, NULL, NULL FROM sbom_vex ORDER BY 1, 2, 3",
			 "SELECT scan_id, 0, id, ref, name, version, purl, component, ecosystem, package, type, "
			 "scope, licenses, depth, unmatched FROM sbom_component WHERE scan_id = ?1 UNION ALL "
			 "SELECT scan_id, 1, id, vuln, state, justification, detail, ref, NULL, NULL, NULL, NULL, "
			 "NULL, NULL, NULL FROM sbom_vex WHERE scan_id = ?1 ORDER BY 1, 2, 3"},
	/* The whole database is one object: an import changes many records at once. */
	[SG_OBJ_VULNDB] = {VULNDB_STATE, VULNDB_STATE},
	/* The hash is state: a token inserted or swapped behind shipgate's back
	 * is one the ledger does not vouch for. */
	[SG_OBJ_TOKEN] = {"SELECT id, id, principal_id, sha256, prefix, created_at, expires_at, revoked_at "
			  "FROM api_token ORDER BY id",
			  "SELECT id, id, principal_id, sha256, prefix, created_at, expires_at, revoked_at "
			  "FROM api_token WHERE id = ?1"},
	/* A user's grants, by name (the unique index's order); a user without
	 * any has no state, as after their last grant is revoked. */
	[SG_OBJ_GRANT] = {"SELECT principal_id, product, created_at FROM product_grant ORDER BY principal_id, product",
			  "SELECT principal_id, product, created_at FROM product_grant WHERE principal_id = ?1 "
			  "ORDER BY principal_id, product"},
};

static void hash_column(struct sg_rhash *h, sqlite3_stmt *st, int i)
{
	char number[40];

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		sg_rhash_int(h, sqlite3_column_int64(st, i));
		break;
	case SQLITE_TEXT: /* every byte: a NUL inside must not hide what follows */
		sg_rhash_text_n(h, (const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_BLOB:
		sg_rhash_blob(h, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_FLOAT: /* no audited column holds one; a row altered to hold one differs */
		snprintf(number, sizeof(number), "%.17g", sqlite3_column_double(st, i));
		sg_rhash_text(h, number);
		break;
	default:
		sg_rhash_null(h);
		break;
	}
}

int sq_object_digests(void *impl, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx,
		      struct sg_error *err)
{
	struct sq *s = impl;
	unsigned char digest[SG_DIGEST_BYTES];
	struct sg_rhash h;
	sqlite3_stmt *st = NULL;
	long long current = 0;
	int rc, cb_rc = 0, open_object = 0, i, n;
	const char *sql;

	if ((unsigned)kind >= SG_OBJ_COUNT)
		return sg_error_set(err, SG_DIAG_INTERNAL, "unknown object kind %d", (int)kind);
	sql = object_id ? state_queries[kind].one : state_queries[kind].all;
	if (!sql)
		return 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	if (object_id)
		sqlite3_bind_int64(st, 1, object_id);
	n = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		if (open_object && id != current) {
			sg_rhash_final(&h, digest);
			if ((cb_rc = cb(ctx, current, 0, 1, digest)))
				break;
			open_object = 0;
		}
		if (!open_object) {
			sg_rhash_init(&h);
			current = id;
			open_object = 1;
		}
		for (i = 1; i < n; i++)
			hash_column(&h, st, i);
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot read the state of audited objects");
	if (open_object) {
		sg_rhash_final(&h, digest);
		return cb(ctx, current, 0, 1, digest);
	}
	return 0;
}

int sq_audit_head(void *impl, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_AUDIT_HEAD, err);
	int rc;

	*seq = 0;
	memset(hash, 0, SG_DIGEST_BYTES);
	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == SG_DIGEST_BYTES)
			memcpy(hash, sqlite3_column_blob(st, 1), SG_DIGEST_BYTES);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read the audit ledger");
}

int sq_audit_append(void *impl, const struct sg_audit_event *e, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO audit_event(seq, at, actor, action, object_kind, object_id, "
			       "object_label, payload, state_digest, prev_hash, hash) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot append to the audit ledger");
	sqlite3_bind_int64(st, 1, e->seq);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e->at);
	sq_bind_text(st, 3, e->actor);
	sq_bind_text(st, 4, e->action);
	sq_bind_text(st, 5, sg_object_kind_name(e->object_kind));
	sqlite3_bind_int64(st, 6, e->object_id);
	sq_bind_text(st, 7, e->object_label);
	sq_bind_text(st, 8, e->payload);
	if (e->has_state)
		sqlite3_bind_blob(st, 9, e->state, SG_DIGEST_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, e->prev_hash, SG_DIGEST_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, e->hash, SG_DIGEST_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot append to the audit ledger");
}

static void copy_digest(sqlite3_stmt *st, int i, unsigned char out[SG_DIGEST_BYTES])
{
	memset(out, 0, SG_DIGEST_BYTES);
	if (sqlite3_column_bytes(st, i) == SG_DIGEST_BYTES)
		memcpy(out, sqlite3_column_blob(st, i), SG_DIGEST_BYTES);
}

/* Is each column of an audit_event row of the type and size shipgate writes? */
static int well_formed(sqlite3_stmt *st)
{
	static const int integer_cols[] = {0, 1, 5};
	static const int text_cols[] = {2, 3, 4, 6, 7};
	size_t i;
	int c;

	for (i = 0; i < sizeof(integer_cols) / sizeof(integer_cols[0]); i++)
		if (sqlite3_column_type(st, integer_cols[i]) != SQLITE_INTEGER || sqlite3_column_int64(st, integer_cols[i]) < 0)
			return 0;
	for (i = 0; i < sizeof(text_cols) / sizeof(text_cols[0]); i++) {
		const unsigned char *t;
		c = text_cols[i];
		if (sqlite3_column_type(st, c) != SQLITE_TEXT)
			return 0;
		t = sqlite3_column_text(st, c);
		if (!t || strlen((const char *)t) != (size_t)sqlite3_column_bytes(st, c))
			return 0;
	}
	for (c = 8; c <= 10; c++) {
		if (c == 8 && sqlite3_column_type(st, c) == SQLITE_NULL)
			continue;
		if (sqlite3_column_type(st, c) != SQLITE_BLOB || sqlite3_column_bytes(st, c) != SG_DIGEST_BYTES)
			return 0;
	}
	return 1;
}

int sq_audit_list(void *impl, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_audit_event e;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT seq, at, actor, action, object_kind, object_id, object_label, payload, "
			       "state_digest, prev_hash, hash FROM audit_event WHERE ?1 = 0 OR at >= ?1 ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot read the audit ledger");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = sq_col_text(st, 4);
		memset(&e, 0, sizeof(e));
		e.seq = sqlite3_column_int64(st, 0);
		e.at = (time_t)sqlite3_column_int64(st, 1);
		e.actor = sq_col_text(st, 2);
		e.action = sq_col_text(st, 3);
		if (!kind || sg_object_kind_parse(kind, &e.object_kind) != 0)
			e.object_kind = (enum sg_object_kind)SG_OBJ_COUNT; /* hashes as "unknown" */
		e.object_id = sqlite3_column_int64(st, 5);
		e.object_label = sq_col_text(st, 6);
		e.payload = sq_col_text(st, 7);
		e.has_state = sqlite3_column_type(st, 8) != SQLITE_NULL;
		copy_digest(st, 8, e.state);
		copy_digest(st, 9, e.prev_hash);
		copy_digest(st, 10, e.hash);
		e.malformed = !well_formed(st);
		if ((cb_rc = cb(ctx, &e)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read the audit ledger");
}

int sq_audit_latest(void *impl, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	unsigned char digest[SG_DIGEST_BYTES];
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	/* SQLite returns the other columns of the row that holds max(seq). */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT object_id, max(seq), state_digest FROM audit_event "
			       "WHERE object_kind = ?1 GROUP BY object_id ORDER BY object_id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot read the audit ledger");
	sq_bind_text(st, 1, sg_object_kind_name(kind));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int has_state = sqlite3_column_type(st, 2) != SQLITE_NULL;
		copy_digest(st, 2, digest);
		if ((cb_rc = cb(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), has_state, digest)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read the audit ledger");
}

/*
 * A store from before the ledger (schema 1) holds objects no event
 * records. Migration 2 records each as found, in the migration's own
 * transaction, so that `audit verify` holds them to that state from then
 * on; the ledger cannot vouch for what happened to them before. Only the
 * migration does this: a ledger emptied later is never rebuilt, and
 * `audit verify` reports every object it no longer records.
 */
struct baseline {
	struct sq *s;
	enum sg_object_kind kind;
	long long seq;
	unsigned char prev[SG_DIGEST_BYTES];
	time_t now;
	struct sg_error *err;
};

static int baseline_one(void *ctx, long long object_id, long long seq, int has_state,
			const unsigned char digest[SG_DIGEST_BYTES])
{
	struct baseline *b = ctx;
	struct sg_audit_event e;
	char label[80];
	int rc;

	snprintf(label, sizeof(label), "%s %lld", sg_object_kind_name(b->kind), object_id);
	memset(&e, 0, sizeof(e));
	e.seq = ++b->seq;
	e.at = b->now;
	e.actor = "shipgate:migration-2";
	e.action = "ledger.baseline";
	e.object_kind = b->kind;
	e.object_id = object_id;
	e.object_label = label;
	e.payload = "{\"note\":\"the state found when the ledger began; it vouches for changes after this event\"}";
	e.has_state = 1;
	memcpy(e.state, digest, SG_DIGEST_BYTES);
	memcpy(e.prev_hash, b->prev, SG_DIGEST_BYTES);
	sg_audit_hash(&e, e.hash);
	if ((rc = sq_audit_append(b->s, &e, b->err)))
		return rc;
	memcpy(b->prev, e.hash, SG_DIGEST_BYTES);
	return 0;
}

int sq_ledger_baseline(struct sq *s, struct sg_error *err)
{
	struct baseline b;
	int rc, kind;

	memset(&b, 0, sizeof(b));
	b.s = s;
	b.now = sg_now();
	b.err = err;
	if ((rc = sq_audit_head(s, &b.seq, b.prev, err)))
		return rc;
	/* Later kinds' tables do not exist yet at migration 2, and start empty. */
	for (kind = SG_OBJ_PRODUCT; kind < SG_OBJ_COUNT_LEDGER_V1; kind++) {
		b.kind = (enum sg_object_kind)kind;
		if ((rc = sq_object_digests(s, b.kind, 0, baseline_one, &b, err)))
			return rc;
	}
	return 0;
}
