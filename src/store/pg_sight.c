/*
 * The PostgreSQL backend: a batch of sightings in a few round trips
 * (sg_store_findings_sight_many). One by one, each result costs a round trip
 * to the server or two; bench/pg.sh measured that at a fraction of SQLite's
 * rate. Here a batch of a thousand goes as arrays:
 *
 *   1. insert the batch's findings that are new (ON CONFLICT DO NOTHING);
 *   2. read the state of those that already existed;
 *   3. update them all in one statement, and add the events of those that
 *      reopened.
 *
 * Results the one-by-one path must settle, because their fingerprint depends
 * on identical results before them (a base repeated within the batch, or one
 * this ingest already sighted in an earlier batch), then go through
 * pg_finding_sight in their order. The outcomes are what n calls of
 * pg_finding_sight would give.
 */
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "core/lifecycle.h"
#include "store/pg_internal.h"
#include "util/alloc.h"
#include "util/buf.h"

#define ARRAY_MAX (64u << 20)
#define SLOTS 4096 /* a power of two, at least twice the largest batch */

enum item_path { FAST, SLOW };

/* 16-byte keys (fingerprints and identity bases are hashes) to batch indexes. */
struct key_index {
	const unsigned char *key[SLOTS];
	size_t index[SLOTS];
};

static size_t slot_of(const unsigned char *key)
{
	size_t h;

	memcpy(&h, key, sizeof(h));
	return h & (SLOTS - 1);
}

/* The index stored under key, or -1 when there is none. */
static long key_find(const struct key_index *t, const unsigned char *key)
{
	size_t slot = slot_of(key);

	while (t->key[slot]) {
		if (memcmp(t->key[slot], key, SG_FINGERPRINT_BYTES) == 0)
			return (long)t->index[slot];
		slot = (slot + 1) & (SLOTS - 1);
	}
	return -1;
}

/* The index stored under key, or -1 after storing `index` there (key must
 * outlive the table). */
static long key_find_or_add(struct key_index *t, const unsigned char *key, size_t index)
{
	size_t slot = slot_of(key);

	while (t->key[slot]) {
		if (memcmp(t->key[slot], key, SG_FINGERPRINT_BYTES) == 0)
			return (long)t->index[slot];
		slot = (slot + 1) & (SLOTS - 1);
	}
	t->key[slot] = key;
	t->index[slot] = index;
	return -1;
}

/* ---- PostgreSQL array literals, one per column ---- */

static void array_begin(struct sg_buf *b)
{
	sg_buf_reset(b);
	sg_buf_addc(b, '{');
}

static void array_sep(struct sg_buf *b)
{
	if (b->len > 1)
		sg_buf_addc(b, ',');
}

static void array_text(struct sg_buf *b, const char *v)
{
	array_sep(b);
	if (!v) {
		sg_buf_adds(b, "NULL");
		return;
	}
	sg_buf_addc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			sg_buf_addc(b, '\\');
		sg_buf_addc(b, *v);
	}
	sg_buf_addc(b, '"');
}

static void array_int(struct sg_buf *b, long long v)
{
	array_sep(b);
	sg_buf_printf(b, "%lld", v);
}

static void array_null(struct sg_buf *b)
{
	array_sep(b);
	sg_buf_adds(b, "NULL");
}

/* A bytea element: "\\x..." (the array's quoting doubles the backslash). */
static void array_bytes(struct sg_buf *b, const unsigned char *v, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	array_sep(b);
	sg_buf_adds(b, "\"\\\\x");
	for (i = 0; i < len; i++) {
		sg_buf_addc(b, hex[v[i] >> 4]);
		sg_buf_addc(b, hex[v[i] & 15]);
	}
	sg_buf_addc(b, '"');
}

static void array_end(struct sg_buf *b)
{
	sg_buf_addc(b, '}');
}

enum column {
	COL_KEY, /* fingerprint (insert, lookup) or finding id (update) */
	COL_RULE,
	COL_RULE_NAME,
	COL_SEVERITY,
	COL_PATH,
	COL_LINE,
	COL_MESSAGE,
	COL_TOOL_SEVERITY,
	COL_COMPONENT,
	COL_STATUS,
	COL_COUNT
};

struct batch {
	struct pg *s;
	const struct sg_view *view;
	long long ingest_id, scan_id;
	time_t now;
	const struct sg_sight_item *items;
	struct sg_sighting_outcome *out;
	size_t n;
	unsigned char *path;      /* enum item_path per item */
	unsigned char *settled;   /* set by step 1 or 2 */
	struct key_index *by_fp;  /* fingerprint of a FAST item -> its index */
	struct sg_buf col[COL_COUNT];
};

static void add_details(struct batch *b, const struct sg_sighting *in)
{
	array_text(&b->col[COL_RULE], in->rule);
	array_text(&b->col[COL_RULE_NAME], in->rule_name);
	array_int(&b->col[COL_SEVERITY], (long long)in->severity);
	array_text(&b->col[COL_PATH], in->path);
	if (in->line > 0)
		array_int(&b->col[COL_LINE], in->line);
	else
		array_null(&b->col[COL_LINE]);
	array_text(&b->col[COL_MESSAGE], in->message);
	array_int(&b->col[COL_TOOL_SEVERITY], (long long)in->tool_severity);
	array_text(&b->col[COL_COMPONENT], in->component);
}

static int arrays_begin(struct batch *b)
{
	int i;

	for (i = 0; i < COL_COUNT; i++)
		array_begin(&b->col[i]);
	return 0;
}

static int arrays_end(struct batch *b, struct sg_error *err)
{
	int i;

	for (i = 0; i < COL_COUNT; i++) {
		array_end(&b->col[i]);
		if (sg_buf_error(&b->col[i]))
			return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	return 0;
}

static void param_detail_arrays(struct batch *b, struct pg_params *p)
{
	pg_param_text(p, b->col[COL_RULE].data);
	pg_param_text(p, b->col[COL_RULE_NAME].data);
	pg_param_text(p, b->col[COL_SEVERITY].data);
	pg_param_text(p, b->col[COL_PATH].data);
	pg_param_text(p, b->col[COL_LINE].data);
	pg_param_text(p, b->col[COL_MESSAGE].data);
	pg_param_text(p, b->col[COL_TOOL_SEVERITY].data);
	pg_param_text(p, b->col[COL_COMPONENT].data);
}

/* Step 1: the new findings, in the batch's order (ids then follow it, as one by one). */
static int insert_new(struct batch *b, size_t n_fast, struct sg_error *err)
{
	static const char sql[] =
		"INSERT INTO finding(product_id, fingerprint, kind, tool, category, rule, rule_name, severity, "
		"status, path, line, message, first_seen_scan, last_seen_scan, last_seen_ingest, first_seen_at, "
		"last_seen_at, tool_severity, component) "
		"SELECT $1, u.fp, $2, $3, $4, u.rule, u.rule_name, u.sev, 'open', u.path, u.line, u.msg, $5, $5, "
		"$6, $7, $7, u.tsev, u.comp "
		"FROM unnest($8::bytea[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::bigint[], "
		"$14::text[], $15::bigint[], $16::text[]) WITH ORDINALITY "
		"AS u(fp, rule, rule_name, sev, path, line, msg, tsev, comp, ord) "
		"ORDER BY u.ord "
		"ON CONFLICT (product_id, fingerprint) DO NOTHING RETURNING id, fingerprint";
	struct pg_params p;
	PGresult *res;
	size_t i;
	int row, rc;

	if (n_fast == 0)
		return 0;
	arrays_begin(b);
	for (i = 0; i < b->n; i++) {
		if (b->path[i] != FAST)
			continue;
		array_bytes(&b->col[COL_KEY], b->out[i].fingerprint, SG_FINGERPRINT_BYTES);
		add_details(b, &b->items[i].sighting);
	}
	if ((rc = arrays_end(b, err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, b->view->product_id);
	pg_param_text(&p, b->view->kind);
	pg_param_text(&p, b->view->tool);
	pg_param_text(&p, b->view->category);
	pg_param_int(&p, b->scan_id);
	pg_param_int(&p, b->ingest_id);
	pg_param_int(&p, (long long)b->now);
	pg_param_text(&p, b->col[COL_KEY].data);
	param_detail_arrays(b, &p);
	res = pg_query(b->s, sql, &p, "cannot record the findings", err);
	if (!res)
		return err->code;
	for (row = 0; row < PQntuples(res); row++) {
		unsigned char fp[SG_FINGERPRINT_BYTES];
		long idx = -1;
		if (pg_get_bytes(res, row, 1, fp, sizeof(fp)) == 0)
			idx = key_find(b->by_fp, fp);
		if (idx < 0) { /* not one of ours: cannot happen, but never index with it */
			PQclear(res);
			return sg_error_set(err, SG_DIAG_STORE_FAILED, "the database returned a finding not asked for");
		}
		b->out[idx].finding_id = pg_get_int(res, row, 0);
		b->out[idx].is_new = 1;
		b->settled[idx] = 1;
	}
	PQclear(res);
	return 0;
}

struct known_row {
	long long id;
	enum sg_finding_status status;
	long long last_ingest;
};

/* Steps 2 and 3: the findings that existed, read, then updated together. */
static int update_known(struct batch *b, size_t n_fast, struct sg_error *err)
{
	static const char lookup_sql[] =
		"SELECT id, fingerprint, status, last_seen_ingest FROM finding "
		"WHERE product_id = $1 AND fingerprint = ANY($2::bytea[])";
	static const char update_sql[] =
		"UPDATE finding f SET rule_name = u.rule_name, severity = u.sev, status = u.status, path = u.path, "
		"line = u.line, message = u.msg, last_seen_scan = $1, last_seen_ingest = $2, last_seen_at = $3, "
		"tool_severity = u.tsev, component = u.comp, rule = u.rule "
		"FROM unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[], "
		"$10::text[], $11::bigint[], $12::text[], $13::text[]) "
		"AS u(id, rule, rule_name, sev, path, line, msg, tsev, comp, status) WHERE f.id = u.id";
	static const char events_sql[] =
		"INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, to_status) "
		"SELECT u.id, $1, $2, u.event, u.from_status, u.to_status "
		"FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY "
		"AS u(id, event, from_status, to_status, ord) ORDER BY u.ord";
	struct sg_buf ev_id, ev_event, ev_from, ev_to;
	struct pg_params p;
	PGresult *res;
	size_t i, n_missing = 0, n_update = 0, n_events = 0;
	int row, rc = 0;

	for (i = 0; i < b->n; i++)
		n_missing += b->path[i] == FAST && !b->settled[i];
	if (n_fast == 0 || n_missing == 0)
		return 0;
	/* Step 2. */
	arrays_begin(b);
	for (i = 0; i < b->n; i++)
		if (b->path[i] == FAST && !b->settled[i])
			array_bytes(&b->col[COL_KEY], b->out[i].fingerprint, SG_FINGERPRINT_BYTES);
	if ((rc = arrays_end(b, err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, b->view->product_id);
	pg_param_text(&p, b->col[COL_KEY].data);
	res = pg_query(b->s, lookup_sql, &p, "cannot look up the findings", err);
	if (!res)
		return err->code;
	sg_buf_init(&ev_id, ARRAY_MAX);
	sg_buf_init(&ev_event, ARRAY_MAX);
	sg_buf_init(&ev_from, ARRAY_MAX);
	sg_buf_init(&ev_to, ARRAY_MAX);
	array_begin(&ev_id);
	array_begin(&ev_event);
	array_begin(&ev_from);
	array_begin(&ev_to);
	arrays_begin(b);
	for (row = 0; row < PQntuples(res); row++) {
		unsigned char fp[SG_FINGERPRINT_BYTES];
		struct sg_transition t;
		struct known_row k;
		long idx = -1;

		if (pg_get_bytes(res, row, 1, fp, sizeof(fp)) == 0)
			idx = key_find(b->by_fp, fp);
		if (idx < 0 || b->settled[idx])
			continue;
		k.id = pg_get_int(res, row, 0);
		if (sg_status_parse(pg_get_text(res, row, 2), &k.status) != 0)
			k.status = SG_STATUS_OPEN;
		k.last_ingest = pg_get_int(res, row, 3);
		b->settled[idx] = 1;
		if (k.last_ingest == b->ingest_id) {
			/* An identical result came in an earlier batch of this
			 * ingest: its fingerprint is another occurrence's. */
			b->path[idx] = SLOW;
			continue;
		}
		t = sg_lifecycle_sighted(1, k.status);
		b->out[idx].finding_id = k.id;
		b->out[idx].reopened = t.changes;
		array_int(&b->col[COL_KEY], k.id);
		add_details(b, &b->items[idx].sighting);
		array_text(&b->col[COL_STATUS], sg_status_name(t.to));
		n_update++;
		if (t.changes) {
			array_int(&ev_id, k.id);
			array_text(&ev_event, sg_event_name(t.event));
			array_text(&ev_from, sg_status_name(k.status));
			array_text(&ev_to, sg_status_name(t.to));
			n_events++;
		}
	}
	PQclear(res);
	for (i = 0; i < b->n && rc == 0; i++)
		if (b->path[i] == FAST && !b->settled[i])
			rc = sg_error_set(err, SG_DIAG_STORE_FAILED, "a finding vanished during the ingest");
	if (!rc)
		rc = arrays_end(b, err);
	array_end(&ev_id);
	array_end(&ev_event);
	array_end(&ev_from);
	array_end(&ev_to);
	if (!rc && (sg_buf_error(&ev_id) || sg_buf_error(&ev_event) || sg_buf_error(&ev_from) || sg_buf_error(&ev_to)))
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	/* Step 3. */
	if (!rc && n_update > 0) {
		pg_params_init(&p);
		pg_param_int(&p, b->scan_id);
		pg_param_int(&p, b->ingest_id);
		pg_param_int(&p, (long long)b->now);
		pg_param_text(&p, b->col[COL_KEY].data);
		param_detail_arrays(b, &p);
		pg_param_text(&p, b->col[COL_STATUS].data);
		rc = pg_exec(b->s, update_sql, &p, "cannot record the findings", err);
	}
	if (!rc && n_events > 0) {
		pg_params_init(&p);
		pg_param_int(&p, b->scan_id);
		pg_param_int(&p, (long long)b->now);
		pg_param_text(&p, ev_id.data);
		pg_param_text(&p, ev_event.data);
		pg_param_text(&p, ev_from.data);
		pg_param_text(&p, ev_to.data);
		rc = pg_exec(b->s, events_sql, &p, "cannot record the findings' history", err);
	}
	sg_buf_release(&ev_id);
	sg_buf_release(&ev_event);
	sg_buf_release(&ev_from);
	sg_buf_release(&ev_to);
	return rc;
}

/* Which results the batch settles, and which go one by one. */
static size_t sort_paths(struct batch *b, struct key_index *by_base)
{
	size_t i, n_fast = 0;

	for (i = 0; i < b->n; i++) {
		memset(&b->out[i], 0, sizeof(b->out[i]));
		if (key_find_or_add(by_base, b->items[i].base, i) >= 0) {
			b->path[i] = SLOW; /* an identical result came earlier in this batch */
			continue;
		}
		b->path[i] = FAST;
		sg_identity_fingerprint(b->items[i].base, 0, b->out[i].fingerprint);
		key_find_or_add(b->by_fp, b->out[i].fingerprint, i);
		n_fast++;
	}
	return n_fast;
}

int pg_findings_sight_many(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			   const struct sg_sight_item *items, size_t n, time_t now, struct sg_sighting_outcome *out,
			   struct sg_error *err)
{
	struct batch b;
	struct key_index *by_base = NULL;
	size_t i, n_fast;
	int rc = 0;

	if (n == 0)
		return 0;
	if (n > SLOTS / 2)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a batch of %zu results is larger than %d", n, SLOTS / 2);
	memset(&b, 0, sizeof(b));
	b.s = impl;
	b.view = view;
	b.ingest_id = ingest_id;
	b.scan_id = scan_id;
	b.now = now;
	b.items = items;
	b.out = out;
	b.n = n;
	for (i = 0; i < COL_COUNT; i++)
		sg_buf_init(&b.col[i], ARRAY_MAX);
	b.path = sg_calloc(n, 1);
	b.settled = sg_calloc(n, 1);
	b.by_fp = sg_calloc(1, sizeof(*b.by_fp));
	by_base = sg_calloc(1, sizeof(*by_base));
	if (!b.path || !b.settled || !b.by_fp || !by_base) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	n_fast = sort_paths(&b, by_base);
	if ((rc = insert_new(&b, n_fast, err)) || (rc = update_known(&b, n_fast, err)))
		goto out;
	for (i = 0; i < n && rc == 0; i++)
		if (b.path[i] == SLOW)
			rc = pg_finding_sight(impl, view, ingest_id, scan_id, items[i].base, &items[i].sighting, now,
					      &out[i], err);
out:
	for (i = 0; i < COL_COUNT; i++)
		sg_buf_release(&b.col[i]);
	sg_free(b.path);
	sg_free(b.settled);
	sg_free(b.by_fp);
	sg_free(by_base);
	return rc;
}
