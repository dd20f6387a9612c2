#!/bin/sh
# append-cpio.sh BASE DIR OUT: OUT is the initramfs BASE with DIR's files
# added as an uncompressed cpio. The kernel unpacks both into one rootfs
# but finds a cpio header only at a 4-byte boundary, so BASE is padded
# with zeros to one.
set -eu
base=$1 dir=$2 out=$3
cp "$base" "$out.tmp"
pad=$(( (4 - $(stat -c %s "$base") % 4) % 4 ))
head -c "$pad" /dev/zero >>"$out.tmp"
(cd "$dir" && find . | cpio -o -H newc --quiet) >>"$out.tmp"
mv "$out.tmp" "$out"
