/* `shipgate release create`: a version of a product, built from a commit. */
#include <stdio.h>

#include "app/app.h"
#include "app/audit.h"
#include "util/timeutil.h"

int sg_app_release_create(struct sg_app *app, const char *product, const char *version,
			  const char *commit, const char *build_digest, long long *id,
			  struct sg_error *err)
{
	struct sg_store *store;
	char sha[72];
	long long product_id;
	time_t now = sg_now();
	int rc;

	if ((rc = sg_check_name(product, "product", err)) || (rc = sg_check_name(version, "version", err)) ||
	    (rc = sg_check_commit(commit, sha, err)))
		return rc;
	if (build_digest && (rc = sg_check_name(build_digest, "build digest", err)))
		return rc;
	rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err);
	if (rc)
		return rc;
	rc = sg_store_begin(store, err);
	if (rc)
		return rc;
	rc = sg_app_product_ensure(app, store, product, now, &product_id, err);
	if (!rc)
		rc = sg_store_release_create(store, product_id, version, sha, build_digest, now, id, err);
	if (!rc) {
		struct sg_audit_note note;
		char label[500];
		snprintf(label, sizeof(label), "release %s %s", product, version);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "product", product);
		sg_jw_kv_string(&note.w, "version", version);
		sg_jw_kv_string(&note.w, "commit", sha);
		sg_jw_kv_string(&note.w, "build_digest", build_digest);
		rc = sg_app_audit(app, store, "release.create", SG_OBJ_RELEASE, *id, label, &note, err);
	}
	if (!rc)
		rc = sg_store_commit(store, err);
	if (rc)
		sg_store_rollback(store);
	return rc;
}
