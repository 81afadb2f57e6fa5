#!/usr/bin/env bash
# bench/sca.sh: dependency analysis benchmark (see bench/README.md,
# "Dependency analysis").
#
# Generates an OSV database of $SCA_RECORDS records (default 50,000) with
# gen_osv, adds the OSV records of the corpus (../shared/corpus/osv), and
# packs the whole tree into a zip as well; generates a CycloneDX SBOM of
# $SCA_COMPONENTS components (default 10,000) and an upgraded version of it
# with gen_sbom. Then it times, each under peak_rss:
#
#   import_dir    vulndb import DIR into a fresh store
#   import_zip    vulndb import ZIP into another fresh store
#   reimport_zip  the same zip again (nothing changed)
#   match         ingest sbom: read, classify and store the components,
#                 match them against the database, sight the findings
#   rematch       ingest sbom of the upgraded SBOM (the product's snapshot)
#   update        vulndb import of 1,000 updated records, which matches the
#                 stored SBOM again
#
# and, in the same run, the floor of a Python-based peer: python3 reading
# and json-parsing every record file, and json-parsing the SBOM. The whole
# sequence runs $SCA_RUNS times (default 3) on fresh stores; it prints a
# table (minimum and median wall time, rates from the median, the largest
# peak RSS) and one line per target, judged on the medians. A missed target
# is reported, not fatal: the script fails only when a command itself fails.
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

n_records=${SCA_RECORDS:-50000}
n_components=${SCA_COMPONENTS:-10000}
runs=${SCA_RUNS:-3}
for v in "$n_records" "$n_components" "$runs"; do
	if ! [[ "$v" =~ ^[1-9][0-9]{0,6}$ ]]; then
		echo "sca.sh: '$v' is not a positive integer below 10,000,000" >&2
		exit 2
	fi
done
corpus=$root/../shared/corpus/osv
# every 50th record of the base: 1,000 of 50,000
update_every=$(((n_records + 999) / 1000))

out=$root/build/bench
bin=$out/bin
# Our own directory: bench/run.sh empties build/bench/scratch.
scratch=$out/sca
match_target_s=1
import_target_rps=20000
rss_target_kb=$((256 * 1024))

log() { printf '[sca] %s\n' "$*" >&2; }

mkdir -p "$bin"
for tool in gen_osv gen_sbom peak_rss; do
	"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -Werror -o "$bin/$tool" "$here/$tool.c"
done

# A release build, as bench/run.sh measures (see there).
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

rm -rf "$scratch"
mkdir -p "$scratch"
# The records and SBOMs take about 5 KB per record; the two stores, the zip
# and SQLite's journals about as much again.
need_kb=$((n_records * 12 + n_components * 4))
avail_kb=$(df -Pk "$scratch" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
	echo "sca.sh: $((avail_kb / 1024)) MiB free in $scratch, need $((need_kb / 1024)) MiB" >&2
	exit 1
fi
# Commands run in the scratch directory: `init` writes ./shipgate.yml there
# and every command reads it, so the tree's own policy file plays no part.
cd "$scratch"

# measure NAME CMD...: runs CMD under peak_rss, output to $scratch/NAME.{out,err};
# sets m_rc (exit status), m_kb (peak RSS, KiB) and m_s (wall seconds).
measure() {
	local name=$1 line
	shift
	m_rc=0
	"$bin/peak_rss" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err" || m_rc=$?
	line=$(grep '^peak_rss_kb=' "$scratch/$name.err" | tail -n 1 || true)
	if [ -z "$line" ]; then
		echo "sca.sh: no measurement from peak_rss for: $*" >&2
		cat "$scratch/$name.err" >&2
		exit 1
	fi
	m_kb=${line#peak_rss_kb=}
	m_kb=${m_kb%% *}
	m_s=${line##*wall_s=}
}

must_succeed() {
	if [ "$m_rc" -ne 0 ]; then
		echo "sca.sh: $1 failed (exit $m_rc); its output:" >&2
		tail -n 20 "$scratch/$1.out" "$scratch/$1.err" >&2
		exit 1
	fi
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
# The number shipgate reports before "records read".
records_read() { sed -n 's/^\([0-9]*\) records\{0,1\} read:.*/\1/p' "$scratch/$1.out" | head -n 1; }
commit_sha() { printf 'shipgate-sca-bench-%s' "$1" | sha1sum | cut -c1-40; }

log "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true), $(nproc) CPUs, $(python3 --version 2>&1)"
log "shipgate: $shipgate"

# ---- data ----

db=$scratch/db
mkdir -p "$db"
log "generating $n_records OSV records into $db/generated"
measure gen-osv "$bin/gen_osv" "$n_records" "$db/generated" --seed 1 --universe "$scratch/universe.tsv"
must_succeed gen-osv
# The corpus's real records, kept in their directories (some file names
# repeat). schema/ holds the OSV JSON schema and ecosystems.json, which are
# not records.
if [ -d "$corpus" ]; then
	mkdir -p "$db/corpus"
	(cd "$corpus" && find . -name '*.json' -not -path './schema/*' -print0 | xargs -0 cp --parents -t "$db/corpus")
else
	log "no corpus at $corpus: generated records only"
fi
n_files=$(find "$db" -name '*.json' | wc -l)
db_mb=$(mib $(($(du -sk --apparent-size "$db" | cut -f1))))
log "$n_files record files, $db_mb MiB"

log "packing $db into osv.zip (deflate)"
python3 - "$db" "$scratch/osv.zip" <<'EOF'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
names = []
for d, dirs, files in os.walk(src):
    dirs.sort()
    names += [os.path.join(d, f) for f in sorted(files) if f.endswith(".json")]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for p in names:
        z.write(p, os.path.relpath(p, src))
EOF
zip_mb=$(mib $(($(stat -c %s "$scratch/osv.zip") / 1024)))

log "generating $((n_records / update_every)) updated records and two SBOMs of $n_components components"
measure gen-update "$bin/gen_osv" "$n_records" "$scratch/update" --seed 1 --revision 1 --every "$update_every"
must_succeed gen-update
measure gen-sbom "$bin/gen_sbom" "$n_components" "$scratch/sbom.json" --universe "$scratch/universe.tsv" --seed 1
must_succeed gen-sbom
log "$(grep '^gen_sbom:' "$scratch/gen-sbom.err" | sed 's/^gen_sbom: //')"
measure gen-sbom-up "$bin/gen_sbom" "$n_components" "$scratch/sbom-upgraded.json" \
	--universe "$scratch/universe.tsv" --seed 1 --upgrade 1
must_succeed gen-sbom-up
sbom_mb=$(mib $(($(stat -c %s "$scratch/sbom.json") / 1024)))

# ---- measurements ----

# One run: the Python floor, then the six shipgate steps on fresh stores.
# Steps alternate with Python's so that both see the same machine load.
declare -A secs kbs counts says
steps=(py_records py_sbom import_dir import_zip reimport_zip match rematch update)

# record STEP: files this run's measurement under the step.
record() {
	secs[$1]+="$m_s "
	kbs[$1]+="$m_kb "
}

init_store() {
	rm -f "$1" "$1"-*
	if ! "$shipgate" --db "sqlite:$1" init >"$scratch/init.out" 2>&1; then
		echo "sca.sh: $shipgate init failed:" >&2
		cat "$scratch/init.out" >&2
		exit 1
	fi
}

run_once() {
	local r=$1 dir_db=$scratch/dir.db zip_db=$scratch/zip.db

	log "run $r/$runs: python3 reads and json-parses every record file"
	measure py-records python3 -c '
import json, os, sys
n = 0
for d, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith(".json"):
            with open(os.path.join(d, f), "rb") as fh:
                json.load(fh)
            n += 1
print(n)' "$db"
	must_succeed py-records
	record py_records
	counts[py_records]=$(head -n 1 "$scratch/py-records.out")

	init_store "$dir_db"
	init_store "$zip_db"
	if [ "$r" -eq 1 ]; then
		# The starter policy with its licence example switched on:
		# matching then also holds every component's licences against a
		# deny list, as a real policy would. `init` keeps an existing file.
		cat >>"$scratch/shipgate.yml" <<'EOF2'

licenses:
  deny: [GPL-3.0-only, GPL-3.0-or-later, AGPL-3.0-only, AGPL-3.0-or-later]
  severity: high
EOF2
	fi

	log "run $r/$runs: vulndb import DIR (fresh store)"
	measure import-dir "$shipgate" --db "sqlite:$dir_db" vulndb import "$db"
	must_succeed import-dir
	record import_dir
	counts[import_dir]=$(records_read import-dir)
	says[import_dir]=$(head -n 1 "$scratch/import-dir.out")

	log "run $r/$runs: vulndb import ZIP (fresh store)"
	measure import-zip "$shipgate" --db "sqlite:$zip_db" vulndb import "$scratch/osv.zip"
	must_succeed import-zip
	record import_zip
	counts[import_zip]=$(records_read import-zip)
	says[import_zip]=$(head -n 1 "$scratch/import-zip.out")

	log "run $r/$runs: vulndb import ZIP again (unchanged)"
	measure reimport-zip "$shipgate" --db "sqlite:$zip_db" vulndb import "$scratch/osv.zip"
	must_succeed reimport-zip
	record reimport_zip
	counts[reimport_zip]=$(records_read reimport-zip)
	says[reimport_zip]=$(head -n 1 "$scratch/reimport-zip.out")

	log "run $r/$runs: python3 json-parses the SBOM"
	measure py-sbom python3 -c 'import json,sys; json.load(open(sys.argv[1], "rb"))' "$scratch/sbom.json"
	must_succeed py-sbom
	record py_sbom
	counts[py_sbom]=$n_components

	log "run $r/$runs: ingest sbom ($n_components components): the match"
	measure match "$shipgate" --db "sqlite:$zip_db" ingest sbom "$scratch/sbom.json" \
		--product bench --commit "$(commit_sha 1)"
	must_succeed match
	record match
	counts[match]=$n_components
	says[match]=$(sed -n 2p "$scratch/match.out")

	log "run $r/$runs: ingest sbom of the upgraded SBOM (second commit)"
	measure rematch "$shipgate" --db "sqlite:$zip_db" ingest sbom "$scratch/sbom-upgraded.json" \
		--product bench --commit "$(commit_sha 2)"
	must_succeed rematch
	record rematch
	counts[rematch]=$(sed -n 's/^.*: scan [0-9]*: \([0-9]*\) components.*/\1/p' "$scratch/rematch.out")
	says[rematch]="$(sed -n 2p "$scratch/rematch.out" | sed 's/,.*//'); $(grep 'fixed (no longer' "$scratch/rematch.out" || true)"

	log "run $r/$runs: vulndb import of the updated records (matches the stored SBOM again)"
	measure update "$shipgate" --db "sqlite:$zip_db" vulndb import "$scratch/update"
	must_succeed update
	record update
	counts[update]=$(records_read update)
	says[update]=$(sed -n 2p "$scratch/update.out")
}

for ((r = 1; r <= runs; r++)); do
	run_once "$r"
done

# min, median and max of a space-separated list of numbers
stat3() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[1], v[int((NR + 1) / 2)], v[NR] }'; }

worst_kb=0
declare -A med
table=()
for step in "${steps[@]}"; do
	read -r lo mid _ <<<"$(stat3 "${secs[$step]}")"
	read -r _ _ kb <<<"$(stat3 "${kbs[$step]}")"
	med[$step]=$mid
	case $step in
	py_records) unit=files ;;
	py_sbom | match | rematch) unit=components ;;
	*) unit=records ;;
	esac
	vs=-
	case $step in
	import_* | reimport_zip) vs=$(awk -v a="${med[py_records]}" -v b="$mid" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') ;;
	match | rematch) vs=$(awk -v a="${med[py_sbom]}" -v b="$mid" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }') ;;
	esac
	case $step in
	py_*) ;;
	*) if [ "$kb" -gt "$worst_kb" ]; then worst_kb=$kb; fi ;;
	esac
	table+=("$(printf '%-13s %8s %8s %8s %-10s %9s %10s %8s  %s' "$step" "$lo" "$mid" "${counts[$step]}" "$unit" \
		"$(rate "${counts[$step]}" "$mid")" "$vs" "$(mib "$kb")" "${says[$step]:-}")")
done

echo
echo "shipgate dependency analysis benchmark ($shipgate; $runs runs, fresh stores each)"
echo "database: $n_files record files ($n_records generated + corpus), $db_mb MiB of JSON, $zip_mb MiB as zip;" \
	"SBOM: $n_components components, $sbom_mb MiB"
echo
printf '%-13s %8s %8s %8s %-10s %9s %10s %8s  %s\n' step min_s median_s count unit per_s vs_python \
	rss_MB "shipgate says (last run)"
for line in "${table[@]}"; do
	echo "$line"
done
echo

match_s=${med[match]}
dir_rps=$(rate "${counts[import_dir]}" "${med[import_dir]}")
zip_rps=$(rate "${counts[import_zip]}" "${med[import_zip]}")
verdict=$(awk -v s="$match_s" -v t="$match_target_s" 'BEGIN { print ((s < t) ? "PASS" : "FAIL") }')
echo "target match of $n_components components < ${match_target_s} s: $verdict (median $match_s s, ingest sbom as a whole)"
verdict=PASS
if [ "$dir_rps" -lt "$import_target_rps" ] || [ "$zip_rps" -lt "$import_target_rps" ]; then verdict=FAIL; fi
echo "target import >= $import_target_rps records/s: $verdict (median: directory $dir_rps/s, zip $zip_rps/s)"
verdict=PASS
if [ "$worst_kb" -ge "$rss_target_kb" ]; then verdict=FAIL; fi
echo "target peak RSS < 256 MB: $verdict ($(mib "$worst_kb") MB at most, any shipgate step of any run)"

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -rf "$db" "$scratch/update" "$scratch/osv.zip" "$scratch/sbom.json" "$scratch/sbom-upgraded.json" \
		"$scratch"/*.db "$scratch"/*.db-*
fi
