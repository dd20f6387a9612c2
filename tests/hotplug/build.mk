# Hotplug tests: SMM-protected CPU hot-add/remove with real Linux under
# QEMU, driven over QMP (tools/hotcpu/qmp.c) and the guest console.
HP_CFLAGS := $(HOST_CFLAGS) -Itests/boot -Itests/hotplug -Itools/hotcpu \
	$(shell pkg-config --cflags jansson 2>/dev/null)
HP_OBJS := $(BUILD)/hotplug/hp.o $(BUILD)/hotplug/vm.o \
	$(BUILD)/hotplug/qmp.o $(BUILD)/hotplug/util.o

$(BUILD)/hotplug/%.o: tests/hotplug/%.c | $(BUILD)/hotplug
	$(CC) $(HP_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/hotplug/vm.o: tests/boot/vm.c | $(BUILD)/hotplug
	$(CC) $(HP_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/hotplug/%.o: tools/hotcpu/%.c | $(BUILD)/hotplug
	$(CC) $(HP_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/hotplug/test-%: $(BUILD)/hotplug/test-%.o $(HP_OBJS)
	$(CC) $(HP_CFLAGS) $^ $(CMOCKA_LIBS) -ljansson -o $@
$(BUILD)/hotplug:
	mkdir -p $@
HP_TESTS := $(BUILD)/hotplug/test-smm-hotplug $(BUILD)/hotplug/test-mp-wakeup
.SECONDARY: $(HP_OBJS) $(HP_TESTS:=.o)

ALL += $(HP_TESTS)
check-hotplug: $(BUILD)/hotplug/test-smm-hotplug $(BUILD)/hotcpu.fd \
		$(GUEST_KERNEL) $(GUEST_INITRD)
	$(BUILD)/hotplug/test-smm-hotplug
check-mp-wakeup: $(BUILD)/hotplug/test-mp-wakeup $(BUILD)/hotcpu.fd \
		$(GUEST_KERNEL) $(GUEST_INITRD) $(GUEST_INITRD_KEXEC)
	$(BUILD)/hotplug/test-mp-wakeup
CHECKS += check-hotplug check-mp-wakeup

# 1000 add/remove cycles over as many VMs as QEMU's TCG limit needs.
soak: $(BUILD)/hotplug/test-smm-hotplug $(BUILD)/hotcpu.fd $(GUEST_KERNEL) \
		$(GUEST_INITRD)
	HOTCPU_HOTPLUG_CYCLES=1000 CMOCKA_TEST_ABORT=1 \
		$(BUILD)/hotplug/test-smm-hotplug
.PHONY: check-hotplug check-mp-wakeup soak

-include $(HP_OBJS:.o=.d) $(HP_TESTS:=.d)

# hotcpu resize 24 and back with SMM, guest console free of warnings.
check-resize: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	bash tests/hotplug/resize.sh $(BUILD) 24
CHECKS += check-resize
.PHONY: check-resize
