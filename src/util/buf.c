#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

static char empty_string[1];

void sg_buf_init(struct sg_buf *b, size_t max)
{
	b->data = empty_string;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->error = 0;
}

void sg_buf_release(struct sg_buf *b)
{
	if (b->cap)
		sg_free(b->data);
	sg_buf_init(b, b->max);
}

void sg_buf_reset(struct sg_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	b->error = 0;
}

char *sg_buf_detach(struct sg_buf *b, size_t *len)
{
	char *out;

	if (b->error) {
		sg_buf_release(b);
		return NULL;
	}
	if (b->cap == 0) {
		out = sg_strdup("");
	} else {
		out = b->data;
	}
	if (len)
		*len = b->len;
	sg_buf_init(b, b->max);
	return out;
}

static int grow(struct sg_buf *b, size_t extra)
{
	size_t need, cap;
	char *data;

	if (b->error)
		return b->error;
	if (__builtin_add_overflow(b->len, extra, &need) || need > b->max) {
		b->error = SG_EINPUT;
		return b->error;
	}
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1) {
		if (__builtin_mul_overflow(cap, 2, &cap)) {
			b->error = SG_ENOMEM;
			return b->error;
		}
	}
	data = sg_realloc(b->cap ? b->data : NULL, cap);
	if (!data) {
		b->error = SG_ENOMEM;
		return b->error;
	}
	if (!b->cap)
		data[0] = '\0';
	b->data = data;
	b->cap = cap;
	return 0;
}

int sg_buf_add(struct sg_buf *b, const void *data, size_t len)
{
	if (grow(b, len))
		return b->error;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int sg_buf_adds(struct sg_buf *b, const char *s)
{
	return sg_buf_add(b, s, strlen(s));
}

int sg_buf_addc(struct sg_buf *b, char c)
{
	return sg_buf_add(b, &c, 1);
}

int sg_buf_vprintf(struct sg_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (b->error)
		return b->error;
	va_copy(copy, ap);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->error = SG_EINPUT;
		return b->error;
	}
	if (grow(b, (size_t)n))
		return b->error;
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sg_buf_printf(struct sg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void sg_buf_truncate(struct sg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

int sg_buf_error(const struct sg_buf *b)
{
	return b->error;
}
