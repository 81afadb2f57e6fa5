#include "core/sla.h"

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
	*due = first_seen + (time_t)days * DAY;
	return 1;
}

time_t sg_sla_first_seen_cutoff(const struct sg_policy *policy, enum sg_severity severity, time_t at)
{
	return at - (time_t)policy->sla_days[severity] * DAY;
}
