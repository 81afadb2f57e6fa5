#!/usr/bin/env bash
# `shipgate migrate --from URL --to URL`: a rich SQLite store (SARIF from the
# corpus, OSV records and SBOMs, releases, users and keys, an approved and a
# revoked exception, tokens, grants, jobs) copied to PostgreSQL and back.
# The copy verifies (`audit verify`), gives the same answers (gate for each
# product and release, findings, sla, exceptions, tokens, the audit log) and
# takes new writes (its sequences were moved past the copied ids); the round
# trip back to SQLite gives every table back cell for cell. A non-empty
# target is refused and left as it was, a source whose ledger does not
# verify is not copied, and SQLite to SQLite works too.
#
# PostgreSQL: $SG_TEST_PG_URL (scripts/test.sh's cluster; this test makes
# its own schemas in its default database) if set, else a cluster of its own
# (tests/lib/pgcluster.sh).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/lib/pgcluster.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
CLANG=$CORPUS/tools/clang-analyzer/vuln.sarif
GL=$CORPUS/tools/gitleaks/secrets-repo.dir.sarif
DEMO=$ROOT/examples/demo-app/scans/flawfinder.sarif
DEMO_SBOM=$ROOT/examples/demo-app/sbom.cdx.json
DEMO_DB=$ROOT/examples/demo-app/vulndb
FX=$ROOT/tests/integration/fixtures/sca
T0=2030-03-10T12:00:00Z
export SHIPGATE_NOW=$T0
day() { date -u -d "2030-03-10 +$1 days" +%F; }
C1=$(commit_of c1)
C2=$(commit_of c2)
C3=$(commit_of c3)

SRC=$TEST_DIR/store.db # lib.sh's $SHIPGATE_DB
PGDIR=$TEST_DIR/pg
SCHEMA_A=sg_t7300_$$_a
SCHEMA_B=sg_t7300_$$_b
SHARED_URL=${SG_TEST_PG_URL:-}
chmod 711 "$TEST_DIR" # the cluster's directory is under it, for the postgres user
cleanup() {
	if [ -n "$SHARED_URL" ]; then
		psql -XAtq -d "$SHARED_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA_A CASCADE; DROP SCHEMA IF EXISTS $SCHEMA_B CASCADE" \
			>/dev/null 2>&1
	fi
	pg_cluster_stop "$PGDIR"
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

pq() { psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
with_param() { case "$1" in *\?*) printf '%s&%s' "$1" "$2" ;; *) printf '%s?%s' "$1" "$2" ;; esac; }
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
# on DB ARGS...: sg on store DB
on() {
	local db=$1
	shift
	sg --db "$db" "$@"
}

# =====================================================================================
# a rich SQLite store, through the command line
# =====================================================================================
sg init
expect_rc 0 "init"
sg vulndb import "$DEMO_DB"
expect_rc 0 "vulndb import of the demo's OSV records"
sg vulndb import "$CORPUS/osv/ghsa-from-vulndb-testdata"
expect_rc 0 "vulndb import of the corpus's GHSA records"
sg ingest sarif "$DEMO" --product demo --commit "$C1" --release 1.0
expect_rc 0 "ingest the demo SARIF (demo, release 1.0)"
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1" --release 1.0
expect_rc 0 "ingest the demo SBOM (demo, release 1.0)"
sg release create demo 1.0 --commit "$C1"
expect_rc 0 "release create demo 1.0"
sg ingest sarif "$FF" --product demo --commit "$C2"
expect_rc 0 "ingest the corpus flawfinder SARIF as a second commit of demo (fixes, new findings)"
sg ingest sbom "$FX/demo-vex.cdx.json" --product demo --commit "$C2"
expect_rc 0 "ingest an SBOM with VEX statements"
sg release create demo 1.1 --commit "$C2" --build-digest "sha256:$(printf x | sha256sum | cut -c1-64)"
expect_rc 0 "release create demo 1.1 with a build digest"
sg ingest sarif "$CLANG" --product web --commit "$C1"
expect_rc 0 "ingest the clang-analyzer SARIF (web)"
sg ingest sarif "$GL" --product web --commit "$C1" --kind sast --category secrets
expect_rc 0 "ingest the gitleaks SARIF (web, category secrets)"
sg ingest sbom "$FX/go.cdx.json" --product web --commit "$C1"
expect_rc 0 "ingest a Go SBOM (web)"
n_corpus=0
for f in "$CORPUS"/sarif/defectdojo/*.sarif; do
	[ "$n_corpus" -lt 12 ] || break
	sg ingest sarif "$f" --product "corpus-$n_corpus" --commit "$C3"
	# some corpus files are refused on purpose (not SARIF, bad references): the rest make a product each
	[ "$SG_RC" = 0 ] && n_corpus=$((n_corpus + 1))
done
check "twelve SARIF files of the corpus ingested into their own products" test "$n_corpus" = 12
sg findings triage "$(rows "SELECT min(id) FROM finding WHERE status = 'open'")" --status false_positive --reason "test fixture"
expect_rc 0 "findings triage: one finding marked false_positive"

for u in alice:developer carol:cto sam:security; do
	sg user add "${u%%:*}" --role "${u#*:}"
	expect_rc 0 "user add ${u%%:*} --role ${u#*:}"
done
sg key generate --out carol.key
expect_rc 0 "key generate for carol"
sg user key carol --public carol.key.pub
expect_rc 0 "user key carol"
sg exception request --rule Flawfinder:FF1001 --product demo --reason "buffers sized by the caller" --expires "$(day 30)" --as alice
expect_rc 0 "exception request (rule)"
E1=$SG_OUT
sg exception approve "$E1" --as carol --key carol.key
expect_rc 0 "exception approve (an approved exception)"
sg exception request --finding "$(rows "SELECT min(f.id) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'web' AND f.status = 'open'")" \
	--product web --reason "a test key, not a secret" --expires "$(day 60)" --as alice
expect_rc 0 "exception request (finding)"
E2=$SG_OUT
sg exception approve "$E2" --as carol --key carol.key
expect_rc 0 "exception approve (to be revoked)"
sg exception revoke "$E2" --as carol --reason "the key was real after all"
expect_rc 0 "exception revoke (a revoked exception)"
sg exception request --component pkg:npm/lodash --all-products --reason "not reachable" --expires "$(day 10)" --as sam
expect_rc 0 "exception request (component, every product; left pending)"
sg token create --user alice
expect_rc 0 "token create for alice"
TOKEN=$SG_OUT
sg token create --user sam --expires "$(day 90)"
expect_rc 0 "token create for sam, expiring"
sg token revoke "$(rows "SELECT max(id) FROM api_token")"
expect_rc 0 "token revoke"
sg user grant alice --product demo
expect_rc 0 "user grant alice --product demo"
sg user grant alice --product not-yet-ingested
expect_rc 0 "user grant of a product that does not exist yet"
# Jobs run only under `serve`; their tables are filled here as a server
# would, so that the copy carries them too (they are not audited objects).
sqlite3 "$SRC" "INSERT INTO job VALUES ('sla-notify', 3600, 1900000000, 1890000000);
	INSERT INTO job_run VALUES (1, 'sla-notify', 'host-a', 1890000000, 1890000005, 'ok', 'sent 1');
	INSERT INTO job_run VALUES (2, 'sla-notify', 'host-b', 1890003600, NULL, NULL, NULL);
	INSERT INTO sla_notice VALUES ((SELECT min(id) FROM finding), 'overdue', 1, 1890000003);"
check "job, job_run and sla_notice rows (as a server writes them)" test "$(rows "SELECT count(*) FROM job_run")" = 2
sg audit verify
expect_rc 0 "audit verify on the source"
SRC_HEAD=$(sed -n 's/^head //p' <<<"$SG_OUT")

TABLES="product ingest scan finding finding_event release principal principal_key exception audit_event sbom_component sbom_vex vuln vuln_package api_token product_grant job job_run sla_notice"
for t in $TABLES; do
	n=$(rows "SELECT count(*) FROM $t")
	if [ "$n" -eq 0 ]; then not_ok "the source has rows in $t"; fi
done
ok "the source has rows in every table ($(rows "SELECT count(*) FROM finding") findings, $(rows "SELECT count(*) FROM audit_event") audit events)"

# dump DB: every table, every cell as an SQL literal (types told apart: 'x', X'78', 120, NULL)
dump() {
	local t key
	for t in $TABLES; do
		case $t in
		audit_event) key=seq ;; product_grant) key="principal_id, product" ;; job) key=name ;;
		sla_notice) key="finding_id, stage" ;; *) key=id ;;
		esac
		echo "== $t"
		sqlite3 -cmd ".mode quote" "$1" "SELECT * FROM $t ORDER BY $key"
	done
}
dump "$SRC" >src.dump

# =====================================================================================
# refusals
# =====================================================================================
sg migrate --to "sqlite:$TEST_DIR/x.db"
expect_rc 2 "migrate without --from exits 2"
expect_err "--from is required" "migrate without --from says so"
sg migrate --from "sqlite:$SRC" --to "sqlite:$SRC"
expect_rc 2 "migrate onto itself exits 2"
sg migrate --from "sqlite:$TEST_DIR/missing.db" --to "sqlite:$TEST_DIR/x.db"
expect_rc 2 "migrate from a store that does not exist exits 2 [not-found]"
expect_err "[not-found]" "a missing source is [not-found]"
check "a missing source creates no target" test ! -e "$TEST_DIR/x.db"
sg migrate --from "sqlite:$SRC" --to "sqlite:$TEST_DIR/x.db" --format yaml
expect_rc 2 "migrate --format yaml exits 2"

# =====================================================================================
# SQLite to SQLite
# =====================================================================================
sg migrate --from "sqlite:$SRC" --to "sqlite:$TEST_DIR/copy.db"
expect_rc 0 "migrate SQLite to SQLite"
expect_out "audit verify on the copy: ok" "migrate says the copy verifies"
expect_out "finding " "migrate lists rows per table"
dump "$TEST_DIR/copy.db" >copy.dump
check "SQLite to SQLite: every table, cell for cell" cmp -s src.dump copy.dump
on "sqlite:$TEST_DIR/copy.db" audit verify
expect_rc 0 "audit verify on the SQLite copy"
sg migrate --from "sqlite:$SRC" --to "sqlite:$TEST_DIR/copy.db"
expect_rc 2 "migrate into a non-empty SQLite store exits 2"
expect_err "[conflict]" "a non-empty target is [conflict]"
expect_err "not empty" "the refusal says the target is not empty"
dump "$TEST_DIR/copy.db" >copy2.dump
check "the refused migrate wrote nothing" cmp -s copy.dump copy2.dump

# A source whose ledger does not verify is not copied: nothing is kept.
cp "$SRC" "$TEST_DIR/tampered.db"
sqlite3 "$TEST_DIR/tampered.db" "UPDATE finding SET severity = 0 WHERE id = (SELECT max(id) FROM finding)"
sg migrate --from "sqlite:$TEST_DIR/tampered.db" --to "sqlite:$TEST_DIR/from-tampered.db"
expect_rc 1 "migrate of a tampered store exits 1"
expect_err "[audit-broken]" "a copy that does not verify is [audit-broken]"
expect_err "source store does not verify" "the refusal says the source itself does not verify"
expect_eq "$(sqlite3 "$TEST_DIR/from-tampered.db" "SELECT (SELECT count(*) FROM finding) + (SELECT count(*) FROM audit_event)")" "0" \
	"the copy of a tampered store was rolled back: the target holds no rows"

# =====================================================================================
# PostgreSQL
# =====================================================================================
if [ -n "$SHARED_URL" ]; then
	BASE_URL=$SHARED_URL
	echo "# PostgreSQL: \$SG_TEST_PG_URL, schemas $SCHEMA_A and $SCHEMA_B"
elif PG_FAST=1 pg_cluster_start "$PGDIR" >"$TEST_DIR/pgcluster.log" 2>&1 && pg_cluster_create_db t7300; then
	BASE_URL="postgresql:///t7300?host=$PG_SOCK&port=$PG_PORT&user=postgres"
	echo "# PostgreSQL: a cluster of this test's own"
else
	not_ok "a PostgreSQL cluster starts (tests/lib/pgcluster.sh)"
	sed 's/^/#   /' "$TEST_DIR/pgcluster.log"
	exit 1
fi
pq "$BASE_URL" "CREATE SCHEMA $SCHEMA_A; CREATE SCHEMA $SCHEMA_B" || { not_ok "CREATE SCHEMA"; exit 1; }
PGA=$(with_param "$BASE_URL" "options=-csearch_path%3D$SCHEMA_A")
PGB=$(with_param "$BASE_URL" "options=-csearch_path%3D$SCHEMA_B")

sg migrate --from "sqlite:$SRC" --to "$PGA" --format json
expect_rc 0 "migrate SQLite to PostgreSQL"
check "the JSON report lists all 19 tables, their rows add up, and the copy verified" \
	py "t = d['tables']; assert [x['table'] for x in t] == '$TABLES'.split(), t; \
assert sum(x['rows'] for x in t) == d['rows'] > 0; assert d['audit_verify']['ok'] is True; \
assert d['audit_verify']['events'] == $(rows "SELECT count(*) FROM audit_event")"
for t in $TABLES; do
	if [ "$(pq "$PGA" "SELECT count(*) FROM $t")" != "$(rows "SELECT count(*) FROM $t")" ]; then
		not_ok "PostgreSQL table $t has the source's row count"
	fi
done
ok "every PostgreSQL table has the source's row count"
on "$PGA" audit verify
expect_rc 0 "audit verify passes on the PostgreSQL copy"
expect_out "head $SRC_HEAD" "the copy's chain ends at the source's head"

# same_answer WHAT ARGS...: the source and the copy give the same exit status and stdout
same_answer() {
	local what=$1 a b rc_a
	shift
	on "sqlite:$SRC" "$@"
	a=$SG_OUT
	rc_a=$SG_RC
	on "$PGA" "$@"
	b=$SG_OUT
	if [ "$rc_a" = "$SG_RC" ] && [ "$a" = "$b" ]; then
		ok "$what: same answer on the copy (exit $rc_a)"
	else
		not_ok "$what: the copy answers differently (exit $rc_a / $SG_RC)"
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -10 | sed 's/^/#   /'
	fi
}
mapfile -t PRODUCTS < <(rows "SELECT name FROM product ORDER BY name")
for p in "${PRODUCTS[@]}"; do
	same_answer "gate --product $p --format json" gate --product "$p" --format json
	same_answer "findings --product $p --status all --format json" findings --product "$p" --status all --format json
done
same_answer "gate --product demo --release 1.0" gate --product demo --release 1.0 --format json
same_answer "gate --product demo --release 1.1" gate --product demo --release 1.1 --format json
same_answer "gate --product demo (text)" gate --product demo
same_answer "sla --product demo" sla --product demo --format json
same_answer "exception list" exception list --format json
same_answer "token list" token list --format json
same_answer "user list" user list
same_answer "vulndb status" vulndb status --format json
same_answer "audit log" audit log --format json
same_answer "sca explain" sca explain --product demo --purl "$(rows "SELECT purl FROM sbom_component WHERE purl IS NOT NULL ORDER BY id LIMIT 1")" --format json

# PostgreSQL back to SQLite: every table, cell for cell
sg migrate --from "$PGA" --to "sqlite:$TEST_DIR/back.db"
expect_rc 0 "migrate PostgreSQL to SQLite"
dump "$TEST_DIR/back.db" >back.dump
check "the round trip gives every table back, cell for cell (types too)" cmp -s src.dump back.dump
if ! cmp -s src.dump back.dump; then diff src.dump back.dump | head -10 | sed 's/^/#   /'; fi
on "sqlite:$TEST_DIR/back.db" audit verify
expect_rc 0 "audit verify passes after the round trip"

# PostgreSQL to PostgreSQL
sg migrate --from "$PGA" --to "$PGB"
expect_rc 0 "migrate PostgreSQL to PostgreSQL (another schema)"
on "$PGB" audit verify
expect_rc 0 "audit verify on the second PostgreSQL copy"

# The copy takes new writes: its sequences are past the copied ids.
max_finding=$(rows "SELECT max(id) FROM finding")
on "$PGA" ingest sarif "$CLANG" --product demo --commit "$C3"
expect_rc 0 "a new ingest into the PostgreSQL copy"
check "the new scan's id follows the copied ones" test "$(pq "$PGA" "SELECT max(id) FROM scan")" -gt "$(rows "SELECT max(id) FROM scan")"
on "$PGA" ingest sarif "$DEMO" --product brand-new --commit "$C3"
expect_rc 0 "an ingest of a new product into the copy"
check "new findings got ids past the copied ones" test "$(pq "$PGA" "SELECT min(id) FROM finding WHERE id > $max_finding")" = "$((max_finding + 1))"
on "$PGA" user add dave --role viewer
expect_rc 0 "user add on the copy"
on "$PGA" exception request --rule Flawfinder:FF1017 --product demo --reason "after the move" --expires "$(day 20)" --as alice
expect_rc 0 "exception request on the copy"
on "$PGA" token create --user dave
expect_rc 0 "token create on the copy"
on "$PGA" audit verify
expect_rc 0 "audit verify on the copy after new writes"
check "the ledger went on from the copied chain" test "$(pq "$PGA" "SELECT count(*) FROM audit_event")" -gt "$(rows "SELECT count(*) FROM audit_event")"

# Into the now non-empty PostgreSQL store: refused, nothing written.
before=$(pq "$PGA" "SELECT (SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM audit_event)||' '||(SELECT count(*) FROM product)")
sg migrate --from "sqlite:$TEST_DIR/copy.db" --to "$PGA"
expect_rc 2 "migrate into a non-empty PostgreSQL store exits 2"
expect_err "not empty" "the refusal says the target is not empty"
expect_eq "$(pq "$PGA" "SELECT (SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM audit_event)||' '||(SELECT count(*) FROM product)")" \
	"$before" "the refused migrate wrote nothing"
# and after the new writes, still back to SQLite
sg migrate --from "$PGA" --to "sqlite:$TEST_DIR/back2.db"
expect_rc 0 "migrate the grown PostgreSQL store back to SQLite"
on "sqlite:$TEST_DIR/back2.db" audit verify
expect_rc 0 "audit verify on it"
