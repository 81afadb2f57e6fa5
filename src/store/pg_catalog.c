/* The PostgreSQL backend: products, ingests, scans and releases (sqlite_catalog.c's twin). */
#include <stdio.h>
#include <string.h>

#include "store/pg_internal.h"

/* A commit matches itself, or a prefix of at least 7 digits either way. */
#define COMMIT_MATCHES(param)                                                           \
	"(commit_sha = " param " OR (length(" param ") >= 7 AND length(commit_sha) >= 7 AND " \
	"(substr(commit_sha, 1, length(" param ")) = " param " OR "                            \
	"substr(" param ", 1, length(commit_sha)) = commit_sha)))"

#define SQL_PRODUCT_FIND "SELECT id FROM product WHERE name = $1"
/* The name is unique: a product another writer created meanwhile is found, not an error. */
#define SQL_PRODUCT_INSERT                                                               \
	"INSERT INTO product(name, created_at) VALUES ($1, $2) "                          \
	"ON CONFLICT (name) DO NOTHING RETURNING id"
/*
 * An ingest's setup, one round trip. Identical results of one ingest are
 * counted per connection, as SQLite's temp.occurrence is: a temporary table
 * does not survive a reconnection, so every ingest makes sure it is there (a
 * no-op but the first time), then empties it.
 *
 * Statements are planned once per connection. Planned while the findings
 * table is a few pages (a new store, or one that only had a small ingest),
 * a look-up may be a seq scan, cheaper then, and stay one while this ingest
 * adds a million rows: every sighting would read them all. So while the
 * table is small, this transaction plans without seq scans wherever an index
 * serves (SET LOCAL: it ends with the ingest); a larger table plans index
 * look-ups by itself.
 */
#define SQL_INGEST_SETUP                                                                 \
	"CREATE TEMP TABLE IF NOT EXISTS sg_occurrence (base BYTEA PRIMARY KEY, n BIGINT NOT NULL);" \
	"DELETE FROM pg_temp.sg_occurrence;"                                              \
	"SELECT set_config('enable_seqscan', 'off', true) "                               \
	"WHERE pg_relation_size('finding') < 1024 * current_setting('block_size')::bigint"
#define SQL_INGEST_INSERT "INSERT INTO ingest(product_id, created_at) VALUES ($1, $2) RETURNING id"
#define SQL_SCAN_FIND_ARTIFACT                                                           \
	"SELECT id FROM scan WHERE product_id = $1 AND kind = $2 "                        \
	"AND artifact_sha256 = $3 AND commit_sha IS NOT DISTINCT FROM $4::text "          \
	"AND ($5::bigint = 0 OR id < $5::bigint) AND ingest_options = $6 "                \
	"ORDER BY id LIMIT 1"
#define SQL_SCAN_INSERT                                                                  \
	"INSERT INTO scan(product_id, ingest_id, kind, tool, tool_version, category, "    \
	"commit_sha, release_version, environment, artifact_name, artifact_sha256, "      \
	"results_null, created_at, ingest_options) "                                      \
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
#define SQL_SCAN_ARTIFACT "UPDATE scan SET artifact_sha256 = $2 WHERE id >= $1"
#define SQL_SCAN_COUNTS                                                                  \
	"UPDATE scan SET result_count = $2, new_count = $3, reopened_count = $4, "        \
	"fixed_count = $5 WHERE id = $1"
#define SQL_SCAN_NEWEST                                                                  \
	"SELECT id, tool, coalesce(commit_sha, ''), created_at FROM scan "                \
	"WHERE product_id = $1 AND kind = $2 AND results_null = 0 "                       \
	"AND ($3::text IS NULL OR " COMMIT_MATCHES("$3::text") ") "                       \
	"ORDER BY created_at DESC, id DESC LIMIT 1"
/* A version taken already inserts nothing (and, checked first, takes no id
 * from the sequence, as SQLite's failed insert takes no rowid). */
#define SQL_RELEASE_INSERT                                                               \
	"INSERT INTO release(product_id, version, commit_sha, build_digest, created_at) " \
	"SELECT $1::bigint, $2::text, $3::text, $4::text, $5::bigint "                   \
	"WHERE NOT EXISTS (SELECT 1 FROM release WHERE product_id = $1::bigint AND version = $2::text) " \
	"ON CONFLICT (product_id, version) DO NOTHING RETURNING id"
#define SQL_RELEASE_FIND                                                                 \
	"SELECT id, version, commit_sha, coalesce(build_digest, ''), created_at "         \
	"FROM release WHERE product_id = $1 AND version = $2"

int pg_product_find(void *impl, const char *name, long long *id, struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, name);
	rc = pg_query_id(impl, SQL_PRODUCT_FIND, &p, id, "cannot look up the product", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", name);
	return rc;
}

int pg_product_ensure(void *impl, const char *name, time_t now, long long *id, struct sg_error *err)
{
	struct pg_params p;
	int rc = pg_product_find(impl, name, id, err);

	if (rc != SG_ENOTFOUND)
		return rc;
	sg_error_clear(err);
	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(impl, SQL_PRODUCT_INSERT, &p, id, "cannot create the product", err);
	if (rc == SG_ENOTFOUND)
		return pg_product_find(impl, name, id, err);
	return rc;
}

int pg_ingest_begin(void *impl, long long product_id, time_t now, long long *ingest_id, struct sg_error *err)
{
	struct pg *s = impl;
	struct pg_params p;
	int rc;

	if ((rc = pg_exec_sql(s, SQL_INGEST_SETUP, "cannot start the ingest", err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(s, SQL_INGEST_INSERT, &p, ingest_id, "cannot start the ingest", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot start the ingest: no id came back");
	return rc;
}

int pg_scan_find_artifact(void *impl, long long product_id, const char *kind, const char *commit,
			  const unsigned char sha256[SG_SHA256_BYTES], const char *options,
			  long long before_scan_id, long long *scan_id, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_text(&p, kind);
	pg_param_bytes(&p, sha256, SG_SHA256_BYTES);
	pg_param_text(&p, commit);
	pg_param_int(&p, before_scan_id);
	pg_param_text(&p, options ? options : "");
	return pg_query_id(impl, SQL_SCAN_FIND_ARTIFACT, &p, scan_id, "cannot look up earlier scans", err);
}

int pg_scan_insert(void *impl, const struct sg_scan_record *scan, long long *scan_id, struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, scan->product_id);
	pg_param_int(&p, scan->ingest_id);
	pg_param_text(&p, scan->kind);
	pg_param_text(&p, scan->tool);
	pg_param_text(&p, scan->tool_version);
	pg_param_text(&p, scan->category ? scan->category : "");
	pg_param_text(&p, scan->commit);
	pg_param_text(&p, scan->release);
	pg_param_text(&p, scan->environment);
	pg_param_text(&p, scan->artifact_name);
	pg_param_bytes(&p, scan->artifact_sha256, SG_SHA256_BYTES);
	pg_param_int(&p, scan->results_null);
	pg_param_int(&p, (long long)scan->created_at);
	pg_param_text(&p, scan->options ? scan->options : "");
	rc = pg_query_id(impl, SQL_SCAN_INSERT, &p, scan_id, "cannot record the scan", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot record the scan: no id came back");
	return rc;
}

int pg_scans_set_artifact(void *impl, long long first_scan_id, const unsigned char sha256[SG_SHA256_BYTES],
			  struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, first_scan_id);
	pg_param_bytes(&p, sha256, SG_SHA256_BYTES);
	return pg_exec(impl, SQL_SCAN_ARTIFACT, &p, "cannot record the scan's artifact", err);
}

int pg_scan_set_counts(void *impl, long long scan_id, const struct sg_scan_counts *c, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, scan_id);
	pg_param_int(&p, c->results);
	pg_param_int(&p, c->new_findings);
	pg_param_int(&p, c->reopened);
	pg_param_int(&p, c->fixed);
	return pg_exec(impl, SQL_SCAN_COUNTS, &p, "cannot record the scan's counts", err);
}

int pg_scan_newest(void *impl, long long product_id, const char *kind, const char *commit,
		   struct sg_gate_scan *out, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	memset(out, 0, sizeof(*out));
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_text(&p, kind);
	pg_param_text(&p, commit);
	res = pg_query(impl, SQL_SCAN_NEWEST, &p, "cannot look up scans", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0) {
		out->found = 1;
		out->id = pg_get_int(res, 0, 0);
		snprintf(out->tool, sizeof(out->tool), "%s", pg_get_text(res, 0, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", pg_get_text(res, 0, 2));
		out->created_at = (time_t)pg_get_int(res, 0, 3);
	}
	PQclear(res);
	return 0;
}

int pg_release_create(void *impl, long long product_id, const char *version, const char *commit,
		      const char *build_digest, time_t now, long long *id, struct sg_error *err)
{
	struct pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_text(&p, version);
	pg_param_text(&p, commit);
	pg_param_text(&p, build_digest);
	pg_param_int(&p, (long long)now);
	rc = pg_query_id(impl, SQL_RELEASE_INSERT, &p, id, "cannot create the release", err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_CONFLICT, "release \"%s\" exists already", version);
	return rc;
}

int pg_release_find(void *impl, long long product_id, const char *version, struct sg_release *out,
		    struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;
	int found;

	memset(out, 0, sizeof(*out));
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_text(&p, version);
	res = pg_query(impl, SQL_RELEASE_FIND, &p, "cannot look up the release", err);
	if (!res)
		return err->code;
	found = PQntuples(res) > 0;
	if (found) {
		out->id = pg_get_int(res, 0, 0);
		snprintf(out->version, sizeof(out->version), "%s", pg_get_text(res, 0, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", pg_get_text(res, 0, 2));
		snprintf(out->build_digest, sizeof(out->build_digest), "%s", pg_get_text(res, 0, 3));
		out->created_at = (time_t)pg_get_int(res, 0, 4);
	}
	PQclear(res);
	if (!found)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no release \"%s\"", version);
	return 0;
}
