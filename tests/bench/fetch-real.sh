#!/usr/bin/env bash
# The whole path against a real server: imapwb's batch mode runs
#   SELECT BenchN
#   FETCH 1:* (UID RFC822.SIZE FLAGS ENVELOPE)
# against a throwaway Dovecot (tests/testbed) holding N generated messages,
# under /usr/bin/time -v, and prints wall time and peak RSS per size. The
# client feeds its model with every response, so this measures parse +
# decode + model (index, RFC 2047, dates) + the transcript.
#
# Usage: tests/bench/fetch-real.sh [N ...]     (default: 10000 50000 100000)
#   IMAPWB=path/to/imapwb (default ./imapwb, as `make bench-real` runs it)
#   BENCH_STDOUT=FILE     where the transcript goes (default /dev/null)
#   BENCH_RUNS=K          measured runs per size; the best is shown (2)
#
# The messages are written straight into the Maildir (gen-maildir.py), and
# each size is fetched once before it is measured, so Dovecot's index and
# cache are warm and the table shows the client, not the server's first
# parse of N files. Not part of `make check`: it takes a few minutes.
set -eu
top=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
OUT=${BENCH_STDOUT:-/dev/null}
RUNS=${BENCH_RUNS:-2}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000 100000)

[ -x "$IMAPWB" ] || { echo "fetch-real: $IMAPWB not found" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "fetch-real: needs /usr/bin/time" >&2; exit 1; }

tb_init
tb_start_dovecot
maildir=$(tb_dovecot_maildir alice)
pwfile=$(tb_password_file alice)

for n in "${sizes[@]}"; do
	tb_as_server_user mkdir -p "$maildir"
	t0=$(date +%s.%N)
	tb_as_server_user "$TB_PYTHON" "$top/tests/bench/gen-maildir.py" \
		--folder "$maildir/.Bench$n" --count "$n" --seed "$n" 2>&1 |
		sed 's/^/# /' >&2
	printf '# generated Bench%s in %.1f s\n' "$n" \
		"$(echo "$(date +%s.%N) - $t0" | bc)" >&2
done

# One run: wall seconds and peak RSS (KiB) into $wall and $rss, and the
# size of the transcript into $bytes.
run() {
	local cmds=$1 out=$2 rc
	"/usr/bin/time" -v -o "$TB_ROOT/time" "$IMAPWB" -f "$cmds" \
		-p "$DOVECOT_PORT" --cafile "$TB_CA" -a alice \
		--password-file "$pwfile" 127.0.0.1 >"$out" 2>"$TB_ROOT/err" &&
		rc=0 || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "fetch-real: imapwb exited $rc:" >&2
		cat "$TB_ROOT/err" >&2
		exit 1
	fi
	wall=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' \
		"$TB_ROOT/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++)
			s = s * 60 + $i; print s }')
	rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' \
		"$TB_ROOT/time")
}

# The baseline: the same session with an empty mailbox.
printf 'SELECT INBOX\nNOOP\n' \
	>"$TB_ROOT/cmds-0"
run "$TB_ROOT/cmds-0" /dev/null
run "$TB_ROOT/cmds-0" /dev/null
base_rss=$rss

printf '%-9s %9s %13s %13s %15s\n' messages seconds peak-RSS-MiB \
	bytes/message transcript-B/msg
printf '%-9s %9.2f %13.1f %13s %15s\n' 0 "$wall" "$(echo "$rss / 1024" | bc -l)" - -
for n in "${sizes[@]}"; do
	printf 'SELECT Bench%s\nFETCH 1:* (UID RFC822.SIZE FLAGS ENVELOPE)\n' \
		"$n" >"$TB_ROOT/cmds-$n"
	run "$TB_ROOT/cmds-$n" /dev/null # warm Dovecot's index and cache
	best_wall='' best_rss=''
	for ((k = 0; k < RUNS; k++)); do
		run "$TB_ROOT/cmds-$n" "$OUT"
		if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then
			best_wall=$wall
		fi
		if [ -z "$best_rss" ] || [ "$rss" -lt "$best_rss" ]; then
			best_rss=$rss
		fi
	done
	# what the transcript shows of the server's bytes, per message
	run "$TB_ROOT/cmds-$n" "$TB_ROOT/transcript"
	wire=$(grep -c '^S: \* [0-9]* FETCH' "$TB_ROOT/transcript" || true)
	[ "$wire" -eq "$n" ] || {
		echo "fetch-real: $wire FETCH responses, want $n" >&2
		exit 1
	}
	wire=$(grep '^S: ' "$TB_ROOT/transcript" | wc -c)
	printf '%-9s %9.2f %13.1f %13d %15d\n' "$n" "$best_wall" \
		"$(echo "$best_rss / 1024" | bc -l)" \
		"$(((best_rss - base_rss) * 1024 / n))" "$((wire / n))"
done
echo "(bytes/message: peak RSS above the empty-mailbox run, divided by N;"
echo " transcript to $OUT; best of $RUNS runs after a warm-up)"
