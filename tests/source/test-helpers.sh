#!/usr/bin/env bash
# The tests' own helpers can fail: a check whose expected value comes from
# a helper must not pass when that helper failed and both sides are "".
#  - is_some fails on an empty want, and passes on equal non-empty values;
#  - tb_uids_where, the "what does the server hold" helper the delete
#    tests compare with "", prints why and fails when imapctl cannot
#    reach the server, instead of printing nothing.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"

# One TAP result line of a check run in a subshell of its own.
result_of() { (TAP_COUNT=0; TAP_FAILED=0; "$@") 2>&1 | grep -E '^(not )?ok'; }

like "$(result_of is_some "" "" d)" '^not ok 1' "is_some: an empty want fails"
like "$(result_of is_some "x" "" d)" '^not ok 1' "is_some: ... whatever got is"
like "$(result_of is_some "a b" "a b" d)" '^ok 1' "is_some: equal values pass"
like "$(result_of is_some "a" "b" d)" '^not ok 1' "is_some: different values fail"

tb_init
# a port nobody listens on: bound and closed again, on loopback only
DEAD_PORT=$("$TB_PYTHON" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TB_PASS[alice]=unused
out=$(tb_uids_where DEAD INBOX UID 1)
rc=$?
isnt_empty=$([ -n "$out" ] && echo yes || echo no)
is "$rc" 1 "tb_uids_where: a server it cannot reach is a failure"
is "$isnt_empty" yes "tb_uids_where: ... that prints why, never \"\""
like "$out" '^imapctl select INBOX failed: ' "tb_uids_where: ... saying what failed"
done_testing
