/*
 * The audit ledger (docs/audit.md): every state change appends one event,
 * chained to the one before by hash, so that an edit, deletion, reordering
 * or insertion anywhere shows. Each event also carries the digest of the
 * state it left its object in (an exception, a user, the findings of a
 * product ...), so `audit verify` can hold every audited table against the
 * ledger: a row changed, added or removed behind shipgate's back no longer
 * matches the latest event of its object. Pure: the hashing rules only.
 */
#ifndef SG_CORE_AUDIT_H
#define SG_CORE_AUDIT_H

#include <time.h>

#include "util/hash.h"

/* The objects whose state the ledger vouches for. */
enum sg_object_kind {
	SG_OBJ_POLICY = 0, /* id 0; state: sha256 of the policy text */
	SG_OBJ_PRODUCT,
	SG_OBJ_USER,
	SG_OBJ_KEY,
	SG_OBJ_EXCEPTION,
	SG_OBJ_RELEASE,
	SG_OBJ_INGEST,     /* an ingest and its scans */
	SG_OBJ_FINDINGS,   /* id: a product; state: its findings in id order */
	SG_OBJ_HISTORY,    /* id: a product; state: its findings' events in id order */
	SG_OBJ_SBOM,       /* id: a scan of kind sca; state: its components and VEX statements */
	SG_OBJ_VULNDB,     /* id 1; state: every OSV record with its packages */
	SG_OBJ_TOKEN,      /* an API token: its row, the SHA-256 of its text included */
	SG_OBJ_GRANT,      /* id: a user; state: the products granted to them, in name order */
};
#define SG_OBJ_COUNT 13
/* The kinds the ledger had when it began (store migration 2), which a
 * baseline records. */
#define SG_OBJ_COUNT_LEDGER_V1 9
const char *sg_object_kind_name(enum sg_object_kind kind);
int sg_object_kind_parse(const char *name, enum sg_object_kind *out);

struct sg_audit_event {
	long long seq;             /* 1, 2, 3 ... without gaps */
	time_t at;
	const char *actor;
	const char *action;        /* "exception.approve" */
	enum sg_object_kind object_kind;
	long long object_id;
	const char *object_label;  /* for people: "exception 12", "product demo-app" */
	const char *payload;       /* JSON: what changed */
	int has_state;
	unsigned char state[SG_DIGEST_BYTES];
	unsigned char prev_hash[SG_DIGEST_BYTES]; /* zeros for the first event */
	unsigned char hash[SG_DIGEST_BYTES];
	/* Set by a store when a stored field is not of its type, not of its
	 * size, or holds a NUL byte: such an event was altered, whatever its
	 * hash says (a hash over C strings would not see past the NUL). */
	int malformed;
};

/* The event's hash over every field above but `hash` (docs/audit.md). */
void sg_audit_hash(const struct sg_audit_event *e, unsigned char out[SG_DIGEST_BYTES]);

#endif
