/* `shipgate token`: create, list and revoke API tokens. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"
#include "evidence/token.h"
#include "util/timeutil.h"

static const char usage[] = "shipgate token create --user NAME [--expires YYYY-MM-DD]\n"
			    "  | token list [--user NAME] [--format text|json]\n"
			    "  | token revoke ID";

static int create(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *user = NULL, *expires = NULL;
	const struct sg_opt opts[] = {
		{"user", &user, NULL},
		{"expires", &expires, NULL},
		{NULL, NULL, NULL},
	};
	char text[SG_TOKEN_TEXT_BYTES];
	struct sg_args args;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)) ||
	    (rc = sg_args_require(user, "user", err)) || (rc = sg_app_token_create(app, user, expires, text, &id, err)))
		return rc;
	/* stdout holds the token alone, for `TOKEN=$(shipgate token create ...)`. */
	printf("%s\n", text);
	sg_token_wipe(text);
	fprintf(stderr, "token %lld created for ", id);
	sg_put_safe(stderr, user);
	fprintf(stderr, "%s%s: it is shown this once (shipgate keeps only its SHA-256)\n",
		expires ? ", valid until " : "", expires ? expires : "");
	return 0;
}

/* A time for people; "never" / "no" when it is 0. */
static void put_time(const char *label, time_t t, const char *none)
{
	char when[SG_TIME_TEXT];

	if (!t) {
		printf("  %s %s", label, none);
		return;
	}
	sg_time_format(t, when);
	printf("  %s %s", label, when);
}

struct printer {
	struct sg_json_list list;
	int json;
};

static int print_token(void *ctx, const struct sg_token_info *t)
{
	struct printer *p = ctx;
	struct sg_jw *w;

	if (p->json) {
		w = sg_json_list_item(&p->list);
		sg_jw_object_begin(w);
		sg_jw_kv_int(w, "id", t->id);
		sg_jw_kv_string(w, "user", t->user);
		sg_jw_kv_string(w, "prefix", t->prefix);
		sg_jw_kv_time(w, "created_at", t->created_at);
		sg_jw_kv_time(w, "expires_at", t->expires_at);
		sg_jw_kv_time(w, "revoked_at", t->revoked_at);
		sg_jw_object_end(w);
		return 0;
	}
	printf("#%-5lld ", t->id);
	sg_put_safe(stdout, t->user);
	fputs("  ", stdout);
	sg_put_safe(stdout, t->prefix);
	fputs("...", stdout);
	put_time("created", t->created_at, "");
	put_time("expires", t->expires_at, "never");
	if (t->revoked_at)
		put_time("revoked", t->revoked_at, "");
	putchar('\n');
	return 0;
}

static int list(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *user = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"user", &user, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_args args;
	struct printer p;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)))
		return rc;
	if ((fmt = sg_pick_format(format, formats, err)) < 0)
		return err->code;
	memset(&p, 0, sizeof(p));
	p.json = fmt == 1;
	rc = sg_app_tokens_list(app, user, print_token, &p, err);
	if (!rc && p.json)
		rc = sg_json_list_end(&p.list, err);
	return rc;
}

static int revoke(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_args args;
	const char *text;
	char *end;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, NULL, &args, err)) || (rc = sg_args_count(&args, 1, 1, usage, err)))
		return rc;
	text = args.positional[0];
	errno = 0;
	id = strtoll(text, &end, 10);
	if (!*text || errno || *end || id <= 0)
		return sg_error_set(err, SG_DIAG_USAGE, "token id \"%.40s\" is not a positive integer", text);
	if ((rc = sg_app_token_revoke(app, id, err)))
		return rc;
	printf("token %lld revoked\n", id);
	return 0;
}

int sg_cmd_token(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc < 1)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	if (strcmp(argv[0], "create") == 0)
		return create(app, argc - 1, argv + 1, err);
	if (strcmp(argv[0], "list") == 0)
		return list(app, argc - 1, argv + 1, err);
	if (strcmp(argv[0], "revoke") == 0)
		return revoke(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}
