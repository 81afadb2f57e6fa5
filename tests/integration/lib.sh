# Helpers for integration tests: each t*.sh sources this, runs the real
# binary against a real store in its own temporary directory, and prints one
# line per check: "ok - what" or "not ok - what". scripts/test.sh counts them.
#
#   sg ARGS...            run shipgate; sets $SG_RC, $SG_OUT, $SG_ERR
#   expect_rc N WHAT      the last run exited with N
#   expect_out TEXT WHAT  stdout contains TEXT   (expect_err likewise for stderr)
#   expect_eq A B WHAT    A = B
#   rows SQL              one value from the store, through the sqlite3 shell
#
# A sanitizer report or a signal is always a failure: ASan/UBSan exit 99
# (see ASAN_OPTIONS below), a signal makes the exit status >= 128.

set -u

SG_BIN=${SG_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/shipgate}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CORPUS=${CORPUS:-$(cd "$ROOT/../shared/corpus" 2>/dev/null && pwd)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=99:print_stacktrace=1}
unset SHIPGATE_DB SHIPGATE_NOW

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sgtest.XXXXXX")
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR" || exit 1
export SHIPGATE_DB="sqlite:$TEST_DIR/store.db"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() { # check WHAT COMMAND... : ok when the command succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

sg() {
	SG_OUT=$("$SG_BIN" "$@" 2>"$TEST_DIR/.stderr")
	SG_RC=$?
	SG_ERR=$(cat "$TEST_DIR/.stderr")
	if [ "$SG_RC" -ge 99 ]; then
		echo "# shipgate $* crashed or a sanitizer fired (exit $SG_RC):" >&2
		printf '%s\n' "$SG_ERR" | sed 's/^/#   /' >&2
	fi
}

expect_rc() {
	if [ "$SG_RC" = "$1" ]; then ok "$2"; else
		not_ok "$2 (exit $SG_RC, wanted $1)"
		printf '%s\n' "$SG_ERR" | head -5 | sed 's/^/#   /'
	fi
}
expect_out() {
	case "$SG_OUT" in *"$1"*) ok "$2" ;; *) not_ok "$2 (stdout lacks '$1')"; printf '%s\n' "$SG_OUT" | head -5 | sed 's/^/#   /' ;; esac
}
expect_err() {
	case "$SG_ERR" in *"$1"*) ok "$2" ;; *) not_ok "$2 (stderr lacks '$1')"; printf '%s\n' "$SG_ERR" | head -5 | sed 's/^/#   /' ;; esac
}
expect_eq() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3 (got '$1', wanted '$2')"; fi
}

rows() {
	sqlite3 "${SHIPGATE_DB#sqlite:}" "$1"
}

# A fixed commit id per name, so tests read well.
commit_of() { printf '%s' "$1" | sha1sum | cut -c1-40; }
