#!/bin/sh
# Builds an initramfs for a guest that is not the bundled one: busybox
# and a plain /init, none of guest/ (no CPU agent, no markers hotcpu
# knows). Usage: tests/guests/build-initrd.sh OUT.img udev|none
#   udev: a udev-like rule onlines hot-added CPUs (busybox uevent runs
#         /bin/cpu-rule for every kernel uevent, and once per CPU at
#         start like udev's coldplug) and logs each CPU uevent with the
#         online set: "RULE add cpu2 online=0-2".
#   none: nothing onlines CPUs; the kernel alone decides.
set -eu
out=$1 mode=$2
[ -x /bin/busybox ] || { echo "busybox-static is missing (apt-get install busybox-static)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp /bin/busybox "$root/bin/busybox"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
if [ -x /bin/cpu-rule ]; then
	uevent /bin/cpu-rule &
	# Coldplug, as udev's trigger does at start: CPUs the kernel added
	# before this listener ran (plugged while the guest booted).
	for d in /sys/devices/system/cpu/cpu[0-9]*; do
		[ -f "$d/online" ] && ACTION=add SUBSYSTEM=cpu \
			DEVPATH=${d#/sys} /bin/cpu-rule
	done
fi
echo "PLAIN-INIT possible=$(cat /sys/devices/system/cpu/possible) online=$(cat /sys/devices/system/cpu/online)"
exec sleep 100000
INIT
if [ "$mode" = udev ]; then
	# What systemd's 40-vm-hotadd.rules does on Debian:
	# SUBSYSTEM=="cpu", ACTION=="add", ATTR{online}=="0", ATTR{online}="1"
	cat >"$root/bin/cpu-rule" <<'RULE'
#!/bin/sh
[ "$SUBSYSTEM" = cpu ] || exit 0
f=/sys$DEVPATH/online
[ "$ACTION" = add ] && [ -f "$f" ] && [ "$(cat "$f")" = 0 ] && echo 1 >"$f"
echo "RULE $ACTION ${DEVPATH##*/} online=$(cat /sys/devices/system/cpu/online)" >/dev/console
RULE
	chmod 755 "$root/bin/cpu-rule"
fi
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
