#!/usr/bin/env bash
# A finding's continuity across changes of the database and the SBOM:
# a record updated without a later `modified` (Go's vulndb writes the same
# time for every record), a CVE alias that arrives later, a component that
# can no longer be evaluated, and VEX statements looked up by any name.
. "$(dirname "$0")/lib.sh"

C=$(commit_of one)
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
record() { # FILE ID MODIFIED FIXED ECOSYSTEM NAME [ALIASES-JSON]
	cat >"$1" <<JSON
{"id": "$2", "modified": "$3", "aliases": ${7:-[]}, "summary": "test record $2",
 "affected": [{"package": {"ecosystem": "$5", "name": "$6"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "$4"}]}]}]}
JSON
}
sbom() { # FILE PURL...
	local f=$1 sep="" i=0
	shift
	{
		printf '{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": ['
		for p in "$@"; do
			i=$((i + 1))
			printf '%s{"type": "library", "bom-ref": "c%d", "name": "c%d", "purl": "%s"}' "$sep" "$i" "$i" "$p"
			sep=","
		done
		printf '], "vulnerabilities": [{"id": "CVE-2099-0002", "analysis": {"state": "not_affected", '
		printf '"justification": "code_not_reachable"}, "affects": [{"ref": "c9"}]}]}\n'
	} >"$f"
}

sg init
mkdir -p db1 db2 db3

# 1. Go: the same (unknown) modified time, other bytes: the update applies.
record db1/GO-2099-0001.json GO-2099-0001 0001-01-01T00:00:00Z 1.0.0 Go example.com/lib
sg vulndb import db1
expect_rc 0 "import a Go record (modified 0001-01-01)"
sbom go.json "pkg:golang/example.com/lib@v1.5.0"
sg ingest sbom go.json --product go --commit "$C"
expect_rc 0 "ingest: example.com/lib v1.5.0"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'open'")" "0" "v1.5.0 is past the fix 1.0.0: no finding"
record db2/GO-2099-0001.json GO-2099-0001 0001-01-01T00:00:00Z 2.0.0 Go example.com/lib
sg vulndb import db2
expect_out "1 updated" "the same modified time with other content is an update"
expect_eq "$(rows "SELECT rule||' '||status FROM finding")" "GO-2099-0001 open" \
	"the update (fix moved to 2.0.0) opens the finding for v1.5.0"
sg vulndb import db2
expect_out "nothing new" "the same bytes again: nothing new"

# 2. A CVE alias arriving later keeps the finding (same id, same first_seen).
record db3/GHSA-aaaa-bbbb-cccc.json GHSA-aaaa-bbbb-cccc 2099-01-01T00:00:00Z 2.0.0 npm left-pad
sg vulndb import db3
sbom npm.json "pkg:npm/left-pad@1.0.0"
sg ingest sbom npm.json --product npm --commit "$C"
ID=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'npm'")
FIRST=$(rows "SELECT first_seen_at FROM finding WHERE id = $ID")
expect_eq "$(rows "SELECT rule FROM finding WHERE id = $ID")" "GHSA-aaaa-bbbb-cccc" "the finding is named by its only id"
record db3/GHSA-aaaa-bbbb-cccc.json GHSA-aaaa-bbbb-cccc 2099-02-01T00:00:00Z 2.0.0 npm left-pad '["CVE-2099-0001"]'
sg vulndb import db3
expect_rc 0 "import the record again with a CVE alias"
expect_out "0 new findings" "the alias opens no new finding"
expect_eq "$(rows "SELECT group_concat(id||':'||status||':'||rule) FROM finding f WHERE product_id = (SELECT id FROM product WHERE name = 'npm')")" \
	"$ID:open:GHSA-aaaa-bbbb-cccc" "the same finding stays open under the name it was first given"
expect_eq "$(rows "SELECT first_seen_at FROM finding WHERE id = $ID")" "$FIRST" "its first detection (the SLA clock) is kept"

# 3. The component loses its version: it is still shipped, the finding stays open.
cat >nover.json <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "components": [{"type": "library", "name": "left-pad", "purl": "pkg:npm/left-pad"}]}
JSON
sg ingest sbom nover.json --product npm --commit "$C"
expect_rc 0 "ingest an SBOM where left-pad has no version"
expect_eq "$(rows "SELECT status FROM finding WHERE id = $ID")" "open" \
	"a component that cannot be evaluated keeps its open findings (not 'fixed')"
cat >gone.json <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": []}
JSON
sg ingest sbom gone.json --product npm --commit "$C"
expect_eq "$(rows "SELECT status FROM finding WHERE id = $ID")" "fixed" "a component no longer shipped: its finding is fixed"

# 4. VEX names the flaw by its alias; the statement is found among many.
record db3/GHSA-dddd-eeee-ffff.json GHSA-dddd-eeee-ffff 2099-01-01T00:00:00Z 9.0.0 npm is-odd '["CVE-2099-0002"]'
sg vulndb import db3
sbom vex.json p1 p2 p3 p4 p5 p6 p7 p8 "pkg:npm/is-odd@1.0.0"
sed -i 's/"purl": "p[0-9]"/"purl": "pkg:generic\/x"/g' vex.json
sg ingest sbom vex.json --product vex --commit "$C"
expect_rc 0 "ingest an SBOM whose VEX names CVE-2099-0002 for is-odd"
expect_eq "$(rows "SELECT status FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'vex'")" "false_positive" \
	"the VEX statement, naming the flaw by its alias, sets the finding not applicable"
# 5. Two copies of one package, the first covered by VEX, the second not:
# the product still ships a vulnerable copy, so the finding stays open.
cat >twocopies.json <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "components": [
  {"type": "library", "bom-ref": "a", "name": "is-odd", "purl": "pkg:npm/is-odd@1.0.0"},
  {"type": "library", "bom-ref": "b", "name": "is-odd", "purl": "pkg:npm/is-odd@1.0.1"}],
 "vulnerabilities": [{"id": "CVE-2099-0002", "analysis": {"state": "not_affected",
   "justification": "code_not_reachable"}, "affects": [{"ref": "a"}]}]}
JSON
sg ingest sbom twocopies.json --product twocopies --commit "$C"
expect_rc 0 "ingest an SBOM with two copies of is-odd, VEX covering only the first"
expect_eq "$(rows "SELECT status FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'twocopies'")" "open" \
	"the uncovered copy keeps the finding open"
expect_eq "$(rows "SELECT group_concat(e.to_status, ',') FROM finding_event e JOIN finding f ON f.id = e.finding_id JOIN product p ON p.id = f.product_id WHERE p.name = 'twocopies' ORDER BY e.id")" \
	"false_positive,open" "its history says why: set not applicable by the first copy's VEX, open again for the second copy"
sed 's/"affects": \[{"ref": "a"}\]/"affects": [{"ref": "a"}, {"ref": "b"}]/' twocopies.json >bothcopies.json
sg ingest sbom bothcopies.json --product both --commit "$C"
expect_eq "$(rows "SELECT status FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'both'")" "false_positive" \
	"VEX covering both copies: not applicable"

# 6. The statement goes away: a newer SBOM without it opens the finding
# again; a person's triage is never undone that way.
sg ingest sbom twocopies.json --product both --commit "$C"
expect_rc 0 "ingest an SBOM where the VEX statement covers only one copy again"
python3 - <<'PY'
import json
d = json.load(open("bothcopies.json"))
d["vulnerabilities"] = []
json.dump(d, open("novex.json", "w"))
PY
BOTH=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'both'")
sg ingest sbom bothcopies.json --product both --commit "$(commit_of two)"
expect_eq "$(rows "SELECT status FROM finding WHERE id = $BOTH")" "false_positive" "VEX on both copies again: not applicable"
sg ingest sbom novex.json --product both --commit "$(commit_of three)"
expect_rc 0 "ingest the same SBOM without its VEX statement"
expect_eq "$(rows "SELECT status FROM finding WHERE id = $BOTH")" "open" "the statement is gone: the finding is open again"
expect_eq "$(rows "SELECT reason FROM finding_event WHERE finding_id = $BOTH ORDER BY id DESC LIMIT 1")" \
	"no VEX statement sets it aside in novex.json (sha256 $(sha256sum novex.json | cut -c1-16)) any more" \
	"its history says why"
sg findings triage "$BOTH" --status false_positive --reason "the vulnerable function is compiled out"
expect_rc 0 "a person triages it a false positive"
sg ingest sbom novex.json --product both --commit "$(commit_of four)"
expect_eq "$(rows "SELECT status FROM finding WHERE id = $BOTH")" "false_positive" \
	"a person's triage stays: only what VEX set is undone"

sg audit verify
expect_rc 0 "audit verify passes after all of it"
