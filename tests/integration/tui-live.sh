#!/usr/bin/env bash
# The TUI stays live on a real terminal (tmux), against Dovecot and Cyrus:
# with INBOX selected (typed SELECT) and the Messages view shown, and the
# TUI left alone, another client's APPEND shows in the Messages view as a
# row with its subject and in the Status view's EXISTS within 2 s of the
# APPEND's return; so do another client's flag change and EXPUNGE. The
# wire (--transcript) has the automatic IDLE and DONE, and a command typed
# while idling goes out after DONE and IDLE's tagged OK, and gets its
# reply; the console pane shows neither IDLE nor DONE, but the news. The
# Mailboxes view shows the manifest's counts (LIST-STATUS), and the
# selected mailbox's follow its changes. A Dovecot offering neither IDLE
# nor LIST-STATUS gets STATUS per mailbox and NOOP polls instead.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-live-$$"
W=$TB_ROOT/tui-live
mkdir -p "$W"

# The live update must come within this long of the other client's
# command returning (imapctl --stamp: before its LOGOUT, by the same
# wall clock the polls read).
LIVE_MS=2000

m() { tb_manifest "$1"; }


now_ms() { date +%s%3N; }
view_pane() { screen | sed -n 's/^[^│]*│//p'; }
console_pane() { screen | sed -n 's/│.*//p'; }
status_bar() { screen | tail -n 1; }
trans_lines() { sed 's/^[^ ]* //' "$TRANS" 2>/dev/null; }

# within MS T0 CMD ERE: poll CMD's output until it matches ERE, at most
# until MS milliseconds after T0 (epoch ms). Sets TOOK to the time it
# took, from T0.
within() {
	local limit=$1 t0=$2 what=$3 re=$4 t
	while :; do
		t=$(now_ms)
		if "$what" | grep -Eq -- "$re"; then
			TOOK=$((t - t0))
			return 0
		fi
		[ $((t - t0)) -gt "$limit" ] && break
		sleep 0.05
	done
	TOOK=$((t - t0))
	diag "not within $limit ms: /$re/ in $what; the screen:"
	screen | while IFS= read -r l; do diag "| $l"; done
	return 1
}

# gone_within MS T0 CMD ERE: the same, until CMD's output no longer
# matches.
gone_within() {
	local limit=$1 t0=$2 what=$3 re=$4 t
	while :; do
		t=$(now_ms)
		if ! "$what" | grep -Eq -- "$re"; then
			TOOK=$((t - t0))
			return 0
		fi
		[ $((t - t0)) -gt "$limit" ] && break
		sleep 0.05
	done
	TOOK=$((t - t0))
	diag "still there after $limit ms: /$re/ in $what"
	return 1
}

# A message with a subject of its own, for APPEND.
new_message() {
	printf 'From: Carol <carol@example.org>\r\nTo: alice@example.org\r\n'
	printf 'Subject: %s\r\nDate: Tue, 5 Dec 2023 10:00:00 +0000\r\n' "$1"
	printf 'Message-ID: <%s@example.org>\r\n\r\nHello.\r\n' "$2"
}

# The transcript's C: lines, and its IDLE and DONE checks.
client_lines() { trans_lines | grep '^C: '; }

start_tui() {
	local srv=$1 port_var="${1}_PORT"
	TRANS=$W/$2.transcript
	rm -f "$TRANS"
	tmx -f /dev/null new-session -d -s t -x 160 -y 45 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE --transcript $TRANS 127.0.0.1; echo EXIT=\$?; sleep 60"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

live_test() {
	local srv=$1 name=${1,,} n unseen pm pu subject uid out t0 before
	local itag ttag line prev
	tb_seed "$srv" >/dev/null
	n=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"]])')
	unseen=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"] and "\\Seen" not in x["flags"]])')
	pm=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["Projekte"]])')
	pu=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["Projekte"] and "\\Seen" not in x["flags"]])')
	subject="Live update $name $$"
	start_tui "$srv" "$name"

	# LIST-STATUS: every folder's counts with the first listing
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	wait_for view_pane "Projekte( .*)? +$pu/$pm *\$" ; ok $? "$name: the Mailboxes view shows Projekte's counts, $pu unseen of $pm (manifest)"
	wait_for view_pane "INBOX( .*)? +$unseen/$n *\$" ; ok $? "$name: ... and INBOX's, $unseen/$n"
	like "$(client_lines)" 'LIST "" "\*" RETURN \(SUBSCRIBED SPECIAL-USE CHILDREN STATUS \(MESSAGES UNSEEN\)\)' \
		"$name: ... from LIST-STATUS"
	unlike "$(client_lines)" ' STATUS [^(]' "$name: ... and no STATUS command"

	tmx send-keys -t t 'SELECT INBOX' Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "$name: SELECT INBOX from the console"
	tmx send-keys -t t Tab F4
	wait_for view_pane "INBOX  $n msgs" ; ok $? "$name: the Messages view shows INBOX"
	wait_for view_pane "^ *$n +$n " ; ok $? "$name: ... all $n rows"

	# left alone: the automatic IDLE starts, out of the console's way
	wait_for client_lines '^C: [a-z]{3}[0-9]+ IDLE$' ; ok $? "$name: IDLE goes out when nothing else is in flight"
	wait_for status_bar '\| 0 in flight \| idle' ; ok $? "$name: the status bar says idle, 0 in flight"
	# (the capability lines name IDLE: look for the command, its "+"
	# and DONE as raw lines)
	! console_pane | grep -Eq '^C: ([a-z]{3}[0-9]+ IDLE *$|DONE)|^S: \+ idling'
	ok $? "$name: the console pane shows no IDLE line in full"
	wait_for console_pane '^C: [a-z]{3}[0-9]+ \[idle\] IDLE'
	ok $? "$name: ... the automatic IDLE is one folded line, marked [idle]"

	# another client's APPEND: a row with its subject, within 2 s
	new_message "$subject" "live-$name-$$" >"$W/new.eml"
	out=$(tb_alice "$srv" --stamp "$W/t0" append INBOX "$W/new.eml")
	t0=$(<"$W/t0")
	uid=$(sed -n 's/.*APPENDUID [0-9]* \([0-9]*\).*/\1/p' <<<"$out")
	[ -n "$uid" ] ; ok $? "$name: another client appends UID '$uid' ($out)"
	within $LIVE_MS "$t0" view_pane "^ *$((n + 1)) +$uid +N +.*$subject"
	ok $? "$name: the new row shows its subject within 2 s (${TOOK} ms)"
	tmx send-keys -t t F3
	within $LIVE_MS "$t0" view_pane '^ EXISTS +'$((n + 1))'$'
	ok $? "$name: the Status view's EXISTS is $((n + 1)) within 2 s (${TOOK} ms)"
	like "$(console_pane)" "\\* idle: news from the server" "$name: the console says the news came during IDLE"
	like "$(console_pane)" "S: \\* $((n + 1)) EXISTS" "$name: ... and shows the EXISTS"
	unlike "$(console_pane)" 'C: DONE|C: [a-z]{3}[0-9]+ IDLE' "$name: ... but not IDLE or DONE"
	tmx send-keys -t t F2
	wait_for view_pane "INBOX( .*)? +$((unseen + 1))/$((n + 1)) *\$" ; ok $? "$name: the Mailboxes view counts INBOX's new message: $((unseen + 1))/$((n + 1))"
	# the Messages view's FETCH for the new row went after DONE
	like "$(client_lines | grep -A1 '^C: DONE$' | grep -v '^C: DONE$')" \
		"FETCH $((n + 1)):$((n + 1)) " "$name: the Messages view's FETCH went out after DONE"
	tmx send-keys -t t F4

	# another client's flag
	wait_for status_bar '\| idle' >/dev/null
	tb_alice "$srv" --stamp "$W/t0" store INBOX "$uid" +FLAGS '(\Flagged)' >/dev/null
	t0=$(<"$W/t0")
	within $LIVE_MS "$t0" view_pane "^ *$((n + 1)) +$uid +NF +.*$subject"
	ok $? "$name: another client's \\Flagged shows within 2 s (${TOOK} ms)"

	# a command typed while idling: after DONE and IDLE's OK, answered
	wait_for status_bar '\| idle' >/dev/null
	itag=$(client_lines | tail -n 1 | sed -n 's/^C: \([a-z]\{3\}[0-9]*\) IDLE$/\1/p')
	[ -n "$itag" ] ; ok $? "$name: IDLE ($itag) is the last command sent"
	tmx send-keys -t t Tab 'UID SEARCH ALL' Enter
	wait_for client_lines 'UID SEARCH ALL$' >/dev/null
	ttag=$(client_lines | sed -n 's/^C: \(a[0-9]\{3\}\) UID SEARCH ALL$/\1/p' | tail -n 1)
	wait_for console_pane "^S: $ttag OK" ; ok $? "$name: a typed UID SEARCH ($ttag) gets its reply"
	like "$(console_pane)" '^S: \* SEARCH ' "$name: ... shown in the console"
	like "$(trans_lines)" "S: \\* SEARCH .*\\b$uid\\b" "$name: ... with the new UID"
	prev=$(trans_lines | grep -B3 "^C: $ttag UID SEARCH ALL\$" | head -n 3 | tr '\n' '|')
	like "$prev" "C: DONE\\|S: $itag OK [^|]*\\|\$" "$name: the transcript has DONE, IDLE's OK, then the typed command"

	# a typed IDLE is the typist's: shown, and it runs until DONE is typed
	wait_for status_bar '\| idle' >/dev/null
	tmx send-keys -t t IDLE Enter
	wait_for console_pane '^S: \+ ' ; ok $? "$name: a typed IDLE and its + show in the console"
	ttag=$(client_lines | tail -n 1 | sed -n 's/^C: \(a[0-9]\{3\}\) IDLE$/\1/p')
	like "$(console_pane)" "^C: $ttag IDLE" "$name: ... the typed IDLE ($ttag) is on screen"
	like "$(status_bar)" '\| 1 in flight' "$name: ... it is in flight, not the automatic one"
	sleep 1
	is "$(client_lines | tail -n 1)" "C: $ttag IDLE" "$name: ... nothing ends it but the typist"
	tmx send-keys -t t DONE Enter
	wait_for console_pane "^S: $ttag OK" ; ok $? "$name: typed DONE ends it"
	tmx send-keys -t t Tab F4

	# another client's EXPUNGE
	wait_for status_bar '\| idle' >/dev/null
	tb_alice "$srv" --stamp "$W/t0" expunge INBOX "$uid" >/dev/null
	t0=$(<"$W/t0")
	gone_within $LIVE_MS "$t0" view_pane "$subject"
	ok $? "$name: another client's EXPUNGE removes the row within 2 s (${TOOK} ms)"
	tmx send-keys -t t F3
	wait_for view_pane '^ EXISTS +'"$n"'$' ; ok $? "$name: EXISTS is $n again"
	tmx send-keys -t t F2
	wait_for view_pane "INBOX( .*)? +$unseen/$n *\$" ; ok $? "$name: ... and the Mailboxes view's INBOX $unseen/$n"

	like "$(trans_lines)" 'S: \+ idling' "$name: the transcript keeps the server's + to IDLE"
	wait_for status_bar '\| idle' >/dev/null
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	before=$(trans_lines | grep -B2 'LOGOUT$' | tr '\n' '|')
	like "$before" 'C: DONE\|S: [a-z]{3}[0-9]+ OK [^|]*\|C: [a-z]{3}[0-9]+ LOGOUT\|' "$name: LOGOUT went out after DONE and IDLE's OK"
	tmx_stop
}

# A Dovecot without IDLE and LIST-STATUS: STATUS per mailbox (never for
# a \Noselect one), then NOOP polls every 30 s.
status_count() { client_lines | grep -c ' STATUS .* (MESSAGES UNSEEN)$'; }

bare_test() {
	local caps n pm pu subject out uid t0 boxes
	caps='IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UNSELECT'
	caps="$caps CHILDREN NAMESPACE SPECIAL-USE LIST-EXTENDED ACL MULTIAPPEND UIDPLUS"
	tb_start_dovecot --name bare --extra-conf "imap_capability = $caps"
	tb_seed BARE >/dev/null || exit 99
	n=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"]])')
	pm=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["Projekte"]])')
	pu=$(m 'len([x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["Projekte"] and "\\Seen" not in x["flags"]])')
	boxes=$(m 'len(m["accounts"]["alice"]["folders"])')
	subject="Polled $$"
	# Dovecot lists Hollow as \Noselect: it gets no STATUS, Inner does
	tb_alice BARE raw CREATE Hollow/Inner >/dev/null
	like "$(tb_alice BARE raw LIST '""' Hollow)" '\\Noselect' "bare: Hollow is \\Noselect"
	boxes=$((boxes + 1))
	start_tui BARE bare

	wait_for view_pane "Projekte( .*)? +$pu/$pm *\$" ; ok $? "bare: without LIST-STATUS the Mailboxes view gets Projekte's counts, $pu/$pm"
	wait_for status_count "^$boxes\$" ; ok $? "bare: one STATUS for each of the $boxes mailboxes"
	sleep 0.5
	is "$(status_count)" "$boxes" "bare: ... and no more"
	like "$(client_lines)" ' STATUS Hollow/Inner \(' "bare: ... Hollow/Inner's"
	unlike "$(client_lines)" ' STATUS Hollow \(' "bare: ... none for the \\Noselect Hollow"
	unlike "$(client_lines)" 'RETURN \(.*STATUS' "bare: no LIST-STATUS asked"

	tmx send-keys -t t 'SELECT INBOX' Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "bare: SELECT INBOX"
	tmx send-keys -t t Tab F4
	wait_for view_pane "^ *$n +$n " ; ok $? "bare: the Messages view lists $n rows"
	new_message "$subject" "bare-$$" >"$W/bare.eml"
	out=$(tb_alice BARE --stamp "$W/t0" append INBOX "$W/bare.eml")
	t0=$(<"$W/t0")
	uid=$(sed -n 's/.*APPENDUID [0-9]* \([0-9]*\).*/\1/p' <<<"$out")
	# the NOOP poll comes 30 s after the last command ended
	within 36000 "$t0" view_pane "^ *$((n + 1)) +$uid +N +.*$subject"
	ok $? "bare: a NOOP poll brings the new row (${TOOK} ms)"
	like "$(client_lines)" 'C: [a-z]{3}[0-9]+ NOOP' "bare: NOOP went out"
	unlike "$(client_lines)" 'IDLE' "bare: IDLE never did"
	unlike "$(console_pane)" 'C: [a-z]{3}[0-9]+ NOOP' "bare: the console does not show the NOOP"
	like "$(console_pane)" '\* poll: news from the server' "bare: ... but its news"
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "bare: q logs out, exit 0"
	tmx_stop
}

tb_start_dovecot
live_test DOVECOT
tb_start_cyrus
live_test CYRUS
bare_test

done_testing
