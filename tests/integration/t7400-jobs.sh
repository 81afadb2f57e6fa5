#!/usr/bin/env bash
# Background jobs of `shipgate serve` (docs/jobs.md): vulndb-import re-imports
# OSV records from a path, sla-notices sends one notice per (finding, stage)
# of clause remediate.sla to the log or a webhook.
#
# SQLite, one server: both jobs run at start (a new job is due), `job run-now`
# makes one run again, `job list` shows the runs; notices go once each, a
# failed webhook delivery is sent again by the next run and not before, a
# stage moves from due-soon to overdue; SIGTERM lets a job in progress finish.
#
# PostgreSQL, two servers on one database: each job triggered 10 times runs
# exactly once per trigger (job_run rows, and the two servers' logs together
# hold one line per run), and every notice reaches the webhook exactly once
# across both servers, also when two runs overlap.
#
# PostgreSQL: $SG_TEST_PG_URL (a cluster this test may create a schema in)
# if set, else a cluster of its own (tests/lib/pgcluster.sh).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"
. "$ROOT/tests/lib/pgcluster.sh"

OSV=$ROOT/examples/demo-app/vulndb
FF=$ROOT/examples/demo-app/scans/flawfinder.sarif # 8 high, 3 medium, 26 low
OLD=2020-01-01T00:00:00Z                            # every deadline of the built-in policy long past
SOON=$(date -u -d '27 days ago' +%Y-%m-%dT%H:%M:%SZ) # high (30 days) due in 3 days: due-soon
LATER=$(date -u -d '5 days' +%Y-%m-%dT%H:%M:%SZ)    # ... and overdue by then

PGDIR=$TEST_DIR/pg
SCHEMA=sg_t7400_$$
SHARED_URL=${SG_TEST_PG_URL:-}
chmod 711 "$TEST_DIR" # the postgres user enters it to reach $PGDIR
cleanup() {
	server_cleanup
	if [ -n "$SHARED_URL" ]; then
		psql -XAtq -d "$SHARED_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
	fi
	pg_cluster_stop "$PGDIR"
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

# wait_until SECONDS COMMAND...: true as soon as COMMAND succeeds
wait_until() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# q SQL: one value from the store under test (SQLite, or PostgreSQL once $PG_DB is set)
q() {
	if [ -n "${PG_DB:-}" ]; then psql -XAtq -v ON_ERROR_STOP=1 -d "$PG_DB" -c "$1"; else rows "$1"; fi
}
finished() { q "SELECT count(*) FROM job_run WHERE job = '$1' AND finished_at IS NOT NULL"; }
finished_is() { [ "$(finished "$1")" = "$2" ]; }
running_is() { [ "$(q "SELECT count(*) FROM job_run WHERE job = '$1' AND finished_at IS NULL")" = "$2" ]; }
last_run() { q "SELECT instance || ' ' || outcome || ' ' || summary FROM job_run WHERE job = '$1' ORDER BY id DESC LIMIT 1"; }

# The job lines of server logs: "RUN JOB INSTANCE OUTCOME" each, in log order.
job_lines() {
	python3 - "$@" <<'EOF'
import json, sys
for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        if d.get("event") == "job":
            print(d["run"], d["job"], d["instance"], d["outcome"])
EOF
}

# notices FILE...: "TOTAL UNIQUE OVERDUE DUE-SOON" over the notices in JSON lines
# (a server log's sla_notice lines, or the webhook's bodies), unique by (finding, stage)
notices() {
	python3 - "$@" <<'EOF'
import json, sys
seen, total, stages = set(), 0, {"overdue": 0, "due-soon": 0}
for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        if d.get("event") != "sla_notice":
            continue
        total += 1
        seen.add((d["finding"]["id"], d["stage"]))
        stages[d["stage"]] += 1
print(total, len(seen), stages["overdue"], stages["due-soon"])
EOF
}

# A webhook: records each accepted body as a line of $HOOK_DIR/bodies. Files in
# $HOOK_DIR steer it: "fail" holds how many requests to answer 500 (counted
# down), "delay" the seconds to wait before answering.
start_hook() {
	HOOK_DIR=$TEST_DIR/hook.$1
	mkdir -p "$HOOK_DIR"
	: >"$HOOK_DIR/bodies"
	python3 - "$HOOK_DIR" <<'EOF' &
import http.server, json, os, sys, threading, time
d = sys.argv[1]
lock = threading.Lock()
def read(name, kind, default):
    try:
        return kind(open(os.path.join(d, name)).read().strip() or default)
    except FileNotFoundError:
        return default
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(read("delay", float, 0))
        with lock:
            fail = read("fail", int, 0)
            if fail > 0:
                open(os.path.join(d, "fail"), "w").write(str(fail - 1))
            else:
                ok = self.headers.get("Content-Type") == "application/json" and self.path == "/hook"
                json.loads(body)
                with open(os.path.join(d, "bodies" if ok else "refused"), "ab") as f:
                    f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(500 if fail > 0 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
open(os.path.join(d, "port.tmp"), "w").write(str(srv.server_address[1]))
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
srv.serve_forever()
EOF
	SERVER_PIDS+=("$!") # killed at exit with the servers
	wait_until 10 test -s "$HOOK_DIR/port" || { not_ok "the test's webhook listens"; exit 1; }
	HOOK=http://127.0.0.1:$(cat "$HOOK_DIR/port")/hook
}

# =====================================================================================
# SQLite, one server
# =====================================================================================
sg init
expect_rc 0 "init a SQLite store"
SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product demo --commit abcdef1
expect_rc 0 "ingest 37 findings first seen at $OLD: all overdue"
SHIPGATE_NOW=$SOON sg ingest sarif "$FF" --product soon --commit abcdef1
expect_rc 0 "ingest 37 findings first seen 27 days ago: the 8 high ones due within 7 days"

# --- options ---
sg serve --vulndb-path "$OSV"
expect_rc 2 "serve --vulndb-path without --vulndb-every: exit 2"
expect_err "--vulndb-path and --vulndb-every go together" "... says they go together"
for d in 0s 10 1w 1.5h 367d -1m; do
	sg serve --vulndb-path "$OSV" --vulndb-every "$d"
	expect_rc 2 "serve --vulndb-every $d: exit 2"
done
expect_err "a duration like 30s, 15m, 1h or 1d" "... says what a duration is"
sg serve --sla-notify http://hooks.example.com/s3cret --sla-every 1h
expect_rc 2 "serve --sla-notify http:// to another host: exit 2 (notices would cross the network in clear text)"
check "... the URL (and its secret) is not quoted" bash -c '! grep -q s3cret <<<"$1"' _ "$SG_ERR"
sg serve --sla-notify stderr --sla-every 1h
expect_rc 2 "serve --sla-notify stderr: exit 2"
sg serve --sla-notify log --sla-every 1h --sla-due-soon 400
expect_rc 2 "serve --sla-due-soon 400: exit 2"
sg serve --sla-due-soon 3
expect_rc 2 "serve --sla-due-soon without --sla-notify: exit 2"
sg serve --sla-notify log --sla-every 1h --instance "two words"
expect_rc 2 "serve --instance with a space: exit 2"
has_job_options() { grep -q -- "--vulndb-every DURATION" <<<"$1" && grep -q -- "--sla-notify log|URL" <<<"$1" && grep -q -- "--instance NAME" <<<"$1"; }
sg --help
check "shipgate --help names serve's job options" has_job_options "$SG_OUT"
expect_out "job list [--format text|json] | job run-now NAME" "shipgate --help names the job verbs"
sg serve extra
check "serve's usage names the job options" has_job_options "$SG_ERR"
sg job list
expect_rc 0 "job list before any server registered a job"
expect_out "no jobs" "... says there are none"
sg job run-now vulndb-import
expect_rc 2 "job run-now of a job no server registered: exit 2"
expect_err "no job \"vulndb-import\"" "... says there is no such job"
sg job frobnicate
expect_rc 2 "job frobnicate: exit 2"

# --- both jobs run at start ---
start_server --instance solo --vulndb-path "$OSV" --vulndb-every 1h --sla-notify log --sla-every 1h || exit 1
LOG1=$SERVER_LOG
check "vulndb-import ran once at start" wait_until 20 finished_is vulndb-import 1
check "sla-notices ran once at start" wait_until 20 finished_is sla-notices 1
expect_eq "$(last_run vulndb-import | cut -c1-39)" "solo ok 3 records read: 3 added, 0 upda" \
	"vulndb-import's run: by instance solo, ok, 3 records added"
sg vulndb status --format json
check "vulndb status: the 3 records are in the store" python3 -c 'import json,sys; sys.exit(0 if sum(c["records"] for c in json.loads(sys.argv[1])) >= 3 else 1)' "$SG_OUT"
sg audit log --format json
check "the audit ledger records the import as job:solo" bash -c 'grep -q "\"actor\": *\"job:solo\"" <<<"$1"' _ "$SG_OUT"
expect_eq "$(last_run sla-notices)" \
	"solo ok 45 notices sent to the log (37 overdue, 8 due-soon) over 2 products; 0 sent by another run meanwhile" \
	"sla-notices' run: 45 notices to the log, 37 overdue (demo), 8 due-soon (soon's high)"
expect_eq "$(notices "$LOG1")" "45 45 37 8" "the log holds 45 notice lines, one per (finding, stage)"
expect_eq "$(q "SELECT count(*) FROM sla_notice")" "45" "sla_notice: 45 rows"
check "each notice line is one JSON object with time, event, stage, due, product and the finding" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("event") == "sla_notice":
        assert list(d)[:5] == ["time", "event", "stage", "due", "product"] and d["finding"]["product"] == d["product"], d
        assert d["finding"]["status"] == "open" and d["finding"]["severity"] in ("high", "medium", "low")
        assert (d["stage"] == "due-soon") == (d["product"] == "soon"), d' "$LOG1"

# --- run-now ---
sg job run-now vulndb-import
expect_rc 0 "job run-now vulndb-import"
expect_out "is due now" "... says it is due now"
check "vulndb-import ran a second time within seconds" wait_until 10 finished_is vulndb-import 2
expect_eq "$(last_run vulndb-import | cut -c1-53)" "solo ok 3 records read: 0 added, 0 updated (0 withdra" \
	"the second import: nothing new"
sg job run-now sla-notices
check "sla-notices ran a second time" wait_until 10 finished_is sla-notices 2
expect_eq "$(last_run sla-notices | cut -c1-30)" "solo ok 0 notices sent to the " "the second run sends nothing: every notice went before"
expect_eq "$(notices "$LOG1")" "45 45 37 8" "the log still holds the 45 notices, none twice"
sleep 2
expect_eq "$(finished vulndb-import) $(finished sla-notices)" "2 2" "no run without a trigger (the interval is 1h)"
sg job list
expect_rc 0 "job list"
expect_out "vulndb-import  every 1h, next run " "job list: vulndb-import, every 1h"
expect_out "2 runs" "job list: 2 runs"
expect_out "by solo: ok: 3 records read" "job list: the last run, by whom, its outcome and summary"
sg job list --format json
expect_rc 0 "job list --format json"
check "job list json: both jobs, 2 runs each, the last by solo, ok, not due" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [j["name"] for j in d] == ["sla-notices", "vulndb-import"], d
for j in d:
    assert j["interval_seconds"] == 3600 and j["runs"] == 2 and j["due"] is False, j
    r = j["last_run"]
    assert r["instance"] == "solo" and r["outcome"] == "ok" and r["finished_at"] and r["summary"], r' "$SG_OUT"
expect_eq "$(job_lines "$LOG1" | awk '{print $2, $3, $4}' | sort | uniq -c | awk '{$1=$1; print}' | tr '\n' ,)" \
	"2 sla-notices solo ok,2 vulndb-import solo ok," "the log: one line per run"
expect_eq "$(job_lines "$LOG1" | awk '{print $1}' | sort -n | tr '\n' ' ')" \
	"$(q "SELECT id FROM job_run ORDER BY id" | tr '\n' ' ')" "the log's runs are job_run's rows"
stop_server
expect_eq "$SERVER_RC" "0" "SIGTERM: the server exits 0"

# --- a webhook; a failed delivery is sent by the next run, once; due-soon becomes overdue ---
start_hook sqlite
echo 1 >"$HOOK_DIR/fail"
SHIPGATE_NOW=$LATER start_server --instance solo2 --sla-notify "$HOOK" --sla-every 1h || exit 1
LOG2=$SERVER_LOG
sleep 1.5
expect_eq "$(finished sla-notices)" "2" "a restarted server keeps the job's next run (an hour on): no run at start"
sg job run-now sla-notices
check "sla-notices ran, 5 days later by the server's clock" wait_until 10 finished_is sla-notices 3
expect_eq "$(last_run sla-notices | cut -c1-39)" "solo2 failed the webhook at http://127." \
	"the webhook answered 500: the run failed"
check "... its summary says why and that the 8 notices wait" bash -c 'grep -q "answered HTTP 500 (0 notices sent before; the other 8 wait for the next run)" <<<"$1"' _ "$(last_run sla-notices)"
check "... and never shows the webhook's path" bash -c '! grep -q /hook <<<"$1"' _ "$(last_run sla-notices)"
expect_eq "$(q "SELECT count(*) FROM sla_notice")" "45" "... nothing was marked sent"
sg job run-now sla-notices
check "sla-notices ran again" wait_until 10 finished_is sla-notices 4
expect_eq "$(last_run sla-notices)" \
	"solo2 ok 8 notices sent to the webhook at http://127.0.0.1:$(cat "$HOOK_DIR/port") (8 overdue, 0 due-soon) over 2 products; 0 sent by another run meanwhile" \
	"the next run delivered the 8 notices: soon's high findings, overdue now"
expect_eq "$(notices "$HOOK_DIR/bodies")" "8 8 8 0" "the webhook got 8 notices, each once, all overdue"
check "... of product soon, as JSON, to /hook" python3 -c '
import json, sys, os
assert not os.path.exists(sys.argv[2]), "a request without Content-Type: application/json or to another path"
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert d["product"] == "soon" and d["finding"]["severity"] == "high" and "time" not in d, d' \
	"$HOOK_DIR/bodies" "$HOOK_DIR/refused"
expect_eq "$(q "SELECT count(*) FROM sla_notice WHERE stage = 'overdue'")" "45" "sla_notice: 45 overdue (37 + 8) and 8 due-soon"

# --- SIGTERM while a job runs: it finishes first ---
SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product late --commit abcdef1
echo 0.1 >"$HOOK_DIR/delay"
sg job run-now sla-notices
check "a run with 37 notices, 0.1 s each, has started" wait_until 10 running_is sla-notices 1
stop_server
expect_eq "$SERVER_RC" "0" "SIGTERM during the run: exit 0"
expect_eq "$(finished sla-notices) $(last_run sla-notices | cut -c1-20)" "5 solo2 ok 37 notices " \
	"... after the run finished, all 37 notices sent"
expect_eq "$(notices "$HOOK_DIR/bodies")" "45 45 45 0" "the webhook has 45 notices, each once"
check "the log: the run's line, then stopped" python3 -c '
import json, sys
ev = [json.loads(l).get("event") for l in open(sys.argv[1])]
assert ev[-3:] == ["stopping", "job", "stopped"], ev[-4:]' "$LOG2"

# =====================================================================================
# PostgreSQL, two servers on one database
# =====================================================================================
if [ -n "$SHARED_URL" ]; then
	BASE_URL=$SHARED_URL
	echo "# on \$SG_TEST_PG_URL, schema $SCHEMA"
elif PG_FAST=1 pg_cluster_start "$PGDIR" >"$TEST_DIR/pgcluster.log" 2>&1; then
	BASE_URL="postgresql:///postgres?host=$PG_SOCK&port=$PG_PORT&user=postgres"
	echo "# on this test's own cluster, schema $SCHEMA"
else
	not_ok "a PostgreSQL cluster starts (tests/lib/pgcluster.sh)"
	sed 's/^/#   /' "$TEST_DIR/pgcluster.log"
	exit 1
fi
psql -XAtq -v ON_ERROR_STOP=1 -d "$BASE_URL" -c "CREATE SCHEMA $SCHEMA" || { not_ok "CREATE SCHEMA $SCHEMA"; exit 1; }
case "$BASE_URL" in *\?*) PG_DB="$BASE_URL&options=-csearch_path%3D$SCHEMA" ;; *) PG_DB="$BASE_URL?options=-csearch_path%3D$SCHEMA" ;; esac
export SHIPGATE_DB=$PG_DB

sg init
expect_rc 0 "init a PostgreSQL store"
SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product demo --commit abcdef1
expect_rc 0 "ingest demo: 37 overdue"
SHIPGATE_NOW=$SOON sg ingest sarif "$FF" --product soon --commit abcdef1
expect_rc 0 "ingest soon: 8 due-soon"
start_hook pg
OPTS=(--vulndb-path "$OSV" --vulndb-every 1h --sla-notify "$HOOK" --sla-every 1h)
start_server --instance A "${OPTS[@]}" || exit 1
PID_A=$SERVER_PID LOG_A=$SERVER_LOG
start_server --instance B "${OPTS[@]}" || exit 1
PID_B=$SERVER_PID LOG_B=$SERVER_LOG
check "two servers, one database: vulndb-import ran once at start" wait_until 20 finished_is vulndb-import 1
check "... sla-notices too" wait_until 20 finished_is sla-notices 1

# Trigger each job 10 times, waiting for each run; new overdue findings
# arrive before the 3rd, 6th and 9th.
triggers_ok=1
for i in 1 2 3 4 5 6 7 8 9 10; do
	case $i in 3 | 6 | 9) SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product "p$i" --commit abcdef1 ;; esac
	sg job run-now vulndb-import && [ "$SG_RC" = 0 ] || triggers_ok=0
	sg job run-now sla-notices && [ "$SG_RC" = 0 ] || triggers_ok=0
	if ! wait_until 20 finished_is vulndb-import $((i + 1)) || ! wait_until 20 finished_is sla-notices $((i + 1)); then
		triggers_ok=0
		echo "# trigger $i: $(finished vulndb-import) vulndb-import and $(finished sla-notices) sla-notices runs"
	fi
done
expect_eq "$triggers_ok" "1" "10 triggers of each job: each ran within seconds"
sleep 2.5 # two more ticks of each server: nothing left to run
for job in vulndb-import sla-notices; do
	expect_eq "$(q "SELECT count(*) FROM job_run WHERE job = '$job'")" "11" \
		"$job: 11 job_run rows (start + 10 triggers), no more"
	expect_eq "$(q "SELECT count(*) FROM job_run WHERE job = '$job' AND outcome = 'ok' AND instance IN ('A', 'B')")" "11" \
		"$job: every run ok, by A or B"
	expect_eq "$(job_lines "$LOG_A" "$LOG_B" | awk -v j=$job '$2 == j' | wc -l)" "11" \
		"$job: the two servers' logs together hold 11 run lines"
	expect_eq "$(job_lines "$LOG_A" "$LOG_B" | awk -v j=$job '$2 == j {print $1}' | sort -n | uniq | tr '\n' ' ')" \
		"$(q "SELECT id FROM job_run WHERE job = '$job' ORDER BY id" | tr '\n' ' ')" \
		"$job: each job_run row is logged by exactly one server"
	echo "# $job runs by instance: $(q "SELECT string_agg(instance || '=' || n, ' ') FROM (SELECT instance, count(*) n FROM job_run WHERE job = '$job' GROUP BY instance ORDER BY instance) x")"
done
expect_eq "$(notices "$HOOK_DIR/bodies")" "156 156 148 8" \
	"the webhook got 156 notices (37 x 4 overdue, 8 due-soon), each (finding, stage) once across both servers"
expect_eq "$(q "SELECT count(*) FROM sla_notice")" "156" "sla_notice: 156 rows"
expect_eq "$(q "SELECT sum(substring(summary from '^[0-9]+')::int) FROM job_run WHERE job = 'sla-notices'")" "156" \
	"the runs' summaries add up to 156 notices sent"
expect_eq "$(notices "$LOG_A" "$LOG_B" | cut -d' ' -f1)" "0" "no notice went to the logs"

# Two runs at once: a run-now while a slow run is in progress is claimed by
# the other server; the notices' marks keep each to one delivery.
echo 0.1 >"$HOOK_DIR/delay"
SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product overlap --commit abcdef1
sg job run-now sla-notices
check "a slow run (37 notices, 0.1 s each) started" wait_until 10 running_is sla-notices 1
sg job run-now sla-notices
check "while it runs, run-now is claimed by the other server: two runs at once" wait_until 10 running_is sla-notices 2
check "both finish" wait_until 30 finished_is sla-notices 13
expect_eq "$(q "SELECT count(DISTINCT instance) FROM (SELECT instance FROM job_run WHERE job = 'sla-notices' ORDER BY id DESC LIMIT 2) x")" "2" \
	"the two overlapping runs were on different servers"
echo "# overlapping runs: $(q "SELECT string_agg(instance || ': ' || summary, ' | ' ORDER BY id) FROM (SELECT * FROM job_run WHERE job = 'sla-notices' ORDER BY id DESC LIMIT 2) x")"
expect_eq "$(notices "$HOOK_DIR/bodies")" "193 193 185 8" "the webhook got the 37 new notices once each (193 in all)"
expect_eq "$(q "SELECT count(*) FROM sla_notice")" "193" "sla_notice: 193 rows"
sg job list --format json
check "job list on PostgreSQL: 11 and 13 runs" python3 -c '
import json, sys
d = {j["name"]: j for j in json.loads(sys.argv[1])}
assert d["vulndb-import"]["runs"] == 11 and d["sla-notices"]["runs"] == 13, d' "$SG_OUT"
stop_server "$PID_A"
expect_eq "$SERVER_RC" "0" "server A stops on SIGTERM, exit 0"
stop_server "$PID_B"
expect_eq "$SERVER_RC" "0" "server B stops on SIGTERM, exit 0"
