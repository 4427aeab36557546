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

done_testing
