#!/usr/bin/env bash
# Hostile input to `ingest sbom` and `vulndb import`: each is refused with
# exit 2 and its diagnostic id (`shipgate: error: ... [id]`), and NOTHING is
# written: no audit event, scan, component, VEX row, record or finding. The
# store is not empty while this runs (a product with an SBOM and records), so
# that a refused import would otherwise have had something to re-match.
. "$(dirname "$0")/lib.sh"

DEMO_SBOM=$ROOT/examples/demo-app/sbom.cdx.json
DEMO_DB=$ROOT/examples/demo-app/vulndb
C1=$(commit_of c1)
C2=$(commit_of c2)

counts() {
	sqlite3 "${SHIPGATE_DB#sqlite:}" "SELECT (SELECT count(*) FROM audit_event)||' '||(SELECT count(*) FROM product)||' '||(SELECT count(*) FROM ingest)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM sbom_component)||' '||(SELECT count(*) FROM sbom_vex)||' '||(SELECT count(*) FROM vuln)||' '||(SELECT count(*) FROM vuln_package)||' '||(SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM finding_event)||' '||(SELECT group_concat(status, '') FROM finding)" ||
		echo "the counts query failed $RANDOM" # never equal: a broken query must not pass as "unchanged"
}

sg init
expect_rc 0 "init"
sg vulndb import "$DEMO_DB"
expect_rc 0 "import the demo records"
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1"
expect_rc 0 "ingest the demo SBOM"
sg release create demo 1.0 --commit "$C1"
expect_rc 0 "release create demo 1.0"

# refused WHAT DIAG ARGS...: shipgate ARGS exits 2 with [DIAG] on stderr,
# the message is one "shipgate: error:" line, and nothing was written.
refused() {
	local what=$1 diag=$2 before
	shift 2
	before=$(counts)
	sg "$@"
	expect_rc 2 "$what: exit 2"
	expect_err "[$diag]" "$what: [$diag]"
	case "$SG_ERR" in
	"shipgate: error: "*) ok "$what: the error is one 'shipgate: error:' line" ;;
	*) not_ok "$what: the error is one 'shipgate: error:' line (got '$SG_ERR')" ;;
	esac
	expect_eq "$(counts)" "$before" "$what: nothing written"
}
sbom() { # sbom WHAT DIAG FILE: ingest sbom FILE is refused
	refused "ingest sbom: $1" "$2" ingest sbom "$3" --product demo --commit "$C2"
}
osv() { # osv WHAT DIAG PATH...: vulndb import PATH... is refused
	local what=$1 diag=$2
	shift 2
	refused "vulndb import: $what" "$diag" vulndb import "$@"
}
py_sbom() { # py_sbom FILE PYTHON: the demo SBOM as d, changed by PYTHON, written to FILE
	python3 - "$DEMO_SBOM" "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], "w").write(d if isinstance(d, str) else json.dumps(d))
EOF
}

# =====================================================================================
# ingest sbom
# =====================================================================================
printf 'this is not JSON\n' >notjson.json
sbom "not JSON" json-syntax notjson.json
: >empty.json
sbom "an empty file" json-truncated empty.json
head -c 700 "$DEMO_SBOM" >truncated.json
sbom "a truncated SBOM" json-truncated truncated.json
printf '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library", "name": "a\0b"}]}' >nul.json
sbom "a NUL byte" json-nul-byte nul.json
printf '[1, 2, 3]\n' >array.json
sbom "a JSON array" sbom-unsupported array.json
printf '{"name": "x"}\n' >neither.json
sbom "neither CycloneDX nor SPDX" sbom-unsupported neither.json
sbom "SPDX 3 (JSON-LD)" sbom-unsupported "$CORPUS/spdx/spdx-examples-3.0/example11/spdx3.0/sbom.spdx3.json"
expect_err "SPDX 3" "SPDX 3: the message says SPDX 3"
sbom "SPDX 3 labelled spdxVersion SPDX-3.0" sbom-unsupported "$CORPUS/spdx/defectdojo/spdx_3_unsupported.json"
py_sbom cdx13.json 'd["specVersion"] = "1.3"'
sbom "CycloneDX 1.3" sbom-unsupported cdx13.json
expect_err "\"1.3\"" "CycloneDX 1.3: the message names the version"
py_sbom cdx17.json 'd["specVersion"] = "1.7"'
sbom "CycloneDX 1.7 (not yet known)" sbom-unsupported cdx17.json
py_sbom both.json 'd["spdxVersion"] = "SPDX-2.3"; d["packages"] = []'
sbom "both CycloneDX and SPDX" sbom-invalid both.json
expect_err "both CycloneDX" "both formats: the message says both"
py_sbom noname.json 'd["components"][3]["components"][1].pop("name")'
sbom "a nested component without name" sbom-invalid noname.json
expect_err "/components/3/components/1" "a component without name: the JSON pointer names it"
py_sbom notype.json 'd["components"][0].pop("type")'
sbom "a component without type" sbom-invalid notype.json
py_sbom badlic.json 'd["components"][0]["licenses"] = [{"expression": "GPL-2.0-only OR OR MIT"}]'
sg ingest sbom badlic.json --product badlic --commit "$C1"
expect_rc 0 "an expression that does not parse is not a reason to refuse the SBOM (exit 0)"
expect_eq "$(rows "SELECT licenses FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = 'badlic' AND c.name = 'git'")" \
	"LicenseRef-GPL-2.0-only-OR-OR-MIT" "the text is kept as a LicenseRef-"
python3 - deep.json <<'EOF'
import json, sys
n = 5000
doc = '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
doc += '{"type": "library", "name": "n", "components": [' * n + '{"type": "library", "name": "leaf"}' + ']}' * n
doc += ']}'
json.loads(doc) if n < 900 else None
open(sys.argv[1], "w").write(doc)
EOF
before=$(counts)
sg ingest sbom deep.json --product demo --commit "$C2"
check "components nested 5000 deep: exit 2 (refused with a limit), no crash (exit $SG_RC)" test "$SG_RC" = 2
expect_err "[limit-exceeded]" "components nested 5000 deep: [limit-exceeded]"
expect_eq "$(counts)" "$before" "components nested 5000 deep: nothing written"
mkfifo fifo.json
before=$(counts)
timeout 20 "$SG_BIN" ingest sbom fifo.json --product demo --commit "$C2" >/dev/null 2>"$TEST_DIR/.stderr"
SG_RC=$?
SG_ERR=$(cat "$TEST_DIR/.stderr")
expect_rc 2 "ingest sbom: a FIFO: exit 2 at once (no hang on the open)"
expect_err "[file-open]" "ingest sbom: a FIFO: [file-open]"
expect_eq "$(counts)" "$before" "ingest sbom: a FIFO: nothing written"
sbom "a missing file" file-open missing.json
expect_err "missing.json" "a missing file is named"
sbom "a directory" file-open "$TEST_DIR"
refused "ingest sbom: no --product" usage ingest sbom "$DEMO_SBOM" --commit "$C2"
refused "ingest sbom: two files" usage ingest sbom "$DEMO_SBOM" "$DEMO_SBOM" --product demo --commit "$C2"
refused "ingest sbom: a bad --commit" bad-value ingest sbom "$DEMO_SBOM" --product demo --commit xyz
refused "ingest sbom: --commit other than the release's" conflict ingest sbom "$DEMO_SBOM" --product demo --release 1.0 --commit "$C2"

# A purl that does not parse is NOT an error: the component is kept, unmatched.
py_sbom badpurl.json 'd["components"][0]["purl"] = "pkg:apk/alpine/git@2.40.1-r0?arch=%zz"; d["components"][1]["purl"] = "vim 9.0"; d["components"][2]["purl"] = "pkg:/@"'
sg ingest sbom badpurl.json --product badpurl --commit "$C1"
expect_rc 0 "purls that do not parse: the SBOM is still ingested (exit 0)"
expect_out "7 components (2 without purl, 5 not matchable)" "purls that do not parse: counted as not matchable"
expect_eq "$(rows "SELECT count(*) FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = 'badpurl' AND c.unmatched LIKE 'purl does not parse: %'")" \
	"3" "the three components with a bad purl are recorded, 'purl does not parse: ...'"
expect_eq "$(rows "SELECT purl FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = 'badpurl' AND c.name = 'vim'")" \
	"vim 9.0" "the bad purl is kept as written"
expect_eq "$(rows "SELECT group_concat(rule) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'badpurl'")" \
	"CVE-2024-53908" "the components whose purls parse are still matched (Django)"

# =====================================================================================
# vulndb import: records
# =====================================================================================
mkdir -p rec
GOOD='{"id": "SGH-GOOD-%d", "modified": "2025-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "PyPI", "name": "sqlparse"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}'
printf '{"id": "SGH-1", "summary": "no modified", "affected": []}\n' >rec/nomodified.json
osv "a record without 'modified'" osv-invalid rec/nomodified.json
expect_err "modified" "no modified: the message names the field"
printf '{"modified": "2025-01-01T00:00:00Z", "affected": []}\n' >rec/noid.json
osv "a record without 'id'" osv-invalid rec/noid.json
printf '{"id": "SGH-2", "modified": "yesterday"}\n' >rec/badtime.json
osv "a 'modified' that is not RFC 3339" osv-invalid rec/badtime.json
printf '{"id": "SGH-3", "modified": "2025-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]}\n' >rec/twokeys.json
osv "an event with two keys" osv-invalid rec/twokeys.json
expect_err "/affected/0/ranges/0/events/0" "an event with two keys: the JSON pointer names the event"
printf '{"id": "SGH-4", "modified": "2025-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": "1.0.0"}]}]}]}\n' >rec/nointroduced.json
osv "a range without introduced" osv-invalid rec/nointroduced.json
printf '{"id": "SGH-5", "modified": "2025-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm"}}]}\n' >rec/noname.json
osv "a package with an ecosystem and no name" osv-invalid rec/noname.json
printf 'id: SGH-6\nmodified: 2025-01-01T00:00:00Z\n' >rec/yaml.json
osv "YAML (PyPA's originals) named .json" json-syntax rec/yaml.json
printf '{"id": "SGH-7", "modified": "2025-01-01T00:00:00Z"' >rec/truncated.json
osv "a truncated record" json-truncated rec/truncated.json
osv "a missing path" file-open rec/missing.json
expect_err "rec/missing.json" "a missing path is named"
mkfifo rec.fifo
before=$(counts)
timeout 20 "$SG_BIN" vulndb import rec.fifo >/dev/null 2>"$TEST_DIR/.stderr"
SG_RC=$?
SG_ERR=$(cat "$TEST_DIR/.stderr")
expect_rc 2 "vulndb import: a FIFO: exit 2 at once (no hang)"
expect_err "[file-open]" "vulndb import: a FIFO: [file-open]"
expect_eq "$(counts)" "$before" "vulndb import: a FIFO: nothing written"
refused "vulndb import: no path" usage vulndb import

# one bad record among good ones: the whole import is refused
mkdir -p mixed/a mixed/b
for i in 1 2 3; do printf "$GOOD\n" "$i" >"mixed/a/good-$i.json"; done
cp rec/twokeys.json mixed/b/bad.json
for i in 4 5; do printf "$GOOD\n" "$i" >"mixed/b/good-$i.json"; done
osv "a directory with one bad record among five good ones" osv-invalid mixed
expect_err "mixed/b/bad.json" "the bad record is named"
expect_eq "$(rows "SELECT count(*) FROM vuln WHERE osv_id LIKE 'SGH-GOOD-%'")" "0" "no record of the refused import is kept (not even those read before the bad one)"
# two paths, the second bad: nothing of the first is kept
osv "two paths, the second a bad record" osv-invalid mixed/a rec/nomodified.json
expect_eq "$(rows "SELECT count(*) FROM vuln WHERE osv_id LIKE 'SGH-GOOD-%'")" "0" "two paths, one bad: nothing kept"
# what is not a record is left alone in a walk: hidden files, other suffixes, links
mkdir -p walk/.git
printf 'not json\n' >walk/.git/config.json
printf 'not json\n' >walk/README.md
printf 'not json\n' >walk/PYSEC-1.yaml
printf "$GOOD\n" 9 >walk/good.json
ln -s "$TEST_DIR/rec/twokeys.json" walk/link.json
sg vulndb import walk
expect_rc 0 "a walk skips hidden directories, non-.json files and symbolic links"
expect_out "1 record read: 1 added" "the walk reads the one record"

# =====================================================================================
# vulndb import: zip archives (made here with python's zipfile)
# =====================================================================================
GOODREC=$(printf "$GOOD" 20)
python3 - "$GOODREC" <<'EOF'
import os, sys, zipfile
good = sys.argv[1]
def z(name, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(name, "w", method) as zf:
        for n, data in entries:
            zf.writestr(n, data)
z("good.zip", [("osv/SGH-GOOD-20.json", good), ("osv/README.txt", "not a record")])
z("slip.zip", [("ok/SGH-GOOD-21.json", good.replace("SGH-GOOD-20", "SGH-GOOD-21")), ("../evil.json", good)])
z("deepslip.zip", [("a/b/../../../evil.json", good)])
z("absolute.zip", [("/tmp/evil.json", good)])
z("backslash.zip", [("..\\evil.json", good)])
# a symbolic link entry
zi = zipfile.ZipInfo("link.json")
zi.create_system = 3
zi.external_attr = 0o120777 << 16
with zipfile.ZipFile("symlink.zip", "w") as zf:
    zf.writestr(zi, "/etc/passwd")
# a bomb: 300 MiB of zeros in one entry
with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
    with zf.open("bomb.json", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(300):
            f.write(chunk)
# the same 300 MiB as 30 entries of 10 MiB, each under the record cap: the ratio stops it
with zipfile.ZipFile("bomb-split.zip", "w", zipfile.ZIP_DEFLATED) as zf:
    for i in range(30):
        with zf.open("zeros-%02d.json" % i, "w") as f:
            for _ in range(10):
                f.write(bytes(1 << 20))
# ... and as entries that are not .json (skipped, but their bytes are still counted)
with zipfile.ZipFile("bomb-skipped.zip", "w", zipfile.ZIP_DEFLATED) as zf:
    for i in range(30):
        with zf.open("zeros-%02d.bin" % i, "w") as f:
            for _ in range(10):
                f.write(bytes(1 << 20))
# one entry over the record cap (16 MiB), incompressible, stored
with zipfile.ZipFile("big.zip", "w", zipfile.ZIP_STORED) as zf:
    zf.writestr("big.json", b'{"id": "' + os.urandom(17 << 19).hex().encode() + b'"}')
# a truncated archive: the first half of a good one
data = open("good.zip", "rb").read()
open("truncated.zip", "wb").write(data[: len(data) // 2])
# not a zip at all, named .zip
open("notzip.zip", "w").write("just text\n")
# a good archive with one bad record
z("onebad.zip", [("SGH-GOOD-22.json", good.replace("SGH-GOOD-20", "SGH-GOOD-22")), ("bad.json", '{"id": "SGH-B", "affected": []}')])
EOF
check "the bomb is small on disk ($(stat -c %s bomb.zip) bytes for 300 MiB)" test "$(stat -c %s bomb.zip)" -lt 2000000
osv "a zip entry named ../evil.json" archive-unsafe slip.zip
expect_err "../evil.json" "zip-slip: the entry is named"
expect_eq "$(rows "SELECT count(*) FROM vuln WHERE osv_id = 'SGH-GOOD-21'")" "0" "zip-slip: the good entry before it is not kept either"
osv "a zip entry a/b/../../../evil.json" archive-unsafe deepslip.zip
osv "a zip entry with an absolute path" archive-unsafe absolute.zip
osv "a zip entry with a backslash" archive-unsafe backslash.zip
osv "a zip entry that is a symbolic link" archive-unsafe symlink.zip
osv "a zip bomb (300 MiB of zeros in one entry)" limit-exceeded bomb.zip
osv "a zip bomb split in 30 entries under the record cap" limit-exceeded bomb-split.zip
expect_err "compression bomb" "the split bomb is named a compression bomb"
osv "a zip bomb in entries that are not .json" limit-exceeded bomb-skipped.zip
osv "a zip entry over the record size cap (17 MiB)" limit-exceeded big.zip
expect_err "larger than" "the big entry: says it is larger than the cap"
osv "a truncated zip" archive-unsafe truncated.zip
osv "a text file named .zip" archive-unsafe notzip.zip
osv "a zip with one bad record" osv-invalid onebad.zip
expect_err "onebad.zip:bad.json" "the bad record is named archive:entry"
head -c $((17 << 20)) /dev/zero | tr '\0' ' ' >big-file.json
osv "a .json file over the record size cap" limit-exceeded big-file.json
# and the good archive imports
N_SQLPARSE=$(rows "SELECT count(DISTINCT s.product_id) FROM sbom_component c JOIN scan s ON s.id = c.scan_id WHERE c.package = 'sqlparse'")
sg vulndb import good.zip
expect_rc 0 "a good zip (a record and a README) imports"
expect_out "1 record read: 1 added" "the good zip: one record, the README skipped"
expect_out "$N_SQLPARSE new findings" "the good zip's record (sqlparse, every version) is matched against every SBOM with sqlparse ($N_SQLPARSE)"

sg audit verify
expect_rc 0 "audit verify passes after every refusal"
