/*
 * CVSS v4.0 scores (FIRST CVSS v4.0 specification, section 8 "CVSS v4.0
 * Scoring"): the vector's macro vector (EQ1..EQ6) names a row of the lookup
 * table (cvss4_table.c), the score of that row's highest-severity vectors;
 * the vector's severity distance from those vectors, scaled by the score gap
 * to the next lower macro vectors, is taken off.
 *
 * This follows FIRST's reference calculator step by step and in the same
 * floating-point order (CVSS40.calculateScore in cvss40.js of
 * RedHatProductSecurity/cvss-v4-calculator, the code behind
 * FIRSTdotorg/cvss-v4-calculator), so that every vector scores exactly as
 * the calculator says: the severity levels are the same double constants
 * (0.1, 0.2, 0.3), sums are added in the same order, and the final rounding
 * is the calculator's (see round_tenths).
 */
#include <string.h>

#include "sca/cvss_impl.h"

/* Table 23 of the specification: every metric a v4.0 vector may carry. */
static const char *const v_av[] = {"N", "A", "L", "P", NULL};
static const char *const v_ac[] = {"L", "H", NULL};
static const char *const v_at[] = {"N", "P", NULL};
static const char *const v_pr[] = {"N", "L", "H", NULL};
static const char *const v_ui[] = {"N", "P", "A", NULL};
static const char *const v_imp[] = {"H", "L", "N", NULL};
static const char *const v_e[] = {"X", "A", "P", "U", NULL};
static const char *const v_req[] = {"X", "H", "M", "L", NULL};
static const char *const v_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v_mac[] = {"X", "L", "H", NULL};
static const char *const v_mat[] = {"X", "N", "P", NULL};
static const char *const v_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v_mui[] = {"X", "N", "P", "A", NULL};
static const char *const v_mimp[] = {"X", "H", "L", "N", NULL};
static const char *const v_msimp[] = {"X", "S", "H", "L", "N", NULL};
static const char *const v_s[] = {"X", "N", "P", NULL};
static const char *const v_au[] = {"X", "N", "Y", NULL};
static const char *const v_r[] = {"X", "A", "U", "I", NULL};
static const char *const v_v[] = {"X", "D", "C", NULL};
static const char *const v_re[] = {"X", "L", "M", "H", NULL};
static const char *const v_u[] = {"X", "Clear", "Green", "Amber", "Red", NULL};

enum {
	D_AV, D_AC, D_AT, D_PR, D_UI, D_VC, D_VI, D_VA, D_SC, D_SI, D_SA,
	D_E, D_CR, D_IR, D_AR,
	D_MAV, D_MAC, D_MAT, D_MPR, D_MUI, D_MVC, D_MVI, D_MVA, D_MSC, D_MSI, D_MSA,
	D_COUNT
};

static const struct sg_cvss_metric_def v4_metrics[] = {
	{"AV", v_av, 1}, {"AC", v_ac, 1}, {"AT", v_at, 1}, {"PR", v_pr, 1}, {"UI", v_ui, 1},
	{"VC", v_imp, 1}, {"VI", v_imp, 1}, {"VA", v_imp, 1},
	{"SC", v_imp, 1}, {"SI", v_imp, 1}, {"SA", v_imp, 1},
	{"E", v_e, 0}, {"CR", v_req, 0}, {"IR", v_req, 0}, {"AR", v_req, 0},
	{"MAV", v_mav, 0}, {"MAC", v_mac, 0}, {"MAT", v_mat, 0}, {"MPR", v_mpr, 0},
	{"MUI", v_mui, 0}, {"MVC", v_mimp, 0}, {"MVI", v_mimp, 0}, {"MVA", v_mimp, 0},
	{"MSC", v_mimp, 0}, {"MSI", v_msimp, 0}, {"MSA", v_msimp, 0},
	/* Supplemental metrics never change the score. */
	{"S", v_s, 0}, {"AU", v_au, 0}, {"R", v_r, 0}, {"V", v_v, 0}, {"RE", v_re, 0},
	{"U", v_u, 0},
};
#define V4_METRICS (sizeof(v4_metrics) / sizeof(v4_metrics[0]))

/* The metrics the score reads, in the calculator's METRIC_LEVELS order. */
enum { AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR, E, N_SCORED };

/* METRIC_LEVELS: a value's position in its string is its level in tenths. */
static const char *const level_order[N_SCORED] = {
	[AV] = "NALP", [PR] = "NLH", [UI] = "NPA", [AC] = "LH", [AT] = "NP",
	[VC] = "HLN", [VI] = "HLN", [VA] = "HLN",
	[SC] = "SHLN", [SI] = "SHLN", [SA] = "SHLN", /* SC has no S: H is 0.1 for all three */
	[CR] = "HML", [IR] = "HML", [AR] = "HML", [E] = "APU",
};
/* The calculator's literals: 0.3 is not 3 * 0.1 in binary. */
static const double level_value[] = {0.0, 0.1, 0.2, 0.3};

static double level(int metric, char value)
{
	const char *p = value ? strchr(level_order[metric], value) : NULL;

	return p ? level_value[p - level_order[metric]] : 0.0;
}

/*
 * Vector.getEffectiveMetricValue: "M"+metric overrides the base value
 * unless X; E, CR, IR, AR of X count as the worst case A, H, H, H. In base
 * mode every threat and environmental metric is taken as X.
 */
static void effective_values(const int *m, enum sg_cvss4_mode mode, char *eff)
{
	static const struct {
		int scored, base, modified;
	} map[] = {
		{AV, D_AV, D_MAV}, {PR, D_PR, D_MPR}, {UI, D_UI, D_MUI}, {AC, D_AC, D_MAC},
		{AT, D_AT, D_MAT}, {VC, D_VC, D_MVC}, {VI, D_VI, D_MVI}, {VA, D_VA, D_MVA},
		{SC, D_SC, D_MSC}, {SI, D_SI, D_MSI}, {SA, D_SA, D_MSA},
	};
	static const struct {
		int scored, metric;
		char worst;
	} dflt[] = {{CR, D_CR, 'H'}, {IR, D_IR, 'H'}, {AR, D_AR, 'H'}, {E, D_E, 'A'}};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int mod = m[map[i].modified];

		if (mode == SG_CVSS4_ALL && mod > 0) /* index 0 is X */
			eff[map[i].scored] = v4_metrics[map[i].modified].values[mod][0];
		else
			eff[map[i].scored] = v4_metrics[map[i].base].values[m[map[i].base]][0];
	}
	for (i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++) {
		int v = m[dflt[i].metric];

		if (mode == SG_CVSS4_ALL && v > 0)
			eff[dflt[i].scored] = v4_metrics[dflt[i].metric].values[v][0];
		else
			eff[dflt[i].scored] = dflt[i].worst;
	}
}

/* Vector.equivalentClasses: specification Tables 24-29. */
static void macro_vector(const char *x, int *eq)
{
	int any_n = x[AV] == 'N' || x[PR] == 'N' || x[UI] == 'N';
	int all_n = x[AV] == 'N' && x[PR] == 'N' && x[UI] == 'N';

	/* EQ1: 0 AV:N and PR:N and UI:N; 1 (AV:N or PR:N or UI:N) and not all
	 * of them and not AV:P; 2 AV:P or none of AV/PR/UI is N. */
	eq[0] = all_n ? 0 : (any_n && x[AV] != 'P') ? 1 : 2;
	/* EQ2: 0 AC:L and AT:N; 1 otherwise. */
	eq[1] = (x[AC] == 'L' && x[AT] == 'N') ? 0 : 1;
	/* EQ3: 0 VC:H and VI:H; 1 not that but one of VC/VI/VA is H; 2 none is H. */
	if (x[VC] == 'H' && x[VI] == 'H')
		eq[2] = 0;
	else if (x[VC] == 'H' || x[VI] == 'H' || x[VA] == 'H')
		eq[2] = 1;
	else
		eq[2] = 2;
	/* EQ4: 0 MSI:S or MSA:S; 1 one of SC/SI/SA is H; 2 otherwise. */
	if (x[SI] == 'S' || x[SA] == 'S')
		eq[3] = 0;
	else if (x[SC] == 'H' || x[SI] == 'H' || x[SA] == 'H')
		eq[3] = 1;
	else
		eq[3] = 2;
	/* EQ5: E:A 0, E:P 1, E:U 2. */
	eq[4] = x[E] == 'A' ? 0 : x[E] == 'P' ? 1 : 2;
	/* EQ6: 0 (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H); 1 otherwise. */
	eq[5] = ((x[CR] == 'H' && x[VC] == 'H') || (x[IR] == 'H' && x[VI] == 'H') ||
		 (x[AR] == 'H' && x[VA] == 'H')) ? 0 : 1;
}

/*
 * MAX_COMPOSED: the highest-severity vectors of each EQ level (specification
 * Tables 24-29), tried in this order. Letters are AV PR UI / AC AT /
 * VC VI VA CR IR AR / SC SI SA / E.
 */
#define MAX_ALTERNATIVES 5
struct max_set {
	int n;
	const char *v[MAX_ALTERNATIVES];
};
static const struct max_set max_eq1[3] = {
	{1, {"NNN"}}, {3, {"ANN", "NLN", "NNP"}}, {2, {"PNN", "ALP"}},
};
static const struct max_set max_eq2[2] = {{1, {"LN"}}, {2, {"HN", "LP"}}};
static const struct max_set max_eq3eq6[3][2] = {
	{{1, {"HHHHHH"}}, {2, {"HHLMMH", "HHHMMM"}}},
	{{2, {"LHHHHH", "HLHHHH"}}, {5, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}}},
	{{0, {NULL}}, {1, {"LLLHHH"}}},
};
static const struct max_set max_eq4[3] = {{1, {"HSS"}}, {1, {"HHH"}}, {1, {"LLL"}}};
static const struct max_set max_eq5[3] = {{1, {"A"}}, {1, {"P"}}, {1, {"U"}}};

/* MAX_SEVERITY: the depth (+1) of each EQ level, in steps of 0.1. */
static const int depth_eq1[3] = {1, 4, 5};
static const int depth_eq2[2] = {1, 2};
static const int depth_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int depth_eq4[3] = {6, 5, 4};

static void compose(char *max, const char *e1, const char *e2, const char *e36, const char *e4,
		    const char *e5)
{
	max[AV] = e1[0];
	max[PR] = e1[1];
	max[UI] = e1[2];
	max[AC] = e2[0];
	max[AT] = e2[1];
	max[VC] = e36[0];
	max[VI] = e36[1];
	max[VA] = e36[2];
	max[CR] = e36[3];
	max[IR] = e36[4];
	max[AR] = e36[5];
	max[SC] = e4[0];
	max[SI] = e4[1];
	max[SA] = e4[2];
	max[E] = e5[0];
}

/* Distances from one max vector; 1 when none is negative. */
static int distances(const char *x, const char *max, double *d)
{
	int i, ok = 1;

	for (i = 0; i < N_SCORED; i++) {
		d[i] = level(i, x[i]) - level(i, max[i]);
		if (d[i] < 0)
			ok = 0;
	}
	return ok;
}

/*
 * "Find the max vector to use i.e. one in the combination of all the
 * highest that is greater or equal (severity distance) than the to-be
 * scored vector", trying the combinations in the calculator's nesting
 * order. As there, the last combination's distances stand if none fits.
 */
static void severity_distances(const char *x, const int *eq, double *d)
{
	const struct max_set *s1 = &max_eq1[eq[0]], *s2 = &max_eq2[eq[1]];
	const struct max_set *s36 = &max_eq3eq6[eq[2]][eq[5]];
	const struct max_set *s4 = &max_eq4[eq[3]], *s5 = &max_eq5[eq[4]];
	char max[N_SCORED];
	int a, b, c, e, f;

	memset(d, 0, N_SCORED * sizeof(*d)); /* no combination at all cannot happen */
	for (a = 0; a < s1->n; a++)
		for (b = 0; b < s2->n; b++)
			for (c = 0; c < s36->n; c++)
				for (e = 0; e < s4->n; e++)
					for (f = 0; f < s5->n; f++) {
						compose(max, s1->v[a], s2->v[b], s36->v[c],
							s4->v[e], s5->v[f]);
						if (distances(x, max, d))
							return;
					}
}

/* The score of macro vector eq with EQ a (and b unless < 0) one level lower; < 0 when absent. */
static double lower_score(const int *eq, int a, int b)
{
	int next[6];
	int t;

	memcpy(next, eq, sizeof(next));
	next[a]++;
	if (b >= 0)
		next[b]++;
	t = sg_cvss4_macro_tenths(next);
	return t < 0 ? -1.0 : t / 10.0;
}

/*
 * The calculator's final rounding, Math.round((value + EPSILON) * 10) / 10
 * with EPSILON = 10^-6: half up, lifted so that a tie the float arithmetic
 * left one ulp short (8.549999999999999 for 8.55) still rounds up
 * (RedHatProductSecurity/cvss-v4-calculator issue #66, pull request #67,
 * mirroring RedHatProductSecurity/cvss pull request #65). Returns tenths;
 * value is in [0, 10].
 */
static int round_tenths(double value)
{
	double x = (value + 1e-6) * 10;
	long long n = (long long)x;

	/* Math.round: the nearest integer, ties up; x is never negative here. */
	if (x - (double)n >= 0.5)
		n++;
	return (int)n;
}

/* Steps 1a-d for one EQ: adds to *sum and *n when the next lower macro vector exists. */
static void add_proportion(double value, double next, double distance, int depth, double *sum,
			   int *n)
{
	if (next < 0) /* JavaScript: value - undefined is NaN, skipped */
		return;
	(*n)++;
	*sum += (value - next) * (distance / (depth * 0.1));
}

static int score_tenths(const char *x)
{
	int eq[6];
	double d[N_SCORED];
	double value, next36, l, r, sum = 0, mean = 0, s;
	int n = 0, t;

	/* "Exception for no impact on system": all six impacts N scores 0.0. */
	if (x[VC] == 'N' && x[VI] == 'N' && x[VA] == 'N' && x[SC] == 'N' && x[SI] == 'N' &&
	    x[SA] == 'N')
		return 0;
	macro_vector(x, eq);
	t = sg_cvss4_macro_tenths(eq);
	if (t < 0)
		return -1;
	value = t / 10.0;
	severity_distances(x, eq, d);

	/* EQ3 and EQ6 move together: 11 -> 21, 01 -> 11, 10 -> 11, 00 -> the
	 * higher of 01 and 10, 21 -> none. */
	if (eq[2] == 0 && eq[5] == 0) {
		l = lower_score(eq, 5, -1);
		r = lower_score(eq, 2, -1);
		next36 = (l < 0 || r < 0) ? -1.0 : (l > r ? l : r); /* Math.max with NaN is NaN */
	} else if (eq[2] == 1 && eq[5] == 0) {
		next36 = lower_score(eq, 5, -1);
	} else if (eq[2] == 2) {
		next36 = lower_score(eq, 2, 5);
	} else {
		next36 = lower_score(eq, 2, -1);
	}

	/* Each EQ's available distance times the proportion of its depth used,
	 * added in the calculator's order (EQ1, EQ2, EQ3+EQ6, EQ4, EQ5). */
	add_proportion(value, lower_score(eq, 0, -1), d[AV] + d[PR] + d[UI],
		       depth_eq1[eq[0]], &sum, &n);
	add_proportion(value, lower_score(eq, 1, -1), d[AC] + d[AT], depth_eq2[eq[1]],
		       &sum, &n);
	add_proportion(value, next36, d[VC] + d[VI] + d[VA] + d[CR] + d[IR] + d[AR],
		       depth_eq3eq6[eq[2]][eq[5]], &sum, &n);
	add_proportion(value, lower_score(eq, 3, -1), d[SC] + d[SI] + d[SA],
		       depth_eq4[eq[3]], &sum, &n);
	/* EQ5's proportion is always 0, but it counts in the mean. */
	if (lower_score(eq, 4, -1) >= 0) {
		n++;
		sum += 0.0;
	}
	if (n > 0)
		mean = sum / n;
	/* "The score of the vector is the score of the MacroVector ... minus the
	 * mean distance so computed. This score is rounded to one decimal place." */
	s = value - mean;
	if (s > 10)
		s = 10;
	if (s < 0)
		s = 0;
	return round_tenths(s);
}

int sg_cvss4_score(const char *vector, enum sg_cvss4_mode mode, int *score_tenths_out,
		   struct sg_error *err)
{
	int m[SG_CVSS_MAX_METRICS];
	char x[N_SCORED];
	int rc, t;

	rc = sg_cvss_parse_metrics(vector, strlen("CVSS:4.0"), v4_metrics, V4_METRICS, m, err);
	if (rc)
		return rc;
	effective_values(m, mode, x);
	t = score_tenths(x);
	if (t < 0)
		return sg_error_set(err, SG_DIAG_INTERNAL, "cvss 4.0: no macro vector for a valid vector");
	*score_tenths_out = t;
	return 0;
}
