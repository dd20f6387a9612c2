# Two hotcpu processes on one VM at once (sourced by tests/chaos/soak.sh):
# A by name (hotcpu's own QMP socket, under the VM's lock), B attached to
# a second QMP socket (--qmp), as a user's script next to hotcpu would be.
# Uses: $hotcpu $vm $sockb $rdir (this round's files), $op_timeout.

# drive WHO OP [COUNT]: one hotcpu command in the background; its exit
# code lands in $rdir/WHO.rc.
drive() {
	local who=$1 op=$2 target
	shift 2
	if [ "$who" = a ]; then
		target=(--name "$vm")
	else
		target=(--qmp "$sockb")
	fi
	(
		timeout 900 "$hotcpu" "$op" "${target[@]}" "$@" \
			--timeout "$op_timeout" >"$rdir/$who.out" \
			2>"$rdir/$who.err" &
		echo $! >"$rdir/$who.pid"
		wait $!
		echo $? >"$rdir/$who.rc"
		rm -f "$rdir/$who.pid"
	) &
}

# drivers_kill: ends the commands still running (an interrupted soak).
drivers_kill() {
	local f
	for f in "$rdir"/a.pid "$rdir"/b.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
}

# answer WHO: what one command's answer says. Prints one word:
#   ok        every CPU confirmed
#   race      stopped because the other process got there first, and it
#             says so: QEMU refused a device_add of a slot the other had
#             just plugged ("Duplicate device ID") or a device_del of a
#             CPU the other had just removed ("not found"); no free slot
#             or removable CPU left; the other unplugged the CPU this
#             one was plugging, or took its slot first (exit 7 each)
#   lost      QEMU died under it (exit 8): expected only at a kill
#   unclear   anything else: a failure of the soak
answer() {
	local who=$1 rc err
	rc=$(cat "$rdir/$who.rc" 2>/dev/null || echo none)
	err=$(cat "$rdir/$who.err" 2>/dev/null)
	case $rc in
	0) echo ok ;;
	3) if echo "$err" | grep -q -E "Duplicate device ID|not found"; then
		echo race
	   else
		echo unclear
	   fi ;;
	7) if echo "$err" | grep -q -E "free CPU slot|removable CPU|another QMP client (unplugged it|plugged this slot)"; then
		echo race
	   else
		echo unclear
	   fi ;;
	8) echo lost ;;
	*) echo unclear ;;
	esac
}

# CPUs a command's answer confirmed (its lines, as in docs/cli.md).
confirmed_adds() { grep -c -E '] plug +cpu[0-9]+ .*(online in|present at boot)' "$rdir/$1.out"; }
confirmed_removes() { grep -c -E '] unplug +cpu[0-9]+ .*removed in' "$rdir/$1.out"; }
