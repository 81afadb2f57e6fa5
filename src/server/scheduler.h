/*
 * The server's scheduler: one thread, with its own store connection, that
 * runs the background jobs (app/jobs.h, docs/jobs.md) when they fall due.
 * Internal to src/server/.
 */
#ifndef SG_SERVER_SCHEDULER_H
#define SG_SERVER_SCHEDULER_H

#include "util/error.h"

struct sg_server;
struct sg_scheduler;

/*
 * Register the configured jobs and start the thread (with the stop signals
 * blocked, as every server thread). *out is NULL when no job is configured.
 * Once a second, on the second, it claims what is due and runs it.
 */
int sg_scheduler_start(struct sg_server *server, struct sg_scheduler **out, struct sg_error *err) SG_MUST_USE;
/* Stop: a job in progress finishes first. NULL is nothing to stop. */
void sg_scheduler_stop(struct sg_scheduler *s);

#endif
