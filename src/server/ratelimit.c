/*
 * Requests per token: a token bucket each, filled at `rate` per second up
 * to SG_HTTP_RATE_BURST_SECONDS of it. Buckets live in a fixed table
 * (open addressing by token id); when it is full it starts over empty,
 * which can only ever let a client through, never lock one out.
 */
#include <pthread.h>
#include <string.h>

#include "server/request.h"
#include "util/alloc.h"
#include "util/limits.h"

#define SG_RATE_TABLE_SIZE 4096 /* a power of two */

struct bucket {
	long long token_id; /* 0: free */
	double tokens;
	struct timespec at;
};

struct sg_rate_limiter {
	pthread_mutex_t lock;
	unsigned rate;
	size_t used;
	struct bucket table[SG_RATE_TABLE_SIZE];
};

struct sg_rate_limiter *sg_rate_limiter_new(unsigned rate)
{
	struct sg_rate_limiter *l = sg_calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	l->rate = rate;
	return l;
}

static struct bucket *find(struct sg_rate_limiter *l, long long token_id)
{
	size_t i = (size_t)((unsigned long long)token_id * 0x9E3779B97F4A7C15ULL >> 52) & (SG_RATE_TABLE_SIZE - 1);

	for (;;) {
		struct bucket *b = &l->table[i];
		if (b->token_id == token_id || b->token_id == 0)
			return b;
		i = (i + 1) & (SG_RATE_TABLE_SIZE - 1);
	}
}

unsigned sg_rate_limiter_take(struct sg_rate_limiter *l, long long token_id, const struct timespec *now)
{
	double capacity, elapsed;
	struct bucket *b;
	unsigned wait = 0;

	if (l->rate == 0)
		return 0;
	capacity = (double)l->rate * SG_HTTP_RATE_BURST_SECONDS;
	pthread_mutex_lock(&l->lock);
	if (l->used >= SG_RATE_TABLE_SIZE / 2) {
		memset(l->table, 0, sizeof(l->table));
		l->used = 0;
	}
	b = find(l, token_id);
	if (b->token_id == 0) {
		b->token_id = token_id;
		b->tokens = capacity;
		b->at = *now;
		l->used++;
	}
	elapsed = (double)(now->tv_sec - b->at.tv_sec) + (double)(now->tv_nsec - b->at.tv_nsec) / 1e9;
	if (elapsed > 0) {
		b->tokens += elapsed * l->rate;
		if (b->tokens > capacity)
			b->tokens = capacity;
		b->at = *now;
	}
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
	} else {
		/* Seconds until one request's worth is back, rounded up. */
		wait = (unsigned)((1.0 - b->tokens) / l->rate) + 1;
	}
	pthread_mutex_unlock(&l->lock);
	return wait;
}

void sg_rate_limiter_free(struct sg_rate_limiter *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	sg_free(l);
}
