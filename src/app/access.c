/*
 * API tokens and product grants (access.h). The store keeps a token's
 * SHA-256 only; the text is shown once, by `token create`.
 */
#include "app/access.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "evidence/token.h"
#include "util/timeutil.h"

_Static_assert(sizeof(((struct sg_token_info *)0)->prefix) >= SG_TOKEN_SHOWN_BYTES,
	       "token list shows the stored prefix whole");

/* One message for every refusal: the client is not told which check failed. */
static int unauthenticated(struct sg_error *err)
{
	sg_error_clear(err);
	return sg_error_set(err, SG_DIAG_UNAUTHENTICATED, "the token is not valid");
}

/* --expires: a date (sg_time_parse, as an exception's), midnight UTC, after now. */
static int parse_expiry(const char *expires_on, time_t now, time_t *at, struct sg_error *err)
{
	*at = 0;
	if (!expires_on)
		return 0;
	if (strlen(expires_on) != SG_DATE_TEXT - 1 || sg_time_parse(expires_on, at) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--expires must be a date YYYY-MM-DD, not \"%.40s\"",
				    expires_on);
	if (*at <= now)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--expires %s is not in the future", expires_on);
	return 0;
}

int sg_app_token_create(struct sg_app *app, const char *user, const char *expires_on,
			char text[SG_TOKEN_TEXT_BYTES], long long *id, struct sg_error *err)
{
	unsigned char sha[SG_SHA256_BYTES];
	char prefix[SG_TOKEN_SHOWN_BYTES], label[300];
	struct sg_principal who;
	struct sg_audit_note note;
	struct sg_store *store;
	time_t now = sg_now(), expires_at;
	int rc;

	text[0] = '\0';
	if ((rc = sg_check_name(user, "--user", err)) || (rc = parse_expiry(expires_on, now, &expires_at, err)))
		return rc;
	sg_token_generate(text);
	if (sg_token_hash(text, sha) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	sg_token_prefix(text, prefix);
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		goto out;
	rc = sg_store_principal_find(store, user, &who, err);
	if (!rc)
		rc = sg_app_audit_check(store, SG_OBJ_USER, who.id, err);
	if (!rc)
		rc = sg_store_token_insert(store, who.id, sha, prefix, now, expires_at, id, err);
	if (!rc) {
		/* The hash is in the token's state digest, never in the note: a
		 * ledger printed by `audit log` gives nothing to look a token up by. */
		snprintf(label, sizeof(label), "token %lld of %s", *id, user);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "user", user);
		sg_jw_kv_string(&note.w, "prefix", prefix);
		sg_jw_kv_string(&note.w, "expires", expires_on);
		rc = sg_app_audit(app, store, "token.create", SG_OBJ_TOKEN, *id, label, &note, err);
	}
	if (!rc)
		rc = sg_store_commit(store, err);
	else
		sg_store_rollback(store);
out:
	if (rc)
		sg_token_wipe(text);
	return rc;
}

struct one_token {
	int found;
	struct sg_token_record t;
};

static int take_token(void *ctx, const struct sg_token_record *t)
{
	struct one_token *one = ctx;

	one->found = 1;
	one->t = *t;
	return 0;
}

int sg_app_token_revoke(struct sg_app *app, long long id, struct sg_error *err)
{
	struct sg_token_filter filter = {id, 0};
	struct one_token one;
	struct sg_audit_note note;
	struct sg_store *store;
	char label[300];
	int rc;

	memset(&one, 0, sizeof(one));
	if (id <= 0)
		return sg_error_set(err, SG_DIAG_USAGE, "token id %lld is not a positive integer", id);
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_app_audit_check(store, SG_OBJ_TOKEN, id, err);
	if (!rc)
		rc = sg_store_tokens_list(store, &filter, take_token, &one, err);
	if (!rc && !one.found)
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no token %lld", id);
	if (!rc && one.t.revoked)
		rc = sg_error_set(err, SG_DIAG_CONFLICT, "token %lld is revoked already", id);
	if (!rc)
		rc = sg_store_token_revoke(store, id, sg_now(), err);
	if (!rc) {
		const char *user = one.t.user_found ? one.t.user : "(missing user)";
		snprintf(label, sizeof(label), "token %lld of %s", id, user);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "user", user);
		sg_jw_kv_string(&note.w, "prefix", one.t.prefix);
		rc = sg_app_audit(app, store, "token.revoke", SG_OBJ_TOKEN, id, label, &note, err);
	}
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

struct token_lister {
	sg_token_cb cb;
	void *ctx;
};

static int list_one(void *ctx, const struct sg_token_record *t)
{
	struct token_lister *l = ctx;
	struct sg_token_info info;

	memset(&info, 0, sizeof(info));
	info.id = t->id;
	snprintf(info.user, sizeof(info.user), "%s", t->user_found ? t->user : "(missing user)");
	snprintf(info.prefix, sizeof(info.prefix), "%s", t->prefix);
	info.created_at = t->created_at;
	info.expires_at = t->expires_at;
	info.revoked_at = t->revoked ? t->revoked_at : 0;
	return l->cb(l->ctx, &info);
}

int sg_app_tokens_list(struct sg_app *app, const char *user, sg_token_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_token_filter filter = {0, 0};
	struct token_lister lister = {cb, ctx};
	struct sg_principal who;
	struct sg_store *store;
	int rc;

	if (user && (rc = sg_check_name(user, "--user", err)))
		return rc;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	if (user && !(rc = sg_store_principal_find(store, user, &who, err)))
		filter.principal_id = who.id;
	if (!rc)
		rc = sg_store_tokens_list(store, &filter, list_one, &lister, err);
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_authenticate(struct sg_app *app, const char *token, time_t now, struct sg_caller *out,
			struct sg_error *err)
{
	unsigned char sha[SG_SHA256_BYTES];
	struct sg_token_record t;
	struct sg_store *store;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Only text of a token's exact shape is hashed and looked up. */
	if (sg_token_check(token) != 0)
		return unauthenticated(err);
	if (sg_token_hash(token, sha) != 0)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	rc = sg_store_token_find(store, sha, &t, err);
	if (rc == SG_ENOTFOUND)
		return unauthenticated(err);
	if (rc)
		return rc;
	/* The index found the row by its hash; the comparison that decides is
	 * done here, in constant time, not by the store. */
	if (!sg_token_hash_equal(t.sha256, sha) || t.revoked || (t.expires_at && t.expires_at <= now) ||
	    !t.user_found)
		return unauthenticated(err);
	out->user_id = t.principal_id;
	out->token_id = t.id;
	snprintf(out->name, sizeof(out->name), "%s", t.user);
	out->role = t.role;
	return 0;
}

/* `user grant` (add 1) and `user revoke-grant` (add 0). */
static int grant_change(struct sg_app *app, const char *user, const char *product, int add, struct sg_error *err)
{
	struct sg_principal who;
	struct sg_audit_note note;
	struct sg_store *store;
	char label[300];
	int rc;

	if ((rc = sg_check_name(user, "user name", err)) || (rc = sg_check_name(product, "--product", err)))
		return rc;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_store_principal_find(store, user, &who, err);
	if (!rc)
		rc = sg_app_audit_check(store, SG_OBJ_USER, who.id, err);
	if (!rc)
		rc = sg_app_audit_check(store, SG_OBJ_GRANT, who.id, err);
	if (!rc) {
		rc = add ? sg_store_grant_add(store, who.id, product, sg_now(), err)
			 : sg_store_grant_remove(store, who.id, product, err);
		if (rc == SG_ECONFLICT && add)
			rc = sg_error_set(err, SG_DIAG_CONFLICT, "user \"%s\" has product \"%s\" granted already", user,
					  product);
		else if (rc == SG_ECONFLICT)
			rc = sg_error_set(err, SG_DIAG_CONFLICT, "user \"%s\" has no grant for product \"%s\"", user,
					  product);
	}
	if (!rc) {
		snprintf(label, sizeof(label), "grants of %s", user);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "user", user);
		sg_jw_kv_string(&note.w, "product", product);
		rc = sg_app_audit(app, store, add ? "user.grant" : "user.revoke-grant", SG_OBJ_GRANT, who.id, label,
				  &note, err);
	}
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_user_grant(struct sg_app *app, const char *user, const char *product, struct sg_error *err)
{
	return grant_change(app, user, product, 1, err);
}

int sg_app_user_revoke_grant(struct sg_app *app, const char *user, const char *product, struct sg_error *err)
{
	return grant_change(app, user, product, 0, err);
}

int sg_app_user_grants(struct sg_app *app, const char *user, sg_grant_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_principal who;
	struct sg_store *store;
	int rc;

	/* No transaction of its own: `user list` calls this from inside the
	 * listing of users. Nor a check of the name beyond its presence: a
	 * read, it must list the grants of a stored name whatever it holds. */
	if (!user)
		return sg_error_set(err, SG_DIAG_USAGE, "a user name is required");
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) ||
	    (rc = sg_store_principal_find(store, user, &who, err)))
		return rc;
	return sg_store_grants_list(store, who.id, cb, ctx, err);
}

int sg_app_caller_sees_product(struct sg_app *app, const struct sg_caller *caller, const char *product,
			       int *sees, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	*sees = 0;
	if (!product)
		return sg_error_set(err, SG_DIAG_INTERNAL, "no product to check access to");
	if (caller->role == SG_ROLE_ADMIN) {
		*sees = 1;
		return 0;
	}
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	return sg_store_grant_check(store, caller->user_id, product, sees, err);
}

int sg_app_caller_sees_product_id(struct sg_app *app, const struct sg_caller *caller, long long product_id,
				  int *sees, struct sg_error *err)
{
	char name[SG_PRODUCT_NAME_BYTES];
	struct sg_store *store;
	int rc;

	*sees = 0;
	if (caller->role == SG_ROLE_ADMIN) {
		*sees = 1;
		return 0;
	}
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	rc = sg_store_product_name(store, product_id, name, err);
	if (rc == SG_ENOTFOUND) {
		/* No such product: nothing to see, and the caller answers 404 either way. */
		sg_error_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	return sg_store_grant_check(store, caller->user_id, name, sees, err);
}
