#!/bin/sh
# Builds the bundled guest: Debian's Linux 6.12 cloud kernel from
# bookworm-backports and a busybox initramfs with the hotcpu CPU agent.
# Usage: guest/build.sh kernel|initrd|kexec OUTDIR [CC]
# The kernel is downloaded once; the initramfs is rebuilt from source;
# "kexec" adds kexec-tools and a kernel and initramfs to kexec into, for
# the tests that need them (initrd-kexec.img).
set -eu
what=$1 out=$2 cc=${3:-cc}
kver=${HOTCPU_GUEST_KVER:-6.12.95+deb12}
srcdir=$(cd "$(dirname "$0")" && pwd)
work=$out/work
mkdir -p "$out" "$work"

ensure_backports() {
	grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return
	echo "guest: adding bookworm-backports to apt sources"
	echo 'deb http://deb.debian.org/debian bookworm-backports main' \
		>/etc/apt/sources.list.d/hotcpu-backports.list
	apt-get update -qq
}

if [ "$what" = kernel ]; then
	ensure_backports
	pkg=linux-image-$kver-cloud-amd64
	if ! apt-cache show "$pkg" >/dev/null 2>&1; then
		# The pinned build is gone: take the one backports ships now.
		pkg=$(apt-cache depends -t bookworm-backports linux-image-cloud-amd64 |
			awk '/Depends: linux-image-6\.12/ { print $2; exit }')
		[ -n "$pkg" ] || { echo "guest: no Linux 6.12 cloud kernel in bookworm-backports" >&2; exit 1; }
		echo "guest: $kver not available, using $pkg"
	fi
	rm -rf "$work/kernel" && mkdir -p "$work/kernel"
	(cd "$work" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$work"/"$pkg"_*.deb | head -n1)
	dpkg -x "$deb" "$work/kernel"
	cp "$work"/kernel/boot/vmlinuz-* "$out/vmlinuz.tmp"
	mv "$out/vmlinuz.tmp" "$out/vmlinuz"
	rm -f "$deb"
	echo "guest: kernel $(basename "$deb")"
fi

if [ "$what" = initrd ]; then
	[ -x /bin/busybox ] && /bin/busybox --list | grep -qx cttyhack || {
		echo "guest: busybox-static is missing (apt-get install busybox-static)" >&2; exit 1; }
	root=$work/initramfs
	rm -rf "$root" && mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	$cc -O2 -static -Wall -Wextra -o "$root/bin/cpuwatch" "$srcdir/cpuwatch.c"
	$cc -O2 -static -Wall -Wextra -o "$root/bin/ioport" "$srcdir/ioport.c"
	$cc -O2 -static -Wall -Wextra -o "$root/bin/physmem" "$srcdir/physmem.c"
	install -m 755 "$srcdir/init.sh" "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/initrd.img.tmp"
	mv "$out/initrd.img.tmp" "$out/initrd.img"
	echo "guest: initramfs $(du -k "$out/initrd.img" | cut -f1) KiB"
fi

if [ "$what" = kexec ]; then
	[ -x /sbin/kexec ] || { echo "guest: kexec-tools is missing (apt-get install kexec-tools)" >&2; exit 1; }
	root=$work/initramfs-kexec
	rm -rf "$root" && mkdir -p "$root/kexec" "$root/sbin"
	cp /sbin/kexec "$root/sbin/kexec"
	# kexec-tools is dynamically linked: take its libraries along.
	for lib in $(ldd /sbin/kexec | awk '/=>/ { print $3 } /ld-linux/ { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	cp "$out/vmlinuz" "$root/kexec/vmlinuz"
	cp "$out/initrd.img" "$root/kexec/initrd.img"
	sh "$srcdir/append-cpio.sh" "$out/initrd.img" "$root" "$out/initrd-kexec.img"
	echo "guest: kexec initramfs $(du -k "$out/initrd-kexec.img" | cut -f1) KiB"
fi
