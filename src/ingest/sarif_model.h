/*
 * What the SARIF reader keeps of each run between its two passes (internal
 * to ingest/sarif*.c). Everything here is bounded by util/limits.h.
 */
#ifndef SG_INGEST_SARIF_MODEL_H
#define SG_INGEST_SARIF_MODEL_H

#include <stddef.h>

#include "core/severity.h"
#include "util/error.h"

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
	char *tool;
	char *tool_version;
	char *semantic_version;
	char *automation_id;
	int results_state;        /* 0 absent, 1 null, 2 array */
	long long n_results;

	struct sarif_rule *rules; /* driver rules first, then each extension's */
	size_t n_rules, cap_rules;
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

#endif
