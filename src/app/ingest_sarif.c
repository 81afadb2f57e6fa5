/*
 * Ingesting SARIF: the parser hands over results, this use case turns each
 * into a finding (identity, severity, lifecycle) and applies the snapshot
 * rule: one ingest is the full view of each (product, kind, tool, category)
 * it carries, so findings of that view it no longer reports become fixed.
 *
 * All files of one call are one transaction: any error rolls everything back.
 */
#include "app/ingest_sarif.h"

#include "app/audit.h"
#include "app/sight_batch.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "core/pathnorm.h"
#include "ingest/sarif.h"
#include "ingest/source_lines.h"
#include "util/alloc.h"
#include "util/limits.h"
#include "util/timeutil.h"


/* A view seen in this ingest, to close after the last file. */
struct seen_view {
	char *tool;
	char *category;
	int tool_failed;           /* a run of it had results null: close nothing */
	int carried_by_duplicate;  /* a file ingested before reports it: close nothing */
	long long last_scan_id;
	struct sg_scan_counts last_counts;
};

struct ingest {
	struct sg_store *store;
	const struct sg_policy *policy;
	const struct sg_ingest_sarif_params *params;
	struct sg_source_lines *sources;
	long long product_id, ingest_id;
	const char *commit;
	time_t now;

	struct sg_ingest_file_report *file;
	struct sg_sarif_summary summary;    /* of the file being read */
	/* What else shapes how a file reads: the same bytes read with other
	 * options are another scan, not a duplicate. */
	char options[2048];
	const char *file_name;

	struct seen_view views[SG_INGEST_MAX_VIEWS];
	size_t n_views;
	/* The views as they were before the current file, to go back to when
	 * the reader abandons what it handed over (sg_sarif_sink.abandon). */
	struct seen_view saved_views[SG_INGEST_MAX_VIEWS];
	size_t n_saved_views;
	struct seen_view *view;     /* of the current run */
	long long scan_id;          /* of the current run */
	struct sg_scan_counts counts;
	struct sg_sight_batch *batch;    /* the current run's results on their way to the store */
	struct sg_sight_totals totals;   /* of the current run's flushed batches */
};

static struct seen_view *find_view(struct ingest *in, const char *tool, const char *category,
				   struct sg_error *err)
{
	struct seen_view *v;
	size_t i;

	for (i = 0; i < in->n_views; i++)
		if (strcmp(in->views[i].tool, tool) == 0 && strcmp(in->views[i].category, category) == 0)
			return &in->views[i];
	if (in->n_views >= SG_INGEST_MAX_VIEWS) {
		sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "more than %d tool views in one ingest",
			     SG_INGEST_MAX_VIEWS);
		return NULL;
	}
	v = &in->views[in->n_views];
	memset(v, 0, sizeof(*v));
	v->tool = sg_strdup(tool);
	v->category = sg_strdup(category);
	if (!v->tool || !v->category) {
		sg_free(v->tool);
		sg_free(v->category);
		sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		return NULL;
	}
	in->n_views++;
	return v;
}

static int on_run_begin(void *ctx, const struct sg_sarif_run *run, struct sg_error *err)
{
	struct ingest *in = ctx;
	struct sg_scan_record scan;
	struct sg_view view;
	int rc;

	in->file->n_runs++;
	in->view = find_view(in, run->tool, run->category, err);
	if (!in->view)
		return err->code;
	if (run->results_null) {
		in->view->tool_failed = 1;
		in->file->tool_failed_runs++;
	}
	memset(&scan, 0, sizeof(scan));
	scan.product_id = in->product_id;
	scan.ingest_id = in->ingest_id;
	scan.kind = in->params->kind;
	scan.tool = run->tool;
	scan.tool_version = run->tool_version;
	scan.category = run->category;
	scan.commit = in->commit;
	scan.release = in->params->release;
	scan.environment = in->params->environment;
	scan.artifact_name = in->file_name;
	/* The digest is known once the whole file is read: on_file_read() sets it. */
	scan.results_null = run->results_null;
	scan.options = in->options;
	scan.created_at = in->now;
	rc = sg_store_scan_insert(in->store, &scan, &in->scan_id, err);
	if (rc)
		return rc;
	if (!in->file->first_scan_id)
		in->file->first_scan_id = in->scan_id;
	memset(&in->counts, 0, sizeof(in->counts));
	memset(&in->totals, 0, sizeof(in->totals));
	view.product_id = in->product_id;
	view.kind = in->params->kind;
	view.tool = in->view->tool;
	view.category = in->view->category;
	sg_sight_batch_start(in->batch, in->store, &view, in->ingest_id, in->scan_id, in->now);
	return 0;
}

static int on_result(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		     struct sg_error *err)
{
	struct ingest *in = ctx;
	struct sg_identity_input id;
	struct sg_sighting sight;
	unsigned char base[SG_FINGERPRINT_BYTES];
	const char *text = res->snippet;
	int rc;

	if (!text && in->sources && res->path && res->line > 0)
		text = sg_source_line(in->sources, res->path, res->line);
	memset(&id, 0, sizeof(id));
	id.kind = in->params->kind;
	id.category = run->category;
	id.tool = run->tool;
	id.rule = res->rule_id;
	id.path = res->path;
	id.fps = res->fps;
	id.n_fps = res->n_fps;
	id.flagged_text = text;
	id.message = res->message;
	sg_identity_base(&id, base);
	memset(&sight, 0, sizeof(sight));
	sight.rule = res->rule_id;
	sight.rule_name = res->rule_name;
	sight.tool_severity = res->severity;
	sight.severity = sg_policy_severity(in->policy, run->tool, res->rule_id, res->severity);
	sight.path = res->path;
	sight.line = res->line;
	sight.column = res->column;
	sight.message = res->message;

	/* The outcomes (new, reopened) are counted when the batch is sent. */
	rc = sg_sight_batch_add(in->batch, base, &sight, &in->totals, err);
	if (rc)
		return rc;
	in->counts.results++;
	in->file->results++;
	return 0;
}

static int on_run_end(void *ctx, const struct sg_sarif_run *run, struct sg_error *err)
{
	struct ingest *in = ctx;
	int rc = sg_sight_batch_flush(in->batch, &in->totals, err);

	(void)run;
	if (rc)
		return rc;
	in->counts.new_findings = in->totals.new_findings;
	in->counts.reopened = in->totals.reopened;
	in->file->new_findings += in->totals.new_findings;
	in->file->reopened += in->totals.reopened;
	in->view->last_scan_id = in->scan_id;
	in->view->last_counts = in->counts;
	return sg_store_scan_set_counts(in->store, in->scan_id, &in->counts, err);
}

static void forget_new_views(struct ingest *in, size_t keep)
{
	size_t i;

	for (i = keep; i < in->n_views; i++) {
		sg_free(in->views[i].tool);
		sg_free(in->views[i].category);
	}
	in->n_views = keep;
}

/* Undo what the current file did, in the store and here. */
static int undo_file(struct ingest *in, struct sg_error *err)
{
	const char *name = in->file->file;
	int rc = sg_store_rollback_to_savepoint(in->store, err);

	if (rc)
		return rc;
	forget_new_views(in, in->n_saved_views);
	memcpy(in->views, in->saved_views, in->n_saved_views * sizeof(in->views[0]));
	memset(in->file, 0, sizeof(*in->file));
	in->file->file = name;
	return 0;
}

static int on_abandon(void *ctx, struct sg_error *err)
{
	struct ingest *in = ctx;

	sg_sight_batch_discard(in->batch);
	return undo_file(ctx, err);
}

/* The views a file's runs touched (their last scan is one of its scans). */
static int touched_by_file(const struct seen_view *v, long long first_scan_id)
{
	return first_scan_id > 0 && v->last_scan_id >= first_scan_id;
}

/*
 * Undo a file ingested before. Its views stay open to the snapshot rule in
 * name only: the file still reports what it reported then, so other files of
 * this ingest must not close those findings as unseen.
 */
static int undo_duplicate(struct ingest *in, long long dup, struct sg_error *err)
{
	char *keys[SG_INGEST_MAX_VIEWS][2];
	long long first = in->file->first_scan_id;
	size_t n = 0, i;
	int rc = 0;

	for (i = 0; i < in->n_views && rc == 0; i++) {
		if (!touched_by_file(&in->views[i], first))
			continue;
		keys[n][0] = sg_strdup(in->views[i].tool);
		keys[n][1] = sg_strdup(in->views[i].category);
		if (!keys[n][0] || !keys[n][1])
			rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		n++;
	}
	if (!rc)
		rc = undo_file(in, err);
	for (i = 0; i < n; i++) {
		struct seen_view *v = rc ? NULL : find_view(in, keys[i][0], keys[i][1], err);
		if (!rc && !v)
			rc = err->code;
		if (v)
			v->carried_by_duplicate = 1;
		sg_free(keys[i][0]);
		sg_free(keys[i][1]);
	}
	in->file->duplicate = 1;
	in->file->duplicate_of = dup;
	return rc;
}

/* The file is read: record its digest on its scans, or, if this very file
 * was ingested for this product, kind and commit before, undo it: "ingesting
 * the same file again for the same product and commit changes nothing". */
static int on_file_read(struct ingest *in, struct sg_error *err)
{
	long long dup = 0, before = in->file->first_scan_id;
	int rc;

	rc = sg_store_scan_find_artifact(in->store, in->product_id, in->params->kind, in->commit,
					 in->summary.sha256, in->options, before, &dup, err);
	if (rc == 0)
		return undo_duplicate(in, dup, err);
	if (rc != SG_ENOTFOUND)
		return rc;
	sg_error_clear(err);
	if (!in->file->first_scan_id)
		return 0;
	return sg_store_scans_set_artifact(in->store, in->file->first_scan_id, in->summary.sha256, err);
}

/* The snapshot rule, once every file is in. */
static int close_views(struct ingest *in, struct sg_ingest_report *report, struct sg_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < in->n_views; i++) {
		struct seen_view *v = &in->views[i];
		struct sg_view view = {in->product_id, in->params->kind, v->tool, v->category};
		long long closed = 0;

		/* SARIF §3.14.23: results null means the tool failed, so its silence
		 * proves nothing was fixed. */
		if (v->tool_failed || v->carried_by_duplicate)
			continue;
		rc = sg_store_findings_close_unseen(in->store, &view, in->ingest_id, v->last_scan_id, in->now,
						    &closed, err);
		if (rc)
			return rc;
		if (closed) {
			v->last_counts.fixed = closed;
			rc = sg_store_scan_set_counts(in->store, v->last_scan_id, &v->last_counts, err);
			if (rc)
				return rc;
		}
		report->fixed += closed;
	}
	return 0;
}

static int nothing_new(const struct sg_ingest_report *report)
{
	size_t i;

	/* Files with no runs say nothing either: no scan, nothing to close. */
	for (i = 0; i < report->n_files; i++)
		if (!report->files[i].duplicate && report->files[i].n_runs > 0)
			return 0;
	return 1;
}

static int check_params(const struct sg_ingest_sarif_params *p, struct sg_error *err)
{
	int rc;

	if (p->n_files == 0)
		return sg_error_set(err, SG_DIAG_USAGE, "no SARIF file given");
	if (p->n_files > SG_MAX_INGEST_FILES)
		return sg_error_set(err, SG_DIAG_USAGE, "more than %d files in one ingest", SG_MAX_INGEST_FILES);
	if ((rc = sg_check_name(p->product, "--product", err)))
		return rc;
	if (strcmp(p->kind, "sast") != 0 && strcmp(p->kind, "dast") != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--kind must be sast or dast, not \"%.40s\"", p->kind);
	if (p->release && (rc = sg_check_name(p->release, "--release", err)))
		return rc;
	if (p->environment && (rc = sg_check_name(p->environment, "--env", err)))
		return rc;
	if (p->category && (rc = sg_check_name(p->category, "--category", err)))
		return rc;
	return 0;
}

static int ingest_files(struct ingest *in, struct sg_ingest_report *report, struct sg_error *err)
{
	const struct sg_ingest_sarif_params *p = in->params;
	struct sg_sarif_sink sink = {in, on_run_begin, on_result, on_run_end, on_abandon};
	struct sg_sarif_options opts = {NULL, p->category};
	size_t i;
	int rc;

	if (in->sources)
		opts.source_root = sg_source_lines_root(in->sources);
	snprintf(in->options, sizeof(in->options), "category=%s\nsource-root=%s\nenv=%s\nrelease=%s",
		 p->category ? p->category : "", opts.source_root ? opts.source_root : "",
		 p->environment ? p->environment : "", p->release ? p->release : "");
	for (i = 0; i < p->n_files; i++) {
		/* The name stands for the file everywhere it shows: report,
		 * errors, the scan's artifact, the ledger. */
		const char *name = p->names && p->names[i] ? p->names[i] : p->files[i];
		in->file = &report->files[i];
		in->file->file = name;
		in->file_name = name;
		memcpy(in->saved_views, in->views, in->n_views * sizeof(in->views[0]));
		in->n_saved_views = in->n_views;
		if ((rc = sg_store_savepoint(in->store, err)))
			return rc;
		rc = sg_sarif_read_file(p->files[i], name, &opts, &sink, &in->summary, err);
		if (!rc)
			rc = on_file_read(in, err);
		if (!rc)
			rc = sg_store_release_savepoint(in->store, err);
		if (rc)
			return rc;
		if (!in->file->duplicate) {
			in->file->not_failures = in->summary.n_not_failures;
			in->file->absent = in->summary.n_absent;
		}
	}
	return close_views(in, report, err);
}

/* Two events: the ingest and its scans, then the product's findings as
 * the ingest left them. */
static int audit_ingest(struct sg_app *app, struct ingest *in, const struct sg_ingest_report *report,
			struct sg_error *err)
{
	struct sg_audit_note note;
	char label[300];
	size_t i;
	int rc;

	snprintf(label, sizeof(label), "ingest %lld of product %s", in->ingest_id, in->params->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_string(&note.w, "format", "sarif");
	sg_jw_kv_string(&note.w, "product", in->params->product);
	sg_jw_kv_string(&note.w, "kind", in->params->kind ? in->params->kind : "sast");
	sg_jw_kv_string(&note.w, "commit", in->commit);
	sg_jw_kv_string(&note.w, "release", in->params->release);
	sg_jw_key(&note.w, "files");
	sg_jw_array_begin(&note.w);
	for (i = 0; i < report->n_files; i++) {
		const struct sg_ingest_file_report *f = &report->files[i];
		sg_jw_object_begin(&note.w);
		sg_jw_kv_string(&note.w, "file", f->file);
		sg_jw_kv_int(&note.w, "results", f->results);
		sg_jw_kv_int(&note.w, "new", f->new_findings);
		sg_jw_kv_int(&note.w, "reopened", f->reopened);
		sg_jw_key(&note.w, "duplicate");
		sg_jw_bool(&note.w, f->duplicate);
		sg_jw_object_end(&note.w);
	}
	sg_jw_array_end(&note.w);
	sg_jw_kv_int(&note.w, "fixed", report->fixed);
	if ((rc = sg_app_audit(app, in->store, "ingest.sarif", SG_OBJ_INGEST, in->ingest_id, label, &note, err)))
		return rc;
	snprintf(label, sizeof(label), "findings of product %s", in->params->product);
	sg_audit_note_begin(&note);
	sg_jw_kv_int(&note.w, "ingest", in->ingest_id);
	if ((rc = sg_app_audit(app, in->store, "findings.update", SG_OBJ_FINDINGS, in->product_id, label, &note, err)))
		return rc;
	return sg_app_audit_history(app, in->store, in->product_id, in->params->product, "findings.update", err);
}

int sg_app_ingest_sarif(struct sg_app *app, const struct sg_ingest_sarif_params *params,
			struct sg_ingest_report *report, struct sg_error *err)
{
	struct ingest *in = NULL;
	size_t i;
	int rc, in_tx = 0, changed;

	memset(report, 0, sizeof(*report));
	rc = check_params(params, err);
	if (rc)
		return rc;
	in = sg_calloc(1, sizeof(*in));
	report->files = sg_calloc(params->n_files, sizeof(*report->files));
	if (in)
		in->batch = sg_sight_batch_new();
	if (!in || !in->batch || !report->files) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	report->n_files = params->n_files;
	in->params = params;
	in->now = sg_now();
	if ((rc = sg_app_policy(app, &in->policy, err)))
		goto out;
	if (params->source_root && (rc = sg_source_lines_open(params->source_root, &in->sources, err)))
		goto out;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &in->store, err)))
		goto out;
	if ((rc = sg_store_begin(in->store, err)))
		goto out;
	in_tx = 1;
	if ((rc = sg_app_product_ensure(app, in->store, params->product, in->now, &in->product_id, err)) ||
	    (rc = sg_app_audit_check(in->store, SG_OBJ_FINDINGS, in->product_id, err)) ||
	    (rc = sg_app_audit_check(in->store, SG_OBJ_HISTORY, in->product_id, err)) ||
	    (rc = sg_store_findings_apply_overrides(in->store, in->product_id, in->policy, &changed, err)) ||
	    (rc = sg_app_resolve_commit(in->store, in->product_id, params->commit, params->release,
						report->commit, &in->commit, err)) ||
	    (rc = sg_store_ingest_begin(in->store, in->product_id, in->now, &in->ingest_id, err)) ||
	    (rc = ingest_files(in, report, err)))
		goto out;
	if (nothing_new(report)) {
		/* Every file was ingested before, or has no runs: leave no trace,
		 * not even an ingest row. */
		sg_store_rollback(in->store);
	} else if ((rc = audit_ingest(app, in, report, err)) || (rc = sg_store_commit(in->store, err))) {
		goto out;
	}
	in_tx = 0;
out:
	if (in_tx)
		sg_store_rollback(in->store);
	if (in) {
		for (i = 0; i < in->n_views; i++) {
			sg_free(in->views[i].tool);
			sg_free(in->views[i].category);
		}
		sg_source_lines_free(in->sources);
		sg_sight_batch_free(in->batch);
	}
	sg_free(in);
	return rc;
}

void sg_ingest_report_release(struct sg_ingest_report *report)
{
	sg_free(report->files);
	memset(report, 0, sizeof(*report));
}
