/* `shipgate user` and `shipgate key`: people, roles and their public keys. */
#ifndef SG_APP_PEOPLE_H
#define SG_APP_PEOPLE_H

#include "app/app.h"
#include "evidence/keys.h"

int sg_app_user_add(struct sg_app *app, const char *name, const char *role, long long *id,
		    struct sg_error *err) SG_MUST_USE;
/* Register the public key in public_path as NAME's. */
int sg_app_user_key(struct sg_app *app, const char *name, const char *public_path,
		    struct sg_public_key *out, struct sg_error *err) SG_MUST_USE;
int sg_app_users_list(struct sg_app *app, sg_principal_cb cb, void *ctx, struct sg_error *err) SG_MUST_USE;

#endif
