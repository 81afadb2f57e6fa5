#!/usr/bin/env bash
# Hostile and broken SARIF: each is rejected with exit 2, naming the file,
# a position and the stable diagnostic id, and writing nothing; the store
# keeps working afterwards. Some odd but valid inputs must be accepted.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
N_FF=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$FF")

counts() {
	rows "SELECT (SELECT count(*) FROM product)||' '||(SELECT count(*) FROM ingest)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM finding_event)"
}
k=0
alive() { # a valid ingest right after: the store still works
	k=$((k + 1))
	sg ingest sarif tiny.sarif --product alive --commit "$(commit_of "alive-$k")"
	if [ "$SG_RC" = 0 ]; then ok "$1: the store still works afterwards"; else not_ok "$1: the store still works afterwards (exit $SG_RC)"; fi
}
# reject FILE DIAG WHAT [POS]: exit 2, file named, [diag], a position, nothing written
reject() {
	local file=$1 diag=$2 what=$3 pos=${4:-pos} before
	before=$(counts)
	sg ingest sarif "$file" --product hostile --commit "$(commit_of hostile)"
	expect_rc 2 "$what: exit 2"
	expect_err "$file" "$what: stderr names the file"
	REJ_ERR=$SG_ERR
	if grep -Eq "\[($diag)\]" <<<"$SG_ERR"; then ok "$what: [$diag]"; else
		not_ok "$what: [$diag]"
		printf '%s\n' "$SG_ERR" | head -3 | cut -c1-300 | sed 's/^/#   /'
	fi
	if [ "$pos" = pos ]; then
		if grep -Eq "$(basename "$file")(:[0-9]+:[0-9]+|: byte [0-9]+)" <<<"$SG_ERR"; then ok "$what: stderr gives a position (line:column or byte)"; else
			not_ok "$what: stderr gives a position (line:column or byte)"
			printf '%s\n' "$SG_ERR" | head -3 | cut -c1-300 | sed 's/^/#   /'
		fi
	fi
	expect_eq "$(counts)" "$before" "$what: nothing written"
	alive "$what"
}
accept() { # accept FILE WHAT: exit 0 and the flawfinder findings are there
	k=$((k + 1))
	sg ingest sarif "$1" --product "ok$k" --commit "$(commit_of "ok-$k")"
	expect_rc 0 "$2: ingested (exit 0)"
	expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='ok$k'")" "$N_FF" "$2: all $N_FF findings"
}
mk() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); $1; json.dump(d, open(sys.argv[2], 'w'))" "$FF" "$2"; }

sg init
expect_rc 0 "init"
cat >tiny.sarif <<'EOF'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "tiny"}},
 "results": [{"ruleId": "T1", "level": "error", "message": {"text": "x"},
   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": 1}}}]}]}]}
EOF
alive "fresh store"

# --- not JSON, truncated, empty -------------------------------------------------
: >empty.sarif
reject empty.sarif json-truncated "empty file"
head -c 3000 "$FF" >truncated.sarif
reject truncated.sarif json-truncated "truncated file"
printf '{"version": "2.1.0", "runs": [] ' >truncated2.sarif
reject truncated2.sarif json-truncated "file ending before the closing brace"
echo 'this is not json' >notjson.sarif
reject notjson.sarif json-syntax "not JSON"
printf '{"version": "2.1.0", "runs": []} {"x": 1}' >trailing.sarif
reject trailing.sarif json-syntax "a second JSON value after the log"
printf '{"version": "2.1.0", "runs": [],}' >comma.sarif
reject comma.sarif json-syntax "trailing comma"

# --- not SARIF ---------------------------------------------------------------------
echo '[{"version": "2.1.0"}]' >array.sarif
reject array.sarif sarif-not-sarif "JSON array at the top level"
echo '{"bomFormat":"CycloneDX","specVersion":"1.5"}' >cyclonedx.sarif
reject cyclonedx.sarif sarif-not-sarif "CycloneDX-like object"
echo '"2.1.0"' >string.sarif
reject string.sarif sarif-not-sarif "a JSON string at the top level"

# --- versions --------------------------------------------------------------------
mk 'd["version"] = "2.0.0"' v200.sarif
reject v200.sarif sarif-version "version 2.0.0"
check "version 2.0.0: the version is named" grep -q '2\.0\.0' <<<"$REJ_ERR"
mk 'd["version"] = "2.2"' v22.sarif
reject v22.sarif sarif-version "version 2.2"
mk 'd.pop("version")' vnone.sarif
reject vnone.sarif sarif-version "missing version"
mk 'd["version"] = 2.1' vnum.sarif
reject vnum.sarif "sarif-version|sarif-invalid" "version as a number"
# valid: version last in the object
mk 'v = d.pop("version"); d["version"] = v' vlast.sarif
check "vlast.sarif really has version after runs" python3 -c 'import sys; s=open(sys.argv[1]).read(); sys.exit(0 if s.index("\"version\"") > s.index("\"runs\"") else 1)' vlast.sarif
accept vlast.sarif "valid 2.1.0 log with version last"
# valid: a UTF-8 BOM first
{ printf '\xef\xbb\xbf'; cat "$FF"; } >bom.sarif
accept bom.sarif "a UTF-8 BOM before a valid log"
# valid: the $schema of the OASIS errata
mk 'd["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"' schema.sarif
accept schema.sarif "\$schema of the OASIS errata"
# two BOMs are not a BOM
{ printf '\xef\xbb\xbf\xef\xbb\xbf'; cat "$FF"; } >bom2.sarif
reject bom2.sarif "json-syntax|sarif-not-sarif" "two BOMs"

# --- bytes --------------------------------------------------------------------------
python3 - "$FF" nul.sarif <<'EOF'
import sys
s = open(sys.argv[1], "rb").read(); i = s.index(b"buffer/strcpy")
open(sys.argv[2], "wb").write(s[:i] + b"\x00" + s[i:])
EOF
reject nul.sarif json-nul-byte "NUL byte inside a string"
python3 - "$FF" nul2.sarif <<'EOF'
import sys
s = open(sys.argv[1], "rb").read(); i = s.index(b'"runs"')
open(sys.argv[2], "wb").write(s[:i] + b"\x00" + s[i:])
EOF
reject nul2.sarif "json-nul-byte|json-syntax" "NUL byte between tokens"
python3 - "$FF" nulesc.sarif <<'EOF'
import sys
s = open(sys.argv[1], "rb").read(); i = s.index(b"buffer/strcpy")
open(sys.argv[2], "wb").write(s[:i] + b"\\u0000" + s[i:])
EOF
reject nulesc.sarif json-nul-byte "escaped \\u0000 inside a string"
python3 - "$FF" badutf8.sarif <<'EOF'
import sys
s = open(sys.argv[1], "rb").read(); i = s.index(b"buffer/strcpy")
open(sys.argv[2], "wb").write(s[:i] + b"\xc3\x28" + s[i:])
EOF
reject badutf8.sarif "json-[a-z0-9-]+" "invalid UTF-8 in a string"
python3 - "$FF" overlong.sarif <<'EOF'
import sys
s = open(sys.argv[1], "rb").read(); i = s.index(b"buffer/strcpy")
open(sys.argv[2], "wb").write(s[:i] + b"\xc0\xaf" + s[i:])
EOF
reject overlong.sarif "json-[a-z0-9-]+" "overlong UTF-8 encoding in a string"

# --- limits -----------------------------------------------------------------------
python3 -c 'import sys; open(sys.argv[1], "w").write("{\"version\":\"2.1.0\",\"runs\":" + "[" * 10000 + "]" * 10000 + "}")' deep.sarif
reject deep.sarif limit-exceeded "nesting 10000 deep"
check "nesting 10000 deep: stderr stays short (< 2000 bytes)" test "${#REJ_ERR}" -lt 2000
python3 -c 'import sys; open(sys.argv[1], "w").write("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"properties\":" + "{\"a\":" * 200 + "1" + "}" * 200 + "}]}")' deepobj.sarif
reject deepobj.sarif limit-exceeded "objects nested 200 deep in a property bag"
mk 'd["runs"][0]["results"][0]["message"]["text"] = "A" * (2 << 20)' bigstr.sarif
reject bigstr.sarif limit-exceeded "a 2 MiB string"
mk 'd["runs"][0]["properties"] = {"k" * (2 << 20): 1}' bigkey.sarif
reject bigkey.sarif limit-exceeded "a 2 MiB key"

# --- numbers -------------------------------------------------------------------------
python3 - "$FF" bignum.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = "@@BIG@@"
open(sys.argv[2], "w").write(json.dumps(d).replace('"@@BIG@@"', "123456789012345678901234567890"))
EOF
reject bignum.sarif sarif-invalid "a number beyond 64 bits as startLine"
mk 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 999999999999' bigline.sarif
reject bigline.sarif "limit-exceeded|sarif-invalid" "startLine 999999999999"
mk 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = -5' negline.sarif
reject negline.sarif "sarif-invalid|limit-exceeded" "negative startLine"
mk 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 1.5' fracline.sarif
reject fracline.sarif "sarif-invalid|json-number" "fractional startLine"
mk 'd["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = "10"' strline.sarif
reject strline.sarif sarif-invalid "startLine as a string"
python3 - "$FF" hugeexp.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"][0]["properties"] = {"security-severity": "@@X@@"}
open(sys.argv[2], "w").write(json.dumps(d).replace('"@@X@@"', "1e999999"))
EOF
k=$((k + 1))
sg ingest sarif hugeexp.sarif --product "ok$k" --commit "$(commit_of "ok-$k")"
check "a security-severity of 1e999999 is accepted or rejected cleanly (exit 0 or 2, got $SG_RC)" test "$SG_RC" = 0 -o "$SG_RC" = 2
echo "# security-severity 1e999999: exit $SG_RC ${SG_ERR:+($(head -1 <<<"$SG_ERR" | cut -c1-200))}"

# --- SARIF structure --------------------------------------------------------------
mk 'd["runs"][0]["results"][0]["ruleIndex"] = 999' ruleidx.sarif
reject ruleidx.sarif sarif-bad-rule-ref "ruleIndex out of range"
mk 'd["runs"][0]["results"][0]["ruleIndex"] = -7' ruleidxneg.sarif
reject ruleidxneg.sarif "sarif-bad-rule-ref|sarif-invalid" "ruleIndex -7"
mk 'd["runs"][0]["results"][0]["rule"] = {"index": 999}' rulerefidx.sarif
reject rulerefidx.sarif sarif-bad-rule-ref "rule.index out of range"
mk 'd["runs"][0]["results"] = "not an array"' resstr.sarif
reject resstr.sarif sarif-invalid "results that is a string"
mk 'd["runs"][0]["results"] = {}' resobj.sarif
reject resobj.sarif sarif-invalid "results that is an object"
mk 'd["runs"] = "nope"' runsstr.sarif
reject runsstr.sarif sarif-invalid "runs that is a string"
mk 'd["runs"][0]["results"][0] = 42' resnum.sarif
reject resnum.sarif sarif-invalid "a result that is a number"
mk 'd["runs"][0]["tool"]["driver"]["name"] = 7' toolnum.sarif
reject toolnum.sarif sarif-invalid "tool.driver.name that is a number"
mk 'del d["runs"][0]["tool"]' notool.sarif
reject notool.sarif "sarif-no-tool|sarif-invalid" "a run without a tool"
mk 'd["runs"][0]["results"][0]["message"] = {"text": 5}' msgnum.sarif
reject msgnum.sarif sarif-invalid "message.text that is a number"

# --- not files ---------------------------------------------------------------------
mkdir adir.sarif
reject adir.sarif file-open "a directory given as the file" nopos
reject missing.sarif file-open "a missing file" nopos
if [ -r /dev/null ]; then
	reject /dev/null file-open "/dev/null (not a regular file)" nopos
fi
mkfifo fifo.sarif
timeout 5 "$SG_BIN" ingest sarif fifo.sarif --product hostile --commit 1234567 >/dev/null 2>&1
rc=$?
check "a FIFO is refused without blocking (exit 2, got $rc)" test "$rc" = 2

# --- many empty results -------------------------------------------------------------
# Results {} have no ruleId: shipgate accepts them with an empty rule.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"E"}},"results":[{},{},{}]}]}' >three.sarif
sg ingest sarif three.sarif --product empties --commit "$(commit_of e1)"
expect_rc 0 "three empty results {} are accepted"
expect_eq "$(rows "SELECT count(*)||'|'||group_concat(DISTINCT quote(rule)) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='empties'")" "3|''" "three empty results: three findings with an empty rule"
sg ingest sarif three.sarif --product empties --commit "$(commit_of e2)"
expect_out "0 new" "three empty results again: the same three findings"

python3 -c '
import sys
n = 200000
with open(sys.argv[1], "w") as f:
    f.write("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"E\"}},\"results\":[")
    f.write(",".join(["{}"] * n))
    f.write("]}]}")' many.sarif
before=$(counts)
start=$(date +%s)
timeout 30 "$SG_BIN" ingest sarif many.sarif --product many --commit "$(commit_of many)" >many.out 2>many.err
rc=$?
secs=$(($(date +%s) - start))
case $rc in
0)
	ok "200k empty results: accepted (exit 0) in ${secs}s"
	expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='many'")" "200000" "200k empty results: 200000 findings"
	;;
2)
	ok "200k empty results: rejected (exit 2) in ${secs}s"
	echo "# 200k empty results rejected: $(head -1 many.err | cut -c1-200)"
	expect_eq "$(counts)" "$before" "200k empty results rejected: nothing written"
	;;
124) not_ok "200k empty results: accepted or rejected within 30 s (timed out: the k-th identical result costs k lookups?)" ;;
*) not_ok "200k empty results: accepted or rejected cleanly (exit $rc)"; head -3 many.err | sed 's/^/#   /' ;;
esac
alive "after the 200k empty results"
