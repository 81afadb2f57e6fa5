# Helpers for the tests of `shipgate serve` (t63xx): source it after lib.sh.
# Each test starts a real server on 127.0.0.1, port 0, and talks HTTP to it.
#
#   start_server [SERVE-ARGS...]  start `shipgate serve` on the store of lib.sh in
#                                 the background; sets SERVER_PID, SERVER_PORT,
#                                 SERVER_URL and SERVER_LOG (its stderr: the
#                                 request log). Fails the test if it does not
#                                 listen within SERVER_WAIT_S seconds.
#   stop_server                   SIGTERM, wait (bounded); sets SERVER_RC
#   api METHOD PATH [CURL-ARGS...] one request to $SERVER_URL$PATH with
#                                 $API_TOKEN (if set) as the bearer token; sets
#                                 API_STATUS (000 when curl failed), API_BODY
#                                 and API_HEADERS (the file of the answer's headers)
#   expect_status N WHAT          the last api call answered N
#   expect_error_shape WHAT       the last body is {"error":{"code","message"}}, nothing
#                                 more, with no path of this machine in it
#   expect_security_headers WHAT  the last answer carries docs/api.md's headers
#   header NAME                   a header of the last answer ('' when absent)
#   jq_py EXPR                    python3 over the last body: d is the parsed JSON;
#                                 succeeds when EXPR is true
#   log_lines FILE                the request log's lines that are requests
#
# Every server started here is killed when the test exits, whatever happens.

SERVER_WAIT_S=${SERVER_WAIT_S:-30}
SERVER_STOP_WAIT_S=${SERVER_STOP_WAIT_S:-45}
SERVER_PIDS=()
SERVER_N=0
API_DIR=$TEST_DIR/.api
mkdir -p "$API_DIR"

server_cleanup() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null
			sleep 0.2
			kill -KILL "$pid" 2>/dev/null
		fi
	done
}
trap 'server_cleanup; rm -rf "$TEST_DIR"' EXIT

# start_server [ARGS...]: serve lib.sh's store ($SHIPGATE_DB) with the policy
# of the working directory. Returns 1 (and says why) if it did not listen.
start_server() {
	local portfile i
	SERVER_N=$((SERVER_N + 1))
	portfile=$TEST_DIR/port.$SERVER_N
	SERVER_LOG=$TEST_DIR/server.$SERVER_N.log
	rm -f "$portfile"
	"$SG_BIN" --db "$SHIPGATE_DB" serve --listen 127.0.0.1:0 --port-file "$portfile" "$@" \
		2>"$SERVER_LOG" &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
	for ((i = 0; i < SERVER_WAIT_S * 10; i++)); do
		if [ -s "$portfile" ]; then
			SERVER_PORT=$(cat "$portfile")
			SERVER_URL=http://127.0.0.1:$SERVER_PORT
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID"
			not_ok "the server started with '$*' exited ($?) before it listened"
			sed 's/^/#   /' "$SERVER_LOG" | head -5
			return 1
		fi
		sleep 0.1
	done
	not_ok "the server started with '$*' did not write its port within ${SERVER_WAIT_S}s"
	sed 's/^/#   /' "$SERVER_LOG" | head -5
	return 1
}

# stop_server [PID]: SIGTERM, then wait for the exit; SERVER_RC is its status
# (124 if it did not exit in time, after which it is killed).
stop_server() {
	local pid=${1:-$SERVER_PID} i
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < SERVER_STOP_WAIT_S * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		SERVER_RC=124
		return
	fi
	wait "$pid"
	SERVER_RC=$?
}

# api METHOD PATH [CURL-ARGS...]
api() {
	local method=$1 path=$2
	shift 2
	local auth=()
	[ -n "${API_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $API_TOKEN")
	API_HEADERS=$API_DIR/headers
	: >"$API_HEADERS"
	API_STATUS=$(curl -s -S --max-time "${API_MAX_TIME:-120}" -X "$method" "${auth[@]}" -D "$API_HEADERS" \
		-o "$API_DIR/body" -w '%{http_code}' "$@" "${API_BASE:-$SERVER_URL}$path" 2>"$API_DIR/curl.err")
	[ -n "$API_STATUS" ] || API_STATUS=000
	API_BODY=$(cat "$API_DIR/body" 2>/dev/null)
}

expect_status() {
	if [ "$API_STATUS" = "$1" ]; then ok "$2"; else
		not_ok "$2 (HTTP $API_STATUS, wanted $1)"
		printf '%s\n' "$API_BODY" | head -c 600 | sed 's/^/#   /'
		echo
		sed 's/^/#   /' "$API_DIR/curl.err" | head -3
	fi
}

header() { # header NAME: the value, without its CR
	sed -n "s/^$1:[[:space:]]*//Ip" "$API_HEADERS" | tr -d '\r' | tail -1
}

jq_py() { # jq_py EXPR [ARGS...]: sys.argv[1:] are ARGS
	python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.argv = sys.argv[1:]
sys.exit(0 if ($1) else 1)" "$API_DIR/body" "${@:2}" 2>/dev/null
}

expect_error_shape() {
	local why
	if why=$(python3 - "$API_DIR/body" "$TEST_DIR" 2>&1 <<'EOF'
import json, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8")
d = json.loads(raw)
assert isinstance(d, dict) and list(d) == ["error"], "not {\"error\":...}"
e = d["error"]
assert sorted(e) == ["code", "message"], "error members: %r" % sorted(e)
assert isinstance(e["code"], str) and e["code"] and isinstance(e["message"], str) and e["message"], "empty"
for leak in (sys.argv[2], "/tmp", "/proc/", "/work/", "/home/"):
    assert leak not in raw, "the body names " + leak
EOF
	); then ok "$1"; else
		not_ok "$1 ($(printf '%s\n' "$why" | tail -1 | head -c 200))"
		printf '%s\n' "$API_BODY" | head -c 300 | sed 's/^/#   /'
		echo
	fi
}

SECURITY_HEADERS=(
	"X-Content-Type-Options: nosniff"
	"Content-Security-Policy: default-src 'none'; frame-ancestors 'none'"
	"X-Frame-Options: DENY"
	"Referrer-Policy: no-referrer"
	"Cache-Control: no-store"
	"Cross-Origin-Resource-Policy: same-origin"
)
has_security_headers() {
	local h name
	for h in "${SECURITY_HEADERS[@]}"; do
		name=${h%%:*}
		[ "$(header "$name")" = "${h#*: }" ] || return 1
	done
}
expect_security_headers() {
	if has_security_headers; then ok "$1"; else
		not_ok "$1"
		sed 's/^/#   /' "$API_HEADERS" | tr -d '\r'
	fi
}

# The request log's request lines (those with a "status"), one JSON object a line.
log_lines() {
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "status" in d:
        print(json.dumps(d))' "$1"
}
