#include "util/json_writer.h"

#include <math.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/utf8.h"

static void emit(struct sg_jw *w, const char *s, size_t n)
{
	if (w->error || n == 0)
		return;
	if (w->file) {
		if (fwrite(s, 1, n, w->file) != n)
			w->error = SG_EIO;
	} else if (sg_buf_add(w->buf, s, n)) {
		w->error = sg_buf_error(w->buf);
	}
}

static void emits(struct sg_jw *w, const char *s)
{
	emit(w, s, strlen(s));
}

static void indent(struct sg_jw *w)
{
	int i;

	if (!w->pretty)
		return;
	emit(w, "\n", 1);
	for (i = 0; i < w->depth; i++)
		emit(w, "  ", 2);
}

/* Before any value: it must have a place (after a key in an object, in an
 * array, or as the one top-level value); then a comma and the indentation. */
static void before_value(struct sg_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0) {
		if (w->top_values++ > 0)
			w->error = SG_EINTERNAL;
		return;
	}
	if (!w->is_array[w->depth - 1]) {
		w->error = SG_EINTERNAL; /* a value in an object needs a key */
		return;
	}
	if (w->need_comma[w->depth - 1])
		emit(w, ",", 1);
	w->need_comma[w->depth - 1] = 1;
	indent(w);
}

void sg_jw_init_file(struct sg_jw *w, FILE *file, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->file = file;
	w->pretty = pretty;
}

void sg_jw_init_buf(struct sg_jw *w, struct sg_buf *buf, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->pretty = pretty;
}

static void open_container(struct sg_jw *w, const char *open, int is_array)
{
	before_value(w);
	emits(w, open);
	if (w->depth >= SG_JW_MAX_DEPTH) {
		w->error = SG_EINTERNAL;
		return;
	}
	w->is_array[w->depth] = is_array;
	w->need_comma[w->depth++] = 0;
}

static void close_container(struct sg_jw *w, const char *close, int is_array)
{
	int had_members;

	if (w->depth == 0 || w->is_array[w->depth - 1] != is_array || w->after_key) {
		w->error = SG_EINTERNAL;
		return;
	}
	had_members = w->need_comma[--w->depth];
	if (had_members)
		indent(w);
	emits(w, close);
}

void sg_jw_object_begin(struct sg_jw *w) { open_container(w, "{", 0); }
void sg_jw_object_end(struct sg_jw *w) { close_container(w, "}", 0); }
void sg_jw_array_begin(struct sg_jw *w) { open_container(w, "[", 1); }
void sg_jw_array_end(struct sg_jw *w) { close_container(w, "]", 1); }

static void write_escaped(struct sg_jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0, n = len;

	emit(w, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		const char *rep = NULL;

		switch (c) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
				esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; esc[6] = '\0';
				rep = esc;
			} else if (c >= 0x80) {
				size_t char_len = sg_utf8_char_length((const unsigned char *)s + i, len - i);
				if (char_len > 0) {
					i += char_len - 1; /* a well-formed character: copied as it is */
					continue;
				}
				rep = "\\ufffd";
			}
			break;
		}
		if (rep) {
			emit(w, s + start, i - start);
			emits(w, rep);
			start = i + 1;
		}
	}
	emit(w, s + start, n - start);
	emit(w, "\"", 1);
}

void sg_jw_key(struct sg_jw *w, const char *key)
{
	if (w->depth == 0 || w->is_array[w->depth - 1] || w->after_key) {
		w->error = SG_EINTERNAL; /* keys belong in objects, one per value */
		return;
	}
	if (w->need_comma[w->depth - 1])
		emit(w, ",", 1);
	w->need_comma[w->depth - 1] = 1;
	indent(w);
	write_escaped(w, key, strlen(key));
	emit(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void sg_jw_string_n(struct sg_jw *w, const char *s, size_t n)
{
	before_value(w);
	write_escaped(w, s, n);
}

void sg_jw_string(struct sg_jw *w, const char *s)
{
	if (!s) {
		sg_jw_null(w);
		return;
	}
	sg_jw_string_n(w, s, strlen(s));
}

void sg_jw_int(struct sg_jw *w, long long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", v);

	before_value(w);
	emit(w, tmp, (size_t)n);
}

void sg_jw_double(struct sg_jw *w, double v)
{
	char tmp[64];
	int n;

	before_value(w);
	if (!isfinite(v)) {
		emits(w, "null");
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	emit(w, tmp, (size_t)n);
}

void sg_jw_bool(struct sg_jw *w, int v)
{
	before_value(w);
	emits(w, v ? "true" : "false");
}

void sg_jw_null(struct sg_jw *w)
{
	before_value(w);
	emits(w, "null");
}

void sg_jw_kv_string(struct sg_jw *w, const char *key, const char *s)
{
	sg_jw_key(w, key);
	sg_jw_string(w, s);
}

void sg_jw_kv_int(struct sg_jw *w, const char *key, long long v)
{
	sg_jw_key(w, key);
	sg_jw_int(w, v);
}

int sg_jw_finish(struct sg_jw *w)
{
	if (w->depth != 0 && !w->error)
		w->error = SG_EINTERNAL;
	if (w->pretty)
		emit(w, "\n", 1);
	if (w->file && fflush(w->file) != 0 && !w->error)
		w->error = SG_EIO;
	return w->error;
}

void sg_jw_kv_time(struct sg_jw *w, const char *key, time_t t)
{
	char when[SG_TIME_TEXT];

	if (!t) {
		sg_jw_kv_string(w, key, NULL);
		return;
	}
	sg_time_format(t, when);
	sg_jw_kv_string(w, key, when);
}
