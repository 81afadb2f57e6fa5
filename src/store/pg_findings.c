/* The PostgreSQL backend: findings, their lifecycle and their history (sqlite_findings.c's twin). */
#include <stdio.h>
#include <string.h>

#include "core/identity.h"
#include "core/lifecycle.h"
#include "store/pg_internal.h"
#include "util/buf.h"
#include "util/timeutil.h"

/* The columns of a finding, in the order read_finding() reads them. */
#define FINDING_COLUMNS                                                              \
	"f.id, f.fingerprint, p.name, f.kind, f.tool, f.category, f.rule, f.severity, " \
	"f.status, f.path, f.line, f.message, f.first_seen_at, f.last_seen_at, "        \
	"f.first_seen_scan, f.last_seen_scan, f.component"

#define SQL_RULES_GET "SELECT severity_rules FROM product WHERE id = $1"
#define SQL_RULES_SET "UPDATE product SET severity_rules = $2 WHERE id = $1"
#define SQL_SEVERITY_RESET                                                               \
	"UPDATE finding SET severity = tool_severity WHERE product_id = $1 AND severity <> tool_severity"
#define SQL_SEVERITY_TOOL "UPDATE finding SET severity = $3 WHERE product_id = $1 AND tool = $2"
#define SQL_SEVERITY_RULE "UPDATE finding SET severity = $4 WHERE product_id = $1 AND tool = $2 AND rule = $3"
/* Only identical results use them (see pg_finding_sight): most never do. */
#define SQL_OCCURRENCE_GET "SELECT n FROM pg_temp.sg_occurrence WHERE base = $1"
#define SQL_OCCURRENCE_SET                                                               \
	"INSERT INTO pg_temp.sg_occurrence(base, n) VALUES ($1, $2) "                     \
	"ON CONFLICT (base) DO UPDATE SET n = excluded.n"

/*
 * The finding of a fingerprint, looked up by the unique index
 * (product_id, fingerprint) whatever the statistics say. Statements are
 * planned once per connection, so a plan made while the table was tiny (the
 * first ingest of a store) stays for the whole ingest. With equality on both
 * columns, finding_by_gate (product_id, ...) then costs the same as the
 * unique index and wins the tie, and every look-up reads all of the
 * product's findings. A range on fingerprint ordered by it is one entry of
 * the unique index, and only that index gives the order without a sort.
 * (Seq scans planned on a tiny table are pg_ingest_begin's business.)
 */
#define FINDING_OF_FINGERPRINT                                                           \
	"FROM finding WHERE product_id = $1 AND fingerprint >= $2 AND fingerprint <= $2 " \
	"ORDER BY fingerprint LIMIT 1"
/*
 * A sighting is one round trip whether the finding is new or known.
 *
 * New: an insert that, when the fingerprint exists already, inserts nothing
 * and returns no id. It looks first, so that it takes no id from the sequence
 * then (an ON CONFLICT insert takes one before it meets the conflict, and
 * SQLite's ignored insert takes no rowid): ids stay those SQLite gives.
 */
#define SQL_FINDING_INSERT                                                               \
	"INSERT INTO finding(product_id, fingerprint, kind, tool, category, rule, "       \
	"rule_name, severity, status, path, line, message, first_seen_scan, "             \
	"last_seen_scan, last_seen_ingest, first_seen_at, last_seen_at, tool_severity, component) " \
	"SELECT $1::bigint, $2::bytea, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, " \
	"'open', $9::text, $10::bigint, $11::text, $12::bigint, $12::bigint, $13::bigint, " \
	"$14::bigint, $14::bigint, $15::bigint, $16::text "                                 \
	"WHERE (SELECT id " FINDING_OF_FINGERPRINT ") IS NULL "                           \
	"ON CONFLICT (product_id, fingerprint) DO NOTHING RETURNING id"
/*
 * Known: the finding as it was, updated in the same statement unless this
 * ingest saw it already (an identical result, which moves on to the next
 * occurrence). Its new status is the lifecycle's (core/lifecycle.c), given
 * as $17..$19 for each status it may have. SQLite's "touch" (fewer columns
 * when status and severities stay) is the same row in the end: the columns
 * it leaves are those the fingerprint is made of, and PostgreSQL decides a
 * HOT update by comparing values, not by the columns named.
 */
#define SQL_FINDING_SEEN                                                                 \
	"WITH old AS (SELECT id, status, last_seen_ingest " FINDING_OF_FINGERPRINT "), "  \
	"upd AS (UPDATE finding f SET kind = $3, tool = $4, category = $5, rule = $6, "    \
	"rule_name = $7, severity = $8, status = CASE f.status WHEN 'fixed' THEN $18::text " \
	"WHEN 'false_positive' THEN $19::text ELSE $17::text END, path = $9, line = $10, " \
	"message = $11, last_seen_scan = $12, last_seen_ingest = $13, last_seen_at = $14, " \
	"tool_severity = $15, component = $16 "                                           \
	"FROM old WHERE f.id = old.id AND old.last_seen_ingest <> $13) "                  \
	"SELECT id, status, last_seen_ingest FROM old"
#define SQL_EVENT_INSERT                                                                 \
	"INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, "         \
	"to_status, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)"
/* core/lifecycle.c sg_lifecycle_absent(): only open findings become fixed.
 * In finding_by_gate's order, which SQLite's insert follows: the events get
 * the same ids. */
#define SQL_CLOSE_EVENTS                                                                 \
	"INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, to_status) " \
	"SELECT id, $6::bigint, $7::bigint, 'fixed', 'open', 'fixed' FROM finding "       \
	"WHERE product_id = $1 AND kind = $2 AND tool = $3 AND category = $4 "            \
	"AND status = 'open' AND last_seen_ingest <> $5 ORDER BY severity, first_seen_at, id"
#define SQL_CLOSE_UPDATE                                                                 \
	"UPDATE finding SET status = 'fixed' "                                            \
	"WHERE product_id = $1 AND kind = $2 AND tool = $3 AND category = $4 "            \
	"AND status = 'open' AND last_seen_ingest <> $5"
/* Gravest first, and newest first within a severity: finding_by_gate's order. */
#define SQL_FINDINGS_LIST                                                                \
	"SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id " \
	"WHERE f.product_id = $1 AND f.status = $2 AND f.severity >= $3 "                 \
	"ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT $4"
#define SQL_FINDINGS_LIST_ANY                                                            \
	"SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id " \
	"WHERE f.product_id = $1 AND f.severity >= $2 "                                   \
	"ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT $3"
#define SQL_FINDING_GET                                                                  \
	"SELECT " FINDING_COLUMNS " FROM finding f JOIN product p ON p.id = f.product_id WHERE f.id = $1"
#define SQL_OPEN_COUNTS                                                                  \
	"SELECT severity, count(*) FROM finding WHERE product_id = $1 AND status = 'open' " \
	"AND severity >= $2 GROUP BY severity"
/* "opened" is not stored: the finding row holds it (see pg_finding_sight). */
#define SQL_EVENTS_LIST                                                                  \
	"SELECT 0, id, first_seen_scan, first_seen_at, 'opened', NULL, 'open', NULL "     \
	"FROM finding WHERE id = $1 "                                                     \
	"UNION ALL "                                                                      \
	"SELECT id, finding_id, coalesce(scan_id, 0), at, event, from_status, to_status, " \
	"reason FROM finding_event WHERE finding_id = $1 ORDER BY 1"
#define SQL_SET_STATUS "UPDATE finding SET status = $3 WHERE id = $1 AND status = $2"

struct known {
	int exists;
	long long id;
	enum sg_finding_status status;
	long long last_ingest;
};

static int run_override(struct pg *s, const struct sg_severity_override *o, long long product_id,
			struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_text(&p, o->tool);
	if (o->rule[0])
		pg_param_text(&p, o->rule);
	pg_param_int(&p, (long long)o->severity);
	return pg_exec(s, o->rule[0] ? SQL_SEVERITY_RULE : SQL_SEVERITY_TOOL, &p,
		       "cannot apply the policy's severity overrides", err);
}

/* *same: the product's findings were last given exactly these overrides. */
static int overrides_unchanged(struct pg *s, long long product_id,
			       const unsigned char digest[SG_SHA256_BYTES], int *same, struct sg_error *err)
{
	unsigned char stored[SG_SHA256_BYTES];
	struct pg_params p;
	PGresult *res;

	*same = 0;
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	res = pg_query(s, SQL_RULES_GET, &p, "cannot read the product", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0 && pg_get_bytes(res, 0, 0, stored, sizeof(stored)) == 0)
		*same = memcmp(stored, digest, SG_SHA256_BYTES) == 0;
	PQclear(res);
	return 0;
}

int pg_findings_apply_overrides(void *impl, long long product_id, const struct sg_policy *policy,
				int *changed, struct sg_error *err)
{
	struct pg *s = impl;
	unsigned char digest[SG_SHA256_BYTES];
	struct pg_params p;
	size_t i;
	int rc, same, pass;

	*changed = 0;
	sg_policy_overrides_digest(policy, digest);
	if ((rc = overrides_unchanged(s, product_id, digest, &same, err)))
		return rc;
	if (same)
		return 0;
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	if ((rc = pg_exec(s, SQL_SEVERITY_RESET, &p, "cannot apply the policy's severity overrides", err)))
		return rc;
	/* Tool-wide overrides first, so that one for a rule wins (core/policy.c). */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < policy->n_overrides; i++) {
			const struct sg_severity_override *o = &policy->overrides[i];
			if ((pass == 0) != (o->rule[0] == '\0'))
				continue;
			if ((rc = run_override(s, o, product_id, err)))
				return rc;
		}
	}
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_bytes(&p, digest, SG_SHA256_BYTES);
	rc = pg_exec(s, SQL_RULES_SET, &p, "cannot record the policy's severity overrides", err);
	if (!rc)
		*changed = 1;
	return rc;
}

static int insert_event(struct pg *s, long long finding_id, long long scan_id, time_t now,
			enum sg_event_kind kind, const char *from, const char *to, const char *reason,
			struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, finding_id);
	if (scan_id > 0)
		pg_param_int(&p, scan_id);
	else
		pg_param_null(&p);
	pg_param_int(&p, (long long)now);
	pg_param_text(&p, sg_event_name(kind));
	pg_param_text(&p, from);
	pg_param_text(&p, to);
	pg_param_text(&p, reason);
	return pg_exec(s, SQL_EVENT_INSERT, &p, "cannot record the finding's history", err);
}

/* $1 .. $16 of the finding insert and update statements. */
static void param_sighting(struct pg_params *p, const struct sg_view *view,
			   const unsigned char fp[SG_FINGERPRINT_BYTES], const struct sg_sighting *in,
			   long long scan_id, long long ingest_id, time_t now)
{
	pg_params_init(p);
	pg_param_int(p, view->product_id);
	pg_param_bytes(p, fp, SG_FINGERPRINT_BYTES);
	pg_param_text(p, view->kind);
	pg_param_text(p, view->tool);
	pg_param_text(p, view->category);
	pg_param_text(p, in->rule);
	pg_param_text(p, in->rule_name);
	pg_param_int(p, (long long)in->severity);
	pg_param_text(p, in->path);
	if (in->line > 0)
		pg_param_int(p, in->line);
	else
		pg_param_null(p);
	pg_param_text(p, in->message);
	pg_param_int(p, scan_id);
	pg_param_int(p, ingest_id);
	pg_param_int(p, (long long)now);
	pg_param_int(p, (long long)in->tool_severity);
	pg_param_text(p, in->component);
}

/* Insert a new finding; *inserted is 0 when the fingerprint exists already. */
static int insert_finding(struct pg *s, const struct sg_view *view,
			  const unsigned char fp[SG_FINGERPRINT_BYTES], const struct sg_sighting *in,
			  long long scan_id, long long ingest_id, time_t now, int *inserted, long long *id,
			  struct sg_error *err)
{
	struct pg_params p;
	int rc;

	*inserted = 0;
	param_sighting(&p, view, fp, in, scan_id, ingest_id, now);
	rc = pg_query_id(s, SQL_FINDING_INSERT, &p, id, "cannot record the finding", err);
	if (rc == SG_ENOTFOUND)
		return 0;
	*inserted = !rc;
	return rc;
}

/* The finding with this fingerprint as it was, if any; updated by this
 * sighting unless this ingest has seen it already. */
static int sight_known(struct pg *s, const struct sg_view *view, const unsigned char fp[SG_FINGERPRINT_BYTES],
		       const struct sg_sighting *in, long long scan_id, long long ingest_id, time_t now,
		       struct known *k, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	memset(k, 0, sizeof(*k));
	param_sighting(&p, view, fp, in, scan_id, ingest_id, now);
	pg_param_text(&p, sg_status_name(sg_lifecycle_sighted(1, SG_STATUS_OPEN).to));
	pg_param_text(&p, sg_status_name(sg_lifecycle_sighted(1, SG_STATUS_FIXED).to));
	pg_param_text(&p, sg_status_name(sg_lifecycle_sighted(1, SG_STATUS_FALSE_POSITIVE).to));
	res = pg_query(s, SQL_FINDING_SEEN, &p, "cannot record the finding", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0) {
		const char *status = pg_get_text(res, 0, 1);
		k->exists = 1;
		k->id = pg_get_int(res, 0, 0);
		if (!status || sg_status_parse(status, &k->status) != 0)
			k->status = SG_STATUS_OPEN;
		k->last_ingest = pg_get_int(res, 0, 2);
	}
	PQclear(res);
	return 0;
}

/* The next occurrence to try for a base this ingest has sighted before. */
static int occurrence_get(struct pg *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long *next, struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	*next = 1;
	pg_params_init(&p);
	pg_param_bytes(&p, base, SG_FINGERPRINT_BYTES);
	res = pg_query(s, SQL_OCCURRENCE_GET, &p, "cannot count identical results", err);
	if (!res)
		return err->code;
	if (PQntuples(res) > 0)
		*next = (unsigned long long)pg_get_int(res, 0, 0);
	PQclear(res);
	return 0;
}

static int occurrence_set(struct pg *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long next, struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_bytes(&p, base, SG_FINGERPRINT_BYTES);
	pg_param_int(&p, (long long)next);
	return pg_exec(s, SQL_OCCURRENCE_SET, &p, "cannot count identical results", err);
}

int pg_finding_sight(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
		     const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *in, time_t now,
		     struct sg_sighting_outcome *out, struct sg_error *err)
{
	struct pg *s = impl;
	struct sg_transition t;
	struct known k;
	int rc, inserted;

	memset(out, 0, sizeof(*out));
	/* The k-th identical result of this ingest is occurrence k: skip the
	 * fingerprints this ingest has reported already. A first ingest mostly
	 * meets new findings and a later one known ones: try first what the
	 * last sighting was, so that either costs one statement. */
	for (;;) {
		sg_identity_fingerprint(base, out->occurrence, out->fingerprint);
		memset(&k, 0, sizeof(k));
		if (s->expect_existing &&
		    (rc = sight_known(s, view, out->fingerprint, in, scan_id, ingest_id, now, &k, err)))
			return rc;
		if (!k.exists) {
			rc = insert_finding(s, view, out->fingerprint, in, scan_id, ingest_id, now, &inserted,
					    &k.id, err);
			if (rc)
				return rc;
			if (inserted)
				break;
			rc = sight_known(s, view, out->fingerprint, in, scan_id, ingest_id, now, &k, err);
			if (rc)
				return rc;
			if (!k.exists)
				return sg_error_set(err, SG_DIAG_STORE_FAILED,
						    "a finding vanished during the ingest");
		}
		if (k.last_ingest != ingest_id)
			break;
		/* An identical result came before in this ingest: continue from
		 * where the last one settled, not from 0, so that n identical
		 * results cost n steps, not n*n/2. */
		if (out->occurrence > 0)
			out->occurrence++;
		else if ((rc = occurrence_get(s, base, &out->occurrence, err)))
			return rc;
	}
	if (out->occurrence > 0 && (rc = occurrence_set(s, base, out->occurrence + 1, err)))
		return rc;
	s->expect_existing = k.exists;
	t = sg_lifecycle_sighted(k.exists, k.status);
	out->finding_id = k.id;
	out->is_new = !k.exists;
	out->reopened = k.exists && t.changes;
	/* "opened" is not stored: the finding row holds it (first_seen_scan,
	 * first_seen_at) and SQL_EVENTS_LIST derives it. Later events are stored. */
	if (k.exists && t.changes)
		return insert_event(s, k.id, scan_id, now, t.event, sg_status_name(k.status),
				    sg_status_name(t.to), NULL, err);
	return 0;
}

static void param_view(struct pg_params *p, const struct sg_view *view, long long ingest_id)
{
	pg_params_init(p);
	pg_param_int(p, view->product_id);
	pg_param_text(p, view->kind);
	pg_param_text(p, view->tool);
	pg_param_text(p, view->category);
	pg_param_int(p, ingest_id);
}

int pg_findings_close_unseen(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			     time_t now, long long *closed, struct sg_error *err)
{
	struct pg *s = impl;
	struct pg_params p;
	int rc;

	*closed = 0;
	param_view(&p, view, ingest_id);
	pg_param_int(&p, scan_id);
	pg_param_int(&p, (long long)now);
	if ((rc = pg_exec(s, SQL_CLOSE_EVENTS, &p, "cannot record fixed findings", err)))
		return rc;
	param_view(&p, view, ingest_id);
	return pg_exec_count(s, SQL_CLOSE_UPDATE, &p, "cannot mark findings fixed", closed, err);
}

/* A finding row; its strings live as long as the result. */
static void read_finding(const PGresult *res, int row, struct sg_finding *f, char first[SG_TIME_TEXT],
			 char last[SG_TIME_TEXT])
{
	const char *status = pg_get_text(res, row, 8);

	memset(f, 0, sizeof(*f));
	f->id = pg_get_int(res, row, 0);
	if (pg_get_bytes(res, row, 1, f->fingerprint, SG_FINGERPRINT_BYTES) != 0)
		memset(f->fingerprint, 0, SG_FINGERPRINT_BYTES);
	f->product = pg_get_text(res, row, 2);
	f->kind = pg_get_text(res, row, 3);
	f->tool = pg_get_text(res, row, 4);
	f->category = pg_get_text(res, row, 5);
	f->rule = pg_get_text(res, row, 6);
	f->severity = (enum sg_severity)pg_get_int(res, row, 7);
	if (!status || sg_status_parse(status, &f->status) != 0)
		f->status = SG_STATUS_OPEN;
	f->path = pg_get_text(res, row, 9);
	f->line = (long)pg_get_int(res, row, 10);
	f->message = pg_get_text(res, row, 11);
	f->first_seen_at = (time_t)pg_get_int(res, row, 12);
	sg_time_format(f->first_seen_at, first);
	sg_time_format((time_t)pg_get_int(res, row, 13), last);
	f->first_seen = first;
	f->last_seen = last;
	f->first_seen_scan = pg_get_int(res, row, 14);
	f->last_seen_scan = pg_get_int(res, row, 15);
	f->component = pg_get_text(res, row, 16);
	if (PQnfields(res) > 17)
		f->waiver_id = pg_get_int(res, row, 17);
}

struct finding_walk {
	sg_finding_cb cb;
	void *ctx;
	char first[SG_TIME_TEXT], last[SG_TIME_TEXT];
};

static int finding_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct finding_walk *w = ctx;
	struct sg_finding f;

	(void)err;
	read_finding(res, row, &f, w->first, w->last);
	return w->cb(w->ctx, &f);
}

static int each_finding(struct pg *s, const char *sql, const struct pg_params *p, sg_finding_cb cb, void *ctx,
			struct sg_error *err)
{
	struct finding_walk w;

	w.cb = cb;
	w.ctx = ctx;
	return pg_each(s, sql, p, "cannot read findings", finding_row, &w, err);
}

/*
 * Filtered queries are put together from fixed fragments (every value is a
 * parameter, numbered as the fragments are added) and run unprepared, or
 * kept by the statement cache for the counts: they serve listings and the
 * gate's few counts.
 *
 * Waivers arrive as one bigint[] parameter ('{3,5}'), so any number of them
 * is one parameter. A finding-scope waiver matches the finding's id and the
 * fingerprint the approver signed.
 */
#define WAIVER_MATCH_FMT                                                                  \
	"FROM exception e WHERE e.id = ANY($%d::bigint[]) AND "                           \
	"((e.scope = 'finding' AND e.finding_id = f.id AND e.finding_fingerprint = f.fingerprint) OR " \
	"(e.scope = 'rule' AND e.tool = f.tool AND e.rule = f.rule) OR "                  \
	"(e.scope = 'component' AND e.component = f.component))"
/* The same test as uncorrelated lists (hashed once per query, not run per
 * row). A finding without a component gives NULL for "component IN (...)",
 * which would make NOT WAIVED null too and drop it: coalesce says "not covered". */
#define WAIVED_FMT                                                                        \
	"((f.id, f.fingerprint) IN (SELECT finding_id, finding_fingerprint FROM exception " \
	"WHERE scope = 'finding' AND id = ANY($%d::bigint[])) OR "                        \
	"(f.tool, f.rule) IN (SELECT tool, rule FROM exception WHERE scope = 'rule' AND "  \
	"id = ANY($%d::bigint[])) OR "                                                     \
	"coalesce(f.component IN (SELECT component FROM exception WHERE scope = 'component' " \
	"AND id = ANY($%d::bigint[])), false))"

struct filtered {
	struct sg_buf sql;
	struct sg_buf ids; /* both arrays, the waivers' then also_not's, NUL apart */
	size_t also_not_at;
	struct pg_params p;
	int waivers_param; /* its number, once a fragment uses it */
	int also_not_param;
};

/* Exception ids as a PostgreSQL array: "{3,5}". */
static void ids_array(const long long *ids, size_t n, struct sg_buf *out)
{
	size_t i;

	sg_buf_addc(out, '{');
	for (i = 0; i < n; i++)
		sg_buf_printf(out, "%s%lld", i ? "," : "", ids[i]);
	sg_buf_addc(out, '}');
}

static int waivers_param(struct filtered *q)
{
	if (!q->waivers_param) {
		pg_param_text(&q->p, q->ids.data);
		q->waivers_param = q->p.n;
	}
	return q->waivers_param;
}

static int also_not_param(struct filtered *q)
{
	if (!q->also_not_param) {
		pg_param_text(&q->p, q->ids.data + q->also_not_at);
		q->also_not_param = q->p.n;
	}
	return q->also_not_param;
}

static int filtered_init(struct filtered *q, const struct sg_finding_filter *filter, struct sg_error *err)
{
	memset(q, 0, sizeof(*q));
	sg_buf_init(&q->sql, 16384);
	sg_buf_init(&q->ids, 1U << 20);
	pg_params_init(&q->p);
	ids_array(filter->waivers, filter->n_waivers, &q->ids);
	sg_buf_addc(&q->ids, '\0');
	q->also_not_at = q->ids.len;
	ids_array(filter->also_not, filter->n_also_not, &q->ids);
	if (sg_buf_error(&q->ids))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

static void filtered_release(struct filtered *q)
{
	sg_buf_release(&q->sql);
	sg_buf_release(&q->ids);
}

static void filter_where(const struct sg_finding_filter *filter, struct filtered *q)
{
	int w;

	pg_param_int(&q->p, filter->product_id);
	sg_buf_printf(&q->sql, " WHERE f.product_id = $%d", q->p.n);
	if (!filter->any_status) {
		pg_param_text(&q->p, sg_status_name(filter->status));
		sg_buf_printf(&q->sql, " AND f.status = $%d", q->p.n);
	}
	pg_param_int(&q->p, (long long)filter->min_severity);
	if (filter->one_severity)
		sg_buf_printf(&q->sql, " AND f.severity = $%d", q->p.n);
	else
		sg_buf_printf(&q->sql, " AND f.severity >= $%d", q->p.n);
	if (filter->first_seen_until) {
		pg_param_int(&q->p, filter->first_seen_until);
		sg_buf_printf(&q->sql, " AND f.first_seen_at <= $%d", q->p.n);
	}
	if (filter->n_waivers && filter->waiver_mode == SG_WAIVERS_EXCLUDE) {
		w = waivers_param(q);
		sg_buf_printf(&q->sql, " AND NOT " WAIVED_FMT, w, w, w);
	} else if (filter->waiver_mode == SG_WAIVERS_ONLY) {
		if (filter->n_waivers) {
			w = waivers_param(q);
			sg_buf_printf(&q->sql, " AND " WAIVED_FMT, w, w, w);
		} else {
			sg_buf_adds(&q->sql, " AND false");
		}
	}
	if (filter->n_also_not) {
		w = also_not_param(q);
		sg_buf_printf(&q->sql, " AND NOT " WAIVED_FMT, w, w, w);
	}
}

/* The hot path, the gate's blockers without waivers: constant statements. */
static int list_plain(struct pg *s, const struct sg_finding_filter *filter, sg_finding_cb cb, void *ctx,
		      struct sg_error *err)
{
	struct pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, filter->product_id);
	if (!filter->any_status)
		pg_param_text(&p, sg_status_name(filter->status));
	pg_param_int(&p, (long long)filter->min_severity);
	if (filter->limit > 0)
		pg_param_int(&p, filter->limit);
	else
		pg_param_null(&p); /* LIMIT NULL: no limit */
	return each_finding(s, filter->any_status ? SQL_FINDINGS_LIST_ANY : SQL_FINDINGS_LIST, &p, cb, ctx,
			    err);
}

int pg_findings_list(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb, void *ctx,
		     struct sg_error *err)
{
	struct pg *s = impl;
	struct filtered q;
	int rc;

	if (!filter->n_waivers && filter->waiver_mode != SG_WAIVERS_ONLY && !filter->one_severity &&
	    !filter->first_seen_until && !filter->by_first_seen)
		return list_plain(s, filter, cb, ctx, err);
	if ((rc = filtered_init(&q, filter, err)) == 0) {
		sg_buf_printf(&q.sql,
			      "SELECT " FINDING_COLUMNS ", "
			      "coalesce((SELECT min(e.id) " WAIVER_MATCH_FMT "), 0) "
			      "FROM finding f JOIN product p ON p.id = f.product_id",
			      waivers_param(&q));
		filter_where(filter, &q);
		if (filter->limit > 0)
			pg_param_int(&q.p, filter->limit);
		else
			pg_param_null(&q.p);
		if (filter->by_first_seen)
			sg_buf_printf(&q.sql, " ORDER BY f.first_seen_at, f.id LIMIT $%d", q.p.n);
		else
			sg_buf_printf(&q.sql,
				      " ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT $%d",
				      q.p.n);
		if (sg_buf_error(&q.sql))
			rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		else
			rc = each_finding(s, q.sql.data, &q.p, cb, ctx, err);
	}
	filtered_release(&q);
	return rc;
}

/* Rows of (severity, count) into counts. */
static void read_counts(const PGresult *res, long long counts[SG_SEV_COUNT])
{
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		long long sev = pg_get_int(res, i, 0);
		if (sev >= 0 && sev < SG_SEV_COUNT)
			counts[sev] = pg_get_int(res, i, 1);
	}
}

int pg_findings_count(void *impl, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT],
		      struct sg_error *err)
{
	struct pg *s = impl;
	struct filtered q;
	PGresult *res;
	int rc;

	memset(counts, 0, sizeof(long long) * SG_SEV_COUNT);
	if ((rc = filtered_init(&q, filter, err)) == 0) {
		sg_buf_adds(&q.sql, "SELECT f.severity, count(*) FROM finding f");
		filter_where(filter, &q);
		sg_buf_adds(&q.sql, " GROUP BY f.severity");
		if (sg_buf_error(&q.sql)) {
			rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		} else if (!(res = pg_query(s, q.sql.data, &q.p, "cannot count findings", err))) {
			rc = err->code;
		} else {
			read_counts(res, counts);
			PQclear(res);
		}
	}
	filtered_release(&q);
	return rc;
}

int pg_findings_open_counts(void *impl, long long product_id, enum sg_severity min_severity,
			    long long counts[SG_SEV_COUNT], struct sg_error *err)
{
	struct pg_params p;
	PGresult *res;

	memset(counts, 0, sizeof(long long) * SG_SEV_COUNT);
	pg_params_init(&p);
	pg_param_int(&p, product_id);
	pg_param_int(&p, (long long)min_severity);
	res = pg_query(impl, SQL_OPEN_COUNTS, &p, "cannot count findings", err);
	if (!res)
		return err->code;
	read_counts(res, counts);
	PQclear(res);
	return 0;
}

/* One row: the whole result is here, so cb may run other queries. */
int pg_finding_get(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err)
{
	char first[SG_TIME_TEXT], last[SG_TIME_TEXT];
	struct sg_finding f;
	struct pg_params p;
	PGresult *res;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	res = pg_query(impl, SQL_FINDING_GET, &p, "cannot read findings", err);
	if (!res)
		return err->code;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no finding %lld", id);
	}
	read_finding(res, 0, &f, first, last);
	rc = cb(ctx, &f);
	PQclear(res);
	return rc;
}

static enum sg_event_kind event_kind(const char *name)
{
	if (name && strcmp(name, "fixed") == 0)
		return SG_EVENT_FIXED;
	if (name && strcmp(name, "reopened") == 0)
		return SG_EVENT_REOPENED;
	if (name && strcmp(name, "triaged") == 0)
		return SG_EVENT_TRIAGED;
	return SG_EVENT_OPENED;
}

/* One finding's history is a few rows, read whole: cb may run other queries. */
int pg_finding_events(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err)
{
	char at[SG_TIME_TEXT];
	struct pg_params p;
	PGresult *res;
	int i, rc = 0;

	pg_params_init(&p);
	pg_param_int(&p, id);
	res = pg_query(impl, SQL_EVENTS_LIST, &p, "cannot read the finding's history", err);
	if (!res)
		return err->code;
	for (i = 0; i < PQntuples(res) && rc == 0; i++) {
		struct sg_finding_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.id = pg_get_int(res, i, 0);
		ev.finding_id = pg_get_int(res, i, 1);
		ev.scan_id = pg_get_int(res, i, 2);
		sg_time_format((time_t)pg_get_int(res, i, 3), at);
		ev.at = at;
		ev.kind = event_kind(pg_get_text(res, i, 4));
		ev.from_status = pg_get_text(res, i, 5);
		ev.to_status = pg_get_text(res, i, 6);
		ev.reason = pg_get_text(res, i, 7);
		rc = cb(ctx, &ev);
	}
	PQclear(res);
	return rc;
}

int pg_finding_set_status(void *impl, long long id, enum sg_finding_status from, enum sg_finding_status to,
			  enum sg_event_kind event, const char *reason, time_t now, struct sg_error *err)
{
	struct pg *s = impl;
	struct pg_params p;
	long long changed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, sg_status_name(from));
	pg_param_text(&p, sg_status_name(to));
	if ((rc = pg_exec_count(s, SQL_SET_STATUS, &p, "cannot change the finding", &changed, err)))
		return rc;
	if (changed != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld changed meanwhile; try again", id);
	return insert_event(s, id, 0, now, event, sg_status_name(from), sg_status_name(to), reason, err);
}
