#!/bin/sh
# Checks the linked firmware: image size, the reset vector's jump, and
# the RAM image bounds (SeaBIOS scripts/checkrom.py does the same job).
set -eu
elf=$1 img=$2 rom_size=$(($3))
fail() { echo "checkrom: $*" >&2; rm -f "$img"; exit 1; }
sym() { nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }

size=$(stat -c %s "$img")
[ "$size" -eq "$rom_size" ] || fail "image is $size bytes, expected $rom_size"
[ "$size" -le $((256 * 1024)) ] || fail "image is $size bytes, over 256 KiB"
[ $((size % 65536)) -eq 0 ] || fail "QEMU needs a multiple of 64 KiB, got $size"

# Reset vector: the last 16 bytes start with a short or near jmp that
# lands on start16 inside the last 64 KiB.
op=$(od -An -tx1 -j $((size - 16)) -N 3 "$img" | tr -d ' \n')
start16=$(($(sym start16)))
case $op in
eb*) rel=$((0x${op#eb} & 0xff)); [ $rel -ge 128 ] && rel=$((rel - 256))
	target=$((0xfffffff0 + 2 + rel)) ;;
e9*) lo=${op#e9}; rel=$((0x${lo#??}${lo%??}))
	[ $rel -ge 32768 ] && rel=$((rel - 65536))
	target=$((0xfffffff0 + 3 + rel)) ;;
*) fail "reset vector does not start with a jmp ($op)" ;;
esac
[ "$target" -eq "$start16" ] ||
	fail "reset vector jumps to $(printf %#x $target), start16 is $(printf %#x $start16)"
[ "$start16" -ge $((0x100000000 - 0x10000)) ] ||
	fail "start16 is outside the last 64 KiB"

end=$(($(sym _fw_end)))
[ "$end" -le $((0x9f000)) ] || fail "RAM image ends at $(printf %#x $end)"
load=$(($(sym _fw_load_end) - $(sym _fw_start)))
echo "checkrom: $img: $((size / 1024)) KiB ROM, $((load / 1024)) KiB code+data, RAM image ends at $(printf %#x $end)"
