#!/usr/bin/env bash
# long-run.sh: the long fuzzing runs of doc/FUZZING.md, one target at a time.
#
#   tests/fuzz/long-run.sh BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]
#
# BUILD_DIR was configured with CC=clang --enable-fuzzing and built. Each
# target (default: every one in BUILD_DIR/fuzz) runs niced until RUNS
# executions (default 10,000,000) or SECONDS (default 3600), whichever
# comes first, with its dictionary, its seeds, and the parser's seeds for
# the decoder targets (whose inputs are capped at 1 KiB), keeping what it
# learns in WORK_DIR/NAME and any crash in WORK_DIR/art-NAME. One line
# per target goes to WORK_DIR/summary: date, target, executions, seconds,
# result.
set -uo pipefail

build=${1:?usage: long-run.sh BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]}
work=${2:?usage: long-run.sh BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]}
runs=${3:-10000000}
secs=${4:-3600}
shift $(( $# < 4 ? $# : 4 ))
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for bin in "$build"/fuzz/fuzz-*; do
		[ -x "$bin" ] && [ -f "$bin" ] && targets+=("${bin##*/fuzz-}")
	done
fi

for name in "${targets[@]}"; do
	# A decoder reads one response: 1 KiB holds any interesting one.
	seeds=("$top/fuzz/corpus/$name")
	max_len=1024
	case $name in
	imap-parser|session|console-input) max_len=4096 ;;
	*) seeds+=("$top/fuzz/corpus/imap-parser") ;;
	esac
	mkdir -p "$work/$name" "$work/art-$name"
	start=$(date +%s)
	started="$work/art-$name/.started"
	touch "$started"
	nice -n 10 "$build/fuzz/fuzz-$name" -runs="$runs" \
		-max_total_time="$secs" -max_len=$max_len -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-dict="$top/fuzz/fuzz-$name.dict" \
		-artifact_prefix="$work/art-$name/" \
		"$work/$name" "${seeds[@]}" >"$work/$name.log" 2>&1
	rc=$?
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$work/$name.log")
	# A finding leaves its input in art-NAME (which may hold an earlier
	# run's, already dealt with); a run stopped with ^C or kill -INT
	# ends with libFuzzer's exit 72 and adds nothing there.
	artifact=$(find "$work/art-$name" -type f ! -name .started \
		-newer "$started" | head -n 1)
	rm -f "$started"
	result=ok
	if [ -n "$artifact" ]; then
		result="finding (exit $rc): ${artifact##*/}"
	elif [ $rc -ne 0 ]; then
		result="stopped (exit $rc), no finding"
	fi
	printf '%s fuzz-%s %s runs %ss %s\n' "$(date -u +%F)" "$name" \
		"${done_runs:-?}" "$(( $(date +%s) - start ))" "$result" |
		tee -a "$work/summary"
done
