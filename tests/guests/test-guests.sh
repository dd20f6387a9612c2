#!/bin/bash
# build/hotcpu with guests that are not the bundled one: Debian's kernel
# with initramfs images this test builds without guest/ (no CPU agent),
# one that onlines hot-added CPUs like a udev rule and one with nothing
# that does. Asserts what QEMU and the guest report, and exit codes:
#   - run --detach returns once the guest is up, or exits 5 saying why;
#   - plug before the firmware runs, during the firmware and during the
#     kernel's boot (VM paused at each point over a QMP socket of the
#     test's own), then with the OS up, and a resize by 10 vCPUs;
#   - unplug, resize and plug called before the firmware runs, on this
#     guest and on the bundled one: each waits for the guest's ACPI;
#   - the kernel alone does not online a hot-added CPU;
#   - --qmp on a QEMU this test starts itself, as a user's script would,
#     named by QEMU's -name, by --name, or by the socket.
# Prints TAP. Usage: tests/guests/test-guests.sh [BUILD_DIR]
set -u
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/guest-warnings.sh
. "$(dirname "$0")/../guest-warnings.sh"
build=${1:-build}
hotcpu=$build/hotcpu
qmpcmd=$build/tests/tools/qmp-cmd
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-guests.XXXXXX)
export HOTCPU_RUNTIME_DIR
rt=$HOTCPU_RUNTIME_DIR
out=$rt/out
err=$rt/err
qemu_pid=

cleanup() {
	for vm in up early earlyb earlyp noacpi none race; do
		"$hotcpu" stop --name "$vm" >/dev/null 2>&1
	done
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	if [ "$failed" = 0 ]; then
		rm -rf "$rt"
	else
		echo "# logs kept in $rt"
	fi
}
trap cleanup EXIT

# wait_for FILE TEXT SECONDS
wait_for() {
	local i
	for i in $(seq "$(($3 * 100))"); do
		grep -a -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	return 1
}
# rule_after VM LINE SET SECONDS: a rule line after LINE of the VM's
# console shows exactly SET online, within SECONDS.
rule_after() {
	local i
	for i in $(seq "$(($4 * 10))"); do
		tail -n +"$(($2 + 1))" "$rt/$1/serial.log" |
			grep -a -o 'RULE [a-z]* cpu[0-9]* online=[0-9,-]*' |
			grep -q "online=$3\$" && return 0
		sleep 0.1
	done
	return 1
}
# wait_socks SOCKET...: each exists within 5 s (QEMU's -qmp servers).
wait_socks() {
	local i s
	for i in $(seq 500); do
		for s in "$@"; do [ -S "$s" ] || break; done
		[ -S "$s" ] && return 0
		sleep 0.01
	done
	return 1
}
field() { "$hotcpu" status "$@" --json | jq -r "$JQ"; }
# joined VM PID DESC: waits for a hotcpu command run in the background
# with its output in $rt/VM.out and .err (then $out and $err), checks
# that it exited 0.
joined() {
	local rc
	wait "$2"
	rc=$?
	out=$rt/$1.out err=$rt/$1.err
	check "$3 exits 0 (exit $rc)" test "$rc" = 0
}
# agent_online VM SET SECONDS: the bundled guest's agent last reported
# exactly SET ("GUEST-CPUS-ONLINE [0 1]"), within SECONDS.
agent_online() {
	local i
	for i in $(seq "$(($3 * 10))"); do
		grep -a -o 'GUEST-CPUS-ONLINE \[[0-9 ]*\]' "$rt/$1/serial.log" |
			tail -n1 | grep -q "\[$2\]" && return 0
		sleep 0.1
	done
	return 1
}

need_files "$hotcpu" "$qmpcmd" "$build/hotcpu.fd" "$build/guest/vmlinuz"
need_commands qemu-system-x86_64 jq busybox cpio
kernel=$build/guest/vmlinuz
sh tests/guests/build-initrd.sh "$rt/udev.img" udev
sh tests/guests/build-initrd.sh "$rt/none.img" none
check "the test's initramfs holds no hotcpu agent" \
	eval '! (zcat "$rt/udev.img" | cpio -t --quiet | grep -q cpuwatch)'

# VM up: our firmware, the udev-like guest, room for a resize by 10.
# Paused at start (-S) with a QMP socket of the test's own to pause it
# again at each boot phase; the plugs run while the VM boots.
ctl=$rt/ctl.sock
"$hotcpu" run --name up --accel tcg --max-cpus 12 --kernel "$kernel" \
	--initrd "$rt/udev.img" --detach --timeout 60 -- -S \
	-qmp "unix:$ctl,server=on,wait=off" \
	-qmp "unix:$ctl.2,server=on,wait=off" \
	-qmp "unix:$ctl.3,server=on,wait=off" >"$rt/run.out" 2>"$rt/run.err" &
run_pid=$!
wait_for "$rt/up/qemu.cmdline" qemu 10
wait_socks "$ctl"
check "run --detach has not returned while QEMU is paused" kill -0 $run_pid

# 1. Before the firmware's first instruction.
"$hotcpu" plug --name up --socket 0 --core 1 --thread 0 --timeout 60 \
	>"$rt/plug1.out" 2>"$rt/plug1.err" &
plug1=$!
for i in $(seq 500); do
	"$qmpcmd" "$ctl" query-hotpluggable-cpus | grep -q '"cpu1"' && break
	sleep 0.01
done
# 2. During the firmware (HOTCPU_TEST_FIRMWARE_PHASE=0 skips it): run
# until its SMM setup line, pause, plug through a second QMP socket.
# QEMU ran: hotcpu waits for the guest's ACPI and hot-adds the CPU then.
# Plugged at once, a CPU that comes after the firmware admitted the boot
# CPUs and before Linux enables the hotplug GPE gets no SMI: Linux's ACPI
# scan adds it, its online spins in acpi_wakeup_cpu() for a CPU the
# firmware never parked, soft lockups, every later hotplug blocked.
"$qmpcmd" "$ctl" cont >/dev/null
plug2=
if [ "${HOTCPU_TEST_FIRMWARE_PHASE:-1}" = 1 ]; then
	wait_for "$rt/up/debugcon.log" "smm:" 20
	"$qmpcmd" "$ctl" stop >/dev/null
	"$hotcpu" plug --qmp "$ctl.2" --socket 0 --core 2 --thread 0 \
		--timeout 30 >"$rt/plug2.out" 2>"$rt/plug2.err" &
	plug2=$!
	sleep 0.5
	"$qmpcmd" "$ctl" cont >/dev/null
fi
# 3. During the kernel's boot: pause at the firmware's last line, as it
# jumps to the kernel (decompression alone takes longer than this test
# takes to pause), plug through a third QMP socket.
wait_for "$rt/up/debugcon.log" "linux: entering the 64-bit entry point" 30
"$qmpcmd" "$ctl" stop >/dev/null
core3=2
[ -n "$plug2" ] && core3=3
"$hotcpu" plug --qmp "$ctl.3" --socket 0 --core $core3 --thread 0 \
	--timeout 30 >"$rt/plug3.out" 2>"$rt/plug3.err" &
plug3=$!
sleep 0.5
"$qmpcmd" "$ctl" cont >/dev/null
wait "$plug1"
rc1=$?
rc2=0
[ -n "$plug2" ] && { wait "$plug2"; rc2=$?; }
wait "$plug3"
rc3=$?
wait "$run_pid"
rcr=$?
cat "$rt/plug1.out" "$rt/plug1.err" >"$out"
: >"$err"
check "plug before the firmware ran exits 0" test "$rc1" = 0
check "... reported as present at boot, started by the guest" \
	grep -q "present at boot: plugged before the guest's ACPI was up, started by the guest" "$rt/plug1.out"
check "... the guest booted with 2 present CPUs" \
	grep -a -q "Allowing 2 present CPUs" "$rt/up/serial.log"
if [ -n "$plug2" ]; then
	cat "$rt/plug2.out" "$rt/plug2.err" >"$out"
	check "plug during the firmware (attached) exits 0" test "$rc2" = 0
	check "... hot-added once the guest's ACPI was up" \
		grep -q "cpu2 .*waiting for the guest's ACPI.*online in" "$rt/plug2.out"
else
	echo "ok $((n += 1)) - # SKIP plug during the firmware: HOTCPU_TEST_FIRMWARE_PHASE=0"
fi
cat "$rt/plug3.out" "$rt/plug3.err" >"$out"
check "plug during the kernel's boot (attached) exits 0" test "$rc3" = 0
check "... hot-added once the guest's ACPI was up" \
	grep -q "cpu$core3 .*waiting for the guest's ACPI.*online in" "$rt/plug3.out"
cat "$rt/run.out" "$rt/run.err" >"$out"
check "run --detach returned once the guest was up" test "$rcr" = 0
check "... saying how it knows" \
	grep -q "guest ACPI handles CPU hotplug, every vCPU started" "$rt/run.out"
check "... after the guest's ACPI enabled CPU hotplug" \
	test "$(jq -r '."acpi-up"' "$rt/up/state.json")" = true

echo "# plugged before the firmware: $(cat "$rt/plug1.out")"

# 3. With the OS up: a plug confirmed by the guest starting the CPU,
# which its udev-like rule onlined.
c=$((core3 + 1))
expect 0 "plug with the OS up" -- plug --name up
check "... confirmed by the guest's _OST and its start of cpu$c" \
	in_out "cpu$c .*online in .*_OST success"
wait_for "$rt/up/serial.log" "RULE add cpu$c" 5
check "... the guest's rule onlined it" \
	grep -a -q "RULE add cpu$c online=0-$c" "$rt/up/serial.log"

# Users resize by dozens: 3 -> 12 vCPUs and back to 2 (more vCPUs than
# the 2 host cores: SMM rendezvous then miss their timeouts, see the
# research notes, "Eject incomplete").
mark=$(wc -l <"$rt/up/serial.log")
expect 0 "resize 12 ($((11 - c)) plugs)" -- resize --name up 12 --timeout 60
check "... $((11 - c)) lines, each confirmed" \
	test "$(grep -c "online in" "$out")" = $((11 - c))
check "... the guest has CPUs 0-11 online" rule_after up "$mark" 0-11 10
mark=$(wc -l <"$rt/up/serial.log")
expect 0 "resize 2 (10 unplugs)" -- resize --name up 2 --timeout 60
check "... QEMU lists 2 present vCPUs" \
	test "$(JQ=.present field --name up)" = 2
# The guest runs its rule for each removal on its own time, after the
# _OST hotcpu waited for: wait for the last one to log CPUs 0-1.
check "... the guest logged the removals down to CPUs 0-1" \
	rule_after up "$mark" 0-1 10
check "no guest warning" eval '! grep -a -E "$guest_warnings|Call Trace" "$rt/up/serial.log"'
expect 0 "stop" -- stop --name up

# Unplug, resize and plug called before the firmware's first
# instruction: each waits for the guest's ACPI (a plug's CPU comes up
# with the guest). VM early: this test's guest, 4 vCPUs, unplug; VM
# earlyb: the bundled guest, 3 vCPUs, resize 1; VM earlyp: the bundled
# guest, plug 2. All paused at start, booted side by side.
"$hotcpu" run --name early --accel tcg --cpus 4 --max-cpus 6 \
	--kernel "$kernel" --initrd "$rt/udev.img" --detach --timeout 90 -- -S \
	-qmp "unix:$rt/early.ctl,server=on,wait=off" >/dev/null 2>&1 &
early_run=$!
"$hotcpu" run --name earlyb --accel tcg --cpus 3 --max-cpus 6 --detach \
	--timeout 90 -- -S -qmp "unix:$rt/earlyb.ctl,server=on,wait=off" \
	>/dev/null 2>&1 &
earlyb_run=$!
"$hotcpu" run --name earlyp --accel tcg --max-cpus 4 --detach \
	--timeout 90 -- -S -qmp "unix:$rt/earlyp.ctl,server=on,wait=off" \
	>/dev/null 2>&1 &
earlyp_run=$!
wait_socks "$rt/early.ctl" "$rt/earlyb.ctl" "$rt/earlyp.ctl"
"$hotcpu" unplug --name early --timeout 60 >"$rt/early.out" 2>"$rt/early.err" &
early_pid=$!
"$hotcpu" resize --name earlyb 1 --timeout 60 >"$rt/earlyb.out" 2>"$rt/earlyb.err" &
earlyb_pid=$!
"$hotcpu" plug --name earlyp 2 --timeout 60 >"$rt/earlyp.out" 2>"$rt/earlyp.err" &
earlyp_pid=$!
# Each has read its VM's slots and waits for its ACPI.
sleep 1
check "unplug, resize and plug wait while the VMs have not started" \
	kill -0 $early_pid $earlyb_pid $earlyp_pid
for vm in early earlyb earlyp; do
	"$qmpcmd" "$rt/$vm.ctl" cont >/dev/null
done
joined early "$early_pid" "unplug before the firmware ran"
check "... removed the boot CPU with APIC ID 3 once the guest's ACPI was up" \
	in_out "unplug .* (socket 0 core 3 thread 0, APIC 3): after .* s waiting for the guest's ACPI, removed in"
check "... QEMU lists 3 present vCPUs" \
	test "$(JQ=.present field --name early)" = 3
check "... the guest's rule logged CPUs 0-2" rule_after early 0 0-2 10
joined earlyb "$earlyb_pid" "resize 1 before the bundled guest's firmware ran"
check "... 2 unplugs, each after waiting for the guest's ACPI" \
	test "$(grep -c "waiting for the guest's ACPI, removed in" "$out")" = 2
check "... QEMU lists 1 present vCPU" \
	test "$(JQ=.present field --name earlyb)" = 1
check "... the bundled guest's agent reports CPU 0 alone online" \
	agent_online earlyb 0 10
joined earlyp "$earlyp_pid" "plug 2 before the bundled guest's firmware ran"
check "... cpu1 and cpu2 present at boot, online" \
	test "$(grep -c "present at boot: plugged before the guest's ACPI was up, online in" "$out")" = 2
check "... the bundled guest booted with 3 present CPUs" \
	grep -a -q "Allowing 3 present CPUs" "$rt/earlyp/serial.log"
check "... its agent reports CPUs 0-2 online" agent_online earlyp "0 1 2" 10
out=$rt/out err=$rt/err
wait "$early_run" "$earlyb_run" "$earlyp_run"
check "no guest warning in any of them" eval '! grep -a -E "$guest_warnings|Call Trace" "$rt/early/serial.log" "$rt/earlyb/serial.log" "$rt/earlyp/serial.log"'
for vm in early earlyb earlyp; do
	expect 0 "stop $vm" -- stop --name $vm
done

# A guest that never comes up: run --detach says so with exit 5.
expect 5 "run --detach of a guest without ACPI times out" -- run \
	--name noacpi --accel tcg --kernel "$kernel" --initrd "$rt/none.img" \
	--append "console=ttyS0 acpi=off" --detach --timeout 8
check "... saying the guest's ACPI never enabled CPU hotplug" \
	in_err "its ACPI never enabled CPU hotplug events"
check "... and that QEMU keeps running" in_err "hotcpu stop --name noacpi"
expect 0 "stop it" -- stop --name noacpi

# Nothing onlines CPUs: Linux 6.12 adds the CPU but does not start it.
expect 0 "run --detach, guest without any onliner" -- run --name none \
	--accel tcg --kernel "$kernel" --initrd "$rt/none.img" --detach
expect 5 "plug: the guest does not start the CPU" -- plug --name none \
	--timeout 5
check "... QEMU got _OST success and says the guest did not start it" \
	in_out "_OST success after .* but the guest did not start the CPU"
check "... the kernel added it (\"CPU1 has been hot-added\")" \
	grep -a -q "CPU1 has been hot-added" "$rt/none/serial.log"
expect 0 "stop it" -- stop --name none

# Another QMP client takes the slot while plug waits for the guest's
# ACPI: plug must not send a device_add QEMU would refuse (a failed
# device_add can hang QEMU under TCG, docs/smm-cpu-hotplug.md).
"$hotcpu" run --name race --accel tcg --kernel "$kernel" \
	--initrd "$rt/none.img" --detach -- -S \
	-qmp "unix:$rt/race.sock,server=on,wait=off" >/dev/null 2>&1 &
race_run=$!
wait_socks "$rt/race.sock"
"$qmpcmd" "$rt/race.sock" cont >/dev/null
"$hotcpu" plug --name race --socket 0 --core 1 --thread 0 --timeout 30 \
	>"$rt/race.out" 2>"$rt/race.err" &
race_pid=$!
# plug has checked the slot and waits for the guest's ACPI (about 1 s
# after cont under TCG) when the other client plugs it.
sleep 0.5
"$qmpcmd" "$rt/race.sock" device_add '{"driver": "qemu64-x86_64-cpu",
	"id": "other", "socket-id": 0, "core-id": 1, "thread-id": 0}' >/dev/null
wait "$race_pid"
rc=$?
wait "$race_run"
out=$rt/race.out err=$rt/race.err
check "plug that another client beat to the slot exits 7 (exit $rc)" test "$rc" = 7
check "... saying the other client plugged it, nothing sent" \
	in_err "another QMP client plugged this slot first (other); nothing was sent"
out=$rt/out err=$rt/err
expect 0 "stop it" -- stop --name race

# A QEMU that hotcpu did not start, as a user's script runs it.
sock=$rt/user.sock
qemu-system-x86_64 -name user-vm -accel tcg -M q35 -cpu qemu64 -m 512 \
	-smp 1,maxcpus=6 -bios "$build/hotcpu.fd" -kernel "$kernel" \
	-initrd "$rt/udev.img" -append "console=ttyS0 panic=-1" \
	-display none -vga none -nodefaults -no-reboot \
	-serial "file:$rt/user.serial" -qmp "unix:$sock,server=on,wait=off" \
	-qmp "unix:$ctl.user,server=on,wait=off" -S >"$rt/user.qemu.log" 2>&1 &
qemu_pid=$!
wait_socks "$ctl.user"
"$hotcpu" plug --qmp "$sock" --timeout 60 >"$out" 2>"$err" &
plug_pid=$!
for i in $(seq 500); do
	"$qmpcmd" "$ctl.user" query-hotpluggable-cpus | grep -q '"cpu1"' && break
	sleep 0.01
done
"$qmpcmd" "$ctl.user" cont >/dev/null
wait "$plug_pid"
check "plug --qmp before that guest's firmware runs exits 0" test $? = 0
check "... cpu1 present at boot" in_out "cpu1 .*present at boot"
wait_for "$rt/user.serial" PLAIN-INIT 30
expect 0 "plug --qmp with the OS up" -- plug --qmp "$sock"
check "... cpu2 confirmed" in_out "cpu2 .*online in"
expect 0 "status --qmp" -- status --qmp "$sock"
check "... VM user-vm, 3 present, not started by hotcpu" \
	in_out "VM user-vm: QMP .* (not started by hotcpu)"
check "... the last _OST per CPU comes from QEMU (cpu2: add success)" \
	test "$(JQ=".cpus[2].\"last-ost\".status" field --qmp "$sock")" = 0
expect 0 "unplug --qmp" -- unplug --qmp "$sock"
check "... removed the highest CPU" in_out "unplug cpu2 .*removed in"
expect 0 "resize --qmp 4" -- resize --qmp "$sock" 4
expect 0 "stress --qmp --cycles 1" -- stress --qmp "$sock" --cycles 1 --json
check "... 1 cycle, 0 failures" \
	test "$(jq -r '[.cycles, .failures] | join(",")' "$out")" = 1,0
expect 0 "status --qmp --name" -- status --qmp "$sock" --name mine
check "... names the VM mine" in_out "VM mine: QMP"
expect 6 "--qmp on a socket nobody serves" -- status --qmp "$rt/nosuch.sock"
check "... says how to give QEMU one" in_err "-qmp unix:$rt/nosuch.sock,server=on,wait=off"
kill "$qemu_pid"
wait "$qemu_pid" 2>/dev/null
# A QEMU without -name (paused, nothing booted): named by its socket.
qemu-system-x86_64 -accel tcg -M q35 -m 128 -bios "$build/hotcpu.fd" \
	-smp 1,maxcpus=2 -display none -vga none -nodefaults -S \
	-qmp "unix:$rt/bare.sock,server=on,wait=off" >"$rt/bare.qemu.log" 2>&1 &
qemu_pid=$!
wait_socks "$rt/bare.sock"
expect 0 "status --qmp on a QEMU without -name" -- status --qmp "$rt/bare.sock"
check "... names the VM by its socket" in_out "VM bare.sock: QMP"
kill "$qemu_pid"
wait "$qemu_pid" 2>/dev/null
qemu_pid=

echo "1..$n"
[ "$failed" = 0 ]
