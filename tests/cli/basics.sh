#!/usr/bin/env bash
# The binary's command line: version, help, and usage errors (exit 2).
set -u
. "${top_srcdir:-.}/tests/lib/tap.sh"
IMAPWB=${IMAPWB:-./imapwb}

out=$("$IMAPWB" --version); rc=$?
is "$rc" 0 "--version exits 0"
like "$out" '^imapwb [0-9]+\.[0-9]+\.[0-9]+$' "--version prints name and version"
is "$("$IMAPWB" -V)" "$out" "-V is --version"

out=$("$IMAPWB" --help); rc=$?
is "$rc" 0 "--help exits 0"
like "$out" '^Usage: imapwb' "--help starts with a usage line"
like "$out" '--version' "--help documents --version"
like "$out" '--verbose' "--help documents --verbose"

err=$("$IMAPWB" --no-such-option 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown long option exits 2"
like "$err" "unknown option --no-such-option" "and names the option"
like "$err" "Try 'imapwb --help'" "and points at --help"

err=$("$IMAPWB" -Z 2>&1 >/dev/null); rc=$?
is "$rc" 2 "an unknown short option exits 2"
like "$err" "unknown option -Z" "and names it"

"$IMAPWB" >/dev/null 2>&1; rc=$?
is "$rc" 2 "no arguments at all is a usage error"

out=$("$IMAPWB" --help 2>&1 >/dev/full); rc=$?
is "$rc" 1 "a write error on stdout is reported, not ignored"

# Every value and every file an option names is checked before connecting:
# port 1 on 127.0.0.1 refuses connections, so a check made only after
# connecting would exit 3 ("connection refused") instead of 2.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
early() {
	local want=$1 desc=$2; shift 2
	err=$("$IMAPWB" -p 1 -a alice "$@" 127.0.0.1 2>&1 </dev/null); rc=$?
	is "$rc" 2 "$desc: exit 2, before connecting"
	like "$err" "$want" "$desc: says what is wrong"
	unlike "$err" "refused|connect" "$desc: no connection was tried"
}
early "-f $tmp/missing: No such file or directory" "-f a missing file" \
	-f "$tmp/missing"
early "--password-file $tmp/missing: No such file" "--password-file a missing file" \
	--password-file "$tmp/missing"
early "--cafile $tmp: a folder" "--cafile a folder" --cafile "$tmp"
early "--capath $tmp/missing: No such" "--capath a missing folder" \
	--capath "$tmp/missing"
early "-t $tmp/missing: No such" "-t a missing certificate" -t "$tmp/missing"
early "option --pin: 'sha256/abc' is not" "--pin sha256/ too short" \
	--pin sha256/abc
early "option --pin: 'md5/abc' is not" "--pin of another hash" --pin md5/abc
printf 'NOOP\n' >"$tmp/cmds"
chmod 000 "$tmp/cmds"
if [ "$(id -u)" -ne 0 ]; then
	early "-f $tmp/cmds: Permission denied" "-f an unreadable file" -f "$tmp/cmds"
else
	# root reads it anyway: a folder instead
	early "-f $tmp: a folder" "-f a folder" -f "$tmp"
fi

# --explain explains the --plain and -f transcripts only
err=$("$IMAPWB" --explain -a alice 127.0.0.1 2>&1 >/dev/null); rc=$?
is "$rc" 2 "--explain without --plain or -f is a usage error"
like "$err" "--explain works with --plain or -f" "... saying with what it works"
like "$("$IMAPWB" --help)" '--explain' "--help documents --explain"

# --tour is the full screen's: not from a pipe, not with another mode
err=$("$IMAPWB" --tour -a alice 127.0.0.1 2>&1 </dev/null >/dev/null); rc=$?
is "$rc" 2 "--tour without a terminal is a usage error"
like "$err" "--tour needs a terminal" "... saying so"
err=$("$IMAPWB" --tour --plain -a alice 127.0.0.1 2>&1 >/dev/null); rc=$?
is "$rc" 2 "--tour --plain is a usage error"
like "$err" "--tour runs in the full screen" "... saying why"
like "$("$IMAPWB" --help)" '--tour' "--help documents --tour"

done_testing
