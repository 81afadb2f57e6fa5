/*
 * The request timeout, for every phase of a request. libmicrohttpd's own
 * timeout is an idle one: a client sending its headers, or reading its
 * answer, one byte every 29 seconds would hold a connection (and its thread)
 * for days. Each connection is registered when accepted; from the start of
 * a request (or the accept) to its end it is "busy", and the main thread,
 * once a second, shuts down the socket of any connection busy for longer
 * than the request timeout. libmicrohttpd's thread then sees the socket
 * fail and closes the connection as usual.
 *
 * shutdown(), not close(): the descriptor stays libmicrohttpd's. Before it,
 * the peer's address is compared with the one recorded at accept, so that a
 * descriptor number already reused by a newer connection is left alone.
 */
#include <microhttpd.h>
#include <string.h>
#include <sys/socket.h>

#include "server/request.h"
#include "util/alloc.h"

struct sg_conn_watch {
	struct sg_conn_watch *prev, *next;
	int fd;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct timespec since; /* accepted, or the current request's start */
	int busy;
	int cut;               /* shut down already */
};

struct sg_watchdog {
	pthread_mutex_t lock;
	struct sg_conn_watch head; /* a ring: head.next is the first */
};

struct sg_watchdog *sg_watchdog_new(void)
{
	struct sg_watchdog *w = sg_calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	w->head.next = w->head.prev = &w->head;
	return w;
}

void sg_watchdog_free(struct sg_watchdog *w)
{
	struct sg_conn_watch *c, *next;

	if (!w)
		return;
	for (c = w->head.next; c != &w->head; c = next) {
		next = c->next;
		sg_free(c);
	}
	pthread_mutex_destroy(&w->lock);
	sg_free(w);
}

void sg_watchdog_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode toe)
{
	struct sg_watchdog *w = ((struct sg_server *)cls)->watchdog;
	struct sg_conn_watch *c = *socket_context;
	const union MHD_ConnectionInfo *info;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		c = sg_calloc(1, sizeof(*c));
		if (!c || !info) {
			sg_free(c); /* unwatched: only the idle timeout applies to it */
			return;
		}
		c->fd = info->connect_fd;
		c->peer_len = sizeof(c->peer);
		if (getpeername(c->fd, (struct sockaddr *)&c->peer, &c->peer_len) != 0)
			c->peer_len = 0;
		clock_gettime(CLOCK_MONOTONIC, &c->since);
		c->busy = 1; /* its first request's headers are on their way */
		pthread_mutex_lock(&w->lock);
		c->next = &w->head;
		c->prev = w->head.prev;
		w->head.prev->next = c;
		w->head.prev = c;
		pthread_mutex_unlock(&w->lock);
		*socket_context = c;
		return;
	}
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		pthread_mutex_lock(&w->lock);
		c->prev->next = c->next;
		c->next->prev = c->prev;
		pthread_mutex_unlock(&w->lock);
		sg_free(c);
		*socket_context = NULL;
	}
}

static void mark(struct sg_server *server, struct MHD_Connection *conn, int busy)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct sg_conn_watch *c = info ? info->socket_context : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&server->watchdog->lock);
	c->busy = busy;
	if (busy)
		clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_unlock(&server->watchdog->lock);
}

void sg_watchdog_request_begin(struct sg_server *server, struct MHD_Connection *conn)
{
	mark(server, conn, 1);
}

void sg_watchdog_request_end(struct sg_server *server, struct MHD_Connection *conn)
{
	mark(server, conn, 0);
}

static int same_peer(const struct sg_conn_watch *c)
{
	struct sockaddr_storage now;
	socklen_t len = sizeof(now);

	if (c->peer_len == 0 || getpeername(c->fd, (struct sockaddr *)&now, &len) != 0)
		return 0;
	return len == c->peer_len && memcmp(&now, &c->peer, len) == 0;
}

unsigned sg_watchdog_sweep(struct sg_server *server, const struct timespec *now)
{
	struct sg_watchdog *w = server->watchdog;
	struct sg_conn_watch *c;
	unsigned cut = 0;

	pthread_mutex_lock(&w->lock);
	for (c = w->head.next; c != &w->head; c = c->next) {
		double busy_for = (double)(now->tv_sec - c->since.tv_sec) +
				  (double)(now->tv_nsec - c->since.tv_nsec) / 1e9;
		if (!c->busy || c->cut || busy_for <= (double)server->cfg.request_timeout)
			continue;
		c->cut = 1;
		if (same_peer(c) && shutdown(c->fd, SHUT_RDWR) == 0)
			cut++;
	}
	pthread_mutex_unlock(&w->lock);
	return cut;
}
