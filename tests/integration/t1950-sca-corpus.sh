#!/usr/bin/env bash
# The real-world corpus through the real binary: every OSV record under
# ../shared/corpus/osv is imported in one `vulndb import`, every SBOM under
# ../shared/corpus/cyclonedx and ../shared/corpus/spdx (schema/ and purl-spec/
# aside) and the real generator outputs in ../shared/corpus/tools is ingested
# or refused as the table below says (the same table as
# tests/unit/test_sbom.c), and the SBOMs are matched against that database.
. "$(dirname "$0")/lib.sh"

if [ -z "$CORPUS" ] || [ ! -d "$CORPUS/osv" ]; then
	not_ok "the corpus (../shared/corpus) is present"
	exit 0
fi
DB=$TEST_DIR/store.db
n_events() { rows "SELECT count(*) FROM audit_event"; }
counts() {
	rows "SELECT (SELECT count(*) FROM audit_event)||' '||(SELECT count(*) FROM product)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM finding)||' '||(SELECT count(*) FROM sbom_component)||' '||(SELECT count(*) FROM sbom_vex)||' '||(SELECT count(*) FROM vuln)||' '||(SELECT count(*) FROM vuln_package)"
}
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }

sg init
expect_rc 0 "init"

# =====================================================================================
# OSV: the corpus database
# =====================================================================================
# osv/schema/ holds the OSV JSON schema and ecosystems.json: JSON, not records.
# They are the only .json files under osv/ that an import refuses.
OSV_REFUSED="schema/ecosystems.json schema/schema.json"
for f in $OSV_REFUSED; do
	before=$(counts)
	sg vulndb import "$CORPUS/osv/$f"
	expect_rc 2 "osv/$f is not an OSV record: exit 2"
	expect_err "[osv-invalid]" "osv/$f: [osv-invalid]"
	expect_err "required \"id\" is missing" "osv/$f: says the id is missing"
	expect_eq "$(counts)" "$before" "osv/$f: nothing written"
done
before=$(counts)
sg vulndb import "$CORPUS/osv"
expect_rc 2 "the whole osv/ directory (with schema/) in one import: exit 2"
expect_err "schema/ecosystems.json" "the refused import names the file that is not a record"
expect_eq "$(counts)" "$before" "the refused import keeps no record (one transaction)"

# Everything else, in one import: the top-level directories but schema/.
mapfile -t OSV_DIRS < <(find "$CORPUS/osv" -mindepth 1 -maxdepth 1 -type d ! -name schema | sort)
# What the import must report, computed over the same files in the same
# order (each directory walked with its names sorted bytewise): a record is
# added the first time its id is seen, updated when a later file has a newer
# `modified`, unchanged otherwise; withdrawn counts the added and updated
# that carry `withdrawn`. Then the records per ecosystem (before ':') that
# `vulndb status` must list.
read -r N_REC N_ADD N_UPD N_WD N_UNCH WANT_STATUS < <(python3 - "${OSV_DIRS[@]}" <<'EOF'
import json, os, sys
from datetime import datetime
def files(d):
    for name in sorted(os.listdir(d), key=lambda n: n.encode()):
        if name.startswith("."):
            continue
        p = os.path.join(d, name)
        if os.path.isdir(p) and not os.path.islink(p):
            yield from files(p)
        elif name.endswith(".json") and os.path.isfile(p) and not os.path.islink(p):
            yield p
def when(m):
    return datetime.strptime(m.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S"), m
kept, n = {}, {"rec": 0, "add": 0, "upd": 0, "wd": 0, "unch": 0}
for d in sys.argv[1:]:
    for p in files(d):
        r = json.load(open(p))
        n["rec"] += 1
        old = kept.get(r["id"])
        if old is None or when(r["modified"]) > when(old["modified"]):
            n["add" if old is None else "upd"] += 1
            n["wd"] += bool(r.get("withdrawn"))
            kept[r["id"]] = r
        else:
            n["unch"] += 1
eco = {}
for r in kept.values():
    for e in {a["package"]["ecosystem"].split(":")[0] for a in r.get("affected", []) if "package" in a}:
        eco[e] = eco.get(e, 0) + 1
print(n["rec"], n["add"], n["upd"], n["wd"], n["unch"], "|".join("%s=%d" % kv for kv in sorted(eco.items())))
EOF
)
check "the corpus holds 554 OSV records outside schema/ (tests/unit/test_osv.c counts the same)" test "$N_REC" = 554
sg vulndb import "${OSV_DIRS[@]}"
expect_rc 0 "vulndb import of every OSV record of the corpus (${#OSV_DIRS[@]} directories) exits 0"
expect_out "$N_REC records read: $N_ADD added, $N_UPD updated ($N_WD withdrawn), $N_UNCH unchanged" \
	"import: $N_REC records, $N_ADD added, $N_UPD updated, $N_WD withdrawn, $N_UNCH unchanged (duplicates across directories)"
expect_eq "$(rows "SELECT count(*) FROM vuln")" "$N_ADD" "the store holds one row per distinct id"
sg vulndb status --format json
expect_rc 0 "vulndb status --format json"
expect_eq "$(py 'print("|".join("%s=%d" % (e["ecosystem"], e["records"]) for e in sorted(d, key=lambda e: e["ecosystem"])))')" "$WANT_STATUS" \
	"vulndb status: records per ecosystem as counted from the files"
expect_eq "$(rows "SELECT count(*) FROM vuln WHERE withdrawn = 1")" "$N_WD" "withdrawn records are kept, marked"
sg vulndb import "${OSV_DIRS[@]}"
expect_out "0 added, 0 updated" "the same corpus again: nothing added or updated"
expect_out "nothing new" "the same corpus again: nothing new"

# =====================================================================================
# SBOMs: the table (tests/unit/test_sbom.c's, with its counts)
# =====================================================================================
# FILE  OUTCOME  COMPONENTS  VEX     (OUTCOME: a diagnostic id, or "read")
# Free text where a licence expression belongs (jake2.json "Apache-2.0 license",
# licenses_1.json "OSI Approved", trivy.json "custom:XFREE86") is kept as a
# LicenseRef-, so those real generator outputs are read.
SBOM_TABLE=$(
	cat <<'EOF'
cyclonedx/bom-examples/CBOM/Algorithm/bom.json read 2 0
cyclonedx/bom-examples/CBOM/Certificate/bom.json read 4 0
cyclonedx/bom-examples/CBOM/Example-With-Dependencies/bom.json read 3 0
cyclonedx/bom-examples/CBOM/Key/bom.json read 3 0
cyclonedx/bom-examples/CBOM/Protocol/bom.json read 8 0
cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json read 6 0
cyclonedx/bom-examples/OBOM/Example-1-Decoupled/obom.json read 1 0
cyclonedx/bom-examples/SBOM/cern-lhc-vdm-editor-e564943/bom.json sbom-unsupported - -
cyclonedx/bom-examples/SBOM/dropwizard-1.3.15/bom.json sbom-unsupported - -
cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json read 1115 0
cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.2.json sbom-unsupported - -
cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.3.json sbom-unsupported - -
cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.json read 62 0
cyclonedx/bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json sbom-unsupported - -
cyclonedx/bom-examples/SaaSBOM/apigateway-microservices-datastores/bom.json read 0 0
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-affected.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-fixed.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-under_investigation.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-2/vex.json read 0 19
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-3/vex.json read 0 19
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-4/vex.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-5/vex.json read 0 1
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-6/vex.json read 0 2
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/bom-1.json read 0 0
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/bom-2.json read 0 0
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/vex.json read 0 4
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-8/bom-1.json read 0 0
cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-8/bom-2.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-1/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-10/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-11/vex.json read 0 19
cyclonedx/bom-examples/VEX/Use-Cases/Case-12/vex.json read 0 3
cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-1.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-2.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-3.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-13/vex.json read 0 2
cyclonedx/bom-examples/VEX/Use-Cases/Case-2/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-3/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-4/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-5/vex.json read 0 2
cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-1.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-2.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-3.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-6/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-7/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-8/vex.json read 0 1
cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-1.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-2.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-3.json read 0 0
cyclonedx/bom-examples/VEX/Use-Cases/Case-9/vex.json read 0 19
cyclonedx/bom-examples/VEX/bom.json sbom-unsupported - -
cyclonedx/bom-examples/VEX/vex.json read 0 1
cyclonedx/defectdojo/issue_8022.json read 1 1
cyclonedx/defectdojo/issue_9277.json read 102 0
cyclonedx/defectdojo/jake2.json read 67 0
cyclonedx/defectdojo/log4j.json read 1 8
cyclonedx/defectdojo/nested-component-log4j.json read 2 8
cyclonedx/defectdojo/no-severity.json read 0 0
cyclonedx/defectdojo/valid-vulnerability-1.4.json read 1 1
cyclonedx/heimdall2/dropwizard-vex.json read 0 0
cyclonedx/heimdall2/dropwizard-vulns.json read 167 0
cyclonedx/heimdall2/spdx-to-cyclonedx.json read 8 0
cyclonedx/heimdall2/syft-scan-alpine-container.json read 16 0
cyclonedx/heimdall2/vex.json read 0 1
cyclonedx/secobserve/grype.json read 106 0
cyclonedx/secobserve/grype_2.json read 1 0
cyclonedx/secobserve/grype_3.json read 1 0
cyclonedx/secobserve/licenses_1.json read 66 0
cyclonedx/secobserve/trivy.json read 86 0
cyclonedx/spec-conformance/1.4/invalid-bomformat-1.4.json sbom-unsupported - -
cyclonedx/spec-conformance/1.4/invalid-component-ref-1.4.json read 2 0
cyclonedx/spec-conformance/1.4/invalid-component-swid-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/invalid-component-type-1.4.json sbom-invalid - -
cyclonedx/spec-conformance/1.4/invalid-dependency-1.4.json read 3 0
cyclonedx/spec-conformance/1.4/invalid-empty-component-1.4.json sbom-invalid - -
cyclonedx/spec-conformance/1.4/invalid-hash-alg-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/invalid-license-choice-1.4.json sbom-invalid - -
cyclonedx/spec-conformance/1.4/invalid-missing-component-type-1.4.json sbom-invalid - -
cyclonedx/spec-conformance/1.4/invalid-patch-type-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/invalid-serialnumber-1.4.json read 0 0
cyclonedx/spec-conformance/1.4/valid-bom-1.4.json read 2 0
cyclonedx/spec-conformance/1.4/valid-component-hashes-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/valid-component-ref-1.4.json read 2 0
cyclonedx/spec-conformance/1.4/valid-component-swid-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/valid-component-swid-full-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/valid-component-types-1.4.json read 8 0
cyclonedx/spec-conformance/1.4/valid-dependency-1.4.json read 3 0
cyclonedx/spec-conformance/1.4/valid-empty-components-1.4.json read 0 0
cyclonedx/spec-conformance/1.4/valid-external-reference-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/valid-metadata-tool-1.4.json read 0 0
cyclonedx/spec-conformance/1.4/valid-minimal-viable-1.4.json read 1 0
cyclonedx/spec-conformance/1.4/valid-service-empty-objects-1.4.json read 0 0
cyclonedx/spec-conformance/1.4/valid-vulnerability-1.4.json read 1 1
cyclonedx/spec-conformance/1.5/invalid-bomformat-1.5.json sbom-unsupported - -
cyclonedx/spec-conformance/1.5/invalid-component-ref-1.5.json sbom-invalid - -
cyclonedx/spec-conformance/1.5/invalid-component-swid-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/invalid-component-type-1.5.json sbom-invalid - -
cyclonedx/spec-conformance/1.5/invalid-dependency-1.5.json read 3 0
cyclonedx/spec-conformance/1.5/invalid-empty-component-1.5.json sbom-invalid - -
cyclonedx/spec-conformance/1.5/invalid-hash-alg-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/invalid-license-choice-1.5.json sbom-invalid - -
cyclonedx/spec-conformance/1.5/invalid-missing-component-type-1.5.json sbom-invalid - -
cyclonedx/spec-conformance/1.5/invalid-patch-type-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/invalid-serialnumber-1.5.json read 0 0
cyclonedx/spec-conformance/1.5/valid-bom-1.5.json read 2 0
cyclonedx/spec-conformance/1.5/valid-component-hashes-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/valid-component-ref-1.5.json read 2 0
cyclonedx/spec-conformance/1.5/valid-component-swid-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/valid-component-swid-full-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/valid-component-types-1.5.json read 8 0
cyclonedx/spec-conformance/1.5/valid-dependency-1.5.json read 3 0
cyclonedx/spec-conformance/1.5/valid-empty-components-1.5.json read 0 0
cyclonedx/spec-conformance/1.5/valid-external-reference-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/valid-metadata-tool-1.5.json read 0 0
cyclonedx/spec-conformance/1.5/valid-metadata-tool-deprecated-1.5.json read 0 0
cyclonedx/spec-conformance/1.5/valid-minimal-viable-1.5.json read 1 0
cyclonedx/spec-conformance/1.5/valid-service-empty-objects-1.5.json read 0 0
cyclonedx/spec-conformance/1.5/valid-vulnerability-1.5.json read 1 1
cyclonedx/spec-conformance/1.6/invalid-bomformat-1.6.json sbom-unsupported - -
cyclonedx/spec-conformance/1.6/invalid-component-ref-1.6.json sbom-invalid - -
cyclonedx/spec-conformance/1.6/invalid-component-swid-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/invalid-component-type-1.6.json sbom-invalid - -
cyclonedx/spec-conformance/1.6/invalid-dependency-1.6.json read 3 0
cyclonedx/spec-conformance/1.6/invalid-empty-component-1.6.json sbom-invalid - -
cyclonedx/spec-conformance/1.6/invalid-hash-alg-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/invalid-license-choice-1.6.json sbom-invalid - -
cyclonedx/spec-conformance/1.6/invalid-missing-component-type-1.6.json sbom-invalid - -
cyclonedx/spec-conformance/1.6/invalid-patch-type-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/invalid-serialnumber-1.6.json read 0 0
cyclonedx/spec-conformance/1.6/valid-bom-1.6.json read 3 0
cyclonedx/spec-conformance/1.6/valid-component-data-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-component-hashes-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-component-identifiers-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-component-ref-1.6.json read 3 0
cyclonedx/spec-conformance/1.6/valid-component-swid-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-component-swid-full-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-component-types-1.6.json read 9 0
cyclonedx/spec-conformance/1.6/valid-dependency-1.6.json read 3 0
cyclonedx/spec-conformance/1.6/valid-empty-components-1.6.json read 0 0
cyclonedx/spec-conformance/1.6/valid-external-reference-1.6.json read 2 0
cyclonedx/spec-conformance/1.6/valid-metadata-tool-1.6.json read 0 0
cyclonedx/spec-conformance/1.6/valid-metadata-tool-deprecated-1.6.json read 0 0
cyclonedx/spec-conformance/1.6/valid-minimal-viable-1.6.json read 1 0
cyclonedx/spec-conformance/1.6/valid-service-empty-objects-1.6.json read 0 0
cyclonedx/spec-conformance/1.6/valid-vulnerability-1.6.json read 1 1
spdx/defectdojo/spdx_3_unsupported.json sbom-unsupported - -
spdx/defectdojo/spdx_many_vuln.json read 4 0
spdx/defectdojo/spdx_no_vuln.json read 3 0
spdx/defectdojo/spdx_one_vuln.json read 3 0
spdx/heimdall2/SPDXJSONExample-v2.2.spdx.json read 4 0
spdx/secobserve/multiple_observations.json read 124 0
spdx/secobserve/no_observation.json read 0 0
spdx/spdx-examples-3.0/example10/spdx3.0/hello-source.spdx3.json sbom-unsupported - -
spdx/spdx-examples-3.0/example11/spdx3.0/sbom.spdx3.json sbom-unsupported - -
spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/01-MinimalSBOM.json read 1 0
spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/02-SBOMwSource.json read 1 0
spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json read 2 0
spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json read 2 0
spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/05-SBOMwSourceLicense.json read 1 0
spdx/spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json read 4 0
spdx/spdx-examples/software/example10/spdx2.3/hello-source.spdx.json read 1 0
spdx/spdx-examples/software/example11/spdx2.3/sbom.spdx.json read 4 0
spdx/spdx-examples/software/example12/spdx2.2/hello-dist.spdx.json read 1 0
spdx/spdx-examples/software/example12/spdx2.2/hello-src.spdx.json read 1 0
spdx/spdx-examples/software/example14/content/examplemaven-0.0.1.spdx.json read 6 0
spdx/spdx-examples/software/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json read 6 0
spdx/spdx-examples/software/example7/spdx2.2/example7-bin.spdx.json read 1 0
spdx/spdx-examples/software/example7/spdx2.2/example7-go-module.spdx.json read 1 0
spdx/spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json read 2 0
spdx/spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json read 3 0
spdx/spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json read 6 0
spdx/spdx-examples/software/example9/spdx2.2/appbomination.spdx.json read 7 0
spdx/spdx-spec-2.3.1/examples/SPDXJSONExample-v2.3.spdx.json read 4 0
spdx/spdx-spec-2.3.1/schemas/spdx-schema.json sbom-unsupported - -
tools/cdxgen/npm-vuln-app.cdx-1.6.json read 56 0
tools/cdxgen/c-zlib-examples.cdx-1.6.json read 0 0
tools/cyclonedx-npm/npm-vuln-app.cdx-1.6.json read 56 0
tools/cyclonedx-npm/npm-vuln-app.cdx-1.4.json read 56 0
tools/trivy-cdxgen/secrets-repo.cdx.json read 0 0
tools/retire/npm-vuln-app.cdx-1.6-vex.json read 3 0
tools/trivy-cdxgen/debian-rootfs.cdx-1.6.json.gz read 1456 0
EOF
)

# Every SBOM of the corpus is in the table, and the table names no file the corpus lacks.
listed=$(awk '{print $1}' <<<"$SBOM_TABLE" | sort)
present=$( (
	cd "$CORPUS" && find cyclonedx spdx -type f ! -name SOURCES.md ! -path 'cyclonedx/schema/*' ! -path 'cyclonedx/purl-spec/*'
	printf '%s\n' tools/cdxgen/npm-vuln-app.cdx-1.6.json tools/cdxgen/c-zlib-examples.cdx-1.6.json \
		tools/cyclonedx-npm/npm-vuln-app.cdx-1.6.json tools/cyclonedx-npm/npm-vuln-app.cdx-1.4.json \
		tools/trivy-cdxgen/secrets-repo.cdx.json tools/retire/npm-vuln-app.cdx-1.6-vex.json \
		tools/trivy-cdxgen/debian-rootfs.cdx-1.6.json.gz
) | sort)
missing=$(comm -13 <(echo "$listed") <(echo "$present"))
stale=$(comm -23 <(echo "$listed") <(echo "$present"))
expect_eq "$missing" "" "every corpus SBOM has a line in the table"
expect_eq "$stale" "" "every line of the table names a corpus file"

# One product per file (the table's line number), each at its own commit.
product_of() { printf 'corpus-%03d' "$1"; }
N_READ=0
N_REFUSED=0
i=0
while read -r file outcome n_comp n_vex; do
	i=$((i + 1))
	product=$(product_of "$i")
	path=$CORPUS/$file
	case "$file" in
	*.gz)
		gunzip -c "$path" >"$TEST_DIR/$(basename "${file%.gz}")"
		path=$TEST_DIR/$(basename "${file%.gz}")
		;;
	esac
	before=$(counts)
	sg ingest sbom "$path" --product "$product" --commit "$(commit_of "$file")"
	if [ "$outcome" = read ]; then
		N_READ=$((N_READ + 1))
		if [ "$SG_RC" != 0 ]; then
			not_ok "$file: ingested (exit $SG_RC: $SG_ERR)"
			continue
		fi
		expect_out ": $n_comp component" "$file: ingested, $n_comp components"
		expect_out " $n_vex VEX statement" "$file: $n_vex VEX statements"
		expect_eq "$(rows "SELECT count(*) FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = '$product'")" \
			"$n_comp" "$file: $n_comp sbom_component rows"
	else
		N_REFUSED=$((N_REFUSED + 1))
		expect_rc 2 "$file: refused (exit 2)"
		expect_err "[$outcome]" "$file: [$outcome]"
		expect_eq "$(counts)" "$before" "$file: nothing written (no product, scan or component)"
	fi
done <<<"$SBOM_TABLE"
expect_eq "$(rows "SELECT licenses FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = '$(product_of "$(grep -n '^cyclonedx/secobserve/trivy.json ' <<<"$SBOM_TABLE" | cut -d: -f1)")' AND c.name = 'libx11'")" \
	"LicenseRef-custom-XFREE86" "trivy.json: libx11's licence text custom:XFREE86 is kept as LicenseRef-custom-XFREE86"
check "the table reads $N_READ SBOMs and refuses $N_REFUSED" test "$N_READ" -gt 100 -a "$N_REFUSED" -gt 20

# =====================================================================================
# matching the corpus SBOMs against the corpus database
# =====================================================================================
line_of() { grep -n "^$1 " <<<"$SBOM_TABLE" | cut -d: -f1; }
found() { # found FILE: component=rule of every sca finding of that file's product, sorted
	rows "SELECT group_concat(component||'='||rule, ' ') FROM (SELECT f.component, f.rule FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$(product_of "$(line_of "$1")")' AND f.kind = 'sca' AND f.status = 'open' ORDER BY f.component, f.rule)"
}
# Checked by hand against the records (PyPA ranges): grype's Python packages.
expect_eq "$(found cyclonedx/secobserve/grype.json)" \
	"pkg:pypi/cryptography=CVE-2023-49083 pkg:pypi/django=CVE-2023-31047 pkg:pypi/django=CVE-2023-46695 pkg:pypi/pip=CVE-2023-5752 pkg:pypi/requests=CVE-2023-32681" \
	"grype.json: Django 3.2.18 (PYSEC-2023-61, -222), cryptography 39.0.2, pip 22.3.1, requests 2.28.2"
expect_eq "$(found cyclonedx/secobserve/grype_2.json)" "pkg:pypi/pip=CVE-2023-5752" "grype_2.json: pip 23.1.2 < 23.3 (PYSEC-2023-228)"
expect_eq "$(found spdx/secobserve/multiple_observations.json)" "pkg:pypi/django=CVE-2024-53908" \
	"multiple_observations.json (SPDX): Django 5.1.2, CVE-2024-53908 (GHSA-m9g8-fxxm-xg86)"
expect_eq "$(found spdx/spdx-examples/software/example11/spdx2.3/sbom.spdx.json)" "pkg:cargo/tokio=RUSTSEC-2023-0005" \
	"example11 (SPDX): tokio 1.19.2 < 1.20.4 (RUSTSEC-2023-0005)"
N_FINDINGS=$(rows "SELECT count(*) FROM finding WHERE kind = 'sca'")
check "the corpus SBOMs against the corpus database: findings exist ($N_FINDINGS)" test "$N_FINDINGS" -ge 8

# The generators' npm app: none of its 56 packages has a record that affects
# its version (the corpus has npm records for jquery, i18next, ... only);
# every component is matchable, and jquery's record is evaluated and misses.
for f in tools/cdxgen/npm-vuln-app.cdx-1.6.json tools/cyclonedx-npm/npm-vuln-app.cdx-1.6.json; do
	p=$(product_of "$(line_of "$f")")
	expect_eq "$(rows "SELECT count(*)||' '||sum(unmatched IS NOT NULL)||' '||sum(ecosystem = 'npm') FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product pr ON pr.id = s.product_id WHERE pr.name = '$p'")" \
		"56 0 56" "$f: 56 npm components, none unmatched"
	expect_eq "$(found "$f")" "" "$f: no corpus record affects the app's versions: no finding"
	sg sca explain --product "$p" --purl pkg:npm/jquery --format json
	expect_eq "$(py 'r = d["components"][0]["records"][0]; print(d["components"][0]["version"], r["id"], r["applies"], r["affected"], r["decided_by"])')" \
		"3.4.0 GHSA-mhpp-875w-9cpv True False not affected: outside range 1 (SEMVER): introduced 2.1.1-0, fixed 3.0.0" \
		"$f: jquery 3.4.0 evaluated against GHSA-mhpp-875w-9cpv, outside [2.1.1-0, 3.0.0)"
done

# trivy's Debian rootfs: 873 Debian packages and 570 Go modules.
ROOTFS=tools/trivy-cdxgen/debian-rootfs.cdx-1.6.json.gz
RP=$(product_of "$(line_of "$ROOTFS")")
expect_eq "$(rows "SELECT count(*) FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = '$RP' AND c.unmatched = 'no purl'")" \
	"13" "trivy rootfs: the 13 components without purl are recorded, unmatched"
expect_eq "$(rows "SELECT group_concat(DISTINCT ecosystem) FROM sbom_component c JOIN scan s ON s.id = c.scan_id JOIN product p ON p.id = s.product_id WHERE p.name = '$RP' AND c.component LIKE 'pkg:deb/%'")" \
	"Debian:12" "trivy rootfs: distro=debian-12.11 gives Debian:12"
# Debian epochs: trivy writes them as the purl's epoch qualifier.
fixed_for() { rows "SELECT count(*) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$RP' AND f.component = '$1' AND f.rule = '$2' AND f.status = 'open'"; }
expect_eq "$(fixed_for pkg:deb/debian/git CVE-2024-32002)" "0" "trivy rootfs: git 1:2.39.5-0+deb12u3 (epoch=1) is past Debian:12's fix 1:2.39.5-0+deb12u1"
expect_eq "$(fixed_for pkg:deb/debian/vim CVE-2017-6349)" "0" "trivy rootfs: vim 2:9.0.1378-2+deb12u2 (epoch=2) is past the fix 2:8.0.0197-3"
# Go modules: an independent SemVer evaluation of the corpus's Go records
# (SEMVER and ECOSYSTEM ranges, versions lists; Go versions without "v";
# withdrawn records left out) says which modules must have a finding.
WANT_GO=$(python3 - "$TEST_DIR/debian-rootfs.cdx-1.6.json" "$DB" <<'EOF'
import json, re, sqlite3, sys, urllib.parse
def key(v):
    v = v[1:] if v.startswith("v") else v
    v = v.split("+")[0]
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:-(.+))?", v)
    if not m:
        return None
    pre = m.group(4)
    ids = [] if pre is None else [(0, int(x), "") if x.isdigit() else (1, 0, x) for x in pre.split(".")]
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre is not None else 1, ids)
def cmp(a, b):
    return (a > b) - (a < b)
def affected(entry, v):
    kv = key(v)
    if any(key(x) == kv for x in entry.get("versions", []) if key(x)):
        return True
    for r in entry.get("ranges", []):
        if r["type"] not in ("SEMVER", "ECOSYSTEM"):
            continue
        evs = [(k, e[k]) for e in r["events"] for k in e]
        lim = [x for k, x in evs if k == "limit"]
        if lim and not any(x == "*" or kv < key(x) for x in lim):
            continue
        def ek(e):
            return key("0.0.0-0") if e[1] == "0" else key(e[1])
        vuln = False
        for k, x in sorted([e for e in evs if e[0] != "limit"], key=ek):
            if k == "introduced" and (x == "0" or kv >= key(x)):
                vuln = True
            elif k == "fixed" and kv >= key(x):
                vuln = False
            elif k == "last_affected" and kv > key(x):
                vuln = False
        if vuln:
            return True
    return False
db = sqlite3.connect(sys.argv[2])
recs = {}
for name, aff in db.execute("SELECT p.name, p.affected FROM vuln_package p JOIN vuln v ON v.id = p.vuln_id WHERE p.eco_base = 'Go' AND v.withdrawn = 0"):
    recs.setdefault(name, []).append(json.loads(aff))
want = set()
for c in json.load(open(sys.argv[1]))["components"]:
    p = c.get("purl", "")
    if not p.startswith("pkg:golang/"):
        continue
    path, _, ver = p[len("pkg:golang/"):].split("?")[0].split("#")[0].partition("@")
    path = urllib.parse.unquote(path)
    ver = urllib.parse.unquote(ver)
    if key(ver) and any(affected(e, ver) for e in recs.get(path, [])):
        want.add("pkg:golang/" + path)
print(" ".join(sorted(want)))
EOF
)
check "the Go records of the corpus affect some of the rootfs's modules ($WANT_GO)" test -n "$WANT_GO"
GOT_GO=$(rows "SELECT group_concat(component, ' ') FROM (SELECT DISTINCT f.component FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$RP' AND f.component LIKE 'pkg:golang/%' AND f.status = 'open' ORDER BY f.component)")
expect_eq "$GOT_GO" "$WANT_GO" "trivy rootfs: exactly the Go modules the records affect have findings"
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$RP' AND f.component = 'pkg:golang/golang.org/x/mod' AND f.message LIKE '%GO-2026-6180%'")" \
	"1" "trivy rootfs: golang.org/x/mod v0.23.0 < 0.40.0 (GO-2026-6180)"

# The corpus SBOMs stay matched when the database changes: one more record
# re-matches every product's newest SBOM in one transaction.
mkdir -p more
cat >more/SGC-1.json <<'EOF'
{"id": "SGC-1", "modified": "2030-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "jquery"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "3.0.0"}, {"fixed": "3.5.0"}]}]}]}
EOF
N_HEADS=$(rows "SELECT count(DISTINCT product_id) FROM scan WHERE kind = 'sca'")
sg vulndb import more
expect_rc 0 "one more record after the corpus SBOMs"
expect_out "matched again: $N_HEADS products' newest SBOMs" "every product with an SBOM ($N_HEADS) is matched again"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE rule = 'SGC-1' AND component = 'pkg:npm/jquery' AND status = 'open'")" \
	"$(rows "SELECT count(DISTINCT s.product_id) FROM sbom_component c JOIN scan s ON s.id = c.scan_id WHERE c.component = 'pkg:npm/jquery' AND c.version GLOB '3.[0-4].*'")" \
	"the new jquery record raises a finding in every product whose SBOM has jquery 3.x < 3.5.0"

sg audit verify
expect_rc 0 "audit verify passes after the corpus"
