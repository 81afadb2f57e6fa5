/*
 * What the server's parts share: one request as the handlers see it, the
 * route table, and the server's state. Internal to src/server/.
 */
#ifndef SG_SERVER_REQUEST_H
#define SG_SERVER_REQUEST_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "app/access.h"
#include "app/app.h"
#include "server/server.h"
#include "util/buf.h"
#include "util/json_writer.h"

struct sg_server;
struct sg_request;
struct sg_upload;

/* What a route needs beyond a valid token. The role rules of the verbs
 * themselves (docs/exceptions.md) apply on top, in app/. */
enum sg_access {
	SG_ACCESS_PUBLIC = 0, /* no token: /healthz, the OpenAPI document */
	SG_ACCESS_READ,       /* viewer and up */
	SG_ACCESS_WRITE,      /* developer and up: uploads, releases, exceptions */
	SG_ACCESS_TRIAGE,     /* security, cto, admin */
	SG_ACCESS_ADMIN,      /* admin: the audit ledger spans every product */
};

/* How a route takes its body. */
enum sg_body_kind {
	SG_BODY_NONE = 0, /* a body is refused (413) */
	SG_BODY_JSON,     /* a small JSON object, SG_HTTP_MAX_JSON_BODY_BYTES at most */
	SG_BODY_UPLOAD,   /* a document streamed through a checker to a spool file */
};

/* The upload formats (SG_BODY_UPLOAD routes). */
enum sg_upload_format {
	SG_UPLOAD_SARIF = 1,
	SG_UPLOAD_SBOM,
};

#define SG_ROUTE_MAX_PARAMS 2
#define SG_REQ_MAX_FIELDS 8

typedef int (*sg_route_fn)(struct sg_request *req, struct sg_error *err);

struct sg_route {
	const char *method;
	const char *pattern;       /* "/api/v1/products/{product}/gate": {x} matches one segment */
	enum sg_access least;      /* the least role that may call it */
	enum sg_body_kind body;
	enum sg_upload_format upload; /* SG_BODY_UPLOAD only */
	int writes;                /* takes the server's write lock */
	sg_route_fn fn;
};

/* The route table, in the order the OpenAPI document lists them. */
const struct sg_route *sg_server_routes(size_t *n);

/*
 * Match a path against the table. Returns the route, or NULL. *allow is
 * the methods the path takes ("GET", "POST" or "GET, POST"; NULL when no
 * route has the path): with a NULL route, 405 rather than 404.
 * Captured {params} are copied, percent-decoded, into params[] (each at most
 * 255 bytes; a longer or undecodable one does not match).
 */
const struct sg_route *sg_route_match(const char *method, const char *path,
				      char params[SG_ROUTE_MAX_PARAMS][256], const char **allow);

struct sg_request {
	struct sg_server *server;
	struct MHD_Connection *conn;
	const struct sg_route *route;
	char params[SG_ROUTE_MAX_PARAMS][256]; /* {product} or {id}, in pattern order */
	struct sg_caller caller;               /* when the route needs a token */
	int authenticated;
	struct sg_app *app;                    /* from the pool, for the handler's duration */
	struct sg_buf body;                    /* SG_BODY_JSON */
	char *body_fields[SG_REQ_MAX_FIELDS];  /* sg_req_body_fields()'s copies */
	struct sg_upload *upload;              /* SG_BODY_UPLOAD */

	/* The answer. */
	unsigned status;
	struct sg_buf out;
	size_t out_len;                        /* bytes answered, once handed over */
	const char *content_type;              /* default application/json */
	unsigned retry_after;                  /* 429: seconds */
	const char *allow;                     /* 405: the path's methods */
	int queued;

	/* For the log line. */
	char method[8];
	char path[1024];                       /* raw, without the query */
	int path_too_long;
	char remote[64];
	struct timespec started;
	unsigned long long body_bytes;
	const char *error_code;                /* the diagnostic id of an error answer */
};

/* A query parameter (URL-decoded by libmicrohttpd), or NULL. */
const char *sg_req_query(struct sg_request *req, const char *name);
/* A JSON writer into req->out; the answer's status. */
void sg_req_json(struct sg_request *req, struct sg_jw *w, unsigned status);
/* Finish the answer a handler wrote with sg_req_json (SG_ENOMEM if the
 * writer failed). */
int sg_req_json_done(struct sg_request *req, struct sg_jw *w, struct sg_error *err) SG_MUST_USE;
/* The JSON error answer for err (status from its diagnostic). */
void sg_req_error(struct sg_request *req, const struct sg_error *err);
/* An error answer with an explicit status and diagnostic. */
void sg_req_fail(struct sg_request *req, unsigned status, enum sg_diag diag, const char *message);
/* The status for a diagnostic: 400, 401, 403, 404, 409, 413, 429, 500, 503. */
unsigned sg_http_status_for(const struct sg_error *err);

/* The body of an SG_BODY_JSON request as flat string members: every member
 * must be a string (or true, for flags), known by the route, and given
 * once. keys: NULL-terminated; values[i] receives a pointer into storage
 * (freed with the request) or NULL when absent. */
int sg_req_body_fields(struct sg_request *req, const char *const *keys, const char **values,
		       struct sg_error *err) SG_MUST_USE;

/* ---- the server ---- */

struct sg_rate_limiter;
struct sg_app_pool;
struct sg_gate_cache;
struct sg_watchdog;

struct sg_server {
	struct sg_server_config cfg;
	int tls;
	struct sg_app_pool *pool;
	struct sg_rate_limiter *limiter;
	struct sg_gate_cache *gate_cache;
	struct sg_watchdog *watchdog;
	/* Writers queue here rather than on SQLite's busy timeout: a write
	 * waits as long as the writes before it take, not a fixed 10 s. */
	pthread_mutex_t write_lock;
	pthread_mutex_t log_lock;
	/* Requests being handled, for a graceful stop. */
	pthread_mutex_t inflight_lock;
	pthread_cond_t inflight_done;
	unsigned inflight;
	atomic_int stopping;
};

/* App pool: one sg_app (one store connection) per request being handled. */
int sg_app_pool_new(const struct sg_server_config *cfg, struct sg_app_pool **out, struct sg_error *err) SG_MUST_USE;
struct sg_app *sg_app_pool_take(struct sg_app_pool *pool);
void sg_app_pool_give(struct sg_app_pool *pool, struct sg_app *app);
void sg_app_pool_free(struct sg_app_pool *pool);

/* Rate limit per token: a bucket of `rate` requests per second holding
 * SG_HTTP_RATE_BURST_SECONDS of them. 0 allowed, else the seconds to wait. */
struct sg_rate_limiter *sg_rate_limiter_new(unsigned rate);
unsigned sg_rate_limiter_take(struct sg_rate_limiter *l, long long token_id, const struct timespec *now);
void sg_rate_limiter_free(struct sg_rate_limiter *l);

/* Gate answers, kept while the audit ledger's head is unchanged and for at
 * most SG_GATE_CACHE_SECONDS. */
struct sg_gate_cache *sg_gate_cache_new(void);
void sg_gate_cache_free(struct sg_gate_cache *c);
int sg_gate_cache_get(struct sg_gate_cache *c, const char *product, const char *release, long long seq,
		      const struct timespec *now, struct sg_buf *out);
void sg_gate_cache_put(struct sg_gate_cache *c, const char *product, const char *release, long long seq,
		       const struct timespec *now, const char *body, size_t len);
/* Around computing a product's answer after a miss: one at a time per
 * product, the others look again once they hold it. */
void sg_gate_cache_compute_lock(struct sg_gate_cache *c, const char *product);
void sg_gate_cache_compute_unlock(struct sg_gate_cache *c, const char *product);

/* A log line: sg_log_begin() opens an object (holding the log's lock),
 * the caller adds members, sg_log_end() writes it as one line. */
void sg_log_begin(struct sg_server *server, struct sg_jw *w);
void sg_log_end(struct sg_server *server, struct sg_jw *w);
/* The request timeout for every phase of a request (watchdog.c). */
struct sg_watchdog *sg_watchdog_new(void);
void sg_watchdog_free(struct sg_watchdog *w);
/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback; cls is the server. */
void sg_watchdog_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode toe);
void sg_watchdog_request_begin(struct sg_server *server, struct MHD_Connection *conn);
void sg_watchdog_request_end(struct sg_server *server, struct MHD_Connection *conn);
/* Shut down the connections busy past the request timeout; how many. */
unsigned sg_watchdog_sweep(struct sg_server *server, const struct timespec *now);

/* One JSON line for a finished request. */
void sg_request_log(struct sg_server *server, const struct sg_request *req, int completed);

/* Authenticate and authorise: fills req->caller. On refusal the answer is
 * queued in req (401, 403, 404 or 429) and a code returned. */
int sg_req_authorize(struct sg_request *req, struct sg_error *err) SG_MUST_USE;

/* Uploads (upload.c). */
int sg_upload_begin(struct sg_request *req, struct sg_error *err) SG_MUST_USE;
int sg_upload_feed(struct sg_request *req, const char *data, size_t len, struct sg_error *err) SG_MUST_USE;
/* The body is complete: check it, then ingest it (under the write lock). */
int sg_upload_finish(struct sg_request *req, struct sg_error *err) SG_MUST_USE;
void sg_upload_free(struct sg_upload *u);

/* The handlers (handlers_*.c). */
int sg_h_healthz(struct sg_request *req, struct sg_error *err);
int sg_h_openapi(struct sg_request *req, struct sg_error *err);
int sg_h_ingest(struct sg_request *req, struct sg_error *err);
int sg_h_findings_list(struct sg_request *req, struct sg_error *err);
int sg_h_finding_show(struct sg_request *req, struct sg_error *err);
int sg_h_finding_triage(struct sg_request *req, struct sg_error *err);
int sg_h_release_create(struct sg_request *req, struct sg_error *err);
int sg_h_gate(struct sg_request *req, struct sg_error *err);
int sg_h_sla(struct sg_request *req, struct sg_error *err);
int sg_h_exceptions_list(struct sg_request *req, struct sg_error *err);
int sg_h_exception_request(struct sg_request *req, struct sg_error *err);
int sg_h_exception_show(struct sg_request *req, struct sg_error *err);
int sg_h_exception_payload(struct sg_request *req, struct sg_error *err);
int sg_h_exception_approve(struct sg_request *req, struct sg_error *err);
int sg_h_exception_revoke(struct sg_request *req, struct sg_error *err);
int sg_h_audit_log(struct sg_request *req, struct sg_error *err);
int sg_h_audit_verify(struct sg_request *req, struct sg_error *err);

/* A product the caller may not see, or that does not exist: the same 404. */
int sg_req_product(struct sg_request *req, const char *product, struct sg_error *err) SG_MUST_USE;
/* For a route naming an object by id: its product (NULL: every product)
 * must be one the caller sees (else 404 "no such WHAT"), then the route's
 * least role applies (403). */
int sg_req_object_product(struct sg_request *req, const char *product, const char *what,
			  struct sg_error *err) SG_MUST_USE;

/* The embedded OpenAPI document (generated from docs/openapi.json). */
extern const char sg_openapi_json[];
extern const size_t sg_openapi_json_len;

#endif
