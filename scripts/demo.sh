#!/usr/bin/env bash
# README quick start, command 1: build shipgate and walk the bundled example
# (examples/demo-app) through the release journey: create a store, record a
# release, ingest two real SAST reports, import vulnerability data and the
# release's SBOM, list the high findings, ask the gate.
#
# The example is deliberately vulnerable, so the gate is EXPECTED to block
# (exit 1). This script succeeds when the journey runs and the gate blocks; it
# fails on any other non-zero exit, and if the gate unexpectedly passes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Every step names the same commit, as CI would: the release commit is the one
# that was scanned. A fixed value keeps the demo's output reproducible.
COMMIT=5b1e7a0c3d9f2e4a6b8c0d1e2f3a4b5c6d7e8f90
PRODUCT=demo-app
VERSION=1.0.0
DEMO=build/demo

./scripts/deps.sh
make -j2

[ -x build/shipgate ] || {
	echo "demo: build/shipgate was not built" >&2
	exit 1
}

# Run from a fresh build/demo: `init` writes shipgate.yml into the current
# directory, and later commands read ./shipgate.yml from there.
rm -rf "$DEMO"
mkdir -p "$DEMO"
cd "$DEMO"

# Put this build first on PATH so that the echoed "+ shipgate ..." lines are
# exactly what runs, and can be pasted into a shell in build/demo.
PATH="$root/build:$PATH"
scans=../../examples/demo-app/scans
# --source-root must be absolute: clang writes absolute file:// URIs, and
# shipgate makes those under the root relative (flawfinder's are relative
# to SRCROOT already), so both tools name the same file the same way.
src_root="$root/examples/demo-app"

# Echo a command, then run it; any non-zero exit stops the demo with its code.
run() {
	echo "+ $*"
	"$@" || {
		rc=$?
		echo "demo: step failed with exit $rc: $*" >&2
		exit "$rc"
	}
}

DB=sqlite:shipgate.db

run shipgate --db "$DB" init
# The release must exist before an ingest can attach scans to it (--release).
run shipgate --db "$DB" release create "$PRODUCT" "$VERSION" --commit "$COMMIT"
run shipgate --db "$DB" ingest sarif "$scans/flawfinder.sarif" \
	--product "$PRODUCT" --commit "$COMMIT" --release "$VERSION" --source-root "$src_root"
run shipgate --db "$DB" ingest sarif "$scans"/clang-analyzer*.sarif \
	--product "$PRODUCT" --commit "$COMMIT" --source-root "$src_root"
# Dependency analysis (docs/sca.md): an offline OSV database, then the
# release's SBOM (an Alpine image with a Python admin tool) matched against it.
run shipgate --db "$DB" vulndb import ../../examples/demo-app/vulndb
run shipgate --db "$DB" ingest sbom ../../examples/demo-app/sbom.cdx.json \
	--product "$PRODUCT" --commit "$COMMIT" --release "$VERSION"
run shipgate --db "$DB" sca explain --product "$PRODUCT" --purl pkg:pypi/django
run shipgate --db "$DB" findings --product "$PRODUCT" --severity high

echo "+ shipgate --db $DB gate --product $PRODUCT --release $VERSION"
rc=0
shipgate --db "$DB" gate --product "$PRODUCT" --release "$VERSION" || rc=$?
case $rc in
1)
	echo
	echo "demo: the gate BLOCKED release $PRODUCT $VERSION, as expected:"
	echo "demo: examples/demo-app is deliberately vulnerable (strcpy, system(), format"
	echo "demo: strings..., and git and Django versions with known flaws), and open high"
	echo "demo: findings block a release under the built-in policy."
	echo "demo: the store is $DEMO/shipgate.db; look around: cd $DEMO && ../shipgate --db $DB findings --product $PRODUCT"
	;;
0)
	echo "demo: the gate PASSED, but the example has open high findings; expected a block" >&2
	exit 1
	;;
*)
	echo "demo: gate failed with exit $rc (expected 1, a block)" >&2
	exit "$rc"
	;;
esac

# The exception workflow (docs/exceptions.md): a developer asks, the CTO
# signs with a key that never leaves this directory, the gate lists the
# waived finding, and the audit ledger vouches for every step.
echo
echo "demo: an exception for the format-string finding, requested by a developer and signed by the CTO"
run shipgate --db "$DB" user add dana --role developer
run shipgate --db "$DB" user add chris --role cto
run shipgate --db "$DB" key generate --out chris.key
run shipgate --db "$DB" user key chris --public chris.key.pub
expires=$(date -u -d '+30 days' +%F)
echo "+ shipgate --db $DB exception request --rule Flawfinder:FF1016 --product $PRODUCT ... --as dana"
xid=$(shipgate --db "$DB" exception request --rule Flawfinder:FF1016 --product "$PRODUCT" \
	--reason "the fix ships in 1.0.1; until then notes hold only their owner's own text" \
	--expires "$expires" --as dana)
run shipgate --db "$DB" exception approve "$xid" --as chris --key chris.key
echo "+ shipgate --db $DB gate --product $PRODUCT --release $VERSION"
rc=0
shipgate --db "$DB" gate --product "$PRODUCT" --release "$VERSION" || rc=$?
if [ "$rc" -ne 1 ]; then
	echo "demo: gate exited $rc after the exception (expected 1: the other high findings still block)" >&2
	exit 1
fi
run shipgate --db "$DB" audit verify
echo
echo "demo: one finding is waived by exception $xid until $expires; the rest still block the release."

# The same store behind the HTTP API (docs/api.md): a CI pipeline's token,
# an upload and the gate over HTTP, then a graceful stop.
echo
echo "demo: the API server on 127.0.0.1 (a free port), a pipeline's token, the gate over HTTP"
run shipgate --db "$DB" user add ci-demo --role developer
run shipgate --db "$DB" user grant ci-demo --product "$PRODUCT"
echo "+ shipgate --db $DB token create --user ci-demo   (printed once; kept in \$SHIPGATE_TOKEN)"
SHIPGATE_TOKEN=$(shipgate --db "$DB" token create --user ci-demo 2>/dev/null)
export SHIPGATE_TOKEN
rm -f serve.port
echo "+ shipgate --db $DB serve --listen 127.0.0.1:0 --port-file serve.port &"
shipgate --db "$DB" serve --listen 127.0.0.1:0 --port-file serve.port 2>serve.log &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s serve.port ] && break; sleep 0.1; done
[ -s serve.port ] || { echo "demo: the server did not start (see $DEMO/serve.log)" >&2; exit 1; }
url="http://127.0.0.1:$(cat serve.port)"
# The release's SBOM again, as a pipeline would upload it: the server sees
# the same document for the same commit and changes nothing (HTTP 200).
run shipgate --server "$url" ingest sbom "$root/examples/demo-app/sbom.cdx.json" --product "$PRODUCT" \
	--release "$VERSION"
echo "+ shipgate --server $url gate --product $PRODUCT --release $VERSION"
rc=0
shipgate --server "$url" gate --product "$PRODUCT" --release "$VERSION" >gate-api.json || rc=$?
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("demo: over HTTP the verdict is", d["verdict"])' \
	gate-api.json
[ "$rc" -eq 1 ] || { echo "demo: the gate over HTTP exited $rc (expected 1, a block)" >&2; exit 1; }
kill -TERM "$server"
wait "$server" || { echo "demo: the server did not stop cleanly (see $DEMO/serve.log)" >&2; exit 1; }
trap - EXIT
echo "demo: the server stopped on SIGTERM; its request log is $DEMO/serve.log (one JSON line per request)"
