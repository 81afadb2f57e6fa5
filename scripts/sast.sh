#!/usr/bin/env bash
# SAST over shipgate's own code, as the policy it enforces demands:
#  1. cppcheck (errors and warnings fail the check);
#  2. flawfinder's SARIF and shipgate's own SBOM (scripts/self-sbom.sh),
#     ingested by shipgate itself and gated by its own built-in policy:
#     shipgate must pass its own gate.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

if command -v cppcheck >/dev/null; then
	if ! cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--std=c11 -D_GNU_SOURCE -Isrc --suppress=missingIncludeSystem src 2>&1; then
		echo "sast: cppcheck found problems"
		status=1
	fi
else
	echo "sast: cppcheck is missing"; status=1
fi

SG=$(realpath "${SG_BIN:-build/shipgate}" 2>/dev/null || echo build/shipgate)
if command -v flawfinder >/dev/null && [ -x "$SG" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# banned.h only names the functions it bans: scanning it reports each name.
	flawfinder --sarif $(find src -name '*.[ch]' ! -name banned.h | sort) > "$work/flawfinder.sarif" 2>/dev/null
	commit=$(git rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)
	export SHIPGATE_DB="sqlite:$work/self.db"
	"$SG" init >/dev/null && (cd "$work" && "$SG" ingest sarif flawfinder.sarif --product shipgate \
		--commit "$commit" >/dev/null)
	# Clause sca: shipgate's own Debian dependencies, as an SBOM.
	./scripts/self-sbom.sh >"$work/self.cdx.json" &&
		(cd "$work" && "$SG" ingest sbom self.cdx.json --product shipgate --commit "$commit" >/dev/null)
	if ! (cd "$work" && "$SG" gate --product shipgate); then
		echo "sast: shipgate's own gate blocks its code"
		status=1
	fi
else
	echo "sast: flawfinder or the shipgate binary is missing"; status=1
fi
[ $status -eq 0 ] && echo "sast: clean"
exit $status
