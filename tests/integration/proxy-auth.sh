#!/usr/bin/env bash
# Proxy authorization that works by default (issue 14): `-a admin -u alice`
# without -m chooses PLAIN, which both servers accept an authzid with, and
# opens alice's INBOX; a refusal says which mechanism carried the authzid
# and what to try. Against Dovecot and Cyrus.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/work
mkdir -p "$W"
tb_start_dovecot
tb_start_cyrus

printf 'From: t@example.org\r\nSubject: alice proxy marker 5150\r\n\r\nhi\r\n' \
	>"$W/marker.eml"
printf '%s\n' 'SELECT INBOX' 'FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])' \
	>"$W/cmds"

# imapwb on server $1 as authname $2 with the password of $3; more options
# follow. Sets OUT, ERR and RC.
run() {
	local srv=$1 user=$2 pw_of=$3 port_var="${1}_PORT"
	shift 3
	OUT=$(timeout 60 "$IMAPWB" -f "$W/cmds" -p "${!port_var}" \
		--cafile "$TB_CA" -a "$user" \
		--password-file "$(tb_password_file "$pw_of")" "$@" 127.0.0.1 \
		2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
}

proxy_tests() {
	local srv=$1 name=${1,,} port_var="${1}_IMAPS_PORT"

	tb_alice "$srv" append INBOX "$W/marker.eml" >/dev/null ||
		tb_die "$name: cannot append the marker"

	run "$srv" admin admin -u alice
	is "$RC" 0 "$name: -a admin -u alice without -m, exit 0"
	like "$OUT" '^C: [a-z]+[0-9]+ AUTHENTICATE PLAIN <redacted>$' \
		"$name: ... PLAIN was chosen"
	like "$OUT" '^S: \* 1 EXISTS' "$name: ... INBOX holds alice's one message"
	like "$OUT" 'Subject: alice proxy marker 5150' "$name: ... her marker"

	# the README's command: implicit TLS
	run "$srv" admin admin -u alice -s -p "${!port_var}"
	is "$RC" 0 "$name: -s -a admin -u alice, exit 0"
	like "$OUT" 'Subject: alice proxy marker 5150' "$name: ... alice's INBOX"

	# bob may not act for alice: the hint, exit 4
	run "$srv" bob bob -u alice
	is "$RC" 4 "$name: -a bob -u alice is refused, exit 4"
	like "$ERR" '\(PLAIN carried the authname bob and the authzid alice: check the password of bob, and that bob may act for other users \(Dovecot: a master user; Cyrus: proxyservers or admins\)\)$' \
		"$name: ... saying which mechanism carried it and what to check"
	unlike "$OUT" 'marker' "$name: ... and nothing of alice's was shown"

	# a wrong password for admin: the same hint names the password
	run "$srv" admin bob -u alice
	is "$RC" 4 "$name: admin with a wrong password, exit 4"
	like "$ERR" 'check the password of admin' "$name: ... the hint names the password"
}

proxy_tests DOVECOT
proxy_tests CYRUS

# Dovecot accepts an authzid only with PLAIN: SCRAM's is refused, and the
# message says so, naming the mechanism and -m PLAIN.
run DOVECOT admin admin -u alice -m SCRAM-SHA-256
is "$RC" 4 "dovecot: -m SCRAM-SHA-256 with an authzid exits 4"
like "$ERR" '^imapwb: authentication failed: \[AUTHORIZATIONFAILED\] .*\(SCRAM-SHA-256 carried the authzid alice and the server refused it: try -m PLAIN' \
	"dovecot: ... naming the mechanism and what to try"

# Without TLS, PLAIN only where the server offers it: Dovecot counts
# loopback as secure, and does.
OUT=$(timeout 60 "$IMAPWB" -f "$W/cmds" -p "$DOVECOT_PORT" --plaintext \
	-a admin --password-file "$(tb_password_file admin)" -u alice \
	127.0.0.1 2>"$W/err")
RC=$?
is "$RC" 0 "dovecot: --plaintext -a admin -u alice, exit 0"
like "$OUT" 'AUTHENTICATE PLAIN <redacted>' "dovecot: ... with PLAIN, which it offers"
like "$OUT" 'Subject: alice proxy marker 5150' "dovecot: ... alice's INBOX"

done_testing
