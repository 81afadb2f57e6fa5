/*
 * CVSS base scores computed from vectors, as OSV gives severity
 * (FORMATS.md section 5: "the score is a VECTOR, not a number").
 * v3.0/v3.1: CVSS v3.1 specification section 7 (with its Roundup);
 * v4.0: FIRST's macro-vector method with its lookup table.
 */
#ifndef SG_SCA_CVSS_H
#define SG_SCA_CVSS_H

#include "core/severity.h"
#include "util/error.h"

/*
 * The base score of a vector ("CVSS:3.1/AV:N/AC:L/...", "CVSS:4.0/AV:N/..."),
 * in tenths (9.8 -> 98), and its major version (3 or 4). SG_EINPUT naming the
 * metric when the vector is malformed (unknown metric, value, duplicate,
 * missing base metric).
 */
int sg_cvss_base_score(const char *vector, int *score_tenths, int *version,
		       struct sg_error *err) SG_MUST_USE;

/* CVSS qualitative rating: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, 0 info. */
enum sg_severity sg_cvss_severity(int score_tenths);

#endif
