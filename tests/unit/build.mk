# Firmware unit tests: firmware logic compiled for the host, with
# tests/unit/support.c and fake_fw_cfg.c standing in for the hardware.
UNIT_CFLAGS := $(HOST_CFLAGS) -DHOTCPU_HOST -Ifirmware/boot -Ifirmware/shared -Itests/unit \
	-Wno-missing-prototypes
UNIT_SUPPORT := support.c fake_fw_cfg.c acpi_fixture.c fake_cpuhp.c
UNIT_FW := $(addprefix boot/,fw_cfg_dir.c e820.c zone.c table_loader.c \
	acpi_fixup.c linux.c) $(addprefix shared/,format.c cpuhp.c \
	cpuhp_plan.c mbox.c smm_phase.c smm_nmi.c)
UNIT_TESTS := table-loader acpi-fixup e820 linux fw-cfg format cpuhp mbox \
	smm-phase smm-nmi

UNIT_LIB_OBJS := $(addprefix $(BUILD)/unit/,$(UNIT_SUPPORT:.c=.o)) \
	$(addprefix $(BUILD)/unit/fw/,$(UNIT_FW:.c=.o))
UNIT_BINS := $(addprefix $(BUILD)/unit/test-,$(UNIT_TESTS))

$(BUILD)/unit/%.o: tests/unit/%.c | $(BUILD)/unit
	$(CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/unit/fw/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/unit/test-%: $(BUILD)/unit/test-%.o $(UNIT_LIB_OBJS)
	$(CC) $(UNIT_CFLAGS) $^ $(CMOCKA_LIBS) -o $@
$(BUILD)/unit:
	mkdir -p $@

ALL += $(UNIT_BINS)
.SECONDARY: $(UNIT_LIB_OBJS) $(UNIT_BINS:=.o)
check-unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done
CHECKS += check-unit
.PHONY: check-unit

-include $(UNIT_LIB_OBJS:.o=.d) $(UNIT_BINS:=.d)
