#include "app/audit.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"
#include "util/timeutil.h"


void sg_audit_note_begin(struct sg_audit_note *note)
{
	sg_buf_init(&note->buf, SG_AUDIT_MAX_PAYLOAD_BYTES);
	sg_jw_init_buf(&note->w, &note->buf, 0);
	sg_jw_object_begin(&note->w);
}

void sg_audit_note_discard(struct sg_audit_note *note)
{
	sg_buf_release(&note->buf);
}

struct one_digest {
	int found;
	unsigned char digest[SG_DIGEST_BYTES];
};

static int take_digest(void *ctx, long long object_id, long long seq, int has_state,
		       const unsigned char digest[SG_DIGEST_BYTES])
{
	struct one_digest *d = ctx;

	d->found = has_state;
	memcpy(d->digest, digest, SG_DIGEST_BYTES);
	return 0;
}

static int append(struct sg_app *app, struct sg_store *store, const char *action, enum sg_object_kind kind,
		  long long object_id, const char *label, const char *payload, struct sg_error *err)
{
	struct sg_audit_event e;
	struct one_digest state = {0, {0}};
	const struct sg_policy *policy;
	long long head_seq;
	int rc;

	memset(&e, 0, sizeof(e));
	if ((rc = sg_store_audit_head(store, &head_seq, e.prev_hash, err)))
		return rc;
	if (kind == SG_OBJ_POLICY) {
		if ((rc = sg_app_policy(app, &policy, err)))
			return rc;
		state.found = 1;
		memcpy(state.digest, policy->sha256, SG_DIGEST_BYTES);
	} else if ((rc = sg_store_object_digests(store, kind, object_id, take_digest, &state, err))) {
		return rc;
	}
	e.seq = head_seq + 1;
	e.at = sg_now();
	e.actor = sg_app_actor(app);
	e.action = action;
	e.object_kind = kind;
	e.object_id = object_id;
	e.object_label = label;
	e.payload = payload;
	e.has_state = state.found;
	memcpy(e.state, state.digest, SG_DIGEST_BYTES);
	sg_audit_hash(&e, e.hash);
	return sg_store_audit_append(store, &e, err);
}

_Static_assert(SG_DIGEST_BYTES == SG_SHA256_BYTES, "a policy digest is a state digest");

int sg_app_audit_policy(struct sg_app *app, struct sg_store *store, struct sg_error *err)
{
	const struct sg_policy *policy;
	struct one_digest last = {0, {0}};
	struct sg_audit_note note;
	char sha[2 * SG_SHA256_BYTES + 1];
	int rc;

	if ((rc = sg_app_policy(app, &policy, err)) ||
	    (rc = sg_store_audit_latest(store, SG_OBJ_POLICY, take_digest, &last, err)))
		return rc;
	if (last.found && memcmp(last.digest, policy->sha256, SG_DIGEST_BYTES) == 0)
		return 0;
	sg_hex(policy->sha256, SG_SHA256_BYTES, sha);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "policy", policy->id);
	sg_jw_kv_string(&note.w, "source", policy->source);
	sg_jw_kv_string(&note.w, "sha256", sha);
	if (sg_clock_overridden()) {
		char now[SG_TIME_TEXT];
		sg_time_format(sg_now(), now);
		sg_jw_kv_string(&note.w, "clock_overridden_to", now);
	}
	sg_jw_object_end(&note.w);
	if (sg_jw_finish(&note.w) != 0) {
		sg_audit_note_discard(&note);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	rc = append(app, store, "policy.change", SG_OBJ_POLICY, 0, "policy", note.buf.data, err);
	sg_audit_note_discard(&note);
	return rc;
}

int sg_app_audit(struct sg_app *app, struct sg_store *store, const char *action, enum sg_object_kind kind,
		 long long object_id, const char *label, struct sg_audit_note *note, struct sg_error *err)
{
	int rc;

	if (sg_clock_overridden()) {
		char now[SG_TIME_TEXT];
		sg_time_format(sg_now(), now);
		sg_jw_kv_string(&note->w, "clock_overridden_to", now);
	}
	sg_jw_object_end(&note->w);
	if (sg_jw_finish(&note->w) != 0) {
		int too_large = sg_buf_error(&note->buf) == SG_EINPUT;
		sg_audit_note_discard(note);
		if (too_large)
			return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the audit record of this change is larger than %u bytes",
					    SG_AUDIT_MAX_PAYLOAD_BYTES);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	rc = sg_app_audit_policy(app, store, err);
	if (!rc)
		rc = append(app, store, action, kind, object_id, label, note->buf.data, err);
	sg_audit_note_discard(note);
	return rc;
}

struct latest_of {
	long long object_id;
	int found;
	unsigned char digest[SG_DIGEST_BYTES];
};

static int take_latest_of(void *ctx, long long object_id, long long seq, int has_state,
			  const unsigned char digest[SG_DIGEST_BYTES])
{
	struct latest_of *l = ctx;

	if (object_id == l->object_id && has_state) {
		l->found = 1;
		memcpy(l->digest, digest, SG_DIGEST_BYTES);
	}
	return 0;
}

int sg_app_audit_history(struct sg_app *app, struct sg_store *store, long long product_id, const char *product,
			 const char *action, struct sg_error *err)
{
	struct one_digest state = {0, {0}};
	struct sg_audit_note note;
	char label[300];
	int rc;
	struct latest_of last = {product_id, 0, {0}};

	if ((rc = sg_store_object_digests(store, SG_OBJ_HISTORY, product_id, take_digest, &state, err)) || !state.found)
		return rc;
	/* Most ingests add no event to the history: then there is nothing to record. */
	if ((rc = sg_store_audit_latest(store, SG_OBJ_HISTORY, take_latest_of, &last, err)))
		return rc;
	if (last.found && memcmp(last.digest, state.digest, SG_DIGEST_BYTES) == 0)
		return 0;
	snprintf(label, sizeof(label), "finding history of product %s", product);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "after", action);
	return sg_app_audit(app, store, "history.update", SG_OBJ_HISTORY, product_id, label, &note, err);
}

int sg_app_product_ensure(struct sg_app *app, struct sg_store *store, const char *name, time_t now,
			  long long *id, struct sg_error *err)
{
	struct sg_audit_note note;
	char label[300];
	int rc = sg_store_product_find(store, name, id, err);

	if (rc != SG_ENOTFOUND)
		return rc;
	sg_error_clear(err);
	if ((rc = sg_store_product_ensure(store, name, now, id, err)))
		return rc;
	snprintf(label, sizeof(label), "product %s", name);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "name", name);
	return sg_app_audit(app, store, "product.create", SG_OBJ_PRODUCT, *id, label, &note, err);
}

int sg_app_audit_log(struct sg_app *app, time_t since, sg_audit_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_store_audit_list(store, since, cb, ctx, err);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

void sg_audit_event_json(struct sg_jw *w, const struct sg_audit_event *e)
{
	char when[SG_TIME_TEXT], hex[2 * SG_DIGEST_BYTES + 1];

	sg_time_format(e->at, when);
	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "seq", e->seq);
	sg_jw_kv_string(w, "at", when);
	sg_jw_kv_string(w, "actor", e->actor);
	sg_jw_kv_string(w, "action", e->action);
	sg_jw_kv_string(w, "object_kind", sg_object_kind_name(e->object_kind));
	sg_jw_kv_int(w, "object_id", e->object_id);
	sg_jw_kv_string(w, "object", e->object_label);
	/* The payload is JSON shipgate wrote; it is shown as a string so that a
	 * row altered in the store cannot break the output's structure. */
	sg_jw_kv_string(w, "payload", e->payload);
	if (e->has_state) {
		sg_hex(e->state, SG_DIGEST_BYTES, hex);
		sg_jw_kv_string(w, "state_digest", hex);
	} else {
		sg_jw_kv_string(w, "state_digest", NULL);
	}
	sg_hex(e->prev_hash, SG_DIGEST_BYTES, hex);
	sg_jw_kv_string(w, "prev_hash", hex);
	sg_hex(e->hash, SG_DIGEST_BYTES, hex);
	sg_jw_kv_string(w, "hash", hex);
	sg_jw_object_end(w);
}
