#!/bin/sh
# Installs what building, testing and benchmarking hotcpu needs, from
# Debian bookworm and bookworm-backports. Idempotent: installs only what
# is missing. Needs root (apt-get) when something is missing.
set -eu

# QEMU 10.0 from backports: QEMU 7.2 aborts with heap corruption on the
# second hot-add of a CPU under TCG.
QEMU_MIN=10.0
# clang-14 and libclang-rt-14-dev: libFuzzer and the sanitizers for
# tests/fuzz/.
packages="gcc make libc6-dev binutils libcmocka-dev libjansson-dev pkg-config
busybox-static cpio gzip ovmf gnuplot-nox kexec-tools jq clang-14
libclang-rt-14-dev"
backports="qemu-system-x86 qemu-utils seabios"
# libvirt 11.3 for tests/libvirt: the daemons, the QEMU driver and virsh,
# without recommends (no systemd units are started: the test runs its own
# virtlogd and libvirtd).
LIBVIRT_MIN=11.3
libvirt="libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-log
libvirt-clients"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 || return 1
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\.[0-9]*\).*/\1/p')
	[ "$(printf '%s\n%s\n' "$QEMU_MIN" "$v" | sort -V | head -n1)" = "$QEMU_MIN" ]
}
libvirt_ok() {
	command -v libvirtd >/dev/null 2>&1 && command -v virsh >/dev/null 2>&1 ||
		return 1
	v=$(libvirtd --version | sed -n 's/.* \([0-9]*\.[0-9]*\).*/\1/p')
	[ "$(printf '%s\n%s\n' "$LIBVIRT_MIN" "$v" | sort -V | head -n1)" = "$LIBVIRT_MIN" ]
}
[ -z "$missing" ] && qemu_ok && libvirt_ok && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing${missing:+ }qemu>=$QEMU_MIN libvirt>=$LIBVIRT_MIN; run as root or install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo 'deb http://deb.debian.org/debian bookworm-backports main' \
		>/etc/apt/sources.list.d/hotcpu-backports.list
fi
apt-get update -qq
[ -n "$missing" ] && apt-get install -y -qq $missing >/dev/null
qemu_ok || apt-get install -y -qq -t bookworm-backports $backports >/dev/null
qemu_ok || { echo "deps: QEMU >= $QEMU_MIN not installable" >&2; exit 1; }
# Only libvirt from backports: its systemd dependencies come from bookworm.
libvirt_ok || apt-get install -y -qq --no-install-recommends \
	$(for p in $libvirt; do echo "$p/bookworm-backports"; done) >/dev/null
libvirt_ok || { echo "deps: libvirt >= $LIBVIRT_MIN not installable" >&2; exit 1; }
echo "deps: installed:$missing $(qemu-system-x86_64 --version | head -n1)"
