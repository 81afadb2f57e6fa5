#!/usr/bin/env bash
# PostgreSQL going away under shipgate (docs/diagnostics.md store-unavailable):
# on a cluster of this test's own, which it restarts and stops.
# (a) the CLI: PostgreSQL restarted (pg_ctl restart -m fast) while a large
#     `ingest sarif` (200,000 results) is writing; a backend terminated
#     (pg_terminate_backend) during another; commands while PostgreSQL is
#     down. Each exits 3 with [store-unavailable], promptly, and nothing of it
#     is kept: the store's rows are as before and `audit verify` passes; run
#     again once PostgreSQL is back, the ingest completes as a new one.
# (b) a server: it keeps running while PostgreSQL is stopped, answering 503
#     "unavailable" (not 401, not a crash, not a hang past connect_timeout);
#     an upload whose ingest is writing when PostgreSQL restarts gets 503 and
#     nothing of it is kept; once PostgreSQL is back, the same server process
#     answers 200 again, on every pooled connection, and uploads work.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"
. "$ROOT/tests/lib/pgcluster.sh"

PGDIR=$TEST_DIR/pg
chmod 711 "$TEST_DIR" # the postgres user must reach $PGDIR
cleanup() {
	server_cleanup
	[ -n "${INGEST_PID:-}" ] && kill "$INGEST_PID" 2>/dev/null
	pg_cluster_stop "$PGDIR"
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT
FF=$CORPUS/tools/flawfinder/vuln.sarif
CONNECT_TIMEOUT=5

if ! PG_FAST=1 pg_cluster_start "$PGDIR" >"$TEST_DIR/pgcluster.log" 2>&1; then
	not_ok "a PostgreSQL cluster starts (tests/lib/pgcluster.sh)"
	sed 's/^/#   /' "$TEST_DIR/pgcluster.log"
	exit 1
fi
pg_cluster_create_db t7200 || { not_ok "createdb t7200"; exit 1; }
export SHIPGATE_DB="postgresql:///t7200?host=$PG_SOCK&port=$PG_PORT&user=postgres&connect_timeout=$CONNECT_TIMEOUT"
ADMIN_URL="postgresql:///postgres?host=$PG_SOCK&port=$PG_PORT&user=postgres"
pq() { psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
rows() { pq "$SHIPGATE_DB" "$1"; }
state() { rows "SELECT (SELECT count(*) FROM product) || ' ' || (SELECT count(*) FROM ingest) || ' ' || (SELECT count(*) FROM scan) || ' ' || (SELECT count(*) FROM finding) || ' ' || (SELECT count(*) FROM finding_event) || ' ' || (SELECT count(*) FROM audit_event)"; }
verify_ok() { # verify_ok AFTER-WHAT
	local out rc
	out=$("$SG_BIN" audit verify 2>&1)
	rc=$?
	if [ $rc = 0 ]; then ok "audit verify passes after $1"; else
		not_ok "audit verify passes after $1 (exit $rc)"
		printf '%s\n' "$out" | head -3 | sed 's/^/#   /'
	fi
}

# pg_ctl as the cluster's owner (as pgcluster.sh runs it: postgres when root)
pg_ctl_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$PGDIR" && runuser -u postgres -- "$PG_BINDIR/pg_ctl" "$@")
	else
		(cd "$PGDIR" && "$PG_BINDIR/pg_ctl" "$@")
	fi >>"$PGDIR/pg_ctl.log" 2>&1
}
pg_restart() { pg_ctl_owner restart -w -t 60 -m fast -D "$PGDIR/data" -l "$PGDIR/postgres.log" -o "-p $PG_PORT"; }
pg_stop() { pg_ctl_owner stop -w -t 60 -m fast -D "$PGDIR/data"; }
pg_start() { pg_ctl_owner start -w -t 60 -D "$PGDIR/data" -l "$PGDIR/postgres.log" -o "-p $PG_PORT"; }
# writer_pid: the backend of a shipgate session whose transaction has written
# (it has a transaction id), or nothing
writer_pid() {
	pq "$ADMIN_URL" "SELECT pid FROM pg_stat_activity WHERE application_name = 'shipgate' AND backend_xid IS NOT NULL LIMIT 1" 2>/dev/null
}
# wait_writer PID-TO-WATCH: wait (up to 5 minutes) until a shipgate session
# writes, while PID-TO-WATCH runs; prints the backend's pid
wait_writer() {
	local i w
	for ((i = 0; i < 3000; i++)); do
		w=$(writer_pid)
		if [ -n "$w" ]; then
			printf '%s\n' "$w"
			return 0
		fi
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
elapsed() { python3 -c 'import sys, time; print("%.1f" % (time.time() - float(sys.argv[1])))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

# A SARIF log of 200,000 results (bench/gen_sarif.c, as bench/run.sh makes them):
# its ingest writes for long enough to be cut in the middle.
if ! cc -std=c17 -O2 -o "$TEST_DIR/gen_sarif" "$ROOT/bench/gen_sarif.c" 2>"$TEST_DIR/cc.err"; then
	not_ok "bench/gen_sarif.c builds"
	sed 's/^/#   /' "$TEST_DIR/cc.err"
	exit 1
fi
"$TEST_DIR/gen_sarif" 200000 big.sarif --seed 7 --compact
"$TEST_DIR/gen_sarif" 50000 mid.sarif --seed 8 --compact
check "big.sarif: 200,000 results ($(stat -c %s big.sarif) bytes)" test "$(stat -c %s big.sarif)" -gt 50000000

sg init
expect_rc 0 "init on PostgreSQL"
sg ingest sarif "$FF" --product big --commit "$(commit_of base)"
expect_rc 0 "a first small ingest"
BEFORE=$(state)

# =====================================================================================
# (a) the CLI
# =====================================================================================
# --- PostgreSQL restarted while a large ingest writes --------------------------------
CBIG=$(commit_of big)
"$SG_BIN" ingest sarif big.sarif --product big --commit "$CBIG" >ingest.out 2>ingest.err &
INGEST_PID=$!
started=$(now)
if w=$(wait_writer "$INGEST_PID"); then
	sleep 0.5
	alive_before=0
	kill -0 "$INGEST_PID" 2>/dev/null && alive_before=1
	check "the ingest is writing (backend $w, $(elapsed "$started") s in) when PostgreSQL restarts" test "$alive_before" = 1
	check "pg_ctl restart -m fast" pg_restart
else
	not_ok "the ingest started writing while it ran (it ended first, or never wrote)"
fi
wait "$INGEST_PID"
rc=$?
INGEST_PID=
SG_RC=$rc
SG_ERR=$(cat ingest.err)
SG_OUT=$(cat ingest.out)
expect_rc 3 "the ingest cut by the restart exits 3"
expect_err "[store-unavailable]" "... with [store-unavailable]"
expect_err "nothing of this change was kept" "... saying nothing of the change was kept"
printf '%s\n' "$SG_ERR" | sed 's/^/# stderr: /'
# libpq's own notices (a FATAL that came in while the session was idle
# between statements) must not reach stderr: shipgate's errors only.
only_shipgate_lines() { [ -n "$1" ] && ! grep -qv '^shipgate: ' <<<"$1"; }
check "... and stderr has shipgate's lines only (no raw libpq notice)" only_shipgate_lines "$SG_ERR"
case "$SG_OUT" in *"scan "*) not_ok "... and reports no scan on stdout" ;; *) ok "... and reports no scan on stdout" ;; esac
expect_eq "$(state)" "$BEFORE" "nothing of the cut ingest is in the store (products, ingests, scans, findings, events, audit events)"
verify_ok "the cut ingest"

# --- a backend terminated during an ingest ------------------------------------------
CMID=$(commit_of mid)
"$SG_BIN" ingest sarif mid.sarif --product big --commit "$CMID" >ingest.out 2>ingest.err &
INGEST_PID=$!
if w=$(wait_writer "$INGEST_PID"); then
	expect_eq "$(pq "$ADMIN_URL" "SELECT pg_terminate_backend($w)")" "t" "the writing ingest's backend ($w) is terminated"
else
	not_ok "the 50,000-result ingest started writing while it ran"
fi
wait "$INGEST_PID"
SG_RC=$?
INGEST_PID=
SG_ERR=$(cat ingest.err)
expect_rc 3 "the ingest whose backend was terminated exits 3"
expect_err "[store-unavailable]" "... with [store-unavailable]"
check "... and stderr has shipgate's lines only" only_shipgate_lines "$SG_ERR"
expect_eq "$(state)" "$BEFORE" "nothing of it is in the store"
verify_ok "the terminated ingest"

# --- PostgreSQL down -----------------------------------------------------------------
check "pg_ctl stop -m fast" pg_stop
t=$(now)
sg findings --product big
took=$(elapsed "$t")
expect_rc 3 "findings while PostgreSQL is down exits 3"
expect_err "[store-unavailable]" "... with [store-unavailable]"
expect_err "cannot connect to the database" "... saying it cannot connect"
check "... at once (${took} s, connect_timeout is $CONNECT_TIMEOUT s)" python3 -c "import sys; sys.exit(0 if $took < $CONNECT_TIMEOUT else 1)"
sg ingest sarif "$FF" --product big --commit "$(commit_of down)"
expect_rc 3 "ingest while PostgreSQL is down exits 3"
expect_err "[store-unavailable]" "... with [store-unavailable]"
sg gate --product big
expect_rc 3 "gate while PostgreSQL is down exits 3 (not 1: no verdict without the store)"
expect_eq "$SG_OUT" "" "... and prints no verdict"
sg audit verify
expect_rc 3 "audit verify while PostgreSQL is down exits 3 (not 1: the ledger was not read)"
check "pg_ctl start" pg_start
expect_eq "$(state)" "$BEFORE" "nothing was written while PostgreSQL was down"

# --- back: the same ingests complete as new ones -------------------------------------
sg ingest sarif mid.sarif --product big --commit "$CMID"
expect_rc 0 "once PostgreSQL is back, the terminated ingest runs again and exits 0"
expect_out "50000 results, 50000 new" "... as a new ingest: 50,000 new (nothing half-kept made it a duplicate)"
sg ingest sarif big.sarif --product big --commit "$CBIG"
expect_rc 0 "the ingest cut by the restart runs again and exits 0"
expect_out "200000 results, 200000 new" "... 200,000 new"
expect_eq "$(rows "SELECT count(*) FROM scan")" 3 "three scans: the first, and the two run again"
verify_ok "the ingests run again"

# =====================================================================================
# (b) a server
# =====================================================================================
sg user add dev --role developer
sg user grant dev --product big
sg user grant dev --product srv
sg token create --user dev
API_TOKEN=$SG_OUT
start_server --rate-limit 0 || exit 1
SRV_PID=$SERVER_PID
api GET /api/v1/products/big/findings?per_page=1
expect_status 200 "the server answers"
api POST "/api/v1/products/srv/sarif?commit=$(commit_of srv1)" --data-binary @"$FF"
expect_status 201 "an upload works"
# Several pooled connections: 8 requests at once.
parallel_gets() { # parallel_gets N: N findings requests at once; prints their statuses, sorted
	local i pids=()
	for ((i = 0; i < $1; i++)); do
		curl -s --max-time 60 -H "Authorization: Bearer $API_TOKEN" -o /dev/null -w '%{http_code}\n' \
			"$SERVER_URL/api/v1/products/big/findings?per_page=5" >"par.$i" 2>/dev/null &
		pids+=($!)
	done
	wait "${pids[@]}"
	cat par.* | sort | uniq -c | sed 's/^ *//' | paste -sd' '
	rm -f par.*
}
expect_eq "$(parallel_gets 8)" "8 200" "8 requests at once are answered 200 (the server holds several connections)"
BEFORE=$(state)

# --- an upload whose ingest writes when PostgreSQL restarts ---------------------------
CUP=$(commit_of upload-big)
curl -s -S --max-time 600 -X POST -H "Authorization: Bearer $API_TOKEN" --data-binary @big.sarif \
	-o up.json -w '%{http_code}' "$SERVER_URL/api/v1/products/srv/sarif?commit=$CUP" >up.code 2>up.err &
UP_PID=$!
if w=$(wait_writer "$UP_PID"); then
	sleep 0.5
	check "the upload's ingest is writing (backend $w) when PostgreSQL restarts" kill -0 "$UP_PID"
	check "pg_ctl restart -m fast" pg_restart
else
	not_ok "the upload's ingest started writing while the upload ran"
fi
wait "$UP_PID"
expect_eq "$(cat up.code)" 503 "the upload in flight is answered 503"
API_STATUS=$(cat up.code)
cp up.json "$API_DIR/body"
check "... with the code \"unavailable\"" jq_py 'd["error"]["code"] == "unavailable"'
expect_error_shape "... and the error shape of every error, with no path in it"
check "the server still runs" kill -0 "$SRV_PID"
expect_eq "$(state)" "$BEFORE" "nothing of the upload is in the store"
verify_ok "the cut upload"
api GET /api/v1/products/big/findings?per_page=1
expect_status 200 "the first request after the restart is answered 200 (the connection is made again)"
expect_eq "$(parallel_gets 8)" "8 200" "... and so are 8 at once (every pooled connection is made again)"

# --- PostgreSQL stopped ----------------------------------------------------------------
check "pg_ctl stop -m fast" pg_stop
t=$(now)
api GET /api/v1/products/big/findings?per_page=1
took=$(elapsed "$t")
expect_status 503 "while PostgreSQL is stopped: a findings request is answered 503"
check "... with the code \"unavailable\" (not 401: the token was not found wanting)" jq_py 'd["error"]["code"] == "unavailable"'
expect_error_shape "... in the error shape, no path in it"
check "... within connect_timeout (${took} s)" python3 -c "import sys; sys.exit(0 if $took < $CONNECT_TIMEOUT + 2 else 1)"
api GET /api/v1/products/big/gate
expect_status 503 "a gate request is answered 503"
api POST "/api/v1/products/srv/sarif?commit=$(commit_of srv-down)" --data-binary @"$FF"
expect_status 503 "an upload is answered 503"
check "... unavailable" jq_py 'd["error"]["code"] == "unavailable"'
expect_eq "$(parallel_gets 8)" "8 503" "8 requests at once: 8 answers of 503, none hangs"
API_TOKEN_SAVED=$API_TOKEN
API_TOKEN=sgt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
api GET /api/v1/products/big/findings
expect_status 503 "an unknown token while the store is down: 503, not 401 (it cannot be checked)"
API_TOKEN=$API_TOKEN_SAVED
api GET /healthz
expect_status 200 "healthz still answers 200 (the process is alive)"
check "the server still runs" kill -0 "$SRV_PID"
sleep 2
api GET /api/v1/products/big/findings?per_page=1
expect_status 503 "two seconds later, still 503 (no crash, no stale answer)"
check "pg_ctl start" pg_start

# --- back ------------------------------------------------------------------------------
api GET /api/v1/products/big/findings?per_page=1
expect_status 200 "once PostgreSQL is back, the same server answers 200 at once"
expect_eq "$(parallel_gets 8)" "8 200" "... 8 requests at once too"
api POST "/api/v1/products/srv/sarif?commit=$(commit_of srv2)" --data-binary @mid.sarif
expect_status 201 "an upload works again"
check "... 50,000 new" jq_py 'd["files"][0]["new"] == 50000'
api POST "/api/v1/products/srv/sarif?commit=$CUP" --data-binary @big.sarif
expect_status 201 "the upload cut by the restart, sent again, is a new scan (201)"
check "... of 200,000 results" jq_py 'd["files"][0]["results"] == 200000 and d["files"][0]["duplicate"] is False'
expect_eq "$(rows "SELECT count(*) FROM scan s JOIN product p ON p.id = s.product_id WHERE p.name = 'srv'")" 3 \
	"product srv has the three uploads that were answered 201, no more"
verify_ok "PostgreSQL came back"
check "the same server process answered throughout" kill -0 "$SRV_PID"
unset API_TOKEN
stop_server "$SRV_PID"
expect_eq "$SERVER_RC" 0 "the server exits 0 on SIGTERM"
check "the server's log records the 503 answers" bash -c 'grep -q "\"status\":503" "$1"' _ "$SERVER_LOG"
check "every line of the server's log is JSON (no raw libpq notice in it)" python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    try:
        json.loads(line)
    except ValueError:
        sys.exit("line %d: %s" % (n, line.strip()[:200]))' "$SERVER_LOG"
check "the server's log says why (the database)" bash -c 'grep -qi "database\|store-unavailable" "$1"' _ "$SERVER_LOG"
