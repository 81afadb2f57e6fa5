/*
 * One JSON line per request on the server's log: when, from where, what,
 * the answer, how long, and as whom. Never a header's value: the token
 * travels in one. The path is the raw one without its query string.
 */
#include <stdio.h>
#include <time.h>

#include "server/request.h"
#include "util/timeutil.h"

void sg_log_begin(struct sg_server *server, struct sg_jw *w)
{
	pthread_mutex_lock(&server->log_lock);
	sg_jw_init_file(w, server->cfg.log, 0);
	sg_jw_object_begin(w);
}

void sg_log_end(struct sg_server *server, struct sg_jw *w)
{
	sg_jw_object_end(w);
	/* A log that cannot be written is no reason to fail the request. */
	if (sg_jw_finish(w) == 0)
		fputc('\n', server->cfg.log);
	fflush(server->cfg.log);
	pthread_mutex_unlock(&server->log_lock);
}

void sg_request_log(struct sg_server *server, const struct sg_request *req, int completed)
{
	char when[SG_TIME_TEXT];
	struct timespec now;
	struct sg_jw w;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long)(now.tv_sec - req->started.tv_sec) * 1000000LL + (now.tv_nsec - req->started.tv_nsec) / 1000;
	/* The real clock, not $SHIPGATE_NOW: this is the operator's record. */
	sg_time_format(time(NULL), when);
	sg_log_begin(server, &w);
	sg_jw_kv_string(&w, "time", when);
	sg_jw_kv_string(&w, "remote", req->remote);
	sg_jw_kv_string(&w, "method", req->method[0] ? req->method : NULL);
	sg_jw_kv_string(&w, "path", req->path);
	sg_jw_kv_int(&w, "status", req->queued ? (long long)req->status : 0);
	sg_jw_kv_int(&w, "bytes_in", (long long)req->body_bytes);
	sg_jw_kv_int(&w, "bytes_out", req->queued ? (long long)req->out_len : 0);
	sg_jw_kv_int(&w, "us", us);
	sg_jw_kv_string(&w, "user", req->authenticated ? req->caller.name : NULL);
	if (req->error_code)
		sg_jw_kv_string(&w, "error", req->error_code);
	if (!completed) {
		/* The client went away, or the connection failed or timed out,
		 * before the answer was sent. */
		sg_jw_key(&w, "aborted");
		sg_jw_bool(&w, 1);
	}
	sg_log_end(server, &w);
}
