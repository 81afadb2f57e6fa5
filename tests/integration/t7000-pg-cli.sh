#!/usr/bin/env bash
# The command line on a PostgreSQL store (postgresql://...): the flows of
# t0100-t4200 - init, ingest sarif (the whole shared SARIF corpus and the
# journeys of t1000), findings list/show/triage, release create, gate (block
# and pass, every format), sla, users, keys, exceptions (request, approve,
# revoke), tokens and grants, audit log and audit verify - each run twice,
# once on a SQLite store and once on PostgreSQL, from twin working
# directories. Every verb must give the same exit status, stdout and stderr
# on both, ids and times aside (norm.py below says what is set aside).
# Then, on a cluster of its own listening on TCP with TLS and a password:
# a password in the URL never shows in any output or error, and sslmode
# verify-full works with the right root certificate and fails (exit 3,
# [store-unavailable], a message naming the certificate) with a wrong one.
#
# PostgreSQL: the main flows in a database of their own on the suite's
# cluster ($SG_TEST_PG_URL, scripts/test.sh) if there is one, else on the
# cluster this test starts anyway for the TLS part (tests/lib/pgcluster.sh);
# the store in a schema of that database (options=-csearch_path).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"
. "$ROOT/tests/lib/pgcluster.sh"

FF=$CORPUS/tools/flawfinder/vuln.sarif
CLANG=$CORPUS/tools/clang-analyzer/vuln.sarif
DEMO=$ROOT/examples/demo-app/scans/flawfinder.sarif
T0=2030-03-10T12:00:00Z
export SHIPGATE_NOW=$T0
day() { date -u -d "2030-03-10 +$1 days" +%F; }

PGDIR=$TEST_DIR/pg
SCHEMA=sg_t7000_$$
SHARED_URL=${SG_TEST_PG_URL:-} # the suite's cluster: a base URL, no database
SHARED_DB=sg_t7000_$$
PSQL=psql
[ -n "${SG_TEST_PG_BIN:-}" ] && PSQL=$SG_TEST_PG_BIN/psql
# The cluster's directory is under $TEST_DIR, which the postgres user must
# be able to enter (mktemp made it 0700).
chmod 711 "$TEST_DIR"
cleanup() {
	server_cleanup
	if [ -n "$SHARED_URL" ]; then
		pq "$SHARED_URL/postgres" "DROP DATABASE IF EXISTS $SHARED_DB WITH (FORCE)" >/dev/null 2>&1
	fi
	pg_cluster_stop "$PGDIR"
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

# pq URL SQL: one query through psql, values unaligned, no headers
pq() { "$PSQL" -XAtq -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
# with_param URL KEY=VALUE: the URL with one more query parameter
with_param() { case "$1" in *\?*) printf '%s&%s' "$1" "$2" ;; *) printf '%s?%s' "$1" "$2" ;; esac; }

if ! PG_FAST=1 pg_cluster_start "$PGDIR" tcp >"$TEST_DIR/pgcluster.log" 2>&1; then
	not_ok "a PostgreSQL cluster starts (tests/lib/pgcluster.sh)"
	sed 's/^/#   /' "$TEST_DIR/pgcluster.log"
	exit 1
fi
ok "a throwaway PostgreSQL cluster listens on 127.0.0.1:$PG_PORT and on its socket"
pg_cluster_create_db t7000 || { not_ok "createdb t7000"; exit 1; }
# The libpq URL form with the socket directory as a parameter.
SOCKET_URL="postgresql:///t7000?host=$PG_SOCK&port=$PG_PORT&user=postgres"
if [ -n "$SHARED_URL" ] && pq "$SHARED_URL/postgres" "CREATE DATABASE $SHARED_DB"; then
	BASE_URL=$SHARED_URL/$SHARED_DB
	echo "# main flows on \$SG_TEST_PG_URL, database $SHARED_DB, schema $SCHEMA"
else
	BASE_URL=$SOCKET_URL
	echo "# main flows on this test's own cluster, schema $SCHEMA"
fi
pq "$BASE_URL" "CREATE SCHEMA $SCHEMA" || { not_ok "CREATE SCHEMA $SCHEMA"; exit 1; }
PG_DB=$(with_param "$BASE_URL" "options=-csearch_path%3D$SCHEMA")
prows() { pq "$PG_DB" "$1"; }

# =====================================================================================
# the twin runs
# =====================================================================================
LW=$TEST_DIR/lite # the SQLite store's working directory
PW=$TEST_DIR/pgw  # PostgreSQL's
KEYS=$TEST_DIR/keys
mkdir -p "$LW" "$PW" "$KEYS" "$TEST_DIR/cmp"
LITE_DB=sqlite:$LW/store.db
declare -A L P # per-store values (ids), for @NAME@ in the arguments of `both`

# What differs between the two stores by design is set aside: the store's
# name, the working directory, tokens (random), and - only when the outputs
# are not already equal without that - ids, times and the hashes that cover
# them. It says "exact" when no id or time had to be set aside.
cat >"$TEST_DIR/norm.py" <<'EOF'
import json, re, sys

def names(text, subs):
    for old, new in subs:
        text = text.replace(old, new)
    # The PostgreSQL store's name is libpq's reading of the URL, not the URL.
    text = re.sub(r"postgresql://[^\s\]]*( options=[^\s:\]]*)?", "<store>", text)
    return re.sub(r"sgt_[A-Za-z0-9_-]{8,43}", "<token>", text)

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
ID_KEYS = {"id", "finding", "scan", "first_seen_scan", "last_seen_scan", "duplicate_of", "object_id",
           "exception", "ingest", "release", "token", "key"}
TEXT_IDS = [
    (re.compile(r"#\d+"), "#<id>"),
    (re.compile(r"\b(finding|findings|scan|scans|exception|token|ingest|release|event|grant|key)( |s )(\d+)\b"), r"\1\2<id>"),
    (re.compile(r"(?m)^\| *\d+ *\|"), "| <id> |"),
    (re.compile(r"\bscan \(\d+,"), "scan (<id>,"),
    (re.compile(r'"(id|ingest|finding|scan|exception|token|release|key|object_id|[a-z_]+_id)":\d+'), r'"\1":"<id>"'),
    (re.compile(r"(?m)^(id|finding): \d+$"), r"\1: <id>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<hash>"),
    (re.compile(r"(?m)^(\d+ +\S+ +\S+ .*  )[0-9a-f]{16}$"), r"\1<hash>"),
]

def text_ids(s):
    s = TIME.sub("<time>", s)
    for rx, rep in TEXT_IDS:
        s = rx.sub(rep, s)
    return s

def walk(v, key=None):
    if isinstance(v, dict):
        return {k: walk(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [walk(x, key) for x in v]
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int) and key is not None and (key in ID_KEYS or key.endswith("_id")):
        return "<id>"
    if key == "signature" and isinstance(v, str):
        return "<signature over ids>"
    if isinstance(v, str):
        if v[:1] in "{[":
            try:
                return json.dumps(walk(json.loads(v)))
            except ValueError:
                pass
        return text_ids(v)
    return v

def deep(text):
    try:
        return json.dumps(walk(json.loads(text)), indent=1)
    except ValueError:
        return text_ids(text)

args = sys.argv[1:]
files, subs = args[:4], [(args[i], args[i + 1]) for i in range(4, len(args), 2)]
lo, po, le, pe = (names(open(f, encoding="utf-8", errors="replace").read(), subs) for f in files)
if lo == po and le == pe:
    print("exact")
    sys.exit(0)
if deep(lo) == deep(po) and deep(le) == deep(pe):
    print("ids and times aside")
    sys.exit(0)
import difflib
def items(text):
    try:
        d = walk(json.loads(text))
    except ValueError:
        return None
    return sorted(json.dumps(x, sort_keys=True) for x in d) if isinstance(d, list) else None
if le == pe and items(lo) is not None and items(lo) == items(po):
    print("the same %d items, ids aside, in another order" % len(items(lo)))
for a, b, what in ((lo, po, "stdout"), (le, pe, "stderr")):
    a, b = deep(a), deep(b)
    if a != b:
        d = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "sqlite " + what, "postgresql " + what, lineterm="", n=1))
        print("\n".join(d[:24]))
sys.exit(1)
EOF

N_BOTH=0
N_EXACT=0
# python3 itself, not a version manager's shim (it runs once a twin run)
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=python3
# run_on L|P ARGS...: shipgate on one store, from its working directory
run_on() {
	local side=$1 dir db a name val args=()
	shift
	if [ "$side" = L ]; then dir=$LW db=$LITE_DB; else dir=$PW db=$PG_DB; fi
	for a in "$@"; do
		while [[ $a =~ @([A-Za-z0-9_]+)@ ]]; do
			name=${BASH_REMATCH[1]}
			if [ "$side" = L ]; then val=${L[$name]:-}; else val=${P[$name]:-}; fi
			a=${a//@$name@/$val}
		done
		args+=("$a")
	done
	(cd "$dir" && exec "$SG_BIN" --db "$db" "${args[@]}") >"$TEST_DIR/.$side.out" 2>"$TEST_DIR/.$side.err"
	R_RC=$?
	if [ "$R_RC" -ge 99 ]; then
		echo "# shipgate $* on $side crashed or a sanitizer fired (exit $R_RC):"
		sed 's/^/#   /' "$TEST_DIR/.$side.err" | head -20
	fi
}
# compare: the last twin runs agree (sets SAME to exact / aside / '')
compare() {
	local why
	N_BOTH=$((N_BOTH + 1))
	cp "$TEST_DIR/.L.out" "$TEST_DIR/cmp/$N_BOTH.lite.out"
	cp "$TEST_DIR/.P.out" "$TEST_DIR/cmp/$N_BOTH.pg.out"
	SAME=
	if [ "$LITE_RC" != "$SG_RC" ]; then
		WHY="exit $LITE_RC on SQLite, $SG_RC on PostgreSQL; PostgreSQL said: $(head -c 300 "$TEST_DIR/.P.err")"
		return 1
	fi
	if cmp -s "$TEST_DIR/.L.out" "$TEST_DIR/.P.out" && cmp -s "$TEST_DIR/.L.err" "$TEST_DIR/.P.err"; then
		SAME=exact
		N_EXACT=$((N_EXACT + 1))
		return 0
	fi
	if why=$("$PY" "$TEST_DIR/norm.py" "$TEST_DIR/.L.out" "$TEST_DIR/.P.out" "$TEST_DIR/.L.err" "$TEST_DIR/.P.err" \
		"$LITE_DB" "<store>" "$PG_DB" "<store>" "$LW" "<dir>" "$PW" "<dir>" "$TEST_DIR" "<test>"); then
		SAME=$why
		[ "$why" = exact ] && N_EXACT=$((N_EXACT + 1))
		return 0
	fi
	WHY=$why
	return 1
}
# both WHAT ARGS...: run ARGS on both stores, check that they agree; the
# PostgreSQL run's results are SG_RC/SG_OUT/SG_ERR (for expect_*), SQLite's
# LITE_RC/LITE_OUT.
both() {
	local what=$1
	shift
	run_on L "$@"
	LITE_RC=$R_RC
	LITE_OUT=$(cat "$TEST_DIR/.L.out")
	run_on P "$@"
	SG_RC=$R_RC
	SG_OUT=$(cat "$TEST_DIR/.P.out")
	SG_ERR=$(cat "$TEST_DIR/.P.err")
	[ -z "$what" ] && return 0
	if compare; then ok "$what: the same on PostgreSQL as on SQLite (exit $SG_RC; $SAME)"; else
		not_ok "$what: the same on PostgreSQL as on SQLite"
		printf '%s\n' "$WHY" | head -30 | sed 's/^/#   /'
	fi
}
# both_at TIME WHAT ARGS...: both with the clock at TIME
both_at() {
	local t=$1
	shift
	SHIPGATE_NOW=$t both "$@"
}
# keep NAME: the last twin runs' stdouts become @NAME@
keep() {
	L[$1]=$LITE_OUT
	P[$1]=$SG_OUT
}
# pick NAME PYEXPR: @NAME@ is PYEXPR over each side's last stdout (parsed JSON: d)
pick() {
	L[$1]=$("$PY" -c "import json, sys; d = json.load(sys.stdin); print($2)" <<<"$LITE_OUT")
	P[$1]=$("$PY" -c "import json, sys; d = json.load(sys.stdin); print($2)" <<<"$SG_OUT")
}
py() { "$PY" -c "import json, sys; d = json.load(sys.stdin); $1" <<<"$SG_OUT"; }
# in_both CMD...: a command run in each working directory (files, not the store)
in_both() { (cd "$LW" && "$@") && (cd "$PW" && "$@"); }

# =====================================================================================
# before init; init
# =====================================================================================
run_on P findings --product demo
check "findings on an empty PostgreSQL schema exits 2 and says to run shipgate init" \
	bash -c '[ "$1" = 2 ] && grep -q "shipgate init" "$2"' _ "$R_RC" "$TEST_DIR/.P.err"
expect_eq "$(prows "SELECT count(*) FROM pg_tables WHERE schemaname = '$SCHEMA'")" "0" "... and creates no table"

both "init" init
expect_rc 0 "init on PostgreSQL exits 0"
expect_out "store ready: postgresql:" "init names the PostgreSQL store"
expect_eq "$(prows "SELECT application || ' ' || version FROM shipgate_schema")" \
	"shipgate $(prows "SELECT max(version) FROM shipgate_schema")" "the schema holds a shipgate store"
both "init again" init
expect_out "kept" "init again keeps shipgate.yml"
# Clause sca wants an SBOM, which this test does not ingest (as t2000).
in_both bash -c '"$1" policy show | sed "/^  sca:$/,+2d" >nosca.yml && mv nosca.yml shipgate.yml' _ "$SG_BIN"
check "both working directories have the starter policy without clause sca" \
	bash -c 'cmp -s "$1/shipgate.yml" "$2/shipgate.yml" && ! grep -q "sca:" "$1/shipgate.yml"' _ "$LW" "$PW"

# =====================================================================================
# ingest sarif: every file of the shared corpus
# =====================================================================================
(
	cd "$CORPUS" || exit 1
	find sarif -type f \( -name '*.sarif' -o -name '*.json' \) -not -path 'sarif/schema/*'
	find tools -type f -name '*.sarif'
) | LC_ALL=C sort >corpus-files.txt
check "the shared corpus holds SARIF files ($(wc -l <corpus-files.txt))" test "$(wc -l <corpus-files.txt)" -gt 100
i=0
bad=()
ingested=()
while read -r f; do
	i=$((i + 1))
	both "" ingest sarif "$CORPUS/$f" --product "corpus-$i" --commit "$(commit_of "$f")"
	if ! compare; then
		bad+=("$f")
		printf '# %s:\n%s\n' "$f" "$(printf '%s\n' "$WHY" | head -8 | sed 's/^/#   /')"
	fi
	[ "$SG_RC" = 0 ] && ingested+=("$i")
done <corpus-files.txt
expect_eq "${#bad[@]}" 0 "ingest sarif of each of the $i corpus files: the same exit, stdout and stderr on both stores"
check "most corpus files ingest (${#ingested[@]} of $i)" test "${#ingested[@]}" -gt 50
bad=()
for i in "${ingested[@]}"; do
	both "" findings --product "corpus-$i" --status all --format json
	compare || { bad+=("corpus-$i"); printf '# corpus-%s:\n%s\n' "$i" "$(printf '%s\n' "$WHY" | head -8 | sed 's/^/#   /')"; }
done
expect_eq "${#bad[@]}" 0 "findings --status all --format json of every corpus product: the same on both stores"
bad=()
for i in "${ingested[@]:0:5}"; do
	both "" findings --product "corpus-$i"
	compare || bad+=("corpus-$i")
done
expect_eq "${#bad[@]}" 0 "findings (text) of five corpus products: the same on both stores"

# =====================================================================================
# the journeys of t1000: re-ingest, new commits, fixes, reopening, views
# =====================================================================================
C1=$(commit_of c1) C2=$(commit_of c2) C3=$(commit_of c3) C4=$(commit_of c4)
C5=$(commit_of c5) C6=$(commit_of c6) C8=$(commit_of c8)
N_FF=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$FF")
both "ingest flawfinder into demo" ingest sarif "$FF" --product demo --commit "$C1"
expect_out "$N_FF results, $N_FF new, 0 reopened" "ingest on PostgreSQL: $N_FF results, all new"
both "the same file and commit again" ingest sarif "$FF" --product demo --commit "$C1"
expect_out "already ingested" "re-ingest on PostgreSQL says already ingested"
both "the same commit in upper case" ingest sarif "$FF" --product demo --commit "$(tr a-f A-F <<<"$C1")"
both "the same file for a new commit" ingest sarif "$FF" --product demo --commit "$C2"
python3 - "$FF" "$LW/subset.sarif" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"] = [r for i, r in enumerate(d["runs"][0]["results"]) if i not in (1, 6)]
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
python3 - "$FF" "$LW" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
for name, res in (("null", None), ("empty", [])):
    run["results"] = res
    json.dump(d, open(sys.argv[2] + "/%s.sarif" % name, "w"))
del run["results"]
json.dump(d, open(sys.argv[2] + "/absent.sarif", "w"))
EOF
python3 - "$FF" "$CLANG" "$LW/tworuns.sarif" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a["runs"].append(b["runs"][0])
json.dump(a, open(sys.argv[3], "w"))
EOF
printf '{"version": "2.1.0", "runs": [' >"$LW/trunc.sarif"
cp "$LW"/*.sarif "$PW"/
both "a subset for a new commit (two fixed)" ingest sarif subset.sarif --product demo --commit "$C3"
expect_out "2 findings fixed" "the subset fixes 2 on PostgreSQL"
both "the full file again (two reopened)" ingest sarif "$FF" --product demo --commit "$C4"
expect_out "0 new, 2 reopened" "the full file reopens 2 on PostgreSQL"
both "--kind dast --env staging" ingest sarif "$FF" --product web --commit "$C1" --kind dast --env staging
both "a dast subset into the sast product" ingest sarif subset.sarif --product demo --commit "$C5" --kind dast
both "--kind foo" ingest sarif "$FF" --product demo --commit "$C6" --kind foo
expect_rc 2 "--kind foo exits 2 on PostgreSQL"
both "--commit xyz" ingest sarif "$FF" --product demo --commit xyz
both "results null" ingest sarif null.sarif --product demo --commit "$C6"
both "results absent" ingest sarif absent.sarif --product demo --commit "$C6"
both "results [] fixes the whole view" ingest sarif empty.sarif --product web --commit "$C2" --kind dast --env staging
expect_out "$N_FF findings fixed" "results [] fixes every finding of the view on PostgreSQL"
both "--category other" ingest sarif subset.sarif --product cat --commit "$C2" --category other
both "--category other, empty" ingest sarif empty.sarif --product cat --commit "$C3" --category other
both "two runs of two tools in one log" ingest sarif tworuns.sarif --product two --commit "$C1"
both "two files, the second truncated" ingest sarif "$FF" trunc.sarif --product demo --commit "$C8"
expect_rc 2 "two files, one truncated: exit 2 on PostgreSQL"
expect_err "[json-truncated]" "... [json-truncated]"
both "two files, the second missing, a new product" ingest sarif "$FF" missing.sarif --product brandnew --commit "$C8"
expect_eq "$(prows "SELECT count(*) FROM product WHERE name = 'brandnew'")" "0" "a refused ingest leaves no product row on PostgreSQL"
both "two good files in one ingest" ingest sarif "$FF" "$CLANG" --product pair --commit "$C1"
expect_eq "$(prows "SELECT count(*) || '/' || count(DISTINCT ingest_id) FROM scan s JOIN product p ON p.id = s.product_id WHERE p.name = 'pair'")" \
	"2/1" "two good files: two scans of one ingest on PostgreSQL"

# =====================================================================================
# release create; ingest --release
# =====================================================================================
both "release create demo 1.0" release create demo 1.0 --commit "$C8"
expect_rc 0 "release create on PostgreSQL exits 0"
both "release create demo 1.0 again" release create demo 1.0 --commit "$C8"
check "a second release 1.0 is refused on PostgreSQL (exit $SG_RC)" test "$SG_RC" != 0
both "release create of a bad commit" release create demo 1.1 --commit nothex
both "ingest --release without --commit" ingest sarif "$FF" --product demo --release 1.0
both "ingest --release with a mismatching --commit" ingest sarif subset.sarif --product demo --release 1.0 --commit "$C1"
both "ingest --release with a 7-hex prefix" ingest sarif "$FF" --product demo --release 1.0 --commit "${C8:0:7}"
both "ingest --release of an unknown release" ingest sarif "$FF" --product demo --release 9.9

# =====================================================================================
# findings list / show / triage
# =====================================================================================
both "findings (text)" findings --product demo
both "findings --status all --format json" findings --product demo --status all --format json
pick FA "min(f['id'] for f in d if f['status'] == 'open' and f['severity'] == 'high')"
pick FB "max(f['id'] for f in d if f['severity'] == 'low')"
check "finding ids found (SQLite #${L[FA]} #${L[FB]}, PostgreSQL #${P[FA]} #${P[FB]})" \
	test -n "${L[FA]}" -a -n "${P[FA]}" -a -n "${L[FB]}" -a -n "${P[FB]}"
both "findings list --severity high --format json" findings list --product demo --severity high --format json
both "findings --status fixed" findings --product web --status fixed
both "findings --severity bogus" findings --product demo --severity bogus
both "findings of an unknown product" findings --product nosuch
both "findings show (text)" findings show @FA@
both "findings show --format json" findings show @FA@ --format json
both "findings show of a missing finding" findings show 999999
expect_rc 2 "findings show 999999 exits 2 on PostgreSQL"
both "findings triage without --reason" findings triage @FB@ --status false_positive
both "findings triage --status fixed" findings triage @FB@ --status fixed --reason "I fixed it"
both "findings triage --status false_positive" findings triage @FB@ --status false_positive --reason "system() gets a constant here"
expect_rc 0 "triage on PostgreSQL exits 0"
expect_eq "$(prows "SELECT status FROM finding WHERE id = ${P[FB]}")" "false_positive" "the triaged finding is false_positive in PostgreSQL"
both "findings triage to the same status" findings triage @FB@ --status false_positive --reason again
both "findings triage back to open" findings triage @FB@ --status open --reason "reachable after all"
both "findings show of the triaged finding" findings show @FB@ --format json
expect_eq "$(py 'print(",".join(e["event"] for e in d["events"]))')" "opened,triaged,triaged" "its history on PostgreSQL: opened, triaged, triaged"
both "findings triage of a missing finding" findings triage 999999 --status false_positive --reason x

# =====================================================================================
# gate: block, then pass
# =====================================================================================
for fmt in text json markdown junit sarif; do
	both "gate --format $fmt (block)" gate --product demo --format "$fmt"
done
expect_rc 1 "the gate blocks on PostgreSQL (exit 1)"
both "gate --format json (block)" gate --product demo --format json
expect_eq "$(py 'print(d["verdict"], [c["status"] for c in d["clauses"]][0])')" "block fail" "PostgreSQL: verdict block, remediate.release fails"
both "gate --release 1.0" gate --product demo --release 1.0 --format json
both "gate of an unknown product" gate --product nope
both "gate of an unknown release" gate --product demo --release 9.9
both "gate --format foo" gate --product demo --format foo
# triage every open high finding: the gate passes
both "" findings --product demo --severity high --format json
pick HIGHS "' '.join(str(f['id']) for f in d if f['status'] == 'open')"
check "open high findings to triage (${P[HIGHS]})" test -n "${P[HIGHS]}"
n=$(wc -w <<<"${P[HIGHS]}")
for ((j = 1; j <= n; j++)); do
	L[H]=$(cut -d' ' -f$j <<<"${L[HIGHS]}")
	P[H]=$(cut -d' ' -f$j <<<"${P[HIGHS]}")
	both "triage high finding $j of $n" findings triage @H@ --status false_positive --reason "test: not reachable"
done
for fmt in text json markdown junit sarif; do
	both "gate --format $fmt (pass)" gate --product demo --format "$fmt"
done
expect_rc 0 "the gate passes on PostgreSQL (exit 0)"
C7=$(commit_of c7)
both "release create demo 2.0" release create demo 2.0 --commit "$C7"
both "gate --release 2.0 without its SAST scan" gate --product demo --release 2.0 --format json
expect_rc 1 "[sast] gate --release 2.0 blocks on PostgreSQL"
both "ingest for the release commit" ingest sarif "$FF" --product demo --commit "$C7"
both "gate --release 2.0 with its SAST scan" gate --product demo --release 2.0
both_at 2030-03-30T00:00:00Z "gate with a stale scan (day 20)" gate --product demo --format json
expect_rc 1 "[sast] a stale scan blocks on PostgreSQL"

# =====================================================================================
# sla
# =====================================================================================
both "ingest the demo app's SARIF" ingest sarif "$DEMO" --product app --commit abcdef1
for when in "25:2030-04-04T12:00:00Z" "30:2030-04-09T12:00:00Z" "31:2030-04-10T12:00:00Z" "91:2030-06-09T12:00:00Z"; do
	both_at "${when#*:}" "sla on day ${when%%:*} (text)" sla --product app
	both_at "${when#*:}" "sla on day ${when%%:*} (json)" sla --product app --format json
done
expect_rc 1 "sla with overdue findings exits 1 on PostgreSQL"
expect_eq "$(py 'print(d["overdue"]["high"], d["overdue"]["medium"], d["blocking_overdue"])')" "8 3 8" \
	"sla on day 91 on PostgreSQL: 8 high and 3 medium overdue"
both_at 2030-04-10T12:00:00Z "gate on day 31 ([remediate.sla])" gate --product app --format json
both "sla of an unknown product" sla --product nosuch --format json

# =====================================================================================
# people, keys, exceptions
# =====================================================================================
for who in alice carol dave sam; do
	"$SG_BIN" key generate --out "$KEYS/$who.key" >/dev/null 2>&1 || not_ok "key generate $who.key"
done
for u in alice:developer carol:cto dave:cto sam:security vic:viewer; do
	both "user add ${u%%:*}" user add "${u%%:*}" --role "${u#*:}"
done
both "user add of an existing user" user add alice --role cto
both "user add --role wizard" user add bob --role wizard
for who in alice carol dave sam; do
	both "user key $who" user key "$who" --public "../keys/$who.key.pub"
done
both "user key of an unknown user" user key nobody --public ../keys/sam.key.pub
both "user key of a key registered already" user key dave --public ../keys/carol.key.pub
both "user list" user list
both "exception request (rule)" exception request --rule Flawfinder:FF1001 --product app --reason "sized by the caller" --expires "$(day 30)" --as alice
expect_rc 0 "exception request on PostgreSQL exits 0"
keep E1
both "exception request (finding)" exception request --finding @FA@ --product demo --reason "not reachable" --expires "$(day 20)" --as alice
keep E2
both "exception request (every product)" exception request --rule Flawfinder:FF1015 --all-products --reason "everywhere" --expires "$(day 40)" --as alice
keep E3
both "exception request by a viewer" exception request --rule Flawfinder:FF1017 --product app --reason x --expires "$(day 5)" --as vic
both "exception request past exception_max_days" exception request --rule Flawfinder:FF1017 --product app --reason x --expires "$(day 400)" --as alice
both "exception list (three pending)" exception list --format json
both "exception payload" exception payload @E1@
both "exception approve by its requester (a developer)" exception approve @E1@ --as alice --key ../keys/alice.key
expect_rc 1 "an approval by a developer is refused on PostgreSQL (exit 1)"
both "exception approve with another's key" exception approve @E1@ --as carol --key ../keys/dave.key
both "exception approve --as carol --key" exception approve @E1@ --as carol --key ../keys/carol.key
expect_rc 0 "carol approves on PostgreSQL"
both "exception approve twice" exception approve @E1@ --as dave --key ../keys/dave.key
# an approval signed offline: the payload from the store, signed by the key alone
run_on P exception payload "${P[E2]}"
cp "$TEST_DIR/.P.out" "$PW/p2.txt"
run_on L exception payload "${L[E2]}"
cp "$TEST_DIR/.L.out" "$LW/p2.txt"
: >"$TEST_DIR/empty"
check "the payloads to sign are the same on both stores (ids aside)" \
	"$PY" "$TEST_DIR/norm.py" "$LW/p2.txt" "$PW/p2.txt" "$TEST_DIR/empty" "$TEST_DIR/empty"
in_both bash -c '"$1" key sign --key ../keys/dave.key p2.txt >p2.sig' _ "$SG_BIN"
both "exception approve --signature (signed offline)" exception approve @E2@ --as dave --signature p2.sig
expect_rc 0 "an offline signature approves on PostgreSQL"
both "exception approve (every product)" exception approve @E3@ --as carol --key ../keys/carol.key
both "gate with waivers" gate --product app --format json
check "PostgreSQL: the gate waives the FF1001 findings of app" py 'sys.exit(0 if any(w["rule"] == "FF1001" for w in d["waived_findings"]) else 1)'
both "gate with waivers (text)" gate --product app
both "exception revoke by sam (security)" exception revoke @E3@ --as sam --reason "no longer needed"
expect_rc 0 "revoke on PostgreSQL exits 0"
both "exception revoke again" exception revoke @E3@ --as sam --reason again
both "exception revoke by a viewer" exception revoke @E1@ --as vic --reason x
for st in pending active revoked expired; do
	both "exception list --status $st" exception list --status "$st" --format json
done
both_at "$(day 25)T00:00:00Z" "exception list --status expired on day 25" exception list --status expired --format json
both "exception list (text)" exception list
both "exception list --product app" exception list --product app --format json
both "exception list --product nosuch" exception list --product nosuch --format json
both_at "$(day 25)T00:00:00Z" "gate on day 25 (E2 expired)" gate --product demo --format json

# =====================================================================================
# tokens and grants
# =====================================================================================
both "token create --user alice" token create --user alice
expect_rc 0 "token create on PostgreSQL exits 0"
TOK=$SG_OUT
check "the token is of its shape" grep -Eq '^sgt_[A-Za-z0-9_-]{43}$' <<<"$TOK"
expect_eq "$(prows "SELECT encode(sha256, 'hex') FROM api_token ORDER BY id DESC LIMIT 1")" \
	"$(printf '%s' "$TOK" | sha256sum | cut -c1-64)" "PostgreSQL keeps the token's SHA-256"
both "token create --expires" token create --user carol --expires "$(day 30)"
both "token create for an unknown user" token create --user mallory
both "token list" token list
both "token list --format json" token list --format json
both "token revoke 2" token revoke 2
both "token revoke 2 again" token revoke 2
both "token revoke of an unknown token" token revoke 999
both "user grant" user grant alice --product web
both "user grant again" user grant alice --product web
both "user grant of another product" user grant alice --product api
both "user revoke-grant" user revoke-grant alice --product api
both "user revoke-grant of a grant not there" user revoke-grant alice --product api
both "user list with grants" user list

# =====================================================================================
# the ledger
# =====================================================================================
both "audit log --format json" audit log --format json
check "the PostgreSQL ledger: seq 1..N, each prev_hash the hash before" \
	py 'assert [e["seq"] for e in d] == list(range(1, len(d) + 1)); assert all(d[i]["prev_hash"] == d[i-1]["hash"] for i in range(1, len(d)))'
expect_eq "$(py 'print(len(d))')" "$(prows "SELECT count(*) FROM audit_event")" "audit log lists every audit_event row"
both "audit log (text)" audit log
both "audit log --since" audit log --since 2030-03-10 --format json
both "audit log --since a bad date" audit log --since 2030-13-01
both "audit verify" audit verify
expect_rc 0 "audit verify passes on PostgreSQL"
expect_out "3 approval signatures verify" "audit verify checks the three approval signatures on PostgreSQL"
L[HEAD]=$(sed -n 's/^head //p' <<<"$LITE_OUT")
P[HEAD]=$(sed -n 's/^head //p' <<<"$SG_OUT")
both "audit verify --anchor the head" audit verify --anchor @HEAD@
both "audit verify --anchor a wrong hash" audit verify --anchor "$(printf '%064d' 0)"

# tampering is seen on PostgreSQL too (the ledger vouches for the rows)
prows "UPDATE exception SET reason = 'x' WHERE id = ${P[E1]}" >/dev/null
run_on P audit verify
check "audit verify fails after an exception's reason is altered in PostgreSQL (exit $R_RC)" \
	bash -c '[ "$1" = 1 ] && grep -q "audit-broken" "$2"' _ "$R_RC" "$TEST_DIR/.P.err"
prows "UPDATE exception SET reason = 'sized by the caller' WHERE id = ${P[E1]}" >/dev/null
run_on P audit verify
expect_eq "$R_RC" 0 "... and passes once it is put back"

# the same rows in both stores
tables="product ingest scan finding finding_event release principal principal_key exception audit_event api_token product_grant"
same_counts=1
for t in $tables; do
	a=$(sqlite3 "$LW/store.db" "SELECT count(*) FROM $t")
	b=$(prows "SELECT count(*) FROM $t")
	[ "$a" = "$b" ] || { same_counts=0; echo "# table $t: $a rows on SQLite, $b on PostgreSQL"; }
done
check "every table has as many rows on PostgreSQL as on SQLite" test "$same_counts" = 1
expect_eq "$(prows "SELECT string_agg(status || ':' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) n FROM finding GROUP BY status) x")" \
	"$(sqlite3 "$LW/store.db" "SELECT group_concat(status || ':' || n, ' ') FROM (SELECT status, count(*) n FROM finding GROUP BY status ORDER BY status)")" \
	"findings by status: the same on both stores"
echo "# $N_BOTH twin runs, $N_EXACT of them byte for byte the same (store names and tokens aside)"

# =====================================================================================
# a password in the URL; TLS (sslmode=verify-full)
# =====================================================================================
TLS=$TEST_DIR/tls
mkdir -p "$TLS"
mkcert() { # mkcert NAME CN: a self-signed certificate for 127.0.0.1 and localhost
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		-keyout "$TLS/$1.key" -out "$TLS/$1.crt" >/dev/null 2>&1
}
check "openssl makes the server's self-signed certificate" mkcert server localhost
check "openssl makes another, unrelated certificate" mkcert other localhost
cp "$TLS/server.crt" "$TLS/server.key" "$PG_SOCK/data/"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_SOCK/data/server.crt" "$PG_SOCK/data/server.key"
chmod 600 "$PG_SOCK/data/server.key"
{
	echo "ssl = on"
	echo "ssl_cert_file = 'server.crt'"
	echo "ssl_key_file = 'server.key'"
} >>"$PG_SOCK/data/postgresql.conf"
# TCP only with TLS: a connection that got through used it.
sed -i 's/^host\([[:space:]]\)/hostssl\1/' "$PG_SOCK/data/pg_hba.conf"
pg_cluster_psql -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
expect_eq "$(pg_cluster_psql -At -c 'SHOW ssl')" "on" "the cluster serves TLS after a reload"
# A role of the store's own, with a password full of URL syntax.
SECRET='Pa55:w/rd@x?y&z%q'
SECRET_ENC='Pa55%3Aw%2Frd%40x%3Fy%26z%25q'
pg_cluster_psql -c "CREATE ROLE sgapp LOGIN PASSWORD 'Pa55:w/rd@x?y&z%q'" -c "CREATE DATABASE tls OWNER sgapp" >/dev/null ||
	not_ok "a role sgapp and its database tls"
TCP=127.0.0.1:$PG_PORT
CA="sslmode=verify-full&sslrootcert=$TLS/server.crt"
PW_URL="postgresql://sgapp:$SECRET_ENC@$TCP/tls?$CA"
PW_PARAM_URL="postgresql://sgapp@$TCP/tls?password=$SECRET_ENC&$CA"
WRONG_CA_URL="postgresql://sgapp:$SECRET_ENC@$TCP/tls?sslmode=verify-full&sslrootcert=$TLS/other.crt"
NO_TLS_URL="postgresql://sgapp:$SECRET_ENC@$TCP/tls?sslmode=disable"
BAD_PW_URL="postgresql://sgapp:Wr0ngSecretWord@$TCP/tls?$CA"
mkdir -p "$TEST_DIR/tlsw"
cd "$TEST_DIR/tlsw" || exit 1
ALL_OUT=$TEST_DIR/all-output.txt
: >"$ALL_OUT"
# tsg WHAT URL ARGS...: shipgate on URL; its output is kept for the leak check
tsg() {
	local url=$2
	shift 2
	sg --db "$url" "$@"
	printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL_OUT"
}
no_secret() { # no_secret WHAT TEXT
	case "$2" in
	*"$SECRET"* | *"$SECRET_ENC"* | *Pa55* | *Wr0ngSecretWord*) not_ok "$1: no password in it"; printf '%s\n' "$2" | grep -n 'Pa55\|Wr0ng' | head -3 | sed 's/^/#   /' ;;
	*) ok "$1: no password in it" ;;
	esac
}
tsg init "$PW_URL" init
expect_rc 0 "init over TLS (verify-full) with a password in the URL"
expect_out "store ready: postgresql://sgapp@$TCP/tls" "init names the store: user, host and database, no password"
no_secret "init's output" "$SG_OUT$SG_ERR"
tsg ingest "$PW_URL" ingest sarif "$FF" --product demo --commit "$C1"
expect_rc 0 "ingest over TLS"
tsg findings "$PW_URL" findings --product demo
expect_rc 0 "findings over TLS"
tsg gate "$PW_URL" gate --product demo --format json
expect_rc 1 "gate over TLS (blocks)"
tsg "audit log" "$PW_URL" audit log --format json
tsg "audit verify" "$PW_URL" audit verify
expect_rc 0 "audit verify over TLS"
tsg "findings show" "$PW_URL" findings show 999999
expect_rc 2 "an error over TLS: findings show 999999 exits 2"
no_secret "the not-found error" "$SG_ERR"
tsg "an unknown product" "$PW_URL" findings --product nosuch
expect_rc 2 "an unknown product exits 2"
no_secret "its error" "$SG_ERR"
tsg "release twice" "$PW_URL" release create demo 1.0 --commit "$C1"
tsg "release twice" "$PW_URL" release create demo 1.0 --commit "$C1"
no_secret "a conflict's error" "$SG_ERR"
tsg "password=" "$PW_PARAM_URL" findings --product demo --format json
expect_rc 0 "the password as a password= parameter works too"
tsg "password= error" "$PW_PARAM_URL" findings --product nosuch
no_secret "an error with a password= URL" "$SG_ERR"
tsg "wrong root" "$WRONG_CA_URL" findings --product demo
expect_rc 3 "verify-full with a wrong root certificate exits 3"
expect_err "[store-unavailable]" "... [store-unavailable]"
check "... and says why: the certificate does not verify" grep -qi 'certificate' <<<"$SG_ERR"
echo "# $(head -1 <<<"$SG_ERR")"
no_secret "the certificate error" "$SG_ERR"
expect_eq "$SG_OUT" "" "... and prints nothing on stdout"
tsg "no TLS" "$NO_TLS_URL" findings --product demo
expect_rc 3 "sslmode=disable is refused by the hostssl-only server: exit 3"
no_secret "the refusal" "$SG_ERR"
tsg "wrong password" "$BAD_PW_URL" findings --product demo
expect_rc 3 "a wrong password exits 3"
expect_err "[store-unavailable]" "... [store-unavailable]"
check "... and says the authentication failed" grep -qi 'password\|authentication' <<<"$SG_ERR"
no_secret "the authentication error" "$SG_ERR"
tsg "no such database" "postgresql://sgapp:$SECRET_ENC@$TCP/nosuchdb?$CA" init
check "a database that is not there: exit 2 or 3 ($SG_RC)" test "$SG_RC" = 2 -o "$SG_RC" = 3
no_secret "the missing database's error" "$SG_ERR"
tsg "bad URL" "postgresql://sgapp:$SECRET_ENC@$TCP/tls?sslmode=bogus" findings --product demo
check "a URL libpq refuses: exit 2 or 3 ($SG_RC)" test "$SG_RC" = 2 -o "$SG_RC" = 3
no_secret "libpq's refusal" "$SG_ERR"
SHIPGATE_DB=$PW_URL sg findings --product demo
printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL_OUT"
expect_rc 0 "\$SHIPGATE_DB with a password works"
# the server: its log and answers
sg --db "$PW_URL" user add dev --role admin
sg --db "$PW_URL" token create --user dev
API_TOKEN=$SG_OUT
SHIPGATE_DB=$PW_URL start_server --rate-limit 0 || exit 1
api GET /api/v1/products/demo/findings
expect_status 200 "a server on the TLS store with a password answers"
cat "$API_DIR/body" >>"$ALL_OUT"
api GET /api/v1/audit
cat "$API_DIR/body" >>"$ALL_OUT"
expect_eq "$(pq "postgresql:///tls?host=$PG_SOCK&port=$PG_PORT&user=postgres" \
	"SELECT (count(*) FILTER (WHERE s.ssl) > 0) || ' ' || count(*) FILTER (WHERE NOT s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'sgapp'")" \
	"true 0" "the server's connections to PostgreSQL use TLS, every one"
stop_server
unset API_TOKEN
no_secret "the server's log" "$(cat "$SERVER_LOG")"
no_secret "every output and error above" "$(cat "$ALL_OUT")"
check "the password never reached the store's own tables" \
	bash -c '"$3/pg_dump" -h "$1" -p "$2" -U postgres tls >"$4" && ! grep -q "Pa55" "$4"' _ "$PG_SOCK" "$PG_PORT" "$PG_BINDIR" "$TEST_DIR/tls.dump"
