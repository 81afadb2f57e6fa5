/* `shipgate audit log` and `shipgate audit verify`. */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"
#include "util/timeutil.h"

static const char usage[] =
	"shipgate audit log [--since DATE] [--format text|json] | audit verify [--anchor HASH] [--format text|json]";

struct printer {
	struct sg_json_list list;
	int json;
};

static int print_event(void *ctx, const struct sg_audit_event *e)
{
	struct printer *p = ctx;
	char when[SG_TIME_TEXT], hash[2 * SG_DIGEST_BYTES + 1];

	if (p->json) {
		sg_audit_event_json(sg_json_list_item(&p->list), e);
		return 0;
	}
	sg_time_format(e->at, when);
	sg_hex(e->hash, SG_DIGEST_BYTES, hash);
	printf("%-5lld %s  ", e->seq, when);
	sg_put_safe(stdout, e->actor);
	putchar(' ');
	sg_put_safe(stdout, e->action);
	putchar(' ');
	sg_put_safe(stdout, e->object_label);
	printf("  %.16s\n      ", hash);
	sg_put_safe_n(stdout, e->payload, 300);
	putchar('\n');
	return 0;
}

static int log_events(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *since = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"since", &since, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_args args;
	struct printer p;
	time_t from = 0;
	int rc, fmt;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)))
		return rc;
	if ((fmt = sg_pick_format(format, formats, err)) < 0)
		return err->code;
	if (since && sg_time_parse(since, &from) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not \"%.40s\"", since);
	memset(&p, 0, sizeof(p));
	p.json = fmt == 1;
	rc = sg_app_audit_log(app, from, print_event, &p, err);
	if (!rc && p.json)
		rc = sg_json_list_end(&p.list, err);
	return rc;
}

static int verify(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *anchor = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"anchor", &anchor, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_audit_verify_report r;
	char head[2 * SG_DIGEST_BYTES + 1];
	struct sg_args args;
	int rc, fmt;

	memset(&r, 0, sizeof(r));
	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)))
		return rc;
	if ((fmt = sg_pick_format(format, formats, err)) < 0)
		return err->code;
	if ((rc = sg_app_audit_verify(app, anchor, &r, err)))
		return rc;
	if (fmt == 1) {
		struct sg_jw w;
		sg_jw_init_file(&w, stdout, 1);
		sg_audit_verify_json(&w, &r, anchor);
		if (sg_jw_finish(&w) != 0)
			return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
		/* The verdict is the exit status, as in text; the report said why. */
		if (!r.ok)
			return sg_error_set(err, SG_DIAG_AUDIT_BROKEN, "audit verify FAILED: %s", r.problem);
		return 0;
	}
	if (!r.ok) {
		if (r.bad_seq)
			return sg_error_set(err, SG_DIAG_AUDIT_BROKEN, "audit verify FAILED at event %lld: %s", r.bad_seq,
					    r.problem);
		return sg_error_set(err, SG_DIAG_AUDIT_BROKEN, "audit verify FAILED: %s", r.problem);
	}
	sg_hex(r.head, SG_DIGEST_BYTES, head);
	printf("audit verify: ok: %lld events chained, %lld objects match the ledger, %lld approval signature%s\n",
	       r.events, r.objects_checked, r.signatures_checked,
	       r.signatures_checked == 1 ? " verifies" : "s verify");
	printf("head %s\n", head);
	if (r.baseline_events) {
		char when[SG_TIME_TEXT];
		sg_time_format(r.baseline_at, when);
		printf("note: the ledger begins with %lld ledger.baseline event%s at %s, an upgrade of a store from "
		       "before the ledger: it vouches for the state found then, not for what came before\n",
		       r.baseline_events, r.baseline_events == 1 ? "" : "s", when);
	}
	if (anchor)
		printf("anchor %.64s is in the chain\n", anchor);
	return 0;
}

int sg_cmd_audit(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "log") == 0)
		return log_events(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return verify(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}
