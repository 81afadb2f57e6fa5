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

#include "core/identity.h"
#include "core/lifecycle.h"
#include "store/backend.h"
#include "store/sqlite_schema.h"
#include "util/alloc.h"
#include "util/limits.h"

enum stmt_id {
	ST_PRODUCT_FIND,
	ST_PRODUCT_INSERT,
	ST_INGEST_INSERT,
	ST_OCCURRENCE_RESET,
	ST_OCCURRENCE_GET,
	ST_OCCURRENCE_SET,
	ST_RULES_GET,
	ST_RULES_SET,
	ST_SEVERITY_RESET,
	ST_SEVERITY_TOOL,
	ST_SEVERITY_RULE,
	ST_SCAN_FIND_ARTIFACT,
	ST_SCAN_INSERT,
	ST_SCAN_COUNTS,
	ST_SCAN_ARTIFACT,
	ST_SCAN_NEWEST,
	ST_FINDING_LOOKUP,
	ST_FINDING_INSERT,
	ST_FINDING_UPDATE,
	ST_FINDING_TOUCH,
	ST_EVENT_INSERT,
	ST_CLOSE_EVENTS,
	ST_CLOSE_UPDATE,
	ST_FINDINGS_LIST,
	ST_FINDINGS_LIST_ANY,
	ST_FINDING_GET,
	ST_OPEN_COUNTS,
	ST_EVENTS_LIST,
	ST_SET_STATUS,
	ST_RELEASE_INSERT,
	ST_RELEASE_FIND,
	ST_COUNT
};

#define FINDING_COLUMNS                                                              \
	"f.id, f.fingerprint, p.name, f.kind, f.tool, f.category, f.rule, f.severity, " \
	"f.status, f.path, f.line, f.message, f.first_seen_at, f.last_seen_at, "        \
	"f.first_seen_scan, f.last_seen_scan"

/* A commit matches itself, or a prefix of at least 7 digits either way. */
#define COMMIT_MATCHES(param)                                                           \
	"(commit_sha = " param " OR (length(" param ") >= 7 AND length(commit_sha) >= 7 AND " \
	"(substr(commit_sha, 1, length(" param ")) = " param " OR "                            \
	"substr(" param ", 1, length(commit_sha)) = commit_sha)))"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_PRODUCT_FIND] = "SELECT id FROM product WHERE name = ?1",
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
				  "ORDER BY id LIMIT 1",
	[ST_SCAN_INSERT] = "INSERT INTO scan(product_id, ingest_id, kind, tool, tool_version, category, "
			   "commit_sha, release_version, environment, artifact_name, artifact_sha256, "
			   "results_null, created_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_SCAN_ARTIFACT] = "UPDATE scan SET artifact_sha256 = ?2 WHERE id >= ?1",
	[ST_SCAN_COUNTS] = "UPDATE scan SET result_count = ?2, new_count = ?3, reopened_count = ?4, "
			   "fixed_count = ?5 WHERE id = ?1",
	[ST_SCAN_NEWEST] = "SELECT id, tool, coalesce(commit_sha, ''), created_at FROM scan "
			   "WHERE product_id = ?1 AND kind = ?2 AND (?3 IS NULL OR " COMMIT_MATCHES("?3") ") "
			   "ORDER BY created_at DESC, id DESC LIMIT 1",
	[ST_FINDING_LOOKUP] = "SELECT id, status, last_seen_ingest, severity, tool_severity FROM finding "
			      "WHERE product_id = ?1 AND fingerprint = ?2",
	/* A first ingest inserts without looking up first; an existing
	 * fingerprint (and only that conflict) is then looked up and updated. */
	[ST_FINDING_INSERT] = "INSERT INTO finding(product_id, fingerprint, kind, tool, category, rule, "
			      "rule_name, severity, status, path, line, message, first_seen_scan, "
			      "last_seen_scan, last_seen_ingest, first_seen_at, last_seen_at, tool_severity) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?14, ?15) "
			      "ON CONFLICT(product_id, fingerprint) DO NOTHING",
	[ST_FINDING_UPDATE] = "UPDATE finding SET kind = ?2, tool = ?3, category = ?4, rule = ?5, "
			      "rule_name = ?6, severity = ?7, status = ?8, path = ?9, line = ?10, "
			      "message = ?11, last_seen_scan = ?12, last_seen_ingest = ?13, "
			      "last_seen_at = ?14, tool_severity = ?15 WHERE id = ?1",
	/* The common re-sighting: nothing indexed changes, so no index is rewritten. */
	[ST_FINDING_TOUCH] = "UPDATE finding SET rule_name = ?6, path = ?9, line = ?10, message = ?11, "
			     "last_seen_scan = ?12, last_seen_ingest = ?13, last_seen_at = ?14, tool_severity = ?15 "
			     "WHERE id = ?1",
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
	/* Served by finding_by_gate (product_id, status, severity): the gate
	 * lists its first blockers from a million findings without sorting them. */
	[ST_FINDINGS_LIST] = "SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id "
			     "WHERE f.product_id = ?1 AND f.status = ?3 AND f.severity >= ?4 "
			     "ORDER BY f.severity DESC, f.id LIMIT ?5",
	[ST_FINDINGS_LIST_ANY] = "SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id "
				 "WHERE f.product_id = ?1 AND f.severity >= ?4 "
				 "ORDER BY f.severity DESC, f.id LIMIT ?5",
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
};

struct sq {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	int in_tx;
	int expect_existing; /* the last sighting was of a known finding */
};

/* A finding as finding_sight needs it. */
struct known {
	int exists;
	long long id;
	enum sg_finding_status status;
	long long last_ingest;
	int severity, tool_severity;
};

static int fail(struct sq *s, struct sg_error *err, const char *what)
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

/* The cached statement, reset and with its bindings cleared. */
static sqlite3_stmt *stmt(struct sq *s, enum stmt_id id, struct sg_error *err)
{
	if (!s->stmt[id]) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
				       NULL) != SQLITE_OK) {
			fail(s, err, "cannot prepare a statement");
			return NULL;
		}
	} else {
		sqlite3_reset(s->stmt[id]);
		sqlite3_clear_bindings(s->stmt[id]);
	}
	return s->stmt[id];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : NULL;
}

/* Run a statement that returns no rows. */
static int exec_done(struct sq *s, sqlite3_stmt *st, struct sg_error *err, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, what);
	return 0;
}

static int exec_sql(struct sq *s, const char *sql, struct sg_error *err, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, err, what);
	return 0;
}

static int pragma_int(struct sq *s, const char *sql, int *out, struct sg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(s, err, "cannot read the store's header");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		rc = fail(s, err, "cannot read the store's header");
	}
	sqlite3_finalize(st);
	return rc;
}

static int migrate(struct sq *s, struct sg_error *err)
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
	rc = exec_sql(s, "BEGIN IMMEDIATE", err, "cannot migrate the store");
	if (rc)
		return rc;
	for (i = version; i < sg_sqlite_migration_count; i++) {
		rc = exec_sql(s, sg_sqlite_migrations[i], err, "cannot migrate the store");
		if (rc)
			goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", sg_sqlite_migration_count);
	rc = exec_sql(s, sql, err, "cannot migrate the store");
	if (!rc) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", SG_SQLITE_APPLICATION_ID);
		rc = exec_sql(s, sql, err, "cannot migrate the store");
	}
	if (!rc)
		rc = exec_sql(s, "COMMIT", err, "cannot migrate the store");
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
	return exec_sql(s,
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
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close_v2(s->db);
	sg_free(s);
}

static int sq_open(const char *location, int create, void **impl, struct sg_error *err)
{
	struct sq *s = NULL;
	struct stat st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
	mode_t old_mask;
	int rc, opened;

	*impl = NULL;
	if (lstat(location, &st) != 0) {
		if (!create)
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
		rc = migrate(s, err);
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

static int sq_begin(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int rc = exec_sql(s, "BEGIN IMMEDIATE", err, "cannot start a transaction");

	if (!rc)
		s->in_tx = 1;
	return rc;
}

static int sq_begin_read(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int rc = exec_sql(s, "BEGIN DEFERRED", err, "cannot start a transaction");

	if (!rc)
		s->in_tx = 1;
	return rc;
}

static int sq_commit(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int rc = exec_sql(s, "COMMIT", err, "cannot commit");

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
	return exec_sql(impl, "SAVEPOINT sg_mark", err, "cannot mark the transaction");
}

static int sq_rollback_to_savepoint(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (s->stmt[i])
			sqlite3_reset(s->stmt[i]);
	return exec_sql(s, "ROLLBACK TO sg_mark", err, "cannot undo part of the transaction");
}

static int sq_release_savepoint(void *impl, struct sg_error *err)
{
	return exec_sql(impl, "RELEASE sg_mark", err, "cannot keep part of the transaction");
}

static int sq_product_find(void *impl, const char *name, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_PRODUCT_FIND, err);
	int rc;

	if (!st)
		return err->code;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, "cannot look up the product");
	return sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", name);
}

static int sq_product_ensure(void *impl, const char *name, time_t now, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st;
	int rc = sq_product_find(impl, name, id, err);

	if (rc != SG_ENOTFOUND)
		return rc;
	sg_error_clear(err);
	st = stmt(s, ST_PRODUCT_INSERT, err);
	if (!st)
		return err->code;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = exec_done(s, st, err, "cannot create the product");
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int run_override(struct sq *s, const struct sg_severity_override *o, long long product_id,
			struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, o->rule[0] ? ST_SEVERITY_RULE : ST_SEVERITY_TOOL, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	bind_text(st, 2, o->tool);
	if (o->rule[0]) {
		bind_text(st, 3, o->rule);
		sqlite3_bind_int(st, 4, (int)o->severity);
	} else {
		sqlite3_bind_int(st, 3, (int)o->severity);
	}
	return exec_done(s, st, err, "cannot apply the policy's severity overrides");
}

static int sq_findings_apply_overrides(void *impl, long long product_id, const struct sg_policy *policy,
				       int *changed, struct sg_error *err)
{
	struct sq *s = impl;
	unsigned char digest[SG_SHA256_BYTES];
	sqlite3_stmt *st = stmt(s, ST_RULES_GET, err);
	size_t i;
	int rc, same = 0, pass;

	*changed = 0;
	if (!st)
		return err->code;
	sg_policy_overrides_digest(policy, digest);
	sqlite3_bind_int64(st, 1, product_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_bytes(st, 0) == SG_SHA256_BYTES &&
		       memcmp(sqlite3_column_blob(st, 0), digest, SG_SHA256_BYTES) == 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, err, "cannot read the product");
	if (same)
		return 0;
	st = stmt(s, ST_SEVERITY_RESET, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	if ((rc = exec_done(s, st, err, "cannot apply the policy's severity overrides")))
		return rc;
	/* Tool-wide overrides first, so that one for a rule wins (core/policy.c). */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < policy->n_overrides; i++) {
			const struct sg_severity_override *o = &policy->overrides[i];
			if ((pass == 0) != (o->rule[0] == '\0'))
				continue;
			if ((rc = run_override(s, o, product_id, err)))
				return rc;
		}
	}
	st = stmt(s, ST_RULES_SET, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_blob(st, 2, digest, SG_SHA256_BYTES, SQLITE_STATIC);
	rc = exec_done(s, st, err, "cannot record the policy's severity overrides");
	if (!rc)
		*changed = 1;
	return rc;
}

static int sq_ingest_begin(void *impl, long long product_id, time_t now, long long *ingest_id,
			   struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_OCCURRENCE_RESET, err);
	int rc;

	if (!st)
		return err->code;
	if ((rc = exec_done(s, st, err, "cannot start the ingest")))
		return rc;
	st = stmt(s, ST_INGEST_INSERT, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	rc = exec_done(s, st, err, "cannot start the ingest");
	if (!rc)
		*ingest_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sq_scan_find_artifact(void *impl, long long product_id, const char *kind, const char *commit,
				 const unsigned char sha256[SG_SHA256_BYTES], long long before_scan_id,
				 long long *scan_id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SCAN_FIND_ARTIFACT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	bind_text(st, 2, kind);
	sqlite3_bind_blob(st, 3, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	bind_text(st, 4, commit);
	sqlite3_bind_int64(st, 5, before_scan_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*scan_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, "cannot look up earlier scans");
	return SG_ENOTFOUND;
}

static int sq_scan_insert(void *impl, const struct sg_scan_record *scan, long long *scan_id,
			  struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SCAN_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, scan->product_id);
	sqlite3_bind_int64(st, 2, scan->ingest_id);
	bind_text(st, 3, scan->kind);
	bind_text(st, 4, scan->tool);
	bind_text(st, 5, scan->tool_version);
	bind_text(st, 6, scan->category ? scan->category : "");
	bind_text(st, 7, scan->commit);
	bind_text(st, 8, scan->release);
	bind_text(st, 9, scan->environment);
	bind_text(st, 10, scan->artifact_name);
	sqlite3_bind_blob(st, 11, scan->artifact_sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, scan->results_null);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)scan->created_at);
	rc = exec_done(s, st, err, "cannot record the scan");
	if (!rc)
		*scan_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sq_scans_set_artifact(void *impl, long long first_scan_id,
				 const unsigned char sha256[SG_SHA256_BYTES], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SCAN_ARTIFACT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, first_scan_id);
	sqlite3_bind_blob(st, 2, sha256, SG_SHA256_BYTES, SQLITE_STATIC);
	return exec_done(s, st, err, "cannot record the scan's artifact");
}

static int sq_scan_set_counts(void *impl, long long scan_id, const struct sg_scan_counts *c,
			      struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SCAN_COUNTS, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int64(st, 2, c->results);
	sqlite3_bind_int64(st, 3, c->new_findings);
	sqlite3_bind_int64(st, 4, c->reopened);
	sqlite3_bind_int64(st, 5, c->fixed);
	return exec_done(s, st, err, "cannot record the scan's counts");
}

static int sq_scan_newest(void *impl, long long product_id, const char *kind, const char *commit,
			  struct sg_gate_scan *out, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SCAN_NEWEST, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	bind_text(st, 2, kind);
	bind_text(st, 3, commit);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->found = 1;
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->tool, sizeof(out->tool), "%s", col_text(st, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", col_text(st, 2));
		out->created_at = (time_t)sqlite3_column_int64(st, 3);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(s, err, "cannot look up scans");
}

static int insert_event(struct sq *s, long long finding_id, long long scan_id, time_t now,
			enum sg_event_kind kind, const char *from, const char *to, const char *reason,
			struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_EVENT_INSERT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, finding_id);
	if (scan_id > 0)
		sqlite3_bind_int64(st, 2, scan_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	bind_text(st, 4, sg_event_name(kind));
	bind_text(st, 5, from);
	bind_text(st, 6, to);
	bind_text(st, 7, reason);
	return exec_done(s, st, err, "cannot record the finding's history");
}

/* The finding with this fingerprint, if any. */
static int lookup_finding(struct sq *s, long long product_id, const unsigned char fp[SG_FINGERPRINT_BYTES],
			  struct known *k, struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_FINDING_LOOKUP, err);
	int rc;

	memset(k, 0, sizeof(*k));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_blob(st, 2, fp, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		k->exists = 1;
		k->id = sqlite3_column_int64(st, 0);
		if (sg_status_parse(col_text(st, 1), &k->status) != 0)
			k->status = SG_STATUS_OPEN;
		k->last_ingest = sqlite3_column_int64(st, 2);
		k->severity = sqlite3_column_int(st, 3);
		k->tool_severity = sqlite3_column_int(st, 4);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(s, err, "cannot look up the finding");
}

static void bind_sighting(sqlite3_stmt *st, int first, const struct sg_view *view,
			  const struct sg_sighting *in)
{
	bind_text(st, first, view->kind);
	bind_text(st, first + 1, view->tool);
	bind_text(st, first + 2, view->category);
	bind_text(st, first + 3, in->rule);
	bind_text(st, first + 4, in->rule_name);
	sqlite3_bind_int(st, first + 5, (int)in->severity);
}

/* ?9 .. ?14 of the finding insert and update statements. */
static void bind_finding_details(sqlite3_stmt *st, const struct sg_sighting *in, long long scan_id,
				 long long ingest_id, time_t now)
{
	bind_text(st, 9, in->path);
	if (in->line > 0)
		sqlite3_bind_int64(st, 10, in->line);
	bind_text(st, 11, in->message);
	sqlite3_bind_int64(st, 12, scan_id);
	sqlite3_bind_int64(st, 13, ingest_id);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)now);
	sqlite3_bind_int(st, 15, (int)in->tool_severity);
}

/* Insert a new finding; *inserted is 0 when the fingerprint exists already. */
static int insert_finding(struct sq *s, const struct sg_view *view, const unsigned char fp[SG_FINGERPRINT_BYTES],
			  const struct sg_sighting *in, long long scan_id, long long ingest_id, time_t now,
			  int *inserted, struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_FINDING_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, view->product_id);
	sqlite3_bind_blob(st, 2, fp, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	bind_sighting(st, 3, view, in);
	bind_finding_details(st, in, scan_id, ingest_id, now);
	rc = exec_done(s, st, err, "cannot record the finding");
	*inserted = !rc && sqlite3_changes(s->db) == 1;
	return rc;
}

static int update_finding(struct sq *s, const struct sg_view *view, const struct known *k,
			  enum sg_finding_status to, const struct sg_sighting *in, long long scan_id,
			  long long ingest_id, time_t now, struct sg_error *err)
{
	int touch = to == k->status && (int)in->severity == k->severity &&
		    (int)in->tool_severity == k->tool_severity;
	sqlite3_stmt *st = stmt(s, touch ? ST_FINDING_TOUCH : ST_FINDING_UPDATE, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, k->id);
	bind_sighting(st, 2, view, in);
	if (!touch)
		bind_text(st, 8, sg_status_name(to));
	bind_finding_details(st, in, scan_id, ingest_id, now);
	return exec_done(s, st, err, "cannot record the finding");
}

/* The next occurrence to try for a base this ingest has sighted before. */
static int occurrence_get(struct sq *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long *next, struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_OCCURRENCE_GET, err);
	int rc;

	*next = 1;
	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, base, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*next = (unsigned long long)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(s, err, "cannot count identical results");
}

static int occurrence_set(struct sq *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long next, struct sg_error *err)
{
	sqlite3_stmt *st = stmt(s, ST_OCCURRENCE_SET, err);

	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, base, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
	return exec_done(s, st, err, "cannot count identical results");
}

static int sq_finding_sight(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			    const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *in,
			    time_t now, struct sg_sighting_outcome *out, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_transition t;
	struct known k;
	int rc, inserted;

	memset(out, 0, sizeof(*out));
	/* The k-th identical result of this ingest is occurrence k: skip the
	 * fingerprints this ingest has reported already. A first ingest mostly
	 * meets new findings and a later one known ones: try first what the
	 * last sighting was. */
	for (;;) {
		sg_identity_fingerprint(base, out->occurrence, out->fingerprint);
		memset(&k, 0, sizeof(k));
		if (s->expect_existing && (rc = lookup_finding(s, view->product_id, out->fingerprint, &k, err)))
			return rc;
		if (!k.exists) {
			rc = insert_finding(s, view, out->fingerprint, in, scan_id, ingest_id, now, &inserted, err);
			if (rc)
				return rc;
			if (inserted) {
				k.id = sqlite3_last_insert_rowid(s->db);
				break;
			}
			if ((rc = lookup_finding(s, view->product_id, out->fingerprint, &k, err)))
				return rc;
			if (!k.exists)
				return sg_error_set(err, SG_DIAG_STORE_FAILED, "a finding vanished during the ingest");
		}
		if (k.last_ingest != ingest_id)
			break;
		/* An identical result came before in this ingest: continue from
		 * where the last one settled, not from 0, so that n identical
		 * results cost n steps, not n*n/2. */
		if (out->occurrence > 0)
			out->occurrence++;
		else if ((rc = occurrence_get(s, base, &out->occurrence, err)))
			return rc;
	}
	if (out->occurrence > 0 && (rc = occurrence_set(s, base, out->occurrence + 1, err)))
		return rc;
	s->expect_existing = k.exists;
	t = sg_lifecycle_sighted(k.exists, k.status);
	if (k.exists && (rc = update_finding(s, view, &k, t.to, in, scan_id, ingest_id, now, err)))
		return rc;
	out->finding_id = k.id;
	out->is_new = !k.exists;
	out->reopened = k.exists && t.changes;
	/* "opened" is not stored: the finding row holds it (first_seen_scan,
	 * first_seen_at) and ST_EVENTS_LIST derives it, which halves the rows a
	 * first ingest writes. Later events are stored. */
	if (k.exists && t.changes)
		return insert_event(s, k.id, scan_id, now, t.event, sg_status_name(k.status),
				    sg_status_name(t.to), NULL, err);
	return 0;
}

static void bind_view(sqlite3_stmt *st, const struct sg_view *view, long long ingest_id)
{
	sqlite3_bind_int64(st, 1, view->product_id);
	bind_text(st, 2, view->kind);
	bind_text(st, 3, view->tool);
	bind_text(st, 4, view->category);
	sqlite3_bind_int64(st, 5, ingest_id);
}

static int sq_findings_close_unseen(void *impl, const struct sg_view *view, long long ingest_id,
				    long long scan_id, time_t now, long long *closed, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_CLOSE_EVENTS, err);
	int rc;

	*closed = 0;
	if (!st)
		return err->code;
	bind_view(st, view, ingest_id);
	sqlite3_bind_int64(st, 6, scan_id);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	rc = exec_done(s, st, err, "cannot record fixed findings");
	if (rc)
		return rc;
	st = stmt(s, ST_CLOSE_UPDATE, err);
	if (!st)
		return err->code;
	bind_view(st, view, ingest_id);
	rc = exec_done(s, st, err, "cannot mark findings fixed");
	if (!rc)
		*closed = sqlite3_changes64(s->db);
	return rc;
}

static void read_finding(sqlite3_stmt *st, struct sg_finding *f, char first[SG_TIME_TEXT],
			 char last[SG_TIME_TEXT])
{
	const void *fp = sqlite3_column_blob(st, 1);

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	if (fp && sqlite3_column_bytes(st, 1) == SG_FINGERPRINT_BYTES)
		memcpy(f->fingerprint, fp, SG_FINGERPRINT_BYTES);
	f->product = col_text(st, 2);
	f->kind = col_text(st, 3);
	f->tool = col_text(st, 4);
	f->category = col_text(st, 5);
	f->rule = col_text(st, 6);
	f->severity = (enum sg_severity)sqlite3_column_int(st, 7);
	if (sg_status_parse(col_text(st, 8), &f->status) != 0)
		f->status = SG_STATUS_OPEN;
	f->path = col_text(st, 9);
	f->line = (long)sqlite3_column_int64(st, 10);
	f->message = col_text(st, 11);
	sg_time_format((time_t)sqlite3_column_int64(st, 12), first);
	sg_time_format((time_t)sqlite3_column_int64(st, 13), last);
	f->first_seen = first;
	f->last_seen = last;
	f->first_seen_scan = sqlite3_column_int64(st, 14);
	f->last_seen_scan = sqlite3_column_int64(st, 15);
}

/* Step through a finding query, calling cb per row; returns SG_ENOTFOUND if
 * want_one and there was no row. */
static int each_finding(struct sq *s, sqlite3_stmt *st, sg_finding_cb cb, void *ctx, int want_one,
			struct sg_error *err)
{
	char first[SG_TIME_TEXT], last[SG_TIME_TEXT];
	struct sg_finding f;
	int rc, rows = 0, cb_rc = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		read_finding(st, &f, first, last);
		cb_rc = cb(ctx, &f);
		if (cb_rc)
			break;
	}
	sqlite3_reset(st);
	if (cb_rc)
		return cb_rc;
	if (rc != SQLITE_DONE)
		return fail(s, err, "cannot read findings");
	if (want_one && rows == 0)
		return SG_ENOTFOUND;
	return 0;
}

static int sq_findings_list(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb,
			    void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, filter->any_status ? ST_FINDINGS_LIST_ANY : ST_FINDINGS_LIST, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, filter->product_id);
	if (!filter->any_status)
		bind_text(st, 3, sg_status_name(filter->status));
	sqlite3_bind_int(st, 4, (int)filter->min_severity);
	sqlite3_bind_int64(st, 5, filter->limit > 0 ? filter->limit : -1);
	return each_finding(s, st, cb, ctx, 0, err);
}

static int sq_findings_open_counts(void *impl, long long product_id, enum sg_severity min_severity,
				   long long counts[SG_SEV_COUNT], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_OPEN_COUNTS, err);
	int rc;

	memset(counts, 0, sizeof(long long) * SG_SEV_COUNT);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_int(st, 2, (int)min_severity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sev = sqlite3_column_int(st, 0);
		if (sev >= 0 && sev < SG_SEV_COUNT)
			counts[sev] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(s, err, "cannot count findings");
}

static int sq_finding_get(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_FINDING_GET, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = each_finding(s, st, cb, ctx, 1, err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no finding %lld", id);
	return rc;
}

static int sq_finding_events(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_EVENTS_LIST, err);
	char at[SG_TIME_TEXT];
	int rc, cb_rc = 0;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sg_finding_event ev;
		const char *name = col_text(st, 4);

		memset(&ev, 0, sizeof(ev));
		ev.id = sqlite3_column_int64(st, 0);
		ev.finding_id = sqlite3_column_int64(st, 1);
		ev.scan_id = sqlite3_column_int64(st, 2);
		sg_time_format((time_t)sqlite3_column_int64(st, 3), at);
		ev.at = at;
		ev.kind = SG_EVENT_OPENED;
		if (name && strcmp(name, "fixed") == 0)
			ev.kind = SG_EVENT_FIXED;
		else if (name && strcmp(name, "reopened") == 0)
			ev.kind = SG_EVENT_REOPENED;
		else if (name && strcmp(name, "triaged") == 0)
			ev.kind = SG_EVENT_TRIAGED;
		ev.from_status = col_text(st, 5);
		ev.to_status = col_text(st, 6);
		ev.reason = col_text(st, 7);
		cb_rc = cb(ctx, &ev);
		if (cb_rc)
			break;
	}
	sqlite3_reset(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : fail(s, err, "cannot read the finding's history");
}

static int sq_finding_set_status(void *impl, long long id, enum sg_finding_status from,
				 enum sg_finding_status to, enum sg_event_kind event, const char *reason,
				 time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_SET_STATUS, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, sg_status_name(from));
	bind_text(st, 3, sg_status_name(to));
	rc = exec_done(s, st, err, "cannot change the finding");
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld changed meanwhile; try again", id);
	return insert_event(s, id, 0, now, event, sg_status_name(from), sg_status_name(to), reason, err);
}

static int sq_release_create(void *impl, long long product_id, const char *version, const char *commit,
			     const char *build_digest, time_t now, long long *id, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_RELEASE_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	bind_text(st, 2, version);
	bind_text(st, 3, commit);
	bind_text(st, 4, build_digest);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT && sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		return sg_error_set(err, SG_DIAG_CONFLICT, "release \"%s\" exists already", version);
	if (rc != SQLITE_DONE)
		return fail(s, err, "cannot create the release");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sq_release_find(void *impl, long long product_id, const char *version, struct sg_release *out,
			   struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = stmt(s, ST_RELEASE_FIND, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	bind_text(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->version, sizeof(out->version), "%s", col_text(st, 1));
		snprintf(out->commit, sizeof(out->commit), "%s", col_text(st, 2));
		snprintf(out->build_digest, sizeof(out->build_digest), "%s", col_text(st, 3));
		out->created_at = (time_t)sqlite3_column_int64(st, 4);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fail(s, err, "cannot look up the release");
	return sg_error_set(err, SG_DIAG_NOT_FOUND, "no release \"%s\"", version);
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
};
