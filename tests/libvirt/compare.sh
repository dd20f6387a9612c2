#!/bin/bash
# Measures what virsh setvcpus --live does, 1 -> 4 -> 2, on the domain of
# docs/libvirt.md with hotcpu.fd, SeaBIOS, OVMF and OVMF with SMM under
# TCG, with a libvirtd of its own (tests/libvirt/daemons.sh) and the
# guest of tests/guests/build-initrd.sh. Prints one block per firmware
# and run; the numbers in docs/libvirt.md come from it. Not part of make
# check (2-3 min per run of all four on 2 cores). Under the VM lock:
#   flock /tmp/hotcpu-vm.lock bash tests/libvirt/compare.sh [BUILD_DIR] [RUNS] [FIRMWARE...]
set -u
build=${1:-build}
runs=${2:-1}
shift $(($# < 2 ? $# : 2))
fws=${*:-hotcpu seabios ovmf ovmf-smm}
qmpcmd=$build/tests/tools/qmp-cmd
dom=hotcpu-compare
t=
. tests/libvirt/daemons.sh
# shellcheck source=tests/guest-warnings.sh
. tests/guest-warnings.sh

if ! why=$(lv_why_not); then
	echo "compare: $why" >&2
	exit 1
fi
t=$(mktemp -d /tmp/hotcpu-libvirt-compare.XXXXXX)
trap 'lv_stop; rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
lv_setup
cp "$build/hotcpu.fd" "$build/guest/vmlinuz" "$t/img/"
sh tests/guests/build-initrd.sh "$t/img/initrd.img" udev
chmod 644 "$t/img/"*
lv_start || { echo "compare: libvirtd did not start; see $t" >&2; exit 1; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
online() {
	grep -a -o '^\(RULE\|PLAIN-INIT\) .*online=[0-9,-]*' "$t/vm/serial.log" 2>/dev/null |
		tail -n1 | sed 's/.*online=//'
}
# wait_online SET SECONDS: prints the seconds until the guest's online
# set is SET, or "never".
wait_online() {
	local t0 i
	t0=$(now)
	for i in $(seq "$(($2 * 20))"); do
		[ "$(online)" = "$1" ] && { since "$t0"; return; }
		sleep 0.05
	done
	echo never
}
present() {
	"$qmpcmd" "$t/vm/hotcpu.qmp" query-hotpluggable-cpus |
		jq -r '[.[] | select(."qom-path") | ."qom-path" |
			capture("/machine/peripheral/(?<id>[^/]+)$").id // "boot"] |
			sort | join(" ")'
}
# The vCPUs in SMM and CPU 0's RIP, from HMP info registers.
smm_state() {
	"$qmpcmd" "$t/vm/hotcpu.qmp" human-monitor-command \
		'{"command-line": "info registers -a"}' | jq -r . | tr -d '\r' |
		awk '/^CPU#/ { cpu = $1 } /SMM=1/ { smm = smm " " cpu }
		     /^RIP=/ && cpu == "CPU#0" { rip = $1 }
		     END { printf "in SMM:%s; CPU#0 %s", smm ? smm : " none", rip }'
}
warnings() {
	grep -a -c -E "$guest_warnings|Call Trace" "$t/vm/serial.log"
}

for run in $(seq "$runs"); do
	for fw in $fws; do
		smm=on
		case $fw in
		hotcpu) loader="<loader type='rom'>$t/img/hotcpu.fd</loader>" ;;
		seabios) loader= ;;
		ovmf)
			smm=off
			loader="<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader><nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$t/vm/vars.fd</nvram>" ;;
		ovmf-smm)
			loader="<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader><nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$t/vm/vars.fd</nvram>" ;;
		*) echo "compare: unknown firmware $fw" >&2; exit 2 ;;
		esac
		rm -f "$t/vm/serial.log" "$t/vm/vars.fd"
		lv_domain_xml "$loader" >"$t/dom.xml"
		vsh define "$t/dom.xml" >/dev/null || exit 1
		echo "== $fw run $run"
		t0=$(now)
		vsh start "$dom" >/dev/null || exit 1
		echo "boot to init: $(wait_online 0 90) s; QEMU $(grep -a -o -- '-smp [^ ]*' "$t/log/qemu/$dom.log" | tail -n1)"

		t0=$(now)
		vsh setvcpus "$dom" 4 --live >"$t/out" 2>"$t/err"
		echo "setvcpus 4: exit $? in $(since "$t0") s $(tr '\n' ' ' <"$t/err")"
		echo "guest online 0-3 after: $(wait_online 0-3 10) s; online now $(online)"
		echo "libvirt counts $(vsh vcpucount "$dom" --live); QEMU has: $(present)"
		echo "guest: $(grep -a -c 'Unable to map lapic' "$t/vm/serial.log") x Unable to map lapic; $(grep -a -c 'has been hot-added' "$t/vm/serial.log") x hot-added"
		if [ "$(online)" != 0-3 ]; then
			echo "registers: $(smm_state); 1 s later: $(sleep 1; smm_state)"
		fi

		t0=$(now)
		vsh setvcpus "$dom" 2 --live >"$t/out" 2>"$t/err"
		echo "setvcpus 2: exit $? in $(since "$t0") s $(tr '\n' ' ' <"$t/err")"
		sleep 2
		echo "guest online now $(online); libvirt counts $(vsh vcpucount "$dom" --live); QEMU has: $(present)"
		echo "guest warnings: $(warnings); libvirtd: $(cat "$t/libvirtd.log" "$t/log/qemu/$dom.log" | grep -a -o "tainted: [a-z-]*" | sort -u | tr '\n' ' ')"
		vsh destroy "$dom" >/dev/null
		vsh undefine "$dom" --nvram >/dev/null
		qemu_pid=
	done
done
