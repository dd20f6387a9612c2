#!/bin/bash
# The build as a user meets it (issue 10): plain `make` builds the
# firmware and the command line and nothing that needs a test library; a
# missing header is named with the Debian package that provides it; `make
# install` puts both where the installed binary finds the firmware, and
# that binary boots a VM with it. Prints TAP.
# Usage: tests/build/test-build.sh [BUILD_DIR]
set -u
. "$(dirname "$0")/../tap.sh"
build=${1:-build}
t=$(mktemp -d /tmp/hotcpu-build.XXXXXX)
out=$t/out
err=$t/err
: >"$out"
: >"$err"
cleanup() {
	HOTCPU_RUNTIME_DIR=$t/rt "$t/dest/usr/bin/hotcpu" stop --name inst \
		>/dev/null 2>&1
	if [ "$failed" = 0 ]; then rm -rf "$t"; else echo "# logs kept in $t"; fi
}
trap cleanup EXIT

need_files "$build/hotcpu" "$build/hotcpu.fd" "$build/guest/vmlinuz" \
	"$build/guest/initrd.img"

# 1. What plain `make` would run, from nothing: no test, no cmocka.
make -n -B BUILD="$t/plain" >"$out" 2>"$err"
check "make -n: plain make builds something" grep -q -- "-o $t/plain/hotcpu\$" "$out"
check "... the firmware image too" grep -q "$t/plain/hotcpu.fd" "$out"
check "... and nothing of tests/ or cmocka" \
	eval '! grep -E -q "tests/|cmocka" "$out"'

# 2. A compiler that has libc's headers but not jansson's: a sysroot of
# links to /usr/include without jansson*.h.
mkdir -p "$t/root/usr/include"
for f in /usr/include/*; do
	case ${f##*/} in jansson*) ;; *) ln -s "$f" "$t/root/usr/include/" ;; esac
done
make BUILD="$t/nojansson" CC="cc --sysroot=$t/root" JANSSON_CFLAGS= \
	>"$out" 2>"$err"
rc=$?
check "make without jansson.h fails (exit $rc)" test "$rc" != 0
check "... naming the header and its Debian package" \
	grep -q "hotcpu: jansson.h not found: apt-get install libjansson-dev" "$err"
check "... before compiling anything" \
	eval '! ls "$t/nojansson/tools/"*.o >/dev/null 2>&1'

# 3. make install, and the installed binary finds its firmware.
make install BUILD="$build" DESTDIR="$t/dest" PREFIX=/usr >"$out" 2>"$err"
check "make install DESTDIR PREFIX=/usr (exit $?)" test -x "$t/dest/usr/bin/hotcpu"
check "... the firmware in share/hotcpu" \
	cmp -s "$build/hotcpu.fd" "$t/dest/usr/share/hotcpu/hotcpu.fd"
check "... the binary is the built one" cmp -s "$build/hotcpu" "$t/dest/usr/bin/hotcpu"
HOTCPU_RUNTIME_DIR=$t/rt "$t/dest/usr/bin/hotcpu" run --name inst \
	--accel tcg --kernel "$build/guest/vmlinuz" \
	--initrd "$build/guest/initrd.img" --detach >"$out" 2>"$err"
rc=$?
check "the installed hotcpu boots a VM (exit $rc)" test "$rc" = 0
check "... on the installed firmware" \
	grep -q -- "$t/dest/usr/share/hotcpu/hotcpu.fd" "$t/rt/inst/qemu.cmdline"
check "... which ran" grep -a -q "hotcpu firmware" "$t/rt/inst/debugcon.log"
echo "1..$n"
[ "$failed" = 0 ]
