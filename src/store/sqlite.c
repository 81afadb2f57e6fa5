/*
 * The embedded SQLite backend. Hardened as sqlite.org's "Defense Against the
 * Dark Arts" says: defensive mode, trusted_schema off, lowered limits, no
 * ATTACH, prepared statements only. WAL mode so readers never block the
 * writer; foreign keys on.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_internal.h"
#include "store/sqlite_schema.h"
#include "util/alloc.h"
#include "util/limits.h"

/* A commit matches itself, or a prefix of at least 7 digits either way. */
#define COMMIT_MATCHES(param)                                                           \
	"(commit_sha = " param " OR (length(" param ") >= 7 AND length(commit_sha) >= 7 AND " \
	"(substr(commit_sha, 1, length(" param ")) = " param " OR "                            \
	"substr(" param ", 1, length(commit_sha)) = commit_sha)))"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_PRODUCT_FIND] = "SELECT id FROM product WHERE name = ?1",
	[ST_TOKEN_FIND] = SQ_TOKEN_SELECT "WHERE t.sha256 = ?1",
	[ST_GRANT_CHECK] = "SELECT 1 FROM product_grant WHERE principal_id = ?1 AND product = ?2",
	[ST_AUDIT_HEAD] = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
	[ST_PRODUCT_INSERT] = "INSERT INTO product(name, created_at) VALUES (?1, ?2)",
	[ST_RULES_GET] = "SELECT severity_rules FROM product WHERE id = ?1",
	[ST_RULES_SET] = "UPDATE product SET severity_rules = ?2 WHERE id = ?1",
	[ST_SEVERITY_RESET] = "UPDATE finding SET severity = tool_severity "
			      "WHERE product_id = ?1 AND severity <> tool_severity",
	[ST_SEVERITY_TOOL] = "UPDATE finding SET severity = ?3 WHERE product_id = ?1 AND tool = ?2",
	[ST_SEVERITY_RULE] = "UPDATE finding SET severity = ?4 WHERE product_id = ?1 AND tool = ?2 AND rule = ?3",
	/* Only identical results use it (see sq_finding_sight): most never do. */
	[ST_OCCURRENCE_RESET] = "DELETE FROM temp.occurrence",
	[ST_OCCURRENCE_GET] = "SELECT n FROM temp.occurrence WHERE base = ?1",
	[ST_OCCURRENCE_SET] = "INSERT INTO temp.occurrence(base, n) VALUES (?1, ?2) "
			      "ON CONFLICT(base) DO UPDATE SET n = excluded.n",
	[ST_INGEST_INSERT] = "INSERT INTO ingest(product_id, created_at) VALUES (?1, ?2)",
	[ST_SCAN_FIND_ARTIFACT] = "SELECT id FROM scan WHERE product_id = ?1 AND kind = ?2 "
				  "AND artifact_sha256 = ?3 AND commit_sha IS ?4 AND (?5 = 0 OR id < ?5) "
				  "AND ingest_options = ?6 "
				  "ORDER BY id LIMIT 1",
	[ST_SCAN_INSERT] = "INSERT INTO scan(product_id, ingest_id, kind, tool, tool_version, category, "
			   "commit_sha, release_version, environment, artifact_name, artifact_sha256, "
			   "results_null, created_at, ingest_options) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_SCAN_ARTIFACT] = "UPDATE scan SET artifact_sha256 = ?2 WHERE id >= ?1",
	[ST_SCAN_COUNTS] = "UPDATE scan SET result_count = ?2, new_count = ?3, reopened_count = ?4, "
			   "fixed_count = ?5 WHERE id = ?1",
	[ST_SCAN_NEWEST] = "SELECT id, tool, coalesce(commit_sha, ''), created_at FROM scan "
			   "WHERE product_id = ?1 AND kind = ?2 AND results_null = 0 "
			   "AND (?3 IS NULL OR " COMMIT_MATCHES("?3") ") "
			   "ORDER BY created_at DESC, id DESC LIMIT 1",
	[ST_FINDING_LOOKUP] = "SELECT id, status, last_seen_ingest, severity, tool_severity FROM finding "
			      "WHERE product_id = ?1 AND fingerprint = ?2",
	/* A first ingest inserts without looking up first; an existing
	 * fingerprint (and only that conflict) is then looked up and updated. */
	[ST_FINDING_INSERT] = "INSERT INTO finding(product_id, fingerprint, kind, tool, category, rule, "
			      "rule_name, severity, status, path, line, message, first_seen_scan, "
			      "last_seen_scan, last_seen_ingest, first_seen_at, last_seen_at, tool_severity, component) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?14, ?15, ?16) "
			      "ON CONFLICT(product_id, fingerprint) DO NOTHING",
	[ST_FINDING_UPDATE] = "UPDATE finding SET kind = ?2, tool = ?3, category = ?4, rule = ?5, "
			      "rule_name = ?6, severity = ?7, status = ?8, path = ?9, line = ?10, "
			      "message = ?11, last_seen_scan = ?12, last_seen_ingest = ?13, "
			      "last_seen_at = ?14, tool_severity = ?15, component = ?16 WHERE id = ?1",
	/* The common re-sighting: nothing indexed changes, so no index is rewritten. */
	[ST_FINDING_TOUCH] = "UPDATE finding SET rule_name = ?6, path = ?9, line = ?10, message = ?11, "
			     "last_seen_scan = ?12, last_seen_ingest = ?13, last_seen_at = ?14, tool_severity = ?15, "
			     "component = ?16 WHERE id = ?1",
	[ST_EVENT_INSERT] = "INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, "
			    "to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* core/lifecycle.c sg_lifecycle_absent(): only open findings become fixed. */
	[ST_CLOSE_EVENTS] = "INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, to_status) "
			    "SELECT id, ?6, ?7, 'fixed', 'open', 'fixed' FROM finding "
			    "WHERE product_id = ?1 AND kind = ?2 AND tool = ?3 AND category = ?4 "
			    "AND status = 'open' AND last_seen_ingest <> ?5",
	[ST_CLOSE_UPDATE] = "UPDATE finding SET status = 'fixed' "
			    "WHERE product_id = ?1 AND kind = ?2 AND tool = ?3 AND category = ?4 "
			    "AND status = 'open' AND last_seen_ingest <> ?5",
	/* Served by finding_by_gate (product_id, status, severity,
	 * first_seen_at): the gate lists its first blockers from a million
	 * findings without sorting them: gravest first, and newest first within
	 * a severity (the index order). */
	[ST_FINDINGS_LIST] = "SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id "
			     "WHERE f.product_id = ?1 AND f.status = ?3 AND f.severity >= ?4 "
			     "ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT ?5",
	[ST_FINDINGS_LIST_ANY] = "SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id "
				 "WHERE f.product_id = ?1 AND f.severity >= ?4 "
				 "ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT ?5",
	[ST_FINDING_GET] = "SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id "
			   "WHERE f.id = ?1",
	[ST_OPEN_COUNTS] = "SELECT severity, count(*) FROM finding WHERE product_id = ?1 AND status = 'open' "
			   "AND severity >= ?2 GROUP BY severity",
	[ST_EVENTS_LIST] = "SELECT 0, id, first_seen_scan, first_seen_at, 'opened', NULL, 'open', NULL "
			   "FROM finding WHERE id = ?1 "
			   "UNION ALL "
			   "SELECT id, finding_id, coalesce(scan_id, 0), at, event, from_status, to_status, "
			   "reason FROM finding_event WHERE finding_id = ?1 ORDER BY 1",
	[ST_SET_STATUS] = "UPDATE finding SET status = ?3 WHERE id = ?1 AND status = ?2",
	[ST_RELEASE_INSERT] = "INSERT INTO release(product_id, version, commit_sha, build_digest, created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_RELEASE_FIND] = "SELECT id, version, commit_sha, coalesce(build_digest, ''), created_at "
			    "FROM release WHERE product_id = ?1 AND version = ?2",
	[ST_COMPONENT_INSERT] = "INSERT INTO sbom_component(scan_id, ref, name, version, purl, component, "
				"ecosystem, package, type, scope, licenses, depth, unmatched) "
				"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_VEX_INSERT] = "INSERT INTO sbom_vex(scan_id, vuln, state, justification, detail, ref) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_VULN_FIND] = "SELECT id, modified_at, record_sha256, modified FROM vuln WHERE osv_id = ?1",
	[ST_VULN_INSERT] = "INSERT INTO vuln(osv_id, modified, modified_at, withdrawn, aliases, summary, "
			   "severity, score, severity_source, record_sha256, imported_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_VULN_UPDATE] = "UPDATE vuln SET modified = ?2, modified_at = ?3, withdrawn = ?4, aliases = ?5, "
			   "summary = ?6, severity = ?7, score = ?8, severity_source = ?9, record_sha256 = ?10, "
			   "imported_at = ?11 WHERE id = ?1",
	[ST_VULN_PACKAGES_DELETE] = "DELETE FROM vuln_package WHERE vuln_id = ?1",
	[ST_VULN_PACKAGE_INSERT] = "INSERT INTO vuln_package(vuln_id, ecosystem, eco_base, name, affected, digest) "
				   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_VULN_CANDIDATES] = "SELECT v.id, v.osv_id, v.aliases, v.summary, coalesce(v.severity, -1), "
			       "coalesce(v.score, -1), v.severity_source, v.withdrawn, p.ecosystem, p.affected, "
			       "p.eco_base, p.name, p.digest "
			       "FROM vuln_package p JOIN vuln v ON v.id = p.vuln_id "
			       "WHERE p.eco_base = ?1 AND p.name = ?2 ORDER BY v.id, p.id",
	[ST_VULN_KNOWN_BYTES] = "SELECT 1 FROM vuln WHERE record_sha256 = ?1 LIMIT 1",
	[ST_VULN_NAMED] = "SELECT id FROM vuln WHERE osv_id = ?1 UNION "
			  "SELECT id FROM vuln WHERE ?1 <> '' AND "
			  "instr(char(10) || aliases || char(10), char(10) || ?1 || char(10)) > 0 "
			  "ORDER BY 1",
};

int sq_fail(struct sq *s, struct sg_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);

	switch (code & 0xff) {
	case SQLITE_FULL:
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: the disk is full", what);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: the store is locked by another process",
				    what);
	case SQLITE_NOMEM:
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "%s: out of memory", what);
	default:
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: %s", what, sqlite3_errmsg(s->db));
	}
}

int sq_prepare(struct sq *s, const char *sql, sqlite3_stmt **st, struct sg_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return sq_fail(s, err, "cannot prepare a statement");
	}
	return 0;
}

int sq_run_once(struct sq *s, sqlite3_stmt *st, const char *what, struct sg_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		int code = sqlite3_extended_errcode(s->db);
		sqlite3_finalize(st);
		if (code == SQLITE_CONSTRAINT_UNIQUE)
			return SG_ECONFLICT;
		return sq_fail(s, err, what);
	}
	sqlite3_finalize(st);
	return 0;
}

sqlite3_stmt *sq_stmt(struct sq *s, enum stmt_id id, struct sg_error *err)
{
	if (!s->stmt[id]) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
				       NULL) != SQLITE_OK) {
			sq_fail(s, err, "cannot prepare a statement");
			return NULL;
		}
	} else {
		sqlite3_reset(s->stmt[id]);
		sqlite3_clear_bindings(s->stmt[id]);
	}
	return s->stmt[id];
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

const char *sq_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : NULL;
}

/* Run a statement that returns no rows. */
int sq_exec_done(struct sq *s, sqlite3_stmt *st, struct sg_error *err, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, what);
	return 0;
}

int sq_exec_sql(struct sq *s, const char *sql, struct sg_error *err, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, err, what);
	return 0;
}

static int pragma_int(struct sq *s, const char *sql, int *out, struct sg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "cannot read the store's header");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		rc = sq_fail(s, err, "cannot read the store's header");
	}
	sqlite3_finalize(st);
	return rc;
}

static int migrate(struct sq *s, int upgrade, struct sg_error *err)
{
	int version = 0, app_id = 0, i, rc;
	char sql[64];

	rc = pragma_int(s, "PRAGMA application_id", &app_id, err);
	if (!rc)
		rc = pragma_int(s, "PRAGMA user_version", &version, err);
	if (rc)
		return rc;
	if (version == 0 && app_id == 0) {
		sqlite3_stmt *st = NULL;
		int tables = 0;
		/* A database that holds tables but no shipgate header is someone else's. */
		if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			tables = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (tables > 0)
			return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
					    "the file is a SQLite database but not a shipgate store");
	} else if (app_id != SG_SQLITE_APPLICATION_ID) {
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the file is a SQLite database but not a shipgate store");
	}
	if (version > sg_sqlite_migration_count)
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the store has schema version %d, newer than this shipgate (%d): upgrade shipgate",
				    version, sg_sqlite_migration_count);
	if (version == sg_sqlite_migration_count)
		return 0;
	if (!upgrade)
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the store has schema version %d, older than this shipgate (%d): any other command "
				    "upgrades it; from version 1 the upgrade starts the audit ledger",
				    version, sg_sqlite_migration_count);
	rc = sq_exec_sql(s, "BEGIN IMMEDIATE", err, "cannot migrate the store");
	if (rc)
		return rc;
	for (i = version; i < sg_sqlite_migration_count; i++) {
		rc = sq_exec_sql(s, sg_sqlite_migrations[i], err, "cannot migrate the store");
		if (rc)
			goto out;
		/* Migration 2 starts the audit ledger: a store that had data
		 * records it as found (sqlite_audit.c). */
		if (i == 1 && version >= 1 && (rc = sq_ledger_baseline(s, err)))
			goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", sg_sqlite_migration_count);
	rc = sq_exec_sql(s, sql, err, "cannot migrate the store");
	if (!rc) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", SG_SQLITE_APPLICATION_ID);
		rc = sq_exec_sql(s, sql, err, "cannot migrate the store");
	}
	if (!rc)
		rc = sq_exec_sql(s, "COMMIT", err, "cannot migrate the store");
out:
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* mkdir -p for the store's directory, private to the user (0700). */
static int make_parent_dirs(const char *path, struct sg_error *err)
{
	char dir[PATH_MAX];
	size_t i, len = strlen(path);

	if (len >= sizeof(dir))
		return sg_error_set(err, SG_DIAG_STORE_OPEN, "the store path is too long");
	memcpy(dir, path, len + 1);
	for (i = 1; i < len; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return sg_error_set(err, SG_DIAG_STORE_OPEN, "cannot create directory \"%s\": %s", dir,
					    strerror(errno));
		dir[i] = '/';
	}
	return 0;
}

static int configure(struct sq *s, struct sg_error *err)
{
	int on = 0;

	/* Defense against the dark arts: a store file from elsewhere cannot run code through
	 * the schema, corrupt itself through writable_schema, or ATTACH other files. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on);
	sqlite3_limit(s->db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, 16 << 20);
	sqlite3_limit(s->db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(s->db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_busy_timeout(s->db, 10000);
	return sq_exec_sql(s,
			"PRAGMA journal_mode = WAL;"
			"PRAGMA synchronous = NORMAL;" /* durable at checkpoints; never corrupt in WAL */
			"PRAGMA foreign_keys = ON;"
			"PRAGMA cache_size = -32768;" /* 32 MiB: bounds the peak RSS; bench/ measures it */
			"PRAGMA temp_store = FILE;"
			"CREATE TEMP TABLE IF NOT EXISTS occurrence (base BLOB PRIMARY KEY, n INTEGER NOT NULL) "
			"WITHOUT ROWID;",
			err, "cannot configure the store");
}

static void sq_close(void *impl)
{
	struct sq *s = impl;
	int i;

	if (!s)
		return;
	sq_load_forget(s);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close_v2(s->db);
	sg_free(s);
}

static int sq_open(const char *location, int create, void **impl, struct sg_error *err)
{
	struct sq *s = NULL;
	struct stat st;
	/* NOMUTEX: a handle serves one thread at a time (store.h), so SQLite need
	 * not lock around every call. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	mode_t old_mask;
	int rc, opened;

	*impl = NULL;
	if (lstat(location, &st) != 0) {
		if (create != SG_STORE_OPEN_CREATE)
			return sg_error_set(err, SG_DIAG_NOT_FOUND,
					    "no store at \"%s\": run `shipgate init` first, or pass --db", location);
		rc = make_parent_dirs(location, err);
		if (rc)
			return rc;
		flags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(st.st_mode)) {
		return sg_error_set(err, SG_DIAG_STORE_OPEN, "\"%s\" is not a regular file", location);
	}
	s = sg_calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	/* Findings are sensitive: a new store (and its -wal and -shm files, which
	 * SQLite creates with the database's mode) is private to its owner. */
	old_mask = umask(077);
	opened = sqlite3_open_v2(location, &s->db, flags, NULL);
	umask(old_mask);
	if (opened != SQLITE_OK) {
		rc = s->db ? sg_error_set(err, SG_DIAG_STORE_OPEN, "cannot open the store: %s",
					  sqlite3_errmsg(s->db))
			   : sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	rc = configure(s, err);
	if (!rc)
		rc = migrate(s, create != SG_STORE_OPEN_NO_UPGRADE, err);
out:
	if (rc) {
		if (err->diag == SG_DIAG_STORE_FAILED)
			err->diag = SG_DIAG_STORE_OPEN;
		sq_close(s);
		return rc;
	}
	*impl = s;
	return 0;
}

static int start_transaction(struct sq *s, const char *sql, struct sg_error *err)
{
	int rc = sq_exec_sql(s, sql, err, "cannot start a transaction");

	if (!rc)
		s->in_tx = 1;
	return rc;
}

/* IMMEDIATE: take the write lock now, so that a busy store fails (after the
 * busy timeout) before any work is done, not at the first write. */
static int sq_begin(void *impl, struct sg_error *err)
{
	return start_transaction(impl, "BEGIN IMMEDIATE", err);
}

static int sq_begin_read(void *impl, struct sg_error *err)
{
	return start_transaction(impl, "BEGIN DEFERRED", err);
}

static int sq_commit(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int rc = sq_exec_sql(s, "COMMIT", err, "cannot commit");

	if (!rc)
		s->in_tx = 0;
	return rc;
}

static void sq_rollback(void *impl)
{
	struct sq *s = impl;
	int i;

	if (!s->in_tx)
		return;
	for (i = 0; i < ST_COUNT; i++)
		if (s->stmt[i])
			sqlite3_reset(s->stmt[i]);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

static int sq_savepoint(void *impl, struct sg_error *err)
{
	return sq_exec_sql(impl, "SAVEPOINT sg_mark", err, "cannot mark the transaction");
}

static int sq_rollback_to_savepoint(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (s->stmt[i])
			sqlite3_reset(s->stmt[i]);
	return sq_exec_sql(s, "ROLLBACK TO sg_mark", err, "cannot undo part of the transaction");
}

static int sq_release_savepoint(void *impl, struct sg_error *err)
{
	return sq_exec_sql(impl, "RELEASE sg_mark", err, "cannot keep part of the transaction");
}

const struct sg_store_ops sg_store_sqlite_ops = {
	.version = SG_STORE_BACKEND_VERSION,
	.scheme = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.rollback_to_savepoint = sq_rollback_to_savepoint,
	.release_savepoint = sq_release_savepoint,
	.product_ensure = sq_product_ensure,
	.product_find = sq_product_find,
	.findings_apply_overrides = sq_findings_apply_overrides,
	.ingest_begin = sq_ingest_begin,
	.scan_find_artifact = sq_scan_find_artifact,
	.scan_insert = sq_scan_insert,
	.scans_set_artifact = sq_scans_set_artifact,
	.scan_set_counts = sq_scan_set_counts,
	.scan_newest = sq_scan_newest,
	.finding_sight = sq_finding_sight,
	.findings_close_unseen = sq_findings_close_unseen,
	.findings_list = sq_findings_list,
	.findings_open_counts = sq_findings_open_counts,
	.finding_get = sq_finding_get,
	.finding_events = sq_finding_events,
	.finding_set_status = sq_finding_set_status,
	.release_create = sq_release_create,
	.release_find = sq_release_find,
	.findings_count = sq_findings_count,
	.principal_add = sq_principal_add,
	.principal_find = sq_principal_find,
	.principals_list = sq_principals_list,
	.key_add = sq_key_add,
	.key_find = sq_key_find,
	.exception_insert = sq_exception_insert,
	.exceptions_list = sq_exceptions_list,
	.exception_approve = sq_exception_approve,
	.exception_revoke = sq_exception_revoke,
	.audit_head = sq_audit_head,
	.audit_append = sq_audit_append,
	.audit_list = sq_audit_list,
	.audit_latest = sq_audit_latest,
	.object_digests = sq_object_digests,
	.component_insert = sq_component_insert,
	.components_list = sq_components_list,
	.vex_insert = sq_vex_insert,
	.vex_list = sq_vex_list,
	.sbom_heads = sq_sbom_heads,
	.vuln_upsert = sq_vuln_upsert,
	.vuln_candidates = sq_vuln_candidates,
	.vulndb_counts = sq_vulndb_counts,
	.vuln_ids_named = sq_vuln_ids_named,
	.vuln_known_bytes = sq_vuln_known_bytes,
	.vulndb_content_check = sq_vulndb_content_check,
	.component_findings = sq_component_findings,
	.component_findings_carry = sq_component_findings_carry,
	.scan_set_tool = sq_scan_set_tool,
	.token_insert = sq_token_insert,
	.token_find = sq_token_find,
	.token_revoke = sq_token_revoke,
	.tokens_list = sq_tokens_list,
	.grant_add = sq_grant_add,
	.grant_remove = sq_grant_remove,
	.grants_list = sq_grants_list,
	.grant_check = sq_grant_check,
	.product_name = sq_product_name,
	.job_register = sq_job_register,
	.job_claim = sq_job_claim,
	.job_finish = sq_job_finish,
	.job_trigger = sq_job_trigger,
	.jobs_list = sq_jobs_list,
	.notice_mark = sq_notice_mark,
	.table_rows = sq_table_rows,
	.table_load_begin = sq_table_load_begin,
	.table_load_row = sq_table_load_row,
	.table_load_end = sq_table_load_end,
	.is_empty = sq_is_empty,
};

