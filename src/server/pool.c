/*
 * A pool of sg_app objects, each with its own store connection and its
 * own copy of the policy: a SQLite connection is used by one thread at a
 * time, and opening one (schema check included) for every request would
 * cost more than most requests do.
 */
#include <pthread.h>

#include "server/request.h"
#include "util/alloc.h"

struct sg_app_pool {
	pthread_mutex_t lock;
	const char *db_url;
	const char *policy_path;
	struct sg_app **idle;
	size_t n_idle, cap;
};

int sg_app_pool_new(const struct sg_server_config *cfg, struct sg_app_pool **out, struct sg_error *err)
{
	struct sg_app_pool *p = sg_calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	/* Every connection may hold one, and a handler never holds two. */
	p->cap = (size_t)cfg->threads + 1;
	p->idle = sg_calloc(p->cap, sizeof(*p->idle));
	if (!p->idle) {
		sg_free(p);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	p->db_url = cfg->db_url;
	p->policy_path = cfg->policy_path;
	*out = p;
	return 0;
}

struct sg_app *sg_app_pool_take(struct sg_app_pool *p)
{
	struct sg_app *app = NULL;

	pthread_mutex_lock(&p->lock);
	if (p->n_idle)
		app = p->idle[--p->n_idle];
	pthread_mutex_unlock(&p->lock);
	if (app)
		return app;
	app = sg_calloc(1, sizeof(*app));
	if (app)
		sg_app_init(app, p->db_url, p->policy_path);
	return app;
}

void sg_app_pool_give(struct sg_app_pool *p, struct sg_app *app)
{
	app->actor = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->n_idle < p->cap) {
		p->idle[p->n_idle++] = app;
		app = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	if (app) {
		sg_app_close(app);
		sg_free(app);
	}
}

void sg_app_pool_free(struct sg_app_pool *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_idle; i++) {
		sg_app_close(p->idle[i]);
		sg_free(p->idle[i]);
	}
	sg_free(p->idle);
	pthread_mutex_destroy(&p->lock);
	sg_free(p);
}
