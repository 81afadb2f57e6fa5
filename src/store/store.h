/*
 * The store: shipgate's domain operations, behind a table of functions that
 * sg_store_open() picks by the URL's scheme (libgit2's odb backends,
 * OpenSMTPD's queue backends). Callers never see SQL. Every backend passes
 * the conformance suite in tests/store/.
 *
 * Transactions: sg_store_begin() .. sg_store_commit() or sg_store_rollback().
 * One ingest is one transaction; on any error the caller rolls back and
 * nothing it did is kept.
 *
 * A store handle serves one thread at a time; threads that work in parallel
 * open a handle each.
 *
 * Strings handed to callbacks live until the callback returns. A callback
 * returns 0 to go on, anything else to stop (returned by the operation).
 */
#ifndef SG_STORE_STORE_H
#define SG_STORE_STORE_H

#include <time.h>

#include "core/audit.h"
#include "core/exception.h"
#include "core/finding.h"
#include "core/gate.h"
#include "core/principal.h"
#include "core/policy.h"
#include "util/error.h"
#include "util/hash.h"

struct sg_store;

#define SG_PRINCIPAL_NAME_BYTES 201 /* SG_MAX_NAME_BYTES + NUL */

struct sg_scan_record {
	long long product_id;
	long long ingest_id;
	const char *kind;          /* "sast", "dast" */
	const char *tool;
	const char *tool_version;  /* may be NULL */
	const char *category;      /* "" when none */
	const char *commit;        /* may be NULL */
	const char *release;       /* may be NULL */
	const char *environment;   /* may be NULL */
	const char *artifact_name; /* the file as given */
	unsigned char artifact_sha256[SG_SHA256_BYTES];
	const char *options;       /* what else shaped how it was read (category, source root, ...) */
	int results_null;          /* the run's results were null: the tool failed */
	time_t created_at;
};

struct sg_scan_counts {
	long long results;
	long long new_findings;
	long long reopened;
	long long fixed;
};

/* What one sighting did. */
struct sg_sighting_outcome {
	long long finding_id;
	unsigned char fingerprint[SG_FINGERPRINT_BYTES];
	unsigned long long occurrence;
	int is_new;
	int reopened;
};

/* The view a finding belongs to: one full snapshot replaces it. */
struct sg_view {
	long long product_id;
	const char *kind;
	const char *tool;
	const char *category;
};

/* Which findings a filter takes, given a set of waivers. */
enum sg_waiver_mode {
	SG_WAIVERS_IGNORE = 0, /* waived or not */
	SG_WAIVERS_EXCLUDE,    /* only findings no waiver covers */
	SG_WAIVERS_ONLY,       /* only covered findings; sg_finding.waiver_id says by which */
};

struct sg_finding_filter {
	long long product_id;
	int any_status;                  /* 1: every status */
	enum sg_finding_status status;   /* when !any_status */
	enum sg_severity min_severity;   /* at or above */
	int one_severity;                /* 1: exactly min_severity */
	long long first_seen_until;      /* 0: any; else first seen at or before (SLA) */
	int by_first_seen;               /* order by first detection, oldest first */
	/* Waivers: ids of active exceptions whose signatures verified. */
	const long long *waivers;
	size_t n_waivers;
	enum sg_waiver_mode waiver_mode;
	/* And none of these covers it (a lapsed waiver's findings that no
	 * active waiver still covers). */
	const long long *also_not;
	size_t n_also_not;
	long long limit;                 /* 0: no limit */
};

struct sg_release {
	long long id;
	char version[256];
	char commit[72];
	char build_digest[160];
	time_t created_at;
};

/* A principal as the store keeps it. */
struct sg_principal {
	long long id;
	char name[SG_PRINCIPAL_NAME_BYTES];
	enum sg_role role;
	time_t created_at;
	int n_keys;
};

/* A new exception request (core/exception.h has the whole record). */
struct sg_exception_request {
	enum sg_exception_scope scope;
	long long finding_id;
	unsigned char finding_fingerprint[SG_FINGERPRINT_BYTES];
	const char *tool;
	const char *rule;
	const char *component;
	long long product_id; /* 0: every product */
	const char *reason;
	const char *expires_on;
	time_t expires_at;
	long long requester_id;
	time_t requested_at;
};

struct sg_exception_filter {
	long long id;         /* 0: any */
	long long product_id; /* 0: any; else this product's and every-product ones */
	int approved_only;    /* pending, active-or-lapsed approvals only */
};

/* An API token as the store keeps it: the SHA-256 of its text, never the text. */
struct sg_token_record {
	long long id;
	long long principal_id;
	int user_found;                     /* 0: the user's row is gone */
	char user[SG_PRINCIPAL_NAME_BYTES]; /* "" when it is gone */
	enum sg_role role;                  /* the user's */
	unsigned char sha256[SG_SHA256_BYTES];
	char prefix[16];
	time_t created_at;
	time_t expires_at;                  /* 0: never */
	int revoked;
	time_t revoked_at;                  /* when revoked */
};

struct sg_token_filter {
	long long id;           /* 0: any */
	long long principal_id; /* 0: any user's */
};

/* ---- dependency analysis ---- */

/* One SBOM component as stored with its scan. */
struct sg_component_record {
	long long id;
	long long scan_id;
	const char *ref;       /* bom-ref / SPDXID; may be NULL */
	const char *name;
	const char *version;   /* may be NULL */
	const char *purl;      /* as written; may be NULL */
	const char *component; /* canonical purl without version or qualifiers; may be NULL */
	const char *ecosystem; /* OSV ecosystem; NULL when it has none */
	const char *package;   /* OSV package name */
	const char *type;
	const char *scope;
	const char *licenses;  /* normalised expressions, one per line; may be NULL */
	int depth;
	const char *unmatched; /* why it cannot be matched; NULL when it can */
};

struct sg_vex_record {
	long long scan_id;
	const char *vuln;
	const char *state;
	const char *justification; /* may be NULL */
	const char *detail;        /* may be NULL */
	const char *ref;
};

/* An OSV record as the store keeps it. */
struct sg_vuln_package {
	const char *ecosystem;
	const char *eco_base;
	const char *name;
	const char *affected;  /* compact JSON of the affected entry */
};

struct sg_vuln_record {
	long long id;
	const char *osv_id;
	const char *modified;
	time_t modified_at;
	int withdrawn;
	const char *aliases;   /* one per line; "" when none */
	const char *summary;   /* may be NULL */
	int severity;          /* enum sg_severity, or -1 when the record gives none */
	int score;             /* tenths, or -1 */
	const char *severity_source;
	unsigned char record_sha256[SG_SHA256_BYTES];
	time_t imported_at;
	const struct sg_vuln_package *packages;
	size_t n_packages;
};

enum sg_vuln_upsert {
	SG_VULN_ADDED = 0,
	SG_VULN_UPDATED,
	SG_VULN_UNCHANGED, /* what the store has is as new or newer (by modified) */
};

/* A record matched for one package: the record and that package's entry. */
struct sg_vuln_candidate {
	long long vuln_id;
	const char *osv_id;
	const char *aliases;
	const char *summary;
	int severity;
	int score;
	const char *severity_source;
	int withdrawn;
	const char *ecosystem;
	const char *affected;
};

struct sg_vulndb_count {
	const char *eco_base;
	long long records;   /* records with a package of the ecosystem */
	long long withdrawn;
	const char *newest_modified;
};

/* The newest SBOM scan of a product. */
struct sg_sbom_head {
	long long product_id;
	const char *product;
	long long scan_id;
	const char *commit;  /* may be NULL */
	const char *release; /* may be NULL */
	const char *artifact_name;
};

typedef int (*sg_component_cb)(void *ctx, const struct sg_component_record *c);
/* A finding's rule and status, for sg_store_component_findings. */
typedef int (*sg_rule_cb)(void *ctx, const char *rule, enum sg_finding_status status);
typedef int (*sg_vex_cb)(void *ctx, const struct sg_vex_record *v);
typedef int (*sg_vuln_candidate_cb)(void *ctx, const struct sg_vuln_candidate *c);
typedef int (*sg_vulndb_count_cb)(void *ctx, const struct sg_vulndb_count *c);
typedef int (*sg_sbom_head_cb)(void *ctx, const struct sg_sbom_head *h);
/* A record with a package row that differs from its digest (osv_id NULL:
 * a row that belongs to no record). */
typedef int (*sg_mismatch_cb)(void *ctx, const char *osv_id);

typedef int (*sg_token_record_cb)(void *ctx, const struct sg_token_record *t);
/* A product granted to a user, by name. */
typedef int (*sg_product_name_cb)(void *ctx, const char *product);

typedef int (*sg_finding_cb)(void *ctx, const struct sg_finding *finding);
typedef int (*sg_event_cb)(void *ctx, const struct sg_finding_event *event);
typedef int (*sg_principal_cb)(void *ctx, const struct sg_principal *p);
typedef int (*sg_exception_cb)(void *ctx, const struct sg_exception *e);
typedef int (*sg_audit_cb)(void *ctx, const struct sg_audit_event *e);
/* An object's current state digest (sg_store_object_digests) or its latest
 * one in the ledger (sg_store_audit_latest: seq of that event, has_state). */
typedef int (*sg_digest_cb)(void *ctx, long long object_id, long long seq, int has_state,
			    const unsigned char digest[SG_DIGEST_BYTES]);

/* Open the store at url: "sqlite:PATH", or a bare path. With create, make it
 * (and its directory) if missing; without, a missing store is SG_ENOTFOUND
 * (so a mistyped --db never starts an empty store). Applies pending migrations. */
#define SG_STORE_OPEN_EXISTING 0
#define SG_STORE_OPEN_CREATE 1
/* An existing store, as it is: an older schema is an error (SG_DIAG_STORE_SCHEMA)
 * rather than upgraded. `audit verify` opens so, because upgrading a store
 * from before the ledger records its objects as found. */
#define SG_STORE_OPEN_NO_UPGRADE 2
int sg_store_open(const char *url, int create, struct sg_store **out, struct sg_error *err) SG_MUST_USE;
void sg_store_close(struct sg_store *store);
/* The URL without credentials, for messages. */
const char *sg_store_name(const struct sg_store *store);
/* The name a store URL would have, without opening it; a bad URL is
 * SG_DIAG_STORE_URL. */
int sg_store_url_name(const char *url, char *out, size_t size, struct sg_error *err) SG_MUST_USE;

int sg_store_begin(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
/* A read-only transaction: a consistent view that does not block writers. */
int sg_store_begin_read(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
int sg_store_commit(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
void sg_store_rollback(struct sg_store *s);
/* Inside a transaction: mark a point, go back to it (undoing what came
 * after, the mark staying), or drop the mark keeping the work. One level. */
int sg_store_savepoint(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
int sg_store_rollback_to_savepoint(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
int sg_store_release_savepoint(struct sg_store *s, struct sg_error *err) SG_MUST_USE;

int sg_store_product_ensure(struct sg_store *s, const char *name, time_t now, long long *id,
			    struct sg_error *err) SG_MUST_USE;
/* SG_ENOTFOUND when there is no such product. */
int sg_store_product_find(struct sg_store *s, const char *name, long long *id,
			  struct sg_error *err) SG_MUST_USE;

/*
 * Stored severities follow the policy's severity_overrides. Each product
 * records the digest of the override set they follow
 * (sg_policy_overrides_digest); when the policy's differs, apply it to every
 * finding of the product (changed = 1). Call inside a transaction; it writes
 * only when something changes.
 */
int sg_store_findings_apply_overrides(struct sg_store *s, long long product_id,
				      const struct sg_policy *policy, int *changed,
				      struct sg_error *err) SG_MUST_USE;

/* Start an ingest: one batch of scans whose views are closed together. */
int sg_store_ingest_begin(struct sg_store *s, long long product_id, time_t now, long long *ingest_id,
			  struct sg_error *err) SG_MUST_USE;
/* A scan of this product, kind and commit with this artifact digest, read
 * with the same options, among the scans with an id below before_scan_id (0:
 * all); SG_ENOTFOUND if none. */
int sg_store_scan_find_artifact(struct sg_store *s, long long product_id, const char *kind,
				const char *commit, const unsigned char sha256[SG_SHA256_BYTES],
				const char *options, long long before_scan_id, long long *scan_id,
				struct sg_error *err) SG_MUST_USE;
int sg_store_scan_insert(struct sg_store *s, const struct sg_scan_record *scan, long long *scan_id,
			 struct sg_error *err) SG_MUST_USE;
/* Set the artifact digest of scan first_scan_id and every later scan (the
 * runs of one file, whose digest is known once the whole file is read). */
int sg_store_scans_set_artifact(struct sg_store *s, long long first_scan_id,
				const unsigned char sha256[SG_SHA256_BYTES], struct sg_error *err) SG_MUST_USE;
/* Name the tool of a scan once it is known (an SBOM names its generator
 * anywhere in the document, after the components perhaps). */
int sg_store_scan_set_tool(struct sg_store *s, long long scan_id, const char *tool, const char *tool_version,
			   struct sg_error *err) SG_MUST_USE;
int sg_store_scan_set_counts(struct sg_store *s, long long scan_id, const struct sg_scan_counts *c,
			     struct sg_error *err) SG_MUST_USE;
/*
 * The newest completed scan of `kind` for the product (a run whose results
 * were null, the tool having failed, is no evidence); with commit != NULL only scans
 * of that commit (a prefix of at least 7 hex digits matches either way).
 * out->found is 0 when there is none.
 */
int sg_store_scan_newest(struct sg_store *s, long long product_id, const char *kind,
			 const char *commit, struct sg_gate_scan *out, struct sg_error *err) SG_MUST_USE;

/*
 * Record that scan_id reported the finding whose identity base is `base`
 * (core/identity.h): create it, or update it and apply core/lifecycle's
 * transition (a fixed finding reopens). Its fingerprint is
 * sg_identity_fingerprint(base, k) for the smallest k that this ingest has not
 * sighted yet: k counts the identical results before it in the ingest, with
 * no per-ingest memory beyond the store itself. out->fingerprint says which.
 */
int sg_store_finding_sight(struct sg_store *s, const struct sg_view *view, long long ingest_id,
			   long long scan_id, const unsigned char base[SG_FINGERPRINT_BYTES],
			   const struct sg_sighting *sighting, time_t now,
			   struct sg_sighting_outcome *out, struct sg_error *err) SG_MUST_USE;
/* Mark fixed every open finding of the view that this ingest did not report. */
int sg_store_findings_close_unseen(struct sg_store *s, const struct sg_view *view,
				   long long ingest_id, long long scan_id, time_t now,
				   long long *closed, struct sg_error *err) SG_MUST_USE;

/* Gravest first, and newest first within a severity. */
int sg_store_findings_list(struct sg_store *s, const struct sg_finding_filter *filter,
			   sg_finding_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Open findings per severity at or above min_severity (index = enum
 * sg_severity; the others are 0): the gate counts only what can block. */
int sg_store_findings_open_counts(struct sg_store *s, long long product_id,
				  enum sg_severity min_severity, long long counts[SG_SEV_COUNT],
				  struct sg_error *err) SG_MUST_USE;
/* SG_ENOTFOUND when there is no such finding. */
int sg_store_finding_get(struct sg_store *s, long long id, sg_finding_cb cb, void *ctx,
			 struct sg_error *err) SG_MUST_USE;
int sg_store_finding_events(struct sg_store *s, long long id, sg_event_cb cb, void *ctx,
			    struct sg_error *err) SG_MUST_USE;
/* Set a finding's status and record the event with its reason. */
int sg_store_finding_set_status(struct sg_store *s, long long id, enum sg_finding_status from,
				enum sg_finding_status to, enum sg_event_kind event,
				const char *reason, time_t now, struct sg_error *err) SG_MUST_USE;

/* SG_ECONFLICT when the product already has that version. */
int sg_store_release_create(struct sg_store *s, long long product_id, const char *version,
			    const char *commit, const char *build_digest, time_t now,
			    long long *id, struct sg_error *err) SG_MUST_USE;
/* SG_ENOTFOUND when there is no such release. */
int sg_store_release_find(struct sg_store *s, long long product_id, const char *version,
			  struct sg_release *out, struct sg_error *err) SG_MUST_USE;

/* Counts per severity (index enum sg_severity) of the findings a filter takes. */
int sg_store_findings_count(struct sg_store *s, const struct sg_finding_filter *filter,
			    long long counts[SG_SEV_COUNT], struct sg_error *err) SG_MUST_USE;

/* ---- principals and their keys ---- */
/* SG_ECONFLICT when the name is taken. */
int sg_store_principal_add(struct sg_store *s, const char *name, enum sg_role role, time_t now,
			   long long *id, struct sg_error *err) SG_MUST_USE;
/* SG_ENOTFOUND when there is no such principal. */
int sg_store_principal_find(struct sg_store *s, const char *name, struct sg_principal *out,
			    struct sg_error *err) SG_MUST_USE;
int sg_store_principals_list(struct sg_store *s, sg_principal_cb cb, void *ctx,
			     struct sg_error *err) SG_MUST_USE;
/* SG_ECONFLICT when the key id is registered already (to anyone). */
int sg_store_key_add(struct sg_store *s, long long principal_id, const char *key_id,
		     const unsigned char key[SG_PUBLIC_KEY_BYTES], time_t now, long long *id,
		     struct sg_error *err) SG_MUST_USE;
/* The principal a key belongs to; SG_ENOTFOUND when it is not registered. */
int sg_store_key_find(struct sg_store *s, const char *key_id, long long *principal_id,
		      unsigned char key[SG_PUBLIC_KEY_BYTES], struct sg_error *err) SG_MUST_USE;

/* ---- API tokens and product grants ---- */
/* SG_ECONFLICT when a token with this hash exists (never, but for a bug in
 * the random source). expires_at 0: never. */
int sg_store_token_insert(struct sg_store *s, long long principal_id, const unsigned char sha256[SG_SHA256_BYTES],
			  const char *prefix, time_t now, time_t expires_at, long long *id,
			  struct sg_error *err) SG_MUST_USE;
/* The token with this hash, with its user's name and role, whatever its
 * state (the caller judges revocation and expiry); SG_ENOTFOUND when there
 * is none. One indexed lookup: it runs for every API request. */
int sg_store_token_find(struct sg_store *s, const unsigned char sha256[SG_SHA256_BYTES],
			struct sg_token_record *out, struct sg_error *err) SG_MUST_USE;
/* SG_ENOTFOUND, or SG_ECONFLICT when it is revoked already. */
int sg_store_token_revoke(struct sg_store *s, long long id, time_t now, struct sg_error *err) SG_MUST_USE;
/* In id order. */
int sg_store_tokens_list(struct sg_store *s, const struct sg_token_filter *filter, sg_token_record_cb cb,
			 void *ctx, struct sg_error *err) SG_MUST_USE;
/* Let a user see a product (named: it need not exist yet); SG_ECONFLICT
 * when it is granted already. */
int sg_store_grant_add(struct sg_store *s, long long principal_id, const char *product, time_t now,
		       struct sg_error *err) SG_MUST_USE;
/* SG_ECONFLICT when the user has no such grant. */
int sg_store_grant_remove(struct sg_store *s, long long principal_id, const char *product,
			  struct sg_error *err) SG_MUST_USE;
/* The products granted to a user, in name order (bytewise). */
int sg_store_grants_list(struct sg_store *s, long long principal_id, sg_product_name_cb cb, void *ctx,
			 struct sg_error *err) SG_MUST_USE;
/* Is the product granted to the user? *granted 0 or 1. */
int sg_store_grant_check(struct sg_store *s, long long principal_id, const char *product, int *granted,
			 struct sg_error *err) SG_MUST_USE;
/* A product's name by its id; SG_ENOTFOUND when there is none. */
#define SG_PRODUCT_NAME_BYTES 201 /* SG_MAX_NAME_BYTES + NUL */
int sg_store_product_name(struct sg_store *s, long long id, char name[SG_PRODUCT_NAME_BYTES],
			  struct sg_error *err) SG_MUST_USE;

/* ---- exceptions ---- */
int sg_store_exception_insert(struct sg_store *s, const struct sg_exception_request *req,
			      long long *id, struct sg_error *err) SG_MUST_USE;
/* In id order. */
int sg_store_exceptions_list(struct sg_store *s, const struct sg_exception_filter *filter,
			     sg_exception_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Record an approval of a pending, unrevoked exception; SG_ECONFLICT if it
 * was approved or revoked meanwhile. */
int sg_store_exception_approve(struct sg_store *s, long long id, long long approver_id,
			       const char *key_id, const unsigned char sig[SG_SIGNATURE_BYTES],
			       time_t now, struct sg_error *err) SG_MUST_USE;
int sg_store_exception_revoke(struct sg_store *s, long long id, long long by_id, const char *reason,
			      time_t now, struct sg_error *err) SG_MUST_USE;

/* ---- dependency analysis ---- */
int sg_store_component_insert(struct sg_store *s, const struct sg_component_record *c, long long *id,
			      struct sg_error *err) SG_MUST_USE;
/* The components of a scan, in the order they were inserted. */
int sg_store_components_list(struct sg_store *s, long long scan_id, sg_component_cb cb, void *ctx,
			     struct sg_error *err) SG_MUST_USE;
int sg_store_vex_insert(struct sg_store *s, const struct sg_vex_record *v, struct sg_error *err) SG_MUST_USE;
int sg_store_vex_list(struct sg_store *s, long long scan_id, sg_vex_cb cb, void *ctx,
		      struct sg_error *err) SG_MUST_USE;
/* The newest SBOM scan of each product (product_id 0), or of one. */
int sg_store_sbom_heads(struct sg_store *s, long long product_id, sg_sbom_head_cb cb, void *ctx,
			struct sg_error *err) SG_MUST_USE;
/* Add the record, or replace the stored one when this one's modified is
 * later; else leave it (SG_VULN_UNCHANGED). */
int sg_store_vuln_upsert(struct sg_store *s, const struct sg_vuln_record *r, enum sg_vuln_upsert *outcome,
			 struct sg_error *err) SG_MUST_USE;
/* Records with an affected entry for (eco_base, name), withdrawn ones too
 * (the caller decides), in record id order. A row that no longer matches
 * its digest is SG_EPOLICY, audit-broken: nothing is matched against it. */
int sg_store_vuln_candidates(struct sg_store *s, const char *eco_base, const char *name,
			     sg_vuln_candidate_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Counts per ecosystem (eco_base order). */
int sg_store_vulndb_counts(struct sg_store *s, sg_vulndb_count_cb cb, void *ctx,
			   struct sg_error *err) SG_MUST_USE;
/* Does the store hold a record imported from exactly these bytes? */
int sg_store_vuln_known_bytes(struct sg_store *s, const unsigned char sha256[SG_SHA256_BYTES], int *known,
			      struct sg_error *err) SG_MUST_USE;
/* Hold every package row against its digest (audit verify). */
int sg_store_vulndb_content_check(struct sg_store *s, sg_mismatch_cb cb, void *ctx,
				  struct sg_error *err) SG_MUST_USE;
/* The rules of a view's findings about one component (any status). */
int sg_store_component_findings(struct sg_store *s, const struct sg_view *view, const char *component,
				sg_rule_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Keep a view's open findings about one component as seen by this ingest:
 * the component is still shipped but could not be evaluated this time, so
 * the snapshot rule must not close them as fixed. */
int sg_store_component_findings_carry(struct sg_store *s, const struct sg_view *view, const char *component,
				      long long ingest_id, long long scan_id, struct sg_error *err) SG_MUST_USE;
/* Does a record with this id, or with this alias, exist? The record ids (up to max). */
int sg_store_vuln_ids_named(struct sg_store *s, const char *id_or_alias, long long *ids, size_t max,
			    size_t *n, struct sg_error *err) SG_MUST_USE;

/* ---- the audit ledger ---- */
/* The last event's seq and hash; seq 0 and zeros when the ledger is empty. */
int sg_store_audit_head(struct sg_store *s, long long *seq, unsigned char hash[SG_DIGEST_BYTES],
			struct sg_error *err) SG_MUST_USE;
int sg_store_audit_append(struct sg_store *s, const struct sg_audit_event *e,
			  struct sg_error *err) SG_MUST_USE;
/* Events in stored order (by seq), from `since` on (0: all, whatever their time). */
int sg_store_audit_list(struct sg_store *s, time_t since, sg_audit_cb cb, void *ctx,
			struct sg_error *err) SG_MUST_USE;
/* The latest event of each object of a kind, by object id. */
int sg_store_audit_latest(struct sg_store *s, enum sg_object_kind kind, sg_digest_cb cb, void *ctx,
			  struct sg_error *err) SG_MUST_USE;
/*
 * The current state digest of each object of a kind as the tables hold it
 * (object_id 0: every object, by id), computed over the columns listed in
 * docs/audit.md with util/hash.h's sg_rhash. seq is 0 and has_state 1.
 */
int sg_store_object_digests(struct sg_store *s, enum sg_object_kind kind, long long object_id,
			    sg_digest_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;

/* ---- version 5: batched sightings, background jobs, copying a store ---- */

/* One result of a batch: its identity base and what it says. */
struct sg_sight_item {
	unsigned char base[SG_FINGERPRINT_BYTES];
	struct sg_sighting sighting;
};

/*
 * sg_store_finding_sight for n results of one view, in order: the same
 * outcomes as n calls would give (out[i] for items[i]), except that a new
 * finding's finding_id may be 0 (a backend need not wait for the ids it
 * gives). A backend that talks to a server does it in a few round trips
 * instead of n, and may still be writing when this returns: a failure then
 * is the next store call's. The others loop.
 */
int sg_store_findings_sight_many(struct sg_store *s, const struct sg_view *view, long long ingest_id,
				 long long scan_id, const struct sg_sight_item *items, size_t n, time_t now,
				 struct sg_sighting_outcome *out, struct sg_error *err) SG_MUST_USE;

/*
 * Background jobs that several servers sharing one store run exactly once
 * per due time. A job is registered with its interval (kept if it exists,
 * the interval updated); claiming it, outside any transaction, succeeds for
 * one caller only while it is due (PostgreSQL: FOR UPDATE SKIP LOCKED), moves
 * its next run on by the interval and records a run (*run_id; 0 when not
 * claimed). The claimant then does the work and finishes the run.
 */
struct sg_job_record {
	const char *name;
	long long interval_seconds;
	time_t next_run_at;
	long long runs;            /* runs recorded */
	time_t last_started_at;    /* 0: never */
	time_t last_finished_at;   /* 0: not finished */
	const char *last_instance; /* who ran it last; NULL: never */
	const char *last_outcome;  /* "ok", "failed"; NULL: running or never */
	const char *last_summary;
};
typedef int (*sg_job_cb)(void *ctx, const struct sg_job_record *j);
int sg_store_job_register(struct sg_store *s, const char *name, long long interval_seconds, time_t now,
			  struct sg_error *err) SG_MUST_USE;
int sg_store_job_claim(struct sg_store *s, const char *name, const char *instance, time_t now,
		       long long *run_id, struct sg_error *err) SG_MUST_USE;
int sg_store_job_finish(struct sg_store *s, long long run_id, int ok, const char *summary, time_t now,
			struct sg_error *err) SG_MUST_USE;
/* Make a job due now (SG_ENOTFOUND when no such job is registered). */
int sg_store_job_trigger(struct sg_store *s, const char *name, struct sg_error *err) SG_MUST_USE;
int sg_store_jobs_list(struct sg_store *s, sg_job_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Record that a notice about a finding at a stage ("due-soon", "overdue")
 * was sent; *is_new is 0 when it was sent before (send nothing then). */
int sg_store_notice_mark(struct sg_store *s, long long finding_id, const char *stage, long long run_id,
			 time_t now, int *is_new, struct sg_error *err) SG_MUST_USE;

/*
 * Copying a whole store, table by table (`shipgate migrate`). Both backends
 * hold the same tables and columns (store/tables.c lists them in the order
 * that foreign keys allow); a cell is typed as SQLite types values.
 */
enum sg_cell_type { SG_CELL_NULL, SG_CELL_INT, SG_CELL_TEXT, SG_CELL_BLOB };
struct sg_cell {
	enum sg_cell_type type;
	long long i;
	const void *p; /* text (NUL-terminated) or blob bytes */
	size_t len;
};
typedef int (*sg_row_cb)(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err);
/* The rows of a table in primary key order, columns as named. */
int sg_store_table_rows(struct sg_store *s, const char *table, const char *const *columns, size_t n_columns,
			sg_row_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;
/* Load rows into an empty table, inside the caller's transaction: begin,
 * one call per row, end (which also moves id sequences past the rows). */
int sg_store_table_load_begin(struct sg_store *s, const char *table, const char *const *columns,
			      size_t n_columns, struct sg_error *err) SG_MUST_USE;
int sg_store_table_load_row(struct sg_store *s, const struct sg_cell *cells, size_t n, struct sg_error *err) SG_MUST_USE;
int sg_store_table_load_end(struct sg_store *s, struct sg_error *err) SG_MUST_USE;
/* Is the store empty of data (no rows in any table)? `migrate` only fills an empty one. */
int sg_store_is_empty(struct sg_store *s, int *empty, struct sg_error *err) SG_MUST_USE;

#endif
