#!/usr/bin/env bash
# The command line against a server (`--server URL`, docs/api.md "The
# command line against a server"), checked against a fake server: a small
# python3 HTTP server that records every request (method, path, query,
# Authorization, Content-Type, body) and answers what the test queued.
# Each verb sends the request docs/api.md lists; an error answer becomes
# `shipgate: error: MESSAGE [CODE]` with the exit status of its HTTP status;
# without a token nothing is sent; the token never appears in any output;
# `exception approve --key` sends a signature that verifies over the
# payload; an upload larger than the client's answer bound is streamed; TLS
# is verified (--cacert).
. "$(dirname "$0")/lib.sh"

TOKEN=sgt_t6200SecretTokenValue0123456789abcdefghij
FF=$ROOT/examples/demo-app/scans/flawfinder.sarif
SBOM=$ROOT/examples/demo-app/sbom.cdx.json
FAKE=$TEST_DIR/fake
mkdir -p "$FAKE"
unset SHIPGATE_SERVER SHIPGATE_TOKEN

cat >"$TEST_DIR/fake.py" <<'PYEOF'
# fake.py DIR [--tls CERT KEY]: serve on 127.0.0.1, port 0; the port goes
# to DIR/port. Each request is appended to DIR/log (one JSON line; small
# bodies also to DIR/body.N). The answer is the first of DIR/answers (a
# JSON list, consumed), else 200 {"fake":"ok"}. An answer: {"status",
# "body" (text), "ctype", "headers", "big": N bytes without a length}.
import hashlib, http.server, json, os, ssl, sys, threading
D = sys.argv[1]
lock = threading.Lock()
count = [0]

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def read_body(self):
        h = hashlib.sha256()
        keep = bytearray()
        n = 0
        def take(b):
            nonlocal n
            h.update(b)
            n += len(b)
            if len(keep) < (1 << 20):
                keep.extend(b[: (1 << 20) - len(keep)])
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "")
        if chunked:
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                left = size
                while left:
                    b = self.rfile.read(min(left, 1 << 16))
                    take(b)
                    left -= len(b)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left:
                b = self.rfile.read(min(left, 1 << 16))
                if not b:
                    break
                take(b)
                left -= len(b)
        return n, h.hexdigest(), bytes(keep), chunked
    def answer(self):
        with lock:
            count[0] += 1
            i = count[0]
            ans = {"status": 200, "body": '{"fake":"ok"}'}
            p = os.path.join(D, "answers")
            if os.path.exists(p):
                queue = json.load(open(p))
                if queue:
                    ans = queue.pop(0)
                    json.dump(queue, open(p, "w"))
        n, digest, keep, chunked = self.read_body()
        path, _, query = self.path.partition("?")
        with lock:
            open(os.path.join(D, "body.%d" % i), "wb").write(keep)
            with open(os.path.join(D, "log"), "a") as f:
                f.write(json.dumps({"n": i, "method": self.command, "path": path, "query": query,
                                    "auth": self.headers.get("Authorization"),
                                    "ctype": self.headers.get("Content-Type"),
                                    "len": n, "sha256": digest, "chunked": chunked}) + "\n")
        self.send_response(ans.get("status", 200))
        for k, v in ans.get("headers", {}).items():
            self.send_header(k, v)
        if "big" in ans:
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            block = b" " * (1 << 20)
            try:
                for _ in range(ans["big"] >> 20):
                    self.wfile.write(block)
            except OSError:
                pass
            self.close_connection = True
            return
        body = ans.get("body", "").encode()
        self.send_header("Content-Type", ans.get("ctype", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
if len(sys.argv) > 2 and sys.argv[2] == "--tls":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(os.path.join(D, "port.tmp"), "w").write(str(srv.server_address[1]))
os.rename(os.path.join(D, "port.tmp"), os.path.join(D, "port"))
srv.serve_forever()
PYEOF

FAKE_PIDS=()
cleanup() {
	local p
	for p in "${FAKE_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

start_fake() { # start_fake DIR [--tls CERT KEY]: sets FAKE_PORT
	local dir=$1 i
	shift
	python3 "$TEST_DIR/fake.py" "$dir" "$@" >/dev/null 2>"$dir/stderr" &
	FAKE_PIDS+=($!)
	for i in $(seq 1 100); do
		[ -s "$dir/port" ] && break
		sleep 0.1
	done
	FAKE_PORT=$(cat "$dir/port")
}
start_fake "$FAKE"
PORT=$FAKE_PORT
check "the fake server listens (port '$PORT')" test -n "$PORT"
URL=http://127.0.0.1:$PORT

# Every output of every run is kept: the token must appear in none.
ALL=$TEST_DIR/all-output
rsg() { # shipgate against the fake, token in the environment
	SHIPGATE_TOKEN=$TOKEN sg --server "$URL" "$@"
	printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL"
}
answers() { printf '%s' "$1" >"$FAKE/answers"; } # answers JSON-LIST: queue the next answers
n_requests() { if [ -f "$FAKE/log" ]; then wc -l <"$FAKE/log"; else echo 0; fi; }
# last FIELD [N-FROM-END]: a field of the last (or an earlier) request
last() { tail -n "${2:-1}" "$FAKE/log" | head -1 | python3 -c "import json, sys; v = json.load(sys.stdin)['$1']; print(v if v is not None else '')"; }
last_body() { cat "$FAKE/body.$(n_requests)"; }
# body_is JSON WHAT: the last request's body is this JSON object (members in any order)
body_is() {
	if python3 -c "import json, sys; a = json.loads(sys.argv[1]); b = json.load(open(sys.argv[2])); sys.exit(a != b)" \
		"$1" "$FAKE/body.$(n_requests)"; then ok "$2"; else
		not_ok "$2 (body $(last_body))"
	fi
}
# req_is METHOD PATH QUERY WHAT: the last request
req_is() {
	local got
	got="$(last method) $(last path) $(last query)"
	expect_eq "$got" "$1 $2 $3" "$4"
}

# =====================================================================================
# global options: refused before any request
# =====================================================================================
sg --server "$URL" gate --product demo
expect_rc 2 "--server without a token: exit 2"
expect_err "needs an API token" "--server without a token says a token is needed"
SHIPGATE_TOKEN= sg --server "$URL" gate --product demo
expect_rc 2 "--server with an empty \$SHIPGATE_TOKEN: exit 2"
expect_eq "$(n_requests)" 0 "without a token no request was sent"
rsg --db "sqlite:$TEST_DIR/x.db" gate --product demo
expect_rc 2 "--server with --db: exit 2"
expect_err "do not apply with --server" "--db with --server says it does not apply"
rsg --policy shipgate.yml gate --product demo
expect_rc 2 "--server with --policy: exit 2"
sg --token "$TOKEN" gate --product demo
expect_rc 2 "--token without --server: exit 2"
expect_err "only with --server" "--token without --server says it needs --server"
SHIPGATE_TOKEN=$TOKEN sg --server "ftp://127.0.0.1:$PORT" gate --product demo
expect_rc 2 "--server ftp://: exit 2"
SHIPGATE_TOKEN=$TOKEN sg --server "http://user:pw@127.0.0.1:$PORT" gate --product demo
expect_rc 2 "--server with a password in the URL: exit 2"
SHIPGATE_TOKEN=$'sgt_bad\r\nX-Injected: 1' sg --server "$URL" gate --product demo
expect_rc 2 "a token holding CR LF (a header injection): exit 2"
expect_err "printable ASCII" "the refused token is described, not quoted"
check "the refused token is not printed" bash -c '! grep -q "X-Injected" <<<"$0"' "$SG_ERR"
rsg vulndb status
expect_rc 2 "vulndb status with --server: exit 2"
expect_err "ingest, findings, release, gate, sla, exception and audit" "a local-only verb names the verbs that work remotely"
rsg init
expect_rc 2 "init with --server: exit 2"
rsg findings show abc
expect_rc 2 "findings show abc: exit 2 (an id is a positive integer)"
rsg gate --product demo --format text
expect_rc 2 "gate --format text with --server: exit 2"
expect_err "the server answers JSON" "gate --format text says the server answers JSON"
rsg ingest sarif "$FF" --product demo --source-root .
expect_rc 2 "ingest sarif --source-root with --server: exit 2"
rsg findings --product demo --limit 5
expect_rc 2 "findings --limit with --server: exit 2 (pages instead)"
expect_eq "$(n_requests)" 0 "none of the refused commands sent a request"

# =====================================================================================
# each verb: method, path, query, body, Authorization
# =====================================================================================
answers '[{"status": 200, "body": "{\"scan\":1,\"results\":3}\n"}]'
rsg ingest sarif "$FF" --product "my app/x" --commit abc123 --release 1.0 --kind dast --env staging --category web
expect_rc 0 "ingest sarif: exit 0"
req_is POST "/api/v1/products/my%20app%2Fx/sarif" "commit=abc123&release=1.0&kind=dast&env=staging&category=web" \
	"ingest sarif: POST to the product's sarif route (name escaped into one segment) with every option as a query parameter"
expect_eq "$(last auth)" "Bearer $TOKEN" "the request carries Authorization: Bearer TOKEN"
expect_eq "$(last ctype)" "application/json" "ingest sarif: Content-Type application/json"
expect_eq "$(last sha256)" "$(sha256sum <"$FF" | cut -c1-64)" "ingest sarif: the body is the file, byte for byte"
expect_eq "$(last len)" "$(stat -c %s "$FF")" "ingest sarif: with its length"
expect_eq "$SG_OUT" '{"scan":1,"results":3}' "ingest sarif prints the server's answer (one trailing newline)"

cp "$FF" a.sarif
cp "$FF" b.sarif
cp "$FF" c.sarif
N0=$(n_requests)
answers '[{"status": 200, "body": "{\"file\":\"a\"}"}, {"status": 400, "body": "{\"error\":{\"code\":\"sarif-invalid\",\"message\":\"results[0] has no message\"}}"}]'
rsg ingest sarif a.sarif b.sarif c.sarif --product demo
expect_rc 2 "ingest sarif of 3 files, the second refused (400): exit 2"
expect_eq "$(($(n_requests) - N0))" 2 "one upload per file, stopping at the first failure: the third was not sent"
expect_eq "$SG_OUT" '{"file":"a"}' "the first file's answer was printed"
expect_err "shipgate: error: b.sarif: results[0] has no message [sarif-invalid]" "the failure names its file, the server's message and code"
expect_err "stopped at file 2 of 3" "the failure says which file it stopped at"

rsg ingest sbom "$SBOM" --product demo --commit abc123
expect_rc 0 "ingest sbom: exit 0"
req_is POST /api/v1/products/demo/sbom "commit=abc123" "ingest sbom: POST to the sbom route"
expect_eq "$(last sha256)" "$(sha256sum <"$SBOM" | cut -c1-64)" "ingest sbom: the body is the file"
SHIPGATE_TOKEN=$TOKEN "$SG_BIN" --server "$URL" ingest sbom - --product demo <"$SBOM" >/dev/null 2>&1
expect_eq "$(last chunked) $(last sha256)" "True $(sha256sum <"$SBOM" | cut -c1-64)" \
	"ingest sbom - : standard input is streamed in chunks (no length known)"

rsg findings --product demo --status open --severity high --page 2 --per-page 50
expect_rc 0 "findings: exit 0"
req_is GET /api/v1/products/demo/findings "status=open&severity=high&page=2&per_page=50" \
	"findings: GET the product's findings with status, severity, page and per_page"
expect_eq "$(last len)" 0 "a GET has no body"
rsg findings list --product demo --format json
req_is GET /api/v1/products/demo/findings "" "findings list --format json: no query parameters"
rsg findings show 12
req_is GET /api/v1/findings/12 "" "findings show 12: GET /api/v1/findings/12"
rsg findings triage 12 --status false_positive --reason "not reachable: see #4"
expect_rc 0 "findings triage: exit 0"
req_is POST /api/v1/findings/12/triage "" "findings triage: POST /api/v1/findings/12/triage"
body_is '{"status":"false_positive","reason":"not reachable: see #4"}' "findings triage: body {status, reason}"
expect_eq "$(last ctype)" "application/json" "a JSON body is sent as application/json"

rsg release create demo 1.2.0 --commit abc123 --build-digest sha256:00ff
req_is POST /api/v1/products/demo/releases "" "release create: POST the product's releases"
body_is '{"version":"1.2.0","commit":"abc123","build_digest":"sha256:00ff"}' "release create: body {version, commit, build_digest}"
rsg release create demo 1.3.0 --commit abc123
body_is '{"version":"1.3.0","commit":"abc123"}' "release create without --build-digest: the member is left out"

answers '[{"body": "{\"product\":\"demo\",\"verdict\":\"pass\",\"clauses\":[]}"}]'
rsg gate --product demo --release 1.2.0
expect_rc 0 "gate, verdict pass: exit 0"
req_is GET /api/v1/products/demo/gate "release=1.2.0" "gate: GET the product's gate with release"
expect_eq "$SG_OUT" '{"product":"demo","verdict":"pass","clauses":[]}' "gate prints the server's report"
answers '[{"body": "{\"product\":\"demo\",\"verdict\":\"block\",\"clauses\":[{\"id\":\"sast\",\"status\":\"fail\"}]}"}]'
rsg gate --product demo --format json
expect_rc 1 "gate, verdict block: exit 1"
expect_out '"verdict":"block"' "a blocked gate still prints the report"
expect_eq "$SG_ERR" "" "a blocked gate prints no error (the report says why)"
answers '[{"body": "{\"product\":\"demo\",\"clauses\":[]}"}]'
rsg gate --product demo
expect_rc 3 "gate, an answer without a verdict: exit 3 (never a pass)"
answers '[{"body": "<html>hello</html>", "ctype": "text/html"}]'
rsg gate --product demo
expect_rc 3 "gate, an answer that is not JSON: exit 3"
expect_err "not the JSON expected" "an answer that is not JSON is said to be so"
expect_eq "$SG_OUT" "" "an answer that is not JSON is not printed"

answers '[{"body": "{\"product\":\"demo\",\"findings\":[],\"blocking_overdue\":2}"}]'
rsg sla --product demo
expect_rc 1 "sla, blocking findings overdue: exit 1 (as the local sla)"
req_is GET /api/v1/products/demo/sla "" "sla: GET the product's sla"
answers '[{"body": "{\"product\":\"demo\",\"findings\":[],\"blocking_overdue\":0}"}]'
rsg sla --product demo
expect_rc 0 "sla, none overdue: exit 0"

rsg exception request --rule flawfinder:FF1001 --product demo --reason "vendored code" --expires 2030-04-01
expect_rc 0 "exception request: exit 0"
req_is POST /api/v1/exceptions "" "exception request: POST /api/v1/exceptions"
body_is '{"rule":"flawfinder:FF1001","product":"demo","reason":"vendored code","expires":"2030-04-01"}' \
	"exception request: body {rule, product, reason, expires}"
rsg exception request --finding 5 --all-products --reason r --expires 2030-04-01
body_is '{"finding":"5","all_products":true,"reason":"r","expires":"2030-04-01"}' \
	"exception request --finding --all-products: finding as a string, all_products true"
rsg exception request --component pkg:npm/lodash --product demo --reason r --expires 2030-04-01
body_is '{"component":"pkg:npm/lodash","product":"demo","reason":"r","expires":"2030-04-01"}' \
	"exception request --component: body {component, ...}"
rsg exception revoke 7 --reason "fixed in 1.0.1"
req_is POST /api/v1/exceptions/7/revoke "" "exception revoke: POST /api/v1/exceptions/7/revoke"
body_is '{"reason":"fixed in 1.0.1"}' "exception revoke: body {reason}"
# --as goes to the server, which refuses any name but the token's user's.
rsg exception revoke 7 --reason r --as dana
body_is '{"reason":"r","as":"dana"}' "exception revoke --as: sent as \"as\" for the server to check"
rsg exception list --status active --product "a&b"
req_is GET /api/v1/exceptions "status=active&product=a%26b" "exception list: GET with status and product (escaped)"

PAYLOAD=$'shipgate-exception-approval-v1\nid: 7\nscope: rule\ntool: flawfinder\nrule: FF1001\nproduct: demo\nexpires: 2030-04-01\nreason: vendored code\nrequester: dana\n'
payload_answer() { # payload_answer TEXT: queue it as the text/plain answer
	python3 -c "import json, sys; print(json.dumps([{'body': sys.argv[1], 'ctype': 'text/plain'}]))" "$1" >"$FAKE/answers"
}
payload_answer "$PAYLOAD"
SHIPGATE_TOKEN=$TOKEN "$SG_BIN" --server "$URL" exception payload 7 >payload.out 2>payload.err
SG_RC=$?
expect_rc 0 "exception payload: exit 0"
req_is GET /api/v1/exceptions/7/payload "" "exception payload: GET /api/v1/exceptions/7/payload"
check "exception payload prints the text byte for byte" cmp -s payload.out <(printf '%s' "$PAYLOAD")

rsg audit log --since 2030-01-01
req_is GET /api/v1/audit "since=2030-01-01" "audit log: GET /api/v1/audit with since"
answers '[{"body": "{\"ok\":true,\"events\":12}"}]'
rsg audit verify --anchor 00ab
expect_rc 0 "audit verify, ok: exit 0"
req_is GET /api/v1/audit/verify "anchor=00ab" "audit verify: GET /api/v1/audit/verify with anchor"
answers '[{"body": "{\"ok\":false,\"events\":12,\"bad_event\":4,\"problem\":\"event 4 does not chain\"}"}]'
rsg audit verify
expect_rc 1 "audit verify, not ok: exit 1 (as the local verify)"
expect_err "event 4 does not chain [audit-broken]" "audit verify names the server's problem"

N0=$(n_requests)
SHIPGATE_SERVER=$URL SHIPGATE_TOKEN=$TOKEN sg findings show 3
printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL"
expect_rc 0 "\$SHIPGATE_SERVER without --server: exit 0"
req_is GET /api/v1/findings/3 "" "\$SHIPGATE_SERVER alone sends the verb to the server"
SHIPGATE_SERVER=$URL SHIPGATE_TOKEN=$TOKEN sg --server '' policy show
expect_rc 0 "--server '' with \$SHIPGATE_SERVER set: the command runs locally (policy show)"
expect_out "block_release" "... and prints the local policy"
SHIPGATE_SERVER=$URL SHIPGATE_TOKEN=$TOKEN sg token list
expect_rc 2 "a local-only verb with \$SHIPGATE_SERVER set: exit 2"
expect_err "--server '' acts locally" "... saying how to act locally"
expect_eq "$(($(n_requests) - N0))" 1 "only the findings show reached the server"

# =====================================================================================
# exception approve: signed here, only the signature is sent
# =====================================================================================
sg key generate --out chris.key
expect_rc 0 "key generate --out chris.key"
N0=$(n_requests)
payload_answer "$PAYLOAD"
rsg exception approve 7 --key chris.key
expect_rc 0 "exception approve --key: exit 0"
expect_eq "$(($(n_requests) - N0))" 2 "approve --key: two requests (the payload, then the approval)"
expect_eq "$(last method 2) $(last path 2)" "GET /api/v1/exceptions/7/payload" "approve --key first gets the payload"
req_is POST /api/v1/exceptions/7/approve "" "approve --key then POSTs /api/v1/exceptions/7/approve"
python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['signature'], end='')" "$FAKE/body.$(n_requests)" >sent.sig
check "the body is {\"signature\": TEXT}, TEXT a signature file" grep -q '^shipgate ed25519 signature$' sent.sig
check "the private key did not leave the machine" bash -c '! grep -qF "$(sed -n "s/^secret: //p" chris.key)" "$0"/body.*' "$FAKE"
expect_eq "$(sed -n 's/^key-id: //p' sent.sig)" "$(sed -n 's/^key-id: //p' chris.key.pub)" "the signature names chris's key id"
# The signature verifies over the payload with the public key (openssl,
# Ed25519: the 32 raw bytes behind the SubjectPublicKeyInfo prefix).
{ printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; sed -n 's/^public: //p' chris.key.pub | base64 -d; } >pub.der
openssl pkey -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null
sed -n 's/^signature: //p' sent.sig | base64 -d >sig.bin
printf '%s' "$PAYLOAD" >payload.txt
check "openssl: the signature verifies over the payload" \
	bash -c "openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in payload.txt -sigfile sig.bin >/dev/null"
printf '%s' "${PAYLOAD/vendored/VENDORED}" >payload.edited
check "openssl: the signature does not verify over an edited payload" \
	bash -c '! openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in payload.edited -sigfile sig.bin >/dev/null 2>&1'

# The same signature made offline (key sign) and sent with --signature.
printf '%s' "$PAYLOAD" | "$SG_BIN" key sign --key chris.key - >offline.sig
rsg exception approve 7 --signature offline.sig
expect_rc 0 "exception approve --signature: exit 0"
req_is POST /api/v1/exceptions/7/approve "" "approve --signature POSTs the approval (no payload request)"
python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['signature'], end='')" "$FAKE/body.$(n_requests)" >sent2.sig
check "approve --signature sends the signature file's text" cmp -s sent2.sig offline.sig
check "key sign and approve --key made the same signature (Ed25519 is deterministic)" cmp -s sent2.sig sent.sig

N0=$(n_requests)
payload_answer "${PAYLOAD/id: 7/id: 8}"
rsg exception approve 7 --key chris.key
expect_rc 3 "approve --key, the server's payload is another exception's: exit 3"
expect_err "nothing signed" "a payload for another exception is not signed"
expect_eq "$(($(n_requests) - N0))" 1 "no approval was sent"
rsg exception approve 7 --key chris.key --signature offline.sig
expect_rc 2 "approve with --key and --signature: exit 2"

# =====================================================================================
# errors: the server's message and code, the exit status from the HTTP status
# =====================================================================================
err_case() { # err_case STATUS CODE WANTED-EXIT
	answers "[{\"status\": $1, \"body\": \"{\\\"error\\\":{\\\"code\\\":\\\"$2\\\",\\\"message\\\":\\\"server says $1\\\"}}\"}]"
	rsg findings show 12
	expect_rc "$3" "HTTP $1 $2: exit $3"
	expect_err "shipgate: error: " "HTTP $1: an error line"
	expect_err "server says $1 [$2]" "HTTP $1: the server's message and [$2]"
}
err_case 400 bad-value 2
err_case 404 not-found 2
err_case 409 conflict 2
err_case 413 limit-exceeded 2
err_case 401 unauthenticated 2
expect_err "refused the token" "HTTP 401 says the token was refused"
err_case 403 not-permitted 1
err_case 403 approval-refused 1
err_case 500 internal 3
err_case 503 unavailable 3
err_case 503 audit-broken 3
answers '[{"status": 429, "headers": {"Retry-After": "3"}, "body": "{\"error\":{\"code\":\"rate-limited\",\"message\":\"too many requests\"}}"}]'
rsg findings show 12
expect_rc 2 "HTTP 429: exit 2"
expect_err "too many requests (retry after 3 s) [rate-limited]" "HTTP 429 says when to come back (Retry-After)"
answers '[{"status": 400, "body": "{\"error\":{\"code\":\"bad-value\",\"message\":\"the request body: --status must be open [bad-value]\"}}"}]'
rsg findings show 12
expect_err "must be open [bad-value]" "a message ending in its own code"
check "... does not print the code twice" bash -c '! grep -q "\[bad-value\] \[bad-value\]" <<<"$0"' "$SG_ERR"
answers '[{"status": 400, "body": "{\"error\":{\"code\":\"frobnicated\",\"message\":\"new in a later server\"}}"}]'
rsg findings show 12
expect_rc 2 "an error code this client does not know: exit by its status (400: 2)"
expect_err "new in a later server (the server's code \"frobnicated\")" "an unknown code is shown as the server's"
answers '[{"status": 502, "body": "<html>bad gateway</html>", "ctype": "text/html"}]'
rsg findings show 12
expect_rc 3 "HTTP 502 from a proxy, not JSON: exit 3"
expect_err "answered HTTP 502" "an error answer without the error JSON names its status"
answers '[{"status": 400, "body": "{\"error\":{\"code\":\"bad-value\",\"message\":\"esc \\u001b[31m here\"}}"}]'
rsg findings show 12
no_escape() { case "$1" in *$'\e'*) return 1 ;; *) return 0 ;; esac; }
check "a control character in the server's message does not reach the terminal" no_escape "$SG_ERR"
N0=$(n_requests)
answers "[{\"status\": 301, \"headers\": {\"Location\": \"http://127.0.0.1:1/elsewhere\"}, \"body\": \"\"}]"
rsg findings show 12
expect_rc 2 "a redirect: exit 2"
expect_err "not followed" "a redirect is said not to be followed"
expect_eq "$(($(n_requests) - N0))" 1 "the redirect was not followed (one request)"

SHIPGATE_TOKEN=$TOKEN sg --server "http://127.0.0.1:1" gate --product demo
printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL"
expect_rc 3 "a server that cannot be reached: exit 3"
expect_err 'cannot reach the server at "http://127.0.0.1:1"' "an unreachable server is named by its URL"

# =====================================================================================
# sizes: an upload larger than the answer bound is streamed; a huge answer is refused
# =====================================================================================
BIG=$TEST_DIR/big.sarif
head -c $((80 << 20)) /dev/zero | tr '\0' ' ' >"$BIG"
# Run it as python's child: its peak resident memory (KiB) goes to rss.txt.
SHIPGATE_TOKEN=$TOKEN python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open("big.err", "w"))
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' rss.txt "$SG_BIN" --server "$URL" ingest sarif "$BIG" --product demo
SG_RC=$?
SG_ERR=$(cat big.err)
expect_rc 0 "an 80 MiB upload (more than the 64 MiB answer bound): exit 0"
expect_eq "$(last len) $(last sha256)" "$((80 << 20)) $(sha256sum <"$BIG" | cut -c1-64)" "the whole 80 MiB arrived, byte for byte"
RSS_KB=$(tail -1 rss.txt)
check "the upload was streamed: the client's peak memory (${RSS_KB} KiB) stayed under 64 MiB" test "$RSS_KB" -lt 65536
rm -f "$BIG"
answers '[{"big": 68157440}]'
rsg audit log
expect_rc 2 "an answer larger than 64 MiB: exit 2"
expect_err "[limit-exceeded]" "an answer over the bound is limit-exceeded"

# =====================================================================================
# TLS: verified; --cacert trusts a server's own CA
# =====================================================================================
mkdir -p tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=shipgate-test \
	-addext subjectAltName=IP:127.0.0.1 -keyout tls/key.pem -out tls/cert.pem >/dev/null 2>&1
start_fake tls --tls tls/cert.pem tls/key.pem
TLS_PORT=$FAKE_PORT
SHIPGATE_TOKEN=$TOKEN sg --server "https://127.0.0.1:$TLS_PORT" findings show 1
printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL"
expect_rc 3 "https to a certificate no CA vouches for: exit 3 (verification stays on)"
expect_err "cannot verify the TLS certificate" "a certificate that does not verify is said to be so"
check "... and nothing was sent" test ! -s tls/log
SHIPGATE_TOKEN=$TOKEN sg --server "https://127.0.0.1:$TLS_PORT" --cacert tls/cert.pem findings show 1
printf '%s\n%s\n' "$SG_OUT" "$SG_ERR" >>"$ALL"
expect_rc 0 "https with --cacert naming the server's certificate: exit 0"
expect_eq "$(tail -1 tls/log | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["method"], d["path"], d["auth"])')" \
	"GET /api/v1/findings/1 Bearer $TOKEN" "over TLS: the request and its token arrived"

# =====================================================================================
# the token never appears in any output
# =====================================================================================
check "the token appears in no stdout or stderr of this script ($(wc -l <"$ALL") lines)" \
	bash -c '! grep -qF "$0" "$1"' "$TOKEN" "$ALL"
