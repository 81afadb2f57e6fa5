/*
 * CVSS vectors: the shared "/NAME:VALUE" syntax, the v3.0/v3.1 base score
 * (FIRST CVSS v3.1 specification, section 7.1 and Appendix A) and the
 * qualitative rating (section 5). v4.0 scoring is in cvss4.c.
 *
 * No allocation: a vector is read in place and every metric is looked up in
 * a small table, so a hostile vector costs time linear in its length.
 */
#include "sca/cvss.h"

#include <string.h>

#include "sca/cvss_impl.h"

/* Metric names and values are short; longer tokens are cut in messages. */
#define TOKEN_SHOWN 16

/* A token for an error message: printable ASCII only, cut at TOKEN_SHOWN. */
static void show_token(char *out, size_t size, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && i < TOKEN_SHOWN && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		out[n++] = (c >= 0x20 && c < 0x7f && c != '"') ? (char)c : '?';
	}
	if (len > TOKEN_SHOWN && n + 3 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static int invalid_at(struct sg_error *err, size_t offset, const char *what, const char *s,
		      size_t len)
{
	char shown[TOKEN_SHOWN + 4];

	show_token(shown, sizeof(shown), s, len);
	err->offset = (long long)offset;
	return sg_error_set(err, SG_DIAG_CVSS_INVALID, "cvss vector: %s \"%s\" at byte %zu",
			    what, shown, offset);
}

static int find_value(const char *const *values, const char *s, size_t len)
{
	int i;

	for (i = 0; values[i]; i++)
		if (strlen(values[i]) == len && memcmp(values[i], s, len) == 0)
			return i;
	return -1;
}

/* One "NAME:VALUE" part at vector[start, end). */
static int parse_part(const char *vector, size_t start, size_t end,
		      const struct sg_cvss_metric_def *defs, size_t n_defs, int *values,
		      struct sg_error *err)
{
	const char *part = vector + start;
	size_t len = end - start;
	const char *colon = memchr(part, ':', len);
	size_t name_len, i;
	int v;

	if (len == 0)
		return invalid_at(err, start, "empty metric", part, 0);
	if (!colon || colon == part || colon == part + len - 1)
		return invalid_at(err, start, "malformed metric", part, len);
	name_len = (size_t)(colon - part);
	for (i = 0; i < n_defs; i++)
		if (strlen(defs[i].name) == name_len && memcmp(defs[i].name, part, name_len) == 0)
			break;
	if (i == n_defs)
		return invalid_at(err, start, "unknown metric", part, name_len);
	/* CVSS v3.1 section 6 and v4.0 section 7: each metric at most once. */
	if (values[i] >= 0)
		return invalid_at(err, start, "duplicate metric", part, name_len);
	v = find_value(defs[i].values, colon + 1, len - name_len - 1);
	if (v < 0)
		return invalid_at(err, start, "unknown value of metric", part, len);
	values[i] = v;
	return 0;
}

int sg_cvss_parse_metrics(const char *vector, size_t prefix_len,
			  const struct sg_cvss_metric_def *defs, size_t n_defs, int *values,
			  struct sg_error *err)
{
	size_t pos = prefix_len, end, i;
	int rc;

	if (n_defs > SG_CVSS_MAX_METRICS)
		return sg_error_set(err, SG_DIAG_INTERNAL, "cvss: %zu metric definitions", n_defs);
	for (i = 0; i < n_defs; i++)
		values[i] = -1;
	if (vector[pos] != '/')
		return invalid_at(err, pos, "expected \"/\" after the version, found",
				  vector + pos, vector[pos] ? 1 : 0);
	while (vector[pos] == '/') {
		end = pos + 1;
		while (vector[end] != '\0' && vector[end] != '/')
			end++;
		rc = parse_part(vector, pos + 1, end, defs, n_defs, values, err);
		if (rc)
			return rc;
		pos = end;
	}
	for (i = 0; i < n_defs; i++)
		if (defs[i].mandatory && values[i] < 0)
			return sg_error_set(err, SG_DIAG_CVSS_INVALID,
					    "cvss vector: base metric \"%s\" missing", defs[i].name);
	return 0;
}

/* CVSS v3.x metrics, Table 15 of the v3.1 specification (v3.0 has the same set). */
static const char *const v_av[] = {"N", "A", "L", "P", NULL};
static const char *const v_ac[] = {"L", "H", NULL};
static const char *const v_pr[] = {"N", "L", "H", NULL};
static const char *const v_ui[] = {"N", "R", NULL};
static const char *const v_s[] = {"U", "C", NULL};
static const char *const v_cia[] = {"H", "L", "N", NULL};
static const char *const v_e[] = {"X", "U", "P", "F", "H", NULL};
static const char *const v_rl[] = {"X", "O", "T", "W", "U", NULL};
static const char *const v_rc[] = {"X", "U", "R", "C", NULL};
static const char *const v_req[] = {"X", "L", "M", "H", NULL};
static const char *const v_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v_mac[] = {"X", "L", "H", NULL};
static const char *const v_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v_mui[] = {"X", "N", "R", NULL};
static const char *const v_ms[] = {"X", "U", "C", NULL};
static const char *const v_mcia[] = {"X", "N", "L", "H", NULL};

enum { M_AV, M_AC, M_PR, M_UI, M_S, M_C, M_I, M_A };

static const struct sg_cvss_metric_def v3_metrics[] = {
	{"AV", v_av, 1}, {"AC", v_ac, 1}, {"PR", v_pr, 1}, {"UI", v_ui, 1},
	{"S", v_s, 1}, {"C", v_cia, 1}, {"I", v_cia, 1}, {"A", v_cia, 1},
	/* Temporal and environmental: checked, not scored (base score only). */
	{"E", v_e, 0}, {"RL", v_rl, 0}, {"RC", v_rc, 0},
	{"CR", v_req, 0}, {"IR", v_req, 0}, {"AR", v_req, 0},
	{"MAV", v_mav, 0}, {"MAC", v_mac, 0}, {"MPR", v_mpr, 0}, {"MUI", v_mui, 0},
	{"MS", v_ms, 0}, {"MC", v_mcia, 0}, {"MI", v_mcia, 0}, {"MA", v_mcia, 0},
};
#define V3_METRICS (sizeof(v3_metrics) / sizeof(v3_metrics[0]))

/* Section 7.4, Table 16: metric values, in the order of the value lists above. */
static const double w_av[] = {0.85, 0.62, 0.55, 0.2};
static const double w_ac[] = {0.77, 0.44};
static const double w_pr_unchanged[] = {0.85, 0.62, 0.27};
static const double w_pr_changed[] = {0.85, 0.68, 0.5};
static const double w_ui[] = {0.85, 0.62};
static const double w_cia[] = {0.56, 0.22, 0};

/*
 * v3.1 Roundup, Appendix A: "int_input = round_to_nearest_integer(input *
 * 100000); if (int_input % 10000) == 0: return int_input / 100000.0; else
 * return (floor(int_input / 10000) + 1) / 10.0" - in integers, so 4.000000001
 * (a float artefact of an exact 4.0) rounds to 4.0, not 4.1. Returns tenths;
 * input is in [0, 10.8].
 */
static int roundup_v31(double x)
{
	double scaled = x * 100000.0;
	long long n = (long long)scaled;

	if (scaled - (double)n >= 0.5)
		n++;
	if (n % 10000 == 0)
		return (int)(n / 10000);
	return (int)(n / 10000 + 1);
}

/*
 * v3.0 Roundup (v3.0 specification section 7.1): "the smallest number,
 * specified to one decimal place, that is equal to or higher than its
 * input", i.e. ceil(x * 10) / 10 in floating point, as FIRST's v3.0
 * calculator computes it. v3.1 replaced it because of float artefacts; a
 * v3.0 vector keeps its v3.0 score. Returns tenths; input is in [0, 10.8].
 */
static int roundup_v30(double x)
{
	double scaled = x * 10.0;
	long long n = (long long)scaled;

	if ((double)n < scaled)
		n++;
	return (int)n;
}

/* (x)^15 by multiplication: no libm. */
static double pow15(double x)
{
	double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;

	return x8 * x4 * x2 * x;
}

/* Section 7.1, base metric equations; m holds value indexes (v3_metrics order). */
static int v3_base_tenths(const int *m, int minor)
{
	int changed = m[M_S] == 1;
	double iss, impact, expl, sum;

	/* ISS = 1 - [(1 - Confidentiality) x (1 - Integrity) x (1 - Availability)] */
	iss = 1 - ((1 - w_cia[m[M_C]]) * (1 - w_cia[m[M_I]]) * (1 - w_cia[m[M_A]]));
	/* Unchanged: 6.42 x ISS; changed: 7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15 */
	if (changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02);
	else
		impact = 6.42 * iss;
	/* Exploitability = 8.22 x AttackVector x AttackComplexity x PrivilegesRequired x UserInteraction */
	expl = 8.22 * w_av[m[M_AV]] * w_ac[m[M_AC]] *
	       (changed ? w_pr_changed : w_pr_unchanged)[m[M_PR]] * w_ui[m[M_UI]];
	/* "If Impact <= 0 then 0, else" Roundup(Minimum[(Impact + Exploitability), 10])
	 * or, scope changed, Roundup(Minimum[1.08 x (Impact + Exploitability), 10]). */
	if (impact <= 0)
		return 0;
	sum = changed ? 1.08 * (impact + expl) : impact + expl;
	if (sum > 10)
		sum = 10;
	return minor == 0 ? roundup_v30(sum) : roundup_v31(sum);
}

static int v3_score(const char *vector, int minor, int *score_tenths, struct sg_error *err)
{
	int m[SG_CVSS_MAX_METRICS];
	int rc;

	rc = sg_cvss_parse_metrics(vector, strlen("CVSS:3.x"), v3_metrics, V3_METRICS, m, err);
	if (rc)
		return rc;
	*score_tenths = v3_base_tenths(m, minor);
	return 0;
}

int sg_cvss_base_score(const char *vector, int *score_tenths, int *version,
		       struct sg_error *err)
{
	int rc;

	if (!vector || vector[0] == '\0')
		return sg_error_set(err, SG_DIAG_CVSS_INVALID, "cvss vector: empty");
	/* v3.1 section 6: "CVSS:3.1/" starts every vector; v4.0 section 7: "CVSS:4.0/". */
	if (strncmp(vector, "CVSS:3.1/", 9) == 0 || strncmp(vector, "CVSS:3.0/", 9) == 0) {
		rc = v3_score(vector, vector[7] - '0', score_tenths, err);
		if (rc == 0)
			*version = 3;
		return rc;
	}
	if (strncmp(vector, "CVSS:4.0/", 9) == 0) {
		/* The base score, as for v3: threat (E), environmental and
		 * supplemental metrics are checked but read as X. FIRST's
		 * calculator applies E and the environmental metrics when given
		 * (its CVSS-BT/BE/BTE score); SG_CVSS4_ALL computes that. */
		rc = sg_cvss4_score(vector, SG_CVSS4_BASE, score_tenths, err);
		if (rc == 0)
			*version = 4;
		return rc;
	}
	err->offset = 0;
	return sg_error_set(err, SG_DIAG_CVSS_INVALID,
			    "cvss vector: not \"CVSS:3.0/\", \"CVSS:3.1/\" or \"CVSS:4.0/\"");
}

/*
 * Qualitative rating, v3.1 section 5 and v4.0 section 6: None 0.0, Low
 * 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. "None" is
 * shipgate's info. Out-of-range input is clamped.
 */
enum sg_severity sg_cvss_severity(int score_tenths)
{
	if (score_tenths >= 90)
		return SG_SEV_CRITICAL;
	if (score_tenths >= 70)
		return SG_SEV_HIGH;
	if (score_tenths >= 40)
		return SG_SEV_MEDIUM;
	if (score_tenths >= 1)
		return SG_SEV_LOW;
	return SG_SEV_INFO;
}
