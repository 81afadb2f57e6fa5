/* Picks a backend by the URL's scheme and forwards each operation to it. */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/backend.h"
#include "util/alloc.h"

struct sg_store {
	const struct sg_store_ops *ops;
	void *impl;
	char name[512];
};

static const struct sg_store_ops *const backends[] = {
	&sg_store_sqlite_ops,
	&sg_store_pg_ops,
};

/* The backend a URL names and where, in it, the store is. */
static int pick_backend(const char *url, const struct sg_store_ops **ops, const char **location,
			struct sg_error *err)
{
	const char *colon = strchr(url, ':');
	size_t i;

	*ops = NULL;
	*location = url;
	if (colon && colon - url > 1) {
		size_t scheme_len = (size_t)(colon - url);
		/* libpq takes "postgres:" as well as "postgresql:" */
		if (scheme_len == 8 && strncmp(url, "postgres", 8) == 0)
			*ops = &sg_store_pg_ops;
		for (i = 0; !*ops && i < sizeof(backends) / sizeof(backends[0]); i++) {
			if (strlen(backends[i]->scheme) == scheme_len &&
			    strncmp(url, backends[i]->scheme, scheme_len) == 0)
				*ops = backends[i];
		}
		if (!*ops)
			return sg_error_set(err, SG_DIAG_STORE_URL,
					    "unknown store scheme in \"%.*s\": use sqlite:PATH or postgresql://...",
					    (int)scheme_len, url);
		*location = colon + 1;
	} else {
		*ops = &sg_store_sqlite_ops; /* a bare path is a SQLite file */
	}
	if ((*location)[0] == '\0')
		return sg_error_set(err, SG_DIAG_STORE_URL, "store url names no location");
	return 0;
}

static int describe(const struct sg_store_ops *ops, const char *location, char *out, size_t size,
		    struct sg_error *err)
{
	if (ops->describe)
		return ops->describe(location, out, size, err);
	snprintf(out, size, "%s:%s", ops->scheme, location);
	return 0;
}

int sg_store_url_name(const char *url, char *out, size_t size, struct sg_error *err)
{
	const struct sg_store_ops *ops;
	const char *location;
	int rc = pick_backend(url, &ops, &location, err);

	return rc ? rc : describe(ops, location, out, size, err);
}

int sg_store_open(const char *url, int create, struct sg_store **out, struct sg_error *err)
{
	const struct sg_store_ops *ops;
	const char *location;
	struct sg_store *s;
	int rc;

	*out = NULL;
	if ((rc = pick_backend(url, &ops, &location, err)))
		return rc;
	s = sg_calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	s->ops = ops;
	if ((rc = describe(ops, location, s->name, sizeof(s->name), err))) {
		sg_free(s);
		return rc;
	}
	rc = ops->open(location, create, &s->impl, err);
	if (rc) {
		sg_error_where(err, s->name);
		sg_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sg_store_close(struct sg_store *s)
{
	if (!s)
		return;
	s->ops->close(s->impl);
	sg_free(s);
}

const char *sg_store_name(const struct sg_store *s)
{
	return s->name;
}

int sg_store_begin(struct sg_store *s, struct sg_error *err)
{
	return s->ops->begin(s->impl, err);
}

int sg_store_begin_read(struct sg_store *s, struct sg_error *err)
{
	return s->ops->begin_read(s->impl, err);
}

int sg_store_commit(struct sg_store *s, struct sg_error *err)
{
	return s->ops->commit(s->impl, err);
}

void sg_store_rollback(struct sg_store *s)
{
	s->ops->rollback(s->impl);
}

int sg_store_savepoint(struct sg_store *s, struct sg_error *err)
{
	return s->ops->savepoint(s->impl, err);
}

int sg_store_rollback_to_savepoint(struct sg_store *s, struct sg_error *err)
{
	return s->ops->rollback_to_savepoint(s->impl, err);
}

int sg_store_release_savepoint(struct sg_store *s, struct sg_error *err)
{
	return s->ops->release_savepoint(s->impl, err);
}

int sg_store_product_ensure(struct sg_store *s, const char *name, time_t now, long long *id,
			    struct sg_error *err)
{
	return s->ops->product_ensure(s->impl, name, now, id, err);
}

int sg_store_product_find(struct sg_store *s, const char *name, long long *id, struct sg_error *err)
{
	return s->ops->product_find(s->impl, name, id, err);
}

int sg_store_findings_apply_overrides(struct sg_store *s, long long product_id,
				      const struct sg_policy *policy, int *changed, struct sg_error *err)
{
	return s->ops->findings_apply_overrides(s->impl, product_id, policy, changed, err);
}

int sg_store_ingest_begin(struct sg_store *s, long long product_id, time_t now, long long *ingest_id,
			  struct sg_error *err)
{
	return s->ops->ingest_begin(s->impl, product_id, now, ingest_id, err);
}

int sg_store_scan_find_artifact(struct sg_store *s, long long product_id, const char *kind,
				const char *commit, const unsigned char sha256[SG_SHA256_BYTES],
				const char *options, long long before_scan_id, long long *scan_id,
				struct sg_error *err)
{
	return s->ops->scan_find_artifact(s->impl, product_id, kind, commit, sha256, options,
					  before_scan_id, scan_id, err);
}

int sg_store_scan_insert(struct sg_store *s, const struct sg_scan_record *scan, long long *scan_id,
			 struct sg_error *err)
{
	return s->ops->scan_insert(s->impl, scan, scan_id, err);
}

int sg_store_scans_set_artifact(struct sg_store *s, long long first_scan_id,
				const unsigned char sha256[SG_SHA256_BYTES], struct sg_error *err)
{
	return s->ops->scans_set_artifact(s->impl, first_scan_id, sha256, err);
}

int sg_store_scan_set_counts(struct sg_store *s, long long scan_id, const struct sg_scan_counts *c,
			     struct sg_error *err)
{
	return s->ops->scan_set_counts(s->impl, scan_id, c, err);
}

int sg_store_scan_newest(struct sg_store *s, long long product_id, const char *kind,
			 const char *commit, struct sg_gate_scan *out, struct sg_error *err)
{
	return s->ops->scan_newest(s->impl, product_id, kind, commit, out, err);
}

int sg_store_finding_sight(struct sg_store *s, const struct sg_view *view, long long ingest_id,
			   long long scan_id, const unsigned char base[SG_FINGERPRINT_BYTES],
			   const struct sg_sighting *sighting, time_t now,
			   struct sg_sighting_outcome *out, struct sg_error *err)
{
	return s->ops->finding_sight(s->impl, view, ingest_id, scan_id, base, sighting, now, out, err);
}

int sg_store_findings_close_unseen(struct sg_store *s, const struct sg_view *view,
				   long long ingest_id, long long scan_id, time_t now,
				   long long *closed, struct sg_error *err)
{
	return s->ops->findings_close_unseen(s->impl, view, ingest_id, scan_id, now, closed, err);
}

int sg_store_findings_list(struct sg_store *s, const struct sg_finding_filter *filter,
			   sg_finding_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->findings_list(s->impl, filter, cb, ctx, err);
}

int sg_store_findings_open_counts(struct sg_store *s, long long product_id,
				  enum sg_severity min_severity, long long counts[SG_SEV_COUNT],
				  struct sg_error *err)
{
	return s->ops->findings_open_counts(s->impl, product_id, min_severity, counts, err);
}

int sg_store_finding_get(struct sg_store *s, long long id, sg_finding_cb cb, void *ctx,
			 struct sg_error *err)
{
	return s->ops->finding_get(s->impl, id, cb, ctx, err);
}

int sg_store_finding_events(struct sg_store *s, long long id, sg_event_cb cb, void *ctx,
			    struct sg_error *err)
{
	return s->ops->finding_events(s->impl, id, cb, ctx, err);
}

int sg_store_finding_set_status(struct sg_store *s, long long id, enum sg_finding_status from,
				enum sg_finding_status to, enum sg_event_kind event,
				const char *reason, time_t now, struct sg_error *err)
{
	return s->ops->finding_set_status(s->impl, id, from, to, event, reason, now, err);
}

int sg_store_release_create(struct sg_store *s, long long product_id, const char *version,
			    const char *commit, const char *build_digest, time_t now,
			    long long *id, struct sg_error *err)
{
	return s->ops->release_create(s->impl, product_id, version, commit, build_digest, now, id, err);
}

int sg_store_release_find(struct sg_store *s, long long product_id, const char *version,
			  struct sg_release *out, struct sg_error *err)
{
	return s->ops->release_find(s->impl, product_id, version, out, err);
}

int sg_store_findings_count(struct sg_store *s, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT], struct sg_error *err)
{
	return s->ops->findings_count(s->impl, filter, counts, err);
}

int sg_store_principal_add(struct sg_store *s, const char *name, enum sg_role role, time_t now, long long *id, struct sg_error *err)
{
	return s->ops->principal_add(s->impl, name, role, now, id, err);
}

int sg_store_principal_find(struct sg_store *s, const char *name, struct sg_principal *out, struct sg_error *err)
{
	return s->ops->principal_find(s->impl, name, out, err);
}

int sg_store_principals_list(struct sg_store *s, sg_principal_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->principals_list(s->impl, cb, ctx, err);
}

int sg_store_key_add(struct sg_store *s, long long principal_id, const char *key_id, const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id, struct sg_error *err)
{
	return s->ops->key_add(s->impl, principal_id, key_id, key, now, id, err);
}

int sg_store_key_find(struct sg_store *s, const char *key_id, long long *principal_id, unsigned char key[SG_PUBLIC_KEY_BYTES], struct sg_error *err)
{
	return s->ops->key_find(s->impl, key_id, principal_id, key, err);
}

int sg_store_exception_insert(struct sg_store *s, const struct sg_exception_request *req, long long *id, struct sg_error *err)
{
	return s->ops->exception_insert(s->impl, req, id, err);
}

int sg_store_exceptions_list(struct sg_store *s, const struct sg_exception_filter *filter, sg_exception_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->exceptions_list(s->impl, filter, cb, ctx, err);
}

int sg_store_exception_approve(struct sg_store *s, long long id, long long approver_id, const char *key_id, const unsigned char sig[SG_SIGNATURE_BYTES], time_t now, struct sg_error *err)
{
	return s->ops->exception_approve(s->impl, id, approver_id, key_id, sig, now, err);
}

int sg_store_exception_revoke(struct sg_store *s, long long id, long long by_id, const char *reason, time_t now, struct sg_error *err)
{
	return s->ops->exception_revoke(s->impl, id, by_id, reason, now, err);
}

int sg_store_audit_head(struct sg_store *s, long long *seq, unsigned char hash[SG_DIGEST_BYTES], struct sg_error *err)
{
	return s->ops->audit_head(s->impl, seq, hash, err);
}

int sg_store_audit_append(struct sg_store *s, const struct sg_audit_event *e, struct sg_error *err)
{
	return s->ops->audit_append(s->impl, e, err);
}

int sg_store_audit_list(struct sg_store *s, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->audit_list(s->impl, since, cb, ctx, err);
}

int sg_store_audit_latest(struct sg_store *s, enum sg_object_kind kind, sg_digest_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->audit_latest(s->impl, kind, cb, ctx, err);
}

int sg_store_object_digests(struct sg_store *s, enum sg_object_kind kind, long long object_id, sg_digest_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->object_digests(s->impl, kind, object_id, cb, ctx, err);
}

int sg_store_component_insert(struct sg_store *s, const struct sg_component_record *c, long long *id,
			      struct sg_error *err)
{
	return s->ops->component_insert(s->impl, c, id, err);
}

int sg_store_components_list(struct sg_store *s, long long scan_id, sg_component_cb cb, void *ctx,
			     struct sg_error *err)
{
	return s->ops->components_list(s->impl, scan_id, cb, ctx, err);
}

int sg_store_vex_insert(struct sg_store *s, const struct sg_vex_record *v, struct sg_error *err)
{
	return s->ops->vex_insert(s->impl, v, err);
}

int sg_store_vex_list(struct sg_store *s, long long scan_id, sg_vex_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->vex_list(s->impl, scan_id, cb, ctx, err);
}

int sg_store_sbom_heads(struct sg_store *s, long long product_id, sg_sbom_head_cb cb, void *ctx,
			struct sg_error *err)
{
	return s->ops->sbom_heads(s->impl, product_id, cb, ctx, err);
}

int sg_store_vuln_upsert(struct sg_store *s, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
			 struct sg_error *err)
{
	return s->ops->vuln_upsert(s->impl, r, outcome, err);
}

int sg_store_vuln_candidates(struct sg_store *s, const char *eco_base, const char *name,
			     sg_vuln_candidate_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->vuln_candidates(s->impl, eco_base, name, cb, ctx, err);
}

int sg_store_vulndb_counts(struct sg_store *s, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->vulndb_counts(s->impl, cb, ctx, err);
}

int sg_store_vuln_ids_named(struct sg_store *s, const char *id_or_alias, long long *ids, size_t max,
			    size_t *n, struct sg_error *err)
{
	return s->ops->vuln_ids_named(s->impl, id_or_alias, ids, max, n, err);
}

int sg_store_scan_set_tool(struct sg_store *s, long long scan_id, const char *tool, const char *tool_version,
			   struct sg_error *err)
{
	return s->ops->scan_set_tool(s->impl, scan_id, tool, tool_version, err);
}

int sg_store_component_findings(struct sg_store *s, const struct sg_view *view, const char *component,
				sg_rule_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->component_findings(s->impl, view, component, cb, ctx, err);
}

int sg_store_component_findings_carry(struct sg_store *s, const struct sg_view *view, const char *component,
				      long long ingest_id, long long scan_id, struct sg_error *err)
{
	return s->ops->component_findings_carry(s->impl, view, component, ingest_id, scan_id, err);
}

int sg_store_vulndb_content_check(struct sg_store *s, sg_mismatch_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->vulndb_content_check(s->impl, cb, ctx, err);
}

int sg_store_vuln_known_bytes(struct sg_store *s, const unsigned char sha256[SG_SHA256_BYTES], int *known,
			      struct sg_error *err)
{
	return s->ops->vuln_known_bytes(s->impl, sha256, known, err);
}

int sg_store_token_insert(struct sg_store *s, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
			  const char *prefix, time_t now, time_t expires_at, long long *id, struct sg_error *err)
{
	return s->ops->token_insert(s->impl, principal_id, sha256, prefix, now, expires_at, id, err);
}

int sg_store_token_find(struct sg_store *s, const unsigned char sha256[SG_SHA256_BYTES],
			struct sg_token_record *out, struct sg_error *err)
{
	return s->ops->token_find(s->impl, sha256, out, err);
}

int sg_store_token_revoke(struct sg_store *s, long long id, time_t now, struct sg_error *err)
{
	return s->ops->token_revoke(s->impl, id, now, err);
}

int sg_store_tokens_list(struct sg_store *s, const struct sg_token_filter *filter, sg_token_record_cb cb,
			 void *ctx, struct sg_error *err)
{
	return s->ops->tokens_list(s->impl, filter, cb, ctx, err);
}

int sg_store_grant_add(struct sg_store *s, long long principal_id, const char *product, time_t now,
		       struct sg_error *err)
{
	return s->ops->grant_add(s->impl, principal_id, product, now, err);
}

int sg_store_grant_remove(struct sg_store *s, long long principal_id, const char *product, struct sg_error *err)
{
	return s->ops->grant_remove(s->impl, principal_id, product, err);
}

int sg_store_grants_list(struct sg_store *s, long long principal_id, sg_product_name_cb cb, void *ctx,
			 struct sg_error *err)
{
	return s->ops->grants_list(s->impl, principal_id, cb, ctx, err);
}

int sg_store_grant_check(struct sg_store *s, long long principal_id, const char *product, int *granted,
			 struct sg_error *err)
{
	return s->ops->grant_check(s->impl, principal_id, product, granted, err);
}

int sg_store_product_name(struct sg_store *s, long long id, char name[SG_PRODUCT_NAME_BYTES], struct sg_error *err)
{
	return s->ops->product_name(s->impl, id, name, err);
}

int sg_store_findings_sight_many(struct sg_store *s, const struct sg_view *view, long long ingest_id,
				 long long scan_id, const struct sg_sight_item *items, size_t n, time_t now,
				 struct sg_sighting_outcome *out, struct sg_error *err)
{
	size_t i;
	int rc;

	if (s->ops->findings_sight_many)
		return s->ops->findings_sight_many(s->impl, view, ingest_id, scan_id, items, n, now, out, err);
	for (i = 0; i < n; i++)
		if ((rc = s->ops->finding_sight(s->impl, view, ingest_id, scan_id, items[i].base,
						&items[i].sighting, now, &out[i], err)))
			return rc;
	return 0;
}

int sg_store_job_register(struct sg_store *s, const char *name, long long interval_seconds, time_t now,
			  struct sg_error *err)
{
	return s->ops->job_register(s->impl, name, interval_seconds, now, err);
}

int sg_store_job_claim(struct sg_store *s, const char *name, const char *instance, time_t now,
		       long long *run_id, struct sg_error *err)
{
	return s->ops->job_claim(s->impl, name, instance, now, run_id, err);
}

int sg_store_job_finish(struct sg_store *s, long long run_id, int ok, const char *summary, time_t now,
			struct sg_error *err)
{
	return s->ops->job_finish(s->impl, run_id, ok, summary, now, err);
}

int sg_store_job_trigger(struct sg_store *s, const char *name, struct sg_error *err)
{
	return s->ops->job_trigger(s->impl, name, err);
}

int sg_store_jobs_list(struct sg_store *s, sg_job_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->jobs_list(s->impl, cb, ctx, err);
}

int sg_store_notice_mark(struct sg_store *s, long long finding_id, const char *stage, long long run_id,
			 time_t now, int *is_new, struct sg_error *err)
{
	return s->ops->notice_mark(s->impl, finding_id, stage, run_id, now, is_new, err);
}

int sg_store_table_rows(struct sg_store *s, const char *table, const char *const *columns, size_t n_columns,
			sg_row_cb cb, void *ctx, struct sg_error *err)
{
	return s->ops->table_rows(s->impl, table, columns, n_columns, cb, ctx, err);
}

int sg_store_table_load_begin(struct sg_store *s, const char *table, const char *const *columns,
			      size_t n_columns, struct sg_error *err)
{
	return s->ops->table_load_begin(s->impl, table, columns, n_columns, err);
}

int sg_store_table_load_row(struct sg_store *s, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	return s->ops->table_load_row(s->impl, cells, n, err);
}

int sg_store_table_load_end(struct sg_store *s, struct sg_error *err)
{
	return s->ops->table_load_end(s->impl, err);
}

int sg_store_is_empty(struct sg_store *s, int *empty, struct sg_error *err)
{
	return s->ops->is_empty(s->impl, empty, err);
}
