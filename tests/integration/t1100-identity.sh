#!/usr/bin/env bash
# Finding identity (DESIGN.md "Finding identity"): tool fingerprints, else
# tool + rule + normalised path + flagged text (snippet or source line via
# --source-root) + occurrence. Line numbers are never part of identity.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
GL=$CORPUS/tools/gitleaks/secrets-repo.dir.sarif
SB=$CORPUS/tools/scan-build/vuln/vuln.sarif
VULN_C=$CORPUS/tools/_targets/c-vuln/vuln.c

n=0
pid() { rows "SELECT id FROM product WHERE name='$1'"; }
ids_of() { rows "SELECT group_concat(id) FROM (SELECT id FROM finding WHERE product_id=$(pid "$1") ORDER BY id)"; }
open_ids_of() { rows "SELECT group_concat(id) FROM (SELECT id FROM finding WHERE product_id=$(pid "$1") AND status='open' ORDER BY id)"; }
count_of() { rows "SELECT count(*) FROM finding WHERE product_id=$(pid "$1") ${2:+AND $2}"; }
ingest() { # ingest PRODUCT FILE [more args]: a new commit each time
	local p=$1 f=$2
	shift 2
	n=$((n + 1))
	sg ingest sarif "$f" --product "$p" --commit "$(commit_of "identity-$n")" "$@"
}
# shift.py IN OUT DELTA: every startLine/endLine in results moves by DELTA
cat >shift.py <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); delta = int(sys.argv[3])
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("startLine", "endLine") and isinstance(v, int):
                o[k] = v + delta
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
for run in d["runs"]:
    walk(run.get("results") or [])
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF

sg init
expect_rc 0 "init"
N_FF=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$FF")

# --- 1. flawfinder: moved code keeps every finding ----------------------------
ingest ff "$FF"
expect_rc 0 "ingest flawfinder vuln.sarif"
ids0=$(ids_of ff)
python3 shift.py "$FF" ff-shift7.sarif 7
ingest ff ff-shift7.sarif
expect_rc 0 "ingest with every startLine shifted by +7"
expect_out "$N_FF results, 0 new, 0 reopened" "shift +7: 0 new"
expect_out "0 findings fixed" "shift +7: 0 fixed"
expect_eq "$(ids_of ff)" "$ids0" "shift +7: the same finding ids"
expect_eq "$(open_ids_of ff)" "$ids0" "shift +7: all still open"
sg findings --product ff --format json
check "shift +7: findings JSON shows every line moved by 7" python3 - "$FF" "$SG_OUT" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"] + 7) for r in d["runs"][0]["results"])
got = sorted((f["rule"], f["line"]) for f in json.loads(sys.argv[2]))
sys.exit(0 if want == got else 1)
EOF
expect_eq "$(rows "SELECT count(*) FROM finding_event WHERE finding_id IN ($ids0) AND event<>'opened'")" "0" "shift +7: no events beyond 'opened'"

# --- 2. flawfinder: the flagged code changed -> fixed + new -----------------------
# As flawfinder would write it after an edit of line 11: new text, new contextHash.
python3 - "$FF" ff-edit.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]["results"][1]
assert r["ruleId"] == "FF1001"
r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] = "    strcpy(buf, other_name);          /* changed */"
r["fingerprints"] = {"contextHash/v1": "0" * 64}
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
id_ff1001=$(rows "SELECT id FROM finding WHERE product_id=$(pid ff) AND rule='FF1001'")
ingest ff ff-edit.sarif
expect_rc 0 "ingest with one result's code changed"
expect_out "1 new" "changed code: one new finding"
expect_out "1 finding fixed" "changed code: one finding fixed"
expect_eq "$(rows "SELECT status FROM finding WHERE id=$id_ff1001")" "fixed" "changed code: the old FF1001 finding is fixed"
expect_eq "$(count_of ff "rule='FF1001' AND status='open' AND id<>$id_ff1001")" "1" "changed code: a new FF1001 finding is open"
expect_eq "$(count_of ff)" "$((N_FF + 1))" "changed code: one more finding row"

# --- 3. no tool fingerprints: the snippet is the identity --------------------------
python3 - "$FF" nofp.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["runs"][0]["results"]:
    r.pop("fingerprints", None); r.pop("partialFingerprints", None)
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
ingest snip nofp.sarif
expect_rc 0 "ingest flawfinder without fingerprints"
expect_eq "$(count_of snip)" "$N_FF" "no fingerprints: one finding per result"
ids1=$(ids_of snip)
python3 shift.py nofp.sarif nofp-shift.sarif 12
ingest snip nofp-shift.sarif
expect_out "0 new, 0 reopened" "no fingerprints, lines +12: 0 new"
expect_out "0 findings fixed" "no fingerprints, lines +12: 0 fixed"
expect_eq "$(open_ids_of snip)" "$ids1" "no fingerprints, lines +12: same ids, all open"
# change the snippet text of one result
python3 - nofp.sarif nofp-edit.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]["results"][6]
assert r["ruleId"] == "FF1044"
r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] = "    return system(safe_cmd);"
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
id_ff1044=$(rows "SELECT id FROM finding WHERE product_id=$(pid snip) AND rule='FF1044'")
ingest snip nofp-edit.sarif
expect_out "1 new" "snippet changed: one new finding"
expect_out "1 finding fixed" "snippet changed: one finding fixed"
expect_eq "$(rows "SELECT status FROM finding WHERE id=$id_ff1044")" "fixed" "snippet changed: that finding is fixed"
expect_eq "$(count_of snip "rule='FF1044' AND status='open'")" "1" "snippet changed: a new FF1044 finding is open"
# indentation only
python3 - nofp-edit.sarif nofp-indent.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["runs"][0]["results"]:
    s = r["locations"][0]["physicalLocation"]["region"]["snippet"]
    s["text"] = "\t\t  " + s["text"].strip() + "   "
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
before=$(open_ids_of snip)
ingest snip nofp-indent.sarif
expect_out "0 new, 0 reopened" "indentation-only change: 0 new"
expect_out "0 findings fixed" "indentation-only change: 0 fixed"
expect_eq "$(open_ids_of snip)" "$before" "indentation-only change: same ids"
# --- 4. identical flagged text twice: occurrence index ------------------------------
python3 - nofp.sarif dup.sarif <<'EOF'
import json, copy, sys
d = json.load(open(sys.argv[1]))
res = d["runs"][0]["results"]
extra = copy.deepcopy(res[1])          # the strcpy, same text, 30 lines below
extra["locations"][0]["physicalLocation"]["region"]["startLine"] += 30
res.append(extra)
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
ingest occ dup.sarif
expect_rc 0 "ingest with two identical results at different lines"
expect_eq "$(count_of occ "rule='FF1001'")" "2" "identical results: two findings (occurrence index)"
occ_ids=$(ids_of occ)
python3 shift.py dup.sarif dup-shift.sarif 3
ingest occ dup-shift.sarif
expect_out "0 new" "identical results, shifted: 0 new"
expect_eq "$(open_ids_of occ)" "$occ_ids" "identical results, shifted: same ids"
ingest occ nofp.sarif
expect_out "1 finding fixed" "one of two identical results gone: exactly one fixed"
expect_eq "$(count_of occ "rule='FF1001' AND status='open'")" "1" "one of two identical results gone: one stays open"

# --- 5. gitleaks: empty partialFingerprints count as absent ---------------------------
N_GL=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$GL")
ingest gl "$GL"
expect_rc 0 "ingest gitleaks secrets-repo.dir.sarif"
expect_eq "$(count_of gl)" "$N_GL" "gitleaks: one finding per result (empty fingerprints do not merge them)"
gl_ids=$(ids_of gl)
python3 shift.py "$GL" gl-shift1.sarif 4
ingest gl gl-shift1.sarif
expect_out "0 new" "gitleaks, lines +4: 0 new"
expect_out "0 findings fixed" "gitleaks, lines +4: 0 fixed"
python3 shift.py "$GL" gl-shift2.sarif 9
ingest gl gl-shift2.sarif
expect_out "0 new" "gitleaks, lines +9: 0 new"
expect_out "0 findings fixed" "gitleaks, lines +9: 0 fixed"
expect_eq "$(open_ids_of gl)" "$gl_ids" "gitleaks: ids stable across two line shifts"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE product_id=$(pid gl) AND path LIKE 'secrets-repo/%'")" "$N_GL" "gitleaks: relative paths kept"

# --- 6. --source-root: absolute file:// URIs made relative; source lines as identity ----
ROOT=$TEST_DIR/home/ci/scan/targets
mkdir -p "$ROOT/c-vuln"
cp "$VULN_C" "$ROOT/c-vuln/vuln.c"
sed "s#file:///home/ci/scan/targets/#file://$ROOT/#g" "$SB" >clang.sarif
check "the rewritten clang SARIF points at the test's source tree" grep -q "file://$ROOT/c-vuln/vuln.c" clang.sarif
N_SB=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$SB")
ingest clang clang.sarif --source-root "$ROOT"
expect_rc 0 "ingest clang SARIF with --source-root"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding WHERE product_id=$(pid clang)")" "c-vuln/vuln.c" "--source-root: file:// URI becomes c-vuln/vuln.c"
expect_eq "$(count_of clang)" "$N_SB" "clang: one finding per result"
clang_ids=$(ids_of clang)
# --source-root with a trailing slash and ./ is the same root
ingest clang clang.sarif --source-root "$ROOT/./"
expect_out "0 new" "--source-root DIR/./ is the same root: 0 new"

# moved code: 5 lines inserted at the top of the source, the SARIF shifted to match
{ printf '/* a new header */\n/* line 2 */\n/* line 3 */\n/* line 4 */\n/* line 5 */\n'; cat "$VULN_C"; } >"$ROOT/c-vuln/vuln.c"
python3 shift.py clang.sarif clang-shift.sarif 5
ingest clang clang-shift.sarif --source-root "$ROOT"
expect_out "0 new, 0 reopened" "--source-root, source and SARIF shifted by 5: 0 new"
expect_out "0 findings fixed" "--source-root, source and SARIF shifted by 5: 0 fixed"
expect_eq "$(open_ids_of clang)" "$clang_ids" "--source-root, shifted: same ids"
sg findings --product clang --format json
check "--source-root, shifted: lines updated" python3 -c '
import json, sys
f = json.loads(sys.argv[1]); sys.exit(0 if 16 in [x["line"] for x in f] and 11 not in [x["line"] for x in f] else 1)' "$SG_OUT"

# the identity comes from the source line: a message change does not matter ...
python3 - clang-shift.sarif clang-msg.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["runs"][0]["results"]:
    r["message"]["text"] = "reworded by a new analyzer version: " + r["message"]["text"]
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
ingest clang clang-msg.sarif --source-root "$ROOT"
expect_out "0 new" "--source-root: a reworded message keeps identity (source line counts)"
expect_eq "$(open_ids_of clang)" "$clang_ids" "--source-root: same ids after a reworded message"
# ... an indentation change of the source does not either ...
sed -i 's/^    strcpy(buf, name);/\tstrcpy(buf, name);/' "$ROOT/c-vuln/vuln.c"
ingest clang clang-shift.sarif --source-root "$ROOT"
expect_out "0 new" "--source-root: re-indented source line keeps identity"
# ... but a change of the flagged line's code does
sed -i 's/strcpy(buf, name);/strcpy(buf, name + 1);/' "$ROOT/c-vuln/vuln.c"
ingest clang clang-shift.sarif --source-root "$ROOT"
expect_out "1 new" "--source-root: edited flagged line -> one new finding"
expect_out "1 finding fixed" "--source-root: edited flagged line -> one finding fixed"

# without --source-root the absolute path stays absolute (nothing to make it relative to)
ingest clang-abs "$SB"
expect_rc 0 "clang SARIF without --source-root"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding WHERE product_id=$(pid clang-abs)")" "/home/ci/scan/targets/c-vuln/vuln.c" "without --source-root: file:///abs becomes /abs"

# --source-root must be a directory
before=$(rows "SELECT count(*) FROM scan")
ingest clang clang.sarif --source-root "$TEST_DIR/nonexistent"
expect_rc 2 "--source-root that does not exist exits 2"
ingest clang clang.sarif --source-root "$ROOT/c-vuln/vuln.c"
expect_rc 2 "--source-root that is a file exits 2"
expect_eq "$(rows "SELECT count(*) FROM scan")" "$before" "bad --source-root writes nothing"

# flawfinder with --source-root: uriBaseId SRCROOT paths stay relative
ingest ffroot "$FF" --source-root "$ROOT"
expect_rc 0 "flawfinder with --source-root"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding WHERE product_id=$(pid ffroot)")" "c-vuln/vuln.c" "flawfinder uriBaseId SRCROOT paths stay c-vuln/vuln.c"
ingest ffroot2 "$FF"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding WHERE product_id=$(pid ffroot2)")" "c-vuln/vuln.c" "flawfinder without --source-root: c-vuln/vuln.c"

# --- 7. path normalisation through originalUriBaseIds, ./ and // ------------------------
python3 - "$FF" uribase.sarif "$ROOT" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
run["originalUriBaseIds"] = {"SRCROOT": {"uri": "file://" + sys.argv[3] + "/"}}
for i, r in enumerate(run["results"]):
    al = r["locations"][0]["physicalLocation"]["artifactLocation"]
    al["uri"] = ["./c-vuln/vuln.c", "c-vuln//vuln.c", "c-vuln/./vuln.c"][i % 3]
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
ingest ffroot uribase.sarif --source-root "$ROOT"
expect_out "0 new" "./ and // in URIs and a file:// SRCROOT base: same findings as before"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding WHERE product_id=$(pid ffroot)")" "c-vuln/vuln.c" "normalised path is c-vuln/vuln.c"

# an https source root (GitHub's blob URL, as sarif-sdk's CweGhasSample has): the
# path relative to that base is the path
python3 - "$FF" httpsbase.sarif <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["originalUriBaseIds"] = {"SRCROOT": {"uri": "https://github.com/example/app/blob/0123456789abcdef0123456789abcdef01234567/"}}
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF2
ingest httpsbase httpsbase.sarif
expect_rc 0 "a uriBaseId resolved through an https originalUriBaseIds entry ingests"
expect_eq "$(rows "SELECT group_concat(DISTINCT path) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='httpsbase'")" "c-vuln/vuln.c" "https base: the path relative to it is kept (c-vuln/vuln.c)"
