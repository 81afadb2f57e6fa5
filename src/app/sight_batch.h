/*
 * Results of one run on their way to the store, a batch at a time
 * (sg_store_findings_sight_many): a store behind a network round trip
 * settles a thousand results in a few trips instead of a thousand. The batch
 * copies what the parser hands over, which lives only as long as its
 * callback, into its own arena; memory stays bounded by the batch's size,
 * not by the number of results.
 */
#ifndef SG_APP_SIGHT_BATCH_H
#define SG_APP_SIGHT_BATCH_H

#include <stddef.h>
#include <time.h>

#include "store/store.h"
#include "util/error.h"

#define SG_SIGHT_BATCH_ITEMS 1000
#define SG_SIGHT_BATCH_BYTES (4u << 20) /* strings copied, at most, before a flush */

/* What flushed batches added up to. */
struct sg_sight_totals {
	long long new_findings;
	long long reopened;
};

struct sg_sight_batch {
	struct sg_store *store;
	struct sg_view view;
	long long ingest_id, scan_id;
	time_t now;
	size_t n;
	struct sg_sight_item items[SG_SIGHT_BATCH_ITEMS];
	struct sg_sighting_outcome out[SG_SIGHT_BATCH_ITEMS];
	char *arena;
	size_t arena_used, arena_size;
};

struct sg_sight_batch *sg_sight_batch_new(void);
void sg_sight_batch_free(struct sg_sight_batch *b);
/* Start a run's batch. The view's strings must outlive it (until flush). */
void sg_sight_batch_start(struct sg_sight_batch *b, struct sg_store *store, const struct sg_view *view,
			  long long ingest_id, long long scan_id, time_t now);
/* Queue one result; a full batch is flushed first, adding to *totals. */
int sg_sight_batch_add(struct sg_sight_batch *b, const unsigned char base[SG_FINGERPRINT_BYTES],
		       const struct sg_sighting *s, struct sg_sight_totals *totals, struct sg_error *err) SG_MUST_USE;
/* Send what is queued, adding its outcomes to *totals. */
int sg_sight_batch_flush(struct sg_sight_batch *b, struct sg_sight_totals *totals, struct sg_error *err) SG_MUST_USE;
/* Forget what is queued (the run was abandoned and rolled back). */
void sg_sight_batch_discard(struct sg_sight_batch *b);

#endif
