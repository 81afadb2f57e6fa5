/* `shipgate sca explain`: why a component matched a vulnerability, or did not. */
#include <stdio.h>
#include <string.h>

#include "app/sca.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/safe_text.h"
#include "util/json_writer.h"

struct explainer {
	int json;
	int started;
	struct sg_jw jw;
	int in_component; /* a component object is open (JSON) */
};

static void json_component(struct sg_jw *w, const struct sg_explain_item *it)
{
	const struct sg_component_record *c = it->component;

	sg_jw_kv_string(w, "name", c->name);
	sg_jw_kv_string(w, "version", c->version);
	sg_jw_kv_string(w, "purl", c->purl);
	sg_jw_kv_string(w, "ecosystem", c->ecosystem);
	sg_jw_kv_string(w, "package", c->package);
	sg_jw_kv_string(w, "version_order", it->order);
	sg_jw_kv_string(w, "unmatched", c->unmatched);
}

static void json_record(struct sg_jw *w, const struct sg_sca_evaluation *e)
{
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "id", e->record->osv_id);
	sg_jw_kv_string(w, "ecosystem", e->record->ecosystem);
	sg_jw_key(w, "applies");
	sg_jw_bool(w, e->applies);
	sg_jw_kv_string(w, "why_not", e->why_not);
	sg_jw_key(w, "affected");
	sg_jw_bool(w, e->applies && e->verdict.affected);
	sg_jw_kv_string(w, "decided_by", e->applies ? e->verdict.decided_by : NULL);
	sg_jw_kv_string(w, "fixed_in", e->applies && e->verdict.fixed_in[0] ? e->verdict.fixed_in : NULL);
	sg_jw_kv_int(w, "unparseable_versions", e->applies ? e->verdict.unparseable : 0);
	sg_jw_object_end(w);
}

static void text_record(const struct sg_sca_evaluation *e)
{
	fputs("  ", stdout);
	sg_put_safe_n(stdout, e->record->osv_id, 100);
	fputs(" (", stdout);
	sg_put_safe_n(stdout, e->record->ecosystem, 100);
	fputs("): ", stdout);
	if (!e->applies) {
		fputs("does not apply: ", stdout);
		sg_put_safe(stdout, e->why_not);
		fputc('\n', stdout);
		return;
	}
	/* decided_by says "not affected: why" itself; an affecting one names its range or list. */
	if (e->verdict.affected)
		fputs("AFFECTED: ", stdout);
	sg_put_safe_n(stdout, e->verdict.decided_by, sizeof(e->verdict.decided_by));
	if (e->verdict.affected) {
		fputs(e->verdict.fixed_in[0] ? "; fixed in " : "; no fixed version is known", stdout);
		sg_put_safe(stdout, e->verdict.fixed_in);
	}
	if (e->verdict.unparseable)
		printf(" (%d version%s in the record did not parse and %s skipped)", e->verdict.unparseable,
		       e->verdict.unparseable == 1 ? "" : "s", e->verdict.unparseable == 1 ? "was" : "were");
	fputs("\n", stdout);
}

static void close_component(struct explainer *x)
{
	if (!x->in_component)
		return;
	sg_jw_array_end(&x->jw);   /* records */
	sg_jw_object_end(&x->jw);  /* component */
	x->in_component = 0;
}

static int on_item(void *ctx, const struct sg_explain_item *it)
{
	struct explainer *x = ctx;
	const struct sg_component_record *c = it->component;

	if (!x->json) {
		switch (it->kind) {
		case SG_EXPLAIN_COMPONENT:
			fputs("component ", stdout);
			sg_put_safe_n(stdout, c->name, 200);
			fputs(" ", stdout);
			sg_put_safe_n(stdout, c->version ? c->version : "(no version)", 200);
			fputs(" (", stdout);
			sg_put_safe_n(stdout, c->purl ? c->purl : "no purl", 400);
			fputs(")\n", stdout);
			if (c->unmatched) {
				fputs("  not matched: ", stdout);
				sg_put_safe_n(stdout, c->unmatched, 300);
				fputs("\n", stdout);
			} else {
				fputs("  OSV package ", stdout);
				sg_put_safe_n(stdout, c->ecosystem, 100);
				fputs("/", stdout);
				sg_put_safe_n(stdout, c->package, 400);
				printf(", version order %s\n", it->order);
			}
			break;
		case SG_EXPLAIN_RECORD:
			text_record(it->evaluation);
			break;
		case SG_EXPLAIN_VEX:
			fputs("  VEX: ", stdout);
			sg_put_safe_n(stdout, it->vex->vuln, 100);
			fputs(" is ", stdout);
			sg_put_safe_n(stdout, it->vex->state, 40);
			if (it->vex->justification) {
				fputs(" (", stdout);
				sg_put_safe_n(stdout, it->vex->justification, 60);
				fputs(")", stdout);
			}
			fputs("\n", stdout);
			break;
		}
		return 0;
	}
	if (!x->started) {
		x->started = 1;
		sg_jw_init_file(&x->jw, stdout, 1);
		sg_jw_object_begin(&x->jw);
		sg_jw_key(&x->jw, "components");
		sg_jw_array_begin(&x->jw);
	}
	switch (it->kind) {
	case SG_EXPLAIN_COMPONENT:
		close_component(x);
		sg_jw_object_begin(&x->jw);
		json_component(&x->jw, it);
		sg_jw_key(&x->jw, "records");
		sg_jw_array_begin(&x->jw);
		x->in_component = 1;
		break;
	case SG_EXPLAIN_RECORD:
		json_record(&x->jw, it->evaluation);
		break;
	case SG_EXPLAIN_VEX:
		/* Listed among the records, marked as a statement of the SBOM. */
		sg_jw_object_begin(&x->jw);
		sg_jw_kv_string(&x->jw, "vex", it->vex->vuln);
		sg_jw_kv_string(&x->jw, "state", it->vex->state);
		sg_jw_kv_string(&x->jw, "justification", it->vex->justification);
		sg_jw_kv_string(&x->jw, "detail", it->vex->detail);
		sg_jw_object_end(&x->jw);
		break;
	}
	return 0;
}

static int explain(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	static const char *const formats[] = {"text", "json", NULL};
	const char *product = NULL, *purl = NULL, *vuln = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL},
		{"purl", &purl, NULL},
		{"vuln", &vuln, NULL},
		{"format", &format, NULL},
		{NULL, NULL, NULL},
	};
	struct sg_explain_summary s;
	struct explainer x;
	struct sg_args args;
	int rc, f;

	memset(&x, 0, sizeof(x));
	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate sca explain --product P --purl PURL [--vuln ID]", err)) ||
	    (rc = sg_args_require(product, "product", err)) || (rc = sg_args_require(purl, "purl", err)))
		return rc;
	if ((f = sg_pick_format(format ? format : "text", formats, err)) < 0)
		return err->code;
	x.json = f == 1;
	if ((rc = sg_app_sca_explain(app, product, purl, vuln, on_item, &x, &s, err)))
		return rc;
	if (x.json) {
		if (!x.started) {
			sg_jw_init_file(&x.jw, stdout, 1);
			sg_jw_object_begin(&x.jw);
			sg_jw_key(&x.jw, "components");
			sg_jw_array_begin(&x.jw);
		}
		close_component(&x);
		sg_jw_array_end(&x.jw);
		sg_jw_kv_int(&x.jw, "sbom_scan", s.scan_id);
		sg_jw_kv_string(&x.jw, "commit", s.commit[0] ? s.commit : NULL);
		sg_jw_kv_int(&x.jw, "records", s.records);
		sg_jw_kv_int(&x.jw, "affected", s.affected);
		if (vuln) {
			sg_jw_key(&x.jw, "vuln_known");
			sg_jw_bool(&x.jw, s.vuln_known);
		}
		sg_jw_object_end(&x.jw);
		if (sg_jw_finish(&x.jw) != 0)
			return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
		fputs("\n", stdout);
		return 0;
	}
	if (s.components == 0) {
		printf("no component of SBOM scan %lld matches that purl\n", s.scan_id);
		return 0;
	}
	if (vuln && !s.vuln_known)
		printf("the database has no record named %s (by id or alias): import it with shipgate vulndb import\n",
		       vuln);
	else if (vuln && s.records == 0)
		printf("%s is in the database but names no package of this component\n", vuln);
	printf("%lld affected entr%s of records evaluated, %lld affect%s it (SBOM scan %lld)\n", s.records,
	       s.records == 1 ? "y" : "ies", s.affected, s.affected == 1 ? "s" : "", s.scan_id);
	return 0;
}

int sg_cmd_sca(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	if (argc >= 1 && strcmp(argv[0], "explain") == 0)
		return explain(app, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate sca explain --product P --purl PURL [--vuln ID]");
}
