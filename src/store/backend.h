/*
 * What a store backend implements. Only the files in store/ include this; everyone
 * else uses store.h. `version` lets the table grow without breaking a
 * backend built against an older one.
 */
#ifndef SG_STORE_BACKEND_H
#define SG_STORE_BACKEND_H

#include "store/store.h"

#define SG_STORE_BACKEND_VERSION 5

struct sg_store_ops {
	int version;
	const char *scheme; /* "sqlite" */
	int (*open)(const char *location, int create, void **impl, struct sg_error *err);
	void (*close)(void *impl);
	int (*begin)(void *impl, struct sg_error *err);
	int (*begin_read)(void *impl, struct sg_error *err);
	int (*commit)(void *impl, struct sg_error *err);
	void (*rollback)(void *impl);
	int (*savepoint)(void *impl, struct sg_error *err);
	int (*rollback_to_savepoint)(void *impl, struct sg_error *err);
	int (*release_savepoint)(void *impl, struct sg_error *err);
	int (*product_ensure)(void *impl, const char *name, time_t now, long long *id, struct sg_error *err);
	int (*product_find)(void *impl, const char *name, long long *id, struct sg_error *err);
	int (*findings_apply_overrides)(void *impl, long long product_id, const struct sg_policy *policy,
					int *changed, struct sg_error *err);
	int (*ingest_begin)(void *impl, long long product_id, time_t now, long long *ingest_id,
			    struct sg_error *err);
	int (*scan_find_artifact)(void *impl, long long product_id, const char *kind, const char *commit,
				  const unsigned char sha256[SG_SHA256_BYTES], const char *options,
				  long long before_scan_id, long long *scan_id, struct sg_error *err);
	int (*scan_insert)(void *impl, const struct sg_scan_record *scan, long long *scan_id,
			   struct sg_error *err);
	int (*scans_set_artifact)(void *impl, long long first_scan_id,
				  const unsigned char sha256[SG_SHA256_BYTES], struct sg_error *err);
	int (*scan_set_counts)(void *impl, long long scan_id, const struct sg_scan_counts *c,
			       struct sg_error *err);
	int (*scan_newest)(void *impl, long long product_id, const char *kind, const char *commit,
			   struct sg_gate_scan *out, struct sg_error *err);
	int (*finding_sight)(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			     const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *sighting,
			     time_t now,
			     struct sg_sighting_outcome *out, struct sg_error *err);
	int (*findings_close_unseen)(void *impl, const struct sg_view *view, long long ingest_id,
				     long long scan_id, time_t now, long long *closed, struct sg_error *err);
	int (*findings_list)(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb,
			     void *ctx, struct sg_error *err);
	int (*findings_open_counts)(void *impl, long long product_id, enum sg_severity min_severity,
				    long long counts[SG_SEV_COUNT], struct sg_error *err);
	int (*finding_get)(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err);
	int (*finding_events)(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err);
	int (*finding_set_status)(void *impl, long long id, enum sg_finding_status from,
				  enum sg_finding_status to, enum sg_event_kind event, const char *reason,
				  time_t now, struct sg_error *err);
	int (*release_create)(void *impl, long long product_id, const char *version, const char *commit,
			      const char *build_digest, time_t now, long long *id, struct sg_error *err);
	int (*release_find)(void *impl, long long product_id, const char *version, struct sg_release *out,
			    struct sg_error *err);
	/* version 2: people, exceptions, the audit ledger */
	int (*findings_count)(void *impl, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT], struct sg_error *err);
	int (*principal_add)(void *impl, const char *name, enum sg_role role, time_t now, long long *id, struct sg_error *err);
	int (*principal_find)(void *impl, const char *name, struct sg_principal *out, struct sg_error *err);
	int (*principals_list)(void *impl, sg_principal_cb cb, void *ctx, struct sg_error *err);
	int (*key_add)(void *impl, long long principal_id, const char *key_id, const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err);
	int (*key_find)(void *impl, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES], struct sg_error *err);
	int (*exception_insert)(void *impl, const struct sg_exception_request *req, long long *id, struct sg_error *err);
	int (*exceptions_list)(void *impl, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx, struct sg_error *err);
	int (*exception_approve)(void *impl, long long id, long long approver_id, const char *key_id, const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err);
	int (*exception_revoke)(void *impl, long long id, long long by_id, const char *reason, time_t now, struct sg_error *err);
	int (*audit_head)(void *impl, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err);
	int (*audit_append)(void *impl, const struct sg_audit_event *e, struct sg_error *err);
	int (*audit_list)(void *impl, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err);
	int (*audit_latest)(void *impl, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err);
	int (*object_digests)(void *impl, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx, struct sg_error *err);
	/* version 3: dependency analysis */
	int (*component_insert)(void *impl, const struct sg_component_record *c, long long *id, struct sg_error *err);
	int (*components_list)(void *impl, long long scan_id, sg_component_cb cb, void *ctx, struct sg_error *err);
	int (*vex_insert)(void *impl, const struct sg_vex_record *v, struct sg_error *err);
	int (*vex_list)(void *impl, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err);
	int (*sbom_heads)(void *impl, long long product_id, sg_sbom_head_cb cb, void *ctx, struct sg_error *err);
	int (*vuln_upsert)(void *impl, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome, struct sg_error *err);
	int (*vuln_candidates)(void *impl, const char *eco_base, const char *name, sg_vuln_candidate_cb cb, void *ctx, struct sg_error *err);
	int (*vulndb_counts)(void *impl, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err);
	int (*scan_set_tool)(void *impl, long long scan_id, const char *tool, const char *tool_version, struct sg_error *err);
	int (*component_findings)(void *impl, const struct sg_view *view, const char *component, sg_rule_cb cb, void *ctx, struct sg_error *err);
	int (*component_findings_carry)(void *impl, const struct sg_view *view, const char *component, long long ingest_id, long long scan_id, struct sg_error *err);
	int (*vulndb_content_check)(void *impl, sg_mismatch_cb cb, void *ctx, struct sg_error *err);
	int (*vuln_known_bytes)(void *impl, const unsigned char sha256[SG_SHA256_BYTES], int *known, struct sg_error *err);
	int (*vuln_ids_named)(void *impl, const char *id_or_alias, long long *ids, size_t max, size_t *n, struct sg_error *err);
	/* version 4: API tokens and product grants */
	int (*token_insert)(void *impl, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES], const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err);
	int (*token_find)(void *impl, const unsigned char sha256[SG_SHA256_BYTES], struct sg_token_record *out, struct sg_error *err);
	int (*token_revoke)(void *impl, long long id, time_t now, struct sg_error *err);
	int (*tokens_list)(void *impl, const struct sg_token_filter *filter, sg_token_record_cb cb, void *ctx, struct sg_error *err);
	int (*grant_add)(void *impl, long long principal_id, const char *product, time_t now, struct sg_error *err);
	int (*grant_remove)(void *impl, long long principal_id, const char *product, struct sg_error *err);
	int (*grants_list)(void *impl, long long principal_id, sg_product_name_cb cb, void *ctx, struct sg_error *err);
	int (*grant_check)(void *impl, long long principal_id, const char *product, int *granted, struct sg_error *err);
	int (*product_name)(void *impl, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err);
	/* version 5: batched sightings (NULL: store.c loops finding_sight), jobs, copying */
	int (*findings_sight_many)(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
				   const struct sg_sight_item *items, size_t n, time_t now,
				   struct sg_sighting_outcome *out, struct sg_error *err);
	int (*job_register)(void *impl, const char *name, long long interval_seconds, time_t now, struct sg_error *err);
	int (*job_claim)(void *impl, const char *name, const char *instance, time_t now, long long *run_id,
			 struct sg_error *err);
	int (*job_finish)(void *impl, long long run_id, int ok, const char *summary, time_t now, struct sg_error *err);
	int (*job_trigger)(void *impl, const char *name, struct sg_error *err);
	int (*jobs_list)(void *impl, sg_job_cb cb, void *ctx, struct sg_error *err);
	int (*notice_mark)(void *impl, long long finding_id, const char *stage, long long run_id, time_t now,
			   int *is_new, struct sg_error *err);
	int (*table_rows)(void *impl, const char *table, const char *const *columns, size_t n_columns, sg_row_cb cb,
			  void *ctx, struct sg_error *err);
	int (*table_load_begin)(void *impl, const char *table, const char *const *columns, size_t n_columns,
				struct sg_error *err);
	int (*table_load_row)(void *impl, const struct sg_cell *cells, size_t n, struct sg_error *err);
	int (*table_load_end)(void *impl, struct sg_error *err);
	int (*is_empty)(void *impl, int *empty, struct sg_error *err);
	/* The store's name for messages, with no secret in it, or a bad URL
	 * (SG_DIAG_STORE_URL). NULL: "scheme:location". */
	int (*describe)(const char *location, char *out, size_t size, struct sg_error *err);
};

extern const struct sg_store_ops sg_store_sqlite_ops;
extern const struct sg_store_ops sg_store_pg_ops;

#endif
