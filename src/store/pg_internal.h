/*
 * The PostgreSQL backend's insides, shared by its files: pg.c (connection,
 * reconnection, migrations, transactions, statement cache, parameters and
 * results), pg_catalog.c, pg_findings.c, pg_people.c, pg_audit.c, pg_sca.c,
 * pg_access.c and pg_jobs.c mirror the SQLite backend's files operation by
 * operation. Nothing outside store/ includes this.
 *
 * Rules the files follow:
 *  - Every query goes through pg_query()/pg_exec() with $n parameters; no
 *    value is ever spliced into SQL text.
 *  - A failed statement aborts a PostgreSQL transaction (SQLite's does not),
 *    so an expected conflict is never an error: inserts that may meet a
 *    unique key use ON CONFLICT DO NOTHING and look at what came back.
 *  - Results are text; bytea columns are read with pg_get_bytes(). A
 *    boolean comes back as "t" or "f": cast it in SQL (x IS NULL)::integer
 *    to read it with pg_get_int().
 *  - A parameter whose type PostgreSQL cannot infer ($1 IS NULL, $1 = 0 in
 *    a CASE) is cast in the SQL: $1::text, $2::bigint, $3::bytea.
 *  - Integer columns are BIGINT, BLOBs are BYTEA; table and column names
 *    are the SQLite schema's, so `shipgate migrate` copies column by column.
 */
#ifndef SG_STORE_PG_INTERNAL_H
#define SG_STORE_PG_INTERNAL_H

#include <libpq-fe.h>

#include "store/backend.h"

struct sg_buf;
struct pg_load;

/* The most parameters one statement takes (the finding insert takes 19). */
#define PG_MAX_PARAMS 40
/* Statements kept prepared per connection; more run unprepared. */
#define PG_STMT_CACHE 256

struct pg_stmt {
	unsigned long hash;
	char *sql; /* our copy: the cache is keyed by the text, not its address */
	int prepared;
};

struct pg {
	PGconn *conn;
	char *conninfo;
	int in_tx;
	int in_savepoint;
	int expect_existing; /* the last sighting was of a known finding */
	int cursor_depth;    /* pg_each() calls running, for their cursors' names */
	int committing;      /* a lost connection now leaves the outcome in doubt */
	int pending;         /* a pg_send() statement's result is still to be read */
	const char *pending_what;
	char notice[160];    /* the server's last notice, first line */
	struct pg_load *load; /* a table being loaded (pg_copy.c) */
	struct pg_stmt stmt[PG_STMT_CACHE];
	int n_stmt;
};

struct pg_params {
	int n;
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];
	char scratch[PG_MAX_PARAMS][24]; /* integers as text */
};

/* Parameters are appended in order: $1, $2, ... */
void pg_params_init(struct pg_params *p);
void pg_param_text(struct pg_params *p, const char *v); /* NULL: SQL NULL */
void pg_param_int(struct pg_params *p, long long v);
void pg_param_null(struct pg_params *p);
/* A bytea, sent in binary; NULL v: SQL NULL. */
void pg_param_bytes(struct pg_params *p, const void *v, size_t len);

/*
 * Run a statement and return its result (rows or none), or NULL with err
 * set. The statement is prepared on first use and kept. A unique violation
 * returns NULL with *conflict (when not NULL) set to 1 and err set to
 * SG_DIAG_CONFLICT; callers that expect conflicts should use ON CONFLICT
 * instead, since the transaction is aborted after it. A lost connection is
 * SG_DIAG_STORE_UNAVAILABLE; outside a transaction it is retried once on a
 * new connection first.
 */
PGresult *pg_query(struct pg *s, const char *sql, const struct pg_params *p, const char *what,
		   struct sg_error *err);
/*
 * pg_query() planned afresh each time rather than prepared: for a statement
 * run once per batch of a thousand rows, whose best plan changes as an
 * ingest fills an empty table (a plan kept from the first batches would be
 * kept for a million rows).
 */
PGresult *pg_query_planned(struct pg *s, const char *sql, const struct pg_params *p, const char *what,
			   struct sg_error *err);
/*
 * Send a statement inside a transaction without waiting for it: it runs on
 * the server while the caller goes on, and the next call on the connection
 * reads its result first (its failure is then that call's error). Planned
 * afresh, as pg_query_planned. For writes whose result nothing waits for.
 */
int pg_send(struct pg *s, const char *sql, const struct pg_params *p, const char *what, struct sg_error *err);
/* COPY ... FROM STDIN of data (COPY's text format, len < 2 GiB), sent
 * without waiting for it, like pg_send(). */
int pg_copy_send(struct pg *s, const char *copy_sql, const char *data, size_t len, const char *what,
		 struct sg_error *err);
/* COPY's text format: a value escaped, and a bytea's hex input escaped. */
void pg_copy_text(struct sg_buf *b, const char *p, size_t len);
void pg_copy_bytea(struct sg_buf *b, const unsigned char *p, size_t len);
/* pg_query() for a statement whose rows are not wanted; 0 or err->code. */
int pg_exec(struct pg *s, const char *sql, const struct pg_params *p, const char *what, struct sg_error *err);
/* pg_exec() that also gives the number of rows the statement changed. */
int pg_exec_count(struct pg *s, const char *sql, const struct pg_params *p, const char *what, long long *changed,
		  struct sg_error *err);
/* Run SQL text without parameters, unprepared (transaction control, DDL). */
int pg_exec_sql(struct pg *s, const char *sql, const char *what, struct sg_error *err);

/* Reading a result (text format). NULL reads as 0, "" or not present. */
int pg_is_null(const PGresult *r, int row, int col);
long long pg_get_int(const PGresult *r, int row, int col);
const char *pg_get_text(const PGresult *r, int row, int col); /* NULL for SQL NULL */
/* A bytea column of exactly len bytes into out: 0, or -1 (NULL or another length). */
int pg_get_bytes(const PGresult *r, int row, int col, unsigned char *out, size_t len);
/* A bytea column of any length, decoded into a new buffer (sg_free it); NULL
 * for SQL NULL or out of memory (tell them apart with pg_is_null). */
unsigned char *pg_get_bytes_alloc(const PGresult *r, int row, int col, size_t *len);

/* Run a query for one id: 0 with *id set, SG_ENOTFOUND (err untouched) when
 * there is no row, or a store error. */
int pg_query_id(struct pg *s, const char *sql, const struct pg_params *p, long long *id, const char *what,
		struct sg_error *err);

/*
 * Stream a query's rows without holding them all: a cursor fetched 1000 rows
 * at a time (inside the current transaction, or one of its own), so cb may
 * run other queries on the same connection between rows, as SQLite allows.
 * cb returns 0 to go on, anything else to stop (returned as is).
 */
typedef int (*pg_row_cb)(void *ctx, const PGresult *res, int row, struct sg_error *err);
int pg_each(struct pg *s, const char *sql, const struct pg_params *p, const char *what, pg_row_cb cb, void *ctx,
	    struct sg_error *err);

/* pg_catalog.c */
int pg_product_find(void *impl, const char *name, long long *id, struct sg_error *err);
int pg_product_ensure(void *impl, const char *name, time_t now, long long *id, struct sg_error *err);
int pg_ingest_begin(void *impl, long long product_id, time_t now, long long *ingest_id, struct sg_error *err);
int pg_scan_find_artifact(void *impl, long long product_id, const char *kind, const char *commit,
			  const unsigned char sha256[SG_SHA256_BYTES], const char *options,
			  long long before_scan_id, long long *scan_id, struct sg_error *err);
int pg_scan_insert(void *impl, const struct sg_scan_record *scan, long long *scan_id, struct sg_error *err);
int pg_scans_set_artifact(void *impl, long long first_scan_id, const unsigned char sha256[SG_SHA256_BYTES],
			  struct sg_error *err);
int pg_scan_set_counts(void *impl, long long scan_id, const struct sg_scan_counts *c, struct sg_error *err);
int pg_scan_newest(void *impl, long long product_id, const char *kind, const char *commit,
		   struct sg_gate_scan *out, struct sg_error *err);
int pg_release_create(void *impl, long long product_id, const char *version, const char *commit,
		      const char *build_digest, time_t now, long long *id, struct sg_error *err);
int pg_release_find(void *impl, long long product_id, const char *version, struct sg_release *out,
		    struct sg_error *err);

/* pg_findings.c */
int pg_findings_apply_overrides(void *impl, long long product_id, const struct sg_policy *policy,
				int *changed, struct sg_error *err);
int pg_finding_sight(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
		     const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *in, time_t now,
		     struct sg_sighting_outcome *out, struct sg_error *err);
/* pg_sight.c: a batch of them in a few round trips */
int pg_findings_sight_many(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			   const struct sg_sight_item *items, size_t n, time_t now, struct sg_sighting_outcome *out,
			   struct sg_error *err);
int pg_findings_close_unseen(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			     time_t now, long long *closed, struct sg_error *err);
int pg_findings_list(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb, void *ctx,
		     struct sg_error *err);
int pg_findings_open_counts(void *impl, long long product_id, enum sg_severity min_severity,
			    long long counts[SG_SEV_COUNT], struct sg_error *err);
int pg_findings_count(void *impl, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT],
		      struct sg_error *err);
int pg_finding_get(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err);
int pg_finding_events(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err);
int pg_finding_set_status(void *impl, long long id, enum sg_finding_status from, enum sg_finding_status to,
			  enum sg_event_kind event, const char *reason, time_t now, struct sg_error *err);

/* pg_sca.c */
int pg_component_insert(void *impl, const struct sg_component_record *c, long long *id, struct sg_error *err);
int pg_components_list(void *impl, long long scan_id, sg_component_cb cb, void *ctx, struct sg_error *err);
int pg_vex_insert(void *impl, const struct sg_vex_record *v, struct sg_error *err);
int pg_vex_list(void *impl, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err);
int pg_sbom_heads(void *impl, long long product_id, sg_sbom_head_cb cb, void *ctx, struct sg_error *err);
int pg_vuln_upsert(void *impl, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
		   struct sg_error *err);
int pg_vuln_candidates(void *impl, const char *eco_base, const char *name, sg_vuln_candidate_cb cb, void *ctx,
		       struct sg_error *err);
int pg_vulndb_counts(void *impl, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err);
int pg_scan_set_tool(void *impl, long long scan_id, const char *tool, const char *tool_version,
		     struct sg_error *err);
int pg_component_findings(void *impl, const struct sg_view *view, const char *component, sg_rule_cb cb, void *ctx,
			  struct sg_error *err);
int pg_component_findings_carry(void *impl, const struct sg_view *view, const char *component, long long ingest_id,
				long long scan_id, struct sg_error *err);
int pg_vulndb_content_check(void *impl, sg_mismatch_cb cb, void *ctx, struct sg_error *err);
int pg_vuln_known_bytes(void *impl, const unsigned char sha256[SG_SHA256_BYTES], int *known, struct sg_error *err);
int pg_vuln_ids_named(void *impl, const char *id_or_alias, long long *ids, size_t max, size_t *n,
		      struct sg_error *err);

/* pg_people.c */
int pg_principal_add(void *impl, const char *name, enum sg_role role, time_t now, long long *id,
		     struct sg_error *err);
int pg_principal_find(void *impl, const char *name, struct sg_principal *out, struct sg_error *err);
int pg_principals_list(void *impl, sg_principal_cb cb, void *ctx, struct sg_error *err);
int pg_key_add(void *impl, long long principal_id, const char *key_id,
	       const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err);
int pg_key_find(void *impl, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES],
		struct sg_error *err);
int pg_exception_insert(void *impl, const struct sg_exception_request *req, long long *id,
			struct sg_error *err);
int pg_exceptions_list(void *impl, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx,
		       struct sg_error *err);
int pg_exception_approve(void *impl, long long id, long long approver_id, const char *key_id,
			 const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err);
int pg_exception_revoke(void *impl, long long id, long long by_id, const char *reason, time_t now,
			struct sg_error *err);

/* pg_access.c */
int pg_token_insert(void *impl, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
		    const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err);
int pg_token_find(void *impl, const unsigned char sha256[SG_SHA256_BYTES], struct sg_token_record *out,
		  struct sg_error *err);
int pg_token_revoke(void *impl, long long id, time_t now, struct sg_error *err);
int pg_tokens_list(void *impl, const struct sg_token_filter *filter, sg_token_record_cb cb, void *ctx,
		   struct sg_error *err);
int pg_grant_add(void *impl, long long principal_id, const char *product, time_t now, struct sg_error *err);
int pg_grant_remove(void *impl, long long principal_id, const char *product, struct sg_error *err);
int pg_grants_list(void *impl, long long principal_id, sg_product_name_cb cb, void *ctx, struct sg_error *err);
int pg_grant_check(void *impl, long long principal_id, const char *product, int *granted, struct sg_error *err);
int pg_product_name(void *impl, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err);

/* pg_audit.c */
int pg_audit_head(void *impl, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err);
int pg_audit_append(void *impl, const struct sg_audit_event *e, struct sg_error *err);
int pg_audit_list(void *impl, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err);
int pg_audit_latest(void *impl, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err);
int pg_object_digests(void *impl, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx,
		      struct sg_error *err);

/* pg_jobs.c */
int pg_job_register(void *impl, const char *name, long long interval_seconds, time_t now, struct sg_error *err);
int pg_job_claim(void *impl, const char *name, const char *instance, time_t now, long long *run_id,
		 struct sg_error *err);
int pg_job_finish(void *impl, long long run_id, int ok, const char *summary, time_t now, struct sg_error *err);
int pg_job_trigger(void *impl, const char *name, struct sg_error *err);
int pg_jobs_list(void *impl, sg_job_cb cb, void *ctx, struct sg_error *err);
int pg_notice_mark(void *impl, long long finding_id, const char *stage, long long run_id, time_t now,
		   int *is_new, struct sg_error *err);

/* pg_copy.c */
int pg_table_rows(void *impl, const char *table, const char *const *columns, size_t n_columns, sg_row_cb cb,
		  void *ctx, struct sg_error *err);
int pg_table_load_begin(void *impl, const char *table, const char *const *columns, size_t n_columns,
			struct sg_error *err);
int pg_table_load_row(void *impl, const struct sg_cell *cells, size_t n, struct sg_error *err);
int pg_table_load_end(void *impl, struct sg_error *err);
int pg_is_empty(void *impl, int *empty, struct sg_error *err);
/* Drop a load that never ended (pg_close, a new load). */
void pg_load_forget(struct pg *s);

#endif
