#!/usr/bin/env bash
# smoke.sh: run every libFuzzer target briefly (scripts/check's fuzz step).
#
#   tests/fuzz/smoke.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR was configured with CC=clang --enable-fuzzing and built. Each
# target in BUILD_DIR/fuzz runs for SECONDS (default 10) from its seed
# corpus and dictionary, one at a time and niced, in a scratch folder so
# the committed corpus is not touched. Prints "PASS: name" or "FAIL: name"
# (with the end of libFuzzer's report) per target; exits 1 if any failed.
set -uo pipefail

build=${1:?usage: smoke.sh BUILD_DIR [SECONDS]}
secs=${2:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/imapwb-fuzz-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0

for bin in "$build"/fuzz/fuzz-*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	name=${bin##*/fuzz-}
	mkdir -p "$work/$name"
	dict=()
	[ -f "$top/fuzz/fuzz-$name.dict" ] && dict=(-dict="$top/fuzz/fuzz-$name.dict")
	# -max_len keeps every run short; the seeds are replayed whole by
	# `make check` anyway.
	if nice -n 10 "$bin" -max_total_time="$secs" -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/$name/crash-" "${dict[@]}" \
		"$work/$name" "$top/fuzz/corpus/$name" \
		>"$work/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$work/$name.log")
		printf 'PASS: fuzz-%s (%s runs in %ss)\n' "$name" "${runs:-?}" "$secs"
	else
		printf 'FAIL: fuzz-%s\n' "$name"
		grep -E 'fuzz check failed|ERROR|SUMMARY' "$work/$name.log" |
			head -n 10
		tail -n 5 "$work/$name.log"
		failed=1
	fi
done
exit $failed
