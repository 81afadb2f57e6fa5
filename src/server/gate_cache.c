/*
 * Gate answers, kept for a moment. Computing the gate reads every open
 * finding of the product (tens of milliseconds at 100k findings); CI
 * pipelines ask it over and over. An answer stays valid while nothing was
 * written: every change to the store appends to the audit ledger, so its
 * head's sequence number names the store's state. The gate also depends on
 * the clock (SLA deadlines, exception expiry), so an answer is kept for at
 * most SG_GATE_CACHE_SECONDS whatever happens.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "server/request.h"
#include "util/alloc.h"

#define SG_GATE_CACHE_SECONDS 1.0
#define SG_GATE_CACHE_ENTRIES 64
#define SG_GATE_COMPUTE_STRIPES 16

struct entry {
	char product[256];
	char release[256];
	long long seq;
	struct timespec at;
	char *body;
	size_t len;
};

struct sg_gate_cache {
	pthread_mutex_t lock;
	/* One computation per product at a time (striped by name): when an
	 * answer expires, the requests in flight wait for the one computing
	 * it rather than all computing it at once. */
	pthread_mutex_t compute[SG_GATE_COMPUTE_STRIPES];
	struct entry e[SG_GATE_CACHE_ENTRIES];
	size_t next; /* the slot the next new answer takes (oldest first) */
};

struct sg_gate_cache *sg_gate_cache_new(void)
{
	struct sg_gate_cache *c = sg_calloc(1, sizeof(*c));
	size_t i;

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	for (i = 0; i < SG_GATE_COMPUTE_STRIPES; i++)
		pthread_mutex_init(&c->compute[i], NULL);
	return c;
}

void sg_gate_cache_free(struct sg_gate_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < SG_GATE_CACHE_ENTRIES; i++)
		sg_free(c->e[i].body);
	for (i = 0; i < SG_GATE_COMPUTE_STRIPES; i++)
		pthread_mutex_destroy(&c->compute[i]);
	pthread_mutex_destroy(&c->lock);
	sg_free(c);
}

static double age(const struct timespec *then, const struct timespec *now)
{
	return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

static struct entry *lookup(struct sg_gate_cache *c, const char *product, const char *release)
{
	size_t i;

	for (i = 0; i < SG_GATE_CACHE_ENTRIES; i++)
		if (c->e[i].body && strcmp(c->e[i].product, product) == 0 && strcmp(c->e[i].release, release) == 0)
			return &c->e[i];
	return NULL;
}

int sg_gate_cache_get(struct sg_gate_cache *c, const char *product, const char *release, long long seq,
		      const struct timespec *now, struct sg_buf *out)
{
	struct entry *e;
	int hit = 0;

	pthread_mutex_lock(&c->lock);
	e = lookup(c, product, release);
	/* An age below 0 is an answer stored by another thread after this
	 * request read the clock: as fresh as can be. */
	if (e && e->seq == seq && age(&e->at, now) < SG_GATE_CACHE_SECONDS) {
		sg_buf_reset(out);
		hit = sg_buf_add(out, e->body, e->len) == 0;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void sg_gate_cache_put(struct sg_gate_cache *c, const char *product, const char *release, long long seq,
		       const struct timespec *now, const char *body, size_t len)
{
	struct entry *e;
	char *copy;

	if (strlen(product) >= sizeof(e->product) || strlen(release) >= sizeof(e->release))
		return;
	copy = sg_malloc(len + 1);
	if (!copy)
		return; /* not kept: the next request computes it again */
	memcpy(copy, body, len);
	copy[len] = '\0';
	pthread_mutex_lock(&c->lock);
	e = lookup(c, product, release);
	if (!e) {
		e = &c->e[c->next];
		c->next = (c->next + 1) % SG_GATE_CACHE_ENTRIES;
	}
	sg_free(e->body);
	snprintf(e->product, sizeof(e->product), "%s", product);
	snprintf(e->release, sizeof(e->release), "%s", release);
	e->seq = seq;
	e->at = *now;
	e->body = copy;
	e->len = len;
	pthread_mutex_unlock(&c->lock);
}

static pthread_mutex_t *stripe(struct sg_gate_cache *c, const char *product)
{
	unsigned h = 2166136261u; /* FNV-1a: spreads names over the stripes */

	for (; *product; product++)
		h = (h ^ (unsigned char)*product) * 16777619u;
	return &c->compute[h % SG_GATE_COMPUTE_STRIPES];
}

void sg_gate_cache_compute_lock(struct sg_gate_cache *c, const char *product)
{
	pthread_mutex_lock(stripe(c, product));
}

void sg_gate_cache_compute_unlock(struct sg_gate_cache *c, const char *product)
{
	pthread_mutex_unlock(stripe(c, product));
}
