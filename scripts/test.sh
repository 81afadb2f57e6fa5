#!/usr/bin/env bash
# The whole test suite (README "Quick start", command 2; .ci/run calls it).
# Installs what is missing, builds with AddressSanitizer and UBSan and
# warnings as errors, runs unit, integration and corpus tests, the lint and
# SAST checks and short fuzz runs, then prints "N passed, N failed" last.
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

echo "== unit tests (cmocka)"
for t in "$SAN_BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	n_ok=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
	n_bad=$(printf '%s\n' "$out" | grep -c '^\[  FAILED  \] [a-z_]')
	passed=$((passed + n_ok))
	failed=$((failed + n_bad))
	if [ "$rc" -ne 0 ] && [ "$n_bad" -eq 0 ]; then failed=$((failed + 1)); fi
	if [ "$rc" -ne 0 ]; then
		failures+=("$(basename "$t")")
		printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer' | head -20
	fi
	echo "$(basename "$t"): $n_ok ok, $n_bad failed"
done

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
