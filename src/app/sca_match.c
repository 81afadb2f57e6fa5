/*
 * Matching an SBOM against the OSV database (app/sca_match.h), and the
 * licence policy over the same components.
 */
#include "app/sca_match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "sca/license.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Begins the reason of every status a VEX statement set: what it set, it may undo. */
#define VEX_REASON_PREFIX "VEX: "

/* A distribution record scoped to a release ("Debian:12") applies to a
 * component of that release; a record without a release, or a component
 * whose release is not known ("Debian"), applies across releases. */
static int ecosystem_applies(const char *component_eco, const char *record_eco)
{
	size_t n = strlen(component_eco);

	if (strcmp(component_eco, record_eco) == 0 || !strchr(record_eco, ':') || !strchr(component_eco, ':'))
		return 1;
	/* "Ubuntu:22.04" names "Ubuntu:22.04:LTS" too. */
	return strncmp(component_eco, record_eco, n) == 0 && record_eco[n] == ':';
}

struct evaluate {
	const struct sg_component_record *c;
	enum sg_vorder order;
	sg_sca_evaluation_cb cb;
	void *cb_ctx;
	struct sg_error *err;
	char why_not[300];
};

static int evaluate_candidate(void *ctx, const struct sg_vuln_candidate *cand)
{
	struct evaluate *ev = ctx;
	struct sg_sca_evaluation e;
	struct sg_osv_affected a;
	int rc;

	memset(&e, 0, sizeof(e));
	e.record = cand;
	if (cand->withdrawn) {
		e.why_not = "the record is withdrawn";
		return ev->cb(ev->cb_ctx, &e);
	}
	if (!ecosystem_applies(ev->c->ecosystem, cand->ecosystem)) {
		e.why_not = "the record's ecosystem is another release";
		return ev->cb(ev->cb_ctx, &e);
	}
	memset(&a, 0, sizeof(a));
	rc = sg_osv_affected_from_json(cand->affected, strlen(cand->affected), &a, ev->err);
	if (rc) {
		char why[sizeof(ev->err->message)];
		snprintf(why, sizeof(why), "%s", ev->err->message); /* err is written again below */
		sg_osv_affected_free(&a);
		return sg_error_set(ev->err, SG_DIAG_STORE_FAILED, "the stored entry of %s does not read back: %s",
				    cand->osv_id, why);
	}
	rc = sg_osv_evaluate(&a, ev->order, ev->c->version, &e.verdict, ev->err);
	sg_osv_affected_free(&a);
	if (rc == SG_EINPUT) {
		/* The version cannot be placed in this record's ranges (a SEMVER
		 * range for a version its ecosystem reads but SemVer does not):
		 * a fact about this pair, reported, not a fault of the SBOM. */
		snprintf(ev->why_not, sizeof(ev->why_not), "the version cannot be placed in its ranges: %.240s",
			 ev->err->message);
		sg_error_clear(ev->err);
		e.why_not = ev->why_not;
		e.unplaceable = 1;
		return ev->cb(ev->cb_ctx, &e);
	}
	if (rc)
		return rc;
	e.applies = 1;
	return ev->cb(ev->cb_ctx, &e);
}

int sg_sca_evaluate_component(struct sg_store *store, const struct sg_component_record *c,
			      sg_sca_evaluation_cb cb, void *ctx, struct sg_error *err)
{
	struct evaluate ev;
	char base[64];

	if (c->unmatched || !c->ecosystem || !c->package || !c->version)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "component %s cannot be matched: %s", c->name,
				    c->unmatched ? c->unmatched : "it has no package or version");
	memset(&ev, 0, sizeof(ev));
	ev.c = c;
	ev.order = sg_vorder_for_ecosystem(c->ecosystem);
	ev.cb = cb;
	ev.cb_ctx = ctx;
	ev.err = err;
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(c->ecosystem, ":"), c->ecosystem);
	return sg_store_vuln_candidates(store, base, c->package, evaluate_candidate, &ev, err);
}

/* ---- one matching pass ---- */

/* A record that affects the component being matched. */
struct hit {
	char *osv_id;
	char *aliases;      /* one per line */
	char *summary;
	int severity;       /* -1: the record gives none */
	char fixed_in[128];
	int undecided;      /* affected only because an event could not be read */
	int group;          /* index of the group's first hit */
};

struct vex_entry {
	char *ref;
	char *vuln;
	char *state;
	char *justification;
};

/* A finding reported in this pass. */
struct seen {
	unsigned char base[SG_FINGERPRINT_BYTES];
	long long finding_id;
	int vexed; /* a VEX statement of the copy that reported it set it not applicable */
};

struct match {
	struct sg_store *store;
	const struct sg_policy *policy;
	const struct sg_sca_match_params *p;
	struct sg_sca_counts *counts;
	struct sg_error *err;
	const struct sg_component_record *c;
	enum sg_vorder order;

	struct hit *hits;
	size_t n_hits, cap_hits;

	struct vex_entry *vex;
	size_t n_vex, cap_vex;

	/* The rules of the findings the product has about the component being
	 * matched: a vulnerability keeps the id its finding was first given. */
	char **existing;
	size_t n_existing, cap_existing;

	/* Identity bases reported in this pass, sorted: a component listed twice
	 * (two versions nested in one SBOM) reports a vulnerability once. */
	struct seen *seen;
	size_t n_seen, cap_seen;
};

static void hits_clear(struct match *m)
{
	size_t i;

	for (i = 0; i < m->n_hits; i++) {
		sg_free(m->hits[i].osv_id);
		sg_free(m->hits[i].aliases);
		sg_free(m->hits[i].summary);
	}
	m->n_hits = 0;
}

static void existing_clear(struct match *m)
{
	size_t i;

	for (i = 0; i < m->n_existing; i++)
		sg_free(m->existing[i]);
	m->n_existing = 0;
}

static int grow(void **array, size_t *cap, size_t need, size_t size, struct sg_error *err);

static int take_existing(void *ctx, const char *rule, enum sg_finding_status status)
{
	struct match *m = ctx;
	int rc;

	(void)status;
	if ((rc = grow((void **)&m->existing, &m->cap_existing, m->n_existing + 1, sizeof(*m->existing), m->err)))
		return rc;
	if (!(m->existing[m->n_existing] = sg_strdup(rule)))
		return sg_error_set(m->err, SG_DIAG_NO_MEMORY, "out of memory");
	m->n_existing++;
	return 0;
}

static int grow(void **array, size_t *cap, size_t need, size_t size, struct sg_error *err)
{
	size_t n = *cap ? *cap * 2 : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = sg_realloc_array(*array, n, size);
	if (!p)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	*array = p;
	*cap = n;
	return 0;
}

/* The entry of base in the seen set, added if new (*was_there 0). */
static struct seen *seen_entry(struct match *m, const unsigned char base[SG_FINGERPRINT_BYTES], int *was_there,
			       int *rc)
{
	size_t lo = 0, hi = m->n_seen;

	*rc = 0;
	*was_there = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(m->seen[mid].base, base, SG_FINGERPRINT_BYTES);
		if (c == 0) {
			*was_there = 1;
			return &m->seen[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((*rc = grow((void **)&m->seen, &m->cap_seen, m->n_seen + 1, sizeof(m->seen[0]), m->err)))
		return NULL;
	memmove(&m->seen[lo + 1], &m->seen[lo], (m->n_seen - lo) * sizeof(m->seen[0]));
	memset(&m->seen[lo], 0, sizeof(m->seen[lo]));
	memcpy(m->seen[lo].base, base, SG_FINGERPRINT_BYTES);
	m->n_seen++;
	return &m->seen[lo];
}

static int collect_hit(void *ctx, const struct sg_sca_evaluation *e)
{
	struct match *m = ctx;
	struct hit *h;
	int rc;

	if (e->applies)
		m->counts->skipped_versions += e->verdict.unparseable;
	m->counts->unplaceable += e->unplaceable;
	if (!e->applies || !e->verdict.affected)
		return 0;
	if ((rc = grow((void **)&m->hits, &m->cap_hits, m->n_hits + 1, sizeof(*m->hits), m->err)))
		return rc;
	h = &m->hits[m->n_hits];
	memset(h, 0, sizeof(*h));
	h->osv_id = sg_strdup(e->record->osv_id);
	h->aliases = sg_strdup(e->record->aliases ? e->record->aliases : "");
	h->summary = e->record->summary ? sg_strdup(e->record->summary) : NULL;
	m->n_hits++;
	if (!h->osv_id || !h->aliases || (e->record->summary && !h->summary))
		return sg_error_set(m->err, SG_DIAG_NO_MEMORY, "out of memory");
	h->severity = e->record->severity;
	snprintf(h->fixed_in, sizeof(h->fixed_in), "%s", e->verdict.fixed_in);
	h->undecided = e->verdict.undecided;
	h->group = (int)(m->n_hits - 1);
	return 0;
}

/* Is `name` the id or one of the aliases of h? */
static int hit_named(const struct hit *h, const char *name, size_t len)
{
	const char *a = h->aliases;

	if (strlen(h->osv_id) == len && memcmp(h->osv_id, name, len) == 0)
		return 1;
	while (*a) {
		size_t n = strcspn(a, "\n");
		if (n == len && memcmp(a, name, len) == 0)
			return 1;
		a += n;
		if (*a)
			a++;
	}
	return 0;
}

/* Do two records name each other, or a common alias? */
static int hits_related(const struct hit *x, const struct hit *y)
{
	const char *a = x->aliases;

	if (hit_named(y, x->osv_id, strlen(x->osv_id)))
		return 1;
	while (*a) {
		size_t n = strcspn(a, "\n");
		if (n && hit_named(y, a, n))
			return 1;
		a += n;
		if (*a)
			a++;
	}
	return 0;
}

static int find_group(struct match *m, int i)
{
	while (m->hits[i].group != i)
		i = m->hits[i].group = m->hits[m->hits[i].group].group;
	return i;
}

/* Records that name each other are one vulnerability (union-find). */
static void group_hits(struct match *m)
{
	size_t i, j;

	for (i = 0; i < m->n_hits; i++)
		for (j = i + 1; j < m->n_hits; j++)
			if (hits_related(&m->hits[i], &m->hits[j])) {
				int a = find_group(m, (int)i), b = find_group(m, (int)j);
				if (a != b)
					m->hits[a > b ? a : b].group = a < b ? a : b;
			}
	for (i = 0; i < m->n_hits; i++)
		m->hits[i].group = find_group(m, (int)i);
}

/* Prefer a CVE id (the name most people search for) over the others;
 * among equals the smallest, so the choice does not depend on which
 * record was imported first. */
static int better_name(const char *cand, size_t len, const char *best, size_t best_len)
{
	int cand_cve = len > 4 && memcmp(cand, "CVE-", 4) == 0;
	int best_cve = best_len > 4 && memcmp(best, "CVE-", 4) == 0;
	size_t n = len < best_len ? len : best_len;
	int c;

	if (!best)
		return 1;
	if (cand_cve != best_cve)
		return cand_cve;
	c = memcmp(cand, best, n);
	return c < 0 || (c == 0 && len < best_len);
}

struct vuln_group {
	char canonical[128];
	char others[512];      /* the other names, comma separated */
	int severity;          /* -1 when no record gives one */
	char fixed_in[128];
	const char *summary;
	int undecided;         /* every record of it matched only by failing closed */
};

static void consider_name(struct vuln_group *g, const char **best, size_t *best_len, const char *name,
			  size_t len)
{
	if (len && len < sizeof(g->canonical) && better_name(name, len, *best, *best_len)) {
		*best = name;
		*best_len = len;
	}
}

/* The rule of an existing finding that names this flaw, if any. */
static const char *existing_name(const struct match *m, int group)
{
	size_t e, i;

	for (e = 0; e < m->n_existing; e++)
		for (i = 0; i < m->n_hits; i++)
			if (m->hits[i].group == group &&
			    hit_named(&m->hits[i], m->existing[e], strlen(m->existing[e])))
				return m->existing[e];
	return NULL;
}

static void describe_group(struct match *m, int group, struct vuln_group *g)
{
	const char *best = NULL, *known;
	size_t best_len = 0, i, used = 0;

	memset(g, 0, sizeof(*g));
	g->severity = -1;
	g->undecided = 1;
	for (i = 0; i < m->n_hits; i++) {
		const struct hit *h = &m->hits[i];
		const char *a = h->aliases;
		int cmp = 0;
		if (h->group != group)
			continue;
		/* Only CVE aliases compete with record ids: other aliases may
		 * name records this database does not hold. */
		consider_name(g, &best, &best_len, h->osv_id, strlen(h->osv_id));
		while (*a) {
			size_t n = strcspn(a, "\n");
			if (n > 4 && memcmp(a, "CVE-", 4) == 0)
				consider_name(g, &best, &best_len, a, n);
			a += n;
			if (*a)
				a++;
		}
		if (h->severity > g->severity)
			g->severity = h->severity;
		g->undecided &= h->undecided;
		if (!g->summary && h->summary)
			g->summary = h->summary;
		/* The version that fixes every record of the flaw: the largest. */
		if (h->fixed_in[0] &&
		    (!g->fixed_in[0] || (sg_version_compare(m->order, h->fixed_in, g->fixed_in, &cmp, m->err) == 0 &&
					 cmp > 0)))
			snprintf(g->fixed_in, sizeof(g->fixed_in), "%s", h->fixed_in);
	}
	sg_error_clear(m->err);
	snprintf(g->canonical, sizeof(g->canonical), "%.*s", (int)best_len, best ? best : "");
	/* A finding exists under one of the flaw's names: keep that name, so
	 * that a CVE alias arriving later, or another database's record of
	 * the same flaw, does not make it a new finding (and the old one
	 * "fixed"), restarting its SLA and losing its triage and exceptions. */
	if ((known = existing_name(m, group)) && strlen(known) < sizeof(g->canonical))
		snprintf(g->canonical, sizeof(g->canonical), "%s", known);
	for (i = 0; i < m->n_hits; i++) {
		const struct hit *h = &m->hits[i];
		int n;
		size_t j;
		if (h->group != group || strcmp(h->osv_id, g->canonical) == 0)
			continue;
		/* GHSA splits one package's ranges over several entries: name the
		 * record once. */
		for (j = 0; j < i; j++)
			if (m->hits[j].group == group && strcmp(m->hits[j].osv_id, h->osv_id) == 0)
				break;
		if (j < i)
			continue;
		n = snprintf(g->others + used, sizeof(g->others) - used, "%s%s", used ? ", " : "", h->osv_id);
		if (n < 0 || (size_t)n >= sizeof(g->others) - used)
			break;
		used += (size_t)n;
	}
}

static int load_vex(void *ctx, const struct sg_vex_record *v)
{
	struct match *m = ctx;
	struct vex_entry *e;
	int rc;

	/* Only statements that take a finding away matter here. */
	if (strcmp(v->state, "not_affected") != 0 && strcmp(v->state, "false_positive") != 0)
		return 0;
	if ((rc = grow((void **)&m->vex, &m->cap_vex, m->n_vex + 1, sizeof(*m->vex), m->err)))
		return rc;
	e = &m->vex[m->n_vex++];
	e->ref = sg_strdup(v->ref);
	e->vuln = sg_strdup(v->vuln);
	e->state = sg_strdup(v->state);
	e->justification = v->justification ? sg_strdup(v->justification) : NULL;
	if (!e->ref || !e->vuln || !e->state || (v->justification && !e->justification))
		return sg_error_set(m->err, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

static int vex_order(const void *a, const void *b)
{
	const struct vex_entry *x = a, *y = b;
	int c = strcmp(x->ref, y->ref);

	return c ? c : strcmp(x->vuln, y->vuln);
}

/* The statement about (ref, name), by binary search over the sorted
 * statements: an SBOM with thousands of statements about one component
 * costs a lookup per name, not a scan. */
static const struct vex_entry *vex_find(const struct match *m, const char *ref, const char *name, size_t len)
{
	size_t lo = 0, hi = m->n_vex;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vex_entry *v = &m->vex[mid];
		int c = strcmp(v->ref, ref);
		if (c == 0) {
			c = strncmp(v->vuln, name, len);
			if (c == 0 && v->vuln[len] != '\0')
				c = 1;
		}
		if (c == 0)
			return v;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A VEX statement of the SBOM about this component and this vulnerability
 * (by any of its names). */
static const struct vex_entry *vex_for(struct match *m, int group)
{
	const struct vex_entry *v;
	size_t j;

	if (!m->c->ref || m->n_vex == 0)
		return NULL;
	for (j = 0; j < m->n_hits; j++) {
		const struct hit *h = &m->hits[j];
		const char *a = h->aliases;
		if (h->group != group)
			continue;
		if ((v = vex_find(m, m->c->ref, h->osv_id, strlen(h->osv_id))))
			return v;
		while (*a) {
			size_t n = strcspn(a, "\n");
			if (n && (v = vex_find(m, m->c->ref, a, n)))
				return v;
			a += n;
			if (*a)
				a++;
		}
	}
	return NULL;
}

static int sight(struct match *m, const char *kind, const char *tool, const char *rule, const char *rule_name,
		 const char *identity_text, enum sg_severity severity, const char *message,
		 struct sg_sighting_outcome *out, struct seen **entry, int *duplicate)
{
	struct sg_identity_input id;
	struct sg_sighting s;
	struct sg_view view;
	unsigned char base[SG_FINGERPRINT_BYTES];
	int rc;

	memset(&id, 0, sizeof(id));
	id.kind = kind;
	id.category = "";
	id.tool = tool;
	id.rule = rule;
	id.path = m->c->component ? m->c->component : m->c->name;
	id.flagged_text = identity_text;
	sg_identity_base(&id, base);
	*entry = seen_entry(m, base, duplicate, &rc);
	if (rc || *duplicate)
		return rc;
	memset(&s, 0, sizeof(s));
	s.rule = rule;
	s.rule_name = rule_name;
	s.tool_severity = severity;
	s.severity = sg_policy_severity(m->policy, tool, rule, severity);
	s.message = message;
	s.component = m->c->component;
	view.product_id = m->p->product_id;
	view.kind = kind;
	view.tool = tool;
	view.category = "";
	rc = sg_store_finding_sight(m->store, &view, m->p->ingest_id, m->p->scan_id, base, &s, m->p->now, out, m->err);
	if (rc)
		return rc;
	(*entry)->finding_id = out->finding_id;
	m->counts->new_findings += out->is_new;
	m->counts->reopened += out->reopened;
	return 0;
}

static int apply_vex(struct match *m, long long finding_id, const struct vex_entry *v)
{
	char reason[SG_MAX_REASON_BYTES];
	int rc;

	snprintf(reason, sizeof(reason), "%s%s%s%s%s, in %s", VEX_REASON_PREFIX, v->state, v->justification ? " (" : "",
		 v->justification ? v->justification : "", v->justification ? ")" : "",
		 m->p->artifact ? m->p->artifact : "the SBOM");
	rc = sg_store_finding_set_status(m->store, finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
					 SG_EVENT_TRIAGED, reason, m->p->now, m->err);
	if (rc == SG_ECONFLICT) { /* not open: triaged already, or fixed */
		sg_error_clear(m->err);
		return 0;
	}
	if (!rc)
		m->counts->not_applicable++;
	return rc;
}

/* The component is listed twice (two copies in one SBOM), the first copy
 * was set not applicable by a VEX statement, and this one has none: the
 * product still ships a vulnerable copy, so the finding is open again. */
static int unvex(struct match *m, struct seen *e)
{
	char reason[SG_MAX_REASON_BYTES];
	int rc;

	snprintf(reason, sizeof(reason), "another copy of %.200s in the SBOM, %.100s, has no VEX statement for it",
		 m->c->name, m->c->version ? m->c->version : "without a version");
	rc = sg_store_finding_set_status(m->store, e->finding_id, SG_STATUS_FALSE_POSITIVE, SG_STATUS_OPEN,
					 SG_EVENT_TRIAGED, reason, m->p->now, m->err);
	if (rc)
		return rc;
	e->vexed = 0;
	m->counts->not_applicable--;
	return 0;
}

/* The finding's latest event: was it set aside by a VEX statement? */
struct last_event {
	int by_vex;
};

static int take_last_event(void *ctx, const struct sg_finding_event *e)
{
	struct last_event *l = ctx;

	l->by_vex = e->kind == SG_EVENT_TRIAGED && e->to_status && strcmp(e->to_status, "false_positive") == 0 &&
		    e->reason && strncmp(e->reason, VEX_REASON_PREFIX, strlen(VEX_REASON_PREFIX)) == 0;
	return 0;
}

/*
 * A finding a VEX statement set aside stays aside only while the SBOM says
 * so: matched again with no statement for it (a newer SBOM without one, or
 * with another state), it is open again. A person's triage is never undone.
 */
static int vex_withdrawn(struct match *m, long long finding_id)
{
	struct last_event last = {0};
	char reason[SG_MAX_REASON_BYTES];
	int rc;

	if ((rc = sg_store_finding_events(m->store, finding_id, take_last_event, &last, m->err)))
		return rc;
	if (!last.by_vex)
		return 0;
	snprintf(reason, sizeof(reason), "no VEX statement sets it aside in %s any more",
		 m->p->artifact ? m->p->artifact : "the SBOM");
	rc = sg_store_finding_set_status(m->store, finding_id, SG_STATUS_FALSE_POSITIVE, SG_STATUS_OPEN,
					 SG_EVENT_TRIAGED, reason, m->p->now, m->err);
	if (rc == SG_ECONFLICT) { /* no longer a false positive */
		sg_error_clear(m->err);
		return 0;
	}
	return rc;
}

static int report_vulnerabilities(struct match *m)
{
	struct sg_sighting_outcome out;
	struct seen *entry = NULL;
	struct vuln_group g;
	char message[SG_SARIF_MAX_MESSAGE_BYTES];
	size_t i;
	int rc, duplicate;

	group_hits(m);
	for (i = 0; i < m->n_hits; i++) {
		const struct vex_entry *v;
		enum sg_severity sev;
		if (m->hits[i].group != (int)i)
			continue;
		describe_group(m, (int)i, &g);
		/* A record without any severity (Go's vulndb gives none) is rated
		 * high: a security gate must not let an unrated flaw through
		 * unseen; severity_overrides can lower it per record. */
		sev = g.severity >= 0 ? (enum sg_severity)g.severity : SG_SEV_HIGH;
		snprintf(message, sizeof(message), "%s %s is affected by %s%s%s%s%s%s; %s%s%s%s", m->c->name,
			 m->c->version, g.canonical, g.others[0] ? " (" : "", g.others, g.others[0] ? ")" : "",
			 g.summary ? ": " : "", g.summary ? g.summary : "",
			 g.fixed_in[0] ? "fixed in " : "no fixed version is known", g.fixed_in,
			 g.severity >= 0 ? "" : " (the records give no severity: rated high)",
			 g.undecided ? " (a version in the record could not be read: counted as affected, "
				       "see sca explain)" : "");
		if ((rc = sight(m, SG_SCA_KIND, SG_SCA_TOOL, g.canonical, g.summary, NULL, sev, message, &out,
				&entry, &duplicate)))
			return rc;
		v = vex_for(m, (int)i);
		if (duplicate) {
			if (entry->vexed && !v && (rc = unvex(m, entry)))
				return rc;
			continue;
		}
		m->counts->findings++;
		if (v) {
			long long before = m->counts->not_applicable;
			if ((rc = apply_vex(m, out.finding_id, v)))
				return rc;
			entry->vexed = m->counts->not_applicable > before;
		} else if (!out.is_new && (rc = vex_withdrawn(m, out.finding_id))) {
			return rc;
		}
	}
	return 0;
}

/*
 * A licence the SBOM wrote as free text is kept as a LicenseRef- (ingest),
 * which a deny list alone would let through even when the text names a
 * denied licence ("GPL-3.0-only AND", cut short). Such a reference that
 * contains a denied id, in any case, counts as that licence.
 */
static const char *denied_in_reference(const struct sg_policy_licenses *lp, const char *expr)
{
	const char *ref = strcasestr(expr, "LicenseRef-");
	size_t i;

	for (; ref; ref = strcasestr(ref + 1, "LicenseRef-"))
		for (i = 0; i < lp->n_deny; i++)
			if (strcasestr(ref + strlen("LicenseRef-"), lp->deny[i]))
				return lp->deny[i];
	return NULL;
}

/* Licences: each expression the component declares, held against the policy. */
static int check_licenses(struct match *m)
{
	const struct sg_policy_licenses *lp = &m->policy->licenses;
	const char *line = m->c->licenses;
	char expr[SG_LICENSE_EXPR_MAX_BYTES], offending[512], rule[600], message[SG_SARIF_MAX_MESSAGE_BYTES];
	struct sg_sighting_outcome out;
	struct seen *entry;
	const char *denied;
	int rc, ok, duplicate;

	while (line && *line) {
		size_t n = strcspn(line, "\n");
		snprintf(expr, sizeof(expr), "%.*s", (int)n, line);
		line += n;
		if (*line)
			line++;
		if (!expr[0])
			continue;
		rc = sg_license_evaluate(expr, (const char *const *)lp->deny, lp->n_deny,
					 (const char *const *)lp->allow, lp->n_allow, &ok, offending, sizeof(offending),
					 m->err);
		if (rc)
			return rc; /* stored expressions were normalised at ingest: they parse */
		if (ok && (denied = denied_in_reference(lp, expr)))
			snprintf(offending, sizeof(offending), "%s", denied);
		else if (ok)
			continue;
		snprintf(rule, sizeof(rule), "license:%s", offending);
		snprintf(message, sizeof(message), "%s%s%s is licensed %s, which the policy does not allow (%s)",
			 m->c->name, m->c->version ? " " : "", m->c->version ? m->c->version : "", expr, offending);
		if ((rc = sight(m, SG_LICENSE_KIND, SG_LICENSE_TOOL, rule, expr, expr, lp->severity, message, &out,
				&entry, &duplicate)))
			return rc;
		if (!duplicate)
			m->counts->license_findings++;
	}
	return 0;
}

/* The component is still shipped but cannot be evaluated now (its purl
 * lost its version, a record cannot place it): its open findings stay open. */
static int carry(struct match *m)
{
	struct sg_view view = {m->p->product_id, SG_SCA_KIND, SG_SCA_TOOL, ""};

	if (!m->c->component)
		return 0;
	return sg_store_component_findings_carry(m->store, &view, m->c->component, m->p->ingest_id, m->p->scan_id,
						 m->err);
}

static int match_component(void *ctx, const struct sg_component_record *c)
{
	struct match *m = ctx;
	struct sg_view sca_view = {m->p->product_id, SG_SCA_KIND, SG_SCA_TOOL, ""};
	long long unplaceable;
	int rc;

	m->c = c;
	m->counts->components++;
	if (m->policy->licenses.enabled && c->licenses && (rc = check_licenses(m)))
		return rc;
	if (c->unmatched) {
		m->counts->unmatched++;
		return carry(m);
	}
	m->order = sg_vorder_for_ecosystem(c->ecosystem);
	hits_clear(m);
	unplaceable = m->counts->unplaceable;
	if ((rc = sg_sca_evaluate_component(m->store, c, collect_hit, m, m->err)))
		return rc;
	/* A record that could not be evaluated for it says nothing: what it
	 * said before stands. */
	if (m->counts->unplaceable > unplaceable && (rc = carry(m)))
		return rc;
	if (m->n_hits == 0)
		return 0;
	m->counts->vulnerable++;
	existing_clear(m);
	if (c->component && (rc = sg_store_component_findings(m->store, &sca_view, c->component, take_existing, m,
							      m->err)))
		return rc;
	return report_vulnerabilities(m);
}

static int close_view(struct match *m, const char *kind, const char *tool)
{
	struct sg_view view = {m->p->product_id, kind, tool, ""};
	long long closed = 0;
	int rc;

	rc = sg_store_findings_close_unseen(m->store, &view, m->p->ingest_id, m->p->scan_id, m->p->now, &closed,
					    m->err);
	m->counts->fixed += closed;
	return rc;
}

int sg_sca_match(struct sg_store *store, const struct sg_policy *policy, const struct sg_sca_match_params *p,
		 struct sg_sca_counts *counts, struct sg_error *err)
{
	struct match m;
	size_t i;
	int rc;

	memset(&m, 0, sizeof(m));
	m.store = store;
	m.policy = policy;
	m.p = p;
	m.counts = counts;
	m.err = err;
	rc = sg_store_vex_list(store, p->scan_id, load_vex, &m, err);
	if (!rc && m.n_vex > 1)
		qsort(m.vex, m.n_vex, sizeof(*m.vex), vex_order);
	if (!rc)
		rc = sg_store_components_list(store, p->scan_id, match_component, &m, err);
	if (!rc)
		rc = close_view(&m, SG_SCA_KIND, SG_SCA_TOOL);
	if (!rc)
		rc = close_view(&m, SG_LICENSE_KIND, SG_LICENSE_TOOL);
	hits_clear(&m);
	sg_free(m.hits);
	existing_clear(&m);
	sg_free(m.existing);
	for (i = 0; i < m.n_vex; i++) {
		sg_free(m.vex[i].ref);
		sg_free(m.vex[i].vuln);
		sg_free(m.vex[i].state);
		sg_free(m.vex[i].justification);
	}
	sg_free(m.vex);
	sg_free(m.seen);
	return rc;
}
