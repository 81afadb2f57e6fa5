#include "core/pathnorm.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/hash.h"

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
 * One letter followed by ':' is a drive letter, not a scheme. */
static size_t scheme_length(const char *s)
{
	size_t i = 0;

	if (!is_alpha(s[0]))
		return 0;
	while (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
	       s[i] == '.')
		i++;
	if (s[i] != ':' || i < 2)
		return 0;
	return i;
}

static int decode(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in; in++) {
		char c = *in;
		if (c == '%') {
			int hi = sg_hex_value(in[1]), lo = hi >= 0 ? sg_hex_value(in[2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			if (c == '\0')
				return -1;
			in += 2;
		}
		if (c == '\\')
			c = '/';
		if (o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Turn a decoded `file:` URI into a path, in place. */
static void file_uri_to_path(char *s)
{
	char *p = s + 5; /* after "file:" */
	size_t len;

	if (p[0] == '/' && p[1] == '/') {
		char *host = p + 2, *slash = strchr(host, '/');
		size_t host_len = slash ? (size_t)(slash - host) : strlen(host);
		if (host_len == 0 || (host_len == 9 && strncmp(host, "localhost", 9) == 0))
			p = slash ? slash : host + host_len;
		/* else keep "//host/..." (a UNC path) */
	}
	/* "/C:/x" -> "C:/x" */
	if (p[0] == '/' && is_alpha(p[1]) && p[2] == ':')
		p++;
	len = strlen(p);
	memmove(s, p, len + 1);
}

static int is_absolute(const char *p)
{
	return p[0] == '/' || (is_alpha(p[0]) && p[1] == ':');
}

/* Remove ".", empty and resolvable ".." segments, in place. */
static void remove_dot_segments(char *path)
{
	char *src = path, *dst = path, *root_end;
	int unc = path[0] == '/' && path[1] == '/';

	/* Keep the root: "/", "//" (UNC), or "C:/". */
	if (is_alpha(path[0]) && path[1] == ':') {
		path[0] = (char)(path[0] >= 'a' ? path[0] - 'a' + 'A' : path[0]);
		src += 2;
		dst += 2;
		if (*src == '/') {
			src++;
			*dst++ = '/';
		}
	} else if (path[0] == '/') {
		src += unc ? 2 : 1;
		dst += unc ? 2 : 1;
	}
	root_end = dst;
	while (*src) {
		char *seg = src;
		size_t len;

		while (*src && *src != '/')
			src++;
		len = (size_t)(src - seg);
		if (*src == '/')
			src++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Pop the last segment if there is one that is not "..". */
			char *prev_end = dst;
			if (prev_end > root_end && prev_end[-1] == '/')
				prev_end--;
			if (prev_end > root_end) {
				char *prev = prev_end;
				while (prev > root_end && prev[-1] != '/')
					prev--;
				if (!(prev_end - prev == 2 && prev[0] == '.' && prev[1] == '.')) {
					dst = prev;
					continue;
				}
			} else if (root_end > path) {
				continue; /* ".." above an absolute root stays at the root */
			}
		}
		if (dst > root_end && dst[-1] != '/')
			*dst++ = '/';
		memmove(dst, seg, len);
		dst += len;
	}
	if (dst > root_end && dst[-1] == '/')
		dst--;
	*dst = '\0';
}

static int to_path(const char *uri, char *out, size_t size)
{
	size_t scheme;

	if (decode(uri, out, size) < 0)
		return -1;
	scheme = scheme_length(out);
	if (scheme == 4 && strncasecmp(out, "file", 4) == 0) {
		file_uri_to_path(out);
		return 0;
	}
	return scheme ? 1 : 0; /* 1: another scheme, keep as written */
}

int sg_path_normalize(const char *uri, const char *base, const char *source_root,
		      char *out, size_t out_size)
{
	char path[4096], joined[8192];
	int kind;
	size_t root_len;

	if (!uri || out_size == 0)
		return -1;
	kind = to_path(uri, path, sizeof(path));
	if (kind < 0)
		return -1;
	if (kind == 1) {
		if (strlen(uri) + 1 > out_size)
			return -1;
		memcpy(out, uri, strlen(uri) + 1);
		return 0;
	}
	if (!is_absolute(path) && base && base[0]) {
		char base_path[4096];
		int base_kind = to_path(base, base_path, sizeof(base_path));
		if (base_kind < 0)
			return -1;
		/* A base that is not a file (https://host/repo/) is where the
		 * repository lives: the path relative to it is the path. */
		if (base_kind == 1)
			base_path[0] = '\0';
		if (snprintf(joined, sizeof(joined), "%s%s%s", base_path, base_path[0] ? "/" : "", path) >=
		    (int)sizeof(joined))
			return -1;
	} else if (snprintf(joined, sizeof(joined), "%s", path) >= (int)sizeof(joined)) {
		return -1;
	}
	remove_dot_segments(joined);
	if (source_root && source_root[0] && is_absolute(joined)) {
		root_len = strlen(source_root);
		if (strncmp(joined, source_root, root_len) == 0 && joined[root_len] == '/')
			memmove(joined, joined + root_len + 1, strlen(joined + root_len + 1) + 1);
	}
	if (strlen(joined) + 1 > out_size)
		return -1;
	memcpy(out, joined, strlen(joined) + 1);
	return 0;
}

int sg_path_is_contained(const char *path)
{
	const char *p = path;

	if (!path[0] || is_absolute(path) || scheme_length(path))
		return 0;
	while (*p) {
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		if (p - seg == 2 && seg[0] == '.' && seg[1] == '.')
			return 0;
		if (*p)
			p++;
	}
	return 1;
}
