#!/usr/bin/env bash
# The whole test suite (README "Quick start", command 2; .ci/run calls it).
# Installs what is missing, builds with AddressSanitizer and UBSan and
# warnings as errors, runs unit, integration and corpus tests, the lint and
# SAST checks and short fuzz runs, then prints "N passed, N failed" last.
# The store conformance suite runs twice, on SQLite and on a throwaway
# PostgreSQL cluster that integration tests share:
#   SG_TEST_PG_URL   its base URL, no database: append /DBNAME and, for a
#                    store in a schema, ?options=-csearch_path%3DSCHEMA
#   SG_TEST_PG_SOCK  its unix socket directory (superuser postgres, trusted)
#   SG_TEST_PG_BIN   the server's bin directory (psql, createdb)
#   SG_TEST_PG_LIB   tests/lib/pgcluster.sh, to start a cluster of one's own
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

SAN_BUILD=build/san
passed=0
failed=0
failures=()

count() { # count NAME STATUS
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

echo "== build (ASan + UBSan, -Werror)"
mkdir -p "$SAN_BUILD"
if ! make -s -j"$(nproc)" SAN=1 BUILD="$SAN_BUILD" all unit >"$SAN_BUILD/build.log" 2>&1; then
	cat "$SAN_BUILD/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
export SG_BIN="$PWD/$SAN_BUILD/shipgate"
export ASAN_OPTIONS=exitcode=99:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:exitcode=99:print_stacktrace=1

run_unit() { # run_unit NAME BINARY: one cmocka binary, its cases counted
	local out rc n_ok n_bad
	out=$("$2" 2>&1)
	rc=$?
	n_ok=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
	# cmocka names a failed case twice: as it fails, and in the summary.
	n_bad=$(printf '%s\n' "$out" | grep '^\[  FAILED  \] [a-z_]' | sort -u | wc -l)
	passed=$((passed + n_ok))
	failed=$((failed + n_bad))
	if [ "$rc" -ne 0 ] && [ "$n_bad" -eq 0 ]; then failed=$((failed + 1)); fi
	if [ "$rc" -ne 0 ]; then
		failures+=("$1")
		printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer' | head -20
	fi
	echo "$1: $n_ok ok, $n_bad failed"
}

echo "== unit tests (cmocka)"
for t in "$SAN_BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_unit "$(basename "$t")" "$t"
done

# One throwaway PostgreSQL cluster for the rest of the run, in a private
# directory removed at exit whatever happens (tests/lib/pgcluster.sh). The
# store conformance suite runs on it a second time; integration tests get
# its address and make their own databases in it.
echo "== PostgreSQL (a throwaway cluster)"
export SG_TEST_PG_LIB="$PWD/tests/lib/pgcluster.sh"
# shellcheck source=tests/lib/pgcluster.sh
. "$SG_TEST_PG_LIB"
# Under /tmp, not $TMPDIR: the server runs as `postgres` when we are root,
# and a socket path must stay short.
PG_DIR=$(mktemp -d /tmp/sg-pg.XXXXXX) || PG_DIR=
trap '[ -z "$PG_DIR" ] || pg_cluster_stop "$PG_DIR"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "$PG_DIR" ] && PG_FAST=1 pg_cluster_start "$PG_DIR" && pg_cluster_create_db sg_store_test; then
	export SG_TEST_PG_SOCK="$PG_SOCK" SG_TEST_PG_URL="$PG_BASE_URL" SG_TEST_PG_BIN="$PG_BINDIR"
	if [ -x "$SAN_BUILD/tests/test_store" ]; then
		SG_TEST_STORE_URL="$PG_BASE_URL/sg_store_test?options=-csearch_path%3D%s" \
			run_unit "test_store (postgresql)" "$SAN_BUILD/tests/test_store"
	else
		count "test_store (postgresql): $SAN_BUILD/tests/test_store missing" 1
	fi
	# Two servers' job claims race on PostgreSQL's row locks too.
	SG_TEST_STORE_URL="$PG_BASE_URL/sg_store_test?options=-csearch_path%3D%s" \
		run_unit "test_store_jobs (postgresql)" "$SAN_BUILD/tests/test_store_jobs"
	# The table list of `shipgate migrate` against PostgreSQL's schema too.
	SG_TEST_STORE_URL="$PG_BASE_URL/sg_store_test?options=-csearch_path%3D%s" \
		run_unit "test_store_tables (postgresql)" "$SAN_BUILD/tests/test_store_tables"
else
	echo "PostgreSQL could not be started (scripts/deps.sh installs it)"
	count postgresql-cluster 1
fi

echo "== integration tests"
for t in tests/integration/t[0-9]*.sh; do
	out=$(bash "$t" 2>&1)
	rc=$?
	n_ok=$(printf '%s\n' "$out" | grep -c '^ok - ')
	n_bad=$(printf '%s\n' "$out" | grep -c '^not ok - ')
	passed=$((passed + n_ok))
	failed=$((failed + n_bad))
	if [ "$rc" -ne 0 ] && [ "$n_bad" -eq 0 ]; then failed=$((failed + 1)); n_bad=1; fi
	if [ "$n_bad" -ne 0 ]; then
		failures+=("$t")
		printf '%s\n' "$out" | grep -E -A3 '^not ok|crashed' | head -40
	fi
	echo "$(basename "$t"): $n_ok ok, $n_bad failed"
done

echo "== lint"
./scripts/lint.sh
count lint $?

echo "== SAST over shipgate's own code"
./scripts/sast.sh
count sast $?

if [ -x scripts/fuzz.sh ]; then
	echo "== fuzz smoke"
	./scripts/fuzz.sh smoke
	count fuzz-smoke $?
fi

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
