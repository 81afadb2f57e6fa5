#include "core/policy.h"

#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

int sg_policy_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

static void free_ids(char ***ids, size_t *n)
{
	size_t i;

	for (i = 0; *ids && i < *n; i++)
		sg_free((*ids)[i]);
	sg_free(*ids);
	*ids = NULL;
	*n = 0;
}

void sg_policy_release(struct sg_policy *policy)
{
	sg_free(policy->overrides);
	policy->overrides = NULL;
	policy->n_overrides = 0;
	free_ids(&policy->licenses.deny, &policy->licenses.n_deny);
	free_ids(&policy->licenses.allow, &policy->licenses.n_allow);
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

static int override_before(const struct sg_severity_override *a, const struct sg_severity_override *b)
{
	int c = strcmp(a->tool, b->tool);

	return c < 0 || (c == 0 && strcmp(a->rule, b->rule) < 0);
}

void sg_policy_overrides_digest(const struct sg_policy *policy, unsigned char out[SG_SHA256_BYTES])
{
	const struct sg_severity_override *last = NULL;
	struct sg_buf text;
	size_t round, i;

	/* Canonical text: entries in (tool, rule) order, found by repeated
	 * selection (the policy holds at most SG_POLICY_MAX_LIST_ITEMS). */
	sg_buf_init(&text, (size_t)1 << 22);
	sg_buf_adds(&text, "shipgate-overrides-v1\n");
	for (round = 0; round < policy->n_overrides; round++) {
		const struct sg_severity_override *next = NULL;
		for (i = 0; i < policy->n_overrides; i++) {
			const struct sg_severity_override *o = &policy->overrides[i];
			if (last && !override_before(last, o))
				continue;
			if (!next || override_before(o, next))
				next = o;
		}
		if (!next)
			break;
		sg_buf_add(&text, next->tool, strlen(next->tool) + 1);
		sg_buf_add(&text, next->rule, strlen(next->rule) + 1);
		sg_buf_printf(&text, "%d\n", (int)next->severity);
		last = next;
	}
	if (sg_buf_error(&text))
		memset(out, 0xff, SG_SHA256_BYTES); /* never equal to a recorded digest: re-apply */
	else
		sg_sha256(text.data, text.len, out);
	sg_buf_release(&text);
}

int sg_policy_blocks(const struct sg_policy *policy, enum sg_severity severity)
{
	return (policy->block_release >> severity) & 1u;
}
