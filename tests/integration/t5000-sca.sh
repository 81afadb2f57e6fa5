#!/usr/bin/env bash
# Dependency analysis (clause sca), the real binary against a real store:
# `vulndb import/status`, `ingest sbom`, matching (each OSV rule, each
# ecosystem's order), severities, SBOM snapshots, post-release discoveries,
# VEX, licences, the gate and component-scope exceptions, `sca explain`,
# and the audit ledger over the new tables.
#
# Fixtures: examples/demo-app (syft's SBOM of the demo image and three real
# OSV records) and tests/integration/fixtures/sca (README.md there says what
# each file is for).
. "$(dirname "$0")/lib.sh"

DEMO_SBOM=$ROOT/examples/demo-app/sbom.cdx.json
DEMO_DB=$ROOT/examples/demo-app/vulndb
FX=$ROOT/tests/integration/fixtures/sca
DB=$TEST_DIR/store.db

# Every command runs at a fixed clock unless it says otherwise, so that the
# times of findings can be compared with what the test set.
T0=2030-03-10T12:00:00Z
T1=2030-03-12T08:30:00Z
T2=2030-03-13T09:00:00Z
export SHIPGATE_NOW=$T0
at() { # at TIME ARGS...: sg with the clock at TIME
	local t=$1
	shift
	SHIPGATE_NOW=$t sg "$@"
}
C1=$(commit_of c1)
C2=$(commit_of c2)
C3=$(commit_of c3)
C4=$(commit_of c4)
C5=$(commit_of c5)
C6=$(commit_of c6)

py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
n_events() { rows "SELECT count(*) FROM audit_event"; }
counts() { # what must not move when nothing is written
	rows "SELECT (SELECT count(*) FROM audit_event)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM ingest)||' '||(SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM finding_event)||' '||(SELECT count(*) FROM sbom_component)||' '||(SELECT count(*) FROM sbom_vex)||' '||(SELECT count(*) FROM vuln)||' '||(SELECT count(*) FROM vuln_package)||' '||(SELECT group_concat(status, '') FROM finding)"
}
# fid PRODUCT RULE [COMPONENT]: the id of the finding
fid() { rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$1' AND f.rule = '$2' ${3:+AND f.component = '$3'}"; }
status_of() { rows "SELECT status FROM finding WHERE id = $1"; }
fcount() { rows "SELECT count(*) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$1' ${2:+AND $2}"; }
checkpoint() { sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; }

sg init
expect_rc 0 "init"
# A policy of the sca clause alone (and no SLA clause): the gate's verdicts
# turn on the SBOM and its findings only.
cat >shipgate.yml <<'EOF'
policy: sca-test
block_release: [critical, high]
approver_role: cto
exception_max_days: 90
require:
  sca:
    on_release_commit: true
    max_age_days: 30
EOF
sg policy check shipgate.yml
expect_rc 0 "the test policy (clause sca only) is valid"

# =====================================================================================
# vulndb import and status
# =====================================================================================
sg vulndb status
expect_rc 0 "vulndb status of an empty database exits 0"
expect_out "the vulnerability database is empty" "an empty database says so"
sg vulndb import "$DEMO_DB"
expect_rc 0 "vulndb import of the demo's records exits 0"
expect_out "3 records read: 3 added, 0 updated (0 withdrawn), 0 unchanged" "import: 3 records read, 3 added (SOURCES.md is not a record)"
expect_eq "$(rows "SELECT group_concat(osv_id, ' ') FROM (SELECT osv_id FROM vuln ORDER BY osv_id)")" \
	"CVE-2017-6349 CVE-2024-32002 GHSA-m9g8-fxxm-xg86" "the store holds the three records by id"
# counted from the files: affected entries with a package, per record
want_pkgs=$(python3 - "$DEMO_DB" <<'EOF'
import json, glob, sys
print(sum(1 for f in glob.glob(sys.argv[1] + "/*.json") for a in json.load(open(f))["affected"] if "package" in a))
EOF
)
expect_eq "$(rows "SELECT count(*) FROM vuln_package")" "$want_pkgs" "one vuln_package row per affected entry with a package ($want_pkgs; GIT-only entries have none)"
expect_eq "$(rows "SELECT replace(aliases, char(10), ' ') FROM vuln WHERE osv_id = 'GHSA-m9g8-fxxm-xg86'")" \
	"CVE-2024-53908 PYSEC-2024-157" "the GHSA record's aliases are kept"
expect_eq "$(rows "SELECT severity||' '||score||' '||severity_source FROM vuln WHERE osv_id = 'CVE-2024-32002'")" \
	"4 90 CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H" "CVE-2024-32002: CVSS 3.1 vector computed to 9.0, critical"
expect_eq "$(rows "SELECT count(*) FROM audit_event WHERE action = 'vulndb.import'")" "1" "the import is one vulndb.import audit event"
sg vulndb status
expect_rc 0 "vulndb status"
# Records per ecosystem, counted from the files (a record counts once for each
# ecosystem it names, before the ':').
want_status=$(python3 - "$DEMO_DB" <<'EOF'
import json, glob, sys
n = {}
for f in glob.glob(sys.argv[1] + "/*.json"):
    for e in {a["package"]["ecosystem"].split(":")[0] for a in json.load(open(f))["affected"] if "package" in a}:
        n[e] = n.get(e, 0) + 1
print(" ".join("%s=%d" % kv for kv in sorted(n.items())))
EOF
)
expect_eq "$want_status" "Alpine=2 Debian=2 PyPI=1" "the demo records name Alpine twice, Debian twice, PyPI once"
got_status=$(awk 'NR > 1 { printf "%s%s=%s", sep, $1, $2; sep = " " }' <<<"$SG_OUT")
expect_eq "$got_status" "$want_status" "vulndb status (text): records per ecosystem"
expect_out "newest modified" "vulndb status (text) has a header line"
sg vulndb status --format json
expect_rc 0 "vulndb status --format json"
expect_eq "$(py 'print(" ".join("%s=%d" % (e["ecosystem"], e["records"]) for e in d))')" "$want_status" "vulndb status JSON: records per ecosystem"
expect_eq "$(py 'print({e["ecosystem"]: e["newest_modified"] for e in d}["PyPI"], sum(e["withdrawn"] for e in d))')" \
	"2025-01-14T16:52:26.125663Z 0" "vulndb status JSON: newest modified of PyPI is the GHSA's; none withdrawn"
E1=$(n_events)
before=$(counts)
sg vulndb import "$DEMO_DB"
expect_rc 0 "importing the same records again exits 0"
expect_out "3 records read: 0 added, 0 updated (0 withdrawn), 3 unchanged" "re-import: all 3 unchanged"
expect_out "nothing new" "re-import says nothing new"
expect_eq "$(n_events)" "$E1" "re-import adds no audit event"
expect_eq "$(counts)" "$before" "re-import writes nothing"
sg vulndb import "$DEMO_DB/CVE-2024-32002.json"
expect_rc 0 "importing one .json file of the same records exits 0"
expect_out "1 record read: 0 added, 0 updated (0 withdrawn), 1 unchanged" "a single file: 1 record read, unchanged"

# =====================================================================================
# ingest sbom: the demo SBOM
# =====================================================================================
E2=$(n_events)
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C1"
expect_rc 0 "ingest sbom of the demo SBOM exits 0"
expect_out "CycloneDX 1.5 from syft: scan 1: 7 components (2 without purl, 2 not matchable), 0 VEX statements" \
	"ingest: format, generator, 7 components (nested ones counted), 2 without purl"
expect_out "2 vulnerable components, 2 vulnerabilities, 0 licence violations" "ingest: 2 vulnerable components, 2 vulnerabilities, no licence violation"
expect_out "findings: 2 new, 0 reopened, 0 not applicable (VEX)" "ingest: 2 new findings"
expect_eq "$(fcount demo)" "2" "two findings for demo"
expect_eq "$(fcount demo "kind = 'sca' AND tool = 'osv' AND status = 'open'")" "2" "both are open sca findings of tool osv"
GIT=$(fid demo CVE-2024-32002 pkg:apk/alpine/git)
DJ=$(fid demo CVE-2024-53908 pkg:pypi/django)
check "CVE-2024-32002 is a finding for pkg:apk/alpine/git (#$GIT)" test -n "$GIT"
check "CVE-2024-53908 (the GHSA's CVE alias) is the rule of Django's finding (#$DJ)" test -n "$DJ"
expect_eq "$(fcount demo "rule LIKE 'GHSA-%' OR rule LIKE 'PYSEC-%'")" "0" "no finding is named by the GHSA or PYSEC id"
expect_eq "$(rows "SELECT severity FROM finding WHERE id = $GIT")/$(rows "SELECT severity FROM finding WHERE id = $DJ")" "4/4" \
	"git: CVSS 9.0, Django: CVSS 9.8 (over the GHSA's HIGH word): both critical"
expect_eq "$(rows "SELECT message FROM finding WHERE id = $GIT")" "git 2.40.1-r0 is affected by CVE-2024-32002; fixed in 2.40.3-r0" \
	"git's message: version, vulnerability and Alpine v3.18's fixed version (not v3.17's or v3.19's)"
expect_eq "$(rows "SELECT message FROM finding WHERE id = $DJ")" \
	"Django 5.1.2 is affected by CVE-2024-53908 (GHSA-m9g8-fxxm-xg86): Django SQL injection in HasKey(lhs, rhs) on Oracle; fixed in 5.1.4" \
	"Django's message names the GHSA once (6 entries, 2 of them affected) and 5.1.4"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE rule = 'CVE-2017-6349'")" "0" "vim 9.0.2073-r0 is past Alpine v3.18's fix for CVE-2017-6349: no finding"
expect_eq "$(rows "SELECT kind||'|'||tool||'|'||tool_version||'|'||commit_sha||'|'||result_count||'|'||new_count FROM scan WHERE id = 1")" \
	"sca|syft|1.18.1|$C1|2|2" "scan row: kind sca, the generator and its version, commit, counts"
expect_eq "$(rows "SELECT hex(artifact_sha256) FROM scan WHERE id = 1")" "$(sha256sum "$DEMO_SBOM" | cut -d' ' -f1 | tr a-f A-F)" \
	"scan artifact_sha256 = sha256sum of the SBOM"
# every component is recorded, those without purl with the reason they are not matched
expect_eq "$(rows "SELECT count(*) FROM sbom_component WHERE scan_id = 1")" "7" "7 sbom_component rows"
expect_eq "$(rows "SELECT group_concat(name||'='||unmatched, ', ') FROM (SELECT name, unmatched FROM sbom_component WHERE scan_id = 1 AND unmatched IS NOT NULL ORDER BY name)")" \
	"demo-app-admin=no purl, src/third_party/tinyparse.c=no purl" "the two components without purl are kept, unmatched 'no purl'"
expect_eq "$(rows "SELECT name||' '||coalesce(scope, '-')||' '||depth FROM sbom_component WHERE scan_id = 1 AND package = 'sqlparse'")" \
	"sqlparse optional 1" "sqlparse: scope optional kept, nested one level deep"
expect_eq "$(rows "SELECT scope FROM sbom_component WHERE scan_id = 1 AND package = 'django'")" "required" "Django: scope required kept"
expect_eq "$(rows "SELECT component||' '||ecosystem||' '||package||' '||version FROM sbom_component WHERE scan_id = 1 AND name = 'git'")" \
	"pkg:apk/alpine/git Alpine:v3.18 git 2.40.1-r0" "git: canonical purl without version or qualifiers, ecosystem Alpine:v3.18 from distro=3.18.4"
expect_eq "$(rows "SELECT component||' '||package FROM sbom_component WHERE scan_id = 1 AND name = 'Django'")" \
	"pkg:pypi/django django" "Django: purl pkg:pypi/Django@5.1.2 canonicalised to pkg:pypi/django"
expect_eq "$(rows "SELECT licenses FROM sbom_component WHERE scan_id = 1 AND name = 'Django'")" "BSD-3-Clause" \
	"Django's licence id 'bsd-3-clause' is normalised to BSD-3-Clause"
expect_eq "$(rows "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_event WHERE seq > $E2 ORDER BY seq)")" \
	"product.create ingest.sbom sbom.add findings.update" "the ingest records product.create, ingest.sbom, sbom.add and findings.update in the ledger"
sg findings --product demo --format json
expect_rc 0 "findings --format json"
expect_eq "$(py 'print(sorted((f["rule"], f["component"], f["kind"], f["tool"], f["path"]) for f in d))')" \
	"[('CVE-2024-32002', 'pkg:apk/alpine/git', 'sca', 'osv', None), ('CVE-2024-53908', 'pkg:pypi/django', 'sca', 'osv', None)]" \
	"findings JSON: rule, component (no path), kind sca, tool osv"
sg findings --product demo
expect_out "osv CVE-2024-32002 pkg:apk/alpine/git" "findings (text) names the component"

# --- the PYSEC record of the same flaw: still ONE finding ----------------------------
sg vulndb import "$FX/osv-pysec"
expect_rc 0 "import PYSEC-2024-157 (alias CVE-2024-53908 only)"
expect_out "1 record read: 1 added" "PYSEC-2024-157 added"
expect_out "matched again: 1 product's newest SBOM: 0 new findings, 0 reopened, 0 fixed" "the new record is matched against demo's SBOM: nothing new"
expect_eq "$(fcount demo "component = 'pkg:pypi/django'")" "1" "GHSA-m9g8-fxxm-xg86 + PYSEC-2024-157 + CVE-2024-53908: ONE finding for Django"
expect_eq "$(rows "SELECT rule FROM finding WHERE id = $DJ")" "CVE-2024-53908" "the merged finding keeps the CVE as its rule"
expect_eq "$(rows "SELECT message FROM finding WHERE id = $DJ")" \
	"Django 5.1.2 is affected by CVE-2024-53908 (GHSA-m9g8-fxxm-xg86, PYSEC-2024-157): Django SQL injection in HasKey(lhs, rhs) on Oracle; fixed in 5.1.4" \
	"the merged finding's message names both records (joined by the shared CVE alias)"

# =====================================================================================
# the SBOM is a snapshot
# =====================================================================================
sg ingest sbom "$FX/demo-django-5.1.4.cdx.json" --product demo --commit "$C2"
expect_rc 0 "ingest the SBOM with Django 5.1.4"
expect_out "1 vulnerable component, 1 vulnerability," "Django 5.1.4: only git is vulnerable"
expect_out "findings: 0 new, 0 reopened" "Django 5.1.4: nothing new"
expect_out "1 finding fixed (no longer reported)" "Django 5.1.4: one finding fixed"
expect_eq "$(status_of "$DJ")/$(status_of "$GIT")" "fixed/open" "Django's finding is fixed, git's stays open"
expect_eq "$(rows "SELECT from_status||'>'||to_status FROM finding_event WHERE finding_id = $DJ AND event = 'fixed'")" "open>fixed" "a 'fixed' event open -> fixed"
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C3"
expect_rc 0 "ingest the demo SBOM (Django 5.1.2) again for a new commit"
expect_out "findings: 0 new, 1 reopened" "downgrade: Django's finding reopened, nothing new"
expect_eq "$(status_of "$DJ")" "open" "Django's finding is open again, under the same id"
expect_eq "$(fcount demo)" "2" "still two findings: no new row for the regression"
sg findings show "$DJ" --format json
expect_eq "$(py 'print(",".join(e["event"] for e in d["events"]))')" "opened,fixed,reopened" "Django's history: opened, fixed, reopened"
before=$(counts)
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$C3"
expect_rc 0 "the same SBOM for the same commit again exits 0"
expect_out "already ingested as scan 3" "re-ingest says already ingested (scan 3)"
expect_eq "$(counts)" "$before" "re-ingest of the same file and commit writes nothing (not even an audit event)"
sg ingest sbom "$DEMO_SBOM" --product demo --commit "$(tr a-f A-F <<<"$C3")"
expect_out "already ingested" "the commit in upper case is the same commit"

# =====================================================================================
# post-release discovery: new data for an SBOM already stored
# =====================================================================================
expect_eq "$(rows "SELECT count(*) FROM sbom_component c JOIN scan s ON s.id = c.scan_id WHERE s.id = 3 AND c.package = 'sqlparse' AND c.version = '0.5.2'")" "1" \
	"demo's newest SBOM lists sqlparse 0.5.2"
E3=$(n_events)
at "$T1" vulndb import "$FX/late/v1"
expect_rc 0 "import a new record SGT-LATE-1 (sqlparse < 0.5.3) after the release"
expect_out "1 record read: 1 added" "SGT-LATE-1 added"
expect_out "1 new finding" "the import reports one new finding"
LATE=$(fid demo CVE-2099-0001 pkg:pypi/sqlparse)
check "a finding for sqlparse opened by the import (#$LATE), named by the record's CVE alias" test -n "$LATE"
sg findings show "$LATE" --format json
expect_eq "$(py 'print(d["finding"]["status"], d["finding"]["first_seen"], d["finding"]["severity"])')" "open $T1 high" \
	"first_seen is the import's time ($T1), not the SBOM's; GHSA word HIGH -> high"
expect_eq "$(rows "SELECT first_seen_scan FROM finding WHERE id = $LATE")" "3" "its first sighting is demo's newest SBOM (scan 3)"
expect_eq "$(rows "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_event WHERE seq > $E3 ORDER BY seq)")" \
	"vulndb.import sca.rematch findings.update" "the import and the re-match are in the ledger"
at "$T2" vulndb import "$FX/late/v2-withdrawn"
expect_rc 0 "import SGT-LATE-1 again, modified later and withdrawn"
expect_out "1 record read: 0 added, 1 updated (1 withdrawn), 0 unchanged" "the withdrawn record is an update"
expect_out "1 fixed" "the withdrawal fixes one finding"
expect_eq "$(status_of "$LATE")" "fixed" "the withdrawn record's finding is fixed"
expect_eq "$(rows "SELECT withdrawn||' '||modified FROM vuln WHERE osv_id = 'SGT-LATE-1'")" "1 2025-02-01T00:00:00Z" "the store keeps the newer, withdrawn copy"
before=$(counts)
at "$T2" vulndb import "$FX/late/v0-older"
expect_rc 0 "import an older copy of SGT-LATE-1 (modified before)"
expect_out "1 record read: 0 added, 0 updated (0 withdrawn), 1 unchanged" "the older copy is unchanged"
expect_out "nothing new" "the older copy: nothing new"
expect_eq "$(counts)" "$before" "the older copy writes nothing"
expect_eq "$(rows "SELECT withdrawn||' '||summary FROM vuln WHERE osv_id = 'SGT-LATE-1'")" "1 withdrawn: not a vulnerability" "the store still has the withdrawn copy"
expect_eq "$(status_of "$LATE")" "fixed" "the finding stays fixed"

# =====================================================================================
# matching rules, one ecosystem order at a time
# =====================================================================================
# A product whose SBOM lists Go modules before any Go record is known: the
# import of the Go records must match it again (a version written "v1.2.3"
# placed in the records' SEMVER ranges), not fail.
sg ingest sbom "$FX/go.cdx.json" --product go-first --commit "$C1"
expect_rc 0 "an SBOM of Go modules before any Go record"
expect_eq "$(fcount go-first)" "0" "no Go record yet: no finding"
sg vulndb import "$FX/osv-rules"
expect_rc 0 "import the rule fixtures"
expect_eq "$(rows "SELECT group_concat(component, ' ') FROM (SELECT component FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'go-first' ORDER BY component)")" \
	"pkg:golang/github.com/sg/mod pkg:golang/github.com/sg/pseudo" "the import matched the Go SBOM stored before it: two findings"
N_RULES=$(find "$FX/osv-rules" -name '*.json' | wc -l)
expect_out "$N_RULES records read: $N_RULES added" "all $N_RULES rule fixtures added (an entry without package is fine)"
expect_eq "$(rows "SELECT count(*) FROM vuln_package p JOIN vuln v ON v.id = p.vuln_id WHERE v.osv_id IN ('SGT-NOPKG', 'SGT-GITONLY')")" "1" \
	"GIT-only entries are not packages: SGT-NOPKG keeps one, SGT-GITONLY none"
sg ingest sbom "$FX/rules.cdx.json" --product rules --commit "$C1"
expect_rc 0 "ingest the rules SBOM"
N_RULE_COMPONENTS=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["components"]))' "$FX/rules.cdx.json")
expect_out "$N_RULE_COMPONENTS components (0 without purl, 4 not matchable)" "rules SBOM: every component read, 4 not matchable"
# component -> the rule of its finding ("-": none)
while read -r comp want what; do
	got=$(rows "SELECT group_concat(rule) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'rules' AND f.component = '$comp'")
	expect_eq "${got:--}" "$want" "$what ($comp)"
done <<'EOF'
pkg:npm/sg-unsorted-in SGT-UNSORTED unsorted events: 2.1.0 is in [2.0.0, 2.3.0) once the events are sorted
pkg:npm/sg-unsorted-out - unsorted events: 1.5.0 is between the two ranges
pkg:npm/sg-lastaff-at SGT-LASTAFF last_affected is inclusive: 3.0.0 affected
pkg:npm/sg-lastaff-above - last_affected: 3.0.1 is past it
pkg:npm/sg-fixed-at - fixed is exclusive: 2.0.0 is not affected
pkg:npm/sg-fixed-below SGT-FIXED fixed: 1.9.9 is affected
pkg:npm/sg-fixed-intro SGT-FIXED introduced is inclusive: 1.0.0 affected
pkg:npm/sg-fixed-before - 0.9.0 is before introduced
pkg:npm/sg-limit-below SGT-LIMIT limit: 1.5.0 is below the limit 2.0.0
pkg:npm/sg-limit-above - limit: 2.5.0 is past the limit
pkg:npm/sg-versions-listed SGT-VERSIONS versions list: 4.0.3 is listed
pkg:npm/sg-versions-between - versions list: 4.0.2 is not listed (no range between)
pkg:npm/sg-intro0 SGT-INTRO0 introduced "0": 0.0.1 affected
pkg:npm/sg-nopkg SGT-NOPKG a record with an entry without package still matches by its other entry
pkg:cargo/sg-semver-pre SGT-SEMVER SEMVER range: 0.3.0-rc.1 is below 0.3.0
pkg:cargo/sg-semver-at - SEMVER range: 0.3.0 is the fix
pkg:npm/sg-split SGT-SPLIT one package over two affected entries: one finding
pkg:npm/%40sg/scoped SGT-NPM npm: a scoped package (@sg/scoped) matches
pkg:pypi/sg-py.pkg SGT-PYPI PyPI: purl Sg_Py.Pkg matches the record's sg-py-pkg (PEP 503); 1.0 < 1.0.post1
pkg:pypi/django-foo SGT-PYPI PyPI: purl Django_Foo matches the record's Django_Foo
pkg:maven/org.sg/lib-rc SGT-MAVEN Maven: org.sg:lib-rc 1.0-rc1 < 1.0
pkg:maven/org.sg/lib-final - Maven: 1.0.0 = 1.0, the fix
pkg:cargo/sg-crate-old SGT-CRATES crates.io: 0.2.36 < the RustSec sentinel 0.2.37-0
pkg:cargo/sg-crate-new - crates.io: 0.2.37 > 0.2.37-0
pkg:gem/sg-gem-pre SGT-GEM RubyGems: 1.0.a is a pre-release of 1.0
pkg:gem/sg-gem-final - RubyGems: 1.0.0 = 1.0
pkg:nuget/Sg.Lib SGT-NUGET NuGet: 1.0 = 1.0.0.0 < 1.0.0.1
pkg:nuget/Sg.Done - NuGet: 1.0.0.1 is the fix
pkg:deb/debian/sg-deb SGT-DEB Debian: distro=debian-12 takes the Debian:12 entry; SGT-DEB11 (Debian:11) does not apply
pkg:deb/debian/sg-deb-epoch SGT-DEB Debian: 1.5-1 (epoch 0) < 1:0.9-1
pkg:deb/debian/sg-deb-epochq - Debian: the purl's epoch=1 qualifier makes 1:1.5-1 > the fix 1:1.0-1 (as trivy and syft write epochs)
pkg:apk/alpine/sg-apk SGT-APK Alpine: distro=3.20.1 is Alpine:v3.20; 1.0_rc1-r0 < 1.0-r0
EOF
expect_out "3 versions in matching records did not parse and were skipped (see sca explain)" \
	"versions a record's order cannot place are skipped and counted (SGT-UNPLACEABLE: 2 for one component, 1 for the other)"
expect_eq "$(rows "SELECT group_concat(rule) FROM finding WHERE component = 'pkg:npm/sg-skip-listed'")" "SGT-UNPLACEABLE" \
	"an unreadable entry of a versions list is skipped: the range still decides (1.0.0 < 2.0.0)"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE component = 'pkg:npm/sg-skip-fix'")" "1" \
	"an unreadable fixed event leaves the range open: it fails closed, one finding"
case "$(rows "SELECT message FROM finding WHERE component = 'pkg:npm/sg-skip-fix'")" in
*"could not be read: counted as affected"*) ok "the finding says a version could not be read and it counts as affected" ;;
*) not_ok "the finding says a version could not be read and it counts as affected" ;;
esac
sg sca explain --product rules --purl pkg:npm/sg-skip-fix
expect_out 'counted as affected: undecided, range 1 (ECOSYSTEM): introduced 0; skipped, not npm versions: fixed "not.a.version"' \
	"sca explain says the range is undecided, counted as affected, and names the skipped event"
expect_out "(2 versions in the record did not parse and were skipped)" "sca explain counts the skipped versions"
expect_eq "$(fcount rules "component = 'pkg:npm/sg-split'")" "1" "the split record makes one finding, not one per entry"
expect_eq "$(rows "SELECT message FROM finding WHERE component = 'pkg:npm/sg-split'")" \
	"sg-split 2.0.5 is affected by SGT-SPLIT: sgt-split test record; fixed in 2.1.0 (the records give no severity: rated high)" \
	"the split record: fixed in 2.1.0 (the entry that affects 2.0.5), the id said once"
expect_eq "$(rows "SELECT message FROM finding WHERE component = 'pkg:deb/debian/sg-deb'")" \
	"sg-deb 1.2-3 is affected by SGT-DEB: sgt-deb test record; fixed in 1.2-4 (the records give no severity: rated high)" \
	"Debian:12's fixed version 1.2-4, not Debian:11's"
expect_eq "$(fcount rules "rule = 'SGT-DEB11' OR rule = 'SGT-NOORDER' OR rule = 'SGT-GITONLY'")" "0" \
	"no finding from another Debian release, from an ecosystem without order, or from a GIT-only record"
# never silently passed: components that cannot be matched are recorded and counted
expect_eq "$(rows "SELECT group_concat(name||': '||unmatched, ' | ') FROM (SELECT c.name AS name, c.unmatched AS unmatched FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = 'rules' AND c.unmatched IS NOT NULL ORDER BY c.name)")" \
	'sg-badver: npm version "not.a.version" does not parse: no major number | sg-generic: no OSV ecosystem for purl type generic | sg-nover: no version | sg/noorder: no version order for ecosystem Packagist' \
	"unmatched components with their reasons: Packagist (no order), generic (no ecosystem), no version, a bad version"
sg sca explain --product rules --purl pkg:composer/sg/noorder
expect_rc 0 "sca explain of the Packagist component"
expect_out "not matched: no version order for ecosystem Packagist" "sca explain says why the Packagist component is not matched"
sg sca explain --product rules --purl pkg:generic/sg-generic --format json
expect_eq "$(py 'c = d["components"][0]; print(c["unmatched"], c["ecosystem"], len(c["records"]))')" "no OSV ecosystem for purl type generic None 0" \
	"sca explain JSON of pkg:generic: unmatched, no ecosystem, no record evaluated"

# --- severities --------------------------------------------------------------------------
sevmsg() { rows "SELECT severity||' '||tool_severity||' | '||message FROM finding WHERE component = 'pkg:npm/$1'"; }
expect_eq "$(sevmsg sg-sev-cvss)" "2 2 | sg-sev-cvss 1.0.0 is affected by SGT-SEV-CVSS: sgt-sev-cvss test record; fixed in 9.9.9" \
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N computes to 6.1: medium (the word CRITICAL beside it loses); the message names the fix"
expect_eq "$(rows "SELECT score||' '||severity_source FROM vuln WHERE osv_id = 'SGT-SEV-CVSS'")" "61 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N" \
	"the record's score (6.1) and the vector it came from are stored"
expect_eq "$(sevmsg sg-sev-low)" "1 1 | sg-sev-low 1.0.0 is affected by SGT-SEV-LOW: sgt-sev-low test record; fixed in 9.9.9" \
	"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N computes to 3.7: low"
expect_eq "$(sevmsg sg-sev-word)" "2 2 | sg-sev-word 1.0.0 is affected by SGT-SEV-WORD: sgt-sev-word test record; fixed in 9.9.9" \
	"GHSA's database_specific.severity MODERATE -> medium"
expect_eq "$(sevmsg sg-sev-none)" "3 3 | sg-sev-none 1.0.0 is affected by SGT-SEV-NONE: sgt-sev-none test record; no fixed version is known (the records give no severity: rated high)" \
	"no severity -> high, and the message says 'rated high'; no fix -> 'no fixed version is known'"

# --- Go: v-prefixed versions, pseudo-versions, SEMVER ranges (as the Go vulndb writes them) ----
sg ingest sbom "$FX/go.cdx.json" --product go --commit "$C1"
expect_rc 0 "ingest an SBOM of Go modules (purl versions with 'v', as generators write them)"
expect_eq "$(rows "SELECT group_concat(component||'='||rule, ' ') FROM (SELECT component, rule FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'go' ORDER BY component)")" \
	"pkg:golang/github.com/sg/mod=SGT-GO pkg:golang/github.com/sg/pseudo=SGT-GO" \
	"Go: pseudo-version v0.0.0-20201120070457-... < 0.0.0-20201215000000-...; v4.1.18-0.2020... < 4.1.18"

# =====================================================================================
# VEX
# =====================================================================================
sg ingest sbom "$FX/demo-vex.cdx.json" --product demo --commit "$C4"
expect_rc 0 "ingest the demo SBOM with a VEX statement"
expect_out "2 VEX statements" "two vulnerabilities[] entries with an analysis are read"
expect_out "1 not applicable (VEX)" "one finding is made not applicable by VEX (in_triage does not)"
expect_eq "$(rows "SELECT count(*) FROM sbom_vex v JOIN scan s ON s.id = v.scan_id WHERE s.commit_sha = '$C4'")" "2" "two sbom_vex rows"
expect_eq "$(status_of "$GIT")/$(status_of "$DJ")" "false_positive/open" "git (not_affected): false_positive; Django (in_triage): still open"
sg findings show "$GIT"
expect_rc 0 "findings show of the VEX'd finding"
expect_out "VEX: not_affected" "the reason names the VEX state"
expect_out "code_not_reachable" "the reason names the justification"
expect_out "demo-vex.cdx.json" "the reason names the SBOM file"
sg findings show "$GIT" --format json
expect_eq "$(py 'e = [e for e in d["events"] if e["event"] == "triaged"][-1]; print(e["from"], e["to"], e["reason"].split(" (sha256")[0])')" \
	"open false_positive VEX: not_affected (code_not_reachable), in $FX/demo-vex.cdx.json" \
	"VEX: the reason reads 'VEX: not_affected (code_not_reachable), in FILE' (a triaged event open -> false_positive)"
sg gate --product demo --format json
expect_eq "$(py 'print(sorted(b["rule"] for b in d["blocking_findings"]))')" "['CVE-2024-53908']" \
	"the gate no longer blocks on git's CVE; Django's still blocks"

# =====================================================================================
# licences
# =====================================================================================
cat >deny.yml <<'EOF'
policy: sca-licences
block_release: [critical, high]
licenses:
  deny: [GPL-2.0-only]
EOF
cat >allow.yml <<'EOF'
policy: sca-licences
block_release: [critical, high]
licenses:
  allow: [MIT, BSD-3-Clause, Apache-2.0]
  severity: medium
EOF
sg --policy deny.yml ingest sbom "$DEMO_SBOM" --product demolic --commit "$C1"
expect_rc 0 "the demo SBOM under licenses.deny [GPL-2.0-only]"
expect_out "1 licence violation" "one licence violation"
expect_eq "$(rows "SELECT kind||'|'||tool||'|'||rule||'|'||component||'|'||severity||'|'||message FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demolic' AND kind = 'license'")" \
	"license|shipgate|license:GPL-2.0-only|pkg:apk/alpine/git|3|git 2.40.1-r0 is licensed GPL-2.0-only, which the policy does not allow (GPL-2.0-only)" \
	"git (GPL-2.0-only) is a license finding of tool shipgate, rule license:GPL-2.0-only, high by default"
sg --policy deny.yml ingest sbom "$FX/licenses.cdx.json" --product lic --commit "$C1"
expect_rc 0 "the licence fixture under deny"
lic() { rows "SELECT group_concat(name, ' ') FROM (SELECT replace(component, 'pkg:npm/', '') AS name FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'lic' AND f.kind = 'license' AND f.status = 'open' ORDER BY name)"; }
expect_eq "$(lic)" "sg-both sg-gpl sg-lower sg-trunc" \
	"deny: GPL-2.0-only, 'GPL-2.0-only AND MIT', trivy-style 'gpl-2.0-only' and free text naming it ('GPL-2.0-only AND') are refused; 'GPL-2.0-only OR MIT' passes"
expect_eq "$(rows "SELECT group_concat(licenses, ',') FROM (SELECT licenses FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = 'lic' AND c.name IN ('sg-lower', 'sg-trivy', 'sg-pd') ORDER BY c.name)")" \
	"GPL-2.0-only,LicenseRef-public-domain,BSD-3-Clause" "lower-case ids normalised to the listed case; a free-text name becomes LicenseRef-"
sg --policy allow.yml ingest sbom "$FX/licenses.cdx.json" --product lic --commit "$C2"
expect_rc 0 "the licence fixture under allow [MIT, BSD-3-Clause, Apache-2.0]"
expect_eq "$(lic)" "sg-both sg-gpl sg-lower sg-pd sg-trunc" \
	"allow: what is not listed is refused (GPL-2.0-only, LicenseRef-public-domain); 'GPL-2.0-only OR MIT' and 'bsd-3-clause' pass"
expect_eq "$(rows "SELECT group_concat(DISTINCT severity) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'lic' AND f.kind = 'license' AND f.status = 'open'")" "2" \
	"licenses.severity medium applies to every open licence finding"
sg --policy allow.yml ingest sbom "$FX/licenses.cdx.json" --product lic --commit "$C2"
expect_out "already ingested" "the licence fixture again: already ingested"
# no licence policy: the licence findings are fixed by the next SBOM
sg ingest sbom "$FX/licenses.cdx.json" --product lic --commit "$C3"
expect_rc 0 "the licence fixture without a licence policy"
expect_out "5 findings fixed" "without a licence policy, the 5 licence findings are fixed"

# =====================================================================================
# the gate: clause sca, remediate.release, component exceptions
# =====================================================================================
sg release create rel 1.0 --commit "$C5"
expect_rc 0 "release create rel 1.0"
sg ingest sbom "$DEMO_SBOM" --product rel --commit "$C6"
expect_rc 0 "an SBOM of another commit for rel"
sg gate --product rel --release 1.0 --format json
expect_rc 1 "gate of rel 1.0 without an SBOM of its commit: exit 1"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"] if c["id"] == "sca"])')" "fail" "clause sca fails"
expect_eq "$(py 'print(*[r for c in d["clauses"] if c["id"] == "sca" for r in c["reasons"]])')" "no SBOM of commit ${C5:0:12} (release 1.0)" \
	"clause sca: no SBOM of the release's commit"
sg ingest sbom "$DEMO_SBOM" --product rel --release 1.0
expect_rc 0 "ingest the SBOM with --release 1.0"
expect_eq "$(rows "SELECT commit_sha||' '||release_version FROM scan ORDER BY id DESC LIMIT 1")" "$C5 1.0" "--release takes the release's commit"
sg gate --product rel --release 1.0 --format json
expect_rc 1 "gate with the SBOM: still exit 1 (the findings block)"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"] if c["id"] == "sca"])')" "pass" "clause sca passes with an SBOM of the release commit"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"] if c["id"] == "remediate.release"])')" "fail" "clause remediate.release fails"
expect_eq "$(py 'print(sorted(b["rule"] for b in d["blocking_findings"]))')" "['CVE-2024-32002', 'CVE-2024-53908']" "the two critical sca findings block"
expect_eq "$(py 'print(sorted(str(b.get("component")) for b in d["blocking_findings"]))')" "['pkg:apk/alpine/git', 'pkg:pypi/django']" \
	"gate JSON blocking finding carries its component"
sg gate --product rel --release 1.0
check "gate text names the blocking component" grep -q "CVE-2024-32002.*pkg:apk/alpine/git" <<<"$SG_OUT"
# people and keys
sg key generate --out carol.key
expect_rc 0 "key generate carol.key"
sg user add alice --role developer
sg user add carol --role cto
expect_rc 0 "user add carol --role cto"
sg user key carol --public carol.key.pub
expect_rc 0 "user key carol"
EXP=$(date -u -d "2030-03-10 +30 days" +%F)
sg exception request --component pkg:apk/alpine/git --product rel --reason "git never clones untrusted repositories" --expires "$EXP" --as alice
expect_rc 0 "exception request --component pkg:apk/alpine/git"
E_GIT=$SG_OUT
sg exception request --component pkg:pypi/Django --product rel --reason "no Oracle backend" --expires "$EXP" --as alice
expect_rc 0 "exception request --component pkg:pypi/Django (not canonical)"
E_DJ=$SG_OUT
expect_eq "$(rows "SELECT component FROM exception WHERE id = $E_DJ")" "pkg:pypi/django" "the component is stored canonical (pkg:pypi/django)"
sg exception request --component pkg:pypi/django@5.1.2 --product rel --reason "one version" --expires "$EXP" --as alice
expect_rc 2 "a component exception names a package, not a version: exit 2"
sg gate --product rel --release 1.0 --format json
expect_eq "$(py 'print(d["verdict"], d["blocking_total"], d["waived_total"])')" "block 2 0" "pending exceptions waive nothing"
sg exception approve "$E_GIT" --as carol --key carol.key
expect_rc 0 "carol approves the git exception"
sg gate --product rel --release 1.0 --format json
expect_rc 1 "gate with git waived: Django still blocks (exit 1)"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], [(w["rule"], w["exception"]["id"]) for w in d["waived_findings"]])')" \
	"1 1 [('CVE-2024-32002', $E_GIT)]" "waived_findings: git's CVE by the component exception"
sg exception approve "$E_DJ" --as carol --key carol.key
expect_rc 0 "carol approves the Django exception"
sg gate --product rel --release 1.0 --format json
expect_rc 0 "gate with both components waived: exit 0"
expect_eq "$(py 'print(d["verdict"], d["blocking_total"], d["waived_total"])')" "pass 0 2" "verdict pass, 2 waived"
expect_eq "$(py 'print(sorted((w["rule"], w["exception"]["id"]) for w in d["waived_findings"]))')" \
	"[('CVE-2024-32002', $E_GIT), ('CVE-2024-53908', $E_DJ)]" "both findings waived, each by its component's exception"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"] if c["id"] == "remediate.release"])')" "waived" "clause remediate.release: waived"
# a component exception covers only its product's sca findings of that component
sg gate --product demo --format json
expect_eq "$(py 'print(d["waived_total"])')" "0" "rel's component exceptions do not waive demo's findings"

# =====================================================================================
# sca explain
# =====================================================================================
sg sca explain --product demo --purl pkg:pypi/django
expect_rc 0 "sca explain pkg:pypi/django"
expect_out "component Django 5.1.2 (pkg:pypi/Django@5.1.2)" "explain names the component as the SBOM does"
expect_out "OSV package PyPI/django, version order pypi" "explain names the OSV package and the version order"
expect_out "PYSEC-2024-157 (PyPI): AFFECTED: range 1 (ECOSYSTEM): introduced 4.2, fixed 4.2.17, introduced 5.0, fixed 5.0.10, introduced 5.1, fixed 5.1.4; fixed in 5.1.4" \
	"explain text: the deciding range and the fixed version"
expect_out "GHSA-m9g8-fxxm-xg86 (PyPI): AFFECTED: versions list (\"5.1.2\"); fixed in 5.1.4" "explain text: the GHSA's versions list decided"
expect_eq "$(grep -c 'not affected: not affected' <<<"$SG_OUT")" "0" "explain text says 'not affected' once per line"
sg sca explain --product demo --purl pkg:pypi/django --format json
expect_rc 0 "sca explain --format json"
expect_eq "$(py 'r = [r for r in d["components"][0]["records"] if r.get("id") == "PYSEC-2024-157"][0]; print(r["applies"], r["affected"], r["fixed_in"], r["decided_by"].startswith("range 1 (ECOSYSTEM)"))')" \
	"True True 5.1.4 True" "explain JSON: PYSEC applies, affected, fixed_in 5.1.4, decided by range 1"
expect_eq "$(py 'print(d["components"][0]["version_order"], d["components"][0]["ecosystem"], d["sbom_scan"] > 0, d["affected"] >= 2)')" \
	"pypi PyPI True True" "explain JSON: order, ecosystem, the SBOM scan, affected count"
sg sca explain --product demo --purl pkg:apk/alpine/git --format json
expect_eq "$(py 'rs = [r for r in d["components"][0]["records"] if "id" in r]; print(sorted(r["ecosystem"] for r in rs if not r["applies"]) == ["Alpine:v3.17", "Alpine:v3.19", "Alpine:v3.20", "Alpine:v3.21"], {r["why_not"] for r in rs if not r["applies"]})')" \
	"True {\"the record's ecosystem is another release\"}" "explain: other Alpine releases' entries listed as not applying, with the reason"
expect_eq "$(py 'print([(r["ecosystem"], r["fixed_in"]) for r in d["components"][0]["records"] if r.get("applies")])')" \
	"[('Alpine:v3.18', '2.40.3-r0')]" "explain: Alpine:v3.18 applies, fixed in 2.40.3-r0"
expect_eq "$(py 'print([r for r in d["components"][0]["records"] if "vex" in r][0]["state"])')" "not_affected" "explain lists the SBOM's VEX statement"
sg sca explain --product demo --purl pkg:pypi/sqlparse
expect_out "SGT-LATE-1 (PyPI): does not apply: the record is withdrawn" "explain: a withdrawn record is listed as not applying"
sg sca explain --product demo --purl pkg:pypi/django --vuln CVE-2024-53908 --format json
expect_rc 0 "explain --vuln by the CVE alias"
expect_eq "$(py 'print(d["vuln_known"], sorted({r["id"] for r in d["components"][0]["records"] if "id" in r}))')" \
	"True ['GHSA-m9g8-fxxm-xg86', 'PYSEC-2024-157']" "--vuln CVE-2024-53908 finds both records by alias"
sg sca explain --product demo --purl pkg:pypi/django --vuln PYSEC-2024-157 --format json
expect_eq "$(py 'print(sorted({r["id"] for r in d["components"][0]["records"] if "id" in r}))')" "['GHSA-m9g8-fxxm-xg86', 'PYSEC-2024-157']" \
	"--vuln PYSEC-2024-157: by its id and by the GHSA's alias"
sg sca explain --product demo --purl pkg:pypi/django --vuln CVE-1999-0000
expect_rc 0 "explain --vuln of an unknown vulnerability exits 0"
expect_out "the database has no record named CVE-1999-0000" "explain says the database has no such record"
sg sca explain --product demo --purl pkg:pypi/django --vuln CVE-2024-32002
expect_out "CVE-2024-32002 is in the database but names no package of this component" "explain: a known record that does not name the package"
sg sca explain --product demo --purl pkg:npm/not-in-the-sbom
expect_rc 0 "explain of a purl the SBOM does not list exits 0"
expect_out "no component of SBOM scan" "explain says no component matches"
sg sca explain --product nosuch --purl pkg:pypi/django
expect_rc 2 "explain of an unknown product exits 2"
expect_err "no product \"nosuch\"" "explain: the unknown product is named"
sg sca explain --product demo --purl django
expect_rc 2 "explain --purl that is not a purl exits 2"
expect_err "[purl-invalid]" "explain: a bad purl is [purl-invalid]"
sg sca explain --product demo
expect_rc 2 "explain without --purl exits 2"

# =====================================================================================
# the audit ledger over the new tables
# =====================================================================================
sg audit verify
expect_rc 0 "audit verify passes after all of the above"
checkpoint
cp "$DB" pristine.db
restore() {
	rm -f "$DB-wal" "$DB-shm"
	cp pristine.db "$DB"
}
NEWREC=$TEST_DIR/newrec
mkdir -p "$NEWREC"
cat >"$NEWREC/SGT-NEW-1.json" <<'EOF'
{"id": "SGT-NEW-1", "modified": "2025-05-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "sg-new"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
EOF
# tampered WHAT SQL: after SQL, verify fails, and an import and an ingest are refused, writing nothing
tampered() {
	local what=$1 sql=$2 before
	restore
	sqlite3 "$DB" "$sql"
	before=$(counts)
	sg audit verify
	expect_rc 1 "$what: audit verify exits 1"
	expect_err "[audit-broken]" "$what: verify says [audit-broken]"
	sg vulndb import "$NEWREC"
	expect_rc 1 "$what: vulndb import refused (exit 1)"
	expect_err "[audit-broken]" "$what: vulndb import says [audit-broken]"
	expect_eq "$(counts)" "$before" "$what: the refused import wrote nothing"
	sg ingest sbom "$FX/demo-django-5.1.4.cdx.json" --product demo --commit "$C6"
	expect_rc 1 "$what: ingest sbom refused (exit 1)"
	expect_err "[audit-broken]" "$what: ingest sbom says [audit-broken]"
	expect_eq "$(counts)" "$before" "$what: the refused ingest wrote nothing"
}
HEAD=$(rows "SELECT max(id) FROM scan WHERE kind = 'sca' AND product_id = (SELECT id FROM product WHERE name = 'demo')")
tampered "tampered vuln_package (git's Alpine v3.18 fix moved)" \
	"UPDATE vuln_package SET affected = replace(affected, '2.40.3-r0', '2.40.1-r0') WHERE ecosystem = 'Alpine:v3.18' AND name = 'git'"
tampered "tampered sbom_component (git in demo's newest SBOM upgraded)" \
	"UPDATE sbom_component SET version = '2.40.3-r0' WHERE scan_id = $HEAD AND name = 'git'"
tampered "tampered sbom_vex (a statement deleted)" "DELETE FROM sbom_vex WHERE scan_id = $HEAD"
tampered "tampered vuln (a record withdrawn behind shipgate's back)" "UPDATE vuln SET withdrawn = 1 WHERE osv_id = 'CVE-2024-32002'"
restore
sg audit verify
expect_rc 0 "the untouched store still verifies"
