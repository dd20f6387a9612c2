#!/bin/sh
# Runs the fuzz targets built in FZ (tests/fuzz/build.mk).
#   run.sh FZ SECONDS TARGET...          fuzz each for SECONDS on its corpus
#   run.sh -merge FZ 0 TARGET...         fold FZ/corpus/T into tests/fuzz/corpus/T
#                                        (named seeds are kept as they are)
#   run.sh -replay FZ 0 TARGET...        run every corpus input once
# New inputs go to FZ/corpus/T, never into the source tree; a crash,
# leak, timeout or broken invariant is saved in FZ/crashes/T/ and its
# path printed; the exit status is 1 if any target failed.
set -u
mode=fuzz
case $1 in -merge | -replay) mode=${1#-}; shift ;; esac
fz=$1 secs=$2
shift 2
failed=0

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
cov() { grep -a -o "$1: [0-9]*" "$log" | tail -n 1 | cut -d' ' -f2; }
# Distinct file names in the directories (libFuzzer names inputs by hash).
count() { for d; do ls "$d" 2>/dev/null; done | sort -u | wc -l; }

for t in "$@"; do
	bin=$fz/fuzz-$t seeds=tests/fuzz/corpus/$t new=$fz/corpus/$t
	crashes=$fz/crashes/$t log=$fz/$mode-$t.txt
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	mkdir -p "$new" "$crashes" "$seeds"
	before=$(count "$crashes")
	case $mode in
	fuzz)
		"$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$crashes/" $dict "$new" "$seeds" >"$log" 2>&1
		;;
	replay)
		"$bin" -runs=0 -timeout=10 -artifact_prefix="$crashes/" \
			"$seeds" >"$log" 2>&1
		;;
	merge)
		rm -rf "$fz/merge/$t" && mkdir -p "$fz/merge/$t"
		if "$bin" -merge=1 -timeout=10 -artifact_prefix="$crashes/" \
			"$fz/merge/$t" "$seeds" "$new" >"$log" 2>&1; then
			# Named seeds (QEMU's own files, regressions) stay;
			# the hash-named ones are replaced by the merge.
			find "$seeds" -maxdepth 1 -type f -regextype posix-extended \
				-regex '.*/[0-9a-f]{40}' -delete &&
				cp "$fz/merge/$t"/* "$seeds"/
		fi
		;;
	esac
	rc=$?
	crashed=$(($(count "$crashes") - before))
	[ "$rc" -ne 0 ] && [ "$crashed" -eq 0 ] && crashed=1
	case $mode in
	fuzz)
		echo "fuzz $t: execs=$(stat number_of_executed_units) crashes=$crashed" \
			"corpus=$(count "$new" "$seeds") exec/s=$(stat average_exec_per_sec)" \
			"cov=$(cov cov) ft=$(cov ft)"
		;;
	replay)
		echo "fuzz $t: replayed $(count "$seeds") inputs, crashes=$crashed" \
			"cov=$(cov cov) ft=$(cov ft)"
		;;
	merge)
		echo "fuzz $t: corpus=$(count "$seeds") after merge, crashes=$crashed"
		;;
	esac
	if [ "$crashed" -ne 0 ]; then
		failed=1
		for f in $(ls -t "$crashes" | head -n "$crashed"); do
			echo "fuzz $t: reproducer $crashes/$f (rerun: $bin $crashes/$f)"
		done
		[ "$(ls "$crashes" | wc -l)" -eq "$before" ] &&
			echo "fuzz $t: $bin exited $rc without a reproducer; see $log"
		grep -m 3 -E "ERROR|invariant broken|SUMMARY" "$log" | sed "s/^/fuzz $t:   /"
	fi
done
exit $failed
