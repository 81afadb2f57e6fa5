/*
 * Exceptions to the remediation of findings (clause `exceptions`): what one
 * covers, its state at a given time, and the exact bytes an approver signs.
 * Pure: app/ loads them, evidence/ checks signatures.
 *
 *   request --> pending --approve (signed by the approver role)--> active
 *   pending or active --expiry date reached--> expired
 *   pending or active --revoke--> revoked
 *
 * Only an active exception whose signature verifies waives findings.
 */
#ifndef SG_CORE_EXCEPTION_H
#define SG_CORE_EXCEPTION_H

#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "util/hash.h"

enum sg_exception_scope {
	SG_SCOPE_FINDING = 0, /* one finding (by id and fingerprint) */
	SG_SCOPE_RULE,        /* every finding of a tool's rule */
	SG_SCOPE_COMPONENT,   /* every finding in a component (a purl) */
};
const char *sg_scope_name(enum sg_exception_scope scope);
int sg_scope_parse(const char *name, enum sg_exception_scope *out);

enum sg_exception_status {
	SG_EXC_PENDING = 0,
	SG_EXC_ACTIVE,
	SG_EXC_EXPIRED,
	SG_EXC_REVOKED,
};
#define SG_EXC_STATUS_COUNT 4
const char *sg_exception_status_name(enum sg_exception_status status);
int sg_exception_status_parse(const char *name, enum sg_exception_status *out);

#define SG_PUBLIC_KEY_BYTES 32
#define SG_SIGNATURE_BYTES 64

/* An exception as the store returns it; strings are borrowed. */
struct sg_exception {
	long long id;
	enum sg_exception_scope scope;
	long long finding_id;          /* SG_SCOPE_FINDING */
	unsigned char finding_fingerprint[SG_FINGERPRINT_BYTES];
	const char *tool;              /* SG_SCOPE_RULE */
	const char *rule;
	const char *component;         /* SG_SCOPE_COMPONENT */
	long long product_id;          /* 0: every product */
	const char *product;           /* NULL: every product */
	const char *reason;
	const char *expires_on;        /* "YYYY-MM-DD": it stops applying at 00:00 UTC that day */
	time_t expires_at;             /* a copy for queries; status reads expires_on (signed) */
	const char *requester;
	time_t requested_at;
	/* The approval; approver is NULL while pending. */
	const char *approver;
	const char *approver_role;     /* the approver's role now ("viewer" .. "admin") */
	const char *approver_key_id;
	const unsigned char *signature; /* SG_SIGNATURE_BYTES, or NULL */
	size_t signature_len;
	const unsigned char *approver_public_key; /* the signing key as registered; NULL if gone */
	time_t approved_at;
	/* The revocation; revoked_by is NULL unless revoked. */
	const char *revoked_by;
	time_t revoked_at;
	const char *revoke_reason;
};

enum sg_exception_status sg_exception_status_at(const struct sg_exception *e, time_t now);

/*
 * The canonical text an approver signs (docs/exceptions.md): a first line
 * naming the format, then one "name: value" line per field in a fixed
 * order, then the reason's length in bytes and the reason itself, so that no
 * two exceptions share a text. Names and dates hold no line breaks
 * (sg_check_name); the reason may.
 */
int sg_exception_signing_text(const struct sg_exception *e, struct sg_buf *out);

/* "exception 12 expired on 2027-01-31", "exception 12 was revoked by ana on ...". */
void sg_exception_lapse_text(const struct sg_exception *e, time_t now, char *out, size_t size);

#endif
