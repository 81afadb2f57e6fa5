#!/usr/bin/env bash
# `shipgate serve` under concurrent writers, a stop and a cut-off client
# (docs/api.md "Stopping", "Uploads"; docs/concepts.md "Evidence: scans"):
# - 16 uploads at once into one product, 8 overlapping result sets each sent
#   twice: twice with the same commit (one scan, one duplicate) or with two
#   commits (two scans). Every upload is answered 200/201, the store has one
#   scan per non-duplicate upload, every result is one finding, the open
#   findings are exactly the last scan's, and the ledger verifies.
# - SIGTERM while a large upload (50,000 results) is in flight: the upload
#   finishes with 201, the server exits 0, the scan is in the store, and no
#   new connection is served meanwhile.
# - an upload cut off halfway (Content-Length of the whole, half sent, the
#   socket closed): nothing is written, the spool file is gone, the log says
#   aborted, and the server still answers.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"

SPOOL=$TEST_DIR/spool
mkdir -p "$SPOOL"
state() { rows "SELECT (SELECT count(*) FROM scan) || ' ' || (SELECT count(*) FROM ingest) || ' ' || (SELECT count(*) FROM finding) || ' ' || (SELECT count(*) FROM finding_event) || ' ' || (SELECT count(*) FROM audit_event)"; }
verify_ok() { # verify_ok AFTER-WHAT
	local out rc
	out=$("$SG_BIN" audit verify 2>&1)
	rc=$?
	if [ $rc = 0 ]; then ok "audit verify passes after $1"; else
		not_ok "audit verify passes after $1 (exit $rc)"
		printf '%s\n' "$out" | head -3 | sed 's/^/#   /'
	fi
}
# The server's open spool files (unlinked, under $SPOOL): "SIZE" per line.
spools() {
	local fd
	for fd in /proc/"$SERVER_PID"/fd/*; do
		case "$(readlink "$fd" 2>/dev/null)" in "$SPOOL"/*) stat -L -c %s "$fd" 2>/dev/null ;; esac
	done
}

sg init
expect_rc 0 "init"
sg user add dev --role developer
sg user grant dev --product conc
expect_rc 0 "user grant dev --product conc"
sg token create --user dev
expect_rc 0 "token create --user dev"
TOKEN=$SG_OUT

# The server's spool files go to $SPOOL, where this test can see them.
TMPDIR=$SPOOL start_server --rate-limit 0 || exit 1
ok "the server listens on port $SERVER_PORT"

# =====================================================================================
# 16 uploads at once
# =====================================================================================
# Set i (0..7) holds results i*50 .. i*50+199 of one tool's 550: neighbours
# overlap by 150. Sets 0-3 are each uploaded twice with one commit (the
# second to be recorded is a duplicate); sets 4-7 twice with two commits
# (two scans, the same findings).
python3 - <<'EOF'
import hashlib, json
def result(k):
    return {"ruleId": "C%03d" % k, "level": "error" if k % 7 == 0 else "warning", "message": {"text": "result %d" % k},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/m%d.c" % (k % 13)},
                                                 "region": {"startLine": k + 1, "snippet": {"text": "call_%d(x)" % k}}}}]}
sums = {}
for i in range(8):
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ConcTool"}},
                                         "results": [result(k) for k in range(i * 50, i * 50 + 200)]}]}
    data = json.dumps(doc).encode()
    open("set%d.sarif" % i, "wb").write(data)
    sums[hashlib.sha256(data).hexdigest()] = sorted("C%03d" % k for k in range(i * 50, i * 50 + 200))
json.dump(sums, open("sets.json", "w"))
EOF
BEFORE_SCANS=$(rows "SELECT count(*) FROM scan")
pids=()
for i in 0 1 2 3 4 5 6 7; do
	for twin in a b; do
		if [ "$i" -lt 4 ]; then c=$(commit_of "set$i"); else c=$(commit_of "set$i$twin"); fi
		curl -s -S --max-time 120 --limit-rate 20K -X POST -H "Authorization: Bearer $TOKEN" --data-binary @"set$i.sarif" \
			-o "up.$i$twin.json" -w '%{http_code}' "$SERVER_URL/api/v1/products/conc/sarif?commit=$c" \
			>"up.$i$twin.code" 2>"up.$i$twin.err" &
		pids+=($!)
	done
done
# Each body takes about two seconds to arrive (--limit-rate), so all 16
# are in the server at once; count the spool files to be sure.
most=0
alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while alive "${pids[@]}"; do
	n=$(spools | wc -l)
	[ "$n" -gt "$most" ] && most=$n
	sleep 0.02
done
wait "${pids[@]}"
check "the uploads were in the server at the same time: at most $most spooling at once" test "$most" -ge 8
codes=$(for i in 0 1 2 3 4 5 6 7; do for t in a b; do printf '%s ' "$(cat "up.$i$t.code")"; done; done)
echo "# statuses: $codes"
check "every one of the 16 uploads is answered 200 or 201 (none 5xx, none cut off)" \
	bash -c 'for c in $1; do [ "$c" = 200 ] || [ "$c" = 201 ] || exit 1; done' _ "$codes"
for i in 0 1 2 3; do
	expect_eq "$(printf '%s\n' "$(cat "up.${i}a.code")" "$(cat "up.${i}b.code")" | sort | tr -d '\n')" "200201" \
		"set $i twice with one commit at once: one 201, one 200"
	check "... the 200 is a duplicate of the 201's scan" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
new, dup = (a, b) if not a["files"][0]["duplicate"] else (b, a)
assert new["files"][0]["duplicate"] is False and dup["files"][0]["duplicate"] is True, (a, b)
assert dup["files"][0]["duplicate_of"] == new["files"][0]["scan"], (a, b)' "up.${i}a.json" "up.${i}b.json"
done
for i in 4 5 6 7; do
	expect_eq "$(cat "up.${i}a.code" "up.${i}b.code" | tr -d '\n')" "201201" "set $i twice with two commits at once: two 201s"
done
expect_eq "$(rows "SELECT count(*) FROM scan s JOIN product p ON p.id = s.product_id WHERE p.name = 'conc'")" 12 \
	"the store has 12 scans: one per non-duplicate upload (4 + 8)"
expect_eq "$(rows "SELECT count(*) FROM scan")" "$((BEFORE_SCANS + 12))" "... and no other"
expect_eq "$(rows "SELECT count(DISTINCT commit_sha) FROM scan")" 12 "... each of its own commit"
expect_eq "$(rows "SELECT count(*) FROM scan WHERE result_count <> 200")" 0 "... each of 200 results"
expect_eq "$(rows "SELECT count(*) FROM finding")" 550 "the 550 results of the 8 sets are 550 findings"
expect_eq "$(rows "SELECT count(DISTINCT fingerprint) FROM finding")" 550 "no two findings share a fingerprint"
expect_eq "$(rows "SELECT count(DISTINCT rule) FROM finding")" 550 "... nor a result"
# Each upload is the full view of the tool: the open findings are exactly
# the results of the scan recorded last, whichever that was.
LAST=$(rows "SELECT lower(hex(artifact_sha256)) FROM scan WHERE id = (SELECT max(id) FROM scan)")
rows "SELECT rule FROM finding WHERE status = 'open' ORDER BY rule" >open.rules
check "the open findings are exactly the 200 results of the last scan's set" python3 -c '
import json, sys
want = json.load(open("sets.json"))[sys.argv[1]]
got = open("open.rules").read().split()
assert got == want, (len(got), len(want))' "$LAST"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'fixed'")" 350 "the other 350 are fixed"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'open' AND last_seen_scan = (SELECT max(id) FROM scan)")" 200 \
	"every open finding was last seen by the last scan"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status = 'fixed' AND last_seen_scan < (SELECT max(id) FROM scan)")" 350 \
	"every fixed finding was last seen before it"
verify_ok "16 concurrent uploads"
check "no spool file is left open" test -z "$(spools)"

# =====================================================================================
# SIGTERM while a large upload is in flight: it finishes
# =====================================================================================
python3 - <<'EOF'
import json
res = [{"ruleId": "BIG%d" % (i % 50), "level": "warning", "message": {"text": "big result %d" % i},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/f%d.c" % (i // 100)},
                                             "region": {"startLine": i % 1000 + 1, "snippet": {"text": "big_%d(x)" % i}}}}]}
       for i in range(50000)]
json.dump({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "BigTool"}}, "results": res}]}, open("big.sarif", "w"))
EOF
BIG_SIZE=$(stat -c %s big.sarif)
check "big.sarif: 50,000 results, $BIG_SIZE bytes" test "$BIG_SIZE" -gt 5000000
CB=$(commit_of big)
# About 3 seconds of upload, so that the signal surely comes while the body
# is arriving (it is sent once a megabyte is in the server's spool).
curl -s -S --max-time 120 --limit-rate 4M -X POST -H "Authorization: Bearer $TOKEN" --data-binary @big.sarif \
	-o big.json -w '%{http_code}' "$SERVER_URL/api/v1/products/conc/sarif?commit=$CB" >big.code 2>big.err &
BIG_CURL=$!
in_flight=
for _ in $(seq 300); do
	size=$(spools | head -1)
	if [ -n "$size" ] && [ "$size" -gt 1000000 ]; then in_flight=$size; break; fi
	sleep 0.05
done
check "the big upload is in flight: ${in_flight:-0} bytes spooled of $BIG_SIZE" test -n "$in_flight"
STOP_PID=$SERVER_PID
kill -TERM "$STOP_PID"
sleep 0.5
code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$SERVER_URL/healthz" 2>/dev/null)
check "once stopping, no new request is served (healthz: ${code:-none})" test "$code" != 200
wait "$BIG_CURL"
expect_eq "$(cat big.code)" 201 "the upload in flight when SIGTERM came finished with 201"
check "... its report: 50,000 new results" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["files"][0]["results"] == 50000 and d["files"][0]["new"] == 50000, d' big.json
stop_server "$STOP_PID"
expect_eq "$SERVER_RC" 0 "the server exited 0 after the request in flight"
expect_eq "$(rows "SELECT result_count FROM scan WHERE commit_sha = '$CB'")" 50000 "the big scan is in the store"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE tool = 'BigTool'")" 50000 "... with its 50,000 findings"
check "the log has the upload as completed (201, not aborted) before 'stopped'" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
i = next(i for i, l in enumerate(lines) if l.get("status") == 201 and l.get("bytes_in") == int(sys.argv[2]))
assert not lines[i].get("aborted"), lines[i]
assert [l.get("event") for l in lines[i + 1:] if "event" in l][-1:] == ["stopped"], lines[i:]
assert any(l.get("event") == "stopping" for l in lines[:i]), "the signal came after the upload"' "$SERVER_LOG" "$BIG_SIZE"
verify_ok "a stop with an upload in flight"

# =====================================================================================
# an upload cut off by the client writes nothing
# =====================================================================================
TMPDIR=$SPOOL start_server --rate-limit 0 || exit 1
BEFORE=$(state)
cut_off() { # cut_off FILE FRACTION: the headers with the whole length, then FRACTION of the body, then close
	python3 - "$SERVER_PORT" "$TOKEN" "$1" "$2" "$(commit_of "cut$2")" <<'EOF'
import socket, sys, time
port, token, path, frac, commit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
body = open(path, "rb").read()
s = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
s.sendall(("POST /api/v1/products/conc/sarif?commit=%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (commit, token, len(body))).encode())
part = body[: int(len(body) * frac)]
for i in range(0, len(part), 65536):
    s.sendall(part[i:i + 65536])
time.sleep(0.3)
s.close()
EOF
}
cut_off big.sarif 0.5
sleep 1
expect_eq "$(state)" "$BEFORE" "an upload cut off halfway (big.sarif) writes nothing: no scan, ingest, finding or event"
check "... and its spool file is closed" test -z "$(spools)"
cut_off set0.sarif 0.999
sleep 1
expect_eq "$(state)" "$BEFORE" "an upload cut off one byte short of the end writes nothing"
cp set5.sarif set5.mod.sarif
printf ' ' >>set5.mod.sarif
cut_off set5.mod.sarif 0.9999999
sleep 1
expect_eq "$(state)" "$BEFORE" "a complete document whose last byte (a space) never came writes nothing"
check "no spool file is left open" test -z "$(spools)"
check "the log says the cut-off uploads were aborted" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
a = [l for l in lines if l.get("aborted") is True and l.get("path") == "/api/v1/products/conc/sarif"]
assert len(a) == 3 and all(l["user"] == "dev" for l in a), a' "$SERVER_LOG"
API_TOKEN=$TOKEN
api GET /healthz
expect_status 200 "the server still answers healthz"
api GET "/api/v1/products/conc/findings?per_page=1"
expect_status 200 "... and an authenticated request"
api POST "/api/v1/products/conc/sarif?commit=$(commit_of after)" --data-binary @set3.sarif
expect_status 201 "... and a whole upload after the cut-off ones"
unset API_TOKEN
verify_ok "cut-off uploads"
stop_server
expect_eq "$SERVER_RC" 0 "the server exits 0 on SIGTERM"
