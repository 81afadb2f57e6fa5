/*
 * Finding identity (DESIGN.md "Finding identity"; SARIF 2.1.0 Appendix B:
 * "a fingerprint ... SHOULD NOT include absolute line numbers or byte offsets").
 *
 *   base        = H(kind, tool, category, rule, normalised path, evidence)
 *   evidence    = the result's fingerprints and partialFingerprints (all
 *                 non-empty values, sorted by name), when it has any;
 *                 else a hash of the flagged text with white space removed
 *                 (region.snippet, or the source line read via --source-root);
 *                 else the message text with its digits removed
 *   fingerprint = H(base, occurrence), occurrence counting earlier results of
 *                 the same ingest with the same base (0 for the first).
 *
 * The view (kind, tool, category) is part of it: a snapshot of one view never
 * touches another view's findings, even for the same file and rule.
 * The path is part of the base even with tool fingerprints: tools compute
 * them from the line's text (Flawfinder, CodeQL), so the same line in two
 * files would otherwise be one finding. Line and column numbers, timestamps
 * and tool versions never enter: a finding whose code moved keeps its id.
 */
#ifndef SG_CORE_IDENTITY_H
#define SG_CORE_IDENTITY_H

#include <stddef.h>

#include "util/hash.h"

struct sg_fingerprint_entry {
	const char *name;   /* e.g. "primaryLocationLineHash" */
	const char *value;
	int partial;        /* from partialFingerprints (1) or fingerprints (0) */
};

struct sg_identity_input {
	const char *kind;     /* "sast", "dast" */
	const char *category; /* "" when none */
	const char *tool;
	const char *rule;
	const char *path;                       /* NULL: no location */
	const struct sg_fingerprint_entry *fps; /* need not be sorted */
	size_t n_fps;
	const char *flagged_text;               /* NULL when unknown */
	const char *message;                    /* NULL when absent */
};

/* Which evidence the base used (for tests and `findings show`). */
enum sg_identity_basis {
	SG_IDENTITY_TOOL_FINGERPRINTS,
	SG_IDENTITY_FLAGGED_TEXT,
	SG_IDENTITY_MESSAGE,
	SG_IDENTITY_LOCATION_ONLY,
};

enum sg_identity_basis sg_identity_base(const struct sg_identity_input *in,
					unsigned char base[SG_FINGERPRINT_BYTES]);

void sg_identity_fingerprint(const unsigned char base[SG_FINGERPRINT_BYTES],
			     unsigned long long occurrence,
			     unsigned char out[SG_FINGERPRINT_BYTES]);

#endif
