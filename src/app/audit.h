/*
 * The audit ledger from the verbs' side: appending the event of a change,
 * listing the ledger, and verifying it (docs/audit.md).
 *
 * Every verb that changes state appends its event in the same transaction
 * as the change, through sg_app_audit(), so a change and its record are
 * kept or lost together.
 */
#ifndef SG_APP_AUDIT_H
#define SG_APP_AUDIT_H

#include "app/app.h"
#include "util/buf.h"
#include "util/json_writer.h"

/* The payload of an event: a JSON object the caller fills through `w`. */
struct sg_audit_note {
	struct sg_buf buf;
	struct sg_jw w;
};
void sg_audit_note_begin(struct sg_audit_note *note);
void sg_audit_note_discard(struct sg_audit_note *note);

/*
 * Append the event of a change to `object` inside the caller's write
 * transaction: its state digest is read back from the store as the change
 * left it. Consumes the note. A policy other than the one the ledger last
 * recorded is recorded first (action "policy.change").
 */
int sg_app_audit(struct sg_app *app, struct sg_store *store, const char *action,
		 enum sg_object_kind kind, long long object_id, const char *label,
		 struct sg_audit_note *note, struct sg_error *err) SG_MUST_USE;

/* Record the policy in effect if the ledger's latest record differs. */
int sg_app_audit_policy(struct sg_app *app, struct sg_store *store, struct sg_error *err) SG_MUST_USE;

/* Record the product's finding history as a change left it (after
 * `action`, which changed the findings); nothing when it has none. */
int sg_app_audit_history(struct sg_app *app, struct sg_store *store, long long product_id, const char *product,
			 const char *action, struct sg_error *err) SG_MUST_USE;

/* The product's id, creating it (and its audit event) if it is new. */
int sg_app_product_ensure(struct sg_app *app, struct sg_store *store, const char *name, time_t now,
			  long long *id, struct sg_error *err) SG_MUST_USE;

/*
 * Before a verb changes an object, in its write transaction: does the
 * object (object_id 0: every object of the kind) still match the latest
 * state the ledger recorded? A change recorded over tampered state would
 * make the ledger vouch for the tampering, so a mismatch refuses the change
 * (SG_EPOLICY, diagnostic audit-broken) and writes nothing.
 */
int sg_app_audit_check(struct sg_store *store, enum sg_object_kind kind, long long object_id,
		       struct sg_error *err) SG_MUST_USE;

/* `shipgate audit log` */
int sg_app_audit_log(struct sg_app *app, time_t since, sg_audit_cb cb, void *ctx,
		     struct sg_error *err) SG_MUST_USE;
void sg_audit_event_json(struct sg_jw *w, const struct sg_audit_event *e);

/* `shipgate audit verify`: what it checked, and the first problem found. */
struct sg_audit_verify_report {
	long long events;
	unsigned char head[SG_DIGEST_BYTES];
	long long objects_checked;
	long long signatures_checked;
	int anchor_found;          /* with an anchor: it is in the chain */
	long long baseline_events; /* ledger.baseline events: an upgrade from before the ledger */
	time_t baseline_at;        /* the first one's time */
	int ok;
	long long bad_seq;         /* the first bad event, 0 when the fault is not in the chain */
	char problem[600];
};
/* anchor: hex of an event hash recorded earlier (NULL: none); it must still
 * be in the chain. Returns 0 having filled the report (ok or not), or an
 * error when the store cannot be read. */
int sg_app_audit_verify(struct sg_app *app, const char *anchor, struct sg_audit_verify_report *report,
			struct sg_error *err) SG_MUST_USE;
/* The same checks inside the caller's transaction on store, read or write
 * (`shipgate migrate` verifies its copy before committing it). */
int sg_app_audit_verify_in(struct sg_store *store, const char *anchor, struct sg_audit_verify_report *report,
			   struct sg_error *err) SG_MUST_USE;
/* The one JSON shape of a verification (`audit verify --format json`, the API). */
void sg_audit_verify_json(struct sg_jw *w, const struct sg_audit_verify_report *r, const char *anchor);

#endif
