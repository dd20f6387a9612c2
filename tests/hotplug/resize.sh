#!/usr/bin/env bash
# hotcpu resize 24 and back to 1 with SMM, on a host with fewer cores than
# vCPUs: the rendezvous must hold however long a vCPU thread is off the
# CPU. Fails on any guest warning (issue 8: "Eject incomplete" for 2 of 23
# removes when an AP left SMM after 20 ms without a session).
# Usage: tests/hotplug/resize.sh BUILD [N]
set -u
# shellcheck source=tests/guest-warnings.sh
. "$(dirname "$0")/../guest-warnings.sh"
build=$1
n=${2:-24}
hotcpu=$build/hotcpu
export HOTCPU_RUNTIME_DIR=$(mktemp -d /tmp/hotcpu-resize.XXXXXX)
vm=resize
t=0
fail=0
ok() { t=$((t + 1)); echo "ok $t - $*"; }
notok() { t=$((t + 1)); fail=1; echo "not ok $t - $*"; }
cleanup() { "$hotcpu" stop --name $vm >/dev/null 2>&1; }
trap cleanup EXIT

if ! "$hotcpu" run --name $vm --cpus 1 --max-cpus $((2 * n)) --smm on \
	--detach >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - run --cpus 1 --max-cpus $((2 * n)) --smm on"
	exit 1
fi
dir=$HOTCPU_RUNTIME_DIR/$vm
start=$(date +%s.%N)
if "$hotcpu" resize --name $vm "$n" >"$dir/resize-up.txt" 2>&1; then
	ok "resize $n from 1 with SMM ($(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s)"
else
	notok "resize $n from 1: $(tail -n 2 "$dir/resize-up.txt")"
fi
start=$(date +%s.%N)
if "$hotcpu" resize --name $vm 1 >"$dir/resize-down.txt" 2>&1; then
	ok "resize 1 from $n with SMM ($(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s)"
else
	notok "resize 1 from $n: $(tail -n 2 "$dir/resize-down.txt")"
fi
pat="$guest_warnings|blocked for more than|hard LOCKUP|self-detected stall"
if grep -E "$pat" "$dir/serial.log" >"$dir/warnings.txt"; then
	notok "guest console is clean: $(head -n 3 "$dir/warnings.txt" | tr '\n' ' ')"
else
	ok "guest console has no Eject incomplete, lockup or lost CPU"
fi
if grep -q "PANIC" "$dir/debugcon.log"; then
	notok "firmware: $(grep -m1 PANIC "$dir/debugcon.log")"
else
	ok "firmware did not panic"
fi
# APs that joined a session halt until the monarch's NMI instead of
# spinning (docs/smm-cpu-hotplug.md, "Sleeping APs"). Nothing else would
# show that they stopped: a refused NMI path only makes SMIs slower.
halts=$(sed -n 's/.*APs waited in it (\([0-9]*\) halted).*/\1/p' "$dir/debugcon.log" |
	awk '{ n += $1 } END { print n + 0 }')
if [ "$halts" -gt 0 ]; then
	ok "APs halted in SMM sessions instead of spinning ($halts times)"
else
	notok "no AP halted in an SMM session (debugcon: $(grep -c 'APs waited in it' "$dir/debugcon.log") sessions with APs)"
fi
online=$(grep -o 'GUEST-CPUS-ONLINE \[[^]]*\]' "$dir/serial.log" | tail -n 1)
if [ "$online" = "GUEST-CPUS-ONLINE [0]" ]; then
	ok "the guest ends with CPU 0 alone"
else
	notok "the guest ends with CPU 0 alone (last: $online)"
fi
# Stop the VM before its runtime directory goes: without it `hotcpu stop`
# cannot find the VM, and QEMU and its supervisor run on (holding
# whatever descriptors they inherited, a flock on the VM lock too).
cleanup
trap - EXIT
if [ $fail = 0 ]; then
	rm -rf "$HOTCPU_RUNTIME_DIR"
else
	echo "# logs kept in $dir"
fi
echo "1..$t"
exit $fail
