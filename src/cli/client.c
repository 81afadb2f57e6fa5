/* One request to a shipgate server over libcurl (client.h). */
#include "cli/client.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/json_reader.h"

/* ---- opening: the URL and the token ---- */

static int check_url(const char *server, struct sg_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *password = NULL, *query = NULL, *fragment = NULL;
	int rc = 0;

	if (!u)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	/* curl's own parser, so that what is checked is what curl connects to. */
	if (curl_url_set(u, CURLUPART_URL, server, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		rc = sg_error_set(err, SG_DIAG_USAGE, "--server \"%.200s\" is not an http:// or https:// URL", server);
		goto out;
	}
	/* A password in the URL would be printed with every message that
	 * names the server: the token is the one credential. */
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
		rc = sg_error_set(err, SG_DIAG_USAGE,
				  "--server must not hold a user or password: give the token in $SHIPGATE_TOKEN");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK)
		rc = sg_error_set(err, SG_DIAG_USAGE, "--server \"%.200s\" must not have a query or fragment", server);
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(password);
	curl_free(query);
	curl_free(fragment);
	curl_url_cleanup(u);
	return rc;
}

/* The token goes into a header line: a control character or a space would
 * end it or start another. The message never quotes it. */
static int check_token(const char *token, struct sg_error *err)
{
	size_t i, len = strlen(token);

	if (len == 0 || len > SG_CLIENT_MAX_TOKEN_BYTES)
		return sg_error_set(err, SG_DIAG_USAGE, "the token (--token or $SHIPGATE_TOKEN) must be 1 to %d bytes",
				    SG_CLIENT_MAX_TOKEN_BYTES);
	for (i = 0; i < len; i++)
		if ((unsigned char)token[i] <= 0x20 || (unsigned char)token[i] >= 0x7f)
			return sg_error_set(err, SG_DIAG_USAGE,
					    "the token (--token or $SHIPGATE_TOKEN) must be printable ASCII "
					    "without spaces");
	return 0;
}

int sg_client_open(struct sg_client *c, const char *server, const char *token, const char *cacert,
		   struct sg_error *err)
{
	size_t len;
	int rc;

	memset(c, 0, sizeof(*c));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "cannot initialise libcurl");
	if ((rc = check_url(server, err)) || (rc = check_token(token, err)))
		goto out;
	if (cacert && !cacert[0]) {
		rc = sg_error_set(err, SG_DIAG_USAGE, "--cacert needs a file name");
		goto out;
	}
	len = strlen(server);
	while (len > 0 && server[len - 1] == '/')
		len--;
	c->base = sg_strndup(server, len);
	c->auth = sg_malloc(sizeof("Authorization: Bearer ") + strlen(token));
	if (!c->base || !c->auth) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	snprintf(c->auth, sizeof("Authorization: Bearer ") + strlen(token), "Authorization: Bearer %s", token);
	c->cacert = cacert;
out:
	if (rc)
		sg_client_close(c);
	return rc;
}

void sg_client_close(struct sg_client *c)
{
	if (c->auth)
		sodium_memzero(c->auth, strlen(c->auth));
	sg_free(c->auth);
	sg_free(c->base);
	memset(c, 0, sizeof(*c));
	curl_global_cleanup();
}

/* ---- pure helpers ---- */

/* curl_easy_escape leaves only ALPHA DIGIT - . _ ~ as they are (RFC 3986
 * unreserved), so a "/", "?", "&", "#", "%" or space in a value cannot
 * change the request's shape. Since curl 7.82 it needs no handle. */
static int add_escaped(struct sg_buf *b, const char *text)
{
	char *esc;

	if (strlen(text) > (size_t)SG_CLIENT_MAX_URL_BYTES)
		return SG_EINPUT;
	esc = curl_easy_escape(NULL, text, (int)strlen(text));
	if (!esc)
		return SG_ENOMEM;
	sg_buf_adds(b, esc);
	curl_free(esc);
	return sg_buf_error(b);
}

int sg_client_path(struct sg_buf *path, const char *segment)
{
	sg_buf_addc(path, '/');
	/* "." and ".." are unreserved, yet as a whole segment they would
	 * move up the path (RFC 3986 section 5.2.4): encoded, they stay a name. */
	if (strcmp(segment, ".") == 0 || strcmp(segment, "..") == 0) {
		sg_buf_adds(path, segment[1] ? "%2E%2E" : "%2E");
		return sg_buf_error(path);
	}
	return add_escaped(path, segment);
}

int sg_client_url(const char *base, const char *path, const struct sg_client_param *query, size_t n_query,
		  struct sg_buf *out, struct sg_error *err)
{
	size_t i;
	int first = 1, rc = 0;

	sg_buf_adds(out, base);
	sg_buf_adds(out, path);
	for (i = 0; i < n_query && !rc; i++) {
		if (!query[i].value)
			continue;
		sg_buf_addc(out, first ? '?' : '&');
		first = 0;
		if ((rc = add_escaped(out, query[i].name)) == 0) {
			sg_buf_addc(out, '=');
			rc = add_escaped(out, query[i].value);
		}
	}
	if (rc == SG_ENOMEM || sg_buf_error(out) == SG_ENOMEM)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (rc || sg_buf_error(out))
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the request's URL is longer than %d bytes",
				    SG_CLIENT_MAX_URL_BYTES);
	return 0;
}

int sg_client_status_code(long status)
{
	if (status >= 200 && status <= 299)
		return SG_OK;
	switch (status) {
	case 400: /* a bad parameter or document */
	case 413: /* a body over the server's limit */
		return SG_EINPUT;
	case 401: /* the token: absent, unknown, revoked or expired */
	case 429: /* too many requests: come back later */
		return SG_EUSAGE;
	case 404:
		return SG_ENOTFOUND;
	case 409:
		return SG_ECONFLICT;
	case 403: /* the role or the policy refuses: "not met", as locally */
		return SG_EPOLICY;
	case 503:
		return SG_ESTORE;
	default:
		break;
	}
	if (status >= 500 && status <= 599)
		return SG_EINTERNAL;
	/* A redirect (not followed) or another client error: the request or
	 * the --server URL needs changing. */
	if (status >= 300 && status <= 499)
		return SG_EUSAGE;
	return SG_EINTERNAL;
}

struct error_answer {
	char code[64];
	char message[sizeof(((struct sg_error *)0)->message)];
	int has_code, has_message;
};

static int on_error_member(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const code_path[] = {"error", "code", NULL};
	static const char *const message_path[] = {"error", "message", NULL};
	struct error_answer *a = ctx;

	if (ev->type != SG_JSON_STRING)
		return 0;
	if (sg_json_match(r, code_path)) {
		snprintf(a->code, sizeof(a->code), "%s", ev->text);
		a->has_code = 1;
	} else if (sg_json_match(r, message_path)) {
		snprintf(a->message, sizeof(a->message), "%s", ev->text);
		a->has_message = 1;
	}
	return 0;
}

static enum sg_diag diag_by_id(const char *id)
{
	int d;

	for (d = SG_DIAG_NONE + 1; d < SG_DIAG_COUNT; d++)
		if (strcmp(sg_diag_id((enum sg_diag)d), id) == 0)
			return (enum sg_diag)d;
	return SG_DIAG_NONE;
}

/* The diagnostic for a status, when the answer does not name a known one. */
static enum sg_diag diag_by_status(long status)
{
	switch (status) {
	case 401:
		return SG_DIAG_UNAUTHENTICATED;
	case 403:
		return SG_DIAG_NOT_PERMITTED;
	case 404:
		return SG_DIAG_NOT_FOUND;
	case 409:
		return SG_DIAG_CONFLICT;
	case 413:
		return SG_DIAG_LIMIT_EXCEEDED;
	case 429:
		return SG_DIAG_RATE_LIMITED;
	case 503:
		return SG_DIAG_UNAVAILABLE;
	default:
		break;
	}
	if (status >= 400 && status <= 499)
		return SG_DIAG_BAD_VALUE;
	return SG_DIAG_INTERNAL;
}

/* The server's message may end in its code, as an error line does
 * ("... [bad-value]"); printed with ours it would say it twice. */
static void drop_code_suffix(char *message, const char *code)
{
	size_t len = strlen(message), n = strlen(code);

	if (n > 0 && len >= n + 3 && message[len - 1] == ']' && message[len - n - 2] == '[' &&
	    message[len - n - 3] == ' ' && memcmp(message + len - n - 1, code, n) == 0)
		message[len - n - 3] = '\0';
}

int sg_client_error_from_answer(long status, const char *body, size_t len, const char *url,
				struct sg_error *err)
{
	struct sg_json_mem m = {body ? body : "", body ? len : 0, 0};
	struct sg_json_source src = {sg_json_mem_read, &m};
	struct error_answer a;
	struct sg_error ignored;
	enum sg_diag diag = SG_DIAG_NONE;
	const char *refused = status == 401 ? "the server refused the token: " : "";

	memset(&a, 0, sizeof(a));
	sg_error_clear(&ignored);
	/* An answer that is not the error JSON (a proxy's HTML page) is no
	 * error of ours: what it held is simply not used. */
	if (sg_json_parse(&src, "the answer", on_error_member, &a, &ignored) != 0)
		a.has_code = a.has_message = 0;
	if (a.has_code)
		diag = diag_by_id(a.code);
	if (diag == SG_DIAG_NONE)
		diag = diag_by_status(status);
	sg_error_clear(err);
	if (a.has_message && a.message[0]) {
		if (a.has_code)
			drop_code_suffix(a.message, a.code);
		if (a.has_code && strcmp(sg_diag_id(diag), a.code) != 0)
			sg_error_set(err, diag, "%s%s (the server's code \"%.60s\")", refused, a.message, a.code);
		else
			sg_error_set(err, diag, "%s%s", refused, a.message);
	} else if (status >= 300 && status <= 399) {
		sg_error_set(err, diag, "the server at \"%.300s\" answered with a redirect (HTTP %ld), which is not "
			     "followed: give --server the address it names", url, status);
	} else {
		sg_error_set(err, diag, "%sthe server at \"%.300s\" answered HTTP %ld without an error message", refused,
			     url, status);
	}
	err->code = sg_client_status_code(status);
	return err->code;
}

/* ---- the request ---- */

void sg_client_response_init(struct sg_client_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	sg_buf_init(&resp->body, SG_CLIENT_MAX_RESPONSE_BYTES);
	resp->retry_after = -1;
}

void sg_client_response_release(struct sg_client_response *resp)
{
	sg_buf_release(&resp->body);
}

struct sink {
	struct sg_buf *body;
	size_t max;
	int too_big;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct sink *s = ctx;
	size_t n = size * nmemb; /* curl: size is always 1 */

	if (n > s->max - s->body->len) {
		s->too_big = 1;
		return 0; /* curl stops: CURLE_WRITE_ERROR */
	}
	if (sg_buf_add(s->body, data, n) != 0)
		return 0;
	return n;
}

struct upload {
	int fd;
	int owned; /* fd is ours to close (not standard input) */
	int read_errno;
};

static size_t on_upload(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct upload *u = ctx;
	ssize_t n;

	do
		n = read(u->fd, buf, size * nitems);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		u->read_errno = errno;
		return CURL_READFUNC_ABORT;
	}
	return (size_t)n;
}

/* Open the body's file; *size is -1 for a pipe or standard input ("-"),
 * which curl then sends in chunks. */
static int open_body(const char *path, struct upload *u, curl_off_t *size, struct sg_error *err)
{
	struct stat st;

	*size = -1;
	if (strcmp(path, "-") == 0) {
		u->fd = STDIN_FILENO;
		return 0;
	}
	u->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	u->owned = u->fd >= 0;
	if (u->fd < 0 || fstat(u->fd, &st) != 0) {
		sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		sg_error_where(err, path);
		return err->code;
	}
	if (S_ISDIR(st.st_mode)) {
		sg_error_set(err, SG_DIAG_FILE_OPEN, "is a directory");
		sg_error_where(err, path);
		return err->code;
	}
	if (S_ISREG(st.st_mode))
		*size = (curl_off_t)st.st_size;
	return 0;
}

static int set_options(CURL *h, const struct sg_client *c, const char *url, struct curl_slist *headers,
		       char *errbuf, struct sink *sink, struct sg_error *err)
{
	CURLcode cc = CURLE_OK;

	/* Each setopt's result is kept: the first failure stops the rest. */
#define SET(opt, val)                                 \
	do {                                          \
		if (cc == CURLE_OK)                   \
			cc = curl_easy_setopt(h, opt, val); \
	} while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PATH_AS_IS, 1L); /* the path as built: no dot-segment squashing */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->cacert)
		SET(CURLOPT_CAINFO, c->cacert);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_USERAGENT, "shipgate");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, (long)SG_CLIENT_CONNECT_TIMEOUT_S);
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, (long)SG_CLIENT_LOW_SPEED_TIME_S);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)sink->max);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, sink);
	SET(CURLOPT_ERRORBUFFER, errbuf);
#undef SET
	if (cc != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "libcurl refused an option: %s", curl_easy_strerror(cc));
	return 0;
}

static int set_body(CURL *h, const struct sg_client_request *req, struct upload *u, struct sg_error *err)
{
	curl_off_t size;
	CURLcode cc;
	int rc;

	if (strcmp(req->method, "POST") != 0) {
		cc = curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (!req->body_file) {
		if ((cc = curl_easy_setopt(h, CURLOPT_POST, 1L)) == CURLE_OK &&
		    (cc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len)) == CURLE_OK)
			cc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	} else {
		/* Streamed: a SARIF log of a gigabyte never sits in memory. */
		if ((rc = open_body(req->body_file, u, &size, err)))
			return rc;
		if ((cc = curl_easy_setopt(h, CURLOPT_POST, 1L)) == CURLE_OK &&
		    (cc = curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload)) == CURLE_OK &&
		    (cc = curl_easy_setopt(h, CURLOPT_READDATA, u)) == CURLE_OK)
			cc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, size);
	}
	if (cc != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "libcurl refused an option: %s", curl_easy_strerror(cc));
	return 0;
}

/* The first header holds the token: wiped before its memory is freed. */
static void free_headers(struct curl_slist *headers)
{
	struct curl_slist *l;

	for (l = headers; l; l = l->next)
		sodium_memzero(l->data, strlen(l->data));
	curl_slist_free_all(headers);
}

/* The message for a request that got no answer. */
static int transfer_failed(CURLcode cc, int connected, const char *errbuf, const struct sg_client *c,
			   const struct sg_client_request *req, const struct upload *u, const struct sink *sink,
			   struct sg_error *err)
{
	if (sink->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED,
				    "the answer from \"%.300s\" is larger than %zu bytes, this client's limit", c->base,
				    sink->max);
	if (cc == CURLE_WRITE_ERROR)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory reading the answer");
	if (u->read_errno) {
		sg_error_set(err, SG_DIAG_FILE_READ, "cannot read: %s", strerror(u->read_errno));
		sg_error_where(err, req->body_file);
		return err->code;
	}
	/* unavailable: exit 3, whatever kept the answer away. */
	if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE)
		return sg_error_set(err, SG_DIAG_UNAVAILABLE,
				    "cannot verify the TLS certificate of \"%.300s\": %.200s (--cacert names a CA to trust)",
				    c->base, errbuf[0] ? errbuf : curl_easy_strerror(cc));
	if (cc == CURLE_OPERATION_TIMEDOUT && connected)
		return sg_error_set(err, SG_DIAG_UNAVAILABLE, "the server at \"%.300s\" stopped answering: %.200s",
				    c->base, errbuf);
	return sg_error_set(err, SG_DIAG_UNAVAILABLE, "cannot reach the server at \"%.300s\": %.200s", c->base,
			    errbuf[0] ? errbuf : curl_easy_strerror(cc));
}

static void read_answer_headers(CURL *h, struct sg_client_response *resp)
{
	struct curl_header *hd = NULL;
	char *type = NULL;

	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
		snprintf(resp->content_type, sizeof(resp->content_type), "%s", type);
	if (resp->status == 429 && curl_easy_header(h, "Retry-After", 0, CURLH_HEADER, -1, &hd) == CURLHE_OK) {
		char *end;
		long v;
		errno = 0;
		v = strtol(hd->value, &end, 10);
		if (!errno && end != hd->value && *end == '\0' && v >= 0)
			resp->retry_after = v;
	}
}

/* curl_slist_append, freeing the list when it fails. */
static struct curl_slist *append_header(struct curl_slist *list, const char *line)
{
	struct curl_slist *more = curl_slist_append(list, line);

	if (!more)
		free_headers(list);
	return more;
}

int sg_client_call(const struct sg_client *c, const struct sg_client_request *req,
		   struct sg_client_response *resp, struct sg_error *err)
{
	CURL *h = NULL;
	struct curl_slist *headers = NULL;
	struct sg_buf url, ctype;
	struct upload u = {-1, 0, 0};
	struct sink sink;
	char errbuf[CURL_ERROR_SIZE];
	CURLcode cc;
	int rc = 0;

	sg_buf_init(&url, SG_CLIENT_MAX_URL_BYTES);
	sg_buf_init(&ctype, 256);
	sg_buf_reset(&resp->body);
	resp->status = 0;
	resp->content_type[0] = '\0';
	resp->retry_after = -1;
	errbuf[0] = '\0';
	sink.body = &resp->body;
	sink.max = req->max_response && req->max_response < SG_CLIENT_MAX_RESPONSE_BYTES ? req->max_response
											  : SG_CLIENT_MAX_RESPONSE_BYTES;
	sink.too_big = 0;
	if ((rc = sg_client_url(c->base, req->path, req->query, req->n_query, &url, err)))
		goto out;
	if (req->content_type)
		sg_buf_printf(&ctype, "Content-Type: %s", req->content_type);
	if (sg_buf_error(&ctype)) {
		rc = sg_error_set(err, SG_DIAG_INTERNAL, "a content type is too long");
		goto out;
	}
	headers = curl_slist_append(NULL, c->auth);
	if (headers)
		headers = append_header(headers, "Accept: application/json, text/plain");
	if (headers && req->content_type)
		headers = append_header(headers, ctype.data);
	h = curl_easy_init();
	if (!h || !headers) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((rc = set_options(h, c, url.data, headers, errbuf, &sink, err)) || (rc = set_body(h, req, &u, err)))
		goto out;
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		curl_off_t connect_us = 0;
		/* A stall after connecting is not an unreachable server. */
		if (curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us) != CURLE_OK)
			connect_us = 0;
		rc = transfer_failed(cc, connect_us > 0, errbuf, c, req, &u, &sink, err);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	read_answer_headers(h, resp);
	if (sg_client_status_code(resp->status) == SG_OK)
		goto out;
	rc = sg_client_error_from_answer(resp->status, resp->body.data, resp->body.len, c->base, err);
	if (resp->status == 429 && resp->retry_after >= 0) {
		size_t len = strlen(err->message);
		snprintf(err->message + len, sizeof(err->message) - len, " (retry after %ld s)", resp->retry_after);
	}
out:
	if (u.owned)
		close(u.fd);
	free_headers(headers);
	if (h)
		curl_easy_cleanup(h);
	sg_buf_release(&url);
	sg_buf_release(&ctype);
	return rc;
}
