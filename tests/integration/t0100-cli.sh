#!/usr/bin/env bash
# The command line contract (DESIGN.md section 4): help, version, usage
# errors, the store location and its permissions, init.
. "$(dirname "$0")/lib.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
C1=$(commit_of one)

# --- help and version -------------------------------------------------------
sg --help
expect_rc 0 "--help exits 0"
expect_out "usage: shipgate" "--help prints the usage on stdout"
expect_out "ingest sarif" "--help lists ingest sarif"
expect_out "gate --product" "--help lists gate"
expect_eq "$SG_ERR" "" "--help writes nothing on stderr"
sg -h
expect_rc 0 "-h exits 0"
sg help
expect_rc 0 "help exits 0"
expect_out "usage: shipgate" "help prints the usage"
sg --version
expect_rc 0 "--version exits 0"
check "--version prints 'shipgate X.Y.Z'" grep -Eq '^shipgate [0-9]+\.[0-9]+\.[0-9]+' <<<"$SG_OUT"

# --- usage errors: exit 2, [usage] ---------------------------------------
sg
expect_rc 2 "no command at all exits 2"
expect_err "usage: shipgate" "no command prints the usage on stderr"
sg frobnicate
expect_rc 2 "unknown command exits 2"
expect_err "[usage]" "unknown command: [usage] in stderr"
expect_err "frobnicate" "unknown command is named"
sg --bogus init
expect_rc 2 "unknown global option exits 2"
expect_err "[usage]" "unknown global option: [usage] in stderr"
sg --db
expect_rc 2 "--db without a value exits 2"
expect_err "[usage]" "--db without a value: [usage]"
sg gate --product x --frob
expect_rc 2 "unknown command option exits 2"
expect_err "[usage]" "unknown command option: [usage] in stderr"
sg init extra
expect_rc 2 "init with an extra argument exits 2"
expect_err "[usage]" "init extra: [usage]"
sg ingest
expect_rc 2 "ingest without evidence type exits 2"
expect_err "[usage]" "ingest alone: [usage]"
sg ingest frob x
expect_rc 2 "ingest of an unknown evidence type exits 2"
expect_err "[usage]" "ingest frob: [usage]"
check "no store was created by usage errors" test ! -e "$TEST_DIR/store.db"

# --- before init: a missing store is bad usage -----------------------------
sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 2 "ingest before init exits 2"
expect_err 'run `shipgate init`' "ingest before init says run \`shipgate init\`"
check "ingest before init did not create the store" test ! -e "$TEST_DIR/store.db"
sg findings --product demo
expect_rc 2 "findings before init exits 2"
expect_err 'run `shipgate init`' "findings before init says run \`shipgate init\`"
sg gate --product demo
expect_rc 2 "gate before init exits 2"
expect_err 'run `shipgate init`' "gate before init says run \`shipgate init\`"
sg release create demo 1.0 --commit "$C1"
expect_rc 2 "release create before init exits 2"
expect_err 'run `shipgate init`' "release create before init says run \`shipgate init\`"
sg findings show 1
expect_rc 2 "findings show before init exits 2"
check "no store after all the commands before init" test ! -e "$TEST_DIR/store.db"

# ingest sarif without --product (checked before the store is needed, too)
sg ingest sarif "$FF"
expect_rc 2 "ingest sarif without --product exits 2"
expect_err "[usage]" "ingest sarif without --product: [usage]"
expect_err "product" "ingest sarif without --product names the option"
sg ingest sarif --product demo
expect_rc 2 "ingest sarif without a file exits 2"

# --- init ----------------------------------------------------------------
sg init
expect_rc 0 "init exits 0"
expect_out "store ready" "init reports the store"
expect_out "wrote shipgate.yml" "init writes shipgate.yml"
check "init created the store at \$SHIPGATE_DB" test -f "$TEST_DIR/store.db"
check "init wrote ./shipgate.yml" test -s shipgate.yml
check "the starter policy is commented" grep -q '^#' shipgate.yml
expect_eq "$(stat -c %a "$TEST_DIR/store.db")" "600" "store file mode is 0600"
expect_eq "$(rows "SELECT count(*) FROM product")" "0" "a fresh store has no product"
expect_eq "$(rows "PRAGMA journal_mode")" "wal" "the store is in WAL mode"

echo "# my edit" >>shipgate.yml
before=$(sha256sum shipgate.yml)
sg init
expect_rc 0 "init twice exits 0"
expect_out "kept" "init twice says it kept shipgate.yml"
expect_eq "$(sha256sum shipgate.yml)" "$before" "init twice leaves an edited shipgate.yml as it is"

sg ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest after init exits 0"
n=$(rows "SELECT count(*) FROM finding")
sg init
expect_rc 0 "init on an existing store exits 0"
expect_eq "$(rows "SELECT count(*) FROM finding")" "$n" "init on an existing store keeps its findings"

# --- where the store is: $SHIPGATE_DB, --db, the default -------------------
mkdir -p "$TEST_DIR/alt"
sg --db "sqlite:$TEST_DIR/alt/other.db" init
expect_rc 0 "--db sqlite:PATH init exits 0"
check "--db sqlite:PATH creates that store" test -f "$TEST_DIR/alt/other.db"
expect_out "$TEST_DIR/alt/other.db" "init names the --db store"
sg --db "sqlite:$TEST_DIR/alt/other.db" findings --product demo
expect_rc 2 "--db wins over \$SHIPGATE_DB (product demo unknown there)"
sg --db="sqlite:$TEST_DIR/alt/other.db" ingest sarif "$FF" --product other --commit "$C1"
expect_rc 0 "--db=URL form is accepted"
expect_eq "$(sqlite3 "$TEST_DIR/alt/other.db" "SELECT name FROM product")" "other" "--db store got the product"
expect_eq "$(rows "SELECT group_concat(name) FROM product")" "demo" "\$SHIPGATE_DB store untouched by --db runs"
sg findings --product demo --format json
expect_rc 0 "\$SHIPGATE_DB store is used without --db"
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$SG_OUT")" "$n" "\$SHIPGATE_DB store lists its findings"

# store in a directory shipgate creates: 0700
sg --db "sqlite:$TEST_DIR/new/sub/s.db" init
expect_rc 0 "init creates missing directories of the store"
expect_eq "$(stat -c %a "$TEST_DIR/new/sub/s.db")" "600" "new store file mode is 0600"
expect_eq "$(stat -c %a "$TEST_DIR/new/sub")" "700" "store directory created with mode 0700"

# the default: .shipgate/shipgate.db in the working directory
mkdir "$TEST_DIR/dflt"
(
	cd "$TEST_DIR/dflt" || exit 1
	unset SHIPGATE_DB
	sg init
	expect_rc 0 "init with no \$SHIPGATE_DB and no --db exits 0"
	check "default store is .shipgate/shipgate.db" test -f .shipgate/shipgate.db
	expect_eq "$(stat -c %a .shipgate)" "700" "default store directory .shipgate is 0700"
	expect_eq "$(stat -c %a .shipgate/shipgate.db)" "600" "default store file is 0600"
	check "init in another directory wrote its own shipgate.yml" test -s shipgate.yml
)

# --- other backends -----------------------------------------------------------
# A postgresql: or postgres: URL reaches the PostgreSQL backend. Nobody listens
# on 127.0.0.1 port 1, so the database is unreachable: exit 3,
# [store-unavailable], and the password in the URL is in no message.
no_secret() { # no_secret WHAT: neither output holds the password
	case "$SG_OUT$SG_ERR" in
	*secret*) not_ok "$1: the store password is not echoed" ;;
	*) ok "$1: the store password is not echoed" ;;
	esac
}
sg --db postgresql://user:secret@127.0.0.1:1/db init
expect_rc 3 "--db postgresql://user:secret@127.0.0.1:1/db init exits 3 (unreachable)"
expect_err "[store-unavailable]" "an unreachable PostgreSQL: [store-unavailable]"
no_secret "init, user:secret@"
sg --db postgres://user:secret@127.0.0.1:1/db findings --product demo
expect_rc 3 "--db postgres:// (libpq's short scheme) reaches the backend too"
expect_err "[store-unavailable]" "postgres://: [store-unavailable]"
no_secret "findings, user:secret@"
sg --db 'postgresql:///db?host=127.0.0.1&port=1&user=u&password=secret' init
expect_rc 3 "--db postgresql:///db?...&password=secret exits 3"
expect_err "[store-unavailable]" "password= in the query: [store-unavailable]"
no_secret "init, password= in the query"
sg --db mysql://x init
expect_rc 2 "--db with an unknown scheme exits 2"
expect_err "[store-url]" "--db mysql://x: [store-url]"
export SHIPGATE_DB=postgresql://user:secret@127.0.0.1:1/db
sg findings --product demo
expect_rc 3 "\$SHIPGATE_DB=postgresql://... reaches the backend: exits 3"
expect_err "[store-unavailable]" "\$SHIPGATE_DB=postgresql://...: [store-unavailable]"
no_secret "\$SHIPGATE_DB"
export SHIPGATE_DB=mysql://x
sg findings --product demo
expect_rc 2 "\$SHIPGATE_DB=mysql://x exits 2"
expect_err "[store-url]" "\$SHIPGATE_DB=mysql://x: [store-url]"
export SHIPGATE_DB="sqlite:$TEST_DIR/store.db"
sg --db "sqlite:" init
expect_rc 2 "--db sqlite: with an empty path exits 2"
