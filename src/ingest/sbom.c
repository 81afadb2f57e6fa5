/*
 * SBOM reader: the file, the format markers and the version checks (see
 * sbom.h for the contract, sbom_internal.h for how the files share the work).
 *
 * One pass. The format is told by content: a top-level "bomFormat" of
 * "CycloneDX" (with "specVersion" 1.4, 1.5 or 1.6) or an "spdxVersion" of
 * "SPDX-2.2" or "SPDX-2.3". Members may come in any order, so components
 * read before the markers are handed over already (the caller's transaction
 * undoes them if the document then fails). A check that fails before the
 * version is known waits for it: a CycloneDX 1.3 file with a nameless
 * component is reported as CycloneDX 1.3, and an error that holds only in
 * some versions (an empty bom-ref is one from 1.5 on) is reported only if
 * the document is one of them.
 */
#include "ingest/sbom.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/sbom_internal.h"
#include "util/alloc.h"
#include "util/utf8.h"

const char *sbom_type_name(enum sg_json_type t)
{
	switch (t) {
	case SG_JSON_NULL: return "null";
	case SG_JSON_TRUE:
	case SG_JSON_FALSE: return "a boolean";
	case SG_JSON_NUMBER: return "a number";
	case SG_JSON_STRING: return "a string";
	case SG_JSON_OBJECT_START:
	case SG_JSON_OBJECT_END: return "an object";
	case SG_JSON_ARRAY_START:
	case SG_JSON_ARRAY_END: return "an array";
	default: return "a value";
	}
}

int sbom_at(const struct sg_json_reader *r, int base, const char *const *keys)
{
	int i;

	for (i = 0; keys[i]; i++) {
		const char *k;
		if (base + i >= sg_json_depth(r))
			return 0;
		k = sg_json_key(r, base + i);
		if (keys[i][0] == '#' && keys[i][1] == '\0') {
			if (k)
				return 0;
		} else if (!k || strcmp(k, keys[i]) != 0) {
			return 0;
		}
	}
	return base + i == sg_json_depth(r);
}

void sbom_copy_cut(char *out, size_t size, const char *s, size_t len)
{
	len = sg_utf8_cut(s, len, size - 1);
	memcpy(out, s, len);
	out[len] = '\0';
}

/* ------------------------------------------------------------------ */
/* errors that wait for the version                                    */

int sbom_fails_surely(const struct sbom_reader *s, unsigned mask)
{
	if (s->version >= 0)
		return (mask & SBOM_V(s->version)) != 0;
	if (s->format == SG_SBOM_CYCLONEDX)
		return (mask & SBOM_CDX_ALL) == SBOM_CDX_ALL;
	if (s->format == SG_SBOM_SPDX)
		return (mask & SBOM_SPDX_ALL) == SBOM_SPDX_ALL;
	return (mask & SBOM_CDX_ALL) == SBOM_CDX_ALL || (mask & SBOM_SPDX_ALL) == SBOM_SPDX_ALL;
}

int sbom_fail(struct sbom_reader *s, struct sg_json_reader *r, unsigned mask, enum sg_diag diag,
	      const char *fmt, ...)
{
	char message[sizeof(s->err->message)];
	struct sg_error e;
	va_list ap;
	int v;

	/* Only the first error per version is kept: later ones cost nothing
	 * (a hostile document may hold a million nameless components). */
	if (s->version < 0 && (mask & ~s->pending_set) == 0)
		return 0;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (s->version >= 0)
		return (mask & SBOM_V(s->version)) ? sg_json_fail(r, diag, "%s", message) : 0;
	/* Not sg_json_fail(): that marks the parse as failed, and this may
	 * never become an error. */
	sg_error_clear(&e);
	sg_error_where(&e, s->where);
	sg_json_position(r, &e.line, &e.column, &e.offset);
	sg_json_pointer(r, e.pointer, sizeof(e.pointer));
	if (e.pointer[0] == '\0')
		snprintf(e.pointer, sizeof(e.pointer), "/");
	sg_error_set(&e, diag, "%s", message);
	for (v = 0; v < SBOM_VERSIONS; v++) {
		if ((mask & SBOM_V(v)) && !(s->pending_set & SBOM_V(v))) {
			s->pending[v] = e;
			s->pending_set |= SBOM_V(v);
		}
	}
	return 0;
}

/* The version is known and supported: report what waited for it. */
static int confirm(struct sbom_reader *s, enum sbom_version v)
{
	s->version = (int)v;
	if (s->pending_set & SBOM_V(v)) {
		*s->err = s->pending[v];
		return s->err->code;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the markers                                                         */

static int is_end(const struct sg_json_event *ev)
{
	return ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END;
}

/* Fail pointing at specVersion's value, which may precede the event. */
static int fail_at_spec(struct sbom_reader *s, struct sg_json_reader *r, enum sg_diag diag, const char *message)
{
	int rc = sg_json_fail(r, diag, "%s", message);

	s->err->line = s->spec_line;
	s->err->column = s->spec_column;
	s->err->offset = s->spec_offset;
	snprintf(s->err->pointer, sizeof(s->err->pointer), "/specVersion");
	return rc;
}

static int check_cdx_version(struct sbom_reader *s, struct sg_json_reader *r)
{
	static const struct {
		const char *name;
		enum sbom_version v;
	} known[] = {{"1.4", SBOM_CDX14}, {"1.5", SBOM_CDX15}, {"1.6", SBOM_CDX16}};
	char message[160];
	size_t i;

	if (s->spec_not_string)
		return fail_at_spec(s, r, SG_DIAG_SBOM_INVALID, "\"specVersion\" must be a string");
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s->spec_version, known[i].name) == 0)
			return confirm(s, known[i].v);
	snprintf(message, sizeof(message),
		 "CycloneDX \"%s\" is not supported; shipgate reads CycloneDX 1.4, 1.5 and 1.6 (JSON)",
		 s->spec_version);
	return fail_at_spec(s, r, SG_DIAG_SBOM_UNSUPPORTED, message);
}

static int both_formats(struct sg_json_reader *r)
{
	return sg_json_fail(r, SG_DIAG_SBOM_INVALID,
			    "the document is both CycloneDX (\"bomFormat\", \"components\") and SPDX "
			    "(\"spdxVersion\", \"packages\")");
}

static int on_bom_format(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	char shown[64];

	if (is_end(ev))
		return 0;
	if (s->has_bom_format)
		return sg_json_fail(r, SG_DIAG_SBOM_INVALID, "\"bomFormat\" appears twice");
	s->has_bom_format = 1;
	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
				    "not a CycloneDX document: \"bomFormat\" is %s, not \"CycloneDX\"",
				    sbom_type_name(ev->type));
	if (strcmp(ev->text, "CycloneDX") != 0) {
		sbom_copy_cut(shown, sizeof(shown), ev->text, ev->len);
		return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
				    "not a CycloneDX document: \"bomFormat\" is \"%s\", not \"CycloneDX\"", shown);
	}
	if (s->has_spdx_version || s->body_spdx)
		return both_formats(r);
	s->format = SG_SBOM_CYCLONEDX;
	return s->has_spec_version ? check_cdx_version(s, r) : 0;
}

static int on_spec_version(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	if (is_end(ev))
		return 0;
	if (s->has_spec_version)
		return sbom_fail(s, r, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID, "\"specVersion\" appears twice");
	s->has_spec_version = 1;
	sg_json_position(r, &s->spec_line, &s->spec_column, &s->spec_offset);
	if (ev->type == SG_JSON_STRING)
		sbom_copy_cut(s->spec_version, sizeof(s->spec_version), ev->text, ev->len);
	else
		s->spec_not_string = 1;
	return s->format == SG_SBOM_CYCLONEDX ? check_cdx_version(s, r) : 0;
}

static int on_spdx_version(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	char shown[64];

	if (is_end(ev))
		return 0;
	if (s->has_spdx_version)
		return sg_json_fail(r, SG_DIAG_SBOM_INVALID, "\"spdxVersion\" appears twice");
	s->has_spdx_version = 1;
	if (s->has_bom_format || s->body_cdx)
		return both_formats(r);
	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_SBOM_INVALID, "\"spdxVersion\" must be a string, not %s",
				    sbom_type_name(ev->type));
	sbom_copy_cut(shown, sizeof(shown), ev->text, ev->len);
	/* SPDX 3 is JSON-LD with another model; DefectDojo's sample also
	 * labels one "SPDX-3.0" (FORMATS.md 4.2). */
	if (strncmp(ev->text, "SPDX-3", 6) == 0)
		return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
				    "SPDX 3 is not supported (\"%s\"); shipgate reads SPDX 2.2 and 2.3 JSON",
				    shown);
	s->format = SG_SBOM_SPDX;
	sbom_copy_cut(s->spec_version, sizeof(s->spec_version), shown, strlen(shown));
	if (strcmp(ev->text, "SPDX-2.3") == 0)
		return confirm(s, SBOM_SPDX23);
	/* 2.2 JSON has the same members for everything read here. */
	if (strcmp(ev->text, "SPDX-2.2") == 0)
		return confirm(s, SBOM_SPDX22);
	return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
			    "SPDX version \"%s\" is not supported; shipgate reads SPDX 2.2 and 2.3 JSON", shown);
}

/* JSON-LD "@context": SPDX 3 names its context there (a string, or a list). */
static int on_context(struct sg_json_reader *r, const struct sg_json_event *ev)
{
	if (ev->type == SG_JSON_OBJECT_START || ev->type == SG_JSON_ARRAY_START) {
		if (sg_json_depth(r) == 1)
			sg_json_tag_container(r, SBOM_TAG_CONTEXT);
		return 0;
	}
	if (ev->type == SG_JSON_STRING && strcasestr(ev->text, "spdx"))
		return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
				    "SPDX 3 (JSON-LD) is not supported; shipgate reads SPDX 2.2 and 2.3 JSON");
	return 0;
}

static int marker_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	const char *key = sg_json_key(r, 0);

	if (!key)
		return 0;
	if (strcmp(key, "bomFormat") == 0)
		return on_bom_format(s, r, ev);
	if (strcmp(key, "specVersion") == 0)
		return on_spec_version(s, r, ev);
	if (strcmp(key, "spdxVersion") == 0)
		return on_spdx_version(s, r, ev);
	if (strcmp(key, "@context") == 0)
		return on_context(r, ev);
	return 0;
}

int sbom_on_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sbom_reader *s = ctx;
	int depth = sg_json_depth(r), rc;

	if (depth == 0) {
		if (ev->type != SG_JSON_OBJECT_START && ev->type != SG_JSON_OBJECT_END)
			return sg_json_fail(r, SG_DIAG_SBOM_UNSUPPORTED,
					    "not a CycloneDX or SPDX document: the document is %s, not an object",
					    sbom_type_name(ev->type));
		return 0;
	}
	if (depth == 1 && (rc = marker_event(s, r, ev)) != 0)
		return rc;
	if (depth > 1 && sg_json_tag(r, 1) == SBOM_TAG_CONTEXT)
		return on_context(r, ev);
	/* Until a marker says, both formats read their own members. */
	if (s->format != SG_SBOM_SPDX && (rc = sbom_cdx_event(s, r, ev)) != 0)
		return rc;
	if (s->format != SG_SBOM_CYCLONEDX)
		return sbom_spdx_event(s, r, ev);
	return 0;
}

/* After the parse: is this a document shipgate reads? */
int sbom_check_document(struct sbom_reader *s)
{
	struct sg_error *err = s->err;
	int cdx = s->format == SG_SBOM_CYCLONEDX;

	if (s->version >= 0) {
		if (!(s->pending_set & SBOM_V(s->version)))
			return 0;
		*err = s->pending[s->version];
		return err->code;
	}
	/* No marker, or CycloneDX without specVersion: point at the start. */
	sg_error_where(err, s->where);
	err->line = 1;
	err->column = 1;
	err->offset = 0;
	snprintf(err->pointer, sizeof(err->pointer), "%s", cdx ? "/specVersion" : "/");
	if (cdx)
		return sg_error_set(err, SG_DIAG_SBOM_INVALID, "the CycloneDX document has no \"specVersion\"");
	return sg_error_set(err, SG_DIAG_SBOM_UNSUPPORTED,
			    "not a CycloneDX or SPDX document: no \"bomFormat\" and no \"spdxVersion\"");
}

/* ------------------------------------------------------------------ */
/* the file                                                            */

struct sbom_source {
	int fd;
	struct sg_sha256 *sha;
	unsigned char head[SBOM_HEAD_BYTES];
	size_t head_len;
};

static ssize_t sbom_source_read(void *ctx, void *buf, size_t len)
{
	struct sbom_source *src = ctx;
	ssize_t n = sg_json_fd_read(&src->fd, buf, len);
	size_t keep;

	if (n > 0) {
		sg_sha256_update(src->sha, buf, (size_t)n);
		if (src->head_len < sizeof(src->head)) {
			keep = sizeof(src->head) - src->head_len;
			if (keep > (size_t)n)
				keep = (size_t)n;
			memcpy(src->head + src->head_len, buf, keep);
			src->head_len += keep;
		}
	}
	return n;
}

/* The same checks as the SARIF reader: no link is refused (a user may well
 * point at one), but a FIFO must not hang the open and anything but a
 * regular file is refused. */
static int open_regular(const char *path, const char *where, struct sg_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		sg_error_where(err, where);
		sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		sg_error_where(err, where);
		sg_error_set(err, SG_DIAG_FILE_OPEN, "not a regular file");
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		close(fd);
		sg_error_where(err, where);
		sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		return -1;
	}
	return fd;
}

/* A JSON syntax error on the first byte is often another SBOM format:
 * say which, so the user knows to export JSON. */
int sbom_name_other_format(const unsigned char *head, size_t head_len, struct sg_error *err, int rc)
{
	const unsigned char *p = head, *end = head + head_len;

	if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < end && *p == '<') {
		if (memmem(head, head_len, "cyclonedx", 9))
			rc = sg_error_set(err, SG_DIAG_SBOM_UNSUPPORTED,
					  "CycloneDX XML is not supported; export the SBOM as CycloneDX JSON");
		else if (memmem(head, head_len, "spdx", 4))
			rc = sg_error_set(err, SG_DIAG_SBOM_UNSUPPORTED,
					  "SPDX RDF/XML is not supported; export the SBOM as SPDX JSON");
		else
			rc = sg_error_set(err, SG_DIAG_SBOM_UNSUPPORTED,
					  "XML is not supported; shipgate reads CycloneDX JSON and SPDX JSON");
	} else if (p < end && *p != '{' && *p != '[' &&
		   memmem(head, head_len, "SPDXVersion:", 12)) {
		rc = sg_error_set(err, SG_DIAG_SBOM_UNSUPPORTED,
				  "SPDX tag-value is not supported; export the SBOM as SPDX JSON");
	}
	return rc;
}

void sbom_reader_init(struct sbom_reader *s, const char *where, const struct sg_sbom_sink *sink,
		      struct sg_sbom_summary *summary, struct sg_error *err)
{
	s->sink = sink;
	s->summary = summary;
	s->err = err;
	s->where = where;
	s->version = -1;
	sbom_text_init(&s->xref_locator);
	sg_buf_init(&s->joined, 2 * SG_SBOM_MAX_FIELD_BYTES + 1);
	sbom_text_init(&s->vex.id);
	sbom_text_init(&s->vex.state);
	sbom_text_init(&s->vex.justification);
	sbom_text_init(&s->vex.detail);
	sg_buf_init(&s->vex.refs, (size_t)SG_SBOM_MAX_VEX_REFS * (SG_SBOM_MAX_FIELD_BYTES + 1));
}

void sbom_reader_release(struct sbom_reader *s)
{
	sbom_comp_stack_free(s);
	sbom_cdx_release(s);
	sbom_text_release(&s->xref_locator);
	sg_buf_release(&s->joined);
}

void sbom_fill_summary(struct sbom_reader *s)
{
	struct sg_sbom_summary *sum = s->summary;
	const struct sbom_meta *m = s->format == SG_SBOM_SPDX ? &s->spdx : &s->cdx;

	sum->format = s->format;
	sbom_copy_cut(sum->spec_version, sizeof(sum->spec_version), s->spec_version, strlen(s->spec_version));
	snprintf(sum->tool, sizeof(sum->tool), "%s", m->tool);
	snprintf(sum->tool_version, sizeof(sum->tool_version), "%s", m->tool_version);
	snprintf(sum->subject, sizeof(sum->subject), "%s", m->subject);
}

int sg_sbom_read_file(const char *path, const char *where, const struct sg_sbom_sink *sink,
		      struct sg_sbom_summary *summary, struct sg_error *err)
{
	struct sbom_reader *s = NULL;
	struct sbom_source *src_ctx = NULL;
	struct sg_sha256 sha = {NULL, 0};
	struct sg_json_source src;
	int fd = -1, rc;

	memset(summary, 0, sizeof(*summary));
	s = sg_calloc(1, sizeof(*s));
	src_ctx = sg_calloc(1, sizeof(*src_ctx));
	if (!s || !src_ctx) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	sbom_reader_init(s, where, sink, summary, err);
	if (strcmp(path, "-") == 0) {
		src_ctx->fd = STDIN_FILENO;
	} else {
		fd = open_regular(path, where, err);
		if (fd < 0) {
			rc = err->code;
			goto out;
		}
		src_ctx->fd = fd;
	}
	if (sg_sha256_init(&sha) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	src_ctx->sha = &sha;
	src.read = sbom_source_read;
	src.ctx = src_ctx;
	rc = sg_json_parse(&src, where, sbom_on_event, s, err);
	if (rc && err->diag == SG_DIAG_JSON_SYNTAX)
		rc = sbom_name_other_format(src_ctx->head, src_ctx->head_len, err, rc);
	if (!rc)
		rc = sbom_check_document(s);
	if (rc) {
		sg_error_where(err, where);
		goto out;
	}
	if (sg_sha256_final(&sha, summary->sha256) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "cannot compute the file's digest");
		goto out;
	}
	sbom_fill_summary(s);
out:
	sg_sha256_abort(&sha);
	if (fd >= 0)
		close(fd);
	if (s)
		sbom_reader_release(s);
	sg_free(s);
	sg_free(src_ctx);
	return rc;
}
