/*
 * SBOM reader: CycloneDX JSON 1.4-1.6 and SPDX 2.3 JSON (FORMATS.md section
 * 4), told apart by content, streamed so that memory does not grow with the
 * number of components. SPDX 3 (JSON-LD), CycloneDX before 1.4 and anything
 * else are rejected by name (diagnostic sbom-unsupported).
 *
 * Components arrive at the sink as they are read, nested CycloneDX
 * components included (an assembly, not a dependency tree; FORMATS.md 4.1);
 * a component without a purl is handed over too (purl NULL), never dropped.
 * A document that fails any check is an error whatever the sink was given:
 * the caller's transaction makes the ingest all or nothing.
 */
#ifndef SG_INGEST_SBOM_H
#define SG_INGEST_SBOM_H

#include <stddef.h>

#include "util/error.h"
#include "util/hash.h"

enum sg_sbom_format {
	SG_SBOM_CYCLONEDX = 1,
	SG_SBOM_SPDX,
};

#define SG_SBOM_MAX_LICENSES 16 /* licence entries kept per component */

struct sg_sbom_component {
	const char *ref;        /* CycloneDX bom-ref or SPDX SPDXID; may be NULL */
	const char *type;       /* CycloneDX type, or SPDX primaryPackagePurpose lowercased; may be NULL */
	const char *name;       /* CycloneDX group/name joined by '/', or SPDX name */
	const char *version;    /* may be NULL */
	const char *purl;       /* as written (the first purl for SPDX); may be NULL */
	const char *scope;      /* CycloneDX required/optional/excluded; NULL if absent */
	/* SPDX expressions or ids, normalised (sca/license.h); an invalid
	 * expression is an error naming the component. */
	const char *licenses[SG_SBOM_MAX_LICENSES];
	size_t n_licenses;
	int depth;              /* 0 for top-level components */
};

/* A CycloneDX vulnerabilities[] entry with an analysis (VEX). */
struct sg_sbom_vex {
	const char *id;            /* vulnerability id */
	const char *state;         /* analysis.state */
	const char *justification; /* may be NULL */
	const char *detail;        /* may be NULL */
	const char *const *refs;   /* affects[].ref (bom-refs; BOM-Link refs cut to their #fragment) */
	size_t n_refs;
};

struct sg_sbom_summary {
	enum sg_sbom_format format;
	char spec_version[16];     /* "1.5", "SPDX-2.3" */
	char tool[128];            /* generator (metadata.tools / creationInfo.creators Tool:); "" if none */
	char tool_version[64];
	char subject[256];         /* metadata.component name or SPDX document name */
	long long components;      /* handed to the sink */
	long long without_purl;
	long long vex;
	unsigned char sha256[SG_SHA256_BYTES]; /* of the file's bytes */
};

struct sg_sbom_sink {
	void *ctx;
	int (*component)(void *ctx, const struct sg_sbom_component *c, struct sg_error *err);
	int (*vex)(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err); /* may be NULL */
};

/* Read path ("-" for stdin); `where` names it in errors. */
int sg_sbom_read_file(const char *path, const char *where, const struct sg_sbom_sink *sink,
		      struct sg_sbom_summary *summary, struct sg_error *err) SG_MUST_USE;

/*
 * A push checker: the same reading as sg_sbom_read_file() (format
 * detection, sbom-invalid and sbom-unsupported, limits, the name of a
 * non-JSON format) of a document that arrives in chunks (an upload),
 * without a sink. It accepts exactly the documents sg_sbom_read_file()
 * accepts and refuses the others with the same error, `name` standing for
 * the file. One pass, bounded memory: a bad document is refused at the
 * feed that completes the block of bytes showing it (util/json_reader.h),
 * or at finish.
 *
 * name is copied. After an error, feed and finish return it again. After a
 * successful finish, sg_sbom_check_summary() is what sg_sbom_read_file()
 * would have filled (NULL before).
 */
struct sg_sbom_check;

int sg_sbom_check_new(const char *name, struct sg_sbom_check **out, struct sg_error *err) SG_MUST_USE;
int sg_sbom_check_feed(struct sg_sbom_check *c, const void *data, size_t len, struct sg_error *err) SG_MUST_USE;
int sg_sbom_check_finish(struct sg_sbom_check *c, struct sg_error *err) SG_MUST_USE;
const struct sg_sbom_summary *sg_sbom_check_summary(const struct sg_sbom_check *c);
void sg_sbom_check_free(struct sg_sbom_check *c);

#endif
