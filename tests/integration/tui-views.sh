#!/usr/bin/env bash
# The ACL, Quota, Capabilities and Connection views of the TUI on a real
# terminal (tmux), against Dovecot and Cyrus: what the seed put on the
# server shows, a SETACL made in the ACL view reaches the server (checked
# with the independent client), and nothing breaks at 40x12.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
PWFILE=$(tb_password_file alice)
SOCK="imapwb-views-$$"

# Alt+digit for view $1 (the tab bar may be cut off at the right, so the
# views after ACL are counted from it: Quota, Capabilities, Connection).
view_key() {
	local acl
	acl=$(screen | grep -Eo '[0-9] ACL( |$)' | head -n 1)
	acl=${acl%% *}
	case $1 in
	ACL) printf '%s' "$acl" ;;
	Quota) printf '%s' $((acl + 1)) ;;
	Capabilities) printf '%s' $((acl + 2)) ;;
	Connection) printf '%s' $((acl + 3)) ;;
	esac
}

show() {
	tmx send-keys -t t "M-$(view_key "$1")"
}

views_test() {
	local srv=$1 name=${1,,} projekte=$2 port_var="${1}_PORT" key acl i
	tb_seed "$srv" >/dev/null
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
		"LANG=C.UTF-8 $IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1 2>$TB_ROOT/stderr-$name; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen ' 1 Mailboxes ' ; ok $? "$name: the TUI starts"
	wait_screen '[0-9] ACL ' ; ok $? "$name: the tab bar has ACL"
	wait_screen 'Projekte' ; ok $? "$name: the mailboxes are listed"

	# ACL
	show ACL
	wait_screen '^.*ACL of ' ; ok $? "$name: Alt-$(view_key ACL) shows the ACL view"
	tmx send-keys -t t M-m
	wait_screen 'Mailbox:'
	answer "$projekte"
	wait_screen "ACL of $projekte" ; ok $? "$name: Alt-m picks $projekte"
	wait_screen 'C: [a-z]{3}[0-9]+ \[acl\] GETACL ' ; ok $? "$name: ... and sends GETACL"
	wait_screen 'My rights: [a-z]+' ; ok $? "$name: MYRIGHTS answered"
	tmx send-keys -t t /
	wait_screen 'Search for:'
	answer bob
	wait_screen ' bob +lr *$|bob +lr ' ; ok $? "$name: bob has lr"
	wait_screen 'bob: lr' ; ok $? "$name: the cursor is on bob"
	wait_screen ' l  lookup: ' ; ok $? "$name: l is explained as lookup"
	wait_screen ' r  read: ' ; ok $? "$name: r is explained as read"
	if [ "$name" = cyrus ]; then
		# Cyrus gives the owner n, which RFC 5257 (ANNOTATE) defines
		tmx send-keys -t t /
		wait_screen 'Search for:'
		answer alice
		wait_screen 'alice: [a-z]*n' ; ok $? "$name: the cursor is on alice, who has n"
		wait_screen ' n  annotate \(RFC 5257 §3\.4\): write shared annotations'
		ok $? "$name: n is explained, naming RFC 5257"
		tmx send-keys -t t /
		wait_screen 'Search for:'
		answer bob
		wait_screen 'bob: lr'
	fi

	tmx send-keys -t t M-l
	wait_screen 'always: ' ; ok $? "$name: Alt-l shows LISTRIGHTS"

	tmx send-keys -t t M-a
	wait_screen 'Identifier and rights'
	answer 'bob lrQ'
	wait_screen "'Q' is not a right" ; ok $? "$name: an unknown right letter is refused"
	tmx send-keys -t t M-a
	wait_screen 'Identifier and rights'
	answer 'bob lrs'
	wait_screen "This sends: SETACL $projekte bob lrs" ; ok $? "$name: the confirmation shows the exact command"
	tmx send-keys -t t y
	wait_screen 'C: [a-z]{3}[0-9]+ \[acl\] SETACL ' ; ok $? "$name: y sends SETACL (in the console)"
	wait_screen 'bob: lrs' ; ok $? "$name: GETACL again shows lrs"
	acl=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice raw GETACL "$projekte" 2>&1)
	like "$acl" ' bob lrs( |$)' "$name: the server holds bob lrs (imapctl)"
	tmx send-keys -t t DC
	wait_screen "This sends: DELETEACL $projekte bob" ; ok $? "$name: Del asks, showing DELETEACL"
	tmx send-keys -t t y
	wait_screen 'C: [a-z]{3}[0-9]+ \[acl\] DELETEACL ' ; ok $? "$name: y sends DELETEACL"
	tmx send-keys -t t /
	wait_screen 'Search for:'
	answer alice
	wait_screen '^.*│alice: ' ; ok $? "$name: GETACL again"
	acl=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice raw GETACL "$projekte" 2>&1)
	unlike "$acl" ' bob ' "$name: bob has no entry on the server any more (imapctl)"

	# Quota (of INBOX: nothing is selected, the Mailboxes cursor is on it)
	show Quota
	wait_screen 'Quota of ' ; ok $? "$name: the Quota view"
	wait_screen 'C: [a-z]{3}[0-9]+ \[quota\] GETQUOTAROOT ' ; ok $? "$name: ... sends GETQUOTAROOT"
	wait_screen 'STORAGE +[0-9.]+[KMG]? of 1\.0G \([0-9]+%\)' ; ok $? "$name: STORAGE limit 1048576 KiB shows as 1.0G"
	wait_screen 'MESSAGE +[0-9]+ of 50000 ' ; ok $? "$name: MESSAGE limit 50000"

	# Capabilities
	show Capabilities
	wait_screen 'Capabilities \([0-9]+\)' ; ok $? "$name: the Capabilities view"
	wait_screen 'IMAP4(rev|REV)[12] +the base protocol' ; ok $? "$name: IMAP4rev1 with its meaning"
	tmx send-keys -t t /
	wait_screen 'Search for:'
	answer ACL
	wait_screen '│ACL: access' ; ok $? "$name: / finds ACL and explains it"

	# Connection
	show Connection
	wait_screen 'Connection to 127\.0\.0\.1' ; ok $? "$name: the Connection view"
	wait_screen 'Protocol +TLSv1\.3' ; ok $? "$name: TLSv1.3"
	wait_screen 'Subject +CN=localhost' ; ok $? "$name: the certificate's subject"
	tmx send-keys -t t Home
	wait_screen '│ -> authenticated: ' ; ok $? "$name: the protocol's states, the current one marked"
	wait_screen 'Protocol state \(RFC 9051 §3\)' ; ok $? "$name: ... under their heading"
	for ((i = 0; i < 60; i++)); do
		screen | grep -Eq 'Mechanism +[A-Z]' && break
		tmx send-keys -t t j
	done
	wait_screen 'Mechanism +(SCRAM-SHA-256|PLAIN|[A-Z0-9-]+)' ; ok $? "$name: the SASL mechanism"
	tmx send-keys -t t End
	wait_screen 'after authentication \([0-9]+\)' ; ok $? "$name: the capabilities after authentication"
	wait_screen '\+(ACL|QUOTA|MOVE|NAMESPACE)( |$)' ; ok $? "$name: ... with what it added (+ACL ...)"
	wait_screen 'after TLS \([0-9]+\)' ; ok $? "$name: and after TLS"
	wait_screen ' -STARTTLS( |$)' ; ok $? "$name: ... where STARTTLS went away"
	if [ "$name" = cyrus ]; then
		wait_screen 'Note: after TLS the server offers AUTH=PLAIN'
		ok $? "$name: mechanisms offered only after TLS are pointed out"
	fi

	# The smallest screen, every view.
	tmx resize-window -t t -x 40 -y 12
	for v in ACL Quota Capabilities Connection; do
		show "$v"
		sleep 0.2
		tmx send-keys -t t j j j End
	done
	tmx send-keys -t t Tab
	sleep 0.3
	tmx resize-window -t t -x 120 -y 40
	unlike "$(screen)" 'EXIT=' "$name: every view survives 40x12"
	wait_screen '│ 1 Mai(lboxes)? ' ; ok $? "$name: ... and comes back at 120x40"
	show Quota
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	unlike "$(cat "$TB_ROOT/stderr-$name")" 'Sanitizer|runtime error' \
		"$name: no sanitizer report"
	tmx_stop
}

tb_start_dovecot
views_test DOVECOT Projekte
tb_start_cyrus
views_test CYRUS INBOX.Projekte

done_testing
