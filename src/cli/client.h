/*
 * The command line's side of the HTTP API (docs/api.md): one request to a
 * shipgate server over libcurl, and its answer.
 *
 * The token travels only in the Authorization header: it is never printed
 * and never part of an error message. TLS verification is always on
 * (--cacert names a CA bundle for a server with its own certificate); an
 * http:// server is allowed, but the token then crosses the network in
 * clear text. Redirects are not followed: a redirect would carry the token
 * to wherever the server points.
 *
 * Failures, and the exit status each gives through sg_exit_status():
 *   - no answer (unreachable, TLS refused, timeout): SG_EINTERNAL, exit 3,
 *     the message naming the URL (which never holds the token);
 *   - an answer with an error status: its {"error":{"code","message"}}
 *     becomes err (the server's code as the diagnostic when this client
 *     knows it), and the code follows the HTTP status
 *     (sg_client_status_code): 400 401 404 409 413 429 exit 2, 403 exit 1,
 *     5xx exit 3.
 */
#ifndef SG_CLI_CLIENT_H
#define SG_CLI_CLIENT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"

struct sg_client {
	char *base;         /* the server's URL without a trailing "/" */
	char *auth;         /* the bearer token; wiped and freed by sg_client_close() */
	const char *cacert; /* CA bundle file, or NULL for the system's */
};

/* Check the server URL (http:// or https://, no user, query or fragment)
 * and the token (printable ASCII, no spaces), and copy them; cacert is
 * kept as it is. On failure there is nothing to close. */
int sg_client_open(struct sg_client *c, const char *server, const char *token, const char *cacert,
		   struct sg_error *err) SG_MUST_USE;
void sg_client_close(struct sg_client *c);

/* A query parameter; one whose value is NULL is left out. */
struct sg_client_param {
	const char *name;
	const char *value;
};

struct sg_client_request {
	const char *method;                  /* "GET" or "POST" */
	const char *path;                    /* "/api/v1/...", segments escaped (sg_client_path) */
	const struct sg_client_param *query; /* n_query of them */
	size_t n_query;
	const char *body;                    /* from memory (body_len bytes), or */
	size_t body_len;
	const char *body_file;               /* streamed from this file, never read whole */
	const char *content_type;            /* of the body */
	size_t max_response;                 /* 0: SG_CLIENT_MAX_RESPONSE_BYTES */
};

struct sg_client_response {
	long status;
	struct sg_buf body;
	char content_type[128];
	long retry_after; /* a 429's Retry-After in seconds; -1 when absent */
};

void sg_client_response_init(struct sg_client_response *resp);
void sg_client_response_release(struct sg_client_response *resp);

/*
 * Send one request and collect the answer. Returns 0 when the server
 * answered 2xx. Any other answer is turned into err (see above) and its
 * code returned; resp holds it all the same.
 */
int sg_client_call(const struct sg_client *c, const struct sg_client_request *req,
		   struct sg_client_response *resp, struct sg_error *err) SG_MUST_USE;

/* ---- pure helpers (unit-tested) ---- */

/* Append "/" and the segment, percent-encoded (a product name may hold
 * "/" or "?": it stays one segment). */
int sg_client_path(struct sg_buf *path, const char *segment) SG_MUST_USE;

/* base + path + "?name=value&..." with names and values percent-encoded. */
int sg_client_url(const char *base, const char *path, const struct sg_client_param *query, size_t n_query,
		  struct sg_buf *out, struct sg_error *err) SG_MUST_USE;

/* The SG_E* code for an HTTP status: 0 for 2xx. */
int sg_client_status_code(long status);

/* Turn an error answer (status, body) into err; returns the code. The
 * body is parsed as {"error":{"code","message"}} with the streaming reader;
 * an answer without one gets a message naming the status. */
int sg_client_error_from_answer(long status, const char *body, size_t len, const char *url,
				struct sg_error *err);

#endif
