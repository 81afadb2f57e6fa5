#!/usr/bin/env bash
# The authorisation matrix of `shipgate serve` (docs/api.md "Routes", "Tokens
# and roles"), generated from docs/openapi.json: for every operation (path x
# method, with its x-shipgate-least-role) and every role (viewer, developer,
# security, cto, admin) on its own product, a foreign product (no grant) and a
# product that does not exist, and for every way a token can be wrong (none,
# revoked, expired, malformed, unknown, another scheme), one real HTTP
# request, its status class checked:
#   public route                 -> 200 without a token
#   no valid token               -> 401 unauthenticated, one body for every reason
#   foreign product (non-admin)  -> 404 not-found, the body of a product that does not exist
#   own product, role too low    -> 403 not-permitted
#   own product, role allowed    -> the route's 2xx (or the 400 its recipe provokes)
#   audit routes (no product)    -> 403 for everyone but admin
# Every answer carries the security headers; every error is the JSON error
# shape; every refused request writes nothing to the store; every status is
# one the OpenAPI document lists for the operation.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/integration/server_lib.sh"

DB=${SHIPGATE_DB#sqlite:}
OPENAPI=$ROOT/docs/openapi.json
SBOM=$ROOT/tests/integration/fixtures/sca/go.cdx.json

sg init
expect_rc 0 "init (with its shipgate.yml, which has sla_days)"
ROLES="viewer developer security cto admin"
for r in $ROLES; do
	sg user add "u-$r" --role "$r"
	expect_rc 0 "user add u-$r --role $r"
	if [ "$r" != admin ]; then
		sg user grant "u-$r" --product alpha
		expect_rc 0 "user grant u-$r --product alpha"
	fi
	sg token create --user "u-$r"
	expect_rc 0 "token create --user u-$r"
	printf '%s' "$SG_OUT" >"token.$r"
done
# A developer of beta, so that beta is some user's product, not merely unknown.
sg user add u-beta --role developer
sg user grant u-beta --product beta
expect_rc 0 "user grant u-beta --product beta"

# Tokens that must not work, all an admin's: revoked, and expired.
sg token create --user u-admin
printf '%s' "$SG_OUT" >token.revoked
REVOKED_ID=$(sed -n 's/^token \([0-9]*\) created.*/\1/p' <<<"$SG_ERR")
sg token revoke "$REVOKED_ID"
expect_rc 0 "token revoke $REVOKED_ID"
SHIPGATE_NOW=2020-01-01T00:00:00Z sg token create --user u-admin --expires 2020-06-01
expect_rc 0 "token create --expires 2020-06-01 under SHIPGATE_NOW=2020-01-01 (expired now)"
printf '%s' "$SG_OUT" >token.expired
check "the expired token has the shape of a token" grep -Eq '^sgt_[A-Za-z0-9_-]{43}$' token.expired

start_server --rate-limit 0 || exit 1
ok "the server listens on port $SERVER_PORT"

# --- objects with ids in both products, made as an admin over the API -----------------
API_TOKEN=$(cat token.admin)
cat >small.sarif <<'EOF'
{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[
 {"ruleId":"R1","level":"error","message":{"text":"one"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":3,"snippet":{"text":"strcpy(a, b)"}}}}]},
 {"ruleId":"R2","level":"warning","message":{"text":"two"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.c"},"region":{"startLine":7,"snippet":{"text":"gets(x)"}}}}]}]}]}
EOF
EXPIRES=$(date -u -d '+30 days' +%F)
for p in alpha beta; do
	api POST "/api/v1/products/$p/sarif?commit=$(commit_of "$p")" --data-binary @small.sarif
	expect_status 201 "admin uploads a SARIF into $p"
	api GET "/api/v1/products/$p/findings"
	expect_status 200 "admin lists $p's findings"
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["findings"][0]["id"])' "$API_DIR/body" >"finding.$p"
	api POST /api/v1/exceptions --data-binary \
		"{\"finding\":\"$(cat "finding.$p")\",\"product\":\"$p\",\"reason\":\"for the matrix\",\"expires\":\"$EXPIRES\"}"
	expect_status 201 "admin requests an exception for a finding of $p"
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$API_DIR/body" >"exception.$p"
done
unset API_TOKEN
check "the findings of alpha and beta differ" test "$(cat finding.alpha)" != "$(cat finding.beta)"
check "the exceptions of alpha and beta differ" test "$(cat exception.alpha)" != "$(cat exception.beta)"

# --- the matrix ------------------------------------------------------------------------
cat >matrix.py <<'PYEOF'
# matrix.py URL DB OPENAPI SBOM EXPIRES: prints "not ok - ..." per failing
# cell and "ok - ..." per operation whose cells all passed, then the count.
import hashlib, http.client, json, sqlite3, sys
from urllib.parse import quote

URL, DB, OPENAPI, SBOM, EXPIRES = sys.argv[1:6]
HOST, PORT = URL.split("//")[1].split(":")
RANK = {"viewer": 0, "developer": 1, "security": 2, "cto": 3, "admin": 4}
PRODUCT = {"own": "alpha", "foreign": "beta", "missing": "no-such-product"}
FINDING = {"own": open("finding.alpha").read().strip(), "foreign": open("finding.beta").read().strip(), "missing": "999999"}
EXCEPTION = {"own": open("exception.alpha").read().strip(), "foreign": open("exception.beta").read().strip(), "missing": "999999"}
TOKENS = {r: open("token." + r).read().strip() for r in RANK}
BAD_TOKENS = {
    "no token": None,
    "a revoked token": "Bearer " + open("token.revoked").read().strip(),
    "an expired token": "Bearer " + open("token.expired").read().strip(),
    "a malformed token": "Bearer sgt_short",
    "an unknown token": "Bearer sgt_" + "A" * 43,
    "another scheme": "Basic " + open("token.admin").read().strip(),
}
SECURITY = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}
SARIF = open("small.sarif", "rb").read()
SBOM_BYTES = open(SBOM, "rb").read()
serial = [0]
triaged = {}


def unique():
    serial[0] += 1
    return serial[0]


def commit(n):
    return hashlib.sha1(b"matrix-%d" % n).hexdigest()


# Each operation's recipe: how its product is named ("path", "object": by an
# id, "query", "body", or None), and, for a cell, the path, the body and the
# statuses of success. The allowed requests are real ones (an upload of a new
# commit, a release of a new version, a triage that changes the status), but
# approve and revoke are sent a body they refuse with 400: whether the policy
# lets this user approve or revoke is t6310's matter.
def r_sarif(ctx, role):
    return "/api/v1/products/%s/sarif?commit=%s" % (quote(PRODUCT[ctx]), commit(unique())), SARIF, {201}

def r_sbom(ctx, role):
    return "/api/v1/products/%s/sbom?commit=%s" % (quote(PRODUCT[ctx]), commit(unique())), SBOM_BYTES, {201}

def r_findings(ctx, role):
    return "/api/v1/products/%s/findings?per_page=5" % quote(PRODUCT[ctx]), None, {200}

def r_finding(ctx, role):
    return "/api/v1/findings/%s" % FINDING[ctx], None, {200}

def r_triage(ctx, role):
    f = FINDING[ctx]
    to = "open" if triaged.get(f) == "false_positive" else "false_positive"
    body = json.dumps({"status": to, "reason": "matrix %s" % role}).encode()
    return "/api/v1/findings/%s/triage" % f, body, {200}

def r_release(ctx, role):
    n = unique()
    body = json.dumps({"version": "1.0.%d" % n, "commit": commit(n)}).encode()
    return "/api/v1/products/%s/releases" % quote(PRODUCT[ctx]), body, {201}

def r_gate(ctx, role):
    return "/api/v1/products/%s/gate" % quote(PRODUCT[ctx]), None, {200}

def r_sla(ctx, role):
    return "/api/v1/products/%s/sla" % quote(PRODUCT[ctx]), None, {200}

def r_exceptions(ctx, role):
    return "/api/v1/exceptions?product=%s" % quote(PRODUCT[ctx]), None, {200}

def r_request(ctx, role):
    body = json.dumps({"rule": "T:R2", "product": PRODUCT[ctx], "reason": "matrix %s" % role, "expires": EXPIRES}).encode()
    return "/api/v1/exceptions", body, {201}

def r_exception(ctx, role):
    return "/api/v1/exceptions/%s" % EXCEPTION[ctx], None, {200}

def r_payload(ctx, role):
    return "/api/v1/exceptions/%s/payload" % EXCEPTION[ctx], None, {200}

def r_approve(ctx, role):
    return "/api/v1/exceptions/%s/approve" % EXCEPTION[ctx], b'{"signature":"not a signature"}', {400}

def r_revoke(ctx, role):
    return "/api/v1/exceptions/%s/revoke" % EXCEPTION[ctx], b"{}", {400}

def r_audit(ctx, role):
    return "/api/v1/audit", None, {200}

def r_verify(ctx, role):
    return "/api/v1/audit/verify", None, {200}

def r_public(path):
    return lambda ctx, role: (path, None, {200})

RECIPES = {
    ("GET", "/healthz"): (None, r_public("/healthz")),
    ("GET", "/api/v1/openapi.json"): (None, r_public("/api/v1/openapi.json")),
    ("POST", "/api/v1/products/{product}/sarif"): ("path", r_sarif),
    ("POST", "/api/v1/products/{product}/sbom"): ("path", r_sbom),
    ("GET", "/api/v1/products/{product}/findings"): ("path", r_findings),
    ("GET", "/api/v1/findings/{id}"): ("object", r_finding),
    ("POST", "/api/v1/findings/{id}/triage"): ("object", r_triage),
    ("POST", "/api/v1/products/{product}/releases"): ("path", r_release),
    ("GET", "/api/v1/products/{product}/gate"): ("path", r_gate),
    ("GET", "/api/v1/products/{product}/sla"): ("path", r_sla),
    ("GET", "/api/v1/exceptions"): ("query", r_exceptions),
    ("POST", "/api/v1/exceptions"): ("body", r_request),
    ("GET", "/api/v1/exceptions/{id}"): ("object", r_exception),
    ("GET", "/api/v1/exceptions/{id}/payload"): ("object", r_payload),
    ("POST", "/api/v1/exceptions/{id}/approve"): ("object", r_approve),
    ("POST", "/api/v1/exceptions/{id}/revoke"): ("object", r_revoke),
    ("GET", "/api/v1/audit"): (None, r_audit),
    ("GET", "/api/v1/audit/verify"): (None, r_verify),
}


def state():
    con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True, timeout=30)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM audit_event), (SELECT count(*) FROM scan), (SELECT count(*) FROM release),"
            " (SELECT count(*) FROM exception), (SELECT count(*) FROM finding_event)").fetchone()
    finally:
        con.close()


def request(method, path, auth, body):
    conn = http.client.HTTPConnection(HOST, int(PORT), timeout=60)
    headers = {}
    if auth:
        headers["Authorization"] = auth
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        conn.close()


cells = 0
failed = 0
per_op_failed = {}
bodies_401 = {}
bodies_404 = {}


def cell(op, what, method, path, auth, body, want, documented, writes, check=None):
    """One request; want: a set of statuses; check(status, headers, data) -> error text or None."""
    global cells, failed
    cells += 1
    problems = []
    before = state()
    try:
        status, headers, data = request(method, path, auth, body)
    except Exception as e:  # a reset or a timeout is a failure of the cell, not of the script
        status, headers, data = 0, {}, repr(e).encode()
    after = state()
    if status not in want:
        problems.append("HTTP %d, wanted %s" % (status, "/".join(map(str, sorted(want)))))
    if status and str(status) not in documented:
        problems.append("HTTP %d is not among the operation's documented answers" % status)
    for k, v in SECURITY.items():
        if status and headers.get(k) != v:
            problems.append("header %s is %r" % (k, headers.get(k)))
    text = data.decode("utf-8", "replace")
    if status >= 400:
        try:
            d = json.loads(text)
            assert list(d) == ["error"] and sorted(d["error"]) == ["code", "message"]
        except Exception:
            problems.append("the error body is not {\"error\":{\"code\",\"message\"}}")
        for leak in ("/tmp", "/work/", "/proc/"):
            if leak in text:
                problems.append("the body names " + leak)
    wrote = after != before
    if wrote and not (writes and 200 <= status < 300):
        problems.append("the store changed (%s -> %s)" % (before, after))
    if writes and 200 <= status < 300 and not wrote:
        problems.append("a write answered %d but nothing is in the store" % status)
    if not problems and check:
        try:
            msg = check(status, headers, text)
        except Exception as e:
            msg = "check failed: %r" % e
        if msg:
            problems.append(msg)
    if problems:
        failed += 1
        per_op_failed[op] = per_op_failed.get(op, 0) + 1
        print("not ok - %s %s, %s: %s" % (method, path, what, "; ".join(problems)))
        print("#   body: %s" % text[:300].replace("\n", "\\n"))
    return status, text


def error_code(code):
    def check(status, headers, text):
        got = json.loads(text)["error"]["code"]
        return None if got == code else "code %s, wanted %s" % (got, code)
    return check


def success_check(op, ctx, role):
    method, pattern = op
    def check(status, headers, text):
        if pattern.endswith("/payload"):
            if not headers.get("content-type", "").startswith("text/plain"):
                return "payload content-type %r" % headers.get("content-type")
            if not text.startswith("shipgate-exception-approval-v1\nid: %s\n" % EXCEPTION[ctx]):
                return "not the approval text of exception %s" % EXCEPTION[ctx]
            return None
        if headers.get("content-type") != "application/json":
            return "content-type %r" % headers.get("content-type")
        d = json.loads(text)
        if status >= 400:
            return None
        if pattern == "/api/v1/products/{product}/findings" and d["product"] != PRODUCT[ctx]:
            return "a page of %r" % d["product"]
        if pattern == "/api/v1/findings/{id}" and str(d["finding"]["id"]) != FINDING[ctx]:
            return "finding %r" % d["finding"]["id"]
        if pattern == "/api/v1/findings/{id}/triage":
            triaged[FINDING[ctx]] = d["finding"]["status"]
        if pattern == "/api/v1/products/{product}/gate" and d.get("verdict") not in ("pass", "block"):
            return "gate verdict %r" % d.get("verdict")
        if pattern == "/api/v1/exceptions" and method == "GET" and \
                any(e["product"] not in (PRODUCT[ctx], None) for e in d):
            return "the list holds another product's exceptions"
        if pattern == "/api/v1/exceptions" and method == "POST" and \
                (d["requester"] != "u-" + role or d["product"] != PRODUCT[ctx] or d["status"] != "pending"):
            return "the exception is not %s's pending request for %s" % (role, PRODUCT[ctx])
        if pattern == "/api/v1/exceptions/{id}" and str(d["id"]) != EXCEPTION[ctx]:
            return "exception %r" % d["id"]
        if pattern == "/api/v1/audit/verify" and d.get("ok") is not True:
            return "the ledger does not verify"
        return None
    return check


doc = json.load(open(OPENAPI))
ops = []
for path, item in doc["paths"].items():
    for method, o in item.items():
        if isinstance(o, dict) and "x-shipgate-least-role" in o:
            ops.append((method.upper(), path, o["x-shipgate-least-role"], set(o["responses"])))
print("ok - docs/openapi.json lists %d operations" % len(ops) if len(ops) == 18 else
      "not ok - docs/openapi.json lists %d operations, wanted the 18 of docs/api.md" % len(ops))
for method, pattern, least, documented in ops:
    op = (method, pattern)
    if op not in RECIPES:
        print("not ok - no recipe for %s %s: the matrix does not cover it" % op)
        failed += 1
        continue
    binding, recipe = RECIPES[op]
    writes = method == "POST"
    n0 = cells
    if least == "none":
        for who in ["no token"] + list(RANK):
            path, body, ok = recipe("own", who)
            cell(op, "public, " + who, method, path, None if who == "no token" else "Bearer " + TOKENS[who],
                 body, ok, documented, False)
        print("ok - %s %s (public): %d cells" % (method, pattern, cells - n0) if op not in per_op_failed else
              "not ok - %s %s (public): %d of %d cells failed" % (method, pattern, per_op_failed[op], cells - n0))
        continue
    if least not in RANK:
        print("not ok - %s %s: unknown least role %r" % (method, pattern, least))
        failed += 1
        continue
    # No valid token: 401 before anything else, the same answer whatever the reason.
    for what, auth in BAD_TOKENS.items():
        path, body, _ = recipe("own", "admin")
        status, text = cell(op, what, method, path, auth, body, {401}, documented, False, error_code("unauthenticated"))
        if status == 401 and auth and auth.startswith("Bearer "):
            bodies_401.setdefault(text, set()).add(what)
    for role in RANK:
        allowed = RANK[role] >= RANK[least]
        for ctx in ("own", "foreign", "missing"):
            if role == "admin" and ctx == "missing":
                continue  # an admin sees every product, one that does not exist included: not this matrix's question
            path, body, ok = recipe(ctx, role)
            what = "%s, %s product" % (role, ctx)
            if binding is None:
                # No product: the role alone decides (the audit ledger spans every product).
                want, check = (ok, success_check(op, ctx, role)) if allowed else ({403}, error_code("not-permitted"))
            elif role == "admin" and ctx != "missing":
                want, check = ok, success_check(op, ctx, role)
            elif binding == "body" and not allowed:
                # The product is in the body, which a role too low never gets to send:
                # refused when the headers are in, the same for every product.
                want, check = {403}, error_code("not-permitted")
            elif ctx != "own":
                want, check = {404}, error_code("not-found")
            elif allowed:
                want, check = ok, success_check(op, ctx, role)
            else:
                want, check = {403}, error_code("not-permitted")
            status, text = cell(op, what, method, path, "Bearer " + TOKENS[role], body, want, documented, writes, check)
            if status == 404:
                # Foreign and missing must be told apart by nothing but the name asked for.
                bodies_404.setdefault((op, role), {})[ctx] = text.replace(PRODUCT[ctx], "P")
    if op in per_op_failed:
        print("not ok - %s %s (least role %s): %d of %d cells failed" % (method, pattern, least, per_op_failed[op], cells - n0))
    else:
        print("ok - %s %s (least role %s): %d cells" % (method, pattern, least, cells - n0))

# A foreign product's 404 is a missing product's, byte for byte (but the name).
same = [k for k, v in bodies_404.items() if len(v) == 2 and v["foreign"] == v["missing"]]
differ = [k for k, v in bodies_404.items() if len(v) == 2 and v["foreign"] != v["missing"]]
for (op, role) in differ:
    print("not ok - %s %s, %s: a foreign product's 404 differs from a missing one's: %r vs %r"
          % (op[0], op[1], role, bodies_404[(op, role)]["foreign"], bodies_404[(op, role)]["missing"]))
print("ok - a foreign product answers as a missing one, byte for byte: %d route x role pairs" % len(same)
      if same and not differ else "not ok - foreign vs missing 404 bodies: %d equal, %d differ" % (len(same), len(differ)))
# A bearer token refused: one answer whether it is revoked, expired, malformed
# or unknown (the client is not told which check failed).
print("ok - every refused bearer token gets one body, whatever was wrong with it" if len(bodies_401) == 1 else
      "not ok - the 401 answers to a bearer token differ: %r" % bodies_401)
print("# %d cells, %d failed" % (cells, failed))
print(("ok - the matrix checked %d cells" % cells) if cells >= 300 else ("not ok - only %d cells" % cells))
print("ok - every cell as expected" if failed == 0 else "not ok - %d of %d cells failed" % (failed, cells))
PYEOF
python3 matrix.py "$SERVER_URL" "$DB" "$OPENAPI" "$SBOM" "$EXPIRES"

# --- after the matrix ------------------------------------------------------------------
API_TOKEN=$(cat token.developer)
api GET /api/v1/exceptions
expect_status 200 "a developer lists exceptions without a product"
check "... and sees alpha's, none of beta's" \
	jq_py 'd and all(e["product"] in ("alpha", None) for e in d) and any(e["product"] == "alpha" for e in d)'
API_TOKEN=$(cat token.admin)
api GET /api/v1/exceptions
check "an admin sees the exceptions of both products" \
	jq_py '{e["product"] for e in d} >= {"alpha", "beta"}'
unset API_TOKEN
check "the request log names no token" bash -c '! grep -qF -f <(awk 1 "$1"/token.*) "$2"' _ "$TEST_DIR" "$SERVER_LOG"
stop_server
expect_eq "$SERVER_RC" 0 "the server exits 0 on SIGTERM"
sg audit verify
expect_rc 0 "audit verify passes after the matrix"
