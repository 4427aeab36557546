#!/usr/bin/env bash
# The 165 MB message through imapwb's batch mode: FETCH BODY[] streams the
# literal past memory (peak RSS <= 32 MB, measured by /usr/bin/time -v)
# and the transcript shows a one-line summary instead of 165 MB.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
MAX_RSS_KB=32768

tb_init

large_fetch() {
	local srv=$1 name=${1,,} folder=$2 port_var="${1}_PORT" uid out rss size
	tb_seed "$srv" --large >/dev/null
	size=$(tb_manifest '[x["size"] for x in m["accounts"]["alice"]["messages"] if x["key"] == "huge-165mb"][0]')
	out=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice select "$folder" LARGER 150000000)
	uid=${out##*search }
	printf 'EXAMINE %s\nUID FETCH %s BODY.PEEK[]\n' "$folder" "$uid" >"$TB_ROOT/cmds"
	/usr/bin/time -v -o "$TB_ROOT/time" "$IMAPWB" -f "$TB_ROOT/cmds" \
		-p "${!port_var}" --cafile "$TB_CA" -a alice \
		--password-file "$(tb_password_file alice)" 127.0.0.1 >"$TB_ROOT/out" 2>"$TB_ROOT/err"
	is "$?" 0 "$name: FETCH BODY[] of the $size-byte message exits 0"
	rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$TB_ROOT/time")
	diag "$name: peak RSS $rss KB"
	[ -n "$rss" ] && [ "$rss" -le $MAX_RSS_KB ]
	ok $? "$name: peak RSS $rss KB <= $MAX_RSS_KB KB"
	like "$(cat "$TB_ROOT/out")" "^S: \\[literal of $size bytes, streamed, not shown\\]\$" \
		"$name: the transcript shows a one-line summary"
	out=$(stat -c %s "$TB_ROOT/out")
	[ "$out" -lt 100000 ]; ok $? "$name: ... and stays small ($out bytes)"
}

tb_start_dovecot
large_fetch DOVECOT Archiv/2023/Q4
tb_start_cyrus
large_fetch CYRUS INBOX.Archiv.2023.Q4

done_testing
