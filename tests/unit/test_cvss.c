/*
 * sca/cvss: base scores from CVSS v3.0/v3.1 and v4.0 vectors (FORMATS.md
 * section 5: an OSV severity is a vector, the score must be computed).
 * Clause: remediate.release (the score decides which findings are critical
 * or high and so block a release).
 *
 * Where the expected scores come from:
 * - v3.1: NVD scores of well-known CVEs and the FIRST "CVSS v3.1 Examples"
 *   document; every vector of ../shared/corpus/osv with the score that two
 *   independent implementations (npm @pandatix/js-cvss 0.4.4 and
 *   ae-cvss-calculator 1.0.13) agree on. While this was written the same two
 *   implementations agreed with sca/cvss on all 2 x 2592 v3.0/v3.1 base
 *   vectors.
 * - v4.0: the FIRST calculator's examples and test data as quoted by other
 *   implementations (pablotron/polycvss src/v4/tests.rs, "test N.N" cases
 *   from the Red Hat calculator data), the specification's CVE examples, and
 *   the vectors of the rounding reports RedHatProductSecurity/cvss-v4-calculator
 *   #48 and #66 and RedHatProductSecurity/cvss #60 and #63. sca/cvss also
 *   matched ae-cvss-calculator (which follows the current reference
 *   calculator) on all 104,976 v4.0 base vectors and on 200,000 random
 *   vectors with threat and environmental metrics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/severity.h"
#include "sca/cvss.h"
#include "sca/cvss_impl.h"
#include "util/error.h"

#define CORPUS "../shared/corpus/osv"

struct known {
	const char *vector;
	int tenths;
};

static int score_of(const char *vector, int *version)
{
	struct sg_error err;
	int score = -1, v = 0, rc;

	sg_error_clear(&err);
	rc = sg_cvss_base_score(vector, &score, &v, &err);
	if (rc != 0) {
		print_message("%s: %s\n", vector, err.message);
		return -1000 + rc;
	}
	if (version)
		*version = v;
	return score;
}

static void check_known(const struct known *k, size_t n, int version)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int v = 0, s = score_of(k[i].vector, &v);

		if (s != k[i].tenths)
			print_message("%s: got %d, want %d\n", k[i].vector, s, k[i].tenths);
		assert_int_equal(s, k[i].tenths);
		assert_int_equal(v, version);
	}
}

/* Returns the diagnostic of a refused vector (and checks it is an input error). */
static enum sg_diag refused(const char *vector)
{
	struct sg_error err;
	int score = 77, v = 77, rc;

	sg_error_clear(&err);
	rc = sg_cvss_base_score(vector, &score, &v, &err);
	if (rc == 0)
		print_message("accepted: %s\n", vector);
	assert_int_equal(rc, SG_EINPUT);
	assert_int_equal(err.code, SG_EINPUT);
	assert_true(err.message[0] != '\0');
	/* Nothing is written on failure. */
	assert_int_equal(score, 77);
	assert_int_equal(v, 77);
	return err.diag;
}

/* NVD scores of famous CVEs and the FIRST CVSS v3.1 examples document. */
static const struct known v31_known[] = {
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},  /* Shellshock CVE-2014-6271 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75},  /* Heartbleed CVE-2014-0160 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100}, /* Log4Shell CVE-2021-44228 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61},  /* phpMyAdmin XSS CVE-2013-1937 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64},  /* MySQL CVE-2013-0375 */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 31},  /* POODLE CVE-2014-3566 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99},  /* VMware guest escape CVE-2012-1516 */
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 42},  /* Tomcat CVE-2009-0783 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88},  /* Cisco IOS CVE-2012-0384 */
	{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78},  /* Apple iWork CVE-2015-1098 */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 68},  /* DNS cache poisoning CVE-2008-1447 */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 68},  /* Sophos CVE-2014-2005 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 58},  /* Joomla CVE-2010-0467 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 58},  /* Cisco CVE-2012-1342 */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 93},  /* Juniper CVE-2013-6014 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 54},  /* DokuWiki CVE-2014-9253 */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 88},  /* Bluetooth CVE-2011-1265 */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 46},  /* Apple iOS CVE-2014-2019 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88},  /* SearchBlox CSRF CVE-2015-0970 */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 74},  /* OpenSSL CCS CVE-2014-0224 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 96},  /* Chrome CVE-2012-5376 */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 68},  /* Badlock CVE-2016-0128 */
	{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78},  /* local privilege escalation */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75},  /* remote denial of service */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:L", 83},
	{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L", 16},  /* the lowest non-zero v3 score */
	/* Section 7.1: "If Impact sub score <= 0 then 0", whatever else. */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0},
	{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N", 0},
};

static void test_v31_known_scores(void **state)
{
	(void)state;
	check_known(v31_known, sizeof(v31_known) / sizeof(v31_known[0]), 3);
}

/* v3.0 uses the same equations; on base vectors its plain round-up never
 * differs from v3.1's integer Roundup. */
static void test_v30_scores(void **state)
{
	static const struct known k[] = {
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61},
		{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L", 53},
		{"CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N", 75},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0},
	};

	(void)state;
	check_known(k, sizeof(k) / sizeof(k[0]), 3);
}

/* "Metrics may be in any order"; temporal and environmental metrics are
 * checked but do not change the base score. */
static void test_v3_order_and_extra_metrics(void **state)
{
	(void)state;
	assert_int_equal(score_of("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", NULL), 98);
	assert_int_equal(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R",
				  NULL), 98);
	assert_int_equal(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/"
				  "CR:X/IR:X/AR:X/MAV:X/MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X",
				  NULL), 98);
	assert_int_equal(score_of("CVSS:3.1/CR:L/MAV:P/MS:C/MC:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"
				  "MI:L/MA:H/MPR:H/MUI:R/MAC:H/IR:M/AR:H/E:H/RL:W/RC:C",
				  NULL), 98);
}

static void test_v3_malformed(void **state)
{
	static const char *const bad[] = {
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",          /* A missing */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",  /* duplicate */
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", /* duplicate */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/E:U", /* duplicate, optional */
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",      /* X is not a base value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q",      /* unknown value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH",     /* unknown value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:",       /* empty value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A",        /* no colon */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/:H",       /* empty name */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",     /* trailing slash */
		"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",     /* empty part */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:H", /* unknown metric */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", /* a v4.0 metric */
		"CVSS:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h",      /* names are upper case */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ",     /* trailing space */
		" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",     /* leading space */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z",  /* bad temporal value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MS:H", /* bad environmental value */
		"CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",    /* two colons */
		"CVSS:3.1",
		"CVSS:3.1/",
		"CVSS:3.1AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
		"AV:N/AC:L/Au:N/C:P/I:P/A:P",                        /* CVSS v2, no prefix */
		"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",               /* v3 without prefix */
		"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/\xff:\xfe",
		"",
		"9.8",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(refused(bad[i]), SG_DIAG_CVSS_INVALID);
}

/* The error says where: the byte offset of the part at fault. */
static void test_error_position(void **state)
{
	struct sg_error err;
	int s, v;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_cvss_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:H",
					    &s, &v, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_CVSS_INVALID);
	assert_int_equal(err.offset, 45);
	assert_non_null(strstr(err.message, "\"ZZ\""));
	sg_error_clear(&err);
	assert_int_equal(sg_cvss_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", &s, &v, &err),
			 SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_CVSS_INVALID);
	assert_non_null(strstr(err.message, "\"A\""));
	/* Control bytes in a hostile vector do not reach the message. */
	sg_error_clear(&err);
	assert_int_equal(sg_cvss_base_score("CVSS:3.1/\x1b[31m:H", &s, &v, &err), SG_EINPUT);
	assert_null(strchr(err.message, '\x1b'));
}

/* A long hostile vector is refused without reading past its end. */
static void test_long_vector(void **state)
{
	char *big;
	size_t i, n = 1 << 20;

	(void)state;
	big = malloc(n + 1);
	assert_non_null(big);
	memcpy(big, "CVSS:3.1/", 9);
	for (i = 9; i < n; i++)
		big[i] = (i % 5 == 4) ? '/' : 'A';
	big[n] = '\0';
	assert_int_equal(refused(big), SG_DIAG_CVSS_INVALID);
	/* Only slashes: every part empty. */
	memset(big + 9, '/', n - 9);
	assert_int_equal(refused(big), SG_DIAG_CVSS_INVALID);
	free(big);
}

/*
 * v4.0 base vectors: the calculator's own example (9.3), vectors of the
 * Red Hat calculator's test data and of the FIRST v4.0 examples document.
 */
static const struct known v40_base_known[] = {
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 93},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 100},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 79},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 69},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N", 85},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N", 88},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N", 70},
	{"CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:H/SA:H", 59},
	{"CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:H/SA:H", 72},
	{"CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 60},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 91},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 73}, /* CVE-2022-41741 */
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 77},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", 83},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 46},
	/* Issue #66: 8.549999999999999 before rounding, 8.6 since the fix. */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 86},
	/* "Exception for no impact on system". */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0},
	/* The top vector of 212201 (1.0), the lowest macro vector without
	 * threat metrics (212221 needs E:U). */
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L", 10},
};

static void test_v40_base_scores(void **state)
{
	(void)state;
	check_known(v40_base_known, sizeof(v40_base_known) / sizeof(v40_base_known[0]), 4);
}

/*
 * Vectors with threat and environmental metrics, scored as the calculator
 * scores them (sg_cvss4_score in SG_CVSS4_ALL mode), from the Red Hat test
 * data (via polycvss) and the rounding reports named at the top.
 */
static const struct known v40_full_known[] = {
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:L/SA:L/E:U/CR:M/IR:X/AR:L/MAV:X/MAC:H/MAT:N/MPR:X/MUI:A/MVC:N/MVI:H/MVA:H/MSC:N/MSI:S/MSA:L", 29},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:L/SI:L/SA:H/E:U/CR:H/IR:M/AR:X/MAV:X/MAC:L/MAT:X/MPR:L/MUI:N/MVC:H/MVI:H/MVA:X/MSC:N/MSI:S/MSA:S", 89},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:P/VC:N/VI:H/VA:N/SC:L/SI:N/SA:L/E:X/CR:M/IR:L/AR:X/MAV:N/MAC:X/MAT:N/MPR:X/MUI:N/MVC:L/MVI:X/MVA:X/MSC:X/MSI:S/MSA:H", 91},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:P/VC:N/VI:L/VA:H/SC:L/SI:L/SA:N/E:A/CR:M/IR:M/AR:H/MAV:N/MAC:L/MAT:P/MPR:H/MUI:X/MVC:H/MVI:H/MVA:X/MSC:L/MSI:S/MSA:S", 94},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:L/VI:N/VA:H/SC:H/SI:L/SA:L/E:U/CR:M/IR:M/AR:M/MAV:X/MAC:L/MAT:X/MPR:N/MUI:X/MVC:N/MVI:L/MVA:H/MSC:H/MSI:N/MSA:L", 19},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:P/VC:N/VI:L/VA:L/SC:H/SI:L/SA:L/E:P/CR:X/IR:H/AR:H/MAV:N/MAC:L/MAT:X/MPR:X/MUI:X/MVC:L/MVI:X/MVA:L/MSC:X/MSI:H/MSA:L", 56},
	{"CVSS:4.0/AV:P/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:N/E:P/CR:H/IR:L/AR:M/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:X/MVI:L/MVA:L/MSC:L/MSI:S/MSA:X", 94},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:P/CR:X/IR:M/AR:M/MAV:A/MAC:L/MAT:X/MPR:X/MUI:X/MVC:H/MVI:L/MVA:X/MSC:H/MSI:H/MSA:L", 52},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:N/VC:H/VI:N/VA:H/SC:L/SI:N/SA:H/E:A/CR:M/IR:M/AR:M/MAV:A/MAC:L/MAT:N/MPR:N/MUI:P/MVC:N/MVI:N/MVA:L/MSC:X/MSI:H/MSA:L", 63},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:H/VA:L/SC:L/SI:N/SA:N/E:A/CR:M/IR:M/AR:M/MAV:A/MAC:X/MAT:P/MPR:X/MUI:N/MVC:X/MVI:X/MVA:N/MSC:H/MSI:N/MSA:N", 57},
	{"CVSS:4.0/AV:P/AC:L/AT:N/PR:L/UI:P/VC:L/VI:N/VA:H/SC:N/SI:N/SA:H/E:A/CR:M/IR:M/AR:H/MAV:L/MAC:L/MAT:N/MPR:H/MUI:X/MVC:N/MVI:L/MVA:L/MSC:H/MSI:H/MSA:N", 44},
	{"CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:A/VC:L/VI:H/VA:N/SC:L/SI:L/SA:L/E:P/CR:M/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:N/MUI:A/MVC:X/MVI:H/MVA:X/MSC:L/MSI:L/MSA:X", 15},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:L/SI:L/SA:H/E:X/CR:X/IR:X/AR:L/MAV:N/MAC:L/MAT:X/MPR:L/MUI:P/MVC:L/MVI:X/MVA:H/MSC:H/MSI:N/MSA:L", 83},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:A/VC:L/VI:H/VA:H/SC:L/SI:H/SA:N/E:A/CR:X/IR:M/AR:X/MAV:P/MAC:L/MAT:P/MPR:X/MUI:N/MVC:N/MVI:N/MVA:L/MSC:L/MSI:N/MSA:N", 10},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H/E:U/CR:H/IR:X/AR:L/MAV:X/MAC:L/MAT:P/MPR:X/MUI:A/MVC:L/MVI:N/MVA:N/MSC:H/MSI:N/MSA:X", 9},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:L/VI:L/VA:H/SC:L/SI:L/SA:L/E:U/CR:L/IR:L/AR:M/MAV:A/MAC:H/MAT:X/MPR:L/MUI:A/MVC:X/MVI:H/MVA:H/MSC:X/MSI:L/MSA:X", 2},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:H/SI:N/SA:H/E:A/CR:X/IR:H/AR:X/MAV:P/MAC:L/MAT:N/MPR:N/MUI:A/MVC:H/MVI:H/MVA:X/MSC:H/MSI:N/MSA:N", 82},
	{"CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:A/VC:L/VI:N/VA:L/SC:H/SI:L/SA:H/E:X/CR:X/IR:M/AR:L/MAV:N/MAC:X/MAT:X/MPR:H/MUI:X/MVC:L/MVI:L/MVA:N/MSC:H/MSI:N/MSA:H", 45},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:L/E:P/CR:H/IR:L/AR:L/MAV:P/MAC:L/MAT:X/MPR:L/MUI:P/MVC:H/MVI:L/MVA:H/MSC:H/MSI:N/MSA:X", 37},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N/E:U/CR:M/IR:X/AR:X/MAV:L/MAC:H/MAT:N/MPR:X/MUI:X/MVC:L/MVI:H/MVA:L/MSC:L/MSI:H/MSA:L", 16},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:A/VC:N/VI:N/VA:L/SC:N/SI:N/SA:L/E:U/CR:M/IR:H/AR:M/MAV:N/MAC:H/MAT:N/MPR:N/MUI:X/MVC:N/MVI:X/MVA:X/MSC:N/MSI:N/MSA:L", 5},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:P/VC:N/VI:H/VA:N/SC:N/SI:H/SA:H/E:U/CR:M/IR:H/AR:X/MAV:P/MAC:L/MAT:X/MPR:L/MUI:P/MVC:H/MVI:X/MVA:N/MSC:L/MSI:X/MSA:S", 71},
	{"CVSS:4.0/AV:A/AC:H/AT:P/PR:N/UI:A/VC:L/VI:H/VA:N/SC:N/SI:N/SA:H/E:A/CR:L/IR:M/AR:X/MAV:L/MAC:H/MAT:P/MPR:L/MUI:A/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:S", 41},
	{"CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:N/VC:L/VI:H/VA:H/SC:L/SI:N/SA:N/E:U/CR:M/IR:H/AR:X/MAV:L/MAC:L/MAT:N/MPR:N/MUI:P/MVC:N/MVI:X/MVA:L/MSC:H/MSI:S/MSA:S", 73},
	{"CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:H/MSC:H/MSI:S/MSA:S", 64},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 91},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S", 98},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 52},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L", 81},
	/* Issue #48: 8.95 and 0.35 before rounding, half up. */
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H/E:P", 90},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U", 4},
	/* RedHatProductSecurity/cvss #60 (8.45) and #63 (8.55, metrics out of order). */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L/MAV:N/MAC:L/MAT:N/MPR:L/MUI:A/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red", 85},
	{"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:N/SA:H/S:N/AU:N/R:I/V:C/RE:M/U:Green/MAV:A/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:N/MVA:H/MSC:H/MSI:H/MSA:H/CR:H/IR:M/AR:H/E:A", 86},
};

static void test_v40_full_scores(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v40_full_known) / sizeof(v40_full_known[0]); i++) {
		struct sg_error err;
		int s = -1;

		sg_error_clear(&err);
		assert_int_equal(sg_cvss4_score(v40_full_known[i].vector, SG_CVSS4_ALL, &s, &err), 0);
		if (s != v40_full_known[i].tenths)
			print_message("%s: got %d, want %d\n", v40_full_known[i].vector, s,
				      v40_full_known[i].tenths);
		assert_int_equal(s, v40_full_known[i].tenths);
	}
}

/*
 * sg_cvss_base_score reads the base metrics only: threat, environmental and
 * supplemental metrics are checked, then taken as X (E as A, CR/IR/AR as H,
 * M* as the base values).
 */
static void test_v40_base_ignores_other_groups(void **state)
{
	(void)state;
	/* The calculator says 9.1 with E:U; the base score stays 10. */
	assert_int_equal(score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U",
				  NULL), 100);
	/* Same base as a case above (6.4 with MSC:H/MSI:S/MSA:S). */
	assert_int_equal(score_of("CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:H/"
				  "MSC:H/MSI:S/MSA:S", NULL),
			 score_of("CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:H", NULL));
	assert_int_equal(score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/"
				  "E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/"
				  "MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X", NULL), 93);
	/* Supplemental metrics never score; any order is read. */
	assert_int_equal(score_of("CVSS:4.0/U:Amber/RE:H/V:C/R:I/AU:Y/S:P/SA:N/SI:N/SC:N/VA:H/VI:H/"
				  "VC:H/UI:N/PR:N/AT:N/AC:L/AV:N", NULL), 93);
	/* The corpus's GHSA-m9g8-fxxm-xg86 vector: 9.2 base, 7.2 with E:U. */
	assert_int_equal(score_of("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
				  NULL), 92);
}

static void test_v40_malformed(void **state)
{
	static const char *const bad[] = {
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",       /* SA missing */
		"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",       /* AT missing */
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SA:N",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",  /* UI:R is v3 */
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",  /* S only in MSI */
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Redd",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", /* v3 scope */
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/C:H",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/",
		"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",                      /* a v3 vector */
		"CVSS:4.0/",
		"CVSS:4.0",
		"CVSS:4.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(refused(bad[i]), SG_DIAG_CVSS_INVALID);
}

/* Every macro vector of the table exists exactly where the EQs allow it. */
static void test_v40_macro_table(void **state)
{
	int eq[6], n = 0, t;

	(void)state;
	for (eq[0] = 0; eq[0] < 3; eq[0]++)
		for (eq[1] = 0; eq[1] < 2; eq[1]++)
			for (eq[2] = 0; eq[2] < 3; eq[2]++)
				for (eq[3] = 0; eq[3] < 3; eq[3]++)
					for (eq[4] = 0; eq[4] < 3; eq[4]++)
						for (eq[5] = 0; eq[5] < 2; eq[5]++) {
							t = sg_cvss4_macro_tenths(eq);
							if (eq[2] == 2 && eq[5] == 0) {
								assert_int_equal(t, -1);
								continue;
							}
							assert_in_range(t, 1, 100);
							n++;
						}
	assert_int_equal(n, 270);
	/* First and last rows, and a few in between (cvss40.js LOOKUP_TABLE). */
	eq[0] = 0, eq[1] = 0, eq[2] = 0, eq[3] = 0, eq[4] = 0, eq[5] = 0;
	assert_int_equal(sg_cvss4_macro_tenths(eq), 100);
	eq[0] = 2, eq[1] = 1, eq[2] = 2, eq[3] = 2, eq[4] = 2, eq[5] = 1;
	assert_int_equal(sg_cvss4_macro_tenths(eq), 1);
	eq[0] = 0, eq[1] = 0, eq[2] = 0, eq[3] = 2, eq[4] = 0, eq[5] = 0;
	assert_int_equal(sg_cvss4_macro_tenths(eq), 93);
	eq[0] = 1, eq[1] = 1, eq[2] = 2, eq[3] = 2, eq[4] = 2, eq[5] = 1;
	assert_int_equal(sg_cvss4_macro_tenths(eq), 6);
	eq[0] = 3, eq[1] = 0, eq[2] = 0, eq[3] = 0, eq[4] = 0, eq[5] = 0;
	assert_int_equal(sg_cvss4_macro_tenths(eq), -1);
	eq[0] = -1;
	assert_int_equal(sg_cvss4_macro_tenths(eq), -1);
}

/*
 * Every CVSS vector in ../shared/corpus/osv (61 distinct today), with the
 * score both reference implementations give; a vector not in this table
 * fails the test so a corpus update is noticed.
 */
static const struct known corpus_known[] = {
	{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L", 53},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88},
	{"CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:C/C:H/I:H/A:N", 72},
	{"CVSS:3.1/AV:L/AC:H/PR:H/UI:N/S:U/C:L/I:H/A:N", 47},
	{"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N", 47},
	{"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:H", 47},
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:H/A:H", 65},
	{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", 33},
	{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 55},
	{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 55},
	{"CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:N/I:L/A:N", 22},
	{"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:H", 42},
	{"CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:C/C:N/I:L/A:N", 30},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 90},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 81},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 37},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", 59},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H", 83},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 72},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:H", 96},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:N/I:L/A:L", 64},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:H", 81},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 65},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 43},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N", 65},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 54},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H", 80},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:N/I:H/A:N", 57},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 91},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:H", 86},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:L", 65},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 53},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", 91},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 75},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:L", 65},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 53},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 53},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", 54},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N", 43},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N", 43},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 41},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 56},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:N/VC:L/VI:N/VA:N/SC:L/SI:N/SA:N", 23},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N", 87},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 90},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:H/SC:N/SI:N/SA:N", 61},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:H/SC:N/SI:N/SA:H", 69},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L", 59},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 59},
	/* Base score; the calculator's CVSS-BT score with E:U is 7.2. */
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 92},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 10},
};
#define N_CORPUS_KNOWN (sizeof(corpus_known) / sizeof(corpus_known[0]))

struct scan {
	size_t vectors;         /* occurrences checked */
	int seen[N_CORPUS_KNOWN];
};

static void check_corpus_vector(struct scan *sc, const char *v, size_t len)
{
	char vec[256];
	size_t i;

	assert_true(len < sizeof(vec));
	memcpy(vec, v, len);
	vec[len] = '\0';
	for (i = 0; i < N_CORPUS_KNOWN; i++)
		if (strcmp(corpus_known[i].vector, vec) == 0)
			break;
	if (i == N_CORPUS_KNOWN)
		print_message("corpus vector not in the table: %s\n", vec);
	assert_true(i < N_CORPUS_KNOWN);
	assert_int_equal(score_of(vec, NULL), corpus_known[i].tenths);
	sc->seen[i] = 1;
	sc->vectors++;
}

/* Every "CVSS:..." JSON string of one file. */
static void scan_file(struct scan *sc, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf, *p;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	for (p = buf; (p = strstr(p, "\"CVSS:")) != NULL;) {
		char *end = strchr(p + 1, '"');

		assert_non_null(end);
		check_corpus_vector(sc, p + 1, (size_t)(end - p - 1));
		p = end + 1;
	}
	free(buf);
}

static void scan_dir(struct scan *sc, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	struct stat st;

	assert_non_null(d);
	assert_true(depth < 8);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) <
			    sizeof(path));
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			scan_dir(sc, path, depth + 1);
		else if (strstr(e->d_name, ".json"))
			scan_file(sc, path);
	}
	closedir(d);
}

static void test_osv_corpus_vectors(void **state)
{
	static struct scan sc;
	size_t i;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	scan_dir(&sc, CORPUS, 0);
	assert_true(sc.vectors >= 100);
	for (i = 0; i < N_CORPUS_KNOWN; i++) {
		if (!sc.seen[i])
			print_message("not in the corpus any more: %s\n", corpus_known[i].vector);
		assert_true(sc.seen[i]);
	}
}

/* v3.1 section 5 / v4.0 section 6: None 0.0, Low 0.1-3.9, Medium 4.0-6.9,
 * High 7.0-8.9, Critical 9.0-10.0. */
static void test_severity(void **state)
{
	(void)state;
	assert_int_equal(sg_cvss_severity(0), SG_SEV_INFO);
	assert_int_equal(sg_cvss_severity(1), SG_SEV_LOW);
	assert_int_equal(sg_cvss_severity(39), SG_SEV_LOW);
	assert_int_equal(sg_cvss_severity(40), SG_SEV_MEDIUM);
	assert_int_equal(sg_cvss_severity(69), SG_SEV_MEDIUM);
	assert_int_equal(sg_cvss_severity(70), SG_SEV_HIGH);
	assert_int_equal(sg_cvss_severity(89), SG_SEV_HIGH);
	assert_int_equal(sg_cvss_severity(90), SG_SEV_CRITICAL);
	assert_int_equal(sg_cvss_severity(100), SG_SEV_CRITICAL);
	/* Out of range is clamped. */
	assert_int_equal(sg_cvss_severity(-5), SG_SEV_INFO);
	assert_int_equal(sg_cvss_severity(1000), SG_SEV_CRITICAL);
	/* End to end: 9.8 critical, 8.8 high, 6.1 medium, 3.1 low, 0.0 info. */
	assert_int_equal(sg_cvss_severity(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL)),
			 SG_SEV_CRITICAL);
	assert_int_equal(sg_cvss_severity(score_of("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", NULL)),
			 SG_SEV_HIGH);
	assert_int_equal(sg_cvss_severity(score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", NULL)),
			 SG_SEV_MEDIUM);
	assert_int_equal(sg_cvss_severity(score_of("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", NULL)),
			 SG_SEV_LOW);
	assert_int_equal(sg_cvss_severity(score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", NULL)),
			 SG_SEV_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v31_known_scores),
		cmocka_unit_test(test_v30_scores),
		cmocka_unit_test(test_v3_order_and_extra_metrics),
		cmocka_unit_test(test_v3_malformed),
		cmocka_unit_test(test_error_position),
		cmocka_unit_test(test_long_vector),
		cmocka_unit_test(test_v40_base_scores),
		cmocka_unit_test(test_v40_full_scores),
		cmocka_unit_test(test_v40_base_ignores_other_groups),
		cmocka_unit_test(test_v40_malformed),
		cmocka_unit_test(test_v40_macro_table),
		cmocka_unit_test(test_osv_corpus_vectors),
		cmocka_unit_test(test_severity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
