#!/usr/bin/env bash
# Fuzzing every parser (fuzz/fuzz_*.c), with libFuzzer from Debian's clang.
#
#   scripts/fuzz.sh smoke [SECONDS]   each target for SECONDS (default 15), after
#                                     replaying every corpus under gcc + ASan/UBSan
#   scripts/fuzz.sh long [SECONDS]    the same, longer (default 600 per target)
#   scripts/fuzz.sh replay            only the replays (an ordinary test)
#
# Seeds: fuzz/corpus/<target>/ (kept in the repository, with every input that
# ever crashed) plus the real-world files of ../shared/corpus. New inputs go to
# build/fuzz/new/<target>/; crashes to build/fuzz/crashes/ (copy them into
# fuzz/corpus/<target>/ once fixed).
set -uo pipefail
cd "$(dirname "$0")/.."

mode=${1:-smoke}
case "$mode" in
smoke) seconds=${2:-15} ;;
long) seconds=${2:-600} ;;
replay) seconds=0 ;;
*) echo "usage: scripts/fuzz.sh smoke|long|replay [SECONDS]" >&2; exit 2 ;;
esac

# $FUZZ_TARGETS runs a few (e.g. FUZZ_TARGETS="osv sbom" scripts/fuzz.sh long).
TARGETS=${FUZZ_TARGETS:-"json sarif policy pathnorm keyfile sbom osv purl version license cvss http config"}
CORPUS=$(cd ../shared/corpus 2>/dev/null && pwd || true)
OUT=build/fuzz
mkdir -p "$OUT/obj-gcc" "$OUT/obj-clang" "$OUT/new" "$OUT/crashes" "$OUT/seeds"
PKGS="sqlite3 libpq yaml-0.1 libsodium libcrypto libarchive libmicrohttpd libcurl"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
LIBS="$(pkg-config --libs $PKGS) -lyajl"
# The server serves docs/openapi.json, compiled in as the Makefile does.
scripts/embed.sh sg_openapi_json docs/openapi.json >"$OUT/openapi_doc.c.tmp" &&
	mv "$OUT/openapi_doc.c.tmp" "$OUT/openapi_doc.c" || exit 1
LIB_SRC="$(find src -name '*.c' ! -path 'src/cli/*' | sort) $OUT/openapi_doc.c"

# Build the library's objects with a compiler and flags into a directory.
# An object is rebuilt when its source or any header is newer: a changed
# struct in a header must not leave objects built against the old layout.
build_objects() { # CC FLAGS DIR
	local cc=$1 flags=$2 dir=$3 objs="" f o newest_header
	newest_header=$(find src -name '*.h' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
	for f in $LIB_SRC; do
		o="$dir/$(echo "$f" | tr / _).o"
		if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
			$cc -std=c17 -D_GNU_SOURCE $flags -Isrc $PKG_CFLAGS -c "$f" -o "$o" || return 1
		fi
		objs="$objs $o"
	done
	echo "$objs"
}

# Seed corpus of a target, from the repository and the shared real-world files.
seeds() { # TARGET -> directory
	local t=$1 dir="$OUT/seeds/$1"
	rm -rf "$dir"
	mkdir -p "$dir"
	cp fuzz/corpus/"$t"/* "$dir"/ 2>/dev/null
	case "$t" in
	json | sarif)
		if [ -n "$CORPUS" ]; then
			find "$CORPUS/sarif" "$CORPUS/tools" -type f \( -name '*.sarif' -o -name '*.json' \) -size -200k |
				while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done
		fi ;;
	sbom)
		if [ -n "$CORPUS" ]; then
			find "$CORPUS/cyclonedx" "$CORPUS/spdx" "$CORPUS/tools/cdxgen" "$CORPUS/tools/trivy-cdxgen" \
				-path "$CORPUS/cyclonedx/schema" -prune -o -path "$CORPUS/cyclonedx/purl-spec" -prune -o \
				-type f -name '*.json' -size -200k -print |
				while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done
		fi ;;
	osv)
		if [ -n "$CORPUS" ]; then
			find "$CORPUS/osv" -path "$CORPUS/osv/schema" -prune -o -type f -name '*.json' -size -200k -print |
				while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done
		fi ;;
	version)
		# Pairs from the reference vectors: "A <op> B" becomes "A\nB".
		if [ -n "$CORPUS" ]; then
			cat "$CORPUS"/versions/osv-scalibr/*.txt | grep -v '^#\|^//' | awk 'NF == 3 && NR % 40 == 0' |
				while read -r a _ b; do printf '%s\n%s' "$a" "$b" >"$dir/$(printf '%s %s' "$a" "$b" | md5sum | cut -c1-16)"; done
		fi ;;
	policy)
		cp tests/unit/policies/*.yml "$dir"/ 2>/dev/null ;;
	http)
		# The first byte picks: 0 a path, 1 a JSON body, 2 a token, 3 --listen.
		printf '\000/api/v1/products/my%%20app/findings' >"$dir/route"
		printf '\000/api/v1/exceptions/12/payload' >"$dir/route-id"
		printf '\001{"finding":"3","product":"web","reason":"r","expires":"2026-12-01"}' >"$dir/body"
		printf '\001{"all_products":true,"reason":"a\\u0000b"}' >"$dir/body-nul"
		printf '\002sgt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' >"$dir/token"
		printf '\003[::1]:8080' >"$dir/listen6"
		printf '\003127.0.0.1:0' >"$dir/listen4" ;;
	config)
		# The first byte picks: 0 a store URL, 1 a duration, 2 a webhook, 3 an instance.
		printf '\000postgresql://sgapp:se?cret@db.internal:5432/shipgate?sslmode=verify-full' >"$dir/url"
		printf '\000postgres:///db?host=/run/postgresql&password=s%%65cret&options=-csearch_path%%3Dx' >"$dir/url-param"
		printf '\001366d' >"$dir/duration"
		printf '\002https://hooks.example/sla' >"$dir/webhook"
		printf '\003ci-7:1234' >"$dir/instance" ;;
	pathnorm)
		printf 'file:///C:/src/a.c' >"$dir/drive"
		printf 'src/%%20a/../b.c\nfile:///home/ci/' >"$dir/base"
		printf 'file://host/share/x' >"$dir/unc" ;;
	esac
	echo "$dir"
}

status=0

echo "fuzz: replaying corpora under gcc with ASan and UBSan"
SAN="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
objs=$(build_objects gcc "$SAN" "$OUT/obj-gcc") || exit 1
for t in $TARGETS; do
	gcc -std=c17 -D_GNU_SOURCE $SAN -Isrc $PKG_CFLAGS fuzz/fuzz_$t.c fuzz/standalone.c $objs $LIBS \
		-o "$OUT/fuzz_${t}_replay" || { status=1; continue; }
	dir=$(seeds "$t")
	if ! ASAN_OPTIONS=detect_leaks=1 "$OUT/fuzz_${t}_replay" "$dir" | sed "s/^/fuzz: $t: /"; then
		echo "fuzz: $t: replay FAILED"
		status=1
	fi
done
[ "$mode" = replay ] && exit $status

if ! command -v clang >/dev/null; then
	echo "fuzz: clang is missing; libFuzzer runs skipped"
	exit 1
fi
echo "fuzz: libFuzzer, $seconds s per target"
FZ="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
objs=$(build_objects clang "$FZ" "$OUT/obj-clang") || exit 1
for t in $TARGETS; do
	clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc $PKG_CFLAGS fuzz/fuzz_$t.c $objs $LIBS -o "$OUT/fuzz_$t" || { status=1; continue; }
	mkdir -p "$OUT/new/$t"
	dir=$(seeds "$t")
	log="$OUT/fuzz_$t.log"
	if "$OUT/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
		-artifact_prefix="$OUT/crashes/$t-" -print_final_stats=1 "$OUT/new/$t" "$dir" >"$log" 2>&1; then
		echo "fuzz: $t: $(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}') runs, no crash" \
			"($(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 | grep -oE 'cov: [0-9]+'))"
	else
		echo "fuzz: $t: FAILED (see $log and $OUT/crashes/)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
		status=1
	fi
done
exit $status
