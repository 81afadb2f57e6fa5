#!/usr/bin/env bash
# findings list / show / triage, severity from security-severity, and
# release create's usage errors.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
C1=$(commit_of f-1)
C2=$(commit_of f-2)
C3=$(commit_of f-3)

py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
N_FF=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$FF")
N_HIGH=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if r.get("level")=="error"))' "$FF")

sg init
expect_rc 0 "init"

# A log with security-severity scores (GitHub code scanning's convention):
# the score of the result or its rule wins over the level.
cat >scored.sarif <<'EOF'
{"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "Scorer", "rules": [
    {"id": "R-RULE-HIGH", "properties": {"security-severity": "7.5"}},
    {"id": "R-LEVEL", "defaultConfiguration": {"level": "error"}},
    {"id": "R-PLAIN"}
  ]}},
  "results": [
    {"ruleId": "R-CRIT", "level": "note", "properties": {"security-severity": 9.8},
     "message": {"text": "critical by score, note by level"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.c"}, "region": {"startLine": 3, "snippet": {"text": "crit();"}}}}]},
    {"ruleId": "R-CRIT9", "properties": {"security-severity": "9.0"},
     "message": {"text": "exactly 9.0, as a string"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.c"}, "region": {"startLine": 4, "snippet": {"text": "crit9();"}}}}]},
    {"ruleId": "R-RULE-HIGH", "ruleIndex": 0, "level": "note",
     "message": {"text": "high from the rule's score"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/b.c"}, "region": {"startLine": 5, "snippet": {"text": "high();"}}}}]},
    {"ruleId": "R-MED", "level": "error", "properties": {"security-severity": "4.0"},
     "message": {"text": "medium by score, error by level"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/c.c"}, "region": {"startLine": 6, "snippet": {"text": "med();"}}}}]},
    {"ruleId": "R-LOW", "properties": {"security-severity": 0.1},
     "message": {"text": "low by score"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/c.c"}, "region": {"startLine": 7, "snippet": {"text": "low();"}}}}]},
    {"ruleId": "R-LEVEL", "ruleIndex": 1,
     "message": {"text": "no level: the rule's default level error"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/d.c"}, "region": {"startLine": 8, "snippet": {"text": "lvl();"}}}}]},
    {"ruleId": "R-PLAIN", "ruleIndex": 2,
     "message": {"text": "no level anywhere: warning"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/d.c"}, "region": {"startLine": 9, "snippet": {"text": "plain();"}}}}]},
    {"ruleId": "R-NONE", "level": "none",
     "message": {"text": "level none"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/d.c"}, "region": {"startLine": 10, "snippet": {"text": "none();"}}}}]}
  ]}]}
EOF
sg ingest sarif scored.sarif --product scored --commit "$C1"
expect_rc 0 "ingest a log with security-severity scores"
sev() { rows "SELECT CASE severity WHEN 4 THEN 'critical' WHEN 3 THEN 'high' WHEN 2 THEN 'medium' WHEN 1 THEN 'low' ELSE 'info' END FROM finding WHERE rule='$1'"; }
expect_eq "$(sev R-CRIT)" "critical" "security-severity 9.8 (number) on the result -> critical, over level note"
expect_eq "$(sev R-CRIT9)" "critical" "security-severity \"9.0\" (string) -> critical"
expect_eq "$(sev R-RULE-HIGH)" "high" "the rule's security-severity 7.5 -> high, over level note"
expect_eq "$(sev R-MED)" "medium" "security-severity 4.0 -> medium, over level error"
expect_eq "$(sev R-LOW)" "low" "security-severity 0.1 -> low"
expect_eq "$(sev R-LEVEL)" "high" "no level: the rule's defaultConfiguration.level error -> high (SARIF 3.27.10)"
expect_eq "$(sev R-PLAIN)" "medium" "no level at all: warning -> medium"
expect_eq "$(sev R-NONE)" "info" "level none -> info"

# --- list filters --------------------------------------------------------------------
sg findings --product scored --severity high --format json
expect_rc 0 "findings --severity high"
expect_eq "$(py 'print(",".join(sorted(f["rule"] for f in d)))')" "R-CRIT,R-CRIT9,R-LEVEL,R-RULE-HIGH" "--severity high means high and above (critical too)"
sg findings --product scored --severity critical --format json
expect_eq "$(py 'print(",".join(sorted(f["rule"] for f in d)))')" "R-CRIT,R-CRIT9" "--severity critical: critical only"
sg findings --product scored --severity info --format json
expect_eq "$(py 'print(len(d))')" "8" "--severity info: everything"
sg findings --product scored --severity bogus
expect_rc 2 "--severity bogus exits 2"
sg findings list --product scored --format json
expect_rc 0 "'findings list' form"
expect_eq "$(py 'print(len(d))')" "8" "'findings list' lists the same"

sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest flawfinder for demo"
sg findings --product demo --format json
expect_rc 0 "findings --format json"
check "json: an array of objects" py 'sys.exit(0 if isinstance(d, list) and d and all(isinstance(f, dict) for f in d) else 1)'
check "json: each has id, fingerprint, status, severity, tool, rule, path, line, message, first_seen, last_seen" \
	py 'sys.exit(0 if all({"id","fingerprint","status","severity","tool","rule","path","line","message","first_seen","last_seen"} <= set(f) for f in d) else 1)'
check "json: fingerprints are 32 hex" py 'import re; sys.exit(0 if all(re.fullmatch("[0-9a-f]{32}", f["fingerprint"]) for f in d) else 1)'
check "json: types (id int, line int, strings)" py 'sys.exit(0 if all(isinstance(f["id"], int) and isinstance(f["line"], int) and all(isinstance(f[k], str) for k in ("status","severity","tool","rule","path","message","first_seen","last_seen")) for f in d) else 1)'
expect_eq "$(py 'print(len(d), {f["product"] if "product" in f else "demo" for f in d} == {"demo"})')" "$N_FF True" "json: the product's $N_FF findings only"

# fix two (a subset for a new commit), triage one as false positive
python3 - "$FF" subset.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"] = [r for i, r in enumerate(d["runs"][0]["results"]) if i not in (0, 4)]
json.dump(d, open(sys.argv[2], "w"))
EOF
sg ingest sarif subset.sarif --product demo --commit "$C2"
expect_rc 0 "ingest a subset (two fixed)"
FP=$(rows "SELECT id FROM finding WHERE rule='FF1044' AND product_id=(SELECT id FROM product WHERE name='demo')")
sg findings show "$FP" --format json
events_before=$(py 'print(len(d["events"]))')

# --- triage --------------------------------------------------------------------------
sg findings triage "$FP" --status false_positive
expect_rc 2 "triage without --reason exits 2"
expect_err "reason" "triage without --reason names --reason"
sg findings triage "$FP" --status false_positive --reason ""
expect_rc 2 "triage with an empty --reason exits 2"
sg findings triage "$FP" --status fixed --reason "I fixed it"
expect_rc 2 "triage --status fixed exits 2 (scans decide fixed)"
sg findings triage "$FP" --status bogus --reason "x"
expect_rc 2 "triage --status bogus exits 2"
sg findings triage "$FP" --reason "x"
expect_rc 2 "triage without --status exits 2"
sg findings triage 999999 --status false_positive --reason "x"
expect_rc 2 "triage of a missing finding exits 2"
expect_eq "$(rows "SELECT status FROM finding WHERE id=$FP")" "open" "failed triage attempts change nothing"
sg findings show "$FP" --format json
expect_eq "$(py 'print(len(d["events"]))')" "$events_before" "failed triage attempts record no event"
sg findings triage "$FP" --status false_positive --reason "system() gets a constant here"
expect_rc 0 "triage --status false_positive --reason exits 0"
expect_eq "$(rows "SELECT status FROM finding WHERE id=$FP")" "false_positive" "the finding is false_positive"
sg findings show "$FP" --format json
expect_eq "$(py 'e = d["events"][-1]; print(e["event"], e["from"], e["to"], e["reason"])')" "triaged open false_positive system() gets a constant here" "triage recorded as an event with from, to and the reason"
expect_eq "$(py 'print(d["finding"]["status"])')" "false_positive" "findings show json: status false_positive"
sg findings triage "$FP" --status false_positive --reason "again"
expect_rc 2 "triage to the same status again exits 2"
sg findings show "$FP" --format json
expect_eq "$(py 'print(len(d["events"]))')" "$((events_before + 1))" "triage to the same status records nothing"

# --- status filters ------------------------------------------------------------------------
sg findings --product demo --format json
expect_eq "$(py 'print(len(d), {f["status"] for f in d})')" "$((N_FF - 3)) {'open'}" "default: open findings only"
sg findings --product demo --status open --format json
expect_eq "$(py 'print(len(d))')" "$((N_FF - 3))" "--status open"
sg findings --product demo --status fixed --format json
expect_eq "$(py 'print(len(d), {f["status"] for f in d})')" "2 {'fixed'}" "--status fixed: the two fixed"
sg findings --product demo --status false_positive --format json
expect_eq "$(py 'print(len(d), d[0]["id"], d[0]["status"])')" "1 $FP false_positive" "--status false_positive: the triaged one"
sg findings --product demo --status all --format json
expect_eq "$(py 'print(len(d))')" "$N_FF" "--status all: every finding"
sg findings --product demo --status all --severity high --format json
expect_eq "$(py 'print(len(d))')" "$N_HIGH" "--status all --severity high: every high finding"
sg findings --product demo --status bogus
expect_rc 2 "--status bogus exits 2"
sg findings --product demo --format xml
expect_rc 2 "--format xml exits 2"
sg findings --product nope
expect_rc 2 "findings of an unknown product exits 2"
sg findings
expect_rc 2 "findings without --product exits 2"
sg findings --product demo --limit 3 --format json
expect_eq "$(py 'print(len(d))')" "3" "--limit 3"
sg findings --product demo
expect_rc 0 "findings text"
expect_out "$((N_FF - 3)) findings" "text: a count line"
check "text: each line has #id, severity, status, tool, rule, path:line" grep -Eq '^#[0-9]+ +(high|medium|low) +open +Flawfinder FF[0-9]+ c-vuln/vuln\.c:[0-9]+' <<<"$SG_OUT"

# a false positive stays one through rescans
sg ingest sarif "$FF" --product demo --commit "$C3"
expect_rc 0 "rescan reporting the false positive again"
expect_eq "$(rows "SELECT status FROM finding WHERE id=$FP")" "false_positive" "a rescan does not reopen a false positive"
expect_out "2 reopened" "the rescan reopens only the two fixed"

# triage back to open (the usage allows false_positive|open)
sg findings triage "$FP" --status open --reason "it is reachable after all"
expect_rc 0 "triage back to open exits 0"
sg findings show "$FP" --format json
expect_eq "$(py 'e = d["events"][-1]; print(e["from"], e["to"], e["reason"])')" "false_positive open it is reachable after all" "triage back to open is recorded with its reason"

# --- findings show ----------------------------------------------------------------------------
sg findings show "$FP"
expect_rc 0 "findings show ID (text)"
expect_out "finding $FP" "show text: the id"
expect_out "FF1044" "show text: the rule"
expect_out "c-vuln/vuln.c:20" "show text: the location"
expect_out "history:" "show text: the history"
expect_out "it is reachable after all" "show text: triage reasons in the history"
sg findings show "$FP" --format json
check "show json: finding and events" py 'sys.exit(0 if d["finding"]["id"] == '"$FP"' and isinstance(d["events"], list) and d["events"][0]["event"] == "opened" else 1)'
sg findings show 999999
expect_rc 2 "findings show 999999 exits 2"
expect_err "999999" "findings show 999999 names the id"
sg findings show abc
expect_rc 2 "findings show abc exits 2"
sg findings show 0
expect_rc 2 "findings show 0 exits 2"
sg findings show -- -1
expect_rc 2 "findings show -1 exits 2"
sg findings show
expect_rc 2 "findings show without an id exits 2"

# --- release create -------------------------------------------------------------------------
sg release create demo 1.0 --commit "$C1"
expect_rc 0 "release create exits 0"
expect_eq "$(rows "SELECT version||'|'||commit_sha FROM release")" "1.0|$C1" "release row: version and commit"
sg release create demo 1.0 --commit "$C2"
expect_rc 2 "release create of a duplicate version exits 2"
expect_eq "$(rows "SELECT count(*)||'|'||commit_sha FROM release")" "1|$C1" "a duplicate version changes nothing"
sg release create demo 5.0 --commit xyz
expect_rc 2 "release create with commit xyz exits 2"
sg release create demo 5.0 --commit 12345
expect_rc 2 "release create with a 5-hex commit exits 2"
sg release create demo 5.0 --commit "$(printf 'a%.0s' $(seq 65))"
expect_rc 2 "release create with a 65-hex commit exits 2"
sg release create demo 5.0
expect_rc 2 "release create without --commit exits 2"
sg release create demo --commit "$C1"
expect_rc 2 "release create without a version exits 2"
sg release create demo "" --commit "$C1"
expect_rc 2 "release create with an empty version exits 2"
sg release frob demo 5.0 --commit "$C1"
expect_rc 2 "release frob exits 2"
expect_eq "$(rows "SELECT count(*) FROM release")" "1" "failed release creates wrote nothing"
sg release create newprod 1.0 --commit "$C1" --build-digest "sha256:$(printf '0%.0s' $(seq 64))"
expect_rc 0 "release create for a new product with a build digest"
expect_eq "$(rows "SELECT count(*) FROM product WHERE name='newprod'")" "1" "release create makes the product on first use"
