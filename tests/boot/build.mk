# Boot tests: real Linux on build/hotcpu.fd under QEMU (TCG).
BOOT_CFLAGS := $(HOST_CFLAGS) -Itests/boot
BOOT_HARNESS := $(BUILD)/boot/vm.o
BOOT_TESTS := $(BUILD)/boot/test-boot

$(BUILD)/boot/%.o: tests/boot/%.c | $(BUILD)/boot
	$(CC) $(BOOT_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/boot/test-%: $(BUILD)/boot/test-%.o $(BOOT_HARNESS)
	$(CC) $(BOOT_CFLAGS) $^ $(CMOCKA_LIBS) -o $@
$(BUILD)/boot:
	mkdir -p $@
.SECONDARY: $(BOOT_HARNESS) $(BOOT_TESTS:=.o)

# Debian's QEMU 7.2 beside the system QEMU, for the compatibility test.
$(BUILD)/qemu-7.2/.done: scripts/qemu-7.2.sh
	-sh scripts/qemu-7.2.sh $(BUILD)/qemu-7.2 && touch $@

ALL += $(BOOT_TESTS)
check-boot: $(BOOT_TESTS) $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD) \
		$(BUILD)/qemu-7.2/.done
	$(BUILD)/boot/test-boot
CHECKS += check-boot
.PHONY: check-boot

-include $(BOOT_HARNESS:.o=.d) $(BOOT_TESTS:=.d)
