#!/usr/bin/env bash
# bench/run.sh [SIZE...]: ingest and gate benchmark (see bench/README.md).
#
# For each size (default "100000 1000000", or $BENCH_SIZES, or the arguments)
# it generates a SARIF log, times python3's json.load on it (the floor of any
# Python-based peer), ingests it into a fresh store, ingests it again as a
# second commit, and times `gate` on the result; then it approves an exception
# for the most frequent rule and times `gate` again (waived_gate_ms) and
# `audit verify` over the whole store (verify_s). It prints a table and one
# line per target. A missed target is reported, not fatal: the script fails
# only when a command itself fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# $SHIPGATE times another binary as is (e.g. to compare two builds); taken
# relative to where we were started.
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
		echo "run.sh: size '$n' is not a positive integer" >&2
		exit 2
	fi
done

# Absolute paths: the measured commands run inside the scratch directory.
out=$root/build/bench
bin=$out/bin
scratch=$out/scratch
gate_runs=5
rss_target_kb=$((64 * 1024))
gate_target_ms=100

log() { printf '[bench] %s\n' "$*" >&2; }

# Bench tools: plain -O2, libc only.
mkdir -p "$bin"
for tool in gen_sarif peak_rss; do
	"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror -o "$bin/$tool" "$here/$tool.c"
done

# Measure a release build: the Makefile's own -O2 (CFLAGS from the caller's
# environment would override it) and no sanitizers, whose shadow memory
# alone would blow the RSS target.
shipgate=${SHIPGATE:-$root/build/shipgate}
if [ -n "${SHIPGATE:-}" ]; then
	:
elif [ ! -x "$shipgate" ] || ! grep -q -a -m1 __asan_init "$shipgate"; then
	# make is incremental: a binary older than the tree is never timed.
	log "building $shipgate"
	env -u CFLAGS make -C "$root" SAN=0 -j"$(nproc)" >&2
else
	# e.g. left by `make SAN=1`: never time that.
	log "$shipgate is a sanitizer build: building a release copy in $out/release"
	env -u CFLAGS make -C "$root" SAN=0 BUILD="$out/release" -j"$(nproc)" >&2
	shipgate=$out/release/shipgate
fi

rm -rf "$scratch"
mkdir -p "$scratch"
# `shipgate init` writes a starter ./shipgate.yml and every command reads
# ./shipgate.yml when present: working in the scratch directory keeps the
# source tree clean and makes the gate use the built-in policy, whatever
# policy file the tree may hold.
cd "$scratch"

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
		echo "run.sh: no measurement from peak_rss for: $*" >&2
		cat "$scratch/$name.err" >&2
		exit 1
	fi
	m_kb=${line#peak_rss_kb=}
	m_kb=${m_kb%% *}
	m_s=${line##*wall_s=}
}

# must_succeed NAME OKCODES...: stops the benchmark when the last measured
# command exited with a status not in OKCODES.
must_succeed() {
	local name=$1 code
	shift
	for code in "$@"; do
		[ "$m_rc" -eq "$code" ] && return 0
	done
	echo "run.sh: $name failed (exit $m_rc); its output:" >&2
	tail -n 20 "$scratch/$name.out" "$scratch/$name.err" >&2
	exit 1
}

commit_sha() { printf 'shipgate-bench-%s' "$1" | sha1sum | cut -c1-40; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

python_failed=0
rows=()
declare -A ingest_s python_s worst_rss_kb gate_med_ms

log "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true), $(nproc) CPUs, $(python3 --version 2>&1)"

for n in "${sizes[@]}"; do
	# Scales to 4 GB at 1M results: the ~1.2 GB log plus the store, which
	# grows with the second scan, plus SQLite's journal.
	need_kb=$((n * 4))
	avail_kb=$(df -Pk "$scratch" | awk 'NR == 2 { print $4 }')
	if [ "$avail_kb" -lt "$need_kb" ]; then
		log "skipping $n results: $(mib $((avail_kb / 1024))) GiB free in $scratch, need $(mib $((need_kb / 1024))) GiB"
		rows+=("$(printf '%-9s %s' "$n" "skipped: not enough disk space")")
		continue
	fi

	file=$scratch/$n.sarif
	db=$scratch/$n.db

	log "$n: generating $file"
	measure "gen-$n" "$bin/gen_sarif" "$n" "$file" --seed 1
	must_succeed "gen-$n" 0
	gen_s=$m_s
	file_mb=$(mib $(($(stat -c %s "$file") / 1024)))
	log "$n: generated $file_mb MiB in $gen_s s"

	log "$n: python3 json.load"
	measure "python-$n" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$file"
	if [ "$m_rc" -eq 0 ]; then
		py_s=$m_s
		py_mb=$(mib "$m_kb")
		python_s[$n]=$py_s
	else
		# The reference failing (e.g. killed for memory at 1M) must not hide
		# shipgate's figures; the run still ends non-zero.
		log "$n: python3 failed (exit $m_rc): $(grep -v '^peak_rss_kb=' "$scratch/python-$n.err" | tail -n 1 || true)"
		python_failed=1
		py_s=failed
		py_mb=-
	fi

	if ! "$shipgate" --db "sqlite:$db" init >"$scratch/init-$n.out" 2>&1; then
		echo "run.sh: $shipgate init failed:" >&2
		cat "$scratch/init-$n.out" >&2
		exit 1
	fi

	log "$n: ingest"
	measure "ingest-$n" "$shipgate" --db "sqlite:$db" ingest sarif "$file" \
		--product bench --commit "$(commit_sha "$n-1")"
	must_succeed "ingest-$n" 0
	log "$n: $(head -n 1 "$scratch/ingest-$n.out")"
	in_s=$m_s
	in_kb=$m_kb
	ingest_s[$n]=$in_s

	# The second scan of a product: every result matches an open finding,
	# so this is the update path rather than the insert path.
	log "$n: re-ingest as a second commit"
	measure "reingest-$n" "$shipgate" --db "sqlite:$db" ingest sarif "$file" \
		--product bench --commit "$(commit_sha "$n-2")"
	must_succeed "reingest-$n" 0
	log "$n: $(head -n 1 "$scratch/reingest-$n.out")"
	re_s=$m_s
	re_kb=$m_kb

	log "$n: gate x$gate_runs"
	gate_ms=()
	gate_kb=0
	for ((r = 1; r <= gate_runs; r++)); do
		measure "gate-$n" "$shipgate" --db "sqlite:$db" gate --product bench --format json
		# exit 1 = the gate blocks, which it should with these findings
		must_succeed "gate-$n" 0 1
		gate_ms+=("$(awk -v s="$m_s" 'BEGIN { printf "%.0f", s * 1000 }')")
		if [ "$m_kb" -gt "$gate_kb" ]; then gate_kb=$m_kb; fi
	done
	mapfile -t sorted < <(printf '%s\n' "${gate_ms[@]}" | sort -n)
	g_min=${sorted[0]}
	g_med=${sorted[$((${#sorted[@]} / 2))]}
	gate_med_ms[$n]=$g_med

	# The gate again with an approved exception for the most frequent rule
	# (BS0001, about 7% of the results): waived findings are counted and
	# listed apart, which costs a visit of each open blocking finding.
	log "$n: exception for rule BenchScan:BS0001, then gate x$gate_runs and audit verify"
	sgdb=("$shipgate" --db "sqlite:$db")
	rm -f "$scratch/cto-$n.key" "$scratch/cto-$n.key.pub"
	{
		"${sgdb[@]}" user add bench-dev --role developer &&
			"${sgdb[@]}" user add bench-cto --role cto &&
			"${sgdb[@]}" key generate --out "$scratch/cto-$n.key" &&
			"${sgdb[@]}" user key bench-cto --public "$scratch/cto-$n.key.pub" &&
			xid=$("${sgdb[@]}" exception request --rule BenchScan:BS0001 --product bench \
				--reason "bench" --expires "$(date -u -d '+30 days' +%F)" --as bench-dev) &&
			"${sgdb[@]}" exception approve "$xid" --as bench-cto --key "$scratch/cto-$n.key"
	} >"$scratch/exception-$n.out" 2>&1 || {
		echo "run.sh: setting up the exception failed:" >&2
		cat "$scratch/exception-$n.out" >&2
		exit 1
	}
	waived_ms=()
	waived_kb=0
	for ((r = 1; r <= gate_runs; r++)); do
		measure "gate-waived-$n" "${sgdb[@]}" gate --product bench --format json
		must_succeed "gate-waived-$n" 0 1
		waived_ms+=("$(awk -v s="$m_s" 'BEGIN { printf "%.0f", s * 1000 }')")
		if [ "$m_kb" -gt "$waived_kb" ]; then waived_kb=$m_kb; fi
	done
	mapfile -t sorted < <(printf '%s\n' "${waived_ms[@]}" | sort -n)
	w_med=${sorted[$((${#sorted[@]} / 2))]}
	measure "verify-$n" "${sgdb[@]}" audit verify
	must_succeed "verify-$n" 0
	verify_s=$m_s
	verify_kb=$m_kb

	worst=$in_kb
	if [ "$re_kb" -gt "$worst" ]; then worst=$re_kb; fi
	if [ "$gate_kb" -gt "$worst" ]; then worst=$gate_kb; fi
	if [ "$waived_kb" -gt "$worst" ]; then worst=$waived_kb; fi
	if [ "$verify_kb" -gt "$worst" ]; then worst=$verify_kb; fi
	worst_rss_kb[$n]=$worst

	rate=$(awk -v n="$n" -v s="$in_s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	re_rate=$(awk -v n="$n" -v s="$re_s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	rows+=("$(printf '%-9s %8s %15s %14s %9s %10s %14s %11s %13s %17s %12s %16s %9s' \
		"$n" "$file_mb" "$py_s" "$py_mb" "$in_s" "$rate" "$(mib "$in_kb")" \
		"$re_s" "$re_rate" "$g_min/$g_med" "$(mib "$gate_kb")" "$w_med" "$verify_s")")

	if [ "${BENCH_KEEP:-0}" != 1 ]; then
		rm -f "$file" "$db" "$db"-* "$scratch/cto-$n.key" "$scratch/cto-$n.key.pub"
	fi
done

echo
echo "shipgate benchmark ($shipgate; sizes in MiB, RSS = peak resident set)"
printf '%-9s %8s %15s %14s %9s %10s %14s %11s %13s %17s %12s %16s %9s\n' \
	size file_MB python_parse_s python_rss_MB ingest_s results/s ingest_rss_MB \
	reingest_s reingest_r/s "gate_ms(min/med)" gate_rss_MB "waived_gate_ms" verify_s
for row in "${rows[@]}"; do
	echo "$row"
done
echo

if [ -n "${ingest_s[100000]:-}" ] && [ -n "${python_s[100000]:-}" ]; then
	verdict=$(awk -v a="${ingest_s[100000]}" -v b="${python_s[100000]}" \
		'BEGIN { print ((a < b) ? "PASS" : "FAIL") }')
	echo "target 100k ingest < python parse: $verdict (${ingest_s[100000]} s vs ${python_s[100000]} s)"
else
	echo "target 100k ingest < python parse: n/a (100000 not measured)"
fi

if [ "${#worst_rss_kb[@]}" -gt 0 ]; then
	verdict=PASS
	detail=
	for n in "${sizes[@]}"; do
		if [ -z "${worst_rss_kb[$n]:-}" ]; then continue; fi
		if [ "${worst_rss_kb[$n]}" -ge "$rss_target_kb" ]; then verdict=FAIL; fi
		detail+="${detail:+, }$n: $(mib "${worst_rss_kb[$n]}") MB"
	done
	echo "target peak RSS < 64 MB: $verdict (max of ingest, re-ingest, gates, audit verify: $detail)"
else
	echo "target peak RSS < 64 MB: n/a (nothing measured)"
fi

if [ -n "${gate_med_ms[1000000]:-}" ]; then
	verdict=PASS
	if [ "${gate_med_ms[1000000]}" -ge "$gate_target_ms" ]; then verdict=FAIL; fi
	echo "target gate on 1M findings < 100 ms: $verdict (median ${gate_med_ms[1000000]} ms)"
else
	echo "target gate on 1M findings < 100 ms: n/a (1000000 not measured)"
fi

if [ "$python_failed" -ne 0 ]; then
	echo "run.sh: python3 json.load failed on at least one size (see above)" >&2
	exit 1
fi
