#!/usr/bin/env bash
# OAUTHBEARER and XOAUTH2 with --token-cmd against the test bed's Dovecot,
# whose oauth2 passdb asks a local introspection endpoint
# (tests/testbed/oauth-introspect.py): both mechanisms with and without
# SASL-IR, the automatic choice, a refused token's decoded JSON error,
# a failing or silent token command, the token kept out of every output,
# and the command run anew for each authentication. Dovecot only: the
# oauth2 passdb is Dovecot's.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

GOOD=Tok-alice.8f3Kq_Zr-11
GOOD2=Tok-alice.refreshed-22
BAD=Tok-nobody.expired-33

tb_init
W=$TB_ROOT/work
mkdir -p "$W"
tb_dovecot_oauth_conf "alice=$GOOD" "alice=$GOOD2"
tb_start_dovecot --extra-conf "$TB_OAUTH_CONF"
PORT=$DOVECOT_PORT

# A marker only alice's INBOX holds, to prove whose mailbox opened.
printf 'From: t@example.org\r\nSubject: oauth marker 4711\r\n\r\nhi\r\n' \
	>"$W/marker.eml"
tb_alice DOVECOT append INBOX "$W/marker.eml" >/dev/null ||
	tb_die "cannot append the marker"

printf '%s\n' 'SELECT INBOX' 'FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])' \
	>"$W/cmds"

# imapwb as alice with token command $1; more options follow. Sets OUT,
# ERR, RC; the transcript goes to $W/transcript (fresh each run).
oauth() {
	local cmd=$1
	shift
	rm -f "$W/transcript"
	OUT=$(timeout 60 "$IMAPWB" -f "$W/cmds" -p "$PORT" --cafile "$TB_CA" \
		-a alice --token-cmd "$cmd" --transcript "$W/transcript" \
		"$@" 127.0.0.1 2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
}

# The token, and the base64 of each message that carries it.
token_forms() {
	local t=$1
	printf '%s\n' "$t"
	printf 'n,a=alice,\001host=127.0.0.1\001port=%s\001auth=Bearer %s\001\001' \
		"$PORT" "$t" | base64 -w0; echo
	printf 'user=alice\001auth=Bearer %s\001\001' "$t" | base64 -w0; echo
}

no_token_in() {
	local what=$1 text=$2 t=$3 form leaked=""
	while IFS= read -r form; do
		case $text in *"$form"*) leaked=$form ;; esac
	done < <(token_forms "$t")
	is "$leaked" "" "$what holds no form of the token"
}

no_token_anywhere() {
	local what=$1 t=$2
	no_token_in "$what: stdout" "$OUT" "$t"
	no_token_in "$what: stderr" "$ERR" "$t"
	no_token_in "$what: --transcript" "$(cat "$W/transcript" 2>/dev/null)" "$t"
}

# --- both mechanisms, with and without SASL-IR --------------------------
for mech in OAUTHBEARER XOAUTH2; do
	for ir in "" -i; do
		what="-m $mech${ir:+ $ir}"
		oauth "echo $GOOD" -m "$mech" $ir
		is "$RC" 0 "$what: logs in with the token, exit 0"
		like "$OUT" '^\* authenticated with '"$mech"'$' "$what: ... as $mech"
		like "$OUT" 'Subject: oauth marker 4711' \
			"$what: ... and alice's INBOX answers the command after login"
		if [ -z "$ir" ]; then
			like "$OUT" '^C: [a-z]+[0-9]+ AUTHENTICATE '"$mech"' <redacted>$' \
				"$what: ... the token went as the initial response (SASL-IR)"
		else
			like "$OUT" '^C: [a-z]+[0-9]+ AUTHENTICATE '"$mech"'$' \
				"$what: ... no initial response"
			like "$OUT" '^C: <redacted>$' "$what: ... the token after the +, redacted"
		fi
		no_token_anywhere "$what" "$GOOD"
	done
done

# --- no -m: OAUTHBEARER, which the server offers -------------------------
oauth "echo $GOOD"
is "$RC" 0 "--token-cmd without -m logs in, exit 0"
like "$OUT" '^\* authenticated with OAUTHBEARER$' "... choosing OAUTHBEARER"

# --- --json: the events carry no token either ----------------------------
OUT=$(timeout 60 "$IMAPWB" --json -f "$W/cmds" -p "$PORT" --cafile "$TB_CA" \
	-a alice --token-cmd "echo $GOOD" -m XOAUTH2 -i 127.0.0.1 2>"$W/err")
RC=$?
ERR=$(cat "$W/err")
is "$RC" 0 "--json with XOAUTH2, exit 0"
like "$OUT" '"event":"select","mailbox":"INBOX","readonly":false,"exists":1,' \
	"... the events show alice's INBOX selected"
no_token_in "--json stdout" "$OUT" "$GOOD"
no_token_in "--json stderr" "$ERR" "$GOOD"

# --- a refused token: the decoded JSON error, exit 4 ---------------------
for mech in OAUTHBEARER XOAUTH2; do
	for ir in "" -i; do
		what="-m $mech${ir:+ $ir}"
		oauth "echo $BAD" -m "$mech" $ir
		is "$RC" 4 "$what: a refused token exits 4"
		if [ "$mech" = OAUTHBEARER ]; then
			like "$ERR" 'the server refused the token \(status invalid_token\): \[AUTHENTICATIONFAILED\]' \
				"$what: ... showing the decoded error"
			# RFC 7628 3.2.3: %x01 answers the error challenge.
			like "$OUT" '^S: \+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=$' \
				"$what: ... which came as a base64 challenge"
		else
			like "$ERR" 'the server refused the token \(status 401, schemes bearer, scope mail\): \[AUTHENTICATIONFAILED\]' \
				"$what: ... showing the decoded error"
		fi
		like "$OUT" '^S: [a-z]+[0-9]+ NO \[AUTHENTICATIONFAILED\]' \
			"$what: ... the dummy answer let the server finish with NO"
		no_token_anywhere "$what (refused)" "$BAD"
	done
done

# --- the token command fails or prints nothing: exit 4 -------------------
oauth 'echo oops >&2; exit 3'
is "$RC" 4 "a failing --token-cmd exits 4"
like "$ERR" 'imapwb: --token-cmd: the token command failed \(exit status 3\)' \
	"... saying so"
unlike "$OUT" 'AUTHENTICATE' "... before any AUTHENTICATE"
oauth 'true'
is "$RC" 4 "an empty --token-cmd output exits 4"
like "$ERR" '--token-cmd: the token command gave an empty token' "... saying so"

# --- run anew for each authentication: a refresh script ------------------
# Each run takes the next line of $W/tokens; the endpoint counts lookups.
printf '%s\n' "$GOOD" "$GOOD2" >"$W/tokens"
: >"$W/runs"
refresh="echo run >>'$W/runs'; sed -n \"\$(wc -l <'$W/runs')p\" '$W/tokens'"
: >"$TB_OAUTH_COUNT"
oauth "$refresh"
is "$RC" 0 "a refresh script's first token logs in"
oauth "$refresh"
is "$RC" 0 "... and its second, in the next connection"
is "$(wc -l <"$W/runs")" 2 "... the command ran once per connection"
is "$(cat "$TB_OAUTH_COUNT" | tr '\n' ' ')" "good good " \
	"... and the server checked two tokens"
no_token_anywhere "refreshed" "$GOOD2"

# --- usage errors ---------------------------------------------------------
ERR=$("$IMAPWB" -m XOAUTH2 127.0.0.1 2>&1 >/dev/null)
is "$?" 2 "-m XOAUTH2 without --token-cmd is a usage error (exit 2)"
like "$ERR" 'need --token-cmd CMD' "... saying what is missing"

done_testing
