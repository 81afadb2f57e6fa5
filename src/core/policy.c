#include "core/policy.h"

#include <string.h>

#include "util/alloc.h"

void sg_policy_release(struct sg_policy *policy)
{
	sg_free(policy->overrides);
	policy->overrides = NULL;
	policy->n_overrides = 0;
}

enum sg_severity sg_policy_severity(const struct sg_policy *policy, const char *tool,
				    const char *rule, enum sg_severity severity)
{
	const struct sg_severity_override *tool_wide = NULL;
	size_t i;

	for (i = 0; i < policy->n_overrides; i++) {
		const struct sg_severity_override *o = &policy->overrides[i];
		if (strcmp(o->tool, tool) != 0)
			continue;
		if (o->rule[0] == '\0') {
			if (!tool_wide)
				tool_wide = o;
		} else if (rule && strcmp(o->rule, rule) == 0) {
			return o->severity;
		}
	}
	return tool_wide ? tool_wide->severity : severity;
}

int sg_policy_blocks(const struct sg_policy *policy, enum sg_severity severity)
{
	return (policy->block_release >> severity) & 1u;
}
