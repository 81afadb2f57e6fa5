/* `--listen ADDR:PORT`, and whether ADDR is this machine's loopback. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "server/server.h"
#include "util/limits.h"

void sg_server_config_defaults(struct sg_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	cfg->threads = SG_HTTP_MAX_CONNECTIONS;
	cfg->per_address = SG_HTTP_MAX_PER_ADDRESS;
	cfg->max_body = SG_HTTP_MAX_BODY_BYTES;
	cfg->rate_limit = SG_HTTP_RATE_PER_TOKEN;
	cfg->idle_timeout = SG_HTTP_IDLE_TIMEOUT_S;
	cfg->request_timeout = SG_HTTP_REQUEST_TIMEOUT_S;
	cfg->log = stderr;
}

static int parse_port(const char *text, unsigned *port)
{
	char *end;
	unsigned long v;

	if (!*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 5)
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

int sg_server_parse_listen(const char *text, struct sockaddr_storage *addr, unsigned *addr_len, int *loopback,
			   struct sg_error *err)
{
	char host[64];
	const char *colon, *port_text;
	unsigned port;
	size_t host_len;

	memset(addr, 0, sizeof(*addr));
	if (!text || !*text)
		return sg_error_set(err, SG_DIAG_USAGE, "--listen needs ADDR:PORT");
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": an IPv6 address is written [ADDR]:PORT",
					    text);
		host_len = (size_t)(close - text - 1);
		if (host_len >= sizeof(host))
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": the address is too long", text);
		memcpy(host, text + 1, host_len);
		host[host_len] = '\0';
		port_text = close + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": give ADDR:PORT, e.g. 127.0.0.1:8080",
					    text);
		host_len = (size_t)(colon - text);
		if (host_len >= sizeof(host))
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": the address is too long", text);
		memcpy(host, text, host_len);
		host[host_len] = '\0';
		port_text = colon + 1;
		/* "::1:8080" could be an address with no port: say which. */
		if (strchr(host, ':'))
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": an IPv6 address is written [ADDR]:PORT",
					    text);
	}
	if (parse_port(port_text, &port) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": the port must be 0 to 65535", text);
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--listen \"%.80s\": not an IPv6 address", text);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((unsigned short)port);
		*addr_len = sizeof(*a);
		*loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)addr;
		/* Host names are not resolved: which address is bound must not
		 * depend on DNS. */
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return sg_error_set(err, SG_DIAG_BAD_VALUE,
					    "--listen \"%.80s\": not an IPv4 address (host names are not resolved)", text);
		a->sin_family = AF_INET;
		a->sin_port = htons((unsigned short)port);
		*addr_len = sizeof(*a);
		*loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	return 0;
}
