/*
 * `shipgate serve`: the HTTP API (docs/api.md) on libmicrohttpd.
 *
 * Each connection is served by its own thread (libmicrohttpd's
 * thread-per-connection mode), so a handler may block: on the store's write
 * lock, or for as long as an ingest takes, without stalling other clients.
 * --threads caps how many connections are served at once.
 */
#ifndef SG_SERVER_SERVER_H
#define SG_SERVER_SERVER_H

#include <stdio.h>

#include "app/jobs.h"
#include "util/error.h"

struct sg_server_config {
	const char *listen;         /* "ADDR:PORT" or "[ADDR]:PORT"; default 127.0.0.1:8080 */
	const char *tls_cert;       /* PEM files; both or neither */
	const char *tls_key;
	int behind_tls_proxy;       /* a non-loopback address without TLS is allowed */
	unsigned threads;           /* connections served at once */
	unsigned per_address;       /* connections from one client address */
	unsigned long long max_body; /* bytes of one upload */
	unsigned rate_limit;        /* requests per second per token; 0: no limit */
	unsigned idle_timeout;      /* seconds without a byte from the client */
	unsigned request_timeout;   /* seconds for one request, its upload included */
	const char *db_url;
	const char *policy_path;    /* NULL: ./shipgate.yml when present, else built-in */
	FILE *log;                  /* one JSON line per request */
	const char *port_file;      /* when set: the bound port is written there once listening */
	struct sg_jobs_config jobs; /* background jobs (docs/jobs.md); none when zeroed */
};

void sg_server_config_defaults(struct sg_server_config *cfg);

/* Parse "ADDR:PORT" (IPv4 or a bracketed IPv6 address; the port may be 0
 * for any free port). *loopback says whether it is 127.0.0.0/8 or ::1. */
struct sockaddr_storage;
int sg_server_parse_listen(const char *text, struct sockaddr_storage *addr, unsigned *addr_len, int *loopback,
			   struct sg_error *err) SG_MUST_USE;

/*
 * Serve until SIGTERM or SIGINT: then stop accepting, let requests in
 * flight finish (at most SG_HTTP_STOP_GRACE_S seconds) and return 0.
 * Errors before serving (a bad address, a port in use, unreadable TLS
 * files, a store that cannot be opened) return a code with err filled.
 */
int sg_server_run(const struct sg_server_config *cfg, struct sg_error *err) SG_MUST_USE;

#endif
