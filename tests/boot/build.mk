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

# Hostile configurations: boots that hot-add over QMP, so they link the
# hotplug tests' helpers (tests/hotplug/hp.c) and the QMP client.
BOOT_HP_OBJS := $(addprefix $(BUILD)/hotplug/,hp.o vm.o qmp.o util.o)
$(BUILD)/boot/test-hostile.o: BOOT_CFLAGS += -Itests/hotplug -Itools/hotcpu
$(BUILD)/boot/test-hostile: $(BUILD)/boot/test-hostile.o $(BOOT_HP_OBJS)
	$(CC) $(BOOT_CFLAGS) $^ $(CMOCKA_LIBS) -ljansson -o $@
ALL += $(BUILD)/boot/test-hostile
check-hostile: $(BUILD)/boot/test-hostile $(BUILD)/hotcpu.fd \
		$(GUEST_KERNEL) $(GUEST_INITRD)
	$(BUILD)/boot/test-hostile
CHECKS += check-hostile
.PHONY: check-hostile

-include $(BOOT_HARNESS:.o=.d) $(BOOT_TESTS:=.d) $(BUILD)/boot/test-hostile.d
