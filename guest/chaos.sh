#!/bin/busybox sh
# Guest chaos for the hotcpu chaos soak (tests/chaos/soak.sh): a
# CPU-hungry workload, random bytes to port 0xB2 and to the CPU hotplug
# register block, CPUs the guest offlines and onlines itself, an onliner
# that onlines every offline CPU it sees, and SMRAM reads, on the host's
# command. Commands come one a line on ttyS1 ("CMD SEQ ARGS"); every
# answer is one line "CHAOS-CMD SEQ WORDS...", at least one word after
# SEQ, on ttyS1 (the host reads it there, without the kernel's lines and
# carriage returns) and on the console (for the log). Which bytes go
# where, and why, is in tests/chaos/soak.sh's header.
#   rdinit=/bin/chaos     start the daemon, then the bundled /init
#   chaos daemon          the daemon (a plain /init runs it itself)
# CHAOS_ONLINER=1 in its environment, or chaos.onliner=1 on the kernel
# command line, starts the onliner at once.
cpu=/sys/devices/system/cpu
run=/tmp/chaos

if [ "$$" = 1 ] && [ "${1:-}" != daemon ]; then
	# ash gives a background job /dev/null for stdin, which does not
	# exist before /init mounts devtmpfs over /dev.
	[ -e /dev/null ] || /bin/busybox mknod /dev/null c 1 3
	/bin/busybox sh /bin/chaos daemon &
	exec /init
fi

while [ ! -e /proc/uptime ] || [ ! -e /dev/ttyS1 ] || [ ! -e /bin/ioport ] ||
      [ ! -e /bin/stty ]; do
	/bin/busybox usleep 100000
done
mkdir -p $run
say() {
	echo "CHAOS-$*" >/dev/ttyS1
	echo "CHAOS-$*" >/dev/console
}
count() { echo "$2" >"$run/$1"; }
get() { cat "$run/$1" 2>/dev/null || echo 0; }

# A byte for APM_CNT: anything but 3 (ACPI disable) and 4 (the AML's
# hotplug command).
apm_byte() {
	local v=$((RANDOM % 256))
	while [ $v = 3 ] || [ $v = 4 ]; do v=$((RANDOM % 256)); done
	echo $v
}

apm_worker() {
	local n=0
	while :; do
		ioport w 0xb2 "$(apm_byte)" 1
		n=$((n + 1))
		count apm $n
		usleep $((RANDOM % 40000))
	done
}

# The guest itself offlines a random CPU other than 0 and onlines it
# again a moment later; the CPU may be ejected meanwhile.
flip_worker() {
	local off=0 on=0 gone=0 c v
	while :; do
		usleep $((RANDOM % 300000))
		set -- $cpu/cpu[1-9]*/online
		[ -e "$1" ] || continue
		shift $((RANDOM % $#))
		c=$1
		read -r v 2>/dev/null <"$c" || continue
		[ "$v" = 1 ] || continue
		# Noted first: a quiet window that stops this worker between
		# the two brings the CPU back all the same.
		echo "$c" >"$run/flipped"
		if echo 0 2>/dev/null >"$c"; then
			off=$((off + 1))
			usleep $((RANDOM % 500000))
			if echo 1 2>/dev/null >"$c"; then
				on=$((on + 1))
			else
				gone=$((gone + 1))
			fi
		fi
		rm -f "$run/flipped"
		count flip "$off $on $gone"
	done
}

# What systemd's hotplug rule does for added CPUs, for every CPU, every
# 20 ms: it races the kernel's own offlining of a CPU being ejected.
onliner_worker() {
	local n=0 f v
	while :; do
		for f in $cpu/cpu[1-9]*/online; do
			read -r v 2>/dev/null <"$f" || continue
			[ "$v" = 0 ] && echo 1 2>/dev/null >"$f" &&
				n=$((n + 1)) && count onliner $n
		done
		usleep 20000
	done
}

hog_worker() {
	while :; do :; done
}

start() {	# start NAME: one background worker, pid kept
	[ -e "$run/$1.pid" ] && return
	"$1_worker" &
	echo $! >"$run/$1.pid"
}

stop() {
	[ -e "$run/$1.pid" ] || return 0
	kill "$(cat "$run/$1.pid")" 2>/dev/null
	rm -f "$run/$1.pid"
}

# CPU hotplug block writes that the AML cannot be hurt by in a quiet
# window: the selector (any value, valid or not, any width), through one
# ioport process (a fork per write costs seconds in a busy guest), and
# the command register (any byte); reads of every register. Prints the
# writes and reads done.
regjunk() {
	local n=$1 max=$2 i=0 w=0 r=0
	# 1, 2 and 4-byte writes at 0xcd8-0xcdb: the selector only.
	ioport junk 0xcd8 4 "$n" $RANDOM >/dev/null && w=$((w + n))
	while [ $i -lt 8 ]; do
		i=$((i + 1))
		case $((RANDOM % 4)) in
		0) ioport w 0xcd8 $((RANDOM % (max + 4))) 4 ;;
		1) ioport w 0xcdd $((RANDOM % 256)) 1 ;;
		*) ioport r $((0xcd8 + RANDOM % 12)) $((1 << RANDOM % 3)) \
			>/dev/null
		   r=$((r + 1)); continue ;;
		esac
		w=$((w + 1))
	done
	count regjunk $(($(get regjunk) + w))
	echo "$w $r"
}

# Every CPU the flip worker took offline is back online.
settle() {
	local c
	stop flip
	c=$(cat "$run/flipped" 2>/dev/null)
	[ -n "$c" ] && echo 1 2>/dev/null >"$c"
	rm -f "$run/flipped"
}

stty -F /dev/ttyS1 raw -echo clocal 2>/dev/null
exec 3</dev/ttyS1
if [ "${CHAOS_ONLINER:-0}" = 1 ] || grep -q chaos.onliner=1 /proc/cmdline; then
	start onliner
fi
say "READY 0 possible=$(cat $cpu/possible) online=$(cat $cpu/online)"
while read -r cmd seq a b c <&3; do
	case $cmd in
	ping) say "PING $seq pong" ;;
	hog)	# hog SEQ N: N busy loops
		i=0
		while [ $i -lt "$a" ]; do
			hog_worker &
			echo $! >>"$run/hogs"
			i=$((i + 1))
		done
		say "HOG $seq $(wc -l <"$run/hogs")" ;;
	start)	# start SEQ WORKER...
		for w in $a $b $c; do start "$w"; done
		say "START $seq started $a $b $c" ;;
	quiet)	# no CPU changes of the guest's own from now on
		settle
		say "QUIET $seq online=$(cat $cpu/online)" ;;
	online) say "ONLINE $seq online=$(cat $cpu/online)" ;;
	regjunk)	# regjunk SEQ COUNT MAXCPUS
		say "REGJUNK $seq $(regjunk "$a" "$b")" ;;
	smram)	# smram SEQ TSEG LEN: distinct bytes as the CPU sees them
		say "SMRAM $seq $(physmem count "$a" "$b") $(physmem count 0x30000 0x20000)" ;;
	counts)
		say "COUNTS $seq apm=$(get apm) flip=$(get flip | tr ' ' /) onliner=$(get onliner) regjunk=$(get regjunk) hogs=$(wc -l <"$run/hogs" 2>/dev/null || echo 0)" ;;
	stopall)
		settle
		stop apm
		stop onliner
		for p in $(cat "$run/hogs" 2>/dev/null); do kill "$p"; done
		rm -f "$run/hogs"
		say "STOPALL $seq stopped" ;;
	*) say "UNKNOWN $seq $cmd" ;;
	esac
done
say "EOF 0 ttyS1 closed"
