#!/bin/bash
# bench-hotplug-sweep: vCPU hot-add and hot-remove latency against the
# number of vCPUs already present (1, 8, 16, 32 by default): our firmware
# with SMM and without, SeaBIOS and OVMF (no SMM, with the ACPI table
# upgrade of run.sh), the same QEMU, guest kernel and initrd, one VM per
# point, `hotcpu stress` for the samples (median and p95).
#
# With SMM every add and remove is an SMI that every present vCPU takes:
# the cost grows with the VM, and on a host with fewer cores than vCPUs
# it is the host's scheduling of those vCPUs that it grows with. A second
# table breaks the SMM add down: the phases the handler times itself (the
# debugcon session line: plan, relocation, ejects) and the rest, SMI
# delivery and every vCPU's SMM entry and exit, as the SMM median less the
# no-SMM median and less the handler's phases.
# Usage: bench/hotplug/sweep.sh BUILD_DIR
#   HOTCPU_SWEEP_SIZES  present vCPUs, ascending (default "1 8 16 32")
#   HOTCPU_SWEEP_CYCLES add/remove cycles per point (default 20)
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
hotcpu=$build/hotcpu
out=$build/bench/hotplug-sweep
sizes=${HOTCPU_SWEEP_SIZES:-1 8 16 32}
cycles=${HOTCPU_SWEEP_CYCLES:-20}
largest=${sizes##* }
# TCG: a VM creates at most maxcpus - 1 vCPUs after boot; the largest
# point's present vCPUs and one new vCPU per cycle must fit. The same
# maxcpus everywhere, so every point's MADT is as long.
maxcpus=$((largest + cycles + 4))
# A guest with dozens of vCPUs boots slowly under TCG on a small host.
boot_s=600
cols="hotcpu nosmm seabios ovmf"
kernel=$build/guest/vmlinuz
initrd=$build/guest/initrd.img
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.dat "$out"/*.host
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-sweep.XXXXXX)
export HOTCPU_RUNTIME_DIR

for n in $sizes; do
	case $n in
	'' | *[!0-9]* | 0)
		echo "bench-hotplug-sweep: HOTCPU_SWEEP_SIZES: '$n' is not a vCPU count" >&2
		exit 2 ;;
	esac
done
case $cycles in
'' | *[!0-9]* | 0)
	echo "bench-hotplug-sweep: HOTCPU_SWEEP_CYCLES: '$cycles' is not a count" >&2
	exit 2 ;;
esac

cleanup() {
	local rc=$? n c
	for n in $sizes; do
		for c in $cols; do
			"$hotcpu" stop --name "bench-$c-$n" >/dev/null 2>&1 || true
		done
	done
	if [ "$rc" = 0 ]; then
		rm -rf "$HOTCPU_RUNTIME_DIR"
	else
		echo "bench-hotplug-sweep: failed; VM logs kept in $HOTCPU_RUNTIME_DIR" >&2
	fi
}
trap cleanup EXIT

mhz=$(awk -F: '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
lpj=$(awk -v m="$mhz" 'BEGIN { printf "%d", m * 1e6 / 250 }')
append="console=ttyS0 panic=-1 lpj=$lpj"

# shellcheck source=bench/hotplug/lib.sh
. "$here/lib.sh"

# measure() names its VM bench-KEY; the sweep's keys are COLUMN-N.
echo "bench-hotplug-sweep: $cycles add/remove cycles per point, present vCPUs: $sizes, maxcpus=$maxcpus"
for n in $sizes; do
	echo "bench-hotplug-sweep: $n present: ACPI table upgrade for SeaBIOS and OVMF"
	upgrade_initrd seabios "seabios-$n" "$n"
	upgrade_initrd ovmf "ovmf-$n" "$n"
	echo "bench-hotplug-sweep: $n present: hotcpu with SMM, then without"
	measure "hotcpu-$n" hotcpu --smm on --cpus "$n"
	smm_check "hotcpu-$n" on
	measure "nosmm-$n" hotcpu --smm off --cpus "$n"
	smm_check "nosmm-$n" off
	echo "bench-hotplug-sweep: $n present: SeaBIOS, then OVMF"
	measure "seabios-$n" seabios --cpus "$n" --kernel "$kernel" \
		--initrd "$out/initrd-acpi63-seabios-$n.img"
	measure "ovmf-$n" ovmf --cpus "$n" --kernel "$kernel" \
		--initrd "$out/initrd-acpi63-ovmf-$n.img"
done

# Statistic $3 (p50, p95) of operation $2 (add, remove) at point $1, per
# column, on one line.
stats() {
	local c
	for c in $cols; do
		jq -r ".\"$2-ms\".$3" "$out/$c-$1.json"
	done | paste -sd' '
}

# The medians, in ms, of the SMM phases of point $1's SMM column, from
# its debugcon lines: for the sessions that admitted one CPU and ejected
# none (add) and for those that ejected one and admitted none (remove),
# the wait for the monarch (arrival), its plan, relocation and ejects,
# and how long after the close the last AP left (exit); of the ejects,
# the wait for the CPU and QEMU's eject write. One line:
# add: arrival plan relocation exit; remove: arrival plan take write exit.
phases() {
	awk '
	function med(k,   n, i, j, t, v) {
		n = cnt[k]
		if (!n) return "-"
		for (i = 1; i <= n; i++) v[i] = val[k, i]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return sprintf("%.1f", (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) / 1000)
	}
	function add(k, x) { val[k, ++cnt[k]] = x }
	# Without the timestamp, whose width varies.
	{ sub(/^\[[^]]*\] */, ""); $0 = $0 }
	function field(name,   i) {
		for (i = 1; i < NF; i++) if ($i == name) return $(i + 1) + 0
		return -1
	}
	/smm: session [0-9]+: [0-9]+ admitted, [0-9]+ ejected;/ {
		s = $3; sub(":", "", s)
		k = ($4 == 1 && $6 == 0) ? "add" : ($4 == 0 && $6 == 1) ? "rm" : ""
		if (k == "") next
		kind[s] = k
		add(k "-arrival", field("arrival"))
		add(k "-plan", field("plan"))
		add(k "-relocation", field("relocation"))
	}
	/smm: session [0-9]+: [0-9]+ APs waited in it/ {
		s = $3; sub(":", "", s)
		x = $(NF - 4) + 0
		if (!(s in ex) || x > ex[s]) ex[s] = x
	}
	/smm: hot-remove CPU .* ejected: / {
		add("rm-take", $(NF - 9) + 0)
		add("rm-write", $(NF - 4) + 0)
	}
	END {
		for (s in ex) if (s in kind) add(kind[s] "-exit", ex[s])
		print med("add-arrival"), med("add-plan"), med("add-relocation"), med("add-exit"),
			med("rm-arrival"), med("rm-plan"), med("rm-take"), med("rm-write"), med("rm-exit")
	}' "$out/hotcpu-$1-debugcon.log"
}

# One table per operation: the medians and p95 of each column and the
# SMM / no-SMM ratio of the medians. Data for the plot in sweep-OP.dat.
table() {
	local op=$1 n
	printf '%-8s %17s %17s %17s %17s %9s\n' "" "hotcpu SMM" "hotcpu no SMM" \
		SeaBIOS OVMF "SMM/none"
	printf '%-8s %17s %17s %17s %17s %9s\n' present "p50    p95" "p50    p95" \
		"p50    p95" "p50    p95" "p50"
	for n in $sizes; do
		# shellcheck disable=SC2046
		set -- $(stats "$n" "$op" p50) $(stats "$n" "$op" p95)
		echo "$n $1 $5 $2 $6 $3 $7 $4 $8" >>"$out/sweep-$op.dat"
		awk -v n="$n" -v a="$1" -v b="$2" -v c="$3" -v d="$4" \
			-v A="$5" -v B="$6" -v C="$7" -v D="$8" 'BEGIN {
			printf "%-8s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.2fx\n",
				n, a, A, b, B, c, C, d, D, a / b }'
	done
}

qemu=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
accel=$(jq -r .accel "$out/hotcpu-$largest.json")
host=$(cat "$out"/*.host | sort -n | tail -n1)
{
	echo "vCPU hot-plug latency against present vCPUs, ms: $cycles add/remove cycles per point, one VM each"
	echo "QEMU $qemu, $accel, q35, -smp N,maxcpus=$maxcpus, -cpu qemu64, $(nproc) host CPUs; Linux 6.12 guest (bundled) with lpj=$lpj"
	echo "add = device_add -> guest _OST success and CPU online; remove = device_del -> DEVICE_DELETED;"
	echo "each $pause_ms ms after the last one ended (hotcpu stress --pause; HOTCPU_BENCH_PAUSE_MS)"
	echo "hotcpu SMM: -M q35,smm=on, every add and remove through the SMI handler; the other columns: no SMM."
	echo "SeaBIOS and OVMF: QEMU's ACPI tables upgraded through the kernel's initrd (benchmark-only aid)."
	echo "Most host CPU used outside the measured QEMU during a loop: $host%"
	echo
	echo "hot-add"
	table add
	echo
	echo "hot-remove"
	table remove
	echo
	echo "SMM hot-add and hot-remove, medians in ms: the SMI's phases (debugcon) and the rest"
	printf '%-8s %7s %7s %7s %7s %7s %7s %7s\n' "add at" add "no SMM" arrival plan reloc rest exit
	for n in $sizes; do
		# shellcheck disable=SC2046
		set -- $(jq -r '."add-ms".p50' "$out/hotcpu-$n.json" "$out/nosmm-$n.json") $(phases "$n")
		awk -v n="$n" -v a="$1" -v na="$2" -v ar="$3" -v p="$4" -v l="$5" -v x="$6" 'BEGIN {
			printf "%-8s %7.1f %7.1f %7s %7s %7s %7.1f %7s\n",
				n, a, na, ar, p, l, a - na - ar - p - l, x }'
	done
	printf '%-8s %7s %7s %7s %7s %7s %7s %7s %7s\n' "remove" remove "no SMM" arrival plan take \
		write rest exit
	for n in $sizes; do
		# shellcheck disable=SC2046
		set -- $(jq -r '."remove-ms".p50' "$out/hotcpu-$n.json" "$out/nosmm-$n.json") $(phases "$n")
		awk -v n="$n" -v r="$1" -v nr="$2" -v ar="$7" -v p="$8" -v t="$9" -v w="${10}" \
			-v x="${11}" 'BEGIN {
			printf "%-8s %7.1f %7.1f %7s %7s %7s %7s %7.1f %7s\n",
				n, r, nr, ar, p, t, w, r - nr - ar - p - t - w, x }'
	done
	echo "arrival: from the first CPU waiting in SMM to the monarch's open; plan, reloc: the monarch's"
	echo "work; take: waiting for the CPU to eject; write: QEMU's eject (it joins the vCPU's thread);"
	echo "rest = SMM - no SMM - the phases before it: SMI delivery, SMM entries, the CPU that asked"
	echo "leaving, host scheduling; exit: the last AP out after the close (after the guest saw the work)"
	echo
	# shellcheck disable=SC2046
	set -- $(stats "$largest" add p50)
	awk -v n="$largest" -v a="$1" -v b="$2" 'BEGIN {
		r = a / b
		printf "SMM hot-add median / no-SMM median at %d present: %.2fx (target <= 2.00x): %s\n",
			n, r, r <= 2 ? "met" : "NOT met" }'
} | tee "$out/table.txt"

gnuplot -e "out='$out'; xmax=$largest" "$here/sweep.gp"
echo "bench-hotplug-sweep: plot in $out/sweep.png, table in $out/table.txt"
