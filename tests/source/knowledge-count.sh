#!/usr/bin/env bash
# The README says how many rows the knowledge table has, and how many of
# them are RFCs: the numbers must be the table's (src/teach-knowledge.def,
# one ROW(...) or RFC(...) call a row).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"

def=$top/src/teach-knowledge.def
rows=$(grep -cE '^(ROW|RFC)\(' "$def")
rfcs=$(grep -cE '^RFC\(' "$def")
text=$(tr '\n' ' ' <"$top/README" | tr -s ' ')
said=$(grep -oE 'teach-knowledge\.def\) of [0-9]+ rows: [0-9]+ RFCs' <<<"$text")
[ "$rows" -gt 300 ] ; ok $? "the table has rows ($rows)"
is "$(grep -oE 'of [0-9]+ rows' <<<"$said" | grep -oE '[0-9]+')" "$rows" \
	"the README gives the table's row count"
is "$(grep -oE '[0-9]+ RFCs' <<<"$said" | grep -oE '[0-9]+')" "$rfcs" \
	"the README gives the number of RFCs it cites"

done_testing
