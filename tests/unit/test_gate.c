/*
 * core/gate and core/policy: may this release ship? (DESIGN.md section 1)
 * Clauses: remediate.release ("all critical/high findings remediated before
 * each release"), exceptions (every waiver carries a valid approval),
 * remediate.sla (no blocking finding past its due date), sast ("a SAST scan
 * of the release commit is required"), sca ("security analysis of every
 * open-source and third-party component": an SBOM is the evidence).
 * The policy is built by hand: these tests do not depend on policy/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/gate.h"
#include "core/policy.h"
#include "util/hash.h"

#define DAY 86400
#define NOW ((time_t)1764417600) /* 2025-11-29T12:00:00Z */
#define COMMIT "0123456789abcdef0123456789abcdef01234567"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static void make_policy(struct sg_policy *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "test-policy");
	p->block_release = (1u << SG_SEV_CRITICAL) | (1u << SG_SEV_HIGH);
	p->sast.enabled = 1;
	p->sast.on_release_commit = 1;
	p->sast.max_age_days = 7;
	snprintf(p->approver_role, sizeof(p->approver_role), "cto");
	p->exception_max_days = 90;
	snprintf(p->source, sizeof(p->source), "test");
}

/* No --release, no findings, a SAST scan one hour old. */
static void make_facts(struct sg_gate_facts *f, const struct sg_policy *p)
{
	memset(f, 0, sizeof(*f));
	f->policy = p;
	f->product = "shop";
	f->release = NULL;
	f->release_commit = NULL;
	f->now = NOW;
	f->sast.found = 1;
	f->sast.id = 42;
	snprintf(f->sast.tool, sizeof(f->sast.tool), "Semgrep");
	snprintf(f->sast.commit, sizeof(f->sast.commit), "%s", COMMIT);
	f->sast.created_at = NOW - 3600;
}

static const struct sg_clause_result *clause(const struct sg_gate_result *r, const char *id)
{
	int i;

	for (i = 0; i < r->n_clauses; i++)
		if (strcmp(r->clauses[i].id, id) == 0)
			return &r->clauses[i];
	return NULL;
}

/* Does any reason of the clause contain `text`? */
static int says(const struct sg_clause_result *c, const char *text)
{
	int i;

	for (i = 0; i < c->n_reasons; i++)
		if (strstr(c->reasons[i], text))
			return 1;
	return 0;
}

#define assert_says(c, text)                                                          \
	do {                                                                          \
		if (!says((c), (text)))                                               \
			fail_msg("clause %s: no reason contains \"%s\" (first: \"%s\")", \
				 (c)->id, (text), (c)->n_reasons ? (c)->reasons[0] : ""); \
	} while (0)

/* Every clause carries at least one reason, whatever its status. */
static void assert_reasons_everywhere(const struct sg_gate_result *r)
{
	int i;

	for (i = 0; i < r->n_clauses; i++) {
		assert_true(r->clauses[i].n_reasons >= 1);
		assert_true(r->clauses[i].reasons[0][0] != '\0');
	}
}

/* remediate.release + exceptions + sast: nothing open and a fresh scan -> pass, every clause. */
static void test_clean_pass(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.n_clauses, 3);
	assert_int_equal(r.blocking_total, 0);
	assert_int_equal(r.waived_total, 0);
	c = clause(&r, "remediate.release");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	c = clause(&r, "sast");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "42");
	c = clause(&r, "exceptions");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "no active exception applies to product shop");
	assert_null(clause(&r, "remediate.sla"));
	assert_reasons_everywhere(&r);
}

/* remediate.release: one open high finding blocks. */
static void test_one_high_blocks(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_HIGH] = 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(r.blocking_total, 1);
	c = clause(&r, "remediate.release");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "1 high");
	/* The other clause is still decided on its own facts. */
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_PASS);
	assert_reasons_everywhere(&r);
}

/* remediate.release: the total counts every blocking severity, and only those. */
static void test_blocking_total_sums(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_CRITICAL] = 2;
	f.open_by_severity[SG_SEV_HIGH] = 3;
	f.open_by_severity[SG_SEV_MEDIUM] = 50;
	f.open_by_severity[SG_SEV_LOW] = 7;
	f.open_by_severity[SG_SEV_INFO] = 9;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(r.blocking_total, 5);
	c = clause(&r, "remediate.release");
	assert_says(c, "2 critical");
	assert_says(c, "3 high");
	assert_false(says(c, "50"));
}

/* remediate.release covers critical/high only: mediums do not block. */
static void test_medium_only_passes(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_MEDIUM] = 12;
	f.open_by_severity[SG_SEV_LOW] = 3;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.blocking_total, 0);
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_PASS);
}

/* sast: "a SAST scan of the release commit is required". */
static void test_release_without_scan_fails(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	memset(&f.sast, 0, sizeof(f.sast));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "sast");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "no SAST scan of commit");
	assert_says(c, "0123456789ab");
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_PASS);
}

/* sast: with a scan of the release commit the clause passes, however old it is. */
static void test_release_with_scan_passes(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	f.sast.created_at = NOW - 30 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	c = clause(&r, "sast");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "0123456789ab");
}

/* sast without --release: the newest scan must be at most max_age_days old. */
static void test_stale_scan_fails(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.sast.created_at = NOW - 8 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "sast");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "8 days");
	assert_says(c, "7");
}

/* "at most this old": exactly max_age_days passes, a second more fails. */
static void test_scan_age_boundary(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.sast.created_at = NOW - 7 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_PASS);
	f.sast.created_at = NOW - 7 * DAY - 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_FAIL);
}

/* sast without --release and no scan at all: fail, naming the product. */
static void test_no_scan_at_all_fails(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	memset(&f.sast, 0, sizeof(f.sast));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "sast");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "shop");
}

/* Clause sca on top of make_policy's clauses, with its defaults. */
static void make_sca_policy(struct sg_policy *p)
{
	make_policy(p);
	p->sca.enabled = 1;
	p->sca.on_release_commit = 1;
	p->sca.max_age_days = 30;
}

/* make_facts plus an SBOM (scan 12, by cdxgen) ingested a day ago. */
static void make_sca_facts(struct sg_gate_facts *f, const struct sg_policy *p)
{
	make_facts(f, p);
	f->sca.found = 1;
	f->sca.id = 12;
	snprintf(f->sca.tool, sizeof(f->sca.tool), "cdxgen");
	snprintf(f->sca.commit, sizeof(f->sca.commit), "%s", COMMIT);
	f->sca.created_at = NOW - DAY;
}

/* sca with --release: an SBOM of the release's commit passes, however old. */
static void test_sca_release_with_sbom_passes(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sca_policy(&p);
	make_sca_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	f.sca.created_at = NOW - 400 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.n_clauses, 4);
	c = clause(&r, "sca");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_int_equal(c->n_reasons, 1);
	assert_says(c, "SBOM scan 12 (cdxgen) of commit 0123456789ab at 2024-");
	assert_reasons_everywhere(&r);
}

/* sca with --release and no SBOM of its commit: fail, naming commit and
 * release; the sast clause is decided on its own evidence. */
static void test_sca_release_without_sbom_fails(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sca_policy(&p);
	make_sca_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	memset(&f.sca, 0, sizeof(f.sca));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "sca");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "no SBOM of commit 0123456789ab (release 1.4.0)");
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_PASS);
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_PASS);

	/* And the other way round: an SBOM but no SAST scan of the commit. */
	make_sca_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	memset(&f.sast, 0, sizeof(f.sast));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_PASS);
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_FAIL);
}

/* sca without --release: the newest SBOM at most max_age_days old. */
static void test_sca_without_release(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sca_policy(&p);
	make_sca_facts(&f, &p);
	f.sca.created_at = NOW - 29 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	c = clause(&r, "sca");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "SBOM scan 12 (cdxgen, commit 0123456789ab) at 2025-10-31T12:00:00Z, within 30 days");

	/* Stale: a failure that says how old, and what the policy allows. */
	f.sca.created_at = NOW - 31 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "sca");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "the newest SBOM (12, cdxgen, at 2025-10-29T12:00:00Z) is 31 days old; the policy allows 30");
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_PASS);

	/* "At most this old": exactly 30 days passes, a second more fails. */
	f.sca.created_at = NOW - 30 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_PASS);
	f.sca.created_at = NOW - 30 * DAY - 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_FAIL);

	/* The policy's max_age_days, not sast's. */
	p.sca.max_age_days = 60;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_PASS);
	assert_says(clause(&r, "sca"), "within 60 days");

	/* No SBOM at all: fail, naming the product. */
	memset(&f.sca, 0, sizeof(f.sca));
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "sca");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "no SBOM recorded for product shop");
	assert_int_equal(r.blocked, 1);
}

/* on_release_commit false: with --release too, the newest SBOM by age. */
static void test_sca_release_by_age(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sca_policy(&p);
	p.sca.on_release_commit = 0;
	make_sca_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = "fedcba9876543210fedcba9876543210fedcba98";
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "sca");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "within 30 days");
	assert_says(c, "commit 0123456789ab"); /* the SBOM's commit, not the release's */
	f.sca.created_at = NOW - 45 * DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_FAIL);
	assert_says(clause(&r, "sca"), "45 days old");
	/* sast still wants its scan of the release's commit. */
	assert_says(clause(&r, "sast"), "of commit fedcba987654");
	memset(&f.sca, 0, sizeof(f.sca));
	sg_gate_evaluate(&f, &r);
	assert_says(clause(&r, "sca"), "no SBOM recorded for product shop");
}

/* An SBOM whose generator is not named still counts, and says so. */
static void test_sca_unknown_tool(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_sca_policy(&p);
	make_sca_facts(&f, &p);
	f.sca.tool[0] = '\0';
	f.sca.commit[0] = '\0';
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "sca")->status, SG_CLAUSE_PASS);
	assert_says(clause(&r, "sca"), "SBOM scan 12 (unknown tool) at 2025-11-28T12:00:00Z, within 30 days");
}

/* Without sca in the policy, no clause sca, whatever the facts say. */
static void test_sca_disabled(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	sg_gate_evaluate(&f, &r);
	assert_null(clause(&r, "sca"));
	assert_int_equal(r.n_clauses, 3);
	assert_int_equal(r.blocked, 0);
}

/* "A clause the policy does not enable is not reported." */
static void test_sast_disabled_one_clause(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	p.sast.enabled = 0;
	make_facts(&f, &p);
	memset(&f.sast, 0, sizeof(f.sast));
	f.release = "1.4.0";
	f.release_commit = COMMIT;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 2);
	assert_null(clause(&r, "sast"));
	assert_non_null(clause(&r, "remediate.release"));
	assert_non_null(clause(&r, "exceptions"));
	assert_int_equal(r.blocked, 0);
}

/* A policy that blocks no severity lets even criticals through. */
static void test_empty_block_set_passes(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	p.block_release = 0;
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_CRITICAL] = 4;
	f.open_by_severity[SG_SEV_HIGH] = 4;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.blocking_total, 0);
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_PASS);
	assert_reasons_everywhere(&r);
}

/* Both clauses failing: blocked, each with its own reason. */
static void test_both_fail(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_CRITICAL] = 1;
	memset(&f.sast, 0, sizeof(f.sast));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_FAIL);
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_FAIL);
	assert_reasons_everywhere(&r);
}

/* The result is reset on each call: no clause left over from an earlier one. */
static void test_result_is_reset(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	memset(&r, 0x5a, sizeof(r));
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 3);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.blocking_total, 0);
	assert_int_equal(r.waived_total, 0);
}

/* The clauses come in a fixed order: remediate.release, exceptions,
 * remediate.sla (when the policy has sla_days), sast and sca (when required). */
static void test_clause_order(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;

	(void)state;
	make_sca_policy(&p);
	p.sla_enabled = 1;
	p.sla_days[SG_SEV_HIGH] = 30;
	make_sca_facts(&f, &p);
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 5);
	assert_string_equal(r.clauses[0].id, "remediate.release");
	assert_string_equal(r.clauses[1].id, "exceptions");
	assert_string_equal(r.clauses[2].id, "remediate.sla");
	assert_string_equal(r.clauses[3].id, "sast");
	assert_string_equal(r.clauses[4].id, "sca");
	assert_reasons_everywhere(&r);

	p.sast.enabled = 0;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 4);
	assert_string_equal(r.clauses[2].id, "remediate.sla");
	assert_string_equal(r.clauses[3].id, "sca");

	p.sca.enabled = 0;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 3);
	assert_string_equal(r.clauses[2].id, "remediate.sla");

	p.sla_enabled = 0;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.n_clauses, 2);
	assert_string_equal(r.clauses[0].id, "remediate.release");
	assert_string_equal(r.clauses[1].id, "exceptions");
}

/* Every blocking finding waived by an approved exception: the clause is
 * waived, not failed, and the release may ship. */
static void test_all_waived(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_CRITICAL] = 1;
	f.open_by_severity[SG_SEV_HIGH] = 2;
	f.waived_by_severity[SG_SEV_CRITICAL] = 1;
	f.waived_by_severity[SG_SEV_HIGH] = 2;
	f.n_waivers = 2;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.blocking_total, 0);
	assert_int_equal(r.waived_total, 3);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_WAIVED);
	assert_int_equal(c->n_reasons, 1);
	assert_says(c, "every open critical or high finding (3) is waived by an approved exception");
	c = clause(&r, "exceptions");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "2 active exceptions, each approved by the cto role");
	assert_reasons_everywhere(&r);

	/* One exception: singular. */
	f.n_waivers = 1;
	sg_gate_evaluate(&f, &r);
	assert_says(clause(&r, "exceptions"), "1 active exception, approved by the cto role");
}

/* Some blockers waived, some not: the clause fails on the rest and says how
 * many more are waived. */
static void test_some_waived(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_CRITICAL] = 1;
	f.open_by_severity[SG_SEV_HIGH] = 3;
	f.waived_by_severity[SG_SEV_HIGH] = 2;
	f.n_waivers = 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(r.blocking_total, 2);
	assert_int_equal(r.waived_total, 2);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "2 open findings at critical or high severity block the release (1 critical, 1 high)");
	assert_says(c, "2 more are waived by approved exceptions");
	assert_int_equal(clause(&r, "exceptions")->status, SG_CLAUSE_PASS);

	/* One more waived: "is". */
	f.waived_by_severity[SG_SEV_HIGH] = 3;
	f.waived_by_severity[SG_SEV_CRITICAL] = 0;
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_int_equal(r.blocking_total, 1);
	assert_says(c, "1 open finding at critical or high severity blocks the release (1 critical)");
	assert_says(c, "3 more are waived");
	f.waived_by_severity[SG_SEV_HIGH] = 1;
	sg_gate_evaluate(&f, &r);
	assert_says(clause(&r, "remediate.release"), "1 more is waived by approved exceptions");
}

/* Waivers of findings at severities that do not block change nothing. */
static void test_waived_non_blocking(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_MEDIUM] = 5;
	f.waived_by_severity[SG_SEV_MEDIUM] = 5;
	f.n_waivers = 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	assert_int_equal(r.waived_total, 0);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "no open critical or high findings");
	assert_false(says(c, "waived"));
}

/* A waiver whose signature fails fails clause exceptions, with its reason. */
static void test_bad_signature_fails_exceptions(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.n_bad_signatures = 2;
	snprintf(f.bad_signatures[0], sizeof(f.bad_signatures[0]),
		 "exception 3: the approval signature does not verify against key 0011223344556677 of ana");
	snprintf(f.bad_signatures[1], sizeof(f.bad_signatures[1]), "exception 9: key 8899aabbccddeeff of bob is not registered");
	f.n_waivers = 1;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "exceptions");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_int_equal(c->n_reasons, 2);
	assert_string_equal(c->reasons[0],
			    "exception 3: the approval signature does not verify against key 0011223344556677 of ana");
	assert_string_equal(c->reasons[1], "exception 9: key 8899aabbccddeeff of bob is not registered");
	/* The other clauses are decided on their own facts. */
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_PASS);
	assert_int_equal(clause(&r, "sast")->status, SG_CLAUSE_PASS);
	assert_reasons_everywhere(&r);

	/* A reason holding "%" is copied, never read as a format. */
	f.n_bad_signatures = 1;
	snprintf(f.bad_signatures[0], sizeof(f.bad_signatures[0]), "exception 4: %%s%%n by 100%%");
	sg_gate_evaluate(&f, &r);
	assert_string_equal(clause(&r, "exceptions")->reasons[0], "exception 4: %s%n by 100%");
}

/* Lapsed exceptions (expired, revoked) name the findings that block again. */
static void test_lapsed_block_again(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_HIGH] = 3;
	f.n_lapsed = 2;
	snprintf(f.lapsed[0].text, sizeof(f.lapsed[0].text), "exception 12 expired on 2025-11-01");
	f.lapsed[0].findings = 1;
	snprintf(f.lapsed[1].text, sizeof(f.lapsed[1].text),
		 "exception 14 was revoked by ana at 2025-11-20T10:00:00Z");
	f.lapsed[1].findings = 2;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_says(c, "1 finding blocks again: exception 12 expired on 2025-11-01");
	assert_says(c, "2 findings block again: exception 14 was revoked by ana at 2025-11-20T10:00:00Z");

	/* Nothing blocking (the lapsed ones are fixed or waived otherwise): no
	 * "block again" reason. */
	f.open_by_severity[SG_SEV_HIGH] = 0;
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_false(says(c, "again"));
	f.open_by_severity[SG_SEV_HIGH] = 3;
	f.waived_by_severity[SG_SEV_HIGH] = 3;
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->status, SG_CLAUSE_WAIVED);
	assert_false(says(c, "again"));
}

/* However many reasons there are, a clause keeps at most SG_GATE_MAX_REASONS. */
static void test_reasons_capped(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;
	int i;

	(void)state;
	make_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_HIGH] = 9;
	f.waived_by_severity[SG_SEV_HIGH] = 1;
	f.n_lapsed = SG_GATE_MAX_REASONS;
	for (i = 0; i < SG_GATE_MAX_REASONS; i++) {
		snprintf(f.lapsed[i].text, sizeof(f.lapsed[i].text), "exception %d expired on 2025-11-01", i + 1);
		f.lapsed[i].findings = 1;
	}
	f.n_bad_signatures = SG_GATE_MAX_REASONS;
	for (i = 0; i < SG_GATE_MAX_REASONS; i++)
		snprintf(f.bad_signatures[i], sizeof(f.bad_signatures[i]), "exception %d: bad", i + 1);
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.release");
	assert_int_equal(c->n_reasons, SG_GATE_MAX_REASONS);
	assert_says(c, "8 open findings");
	assert_says(c, "exception 6 expired");
	assert_false(says(c, "exception 7 expired"));
	assert_int_equal(clause(&r, "exceptions")->n_reasons, SG_GATE_MAX_REASONS);
	for (i = 0; i < r.n_clauses; i++)
		assert_true(r.clauses[i].n_reasons <= SG_GATE_MAX_REASONS);
}

static void make_sla_policy(struct sg_policy *p)
{
	make_policy(p);
	p->sla_enabled = 1;
	p->sla_days[SG_SEV_CRITICAL] = 7;
	p->sla_days[SG_SEV_HIGH] = 30;
	p->sla_days[SG_SEV_MEDIUM] = 90;
	p->sla_days[SG_SEV_LOW] = 180;
}

/* remediate.sla with nothing overdue passes; without sla_days it is not reported. */
static void test_sla_pass(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sla_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_MEDIUM] = 4;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	c = clause(&r, "remediate.sla");
	assert_non_null(c);
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_int_equal(c->n_reasons, 1);
	assert_says(c, "no finding at a blocking severity is past its due date");

	p.sla_enabled = 0;
	f.overdue[SG_SEV_HIGH] = 5; /* facts the policy does not ask about */
	sg_gate_evaluate(&f, &r);
	assert_null(clause(&r, "remediate.sla"));
	assert_int_equal(r.blocked, 0);
}

/* An overdue finding at a blocking severity fails the clause, naming the oldest. */
static void test_sla_overdue_blocking_fails(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sla_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_HIGH] = 2;
	f.waived_by_severity[SG_SEV_HIGH] = 2; /* waived for remediate.release ... */
	f.n_waivers = 1;
	f.overdue[SG_SEV_HIGH] = 1;            /* ... but facts say one is overdue */
	f.oldest_overdue_id[SG_SEV_HIGH] = 17;
	f.oldest_overdue_due[SG_SEV_HIGH] = NOW - 3 * DAY; /* 2025-11-26 */
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 1);
	assert_int_equal(clause(&r, "remediate.release")->status, SG_CLAUSE_WAIVED);
	c = clause(&r, "remediate.sla");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_string_equal(c->reasons[0], "1 high finding is overdue; the oldest, #17, was due 2025-11-26 (sla_days 30)");
	assert_false(says(c, "no finding at a blocking severity"));

	f.overdue[SG_SEV_CRITICAL] = 3;
	f.oldest_overdue_id[SG_SEV_CRITICAL] = 4;
	f.oldest_overdue_due[SG_SEV_CRITICAL] = NOW - 40 * DAY; /* 2025-10-20 */
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.sla");
	assert_int_equal(c->status, SG_CLAUSE_FAIL);
	assert_int_equal(c->n_reasons, 2);
	/* Gravest first. */
	assert_string_equal(c->reasons[0], "3 critical findings are overdue; the oldest, #4, was due 2025-10-20 (sla_days 7)");
	assert_string_equal(c->reasons[1], "1 high finding is overdue; the oldest, #17, was due 2025-11-26 (sla_days 30)");
}

/* Overdue findings at severities that do not block are reported, and pass. */
static void test_sla_overdue_non_blocking_passes(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sla_policy(&p);
	make_facts(&f, &p);
	f.open_by_severity[SG_SEV_MEDIUM] = 3;
	f.open_by_severity[SG_SEV_LOW] = 1;
	f.overdue[SG_SEV_MEDIUM] = 3;
	f.oldest_overdue_id[SG_SEV_MEDIUM] = 21;
	f.oldest_overdue_due[SG_SEV_MEDIUM] = NOW - 10 * DAY; /* 2025-11-19 */
	f.overdue[SG_SEV_LOW] = 1;
	f.oldest_overdue_id[SG_SEV_LOW] = 2;
	f.oldest_overdue_due[SG_SEV_LOW] = NOW - DAY;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(r.blocked, 0);
	c = clause(&r, "remediate.sla");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "no finding at a blocking severity is past its due date");
	assert_says(c, "3 medium findings are overdue; the oldest, #21, was due 2025-11-19 (sla_days 90)");
	assert_says(c, "1 low finding is overdue; the oldest, #2, was due 2025-11-28 (sla_days 180)");

	/* A policy that blocks medium too fails on the same facts. */
	p.block_release |= 1u << SG_SEV_MEDIUM;
	sg_gate_evaluate(&f, &r);
	assert_int_equal(clause(&r, "remediate.sla")->status, SG_CLAUSE_FAIL);
	assert_int_equal(r.blocked, 1);
}

/* Findings due soon are counted over every severity; they never fail the clause. */
static void test_sla_due_soon(void **state)
{
	struct sg_policy p;
	struct sg_gate_facts f;
	struct sg_gate_result r;
	const struct sg_clause_result *c;

	(void)state;
	make_sla_policy(&p);
	make_facts(&f, &p);
	f.due_soon[SG_SEV_CRITICAL] = 1;
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.sla");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_says(c, "1 finding due within 7 days");
	f.due_soon[SG_SEV_HIGH] = 2;
	f.due_soon[SG_SEV_LOW] = 4;
	sg_gate_evaluate(&f, &r);
	c = clause(&r, "remediate.sla");
	assert_int_equal(c->status, SG_CLAUSE_PASS);
	assert_int_equal(r.blocked, 0);
	assert_says(c, "7 findings due within 7 days");
	/* No due-soon reason when none is due soon. */
	memset(f.due_soon, 0, sizeof(f.due_soon));
	sg_gate_evaluate(&f, &r);
	assert_false(says(clause(&r, "remediate.sla"), "due within"));
}

static void test_clause_status_names(void **state)
{
	(void)state;
	assert_string_equal(sg_clause_status_name(SG_CLAUSE_PASS), "pass");
	assert_string_equal(sg_clause_status_name(SG_CLAUSE_FAIL), "fail");
	assert_string_equal(sg_clause_status_name(SG_CLAUSE_WAIVED), "waived");
	assert_string_equal(sg_clause_status_name(SG_CLAUSE_NOT_APPLICABLE), "not_applicable");
}

static void test_policy_blocks(void **state)
{
	struct sg_policy p;

	(void)state;
	make_policy(&p);
	assert_true(sg_policy_blocks(&p, SG_SEV_CRITICAL));
	assert_true(sg_policy_blocks(&p, SG_SEV_HIGH));
	assert_false(sg_policy_blocks(&p, SG_SEV_MEDIUM));
	assert_false(sg_policy_blocks(&p, SG_SEV_LOW));
	assert_false(sg_policy_blocks(&p, SG_SEV_INFO));
}

/* "The policy may override per rule or per tool": the rule-specific entry wins,
 * whichever comes first. */
static void test_override_rule_wins(void **state)
{
	struct sg_severity_override o[2];
	struct sg_policy p;
	int order;

	(void)state;
	for (order = 0; order < 2; order++) {
		make_policy(&p);
		memset(o, 0, sizeof(o));
		snprintf(o[order].tool, sizeof(o[order].tool), "Flawfinder");
		o[order].severity = SG_SEV_MEDIUM;
		snprintf(o[!order].tool, sizeof(o[!order].tool), "Flawfinder");
		snprintf(o[!order].rule, sizeof(o[!order].rule), "FF1004");
		o[!order].severity = SG_SEV_LOW;
		p.overrides = o;
		p.n_overrides = 2;
		assert_int_equal(sg_policy_severity(&p, "Flawfinder", "FF1004", SG_SEV_CRITICAL),
				 SG_SEV_LOW);
		assert_int_equal(sg_policy_severity(&p, "Flawfinder", "FF1001", SG_SEV_CRITICAL),
				 SG_SEV_MEDIUM);
		/* Another tool's rule of the same name is not matched. */
		assert_int_equal(sg_policy_severity(&p, "Semgrep", "FF1004", SG_SEV_HIGH),
				 SG_SEV_HIGH);
	}
}

static void test_override_none_matches(void **state)
{
	struct sg_severity_override o[1];
	struct sg_policy p;

	(void)state;
	make_policy(&p);
	assert_int_equal(sg_policy_severity(&p, "T", "R", SG_SEV_HIGH), SG_SEV_HIGH);
	memset(o, 0, sizeof(o));
	snprintf(o[0].tool, sizeof(o[0].tool), "T");
	snprintf(o[0].rule, sizeof(o[0].rule), "R1");
	o[0].severity = SG_SEV_INFO;
	p.overrides = o;
	p.n_overrides = 1;
	assert_int_equal(sg_policy_severity(&p, "T", "R2", SG_SEV_HIGH), SG_SEV_HIGH);
	assert_int_equal(sg_policy_severity(&p, "t", "R1", SG_SEV_HIGH), SG_SEV_HIGH);
	assert_int_equal(sg_policy_severity(&p, "T", "R1", SG_SEV_HIGH), SG_SEV_INFO);
}

/* An override can raise a severity as well as lower it. */
static void test_override_raises(void **state)
{
	struct sg_severity_override o[1];
	struct sg_policy p;

	(void)state;
	make_policy(&p);
	memset(o, 0, sizeof(o));
	snprintf(o[0].tool, sizeof(o[0].tool), "gitleaks");
	o[0].severity = SG_SEV_CRITICAL;
	p.overrides = o;
	p.n_overrides = 1;
	assert_int_equal(sg_policy_severity(&p, "gitleaks", "aws-key", SG_SEV_LOW), SG_SEV_CRITICAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_pass),
		cmocka_unit_test(test_one_high_blocks),
		cmocka_unit_test(test_blocking_total_sums),
		cmocka_unit_test(test_medium_only_passes),
		cmocka_unit_test(test_release_without_scan_fails),
		cmocka_unit_test(test_release_with_scan_passes),
		cmocka_unit_test(test_stale_scan_fails),
		cmocka_unit_test(test_scan_age_boundary),
		cmocka_unit_test(test_no_scan_at_all_fails),
		cmocka_unit_test(test_sast_disabled_one_clause),
		cmocka_unit_test(test_sca_release_with_sbom_passes),
		cmocka_unit_test(test_sca_release_without_sbom_fails),
		cmocka_unit_test(test_sca_without_release),
		cmocka_unit_test(test_sca_release_by_age),
		cmocka_unit_test(test_sca_unknown_tool),
		cmocka_unit_test(test_sca_disabled),
		cmocka_unit_test(test_empty_block_set_passes),
		cmocka_unit_test(test_both_fail),
		cmocka_unit_test(test_result_is_reset),
		cmocka_unit_test(test_clause_order),
		cmocka_unit_test(test_all_waived),
		cmocka_unit_test(test_some_waived),
		cmocka_unit_test(test_waived_non_blocking),
		cmocka_unit_test(test_bad_signature_fails_exceptions),
		cmocka_unit_test(test_lapsed_block_again),
		cmocka_unit_test(test_reasons_capped),
		cmocka_unit_test(test_sla_pass),
		cmocka_unit_test(test_sla_overdue_blocking_fails),
		cmocka_unit_test(test_sla_overdue_non_blocking_passes),
		cmocka_unit_test(test_sla_due_soon),
		cmocka_unit_test(test_clause_status_names),
		cmocka_unit_test(test_policy_blocks),
		cmocka_unit_test(test_override_rule_wins),
		cmocka_unit_test(test_override_none_matches),
		cmocka_unit_test(test_override_raises),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
