#!/usr/bin/env bash
# Install the Debian packages shipgate needs to build and test, and only those
# that are missing. Idempotent: when everything is present it prints one line
# and touches nothing (no apt-get update, no sudo prompt).
set -euo pipefail

# One list, grouped by why we need each package.
PACKAGES=(
	# compiler, make, and pkg-config (the Makefile asks pkg-config for flags)
	build-essential pkg-config
	# libraries shipgate links against, with their headers (libssl-dev for
	# libcrypto's SHA-256, which uses the CPU's SHA instructions)
	libsqlite3-dev libyajl-dev libyaml-dev libsodium-dev libssl-dev
	# the PostgreSQL store backend (libpq), and the server its tests run
	# in throwaway clusters (tests/lib/pgcluster.sh: initdb and pg_ctl
	# from /usr/lib/postgresql/*/bin; the package's own cluster is unused)
	libpq-dev postgresql
	# OSV's per-ecosystem all.zip archives (vulndb import)
	libarchive-dev
	# the HTTP API server (serve), and the CLI talking to one (--server)
	libmicrohttpd-dev libcurl4-openssl-dev
	# the SPDX licence lists src/sca/spdx_ids.c is generated from
	# (scripts/gen-spdx-ids.sh); a unit test holds the table against them
	node-spdx-license-ids node-spdx-exceptions
	# unit tests (cmocka); the integration tests and the bench use python3
	libcmocka-dev python3
	# SAST on shipgate itself in CI (also regenerates the demo scans), and
	# libFuzzer, which clang only recommends
	cppcheck clang flawfinder libclang-rt-14-dev
	# the sqlite3 shell: integration tests look inside the store with it;
	# the openssl tool: they check a recorded approval with another
	# Ed25519 implementation
	sqlite3 openssl
	# reference version orders the comparators are tested against:
	# node-semver, PEP 440 (python3-packaging; dpkg is always there)
	node-semver nodejs python3-packaging
	# the server's tests and bench: curl as the HTTP client, wrk for load
	curl wrk
)

die() {
	printf 'deps: %s\n' "$*" >&2
	exit 1
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	die "this script needs a Debian-based system (dpkg-query and apt-get); install by hand: ${PACKAGES[*]}"
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
	installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all present"
	exit 0
fi

# Root installs directly; anyone else goes through sudo, if there is one.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 ||
		die "not root and sudo is not available; as root run: apt-get install ${missing[*]}"
	SUDO=(sudo)
fi

echo "deps: installing ${missing[*]}"
# Update the package index once, only now that something must be installed.
"${SUDO[@]}" apt-get update -qq ||
	die "apt-get update failed (network or apt sources?)"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
	die "apt-get install failed for: ${missing[*]}"

# Trust but verify: a package that apt could not provide must not pass silently.
still=()
for pkg in "${missing[@]}"; do
	installed "$pkg" || still+=("$pkg")
done
[ "${#still[@]}" -eq 0 ] || die "still missing after install: ${still[*]}"
echo "deps: installed ${missing[*]}"
