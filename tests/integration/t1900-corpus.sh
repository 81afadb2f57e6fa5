#!/usr/bin/env bash
# Every SARIF file of the shared corpus either ingests (with the expected
# number of open findings) or is rejected with the expected diagnostic, as
# tests/corpus/sarif-expectations.tsv says and explains. A corpus file the
# table does not list is a failure, so new files get reviewed.
. "$(dirname "$0")/lib.sh"

TSV=$ROOT/tests/corpus/sarif-expectations.tsv

if [ ! -d "$CORPUS/sarif" ] || [ ! -d "$CORPUS/tools" ]; then
	not_ok "the corpus is at \$CORPUS ($CORPUS)"
	exit 0
fi
check "the expectation table exists" test -s "$TSV"

sg init
expect_rc 0 "init"

(
	cd "$CORPUS" || exit 1
	find sarif -type f \( -name '*.sarif' -o -name '*.json' \) -not -path 'sarif/schema/*'
	find tools -type f -name '*.sarif'
) | LC_ALL=C sort >corpus-files.txt
grep -v '^#' "$TSV" | grep -v '^$' | cut -f1 | LC_ALL=C sort >listed-files.txt

check "the corpus holds SARIF files ($(wc -l <corpus-files.txt))" test "$(wc -l <corpus-files.txt)" -gt 100
while read -r f; do
	not_ok "corpus file $f is listed in tests/corpus/sarif-expectations.tsv (review it and add a line)"
done < <(LC_ALL=C comm -23 corpus-files.txt listed-files.txt)
while read -r f; do
	not_ok "expectation for $f names a file that is in the corpus"
done < <(LC_ALL=C comm -13 corpus-files.txt listed-files.txt)
dups=$(uniq -d listed-files.txt)
expect_eq "$dups" "" "no file is listed twice"

i=0
while IFS=$'\t' read -r path outcome count why; do
	case $path in '' | '#'*) continue ;; esac
	[ -f "$CORPUS/$path" ] || continue
	i=$((i + 1))
	product="corpus-$i"
	before=$(rows "SELECT (SELECT count(*) FROM product)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM finding)")
	sg ingest sarif "$CORPUS/$path" --product "$product" --commit "$(commit_of "$path")"
	case $outcome in
	ingest)
		if [ "$SG_RC" != 0 ]; then
			not_ok "$path ingests ($why) (exit $SG_RC: $(head -1 <<<"$SG_ERR" | cut -c1-300))"
			continue
		fi
		got=$(rows "SELECT count(*) FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='$product' AND f.status='open'")
		if [ "$got" = "$count" ]; then ok "$path ingests: $count open findings"; else
			not_ok "$path ingests: $count open findings (got $got; $why)"
		fi
		;;
	reject:*)
		diag=${outcome#reject:}
		if [ "$SG_RC" = 2 ] && grep -qF "[$diag]" <<<"$SG_ERR"; then
			ok "$path is rejected with [$diag]"
		else
			not_ok "$path is rejected with exit 2 and [$diag] ($why) (exit $SG_RC: $(head -1 <<<"$SG_ERR" | cut -c1-300))"
		fi
		after=$(rows "SELECT (SELECT count(*) FROM product)||' '||(SELECT count(*) FROM scan)||' '||(SELECT count(*) FROM finding)")
		[ "$after" = "$before" ] || not_ok "$path rejected but wrote rows ($before -> $after)"
		;;
	*)
		not_ok "$path: unknown expectation '$outcome' in the table"
		;;
	esac
done <"$TSV"

# The store is consistent after the whole corpus: every finding points to a scan of its product.
expect_eq "$(rows "SELECT count(*) FROM finding f JOIN scan s ON s.id=f.first_seen_scan WHERE s.product_id<>f.product_id")" "0" "every finding's first scan is of its own product"
expect_eq "$(rows "PRAGMA integrity_check")" "ok" "the store passes PRAGMA integrity_check after the corpus"
expect_eq "$(rows "PRAGMA foreign_key_check")" "" "the store passes PRAGMA foreign_key_check after the corpus"
