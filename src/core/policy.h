/*
 * The policy model: what the gate enforces. policy/ reads it from YAML
 * (shipgate.yml, or the built-in default); core/ only reads it.
 *
 * A clause is evaluated only when the policy enables it, and the policy can
 * only enable clauses whose evidence this version of shipgate evaluates: a
 * key for any other clause is an unknown key, an error.
 */
#ifndef SG_CORE_POLICY_H
#define SG_CORE_POLICY_H

#include <stddef.h>

#include "core/severity.h"
#include "util/hash.h"

#define SG_POLICY_ID_BYTES 128
#define SG_POLICY_NAME_BYTES 256

/* Replace the severity of matching results: a tool's whole output, or one rule. */
struct sg_severity_override {
	char tool[SG_POLICY_NAME_BYTES]; /* as in tool.driver.name; required */
	char rule[SG_POLICY_NAME_BYTES]; /* empty: every rule of the tool */
	enum sg_severity severity;
};

struct sg_policy_sast {
	int enabled;
	int on_release_commit; /* with --release: a scan of the release's commit is required */
	int max_age_days;      /* without --release: the latest scan is at most this old */
};

/* Clause sca: an SBOM (a scan of kind "sca") is the evidence. */
struct sg_policy_sca {
	int enabled;
	int on_release_commit; /* with --release: an SBOM of the release's commit is required (default 1) */
	int max_age_days;      /* without --release: the newest SBOM is at most this old (default 30) */
};

/*
 * The licence policy: components whose declared licences it does not accept
 * become findings of kind "license" (judged by sca/license.h), which clause
 * remediate.release weighs like any other. SPDX ids match case-insensitively.
 */
struct sg_policy_licenses {
	int enabled;           /* the section is present */
	char **deny;           /* SPDX ids as written in the policy; owned */
	size_t n_deny;
	char **allow;          /* empty: everything not denied is allowed */
	size_t n_allow;
	enum sg_severity severity; /* of a violation finding; default high */
};

#define SG_ROLE_BYTES 16

struct sg_policy {
	char id[SG_POLICY_ID_BYTES];
	unsigned block_release;  /* bit (1u << severity) for each blocking severity */
	struct sg_policy_sast sast;
	struct sg_policy_sca sca;
	struct sg_policy_licenses licenses;
	/* Clause exceptions: who approves, and how long an exception may last. */
	char approver_role[SG_ROLE_BYTES]; /* default "cto" */
	int exception_max_days;            /* default 90 */
	/* Clause remediate.sla: days from first detection to the due date, per
	 * severity (index enum sg_severity; 0: no deadline). */
	int sla_enabled;
	int sla_days[SG_SEV_COUNT];
	struct sg_severity_override *overrides; /* owned; sg_policy_release frees */
	size_t n_overrides;
	/* sha256 of the policy text the model was read from (recorded with verdicts). */
	unsigned char sha256[SG_SHA256_BYTES];
	char source[512];        /* file path, or "built-in" */
};

/* Free what the policy owns (overrides, licence lists); leaves them empty. */
void sg_policy_release(struct sg_policy *policy);

/* May this character stand in a policy id ([A-Za-z0-9._-])? */
int sg_policy_id_char(char c);

/* Apply the overrides: the most specific match (tool and rule) wins over a
 * tool-wide one. Returns `severity` unchanged when nothing matches. */
enum sg_severity sg_policy_severity(const struct sg_policy *policy, const char *tool,
				    const char *rule, enum sg_severity severity);

/* A digest of the override set, independent of its order: the store records
 * which set its stored severities follow, and re-applies when it changes. */
void sg_policy_overrides_digest(const struct sg_policy *policy, unsigned char out[SG_SHA256_BYTES]);

/* Does a finding of this severity block a release? */
int sg_policy_blocks(const struct sg_policy *policy, enum sg_severity severity);

#endif
