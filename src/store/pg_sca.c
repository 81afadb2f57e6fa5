/*
 * The PostgreSQL backend's dependency analysis, operation by operation as
 * sqlite_sca.c: SBOM components and VEX statements stored with their scan,
 * and the OSV database (records, their aliases, and one row per affected
 * package, indexed by ecosystem and name so that matching a component is one
 * index lookup).
 *
 * An import upserts hundreds of thousands of records, so a record is one
 * statement when it is new (look up, insert, its packages) and two when it
 * replaces a stored one: the packages travel as arrays, not a row a round
 * trip.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"

/*
 * pg_each() for a short list on a hot path: the rows of one package name or
 * one component, read in one round trip where a cursor takes three (matching
 * an SBOM looks up every component, and an import matches every product's
 * SBOM again). The result is held whole, so cb may use the store as well.
 */
static int each_held(struct pg *s, const char *sql, const struct pg_params *p, const char *what, pg_row_cb cb,
		     void *ctx, struct sg_error *err)
{
	PGresult *res = pg_query(s, sql, p, what, err);
	int row, rows, rc = 0;

	if (!res)
		return err->code;
	rows = PQntuples(res);
	for (row = 0; row < rows && rc == 0; row++)
		rc = cb(ctx, res, row, err);
	PQclear(res);
	return rc;
}

/* ---- SBOM components and VEX statements ---- */

int pg_component_insert(void *impl, const struct sg_component_record *c, long long *id, struct sg_error *err)
{
	struct pg *s = impl;
	struct pg_params p;
	long long new_id = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, c->scan_id);
	pg_param_text(&p, c->ref);
	pg_param_text(&p, c->name);
	pg_param_text(&p, c->version);
	pg_param_text(&p, c->purl);
	pg_param_text(&p, c->component);
	pg_param_text(&p, c->ecosystem);
	pg_param_text(&p, c->package);
	pg_param_text(&p, c->type);
	pg_param_text(&p, c->scope);
	pg_param_text(&p, c->licenses);
	pg_param_int(&p, c->depth);
	pg_param_text(&p, c->unmatched);
	rc = pg_query_id(s,
			 "INSERT INTO sbom_component(scan_id, ref, name, version, purl, component, "
			 "ecosystem, package, type, scope, licenses, depth, unmatched) "
			 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
			 &p, &new_id, "cannot record an SBOM component", err);
	if (rc == SG_ENOTFOUND) /* never: an INSERT ... RETURNING gives its row */
		return sg_error_set(err, SG_DIAG_STORE_FAILED,
				    "cannot record an SBOM component: no id came back");
	if (!rc && id)
		*id = new_id;
	return rc;
}

struct component_rows {
	sg_component_cb cb;
	void *ctx;
};

static int component_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct component_rows *e = ctx;
	struct sg_component_record c;

	(void)err;
	memset(&c, 0, sizeof(c));
	c.id = pg_get_int(res, row, 0);
	c.scan_id = pg_get_int(res, row, 1);
	c.ref = pg_get_text(res, row, 2);
	c.name = pg_get_text(res, row, 3);
	c.version = pg_get_text(res, row, 4);
	c.purl = pg_get_text(res, row, 5);
	c.component = pg_get_text(res, row, 6);
	c.ecosystem = pg_get_text(res, row, 7);
	c.package = pg_get_text(res, row, 8);
	c.type = pg_get_text(res, row, 9);
	c.scope = pg_get_text(res, row, 10);
	c.licenses = pg_get_text(res, row, 11);
	c.depth = (int)pg_get_int(res, row, 12);
	c.unmatched = pg_get_text(res, row, 13);
	return e->cb(e->ctx, &c);
}

/* Streamed: matching looks candidates up per component, in the callback. */
int pg_components_list(void *impl, long long scan_id, sg_component_cb cb, void *ctx, struct sg_error *err)
{
	struct component_rows e = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, scan_id);
	return pg_each(impl,
		       "SELECT id, scan_id, ref, name, version, purl, component, ecosystem, package, "
		       "type, scope, licenses, depth, unmatched FROM sbom_component "
		       "WHERE scan_id = $1::bigint ORDER BY id",
		       &p, "cannot read SBOM components", component_row, &e, err);
}

int pg_vex_insert(void *impl, const struct sg_vex_record *v, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, v->scan_id);
	pg_param_text(&p, v->vuln);
	pg_param_text(&p, v->state);
	pg_param_text(&p, v->justification);
	pg_param_text(&p, v->detail);
	pg_param_text(&p, v->ref);
	return pg_exec(impl,
		       "INSERT INTO sbom_vex(scan_id, vuln, state, justification, detail, ref) "
		       "VALUES ($1, $2, $3, $4, $5, $6)",
		       &p, "cannot record a VEX statement", err);
}

struct vex_rows {
	sg_vex_cb cb;
	void *ctx;
};

static int vex_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct vex_rows *e = ctx;
	struct sg_vex_record v;

	(void)err;
	memset(&v, 0, sizeof(v));
	v.scan_id = pg_get_int(res, row, 0);
	v.vuln = pg_get_text(res, row, 1);
	v.state = pg_get_text(res, row, 2);
	v.justification = pg_get_text(res, row, 3);
	v.detail = pg_get_text(res, row, 4);
	v.ref = pg_get_text(res, row, 5);
	return e->cb(e->ctx, &v);
}

int pg_vex_list(void *impl, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err)
{
	struct vex_rows e = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, scan_id);
	return pg_each(impl,
		       "SELECT scan_id, vuln, state, justification, detail, ref FROM sbom_vex "
		       "WHERE scan_id = $1::bigint ORDER BY id",
		       &p, "cannot read VEX statements", vex_row, &e, err);
}

struct head_rows {
	sg_sbom_head_cb cb;
	void *ctx;
};

static int head_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct head_rows *e = ctx;
	struct sg_sbom_head h;

	(void)err;
	memset(&h, 0, sizeof(h));
	h.product_id = pg_get_int(res, row, 0);
	h.product = pg_get_text(res, row, 1);
	h.scan_id = pg_get_int(res, row, 2);
	h.commit = pg_get_text(res, row, 3);
	h.release = pg_get_text(res, row, 4);
	h.artifact_name = pg_get_text(res, row, 5);
	return e->cb(e->ctx, &h);
}

int pg_sbom_heads(void *impl, long long product_id, sg_sbom_head_cb cb, void *ctx, struct sg_error *err)
{
	struct head_rows e = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, product_id);
	/* The newest scan of kind sca per product: the SBOM its findings reflect. */
	return pg_each(impl,
		       "SELECT p.id, p.name, s.id, s.commit_sha, s.release_version, s.artifact_name "
		       "FROM product p JOIN scan s ON s.id = (SELECT max(id) FROM scan "
		       "WHERE product_id = p.id AND kind = 'sca') "
		       "WHERE $1::bigint = 0 OR p.id = $1::bigint ORDER BY p.id",
		       &p, "cannot read SBOM scans", head_row, &e, err);
}

/* ---- the OSV database ---- */

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
 * Each package row carries the digest of its values, exactly as the SQLite
 * backend computes it (sqlite_sca.c says why): the ledger's state of the
 * vulnerability database hashes these digests, and a store copied from one
 * backend to the other keeps them.
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
static int row_intact(const PGresult *res, int row, int ecosystem, int eco_base, int name, int affected,
		      int digest)
{
	unsigned char want[SG_DIGEST_BYTES], stored[SG_DIGEST_BYTES];

	package_digest(pg_get_text(res, row, ecosystem), pg_get_text(res, row, eco_base),
		       pg_get_text(res, row, name), pg_get_text(res, row, affected), want);
	return pg_get_bytes(res, row, digest, stored, SG_DIGEST_BYTES) == 0 &&
	       memcmp(stored, want, SG_DIGEST_BYTES) == 0;
}

/*
 * A record's packages as five parallel one-dimensional arrays in
 * PostgreSQL's binary array format (array_recv): a header (dimensions, a
 * flag, the element type; then length and lower bound), then each element as
 * a big-endian 4-byte length (-1: NULL) and its bytes. Binary text and bytea
 * elements are their bytes as they are, so nothing is quoted or escaped; the
 * statement unnests them WITH ORDINALITY and inserts in the record's order.
 */
#define PG_OID_BYTEA 17u
#define PG_OID_TEXT 25u
/* A bind parameter is at most 1 GB on the server. */
#define PACKAGE_ARRAYS_MAX ((size_t)1 << 30)

/* The text columns of a package row, in the statement's order; its digest follows. */
enum package_text { PKG_ECOSYSTEM, PKG_ECO_BASE, PKG_NAME, PKG_AFFECTED, PKG_TEXTS };
#define PACKAGE_ARRAYS (PKG_TEXTS + 1)

struct package_arrays {
	struct sg_buf buf;
	size_t start[PACKAGE_ARRAYS + 1]; /* array i is buf.data[start[i] .. start[i + 1]) */
	unsigned char (*digests)[SG_DIGEST_BYTES];
};

static void put_be32(struct sg_buf *b, uint32_t v)
{
	unsigned char x[4];

	x[0] = (unsigned char)(v >> 24);
	x[1] = (unsigned char)(v >> 16);
	x[2] = (unsigned char)(v >> 8);
	x[3] = (unsigned char)v;
	sg_buf_add(b, x, sizeof(x));
}

static void array_begin(struct sg_buf *b, size_t n, uint32_t element_type)
{
	put_be32(b, n ? 1 : 0); /* an empty array has no dimension */
	put_be32(b, 0);         /* read from the elements' lengths, not this flag */
	put_be32(b, element_type);
	if (n) {
		put_be32(b, (uint32_t)n);
		put_be32(b, 1); /* lower bound */
	}
}

static void array_element(struct sg_buf *b, const void *v, size_t len)
{
	if (!v) {
		put_be32(b, UINT32_MAX); /* -1: NULL, refused by the column as SQLite's is */
		return;
	}
	put_be32(b, (uint32_t)len);
	sg_buf_add(b, v, len);
}

static const char *package_text(const struct sg_vuln_package *k, enum package_text field)
{
	switch (field) {
	case PKG_ECOSYSTEM:
		return k->ecosystem;
	case PKG_ECO_BASE:
		return k->eco_base;
	case PKG_NAME:
		return k->name;
	default:
		return k->affected;
	}
}

static void array_text(struct package_arrays *a, const struct sg_vuln_record *r, enum package_text field)
{
	size_t i;

	array_begin(&a->buf, r->n_packages, PG_OID_TEXT);
	for (i = 0; i < r->n_packages; i++) {
		const char *v = package_text(&r->packages[i], field);
		array_element(&a->buf, v, v ? strlen(v) : 0);
	}
}

static int package_arrays_build(struct package_arrays *a, const struct sg_vuln_record *r, struct sg_error *err)
{
	size_t i;
	enum package_text field;

	memset(a, 0, sizeof(*a));
	sg_buf_init(&a->buf, PACKAGE_ARRAYS_MAX);
	if (r->n_packages) {
		a->digests = sg_calloc(r->n_packages, sizeof(*a->digests));
		if (!a->digests)
			return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	for (i = 0; i < r->n_packages; i++)
		package_digest(r->packages[i].ecosystem, r->packages[i].eco_base, r->packages[i].name,
			       r->packages[i].affected, a->digests[i]);
	for (field = PKG_ECOSYSTEM; field < PKG_TEXTS; field++) {
		a->start[field] = a->buf.len;
		array_text(a, r, field);
	}
	a->start[PKG_TEXTS] = a->buf.len;
	array_begin(&a->buf, r->n_packages, PG_OID_BYTEA);
	for (i = 0; i < r->n_packages; i++)
		array_element(&a->buf, a->digests[i], SG_DIGEST_BYTES);
	a->start[PACKAGE_ARRAYS] = a->buf.len;
	if (sg_buf_error(&a->buf) == SG_ENOMEM)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (sg_buf_error(&a->buf))
		return sg_error_set(err, SG_DIAG_STORE_FAILED,
				    "cannot record a vulnerable package: the record %.200s is too large "
				    "for the database", r->osv_id ? r->osv_id : "");
	return 0;
}

static void package_arrays_bind(const struct package_arrays *a, struct pg_params *p)
{
	int i;

	for (i = 0; i < PACKAGE_ARRAYS; i++)
		pg_param_bytes(p, a->buf.data + a->start[i], a->start[i + 1] - a->start[i]);
}

static void package_arrays_free(struct package_arrays *a)
{
	sg_buf_release(&a->buf);
	sg_free(a->digests);
}

/* The record's columns after its key, as $2 .. $11. */
static void bind_vuln(struct pg_params *p, const struct sg_vuln_record *r)
{
	pg_param_text(p, r->modified);
	pg_param_int(p, (long long)r->modified_at);
	pg_param_int(p, r->withdrawn ? 1 : 0);
	pg_param_text(p, r->aliases ? r->aliases : "");
	pg_param_text(p, r->summary);
	if (r->severity >= 0)
		pg_param_int(p, r->severity);
	else
		pg_param_null(p);
	if (r->score >= 0)
		pg_param_int(p, r->score);
	else
		pg_param_null(p);
	pg_param_text(p, r->severity_source);
	pg_param_bytes(p, r->record_sha256, SG_SHA256_BYTES);
	pg_param_int(p, (long long)r->imported_at);
}

/* The packages $12 .. $16, in the record's order (package ids follow it, and
 * candidates are listed by them). */
#define PACKAGES_FROM                                                                                   \
	"unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::bytea[]) WITH ORDINALITY "    \
	"AS u(ecosystem, eco_base, name, affected, digest, n)"
#define PACKAGE_INSERT "INSERT INTO vuln_package(vuln_id, ecosystem, eco_base, name, affected, digest) "

/*
 * Look the record up and, when there is none, add it with its packages: one
 * statement. Its first column says which: true (added, the new id) or false
 * (the stored record's id, modified_at, record_sha256 and modified). The
 * look-up does not see the insert (one snapshot), so exactly one row comes
 * back; none only when another writer added the record under us, which the
 * write lock rules out.
 */
static const char vuln_add_sql[] =
	"WITH added AS (INSERT INTO vuln(osv_id, modified, modified_at, withdrawn, aliases, summary, "
	"severity, score, severity_source, record_sha256, imported_at) "
	"SELECT $1::text, $2::text, $3::bigint, $4::bigint, $5::text, $6::text, $7::bigint, $8::bigint, "
	"$9::text, $10::bytea, $11::bigint "
	"WHERE NOT EXISTS (SELECT 1 FROM vuln WHERE osv_id = $1::text) " /* no identity value spent */
	"ON CONFLICT (osv_id) DO NOTHING RETURNING id), "
	"packages AS (" PACKAGE_INSERT
	"SELECT added.id, u.ecosystem, u.eco_base, u.name, u.affected, u.digest "
	"FROM added, " PACKAGES_FROM " ORDER BY u.n) "
	"SELECT id, true, NULL::bigint, NULL::bytea, NULL::text FROM added UNION ALL "
	"SELECT id, false, modified_at, record_sha256, modified FROM vuln WHERE osv_id = $1::text";

/* Replace a stored record and its packages: one statement. Its parts share
 * one snapshot, so the DELETE meets the old package rows only. */
static const char vuln_replace_sql[] =
	"WITH changed AS (UPDATE vuln SET modified = $2::text, modified_at = $3::bigint, "
	"withdrawn = $4::bigint, aliases = $5::text, summary = $6::text, severity = $7::bigint, "
	"score = $8::bigint, severity_source = $9::text, record_sha256 = $10::bytea, imported_at = $11::bigint "
	"WHERE id = $1::bigint), "
	"dropped AS (DELETE FROM vuln_package WHERE vuln_id = $1::bigint) "
	PACKAGE_INSERT "SELECT $1::bigint, u.ecosystem, u.eco_base, u.name, u.affected, u.digest "
	"FROM " PACKAGES_FROM " ORDER BY u.n";

struct stored_vuln {
	int added;
	long long id;
	time_t modified_at;
	int same_bytes;
	int newer; /* the record is newer than the stored one */
};

static int vuln_add(struct pg *s, const struct sg_vuln_record *r, const struct package_arrays *a,
		    struct stored_vuln *out, struct sg_error *err)
{
	unsigned char stored_sha[SG_SHA256_BYTES];
	struct pg_params p;
	PGresult *res;
	int attempt;

	memset(out, 0, sizeof(*out));
	pg_params_init(&p);
	pg_param_text(&p, r->osv_id);
	bind_vuln(&p, r);
	package_arrays_bind(a, &p);
	for (attempt = 0; attempt < 2; attempt++) {
		if (!(res = pg_query(s, vuln_add_sql, &p, "cannot record a vulnerability record", err)))
			return err->code;
		if (PQntuples(res) > 0)
			break;
		PQclear(res); /* added by another writer after our snapshot: the next one sees it */
	}
	if (attempt == 2)
		return sg_error_set(err, SG_DIAG_STORE_FAILED,
				    "cannot record a vulnerability record: %.200s changed while it was "
				    "recorded; try again", r->osv_id ? r->osv_id : "");
	out->id = pg_get_int(res, 0, 0);
	out->added = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	if (!out->added) {
		out->modified_at = (time_t)pg_get_int(res, 0, 2);
		out->same_bytes = pg_get_bytes(res, 0, 3, stored_sha, SG_SHA256_BYTES) == 0 &&
				  memcmp(stored_sha, r->record_sha256, SG_SHA256_BYTES) == 0;
		out->newer = r->modified_at > out->modified_at ||
			     (r->modified_at == out->modified_at &&
			      fraction_cmp(r->modified, pg_get_text(res, 0, 4)) > 0);
	}
	PQclear(res);
	return 0;
}

static int vuln_replace(struct pg *s, long long id, const struct sg_vuln_record *r,
			const struct package_arrays *a, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	bind_vuln(&p, r);
	package_arrays_bind(a, &p);
	return pg_exec(s, vuln_replace_sql, &p, "cannot update a vulnerability record", err);
}

int pg_vuln_upsert(void *impl, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
		   struct sg_error *err)
{
	struct pg *s = impl;
	struct package_arrays a;
	struct stored_vuln stored;
	int rc;

	if ((rc = package_arrays_build(&a, r, err)) || (rc = vuln_add(s, r, &a, &stored, err)))
		goto out;
	if (stored.added) {
		*outcome = SG_VULN_ADDED;
		goto out;
	}
	/*
	 * Later `modified` (to the fraction of a second osv.dev writes)
	 * replaces; the same or older is left, so that importing the same data
	 * twice, or two copies of a record, changes nothing. Except a time that
	 * says nothing: Go's vulndb writes "0001-01-01T00:00:00Z" for every
	 * record (read as 0), so there different bytes are a newer record.
	 */
	if (!stored.newer && !(r->modified_at <= 0 && stored.modified_at <= 0 && !stored.same_bytes)) {
		*outcome = SG_VULN_UNCHANGED;
		goto out;
	}
	if (!(rc = vuln_replace(s, stored.id, r, &a, err)))
		*outcome = SG_VULN_UPDATED;
out:
	package_arrays_free(&a);
	return rc;
}

struct candidate_rows {
	const char *name;
	sg_vuln_candidate_cb cb;
	void *ctx;
};

static int candidate_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct candidate_rows *e = ctx;
	struct sg_vuln_candidate c;

	if (!row_intact(res, row, 8, 10, 11, 9, 12))
		return sg_error_set(err, SG_DIAG_AUDIT_BROKEN,
				    "refusing to match against vulnerability record %.200s: its stored package "
				    "%.200s was changed behind shipgate's back (run `shipgate audit verify`)",
				    pg_get_text(res, row, 1) ? pg_get_text(res, row, 1) : "", e->name);
	memset(&c, 0, sizeof(c));
	c.vuln_id = pg_get_int(res, row, 0);
	c.osv_id = pg_get_text(res, row, 1);
	c.aliases = pg_get_text(res, row, 2);
	c.summary = pg_get_text(res, row, 3);
	c.severity = (int)pg_get_int(res, row, 4);
	c.score = (int)pg_get_int(res, row, 5);
	c.severity_source = pg_get_text(res, row, 6);
	c.withdrawn = (int)pg_get_int(res, row, 7);
	c.ecosystem = pg_get_text(res, row, 8);
	c.affected = pg_get_text(res, row, 9);
	return e->cb(e->ctx, &c);
}

int pg_vuln_candidates(void *impl, const char *eco_base, const char *name, sg_vuln_candidate_cb cb, void *ctx,
		       struct sg_error *err)
{
	struct candidate_rows e = {name, cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, eco_base);
	pg_param_text(&p, name);
	/* Served by vuln_package_by_name (eco_base, name). */
	return each_held(impl,
		         "SELECT v.id, v.osv_id, v.aliases, v.summary, coalesce(v.severity, -1), "
		         "coalesce(v.score, -1), v.severity_source, v.withdrawn, p.ecosystem, p.affected, "
		         "p.eco_base, p.name, p.digest "
		         "FROM vuln_package p JOIN vuln v ON v.id = p.vuln_id "
		         "WHERE p.eco_base = $1::text AND p.name = $2::text ORDER BY v.id, p.id",
		         &p, "cannot look up vulnerabilities", candidate_row, &e, err);
}

struct count_rows {
	sg_vulndb_count_cb cb;
	void *ctx;
};

static int count_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct count_rows *e = ctx;
	struct sg_vulndb_count c;

	(void)err;
	memset(&c, 0, sizeof(c));
	c.eco_base = pg_get_text(res, row, 0);
	c.records = pg_get_int(res, row, 1);
	c.withdrawn = pg_get_int(res, row, 2);
	c.newest_modified = pg_get_text(res, row, 3);
	return e->cb(e->ctx, &c);
}

int pg_vulndb_counts(void *impl, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err)
{
	struct count_rows e = {cb, ctx};

	return pg_each(impl,
		       "SELECT p.eco_base, count(DISTINCT v.id), "
		       "count(DISTINCT CASE WHEN v.withdrawn <> 0 THEN v.id END), max(v.modified) "
		       "FROM vuln v JOIN vuln_package p ON p.vuln_id = v.id "
		       "GROUP BY p.eco_base ORDER BY p.eco_base",
		       NULL, "cannot count vulnerability records", count_row, &e, err);
}

int pg_vuln_ids_named(void *impl, const char *id_or_alias, long long *ids, size_t max, size_t *n,
		      struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;
	int row, rows;

	*n = 0;
	pg_params_init(&p);
	pg_param_text(&p, id_or_alias);
	/* aliases is one per line: a whole line matches, never part of one. */
	res = pg_query(impl,
		       "SELECT id FROM vuln WHERE osv_id = $1::text UNION "
		       "SELECT id FROM vuln WHERE $1::text <> '' AND "
		       "position(chr(10) || $1::text || chr(10) in chr(10) || aliases || chr(10)) > 0 "
		       "ORDER BY 1",
		       &p, "cannot look up a vulnerability", err);
	if (!res)
		return err->code;
	rows = PQntuples(res);
	for (row = 0; row < rows && *n < max; row++)
		ids[(*n)++] = pg_get_int(res, row, 0);
	PQclear(res);
	return 0;
}

int pg_scan_set_tool(void *impl, long long scan_id, const char *tool, const char *tool_version,
		     struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, scan_id);
	pg_param_text(&p, tool);
	pg_param_text(&p, tool_version);
	return pg_exec(impl, "UPDATE scan SET tool = $2::text, tool_version = $3::text WHERE id = $1::bigint",
		       &p, "cannot name the scan's tool", err);
}

/* ---- findings about a component ---- */

struct rule_rows {
	sg_rule_cb cb;
	void *ctx;
};

static int rule_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct rule_rows *e = ctx;
	enum sg_finding_status status;

	(void)err;
	if (sg_status_parse(pg_get_text(res, row, 1), &status) != 0)
		status = SG_STATUS_OPEN;
	return e->cb(e->ctx, pg_get_text(res, row, 0), status);
}

static void bind_view(struct pg_params *p, const struct sg_view *view, const char *component)
{
	pg_param_int(p, view->product_id);
	pg_param_text(p, component);
	pg_param_text(p, view->kind);
	pg_param_text(p, view->tool);
	pg_param_text(p, view->category);
}

/* Served by finding_by_component (product_id, component). */
int pg_component_findings(void *impl, const struct sg_view *view, const char *component, sg_rule_cb cb, void *ctx,
			  struct sg_error *err)
{
	struct rule_rows e = {cb, ctx};
	struct pg_params p;

	pg_params_init(&p);
	bind_view(&p, view, component);
	return each_held(impl,
		         "SELECT rule, status FROM finding WHERE product_id = $1::bigint "
		         "AND component = $2::text AND kind = $3::text AND tool = $4::text "
		         "AND category = $5::text ORDER BY id",
		         &p, "cannot read a component's findings", rule_row, &e, err);
}

int pg_component_findings_carry(void *impl, const struct sg_view *view, const char *component, long long ingest_id,
				long long scan_id, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	bind_view(&p, view, component);
	pg_param_int(&p, ingest_id);
	pg_param_int(&p, scan_id);
	return pg_exec(impl,
		       "UPDATE finding SET last_seen_ingest = $6::bigint, last_seen_scan = $7::bigint "
		       "WHERE product_id = $1::bigint AND component = $2::text AND kind = $3::text "
		       "AND tool = $4::text AND category = $5::text AND status = 'open'",
		       &p, "cannot keep a component's findings", err);
}

/* ---- checks ---- */

struct mismatch_rows {
	sg_mismatch_cb cb;
	void *ctx;
};

static int mismatch_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct mismatch_rows *e = ctx;

	(void)err;
	if (pg_is_null(res, row, 0) || !row_intact(res, row, 1, 2, 3, 4, 5))
		return e->cb(e->ctx, pg_get_text(res, row, 0));
	return 0;
}

int pg_vulndb_content_check(void *impl, sg_mismatch_cb cb, void *ctx, struct sg_error *err)
{
	struct mismatch_rows e = {cb, ctx};

	/* A row of no record is reported with osv_id NULL. */
	return pg_each(impl,
		       "SELECT v.osv_id, p.ecosystem, p.eco_base, p.name, p.affected, p.digest "
		       "FROM vuln_package p LEFT JOIN vuln v ON v.id = p.vuln_id ORDER BY p.id",
		       NULL, "cannot read the vulnerability database", mismatch_row, &e, err);
}

int pg_vuln_known_bytes(void *impl, const unsigned char sha256[SG_SHA256_BYTES], int *known, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	*known = 0;
	pg_params_init(&p);
	pg_param_bytes(&p, sha256, SG_SHA256_BYTES);
	res = pg_query(impl, "SELECT 1 FROM vuln WHERE record_sha256 = $1::bytea LIMIT 1", &p,
		       "cannot look up a vulnerability record", err);
	if (!res)
		return err->code;
	*known = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}
