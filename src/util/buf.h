/*
 * sg_buf: a growable byte buffer, always NUL-terminated yet binary-safe, with
 * a hard maximum fixed at init and a sticky error: after a failed append every
 * further append is a no-op and sg_buf_error() says why, so a run of appends
 * is checked once at the end (the curl dynbuf / git strbuf pattern).
 *
 * Lifecycle: sg_buf_init(), appends, then sg_buf_release() (frees and resets
 * for reuse) or sg_buf_detach() (hands the bytes to the caller).
 */
#ifndef SG_UTIL_BUF_H
#define SG_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/error.h"

struct sg_buf {
	char *data;      /* NUL-terminated; never NULL after init */
	size_t len;
	size_t cap;
	size_t max;      /* hard limit on len */
	int error;       /* 0, SG_ENOMEM or SG_EINPUT (max exceeded) */
};

void sg_buf_init(struct sg_buf *b, size_t max);
void sg_buf_release(struct sg_buf *b);
/* Returns the bytes (caller frees with sg_free) and resets b; NULL on error. */
char *sg_buf_detach(struct sg_buf *b, size_t *len);
void sg_buf_reset(struct sg_buf *b); /* len = 0, keeps memory, clears error */

int sg_buf_add(struct sg_buf *b, const void *data, size_t len);
int sg_buf_adds(struct sg_buf *b, const char *s);
int sg_buf_addc(struct sg_buf *b, char c);
int sg_buf_printf(struct sg_buf *b, const char *fmt, ...) SG_PRINTF(2, 3);
int sg_buf_vprintf(struct sg_buf *b, const char *fmt, va_list ap) SG_PRINTF(2, 0);
void sg_buf_truncate(struct sg_buf *b, size_t len);
int sg_buf_error(const struct sg_buf *b);

#endif
