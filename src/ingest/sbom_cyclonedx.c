/*
 * SBOM reader: CycloneDX JSON 1.4-1.6 (FORMATS.md 4.1; schemas
 * bom-1.{4,5,6}.schema.json).
 *
 * components[] and each component's components[] (an assembly, "not a
 * dependency tree") are walked at any depth; each component is handed over
 * when its object ends, nested ones with depth > 0. metadata.component is
 * the subject: checked like a component and named in the summary, not
 * handed over. Its own components[] are parts of the product (first-party
 * modules, bundled libraries), so they are handed over, at depth 1.
 *
 * vulnerabilities[] entries with an analysis.state are VEX statements:
 * handed over when the entry ends, with their affects[].ref; a BOM-Link
 * (urn:cdx:<serial>/<version>#<bom-ref>) is cut to its fragment,
 * percent-decoded. A BOM-Link without a fragment names a whole BOM and is
 * kept as written.
 *
 * metadata.tools is an array of {vendor, name, version} (1.4) or an object
 * {components: [...], services: [...]} (1.5+): the first tool named is the
 * generator in the summary.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/sbom_internal.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/utf8.h"

/* A component check that fails in every CycloneDX version. */
#define COMP_INVALID(s, r, c, ...) \
	sbom_fail_mark((s), (r), &(c)->invalid, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID, __VA_ARGS__)

static int is_end(const struct sg_json_event *ev)
{
	return ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* ---- one component ---- */

/* component.type: 1.4's enum, 1.5 adds four, 1.6 adds one. */
static int check_type(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c)
{
	static const char *const v14[] = {"application", "framework", "library", "container",
					  "operating-system", "device", "firmware", "file", NULL};
	static const char *const v15[] = {"platform", "device-driver", "machine-learning-model", "data", NULL};
	static const char *const v16[] = {"cryptographic-asset", NULL};
	const char *t = c->type.b.data;
	char shown[81];

	sbom_copy_cut(shown, sizeof(shown), t, c->type.b.len);
	if (in_list(t, v14))
		return 0;
	if (in_list(t, v15))
		return sbom_fail_mark(s, r, &c->invalid, SBOM_V(SBOM_CDX14), SG_DIAG_SBOM_INVALID,
				      "component type \"%s\" needs CycloneDX 1.5 or later", shown);
	if (in_list(t, v16))
		return sbom_fail_mark(s, r, &c->invalid, SBOM_V(SBOM_CDX14) | SBOM_V(SBOM_CDX15),
				      SG_DIAG_SBOM_INVALID, "component type \"%s\" needs CycloneDX 1.6", shown);
	return COMP_INVALID(s, r, c, "unknown component type \"%s\"", shown);
}

static int check_scope(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c)
{
	static const char *const scopes[] = {"required", "optional", "excluded", NULL};
	char shown[81];

	if (in_list(c->scope.b.data, scopes))
		return 0;
	sbom_copy_cut(shown, sizeof(shown), c->scope.b.data, c->scope.b.len);
	return COMP_INVALID(s, r, c, "component scope \"%s\" is not \"required\", \"optional\" or \"excluded\"",
			    shown);
}

/* An array member: `tag` it, or refuse anything but an array (null is absent). */
static int array_member(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c,
			const struct sg_json_event *ev, int tag, const char *what)
{
	if (ev->type == SG_JSON_ARRAY_START) {
		sg_json_tag_container(r, tag);
		return 0;
	}
	if (ev->type == SG_JSON_NULL || is_end(ev))
		return 0;
	return COMP_INVALID(s, r, c, "\"%s\" must be an array, not %s", what, sbom_type_name(ev->type));
}

/* A member of the component (path: component object, key). */
static int component_member(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			    struct sbom_comp *c)
{
	const char *key = sg_json_key(r, c->level);
	int rc;

	if (!key)
		return 0;
	if (strcmp(key, "bom-ref") == 0) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->ref, ev, "bom-ref");
		/* refType has minLength 1 from 1.5 on. */
		if (!rc && ev->type == SG_JSON_STRING && ev->len == 0)
			rc = sbom_fail_mark(s, r, &c->invalid, SBOM_CDX_FROM15, SG_DIAG_SBOM_INVALID,
					    "\"bom-ref\" is empty");
		return rc;
	}
	if (strcmp(key, "type") == 0) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->type, ev, "type");
		if (!rc && ev->type == SG_JSON_STRING && c->type.set)
			rc = check_type(s, r, c);
		return rc;
	}
	if (strcmp(key, "name") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->name, ev, "name");
	if (strcmp(key, "group") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->group, ev, "group");
	if (strcmp(key, "version") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->version, ev, "version");
	if (strcmp(key, "purl") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->purl, ev, "purl");
	if (strcmp(key, "scope") == 0) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->scope, ev, "scope");
		if (!rc && ev->type == SG_JSON_STRING && c->scope.set)
			rc = check_scope(s, r, c);
		return rc;
	}
	if (strcmp(key, "licenses") == 0)
		return array_member(s, r, c, ev, SBOM_TAG_LICENSES, "licenses");
	if (strcmp(key, "components") == 0)
		return array_member(s, r, c, ev, SBOM_TAG_COMPONENTS, "components");
	return 0;
}

/*
 * licenses[] (path from the component: licenses, #, ...). Each entry is
 * {license: {id | name, ...}} or {expression} (the 1.4-1.6 licenseChoice:
 * one or the other, never both).
 */
static int licence_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			 struct sbom_comp *c, int d)
{
	const char *key, *key2;
	size_t slot;
	int rc;

	if (d == 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			/* Entries past the limit are not kept (trivy lists up to
			 * 28 for one Debian package): see sbom.h. */
			c->entry_skipped = c->n_lic >= SG_SBOM_MAX_LICENSES;
			if (!c->entry_skipped)
				c->lic_kind[c->n_lic++] = SBOM_LIC_NONE;
			c->entry_has_license = c->entry_has_expression = 0;
			return 0;
		}
		if (c->entry_skipped)
			return 0;
		if (ev->type == SG_JSON_OBJECT_END) {
			if (!c->entry_has_license && !c->entry_has_expression)
				return COMP_INVALID(s, r, c,
						    "a licence entry has neither \"license\" nor \"expression\"");
			if (c->entry_has_license && c->lic_kind[c->n_lic - 1] == SBOM_LIC_NONE)
				return COMP_INVALID(s, r, c, "a licence has neither \"id\" nor \"name\"");
			return 0;
		}
		return COMP_INVALID(s, r, c, "a licence entry must be an object, not %s",
				    sbom_type_name(ev->type));
	}
	key = sg_json_key(r, c->level + 2);
	if (!key || c->n_lic == 0 || c->entry_skipped)
		return 0;
	slot = c->n_lic - 1;
	if (d == 3 && strcmp(key, "expression") == 0) {
		if (is_end(ev))
			return 0;
		if (c->entry_has_license)
			return COMP_INVALID(s, r, c, "a licence entry has both \"license\" and \"expression\"");
		c->entry_has_expression = 1;
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->lic[slot], ev, "expression");
		if (!rc && c->lic[slot].set)
			c->lic_kind[slot] = SBOM_LIC_EXPR;
		return rc;
	}
	if (d == 3 && strcmp(key, "license") == 0) {
		if (ev->type == SG_JSON_OBJECT_START) {
			if (c->entry_has_expression)
				return COMP_INVALID(s, r, c,
						    "a licence entry has both \"license\" and \"expression\"");
			c->entry_has_license = 1;
			return 0;
		}
		if (is_end(ev))
			return 0;
		return COMP_INVALID(s, r, c, "\"license\" must be an object, not %s", sbom_type_name(ev->type));
	}
	if (d != 4 || strcmp(key, "license") != 0 || !(key2 = sg_json_key(r, c->level + 3)))
		return 0;
	/* The schema allows one of id and name; an id says more, so it wins. */
	if (strcmp(key2, "id") == 0) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->lic[slot], ev, "id");
		if (!rc && ev->type == SG_JSON_STRING && c->lic[slot].set)
			c->lic_kind[slot] = SBOM_LIC_ID;
		return rc;
	}
	if (strcmp(key2, "name") == 0 && c->lic_kind[slot] != SBOM_LIC_ID) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_CDX_ALL, &c->lic[slot], ev, "name");
		if (!rc && ev->type == SG_JSON_STRING && c->lic[slot].set)
			c->lic_kind[slot] = SBOM_LIC_NAME;
		return rc;
	}
	return 0;
}

static int component_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			   struct sbom_comp *c, int depth)
{
	int d = depth - c->level;

	if (d == 1)
		return component_member(s, r, ev, c);
	if (sg_json_tag(r, c->level + 1) == SBOM_TAG_LICENSES)
		return licence_event(s, r, ev, c, d);
	return 0;
}

/* ---- VEX ---- */

static void vex_reset(struct sbom_vex_state *v)
{
	sg_buf_reset(&v->id.b);
	v->id.set = 0;
	sg_buf_reset(&v->state.b);
	v->state.set = 0;
	sg_buf_reset(&v->justification.b);
	v->justification.set = 0;
	sg_buf_reset(&v->detail.b);
	v->detail.set = 0;
	sg_buf_reset(&v->refs);
	v->n_refs = 0;
	v->invalid = 0;
	v->affect_open = v->affect_has_ref = 0;
}

void sbom_cdx_release(struct sbom_reader *s)
{
	struct sbom_vex_state *v = &s->vex;

	sbom_text_release(&v->id);
	sbom_text_release(&v->state);
	sbom_text_release(&v->justification);
	sbom_text_release(&v->detail);
	sg_buf_release(&v->refs);
	sg_free(v->ref_off);
	sg_free(v->ref_ptrs);
	v->ref_off = NULL;
	v->ref_ptrs = NULL;
	v->cap_refs = 0;
}

static int vex_fail(struct sbom_reader *s, struct sg_json_reader *r, const char *message)
{
	return sbom_fail_mark(s, r, &s->vex.invalid, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID, "%s", message);
}

static int vex_keep(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_text *t,
		    const struct sg_json_event *ev, const char *what)
{
	return sbom_keep(s, r, &s->vex.invalid, SBOM_CDX_ALL, t, ev, what);
}

static int check_enum(struct sbom_reader *s, struct sg_json_reader *r, const struct sbom_text *t,
		      const char *const *values, const char *what)
{
	char shown[81], message[200];

	if (!t->set || in_list(t->b.data, values))
		return 0;
	sbom_copy_cut(shown, sizeof(shown), t->b.data, t->b.len);
	snprintf(message, sizeof(message), "unknown analysis %s \"%s\"", what, shown);
	return vex_fail(s, r, message);
}

/* "urn:cdx:<serial>/<version>#<bom-ref>" -> the bom-ref (RFC 3986
 * fragment, percent-decoded); anything else as written. */
static int add_ref(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct sbom_vex_state *v = &s->vex;
	const char *text = ev->text, *hash;
	char decoded[SG_SBOM_MAX_FIELD_BYTES + 1];
	size_t len = ev->len, n = 0, i, *off;
	int hi, lo;

	if (strncmp(text, "urn:cdx:", 8) == 0 && (hash = strchr(text, '#')) != NULL) {
		for (i = (size_t)(hash + 1 - text); i < len; i++) {
			if (text[i] != '%') {
				decoded[n++] = text[i];
				continue;
			}
			if (i + 2 >= len || (hi = sg_hex_value(text[i + 1])) < 0 ||
			    (lo = sg_hex_value(text[i + 2])) < 0 || (hi == 0 && lo == 0))
				return vex_fail(s, r, "a BOM-Link ref has a bad percent escape");
			decoded[n++] = (char)(hi << 4 | lo);
			i += 2;
		}
		for (i = 0; i < n; i += sg_utf8_char_length((const unsigned char *)decoded + i, n - i))
			if (sg_utf8_char_length((const unsigned char *)decoded + i, n - i) == 0)
				return vex_fail(s, r, "a BOM-Link ref decodes to invalid UTF-8");
		if (n == 0)
			return vex_fail(s, r, "a BOM-Link ref has an empty fragment");
		text = decoded;
		len = n;
	}
	if (v->n_refs == v->cap_refs) {
		size_t cap = v->cap_refs ? v->cap_refs * 2 : 16;
		off = sg_realloc_array(v->ref_off, cap, sizeof(*off));
		if (!off)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		v->ref_off = off;
		v->cap_refs = cap;
	}
	v->ref_off[v->n_refs++] = v->refs.len;
	if (sg_buf_add(&v->refs, text, len) || sg_buf_addc(&v->refs, '\0'))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	return 0;
}

/* affects[] (path from the vulnerability: affects, #, ...). */
static int affects_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			 int depth)
{
	struct sbom_vex_state *v = &s->vex;
	const char *key;

	if (depth == 4) {
		if (ev->type == SG_JSON_OBJECT_START) {
			v->affect_open = 1;
			v->affect_has_ref = 0;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END) {
			v->affect_open = 0;
			return v->affect_has_ref ? 0 : vex_fail(s, r, "an affects entry has no \"ref\"");
		}
		return vex_fail(s, r, "an affects entry must be an object");
	}
	if (depth != 5 || !v->affect_open || !(key = sg_json_key(r, 4)) || strcmp(key, "ref") != 0 ||
	    is_end(ev) || v->affect_has_ref)
		return 0;
	v->affect_has_ref = 1;
	if (ev->type != SG_JSON_STRING)
		return vex_fail(s, r, "an affects ref must be a string");
	if (ev->len > SG_SBOM_MAX_FIELD_BYTES)
		return vex_fail(s, r, "an affects ref is longer than the limit (4096 bytes)");
	if (ev->len == 0)
		return 0; /* names nothing */
	if (v->n_refs >= SG_SBOM_MAX_VEX_REFS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d affects refs in a vulnerability",
				    SG_SBOM_MAX_VEX_REFS);
	return add_ref(s, r, ev);
}

static int vex_end(struct sbom_reader *s, struct sg_json_reader *r)
{
	struct sbom_vex_state *v = &s->vex;
	struct sg_sbom_vex out;
	const char **ptrs;
	size_t i;

	if (v->invalid || !v->state.set)
		return 0; /* no analysis state: a finding, not a statement */
	if (!v->id.set || v->id.b.len == 0)
		return vex_fail(s, r, "a vulnerability with an analysis state has no \"id\"");
	if (v->n_refs > 0) {
		ptrs = sg_realloc_array(v->ref_ptrs, v->n_refs, sizeof(*ptrs));
		if (!ptrs)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		v->ref_ptrs = ptrs;
		for (i = 0; i < v->n_refs; i++)
			ptrs[i] = v->refs.data + v->ref_off[i];
	}
	/* Each pair of a vulnerability and a component it affects is a row
	 * the store keeps: bound them over the document. */
	if ((long long)v->n_refs > SG_SBOM_MAX_VEX - s->n_vex_pairs)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED,
				    "more than %d VEX statements (vulnerability and component pairs)", SG_SBOM_MAX_VEX);
	s->n_vex_pairs += (long long)v->n_refs;
	memset(&out, 0, sizeof(out));
	out.id = v->id.b.data;
	out.state = v->state.b.data;
	out.justification = v->justification.set ? v->justification.b.data : NULL;
	out.detail = v->detail.set ? v->detail.b.data : NULL;
	out.refs = v->n_refs ? v->ref_ptrs : NULL;
	out.n_refs = v->n_refs;
	s->summary->vex++;
	return s->sink->vex ? s->sink->vex(s->sink->ctx, &out, s->err) : 0;
}

static int analysis_member(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const states[] = {"resolved", "resolved_with_pedigree", "exploitable",
					     "in_triage", "false_positive", "not_affected", NULL};
	static const char *const justifications[] = {
		"code_not_present", "code_not_reachable", "requires_configuration",
		"requires_dependency", "requires_environment", "protected_by_compiler",
		"protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control", NULL};
	struct sbom_vex_state *v = &s->vex;
	const char *key = sg_json_key(r, 3);
	size_t len;
	int rc;

	if (!key)
		return 0;
	if (strcmp(key, "state") == 0) {
		rc = vex_keep(s, r, &v->state, ev, "state");
		return rc ? rc : ev->type == SG_JSON_STRING ? check_enum(s, r, &v->state, states, "state") : 0;
	}
	if (strcmp(key, "justification") == 0) {
		rc = vex_keep(s, r, &v->justification, ev, "justification");
		return rc ? rc
			  : ev->type == SG_JSON_STRING ? check_enum(s, r, &v->justification, justifications,
								    "justification")
						       : 0;
	}
	if (strcmp(key, "detail") == 0 && ev->type == SG_JSON_STRING) {
		/* Free text, not an identity: longer is cut, not refused. */
		len = sg_utf8_cut(ev->text, ev->len, SG_SBOM_MAX_FIELD_BYTES);
		sg_buf_reset(&v->detail.b);
		if (sg_buf_add(&v->detail.b, ev->text, len))
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		v->detail.set = 1;
	}
	return 0;
}

/* vulnerabilities[] (path: vulnerabilities, #, ...). */
static int vuln_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev, int depth)
{
	struct sbom_vex_state *v = &s->vex;
	const char *key;

	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			if (++s->n_vulns > SG_SBOM_MAX_VEX)
				return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d vulnerabilities",
						    SG_SBOM_MAX_VEX);
			vex_reset(v);
			v->open = 1;
			s->body_cdx = 1;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END) {
			v->open = 0;
			return vex_end(s, r);
		}
		return sbom_fail(s, r, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID,
				 "a vulnerability must be an object, not %s", sbom_type_name(ev->type));
	}
	if (!v->open || !(key = sg_json_key(r, 2)))
		return 0;
	if (depth == 3) {
		if (strcmp(key, "id") == 0)
			return vex_keep(s, r, &v->id, ev, "id");
		if ((strcmp(key, "analysis") == 0 && ev->type != SG_JSON_OBJECT_START) ||
		    (strcmp(key, "affects") == 0 && ev->type != SG_JSON_ARRAY_START)) {
			if (ev->type == SG_JSON_NULL || is_end(ev))
				return 0;
			return vex_fail(s, r, strcmp(key, "analysis") == 0 ? "\"analysis\" must be an object"
									  : "\"affects\" must be an array");
		}
		return 0;
	}
	if (depth == 4 && strcmp(key, "analysis") == 0)
		return analysis_member(s, r, ev);
	if (strcmp(key, "affects") == 0)
		return affects_event(s, r, ev, depth);
	return 0;
}

/* ---- metadata ---- */

static void tool_field(struct sbom_reader *s, const struct sg_json_event *ev, const char *key)
{
	if (ev->type != SG_JSON_STRING)
		return;
	if (strcmp(key, "name") == 0) {
		sbom_copy_cut(s->tool_name, sizeof(s->tool_name), ev->text, ev->len);
		s->tool_has_name = 1;
	} else if (strcmp(key, "version") == 0) {
		sbom_copy_cut(s->tool_version, sizeof(s->tool_version), ev->text, ev->len);
	}
}

/* metadata.tools[#] (1.4) or metadata.tools.{components,services}[#] (1.5+):
 * display only, so what does not fit is cut and nothing is refused. */
static int tool_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev, int depth)
{
	static const char *const v14[] = {"metadata", "tools", "#", NULL};
	static const char *const v15[] = {"metadata", "tools", "*", "#", NULL};
	int entry = sg_json_match_prefix(r, v14) ? 3 : sg_json_match_prefix(r, v15) ? 4 : 0;
	const char *key;

	if (!entry)
		return 0;
	if (depth == entry && ev->type == SG_JSON_OBJECT_START) {
		s->tool_name[0] = s->tool_version[0] = '\0';
		s->tool_has_name = 0;
	} else if (depth == entry && ev->type == SG_JSON_OBJECT_END) {
		if (!s->cdx.tool_set && s->tool_has_name) {
			snprintf(s->cdx.tool, sizeof(s->cdx.tool), "%s", s->tool_name);
			snprintf(s->cdx.tool_version, sizeof(s->cdx.tool_version), "%s", s->tool_version);
			s->cdx.tool_set = 1;
		}
	} else if (depth == entry + 1 && (key = sg_json_key(r, entry)) != NULL) {
		tool_field(s, ev, key);
	}
	return 0;
}

static int metadata_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			  int depth)
{
	if (depth == 2 && SBOM_AT(r, 0, "metadata", "component")) {
		if (ev->type == SG_JSON_OBJECT_START)
			return sbom_comp_push(s, r, 0, 1);
		if (ev->type == SG_JSON_NULL || is_end(ev))
			return 0;
		return sbom_fail(s, r, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID,
				 "\"component\" must be an object, not %s", sbom_type_name(ev->type));
	}
	return depth >= 3 ? tool_event(s, r, ev, depth) : 0;
}

/* ---- the document ---- */

static int top_member(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	const char *key = sg_json_key(r, 0);
	int tag;

	if (!key)
		return 0;
	if (strcmp(key, "components") == 0)
		tag = SBOM_TAG_COMPONENTS;
	else if (strcmp(key, "vulnerabilities") == 0)
		tag = SBOM_TAG_VULNS;
	else
		return 0;
	if (ev->type == SG_JSON_ARRAY_START) {
		sg_json_tag_container(r, tag);
		return 0;
	}
	if (ev->type == SG_JSON_NULL || is_end(ev))
		return 0;
	return sbom_fail(s, r, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID, "\"%s\" must be an array, not %s", key,
			 sbom_type_name(ev->type));
}

int sbom_cdx_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	int depth = sg_json_depth(r);
	struct sbom_comp *c = sbom_comp_top(s, 0);
	const char *k0;

	if (c && depth == c->level && ev->type == SG_JSON_OBJECT_END)
		return sbom_comp_end(s, r);
	/* An element of a components[] array, at any depth. */
	if (depth >= 2 && sg_json_tag(r, depth - 1) == SBOM_TAG_COMPONENTS) {
		if (ev->type == SG_JSON_OBJECT_START) {
			s->body_cdx = 1;
			return sbom_comp_push(s, r, 0, 0);
		}
		return sbom_fail(s, r, SBOM_CDX_ALL, SG_DIAG_SBOM_INVALID, "a component must be an object, not %s",
				 sbom_type_name(ev->type));
	}
	if (c && depth > c->level)
		return component_event(s, r, ev, c, depth);
	if (depth == 1)
		return top_member(s, r, ev);
	if (sg_json_tag(r, 1) == SBOM_TAG_VULNS)
		return vuln_event(s, r, ev, depth);
	k0 = sg_json_key(r, 0);
	if (k0 && strcmp(k0, "metadata") == 0)
		return metadata_event(s, r, ev, depth);
	return 0;
}
