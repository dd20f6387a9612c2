#!/bin/bash
# bench-resize: `hotcpu resize N` from 1 vCPU and back to 1, with SMM
# (-M q35,smm=on: every batch of adds and every remove through the SMI
# handler) and without (--smm off), in fresh VMs, alternating, median of
# ROUNDS. The SMM / no SMM targets are decided over the rounds, with an
# interval (ratio-interval.awk), since a resize moves by up to 1 s from
# one VM to the next (3.12-4.13 s up with SMM in 8). Counts the SMIs each
# resize took: writes of a command to APM_CNT (port 0xB2, QEMU's trace
# event apm_io_write at addr 0x0), the one event traced, so the trace
# costs nothing measurable. The handler's own write of 0, which clears
# the command with SMI_EN.APMC_EN off and raises no SMI, is not counted.
# Run by bench-hotplug too.
# Usage: bench/hotplug/resize.sh BUILD_DIR [N [ROUNDS]]
set -euo pipefail
# shellcheck source=tests/guest-warnings.sh
. "$(dirname "$0")/../../tests/guest-warnings.sh"
build=${1:-build}
n=${2:-24}
rounds=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
hotcpu=$build/hotcpu
out=$build/bench/hotplug
# Under TCG a VM creates at most maxcpus vCPUs over its life: one resize
# up per VM, as in the issue's numbers (--max-cpus 48).
maxcpus=$((2 * n))
mkdir -p "$out"
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-bench-resize.XXXXXX)
export HOTCPU_RUNTIME_DIR

cleanup() {
	local rc=$?
	"$hotcpu" stop --name bench-resize >/dev/null 2>&1 || true
	if [ "$rc" = 0 ]; then
		rm -rf "$HOTCPU_RUNTIME_DIR"
	else
		echo "bench-resize: failed; VM logs kept in $HOTCPU_RUNTIME_DIR" >&2
	fi
}
trap cleanup EXIT

smis() {
	grep -c '^apm_io_write .*addr=0x0 val=0x0*[1-9a-f]' "$1" 2>/dev/null ||
		true
}

# One resize of the running VM to $1: prints seconds and SMIs; the
# per-CPU output goes to $2.
resize_to() {
	local trace=$HOTCPU_RUNTIME_DIR/apm.log s0 t0 t1

	s0=$(smis "$trace")
	t0=$(date +%s.%N)
	if ! "$hotcpu" resize --name bench-resize "$1" >"$2" 2>&1; then
		echo "bench-resize: resize $1 failed:" >&2
		cat "$2" >&2
		return 1
	fi
	t1=$(date +%s.%N)
	# The last SMI is the last eject's; its trace line is written
	# before hotcpu sees the final _OST.
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
		"$(($(smis "$trace") - s0))"
}

# Round $1 with SMM $2: a fresh VM, up to n, back to 1; one line
# "smm up_s up_smis down_s down_smis" on stdout.
round() {
	local r=$1 smm=$2 up down

	"$hotcpu" run --name bench-resize --cpus 1 --max-cpus "$maxcpus" \
		--smm "$smm" --detach -- -trace apm_io_write \
		-D "$HOTCPU_RUNTIME_DIR/apm.log" >/dev/null
	up=$(resize_to "$n" "$out/resize-$smm-$r-up.txt")
	down=$(resize_to 1 "$out/resize-$smm-$r-down.txt")
	cp "$HOTCPU_RUNTIME_DIR/bench-resize/debugcon.log" \
		"$out/resize-$smm-$r-debugcon.log"
	"$hotcpu" stop --name bench-resize >/dev/null
	# A warning in the guest makes the numbers meaningless.
	if grep -aE "$guest_warnings" \
		"$HOTCPU_RUNTIME_DIR/bench-resize/serial.log" >&2; then
		echo "bench-resize: the guest warned (round $r, SMM $smm)" >&2
		return 1
	fi
	echo "$smm $up $down"
}

median() {
	# One line: mawk, Debian's awk, ends a statement at a newline
	# after "?:"'s colon.
	sort -n | awk '{ v[NR] = $1 } END {
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench-resize: resize $n from 1 and back, SMM on and off, $rounds rounds" >&2
: >"$out/resize.dat"
for r in $(seq "$rounds"); do
	round "$r" on >>"$out/resize.dat"
	round "$r" off >>"$out/resize.dat"
	echo "bench-resize: round $r/$rounds done" >&2
done

col() {
	awk -v m="$1" -v k="$2" '$1 == m { print $k }' "$out/resize.dat" | median
}
all() {
	awk -v m="$1" -v k="$2" '$1 == m { printf "%s%s", s, $k; s = " " }' \
		"$out/resize.dat"
}
{
	qemu=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
	echo "hotcpu resize $n from 1 vCPU and back to 1, QEMU $qemu, -smp 1,maxcpus=$maxcpus,"
	echo "bundled guest; fresh VM per round, SMM on and off alternating; median of $rounds."
	echo "SMIs: commands written to APM_CNT (0xB2) during the resize (trace event apm_io_write)."
	echo
	printf '%-22s %10s %10s %8s %16s\n' "" "SMM (s)" "no SMM (s)" ratio "SMIs with SMM"
	for dir in up:2:3 down:4:5; do
		set -- ${dir//:/ }
		awk -v l="$([ "$1" = up ] && echo "resize $n from 1" || echo "resize 1 from $n")" \
			-v a="$(col on "$2")" -v b="$(col off "$2")" \
			-v s="$(all on "$3")" 'BEGIN {
			printf "%-22s %10.2f %10.2f %7.2fx %16s\n", l, a, b, a / b, s }'
	done
	echo
	# Round by round: SMM's seconds, then no SMM's.
	pairs() {
		paste -d' ' <(awk -v k="$1" '$1 == "on" { print $k }' "$out/resize.dat") \
			<(awk -v k="$1" '$1 == "off" { print $k }' "$out/resize.dat")
	}
	echo "resize up, SMM / no SMM (target <= 1.20x):   $(pairs 2 | awk -v t=1.2 -f "$here/ratio-interval.awk")"
	echo "resize down, SMM / no SMM (target <= 1.20x): $(pairs 4 | awk -v t=1.2 -f "$here/ratio-interval.awk")"
	awk -v u="$(col on 2)" 'BEGIN {
		printf "resize up with SMM: %.2f s (target <= 3.07 s, half of the 6.13 s before batching): %s\n", u, u <= 3.065 ? "met" : "NOT met" }'
	echo "Per round (s, SMIs): SMM up $(all on 2) / $(all on 3); down $(all on 4) / $(all on 5)"
	echo "                     no SMM up $(all off 2) / $(all off 3); down $(all off 4) / $(all off 5)"
} | tee "$out/resize.txt"
