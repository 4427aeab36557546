#!/usr/bin/env bash
# The source check: no banned unsafe functions in src/ and include/.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
PY=${PYTHON3:-/usr/bin/python3}
check="$top/tests/source/check-banned.py"

# First prove the checker can fail: the fixture has exactly four hits.
out=$("$PY" "$check" "$top/tests/data/banned/sample.c"); rc=$?
is "$rc" 1 "the checker fails on the fixture"
is "$(printf '%s\n' "$out" | cut -d: -f2 | tr '\n' ' ')" "6 7 8 9 " \
	"it flags exactly the four banned calls, not comments or strings"

out=$("$PY" "$check" "$top/src" "$top/include"); rc=$?
is "$rc" 0 "src/ and include/ use no banned function"
[ -n "$out" ] && diag "$out"

done_testing
