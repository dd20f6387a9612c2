#!/bin/bash
# Integration tests for build/hotcpu against real QEMU (TCG): run, status,
# plug, unplug, resize, stress, stop and list, asserting on what QEMU and
# the guest report (QMP events, the guest's online CPUs) and on exit
# codes. Two VMs boot on our firmware (one of them by a stress restart),
# one on SeaBIOS and one on OVMF with SMM; steps reuse them. Prints TAP.
# Usage: tests/tools/cli.sh [BUILD_DIR]
set -u
. "$(dirname "$0")/../tap.sh"
build=${1:-build}
hotcpu=$build/hotcpu
HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-check.XXXXXX)
export HOTCPU_RUNTIME_DIR
rt=$HOTCPU_RUNTIME_DIR
out=$rt/out
err=$rt/err

cleanup() {
	for vm in t sea smi; do
		"$hotcpu" stop --name "$vm" >/dev/null 2>&1
	done
	if [ "$failed" = 0 ]; then
		rm -rf "$rt"
	else
		echo "# logs kept in $rt"
	fi
}
trap cleanup EXIT

field() { "$hotcpu" status --name "$1" --json | jq -r "$2"; }
# The VM's processes hold no descriptor of $rt/caller.lock.
no_caller_fd() {
	local pid
	for pid in $(jq -r '."qemu-pid", ."supervisor-pid" // empty' \
		"$rt/$1/state.json"); do
		if ls -l /proc/$pid/fd 2>/dev/null | grep -q caller.lock; then
			echo "# pid $pid holds caller.lock"
			return 1
		fi
	done
}
# The guest's last report of its online CPUs.
guest_online() {
	grep -a -o 'GUEST-CPUS-ONLINE \[[0-9 ]*\]' "$rt/$1/serial.log" |
		tail -n1 | sed 's/.*\[\(.*\)\]/\1/'
}
qemu_alive() {
	local pid
	pid=$(jq -r '."qemu-pid"' "$rt/$1/state.json")
	kill -0 "$pid" 2>/dev/null
}

need_files "$hotcpu" "$build/hotcpu.fd" "$build/guest/vmlinuz" \
	"$build/guest/initrd.img"
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v jq >/dev/null; then
	echo "1..0 # SKIP qemu-system-x86_64 or jq is missing (make deps)"
	exit 0
fi

# Usage errors name the argument; no VM needed.
expect 2 "run --cpus x is a usage error" -- run --cpus x
check "... naming --cpus" in_err "--cpus 'x'"
expect 2 "an unknown option is a usage error" -- run --bogus
check "... naming it" in_err "unknown option --bogus"
expect 2 "--cpus above --max-cpus is a usage error" -- run --cpus 5 --max-cpus 4
check "... naming --cpus" in_err "--cpus 5 is more than --max-cpus 4"
expect 2 "plug with half a slot is a usage error" -- plug --socket 1
check "... naming the missing ids" in_err "needs all of --socket, --core and --thread"
expect 2 "plug COUNT must be a number" -- plug abc
check "... naming COUNT" in_err "COUNT 'abc'"
expect 2 "unplug --id needs a value" -- unplug --id
check "... naming --id" in_err "option --id needs a value"
expect 2 "resize without N is a usage error" -- resize
check "... naming N" in_err "missing N"
expect 2 "stress without --cycles is a usage error" -- stress
check "... naming --cycles" in_err "missing --cycles"
expect 2 "stress --pause must be a number of ms" -- stress --cycles 1 --pause 1s
check "... naming --pause" in_err "--pause '1s'"
expect 2 "an unknown command is a usage error" -- frobnicate
expect 2 "QEMU arguments need --" -- run stray
check "... naming the argument" in_err "unexpected argument 'stray'"
expect 6 "status of a VM that never ran" -- status --name nosuch
check "... says how to start it" in_err "hotcpu run --name nosuch"
expect 0 "help lists the exit codes" -- help
check "... all of them" in_out "8  lost"
# Every command that attaches to a QEMU hotcpu did not start says so.
for c in status plug unplug resize stress; do
	expect 0 "help $c" -- help "$c"
	check "... shows --qmp PATH" in_out "--qmp PATH"
done

# VM t: our firmware, -smp 1,maxcpus=4, TCG (whose vCPU budget is tested).
# fd 9 stands for a caller's lock (flock(1)) that the VM must not keep.
exec 9>"$rt/caller.lock"
expect 0 "run --detach boots the bundled guest on our firmware" -- \
	run --name t --accel tcg --detach
exec 9>&-
check "... the supervisor and QEMU keep no file of the caller" \
	no_caller_fd t
check "... its QMP socket, serial and debugcon logs exist" \
	test -S "$rt/t/qmp.sock" -a -s "$rt/t/serial.log" -a -e "$rt/t/debugcon.log"
expect 0 "list" -- list
check "... shows VM t" in_out "^t "
check "status: 4 possible, 1 present, 1 online" \
	test "$(field t '[.possible, .present, .online] | join(",")')" = "4,1,1"
check "status: CPU 0 is the boot CPU with APIC ID 0" \
	test "$(field t '.cpus[0] | [.boot, ."apic-id"] | join(",")')" = "true,0"

expect 0 "plug 2" -- plug --name t 2
check "... prints the latency of each CPU" \
	test "$(grep -c 'online in .* ms (_OST success' "$out")" = 2
check "... the guest has CPUs 0 1 2 online" test "$(guest_online t)" = "0 1 2"
check "... QEMU got _OST success for cpu1 and cpu2" test "$(jq -s -r \
	'[.[] | select(.event == "ACPI_DEVICE_OST") | .data.info |
	  select(.source == 1 and .status == 0) | .device] | sort | join(",")' \
	"$rt/t/events.jsonl")" = "cpu1,cpu2"
check "status: 3 present, 3 online, last _OST of CPU 2 is success" \
	test "$(field t '[.present, .online, .cpus[2]."last-ost".status] |
	  join(",")')" = "3,3,0"

expect 0 "plug --socket 0 --core 3 --thread 0" -- plug --name t \
	--socket 0 --core 3 --thread 0
check "... CPU 3 (APIC ID 3) is online" \
	test "$(field t '.cpus[3] | [.present, .online, ."apic-id"] |
	  join(",")')" = "true,true,3"
expect 7 "plug with no free slot" -- plug --name t
check "... says so" in_err "0 free CPU slots"

expect 7 "unplug --id 0 (the boot CPU)" -- unplug --name t --id 0
check "... says why" in_err "CPU 0 is the boot CPU"
check "... and the VM keeps running" qemu_alive t
expect 7 "unplug --id cpu9 (no such CPU)" -- unplug --name t --id cpu9
check "... says so" in_err "no present CPU 'cpu9'"
check "... and all 4 CPUs stay" test "$(field t .present)" = 4

expect 0 "unplug 1" -- unplug --name t 1
check "... removes the highest CPU" in_out "unplug cpu3 .*removed in"
check "... confirmed by DEVICE_DELETED of its lapic" grep -q \
	'"DEVICE_DELETED".*/machine/peripheral/cpu3/lapic' "$rt/t/events.jsonl"
check "... the guest has CPUs 0 1 2 online" test "$(guest_online t)" = "0 1 2"

expect 0 "resize 2" -- resize --name t 2
check "... 2 present, guest online 0 1" \
	test "$(field t .present)/$(guest_online t)" = "2/0 1"
expect 7 "resize 3 when TCG's vCPU budget is spent" -- resize --name t 3
check "... refuses rather than crash QEMU" in_err "would abort QEMU"
check "... and QEMU still runs" qemu_alive t

expect 0 "stress --cycles 3 --pause 400 --json" -- stress --name t --cycles 3 \
	--pause 400 --json
check "... 3 cycles, 0 failures, 3 add and 3 remove samples" \
	test "$(jq -r '[.cycles, .failures, ."add-ms".n, ."remove-ms".n] |
	  join(",")' "$out")" = "3,0,3,3"
# The pauses as QEMU saw them (events.jsonl, seconds since the start):
# from each confirmed plug to the guest's first _OST of the unplug, and
# from each confirmed unplug to the _OST of the next plug: five of them,
# none under 400 ms, and the JSON says 400.
paused_400() {
	test "$(jq -r '."pause-ms"' "$out")" = 400 &&
	test "$(jq -rs '[range(0; length) as $i | .[$i] as $e
		| select($e.event == "HOTCPU_PLUG" or $e.event == "HOTCPU_UNPLUG")
		| (if $e.event == "HOTCPU_PLUG" then 3 else 1 end) as $src
		| first(.[$i + 1:][] | select(.event == "ACPI_DEVICE_OST" and
			.data.info.source == $src)) | .t - $e.t]
		| "\(length) \(min >= 0.4)"' "$rt/t/events.jsonl")" = "5 true"
}
check "... waited 400 ms after each plug and unplug" paused_400
check "... restarted the VM for the budget and said so" \
	test "$(jq -r .restarts "$out")" = 1 -a -n "$(grep 'restarting VM t' "$err")"
check "... the VM is back to 1 CPU, online in the guest" \
	test "$(field t .present)/$(guest_online t)" = "1/0"

expect 0 "stop" -- stop --name t
check "... QEMU is gone" test "$(jq -r .state "$rt/t/state.json")" = exited
expect 0 "list after stop" -- list
check "... no longer shows VM t" eval '! in_out "^t "'
expect 6 "status of a stopped VM" -- status --name t

# SeaBIOS: Linux refuses the CPU (QEMU's MADT), and says so on the console.
# Under TCG only: with KVM the guest sees a hypervisor and accepts it.
expect 0 "run --firmware seabios" -- run --name sea --firmware seabios \
	--accel tcg --detach
expect 4 "plug on SeaBIOS: the guest refuses" -- plug --name sea
check "... reported as the guest's refusal" \
	in_out "the guest refused the CPU: \"ACPI: Unable to map lapic"
check "... QEMU has the vCPU, the guest does not run it" \
	test "$(field sea '.cpus[1] | [.present, .online] | join(",")')" = "true,false"
expect 0 "unplug the refused CPU" -- unplug --name sea --id cpu1
expect 0 "stop the SeaBIOS VM" -- stop --name sea

# QEMU's own refusal: OVMF with SMM negotiates SMI broadcast, and this
# machine does not offer CPU hotplug with SMI.
expect 0 "run --firmware ovmf-smm -- (QEMU arguments)" -- run --name smi \
	--firmware ovmf-smm --detach -- -global ICH9-LPC.x-smi-cpu-hotplug=off \
	-global ICH9-LPC.x-smi-cpu-hotunplug=off
expect 3 "plug that QEMU refuses" -- plug --name smi
check "... reported with QEMU's words" \
	in_out "QEMU refused device_add: GenericError: cpu hotplug with SMI wasn't enabled by firmware"
check "... the VM runs on with 1 CPU" test "$(field smi .present)" = 1
expect 0 "stop the OVMF VM" -- stop --name smi
check "--accel auto ran the KVM probe and recorded its verdict" \
	test "$(jq -r '.ok | type' "$rt/kvm-probe.json")" = boolean

echo "1..$n"
[ "$failed" = 0 ]
