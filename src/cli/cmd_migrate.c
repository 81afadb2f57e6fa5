/* `shipgate migrate --from URL --to URL [--format text|json]` */
#include <stdio.h>
#include <string.h>

#include "app/migrate.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/safe_text.h"
#include "util/json_writer.h"

static const char usage[] = "shipgate migrate --from URL --to URL [--format text|json]";

static int print_json(const struct sg_migrate_report *r, struct sg_error *err)
{
	struct sg_jw w;
	size_t i;

	sg_jw_init_file(&w, stdout, 1);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "from", r->from);
	sg_jw_kv_string(&w, "to", r->to);
	sg_jw_key(&w, "tables");
	sg_jw_array_begin(&w);
	for (i = 0; i < r->n_tables; i++) {
		sg_jw_object_begin(&w);
		sg_jw_kv_string(&w, "table", r->tables[i].name);
		sg_jw_kv_int(&w, "rows", r->tables[i].rows);
		sg_jw_object_end(&w);
	}
	sg_jw_array_end(&w);
	sg_jw_kv_int(&w, "rows", r->rows);
	sg_jw_key(&w, "copy_seconds");
	sg_jw_double(&w, r->copy_seconds);
	sg_jw_key(&w, "verify_seconds");
	sg_jw_double(&w, r->verify_seconds);
	sg_jw_key(&w, "audit_verify");
	sg_audit_verify_json(&w, &r->verify, NULL);
	sg_jw_object_end(&w);
	if (sg_jw_finish(&w) != 0)
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
	return 0;
}

static void print_text(const struct sg_migrate_report *r)
{
	size_t i;

	fputs("migrate: copied ", stdout);
	sg_put_safe(stdout, r->from);
	fputs(" into ", stdout);
	sg_put_safe(stdout, r->to);
	putchar('\n');
	for (i = 0; i < r->n_tables; i++)
		printf("  %-16s %12lld\n", r->tables[i].name, r->tables[i].rows);
	printf("  %-16s %12lld rows copied in %.2f s", "total", r->rows, r->copy_seconds);
	if (r->copy_seconds > 0)
		printf(" (%.0f rows/s)", (double)r->rows / r->copy_seconds);
	putchar('\n');
	printf("audit verify on the copy: ok: %lld events chained, %lld objects match the ledger, %lld approval "
	       "signature%s (%.2f s)\n",
	       r->verify.events, r->verify.objects_checked, r->verify.signatures_checked,
	       r->verify.signatures_checked == 1 ? " verifies" : "s verify", r->verify_seconds);
}

int sg_cmd_migrate(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *from = NULL, *to = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"from", &from, NULL},
		{"to", &to, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_migrate_report r;
	struct sg_args args;
	int rc, fmt;

	(void)app; /* the stores are named here, not by --db */
	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)) ||
	    (rc = sg_args_require(from, "from", err)) || (rc = sg_args_require(to, "to", err)))
		return rc;
	if ((fmt = sg_pick_format(format, formats, err)) < 0)
		return err->code;
	if ((rc = sg_app_migrate(from, to, &r, err)))
		return rc;
	if (fmt == 1)
		return print_json(&r, err);
	print_text(&r);
	return 0;
}
