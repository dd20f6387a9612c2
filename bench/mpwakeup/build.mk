# bench/mpwakeup: AP bring-up and offline/online through the MP wakeup
# mailbox against INIT-SIPI-SIPI.
$(BUILD)/bench/bench-mpwakeup: bench/mpwakeup/bench-mpwakeup.c tests/boot/vm.c tests/boot/vm.h
	@mkdir -p $(BUILD)/bench
	$(CC) $(HOST_CFLAGS) -Itests/boot bench/mpwakeup/bench-mpwakeup.c tests/boot/vm.c -o $@

ALL += $(BUILD)/bench/bench-mpwakeup
bench-mpwakeup: $(BUILD)/bench/bench-mpwakeup $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	$(BUILD)/bench/bench-mpwakeup 5 | tee $(BUILD)/bench/mpwakeup.txt
BENCHES += bench-mpwakeup
.PHONY: bench-mpwakeup
