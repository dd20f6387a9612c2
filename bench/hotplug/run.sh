#!/bin/bash
# bench-hotplug: vCPU hot-add and hot-remove latency on our firmware,
# SeaBIOS and OVMF, with the same QEMU, guest kernel and initrd, measured
# by `hotcpu stress` (median, p95 and first of N cycles). Prints a table
# with ratios and writes a PNG of the latency distributions.
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
out=$build/bench/hotplug
cycles=${HOTCPU_BENCH_CYCLES:-20}
# Under TCG QEMU aborts once a VM has created more vCPUs than maxcpus:
# the boot CPU plus one per cycle must fit, the same for every column.
maxcpus=$((cycles + 4))
kernel=$build/guest/vmlinuz
initrd=$build/guest/initrd.img
mkdir -p "$out"
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-bench.XXXXXX)
export HOTCPU_RUNTIME_DIR

# Logs of a failed run stay for the post-mortem.
cleanup() {
	local rc=$?
	for fw in hotcpu seabios ovmf; do
		"$hotcpu" stop --name "bench-$fw" >/dev/null 2>&1 || true
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

fw_args() {
	case $1 in
	seabios) echo "-bios /usr/share/seabios/bios-256k.bin" ;;
	ovmf)
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/dump-vars.fd"
		echo "-drive if=pflash,format=raw,unit=0,file=/usr/share/OVMF/OVMF_CODE_4M.fd,readonly=on" \
			"-drive if=pflash,format=raw,unit=1,file=$out/dump-vars.fd" ;;
	esac
}

# Boots the guest once on firmware $1 with this run's -smp and prints
# QEMU's FACP and APIC from /sys/firmware/acpi/tables; acpi63 patches
# them and they go, as an uncompressed cpio, in front of the initrd.
upgrade_initrd() {
	local fw=$1 work log
	work=$out/acpi-$fw
	rm -rf "$work" && mkdir -p "$work/root" "$work/upgrade/kernel/firmware/acpi"
	cat >"$work/root/dumptables" <<'SCRIPT'
#!/bin/busybox sh
/bin/busybox mount -t sysfs sysfs /sys
for t in FACP APIC; do
	echo "ACPI-DUMP-BEGIN $t"
	/bin/busybox base64 /sys/firmware/acpi/tables/$t
	echo "ACPI-DUMP-END $t"
done
/bin/busybox poweroff -f
SCRIPT
	chmod 755 "$work/root/dumptables"
	# A second archive after the initrd's: zero padding to 4 bytes
	# first, which the kernel skips between archives.
	cp "$initrd" "$work/dump-initrd.img"
	head -c $(((4 - $(stat -c %s "$initrd") % 4) % 4)) /dev/zero >>"$work/dump-initrd.img"
	(cd "$work/root" && echo dumptables | cpio -o -H newc --quiet) |
		gzip -1 >>"$work/dump-initrd.img"
	log=$work/dump-serial.log
	# shellcheck disable=SC2046
	timeout 120 qemu-system-x86_64 -accel tcg -M q35 -m 512 \
		-smp 1,maxcpus=$maxcpus -cpu qemu64 $(fw_args "$fw") \
		-kernel "$kernel" -initrd "$work/dump-initrd.img" \
		-append "console=ttyS0 quiet panic=-1 rdinit=/dumptables" -display none \
		-vga none -nodefaults -no-reboot -serial "file:$log" \
		>"$work/dump-qemu.log" 2>&1 || true
	for t in FACP APIC; do
		tr -d '\r' <"$log" | sed -n "/ACPI-DUMP-BEGIN $t/,/ACPI-DUMP-END $t/p" |
			sed '1d;$d' | base64 -d >"$work/$t.dat" || {
			echo "bench-hotplug: no $t table in $log" >&2
			return 1
		}
	done
	"$build/bench/acpi63" "$work/FACP.dat" "$work/APIC.dat" \
		"$work/upgrade/kernel/firmware/acpi/FACP.aml" \
		"$work/upgrade/kernel/firmware/acpi/APIC.aml" | sed "s/^/  $fw: /"
	(cd "$work/upgrade" && find kernel | cpio -o -H newc --quiet) >"$work/upgrade.cpio"
	cat "$work/upgrade.cpio" "$initrd" >"$out/initrd-acpi63-$fw.img"
}

# Boots firmware $1 and runs the stress loop; its JSON goes to $out/$1.json.
measure() {
	local fw=$1 name=bench-$1 dir
	shift
	"$hotcpu" run --name "$name" --firmware "$fw" --max-cpus "$maxcpus" \
		--append "$append" --detach "$@" >/dev/null
	dir=$HOTCPU_RUNTIME_DIR/$name
	# A custom initrd: wait for the agent of the bundled guest inside it.
	for _ in $(seq 600); do
		grep -aq GUEST-CPUS-ONLINE "$dir/serial.log" && break
		sleep 0.1
	done
	if ! grep -aq "GUEST-CPUS-POSSIBLE 0-$((maxcpus - 1))" "$dir/serial.log"; then
		echo "bench-hotplug: the guest on $fw does not see $maxcpus possible CPUs:" >&2
		grep -a GUEST-CPUS-POSSIBLE "$dir/serial.log" >&2 || true
		return 1
	fi
	"$hotcpu" stress --name "$name" --cycles "$cycles" --json >"$out/$fw.json"
	"$hotcpu" stop --name "$name" >/dev/null
	for k in add remove; do
		jq -r ".\"$k-ms\".samples[]" "$out/$fw.json" >"$out/$fw-$k.dat"
	done
}

echo "bench-hotplug: $cycles add/remove cycles per firmware, -smp 1,maxcpus=$maxcpus"
echo "bench-hotplug: building the ACPI table upgrade for SeaBIOS and OVMF (benchmark-only aid)"
upgrade_initrd seabios
upgrade_initrd ovmf
echo "bench-hotplug: measuring hotcpu"
measure hotcpu
echo "bench-hotplug: measuring SeaBIOS (+ initrd ACPI upgrade)"
measure seabios --kernel "$kernel" --initrd "$out/initrd-acpi63-seabios.img"
echo "bench-hotplug: measuring OVMF (+ initrd ACPI upgrade)"
measure ovmf --kernel "$kernel" --initrd "$out/initrd-acpi63-ovmf.img"

qemu=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
accel=$(jq -r .accel "$out/hotcpu.json")
{
	echo "vCPU hot-plug latency, ms: $cycles add/remove cycles per column, one VM each"
	echo "QEMU $qemu, $accel, q35, -smp 1,maxcpus=$maxcpus, -cpu qemu64; Linux 6.12 guest (bundled) with lpj=$lpj"
	echo "add = device_add -> guest _OST success and CPU online; remove = device_del -> DEVICE_DELETED"
	echo "SeaBIOS and OVMF: QEMU's ACPI tables upgraded through the kernel's initrd"
	echo "(FADT 6.3, MADT rev 5 Online Capable), a benchmark-only aid; hotcpu needs none."
	echo
	metric() { jq -r "$1" "$out/hotcpu.json" "$out/seabios.json" "$out/ovmf.json" | paste -sd' '; }
	printf '%-16s %9s %9s %9s %15s %12s\n' "" hotcpu SeaBIOS OVMF SeaBIOS/hotcpu OVMF/hotcpu
	for row in "add median:.\"add-ms\".p50" "add p95:.\"add-ms\".p95" \
		"add first:.\"add-ms\".first" "add max:.\"add-ms\".max" \
		"remove median:.\"remove-ms\".p50" "remove p95:.\"remove-ms\".p95" \
		"remove max:.\"remove-ms\".max"; do
		# shellcheck disable=SC2086
		set -- $(metric "${row#*:}")
		awk -v m="${row%%:*}" -v h="$1" -v s="$2" -v o="$3" 'BEGIN {
			printf "%-16s %9.1f %9.1f %9.1f %14.2fx %11.2fx\n",
				m, h, s, o, s / h, o / h }'
	done
	printf '%-16s %9s %9s %9s\n' "failures" \
		$(jq -r .failures "$out/hotcpu.json" "$out/seabios.json" "$out/ovmf.json")
} | tee "$out/table.txt"

gnuplot -e "out='$out'" "$here/plot.gp"
echo "bench-hotplug: plot in $out/latency.png, table in $out/table.txt"
