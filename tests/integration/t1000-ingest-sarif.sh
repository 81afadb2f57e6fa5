#!/usr/bin/env bash
# The first user journey: flawfinder's real SARIF in, findings tracked
# through re-ingest, new commits, fixes, regressions; kinds, categories,
# tool failures, several runs, several files, releases.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
CLANG=$CORPUS/tools/clang-analyzer/vuln.sarif
C1=$(commit_of c1)
C2=$(commit_of c2)
C3=$(commit_of c3)
C4=$(commit_of c4)
C5=$(commit_of c5)
C6=$(commit_of c6)
C7=$(commit_of c7)
C8=$(commit_of c8)

counts() { # the row counts that must not move when nothing is written
	rows "SELECT (SELECT count(*) FROM product)||' '||(SELECT count(*) FROM ingest)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM finding_event)||' '||(SELECT count(*) FROM release)"
}
fcount() { rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='$1' ${2:+AND $2}"; }
status_of() { rows "SELECT status FROM finding WHERE id=$1"; }

sg init
expect_rc 0 "init"

# What the file holds, computed from it: effective level per SARIF §3.27.10
# (result level, else the rule's defaultConfiguration.level, else warning).
read -r N_RESULTS N_HIGH N_MEDIUM N_LOW < <(python3 - "$FF" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"].get("rules", [])}
n = {"error": 0, "warning": 0, "note": 0}
for r in run["results"]:
    lvl = r.get("level") or rules.get(r["ruleId"], {}).get("defaultConfiguration", {}).get("level", "warning")
    n[lvl] += 1
print(len(run["results"]), n["error"], n["warning"], n["note"])
EOF
)
check "flawfinder vuln.sarif has results of all three levels" test "$N_HIGH" -gt 0 -a "$N_MEDIUM" -gt 0 -a "$N_LOW" -gt 0

# --- 1. first ingest -----------------------------------------------------------
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest flawfinder vuln.sarif exits 0"
expect_out "$N_RESULTS results, $N_RESULTS new, 0 reopened" "ingest reports $N_RESULTS results, all new"
expect_out "0 findings fixed" "first ingest fixes nothing"
expect_eq "$(rows "SELECT count(*) FROM product WHERE name='demo'")" "1" "product created on first use"
expect_eq "$(rows "SELECT count(*) FROM scan")" "1" "one scan row"
expect_eq "$(fcount demo)" "$N_RESULTS" "one finding per result"
expect_eq "$(fcount demo "severity=3")" "$N_HIGH" "flawfinder level error -> high ($N_HIGH)"
expect_eq "$(fcount demo "severity=2")" "$N_MEDIUM" "flawfinder level warning -> medium ($N_MEDIUM)"
expect_eq "$(fcount demo "severity=1")" "$N_LOW" "flawfinder level note -> low ($N_LOW)"
expect_eq "$(fcount demo "severity IN (0,4)")" "0" "no critical or info from flawfinder levels"
expect_eq "$(fcount demo "status='open'")" "$N_RESULTS" "every finding is open"
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE event<>'opened'")" "0" "a first ingest records no event but 'opened'"
sg findings show "$(rows "SELECT min(id) FROM finding")" --format json
expect_eq "$(python3 -c 'import json,sys; print(",".join(e["event"] for e in json.load(sys.stdin)["events"]))' <<<"$SG_OUT")" "opened" "a new finding's history is 'opened'"
EVENTS0=$(rows "SELECT count(*) FROM finding_event")
expect_eq "$(rows "SELECT kind||'|'||tool||'|'||tool_version||'|'||commit_sha||'|'||result_count||'|'||new_count||'|'||fixed_count||'|'||results_null FROM scan")" \
	"sast|Flawfinder|2.0.19|$C1|$N_RESULTS|$N_RESULTS|0|0" "scan row: kind, tool, version, commit, counts"
expect_eq "$(rows "SELECT length(artifact_sha256) FROM scan")" "32" "scan row keeps the artifact's sha256"
expect_eq "$(rows "SELECT hex(artifact_sha256) FROM scan")" "$(sha256sum "$FF" | cut -d' ' -f1 | tr a-f A-F)" "scan artifact_sha256 = sha256sum of the file"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding")" "c-vuln/vuln.c" "SRCROOT-relative paths kept relative"
expect_eq "$(rows "SELECT count(DISTINCT fingerprint) FROM finding")" "$N_RESULTS" "fingerprints are distinct"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE length(fingerprint)<>16")" "0" "fingerprints are 16-byte blobs"
sg findings --product demo --status all --format json
expect_rc 0 "findings --format json"
check "findings JSON levels match the file's result levels line by line" python3 - "$FF" "$SG_OUT" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); run = d["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
sev = {"error": "high", "warning": "medium", "note": "low"}
want = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
               sev[r.get("level") or rules[r["ruleId"]]["defaultConfiguration"]["level"]]) for r in run["results"])
got = sorted((f["rule"], f["line"], f["severity"]) for f in json.loads(sys.argv[2]))
sys.exit(0 if want == got else 1)
EOF
ids_before=$(rows "SELECT group_concat(id) FROM (SELECT id FROM finding ORDER BY id)")

# --- 2. the same file, same commit: a no-op ------------------------------------
before=$(counts)
last_before=$(rows "SELECT group_concat(last_seen_scan||':'||last_seen_at) FROM finding")
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "re-ingest of the same file and commit exits 0"
expect_out "already ingested" "re-ingest says already ingested"
expect_out "0 findings fixed" "re-ingest fixes nothing"
expect_eq "$(rows "SELECT count(*) FROM scan")" "1" "re-ingest: no new scan row"
expect_eq "$(rows "SELECT count(*) FROM finding")" "$N_RESULTS" "re-ingest: no new finding row"
expect_eq "$(rows "SELECT count(*) FROM finding_event")" "$EVENTS0" "re-ingest: no new event row"
expect_eq "$(counts)" "$before" "re-ingest changes nothing at all (not even an ingest row)"
expect_eq "$(rows "SELECT group_concat(last_seen_scan||':'||last_seen_at) FROM finding")" "$last_before" "re-ingest leaves last_seen as it was"
# and the commit given as a 7-hex prefix is another commit, not the same: still valid input
sg ingest sarif "$FF" --product demo --commit "$(tr a-f A-F <<<"$C1")"
expect_rc 0 "commit in upper case is accepted"
expect_out "already ingested" "commit in upper case is the same commit (normalised)"

# --- 3. same file, new commit: evidence only ------------------------------------
sg ingest sarif "$FF" --product demo --commit "$C2"
expect_rc 0 "same file for a new commit exits 0"
expect_out "0 new, 0 reopened" "new commit: nothing new"
expect_eq "$(rows "SELECT count(*) FROM scan")" "2" "new commit: exactly one more scan row"
expect_eq "$(rows "SELECT commit_sha FROM scan ORDER BY id DESC LIMIT 1")" "$C2" "new scan row records the new commit"
expect_eq "$(rows "SELECT count(*) FROM finding")" "$N_RESULTS" "new commit: no new finding row"
expect_eq "$(rows "SELECT count(*) FROM finding_event")" "$EVENTS0" "new commit: no new event row"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status<>'open'")" "0" "new commit: no status change"
expect_eq "$(rows "SELECT group_concat(id) FROM (SELECT id FROM finding ORDER BY id)")" "$ids_before" "new commit: same finding ids"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE last_seen_scan=2")" "$N_RESULTS" "new commit: last_seen_scan moves to the new scan"

# --- 4. a subset: exactly the two missing are fixed --------------------------------
python3 - "$FF" subset.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
res = d["runs"][0]["results"]
gone = [res[1], res[6]]
d["runs"][0]["results"] = [r for i, r in enumerate(res) if i not in (1, 6)]
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
gone=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; print(r[1]["ruleId"], r[6]["ruleId"])' "$FF")
read -r RULE_A RULE_B <<<"$gone"
ID_A=$(rows "SELECT id FROM finding WHERE rule='$RULE_A'")
ID_B=$(rows "SELECT id FROM finding WHERE rule='$RULE_B'")
check "the two removed results have one finding each ($RULE_A=#$ID_A, $RULE_B=#$ID_B)" test -n "$ID_A" -a -n "$ID_B" -a "$(wc -w <<<"$ID_A $ID_B")" = 2
sg ingest sarif subset.sarif --product demo --commit "$C3"
expect_rc 0 "ingest of a subset exits 0"
expect_out "2 findings fixed" "subset: output says 2 findings fixed"
expect_eq "$(rows "SELECT group_concat(id) FROM (SELECT id FROM finding WHERE status='fixed' ORDER BY id)")" "$(printf '%s\n' "$ID_A" "$ID_B" | sort -n | paste -sd,)" "subset: exactly the two missing findings are fixed"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status='open'")" "$((N_RESULTS - 2))" "subset: the others stay open"
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE event='fixed'")" "2" "subset: two 'fixed' events"
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE event='fixed' AND finding_id IN ($ID_A,$ID_B) AND from_status='open' AND to_status='fixed' AND scan_id=(SELECT max(id) FROM scan)")" "2" "subset: fixed events record open->fixed and the scan"
expect_eq "$(rows "SELECT fixed_count FROM scan ORDER BY id DESC LIMIT 1")" "2" "subset: scan row counts 2 fixed"
sg findings --product demo
expect_rc 0 "findings (default) after the fix"
if grep -q "^#$ID_A " <<<"$SG_OUT"; then not_ok "default findings list omits fixed ones"; else ok "default findings list omits fixed ones"; fi
expect_out "$((N_RESULTS - 2)) findings" "default findings list counts open only"

# --- 5. the full file again: reopened under the same ids ------------------------------
sg ingest sarif "$FF" --product demo --commit "$C4"
expect_rc 0 "full file again exits 0"
expect_out "0 new, 2 reopened" "full file again: 2 reopened, 0 new"
expect_eq "$(rows "SELECT count(*) FROM finding")" "$N_RESULTS" "reopen: no new finding row"
expect_eq "$(status_of "$ID_A")/$(status_of "$ID_B")" "open/open" "reopen: the same ids are open again"
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE event='reopened' AND finding_id IN ($ID_A,$ID_B) AND from_status='fixed' AND to_status='open'")" "2" "reopen: 'reopened' events fixed->open"
expect_eq "$(rows "SELECT reopened_count FROM scan ORDER BY id DESC LIMIT 1")" "2" "reopen: scan row counts 2 reopened"
sg findings show "$ID_A" --format json
expect_rc 0 "findings show --format json of a reopened finding"
expect_eq "$(python3 -c 'import json,sys; print(",".join(e["event"] for e in json.load(sys.stdin)["events"]))' <<<"$SG_OUT")" "opened,fixed,reopened" "history of the reopened finding: opened, fixed, reopened"
expect_eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["finding"]["id"], d["finding"]["status"], d["finding"]["first_seen_scan"])' <<<"$SG_OUT")" "$ID_A open 1" "reopened finding keeps its id and first_seen_scan"

# --- 6. --kind dast --env staging -------------------------------------------------
sg ingest sarif "$FF" --product web --commit "$C1" --kind dast --env staging
expect_rc 0 "--kind dast --env staging exits 0"
expect_eq "$(rows "SELECT kind||'|'||environment FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='web'")" "dast|staging" "scan records kind dast and env staging"
expect_eq "$(rows "SELECT group_concat(DISTINCT kind) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='web'")" "dast" "findings record kind dast"
# a dast view of the same product does not close sast findings
sg ingest sarif subset.sarif --product demo --commit "$C5" --kind dast
expect_rc 0 "dast ingest into the sast product exits 0"
expect_out "0 findings fixed" "a dast scan fixes no sast finding"
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='demo' AND kind='sast' AND status='open'")" "$N_RESULTS" "sast findings stay open after a dast ingest"
before=$(counts)
sg ingest sarif "$FF" --product demo --commit "$C6" --kind foo
expect_rc 2 "--kind foo exits 2"
expect_err "--kind" "--kind foo: message names --kind"
expect_eq "$(counts)" "$before" "--kind foo writes nothing"
sg ingest sarif "$FF" --product demo --commit xyz
expect_rc 2 "--commit xyz exits 2"
expect_eq "$(counts)" "$before" "--commit xyz writes nothing"
sg ingest sarif "$FF" --product "" --commit "$C6"
expect_rc 2 "--product '' exits 2"
expect_eq "$(counts)" "$before" "--product '' writes nothing"

# --- 7. results: null closes nothing ---------------------------------------------
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["runs"][0]["results"]=None; json.dump(d,open("null.sarif","w"))' "$FF"
open_before=$(rows "SELECT count(*) FROM finding WHERE status='open'")
sg ingest sarif null.sarif --product demo --commit "$C6"
expect_rc 0 "a run with results null exits 0"
expect_out "without results" "results null: output says the tool failed"
expect_out "0 findings fixed" "results null: nothing fixed"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status='open'")" "$open_before" "results null: every finding stays open"
expect_eq "$(rows "SELECT results_null||'|'||result_count FROM scan ORDER BY id DESC LIMIT 1")" "1|0" "results null: scan row records results_null"
# results absent: the same (SARIF §3.14.23)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["runs"][0]["results"]; json.dump(d,open("absent.sarif","w"))' "$FF"
sg ingest sarif absent.sarif --product demo --commit "$C6"
expect_rc 0 "a run without results exits 0"
expect_out "0 findings fixed" "results absent: nothing fixed"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status='open'")" "$open_before" "results absent: every finding stays open"
# results []: the tool ran and found nothing -> everything of that view is fixed
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["runs"][0]["results"]=[]; json.dump(d,open("empty.sarif","w"))' "$FF"
sg ingest sarif empty.sarif --product web --commit "$C2" --kind dast --env staging
expect_rc 0 "results [] exits 0"
expect_out "$N_RESULTS findings fixed" "results []: every finding of the view is fixed"
expect_eq "$(fcount web "status='open'")" "0" "results []: nothing left open in that view"

# --- 8. --category separates views (a fresh product, so nothing above interferes) ----
sg ingest sarif "$FF" --product cat --commit "$C1"
expect_rc 0 "product cat: full file in the default category"
sg ingest sarif subset.sarif --product cat --commit "$C2" --category other
expect_rc 0 "a subset under --category other exits 0"
expect_out "0 findings fixed" "--category other: nothing fixed in the default view"
expect_eq "$(fcount cat "category='' AND status='open'")" "$N_RESULTS" "--category other: every finding of the default view stays open"
expect_eq "$(fcount cat "category='other'")" "$((N_RESULTS - 2))" "--category other: its findings are its own (identity includes the view)"
expect_eq "$(rows "SELECT category FROM scan ORDER BY id DESC LIMIT 1")" "other" "--category is recorded on the scan"
# The view 'other' now says "I see nothing": that must not close what the
# default view still reports (it last saw all $N_RESULTS).
sg ingest sarif empty.sarif --product cat --commit "$C3" --category other
expect_rc 0 "empty results under --category other exits 0"
expect_eq "$(fcount cat "category='' AND status='open'")" "$N_RESULTS" "--category other's empty snapshot leaves the default view's findings open"
expect_eq "$(fcount cat "category='other' AND status='fixed'")" "$((N_RESULTS - 2))" "--category other's empty snapshot fixes its own view's findings"
# and the default view's own subset fixes exactly its two
sg ingest sarif subset.sarif --product cat --commit "$C4"
expect_rc 0 "the subset in the default category"
expect_eq "$(fcount cat "category='' AND status='fixed'")" "2" "the default view's subset fixes exactly two"
# automationDetails.id gives the category too (what comes before the last '/')
python3 - "$FF" autocat.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["automationDetails"] = {"id": "nightly/extended/2026-01-01"}
d["runs"][0]["results"] = d["runs"][0]["results"][:3]
json.dump(d, open(sys.argv[2], "w"))
EOF
sg ingest sarif autocat.sarif --product auto --commit "$C1"
expect_rc 0 "ingest with automationDetails.id exits 0"
expect_eq "$(rows "SELECT category FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='auto'")" "nightly/extended" "category from automationDetails.id (before the last '/')"

# --- 9. two runs of two tools in one log ------------------------------------------------
python3 - "$FF" "$CLANG" tworuns.sarif <<'EOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a["runs"].append(b["runs"][0])
json.dump(a, open(sys.argv[3], "w"))
EOF
N_CLANG=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$CLANG")
sg ingest sarif tworuns.sarif --product two --commit "$C1"
expect_rc 0 "a log with two runs of different tools exits 0"
expect_eq "$(rows "SELECT group_concat(tool||':'||result_count, ' ') FROM (SELECT tool, result_count FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='two' ORDER BY s.id)")" "Flawfinder:$N_RESULTS clang:$N_CLANG" "two runs: one scan row per run, each with its tool and count"
expect_eq "$(fcount two "tool='Flawfinder'")/$(fcount two "tool='clang'")" "$N_RESULTS/$N_CLANG" "two runs: findings of both tools"
expect_eq "$(rows "SELECT count(DISTINCT ingest_id) FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='two'")" "1" "two runs: one ingest"
# the flawfinder run alone next: clang's view is not in this ingest, so none of its findings close
sg ingest sarif "$FF" --product two --commit "$C2"
expect_rc 0 "then flawfinder alone"
expect_out "0 findings fixed" "a log without clang's run closes none of clang's findings"
expect_eq "$(fcount two "tool='clang' AND status='open'")" "$N_CLANG" "clang findings stay open"

# --- 10. several files, the second invalid: nothing written ----------------------------
printf '{"version": "2.1.0", "runs": [' >trunc.sarif
before=$(counts)
sg ingest sarif "$FF" trunc.sarif --product demo --commit "$C8"
expect_rc 2 "two files, the second truncated: exit 2"
expect_err "trunc.sarif" "the error names the bad file (trunc.sarif)"
case "$SG_ERR" in *"$FF"*) not_ok "the error does not name the good file" ;; *) ok "the error does not name the good file" ;; esac
expect_err "[json-truncated]" "two files: [json-truncated]"
expect_eq "$(counts)" "$before" "two files, one bad: no product/ingest/scan/finding/event row written"
sg ingest sarif "$FF" trunc.sarif --product brandnew --commit "$C8"
expect_rc 2 "two files, second bad, new product: exit 2"
expect_eq "$(rows "SELECT count(*) FROM product WHERE name='brandnew'")" "0" "two files, one bad: no product row for a new product"
expect_eq "$(counts)" "$before" "two files, one bad, new product: nothing written"
sg ingest sarif trunc.sarif "$FF" --product demo --commit "$C8"
expect_rc 2 "two files, the first truncated: exit 2"
expect_eq "$(counts)" "$before" "two files, first bad: nothing written"
sg ingest sarif "$FF" missing.sarif --product demo --commit "$C8"
expect_rc 2 "two files, the second missing: exit 2"
expect_err "missing.sarif" "a missing file is named"
expect_eq "$(counts)" "$before" "two files, second missing: nothing written"
# two good files in one ingest: one transaction, both recorded
sg ingest sarif "$FF" "$CLANG" --product pair --commit "$C1"
expect_rc 0 "two good files in one ingest exit 0"
expect_eq "$(rows "SELECT count(*)||'/'||count(DISTINCT ingest_id) FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='pair'")" "2/1" "two good files: two scans, one ingest"

# --- 11. --release ------------------------------------------------------------------
sg release create demo 1.0 --commit "$C8"
expect_rc 0 "release create demo 1.0"
sg ingest sarif "$FF" --product demo --release 1.0
expect_rc 0 "ingest --release without --commit exits 0"
expect_eq "$(rows "SELECT commit_sha||'|'||release_version FROM scan ORDER BY id DESC LIMIT 1")" "$C8|1.0" "--release without --commit takes the release's commit"
before=$(counts)
sg ingest sarif subset.sarif --product demo --release 1.0 --commit "$C1"
expect_rc 2 "--release with a mismatching --commit exits 2"
expect_err "$C1" "mismatching --commit is named"
expect_eq "$(counts)" "$before" "mismatching --commit writes nothing"
sg ingest sarif subset.sarif --product demo --release 1.0 --commit "$C8"
expect_rc 0 "--release with its own --commit exits 0"
sg ingest sarif "$FF" --product demo --release 1.0 --commit "${C8:0:7}"
expect_rc 0 "--release with the 7-hex prefix of its commit exits 0"
