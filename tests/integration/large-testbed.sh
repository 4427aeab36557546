#!/usr/bin/env bash
# The large group's test bed: the >= 150 MB message ("the one mail that
# broke a migration") is generated and seeded into both servers, and each
# holds it byte-exact in Archiv/2023/Q4. Run with `make check-large`.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"

tb_init

large_checks() {
	local srv=$1 name=${1,,} folder=$2 port_var="${1}_PORT" out want uid
	tb_seed "$srv" --large >/dev/null
	want=$(tb_manifest '[x["size"] for x in m["accounts"]["alice"]["messages"] if x["key"] == "huge-165mb"][0]')
	[ "$want" -ge 150000000 ]; ok $? "$name: the corpus has a message of $want bytes (>= 150 MB)"
	out=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice select "$folder" LARGER 150000000)
	like "$out" '^search [0-9]+$' "$name: exactly one message over 150 MB in $folder"
	uid=${out##*search }
	out=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice fetch "$folder" "$uid" RFC822.SIZE)
	like "$out" "RFC822.SIZE $want\\)" "$name: it is exactly $want bytes on the server"
}

tb_start_dovecot
large_checks DOVECOT Archiv/2023/Q4
tb_start_cyrus
large_checks CYRUS INBOX.Archiv.2023.Q4

done_testing
