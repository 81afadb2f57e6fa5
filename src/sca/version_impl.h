/*
 * The comparators behind sca/version.h, one file each. Every one returns 0
 * with *cmp set, or SG_EINPUT (diagnostic version-invalid) naming the version
 * that does not parse. `check` is compare's parse step alone.
 */
#ifndef SG_SCA_VERSION_IMPL_H
#define SG_SCA_VERSION_IMPL_H

#include "util/error.h"

#define SG_VERSION_MAX_BYTES 256 /* longer version strings are refused */

#define SG_VERSION_COMPARATOR(order)                                                         \
	int sg_vcmp_##order(const char *a, const char *b, int *cmp, struct sg_error *err) SG_MUST_USE; \
	int sg_vcheck_##order(const char *v, struct sg_error *err) SG_MUST_USE;

SG_VERSION_COMPARATOR(semver)   /* version_semver.c */
SG_VERSION_COMPARATOR(npm)      /* version_semver.c */
SG_VERSION_COMPARATOR(go)       /* version_semver.c */
SG_VERSION_COMPARATOR(nuget)    /* version_nuget.c */
SG_VERSION_COMPARATOR(rubygems) /* version_rubygems.c */
SG_VERSION_COMPARATOR(pypi)     /* version_pypi.c */
SG_VERSION_COMPARATOR(maven)    /* version_maven.c */
SG_VERSION_COMPARATOR(dpkg)     /* version_dpkg.c */
SG_VERSION_COMPARATOR(apk)      /* version_apk.c */

#undef SG_VERSION_COMPARATOR

/* SG_EINPUT, version-invalid: "<order> version "<v>" does not parse: <why>",
 * the version shown safely (printable ASCII, other bytes as \xNN, cut). */
int sg_version_invalid(const char *order, const char *v, const char *why, struct sg_error *err);

#endif
