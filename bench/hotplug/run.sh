#!/bin/bash
# bench-hotplug: vCPU hot-add and hot-remove latency on our firmware,
# SeaBIOS and OVMF, with the same QEMU, guest kernel and initrd, measured
# by `hotcpu stress` (median, p95 and first of N cycles). Prints a table
# with ratios and writes a PNG of the latency distributions.
#
# A second table, SMM, puts our firmware with SMM (-M q35,smm=on, every
# add and remove through the SMI handler) next to the same image without
# SMM (smm=off) and OVMF's secure-boot build with SMM, and counts per
# hot-add and hot-remove the SMIs (writes to APM_CNT, port 0xB2, from
# outside SMM), the SMM entries and the CPU hotplug register-block
# accesses, from QEMU's interrupt log and trace events in separate VMs:
# the logging slows QEMU, so the latency VMs run without it.
#
# SeaBIOS and OVMF run with QEMU's ACPI tables upgraded through the
# kernel's initrd table upgrade (FADT 6.3, MADT revision 5 with Online
# Capable): a benchmark-only aid, without which Linux 6.12 under TCG
# refuses every hot-added CPU on them. The tables are dumped from the
# guest on each firmware and patched by acpi63.
# Usage: bench/hotplug/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
hotcpu=$build/hotcpu
hmp=$build/bench/hmp
out=$build/bench/hotplug
cycles=${HOTCPU_BENCH_CYCLES:-5}
# Rounds of the four stress columns, alternating, in fresh VMs. A VM's
# hot-add median stays within a few ms from cycle to cycle, but moves by
# up to 20 ms from one boot of the same image to the next (40 VMs each:
# 60-80 ms without SMM, 68-81 ms with it; sd 4-7%), more than the SMM
# targets' margins: so many VMs of few cycles each. Each column's figures are
# over the samples of every round; the SMM table's verdicts come from
# the per-VM medians (smm_vm_ci).
rounds=${HOTCPU_BENCH_ROUNDS:-20}
# Under TCG QEMU aborts once a VM has created more vCPUs than maxcpus:
# the boot CPU plus one per cycle must fit, the same for every column.
maxcpus=$((cycles + 4))
# Hot-adds and hot-removes counted per column of the SMM table.
windows=3
# OVMF's SMM hot-add hangs under TCG: the time one attempt gets.
hang_s=30
# Every VM the run may start (bench-NAME), for the cleanup.
vms="ovmf-smm count-hotcpu count-hotcpu-nosmm count-ovmf-smm"
for r in $(seq "$rounds"); do
	vms="$vms hotcpu-r$r hotcpu-nosmm-r$r seabios-r$r ovmf-r$r"
done
kernel=$build/guest/vmlinuz
initrd=$build/guest/initrd.img
mkdir -p "$out"
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-bench.XXXXXX)
export HOTCPU_RUNTIME_DIR

# Logs of a failed run stay for the post-mortem.
cleanup() {
	local rc=$?
	for vm in $vms; do
		"$hotcpu" stop --name "bench-$vm" >/dev/null 2>&1 || true
	done
	if [ "$rc" = 0 ]; then
		rm -rf "$HOTCPU_RUNTIME_DIR"
	else
		echo "bench-hotplug: failed; VM logs kept in $HOTCPU_RUNTIME_DIR" >&2
	fi
}
trap cleanup EXIT

# Same loops-per-jiffy as hotcpu run (guest HZ=250): a new CPU is not
# calibrated, in every column.
mhz=$(awk -F: '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
lpj=$(awk -v m="$mhz" 'BEGIN { printf "%d", m * 1e6 / 250 }')
append="console=ttyS0 panic=-1 lpj=$lpj"

# shellcheck source=bench/hotplug/lib.sh
. "$here/lib.sh"

# OVMF's secure-boot build with SMM deadlocks on its first CPU hot-add
# under TCG (research notes, Surprise 1), so it gets one bounded hot-add
# first; only where that works (KVM) does the stress loop follow. A
# timeout leaves $out/$1.hang with what hotcpu said.
attempt() {
	local key=$1 fw=$2 name=bench-$1 rc=0
	shift 2
	rm -f "$out/$key.json" "$out/$key.hang"
	boot "$name" "$fw" "$@"
	"$hotcpu" plug --name "$name" --timeout "$hang_s" \
		>"$out/$key-attempt.txt" 2>&1 || rc=$?
	case $rc in
	0)
		"$hotcpu" unplug --name "$name" >/dev/null
		"$hotcpu" stress --name "$name" --cycles "$cycles" --json \
			>"$out/$key.json"
		samples "$key" ;;
	5)
		cp "$out/$key-attempt.txt" "$out/$key.hang" ;;
	*)
		echo "bench-hotplug: hot-add on $fw failed:" >&2
		cat "$out/$key-attempt.txt" >&2
		return 1 ;;
	esac
	"$hotcpu" stop --name "$name" >/dev/null
}

# shellcheck source=bench/hotplug/counts.sh
. "$here/counts.sh"
# shellcheck source=bench/hotplug/smm-table.sh
. "$here/smm-table.sh"

# Column $1 from its rounds ($out/$1-rR.*): the samples of all; the
# percentiles, by nearest rank as hotcpu stress computes them, of every
# VM's operations after its first, which takes 3-5 times as long (the
# guest's and QEMU's first-time work for a new CPU) and would be
# a fifth of the samples at 5 cycles; the median of those firsts; the
# host CPU used outside QEMU, median and most (a loop of 5 cycles is
# short: one spike elsewhere reads as 10%); the debugcon logs one after
# another.
merge_rounds() {
	local key=$1 r rounds_of=""

	for r in $(seq "$rounds"); do
		rounds_of="$rounds_of $out/$key-r$r"
	done
	# shellcheck disable=SC2046,SC2086
	jq -s 'def pct($p): (. | length) as $n
		| ((($p / 100) * $n + 0.999999) | floor) as $k
		| .[(if $k < 1 then 1 elif $k > $n then $n else $k end) - 1];
		def stats($k): [.[] | .[$k].samples[]] as $all
		| ([.[] | .[$k].samples[1:][]] | sort) as $s
		| { n: ($all | length), p50: ($s | pct(50)),
		    p95: ($s | pct(95)), max: $s[-1],
		    first: ([.[] | .[$k].first] | sort | pct(50)),
		    samples: $all };
		.[0] + { "add-ms": stats("add-ms"),
			 "remove-ms": stats("remove-ms"),
			 cycles: (map(.cycles) | add),
			 failures: (map(.failures) | add),
			 rounds: length }' $(printf '%s.json ' $rounds_of) >"$out/$key.json"
	# shellcheck disable=SC2046,SC2086
	sort -n $(printf '%s.host ' $rounds_of) | awk -v med="$out/$key.host" \
		-v max="$out/$key.host-max" '{ v[NR] = $1 }
		END { print v[int((NR + 1) / 2)] >med; print v[NR] >max }'
	# shellcheck disable=SC2046,SC2086
	cat $(printf '%s-debugcon.log ' $rounds_of) >"$out/$key-debugcon.log"
	samples "$key"
}

echo "bench-hotplug: $cycles add/remove cycles per column and round, $rounds rounds, -smp 1,maxcpus=$maxcpus"
echo "bench-hotplug: building the ACPI table upgrade for SeaBIOS and OVMF (benchmark-only aid)"
upgrade_initrd seabios seabios 1
upgrade_initrd ovmf ovmf 1
upgrade_initrd ovmf-smm ovmf-smm 1
# With and without SMM back to back: the closest pair in time.
for r in $(seq "$rounds"); do
	echo "bench-hotplug: round $r/$rounds: hotcpu (SMM), hotcpu without SMM, SeaBIOS and OVMF (+ initrd ACPI upgrade)"
	measure "hotcpu-r$r" hotcpu --smm on
	smm_check "hotcpu-r$r" on
	measure "hotcpu-nosmm-r$r" hotcpu --smm off
	smm_check "hotcpu-nosmm-r$r" off
	measure "seabios-r$r" seabios --kernel "$kernel" --initrd "$out/initrd-acpi63-seabios.img"
	measure "ovmf-r$r" ovmf --kernel "$kernel" --initrd "$out/initrd-acpi63-ovmf.img"
done
for key in hotcpu hotcpu-nosmm seabios ovmf; do
	merge_rounds "$key"
done
echo "bench-hotplug: OVMF secure boot with SMM (+ initrd ACPI upgrade): one hot-add, at most $hang_s s"
attempt ovmf-smm ovmf-smm --kernel "$kernel" --initrd "$out/initrd-acpi63-ovmf-smm.img"
echo "bench-hotplug: counting SMIs, SMM entries and register accesses ($windows adds and removes per column)"
count_run hotcpu hotcpu --smm on
count_run hotcpu-nosmm hotcpu --smm off
count_run ovmf-smm ovmf-smm --kernel "$kernel" --initrd "$out/initrd-acpi63-ovmf-smm.img"

qemu=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
accel=$(jq -r .accel "$out/hotcpu.json")
{
	echo "vCPU hot-plug latency, ms: $cycles add/remove cycles per column in each of $rounds rounds, a fresh VM each"
	echo "QEMU $qemu, $accel, q35, -smp 1,maxcpus=$maxcpus, -cpu qemu64; Linux 6.12 guest (bundled) with lpj=$lpj"
	echo "add = device_add -> guest _OST success and CPU online; remove = device_del -> DEVICE_DELETED;"
	echo "median, p95, max: every VM's operations after its first; first: the VMs' firsts, median;"
	echo "each $pause_ms ms after the last one ended (hotcpu stress --pause; HOTCPU_BENCH_PAUSE_MS)"
	echo "hotcpu: with SMM (-M q35,smm=on, QEMU's default under TCG); SeaBIOS and OVMF: no SMM."
	echo "SeaBIOS and OVMF: QEMU's ACPI tables upgraded through the kernel's initrd"
	echo "(FADT 6.3, MADT rev 5 Online Capable), a benchmark-only aid; hotcpu needs none."
	host() { echo "$(cat "$out/$1.host")% ($(cat "$out/$1.host-max")%)"; }
	echo "Host CPU used outside the measured QEMU during a loop ($(nproc) CPUs), median of the rounds" \
		"(most): hotcpu $(host hotcpu), hotcpu no SMM $(host hotcpu-nosmm)," \
		"SeaBIOS $(host seabios), OVMF $(host ovmf)"
	echo
	metric() { jq -r "$1" "$out/hotcpu.json" "$out/seabios.json" "$out/ovmf.json" | paste -sd' '; }
	printf '%-16s %9s %9s %9s %15s %12s\n' "" hotcpu SeaBIOS OVMF SeaBIOS/hotcpu OVMF/hotcpu
	for row in "add median:.\"add-ms\".p50" "add p95:.\"add-ms\".p95" \
		"add first:.\"add-ms\".first" "add max:.\"add-ms\".max" \
		"remove median:.\"remove-ms\".p50" "remove p95:.\"remove-ms\".p95" \
		"remove max:.\"remove-ms\".max"; do
		# Three numbers, split on purpose.
		# shellcheck disable=SC2046
		set -- $(metric "${row#*:}")
		awk -v m="${row%%:*}" -v h="$1" -v s="$2" -v o="$3" 'BEGIN {
			printf "%-16s %9.1f %9.1f %9.1f %14.2fx %11.2fx\n",
				m, h, s, o, s / h, o / h }'
	done
	# One number a column, split on purpose.
	# shellcheck disable=SC2046,SC2183
	printf '%-16s %9s %9s %9s\n' "failures" \
		$(jq -r .failures "$out/hotcpu.json" "$out/seabios.json" "$out/ovmf.json")
	echo
	smm_table
} | tee "$out/table.txt"

gnuplot -e "out='$out'" "$here/plot.gp"
echo "bench-hotplug: plot in $out/latency.png, table in $out/table.txt"
echo "bench-hotplug: resize 24 from 1 and back, SMM on and off"
bash "$here/resize.sh" "$build"
