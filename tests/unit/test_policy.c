/*
 * policy/: the policy file and the built-in policy (DESIGN.md section 5).
 * Hostile cases assert the diagnostic id and the position, not message text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/policy.h"
#include "policy/policy_yaml.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/limits.h"

#define FULL_POLICY                                  \
	"policy: team-a_1.0\n"                       \
	"block_release: [low, critical]\n"           \
	"require:\n"                                 \
	"  sast: {max_age_days: 30, on_release_commit: false}\n" \
	"severity_overrides:\n"                      \
	"  - tool: Flawfinder\n"                     \
	"    severity: medium\n"                     \
	"  - tool: Flawfinder\n"                     \
	"    rule: FF1004\n"                         \
	"    severity: low\n"                        \
	"  - {tool: \"odd: \\\"tool\\\" #1\", rule: 'x/y~z', severity: critical}\n"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static int parse(const char *text, struct sg_policy *p, struct sg_error *err)
{
	return sg_policy_parse(text, strlen(text), "test.yml", p, err);
}

static void assert_released(const struct sg_policy *p)
{
	assert_null(p->overrides);
	assert_int_equal(p->n_overrides, 0);
	assert_null(p->licenses.deny);
	assert_int_equal(p->licenses.n_deny, 0);
	assert_null(p->licenses.allow);
	assert_int_equal(p->licenses.n_allow, 0);
}

static void assert_same_ids(char *const *a, size_t n_a, char *const *b, size_t n_b)
{
	size_t i;

	assert_int_equal(n_a, n_b);
	for (i = 0; i < n_a; i++)
		assert_string_equal(a[i], b[i]);
}

static void assert_same_model(const struct sg_policy *a, const struct sg_policy *b)
{
	size_t i;

	assert_string_equal(a->id, b->id);
	assert_int_equal(a->block_release, b->block_release);
	assert_int_equal(a->sast.enabled, b->sast.enabled);
	assert_int_equal(a->sast.on_release_commit, b->sast.on_release_commit);
	assert_int_equal(a->sast.max_age_days, b->sast.max_age_days);
	assert_int_equal(a->sca.enabled, b->sca.enabled);
	assert_int_equal(a->sca.on_release_commit, b->sca.on_release_commit);
	assert_int_equal(a->sca.max_age_days, b->sca.max_age_days);
	assert_int_equal(a->licenses.enabled, b->licenses.enabled);
	assert_same_ids(a->licenses.deny, a->licenses.n_deny, b->licenses.deny, b->licenses.n_deny);
	assert_same_ids(a->licenses.allow, a->licenses.n_allow, b->licenses.allow, b->licenses.n_allow);
	assert_int_equal(a->licenses.severity, b->licenses.severity);
	assert_string_equal(a->approver_role, b->approver_role);
	assert_int_equal(a->exception_max_days, b->exception_max_days);
	assert_int_equal(a->sla_enabled, b->sla_enabled);
	assert_memory_equal(a->sla_days, b->sla_days, sizeof(a->sla_days));
	assert_int_equal(a->n_overrides, b->n_overrides);
	for (i = 0; i < a->n_overrides; i++) {
		assert_string_equal(a->overrides[i].tool, b->overrides[i].tool);
		assert_string_equal(a->overrides[i].rule, b->overrides[i].rule);
		assert_int_equal(a->overrides[i].severity, b->overrides[i].severity);
	}
}

/* Render, parse the rendering: the same model, and rendering is stable. */
static void assert_round_trip(const struct sg_policy *p)
{
	struct sg_policy again;
	struct sg_error err;
	struct sg_buf first, second;

	sg_buf_init(&first, SG_POLICY_MAX_BYTES);
	sg_buf_init(&second, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_policy_render_yaml(p, &first), 0);
	if (sg_policy_parse(first.data, first.len, "rendered", &again, &err) != 0)
		fail_msg("rendered policy does not parse: %s\n%s", err.message, first.data);
	assert_same_model(p, &again);
	assert_int_equal(sg_policy_render_yaml(&again, &second), 0);
	assert_string_equal(first.data, second.data);
	sg_policy_release(&again);
	sg_buf_release(&first);
	sg_buf_release(&second);
}

/* DESIGN.md section 5: the built-in default. */
static void test_builtin(void **state)
{
	const char *text = sg_policy_builtin_text();
	unsigned char digest[SG_SHA256_BYTES];
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(sg_policy_load_builtin(&p, &err), 0);
	assert_string_equal(p.id, "secure-development");
	assert_int_equal(p.block_release, (1u << SG_SEV_CRITICAL) | (1u << SG_SEV_HIGH));
	assert_true(sg_policy_blocks(&p, SG_SEV_CRITICAL));
	assert_true(sg_policy_blocks(&p, SG_SEV_HIGH));
	assert_false(sg_policy_blocks(&p, SG_SEV_MEDIUM));
	assert_int_equal(p.sast.enabled, 1);
	assert_int_equal(p.sast.on_release_commit, 1);
	assert_int_equal(p.sast.max_age_days, 7);
	/* Clause sca ("security analysis of every open-source and third-party
	 * component"), with its defaults; the licence policy is an example only. */
	assert_int_equal(p.sca.enabled, 1);
	assert_int_equal(p.sca.on_release_commit, 1);
	assert_int_equal(p.sca.max_age_days, 30);
	assert_int_equal(p.licenses.enabled, 0);
	assert_int_equal(p.licenses.n_deny, 0);
	assert_int_equal(p.licenses.n_allow, 0);
	assert_int_equal(p.n_overrides, 0);
	/* Clause exceptions: the CTO approves, for at most 90 days. */
	assert_string_equal(p.approver_role, "cto");
	assert_int_equal(p.exception_max_days, 90);
	/* Clause remediate.sla, with a deadline for every severity but info. */
	assert_int_equal(p.sla_enabled, 1);
	assert_int_equal(p.sla_days[SG_SEV_CRITICAL], 7);
	assert_int_equal(p.sla_days[SG_SEV_HIGH], 30);
	assert_int_equal(p.sla_days[SG_SEV_MEDIUM], 90);
	assert_int_equal(p.sla_days[SG_SEV_LOW], 180);
	assert_int_equal(p.sla_days[SG_SEV_INFO], 0);
	assert_string_equal(p.source, "built-in");
	sg_sha256(text, strlen(text), digest);
	assert_memory_equal(p.sha256, digest, SG_SHA256_BYTES);
	/* The starter file tells users about the clauses still to come. */
	assert_non_null(strstr(text, "threat_model"));
	assert_non_null(strstr(text, "unknown keys"));
	assert_non_null(strstr(text, "# severity_overrides:"));
	assert_non_null(strstr(text, "\n# licenses:\n#   deny:\n#     - GPL-3.0-only\n"));
	assert_null(strstr(text, "\nlicenses:"));
	assert_round_trip(&p);
	sg_policy_release(&p);
}

static void test_full_policy(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(FULL_POLICY, &p, &err), 0);
	assert_string_equal(p.id, "team-a_1.0");
	assert_int_equal(p.block_release, (1u << SG_SEV_CRITICAL) | (1u << SG_SEV_LOW));
	assert_int_equal(p.sast.enabled, 1);
	assert_int_equal(p.sast.on_release_commit, 0);
	assert_int_equal(p.sast.max_age_days, 30);
	assert_int_equal(p.n_overrides, 3);
	assert_string_equal(p.overrides[0].tool, "Flawfinder");
	assert_string_equal(p.overrides[0].rule, "");
	assert_string_equal(p.overrides[2].tool, "odd: \"tool\" #1");
	assert_string_equal(p.overrides[2].rule, "x/y~z");
	assert_string_equal(p.source, "test.yml");
	assert_round_trip(&p);
	sg_policy_release(&p);
}

static void test_minimal_policy(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse("policy: p\nblock_release: []\n", &p, &err), 0);
	assert_int_equal(p.block_release, 0);
	assert_int_equal(p.sast.enabled, 0);
	assert_int_equal(p.sca.enabled, 0);
	assert_int_equal(p.licenses.enabled, 0);
	assert_int_equal(p.n_overrides, 0);
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* sast: {} enables the clause with its defaults. */
	assert_int_equal(parse("policy: p\nblock_release: [info]\nrequire: {sast: {}}\n", &p, &err), 0);
	assert_int_equal(p.sast.enabled, 1);
	assert_int_equal(p.sast.on_release_commit, 1);
	assert_int_equal(p.sast.max_age_days, 7);
	sg_policy_release(&p);
}

/* An id that a YAML reader could take for a bool or a number renders quoted. */
static void test_render_quotes_ids(void **state)
{
	static const char *const ids[] = {"true", "No", "1.0", "-x", "_a", "null"};
	struct sg_policy p;
	struct sg_error err;
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(text, sizeof(text), "policy: \"%s\"\nblock_release: []\n", ids[i]);
		assert_int_equal(parse(text, &p, &err), 0);
		assert_string_equal(p.id, ids[i]);
		assert_round_trip(&p);
		sg_policy_release(&p);
	}
}

/* "The policy may override per rule or per tool": a rule entry wins. */
static void test_overrides(void **state)
{
	static const char *const texts[] = {
		"policy: p\nblock_release: []\nseverity_overrides:\n"
		"  - {tool: T, severity: medium}\n  - {tool: T, rule: R1, severity: low}\n",
		"policy: p\nblock_release: []\nseverity_overrides:\n"
		"  - {tool: T, rule: R1, severity: low}\n  - {tool: T, severity: medium}\n",
	};
	struct sg_policy p;
	struct sg_error err;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(parse(texts[i], &p, &err), 0);
		assert_int_equal(sg_policy_severity(&p, "T", "R1", SG_SEV_CRITICAL), SG_SEV_LOW);
		assert_int_equal(sg_policy_severity(&p, "T", "R2", SG_SEV_CRITICAL), SG_SEV_MEDIUM);
		assert_int_equal(sg_policy_severity(&p, "T", NULL, SG_SEV_HIGH), SG_SEV_MEDIUM);
		assert_int_equal(sg_policy_severity(&p, "U", "R1", SG_SEV_HIGH), SG_SEV_HIGH);
		sg_policy_release(&p);
	}
}

static void test_sha256_and_bom(void **state)
{
	const char text[] = "\xEF\xBB\xBFpolicy: p # comment\r\nblock_release: [high]\r\n";
	unsigned char digest[SG_SHA256_BYTES];
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(sg_policy_parse(text, sizeof(text) - 1, "bom.yml", &p, &err), 0);
	sg_sha256(text, sizeof(text) - 1, digest);
	assert_memory_equal(p.sha256, digest, SG_SHA256_BYTES);
	assert_string_equal(p.id, "p");
	sg_policy_release(&p);
}

static void check_error(const char *name, int rc, const struct sg_policy *p,
			const struct sg_error *err, enum sg_diag diag, long line, long column,
			const char *pointer)
{
	char text[1024];

	sg_error_format(err, text, sizeof(text));
	if (rc >= 0 || rc != sg_diag_code(diag) || err->diag != diag || err->line != line ||
	    err->column != column || (pointer && strcmp(err->pointer, pointer) != 0))
		fail_msg("%s: rc %d, want %s at %ld:%ld %s; got %s", name, rc, sg_diag_id(diag),
			 line, column, pointer ? pointer : "", text);
	/* One line, so that logs and CI annotations keep it whole. */
	if (strchr(err->message, '\n') || err->message[0] == '\0')
		fail_msg("%s: message not one line: %s", name, text);
	assert_released(p);
}

/* "1..127 chars": the longest id fits the model, one more does not. */
static void test_id_length(void **state)
{
	char text[256], id[SG_POLICY_ID_BYTES + 1];
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	memset(id, 'a', sizeof(id) - 1);
	id[SG_POLICY_ID_BYTES - 1] = '\0';
	snprintf(text, sizeof(text), "policy: %s\nblock_release: []\n", id);
	assert_int_equal(parse(text, &p, &err), 0);
	assert_string_equal(p.id, id);
	sg_policy_release(&p);
	id[SG_POLICY_ID_BYTES - 1] = 'a';
	id[SG_POLICY_ID_BYTES] = '\0';
	snprintf(text, sizeof(text), "policy: %s\nblock_release: []\n", id);
	check_error("id too long", parse(text, &p, &err), &p, &err, SG_DIAG_POLICY_VALUE, 1, 9,
		    "/policy");
}

/* UTF-8 only: a UTF-16 byte order mark is not guessed at. */
static void test_utf16(void **state)
{
	const char text[] = "\xFF\xFEp\0o\0l\0";
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	check_error("utf-16", sg_policy_parse(text, 2, "t", &p, &err), &p, &err,
		    SG_DIAG_POLICY_SYNTAX, 1, 1, "");
	assert_int_equal(err.offset, 0);
	/* After a UTF-8 BOM, offsets count it and columns do not; libyaml
	 * points at the bad trailing byte. */
	check_error("bom", parse("\xEF\xBB\xBFpolicy: \xC3(\n", &p, &err), &p, &err,
		    SG_DIAG_POLICY_SYNTAX, 1, 10, "");
	assert_int_equal(err.offset, 12);
}

struct bad_case {
	const char *name;
	const char *text;
	enum sg_diag diag;
	long line, column;
	const char *pointer;
};

#define HEAD "policy: p\nblock_release: []\n"

static const struct bad_case bad_cases[] = {
	/* policy-syntax: not YAML, or outside the safe subset */
	{"unclosed flow", "policy: [a\n", SG_DIAG_POLICY_SYNTAX, 2, 1, "/policy/0"},
	{"bad indent", "policy: p\n block_release: []\n", SG_DIAG_POLICY_SYNTAX, 2, 15, "/policy"},
	{"tab indent", "require:\n\tsast: {}\n", SG_DIAG_POLICY_SYNTAX, 2, 1, "/require"},
	{"alias", "policy: *x\n", SG_DIAG_POLICY_SYNTAX, 1, 9, "/policy"},
	{"anchor", "policy: &x p\n", SG_DIAG_POLICY_SYNTAX, 1, 9, "/policy"},
	{"tag", "policy: !!str p\n", SG_DIAG_POLICY_SYNTAX, 1, 9, "/policy"},
	{"local tag", HEAD "require: !sast {}\n", SG_DIAG_POLICY_SYNTAX, 3, 10, "/require"},
	{"tag directive", "%TAG !e! tag:example.com,2000:\n---\n" HEAD, SG_DIAG_POLICY_SYNTAX, 1, 1,
	 "/"},
	{"two documents", HEAD "---\n" HEAD, SG_DIAG_POLICY_SYNTAX, 3, 1, "/"},
	{"empty", "", SG_DIAG_POLICY_SYNTAX, 1, 1, "/"},
	{"comments only", "# nothing\n\n", SG_DIAG_POLICY_SYNTAX, 1, 1, "/"},
	{"empty document", "---\n", SG_DIAG_POLICY_SYNTAX, 2, 1, "/"},
	{"null document", "~\n", SG_DIAG_POLICY_SYNTAX, 1, 1, "/"},
	{"complex key", "? [a]\n: b\n", SG_DIAG_POLICY_SYNTAX, 1, 3, "/?"},
	{"null key", "~: b\n", SG_DIAG_POLICY_SYNTAX, 1, 1, "/~0"},
	{"invalid utf-8", "policy: p\xff\n", SG_DIAG_POLICY_SYNTAX, 1, 10, ""},
	{"overlong utf-8", HEAD "# \xC0\xAF\n", SG_DIAG_POLICY_SYNTAX, 3, 3, ""},
	{"surrogate", "policy: \"\xED\xA0\x80\"\n", SG_DIAG_POLICY_SYNTAX, 1, 10, ""},
	{"control character", "policy: a\x01\n", SG_DIAG_POLICY_SYNTAX, 1, 10, ""},

	/* policy-unknown-key: never silently ignored */
	{"unknown top key", HEAD "dast: {}\n", SG_DIAG_POLICY_UNKNOWN_KEY, 3, 1, "/dast"},
	{"later clause", HEAD "threat_model: {}\n", SG_DIAG_POLICY_UNKNOWN_KEY, 3, 1,
	 "/threat_model"},
	{"later require clause", HEAD "require:\n  tests: {}\n", SG_DIAG_POLICY_UNKNOWN_KEY, 4, 3,
	 "/require/tests"},
	{"unknown sca key", HEAD "require:\n  sca:\n    max_age: 3\n", SG_DIAG_POLICY_UNKNOWN_KEY,
	 5, 5, "/require/sca/max_age"},
	{"sast key under sca", HEAD "require: {sca: {on_release_commit: true, tool: cdxgen}}\n",
	 SG_DIAG_POLICY_UNKNOWN_KEY, 3, 42, "/require/sca/tool"},
	{"unknown licenses key", HEAD "licenses: {deny: [MIT], block: [GPL-3.0-only]}\n",
	 SG_DIAG_POLICY_UNKNOWN_KEY, 3, 25, "/licenses/block"},
	{"licenses under require", HEAD "require: {licenses: {deny: [MIT]}}\n", SG_DIAG_POLICY_UNKNOWN_KEY,
	 3, 11, "/require/licenses"},
	{"unknown require key", HEAD "require:\n  sast: {}\n  dast: {}\n", SG_DIAG_POLICY_UNKNOWN_KEY,
	 5, 3, "/require/dast"},
	{"unknown sast key", HEAD "require:\n  sast:\n    max_age: 3\n", SG_DIAG_POLICY_UNKNOWN_KEY,
	 5, 5, "/require/sast/max_age"},
	{"unknown override key", HEAD "severity_overrides:\n  - tool: T\n    level: low\n",
	 SG_DIAG_POLICY_UNKNOWN_KEY, 5, 5, "/severity_overrides/0/level"},
	{"key case", "Policy: p\n", SG_DIAG_POLICY_UNKNOWN_KEY, 1, 1, "/Policy"},
	{"key with slash", "a/b~c: 1\n", SG_DIAG_POLICY_UNKNOWN_KEY, 1, 1, "/a~1b~0c"},
	{"key with nul", "\"policy\\0\": p\n", SG_DIAG_POLICY_UNKNOWN_KEY, 1, 1, "/policy\\x00"},

	/* policy-duplicate-key */
	{"duplicate key", "policy: a\npolicy: b\nblock_release: []\n", SG_DIAG_POLICY_DUPLICATE, 2,
	 1, "/policy"},
	{"duplicate sast key", HEAD "require:\n  sast: {max_age_days: 1, max_age_days: 2}\n",
	 SG_DIAG_POLICY_DUPLICATE, 4, 27, "/require/sast/max_age_days"},
	{"duplicate severity", "policy: p\nblock_release: [high, high]\n", SG_DIAG_POLICY_DUPLICATE,
	 2, 23, "/block_release/1"},
	{"duplicate sca key", HEAD "require:\n  sca: {on_release_commit: true, on_release_commit: false}\n",
	 SG_DIAG_POLICY_DUPLICATE, 4, 34, "/require/sca/on_release_commit"},
	{"duplicate sca", HEAD "require:\n  sca: {}\n  sca: {}\n", SG_DIAG_POLICY_DUPLICATE, 5, 3,
	 "/require/sca"},
	{"duplicate denied licence", HEAD "licenses: {deny: [MIT, Apache-2.0, MIT]}\n",
	 SG_DIAG_POLICY_DUPLICATE, 3, 36, "/licenses/deny/2"},
	{"duplicate licence, other case", HEAD "licenses:\n  allow: [Apache-2.0, apache-2.0]\n",
	 SG_DIAG_POLICY_DUPLICATE, 4, 23, "/licenses/allow/1"},
	{"duplicate deny key", HEAD "licenses:\n  deny: [MIT]\n  deny: [ISC]\n",
	 SG_DIAG_POLICY_DUPLICATE, 5, 3, "/licenses/deny"},
	{"duplicate override", HEAD "severity_overrides:\n  - {tool: T, rule: R, severity: low}\n"
	 "  - {tool: T, rule: R, severity: high}\n", SG_DIAG_POLICY_DUPLICATE, 5, 5,
	 "/severity_overrides/1"},
	{"duplicate tool-wide override", HEAD "severity_overrides:\n  - {tool: T, severity: low}\n"
	 "  - {tool: T, severity: low}\n", SG_DIAG_POLICY_DUPLICATE, 5, 5,
	 "/severity_overrides/1"},

	/* policy-value: missing keys */
	{"missing policy", "block_release: []\n", SG_DIAG_POLICY_VALUE, 1, 1, "/"},
	{"missing block_release", "\n\npolicy: p\n", SG_DIAG_POLICY_VALUE, 3, 1, "/"},
	{"override without tool", HEAD "severity_overrides:\n  - severity: low\n",
	 SG_DIAG_POLICY_VALUE, 4, 5, "/severity_overrides/0"},
	{"override without severity", HEAD "severity_overrides:\n  - {tool: T}\n",
	 SG_DIAG_POLICY_VALUE, 4, 5, "/severity_overrides/0"},

	/* policy-value: types and ranges */
	{"root list", "- policy\n", SG_DIAG_POLICY_VALUE, 1, 1, "/"},
	{"root scalar", "policy\n", SG_DIAG_POLICY_VALUE, 1, 1, "/"},
	{"id list", "policy: [p]\nblock_release: []\n", SG_DIAG_POLICY_VALUE, 1, 9, "/policy"},
	{"id chars", "policy: my policy\nblock_release: []\n", SG_DIAG_POLICY_VALUE, 1, 9,
	 "/policy"},
	{"id empty", "policy: ''\nblock_release: []\n", SG_DIAG_POLICY_VALUE, 1, 9, "/policy"},
	{"id null", "policy:\nblock_release: []\n", SG_DIAG_POLICY_VALUE, 1, 8, "/policy"},
	{"block_release scalar", "policy: p\nblock_release: high\n", SG_DIAG_POLICY_VALUE, 2, 16,
	 "/block_release"},
	{"unknown severity", "policy: p\nblock_release: [critical, urgent]\n",
	 SG_DIAG_POLICY_VALUE, 2, 27, "/block_release/1"},
	{"severity case", "policy: p\nblock_release: [High]\n", SG_DIAG_POLICY_VALUE, 2, 17,
	 "/block_release/0"},
	{"severity list", "policy: p\nblock_release: [[high]]\n", SG_DIAG_POLICY_VALUE, 2, 17,
	 "/block_release/0"},
	{"require scalar", HEAD "require: sast\n", SG_DIAG_POLICY_VALUE, 3, 10, "/require"},
	{"require null", HEAD "require:\n", SG_DIAG_POLICY_VALUE, 3, 9, "/require"},
	{"sast null", HEAD "require:\n  sast:\n", SG_DIAG_POLICY_VALUE, 4, 8, "/require/sast"},
	{"sast true", HEAD "require:\n  sast: true\n", SG_DIAG_POLICY_VALUE, 4, 9, "/require/sast"},
	{"bool yes", HEAD "require:\n  sast:\n    on_release_commit: yes\n", SG_DIAG_POLICY_VALUE,
	 5, 24, "/require/sast/on_release_commit"},
	{"bool True", HEAD "require:\n  sast: {on_release_commit: True}\n", SG_DIAG_POLICY_VALUE,
	 4, 29, "/require/sast/on_release_commit"},
	{"bool quoted", HEAD "require:\n  sast: {on_release_commit: \"true\"}\n",
	 SG_DIAG_POLICY_VALUE, 4, 29, "/require/sast/on_release_commit"},
	{"bool number", HEAD "require:\n  sast: {on_release_commit: 1}\n", SG_DIAG_POLICY_VALUE,
	 4, 29, "/require/sast/on_release_commit"},
	{"age word", HEAD "require:\n  sast:\n    max_age_days: seven\n", SG_DIAG_POLICY_VALUE,
	 5, 19, "/require/sast/max_age_days"},
	{"age zero", HEAD "require: {sast: {max_age_days: 0}}\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/require/sast/max_age_days"},
	{"age too big", HEAD "require: {sast: {max_age_days: 3651}}\n", SG_DIAG_POLICY_VALUE, 3,
	 32, "/require/sast/max_age_days"},
	{"age huge", HEAD "require: {sast: {max_age_days: 99999999999999999999}}\n",
	 SG_DIAG_POLICY_VALUE, 3, 32, "/require/sast/max_age_days"},
	{"age negative", HEAD "require: {sast: {max_age_days: -1}}\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/require/sast/max_age_days"},
	{"age octal", HEAD "require: {sast: {max_age_days: 010}}\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/require/sast/max_age_days"},
	{"age float", HEAD "require: {sast: {max_age_days: 7.0}}\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/require/sast/max_age_days"},
	{"age quoted", HEAD "require: {sast: {max_age_days: '7'}}\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/require/sast/max_age_days"},
	/* sca: a mapping of on_release_commit and max_age_days, as sast */
	{"sca null", HEAD "require:\n  sca:\n", SG_DIAG_POLICY_VALUE, 4, 7, "/require/sca"},
	{"sca true", HEAD "require:\n  sca: true\n", SG_DIAG_POLICY_VALUE, 4, 8, "/require/sca"},
	{"sca list", HEAD "require:\n  sca: []\n", SG_DIAG_POLICY_VALUE, 4, 8, "/require/sca"},
	{"sca bool yes", HEAD "require:\n  sca: {on_release_commit: yes}\n", SG_DIAG_POLICY_VALUE, 4,
	 28, "/require/sca/on_release_commit"},
	{"sca age zero", HEAD "require: {sca: {max_age_days: 0}}\n", SG_DIAG_POLICY_VALUE, 3, 31,
	 "/require/sca/max_age_days"},
	{"sca age too big", HEAD "require: {sca: {max_age_days: 3651}}\n", SG_DIAG_POLICY_VALUE, 3, 31,
	 "/require/sca/max_age_days"},

	/* licenses: lists of SPDX ids, disjoint, and at least one id */
	{"licenses scalar", HEAD "licenses: MIT\n", SG_DIAG_POLICY_VALUE, 3, 11, "/licenses"},
	{"licenses list", HEAD "licenses: [MIT]\n", SG_DIAG_POLICY_VALUE, 3, 11, "/licenses"},
	{"licenses null", HEAD "licenses:\n", SG_DIAG_POLICY_VALUE, 3, 10, "/licenses"},
	{"licenses empty", HEAD "licenses: {}\n", SG_DIAG_POLICY_VALUE, 3, 11, "/licenses"},
	{"licenses empty lists", HEAD "licenses:\n  deny: []\n  allow: []\n  severity: low\n",
	 SG_DIAG_POLICY_VALUE, 4, 3, "/licenses"},
	{"deny scalar", HEAD "licenses: {deny: GPL-3.0-only}\n", SG_DIAG_POLICY_VALUE, 3, 18,
	 "/licenses/deny"},
	{"deny mapping", HEAD "licenses: {deny: {GPL-3.0-only: true}}\n", SG_DIAG_POLICY_VALUE, 3, 18,
	 "/licenses/deny"},
	{"allow null", HEAD "licenses: {deny: [MIT], allow: }\n", SG_DIAG_POLICY_VALUE, 3, 32,
	 "/licenses/allow"},
	{"deny nested list", HEAD "licenses: {deny: [[MIT]]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny null item", HEAD "licenses:\n  deny:\n    - MIT\n    -\n", SG_DIAG_POLICY_VALUE, 6, 6,
	 "/licenses/deny/1"},
	{"deny empty id", HEAD "licenses: {deny: ['']}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny expression", HEAD "licenses: {deny: [GPL-2.0-only OR MIT]}\n", SG_DIAG_POLICY_VALUE,
	 3, 19, "/licenses/deny/0"},
	{"deny slash", HEAD "licenses: {deny: [GPL/LGPL]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny underscore", HEAD "licenses: {deny: [GPL_3]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny plus inside", HEAD "licenses: {deny: [GPL+2]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny plus alone", HEAD "licenses: {deny: ['+']}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny bare LicenseRef-", HEAD "licenses: {deny: [LicenseRef-]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny LicenseRef plus", HEAD "licenses: {deny: [LicenseRef-x+]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny nul", HEAD "licenses: {deny: [\"MIT\\0\"]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny non-ascii", HEAD "licenses: {deny: [\"M\xC3\xAFT\"]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny unlisted id", HEAD "licenses: {deny: [MIT, GPL3]}\n", SG_DIAG_POLICY_VALUE, 3, 24,
	 "/licenses/deny/1"},
	{"allow misspelt id", HEAD "licenses:\n  allow:\n    - Apache-2\n", SG_DIAG_POLICY_VALUE, 5, 7,
	 "/licenses/allow/0"},
	{"deny exception id", HEAD "licenses: {deny: [Classpath-exception-2.0]}\n", SG_DIAG_POLICY_VALUE, 3,
	 19, "/licenses/deny/0"},
	{"deny unlisted plus", HEAD "licenses: {deny: [GPL3+]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny plus plus", HEAD "licenses: {deny: [GPL-2.0++]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny DocumentRef", HEAD "licenses: {deny: ['DocumentRef-a:LicenseRef-b']}\n", SG_DIAG_POLICY_VALUE,
	 3, 19, "/licenses/deny/0"},
	{"deny keyword", HEAD "licenses: {deny: [true]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"deny number", HEAD "licenses: {deny: [1.0]}\n", SG_DIAG_POLICY_VALUE, 3, 19,
	 "/licenses/deny/0"},
	{"denied then allowed", HEAD "licenses:\n  deny: [GPL-3.0-only, MIT]\n  allow: [Apache-2.0, mit]\n",
	 SG_DIAG_POLICY_VALUE, 5, 23, "/licenses/allow/1"},
	{"allowed then denied", HEAD "licenses:\n  allow: [MIT]\n  deny: [MIT]\n", SG_DIAG_POLICY_VALUE, 5,
	 10, "/licenses/deny/0"},
	{"licence severity", HEAD "licenses: {deny: [MIT], severity: severe}\n", SG_DIAG_POLICY_VALUE, 3,
	 35, "/licenses/severity"},
	{"licence severity case", HEAD "licenses: {deny: [MIT], severity: High}\n", SG_DIAG_POLICY_VALUE, 3,
	 35, "/licenses/severity"},
	{"overrides mapping", HEAD "severity_overrides: {tool: T}\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/severity_overrides"},
	{"override scalar", HEAD "severity_overrides: [T]\n", SG_DIAG_POLICY_VALUE, 3, 22,
	 "/severity_overrides/0"},
	{"override rule empty", HEAD "severity_overrides:\n  - {tool: T, rule: '', severity: low}\n",
	 SG_DIAG_POLICY_VALUE, 4, 21, "/severity_overrides/0/rule"},
	{"override tool nul", HEAD "severity_overrides:\n  - {tool: \"a\\0b\", severity: low}\n",
	 SG_DIAG_POLICY_VALUE, 4, 12, "/severity_overrides/0/tool"},
	{"override tool newline", HEAD "severity_overrides:\n  - {tool: \"a\\nb\", severity: low}\n",
	 SG_DIAG_POLICY_VALUE, 4, 12, "/severity_overrides/0/tool"},
	{"override severity", HEAD "severity_overrides:\n  - {tool: T, severity: severe}\n",
	 SG_DIAG_POLICY_VALUE, 4, 25, "/severity_overrides/0/severity"},

	/* approver_role: one of the known roles, as written */
	{"role unknown", HEAD "approver_role: ceo\n", SG_DIAG_POLICY_VALUE, 3, 16, "/approver_role"},
	{"role case", HEAD "approver_role: CTO\n", SG_DIAG_POLICY_VALUE, 3, 16, "/approver_role"},
	{"role empty", HEAD "approver_role: ''\n", SG_DIAG_POLICY_VALUE, 3, 16, "/approver_role"},
	{"role null", HEAD "approver_role:\n", SG_DIAG_POLICY_VALUE, 3, 15, "/approver_role"},
	{"role list", HEAD "approver_role: [cto]\n", SG_DIAG_POLICY_VALUE, 3, 16, "/approver_role"},
	{"role nul", HEAD "approver_role: \"cto\\0\"\n", SG_DIAG_POLICY_VALUE, 3, 16, "/approver_role"},
	{"role duplicate", HEAD "approver_role: cto\napprover_role: admin\n", SG_DIAG_POLICY_DUPLICATE, 4,
	 1, "/approver_role"},

	/* exception_max_days: 1..3650 */
	{"max days zero", HEAD "exception_max_days: 0\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/exception_max_days"},
	{"max days too big", HEAD "exception_max_days: 3651\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/exception_max_days"},
	{"max days negative", HEAD "exception_max_days: -5\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/exception_max_days"},
	{"max days quoted", HEAD "exception_max_days: '30'\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/exception_max_days"},
	{"max days word", HEAD "exception_max_days: month\n", SG_DIAG_POLICY_VALUE, 3, 21,
	 "/exception_max_days"},

	/* sla_days: a mapping of severities to 1..3650 */
	{"sla scalar", HEAD "sla_days: 7\n", SG_DIAG_POLICY_VALUE, 3, 11, "/sla_days"},
	{"sla list", HEAD "sla_days: [high]\n", SG_DIAG_POLICY_VALUE, 3, 11, "/sla_days"},
	{"sla null", HEAD "sla_days:\n", SG_DIAG_POLICY_VALUE, 3, 10, "/sla_days"},
	{"sla unknown severity", HEAD "sla_days: {urgent: 7}\n", SG_DIAG_POLICY_UNKNOWN_KEY, 3, 12,
	 "/sla_days/urgent"},
	{"sla severity case", HEAD "sla_days:\n  critical: 7\n  High: 30\n", SG_DIAG_POLICY_UNKNOWN_KEY, 5,
	 3, "/sla_days/High"},
	{"sla duplicate", HEAD "sla_days: {high: 7, high: 8}\n", SG_DIAG_POLICY_DUPLICATE, 3, 21,
	 "/sla_days/high"},
	{"sla zero", HEAD "sla_days: {high: 0}\n", SG_DIAG_POLICY_VALUE, 3, 18, "/sla_days/high"},
	{"sla too big", HEAD "sla_days: {low: 3651}\n", SG_DIAG_POLICY_VALUE, 3, 17, "/sla_days/low"},
	{"sla negative", HEAD "sla_days: {low: -1}\n", SG_DIAG_POLICY_VALUE, 3, 17, "/sla_days/low"},
	{"sla octal", HEAD "sla_days: {low: 030}\n", SG_DIAG_POLICY_VALUE, 3, 17, "/sla_days/low"},
	{"sla null value", HEAD "sla_days: {low: }\n", SG_DIAG_POLICY_VALUE, 3, 17, "/sla_days/low"},
	{"sla nested", HEAD "sla_days: {low: {days: 3}}\n", SG_DIAG_POLICY_VALUE, 3, 17, "/sla_days/low"},
	{"sla twice", HEAD "sla_days: {low: 3}\nsla_days: {high: 3}\n", SG_DIAG_POLICY_DUPLICATE, 4, 1,
	 "/sla_days"},
};

/* Keys left out take their defaults: approver_role cto, exception_max_days
 * 90, and no sla_days, so no clause remediate.sla. */
static void test_exception_sla_defaults(void **state)
{
	static const int zero[SG_SEV_COUNT];
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(HEAD, &p, &err), 0);
	assert_string_equal(p.approver_role, "cto");
	assert_int_equal(p.exception_max_days, 90);
	assert_int_equal(p.sla_enabled, 0);
	assert_memory_equal(p.sla_days, zero, sizeof(zero));
	assert_round_trip(&p);
	sg_policy_release(&p);
}

/* Every role can be the approver role. */
static void test_approver_roles(void **state)
{
	static const char *const roles[] = {"viewer", "developer", "security", "cto", "admin"};
	struct sg_policy p;
	struct sg_error err;
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		snprintf(text, sizeof(text), HEAD "approver_role: %s\n", roles[i]);
		assert_int_equal(parse(text, &p, &err), 0);
		assert_string_equal(p.approver_role, roles[i]);
		assert_round_trip(&p);
		sg_policy_release(&p);
	}
	/* Quoted is a string too. */
	assert_int_equal(parse(HEAD "approver_role: \"security\"\n", &p, &err), 0);
	assert_string_equal(p.approver_role, "security");
	sg_policy_release(&p);
}

/* exception_max_days: the bounds 1 and 3650 are allowed. */
static void test_exception_max_days(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(HEAD "exception_max_days: 1\n", &p, &err), 0);
	assert_int_equal(p.exception_max_days, 1);
	assert_round_trip(&p);
	sg_policy_release(&p);
	assert_int_equal(parse(HEAD "exception_max_days: 3650\n", &p, &err), 0);
	assert_int_equal(p.exception_max_days, 3650);
	assert_round_trip(&p);
	sg_policy_release(&p);
}

/* sla_days: present enables remediate.sla; a severity left out has no deadline. */
static void test_sla_days(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(HEAD "sla_days:\n  info: 3650\n  critical: 1\n", &p, &err), 0);
	assert_int_equal(p.sla_enabled, 1);
	assert_int_equal(p.sla_days[SG_SEV_CRITICAL], 1);
	assert_int_equal(p.sla_days[SG_SEV_HIGH], 0);
	assert_int_equal(p.sla_days[SG_SEV_MEDIUM], 0);
	assert_int_equal(p.sla_days[SG_SEV_LOW], 0);
	assert_int_equal(p.sla_days[SG_SEV_INFO], 3650);
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* All five severities, in any order. */
	assert_int_equal(parse(HEAD "sla_days: {low: 4, info: 5, medium: 3, high: 2, critical: 1}\n", &p, &err), 0);
	assert_int_equal(p.sla_days[SG_SEV_CRITICAL], 1);
	assert_int_equal(p.sla_days[SG_SEV_HIGH], 2);
	assert_int_equal(p.sla_days[SG_SEV_MEDIUM], 3);
	assert_int_equal(p.sla_days[SG_SEV_LOW], 4);
	assert_int_equal(p.sla_days[SG_SEV_INFO], 5);
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* An empty mapping would enable the clause with no deadline at all:
	 * refused, so that no policy seems to enforce what nothing checks. */
	assert_int_equal(parse(HEAD "sla_days: {}\n", &p, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_POLICY_VALUE);

	/* With the other new keys and the old ones together. */
	assert_int_equal(parse("sla_days: {high: 14}\nexception_max_days: 30\napprover_role: security\n"
			       "policy: p\nrequire: {sast: {}}\nblock_release: [critical, high]\n", &p, &err), 0);
	assert_int_equal(p.sla_days[SG_SEV_HIGH], 14);
	assert_int_equal(p.exception_max_days, 30);
	assert_string_equal(p.approver_role, "security");
	assert_int_equal(p.sast.enabled, 1);
	assert_round_trip(&p);
	sg_policy_release(&p);
}

/* require.sca: present enables clause sca; {} takes on_release_commit true
 * and max_age_days 30, independently of sast's. */
static void test_sca(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(HEAD "require: {sca: {}}\n", &p, &err), 0);
	assert_int_equal(p.sca.enabled, 1);
	assert_int_equal(p.sca.on_release_commit, 1);
	assert_int_equal(p.sca.max_age_days, 30);
	assert_int_equal(p.sast.enabled, 0);
	assert_round_trip(&p);
	sg_policy_release(&p);

	assert_int_equal(parse(HEAD "require:\n  sca:\n    on_release_commit: false\n    max_age_days: 3650\n"
			       "  sast: {max_age_days: 2}\n", &p, &err), 0);
	assert_int_equal(p.sca.enabled, 1);
	assert_int_equal(p.sca.on_release_commit, 0);
	assert_int_equal(p.sca.max_age_days, 3650);
	assert_int_equal(p.sast.enabled, 1);
	assert_int_equal(p.sast.on_release_commit, 1);
	assert_int_equal(p.sast.max_age_days, 2);
	assert_round_trip(&p);
	sg_policy_release(&p);

	assert_int_equal(parse(HEAD "require: {sca: {max_age_days: 1}}\n", &p, &err), 0);
	assert_int_equal(p.sca.max_age_days, 1);
	assert_int_equal(p.sca.on_release_commit, 1);
	sg_policy_release(&p);

	/* Without require, or without sca in it: no clause sca. */
	assert_int_equal(parse(HEAD "require: {sast: {}}\n", &p, &err), 0);
	assert_int_equal(p.sca.enabled, 0);
	assert_round_trip(&p);
	sg_policy_release(&p);
}

/* licenses: ids kept as written, in order; severity high unless given. */
static void test_licenses(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_equal(parse(HEAD "licenses: {deny: [GPL-3.0-only, AGPL-3.0-only]}\n", &p, &err), 0);
	assert_int_equal(p.licenses.enabled, 1);
	assert_int_equal(p.licenses.n_deny, 2);
	assert_string_equal(p.licenses.deny[0], "GPL-3.0-only");
	assert_string_equal(p.licenses.deny[1], "AGPL-3.0-only");
	assert_int_equal(p.licenses.n_allow, 0);
	assert_null(p.licenses.allow);
	assert_int_equal(p.licenses.severity, SG_SEV_HIGH);
	assert_int_equal(p.sca.enabled, 0); /* the sections are independent */
	assert_round_trip(&p);
	sg_policy_release(&p);
	assert_released(&p);

	/* An allow list alone; other case, "+", LicenseRef- and quoted ids. */
	assert_int_equal(parse(HEAD "licenses:\n  allow:\n    - mit\n    - \"Apache-2.0\"\n    - GPL-2.0+\n"
			       "    - LicenseRef-acme.internal-1\n    - '0BSD'\n  severity: medium\n", &p, &err), 0);
	assert_int_equal(p.licenses.enabled, 1);
	assert_int_equal(p.licenses.n_deny, 0);
	assert_int_equal(p.licenses.n_allow, 5);
	assert_string_equal(p.licenses.allow[0], "mit");
	assert_string_equal(p.licenses.allow[1], "Apache-2.0");
	assert_string_equal(p.licenses.allow[2], "GPL-2.0+");
	assert_string_equal(p.licenses.allow[3], "LicenseRef-acme.internal-1");
	assert_string_equal(p.licenses.allow[4], "0BSD");
	assert_int_equal(p.licenses.severity, SG_SEV_MEDIUM);
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* Both lists, disjoint, with every key of the file format. */
	assert_int_equal(parse(HEAD "require: {sast: {}, sca: {}}\nlicenses:\n  severity: critical\n"
			       "  allow: [MIT, ISC, BSD-3-Clause]\n  deny: [SSPL-1.0]\n", &p, &err), 0);
	assert_int_equal(p.licenses.n_deny, 1);
	assert_int_equal(p.licenses.n_allow, 3);
	assert_int_equal(p.licenses.severity, SG_SEV_CRITICAL);
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* SPDX ids match without regard to case; deprecated ids are ids too,
	 * and "+" may follow any listed one; LicenseRef- in any case. */
	assert_int_equal(parse(HEAD "licenses: {deny: [gpl-3.0-only, GPL-3.0, lgpl-2.1+, licenseref-X]}\n",
			       &p, &err), 0);
	assert_int_equal(p.licenses.n_deny, 4);
	assert_string_equal(p.licenses.deny[0], "gpl-3.0-only");
	assert_string_equal(p.licenses.deny[2], "lgpl-2.1+");
	assert_string_equal(p.licenses.deny[3], "licenseref-X");
	assert_round_trip(&p);
	sg_policy_release(&p);

	/* An empty list beside a non-empty one is no list at all. */
	assert_int_equal(parse(HEAD "licenses: {deny: [], allow: [MIT]}\n", &p, &err), 0);
	assert_int_equal(p.licenses.n_deny, 0);
	assert_int_equal(p.licenses.n_allow, 1);
	assert_round_trip(&p);
	sg_policy_release(&p);
}

/* An id of 255 bytes fits; 256 is refused. */
static void test_license_id_length(void **state)
{
	char text[512], id[SG_POLICY_NAME_BYTES + 1];
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	memcpy(id, "LicenseRef-", 11);
	memset(id + 11, 'x', sizeof(id) - 11);
	id[SG_POLICY_NAME_BYTES - 1] = '\0';
	snprintf(text, sizeof(text), HEAD "licenses: {deny: [%s]}\n", id);
	assert_int_equal(parse(text, &p, &err), 0);
	assert_string_equal(p.licenses.deny[0], id);
	assert_round_trip(&p);
	sg_policy_release(&p);
	id[SG_POLICY_NAME_BYTES - 1] = 'x';
	id[SG_POLICY_NAME_BYTES] = '\0';
	snprintf(text, sizeof(text), HEAD "licenses: {deny: [%s]}\n", id);
	check_error("licence id too long", parse(text, &p, &err), &p, &err, SG_DIAG_POLICY_VALUE, 3, 19,
		    "/licenses/deny/0");
}

/* `policy show` prints both sections, in the order of the file format. */
static void test_render_sca_licenses(void **state)
{
	static const char want[] = "require:\n"
				   "  sast:\n"
				   "    on_release_commit: true\n"
				   "    max_age_days: 7\n"
				   "  sca:\n"
				   "    on_release_commit: false\n"
				   "    max_age_days: 14\n"
				   "licenses:\n"
				   "  deny: [GPL-3.0-only, \"GPL-2.0+\", LicenseRef-x]\n"
				   "  allow: []\n"
				   "  severity: low\n"
				   "severity_overrides: []\n";
	struct sg_policy p;
	struct sg_error err;
	struct sg_buf out;

	(void)state;
	assert_int_equal(parse(HEAD "licenses: {severity: low, deny: [GPL-3.0-only, GPL-2.0+, LicenseRef-x]}\n"
			       "require: {sca: {max_age_days: 14, on_release_commit: false}, sast: {}}\n", &p, &err),
			 0);
	sg_buf_init(&out, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_policy_render_yaml(&p, &out), 0);
	assert_non_null(strstr(out.data, want));
	sg_buf_release(&out);
	sg_policy_release(&p);

	/* sca alone under require; no licenses section when there is none. */
	assert_int_equal(parse(HEAD "require: {sca: {}}\n", &p, &err), 0);
	sg_buf_init(&out, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_policy_render_yaml(&p, &out), 0);
	assert_non_null(strstr(out.data, "\nrequire:\n  sca:\n    on_release_commit: true\n    max_age_days: 30\n"
				       "severity_overrides: []\n"));
	assert_null(strstr(out.data, "sast"));
	assert_null(strstr(out.data, "licenses"));
	sg_buf_release(&out);
	sg_policy_release(&p);
}

/* A licence list is a list like any other: SG_POLICY_MAX_LIST_ITEMS at most. */
static void test_license_list_limit(void **state)
{
	struct sg_buf b;
	struct sg_policy p;
	struct sg_error err;
	int i;

	(void)state;
	sg_buf_init(&b, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_buf_adds(&b, HEAD "licenses:\n  deny:\n"), 0);
	for (i = 0; i < SG_POLICY_MAX_LIST_ITEMS; i++)
		assert_int_equal(sg_buf_printf(&b, "    - LicenseRef-%d\n", i), 0);
	assert_int_equal(sg_policy_parse(b.data, b.len, "t", &p, &err), 0);
	assert_int_equal(p.licenses.n_deny, SG_POLICY_MAX_LIST_ITEMS);
	assert_string_equal(p.licenses.deny[SG_POLICY_MAX_LIST_ITEMS - 1], "LicenseRef-999");
	sg_policy_release(&p);
	assert_int_equal(sg_buf_adds(&b, "    - LicenseRef-x\n"), 0);
	check_error("long licence list", sg_policy_parse(b.data, b.len, "t", &p, &err), &p, &err,
		    SG_DIAG_LIMIT_EXCEEDED, 5 + SG_POLICY_MAX_LIST_ITEMS, 7, "/licenses/deny");
	sg_buf_release(&b);
}

static void test_bad_policies(void **state)
{
	struct sg_policy p;
	struct sg_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];

		rc = parse(bc->text, &p, &err);
		check_error(bc->name, rc, &p, &err, bc->diag, bc->line, bc->column, bc->pointer);
		assert_string_equal(err.where, "test.yml");
	}
}

/* Messages say what and where, quoting the subject. */
static void test_messages(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	assert_int_not_equal(parse(HEAD "require:\n  dast: {}\n", &p, &err), 0);
	assert_string_equal(err.message, "unknown key \"dast\" in /require");
	assert_int_not_equal(parse(HEAD "require: {sast: {max_age_days: 0}}\n", &p, &err), 0);
	assert_string_equal(err.message, "max_age_days must be an integer from 1 to 3650");
	assert_int_not_equal(parse("policy: *a\n", &p, &err), 0);
	assert_string_equal(err.message, "aliases are not allowed");
	assert_int_not_equal(parse(HEAD "require: {sast: {on_release_commit: yes}}\n", &p, &err), 0);
	assert_string_equal(err.message, "on_release_commit must be true or false, not \"yes\"");
	assert_int_not_equal(parse(HEAD "approver_role: ceo\n", &p, &err), 0);
	assert_string_equal(err.message,
			    "approver_role must be viewer, developer, security, cto or admin, not \"ceo\"");
	assert_int_not_equal(parse(HEAD "exception_max_days: 0\n", &p, &err), 0);
	assert_string_equal(err.message, "exception_max_days must be an integer from 1 to 3650");
	assert_int_not_equal(parse(HEAD "sla_days: {high: 0}\n", &p, &err), 0);
	assert_string_equal(err.message, "sla_days.high must be an integer from 1 to 3650");
	assert_int_not_equal(parse(HEAD "sla_days: {urgent: 1}\n", &p, &err), 0);
	assert_string_equal(err.message,
			    "unknown key \"urgent\" in sla_days: expected critical, high, medium, low or info");
	assert_int_not_equal(parse(HEAD "sla_days: {low: 1, low: 2}\n", &p, &err), 0);
	assert_string_equal(err.message, "duplicate key \"low\" in sla_days");
	assert_int_not_equal(parse(HEAD "sla_days: 7\n", &p, &err), 0);
	assert_string_equal(err.message, "sla_days must be a mapping of severity to days");
	assert_int_not_equal(parse(HEAD "licenses:\n  deny: [MIT]\n  allow: [MIT]\n", &p, &err), 0);
	assert_string_equal(err.message, "licence \"MIT\" is both denied and allowed");
	assert_int_not_equal(parse(HEAD "licenses: {deny: [MIT, MIT]}\n", &p, &err), 0);
	assert_string_equal(err.message, "licence \"MIT\" is listed twice in licenses.deny");
	assert_int_not_equal(parse(HEAD "licenses: {allow: [GPL/LGPL]}\n", &p, &err), 0);
	assert_string_equal(err.message, "licenses.allow: \"GPL/LGPL\" is not an SPDX licence id "
			    "(letters, digits, \".\" and \"-\", or LicenseRef-...)");
	/* An id off the SPDX list, with a hint where one is near. */
	assert_int_not_equal(parse(HEAD "licenses: {deny: [GPL3]}\n", &p, &err), 0);
	assert_string_equal(err.message, "licenses.deny: \"GPL3\" is not on the SPDX licence list "
			    "(LicenseRef-... names a licence of your own)");
	assert_int_not_equal(parse(HEAD "licenses: {deny: [gfdl-1.1-invariants]}\n", &p, &err), 0);
	assert_string_equal(err.message, "licenses.deny: \"gfdl-1.1-invariants\" is not on the SPDX licence list "
			    "(LicenseRef-... names a licence of your own); did you mean GFDL-1.1-invariants-only or "
			    "GFDL-1.1-invariants-or-later?");
	assert_int_not_equal(parse(HEAD "licenses: {allow: [MIT, classpath-exception-2.0]}\n", &p, &err), 0);
	assert_string_equal(err.message, "licenses.allow: \"classpath-exception-2.0\" is not on the SPDX licence list "
			    "(LicenseRef-... names a licence of your own): Classpath-exception-2.0 is a licence "
			    "exception; \"X WITH Classpath-exception-2.0\" is judged on the licence X");
	assert_int_not_equal(parse(HEAD "licenses: {}\n", &p, &err), 0);
	assert_string_equal(err.message, "licenses names no licence: give deny or allow, or remove licenses");
	assert_int_not_equal(parse(HEAD "require: {sca: []}\n", &p, &err), 0);
	assert_string_equal(err.message, "sca must be a mapping (use {} for the defaults)");
	/* An excerpt of a long subject is cut, and stays on one line. */
	assert_int_not_equal(parse("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\n\": 1\n",
				   &p, &err), 0);
	assert_non_null(strstr(err.message, "...\" in /"));
}

/* Overrides parsed before an error are freed with the rest. */
static void test_error_after_overrides(void **state)
{
	struct sg_policy p;
	struct sg_error err;
	int rc;

	(void)state;
	rc = parse(HEAD "severity_overrides:\n  - {tool: A, severity: low}\n"
		   "  - {tool: B, severity: low}\nrequire: {sast: {max_age_days: 0}}\n", &p, &err);
	check_error("late error", rc, &p, &err, SG_DIAG_POLICY_VALUE, 6, 32,
		    "/require/sast/max_age_days");
}

static void test_nul_byte(void **state)
{
	const char text[] = "policy: p\nblock_release: [\0]\n";
	struct sg_policy p;
	struct sg_error err;
	int rc;

	(void)state;
	rc = sg_policy_parse(text, sizeof(text) - 1, "nul.yml", &p, &err);
	check_error("nul", rc, &p, &err, SG_DIAG_POLICY_SYNTAX, 2, 17, NULL);
	assert_int_equal(err.offset, 26);
}

/* A "billion laughs": refused at the first anchor, before any expansion. */
static void test_alias_bomb(void **state)
{
	const char *text =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	check_error("bomb", parse(text, &p, &err), &p, &err, SG_DIAG_POLICY_SYNTAX, 1, 4, "/a");
}

static char *repeat_text(const char *head, char open, char close, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *text = malloc(hl + 2 * n + tl + 1);

	assert_non_null(text);
	memcpy(text, head, hl);
	memset(text + hl, open, n);
	memset(text + hl + n, close, n);
	memcpy(text + hl + 2 * n, tail, tl + 1);
	return text;
}

/* 1000 levels, though the schema needs 3: stopped at level 17. */
static void test_deep_nesting(void **state)
{
	char *text = repeat_text("policy: ", '[', ']', 1000, "\nblock_release: []\n");
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	/* The root mapping is level 1, so the 16th "[" (column 8 + 16) is level 17. */
	check_error("deep flow", parse(text, &p, &err), &p, &err, SG_DIAG_LIMIT_EXCEEDED, 1,
		    8 + SG_POLICY_MAX_DEPTH, NULL);
	free(text);

	/* Deep where a wrong value comes first: the limit still wins, whole
	 * document checked before any of it is read as a policy. */
	text = repeat_text("policy: 5\nblock_release: []\nx: ", '{', '}', 1000, "\n");
	check_error("deep later", parse(text, &p, &err), &p, &err, SG_DIAG_LIMIT_EXCEEDED, 3,
		    3 + SG_POLICY_MAX_DEPTH, NULL);
	free(text);
}

static void test_long_list(void **state)
{
	struct sg_buf b;
	struct sg_policy p;
	struct sg_error err;
	int i;

	(void)state;
	sg_buf_init(&b, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_buf_adds(&b, "policy: p\nblock_release:\n"), 0);
	for (i = 0; i <= SG_POLICY_MAX_LIST_ITEMS; i++)
		assert_int_equal(sg_buf_adds(&b, "- x\n"), 0);
	check_error("long list", sg_policy_parse(b.data, b.len, "t", &p, &err), &p, &err,
		    SG_DIAG_LIMIT_EXCEEDED, 3 + SG_POLICY_MAX_LIST_ITEMS, 3, "/block_release");
	sg_buf_release(&b);
}

static void test_too_large(void **state)
{
	static const char pad[] = "# padding padding padding padding padding padding padding\n";
	char path[] = "/tmp/sg-test-policy-XXXXXX";
	size_t written = 0;
	struct sg_policy p;
	struct sg_error err;
	int fd, rc;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, HEAD, strlen(HEAD)), (ssize_t)strlen(HEAD));
	while (written <= SG_POLICY_MAX_BYTES) {
		assert_int_equal(write(fd, pad, sizeof(pad) - 1), (ssize_t)(sizeof(pad) - 1));
		written += sizeof(pad) - 1;
	}
	close(fd);
	rc = sg_policy_load_file(path, &p, &err);
	check_error("too large", rc, &p, &err, SG_DIAG_LIMIT_EXCEEDED, 0, 0, NULL);
	assert_string_equal(err.where, path);
	unlink(path);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/sg-test-policy-XXXXXX";
	struct sg_policy p, q;
	struct sg_error err;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, FULL_POLICY, strlen(FULL_POLICY)), (ssize_t)strlen(FULL_POLICY));
	close(fd);
	assert_int_equal(sg_policy_load_file(path, &p, &err), 0);
	assert_int_equal(parse(FULL_POLICY, &q, &err), 0);
	assert_same_model(&p, &q);
	assert_memory_equal(p.sha256, q.sha256, SG_SHA256_BYTES);
	assert_string_equal(p.source, path);
	sg_policy_release(&p);
	sg_policy_release(&q);

	/* A parse error names the file. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "policy: p\ndast: {}\n", 19), 19);
	close(fd);
	check_error("file error", sg_policy_load_file(path, &p, &err), &p, &err,
		    SG_DIAG_POLICY_UNKNOWN_KEY, 2, 1, "/dast");
	assert_string_equal(err.where, path);
	unlink(path);
}

static void test_missing_file(void **state)
{
	struct sg_policy p;
	struct sg_error err;

	(void)state;
	check_error("missing", sg_policy_load_file("/nonexistent/shipgate.yml", &p, &err), &p,
		    &err, SG_DIAG_FILE_OPEN, 0, 0, NULL);
	assert_string_equal(err.where, "/nonexistent/shipgate.yml");
	check_error("directory", sg_policy_load_file("/tmp", &p, &err), &p, &err,
		    SG_DIAG_FILE_READ, 0, 0, NULL);
}

/* Fail each allocation in turn: a clean no-memory error, nothing leaked. */
static void test_alloc_failures(void **state)
{
	struct sg_buf b;
	struct sg_policy p;
	struct sg_error err;
	unsigned long n;
	int i, rc = -1;

	(void)state;
	sg_buf_init(&b, SG_POLICY_MAX_BYTES);
	assert_int_equal(sg_buf_adds(&b, HEAD "severity_overrides:\n"), 0);
	for (i = 0; i < 40; i++)
		assert_int_equal(sg_buf_printf(&b, "  - {tool: T%d, severity: low}\n", i), 0);
	/* Licence ids: one allocation each, and lists that grow. */
	assert_int_equal(sg_buf_adds(&b, "licenses:\n  deny:\n"), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(sg_buf_printf(&b, "    - LicenseRef-d%d\n", i), 0);
	assert_int_equal(sg_buf_adds(&b, "  allow: [MIT, ISC, Zlib]\n"), 0);
	for (n = 1; n < 200 && rc != 0; n++) {
		sg_alloc_fail_after(n);
		rc = sg_policy_parse(b.data, b.len, "t", &p, &err);
		sg_alloc_fail_after(0);
		if (rc == 0) {
			assert_int_equal(p.n_overrides, 40);
			assert_int_equal(p.licenses.n_deny, 20);
			assert_int_equal(p.licenses.n_allow, 3);
			sg_policy_release(&p);
		} else {
			check_error("alloc", rc, &p, &err, SG_DIAG_NO_MEMORY, err.line, err.column,
				    NULL);
		}
	}
	assert_int_equal(rc, 0);
	assert_true(n > 2);
	sg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_full_policy),
		cmocka_unit_test(test_minimal_policy),
		cmocka_unit_test(test_render_quotes_ids),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_sha256_and_bom),
		cmocka_unit_test(test_exception_sla_defaults),
		cmocka_unit_test(test_approver_roles),
		cmocka_unit_test(test_exception_max_days),
		cmocka_unit_test(test_sla_days),
		cmocka_unit_test(test_sca),
		cmocka_unit_test(test_licenses),
		cmocka_unit_test(test_license_id_length),
		cmocka_unit_test(test_render_sca_licenses),
		cmocka_unit_test(test_license_list_limit),
		cmocka_unit_test(test_id_length),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_error_after_overrides),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_long_list),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
