/*
 * SARIF 2.1.0 reader, pass 1: the whole document is checked (syntax, version,
 * limits) and what results refer to is kept: per run the tool, its rules,
 * uriBaseIds, artifacts and automationDetails.id. When a run's context is
 * complete before its results, they are handed over live (see struct
 * sarif_collect).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest/sarif_model.h"
#include "util/alloc.h"
#include "util/utf8.h"

static int is_scalar(const struct sg_json_event *ev)
{
	return ev->type == SG_JSON_STRING || ev->type == SG_JSON_NUMBER || ev->type == SG_JSON_NULL ||
	       ev->type == SG_JSON_TRUE || ev->type == SG_JSON_FALSE;
}


/* Structural problems are noted, not raised at once: if the version turns
 * out to be wrong (it may come last), that is the error the user needs. */
static int defer(struct sarif_collect *c, struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
	SG_PRINTF(4, 5);
static int defer(struct sarif_collect *c, struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
{
	struct sg_error saved;
	char message[sizeof(saved.message)];
	va_list ap;

	if (c->have_deferred)
		return 0;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	saved = *c->err;
	sg_json_fail(r, diag, "%s", message);
	c->deferred = *c->err;
	*c->err = saved;
	c->have_deferred = 1;
	return 0;
}

static int keep_string(struct sg_json_reader *r, char **slot, const char *text, size_t len)
{
	if (len > SG_SARIF_MAX_FIELD_BYTES)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "value longer than %d bytes",
				    SG_SARIF_MAX_FIELD_BYTES);
	sg_free(*slot);
	*slot = sg_strndup(text, len);
	if (!*slot)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

/* Like keep_string, but long descriptive text is cut rather than refused. */
static int keep_text(struct sg_json_reader *r, char **slot, const char *text, size_t len)
{
	len = sg_utf8_cut(text, len, SG_SARIF_MAX_MESSAGE_BYTES);
	sg_free(*slot);
	*slot = sg_strndup(text, len);
	if (!*slot)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

static void *grow(void *array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 4;
	void *p;

	if (need <= *cap)
		return array;
	while (n < need)
		n *= 2;
	p = sg_realloc_array(array, n, size);
	if (p) {
		memset((char *)p + *cap * size, 0, (n - *cap) * size);
		*cap = n;
	}
	return p;
}

static struct sarif_run_ctx *current_run(struct sarif_collect *c)
{
	return c->doc.n_runs ? &c->doc.runs[c->doc.n_runs - 1] : NULL;
}

static int new_run(struct sarif_collect *c, struct sg_json_reader *r)
{
	struct sarif_run_ctx *runs;

	if (c->doc.n_runs >= SG_SARIF_MAX_RUNS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d runs", SG_SARIF_MAX_RUNS);
	runs = grow(c->doc.runs, &c->doc.cap_runs, c->doc.n_runs + 1, sizeof(*runs));
	if (!runs)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	c->doc.runs = runs;
	c->doc.n_runs++;
	return 0;
}

static int new_rule(struct sarif_collect *c, struct sg_json_reader *r, struct sarif_run_ctx *run)
{
	struct sarif_rule *rules;

	if (c->doc.total_rules >= SG_SARIF_MAX_RULES)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d rules", SG_SARIF_MAX_RULES);
	rules = grow(run->rules, &run->cap_rules, run->n_rules + 1, sizeof(*rules));
	if (!rules)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	run->rules = rules;
	run->n_rules++;
	c->doc.total_rules++;
	if (run->in_extension) {
		run->components[run->n_components - 1].n_rules++;
	} else {
		/* The driver may come after its extensions (SpotBugs writes it so):
		 * its rules are one run of the array, wherever it starts. */
		if (run->n_driver_rules == 0)
			run->driver_first = run->n_rules - 1;
		run->n_driver_rules++;
	}
	return 0;
}

static int new_component(struct sg_json_reader *r, struct sarif_run_ctx *run)
{
	struct sarif_component *comps;

	if (run->n_components >= SG_SARIF_MAX_EXTENSIONS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d tool extensions",
				    SG_SARIF_MAX_EXTENSIONS);
	/* Driver rules must all come before extension rules in run->rules: a
	 * driver listed after its extensions would interleave. */
	comps = grow(run->components, &run->cap_components, run->n_components + 1, sizeof(*comps));
	if (!comps)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	run->components = comps;
	comps[run->n_components].first_rule = run->n_rules;
	comps[run->n_components].n_rules = 0;
	run->n_components++;
	return 0;
}

/* Fields of a reportingDescriptor (§3.49), relative to the rule's depth. */
static int collect_rule_field(struct sarif_collect *c, struct sg_json_reader *r, const struct sg_json_event *ev,
			      struct sarif_rule *rule, int base)
{
	if (AT(r, base, "id")) {
		if (ev->type != SG_JSON_STRING)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "rule id must be a string, not %s",
				     sarif_type_name(ev->type));
		return keep_string(r, &rule->id, ev->text, ev->len);
	}
	if (AT(r, base, "name") && ev->type == SG_JSON_STRING)
		return keep_text(r, &rule->name, ev->text, ev->len);
	if (AT(r, base, "shortDescription", "text") && ev->type == SG_JSON_STRING)
		return keep_text(r, &rule->short_description, ev->text, ev->len);
	if (AT(r, base, "defaultConfiguration", "level")) {
		if (ev->type != SG_JSON_STRING || sg_level_parse(ev->text, &rule->default_level) != 0)
			return defer(c, r, SG_DIAG_SARIF_INVALID,
				     "level must be \"none\", \"note\", \"warning\" or \"error\"");
		return 0;
	}
	if (AT(r, base, "properties", "security-severity") &&
	    (ev->type == SG_JSON_STRING || ev->type == SG_JSON_NUMBER)) {
		/* GitHub reads it as a string; numbers occur too. Unusable values mean "no score". */
		if (sg_score_parse(ev->text, &rule->score) == 0)
			rule->has_score = 1;
	}
	return 0;
}

static int collect_run_field(struct sarif_collect *c, struct sg_json_reader *r, const struct sg_json_event *ev,
			     struct sarif_run_ctx *run)
{
	/* depth: runs(0) #(1) then run members from level 2 */
	if (AT(r, 2, "tool", "driver", "name")) {
		if (ev->type != SG_JSON_STRING)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "tool.driver.name must be a string");
		return keep_string(r, &run->tool, ev->text, ev->len);
	}
	if (AT(r, 2, "tool", "driver", "version") && ev->type == SG_JSON_STRING)
		return keep_string(r, &run->tool_version, ev->text, ev->len);
	if (AT(r, 2, "tool", "driver", "semanticVersion") && ev->type == SG_JSON_STRING)
		return keep_string(r, &run->semantic_version, ev->text, ev->len);
	if (AT(r, 2, "tool", "driver", "rules", "#")) {
		if (ev->type == SG_JSON_OBJECT_START) {
			run->in_extension = 0;
			return new_rule(c, r, run);
		}
		if (ev->type != SG_JSON_OBJECT_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a rule must be an object, not %s",
				     sarif_type_name(ev->type));
		return 0;
	}
	if (AT(r, 2, "tool", "extensions", "#") && ev->type == SG_JSON_OBJECT_START) {
		run->in_extension = 1;
		return new_component(r, run);
	}
	if (AT(r, 2, "tool", "extensions", "#", "rules", "#")) {
		if (ev->type == SG_JSON_OBJECT_START)
			return new_rule(c, r, run);
		if (ev->type != SG_JSON_OBJECT_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a rule must be an object, not %s",
				     sarif_type_name(ev->type));
		return 0;
	}
	{
		static const char *const driver_rule[] = {"runs", "#", "tool", "driver", "rules", "#", NULL};
		static const char *const ext_rule[] = {"runs", "#", "tool", "extensions", "#", "rules", "#", NULL};
		if (run->n_rules > 0 && sg_json_depth(r) > 6 && sg_json_match_prefix(r, driver_rule))
			return run->in_extension ? 0
						 : collect_rule_field(c, r, ev, &run->rules[run->n_rules - 1], 6);
		if (run->n_rules > 0 && sg_json_depth(r) > 7 && sg_json_match_prefix(r, ext_rule))
			return run->in_extension
				       ? collect_rule_field(c, r, ev, &run->rules[run->n_rules - 1], 7)
				       : 0;
	}
	/* §3.14.14 originalUriBaseIds: { "SRCROOT": { "uri": "file:///src/" } } */
	if (AT(r, 2, "originalUriBaseIds", "*") && ev->type == SG_JSON_OBJECT_START) {
		struct sarif_uri_base *bases;
		if (run->n_bases >= SG_SARIF_MAX_URI_BASES)
			return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d uriBaseIds",
					    SG_SARIF_MAX_URI_BASES);
		bases = grow(run->bases, &run->cap_bases, run->n_bases + 1, sizeof(*bases));
		if (!bases)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		run->bases = bases;
		run->n_bases++;
		return keep_string(r, &bases[run->n_bases - 1].name, sg_json_key(r, 3), strlen(sg_json_key(r, 3)));
	}
	if (AT(r, 2, "originalUriBaseIds", "*", "uri") && ev->type == SG_JSON_STRING && run->n_bases)
		return keep_string(r, &run->bases[run->n_bases - 1].uri, ev->text, ev->len);
	if (AT(r, 2, "originalUriBaseIds", "*", "uriBaseId") && ev->type == SG_JSON_STRING && run->n_bases)
		return keep_string(r, &run->bases[run->n_bases - 1].base_id, ev->text, ev->len);
	if (AT(r, 2, "automationDetails", "id") && ev->type == SG_JSON_STRING)
		return keep_string(r, &run->automation_id, ev->text, ev->len);
	if (AT(r, 2, "artifacts", "#") && ev->type == SG_JSON_OBJECT_START) {
		struct sarif_artifact *arts;
		if (c->doc.total_artifacts >= SG_SARIF_MAX_ARTIFACTS)
			return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d artifacts",
					    SG_SARIF_MAX_ARTIFACTS);
		arts = grow(run->artifacts, &run->cap_artifacts, run->n_artifacts + 1, sizeof(*arts));
		if (!arts)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		run->artifacts = arts;
		run->n_artifacts++;
		c->doc.total_artifacts++;
		return 0;
	}
	if (AT(r, 2, "artifacts", "#", "location", "uri") && ev->type == SG_JSON_STRING && run->n_artifacts)
		return keep_string(r, &run->artifacts[run->n_artifacts - 1].uri, ev->text, ev->len);
	if (AT(r, 2, "artifacts", "#", "location", "uriBaseId") && ev->type == SG_JSON_STRING &&
	    run->n_artifacts)
		return keep_string(r, &run->artifacts[run->n_artifacts - 1].base_id, ev->text, ev->len);
	/* §3.14.23: results absent or null = the tool failed; [] = it found nothing. */
	if (AT(r, 2, "results")) {
		if (run->results_seen && ev->type != SG_JSON_ARRAY_END)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "\"results\" appears twice in a run");
		if (ev->type != SG_JSON_ARRAY_START)
			run->results_seen = 1;
		if (ev->type == SG_JSON_NULL) {
			run->results_state = 1;
		} else if (ev->type == SG_JSON_ARRAY_START) {
			run->results_state = 2;
			sg_json_tag_container(r, TAG_RESULTS);
		}
		else if (ev->type != SG_JSON_ARRAY_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "results must be an array or null, not %s",
				     sarif_type_name(ev->type));
		return 0;
	}
	if (AT(r, 2, "results", "#")) {
		if (ev->type == SG_JSON_OBJECT_START) {
			if (++c->doc.total_results > SG_SARIF_MAX_RESULTS)
				return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d results",
						    SG_SARIF_MAX_RESULTS);
			run->n_results++;
		} else if (ev->type != SG_JSON_OBJECT_END) {
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a result must be an object, not %s",
				     sarif_type_name(ev->type));
		}
	}
	return 0;
}

/* ---- live reading (see struct sarif_collect) ---- */

/* Run members that change how results read: arriving after a live run's
 * results started, they make what was handed over wrong. */
static int is_context_member(const char *key)
{
	return key && (strcmp(key, "tool") == 0 || strcmp(key, "originalUriBaseIds") == 0 ||
		       strcmp(key, "automationDetails") == 0 || strcmp(key, "artifacts") == 0);
}

/* The run's results begin (or it turns out to have none): go live if its
 * context is complete and the document is good so far. */
static int live_begin(struct sarif_collect *c, struct sarif_run_ctx *run, int index)
{
	struct sarif_walk *w = c->live;

	if (!w || !c->live_ok || run->live)
		return 0;
	/* The version may come last; until it is known to be 2.1.0 nothing is
	 * handed over, so a wrong version is reported as such. */
	if (!c->doc.version || strcmp(c->doc.version, "2.1.0") != 0 || c->have_deferred || !run->tool) {
		c->live_ok = 0;
		return 0;
	}
	if (sarif_run_index_rules(run))
		return sg_error_set(c->err, SG_DIAG_NO_MEMORY, "out of memory");
	sarif_walk_enter_run(w, run, index);
	run->live = 1;
	c->live_writes = 1;
	return w->sink->run_begin ? w->sink->run_begin(w->sink->ctx, &w->run, w->err) : 0;
}

static int live_end(struct sarif_collect *c, struct sarif_run_ctx *run, int index)
{
	struct sarif_walk *w = c->live;
	int rc;

	if (!w || !c->live_ok)
		return 0;
	if (!run->live) { /* no results member at all: the run is read live here */
		rc = live_begin(c, run, index);
		if (rc || !c->live_ok)
			return rc;
	}
	w->run.result_count = run->n_results;
	return w->sink->run_end ? w->sink->run_end(w->sink->ctx, &w->run, w->err) : 0;
}

/* An event inside /runs/#/results/#: count results; read them when live. */
static int results_event(struct sarif_collect *c, struct sg_json_reader *r, const struct sg_json_event *ev,
			 struct sarif_run_ctx *run)
{
	int rc, live = c->live_ok && run->live;

	if (sg_json_depth(r) > 4)
		return live ? sarif_result_field(c->live, r, ev) : 0;
	rc = collect_run_field(c, r, ev, run);
	if (rc || !live)
		return rc;
	if (ev->type == SG_JSON_OBJECT_START) {
		sarif_result_reset(&c->live->res);
		sg_json_tag_container(r, TAG_RESULT);
	} else if (ev->type == SG_JSON_OBJECT_END) {
		rc = sarif_emit_result(c->live, r);
		if (!rc && c->live->live_gave_up)
			c->live_ok = 0; /* the sink abandons; pass 2 reads every result */
		return rc;
	}
	return 0;
}

int sarif_collect_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sarif_collect *c = ctx;
	struct sarif_run_ctx *run;
	int depth = sg_json_depth(r), rc;

	if (depth == 0) {
		if (ev->type == SG_JSON_OBJECT_START)
			c->doc.root_is_object = 1;
		else if (ev->type != SG_JSON_OBJECT_END)
			return sg_json_fail(r, SG_DIAG_SARIF_NOT_SARIF,
					    "not a SARIF log: the document is %s, not an object",
					    sarif_type_name(ev->type));
		return 0;
	}
	/* §3.13.2: "version ... SHALL be the string "2.1.0"". It may come anywhere. */
	if (depth == 1 && AT(r, 0, "version")) {
		/* A member twice is legal JSON but says two things: refuse it. */
		if (c->doc.has_version)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "\"version\" appears twice");
		c->doc.has_version = 1;
		sg_json_position(r, &c->doc.version_line, &c->doc.version_column, &c->doc.version_offset);
		if (ev->type == SG_JSON_STRING)
			return keep_string(r, &c->doc.version, ev->text, ev->len);
		if (is_scalar(ev) && ev->text)
			return keep_string(r, &c->doc.version, ev->text, ev->len);
		return keep_string(r, &c->doc.version, "(not a string)", 14);
	}
	/* §3.13.4: runs is null (the tool could not run) or an array of runs. */
	if (depth == 1 && AT(r, 0, "runs")) {
		if (c->doc.has_runs && (ev->type == SG_JSON_ARRAY_START || ev->type == SG_JSON_NULL))
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "\"runs\" appears twice");
		c->doc.has_runs = 1;
		if (ev->type == SG_JSON_ARRAY_START)
			sg_json_tag_container(r, TAG_RUNS);
		if (ev->type == SG_JSON_NULL)
			c->doc.runs_null = 1;
		else if (ev->type != SG_JSON_ARRAY_START && ev->type != SG_JSON_ARRAY_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "runs must be an array or null, not %s",
				     sarif_type_name(ev->type));
		return 0;
	}
	if (depth < 2 || sg_json_tag(r, 1) != TAG_RUNS)
		return 0;
	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START)
			return new_run(c, r);
		if (ev->type == SG_JSON_OBJECT_END && current_run(c))
			return live_end(c, current_run(c), (int)sg_json_index(r, 1));
		if (ev->type != SG_JSON_OBJECT_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a run must be an object, not %s",
				     sarif_type_name(ev->type));
		return 0;
	}
	run = current_run(c);
	if (!run)
		return 0;
	if (depth >= 4 && sg_json_tag(r, 3) == TAG_RESULTS)
		return results_event(c, r, ev, run); /* the bulk of a log */
	if (run->live && is_context_member(sg_json_key(r, 2)))
		c->live_ok = 0;
	rc = collect_run_field(c, r, ev, run);
	if (rc || depth != 3 || !AT(r, 2, "results"))
		return rc;
	if (ev->type == SG_JSON_ARRAY_START || ev->type == SG_JSON_NULL)
		return live_begin(c, run, (int)sg_json_index(r, 1));
	return 0;
}

/* After pass 1: is this a SARIF 2.1.0 log we can read? */
int sarif_check_document(struct sarif_collect *c, const char *name)
{
	struct sg_error *err = c->err;
	size_t i;

	sg_error_where(err, name);
	/* Document-level problems point at the version, or at the start. */
	err->line = c->doc.has_version ? c->doc.version_line : 1;
	err->column = c->doc.has_version ? c->doc.version_column : 1;
	err->offset = c->doc.has_version ? c->doc.version_offset : 0;
	if (!c->doc.has_version && !c->doc.has_runs)
		return sg_error_set(err, SG_DIAG_SARIF_NOT_SARIF,
				    "not a SARIF log: no \"version\" and no \"runs\"");
	if (!c->doc.has_version) {
		snprintf(err->pointer, sizeof(err->pointer), "/version");
		return sg_error_set(err, SG_DIAG_SARIF_VERSION,
				    "the log has no \"version\"; shipgate reads SARIF 2.1.0");
	}
	if (strcmp(c->doc.version, "2.1.0") != 0) {
		snprintf(err->pointer, sizeof(err->pointer), "/version");
		return sg_error_set(err, SG_DIAG_SARIF_VERSION,
				    "unsupported SARIF version \"%s\"; shipgate reads SARIF 2.1.0",
				    c->doc.version);
	}
	if (c->have_deferred) {
		*err = c->deferred;
		return err->code;
	}
	if (!c->doc.has_runs) {
		snprintf(err->pointer, sizeof(err->pointer), "/runs");
		return sg_error_set(err, SG_DIAG_SARIF_INVALID, "the log has no \"runs\"");
	}
	for (i = 0; i < c->doc.n_runs; i++) {
		if (!c->doc.runs[i].tool || !c->doc.runs[i].tool[0]) {
			snprintf(err->pointer, sizeof(err->pointer), "/runs/%zu/tool/driver/name", i);
			return sg_error_set(err, SG_DIAG_SARIF_NO_TOOL, "run %zu names no tool", i);
		}
	}
	return 0;
}

