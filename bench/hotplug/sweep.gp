# bench-hotplug-sweep: median and p95 latency against present vCPUs, from
# sweep-add.dat and sweep-remove.dat (sweep.sh); call with -e "out='DIR'".
# Columns: present, then median and p95 of hotcpu SMM, hotcpu no SMM,
# SeaBIOS, OVMF. The bar of each point reaches up to its p95.
set terminal pngcairo size 1100,480 font ",10"
set output out."/sweep.png"
set multiplot layout 1,2 title "vCPU hot-plug latency against present vCPUs (QEMU TCG, q35; SeaBIOS and OVMF with the initrd ACPI 6.3 upgrade)"
set logscale y
set grid
set key top left
set xlabel "present vCPUs"
set ylabel "hot-add: device\\_add to guest online, ms (median, bar to p95)"
plot out."/sweep-add.dat" using 1:2:2:3 with yerrorlines lw 2 title "hotcpu (SMM)", \
     "" using 1:4:4:5 with yerrorlines lw 2 dt 2 title "hotcpu (no SMM)", \
     "" using 1:6:6:7 with yerrorlines lw 2 title "SeaBIOS", \
     "" using 1:8:8:9 with yerrorlines lw 2 title "OVMF"
set ylabel "hot-remove: device\\_del to DEVICE\\_DELETED, ms (median, bar to p95)"
plot out."/sweep-remove.dat" using 1:2:2:3 with yerrorlines lw 2 title "hotcpu (SMM)", \
     "" using 1:4:4:5 with yerrorlines lw 2 dt 2 title "hotcpu (no SMM)", \
     "" using 1:6:6:7 with yerrorlines lw 2 title "SeaBIOS", \
     "" using 1:8:8:9 with yerrorlines lw 2 title "OVMF"
unset multiplot
