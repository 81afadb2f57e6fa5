#!/usr/bin/env bash
# The gate: clauses remediate.release, exceptions, remediate.sla and sast,
# its five output formats, triage, releases, stale scans and bad usage; clause
# sca of the starter policy only as far as it fails without an SBOM.
# (Exceptions and SLA deadlines in depth: t4000-exceptions.sh, t4100-sla.sh.)
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
C1=$(commit_of gate-1)
C2=$(commit_of gate-2)
C3=$(commit_of gate-3)
C4=$(commit_of gate-4)

py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
N_HIGH=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if r.get("level")=="error"))' "$FF")

sg init
expect_rc 0 "init"
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest flawfinder for demo"

# --- text -------------------------------------------------------------------------
sg gate --product demo
expect_rc 1 "[remediate.release] open high findings: gate exits 1"
expect_out "BLOCK" "text: verdict BLOCK"
expect_out "remediate.release" "text names clause remediate.release"
check "[remediate.release] text lists every blocker with id, severity, rule and location" python3 - "$SG_OUT" <<'EOF'
import re, subprocess, sys, os
out = sys.argv[1]
rows = subprocess.run(["sqlite3", os.environ["SHIPGATE_DB"][7:],
    "SELECT id, rule, path, line FROM finding WHERE severity>=3 AND status='open'"],
    capture_output=True, text=True).stdout.split()
assert rows, "no high findings"
for r in rows:
    i, rule, path, line = r.split("|")
    if not re.search(r"#%s\s+high\s+.*\b%s\b.*%s:%s" % (i, re.escape(rule), re.escape(path), line), out):
        print("missing", r); sys.exit(1)
EOF
check "[sast] text: the sast clause passes on a fresh scan" grep -Eq '^ *ok +sast' <<<"$SG_OUT"

# --- json ----------------------------------------------------------------------------
sg gate --product demo --format json
expect_rc 1 "gate --format json exits 1 when blocked"
check "json: parses" py 'pass'
check "json: exactly the keys product, release, verdict, policy, clauses, blocking_findings, waived_findings, blocking_total, waived_total, evaluated_at, clock_overridden" \
	py 'sys.exit(0 if set(d) == {"product","release","verdict","policy","clauses","blocking_findings","waived_findings","blocking_total","waived_total","evaluated_at","clock_overridden"} else 1)'
expect_eq "$(py 'print(d["product"], d["release"], d["verdict"])')" "demo None block" "json: product demo, release null, verdict block"
check "json: policy has exactly id and sha256" py 'sys.exit(0 if set(d["policy"]) == {"id","sha256"} and len(d["policy"]["sha256"]) == 64 else 1)'
expect_eq "$(py 'print(d["policy"]["sha256"])')" "$(sha256sum shipgate.yml | cut -d" " -f1)" "json: policy.sha256 = sha256sum shipgate.yml"
expect_eq "$(py 'print(",".join(c["id"] for c in d["clauses"]))')" "remediate.release,exceptions,remediate.sla,sast,sca" \
	"json: clause ids are exactly remediate.release, exceptions, remediate.sla (the starter policy has sla_days), sast and sca, in that order"
check "json: every clause has exactly id, status, reasons" py 'sys.exit(0 if all(set(c) == {"id","status","reasons"} and isinstance(c["reasons"], list) for c in d["clauses"]) else 1)'
check "json: clause statuses are pass|fail|waived|not_applicable" py 'sys.exit(0 if all(c["status"] in ("pass","fail","waived","not_applicable") for c in d["clauses"]) else 1)'
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"]])')" "fail pass pass pass fail" \
	"[remediate.release][sast][sca] json: remediate.release fail; exceptions, remediate.sla (fresh findings) and sast pass; sca fails (no SBOM)"
expect_eq "$(py 'print(*[r for c in d["clauses"] if c["id"] == "sca" for r in c["reasons"]])')" "no SBOM recorded for product demo" \
	"[sca] json: the reason: no SBOM recorded for product demo"
check "json: every clause gives at least one reason" py 'sys.exit(0 if all(c["reasons"] and all(isinstance(x, str) and x for x in c["reasons"]) for c in d["clauses"]) else 1)'
expect_eq "$(py 'print(len(d["blocking_findings"]), d["blocking_total"])')" "$N_HIGH $N_HIGH" "[remediate.release] json: $N_HIGH blocking findings, blocking_total $N_HIGH"
check "json: each blocker has id, severity, rule, path, line" py 'sys.exit(0 if all({"id","severity","rule","path","line"} <= set(b) and b["severity"] == "high" for b in d["blocking_findings"]) else 1)'
expect_eq "$(py 'print(sorted(b["id"] for b in d["blocking_findings"]))')" \
	"$(rows "SELECT '['||group_concat(id, ', ')||']' FROM (SELECT id FROM finding WHERE severity>=3 AND status='open' ORDER BY id)")" \
	"[remediate.release] json: the blockers are exactly the open high findings"
expect_eq "$(py 'print(d["waived_findings"], d["waived_total"])')" "[] 0" "json: waived_findings is an empty list, waived_total 0"
expect_eq "$(py 'print(d["clock_overridden"])')" "False" "json: clock_overridden false without \$SHIPGATE_NOW"
check "json: evaluated_at is an RFC 3339 UTC time" py 'import re; sys.exit(0 if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["evaluated_at"]) else 1)'

# --- markdown -------------------------------------------------------------------------
sg gate --product demo --format markdown
expect_rc 1 "gate --format markdown exits 1 when blocked"
check "markdown: has a table header and separator" grep -Eq '^\| *clause *\|' <<<"$SG_OUT"
check "markdown: has a |---| separator row" grep -Eq '^\|(-+\|)+' <<<"$SG_OUT"
check "markdown: a row per clause" test "$(grep -Ec '^\| `?(remediate\.release|exceptions|remediate\.sla|sast|sca)`? *\|' <<<"$SG_OUT")" = 5
check "markdown: lists the blockers" test "$(grep -Ec '^\| [0-9]+ \| high \|' <<<"$SG_OUT")" = "$N_HIGH"

# --- junit ------------------------------------------------------------------------------
sg gate --product demo --format junit
expect_rc 1 "gate --format junit exits 1 when blocked"
printf '%s\n' "$SG_OUT" >gate-junit.xml
check "junit: well-formed XML" python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' gate-junit.xml
expect_eq "$(python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
print(",".join(tc.get("name") for tc in t.iter("testcase")))' gate-junit.xml)" "remediate.release,exceptions,remediate.sla,sast,sca" "junit: one testcase per clause"
expect_eq "$(python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
print(",".join(tc.get("name") for tc in t.iter("testcase") if tc.find("failure") is not None))' gate-junit.xml)" "remediate.release,sca" "junit: a failure for the failing clauses only"

# --- sarif -------------------------------------------------------------------------------
sg gate --product demo --format sarif
expect_rc 1 "gate --format sarif exits 1 when blocked"
check "sarif: valid JSON, version 2.1.0" py 'sys.exit(0 if d["version"] == "2.1.0" else 1)'
expect_eq "$(py 'print(sum(len(r.get("results") or []) for r in d["runs"]))')" "$N_HIGH" "sarif: one result per blocking finding"
check "sarif: results carry the blockers' locations" py 'sys.exit(0 if all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "c-vuln/vuln.c" for r in d["runs"][0]["results"]) else 1)'
# shipgate's own gate SARIF is itself ingestible
printf '%s\n' "$SG_OUT" >gate.sarif
sg ingest sarif gate.sarif --product gate-output --commit "$C1"
expect_rc 0 "the gate's SARIF can be ingested by shipgate"

sg gate --product demo --format foo
expect_rc 2 "gate --format foo exits 2"
check "gate --format foo: [bad-value] or [usage]" grep -Eq "\[(bad-value|usage)\]" <<<"$SG_ERR"
sg gate
expect_rc 2 "gate without --product exits 2"
sg gate --product nope
expect_rc 2 "gate of an unknown product exits 2"
expect_err "nope" "unknown product is named"
sg gate --product demo --release 9.9
expect_rc 2 "gate --release unknown exits 2"
expect_err "9.9" "unknown release is named"

# Clause sca wants an SBOM, which this script does not ingest: from here on the
# starter policy without require.sca, so that the verdicts below turn on the
# other clauses alone.
cp shipgate.yml starter.yml
"$SG_BIN" policy show | sed '/^  sca:$/,+2d' >nosca.yml && mv nosca.yml shipgate.yml
check "shipgate.yml: the starter policy without clause sca" bash -c 'grep -q "^  sast:" shipgate.yml && ! grep -q "sca:" shipgate.yml'
sg gate --product demo --format json
expect_eq "$(py 'print(",".join(c["id"] for c in d["clauses"]))')" "remediate.release,exceptions,remediate.sla,sast" \
	"a policy without require.sca reports no sca clause"

# --- triage every high finding: the gate passes --------------------------------------------
for id in $(rows "SELECT id FROM finding WHERE severity>=3 AND status='open'"); do
	sg findings triage "$id" --status false_positive --reason "test: not reachable"
	[ "$SG_RC" = 0 ] || not_ok "triage $id (exit $SG_RC)"
done
expect_eq "$(rows "SELECT count(*) FROM finding WHERE severity>=3 AND status='open'")" "0" "all high findings triaged as false_positive"
sg gate --product demo --format json
expect_rc 0 "[remediate.release] no open high finding and a fresh scan: gate passes (exit 0)"
expect_eq "$(py 'print(d["verdict"], *[c["status"] for c in d["clauses"]], len(d["blocking_findings"]), d["blocking_total"])')" "pass pass pass pass pass 0 0" "json: verdict pass, every clause passes, no blockers"
sg gate --product demo
expect_rc 0 "text gate passes"
expect_out "PASS" "text: verdict PASS"
sg gate --product demo --format junit
expect_rc 0 "junit gate passes"
printf '%s\n' "$SG_OUT" >gate-junit-pass.xml
expect_eq "$(python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
print(len(list(t.iter("testcase"))), len(list(t.iter("failure"))))' gate-junit-pass.xml)" "4 0" "junit pass: four testcases, no failure"
sg gate --product demo --format sarif
expect_rc 0 "sarif gate passes"
expect_eq "$(py 'print(sum(len(r.get("results") or []) for r in d["runs"]))')" "0" "sarif pass: no results"
sg gate --product demo --format markdown
expect_rc 0 "markdown gate passes"

check "[remediate.release] open medium findings do not block under the default policy" test "$(rows "SELECT count(*) FROM finding WHERE severity=2 AND status='open'")" -gt 0

# --- clause sast with --release -----------------------------------------------------------
sg release create demo 2.0 --commit "$C2"
expect_rc 0 "release create demo 2.0"
sg gate --product demo --release 2.0 --format json
expect_rc 1 "[sast] gate fails without a scan of the release commit"
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "fail" "[sast] clause sast fails for release 2.0"
expect_out "no SAST scan of commit ${C2:0:12}" "[sast] reason: no SAST scan of commit <first 12 hex>"
expect_eq "$(py 'print(d["release"])')" "2.0" "json: release 2.0"
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "remediate.release"][0])')" "pass" "[remediate.release] still passes for release 2.0"
sg gate --product demo --release 2.0
expect_out "no SAST scan of commit ${C2:0:12}" "[sast] text: no SAST scan of commit <first 12 hex>"
# a DAST scan of that commit is not SAST
sg ingest sarif "$FF" --product demo --commit "$C2" --kind dast
expect_rc 0 "a dast ingest of the release commit"
sg gate --product demo --release 2.0
expect_rc 1 "[sast] a DAST scan of the release commit does not satisfy clause sast"
sg ingest sarif "$FF" --product demo --commit "$C2"
expect_rc 0 "ingest for the release commit"
sg gate --product demo --release 2.0 --format json
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] a SAST scan of the release commit: clause sast passes"

# commit prefixes: 7 hex at ingest match a release's full commit
sg release create demo 3.0 --commit "$C3"
expect_rc 0 "release create demo 3.0"
sg ingest sarif "$FF" --product demo --commit "${C3:0:7}"
expect_rc 0 "ingest with the 7-hex prefix of the release commit"
sg gate --product demo --release 3.0 --format json
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] a scan of the 7-hex commit prefix counts for the release's full commit"
# and the other way round: a release created with a prefix, a scan with the full id
sg release create demo 4.0 --commit "${C4:0:7}"
expect_rc 0 "release create with a 7-hex commit"
sg ingest sarif "$FF" --product demo --commit "$C4"
sg gate --product demo --release 4.0 --format json
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] a full-commit scan counts for a release made with the 7-hex prefix"

# --- clause sast without --release: max_age_days ---------------------------------------------
export SHIPGATE_NOW=2026-01-01T00:00:00Z
sg ingest sarif "$FF" --product old --commit "$C1"
unset SHIPGATE_NOW
expect_rc 0 "ingest at SHIPGATE_NOW=2026-01-01"
expect_eq "$(rows "SELECT datetime(s.created_at, 'unixepoch') FROM scan s JOIN product p ON p.id=s.product_id WHERE p.name='old'")" "2026-01-01 00:00:00" "SHIPGATE_NOW sets the scan time"
export SHIPGATE_NOW=2026-01-05T00:00:00Z
sg gate --product old --format json
unset SHIPGATE_NOW
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] a 4-day-old scan passes (max_age_days 7)"
expect_eq "$(py 'print(d["clock_overridden"], d["evaluated_at"])')" "True 2026-01-05T00:00:00Z" "json: clock_overridden true and evaluated_at = \$SHIPGATE_NOW when it is set"
export SHIPGATE_NOW=2026-01-08T00:00:00Z
sg gate --product old --format json
unset SHIPGATE_NOW
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] a scan exactly 7 days old passes"
export SHIPGATE_NOW=2026-01-20T00:00:00Z
sg gate --product old --format json
unset SHIPGATE_NOW
expect_rc 1 "[sast] a 19-day-old scan blocks the gate"
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "fail" "[sast] clause sast fails on a scan older than max_age_days"
check "[sast] the reason gives the age" py 'sys.exit(0 if any("19 days" in r for c in d["clauses"] if c["id"] == "sast" for r in c["reasons"]) else 1)'
# a newer scan makes it fresh again
export SHIPGATE_NOW=2026-01-19T00:00:00Z
sg ingest sarif "$FF" --product old --commit "$C2"
export SHIPGATE_NOW=2026-01-20T00:00:00Z
sg gate --product old --format json
unset SHIPGATE_NOW
expect_eq "$(py 'print([c["status"] for c in d["clauses"] if c["id"] == "sast"][0])')" "pass" "[sast] the newest scan counts: a 1-day-old one passes"

# a product with no scan at all (made by release create)
sg release create empty 1.0 --commit "$C1"
sg gate --product empty --format json
expect_rc 1 "[sast] a product without any SAST scan: gate exits 1"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"]])')" "pass pass pass fail" "[sast] no scan: remediate.release, exceptions, remediate.sla pass, sast fail"
sg gate --product empty --release 1.0
expect_out "no SAST scan of commit ${C1:0:12}" "[sast] no scan, --release: names the commit"
sg --policy starter.yml gate --product empty --release 1.0
expect_out "no SBOM of commit ${C1:0:12} (release 1.0)" "[sca] no SBOM, --release: names the commit and the release"

# --- policy without require.sast: no sast clause, and never a made-up verdict ----------------
printf 'policy: nosast\nblock_release: [critical, high]\nrequire: {}\n' >nosast.yml
sg --policy nosast.yml gate --product empty --format json
expect_rc 0 "a policy that requires no SAST: the gate passes on a product without scans"
expect_eq "$(py 'print(",".join(c["id"] for c in d["clauses"]))')" "remediate.release,exceptions" "a policy without require.sast (nor sla_days) reports no sast clause (nor remediate.sla)"
