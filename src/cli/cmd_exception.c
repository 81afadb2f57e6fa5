/* `shipgate exception`: request, approve, revoke, list, and the text to sign. */
#include <stdio.h>
#include <string.h>

#include "app/exceptions.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"
#include "util/limits.h"
#include "util/timeutil.h"

static const char usage[] =
	"shipgate exception request (--finding ID | --rule TOOL:RULE | --component PURL)\n"
	"                 (--product P | --all-products) --reason TEXT --expires YYYY-MM-DD --as NAME\n"
	"  | exception approve ID --as NAME (--key FILE | --signature FILE)\n"
	"  | exception revoke ID --as NAME --reason TEXT\n"
	"  | exception list [--status pending|active|expired|revoked] [--product P] [--format text|json]\n"
	"  | exception payload ID      (the exact text an approver signs)";

static int request(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_exception_params p;
	const struct sg_opt opts[] = {
		{"finding", &p.finding, NULL}, {"rule", &p.rule, NULL},       {"component", &p.component, NULL},
		{"product", &p.product, NULL}, {"all-products", NULL, &p.all_products},
		{"reason", &p.reason, NULL},   {"expires", &p.expires, NULL}, {"as", &p.as, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_args args;
	long long id;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)) ||
	    (rc = sg_args_require(p.as, "as", err)))
		return rc;
	app->actor = p.as;
	if ((rc = sg_app_exception_request(app, &p, &id, err)))
		return rc;
	printf("%lld\n", id);
	fprintf(stderr, "exception %lld requested; pending approval by the policy's approver role\n", id);
	return 0;
}

static int approve(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *as = NULL, *key_path = NULL, *sig_path = NULL;
	const struct sg_opt opts[] = {
		{"as", &as, NULL},
		{"key", &key_path, NULL},
		{"signature", &sig_path, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_secret_key key;
	struct sg_signature sig;
	struct sg_args args;
	struct sg_buf text;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 1, 1, usage, err)) ||
	    (rc = sg_parse_exception_id(args.positional[0], &id, err)) || (rc = sg_args_require(as, "as", err)))
		return rc;
	if (!!key_path == !!sig_path)
		return sg_error_set(err, SG_DIAG_USAGE, "give exactly one of --key FILE and --signature FILE");
	app->actor = as;
	if (sig_path) {
		if ((rc = sg_signature_read(sig_path, &sig, err)))
			return rc;
	} else {
		/* Sign here, where the key is; the store only ever sees the
		 * signature. sg_app_exception_approve() checks the rest. */
		if ((rc = sg_secret_key_read(key_path, &key, err)))
			return rc;
		sg_buf_init(&text, SG_SIGNED_MAX_BYTES);
		rc = sg_app_exception_signing_text(app, id, &text, err);
		if (!rc)
			sg_sign(&key, text.data, text.len, &sig);
		sg_secret_key_wipe(&key);
		sg_buf_release(&text);
		if (rc)
			return rc;
	}
	if ((rc = sg_app_exception_approve(app, id, as, &sig, err)))
		return rc;
	printf("exception %lld approved by %s (key %s)\n", id, as, sig.key_id);
	return 0;
}

static int revoke(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *as = NULL, *reason = NULL;
	const struct sg_opt opts[] = {
		{"as", &as, NULL},
		{"reason", &reason, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_args args;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 1, 1, usage, err)) ||
	    (rc = sg_parse_exception_id(args.positional[0], &id, err)) || (rc = sg_args_require(as, "as", err)))
		return rc;
	app->actor = as;
	if ((rc = sg_app_exception_revoke(app, id, as, reason, err)))
		return rc;
	printf("exception %lld revoked by %s\n", id, as);
	return 0;
}

struct printer {
	struct sg_json_list list;
	int json;
};

static int print_exception(void *ctx, const struct sg_exception *e, enum sg_exception_status st)
{
	struct printer *p = ctx;

	if (p->json) {
		sg_exception_json(sg_json_list_item(&p->list), e, st);
		return 0;
	}
	printf("#%-5lld %-8s ", e->id, sg_exception_status_name(st));
	switch (e->scope) {
	case SG_SCOPE_FINDING:
		printf("finding %lld", e->finding_id);
		break;
	case SG_SCOPE_RULE:
		fputs("rule ", stdout);
		sg_put_safe(stdout, e->tool);
		putchar(':');
		sg_put_safe(stdout, e->rule);
		break;
	case SG_SCOPE_COMPONENT:
		fputs("component ", stdout);
		sg_put_safe(stdout, e->component);
		break;
	}
	fputs(" in ", stdout);
	sg_put_safe(stdout, e->product ? e->product : "every product");
	printf(", expires %s, requested by ", e->expires_on);
	sg_put_safe(stdout, e->requester);
	if (e->approver) {
		fputs(", approved by ", stdout);
		sg_put_safe(stdout, e->approver);
	}
	if (e->revoked_by) {
		fputs(", revoked by ", stdout);
		sg_put_safe(stdout, e->revoked_by);
	}
	fputs("\n       ", stdout);
	sg_put_safe_n(stdout, e->reason, 200);
	putchar('\n');
	return 0;
}

static int list(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *status = NULL, *format = NULL, *product = NULL;
	const struct sg_opt opts[] = {
		{"status", &status, NULL},
		{"product", &product, NULL},
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
	rc = sg_app_exceptions_list(app, status, product, print_exception, &p, err);
	if (!rc && p.json)
		rc = sg_json_list_end(&p.list, err);
	return rc;
}

static int payload(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	struct sg_args args;
	struct sg_buf text;
	long long id;
	int rc;

	if ((rc = sg_args_parse(argc, argv, NULL, &args, err)) || (rc = sg_args_count(&args, 1, 1, usage, err)) ||
	    (rc = sg_parse_exception_id(args.positional[0], &id, err)))
		return rc;
	sg_buf_init(&text, SG_SIGNED_MAX_BYTES);
	rc = sg_app_exception_signing_text(app, id, &text, err);
	if (!rc)
		fwrite(text.data, 1, text.len, stdout);
	sg_buf_release(&text);
	return rc;
}

int sg_cmd_exception(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "request") == 0)
		return request(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "approve") == 0)
		return approve(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "revoke") == 0)
		return revoke(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return list(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "payload") == 0)
		return payload(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}
