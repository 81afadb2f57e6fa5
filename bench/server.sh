#!/usr/bin/env bash
# bench/server.sh: HTTP API server benchmark (see bench/README.md, "HTTP API
# server").
#
# In a temporary directory: generates a 100,000-result SARIF log with
# gen_sarif, ingests it into a fresh store as product "bench" (100k open
# findings), adds a developer with grants and an API token, and starts
# `shipgate serve` on a free loopback port with the rate limit off (it would
# otherwise answer the load generator 429). Then, in one run:
#
#   uncached gate   `shipgate gate --format json` on the CLI, median of 5,
#                   and the server's first (uncached) gate answer
#   healthz         wrk against GET /healthz: the floor (no token, no store)
#   gate            wrk against GET /api/v1/products/bench/gate with the
#                   token, the same threads, connections and duration
#   ingest          the same SARIF file uploaded with curl to a fresh product
#                   on the server, against `shipgate ingest sarif` of it into
#                   a fresh store on the CLI, alternating, median of 3 each
#   peak RSS        the server's VmHWM, before it is stopped
#
# It prints one table per part and one line per target. A missed target is
# reported, not fatal: the script fails only when a command itself fails or an
# answer is not the one expected. The server is always stopped (SIGTERM, then
# SIGKILL after its 30 s grace) and the temporary directory removed (unless
# BENCH_KEEP=1).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# $SHIPGATE times another binary as is; taken relative to where we started.
if [ -n "${SHIPGATE:-}" ]; then
	case $SHIPGATE in
	/*) ;;
	*) SHIPGATE=$PWD/$SHIPGATE ;;
	esac
fi
cd "$root"

n_results=${SERVER_RESULTS:-100000}
wrk_threads=${SERVER_WRK_THREADS:-2}
wrk_conns=${SERVER_CONNECTIONS:-16}
wrk_secs=${SERVER_DURATION:-10}
wrk_runs=${SERVER_RUNS:-3}
ingest_runs=${SERVER_INGEST_RUNS:-3}
for v in "$n_results" "$wrk_threads" "$wrk_conns" "$wrk_secs" "$wrk_runs" "$ingest_runs"; do
	if ! [[ "$v" =~ ^[1-9][0-9]{0,6}$ ]]; then
		echo "server.sh: '$v' is not a positive integer below 10,000,000" >&2
		exit 2
	fi
done
if [ "$wrk_threads" -gt "$wrk_conns" ]; then
	echo "server.sh: SERVER_WRK_THREADS ($wrk_threads) is more than SERVER_CONNECTIONS ($wrk_conns)" >&2
	exit 2
fi
for tool in wrk curl python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "server.sh: $tool is not installed (scripts/deps.sh installs it)" >&2
		exit 2
	fi
done

gate_target_rps=5000
gate_target_p99_ms=20
ingest_target_ratio=1.5
gate_runs=5
# The expected verdict on 100k findings, about 40% of them critical or high.
expected_verdict=block

out=$root/build/bench
bin=$out/bin
log() { printf '[server] %s\n' "$*" >&2; }

mkdir -p "$bin"
for tool in gen_sarif peak_rss; do
	"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror -o "$bin/$tool" "$here/$tool.c"
done

# A release build, as bench/run.sh measures (see there): the Makefile's -O2,
# no sanitizers.
shipgate=${SHIPGATE:-$root/build/shipgate}
if [ -n "${SHIPGATE:-}" ]; then
	:
elif ! grep -q -a -m1 __asan_init "$shipgate" 2>/dev/null; then
	# make is incremental: the figures are never those of a stale binary.
	log "building $shipgate"
	env -u CFLAGS make -C "$root" SAN=0 -j"$(nproc)" >&2
elif grep -q -a -m1 __asan_init "$shipgate"; then
	log "$shipgate is a sanitizer build: building a release copy in $out/release"
	env -u CFLAGS make -C "$root" SAN=0 BUILD="$out/release" -j"$(nproc)" >&2
	shipgate=$out/release/shipgate
fi

# The log (about 1.2 KB per result), the server's store (the benchmark
# product plus one product per upload), a fresh CLI store at a time, and the
# server's spool of the upload in $TMPDIR: about 8 KB per result.
tmp_parent=${TMPDIR:-/tmp}
need_kb=$((n_results * 8))
avail_kb=$(df -Pk "$tmp_parent" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
	echo "server.sh: $((avail_kb / 1024)) MiB free in $tmp_parent, need $((need_kb / 1024)) MiB" >&2
	exit 1
fi
tmp=$(mktemp -d "$tmp_parent/shipgate-server-bench.XXXXXX")
server_pid=

stop_server() {
	local i
	if [ -z "$server_pid" ]; then
		return 0
	fi
	server_rc=0
	if kill -TERM "$server_pid" 2>/dev/null; then
		# The server lets requests in flight finish for at most 30 s.
		for ((i = 0; i < 350; i++)); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$server_pid" 2>/dev/null; then
			log "the server did not stop on SIGTERM: SIGKILL"
			kill -KILL "$server_pid" 2>/dev/null || true
		fi
	fi
	wait "$server_pid" 2>/dev/null || server_rc=$?
	server_pid=
}

cleanup() {
	stop_server
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Commands run in the temporary directory: `init` writes ./shipgate.yml
# there, and the CLI and the server both read it.
cd "$tmp"

# measure NAME CMD...: runs CMD under peak_rss, output to $tmp/NAME.{out,err};
# sets m_rc (exit status), m_kb (peak RSS, KiB) and m_s (wall seconds).
measure() {
	local name=$1 line
	shift
	m_rc=0
	"$bin/peak_rss" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || m_rc=$?
	line=$(grep '^peak_rss_kb=' "$tmp/$name.err" | tail -n 1 || true)
	if [ -z "$line" ]; then
		echo "server.sh: no measurement from peak_rss for: $*" >&2
		cat "$tmp/$name.err" >&2
		exit 1
	fi
	m_kb=${line#peak_rss_kb=}
	m_kb=${m_kb%% *}
	m_s=${line##*wall_s=}
}

# must_succeed NAME OKCODES...
must_succeed() {
	local name=$1 code
	shift
	for code in "$@"; do
		[ "$m_rc" -eq "$code" ] && return 0
	done
	echo "server.sh: $name failed (exit $m_rc); its output:" >&2
	tail -n 20 "$tmp/$name.out" "$tmp/$name.err" >&2
	exit 1
}

sg() {
	"$shipgate" --db "sqlite:$1" "${@:2}"
}

commit_sha() { printf 'shipgate-server-bench-%s' "$1" | sha1sum | cut -c1-40; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
minmax() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[1] "-" v[NR] }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU seconds (user + system) the process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
# The machine's busy and total CPU time so far, in clock ticks, all CPUs.
# Busy is user, nice, system and steal (the hypervisor gave the time to
# another guest); interrupts are left out, being mostly the loopback
# traffic of the benchmark itself.
cpu_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# json_get FILE KEY: a top-level scalar of a JSON document, as text.
json_get() {
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
print("null" if v is None else v)' "$1" "$2"
}

load_start=$(loadavg)
log "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true), $(nproc) CPUs, load average $load_start"
log "shipgate: $shipgate; $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2); $(curl --version | head -n 1 | cut -d' ' -f1-2)"
log "working in $tmp"

# ---- the store ----

file=$tmp/results.sarif
db=$tmp/server.db
log "generating $n_results results"
measure gen "$bin/gen_sarif" "$n_results" "$file" --seed 1
must_succeed gen 0
file_mb=$(mib $(($(stat -c %s "$file") / 1024)))

if ! sg "$db" init >"$tmp/init.out" 2>&1; then
	echo "server.sh: $shipgate init failed:" >&2
	cat "$tmp/init.out" >&2
	exit 1
fi
log "ingesting it as product bench"
measure ingest-bench "$shipgate" --db "sqlite:$db" ingest sarif "$file" --product bench --commit "$(commit_sha bench)"
must_succeed ingest-bench 0
log "$(head -n 1 "$tmp/ingest-bench.out")"

# A CI user: a developer (uploads, reads the gate) who sees the benchmark
# product and the products the uploads create, through grants, as a
# pipeline's token would. The token is printed once, alone on stdout.
user=bench-ci
products=(bench)
for ((r = 1; r <= ingest_runs; r++)); do
	products+=("bench-http-$r")
done
measure user-add "$shipgate" --db "sqlite:$db" user add "$user" --role developer
must_succeed user-add 0
for p in "${products[@]}"; do
	measure grant "$shipgate" --db "sqlite:$db" user grant "$user" --product "$p"
	must_succeed grant 0
done
measure token "$shipgate" --db "sqlite:$db" token create --user "$user"
must_succeed token 0
token=$(head -n 1 "$tmp/token.out")
if ! [[ "$token" =~ ^[[:graph:]]+$ ]]; then
	echo "server.sh: token create printed no token" >&2
	exit 1
fi
auth="Authorization: Bearer $token"

# ---- the uncached gate, on the CLI ----

log "gate on the CLI x$gate_runs"
cli_gate_s=""
for ((r = 1; r <= gate_runs; r++)); do
	measure cli-gate "$shipgate" --db "sqlite:$db" gate --product bench --format json
	# exit 1: the gate blocks, as it should on these findings
	must_succeed cli-gate 0 1
	cli_gate_s+="$m_s "
done
cli_verdict=$(json_get "$tmp/cli-gate.out" verdict)
cli_blocking=$(json_get "$tmp/cli-gate.out" blocking_total)
if [ "$cli_verdict" != "$expected_verdict" ]; then
	echo "server.sh: the CLI's gate says \"$cli_verdict\", expected \"$expected_verdict\"" >&2
	exit 1
fi

# ---- the server ----

threads_opt=()
# Every wrk connection is served by its own thread, all from 127.0.0.1, and
# the threads of one run's connections may still be closing when the next
# run connects: raise the server's limits (64 and 32 connections) when twice
# the connections would not fit, or wrk counts refused connections as errors.
if [ "$((2 * wrk_conns))" -gt 32 ]; then
	threads_opt=(--threads "$((2 * wrk_conns + 8))" --per-address "$((2 * wrk_conns))")
fi
port_file=$tmp/port
server_log=$tmp/server.log
log "starting shipgate serve (rate limit off)"
"$shipgate" --db "sqlite:$db" serve --listen 127.0.0.1:0 --port-file "$port_file" --rate-limit 0 \
	"${threads_opt[@]}" 2>"$server_log" &
server_pid=$!
for ((i = 0; i < 100; i++)); do
	[ -s "$port_file" ] && break
	if ! kill -0 "$server_pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
if ! [ -s "$port_file" ]; then
	echo "server.sh: the server did not start; its log:" >&2
	tail -n 20 "$server_log" >&2
	exit 1
fi
port=$(head -n 1 "$port_file")
base=http://127.0.0.1:$port

# http NAME CURL-ARGS...: one request; the body to $tmp/NAME.json, sets
# h_code (HTTP status) and h_s (curl's total time).
http() {
	local name=$1 line
	shift
	line=$(curl -sS -o "$tmp/$name.json" -w '%{http_code} %{time_total}' "$@") || {
		echo "server.sh: curl failed: $*" >&2
		exit 1
	}
	h_code=${line%% *}
	h_s=${line##* }
}

http healthz "$base/healthz"
if [ "$h_code" != 200 ]; then
	echo "server.sh: GET /healthz answered $h_code" >&2
	exit 1
fi
# The first gate request computes the gate: the server's uncached cost.
http gate -H "$auth" "$base/api/v1/products/bench/gate"
first_gate_s=$h_s
if [ "$h_code" != 200 ]; then
	echo "server.sh: GET .../gate answered $h_code:" >&2
	head -c 500 "$tmp/gate.json" >&2
	exit 1
fi
http_verdict=$(json_get "$tmp/gate.json" verdict)
http_blocking=$(json_get "$tmp/gate.json" blocking_total)
gate_bytes=$(stat -c %s "$tmp/gate.json")
if [ "$http_verdict" != "$expected_verdict" ] || [ "$http_blocking" != "$cli_blocking" ]; then
	echo "server.sh: the server's gate says \"$http_verdict\" with $http_blocking blockers;" \
		"the CLI's \"$cli_verdict\" with $cli_blocking" >&2
	exit 1
fi
log "gate answers 200, verdict $http_verdict, $http_blocking blockers, $gate_bytes bytes"

# ---- load ----

# wrk_run NAME URL [HEADER]: one wrk run; appends requests/s, p50, p90 and
# p99 (ms), the server's CPU per request (us) and the share of the CPUs that
# other processes took meanwhile (%) to the NAME lists.
declare -A rps p50 p90 p99 cpu_us others
wrk_run() {
	local name=$1 url=$2 c0 c1 reqs bad t0 t1 wrk_cpu other TIMEFORMAT='%U %S'
	shift 2
	# Let the previous run's connections close, and the machine settle.
	sleep 1
	read -r -a t0 <<<"$(cpu_ticks)"
	c0=$(cpu_s "$server_pid")
	{ time wrk -t"$wrk_threads" -c"$wrk_conns" -d"${wrk_secs}s" --latency "$@" "$url" >"$tmp/wrk-$name.out" 2>&1; } \
		2>"$tmp/wrk-$name.time" || {
		echo "server.sh: wrk failed against $url:" >&2
		cat "$tmp/wrk-$name.out" >&2
		exit 1
	}
	c1=$(cpu_s "$server_pid")
	read -r -a t1 <<<"$(cpu_ticks)"
	wrk_cpu=$(awk '{ print $1 + $2 }' "$tmp/wrk-$name.time")
	# Busy time of the machine, less the server's and wrk's: other processes.
	other=$(awk -v b="$((t1[0] - t0[0]))" -v t="$((t1[1] - t0[1]))" -v hz="$(getconf CLK_TCK)" \
		-v s0="$c0" -v s1="$c1" -v w="$wrk_cpu" \
		'BEGIN { o = (t > 0 ? (b / hz - (s1 - s0) - w) / (t / hz) * 100 : 0); printf "%.0f", (o < 0 ? 0 : o) }')
	others[$name]+="$other "
	# Anything but 200 means the figures are not of the route itself (429
	# from a rate limit, 503, or errors).
	bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$tmp/wrk-$name.out")
	if [ -n "$bad" ]; then
		echo "server.sh: $bad answers to $url were not 2xx:" >&2
		cat "$tmp/wrk-$name.out" >&2
		exit 1
	fi
	if grep -q 'Socket errors:' "$tmp/wrk-$name.out"; then
		log "$name: $(grep 'Socket errors:' "$tmp/wrk-$name.out" | sed 's/^ *//')"
	fi
	reqs=$(awk '/requests in/ { print $1 }' "$tmp/wrk-$name.out")
	rps[$name]+="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/wrk-$name.out") "
	# wrk prints latencies as 850.00us, 7.37ms, 1.20s or 2.00m.
	read -r l50 l90 l99 <<<"$(awk '
		function to_ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /m$/) return v * 60000
			if (v ~ /s$/) return v * 1000
			return v
		}
		$1 == "50%" { a = to_ms($2) } $1 == "90%" { b = to_ms($2) } $1 == "99%" { c = to_ms($2) }
		END { printf "%.2f %.2f %.2f", a, b, c }' "$tmp/wrk-$name.out")"
	p50[$name]+="$l50 "
	p90[$name]+="$l90 "
	p99[$name]+="$l99 "
	cpu_us[$name]+="$(awk -v a="$c0" -v b="$c1" -v n="$reqs" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / n : 0) }') "
	log "$name: $(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk-$name.out") requests/s, p50 $l50 ms, p90 $l90 ms, p99 $l99 ms (other processes took $other% of the CPUs)"
}

load_before=$(loadavg)
log "wrk -t$wrk_threads -c$wrk_conns -d${wrk_secs}s, $wrk_runs runs each, healthz and gate alternating (load $load_before)"
# A short warm-up: the serving threads start, the pool opens its stores.
wrk -t"$wrk_threads" -c"$wrk_conns" -d2s -H "$auth" "$base/api/v1/products/bench/gate" >/dev/null 2>&1 || true
for ((r = 1; r <= wrk_runs; r++)); do
	wrk_run healthz "$base/healthz"
	wrk_run gate "$base/api/v1/products/bench/gate" -H "$auth"
done
load_after=$(loadavg)
hwm_after_load_kb=$(hwm_kb "$server_pid")

# ---- ingest: HTTP against the CLI ----

log "ingest: upload to a fresh product on the server vs the CLI into a fresh store, x$ingest_runs alternating"
http_ingest_s=""
cli_ingest_s=""
for ((r = 1; r <= ingest_runs; r++)); do
	# The whole client-side time (curl reads the file first with
	# --data-binary @FILE), as the CLI's wall time includes reading it.
	measure "http-ingest-$r" curl -sS -o "$tmp/http-ingest-$r.json" -w '%{http_code}' \
		-H "$auth" -H 'Content-Type: application/json' --data-binary "@$file" \
		"$base/api/v1/products/bench-http-$r/sarif?commit=$(commit_sha "http-$r")"
	must_succeed "http-ingest-$r" 0
	code=$(head -c 3 "$tmp/http-ingest-$r.out")
	if [ "$code" != 201 ]; then
		echo "server.sh: the upload answered $code:" >&2
		head -c 500 "$tmp/http-ingest-$r.json" >&2
		exit 1
	fi
	http_ingest_s+="$m_s "
	last_http_s=$m_s

	rm -f "$tmp/cli.db" "$tmp/cli.db"-*
	if ! sg "$tmp/cli.db" init >"$tmp/init-cli.out" 2>&1; then
		echo "server.sh: $shipgate init failed:" >&2
		cat "$tmp/init-cli.out" >&2
		exit 1
	fi
	measure "cli-ingest-$r" "$shipgate" --db "sqlite:$tmp/cli.db" ingest sarif "$file" \
		--product "bench-http-$r" --commit "$(commit_sha "http-$r")"
	must_succeed "cli-ingest-$r" 0
	cli_ingest_s+="$m_s "
	log "ingest $r: HTTP $last_http_s s, CLI $m_s s"
done
rm -f "$tmp/cli.db" "$tmp/cli.db"-*

hwm_end_kb=$(hwm_kb "$server_pid")
server_cpu_s=$(cpu_s "$server_pid")
stop_server
if [ "$server_rc" -ne 0 ]; then
	echo "server.sh: the server exited $server_rc on SIGTERM" >&2
	exit 1
fi
errors=$(grep -c '"event":"error"' "$server_log" || true)
if [ "$errors" -ne 0 ]; then
	echo "server.sh: the server logged $errors errors:" >&2
	grep '"event":"error"' "$server_log" | head -n 5 >&2
	exit 1
fi

# ---- report ----

echo
echo "shipgate HTTP API server benchmark ($shipgate)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true);" \
	"wrk and the server share the CPUs"
echo "store: product bench, $n_results open findings from a $file_mb MiB SARIF log;" \
	"token of a developer with a grant; server started with --rate-limit 0 (the limit would throttle wrk)"
echo "load: wrk -t$wrk_threads -c$wrk_conns -d${wrk_secs}s --latency, $wrk_runs runs per route, alternating;" \
	"load average $load_start at the start, $load_before before the load, $load_after after it (the server's threads count in it)"
echo
printf '%-8s %11s %13s %8s %8s %8s %14s %9s\n' route requests/s "(range)" p50_ms p90_ms p99_ms server_cpu_us others_%
for name in healthz gate; do
	printf '%-8s %11s %13s %8s %8s %8s %14s %9s\n' "$name" "$(median "${rps[$name]}")" "($(minmax "${rps[$name]}"))" \
		"$(median "${p50[$name]}")" "$(median "${p90[$name]}")" "$(median "${p99[$name]}")" \
		"$(median "${cpu_us[$name]}")" "$(minmax "${others[$name]}")"
done
echo "(medians of the runs; server_cpu_us: the server's user + system CPU per request;" \
	"others_%: the share of the CPUs other processes, kernel threads included, took during the runs, lowest-highest)"
echo
cli_gate_med=$(median "$cli_gate_s")
echo "uncached gate: CLI \`gate --format json\` $(ms "$cli_gate_med") ms (median of $gate_runs," \
	"process start included); the server's first gate answer $(ms "$first_gate_s") ms;" \
	"the answer is $gate_bytes bytes ($http_blocking blockers, $expected_verdict)"
echo

http_med=$(median "$http_ingest_s")
cli_med=$(median "$cli_ingest_s")
ratio=$(awk -v a="$http_med" -v b="$cli_med" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
printf '%-28s %8s %8s  %s\n' "ingest of $n_results results" median_s min-max runs
printf '%-28s %8s %8s  %s\n' "HTTP (curl --data-binary)" "$http_med" "$(minmax "$http_ingest_s")" "$http_ingest_s"
printf '%-28s %8s %8s  %s\n' "CLI (ingest sarif)" "$cli_med" "$(minmax "$cli_ingest_s")" "$cli_ingest_s"
echo "ratio HTTP / CLI: $ratio"
echo
echo "server peak RSS (VmHWM): $(mib "$hwm_after_load_kb") MiB after the load, $(mib "$hwm_end_kb") MiB at the end" \
	"(after $ingest_runs uploads); server CPU in all: $server_cpu_s s"
echo

gate_rps=$(median "${rps[gate]}")
gate_p99=$(median "${p99[gate]}")
verdict=$(awk -v v="$gate_rps" -v t="$gate_target_rps" 'BEGIN { print ((v >= t) ? "PASS" : "FAIL") }')
echo "target gate >= $gate_target_rps requests/s: $verdict (median $gate_rps; healthz $(median "${rps[healthz]}"))"
verdict=$(awk -v v="$gate_p99" -v t="$gate_target_p99_ms" 'BEGIN { print ((v < t) ? "PASS" : "FAIL") }')
echo "target gate p99 < $gate_target_p99_ms ms: $verdict (median of the runs' p99: $gate_p99 ms; healthz $(median "${p99[healthz]}") ms)"
verdict=$(awk -v v="$ratio" -v t="$ingest_target_ratio" 'BEGIN { print ((v <= t) ? "PASS" : "FAIL") }')
echo "target HTTP ingest within ${ingest_target_ratio}x the CLI: $verdict (${http_med} s vs ${cli_med} s, ${ratio}x)"
