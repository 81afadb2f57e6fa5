/*
 * The PostgreSQL backend (libpq): connection and reconnection, numbered
 * migrations, transactions, a cache of prepared statements, parameters and
 * results. The operations live in pg_catalog.c, pg_findings.c and the rest,
 * one file per SQLite counterpart.
 *
 * Concurrency: many shipgate processes may share one database. Writers are
 * serialised by a transaction-scoped advisory lock taken at begin (the same
 * single-writer model as SQLite's BEGIN IMMEDIATE), so an ingest's
 * look-up-then-insert and the audit ledger's read-head-then-append stay
 * exactly-once and linear whichever server runs them. Readers take a
 * REPEATABLE READ snapshot and never wait. The lock is per schema, so stores
 * in different schemas of one database do not block each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/pg_schema.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"

/* pg_advisory_xact_lock(SG_PG_LOCK_CLASS, hashtext(current_schema())). */
#define SG_PG_LOCK_CLASS 0x53475445 /* 'SGTE', as SQLite's application_id */
#define SG_PG_LOCK_WRITE "SELECT pg_advisory_xact_lock(1397183557, hashtext(current_schema()))"
#define SG_PG_LOCK_MIGRATE "SELECT pg_advisory_xact_lock(1397183558, hashtext(current_schema()))"
#define PG_FETCH_ROWS 1000

/* ---- parameters ---- */

void pg_params_init(struct pg_params *p)
{
	p->n = 0;
}

static int next_param(struct pg_params *p)
{
	/* A statement with more parameters than PG_MAX_PARAMS is a bug in
	 * this backend, not input: stop before writing past the arrays. */
	if (p->n >= PG_MAX_PARAMS)
		abort();
	return p->n++;
}

void pg_param_text(struct pg_params *p, const char *v)
{
	int i = next_param(p);

	p->values[i] = v;
	p->lengths[i] = 0;
	p->formats[i] = 0;
}

void pg_param_null(struct pg_params *p)
{
	pg_param_text(p, NULL);
}

void pg_param_int(struct pg_params *p, long long v)
{
	int i = next_param(p);

	snprintf(p->scratch[i], sizeof(p->scratch[i]), "%lld", v);
	p->values[i] = p->scratch[i];
	p->lengths[i] = 0;
	p->formats[i] = 0;
}

void pg_param_bytes(struct pg_params *p, const void *v, size_t len)
{
	int i = next_param(p);

	p->values[i] = v;
	p->lengths[i] = (int)len;
	p->formats[i] = 1;
}

/* ---- results ---- */

int pg_is_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

long long pg_get_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *pg_get_text(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return PQgetvalue(r, row, col);
}

/* bytea_output is set to hex at connect: "\x" then two digits a byte. */
static int decode_bytea(const char *text, size_t text_len, unsigned char *out, size_t len)
{
	size_t i;

	if (text_len != 2 + 2 * len || text[0] != '\\' || text[1] != 'x')
		return -1;
	for (i = 0; i < len; i++) {
		int hi = sg_hex_value(text[2 + 2 * i]), lo = sg_hex_value(text[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int pg_get_bytes(const PGresult *r, int row, int col, unsigned char *out, size_t len)
{
	if (PQgetisnull(r, row, col))
		return -1;
	return decode_bytea(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), out, len);
}

unsigned char *pg_get_bytes_alloc(const PGresult *r, int row, int col, size_t *len)
{
	size_t text_len;
	unsigned char *out;

	*len = 0;
	if (PQgetisnull(r, row, col))
		return NULL;
	text_len = (size_t)PQgetlength(r, row, col);
	if (text_len < 2 || text_len % 2)
		return NULL;
	out = sg_malloc(text_len / 2); /* at least 1 byte: never a 0-byte allocation */
	if (!out)
		return NULL;
	if (decode_bytea(PQgetvalue(r, row, col), text_len, out, text_len / 2 - 1) != 0) {
		sg_free(out);
		return NULL;
	}
	*len = text_len / 2 - 1;
	return out;
}

/* ---- COPY's text format ---- */

/* A backslash, a tab, a newline or a carriage return would end a value or
 * mean something else. */
void pg_copy_text(struct sg_buf *b, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\':
			sg_buf_adds(b, "\\\\");
			break;
		case '\t':
			sg_buf_adds(b, "\\t");
			break;
		case '\n':
			sg_buf_adds(b, "\\n");
			break;
		case '\r':
			sg_buf_adds(b, "\\r");
			break;
		default:
			sg_buf_addc(b, p[i]);
		}
	}
}

/* bytea's hex input, its backslash escaped for COPY: \\x0a1b... */
void pg_copy_bytea(struct sg_buf *b, const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	sg_buf_adds(b, "\\\\x");
	for (i = 0; i < len; i++) {
		sg_buf_addc(b, digits[p[i] >> 4]);
		sg_buf_addc(b, digits[p[i] & 15]);
	}
}

/* ---- errors ---- */

static int connection_lost(struct pg *s, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(s->conn) != CONNECTION_OK)
		return 1;
	/* Class 08 (connection exception) and the server going down under us. */
	return state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
			 strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

/* The server's own words, first line only (libpq's messages end in newlines). */
static void first_line(const char *msg, char *out, size_t size)
{
	size_t n = strcspn(msg ? msg : "", "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, msg ? msg : "", n);
	out[n] = '\0';
}

static int pg_fail(struct pg *s, const PGresult *res, const char *what, struct sg_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[256];

	first_line(primary ? primary : PQerrorMessage(s->conn), msg, sizeof(msg));
	if (connection_lost(s, res)) {
		/* A notice that came with the loss says why better than libpq. */
		const char *why = s->notice[0] ? s->notice : msg;
		int committing = s->committing;
		s->in_tx = 0; /* the server has rolled it back, unless it was committing */
		s->in_savepoint = 0;
		if (committing)
			return sg_error_set(err, SG_DIAG_STORE_UNAVAILABLE,
					    "%s: the database connection was lost while committing (%s); the change "
					    "may or may not have been kept: look before running it again",
					    what, why);
		return sg_error_set(err, SG_DIAG_STORE_UNAVAILABLE,
				    "%s: the database connection was lost (%s); nothing of this change was kept",
				    what, why);
	}
	if (state && strcmp(state, "23505") == 0)
		return sg_error_set(err, SG_DIAG_CONFLICT, "%s: %s", what, msg);
	if (state && strcmp(state, "53100") == 0)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: the database's disk is full", what);
	if (state && strcmp(state, "53200") == 0)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "%s: the database is out of memory", what);
	if (state && strcmp(state, "55P03") == 0)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: the store is locked by another writer", what);
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: %s; try again", what, msg);
	return sg_error_set(err, SG_DIAG_STORE_FAILED, "%s: %s", what, msg);
}

/* ---- connection ---- */

/*
 * libpq's default prints notices on stderr, which is the CLI's diagnostics
 * and the server's JSON request log: nothing but shipgate may write there.
 * The last one's first line is kept: when the server goes away it says why
 * ("terminating connection due to administrator command").
 */
static void keep_notice(void *arg, const char *message)
{
	struct pg *s = arg;

	first_line(message, s->notice, sizeof(s->notice));
}

static void forget_prepared(struct pg *s)
{
	int i;

	for (i = 0; i < s->n_stmt; i++)
		s->stmt[i].prepared = 0;
}

static int configure(struct pg *s, struct sg_error *err)
{
	/* Text results with hex bytea; UTC; a writer waits for another at most
	 * 10 minutes (an ingest of millions of results takes a minute); no
	 * statement waits forever on a row lock; no JIT, whose compiling took
	 * longer than the gate's queries it was for (bench/pg.sh). */
	return pg_exec_sql(s,
			   "SET bytea_output = 'hex'; SET client_encoding = 'UTF8'; SET TimeZone = 'UTC';"
			   "SET client_min_messages = 'warning'; SET lock_timeout = '600s'; SET jit = off;"
			   "SET idle_in_transaction_session_timeout = '0'",
			   "cannot configure the database session", err);
}

static int reconnect(struct pg *s, struct sg_error *err)
{
	s->notice[0] = '\0';
	PQreset(s->conn);
	forget_prepared(s);
	s->in_tx = 0;
	s->in_savepoint = 0;
	if (PQstatus(s->conn) != CONNECTION_OK) {
		char msg[256];
		first_line(PQerrorMessage(s->conn), msg, sizeof(msg));
		return sg_error_set(err, SG_DIAG_STORE_UNAVAILABLE, "cannot reach the database: %s", msg);
	}
	return configure(s, err);
}

static int start_transaction(struct pg *s, const char *begin_sql, const char *lock_sql, struct sg_error *err);

/* ---- statements ---- */

static unsigned long sql_hash(const char *sql)
{
	unsigned long h = 5381;

	while (*sql)
		h = h * 33 + (unsigned char)*sql++;
	return h;
}

/*
 * The cache slot for sql, prepared on this connection; -1 to run it
 * unprepared (the cache is full); -2 with *refused set when the server
 * refused it: that is the statement's error (run again inside a transaction,
 * it would only say that the transaction is aborted).
 */
static int cached_statement(struct pg *s, const char *sql, PGresult **refused)
{
	unsigned long h = sql_hash(sql);
	char name[16];
	PGresult *res;
	int i;

	for (i = 0; i < s->n_stmt; i++)
		if (s->stmt[i].hash == h && strcmp(s->stmt[i].sql, sql) == 0)
			break;
	if (i == s->n_stmt) {
		if (s->n_stmt == PG_STMT_CACHE)
			return -1;
		s->stmt[i].sql = sg_strdup(sql);
		if (!s->stmt[i].sql)
			return -1;
		s->stmt[i].hash = h;
		s->stmt[i].prepared = 0;
		s->n_stmt++;
	}
	if (s->stmt[i].prepared)
		return i;
	snprintf(name, sizeof(name), "sg%d", i);
	res = PQprepare(s->conn, name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*refused = res;
		return -2;
	}
	PQclear(res);
	s->stmt[i].prepared = 1;
	return i;
}

static PGresult *run(struct pg *s, const char *sql, const struct pg_params *p, int prepare)
{
	int n = p ? p->n : 0;
	PGresult *refused = NULL;
	int slot = prepare ? cached_statement(s, sql, &refused) : -1;

	if (slot == -2)
		return refused; /* pg_query() reports it, or reconnects if the connection was lost */
	if (slot >= 0) {
		char name[16];
		snprintf(name, sizeof(name), "sg%d", slot);
		return PQexecPrepared(s->conn, name, n, p ? p->values : NULL, p ? p->lengths : NULL,
				      p ? p->formats : NULL, 0);
	}
	return PQexecParams(s->conn, sql, n, NULL, p ? p->values : NULL, p ? p->lengths : NULL,
			    p ? p->formats : NULL, 0);
}

static int ok_status(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/*
 * A statement sent with pg_send() runs on the server while we go on (parsing
 * the next batch of an ingest). Its result is read before anything else is
 * sent: a failure then is the next call's error, inside the same
 * transaction, so nothing of it is kept either.
 */
static int settle_pending(struct pg *s, struct sg_error *err)
{
	PGresult *res, *failed = NULL;
	int rc = 0;

	if (!s->pending)
		return 0;
	s->pending = 0;
	while ((res = PQgetResult(s->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN) {
			/* A COPY whose data never went: end it as failed, or
			 * libpq keeps answering COPY_IN. */
			PQclear(res);
			if (PQputCopyEnd(s->conn, "shipgate could not send the rows") != 1)
				break;
			continue;
		}
		if (st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
			if (!failed)
				failed = res;
			else
				PQclear(res);
			break;
		}
		if (!ok_status(res) && !failed)
			failed = res;
		else
			PQclear(res);
	}
	if (failed || PQstatus(s->conn) != CONNECTION_OK) {
		rc = pg_fail(s, failed, s->pending_what, err);
		PQclear(failed);
	}
	return rc;
}

/* Settle a sent statement whose outcome no longer matters (we roll back). */
static void drop_pending(struct pg *s)
{
	struct sg_error ignored;

	sg_error_clear(&ignored);
	settle_pending(s, &ignored);
}

int pg_send(struct pg *s, const char *sql, const struct pg_params *p, const char *what, struct sg_error *err)
{
	int rc;

	if (!s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "%s: a statement sent ahead needs a transaction", what);
	if ((rc = settle_pending(s, err)))
		return rc;
	if (!PQsendQueryParams(s->conn, sql, p ? p->n : 0, NULL, p ? p->values : NULL, p ? p->lengths : NULL,
			       p ? p->formats : NULL, 0))
		return pg_fail(s, NULL, what, err);
	s->pending = 1;
	s->pending_what = what;
	return 0;
}

int pg_copy_send(struct pg *s, const char *copy_sql, const char *data, size_t len, const char *what,
		 struct sg_error *err)
{
	PGresult *res;
	int rc;

	if (!s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "%s: a statement sent ahead needs a transaction", what);
	if ((rc = settle_pending(s, err)))
		return rc;
	res = PQexec(s->conn, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = pg_fail(s, res, what, err);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	/* The COPY's own result comes once the server has the rows: it is
	 * read like a sent statement's, by the next call. */
	if (PQputCopyData(s->conn, data, (int)len) != 1 || PQputCopyEnd(s->conn, NULL) != 1) {
		s->pending = 1;
		s->pending_what = what;
		return settle_pending(s, err) ? err->code : pg_fail(s, NULL, what, err);
	}
	s->pending = 1;
	s->pending_what = what;
	return 0;
}

static PGresult *query(struct pg *s, const char *sql, const struct pg_params *p, int prepare, const char *what,
		       struct sg_error *err)
{
	int outside_tx = !s->in_tx;
	PGresult *res;

	if (s->pending && settle_pending(s, err))
		return NULL;
	res = run(s, sql, p, prepare);

	if (ok_status(res))
		return res;
	/* A statement outside a transaction changes nothing if it fails, so
	 * once the connection is back it can simply run again. */
	if (outside_tx && connection_lost(s, res)) {
		PQclear(res);
		if (reconnect(s, err) != 0)
			return NULL;
		res = run(s, sql, p, prepare);
		if (ok_status(res))
			return res;
	}
	pg_fail(s, res, what, err);
	PQclear(res);
	return NULL;
}

PGresult *pg_query(struct pg *s, const char *sql, const struct pg_params *p, const char *what,
		   struct sg_error *err)
{
	return query(s, sql, p, 1, what, err);
}

PGresult *pg_query_planned(struct pg *s, const char *sql, const struct pg_params *p, const char *what,
			   struct sg_error *err)
{
	return query(s, sql, p, 0, what, err);
}

int pg_exec_count(struct pg *s, const char *sql, const struct pg_params *p, const char *what, long long *changed,
		  struct sg_error *err)
{
	PGresult *res = pg_query(s, sql, p, what, err);

	if (!res)
		return err->code;
	if (changed)
		*changed = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}

int pg_exec(struct pg *s, const char *sql, const struct pg_params *p, const char *what, struct sg_error *err)
{
	return pg_exec_count(s, sql, p, what, NULL, err);
}

int pg_exec_sql(struct pg *s, const char *sql, const char *what, struct sg_error *err)
{
	PGresult *res;
	int rc;

	if ((rc = settle_pending(s, err)))
		return rc;
	res = PQexec(s->conn, sql);

	if (!ok_status(res))
		rc = pg_fail(s, res, what, err);
	PQclear(res);
	return rc;
}

int pg_query_id(struct pg *s, const char *sql, const struct pg_params *p, long long *id, const char *what,
		struct sg_error *err)
{
	PGresult *res = pg_query(s, sql, p, what, err);
	int rc = SG_ENOTFOUND;

	if (!res)
		return err->code;
	if (PQntuples(res) > 0) {
		*id = pg_get_int(res, 0, 0);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int pg_each(struct pg *s, const char *sql, const struct pg_params *p, const char *what, pg_row_cb cb, void *ctx,
	    struct sg_error *err)
{
	char cursor[16], declare[64], fetch[64], close_sql[32];
	char *text;
	size_t len;
	int own_tx = !s->in_tx, rc = 0, done = 0;
	PGresult *res;

	if ((rc = settle_pending(s, err)))
		return rc;
	/* Outside a transaction the cursor needs one of its own, and a dead
	 * connection is replaced first, as for any transaction. */
	if (own_tx && (rc = start_transaction(s, "BEGIN ISOLATION LEVEL REPEATABLE READ", NULL, err)))
		return rc;
	snprintf(cursor, sizeof(cursor), "sgc%d", s->cursor_depth);
	snprintf(declare, sizeof(declare), "DECLARE %s NO SCROLL CURSOR FOR ", cursor);
	snprintf(fetch, sizeof(fetch), "FETCH FORWARD %d FROM %s", PG_FETCH_ROWS, cursor);
	snprintf(close_sql, sizeof(close_sql), "CLOSE %s", cursor);
	len = strlen(declare) + strlen(sql) + 1;
	text = sg_malloc(len);
	if (!text) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	snprintf(text, len, "%s%s", declare, sql);
	/* Unprepared: a DECLARE cannot be a named prepared statement. */
	res = PQexecParams(s->conn, text, p ? p->n : 0, NULL, p ? p->values : NULL, p ? p->lengths : NULL,
			   p ? p->formats : NULL, 0);
	sg_free(text);
	if (!ok_status(res)) {
		rc = pg_fail(s, res, what, err);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	s->cursor_depth++;
	while (!done && rc == 0) {
		int i, n;
		res = PQexec(s->conn, fetch);
		if (!ok_status(res)) {
			rc = pg_fail(s, res, what, err);
			PQclear(res);
			break;
		}
		n = PQntuples(res);
		done = n < PG_FETCH_ROWS;
		for (i = 0; i < n && rc == 0; i++)
			rc = cb(ctx, res, i, err);
		PQclear(res);
	}
	s->cursor_depth--;
	if (s->in_tx) {
		struct sg_error ignored;
		sg_error_clear(&ignored);
		if (rc == 0)
			rc = pg_exec_sql(s, close_sql, what, err);
		else
			pg_exec_sql(s, close_sql, what, &ignored);
	}
out:
	if (own_tx && s->in_tx) {
		struct sg_error ignored;
		sg_error_clear(&ignored);
		if (rc == 0)
			rc = pg_exec_sql(s, "COMMIT", what, err);
		else
			pg_exec_sql(s, "ROLLBACK", what, &ignored);
		s->in_tx = 0;
	}
	return rc;
}

/* ---- migrations ---- */

static int schema_version(struct pg *s, int *version, int *foreign, struct sg_error *err)
{
	PGresult *res = pg_query(s,
				 "SELECT current_schema() IS NOT NULL, "
				 "to_regclass(quote_ident(current_schema()) || '.shipgate_schema') IS NOT NULL, "
				 "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
				 " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p'))",
				 NULL, "cannot read the store's schema", err);
	int has_schema, has_table;
	long long tables;

	*version = 0;
	*foreign = 0;
	if (!res)
		return err->code;
	has_schema = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	has_table = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	tables = pg_get_int(res, 0, 2);
	PQclear(res);
	if (!has_schema)
		return sg_error_set(err, SG_DIAG_STORE_OPEN,
				    "the database has no schema to hold the store: create one, or set search_path");
	if (!has_table) {
		*foreign = tables > 0;
		return 0;
	}
	res = pg_query(s, "SELECT version, application FROM shipgate_schema", NULL,
		       "cannot read the store's schema", err);
	if (!res)
		return err->code;
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), "shipgate") != 0)
		*foreign = 1;
	else
		*version = (int)pg_get_int(res, 0, 0);
	PQclear(res);
	return 0;
}

static int migrate(struct pg *s, int create, struct sg_error *err)
{
	int version, foreign, i, rc;
	struct pg_params p;

	if ((rc = schema_version(s, &version, &foreign, err)))
		return rc;
	if (foreign)
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the database schema holds tables but not a shipgate store");
	if (version == 0 && create != SG_STORE_OPEN_CREATE)
		return sg_error_set(err, SG_DIAG_NOT_FOUND,
				    "no store in this database: run `shipgate init --db URL` first");
	if (version > sg_pg_migration_count)
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the store has schema version %d, newer than this shipgate (%d): upgrade shipgate",
				    version, sg_pg_migration_count);
	if (version == sg_pg_migration_count)
		return 0;
	if (version > 0 && create == SG_STORE_OPEN_NO_UPGRADE)
		return sg_error_set(err, SG_DIAG_STORE_SCHEMA,
				    "the store has schema version %d, older than this shipgate (%d): any other command "
				    "upgrades it",
				    version, sg_pg_migration_count);
	/* Two servers starting at once: one migrates, the other waits and
	 * then finds nothing left to do. DDL is transactional here, so a failed
	 * migration leaves the schema as it was. */
	if ((rc = pg_exec_sql(s, "BEGIN", "cannot migrate the store", err)))
		return rc;
	s->in_tx = 1;
	if ((rc = pg_exec_sql(s, SG_PG_LOCK_MIGRATE, "cannot migrate the store", err)) ||
	    (rc = schema_version(s, &version, &foreign, err)))
		goto out;
	if (version == 0 && (rc = pg_exec_sql(s,
					       "CREATE TABLE shipgate_schema ("
					       "  application TEXT NOT NULL, version INTEGER NOT NULL);"
					       "INSERT INTO shipgate_schema VALUES ('shipgate', 0)",
					       "cannot migrate the store", err)))
		goto out;
	for (i = version; i < sg_pg_migration_count; i++)
		if ((rc = pg_exec_sql(s, sg_pg_migrations[i], "cannot migrate the store", err)))
			goto out;
	pg_params_init(&p);
	pg_param_int(&p, sg_pg_migration_count);
	if ((rc = pg_exec(s, "UPDATE shipgate_schema SET version = $1::integer", &p, "cannot migrate the store",
			  err)))
		goto out;
	rc = pg_exec_sql(s, "COMMIT", "cannot migrate the store", err);
out:
	if (rc && s->in_tx)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->in_tx = 0;
	return rc;
}

/* ---- open and close ---- */

static void pg_close(void *impl)
{
	struct pg *s = impl;
	int i;

	if (!s)
		return;
	pg_load_forget(s);
	if (s->conn)
		drop_pending(s);
	for (i = 0; i < s->n_stmt; i++)
		sg_free(s->stmt[i].sql);
	if (s->conn)
		PQfinish(s->conn);
	if (s->conninfo) {
		/* The URL may hold a password. */
		volatile char *v = s->conninfo;
		while (*v)
			*v++ = '\0';
		sg_free(s->conninfo);
	}
	sg_free(s);
}

/* "postgresql:" and the rest, as libpq wants it; NULL when out of memory. */
static char *full_url(const char *location)
{
	size_t len = strlen(location) + sizeof("postgresql:");
	char *url = sg_malloc(len);

	if (url)
		snprintf(url, len, "postgresql:%s", location);
	return url;
}

/*
 * The store's name for messages and logs, from libpq's own reading of the
 * URL: user, host, port, database and schema (search_path in options), and
 * never a password or a key's passphrase. A URL libpq cannot read is a usage
 * error, told without libpq's words, which may quote the secret.
 */
static int pg_describe(const char *location, char *out, size_t size, struct sg_error *err)
{
	const char *user = "", *host = "", *port = "", *dbname = "", *options = "";
	PQconninfoOption *opts, *o;
	char *url = full_url(location), *errmsg = NULL;

	if (!url)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	opts = PQconninfoParse(url, &errmsg);
	sg_free(url);
	if (!opts) {
		PQfreemem(errmsg);
		return sg_error_set(err, SG_DIAG_STORE_URL,
				    "the PostgreSQL URL cannot be read: see the libpq URL format "
				    "(postgresql://USER@HOST:PORT/DB?PARAM=VALUE, values %%-encoded)");
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val)
			continue;
		if (strcmp(o->keyword, "user") == 0)
			user = o->val;
		else if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			dbname = o->val;
		else if (strcmp(o->keyword, "options") == 0)
			options = o->val;
	}
	snprintf(out, size, "postgresql://%s%s%s%s%s/%s%s%s", user, *user ? "@" : "", host, *port ? ":" : "", port,
		 dbname, *options ? " options=" : "", options);
	PQconninfoFree(opts);
	return 0;
}

static int pg_open(const char *location, int create, void **impl, struct sg_error *err)
{
	/* Our defaults come first, so that the URL's own settings override them. */
	const char *keys[] = {"connect_timeout", "dbname", "fallback_application_name", NULL};
	const char *values[] = {"10", NULL, "shipgate", NULL};
	struct pg *s;
	int rc;

	*impl = NULL;
	s = sg_calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	s->conninfo = full_url(location);
	if (!s->conninfo) {
		sg_free(s);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	values[1] = s->conninfo;
	s->conn = PQconnectdbParams(keys, values, 1);
	if (!s->conn) {
		pg_close(s);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	PQsetNoticeProcessor(s->conn, keep_notice, s); /* PQreset keeps it */
	if (PQstatus(s->conn) != CONNECTION_OK) {
		char msg[256];
		first_line(PQerrorMessage(s->conn), msg, sizeof(msg));
		rc = sg_error_set(err, SG_DIAG_STORE_UNAVAILABLE, "cannot connect to the database: %s", msg);
		pg_close(s);
		return rc;
	}
	rc = configure(s, err);
	if (!rc)
		rc = migrate(s, create, err);
	if (rc) {
		if (err->diag == SG_DIAG_STORE_FAILED)
			err->diag = SG_DIAG_STORE_OPEN;
		pg_close(s);
		return rc;
	}
	*impl = s;
	return 0;
}

/* ---- transactions ---- */

/* Outside a transaction a dead connection is replaced before starting one. */
static int start_transaction(struct pg *s, const char *begin_sql, const char *lock_sql, struct sg_error *err)
{
	int rc, attempt;

	s->notice[0] = '\0'; /* only a notice of this transaction may explain its failure */
	for (attempt = 0; attempt < 2; attempt++) {
		PGresult *res;
		if (PQstatus(s->conn) != CONNECTION_OK && (rc = reconnect(s, err)))
			return rc;
		res = PQexec(s->conn, begin_sql);
		if (ok_status(res)) {
			PQclear(res);
			break;
		}
		if (attempt == 0 && connection_lost(s, res)) {
			PQclear(res);
			if ((rc = reconnect(s, err)))
				return rc;
			continue;
		}
		rc = pg_fail(s, res, "cannot start a transaction", err);
		PQclear(res);
		return rc;
	}
	s->in_tx = 1;
	s->in_savepoint = 0;
	if (lock_sql && (rc = pg_exec_sql(s, lock_sql, "cannot take the store's write lock", err))) {
		if (s->in_tx)
			PQclear(PQexec(s->conn, "ROLLBACK"));
		s->in_tx = 0;
		return rc;
	}
	return 0;
}

static int pg_begin(void *impl, struct sg_error *err)
{
	return start_transaction(impl, "BEGIN ISOLATION LEVEL READ COMMITTED", SG_PG_LOCK_WRITE, err);
}

static int pg_begin_read(void *impl, struct sg_error *err)
{
	return start_transaction(impl, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL, err);
}

static int pg_commit(void *impl, struct sg_error *err)
{
	struct pg *s = impl;
	int rc = settle_pending(s, err);
	PGresult *res;

	if (rc) {
		/* A statement sent ahead failed: the transaction is lost. */
		if (PQstatus(s->conn) == CONNECTION_OK)
			PQclear(PQexec(s->conn, "ROLLBACK"));
		s->in_tx = 0;
		s->in_savepoint = 0;
		return rc;
	}
	s->committing = 1;
	res = PQexec(s->conn, "COMMIT");
	if (!ok_status(res))
		rc = pg_fail(s, res, "cannot commit", err);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		/* The server answers COMMIT of a failed transaction with a
		 * ROLLBACK: nothing was kept, whatever the caller thinks. */
		rc = sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot commit: the database rolled the transaction back");
	PQclear(res);
	s->committing = 0;
	s->in_tx = 0;
	s->in_savepoint = 0;
	return rc;
}

static void pg_rollback(void *impl)
{
	struct pg *s = impl;

	drop_pending(s);
	if (!s->in_tx)
		return;
	if (PQstatus(s->conn) == CONNECTION_OK)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	s->in_tx = 0;
	s->in_savepoint = 0;
}

static int pg_savepoint(void *impl, struct sg_error *err)
{
	return pg_exec_sql(impl, "SAVEPOINT sg_mark", "cannot mark the transaction", err);
}

static int pg_rollback_to_savepoint(void *impl, struct sg_error *err)
{
	drop_pending(impl); /* what it did is being undone */
	return pg_exec_sql(impl, "ROLLBACK TO SAVEPOINT sg_mark", "cannot undo part of the transaction", err);
}

static int pg_release_savepoint(void *impl, struct sg_error *err)
{
	return pg_exec_sql(impl, "RELEASE SAVEPOINT sg_mark", "cannot keep part of the transaction", err);
}

const struct sg_store_ops sg_store_pg_ops = {
	.version = SG_STORE_BACKEND_VERSION,
	.scheme = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.rollback_to_savepoint = pg_rollback_to_savepoint,
	.release_savepoint = pg_release_savepoint,
	.product_ensure = pg_product_ensure,
	.product_find = pg_product_find,
	.findings_apply_overrides = pg_findings_apply_overrides,
	.ingest_begin = pg_ingest_begin,
	.scan_find_artifact = pg_scan_find_artifact,
	.scan_insert = pg_scan_insert,
	.scans_set_artifact = pg_scans_set_artifact,
	.scan_set_counts = pg_scan_set_counts,
	.scan_newest = pg_scan_newest,
	.finding_sight = pg_finding_sight,
	.findings_sight_many = pg_findings_sight_many,
	.findings_close_unseen = pg_findings_close_unseen,
	.findings_list = pg_findings_list,
	.findings_open_counts = pg_findings_open_counts,
	.finding_get = pg_finding_get,
	.finding_events = pg_finding_events,
	.finding_set_status = pg_finding_set_status,
	.release_create = pg_release_create,
	.release_find = pg_release_find,
	.findings_count = pg_findings_count,
	.principal_add = pg_principal_add,
	.principal_find = pg_principal_find,
	.principals_list = pg_principals_list,
	.key_add = pg_key_add,
	.key_find = pg_key_find,
	.exception_insert = pg_exception_insert,
	.exceptions_list = pg_exceptions_list,
	.exception_approve = pg_exception_approve,
	.exception_revoke = pg_exception_revoke,
	.audit_head = pg_audit_head,
	.audit_append = pg_audit_append,
	.audit_list = pg_audit_list,
	.audit_latest = pg_audit_latest,
	.object_digests = pg_object_digests,
	.component_insert = pg_component_insert,
	.components_list = pg_components_list,
	.vex_insert = pg_vex_insert,
	.vex_list = pg_vex_list,
	.sbom_heads = pg_sbom_heads,
	.vuln_upsert = pg_vuln_upsert,
	.vuln_candidates = pg_vuln_candidates,
	.vulndb_counts = pg_vulndb_counts,
	.vuln_ids_named = pg_vuln_ids_named,
	.vuln_known_bytes = pg_vuln_known_bytes,
	.vulndb_content_check = pg_vulndb_content_check,
	.component_findings = pg_component_findings,
	.component_findings_carry = pg_component_findings_carry,
	.scan_set_tool = pg_scan_set_tool,
	.token_insert = pg_token_insert,
	.token_find = pg_token_find,
	.token_revoke = pg_token_revoke,
	.tokens_list = pg_tokens_list,
	.grant_add = pg_grant_add,
	.grant_remove = pg_grant_remove,
	.grants_list = pg_grants_list,
	.grant_check = pg_grant_check,
	.product_name = pg_product_name,
	.describe = pg_describe,
	.job_register = pg_job_register,
	.job_claim = pg_job_claim,
	.job_finish = pg_job_finish,
	.job_trigger = pg_job_trigger,
	.jobs_list = pg_jobs_list,
	.notice_mark = pg_notice_mark,
	.table_rows = pg_table_rows,
	.table_load_begin = pg_table_load_begin,
	.table_load_row = pg_table_load_row,
	.table_load_end = pg_table_load_end,
	.is_empty = pg_is_empty,
};
