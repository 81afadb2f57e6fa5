/*
 * SARIF 2.1.0 reader: the document walk. Pass 1 (collect_*) keeps the run
 * context, pass 2 (result_*) builds and hands over one result at a time.
 * Spec sections are quoted above the code that implements them.
 */
#include "ingest/sarif.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/pathnorm.h"
#include "ingest/sarif_model.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/json_reader.h"
#include "util/limits.h"

/* ------------------------------------------------------------------ */
/* helpers over the reader's path                                      */

/* Does the path, from `base` levels down, equal the keys given? ("#" any index) */
static int at(const struct sg_json_reader *r, int base, const char *const *keys)
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
#define AT(r, base, ...) at((r), (base), (const char *const[]){__VA_ARGS__, NULL})

static int is_scalar(const struct sg_json_event *ev)
{
	return ev->type == SG_JSON_STRING || ev->type == SG_JSON_NUMBER || ev->type == SG_JSON_NULL ||
	       ev->type == SG_JSON_TRUE || ev->type == SG_JSON_FALSE;
}

static const char *type_name(enum sg_json_type t)
{
	switch (t) {
	case SG_JSON_NULL: return "null";
	case SG_JSON_TRUE:
	case SG_JSON_FALSE: return "a boolean";
	case SG_JSON_NUMBER: return "a number";
	case SG_JSON_STRING: return "a string";
	case SG_JSON_OBJECT_START: return "an object";
	case SG_JSON_ARRAY_START: return "an array";
	default: return "a value";
	}
}

/* ------------------------------------------------------------------ */
/* pass 1: the document and each run's context                         */

struct collect {
	struct sarif_doc doc;
	struct sg_error deferred; /* first structural error; reported unless the version is wrong */
	int have_deferred;
	struct sg_error *err;
};

/* Structural problems are noted, not raised at once: if the version turns
 * out to be wrong (it may come last), that is the error the user needs. */
static int defer(struct collect *c, struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
	SG_PRINTF(4, 5);
static int defer(struct collect *c, struct sg_json_reader *r, enum sg_diag diag, const char *fmt, ...)
{
	struct sg_error saved;
	char message[sizeof(saved.message)];
	va_list ap;

	if (c->have_deferred)
		return 0;
	va_start(ap, fmt);
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
	if (len > SG_SARIF_MAX_MESSAGE_BYTES)
		len = SG_SARIF_MAX_MESSAGE_BYTES;
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

static struct sarif_run_ctx *current_run(struct collect *c)
{
	return c->doc.n_runs ? &c->doc.runs[c->doc.n_runs - 1] : NULL;
}

static int new_run(struct collect *c, struct sg_json_reader *r)
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

static int new_rule(struct collect *c, struct sg_json_reader *r, struct sarif_run_ctx *run)
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
	if (run->in_extension)
		run->components[run->n_components - 1].n_rules++;
	else
		run->n_driver_rules++;
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
static int collect_rule_field(struct collect *c, struct sg_json_reader *r, const struct sg_json_event *ev,
			      struct sarif_rule *rule, int base)
{
	if (AT(r, base, "id")) {
		if (ev->type != SG_JSON_STRING)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "rule id must be a string, not %s",
				     type_name(ev->type));
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

static int collect_run_field(struct collect *c, struct sg_json_reader *r, const struct sg_json_event *ev,
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
			if (run->n_components)
				return defer(c, r, SG_DIAG_SARIF_INVALID,
					     "tool.driver must come before tool.extensions");
			return new_rule(c, r, run);
		}
		if (ev->type != SG_JSON_OBJECT_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a rule must be an object, not %s",
				     type_name(ev->type));
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
				     type_name(ev->type));
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
		if (ev->type == SG_JSON_NULL)
			run->results_state = 1;
		else if (ev->type == SG_JSON_ARRAY_START)
			run->results_state = 2;
		else if (ev->type != SG_JSON_ARRAY_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "results must be an array or null, not %s",
				     type_name(ev->type));
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
				     type_name(ev->type));
		}
	}
	return 0;
}

static int collect_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct collect *c = ctx;
	int depth = sg_json_depth(r);

	if (depth == 0) {
		if (ev->type == SG_JSON_OBJECT_START)
			c->doc.root_is_object = 1;
		else if (ev->type != SG_JSON_OBJECT_END)
			return sg_json_fail(r, SG_DIAG_SARIF_NOT_SARIF,
					    "not a SARIF log: the document is %s, not an object",
					    type_name(ev->type));
		return 0;
	}
	/* §3.13.2: "version ... SHALL be the string "2.1.0"". It may come anywhere. */
	if (AT(r, 0, "version")) {
		c->doc.has_version = 1;
		if (ev->type == SG_JSON_STRING)
			return keep_string(r, &c->doc.version, ev->text, ev->len);
		if (is_scalar(ev) && ev->text)
			return keep_string(r, &c->doc.version, ev->text, ev->len);
		return keep_string(r, &c->doc.version, "(not a string)", 14);
	}
	/* §3.13.4: runs is null (the tool could not run) or an array of runs. */
	if (AT(r, 0, "runs")) {
		c->doc.has_runs = 1;
		if (ev->type == SG_JSON_NULL)
			c->doc.runs_null = 1;
		else if (ev->type != SG_JSON_ARRAY_START && ev->type != SG_JSON_ARRAY_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "runs must be an array or null, not %s",
				     type_name(ev->type));
		return 0;
	}
	if (depth < 2 || !sg_json_key(r, 0) || strcmp(sg_json_key(r, 0), "runs") != 0 || sg_json_key(r, 1))
		return 0;
	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START)
			return new_run(c, r);
		if (ev->type != SG_JSON_OBJECT_END)
			return defer(c, r, SG_DIAG_SARIF_INVALID, "a run must be an object, not %s",
				     type_name(ev->type));
		return 0;
	}
	if (!current_run(c))
		return 0;
	return collect_run_field(c, r, ev, current_run(c));
}

/* After pass 1: is this a SARIF 2.1.0 log we can read? */
static int check_document(struct collect *c, const char *name)
{
	struct sg_error *err = c->err;
	size_t i;

	sg_error_where(err, name);
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

/* ------------------------------------------------------------------ */
/* pass 2: one result at a time                                        */

struct result_state {
	struct sg_buf rule_id, message, message_id, uri, uri_base_id, snippet, fqn, fps_text;
	long long rule_index, rule_ref_index, component_index, artifact_index;
	int has_rule_id;
	enum sg_level level;
	int kind_is_fail;
	long line, column;
	int has_score;
	double score;
	struct sg_fingerprint_entry fps[SG_SARIF_MAX_FINGERPRINTS];
	size_t fp_offsets[SG_SARIF_MAX_FINGERPRINTS][2];
	int fp_partial[SG_SARIF_MAX_FINGERPRINTS];
	size_t n_fps;
};

struct walk {
	struct sarif_doc *doc;
	const struct sg_sarif_options *opts;
	const struct sg_sarif_sink *sink;
	struct sg_sarif_summary *summary;
	struct sg_error *err;
	struct sg_sarif_run run;
	char category[SG_SARIF_MAX_FIELD_BYTES + 1];
	struct sarif_run_ctx *ctx;
	struct result_state res;
	char path[4096];
};

static void result_reset(struct result_state *s)
{
	sg_buf_reset(&s->rule_id);
	sg_buf_reset(&s->message);
	sg_buf_reset(&s->message_id);
	sg_buf_reset(&s->uri);
	sg_buf_reset(&s->uri_base_id);
	sg_buf_reset(&s->snippet);
	sg_buf_reset(&s->fqn);
	sg_buf_reset(&s->fps_text);
	s->rule_index = s->rule_ref_index = s->component_index = s->artifact_index = -1;
	s->has_rule_id = 0;
	s->level = SG_LEVEL_UNSET;
	s->kind_is_fail = 1;
	s->line = s->column = 0;
	s->has_score = 0;
	s->n_fps = 0;
}

static int set_buf(struct sg_json_reader *r, struct sg_buf *b, const struct sg_json_event *ev,
		   const char *what)
{
	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "%s must be a string, not %s", what,
				    type_name(ev->type));
	sg_buf_reset(b);
	if (sg_buf_add(b, ev->text, ev->len))
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "%s longer than %zu bytes", what, b->max);
	return 0;
}

/* Message text is kept cut to its limit rather than refused. */
static int set_text(struct sg_json_reader *r, struct sg_buf *b, const struct sg_json_event *ev)
{
	size_t len = ev->len < b->max ? ev->len : b->max;

	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "message text must be a string, not %s",
				    type_name(ev->type));
	sg_buf_reset(b);
	if (sg_buf_add(b, ev->text, len))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

static int get_index(struct sg_json_reader *r, const struct sg_json_event *ev, long long *out,
		     const char *what)
{
	long long v;

	if (ev->type != SG_JSON_NUMBER || sg_json_text_to_ll(ev->text, &v) != 0 || v < -1)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "%s must be an integer of -1 or more", what);
	*out = v;
	return 0;
}

static int get_position(struct sg_json_reader *r, const struct sg_json_event *ev, long *out,
			const char *what)
{
	long long v;

	if (ev->type != SG_JSON_NUMBER || sg_json_text_to_ll(ev->text, &v) != 0)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "%s must be an integer", what);
	if (v < 0 || v > SG_SARIF_MAX_LINE)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "%s %lld is out of range (0 to %d)", what, v,
				    SG_SARIF_MAX_LINE);
	*out = (long)v;
	return 0;
}

static int add_fingerprint(struct sg_json_reader *r, struct result_state *s,
			   const struct sg_json_event *ev, const char *name, int partial)
{
	size_t name_at, value_at;

	if (ev->type != SG_JSON_STRING)
		return 0; /* §3.27.17 values are strings; nested objects (Black Duck) say nothing usable */
	if (s->n_fps >= SG_SARIF_MAX_FINGERPRINTS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d fingerprints",
				    SG_SARIF_MAX_FINGERPRINTS);
	name_at = s->fps_text.len;
	sg_buf_add(&s->fps_text, name, strlen(name) + 1);
	value_at = s->fps_text.len;
	sg_buf_add(&s->fps_text, ev->text, ev->len + 1);
	if (sg_buf_error(&s->fps_text))
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "fingerprints longer than %zu bytes",
				    s->fps_text.max);
	/* Offsets, not pointers: the buffer may move as it grows. */
	s->fp_offsets[s->n_fps][0] = name_at;
	s->fp_offsets[s->n_fps][1] = value_at;
	s->fp_partial[s->n_fps] = partial;
	s->n_fps++;
	return 0;
}

/* One member of a result (§3.27), relative to the result at depth 4. */
static int result_field(struct walk *w, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct result_state *s = &w->res;
	enum { B = 4 };

	if (AT(r, B, "ruleId")) {
		s->has_rule_id = 1;
		return set_buf(r, &s->rule_id, ev, "ruleId");
	}
	if (AT(r, B, "rule", "id")) {
		if (s->has_rule_id) /* §3.27.5: if both are present they SHALL be equal */
			return 0;
		s->has_rule_id = 1;
		return set_buf(r, &s->rule_id, ev, "rule.id");
	}
	if (AT(r, B, "ruleIndex"))
		return get_index(r, ev, &s->rule_index, "ruleIndex");
	if (AT(r, B, "rule", "index"))
		return get_index(r, ev, &s->rule_ref_index, "rule.index");
	if (AT(r, B, "rule", "toolComponent", "index"))
		return get_index(r, ev, &s->component_index, "rule.toolComponent.index");
	if (AT(r, B, "kind")) {
		if (ev->type != SG_JSON_STRING)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "kind must be a string");
		s->kind_is_fail = strcmp(ev->text, "fail") == 0;
		return 0;
	}
	if (AT(r, B, "level")) {
		if (ev->type != SG_JSON_STRING || sg_level_parse(ev->text, &s->level) != 0)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID,
					    "level must be \"none\", \"note\", \"warning\" or \"error\"");
		return 0;
	}
	if (AT(r, B, "message", "text"))
		return set_text(r, &s->message, ev);
	if (AT(r, B, "message", "id"))
		return set_text(r, &s->message_id, ev);
	if (AT(r, B, "properties", "security-severity")) {
		if ((ev->type == SG_JSON_STRING || ev->type == SG_JSON_NUMBER) &&
		    sg_score_parse(ev->text, &s->score) == 0)
			s->has_score = 1;
		return 0;
	}
	if (sg_json_depth(r) == B + 2 && sg_json_key(r, B) && sg_json_key(r, B + 1)) {
		if (strcmp(sg_json_key(r, B), "fingerprints") == 0)
			return add_fingerprint(r, s, ev, sg_json_key(r, B + 1), 0);
		if (strcmp(sg_json_key(r, B), "partialFingerprints") == 0)
			return add_fingerprint(r, s, ev, sg_json_key(r, B + 1), 1);
	}
	/* §3.27.12: GitHub and shipgate use the first location only. */
	if (sg_json_depth(r) > B + 2 && sg_json_index(r, B + 1) == 0 && sg_json_key(r, B) &&
	    strcmp(sg_json_key(r, B), "locations") == 0) {
		enum { L = B + 2 };
		if (AT(r, L, "physicalLocation", "artifactLocation", "uri"))
			return set_buf(r, &s->uri, ev, "artifactLocation.uri");
		if (AT(r, L, "physicalLocation", "artifactLocation", "uriBaseId"))
			return set_buf(r, &s->uri_base_id, ev, "artifactLocation.uriBaseId");
		if (AT(r, L, "physicalLocation", "artifactLocation", "index"))
			return get_index(r, ev, &s->artifact_index, "artifactLocation.index");
		if (AT(r, L, "physicalLocation", "region", "startLine"))
			return get_position(r, ev, &s->line, "startLine");
		if (AT(r, L, "physicalLocation", "region", "startColumn"))
			return get_position(r, ev, &s->column, "startColumn");
		if (AT(r, L, "physicalLocation", "region", "snippet", "text"))
			return set_text(r, &s->snippet, ev);
		if (AT(r, L, "logicalLocations", "#", "fullyQualifiedName") && sg_json_index(r, L + 1) == 0)
			return set_buf(r, &s->fqn, ev, "fullyQualifiedName");
		if (AT(r, L, "logicalLocations", "#", "name") && sg_json_index(r, L + 1) == 0 &&
		    s->fqn.len == 0)
			return set_buf(r, &s->fqn, ev, "logicalLocation.name");
	}
	return 0;
}

/* Find the rule a result refers to (§3.52.3): by index, else by id. */
static int resolve_rule(struct walk *w, struct sg_json_reader *r, const struct sarif_rule **out)
{
	const struct sarif_run_ctx *run = w->ctx;
	const struct result_state *s = &w->res;
	long long index = s->rule_ref_index >= 0 ? s->rule_ref_index : s->rule_index;

	*out = NULL;
	if (index >= 0 && s->component_index >= 0) {
		const struct sarif_component *comp;
		if ((size_t)s->component_index >= run->n_components)
			return sg_json_fail(r, SG_DIAG_SARIF_BAD_RULE_REF,
					    "rule.toolComponent.index %lld: the run has %zu extensions",
					    s->component_index, run->n_components);
		comp = &run->components[s->component_index];
		if ((size_t)index >= comp->n_rules)
			return sg_json_fail(r, SG_DIAG_SARIF_BAD_RULE_REF,
					    "rule index %lld: extension %lld has %zu rules", index,
					    s->component_index, comp->n_rules);
		*out = &run->rules[comp->first_rule + (size_t)index];
		return 0;
	}
	if (index >= 0) {
		if ((size_t)index >= run->n_driver_rules)
			return sg_json_fail(r, SG_DIAG_SARIF_BAD_RULE_REF,
					    "ruleIndex %lld: tool.driver has %zu rules", index,
					    run->n_driver_rules);
		*out = &run->rules[index];
		return 0;
	}
	*out = sarif_run_rule_by_id(run, s->rule_id.data);
	return 0;
}

static int emit_result(struct walk *w, struct sg_json_reader *r)
{
	struct result_state *s = &w->res;
	const struct sarif_rule *rule = NULL;
	struct sg_sarif_result out;
	const char *uri = NULL, *uri_base_id = NULL, *base = NULL;
	char base_buf[4096];
	size_t i;
	int rc;

	rc = resolve_rule(w, r, &rule);
	if (rc)
		return rc;
	if (!s->kind_is_fail) {
		/* §3.27.9: only "fail" results are problems; pass, open, review,
		 * notApplicable and informational are not findings. */
		w->summary->n_not_failures++;
		return 0;
	}
	memset(&out, 0, sizeof(out));
	out.rule_id = s->rule_id.len ? s->rule_id.data : (rule && rule->id ? rule->id : "");
	out.rule_name = rule ? rule->name : NULL;
	out.level = sg_level_effective(s->level, rule ? rule->default_level : SG_LEVEL_UNSET, 1);
	/* DESIGN.md "Severity": security-severity of the result, else of its rule, else the level. */
	if (!(s->has_score && sg_severity_from_score(s->score, &out.severity) == 0) &&
	    !(rule && rule->has_score && sg_severity_from_score(rule->score, &out.severity) == 0))
		out.severity = sg_severity_from_level(out.level);
	else
		out.severity_from_score = 1;

	if (s->uri.len) {
		uri = s->uri.data;
		uri_base_id = s->uri_base_id.len ? s->uri_base_id.data : NULL;
	} else if (s->artifact_index >= 0) {
		/* §3.4.2: the artifactLocation may give only the index into run.artifacts. */
		if ((size_t)s->artifact_index >= w->ctx->n_artifacts)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID,
					    "artifactLocation.index %lld: the run has %zu artifacts",
					    s->artifact_index, w->ctx->n_artifacts);
		uri = w->ctx->artifacts[s->artifact_index].uri;
		uri_base_id = s->uri_base_id.len ? s->uri_base_id.data
						 : w->ctx->artifacts[s->artifact_index].base_id;
	}
	if (uri) {
		if (uri_base_id)
			base = sarif_run_resolve_base(w->ctx, uri_base_id, base_buf, sizeof(base_buf));
		if (sg_path_normalize(uri, base, w->opts->source_root, w->path, sizeof(w->path)) != 0)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "artifact uri \"%.200s\" is malformed",
					    uri);
		out.path = w->path;
	} else if (s->fqn.len) {
		out.path = s->fqn.data; /* §3.33.5: a logical location when there is no file */
	}
	out.line = s->line;
	out.column = s->column;
	out.snippet = s->snippet.len ? s->snippet.data : NULL;
	if (s->message.len)
		out.message = s->message.data;
	else if (rule && rule->short_description)
		out.message = rule->short_description;
	else if (s->message_id.len)
		out.message = s->message_id.data;
	else
		out.message = "";
	for (i = 0; i < s->n_fps; i++) {
		s->fps[i].name = s->fps_text.data + s->fp_offsets[i][0];
		s->fps[i].value = s->fps_text.data + s->fp_offsets[i][1];
		s->fps[i].partial = s->fp_partial[i];
	}
	out.fps = s->fps;
	out.n_fps = s->n_fps;
	rc = w->sink->result(w->sink->ctx, &w->run, &out, w->err);
	if (rc) {
		/* The sink's error gets the position of the result it refused. */
		char pointer[sizeof(w->err->pointer)];
		sg_json_pointer(r, pointer, sizeof(pointer));
		if (!w->err->pointer[0])
			memcpy(w->err->pointer, pointer, sizeof(pointer));
	}
	return rc;
}

/* "category/run-id": the category is what comes before the last '/'. */
static void category_of(const char *automation_id, char *out, size_t size)
{
	const char *slash = automation_id ? strrchr(automation_id, '/') : NULL;

	out[0] = '\0';
	if (slash)
		snprintf(out, size, "%.*s", (int)(slash - automation_id), automation_id);
}

static int walk_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct walk *w = ctx;
	int depth = sg_json_depth(r);
	long long run_index;

	if (depth < 2 || !sg_json_key(r, 0) || strcmp(sg_json_key(r, 0), "runs") != 0)
		return 0;
	run_index = sg_json_index(r, 1);
	if (run_index < 0 || (size_t)run_index >= w->doc->n_runs)
		return 0;
	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			w->ctx = &w->doc->runs[run_index];
			memset(&w->run, 0, sizeof(w->run));
			w->run.index = (int)run_index;
			w->run.tool = w->ctx->tool;
			w->run.tool_version = w->ctx->tool_version ? w->ctx->tool_version
								   : w->ctx->semantic_version;
			if (w->opts->category_override)
				snprintf(w->category, sizeof(w->category), "%s", w->opts->category_override);
			else
				category_of(w->ctx->automation_id, w->category, sizeof(w->category));
			w->run.category = w->category;
			w->run.results_null = w->ctx->results_state != 2;
			w->run.result_count = w->ctx->n_results;
			return w->sink->run_begin ? w->sink->run_begin(w->sink->ctx, &w->run, w->err) : 0;
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return w->sink->run_end ? w->sink->run_end(w->sink->ctx, &w->run, w->err) : 0;
		return 0;
	}
	if (depth < 4 || !sg_json_key(r, 2) || strcmp(sg_json_key(r, 2), "results") != 0)
		return 0;
	if (depth == 4) {
		if (ev->type == SG_JSON_OBJECT_START)
			result_reset(&w->res);
		else if (ev->type == SG_JSON_OBJECT_END)
			return emit_result(w, r);
		return 0;
	}
	return result_field(w, r, ev);
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

static void result_state_init(struct result_state *s)
{
	sg_buf_init(&s->rule_id, SG_SARIF_MAX_FIELD_BYTES);
	sg_buf_init(&s->message, SG_SARIF_MAX_MESSAGE_BYTES);
	sg_buf_init(&s->message_id, SG_SARIF_MAX_FIELD_BYTES);
	sg_buf_init(&s->uri, SG_SARIF_MAX_FIELD_BYTES);
	sg_buf_init(&s->uri_base_id, SG_SARIF_MAX_FIELD_BYTES);
	sg_buf_init(&s->snippet, SG_SARIF_MAX_MESSAGE_BYTES);
	sg_buf_init(&s->fqn, SG_SARIF_MAX_FIELD_BYTES);
	sg_buf_init(&s->fps_text, (size_t)SG_SARIF_MAX_FINGERPRINTS * 2 * (SG_SARIF_MAX_FIELD_BYTES + 1));
}

static void result_state_release(struct result_state *s)
{
	sg_buf_release(&s->rule_id);
	sg_buf_release(&s->message);
	sg_buf_release(&s->message_id);
	sg_buf_release(&s->uri);
	sg_buf_release(&s->uri_base_id);
	sg_buf_release(&s->snippet);
	sg_buf_release(&s->fqn);
	sg_buf_release(&s->fps_text);
}

static int open_regular(const char *path, const char *name, struct sg_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

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
	return fd;
}

int sg_sarif_read_file(const char *path, const char *name, const struct sg_sarif_options *opts,
		       const struct sg_sarif_sink *sink, struct sg_sarif_summary *summary,
		       struct sg_error *err)
{
	struct collect *c = NULL;
	struct walk *w = NULL;
	struct sg_sha256 sha;
	struct hashing_source src_ctx = {-1, NULL};
	struct sg_json_source src = {hashing_read, &src_ctx};
	int rc;

	memset(summary, 0, sizeof(*summary));
	c = sg_calloc(1, sizeof(*c));
	w = sg_calloc(1, sizeof(*w));
	if (!c || !w) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	c->err = err;
	src_ctx.fd = open_regular(path, name, err);
	if (src_ctx.fd < 0) {
		rc = err->code;
		goto out;
	}

	/* Pass 1: the whole document, the digest, and what results refer to. */
	sg_sha256_init(&sha);
	src_ctx.sha = &sha;
	rc = sg_json_parse(&src, name, collect_event, c, err);
	if (!rc)
		rc = check_document(c, name);
	if (rc)
		goto out;
	sg_sha256_final(&sha, summary->sha256);
	if (sarif_doc_index_rules(&c->doc)) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	summary->n_runs = (int)c->doc.n_runs;
	summary->n_results = c->doc.total_results;

	/* Pass 2: each result, resolved against its run. */
	if (lseek(src_ctx.fd, 0, SEEK_SET) != 0) {
		sg_error_where(err, name);
		rc = sg_error_set(err, SG_DIAG_FILE_READ, "cannot read the file again: %s", strerror(errno));
		goto out;
	}
	src_ctx.sha = NULL;
	w->doc = &c->doc;
	w->opts = opts;
	w->sink = sink;
	w->summary = summary;
	w->err = err;
	result_state_init(&w->res);
	rc = sg_json_parse(&src, name, walk_event, w, err);
	result_state_release(&w->res);
	if (rc)
		sg_error_where(err, name);
out:
	if (src_ctx.fd >= 0)
		close(src_ctx.fd);
	if (c)
		sarif_doc_free(&c->doc);
	sg_free(c);
	sg_free(w);
	return rc;
}
