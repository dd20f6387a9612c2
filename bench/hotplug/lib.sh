# shellcheck shell=bash disable=SC2154
# Sourced by run.sh and sweep.sh: the firmware arguments, the ACPI table
# upgrade for SeaBIOS and OVMF, booting a VM and one stress loop in it.
# Needs: build, hotcpu, out, maxcpus, cycles, kernel, initrd, append;
# boot_s, the seconds a boot may take, is optional.

# Between two operations of a stress loop: back to back, the guest's ACPI
# work for a hot-add took 6 to 29 ms depending on what the last unplug
# left running, with every firmware, and a VM's median moved with it.
pause_ms=${HOTCPU_BENCH_PAUSE_MS:-300}
case $pause_ms in
'' | *[!0-9]*)
	echo "bench-hotplug: HOTCPU_BENCH_PAUSE_MS: '$pause_ms' is not a number of ms" >&2
	exit 2 ;;
esac

fw_args() {
	case $1 in
	seabios) echo "-bios /usr/share/seabios/bios-256k.bin" ;;
	ovmf)
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/dump-vars.fd"
		echo "-drive if=pflash,format=raw,unit=0,file=/usr/share/OVMF/OVMF_CODE_4M.fd,readonly=on" \
			"-drive if=pflash,format=raw,unit=1,file=$out/dump-vars.fd" ;;
	ovmf-smm)
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/dump-vars-smm.fd"
		echo "-M q35,smm=on -global driver=cfi.pflash01,property=secure,value=on" \
			"-drive if=pflash,format=raw,unit=0,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd,readonly=on" \
			"-drive if=pflash,format=raw,unit=1,file=$out/dump-vars-smm.fd" ;;
	esac
}

# Boots the guest once on firmware $1 with -smp $3,maxcpus=$maxcpus and
# dumps QEMU's FACP and APIC from /sys/firmware/acpi/tables; acpi63
# patches them and they go, as an uncompressed cpio, in front of the
# initrd: $out/initrd-acpi63-$2.img. The MADT says which CPUs are
# present, so every -smp needs its own.
upgrade_initrd() {
	local fw=$1 key=$2 cpus=$3 work log
	work=$out/acpi-$key
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
		-smp "$cpus,maxcpus=$maxcpus" -cpu qemu64 $(fw_args "$fw") \
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
	cat "$work/upgrade.cpio" "$initrd" >"$out/initrd-acpi63-$key.img"
}

# Starts VM $1 on firmware $2 (more `hotcpu run` arguments follow) and
# waits for the bundled guest's CPU agent, inside a custom initrd too.
boot() {
	local name=$1 fw=$2 dir
	shift 2
	"$hotcpu" run --name "$name" --firmware "$fw" --max-cpus "$maxcpus" \
		--append "$append" --timeout "${boot_s:-120}" --detach "$@" >/dev/null
	dir=$HOTCPU_RUNTIME_DIR/$name
	for _ in $(seq $((${boot_s:-60} * 10))); do
		grep -aq GUEST-CPUS-ONLINE "$dir/serial.log" && break
		sleep 0.1
	done
	if ! grep -aq "GUEST-CPUS-POSSIBLE 0-$((maxcpus - 1))" "$dir/serial.log"; then
		echo "bench-hotplug: the guest on $fw does not see $maxcpus possible CPUs:" >&2
		grep -a GUEST-CPUS-POSSIBLE "$dir/serial.log" >&2 || true
		return 1
	fi
}

# The stress loop's samples of $1.json, one file per operation.
samples() {
	for k in add remove; do
		jq -r ".\"$k-ms\".samples[]" "$out/$1.json" >"$out/$1-$k.dat"
	done
}

# CPU time used so far, in clock ticks: by the whole host ($1 = host)
# or by process $1.
cpu_ticks() {
	if [ "$1" = host ]; then
		awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat
	else
		awk '{ print $14 + $15 }' "/proc/$1/stat"
	fi
}

# Runs the stress loop in VM bench-$1 on firmware $2 (more `hotcpu run`
# arguments follow): JSON in $out/$1.json, the firmware's debug log in
# $out/$1-debugcon.log, and in $out/$1.host the share of the host's CPU
# that went to anything but this VM's QEMU meanwhile: on a shared host
# other work inflates the latencies, and the table says how much there
# was. Clock-tick sampling reads an idle host a little below 0: shown as 0.
measure() {
	local key=$1 fw=$2 name=bench-$1 pid t0 h0 q0
	shift 2
	boot "$name" "$fw" "$@"
	pid=$(jq -r '."qemu-pid"' "$HOTCPU_RUNTIME_DIR/$name/state.json")
	t0=$(date +%s.%N) h0=$(cpu_ticks host) q0=$(cpu_ticks "$pid")
	"$hotcpu" stress --name "$name" --cycles "$cycles" --pause "$pause_ms" \
		--json >"$out/$key.json"
	awk -v t0="$t0" -v t1="$(date +%s.%N)" -v h="$(($(cpu_ticks host) - h0))" \
		-v q="$(($(cpu_ticks "$pid") - q0))" -v hz="$(getconf CLK_TCK)" \
		-v n="$(nproc)" 'BEGIN { v = 100 * (h - q) / ((t1 - t0) * hz * n); printf "%.0f\n", v < 0 ? 0 : v }' \
		>"$out/$key.host"
	"$hotcpu" stop --name "$name" >/dev/null
	cp "$HOTCPU_RUNTIME_DIR/$name/debugcon.log" "$out/$key-debugcon.log"
	samples "$key"
}

# Every add and remove of the stress loop in $1 went through the SMI
# handler ($2 = on), or none did and the firmware said why ($2 = off):
# otherwise the SMM columns would compare the wrong things.
smm_check() {
	local log=$out/$1-debugcon.log adds removes

	adds=$(grep -c 'smm: hot-add CPU .* admitted' "$log" || true)
	removes=$(grep -c 'smm: hot-remove CPU .* ejected' "$log" || true)
	if [ "$2" = on ] && { [ "$adds" -lt "$cycles" ] || [ "$removes" -lt "$cycles" ]; }; then
		echo "bench-hotplug: $1: only $adds hot-adds and $removes hot-removes of $cycles went through SMM ($log)" >&2
		return 1
	fi
	if [ "$2" = off ] && { [ "$adds" != 0 ] || ! grep -q 'smm: none' "$log"; }; then
		echo "bench-hotplug: $1: expected no SMM, see $log" >&2
		return 1
	fi
}

