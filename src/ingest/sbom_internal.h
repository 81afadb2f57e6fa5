/*
 * What the SBOM reader keeps while it streams a document (internal to
 * ingest/sbom*.c): the format markers, the errors that wait for the version,
 * the components open around the current event, and the VEX statement being
 * read. Everything is bounded: the component stack by the JSON depth limit,
 * each string by SG_SBOM_MAX_FIELD_BYTES, VEX refs by SG_SBOM_MAX_VEX_REFS.
 *
 * sbom.c       the file, the format markers, version checks, the summary
 * sbom_check.c      the same reading, pushed (an upload)
 * sbom_component.c  one component or package: its fields, checks, licences, hand-over
 * sbom_cyclonedx.c  CycloneDX members (components, metadata, vulnerabilities)
 * sbom_spdx.c       SPDX 2.2/2.3 members (packages, creationInfo, name)
 */
#ifndef SG_INGEST_SBOM_INTERNAL_H
#define SG_INGEST_SBOM_INTERNAL_H

#include <stddef.h>

#include "ingest/sbom.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_reader.h"
#include "util/limits.h"

/* The versions shipgate reads. An error that depends on the version (an
 * empty bom-ref is one from CycloneDX 1.5 on) names the versions it holds
 * in as a mask of these bits. */
enum sbom_version {
	SBOM_CDX14,
	SBOM_CDX15,
	SBOM_CDX16,
	SBOM_SPDX22,
	SBOM_SPDX23,
	SBOM_VERSIONS
};

#define SBOM_V(v) (1u << (v))
#define SBOM_CDX_ALL (SBOM_V(SBOM_CDX14) | SBOM_V(SBOM_CDX15) | SBOM_V(SBOM_CDX16))
#define SBOM_CDX_FROM15 (SBOM_V(SBOM_CDX15) | SBOM_V(SBOM_CDX16))
#define SBOM_SPDX_ALL (SBOM_V(SBOM_SPDX22) | SBOM_V(SBOM_SPDX23))

/* Containers tagged through sg_json_tag_container(). */
enum {
	SBOM_TAG_COMPONENTS = 1, /* a CycloneDX components[] array, at any depth */
	SBOM_TAG_LICENSES,       /* a CycloneDX component's licenses[] */
	SBOM_TAG_VULNS,          /* CycloneDX vulnerabilities[] */
	SBOM_TAG_PACKAGES,       /* SPDX packages[] */
	SBOM_TAG_XREFS,          /* an SPDX package's externalRefs[] */
	SBOM_TAG_CONTEXT,        /* JSON-LD @context (SPDX 3) */
};

enum sbom_lic_kind {
	SBOM_LIC_NONE = 0,
	SBOM_LIC_ID,   /* CycloneDX license.id */
	SBOM_LIC_NAME, /* CycloneDX license.name: free text */
	SBOM_LIC_EXPR, /* CycloneDX expression, SPDX licenseConcluded/Declared */
};

/* A string member as written (at most SG_SBOM_MAX_FIELD_BYTES). */
struct sbom_text {
	struct sg_buf b;
	int set;
};

/* One component (CycloneDX) or package (SPDX) being read. */
struct sbom_comp {
	int level;       /* JSON depth of its object */
	int depth;       /* handed to the sink: 0 top level, +1 per nesting */
	int spdx;        /* an SPDX package */
	int subject;     /* CycloneDX metadata.component: read and checked, not handed over */
	int invalid;     /* a check failed (error waiting for the version): not handed over */
	struct sbom_text ref, type, name, group, version, purl, scope;
	/* CycloneDX licenses[] entries, or SPDX concluded [0] / declared [1]. */
	struct sbom_text lic[SG_SBOM_MAX_LICENSES];
	enum sbom_lic_kind lic_kind[SG_SBOM_MAX_LICENSES];
	size_t n_lic;
	int entry_has_license, entry_has_expression; /* the licenses[] entry being read */
	int entry_skipped;                           /* ... is past SG_SBOM_MAX_LICENSES */
	struct sg_buf norm; /* normalised licences, NUL-separated */
};

/* What one format says about the document, kept apart per format until
 * the format is known (a stray "name" must not become a CycloneDX subject). */
struct sbom_meta {
	char tool[128];
	char tool_version[64];
	char subject[256];
	int tool_set;
};

struct sbom_vex_state {
	int open;     /* inside a vulnerabilities[] entry */
	int invalid;
	struct sbom_text id, state, justification, detail;
	int affect_open, affect_has_ref;
	struct sg_buf refs;      /* decoded refs, NUL-separated */
	size_t *ref_off;
	const char **ref_ptrs;
	size_t n_refs, cap_refs;
};

struct sbom_reader {
	const struct sg_sbom_sink *sink;
	struct sg_sbom_summary *summary;
	struct sg_error *err;
	const char *where;

	/* The markers (top-level members), wherever they come. */
	enum sg_sbom_format format;    /* 0 until a marker says */
	int version;                   /* enum sbom_version once confirmed, else -1 */
	int has_bom_format, has_spec_version, has_spdx_version;
	int spec_not_string;
	char spec_version[32];         /* as written, cut */
	long spec_line, spec_column;   /* where specVersion's value is, for errors */
	long long spec_offset;
	int body_cdx, body_spdx;       /* a component / package was read */

	/* Errors waiting for the version: [v] is the first that holds in v. */
	struct sg_error pending[SBOM_VERSIONS];
	unsigned pending_set;

	struct sbom_comp *stack;       /* components open around the event */
	size_t n_stack, cap_stack;
	long long n_components;        /* every component object, for the limit */
	long long n_vulns;
	long long n_vex_pairs;         /* (vulnerability, component) pairs handed over, for the limit */

	struct sbom_meta cdx, spdx;
	char tool_name[128], tool_version[64]; /* the CycloneDX tool entry being read */
	int tool_has_name;
	char xref_category[32], xref_type[16]; /* the SPDX externalRefs[] entry being read */
	struct sbom_text xref_locator;
	int xref_locator_long;

	struct sbom_vex_state vex;
	struct sg_buf joined;          /* group "/" name */
};

/* ---- sbom.c ---- */

#define SBOM_HEAD_BYTES 512 /* the document's first bytes, kept to name a non-JSON format */

void sbom_reader_init(struct sbom_reader *s, const char *where, const struct sg_sbom_sink *sink,
		      struct sg_sbom_summary *summary, struct sg_error *err);
void sbom_reader_release(struct sbom_reader *s);
/* The JSON handler of a whole document (the ctx is the sbom_reader). */
int sbom_on_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev);
/* After the parse: is this a document shipgate reads? */
int sbom_check_document(struct sbom_reader *s);
/* A JSON syntax error (rc) on a document whose first bytes are `head`:
 * name the other format it is (XML, tag-value) in err when it is one. */
int sbom_name_other_format(const unsigned char *head, size_t head_len, struct sg_error *err, int rc);
/* The summary, once the document is read. */
void sbom_fill_summary(struct sbom_reader *s);

/*
 * A check failed at the current event; it is an error in the versions of
 * `mask`. Once the version is known this fails the parse (or returns 0 when
 * the check does not hold in that version); before, the error is kept for
 * each of those versions and reported if the document turns out to be one
 * of them, and 0 is returned.
 */
int sbom_fail(struct sbom_reader *s, struct sg_json_reader *r, unsigned mask, enum sg_diag diag,
	      const char *fmt, ...) SG_PRINTF(5, 6);
/* Does a failure over `mask` make the document fail whatever its version? */
int sbom_fails_surely(const struct sbom_reader *s, unsigned mask);
const char *sbom_type_name(enum sg_json_type t);
/* Does the path, from level `base`, equal the keys given ("#": an index)? */
int sbom_at(const struct sg_json_reader *r, int base, const char *const *keys);
#define SBOM_AT(r, base, ...) sbom_at((r), (base), (const char *const[]){__VA_ARGS__, NULL})
/* Copy s[0..len) into out, cut on a character boundary to fit. */
void sbom_copy_cut(char *out, size_t size, const char *s, size_t len);

/* ---- sbom_component.c ---- */

void sbom_text_init(struct sbom_text *t);
void sbom_text_release(struct sbom_text *t);
/* Keep a string member; `what` names it in errors. null counts as absent. */
int sbom_keep(struct sbom_reader *s, struct sg_json_reader *r, int *invalid, unsigned mask,
	      struct sbom_text *t, const struct sg_json_event *ev, const char *what);
/* A check on a component or VEX statement failed (see sbom_fail); *invalid
 * is set (it is not handed over) when the failure holds in every version. */
int sbom_fail_mark(struct sbom_reader *s, struct sg_json_reader *r, int *invalid, unsigned mask,
		   enum sg_diag diag, const char *fmt, ...) SG_PRINTF(6, 7);
/* A component object starts at the current event. */
int sbom_comp_push(struct sbom_reader *s, struct sg_json_reader *r, int spdx, int subject);
/* The innermost open component of the given kind, or NULL. */
struct sbom_comp *sbom_comp_top(struct sbom_reader *s, int spdx);
/* The innermost component's object ends: check it and hand it over; pop it. */
int sbom_comp_end(struct sbom_reader *s, struct sg_json_reader *r);
void sbom_comp_stack_free(struct sbom_reader *s);

/* ---- sbom_cyclonedx.c, sbom_spdx.c ---- */

int sbom_cdx_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev);
void sbom_cdx_release(struct sbom_reader *s);
int sbom_spdx_event(struct sbom_reader *s, struct sg_json_reader *r, const struct sg_json_event *ev);

#endif
