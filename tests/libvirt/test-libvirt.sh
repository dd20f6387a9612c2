#!/bin/bash
# libvirt with hotcpu's firmware: a libvirtd and virtlogd of the test's
# own (tests/libvirt/daemons.sh) run a domain as in docs/libvirt.md: ROM
# loader on build/hotcpu.fd, SMM, direct kernel boot of Debian's kernel
# with an initramfs that is not the bundled guest (tests/guests/
# build-initrd.sh: busybox and a udev-like rule that onlines added CPUs),
# TCG, 1 of 8 vCPUs, a second QMP monitor for hotcpu. Asserts what the
# guest, QEMU and virsh report:
#   - virsh setvcpus --live up: the guest onlines the new CPUs;
#   - hotcpu status --qmp sees the libvirt-managed VM;
#   - down: libvirt times out waiting for a DEVICE_DELETED that QEMU
#     under TCG never sends for a vCPU, the guest ejects one CPU;
#     hotcpu unplug/resize --qmp finish it; restarting libvirtd, or
#     repeating the same virsh setvcpus, makes libvirt agree with QEMU;
#   - libvirt plugs again afterwards; nothing of the test's is left.
# Prints TAP; skips, saying why, when libvirt cannot be installed or
# started. Usage: tests/libvirt/test-libvirt.sh [BUILD_DIR]
set -u
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/guest-warnings.sh
. "$(dirname "$0")/../guest-warnings.sh"
build=${1:-build}
hotcpu=$build/hotcpu
qmpcmd=$build/tests/tools/qmp-cmd
dom=hotcpu-libvirt
t=
. tests/libvirt/daemons.sh

skip() { echo "ok $((n += 1)) - # SKIP $1"; }

need_files "$hotcpu" "$qmpcmd" "$build/hotcpu.fd" "$build/guest/vmlinuz"
need_commands jq busybox cpio
if ! why=$(lv_why_not); then
	echo "1..0 # SKIP $why"
	exit 0
fi

t=$(mktemp -d /tmp/hotcpu-libvirt.XXXXXX)
out=$t/out
err=$t/err
: >"$out"
: >"$err"
cleanup() {
	[ -n "$t" ] || return
	lv_stop
	if [ "$failed" = 0 ]; then
		rm -rf "$t"
	else
		echo "# logs kept in $t (libvirtd.log, log/qemu/$dom.log, vm/serial.log)"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# wait_for SECONDS COMMAND...: polls a condition every 50 ms.
wait_for() {
	local i s=$1
	shift
	for i in $(seq "$((s * 20))"); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
# The guest's online CPUs as its rule (or its init) last printed them:
# "RULE add cpu2 online=0-2", "PLAIN-INIT possible=0-7 online=0".
guest_online() {
	grep -a -o '^\(RULE\|PLAIN-INIT\) .*online=[0-9,-]*' "$t/vm/serial.log" 2>/dev/null |
		tail -n1 | sed 's/.*online=//'
}
online_is() { [ "$(guest_online)" = "$1" ]; }
# QEMU's present vCPUs (query-hotpluggable-cpus entries with a QOM path)
# as the ids they were plugged with, boot CPUs as "-".
qemu_present() {
	"$qmpcmd" "$t/vm/hotcpu.qmp" query-hotpluggable-cpus |
		jq -r '[.[] | select(."qom-path") | ."qom-path" |
			capture("/machine/peripheral/(?<id>[^/]+)$").id // "-"] |
			sort | join(" ")'
}
live_count() { [ "$(vsh vcpucount "$dom" --live 2>/dev/null)" = "$1" ]; }
vsh_rc() { vsh "$@" >"$out" 2>"$err"; }

lv_setup
# libvirt hands the kernel and initrd to libvirt-qemu while the domain
# runs: it boots copies.
cp "$build/hotcpu.fd" "$build/guest/vmlinuz" "$t/img/"
sh tests/guests/build-initrd.sh "$t/img/initrd.img" udev
chmod 644 "$t/img/"*
lv_domain_xml "<loader type='rom'>$t/img/hotcpu.fd</loader>" >"$t/dom.xml"

if ! lv_start; then
	if alive "$libvirtd_pid"; then
		why="did not answer on $t/sock within 60 s"
	else
		why="exited"
	fi
	tail -n 20 "$t/daemons.log" "$t/libvirtd.log" 2>/dev/null | sed 's/^/# /'
	echo "1..0 # SKIP libvirtd of the test's own $why (its output above)"
	exit 0
fi
ok "libvirtd and virtlogd of the test's own answer on $t/sock"
check "the guest's initramfs holds no hotcpu agent" \
	eval '! (zcat "$t/img/initrd.img" | cpio -t --quiet | grep -q cpuwatch)'

vsh_rc define "$t/dom.xml"
check "virsh define: a domain as in docs/libvirt.md" test $? = 0
vsh_rc start "$dom"
check "virsh start" test $? = 0
lv_qemu_pid >/dev/null
check "... QEMU runs with our firmware as its ROM" \
	grep -a -q -- "-bios $t/img/hotcpu.fd" "$t/log/qemu/$dom.log"
wait_for 60 online_is 0
check "the guest boots with CPU 0 online" online_is 0
check "... QEMU runs the boot vCPU only" test "$(qemu_present)" = "-"

# Up: libvirt plugs vcpu1-3 with device_add, the guest's rule onlines them.
vsh_rc setvcpus "$dom" 4 --live
check "virsh setvcpus 4 --live" test $? = 0
wait_for 20 online_is 0-3
check "... the guest onlines CPUs 1-3" online_is 0-3
check "... QEMU has vcpu1-3" test "$(qemu_present)" = "- vcpu1 vcpu2 vcpu3"
check "... virsh vcpucount --live says 4" live_count 4

"$hotcpu" status --qmp "$t/vm/hotcpu.qmp" >"$out" 2>"$err"
check "hotcpu status --qmp on the libvirt-managed VM exits 0" test $? = 0
check "... names it after libvirt's -name, not started by hotcpu" \
	in_out "VM $dom: QMP .* (not started by hotcpu)"
sed -n '1,2s/^/# status --qmp: /p' "$out"
"$hotcpu" status --qmp "$t/vm/hotcpu.qmp" --json >"$out" 2>"$err"
check "... 8 possible, 4 present, vcpu3 in slot 3 with _OST add success" \
	test "$(jq -r '[.possible, .present, .cpus[3].id, .cpus[3].present,
		.cpus[3]."last-ost".status] | map(tostring) | join(",")' "$out")" = 8,4,vcpu3,true,0

# Down: libvirt unplugs vcpu3 with device_del and waits 5 s for its
# DEVICE_DELETED; QEMU under TCG sends one for vcpu3/lapic only.
vsh_rc setvcpus "$dom" 2 --live
rc=$?
timed_out=0
if [ "$rc" = 0 ]; then
	not_ok "virsh setvcpus 2 --live succeeded: under TCG libvirt never gets its DEVICE_DELETED (docs/libvirt.md); update the docs and this test"
elif in_err "vcpu unplug request timed out"; then
	timed_out=1
	ok "virsh setvcpus 2 --live: \"vcpu unplug request timed out\" (TCG: no DEVICE_DELETED for vcpu3)"
else
	not_ok "virsh setvcpus 2 --live: exit $rc, not the timeout"
fi
if [ "$timed_out" = 1 ]; then
	wait_for 10 online_is 0-2
	check "... the guest ejected CPU 3 all the same" online_is 0-2
	check "... QEMU's slot of vcpu3 is empty" \
		test "$(qemu_present)" = "- vcpu1 vcpu2"
	check "... libvirt still counts 4" live_count 4

	# Finish it as docs/libvirt.md says: confirm vcpu3, unplug the rest.
	"$hotcpu" unplug --qmp "$t/vm/hotcpu.qmp" --id vcpu3 >"$out" 2>"$err"
	check "hotcpu unplug --qmp --id vcpu3 exits 0" test $? = 0
	check "... confirms libvirt's unplug: slot empty, eject _OST success" \
		in_out "already removed: QEMU lists the slot empty and the guest's last _OST for it is eject success"
	"$hotcpu" resize --qmp "$t/vm/hotcpu.qmp" 2 >"$out" 2>"$err"
	check "hotcpu resize --qmp 2 exits 0" test $? = 0
	check "... unplugs vcpu2, confirmed by QEMU" \
		in_out "unplug vcpu2 .*removed in"
	check "... and says libvirt still counts it" \
		in_err "QEMU removed vcpu2; if libvirt manages this VM it still counts"
	wait_for 10 online_is 0-1
	check "... the guest has CPUs 0-1 online" online_is 0-1
	check "... QEMU has the boot vCPU and vcpu1" \
		test "$(qemu_present)" = "- vcpu1"
	check "... libvirt still counts 4" live_count 4

	# libvirt re-reads QEMU's vCPUs when it reconnects to the domain.
	lv_restart_libvirtd
	check "after a libvirtd restart virsh vcpucount --live says 2" \
		live_count 2
	check "... the domain kept running" alive "$qemu_pid"
fi

# libvirt plugs again: vcpu2 into the slot it reads as free.
vsh_rc setvcpus "$dom" 3 --live
check "virsh setvcpus 3 --live" test $? = 0
wait_for 20 online_is 0-2
check "... the guest onlines CPU 2 again" online_is 0-2

# The other way to make libvirt agree: repeat the command that timed
# out. Its device_del of a vCPU QEMU no longer has fails with
# DeviceNotFound, and libvirt then drops the vCPU from its count.
vsh_rc setvcpus "$dom" 2 --live
rc=$?
if [ "$rc" != 0 ] && in_err "vcpu unplug request timed out"; then
	wait_for 10 online_is 0-1
	check "virsh setvcpus 2 --live times out again; the guest ejects CPU 2" \
		online_is 0-1
	check "... libvirt counts 3" live_count 3
	vsh_rc setvcpus "$dom" 2 --live
	check "the same virsh setvcpus 2 --live again exits 0" test $? = 0
	check "... virsh vcpucount --live says 2" live_count 2
	check "... QEMU has the boot vCPU and vcpu1" \
		test "$(qemu_present)" = "- vcpu1"
else
	not_ok "virsh setvcpus 2 --live: exit $rc, not the timeout"
fi

check "no guest warning" eval '! grep -a -E "$guest_warnings|Call Trace" "$t/vm/serial.log"'

vsh_rc destroy "$dom"
check "virsh destroy" test $? = 0
check "... QEMU exited" wait_for 10 eval '! alive "$qemu_pid"'
lv_stop
check "libvirtd, virtlogd and QEMU are gone" test $? = 0

echo "1..$n"
[ "$failed" = 0 ]
