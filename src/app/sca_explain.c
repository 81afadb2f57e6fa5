/*
 * `sca explain`: for a component of the product's newest SBOM, every
 * record for its package, whether it applies and which range or list
 * decided, so that a user can check a surprising match (or a surprising
 * silence) against the advisory itself.
 */
#include "app/sca.h"

#include <stdio.h>
#include <string.h>

#include "sca/purl.h"
#include "sca/version.h"

struct explain {
	struct sg_store *store;
	const char *identity;      /* canonical purl without version */
	const char *version;       /* NULL: every version */
	const char *vuln;          /* NULL: every record */
	const struct sg_component_record *c;
	sg_explain_cb cb;
	void *ctx;
	struct sg_explain_summary *summary;
	struct sg_error *err;
};

/* Is `name` the record's id or one of its aliases? */
static int record_named(const struct sg_vuln_candidate *r, const char *name)
{
	const char *a = r->aliases ? r->aliases : "";
	size_t len = strlen(name);

	if (strcmp(r->osv_id, name) == 0)
		return 1;
	while (*a) {
		size_t n = strcspn(a, "\n");
		if (n == len && memcmp(a, name, n) == 0)
			return 1;
		a += n;
		if (*a)
			a++;
	}
	return 0;
}

static int on_evaluation(void *ctx, const struct sg_sca_evaluation *e)
{
	struct explain *x = ctx;
	struct sg_explain_item item;

	if (x->vuln && !record_named(e->record, x->vuln))
		return 0;
	x->summary->records++;
	if (e->applies && e->verdict.affected)
		x->summary->affected++;
	memset(&item, 0, sizeof(item));
	item.kind = SG_EXPLAIN_RECORD;
	item.component = x->c;
	item.evaluation = e;
	return x->cb(x->ctx, &item);
}

static int on_vex(void *ctx, const struct sg_vex_record *v)
{
	struct explain *x = ctx;
	struct sg_explain_item item;

	if (!x->c->ref || strcmp(v->ref, x->c->ref) != 0 || (x->vuln && strcmp(v->vuln, x->vuln) != 0))
		return 0;
	memset(&item, 0, sizeof(item));
	item.kind = SG_EXPLAIN_VEX;
	item.component = x->c;
	item.vex = v;
	return x->cb(x->ctx, &item);
}

static int on_component(void *ctx, const struct sg_component_record *c)
{
	struct explain *x = ctx;
	struct sg_explain_item item;
	int rc;

	if (!c->component || strcmp(c->component, x->identity) != 0)
		return 0;
	if (x->version && (!c->version || strcmp(c->version, x->version) != 0))
		return 0;
	x->summary->components++;
	x->c = c;
	memset(&item, 0, sizeof(item));
	item.kind = SG_EXPLAIN_COMPONENT;
	item.component = c;
	item.order = sg_vorder_name(sg_vorder_for_ecosystem(c->ecosystem));
	if ((rc = x->cb(x->ctx, &item)))
		return rc;
	if (!c->unmatched && (rc = sg_sca_evaluate_component(x->store, c, on_evaluation, x, x->err)))
		return rc;
	return sg_store_vex_list(x->store, c->scan_id, on_vex, x, x->err);
}

static int take_head(void *ctx, const struct sg_sbom_head *h)
{
	struct sg_explain_summary *s = ctx;

	s->scan_id = h->scan_id;
	snprintf(s->commit, sizeof(s->commit), "%s", h->commit ? h->commit : "");
	return 0;
}

int sg_app_sca_explain(struct sg_app *app, const char *product, const char *purl_text, const char *vuln,
		       sg_explain_cb cb, void *ctx, struct sg_explain_summary *summary, struct sg_error *err)
{
	struct explain x;
	struct sg_purl purl;
	char identity[SG_PURL_MAX_BYTES], version[SG_PURL_MAX_BYTES];
	long long product_id, ids[1];
	size_t n_ids;
	int rc, in_tx = 0;

	memset(summary, 0, sizeof(*summary));
	memset(&purl, 0, sizeof(purl));
	if ((rc = sg_check_name(product, "--product", err)))
		return rc;
	if ((rc = sg_purl_parse(purl_text, &purl, err)))
		return rc;
	rc = sg_purl_build(&purl, SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS, identity, sizeof(identity), err);
	snprintf(version, sizeof(version), "%s", purl.version ? purl.version : "");
	sg_purl_free(&purl);
	if (rc)
		return rc;
	memset(&x, 0, sizeof(x));
	x.identity = identity;
	x.version = version[0] ? version : NULL;
	x.vuln = vuln;
	x.cb = cb;
	x.ctx = ctx;
	x.summary = summary;
	x.err = err;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &x.store, err)) || (rc = sg_store_begin_read(x.store, err)))
		return rc;
	in_tx = 1;
	rc = sg_store_product_find(x.store, product, &product_id, err);
	if (rc == SG_ENOTFOUND)
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", product);
	if (rc || (rc = sg_store_sbom_heads(x.store, product_id, take_head, summary, err)))
		goto out;
	if (!summary->scan_id) {
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "product \"%s\" has no SBOM: run shipgate ingest sbom",
				  product);
		goto out;
	}
	if (vuln) {
		if ((rc = sg_store_vuln_ids_named(x.store, vuln, ids, 1, &n_ids, err)))
			goto out;
		summary->vuln_known = n_ids > 0;
	}
	if ((rc = sg_store_components_list(x.store, summary->scan_id, on_component, &x, err)))
		goto out;
	rc = sg_store_commit(x.store, err);
	in_tx = 0;
out:
	if (in_tx)
		sg_store_rollback(x.store);
	return rc;
}
