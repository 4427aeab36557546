#!/usr/bin/env bash
# imapwb against a scripted fake server (tests/fake/fakeserver.py) that
# says what real servers never do: bytes injected after STARTTLS, PREAUTH
# or ALERT in clear, a literal cut by the end of the connection, hostile
# nesting, sizes and bytes. Each case in tests/data/fake/*.case holds the
# server's script and, on its "@" lines, what imapwb must do:
#
#   @args OPTIONS        imapwb's options (-p PORT and the host are added;
#                        --cafile too, unless --plaintext)
#   @command LINE        a line of the batch file (-f); repeatable
#   @stdin LINE          a line piped to the plain console (--plain)
#   @exit N              the exit status
#   @stdout-like ERE     (also -unlike, and @stderr-like/-unlike)
#   @verdict ok          the fake server's verdict (the default)
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

# Run imapwb as case $1 says, against the fake server; set OUT, ERR, RC.
run_imapwb() {
	local case=$1 opts=() lines=()
	read -ra opts <<<"$(meta args "$case")"
	case " ${opts[*]} " in
	*" --plaintext "*) ;;
	*) opts+=(--cafile "$TB_CA") ;;
	esac
	opts+=(-p "$PORT" 127.0.0.1)
	mapfile -t lines < <(meta stdin "$case")
	if [ "${#lines[@]}" -gt 0 ]; then
		printf '%s\n' "${lines[@]}" |
			timeout 15 "$IMAPWB" --plain "${opts[@]}" \
			>"$W/out" 2>"$W/err"
		RC=$?
	else
		meta command "$case" >"$W/cmds"
		timeout 15 "$IMAPWB" -f "$W/cmds" "${opts[@]}" \
			>"$W/out" 2>"$W/err" </dev/null
		RC=$?
	fi
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
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

	# For every case: nothing raw reaches the terminal, nothing crashed.
	is "$(tr -d '\n' <"$W/out" | LC_ALL=C tr -dc '\000-\037\177' | wc -c)" \
		0 "$name: no raw control byte on stdout"
	unlike "$ERR" 'Sanitizer|runtime error|Segmentation|Aborted' \
		"$name: no crash or sanitizer report"
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
for case in "$CASES"/*.case; do
	run_case "$case"
done
done_testing
