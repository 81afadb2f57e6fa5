#!/usr/bin/env bash
# README quick start, command 1: build shipgate and walk the bundled example
# (examples/demo-app) through the release journey: create a store, record a
# release, ingest two real SAST reports, list the high findings, ask the gate.
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
run shipgate --db "$DB" findings --product "$PRODUCT" --severity high

echo "+ shipgate --db $DB gate --product $PRODUCT --release $VERSION"
rc=0
shipgate --db "$DB" gate --product "$PRODUCT" --release "$VERSION" || rc=$?
case $rc in
1)
	echo
	echo "demo: the gate BLOCKED release $PRODUCT $VERSION, as expected:"
	echo "demo: examples/demo-app is deliberately vulnerable (strcpy, system(), format"
	echo "demo: strings...), and open high findings block a release under the built-in policy."
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
