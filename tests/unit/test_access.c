/*
 * app/access: API tokens and product grants as the server uses them
 * (docs/api.md "Tokens and roles"): a bearer token becomes a caller only
 * while it is known, unrevoked and unexpired and its user exists, with one
 * diagnostic for every refusal; a caller sees the products granted to them,
 * an admin every product. Each case runs against its own store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/access.h"
#include "app/audit.h"
#include "app/people.h"
#include "evidence/token.h"
#include "util/timeutil.h"

#define NOW_TEXT "2030-01-01T00:00:00Z"

static char tmpdir[128];
static unsigned case_counter;

struct fx {
	char db_path[300];
	char url[320];
	char policy[300];
	struct sg_app app;
	struct sg_error err;
};
static struct fx fx;

#define OK(call)                                                                                   \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s returned %d: %s [%s]", #call, rc_, fx.err.message,             \
				 sg_diag_id(fx.err.diag));                                         \
	} while (0)

static void remove_dir(const char *path)
{
	char child[512];
	struct dirent *e;
	DIR *d = opendir(path);

	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			unlink(child);
		}
		closedir(d);
	}
	rmdir(path);
}

static int group_setup(void **state)
{
	(void)state;
	if (sg_crypto_init() != 0)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-access-test-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	remove_dir(tmpdir);
	return 0;
}

/* A new store with a policy file, users ana (developer) and root (admin),
 * and the clock at NOW_TEXT. */
static int case_setup(void **state)
{
	struct sg_init_report report;
	long long id;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	case_counter++;
	snprintf(fx.db_path, sizeof(fx.db_path), "%s/case%u.db", tmpdir, case_counter);
	snprintf(fx.url, sizeof(fx.url), "sqlite:%s", fx.db_path);
	snprintf(fx.policy, sizeof(fx.policy), "%s/policy%u.yml", tmpdir, case_counter);
	setenv("SHIPGATE_NOW", NOW_TEXT, 1);
	sg_app_init(&fx.app, fx.url, fx.policy);
	sg_error_clear(&fx.err);
	if (sg_app_init_store(&fx.app, fx.policy, &report, &fx.err) != 0 ||
	    sg_app_user_add(&fx.app, "ana", "developer", &id, &fx.err) != 0 ||
	    sg_app_user_add(&fx.app, "root", "admin", &id, &fx.err) != 0)
		return -1;
	return 0;
}

static int case_teardown(void **state)
{
	(void)state;
	sg_app_close(&fx.app);
	unsetenv("SHIPGATE_NOW");
	return 0;
}

static time_t at(const char *text)
{
	time_t t = 0;

	assert_int_equal(sg_time_parse(text, &t), 0);
	return t;
}

static long long create(const char *user, const char *expires, char text[SG_TOKEN_TEXT_BYTES])
{
	long long id = 0;

	OK(sg_app_token_create(&fx.app, user, expires, text, &id, &fx.err));
	assert_true(id > 0);
	assert_int_equal(sg_token_check(text), 0);
	return id;
}

/* Refused with `unauthenticated` and the one message; returns the message. */
static void refused(const char *token, time_t now, char message[512])
{
	struct sg_caller c;

	sg_error_clear(&fx.err);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(sg_app_authenticate(&fx.app, token, now, &c, &fx.err), SG_EUSAGE);
	assert_int_equal(fx.err.diag, SG_DIAG_UNAUTHENTICATED);
	assert_int_equal(c.user_id, 0); /* nothing of a caller is left */
	assert_int_equal(c.name[0], '\0');
	if (message[0])
		assert_string_equal(fx.err.message, message); /* the same for every reason */
	else
		snprintf(message, 512, "%s", fx.err.message);
}

static void verify_ledger(void)
{
	struct sg_audit_verify_report r;

	OK(sg_app_audit_verify(&fx.app, NULL, &r, &fx.err));
	if (!r.ok)
		fail_msg("audit verify: %s", r.problem);
}

static void test_authenticate(void **state)
{
	char ana_text[SG_TOKEN_TEXT_BYTES], root_text[SG_TOKEN_TEXT_BYTES];
	struct sg_caller c;
	struct sg_principal p;
	long long ana_token, root_token;
	struct sg_store *store;

	(void)state;
	ana_token = create("ana", NULL, ana_text);
	root_token = create("root", NULL, root_text);
	assert_string_not_equal(ana_text, root_text);

	OK(sg_app_authenticate(&fx.app, ana_text, at(NOW_TEXT), &c, &fx.err));
	OK(sg_app_store(&fx.app, SG_STORE_OPEN_EXISTING, &store, &fx.err));
	OK(sg_store_principal_find(store, "ana", &p, &fx.err));
	assert_int_equal(c.user_id, p.id);
	assert_int_equal(c.token_id, ana_token);
	assert_string_equal(c.name, "ana");
	assert_int_equal(c.role, SG_ROLE_DEVELOPER);
	/* A token without --expires: any time later. */
	OK(sg_app_authenticate(&fx.app, ana_text, at("9999-12-31T23:59:59Z"), &c, &fx.err));

	OK(sg_app_authenticate(&fx.app, root_text, at(NOW_TEXT), &c, &fx.err));
	assert_string_equal(c.name, "root");
	assert_int_equal(c.role, SG_ROLE_ADMIN);
	assert_int_equal(c.token_id, root_token);
	verify_ledger();
}

/* Malformed or unknown: refused before or after the lookup, alike. */
static void test_authenticate_refuses_text(void **state)
{
	char good[SG_TOKEN_TEXT_BYTES], t[SG_TOKEN_TEXT_BYTES + 16], message[512] = "";
	struct sg_caller c;

	(void)state;
	(void)create("ana", NULL, good);
	refused(NULL, at(NOW_TEXT), message);
	refused("", at(NOW_TEXT), message);
	refused("sgt_", at(NOW_TEXT), message);
	snprintf(t, sizeof(t), "Bearer %s", good);
	refused(t, at(NOW_TEXT), message);
	snprintf(t, sizeof(t), "%s ", good);
	refused(t, at(NOW_TEXT), message);
	snprintf(t, sizeof(t), "%.*s", SG_TOKEN_TEXT_LEN - 1, good);
	refused(t, at(NOW_TEXT), message);
	/* Well shaped, and unknown: another token, or one character changed. */
	sg_token_generate(t);
	refused(t, at(NOW_TEXT), message);
	snprintf(t, sizeof(t), "%s", good);
	t[10] = t[10] == 'A' ? 'B' : 'A';
	refused(t, at(NOW_TEXT), message);
	/* The good one still works. */
	OK(sg_app_authenticate(&fx.app, good, at(NOW_TEXT), &c, &fx.err));
}

/* "Expired: expires_at <= now": the token stops at 00:00 UTC of its date. */
static void test_authenticate_expiry(void **state)
{
	char text[SG_TOKEN_TEXT_BYTES], message[512] = "";
	struct sg_caller c;

	(void)state;
	(void)create("ana", "2030-01-10", text);
	OK(sg_app_authenticate(&fx.app, text, at(NOW_TEXT), &c, &fx.err));
	OK(sg_app_authenticate(&fx.app, text, at("2030-01-09T23:59:59Z"), &c, &fx.err));
	refused(text, at("2030-01-10T00:00:00Z"), message);
	refused(text, at("2031-01-01T00:00:00Z"), message);
}

static void test_authenticate_revoked(void **state)
{
	char text[SG_TOKEN_TEXT_BYTES], other[SG_TOKEN_TEXT_BYTES], message[512] = "";
	struct sg_caller c;
	long long id;

	(void)state;
	id = create("ana", NULL, text);
	(void)create("ana", NULL, other);
	OK(sg_app_token_revoke(&fx.app, id, &fx.err));
	refused(text, at(NOW_TEXT), message);
	/* Only that one. */
	OK(sg_app_authenticate(&fx.app, other, at(NOW_TEXT), &c, &fx.err));

	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_revoke(&fx.app, id, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_revoke(&fx.app, id + 100, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_revoke(&fx.app, 0, &fx.err), SG_EUSAGE);
	verify_ledger();
}

/* A token whose user's row is gone (behind shipgate's back) is refused. */
static void test_authenticate_user_gone(void **state)
{
	char text[SG_TOKEN_TEXT_BYTES], message[512] = "";
	sqlite3 *db = NULL;

	(void)state;
	(void)create("ana", NULL, text);
	assert_int_equal(sqlite3_open(fx.db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM principal WHERE name = 'ana'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	refused(text, at(NOW_TEXT), message);
}

static int count_token(void *ctx, const struct sg_token_info *t)
{
	(void)t;
	(*(int *)ctx)++;
	return 0;
}

/* Refused creations write nothing and hand out no token. */
static void test_create_refused(void **state)
{
	char text[SG_TOKEN_TEXT_BYTES];
	long long id = 0;
	int n = 0;

	(void)state;
	sg_error_clear(&fx.err);
	memset(text, 'x', sizeof(text));
	assert_int_equal(sg_app_token_create(&fx.app, "nobody", NULL, text, &id, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	assert_int_equal(text[0], '\0');
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_create(&fx.app, "ana", "2030-01-01", text, &id, &fx.err), SG_EUSAGE);
	assert_int_equal(fx.err.diag, SG_DIAG_BAD_VALUE); /* today is not in the future */
	assert_int_equal(text[0], '\0');
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_create(&fx.app, "ana", "2029-12-31", text, &id, &fx.err), SG_EUSAGE);
	assert_int_equal(fx.err.diag, SG_DIAG_BAD_VALUE);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_create(&fx.app, "ana", "2030-1-02", text, &id, &fx.err), SG_EUSAGE);
	assert_int_equal(fx.err.diag, SG_DIAG_BAD_VALUE);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_token_create(&fx.app, NULL, NULL, text, &id, &fx.err), SG_EUSAGE);
	assert_int_equal(fx.err.diag, SG_DIAG_USAGE);
	OK(sg_app_tokens_list(&fx.app, NULL, count_token, &n, &fx.err));
	assert_int_equal(n, 0);
	(void)create("ana", "2030-01-02", text); /* tomorrow is */
	OK(sg_app_tokens_list(&fx.app, NULL, count_token, &n, &fx.err));
	assert_int_equal(n, 1);
	verify_ledger();
}

struct infos {
	int n;
	struct sg_token_info t[8];
};

static int collect_info(void *ctx, const struct sg_token_info *t)
{
	struct infos *l = ctx;

	if (l->n < 8)
		l->t[l->n] = *t;
	l->n++;
	return 0;
}

static void test_tokens_list(void **state)
{
	char a[SG_TOKEN_TEXT_BYTES], b[SG_TOKEN_TEXT_BYTES], c[SG_TOKEN_TEXT_BYTES];
	struct infos l;
	long long ia, ib, ic;

	(void)state;
	ia = create("ana", NULL, a);
	ib = create("root", "2030-02-01", b);
	ic = create("ana", NULL, c);
	OK(sg_app_token_revoke(&fx.app, ic, &fx.err));

	memset(&l, 0, sizeof(l));
	OK(sg_app_tokens_list(&fx.app, NULL, collect_info, &l, &fx.err));
	assert_int_equal(l.n, 3);
	assert_int_equal(l.t[0].id, ia);
	assert_int_equal(l.t[1].id, ib);
	assert_int_equal(l.t[2].id, ic);
	assert_string_equal(l.t[0].user, "ana");
	assert_string_equal(l.t[1].user, "root");
	assert_memory_equal(l.t[0].prefix, a, SG_TOKEN_SHOWN_LEN);
	assert_int_equal(strlen(l.t[0].prefix), SG_TOKEN_SHOWN_LEN);
	assert_int_equal(l.t[0].created_at, at(NOW_TEXT));
	assert_int_equal(l.t[0].expires_at, 0);
	assert_int_equal(l.t[1].expires_at, at("2030-02-01"));
	assert_int_equal(l.t[0].revoked_at, 0);
	assert_int_equal(l.t[2].revoked_at, at(NOW_TEXT));

	memset(&l, 0, sizeof(l));
	OK(sg_app_tokens_list(&fx.app, "ana", collect_info, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.t[1].id, ic);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_tokens_list(&fx.app, "nobody", collect_info, &l, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
}

static int sees(const struct sg_caller *c, const char *product)
{
	int s = -1;

	OK(sg_app_caller_sees_product(&fx.app, c, product, &s, &fx.err));
	assert_true(s == 0 || s == 1);
	return s;
}

static int sees_id(const struct sg_caller *c, long long id)
{
	int s = -1;

	OK(sg_app_caller_sees_product_id(&fx.app, c, id, &s, &fx.err));
	assert_true(s == 0 || s == 1);
	return s;
}

struct names {
	int n;
	char name[8][32];
};

static int collect_name(void *ctx, const char *product)
{
	struct names *l = ctx;

	if (l->n < 8)
		snprintf(l->name[l->n], sizeof(l->name[0]), "%s", product);
	l->n++;
	return 0;
}

/* "Admins see every product; anyone else the products granted to them." */
static void test_grants_and_visibility(void **state)
{
	char ana_text[SG_TOKEN_TEXT_BYTES], root_text[SG_TOKEN_TEXT_BYTES];
	struct sg_caller ana, root;
	struct sg_store *store;
	struct names l;
	long long web = 0, api = 0;

	(void)state;
	(void)create("ana", NULL, ana_text);
	(void)create("root", NULL, root_text);
	OK(sg_app_authenticate(&fx.app, ana_text, at(NOW_TEXT), &ana, &fx.err));
	OK(sg_app_authenticate(&fx.app, root_text, at(NOW_TEXT), &root, &fx.err));
	OK(sg_app_store(&fx.app, SG_STORE_OPEN_EXISTING, &store, &fx.err));
	OK(sg_store_begin(store, &fx.err));
	OK(sg_app_product_ensure(&fx.app, store, "web", at(NOW_TEXT), &web, &fx.err));
	OK(sg_app_product_ensure(&fx.app, store, "api", at(NOW_TEXT), &api, &fx.err));
	OK(sg_store_commit(store, &fx.err));

	assert_int_equal(sees(&ana, "web"), 0);
	assert_int_equal(sees_id(&ana, web), 0);
	assert_int_equal(sees(&root, "web"), 1);
	assert_int_equal(sees(&root, "no-such-product"), 1);
	assert_int_equal(sees_id(&root, api), 1);

	OK(sg_app_user_grant(&fx.app, "ana", "web", &fx.err));
	OK(sg_app_user_grant(&fx.app, "ana", "later", &fx.err)); /* not created yet */
	assert_int_equal(sees(&ana, "web"), 1);
	assert_int_equal(sees_id(&ana, web), 1);
	assert_int_equal(sees(&ana, "api"), 0);
	assert_int_equal(sees_id(&ana, api), 0);
	assert_int_equal(sees(&ana, "later"), 1);
	assert_int_equal(sees(&ana, "Web"), 0);
	assert_int_equal(sees_id(&ana, web + api + 100), 0); /* no such product: not an error */

	memset(&l, 0, sizeof(l));
	OK(sg_app_user_grants(&fx.app, "ana", collect_name, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.name[0], "later");
	assert_string_equal(l.name[1], "web");

	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_user_grant(&fx.app, "ana", "web", &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_user_revoke_grant(&fx.app, "ana", "api", &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_user_grant(&fx.app, "nobody", "web", &fx.err), SG_ENOTFOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_user_grant(&fx.app, "ana", "", &fx.err), SG_EUSAGE);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_app_user_grants(&fx.app, "nobody", collect_name, &l, &fx.err), SG_ENOTFOUND);

	OK(sg_app_user_revoke_grant(&fx.app, "ana", "web", &fx.err));
	assert_int_equal(sees(&ana, "web"), 0);
	assert_int_equal(sees_id(&ana, web), 0);
	OK(sg_app_user_revoke_grant(&fx.app, "ana", "later", &fx.err));
	memset(&l, 0, sizeof(l));
	OK(sg_app_user_grants(&fx.app, "ana", collect_name, &l, &fx.err));
	assert_int_equal(l.n, 0);
	verify_ledger();
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, case_setup, case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE(test_authenticate),
		CASE(test_authenticate_refuses_text),
		CASE(test_authenticate_expiry),
		CASE(test_authenticate_revoked),
		CASE(test_authenticate_user_gone),
		CASE(test_create_refused),
		CASE(test_tokens_list),
		CASE(test_grants_and_visibility),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
