/*
 * The PostgreSQL backend: a batch of sightings in a few round trips
 * (sg_store_findings_sight_many). One by one, each result costs a round trip
 * to the server or two; bench/pg.sh measured that at a fraction of SQLite's
 * rate. Here the results go as arrays, a run of them at a time:
 *
 *   1. read the state of the run's findings that exist already;
 *   2. sent without waiting, so that the server writes while the ingest
 *      parses on: one statement updates the known ones and adds the events of
 *      those that reopened; a COPY inserts the others in the run's order (so
 *      ids follow the results, as one by one; looking up first also leaves no
 *      id taken by a conflict).
 *
 * Identical results within the batch get occurrences 1, 2, ... here. A
 * result whose base this ingest sighted in an earlier batch ends a run and
 * goes through pg_finding_sight (with the identical ones after it), which
 * counts on from what the store holds; the next run starts after it. So everything happens in the results' order, and the
 * outcomes are what n calls of pg_finding_sight would give, except that a
 * new finding's id is 0 (store.h).
 * The statements are planned afresh each time (pg_query_planned): an ingest
 * fills the table as it goes, and a plan kept from its first batches would
 * be wrong for the rest.
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
	COL_KEY, /* fingerprint (insert) or finding id (update) */
	COL_RULE,
	COL_RULE_NAME,
	COL_SEVERITY,
	COL_PATH,
	COL_LINE,
	COL_MESSAGE,
	COL_TOOL_SEVERITY,
	COL_COMPONENT,
	COL_STATUS, /* update only */
	COL_COUNT
};

enum event_column { EV_ID, EV_EVENT, EV_FROM, EV_TO, EV_COUNT };

struct columns {
	struct sg_buf col[COL_COUNT];
};

struct known_row {
	long long id;
	enum sg_finding_status status;
	long long last_ingest;
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
	size_t *first;            /* the batch's first result with the same base */
	unsigned long long *repeats; /* of a first result: identical results after it so far */
	unsigned char *found;     /* step 1 found it */
	struct known_row *known;  /* what step 1 found */
	struct key_index *by_fp;  /* fingerprint of a FAST item -> its index */
	struct sg_buf keys;       /* step 1's fingerprints */
	struct columns upd;       /* step 2's known findings */
	struct sg_buf copy;       /* step 2's new findings, as COPY's text */
	struct sg_buf ev[EV_COUNT];
};

static void columns_begin(struct columns *c)
{
	int i;

	for (i = 0; i < COL_COUNT; i++)
		array_begin(&c->col[i]);
}

static int columns_end(struct columns *c)
{
	int i, failed = 0;

	for (i = 0; i < COL_COUNT; i++) {
		array_end(&c->col[i]);
		failed |= sg_buf_error(&c->col[i]) != 0;
	}
	return failed;
}

static void add_details(struct columns *c, const struct sg_sighting *in)
{
	array_text(&c->col[COL_RULE], in->rule);
	array_text(&c->col[COL_RULE_NAME], in->rule_name);
	array_int(&c->col[COL_SEVERITY], (long long)in->severity);
	array_text(&c->col[COL_PATH], in->path);
	if (in->line > 0)
		array_int(&c->col[COL_LINE], in->line);
	else
		array_null(&c->col[COL_LINE]);
	array_text(&c->col[COL_MESSAGE], in->message);
	array_int(&c->col[COL_TOOL_SEVERITY], (long long)in->tool_severity);
	array_text(&c->col[COL_COMPONENT], in->component);
}

static void param_columns(const struct columns *c, struct pg_params *p, int with_status)
{
	int i;

	for (i = 0; i < COL_COUNT; i++)
		if (i != COL_STATUS || with_status)
			pg_param_text(p, c->col[i].data);
}

/*
 * Step 1: the state of the run's findings that exist. One probe of the
 * unique index per fingerprint (LATERAL, kept from being flattened into a
 * join by its LIMIT): a join would be planned from statistics that know
 * nothing of the rows this very ingest added (they are not committed yet),
 * and a hash join over all of the product's findings per batch made a 100k
 * ingest three times slower. It returns where the run must stop: at the
 * first result this ingest has sighted before (its fingerprint is another
 * occurrence's), or at `to`.
 */
static int look_up(struct batch *b, size_t from, size_t to, size_t *stop, struct sg_error *err)
{
	static const char sql[] =
		"SELECT f.id, f.fingerprint, f.status, f.last_seen_ingest FROM unnest($2::bytea[]) AS u(fp) "
		"CROSS JOIN LATERAL (SELECT id, fingerprint, status, last_seen_ingest FROM finding "
		"WHERE product_id = $1 AND fingerprint = u.fp LIMIT 1) f";
	struct pg_params p;
	PGresult *res;
	size_t i;
	int row;

	*stop = to;
	array_begin(&b->keys);
	for (i = from; i < to; i++)
		array_bytes(&b->keys, b->out[i].fingerprint, SG_FINGERPRINT_BYTES);
	array_end(&b->keys);
	if (sg_buf_error(&b->keys))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	pg_params_init(&p);
	pg_param_int(&p, b->view->product_id);
	pg_param_text(&p, b->keys.data);
	res = pg_query_planned(b->s, sql, &p, "cannot look up the findings", err);
	if (!res)
		return err->code;
	for (row = 0; row < PQntuples(res); row++) {
		unsigned char fp[SG_FINGERPRINT_BYTES];
		struct known_row *k;
		long idx = -1;

		if (pg_get_bytes(res, row, 1, fp, sizeof(fp)) == 0)
			idx = key_find(b->by_fp, fp);
		if (idx < 0 || (size_t)idx < from || (size_t)idx >= to)
			continue;
		k = &b->known[idx];
		k->id = pg_get_int(res, row, 0);
		if (sg_status_parse(pg_get_text(res, row, 2), &k->status) != 0)
			k->status = SG_STATUS_OPEN;
		k->last_ingest = pg_get_int(res, row, 3);
		b->found[idx] = 1;
		if (k->last_ingest == b->ingest_id && (size_t)idx < *stop)
			*stop = (size_t)idx;
	}
	PQclear(res);
	return 0;
}

/* ---- COPY's text format, for the new findings ---- */

static void copy_text(struct sg_buf *b, const char *v)
{
	if (v)
		pg_copy_text(b, v, strlen(v));
	else
		sg_buf_adds(b, "\\N");
}

static void copy_int(struct sg_buf *b, long long v)
{
	sg_buf_printf(b, "%lld", v);
}

/* One row of NEW_COLUMNS. */
static void copy_new_row(struct batch *b, size_t i)
{
	const struct sg_sighting *in = &b->items[i].sighting;
	struct sg_buf *c = &b->copy;

	copy_int(c, b->view->product_id);
	sg_buf_addc(c, '\t');
	pg_copy_bytea(c, b->out[i].fingerprint, SG_FINGERPRINT_BYTES);
	sg_buf_addc(c, '\t');
	copy_text(c, b->view->kind);
	sg_buf_addc(c, '\t');
	copy_text(c, b->view->tool);
	sg_buf_addc(c, '\t');
	copy_text(c, b->view->category);
	sg_buf_addc(c, '\t');
	copy_text(c, in->rule);
	sg_buf_addc(c, '\t');
	copy_text(c, in->rule_name);
	sg_buf_addc(c, '\t');
	copy_int(c, (long long)in->severity);
	sg_buf_addc(c, '\t');
	copy_text(c, in->path);
	sg_buf_addc(c, '\t');
	if (in->line > 0)
		copy_int(c, in->line);
	else
		copy_text(c, NULL);
	sg_buf_addc(c, '\t');
	copy_text(c, in->message);
	sg_buf_addc(c, '\t');
	copy_int(c, (long long)in->tool_severity);
	sg_buf_addc(c, '\t');
	copy_text(c, in->component);
	sg_buf_printf(c, "\topen\t%lld\t%lld\t%lld\t%lld\t%lld\n", b->scan_id, b->scan_id, b->ingest_id,
		      (long long)b->now, (long long)b->now);
}

/*
 * Step 2: one statement updates the run's known findings and adds the events
 * of those that reopened; a COPY inserts the new ones in the run's order
 * (faster than an INSERT over arrays: bench/README.md). Both are sent, not
 * waited for: the server writes while the ingest reads the next batch, and
 * the next statement on the connection collects the result (a failure fails
 * the ingest then). New findings' ids are therefore not known here: their
 * outcomes say 0 (store.h allows it).
 */
static int write_run(struct batch *b, size_t from, size_t to, struct sg_error *err)
{
	static const char update_sql[] =
		"WITH upd AS ("
		" UPDATE finding f SET rule = u.rule, rule_name = u.rule_name, severity = u.sev, path = u.path, "
		" line = u.line, message = u.msg, tool_severity = u.tsev, component = u.comp, status = u.status, "
		" last_seen_scan = $1, last_seen_ingest = $2, last_seen_at = $3 "
		" FROM unnest($4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::bigint[], "
		" $10::text[], $11::bigint[], $12::text[], $13::text[]) "
		" AS u(id, rule, rule_name, sev, path, line, msg, tsev, comp, status) WHERE f.id = u.id) "
		"INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, to_status) "
		"SELECT e.id, $1, $3, e.event, e.from_status, e.to_status "
		"FROM unnest($14::bigint[], $15::text[], $16::text[], $17::text[]) WITH ORDINALITY "
		"AS e(id, event, from_status, to_status, ord) ORDER BY e.ord";
	static const char copy_sql[] =
		"COPY finding(product_id, fingerprint, kind, tool, category, rule, rule_name, severity, path, line, "
		"message, tool_severity, component, status, first_seen_scan, last_seen_scan, last_seen_ingest, "
		"first_seen_at, last_seen_at) FROM STDIN";
	struct pg_params p;
	size_t i, n_new = 0, n_known = 0;
	int e, rc, failed;

	columns_begin(&b->upd);
	for (e = 0; e < EV_COUNT; e++)
		array_begin(&b->ev[e]);
	sg_buf_reset(&b->copy);
	for (i = from; i < to; i++) {
		const struct known_row *k = &b->known[i];
		struct sg_transition t;

		if (!b->found[i]) {
			copy_new_row(b, i);
			b->out[i].is_new = 1;
			n_new++;
			continue;
		}
		t = sg_lifecycle_sighted(1, k->status);
		b->out[i].finding_id = k->id;
		b->out[i].reopened = t.changes;
		array_int(&b->upd.col[COL_KEY], k->id);
		add_details(&b->upd, &b->items[i].sighting);
		array_text(&b->upd.col[COL_STATUS], sg_status_name(t.to));
		n_known++;
		if (t.changes) {
			array_int(&b->ev[EV_ID], k->id);
			array_text(&b->ev[EV_EVENT], sg_event_name(t.event));
			array_text(&b->ev[EV_FROM], sg_status_name(k->status));
			array_text(&b->ev[EV_TO], sg_status_name(t.to));
		}
	}
	failed = columns_end(&b->upd) || sg_buf_error(&b->copy) != 0;
	for (e = 0; e < EV_COUNT; e++) {
		array_end(&b->ev[e]);
		failed |= sg_buf_error(&b->ev[e]) != 0;
	}
	if (failed)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (n_known > 0) {
		pg_params_init(&p);
		pg_param_int(&p, b->scan_id);
		pg_param_int(&p, b->ingest_id);
		pg_param_int(&p, (long long)b->now);
		param_columns(&b->upd, &p, 1);
		for (e = 0; e < EV_COUNT; e++)
			pg_param_text(&p, b->ev[e].data);
		if ((rc = pg_send(b->s, update_sql, &p, "cannot record the findings", err)))
			return rc;
	}
	if (n_new > 0)
		return pg_copy_send(b->s, copy_sql, b->copy.data, b->copy.len, "cannot record the findings", err);
	return 0;
}

/*
 * Each result's fingerprint: occurrence 0 for the first of its base in the
 * batch, and 1, 2, ... for the identical results after it, which is right as
 * long as this ingest has not sighted the base in an earlier batch. Where it
 * has (step 1 finds the fingerprint already sighted by this ingest), that
 * result and the identical ones after it go one by one (SLOW).
 */
static void sort_paths(struct batch *b, struct key_index *by_base)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		long first = key_find_or_add(by_base, b->items[i].base, i);

		memset(&b->out[i], 0, sizeof(b->out[i]));
		b->path[i] = FAST;
		b->first[i] = first >= 0 ? (size_t)first : i;
		if (first >= 0)
			b->out[i].occurrence = ++b->repeats[first];
		sg_identity_fingerprint(b->items[i].base, b->out[i].occurrence, b->out[i].fingerprint);
		key_find_or_add(b->by_fp, b->out[i].fingerprint, i);
	}
}

/* Result i and the identical ones after it go one by one. */
static void go_slow_from(struct batch *b, size_t i)
{
	size_t j, first = b->first[i];

	for (j = i; j < b->n; j++) {
		if (b->first[j] != first)
			continue;
		b->path[j] = SLOW;
		b->found[j] = 0;
		memset(&b->known[j], 0, sizeof(b->known[j]));
	}
}

/* Settle the FAST results from `from` on; *next is where to go on. */
static int settle_run(struct batch *b, size_t from, size_t *next, struct sg_error *err)
{
	size_t to = from, stop;
	int rc;

	while (to < b->n && b->path[to] == FAST)
		to++;
	if ((rc = look_up(b, from, to, &stop, err)))
		return rc;
	if (stop < to) {
		/* The run ends before the result this ingest sighted already;
		 * the one-by-one path takes it (and the identical ones after
		 * it), and a new run its followers. */
		go_slow_from(b, stop);
	}
	if ((rc = write_run(b, from, stop, err)))
		return rc;
	*next = stop;
	return 0;
}

int pg_findings_sight_many(void *impl, const struct sg_view *view, long long ingest_id, long long scan_id,
			   const struct sg_sight_item *items, size_t n, time_t now, struct sg_sighting_outcome *out,
			   struct sg_error *err)
{
	struct batch b;
	struct key_index *by_base = NULL;
	size_t i;
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
	sg_buf_init(&b.keys, ARRAY_MAX);
	sg_buf_init(&b.copy, ARRAY_MAX);
	for (i = 0; i < COL_COUNT; i++)
		sg_buf_init(&b.upd.col[i], ARRAY_MAX);
	for (i = 0; i < EV_COUNT; i++)
		sg_buf_init(&b.ev[i], ARRAY_MAX);
	b.path = sg_calloc(n, 1);
	b.found = sg_calloc(n, 1);
	b.known = sg_calloc(n, sizeof(*b.known));
	b.first = sg_calloc(n, sizeof(*b.first));
	b.repeats = sg_calloc(n, sizeof(*b.repeats));
	b.by_fp = sg_calloc(1, sizeof(*b.by_fp));
	by_base = sg_calloc(1, sizeof(*by_base));
	if (!b.path || !b.found || !b.known || !b.first || !b.repeats || !b.by_fp || !by_base) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	sort_paths(&b, by_base);
	i = 0;
	while (i < n && rc == 0) {
		if (b.path[i] == FAST) {
			rc = settle_run(&b, i, &i, err);
			continue;
		}
		rc = pg_finding_sight(impl, view, ingest_id, scan_id, items[i].base, &items[i].sighting, now,
				      &out[i], err);
		i++;
	}
out:
	sg_buf_release(&b.keys);
	sg_buf_release(&b.copy);
	for (i = 0; i < COL_COUNT; i++)
		sg_buf_release(&b.upd.col[i]);
	for (i = 0; i < EV_COUNT; i++)
		sg_buf_release(&b.ev[i]);
	sg_free(b.path);
	sg_free(b.found);
	sg_free(b.known);
	sg_free(b.first);
	sg_free(b.repeats);
	sg_free(b.by_fp);
	sg_free(by_base);
	return rc;
}
