#include "app/people.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "util/timeutil.h"

int sg_app_user_add(struct sg_app *app, const char *name, const char *role_name, long long *id,
		    struct sg_error *err)
{
	struct sg_audit_note note;
	struct sg_store *store;
	enum sg_role role;
	char label[300];
	int rc;

	if ((rc = sg_check_name(name, "user name", err)))
		return rc;
	/* "local:NAME" and "shipgate:..." are the actors shipgate names itself. */
	if (strchr(name, ':'))
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "a user name may not contain \":\"");
	if (!role_name || sg_role_parse(role_name, &role) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--role must be viewer, developer, security, cto or admin, not \"%.40s\"",
				    role_name ? role_name : "");
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_store_principal_add(store, name, role, sg_now(), id, err);
	if (!rc) {
		snprintf(label, sizeof(label), "user %s", name);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "name", name);
		sg_jw_kv_string(&note.w, "role", sg_role_name(role));
		rc = sg_app_audit(app, store, "user.add", SG_OBJ_USER, *id, label, &note, err);
	}
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_user_key(struct sg_app *app, const char *name, const char *public_path, struct sg_public_key *key,
		    struct sg_error *err)
{
	struct sg_audit_note note;
	struct sg_principal who = {0};
	struct sg_store *store;
	char label[300];
	long long id;
	int rc;

	if ((rc = sg_check_name(name, "user name", err)))
		return rc;
	if (!public_path)
		return sg_error_set(err, SG_DIAG_USAGE, "--public FILE.pub is required");
	if ((rc = sg_public_key_read(public_path, key, err)))
		return rc;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_app_audit_check(store, SG_OBJ_USER, 0, err);
	if (!rc)
		rc = sg_store_principal_find(store, name, &who, err);
	if (!rc)
		rc = sg_store_key_add(store, who.id, key->key_id, key->key, sg_now(), &id, err);
	if (!rc) {
		char hex[2 * SG_PUBLIC_KEY_BYTES + 1];
		sg_hex(key->key, SG_PUBLIC_KEY_BYTES, hex);
		snprintf(label, sizeof(label), "key %s of %s", key->key_id, name);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "user", name);
		sg_jw_kv_string(&note.w, "key_id", key->key_id);
		sg_jw_kv_string(&note.w, "public_key", hex);
		rc = sg_app_audit(app, store, "key.register", SG_OBJ_KEY, id, label, &note, err);
	}
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_users_list(struct sg_app *app, sg_principal_cb cb, void *ctx, struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	return sg_store_principals_list(store, cb, ctx, err);
}
