# The chaos soak's VMs and their guests (sourced by tests/chaos/soak.sh):
# start one with `hotcpu run`, talk to guest/chaos.sh over ttyS1, read
# what QEMU and the guest say, and check the guest console and debugcon.
# Uses: $hotcpu $qmpcmd $build $imgdir $out $rt (the runtime base) and
# $guest_warnings (tests/guest-warnings.sh).

# vm_start KIND MAXCPUS: the VM chaos-KIND (a new one under the same name
# after a kill), 2 boot vCPUs, SMM on, our firmware or $firmware. Besides
# hotcpu's own sockets it has KIND-b.sock for the second hotcpu process,
# KIND-s.sock for the soak's own queries, and ttyS1 for the chaos
# daemon: commands through a new FIFO per VM (no command of a killed
# VM's left for the next), which the soak holds open so that QEMU's open
# never waits; answers into the file KIND.ttyS1.
vm_start() {
	local kind=$1 max=$2 lpj append
	vm=chaos-$kind
	vmdir=$rt/$vm
	sockb=$rt/$kind-b.sock
	socks=$rt/$kind-s.sock
	ctl=$rt/$kind.ctl
	ttys1=$rt/$kind.ttyS1
	rm -f "$ttys1"
	[ -n "${ctlfd:-}" ] && exec {ctlfd}>&-
	rm -f "$ctl"
	mkfifo "$ctl"
	exec {ctlfd}<>"$ctl"
	lpj=$(awk '/cpu MHz/ { printf "%d", $4 * 1e6 / 250; exit }' /proc/cpuinfo)
	append="console=ttyS0 panic=-1 lpj=$lpj iomem=relaxed"
	[ "$kind" = bundled ] && append="$append rdinit=/bin/chaos"
	"$hotcpu" run --name "$vm" --cpus 2 --max-cpus "$max" --smm on \
		${firmware:+--firmware "$firmware"} --accel tcg \
		--kernel "$build/guest/vmlinuz" --initrd "$imgdir/$kind.img" --append "$append" --detach \
		--timeout 300 -- \
		-qmp "unix:$sockb,server=on,wait=off" \
		-qmp "unix:$socks,server=on,wait=off" \
		-chardev "file,id=chaos,path=$ttys1,input-path=$ctl" \
		-device isa-serial,chardev=chaos
}

vm_qemu_pid() { jq -r '."qemu-pid"' "$vmdir/state.json"; }

# gcmd CMD [ARGS...]: sends "CMD SEQ ARGS" to the chaos daemon and sets
# $reply to the words of its answer after SEQ; 1 if none comes within
# $gcmd_timeout seconds (a hung guest, or one that lost its console).
# The daemon answers on ttyS1, a file of its own lines only. Runs in the
# soak's shell, never in $(...): SEQ counts on across VMs.
seq_no=$$
reply=
gcmd() {
	local cmd=$1 up i line
	shift
	seq_no=$((seq_no + 1))
	up=${cmd^^}
	reply=
	printf '%s %d %s\n' "$cmd" "$seq_no" "$*" >&"$ctlfd"
	for ((i = 0; i < gcmd_timeout * 20; i++)); do
		line=$(grep -a -n -m1 "^CHAOS-$up $seq_no " "$ttys1" 2>/dev/null)
		# Only once its newline is in the file: QEMU writes a long
		# answer in pieces, and half of it once failed a VM.
		if [ -n "$line" ] && [ "$(wc -l <"$ttys1")" -ge "${line%%:*}" ]; then
			line=${line#*:}
			reply=${line#"CHAOS-$up $seq_no "}
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# wait_ready: the chaos daemon's first line.
wait_ready() {
	local i
	for ((i = 0; i < 1200; i++)); do
		grep -a -q "^CHAOS-READY 0 " "$ttys1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Expands "0-2,5" to "0 1 2 5".
expand() {
	local r lo hi out=
	for r in ${1//,/ }; do
		lo=${r%-*} hi=${r#*-}
		out="$out $(seq "$lo" "$hi" | tr '\n' ' ')"
	done
	echo $out
}

# QEMU's present vCPU indexes, from the soak's own QMP socket. hotcpu
# numbers slots by topology and so does the guest (QEMU's MADT order):
# with 1 socket of MAXCPUS cores the index is the core.
qemu_present() {
	echo $("$qmpcmd" "$socks" query-hotpluggable-cpus |
		jq -r '[.[] | select(."qom-path") | .props."core-id"] | sort | .[]')
}

# TSEG base and size in bytes from the firmware's line.
tseg() {
	grep -a -o 'TSEG 0x[0-9a-f]* ([0-9]* MiB)' "$vmdir/debugcon.log" |
		head -n1 | awk '{ gsub(/[(]/, "", $3); printf "%s %d", $2, $3 * 1048576 }'
}

# smram_ok: TSEG and 0x30000-0x4ffff read 0xff from the guest, through
# an mmap of /dev/mem (iomem=relaxed): what the chipset lets a CPU
# outside SMM see of SMRAM. Sets $reply to the daemon's answer.
smram_ok() {
	local t
	t=$(tseg)
	[ -n "$t" ] || { reply="no TSEG line in debugcon.log"; return 1; }
	gcmd smram $t || { reply="no answer"; return 1; }
	[ "$(echo "$reply" | grep -o 'distinct=1 first=ff' | wc -l)" = 2 ]
}

# Lines the guest console must never show, and the firmware's panic.
console_bad="$guest_warnings|hard LOCKUP|self-detected stall|rcu_sched detected stall|blocked for more than|Kernel panic|BUG:|WARNING:|Call Trace"
console_count() { grep -a -c -E "$1" "$vmdir/serial.log" 2>/dev/null; }
fw_count() { grep -a -c -E "$1" "$vmdir/debugcon.log" 2>/dev/null; }

# CPUs QEMU removed: its DEVICE_DELETED for each CPU's lapic child, the
# one it sends under TCG (and also under KVM, with the CPU's own).
removed_cpus() { grep -c '"DEVICE_DELETED".*/lapic"' "$vmdir/events.jsonl" 2>/dev/null; }
