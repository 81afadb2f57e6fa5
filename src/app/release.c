/* `shipgate release create`: a version of a product, built from a commit. */
#include "app/app.h"
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
	rc = sg_store_product_ensure(store, product, now, &product_id, err);
	if (!rc)
		rc = sg_store_release_create(store, product_id, version, sha, build_digest, now, id, err);
	if (!rc)
		rc = sg_store_commit(store, err);
	if (rc)
		sg_store_rollback(store);
	return rc;
}
