# bench-hotplug-sweep: median and p95 latency against present vCPUs, from
# sweep-add.dat and sweep-remove.dat (sweep.sh); call with
# -e "out='DIR'; xmax=N", N the largest point.
# Columns: present, then median and p95 of hotcpu SMM, hotcpu no SMM,
# SeaBIOS, OVMF. The bar of each point reaches up to its p95; the columns
# are set a little apart on the x axis so that their bars do not overlap.
set terminal pngcairo size 1100,520 font ",10"
set output out."/sweep.png"
set multiplot layout 1,2 title "vCPU hot-plug latency against present vCPUs\nQEMU TCG, q35; SeaBIOS and OVMF with the initrd ACPI 6.3 upgrade; point = median, bar up to p95"
set logscale xy
set xrange [0.8:xmax * 1.25]
set grid
set key top left
set xlabel "present vCPUs"
set ylabel "hot-add: device\\_add to guest online, ms"
plot out."/sweep-add.dat" using ($1*0.94):2:2:3:xtic(1) with yerrorlines lw 2 title "hotcpu (SMM)", \
     "" using ($1*0.98):4:4:5 with yerrorlines lw 2 dt 2 title "hotcpu (no SMM)", \
     "" using ($1*1.02):6:6:7 with yerrorlines lw 2 title "SeaBIOS", \
     "" using ($1*1.06):8:8:9 with yerrorlines lw 2 title "OVMF"
set ylabel "hot-remove: device\\_del to DEVICE\\_DELETED, ms"
plot out."/sweep-remove.dat" using ($1*0.94):2:2:3:xtic(1) with yerrorlines lw 2 title "hotcpu (SMM)", \
     "" using ($1*0.98):4:4:5 with yerrorlines lw 2 dt 2 title "hotcpu (no SMM)", \
     "" using ($1*1.02):6:6:7 with yerrorlines lw 2 title "SeaBIOS", \
     "" using ($1*1.06):8:8:9 with yerrorlines lw 2 title "OVMF"
unset multiplot
