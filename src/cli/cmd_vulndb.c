/* `shipgate vulndb import PATH...` and `shipgate vulndb status`. */
#include <stdio.h>
#include <string.h>

#include "app/sca.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json_list.h"
#include "cli/safe_text.h"

static int import(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const struct sg_opt opts[] = {{NULL, NULL, NULL}};
	struct sg_vulndb_report r;
	struct sg_args args;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, SG_MAX_POSITIONAL, "shipgate vulndb import PATH...", err)))
		return rc;
	if ((rc = sg_app_vulndb_import(app, args.positional, args.n_positional, &r, err)))
		return rc;
	printf("%lld record%s read: %lld added, %lld updated (%lld withdrawn), %lld unchanged\n", r.files,
	       r.files == 1 ? "" : "s", r.added, r.updated, r.withdrawn, r.unchanged);
	if (r.added + r.updated == 0) {
		printf("nothing new: the database and findings are unchanged\n");
		return 0;
	}
	if (r.products == 0) {
		printf("no SBOM is stored yet: nothing to match again\n");
		return 0;
	}
	printf("matched again: %lld product%s newest SBOM%s: %lld new finding%s, %lld reopened, %lld fixed\n",
	       r.products, r.products == 1 ? "'s" : "s'", r.products == 1 ? "" : "s", r.match.new_findings,
	       r.match.new_findings == 1 ? "" : "s", r.match.reopened, r.match.fixed);
	return 0;
}

struct status_printer {
	int json;
	struct sg_json_list list;
	long long total;
};

static int print_count(void *ctx, const struct sg_vulndb_count *c)
{
	struct status_printer *p = ctx;

	if (p->json) {
		struct sg_jw *w = sg_json_list_item(&p->list);
		sg_jw_object_begin(w);
		sg_jw_kv_string(w, "ecosystem", c->eco_base);
		sg_jw_kv_int(w, "records", c->records);
		sg_jw_kv_int(w, "withdrawn", c->withdrawn);
		sg_jw_kv_string(w, "newest_modified", c->newest_modified);
		sg_jw_object_end(w);
		return 0;
	}
	if (p->total++ == 0)
		printf("%-20s %10s %10s  %s\n", "ecosystem", "records", "withdrawn", "newest modified");
	/* Ecosystem names come from the records: untrusted text. */
	sg_put_safe_n(stdout, c->eco_base, 20);
	printf("%*s %10lld %10lld  ", (int)(strlen(c->eco_base) < 20 ? 20 - strlen(c->eco_base) : 0), "",
	       c->records, c->withdrawn);
	sg_put_safe_n(stdout, c->newest_modified ? c->newest_modified : "-", 40);
	fputs("\n", stdout);
	return 0;
}

static int status(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *format = NULL;
	const struct sg_opt opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
	struct status_printer p;
	struct sg_args args;
	int rc, f;

	memset(&p, 0, sizeof(p));
	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate vulndb status [--format text|json]", err)))
		return rc;
	if ((f = sg_pick_format(format ? format : "text", formats, err)) < 0)
		return err->code;
	p.json = f == 1;
	if ((rc = sg_app_vulndb_status(app, print_count, &p, err)))
		return rc;
	if (p.json)
		return sg_json_list_end(&p.list, err);
	if (p.total == 0)
		printf("the vulnerability database is empty: run shipgate vulndb import PATH\n");
	return 0;
}

int sg_cmd_vulndb(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "import") == 0)
		return import(app, argc - 1, argv + 1, err);
	if (argc >= 1 && strcmp(argv[0], "status") == 0)
		return status(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate vulndb import PATH... | shipgate vulndb status");
}
