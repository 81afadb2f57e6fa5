#!/usr/bin/env bash
# The policy file: show, check, unknown keys, syntax errors, --policy,
# block_release, severity_overrides, and the sha256 every verdict records.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
C1=$(commit_of one)
C2=$(commit_of two)

# What flawfinder's vuln.sarif holds, by level (error high, warning medium, note low).
read -r N_HIGH N_MEDIUM N_LOW < <(python3 - "$FF" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"].get("rules", [])}
n = {"error": 0, "warning": 0, "note": 0}
for r in run["results"]:
    lvl = r.get("level") or rules.get(r["ruleId"], {}).get("defaultConfiguration", {}).get("level", "warning")
    n[lvl] += 1
print(n["error"], n["warning"], n["note"])
EOF
)
# The high results of rule FF1044 (the one the override demotes).
N_FF1044=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if r["ruleId"]=="FF1044" and r.get("level")=="error"))' "$FF")

# --- policy show before init: the built-in policy ----------------------------
sg policy show
expect_rc 0 "policy show works without a store or shipgate.yml"
expect_out "built-in" "policy show names the built-in policy as its source"
check "policy show prints a sha256 (64 hex)" grep -Eq '^# sha256 [0-9a-f]{64}$' <<<"$SG_OUT"
expect_out "policy: secure-development" "policy show prints the policy id"
expect_out "block_release: [critical, high]" "policy show prints block_release"
expect_out "max_age_days: 7" "[sast] built-in policy: max_age_days 7"
expect_out "on_release_commit: true" "[sast] built-in policy: on_release_commit true"
expect_out "$(printf '  sca:\n    on_release_commit: true\n    max_age_days: 30')" "[sca] built-in policy: clause sca, on_release_commit true, max_age_days 30"
check "built-in policy: no licence policy" bash -c '! grep -q "^licenses:" <<<"$1"' _ "$SG_OUT"
builtin_sha=$(sed -n 's/^# sha256 //p' <<<"$SG_OUT")

sg init
expect_rc 0 "init exits 0"
sg policy check shipgate.yml
expect_rc 0 "policy check of the starter shipgate.yml exits 0"
expect_out "valid policy" "policy check says valid"
sg policy show
expect_rc 0 "policy show with ./shipgate.yml exits 0"
expect_out "shipgate.yml" "policy show names ./shipgate.yml as its source"
starter_sha=$(sha256sum shipgate.yml | cut -d' ' -f1)
expect_out "# sha256 $starter_sha" "policy show prints the sha256 of ./shipgate.yml"
starter_rendered=$(sed 1,2d <<<"$SG_OUT")
builtin_rendered=$(cd / && "$SG_BIN" policy show | sed 1,2d)
expect_eq "$starter_rendered" "$builtin_rendered" "the starter shipgate.yml is the built-in policy (rendered the same)"
expect_eq "$starter_sha" "$builtin_sha" "the starter shipgate.yml has the built-in policy's sha256"
# The show output is itself a valid policy.
sg policy show
sed 1,2d <<<"$SG_OUT" >shown.yml
sg policy check shown.yml
expect_rc 0 "policy show's output passes policy check"

# --- policy check: errors ------------------------------------------------------
cat >unknown.yml <<'EOF'
policy: p
block_release: [critical, high]
require:
  sast: {}
  dast: {}
EOF
sg policy check unknown.yml
expect_rc 2 "unknown key under require (dast, not yet evaluable) exits 2"
expect_err "[policy-unknown-key]" "unknown key: [policy-unknown-key]"
expect_err "unknown.yml:5:3" "unknown key: file:line:column of the key"
expect_err "dast" "unknown key is named"

printf 'policy: p\nblock_relase: [high]\n' >typo.yml
sg policy check typo.yml
expect_rc 2 "misspelt top-level key exits 2"
expect_err "typo.yml:2:1" "misspelt key: line 2 column 1"
expect_err "[policy-unknown-key]" "misspelt key: [policy-unknown-key]"

cat >ovkey.yml <<'EOF'
policy: p
block_release: [high]
severity_overrides:
  - tool: Flawfinder
    rule: FF1044
    severity: low
    sevrity: high
EOF
sg policy check ovkey.yml
expect_rc 2 "unknown key inside a severity_overrides entry exits 2"
expect_err "ovkey.yml:7:5" "override unknown key: line 7 column 5"
expect_err "[policy-unknown-key]" "override unknown key: [policy-unknown-key]"

printf 'policy: p\nblock_release: [high\n' >syntax.yml
sg policy check syntax.yml
expect_rc 2 "YAML syntax error exits 2"
expect_err "[policy-syntax]" "YAML syntax error: [policy-syntax]"
check "YAML syntax error: file:line:column in stderr" grep -Eq 'syntax\.yml:[0-9]+:[0-9]+' <<<"$SG_ERR"

printf 'policy: p\nblock_release: [hihg]\n' >value.yml
sg policy check value.yml
expect_rc 2 "unknown severity exits 2"
expect_err "[policy-value]" "unknown severity: [policy-value]"
expect_err "value.yml:2:" "unknown severity: line 2"

printf 'policy: p\nrequire:\n  sast:\n    max_age_days: 0\n' >age.yml
sg policy check age.yml
expect_rc 2 "[sast] max_age_days 0 exits 2"
expect_err "[policy-value]" "[sast] max_age_days 0: [policy-value]"

printf 'policy: p\npolicy: q\n' >dup.yml
sg policy check dup.yml
expect_rc 2 "duplicate key exits 2"
expect_err "[policy-duplicate-key]" "duplicate key: [policy-duplicate-key]"

# licenses: the starter's commented example is a valid policy once uncommented
sed '/^# licenses:$/,/^$/s/^# //' shipgate.yml >licenses.yml
check "licenses.yml: the starter with its licenses example uncommented" grep -qx 'licenses:' licenses.yml
sg policy check licenses.yml
expect_rc 0 "[sca] the starter's licenses example, uncommented, passes policy check"
sg --policy licenses.yml policy show
expect_out "$(printf 'licenses:\n  deny: [GPL-3.0-only, GPL-3.0-or-later, GPL-3.0, AGPL-3.0-only, AGPL-3.0-or-later, AGPL-3.0]\n  allow: []\n  severity: high')" \
	"[sca] policy show prints the licenses section, allow and severity spelt out"
printf 'policy: p\nblock_release: [high]\nlicenses:\n  deny: [GPL-3.0-only, MIT]\n  allow: [mit]\n' >both.yml
sg policy check both.yml
expect_rc 2 "[sca] a licence both denied and allowed exits 2"
expect_err "[policy-value]" "[sca] denied and allowed: [policy-value]"
expect_err "both.yml:5:11" "[sca] denied and allowed: file:line:column of the second mention"
printf 'policy: p\nblock_release: [high]\nrequire:\n  sca: {max_age_days: 30, tool: syft}\n' >scakey.yml
sg policy check scakey.yml
expect_rc 2 "[sca] an unknown key under require.sca exits 2"
expect_err "[policy-unknown-key]" "[sca] unknown key under sca: [policy-unknown-key]"

sg policy check missing.yml
expect_rc 2 "policy check of a missing file exits 2"
expect_err "missing.yml" "missing policy file is named"
sg policy check
expect_rc 2 "policy check without a file exits 2"
sg policy frob
expect_rc 2 "policy frob exits 2"

# A bad policy in effect stops every command that needs it: never a fallback.
sg --policy unknown.yml gate --product demo
expect_rc 2 "gate with a bad --policy exits 2"
expect_err "[policy-unknown-key]" "gate with a bad --policy names the diagnostic"
cp shipgate.yml good.yml
cp typo.yml shipgate.yml
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 2 "ingest with a bad ./shipgate.yml exits 2 (no silent built-in fallback)"
expect_eq "$(rows "SELECT count(*) FROM scan")" "0" "ingest with a bad policy wrote no scan"
expect_eq "$(rows "SELECT count(*) FROM product")" "0" "ingest with a bad policy wrote no product"
cp good.yml shipgate.yml

# --- the gate under the default policy --------------------------------------------
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest flawfinder vuln.sarif"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE severity=3")" "$N_HIGH" "flawfinder errors stored as high"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE severity=2")" "$N_MEDIUM" "flawfinder warnings stored as medium"
sg gate --product demo --format json
expect_rc 1 "[remediate.release] default policy: flawfinder's high findings block"
gate_total() { python3 -c 'import json,sys; print(json.load(sys.stdin)["blocking_total"])' <<<"$SG_OUT"; }
gate_sha() { python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["sha256"])' <<<"$SG_OUT"; }
gate_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["id"])' <<<"$SG_OUT"; }
expect_eq "$(gate_total)" "$N_HIGH" "[remediate.release] default policy: exactly the high findings block"
expect_eq "$(gate_sha)" "$(sha256sum shipgate.yml | cut -d' ' -f1)" "gate JSON policy.sha256 = sha256sum ./shipgate.yml"
expect_eq "$(gate_id)" "secure-development" "gate JSON policy.id is the policy's id"

# --- --policy FILE: block medium too ---------------------------------------------
cat >medium.yml <<'EOF'
# block medium findings as well
policy: strict-medium
block_release: [critical, high, medium]
require:
  sast:
    on_release_commit: true
    max_age_days: 7
EOF
sg policy check medium.yml
expect_rc 0 "policy check medium.yml exits 0"
sg --policy medium.yml gate --product demo --format json
expect_rc 1 "[remediate.release] --policy medium.yml gate blocks"
expect_eq "$(gate_total)" "$((N_HIGH + N_MEDIUM))" "[remediate.release] with block_release medium, medium findings block too"
expect_eq "$(gate_sha)" "$(sha256sum medium.yml | cut -d' ' -f1)" "gate JSON policy.sha256 = sha256sum of the --policy file"
expect_eq "$(gate_id)" "strict-medium" "gate JSON policy.id comes from --policy"
check "[remediate.release] a medium flawfinder finding is listed as blocking" \
	python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if any(b["severity"]=="medium" for b in d["blocking_findings"]) else 1)' <<<"$SG_OUT"
sg --policy="medium.yml" gate --product demo --format json
expect_eq "$(gate_total)" "$((N_HIGH + N_MEDIUM))" "--policy=FILE form works too"

# --- a policy that blocks nothing; a policy that requires no SAST -------------------
printf 'policy: lenient\nblock_release: []\nrequire:\n  sast: {}\n' >none.yml
sg --policy none.yml gate --product demo --format json
expect_rc 0 "[remediate.release] block_release [] blocks on none: gate passes"
expect_eq "$(gate_total)" "0" "[remediate.release] block_release []: no blockers"

# --- severity_overrides -------------------------------------------------------------------
cat >override.yml <<'EOF'
policy: override-ff1044
block_release: [critical, high]
require:
  sast: {}
severity_overrides:
  - tool: Flawfinder
    rule: FF1044
    severity: low
EOF
sg policy check override.yml
expect_rc 0 "policy check override.yml exits 0"
sg --policy override.yml policy show
expect_out "FF1044" "policy show prints the override"
# Ingest under the override policy (new product, so the severity is decided at ingest).
sg --policy override.yml ingest sarif "$FF" --product ovr --commit "$C1"
expect_rc 0 "ingest under the override policy"
expect_eq "$(rows "SELECT group_concat(DISTINCT severity) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='ovr' AND rule='FF1044'")" "1" "severity_overrides: FF1044 stored as low"
sg --policy override.yml gate --product ovr --format json
expect_rc 1 "gate under the override policy still blocks on the other high findings"
expect_eq "$(gate_total)" "$((N_HIGH - N_FF1044))" "[remediate.release] severity_overrides: the FF1044 finding no longer blocks"
check "[remediate.release] FF1044 is not among the blockers" \
	python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(1 if any(b["rule"]=="FF1044" for b in d["blocking_findings"]) else 0)' <<<"$SG_OUT"
expect_eq "$(gate_sha)" "$(sha256sum override.yml | cut -d' ' -f1)" "gate JSON policy.sha256 = sha256sum override.yml"

# The same override, decided at the gate: the product ingested under the
# default policy, then gated under the override. Every verdict records the
# policy's sha256, so it must be the verdict of THAT policy.
sg --policy override.yml gate --product demo --format json
expect_eq "$(gate_total)" "$((N_HIGH - N_FF1044))" "[remediate.release] an override in the gate's policy applies to findings ingested earlier"

# A tool-wide override; the rule entry wins over the tool entry.
cat >toolwide.yml <<'EOF'
policy: toolwide
block_release: [critical, high, medium]
require:
  sast: {}
severity_overrides:
  - tool: Flawfinder
    severity: info
  - tool: Flawfinder
    rule: FF1001
    severity: critical
EOF
sg policy check toolwide.yml
expect_rc 0 "policy check toolwide.yml exits 0"
sg --policy toolwide.yml ingest sarif "$FF" --product tw --commit "$C2"
expect_rc 0 "ingest under the tool-wide override policy"
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='tw' AND severity=4")" \
	"$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if r["ruleId"]=="FF1001"))' "$FF")" \
	"severity_overrides: the rule entry (critical) wins over the tool entry"
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='tw' AND severity NOT IN (0,4)")" "0" \
	"severity_overrides: every other Flawfinder finding is info"
sg --policy toolwide.yml gate --product tw --format json
expect_rc 1 "[remediate.release] the critical FF1001 blocks under toolwide.yml"
check "[remediate.release] only critical FF1001 findings block under toolwide.yml" \
	python3 -c 'import json,sys; d=json.load(sys.stdin); b=d["blocking_findings"]; sys.exit(0 if b and all(x["rule"]=="FF1001" and x["severity"]=="critical" for x in b) else 1)' <<<"$SG_OUT"

# The built-in policy when there is no ./shipgate.yml.
mv shipgate.yml keep.yml
sg gate --product demo --format json
expect_eq "$(gate_sha)" "$builtin_sha" "without ./shipgate.yml the gate records the built-in policy's sha256"
mv keep.yml shipgate.yml
