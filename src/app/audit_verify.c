/*
 * `shipgate audit verify`: the chain, then every audited table against the
 * ledger, then every approval signature (docs/audit.md). Stops at the first
 * problem and names it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "evidence/keys.h"
#include "util/alloc.h"

struct chain_walk {
	struct sg_audit_verify_report *r;
	unsigned char anchor[SG_DIGEST_BYTES];
	int has_anchor;
};

static int fail(struct sg_audit_verify_report *r, long long seq, const char *fmt, ...) SG_PRINTF(3, 4);
static int fail(struct sg_audit_verify_report *r, long long seq, const char *fmt, ...)
{
	va_list ap;

	r->ok = 0;
	r->bad_seq = seq;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
	return 1; /* stop the walk */
}

static int check_event(void *ctx, const struct sg_audit_event *e)
{
	struct chain_walk *c = ctx;
	struct sg_audit_verify_report *r = c->r;
	unsigned char hash[SG_DIGEST_BYTES];
	long long expected = r->events + 1;

	if (e->malformed)
		return fail(r, e->seq, "event %lld holds a value of the wrong type or size, or a NUL byte: it was altered",
			    e->seq);
	if (e->seq != expected)
		return fail(r, e->seq < expected ? e->seq : expected,
			    e->seq < expected ? "event %lld is out of order" : "event %lld is missing (deleted)",
			    e->seq < expected ? e->seq : expected);
	if (memcmp(e->prev_hash, r->head, SG_DIGEST_BYTES) != 0)
		return fail(r, e->seq,
			    "event %lld does not follow the event before it (an event was deleted, inserted or reordered)",
			    e->seq);
	sg_audit_hash(e, hash);
	if (memcmp(hash, e->hash, SG_DIGEST_BYTES) != 0)
		return fail(r, e->seq, "event %lld was altered: its content does not match its hash", e->seq);
	if (e->action && strcmp(e->action, "ledger.baseline") == 0 && r->baseline_events++ == 0)
		r->baseline_at = e->at;
	if (c->has_anchor && memcmp(hash, c->anchor, SG_DIGEST_BYTES) == 0)
		r->anchor_found = 1;
	memcpy(r->head, hash, SG_DIGEST_BYTES);
	r->events++;
	return 0;
}

/* ---- every audited table against the latest event of each object ---- */

struct recorded {
	long long object_id;
	long long seq;
	int has_state;
	int seen;
	unsigned char digest[SG_DIGEST_BYTES];
};

struct object_check {
	struct sg_audit_verify_report *r;
	enum sg_object_kind kind;
	struct recorded *rec;
	size_t n, cap;
	int failed_alloc;
};

static int collect_recorded(void *ctx, long long object_id, long long seq, int has_state,
			    const unsigned char digest[SG_DIGEST_BYTES])
{
	struct object_check *c = ctx;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct recorded *grown = sg_realloc_array(c->rec, cap, sizeof(*grown));
		if (!grown) {
			c->failed_alloc = 1;
			return 1;
		}
		c->rec = grown;
		c->cap = cap;
	}
	c->rec[c->n].object_id = object_id;
	c->rec[c->n].seq = seq;
	c->rec[c->n].has_state = has_state;
	c->rec[c->n].seen = 0;
	memcpy(c->rec[c->n].digest, digest, SG_DIGEST_BYTES);
	c->n++;
	return 0;
}

static struct recorded *find_recorded(struct object_check *c, long long object_id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->rec[mid].object_id == object_id)
			return &c->rec[mid];
		if (c->rec[mid].object_id < object_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int compare_current(void *ctx, long long object_id, long long seq, int has_state,
			   const unsigned char digest[SG_DIGEST_BYTES])
{
	struct object_check *c = ctx;
	const char *kind = sg_object_kind_name(c->kind);
	struct recorded *rec = find_recorded(c, object_id);

	c->r->objects_checked++;
	if (!rec)
		return fail(c->r, 0,
			    "%s %lld is in the store but no audit event records it: it was added behind shipgate's back",
			    kind, object_id);
	rec->seen = 1;
	if (!rec->has_state || memcmp(rec->digest, digest, SG_DIGEST_BYTES) != 0)
		return fail(c->r, rec->seq,
			    "%s %lld differs from its state recorded by audit event %lld: it was changed behind "
			    "shipgate's back, or a later event was deleted",
			    kind, object_id, rec->seq);
	return 0;
}

/* The objects of a kind (object_id 0: all of them) against the ledger. */
static int check_kind(struct sg_store *store, enum sg_object_kind kind, long long object_id,
		      struct sg_audit_verify_report *r, struct sg_error *err)
{
	struct object_check c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.kind = kind;
	rc = sg_store_audit_latest(store, kind, collect_recorded, &c, err);
	if (c.failed_alloc)
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (!rc)
		rc = sg_store_object_digests(store, kind, object_id, compare_current, &c, err);
	if (rc == 1)
		rc = 0; /* a problem, in the report */
	for (i = 0; !rc && r->ok && i < c.n; i++)
		if (!c.rec[i].seen && c.rec[i].has_state && (!object_id || c.rec[i].object_id == object_id))
			fail(r, c.rec[i].seq, "%s %lld recorded by audit event %lld is missing from the store: it was deleted",
			     sg_object_kind_name(kind), c.rec[i].object_id, c.rec[i].seq);
	sg_free(c.rec);
	return rc;
}

struct signature_check {
	struct sg_audit_verify_report *r;
};

static int check_signature(void *ctx, const struct sg_exception *e)
{
	struct signature_check *c = ctx;
	char why[400];

	if (!e->approver)
		return 0;
	c->r->signatures_checked++;
	if (sg_exception_verify(e, why, sizeof(why)) != 0)
		return fail(c->r, 0, "%s", why);
	return 0;
}

static int content_mismatch(void *ctx, const char *osv_id)
{
	struct sg_audit_verify_report *r = ctx;

	if (!osv_id)
		return fail(r, 0, "vulnerability database rows that belong to no record were added behind shipgate's "
				  "back");
	return fail(r, 0, "the stored packages of vulnerability record %.200s differ from what was imported: changed "
			  "behind shipgate's back", osv_id);
}

int sg_app_audit_check(struct sg_store *store, enum sg_object_kind kind, long long object_id, struct sg_error *err)
{
	struct sg_audit_verify_report r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ok = 1;
	if ((rc = check_kind(store, kind, object_id, &r, err)))
		return rc;
	if (!r.ok)
		return sg_error_set(err, SG_DIAG_AUDIT_BROKEN,
				    "refusing to record a change over state the audit ledger does not vouch for: %s "
				    "(run `shipgate audit verify`)",
				    r.problem);
	return 0;
}

int sg_app_audit_verify_in(struct sg_store *store, const char *anchor, struct sg_audit_verify_report *report,
			   struct sg_error *err)
{
	struct chain_walk walk;
	struct signature_check sc = {report};
	struct sg_exception_filter all;
	int rc, kind;

	memset(report, 0, sizeof(*report));
	memset(&walk, 0, sizeof(walk));
	memset(&all, 0, sizeof(all));
	report->ok = 1;
	walk.r = report;
	if (anchor) {
		if (sg_unhex(anchor, walk.anchor, SG_DIGEST_BYTES) != 0)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--anchor must be an event hash: 64 hex digits");
		walk.has_anchor = 1;
	}
	rc = sg_store_audit_list(store, 0, check_event, &walk, err);
	if (rc == 1)
		rc = 0;
	for (kind = 0; !rc && report->ok && kind < SG_OBJ_COUNT; kind++)
		if (kind != SG_OBJ_POLICY)
			rc = check_kind(store, (enum sg_object_kind)kind, 0, report, err);
	/* The ledger vouches for each record with the digest of its packages;
	 * here the rows are held against those digests. */
	if (!rc && report->ok) {
		rc = sg_store_vulndb_content_check(store, content_mismatch, report, err);
		if (rc == 1)
			rc = 0;
	}
	if (!rc && report->ok) {
		rc = sg_store_exceptions_list(store, &all, check_signature, &sc, err);
		if (rc == 1)
			rc = 0;
	}
	if (!rc && report->ok && walk.has_anchor && !report->anchor_found)
		fail(report, 0, "the anchor %.64s is not in the chain: the ledger was rewritten after it was taken",
		     anchor);
	return rc;
}

int sg_app_audit_verify(struct sg_app *app, const char *anchor, struct sg_audit_verify_report *report,
			struct sg_error *err)
{
	unsigned char scratch[SG_DIGEST_BYTES];
	struct sg_store *store;
	int rc;

	memset(report, 0, sizeof(*report));
	/* A bad anchor is a usage error before any store is opened. */
	if (anchor && sg_unhex(anchor, scratch, SG_DIGEST_BYTES) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--anchor must be an event hash: 64 hex digits");
	if ((rc = sg_app_store(app, SG_STORE_OPEN_NO_UPGRADE, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_app_audit_verify_in(store, anchor, report, err);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

void sg_audit_verify_json(struct sg_jw *w, const struct sg_audit_verify_report *r, const char *anchor)
{
	char head[2 * SG_DIGEST_BYTES + 1], when[SG_TIME_TEXT];

	sg_hex(r->head, SG_DIGEST_BYTES, head);
	sg_jw_object_begin(w);
	sg_jw_key(w, "ok");
	sg_jw_bool(w, r->ok);
	sg_jw_kv_int(w, "events", r->events);
	sg_jw_kv_string(w, "head", r->events ? head : NULL);
	sg_jw_kv_int(w, "objects_checked", r->objects_checked);
	sg_jw_kv_int(w, "signatures_checked", r->signatures_checked);
	sg_jw_kv_int(w, "baseline_events", r->baseline_events);
	if (r->baseline_events) {
		sg_time_format(r->baseline_at, when);
		sg_jw_kv_string(w, "baseline_at", when);
	}
	if (anchor) {
		sg_jw_kv_string(w, "anchor", anchor);
		sg_jw_key(w, "anchor_found");
		sg_jw_bool(w, r->anchor_found);
	}
	if (!r->ok) {
		sg_jw_key(w, "bad_event");
		if (r->bad_seq)
			sg_jw_int(w, r->bad_seq);
		else
			sg_jw_null(w);
		sg_jw_kv_string(w, "problem", r->problem);
	}
	sg_jw_object_end(w);
}
