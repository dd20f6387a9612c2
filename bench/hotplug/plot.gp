# Latency distributions of bench-hotplug (empirical CDFs), from the
# one-column sample files run.sh writes; call with -e "out='DIR'".
# hotcpu is plotted with SMM (the main table's column) and without.
set terminal pngcairo size 1100,480 font ",10"
set output out."/latency.png"
set multiplot layout 1,2 title "vCPU hot-plug latency (QEMU TCG, q35; SeaBIOS and OVMF with the initrd ACPI 6.3 table upgrade)"
set logscale x
set grid
set key bottom right
set ylabel "fraction of operations"
set yrange [0:1.02]
set xlabel "hot-add: device\\_add to guest online, ms"
plot out."/hotcpu-add.dat" using 1:(1) smooth cnormal with steps lw 2 title "hotcpu (SMM)", \
     out."/hotcpu-nosmm-add.dat" using 1:(1) smooth cnormal with steps lw 2 dt 2 title "hotcpu (no SMM)", \
     out."/seabios-add.dat" using 1:(1) smooth cnormal with steps lw 2 title "SeaBIOS", \
     out."/ovmf-add.dat" using 1:(1) smooth cnormal with steps lw 2 title "OVMF"
set xlabel "hot-remove: device\\_del to DEVICE\\_DELETED, ms"
plot out."/hotcpu-remove.dat" using 1:(1) smooth cnormal with steps lw 2 title "hotcpu (SMM)", \
     out."/hotcpu-nosmm-remove.dat" using 1:(1) smooth cnormal with steps lw 2 dt 2 title "hotcpu (no SMM)", \
     out."/seabios-remove.dat" using 1:(1) smooth cnormal with steps lw 2 title "SeaBIOS", \
     out."/ovmf-remove.dat" using 1:(1) smooth cnormal with steps lw 2 title "OVMF"
unset multiplot
