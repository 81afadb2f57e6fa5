#include "app/gate.h"

#include <stdio.h>
#include <string.h>

#include "app/sla.h"
#include "core/sla.h"
#include "evidence/keys.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define SG_GATE_MESSAGE_KEPT 300

/* Lapsed exceptions looked at for "blocks again" reasons. */
#define LAPSED_KEPT (SG_GATE_MAX_REASONS * 4)

struct waiver {
	long long id;
	char approver[SG_PRINCIPAL_NAME_BYTES];
	char expires[SG_DATE_TEXT];
};

/* The exceptions that bear on the product's gate. */
struct exception_scan {
	struct sg_gate_facts *facts;
	time_t now;
	struct waiver *waivers;   /* active and verified */
	long long *ids;
	size_t n, cap;
	long long lapsed_ids[LAPSED_KEPT]; /* the latest lapsed, newest last */
	char lapsed_text[LAPSED_KEPT][SG_GATE_REASON_BYTES];
	size_t n_lapsed;
	int failed;
};

struct collect_blockers {
	struct sg_gate_blocker **list;
	size_t *n;
	const struct sg_policy *policy;
	const struct exception_scan *exceptions;
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

static const struct waiver *find_waiver(const struct exception_scan *x, long long id)
{
	size_t i;

	for (i = 0; x && i < x->n; i++)
		if (x->waivers[i].id == id)
			return &x->waivers[i];
	return NULL;
}

static int add_blocker(void *ctx, const struct sg_finding *f)
{
	struct collect_blockers *c = ctx;
	const struct waiver *w;
	struct sg_gate_blocker *b;

	if (!sg_policy_blocks(c->policy, f->severity))
		return 0;
	if (*c->n >= SG_GATE_MAX_LISTED)
		return 1; /* enough listed; every one is counted separately */
	if (*c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		b = sg_realloc_array(*c->list, cap, sizeof(*b));
		if (!b) {
			c->failed = 1;
			return 1;
		}
		*c->list = b;
		c->cap = cap;
	}
	b = &(*c->list)[*c->n];
	memset(b, 0, sizeof(*b));
	b->id = f->id;
	sg_hex(f->fingerprint, SG_FINGERPRINT_BYTES, b->fingerprint);
	b->severity = f->severity;
	b->line = f->line;
	b->tool = copy_cut(f->tool, 4096);
	b->rule = copy_cut(f->rule, 4096);
	b->path = copy_cut(f->path, 4096);
	b->component = copy_cut(f->component, 4096);
	b->message = copy_cut(f->message, SG_GATE_MESSAGE_KEPT);
	if (f->waiver_id && (w = find_waiver(c->exceptions, f->waiver_id))) {
		b->exception_id = w->id;
		snprintf(b->approver, sizeof(b->approver), "%s", w->approver);
		snprintf(b->expires, sizeof(b->expires), "%s", w->expires);
	}
	(*c->n)++;
	if (!b->tool || !b->rule || (f->path && !b->path) || (f->component && !b->component) || (f->message && !b->message)) {
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

static int scan_exception(void *ctx, const struct sg_exception *e)
{
	struct exception_scan *x = ctx;
	struct sg_gate_facts *f = x->facts;
	enum sg_exception_status st = sg_exception_status_at(e, x->now);
	char why[SG_GATE_REASON_BYTES];

	if (st == SG_EXC_EXPIRED || st == SG_EXC_REVOKED) {
		/* Keep the latest (ids ascend): drop the oldest when full. */
		if (x->n_lapsed == LAPSED_KEPT) {
			memmove(x->lapsed_ids, x->lapsed_ids + 1, sizeof(x->lapsed_ids[0]) * (LAPSED_KEPT - 1));
			memmove(x->lapsed_text, x->lapsed_text + 1, sizeof(x->lapsed_text[0]) * (LAPSED_KEPT - 1));
			x->n_lapsed--;
		}
		x->lapsed_ids[x->n_lapsed] = e->id;
		sg_exception_lapse_text(e, x->now, x->lapsed_text[x->n_lapsed], SG_GATE_REASON_BYTES);
		x->n_lapsed++;
		return 0;
	}
	if (st != SG_EXC_ACTIVE)
		return 0; /* a pending exception never waives */
	/* Approval belongs to the policy's approver role: an approval given
	 * under an earlier policy by another role is not one. */
	if (!e->approver_role || strcmp(e->approver_role, f->policy->approver_role) != 0) {
		if (f->n_bad_signatures < SG_GATE_MAX_REASONS)
			snprintf(f->bad_signatures[f->n_bad_signatures++], SG_GATE_REASON_BYTES,
				 "exception %lld was approved by %s (role %s), but the policy's approver_role is %s",
				 e->id, e->approver, e->approver_role ? e->approver_role : "unknown",
				 f->policy->approver_role);
		return 0; /* and it waives nothing */
	}
	if (sg_exception_verify(e, why, sizeof(why)) != 0) {
		if (f->n_bad_signatures < SG_GATE_MAX_REASONS)
			snprintf(f->bad_signatures[f->n_bad_signatures++], SG_GATE_REASON_BYTES, "%s", why);
		return 0; /* and it waives nothing */
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct waiver *w = sg_realloc_array(x->waivers, cap, sizeof(*w));
		long long *ids = w ? sg_realloc_array(x->ids, cap, sizeof(*ids)) : NULL;
		if (w)
			x->waivers = w;
		if (!w || !ids) {
			x->failed = 1;
			return 1;
		}
		x->ids = ids;
		x->cap = cap;
	}
	x->ids[x->n] = e->id;
	x->waivers[x->n].id = e->id;
	snprintf(x->waivers[x->n].approver, sizeof(x->waivers[x->n].approver), "%s", e->approver);
	snprintf(x->waivers[x->n].expires, sizeof(x->waivers[x->n].expires), "%s", e->expires_on);
	x->n++;
	f->n_waivers++;
	return 0;
}

static int lowest_blocking(const struct sg_policy *policy, enum sg_severity *out);

/* Lapsed exceptions that cover open blocking findings again: the reason
 * those findings block. Newest first, at most SG_GATE_MAX_REASONS. */
static int gather_lapsed(struct sg_store *store, const struct sg_finding_filter *open, struct exception_scan *x,
			 struct sg_error *err)
{
	struct sg_gate_facts *f = x->facts;
	struct sg_finding_filter one = *open;
	long long counts[SG_SEV_COUNT], total;
	size_t i;
	int rc, sev;

	for (i = x->n_lapsed; i-- > 0 && f->n_lapsed < SG_GATE_MAX_REASONS;) {
		one.waivers = &x->lapsed_ids[i];
		one.n_waivers = 1;
		one.waiver_mode = SG_WAIVERS_ONLY;
		one.also_not = x->ids; /* what an active waiver still covers does not block */
		one.n_also_not = x->n;
		if ((rc = sg_store_findings_count(store, &one, counts, err)))
			return rc;
		for (total = 0, sev = 0; sev < SG_SEV_COUNT; sev++)
			if (sg_policy_blocks(f->policy, (enum sg_severity)sev))
				total += counts[sev];
		if (total == 0)
			continue;
		f->lapsed[f->n_lapsed].findings = total;
		snprintf(f->lapsed[f->n_lapsed].text, SG_GATE_REASON_BYTES, "%s", x->lapsed_text[i]);
		f->n_lapsed++;
	}
	return 0;
}

struct oldest {
	long long id;
	time_t first_seen;
};

static int take_oldest(void *ctx, const struct sg_finding *f)
{
	struct oldest *o = ctx;

	o->id = f->id;
	o->first_seen = f->first_seen_at;
	return 1;
}

/* Clause remediate.sla: per severity with a deadline, the open unwaived
 * findings overdue and due soon, and the oldest overdue one. */
static int gather_sla(struct sg_store *store, long long product_id, const struct exception_scan *x,
		      struct sg_gate_facts *f, struct sg_error *err)
{
	struct sg_finding_filter q;
	int rc, sev;

	for (sev = 0; sev < SG_SEV_COUNT; sev++) {
		struct oldest o = {0, 0};
		if (f->policy->sla_days[sev] <= 0)
			continue;
		if ((rc = sg_sla_count(store, f->policy, product_id, (enum sg_severity)sev, f->now, x->ids, x->n, &q,
				       &f->overdue[sev], &f->due_soon[sev], err)))
			return rc;
		if (!f->overdue[sev])
			continue;
		q.first_seen_until = sg_sla_first_seen_cutoff(f->policy, (enum sg_severity)sev, f->now);
		q.limit = 1;
		rc = sg_store_findings_list(store, &q, take_oldest, &o, err);
		if (rc && rc != 1)
			return rc;
		f->oldest_overdue_id[sev] = o.id;
		sg_sla_due(f->policy, (enum sg_severity)sev, o.first_seen, &f->oldest_overdue_due[sev]);
	}
	return 0;
}

static int gather(struct sg_store *store, long long product_id, struct sg_gate_facts *facts,
		  struct sg_gate_report *report, struct exception_scan *x, struct sg_error *err)
{
	const char *commit = NULL;
	struct sg_finding_filter filter;
	struct sg_exception_filter ef;
	struct collect_blockers c = {&report->blockers, &report->n_blockers, facts->policy, x, 0, 0};
	struct collect_blockers w = {&report->waived, &report->n_waived, facts->policy, x, 0, 0};
	long long waived[SG_SEV_COUNT];
	int rc, sev;

	memset(&filter, 0, sizeof(filter));
	memset(&ef, 0, sizeof(ef));
	ef.product_id = product_id;
	ef.approved_only = 1;
	rc = sg_store_exceptions_list(store, &ef, scan_exception, x, err);
	if (x->failed)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (rc)
		return rc;
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
	if (facts->policy->sca.enabled) {
		commit = NULL;
		if (facts->release && facts->policy->sca.on_release_commit)
			commit = facts->release_commit;
		rc = sg_store_scan_newest(store, product_id, "sca", commit, &facts->sca, err);
		if (rc)
			return rc;
	}
	if (facts->policy->sla_enabled && (rc = gather_sla(store, product_id, x, facts, err)))
		return rc;
	if (filter.min_severity == SG_SEV_COUNT)
		return 0;
	if (x->n_lapsed && (rc = gather_lapsed(store, &filter, x, err)))
		return rc;
	filter.waivers = x->ids;
	filter.n_waivers = x->n;
	if (x->n) {
		filter.waiver_mode = SG_WAIVERS_ONLY;
		if ((rc = sg_store_findings_count(store, &filter, waived, err)))
			return rc;
		for (sev = 0; sev < SG_SEV_COUNT; sev++)
			facts->waived_by_severity[sev] = waived[sev];
		rc = sg_store_findings_list(store, &filter, add_blocker, &w, err);
		if (w.failed)
			return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		if (rc && rc != 1)
			return rc;
		filter.waiver_mode = SG_WAIVERS_EXCLUDE;
	}
	rc = sg_store_findings_list(store, &filter, add_blocker, &c, err);
	if (c.failed)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	return rc == 1 ? 0 : rc;
}

int sg_gate_active_waivers(struct sg_store *store, const struct sg_policy *policy, long long product_id, time_t now,
			   long long **ids, size_t *n, struct sg_error *err)
{
	struct sg_gate_facts facts;
	struct exception_scan x;
	struct sg_exception_filter ef;
	int rc;

	memset(&facts, 0, sizeof(facts));
	memset(&x, 0, sizeof(x));
	memset(&ef, 0, sizeof(ef));
	facts.policy = policy;
	x.facts = &facts;
	x.now = now;
	ef.product_id = product_id;
	ef.approved_only = 1;
	rc = sg_store_exceptions_list(store, &ef, scan_exception, &x, err);
	if (x.failed)
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	sg_free(x.waivers);
	if (rc) {
		sg_free(x.ids);
		return rc;
	}
	*ids = x.ids;
	*n = x.n;
	return 0;
}

int sg_app_gate(struct sg_app *app, const char *product, const char *release,
		struct sg_gate_report *report, struct sg_error *err)
{
	struct sg_gate_facts facts;
	struct exception_scan x;
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
	report->clock_overridden = facts.clock_overridden = sg_clock_overridden();
	/* One transaction, so severities, counts, scans and the listed blockers agree. */
	if ((rc = sg_app_begin_synced(app, store, product_id, product, err)))
		return rc;
	memset(&x, 0, sizeof(x));
	x.facts = &facts;
	x.now = facts.now;
	rc = gather(store, product_id, &facts, report, &x, err);
	sg_free(x.waivers);
	sg_free(x.ids);
	if (!rc)
		rc = sg_store_commit(store, err);
	else
		sg_store_rollback(store);
	if (rc)
		return rc;
	sg_gate_evaluate(&facts, &report->result);
	return 0;
}

static void free_listed(struct sg_gate_blocker **list, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		sg_free((*list)[i].tool);
		sg_free((*list)[i].rule);
		sg_free((*list)[i].path);
		sg_free((*list)[i].component);
		sg_free((*list)[i].message);
	}
	sg_free(*list);
	*list = NULL;
	*n = 0;
}

void sg_gate_report_release(struct sg_gate_report *report)
{
	free_listed(&report->blockers, &report->n_blockers);
	free_listed(&report->waived, &report->n_waived);
}

static void listed_json(struct sg_jw *w, const struct sg_gate_blocker *b, const char *clause)
{
	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "id", b->id);
	sg_jw_kv_string(w, "fingerprint", b->fingerprint);
	sg_jw_kv_string(w, "clause", clause);
	sg_jw_kv_string(w, "severity", sg_severity_name(b->severity));
	sg_jw_kv_string(w, "tool", b->tool);
	sg_jw_kv_string(w, "rule", b->rule);
	sg_jw_kv_string(w, "path", b->path);
	sg_jw_kv_string(w, "component", b->component);
	sg_jw_key(w, "line");
	if (b->line > 0)
		sg_jw_int(w, b->line);
	else
		sg_jw_null(w);
	sg_jw_kv_string(w, "message", b->message);
	if (b->exception_id) {
		sg_jw_key(w, "exception");
		sg_jw_object_begin(w);
		sg_jw_kv_int(w, "id", b->exception_id);
		sg_jw_kv_string(w, "approver", b->approver);
		sg_jw_kv_string(w, "expires", b->expires);
		sg_jw_object_end(w);
	}
	sg_jw_object_end(w);
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
	for (k = 0; k < r->n_blockers; k++)
		listed_json(w, &r->blockers[k], "remediate.release");
	sg_jw_array_end(w);
	sg_jw_key(w, "waived_findings");
	sg_jw_array_begin(w);
	for (k = 0; k < r->n_waived; k++)
		listed_json(w, &r->waived[k], "remediate.release");
	sg_jw_array_end(w);
	/* Beyond DESIGN.md's shape: every blocker is counted, at most
	 * SG_GATE_MAX_LISTED are listed above. */
	sg_jw_kv_int(w, "blocking_total", r->result.blocking_total);
	sg_jw_kv_int(w, "waived_total", r->result.waived_total);
	sg_jw_kv_string(w, "evaluated_at", when);
	/* A clock set by $SHIPGATE_NOW decided expiries and deadlines: say so. */
	sg_jw_key(w, "clock_overridden");
	sg_jw_bool(w, r->clock_overridden);
	sg_jw_object_end(w);
}
