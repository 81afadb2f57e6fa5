#include "core/gate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/sla.h"
#include "util/error.h"
#include "util/timeutil.h"

const char *sg_clause_status_name(enum sg_clause_status status)
{
	switch (status) {
	case SG_CLAUSE_PASS:
		return "pass";
	case SG_CLAUSE_FAIL:
		return "fail";
	case SG_CLAUSE_WAIVED:
		return "waived";
	case SG_CLAUSE_NOT_APPLICABLE:
		return "not_applicable";
	default:
		return "unknown";
	}
}

static struct sg_clause_result *add_clause(struct sg_gate_result *out, const char *id)
{
	struct sg_clause_result *c = &out->clauses[out->n_clauses++];

	memset(c, 0, sizeof(*c));
	c->id = id;
	return c;
}

static void reason(struct sg_clause_result *c, const char *fmt, ...) SG_PRINTF(2, 3);
static void reason(struct sg_clause_result *c, const char *fmt, ...)
{
	va_list ap;

	if (c->n_reasons >= SG_GATE_MAX_REASONS)
		return;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(c->reasons[c->n_reasons++], SG_GATE_REASON_BYTES, fmt, ap);
	va_end(ap);
}

/* "critical or high", "critical, high or medium" */
static void blocking_names(const struct sg_policy *policy, char *out, size_t size)
{
	int sev, n = 0, total = 0;
	size_t used = 0;

	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--)
		total += sg_policy_blocks(policy, (enum sg_severity)sev);
	out[0] = '\0';
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		int w;
		if (!sg_policy_blocks(policy, (enum sg_severity)sev))
			continue;
		n++;
		w = snprintf(out + used, size - used, "%s%s",
			     n == 1 ? "" : (n == total ? " or " : ", "),
			     sg_severity_name((enum sg_severity)sev));
		if (w < 0 || (size_t)w >= size - used)
			return;
		used += (size_t)w;
	}
}

/* Clause remediate.release: open findings at blocking severities block. */
static void remediate_release(const struct sg_gate_facts *f, struct sg_gate_result *out)
{
	struct sg_clause_result *c = add_clause(out, "remediate.release");
	char names[80], counts[200] = "";
	size_t used = 0;
	long long total = 0;
	int sev, i;

	blocking_names(f->policy, names, sizeof(names));
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		long long n = f->open_by_severity[sev] - f->waived_by_severity[sev];
		int w;
		if (!sg_policy_blocks(f->policy, (enum sg_severity)sev))
			continue;
		out->waived_total += f->waived_by_severity[sev];
		if (n <= 0)
			continue;
		total += n;
		w = snprintf(counts + used, sizeof(counts) - used, "%s%lld %s", used ? ", " : "", n,
			     sg_severity_name((enum sg_severity)sev));
		if (w > 0 && (size_t)w < sizeof(counts) - used)
			used += (size_t)w;
	}
	out->blocking_total = total;
	if (names[0] == '\0') {
		c->status = SG_CLAUSE_PASS;
		reason(c, "the policy blocks no severity");
	} else if (total == 0 && out->waived_total == 0) {
		c->status = SG_CLAUSE_PASS;
		reason(c, "no open %s findings", names);
	} else if (total == 0) {
		c->status = SG_CLAUSE_WAIVED;
		reason(c, "every open %s finding (%lld) is waived by an approved exception", names,
		       out->waived_total);
	} else {
		c->status = SG_CLAUSE_FAIL;
		reason(c, "%lld open finding%s at %s severity %s the release (%s)", total,
		       total == 1 ? "" : "s", names, total == 1 ? "blocks" : "block", counts);
		if (out->waived_total)
			reason(c, "%lld more %s waived by approved exceptions", out->waived_total,
			       out->waived_total == 1 ? "is" : "are");
	}
	if (total > 0)
		for (i = 0; i < f->n_lapsed; i++)
			reason(c, "%lld finding%s block%s again: %s", f->lapsed[i].findings,
			       f->lapsed[i].findings == 1 ? "" : "s", f->lapsed[i].findings == 1 ? "s" : "",
			       f->lapsed[i].text);
}

/* Clause exceptions: every waiver in force carries a valid approval. */
static void exceptions(const struct sg_gate_facts *f, struct sg_gate_result *out)
{
	struct sg_clause_result *c = add_clause(out, "exceptions");
	int i;

	if (f->n_bad_signatures) {
		c->status = SG_CLAUSE_FAIL;
		for (i = 0; i < f->n_bad_signatures; i++)
			reason(c, "%s", f->bad_signatures[i]);
		return;
	}
	c->status = SG_CLAUSE_PASS;
	if (f->n_waivers == 0)
		reason(c, "no active exception applies to product %s", f->product);
	else
		reason(c, "%d active exception%s, %sapproved by the %s role with a signature that verifies",
		       f->n_waivers, f->n_waivers == 1 ? "" : "s", f->n_waivers == 1 ? "" : "each ",
		       f->policy->approver_role);
}

/* Clause remediate.sla: no finding at a blocking severity past its due date. */
static void remediate_sla(const struct sg_gate_facts *f, struct sg_gate_result *out)
{
	struct sg_clause_result *c = add_clause(out, "remediate.sla");
	char due[SG_TIME_TEXT];
	long long blocking = 0, soon = 0;
	int sev;

	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		if (sg_policy_blocks(f->policy, (enum sg_severity)sev))
			blocking += f->overdue[sev];
		soon += f->due_soon[sev];
	}
	c->status = blocking ? SG_CLAUSE_FAIL : SG_CLAUSE_PASS;
	if (blocking == 0)
		reason(c, "no finding at a blocking severity is past its due date");
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		if (!f->overdue[sev])
			continue;
		sg_time_format(f->oldest_overdue_due[sev], due);
		reason(c, "%lld %s finding%s overdue; the oldest, #%lld, was due %.10s (sla_days %d)", f->overdue[sev],
		       sg_severity_name((enum sg_severity)sev), f->overdue[sev] == 1 ? " is" : "s are",
		       f->oldest_overdue_id[sev], due, f->policy->sla_days[sev]);
	}
	if (soon)
		reason(c, "%lld finding%s due within %d days", soon, soon == 1 ? "" : "s", SG_SLA_DUE_SOON_DAYS);
}

static void short_commit(const char *commit, char out[16])
{
	snprintf(out, 16, "%.12s", commit ? commit : "");
}

/* How a clause whose evidence is a scan names that evidence in its reasons. */
struct scan_clause {
	const char *id;         /* "sast", "sca" */
	const char *evidence;   /* "SAST scan", "SBOM": "no SBOM of commit ..." */
	const char *scan;       /* "SAST scan", "SBOM scan": "SBOM scan 12 (cdxgen) ..." */
	int on_release_commit;
	int max_age_days;
	const struct sg_gate_scan *found;
};

/* Clauses sast and sca: the evidence was made of the release's commit, or,
 * without a release, recently enough. */
static void judge_scan_clause(const struct sg_gate_facts *f, const struct scan_clause *k,
			      struct sg_gate_result *out)
{
	const struct sg_gate_scan *s = k->found;
	struct sg_clause_result *c = add_clause(out, k->id);
	char when[SG_TIME_TEXT], commit[16];
	const char *tool = s->tool[0] ? s->tool : "unknown tool";

	if (s->found)
		sg_time_format(s->created_at, when);
	if (f->release && k->on_release_commit) {
		short_commit(f->release_commit, commit);
		if (!s->found) {
			c->status = SG_CLAUSE_FAIL;
			reason(c, "no %s of commit %s (release %s)", k->evidence, commit, f->release);
		} else {
			c->status = SG_CLAUSE_PASS;
			reason(c, "%s %lld (%s) of commit %s at %s", k->scan, s->id, tool, commit, when);
		}
		return;
	}
	if (!s->found) {
		c->status = SG_CLAUSE_FAIL;
		reason(c, "no %s recorded for product %s", k->evidence, f->product);
		return;
	}
	{
		double age_days = difftime(f->now, s->created_at) / 86400.0;
		short_commit(s->commit, commit);
		if (age_days > (double)k->max_age_days) {
			c->status = SG_CLAUSE_FAIL;
			reason(c, "the newest %s (%lld, %s, at %s) is %.0f days old; the policy allows %d",
			       k->evidence, s->id, tool, when, age_days, k->max_age_days);
		} else {
			c->status = SG_CLAUSE_PASS;
			reason(c, "%s %lld (%s%s%s) at %s, within %d days", k->scan, s->id, tool,
			       commit[0] ? ", commit " : "", commit, when, k->max_age_days);
		}
	}
}

/* Clause sast: "a SAST scan of the release commit is required". */
static void sast(const struct sg_gate_facts *f, struct sg_gate_result *out)
{
	const struct sg_policy_sast *p = &f->policy->sast;
	const struct scan_clause k = {"sast", "SAST scan", "SAST scan", p->on_release_commit,
				      p->max_age_days, &f->sast};

	judge_scan_clause(f, &k, out);
}

/* Clause sca: an SBOM of the release's components, which ingest matched
 * against vulnerability data; what it found blocks under remediate.release. */
static void sca(const struct sg_gate_facts *f, struct sg_gate_result *out)
{
	const struct sg_policy_sca *p = &f->policy->sca;
	const struct scan_clause k = {"sca", "SBOM", "SBOM scan", p->on_release_commit,
				      p->max_age_days, &f->sca};

	judge_scan_clause(f, &k, out);
}

void sg_gate_evaluate(const struct sg_gate_facts *facts, struct sg_gate_result *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	remediate_release(facts, out);
	exceptions(facts, out);
	if (facts->policy->sla_enabled)
		remediate_sla(facts, out);
	if (facts->policy->sast.enabled)
		sast(facts, out);
	if (facts->policy->sca.enabled)
		sca(facts, out);
	for (i = 0; i < out->n_clauses; i++)
		if (out->clauses[i].status == SG_CLAUSE_FAIL)
			out->blocked = 1;
}
