/*
 * The SPDX licence and exception ids, as generated into spdx_ids.c by
 * scripts/gen-spdx-ids.sh. Internal to sca/license.c (and its test); callers
 * use sca/license.h.
 */
#ifndef SG_SCA_SPDX_IDS_H
#define SG_SCA_SPDX_IDS_H

#include <stddef.h>

struct sg_spdx_id {
	const char *id;   /* the listed spelling */
	int deprecated;   /* listed as deprecated (e.g. "GPL-2.0"): still a valid id */
};

/* Sorted in strcasecmp order. */
extern const struct sg_spdx_id sg_spdx_licenses[];
extern const size_t sg_spdx_licenses_count;
extern const struct sg_spdx_id sg_spdx_exceptions[];
extern const size_t sg_spdx_exceptions_count;

#endif
