/* The effective policy as canonical YAML (`shipgate policy show`). */
#include <string.h>
#include <strings.h>

#include "policy/policy_yaml.h"
#include "util/buf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A double-quoted YAML scalar (YAML 1.2.2 section 7.3.1): always safe,
 * whatever the name holds. */
static void render_quoted(struct sg_buf *out, const char *s)
{
	sg_buf_addc(out, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			sg_buf_printf(out, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			sg_buf_printf(out, "\\x%02x", ch);
		else
			sg_buf_addc(out, (char)ch);
	}
	sg_buf_addc(out, '"');
}

/* The id plain when no YAML reader could take it for a bool, null or number. */
static void render_id(struct sg_buf *out, const char *id)
{
	static const char *const special[] = {"true", "false", "yes", "no", "on", "off",
					      "null", "y", "n"};
	size_t i;
	int plain = (id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z');

	for (i = 0; plain && id[i]; i++)
		if (!sg_policy_id_char(id[i]))
			plain = 0;
	for (i = 0; plain && i < ARRAY_SIZE(special); i++)
		if (strcasecmp(id, special[i]) == 0)
			plain = 0;
	if (plain)
		sg_buf_adds(out, id);
	else
		render_quoted(out, id);
}

/* A clause under require whose evidence is a scan (sast, sca). */
static void render_scan_clause(struct sg_buf *out, const char *name, int on_release_commit,
			       int max_age_days)
{
	sg_buf_printf(out, "  %s:\n    on_release_commit: %s\n    max_age_days: %d\n", name,
		      on_release_commit ? "true" : "false", max_age_days);
}

/* A flow list of licence ids; each plain unless YAML could read it otherwise. */
static void render_ids(struct sg_buf *out, char *const *ids, size_t n)
{
	size_t i;

	sg_buf_addc(out, '[');
	for (i = 0; i < n; i++) {
		if (i)
			sg_buf_adds(out, ", ");
		render_id(out, ids[i]);
	}
	sg_buf_addc(out, ']');
}

int sg_policy_render_yaml(const struct sg_policy *policy, struct sg_buf *out)
{
	const char *sep = "";
	size_t i;
	int sev;

	sg_buf_adds(out, "policy: ");
	render_id(out, policy->id);
	sg_buf_adds(out, "\nblock_release: [");
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
		if (sg_policy_blocks(policy, (enum sg_severity)sev)) {
			sg_buf_printf(out, "%s%s", sep, sg_severity_name((enum sg_severity)sev));
			sep = ", ";
		}
	}
	sg_buf_adds(out, "]\n");
	sg_buf_printf(out, "approver_role: %s\nexception_max_days: %d\n", policy->approver_role,
		      policy->exception_max_days);
	if (policy->sla_enabled) {
		sep = "";
		sg_buf_adds(out, "sla_days: {");
		for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--) {
			if (policy->sla_days[sev] <= 0)
				continue;
			sg_buf_printf(out, "%s%s: %d", sep, sg_severity_name((enum sg_severity)sev),
				      policy->sla_days[sev]);
			sep = ", ";
		}
		sg_buf_adds(out, "}\n");
	}
	if (!policy->sast.enabled && !policy->sca.enabled)
		sg_buf_adds(out, "require: {}\n");
	else
		sg_buf_adds(out, "require:\n");
	if (policy->sast.enabled)
		render_scan_clause(out, "sast", policy->sast.on_release_commit, policy->sast.max_age_days);
	if (policy->sca.enabled)
		render_scan_clause(out, "sca", policy->sca.on_release_commit, policy->sca.max_age_days);
	if (policy->licenses.enabled) {
		sg_buf_adds(out, "licenses:\n  deny: ");
		render_ids(out, policy->licenses.deny, policy->licenses.n_deny);
		sg_buf_adds(out, "\n  allow: ");
		render_ids(out, policy->licenses.allow, policy->licenses.n_allow);
		sg_buf_printf(out, "\n  severity: %s\n", sg_severity_name(policy->licenses.severity));
	}
	sg_buf_adds(out, policy->n_overrides ? "severity_overrides:\n" : "severity_overrides: []\n");
	for (i = 0; i < policy->n_overrides; i++) {
		const struct sg_severity_override *o = &policy->overrides[i];

		sg_buf_adds(out, "  - tool: ");
		render_quoted(out, o->tool);
		if (o->rule[0]) {
			sg_buf_adds(out, "\n    rule: ");
			render_quoted(out, o->rule);
		}
		sg_buf_printf(out, "\n    severity: %s\n", sg_severity_name(o->severity));
	}
	return sg_buf_error(out);
}
