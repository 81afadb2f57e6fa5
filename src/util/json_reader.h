/*
 * The streaming JSON reader every parser uses.
 *
 * It wraps yajl 2 (push parser; Debian's libyajl2, which carries the upstream
 * security fixes) behind this interface and adds what yajl lacks for hostile
 * input: a document size limit, a nesting depth limit, a string length limit
 * enforced before yajl buffers the string, rejection of NUL bytes, line and
 * column tracking, and the JSON pointer of every event. The choice of yajl over
 * a DOM library is measured in bench/ (README there): memory stays flat in the
 * size of the document.
 *
 * Events are pushed to a handler one at a time. Scalars arrive as text: strings
 * decoded and NUL-terminated (an embedded NUL is rejected), numbers as their
 * literal text. The path of an event is the key or index of each enclosing
 * container; for OBJECT_START/ARRAY_START and their END events it is the path
 * of the container itself, exactly as for a scalar in that place.
 *
 * A handler returns 0 to go on, or the (negative) result of sg_json_fail() to
 * stop; sg_json_parse() then returns that code with the error filled in,
 * including the position of the token being read.
 */
#ifndef SG_UTIL_JSON_READER_H
#define SG_UTIL_JSON_READER_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

enum sg_json_type {
	SG_JSON_NULL,
	SG_JSON_FALSE,
	SG_JSON_TRUE,
	SG_JSON_NUMBER,
	SG_JSON_STRING,
	SG_JSON_OBJECT_START,
	SG_JSON_OBJECT_END,
	SG_JSON_ARRAY_START,
	SG_JSON_ARRAY_END,
};

struct sg_json_event {
	enum sg_json_type type;
	const char *text; /* STRING and NUMBER: NUL-terminated; else NULL */
	size_t len;
};

struct sg_json_reader;

typedef int (*sg_json_handler_fn)(void *ctx, struct sg_json_reader *r,
				  const struct sg_json_event *ev);

/* Where bytes come from: read() returns bytes read, 0 at end, -1 on error. */
struct sg_json_source {
	ssize_t (*read)(void *ctx, void *buf, size_t len);
	void *ctx;
};

/*
 * Parse one JSON document from src, calling fn for each event. `where` names
 * the input in errors. A leading UTF-8 byte order mark is skipped.
 */
int sg_json_parse(const struct sg_json_source *src, const char *where,
		  sg_json_handler_fn fn, void *ctx, struct sg_error *err) SG_MUST_USE;

/*
 * The same parse, pushed: the caller hands the document over in chunks of
 * any size as they arrive (an upload). The bytes are parsed in blocks of
 * SG_JSON_READ_CHUNK, the blocks sg_json_parse() reads (it is this, fed
 * from its source), so events, limits, the byte order mark, diagnostics and
 * error positions do not depend on the chunk sizes, and a client trickling
 * bytes cannot make yajl lex a long token again at every byte. A bad
 * document is refused at the feed that completes the block showing it, or
 * at finish.
 *
 * Positions are the token's own wherever blocks end: a token or a UTF-8
 * character split between two blocks is placed where it begins.
 *
 * `where` is copied. A handler's sg_json_fail() fills the `err` of the feed
 * or finish call that is running. After an error, every later feed and
 * finish returns that error again (copied into their `err`); a feed after a
 * successful finish is an internal error, and finish again returns 0.
 * Memory stays bounded: one block, and yajl's copy of one (bounded) token.
 */
struct sg_json_push;

int sg_json_push_new(const char *where, sg_json_handler_fn fn, void *ctx, struct sg_json_push **out,
		     struct sg_error *err) SG_MUST_USE;
/* The next len bytes of the document. */
int sg_json_push_feed(struct sg_json_push *p, const void *data, size_t len, struct sg_error *err) SG_MUST_USE;
/* End of input: a document that stops short of its end is JSON_TRUNCATED. */
int sg_json_push_finish(struct sg_json_push *p, struct sg_error *err) SG_MUST_USE;
void sg_json_push_free(struct sg_json_push *p);

/* Number of containers around the current event (0 for the top-level value). */
int sg_json_depth(const struct sg_json_reader *r);
/* Key of the member at `level` (0-based, < depth), NULL if that level is an array. */
const char *sg_json_key(const struct sg_json_reader *r, int level);
/* Index at `level`, -1 if that level is an object. */
long long sg_json_index(const struct sg_json_reader *r, int level);

/*
 * Does the current path equal `pattern`? A pattern is a NULL-terminated list
 * of segments: a key, "#" for any array index, "*" for any object key. The
 * path must have exactly as many levels as the pattern.
 */
int sg_json_match(const struct sg_json_reader *r, const char *const *pattern);
/* Like sg_json_match, but the path only has to start with the pattern. */
int sg_json_match_prefix(const struct sg_json_reader *r, const char *const *pattern);

/*
 * Tags: during an OBJECT_START or ARRAY_START event a handler may tag the
 * container being opened with a small non-zero number, and read it back for
 * every event inside it with sg_json_tag(r, level) (0 when untagged). This
 * lets a handler recognise "inside a result" with one integer compare instead
 * of comparing the keys of the whole path at every event.
 */
void sg_json_tag_container(struct sg_json_reader *r, int tag);
int sg_json_tag(const struct sg_json_reader *r, int level);

/* The current JSON pointer (RFC 6901), cut to fit. */
void sg_json_pointer(const struct sg_json_reader *r, char *out, size_t size);

/* Fill the reader's error with the current position and pointer; returns the code. */
int sg_json_fail(struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...) SG_PRINTF(3, 4);

/* Where the current event's token starts (line and column 1-based). */
void sg_json_position(const struct sg_json_reader *r, long *line, long *column, long long *offset);

/* Bytes of input consumed so far (for progress and limits). */
unsigned long long sg_json_offset(const struct sg_json_reader *r);

/*
 * Strict number conversions for event text. They return SG_EINPUT (without
 * touching the reader) when the text is not an integer / is out of range.
 */
int sg_json_text_to_ll(const char *text, long long *out) SG_MUST_USE;
int sg_json_text_to_double(const char *text, double *out) SG_MUST_USE;

/* A source reading from a file descriptor. */
ssize_t sg_json_fd_read(void *ctx, void *buf, size_t len);

/* A source reading from memory: {sg_json_mem_read, &(struct sg_json_mem){data, len, 0}}. */
struct sg_json_mem {
	const char *data;
	size_t len, off;
};
ssize_t sg_json_mem_read(void *ctx, void *buf, size_t len);

#endif
