#!/usr/bin/env bash
# bench/pg.sh [SIZE...]: ingest and gate on PostgreSQL next to SQLite, in the
# same run (see bench/README.md, "PostgreSQL").
#
# It starts a throwaway PostgreSQL cluster in build/bench/pg with the
# server's durable defaults (fsync, synchronous_commit and full_page_writes
# on), then for each size (default "100000 1000000", or $BENCH_SIZES, or the
# arguments) generates a SARIF log and a later commit of it
# (--commit-variant 1: lines moved, about 1% of the results replaced), and
# for each backend, SQLite first, into a fresh store:
#
#   ingest 1   the log: every result a new finding
#   ingest 2   the later commit: 99% known findings, 1% new, 1% fixed
#   gate       `gate --format json`, five times, the median
#
# Each command runs under peak_rss (wall time, shipgate's peak RSS). While a
# command runs on PostgreSQL, a poller reads the cluster's processes in /proc
# every 50 ms: the largest VmHWM of the postmaster and the client backends
# (the one serving shipgate's connection, and parallel workers), and the
# largest sum over every process of the cluster (private memory, plus the
# shared memory once). It prints a table and one line per size for the
# target (PostgreSQL's ingest at least half of SQLite's rate). A missed
# target is reported, not fatal: the script fails only when a command itself
# fails. The cluster is stopped and removed at exit, whatever happens.
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

if [ "$#" -gt 0 ]; then
	sizes=("$@")
else
	read -r -a sizes <<<"${BENCH_SIZES:-100000 1000000}"
fi
for n in "${sizes[@]}"; do
	if ! [[ "$n" =~ ^[1-9][0-9]{0,8}$ ]]; then
		echo "pg.sh: size '$n' is not a positive integer" >&2
		exit 2
	fi
done

# Absolute paths: the measured commands run inside the scratch directory. Its
# own scratch directory, since run.sh empties build/bench/scratch.
out=$root/build/bench
bin=$out/bin
scratch=$out/pg-scratch
cluster=$out/pg
gate_runs=5
poll_s=0.05

log() { printf '[bench] %s\n' "$*" >&2; }

# Bench tools: plain -O2, libc only.
mkdir -p "$bin"
for tool in gen_sarif peak_rss; do
	"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror -o "$bin/$tool" "$here/$tool.c"
done

# A release build, as run.sh finds or makes it: never a sanitizer build.
shipgate=${SHIPGATE:-$root/build/shipgate}
if [ -n "${SHIPGATE:-}" ]; then
	:
elif [ ! -x "$shipgate" ] || ! grep -q -a -m1 __asan_init "$shipgate"; then
	# make is incremental: a binary older than the tree is never timed.
	log "building $shipgate"
	env -u CFLAGS make -C "$root" SAN=0 -j"$(nproc)" >&2
else
	log "$shipgate is a sanitizer build: building a release copy in $out/release"
	env -u CFLAGS make -C "$root" SAN=0 BUILD="$out/release" -j"$(nproc)" >&2
	shipgate=$out/release/shipgate
fi

# shellcheck source=tests/lib/pgcluster.sh
. "$root/tests/lib/pgcluster.sh"

poller_pid=
cleanup() {
	if [ -n "$poller_pid" ]; then
		kill "$poller_pid" 2>/dev/null || true
		wait "$poller_pid" 2>/dev/null || true
	fi
	pg_cluster_stop "$cluster" || true
	if [ "${BENCH_KEEP:-0}" != 1 ]; then
		# The logs and stores of a size cut short; the commands' output stays.
		rm -f "$scratch"/*.sarif "$scratch"/*.db "$scratch"/*.db-*
	fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# A cluster left by a run that was killed: pg_cluster_stop removes only a
# directory pg_cluster_start marked as its own.
pg_cluster_stop "$cluster"
if [ -e "$cluster" ]; then
	echo "pg.sh: $cluster exists and is not a cluster of ours: remove it" >&2
	exit 1
fi
rm -rf "$scratch"
mkdir -p "$scratch"
log "starting a PostgreSQL cluster in $cluster"
pg_cluster_start "$cluster"
postmaster=$(head -n 1 "$cluster/data/postmaster.pid")
pg_settings=$(pg_cluster_psql -At -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
	FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',
		'shared_buffers', 'max_wal_size', 'work_mem', 'checkpoint_timeout')")
pg_version=$(pg_cluster_psql -At -c 'SHOW server_version')

# `shipgate init` writes a starter ./shipgate.yml and every command reads
# ./shipgate.yml when present: working in the scratch directory keeps the
# source tree clean and makes the gate use the built-in policy.
cd "$scratch"

# The poller: the cluster's processes are the postmaster and its children.
# VmHWM is a process's own peak; the client backend is new per connection,
# so its VmHWM when last seen is that command's peak on the server. It counts
# the shared buffers the backend touched, as every process's RSS does, so a
# sum of RSS would count them once per process: the sum is of each process's
# private memory (RssAnon) plus the shared memory once (the largest
# RssShmem), i.e. about what the cluster as a whole holds. (Pss would say it
# exactly, but /proc/PID/smaps_rollup costs about 3 ms a process here: a
# CPU's half at this rate.) It marks its first sample with the file $2.ready,
# and on SIGTERM (or once its parent is gone) writes the maxima to $2.
poller_py='
import os, signal, sys, time

postmaster, outfile, interval = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
peak_hwm = peak_client_hwm = peak_sum = 0
peak_what = "none"
stop = False

def on_term(signum, frame):
    global stop
    stop = True

def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []

def status_kb(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "RssAnon", "RssShmem"):
                fields[key] = int(value.split()[0])
    return fields

def cmdline(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        return f.read().replace(b"\0", b" ").decode(errors="replace").strip()

def is_client(cmd):
    # "postgres: USER DB [local] STATE" and "postgres: parallel worker for
    # PID N"; the checkpointer, background writer, walwriter, autovacuum and
    # replication launchers are the cluster'"'"'s own.
    return cmd.startswith("postgres: postgres ") or cmd.startswith("postgres: parallel worker")

def sample():
    global peak_hwm, peak_client_hwm, peak_sum, peak_what
    anon = shmem = 0
    for pid in [postmaster] + children(postmaster):
        try:
            kb = status_kb(pid)
            cmd = cmdline(pid)
        except (OSError, ValueError):
            continue  # it ended meanwhile
        hwm = kb.get("VmHWM", 0)
        anon += kb.get("RssAnon", 0)
        shmem = max(shmem, kb.get("RssShmem", 0))
        if pid != postmaster and is_client(cmd):
            peak_client_hwm = max(peak_client_hwm, hwm)
        if (pid == postmaster or is_client(cmd)) and hwm > peak_hwm:
            peak_hwm = hwm
            if pid == postmaster:
                peak_what = "the postmaster"
            elif cmd.startswith("postgres: parallel worker"):
                peak_what = "a parallel worker"
            else:
                peak_what = "the client backend"
    peak_sum = max(peak_sum, anon + shmem)

signal.signal(signal.SIGTERM, on_term)
sample()
open(outfile + ".ready", "w").close()
parent = os.getppid()
while not stop and os.getppid() == parent:
    time.sleep(interval)
    sample()
with open(outfile, "w") as f:
    f.write("pg_hwm_kb=%d pg_sum_kb=%d pg_client_hwm_kb=%d\n" % (peak_hwm, peak_sum, peak_client_hwm))
    f.write("pg_hwm_what=%s\n" % peak_what)
'

# measure NAME CMD...: runs CMD under peak_rss, stdout and stderr to
# $scratch/NAME.{out,err}; sets m_rc (exit status), m_kb (peak RSS, KiB) and
# m_s (wall seconds).
measure() {
	local name=$1 line
	shift
	m_rc=0
	"$bin/peak_rss" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err" || m_rc=$?
	line=$(grep '^peak_rss_kb=' "$scratch/$name.err" | tail -n 1 || true)
	if [ -z "$line" ]; then
		echo "pg.sh: no measurement from peak_rss for: $*" >&2
		cat "$scratch/$name.err" >&2
		exit 1
	fi
	m_kb=${line#peak_rss_kb=}
	m_kb=${m_kb%% *}
	m_s=${line##*wall_s=}
}

# measure_pg NAME CMD...: measure, with the poller watching the cluster; also
# sets p_hwm_kb (largest VmHWM of the postmaster and the client backends),
# p_client_kb (that of the client backends alone),
# p_sum_kb (largest sum over all the cluster's processes: RssAnon, plus
# RssShmem once) and p_what
# (which process had that VmHWM).
measure_pg() {
	local name=$1 res=$scratch/$1.pg tries=0 line
	rm -f "$res" "$res.ready"
	python3 -c "$poller_py" "$postmaster" "$res" "$poll_s" &
	poller_pid=$!
	while [ ! -e "$res.ready" ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 500 ] || ! kill -0 "$poller_pid" 2>/dev/null; then
			echo "pg.sh: the memory poller did not start" >&2
			exit 1
		fi
		sleep 0.01
	done
	measure "$@"
	kill -TERM "$poller_pid"
	wait "$poller_pid" || true
	poller_pid=
	line=$(head -n 1 "$res" 2>/dev/null || true)
	if [ -z "$line" ]; then
		echo "pg.sh: no measurement from the memory poller for $name" >&2
		exit 1
	fi
	p_hwm_kb=${line#pg_hwm_kb=}
	p_hwm_kb=${p_hwm_kb%% *}
	p_sum_kb=${line#*pg_sum_kb=}
	p_sum_kb=${p_sum_kb%% *}
	p_client_kb=${line#*pg_client_hwm_kb=}
	p_client_kb=${p_client_kb%% *}
	p_what=$(sed -n 's/^pg_hwm_what=//p' "$res")
}

# must_succeed NAME OKCODES...: stops the benchmark when the last measured
# command exited with a status not in OKCODES.
must_succeed() {
	local name=$1 code
	shift
	for code in "$@"; do
		[ "$m_rc" -eq "$code" ] && return 0
	done
	echo "pg.sh: $name failed (exit $m_rc); its output:" >&2
	tail -n 20 "$scratch/$name.out" "$scratch/$name.err" >&2
	exit 1
}

commit_sha() { printf 'shipgate-bench-%s' "$1" | sha1sum | cut -c1-40; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
max() { if [ "$1" -gt "$2" ]; then echo "$1"; else echo "$2"; fi; }

# note_peaks: keeps the largest RSS of shipgate and of the server in
# run_backend's sg_kb, pg_kb (with pg_what) and pg_sum.
note_peaks() {
	sg_kb=$(max "$sg_kb" "$m_kb")
	if [ "$p_hwm_kb" -gt "$pg_kb" ]; then
		pg_kb=$p_hwm_kb
		pg_what="$p_what ($step)"
	fi
	pg_sum=$(max "$pg_sum" "$p_sum_kb")
}

# step_summary NAME: one log line on the command just measured.
step_summary() {
	local s
	s="$m_s s, shipgate $(mib "$m_kb") MiB"
	if [ "$be" = postgresql ]; then
		s+=", server $(mib "$p_hwm_kb") MiB (client backend $(mib "$p_client_kb"))"
	fi
	printf '%s: %s' "$s" "$(head -n 1 "$scratch/$1.out")"
}

# run_backend BACKEND N URL FILE1 FILE2: init, the two ingests and the gates
# on one backend (sqlite or postgresql) into a fresh store at URL; appends a
# row to the table and sets the rates in in1_rate[BACKEND/N] and
# in2_rate[BACKEND/N].
run_backend() {
	local be=$1 n=$2 url=$3 file1=$4 file2=$5 meas=measure tag
	local in1_s in2_s sg_kb=0 pg_kb=0 pg_sum=0 pg_what=- g_med r1 r2 step
	local -a gate_ms sorted pg_cols
	local r
	tag=$be-$n
	if [ "$be" = postgresql ]; then meas=measure_pg; fi
	p_hwm_kb=0
	p_sum_kb=0
	p_what=-

	if ! "$shipgate" --db "$url" init >"$scratch/init-$tag.out" 2>&1; then
		echo "pg.sh: $shipgate init failed on $be:" >&2
		cat "$scratch/init-$tag.out" >&2
		exit 1
	fi

	log "$n $be: ingest 1 (all new)"
	step=ingest1
	$meas "ingest1-$tag" "$shipgate" --db "$url" ingest sarif "$file1" \
		--product bench --commit "$(commit_sha "$n-1")"
	must_succeed "ingest1-$tag" 0
	in1_s=$m_s
	note_peaks
	log "$n $be: $(step_summary "ingest1-$tag")"

	log "$n $be: ingest 2 (a later commit: mostly known)"
	step=ingest2
	$meas "ingest2-$tag" "$shipgate" --db "$url" ingest sarif "$file2" \
		--product bench --commit "$(commit_sha "$n-2")"
	must_succeed "ingest2-$tag" 0
	in2_s=$m_s
	note_peaks
	log "$n $be: $(step_summary "ingest2-$tag")"

	log "$n $be: gate x$gate_runs"
	step=gate
	gate_ms=()
	for ((r = 1; r <= gate_runs; r++)); do
		$meas "gate-$tag" "$shipgate" --db "$url" gate --product bench --format json
		# exit 1 = the gate blocks, which it should with these findings
		must_succeed "gate-$tag" 0 1
		gate_ms+=("$(awk -v s="$m_s" 'BEGIN { printf "%.0f", s * 1000 }')")
		note_peaks
	done
	mapfile -t sorted < <(printf '%s\n' "${gate_ms[@]}" | sort -n)
	g_med=${sorted[$((${#sorted[@]} / 2))]}
	log "$n $be: gate ${gate_ms[*]} ms"

	r1=$(rate "$n" "$in1_s")
	r2=$(rate "$n" "$in2_s")
	in1_rate[$be/$n]=$r1
	in2_rate[$be/$n]=$r2
	if [ "$be" = postgresql ]; then
		pg_cols=("$(mib "$pg_kb")" "$(mib "$pg_sum")")
		peak_notes+=("$n: the server's largest VmHWM: $pg_what")
	else
		pg_cols=(- -)
	fi
	rows+=("$(table_row "$be" "$n" "$in1_s" "$r1" "$in2_s" "$r2" "$g_med" \
		"$(mib "$sg_kb")" "${pg_cols[0]}" "${pg_cols[1]}")")
}

table_row() { printf '%-10s %9s %10s %11s %10s %11s %14s %15s %9s %13s' "$@"; }
rows=()
peak_notes=()
declare -A in1_rate in2_rate

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true), $(nproc) CPUs; load: $load_start"
log "PostgreSQL $pg_version: $pg_settings"

for n in "${sizes[@]}"; do
	# The two logs (1.2 KB a result each), the SQLite store with its WAL,
	# and the database with its WAL on the same disk.
	need_kb=$((n * 7))
	avail_kb=$(df -Pk "$scratch" | awk 'NR == 2 { print $4 }')
	if [ "$avail_kb" -lt "$need_kb" ]; then
		log "skipping $n results: $(mib $((avail_kb / 1024))) GiB free in $scratch, need $(mib $((need_kb / 1024))) GiB"
		rows+=("$(printf '%-10s %9s %s' - "$n" "skipped: not enough disk space")")
		continue
	fi

	file1=$scratch/$n.sarif
	file2=$scratch/$n-2.sarif
	log "$n: generating $file1 and a later commit of it"
	measure "gen-$n" "$bin/gen_sarif" "$n" "$file1" --seed 1
	must_succeed "gen-$n" 0
	measure "gen2-$n" "$bin/gen_sarif" "$n" "$file2" --seed 1 --commit-variant 1
	must_succeed "gen2-$n" 0

	run_backend sqlite "$n" "sqlite:$scratch/$n.db" "$file1" "$file2"

	pg_cluster_create_db "bench_$n"
	run_backend postgresql "$n" "$PG_BASE_URL/bench_$n" "$file1" "$file2"
	pg_cluster_psql -c "SELECT pg_size_pretty(pg_database_size('bench_$n')) AS bench_$n" >&2 || true

	if [ "${BENCH_KEEP:-0}" != 1 ]; then
		# The dropped database also ends its autovacuum work before the
		# next size is measured.
		pg_cluster_psql -c "DROP DATABASE bench_$n" -c CHECKPOINT
		rm -f "$file1" "$file2" "$scratch/$n.db" "$scratch/$n.db"-*
	fi
done

echo
echo "shipgate on SQLite and PostgreSQL ($shipgate; PostgreSQL $pg_version: $pg_settings)"
echo "load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS in MiB: shipgate's peak (ru_maxrss) over both ingests and the gates; pg_rss_MB: the largest VmHWM"
echo "of the postmaster and the client backends; pg_sum_MB: the largest sum over all the cluster's processes of"
echo "their private memory (RssAnon), plus the shared memory once (the largest RssShmem)"
table_row backend size ingest1_s results/s ingest2_s results/s gate_ms_median \
	shipgate_rss_MB pg_rss_MB pg_sum_MB
echo
for row in "${rows[@]}"; do
	echo "$row"
done
for note in "${peak_notes[@]}"; do
	echo "  $note"
done
echo

for n in "${sizes[@]}"; do
	if [ -z "${in1_rate[postgresql/$n]:-}" ] || [ -z "${in1_rate[sqlite/$n]:-}" ]; then
		echo "PostgreSQL ingest >= half of SQLite's rate, $n results: n/a (not measured)"
		continue
	fi
	awk -v n="$n" -v p1="${in1_rate[postgresql/$n]}" -v s1="${in1_rate[sqlite/$n]}" \
		-v p2="${in2_rate[postgresql/$n]}" -v s2="${in2_rate[sqlite/$n]}" 'BEGIN {
		r1 = (s1 > 0 ? p1 / s1 : 0)
		r2 = (s2 > 0 ? p2 / s2 : 0)
		printf "PostgreSQL ingest >= half of SQLite'"'"'s rate, %s results: %s (ratio %.2f on ingest 1, %.2f on ingest 2)\n",
			n, (r1 >= 0.5 && r2 >= 0.5) ? "yes" : "no", r1, r2
	}'
done
