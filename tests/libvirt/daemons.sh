# A libvirtd and virtlogd of a test's own, sourced by test-libvirt.sh and
# compare.sh. No systemd: the daemons run in a private mount namespace in
# which /etc/libvirt, /run, /var/lib/libvirt, /var/log/libvirt and
# /var/cache/libvirt are directories under $t, because a privileged QEMU
# driver takes its paths from fixed places. The caller sets t (a temp
# dir) and dom (the domain name) before calling anything here.
libvirtd_pid=
virtlogd_pid=
qemu_pid=

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
vsh() { virsh -q -c "qemu+unix:///system?socket=$t/sock/libvirt-sock" "$@"; }

# lv_why_not: prints why libvirt cannot run here and returns 1, or
# returns 0. Installs a missing libvirt through scripts/deps.sh.
lv_why_not() {
	local c why
	if ! command -v libvirtd >/dev/null || ! command -v virsh >/dev/null; then
		if ! why=$(sh scripts/deps.sh 2>&1); then
			echo "libvirt is missing and scripts/deps.sh could not install it: $(echo "$why" | tail -n1)"
			return 1
		fi
	fi
	for c in libvirtd virtlogd virsh unshare nsenter qemu-system-x86_64; do
		if ! command -v "$c" >/dev/null; then
			echo "$c is missing after scripts/deps.sh (Debian: libvirt-daemon-log, libvirt-clients, util-linux)"
			return 1
		fi
	done
	if [ "$(id -u)" != 0 ]; then
		echo "needs root: the test runs libvirt's privileged QEMU driver (qemu:///system) in a mount namespace of its own"
		return 1
	fi
	if ! why=$(unshare --mount --propagation private true 2>&1); then
		echo "cannot make a private mount namespace for libvirtd's directories (unshare --mount: $why)"
		return 1
	fi
	if ! id libvirt-qemu >/dev/null 2>&1; then
		echo "no user libvirt-qemu, which Debian's libvirt-daemon-driver-qemu creates to run QEMU as"
		return 1
	fi
	return 0
}

# lv_setup: the daemons' directories and configuration under $t. QEMU
# runs as libvirt-qemu and writes its sockets and logs into $t/vm.
lv_setup() {
	mkdir -p "$t/etc" "$t/run" "$t/lib" "$t/log" "$t/cache" "$t/sock" \
		"$t/img" "$t/vm"
	chmod 755 "$t"
	chown libvirt-qemu: "$t/vm"
	cat >"$t/etc/libvirtd.conf" <<EOF
unix_sock_dir = "$t/sock"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
log_outputs = "3:file:$t/libvirtd.log"
EOF
	cat >"$t/etc/virtlogd.conf" <<EOF
log_outputs = "3:file:$t/virtlogd.log"
EOF
	# Debian's defaults but no cgroups: without systemd libvirt would
	# make its machine cgroups in the host's hierarchy.
	cat >"$t/etc/qemu.conf" <<EOF
cgroup_controllers = [ ]
EOF
}

lv_up() { vsh version 2>/dev/null | grep -q "Running hypervisor: QEMU"; }

# lv_wait_up SECONDS: until libvirtd answers, or it died.
lv_wait_up() {
	local i
	for i in $(seq "$(($1 * 10))"); do
		lv_up && return 0
		alive "$libvirtd_pid" || return 1
		sleep 0.1
	done
	return 1
}

# lv_start: virtlogd and libvirtd in a new mount namespace. libvirtd's
# first start probes QEMU's capabilities (~5-10 s under TCG); it caches
# them in $t/cache for a restart.
lv_start() {
	unshare --mount --propagation private -- sh -c '
		t=$1
		for m in etc:/etc/libvirt run:/run lib:/var/lib/libvirt \
			log:/var/log/libvirt cache:/var/cache/libvirt; do
			mount --bind "$t/${m%%:*}" "${m#*:}" || exit 1
		done
		virtlogd -f /etc/libvirt/virtlogd.conf -p "$t/virtlogd.pid" &
		echo $! >"$t/virtlogd.spid"
		exec libvirtd -f /etc/libvirt/libvirtd.conf -p "$t/libvirtd.pid"
	' sh "$t" >>"$t/daemons.log" 2>&1 &
	libvirtd_pid=$!
	lv_wait_up 60
	local rc=$?
	virtlogd_pid=$(cat "$t/virtlogd.spid" 2>/dev/null)
	return $rc
}

# lv_restart_libvirtd: a new libvirtd in virtlogd's namespace; it
# reconnects to the running domain.
lv_restart_libvirtd() {
	kill "$libvirtd_pid"
	wait "$libvirtd_pid" 2>/dev/null
	nsenter --mount="/proc/$virtlogd_pid/ns/mnt" -- libvirtd \
		-f /etc/libvirt/libvirtd.conf -p "$t/libvirtd.pid" \
		>>"$t/daemons.log" 2>&1 &
	libvirtd_pid=$!
	lv_wait_up 30
}

lv_qemu_pid() {
	[ -n "$qemu_pid" ] || qemu_pid=$(cat "$t/run/libvirt/qemu/$dom.pid" 2>/dev/null)
	echo "$qemu_pid"
}

# lv_stop: the domain through libvirt, else QEMU by its pid; then
# libvirtd and virtlogd. The mount namespace goes with its last process.
# Returns 1 if any of them is still there after 5 s.
lv_stop() {
	local i p
	lv_qemu_pid >/dev/null
	[ -n "$virtlogd_pid" ] || virtlogd_pid=$(cat "$t/virtlogd.spid" 2>/dev/null)
	alive "$libvirtd_pid" && vsh destroy "$dom" >/dev/null 2>&1
	alive "$qemu_pid" && kill "$qemu_pid"
	for p in $libvirtd_pid $virtlogd_pid; do
		kill "$p" 2>/dev/null
	done
	for i in $(seq 500); do
		alive "$qemu_pid" || alive "$libvirtd_pid" ||
			alive "$virtlogd_pid" || return 0
		sleep 0.01
	done
	for p in $qemu_pid $libvirtd_pid $virtlogd_pid; do
		kill -9 "$p" 2>/dev/null
	done
	return 1
}

# lv_domain_xml FIRMWARE-XML: the domain of docs/libvirt.md on the images
# in $t/img, TCG, 1 of 8 vCPUs, serial console into $t/vm/serial.log, a
# second QMP monitor at $t/vm/hotcpu.qmp. FIRMWARE-XML goes into <os>
# (a loader) and <features> takes $smm (on or off).
lv_domain_xml() {
	local lpj
	# qemu64 has no invariant TSC: without lpj= every first add of a CPU
	# calibrates for seconds (research notes, Surprise 5).
	lpj=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1e6 / 250; exit }' /proc/cpuinfo)
	cat <<EOF
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$dom</name>
  <memory unit='MiB'>512</memory>
  <vcpu placement='static' current='1'>8</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    $1
    <kernel>$t/img/vmlinuz</kernel>
    <initrd>$t/img/initrd.img</initrd>
    <cmdline>console=ttyS0 panic=-1 lpj=$lpj</cmdline>
  </os>
  <features><acpi/><smm state='${smm:-on}'/></features>
  <cpu mode='custom' match='exact'><model>qemu64</model></cpu>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='file'><source path='$t/vm/serial.log'/></serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-qmp'/>
    <qemu:arg value='unix:$t/vm/hotcpu.qmp,server=on,wait=off'/>
  </qemu:commandline>
</domain>
EOF
}
