# Firmware image: build/hotcpu.fd
FW_ROM_SIZE ?= 0x10000
# Debug level: 0 errors only, 1 one line per phase, 2 per-item detail.
FW_DEBUG ?= 1

FW_CFLAGS := -std=gnu11 -m64 -march=x86-64 -O2 -g \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-delete-null-pointer-checks -fcf-protection=none \
	-mgeneral-regs-only -mno-red-zone -mcmodel=small \
	-fno-asynchronous-unwind-tables -fno-common \
	-Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wundef -Wwrite-strings -Wno-format-nonliteral $(WERROR) \
	-Iinclude -Ifirmware -DDEBUG_LEVEL=$(FW_DEBUG)
FW_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--defsym=ROM_SIZE=$(FW_ROM_SIZE) -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments -T firmware/firmware.lds

FW_SRCS := main.c q35.c fw_cfg.c fw_cfg_dir.c e820.c mtrr.c pci.c \
	acpi.c acpi_fixup.c table_loader.c memory.c zone.c linux.c linux_boot.c \
	heap.c debug.c format.c timer.c string.c exception.c \
	smm_setup.c smm_install.c smram.c smi_features.c apic.c cpuhp.c \
	mp_wakeup.c x86_tables.c
FW_ASM := entry.S exception_stubs.S smm_stub.S first_smi.S ap_trampoline.S \
	smm_blob.S park_blob.S
FW_OBJS := $(addprefix $(BUILD)/fw/,$(FW_SRCS:.c=.o) $(FW_ASM:.S=.o))

$(BUILD)/fw/%.o: firmware/%.c | $(BUILD)/fw
	$(CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fw/%.o: firmware/%.S | $(BUILD)/fw
	$(CC) $(FW_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/fw:
	mkdir -p $@

# The SMM module: position-independent code linked at 0 and copied into
# TSEG as is, so it must hold no absolute relocation (checked below).
SMM_CFLAGS := $(filter-out -fno-pic -fno-pie -mcmodel=small,$(FW_CFLAGS)) \
	-fpie -fvisibility=hidden -DSMM_MODULE
SMM_SRCS := smm/handler.c smm/hw.c smm/timer.c smm_session.c cpuhp.c \
	cpuhp_plan.c debug.c format.c string.c exception.c
SMM_ASM := smm/header.S exception_stubs.S
SMM_OBJS := $(addprefix $(BUILD)/fw/smm/,$(SMM_SRCS:.c=.o) $(SMM_ASM:.S=.o))

$(BUILD)/fw/smm/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fw/smm/%.o: firmware/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/fw/smm.elf: $(SMM_OBJS) firmware/smm/smm.lds scripts/checksmm.sh
	sh scripts/checksmm.sh $(filter-out %/header.o,$(SMM_OBJS))
	$(CC) $(SMM_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
		-T firmware/smm/smm.lds $(SMM_OBJS) -o $@
$(BUILD)/fw/smm.bin: $(BUILD)/fw/smm.elf
	objcopy -O binary -j .header -j .text -j .rodata -j .data $< $@

$(BUILD)/fw/smm_blob.o: $(BUILD)/fw/smm.bin
$(BUILD)/fw/smm_blob.o: FW_CFLAGS += -DSMM_BIN='"$(BUILD)/fw/smm.bin"'

# The park module: where APs wait on the MP wakeup mailbox. Same rules
# as the SMM module: position independent, copied, never relocated.
PARK_SRCS := park/park.c mbox.c
PARK_ASM := park/header.S park/entry.S
PARK_OBJS := $(addprefix $(BUILD)/fw/park/,$(PARK_SRCS:.c=.o) $(PARK_ASM:.S=.o))

$(BUILD)/fw/park/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fw/park/%.o: firmware/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/fw/park.elf: $(PARK_OBJS) firmware/park/park.lds scripts/checksmm.sh
	sh scripts/checksmm.sh $(filter-out %/header.o,$(PARK_OBJS))
	$(CC) $(SMM_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
		-T firmware/park/park.lds $(PARK_OBJS) -o $@
$(BUILD)/fw/park.bin: $(BUILD)/fw/park.elf
	objcopy -O binary -j .header -j .text -j .rodata -j .data $< $@

$(BUILD)/fw/park_blob.o: $(BUILD)/fw/park.bin
$(BUILD)/fw/park_blob.o: FW_CFLAGS += -DPARK_BIN='"$(BUILD)/fw/park.bin"'

$(BUILD)/hotcpu.elf: $(FW_OBJS) firmware/firmware.lds
	$(CC) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_OBJS) -o $@

ALL += $(BUILD)/hotcpu.fd

$(BUILD)/hotcpu.fd: $(BUILD)/hotcpu.elf scripts/checkrom.sh
	objcopy -O binary --gap-fill 0xff $< $@
	sh scripts/checkrom.sh $< $@ $(FW_ROM_SIZE)

-include $(FW_OBJS:.o=.d) $(SMM_OBJS:.o=.d) $(PARK_OBJS:.o=.d)
