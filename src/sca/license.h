/*
 * SPDX licence identifiers and expressions (SPDX 2.3 Annex D): ids from the
 * SPDX licence list (compiled in from Debian's node-spdx-license-ids and
 * node-spdx-exceptions), matched case-insensitively as the specification
 * says, so "apache-2.0" from a generator is read as "Apache-2.0".
 */
#ifndef SG_SCA_LICENSE_H
#define SG_SCA_LICENSE_H

#include <stddef.h>

#include "util/error.h"

#define SG_LICENSE_EXPR_MAX_BYTES 4096
#define SG_LICENSE_EXPR_MAX_TERMS 64

/* The listed spelling of a licence (or exception) id, or NULL if not listed. */
const char *sg_license_canonical_id(const char *id);
const char *sg_license_canonical_exception(const char *id);

/*
 * Normalise an expression: ids in their listed case (unknown ids and
 * LicenseRef-/DocumentRef- kept as written), operators upper case, single
 * spaces, parentheses kept where given. SG_EINPUT (license-invalid) saying where the
 * expression is malformed.
 */
int sg_license_normalize(const char *expr, char *out, size_t size, struct sg_error *err) SG_MUST_USE;

/*
 * Policy evaluation. deny and allow are lists of ids (case-insensitive; an
 * empty allow list allows everything not denied). An id is acceptable when
 * it is not denied and allowed; "X WITH E" is judged on X; AND needs every
 * side acceptable, OR any side. *ok is 1 when the expression is acceptable;
 * otherwise `offending` lists (comma-separated, listed spelling) the ids that
 * made it fail. SG_EINPUT when the expression is malformed.
 */
int sg_license_evaluate(const char *expr, const char *const *deny, size_t n_deny,
			const char *const *allow, size_t n_allow, int *ok, char *offending,
			size_t offending_size, struct sg_error *err) SG_MUST_USE;

#endif
