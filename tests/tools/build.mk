# Command line tests: the QMP client against a fake server (cmocka, TAP),
# then build/hotcpu against real QEMU (TAP from a shell script).
TEST_TOOLS := $(BUILD)/tests/tools

$(TEST_TOOLS)/test-qmp: tests/tools/test-qmp.c $(BUILD)/tools/qmp.o \
		$(BUILD)/tools/util.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu $^ \
		$(CMOCKA_LIBS) $(JANSSON_LIBS) -lpthread -o $@

# The console parser and what guest.c links of the tool.
$(TEST_TOOLS)/test-guest: tests/tools/test-guest.c $(BUILD)/tools/guest.o \
		$(BUILD)/tools/vm.o $(BUILD)/tools/qmp.o $(BUILD)/tools/util.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu $^ \
		$(CMOCKA_LIBS) $(JANSSON_LIBS) -o $@

# The CPU list cpus__query() builds from QEMU's replies.
$(TEST_TOOLS)/test-cpus: tests/tools/test-cpus.c $(BUILD)/tools/cpus.o \
		$(BUILD)/tools/qmp.o $(BUILD)/tools/util.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu $^ \
		$(CMOCKA_LIBS) $(JANSSON_LIBS) -lpthread -o $@

# The guest-progress probe against a fake QEMU.
$(TEST_TOOLS)/test-probe: tests/tools/test-probe.c $(BUILD)/tools/probe.o \
		$(BUILD)/tools/cpus.o $(BUILD)/tools/events.o \
		$(BUILD)/tools/vm.o $(BUILD)/tools/qmp.o $(BUILD)/tools/util.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu $^ \
		$(CMOCKA_LIBS) $(JANSSON_LIBS) -lpthread -o $@

check-tools-unit: $(TEST_TOOLS)/test-qmp $(TEST_TOOLS)/test-guest \
		$(TEST_TOOLS)/test-cpus $(TEST_TOOLS)/test-probe
	CMOCKA_MESSAGE_OUTPUT=tap $(TEST_TOOLS)/test-qmp
	CMOCKA_MESSAGE_OUTPUT=tap $(TEST_TOOLS)/test-guest
	CMOCKA_MESSAGE_OUTPUT=tap $(TEST_TOOLS)/test-cpus
	CMOCKA_MESSAGE_OUTPUT=tap $(TEST_TOOLS)/test-probe

CHECKS += check-tools-unit

# One QMP command from a shell test (stop, cont, device_add of its own).
$(TEST_TOOLS)/qmp-cmd: tests/tools/qmp-cmd.c $(BUILD)/tools/qmp.o \
		$(BUILD)/tools/util.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu $^ \
		$(JANSSON_LIBS) -o $@
ALL += $(TEST_TOOLS)/qmp-cmd

.PHONY: check-tools-unit

# Real QEMU, our firmware and SeaBIOS; needs the bundled guest.
check-tools-cli: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) \
		$(GUEST_INITRD)
	bash tests/tools/cli.sh $(BUILD)

CHECKS += check-tools-cli

.PHONY: check-tools-cli
