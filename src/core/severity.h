/*
 * Severity and SARIF level, as DESIGN.md "Severity" defines them.
 * Pure functions; the order of enum sg_severity is the order of gravity.
 */
#ifndef SG_CORE_SEVERITY_H
#define SG_CORE_SEVERITY_H

enum sg_severity {
	SG_SEV_INFO = 0,
	SG_SEV_LOW = 1,
	SG_SEV_MEDIUM = 2,
	SG_SEV_HIGH = 3,
	SG_SEV_CRITICAL = 4,
};
#define SG_SEV_COUNT 5

/* SARIF 2.1.0 §3.27.10 levels; UNSET means the member was absent. */
enum sg_level {
	SG_LEVEL_UNSET = 0,
	SG_LEVEL_NONE,
	SG_LEVEL_NOTE,
	SG_LEVEL_WARNING,
	SG_LEVEL_ERROR,
};

const char *sg_severity_name(enum sg_severity sev);
/* "critical".."info"; 0 on success, -1 if unknown. */
int sg_severity_parse(const char *name, enum sg_severity *out);

/* "none", "note", "warning", "error"; -1 if unknown. */
int sg_level_parse(const char *name, enum sg_level *out);
const char *sg_level_name(enum sg_level level);

/*
 * The effective level of a result (SARIF 2.1.0 §3.27.10): its own level if
 * present, else the rule's defaultConfiguration.level if present, else
 * "warning". A result whose kind is not "fail" has level "none".
 */
enum sg_level sg_level_effective(enum sg_level result_level, enum sg_level rule_default,
				 int kind_is_fail);

/* error -> high, warning -> medium, note -> low, none -> info. */
enum sg_severity sg_severity_from_level(enum sg_level level);

/*
 * A security-severity score (CVSS-like): >= 9.0 critical, >= 7.0 high,
 * >= 4.0 medium, > 0 low. Returns -1 when the score carries no severity
 * (0.0, negative, above 10, not finite), as GitHub code scanning reads it.
 */
int sg_severity_from_score(double score, enum sg_severity *out);

/* Parse a security-severity property given as JSON text: a number or a
 * string holding a number. 0 on success. */
int sg_score_parse(const char *text, double *out);

#endif
