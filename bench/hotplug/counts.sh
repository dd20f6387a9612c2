# shellcheck shell=bash disable=SC2154
# Sourced by run.sh: SMIs, SMM entries and CPU hotplug register-block
# accesses per hot-add and per hot-remove, from QEMU's own logs.
#
# QEMU has no SMI trace event. A write to APM_CNT (port 0xB2, trace
# event apm_io_write at addr 0x0) from outside SMM is an SMI: q35
# broadcasts it to every CPU once the firmware negotiated SMI broadcast.
# hotcpu's handler clears APM_CNT with SMI_EN.APMC_EN off, a write that
# raises none: writes in SMM are not counted. SMM entries are TCG's
# "SMM: enter" lines of `-d int` (they count the firmware's directed
# SMIs too). Register-block accesses are memory_region_ops_read/write on
# region acpi-cpu-hotplug (io 0xcd8-0xce3), by QEMU's AML and by the
# firmware alike. QEMU logs one file per thread (-d tid), so per vCPU:
# an access between that vCPU's "SMM: enter" and "SMM: after RSM" was
# made in SMM. A vCPU that is ejected in SMM never leaves it, which is
# why the depth is counted per file and not across the whole log.
# Needs: hotcpu, hmp, out, maxcpus, append, windows, hang_s, boot().

count_events="apm_io_write memory_region_ops_read memory_region_ops_write"

# The monitor commands that open and close a window.
count_hmp() {
	local sock=$1 state=$2 e
	local cmds=()

	[ "$state" = on ] && cmds+=("log int")
	for e in $count_events; do
		cmds+=("trace-event $e $state")
	done
	# With -d tid and the log backend QEMU keeps trace output on
	# whatever the mask says: the events themselves must go off.
	[ "$state" = off ] && cmds+=("log none")
	"$hmp" "$sock" "${cmds[@]}"
}

# Prints for the per-thread log slices in directory $1: SMIs, SMM
# entries, the same per vCPU that had any ("1+2", in thread order),
# register-block accesses, and of them the ones made in SMM.
count_tally() {
	awk 'FNR == 1 { depth = 0; t++ }
	/^SMM: enter/ { smm[t]++; depth++ }
	/^SMM: after RSM/ { if (depth) depth-- }
	/^apm_io_write .*addr=0x0 / { if (!depth) smi++ }
	/^memory_region_ops_(read|write) .* name .acpi-cpu-hotplug.$/ {
		acc++
		if (depth)
			in_smm++
	}
	END {
		per = ""
		for (i = 1; i <= t; i++) {
			if (!smm[i])
				continue
			per = per (per == "" ? "" : "+") smm[i]
			total += smm[i]
		}
		printf "%d %d %s %d %d\n", smi, total, per == "" ? "0" : per,
			acc, in_smm
	}' "$1"/* /dev/null
}

# Runs a command in window $3 of the VM with monitor $1 and logs in $2:
# the interrupt log and the trace events are on only meanwhile, so each
# thread's log grows only inside windows; its new lines go to $2/$3/,
# the tally to $2/$3.txt, the command's output and exit status to
# $2/$3.out and $2/$3.rc.
count_window() {
	local sock=$1 logs=$2 label=$3 rc=0 f n
	shift 3
	mkdir -p "$logs/$label"
	for f in "$logs"/thread-*.log; do
		[ -e "$f" ] || continue
		echo "$(wc -l <"$f") ${f##*/}"
	done >"$logs/$label.before"
	count_hmp "$sock" on
	"$@" >"$logs/$label.out" 2>&1 || rc=$?
	echo "$rc" >"$logs/$label.rc"
	# hotcpu returns after the guest's last _OST: nothing is left to
	# come but late log lines of other threads.
	sleep 0.5
	count_hmp "$sock" off
	for f in "$logs"/thread-*.log; do
		[ -e "$f" ] || continue
		n=$(awk -v f="${f##*/}" '$2 == f { print $1 }' \
			"$logs/$label.before")
		tail -n +$((${n:-0} + 1)) "$f" >"$logs/$label/${f##*/}"
	done
	count_tally "$logs/$label" >"$logs/$label.txt"
}

# Boots VM bench-count-$1 on firmware $2 (more `hotcpu run` arguments
# follow) with a monitor socket and per-thread logs in $out/count-$1/,
# then counts an idle second and $windows hot-adds and hot-removes. An
# add that times out (OVMF with SMM under TCG) ends the windows and is
# recorded in $out/count-$1/hang.
count_run() {
	local key=$1 fw=$2 name=bench-count-$1 logs=$out/count-$1 sock rc
	shift 2
	sock=$HOTCPU_RUNTIME_DIR/$key.hmp
	rm -rf "$logs" && mkdir -p "$logs"
	boot "$name" "$fw" "$@" -- \
		-monitor "unix:$sock,server=on,wait=off" \
		-D "$logs/thread-%d.log" -d tid
	count_window "$sock" "$logs" idle sleep 1
	for i in $(seq "$windows"); do
		count_window "$sock" "$logs" "add-$i" "$hotcpu" plug \
			--name "$name" --timeout "$hang_s"
		rc=$(cat "$logs/add-$i.rc")
		if [ "$rc" = 5 ]; then
			cp "$logs/add-$i.out" "$logs/hang"
			break
		elif [ "$rc" != 0 ]; then
			echo "bench-hotplug: hot-add on $key failed:" >&2
			cat "$logs/add-$i.out" >&2
			return 1
		fi
		count_window "$sock" "$logs" "remove-$i" "$hotcpu" unplug \
			--name "$name"
		if [ "$(cat "$logs/remove-$i.rc")" != 0 ]; then
			echo "bench-hotplug: hot-remove on $key failed:" >&2
			cat "$logs/remove-$i.out" >&2
			return 1
		fi
	done
	"$hotcpu" stop --name "$name" >/dev/null
	cp "$HOTCPU_RUNTIME_DIR/$name/debugcon.log" "$logs/debugcon.log"
}

# Field $3 (1 SMIs, 2 SMM entries, 3 per vCPU, 4 accesses, 5 in SMM) of
# count-$1's windows of kind $2 (add, remove, idle): the value when all
# windows agree, else every value seen, "/"-separated; "-" if none ran.
count_field() {
	local f=("$out/count-$1/$2"*.txt)

	[ -e "${f[0]}" ] || {
		echo -
		return
	}
	awk -v k="$3" '!seen[$k]++ { v = v (v == "" ? "" : "/") $k }
		END { print v }' "${f[@]}"
}
