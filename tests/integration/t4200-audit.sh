#!/usr/bin/env bash
# The audit ledger: `audit log`, `audit verify [--anchor HASH]`, and a
# tampering matrix. A store with every kind of event is built once and copied
# aside; each case starts from that copy, changes one thing with the sqlite3
# shell (which does not enforce foreign keys: what someone editing the file
# behind shipgate's back would use), and `audit verify` must exit 1 and name
# the event or the object.
. "$(dirname "$0")/lib.sh"

FF=$ROOT/examples/demo-app/scans/flawfinder.sarif
CLANG=$ROOT/examples/demo-app/scans/clang-analyzer-store.sarif
OLD=2024-01-15T12:00:00Z # the first events happen then: `audit log --since` splits there
ZERO=0000000000000000000000000000000000000000000000000000000000000000

py() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); $1" "$SG_OUT"; }
in_days() { python3 -c 'import datetime, sys; print((datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=int(sys.argv[1]))).isoformat())' "$1"; }
DB=$TEST_DIR/store.db
checkpoint() { sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; }

# --- a store with every kind of event --------------------------------------------------
SHIPGATE_NOW=$OLD sg init
expect_rc 0 "init"
SHIPGATE_NOW=$OLD sg ingest sarif "$FF" --product demo --commit abcdef1
expect_rc 0 "ingest flawfinder for demo (clock at $OLD)"
python3 - "$FF" subset.sarif <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["runs"][0]["results"] = [r for i, r in enumerate(d["runs"][0]["results"]) if i not in (0, 4)]
json.dump(d, open(sys.argv[2], "w"))
EOF
sg ingest sarif subset.sarif --product demo --commit abcdef2
expect_rc 0 "ingest a subset for demo (two fixed: the finding history changes)"
sg ingest sarif "$CLANG" --product other --commit 1234567
expect_rc 0 "ingest clang-analyzer for a second product"
sg release create demo 1.0 --commit abcdef1
expect_rc 0 "release create"
sg user add alice --role developer
expect_rc 0 "user add alice (developer)"
sg user add carol --role cto
expect_rc 0 "user add carol (cto)"
sg key generate --out alice.key
expect_rc 0 "key generate alice.key"
sg key generate --out carol.key
expect_rc 0 "key generate carol.key"
sg user key alice --public alice.key.pub
expect_rc 0 "user key alice"
sg user key carol --public carol.key.pub
expect_rc 0 "user key carol"

DEMO=$(rows "SELECT id FROM product WHERE name='demo'")
OTHER=$(rows "SELECT id FROM product WHERE name='other'")
F1=$(rows "SELECT id FROM finding WHERE product_id=$DEMO AND status='open' ORDER BY id LIMIT 1")
FP=$(rows "SELECT id FROM finding WHERE product_id=$DEMO AND status='open' AND rule='FF1044' ORDER BY id LIMIT 1")
HIGH=$(rows "SELECT id FROM finding WHERE product_id=$DEMO AND status='open' AND severity=3 AND id NOT IN ($F1, $FP) ORDER BY id LIMIT 1")

sg exception request --finding "$F1" --product demo --reason "not reachable from input" --expires "$(in_days 30)" --as alice
expect_rc 0 "exception request (finding scope)"
E1=$SG_OUT
sg exception approve "$E1" --as carol --key carol.key
expect_rc 0 "exception approve --as carol --key carol.key"
sg exception request --rule Flawfinder:FF1017 --product demo --reason "to be replaced" --expires "$(in_days 40)" --as alice
expect_rc 0 "a second exception request (rule scope)"
E2=$SG_OUT
sg exception revoke "$E2" --as carol --reason "no longer needed"
expect_rc 0 "exception revoke"
sg exception request --rule Flawfinder:FF1001 --product demo --reason "left pending" --expires "$(in_days 50)" --as alice
expect_rc 0 "a third exception request, left pending"
E3=$SG_OUT
sg findings triage "$FP" --status false_positive --reason "system() gets a constant here"
expect_rc 0 "findings triage --status false_positive"

ALICE=$(rows "SELECT id FROM principal WHERE name='alice'")
CAROL=$(rows "SELECT id FROM principal WHERE name='carol'")
KALICE=$(rows "SELECT id FROM principal_key WHERE principal_id=$ALICE")
KCAROL=$(rows "SELECT id FROM principal_key WHERE principal_id=$CAROL")
REL=$(rows "SELECT id FROM release WHERE version='1.0'")
I1=$(rows "SELECT min(id) FROM ingest WHERE product_id=$DEMO")
S1=$(rows "SELECT id FROM scan WHERE ingest_id=$I1")
N=$(rows "SELECT count(*) FROM audit_event")
check "ids of the store found ($DEMO $OTHER $F1 $FP $HIGH $E1 $E2 $E3 $ALICE $CAROL $KALICE $KCAROL $REL $I1 $S1 $N)" \
	test -n "$DEMO" -a -n "$OTHER" -a -n "$F1" -a -n "$FP" -a -n "$HIGH" -a -n "$E1" -a -n "$E2" -a -n "$E3" \
	-a -n "$ALICE" -a -n "$CAROL" -a -n "$KALICE" -a -n "$KCAROL" -a -n "$REL" -a -n "$I1" -a -n "$S1"

# --- audit log ----------------------------------------------------------------------------
sg audit log --format json
expect_rc 0 "audit log --format json exits 0"
LOG_JSON=$SG_OUT
LAST_HASH=$(py 'print(d[-1]["hash"])')
check "audit log json: valid JSON, an array" py 'sys.exit(0 if isinstance(d, list) else 1)'
expect_eq "$(py 'print(len(d))')" "$N" "audit log json: one entry per row of audit_event ($N)"
expect_eq "$(py 'print([e["seq"] for e in d] == list(range(1, len(d) + 1)))')" "True" "audit log json: seq 1..N without gaps"
check "audit log json: every event has seq, at, actor, action, object_kind, object_id, object, payload, state_digest, prev_hash, hash" \
	py 'sys.exit(0 if all({"seq","at","actor","action","object_kind","object_id","object","payload","state_digest","prev_hash","hash"} <= set(e) for e in d) else 1)'
check "audit log json: hashes and digests are 64 hex" \
	py 'import re; sys.exit(0 if all(re.fullmatch("[0-9a-f]{64}", e[k] or "") for e in d for k in ("hash", "prev_hash", "state_digest")) else 1)'
expect_eq "$(py 'print(d[0]["prev_hash"])')" "$ZERO" "audit log json: the first event follows zeros"
expect_eq "$(py 'print(all(d[i]["prev_hash"] == d[i-1]["hash"] for i in range(1, len(d))))')" "True" \
	"audit log json: each prev_hash is the hash of the event before"
check "audit log json: every payload is a JSON object, given as a string" \
	py 'sys.exit(0 if all(isinstance(e["payload"], str) and isinstance(json.loads(e["payload"]), dict) for e in d) else 1)'
check "audit log json: times are YYYY-MM-DDTHH:MM:SSZ" py 'import re; sys.exit(0 if all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["at"]) for e in d) else 1)'
for action in policy.change product.create ingest.sarif findings.update history.update release.create user.add \
	key.register exception.request exception.approve exception.revoke finding.triage; do
	expect_eq "$(py "print(any(e['action'] == '$action' for e in d))")" "True" "audit log: a $action event"
done
expect_eq "$(py 'print(d[0]["action"], d[0]["object_kind"])')" "policy.change policy" "audit log: the policy in force comes first"
expect_eq "$(py 'print(sum(1 for e in d if e["action"] == "product.create"))')" "2" "audit log: product.create once per product"
expect_eq "$(py "print(sum(1 for e in d if e['action'] == 'ingest.sarif'))")" "3" "audit log: ingest.sarif once per ingest"
expect_eq "$(py "print([e['actor'] for e in d if e['action'] in ('exception.request', 'exception.approve', 'exception.revoke') and e['object_id'] == $E1])")" \
	"['alice', 'carol']" "audit log: exception events name the person (--as) as the actor"
expect_eq "$(py "print([e['object_kind'] + ' ' + str(e['object_id']) for e in d if e['action'] == 'finding.triage'])")" "['findings $DEMO']" \
	"audit log: a triage is an event of the product's findings"
check "audit log: other events name a local actor" py 'sys.exit(0 if all(e["actor"].startswith("local:") for e in d if not e["action"].startswith("exception.")) else 1)'
expect_eq "$(py 'print(json.loads([e for e in d if e["action"] == "finding.triage"][0]["payload"])["reason"])')" \
	"system() gets a constant here" "audit log: the triage's reason is in its payload"
expect_eq "$(py 'print(json.loads([e for e in d if e["action"] == "product.create"][0]["payload"]).get("clock_overridden_to"))')" \
	"$OLD" "audit log: an event under \$SHIPGATE_NOW says so in its payload"

sg audit log
expect_rc 0 "audit log (text) exits 0"
expect_eq "$(grep -Ec '^[0-9]+ +[0-9]{4}-[0-9][0-9]-[0-9][0-9]T' <<<"$SG_OUT")" "$N" "audit log text: one line per event, seq and time first"
expect_out "carol exception.approve exception $E1" "audit log text: actor, action and object"
expect_out "${LAST_HASH:0:16}" "audit log text: a hash prefix"
SG_OUT=$LOG_JSON
N_OLD=$(py "print(sum(1 for e in d if e['at'] == '$OLD'))")
check "some events at $OLD ($N_OLD), some later" test "$N_OLD" -gt 0 -a "$N_OLD" -lt "$N"

sg audit log --since 2024-01-15 --format json
expect_rc 0 "audit log --since 2024-01-15"
expect_eq "$(py 'print(len(d))')" "$N" "--since the day of the first events: all of them"
sg audit log --since 2024-01-16 --format json
expect_rc 0 "audit log --since 2024-01-16"
expect_eq "$(py 'print(len(d), d[0]["seq"], d[-1]["seq"])')" "$((N - N_OLD)) $((N_OLD + 1)) $N" "--since a later day: only the later events, seq kept"
sg audit log --since 2024-01-15T12:00:01Z --format json
expect_eq "$(py 'print(len(d))')" "$((N - N_OLD))" "--since a time one second after the first events"
sg audit log --since 2024-01-15T12:00:00Z --format json
expect_eq "$(py 'print(len(d))')" "$N" "--since is inclusive"
sg audit log --since 2999-01-01 --format json
expect_rc 0 "audit log --since the future exits 0"
expect_eq "$(py 'print(d)')" "[]" "--since the future: an empty array"
sg audit log --since 2024-01-16
expect_eq "$(grep -Ec '^[0-9]+ +[0-9]{4}-' <<<"$SG_OUT")" "$((N - N_OLD))" "--since in text too"
sg audit log --since yesterday
expect_rc 2 "audit log --since yesterday exits 2"
sg audit log --since 2024-13-01
expect_rc 2 "audit log --since 2024-13-01 exits 2"
sg audit log --format xml
expect_rc 2 "audit log --format xml exits 2"
sg audit log extra
expect_rc 2 "audit log with an operand exits 2"
sg audit
expect_rc 2 "audit without a subcommand exits 2"
sg audit bogus
expect_rc 2 "audit bogus exits 2"
sg audit verify extra
expect_rc 2 "audit verify with an operand exits 2"

# --- audit verify on the good store ------------------------------------------------------------
sg audit verify
expect_rc 0 "audit verify exits 0 on an untouched store"
expect_out "audit verify: ok: $N events chained" "verify: counts the events"
expect_out "1 approval signature verifies" "verify: checks the one approval signature"
H1=$(sed -n 's/^head \([0-9a-f]\{64\}\)$/\1/p' <<<"$SG_OUT")
expect_eq "$H1" "$LAST_HASH" "verify: head is the last event's hash"
expect_eq "$(rows "SELECT count(*) FROM audit_event")" "$N" "verify appends nothing"
sg audit verify --anchor "$H1"
expect_rc 0 "verify --anchor (the head) exits 0"
expect_out "anchor $H1 is in the chain" "verify --anchor says the anchor is in the chain"
MIDHASH=$(SG_OUT=$LOG_JSON py 'print(d[len(d) // 2]["hash"])')
sg audit verify --anchor "$MIDHASH"
expect_rc 0 "verify --anchor (a middle event's hash) exits 0"
sg audit verify --anchor "$(printf '%064d' 1 | tr 0 a)"
expect_rc 1 "verify --anchor not in the chain exits 1"
expect_err "not in the chain" "verify --anchor not in the chain says so"
expect_err "[audit-broken]" "verify --anchor not in the chain: [audit-broken]"
for bad in xyz "${H1:0:63}" "${H1}0" "g${H1:1}" ""; do
	sg audit verify --anchor "$bad"
	expect_rc 2 "verify --anchor '${bad:0:12}...' (${#bad} chars, malformed) exits 2"
done

# --- the tampering matrix ----------------------------------------------------------------------
checkpoint
cp "$DB" pristine.db
check "the pristine copy has no -wal to miss" test ! -s "$DB-wal"
restore() {
	rm -f "$DB-wal" "$DB-shm"
	cp pristine.db "$DB"
}
# tamper WHAT SQL TEXT... : SQL changes at least one row; `audit verify` then
# exits 1, says [audit-broken], and its message holds each TEXT.
tamper() {
	local what=$1 sql=$2 out rc t
	shift 2
	restore
	out=$(sqlite3 "$DB" "$sql; SELECT total_changes();" 2>&1)
	rc=$?
	if [ "$rc" != 0 ] || [ "${out##*$'\n'}" = 0 ]; then
		not_ok "$what: the tampering applies (sqlite3 exit $rc: $(tr '\n' ' ' <<<"$out"))"
		return
	fi
	sg audit verify
	expect_rc 1 "$what: verify exits 1"
	if [ "$SG_RC" != 1 ]; then
		printf '%s\n' "$SG_OUT" | head -2 | sed 's/^/#   /'
		return
	fi
	expect_err "[audit-broken]" "$what: [audit-broken]"
	for t; do expect_err "$t" "$what: names '$t'"; done
}
seq_of() { rows "SELECT seq FROM audit_event WHERE $1 ORDER BY seq LIMIT 1"; }
latest() { rows "SELECT max(seq) FROM audit_event WHERE object_kind='$1' AND object_id=$2"; }

MID=$(seq_of "action='release.create'")
APPROVE=$(seq_of "action='exception.approve'")
LASTOBJ=$(rows "SELECT object_kind||' '||object_id FROM audit_event WHERE seq=$N")
L_E1=$(latest exception "$E1")
L_E2=$(latest exception "$E2")
L_E3=$(latest exception "$E3")
L_ALICE=$(latest user "$ALICE")
L_CAROL=$(latest user "$CAROL")
L_KALICE=$(latest key "$KALICE")
L_KCAROL=$(latest key "$KCAROL")
L_FIND=$(latest findings "$DEMO")
L_FIND_OTHER=$(latest findings "$OTHER")
L_HIST=$(latest history "$DEMO")
L_I1=$(latest ingest "$I1")
L_REL=$(latest release "$REL")
L_DEMO=$(latest product "$DEMO")
L_OTHER=$(latest product "$OTHER")
NEXT_E=$(rows "SELECT max(id) + 1 FROM exception")
NEXT_U=$(rows "SELECT max(id) + 1 FROM principal")
NEXT_K=$(rows "SELECT max(id) + 1 FROM principal_key")
NEXT_R=$(rows "SELECT max(id) + 1 FROM release")
NOW="CAST(strftime('%s','now') AS INTEGER)"
check "the middle event ($MID) is inside the chain" test "$MID" -gt 2 -a "$MID" -lt "$((N - 3))"

# -- audit_event rows
tamper "event: UPDATE payload of a middle event" \
	"UPDATE audit_event SET payload = replace(payload, 'abcdef1', 'fedcba9') WHERE seq = $MID" "at event $MID" "altered"
tamper "event: UPDATE actor (the approver becomes alice)" \
	"UPDATE audit_event SET actor = 'alice' WHERE seq = $APPROVE" "at event $APPROVE" "altered"
tamper "event: UPDATE at (a day earlier)" "UPDATE audit_event SET at = at - 86400 WHERE seq = $MID" "at event $MID" "altered"
tamper "event: UPDATE at (one second later)" "UPDATE audit_event SET at = at + 1 WHERE seq = $N" "at event $N" "altered"
tamper "event: UPDATE state_digest (random)" \
	"UPDATE audit_event SET state_digest = randomblob(32) WHERE seq = $MID" "at event $MID" "altered"
tamper "event: UPDATE state_digest to NULL" "UPDATE audit_event SET state_digest = NULL WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE state_digest of the latest event of an exception (matching nothing)" \
	"UPDATE audit_event SET state_digest = zeroblob(32) WHERE seq = $L_E1" "at event $L_E1"
tamper "event: UPDATE action" "UPDATE audit_event SET action = 'release.delete' WHERE seq = $MID" "at event $MID" "altered"
tamper "event: UPDATE object_label" "UPDATE audit_event SET object_label = 'release demo 9.9' WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE object_id" "UPDATE audit_event SET object_id = object_id + 1 WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE object_kind (known kind)" "UPDATE audit_event SET object_kind = 'product' WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE object_kind (unknown kind)" "UPDATE audit_event SET object_kind = 'gizmo' WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE hash (random)" "UPDATE audit_event SET hash = randomblob(32) WHERE seq = $MID" "at event $MID"
tamper "event: UPDATE hash of the last event" "UPDATE audit_event SET hash = randomblob(32) WHERE seq = $N" "at event $N"
tamper "event: UPDATE prev_hash (random)" "UPDATE audit_event SET prev_hash = randomblob(32) WHERE seq = $MID" \
	"at event $MID" "does not follow"
tamper "event: UPDATE prev_hash of the first event" "UPDATE audit_event SET prev_hash = randomblob(32) WHERE seq = 1" "at event 1"
tamper "event: UPDATE hash as hex text" "UPDATE audit_event SET hash = hex(hash) WHERE seq = $MID" "at event $MID"
# Text is hashed up to its first NUL (strlen) while SQLite keeps the whole
# value: bytes after a NUL are invisible to the chain.
tamper "event: UPDATE payload with a NUL and more after it" \
	"UPDATE audit_event SET payload = payload || char(0) || '{\"forged\":true}' WHERE seq = $MID" "at event $MID"
tamper "event: DELETE a middle event" "DELETE FROM audit_event WHERE seq = $MID" "at event $MID" "missing"
tamper "event: DELETE the first event" "DELETE FROM audit_event WHERE seq = 1" "at event 1" "missing"
tamper "event: DELETE the last event (the store is ahead of the ledger)" "DELETE FROM audit_event WHERE seq = $N" "$LASTOBJ"
tamper "event: DELETE the last three events" "DELETE FROM audit_event WHERE seq > $((N - 3))" "FAILED"
tamper "event: renumber the last event (a gap)" "UPDATE audit_event SET seq = seq + 1 WHERE seq = $N" "at event $N" "missing"
tamper "event: swap two events' seq (reorder)" \
	"UPDATE audit_event SET seq = -1 WHERE seq = $MID; UPDATE audit_event SET seq = $MID WHERE seq = $((MID + 3)); UPDATE audit_event SET seq = $((MID + 3)) WHERE seq = -1" \
	"at event $MID" "does not follow"
tamper "event: swap two adjacent events" \
	"UPDATE audit_event SET seq = -1 WHERE seq = $MID; UPDATE audit_event SET seq = $MID WHERE seq = $((MID + 1)); UPDATE audit_event SET seq = $((MID + 1)) WHERE seq = -1" \
	"at event $MID"
COLS="at, actor, action, object_kind, object_id, object_label, payload, state_digest"
tamper "event: INSERT a forged event at the end (right prev_hash, random hash)" \
	"INSERT INTO audit_event SELECT $((N + 1)), $COLS, hash, randomblob(32) FROM audit_event WHERE seq = $N" \
	"at event $((N + 1))" "altered"
tamper "event: INSERT a forged event at the end (random prev_hash and hash)" \
	"INSERT INTO audit_event SELECT $((N + 1)), $COLS, randomblob(32), randomblob(32) FROM audit_event WHERE seq = $N" \
	"at event $((N + 1))" "does not follow"
tamper "event: INSERT a replay of the last event at the end" \
	"INSERT INTO audit_event SELECT $((N + 1)), $COLS, prev_hash, hash FROM audit_event WHERE seq = $N" "at event $((N + 1))"
tamper "event: INSERT a forged event at seq 0" \
	"INSERT INTO audit_event SELECT 0, $COLS, zeroblob(32), randomblob(32) FROM audit_event WHERE seq = 1" "FAILED"
SHIFT="UPDATE audit_event SET seq = -seq WHERE seq >= $MID; UPDATE audit_event SET seq = 1 - seq WHERE seq < 0"
tamper "event: shift seqs and INSERT a forged event in the middle" \
	"$SHIFT; INSERT INTO audit_event SELECT $MID, $COLS, (SELECT hash FROM audit_event WHERE seq = $((MID - 1))), randomblob(32) FROM audit_event WHERE seq = $((MID + 1))" \
	"at event $MID"
tamper "event: shift seqs and INSERT a copy of an event (its own valid hash) in the middle" \
	"$SHIFT; INSERT INTO audit_event SELECT $MID, $COLS, prev_hash, hash FROM audit_event WHERE seq = $((MID + 1))" \
	"at event $((MID + 1))" "does not follow"
tamper "event: at made a real (a fraction of a second later)" "UPDATE audit_event SET at = at + 0.5 WHERE seq = 3" "event 3"
# An emptied ledger is never rebuilt: only migration 2 records the objects
# of a store from before the ledger, so every object is then unrecorded.
tamper "event: wipe the ledger (DELETE FROM audit_event)" "DELETE FROM audit_event" "FAILED"
tamper "event: change findings, then wipe the ledger" \
	"UPDATE finding SET status = 'false_positive' WHERE product_id = $DEMO; DELETE FROM audit_event" "FAILED"

# -- exception
tamper "exception: UPDATE reason" "UPDATE exception SET reason = 'approved by the board' WHERE id = $E1" \
	"exception $E1" "at event $L_E1"
tamper "exception: UPDATE expires_on (extend)" "UPDATE exception SET expires_on = '2099-12-31' WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE expires_at (extend)" "UPDATE exception SET expires_at = expires_at + 365 * 86400 WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE expires_on and expires_at together" \
	"UPDATE exception SET expires_on = '2099-12-31', expires_at = 4102358400 WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE approver_id (carol -> alice)" "UPDATE exception SET approver_id = $ALICE WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE approver_key_id" "UPDATE exception SET approver_key_id = (SELECT key_id FROM principal_key WHERE id = $KALICE) WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE signature (random bytes)" "UPDATE exception SET signature = randomblob(64) WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE signature (one byte flipped)" \
	"UPDATE exception SET signature = CAST(CASE WHEN substr(signature, 1, 1) = X'00' THEN X'01' ELSE X'00' END || substr(signature, 2) AS BLOB) WHERE id = $E1 AND length(signature) = 64" \
	"exception $E1"
tamper "exception: UPDATE signature to zeros" "UPDATE exception SET signature = zeroblob(64) WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE product_id to NULL (all products)" "UPDATE exception SET product_id = NULL WHERE id = $E1" "exception $E1"
tamper "exception: UPDATE finding_id (waive another finding)" "UPDATE exception SET finding_id = $HIGH WHERE id = $E1" "exception $E1"
tamper "exception: un-revoke" "UPDATE exception SET revoked_by = NULL, revoked_at = NULL, revoke_reason = NULL WHERE id = $E2" \
	"exception $E2" "at event $L_E2"
tamper "exception: approve a pending one behind shipgate's back" \
	"UPDATE exception SET (approver_id, approver_key_id, signature, approved_at) = (SELECT approver_id, approver_key_id, signature, approved_at FROM exception WHERE id = $E1) WHERE id = $E3" \
	"exception $E3" "at event $L_E3"
tamper "exception: DELETE" "DELETE FROM exception WHERE id = $E1" "exception $E1" "missing from the store"
tamper "exception: INSERT a fake approved exception" \
	"INSERT INTO exception SELECT $NEXT_E, scope, $HIGH, (SELECT fingerprint FROM finding WHERE id = $HIGH), tool, rule, component, product_id, reason, expires_on, expires_at, requester_id, requested_at, approver_id, approver_key_id, signature, approved_at, revoked_by, revoked_at, revoke_reason FROM exception WHERE id = $E1" \
	"exception $NEXT_E" "no audit event records it"

# -- principal (users)
tamper "user: UPDATE role (alice developer -> cto)" "UPDATE principal SET role = 'cto' WHERE id = $ALICE" "user $ALICE" "at event $L_ALICE"
tamper "user: UPDATE name" "UPDATE principal SET name = 'mallory' WHERE id = $CAROL" "user $CAROL" "at event $L_CAROL"
tamper "user: UPDATE created_at" "UPDATE principal SET created_at = created_at - 1 WHERE id = $ALICE" "user $ALICE"
tamper "user: DELETE" "DELETE FROM principal WHERE id = $CAROL" "user $CAROL" "missing from the store"
tamper "user: INSERT (a new cto)" "INSERT INTO principal(id, name, role, created_at) VALUES ($NEXT_U, 'mallory', 'cto', $NOW)" \
	"user $NEXT_U" "no audit event records it"

# -- principal_key
tamper "key: UPDATE public_key" "UPDATE principal_key SET public_key = randomblob(32) WHERE id = $KCAROL" "key $KCAROL" "at event $L_KCAROL"
tamper "key: UPDATE principal_id (carol's key given to alice)" "UPDATE principal_key SET principal_id = $ALICE WHERE id = $KCAROL" "key $KCAROL"
tamper "key: UPDATE key_id" "UPDATE principal_key SET key_id = 'feedfacefeedface' WHERE id = $KALICE" "key $KALICE" "at event $L_KALICE"
tamper "key: DELETE" "DELETE FROM principal_key WHERE id = $KCAROL" "key $KCAROL" "missing from the store"
tamper "key: INSERT (a key of one's own for carol)" \
	"INSERT INTO principal_key(id, principal_id, key_id, public_key, created_at) VALUES ($NEXT_K, $CAROL, 'feedfacefeedface', randomblob(32), $NOW)" \
	"key $NEXT_K" "no audit event records it"

# -- finding (the findings of a product)
tamper "finding: UPDATE status to false_positive" "UPDATE finding SET status = 'false_positive' WHERE id = $HIGH" \
	"findings $DEMO" "at event $L_FIND"
tamper "finding: UPDATE status to fixed (all of a product)" "UPDATE finding SET status = 'fixed' WHERE product_id = $OTHER" \
	"findings $OTHER" "at event $L_FIND_OTHER"
tamper "finding: UPDATE severity (high -> low)" "UPDATE finding SET severity = 1 WHERE id = $HIGH" "findings $DEMO"
tamper "finding: UPDATE tool_severity" "UPDATE finding SET tool_severity = 0 WHERE id = $HIGH" "findings $DEMO"
tamper "finding: UPDATE first_seen_at (extends the SLA)" "UPDATE finding SET first_seen_at = $NOW WHERE id = $HIGH" "findings $DEMO"
tamper "finding: UPDATE rule" "UPDATE finding SET rule = 'FF0000' WHERE id = $HIGH" "findings $DEMO"
tamper "finding: UPDATE fingerprint" "UPDATE finding SET fingerprint = randomblob(16) WHERE id = $HIGH" "findings $DEMO"
tamper "finding: UPDATE product_id (moved to another product)" "UPDATE finding SET product_id = $OTHER WHERE id = $HIGH" "findings"
# 'open' NUL 'x' hashes as 'open' (strlen), yet SQL compares the whole
# value: the gate's status = 'open' no longer matches it, the finding stops
# blocking and counting for the SLA. Check constraints are the attacker's to
# turn off.
tamper "finding: UPDATE status to 'open' + NUL (check constraints off): hidden from the gate" \
	"PRAGMA ignore_check_constraints = 1; UPDATE finding SET status = 'open' || char(0) || 'x' WHERE id = $HIGH" "findings $DEMO"
tamper "finding: DELETE" "DELETE FROM finding WHERE id = $HIGH" "findings $DEMO"
tamper "finding: DELETE every finding of a product" "DELETE FROM finding WHERE product_id = $OTHER" "findings $OTHER" "missing from the store"
tamper "finding: INSERT (a copy with a new fingerprint)" \
	"INSERT INTO finding SELECT NULL, product_id, randomblob(16), kind, tool, category, rule, rule_name, tool_severity, severity, status, path, line + 1, message, first_seen_scan, last_seen_scan, last_seen_ingest, first_seen_at, last_seen_at, component FROM finding WHERE id = $HIGH" \
	"findings $DEMO"
tamper "finding: INSERT for a product without findings" \
	"INSERT INTO finding SELECT NULL, 99, fingerprint, kind, tool, category, rule, rule_name, tool_severity, severity, status, path, line, message, first_seen_scan, last_seen_scan, last_seen_ingest, first_seen_at, last_seen_at, component FROM finding WHERE id = $HIGH" \
	"findings 99" "no audit event records it"

# -- finding_event (the finding history of a product)
tamper "history: UPDATE the triage reason" "UPDATE finding_event SET reason = 'the CTO said so' WHERE event = 'triaged'" \
	"history $DEMO" "at event $L_HIST"
tamper "history: DELETE the triage event" "DELETE FROM finding_event WHERE event = 'triaged'" "history $DEMO"
tamper "history: INSERT a fake event" \
	"INSERT INTO finding_event(finding_id, scan_id, at, event, from_status, to_status, reason) VALUES ($HIGH, NULL, $NOW, 'triaged', 'open', 'false_positive', 'fake')" \
	"history $DEMO"

# -- scan and ingest (an ingest and its scans)
tamper "scan: UPDATE commit_sha" "UPDATE scan SET commit_sha = 'c0ffee1' WHERE id = $S1" "ingest $I1" "at event $L_I1"
tamper "scan: UPDATE created_at (a fresh SAST scan)" "UPDATE scan SET created_at = $NOW WHERE id = $S1" "ingest $I1"
tamper "scan: UPDATE kind" "UPDATE scan SET kind = 'dast' WHERE id = $S1" "ingest $I1"
tamper "scan: UPDATE ingest_id (moved to another ingest)" \
	"UPDATE scan SET ingest_id = (SELECT max(id) FROM ingest) WHERE id = $S1" "ingest"
SCANCOLS="product_id, ingest_id, kind, tool, tool_version, category, 'c0ffee1', release_version, environment, artifact_name, artifact_sha256, ingest_options, results_null, result_count, new_count, reopened_count, fixed_count, $NOW"
tamper "scan: INSERT a fake SAST scan (a copy for another commit) into an ingest" \
	"INSERT INTO scan SELECT NULL, $SCANCOLS FROM scan WHERE id = $S1" "ingest $I1"
tamper "scan: INSERT a fake SAST scan with an ingest of its own" \
	"INSERT INTO scan SELECT NULL, product_id, 99, kind, tool, tool_version, category, 'c0ffee1', release_version, environment, artifact_name, artifact_sha256, ingest_options, results_null, result_count, new_count, reopened_count, fixed_count, $NOW FROM scan WHERE id = $S1" \
	"ingest 99" "no audit event records it"
tamper "scan: DELETE" "DELETE FROM scan WHERE id = $S1" "ingest $I1"
tamper "ingest: DELETE the ingest row (its scans stay)" "DELETE FROM ingest WHERE id = $I1" "ingest $I1"
tamper "ingest: DELETE the ingest and its scans" "DELETE FROM scan WHERE ingest_id = $I1; DELETE FROM ingest WHERE id = $I1" \
	"ingest $I1" "missing from the store"
tamper "ingest: INSERT" "INSERT INTO ingest(id, product_id, created_at) VALUES (99, $DEMO, $NOW)" "ingest 99" "no audit event records it"
tamper "ingest: INSERT an ingest with a fake SAST scan" \
	"INSERT INTO ingest(id, product_id, created_at) VALUES (99, $DEMO, $NOW); INSERT INTO scan SELECT NULL, product_id, 99, kind, tool, tool_version, category, 'c0ffee1', release_version, environment, artifact_name, artifact_sha256, ingest_options, results_null, result_count, new_count, reopened_count, fixed_count, $NOW FROM scan WHERE id = $S1" \
	"ingest 99"

# -- release
tamper "release: UPDATE commit_sha" "UPDATE release SET commit_sha = 'c0ffee1' WHERE id = $REL" "release $REL" "at event $L_REL"
tamper "release: UPDATE version" "UPDATE release SET version = '2.0' WHERE id = $REL" "release $REL"
tamper "release: UPDATE build_digest" "UPDATE release SET build_digest = 'sha256:00' WHERE id = $REL" "release $REL"
tamper "release: DELETE" "DELETE FROM release WHERE id = $REL" "release $REL" "missing from the store"
tamper "release: INSERT" \
	"INSERT INTO release(id, product_id, version, commit_sha, build_digest, created_at) VALUES ($NEXT_R, $DEMO, '9.9', 'c0ffee1', NULL, $NOW)" \
	"release $NEXT_R" "no audit event records it"

# -- product
tamper "product: UPDATE name" "UPDATE product SET name = 'renamed' WHERE id = $DEMO" "product $DEMO" "at event $L_DEMO"
tamper "product: UPDATE created_at" "UPDATE product SET created_at = created_at + 1 WHERE id = $OTHER" "product $OTHER" "at event $L_OTHER"
tamper "product: DELETE (the row only)" "DELETE FROM product WHERE id = $OTHER" "product $OTHER" "missing from the store"
tamper "product: INSERT" "INSERT INTO product(id, name, created_at) VALUES (99, 'evil', $NOW)" "product 99" "no audit event records it"

# -- type games: a value of another type with the same look
tamper "type: created_at as text" "UPDATE principal SET created_at = 'x' || created_at WHERE id = $ALICE" "user $ALICE"
tamper "type: created_at as a real" "UPDATE principal SET created_at = created_at + 0.5 WHERE id = $ALICE" "user $ALICE"
tamper "type: a name as a blob of the same bytes" "UPDATE principal SET name = CAST(name AS BLOB) WHERE id = $ALICE" "user $ALICE"

# --- a rollback of the tail: only an anchor tells ---------------------------------------------
# The last events (the triage and the history it changed) are deleted, and
# so is what they did: the store is what the ledger said before them.
restore
TRIAGE=$(seq_of "action='finding.triage'")
sqlite3 "$DB" "DELETE FROM audit_event WHERE seq >= $TRIAGE; UPDATE finding SET status = 'open' WHERE id = $FP; DELETE FROM finding_event WHERE event = 'triaged'"
check "rollback: the tail was the triage and its history ($TRIAGE..$N)" test "$TRIAGE" -eq "$((N - 1))"
sg audit verify
expect_rc 0 "rollback of the tail: a shorter chain, consistent, verifies without an anchor"
sg audit verify --anchor "$H1"
expect_rc 1 "rollback of the tail: verify --anchor (the old head) exits 1"
expect_err "not in the chain" "rollback of the tail: the anchor is not in the chain"

# --- the untouched store after many more operations ----------------------------------------------
restore
sg audit verify
expect_rc 0 "the pristine copy still verifies after the matrix"
expect_out "head $H1" "the pristine copy: the same head"
sg ingest sarif "$FF" --product demo --commit abcdef3
expect_rc 0 "more: a rescan reopens the two fixed"
sg findings triage "$FP" --status open --reason "reachable after all"
expect_rc 0 "more: triage back to open"
sg release create demo 1.1 --commit abcdef3 --build-digest sha256:1111
expect_rc 0 "more: release 1.1"
sg user add dave --role security
expect_rc 0 "more: user add dave"
"$SG_BIN" exception payload "$E3" >e3.payload
expect_eq "$?" 0 "more: exception payload"
"$SG_BIN" key sign --key carol.key e3.payload >e3.sig
expect_eq "$?" 0 "more: key sign (offline)"
check "more: key sign writes a signature" grep -q '^signature: ' e3.sig
sg exception approve "$E3" --as carol --signature e3.sig
expect_rc 0 "more: exception approve --signature (signed offline)"
sg exception request --rule Flawfinder:FF1020 --all-products --reason "every product" --expires "$(in_days 20)" --as alice
expect_rc 0 "more: an exception for all products"
E4=$SG_OUT
sg exception approve "$E4" --as carol --key carol.key
expect_rc 0 "more: approve it"
sg exception list --format json
expect_rc 0 "more: exception list (reads only)"
sg gate --product demo --release 1.0
check "more: gate (reads only) exits 0 or 1" test "$SG_RC" -le 1
sg findings --product demo --status all
expect_rc 0 "more: findings (reads only)"
sed -i 's/^exception_max_days: 90$/exception_max_days: 60/' shipgate.yml
check "more: the policy file was edited" grep -q '^exception_max_days: 60$' shipgate.yml
sg exception revoke "$E4" --as carol --reason "policy tightened"
expect_rc 0 "more: revoke under the edited policy"
sg audit log --format json
expect_eq "$(py 'print(sum(1 for e in d if e["action"] == "policy.change"))')" "2" "more: the edited policy is a second policy.change"
expect_eq "$(py 'print([e["seq"] for e in d] == list(range(1, len(d) + 1)))')" "True" "more: seq still 1..N"
N2=$(py 'print(len(d))')
sg audit verify
expect_rc 0 "verify after many operations exits 0"
expect_out "$N2 events chained" "verify after many operations: every event"
expect_out "3 approval signatures verify" "verify after many operations: three approval signatures"
H2=$(sed -n 's/^head \([0-9a-f]\{64\}\)$/\1/p' <<<"$SG_OUT")
check "the head moved on ($N -> $N2 events)" test -n "$H2" -a "$H2" != "$H1" -a "$N2" -gt "$N"
sg audit verify --anchor "$H1"
expect_rc 0 "verify --anchor (the head from an earlier verify) exits 0"
expect_out "anchor $H1 is in the chain" "verify --anchor an earlier head: in the chain"
sg audit verify --anchor "$H2"
expect_rc 0 "verify --anchor the current head exits 0"

checkpoint
cp "$DB" copy.db
sg --db "sqlite:$TEST_DIR/copy.db" audit verify --anchor "$H1"
expect_rc 0 "a copy of the store (cp) verifies"
expect_out "head $H2" "a copy of the store: the same head"
mkdir -p moved && cp "$DB" moved/elsewhere.db
sg --db "sqlite:$TEST_DIR/moved/elsewhere.db" audit verify
expect_rc 0 "a copy under another name and directory verifies"
# a tampered copy does not change the original
sqlite3 copy.db "UPDATE principal SET role = 'admin' WHERE name = 'dave'"
sg --db "sqlite:$TEST_DIR/copy.db" audit verify
expect_rc 1 "the tampered copy fails"
expect_err "user" "the tampered copy: names the user"
sg audit verify
expect_rc 0 "the original still verifies"

# --- a change is never recorded over tampered state ------------------------------------
# Otherwise the next event would record the tampered rows as their state, and
# verify would pass from then on.
restore
sqlite3 "$DB" "UPDATE finding SET status = 'false_positive' WHERE id = $HIGH"
sg findings triage "$F1" --status false_positive --reason "a routine triage after the tampering"
expect_rc 1 "triage over tampered findings is refused (exit 1)"
expect_err "[audit-broken]" "... with [audit-broken]"
sg ingest sarif "$ROOT/examples/demo-app/scans/flawfinder.sarif" --product demo --commit 0123456789abcdef0123456789abcdef01234567
expect_rc 1 "an ingest over tampered findings is refused (exit 1)"
sg audit verify
expect_rc 1 "... and verify still reports the tampering"
expect_err "findings $DEMO" "... naming the findings of demo"

restore
sqlite3 "$DB" "UPDATE principal SET role = 'cto' WHERE id = $ALICE"
sg user key alice --public carol.key.pub
expect_rc 1 "registering a key over a tampered user table is refused"
expect_err "[audit-broken]" "... with [audit-broken]"

restore
PENDING=$(rows "SELECT id FROM exception WHERE approver_id IS NULL AND revoked_by IS NULL LIMIT 1")
sqlite3 "$DB" "UPDATE exception SET reason = 'edited before approval' WHERE id = $PENDING"
sg exception approve "$PENDING" --as carol --key carol.key
expect_rc 1 "approving an exception edited in the store is refused"
expect_err "[audit-broken]" "... with [audit-broken], not signed over the edit"
expect_eq "$(rows "SELECT approver_id IS NULL FROM exception WHERE id = $PENDING")" "1" "... and it stays unapproved"

# --- events with a negative time are not skipped -----------------------------------------
tamper "event: at made negative" "UPDATE audit_event SET at = -1 WHERE seq = (SELECT max(seq) FROM audit_event)" "FAILED"

# --- verify never upgrades a store --------------------------------------------------------
# A store set back to schema 1 with its ledger dropped would otherwise be
# re-baselined by the verification itself.
restore
sqlite3 "$DB" "DROP TABLE audit_event; PRAGMA user_version = 1"
sg audit verify
check "verify of a store set back to schema 1 fails" test "$SG_RC" -ne 0
expect_err "older than this shipgate" "... saying the store is older, not re-baselining it"
expect_eq "$(sqlite3 "$DB" 'PRAGMA user_version')" "1" "... and leaves the store as it was"
restore
