/*
 * Who may use the API, and which products they see: `shipgate token`
 * (bearer tokens, stored only as their SHA-256) and `shipgate user grant`
 * (a user's access to a product; admins see every product).
 *
 * The server turns a request's bearer token into an sg_caller with
 * sg_app_authenticate(), then asks sg_app_caller_sees_product() before it
 * touches a product: a product the caller cannot see answers 404, exactly
 * like one that does not exist, so its name does not leak.
 */
#ifndef SG_APP_ACCESS_H
#define SG_APP_ACCESS_H

#include <time.h>

#include "app/app.h"
#include "core/principal.h"
#include "util/limits.h"

/* The user a request acts for, once its token is accepted. */
struct sg_caller {
	long long user_id;
	long long token_id;
	char name[SG_PRINCIPAL_NAME_BYTES];
	enum sg_role role;
};

/* A token as `token list` shows it: never the token itself. */
struct sg_token_info {
	long long id;
	char user[SG_PRINCIPAL_NAME_BYTES];
	char prefix[16];     /* the token's first characters ("sgt_" + 8), to tell tokens apart */
	time_t created_at;
	time_t expires_at;   /* 0: never */
	time_t revoked_at;   /* 0: not revoked */
};
typedef int (*sg_token_cb)(void *ctx, const struct sg_token_info *t);

/*
 * `shipgate token create --user NAME [--expires YYYY-MM-DD]`: a new random
 * token for a registered user (SG_ENOTFOUND otherwise). text receives the
 * token, shown once: only its SHA-256 is stored. expires_on NULL: it never
 * expires; else a date in the future (the token stops at 00:00 UTC that day).
 * Audited as "token.create" (the hash is not in the ledger's note).
 */
int sg_app_token_create(struct sg_app *app, const char *user, const char *expires_on,
			char text[SG_TOKEN_TEXT_BYTES], long long *id, struct sg_error *err) SG_MUST_USE;
/* `shipgate token revoke ID`: SG_ENOTFOUND, or SG_ECONFLICT when revoked already. */
int sg_app_token_revoke(struct sg_app *app, long long id, struct sg_error *err) SG_MUST_USE;
/* `shipgate token list [--user NAME]`: in id order; user NULL for all. */
int sg_app_tokens_list(struct sg_app *app, const char *user, sg_token_cb cb, void *ctx,
		       struct sg_error *err) SG_MUST_USE;

/*
 * The caller a bearer token stands for, at `now`. SG_EUSAGE with diagnostic
 * `unauthenticated` for a token that is malformed, unknown, revoked or
 * expired, or whose user is gone (one message for all: the reason is not
 * told to the client). The token is hashed before it is looked up and the
 * stored hash is compared in constant time. Reads only.
 */
int sg_app_authenticate(struct sg_app *app, const char *token, time_t now, struct sg_caller *out,
			struct sg_error *err) SG_MUST_USE;

/* `shipgate user grant NAME --product P` / `user revoke-grant NAME --product P`.
 * The product need not exist yet (products are created by their first
 * ingest). Granting twice, or revoking a grant that is not there: SG_ECONFLICT.
 * Audited as "user.grant" / "user.revoke-grant". */
int sg_app_user_grant(struct sg_app *app, const char *user, const char *product, struct sg_error *err) SG_MUST_USE;
int sg_app_user_revoke_grant(struct sg_app *app, const char *user, const char *product,
			     struct sg_error *err) SG_MUST_USE;
/* The products granted to a user, in name order (for `user list`). */
typedef int (*sg_grant_cb)(void *ctx, const char *product);
int sg_app_user_grants(struct sg_app *app, const char *user, sg_grant_cb cb, void *ctx,
		       struct sg_error *err) SG_MUST_USE;

/* May the caller see this product? Admins see every product; anyone else
 * the products granted to them. *sees 0 or 1. Reads only. */
int sg_app_caller_sees_product(struct sg_app *app, const struct sg_caller *caller, const char *product,
			       int *sees, struct sg_error *err) SG_MUST_USE;
/* The same for a product known by its id (a finding's, an exception's). */
int sg_app_caller_sees_product_id(struct sg_app *app, const struct sg_caller *caller, long long product_id,
				  int *sees, struct sg_error *err) SG_MUST_USE;

#endif
