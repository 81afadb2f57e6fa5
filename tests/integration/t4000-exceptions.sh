#!/usr/bin/env bash
# Exceptions: people and keys (`user add/key/list`, `key generate/sign`),
# `exception request/approve/revoke/list/payload`, every way an approval is
# refused, and what an exception does at the gate (clauses remediate.release
# and exceptions): waivers, pending, expiry, revocation, every product, a
# tampered store, and the clock set by $SHIPGATE_NOW.
. "$(dirname "$0")/lib.sh"

FF=$ROOT/examples/demo-app/scans/flawfinder.sarif
DB=$TEST_DIR/store.db

# Every command runs at a fixed clock, T0, unless it says otherwise: expiry
# dates and "today" are then the same on every run of this script.
T0=2030-03-10T12:00:00Z
export SHIPGATE_NOW=$T0
day() { date -u -d "2030-03-10 +$1 days" +%F; } # the date N days after T0's date
at() {                                          # at TIME ARGS...: sg with the clock at TIME
	local t=$1
	shift
	SHIPGATE_NOW=$t sg "$@"
}
# sg_to FILE ARGS...: run shipgate with its stdout, byte for byte, in FILE
sg_to() {
	local f=$1
	shift
	"$SG_BIN" "$@" >"$f" 2>"$TEST_DIR/.stderr"
	SG_RC=$?
	SG_OUT=
	SG_ERR=$(cat "$TEST_DIR/.stderr")
	if [ "$SG_RC" -ge 99 ]; then
		echo "# shipgate $* crashed or a sanitizer fired (exit $SG_RC):" >&2
		printf '%s\n' "$SG_ERR" | sed 's/^/#   /' >&2
	fi
}
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
clause() { py "print(*[c['status'] for c in d['clauses'] if c['id'] == '$1'])"; }
reasons() { py "print(' | '.join(r for c in d['clauses'] if c['id'] == '$1' for r in c['reasons']))"; }
n_events() { rows "SELECT count(*) FROM audit_event"; }
n_exceptions() { rows "SELECT count(*) FROM exception"; }
checkpoint() { sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; }

sg init
expect_rc 0 "init"
# Clause sca wants an SBOM, which this script does not ingest: it runs under
# the starter policy without require.sca, so that its verdicts turn on the
# exceptions alone.
"$SG_BIN" policy show | sed '/^  sca:$/,+2d' >nosca.yml && mv nosca.yml shipgate.yml
check "shipgate.yml: the starter policy without clause sca" bash -c 'grep -q "^  sast:" shipgate.yml && ! grep -q "sca:" shipgate.yml'
sg ingest sarif "$FF" --product demo --commit abcdef1
expect_rc 0 "ingest the demo flawfinder SARIF for demo"
sg ingest sarif "$FF" --product demo2 --commit abcdef1
expect_rc 0 "ingest the same SARIF for demo2"
hi() { rows "SELECT count(*) FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = '$1' AND f.severity = 3 AND f.status = 'open' ${2:+AND f.rule = '$2'}"; }
N_HIGH=$(hi demo)
check "the demo SARIF has 8 open high findings (FF1001 2, FF1015 2, FF1016, FF1017, FF1020, FF1044)" \
	test "$N_HIGH" = 8 -a "$(hi demo FF1001)" = 2 -a "$(hi demo FF1015)" = 2 -a "$(hi demo FF1016)" = 1 \
	-a "$(hi demo FF1017)" = 1 -a "$(hi demo FF1020)" = 1 -a "$(hi demo FF1044)" = 1

# =====================================================================================
# keys
# =====================================================================================
sg key generate --out carol.key
expect_rc 0 "key generate --out carol.key"
KID_CAROL=$(sed -n 's/^key \([0-9a-f]\{16\}\): .*/\1/p' <<<"$SG_OUT")
check "key generate names the key id (16 hex): '$KID_CAROL'" test -n "$KID_CAROL"
expect_out "carol.key.pub" "key generate names the public file"
expect_eq "$(stat -c %a carol.key)" "600" "the private key file has mode 600"
check "the public key file carol.key.pub exists" test -f carol.key.pub
expect_eq "$(sed -n 1p carol.key)" "shipgate ed25519 secret key" "private key file: its header"
expect_eq "$(sed -n 1p carol.key.pub)" "shipgate ed25519 public key" "public key file: its header"
expect_eq "$(sed -n 's/^key-id: //p' carol.key)" "$KID_CAROL" "the key id is in the private key file"
expect_eq "$(sed -n 's/^key-id: //p' carol.key.pub)" "$KID_CAROL" "the key id is in the public key file"
check "the public key file holds no secret" bash -c '! grep -q "^secret" carol.key.pub'
cp carol.key carol.key.before
cp carol.key.pub carol.key.pub.before
sg key generate --out carol.key
expect_rc 2 "key generate refuses to overwrite an existing key file (exit 2)"
expect_err "never overwrites" "key generate over an existing file says it never overwrites a key"
check "the refused key generate left carol.key and carol.key.pub as they were" \
	bash -c 'cmp -s carol.key carol.key.before && cmp -s carol.key.pub carol.key.pub.before'
touch lone.key.pub
sg key generate --out lone.key
expect_rc 2 "key generate refuses when only FILE.pub exists (exit 2)"
check "... and leaves no half pair behind" test ! -e lone.key
sg key generate
expect_rc 2 "key generate without --out exits 2"
for who in alice eve dave sam adam stray; do
	sg key generate --out "$who.key"
	[ "$SG_RC" = 0 ] || not_ok "key generate $who.key (exit $SG_RC)"
done
check "every key has its own id" test "$(sed -n 's/^key-id: //p' ./*.key.pub | grep -v "^$KID_CAROL$" | sort -u | wc -l)" = 6

# =====================================================================================
# users
# =====================================================================================
for u in alice:developer eve:developer carol:cto dave:cto sam:security adam:admin vic:viewer; do
	sg user add "${u%%:*}" --role "${u#*:}"
	expect_rc 0 "user add ${u%%:*} --role ${u#*:}"
done
expect_out "added with role viewer" "user add says the role"
sg user add bob --role wizard
expect_rc 2 "user add --role wizard exits 2"
expect_err "[bad-value]" "user add with a bad role: [bad-value]"
sg user add bob
expect_rc 2 "user add without --role exits 2"
sg user add alice --role cto
expect_rc 2 "user add of an existing user exits 2"
expect_err "exists already" "a duplicate user: says it exists already"
expect_eq "$(rows "SELECT role FROM principal WHERE name = 'alice'")" "developer" "the duplicate did not change alice's role"
expect_eq "$(rows "SELECT count(*) FROM principal WHERE name = 'bob'")" "0" "no user bob was written"

for who in alice eve carol dave sam adam; do
	sg user key "$who" --public "$who.key.pub"
	expect_rc 0 "user key $who --public $who.key.pub"
done
expect_out "registered for adam" "user key says whose key it is"
sg user key nobody --public stray.key.pub
expect_rc 2 "user key for an unknown user exits 2"
expect_err "nobody" "user key for an unknown user names it"
# a public key file whose key-id was edited (another valid-looking id)
python3 - stray.key.pub tampered.pub <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
kid = lines[1][len("key-id: "):]
lines[1] = "key-id: " + kid[:-1] + ("0" if kid[-1] != "0" else "1")
open(sys.argv[2], "w").write("\n".join(lines))
EOF
sg user key eve --public tampered.pub
expect_rc 2 "user key with a .pub whose key-id was edited exits 2"
expect_err "altered" "a tampered .pub: says the file was altered"
# a public key file whose key was edited (the key-id kept)
python3 - stray.key.pub tampered2.pub <<'EOF'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
k = bytearray(base64.b64decode(lines[2][len("public: "):]))
k[0] ^= 1
lines[2] = "public: " + base64.b64encode(bytes(k)).decode()
open(sys.argv[2], "w").write("\n".join(lines))
EOF
sg user key eve --public tampered2.pub
expect_rc 2 "user key with a .pub whose key was edited exits 2"
sg user key eve --public carol.key.pub
expect_rc 2 "user key: carol's key cannot be registered again for eve (exit 2)"
sg user key eve --public stray.key
expect_rc 2 "user key with a private key file instead of the .pub exits 2"
expect_eq "$(rows "SELECT count(*) FROM principal_key WHERE principal_id = (SELECT id FROM principal WHERE name = 'eve')")" "1" \
	"eve has only her own key after the refused registrations"
expect_eq "$(rows "SELECT count(*) FROM principal_key WHERE key_id = '$(sed -n 's/^key-id: //p' stray.key.pub)'")" "0" \
	"the stray key is registered to nobody"

sg user list
expect_rc 0 "user list"
check "user list: a line per user with role and key count" \
	bash -c 'grep -Eq "^carol +cto +1 key$" <<<"$1" && grep -Eq "^vic +viewer +0 keys$" <<<"$1" && test "$(grep -c . <<<"$1")" = 7' _ "$SG_OUT"

# =====================================================================================
# requests
# =====================================================================================
FIND_1015=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demo' AND f.rule = 'FF1015' AND f.severity = 3 ORDER BY f.id LIMIT 1")
FIND_1015B=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demo' AND f.rule = 'FF1015' AND f.severity = 3 ORDER BY f.id DESC LIMIT 1")
FIND_DEMO2=$(rows "SELECT f.id FROM finding f JOIN product p ON p.id = f.product_id WHERE p.name = 'demo2' ORDER BY f.id LIMIT 1")

# req ARGS...: exception request at T0; $SG_OUT is the new id
req() { sg exception request "$@"; }

req --rule Flawfinder:FF1001 --product demo --reason "FF1001 buffers are sized by the caller" --expires "$(day 5)" --as alice
expect_rc 0 "request --rule Flawfinder:FF1001 --product demo"
E_RULE=$SG_OUT
check "request prints the new id alone on stdout ('$E_RULE')" grep -Eq '^[0-9]+$' <<<"$E_RULE"
expect_err "pending approval" "request says the exception is pending approval"
req --rule Flawfinder:FF1017 --product demo --reason "FF1017 is behind a feature flag" --expires "$(day 60)" --as alice
expect_rc 0 "request --rule Flawfinder:FF1017"
E_OTHER=$SG_OUT
req --rule Flawfinder:FF1001 --product demo --reason "FF1001 buffers are sized by the caller" --expires "$(day 5)" --as alice
expect_rc 0 "request an exception identical to the first"
E_TWIN=$SG_OUT
check "the identical request got a new id" test "$E_TWIN" != "$E_RULE"
req --rule Flawfinder:FF1016 --product demo --reason "FF1016 reviewed by the CTO" --expires "$(day 60)" --as dave
expect_rc 0 "a cto (dave) may request an exception"
E_DAVE=$SG_OUT
req --component pkg:npm/lodash --product demo --reason "prototype pollution not reachable" --expires "$(day 30)" --as alice
expect_rc 0 "request --component pkg:npm/lodash"
E_COMP=$SG_OUT
req --finding "$FIND_1015" --product demo --reason "this call copies a constant" --expires "$(day 60)" --as alice
expect_rc 0 "request --finding $FIND_1015 --product demo"
E_FIND=$SG_OUT
req --rule Flawfinder:FF1015 --product demo --reason "FF1015 everywhere, for now" --expires "$(day 60)" --as sam
expect_rc 0 "security (sam) may request an exception"
E_FF1015=$SG_OUT
req --rule Flawfinder:FF1044 --product demo --reason "FF1044 input is constant" --expires "$(day 60)" --as eve
expect_rc 0 "a second developer (eve) requests"
E_FF1044=$SG_OUT
req --rule Flawfinder:FF1020 --all-products --reason "FF1020 in every product" --expires "$(day 60)" --as alice
expect_rc 0 "request --all-products"
E_ALL=$SG_OUT
req --rule Flawfinder:FF1013 --product demo --reason "short-lived" --expires "$(day 3)" --as alice
expect_rc 0 "request expiring in 3 days"
E_SHORT=$SG_OUT
req --rule Flawfinder:FF1040 --product demo --reason "the longest allowed" --expires "$(day 90)" --as adam
expect_rc 0 "an expiry exactly 90 days after today ($(day 90)) is accepted; admin may request"
E_90=$SG_OUT

expect_eq "$(rows "SELECT scope||' '||coalesce(finding_id,'-')||' '||coalesce(tool,'-')||':'||coalesce(rule,'-')||' '||coalesce(component,'-')||' '||coalesce(product_id,'all') FROM exception WHERE id IN ($E_FIND, $E_COMP, $E_ALL) ORDER BY id")" \
	"$(printf 'component - -:- pkg:npm/lodash 1\nfinding %s -:- - 1\nrule - Flawfinder:FF1020 - all' "$FIND_1015")" \
	"the store holds each scope as requested (component, finding, rule for all products)"
expect_eq "$(rows "SELECT count(*) FROM exception WHERE approver_id IS NULL AND revoked_by IS NULL")" "11" "eleven exceptions, none approved or revoked"

BEFORE_EVENTS=$(n_events)
BEFORE_EXC=$(n_exceptions)
# bad_request RC WHAT ARGS...: a refused request writes nothing
bad_request() {
	local rc=$1 what=$2
	shift 2
	sg exception request "$@"
	expect_rc "$rc" "request refused: $what (exit $rc)"
	if [ "$(n_events) $(n_exceptions)" != "$BEFORE_EVENTS $BEFORE_EXC" ]; then
		not_ok "request refused: $what: nothing written"
	fi
}
R="--reason because"
EXP="--expires $(day 30)"
bad_request 2 "no scope" --product demo $R $EXP --as alice
expect_err "exactly one of --finding" "no scope: says to give exactly one scope"
bad_request 2 "two scopes (--rule and --finding)" --rule Flawfinder:FF1001 --finding "$FIND_1015" --product demo $R $EXP --as alice
bad_request 2 "two scopes (--rule and --component)" --rule Flawfinder:FF1001 --component pkg:npm/x@1 --product demo $R $EXP --as alice
bad_request 2 "both --product and --all-products" --rule Flawfinder:FF1001 --product demo --all-products $R $EXP --as alice
expect_err "exactly one of --product P and --all-products" "both: says to give one of --product and --all-products"
bad_request 2 "neither --product nor --all-products" --rule Flawfinder:FF1001 $R $EXP --as alice
bad_request 2 "--finding with --all-products" --finding "$FIND_1015" --all-products $R $EXP --as alice
bad_request 2 "expiry in the past" --rule Flawfinder:FF1001 --product demo $R --expires 2030-01-01 --as alice
expect_err "not in the future" "an expiry in the past: not in the future"
bad_request 2 "expiry today ($(day 0))" --rule Flawfinder:FF1001 --product demo $R --expires "$(day 0)" --as alice
expect_err "not in the future" "an expiry today: not in the future"
bad_request 2 "expiry 91 days away ($(day 91))" --rule Flawfinder:FF1001 --product demo $R --expires "$(day 91)" --as alice
expect_err "the latest allowed is $(day 90)" "91 days: names the latest date allowed"
for d in 2030-02-30 2030-13-01 2030-4-1 tomorrow 04/01/2030 2030-04-01T00:00:00Z ""; do
	bad_request 2 "bad date '$d'" --rule Flawfinder:FF1001 --product demo $R --expires "$d" --as alice
done
bad_request 2 "no --expires" --rule Flawfinder:FF1001 --product demo $R --as alice
bad_request 2 "no --reason" --rule Flawfinder:FF1001 --product demo $EXP --as alice
bad_request 2 "no --as" --rule Flawfinder:FF1001 --product demo $R $EXP
bad_request 2 "unknown finding id 999999" --finding 999999 --product demo $R $EXP --as alice
expect_err "no finding 999999" "an unknown finding is named"
bad_request 2 "finding id 'abc'" --finding abc --product demo $R $EXP --as alice
bad_request 2 "a finding of another product (demo2's $FIND_DEMO2 for demo)" --finding "$FIND_DEMO2" --product demo $R $EXP --as alice
expect_err "belongs to product demo2" "a finding of another product: says whose it is"
bad_request 2 "unknown product" --rule Flawfinder:FF1001 --product nope $R $EXP --as alice
expect_err "nope" "an unknown product is named"
bad_request 2 "unknown --as user" --rule Flawfinder:FF1001 --product demo $R $EXP --as mallory
expect_err "mallory" "an unknown requester is named"
bad_request 2 "--rule without a tool" --rule FF1001 --product demo $R $EXP --as alice
bad_request 2 "--component that is not a package URL" --component lodash --product demo $R $EXP --as alice
bad_request 2 "--component naming one version (an exception covers every version)" --component pkg:npm/lodash@4.17.20 --product demo $R $EXP --as alice
bad_request 2 "--component with a bad percent escape" --component "pkg:npm/lo%zzdash" --product demo $R $EXP --as alice
bad_request 2 "a reason with a control character" --rule Flawfinder:FF1001 --product demo --reason $'bell\a' $EXP --as alice
bad_request 2 "a reason that is not UTF-8" --rule Flawfinder:FF1001 --product demo --reason $'caf\xe9' $EXP --as alice
bad_request 2 "a reason over 4096 bytes" --rule Flawfinder:FF1001 --product demo --reason "$(head -c 5000 /dev/zero | tr '\0' a)" $EXP --as alice
bad_request 1 "a viewer (vic) may not request" --rule Flawfinder:FF1001 --product demo $R $EXP --as vic
expect_err "[not-permitted]" "a viewer's request: [not-permitted]"
expect_eq "$(n_events) $(n_exceptions)" "$BEFORE_EVENTS $BEFORE_EXC" "no refused request wrote an exception or an audit event"

# =====================================================================================
# payload and key sign
# =====================================================================================
sg_to p_rule.txt exception payload "$E_RULE"
expect_rc 0 "exception payload $E_RULE"
expect_eq "$(sed -n 1p p_rule.txt)" "shipgate-exception-approval-v1" "the payload starts with its version line"
check "the payload names the id, scope, rule, product, expiry and requester" bash -c '
	grep -qx "id: $1" p_rule.txt && grep -qx "scope: rule" p_rule.txt && grep -qx "rule: FF1001" p_rule.txt &&
	grep -qx "product: demo" p_rule.txt && grep -qx "expires: $2" p_rule.txt && grep -qx "requester: alice" p_rule.txt' _ "$E_RULE" "$(day 5)"
sg_to p_all.txt exception payload "$E_ALL"
check "an --all-products payload says all-products" grep -qx "all-products: yes" p_all.txt
sg_to p_find.txt exception payload "$E_FIND"
check "a finding payload carries the finding and its fingerprint" \
	bash -c 'grep -qx "finding: $1" p_find.txt && grep -Eqx "fingerprint: [0-9a-f]{32,}" p_find.txt' _ "$FIND_1015"
sg_to /dev/null exception payload 999
expect_rc 2 "payload of an unknown exception exits 2"
sg_to s_rule.sig key sign --key carol.key p_rule.txt
expect_rc 0 "key sign --key carol.key PAYLOAD"
expect_eq "$(sed -n 1p s_rule.sig)" "shipgate ed25519 signature" "signature file: its header"
expect_eq "$(sed -n 's/^key-id: //p' s_rule.sig)" "$KID_CAROL" "signature file: carol's key id"
"$SG_BIN" key sign --key carol.key <p_rule.txt >s_rule_stdin.sig
check "key sign reads standard input too, and signs the same (ed25519 is deterministic)" cmp -s s_rule.sig s_rule_stdin.sig
cp carol.key carol644.key
chmod 644 carol644.key
sg_to /dev/null key sign --key carol644.key p_rule.txt
expect_rc 2 "key sign refuses a private key readable by others (exit 2)"
expect_err "chmod 600" "a readable private key: says chmod 600"

# =====================================================================================
# approvals refused: exit 1, nothing written, the exception still pending
# =====================================================================================
pending_ids() { "$SG_BIN" exception list --status pending --format json | python3 -c 'import json,sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)))'; }
snapshot() { echo "$(n_events) $(rows "SELECT group_concat(id||':'||coalesce(approver_id,'-')||':'||coalesce(approver_key_id,'-')||':'||coalesce(revoked_by,'-'), ' ') FROM exception")"; }
# refused WHAT ID [TEXT [STATUS]]: the last run refused approval of ID and
# wrote nothing; ID is still listed with STATUS (pending) at T0
refused() {
	local what=$1 id=$2 text=${3:-} status=${4:-pending}
	expect_rc 1 "approval refused: $what: exit 1"
	expect_err "approval refused" "approval refused: $what: says 'approval refused'"
	expect_err "[approval-refused]" "approval refused: $what: [approval-refused]"
	[ -z "$text" ] || expect_err "$text" "approval refused: $what: says '$text'"
	expect_eq "$(snapshot)" "$SNAP" "approval refused: $what: the audit log and every exception unchanged"
	check "approval refused: $what: exception $id is still $status (exception list --status $status)" \
		bash -c '"$3" exception list --status "$1" --format json | python3 -c "import json, sys; sys.exit(0 if $2 in [e[\"id\"] for e in json.load(sys.stdin)] else 1)"' _ "$status" "$id" "$SG_BIN"
}
SNAP=$(snapshot)
ALL_PENDING=$(pending_ids)
expect_eq "$ALL_PENDING" "$E_RULE $E_OTHER $E_TWIN $E_DAVE $E_COMP $E_FIND $E_FF1015 $E_FF1044 $E_ALL $E_SHORT $E_90" "list --status pending: all eleven"

sg exception approve "$E_RULE" --as sam --key sam.key
refused "security role (sam), own registered key" "$E_RULE" "the policy's approver_role is cto"
sg exception approve "$E_RULE" --as adam --key adam.key
refused "admin role (adam), own registered key" "$E_RULE" "approver_role is cto"
sg exception approve "$E_RULE" --as eve --key eve.key
refused "developer role (eve)" "$E_RULE"
sg exception approve "$E_RULE" --as vic --key stray.key
refused "viewer role (vic)" "$E_RULE"
sg exception approve "$E_RULE" --as alice --key alice.key
refused "the requester (alice, developer) approving her own" "$E_RULE"
sg exception approve "$E_DAVE" --as dave --key dave.key
refused "self-approval: dave (cto) requested $E_DAVE" "$E_DAVE" "cannot approve it too"
sg exception approve "$E_RULE" --as carol --key dave.key
refused "wrong key: carol presents dave's registered key" "$E_RULE" "not a registered key of carol"
sg exception approve "$E_RULE" --as carol --key stray.key
refused "unregistered key" "$E_RULE" "not a registered key of carol"
sg_to s_stray.sig key sign --key stray.key p_rule.txt
sg exception approve "$E_RULE" --as carol --signature s_stray.sig
refused "a signature file made with an unregistered key" "$E_RULE" "not a registered key"
# forged: carol's good signature with one base64 character changed (still 64 bytes)
python3 - s_rule.sig s_forged.sig <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
b = list(lines[2][len("signature: "):])
b[20] = "A" if b[20] != "A" else "B"
lines[2] = "signature: " + "".join(b)
open(sys.argv[2], "w").write("\n".join(lines))
EOF
check "the forged signature differs from the good one" bash -c '! cmp -s s_rule.sig s_forged.sig'
sg exception approve "$E_RULE" --as carol --signature s_forged.sig
refused "forged signature (one base64 character edited)" "$E_RULE" "does not verify"
# relabelled: carol's signature presented as dave's (the key-id line edited)
sed "s/^key-id: .*/key-id: $(sed -n 's/^key-id: //p' dave.key.pub)/" s_rule.sig >s_relabel.sig
sg exception approve "$E_RULE" --as dave --signature s_relabel.sig
refused "carol's signature relabelled with dave's key id, presented by dave" "$E_RULE" "does not verify"
# over other content: another exception's payload, or a modified payload
sg_to p_other.txt exception payload "$E_OTHER"
sg_to s_other.sig key sign --key carol.key p_other.txt
sg exception approve "$E_RULE" --as carol --signature s_other.sig
refused "a signature over another exception's payload" "$E_RULE" "does not verify"
sed "s/^expires: .*/expires: $(day 60)/" p_rule.txt >p_modified.txt
check "the modified payload differs" bash -c '! cmp -s p_rule.txt p_modified.txt'
sg_to s_modified.sig key sign --key carol.key p_modified.txt
sg exception approve "$E_RULE" --as carol --signature s_modified.sig
refused "a signature over a modified payload (a later expiry)" "$E_RULE" "does not verify"
printf 'shipgate-exception-approval-v1\nid: %s\nscope: rule\n' "$E_RULE" >p_short.txt
sg_to s_short.sig key sign --key carol.key p_short.txt
sg exception approve "$E_RULE" --as carol --signature s_short.sig
refused "a signature over a truncated payload" "$E_RULE" "does not verify"
# stale: the signature made for exception E_RULE, presented for its identical twin
sg exception approve "$E_TWIN" --as carol --signature s_rule.sig
refused "stale: a signature for exception $E_RULE presented for the identical $E_TWIN" "$E_TWIN" "does not verify"
# an expired one: E_SHORT expires on day 3, approved on day 4
at "$(day 4)T00:00:00Z" exception approve "$E_SHORT" --as carol --key carol.key
refused "an expired exception (approved after its expiry date)" "$E_SHORT" "expired on $(day 3)"
at "$(day 3)T00:00:00Z" exception approve "$E_SHORT" --as carol --key carol.key
refused "an exception at 00:00 UTC of its expiry date" "$E_SHORT" "expired on $(day 3)"
expect_eq "$(pending_ids)" "$ALL_PENDING" "after every refusal: the same eleven exceptions pending"

# malformed signature files and usage: exit 2, nothing written
sed 's/^signature: .*/signature: not base64!/' s_rule.sig >s_bad64.sig
sg exception approve "$E_RULE" --as carol --signature s_bad64.sig
expect_rc 2 "a signature file with invalid base64 exits 2"
head -c 40 s_rule.sig >s_cut.sig
sg exception approve "$E_RULE" --as carol --signature s_cut.sig
expect_rc 2 "a truncated signature file exits 2"
sg exception approve "$E_RULE" --as carol --signature carol.key.pub
expect_rc 2 "a public key file given as a signature exits 2"
sg exception approve "$E_RULE" --as carol --signature nosuch.sig
expect_rc 2 "a missing signature file exits 2"
sg exception approve "$E_RULE" --as carol --key carol644.key
expect_rc 2 "--key readable by others exits 2"
sg exception approve "$E_RULE" --as carol
expect_rc 2 "approve without --key or --signature exits 2"
sg exception approve "$E_RULE" --as carol --key carol.key --signature s_rule.sig
expect_rc 2 "approve with both --key and --signature exits 2"
sg exception approve "$E_RULE" --key carol.key
expect_rc 2 "approve without --as exits 2"
sg exception approve 999 --as carol --key carol.key
expect_rc 2 "approve an unknown exception exits 2"
sg exception approve abc --as carol --key carol.key
expect_rc 2 "approve 'abc' exits 2"
sg exception approve "$E_RULE" --as mallory --key carol.key
expect_rc 2 "approve --as an unknown user exits 2"
expect_eq "$(snapshot)" "$SNAP" "after the usage errors: the audit log and every exception unchanged"

# =====================================================================================
# the gate before any approval: a pending exception never waives
# =====================================================================================
sg gate --product demo --format json
expect_rc 1 "gate with only pending exceptions exits 1"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], len(d["waived_findings"]))')" "8 0 0" \
	"a pending exception never waives: 8 blockers, nothing waived"
expect_eq "$(clause exceptions)" "pass" "clause exceptions passes with pending exceptions only"
check "clause exceptions: no active exception applies" bash -c 'grep -q "no active exception applies to product demo" <<<"$1"' _ "$(reasons exceptions)"
expect_eq "$(py 'print(",".join(c["id"] for c in d["clauses"]))')" "remediate.release,exceptions,remediate.sla,sast" \
	"gate clauses: remediate.release, exceptions (after it), remediate.sla, sast"

# =====================================================================================
# a good approval
# =====================================================================================
EV=$(n_events)
sg exception approve "$E_RULE" --as carol --key carol.key
expect_rc 0 "carol (cto) approves $E_RULE with her registered key"
expect_out "approved by carol (key $KID_CAROL)" "approve says who and with which key"
expect_eq "$(n_events)" "$((EV + 1))" "an approval is one audit event"
sg audit log --format json
expect_eq "$(py 'e = d[-1]; print(e["actor"], e["action"], e["object_kind"], e["object_id"])')" "carol exception.approve exception $E_RULE" \
	"the audit event: carol exception.approve exception $E_RULE"
expect_eq "$(rows "SELECT p.name||' '||e.approver_key_id||' '||length(e.signature) FROM exception e JOIN principal p ON p.id = e.approver_id WHERE e.id = $E_RULE")" \
	"carol $KID_CAROL 64" "the store keeps the approver, the key id and a 64-byte signature"
sg exception approve "$E_RULE" --as dave --key dave.key
SNAP=$(snapshot)
refused "a second approval (already active)" "$E_RULE" "only a pending exception can be approved" active
sg exception approve "$E_RULE" --as carol --key carol.key
refused "a second approval by the same approver" "$E_RULE" "active until $(day 5)" active
# offline signing: payload -> key sign -> approve --signature
sg_to p_find.txt exception payload "$E_FIND"
sg_to s_find.sig key sign --key carol.key p_find.txt
sg exception approve "$E_FIND" --as carol --signature s_find.sig
expect_rc 0 "approve --signature with a signature made offline by key sign"

# --- the gate: one rule exception and one finding exception ----------------------------------
sg gate --product demo --format json
expect_rc 1 "gate: still blocked by the unwaived findings"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], len(d["waived_findings"]))')" "5 3 3" \
	"rule exception (FF1001 x2) + finding exception (one FF1015): 5 block, 3 waived"
expect_eq "$(py 'print(sorted((w["rule"], w["exception"]["id"]) for w in d["waived_findings"]))')" \
	"[('FF1001', $E_RULE), ('FF1001', $E_RULE), ('FF1015', $E_FIND)]" "waived_findings: the two FF1001 by $E_RULE, one FF1015 by $E_FIND"
expect_eq "$(py 'print(sorted(set((w["exception"]["approver"], w["exception"]["expires"]) for w in d["waived_findings"])))')" \
	"[('carol', '$(day 5)'), ('carol', '$(day 60)')]" "each waived finding carries its exception's approver and expiry"
expect_eq "$(py "print([w['id'] for w in d['waived_findings'] if w['rule'] == 'FF1015'])")" "[$FIND_1015]" \
	"the finding exception waives exactly finding $FIND_1015"
expect_eq "$(py "print([b['id'] for b in d['blocking_findings'] if b['rule'] == 'FF1015'])")" "[$FIND_1015B]" \
	"the other FF1015 finding ($FIND_1015B) still blocks"
expect_eq "$(py 'print(any(b["rule"] == "FF1001" for b in d["blocking_findings"]))')" "False" "no FF1001 finding blocks"
check "no finding is both blocking and waived" py 'sys.exit(0 if not {b["id"] for b in d["blocking_findings"]} & {w["id"] for w in d["waived_findings"]} else 1)'
expect_eq "$(clause remediate.release)" "fail" "remediate.release still fails"
check "remediate.release: the reason counts the waived ones" bash -c 'grep -q "3 more are waived by approved exceptions" <<<"$1"' _ "$(reasons remediate.release)"
expect_eq "$(clause exceptions)" "pass" "clause exceptions passes"
check "clause exceptions: 2 active exceptions, approved by the cto role" bash -c 'grep -q "2 active exceptions, each approved by the cto role" <<<"$1"' _ "$(reasons exceptions)"
expect_eq "$(py 'print(d["clock_overridden"])')" "True" "gate json: clock_overridden true when \$SHIPGATE_NOW is set"
expect_eq "$(py 'print(d["evaluated_at"])')" "$T0" "gate json: evaluated_at is \$SHIPGATE_NOW"

# --- approve the rest: every blocker waived, the gate passes -----------------------------------
sg exception approve "$E_OTHER" --as carol --key carol.key
expect_rc 0 "approve $E_OTHER (FF1017)"
sg exception approve "$E_DAVE" --as carol --key carol.key
expect_rc 0 "carol approves dave's $E_DAVE (FF1016)"
sg exception approve "$E_FF1015" --as dave --key dave.key
expect_rc 0 "dave approves sam's $E_FF1015 (FF1015)"
sg exception approve "$E_FF1044" --as dave --key dave.key
expect_rc 0 "dave approves eve's $E_FF1044 (FF1044)"
sg exception approve "$E_ALL" --as carol --key carol.key
expect_rc 0 "approve the --all-products $E_ALL (FF1020)"

sg gate --product demo --format json
expect_rc 0 "every blocker waived, nothing else fails: the gate passes (exit 0)"
expect_eq "$(py 'print(d["verdict"], d["blocking_total"], d["waived_total"], len(d["blocking_findings"]), len(d["waived_findings"]))')" \
	"pass 0 8 0 8" "verdict pass, blocking_total 0, waived_total 8"
expect_eq "$(py 'print(*[c["status"] for c in d["clauses"]])')" "waived pass pass pass" \
	"remediate.release waived; exceptions, remediate.sla, sast pass"
check "remediate.release: every open finding is waived" bash -c 'grep -q "every open critical or high finding (8) is waived" <<<"$1"' _ "$(reasons remediate.release)"
check "clause exceptions: 7 active exceptions" bash -c 'grep -q "^7 active exceptions" <<<"$1"' _ "$(reasons exceptions)"
expect_eq "$(py 'print(sorted(set(w["exception"]["id"] for w in d["waived_findings"])))')" \
	"$(python3 -c 'import sys; print(sorted(map(int, sys.argv[1:])))' "$E_RULE" "$E_OTHER" "$E_DAVE" "$E_FIND" "$E_FF1015" "$E_FF1044" "$E_ALL")" \
	"the eight waivers come from the seven approved exceptions"
expect_eq "$(py "print([w['exception']['id'] for w in d['waived_findings'] if w['id'] == $FIND_1015])")" "[$E_FIND]" \
	"a finding under a finding and a rule exception is listed once"
check "every waived finding: exception with id, approver, expires" \
	py 'sys.exit(0 if all(set(w["exception"]) == {"id","approver","expires"} and w["exception"]["approver"] in ("carol","dave") for w in d["waived_findings"]) else 1)'
sg gate --product demo
expect_rc 0 "gate (text) passes"
expect_out "PASS" "text: PASS"
check "text: remediate.release WAIVED" grep -Eq '^ *WAIVED +remediate\.release' <<<"$SG_OUT"
expect_out "waived (8):" "text: lists the 8 waived findings"
expect_out "exception $E_RULE, approved by carol, expires $(day 5)" "text: a waived finding names its exception, approver and expiry"
expect_out "clock is set by \$SHIPGATE_NOW" "text: says the clock is set by \$SHIPGATE_NOW"
sg gate --product demo --format junit
expect_rc 0 "junit: passes"
check "junit: no failure element" bash -c '! grep -q "<failure" <<<"$1"' _ "$SG_OUT"
sg gate --product demo --format markdown
expect_out ":warning: waived" "markdown: remediate.release shown waived"

# the clock: not overridden without $SHIPGATE_NOW
unset SHIPGATE_NOW
sg gate --product demo --format json
expect_eq "$(py 'print(d["clock_overridden"])')" "False" "gate json: clock_overridden false without \$SHIPGATE_NOW"
sg gate --product demo
check "gate text: no clock note without \$SHIPGATE_NOW" bash -c '! grep -q "SHIPGATE_NOW" <<<"$1"' _ "$SG_OUT"
export SHIPGATE_NOW=$T0

# --- every product: the --all-products exception ----------------------------------------------
sg gate --product demo2 --format json
expect_rc 1 "demo2: still blocked (only FF1020 is excepted for every product)"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], [(w["rule"], w["exception"]["id"]) for w in d["waived_findings"]])')" \
	"7 1 [('FF1020', $E_ALL)]" "demo2: the --all-products exception waives FF1020 there too; demo's product exceptions do not"
check "demo2: clause exceptions counts 1 active exception" bash -c 'grep -q "^1 active exception," <<<"$1"' _ "$(reasons exceptions)"
sg ingest sarif "$FF" --product demo3 --commit abcdef1
sg gate --product demo3 --format json
expect_eq "$(py 'print(d["waived_total"], [w["exception"]["id"] for w in d["waived_findings"]])')" "1 [$E_ALL]" \
	"a product created after the approval is covered by the --all-products exception"

# --- expiry: the exception stops applying at 00:00 UTC on its expiry date ------------------------
at "$(day 4)T23:59:59Z" gate --product demo --format json
expect_rc 0 "one second before $E_RULE's expiry date: still waived, gate passes"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"])')" "0 8" "... 0 blocking, 8 waived"
at "$(day 5)T00:00:00Z" gate --product demo --format json
expect_rc 1 "at 00:00 UTC of $E_RULE's expiry date the gate blocks"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], sorted(b["rule"] for b in d["blocking_findings"]))')" "2 6 ['FF1001', 'FF1001']" \
	"after expiry: the two FF1001 findings block again"
expect_eq "$(clause remediate.release)" "fail" "after expiry: remediate.release fails"
check "after expiry: a reason says 'exception $E_RULE expired on $(day 5)'" \
	bash -c 'grep -q "2 findings block again: exception $1 expired on $2" <<<"$3"' _ "$E_RULE" "$(day 5)" "$(reasons remediate.release)"
expect_eq "$(clause exceptions)" "pass" "an expired exception does not fail clause exceptions"
at "$(day 30)T00:00:00Z" gate --product demo2 --format json
expect_eq "$(py 'print(d["waived_total"])')" "1" "on day 30 the 60-day --all-products exception still waives in demo2"

# =====================================================================================
# revocation
# =====================================================================================
SNAP=$(snapshot)
sg exception revoke "$E_FF1015" --as eve --reason "I want it gone"
expect_rc 1 "revoke by an unrelated developer (eve) exits 1"
expect_err "[not-permitted]" "an unrelated developer's revoke: [not-permitted]"
expect_eq "$(snapshot)" "$SNAP" "the refused revoke wrote nothing"
sg exception revoke "$E_FF1015" --as vic --reason "no"
expect_rc 1 "revoke by a viewer exits 1"
sg exception revoke "$E_FF1015" --as sam
expect_rc 2 "revoke without --reason exits 2"
sg exception revoke 999 --as carol --reason "x"
expect_rc 2 "revoke an unknown exception exits 2"
sg exception revoke "$E_FF1015" --as mallory --reason "x"
expect_rc 2 "revoke --as an unknown user exits 2"
expect_eq "$(snapshot)" "$SNAP" "the failed revokes wrote nothing"
sg exception revoke "$E_FF1015" --as sam --reason "FF1015 must be fixed now"
expect_rc 0 "revoke by its requester (sam) works"
expect_out "revoked by sam" "revoke says who"
sg exception revoke "$E_FF1015" --as carol --reason "again"
expect_rc 2 "revoking a revoked exception exits 2"
expect_err "was revoked" "revoking twice: says it was revoked"
sg exception revoke "$E_TWIN" --as alice --reason "a duplicate of $E_RULE"
expect_rc 0 "revoke a pending exception by its requester (alice)"
sg exception revoke "$E_COMP" --as carol --reason "lodash upgraded"
expect_rc 0 "revoke by a cto who did not request it (carol)"
sg exception revoke "$E_FF1044" --as adam --reason "admin cleanup"
expect_rc 0 "revoke by an admin"
SNAP=$(snapshot)
sg exception approve "$E_COMP" --as dave --key dave.key
refused "a revoked exception" "$E_COMP" "was revoked by carol" revoked
sg exception approve "$E_TWIN" --as carol --key carol.key
refused "a revoked pending exception" "$E_TWIN" "only a pending exception can be approved" revoked

sg gate --product demo --format json
expect_rc 1 "after revoking the FF1015 and FF1044 rule exceptions the gate blocks"
expect_eq "$(py 'print(d["blocking_total"], sorted(b["rule"] for b in d["blocking_findings"]))')" "2 ['FF1015', 'FF1044']" \
	"the FF1044 finding and the FF1015 finding not under a finding exception block again"
expect_eq "$(py "print([w['exception']['id'] for w in d['waived_findings'] if w['rule'] == 'FF1015'])")" "[$E_FIND]" \
	"the finding exception still waives $FIND_1015"
R_REV=$(reasons remediate.release)
check "after revocation: a reason says '1 finding blocks again: exception $E_FF1044 was revoked by adam at ...'" \
	bash -c 'grep -q "1 finding blocks again: exception $1 was revoked by adam at " <<<"$2"' _ "$E_FF1044" "$R_REV"
# Of the two FF1015 findings under the revoked rule exception, one is still
# waived by the finding exception: only one blocks again.
check "after revocation: a reason says '1 finding blocks again: exception $E_FF1015 was revoked by sam at ...' (the other FF1015 is still waived by $E_FIND)" \
	bash -c 'grep -q "1 finding blocks again: exception $1 was revoked by sam at " <<<"$2"' _ "$E_FF1015" "$R_REV"
check "a revoked exception that covers nothing open gives no reason ($E_COMP, $E_TWIN)" \
	bash -c '! grep -Eq "exception ($1|$2) " <<<"$3"' _ "$E_COMP" "$E_TWIN" "$(reasons remediate.release)"
expect_eq "$(clause exceptions)" "pass" "revocations do not fail clause exceptions"

# =====================================================================================
# list
# =====================================================================================
ids_of() { py "print(' '.join(str(e['id']) for e in d))"; }
sg exception list --format json
expect_rc 0 "exception list --format json"
printf '%s\n' "$SG_OUT" >list.json
check "list json: valid JSON (python3 -m json.tool)" python3 -m json.tool list.json /dev/null
expect_eq "$(py 'print(len(d))')" "11" "list: every exception"
check "list json: each entry has id, status, scope, product, all_products, reason, expires, requester, approver" \
	py 'sys.exit(0 if all({"id","status","scope","product","all_products","reason","expires","requester","requested_at","approver","approver_key_id","approved_at","revoked_by"} <= set(e) for e in d) else 1)'
expect_eq "$(py "print([(e['scope'], e['product'], e['all_products']) for e in d if e['id'] == $E_ALL])")" "[('rule', None, True)]" \
	"list json: an --all-products exception has product null, all_products true"
expect_eq "$(py "print([(e['component'], e['status'], e['revoked_by'], e['revoke_reason']) for e in d if e['id'] == $E_COMP])")" \
	"[('pkg:npm/lodash', 'revoked', 'carol', 'lodash upgraded')]" "list json: the component exception, revoked by carol with her reason"
expect_eq "$(py "print([(e['finding'], e['approver'], e['approver_key_id']) for e in d if e['id'] == $E_FIND])")" \
	"[($FIND_1015, 'carol', '$KID_CAROL')]" "list json: the finding exception, its approver and key"
sg exception list --status pending --format json
expect_eq "$(ids_of)" "$E_SHORT $E_90" "list --status pending (at T0)"
sg exception list --status active --format json
expect_eq "$(ids_of)" "$E_RULE $E_OTHER $E_DAVE $E_FIND $E_ALL" "list --status active (at T0)"
sg exception list --status revoked --format json
expect_eq "$(ids_of)" "$E_TWIN $E_COMP $E_FF1015 $E_FF1044" "list --status revoked"
sg exception list --status expired --format json
expect_eq "$(ids_of)" "" "list --status expired at T0: none"
at "$(day 6)T00:00:00Z" exception list --status expired --format json
expect_eq "$(ids_of)" "$E_RULE $E_SHORT" "list --status expired on day 6: the approved one and the pending one past their dates"
at "$(day 6)T00:00:00Z" exception list --status active --format json
expect_eq "$(ids_of)" "$E_OTHER $E_DAVE $E_FIND $E_ALL" "list --status active on day 6"
at "$(day 6)T00:00:00Z" exception list --status revoked --format json
expect_eq "$(ids_of)" "$E_TWIN $E_COMP $E_FF1015 $E_FF1044" "list --status revoked on day 6: revocation wins over expiry"
sg exception list
expect_rc 0 "exception list (text)"
expect_eq "$(grep -Ec '^#[0-9]+ ' <<<"$SG_OUT")" "11" "list text: a line per exception"
check "list text: status, scope, product, expiry, requester, approver" \
	grep -Eq "^#$E_RULE +active +rule Flawfinder:FF1001 in demo, expires $(day 5), requested by alice, approved by carol" <<<"$SG_OUT"
expect_out "in every product" "list text: an --all-products exception is 'in every product'"
sg exception list --status bogus
expect_rc 2 "list --status bogus exits 2"
sg exception list --format xml
expect_rc 2 "list --format xml exits 2"
sg exception
expect_rc 2 "exception without a subcommand exits 2"

# =====================================================================================
# a tampered store: an altered approved exception fails clause exceptions and waives nothing
# =====================================================================================
checkpoint
cp "$DB" base.db
# tampered WHAT SQL: on a copy of the store, then the gate at T0 on it
tampered() {
	rm -f t.db t.db-wal t.db-shm
	cp base.db t.db
	sqlite3 t.db "$2"
	sg --db "sqlite:$TEST_DIR/t.db" gate --product demo --format json
}
sg gate --product demo --format json
BASE_BLOCK=$(py 'print(d["blocking_total"])')
BASE_WAIVED=$(py 'print(d["waived_total"])')
tampered "reason" "UPDATE exception SET reason = 'x' WHERE id = $E_RULE"
expect_rc 1 "altered reason of approved $E_RULE: the gate blocks"
expect_eq "$(clause exceptions)" "fail" "altered reason: clause exceptions fails"
check "altered reason: the clause names exception $E_RULE and says the signature does not verify" \
	bash -c 'grep -q "exception $1: the approval signature does not verify" <<<"$2"' _ "$E_RULE" "$(reasons exceptions)"
expect_eq "$(py 'print(d["blocking_total"], d["waived_total"], any(w["exception"]["id"] == '"$E_RULE"' for w in d["waived_findings"]))')" \
	"$((BASE_BLOCK + 2)) $((BASE_WAIVED - 2)) False" "altered reason: $E_RULE waives nothing, its two FF1001 findings block"
tampered "every reason" "UPDATE exception SET reason = 'x'"
expect_eq "$(clause exceptions) $(py 'print(d["waived_total"])')" "fail 0" "every reason altered: clause exceptions fails, nothing is waived"
tampered "expires_on" "UPDATE exception SET expires_on = '$(day 80)' WHERE id = $E_RULE"
expect_eq "$(clause exceptions) $(py 'print(d["blocking_total"])')" "fail $((BASE_BLOCK + 2))" "a later expires_on written into the store: clause exceptions fails, $E_RULE waives nothing"
tampered "rule" "UPDATE exception SET rule = 'FF1013' WHERE id = $E_RULE"
expect_eq "$(clause exceptions) $(py 'print(any(w["rule"] in ("FF1013", "FF1001") for w in d["waived_findings"]))')" "fail False" \
	"another rule written into $E_RULE: clause exceptions fails and it waives neither rule"
tampered "approver" "UPDATE exception SET approver_id = (SELECT id FROM principal WHERE name = 'dave') WHERE id = $E_RULE"
expect_eq "$(clause exceptions)" "fail" "another approver written into $E_RULE: clause exceptions fails"
tampered "product" "UPDATE exception SET product_id = NULL WHERE id = $E_RULE"
expect_eq "$(clause exceptions)" "fail" "$E_RULE widened to every product in the store: clause exceptions fails"
tampered "signature" "UPDATE exception SET signature = randomblob(64) WHERE id = $E_RULE"
expect_eq "$(clause exceptions) $(py 'print(d["blocking_total"])')" "fail $((BASE_BLOCK + 2))" "a random signature: clause exceptions fails, $E_RULE waives nothing"
tampered "approval of a pending one" \
	"UPDATE exception SET approver_id = (SELECT id FROM principal WHERE name = 'carol'), approver_key_id = '$KID_CAROL', signature = (SELECT signature FROM exception WHERE id = $E_RULE), approved_at = requested_at WHERE id = $E_SHORT"
expect_eq "$(clause exceptions) $(py 'print(any(w["rule"] == "FF1013" for w in d["waived_findings"]))')" "fail False" \
	"a pending exception marked approved in the store (a borrowed signature): clause exceptions fails, it waives nothing"
tampered "key" "UPDATE principal_key SET public_key = (SELECT public_key FROM principal_key WHERE key_id = '$(sed -n 's/^key-id: //p' dave.key.pub)') WHERE key_id = '$KID_CAROL'"
expect_eq "$(clause exceptions)" "fail" "carol's registered public key replaced in the store: her approvals fail clause exceptions"
tampered "expires_at" "UPDATE exception SET expires_at = expires_at + 86400 * 60 WHERE id = $E_RULE"
expect_eq "$(clause exceptions) $(py 'print(d["blocking_total"])')" "pass $BASE_BLOCK" "the unsigned expires_at column altered: nothing changes at T0"
rm -f t.db t.db-wal t.db-shm
cp base.db t.db
sqlite3 t.db "UPDATE exception SET expires_at = expires_at + 86400 * 60 WHERE id = $E_RULE"
SHIPGATE_NOW="$(day 6)T00:00:00Z" sg --db "sqlite:$TEST_DIR/t.db" gate --product demo --format json
expect_eq "$(py 'print(sorted(b["rule"] for b in d["blocking_findings"]).count("FF1001"))')" "2" \
	"expires_at pushed 60 days later: $E_RULE still expires on its signed date"
sg gate --product demo --format json
expect_eq "$(clause exceptions) $(py 'print(d["blocking_total"], d["waived_total"])')" "pass $BASE_BLOCK $BASE_WAIVED" "the real store is untouched by the tampered copies"

# =====================================================================================
# the ledger agrees
# =====================================================================================
sg audit log --format json
expect_eq "$(py 'print(sum(1 for e in d if e["action"] == "exception.request"), sum(1 for e in d if e["action"] == "exception.approve"), sum(1 for e in d if e["action"] == "exception.revoke"))')" \
	"11 7 4" "audit log: 11 requests, 7 approvals, 4 revocations"
sg audit verify
expect_rc 0 "audit verify passes on the real store"
expect_out "7 approval signatures verify" "audit verify checks the 7 approval signatures (revoked ones too)"

# =====================================================================================
# a multi-line reason signed offline; an approval under another approver_role
# =====================================================================================
sg exception request --rule Flawfinder:FF1001 --product demo3 --reason $'two lines,\n\tünïcode, and a final newline\n' --expires "$(day 20)" --as alice
expect_rc 0 "request with a multi-line UTF-8 reason ending in a newline"
E_ML=$SG_OUT
sg_to p_ml.txt exception payload "$E_ML"
check "the payload ends with the reason's exact bytes, final newline included" \
	python3 -c 'import sys; r = "two lines,\n\tünïcode, and a final newline\n".encode(); sys.exit(0 if open("p_ml.txt", "rb").read().endswith(b"reason: %d\n" % len(r) + r) else 1)'
sg_to s_ml.sig key sign --key carol.key p_ml.txt
sg exception approve "$E_ML" --as carol --signature s_ml.sig
expect_rc 0 "an offline signature over that payload approves it"
sg gate --product demo3 --format json
expect_eq "$(py "print(sorted(w['exception']['id'] for w in d['waived_findings'] if w['rule'] == 'FF1001'))")" "[$E_ML, $E_ML]" \
	"the multi-line-reason exception waives demo3's FF1001 findings"
expect_eq "$(clause exceptions)" "pass" "... and clause exceptions passes"

# The built-in policy says: "an exception waives findings only once a person of
# this role [approver_role] approved it". sam (security) approves under a policy
# whose approver_role is security; under the policy in force (cto) his
# approval must not count as the cto's.
sed 's/^approver_role: cto$/approver_role: security/' shipgate.yml >security-approves.yml
check "a policy whose approver_role is security" grep -qx 'approver_role: security' security-approves.yml
sg exception request --rule Flawfinder:FF1017 --product demo3 --reason "security signs this one" --expires "$(day 20)" --as alice
E_SEC=$SG_OUT
sg --policy security-approves.yml exception approve "$E_SEC" --as sam --key sam.key
expect_rc 0 "under approver_role security, sam (security) approves"
sg exception approve "$E_SEC" --as carol --key carol.key
expect_rc 1 "under the cto policy carol can no longer approve it: it is not pending"
sg gate --product demo3 --format json
# Either way of keeping that promise passes: the exception waives nothing
# under the cto policy, or clause exceptions stops saying that every active
# exception was approved by the cto role.
check "under approver_role cto, an exception approved by sam (security) is not passed off as approved by the cto role (it waives nothing, or clause exceptions does not claim the cto role)" \
	py "r = ' '.join(x for c in d['clauses'] if c['id'] == 'exceptions' for x in c['reasons']); w = [x for x in d['waived_findings'] if x['exception']['id'] == $E_SEC]; sys.exit(0 if not w or 'approved by the cto role' not in r else 1)"
check "... and clause exceptions fails, naming the approver's role" \
	py "r = ' '.join(x for c in d['clauses'] if c['id'] == 'exceptions' for x in c['reasons']); sys.exit(0 if [c['status'] for c in d['clauses'] if c['id'] == 'exceptions'] == ['fail'] and 'role security' in r else 1)"

# =====================================================================================
# details: strict dates, JSON on failure, the recorded signature, list --product
# =====================================================================================
for bad in $'2030-04-\n1' '2030-+4-01' ' 2030-04-1' '2030-04-01 ' '2030-4-01'; do
	sg exception request --rule Flawfinder:FF1001 --product demo --reason "x" --expires "$bad" --as alice
	expect_rc 2 "--expires $(printf '%q' "$bad") is not a date"
done
sg exception list --product nosuch --format json
expect_rc 2 "exception list --product of an unknown product exits 2"
expect_eq "$SG_OUT" "" "... and prints no JSON at all (not a clean [])"
sg exception list --product demo2 --format json
expect_rc 0 "exception list --product demo2"
check "... lists only demo2's and every-product exceptions" \
	py "sys.exit(0 if d and all(x['product'] in ('demo2', None) for x in d) else 1)"
sg exception list --status bogus --format json
expect_eq "$SG_RC:$SG_OUT" "2:" "a bad --status exits 2 and prints nothing"
sg exception list --format json
check "an approved exception's JSON carries its signature (88 base64 characters) and key id" \
	py "x = [e for e in d if e['id'] == $E_ML][0]; sys.exit(0 if len(x['signature'] or '') == 88 and len(x['approver_key_id']) == 16 else 1)"
check "a pending exception's JSON has signature null" \
	py "sys.exit(0 if all(e['signature'] is None for e in d if e['approver'] is None) else 1)"
# Anyone can check a recorded approval with another Ed25519 implementation:
# the payload's bytes, the signature from the JSON, the approver's public key.
sg_to p_check.txt exception payload "$E_ML"
sg exception list --format json
py "import base64; open('sig_check.raw', 'wb').write(base64.b64decode([e for e in d if e['id'] == $E_ML][0]['signature']))"
sed -n 3p carol.key.pub | cut -d' ' -f2 | base64 -d >pk.raw
{ printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; cat pk.raw; } >pk.der
openssl pkey -pubin -inform DER -in pk.der -out pk.pem 2>/dev/null
check "OpenSSL verifies the recorded signature over the payload with carol's public key" \
	bash -c 'openssl pkeyutl -verify -pubin -inkey pk.pem -rawin -in p_check.txt -sigfile sig_check.raw >/dev/null 2>&1' 
printf 'x' >>p_check.txt
check "... and not over a payload with one byte more" \
	bash -c '! openssl pkeyutl -verify -pubin -inkey pk.pem -rawin -in p_check.txt -sigfile sig_check.raw >/dev/null 2>&1'
sg sla --product nosuch --format json
expect_eq "$SG_RC:$SG_OUT" "2:" "sla --format json for an unknown product exits 2 and prints nothing"
sg audit log --since 2030-13-01 --format json
expect_eq "$SG_RC:$SG_OUT" "2:" "audit log with a bad --since exits 2 and prints nothing"

# The approver's clock and policy decide, not only the requester's.
SHIPGATE_NOW=2031-01-01T00:00:00Z "$SG_BIN" exception request --rule Flawfinder:FF1001 --product demo \
	--reason "asked with a clock a year ahead" --expires 2031-03-01 --as alice >future.id 2>/dev/null
sg exception approve "$(cat future.id)" --as carol --key carol.key
expect_rc 1 "an exception dated in the future (the requester's clock) is not approved"
expect_err "in the future" "... saying the clocks disagree"
printf 'policy: loose\nblock_release: [critical, high]\nexception_max_days: 3650\n' >loose.yml
sg --policy loose.yml exception request --rule Flawfinder:FF1001 --product demo \
	--reason "asked under a looser policy" --expires "$(day 400)" --as alice
LOOSE=$SG_OUT
expect_rc 0 "a request under a policy allowing 3650 days"
sg exception approve "$LOOSE" --as carol --key carol.key
expect_rc 1 "the approver's policy (90 days) refuses its 400-day expiry"
expect_err "exception_max_days (90)" "... naming the limit"
sg user add "local:root" --role cto
expect_rc 2 "a user name with \":\" (the actors shipgate names itself) exits 2"
