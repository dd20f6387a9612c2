#!/bin/busybox sh
# hotcpu guest init: report boot facts on the serial console, keep new
# CPUs online, then give the console a shell for tests to drive.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "GUEST-INIT-UP uptime=$(cut -d' ' -f1 /proc/uptime)"
echo "GUEST-CMDLINE $(cat /proc/cmdline)"
echo "GUEST-CPUS-POSSIBLE $(cat /sys/devices/system/cpu/possible)"
/bin/cpuwatch &
# Scripts sent to the console run here; each prints its own markers.
export PS1='GUEST-SH$ '
exec setsid cttyhack sh
