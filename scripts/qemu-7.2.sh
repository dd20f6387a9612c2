#!/bin/sh
# Unpacks Debian bookworm's QEMU 7.2 (binary and TCG module) into a
# directory, beside the QEMU 10.0 the tests use, so boot tests can check
# that the firmware image works on both.
set -eu
out=$1
ver=1:7.2+dfsg-7+deb12u18+b3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if ! apt-get download -q "qemu-system-x86=$ver" "qemu-system-common=$ver" >/dev/null 2>&1; then
	# A newer bookworm point release replaced it: take what bookworm has.
	ver=$(apt-cache madison qemu-system-x86 | awk '$3 ~ /^1:7\.2/ { print $3; exit }')
	[ -n "$ver" ] || { echo "qemu-7.2: no QEMU 7.2 in the apt sources" >&2; exit 1; }
	apt-get download -q "qemu-system-x86=$ver" "qemu-system-common=$ver" >/dev/null 2>&1
fi
cd - >/dev/null
rm -rf "$out" && mkdir -p "$out"
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$out"; done
"$out/usr/bin/qemu-system-x86_64" --version | head -n1
