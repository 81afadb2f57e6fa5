#include "app/gate.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define SG_GATE_MESSAGE_KEPT 300

struct collect_blockers {
	struct sg_gate_report *report;
	const struct sg_policy *policy;
	size_t cap;
	int failed;
};

static char *copy_cut(const char *s, size_t max)
{
	size_t len;

	if (!s)
		return NULL;
	len = sg_utf8_cut(s, strlen(s), max);
	return sg_strndup(s, len);
}

static int add_blocker(void *ctx, const struct sg_finding *f)
{
	struct collect_blockers *c = ctx;
	struct sg_gate_report *r = c->report;
	struct sg_gate_blocker *b;

	if (!sg_policy_blocks(c->policy, f->severity))
		return 0;
	if (r->n_blockers >= SG_GATE_MAX_LISTED)
		return 1; /* enough listed; every blocker is counted separately */
	if (r->n_blockers == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		b = sg_realloc_array(r->blockers, cap, sizeof(*b));
		if (!b) {
			c->failed = 1;
			return 1;
		}
		r->blockers = b;
		c->cap = cap;
	}
	b = &r->blockers[r->n_blockers];
	memset(b, 0, sizeof(*b));
	b->id = f->id;
	sg_hex(f->fingerprint, SG_FINGERPRINT_BYTES, b->fingerprint);
	b->severity = f->severity;
	b->line = f->line;
	b->tool = copy_cut(f->tool, 4096);
	b->rule = copy_cut(f->rule, 4096);
	b->path = copy_cut(f->path, 4096);
	b->message = copy_cut(f->message, SG_GATE_MESSAGE_KEPT);
	r->n_blockers++;
	if (!b->tool || !b->rule || (f->path && !b->path) || (f->message && !b->message)) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

static int lowest_blocking(const struct sg_policy *policy, enum sg_severity *out)
{
	int sev;

	for (sev = SG_SEV_INFO; sev < SG_SEV_COUNT; sev++) {
		if (sg_policy_blocks(policy, (enum sg_severity)sev)) {
			*out = (enum sg_severity)sev;
			return 0;
		}
	}
	return -1;
}

static int gather(struct sg_store *store, long long product_id, struct sg_gate_facts *facts,
		  struct sg_gate_report *report, struct sg_error *err)
{
	const char *commit = NULL;
	struct sg_finding_filter filter;

	struct collect_blockers c = {report, facts->policy, 0, 0};
	int rc;

	memset(&filter, 0, sizeof(filter));
	filter.product_id = product_id;
	filter.status = SG_STATUS_OPEN;
	if (lowest_blocking(facts->policy, &filter.min_severity) != 0)
		filter.min_severity = SG_SEV_COUNT; /* nothing blocks: count and list nothing */
	rc = sg_store_findings_open_counts(store, product_id, filter.min_severity, facts->open_by_severity, err);
	if (rc)
		return rc;
	if (facts->policy->sast.enabled) {
		if (facts->release && facts->policy->sast.on_release_commit)
			commit = facts->release_commit;
		rc = sg_store_scan_newest(store, product_id, "sast", commit, &facts->sast, err);
		if (rc)
			return rc;
	}
	if (filter.min_severity == SG_SEV_COUNT)
		return 0;
	rc = sg_store_findings_list(store, &filter, add_blocker, &c, err);
	if (c.failed)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	return rc == 1 ? 0 : rc;
}

int sg_app_gate(struct sg_app *app, const char *product, const char *release,
		struct sg_gate_report *report, struct sg_error *err)
{
	struct sg_gate_facts facts;
	struct sg_release rel;
	struct sg_store *store;
	long long product_id;
	int rc;

	memset(report, 0, sizeof(*report));
	memset(&facts, 0, sizeof(facts));
	if ((rc = sg_check_name(product, "--product", err)))
		return rc;
	if (release && (rc = sg_check_name(release, "--release", err)))
		return rc;
	snprintf(report->product, sizeof(report->product), "%s", product);
	if ((rc = sg_app_policy(app, &report->policy, err)))
		return rc;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	if ((rc = sg_store_product_find(store, product, &product_id, err)))
		return rc;
	facts.policy = report->policy;
	facts.product = product;
	report->evaluated_at = facts.now = sg_now();
	if (release) {
		rc = sg_store_release_find(store, product_id, release, &rel, err);
		if (rc == SG_ENOTFOUND)
			sg_error_set(err, SG_DIAG_NOT_FOUND,
				     "product %s has no release \"%s\": create it with `shipgate release create`",
				     product, release);
		if (rc)
			return rc;
		snprintf(report->release, sizeof(report->release), "%s", release);
		snprintf(report->release_commit, sizeof(report->release_commit), "%s", rel.commit);
		facts.release = report->release;
		facts.release_commit = report->release_commit;
	}
	/* One transaction, so severities, counts, scans and the listed blockers agree. */
	if ((rc = sg_app_begin_synced(app, store, product_id, err)))
		return rc;
	rc = gather(store, product_id, &facts, report, err);
	if (!rc)
		rc = sg_store_commit(store, err);
	else
		sg_store_rollback(store);
	if (rc)
		return rc;
	sg_gate_evaluate(&facts, &report->result);
	return 0;
}

void sg_gate_report_release(struct sg_gate_report *report)
{
	size_t i;

	for (i = 0; i < report->n_blockers; i++) {
		sg_free(report->blockers[i].tool);
		sg_free(report->blockers[i].rule);
		sg_free(report->blockers[i].path);
		sg_free(report->blockers[i].message);
	}
	sg_free(report->blockers);
	report->blockers = NULL;
	report->n_blockers = 0;
}

void sg_gate_json(struct sg_jw *w, const struct sg_gate_report *r)
{
	char sha[2 * SG_SHA256_BYTES + 1], when[SG_TIME_TEXT];
	int i, j;
	size_t k;

	sg_hex(r->policy->sha256, SG_SHA256_BYTES, sha);
	sg_time_format(r->evaluated_at, when);
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "product", r->product);
	sg_jw_kv_string(w, "release", r->release[0] ? r->release : NULL);
	sg_jw_kv_string(w, "verdict", r->result.blocked ? "block" : "pass");
	sg_jw_key(w, "policy");
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "id", r->policy->id);
	sg_jw_kv_string(w, "sha256", sha);
	sg_jw_object_end(w);
	sg_jw_key(w, "clauses");
	sg_jw_array_begin(w);
	for (i = 0; i < r->result.n_clauses; i++) {
		const struct sg_clause_result *c = &r->result.clauses[i];
		sg_jw_object_begin(w);
		sg_jw_kv_string(w, "id", c->id);
		sg_jw_kv_string(w, "status", sg_clause_status_name(c->status));
		sg_jw_key(w, "reasons");
		sg_jw_array_begin(w);
		for (j = 0; j < c->n_reasons; j++)
			sg_jw_string(w, c->reasons[j]);
		sg_jw_array_end(w);
		sg_jw_object_end(w);
	}
	sg_jw_array_end(w);
	sg_jw_key(w, "blocking_findings");
	sg_jw_array_begin(w);
	for (k = 0; k < r->n_blockers; k++) {
		const struct sg_gate_blocker *b = &r->blockers[k];
		sg_jw_object_begin(w);
		sg_jw_kv_int(w, "id", b->id);
		sg_jw_kv_string(w, "fingerprint", b->fingerprint);
		sg_jw_kv_string(w, "clause", "remediate.release");
		sg_jw_kv_string(w, "severity", sg_severity_name(b->severity));
		sg_jw_kv_string(w, "tool", b->tool);
		sg_jw_kv_string(w, "rule", b->rule);
		sg_jw_kv_string(w, "path", b->path);
		sg_jw_key(w, "line");
		if (b->line > 0)
			sg_jw_int(w, b->line);
		else
			sg_jw_null(w);
		sg_jw_kv_string(w, "message", b->message);
		sg_jw_object_end(w);
	}
	sg_jw_array_end(w);
	sg_jw_key(w, "waived_findings");
	sg_jw_array_begin(w);
	sg_jw_array_end(w);
	/* Beyond DESIGN.md's shape: every blocker is counted, at most
	 * SG_GATE_MAX_LISTED are listed above. */
	sg_jw_kv_int(w, "blocking_total", r->result.blocking_total);
	sg_jw_kv_string(w, "evaluated_at", when);
	sg_jw_object_end(w);
}
