/*
 * SARIF 2.1.0 reader: building one result (§3.27) from its members and
 * resolving it against its run (rules §3.52.3, artifacts §3.4, uriBaseIds
 * §3.14.14), in whichever pass reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pathnorm.h"
#include "ingest/sarif_model.h"
#include "util/alloc.h"
#include "util/utf8.h"

void sarif_result_reset(struct sarif_result_state *s)
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
	s->absent = 0;
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
				    sarif_type_name(ev->type));
	sg_buf_reset(b);
	if (sg_buf_add(b, ev->text, ev->len)) {
		if (sg_buf_error(b) == SG_ENOMEM)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "%s longer than %zu bytes", what, b->max);
	}
	return 0;
}

/* Message text is kept cut to its limit rather than refused. */
static int set_text(struct sg_json_reader *r, struct sg_buf *b, const struct sg_json_event *ev)
{
	size_t len;

	if (ev->type != SG_JSON_STRING)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "message text must be a string, not %s",
				    sarif_type_name(ev->type));
	len = sg_utf8_cut(ev->text, ev->len, b->max);
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

static int add_fingerprint(struct sg_json_reader *r, struct sarif_result_state *s,
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
	if (sg_buf_error(&s->fps_text) == SG_ENOMEM)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
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

/*
 * A member of the first location's physicalLocation (§3.29). The objects on
 * the way are tagged when they open, so that each event inside is placed by
 * integer compares and one key compare, not by matching the whole path.
 */
static int physical_location(struct sarif_result_state *s, struct sg_json_reader *r,
			     const struct sg_json_event *ev, int L)
{
	int depth = sg_json_depth(r);
	const char *key;

	if (depth == L + 1) { /* physicalLocation itself */
		if (ev->type == SG_JSON_OBJECT_START && strcmp(sg_json_key(r, L), "physicalLocation") == 0)
			sg_json_tag_container(r, TAG_PHYSICAL_LOCATION);
		return 0;
	}
	if (sg_json_tag(r, L + 1) != TAG_PHYSICAL_LOCATION)
		return 0;
	key = sg_json_key(r, L + 1);
	if (depth == L + 2) { /* artifactLocation, region */
		if (ev->type == SG_JSON_OBJECT_START && strcmp(key, "artifactLocation") == 0)
			sg_json_tag_container(r, TAG_ARTIFACT_LOCATION);
		else if (ev->type == SG_JSON_OBJECT_START && strcmp(key, "region") == 0)
			sg_json_tag_container(r, TAG_REGION);
		return 0;
	}
	key = sg_json_key(r, L + 2);
	if (!key)
		return 0;
	switch (sg_json_tag(r, L + 2)) {
	case TAG_ARTIFACT_LOCATION: /* §3.4 */
		if (depth != L + 3)
			return 0;
		if (strcmp(key, "uri") == 0)
			return set_buf(r, &s->uri, ev, "artifactLocation.uri");
		if (strcmp(key, "uriBaseId") == 0)
			return set_buf(r, &s->uri_base_id, ev, "artifactLocation.uriBaseId");
		if (strcmp(key, "index") == 0)
			return get_index(r, ev, &s->artifact_index, "artifactLocation.index");
		return 0;
	case TAG_REGION: /* §3.30 */
		if (depth == L + 3 && strcmp(key, "startLine") == 0)
			return get_position(r, ev, &s->line, "startLine");
		if (depth == L + 3 && strcmp(key, "startColumn") == 0)
			return get_position(r, ev, &s->column, "startColumn");
		if (depth == L + 4 && strcmp(key, "snippet") == 0 && sg_json_key(r, L + 3) &&
		    strcmp(sg_json_key(r, L + 3), "text") == 0)
			return set_text(r, &s->snippet, ev);
		return 0;
	default:
		return 0;
	}
}

/* One member of a result (§3.27), relative to the result at depth 4. */
int sarif_result_field(struct sarif_walk *w, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sarif_result_state *s = &w->res;
	enum { B = 4 };
	const char *member = sg_json_key(r, B);

	/* Most events of a result lie in members shipgate does not read (code
	 * flows, related locations, ...): one look at the member name skips them. */
	if (!member)
		return 0;
	switch (member[0]) {
	case 'r': /* ruleId, ruleIndex, rule */
	case 'k': /* kind */
	case 'l': /* level, locations */
	case 'm': /* message */
	case 'p': /* properties, partialFingerprints */
	case 'f': /* fingerprints */
	case 'b': /* baselineState */
		break;
	default:
		return 0;
	}
	if (member[0] == 'l' && member[1] == 'o' && sg_json_depth(r) > B + 1 && sg_json_index(r, B + 1) != 0)
		return 0; /* locations after the first */

	switch (member[0]) {
	case 'r':
		if (AT(r, B, "ruleId")) {
			s->has_rule_id = 1;
			return set_buf(r, &s->rule_id, ev, "ruleId");
		}
		if (AT(r, B, "ruleIndex"))
			return get_index(r, ev, &s->rule_index, "ruleIndex");
		if (strcmp(member, "rule") != 0)
			return 0;
		if (AT(r, B, "rule", "id")) {
			if (s->has_rule_id) /* §3.27.5: if both are present they SHALL be equal */
				return 0;
			s->has_rule_id = 1;
			return set_buf(r, &s->rule_id, ev, "rule.id");
		}
		if (AT(r, B, "rule", "index"))
			return get_index(r, ev, &s->rule_ref_index, "rule.index");
		if (AT(r, B, "rule", "toolComponent", "index"))
			return get_index(r, ev, &s->component_index, "rule.toolComponent.index");
		return 0;
	case 'k':
		if (!AT(r, B, "kind"))
			return 0;
		if (ev->type != SG_JSON_STRING)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "kind must be a string");
		s->kind_is_fail = strcmp(ev->text, "fail") == 0;
		return 0;
	case 'm':
		if (AT(r, B, "message", "text"))
			return set_text(r, &s->message, ev);
		if (AT(r, B, "message", "id"))
			return set_text(r, &s->message_id, ev);
		return 0;
	case 'p':
		if (sg_json_depth(r) != B + 2)
			return 0;
		if (strcmp(member, "partialFingerprints") == 0)
			return add_fingerprint(r, s, ev, sg_json_key(r, B + 1), 1);
		if (AT(r, B, "properties", "security-severity")) {
			if ((ev->type == SG_JSON_STRING || ev->type == SG_JSON_NUMBER) &&
			    sg_score_parse(ev->text, &s->score) == 0)
				s->has_score = 1;
		}
		return 0;
	case 'f':
		if (sg_json_depth(r) == B + 2 && strcmp(member, "fingerprints") == 0)
			return add_fingerprint(r, s, ev, sg_json_key(r, B + 1), 0);
		return 0;
	case 'b':
		/* §3.27.24: "absent": in the baseline run, not in this one. */
		if (AT(r, B, "baselineState") && ev->type == SG_JSON_STRING)
			s->absent = strcmp(ev->text, "absent") == 0;
		return 0;
	default: /* 'l' */
		break;
	}
	if (AT(r, B, "level")) {
		if (ev->type != SG_JSON_STRING || sg_level_parse(ev->text, &s->level) != 0)
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID,
					    "level must be \"none\", \"note\", \"warning\" or \"error\"");
		return 0;
	}
	/* §3.27.12: GitHub and shipgate use the first location only. */
	if (sg_json_depth(r) > B + 2 && sg_json_index(r, B + 1) == 0 && strcmp(member, "locations") == 0) {
		enum { L = B + 2 };
		const char *part = sg_json_key(r, L);
		if (!part)
			return 0;
		if (part[0] == 'p')
			return physical_location(s, r, ev, L);
		if (part[0] == 'l') {
			if (AT(r, L, "logicalLocations", "#", "fullyQualifiedName") && sg_json_index(r, L + 1) == 0)
				return set_buf(r, &s->fqn, ev, "fullyQualifiedName");
			if (AT(r, L, "logicalLocations", "#", "name") && sg_json_index(r, L + 1) == 0 &&
			    s->fqn.len == 0)
				return set_buf(r, &s->fqn, ev, "logicalLocation.name");
		}
	}
	return 0;
}

/* Find the rule a result refers to (§3.52.3): by index, else by id. */
static int resolve_rule(struct sarif_walk *w, struct sg_json_reader *r, const struct sarif_rule **out)
{
	const struct sarif_run_ctx *run = w->ctx;
	const struct sarif_result_state *s = &w->res;
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
		*out = &run->rules[run->driver_first + (size_t)index];
		return 0;
	}
	*out = sarif_run_rule_by_id(run, s->rule_id.data);
	return 0;
}

int sarif_emit_result(struct sarif_walk *w, struct sg_json_reader *r)
{
	struct sarif_result_state *s = &w->res;
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
	if (s->absent) {
		w->summary->n_absent++;
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
		if ((size_t)s->artifact_index >= w->ctx->n_artifacts) {
			/* Members come in any order: read live, the run's artifacts
			 * may follow its results. Pass 2 knows them all. */
			if (w->ctx->live) {
				w->live_gave_up = 1;
				return 0;
			}
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID,
					    "artifactLocation.index %lld: the run has %zu artifacts",
					    s->artifact_index, w->ctx->n_artifacts);
		}
		uri = w->ctx->artifacts[s->artifact_index].uri;
		uri_base_id = s->uri_base_id.len ? s->uri_base_id.data
						 : w->ctx->artifacts[s->artifact_index].base_id;
	}
	if (uri) {
		if (uri_base_id)
			base = sarif_run_resolve_base(w->ctx, uri_base_id, base_buf, sizeof(base_buf));
		if (sg_path_normalize(uri, base, w->opts->source_root, w->path, sizeof(w->path)) != 0) {
			/* Perhaps only for a base uri defined after the results. */
			if (w->ctx->live && uri_base_id && !base) {
				w->live_gave_up = 1;
				return 0;
			}
			return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "artifact uri \"%.200s\" is malformed",
					    uri);
		}
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

void sarif_walk_enter_run(struct sarif_walk *w, struct sarif_run_ctx *run, int index)
{
	w->ctx = run;
	memset(&w->run, 0, sizeof(w->run));
	w->run.index = index;
	w->run.tool = run->tool;
	w->run.tool_version = run->tool_version ? run->tool_version : run->semantic_version;
	if (w->opts->category_override)
		snprintf(w->category, sizeof(w->category), "%s", w->opts->category_override);
	else
		category_of(run->automation_id, w->category, sizeof(w->category));
	w->run.category = w->category;
	w->run.results_null = run->results_state != 2;
	w->run.result_count = run->n_results;
}

void sarif_result_state_init(struct sarif_result_state *s)
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

void sarif_result_state_release(struct sarif_result_state *s)
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
