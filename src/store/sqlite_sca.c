/*
 * The SQLite backend's dependency analysis: SBOM components and VEX
 * statements stored with their scan, and the OSV database (records, their
 * aliases, and one row per affected package, indexed by ecosystem and name
 * so that matching a component is one index lookup).
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

int sq_component_insert(void *impl, const struct sg_component_record *c, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_COMPONENT_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, c->scan_id);
	sq_bind_text(st, 2, c->ref);
	sq_bind_text(st, 3, c->name);
	sq_bind_text(st, 4, c->version);
	sq_bind_text(st, 5, c->purl);
	sq_bind_text(st, 6, c->component);
	sq_bind_text(st, 7, c->ecosystem);
	sq_bind_text(st, 8, c->package);
	sq_bind_text(st, 9, c->type);
	sq_bind_text(st, 10, c->scope);
	sq_bind_text(st, 11, c->licenses);
	sqlite3_bind_int(st, 12, c->depth);
	sq_bind_text(st, 13, c->unmatched);
	rc = sq_exec_done(s, st, err, "cannot record an SBOM component");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/*
 * Rows are read into the callback while the statement is stepped; a callback
 * that uses the store itself (matching looks candidates up per component)
 * would reset a cached statement under us, so these loops prepare their own.
 */
int sq_components_list(void *impl, long long scan_id, sg_component_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_component_record c;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, scan_id, ref, name, version, purl, component, ecosystem, package, "
			       "type, scope, licenses, depth, unmatched FROM sbom_component "
			       "WHERE scan_id = ?1 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.id = sqlite3_column_int64(st, 0);
		c.scan_id = sqlite3_column_int64(st, 1);
		c.ref = sq_col_text(st, 2);
		c.name = sq_col_text(st, 3);
		c.version = sq_col_text(st, 4);
		c.purl = sq_col_text(st, 5);
		c.component = sq_col_text(st, 6);
		c.ecosystem = sq_col_text(st, 7);
		c.package = sq_col_text(st, 8);
		c.type = sq_col_text(st, 9);
		c.scope = sq_col_text(st, 10);
		c.licenses = sq_col_text(st, 11);
		c.depth = sqlite3_column_int(st, 12);
		c.unmatched = sq_col_text(st, 13);
		if ((cb_rc = cb(ctx, &c)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read SBOM components");
}

int sq_vex_insert(void *impl, const struct sg_vex_record *v, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_VEX_INSERT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, v->scan_id);
	sq_bind_text(st, 2, v->vuln);
	sq_bind_text(st, 3, v->state);
	sq_bind_text(st, 4, v->justification);
	sq_bind_text(st, 5, v->detail);
	sq_bind_text(st, 6, v->ref);
	return sq_exec_done(s, st, err, "cannot record a VEX statement");
}

int sq_vex_list(void *impl, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_vex_record v;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT scan_id, vuln, state, justification, detail, ref FROM sbom_vex "
			       "WHERE scan_id = ?1 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&v, 0, sizeof(v));
		v.scan_id = sqlite3_column_int64(st, 0);
		v.vuln = sq_col_text(st, 1);
		v.state = sq_col_text(st, 2);
		v.justification = sq_col_text(st, 3);
		v.detail = sq_col_text(st, 4);
		v.ref = sq_col_text(st, 5);
		if ((cb_rc = cb(ctx, &v)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read VEX statements");
}

int sq_sbom_heads(void *impl, long long product_id, sg_sbom_head_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_sbom_head h;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	/* The newest scan of kind sca per product: the SBOM its findings reflect. */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT p.id, p.name, s.id, s.commit_sha, s.release_version, s.artifact_name "
			       "FROM product p JOIN scan s ON s.id = (SELECT max(id) FROM scan "
			       "WHERE product_id = p.id AND kind = 'sca') "
			       "WHERE ?1 = 0 OR p.id = ?1 ORDER BY p.id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, product_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.product_id = sqlite3_column_int64(st, 0);
		h.product = sq_col_text(st, 1);
		h.scan_id = sqlite3_column_int64(st, 2);
		h.commit = sq_col_text(st, 3);
		h.release = sq_col_text(st, 4);
		h.artifact_name = sq_col_text(st, 5);
		if ((cb_rc = cb(ctx, &h)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read SBOM scans");
}

/* The fraction of a second of an RFC 3339 time ("...:34.311573Z" ->
 * "311573"), empty when none. */
static size_t fraction(const char *t, const char **digits)
{
	const char *dot = t ? strchr(t, '.') : NULL;

	*digits = dot ? dot + 1 : "";
	return dot ? strspn(dot + 1, "0123456789") : 0;
}

/* Compare two fractions of a second as decimals: "5" > "41", "50" == "5". */
static int fraction_cmp(const char *a, const char *b)
{
	const char *da, *db;
	size_t na = fraction(a, &da), nb = fraction(b, &db), i;

	for (i = 0; i < na || i < nb; i++) {
		char ca = i < na ? da[i] : '0', cb = i < nb ? db[i] : '0';
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

/*
 * Each package row carries the digest of its values. The ledger's state of
 * the vulnerability database hashes the records and these digests (32 bytes
 * a row) rather than every entry's JSON, so that checking the database before
 * a change reads the records, not all their data; each row is held against
 * its digest when matching reads it (sq_vuln_candidates) and, for every row,
 * by `audit verify` (sq_vulndb_content_check). Changing a row's values and
 * its digest together changes the ledger's state: caught before any change.
 */
static void package_digest(const char *ecosystem, const char *eco_base, const char *name, const char *affected,
			   unsigned char out[SG_DIGEST_BYTES])
{
	struct sg_rhash h;

	sg_rhash_init(&h);
	sg_rhash_text(&h, ecosystem);
	sg_rhash_text(&h, eco_base);
	sg_rhash_text(&h, name);
	sg_rhash_text(&h, affected);
	sg_rhash_final(&h, out);
}

/* Does a stored row still hold the values its digest was made of? */
static int row_intact(sqlite3_stmt *st, int ecosystem, int eco_base, int name, int affected, int digest)
{
	unsigned char want[SG_DIGEST_BYTES];

	package_digest(sq_col_text(st, ecosystem), sq_col_text(st, eco_base), sq_col_text(st, name),
		       sq_col_text(st, affected), want);
	return sqlite3_column_bytes(st, digest) == SG_DIGEST_BYTES &&
	       memcmp(sqlite3_column_blob(st, digest), want, SG_DIGEST_BYTES) == 0;
}

static void bind_vuln(sqlite3_stmt *st, const struct sg_vuln_record *r)
{
	sqlite3_bind_text(st, 2, r->modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->modified_at);
	sqlite3_bind_int(st, 4, r->withdrawn ? 1 : 0);
	sqlite3_bind_text(st, 5, r->aliases ? r->aliases : "", -1, SQLITE_STATIC);
	sq_bind_text(st, 6, r->summary);
	if (r->severity >= 0)
		sqlite3_bind_int(st, 7, r->severity);
	if (r->score >= 0)
		sqlite3_bind_int(st, 8, r->score);
	sq_bind_text(st, 9, r->severity_source);
	sqlite3_bind_blob(st, 10, r->record_sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)r->imported_at);
}

/* A record's packages. Its aliases live in vuln.aliases alone: the only
 * lookup by alias (`sca explain --vuln`) scans the records, which costs
 * less than an alias table and two indexes filled on every import. */
static int insert_packages(struct sq *s, long long vuln_id, const struct sg_vuln_record *r, struct sg_error *err)
{
	unsigned char digest[SG_DIGEST_BYTES];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < r->n_packages; i++) {
		package_digest(r->packages[i].ecosystem, r->packages[i].eco_base, r->packages[i].name,
			       r->packages[i].affected, digest);
		if (!(st = sq_stmt(s, ST_VULN_PACKAGE_INSERT, err)))
			return err->code;
		sqlite3_bind_int64(st, 1, vuln_id);
		sq_bind_text(st, 2, r->packages[i].ecosystem);
		sq_bind_text(st, 3, r->packages[i].eco_base);
		sq_bind_text(st, 4, r->packages[i].name);
		sq_bind_text(st, 5, r->packages[i].affected);
		sqlite3_bind_blob(st, 6, digest, SG_DIGEST_BYTES, SQLITE_STATIC);
		if ((rc = sq_exec_done(s, st, err, "cannot record a vulnerable package")))
			return rc;
	}
	return 0;
}

int sq_vuln_upsert(void *impl, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
		   struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_VULN_FIND, err);
	long long id = 0;
	time_t stored_modified = 0;
	int rc, exists = 0, same_bytes = 0, newer = 0;

	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, r->osv_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		exists = 1;
		id = sqlite3_column_int64(st, 0);
		stored_modified = (time_t)sqlite3_column_int64(st, 1);
		same_bytes = sqlite3_column_bytes(st, 2) == SG_SHA256_BYTES &&
			     memcmp(sqlite3_column_blob(st, 2), r->record_sha256, SG_SHA256_BYTES) == 0;
		newer = r->modified_at > stored_modified ||
			(r->modified_at == stored_modified && fraction_cmp(r->modified, sq_col_text(st, 3)) > 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot look up a vulnerability record");
	/*
	 * Later `modified` (to the fraction of a second osv.dev writes)
	 * replaces; the same or older is left, so that importing the same data
	 * twice, or two copies of a record, changes nothing. Except a time that
	 * says nothing: Go's vulndb writes "0001-01-01T00:00:00Z" for every
	 * record (read as 0), so there different bytes are a newer record.
	 */
	if (exists && !newer && !(r->modified_at <= 0 && stored_modified <= 0 && !same_bytes)) {
		*outcome = SG_VULN_UNCHANGED;
		return 0;
	}
	if (exists) {
		if (!(st = sq_stmt(s, ST_VULN_UPDATE, err)))
			return err->code;
		sqlite3_bind_int64(st, 1, id);
		bind_vuln(st, r);
		if ((rc = sq_exec_done(s, st, err, "cannot update a vulnerability record")))
			return rc;
		if (!(st = sq_stmt(s, ST_VULN_PACKAGES_DELETE, err)))
			return err->code;
		sqlite3_bind_int64(st, 1, id);
		if ((rc = sq_exec_done(s, st, err, "cannot update a vulnerability record")))
			return rc;
		*outcome = SG_VULN_UPDATED;
	} else {
		if (!(st = sq_stmt(s, ST_VULN_INSERT, err)))
			return err->code;
		sqlite3_bind_text(st, 1, r->osv_id, -1, SQLITE_STATIC);
		bind_vuln(st, r);
		if ((rc = sq_exec_done(s, st, err, "cannot record a vulnerability record")))
			return rc;
		id = sqlite3_last_insert_rowid(s->db);
		*outcome = SG_VULN_ADDED;
	}
	return insert_packages(s, id, r, err);
}

int sq_vuln_candidates(void *impl, const char *eco_base, const char *name, sg_vuln_candidate_cb cb, void *ctx,
		       struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_vuln_candidate c;
	sqlite3_stmt *st = sq_stmt(s, ST_VULN_CANDIDATES, err);
	int rc, cb_rc = 0;

	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, eco_base, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!row_intact(st, 8, 10, 11, 9, 12)) {
			sg_error_set(err, SG_DIAG_AUDIT_BROKEN,
				     "refusing to match against vulnerability record %.200s: its stored package %.200s "
				     "was changed behind shipgate's back (run `shipgate audit verify`)",
				     sq_col_text(st, 1) ? sq_col_text(st, 1) : "", name);
			sqlite3_reset(st);
			return err->code;
		}
		memset(&c, 0, sizeof(c));
		c.vuln_id = sqlite3_column_int64(st, 0);
		c.osv_id = sq_col_text(st, 1);
		c.aliases = sq_col_text(st, 2);
		c.summary = sq_col_text(st, 3);
		c.severity = sqlite3_column_int(st, 4);
		c.score = sqlite3_column_int(st, 5);
		c.severity_source = sq_col_text(st, 6);
		c.withdrawn = sqlite3_column_int(st, 7);
		c.ecosystem = sq_col_text(st, 8);
		c.affected = sq_col_text(st, 9);
		if ((cb_rc = cb(ctx, &c)))
			break;
	}
	sqlite3_reset(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot look up vulnerabilities");
}

int sq_vulndb_counts(void *impl, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_vulndb_count c;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT p.eco_base, count(DISTINCT v.id), "
			       "count(DISTINCT CASE WHEN v.withdrawn THEN v.id END), max(v.modified) "
			       "FROM vuln v JOIN vuln_package p ON p.vuln_id = v.id "
			       "GROUP BY p.eco_base ORDER BY p.eco_base",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.eco_base = sq_col_text(st, 0);
		c.records = sqlite3_column_int64(st, 1);
		c.withdrawn = sqlite3_column_int64(st, 2);
		c.newest_modified = sq_col_text(st, 3);
		if ((cb_rc = cb(ctx, &c)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot count vulnerability records");
}

int sq_vuln_ids_named(void *impl, const char *id_or_alias, long long *ids, size_t max, size_t *n,
		      struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_VULN_NAMED, err);
	int rc;

	*n = 0;
	if (!st)
		return err->code;
	sqlite3_bind_text(st, 1, id_or_alias, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (*n < max)
			ids[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot look up a vulnerability");
}

int sq_scan_set_tool(void *impl, long long scan_id, const char *tool, const char *tool_version,
		     struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "UPDATE scan SET tool = ?2, tool_version = ?3 WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, scan_id);
	sq_bind_text(st, 2, tool);
	sq_bind_text(st, 3, tool_version);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot name the scan's tool");
}

/* Served by finding_by_component (product_id, component). */
int sq_component_findings(void *impl, const struct sg_view *view, const char *component, sg_rule_cb cb, void *ctx,
			  struct sg_error *err)
{
	struct sq *s = impl;
	enum sg_finding_status status;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT rule, status FROM finding WHERE product_id = ?1 AND component = ?2 "
			       "AND kind = ?3 AND tool = ?4 AND category = ?5 ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, view->product_id);
	sq_bind_text(st, 2, component);
	sq_bind_text(st, 3, view->kind);
	sq_bind_text(st, 4, view->tool);
	sq_bind_text(st, 5, view->category);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sg_status_parse(sq_col_text(st, 1), &status) != 0)
			status = SG_STATUS_OPEN;
		if ((cb_rc = cb(ctx, sq_col_text(st, 0), status)))
			break;
	}
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read a component's findings");
}

int sq_component_findings_carry(void *impl, const struct sg_view *view, const char *component, long long ingest_id,
				long long scan_id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE finding SET last_seen_ingest = ?6, last_seen_scan = ?7 "
			       "WHERE product_id = ?1 AND component = ?2 AND kind = ?3 AND tool = ?4 "
			       "AND category = ?5 AND status = 'open'",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, view->product_id);
	sq_bind_text(st, 2, component);
	sq_bind_text(st, 3, view->kind);
	sq_bind_text(st, 4, view->tool);
	sq_bind_text(st, 5, view->category);
	sqlite3_bind_int64(st, 6, ingest_id);
	sqlite3_bind_int64(st, 7, scan_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot keep a component's findings");
}

int sq_vulndb_content_check(void *impl, sg_mismatch_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = NULL;
	int rc, cb_rc = 0;

	/* A row of no record is reported with osv_id NULL. */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT v.osv_id, p.ecosystem, p.eco_base, p.name, p.affected, p.digest "
			       "FROM vuln_package p LEFT JOIN vuln v ON v.id = p.vuln_id ORDER BY p.id",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot prepare a statement");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((sqlite3_column_type(st, 0) == SQLITE_NULL || !row_intact(st, 1, 2, 3, 4, 5)) &&
		    (cb_rc = cb(ctx, sq_col_text(st, 0))))
			break;
	sqlite3_finalize(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read the vulnerability database");
}

int sq_vuln_known_bytes(void *impl, const unsigned char sha256[SG_SHA256_BYTES], int *known, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_VULN_KNOWN_BYTES, err);
	int rc;

	*known = 0;
	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*known = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot look up a vulnerability record");
}
