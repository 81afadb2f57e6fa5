/*
 * SBOM reader: SPDX 2.2 and 2.3 JSON (FORMATS.md 4.2; spdx-spec
 * support/2.3.1 clauses 6 and 7, schemas/spdx-schema.json).
 *
 * Each packages[] entry is a component at depth 0: SPDXID (the ref), name,
 * versionInfo, the first purl of its externalRefs[] (category
 * PACKAGE-MANAGER, or the schema's PACKAGE_MANAGER spelling, type purl),
 * licenseConcluded else licenseDeclared, and primaryPackagePurpose
 * lowercased as the type. The document's name is the subject. The package
 * the document describes (documentDescribes[], DESCRIBES) is handed over
 * like any other: it is usually the product or image itself, and it may
 * carry a purl that advisories name. Files and snippets are not components.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/sbom_internal.h"

static int is_end(const struct sg_json_event *ev)
{
	return ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END;
}

/* 7.24 primaryPackagePurpose, lowercased as CycloneDX writes types. */
static int purpose(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c)
{
	static const char *const purposes[] = {"APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER",
					       "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE",
					       "ARCHIVE", "FILE", "INSTALL", "OTHER", NULL};
	char *p = c->type.b.data, shown[81];
	size_t i;

	for (i = 0; purposes[i]; i++)
		if (strcmp(p, purposes[i]) == 0)
			break;
	if (!purposes[i]) {
		sbom_copy_cut(shown, sizeof(shown), p, c->type.b.len);
		return sbom_fail_mark(s, r, &c->invalid, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
				      "unknown primaryPackagePurpose \"%s\"", shown);
	}
	for (; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

/* One externalRefs[] entry ended (F.3.5: a purl is PACKAGE-MANAGER, purl). */
static int xref_end(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c)
{
	int category = strcmp(s->xref_category, "PACKAGE-MANAGER") == 0 ||
		       strcmp(s->xref_category, "PACKAGE_MANAGER") == 0;
	int type = strcmp(s->xref_type, "purl") == 0 ||
		   strcmp(s->xref_type, "http://spdx.org/rdf/references/purl") == 0;

	if (!category || !type || c->purl.set)
		return 0; /* not a purl, or not the first */
	if (s->xref_locator_long)
		return sbom_fail_mark(s, r, &c->invalid, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
				      "a purl is longer than %d bytes", SG_SBOM_MAX_FIELD_BYTES);
	if (!s->xref_locator.set || s->xref_locator.b.len == 0)
		return 0;
	sg_buf_reset(&c->purl.b);
	if (sg_buf_add(&c->purl.b, s->xref_locator.b.data, s->xref_locator.b.len))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	c->purl.set = 1;
	return 0;
}

static int xref_member(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
		       struct sbom_comp *c, const char *key)
{
	char *small = NULL;
	size_t size = 0;

	if (strcmp(key, "referenceCategory") == 0) {
		small = s->xref_category;
		size = sizeof(s->xref_category);
	} else if (strcmp(key, "referenceType") == 0) {
		small = s->xref_type;
		size = sizeof(s->xref_type);
	} else if (strcmp(key, "referenceLocator") != 0) {
		return 0;
	}
	if (is_end(ev))
		return 0;
	if (ev->type != SG_JSON_STRING)
		return sbom_fail_mark(s, r, &c->invalid, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
				      "\"%s\" must be a string, not %s", key, sbom_type_name(ev->type));
	if (small) {
		/* Compared with short names only: a longer value matches none. */
		if (ev->len < size)
			memcpy(small, ev->text, ev->len + 1);
		else
			small[0] = '\0';
		return 0;
	}
	/* A long locator matters only if it is the purl (see xref_end). */
	s->xref_locator_long = ev->len > SG_SBOM_MAX_FIELD_BYTES;
	sg_buf_reset(&s->xref_locator.b);
	s->xref_locator.set = 0;
	if (s->xref_locator_long)
		return 0;
	if (sg_buf_add(&s->xref_locator.b, ev->text, ev->len))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	s->xref_locator.set = 1;
	return 0;
}

static int package_member(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			  struct sbom_comp *c, const char *key)
{
	int rc;

	if (strcmp(key, "SPDXID") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->ref, ev, "SPDXID");
	if (strcmp(key, "name") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->name, ev, "name");
	if (strcmp(key, "versionInfo") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->version, ev, "versionInfo");
	if (strcmp(key, "licenseConcluded") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->lic[0], ev, "licenseConcluded");
	if (strcmp(key, "licenseDeclared") == 0)
		return sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->lic[1], ev, "licenseDeclared");
	if (strcmp(key, "primaryPackagePurpose") == 0) {
		rc = sbom_keep(s, r, &c->invalid, SBOM_SPDX_ALL, &c->type, ev, "primaryPackagePurpose");
		if (!rc && ev->type == SG_JSON_STRING && c->type.set)
			rc = purpose(s, r, c);
		return rc;
	}
	if (strcmp(key, "externalRefs") == 0) {
		if (ev->type == SG_JSON_ARRAY_START) {
			sg_json_tag_container(r, SBOM_TAG_XREFS);
			return 0;
		}
		if (ev->type == SG_JSON_NULL || is_end(ev))
			return 0;
		return sbom_fail_mark(s, r, &c->invalid, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
				      "\"externalRefs\" must be an array, not %s", sbom_type_name(ev->type));
	}
	return 0;
}

/* packages[] (path: packages, #, ...). */
static int package_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev,
			 int depth)
{
	struct sbom_comp *c = sbom_comp_top(s, 1);
	const char *key;

	if (depth == 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			s->body_spdx = 1;
			return sbom_comp_push(s, r, 1, 0);
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return c && c->level == 2 ? sbom_comp_end(s, r) : 0;
		return sbom_fail(s, r, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID, "a package must be an object, not %s",
				 sbom_type_name(ev->type));
	}
	if (!c || !(key = sg_json_key(r, 2)))
		return 0;
	if (depth == 3)
		return package_member(s, r, ev, c, key);
	if (sg_json_tag(r, 3) != SBOM_TAG_XREFS)
		return 0;
	if (depth == 4) { /* packages, #, externalRefs, # */
		if (ev->type == SG_JSON_OBJECT_START) {
			s->xref_category[0] = s->xref_type[0] = '\0';
			sg_buf_reset(&s->xref_locator.b);
			s->xref_locator.set = 0;
			s->xref_locator_long = 0;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return xref_end(s, r, c);
		return sbom_fail_mark(s, r, &c->invalid, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
				      "an external reference must be an object, not %s", sbom_type_name(ev->type));
	}
	if (depth == 5 && sg_json_index(r, 3) >= 0 && (key = sg_json_key(r, 4)) != NULL)
		return xref_member(s, r, ev, c, key);
	return 0;
}

/* 6.8 creators: "Tool: syft-1.50.0" -> syft, 1.50.0 (cut at the last '-'
 * when what follows looks like a version: a digit, or 'v' and a digit). */
static void creator(struct sbom_reader *s, const struct sg_json_event *ev)
{
	const char *p = ev->text, *dash, *end;
	size_t len;

	if (s->spdx.tool_set || ev->type != SG_JSON_STRING || strncmp(p, "Tool:", 5) != 0)
		return;
	p += 5;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == p)
		return;
	len = (size_t)(end - p);
	dash = memrchr(p, '-', len);
	if (dash && dash > p &&
	    ((dash[1] >= '0' && dash[1] <= '9') ||
	     ((dash[1] == 'v' || dash[1] == 'V') && dash[2] >= '0' && dash[2] <= '9'))) {
		sbom_copy_cut(s->spdx.tool, sizeof(s->spdx.tool), p, (size_t)(dash - p));
		sbom_copy_cut(s->spdx.tool_version, sizeof(s->spdx.tool_version), dash + 1,
			      (size_t)(end - dash - 1));
	} else {
		sbom_copy_cut(s->spdx.tool, sizeof(s->spdx.tool), p, len);
	}
	s->spdx.tool_set = 1;
}

int sbom_spdx_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	int depth = sg_json_depth(r);
	const char *key;

	if (depth == 1) {
		key = sg_json_key(r, 0);
		if (!key)
			return 0;
		if (strcmp(key, "name") == 0 && ev->type == SG_JSON_STRING)
			sbom_copy_cut(s->spdx.subject, sizeof(s->spdx.subject), ev->text, ev->len);
		if (strcmp(key, "packages") == 0) {
			if (ev->type == SG_JSON_ARRAY_START) {
				sg_json_tag_container(r, SBOM_TAG_PACKAGES);
				return 0;
			}
			if (ev->type == SG_JSON_NULL || is_end(ev))
				return 0;
			return sbom_fail(s, r, SBOM_SPDX_ALL, SG_DIAG_SBOM_INVALID,
					 "\"packages\" must be an array, not %s", sbom_type_name(ev->type));
		}
		return 0;
	}
	if (sg_json_tag(r, 1) == SBOM_TAG_PACKAGES)
		return package_event(s, r, ev, depth);
	if (depth == 3 && SBOM_AT(r, 0, "creationInfo", "creators", "#"))
		creator(s, ev);
	return 0;
}
