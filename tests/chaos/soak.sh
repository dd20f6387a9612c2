#!/bin/bash
# Chaos soak: SMM-protected CPU hot-add and hot-remove (-M q35,smm=on,
# build/hotcpu.fd) while everything else goes wrong at once, with two
# guests: the bundled one (its CPU agent onlines hot-added CPUs) and one
# that is not ours, whose userspace onlines every offline CPU it sees,
# every 20 ms, racing the kernel's own offlining of a CPU being ejected
# (tests/chaos/build-initrd.sh). CHAOS_CYCLES add/remove cycles in all,
# half per guest, over VMs of 2 boot vCPUs sized for QEMU 10.0 TCG's
# budget (maxcpus - 2 hot-adds over a VM's life: a VM ends before it
# would abort QEMU, and a new one starts under the same name).
#
# At the same time:
#   - a CPU-hungry guest: 6 busy loops (CHAOS_HOGS);
#   - the host oversubscribed: up to 8 vCPUs, all busy, on 2 host cores;
#   - two hotcpu processes plug and unplug the same VM: A by name, B
#     through --qmp on a second QMP socket. Both pick the lowest free
#     slots and the highest CPUs, so they collide. What a user gets then
#     (tests/chaos/drivers.sh): every command ends with a clear answer:
#     confirmed (exit 0), or refused because the other got there first
#     and saying so (exit 3 with QEMU's "Duplicate ID" or "not found",
#     exit 7 "no free slot"/"removable CPUs"/"another QMP client
#     unplugged it"), and nothing is lost: afterwards every CPU QEMU
#     lists is online in the guest. hotcpu counts only A's plugs against
#     TCG's budget, so the soak counts both and ends the VM in time;
#   - random bytes from the guest to port 0xB2 and to the CPU hotplug
#     register block (guest/chaos.sh). What they may include:
#       0xB2: every byte but 4 and 3, at any time. 4 is the hotplug
#       command of QEMU's own AML, written under the AML's lock CPLK: a
#       4 from anywhere else makes SMM scan the register block, which
#       rewrites its selector under an AML method running on another
#       CPU (between its selector write and its flags read), and breaks
#       the guest's own hotplug whatever the firmware does (the model's
#       aml-clobbered). 3 is ACPI disable: the guest switching its own
#       ACPI off. Every other byte is an SMI the firmware must take,
#       open and close a session for, and leave the block alone
#       (docs/smm-cpu-hotplug.md, Sessions), also in the middle of the
#       AML's hotplug SMIs.
#       Register block: writes of the selector (any value, valid or not,
#       1, 2 or 4 bytes) and of the command register (any byte), reads
#       of every register, and only in a quiet window, when no hot-plug
#       is in flight. Never the control register: its bits clear insert
#       and remove events (the guest eating its own events) or eject a
#       CPU or hand it to the firmware for ejection (the guest ejecting
#       its own CPUs, which the firmware must obey); never command data
#       (it forges the guest's _OST reports to QEMU). Not while a hot-
#       plug is in flight, because the selector and command are the
#       AML's state between its accesses and userspace cannot take
#       CPLK: a selector moved in the middle of _EJ0 makes QEMU set
#       fw_remove on the wrong CPU, and the firmware rightly ejects a CPU
#       the guest still runs. The firmware reads the block only in a
#       session of the AML's own SMI, a broadcast that holds every CPU
#       in SMM, so no guest write lands in its scan anyway; what the junk
#       does test is that the firmware starts every scan from whatever
#       state the junk left, an invalid selector included (QEMU then
#       ignores writes to every other register);
#   - the guest offlining and onlining CPUs itself (the onliner guest
#     brings every such CPU back within 20 ms);
#   - QEMU killed with SIGKILL in the middle of a plug (the first of
#     every three VMs of a guest), `hotcpu status` right after, then a
#     new VM under the same name.
#
# Pass: no CPU lost (at every quiet window, every 6 rounds and at a VM's
# end, every CPU QEMU lists present is online in the guest within 60 s,
# or a hotcpu answer named it), no guest hang (the chaos daemon answers
# within CHAOS_HANG_S, 120 s) or soft lockup, no firmware PANIC or
# refusal, no "Eject incomplete" (nor any other line of $console_bad), no unclear
# hotcpu answer, `hotcpu status` right after each kill says QEMU was
# killed and which plug it cut short, and SMRAM (TSEG and
# 0x30000-0x4ffff, mmap of /dev/mem) reads 0xff at the end of every VM
# (of a killed one: before its last plugs). Prints a table of what it
# injected and what it saw (also OUT/table.txt); keeps the logs of every
# VM that failed in OUT/vm-N-KIND/ (of the VM it was in when interrupted
# in OUT/vm-N-KIND-interrupted/). OUT/rounds.log has every round's
# operations, answers and seconds, and the seconds of each VM's phases.
# Exit 1 on any failure.
#
# Usage: tests/chaos/soak.sh BUILD; parameters by environment:
#   CHAOS_CYCLES (3000)     add/remove cycles in all
#   CHAOS_SLOTS ("130 66 194 98")  maxcpus of each guest's VMs in turn
#   CHAOS_GUESTS ("bundled onliner")  the guests, one or both
#   CHAOS_OUT (a new BUILD/chaos/soak-DATE-TIME)  results and logs; a
#                           run goes on from the VMs already recorded there
#   CHAOS_TIME_S (0: none)  no new round after this many seconds: the
#                           VM ends as usual and the table is printed
#   CHAOS_CHUNK_VMS (0: none)  stop after N VMs (run again to go on)
#   CHAOS_FIRMWARE          firmware image instead of BUILD/hotcpu.fd
#   CHAOS_HOGS (6)          busy loops in the guest
#   CHAOS_OP_TIMEOUT (90)   each hotcpu command's --timeout
#   CHAOS_HANG_S (120)      a guest that does not answer within this
#                           many seconds hangs
#   CHAOS_SEED (1)
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
cycles=${CHAOS_CYCLES:-3000}
slots=(${CHAOS_SLOTS:-130 66 194 98})
guests=(${CHAOS_GUESTS:-bundled onliner})
hotcpu=$build/hotcpu
qmpcmd=$build/tests/tools/qmp-cmd
imgdir=$build/chaos
out=${CHAOS_OUT:-$build/chaos/soak-$(date +%Y%m%d-%H%M%S)}
time_s=${CHAOS_TIME_S:-0}
chunk=${CHAOS_CHUNK_VMS:-0}
firmware=${CHAOS_FIRMWARE:-}
seed=${CHAOS_SEED:-1}
hogs=${CHAOS_HOGS:-6}
op_timeout=${CHAOS_OP_TIMEOUT:-90}
gcmd_timeout=${CHAOS_HANG_S:-120}
cap=8
rounds_per_quiet=6
# shellcheck source=tests/guest-warnings.sh
. "$here/../guest-warnings.sh"
. "$here/guest.sh"
. "$here/drivers.sh"
. "$here/table.sh"

for f in "$hotcpu" "$qmpcmd" "$build/hotcpu.fd" "$build/guest/vmlinuz" \
	"$imgdir/bundled.img" "$imgdir/onliner.img" ${firmware:+"$firmware"}; do
	[ -e "$f" ] || { echo "soak-chaos: $f is missing (make soak-chaos builds it)"; exit 1; }
done
for c in qemu-system-x86_64 jq timeout; do
	command -v $c >/dev/null || { echo "soak-chaos: $c is missing (make deps)"; exit 1; }
done
for g in "${guests[@]}"; do
	case $g in
	bundled | onliner) ;;
	*) echo "soak-chaos: CHAOS_GUESTS: '$g' is neither bundled nor onliner"; exit 1 ;;
	esac
done
for s in "${slots[@]}"; do
	case $s in
	*[!0-9]* | '') echo "soak-chaos: CHAOS_SLOTS: '$s' is not a number of vCPUs"; exit 1 ;;
	esac
	[ "$s" -ge 8 ] && [ "$s" -le 255 ] ||
		{ echo "soak-chaos: CHAOS_SLOTS: $s is not in 8..255 (2 boot vCPUs, 2 for the kill, room to plug)"; exit 1; }
done
mkdir -p "$out"
results=$out/results
touch "$results"
rt=$(mktemp -d /tmp/hotcpu-chaos.XXXXXX)
export HOTCPU_RUNTIME_DIR=$rt
# An interrupted soak (Ctrl-C, timeout) keeps the logs of the VM it was
# in, whatever it had seen so far.
vmdir=
cleanup() {
	local k pid
	[ -n "${rdir:-}" ] && drivers_kill
	for k in bundled onliner; do
		[ -e "$rt/chaos-$k/state.json" ] || continue
		pid=$(jq -r '."qemu-pid" // empty' "$rt/chaos-$k/state.json" 2>/dev/null)
		"$hotcpu" stop --name chaos-$k >/dev/null 2>&1
		# A command that holds the VM's lock can keep stop out.
		[ -n "$pid" ] && grep -q qemu "/proc/$pid/comm" 2>/dev/null &&
			kill -9 "$pid"
	done
	if [ -n "$interrupted" ] && [ -n "$vmdir" ] && [ -d "$vmdir" ]; then
		mkdir -p "$out/vm-$vmno-$kind-interrupted"
		cp -a "$vmdir/." "$ttys1" "$out/round" \
			"$out/vm-$vmno-$kind-interrupted/" 2>/dev/null
		echo "# interrupted in VM $vmno ($vm): its logs are in $out/vm-$vmno-$kind-interrupted"
	fi
	rm -rf "$rt"
}
interrupted=
trap cleanup EXIT
trap 'interrupted=1; exit 130' INT TERM

# Per-VM tallies, written as one results line (table.sh sums them).
declare -A n
note() { n[$1]=$(( ${n[$1]:-0} + ${2:-1} )); }
fail() {
	note failures
	echo "# VM $vmno ($vm): $*" | tee -a "$out/failures"
}
load_sample() {
	note load_x100 "$(awk '{ printf "%d", $1 * 100 }' /proc/loadavg)"
	note load_samples
}

# One quiet window: the guest stops changing CPUs itself and brings back
# what it took offline, junk goes to the register block, and QEMU's
# present CPUs must all be online in the guest within 60 s.
quiet() {
	local present online i missing t0
	gcmd quiet || { note hangs; fail "guest did not answer 'quiet'"; return 1; }
	gcmd regjunk 120 "$max" || { note hangs; fail "guest did not answer 'regjunk'"; return 1; }
	note regjunk_writes "${reply%% *}"
	t0=$SECONDS
	while :; do
		present=$(qemu_present)
		gcmd online || { note hangs; fail "guest did not answer 'online'"; return 1; }
		online=$(expand "${reply#online=}")
		[ "$present" = "$online" ] && break
		[ $((SECONDS - t0)) -ge 60 ] && break
		sleep 0.5
	done
	note quiet_windows
	missing=
	for i in $present; do
		case " $online " in *" $i "*) ;; *) missing="$missing $i" ;; esac
	done
	for i in $missing; do
		if grep -q -E "cpu$i\b" "$out/unclear-ids" 2>/dev/null; then
			note lost_reported
		else
			note lost
			fail "CPU $i present in QEMU, not online in the guest after 60 s (online: $online)"
		fi
	done
	for i in $online; do
		case " $present " in *" $i "*) ;; *)
			note ghosts
			fail "CPU $i online in the guest, not present in QEMU" ;;
		esac
	done
	: >"$out/unclear-ids"
	gcmd start flip || { note hangs; fail "guest did not answer 'start'"; return 1; }
}

# choose: sets op to an operation for one driver, given $present CPUs,
# $planned adds this round and $left of the VM's budget.
choose() {
	local r=$((RANDOM % 10)) room=$((cap - present - planned)) k
	if [ "$left" -gt 0 ] && [ "$room" -gt 0 ] && { [ $r -lt 5 ] || [ "$present" -le 2 ]; }; then
		k=$((1 + RANDOM % 3))
		[ $k -gt $room ] && k=$room
		[ $k -gt "$left" ] && k=$left
		planned=$((planned + k))
		left=$((left - k))
		op="plug $k"
	elif [ "$present" -gt 1 ] && [ $r -lt 9 ]; then
		k=$((1 + RANDOM % 3))
		[ $k -gt $((present - 1)) ] && k=$((present - 1))
		op="unplug $k"
	else
		op=idle
	fi
}

# tally WHO OP: counts one answer; an unclear one keeps its round.
tally() {
	local who=$1 op=$2 a
	[ "$op" = idle ] && return
	a=$(answer "$who")
	note "ans_$a"
	note "cmd_${who}_${op% *}"
	note conf_adds "$(confirmed_adds "$who")"
	note conf_removes "$(confirmed_removes "$who")"
	if [ "$a" = unclear ] || { [ "$a" = lost ] && [ "$killing" = 0 ]; }; then
		round_failed=1
		fail "$who: hotcpu $op: exit $(cat "$rdir/$who.rc" 2>/dev/null): $(head -c 300 "$rdir/$who.err" | tr '\n' ' ')"
		grep -h -o -E 'cpu[0-9]+' "$rdir/$who.out" "$rdir/$who.err" >>"$out/unclear-ids"
		mkdir -p "$out/vm-$vmno-$kind/rounds"
		cp -a "$rdir" "$out/vm-$vmno-$kind/rounds/$rounds-$who"
	fi
}

# said WHO OP: "plug:2:ok", for rounds.log.
said() {
	if [ "$2" = idle ]; then
		echo idle
	else
		echo "${2// /:}:$(answer "$1")"
	fi
}

# round: one operation for A and one for B at once; each round's line
# goes to OUT/rounds.log (VM, round, A's and B's answers, seconds).
round() {
	local opa opb t0=$EPOCHREALTIME
	present=$(qemu_present | wc -w)
	[ "$present" -gt "${n[max_present]:-0}" ] && n[max_present]=$present
	planned=0
	choose
	opa=$op
	choose
	opb=$op
	rm -f "$rdir"/*
	[ "$opa" != idle ] && drive a $opa
	[ "$opb" != idle ] && drive b $opb
	[ "$opa" != idle ] && [ "$opb" != idle ] && note both_at_once
	wait
	rounds=$((rounds + 1))
	tally a "$opa"
	tally b "$opb"
	echo "$vmno $kind $rounds a=$(said a "$opa") b=$(said b "$opb") present=$present $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')" >>"$out/rounds.log"
}

# kill_mid_plug: both processes plug, QEMU gets SIGKILL once QEMU has
# one of the new vCPUs, `hotcpu status` runs right after.
kill_mid_plug() {
	local before i pid rc st
	before=$(qemu_present | wc -w)
	rm -f "$rdir"/*
	killing=1
	drive a plug 1
	drive b plug 1
	for ((i = 0; i < 300; i++)); do
		[ "$(qemu_present | wc -w)" -gt "$before" ] && break
		sleep 0.1
	done
	sleep "0.$((RANDOM % 4))"
	pid=$(vm_qemu_pid)
	kill -9 "$pid"
	note kills
	"$hotcpu" status --name "$vm" >"$rdir/status.out" 2>"$rdir/status.err"
	rc=$?
	wait
	tally a "plug 1"
	tally b "plug 1"
	killing=0
	st=$(cat "$rdir/status.err")
	if [ $rc = 6 ] && echo "$st" | grep -q "QEMU killed by signal 9" &&
	   { [ "$(answer a)" != lost ] ||
	     echo "$st" | grep -q -E "cut short 'plug cpu[0-9]+'"; }; then
		note status_ok
	else
		fail "hotcpu status after the kill (exit $rc) does not say what happened: $(echo "$st" | tr '\n' ' ')"
		mkdir -p "$out/vm-$vmno-$kind"
		cp -a "$rdir" "$out/vm-$vmno-$kind/kill"
	fi
	echo "$st" | sed 's/^/#   status: /' | head -n 2
}

# End of a VM: what its console and debugcon showed, its counts.
vm_verdict() {
	local c r
	c=$(console_count "Eject incomplete"); note eject_incomplete "$c"
	[ "$c" = 0 ] || fail "$c \"Eject incomplete\" lines"
	c=$(console_count "soft lockup|hard LOCKUP|self-detected stall|detected stall|blocked for more than")
	note lockups "$c"
	[ "$c" = 0 ] || fail "$c soft lockup or stall lines"
	c=$(console_count "$console_bad")
	note console_bad "$c"
	[ "$c" = 0 ] || fail "guest console: $(grep -a -m3 -E "$console_bad" "$vmdir/serial.log" | tr '\r\n' '  ')"
	c=$(fw_count PANIC); note panics "$c"
	[ "$c" = 0 ] || fail "firmware: $(grep -a -m1 PANIC "$vmdir/debugcon.log")"
	# An honest QEMU earns none (the model's invariant "refused"); an
	# insert event its CSCN has not cleared yet is skipped, not refused.
	r=$(fw_count '; refused$')
	note fw_refusals "$r"
	[ "$r" = 0 ] || fail "firmware refusals: $(grep -a -m2 '; refused$' "$vmdir/debugcon.log" | tr '\n' ' ')"
	note fw_admitted "$(fw_count 'smm: hot-add CPU .* admitted')"
	note fw_ejected "$(fw_count 'smm: hot-remove CPU .* ejected')"
	# Not failures: where SMM sent a CPU that the SMI did not find in
	# code it can go on with (smm_session.c, resume()).
	note fw_reset_resumes "$(fw_count 'was in the reset state: resumes')"
	note fw_torn_resumes "$(fw_count 'relocated into real-mode code that is not the trampoline')"
	note removes "$(removed_cpus)"
}

# phase NAME: OUT/rounds.log gets NAME and the seconds since the last
# phase or round began.
phase_t=
phase() {
	echo "$vmno $kind $1 $(awk -v a="$phase_t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')" >>"$out/rounds.log"
	phase_t=$EPOCHREALTIME
}

time_up() { [ "$time_s" -gt 0 ] && [ $((SECONDS - start_s)) -ge "$time_s" ]; }

# One VM from boot to its end.
run_vm() {
	local t0=$SECONDS budget kv
	n=()
	rounds=0
	killing=0
	rdir=$out/round
	mkdir -p "$rdir"
	: >"$out/unclear-ids"
	RANDOM=$((seed * 1000 + vmno))
	load_sample
	phase_t=$EPOCHREALTIME
	if ! vm_start "$kind" "$max" >"$out/run.out" 2>&1; then
		note hangs
		fail "hotcpu run: $(tail -n 3 "$out/run.out" | tr '\n' ' ')"
		return
	fi
	phase boot
	if ! wait_ready; then
		note hangs
		fail "the chaos daemon never came up"
		return
	fi
	phase ready
	gcmd hog "$hogs" && gcmd start apm flip ||
		{ note hangs; fail "guest did not answer 'hog' or 'start'"; return; }
	# Two plugs stay for the kill at the end.
	budget=$((max - 2 - 2))
	left=$budget
	# A round with an unclear answer ends the VM: a QEMU or guest that
	# stopped answering would make every later round wait out its
	# timeouts.
	round_failed=0
	while [ "$left" -gt 0 ] && [ $((done_kind + ${n[removes_live]:-0})) -lt "$target" ] &&
	      [ "$round_failed" = 0 ] && ! time_up; do
		round
		phase_t=$EPOCHREALTIME
		if [ $((rounds % rounds_per_quiet)) = 0 ]; then
			quiet || return
			phase quiet
			load_sample
			n[removes_live]=$(removed_cpus)
			printf '# VM %d %s: round %d, %d vCPUs left to create, %d removes\r' \
				"$vmno" "$kind" "$rounds" "$left" "${n[removes_live]}" >&2
		fi
	done
	unset 'n[removes_live]'
	phase_t=$EPOCHREALTIME
	quiet || return
	phase quiet
	note adds_planned $((budget - left))
	gcmd counts && for kv in $reply; do
		case $kv in
		apm=*) note apm_writes "${kv#apm=}" ;;
		flip=*) kv=${kv#flip=}; note flip_offline "${kv%%/*}"; kv=${kv#*/}; note flip_online "${kv%%/*}" ;;
		onliner=*) note onliner_onlines "${kv#onliner=}" ;;
		hogs=*) note hogs "${kv#hogs=}" ;;
		esac
	done
	gcmd stopall || { note hangs; fail "guest did not answer 'stopall'"; return; }
	# After the hogs: 16 MiB read byte by byte.
	if smram_ok; then
		note smram_ok
	else
		fail "SMRAM is visible or unread: $reply"
	fi
	phase end-checks
	if [ "$ending" = kill ]; then
		kill_mid_plug
	else
		"$hotcpu" stop --name "$vm" >/dev/null 2>&1
	fi
	phase "$ending"
}

# One VM, its verdict and its results line. A VM that failed keeps its
# runtime directory (the next VM of that name would remove it) and its
# ttyS1 output.
# forensics: a QEMU that no longer answers QMP, as the host sees it
# before it is killed: each thread's state and CPU time, twice 1 s
# apart (which ones spin, which wait), and gdb's backtraces (libc frames:
# Debian's QEMU is stripped), into the VM's runtime directory.
forensics() {
	local pid f=$vmdir/qemu-threads.txt t s
	pid=$(jq -r '."qemu-pid" // empty' "$vmdir/state.json" 2>/dev/null)
	[ -n "$pid" ] && grep -q qemu "/proc/$pid/comm" 2>/dev/null || return 0
	timeout 5 "$qmpcmd" "$vmdir/qmp.sock" query-status \
		>/dev/null 2>&1 && return 0
	note qemu_hangs
	fail "QEMU (pid $pid) does not answer QMP: threads in $(basename "$f")"
	for t in 1 2; do
		echo "# sample $t: tid comm state utime stime (clock ticks)"
		for s in /proc/"$pid"/task/*; do
			echo "${s##*/} '$(cat "$s/comm")'" \
				"$(sed 's/.*) //' "$s/stat" | awk '{ print $1, $12, $13 }')"
		done
		sleep 1
	done >"$f" 2>&1
	command -v gdb >/dev/null &&
		timeout 60 gdb -p "$pid" -batch -ex 'info threads' \
			-ex 'thread apply all bt' >>"$f" 2>&1
	return 0
}

vm() {
	local t0=$SECONDS k line
	run_vm
	[ "${n[failures]:-0}" != 0 ] && forensics
	# A VM that stopped early is still running: end it before the
	# verdict, so that its logs are complete.
	"$hotcpu" stop --name "$vm" >/dev/null 2>&1
	vm_verdict
	note seconds $((SECONDS - t0))
	note vms
	if [ "${n[failures]:-0}" != 0 ]; then
		mkdir -p "$out/vm-$vmno-$kind"
		cp -a "$vmdir/." "$out/vm-$vmno-$kind/" 2>/dev/null
		cp "$ttys1" "$out/vm-$vmno-$kind/" 2>/dev/null
	fi
	line="vm=$vmno kind=$kind max=$max end=$ending rounds=$rounds"
	for k in "${!n[@]}"; do line="$line $k=${n[$k]}"; done
	echo "$line" >>"$results"
}

# The plan: VMs alternate between the guests until each has its share
# of the cycles in hot-removes; the first of every three VMs of a guest
# ends with a kill, and the next VM is that guest's again, under the
# same name.
target=$(((cycles + ${#guests[@]} - 1) / ${#guests[@]}))
started=0
start_s=$SECONDS
last_end=
kind=
echo "# chaos soak: $cycles cycles, guests ${guests[*]}, VM slots ${slots[*]}, seed $seed${firmware:+, firmware $firmware}, logs in $out"
echo "# host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
while :; do
	if [ "$chunk" -gt 0 ] && [ $started -ge "$chunk" ]; then
		echo "# stopped after $chunk VMs (CHAOS_CHUNK_VMS); run again to go on"
		break
	fi
	if time_up; then
		echo "# stopped after $time_s s (CHAOS_TIME_S)"
		break
	fi
	# The guest furthest from its share, or the killed one again.
	if [ "$last_end" != kill ] || [ "$(sum_kind "$kind" removes)" -ge $target ]; then
		kind=
		best=$target
		for g in "${guests[@]}"; do
			d=$(sum_kind "$g" removes)
			[ "$d" -lt "$best" ] && kind=$g best=$d
		done
		[ -n "$kind" ] || break
	fi
	done_kind=$(sum_kind "$kind" removes)
	vmno=$(($(wc -l <"$results") + 1))
	j=$(grep -c "kind=$kind " "$results")
	max=${slots[$((j % ${#slots[@]}))]}
	ending=stop
	[ $((j % 3)) = 0 ] && ending=kill
	echo "# VM $vmno: $kind guest, maxcpus $max, ends with $ending"
	vm
	last_end=$ending
	started=$((started + 1))
	tail -n 1 "$results" | sed 's/^/# /'
done
print_table $((SECONDS - start_s)) | tee "$out/table.txt"
[ "$(sum_all failures)" = 0 ]
