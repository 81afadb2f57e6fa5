#include "util/json_reader.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/utf8.h"

/* Keys longer than this are kept cut and marked, so they never match a
 * pattern; it bounds the path's memory at depth * SG_JSON_KEY_KEPT. */
#define SG_JSON_KEY_KEPT 512

struct frame {
	int is_array;
	int tag;
	long long index;
	char key[SG_JSON_KEY_KEPT + 1];
	size_t key_len;
	int key_cut;
};

struct sg_json_reader {
	yajl_handle yajl;
	sg_json_handler_fn fn;
	void *ctx;
	struct sg_error *err;
	const char *where;

	struct frame frames[SG_JSON_MAX_DEPTH + 1];
	int depth;
	struct sg_buf scratch; /* NUL-terminated copy of the current scalar */
	int pending_tag;       /* set during a START event, given to the new frame */

	/* Position bookkeeping: the chunk being parsed and where it starts. */
	const unsigned char *chunk;
	unsigned long long chunk_offset;
	long chunk_line, chunk_column;
	/* Pre-scan state (runs ahead of yajl over each chunk). */
	unsigned long long total;
	long line, column;
	int in_string, escaped;
	size_t string_len;
	size_t token_len;      /* of the number or literal being read */
	int failed;
};

void sg_json_tag_container(struct sg_json_reader *r, int tag)
{
	r->pending_tag = tag;
}

int sg_json_tag(const struct sg_json_reader *r, int level)
{
	if (level < 0 || level >= r->depth)
		return 0;
	return r->frames[level].tag;
}

int sg_json_depth(const struct sg_json_reader *r)
{
	return r->depth;
}

const char *sg_json_key(const struct sg_json_reader *r, int level)
{
	if (level < 0 || level >= r->depth || r->frames[level].is_array)
		return NULL;
	return r->frames[level].key;
}

long long sg_json_index(const struct sg_json_reader *r, int level)
{
	if (level < 0 || level >= r->depth || !r->frames[level].is_array)
		return -1;
	return r->frames[level].index;
}

static int segment_matches(const struct frame *f, const char *seg)
{
	if (f->is_array)
		return seg[0] == '#' && seg[1] == '\0';
	if (seg[0] == '*' && seg[1] == '\0')
		return 1;
	if (f->key_cut)
		return 0;
	return strcmp(f->key, seg) == 0;
}

int sg_json_match_prefix(const struct sg_json_reader *r, const char *const *pattern)
{
	int i;

	for (i = 0; pattern[i]; i++) {
		if (i >= r->depth || !segment_matches(&r->frames[i], pattern[i]))
			return 0;
	}
	return 1;
}

int sg_json_match(const struct sg_json_reader *r, const char *const *pattern)
{
	int n = 0;

	while (pattern[n])
		n++;
	return n == r->depth && sg_json_match_prefix(r, pattern);
}

unsigned long long sg_json_offset(const struct sg_json_reader *r)
{
	return r->chunk_offset + (r->yajl ? yajl_get_bytes_consumed(r->yajl) : 0);
}

/* RFC 6901: '~' -> "~0", '/' -> "~1". */
void sg_json_pointer(const struct sg_json_reader *r, char *out, size_t size)
{
	size_t used = 0;
	int i;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < r->depth; i++) {
		const struct frame *f = &r->frames[i];
		char seg[SG_JSON_KEY_KEPT * 2 + 32];
		size_t s = 0, k;

		if (f->is_array) {
			snprintf(seg, sizeof(seg), "/%lld", f->index < 0 ? 0 : f->index);
		} else {
			seg[s++] = '/';
			for (k = 0; k < f->key_len && s + 3 < sizeof(seg); k++) {
				char c = f->key[k];
				if (c == '~' || c == '/') {
					seg[s++] = '~';
					seg[s++] = c == '~' ? '0' : '1';
				} else {
					seg[s++] = c;
				}
			}
			if (f->key_cut && s + 4 < sizeof(seg)) {
				memcpy(seg + s, "...", 3);
				s += 3;
			}
			seg[s] = '\0';
		}
		k = strlen(seg);
		if (used + k + 1 > size) {
			if (size > 4)
				memcpy(out + size - 4, "...", 4);
			return;
		}
		memcpy(out + used, seg, k + 1);
		used += k;
	}
}

/* Line and column of byte `pos` of the current chunk. */
static void position_in_chunk(const struct sg_json_reader *r, size_t pos, long *line, long *column)
{
	long l = r->chunk_line, c = r->chunk_column;
	size_t i;

	for (i = 0; i < pos && r->chunk; i++) {
		if (r->chunk[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*column = c;
}

static void fill_position(struct sg_json_reader *r, size_t pos_in_chunk)
{
	struct sg_error *err = r->err;

	sg_error_where(err, r->where);
	err->offset = (long long)(r->chunk_offset + pos_in_chunk);
	position_in_chunk(r, pos_in_chunk, &err->line, &err->column);
	sg_json_pointer(r, err->pointer, sizeof(err->pointer));
	if (err->pointer[0] == '\0')
		snprintf(err->pointer, sizeof(err->pointer), "%s", "/");
}

/* Where the token that ends at `last` begins, if it begins in this chunk: a
 * string back to its opening quote (one preceded by an even number of
 * backslashes), a number or literal back over its characters. */
static size_t token_start(const unsigned char *chunk, size_t last)
{
	size_t i = last, slashes;

	if (chunk[last] == '"') {
		while (i > 0) {
			i--;
			if (chunk[i] != '"')
				continue;
			for (slashes = 0; slashes < i && chunk[i - 1 - slashes] == '\\'; slashes++)
				;
			if (slashes % 2 == 0)
				return i;
		}
		return last;
	}
	while (i > 0 && (isalnum(chunk[i - 1]) || chunk[i - 1] == '-' || chunk[i - 1] == '+' ||
			 chunk[i - 1] == '.'))
		i--;
	return i;
}

void sg_json_position(const struct sg_json_reader *r, long *line, long *column, long long *offset)
{
	size_t pos = r->yajl ? yajl_get_bytes_consumed(r->yajl) : 0;
	size_t at = pos > 0 && r->chunk ? token_start(r->chunk, pos - 1) : 0;

	position_in_chunk(r, at, line, column);
	*offset = (long long)(r->chunk_offset + at);
}

int sg_json_fail(struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
{
	va_list ap;
	size_t pos = r->yajl ? yajl_get_bytes_consumed(r->yajl) : 0;

	r->failed = 1;
	r->err->diag = diag;
	r->err->code = sg_diag_code(diag);
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(r->err->message, sizeof(r->err->message), fmt, ap);
	va_end(ap);
	/* yajl tells where the token being read ends; point at its start. */
	fill_position(r, pos > 0 && r->chunk ? token_start(r->chunk, pos - 1) : 0);
	return r->err->code;
}

/* ---- yajl callbacks: keep the path, then hand one event to the handler ---- */

/* yajl checks UTF-8 loosely (it takes overlong forms such as C0 AF for '/',
 * the classic way to smuggle a path separator past a filter): check strictly. */
static int valid_utf8(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = sg_utf8_char_length(p + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

static int deliver(struct sg_json_reader *r, enum sg_json_type type, const char *text, size_t len)
{
	struct sg_json_event ev = {type, NULL, 0};

	if (text) {
		if (memchr(text, '\0', len))
			return sg_json_fail(r, SG_DIAG_JSON_NUL, "string contains a NUL character") == 0;
		if (!valid_utf8(text, len))
			return sg_json_fail(r, SG_DIAG_JSON_SYNTAX, "invalid UTF-8 in a string") == 0;
		sg_buf_reset(&r->scratch);
		if (sg_buf_add(&r->scratch, text, len)) {
			if (sg_buf_error(&r->scratch) == SG_ENOMEM)
				sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
			else
				sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "string longer than %u bytes",
					     SG_JSON_MAX_STRING_BYTES);
			return 0;
		}
		ev.text = r->scratch.data;
		ev.len = len;
	}
	if (r->fn(r->ctx, r, &ev) != 0) {
		r->failed = 1;
		return 0;
	}
	return 1;
}

/* A value starts: if it sits in an array, it is the next element. */
static void next_element(struct sg_json_reader *r)
{
	if (r->depth > 0 && r->frames[r->depth - 1].is_array)
		r->frames[r->depth - 1].index++;
}

static int on_null(void *ctx)
{
	struct sg_json_reader *r = ctx;
	next_element(r);
	return deliver(r, SG_JSON_NULL, NULL, 0);
}

static int on_boolean(void *ctx, int value)
{
	struct sg_json_reader *r = ctx;
	next_element(r);
	return deliver(r, value ? SG_JSON_TRUE : SG_JSON_FALSE, NULL, 0);
}

static int on_number(void *ctx, const char *text, size_t len)
{
	struct sg_json_reader *r = ctx;
	next_element(r);
	return deliver(r, SG_JSON_NUMBER, text, len);
}

static int on_string(void *ctx, const unsigned char *text, size_t len)
{
	struct sg_json_reader *r = ctx;
	next_element(r);
	return deliver(r, SG_JSON_STRING, (const char *)text, len);
}

static int open_container(struct sg_json_reader *r, int is_array)
{
	struct frame *f;

	next_element(r);
	r->pending_tag = 0;
	if (!deliver(r, is_array ? SG_JSON_ARRAY_START : SG_JSON_OBJECT_START, NULL, 0))
		return 0;
	if (r->depth >= SG_JSON_MAX_DEPTH) {
		sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "nesting deeper than %d levels",
			     SG_JSON_MAX_DEPTH);
		return 0;
	}
	f = &r->frames[r->depth++];
	f->is_array = is_array;
	f->tag = r->pending_tag;
	f->index = -1;
	f->key[0] = '\0';
	f->key_len = 0;
	f->key_cut = 0;
	return 1;
}

static int close_container(struct sg_json_reader *r, int is_array)
{
	if (r->depth > 0)
		r->depth--;
	return deliver(r, is_array ? SG_JSON_ARRAY_END : SG_JSON_OBJECT_END, NULL, 0);
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, 0);
}

static int on_end_map(void *ctx)
{
	return close_container(ctx, 0);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, 1);
}

static int on_end_array(void *ctx)
{
	return close_container(ctx, 1);
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct sg_json_reader *r = ctx;
	struct frame *f = &r->frames[r->depth - 1];

	if (memchr(key, '\0', len)) {
		sg_json_fail(r, SG_DIAG_JSON_NUL, "key contains a NUL character");
		return 0;
	}
	if (!valid_utf8((const char *)key, len)) {
		sg_json_fail(r, SG_DIAG_JSON_SYNTAX, "invalid UTF-8 in a key");
		return 0;
	}
	f->key_cut = len > SG_JSON_KEY_KEPT;
	f->key_len = f->key_cut ? SG_JSON_KEY_KEPT : len;
	memcpy(f->key, key, f->key_len);
	f->key[f->key_len] = '\0';
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_boolean, NULL, NULL, on_number, on_string,
	on_start_map, on_map_key, on_end_map, on_start_array, on_end_array,
};

/* ---- pre-scan: limits yajl cannot enforce, and line counting ---- */

static int prescan_fail(struct sg_json_reader *r, size_t at, enum sg_diag diag, const char *message)
{
	r->err->diag = diag;
	r->err->code = SG_EINPUT;
	snprintf(r->err->message, sizeof(r->err->message), "%s", message);
	fill_position(r, at);
	return SG_EINPUT;
}

/* Advance line and column over n bytes (only newlines matter). */
static void count_lines(struct sg_json_reader *r, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n, *nl, *last = NULL;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		r->line++;
		last = nl;
		p = nl + 1;
	}
	if (last)
		r->column = 1 + (long)(end - last - 1);
	else
		r->column += (long)n;
}

/* Bytes of a number or literal (a lookup, not six compares per byte). */
static const unsigned char token_char[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
	['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
	['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
	['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
	['-'] = 1, ['+'] = 1, ['.'] = 1,
};

/*
 * What yajl cannot enforce: no NUL byte anywhere, and no string longer than
 * SG_JSON_MAX_STRING_BYTES (checked before yajl buffers it). Only quotes and
 * backslashes matter, so the scan jumps from one to the next.
 */
static int prescan(struct sg_json_reader *r, const unsigned char *p, size_t n)
{
	const unsigned char *nul = memchr(p, '\0', n);
	size_t i = 0;

	if (nul)
		return prescan_fail(r, (size_t)(nul - p), SG_DIAG_JSON_NUL, "NUL byte in JSON text");
	while (i < n) {
		if (!r->in_string) {
			/* Outside strings, bound numbers and literals too: yajl
			 * buffers and re-lexes a token that spans chunks. */
			for (; i < n && p[i] != '"'; i++) {
				if (token_char[p[i]]) {
					if (++r->token_len > SG_JSON_MAX_TOKEN_BYTES)
						return prescan_fail(r, i, SG_DIAG_LIMIT_EXCEEDED,
								    "number or literal longer than the limit");
				} else {
					r->token_len = 0;
				}
			}
			if (i == n)
				break;
			i++;
			r->token_len = 0;
			r->in_string = 1;
			r->escaped = 0;
			r->string_len = 0;
			continue;
		}
		if (r->escaped) {
			r->escaped = 0;
			r->string_len++;
			i++;
			continue;
		}
		{
			/* memchr runs a word at a time: strings are most of a
			 * document's bytes (measured: the scan was a third of
			 * reading OSV records). */
			size_t start = i;
			const unsigned char *q = memchr(p + i, '"', n - i);
			const unsigned char *b = memchr(p + i, '\\', (size_t)((q ? q : p + n) - (p + i)));
			i = (size_t)((b ? b : q ? q : p + n) - p);
			r->string_len += i - start;
			if (r->string_len > SG_JSON_MAX_STRING_BYTES)
				return prescan_fail(r, start + (SG_JSON_MAX_STRING_BYTES - (r->string_len - (i - start))),
						    SG_DIAG_LIMIT_EXCEEDED, "string longer than the limit (1 MiB)");
			if (i == n)
				break;
			if (p[i] == '"') {
				r->in_string = 0;
			} else {
				r->escaped = 1;
				r->string_len++;
			}
			i++;
		}
	}
	count_lines(r, p, n);
	return 0;
}

static int yajl_failure(struct sg_json_reader *r, int at_end)
{
	unsigned char *msg;
	char text[200] = "";
	size_t pos = yajl_get_bytes_consumed(r->yajl);
	char *nl;

	if (r->failed) /* a handler or a limit stopped the parse: its error stands */
		return r->err->code;
	msg = yajl_get_error(r->yajl, 0, NULL, 0);
	if (msg) {
		snprintf(text, sizeof(text), "%s", (const char *)msg);
		yajl_free_error(r->yajl, msg);
	}
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	for (nl = text; *nl; nl++)
		if (*nl >= 'A' && *nl <= 'Z')
			*nl = (char)(*nl - 'A' + 'a');
	/* yajl_complete_parse() reports text after the document too, which is
	 * not a truncation. */
	if (at_end && strstr(text, "trailing garbage")) {
		sg_error_set(r->err, SG_DIAG_JSON_SYNTAX, "invalid JSON: text after the document");
		r->chunk = NULL;
		r->chunk_line = r->line;
		r->chunk_column = r->column;
		r->chunk_offset = r->total;
		fill_position(r, 0);
	} else if (at_end) {
		r->chunk = NULL;
		r->chunk_line = r->line;
		r->chunk_column = r->column;
		r->chunk_offset = r->total;
		sg_error_set(r->err, SG_DIAG_JSON_TRUNCATED, "document ends early (%s)",
			     text[0] ? text : "incomplete JSON");
		fill_position(r, 0);
	} else {
		sg_error_set(r->err, SG_DIAG_JSON_SYNTAX, "invalid JSON: %s", text);
		fill_position(r, pos > 0 ? pos - 1 : 0);
	}
	return r->err->code;
}

static int parse_chunk(struct sg_json_reader *r, const unsigned char *p, size_t n)
{
	yajl_status st;
	int rc;

	if (r->total + n > SG_JSON_MAX_DOCUMENT_BYTES) {
		r->chunk = NULL;
		r->chunk_offset = r->total;
		r->chunk_line = r->line;
		r->chunk_column = r->column;
		sg_error_set(r->err, SG_DIAG_LIMIT_EXCEEDED, "document larger than %llu bytes",
			     (unsigned long long)SG_JSON_MAX_DOCUMENT_BYTES);
		fill_position(r, 0);
		return r->err->code;
	}
	r->chunk = p;
	r->chunk_offset = r->total;
	r->chunk_line = r->line;
	r->chunk_column = r->column;
	rc = prescan(r, p, n);
	if (rc)
		return rc;
	st = yajl_parse(r->yajl, p, n);
	if (st != yajl_status_ok)
		return yajl_failure(r, 0);
	r->total += n;
	return 0;
}

ssize_t sg_json_fd_read(void *ctx, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do {
		n = read(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* Fill buf with up to len bytes, looping over short reads. */
static ssize_t read_full(const struct sg_json_source *src, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = src->read(src->ctx, buf + got, len - got);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int sg_json_parse(const struct sg_json_source *src, const char *where,
		  sg_json_handler_fn fn, void *ctx, struct sg_error *err)
{
	struct sg_json_reader *r = NULL;
	unsigned char *chunk = NULL;
	int rc = 0, first = 1;
	ssize_t n;

	r = sg_calloc(1, sizeof(*r));
	chunk = sg_malloc(SG_JSON_READ_CHUNK);
	if (!r || !chunk) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->where = where;
	r->line = r->chunk_line = 1;
	r->column = r->chunk_column = 1;
	sg_buf_init(&r->scratch, SG_JSON_MAX_STRING_BYTES);
	r->yajl = yajl_alloc(&callbacks, NULL, r);
	if (!r->yajl) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	/* Strict JSON: no comments, one value, UTF-8 validated, nothing after it. */
	yajl_config(r->yajl, yajl_allow_comments, 0);
	yajl_config(r->yajl, yajl_dont_validate_strings, 0);
	yajl_config(r->yajl, yajl_allow_trailing_garbage, 0);
	yajl_config(r->yajl, yajl_allow_multiple_values, 0);
	yajl_config(r->yajl, yajl_allow_partial_values, 0);

	for (;;) {
		const unsigned char *p = chunk;

		n = read_full(src, chunk, SG_JSON_READ_CHUNK);
		if (n < 0) {
			rc = sg_error_set(err, SG_DIAG_FILE_READ, "cannot read: %s", strerror(errno));
			sg_error_where(err, where);
			goto out;
		}
		if (n == 0)
			break;
		if (first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) {
			/* A UTF-8 byte order mark is not JSON, but real tools write one. */
			p += 3;
			n -= 3;
			r->total = 3;
		}
		first = 0;
		rc = parse_chunk(r, p, (size_t)n);
		if (rc)
			goto out;
	}
	r->chunk = NULL;
	r->chunk_offset = r->total;
	r->chunk_line = r->line;
	r->chunk_column = r->column;
	if (r->total == 0) {
		rc = sg_error_set(err, SG_DIAG_JSON_TRUNCATED, "empty document");
		sg_error_where(err, where);
		err->offset = 0;
		goto out;
	}
	if (yajl_complete_parse(r->yajl) != yajl_status_ok)
		rc = yajl_failure(r, 1);
out:
	if (r) {
		if (r->yajl)
			yajl_free(r->yajl);
		sg_buf_release(&r->scratch);
	}
	sg_free(r);
	sg_free(chunk);
	return rc;
}

/* RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 * strtoll and strtod also take spaces, '+', hex, "inf" and "nan". */
static int is_json_number(const char *p, int integer_only)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.' && !integer_only) {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'e' || *p == 'E') && !integer_only) {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int sg_json_text_to_ll(const char *text, long long *out)
{
	char *end;
	long long v;

	if (!text || !is_json_number(text, 1))
		return SG_EINPUT;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return SG_EINPUT;
	*out = v;
	return 0;
}

int sg_json_text_to_double(const char *text, double *out)
{
	char *end;
	double v;

	if (!text || !is_json_number(text, 0))
		return SG_EINPUT;
	errno = 0;
	v = strtod(text, &end);
	if (errno == ERANGE || *end != '\0' || !isfinite(v))
		return SG_EINPUT;
	*out = v;
	return 0;
}
