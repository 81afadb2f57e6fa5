#include "app/app.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "policy/policy_yaml.h"
#include "util/limits.h"

void sg_app_init(struct sg_app *app, const char *db_url, const char *policy_path)
{
	memset(app, 0, sizeof(*app));
	app->db_url = db_url && *db_url ? db_url : SG_DEFAULT_DB;
	app->policy_path = policy_path;
}

void sg_app_close(struct sg_app *app)
{
	sg_store_close(app->store);
	app->store = NULL;
	if (app->policy_loaded)
		sg_policy_release(&app->policy);
	app->policy_loaded = 0;
}

const char *sg_app_actor(struct sg_app *app)
{
	struct passwd pw, *found = NULL;
	char scratch[1024];

	if (app->actor)
		return app->actor;
	if (getpwuid_r(geteuid(), &pw, scratch, sizeof(scratch), &found) == 0 && found)
		snprintf(app->actor_buf, sizeof(app->actor_buf), "local:%.100s", found->pw_name);
	else
		snprintf(app->actor_buf, sizeof(app->actor_buf), "local:uid %u", (unsigned)geteuid());
	app->actor = app->actor_buf;
	return app->actor;
}

int sg_app_store(struct sg_app *app, int create, struct sg_store **out, struct sg_error *err)
{
	int rc;

	if (!app->store) {
		rc = sg_store_open(app->db_url, create, &app->store, err);
		if (rc)
			return rc;
	}
	*out = app->store;
	return 0;
}

/* Only says which file to read; the read itself opens it once and fails
 * cleanly if it went away meanwhile. */
static int policy_file_present(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int sg_app_policy(struct sg_app *app, const struct sg_policy **out, struct sg_error *err)
{
	int rc;

	if (!app->policy_loaded) {
		if (app->policy_path)
			rc = sg_policy_load_file(app->policy_path, &app->policy, err);
		else if (policy_file_present(SG_DEFAULT_POLICY_FILE))
			rc = sg_policy_load_file(SG_DEFAULT_POLICY_FILE, &app->policy, err);
		else
			rc = sg_policy_load_builtin(&app->policy, err);
		if (rc)
			return rc;
		app->policy_loaded = 1;
	}
	*out = &app->policy;
	return 0;
}

/* The policy's severity overrides changed stored severities: a state
 * change of the product's findings, for the ledger. */
static int audit_overrides(struct sg_app *app, struct sg_store *store, long long product_id,
			   const char *product, struct sg_error *err)
{
	struct sg_audit_note note;
	char label[300];

	snprintf(label, sizeof(label), "findings of product %s", product);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "cause", "the policy's severity_overrides changed");
	return sg_app_audit(app, store, "findings.severity", SG_OBJ_FINDINGS, product_id, label, &note, err);
}

int sg_app_begin_synced(struct sg_app *app, struct sg_store *store, long long product_id,
			const char *product, struct sg_error *err)
{
	const struct sg_policy *policy;
	int rc, changed;

	if ((rc = sg_app_policy(app, &policy, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_store_findings_apply_overrides(store, product_id, policy, &changed, err);
	if (rc == 0 && !changed)
		return 0;
	/* The overrides change stored severities: undo, and do it again under
	 * the write lock (upgrading a read fails at once while another process
	 * writes; the write lock waits for it), after checking that the
	 * findings are as the ledger recorded them, so that the event of this
	 * change does not vouch for tampered rows. */
	sg_store_rollback(store);
	if (rc != 0 && rc != SG_ESTORE)
		return rc;
	sg_error_clear(err);
	if ((rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_app_audit_check(store, SG_OBJ_FINDINGS, product_id, err);
	if (!rc)
		rc = sg_store_findings_apply_overrides(store, product_id, policy, &changed, err);
	if (!rc && changed)
		rc = audit_overrides(app, store, product_id, product, err);
	if (rc)
		sg_store_rollback(store);
	return rc;
}

int sg_check_name(const char *value, const char *what, struct sg_error *err)
{
	size_t i, len;

	if (!value || !*value)
		return sg_error_set(err, SG_DIAG_USAGE, "%s must not be empty", what);
	len = strlen(value);
	if (len > SG_MAX_NAME_BYTES)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "%s is longer than %d bytes", what,
				    SG_MAX_NAME_BYTES);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c < 0x20 || c == 0x7f)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "%s contains a control character", what);
	}
	return 0;
}

int sg_commits_match(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la < 7 || lb < 7)
		return strcmp(a, b) == 0;
	return strncmp(a, b, la < lb ? la : lb) == 0;
}

int sg_check_commit(const char *value, char out[72], struct sg_error *err)
{
	size_t i, len = value ? strlen(value) : 0;

	if (len < 7 || len > SG_MAX_COMMIT_BYTES)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "commit \"%.80s\" is not a git commit id (7 to 64 hex digits)",
				    value ? value : "");
	for (i = 0; i < len; i++) {
		char c = value[i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return sg_error_set(err, SG_DIAG_BAD_VALUE,
					    "commit \"%.80s\" is not a git commit id (7 to 64 hex digits)", value);
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

int sg_app_resolve_commit(struct sg_store *store, long long product_id, const char *commit_arg,
			  const char *release, char out[72], const char **commit, struct sg_error *err)
{
	struct sg_release rel;
	int rc;

	*commit = NULL;
	if (commit_arg) {
		if ((rc = sg_check_commit(commit_arg, out, err)))
			return rc;
		*commit = out;
	}
	if (!release)
		return 0;
	rc = sg_store_release_find(store, product_id, release, &rel, err);
	if (rc == SG_ENOTFOUND) {
		sg_error_clear(err);
		return 0; /* evidence may arrive before the release is cut */
	}
	if (rc)
		return rc;
	if (!*commit) {
		snprintf(out, 72, "%s", rel.commit);
		*commit = out;
	} else if (!sg_commits_match(*commit, rel.commit)) {
		return sg_error_set(err, SG_DIAG_CONFLICT, "--commit %s differs from release %s's commit %s", *commit,
				    release, rel.commit);
	} else if (strlen(rel.commit) > strlen(*commit)) {
		/* A short --commit names the release's commit: record it in full. */
		snprintf(out, 72, "%s", rel.commit);
	}
	return 0;
}
