#include "core/severity.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const severity_names[SG_SEV_COUNT] = {
	[SG_SEV_INFO] = "info",
	[SG_SEV_LOW] = "low",
	[SG_SEV_MEDIUM] = "medium",
	[SG_SEV_HIGH] = "high",
	[SG_SEV_CRITICAL] = "critical",
};

const char *sg_severity_name(enum sg_severity sev)
{
	if ((int)sev < 0 || sev >= SG_SEV_COUNT)
		return "unknown";
	return severity_names[sev];
}

int sg_severity_parse(const char *name, enum sg_severity *out)
{
	int i;

	for (i = 0; i < SG_SEV_COUNT; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum sg_severity)i;
			return 0;
		}
	}
	return -1;
}

static const char *const level_names[] = {
	[SG_LEVEL_UNSET] = "",
	[SG_LEVEL_NONE] = "none",
	[SG_LEVEL_NOTE] = "note",
	[SG_LEVEL_WARNING] = "warning",
	[SG_LEVEL_ERROR] = "error",
};

int sg_level_parse(const char *name, enum sg_level *out)
{
	int i;

	for (i = SG_LEVEL_NONE; i <= SG_LEVEL_ERROR; i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum sg_level)i;
			return 0;
		}
	}
	return -1;
}

const char *sg_level_name(enum sg_level level)
{
	if ((int)level < 0 || level > SG_LEVEL_ERROR)
		return "";
	return level_names[level];
}

/*
 * SARIF 2.1.0 §3.27.10: "If kind has any value other than "fail", then if
 * level is absent, it SHALL default to "none"" ... "If kind has the value
 * "fail" and level is absent, then level SHALL be determined by the
 * following procedure: ... defaultConfiguration.level ... Otherwise, level
 * SHALL take the value "warning"."
 */
enum sg_level sg_level_effective(enum sg_level result_level, enum sg_level rule_default,
				 int kind_is_fail)
{
	/* "... and if it is present, it SHALL have the value "none"." */
	if (!kind_is_fail)
		return SG_LEVEL_NONE;
	if (result_level != SG_LEVEL_UNSET)
		return result_level;
	if (rule_default != SG_LEVEL_UNSET)
		return rule_default;
	return SG_LEVEL_WARNING;
}

enum sg_severity sg_severity_from_level(enum sg_level level)
{
	switch (level) {
	case SG_LEVEL_ERROR:
		return SG_SEV_HIGH;
	case SG_LEVEL_WARNING:
	case SG_LEVEL_UNSET:
		return SG_SEV_MEDIUM;
	case SG_LEVEL_NOTE:
		return SG_SEV_LOW;
	case SG_LEVEL_NONE:
	default:
		return SG_SEV_INFO;
	}
}

int sg_severity_from_score(double score, enum sg_severity *out)
{
	if (!isfinite(score) || score <= 0.0 || score > 10.0)
		return -1;
	if (score >= 9.0)
		*out = SG_SEV_CRITICAL;
	else if (score >= 7.0)
		*out = SG_SEV_HIGH;
	else if (score >= 4.0)
		*out = SG_SEV_MEDIUM;
	else
		*out = SG_SEV_LOW;
	return 0;
}

int sg_score_parse(const char *text, double *out)
{
	const char *p;
	char *end;
	double v;

	while (*text == ' ' || *text == '\t')
		text++;
	if (!*text)
		return -1;
	/* A decimal number only: strtod would also read hex ("0x9"), "inf" and "nan". */
	for (p = text; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
		      *p == 'E' || *p == ' ' || *p == '\t'))
			return -1;
	errno = 0;
	v = strtod(text, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno == ERANGE || *end != '\0' || end == text || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}
