#!/usr/bin/env bash
# Edge cases found in review: duplicate files among others, failed tools as
# SAST evidence, long tokens, FIFOs under --source-root, read options in the
# duplicate key, repeated members, and untrusted text on the terminal.
. "$(dirname "$0")/lib.sh"

C1=$(commit_of one)
sg init
expect_rc 0 "init"

one_result() { # FILE TOOL RULE PATH SNIPPET
	printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"%s"}},"results":[{"ruleId":"%s","level":"error","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"%s"},"region":{"startLine":1,"snippet":{"text":"%s"}}}}]}]}]}\n' \
		"$2" "$3" "$4" "$5" >"$1"
}

# --- a file ingested before, given again with a new one of the same view ---
one_result x.sarif T R1 a.c x
one_result y.sarif T R2 b.c y
sg ingest sarif x.sarif --product dup --commit "$C1"
expect_rc 0 "[remediate.release] first ingest of x"
sg ingest sarif x.sarif y.sarif --product dup --commit "$C1"
expect_rc 0 "x again with y, same commit"
expect_out "already ingested" "x is recognised as ingested before"
expect_eq "$(rows "SELECT count(*) FROM finding WHERE status='open'")" "2" \
	"[remediate.release] the duplicate's finding stays open: x still reports it"

# --- a tool that failed (results null) is no SAST evidence ---
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":null}]}\n' >null.sarif
sg release create failed 1.0 --commit "$C1"
sg ingest sarif null.sarif --product failed --release 1.0
expect_rc 0 "a run with results null ingests"
sg gate --product failed --release 1.0
expect_rc 1 "[sast] the gate blocks"
expect_out "no SAST scan of commit" "[sast] a failed run does not count as a scan of the commit"

# --- a number token far beyond any real one is refused at once ---
python3 -c "print('{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"T\"}},\"results\":[],\"x\":' + '1'*5000000 + '}]}')" >long.sarif
sg ingest sarif long.sarif --product p
expect_rc 2 "a 5 MB number is refused"
expect_err "[limit-exceeded]" "a 5 MB number: limit-exceeded"

# --- a FIFO under --source-root is skipped, never opened blocking ---
mkdir -p root
mkfifo root/f.c
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"f.c"},"region":{"startLine":1}}}]}]}]}\n' >fifo.sarif
SG_OUT=$(timeout 20 "$SG_BIN" ingest sarif fifo.sarif --product fifo --source-root "$TEST_DIR/root" 2>&1)
SG_RC=$?
expect_rc 0 "a result on a FIFO under --source-root ingests without hanging"

# --- the same bytes read with other options are another scan ---
sg ingest sarif x.sarif --product dup --commit "$C1" --category web
expect_rc 0 "x under --category web"
expect_out "scan" "x under another category is not a duplicate"
expect_eq "$(rows "SELECT count(*) FROM scan WHERE category='web'")" "1" "the web view has its scan"

# --- a member given twice is refused, not read two ways ---
printf '{"version":"2.1.0","runs":[],"runs":[]}\n' >runs2.sarif
sg ingest sarif runs2.sarif --product p
expect_rc 2 "runs twice is refused"
expect_err "[sarif-invalid]" "runs twice: sarif-invalid"
printf '{"version":"2.1.0","version":"2.1.0","runs":[]}\n' >version2.sarif
sg ingest sarif version2.sarif --product p
expect_rc 2 "version twice is refused"
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":null,"results":[]}]}\n' >results2.sarif
sg ingest sarif results2.sarif --product p
expect_rc 2 "results twice is refused"

# --- untrusted text never drives the terminal ---
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R\\u001b]0;pwned\\u0007","level":"error","message":{"text":"m\\u001b[2J"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a%%1b%%5b2J.c"},"region":{"startLine":1,"snippet":{"text":"z"}}}}]}]}]}\n' >esc.sarif
sg ingest sarif esc.sarif --product esc --commit "$C1"
expect_rc 0 "a result with escape sequences ingests"
sg findings --product esc
check "findings text output holds no ESC byte" bash -c '! printf "%s" "$1" | grep -q $'"'"'\x1b'"'"'' _ "$SG_OUT"
sg gate --product esc
check "gate text output holds no ESC byte" bash -c '! printf "%s" "$1" | grep -q $'"'"'\x1b'"'"'' _ "$SG_OUT"
sg gate --product esc --format markdown
check "markdown output holds no ESC byte" bash -c '! printf "%s" "$1" | grep -q $'"'"'\x1b'"'"'' _ "$SG_OUT"

# --- a run's artifacts or base uris after its results (members in any order) ---
printf '%s\n' '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]}],"artifacts":[{"location":{"uri":"b.c"}}]}]}' >late-artifacts.sarif
sg ingest sarif late-artifacts.sarif --product late --commit "$C1"
expect_rc 0 "artifacts after the results: ingested (read in two passes)"
expect_eq "$(rows "SELECT path FROM finding f JOIN product p ON p.id=f.product_id WHERE p.name='late'")" "b.c" \
	"the result's path comes from the later artifacts"
printf '%s\n' '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"index":1}}}]}],"artifacts":[{"location":{"uri":"b.c"}}]}]}' >bad-index.sarif
sg ingest sarif bad-index.sarif --product late2 --commit "$C1"
expect_rc 2 "an artifact index past the run's artifacts is still refused"
expect_err "the run has 1 artifacts" "it names the artifacts the run has"
