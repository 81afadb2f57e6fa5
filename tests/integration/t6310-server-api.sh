#!/usr/bin/env bash
# `shipgate serve` over real HTTP (docs/api.md): what each route answers, and
# the server's rules around them: uploads (201, then 200 for a duplicate; a
# bad document refused with its line and column, nothing written), paging and
# filters, triage and exceptions acting as the token's user (in the audit
# ledger too), the gate (HTTP 200 for pass and block), the error shape and the
# security headers on every answer, 405/404/413, --max-body before the body
# is sent, the rate limit, the request log, the refusal of a non-loopback
# address without TLS, and TLS itself.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"

WEB_SARIF=$CORPUS/sarif/defectdojo/flawfinder.sarif
SBOM=$ROOT/tests/integration/fixtures/sca/go.cdx.json
C1=$(commit_of one)
C2=$(commit_of two)
CC=$(commit_of clean)
CS=$(commit_of svc)
EXPIRES=$(date -u -d '+30 days' +%F)
unset SHIPGATE_SERVER SHIPGATE_TOKEN

# An answer that must be an error: status, diagnostic id, the JSON error
# shape without a path of this machine, and the security headers.
expect_error() { # expect_error STATUS CODE WHAT (one line when the status is wrong)
	expect_status "$1" "$3"
	[ "$API_STATUS" = "$1" ] || return 0
	check "$3: {\"error\":{\"code\":\"$2\",...}}" jq_py 'd["error"]["code"] == sys.argv[1]' "$2"
	expect_error_shape "$3: the error shape, no path of this machine"
	expect_security_headers "$3: the security headers"
}
expect_answer() { # expect_answer STATUS WHAT: a JSON success
	expect_status "$1" "$2"
	expect_security_headers "$2: the security headers"
	expect_eq "$(header Content-Type)" "application/json" "$2: Content-Type application/json"
}
scans() { rows "SELECT count(*) FROM scan"; }
state() { rows "SELECT (SELECT count(*) FROM scan) || ' ' || (SELECT count(*) FROM ingest) || ' ' || (SELECT count(*) FROM finding) || ' ' || (SELECT count(*) FROM audit_event)"; }

sg init
expect_rc 0 "init"
for u in dev:developer dev2:developer sec:security cto1:cto cto2:cto vic:viewer root:admin; do
	sg user add "${u%%:*}" --role "${u#*:}"
	expect_rc 0 "user add ${u%%:*} --role ${u#*:}"
done
for g in dev:web dev:svc dev:clean dev:spdx dev2:web sec:web sec:svc cto1:svc cto2:svc vic:web; do
	sg user grant "${g%%:*}" --product "${g#*:}"
	[ "$SG_RC" = 0 ] || not_ok "user grant ${g%%:*} --product ${g#*:} (exit $SG_RC)"
done
for who in cto1 cto2; do
	sg key generate --out "$who.key"
	sg user key "$who" --public "$who.key.pub"
	expect_rc 0 "user key $who"
done
for who in dev dev2 sec cto1 cto2 vic root; do
	sg token create --user "$who"
	expect_rc 0 "token create --user $who"
	printf '%s' "$SG_OUT" >"token.$who"
done
tok() { cat "$TEST_DIR/token.$1"; }

SEQ0=$(rows "SELECT max(seq) FROM audit_event")
start_server --rate-limit 0 || exit 1
ok "the server listens on port $SERVER_PORT"
MAIN_LOG=$SERVER_LOG

# =====================================================================================
# health, OpenAPI, unknown routes, wrong methods
# =====================================================================================
api GET /healthz
expect_answer 200 "GET /healthz without a token"
check "healthz says {\"status\":\"ok\"} and nothing more" jq_py 'd == {"status": "ok"}'
api GET /api/v1/openapi.json
expect_answer 200 "GET /api/v1/openapi.json without a token"
check "the served OpenAPI document is docs/openapi.json" \
	python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))' "$API_DIR/body" "$ROOT/docs/openapi.json"
API_TOKEN=$(tok dev)
api GET /api/v1/nothing-here
expect_error 404 not-found "an unknown route"
api GET /api/v1/products/web
expect_error 404 not-found "a product path without its verb"
api GET /api/v1/findings/1/2/3
expect_error 404 not-found "a path one segment too long"
api DELETE /api/v1/findings/1
expect_error 405 usage "DELETE on a finding (a known path)"
check "405 says Allow" test -n "$(header Allow)"
api PUT /api/v1/exceptions
expect_error 405 usage "PUT on /api/v1/exceptions"
check "its Allow lists GET and POST" bash -c '[[ "$1" == *GET* && "$1" == *POST* ]]' _ "$(header Allow)"
api POST /healthz
expect_error 405 usage "POST on /healthz"
# RFC 9110 15.5.6: Allow lists the methods the resource supports; /healthz
# takes GET alone.
expect_eq "$(header Allow)" "GET" "POST /healthz: Allow is GET alone"
unset API_TOKEN
api DELETE /api/v1/findings/1
check "a wrong method is 405 before the token is asked for" test "$API_STATUS" = 405
api GET /api/v1/products/web/findings
expect_error 401 unauthenticated "a route that needs a token, without one"
expect_eq "$(header WWW-Authenticate)" 'Bearer realm="shipgate"' "... with WWW-Authenticate: Bearer"
api GET /api/v1/products/web/findings -H "Authorization: Bearer sgt_$(printf 'Q%.0s' {1..43})"
expect_error 401 unauthenticated "an unknown token"
api GET /api/v1/nothing-here
expect_error 404 not-found "an unknown route, without a token"
# Headers: 16 KiB at most (docs/api.md "Limits"), refused with 431 in JSON;
# past 32 KiB libmicrohttpd refuses them itself (below).
api GET /healthz -H "X-Filler: $(head -c 12000 /dev/zero | tr '\0' a)"
expect_answer 200 "a request with 12 KB of headers is served"
api GET /healthz -H "X-Filler: $(head -c 24000 /dev/zero | tr '\0' a)"
expect_status 431 "a request with 24 KB of headers (over 16 KiB) is refused with 431"
api GET /healthz -H "X-Filler: $(head -c 40000 /dev/zero | tr '\0' a)"
expect_status 431 "a request with 40 KB of headers is refused with 431"
# Requests libmicrohttpd cannot parse: it answers them itself (docs/api.md).
python3 - "$SERVER_PORT" >mhd.txt <<'EOF'
import socket, sys
cases = {
    "no Host header (400)": b"GET /healthz HTTP/1.1\r\n\r\n",
    "Content-Length: abc (400)": b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "40 KB of headers (431)": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * 40000 + b"\r\n\r\n",
}
for what, req in cases.items():
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    s.sendall(req)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    # docs/api.md: libmicrohttpd answers these itself (HTML, no security
    # headers; 0.9.75 writes its header block twice) and closes the
    # connection. What must hold: the status, and nothing served.
    want = b"431" if "431" in what else b"400"
    problems = []
    if not data.startswith(b"HTTP/1.1 " + want + b" "):
        problems.append("the answer is not %s: %r" % (want.decode(), data[:40]))
    if b"200 OK" in data:
        problems.append("the request was served")
    print("%s: %s" % (what, "; ".join(problems) if problems else "ok"))
EOF
check "requests libmicrohttpd cannot parse get its 400 or 431, and nothing is served" bash -c '! grep -qv ": ok$" "$1"' _ mhd.txt
grep -v ': ok$' mhd.txt | sed 's/^/#   /'

# =====================================================================================
# uploads
# =====================================================================================
API_TOKEN=$(tok dev)
BEFORE=$(scans)
api POST "/api/v1/products/web/sarif?commit=$C1" --data-binary @"$WEB_SARIF"
expect_answer 201 "upload of $(basename "$WEB_SARIF") (corpus) as a developer"
check "the answer is the ingest report: one file, a scan, 53 results, all new" \
	jq_py 'd["commit"] == sys.argv[1] and len(d["files"]) == 1 and d["files"][0]["duplicate"] is False and d["files"][0]["results"] == 53 and d["files"][0]["new"] == 53 and isinstance(d["files"][0]["scan"], int)' "$C1"
check "the report names the upload, never a spool path" jq_py 'd["files"][0]["file"] == "request body"'
expect_eq "$(scans)" "$((BEFORE + 1))" "one scan recorded"
SCAN1=$(rows "SELECT max(id) FROM scan")
expect_eq "$(rows "SELECT commit_sha FROM scan WHERE id = $SCAN1")" "$C1" "the scan is of the commit given in the query"
api POST "/api/v1/products/web/sarif?commit=$C1" --data-binary @"$WEB_SARIF"
expect_answer 200 "the same file again for the same commit"
check "... is a duplicate of that scan" jq_py 'd["files"][0]["duplicate"] is True and d["files"][0]["duplicate_of"] == int(sys.argv[1])' "$SCAN1"
expect_eq "$(scans)" "$((BEFORE + 1))" "... and no scan is added"
# The local CLI's report for the same file says the same (another product).
CLI_SEQ0=$(rows "SELECT max(seq) FROM audit_event")
sg ingest sarif "$WEB_SARIF" --product web-cli --commit "$C1" --format json
check "the API's report has the shape of 'ingest sarif --format json'" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); c = json.loads(sys.argv[2])
assert sorted(a) == sorted(c) and sorted(a["files"][0]) == sorted(c["files"][0]), (a, c)' "$API_DIR/body" "$SG_OUT"
CLI_SEQ1=$(rows "SELECT max(seq) FROM audit_event")

api POST "/api/v1/products/web/sbom?commit=$C1" --data-binary @"$SBOM"
expect_answer 201 "an SBOM upload (fixtures/sca/go.cdx.json)"
check "the SBOM report: CycloneDX, 2 components, a scan" \
	jq_py 'd["format"] == "CycloneDX" and d["components"] == 2 and d["duplicate"] is False and isinstance(d["scan"], int)'
api POST "/api/v1/products/web/sbom?commit=$C1" --data-binary @"$SBOM"
expect_answer 200 "the same SBOM again"
check "... is a duplicate" jq_py 'd["duplicate"] is True'
SPDX=$CORPUS/spdx/defectdojo/spdx_no_vuln.json
BEFORE=$(scans)
api POST "/api/v1/products/spdx/sbom?commit=$C1" --data-binary @"$SPDX"
expect_answer 201 "an SPDX SBOM from the corpus (defectdojo/spdx_no_vuln.json)"
check "... read as SPDX 2.3, 3 components" jq_py 'd["format"] == "SPDX" and d["components"] == 3'
expect_eq "$(scans)" "$((BEFORE + 1))" "... recorded as a scan"

api GET "/api/v1/products/$(python3 -c 'print("a" * 1100)')/gate"
expect_error 414 limit-exceeded "a path over 1 KiB is refused with 414"
# A long path is matched whole, never as a prefix: a path that only begins
# like a route is no route.
# Two products whose names, spelled with %61, make .../findings and
# .../sarif exactly 255 bytes long.
LONG1=$(python3 -c 'print("a" * 76 + "b")')
LONG1_ENC=$(python3 -c 'print("%61" * 76 + "b")')
LONG2=$(python3 -c 'print("a" * 77 + "b")')
LONG2_ENC=$(python3 -c 'print("%61" * 77 + "b")')
API_TOKEN=$(tok root)
api POST "/api/v1/products/$LONG1/sarif?commit=$C1" --data-binary @"$WEB_SARIF"
expect_answer 201 "an upload to a product of a 77-character name"
api POST "/api/v1/products/$LONG2/sarif?commit=$C1" --data-binary @"$WEB_SARIF"
expect_answer 201 "an upload to a product of a 78-character name"
P1="/api/v1/products/$LONG1_ENC/findings"
P2="/api/v1/products/$LONG2_ENC/sarif"
expect_eq "${#P1} ${#P2}" "255 255" "the two paths spelled with %61 are 255 bytes long"
BEFORE=$(state)
api GET "$P1/this/is/not/a/route"
expect_error 404 not-found "GET .../findings/this/is/not/a/route, past 255 bytes, is no route"
api POST "$P2/not/a/route?commit=$C2" --data-binary @"$WEB_SARIF"
expect_error 404 not-found "POST .../sarif/not/a/route, past 255 bytes, is no route"
expect_eq "$(state)" "$BEFORE" "... and uploads nothing"
API_TOKEN=$(tok dev)

# A bad document: 400 with where it went wrong, and nothing written.
printf '{"version":"2.1.0",\n "runs":[{"tool":{"driver":{"name":"T"}},\n  "results":[}]}\n' >bad.sarif
BEFORE=$(state)
api POST "/api/v1/products/web/sarif?commit=$C2" --data-binary @bad.sarif
expect_error 400 json-syntax "a SARIF upload that is not JSON"
check "the message gives line 3, column 14" jq_py '":3:14:" in d["error"]["message"]'
sg ingest sarif bad.sarif --product web
check "... and says what the CLI says of the same file" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["error"]["message"]
assert "shipgate: error: request body" + sys.argv[2].split("bad.sarif", 1)[1] == "shipgate: error: " + m + " [json-syntax]", (m, sys.argv[2])' "$API_DIR/body" "$SG_ERR"
expect_eq "$(state)" "$BEFORE" "the bad upload wrote nothing (scans, ingests, findings, audit events)"
api POST "/api/v1/products/newprod/sarif?commit=$C2" --data-binary @bad.sarif
expect_eq "$(rows "SELECT count(*) FROM product WHERE name = 'newprod'")" "0" "a bad upload to a new product creates no product"
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R","message":{"text":"m"},"level":"fatal"}]}]}' >invalid.sarif
api POST "/api/v1/products/web/sarif?commit=$C2" --data-binary @invalid.sarif
check "JSON that is not valid SARIF is 400" test "$API_STATUS" = 400
expect_error_shape "... with the error shape"
expect_eq "$(state)" "$BEFORE" "... and nothing written"
if [ -f "$CORPUS/sarif/codeql-action/invalid-sarif.sarif" ]; then
	api POST "/api/v1/products/web/sarif?commit=$C2" --data-binary @"$CORPUS/sarif/codeql-action/invalid-sarif.sarif"
	expect_error 400 sarif-invalid "codeql-action's invalid-sarif.sarif (corpus)"
	expect_eq "$(state)" "$BEFORE" "... writes nothing"
fi
printf '{"bomFormat":"CycloneDX","specVersion":"1.5",\n"components":[' >bad.cdx.json
api POST "/api/v1/products/web/sbom?commit=$C2" --data-binary @bad.cdx.json
check "a truncated SBOM is 400" test "$API_STATUS" = 400
check "... and says line 2" jq_py '":2:" in d["error"]["message"]'
expect_eq "$(state)" "$BEFORE" "... and writes nothing"
api POST "/api/v1/products/web/sarif?kind=bogus" --data-binary @"$WEB_SARIF"
expect_error 400 bad-value "an upload with kind=bogus"
expect_eq "$(state)" "$BEFORE" "... writes nothing"
api POST "/api/v1/products/web/sarif?commit=nothex" --data-binary @"$WEB_SARIF"
check "an upload with commit=nothex is 400" test "$API_STATUS" = 400
expect_eq "$(state)" "$BEFORE" "... writes nothing"

# =====================================================================================
# findings: paging, filters, show
# =====================================================================================
API_TOKEN=$(tok vic)
api GET "/api/v1/products/w%65b/findings?per_page=1"
expect_answer 200 "a percent-encoded product name in the path (w%65b)"
check "... is the product web" jq_py 'd["product"] == "web"'
api GET "/api/v1/products/web%2Fx/findings"
expect_error 404 not-found "an encoded / in a product name is one segment, not a route"
sg findings --product web --status all --format json --limit 1000
ALL_IDS=$(python3 -c 'import json, sys; print(" ".join(str(f["id"]) for f in json.loads(sys.argv[1])))' "$SG_OUT")
N_ALL=$(wc -w <<<"$ALL_IDS")
check "web has 53 findings (the CLI says)" test "$N_ALL" = 53
PAGED=
page=1
pages=0
while [ -n "$page" ] && [ "$pages" -lt 20 ]; do
	api GET "/api/v1/products/web/findings?status=all&per_page=10&page=$page"
	[ "$API_STATUS" = 200 ] || { not_ok "page $page of web's findings (HTTP $API_STATUS)"; break; }
	PAGED="$PAGED $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(" ".join(str(f["id"]) for f in d["findings"]))' "$API_DIR/body")"
	jq_py 'd["page"] == int(sys.argv[1]) and d["per_page"] == 10 and d["product"] == "web"' "$page" ||
		not_ok "page $page says its number, size and product"
	page=$(python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["next_page"]; print("" if n is None else n)' "$API_DIR/body")
	pages=$((pages + 1))
done
expect_eq "$pages" 6 "53 findings at per_page=10 are 6 pages, the last with next_page null"
expect_eq "$(xargs <<<"$PAGED")" "$(xargs <<<"$ALL_IDS")" "the pages together are the CLI's list, in its order, each once"
api GET "/api/v1/products/web/findings?status=all&per_page=10&page=6"
check "page 6 holds the last 3" jq_py 'len(d["findings"]) == 3 and d["next_page"] is None'
api GET "/api/v1/products/web/findings?status=all&per_page=10&page=7"
expect_answer 200 "a page past the end"
check "... is empty, with next_page null" jq_py 'd["findings"] == [] and d["next_page"] is None'
api GET "/api/v1/products/web/findings?status=all&per_page=1000"
check "per_page=1000 (the most) holds them all" jq_py 'len(d["findings"]) == 53 and d["next_page"] is None'
api GET "/api/v1/products/web/findings"
check "the default page is 100 findings of page 1" jq_py 'd["page"] == 1 and d["per_page"] == 100'
for bad in "per_page=1001" "per_page=0" "page=0" "page=-1" "per_page=abc" "page=1x" "per_page=" "page=99999999999999999999"; do
	api GET "/api/v1/products/web/findings?$bad"
	expect_error 400 bad-value "findings?$bad"
done
for sev in critical high medium low info; do
	sg findings --product web --status all --severity "$sev" --format json --limit 1000
	want=$(python3 -c 'import json, sys; print(" ".join(str(f["id"]) for f in json.loads(sys.argv[1])))' "$SG_OUT")
	api GET "/api/v1/products/web/findings?status=all&severity=$sev&per_page=1000"
	got=$(python3 -c '
import json, sys
rank = ["info", "low", "medium", "high", "critical"]
d = json.load(open(sys.argv[1]))
assert all(rank.index(f["severity"]) >= rank.index(sys.argv[2]) for f in d["findings"]), "a finding below " + sys.argv[2]
print(" ".join(str(f["id"]) for f in d["findings"]))' "$API_DIR/body" "$sev")
	expect_eq "$got" "$want" "severity=$sev: the CLI's findings ($(wc -w <<<"$want")), each $sev or graver"
done
api GET "/api/v1/products/web/findings?severity=urgent"
expect_error 400 bad-value "severity=urgent"
api GET "/api/v1/products/web/findings?status=closed"
expect_error 400 bad-value "status=closed"
FID=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'web' ORDER BY f.id LIMIT 1")
api GET "/api/v1/findings/$FID"
expect_answer 200 "findings/$FID as a viewer of web"
sg findings show "$FID" --format json
check "findings show over HTTP is 'findings show --format json'" \
	python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == json.loads(sys.argv[2])' "$API_DIR/body" "$SG_OUT"
for bad in 0 -1 abc 1e3 99999999999999999999999 999999; do
	api GET "/api/v1/findings/$bad"
	expect_error 404 not-found "findings/$bad"
done

# =====================================================================================
# triage: as the token's user, in the audit ledger under that name
# =====================================================================================
API_TOKEN=$(tok sec)
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"false_positive","reason":"a constant string"}'
expect_answer 200 "triage as security"
check "the answer is the finding, now a false positive, its history ending in the triage" \
	jq_py 'd["finding"]["status"] == "false_positive" and d["events"][-1]["event"] == "triaged" and d["events"][-1]["reason"] == "a constant string"'
expect_eq "$(rows "SELECT status FROM finding WHERE id = $FID")" "false_positive" "the store has it"
sg audit log --format json
check "the ledger's finding.triage is by sec, the token's user" python3 -c '
import json, sys
e = [x for x in json.loads(sys.argv[1]) if x["action"] == "finding.triage"]
assert len(e) == 1 and e[0]["actor"] == "sec" and json.loads(e[0]["payload"])["finding"] == int(sys.argv[2]), e' "$SG_OUT" "$FID"
check "every event the server wrote is by a token's user (dev and root uploaded, sec triaged)" python3 -c '
import json, sys
s0, c0, c1 = map(int, sys.argv[2:5])
e = [x for x in json.loads(sys.argv[1]) if x["seq"] > s0 and not c0 < x["seq"] <= c1]
assert e and all(x["actor"] in ("dev", "sec", "root") for x in e), [(x["action"], x["actor"]) for x in e]
assert any(x["actor"] == "dev" for x in e), e' "$SG_OUT" "$SEQ0" "$CLI_SEQ0" "$CLI_SEQ1"
BEFORE=$(state)
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"false_positive","reason":"again"}'
expect_error 409 conflict "the same triage again"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"fixed","reason":"no"}'
expect_error 400 bad-value "triage to fixed"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open"}'
expect_error 400 usage "triage without a reason"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open","reason":"r","extra":"x"}'
expect_error 400 bad-value "a body with an unknown member"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open","reason":"r","reason":"s"}'
expect_error 400 bad-value "a body with a member twice"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open","reason":'
expect_error 400 json-truncated "a body cut short"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open","reason":}'
expect_error 400 json-syntax "a body that is not JSON"
api POST "/api/v1/findings/$FID/triage" --data-binary '["open"]'
expect_error 400 bad-value "a body that is an array"
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":1,"reason":"r"}'
expect_error 400 bad-value "a member that is a number"
api POST "/api/v1/findings/$FID/triage"
expect_error 400 usage "a triage without a body"
expect_eq "$(state)" "$BEFORE" "the refused triages wrote nothing"
API_TOKEN=$(tok dev)
api POST "/api/v1/findings/$FID/triage" --data-binary '{"status":"open","reason":"I disagree"}'
expect_error 403 not-permitted "triage as a developer"

# =====================================================================================
# releases and the gate
# =====================================================================================
api POST /api/v1/products/web/releases --data-binary "{\"version\":\"1.0\",\"commit\":\"$C1\",\"build_digest\":\"sha256:$(printf x | sha256sum | cut -c1-64)\"}"
expect_answer 201 "release web 1.0"
check "the answer is the release" jq_py 'd["product"] == "web" and d["version"] == "1.0" and d["commit"] == sys.argv[1] and d["build_digest"].startswith("sha256:")' "$C1"
expect_eq "$(rows "SELECT count(*) FROM release r JOIN product p ON p.id = r.product_id WHERE p.name = 'web' AND r.version = '1.0'")" "1" "the release is in the store"
BEFORE=$(state)
api POST /api/v1/products/web/releases --data-binary "{\"version\":\"1.0\",\"commit\":\"$C1\"}"
expect_error 409 conflict "the same release again"
api POST /api/v1/products/web/releases --data-binary "{\"version\":\"1.1\"}"
expect_error 400 usage "a release without a commit"
api POST /api/v1/products/web/releases --data-binary "{\"version\":\"1.1\",\"commit\":\"xyz\"}"
check "a release with commit xyz is 400" test "$API_STATUS" = 400
api POST "/api/v1/products/web/sarif?release=1.0&commit=$C2" --data-binary @"$WEB_SARIF"
expect_error 409 conflict "an upload whose commit is not its release's"
expect_eq "$(state)" "$BEFORE" "the refused release and upload wrote nothing"
api POST "/api/v1/products/web/sarif?release=1.0" --data-binary @"$WEB_SARIF"
expect_answer 201 "the upload under release=1.0: a scan of the release"
expect_eq "$(rows "SELECT commit_sha || ' ' || release_version FROM scan WHERE id = (SELECT max(id) FROM scan)")" "$C1 1.0" \
	"... of the release's commit"
api POST "/api/v1/products/web/sarif?release=1.0" --data-binary @"$WEB_SARIF"
expect_answer 200 "the same again under release=1.0: a duplicate"

API_TOKEN=$(tok vic)
api GET "/api/v1/products/web/gate?release=1.0"
expect_answer 200 "gate of web 1.0 (high findings open)"
check "verdict block, with the blocking findings" jq_py 'd["verdict"] == "block" and d["blocking_total"] > 0 and d["release"] == "1.0"'
cp "$API_DIR/body" gate-web.json
sg gate --product web --release 1.0 --format json
check "the gate over HTTP is 'gate --format json' (but evaluated_at)" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); c = json.loads(sys.argv[2])
a.pop("evaluated_at"); c.pop("evaluated_at")
assert a == c, (a, c)' gate-web.json "$SG_OUT"
API_TOKEN=$(tok dev)
api POST "/api/v1/products/clean/sarif?commit=$CC" --data-binary '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[]}]}'
expect_answer 201 "an empty SAST scan of clean"
api POST "/api/v1/products/clean/sbom?commit=$CC" --data-binary @"$SBOM"
expect_answer 201 "an SBOM of clean"
api POST /api/v1/products/clean/releases --data-binary "{\"version\":\"2.0\",\"commit\":\"$CC\"}"
expect_answer 201 "release clean 2.0"
api GET "/api/v1/products/clean/gate?release=2.0"
expect_answer 200 "gate of clean 2.0"
check "verdict pass, every clause pass" jq_py 'd["verdict"] == "pass" and all(c["status"] == "pass" for c in d["clauses"])'
api GET "/api/v1/products/clean/gate?release=9.9"
check "the gate of a release that does not exist is not a pass" bash -c '[ "$1" != 200 ] || ! grep -q "\"verdict\":\"pass\"" "$2"' _ "$API_STATUS" "$API_DIR/body"
SHIPGATE_SERVER=$SERVER_URL SHIPGATE_TOKEN=$(tok dev) sg gate --product clean --release 2.0
expect_rc 0 "the CLI with \$SHIPGATE_SERVER: gate of clean 2.0 passes (exit 0)"
SHIPGATE_SERVER=$SERVER_URL SHIPGATE_TOKEN=$(tok vic) sg gate --product web --release 1.0
expect_rc 1 "the CLI with \$SHIPGATE_SERVER: gate of web 1.0 blocks (exit 1)"

API_TOKEN=$(tok vic)
api GET /api/v1/products/web/sla
expect_answer 200 "sla of web"
check "the SLA report: product, findings, counts, blocking_overdue" \
	jq_py 'd["product"] == "web" and isinstance(d["findings"], list) and set(d["overdue"]) == {"critical", "high", "medium", "low", "info"} and d["blocking_overdue"] == 0'
sg sla --product web --format json
check "the SLA over HTTP is 'sla --format json' (but evaluated_at)" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); c = json.loads(sys.argv[2])
a.pop("evaluated_at"); c.pop("evaluated_at")
assert a == c, (a, c)' "$API_DIR/body" "$SG_OUT"

# =====================================================================================
# exceptions: request (developer), approve (cto, signed with `key sign`), revoke
# =====================================================================================
SMALL='{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R1","level":"error","message":{"text":"one"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":3,"snippet":{"text":"strcpy(a, b)"}}}}]}]}]}'
API_TOKEN=$(tok dev)
api POST "/api/v1/products/svc/sarif?commit=$CS" --data-binary "$SMALL"
expect_answer 201 "svc: one high finding"
api POST "/api/v1/products/svc/sbom?commit=$CS" --data-binary @"$SBOM"
api POST /api/v1/products/svc/releases --data-binary "{\"version\":\"3.0\",\"commit\":\"$CS\"}"
expect_answer 201 "release svc 3.0"
SFID=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'svc'")
api GET "/api/v1/products/svc/gate?release=3.0"
check "gate of svc 3.0 blocks" jq_py 'd["verdict"] == "block"'

api POST /api/v1/exceptions --data-binary "{\"finding\":\"$SFID\",\"product\":\"svc\",\"reason\":\"fixed in 3.0.1\",\"expires\":\"$EXPIRES\"}"
expect_answer 201 "a developer requests an exception"
check "pending, requested by dev (the token's user)" jq_py 'd["status"] == "pending" and d["requester"] == "dev" and d["product"] == "svc"'
XID=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$API_DIR/body")
api POST /api/v1/exceptions --data-binary "{\"rule\":\"T:R1\",\"all_products\":true,\"reason\":\"r\",\"expires\":\"$EXPIRES\"}"
expect_error 403 not-permitted "a developer's exception for every product"
api POST /api/v1/exceptions --data-binary "{\"finding\":\"$SFID\",\"product\":\"svc\",\"reason\":\"r\"}"
expect_error 400 usage "an exception without expires"
api POST /api/v1/exceptions --data-binary "{\"finding\":\"$SFID\",\"product\":\"svc\",\"reason\":\"r\",\"expires\":\"2020-01-01\"}"
expect_error 400 bad-value "an exception that expired already"

API_TOKEN=$(tok cto1)
api GET "/api/v1/exceptions/$XID/payload"
expect_status 200 "the payload, as the approver"
expect_security_headers "the payload: the security headers"
check "the payload is text/plain" bash -c '[[ "$1" == text/plain* ]]' _ "$(header Content-Type)"
cp "$API_DIR/body" payload.txt
sg exception payload "$XID"
expect_eq "$(cat payload.txt)" "$SG_OUT" "the payload is 'exception payload' byte for byte"
sg key sign --key cto1.key payload.txt
expect_rc 0 "key sign --key cto1.key (where the key lives; the server holds none)"
printf '%s' "$SG_OUT" >sig.cto1
SIG_BODY=$(python3 -c 'import json, sys; print(json.dumps({"signature": open(sys.argv[1]).read()}))' sig.cto1)

API_TOKEN=$(tok dev)
BEFORE=$(state)
api POST "/api/v1/exceptions/$XID/approve" --data-binary "$SIG_BODY"
expect_error 403 approval-refused "the requester (a developer) approving"
expect_eq "$(state)" "$BEFORE" "... writes nothing"
API_TOKEN=$(tok cto2)
api POST "/api/v1/exceptions/$XID/approve" --data-binary "$SIG_BODY"
expect_error 403 approval-refused "cto2 sending cto1's signature"
API_TOKEN=$(tok cto1)
api POST "/api/v1/exceptions/$XID/approve" --data-binary '{"signature":"shipgate ed25519 signature\nkey-id: 0000000000000000\nsignature: AAAA\n"}'
check "a signature that does not parse or verify is refused (400 or 403)" bash -c '[ "$1" = 400 ] || [ "$1" = 403 ]' _ "$API_STATUS"
expect_error_shape "... with the error shape"
api POST "/api/v1/exceptions/$XID/approve" --data-binary "$SIG_BODY"
expect_answer 200 "cto1 approves with the signature made by 'key sign'"
check "active, approved by cto1 (the token's user)" jq_py 'd["status"] == "active" and d["approver"] == "cto1" and d["requester"] == "dev"'
api GET "/api/v1/products/svc/gate?release=3.0"
check "the gate passes at once (no answer kept from before the approval): the finding is waived" \
	jq_py 'd["verdict"] == "pass" and d["waived_total"] == 1 and d["waived_findings"][0]["exception"]["approver"] == "cto1"'
api POST "/api/v1/exceptions/$XID/approve" --data-binary "$SIG_BODY"
expect_error 403 approval-refused "approving an active exception again"

# The cto requests one, then tries to approve it: not their own request.
api POST /api/v1/exceptions --data-binary "{\"rule\":\"T:R9\",\"product\":\"svc\",\"reason\":\"mine\",\"expires\":\"$EXPIRES\"}"
expect_answer 201 "a cto requests an exception"
XID2=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$API_DIR/body")
api GET "/api/v1/exceptions/$XID2/payload"
cp "$API_DIR/body" payload2.txt
sg key sign --key cto1.key payload2.txt
SIG2=$(python3 -c 'import json, sys; print(json.dumps({"signature": sys.argv[1]}))' "$SG_OUT")
BEFORE=$(state)
api POST "/api/v1/exceptions/$XID2/approve" --data-binary "$SIG2"
expect_error 403 approval-refused "the requester approving their own request"
check "... the message says so" jq_py '"request" in d["error"]["message"]'
expect_eq "$(state)" "$BEFORE" "... writes nothing"

API_TOKEN=$(tok vic)
api GET "/api/v1/exceptions?status=active"
expect_answer 200 "exceptions?status=active as a viewer of web only"
check "... shows none of svc's" jq_py 'd == []'
API_TOKEN=$(tok dev)
api GET "/api/v1/exceptions?status=active&product=svc"
check "exceptions?status=active&product=svc: the approved one" jq_py '[e["id"] for e in d] == [int(sys.argv[1])]' "$XID"
api GET "/api/v1/exceptions?status=nonsense"
expect_error 400 bad-value "exceptions?status=nonsense"
api GET "/api/v1/exceptions/$XID"
sg exception list --format json
check "an exception over HTTP is as 'exception list --format json' shows it" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); c = [e for e in json.loads(sys.argv[2]) if e["id"] == a["id"]]
assert c == [a], (a, c)' "$API_DIR/body" "$SG_OUT"

api POST "/api/v1/exceptions/$XID/revoke" --data-binary '{"reason":"fixed in 3.0.1","as":"cto1"}'
expect_error 403 not-permitted "\"as\" naming another user than the token's is refused"
api POST "/api/v1/exceptions/$XID/revoke" --data-binary '{"reason":"fixed in 3.0.1","as":"dev"}'
expect_answer 200 "the requester revokes (\"as\" naming the token's user)"
check "revoked, by dev" jq_py 'd["status"] == "revoked" and d["revoked_by"] == "dev"'
api POST "/api/v1/exceptions/$XID/revoke" --data-binary '{"reason":"again"}'
expect_error 409 conflict "revoking it again"
api GET "/api/v1/products/svc/gate?release=3.0"
check "the gate blocks again at once" jq_py 'd["verdict"] == "block"'
API_TOKEN=$(tok dev2)
api GET "/api/v1/exceptions/$XID2"
expect_error 404 not-found "dev2 (no grant for svc) asks for svc's exception"
sg audit log --format json
check "the ledger: request by dev, approve by cto1, revoke by dev" python3 -c '
import json, sys
x = int(sys.argv[2])
e = [(a["action"], a["actor"]) for a in json.loads(sys.argv[1]) if a["action"].startswith("exception.") and a["object_id"] == x]
assert e == [("exception.request", "dev"), ("exception.approve", "cto1"), ("exception.revoke", "dev")], e' "$SG_OUT" "$XID"

# =====================================================================================
# the audit ledger over HTTP (admin)
# =====================================================================================
API_TOKEN=$(tok root)
api GET /api/v1/audit
expect_answer 200 "audit log as admin"
sg audit log --format json
check "the ledger over HTTP is 'audit log --format json'" \
	python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == json.loads(sys.argv[2])' "$API_DIR/body" "$SG_OUT"
api GET "/api/v1/audit?since=2999-01-01"
check "audit?since=2999-01-01 is empty" jq_py 'd == []'
api GET "/api/v1/audit?since=yesterday"
expect_error 400 bad-value "audit?since=yesterday"
api GET /api/v1/audit/verify
expect_answer 200 "audit verify as admin"
check "the ledger verifies" jq_py 'd["ok"] is True'
api GET "/api/v1/audit/verify?anchor=$(printf 0%.0s {1..64})"
check "audit verify with an anchor that is not the ledger's: 200 with ok false, or 400" \
	bash -c '{ [ "$1" = 200 ] && ! grep -q "\"ok\":true" "$2"; } || [ "$1" = 400 ]' _ "$API_STATUS" "$API_DIR/body"
API_TOKEN=$(tok sec)
api GET /api/v1/audit
expect_error 403 not-permitted "audit log as security"

# =====================================================================================
# bodies and their limits
# =====================================================================================
API_TOKEN=$(tok dev)
api GET /api/v1/products/web/findings --data-binary 'x=1'
expect_error 413 limit-exceeded "a GET with a body"
unset API_TOKEN
api GET /healthz --data-binary 'x=1'
expect_error 413 limit-exceeded "GET /healthz with a body"
API_TOKEN=$(tok dev)
python3 -c 'import json; print(json.dumps({"version": "9.9", "commit": "a" * 40, "build_digest": "x" * 70000}))' >big.json
BEFORE=$(state)
api POST /api/v1/products/web/releases --data-binary @big.json
expect_error 413 limit-exceeded "a JSON body of 70 KB"
api POST /api/v1/products/web/releases -H 'Transfer-Encoding: chunked' --data-binary @big.json
check "a chunked JSON body of 70 KB is not accepted" bash -c '[ "$1" = 413 ] || [ "$1" = 000 ]' _ "$API_STATUS"
python3 -c 'import json; print(json.dumps({"version": "9.8", "commit": "b" * 40, "build_digest": "x" * 65000}))' >fits.json
api POST /api/v1/products/web/releases --data-binary @fits.json
check "a JSON body just under 64 KiB is read (not 413)" test "$API_STATUS" != 413 -a "$API_STATUS" != 000
expect_eq "$(rows "SELECT count(*) FROM release WHERE version = '9.9'")" "0" "the 70 KB release was not written"

# 401 as soon as the headers are in: the body is never read.
python3 - "$SERVER_PORT" >early.txt <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
s.sendall(b"POST /api/v1/products/web/sarif HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
print(s.recv(4096).decode("latin-1").split("\r\n")[0])
EOF
check "an upload without a token is answered 401 before its body is sent" grep -q '^HTTP/1.1 401' early.txt

# --max-body: a second server with a small limit.
stop_main=$SERVER_PID
MAIN_URL=$SERVER_URL
MAIN_PORT=$SERVER_PORT
start_server --rate-limit 0 --max-body 2000 || exit 1
python3 - "$SERVER_PORT" "$(tok dev)" >maxbody.txt <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
s.sendall(("POST /api/v1/products/web/sarif HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Length: 5000\r\n\r\n" % sys.argv[2]).encode())
data = b""
while b"\r\n\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode("latin-1").split("\r\n")[0])
EOF
check "Content-Length over --max-body is answered 413 before the body is sent" grep -q '^HTTP/1.1 413' maxbody.txt
BEFORE=$(state)
api POST /api/v1/products/web/sarif -H "Authorization: Bearer $(tok dev)" --data-binary @"$WEB_SARIF"
expect_error 413 limit-exceeded "an upload over --max-body 2000 (curl)"
check "... the message says the limit" jq_py '"2000" in d["error"]["message"]'
api POST "/api/v1/products/web/sarif?commit=$C2" -H "Authorization: Bearer $(tok dev)" -H 'Transfer-Encoding: chunked' --data-binary @"$WEB_SARIF"
check "a chunked upload past --max-body is cut off, never accepted" bash -c '[ "${1:0:1}" != 2 ]' _ "$API_STATUS"
expect_eq "$(state)" "$BEFORE" "... and nothing is written"
api POST "/api/v1/products/web/sarif?commit=$C2" --data-binary "$SMALL"
check "a small upload fits under --max-body 2000" test "$API_STATUS" = 201
stop_server
expect_eq "$SERVER_RC" 0 "the --max-body server exits 0 on SIGTERM"
SERVER_PID=$stop_main
SERVER_URL=$MAIN_URL
SERVER_PORT=$MAIN_PORT
SERVER_LOG=$MAIN_LOG

# =====================================================================================
# the rate limit: a second server at 2 requests per second (bursts of 8)
# =====================================================================================
start_server --rate-limit 2 || exit 1
RATE_LOG=$SERVER_LOG
urls=()
for i in $(seq 20); do urls+=(-o /dev/null "$SERVER_URL/api/v1/products/web/findings?per_page=1"); done
curl -s -H "Authorization: Bearer $(tok dev)" -D rate.headers -w '%{http_code}\n' "${urls[@]}" >rate.codes
# At once, before the bucket refills (2 a second): dev is still refused
# (of a few more requests, at most one can find a whole token), dev2 is not.
API_TOKEN=$(tok dev)
N_RATE_REQUESTS=20
for _ in 1 2 3 4 5; do
	api GET "/api/v1/products/web/findings?per_page=1"
	N_RATE_REQUESTS=$((N_RATE_REQUESTS + 1))
	[ "$API_STATUS" = 429 ] && break
done
expect_error 429 rate-limited "the same token once more"
check "... with Retry-After" grep -Eq '^[1-9][0-9]*$' <<<"$(header Retry-After)"
API_TOKEN=$(tok dev2)
api GET "/api/v1/products/web/findings?per_page=1"
expect_answer 200 "another token is not affected"
unset API_TOKEN
N200=$(grep -c '^200$' rate.codes)
N429=$(grep -c '^429$' rate.codes)
expect_eq "$((N200 + N429))" 20 "20 quick requests with one token: each 200 or 429"
expect_eq "$(head -8 rate.codes | sort -u)" 200 "the first 8 (a burst of 4 seconds' worth) pass"
check "the rest are refused: $N429 answered 429" test "$N429" -ge 5
check "every 429 carries Retry-After, a whole number of seconds >= 1" python3 -c '
import re, sys
blocks = open(sys.argv[1], encoding="latin-1").read().split("HTTP/1.1 ")[1:]
n = 0
for b in blocks:
    if b.startswith("429"):
        m = re.search(r"(?im)^Retry-After:\s*(\d+)\s*$", b)
        assert m and int(m.group(1)) >= 1, b
        n += 1
assert n == int(sys.argv[2]), n' rate.headers "$N429"
check "every answer, 429 included, carries the security headers" python3 -c '
import sys
blocks = open(sys.argv[1], encoding="latin-1").read().split("HTTP/1.1 ")[1:]
assert len(blocks) == 20
for b in blocks:
    for h in ("X-Content-Type-Options: nosniff", "X-Frame-Options: DENY", "Cache-Control: no-store",
              "Referrer-Policy: no-referrer", "Cross-Origin-Resource-Policy: same-origin",
              "Content-Security-Policy: default-src \x27none\x27; frame-ancestors \x27none\x27"):
        assert h in b, (h, b)' rate.headers
api GET /healthz
expect_answer 200 "healthz needs no token and is not limited"
N_RATE_REQUESTS=$((N_RATE_REQUESTS + 2))
stop_server
expect_eq "$SERVER_RC" 0 "the rate-limited server exits 0 on SIGTERM"
check "the rate-limited server's log has one line per request: $N_RATE_REQUESTS" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len([l for l in lines if "status" in l]) == int(sys.argv[2]), lines' "$RATE_LOG" "$N_RATE_REQUESTS"
check "the rate-limited server's log records the 429s under dev" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
r = [l for l in lines if l.get("status") == 429]
assert len(r) >= int(sys.argv[2]) and all(l["user"] == "dev" and l["error"] == "rate-limited" for l in r), r' "$RATE_LOG" "$N429"
SERVER_PID=$stop_main
SERVER_URL=$MAIN_URL
SERVER_PORT=$MAIN_PORT
SERVER_LOG=$MAIN_LOG

# =====================================================================================
# the request log (the main server's stderr)
# =====================================================================================
API_TOKEN=$(tok vic)
api GET "/api/v1/products/web/gate?release=1.0"
unset API_TOKEN
api GET /api/v1/products/web/gate -H "Authorization: Bearer sgt_$(printf 'Z%.0s' {1..43})"
sleep 0.3
check "every line of the log is one JSON object" python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    assert line.endswith("\n")
    assert isinstance(json.loads(line), dict), line
    n += 1
assert n > 100, n' "$SERVER_LOG"
check "every request line has time, remote, method, path, status, bytes, us and user" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
r = [l for l in r if "status" in l]
assert len(r) > 100, len(r)
for l in r:
    assert {"time", "remote", "method", "path", "status", "bytes_in", "bytes_out", "us", "user"} <= set(l), l
    assert l["remote"] == "127.0.0.1" and "?" not in l["path"] and isinstance(l["us"], int), l
    assert (l["status"] >= 400) == ("error" in l), l' "$SERVER_LOG"
check "the vic gate request is logged with its user, status and no query string" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
r = [l for l in r if l.get("path") == "/api/v1/products/web/gate" and l.get("user") == "vic" and l["status"] == 200]
assert r, "no line"' "$SERVER_LOG"
check "a refused token is logged with user null and error unauthenticated" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
r = [l for l in r if l.get("status") == 401]
assert r and all(l["user"] is None and l["error"] == "unauthenticated" for l in r), r' "$SERVER_LOG"
check "the triage is logged under sec" python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert any(l.get("user") == "sec" and l.get("path", "").endswith("/triage") and l["status"] == 200 for l in r)' "$SERVER_LOG"
check "no token's text is in any log" bash -c '! grep -qF -f <(awk 1 "$1"/token.*) "$1"/server.*.log' _ "$TEST_DIR"
check "no token-looking text at all in any log" bash -c '! grep -qE "sgt_[A-Za-z0-9_-]{20}" "$1"/server.*.log' _ "$TEST_DIR"
check "no commit (a query string) in the log" bash -c '! grep -qF "$2" "$1"' _ "$SERVER_LOG" "$C1"

stop_server
expect_eq "$SERVER_RC" 0 "the main server exits 0 on SIGTERM"
check "its log ends with stopping, stopped" bash -c 'tail -2 "$1" | tr -d "\n" | grep -q "\"event\":\"stopping\"}{\"event\":\"stopped\"}"' _ "$SERVER_LOG"

# =====================================================================================
# listening: a non-loopback address needs TLS or --behind-tls-proxy
# =====================================================================================
ADDR=$( (ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1; hostname -I 2>/dev/null | tr ' ' '\n') |
	grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -1)
[ -n "$ADDR" ] || ADDR=0.0.0.0
SG_OUT=$(timeout 20 "$SG_BIN" --db "$SHIPGATE_DB" serve --listen "$ADDR:0" --port-file port.refused 2>"$TEST_DIR/.stderr")
SG_RC=$?
SG_ERR=$(cat "$TEST_DIR/.stderr")
expect_rc 2 "serve --listen $ADDR:0 without TLS is refused (exit 2)"
expect_err "without TLS" "... saying tokens would cross in clear text"
check "... and wrote no port file" test ! -e port.refused
SG_OUT=$(timeout 20 "$SG_BIN" --db "$SHIPGATE_DB" serve --listen 0.0.0.0:0 2>"$TEST_DIR/.stderr")
SG_RC=$?
expect_rc 2 "serve --listen 0.0.0.0:0 without TLS is refused (exit 2)"
SG_OUT=$(timeout 20 "$SG_BIN" --db "$SHIPGATE_DB" serve --listen localhost:0 2>"$TEST_DIR/.stderr")
SG_RC=$?
expect_rc 2 "serve --listen localhost:0: host names are not resolved (exit 2)"
portfile=$TEST_DIR/port.proxy
"$SG_BIN" --db "$SHIPGATE_DB" serve --listen "$ADDR:0" --behind-tls-proxy --port-file "$portfile" 2>proxy.log &
PROXY_PID=$!
SERVER_PIDS+=("$PROXY_PID")
for _ in $(seq 300); do [ -s "$portfile" ] && break; kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
check "with --behind-tls-proxy it listens on $ADDR" test -s "$portfile"
if [ "$ADDR" != 0.0.0.0 ] && [ -s "$portfile" ]; then
	API_BASE=http://$ADDR:$(cat "$portfile") api GET /healthz
	expect_answer 200 "healthz on $ADDR"
fi
stop_server "$PROXY_PID"
expect_eq "$SERVER_RC" 0 "... and stops on SIGTERM with exit 0"

# =====================================================================================
# TLS
# =====================================================================================
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key -out tls.crt \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
	ok "openssl made a self-signed ECDSA certificate for 127.0.0.1"
else
	not_ok "openssl made a self-signed ECDSA certificate for 127.0.0.1"
fi
start_server --tls-cert tls.crt --tls-key tls.key || exit 1
check "the listening line says tls true" grep -q '"tls":true' "$SERVER_LOG"
API_BASE=https://127.0.0.1:$SERVER_PORT api GET /healthz --cacert tls.crt
expect_answer 200 "healthz over TLS, curl --cacert"
expect_eq "$(header Strict-Transport-Security)" "max-age=31536000" "Strict-Transport-Security is present"
API_TOKEN=$(tok vic) API_BASE=https://127.0.0.1:$SERVER_PORT api GET "/api/v1/products/web/findings?per_page=2" --cacert tls.crt
expect_answer 200 "an authenticated request over TLS"
check "... with HSTS" test -n "$(header Strict-Transport-Security)"
API_BASE=https://127.0.0.1:$SERVER_PORT api GET /api/v1/products/web/findings --cacert tls.crt
expect_error 401 unauthenticated "a 401 over TLS"
check "... with HSTS" test -n "$(header Strict-Transport-Security)"
API_BASE=https://127.0.0.1:$SERVER_PORT api GET /healthz
check "without --cacert the certificate is not trusted (curl fails)" test "$API_STATUS" = 000
API_BASE=http://127.0.0.1:$SERVER_PORT API_MAX_TIME=10 api GET /healthz
check "plain http to the TLS port gets no answer" test "$API_STATUS" != 200
SHIPGATE_TOKEN=$(tok dev) sg --server "https://127.0.0.1:$SERVER_PORT" --cacert tls.crt gate --product clean --release 2.0
expect_rc 0 "the CLI over TLS with --cacert: gate of clean 2.0 passes"
stop_server
expect_eq "$SERVER_RC" 0 "the TLS server exits 0 on SIGTERM"
check "the TLS key is in no log" bash -c '! grep -qF "$(sed -n 2p "$1")" "$2"' _ tls.key "$SERVER_LOG"

# =====================================================================================
# hostile requests found in review
# =====================================================================================
start_server --rate-limit 0 || exit 1
# A Content-Length past 2^63 on a route that takes no body, and on an upload.
python3 - "$SERVER_PORT" >huge-length.txt <<'EOF'
import socket, sys
for path, method in (("/healthz", "GET"), ("/api/v1/products/web/sarif", "POST")):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n" % (method, path)).encode() + b"x" * 4096)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    print(path, data.split(b"\r\n", 1)[0].decode("latin-1"))
EOF
check "a Content-Length past 2^63 is refused, not served" bash -c '! grep -q " 200 " "$1"' _ huge-length.txt
api GET /healthz
expect_answer 200 "the server is alive after Content-Length past 2^63"
# A chunked JSON body over 64 KiB: a 413 answer, not a dropped connection.
API_TOKEN=$(tok sec)
python3 -c 'import json; print(json.dumps({"status": "open", "reason": "x" * 70000}))' >big.json
api POST /api/v1/findings/1/triage -H "Transfer-Encoding: chunked" --data-binary @big.json
expect_error 413 limit-exceeded "a chunked JSON body over 64 KiB: 413"
# An exception naming a finding of a product the caller does not see: 404,
# the same as a finding that does not exist, and the product is not named.
API_TOKEN=$(tok root)
api POST "/api/v1/products/hidden/sarif?commit=$(commit_of hidden)" --data-binary @"$WEB_SARIF"
expect_answer 201 "root uploads into product hidden (no one else has a grant)"
HID=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'hidden' LIMIT 1")
API_TOKEN=$(tok dev)
api POST /api/v1/exceptions --data-binary "{\"finding\":\"$HID\",\"product\":\"web\",\"reason\":\"r\",\"expires\":\"$(date -u -d '+10 days' +%F)\"}"
expect_error 404 not-found "an exception for a finding of a foreign product: 404"
check "... which does not name the product" bash -c '! grep -q hidden <<<"$1"' _ "$API_BODY"
api POST /api/v1/exceptions --data-binary "{\"finding\":\"99999999\",\"product\":\"web\",\"reason\":\"r\",\"expires\":\"$(date -u -d '+10 days' +%F)\"}"
expect_error 404 not-found "... as for a finding that does not exist"
# A product name with a "/" is reachable, encoded.
API_TOKEN=$(tok root)
api POST "/api/v1/products/team%2Fweb/sarif?commit=$(commit_of team)" --data-binary @"$WEB_SARIF"
expect_answer 201 "an upload into product team/web (encoded)"
api GET /api/v1/products/team%2Fweb/sla
expect_answer 200 "GET .../team%2Fweb/sla"
check "... names the product team/web" jq_py 'd["product"] == "team/web"'
stop_server
expect_eq "$SERVER_RC" 0 "the server exits 0 on SIGTERM"

# The request timeout holds for every phase: headers trickled a line a second
# are cut after --request-timeout; a keep-alive connection idle between
# requests is not.
start_server --request-timeout 2 || exit 1
python3 - "$SERVER_PORT" >trickle.txt <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
t0, closed = time.time(), None
for _ in range(10):
    time.sleep(1)
    try:
        s.sendall(b"X-Slow: y\r\n")
        s.settimeout(0.05)
        try:
            if s.recv(100) == b"":
                closed = time.time() - t0
                break
        except socket.timeout:
            pass
    except OSError:
        closed = time.time() - t0
        break
print("trickle", "cut" if closed is not None and closed < 6 else "not cut", closed)
k = socket.create_connection(("127.0.0.1", port))
k.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
first = k.recv(4096)
time.sleep(4)
k.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
k.settimeout(5)
second = k.recv(4096)
print("keepalive", "ok" if first.startswith(b"HTTP/1.1 200") and b"HTTP/1.1 200" in second else "cut")
EOF
check "headers trickled past --request-timeout: the connection is cut" grep -q "^trickle cut" trickle.txt
check "a keep-alive connection idle between requests is not cut" grep -q "^keepalive ok" trickle.txt
check "the cut is in the log" grep -q '"event":"request-timeout"' "$SERVER_LOG"
stop_server
expect_eq "$SERVER_RC" 0 "the server exits 0 on SIGTERM"

# =====================================================================================
# at the end
# =====================================================================================
sg audit verify
expect_rc 0 "audit verify (the CLI, on the store) passes after everything"
check "no server is left running" bash -c 'for p in "$@"; do kill -0 "$p" 2>/dev/null && exit 1; done; exit 0' _ "${SERVER_PIDS[@]}"
