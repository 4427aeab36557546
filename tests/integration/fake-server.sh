#!/usr/bin/env bash
# imapwb against a scripted fake server (tests/fake/fakeserver.py) that
# says what real servers never do: bytes injected after STARTTLS, PREAUTH
# or ALERT in clear, a literal cut by the end of the connection, hostile
# nesting, sizes and bytes. Each case in tests/data/fake/*.case holds the
# server's script and, on its "@" lines, what imapwb must do:
#
#   @args OPTIONS        imapwb's options (-p PORT and the host are added;
#                        --cafile too, unless --plaintext). {dir} is an
#                        empty folder made for the case, imapwb's working
#                        directory (for -o {dir}/FILE)
#   @command LINE        a line of the batch file (-f); repeatable
#   @stdin LINE          a line piped to the plain console (--plain)
#   @job                 run a job (--save, --largest, --delete in @args):
#                        neither -f nor --plain
#   @exit N              the exit status
#   @stdout-like ERE     (also -unlike, and @stderr-like/-unlike)
#   @verdict ok          the fake server's verdict (the default)
#   @files PATH...       the files imapwb leaves under the test's folder,
#                        relative to {dir} (default: none at all)
#   @max-rss MB          imapwb's peak resident memory (default 48)
#
# Every case is also checked for what no case may do: a raw control
# byte, C1 control or bidi override on stdout or stderr (all server text
# must be escaped), a crash or sanitizer report, a file written anywhere
# in the test's folder but where @files says, and a peak RSS over
# @max-rss. The RSS is measured with GNU time's %M (the peak of imapwb,
# the largest process of those it waits for: `timeout` is smaller);
# scripts/deps installs it. The bound holds for the plain build only: in
# an ASan build (IMAPWB_SAN_CFLAGS names -fsanitize=address) shadow
# memory and the quarantine of freed blocks inflate RSS, so the check is
# skipped there, as it is without /usr/bin/time.
#
# FAKE_CASE=GLOB runs only the cases whose name matches (FAKE_CASE='line-*').
#
# An expectation that imapwb does not meet yet may end in " # TODO why":
# the test is then a TAP TODO, and passes the suite until fixed (and
# fails it, as an unexpected pass, once fixed).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
FAKE=$top/tests/fake/fakeserver.py
CASES=$top/tests/data/fake
TIME=/usr/bin/time
DEFAULT_MAX_RSS=48

tb_init
W=$TB_ROOT/fake
mkdir -p "$W"

# The values of the "@NAME ..." lines of case $2, one a line.
meta() { sed -n "s/^@$1 //p" "$2"; }

# Split an expectation into VALUE and TODO (" # TODO why" at its end).
split_todo() {
	VALUE=${1%% # TODO *}
	TODO=""
	if [ "$VALUE" != "$1" ]; then TODO=" # TODO ${1#* # TODO }"; fi
}

# Run tap assertion "$@" (its description last). A failing TODO test is
# expected: tap-driver reports it as XFAIL, but tap.sh counts it as a
# failure, and done_testing's status would turn it into an ERROR.
check() {
	local failed=$TAP_FAILED
	"$@"
	case ${!#} in
	*" # TODO "*) TAP_FAILED=$failed ;;
	esac
}

# Start the fake server on case $1 in the background; set FAKE_PID and
# PORT once it listens (it writes the port file after bind+listen).
start_fake() {
	local i
	rm -f "$W/port"
	"$TB_PYTHON" "$FAKE" --case "$1" --port-file "$W/port" \
		--cert "$TB_ROOT/certs/server.pem" \
		--key "$TB_ROOT/certs/server.key" --timeout 10 2>"$W/fake.err" &
	FAKE_PID=$!
	tb_register_pid "$FAKE_PID"
	for ((i = 0; i < 200; i++)); do
		[ -s "$W/port" ] && break
		kill -0 "$FAKE_PID" 2>/dev/null || break
		sleep 0.025
	done
	PORT=$(cat "$W/port" 2>/dev/null)
}

# A PID that was waited for may be reused: the EXIT trap must not stop it.
forget_pid() {
	local pid keep=()
	for pid in "${TB_PIDS[@]}"; do
		[ "$pid" = "$1" ] || keep+=("$pid")
	done
	TB_PIDS=("${keep[@]}")
}

# Run imapwb (under GNU time when there is one, writing the peak RSS in
# KB to $W/rss), in the case's folder $DIR.
run_measured() {
	rm -f "$W/rss"
	if [ -x "$TIME" ]; then
		(cd "$DIR" && "$TIME" -q -f %M -o "$W/rss" timeout 15 \
			"$IMAPWB" "$@")
	else
		(cd "$DIR" && timeout 15 "$IMAPWB" "$@")
	fi
}

# Run imapwb as case $1 says, against the fake server; set OUT, ERR, RC.
run_imapwb() {
	local case=$1 opts=() lines=() i
	read -ra opts <<<"$(meta args "$case")"
	for i in "${!opts[@]}"; do
		opts[i]=${opts[i]//\{dir\}/$DIR}
	done
	case " ${opts[*]} " in
	*" --plaintext "*) ;;
	*) opts+=(--cafile "$TB_CA") ;;
	esac
	opts+=(-p "$PORT" 127.0.0.1)
	mapfile -t lines < <(meta stdin "$case")
	if grep -q '^@job$' "$case"; then
		run_measured "${opts[@]}" >"$W/out" 2>"$W/err" </dev/null
		RC=$?
	elif [ "${#lines[@]}" -gt 0 ]; then
		printf '%s\n' "${lines[@]}" |
			run_measured --plain "${opts[@]}" >"$W/out" 2>"$W/err"
		RC=$?
	else
		meta command "$case" >"$W/cmds"
		run_measured -f "$W/cmds" "${opts[@]}" \
			>"$W/out" 2>"$W/err" </dev/null
		RC=$?
	fi
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
}

# Raw terminal hazards in file $1: C0 controls but LF, DEL, and the
# UTF-8 of C1 controls and of the bidi embeddings, overrides and isolates.
count_hazards() {
	local c0 c1
	c0=$(tr -d '\n' <"$1" | LC_ALL=C tr -dc '\000-\037\177' | wc -c)
	c1=$(LC_ALL=C grep -caP \
		'\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1")
	echo $((c0 + c1))
}

# The peak RSS against @max-rss (MB) of case $2 named $1.
check_rss() {
	local name=$1 case=$2 max kb
	max=$(meta max-rss "$case")
	max=${max:-$DEFAULT_MAX_RSS}
	case ${IMAPWB_SAN_CFLAGS:-} in
	*address*)
		ok 0 "$name: peak RSS # SKIP an ASan build (the bound is for the plain build)"
		return ;;
	esac
	if [ ! -x "$TIME" ]; then
		ok 0 "$name: peak RSS # SKIP no $TIME (scripts/deps installs it)"
		return
	fi
	kb=$(tail -n 1 "$W/rss" 2>/dev/null)
	if [[ ! $kb =~ ^[0-9]+$ ]]; then
		ok 1 "$name: peak RSS measured"
		diag "$TIME wrote: $(cat "$W/rss" 2>/dev/null)"
		return
	fi
	ok $((kb > max * 1024)) "$name: peak RSS $((kb / 1024)) MB <= $max MB"
}

# Exactly the files @files names, relative to $DIR, were written in the
# test's folder during the run (imapwb's own output files aside).
check_files() {
	local name=$1 case=$2 want got
	want=$(meta files "$case" | tr ' ' '\n' | sed '/^$/d' | sort)
	got=$(find "$TB_ROOT" -type f -newer "$W/marker" \
		! -path "$W/out" ! -path "$W/err" ! -path "$W/rss" \
		! -path "$W/fake.err" ! -path "$W/cmds" ! -path "$W/port" -printf '%P\n' |
		sed "s|^${DIR#"$TB_ROOT"/}/||" | sort)
	is "$got" "$want" "$name: files written: exactly ${want:-none}"
}

# Check the "@NAME" expectations of case $2 against text $3 with tap
# function $1 (like or unlike).
check_all() {
	local fn=$1 name=$2 case=$3 what=$4 text=$5 line
	while IFS= read -r line; do
		split_todo "$line"
		check "$fn" "$text" "$VALUE" "$name: $what ${fn}s /$VALUE/$TODO"
	done < <(meta "$what-$fn" "$case")
}

run_case() {
	local case=$1 name want_exit want_verdict verdict fake_rc
	name=$(basename "$case" .case)
	DIR=$W/dir/$name
	rm -rf "$W/dir"
	mkdir -p "$DIR"
	touch "$W/marker"
	sleep 0.01 # a file written in the same tick is still newer
	start_fake "$case"
	if [ -z "$PORT" ]; then
		ok 1 "$name: the fake server starts"
		diag "$(cat "$W/fake.err")"
		return
	fi
	run_imapwb "$case"
	wait "$FAKE_PID"
	fake_rc=$?
	forget_pid "$FAKE_PID"
	verdict=$([ "$fake_rc" -eq 0 ] && echo ok || echo failed)

	split_todo "$(meta verdict "$case")"
	want_verdict=${VALUE:-ok}
	check is "$verdict" "$want_verdict" \
		"$name: the client did what the server script expects$TODO"
	[ "$fake_rc" -ne 0 ] && diag "$(cat "$W/fake.err")"
	split_todo "$(meta exit "$case")"
	want_exit=$VALUE
	check is "$RC" "$want_exit" "$name: exit status $want_exit$TODO"
	[ "$RC" != "$want_exit" ] && diag "stderr: $ERR"
	check_all like "$name" "$case" stdout "$OUT"
	check_all unlike "$name" "$case" stdout "$OUT"
	check_all like "$name" "$case" stderr "$ERR"
	check_all unlike "$name" "$case" stderr "$ERR"

	# For every case: nothing raw reaches the terminal, nothing crashed,
	# no file but those expected, memory bounded.
	is "$(count_hazards "$W/out")" 0 "$name: no raw control byte on stdout"
	is "$(count_hazards "$W/err")" 0 "$name: no raw control byte on stderr"
	unlike "$ERR" 'Sanitizer|runtime error|Segmentation|Aborted' \
		"$name: no crash or sanitizer report"
	check_files "$name" "$case"
	check_rss "$name" "$case"
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
for case in "$CASES"/${FAKE_CASE:-*}.case; do
	run_case "$case"
done
done_testing
