/*
 * `vulndb import` and `vulndb status`: the offline OSV database.
 *
 * Import is incremental by `modified`: a record the store has as new or
 * newer is left alone, so importing the same all.zip again changes nothing.
 * When anything changed, every product's newest SBOM (what its findings
 * reflect) is matched again in the same transaction: new records raise
 * findings for what is already shipped (post-release discoveries, whose SLA
 * runs from now), and withdrawn or narrowed records take theirs away. Older
 * SBOMs of a product are not matched again: findings are per product.
 */
#include "app/sca.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "sca/osv.h"
#include "sca/vulndb_source.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/timeutil.h"

struct import {
	struct sg_store *store;
	struct sg_vulndb_report *report;
	time_t now;
	struct sg_buf aliases;
	struct sg_buf affected;   /* every entry's JSON, NUL-separated */
	struct sg_buf names;      /* normalised names, NUL-separated */
};

static int on_record(void *ctx, const char *where, const char *data, size_t len, struct sg_error *err)
{
	struct import *im = ctx;
	struct sg_osv_record rec;
	struct sg_vuln_record v;
	struct sg_vuln_package *packages = NULL;
	enum sg_vuln_upsert outcome;
	char name[SG_SBOM_MAX_FIELD_BYTES], eco_base[128];
	size_t i, n = 0, off_json = 0, off_name = 0;
	int rc, known = 0, score = -1;
	enum sg_severity sev;
	unsigned char sha[SG_SHA256_BYTES];
	int known_bytes;

	memset(&rec, 0, sizeof(rec));
	/* A daily all.zip is mostly what was imported the day before: bytes
	 * the store holds a record of were read and checked then. */
	sg_sha256(data, len, sha);
	if ((rc = sg_store_vuln_known_bytes(im->store, sha, &known_bytes, err)))
		goto out;
	if (known_bytes) {
		im->report->files++;
		im->report->unchanged++;
		goto out;
	}
	if ((rc = sg_osv_parse(data, len, where, &rec, err)))
		goto out;
	im->report->files++;
	sg_buf_reset(&im->aliases);
	sg_buf_reset(&im->affected);
	sg_buf_reset(&im->names);
	for (i = 0; i < rec.n_aliases; i++) {
		/* The list is one per line, and ids are short: a name with a line
		 * break or longer than a version cannot be an id to look up. */
		if (strchr(rec.aliases[i], '\n') || strlen(rec.aliases[i]) > SG_OSV_MAX_VERSION_BYTES)
			continue;
		if (im->aliases.len)
			sg_buf_addc(&im->aliases, '\n');
		sg_buf_adds(&im->aliases, rec.aliases[i]);
	}
	packages = sg_calloc(rec.n_affected ? rec.n_affected : 1, sizeof(*packages));
	if (!packages) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	/* Offsets first, pointers after: the buffers may move while they grow. */
	for (i = 0; i < rec.n_affected; i++) {
		const struct sg_osv_affected *a = &rec.affected[i];
		if (!a->ecosystem || !a->name)
			continue; /* GIT-only entries name no package to match */
		sg_osv_package_key(a->ecosystem, a->name, name, sizeof(name));
		if ((rc = sg_osv_affected_to_json(a, &im->affected)))
			goto nomem;
		sg_buf_addc(&im->affected, '\0');
		sg_buf_adds(&im->names, name);
		sg_buf_addc(&im->names, '\0');
		n++;
	}
	if (sg_buf_error(&im->aliases) || sg_buf_error(&im->affected) || sg_buf_error(&im->names))
		goto nomem;
	for (i = 0, n = 0; i < rec.n_affected; i++) {
		const struct sg_osv_affected *a = &rec.affected[i];
		if (!a->ecosystem || !a->name)
			continue;
		snprintf(eco_base, sizeof(eco_base), "%.*s", (int)strcspn(a->ecosystem, ":"), a->ecosystem);
		packages[n].ecosystem = a->ecosystem;
		packages[n].eco_base = sg_strdup(eco_base);
		packages[n].affected = im->affected.data + off_json;
		packages[n].name = im->names.data + off_name;
		if (!packages[n].eco_base)
			goto nomem;
		off_json += strlen(packages[n].affected) + 1;
		off_name += strlen(packages[n].name) + 1;
		n++;
	}
	sev = sg_osv_severity(&rec, &known, &score);
	memset(&v, 0, sizeof(v));
	v.osv_id = rec.id;
	v.modified = rec.modified;
	v.modified_at = rec.modified_at;
	v.withdrawn = rec.withdrawn;
	v.aliases = im->aliases.len ? im->aliases.data : "";
	v.summary = rec.summary;
	v.severity = known ? (int)sev : -1;
	v.score = known && score >= 0 ? score : -1;
	v.severity_source = sg_osv_severity_source(&rec);
	memcpy(v.record_sha256, sha, SG_SHA256_BYTES);
	v.imported_at = im->now;
	v.packages = packages;
	v.n_packages = n;
	if ((rc = sg_store_vuln_upsert(im->store, &v, &outcome, err)))
		goto out;
	switch (outcome) {
	case SG_VULN_ADDED:
		im->report->added++;
		break;
	case SG_VULN_UPDATED:
		im->report->updated++;
		break;
	default:
		im->report->unchanged++;
		break;
	}
	if (outcome != SG_VULN_UNCHANGED && rec.withdrawn)
		im->report->withdrawn++;
	goto out;
nomem:
	rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
out:
	if (packages)
		for (i = 0; i < rec.n_affected; i++)
			sg_free((char *)packages[i].eco_base);
	sg_free(packages);
	sg_osv_record_free(&rec);
	return rc;
}

/* The products to match again, gathered before any is matched. */
struct heads {
	struct sg_sbom_head *items;
	size_t n, cap;
	int failed;
};

static int take_head(void *ctx, const struct sg_sbom_head *h)
{
	struct heads *hs = ctx;
	struct sg_sbom_head *copy;

	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 8;
		void *p = sg_realloc_array(hs->items, cap, sizeof(*hs->items));
		if (!p) {
			hs->failed = 1;
			return 1;
		}
		hs->items = p;
		hs->cap = cap;
	}
	copy = &hs->items[hs->n];
	memset(copy, 0, sizeof(*copy));
	copy->product_id = h->product_id;
	copy->scan_id = h->scan_id;
	copy->product = sg_strdup(h->product);
	copy->artifact_name = h->artifact_name ? sg_strdup(h->artifact_name) : NULL;
	hs->n++;
	if (!copy->product || (h->artifact_name && !copy->artifact_name)) {
		hs->failed = 1;
		return 1;
	}
	return 0;
}

static void heads_free(struct heads *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++) {
		sg_free((char *)hs->items[i].product);
		sg_free((char *)hs->items[i].artifact_name);
	}
	sg_free(hs->items);
}

static void add_counts(struct sg_sca_counts *sum, const struct sg_sca_counts *c)
{
	sum->components += c->components;
	sum->unmatched += c->unmatched;
	sum->vulnerable += c->vulnerable;
	sum->findings += c->findings;
	sum->new_findings += c->new_findings;
	sum->reopened += c->reopened;
	sum->fixed += c->fixed;
	sum->not_applicable += c->not_applicable;
	sum->license_findings += c->license_findings;
	sum->skipped_versions += c->skipped_versions;
	sum->unplaceable += c->unplaceable;
}

/* Match one product's newest SBOM against the database as it now is. */
static int rematch(struct sg_app *app, struct sg_store *store, const struct sg_policy *policy,
		   const struct sg_sbom_head *h, time_t now, struct sg_vulndb_report *report, struct sg_error *err)
{
	struct sg_sca_match_params mp;
	struct sg_sca_counts counts;
	struct sg_audit_note note;
	char label[300];
	long long ingest_id;
	int rc, changed;

	if ((rc = sg_app_audit_check(store, SG_OBJ_FINDINGS, h->product_id, err)) ||
	    (rc = sg_app_audit_check(store, SG_OBJ_HISTORY, h->product_id, err)) ||
	    (rc = sg_app_audit_check(store, SG_OBJ_SBOM, h->scan_id, err)) ||
	    (rc = sg_store_findings_apply_overrides(store, h->product_id, policy, &changed, err)) ||
	    (rc = sg_store_ingest_begin(store, h->product_id, now, &ingest_id, err)))
		return rc;
	memset(&mp, 0, sizeof(mp));
	memset(&counts, 0, sizeof(counts));
	mp.product_id = h->product_id;
	mp.ingest_id = ingest_id;
	mp.scan_id = h->scan_id;
	mp.artifact = h->artifact_name;
	mp.now = now;
	if ((rc = sg_sca_match(store, policy, &mp, &counts, err)))
		return rc;
	add_counts(&report->match, &counts);
	snprintf(label, sizeof(label), "ingest %lld of product %s", ingest_id, h->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "format", "osv");
	sg_jw_kv_string(&note.w, "product", h->product);
	sg_jw_kv_int(&note.w, "sbom", h->scan_id);
	sg_jw_kv_int(&note.w, "findings", counts.findings + counts.license_findings);
	sg_jw_kv_int(&note.w, "new", counts.new_findings);
	sg_jw_kv_int(&note.w, "reopened", counts.reopened);
	sg_jw_kv_int(&note.w, "fixed", counts.fixed);
	if ((rc = sg_app_audit(app, store, "sca.rematch", SG_OBJ_INGEST, ingest_id, label, &note, err)))
		return rc;
	snprintf(label, sizeof(label), "findings of product %s", h->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_int(&note.w, "ingest", ingest_id);
	if ((rc = sg_app_audit(app, store, "findings.update", SG_OBJ_FINDINGS, h->product_id, label, &note, err)))
		return rc;
	return sg_app_audit_history(app, store, h->product_id, h->product, "findings.update", err);
}

static int audit_import(struct sg_app *app, struct sg_store *store, const char *const *paths, size_t n_paths,
			const struct sg_vulndb_report *r, struct sg_error *err)
{
	struct sg_audit_note note;
	size_t i;

	sg_audit_note_begin(&note);
	sg_jw_key(&note.w, "paths");
	sg_jw_array_begin(&note.w);
	for (i = 0; i < n_paths; i++)
		sg_jw_string(&note.w, paths[i]);
	sg_jw_array_end(&note.w);
	sg_jw_kv_int(&note.w, "records", r->files);
	sg_jw_kv_int(&note.w, "added", r->added);
	sg_jw_kv_int(&note.w, "updated", r->updated);
	sg_jw_kv_int(&note.w, "unchanged", r->unchanged);
	sg_jw_kv_int(&note.w, "withdrawn", r->withdrawn);
	return sg_app_audit(app, store, "vulndb.import", SG_OBJ_VULNDB, 1, "vulnerability database", &note, err);
}

int sg_app_vulndb_import(struct sg_app *app, const char *const *paths, size_t n_paths,
			 struct sg_vulndb_report *report, struct sg_error *err)
{
	struct import im;
	struct heads hs;
	const struct sg_policy *policy;
	long long n_files;
	size_t i;
	int rc, in_tx = 0;

	memset(report, 0, sizeof(*report));
	memset(&im, 0, sizeof(im));
	memset(&hs, 0, sizeof(hs));
	sg_buf_init(&im.aliases, (size_t)SG_OSV_MAX_ALIASES * (SG_OSV_MAX_VERSION_BYTES + 1));
	sg_buf_init(&im.affected, (size_t)SG_OSV_MAX_RECORD_BYTES * 2);
	sg_buf_init(&im.names, (size_t)SG_OSV_MAX_AFFECTED * (SG_SBOM_MAX_FIELD_BYTES + 1));
	im.report = report;
	im.now = sg_now();
	if (n_paths == 0) {
		rc = sg_error_set(err, SG_DIAG_USAGE, "no path given: name a directory, a .json file or a .zip archive");
		goto out;
	}
	if ((rc = sg_app_policy(app, &policy, err)) || (rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &im.store, err)) ||
	    (rc = sg_store_begin(im.store, err)))
		goto out;
	in_tx = 1;
	if ((rc = sg_app_audit_check(im.store, SG_OBJ_VULNDB, 0, err)))
		goto out;
	for (i = 0; i < n_paths; i++)
		if ((rc = sg_vulndb_source_read(paths[i], on_record, &im, &n_files, err)))
			goto out;
	if (report->added + report->updated == 0) {
		rc = 0; /* nothing new: leave no trace */
		goto out;
	}
	if ((rc = audit_import(app, im.store, paths, n_paths, report, err)))
		goto out;
	if ((rc = sg_store_sbom_heads(im.store, 0, take_head, &hs, err)) && !hs.failed)
		goto out;
	if (hs.failed) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	for (i = 0; i < hs.n; i++) {
		if ((rc = rematch(app, im.store, policy, &hs.items[i], im.now, report, err)))
			goto out;
		report->products++;
	}
	if ((rc = sg_store_commit(im.store, err)))
		goto out;
	in_tx = 0;
out:
	if (in_tx)
		sg_store_rollback(im.store);
	heads_free(&hs);
	sg_buf_release(&im.aliases);
	sg_buf_release(&im.affected);
	sg_buf_release(&im.names);
	return rc;
}

int sg_app_vulndb_status(struct sg_app *app, sg_vulndb_count_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_store_vulndb_counts(store, cb, ctx, err);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}
