#include "util/json_reader.h"

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

/* What the previous chunk ended inside: a token split between two chunks
 * begins before the chunk being parsed, where token_start() cannot look. */
enum carry {
	CARRY_NONE,
	CARRY_STRING,
	CARRY_TOKEN, /* a number or literal */
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
	size_t chunk_len;
	unsigned long long chunk_offset;
	long chunk_line, chunk_column;
	unsigned long long doc_start; /* 3 after a byte order mark */
	/* The token the chunk starts inside (see enum carry): where it began,
	 * how many of the chunk's first bytes end it, and whether an event
	 * has been delivered for it. */
	enum carry carry;
	unsigned long long carry_offset;
	size_t carry_extent;
	int carry_used;
	/* Where the last event's token ended: a token found to be in the wrong
	 * place begins after it, even in a run of bytes like "01" that reads
	 * as one number until yajl splits it. */
	unsigned long long value_end;
	/* Pre-scan state (runs ahead of yajl over each chunk). */
	unsigned long long total;
	long line, column;
	int in_string, escaped;
	size_t string_len;
	unsigned long long string_start; /* offset of the open string's quote */
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

/* Line and column of byte `pos` of the current chunk. */
static void position_in_chunk(const struct sg_json_reader *r, size_t pos, long *line, long *column)
{
	long l = r->chunk_line, c = r->chunk_column;
	size_t i;

	for (i = 0; i < pos && i < r->chunk_len && r->chunk; i++) {
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

static void fill_at(struct sg_json_reader *r, long line, long column, unsigned long long offset)
{
	struct sg_error *err = r->err;

	sg_error_where(err, r->where);
	err->offset = (long long)offset;
	err->line = line;
	err->column = column;
	sg_json_pointer(r, err->pointer, sizeof(err->pointer));
	if (err->pointer[0] == '\0')
		snprintf(err->pointer, sizeof(err->pointer), "%s", "/");
}

static void fill_position(struct sg_json_reader *r, size_t pos_in_chunk)
{
	long line, column;

	position_in_chunk(r, pos_in_chunk, &line, &column);
	fill_at(r, line, column, r->chunk_offset + pos_in_chunk);
}

/* How many of the chunk's first bytes end the token it starts inside
 * (its closing quote included); all n when it goes on past the chunk. */
static size_t carry_extent(const unsigned char *p, size_t n, enum carry carry, int escaped)
{
	const unsigned char *q, *b;
	size_t i = 0;

	if (carry == CARRY_TOKEN) {
		while (i < n && token_char[p[i]])
			i++;
		return i;
	}
	while (carry == CARRY_STRING && i < n) {
		if (escaped) {
			escaped = 0;
			i++;
			continue;
		}
		q = memchr(p + i, '"', n - i);
		b = memchr(p + i, '\\', (size_t)((q ? q : p + n) - (p + i)));
		if (b) {
			i = (size_t)(b - p) + 1;
			escaped = 1;
			continue;
		}
		return q ? (size_t)(q - p) + 1 : n;
	}
	return i;
}

/* The carried token's start. */
static void carry_position(const struct sg_json_reader *r, long *line, long *column, unsigned long long *offset)
{
	*line = r->chunk_line;
	*column = r->chunk_column - (long)(r->chunk_offset - r->carry_offset);
	*offset = r->carry_offset;
}

/* Where the token that ends at `last` begins, when it begins in this chunk
 * after the carried one: a string back to its opening quote (one preceded
 * by an even number of backslashes), a number or literal back over its
 * characters. */
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
	if (!token_char[chunk[last]])
		return last; /* a bracket, brace, comma or colon is a token of its own */
	while (i > 0 && token_char[chunk[i - 1]])
		i--;
	return i;
}

/*
 * Where the token yajl has just read begins. yajl says where it ends in the
 * current chunk (bytes consumed; 0 when a number ended with the chunk
 * before). A token that began in an earlier chunk holds no newline (JSON
 * strings cannot, numbers and literals do not), so its column is counted
 * back from the chunk's start.
 */
static void token_position(const struct sg_json_reader *r, long *line, long *column,
			   unsigned long long *offset)
{
	size_t pos = r->yajl ? yajl_get_bytes_consumed(r->yajl) : 0;
	size_t at;

	if (pos > 0 && r->chunk && (r->carry == CARRY_NONE || pos - 1 >= r->carry_extent)) {
		at = token_start(r->chunk, pos - 1);
		position_in_chunk(r, at, line, column);
		*offset = r->chunk_offset + at;
	} else if (r->carry != CARRY_NONE) {
		carry_position(r, line, column, offset);
	} else {
		*line = r->chunk_line;
		*column = r->chunk_column;
		*offset = r->chunk_offset;
	}
	if (r->value_end > *offset) { /* inside a run of token bytes: no newline */
		*column += (long)(r->value_end - *offset);
		*offset = r->value_end;
	}
}

void sg_json_position(const struct sg_json_reader *r, long *line, long *column, long long *offset)
{
	unsigned long long at;

	token_position(r, line, column, &at);
	*offset = (long long)at;
}

int sg_json_fail(struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
{
	va_list ap;
	long line, column;
	unsigned long long offset;

	r->failed = 1;
	r->err->diag = diag;
	r->err->code = sg_diag_code(diag);
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(r->err->message, sizeof(r->err->message), fmt, ap);
	va_end(ap);
	token_position(r, &line, &column, &offset);
	fill_at(r, line, column, offset);
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

/* A token was read: if it ended within the carried token's extent, it was
 * that one (nothing else ends there). */
static void note_carry_read(struct sg_json_reader *r)
{
	if (r->carry != CARRY_NONE && !r->carry_used && yajl_get_bytes_consumed(r->yajl) <= r->carry_extent)
		r->carry_used = 1;
}

static int deliver(struct sg_json_reader *r, enum sg_json_type type, const char *text, size_t len)
{
	struct sg_json_event ev = {type, NULL, 0};

	note_carry_read(r);
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
	r->value_end = r->chunk_offset + yajl_get_bytes_consumed(r->yajl);
	/* A handler may fill an error and go on (the SARIF reader notes a
	 * structural problem until it knows the version): that did not stop
	 * the parse, so a syntax error further on is still reported as such. */
	r->failed = 0;
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

	note_carry_read(r);
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

/* The first byte the pre-scan refuses. */
struct scan_problem {
	enum sg_diag diag; /* SG_DIAG_NONE: none */
	const char *message;
};

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

static size_t refuse(struct scan_problem *bad, size_t at, enum sg_diag diag, const char *message)
{
	bad->diag = diag;
	bad->message = message;
	return at;
}

/*
 * What yajl cannot enforce: no NUL byte anywhere, and no string longer than
 * SG_JSON_MAX_STRING_BYTES (checked before yajl buffers it). Only quotes and
 * backslashes matter, so the scan jumps from one to the next.
 *
 * Returns how many bytes are fine: all n, or the index of the first byte
 * refused (described in *bad). The bytes before it are still parsed, so that
 * an error in them comes first, as it would have with any other chunking.
 * The string limit is kept as string_len <= SG_JSON_MAX_STRING_BYTES, so
 * that the byte that goes over is the one named.
 */
static size_t prescan(struct sg_json_reader *r, const unsigned char *p, size_t n, struct scan_problem *bad)
{
	const unsigned char *nul = memchr(p, '\0', n);
	size_t i = 0, end = nul ? (size_t)(nul - p) : n;

	while (i < end) {
		if (!r->in_string) {
			/* Outside strings, bound numbers and literals too: yajl
			 * buffers and re-lexes a token that spans chunks. */
			for (; i < end && p[i] != '"'; i++) {
				if (token_char[p[i]]) {
					if (++r->token_len > SG_JSON_MAX_TOKEN_BYTES)
						return refuse(bad, i, SG_DIAG_LIMIT_EXCEEDED,
							      "number or literal longer than the limit");
				} else {
					r->token_len = 0;
				}
			}
			if (i == end)
				break;
			r->string_start = r->chunk_offset + i;
			i++;
			r->token_len = 0;
			r->in_string = 1;
			r->escaped = 0;
			r->string_len = 0;
			continue;
		}
		if (r->escaped) {
			r->escaped = 0;
			if (++r->string_len > SG_JSON_MAX_STRING_BYTES)
				return refuse(bad, i, SG_DIAG_LIMIT_EXCEEDED, "string longer than the limit (1 MiB)");
			i++;
			continue;
		}
		{
			/* memchr runs a word at a time: strings are most of a
			 * document's bytes (measured: the scan was a third of
			 * reading OSV records). */
			size_t start = i, room = SG_JSON_MAX_STRING_BYTES - r->string_len;
			const unsigned char *q = memchr(p + i, '"', end - i);
			const unsigned char *b = memchr(p + i, '\\', (size_t)((q ? q : p + end) - (p + i)));
			i = (size_t)((b ? b : q ? q : p + end) - p);
			if (i - start > room)
				return refuse(bad, start + room, SG_DIAG_LIMIT_EXCEEDED,
					      "string longer than the limit (1 MiB)");
			r->string_len += i - start;
			if (i == end)
				break;
			if (p[i] == '"') {
				r->in_string = 0;
			} else {
				r->escaped = 1;
				if (++r->string_len > SG_JSON_MAX_STRING_BYTES)
					return refuse(bad, i, SG_DIAG_LIMIT_EXCEEDED,
						      "string longer than the limit (1 MiB)");
			}
			i++;
		}
	}
	if (nul)
		return refuse(bad, end, SG_DIAG_JSON_NUL, "NUL byte in JSON text");
	return n;
}

/* White space as yajl's lexer skips it. */
static int json_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Where yajl's error is. Its offset (bytes consumed in this chunk) means
 * one of three things, and a token that began in an earlier chunk moves it:
 *  - a lexical error: at the offending byte (yajl put it back), or, for
 *    bad UTF-8 and a stray character, just past it; at 0, the offending
 *    byte ended the chunk before (a token holds no newline: on this line);
 *  - "after key and value, inside map": yajl moved it back by the token's
 *    length (not a string's quotes; to 0 at most): the token is found from
 *    the last value's end instead, and pointed at;
 *  - any other parse error: just past the offending token: point at its
 *    start, as for an event.
 */
static void yajl_error_position(struct sg_json_reader *r, const char *text)
{
	size_t pos = yajl_get_bytes_consumed(r->yajl);
	long line, column;
	unsigned long long offset;

	if (strncmp(text, "lexical error", 13) == 0) {
		/* Most lexical errors put the offending byte back: it is at pos
		 * (a byte yajl kept from the chunk before is never the one). */
		if (!strstr(text, "invalid bytes in utf8") && !strstr(text, "invalid char in json text"))
			fill_position(r, pos);
		else if (pos > 0 || r->chunk_offset <= r->doc_start || r->chunk_column <= 1)
			fill_position(r, pos > 0 ? pos - 1 : 0);
		else
			fill_at(r, r->chunk_line, r->chunk_column - 1, r->chunk_offset - 1);
		return;
	}
	if (!strstr(text, "after key and value")) {
		token_position(r, &line, &column, &offset);
		fill_at(r, line, column, offset);
		return;
	}
	/* yajl's own offset is unusable here (it subtracts the token's length
	 * but not a string's quotes, and stops at 0): the offending token is
	 * the first after the last value, and it began before this chunk only
	 * when it is the carried one. */
	if (r->carry != CARRY_NONE && !r->carry_used) {
		carry_position(r, &line, &column, &offset);
		if (r->value_end > offset) {
			column += (long)(r->value_end - offset);
			offset = r->value_end;
		}
		fill_at(r, line, column, offset);
	} else {
		size_t i = r->value_end > r->chunk_offset ? (size_t)(r->value_end - r->chunk_offset) : 0;
		while (r->chunk && i < r->chunk_len && json_space(r->chunk[i]))
			i++;
		fill_position(r, i);
	}
}

static int yajl_failure(struct sg_json_reader *r, int at_end)
{
	unsigned char *msg;
	char text[200] = "";
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
	/* At the end of input, a cut token (a lexical error) or a missing close
	 * is a truncation; text after the document, or a token in the wrong
	 * place that only the end completed ("{"a":1 2"), is not. */
	if (at_end && strstr(text, "trailing garbage")) {
		sg_error_set(r->err, SG_DIAG_JSON_SYNTAX, "invalid JSON: text after the document");
		yajl_error_position(r, text);
	} else if (at_end && strncmp(text, "parse error", 11) == 0 && !strstr(text, "premature eof")) {
		sg_error_set(r->err, SG_DIAG_JSON_SYNTAX, "invalid JSON: %s", text);
		yajl_error_position(r, text);
	} else if (at_end) {
		sg_error_set(r->err, SG_DIAG_JSON_TRUNCATED, "document ends early (%s)",
			     text[0] ? text : "incomplete JSON");
		fill_position(r, 0);
	} else {
		sg_error_set(r->err, SG_DIAG_JSON_SYNTAX, "invalid JSON: %s", text);
		yajl_error_position(r, text);
	}
	return r->err->code;
}

/* The chunk p[0..n) (NULL at the end of input) comes next. */
static void begin_chunk(struct sg_json_reader *r, const unsigned char *p, size_t n)
{
	r->carry = r->in_string ? CARRY_STRING : r->token_len ? CARRY_TOKEN : CARRY_NONE;
	r->carry_offset = r->in_string ? r->string_start : r->total - r->token_len;
	r->carry_extent = p ? carry_extent(p, n, r->carry, r->escaped) : 0;
	r->carry_used = 0;
	r->chunk = p;
	r->chunk_len = n;
	r->chunk_offset = r->total;
	r->chunk_line = r->line;
	r->chunk_column = r->column;
}

static int parse_chunk(struct sg_json_reader *r, const unsigned char *p, size_t n)
{
	struct scan_problem bad = {SG_DIAG_NONE, NULL};
	size_t fits = n, good;
	int rc = 0;

	/* The document limit is checked where it is crossed, whatever the
	 * chunking: the bytes up to it are read first. */
	if (r->total + n > SG_JSON_MAX_DOCUMENT_BYTES)
		fits = (size_t)(SG_JSON_MAX_DOCUMENT_BYTES - r->total);
	begin_chunk(r, p, n);
	good = prescan(r, p, fits, &bad);
	if (good > 0 && yajl_parse(r->yajl, p, good) != yajl_status_ok) {
		rc = yajl_failure(r, 0);
	} else if (bad.diag != SG_DIAG_NONE) {
		rc = sg_error_set(r->err, bad.diag, "%s", bad.message);
		fill_position(r, good);
	} else {
		count_lines(r, p, good);
		r->total += good;
		if (fits < n) {
			begin_chunk(r, NULL, 0);
			rc = sg_error_set(r->err, SG_DIAG_LIMIT_EXCEEDED, "document larger than %llu bytes",
					  (unsigned long long)SG_JSON_MAX_DOCUMENT_BYTES);
			fill_position(r, 0);
		}
	}
	/* The caller's bytes are not ours to keep. */
	r->chunk = NULL;
	r->chunk_len = 0;
	return rc;
}

/* End of input: the document must be complete. */
static int finish_document(struct sg_json_reader *r)
{
	begin_chunk(r, NULL, 0);
	if (r->total == 0) {
		sg_error_set(r->err, SG_DIAG_JSON_TRUNCATED, "empty document");
		sg_error_where(r->err, r->where);
		r->err->offset = 0;
		return r->err->code;
	}
	if (yajl_complete_parse(r->yajl) != yajl_status_ok)
		return yajl_failure(r, 1);
	return 0;
}

/* ---- the push interface, and sg_json_parse() over it ---- */

enum push_state {
	PUSH_OPEN,
	PUSH_FAILED,
	PUSH_FINISHED,
};

#define UTF8_BOM "\xEF\xBB\xBF"

/*
 * Pushed bytes are gathered into blocks of SG_JSON_READ_CHUNK, the blocks
 * sg_json_parse() reads, before yajl sees them. Two reasons: yajl lexes a
 * token split between two calls again from its start at every call, so a
 * client trickling a 1 MiB string one byte at a time would cost some
 * 5 * 10^11 steps (quadratic); and the same blocks make pushed and read
 * documents alike by construction. A bad document is still refused within
 * one block of the byte that shows it.
 */
struct sg_json_push {
	struct sg_json_reader r;
	char where[sizeof(((struct sg_error *)0)->where)];
	unsigned char *block;
	size_t block_len;
	int started;           /* the byte order mark question is settled */
	enum push_state state;
	struct sg_error result; /* the error that ended the parse */
};

int sg_json_push_new(const char *where, sg_json_handler_fn fn, void *ctx, struct sg_json_push **out,
		     struct sg_error *err)
{
	struct sg_json_push *p;
	struct sg_json_reader *r;

	*out = NULL;
	p = sg_calloc(1, sizeof(*p));
	if (!p || !(p->block = sg_malloc(SG_JSON_READ_CHUNK))) {
		sg_free(p);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	snprintf(p->where, sizeof(p->where), "%s", where ? where : "");
	r = &p->r;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->where = p->where;
	r->line = r->chunk_line = 1;
	r->column = r->chunk_column = 1;
	sg_buf_init(&r->scratch, SG_JSON_MAX_STRING_BYTES);
	r->yajl = yajl_alloc(&callbacks, NULL, r);
	if (!r->yajl) {
		sg_json_push_free(p);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	/* Strict JSON: no comments, one value, UTF-8 validated, nothing after it. */
	yajl_config(r->yajl, yajl_allow_comments, 0);
	yajl_config(r->yajl, yajl_dont_validate_strings, 0);
	yajl_config(r->yajl, yajl_allow_trailing_garbage, 0);
	yajl_config(r->yajl, yajl_allow_multiple_values, 0);
	yajl_config(r->yajl, yajl_allow_partial_values, 0);
	*out = p;
	return 0;
}

/* The parse is over: say how it ended. */
static int push_ended(struct sg_json_push *p, struct sg_error *err)
{
	if (p->state == PUSH_FAILED) {
		*err = p->result;
		return err->code;
	}
	sg_error_where(err, p->where);
	return sg_error_set(err, SG_DIAG_INTERNAL, "the document was fed after its end");
}

/* Parse the block gathered so far. */
static int push_flush(struct sg_json_push *p, struct sg_error *err)
{
	const unsigned char *d = p->block;
	size_t n = p->block_len;
	int rc = 0;

	p->r.err = err;
	p->block_len = 0;
	if (!p->started) {
		/* A UTF-8 byte order mark is not JSON, but real tools write one. */
		p->started = 1;
		if (n >= 3 && memcmp(d, UTF8_BOM, 3) == 0) {
			d += 3;
			n -= 3;
			p->r.total = p->r.doc_start = 3;
		}
	}
	if (n > 0)
		rc = parse_chunk(&p->r, d, n);
	if (rc) {
		p->state = PUSH_FAILED;
		p->result = *err;
	}
	return rc;
}

int sg_json_push_feed(struct sg_json_push *p, const void *data, size_t len, struct sg_error *err)
{
	const unsigned char *d = data;
	size_t take;
	int rc = 0;

	if (p->state != PUSH_OPEN)
		return push_ended(p, err);
	while (rc == 0 && len > 0) {
		take = SG_JSON_READ_CHUNK - p->block_len;
		if (take > len)
			take = len;
		memcpy(p->block + p->block_len, d, take);
		p->block_len += take;
		d += take;
		len -= take;
		if (p->block_len == SG_JSON_READ_CHUNK)
			rc = push_flush(p, err);
	}
	return rc;
}

int sg_json_push_finish(struct sg_json_push *p, struct sg_error *err)
{
	int rc = 0;

	if (p->state == PUSH_FINISHED)
		return 0;
	if (p->state != PUSH_OPEN)
		return push_ended(p, err);
	if (p->block_len > 0 || !p->started)
		rc = push_flush(p, err);
	if (rc)
		return rc;
	p->r.err = err;
	rc = finish_document(&p->r);
	if (rc) {
		p->state = PUSH_FAILED;
		p->result = *err;
		return rc;
	}
	p->state = PUSH_FINISHED;
	return 0;
}

void sg_json_push_free(struct sg_json_push *p)
{
	if (!p)
		return;
	if (p->r.yajl)
		yajl_free(p->r.yajl);
	sg_buf_release(&p->r.scratch);
	sg_free(p->block);
	sg_free(p);
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
	struct sg_json_push *p = NULL;
	ssize_t n;
	int rc;

	if ((rc = sg_json_push_new(where, fn, ctx, &p, err)))
		return rc;
	/* Read straight into the push's block: the same blocks, no copy. */
	for (;;) {
		n = read_full(src, p->block, SG_JSON_READ_CHUNK);
		if (n < 0) {
			rc = sg_error_set(err, SG_DIAG_FILE_READ, "cannot read: %s", strerror(errno));
			sg_error_where(err, where);
			goto out;
		}
		if (n == 0)
			break;
		p->block_len = (size_t)n;
		if ((rc = push_flush(p, err)))
			goto out;
	}
	rc = sg_json_push_finish(p, err);
out:
	sg_json_push_free(p);
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

ssize_t sg_json_mem_read(void *ctx, void *buf, size_t len)
{
	struct sg_json_mem *m = ctx;
	size_t n = m->len - m->off;

	if (n > len)
		n = len;
	memcpy(buf, m->data + m->off, n);
	m->off += n;
	return (ssize_t)n;
}
