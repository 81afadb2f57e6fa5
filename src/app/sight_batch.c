/* Results on their way to the store, a batch at a time: see sight_batch.h. */
#include "app/sight_batch.h"

#include <string.h>

#include "util/alloc.h"

struct sg_sight_batch *sg_sight_batch_new(void)
{
	struct sg_sight_batch *b = sg_calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->arena = sg_malloc(SG_SIGHT_BATCH_BYTES);
	if (!b->arena) {
		sg_free(b);
		return NULL;
	}
	b->arena_size = SG_SIGHT_BATCH_BYTES;
	return b;
}

void sg_sight_batch_free(struct sg_sight_batch *b)
{
	if (!b)
		return;
	sg_free(b->arena);
	sg_free(b);
}

void sg_sight_batch_start(struct sg_sight_batch *b, struct sg_store *store, const struct sg_view *view,
			  long long ingest_id, long long scan_id, time_t now)
{
	b->store = store;
	b->view = *view;
	b->ingest_id = ingest_id;
	b->scan_id = scan_id;
	b->now = now;
	b->n = 0;
	b->arena_used = 0;
}

void sg_sight_batch_discard(struct sg_sight_batch *b)
{
	b->n = 0;
	b->arena_used = 0;
}

int sg_sight_batch_flush(struct sg_sight_batch *b, struct sg_sight_totals *totals, struct sg_error *err)
{
	size_t i;
	int rc;

	if (b->n == 0)
		return 0;
	rc = sg_store_findings_sight_many(b->store, &b->view, b->ingest_id, b->scan_id, b->items, b->n, b->now,
					  b->out, err);
	if (rc)
		return rc;
	for (i = 0; i < b->n; i++) {
		totals->new_findings += b->out[i].is_new;
		totals->reopened += b->out[i].reopened;
	}
	sg_sight_batch_discard(b);
	return 0;
}

static size_t copied_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copy s into the arena (room was checked); NULL stays NULL. */
static const char *keep(struct sg_sight_batch *b, const char *s)
{
	size_t len = copied_size(s);
	char *copy;

	if (!s)
		return NULL;
	copy = b->arena + b->arena_used;
	memcpy(copy, s, len);
	b->arena_used += len;
	return copy;
}

int sg_sight_batch_add(struct sg_sight_batch *b, const unsigned char base[SG_FINGERPRINT_BYTES],
		       const struct sg_sighting *s, struct sg_sight_totals *totals, struct sg_error *err)
{
	size_t need = copied_size(s->rule) + copied_size(s->rule_name) + copied_size(s->path) +
		      copied_size(s->message) + copied_size(s->component);
	struct sg_sight_item *item;
	int rc;

	if (need > b->arena_size)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "a result of %zu bytes is too large", need);
	if (b->n == SG_SIGHT_BATCH_ITEMS || b->arena_used + need > b->arena_size) {
		if ((rc = sg_sight_batch_flush(b, totals, err)))
			return rc;
	}
	item = &b->items[b->n++];
	memcpy(item->base, base, SG_FINGERPRINT_BYTES);
	item->sighting = *s;
	item->sighting.rule = keep(b, s->rule);
	item->sighting.rule_name = keep(b, s->rule_name);
	item->sighting.path = keep(b, s->path);
	item->sighting.message = keep(b, s->message);
	item->sighting.component = keep(b, s->component);
	return 0;
}
