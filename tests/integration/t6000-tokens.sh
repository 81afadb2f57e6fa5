#!/usr/bin/env bash
# API tokens and product grants (docs/api.md "Tokens and roles"): `token
# create/list/revoke`, `user grant/revoke-grant`, `user list` with grants.
# A token is printed once and stored only as its SHA-256; bad input exits 2
# and writes nothing; every change is in the audit ledger and `audit verify`
# passes after each, and fails on a token or grant added behind shipgate's
# back.
. "$(dirname "$0")/lib.sh"

DB=$TEST_DIR/store.db
checkpoint() { sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; }
in_days() { python3 -c 'import datetime, sys; print((datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=int(sys.argv[1]))).isoformat())' "$1"; }
py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT" "${@:2}"; }
# What a refused command must leave as it was.
state() { rows "SELECT (SELECT count(*) FROM api_token) || ' ' || (SELECT count(*) FROM product_grant) || ' ' || (SELECT count(*) FROM audit_event) || ' ' || (SELECT coalesce(group_concat(coalesce(revoked_at, '-')), '') FROM api_token)"; }
verify_ok() { # verify_ok AFTER-WHAT
	local out rc
	out=$("$SG_BIN" audit verify 2>&1)
	rc=$?
	if [ $rc = 0 ]; then ok "audit verify passes after $1"; else
		not_ok "audit verify passes after $1 (exit $rc)"
		printf '%s\n' "$out" | head -3 | sed 's/^/#   /'
	fi
}
TOKEN_RE='^sgt_[A-Za-z0-9_-]{43}$'

sg init
expect_rc 0 "init"
for u in alice:developer bob:viewer root:admin; do
	sg user add "${u%%:*}" --role "${u#*:}"
	expect_rc 0 "user add ${u%%:*} --role ${u#*:}"
done

# --- token create ----------------------------------------------------------------------
sg token create --user alice
expect_rc 0 "token create --user alice"
T1=$SG_OUT
check "stdout is the token alone, one line of its shape" grep -Eq "$TOKEN_RE" <<<"$T1"
expect_eq "$(printf '%s\n' "$SG_OUT" | wc -l)" "1" "stdout is one line"
expect_err "shown this once" "stderr says the token is shown once"
expect_err "token 1 created for alice" "stderr names the token and its user"
verify_ok "token create"

expect_eq "$(rows "SELECT lower(hex(sha256)) FROM api_token WHERE id = 1")" \
	"$(printf '%s' "$T1" | sha256sum | cut -c1-64)" "the store keeps the SHA-256 of the whole text"
expect_eq "$(rows "SELECT prefix FROM api_token WHERE id = 1")" "${T1:0:12}" "... and its first 12 characters"
expect_eq "$(rows "SELECT count(*) FROM api_token WHERE expires_at IS NULL AND revoked_at IS NULL")" "1" \
	"without --expires it never expires"

FUTURE=$(in_days 30)
sg token create --user bob --expires "$FUTURE"
expect_rc 0 "token create --user bob --expires $FUTURE"
T2=$SG_OUT
check "the second token has the shape too" grep -Eq "$TOKEN_RE" <<<"$T2"
check "two tokens differ" test "$T1" != "$T2"
expect_err "valid until $FUTURE" "stderr says until when"
expect_eq "$(rows "SELECT expires_at FROM api_token WHERE id = 2")" \
	"$(date -u -d "$FUTURE" +%s)" "--expires DATE: the token stops at 00:00 UTC that day"
verify_ok "token create --expires"

sg token create --user root
expect_rc 0 "token create for an admin"
T3=$SG_OUT
verify_ok "a third token"

# The clock is $SHIPGATE_NOW's: a date past by the system clock is in the
# future by an overridden one (a token that is expired now).
SHIPGATE_NOW=2020-01-01T00:00:00Z sg token create --user alice --expires 2020-06-01
expect_rc 0 "with SHIPGATE_NOW=2020-01-01, --expires 2020-06-01 is in the future"
T4=$SG_OUT
expect_eq "$(rows "SELECT created_at || ' ' || expires_at FROM api_token WHERE id = 4")" \
	"$(date -u -d 2020-01-01 +%s) $(date -u -d 2020-06-01 +%s)" "... recorded at the overridden time"
verify_ok "a token created under SHIPGATE_NOW"

# --- the token is a secret: nowhere in the store or the ledger ---------------------------
checkpoint
for t in "$T1" "$T2" "$T3" "$T4"; do
	check "token ${t:0:12}... is not in the store file" bash -c '! grep -qaF -- "$1" "$2"* ' _ "$t" "$DB"
done
sg audit log --format json
expect_rc 0 "audit log --format json"
AUDIT_JSON=$SG_OUT
sg audit log
AUDIT_TEXT=$SG_OUT
for t in "$T1" "$T2" "$T3" "$T4"; do
	sha=$(printf '%s' "$t" | sha256sum | cut -c1-64)
	check "neither token ${t:0:12}... nor its hash is in the audit log" \
		bash -c '! grep -qiF -e "$1" -e "$2" <<<"$3$4"' _ "$t" "$sha" "$AUDIT_JSON" "$AUDIT_TEXT"
done
SG_OUT=$AUDIT_JSON
check "the ledger records token.create with label 'token N of USER'" \
	py 'e = [x for x in d if x["action"] == "token.create"]; assert [x["object"] for x in e] == ["token 1 of alice", "token 2 of bob", "token 3 of root", "token 4 of alice"], e; assert all(x["object_kind"] == "token" for x in e)'
check "the token.create note says user, prefix and expiry, nothing more" \
	py 'e = [json.loads(x["payload"]) for x in d if x["action"] == "token.create"]; assert sorted(e[1]) == ["expires", "prefix", "user"], e[1]; assert e[1]["user"] == "bob" and e[1]["prefix"] == sys.argv[2][:12], e' "$T2"

# --- bad input: exit 2, nothing written ------------------------------------------------
BEFORE=$(state)
bad() { # bad WHAT DIAG ARGS...
	local what=$1 diag=$2
	shift 2
	sg "$@"
	expect_rc 2 "$what exits 2"
	expect_err "[$diag]" "$what: [$diag]"
	expect_eq "$(state)" "$BEFORE" "$what writes nothing"
}
bad "token create without --user" usage token create
bad "token create --user of an unknown user" not-found token create --user mallory
bad "token create --user ''" usage token create --user ''
bad "token create --user with a control character" bad-value token create --user $'ali\x1bce'
bad "token create --expires in the past" bad-value token create --user alice --expires 2020-01-01
bad "token create --expires today" bad-value token create --user alice --expires "$(in_days 0)"
bad "token create --expires 2030-02-30" bad-value token create --user alice --expires 2030-02-30
bad "token create --expires 2030-1-01" bad-value token create --user alice --expires 2030-1-01
bad "token create --expires with a time" bad-value token create --user alice --expires 2030-01-01T00:00:00Z
bad "token create --expires tomorrow" bad-value token create --user alice --expires tomorrow
bad "token create with an extra argument" usage token create extra --user alice
bad "token create --bogus" usage token create --user alice --bogus
bad "token alone" usage token
bad "token frob" usage token frob
bad "token revoke without an id" usage token revoke
bad "token revoke abc" usage token revoke abc
bad "token revoke 0" usage token revoke 0
bad "token revoke -1" usage token revoke -1
bad "token revoke 1x" usage token revoke 1x
bad "token revoke 99999999999999999999" usage token revoke 99999999999999999999
bad "token revoke of an unknown token" not-found token revoke 999
bad "token list --format xml" bad-value token list --format xml
bad "token list --user of an unknown user" not-found token list --user mallory
bad "user grant without --product" usage user grant alice
bad "user grant without a user" usage user grant --product web
bad "user grant of an unknown user" not-found user grant mallory --product web
bad "user grant --product ''" usage user grant alice --product ''
bad "user grant --product with a control character" bad-value user grant alice --product $'w\neb'
bad "user grant --product of 201 bytes" bad-value user grant alice --product "$(printf 'p%.0s' $(seq 201))"
bad "user revoke-grant of a grant that is not there" conflict user revoke-grant alice --product web
bad "user revoke-grant of an unknown user" not-found user revoke-grant mallory --product web
bad "user add --product" usage user add carol --role viewer --product web
check "no token was printed by a refused create" test -z "$SG_OUT"

# --- token list ------------------------------------------------------------------------
sg token list
expect_rc 0 "token list"
expect_eq "$(printf '%s\n' "$SG_OUT" | wc -l)" "4" "token list: a line per token"
check "token list: id, user, prefix, created, expires never" \
	grep -Eq "^#1 +alice +${T1:0:12}\.\.\. +created [0-9T:Z-]+ +expires never$" <<<"$SG_OUT"
check "token list: an expiry" grep -Eq "^#2 +bob +${T2:0:12}\.\.\. +created [0-9T:Z-]+ +expires ${FUTURE}T00:00:00Z$" <<<"$SG_OUT"
check "token list never shows a token" bash -c '! grep -qF -e "$1" -e "$2" -e "$3" <<<"$4"' _ "$T1" "$T2" "$T3" "$SG_OUT"
sg token list --user alice --format json
expect_rc 0 "token list --user alice --format json"
check "json: alice's tokens, in id order, with every field and no hash" \
	py 'assert [t["id"] for t in d] == [1, 4], d; assert all(sorted(t) == ["created_at", "expires_at", "id", "prefix", "revoked_at", "user"] for t in d), d; assert d[0]["user"] == "alice" and d[0]["expires_at"] is None and d[0]["revoked_at"] is None; assert d[1]["expires_at"] == "2020-06-01T00:00:00Z" and d[1]["created_at"] == "2020-01-01T00:00:00Z"'
check "json: the prefix is the token's first 12 characters" py 'assert d[0]["prefix"] == sys.argv[2][:12]' "$T1"
sg token list --user bob --format text
expect_rc 0 "token list --user bob"
expect_eq "$(printf '%s\n' "$SG_OUT" | wc -l)" "1" "token list --user bob: one line"
sg token list --format json --user root
expect_rc 0 "token list --format json --user root"
check "json: root's one token" py 'assert len(d) == 1 and d[0]["user"] == "root"'

# --- token revoke ----------------------------------------------------------------------
sg token revoke 2
expect_rc 0 "token revoke 2"
expect_out "token 2 revoked" "token revoke says so"
verify_ok "token revoke"
sg token list --format json
check "json: token 2 is revoked, the others are not" \
	py 'r = {t["id"]: t["revoked_at"] for t in d}; assert r[2] is not None and r[2].endswith("Z") and r[1] is None and r[3] is None, r'
sg token list --user bob
check "text: a revoked token says when" grep -Eq "revoked [0-9T:Z-]+$" <<<"$SG_OUT"
BEFORE=$(state)
bad "token revoke of a revoked token" conflict token revoke 2
sg audit log --format json
check "the ledger records token.revoke of 'token 2 of bob'" \
	py 'e = [x for x in d if x["action"] == "token.revoke"]; assert len(e) == 1 and e[0]["object"] == "token 2 of bob" and e[0]["object_id"] == 2, e'

# --- grants ----------------------------------------------------------------------------
sg user grant alice --product web
expect_rc 0 "user grant alice --product web"
expect_out "product web granted to alice" "user grant says so"
verify_ok "user grant"
sg user grant alice --product api
expect_rc 0 "user grant alice --product api"
sg user grant alice --product not-ingested-yet
expect_rc 0 "a grant may name a product not created yet"
sg user grant bob --product web
expect_rc 0 "user grant bob --product web"
verify_ok "more grants"
expect_eq "$(rows "SELECT count(*) FROM product")" "0" "granting creates no product"
BEFORE=$(state)
bad "user grant twice" conflict user grant alice --product web
bad "user grant of api again" conflict user grant alice --product api
sg user grant alice --product API
expect_rc 0 "product names are exact: API is not api"
verify_ok "a grant of API"

sg user list
expect_rc 0 "user list"
check "user list: alice's grants in name order" grep -Eqx "alice +developer +0 keys +products: API, api, not-ingested-yet, web" <<<"$SG_OUT"
check "user list: bob's grant" grep -Eqx "bob +viewer +0 keys +products: web" <<<"$SG_OUT"
check "user list: an admin sees every product" grep -Eqx "root +admin +0 keys +products: every product \(admin\)" <<<"$SG_OUT"

sg user revoke-grant alice --product api
expect_rc 0 "user revoke-grant alice --product api"
expect_out "grant of product api to alice revoked" "user revoke-grant says so"
verify_ok "user revoke-grant"
sg user list
check "user list: the grant is gone" grep -Eqx "alice +developer +0 keys +products: API, not-ingested-yet, web" <<<"$SG_OUT"
# Every grant of bob's revoked: the ledger records that he has none.
sg user revoke-grant bob --product web
expect_rc 0 "user revoke-grant of bob's last grant"
verify_ok "a user's last grant revoked"
sg user list
check "user list: bob has no grants" grep -Eqx "bob +viewer +0 keys" <<<"$SG_OUT"
sg user grant bob --product web
expect_rc 0 "user grant bob --product web again"
verify_ok "a grant given again"
sg audit log --format json
check "the ledger records user.grant and user.revoke-grant on the user's grants" \
	py 'e = [(x["action"], x["object_kind"], x["object"], json.loads(x["payload"])["product"]) for x in d if x["action"].startswith("user.") and "grant" in x["action"]]; assert e[0] == ("user.grant", "grant", "grants of alice", "web"), e; assert ("user.revoke-grant", "grant", "grants of bob", "web") in e, e; assert len(e) == 8, e'

# --- tampering: a token or grant added behind shipgate's back ---------------------------
checkpoint
cp "$DB" "$TEST_DIR/good.db"
restore() { rm -f "$DB-wal" "$DB-shm"; cp "$TEST_DIR/good.db" "$DB"; }
ALICE=$(rows "SELECT id FROM principal WHERE name = 'alice'")
BOB=$(rows "SELECT id FROM principal WHERE name = 'bob'")

sqlite3 "$DB" "INSERT INTO api_token(principal_id, sha256, prefix, created_at) VALUES ($ALICE, randomblob(32), 'sgt_planted1', 1)"
PLANTED=$(rows "SELECT max(id) FROM api_token")
sg audit verify
expect_rc 1 "audit verify fails after a token row is inserted with sqlite3"
expect_err "[audit-broken]" "... [audit-broken]"
expect_err "token $PLANTED is in the store but no audit event records it" "... naming the planted token"
BEFORE=$(state)
sg token revoke "$PLANTED"
expect_rc 1 "token revoke of the planted token is refused"
expect_err "[audit-broken]" "... [audit-broken]"
expect_eq "$(state)" "$BEFORE" "... and writes nothing"
restore

sqlite3 "$DB" "UPDATE api_token SET revoked_at = NULL WHERE id = 2"
sg audit verify
expect_rc 1 "audit verify fails after a revoked token is un-revoked with sqlite3"
expect_err "token 2 differs from its state" "... naming the token"
BEFORE=$(state)
sg token revoke 2
expect_rc 1 "revoking it again is refused: the ledger does not vouch for its row"
expect_eq "$(state)" "$BEFORE" "... and writes nothing"
restore

sqlite3 "$DB" "UPDATE api_token SET sha256 = randomblob(32) WHERE id = 1"
sg audit verify
expect_rc 1 "audit verify fails after a token's hash is swapped"
expect_err "token 1 differs" "... naming the token"
restore

sqlite3 "$DB" "UPDATE api_token SET principal_id = (SELECT id FROM principal WHERE name = 'root') WHERE id = 1"
sg audit verify
expect_rc 1 "audit verify fails after a token is moved to another user"
restore

sqlite3 "$DB" "INSERT INTO product_grant(principal_id, product, created_at) VALUES ($ALICE, 'secret-product', 1)"
sg audit verify
expect_rc 1 "audit verify fails after a grant is inserted with sqlite3"
expect_err "grant $ALICE differs from its state" "... naming the user's grants"
BEFORE=$(state)
sg user grant alice --product other
expect_rc 1 "a grant over tampered grants is refused"
expect_err "[audit-broken]" "... [audit-broken]"
expect_eq "$(state)" "$BEFORE" "... and writes nothing"
restore

ROOT_ID=$(rows "SELECT id FROM principal WHERE name = 'root'")
sqlite3 "$DB" "INSERT INTO product_grant(principal_id, product, created_at) VALUES ($ROOT_ID, 'web', 1)"
sg audit verify
expect_rc 1 "audit verify fails after a grant is given to a user without any"
expect_err "grant $ROOT_ID is in the store but no audit event records it" "... naming them"
restore

sqlite3 "$DB" "DELETE FROM product_grant WHERE principal_id = $BOB"
sg audit verify
expect_rc 1 "audit verify fails after a user's grants are deleted"
expect_err "grant $BOB recorded by audit event" "... naming them"
restore

sqlite3 "$DB" "UPDATE principal SET role = 'admin' WHERE name = 'bob'"
BEFORE=$(state)
sg token create --user bob
expect_rc 1 "token create for a user whose row was changed is refused"
expect_err "[audit-broken]" "... [audit-broken]"
expect_eq "$(state)" "$BEFORE" "... and writes nothing"
check "... and prints no token" test -z "$SG_OUT"
restore

sg audit verify
expect_rc 0 "the restored store verifies"
