/*
 * sca/license: SPDX licence ids and expressions (SPDX 2.3 Annex D), their
 * normal form and their evaluation against a policy's deny/allow lists.
 * Clause: licenses (a component whose licence the policy denies, or does not
 * allow, is a finding).
 *
 * The real-world strings are those of ../shared/corpus/tools: every
 * licenses[].license.id and licenses[].expression that trivy (through
 * cdxgen's plugin) and cdxgen wrote must normalise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sca/license.h"
#include "sca/spdx_ids.h"
#include "util/error.h"
#include "util/json_reader.h"

#define TOOLS "../shared/corpus/tools/"

/* ---- helpers ---- */

static void expect_normal(const char *in, const char *want)
{
	char out[SG_LICENSE_EXPR_MAX_BYTES + 64];
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	rc = sg_license_normalize(in, out, sizeof(out), &err);
	if (rc != 0 || strcmp(out, want) != 0)
		print_message("\"%s\": rc %d \"%s\", want \"%s\" (%s)\n", in, rc, rc ? "" : out, want,
			      err.message);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

/* Refused with diag; returns the 1-based column the error names. */
static long expect_refused(const char *in, enum sg_diag diag)
{
	char out[256];
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	snprintf(out, sizeof(out), "untouched");
	rc = sg_license_normalize(in, out, sizeof(out), &err);
	if (rc == 0)
		print_message("accepted: \"%s\" -> \"%s\"\n", in, out);
	assert_int_equal(rc, SG_EINPUT);
	assert_int_equal(err.code, SG_EINPUT);
	assert_int_equal(err.diag, diag);
	assert_true(err.message[0] != '\0');
	/* Evaluation refuses it the same way. */
	{
		struct sg_error err2;
		int ok = 7;
		char off[64] = "x";

		sg_error_clear(&err2);
		assert_int_equal(sg_license_evaluate(in, NULL, 0, NULL, 0, &ok, off, sizeof(off), &err2),
				 SG_EINPUT);
		assert_int_equal(err2.diag, diag);
		assert_int_equal(ok, 7);
	}
	return err.column;
}

struct verdict {
	int ok;
	char offending[256];
};

static struct verdict judge(const char *expr, const char *const *deny, size_t n_deny,
			    const char *const *allow, size_t n_allow)
{
	struct verdict v;
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	memset(&v, 0, sizeof(v));
	v.ok = -1;
	rc = sg_license_evaluate(expr, deny, n_deny, allow, n_allow, &v.ok, v.offending,
				 sizeof(v.offending), &err);
	if (rc)
		print_message("\"%s\": %s\n", expr, err.message);
	assert_int_equal(rc, 0);
	assert_true(v.ok == 0 || v.ok == 1);
	if (v.ok)
		assert_string_equal(v.offending, "");
	return v;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ids ---- */

static void test_canonical_ids(void **state)
{
	(void)state;
	/* D.2: "MIT, Mit and mIt should all be treated as the same identifier". */
	assert_string_equal(sg_license_canonical_id("mit"), "MIT");
	assert_string_equal(sg_license_canonical_id("mIt"), "MIT");
	assert_string_equal(sg_license_canonical_id("apache-2.0"), "Apache-2.0");
	assert_string_equal(sg_license_canonical_id("APACHE-2.0"), "Apache-2.0");
	assert_string_equal(sg_license_canonical_id("gpl-3.0-or-later"), "GPL-3.0-or-later");
	assert_string_equal(sg_license_canonical_id("0bsd"), "0BSD");
	assert_string_equal(sg_license_canonical_id("zlib"), "Zlib");
	/* Deprecated ids are still on the list. */
	assert_string_equal(sg_license_canonical_id("gpl-2.0"), "GPL-2.0");
	assert_string_equal(sg_license_canonical_id("wxwindows"), "wxWindows");
	assert_null(sg_license_canonical_id("MIT "));
	assert_null(sg_license_canonical_id("MI"));
	assert_null(sg_license_canonical_id("MITT"));
	assert_null(sg_license_canonical_id(""));
	assert_null(sg_license_canonical_id(NULL));
	assert_null(sg_license_canonical_id("LicenseRef-MIT"));
	assert_null(sg_license_canonical_id("GPL-2.0+"));
	/* Licences and exceptions are different lists. */
	assert_null(sg_license_canonical_id("Classpath-exception-2.0"));
	assert_null(sg_license_canonical_exception("MIT"));
	assert_string_equal(sg_license_canonical_exception("classpath-exception-2.0"),
			    "Classpath-exception-2.0");
	assert_string_equal(sg_license_canonical_exception("LLVM-EXCEPTION"), "LLVM-exception");
	assert_null(sg_license_canonical_exception(NULL));
}

/* The generated tables: sorted for the binary search, no two ids equal but
 * for case, and every id found again from its lower-case spelling. */
static void check_table(const struct sg_spdx_id *ids, size_t n, int exceptions)
{
	char lower[128];
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *c;

		if (i > 0)
			assert_true(strcasecmp(ids[i - 1].id, ids[i].id) < 0);
		assert_true(strlen(ids[i].id) < sizeof(lower));
		for (j = 0; ids[i].id[j]; j++)
			lower[j] = (char)((ids[i].id[j] >= 'A' && ids[i].id[j] <= 'Z') ?
					  ids[i].id[j] - 'A' + 'a' : ids[i].id[j]);
		lower[j] = '\0';
		c = exceptions ? sg_license_canonical_exception(lower) : sg_license_canonical_id(lower);
		assert_ptr_equal(c, ids[i].id);
	}
}

static void test_generated_tables(void **state)
{
	size_t i, deprecated = 0;

	(void)state;
	assert_true(sg_spdx_licenses_count > 400);
	assert_true(sg_spdx_exceptions_count > 30);
	check_table(sg_spdx_licenses, sg_spdx_licenses_count, 0);
	check_table(sg_spdx_exceptions, sg_spdx_exceptions_count, 1);
	for (i = 0; i < sg_spdx_licenses_count; i++)
		deprecated += sg_spdx_licenses[i].deprecated != 0;
	assert_true(deprecated > 10);
}

/* Every id of Debian's installed SPDX lists is in the compiled table, in its
 * listed spelling: src/sca/spdx_ids.c is what scripts/gen-spdx-ids.sh makes
 * from them (regenerate when this fails after a package upgrade). */
struct listed {
	int exceptions;
	size_t seen;
};

static int on_listed_id(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct listed *l = ctx;
	const char *c;

	(void)r;
	if (ev->type != SG_JSON_STRING)
		return 0;
	c = l->exceptions ? sg_license_canonical_exception(ev->text) : sg_license_canonical_id(ev->text);
	if (!c || strcmp(c, ev->text) != 0) {
		print_error("%s is not in the compiled table as listed\n", ev->text);
		fail();
	}
	l->seen++;
	return 0;
}

static void check_listed(const char *path, int exceptions, size_t *seen)
{
	struct sg_json_source src;
	struct sg_error err;
	struct listed l = {exceptions, 0};
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	src.read = sg_json_fd_read;
	src.ctx = &fd;
	assert_int_equal(sg_json_parse(&src, path, on_listed_id, &l, &err), 0);
	close(fd);
	*seen += l.seen;
}

static void test_tables_match_debian_lists(void **state)
{
	size_t seen = 0;

	(void)state;
	check_listed("/usr/share/nodejs/spdx-license-ids/index.json", 0, &seen);
	check_listed("/usr/share/nodejs/spdx-license-ids/deprecated.json", 0, &seen);
	check_listed("/usr/share/nodejs/spdx-exceptions/index.json", 1, &seen);
	if (seen == 0)
		skip(); /* node-spdx-license-ids is not installed (scripts/deps.sh installs it) */
	assert_true(seen > 450);
}

/* ---- normal form ---- */

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"apache-2.0", "Apache-2.0"},
		{"mit", "MIT"},
		{"gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"MIT or Apache-2.0", "MIT OR Apache-2.0"},
		{"Mit And apache-2.0", "MIT AND Apache-2.0"},
		{"  MIT   AND\tApache-2.0 \n", "MIT AND Apache-2.0"},
		{"(mit OR apache-2.0) and bsd-3-clause", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{"MIT AND(Apache-2.0 OR BSD-2-Clause)", "MIT AND (Apache-2.0 OR BSD-2-Clause)"},
		{"( MIT )", "(MIT)"},
		{"((MIT))", "((MIT))"},
		{"(MIT)AND(ISC)", "(MIT) AND (ISC)"},
		{"gpl-2.0+", "GPL-2.0+"},
		{"cddl-1.0+ OR mit", "CDDL-1.0+ OR MIT"},
		{"GPL-2.0-or-later WITH Bison-exception-2.2", "GPL-2.0-or-later WITH Bison-exception-2.2"},
		{"apache-2.0 with llvm-exception", "Apache-2.0 WITH LLVM-exception"},
		/* Unknown ids and references are kept as written (D.3 examples). */
		{"LicenseRef-23", "LicenseRef-23"},
		{"LicenseRef-MIT-Style-1", "LicenseRef-MIT-Style-1"},
		{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
		 "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"},
		{"licenseref-mit or mit", "licenseref-mit OR MIT"},
		{"Foo-Unknown-1.0 or mit", "Foo-Unknown-1.0 OR MIT"},
		{"foo-unknown+", "foo-unknown+"},
		{"GPL-2.0-or-later WITH my-own-exception", "GPL-2.0-or-later WITH my-own-exception"},
		{"GPL-2.0-only WITH DocumentRef-a:AdditionRef-b.1",
		 "GPL-2.0-only WITH DocumentRef-a:AdditionRef-b.1"},
		{"NOASSERTION", "NOASSERTION"},
		/* Precedence does not change the text: parentheses only where given. */
		{"MIT OR Apache-2.0 AND GPL-3.0-only", "MIT OR Apache-2.0 AND GPL-3.0-only"},
		{"LGPL-2.1-only OR BSD-3-Clause AND MIT", "LGPL-2.1-only OR BSD-3-Clause AND MIT"},
		{"MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)", "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		expect_normal(cases[i].in, cases[i].out);
}

/* The normal form is a fixed point. */
static void test_normalize_idempotent(void **state)
{
	static const char *const in[] = {
		"(mit OR apache-2.0) and bsd-3-clause with classpath-exception-2.0",
		"((a OR b) AND (c+ OR LicenseRef-d)) OR e WITH f",
	};
	char once[256], twice[256];
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < N(in); i++) {
		sg_error_clear(&err);
		assert_int_equal(sg_license_normalize(in[i], once, sizeof(once), &err), 0);
		assert_int_equal(sg_license_normalize(once, twice, sizeof(twice), &err), 0);
		assert_string_equal(once, twice);
	}
}

static void test_normalize_small_buffer(void **state)
{
	char out[8];
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_license_normalize("mit", out, sizeof(out), &err), 0);
	assert_string_equal(out, "MIT");
	sg_error_clear(&err);
	assert_int_equal(sg_license_normalize("MIT OR Apache-2.0", out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_string_equal(out, "");
	/* Exactly fitting: "Apache-2.0" needs 11 bytes. */
	{
		char fit[11], tight[10];

		assert_int_equal(sg_license_normalize("apache-2.0", fit, sizeof(fit), &err), 0);
		assert_string_equal(fit, "Apache-2.0");
		assert_int_equal(sg_license_normalize("apache-2.0", tight, sizeof(tight), &err),
				 SG_EINPUT);
	}
}

/* ---- malformed ---- */

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"MIT AND", "(MIT", "AND MIT", "MIT OR", "OR", "AND", "WITH", "()", "MIT)", "(MIT))",
		"MIT (Apache-2.0)", "MIT AND AND Apache-2.0", "MIT OR OR MIT",
		"Apache License 2.0", /* ids with spaces */
		"GNU General Public License v3", "MIT +", "MIT++", "+", "MIT+X",
		"LicenseRef-", "LicenseRef-a+", "DocumentRef-x:MIT", "DocumentRef-:LicenseRef-x",
		"DocumentRef-x:LicenseRef-", "foo:bar", "a:b:c", "MIT WITH", "MIT WITH (X)",
		"MIT WITH X+", "(MIT) WITH Classpath-exception-2.0", "MIT WITH X WITH Y",
		"MIT WITH DocumentRef-a:LicenseRef-b", "MIT/Apache-2.0", "MIT, Apache-2.0",
		"MIT;", "MIT_2", "M\xc3\xbcller-License", "MIT\x01", "\"MIT\"", "MIT AND (",
		"", "   ", "\t\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_true(expect_refused(bad[i], SG_DIAG_LICENSE_INVALID) > 0);
	assert_int_equal(sg_license_normalize(NULL, NULL, 0, &(struct sg_error){0}), SG_EINPUT);
}

/* The error names the column of what is wrong. */
static void test_error_positions(void **state)
{
	(void)state;
	assert_int_equal(expect_refused("MIT AND", SG_DIAG_LICENSE_INVALID), 8);     /* the end */
	assert_int_equal(expect_refused("AND MIT", SG_DIAG_LICENSE_INVALID), 1);
	assert_int_equal(expect_refused("(MIT", SG_DIAG_LICENSE_INVALID), 5);
	assert_int_equal(expect_refused("MIT OR Apache License", SG_DIAG_LICENSE_INVALID), 15);
	assert_int_equal(expect_refused("MIT/Apache-2.0", SG_DIAG_LICENSE_INVALID), 4);
	assert_int_equal(expect_refused("MIT AND foo:bar", SG_DIAG_LICENSE_INVALID), 9);
}

static void test_limits(void **state)
{
	char *big, buf[SG_LICENSE_EXPR_MAX_BYTES + 16];
	struct sg_error err;
	size_t i, n;

	(void)state;
	/* 5000 bytes: over the limit, whatever they are. */
	big = malloc(5001);
	assert_non_null(big);
	memset(big, 'A', 5000);
	big[5000] = '\0';
	expect_refused(big, SG_DIAG_LIMIT_EXCEEDED);
	/* Exactly SG_LICENSE_EXPR_MAX_BYTES is read; one more is not. */
	big[SG_LICENSE_EXPR_MAX_BYTES] = '\0';
	sg_error_clear(&err);
	assert_int_equal(sg_license_normalize(big, buf, sizeof(buf), &err), 0);
	assert_int_equal(strlen(buf), SG_LICENSE_EXPR_MAX_BYTES);
	big[SG_LICENSE_EXPR_MAX_BYTES] = 'A';
	big[SG_LICENSE_EXPR_MAX_BYTES + 1] = '\0';
	expect_refused(big, SG_DIAG_LIMIT_EXCEEDED);
	free(big);

	/* SG_LICENSE_EXPR_MAX_TERMS terms are read; one more is not. */
	n = 0;
	for (i = 0; i < SG_LICENSE_EXPR_MAX_TERMS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%sL%zu", i ? " OR " : "", i);
	sg_error_clear(&err);
	{
		char out[sizeof(buf)];

		assert_int_equal(sg_license_normalize(buf, out, sizeof(out), &err), 0);
		assert_string_equal(out, buf);
	}
	snprintf(buf + n, sizeof(buf) - n, " AND extra");
	expect_refused(buf, SG_DIAG_LIMIT_EXCEEDED);

	/* 100-deep parentheses are refused; 64 are read. */
	n = 0;
	for (i = 0; i < 100; i++)
		buf[n++] = '(';
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "MIT");
	for (i = 0; i < 100; i++)
		buf[n++] = ')';
	buf[n] = '\0';
	expect_refused(buf, SG_DIAG_LIMIT_EXCEEDED);
	memset(buf, '(', 64);
	memcpy(buf + 64, "MIT", 3);
	memset(buf + 67, ')', 64);
	buf[131] = '\0';
	{
		char out[sizeof(buf)];

		sg_error_clear(&err);
		assert_int_equal(sg_license_normalize(buf, out, sizeof(out), &err), 0);
		assert_string_equal(out, buf);
	}
	/* Unbalanced deep nesting is refused without a crash either way. */
	memset(buf, '(', 3000);
	buf[3000] = '\0';
	expect_refused(buf, SG_DIAG_LIMIT_EXCEEDED);
	memset(buf, ')', 3000);
	expect_refused(buf, SG_DIAG_LICENSE_INVALID);
}

/* ---- evaluation ---- */

static void test_precedence(void **state)
{
	static const char *const deny_gpl[] = {"GPL-3.0-only"};
	static const char *const deny_mit[] = {"MIT"};
	struct verdict v;

	(void)state;
	/* D.4.5: AND before OR: MIT OR (Apache-2.0 AND GPL-3.0-only); MIT suffices. */
	v = judge("MIT OR Apache-2.0 AND GPL-3.0-only", deny_gpl, 1, NULL, 0);
	assert_int_equal(v.ok, 1);
	/* Parenthesised the other way, GPL-3.0-only is required. */
	v = judge("(MIT OR Apache-2.0) AND GPL-3.0-only", deny_gpl, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only");
	/* (MIT AND Apache-2.0) OR GPL-3.0-only: the right side is a way out. */
	v = judge("MIT AND Apache-2.0 OR GPL-3.0-only", deny_mit, 1, NULL, 0);
	assert_int_equal(v.ok, 1);
	v = judge("MIT AND (Apache-2.0 OR GPL-3.0-only)", deny_mit, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "MIT");
	/* WITH before AND: (GPL-3.0-only WITH ...) AND MIT. */
	v = judge("GPL-3.0-only WITH Classpath-exception-2.0 AND MIT", deny_gpl, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only");
	v = judge("MIT OR GPL-3.0-only WITH Classpath-exception-2.0 AND MIT", deny_mit, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "MIT"); /* named once, though it fails twice */
}

static void test_deny(void **state)
{
	static const char *const deny[] = {"GPL-3.0-only", "agpl-3.0-only"};
	struct verdict v;

	(void)state;
	v = judge("MIT", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 1);
	/* Ids match case-insensitively; offending ids come in listed spelling. */
	v = judge("gpl-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only");
	v = judge("AGPL-3.0-ONLY", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "AGPL-3.0-only");
	/* OR passes when one side is acceptable. */
	v = judge("GPL-3.0-only OR MIT", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 1);
	v = judge("MIT OR GPL-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 1);
	/* OR fails when every side fails, naming them all. */
	v = judge("GPL-3.0-only OR AGPL-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only,AGPL-3.0-only");
	/* AND fails when one side is denied. */
	v = judge("MIT AND GPL-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only");
	v = judge("AGPL-3.0-only AND MIT AND GPL-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "AGPL-3.0-only,GPL-3.0-only");
	/* Each offending id once. */
	v = judge("GPL-3.0-only AND (gpl-3.0-only OR AGPL-3.0-only)", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-3.0-only,AGPL-3.0-only");
	/* A satisfied OR inside an AND names nothing of its own. */
	v = judge("(GPL-3.0-only OR MIT) AND AGPL-3.0-only", deny, N(deny), NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "AGPL-3.0-only");
}

static void test_allow(void **state)
{
	static const char *const allow[] = {"MIT", "apache-2.0", "BSD-3-Clause"};
	static const char *const deny[] = {"BSD-3-Clause"};
	struct verdict v;

	(void)state;
	/* An empty allow list allows everything not denied. */
	v = judge("Some-Unknown-Licence AND LicenseRef-x", NULL, 0, NULL, 0);
	assert_int_equal(v.ok, 1);
	v = judge("Apache-2.0", NULL, 0, allow, N(allow));
	assert_int_equal(v.ok, 1);
	v = judge("ISC", NULL, 0, allow, N(allow));
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "ISC");
	v = judge("ISC OR MIT", NULL, 0, allow, N(allow));
	assert_int_equal(v.ok, 1);
	v = judge("isc AND MIT", NULL, 0, allow, N(allow));
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "ISC");
	/* A LicenseRef is allowed only when listed. */
	v = judge("LicenseRef-internal", NULL, 0, allow, N(allow));
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "LicenseRef-internal");
	/* Deny wins over allow. */
	v = judge("BSD-3-Clause", deny, N(deny), allow, N(allow));
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "BSD-3-Clause");
}

/* "X WITH E" is judged on X; "X+" on X (or an entry "X+"). */
static void test_with_and_plus(void **state)
{
	static const char *const deny_exc[] = {"Classpath-exception-2.0"};
	static const char *const deny_gpl2[] = {"GPL-2.0-only"};
	static const char *const allow_gpl2[] = {"GPL-2.0-only"};
	static const char *const deny_plain[] = {"GPL-2.0"};
	static const char *const deny_plus[] = {"gpl-2.0+"};
	struct verdict v;

	(void)state;
	v = judge("GPL-2.0-only WITH Classpath-exception-2.0", deny_exc, 1, NULL, 0);
	assert_int_equal(v.ok, 1);
	v = judge("GPL-2.0-only WITH Classpath-exception-2.0", deny_gpl2, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-2.0-only");
	v = judge("gpl-2.0-only with classpath-exception-2.0", NULL, 0, allow_gpl2, 1);
	assert_int_equal(v.ok, 1);
	v = judge("GPL-2.0+", deny_plain, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "GPL-2.0+");
	v = judge("GPL-2.0+", deny_plus, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	v = judge("GPL-2.0", deny_plus, 1, NULL, 0);
	assert_int_equal(v.ok, 1);
}

static void test_offending_buffer(void **state)
{
	static const char *const deny[] = {"GPL-3.0-only", "AGPL-3.0-only"};
	struct sg_error err;
	char small[16];
	int ok = -1;

	(void)state;
	sg_error_clear(&err);
	memset(small, 'x', sizeof(small));
	assert_int_equal(sg_license_evaluate("GPL-3.0-only AND AGPL-3.0-only", deny, 2, NULL, 0, &ok,
					     small, sizeof(small), &err), 0);
	assert_int_equal(ok, 0);
	assert_true(strlen(small) < sizeof(small));
	assert_string_equal(small, "GPL-3.0-only");
	/* Nothing fits: an empty string, not a cut id. */
	assert_int_equal(sg_license_evaluate("AGPL-3.0-only", deny, 2, NULL, 0, &ok, small, 4, &err), 0);
	assert_int_equal(ok, 0);
	assert_string_equal(small, "");
	/* No buffer at all is fine. */
	assert_int_equal(sg_license_evaluate("AGPL-3.0-only", deny, 2, NULL, 0, &ok, NULL, 0, &err), 0);
	assert_int_equal(ok, 0);
	/* NULL entries in a list are skipped. */
	{
		const char *const holes[] = {NULL, "MIT"};

		assert_int_equal(sg_license_evaluate("MIT", holes, 2, NULL, 0, &ok, small, sizeof(small),
						     &err), 0);
		assert_int_equal(ok, 0);
	}
}

/* ---- the corpus ---- */

struct corpus {
	size_t ids, expressions;
	int saw_bsd1, saw_tcl;
};

static int key_is(const struct sg_json_reader *r, int level, const char *key)
{
	const char *k = sg_json_key(r, level);

	return k && strcmp(k, key) == 0;
}

static int on_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct corpus *c = ctx;
	char out[SG_LICENSE_EXPR_MAX_BYTES + 64];
	struct sg_error err;
	int depth = sg_json_depth(r), is_id, is_expr;

	if (ev->type != SG_JSON_STRING || depth < 3)
		return 0;
	/* The licences of any component, at whatever nesting: match the path's
	 * tail, ".../licenses/#/license/id" or ".../licenses/#/expression". */
	is_id = depth >= 4 && key_is(r, depth - 1, "id") && key_is(r, depth - 2, "license") &&
		!sg_json_key(r, depth - 3) && key_is(r, depth - 4, "licenses");
	is_expr = key_is(r, depth - 1, "expression") && !sg_json_key(r, depth - 2) &&
		  key_is(r, depth - 3, "licenses");
	if (!is_id && !is_expr)
		return 0;
	sg_error_clear(&err);
	if (sg_license_normalize(ev->text, out, sizeof(out), &err) != 0)
		print_message("corpus licence \"%s\": %s\n", ev->text, err.message);
	assert_int_equal(sg_license_normalize(ev->text, out, sizeof(out), &err), 0);
	if (is_id) {
		const char *canon = sg_license_canonical_id(ev->text);

		c->ids++;
		/* A single id stays a single id: listed spelling, or as written. */
		assert_string_equal(out, canon ? canon : ev->text);
		if (strcmp(ev->text, "BSD-1-clause") == 0) {
			assert_string_equal(out, "BSD-1-Clause");
			c->saw_bsd1 = 1;
		}
		if (strcmp(ev->text, "Tcl") == 0) {
			assert_string_equal(out, "TCL");
			c->saw_tcl = 1;
		}
	} else {
		c->expressions++;
	}
	return 0;
}

struct gz {
	struct archive *a;
};

static ssize_t gz_read(void *ctx, void *buf, size_t len)
{
	struct gz *g = ctx;
	la_ssize_t n = archive_read_data(g->a, buf, len);

	return n < 0 ? -1 : (ssize_t)n;
}

static void parse_file(const char *path, struct corpus *c)
{
	struct sg_json_source src;
	struct sg_error err;
	struct gz g = {NULL};
	int fd = -1, rc;

	sg_error_clear(&err);
	if (strstr(path, ".gz")) {
		struct archive_entry *e;

		g.a = archive_read_new();
		assert_non_null(g.a);
		assert_int_equal(archive_read_support_filter_gzip(g.a), ARCHIVE_OK);
		assert_int_equal(archive_read_support_format_raw(g.a), ARCHIVE_OK);
		assert_int_equal(archive_read_open_filename(g.a, path, 65536), ARCHIVE_OK);
		assert_int_equal(archive_read_next_header(g.a, &e), ARCHIVE_OK);
		src.read = gz_read;
		src.ctx = &g;
	} else {
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		src.read = sg_json_fd_read;
		src.ctx = &fd;
	}
	rc = sg_json_parse(&src, path, on_event, c, &err);
	if (rc)
		print_message("%s: %s\n", path, err.message);
	assert_int_equal(rc, 0);
	if (g.a)
		archive_read_free(g.a);
	if (fd >= 0)
		close(fd);
}

static void test_corpus_licences(void **state)
{
	struct corpus c;

	(void)state;
	memset(&c, 0, sizeof(c));
	parse_file(TOOLS "trivy-cdxgen/debian-rootfs.cdx-1.6.json.gz", &c);
	/* 2,985 licence ids (91 distinct) and 2 expressions written twice each. */
	assert_int_equal(c.ids, 2985);
	assert_int_equal(c.expressions, 4);
	assert_true(c.saw_bsd1 && c.saw_tcl);
	parse_file(TOOLS "cdxgen/npm-vuln-app.cdx-1.6.json", &c);
	assert_int_equal(c.ids, 2985 + 57);
	parse_file(TOOLS "cdxgen/c-zlib-examples.cdx-1.6.json", &c); /* no licences */
	assert_int_equal(c.ids, 2985 + 57);
}

/* The two expressions trivy wrote, read with Annex D precedence. */
static void test_corpus_expressions(void **state)
{
	static const char *const e1 =
		"MIT AND Apache-2.0 AND MPL-2.0 AND LGPL-2.1-or-later AND BSD-3-Clause AND Python-2.0 "
		"AND Apache-2.0 OR BSD-2-Clause AND ISC AND BSD-2-Clause AND LGPL-2.1-only";
	static const char *const e2 =
		"Apache-2.0 AND MIT AND BSD-2-Clause AND BSD-3-Clause AND BSL-1.0 AND BSD-2-Clause "
		"AND ISC AND ISC";
	static const char *const deny_lgpl[] = {"LGPL-2.1-or-later", "LGPL-2.1-only"};
	static const char *const deny_one[] = {"LGPL-2.1-only"};
	static const char *const deny_isc[] = {"ISC"};
	struct verdict v;

	(void)state;
	expect_normal(e1, e1);
	expect_normal(e2, e2);
	/* (MIT AND ... AND Apache-2.0) OR (BSD-2-Clause AND ... AND LGPL-2.1-only) */
	v = judge(e1, deny_one, 1, NULL, 0);
	assert_int_equal(v.ok, 1);
	v = judge(e1, deny_lgpl, 2, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "LGPL-2.1-or-later,LGPL-2.1-only");
	v = judge(e2, deny_isc, 1, NULL, 0);
	assert_int_equal(v.ok, 0);
	assert_string_equal(v.offending, "ISC");
	/* license.name values of the same SBOM that are expressions. */
	expect_normal("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception");
	expect_normal("Libpng OR Apache-2.0 OR BSD-3-Clause", "Libpng OR Apache-2.0 OR BSD-3-Clause");
	expect_normal("BSD-4-clause and IBM-as-is", "BSD-4-Clause AND IBM-as-is");
	/* An exception id not on the list is kept as written. */
	expect_normal("GPL-3.0-or-later WITH GCC-Runtime-3.1-exception",
		      "GPL-3.0-or-later WITH GCC-Runtime-3.1-exception");
	/* ... and names that are not: refused, so the caller keeps them as names. */
	expect_refused("GPL-2.0-only WITH autoconf-exception+", SG_DIAG_LICENSE_INVALID);
	expect_refused("Permission is hereby granted, free of charge, to any person obtaining",
		       SG_DIAG_LICENSE_INVALID);
	expect_refused("* Permission to use this software in any way is granted without",
		       SG_DIAG_LICENSE_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_ids),
		cmocka_unit_test(test_generated_tables),
		cmocka_unit_test(test_tables_match_debian_lists),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_idempotent),
		cmocka_unit_test(test_normalize_small_buffer),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_deny),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_with_and_plus),
		cmocka_unit_test(test_offending_buffer),
		cmocka_unit_test(test_corpus_licences),
		cmocka_unit_test(test_corpus_expressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
