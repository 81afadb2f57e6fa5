/*
 * `shipgate exception`: request, approve (signed by the policy's approver
 * role), revoke, list. docs/exceptions.md describes the workflow and the
 * exact text an approver signs.
 *
 * Approval is split so that a private key never has to reach the store:
 * sg_app_exception_signing_text() gives the bytes to sign, the approver
 * signs them where the key lives, and sg_app_exception_approve() only
 * verifies the signature against the approver's registered public key.
 */
#ifndef SG_APP_EXCEPTIONS_H
#define SG_APP_EXCEPTIONS_H

#include "app/app.h"
#include "evidence/keys.h"
#include "util/buf.h"
#include "util/json_writer.h"

struct sg_exception_params {
	const char *finding;      /* one of finding, rule ("TOOL:RULE"), component (a purl) */
	const char *rule;
	const char *component;
	const char *product;      /* or all_products */
	int all_products;
	const char *reason;
	const char *expires;      /* YYYY-MM-DD */
	const char *as;           /* the requester */
};

int sg_app_exception_request(struct sg_app *app, const struct sg_exception_params *p, long long *id,
			     struct sg_error *err) SG_MUST_USE;
/* The text an approver signs, whatever the exception's status: an auditor
 * can check a recorded approval with any Ed25519 tool. */
int sg_app_exception_signing_text(struct sg_app *app, long long id, struct sg_buf *out,
				  struct sg_error *err) SG_MUST_USE;
/* SG_EPOLICY (diagnostic approval-refused) with the reason when the
 * approval is not allowed; nothing is written then. */
int sg_app_exception_approve(struct sg_app *app, long long id, const char *as,
			     const struct sg_signature *sig, struct sg_error *err) SG_MUST_USE;
int sg_app_exception_revoke(struct sg_app *app, long long id, const char *as, const char *reason,
			    struct sg_error *err) SG_MUST_USE;

/* status: NULL for all, else pending|active|expired|revoked; product:
 * NULL for all, else that product's and the every-product ones. The
 * callback also gets each exception's status at the time of the call. */
typedef int (*sg_exception_status_cb)(void *ctx, const struct sg_exception *e,
				      enum sg_exception_status status);
int sg_app_exceptions_list(struct sg_app *app, const char *status, const char *product,
			   sg_exception_status_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;

/* One exception with its status now; SG_ENOTFOUND when there is none. */
int sg_app_exception_get(struct sg_app *app, long long id, sg_exception_status_cb cb, void *ctx,
			 struct sg_error *err) SG_MUST_USE;

/* The one JSON shape of an exception (CLI and API). */
void sg_exception_json(struct sg_jw *w, const struct sg_exception *e, enum sg_exception_status status);

int sg_parse_exception_id(const char *text, long long *id, struct sg_error *err) SG_MUST_USE;

#endif
