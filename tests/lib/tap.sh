# tests/lib/tap.sh: a small TAP producer for shell tests (sourced).
#
#   ok COND_EXIT_STATUS "description"   (use: cmd; ok $? "it worked")
#   is "$got" "$want" "description"
#   is_some "$got" "$want" "description"
#                                        is, but an empty want fails: for
#                                        a want computed by a helper that
#                                        may fail, so "" = "" cannot pass
#   like "$got" "extended regex" "description"
#   unlike "$got" "extended regex" "description"
#   done_testing                         prints the plan and sets the exit
#
# automake's tap-driver.sh reads this; a script that dies before
# done_testing fails through the missing or wrong plan.

TAP_COUNT=0
TAP_FAILED=0

_tap_result() {
	local pass=$1 desc=$2
	TAP_COUNT=$((TAP_COUNT + 1))
	if [ "$pass" -eq 1 ]; then
		printf 'ok %d - %s\n' "$TAP_COUNT" "$desc"
	else
		printf 'not ok %d - %s\n' "$TAP_COUNT" "$desc"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

diag() { printf '# %s\n' "$@" | sed '2,$s/^/# /'; }

ok() {
	if [ "$1" -eq 0 ]; then _tap_result 1 "$2"; else _tap_result 0 "$2"; fi
}

is() {
	if [ "$1" = "$2" ]; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		diag "got:  '$1'" "want: '$2'"
	fi
}

is_some() {
	if [ -z "$2" ]; then
		_tap_result 0 "$3"
		diag "want is empty: the helper that computes it failed"
		return
	fi
	is "$@"
}

like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		diag "got:  '$(printf '%s' "$1" | head -c 2000)'" "want match: /$2/"
	fi
}

unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		_tap_result 0 "$3"
		diag "got:  '$(printf '%s' "$1" | head -c 2000)'" "want no match: /$2/"
	else
		_tap_result 1 "$3"
	fi
}

skip_all() { printf '1..0 # SKIP %s\n' "$1"; exit 0; }

# $1 as an extended regular expression matching exactly that text.
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|/]/\\&/g'; }

done_testing() {
	printf '1..%d\n' "$TAP_COUNT"
	[ "$TAP_FAILED" -eq 0 ]
}
