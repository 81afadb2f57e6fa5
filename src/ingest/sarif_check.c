/*
 * The SARIF push checker (sarif.h): sg_sarif_read_file()'s passes over a log
 * that is pushed. Pass 1 runs as the bytes arrive; the bytes also go to an
 * unlinked temporary file, from which pass 2 reads when the log needs it.
 * The sink takes everything and can abandon, as the ingest's does, so that
 * the log is read live exactly when an ingest would read it live, and a bad
 * log fails with the error the ingest would report.
 */
#include "ingest/sarif.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ingest/sarif_model.h"
#include "util/alloc.h"
#include "util/tmpfile.h"

enum check_state {
	CHECK_OPEN,
	CHECK_FAILED,
	CHECK_FINISHED,
};

struct sg_sarif_check {
	struct sarif_reader *rd;
	struct sg_sarif_sink sink;
	struct sg_sarif_options opts;
	char *source_root, *category; /* opts' own copies */
	struct sg_sarif_summary summary;
	struct sg_sha256 sha;
	struct sg_json_push *push;
	struct sg_error err;          /* the reader's errors, copied out */
	char name[sizeof(((struct sg_error *)0)->where)];
	FILE *spool;                  /* buffered: a trickle of bytes is not a write each */
	int caller_spool;             /* >= 0: the caller keeps the bytes there (sg_sarif_check_use_spool) */
	enum check_state state;
};

static int take_result(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		       struct sg_error *err)
{
	(void)ctx;
	(void)run;
	(void)res;
	(void)err;
	return 0;
}

static int take_abandon(void *ctx, struct sg_error *err)
{
	(void)ctx;
	(void)err;
	return 0;
}

/* Our own copy of the bytes, for pass 2. */
static int open_spool(struct sg_sarif_check *c)
{
	int fd = sg_tmpfile_open(&c->err);

	if (fd < 0)
		return fd;
	c->spool = fdopen(fd, "w+");
	if (!c->spool) {
		close(fd);
		return sg_error_set(&c->err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	return 0;
}

static int spool_failed(struct sg_sarif_check *c)
{
	sg_error_where(&c->err, c->name);
	return sg_error_set(&c->err, SG_DIAG_FILE_WRITE, "cannot keep a temporary copy: %s", strerror(errno));
}

static int copy_option(const char *value, char **copy, const char **slot)
{
	*slot = NULL;
	if (!value)
		return 0;
	*copy = sg_strdup(value);
	*slot = *copy;
	return *copy ? 0 : SG_ENOMEM;
}

int sg_sarif_check_new(const char *name, const struct sg_sarif_options *opts, struct sg_sarif_check **out,
		       struct sg_error *err)
{
	struct sg_sarif_check *c;
	int rc;

	*out = NULL;
	c = sg_calloc(1, sizeof(*c));
	if (!c)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "");
	sg_error_clear(&c->err);
	c->sink.result = take_result;
	c->sink.abandon = take_abandon;
	if ((opts && (copy_option(opts->source_root, &c->source_root, &c->opts.source_root) ||
		      copy_option(opts->category_override, &c->category, &c->opts.category_override))) ||
	    sg_sha256_init(&c->sha) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	c->caller_spool = -1;
	if ((rc = sarif_reader_new(&c->opts, &c->sink, &c->summary, &c->err, &c->rd)) ||
	    (rc = sg_json_push_new(c->name, sarif_collect_event, &c->rd->c, &c->push, &c->err))) {
		*err = c->err;
		rc = err->code;
		goto out;
	}
	*out = c;
	return 0;
out:
	sg_sarif_check_free(c);
	return rc;
}

void sg_sarif_check_use_spool(struct sg_sarif_check *c, int fd)
{
	c->caller_spool = fd;
}

/* The check is over: the error again, or the one a misuse deserves. */
static int check_ended(struct sg_sarif_check *c, struct sg_error *err)
{
	if (c->state == CHECK_FAILED) {
		*err = c->err;
		return err->code;
	}
	sg_error_where(err, c->name);
	return sg_error_set(err, SG_DIAG_INTERNAL, "the log was fed after its end");
}

static int check_failed(struct sg_sarif_check *c, struct sg_error *err)
{
	c->state = CHECK_FAILED;
	*err = c->err;
	return err->code;
}

int sg_sarif_check_feed(struct sg_sarif_check *c, const void *data, size_t len, struct sg_error *err)
{
	if (c->state != CHECK_OPEN)
		return check_ended(c, err);
	if (len == 0)
		return 0;
	sg_sha256_update(&c->sha, data, len);
	/* Our own copy, unless the caller keeps one; made at the first bytes
	 * so that a caller's copy, announced after new(), is not doubled. */
	if (c->caller_spool < 0 && !c->spool && open_spool(c) != 0)
		return check_failed(c, err);
	if (c->spool && fwrite(data, 1, len, c->spool) != len) {
		spool_failed(c);
		return check_failed(c, err);
	}
	if (sg_json_push_feed(c->push, data, len, &c->err))
		return check_failed(c, err);
	return 0;
}

int sg_sarif_check_finish(struct sg_sarif_check *c, struct sg_sarif_summary *summary, struct sg_error *err)
{
	int pass2 = 0;

	if (c->state == CHECK_FINISHED)
		goto done;
	if (c->state != CHECK_OPEN)
		return check_ended(c, err);
	if (sg_json_push_finish(c->push, &c->err) || sarif_reader_collected(c->rd, c->name, &pass2))
		return check_failed(c, err);
	if (sg_sha256_final(&c->sha, c->summary.sha256) != 0) {
		sg_error_set(&c->err, SG_DIAG_NO_MEMORY, "cannot compute the log's digest");
		return check_failed(c, err);
	}
	if (pass2 && c->spool && fflush(c->spool) != 0) {
		spool_failed(c);
		return check_failed(c, err);
	}
	if (pass2 && !c->spool && c->caller_spool < 0) {
		/* Nothing was fed: the empty log fails pass 1 before this. */
		sg_error_set(&c->err, SG_DIAG_INTERNAL, "pass 2 without the log's bytes");
		return check_failed(c, err);
	}
	if (pass2 && sarif_reader_walk_fd(c->rd, c->spool ? fileno(c->spool) : c->caller_spool, c->name))
		return check_failed(c, err);
	c->state = CHECK_FINISHED;
done:
	if (summary)
		*summary = c->summary;
	return 0;
}

void sg_sarif_check_free(struct sg_sarif_check *c)
{
	if (!c)
		return;
	sg_json_push_free(c->push);
	sarif_reader_free(c->rd);
	sg_sha256_abort(&c->sha);
	if (c->spool)
		fclose(c->spool);
	sg_free(c->source_root);
	sg_free(c->category);
	sg_free(c);
}
