#include "core/sla.h"

#include <stdint.h>

#define DAY 86400

int sg_sla_due(const struct sg_policy *policy, enum sg_severity severity, time_t first_seen,
	       time_t *due)
{
	int days;

	if (!policy->sla_enabled || (unsigned)severity >= SG_SEV_COUNT)
		return 0;
	days = policy->sla_days[severity];
	if (days <= 0)
		return 0;
	/* A first detection read from a damaged store may be anything. */
	if (__builtin_add_overflow(first_seen, (time_t)days * DAY, due))
		*due = first_seen < 0 ? (time_t)0 : (time_t)INT64_MAX;
	return 1;
}

time_t sg_sla_first_seen_cutoff(const struct sg_policy *policy, enum sg_severity severity, time_t at)
{
	return at - (time_t)policy->sla_days[severity] * DAY;
}
