/*
 * The SBOM push checker (sbom.h): sg_sbom_read_file()'s one pass over a
 * document that is pushed, with a sink that takes everything. The first
 * bytes are kept, as the file reader keeps them, to name a non-JSON format;
 * the JSON reader parses whole blocks, so they are all there by the time a
 * syntax error can be seen.
 */
#include "ingest/sbom.h"

#include <stdio.h>
#include <string.h>

#include "ingest/sbom_internal.h"
#include "util/alloc.h"

enum check_state {
	CHECK_OPEN,
	CHECK_FAILED,
	CHECK_FINISHED,
};

struct sg_sbom_check {
	struct sbom_reader s;
	struct sg_sbom_sink sink;
	struct sg_sbom_summary summary;
	struct sg_sha256 sha;
	unsigned char head[SBOM_HEAD_BYTES];
	size_t head_len;
	struct sg_json_push *push;
	struct sg_error err; /* the reader's errors, copied out */
	char name[sizeof(((struct sg_error *)0)->where)];
	enum check_state state;
};

static int take_component(void *ctx, const struct sg_sbom_component *c, struct sg_error *err)
{
	(void)ctx;
	(void)c;
	(void)err;
	return 0;
}

static int take_vex(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err)
{
	(void)ctx;
	(void)v;
	(void)err;
	return 0;
}

int sg_sbom_check_new(const char *name, struct sg_sbom_check **out, struct sg_error *err)
{
	struct sg_sbom_check *c;
	int rc;

	*out = NULL;
	c = sg_calloc(1, sizeof(*c));
	if (!c)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "");
	sg_error_clear(&c->err);
	c->sink.component = take_component;
	c->sink.vex = take_vex;
	sbom_reader_init(&c->s, c->name, &c->sink, &c->summary, &c->err);
	if (sg_sha256_init(&c->sha) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((rc = sg_json_push_new(c->name, sbom_on_event, &c->s, &c->push, err)))
		goto out;
	*out = c;
	return 0;
out:
	sg_sbom_check_free(c);
	return rc;
}

/* The check is over: the error again, or the one a misuse deserves. */
static int check_ended(struct sg_sbom_check *c, struct sg_error *err)
{
	if (c->state == CHECK_FAILED) {
		*err = c->err;
		return err->code;
	}
	sg_error_where(err, c->name);
	return sg_error_set(err, SG_DIAG_INTERNAL, "the SBOM was fed after its end");
}

/* As sg_sbom_read_file() ends a failed read. */
static int check_failed(struct sg_sbom_check *c, struct sg_error *err)
{
	if (c->err.diag == SG_DIAG_JSON_SYNTAX)
		(void)sbom_name_other_format(c->head, c->head_len, &c->err, c->err.code);
	sg_error_where(&c->err, c->name);
	c->state = CHECK_FAILED;
	*err = c->err;
	return err->code;
}

int sg_sbom_check_feed(struct sg_sbom_check *c, const void *data, size_t len, struct sg_error *err)
{
	size_t keep = sizeof(c->head) - c->head_len;

	if (c->state != CHECK_OPEN)
		return check_ended(c, err);
	if (len == 0)
		return 0;
	sg_sha256_update(&c->sha, data, len);
	if (keep > len)
		keep = len;
	memcpy(c->head + c->head_len, data, keep);
	c->head_len += keep;
	if (sg_json_push_feed(c->push, data, len, &c->err))
		return check_failed(c, err);
	return 0;
}

int sg_sbom_check_finish(struct sg_sbom_check *c, struct sg_error *err)
{
	if (c->state == CHECK_FINISHED)
		return 0;
	if (c->state != CHECK_OPEN)
		return check_ended(c, err);
	if (sg_json_push_finish(c->push, &c->err) || sbom_check_document(&c->s))
		return check_failed(c, err);
	if (sg_sha256_final(&c->sha, c->summary.sha256) != 0) {
		sg_error_set(&c->err, SG_DIAG_NO_MEMORY, "cannot compute the file's digest");
		return check_failed(c, err);
	}
	sbom_fill_summary(&c->s);
	c->state = CHECK_FINISHED;
	return 0;
}

const struct sg_sbom_summary *sg_sbom_check_summary(const struct sg_sbom_check *c)
{
	return c && c->state == CHECK_FINISHED ? &c->summary : NULL;
}

void sg_sbom_check_free(struct sg_sbom_check *c)
{
	if (!c)
		return;
	sg_json_push_free(c->push);
	sbom_reader_release(&c->s);
	sg_sha256_abort(&c->sha);
	sg_free(c);
}
