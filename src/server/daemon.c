/*
 * libmicrohttpd glue: one request's life (route, authorise, take the body,
 * answer, log), and the server's (start, serve until SIGTERM, stop
 * gracefully).
 *
 * libmicrohttpd calls the access handler at least twice per request: once
 * when the headers are in (nothing of the body read yet: that is where a
 * request is routed, authenticated and refused if it must be, so a refused
 * client never gets to send a body), then once per piece of body, then a
 * last time with no data, when the answer is made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/request.h"
#include "server/scheduler.h"
#include "util/alloc.h"
#include "util/limits.h"

/* Security headers on every answer (docs/api.md). The API serves JSON
 * only: no content may be framed, run scripts or be sniffed as HTML. */
static const char *const security_headers[][2] = {
	{"X-Content-Type-Options", "nosniff"},
	{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "no-referrer"},
	{"Cache-Control", "no-store"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum MHD_Result queue_answer(struct sg_request *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;
	char retry[24], *body;
	size_t i, len;

	/* The answer's bytes are handed over, not copied: libmicrohttpd frees
	 * them when the answer is sent. */
	len = req->out.len;
	body = sg_buf_detach(&req->out, NULL);
	if (!body)
		return MHD_NO;
	resp = MHD_create_response_from_buffer_with_free_callback(len, body, sg_free);
	if (!resp) {
		sg_free(body);
		return MHD_NO;
	}
	req->out_len = len;
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		(void)MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (req->server->tls)
		(void)MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				      req->content_type ? req->content_type : "application/json");
	if (req->status == MHD_HTTP_TOO_MANY_REQUESTS) {
		snprintf(retry, sizeof(retry), "%u", req->retry_after ? req->retry_after : 1);
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	if (req->status == MHD_HTTP_UNAUTHORIZED)
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"shipgate\"");
	if (req->status == MHD_HTTP_METHOD_NOT_ALLOWED && req->allow)
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, req->allow);
	ok = MHD_queue_response(req->conn, req->status, resp);
	MHD_destroy_response(resp);
	req->queued = 1;
	return ok;
}

/* ---- request life ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct sg_server *server = cls;
	const union MHD_ConnectionInfo *ci;
	struct sg_request *req = sg_calloc(1, sizeof(*req));
	size_t path_len;

	if (!req)
		return NULL;
	req->server = server;
	req->conn = conn;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	sg_buf_init(&req->out, 64ULL << 20);
	sg_buf_init(&req->body, SG_HTTP_MAX_JSON_BODY_BYTES);
	/* The raw path, before libmicrohttpd decodes it: a product name with
	 * an encoded "/" must not turn into two path segments. */
	path_len = strcspn(uri, "?");
	if (path_len >= sizeof(req->path)) {
		/* Never routed on a prefix: refused as too long. */
		req->path_too_long = 1;
		path_len = sizeof(req->path) - 1;
	}
	memcpy(req->path, uri, path_len);
	req->path[path_len] = '\0';
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->remote,
				  sizeof(req->remote));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, req->remote,
				  sizeof(req->remote));
	}
	sg_watchdog_request_begin(server, conn);
	pthread_mutex_lock(&server->inflight_lock);
	server->inflight++;
	pthread_mutex_unlock(&server->inflight_lock);
	return req;
}

static void request_free(struct sg_request *req)
{
	size_t i;

	if (req->upload)
		sg_upload_free(req->upload);
	if (req->app)
		sg_app_pool_give(req->server->pool, req->app);
	for (i = 0; i < SG_REQ_MAX_FIELDS; i++)
		sg_free(req->body_fields[i]);
	sg_buf_release(&req->out);
	sg_buf_release(&req->body);
	sg_free(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct sg_server *server = cls;
	struct sg_request *req = *con_cls;

	if (!req)
		return;
	sg_request_log(server, req, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	sg_watchdog_request_end(server, conn);
	request_free(req);
	*con_cls = NULL;
	pthread_mutex_lock(&server->inflight_lock);
	server->inflight--;
	if (server->inflight == 0)
		pthread_cond_broadcast(&server->inflight_done);
	pthread_mutex_unlock(&server->inflight_lock);
}

/* Content-Length, if the client sent one: -1 when absent or unreadable. */
static long long content_length(struct sg_request *req)
{
	const char *v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long n;

	if (!v)
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || n > (unsigned long long)INT64_MAX)
		return -1;
	return (long long)n;
}

/* Any Content-Length but "0" (an unreadable one too), or any
 * Transfer-Encoding: libmicrohttpd reads a body then. */
static int has_body(struct sg_request *req)
{
	const char *v = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (v && strcmp(v, "0") != 0) ||
	       MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *sum = cls;

	(void)kind;
	/* "Key: value\r\n", as the client sent it. */
	*sum += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static int chunked(struct sg_request *req)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* The headers' size, as sent. libmicrohttpd refuses headers that do not
 * fit in the connection's memory (twice this limit) with its own answer;
 * below that, this is the limit, answered in JSON. */
static size_t header_bytes(struct sg_request *req)
{
	size_t sum = strlen(req->path);

	(void)MHD_get_connection_values(req->conn, MHD_HEADER_KIND, add_header_size, &sum);
	return sum;
}

/* The first call: headers only. 0 to go on and read the body; else an
 * answer is queued. */
static int begin_request(struct sg_request *req, const char *method)
{
	struct sg_server *server = req->server;
	struct sg_error err;
	long long len;
	int rc;

	sg_error_clear(&err);
	snprintf(req->method, sizeof(req->method), "%s", method);
	if (req->path_too_long) {
		sg_req_fail(req, MHD_HTTP_URI_TOO_LONG, SG_DIAG_LIMIT_EXCEEDED, "the path is too long");
		return -1;
	}
	if (header_bytes(req) > SG_HTTP_MAX_HEADER_BYTES) {
		sg_req_fail(req, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, SG_DIAG_LIMIT_EXCEEDED,
			    "the request's headers are too large");
		return -1;
	}
	req->route = sg_route_match(method, req->path, req->params, &req->allow);
	if (!req->route) {
		if (req->allow)
			sg_req_fail(req, MHD_HTTP_METHOD_NOT_ALLOWED, SG_DIAG_USAGE, "this path does not take that method");
		else
			sg_req_fail(req, MHD_HTTP_NOT_FOUND, SG_DIAG_NOT_FOUND, "no such route");
		return -1;
	}
	if (server->stopping) {
		sg_req_fail(req, MHD_HTTP_SERVICE_UNAVAILABLE, SG_DIAG_UNAVAILABLE, "the server is stopping");
		return -1;
	}
	if (req->route->least != SG_ACCESS_PUBLIC && (rc = sg_req_authorize(req, &err)) != 0)
		return -1; /* sg_req_authorize queued the answer in req */
	len = content_length(req);
	switch (req->route->body) {
	case SG_BODY_NONE:
		if (has_body(req)) {
			sg_req_fail(req, MHD_HTTP_CONTENT_TOO_LARGE, SG_DIAG_LIMIT_EXCEEDED, "this route takes no body");
			return -1;
		}
		break;
	case SG_BODY_JSON:
		if (len > (long long)SG_HTTP_MAX_JSON_BODY_BYTES || (len < 0 && has_body(req) && !chunked(req))) {
			sg_req_fail(req, MHD_HTTP_CONTENT_TOO_LARGE, SG_DIAG_LIMIT_EXCEEDED, "the body is too large");
			return -1;
		}
		break;
	case SG_BODY_UPLOAD:
		/* An unreadable length (past 2^63, say) is over the limit too. */
		if ((len > 0 && (unsigned long long)len > server->cfg.max_body) ||
		    (len < 0 && has_body(req) && !chunked(req))) {
			char message[128];
			snprintf(message, sizeof(message), "the upload is larger than the server's limit of %llu bytes",
				 server->cfg.max_body);
			sg_req_fail(req, MHD_HTTP_CONTENT_TOO_LARGE, SG_DIAG_LIMIT_EXCEEDED, message);
			return -1;
		}
		if ((rc = sg_upload_begin(req, &err)) != 0) {
			sg_req_error(req, &err);
			return -1;
		}
		break;
	}
	return 0;
}

/* A piece of the body. 0 to go on; -1 to drop the connection (a body
 * over the limit without a Content-Length, or a request past its time). */
static int take_body(struct sg_request *req, const char *data, size_t size)
{
	struct sg_server *server = req->server;
	struct sg_error err;

	req->body_bytes += size;
	if (seconds_since(&req->started) > (double)server->cfg.request_timeout)
		return -1;
	/* Past its bound, a body is cut off, answered or not. */
	if (req->route->body == SG_BODY_UPLOAD ? req->body_bytes > server->cfg.max_body
					       : req->body_bytes > 2ULL * SG_HTTP_MAX_JSON_BODY_BYTES)
		return -1;
	if (req->error_code)
		return 0; /* answered already: the rest is read and dropped */
	sg_error_clear(&err);
	if (req->route->body == SG_BODY_JSON) {
		/* A chunked body past the limit: answered 413 at the end; what
		 * is still sent is read and dropped, up to twice the limit. */
		if (sg_buf_add(&req->body, data, size) != 0)
			sg_req_fail(req, MHD_HTTP_CONTENT_TOO_LARGE, SG_DIAG_LIMIT_EXCEEDED, "the body is too large");
		return 0;
	}
	if (req->route->body != SG_BODY_UPLOAD || !req->upload)
		return -1;
	if (sg_upload_feed(req, data, size, &err) != 0)
		sg_req_error(req, &err); /* said at the end, with where the document went wrong */
	return 0;
}

static void run_handler(struct sg_request *req)
{
	struct sg_server *server = req->server;
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	if (req->route->least != SG_ACCESS_PUBLIC && !req->app) {
		req->app = sg_app_pool_take(server->pool);
		if (!req->app) {
			sg_req_fail(req, MHD_HTTP_SERVICE_UNAVAILABLE, SG_DIAG_UNAVAILABLE, "the store cannot be opened now");
			return;
		}
	}
	/* Every write is recorded as the token's user's. */
	if (req->app)
		req->app->actor = req->caller.name;
	if (req->route->writes)
		pthread_mutex_lock(&server->write_lock);
	rc = req->route->fn(req, &err);
	if (req->route->writes)
		pthread_mutex_unlock(&server->write_lock);
	if (rc)
		sg_req_error(req, &err);
	if (req->app)
		req->app->actor = NULL;
	if (rc && sg_http_status_for(&err) >= 500) {
		/* The details the client is not told: the operator is. */
		char line[900];
		struct sg_jw w;
		sg_error_format(&err, line, sizeof(line));
		sg_log_begin(server, &w);
		sg_jw_kv_string(&w, "event", "error");
		sg_jw_kv_string(&w, "path", req->path);
		sg_jw_kv_string(&w, "detail", line);
		sg_log_end(server, &w);
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct sg_request *req = *con_cls;

	(void)cls;
	(void)url;
	(void)version;
	if (!req)
		return MHD_NO; /* out of memory in on_uri */
	if (!req->route && !req->queued) {
		if (begin_request(req, method) != 0)
			return queue_answer(req);
		return MHD_YES;
	}
	if (req->queued) {
		/* Answered before the body (a refusal): the body sent anyway is
		 * dropped, but not without end. */
		req->body_bytes += *upload_data_size;
		*upload_data_size = 0;
		return req->body_bytes > 2ULL * SG_HTTP_MAX_JSON_BODY_BYTES ? MHD_NO : MHD_YES;
	}
	if (*upload_data_size) {
		int rc = take_body(req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return rc == 0 ? MHD_YES : MHD_NO;
	}
	if (!req->error_code)
		run_handler(req);
	return queue_answer(req);
}

/* ---- the server's life ---- */

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	struct sg_server *server = cls;
	char text[512];
	struct sg_jw w;
	size_t n;

	/* Flawfinder: ignore (the format is libmicrohttpd's own literal) */
	vsnprintf(text, sizeof(text), fmt, ap);
	n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	sg_log_begin(server, &w);
	sg_jw_kv_string(&w, "event", "http");
	sg_jw_kv_string(&w, "detail", text);
	sg_log_end(server, &w);
}

/* A PEM file, whole, for libmicrohttpd (at most 1 MiB). */
static int read_pem(const char *path, const char *what, char **out, struct sg_error *err)
{
	struct sg_buf b;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	*out = NULL;
	if (fd < 0)
		return sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open the %s \"%s\": %s", what, path, strerror(errno));
	sg_buf_init(&b, 1U << 20);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		sg_buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n < 0 || sg_buf_error(&b)) {
		sg_buf_release(&b);
		return sg_error_set(err, SG_DIAG_FILE_READ, "cannot read the %s \"%s\"", what, path);
	}
	*out = sg_buf_detach(&b, NULL);
	return 0;
}

static int write_port_file(const char *path, unsigned port, struct sg_error *err)
{
	char tmp[4096], text[16];
	int fd, len;

	len = snprintf(text, sizeof(text), "%u\n", port);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return sg_error_set(err, SG_DIAG_USAGE, "the port file's name is too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the port file \"%s\"", path);
	if (write(fd, text, (size_t)len) != len) {
		close(fd);
		(void)unlink(tmp);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the port file \"%s\"", path);
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the port file \"%s\"", path);
	}
	return 0;
}

static unsigned bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (!info || getsockname(info->listen_fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void log_event(struct sg_server *server, const char *event, const char *listen, unsigned port)
{
	struct sg_jw w;

	sg_log_begin(server, &w);
	sg_jw_kv_string(&w, "event", event);
	if (listen) {
		sg_jw_kv_string(&w, "listen", listen);
		sg_jw_kv_int(&w, "port", port);
		sg_jw_key(&w, "tls");
		sg_jw_bool(&w, server->tls);
	}
	sg_log_end(server, &w);
}

/* Wait for SIGTERM or SIGINT, then for the requests in flight. */
static void serve_until_stopped(struct sg_server *server, struct MHD_Daemon *d, const sigset_t *stop_signals)
{
	struct timespec deadline;
	MHD_socket listen_fd;
	int sig = 0;

	/* Once a second, the watchdog: requests past their time are cut. */
	for (;;) {
		struct timespec tick = {1, 0}, now;
		unsigned cut;
		sig = sigtimedwait(stop_signals, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		cut = sg_watchdog_sweep(server, &now);
		if (cut) {
			struct sg_jw w;
			sg_log_begin(server, &w);
			sg_jw_kv_string(&w, "event", "request-timeout");
			sg_jw_kv_int(&w, "connections_cut", cut);
			sg_log_end(server, &w);
		}
	}
	log_event(server, "stopping", NULL, 0);
	server->stopping = 1;
	/* No new connections; those open finish what they are doing. */
	listen_fd = MHD_quiesce_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd); /* refused from now on, not left to hang */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SG_HTTP_STOP_GRACE_S;
	pthread_mutex_lock(&server->inflight_lock);
	while (server->inflight > 0)
		if (pthread_cond_timedwait(&server->inflight_done, &server->inflight_lock, &deadline) != 0)
			break;
	pthread_mutex_unlock(&server->inflight_lock);
}

static int start_daemon(struct sg_server *server, const struct sockaddr_storage *addr, int ipv6, char *cert,
			char *key, struct MHD_Daemon **out, struct sg_error *err)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
			 MHD_USE_ERROR_LOG | MHD_USE_ITC;
	const struct sg_server_config *cfg = &server->cfg;
	char priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
	/* Without TLS, only the array's end is passed. */
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, key},
		{MHD_OPTION_HTTPS_PRIORITIES, 0, priorities},
		{MHD_OPTION_END, 0, NULL},
	};
	struct MHD_Daemon *d;

	if (ipv6)
		flags |= MHD_USE_IPv6;
	if (cert)
		flags |= MHD_USE_TLS;
	/* Headers (and the first piece of body) must fit in the connection's
	 * memory: this is the header size limit before authentication. The
	 * logger comes first, as libmicrohttpd wants, so that even its
	 * complaints about the later options are JSON lines. */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, server,
			     MHD_OPTION_EXTERNAL_LOGGER, log_mhd, server,
			     MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, server,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
			     MHD_OPTION_NOTIFY_CONNECTION, sg_watchdog_notify, server,
			     MHD_OPTION_CONNECTION_LIMIT, cfg->threads,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_address,
			     MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(2 * SG_HTTP_MAX_HEADER_BYTES),
			     MHD_OPTION_STRICT_FOR_CLIENT, 1,
			     MHD_OPTION_ARRAY, cert ? tls : tls + 3,
			     MHD_OPTION_END);
	if (!d)
		return sg_error_set(err, SG_DIAG_USAGE, "cannot listen on %s (the address is in use or not this machine's?)",
				    cfg->listen);
	*out = d;
	return 0;
}

static int check_store(const struct sg_server_config *cfg, struct sg_error *err)
{
	struct sg_app app;
	struct sg_store *store;
	const struct sg_policy *policy;
	int rc;

	/* Fail at start, with the reason, rather than on the first request. */
	sg_app_init(&app, cfg->db_url, cfg->policy_path);
	rc = sg_app_store(&app, SG_STORE_OPEN_EXISTING, &store, err);
	if (!rc)
		rc = sg_app_policy(&app, &policy, err);
	sg_app_close(&app);
	return rc;
}

int sg_server_run(const struct sg_server_config *config, struct sg_error *err)
{
	struct sg_server *server = NULL;
	struct sg_scheduler *scheduler = NULL;
	struct sockaddr_storage addr;
	struct MHD_Daemon *d = NULL;
	sigset_t stop_signals, old;
	char *cert = NULL, *key = NULL;
	unsigned addr_len;
	int loopback, rc, masked = 0;

	if ((rc = sg_server_parse_listen(config->listen, &addr, &addr_len, &loopback, err)))
		return rc;
	if (!config->tls_cert != !config->tls_key)
		return sg_error_set(err, SG_DIAG_USAGE, "--tls-cert and --tls-key go together");
	if (!loopback && !config->tls_cert && !config->behind_tls_proxy)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "refusing to serve %s without TLS: tokens would cross the network in clear text; "
				    "give --tls-cert and --tls-key, or --behind-tls-proxy when a proxy in front terminates TLS",
				    config->listen);
	if (config->tls_cert && !MHD_is_feature_supported(MHD_FEATURE_TLS))
		return sg_error_set(err, SG_DIAG_USAGE, "this libmicrohttpd was built without TLS");
	if ((rc = check_store(config, err)))
		return rc;
	if (config->tls_cert &&
	    ((rc = read_pem(config->tls_cert, "TLS certificate", &cert, err)) ||
	     (rc = read_pem(config->tls_key, "TLS key", &key, err))))
		goto out;
	server = sg_calloc(1, sizeof(*server));
	if (!server) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	server->cfg = *config;
	server->tls = cert != NULL;
	/* Each log line is built in the stream's buffer and written with one
	 * write() when sg_log_end() flushes it; unbuffered (stderr), the JSON
	 * writer's tokens would be a write() each, under the log's lock. */
	(void)setvbuf(server->cfg.log, NULL, _IOFBF, 1U << 16);
	pthread_mutex_init(&server->write_lock, NULL);
	pthread_mutex_init(&server->log_lock, NULL);
	pthread_mutex_init(&server->inflight_lock, NULL);
	pthread_cond_init(&server->inflight_done, NULL);
	if ((rc = sg_app_pool_new(config, &server->pool, err)))
		goto out;
	server->limiter = sg_rate_limiter_new(config->rate_limit);
	server->gate_cache = sg_gate_cache_new();
	server->watchdog = sg_watchdog_new();
	if (!server->limiter || !server->gate_cache || !server->watchdog) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	/* The serving threads inherit this mask: the stop signals reach only
	 * sigwait() below, and a closed socket never kills the process. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &stop_signals, &old);
	masked = 1;
	sigdelset(&stop_signals, SIGPIPE);
	/* The jobs are registered before the server listens: a store that
	 * refuses them stops the start. */
	if ((rc = sg_scheduler_start(server, &scheduler, err)))
		goto out;
	if ((rc = start_daemon(server, &addr, addr.ss_family == AF_INET6, cert, key, &d, err)))
		goto out;
	log_event(server, "listening", config->listen, bound_port(d));
	if (config->port_file && (rc = write_port_file(config->port_file, bound_port(d), err)))
		goto out;
	serve_until_stopped(server, d, &stop_signals);
	/* A job in progress finishes before the server says it stopped. */
	sg_scheduler_stop(scheduler);
	scheduler = NULL;
	log_event(server, "stopped", NULL, 0);
	rc = 0;
out:
	sg_scheduler_stop(scheduler);
	if (d)
		MHD_stop_daemon(d);
	if (masked) {
		/* A second SIGTERM during the grace period is the same request to
		 * stop: taken here, it does not kill the process once unblocked. */
		struct timespec now = {0, 0};
		while (sigtimedwait(&stop_signals, NULL, &now) > 0)
			;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (key) {
		sodium_memzero(key, strlen(key));
		sg_free(key);
	}
	sg_free(cert);
	if (server) {
		sg_app_pool_free(server->pool);
		sg_rate_limiter_free(server->limiter);
		sg_gate_cache_free(server->gate_cache);
		sg_watchdog_free(server->watchdog);
		pthread_mutex_destroy(&server->write_lock);
		pthread_mutex_destroy(&server->log_lock);
		pthread_mutex_destroy(&server->inflight_lock);
		pthread_cond_destroy(&server->inflight_done);
		sg_free(server);
	}
	return rc;
}
