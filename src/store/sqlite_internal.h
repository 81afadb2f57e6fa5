/*
 * The SQLite backend's insides, shared by its files: sqlite.c (connection,
 * hardening, migrations, transactions, the statements), sqlite_catalog.c
 * (products, ingests, scans, releases) and sqlite_findings.c (findings and
 * their history). Nothing outside store/ includes this.
 */
#ifndef SG_STORE_SQLITE_INTERNAL_H
#define SG_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"

struct sg_table_def;

/* The columns of a finding, in the order read_finding() reads them. */
#define FINDING_COLUMNS                                                              \
	"f.id, f.fingerprint, p.name, f.kind, f.tool, f.category, f.rule, f.severity, " \
	"f.status, f.path, f.line, f.message, f.first_seen_at, f.last_seen_at, "        \
	"f.first_seen_scan, f.last_seen_scan, f.component"

/* A token's row with its user's (sqlite_access.c reads it). */
#define SQ_TOKEN_SELECT                                                                         \
	"SELECT t.id, t.principal_id, p.id IS NOT NULL, p.name, p.role, t.sha256, t.prefix, "      \
	"t.created_at, t.expires_at, t.revoked_at FROM api_token t "                               \
	"LEFT JOIN principal p ON p.id = t.principal_id "

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
	ST_COMPONENT_INSERT,
	ST_VEX_INSERT,
	ST_VULN_FIND,
	ST_VULN_INSERT,
	ST_VULN_UPDATE,
	ST_VULN_PACKAGES_DELETE,
	ST_VULN_PACKAGE_INSERT,
	ST_VULN_CANDIDATES,
	ST_VULN_NAMED,
	ST_VULN_KNOWN_BYTES,
	/* Asked on every API request: kept prepared. */
	ST_TOKEN_FIND,
	ST_GRANT_CHECK,
	ST_AUDIT_HEAD,
	ST_COUNT
};

struct sq {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	int in_tx;
	int expect_existing; /* the last sighting was of a known finding */
	/* A table being loaded (sqlite_copy.c): its prepared INSERT. */
	sqlite3_stmt *load_insert;
	const struct sg_table_def *load_table;
	size_t load_columns;
};

/* A failed call: the error names what failed and why (disk full, locked ...). */
int sq_fail(struct sq *s, struct sg_error *err, const char *what);
/* Prepare a statement used once (the small tables' statements are not kept). */
int sq_prepare(struct sq *s, const char *sql, sqlite3_stmt **st, struct sg_error *err);
/* Step a statement that returns nothing, then finalize it; a unique
 * constraint is SG_ECONFLICT with err left for the caller to set. */
int sq_run_once(struct sq *s, sqlite3_stmt *st, const char *what, struct sg_error *err);
/* The cached statement for id, reset and with its bindings cleared; NULL with err set. */
sqlite3_stmt *sq_stmt(struct sq *s, enum stmt_id id, struct sg_error *err);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
const char *sq_col_text(sqlite3_stmt *st, int i);
/* Run a statement that returns no rows. */
int sq_exec_done(struct sq *s, sqlite3_stmt *st, struct sg_error *err, const char *what);
int sq_exec_sql(struct sq *s, const char *sql, struct sg_error *err, const char *what);

/* sqlite_catalog.c */
int sq_product_find(void *impl, const char *name, long long *id, struct sg_error *err);
int sq_product_ensure(void *impl, const char *name, time_t now, long long *id, struct sg_error *err);
int sq_ingest_begin(void *impl, long long product_id, time_t now, long long *ingest_id, struct sg_error *err);
int sq_scan_find_artifact(void *impl, long long product_id, const char *kind, const char *commit,
			  const unsigned char sha256[SG_SHA256_BYTES], const char *options,
			  long long before_scan_id, long long *scan_id, struct sg_error *err);
int sq_scan_insert(void *impl, const struct sg_scan_record *scan, long long *scan_id, struct sg_error *err);
int sq_scans_set_artifact(void *impl, long long first_scan_id, const unsigned char sha256[SG_SHA256_BYTES],
			  struct sg_error *err);
int sq_scan_set_counts(void *impl, long long scan_id, const struct sg_scan_counts *c, struct sg_error *err);
int sq_scan_newest(void *impl, long long product_id, const char *kind, const char *commit,
		   struct sg_gate_scan *out, struct sg_error *err);
int sq_release_create(void *impl, long long product_id, const char *version, const char *commit,
		      const char *build_digest, time_t now, long long *id, struct sg_error *err);
int sq_release_find(void *impl, long long product_id, const char *version, struct sg_release *out,
		    struct sg_error *err);

/* sqlite_findings.c */
int sq_findings_apply_overrides(void *impl, long long product_id, const struct sg_policy *policy,
				int *changed, struct sg_error *err);
int sq_finding_sight(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
		     const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *in, time_t now,
		     struct sg_sighting_outcome *out, struct sg_error *err);
int sq_findings_close_unseen(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			     time_t now, long long *closed, struct sg_error *err);
int sq_findings_list(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb, void *ctx,
		     struct sg_error *err);
int sq_findings_open_counts(void *impl, long long product_id, enum sg_severity min_severity,
			    long long counts[SG_SEV_COUNT], struct sg_error *err);
int sq_findings_count(void *impl, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT],
		      struct sg_error *err);
int sq_finding_get(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err);
int sq_finding_events(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err);
int sq_finding_set_status(void *impl, long long id, enum sg_finding_status from, enum sg_finding_status to,
			  enum sg_event_kind event, const char *reason, time_t now, struct sg_error *err);

/* sqlite_sca.c */
int sq_component_insert(void *impl, const struct sg_component_record *c, long long *id, struct sg_error *err);
int sq_components_list(void *impl, long long scan_id, sg_component_cb cb, void *ctx, struct sg_error *err);
int sq_vex_insert(void *impl, const struct sg_vex_record *v, struct sg_error *err);
int sq_vex_list(void *impl, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err);
int sq_sbom_heads(void *impl, long long product_id, sg_sbom_head_cb cb, void *ctx, struct sg_error *err);
int sq_vuln_upsert(void *impl, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
		   struct sg_error *err);
int sq_vuln_candidates(void *impl, const char *eco_base, const char *name, sg_vuln_candidate_cb cb, void *ctx,
		       struct sg_error *err);
int sq_vulndb_counts(void *impl, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err);
int sq_scan_set_tool(void *impl, long long scan_id, const char *tool, const char *tool_version,
		     struct sg_error *err);
int sq_component_findings(void *impl, const struct sg_view *view, const char *component, sg_rule_cb cb, void *ctx,
			  struct sg_error *err);
int sq_component_findings_carry(void *impl, const struct sg_view *view, const char *component, long long ingest_id,
				long long scan_id, struct sg_error *err);
int sq_vulndb_content_check(void *impl, sg_mismatch_cb cb, void *ctx, struct sg_error *err);
int sq_vuln_known_bytes(void *impl, const unsigned char sha256[SG_SHA256_BYTES], int *known, struct sg_error *err);
int sq_vuln_ids_named(void *impl, const char *id_or_alias, long long *ids, size_t max, size_t *n,
		      struct sg_error *err);

/* sqlite_people.c */
int sq_principal_add(void *impl, const char *name, enum sg_role role, time_t now, long long *id,
		     struct sg_error *err);
int sq_principal_find(void *impl, const char *name, struct sg_principal *out, struct sg_error *err);
int sq_principals_list(void *impl, sg_principal_cb cb, void *ctx, struct sg_error *err);
int sq_key_add(void *impl, long long principal_id, const char *key_id,
	       const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err);
int sq_key_find(void *impl, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES],
		struct sg_error *err);
int sq_exception_insert(void *impl, const struct sg_exception_request *req, long long *id,
			struct sg_error *err);
int sq_exceptions_list(void *impl, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx,
		       struct sg_error *err);
int sq_exception_approve(void *impl, long long id, long long approver_id, const char *key_id,
			 const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err);
int sq_exception_revoke(void *impl, long long id, long long by_id, const char *reason, time_t now,
			struct sg_error *err);

/* sqlite_access.c */
int sq_token_insert(void *impl, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
		    const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err);
int sq_token_find(void *impl, const unsigned char sha256[SG_SHA256_BYTES], struct sg_token_record *out,
		  struct sg_error *err);
int sq_token_revoke(void *impl, long long id, time_t now, struct sg_error *err);
int sq_tokens_list(void *impl, const struct sg_token_filter *filter, sg_token_record_cb cb, void *ctx,
		   struct sg_error *err);
int sq_grant_add(void *impl, long long principal_id, const char *product, time_t now, struct sg_error *err);
int sq_grant_remove(void *impl, long long principal_id, const char *product, struct sg_error *err);
int sq_grants_list(void *impl, long long principal_id, sg_product_name_cb cb, void *ctx, struct sg_error *err);
int sq_grant_check(void *impl, long long principal_id, const char *product, int *granted, struct sg_error *err);
int sq_product_name(void *impl, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err);

/* sqlite_audit.c */
int sq_audit_head(void *impl, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err);
int sq_audit_append(void *impl, const struct sg_audit_event *e, struct sg_error *err);
int sq_audit_list(void *impl, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err);
int sq_audit_latest(void *impl, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err);
int sq_object_digests(void *impl, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx,
		      struct sg_error *err);
/* Migration 2 on a store with data: record every object as found. */
int sq_ledger_baseline(struct sq *s, struct sg_error *err);

/* sqlite_jobs.c */
int sq_job_register(void *impl, const char *name, long long interval_seconds, time_t now, struct sg_error *err);
int sq_job_claim(void *impl, const char *name, const char *instance, time_t now, long long *run_id,
		 struct sg_error *err);
int sq_job_finish(void *impl, long long run_id, int ok, const char *summary, time_t now, struct sg_error *err);
int sq_job_trigger(void *impl, const char *name, struct sg_error *err);
int sq_jobs_list(void *impl, sg_job_cb cb, void *ctx, struct sg_error *err);
int sq_notice_mark(void *impl, long long finding_id, const char *stage, long long run_id, time_t now,
		   int *is_new, struct sg_error *err);

/* sqlite_copy.c */
int sq_table_rows(void *impl, const char *table, const char *const *columns, size_t n_columns, sg_row_cb cb,
		  void *ctx, struct sg_error *err);
int sq_table_load_begin(void *impl, const char *table, const char *const *columns, size_t n_columns,
			struct sg_error *err);
int sq_table_load_row(void *impl, const struct sg_cell *cells, size_t n, struct sg_error *err);
int sq_table_load_end(void *impl, struct sg_error *err);
int sq_is_empty(void *impl, int *empty, struct sg_error *err);
/* Drop a load that never ended (sq_close, a new load). */
void sq_load_forget(struct sq *s);

#endif
