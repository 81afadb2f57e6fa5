#include "ingest/source_lines.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/pathnorm.h"
#include "util/alloc.h"
#include "util/limits.h"

struct sg_source_lines {
	char root[PATH_MAX];
	char cached_path[PATH_MAX]; /* relative path of the cached file; "" none */
	int cached_ok;
	char *content;
	size_t len;
	/* Where the last line asked for starts: results come in line order
	 * within a file, so the next one is found from here, not from the top. */
	long cursor_line;
	size_t cursor_offset;
	char line[SG_SOURCE_MAX_LINE_BYTES + 1];
};

int sg_source_lines_open(const char *root, struct sg_source_lines **out, struct sg_error *err)
{
	struct sg_source_lines *s;
	struct stat st;

	*out = NULL;
	s = sg_calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (!realpath(root, s->root) || stat(s->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		sg_free(s);
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--source-root \"%s\" is not a directory", root);
	}
	*out = s;
	return 0;
}

void sg_source_lines_free(struct sg_source_lines *s)
{
	if (!s)
		return;
	sg_free(s->content);
	sg_free(s);
}

const char *sg_source_lines_root(const struct sg_source_lines *s)
{
	return s->root;
}

static int load(struct sg_source_lines *s, const char *path)
{
	char joined[PATH_MAX], real[PATH_MAX];
	size_t root_len = strlen(s->root);
	struct stat st;
	ssize_t n;
	int fd;

	sg_free(s->content);
	s->content = NULL;
	s->len = 0;
	if (!sg_path_is_contained(path))
		return -1;
	if (snprintf(joined, sizeof(joined), "%s/%s", s->root, path) >= (int)sizeof(joined))
		return -1;
	/* Resolve links, then insist that the file is still under the root. */
	if (!realpath(joined, real) || strncmp(real, s->root, root_len) != 0 || real[root_len] != '/')
		return -1;
	/* O_NONBLOCK: a FIFO under the root must not hang the open; only a
	 * regular file is read. */
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SG_SOURCE_MAX_FILE_BYTES) {
		close(fd);
		return -1;
	}
	s->content = sg_malloc((size_t)st.st_size + 1);
	if (!s->content) {
		close(fd);
		return -1;
	}
	while (s->len < (size_t)st.st_size) {
		n = read(fd, s->content + s->len, (size_t)st.st_size - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s->len += (size_t)n;
	}
	close(fd);
	s->content[s->len] = '\0';
	s->cursor_line = 1;
	s->cursor_offset = 0;
	return 0;
}

const char *sg_source_line(struct sg_source_lines *s, const char *path, long line)
{
	const char *p, *end, *nl;
	long n;
	size_t len;

	if (!path || line < 1)
		return NULL;
	if (strcmp(s->cached_path, path) != 0) {
		if (strlen(path) >= sizeof(s->cached_path))
			return NULL;
		memcpy(s->cached_path, path, strlen(path) + 1);
		s->cached_ok = load(s, path) == 0;
	}
	if (!s->cached_ok)
		return NULL;
	p = s->content;
	n = 1;
	if (line >= s->cursor_line) {
		p = s->content + s->cursor_offset;
		n = s->cursor_line;
	}
	end = s->content + s->len;
	for (; n < line; n++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	s->cursor_line = line;
	s->cursor_offset = (size_t)(p - s->content);
	nl = memchr(p, '\n', (size_t)(end - p));
	len = (size_t)((nl ? nl : end) - p);
	if (len && p[len - 1] == '\r')
		len--;
	if (len > SG_SOURCE_MAX_LINE_BYTES)
		len = SG_SOURCE_MAX_LINE_BYTES;
	memcpy(s->line, p, len);
	s->line[len] = '\0';
	if (memchr(s->line, '\0', len))
		return NULL;
	return s->line;
}
