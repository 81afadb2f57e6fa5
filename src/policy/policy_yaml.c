/*
 * The policy file, read through libyaml's event API.
 *
 * Two layers, kept apart: the event pump (next_event) walks the document and
 * enforces the safe subset of YAML for any content (one document, no
 * aliases, anchors or tags, bounded depth and list length) while keeping the
 * YAML path of the current node; the builders below it read like the table of
 * keys in DESIGN.md section 5 and only check values.
 *
 * The text is read twice. The first pass only pumps events, so that the
 * structural limits hold for the whole document before any of it is
 * interpreted: a 1000-level nest is a limit error wherever it sits, and a
 * syntax error is reported as such even after a wrong value. The second pass
 * builds the model. A policy is at most 1 MiB, so twice is cheap.
 */
#include "policy/policy_yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "core/principal.h"
#include "sca/license.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/limits.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PATH_BYTES 256    /* = sizeof(struct sg_error.pointer) */
#define QUOTE_BYTES 96    /* a quoted excerpt in a message */
#define QUOTE_INPUT 60    /* bytes of the subject shown before "..." */
#define READ_CHUNK 65536

#define MAX_AGE_DAYS_MAX 3650
#define DEFAULT_MAX_AGE_DAYS 7
#define DEFAULT_SCA_MAX_AGE_DAYS 30
#define EXCEPTION_MAX_DAYS_MAX 3650
#define DEFAULT_EXCEPTION_MAX_DAYS 90
#define SLA_DAYS_MAX 3650

/* One container open around the current event. */
struct level {
	int is_list;
	int key_next;  /* mapping: the next node is a key, not a value */
	size_t items;  /* list: items seen so far */
	size_t base;   /* length of the container's own path in pctx.path */
};

/* The walking layer: parser, current event, position and path. */
struct pctx {
	yaml_parser_t parser;
	yaml_event_t ev;
	int have_ev;
	const char *text;      /* what libyaml reads: the text after any BOM */
	size_t len;
	size_t skipped;        /* bytes of BOM before it */
	struct sg_error *err;
	int documents;
	int depth;
	struct level levels[SG_POLICY_MAX_DEPTH];
	char path[PATH_BYTES]; /* YAML path of the current node; "" is the root */
	size_t path_len;
};

/* The building layer: the model and the override being read. */
struct build {
	struct sg_policy *p;
	size_t cap;
	struct sg_severity_override cur;
	size_t deny_cap, allow_cap;
};

/* ---- positions, paths and messages ---- */

static yaml_mark_t offset_mark(const char *text, size_t len, size_t offset)
{
	yaml_mark_t m = {0, 0, 0};
	size_t i;

	if (offset > len)
		offset = len;
	/* Columns count characters, as libyaml's marks do, not bytes. */
	for (i = 0; i < offset; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\n') {
			m.line++;
			m.column = 0;
		} else if ((ch & 0xC0) != 0x80) {
			m.column++;
		}
	}
	m.index = offset;
	return m;
}

static size_t utf8_len(unsigned char lead)
{
	if (lead >= 0xF0)
		return 4;
	if (lead >= 0xE0)
		return 3;
	if (lead >= 0xC0)
		return 2;
	return 1;
}

/*
 * Escape one byte run for a path segment or a message excerpt. Path
 * segments follow RFC 6901 section 3 ("~" is written "~0", "/" is "~1") so
 * that a key holding "/" stays one segment; excerpts escape quotes. Control
 * characters never reach a one-line message raw. Multi-byte characters are
 * copied whole or not at all, so a cut leaves valid UTF-8.
 */
static size_t escape_into(char *out, size_t room, const char *s, size_t n, int for_path,
			  size_t *consumed)
{
	size_t len = 0, i = 0;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		char enc[8];
		const char *src = enc;
		size_t elen, clen = 1;

		if (for_path && (ch == '~' || ch == '/')) {
			enc[0] = '~';
			enc[1] = ch == '~' ? '0' : '1';
			elen = 2;
		} else if (!for_path && (ch == '"' || ch == '\\')) {
			enc[0] = '\\';
			enc[1] = (char)ch;
			elen = 2;
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(enc, sizeof(enc), "\\x%02x", ch);
			elen = 4;
		} else {
			clen = utf8_len(ch);
			if (clen > n - i)
				clen = n - i;
			src = s + i;
			elen = clen;
		}
		if (len + elen >= room)
			break;
		memcpy(out + len, src, elen);
		len += elen;
		i += clen;
	}
	out[len] = '\0';
	*consumed = i;
	return len;
}

/* `s` as a quoted single-line excerpt for a message, cut with "...". */
static const char *quote(char *out, size_t size, const char *s, size_t n)
{
	size_t used, consumed;

	out[0] = '"';
	used = 1 + escape_into(out + 1, size - 5, s, n < QUOTE_INPUT ? n : QUOTE_INPUT, 0,
			       &consumed);
	snprintf(out + used, size - used, "%s\"", consumed < n ? "..." : "");
	return out;
}

/* Make the current path the container at `base` plus one segment. */
static void path_enter(struct pctx *c, size_t base, const char *seg, size_t n)
{
	size_t len = base, consumed;

	if (len + 1 < sizeof(c->path)) {
		c->path[len++] = '/';
		len += escape_into(c->path + len, sizeof(c->path) - len, seg, n, 1, &consumed);
	}
	c->path[len] = '\0';
	c->path_len = len;
}

static const char *here(const struct pctx *c)
{
	return c->path_len ? c->path : "/";
}

/* The path of the container holding the current node, for "in /require". */
static const char *container_path(const struct pctx *c, char *out, size_t size)
{
	int level = c->depth - 1;
	size_t base;

	/* A node that opens a container is already on the stack itself. */
	if (c->ev.type == YAML_SEQUENCE_START_EVENT || c->ev.type == YAML_MAPPING_START_EVENT)
		level--;
	base = level >= 0 ? c->levels[level].base : 0;
	if (base == 0)
		return "/";
	snprintf(out, size, "%.*s", (int)base, c->path);
	return out;
}

static int fail_at(struct pctx *c, yaml_mark_t mark, enum sg_diag diag, const char *fmt, ...)
	SG_PRINTF(4, 5);

static int fail_at(struct pctx *c, yaml_mark_t mark, enum sg_diag diag, const char *fmt, ...)
{
	char msg[sizeof(c->err->message)];
	va_list ap;

	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->err->line = (long)mark.line + 1;
	c->err->column = (long)mark.column + 1;
	snprintf(c->err->pointer, sizeof(c->err->pointer), "%s", here(c));
	sg_error_set(c->err, diag, "%s", msg);
	/* Callers stop on non-zero: never let a failure read as success. */
	return c->err->code < 0 ? c->err->code : SG_EINTERNAL;
}

/* ---- the event pump: the safe subset of YAML, for any content ---- */

static int yaml_failure(struct pctx *c)
{
	const yaml_parser_t *p = &c->parser;
	const char *problem = p->problem ? p->problem : "invalid yaml";
	yaml_mark_t mark = p->problem_mark;
	int rc;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return fail_at(c, mark, SG_DIAG_NO_MEMORY, "out of memory");
	case YAML_READER_ERROR:
		/* Reader errors (bad UTF-8, control characters) carry a byte
		 * offset, not a mark; the reader decodes ahead of the parser,
		 * so the current path says nothing about them. */
		mark = offset_mark(c->text, c->len, p->problem_offset);
		rc = fail_at(c, mark, SG_DIAG_POLICY_SYNTAX, "invalid text: %s", problem);
		c->err->offset = (long long)p->problem_offset + (long long)c->skipped;
		c->err->pointer[0] = '\0';
		return rc;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		if (p->context)
			return fail_at(c, mark, SG_DIAG_POLICY_SYNTAX, "invalid yaml: %s %s",
				       problem, p->context);
		return fail_at(c, mark, SG_DIAG_POLICY_SYNTAX, "invalid yaml: %s", problem);
	default:
		return fail_at(c, mark, SG_DIAG_INTERNAL, "yaml parser failed: %s", problem);
	}
}

/*
 * Anchors and aliases make a tree a graph, and a few lines of aliases
 * expand to gigabytes ("billion laughs"); a policy has no use for them.
 * Tags would let the text pick its own types. Both are refused outright.
 */
static int check_node(struct pctx *c, const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_SYNTAX,
			       "anchors are not allowed");
	if (tag)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_SYNTAX, "tags are not allowed");
	return 0;
}

/* A node starts: count it in its list, or name it by its key. */
static int enter_node(struct pctx *c)
{
	struct level *top;
	char num[24];

	if (c->depth == 0)
		return 0;
	top = &c->levels[c->depth - 1];
	if (top->is_list) {
		if (top->items >= SG_POLICY_MAX_LIST_ITEMS) {
			c->path[top->base] = '\0';
			c->path_len = top->base;
			return fail_at(c, c->ev.start_mark, SG_DIAG_LIMIT_EXCEEDED,
				       "list longer than %d items", SG_POLICY_MAX_LIST_ITEMS);
		}
		snprintf(num, sizeof(num), "%zu", top->items++);
		path_enter(c, top->base, num, strlen(num));
	} else if (top->key_next) {
		if (c->ev.type == YAML_SCALAR_EVENT)
			path_enter(c, top->base, (const char *)c->ev.data.scalar.value,
				   c->ev.data.scalar.length);
		else
			path_enter(c, top->base, "?", 1);
		top->key_next = 0;
	} else {
		/* A value: its path is its key's, set just before. */
		top->key_next = 1;
	}
	return 0;
}

static int open_container(struct pctx *c, int is_list)
{
	struct level *l;

	if (c->depth >= SG_POLICY_MAX_DEPTH)
		return fail_at(c, c->ev.start_mark, SG_DIAG_LIMIT_EXCEEDED,
			       "nesting deeper than %d levels", SG_POLICY_MAX_DEPTH);
	l = &c->levels[c->depth++];
	l->is_list = is_list;
	l->key_next = 1;
	l->items = 0;
	l->base = c->path_len;
	return 0;
}

static int check_event(struct pctx *c)
{
	const yaml_event_t *ev = &c->ev;
	int rc;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return fail_at(c, ev->start_mark, SG_DIAG_POLICY_SYNTAX, "aliases are not allowed");
	case YAML_DOCUMENT_START_EVENT:
		if (++c->documents > 1)
			return fail_at(c, ev->start_mark, SG_DIAG_POLICY_SYNTAX,
				       "more than one document");
		if (ev->data.document_start.tag_directives.start !=
		    ev->data.document_start.tag_directives.end)
			return fail_at(c, ev->start_mark, SG_DIAG_POLICY_SYNTAX,
				       "tag directives are not allowed");
		return 0;
	case YAML_SCALAR_EVENT:
		rc = check_node(c, ev->data.scalar.anchor, ev->data.scalar.tag);
		return rc ? rc : enter_node(c);
	case YAML_SEQUENCE_START_EVENT:
		rc = check_node(c, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
		if (!rc)
			rc = enter_node(c);
		return rc ? rc : open_container(c, 1);
	case YAML_MAPPING_START_EVENT:
		rc = check_node(c, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
		if (!rc)
			rc = enter_node(c);
		return rc ? rc : open_container(c, 0);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		/* The path becomes the container's own, for checks at its end. */
		c->depth--;
		c->path_len = c->levels[c->depth].base;
		c->path[c->path_len] = '\0';
		return 0;
	default:
		return 0;
	}
}

/* Advance to the next event and check it. */
static int next_event(struct pctx *c)
{
	if (c->have_ev) {
		yaml_event_delete(&c->ev);
		c->have_ev = 0;
	}
	if (!yaml_parser_parse(&c->parser, &c->ev))
		return yaml_failure(c);
	c->have_ev = 1;
	return check_event(c);
}

/* Pass one: every event of the stream through the checks. */
static int check_stream(struct pctx *c)
{
	yaml_mark_t start = {0, 0, 0};
	int rc;

	do {
		rc = next_event(c);
		if (rc)
			return rc;
	} while (c->ev.type != YAML_STREAM_END_EVENT);
	if (c->documents == 0)
		return fail_at(c, start, SG_DIAG_POLICY_SYNTAX, "empty document");
	return 0;
}

/* ---- scalars ---- */

static int is_scalar(const struct pctx *c)
{
	return c->ev.type == YAML_SCALAR_EVENT;
}

static const char *scalar_text(const struct pctx *c)
{
	return (const char *)c->ev.data.scalar.value;
}

static size_t scalar_len(const struct pctx *c)
{
	return c->ev.data.scalar.length;
}

static int is_plain(const struct pctx *c)
{
	return is_scalar(c) && c->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* YAML 1.2.2 section 10.3.2 (core schema): null is "null | Null | NULL | ~"
 * or nothing at all, when plain. */
static int is_null(const struct pctx *c)
{
	static const char *const forms[] = {"", "~", "null", "Null", "NULL"};
	size_t i;

	if (!is_plain(c))
		return 0;
	for (i = 0; i < ARRAY_SIZE(forms); i++)
		if (strcmp(scalar_text(c), forms[i]) == 0)
			return 1;
	return 0;
}

/* A string value: a scalar that is not null and holds no NUL ("\0" escape). */
static int is_string(const struct pctx *c)
{
	return is_scalar(c) && !is_null(c) && !memchr(scalar_text(c), '\0', scalar_len(c));
}

static const char *scalar_quoted(const struct pctx *c, char *out, size_t size)
{
	if (!is_scalar(c))
		return "a list or mapping";
	return quote(out, size, scalar_text(c), scalar_len(c));
}

/*
 * YAML 1.2 booleans are true/false; YAML 1.1 also reads yes/no/on/off, and
 * a file some tool reads as 1.1 must not mean something else there. Only the
 * plain lower-case forms are accepted, so there is one way to write each.
 */
static int want_bool(struct pctx *c, const char *name, int *out)
{
	char q[QUOTE_BYTES];

	if (is_plain(c) && strcmp(scalar_text(c), "true") == 0) {
		*out = 1;
		return 0;
	}
	if (is_plain(c) && strcmp(scalar_text(c), "false") == 0) {
		*out = 0;
		return 0;
	}
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE, "%s must be true or false, not %s",
		       name, scalar_quoted(c, q, sizeof(q)));
}

/* A plain decimal integer without sign or leading zero: YAML 1.1 reads
 * 010 as octal 8, YAML 1.2 as 10; refusing it leaves no doubt. */
static int want_int(struct pctx *c, const char *name, long min, long max, long *out)
{
	const char *s;
	size_t n, i;
	long v = 0;

	if (!is_plain(c))
		goto bad;
	s = scalar_text(c);
	n = scalar_len(c);
	if (n == 0 || n > 9 || s[0] == '0')
		goto bad;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "%s must be an integer from %ld to %ld", name, min, max);
}

static int want_severity(struct pctx *c, enum sg_severity *out)
{
	char q[QUOTE_BYTES];

	if (is_string(c) && sg_severity_parse(scalar_text(c), out) == 0)
		return 0;
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "unknown severity %s: expected critical, high, medium, low or info",
		       scalar_quoted(c, q, sizeof(q)));
}

/* A tool or rule name as SARIF gives it: 1..255 bytes, no control characters. */
static int want_name(struct pctx *c, const char *name, char *out, size_t size)
{
	const char *s;
	size_t n, i;

	if (!is_string(c))
		goto bad;
	s = scalar_text(c);
	n = scalar_len(c);
	if (n == 0 || n >= size)
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			goto bad;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
bad:
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "%s must be a string of 1 to %zu bytes without control characters", name,
		       size - 1);
}

/* ---- the walker: a mapping against its table of keys ---- */

struct key_spec {
	const char *name;
	int required;
	/* Reads the value; c->ev is its first event. */
	int (*value)(struct pctx *c, struct build *b);
};

static int find_key(struct pctx *c, const struct key_spec *keys, size_t n_keys, size_t *out)
{
	char q[QUOTE_BYTES], in[PATH_BYTES];
	size_t i;

	if (!is_scalar(c) || is_null(c))
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_SYNTAX,
			       "a key must be a string in %s",
			       container_path(c, in, sizeof(in)));
	for (i = 0; i < n_keys; i++) {
		if (strlen(keys[i].name) == scalar_len(c) &&
		    memcmp(keys[i].name, scalar_text(c), scalar_len(c)) == 0) {
			*out = i;
			return 0;
		}
	}
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_UNKNOWN_KEY, "unknown key %s in %s",
		       quote(q, sizeof(q), scalar_text(c), scalar_len(c)),
		       container_path(c, in, sizeof(in)));
}

/* c->ev is MAPPING_START; returns with c->ev at its MAPPING_END. */
static int walk_mapping(struct pctx *c, const struct key_spec *keys, size_t n_keys,
			struct build *b)
{
	yaml_mark_t start = c->ev.start_mark;
	char in[PATH_BYTES];
	unsigned seen = 0;
	size_t i = 0;
	int rc;

	for (;;) {
		rc = next_event(c);
		if (rc)
			return rc;
		if (c->ev.type == YAML_MAPPING_END_EVENT)
			break;
		rc = find_key(c, keys, n_keys, &i);
		if (rc)
			return rc;
		if (seen & (1u << i))
			return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_DUPLICATE,
				       "duplicate key \"%s\" in %s", keys[i].name,
				       container_path(c, in, sizeof(in)));
		seen |= 1u << i;
		rc = next_event(c);
		if (!rc)
			rc = keys[i].value(c, b);
		if (rc)
			return rc;
	}
	for (i = 0; i < n_keys; i++)
		if (keys[i].required && !(seen & (1u << i)))
			return fail_at(c, start, SG_DIAG_POLICY_VALUE, "missing required key \"%s\" in %s",
				       keys[i].name, here(c));
	return 0;
}

/* ---- builders: DESIGN.md section 5, one function per key ---- */

/* "policy: secure-development  # id string, required, 1..127 chars of [A-Za-z0-9._-]" */
static int read_policy_id(struct pctx *c, struct build *b)
{
	const char *s;
	size_t n, i;

	if (!is_string(c))
		goto bad;
	s = scalar_text(c);
	n = scalar_len(c);
	if (n == 0 || n >= sizeof(b->p->id))
		goto bad;
	for (i = 0; i < n; i++)
		if (!sg_policy_id_char(s[i]))
			goto bad;
	memcpy(b->p->id, s, n);
	b->p->id[n] = '\0';
	return 0;
bad:
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "policy must be an id of 1 to %zu characters of A-Z a-z 0-9 . _ -",
		       sizeof(b->p->id) - 1);
}

/* "block_release: [critical, high]  # list of severities; required; may be empty []" */
static int read_block_release(struct pctx *c, struct build *b)
{
	enum sg_severity sev = SG_SEV_INFO;
	int rc;

	if (c->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "block_release must be a list of severities");
	for (;;) {
		rc = next_event(c);
		if (rc)
			return rc;
		if (c->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		rc = want_severity(c, &sev);
		if (rc)
			return rc;
		if (b->p->block_release & (1u << sev))
			return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_DUPLICATE,
				       "severity \"%s\" is listed twice", sg_severity_name(sev));
		b->p->block_release |= 1u << sev;
	}
}

static int want_max_age_days(struct pctx *c, int *out)
{
	long v = 0;
	int rc = want_int(c, "max_age_days", 1, MAX_AGE_DAYS_MAX, &v);

	if (!rc)
		*out = (int)v;
	return rc;
}

static int read_sast_on_release_commit(struct pctx *c, struct build *b)
{
	return want_bool(c, "on_release_commit", &b->p->sast.on_release_commit);
}

static int read_sast_max_age_days(struct pctx *c, struct build *b)
{
	return want_max_age_days(c, &b->p->sast.max_age_days);
}

static const struct key_spec sast_keys[] = {
	{"on_release_commit", 0, read_sast_on_release_commit},
	{"max_age_days", 0, read_sast_max_age_days},
};

/* "sast:  # optional; present = clause "sast" enabled" */
static int read_sast(struct pctx *c, struct build *b)
{
	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "sast must be a mapping (use {} for the defaults)");
	b->p->sast.enabled = 1;
	return walk_mapping(c, sast_keys, ARRAY_SIZE(sast_keys), b);
}

static int read_sca_on_release_commit(struct pctx *c, struct build *b)
{
	return want_bool(c, "on_release_commit", &b->p->sca.on_release_commit);
}

static int read_sca_max_age_days(struct pctx *c, struct build *b)
{
	return want_max_age_days(c, &b->p->sca.max_age_days);
}

static const struct key_spec sca_keys[] = {
	{"on_release_commit", 0, read_sca_on_release_commit},
	{"max_age_days", 0, read_sca_max_age_days},
};

/* "sca:  # optional; present = clause "sca" enabled (an SBOM is the evidence)" */
static int read_sca(struct pctx *c, struct build *b)
{
	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "sca must be a mapping (use {} for the defaults)");
	b->p->sca.enabled = 1;
	return walk_mapping(c, sca_keys, ARRAY_SIZE(sca_keys), b);
}

static const struct key_spec require_keys[] = {
	{"sast", 0, read_sast},
	{"sca", 0, read_sca},
};

/* "require:  # optional mapping; keys in this version: sast, sca" */
static int read_require(struct pctx *c, struct build *b)
{
	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "require must be a mapping");
	return walk_mapping(c, require_keys, ARRAY_SIZE(require_keys), b);
}

static int read_override_tool(struct pctx *c, struct build *b)
{
	return want_name(c, "tool", b->cur.tool, sizeof(b->cur.tool));
}

static int read_override_rule(struct pctx *c, struct build *b)
{
	return want_name(c, "rule", b->cur.rule, sizeof(b->cur.rule));
}

static int read_override_severity(struct pctx *c, struct build *b)
{
	return want_severity(c, &b->cur.severity);
}

static const struct key_spec override_keys[] = {
	{"tool", 1, read_override_tool},
	{"rule", 0, read_override_rule},
	{"severity", 1, read_override_severity},
};

/* Two entries for one (tool, rule) would leave the winner to list order. */
static int add_override(struct pctx *c, struct build *b, yaml_mark_t start)
{
	struct sg_policy *p = b->p;
	struct sg_severity_override *grown;
	char qt[QUOTE_BYTES], qr[QUOTE_BYTES];
	size_t i;

	for (i = 0; i < p->n_overrides; i++) {
		if (strcmp(p->overrides[i].tool, b->cur.tool) == 0 &&
		    strcmp(p->overrides[i].rule, b->cur.rule) == 0)
			return fail_at(c, start, SG_DIAG_POLICY_DUPLICATE,
				       "second override of tool %s %s%s",
				       quote(qt, sizeof(qt), b->cur.tool, strlen(b->cur.tool)),
				       b->cur.rule[0] ? "rule " : "(every rule)",
				       b->cur.rule[0] ? quote(qr, sizeof(qr), b->cur.rule,
							      strlen(b->cur.rule)) : "");
	}
	if (p->n_overrides == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;

		grown = sg_realloc_array(p->overrides, cap, sizeof(*grown));
		if (!grown)
			return fail_at(c, start, SG_DIAG_NO_MEMORY, "out of memory");
		p->overrides = grown;
		b->cap = cap;
	}
	p->overrides[p->n_overrides++] = b->cur;
	return 0;
}

/* "severity_overrides:  # optional list" of {tool, rule?, severity} */
static int read_overrides(struct pctx *c, struct build *b)
{
	yaml_mark_t start;
	int rc;

	if (c->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "severity_overrides must be a list");
	for (;;) {
		rc = next_event(c);
		if (rc)
			return rc;
		if (c->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (c->ev.type != YAML_MAPPING_START_EVENT)
			return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
				       "a severity override must be a mapping of tool, rule and severity");
		start = c->ev.start_mark;
		memset(&b->cur, 0, sizeof(b->cur));
		rc = walk_mapping(c, override_keys, ARRAY_SIZE(override_keys), b);
		if (!rc)
			rc = add_override(c, b, start);
		if (rc)
			return rc;
	}
}

/* "approver_role: cto  # the role whose members approve exceptions" */
static int read_approver_role(struct pctx *c, struct build *b)
{
	char q[QUOTE_BYTES];
	enum sg_role role;

	if (is_string(c) && sg_role_parse(scalar_text(c), &role) == 0) {
		snprintf(b->p->approver_role, sizeof(b->p->approver_role), "%s", sg_role_name(role));
		return 0;
	}
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "approver_role must be viewer, developer, security, cto or admin, not %s",
		       scalar_quoted(c, q, sizeof(q)));
}

/* "exception_max_days: 90  # the furthest expiry an exception may ask for" */
static int read_exception_max_days(struct pctx *c, struct build *b)
{
	long v = 0;
	int rc = want_int(c, "exception_max_days", 1, EXCEPTION_MAX_DAYS_MAX, &v);

	if (!rc)
		b->p->exception_max_days = (int)v;
	return rc;
}

/* "sla_days: {critical: 7, ...}  # present = clause remediate.sla enabled" */
static int read_sla_days(struct pctx *c, struct build *b)
{
	yaml_mark_t start;
	char q[QUOTE_BYTES], what[40];
	enum sg_severity sev;
	unsigned seen = 0;
	long v = 0;
	int rc;

	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "sla_days must be a mapping of severity to days");
	b->p->sla_enabled = 1;
	start = c->ev.start_mark;
	for (;;) {
		if ((rc = next_event(c)))
			return rc;
		if (c->ev.type == YAML_MAPPING_END_EVENT && !seen)
			return fail_at(c, start, SG_DIAG_POLICY_VALUE,
				       "sla_days names no severity: give at least one, or remove sla_days to drop "
				       "clause remediate.sla");
		if (c->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (!is_string(c) || sg_severity_parse(scalar_text(c), &sev) != 0)
			return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_UNKNOWN_KEY,
				       "unknown key %s in sla_days: expected critical, high, medium, low or info",
				       scalar_quoted(c, q, sizeof(q)));
		if (seen & (1u << sev))
			return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_DUPLICATE,
				       "duplicate key \"%s\" in sla_days", sg_severity_name(sev));
		seen |= 1u << sev;
		snprintf(what, sizeof(what), "sla_days.%s", sg_severity_name(sev));
		if ((rc = next_event(c)) || (rc = want_int(c, what, 1, SLA_DAYS_MAX, &v)))
			return rc;
		b->p->sla_days[sev] = (int)v;
	}
}

/* ---- licenses: SPDX ids (SPDX 2.3 Annex D) ---- */

#define LICENSE_REF "LicenseRef-"
#define LICENSE_REF_LEN (sizeof(LICENSE_REF) - 1)

static int idstring_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '.';
}

static int is_license_ref(const char *s, size_t n)
{
	return n >= LICENSE_REF_LEN && strncasecmp(s, LICENSE_REF, LICENSE_REF_LEN) == 0;
}

/* The form of an id (Annex D): idstring = 1*(ALPHA / DIGIT / "-" / "."), a
 * listed id optionally followed by "+" (this version or any later one), or
 * "LicenseRef-" idstring for a licence of one's own. */
static int spdx_id_form(const char *s, size_t n)
{
	size_t i, start = 0;

	if (is_license_ref(s, n))
		start = LICENSE_REF_LEN;
	else if (n > 1 && s[n - 1] == '+')
		n--;
	if (n <= start)
		return 0;
	for (i = start; i < n; i++)
		if (!idstring_char(s[i]))
			return 0;
	return 1;
}

/* A hint for an id off the SPDX list: an exception given as a licence, or a
 * licence written without its "-only" or "-or-later" suffix. */
static void unlisted_hint(const char *id, char *out, size_t size)
{
	char only[SG_POLICY_NAME_BYTES + 16], later[SG_POLICY_NAME_BYTES + 16];
	const char *exc = sg_license_canonical_exception(id), *a, *b;

	out[0] = '\0';
	if (exc) {
		snprintf(out, size, ": %s is a licence exception; \"X WITH %s\" is judged on the licence X", exc,
			 exc);
		return;
	}
	snprintf(only, sizeof(only), "%s-only", id);
	snprintf(later, sizeof(later), "%s-or-later", id);
	a = sg_license_canonical_id(only);
	b = sg_license_canonical_id(later);
	if (a && b)
		snprintf(out, size, "; did you mean %s or %s?", a, b);
	else if (a || b)
		snprintf(out, size, "; did you mean %s?", a ? a : b);
}

/*
 * An id of the SPDX licence list (deprecated ones too, matched without regard
 * to case, as SPDX says), that id with "+", or a LicenseRef-: any other id
 * would never match what an SBOM declares.
 */
static int check_listed(struct pctx *c, const char *list, const char *s, size_t len)
{
	char id[SG_POLICY_NAME_BYTES], q[QUOTE_BYTES], hint[2 * SG_POLICY_NAME_BYTES];
	size_t n;

	if (is_license_ref(s, len))
		return 0;
	/* The caller bounds len below sizeof(id); a cut id is never listed. */
	snprintf(id, sizeof(id), "%.*s", (int)len, s);
	n = strlen(id);
	if (n > 1 && id[n - 1] == '+')
		id[n - 1] = '\0';
	if (n == len && sg_license_canonical_id(id))
		return 0;
	unlisted_hint(id, hint, sizeof(hint));
	return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
		       "%s: %s is not on the SPDX licence list (LicenseRef-... names a licence of your own)%s",
		       list, quote(q, sizeof(q), s, len), hint);
}

/* Is `id` in `ids`? SPDX ids match without regard to case. */
static int find_id(char *const *ids, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(ids[i], id) == 0)
			return 1;
	return 0;
}

/*
 * One item of licenses.deny or licenses.allow, appended to its list. A
 * misspelt id would deny (or allow) nothing, silently: an id must be an SPDX
 * id. Twice in one list is a duplicate; in both lists a contradiction.
 */
static int add_license_id(struct pctx *c, struct build *b, int deny)
{
	struct sg_policy_licenses *l = &b->p->licenses;
	const char *list = deny ? "licenses.deny" : "licenses.allow";
	char ***ids = deny ? &l->deny : &l->allow;
	size_t *n = deny ? &l->n_deny : &l->n_allow;
	size_t *cap = deny ? &b->deny_cap : &b->allow_cap;
	char q[QUOTE_BYTES], *id, **grown;
	const char *s;
	size_t len;
	int rc;

	if (!is_string(c) || scalar_len(c) == 0 || scalar_len(c) >= SG_POLICY_NAME_BYTES)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "%s items must be SPDX licence ids of 1 to %d characters, not %s", list,
			       SG_POLICY_NAME_BYTES - 1, scalar_quoted(c, q, sizeof(q)));
	s = scalar_text(c);
	len = scalar_len(c);
	if (!spdx_id_form(s, len))
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "%s: %s is not an SPDX licence id (letters, digits, \".\" and \"-\", "
			       "or LicenseRef-...)", list, quote(q, sizeof(q), s, len));
	if ((rc = check_listed(c, list, s, len)))
		return rc;
	if (find_id(*ids, *n, s))
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_DUPLICATE,
			       "licence %s is listed twice in %s", quote(q, sizeof(q), s, len), list);
	if (find_id(deny ? l->allow : l->deny, deny ? l->n_allow : l->n_deny, s))
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "licence %s is both denied and allowed", quote(q, sizeof(q), s, len));
	if (*n == *cap) {
		size_t grow = *cap ? 2 * *cap : 8;

		grown = sg_realloc_array(*ids, grow, sizeof(*grown));
		if (!grown)
			return fail_at(c, c->ev.start_mark, SG_DIAG_NO_MEMORY, "out of memory");
		*ids = grown;
		*cap = grow;
	}
	id = sg_strndup(s, len);
	if (!id)
		return fail_at(c, c->ev.start_mark, SG_DIAG_NO_MEMORY, "out of memory");
	(*ids)[(*n)++] = id;
	return 0;
}

static int read_license_list(struct pctx *c, struct build *b, int deny)
{
	int rc;

	if (c->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "licenses.%s must be a list of SPDX licence ids", deny ? "deny" : "allow");
	for (;;) {
		if ((rc = next_event(c)))
			return rc;
		if (c->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if ((rc = add_license_id(c, b, deny)))
			return rc;
	}
}

static int read_license_deny(struct pctx *c, struct build *b)
{
	return read_license_list(c, b, 1);
}

static int read_license_allow(struct pctx *c, struct build *b)
{
	return read_license_list(c, b, 0);
}

static int read_license_severity(struct pctx *c, struct build *b)
{
	return want_severity(c, &b->p->licenses.severity);
}

static const struct key_spec license_keys[] = {
	{"deny", 0, read_license_deny},
	{"allow", 0, read_license_allow},
	{"severity", 0, read_license_severity},
};

/* "licenses: {deny: [...], allow: [...], severity: high}  # present = licence policy" */
static int read_licenses(struct pctx *c, struct build *b)
{
	yaml_mark_t start = c->ev.start_mark;
	int rc;

	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "licenses must be a mapping of deny, allow and severity");
	b->p->licenses.enabled = 1;
	if ((rc = walk_mapping(c, license_keys, ARRAY_SIZE(license_keys), b)))
		return rc;
	/* Neither list would accept every licence while looking enforced. */
	if (b->p->licenses.n_deny == 0 && b->p->licenses.n_allow == 0)
		return fail_at(c, start, SG_DIAG_POLICY_VALUE,
			       "licenses names no licence: give deny or allow, or remove licenses");
	return 0;
}

static const struct key_spec root_keys[] = {
	{"policy", 1, read_policy_id},
	{"block_release", 1, read_block_release},
	{"approver_role", 0, read_approver_role},
	{"exception_max_days", 0, read_exception_max_days},
	{"sla_days", 0, read_sla_days},
	{"require", 0, read_require},
	{"severity_overrides", 0, read_overrides},
	{"licenses", 0, read_licenses},
};

/* Pass two: the one document, built into b->p. */
static int build_document(struct pctx *c, struct build *b)
{
	int rc, i;

	/* STREAM_START, DOCUMENT_START, then the root node. */
	for (i = 0; i < 3; i++) {
		rc = next_event(c);
		if (rc)
			return rc;
	}
	if (is_null(c))
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_SYNTAX, "empty document");
	if (c->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(c, c->ev.start_mark, SG_DIAG_POLICY_VALUE,
			       "the policy must be a mapping of keys to values");
	b->p->sast.enabled = 0;
	b->p->sast.on_release_commit = 1;
	b->p->sast.max_age_days = DEFAULT_MAX_AGE_DAYS;
	b->p->sca.enabled = 0;
	b->p->sca.on_release_commit = 1;
	b->p->sca.max_age_days = DEFAULT_SCA_MAX_AGE_DAYS;
	b->p->licenses.severity = SG_SEV_HIGH;
	snprintf(b->p->approver_role, sizeof(b->p->approver_role), "%s", sg_role_name(SG_ROLE_CTO));
	b->p->exception_max_days = DEFAULT_EXCEPTION_MAX_DAYS;
	return walk_mapping(c, root_keys, ARRAY_SIZE(root_keys), b);
}

/* One pass over the text: checks only when p is NULL, else builds into p. */
static int run_pass(const char *text, size_t len, struct sg_policy *p, struct sg_error *err)
{
	struct pctx c;
	struct build b;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&b, 0, sizeof(b));
	/* UTF-8 only, so no UTF-16 is guessed from a byte order mark. With the
	 * encoding fixed, libyaml counts a UTF-8 BOM as a column of line 1 and
	 * misreads the indentation after it, so it is skipped here. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.skipped = 3;
	c.text = text + c.skipped;
	c.len = len - c.skipped;
	c.err = err;
	b.p = p;
	if (!yaml_parser_initialize(&c.parser))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)c.text, c.len);
	rc = p ? build_document(&c, &b) : check_stream(&c);
	if (c.have_ev)
		yaml_event_delete(&c.ev);
	yaml_parser_delete(&c.parser);
	return rc;
}

int sg_policy_parse(const char *text, size_t len, const char *source, struct sg_policy *out,
		    struct sg_error *err)
{
	const char *nul;
	yaml_mark_t m;
	int rc;

	memset(out, 0, sizeof(*out));
	sg_error_clear(err);
	if (!source)
		source = "";
	if (!text) {
		text = "";
		len = 0;
	}
	if (len > SG_POLICY_MAX_BYTES) {
		rc = sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "policy larger than %u bytes",
				  SG_POLICY_MAX_BYTES);
		goto out;
	}
	/* libyaml would stop at a NUL too, but a plain message is kinder. */
	nul = memchr(text, '\0', len);
	if (nul) {
		m = offset_mark(text, len, (size_t)(nul - text));
		err->line = (long)m.line + 1;
		err->column = (long)m.column + 1;
		err->offset = nul - text;
		rc = sg_error_set(err, SG_DIAG_POLICY_SYNTAX, "nul byte in policy text");
		goto out;
	}
	rc = run_pass(text, len, NULL, err);
	if (!rc)
		rc = run_pass(text, len, out, err);
out:
	if (rc) {
		sg_error_where(err, source);
		sg_policy_release(out);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	sg_sha256(text, len, out->sha256);
	snprintf(out->source, sizeof(out->source), "%s", source);
	return 0;
}

/* ---- files ---- */

static int read_fd(int fd, struct sg_buf *buf, struct sg_error *err)
{
	char chunk[READ_CHUNK];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sg_error_set(err, SG_DIAG_FILE_READ, "cannot read: %s", strerror(errno));
		if (n == 0)
			return 0;
		if (sg_buf_add(buf, chunk, (size_t)n) != 0)
			break;
	}
	if (sg_buf_error(buf) == SG_ENOMEM)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "policy file larger than %u bytes",
			    SG_POLICY_MAX_BYTES);
}

int sg_policy_load_file(const char *path, struct sg_policy *out, struct sg_error *err)
{
	struct sg_buf buf;
	struct stat st;
	int fd = -1, rc;

	memset(out, 0, sizeof(*out));
	sg_error_clear(err);
	sg_buf_init(&buf, SG_POLICY_MAX_BYTES);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		goto out;
	}
	/* A FIFO or a device could block or never end. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = sg_error_set(err, SG_DIAG_FILE_READ, "not a regular file");
		goto out;
	}
	rc = read_fd(fd, &buf, err);
	if (rc)
		goto out;
	rc = sg_policy_parse(buf.data, buf.len, path, out, err);
out:
	if (rc)
		sg_error_where(err, path);
	if (fd >= 0)
		close(fd);
	sg_buf_release(&buf);
	return rc;
}
