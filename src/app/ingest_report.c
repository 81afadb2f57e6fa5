/*
 * Ingest reports as JSON: one shape for `ingest sarif|sbom --format json`
 * and the API's answer to an upload (the shapes are in ingest_sarif.h and
 * sca.h). Unknown values are null, not "" or 0, so that a client can tell
 * "none" from "empty".
 */
#include "app/ingest_sarif.h"
#include "app/sca.h"
#include "util/json_writer.h"

static void kv_text(struct sg_jw *w, const char *key, const char *s)
{
	sg_jw_kv_string(w, key, s && s[0] ? s : NULL);
}

static void kv_id(struct sg_jw *w, const char *key, long long id)
{
	sg_jw_key(w, key);
	if (id > 0)
		sg_jw_int(w, id);
	else
		sg_jw_null(w);
}

static void kv_bool(struct sg_jw *w, const char *key, int v)
{
	sg_jw_key(w, key);
	sg_jw_bool(w, v);
}

void sg_ingest_report_json(struct sg_jw *w, const struct sg_ingest_report *r)
{
	size_t i;

	sg_jw_object_begin(w);
	kv_text(w, "commit", r->commit);
	sg_jw_kv_int(w, "fixed", r->fixed);
	sg_jw_key(w, "files");
	sg_jw_array_begin(w);
	for (i = 0; i < r->n_files; i++) {
		const struct sg_ingest_file_report *f = &r->files[i];
		sg_jw_object_begin(w);
		sg_jw_kv_string(w, "file", f->file);
		kv_bool(w, "duplicate", f->duplicate);
		kv_id(w, "duplicate_of", f->duplicate ? f->duplicate_of : 0);
		kv_id(w, "scan", f->duplicate ? 0 : f->first_scan_id);
		sg_jw_kv_int(w, "runs", f->n_runs);
		sg_jw_kv_int(w, "results", f->results);
		sg_jw_kv_int(w, "new", f->new_findings);
		sg_jw_kv_int(w, "reopened", f->reopened);
		sg_jw_kv_int(w, "not_failures", f->not_failures);
		sg_jw_kv_int(w, "absent", f->absent);
		sg_jw_kv_int(w, "tool_failed_runs", f->tool_failed_runs);
		sg_jw_object_end(w);
	}
	sg_jw_array_end(w);
	sg_jw_object_end(w);
}

void sg_sbom_report_json(struct sg_jw *w, const struct sg_sbom_report *r)
{
	const struct sg_sca_counts *m = &r->match;

	sg_jw_object_begin(w);
	kv_bool(w, "duplicate", r->duplicate);
	kv_id(w, "duplicate_of", r->duplicate ? r->duplicate_of : 0);
	/* A duplicate's scan was rolled back with the rest: there is none. */
	kv_id(w, "scan", r->duplicate ? 0 : r->scan_id);
	kv_text(w, "commit", r->commit);
	kv_text(w, "format", r->format);
	kv_text(w, "spec_version", r->spec_version);
	kv_text(w, "tool", r->tool);
	kv_text(w, "tool_version", r->tool_version);
	kv_text(w, "subject", r->subject);
	sg_jw_kv_int(w, "components", r->components);
	sg_jw_kv_int(w, "without_purl", r->without_purl);
	sg_jw_kv_int(w, "vex", r->vex);
	sg_jw_key(w, "match");
	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "components", m->components);
	sg_jw_kv_int(w, "unmatched", m->unmatched);
	sg_jw_kv_int(w, "vulnerable", m->vulnerable);
	sg_jw_kv_int(w, "findings", m->findings);
	sg_jw_kv_int(w, "new", m->new_findings);
	sg_jw_kv_int(w, "reopened", m->reopened);
	sg_jw_kv_int(w, "fixed", m->fixed);
	sg_jw_kv_int(w, "not_applicable", m->not_applicable);
	sg_jw_kv_int(w, "license_findings", m->license_findings);
	sg_jw_kv_int(w, "skipped_versions", m->skipped_versions);
	sg_jw_kv_int(w, "unplaceable", m->unplaceable);
	sg_jw_object_end(w);
	sg_jw_object_end(w);
}
