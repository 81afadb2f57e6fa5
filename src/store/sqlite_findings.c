/* The SQLite backend: findings, their lifecycle and their history. */
#include <string.h>

#include "core/identity.h"
#include "core/lifecycle.h"
#include "store/sqlite_internal.h"
#include "util/buf.h"

struct known {
	int exists;
	long long id;
	enum sg_finding_status status;
	long long last_ingest;
	int severity, tool_severity;
};

static int run_override(struct sq *s, const struct sg_severity_override *o, long long product_id,
			struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, o->rule[0] ? ST_SEVERITY_RULE : ST_SEVERITY_TOOL, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sq_bind_text(st, 2, o->tool);
	if (o->rule[0]) {
		sq_bind_text(st, 3, o->rule);
		sqlite3_bind_int(st, 4, (int)o->severity);
	} else {
		sqlite3_bind_int(st, 3, (int)o->severity);
	}
	return sq_exec_done(s, st, err, "cannot apply the policy's severity overrides");
}

int sq_findings_apply_overrides(void *impl, long long product_id, const struct sg_policy *policy,
				       int *changed, struct sg_error *err)
{
	struct sq *s = impl;
	unsigned char digest[SG_SHA256_BYTES];
	sqlite3_stmt *st = sq_stmt(s, ST_RULES_GET, err);
	size_t i;
	int rc, same = 0, pass;

	*changed = 0;
	if (!st)
		return err->code;
	sg_policy_overrides_digest(policy, digest);
	sqlite3_bind_int64(st, 1, product_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_bytes(st, 0) == SG_SHA256_BYTES &&
		       memcmp(sqlite3_column_blob(st, 0), digest, SG_SHA256_BYTES) == 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot read the product");
	if (same)
		return 0;
	st = sq_stmt(s, ST_SEVERITY_RESET, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	if ((rc = sq_exec_done(s, st, err, "cannot apply the policy's severity overrides")))
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
	st = sq_stmt(s, ST_RULES_SET, err);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_blob(st, 2, digest, SG_SHA256_BYTES, SQLITE_STATIC);
	rc = sq_exec_done(s, st, err, "cannot record the policy's severity overrides");
	if (!rc)
		*changed = 1;
	return rc;
}

static int insert_event(struct sq *s, long long finding_id, long long scan_id, time_t now,
			enum sg_event_kind kind, const char *from, const char *to, const char *reason,
			struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, ST_EVENT_INSERT, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, finding_id);
	if (scan_id > 0)
		sqlite3_bind_int64(st, 2, scan_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	sq_bind_text(st, 4, sg_event_name(kind));
	sq_bind_text(st, 5, from);
	sq_bind_text(st, 6, to);
	sq_bind_text(st, 7, reason);
	return sq_exec_done(s, st, err, "cannot record the finding's history");
}

/* The finding with this fingerprint, if any. */
static int lookup_finding(struct sq *s, long long product_id, const unsigned char fp[SG_FINGERPRINT_BYTES],
			  struct known *k, struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, ST_FINDING_LOOKUP, err);
	int rc;

	memset(k, 0, sizeof(*k));
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_blob(st, 2, fp, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		k->exists = 1;
		k->id = sqlite3_column_int64(st, 0);
		if (sg_status_parse(sq_col_text(st, 1), &k->status) != 0)
			k->status = SG_STATUS_OPEN;
		k->last_ingest = sqlite3_column_int64(st, 2);
		k->severity = sqlite3_column_int(st, 3);
		k->tool_severity = sqlite3_column_int(st, 4);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot look up the finding");
}

static void bind_sighting(sqlite3_stmt *st, int first, const struct sg_view *view,
			  const struct sg_sighting *in)
{
	sq_bind_text(st, first, view->kind);
	sq_bind_text(st, first + 1, view->tool);
	sq_bind_text(st, first + 2, view->category);
	sq_bind_text(st, first + 3, in->rule);
	sq_bind_text(st, first + 4, in->rule_name);
	sqlite3_bind_int(st, first + 5, (int)in->severity);
}

/* ?9 .. ?16 of the finding insert and update statements. */
static void bind_finding_details(sqlite3_stmt *st, const struct sg_sighting *in, long long scan_id,
				 long long ingest_id, time_t now)
{
	sq_bind_text(st, 9, in->path);
	if (in->line > 0)
		sqlite3_bind_int64(st, 10, in->line);
	sq_bind_text(st, 11, in->message);
	sqlite3_bind_int64(st, 12, scan_id);
	sqlite3_bind_int64(st, 13, ingest_id);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)now);
	sqlite3_bind_int(st, 15, (int)in->tool_severity);
	sq_bind_text(st, 16, in->component);
}

/* Insert a new finding; *inserted is 0 when the fingerprint exists already. */
static int insert_finding(struct sq *s, const struct sg_view *view, const unsigned char fp[SG_FINGERPRINT_BYTES],
			  const struct sg_sighting *in, long long scan_id, long long ingest_id, time_t now,
			  int *inserted, struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, ST_FINDING_INSERT, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, view->product_id);
	sqlite3_bind_blob(st, 2, fp, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	bind_sighting(st, 3, view, in);
	bind_finding_details(st, in, scan_id, ingest_id, now);
	rc = sq_exec_done(s, st, err, "cannot record the finding");
	*inserted = !rc && sqlite3_changes(s->db) == 1;
	return rc;
}

static int update_finding(struct sq *s, const struct sg_view *view, const struct known *k,
			  enum sg_finding_status to, const struct sg_sighting *in, long long scan_id,
			  long long ingest_id, time_t now, struct sg_error *err)
{
	int touch = to == k->status && (int)in->severity == k->severity &&
		    (int)in->tool_severity == k->tool_severity;
	sqlite3_stmt *st = sq_stmt(s, touch ? ST_FINDING_TOUCH : ST_FINDING_UPDATE, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, k->id);
	bind_sighting(st, 2, view, in);
	if (!touch)
		sq_bind_text(st, 8, sg_status_name(to));
	bind_finding_details(st, in, scan_id, ingest_id, now);
	return sq_exec_done(s, st, err, "cannot record the finding");
}

/* The next occurrence to try for a base this ingest has sighted before. */
static int occurrence_get(struct sq *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long *next, struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, ST_OCCURRENCE_GET, err);
	int rc;

	*next = 1;
	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, base, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*next = (unsigned long long)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot count identical results");
}

static int occurrence_set(struct sq *s, const unsigned char base[SG_FINGERPRINT_BYTES],
			  unsigned long long next, struct sg_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, ST_OCCURRENCE_SET, err);

	if (!st)
		return err->code;
	sqlite3_bind_blob(st, 1, base, SG_FINGERPRINT_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
	return sq_exec_done(s, st, err, "cannot count identical results");
}

int sq_finding_sight(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			    const unsigned char base[SG_FINGERPRINT_BYTES], const struct sg_sighting *in,
			    time_t now, struct sg_sighting_outcome *out, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_transition t;
	struct known k;
	int rc, inserted;

	memset(out, 0, sizeof(*out));
	/* The k-th identical result of this ingest is occurrence k: skip the
	 * fingerprints this ingest has reported already. A first ingest mostly
	 * meets new findings and a later one known ones: try first what the
	 * last sighting was. */
	for (;;) {
		sg_identity_fingerprint(base, out->occurrence, out->fingerprint);
		memset(&k, 0, sizeof(k));
		if (s->expect_existing && (rc = lookup_finding(s, view->product_id, out->fingerprint, &k, err)))
			return rc;
		if (!k.exists) {
			rc = insert_finding(s, view, out->fingerprint, in, scan_id, ingest_id, now, &inserted, err);
			if (rc)
				return rc;
			if (inserted) {
				k.id = sqlite3_last_insert_rowid(s->db);
				break;
			}
			if ((rc = lookup_finding(s, view->product_id, out->fingerprint, &k, err)))
				return rc;
			if (!k.exists)
				return sg_error_set(err, SG_DIAG_STORE_FAILED, "a finding vanished during the ingest");
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
	if (k.exists && (rc = update_finding(s, view, &k, t.to, in, scan_id, ingest_id, now, err)))
		return rc;
	out->finding_id = k.id;
	out->is_new = !k.exists;
	out->reopened = k.exists && t.changes;
	/* "opened" is not stored: the finding row holds it (first_seen_scan,
	 * first_seen_at) and ST_EVENTS_LIST derives it, which halves the rows a
	 * first ingest writes. Later events are stored. */
	if (k.exists && t.changes)
		return insert_event(s, k.id, scan_id, now, t.event, sg_status_name(k.status),
				    sg_status_name(t.to), NULL, err);
	return 0;
}

static void bind_view(sqlite3_stmt *st, const struct sg_view *view, long long ingest_id)
{
	sqlite3_bind_int64(st, 1, view->product_id);
	sq_bind_text(st, 2, view->kind);
	sq_bind_text(st, 3, view->tool);
	sq_bind_text(st, 4, view->category);
	sqlite3_bind_int64(st, 5, ingest_id);
}

int sq_findings_close_unseen(void *impl, const struct sg_view *view, long long ingest_id,
				    long long scan_id, time_t now, long long *closed, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_CLOSE_EVENTS, err);
	int rc;

	*closed = 0;
	if (!st)
		return err->code;
	bind_view(st, view, ingest_id);
	sqlite3_bind_int64(st, 6, scan_id);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	rc = sq_exec_done(s, st, err, "cannot record fixed findings");
	if (rc)
		return rc;
	st = sq_stmt(s, ST_CLOSE_UPDATE, err);
	if (!st)
		return err->code;
	bind_view(st, view, ingest_id);
	rc = sq_exec_done(s, st, err, "cannot mark findings fixed");
	if (!rc)
		*closed = sqlite3_changes64(s->db);
	return rc;
}

static void read_finding(sqlite3_stmt *st, struct sg_finding *f, char first[SG_TIME_TEXT],
			 char last[SG_TIME_TEXT])
{
	const void *fp = sqlite3_column_blob(st, 1);

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	if (fp && sqlite3_column_bytes(st, 1) == SG_FINGERPRINT_BYTES)
		memcpy(f->fingerprint, fp, SG_FINGERPRINT_BYTES);
	f->product = sq_col_text(st, 2);
	f->kind = sq_col_text(st, 3);
	f->tool = sq_col_text(st, 4);
	f->category = sq_col_text(st, 5);
	f->rule = sq_col_text(st, 6);
	f->severity = (enum sg_severity)sqlite3_column_int(st, 7);
	if (sg_status_parse(sq_col_text(st, 8), &f->status) != 0)
		f->status = SG_STATUS_OPEN;
	f->path = sq_col_text(st, 9);
	f->line = (long)sqlite3_column_int64(st, 10);
	f->message = sq_col_text(st, 11);
	sg_time_format((time_t)sqlite3_column_int64(st, 12), first);
	sg_time_format((time_t)sqlite3_column_int64(st, 13), last);
	f->first_seen = first;
	f->last_seen = last;
	f->first_seen_scan = sqlite3_column_int64(st, 14);
	f->last_seen_scan = sqlite3_column_int64(st, 15);
	f->first_seen_at = (time_t)sqlite3_column_int64(st, 12);
	f->component = sq_col_text(st, 16);
	if (sqlite3_column_count(st) > 17)
		f->waiver_id = sqlite3_column_int64(st, 17);
}

/* Step through a finding query, calling cb per row; returns SG_ENOTFOUND if
 * want_one and there was no row. */
static int each_finding(struct sq *s, sqlite3_stmt *st, sg_finding_cb cb, void *ctx, int want_one,
			struct sg_error *err)
{
	char first[SG_TIME_TEXT], last[SG_TIME_TEXT];
	struct sg_finding f;
	int rc, rows = 0, cb_rc = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		read_finding(st, &f, first, last);
		cb_rc = cb(ctx, &f);
		if (cb_rc)
			break;
	}
	sqlite3_reset(st);
	if (cb_rc)
		return cb_rc;
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "cannot read findings");
	if (want_one && rows == 0)
		return SG_ENOTFOUND;
	return 0;
}

/*
 * Filtered queries are put together from fixed fragments (every value is a
 * bound parameter) and prepared per call: they serve listings and the
 * gate's few counts, where preparing costs microseconds, and a cached
 * statement per combination of filters would be dozens.
 *
 * Waivers arrive as a JSON array bound to ?6 and read with json_each, so
 * any number of them is one parameter. A finding-scope waiver matches the
 * finding's id and the fingerprint the approver signed.
 */
#define WAIVER_MATCH                                                                     \
	"FROM exception e WHERE e.id IN (SELECT value FROM json_each(?6)) AND "          \
	"((e.scope = 'finding' AND e.finding_id = f.id AND e.finding_fingerprint = f.fingerprint) OR " \
	"(e.scope = 'rule' AND e.tool = f.tool AND e.rule = f.rule) OR "                 \
	"(e.scope = 'component' AND e.component = f.component))"
/* The same test as uncorrelated lists, which SQLite builds once per
 * query rather than once per row: 0.17 s instead of 0.30 s over 377k
 * findings. */
/* A finding without a component gives NULL for "component IN (...)", which
 * would make NOT WAIVED null too and drop it: coalesce says "not covered". */
#define WAIVED_BY(param)                                                                 \
	"((f.id, f.fingerprint) IN (SELECT finding_id, finding_fingerprint FROM exception " \
	"WHERE scope = 'finding' AND id IN (SELECT value FROM json_each(" param "))) OR "   \
	"(f.tool, f.rule) IN (SELECT tool, rule FROM exception WHERE scope = 'rule' AND " \
	"id IN (SELECT value FROM json_each(" param "))) OR "                                \
	"coalesce(f.component IN (SELECT component FROM exception WHERE scope = 'component' " \
	"AND id IN (SELECT value FROM json_each(" param "))), 0))"
#define WAIVED WAIVED_BY("?6")

static void filter_where(const struct sg_finding_filter *filter, struct sg_buf *sql)
{
	sg_buf_adds(sql, " WHERE f.product_id = ?1");
	if (!filter->any_status)
		sg_buf_adds(sql, " AND f.status = ?2");
	sg_buf_adds(sql, filter->one_severity ? " AND f.severity = ?3" : " AND f.severity >= ?3");
	if (filter->first_seen_until)
		sg_buf_adds(sql, " AND f.first_seen_at <= ?4");
	if (filter->n_waivers && filter->waiver_mode == SG_WAIVERS_EXCLUDE)
		sg_buf_adds(sql, " AND NOT " WAIVED);
	else if (filter->waiver_mode == SG_WAIVERS_ONLY)
		sg_buf_adds(sql, filter->n_waivers ? " AND " WAIVED : " AND 0");
	if (filter->n_also_not)
		sg_buf_adds(sql, " AND NOT " WAIVED_BY("?7"));
}

/* Exception ids as a JSON array: "[3,5]". */
static int ids_json(const long long *ids, size_t n, struct sg_buf *out)
{
	size_t i;

	sg_buf_addc(out, '[');
	for (i = 0; i < n; i++)
		sg_buf_printf(out, "%s%lld", i ? "," : "", ids[i]);
	sg_buf_addc(out, ']');
	return sg_buf_error(out);
}

/* ids holds both JSON arrays, the waivers' then also_not's, NUL apart. */
static int prepare_filtered(struct sq *s, const struct sg_finding_filter *filter, const char *head,
			    const char *tail, struct sg_buf *ids, sqlite3_stmt **out, struct sg_error *err)
{
	struct sg_buf sql;
	size_t second;
	int rc = 0;

	sg_buf_init(&sql, 8192);
	sg_buf_adds(&sql, head);
	filter_where(filter, &sql);
	sg_buf_adds(&sql, tail);
	ids_json(filter->waivers, filter->n_waivers, ids);
	sg_buf_addc(ids, '\0');
	second = ids->len;
	if (sg_buf_error(&sql) || ids_json(filter->also_not, filter->n_also_not, ids)) {
		sg_buf_release(&sql);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	if (sqlite3_prepare_v2(s->db, sql.data, (int)sql.len, out, NULL) != SQLITE_OK)
		rc = sq_fail(s, err, "cannot prepare a finding query");
	sg_buf_release(&sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(*out, 1, filter->product_id);
	if (!filter->any_status)
		sq_bind_text(*out, 2, sg_status_name(filter->status));
	sqlite3_bind_int(*out, 3, (int)filter->min_severity);
	if (filter->first_seen_until)
		sqlite3_bind_int64(*out, 4, filter->first_seen_until);
	sqlite3_bind_int64(*out, 5, filter->limit > 0 ? filter->limit : -1);
	sqlite3_bind_text(*out, 6, ids->data, (int)(second - 1), SQLITE_STATIC);
	sqlite3_bind_text(*out, 7, ids->data + second, (int)(ids->len - second), SQLITE_STATIC);
	return 0;
}

int sq_findings_list(void *impl, const struct sg_finding_filter *filter, sg_finding_cb cb,
		     void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_buf ids;
	sqlite3_stmt *st = NULL;
	int rc;

	/* The hot path, the gate's blockers without waivers: cached statements. */
	if (!filter->n_waivers && filter->waiver_mode != SG_WAIVERS_ONLY && !filter->one_severity &&
	    !filter->first_seen_until && !filter->by_first_seen) {
		st = sq_stmt(s, filter->any_status ? ST_FINDINGS_LIST_ANY : ST_FINDINGS_LIST, err);
		if (!st)
			return err->code;
		sqlite3_bind_int64(st, 1, filter->product_id);
		if (!filter->any_status)
			sq_bind_text(st, 3, sg_status_name(filter->status));
		sqlite3_bind_int(st, 4, (int)filter->min_severity);
		sqlite3_bind_int64(st, 5, filter->limit > 0 ? filter->limit : -1);
		return each_finding(s, st, cb, ctx, 0, err);
	}
	sg_buf_init(&ids, 1U << 20);
	rc = prepare_filtered(s, filter,
			      "SELECT " FINDING_COLUMNS ", "
			      "coalesce((SELECT min(e.id) " WAIVER_MATCH "), 0) "
			      "FROM finding f JOIN product p ON p.id = f.product_id",
			      filter->by_first_seen ? " ORDER BY f.first_seen_at, f.id LIMIT ?5"
						    : " ORDER BY f.severity DESC, f.first_seen_at DESC, f.id DESC LIMIT ?5",
			      &ids, &st, err);
	if (!rc) {
		rc = each_finding(s, st, cb, ctx, 0, err);
		sqlite3_finalize(st);
	}
	sg_buf_release(&ids);
	return rc;
}

int sq_findings_count(void *impl, const struct sg_finding_filter *filter, long long counts[SG_SEV_COUNT],
		      struct sg_error *err)
{
	struct sq *s = impl;
	struct sg_buf ids;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(counts, 0, sizeof(long long) * SG_SEV_COUNT);
	sg_buf_init(&ids, 1U << 20);
	rc = prepare_filtered(s, filter, "SELECT f.severity, count(*) FROM finding f",
			      " GROUP BY f.severity", &ids, &st, err);
	if (!rc) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int sev = sqlite3_column_int(st, 0);
			if (sev >= 0 && sev < SG_SEV_COUNT)
				counts[sev] = sqlite3_column_int64(st, 1);
		}
		rc = rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot count findings");
		sqlite3_finalize(st);
	}
	sg_buf_release(&ids);
	return rc;
}

int sq_findings_open_counts(void *impl, long long product_id, enum sg_severity min_severity,
				   long long counts[SG_SEV_COUNT], struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_OPEN_COUNTS, err);
	int rc;

	memset(counts, 0, sizeof(long long) * SG_SEV_COUNT);
	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, product_id);
	sqlite3_bind_int(st, 2, (int)min_severity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sev = sqlite3_column_int(st, 0);
		if (sev >= 0 && sev < SG_SEV_COUNT)
			counts[sev] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot count findings");
}

int sq_finding_get(void *impl, long long id, sg_finding_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_FINDING_GET, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	rc = each_finding(s, st, cb, ctx, 1, err);
	if (rc == SG_ENOTFOUND)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no finding %lld", id);
	return rc;
}

int sq_finding_events(void *impl, long long id, sg_event_cb cb, void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_EVENTS_LIST, err);
	char at[SG_TIME_TEXT];
	int rc, cb_rc = 0;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sg_finding_event ev;
		const char *name = sq_col_text(st, 4);

		memset(&ev, 0, sizeof(ev));
		ev.id = sqlite3_column_int64(st, 0);
		ev.finding_id = sqlite3_column_int64(st, 1);
		ev.scan_id = sqlite3_column_int64(st, 2);
		sg_time_format((time_t)sqlite3_column_int64(st, 3), at);
		ev.at = at;
		ev.kind = SG_EVENT_OPENED;
		if (name && strcmp(name, "fixed") == 0)
			ev.kind = SG_EVENT_FIXED;
		else if (name && strcmp(name, "reopened") == 0)
			ev.kind = SG_EVENT_REOPENED;
		else if (name && strcmp(name, "triaged") == 0)
			ev.kind = SG_EVENT_TRIAGED;
		ev.from_status = sq_col_text(st, 5);
		ev.to_status = sq_col_text(st, 6);
		ev.reason = sq_col_text(st, 7);
		cb_rc = cb(ctx, &ev);
		if (cb_rc)
			break;
	}
	sqlite3_reset(st);
	if (cb_rc)
		return cb_rc;
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "cannot read the finding's history");
}

int sq_finding_set_status(void *impl, long long id, enum sg_finding_status from,
				 enum sg_finding_status to, enum sg_event_kind event, const char *reason,
				 time_t now, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = sq_stmt(s, ST_SET_STATUS, err);
	int rc;

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, sg_status_name(from));
	sq_bind_text(st, 3, sg_status_name(to));
	rc = sq_exec_done(s, st, err, "cannot change the finding");
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld changed meanwhile; try again", id);
	return insert_event(s, id, 0, now, event, sg_status_name(from), sg_status_name(to), reason, err);
}
