/*
 * The scheduler thread (scheduler.h). Its ticks fall on whole seconds of
 * the real clock: servers sharing a store then claim at the same moments,
 * and the store's claim decides between them (which is what it is for).
 *
 * The jobs write as the API's writers do, queued on the server's write
 * lock, and log on the server's log, one JSON line each. A failing tick
 * (the store unreachable) is logged once per distinct failure and per
 * minute, and the store connection is opened again on the next tick.
 */
#include "server/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/request.h"
#include "util/alloc.h"
#include "util/timeutil.h"

#define SG_SCHEDULER_ERROR_REPEAT_S 60

struct sg_scheduler {
	struct sg_server *server;
	struct sg_jobs_config cfg;
	struct sg_app app;
	char actor[SG_JOB_INSTANCE_BYTES + 8];
	int webhook;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	char last_error[900];
	time_t last_error_at;
};

static void write_begin(void *ctx)
{
	struct sg_scheduler *s = ctx;

	pthread_mutex_lock(&s->server->write_lock);
}

static void write_end(void *ctx)
{
	struct sg_scheduler *s = ctx;

	pthread_mutex_unlock(&s->server->write_lock);
}

static void log_line(void *ctx, const char *json)
{
	struct sg_scheduler *s = ctx;
	FILE *log = s->server->cfg.log;

	pthread_mutex_lock(&s->server->log_lock);
	fputs(json, log);
	fputc('\n', log);
	fflush(log);
	pthread_mutex_unlock(&s->server->log_lock);
}

static void log_failure(struct sg_scheduler *s, const struct sg_error *err)
{
	char line[900], when[SG_TIME_TEXT];
	time_t now = time(NULL);
	struct sg_jw w;

	sg_error_format(err, line, sizeof(line));
	if (strcmp(line, s->last_error) == 0 && now - s->last_error_at < SG_SCHEDULER_ERROR_REPEAT_S)
		return;
	snprintf(s->last_error, sizeof(s->last_error), "%s", line);
	s->last_error_at = now;
	sg_time_format(now, when);
	sg_log_begin(s->server, &w);
	sg_jw_kv_string(&w, "time", when);
	sg_jw_kv_string(&w, "event", "job-error");
	sg_jw_kv_string(&w, "instance", s->cfg.instance);
	sg_jw_kv_string(&w, "detail", line);
	sg_log_end(s->server, &w);
}

static void tick(struct sg_scheduler *s)
{
	const struct sg_jobs_hooks hooks = {s, write_begin, write_end, log_line};
	struct sg_error err;
	int ran = 0;

	sg_error_clear(&err);
	if (sg_jobs_run_due(&s->app, &s->cfg, &hooks, time(NULL), &ran, &err) == 0) {
		s->last_error[0] = '\0';
		return;
	}
	log_failure(s, &err);
	/* A broken connection is replaced: the next tick opens the store again. */
	sg_app_close(&s->app);
}

/* Until the next whole second of the real clock, or until told to stop. */
static int wait_next_second(struct sg_scheduler *s)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	until.tv_nsec = 0;
	pthread_mutex_lock(&s->lock);
	while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
		;
	stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

static void *run(void *arg)
{
	struct sg_scheduler *s = arg;

	do
		tick(s);
	while (!wait_next_second(s));
	return NULL;
}

static void scheduler_free(struct sg_scheduler *s)
{
	sg_app_close(&s->app);
	if (s->webhook)
		sg_webhook_global_cleanup();
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	sg_free(s);
}

int sg_scheduler_start(struct sg_server *server, struct sg_scheduler **out, struct sg_error *err)
{
	const struct sg_jobs_config *cfg = &server->cfg.jobs;
	struct sg_scheduler *s;
	int rc;

	*out = NULL;
	if (!cfg->vulndb_path && !cfg->sla_notify)
		return 0;
	if ((rc = sg_jobs_check_config(cfg, err)))
		return rc;
	s = sg_calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	s->server = server;
	s->cfg = *cfg;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	sg_app_init(&s->app, server->cfg.db_url, server->cfg.policy_path);
	/* What the jobs write (a vulndb import's audit entries) is the server's
	 * doing, as this instance. */
	snprintf(s->actor, sizeof(s->actor), "job:%s", cfg->instance);
	s->app.actor = s->actor;
	if (cfg->sla_notify && strcmp(cfg->sla_notify, "log") != 0) {
		if ((rc = sg_webhook_global_init(err)))
			goto fail;
		s->webhook = 1;
	}
	if ((rc = sg_jobs_register(&s->app, cfg, time(NULL), err)))
		goto fail;
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		rc = sg_error_set(err, SG_DIAG_INTERNAL, "cannot start the scheduler's thread");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	scheduler_free(s);
	return rc;
}

void sg_scheduler_stop(struct sg_scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_broadcast(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	scheduler_free(s);
}
