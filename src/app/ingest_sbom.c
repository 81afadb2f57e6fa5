/*
 * Ingesting an SBOM: the reader hands over components, this use case
 * classifies each (its purl, OSV package, version order, or why it cannot be
 * matched), stores it with the scan, and matches the whole SBOM against the
 * vulnerability database. The SBOM is the product's full view of its
 * dependencies: sca and licence findings it no longer yields become fixed.
 *
 * One transaction: any error rolls everything back.
 */
#include "app/sca.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "ingest/sbom.h"
#include "sca/osv.h"
#include "sca/purl.h"
#include "sca/version.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/timeutil.h"

struct sbom_ingest {
	struct sg_store *store;
	long long scan_id;
	struct sg_buf licenses;
};

/* How a component will be matched, or why it cannot be. */
struct classified {
	char component[SG_PURL_MAX_BYTES];
	char ecosystem[128];
	char package[SG_PURL_MAX_BYTES];
	char version[SG_SBOM_MAX_FIELD_BYTES]; /* the purl's, else the component's */
	char unmatched[300];
};

static void classify(const struct sg_sbom_component *c, struct classified *out)
{
	struct sg_purl purl;
	struct sg_error perr;
	enum sg_vorder order;

	memset(out, 0, sizeof(*out));
	memset(&purl, 0, sizeof(purl));
	sg_error_clear(&perr);
	snprintf(out->version, sizeof(out->version), "%s", c->version ? c->version : "");
	if (!c->purl) {
		snprintf(out->unmatched, sizeof(out->unmatched), "no purl");
		return;
	}
	/* A purl that does not parse is kept and reported, not fatal: the
	 * rest of the SBOM still says what it says. */
	if (sg_purl_parse(c->purl, &purl, &perr) != 0) {
		snprintf(out->unmatched, sizeof(out->unmatched), "purl does not parse: %.250s", perr.message);
		return;
	}
	/* The purl's version is what OSV ranges speak of. A dpkg or rpm epoch
	 * rides in the `epoch` qualifier (trivy, syft): without it "1:2.39.5"
	 * would compare as 0:2.39.5, below every fix with an epoch. */
	if (purl.version) {
		const char *epoch = sg_purl_qualifier(&purl, "epoch");
		if (epoch && epoch[0] && !strchr(purl.version, ':') &&
		    (strcmp(purl.type, "deb") == 0 || strcmp(purl.type, "rpm") == 0))
			snprintf(out->version, sizeof(out->version), "%.20s:%s", epoch, purl.version);
		else
			snprintf(out->version, sizeof(out->version), "%s", purl.version);
	}
	if (sg_purl_build(&purl, SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS, out->component,
			  sizeof(out->component), &perr) != 0) {
		snprintf(out->unmatched, sizeof(out->unmatched), "purl does not parse: %.250s", perr.message);
		out->component[0] = '\0';
	} else if (sg_purl_osv_package(&purl, out->ecosystem, sizeof(out->ecosystem), out->package,
				       sizeof(out->package), &perr) != 0) {
		snprintf(out->unmatched, sizeof(out->unmatched), "no OSV ecosystem for purl type %s", purl.type);
		out->ecosystem[0] = out->package[0] = '\0';
	} else if ((order = sg_vorder_for_ecosystem(out->ecosystem)) == SG_VORDER_NONE) {
		snprintf(out->unmatched, sizeof(out->unmatched), "no version order for ecosystem %s", out->ecosystem);
	} else if (!out->version[0]) {
		snprintf(out->unmatched, sizeof(out->unmatched), "no version");
	} else if (sg_version_check(order, out->version, &perr) != 0) {
		snprintf(out->unmatched, sizeof(out->unmatched), "%.280s", perr.message);
	}
	/* Keyed as the store keys records' names (NuGet ids case-insensitive);
	 * the key is never longer than the name, so in place is safe. */
	if (out->package[0])
		sg_osv_package_key(out->ecosystem, out->package, out->package, sizeof(out->package));
	sg_purl_free(&purl);
}

static int on_component(void *ctx, const struct sg_sbom_component *c, struct sg_error *err)
{
	struct sbom_ingest *in = ctx;
	struct sg_component_record r;
	struct classified *k;
	size_t i;
	int rc;

	if (!(k = sg_malloc(sizeof(*k))))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	classify(c, k);
	sg_buf_reset(&in->licenses);
	for (i = 0; i < c->n_licenses; i++) {
		if (i)
			sg_buf_addc(&in->licenses, '\n');
		sg_buf_adds(&in->licenses, c->licenses[i]);
	}
	if (sg_buf_error(&in->licenses)) {
		sg_free(k);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	memset(&r, 0, sizeof(r));
	r.scan_id = in->scan_id;
	r.ref = c->ref;
	r.name = c->name;
	r.version = k->version[0] ? k->version : NULL;
	r.purl = c->purl;
	r.component = k->component[0] ? k->component : NULL;
	r.ecosystem = k->ecosystem[0] ? k->ecosystem : NULL;
	r.package = k->package[0] ? k->package : NULL;
	r.type = c->type;
	r.scope = c->scope;
	r.licenses = c->n_licenses ? in->licenses.data : NULL;
	r.depth = c->depth;
	r.unmatched = k->unmatched[0] ? k->unmatched : NULL;
	rc = sg_store_component_insert(in->store, &r, NULL, err);
	sg_free(k);
	return rc;
}

static int on_vex(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err)
{
	struct sbom_ingest *in = ctx;
	struct sg_vex_record r;
	size_t i;
	int rc;

	/* The reader bounds the rows over the document (SG_SBOM_MAX_VEX pairs). */
	for (i = 0; i < v->n_refs; i++) {
		memset(&r, 0, sizeof(r));
		r.scan_id = in->scan_id;
		r.vuln = v->id;
		r.state = v->state;
		r.justification = v->justification;
		r.detail = v->detail;
		r.ref = v->refs[i];
		if ((rc = sg_store_vex_insert(in->store, &r, err)))
			return rc;
	}
	return 0;
}

static int take_head(void *ctx, const struct sg_sbom_head *h)
{
	*(long long *)ctx = h->scan_id;
	return 0;
}

/* The SBOM the product's findings reflect until this one replaces it must
 * be as the ledger recorded it: its components decided those findings. */
static int check_current_sbom(struct sg_store *store, long long product_id, struct sg_error *err)
{
	long long scan_id = 0;
	int rc = sg_store_sbom_heads(store, product_id, take_head, &scan_id, err);

	if (rc || !scan_id)
		return rc;
	return sg_app_audit_check(store, SG_OBJ_SBOM, scan_id, err);
}

static int check_params(const struct sg_ingest_sbom_params *p, struct sg_error *err)
{
	int rc;

	if (!p->file)
		return sg_error_set(err, SG_DIAG_USAGE, "no SBOM file given");
	if ((rc = sg_check_name(p->product, "--product", err)))
		return rc;
	if (p->release && (rc = sg_check_name(p->release, "--release", err)))
		return rc;
	return 0;
}

static void note_counts(struct sg_jw *w, const struct sg_sca_counts *c)
{
	sg_jw_kv_int(w, "components", c->components);
	sg_jw_kv_int(w, "unmatched", c->unmatched);
	sg_jw_kv_int(w, "vulnerable", c->vulnerable);
	sg_jw_kv_int(w, "findings", c->findings);
	sg_jw_kv_int(w, "new", c->new_findings);
	sg_jw_kv_int(w, "reopened", c->reopened);
	sg_jw_kv_int(w, "fixed", c->fixed);
	sg_jw_kv_int(w, "not_applicable", c->not_applicable);
	sg_jw_kv_int(w, "license_findings", c->license_findings);
}

static int audit_sbom(struct sg_app *app, struct sg_store *store, const struct sg_ingest_sbom_params *p,
		      long long product_id, long long ingest_id, const struct sg_sbom_summary *summary,
		      const struct sg_sbom_report *report, struct sg_error *err)
{
	struct sg_audit_note note;
	char label[300], sha[2 * SG_SHA256_BYTES + 1];
	int rc;

	sg_hex(summary->sha256, SG_SHA256_BYTES, sha);
	snprintf(label, sizeof(label), "ingest %lld of product %s", ingest_id, p->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "format", report->format);
	sg_jw_kv_string(&note.w, "product", p->product);
	sg_jw_kv_string(&note.w, "commit", report->commit[0] ? report->commit : NULL);
	sg_jw_kv_string(&note.w, "release", p->release);
	sg_jw_kv_string(&note.w, "file", p->name ? p->name : p->file);
	sg_jw_kv_string(&note.w, "sha256", sha);
	note_counts(&note.w, &report->match);
	if ((rc = sg_app_audit(app, store, "ingest.sbom", SG_OBJ_INGEST, ingest_id, label, &note, err)))
		return rc;
	snprintf(label, sizeof(label), "SBOM %lld of product %s", report->scan_id, p->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_int(&note.w, "ingest", ingest_id);
	sg_jw_kv_int(&note.w, "components", report->components);
	sg_jw_kv_int(&note.w, "vex", report->vex);
	if ((rc = sg_app_audit(app, store, "sbom.add", SG_OBJ_SBOM, report->scan_id, label, &note, err)))
		return rc;
	snprintf(label, sizeof(label), "findings of product %s", p->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_int(&note.w, "ingest", ingest_id);
	if ((rc = sg_app_audit(app, store, "findings.update", SG_OBJ_FINDINGS, product_id, label, &note, err)))
		return rc;
	return sg_app_audit_history(app, store, product_id, p->product, "findings.update", err);
}

int sg_app_ingest_sbom(struct sg_app *app, const struct sg_ingest_sbom_params *params,
		       struct sg_sbom_report *report, struct sg_error *err)
{
	struct sbom_ingest in;
	struct sg_sbom_summary summary;
	struct sg_scan_record scan;
	struct sg_scan_counts counts;
	struct sg_sca_match_params mp;
	struct sg_sbom_sink sink = {&in, on_component, on_vex};
	const struct sg_policy *policy;
	const char *commit = NULL, *name = params->name ? params->name : params->file;
	long long product_id = 0, ingest_id = 0, dup = 0;
	char artifact[SG_MAX_NAME_BYTES + 100], sha[2 * SG_SHA256_BYTES + 1];
	time_t now = sg_now();
	int rc, in_tx = 0, changed;

	memset(report, 0, sizeof(*report));
	memset(&in, 0, sizeof(in));
	memset(&summary, 0, sizeof(summary));
	sg_buf_init(&in.licenses, (size_t)SG_SBOM_MAX_LICENSES * (SG_SBOM_MAX_FIELD_BYTES + 1));
	if ((rc = check_params(params, err)) || (rc = sg_app_policy(app, &policy, err)) ||
	    (rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &in.store, err)) || (rc = sg_store_begin(in.store, err)))
		goto out;
	in_tx = 1;
	if ((rc = sg_app_product_ensure(app, in.store, params->product, now, &product_id, err)) ||
	    (rc = sg_app_audit_check(in.store, SG_OBJ_FINDINGS, product_id, err)) ||
	    (rc = sg_app_audit_check(in.store, SG_OBJ_HISTORY, product_id, err)) ||
	    (rc = sg_app_audit_check(in.store, SG_OBJ_VULNDB, 0, err)) ||
	    (rc = check_current_sbom(in.store, product_id, err)) ||
	    (rc = sg_store_findings_apply_overrides(in.store, product_id, policy, &changed, err)) ||
	    (rc = sg_app_resolve_commit(in.store, product_id, params->commit, params->release, report->commit,
					&commit, err)) ||
	    (rc = sg_store_ingest_begin(in.store, product_id, now, &ingest_id, err)))
		goto out;
	memset(&scan, 0, sizeof(scan));
	scan.product_id = product_id;
	scan.ingest_id = ingest_id;
	scan.kind = SG_SCA_KIND;
	scan.tool = "sbom"; /* the generator, once the document names it */
	scan.category = "";
	scan.commit = commit;
	scan.release = params->release;
	scan.artifact_name = name;
	scan.options = "";
	scan.created_at = now;
	if ((rc = sg_store_scan_insert(in.store, &scan, &in.scan_id, err)))
		goto out;
	report->scan_id = in.scan_id;
	if ((rc = sg_sbom_read_file(params->file, name, &sink, &summary, err)))
		goto out;
	rc = sg_store_scan_find_artifact(in.store, product_id, SG_SCA_KIND, commit, summary.sha256, "", in.scan_id,
					 &dup, err);
	if (rc == 0) {
		/* The same file for the same product and commit: it says nothing new. */
		report->duplicate = 1;
		report->duplicate_of = dup;
		goto out; /* rolls back: nothing is written */
	}
	if (rc != SG_ENOTFOUND)
		goto out;
	sg_error_clear(err);
	snprintf(report->format, sizeof(report->format), "%s",
		 summary.format == SG_SBOM_SPDX ? "SPDX" : "CycloneDX");
	snprintf(report->spec_version, sizeof(report->spec_version), "%s", summary.spec_version);
	snprintf(report->tool, sizeof(report->tool), "%s", summary.tool);
	snprintf(report->tool_version, sizeof(report->tool_version), "%s", summary.tool_version);
	snprintf(report->subject, sizeof(report->subject), "%s", summary.subject);
	report->components = summary.components;
	report->without_purl = summary.without_purl;
	report->vex = summary.vex;
	if ((rc = sg_store_scans_set_artifact(in.store, in.scan_id, summary.sha256, err)) ||
	    (rc = sg_store_scan_set_tool(in.store, in.scan_id, summary.tool[0] ? summary.tool : "sbom",
					 summary.tool_version[0] ? summary.tool_version : NULL, err)))
		goto out;
	sg_hex(summary.sha256, SG_SHA256_BYTES, sha);
	snprintf(artifact, sizeof(artifact), "%.200s (sha256 %.16s)", name, sha);
	memset(&mp, 0, sizeof(mp));
	mp.product_id = product_id;
	mp.ingest_id = ingest_id;
	mp.scan_id = in.scan_id;
	mp.artifact = artifact;
	mp.now = now;
	if ((rc = sg_sca_match(in.store, policy, &mp, &report->match, err)))
		goto out;
	memset(&counts, 0, sizeof(counts));
	counts.results = report->match.findings + report->match.license_findings;
	counts.new_findings = report->match.new_findings;
	counts.reopened = report->match.reopened;
	counts.fixed = report->match.fixed;
	if ((rc = sg_store_scan_set_counts(in.store, in.scan_id, &counts, err)) ||
	    (rc = audit_sbom(app, in.store, params, product_id, ingest_id, &summary, report, err)) ||
	    (rc = sg_store_commit(in.store, err)))
		goto out;
	in_tx = 0;
out:
	if (in_tx)
		sg_store_rollback(in.store);
	sg_buf_release(&in.licenses);
	return rc;
}
