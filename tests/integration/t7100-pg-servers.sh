#!/usr/bin/env bash
# Two `shipgate serve` on ONE PostgreSQL store (docs/api.md "Uploads"): the
# store's advisory write lock serialises writers across processes, as the
# server's own lock does within one.
# - 20 uploads at once into one product, 10 through each server, of 10
#   overlapping result sets, each set twice: sets 0-3 twice with one commit
#   (one scan and one duplicate, whichever server got there first), sets 4-9
#   with two commits (two scans); and 2 CLI ingests of another tool into the
#   same product meanwhile. Every upload is answered 200/201, no scan is lost
#   or doubled, every result is one finding, the product is created once,
#   the open findings are exactly the last scan's, and the counts of the scans,
#   the findings and their events add up.
# - 16 triages at once, 8 through each server, of 16 findings.
# - The ledger is one linear chain (seq 1..N, each event follows the one
#   before, none forks) and `audit verify` passes.
# - Both servers give the same gate and findings answers, and the CLI agrees.
#
# PostgreSQL: a database of its own on the suite's cluster ($SG_TEST_PG_URL,
# scripts/test.sh) if there is one, else a cluster of its own
# (tests/lib/pgcluster.sh); the store in a schema of it.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"
. "$ROOT/tests/lib/pgcluster.sh"

PGDIR=$TEST_DIR/pg
SCHEMA=sg_t7100_$$
SHARED_URL=${SG_TEST_PG_URL:-} # the suite's cluster: a base URL, no database
SHARED_DB=sg_t7100_$$
PSQL=psql
[ -n "${SG_TEST_PG_BIN:-}" ] && PSQL=$SG_TEST_PG_BIN/psql
chmod 711 "$TEST_DIR" # the postgres user must reach $PGDIR
cleanup() {
	server_cleanup
	if [ -n "$SHARED_URL" ]; then
		pq "$SHARED_URL/postgres" "DROP DATABASE IF EXISTS $SHARED_DB WITH (FORCE)" >/dev/null 2>&1
	fi
	pg_cluster_stop "$PGDIR"
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT
pq() { "$PSQL" -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
with_param() { case "$1" in *\?*) printf '%s&%s' "$1" "$2" ;; *) printf '%s?%s' "$1" "$2" ;; esac; }

if [ -n "$SHARED_URL" ]; then
	pq "$SHARED_URL/postgres" "CREATE DATABASE $SHARED_DB" || { not_ok "CREATE DATABASE $SHARED_DB on \$SG_TEST_PG_URL"; exit 1; }
	BASE_URL=$SHARED_URL/$SHARED_DB
else
	if ! PG_FAST=1 pg_cluster_start "$PGDIR" >"$TEST_DIR/pgcluster.log" 2>&1; then
		not_ok "a PostgreSQL cluster starts (tests/lib/pgcluster.sh)"
		sed 's/^/#   /' "$TEST_DIR/pgcluster.log"
		exit 1
	fi
	pg_cluster_create_db t7100 || { not_ok "createdb t7100"; exit 1; }
	BASE_URL="postgresql:///t7100?host=$PG_SOCK&port=$PG_PORT&user=postgres"
fi
pq "$BASE_URL" "CREATE SCHEMA $SCHEMA" || { not_ok "CREATE SCHEMA $SCHEMA"; exit 1; }
export SHIPGATE_DB
SHIPGATE_DB=$(with_param "$BASE_URL" "options=-csearch_path%3D$SCHEMA")
rows() { pq "$SHIPGATE_DB" "$1"; }
verify_ok() { # verify_ok AFTER-WHAT
	local out rc
	out=$("$SG_BIN" audit verify 2>&1)
	rc=$?
	if [ $rc = 0 ]; then ok "audit verify passes after $1"; else
		not_ok "audit verify passes after $1 (exit $rc)"
		printf '%s\n' "$out" | head -3 | sed 's/^/#   /'
	fi
}
# The ledger is one chain: seq 1..N without a gap, the first after zeros,
# each event's prev_hash the hash of the one before, no two events after the
# same one (a fork).
chain_ok() { # chain_ok AFTER-WHAT
	local why
	"$SG_BIN" audit log --format json >"$TEST_DIR/audit.json" 2>"$TEST_DIR/audit.err"
	if why=$(python3 - "$TEST_DIR/audit.json" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d, "an empty ledger"
seqs = [e["seq"] for e in d]
assert seqs == list(range(1, len(d) + 1)), "seq is not 1..%d: %r" % (len(d), [s for i, s in enumerate(seqs) if s != i + 1][:5])
assert d[0]["prev_hash"] == "0" * 64, "the first event does not follow zeros"
bad = [e["seq"] for i, e in enumerate(d[1:], 1) if e["prev_hash"] != d[i - 1]["hash"]]
assert not bad, "events not following the one before: %r" % bad[:5]
prev = [e["prev_hash"] for e in d]
assert len(set(prev)) == len(prev), "two events follow the same event (a fork)"
assert len(set(e["hash"] for e in d)) == len(d), "two events have the same hash"
print(len(d))
EOF
	); then ok "the ledger is one linear chain after $1 ($why events)"; else
		not_ok "the ledger is one linear chain after $1"
		printf '%s\n' "$why" | tail -2 | sed 's/^/#   /'
	fi
}

sg init
expect_rc 0 "init on PostgreSQL"
for u in dev:developer boss:admin; do
	sg user add "${u%%:*}" --role "${u#*:}"
	expect_rc 0 "user add ${u%%:*}"
done
sg user grant dev --product conc
expect_rc 0 "user grant dev --product conc (the product is not created yet)"
sg token create --user dev
TOKEN=$SG_OUT
sg token create --user boss
ADMIN=$SG_OUT
check "two tokens" test -n "$TOKEN" -a -n "$ADMIN"

# The servers' spool files go to $SPOOL, where this test can count them.
SPOOL=$TEST_DIR/spool
mkdir -p "$SPOOL"
spooling() { # how many uploads the two servers are receiving now
	local fd
	for fd in /proc/"$A_PID"/fd/* /proc/"$B_PID"/fd/*; do
		case "$(readlink "$fd" 2>/dev/null)" in "$SPOOL"/*) echo ;; esac
	done | wc -l
}
TMPDIR=$SPOOL start_server --rate-limit 0 || exit 1
A_URL=$SERVER_URL
A_PID=$SERVER_PID
A_LOG=$SERVER_LOG
TMPDIR=$SPOOL start_server --rate-limit 0 || exit 1
B_URL=$SERVER_URL
B_PID=$SERVER_PID
B_LOG=$SERVER_LOG
ok "two servers on one PostgreSQL store: $A_URL and $B_URL"
expect_eq "$(rows "SELECT count(*) FROM product")" "0" "no product yet: the uploads will race to create it"

# =====================================================================================
# 20 uploads and 2 CLI ingests at once
# =====================================================================================
# Set i (0..9) holds results i*50 .. i*50+199 of ConcTool's 650: neighbours
# overlap by 150. The CLI's two logs are of OtherTool (another view): 0..99
# and 50..149.
python3 - <<'EOF'
import hashlib, json
def result(k, tool):
    return {"ruleId": "%s%03d" % (tool[0], k), "level": "error" if k % 7 == 0 else "warning",
            "message": {"text": "result %d" % k},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/m%d.c" % (k % 13)},
                                                 "region": {"startLine": k + 1, "snippet": {"text": "call_%d(x)" % k}}}}]}
def log(tool, ks):
    return json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": tool}},
                                                    "results": [result(k, tool) for k in ks]}]}).encode()
sums = {}
for i in range(10):
    data = log("ConcTool", range(i * 50, i * 50 + 200))
    open("set%d.sarif" % i, "wb").write(data)
    sums[hashlib.sha256(data).hexdigest()] = sorted("C%03d" % k for k in range(i * 50, i * 50 + 200))
for j, ks in enumerate((range(0, 100), range(50, 150))):
    data = log("OtherTool", ks)
    open("cli%d.sarif" % j, "wb").write(data)
    sums[hashlib.sha256(data).hexdigest()] = sorted("O%03d" % k for k in ks)
json.dump(sums, open("sets.json", "w"))
EOF
pids=()
for i in 0 1 2 3 4 5 6 7 8 9; do
	for twin in a b; do
		if [ "$i" -lt 4 ]; then c=$(commit_of "set$i"); else c=$(commit_of "set$i$twin"); fi
		if [ "$twin" = a ]; then url=$A_URL; else url=$B_URL; fi
		# about two seconds of body each: all 20 are in the servers at once
		curl -s -S --max-time 120 --limit-rate 20K -X POST -H "Authorization: Bearer $TOKEN" \
			--data-binary @"set$i.sarif" -o "up.$i$twin.json" -w '%{http_code}' \
			"$url/api/v1/products/conc/sarif?commit=$c" >"up.$i$twin.code" 2>"up.$i$twin.err" &
		pids+=($!)
	done
done
sleep 1
cli_pids=()
for j in 0 1; do
	"$SG_BIN" ingest sarif "cli$j.sarif" --product conc --commit "$(commit_of "cli$j")" >"cli$j.out" 2>"cli$j.err" &
	cli_pids+=($!)
done
# While they run: how many sessions of the two servers and the CLI wait on
# the store's write lock at once (proof that they did meet there).
most_waiting=0
most_spooling=0
alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while alive "${pids[@]}" "${cli_pids[@]}"; do
	n=$(spooling)
	[ "$n" -gt "$most_spooling" ] && most_spooling=$n
	n=$(rows "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 2>/dev/null)
	[ "${n:-0}" -gt "$most_waiting" ] && most_waiting=$n
	sleep 0.05
done
wait "${pids[@]}"
cli_rc=0
for p in "${cli_pids[@]}"; do wait "$p" || cli_rc=$?; done
echo "# at most $most_waiting sessions waited on the advisory write lock at once"
check "the uploads were in the two servers at the same time: $most_spooling at most receiving at once" \
	test "$most_spooling" -ge 16
codes=$(for i in 0 1 2 3 4 5 6 7 8 9; do for t in a b; do printf '%s ' "$(cat "up.$i$t.code")"; done; done)
echo "# statuses: $codes"
check "every one of the 20 uploads is answered 200 or 201 (none 5xx, none cut off)" \
	bash -c 'for c in $1; do [ "$c" = 200 ] || [ "$c" = 201 ] || exit 1; done' _ "$codes"
for f in up.*.code; do
	case "$(cat "$f")" in 200 | 201) ;; *) echo "# ${f%.code}: HTTP $(cat "$f"): $(head -c 300 "${f%.code}.err" "${f%.code}.json" 2>/dev/null | tr '\n' ' ')" ;; esac
done
expect_eq "$cli_rc" 0 "the two CLI ingests meanwhile exit 0"
for i in 0 1 2 3; do
	expect_eq "$(printf '%s\n' "$(cat "up.${i}a.code")" "$(cat "up.${i}b.code")" | sort | tr -d '\n')" "200201" \
		"set $i through both servers with one commit: one 201, one 200"
	check "... the 200 is a duplicate of the 201's scan" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
new, dup = (a, b) if not a["files"][0]["duplicate"] else (b, a)
assert new["files"][0]["duplicate"] is False and dup["files"][0]["duplicate"] is True, (a, b)
assert dup["files"][0]["duplicate_of"] == new["files"][0]["scan"], (a, b)' "up.${i}a.json" "up.${i}b.json"
done
for i in 4 5 6 7 8 9; do
	expect_eq "$(cat "up.${i}a.code" "up.${i}b.code" | tr -d '\n')" "201201" "set $i through both servers with two commits: two 201s"
done
# Every scan an answer names is in the store, each named once, and no other.
python3 - >answered.scans <<'EOF'
import glob, json
for f in sorted(glob.glob("up.*.json")):
    d = json.load(open(f))
    for x in d["files"]:
        if not x["duplicate"]:
            print(x["scan"])
EOF
expect_eq "$(sort -n answered.scans | uniq -d)" "" "no two answers name the same scan"
expect_eq "$(sort -n answered.scans | paste -sd' ')" \
	"$(rows "SELECT string_agg(s.id::text, ' ' ORDER BY s.id) FROM scan s WHERE s.tool = 'ConcTool'")" \
	"the ConcTool scans in the store are exactly the 16 the answers name"
expect_eq "$(rows "SELECT count(*) FROM product WHERE name = 'conc'")" 1 "the product raced for is created once"
expect_eq "$(rows "SELECT count(*) FROM scan s JOIN product p ON p.id = s.product_id WHERE p.name = 'conc'")" 18 \
	"the store has 18 scans: one per non-duplicate upload (4 + 12) and the 2 CLI ingests"
expect_eq "$(rows "SELECT count(*) FROM ingest")" 18 "... and 18 ingests: a duplicate wrote none"
expect_eq "$(rows "SELECT count(DISTINCT commit_sha) FROM scan")" 18 "... each of its own commit"
expect_eq "$(rows "SELECT count(*) FROM scan WHERE tool = 'ConcTool' AND result_count <> 200")" 0 "... each upload of 200 results"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE tool = 'ConcTool'")" 650 "the 650 results of the 10 sets are 650 findings"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE tool = 'OtherTool'")" 150 "the CLI's 150 results are 150 findings"
expect_eq "$(rows "SELECT count(DISTINCT fingerprint) || ' ' || count(DISTINCT rule) FROM finding")" "800 800" \
	"no two findings share a fingerprint or a result"
# The open findings of each view are exactly the results of its last scan.
for tool in ConcTool OtherTool; do
	LAST=$(rows "SELECT encode(artifact_sha256, 'hex') FROM scan WHERE tool = '$tool' ORDER BY id DESC LIMIT 1")
	rows "SELECT rule FROM finding WHERE tool = '$tool' AND status = 'open' ORDER BY rule" >"open.$tool"
	check "$tool: the open findings are exactly the results of its last scan" python3 -c '
import json, sys
want = json.load(open("sets.json"))[sys.argv[1]]
got = open(sys.argv[2]).read().split()
assert got == want, (len(got), len(want))' "$LAST" "open.$tool"
done
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'fixed'")" $((450 + 50)) "the other 500 are fixed"
# The counts add up: each scan's counts are the events it caused.
expect_eq "$(rows "SELECT sum(new_count) FROM scan")" 800 "the scans' new counts add up to the findings (800)"
expect_eq "$(rows "SELECT count(*) FROM finding f WHERE f.first_seen_scan IN (SELECT id FROM scan)")" 800 "... each finding first seen by a scan in the store"
expect_eq "$(rows "SELECT (SELECT sum(fixed_count) FROM scan) || ' ' || (SELECT sum(reopened_count) FROM scan)")" \
	"$(rows "SELECT (SELECT count(*) FROM finding_event WHERE event = 'fixed') || ' ' || (SELECT count(*) FROM finding_event WHERE event = 'reopened')")" \
	"the scans' fixed and reopened counts are the 'fixed' and 'reopened' events"
expect_eq "$(rows "SELECT count(*) FROM scan s WHERE s.new_count <> (SELECT count(*) FROM finding f WHERE f.first_seen_scan = s.id) OR s.reopened_count <> (SELECT count(*) FROM finding_event e WHERE e.scan_id = s.id AND e.event = 'reopened') OR s.fixed_count <> (SELECT count(*) FROM finding_event e WHERE e.scan_id = s.id AND e.event = 'fixed')")" \
	0 "... scan by scan: new are the findings it saw first, reopened and fixed its events"
expect_eq "$(rows "SELECT count(*) FROM finding f WHERE (f.status = 'open') <> ((SELECT count(*) FILTER (WHERE event = 'reopened') - count(*) FILTER (WHERE event = 'fixed') FROM finding_event e WHERE e.finding_id = f.id) = 0)")" \
	0 "every finding's status is what its history says (opened, then fixed and reopened in turn)"
expect_eq "$(rows "SELECT count(*) FROM finding f WHERE f.status = 'open' AND f.last_seen_scan <> (SELECT max(id) FROM scan s WHERE s.tool = f.tool)")" \
	0 "every open finding was last seen by its tool's last scan"
chain_ok "20 uploads and 2 CLI ingests at once"
sg audit log --format json
check "the ledger: one product.create, 18 ingest.sarif events" \
	python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); a = [e["action"] for e in d]; assert a.count("product.create") == 1 and a.count("ingest.sarif") == 18, (a.count("product.create"), a.count("ingest.sarif"))' <<<"$SG_OUT"
verify_ok "20 uploads and 2 CLI ingests at once"

# =====================================================================================
# 16 triages at once through both servers
# =====================================================================================
rows "SELECT id FROM finding WHERE status = 'open' AND tool = 'ConcTool' ORDER BY id LIMIT 16" >triage.ids
expect_eq "$(wc -l <triage.ids)" 16 "16 open findings to triage"
pids=()
n=0
while read -r id; do
	n=$((n + 1))
	if [ $((n % 2)) = 0 ]; then url=$A_URL; else url=$B_URL; fi
	curl -s -S --max-time 60 -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
		--data '{"status": "false_positive", "reason": "triaged through two servers"}' \
		-o "tr.$id.json" -w '%{http_code}' "$url/api/v1/findings/$id/triage" >"tr.$id.code" 2>"tr.$id.err" &
	pids+=($!)
done <triage.ids
wait "${pids[@]}"
expect_eq "$(for f in tr.*.code; do cat "$f"; echo; done | sort | uniq -c | sed 's/^ *//')" "16 200" "every triage is answered 200"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'false_positive'")" 16 "16 findings are false_positive"
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE event = 'triaged'")" 16 "... with one 'triaged' event each"
chain_ok "16 triages at once"
sg audit log --format json
check "the ledger: 16 finding.triage events" \
	python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); assert sum(e["action"] == "finding.triage" for e in d) == 16' <<<"$SG_OUT"
verify_ok "16 triages at once"

# =====================================================================================
# both servers answer alike
# =====================================================================================
API_TOKEN=$TOKEN
same_answer() { # same_answer WHAT PATH: both servers' JSON, evaluated_at aside
	API_BASE=$A_URL api GET "$2"
	local a_status=$API_STATUS
	cp "$API_DIR/body" "$TEST_DIR/a.json"
	API_BASE=$B_URL api GET "$2"
	cp "$API_DIR/body" "$TEST_DIR/b.json"
	if [ "$a_status" = 200 ] && [ "$API_STATUS" = 200 ] && python3 - "$TEST_DIR/a.json" "$TEST_DIR/b.json" <<'EOF'; then
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    if isinstance(d, dict):
        d.pop("evaluated_at", None)
sys.exit(0 if a == b else 1)
EOF
		ok "$1: both servers give the same answer"
	else
		not_ok "$1: both servers give the same answer (HTTP $a_status and $API_STATUS)"
		diff <(python3 -m json.tool "$TEST_DIR/a.json") <(python3 -m json.tool "$TEST_DIR/b.json") | head -10 | sed 's/^/#   /'
	fi
}
same_answer "the gate" /api/v1/products/conc/gate
cp "$TEST_DIR/a.json" gate-a.json
same_answer "the findings list" "/api/v1/products/conc/findings?status=all&per_page=1000"
same_answer "the sla" /api/v1/products/conc/sla
same_answer "a finding" "/api/v1/findings/$(head -1 triage.ids)"
sg gate --product conc --format json
printf '%s\n' "$SG_OUT" >gate-cli.json
check "the CLI's gate agrees: the same verdict, clause statuses and blockers" python3 -c '
import json, sys
a, c = json.load(open("gate-a.json")), json.load(open("gate-cli.json"))
pick = lambda d: (d["verdict"], [(x["id"], x["status"]) for x in d["clauses"]], sorted(b["id"] for b in d["blocking_findings"]), d["blocking_total"])
assert pick(a) == pick(c), (pick(a), pick(c))'
unset API_TOKEN

stop_server "$A_PID"
expect_eq "$SERVER_RC" 0 "server A exits 0 on SIGTERM"
stop_server "$B_PID"
expect_eq "$SERVER_RC" 0 "server B exits 0 on SIGTERM"
check "neither server logged a 5xx answer" bash -c '! grep -h "\"status\":5" "$1" "$2"' _ "$A_LOG" "$B_LOG"
