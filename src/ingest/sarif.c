/*
 * SARIF 2.1.0 reader (OASIS SARIF v2.1.0 Errata 01): the file, its passes,
 * and pass 2. See sarif.h for the contract, sarif_collect.c for pass 1 and
 * sarif_result.c for how one result is built.
 */
#include "ingest/sarif.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/sarif_model.h"
#include "util/alloc.h"

/* Pass 2, when pass 1 could not hand everything over: every result again,
 * resolved against its complete run (the sink abandoned the live ones). */
static int walk_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sarif_walk *w = ctx;
	int depth = sg_json_depth(r);
	long long run_index;

	if (depth > 4 && sg_json_tag(r, 4) == TAG_RESULT)
		return sarif_result_field(w, r, ev);
	if (depth < 2) {
		if (ev->type == SG_JSON_ARRAY_START && AT(r, 0, "runs"))
			sg_json_tag_container(r, TAG_RUNS);
		return 0;
	}
	if (sg_json_tag(r, 1) != TAG_RUNS)
		return 0;
	run_index = sg_json_index(r, 1);
	if (run_index < 0 || (size_t)run_index >= w->doc->n_runs)
		return 0;
	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			sarif_walk_enter_run(w, &w->doc->runs[run_index], (int)run_index);
			return w->sink->run_begin ? w->sink->run_begin(w->sink->ctx, &w->run, w->err) : 0;
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return w->sink->run_end ? w->sink->run_end(w->sink->ctx, &w->run, w->err) : 0;
		return 0;
	}
	if (depth == 3) {
		if (ev->type == SG_JSON_ARRAY_START && AT(r, 2, "results"))
			sg_json_tag_container(r, TAG_RESULTS);
		return 0;
	}
	if (depth == 4 && sg_json_tag(r, 3) == TAG_RESULTS) {
		if (ev->type == SG_JSON_OBJECT_START) {
			sarif_result_reset(&w->res);
			sg_json_tag_container(r, TAG_RESULT);
		} else if (ev->type == SG_JSON_OBJECT_END) {
			return sarif_emit_result(w, r);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the two passes over one file                                        */

struct hashing_source {
	int fd;
	struct sg_sha256 *sha;
};

static ssize_t hashing_read(void *ctx, void *buf, size_t len)
{
	struct hashing_source *h = ctx;
	ssize_t n = sg_json_fd_read(&h->fd, buf, len);

	if (n > 0 && h->sha)
		sg_sha256_update(h->sha, buf, (size_t)n);
	return n;
}

static int open_regular(const char *path, const char *name, struct sg_error *err)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		sg_error_where(err, name);
		sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		sg_error_where(err, name);
		sg_error_set(err, SG_DIAG_FILE_OPEN, "not a regular file");
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static int run_pass(const struct sg_json_source *src, int fd, const char *name, sg_json_handler_fn fn,
		    void *ctx, struct sg_error *err)
{
	if (lseek(fd, 0, SEEK_SET) != 0) {
		sg_error_where(err, name);
		return sg_error_set(err, SG_DIAG_FILE_READ, "cannot read the file: %s", strerror(errno));
	}
	return sg_json_parse(src, name, fn, ctx, err);
}

int sarif_reader_new(const struct sg_sarif_options *opts, const struct sg_sarif_sink *sink,
		     struct sg_sarif_summary *summary, struct sg_error *err, struct sarif_reader **out)
{
	struct sarif_reader *rd;

	*out = NULL;
	memset(summary, 0, sizeof(*summary));
	rd = sg_calloc(1, sizeof(*rd));
	if (!rd)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	rd->c.err = err;
	rd->w.doc = &rd->c.doc;
	rd->w.opts = opts;
	rd->w.sink = sink;
	rd->w.summary = summary;
	rd->w.err = err;
	sarif_result_state_init(&rd->w.res);
	if (sink->abandon) { /* live reading needs a way back */
		rd->c.live = &rd->w;
		rd->c.live_ok = 1;
	}
	*out = rd;
	return 0;
}

void sarif_reader_free(struct sarif_reader *rd)
{
	if (!rd)
		return;
	sarif_result_state_release(&rd->w.res);
	sarif_doc_free(&rd->c.doc);
	sg_free(rd);
}

int sarif_reader_collected(struct sarif_reader *rd, const char *name, int *pass2)
{
	int rc = sarif_check_document(&rd->c, name);

	if (rc)
		return rc;
	rd->w.summary->n_runs = (int)rd->c.doc.n_runs;
	rd->w.summary->n_results = rd->c.doc.total_results;
	*pass2 = !(rd->c.live && rd->c.live_ok); /* else every run was read live */
	return 0;
}

int sarif_reader_walk_fd(struct sarif_reader *rd, int fd, const char *name)
{
	struct sarif_collect *c = &rd->c;
	struct sarif_walk *w = &rd->w;
	struct sg_json_source src = {sg_json_fd_read, &fd};
	size_t i;
	int rc;

	if (c->live_writes && (rc = w->sink->abandon(w->sink->ctx, w->err)) != 0)
		return rc;
	w->summary->n_not_failures = 0;
	w->summary->n_absent = 0;
	for (i = 0; i < c->doc.n_runs; i++)
		c->doc.runs[i].live = 0;
	if (sarif_doc_index_rules(&c->doc))
		return sg_error_set(w->err, SG_DIAG_NO_MEMORY, "out of memory");
	rc = run_pass(&src, fd, name, walk_event, w, w->err);
	if (rc)
		sg_error_where(w->err, name);
	return rc;
}

int sg_sarif_read_file(const char *path, const char *name, const struct sg_sarif_options *opts,
		       const struct sg_sarif_sink *sink, struct sg_sarif_summary *summary,
		       struct sg_error *err)
{
	struct sarif_reader *rd = NULL;
	struct sg_sha256 sha = {NULL, 0};
	struct hashing_source src_ctx = {-1, NULL};
	struct sg_json_source src = {hashing_read, &src_ctx};
	int rc, pass2 = 0;

	if ((rc = sarif_reader_new(opts, sink, summary, err, &rd)))
		goto out;
	src_ctx.fd = open_regular(path, name, err);
	if (src_ctx.fd < 0) {
		rc = err->code;
		goto out;
	}

	/* Pass 1: the whole document, its digest, and live runs. */
	if (sg_sha256_init(&sha) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	src_ctx.sha = &sha;
	rc = run_pass(&src, src_ctx.fd, name, sarif_collect_event, &rd->c, err);
	src_ctx.sha = NULL;
	if (!rc)
		rc = sarif_reader_collected(rd, name, &pass2);
	if (rc)
		goto out;
	if (sg_sha256_final(&sha, summary->sha256) != 0) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "cannot compute the file's digest");
		goto out;
	}
	/* Pass 2: each result, resolved against its complete run. */
	if (pass2)
		rc = sarif_reader_walk_fd(rd, src_ctx.fd, name);
out:
	sg_sha256_abort(&sha);
	if (src_ctx.fd >= 0)
		close(src_ctx.fd);
	sarif_reader_free(rd);
	return rc;
}
