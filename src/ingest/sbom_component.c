/*
 * SBOM reader: one component (CycloneDX) or package (SPDX) while it is open,
 * its checks when it ends, its licences normalised (sca/license.h), and its
 * hand-over to the sink. Only the components open around the current event
 * are kept (a stack as deep as their nesting), so memory does not grow with
 * the number of components.
 *
 * Licences. CycloneDX license.id and expression, and SPDX licenseConcluded
 * (else licenseDeclared; NOASSERTION and NONE say nothing) are SPDX
 * expressions: normalised, and an invalid one is an error naming the
 * component. A CycloneDX license.name is free text ("Apache License 2.0"):
 * a listed id written as a name is taken as that id, anything else becomes
 * "LicenseRef-<name>" with the characters an SPDX idstring cannot hold
 * turned into '-', so that every licence handed over is an SPDX expression
 * and an unlisted one is never mistaken for a listed one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "ingest/sbom_internal.h"
#include "sca/license.h"
#include "util/alloc.h"

#define SBOM_SHOWN 80 /* bytes of a value quoted in a message */

void sbom_text_init(struct sbom_text *t)
{
	sg_buf_init(&t->b, SG_SBOM_MAX_FIELD_BYTES);
	t->set = 0;
}

void sbom_text_release(struct sbom_text *t)
{
	sg_buf_release(&t->b);
	t->set = 0;
}

static void text_reset(struct sbom_text *t)
{
	sg_buf_reset(&t->b);
	t->set = 0;
}

static void shown(char out[SBOM_SHOWN + 1], const char *s)
{
	sbom_copy_cut(out, SBOM_SHOWN + 1, s, strlen(s));
}

int sbom_fail_mark(struct sbom_reader *s, struct sg_json_reader *r, int *invalid, unsigned mask,
		   enum sg_diag diag, const char *fmt, ...)
{
	char message[sizeof(s->err->message)];
	va_list ap;

	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (sbom_fails_surely(s, mask))
		*invalid = 1;
	return sbom_fail(s, r, mask, diag, "%s", message);
}

int sbom_keep(struct sbom_reader *s, struct sg_json_reader *r, int *invalid, unsigned mask,
	      struct sbom_text *t, const struct sg_json_event *ev, const char *what)
{
	if (ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END)
		return 0; /* the end of a value already refused */
	if (ev->type == SG_JSON_NULL) {
		text_reset(t);
		return 0;
	}
	if (ev->type != SG_JSON_STRING)
		return sbom_fail_mark(s, r, invalid, mask, SG_DIAG_SBOM_INVALID, "\"%s\" must be a string, not %s",
				      what, sbom_type_name(ev->type));
	if (ev->len > SG_SBOM_MAX_FIELD_BYTES)
		return sbom_fail_mark(s, r, invalid, mask, SG_DIAG_SBOM_INVALID, "\"%s\" is longer than %d bytes",
				      what, SG_SBOM_MAX_FIELD_BYTES);
	sg_buf_reset(&t->b);
	if (sg_buf_add(&t->b, ev->text, ev->len) != 0)
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	t->set = 1;
	return 0;
}

/* ---- the stack ---- */

static void comp_init(struct sbom_comp *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	sbom_text_init(&c->ref);
	sbom_text_init(&c->type);
	sbom_text_init(&c->name);
	sbom_text_init(&c->group);
	sbom_text_init(&c->version);
	sbom_text_init(&c->purl);
	sbom_text_init(&c->scope);
	for (i = 0; i < SG_SBOM_MAX_LICENSES; i++)
		sbom_text_init(&c->lic[i]);
	sg_buf_init(&c->norm, (size_t)SG_SBOM_MAX_LICENSES * (SG_SBOM_MAX_FIELD_BYTES + 1));
}

static void comp_release(struct sbom_comp *c)
{
	size_t i;

	sbom_text_release(&c->ref);
	sbom_text_release(&c->type);
	sbom_text_release(&c->name);
	sbom_text_release(&c->group);
	sbom_text_release(&c->version);
	sbom_text_release(&c->purl);
	sbom_text_release(&c->scope);
	for (i = 0; i < SG_SBOM_MAX_LICENSES; i++)
		sbom_text_release(&c->lic[i]);
	sg_buf_release(&c->norm);
}

/* Reuse an entry: its buffers keep their memory. */
static void comp_reset(struct sbom_comp *c)
{
	size_t i;

	text_reset(&c->ref);
	text_reset(&c->type);
	text_reset(&c->name);
	text_reset(&c->group);
	text_reset(&c->version);
	text_reset(&c->purl);
	text_reset(&c->scope);
	for (i = 0; i < SG_SBOM_MAX_LICENSES; i++) {
		text_reset(&c->lic[i]);
		c->lic_kind[i] = SBOM_LIC_NONE;
	}
	c->n_lic = 0;
	c->entry_has_license = 0;
	c->entry_has_expression = 0;
	c->entry_skipped = 0;
	c->invalid = 0;
	sg_buf_reset(&c->norm);
}

void sbom_comp_stack_free(struct sbom_reader *s)
{
	size_t i;

	for (i = 0; i < s->cap_stack; i++)
		comp_release(&s->stack[i]);
	sg_free(s->stack);
	s->stack = NULL;
	s->n_stack = s->cap_stack = 0;
}

struct sbom_comp *sbom_comp_top(struct sbom_reader *s, int spdx)
{
	struct sbom_comp *c;

	if (s->n_stack == 0)
		return NULL;
	c = &s->stack[s->n_stack - 1];
	return c->spdx == spdx ? c : NULL;
}

int sbom_comp_push(struct sbom_reader *s, struct sg_json_reader *r, int spdx, int subject)
{
	struct sbom_comp *c, *grown;
	int depth = 0;
	size_t i, cap;

	if (!subject && ++s->n_components > SG_SBOM_MAX_COMPONENTS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d components", SG_SBOM_MAX_COMPONENTS);
	if (s->n_stack > 0 && !s->stack[s->n_stack - 1].spdx)
		depth = s->stack[s->n_stack - 1].depth + 1;
	if (s->n_stack == s->cap_stack) {
		/* Bounded: each level takes two JSON levels (object, array). */
		cap = s->cap_stack ? s->cap_stack * 2 : 4;
		grown = sg_realloc_array(s->stack, cap, sizeof(*grown));
		if (!grown)
			return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		for (i = s->cap_stack; i < cap; i++)
			comp_init(&grown[i]);
		s->stack = grown;
		s->cap_stack = cap;
	}
	c = &s->stack[s->n_stack++];
	comp_reset(c);
	c->level = sg_json_depth(r);
	c->depth = depth;
	c->spdx = spdx;
	c->subject = subject;
	return 0;
}

/* ---- licences ---- */

static int idstring_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '-';
}

/* "Apache License 2.0" -> "LicenseRef-Apache-License-2.0" (SPDX 2.3 10.1:
 * LicenseRef-[idstring], idstring = [A-Za-z0-9.-]+). */
static void license_ref(const char *name, char *out, size_t size)
{
	static const char prefix[] = "LicenseRef-";
	size_t start = sizeof(prefix) - 1, n = start, i;

	memcpy(out, prefix, start);
	for (i = 0; name[i] && n + 1 < size; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (idstring_char(ch))
			out[n++] = (char)ch;
		else if (n > start && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n > start && out[n - 1] == '-')
		n--;
	if (n == start) {
		snprintf(out + n, size - n, "unnamed");
		return;
	}
	out[n] = '\0';
}

static int says_nothing(const struct sbom_text *t)
{
	return !t->set || t->b.len == 0 || strcasecmp(t->b.data, "NOASSERTION") == 0 ||
	       strcasecmp(t->b.data, "NONE") == 0;
}

/* Normalise c's licences into c->norm and point out[] at them; *n set. */
static int normalise_licences(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c,
			      const char *name, const char **out, size_t *n)
{
	const struct sbom_text *texts[SG_SBOM_MAX_LICENSES];
	enum sbom_lic_kind kinds[SG_SBOM_MAX_LICENSES];
	size_t off[SG_SBOM_MAX_LICENSES], n_in = 0, n_out = 0, i, j;
	char norm[SG_SBOM_MAX_FIELD_BYTES + 1];
	const char *canonical;
	struct sg_error lerr;

	if (c->spdx) { /* prefer what was concluded to what was declared */
		i = !says_nothing(&c->lic[0]) ? 0 : !says_nothing(&c->lic[1]) ? 1 : 2;
		if (i < 2) {
			texts[n_in] = &c->lic[i];
			kinds[n_in++] = SBOM_LIC_EXPR;
		}
	} else {
		for (i = 0; i < c->n_lic; i++) {
			if (c->lic_kind[i] == SBOM_LIC_NONE || !c->lic[i].set || c->lic[i].b.len == 0)
				continue;
			texts[n_in] = &c->lic[i];
			kinds[n_in++] = c->lic_kind[i];
		}
	}
	sg_buf_reset(&c->norm);
	for (i = 0; i < n_in; i++) {
		const char *text = texts[i]->b.data;
		if (kinds[i] == SBOM_LIC_NAME) {
			canonical = sg_license_canonical_id(text);
			if (canonical)
				snprintf(norm, sizeof(norm), "%s", canonical);
			else
				license_ref(text, norm, sizeof(norm));
		} else {
			sg_error_clear(&lerr);
			if (sg_license_normalize(text, norm, sizeof(norm), &lerr) != 0) {
				if (lerr.diag == SG_DIAG_NO_MEMORY)
					return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
				/* Generators write free text where an expression belongs
				 * ("Apache-2.0 license", "OSI Approved", trivy's
				 * "custom:XFREE86"): kept as a licence name, LicenseRef-...,
				 * which no allow list accepts unless it names it, rather
				 * than refusing the whole SBOM and its vulnerabilities. */
				license_ref(text, norm, sizeof(norm));
			}
		}
		for (j = 0; j < n_out; j++) /* the same licence twice says it once */
			if (strcmp(c->norm.data + off[j], norm) == 0)
				break;
		if (j < n_out)
			continue;
		off[n_out++] = c->norm.len;
		sg_buf_add(&c->norm, norm, strlen(norm) + 1);
	}
	if (sg_buf_error(&c->norm))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	for (i = 0; i < n_out; i++)
		out[i] = c->norm.data + off[i];
	*n = n_out;
	return 0;
}

/* ---- the end of a component ---- */

static const char *text_or_null(const struct sbom_text *t)
{
	return t->set && t->b.len > 0 ? t->b.data : NULL;
}

static int finish(struct sbom_reader *s, struct sg_json_reader *r, struct sbom_comp *c)
{
	struct sg_sbom_component out;
	unsigned all = c->spdx ? SBOM_SPDX_ALL : SBOM_CDX_ALL;
	char a[SBOM_SHOWN + 1];
	int rc;

	/* CycloneDX component: required "type", "name"; SPDX package (7.1,
	 * 7.2): required "name", "SPDXID". */
	if (c->spdx && !text_or_null(&c->ref))
		return sbom_fail_mark(s, r, &c->invalid, all, SG_DIAG_SBOM_INVALID, "a package has no \"SPDXID\"");
	if (!c->name.set)
		return sbom_fail_mark(s, r, &c->invalid, all, SG_DIAG_SBOM_INVALID, "a %s has no \"name\"",
				      c->spdx ? "package" : "component");
	if (!c->spdx && !c->type.set) {
		shown(a, c->name.b.data);
		return sbom_fail_mark(s, r, &c->invalid, all, SG_DIAG_SBOM_INVALID,
				      "component \"%s\" has no \"type\"", a);
	}
	sg_buf_reset(&s->joined);
	if (text_or_null(&c->group)) {
		sg_buf_add(&s->joined, c->group.b.data, c->group.b.len);
		sg_buf_addc(&s->joined, '/');
	}
	sg_buf_add(&s->joined, c->name.b.data, c->name.b.len);
	if (sg_buf_error(&s->joined))
		return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
	if (c->subject) {
		sbom_copy_cut(s->cdx.subject, sizeof(s->cdx.subject), s->joined.data, s->joined.len);
		return 0;
	}
	memset(&out, 0, sizeof(out));
	rc = normalise_licences(s, r, c, s->joined.data, out.licenses, &out.n_licenses);
	if (rc || c->invalid)
		return rc;
	out.ref = text_or_null(&c->ref);
	out.type = text_or_null(&c->type);
	out.name = s->joined.data;
	out.version = text_or_null(&c->version);
	out.purl = text_or_null(&c->purl);
	out.scope = text_or_null(&c->scope);
	out.depth = c->depth;
	rc = s->sink->component(s->sink->ctx, &out, s->err);
	if (rc)
		return rc;
	s->summary->components++;
	if (!out.purl)
		s->summary->without_purl++;
	return 0;
}

int sbom_comp_end(struct sbom_reader *s, struct sg_json_reader *r)
{
	struct sbom_comp *c = &s->stack[s->n_stack - 1];
	int rc = c->invalid ? 0 : finish(s, r, c);

	s->n_stack--;
	return rc;
}
