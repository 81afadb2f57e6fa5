/*
 * What the SARIF reader keeps of each run between its two passes (internal
 * to ingest/sarif*.c). Everything here is bounded by util/limits.h.
 */
#ifndef SG_INGEST_SARIF_MODEL_H
#define SG_INGEST_SARIF_MODEL_H

#include <stddef.h>

#include "core/identity.h"
#include "core/severity.h"
#include "ingest/sarif.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_reader.h"
#include "util/limits.h"

struct sarif_rule {
	char *id;
	char *name;
	char *short_description;
	enum sg_level default_level;
	int has_score;
	double score;
};

struct sarif_component {   /* a tool.extensions[] entry: its rules' range */
	size_t first_rule;
	size_t n_rules;
};

struct sarif_uri_base {
	char *name;
	char *uri;
	char *base_id;
};

struct sarif_artifact {
	char *uri;
	char *base_id;
};

struct sarif_run_ctx {
	int live;                 /* its results were handed over during pass 1 */
	char *tool;
	char *tool_version;
	char *semantic_version;
	char *automation_id;
	int results_state;        /* 0 absent, 1 null, 2 array */
	int results_seen;         /* the member was there (twice is refused) */
	long long n_results;

	struct sarif_rule *rules; /* tool.driver's and each extension's, in document order */
	size_t n_rules, cap_rules;
	size_t driver_first;      /* where tool.driver.rules start in rules[] */
	size_t n_driver_rules;
	int in_extension;         /* rules being read belong to the last component */
	struct sarif_component *components;
	size_t n_components, cap_components;

	size_t *rule_index;       /* open-addressing table of rule ids -> rule + 1 */
	size_t rule_index_cap;

	struct sarif_uri_base *bases;
	size_t n_bases, cap_bases;
	struct sarif_artifact *artifacts;
	size_t n_artifacts, cap_artifacts;
};

struct sarif_doc {
	char *version;
	long version_line, version_column; /* where its value is, for errors */
	long long version_offset;
	int has_version, has_runs, runs_null;
	int root_is_object;
	struct sarif_run_ctx *runs;
	size_t n_runs, cap_runs;
	size_t total_rules, total_artifacts;
	long long total_results;
};

void sarif_doc_free(struct sarif_doc *doc);
/* Build each run's rule-id table; SG_ENOMEM on failure. */
int sarif_doc_index_rules(struct sarif_doc *doc);
/* Rule by id (exact, then without its last "/component", §3.52.4); NULL if none. */
const struct sarif_rule *sarif_run_rule_by_id(const struct sarif_run_ctx *run, const char *id);
/* The URI a uriBaseId stands for, following base chains; NULL if unknown.
 * Writes into out (out_size bytes). */
const char *sarif_run_resolve_base(const struct sarif_run_ctx *run, const char *base_id, char *out,
				   size_t out_size);

/* ---- path helpers ---- */

/* Does the path, from `base` levels down, equal the keys given ("#": any
 * index, "*": any key)? */
int sarif_at(const struct sg_json_reader *r, int base, const char *const *keys);
#define AT(r, base, ...) sarif_at((r), (base), (const char *const[]){__VA_ARGS__, NULL})
const char *sarif_type_name(enum sg_json_type t);

/* Containers tagged through sg_json_tag_container(), so that the events of
 * the bulk of a log (results) are recognised by one integer compare. */
enum {
	TAG_RUNS = 1,
	TAG_RESULTS,
	TAG_RESULT,
	TAG_PHYSICAL_LOCATION,
	TAG_ARTIFACT_LOCATION,
	TAG_REGION,
};

/* ---- building one result (sarif_result.c) ---- */

struct sarif_result_state {
	struct sg_buf rule_id, message, message_id, uri, uri_base_id, snippet, fqn, fps_text;
	long long rule_index, rule_ref_index, component_index, artifact_index;
	int has_rule_id;
	enum sg_level level;
	int kind_is_fail;
	int absent;               /* baselineState "absent": not in this run */
	long line, column;
	int has_score;
	double score;
	struct sg_fingerprint_entry fps[SG_SARIF_MAX_FINGERPRINTS];
	size_t fp_offsets[SG_SARIF_MAX_FINGERPRINTS][2];
	int fp_partial[SG_SARIF_MAX_FINGERPRINTS];
	size_t n_fps;
};

/* What hands results to the sink, in either pass. */
struct sarif_walk {
	struct sarif_doc *doc;
	const struct sg_sarif_options *opts;
	const struct sg_sarif_sink *sink;
	struct sg_sarif_summary *summary;
	struct sg_error *err;
	struct sg_sarif_run run;
	char category[SG_SARIF_MAX_FIELD_BYTES + 1];
	struct sarif_run_ctx *ctx;
	struct sarif_result_state res;
	char path[4096];
	/* Reading live, a result referred to something its run may still
	 * define later (an artifact, a base uri): pass 2 decides instead. */
	int live_gave_up;
};

void sarif_result_state_init(struct sarif_result_state *s);
void sarif_result_state_release(struct sarif_result_state *s);
void sarif_result_reset(struct sarif_result_state *s);
/* One event inside a result (path /runs/#/results/#/...). */
int sarif_result_field(struct sarif_walk *w, struct sg_json_reader *r, const struct sg_json_event *ev);
/* The result object ended: resolve it against its run and hand it over. */
int sarif_emit_result(struct sarif_walk *w, struct sg_json_reader *r);
/* Make `run` the walk's current run and describe it in w->run. */
void sarif_walk_enter_run(struct sarif_walk *w, struct sarif_run_ctx *run, int index);

/* ---- pass 1 (sarif_collect.c) ---- */

struct sarif_collect {
	struct sarif_doc doc;
	struct sg_error deferred; /* first structural error; reported unless the version is wrong */
	int have_deferred;
	struct sg_error *err;
	/* Live reading: when a run's context is complete before its results (the
	 * common order), its results go to the sink during pass 1 and pass 2 is
	 * not needed. Anything that would change how a result already handed
	 * over reads (a late tool, uriBaseId, artifact or automationDetails)
	 * clears live_ok: the sink abandons what it did, and pass 2 runs. */
	struct sarif_walk *live;  /* NULL: never live */
	int live_ok;
	int live_writes;
};

int sarif_collect_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev);
/* After pass 1: is this a SARIF 2.1.0 log shipgate can read? */
int sarif_check_document(struct sarif_collect *c, const char *name);
/* Build one run's rule-id table; SG_ENOMEM on failure. */
int sarif_run_index_rules(struct sarif_run_ctx *run);

/* ---- one log read in its passes (sarif.c): the file reader and the push
 * checker (sarif_check.c) are the same steps, fed from a file or pushed ---- */

struct sarif_reader {
	struct sarif_collect c;
	struct sarif_walk w;
};

/* Reads live (when the sink can abandon, see struct sarif_collect) into
 * summary; errors go to err, which must be where every event's error goes. */
int sarif_reader_new(const struct sg_sarif_options *opts, const struct sg_sarif_sink *sink,
		     struct sg_sarif_summary *summary, struct sg_error *err, struct sarif_reader **out);
void sarif_reader_free(struct sarif_reader *rd);
/* Pass 1 read the whole document through sarif_collect_event(&rd->c):
 * check it, count it; *pass2 says whether its results still need pass 2. */
int sarif_reader_collected(struct sarif_reader *rd, const char *name, int *pass2);
/* Pass 2 over the document's bytes in fd, from its start. */
int sarif_reader_walk_fd(struct sarif_reader *rd, int fd, const char *name);

#endif
