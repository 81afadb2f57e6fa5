/*
 * Internals shared by cvss.c (vector syntax, v3.x), cvss4.c (v4.0 scoring)
 * and cvss4_table.c (the v4.0 macro-vector table). Not a public interface:
 * callers use sca/cvss.h.
 */
#ifndef SG_SCA_CVSS_IMPL_H
#define SG_SCA_CVSS_IMPL_H

#include <stddef.h>

#include "util/error.h"

/* v4.0 has the most metrics: 11 base + 1 threat + 14 environmental + 6 supplemental. */
#define SG_CVSS_MAX_METRICS 32

/* One metric a vector may carry: its abbreviation and its values (NULL-terminated). */
struct sg_cvss_metric_def {
	const char *name;
	const char *const *values;
	int mandatory;
};

/*
 * Parse the "/NAME:VALUE" list that follows a vector's "CVSS:x.y" prefix
 * (prefix_len bytes, already checked by the caller). values[i] receives the
 * index of defs[i]'s value in defs[i].values, or -1 when the metric is absent.
 * Metrics may come in any order; an unknown metric or value, a duplicate, an
 * empty part or a missing mandatory metric is SG_EINPUT (cvss-invalid), with
 * err->offset at the offending part.
 */
int sg_cvss_parse_metrics(const char *vector, size_t prefix_len,
			  const struct sg_cvss_metric_def *defs, size_t n_defs, int *values,
			  struct sg_error *err) SG_MUST_USE;

/* Which metrics the v4.0 score reads. */
enum sg_cvss4_mode {
	SG_CVSS4_BASE,  /* base metrics only: E as X (= A), CR/IR/AR as X (= H), M* as X */
	SG_CVSS4_ALL,   /* threat and environmental metrics applied (CVSS-BTE) */
};

/* The v4.0 score of a "CVSS:4.0/..." vector, in tenths. */
int sg_cvss4_score(const char *vector, enum sg_cvss4_mode mode, int *score_tenths,
		   struct sg_error *err) SG_MUST_USE;

/*
 * The score (in tenths) of the highest-severity vector of macro vector
 * eq[0..5] (EQ1..EQ6), or -1 when that macro vector does not exist.
 */
int sg_cvss4_macro_tenths(const int eq[6]);

#endif
