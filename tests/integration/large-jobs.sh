#!/usr/bin/env bash
# The jobs on the 165 MB message (make check-large), on Dovecot and Cyrus:
#  - --largest ranks it first across every folder;
#  - --save writes its exact bytes (the sha256 the manifest holds for what
#    was seeded and verified) with a peak RSS of at most 32 MB, measured
#    by /usr/bin/time -v: memory does not follow the message's size;
#  - a connection cut in the middle of the transfer (the Dovecot instance
#    is stopped, by its process group) gives exit 5 and leaves no file,
#    neither under the final name nor a temporary one.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
CHECK=$top/tests/integration/jobs-check.py
MAX_RSS_KB=32768

tb_init
W=$TB_ROOT/large-jobs
mkdir -p "$W"

imapwb_as_alice() {
	local srv=$1 port_var="${1}_PORT"
	shift
	"$IMAPWB" -p "${!port_var}" --cafile "$TB_CA" -a alice \
		--password-file "$(tb_password_file alice)" "$@" 127.0.0.1
}

expect() { "$TB_PYTHON" "$CHECK" "$TB_CORPUS" "$NAMES" "$@"; }

large_tests() {
	local srv=$1 name=${1,,} folder=$2 names_var="${1}_NAMES" want got
	local uid size sha uv rss
	tb_seed "$srv" --large >/dev/null || exit 99
	NAMES=${!names_var}
	read -r uid size sha uv <<<"$(expect find Archiv/2023/Q4 huge-165mb)"

	want=$(expect top 3)
	got=$(imapwb_as_alice "$srv" --largest 3 --json 2>"$W/err" | expect rows)
	is_some "$got" "$want" "$name: --largest 3 across folders ranks as the manifest"
	like "$got" "^$folder\\|$uid\\|$size\$" "$name: ... the $size-byte message first"

	rm -f "$W/huge.eml"
	/usr/bin/time -v -o "$W/time" "$IMAPWB" -p "$(v="${srv}_PORT"; echo "${!v}")" \
		--cafile "$TB_CA" -a alice --password-file "$(tb_password_file alice)" \
		--save --mailbox "$folder" --uidvalidity "$uv" --uid "$uid" \
		-o "$W/huge.eml" 127.0.0.1 >"$W/out" 2>"$W/err"
	is "$?" 0 "$name: --save of the $size-byte message exits 0"
	is "$(stat -c %s "$W/huge.eml" 2>/dev/null)" "$size" "$name: ... $size bytes written"
	is "$(sha256sum <"$W/huge.eml" | cut -d' ' -f1)" "$sha" "$name: ... the server's exact bytes (sha256)"
	rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$W/time")
	diag "$name: peak RSS of --save: $rss KB"
	[ -n "$rss" ] && [ "$rss" -le $MAX_RSS_KB ]
	ok $? "$name: ... peak RSS $rss KB <= $MAX_RSS_KB KB"
	rm -f "$W/huge.eml"
}

# Stop the Dovecot instance while imapwb is 20 MB into the body.
cut_test() {
	local folder=$1 uid size sha uv pid i tmp rc
	read -r uid size sha uv <<<"$(expect find Archiv/2023/Q4 huge-165mb)"
	mkdir -p "$W/cut"
	imapwb_as_alice DOVECOT --save --mailbox "$folder" --uidvalidity "$uv" \
		--uid "$uid" -o "$W/cut/huge.eml" >"$W/out" 2>"$W/err" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		tmp=$(find "$W/cut" -name '.huge.eml.imapwb-*' -size +20M | head -1)
		[ -n "$tmp" ] && break
		sleep 0.05
	done
	ok "$([ -n "$tmp" ]; echo $?)" "cut: imapwb writes into a temporary file first ($tmp)"
	[ ! -e "$W/cut/huge.eml" ]; ok $? "cut: ... nothing under the final name meanwhile"
	kill -TERM -- "-$DOVECOT_PID" 2>/dev/null
	wait "$pid"
	rc=$?
	is "$rc" 5 "cut: the connection cut during --save: exit 5"
	like "$(cat "$W/err")" 'closed the connection|connection lost' "cut: ... saying so"
	[ ! -e "$W/cut/huge.eml" ]; ok $? "cut: ... no file under the final name"
	is "$(find "$W/cut" -type f | wc -l)" 0 "cut: ... and the temporary file is gone"
}

[ -x /usr/bin/time ] || skip_all "/usr/bin/time is not installed (scripts/deps)"
tb_start_cyrus
large_tests CYRUS INBOX.Archiv.2023.Q4
tb_start_dovecot
large_tests DOVECOT Archiv/2023/Q4
cut_test Archiv/2023/Q4
done_testing
