#!/usr/bin/env bash
# `ingest sarif|sbom --format json`: the report as one JSON object, the
# shape the API answers an upload with (app/ingest_report.c, docs/api.md);
# `--format text` (the default) prints what it always printed. Checked with
# python3's json module, against the store.
. "$(dirname "$0")/lib.sh"

DEMO_SBOM=$ROOT/examples/demo-app/sbom.cdx.json
DEMO_DB=$ROOT/examples/demo-app/vulndb
C1=$(commit_of c1)
C2=$(commit_of c2)

# py EXPR: print EXPR with d = the JSON on stdout of the last run
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); print(($1))" "$SG_OUT" 2>&1; }
is_json() { python3 -c 'import json, sys; json.loads(sys.argv[1])' "$SG_OUT" 2>/dev/null; }

sg init
expect_rc 0 "init"
cat >tiny.sarif <<'EOF'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "tiny"}},
 "results": [{"ruleId": "T1", "level": "error", "message": {"text": "x"},
   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": 1}}}]},
  {"ruleId": "T2", "kind": "pass", "message": {"text": "y"}}]}]}
EOF
cat >second.sarif <<'EOF'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "tiny"}},
 "results": [{"ruleId": "T3", "message": {"text": "z"}, "baselineState": "absent"}]},
 {"tool": {"driver": {"name": "quiet"}}, "results": null}]}
EOF
printf '{"version": "2.1.0", "runs": []}\n' >norun.sarif

# =====================================================================================
# ingest sarif
# =====================================================================================
sg ingest sarif tiny.sarif --product web --commit "$C1" --format json
expect_rc 0 "ingest sarif --format json exits 0"
check "the output is one JSON document" is_json
expect_eq "$(py 'sorted(d.keys())')" "['commit', 'files', 'fixed']" "the report has commit, files and fixed"
expect_eq "$(py 'd["commit"]')" "$C1" "commit is the commit ingested for"
expect_eq "$(py 'd["fixed"]')" "0" "nothing fixed"
expect_eq "$(py 'len(d["files"])')" "1" "one file"
expect_eq "$(py 'sorted(d["files"][0].keys())')" \
	"['absent', 'duplicate', 'duplicate_of', 'file', 'new', 'not_failures', 'reopened', 'results', 'runs', 'scan', 'tool_failed_runs']" \
	"a file's members"
expect_eq "$(py 'd["files"][0]["file"]')" "tiny.sarif" "the file is named as given"
expect_eq "$(py '[d["files"][0][k] for k in ("runs", "results", "new", "reopened", "not_failures", "absent", "tool_failed_runs")]')" \
	"[1, 1, 1, 0, 1, 0, 0]" "one run, one result (a new finding), one not a failure"
expect_eq "$(py 'd["files"][0]["duplicate"], d["files"][0]["duplicate_of"]')" "(False, None)" "not a duplicate"
SCAN=$(py 'd["files"][0]["scan"]')
expect_eq "$SCAN" "$(rows "SELECT max(id) FROM scan")" "scan is the scan recorded"

# the same file again for the same commit: a duplicate, no scan of its own
sg ingest sarif tiny.sarif --product web --commit "$C1" --format json
expect_rc 0 "the same file again: exit 0"
expect_eq "$(py 'd["files"][0]["duplicate"], d["files"][0]["duplicate_of"], d["files"][0]["scan"]')" \
	"(True, $SCAN, None)" "the same file again: duplicate of scan $SCAN, no scan"

# two files at once, one with several runs (a failed tool, an absent result), one with none
sg ingest sarif second.sarif norun.sarif --product web --commit "$C2" --format json
expect_rc 0 "two files: exit 0"
expect_eq "$(py '[f["file"] for f in d["files"]]')" "['second.sarif', 'norun.sarif']" "both files, in order"
expect_eq "$(py '[d["files"][0][k] for k in ("runs", "results", "absent", "tool_failed_runs")]')" "[2, 0, 1, 1]" \
	"second.sarif: two runs, an absent result, a failed tool"
expect_eq "$(py 'd["files"][1]["runs"], d["files"][1]["scan"]')" "(0, None)" "a log without runs: no scan"
expect_eq "$(py 'd["fixed"]')" "1" "the tiny view of commit 2 no longer reports T1: fixed"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'fixed'")" "1" "the store agrees: one finding fixed"

# text stays as it was
sg ingest sarif tiny.sarif --product web2 --commit "$C1"
expect_rc 0 "ingest sarif (text) exits 0"
expect_eq "$SG_OUT" "tiny.sarif: scan $((SCAN + 3)): 1 result, 1 new, 0 reopened, 1 not failures (kind pass/review/...) skipped
0 findings fixed (no longer reported)" "the text report is unchanged"
sg ingest sarif tiny.sarif --product web3 --commit "$C1" --format text
expect_rc 0 "--format text exits 0"
expect_out "tiny.sarif: scan" "--format text is the text report"

# errors: no JSON on stdout, the error on stderr as always
sg ingest sarif tiny.sarif --product web --commit "$C1" --format xml
expect_rc 2 "--format xml: exit 2"
expect_err "[bad-value]" "--format xml: [bad-value]"
printf '{"version": "2.1.0", "runs": [' >cut.sarif
sg ingest sarif cut.sarif --product web --commit "$C1" --format json
expect_rc 2 "a truncated log with --format json: exit 2"
expect_eq "$SG_OUT" "" "a refused log prints nothing on stdout"
expect_err "[json-truncated]" "a truncated log: [json-truncated]"

# =====================================================================================
# ingest sbom
# =====================================================================================
sg vulndb import "$DEMO_DB"
expect_rc 0 "vulndb import of the demo records"
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1" --format json
expect_rc 0 "ingest sbom --format json exits 0"
check "the output is one JSON document" is_json
expect_eq "$(py 'sorted(d.keys())')" \
	"['commit', 'components', 'duplicate', 'duplicate_of', 'format', 'match', 'scan', 'spec_version', 'subject', 'tool', 'tool_version', 'vex', 'without_purl']" \
	"the SBOM report's members"
expect_eq "$(py 'd["format"], d["spec_version"], d["tool"], d["commit"] == "'"$C1"'"')" "('CycloneDX', '1.5', 'syft', True)" \
	"format, version, generator and commit"
expect_eq "$(py 'd["components"], d["without_purl"], d["vex"], d["duplicate"], d["duplicate_of"]')" "(7, 2, 0, False, None)" \
	"7 components, 2 without purl, no VEX, not a duplicate"
expect_eq "$(py 'sorted(d["match"].keys())')" \
	"['components', 'findings', 'fixed', 'license_findings', 'new', 'not_applicable', 'reopened', 'skipped_versions', 'unmatched', 'unplaceable', 'vulnerable']" \
	"the match counts' members"
expect_eq "$(py '[d["match"][k] for k in ("components", "unmatched", "vulnerable", "findings", "new", "reopened", "fixed")]')" \
	"[7, 2, 2, 2, 2, 0, 0]" "2 vulnerable components, 2 new findings"
SBOM_SCAN=$(py 'd["scan"]')
expect_eq "$SBOM_SCAN" "$(rows "SELECT max(id) FROM scan WHERE kind = 'sca'")" "scan is the SBOM's scan"
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demo'")" "2" \
	"the store agrees: two findings"

sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1" --format json
expect_rc 0 "the same SBOM again: exit 0"
expect_eq "$(py 'd["duplicate"], d["duplicate_of"], d["scan"], d["format"]')" "(True, $SBOM_SCAN, None, None)" \
	"the same SBOM again: a duplicate of scan $SBOM_SCAN, nothing else"

sg ingest sbom "$DEMO_SBOM" --product demo2 --commit "$C1"
expect_rc 0 "ingest sbom (text) exits 0"
expect_out "CycloneDX 1.5 from syft: scan $((SBOM_SCAN + 1)): 7 components (2 without purl, 2 not matchable), 0 VEX statements" \
	"the SBOM text report is unchanged"
expect_out "findings: 2 new, 0 reopened, 0 not applicable (VEX)" "the SBOM text report still counts findings"

sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1" --format yaml
expect_rc 2 "ingest sbom --format yaml: exit 2"
expect_err "[bad-value]" "ingest sbom --format yaml: [bad-value]"
printf '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>\n' >bom.xml
sg ingest sbom bom.xml --product demo --commit "$C2" --format json
expect_rc 2 "CycloneDX XML with --format json: exit 2"
expect_eq "$SG_OUT" "" "a refused SBOM prints nothing on stdout"
expect_err "[sbom-unsupported]" "CycloneDX XML: [sbom-unsupported]"

sg audit verify
expect_rc 0 "audit verify passes after the JSON ingests"
