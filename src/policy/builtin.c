/*
 * The built-in policy, kept as YAML text rather than as a struct so that the
 * default and a user's shipgate.yml go through the same parser, and so that
 * `shipgate init` can write this very text as the starter file. Its comments
 * are the first documentation a user reads: keep them exact.
 */
#include <string.h>

#include "policy/policy_yaml.h"

static const char builtin_text[] =
	"# shipgate.yml: the Secure Development Policy that `shipgate gate` enforces.\n"
	"#\n"
	"# This is shipgate's built-in policy, written by `shipgate init` as a\n"
	"# starting point: edit it to suit your team. `shipgate policy check FILE`\n"
	"# validates a file and `shipgate policy show` prints the policy in effect.\n"
	"# Every gate verdict records the SHA-256 of this file, so a change to the\n"
	"# policy shows in the record of every release decided under it.\n"
	"#\n"
	"# shipgate refuses any key it does not know: a misspelt key is an error,\n"
	"# never a clause silently left out.\n"
	"#\n"
	"# The other clauses of the policy - dast, sca, tests, review, threat_model\n"
	"# and manual_verification under `require` - come with later versions of\n"
	"# shipgate. Until shipgate can\n"
	"# evaluate them they are rejected as unknown keys, so that no policy seems\n"
	"# to enforce what nothing checks.\n"
	"\n"
	"# An id for this policy, shown in gate reports: 1 to 127 characters of\n"
	"# A-Z a-z 0-9 . _ -\n"
	"policy: secure-development\n"
	"\n"
	"# Open findings of these severities block a release (clause\n"
	"# remediate.release); a finding triaged as a false positive does not.\n"
	"# Severities are critical, high, medium, low and info; [] blocks on none.\n"
	"block_release: [critical, high]\n"
	"\n"
	"# Clause exceptions: an exception waives findings only once a person of\n"
	"# this role (viewer, developer, security, cto or admin) approved it with a\n"
	"# signature made with their registered key, and never past its expiry.\n"
	"approver_role: cto\n"
	"# The furthest an exception's expiry may lie, in days from the day (UTC)\n"
	"# it is requested: 1 to 3650.\n"
	"exception_max_days: 90\n"
	"\n"
	"# Clause remediate.sla: a finding is due this many days after it was first\n"
	"# detected (moving code does not reset the clock; a severity that rises\n"
	"# takes its shorter deadline). A finding of a blocking severity past its\n"
	"# due date fails the clause; `shipgate sla` lists what is overdue or due\n"
	"# within 7 days. Leave a severity out for no deadline, or remove sla_days\n"
	"# to drop the clause.\n"
	"sla_days: {critical: 7, high: 30, medium: 90, low: 180}\n"
	"\n"
	"# The evidence a release needs. Each clause listed here is enforced; remove\n"
	"# a clause to stop requiring it.\n"
	"require:\n"
	"  # Clause sast: static analysis results (SARIF, `shipgate ingest sarif`).\n"
	"  # Write `sast: {}` to take the defaults shown here.\n"
	"  sast:\n"
	"    # With `gate --release`, a SAST scan of exactly the release's commit\n"
	"    # is required. true or false.\n"
	"    on_release_commit: true\n"
	"    # Without --release, the latest SAST scan may be at most this many\n"
	"    # days old: a whole number from 1 to 3650.\n"
	"    max_age_days: 7\n"
	"\n"
	"# Replace the severity a scanner gave its findings, for a whole tool or for\n"
	"# one of its rules; an entry for the rule wins over one for the whole tool.\n"
	"# `tool` is the SARIF tool.driver.name, `rule` the ruleId (leave it out to\n"
	"# cover every rule of the tool). For example:\n"
	"#\n"
	"# severity_overrides:\n"
	"#   - tool: Flawfinder\n"
	"#     severity: medium\n"
	"#   - tool: Flawfinder\n"
	"#     rule: FF1004\n"
	"#     severity: low\n";

const char *sg_policy_builtin_text(void)
{
	return builtin_text;
}

int sg_policy_load_builtin(struct sg_policy *out, struct sg_error *err)
{
	return sg_policy_parse(builtin_text, strlen(builtin_text), "built-in", out, err);
}
