# tmux.sh: driving the real binary in a real terminal, for the TUI tests.
# Source after tap.sh; set SOCK (a tmux server of the test's own) and, if
# the session is not named "t", S.
#
#   tmx ARGS...        tmux on the test's own server
#   screen             what the pane shows now
#   wait_for CMD ERE   poll until CMD's output matches (at most 30 s, so
#                      sanitizer builds have time; a pass costs only what
#                      it takes); gives up early when the binary has
#                      exited non-zero (EXIT=n on the pane), and shows the
#                      screen as TAP diagnostics when it fails
#   wait_screen ERE    wait_for screen ERE
#   wait_gone ERE      poll until the screen no longer matches
#   tmx_stop           end the test's tmux server and wait until it has
#                      gone: `kill-server` returns before the server has
#                      exited, and a new-session in that gap reaches the
#                      dying server and fails

tmx() { tmux -L "$SOCK" "$@"; }
screen() { tmx capture-pane -p -t "${S:-t}" 2>/dev/null; }

wait_for() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$1" | grep -Eq -- "$2" && return 0
		if screen | grep -Eq '^EXIT=[1-9]'; then
			# the exit may be what was waited for, and may have come
			# just after the look above
			"$1" | grep -Eq -- "$2" && return 0
			break
		fi
		sleep 0.1
	done
	diag "waited in vain for /$2/ in $1; the screen:"
	screen | while IFS= read -r l; do diag "| $l"; done
	return 1
}

wait_screen() { wait_for screen "$1"; }

wait_gone() {
	local i
	for ((i = 0; i < 150; i++)); do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
	done
	diag "still on screen: $1"
	return 1
}

tmx_stop() {
	local pid i state
	pid=$(tmx display-message -p '#{pid}' 2>/dev/null)
	tmx kill-server 2>/dev/null
	[ -n "$pid" ] || return 0
	for ((i = 0; i < 200; i++)); do
		state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 0
		[ -z "$state" ] || [ "$state" = Z ] && return 0
		sleep 0.05
	done
	diag "the tmux server $pid is still there 10 s after kill-server"
}

# End session $1. When it is the server's last, the server exits with it,
# and a new-session right after could reach the dying server ("server
# exited unexpectedly"): then wait for it to be gone (tmx_stop).
tmx_end() {
	if [ "$(tmx list-sessions 2>/dev/null | wc -l)" -le 1 ]; then
		tmx_stop
	else
		tmx kill-session -t "$1"
	fi
}

# Answer the TUI's prompt: rub out what it offers (up to 60 characters),
# type $1 as it is, Enter.
answer() {
	local i k=()
	for ((i = 0; i < 60; i++)); do k+=(BSpace); done
	tmx send-keys -t "${S:-t}" "${k[@]}"
	tmx send-keys -t "${S:-t}" -l -- "$1"
	tmx send-keys -t "${S:-t}" Enter
}
