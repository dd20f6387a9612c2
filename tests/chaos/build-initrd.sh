#!/bin/sh
# Builds the chaos soak's two guests' initramfs images.
# Usage: tests/chaos/build-initrd.sh BUILD OUTDIR [CC]
#   OUTDIR/bundled.img: the bundled guest (BUILD/guest/initrd.img, as it
#     is) with guest/chaos.sh appended as /bin/chaos; rdinit=/bin/chaos
#     starts the chaos daemon, then the bundled /init and its CPU agent.
#   OUTDIR/onliner.img: a guest that is not the bundled one, built the
#     way tests/guests/build-initrd.sh builds one: busybox and a plain
#     /init, no CPU agent, no hotcpu markers; its userspace (chaos.sh's
#     onliner) onlines every offline CPU it sees, every 20 ms. It has
#     guest/ioport.c and guest/physmem.c for the injections.
set -eu
build=$1 out=$2 cc=${3:-cc}
[ -x /bin/busybox ] || { echo "busybox-static is missing (apt-get install busybox-static)" >&2; exit 1; }
[ -f "$build/guest/initrd.img" ] || { echo "$build/guest/initrd.img is missing (make guest)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The bundled guest plus /bin/chaos.
mkdir -p "$work/overlay/bin"
install -m 755 guest/chaos.sh "$work/overlay/bin/chaos"
sh guest/append-cpio.sh "$build/guest/initrd.img" "$work/overlay" "$out/bundled.img"

root=$work/onliner
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
$cc -O2 -static -Wall -Wextra -o "$root/bin/ioport" guest/ioport.c
$cc -O2 -static -Wall -Wextra -o "$root/bin/physmem" guest/physmem.c
install -m 755 guest/chaos.sh "$root/bin/chaos"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
CHAOS_ONLINER=1 /bin/chaos daemon &
echo "PLAIN-INIT possible=$(cat /sys/devices/system/cpu/possible) online=$(cat /sys/devices/system/cpu/online)"
exec sleep 1000000
INIT
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/onliner.img.tmp"
mv "$out/onliner.img.tmp" "$out/onliner.img"
