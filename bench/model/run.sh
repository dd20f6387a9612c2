#!/usr/bin/env bash
# bench-model: how fast the platform model checks the firmware, on one
# core: hot-add + hot-remove cycles per second and schedules per second,
# per rule set and bring-up, every fault on, at two VM sizes. A schedule
# is one VM from reset: the firmware's boot, then its cycles.
# Usage: bench/model/run.sh BUILD [SECONDS]
set -u
model=$1/hotcpu-model
secs=${2:-5}
printf '%-8s %-8s %-12s %8s %12s %14s %10s\n' rules bring-up "CPUs" cycles \
	cycles/s schedules/s violations
for size in "2 6 20" "4 16 24"; do
	set -- $size
	for r in kvm tcg; do
		for b in mailbox sipi; do
			# Calibrate: 200 schedules, then as many as fit.
			k=$("$model" --rules $r --bringup $b --cpus $1 --max-cpus $2 \
				--cycles $3 --faults all --schedules 200 --json 2>/dev/null |
				jq -r ".schedules_per_s | floor * $secs")
			out=$("$model" --rules $r --bringup $b --cpus $1 \
				--max-cpus $2 --cycles $3 --faults all \
				--schedules "$k" --json 2>/dev/null || true)
			printf '%-8s %-8s %-12s %8s %12s %14s %10s\n' $r $b \
				"$1 of $2" $3 \
				"$(printf '%s' "$out" | jq -r .cycles_per_s)" \
				"$(printf '%s' "$out" | jq -r .schedules_per_s)" \
				"$(printf '%s' "$out" | jq -r .violations)"
		done
	done
done
