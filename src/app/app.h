/*
 * app/: each verb of shipgate written once. cli/ (and later server/) turn
 * their input into these calls and the results into text, JSON or a status.
 *
 * An sg_app holds what every verb needs: the store URL and policy choice,
 * opened on demand.
 */
#ifndef SG_APP_APP_H
#define SG_APP_APP_H

#include "core/policy.h"
#include "store/store.h"
#include "util/error.h"

#define SG_DEFAULT_DB "sqlite:.shipgate/shipgate.db"
#define SG_DEFAULT_POLICY_FILE "shipgate.yml"

struct sg_app {
	const char *db_url;      /* --db, $SHIPGATE_DB, or SG_DEFAULT_DB */
	const char *policy_path; /* --policy; NULL: ./shipgate.yml if present, else built-in */
	struct sg_store *store;
	struct sg_policy policy;
	int policy_loaded;
	/* Who acts, as the audit ledger records it: the CLI sets a principal's
	 * name for verbs with --as; otherwise "local:" and the login name. */
	const char *actor;
	char actor_buf[160];
};

const char *sg_app_actor(struct sg_app *app);

void sg_app_init(struct sg_app *app, const char *db_url, const char *policy_path);
void sg_app_close(struct sg_app *app);
int sg_app_store(struct sg_app *app, int create, struct sg_store **out, struct sg_error *err) SG_MUST_USE;
int sg_app_policy(struct sg_app *app, const struct sg_policy **out, struct sg_error *err) SG_MUST_USE;

/*
 * Start a transaction in which the product's stored severities follow the
 * policy's overrides, for a verb that reads them (gate, findings). When they
 * already do (nearly always), nothing is written and no write lock is taken,
 * so a reader never waits for a running ingest; otherwise the overrides are
 * applied under the write lock, waiting for it. Either way the caller reads in
 * the same transaction, so no other policy's overrides can slip in between,
 * and ends it with sg_store_commit() (or sg_store_rollback() on error).
 */
int sg_app_begin_synced(struct sg_app *app, struct sg_store *store, long long product_id,
			const char *product, struct sg_error *err) SG_MUST_USE;

/* Input checks shared by every verb; SG_EUSAGE with a message naming `what`. */
int sg_check_name(const char *value, const char *what, struct sg_error *err) SG_MUST_USE;
/* Do two commit ids name the same commit (equal, or one a prefix of the
 * other, both of at least 7 digits)? */
int sg_commits_match(const char *a, const char *b);
/* A git commit: 7 to 64 hex digits; lower-cased into out. */
int sg_check_commit(const char *value, char out[72], struct sg_error *err) SG_MUST_USE;

/*
 * The commit evidence belongs to: --commit, else the release's; both given
 * must agree (SG_ECONFLICT). A release not cut yet is no error: evidence
 * may arrive first. *commit points into out, or is NULL when neither names
 * one.
 */
int sg_app_resolve_commit(struct sg_store *store, long long product_id, const char *commit_arg,
			  const char *release, char out[72], const char **commit, struct sg_error *err) SG_MUST_USE;

/* `shipgate init`: create the store, write the starter policy unless one exists. */
struct sg_init_report {
	int wrote_policy;        /* 0: a policy file existed and was kept */
	char policy_path[256];
};
int sg_app_init_store(struct sg_app *app, const char *policy_out, struct sg_init_report *report,
		      struct sg_error *err) SG_MUST_USE;

/* `shipgate release create` */
int sg_app_release_create(struct sg_app *app, const char *product, const char *version,
			  const char *commit, const char *build_digest, long long *id,
			  struct sg_error *err) SG_MUST_USE;

#endif
