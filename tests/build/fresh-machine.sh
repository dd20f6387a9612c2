#!/bin/bash
# The README's "By hand" section, run as written on a fresh Debian 12: a
# minimal bookworm (debootstrap --variant=minbase) in a chroot, a clone
# of this repository in it, then every command of the section's code
# block, in order, as root. The last one boots the bundled guest on our
# firmware: it runs under a timeout, and the test asserts the guest's
# console and the firmware's debugcon log. Needs root and Debian's
# package mirror (installs debootstrap if missing); takes minutes, so it
# is not in make check: make check-fresh. Prints TAP.
# Usage: tests/build/fresh-machine.sh [WORKDIR]   (default: a new one
# under /var/tmp, removed at the end unless a step failed)
set -u
. "$(dirname "$0")/../tap.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /var/tmp/hotcpu-fresh.XXXXXX)}
root=$work/root
out=$work/out
err=$work/err
: >"$out"
: >"$err"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (debootstrap and chroot)"
	exit 0
fi
if ! command -v debootstrap >/dev/null &&
   ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >"$err" 2>&1; then
	echo "1..0 # SKIP debootstrap is missing and apt-get could not install it"
	exit 0
fi

mounted=
cleanup() {
	for m in $mounted; do umount "$m" 2>/dev/null; done
	# Never remove through a mount that is still there: the host's
	# /dev is bind-mounted in the chroot.
	if grep -q " $work/" /proc/mounts; then
		echo "# $work still has mounts (a process in the chroot?): not removed"
	elif [ "$failed" = 0 ]; then
		rm -rf --one-file-system "$work"
	else
		echo "# kept in $work"
	fi
}
trap cleanup EXIT

# The section's code block: the indented lines after "On a fresh
# Debian 12", continuation lines joined, comments dropped.
awk '/^On a fresh Debian 12/ { on = 1; next }
     on && /^    / { print substr($0, 5); seen = 1; next }
     on && seen && !/^    / { exit }' "$src/README.md" |
	sed 's/[[:space:]]*#.*$//' |
	awk '{ line = line $0 } /\\$/ { sub(/\\$/, "", line); next }
	     { print line; line = "" }' >"$work/steps"
check "the README's By hand section has its code block" \
	test "$(wc -l <"$work/steps")" -ge 4
check "... ending with the QEMU command line" \
	grep -q '^qemu-system-x86_64 ' "$work/steps"

if debootstrap --variant=minbase bookworm "$root" \
	http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1; then
	ok "debootstrap: a minimal Debian 12"
else
	tail -5 "$work/debootstrap.log" >"$err"
	not_ok "debootstrap: a minimal Debian 12"
	echo "1..$n"
	exit 1
fi
cp /etc/resolv.conf "$root/etc/" 2>/dev/null
mount -t proc proc "$root/proc" && mounted="$root/proc"
mount --bind /dev "$root/dev" && mounted="$root/dev $mounted"
git clone -q "$src" "$root/root/hotcpu"
check "... with no C compiler, jansson or QEMU" \
	eval '! chroot "$root" sh -c "command -v cc || command -v qemu-system-x86_64 || test -e /usr/include/jansson.h"'
chroot "$root" apt-get update -qq >/dev/null 2>&1
# A user answers apt-get's question with yes.
echo 'APT::Get::Assume-Yes "true";' >"$root/etc/apt/apt.conf.d/90yes"

i=0
while IFS= read -r step; do
	i=$((i + 1))
	case $step in
	qemu-system-x86_64*)
		# The guest's shell keeps QEMU running: bound it.
		chroot "$root" sh -c "cd /root/hotcpu &&
			DEBIAN_FRONTEND=noninteractive timeout 120 $step" \
			</dev/null >"$work/serial.log" 2>"$err"
		cp "$work/serial.log" "$out"
		check "step $i: QEMU boots the bundled guest on build/hotcpu.fd" \
			grep -a -q "GUEST-CPUS-ONLINE" "$work/serial.log"
		cp "$root/root/hotcpu/fw.log" "$out" 2>/dev/null
		check "... fw.log shows the firmware's phases up to Linux" \
			grep -q "linux: entering the 64-bit entry point" \
			"$root/root/hotcpu/fw.log"
		;;
	*)
		chroot "$root" sh -c "cd /root/hotcpu &&
			DEBIAN_FRONTEND=noninteractive $step" \
			</dev/null >"$out" 2>"$err"
		check "step $i: $step" test $? = 0
		;;
	esac
done <"$work/steps"
for f in build/hotcpu.fd build/hotcpu build/guest/vmlinuz build/guest/initrd.img; do
	check "$f built" test -s "$root/root/hotcpu/$f"
done
echo "1..$n"
[ "$failed" = 0 ]
