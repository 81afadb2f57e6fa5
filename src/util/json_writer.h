/*
 * The one JSON writer: streams compact or indented JSON to a FILE or an sg_buf,
 * escaping strings and placing commas itself. Misuse (a key in an array, a
 * value in an object without its key, a close that does not match its open,
 * a second top-level value) is an error, and so is output failure; errors are
 * sticky: check sg_jw_finish() once at the end. Strings are written as valid
 * UTF-8: a byte that is not part of a well-formed character becomes U+FFFD.
 *
 *   struct sg_jw w; sg_jw_init_file(&w, stdout, 1);
 *   sg_jw_object_begin(&w); sg_jw_key(&w, "id"); sg_jw_int(&w, 7); sg_jw_object_end(&w);
 *   rc = sg_jw_finish(&w);
 */
#ifndef SG_UTIL_JSON_WRITER_H
#define SG_UTIL_JSON_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "util/buf.h"
#include "util/error.h"

#define SG_JW_MAX_DEPTH 64

struct sg_jw {
	FILE *file;
	struct sg_buf *buf;
	int pretty;
	int depth;
	int need_comma[SG_JW_MAX_DEPTH];
	int is_array[SG_JW_MAX_DEPTH];
	int after_key;
	int top_values; /* values written at the top level: one document has one */
	int error;
};

void sg_jw_init_file(struct sg_jw *w, FILE *file, int pretty);
void sg_jw_init_buf(struct sg_jw *w, struct sg_buf *buf, int pretty);

void sg_jw_object_begin(struct sg_jw *w);
void sg_jw_object_end(struct sg_jw *w);
void sg_jw_array_begin(struct sg_jw *w);
void sg_jw_array_end(struct sg_jw *w);
void sg_jw_key(struct sg_jw *w, const char *key);
void sg_jw_string(struct sg_jw *w, const char *s);           /* NULL writes null */
void sg_jw_string_n(struct sg_jw *w, const char *s, size_t n);
void sg_jw_int(struct sg_jw *w, long long v);
void sg_jw_double(struct sg_jw *w, double v);
void sg_jw_bool(struct sg_jw *w, int v);
void sg_jw_null(struct sg_jw *w);

/* key + value shorthands */
void sg_jw_kv_string(struct sg_jw *w, const char *key, const char *s);
/* A time as RFC 3339 UTC text ("2026-11-29T12:00:00Z"); 0 is null. */
void sg_jw_kv_time(struct sg_jw *w, const char *key, time_t t);
void sg_jw_kv_int(struct sg_jw *w, const char *key, long long v);

/* Ends the document (newline if pretty); returns 0 or the first error. */
int sg_jw_finish(struct sg_jw *w) SG_MUST_USE;

#endif
