/*
 * An upload (a SARIF log or an SBOM), in two steps:
 *
 * 1. While the body arrives, each piece goes through the format's push
 *    checker (the same checks as the ingest's reader) and into an unlinked
 *    temporary spool file. No store lock is held: a slow client delays only
 *    itself, and a bad document is refused with the line and column where
 *    it went wrong. Memory does not grow with the upload.
 * 2. When the body is complete and the checker accepted it, the ordinary
 *    ingest reads the spool under the server's write lock, in one
 *    transaction, exactly as `shipgate ingest` reads a file.
 *
 * An upload cut off by the client never reaches step 2: nothing is written.
 * The spool is needed because SARIF may put a run's context after its
 * results, which takes a second pass over the document.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/ingest_sarif.h"
#include "app/sca.h"
#include "ingest/sarif.h"
#include "ingest/sbom.h"
#include "server/request.h"
#include "util/alloc.h"
#include "util/tmpfile.h"

/* How errors and the ledger name the document: not the spool's path. */
#define SG_UPLOAD_NAME "request body"

struct sg_upload {
	enum sg_upload_format format;
	int spool_fd;
	struct sg_sarif_check *sarif;
	struct sg_sbom_check *sbom;
};

/* What can be checked before the body is read, is. */
static int check_params(struct sg_request *req, struct sg_error *err)
{
	const char *kind = sg_req_query(req, "kind"), *commit = sg_req_query(req, "commit");
	const char *release = sg_req_query(req, "release");
	char canonical[72];
	int rc;

	if ((rc = sg_check_name(req->params[0], "the product", err)))
		return rc;
	if (commit && (rc = sg_check_commit(commit, canonical, err)))
		return rc;
	if (release && (rc = sg_check_name(release, "release", err)))
		return rc;
	if (req->route->upload == SG_UPLOAD_SBOM) {
		if (kind || sg_req_query(req, "env") || sg_req_query(req, "category"))
			return sg_error_set(err, SG_DIAG_USAGE, "an SBOM upload takes only commit and release");
		return 0;
	}
	if (kind && strcmp(kind, "sast") != 0 && strcmp(kind, "dast") != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "kind must be sast or dast, not \"%.40s\"", kind);
	return 0;
}

int sg_upload_begin(struct sg_request *req, struct sg_error *err)
{
	struct sg_upload *u = sg_calloc(1, sizeof(*u));
	int rc;

	if (!u)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	u->spool_fd = -1;
	u->format = req->route->upload;
	req->upload = u;
	if ((rc = check_params(req, err)))
		return rc;
	if ((rc = sg_tmpfile_open(err)) < 0)
		return rc;
	u->spool_fd = rc;
	if (u->format == SG_UPLOAD_SARIF) {
		struct sg_sarif_options opts = {NULL, sg_req_query(req, "category")};
		if ((rc = sg_sarif_check_new(SG_UPLOAD_NAME, &opts, &u->sarif, err)))
			return rc;
		/* Our spool has the bytes before the checker sees them: one copy. */
		sg_sarif_check_use_spool(u->sarif, u->spool_fd);
		return 0;
	}
	return sg_sbom_check_new(SG_UPLOAD_NAME, &u->sbom, err);
}

static int spool_write(int fd, const char *data, size_t len, struct sg_error *err)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sg_error_set(err, SG_DIAG_INTERNAL, "cannot write the spool file: %s",
					    n < 0 ? strerror(errno) : "no space");
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int sg_upload_feed(struct sg_request *req, const char *data, size_t len, struct sg_error *err)
{
	struct sg_upload *u = req->upload;
	int rc;

	if ((rc = spool_write(u->spool_fd, data, len, err)))
		return rc;
	if (u->sarif)
		return sg_sarif_check_feed(u->sarif, data, len, err);
	return sg_sbom_check_feed(u->sbom, data, len, err);
}

static int ingest_sarif(struct sg_request *req, const char *spool_path, struct sg_error *err)
{
	const char *files[1] = {spool_path}, *names[1] = {SG_UPLOAD_NAME};
	struct sg_ingest_sarif_params p = {0};
	struct sg_ingest_report report;
	struct sg_jw w;
	size_t i;
	int rc, anything_new = 0;

	p.files = files;
	p.names = names;
	p.n_files = 1;
	p.product = req->params[0];
	p.commit = sg_req_query(req, "commit");
	p.release = sg_req_query(req, "release");
	p.kind = sg_req_query(req, "kind");
	if (!p.kind)
		p.kind = "sast";
	p.environment = sg_req_query(req, "env");
	p.category = sg_req_query(req, "category");
	rc = sg_app_ingest_sarif(req->app, &p, &report, err);
	if (!rc) {
		for (i = 0; i < report.n_files; i++)
			if (!report.files[i].duplicate && report.files[i].n_runs > 0)
				anything_new = 1;
		sg_req_json(req, &w, anything_new ? MHD_HTTP_CREATED : MHD_HTTP_OK);
		sg_ingest_report_json(&w, &report);
		rc = sg_req_json_done(req, &w, err);
	}
	sg_ingest_report_release(&report);
	return rc;
}

static int ingest_sbom(struct sg_request *req, const char *spool_path, struct sg_error *err)
{
	struct sg_ingest_sbom_params p = {0};
	struct sg_sbom_report report;
	struct sg_jw w;
	int rc;

	p.file = spool_path;
	p.name = SG_UPLOAD_NAME;
	p.product = req->params[0];
	p.commit = sg_req_query(req, "commit");
	p.release = sg_req_query(req, "release");
	rc = sg_app_ingest_sbom(req->app, &p, &report, err);
	if (rc)
		return rc;
	sg_req_json(req, &w, report.duplicate ? MHD_HTTP_OK : MHD_HTTP_CREATED);
	sg_sbom_report_json(&w, &report);
	return sg_req_json_done(req, &w, err);
}

int sg_upload_finish(struct sg_request *req, struct sg_error *err)
{
	struct sg_upload *u = req->upload;
	char spool_path[64];
	int rc;

	if (u->sarif) {
		struct sg_sarif_summary summary;
		rc = sg_sarif_check_finish(u->sarif, &summary, err);
	} else {
		rc = sg_sbom_check_finish(u->sbom, err);
	}
	if (rc)
		return rc;
	snprintf(spool_path, sizeof(spool_path), "/proc/self/fd/%d", u->spool_fd);
	if (u->format == SG_UPLOAD_SARIF)
		return ingest_sarif(req, spool_path, err);
	return ingest_sbom(req, spool_path, err);
}

void sg_upload_free(struct sg_upload *u)
{
	if (!u)
		return;
	if (u->spool_fd >= 0)
		close(u->spool_fd);
	sg_sarif_check_free(u->sarif);
	sg_sbom_check_free(u->sbom);
	sg_free(u);
}

int sg_h_ingest(struct sg_request *req, struct sg_error *err)
{
	return sg_upload_finish(req, err);
}
