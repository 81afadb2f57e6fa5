#!/usr/bin/env bash
# SLA deadlines: `shipgate sla` and the gate's clause remediate.sla. A finding
# is due sla_days[severity] after it was first detected; re-ingesting or
# moving code does not reset the clock; a raised severity takes the shorter
# deadline; waived, triaged and fixed findings leave the list.
. "$(dirname "$0")/lib.sh"

FF=$ROOT/examples/demo-app/scans/flawfinder.sarif

# The clock is fixed at T0, the first ingest; every command says its time.
T0=2030-03-10T12:00:00Z
export SHIPGATE_NOW=$T0
# later "25 days" or "30 days -1 second": T0 plus that, as RFC 3339 UTC
later() {
	python3 -c '
import datetime, sys
w = sys.argv[1].split()
t = datetime.datetime(2030, 3, 10, 12, 0, 0)
for n, unit in zip(w[0::2], w[1::2]):
    t += datetime.timedelta(**{unit.rstrip("s") + "s": int(n)})
print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"
}
at() {                                                                 # at TIME ARGS...: sg with the clock at TIME
	local t=$1
	shift
	SHIPGATE_NOW=$t sg "$@"
}
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
clause() { py "print(*[c['status'] for c in d['clauses'] if c['id'] == '$1'])"; }
reasons() { py "print(' | '.join(r for c in d['clauses'] if c['id'] == '$1' for r in c['reasons']))"; }
counts() { py 'print(*[d["overdue"][s] for s in ("critical","high","medium","low","info")], "/", *[d["due_soon"][s] for s in ("critical","high","medium","low","info")], "/", d["blocking_overdue"])'; }
states() { py 'import collections; c = collections.Counter((f["state"], f["finding"]["severity"]) for f in d["findings"]); print(" ".join("%s:%s=%d" % (k[0], k[1], v) for k, v in sorted(c.items())))'; }
fid() { rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demo' AND f.rule = '$1' ORDER BY f.id LIMIT 1"; }

D30=2030-04-09T12:00:00Z # T0 + 30 days: when the high findings fall due
sg init
expect_rc 0 "init"
sg ingest sarif "$FF" --product demo --commit abcdef1
expect_rc 0 "ingest the demo flawfinder SARIF at T0 ($T0)"
expect_eq "$(rows "SELECT severity||':'||count(*) FROM finding GROUP BY severity ORDER BY severity")" "$(printf '1:26\n2:3\n3:8')" \
	"demo: 8 high, 3 medium, 26 low findings"
T0_EPOCH=$(rows "SELECT min(first_seen_at) FROM finding")
expect_eq "$(rows "SELECT count(*) FROM finding WHERE first_seen_at = strftime('%s', '2030-03-10 12:00:00')")" "37" "every finding first seen at T0"

# --- at T0 ----------------------------------------------------------------------------
sg sla --product demo
expect_rc 0 "sla at T0: nothing overdue, exit 0"
expect_out "sla: 0 overdue (0 at a blocking severity), 0 due within 7 days, as of $T0" "sla text at T0: the summary line"
expect_out "clock is set by \$SHIPGATE_NOW" "sla text: says the clock is set by \$SHIPGATE_NOW"
sg sla --product demo --format json
expect_rc 0 "sla --format json at T0"
printf '%s\n' "$SG_OUT" >sla.json
check "sla json: valid JSON" python3 -m json.tool sla.json /dev/null
check "sla json: exactly product, findings, overdue, due_soon, blocking_overdue, evaluated_at, clock_overridden" \
	py 'sys.exit(0 if set(d) == {"product","findings","overdue","due_soon","blocking_overdue","evaluated_at","clock_overridden"} else 1)'
expect_eq "$(counts)" "0 0 0 0 0 / 0 0 0 0 0 / 0" "sla json at T0: nothing overdue or due soon"
expect_eq "$(py 'print(d["findings"], d["product"], d["evaluated_at"], d["clock_overridden"])')" "[] demo $T0 True" \
	"sla json at T0: no findings listed; product, evaluated_at and clock_overridden"
sg gate --product demo --format json
expect_eq "$(clause remediate.sla)" "pass" "[remediate.sla] gate at T0: passes"
check "[remediate.sla] gate at T0: no finding at a blocking severity is past its due date" \
	bash -c 'grep -q "no finding at a blocking severity is past its due date" <<<"$1"' _ "$(reasons remediate.sla)"

# --- re-ingests do not reset the clock ---------------------------------------------------------
at "$(later '20 days')" ingest sarif "$FF" --product demo --commit abcdef2
expect_rc 0 "re-ingest the same file with another --commit on day 20"
python3 - "$FF" moved.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
run["results"].reverse()
for r in run["results"]:
    for loc in r.get("locations", []):
        reg = loc["physicalLocation"].get("region")
        if reg:
            reg["startLine"] += 5
run.setdefault("invocations", [{"executionSuccessful": True}])
json.dump(d, open(sys.argv[2], "w"), indent=3)
EOF
check "the changed SARIF file differs from the original" bash -c '! cmp -s "$1" moved.sarif' _ "$FF"
at "$(later '21 days')" ingest sarif moved.sarif --product demo --commit abcdef3
expect_rc 0 "ingest a changed SARIF file (reformatted, results reordered, code moved 5 lines) on day 21"
expect_out "0 new, 0 reopened" "the changed file has the same findings: none new"
expect_eq "$(rows "SELECT count(*) FROM finding")" "37" "still 37 findings"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE first_seen_at = $T0_EPOCH")" "37" "first detection kept: every first_seen_at is still T0"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE last_seen_at = strftime('%s', '$(later '21 days' | tr T ' ' | tr -d Z)')")" "37" \
	"every finding was seen again on day 21 (last_seen moved on, first_seen did not)"

# --- due soon -----------------------------------------------------------------------------
at "$(later '23 days -1 second')" sla --product demo --format json
expect_rc 0 "sla one second before the high findings are due within 7 days: exit 0"
expect_eq "$(counts)" "0 0 0 0 0 / 0 0 0 0 0 / 0" "... nothing due soon yet"
at "$(later '23 days')" sla --product demo --format json
expect_eq "$(counts)" "0 0 0 0 0 / 0 8 0 0 0 / 0" "exactly 7 days before they are due: 8 high due soon"
at "$(later '25 days')" sla --product demo --format json
expect_rc 0 "sla on day 25: high findings due soon, exit 0"
expect_eq "$(counts)" "0 0 0 0 0 / 0 8 0 0 0 / 0" "sla json on day 25: due_soon.high 8, nothing overdue"
expect_eq "$(states)" "due_soon:high=8" "sla json on day 25: 8 findings listed, each high and due_soon"
expect_eq "$(py 'print(sorted(set(f["due"] for f in d["findings"])))')" "['$D30']" "each is due at T0 + 30 days ($D30), from its first detection"
expect_eq "$(py 'print(sorted(f["finding"]["id"] for f in d["findings"]))')" \
	"$(rows "SELECT '['||group_concat(id, ', ')||']' FROM (SELECT id FROM finding WHERE severity = 3 ORDER BY id)")" "the listed findings are the high ones"
at "$(later '25 days')" sla --product demo
expect_rc 0 "sla text on day 25: exit 0"
expect_eq "$(grep -c '^due soon' <<<"$SG_OUT")" "8" "sla text on day 25: 8 'due soon' lines"
check "sla text: a due soon line has id, severity, due date, tool, rule, path" \
	grep -Eq '^due soon +#[0-9]+ +high +due 2030-04-09 +Flawfinder FF1001 src/store\.c$' <<<"$SG_OUT"
expect_out "sla: 0 overdue (0 at a blocking severity), 8 due within 7 days" "sla text on day 25: the summary"
at "$(later '25 days')" gate --product demo --format json
expect_eq "$(clause remediate.sla)" "pass" "[remediate.sla] gate on day 25: passes (due soon is not overdue)"
check "[remediate.sla] gate on day 25: 8 findings due within 7 days" bash -c 'grep -q "8 findings due within 7 days" <<<"$1"' _ "$(reasons remediate.sla)"

# --- overdue ------------------------------------------------------------------------------------
at "$(later '30 days -1 second')" sla --product demo --format json
expect_rc 0 "one second before the due date: not overdue, exit 0"
expect_eq "$(counts)" "0 0 0 0 0 / 0 8 0 0 0 / 0" "... 8 high still due soon"
at "$(later '30 days')" sla --product demo --format json
expect_rc 1 "at the due date itself: overdue, exit 1"
expect_eq "$(counts)" "0 8 0 0 0 / 0 0 0 0 0 / 8" "at the due date: overdue.high 8"
D31=$(later '31 days')
at "$D31" sla --product demo --format json
expect_rc 1 "sla on day 31: high findings overdue, exit 1"
expect_eq "$(counts)" "0 8 0 0 0 / 0 0 0 0 0 / 8" "sla json on day 31: overdue.high 8, blocking_overdue 8"
check "sla json on day 31: overdue.high > 0 and blocking_overdue > 0" py 'sys.exit(0 if d["overdue"]["high"] > 0 and d["blocking_overdue"] > 0 else 1)'
expect_eq "$(states)" "overdue:high=8" "sla json on day 31: 8 findings listed, each high and overdue"
at "$D31" sla --product demo
expect_rc 1 "sla text on day 31: exit 1"
expect_eq "$(grep -c '^OVERDUE .* high .*due 2030-04-09 (1 day ago)' <<<"$SG_OUT")" "8" "sla text on day 31: 8 OVERDUE lines, due 1 day ago"
expect_out "sla: 8 overdue (8 at a blocking severity), 0 due within 7 days" "sla text on day 31: the summary"
at "$D31" gate --product demo --format json
expect_rc 1 "gate on day 31 blocks"
expect_eq "$(clause remediate.sla)" "fail" "[remediate.sla] gate on day 31: fails"
check "[remediate.sla] the reason: 8 high findings are overdue, the oldest due 2030-04-09 (sla_days 30)" \
	bash -c 'grep -Eq "8 high findings are overdue; the oldest, #[0-9]+, was due 2030-04-09 \(sla_days 30\)" <<<"$1"' _ "$(reasons remediate.sla)"
at "$D31" gate --product demo
expect_rc 1 "gate text on day 31 blocks"
check "[remediate.sla] gate text on day 31: FAIL remediate.sla" grep -Eq '^ *FAIL +remediate\.sla' <<<"$SG_OUT"

# medium: 90 days, not blocking
at "$(later '91 days')" sla --product demo --format json
expect_eq "$(counts)" "0 8 3 0 0 / 0 0 0 0 0 / 8" "day 91: 3 medium overdue too; blocking_overdue counts only the high"

# --- a policy with sla_days for low only ---------------------------------------------------------
cat >low-sla.yml <<'EOF'
policy: low-sla
block_release: [critical, high]
sla_days: {low: 180}
require:
  sast: {}
EOF
sg --policy low-sla.yml policy check low-sla.yml
expect_rc 0 "policy check low-sla.yml"
D181=$(later '181 days')
at "$D181" --policy low-sla.yml sla --product demo --format json
expect_rc 0 "sla_days for low only: 26 lows overdue on day 181, yet exit 0 (low does not block)"
expect_eq "$(counts)" "0 0 0 26 0 / 0 0 0 0 0 / 0" "low only: overdue.low 26, blocking_overdue 0, no deadline for high"
expect_eq "$(states)" "overdue:low=26" "low only: the 26 low findings are listed as overdue"
at "$D181" --policy low-sla.yml sla --product demo
expect_rc 0 "low only, text: exit 0"
expect_out "26 overdue (0 at a blocking severity)" "low only, text: 26 overdue, 0 at a blocking severity"
at "$D181" --policy low-sla.yml gate --product demo --format json
expect_eq "$(clause remediate.sla)" "pass" "[remediate.sla] low only: the clause passes with overdue lows"
check "[remediate.sla] low only: the reasons still count the overdue lows" bash -c 'grep -q "26 low findings are overdue" <<<"$1"' _ "$(reasons remediate.sla)"
at "$(later '179 days')" --policy low-sla.yml sla --product demo --format json
expect_eq "$(counts)" "0 0 0 0 0 / 0 0 0 26 0 / 0" "low only, day 179: the lows are due soon"

# --- a policy without sla_days -------------------------------------------------------------------
printf 'policy: no-sla\nblock_release: [critical, high]\nrequire:\n  sast: {}\n' >no-sla.yml
at "$D31" --policy no-sla.yml sla --product demo
expect_rc 2 "a policy without sla_days: sla exits 2"
expect_err "sets no sla_days" "a policy without sla_days: sla says the policy sets no sla_days"
expect_eq "$SG_OUT" "" "a policy without sla_days: sla prints nothing on stdout"
at "$D31" --policy no-sla.yml sla --product demo --format json
expect_rc 2 "a policy without sla_days: sla --format json exits 2 too"
at "$D31" --policy no-sla.yml gate --product demo --format json
expect_eq "$(py 'print(",".join(c["id"] for c in d["clauses"]))')" "remediate.release,exceptions,sast" \
	"[remediate.sla] a policy without sla_days: the gate has no remediate.sla clause"

# --- severity overrides -------------------------------------------------------------------------
FF1037=$(fid FF1037)
check "FF1037 is a medium finding ($FF1037)" test "$(rows "SELECT severity FROM finding WHERE id = $FF1037")" = 2
cp shipgate.yml raise.yml
printf 'severity_overrides:\n  - tool: Flawfinder\n    rule: FF1037\n    severity: high\n' >>raise.yml
sg policy check raise.yml
expect_rc 0 "policy check raise.yml (FF1037 raised to high)"
at "$D31" --policy raise.yml sla --product demo --format json
expect_rc 1 "raised to high: sla on day 31 exits 1"
expect_eq "$(counts)" "0 9 0 0 0 / 0 0 0 0 0 / 9" "raised to high: FF1037 is overdue with the highs (9)"
expect_eq "$(py "print([(f['state'], f['due'], f['finding']['severity']) for f in d['findings'] if f['finding']['id'] == $FF1037])")" \
	"[('overdue', '$D30', 'high')]" "raised to high: FF1037's deadline is 30 days after its first detection, not 90"
at "$D31" sla --product demo --format json
expect_eq "$(py "print([f for f in d['findings'] if f['finding']['id'] == $FF1037])")" "[]" \
	"under the default policy again: FF1037 is medium, not due on day 31"
expect_eq "$(rows "SELECT severity FROM finding WHERE id = $FF1037")" "2" "under the default policy again: FF1037 is stored as medium"
at "$(later '85 days')" sla --product demo --format json
expect_eq "$(py "print([(f['state'], f['due']) for f in d['findings'] if f['finding']['id'] == $FF1037])")" \
	"[('due_soon', '$(later '90 days')')]" "as a medium, FF1037 is due 90 days after its first detection"
cp shipgate.yml lower.yml
printf 'severity_overrides:\n  - tool: Flawfinder\n    rule: FF1001\n    severity: low\n' >>lower.yml
at "$D31" --policy lower.yml sla --product demo --format json
expect_eq "$(counts)" "0 6 0 0 0 / 0 0 0 0 0 / 6" "FF1001 lowered to low: its two findings are not overdue on day 31 (180 days)"

# --- exceptions: a waived finding leaves the list ---------------------------------------------------
sg user add alice --role developer
sg user add carol --role cto
sg key generate --out carol.key
sg user key carol --public carol.key.pub
expect_rc 0 "people and a key for an exception"
at "$D31" exception request --rule Flawfinder:FF1001 --product demo --reason "sized by the caller" --expires "$(later '60 days' | cut -c1-10)" --as alice
expect_rc 0 "request an FF1001 exception on day 31"
E1=$SG_OUT
at "$D31" sla --product demo --format json
expect_eq "$(counts)" "0 8 0 0 0 / 0 0 0 0 0 / 8" "a pending exception does not take findings off the sla list"
at "$D31" exception approve "$E1" --as carol --key carol.key
expect_rc 0 "carol approves it"
at "$D31" sla --product demo --format json
expect_rc 1 "sla on day 31 with FF1001 waived: still exit 1"
expect_eq "$(counts)" "0 6 0 0 0 / 0 0 0 0 0 / 6" "the approved exception takes the two FF1001 findings off: overdue.high 6"
expect_eq "$(py 'print(any(f["finding"]["rule"] == "FF1001" for f in d["findings"]))')" "False" "no FF1001 finding in the sla list"
at "$D31" gate --product demo --format json
check "[remediate.sla] the gate agrees: 6 high findings are overdue" bash -c 'grep -q "6 high findings are overdue" <<<"$1"' _ "$(reasons remediate.sla)"
# an exception altered in the store (on a copy) no longer takes findings off
sqlite3 "$TEST_DIR/store.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$TEST_DIR/store.db" tampered.db
sqlite3 tampered.db "UPDATE exception SET reason = 'x' WHERE id = $E1"
SHIPGATE_NOW=$D31 sg --db "sqlite:$TEST_DIR/tampered.db" sla --product demo --format json
expect_eq "$(counts)" "0 8 0 0 0 / 0 0 0 0 0 / 8" "an exception altered in the store waives nothing: the FF1001 findings are overdue again"
at "$(later '62 days')" sla --product demo --format json
expect_eq "$(py 'print(sum(1 for f in d["findings"] if f["finding"]["rule"] == "FF1001"))')" "2" \
	"after the exception expires the FF1001 findings are overdue again"

# --- triage and fixes take findings off ---------------------------------------------------------------
FF1017=$(rows "SELECT id FROM finding WHERE rule = 'FF1017' AND severity = 3")
at "$D31" findings triage "$FF1017" --status false_positive --reason "format string is a literal"
expect_rc 0 "triage the FF1017 high finding as false_positive"
at "$D31" sla --product demo --format json
expect_eq "$(counts)" "0 5 0 0 0 / 0 0 0 0 0 / 5" "a false positive leaves the sla list: overdue.high 5"
expect_eq "$(py "print(any(f['finding']['id'] == $FF1017 for f in d['findings']))")" "False" "finding $FF1017 is not listed"
python3 - "$FF" no-ff1016.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"] = [r for r in d["runs"][0]["results"] if r["ruleId"] != "FF1016"]
json.dump(d, open(sys.argv[2], "w"))
EOF
at "$D31" ingest sarif no-ff1016.sarif --product demo --commit abcdef4
expect_rc 0 "a scan without the FF1016 findings (fixed) on day 31"
at "$D31" sla --product demo --format json
expect_eq "$(counts)" "0 4 0 0 0 / 0 0 0 0 0 / 4" "a fixed finding leaves the sla list: overdue.high 4"
at "$(later '32 days')" ingest sarif "$FF" --product demo --commit abcdef5
expect_rc 0 "FF1016 comes back on day 32 (reopened)"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE rule = 'FF1016' AND status = 'open' AND first_seen_at = $T0_EPOCH")" "5" \
	"reopened findings keep their first detection"
at "$(later '32 days')" sla --product demo --format json
expect_eq "$(counts)" "0 5 0 0 0 / 0 0 0 0 0 / 5" "the reopened high finding is overdue again at once"

# --- every overdue high dealt with: the clause passes, sla exits 0 -------------------------------------
for id in $(rows "SELECT id FROM finding WHERE severity = 3 AND status = 'open' AND rule != 'FF1001'"); do
	at "$(later '32 days')" findings triage "$id" --status false_positive --reason "test: not reachable"
	[ "$SG_RC" = 0 ] || not_ok "triage $id (exit $SG_RC)"
done
at "$(later '32 days')" sla --product demo --format json
expect_rc 0 "every overdue high waived or triaged: sla exits 0"
expect_eq "$(counts)" "0 0 0 0 0 / 0 0 0 0 0 / 0" "nothing overdue or due soon"
at "$(later '32 days')" gate --product demo --format json
expect_eq "$(clause remediate.sla)" "pass" "[remediate.sla] the clause passes again"
expect_eq "$(clause remediate.release)" "waived" "remediate.release: the FF1001 findings are waived, the rest triaged"

# --- the clock not set, and usage ---------------------------------------------------------------------
unset SHIPGATE_NOW
sg sla --product demo --format json
expect_eq "$(py 'print(d["clock_overridden"])')" "False" "sla json: clock_overridden false without \$SHIPGATE_NOW"
sg sla --product demo
check "sla text: no clock note without \$SHIPGATE_NOW" bash -c '! grep -q SHIPGATE_NOW <<<"$1"' _ "$SG_OUT"
export SHIPGATE_NOW=$T0
sg sla
expect_rc 2 "sla without --product exits 2"
sg sla --product nope
expect_rc 2 "sla of an unknown product exits 2"
expect_err "nope" "sla of an unknown product names it"
sg sla --product demo --format xml
expect_rc 2 "sla --format xml exits 2"
sg sla --product demo extra
expect_rc 2 "sla with an operand exits 2"
