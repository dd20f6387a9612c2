# bench/boot: QEMU start -> kernel entry / first kernel line / init,
# hotcpu against SeaBIOS and OVMF.
$(BUILD)/bench/bench-boot: bench/boot/bench-boot.c tests/boot/vm.c tests/boot/vm.h
	@mkdir -p $(BUILD)/bench
	$(CC) $(HOST_CFLAGS) -Itests/boot bench/boot/bench-boot.c tests/boot/vm.c -o $@

ALL += $(BUILD)/bench/bench-boot
bench-boot: $(BUILD)/bench/bench-boot $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	$(BUILD)/bench/bench-boot 5 | tee $(BUILD)/bench/boot.txt
BENCHES += bench-boot
# hotcpu against SeaBIOS with APs at boot, -smp 4 and -smp 8 (issue 9).
bench-boot-smp: $(BUILD)/bench/bench-boot $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	$(BUILD)/bench/bench-boot 5 4 | tee $(BUILD)/bench/boot-smp4.txt
	$(BUILD)/bench/bench-boot 5 8 | tee $(BUILD)/bench/boot-smp8.txt
BENCHES += bench-boot-smp
.PHONY: bench-boot bench-boot-smp
