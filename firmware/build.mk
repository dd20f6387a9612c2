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
	-Iinclude -DDEBUG_LEVEL=$(FW_DEBUG)
FW_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--defsym=ROM_SIZE=$(FW_ROM_SIZE) -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments -T firmware/boot/firmware.lds

# Three programs, one directory each, and what they share:
#   firmware/boot/    the boot image (reset vector to the Linux kernel)
#   firmware/smm/     the SMM module, copied into TSEG
#   firmware/park/    the park module, where APs wait on the MP wakeup mailbox
#   firmware/shared/  library code, layouts shared between the programs, and
#                     the hotplug decision code the unit tests and the
#                     platform model (model/) link as well
FW_SHARED := firmware/shared
FW_SRCS := boot/main.c boot/q35.c boot/fw_cfg.c boot/fw_cfg_dir.c \
	boot/e820.c boot/mtrr.c boot/pci.c boot/acpi.c boot/acpi_fixup.c \
	boot/table_loader.c boot/memory.c boot/zone.c boot/linux.c \
	boot/linux_boot.c boot/heap.c shared/debug.c shared/format.c \
	boot/timer.c shared/string.c shared/exception.c boot/smm_setup.c \
	boot/smm_install.c boot/smram.c boot/smi_features.c boot/apic.c \
	shared/cpuhp.c shared/smm_boot.c boot/mp_wakeup.c boot/x86_tables.c
FW_ASM := boot/entry.S shared/exception_stubs.S boot/smm_stub.S \
	boot/first_smi.S boot/ap_trampoline.S boot/smm_blob.S boot/park_blob.S
FW_OBJS := $(addprefix $(BUILD)/fw/,$(FW_SRCS:.c=.o) $(FW_ASM:.S=.o))
BOOT_INC := -Ifirmware/boot -I$(FW_SHARED)

$(BUILD)/fw/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FW_CFLAGS) $(BOOT_INC) -MMD -MP -c $< -o $@

$(BUILD)/fw/%.o: firmware/%.S
	@mkdir -p $(dir $@)
	$(CC) $(FW_CFLAGS) $(BOOT_INC) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

# The SMM module: position-independent code linked at 0 and copied into
# TSEG as is, so it must hold no absolute relocation (checked below).
SMM_CFLAGS := $(filter-out -fno-pic -fno-pie -mcmodel=small,$(FW_CFLAGS)) \
	-fpie -fvisibility=hidden -DSMM_MODULE
SMM_SRCS := smm/handler.c smm/hw.c smm/nmi.c smm/timer.c \
	$(addprefix shared/,smm_session.c smm_monarch.c smm_nmi.c smm_phase.c cpuhp.c cpuhp_plan.c debug.c \
	format.c string.c exception.c)
SMM_ASM := smm/header.S smm/nmi_entry.S shared/exception_stubs.S
SMM_OBJS := $(addprefix $(BUILD)/smm/,$(SMM_SRCS:.c=.o) $(SMM_ASM:.S=.o))
SMM_INC := -Ifirmware/smm -I$(FW_SHARED)

$(BUILD)/smm/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) $(SMM_INC) -MMD -MP -c $< -o $@
$(BUILD)/smm/%.o: firmware/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) $(SMM_INC) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/smm/smm.elf: $(SMM_OBJS) firmware/smm/smm.lds scripts/checksmm.sh
	sh scripts/checksmm.sh $(filter-out %/header.o,$(SMM_OBJS))
	$(CC) $(SMM_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
		-T firmware/smm/smm.lds $(SMM_OBJS) -o $@
$(BUILD)/smm/smm.bin: $(BUILD)/smm/smm.elf
	objcopy -O binary -j .header -j .text -j .rodata -j .data $< $@

$(BUILD)/fw/boot/smm_blob.o: $(BUILD)/smm/smm.bin
$(BUILD)/fw/boot/smm_blob.o: FW_CFLAGS += -DSMM_BIN='"$(BUILD)/smm/smm.bin"'

# The park module: where APs wait on the MP wakeup mailbox. Same rules
# as the SMM module: position independent, copied, never relocated.
PARK_SRCS := park/park.c shared/mbox.c
PARK_ASM := park/header.S park/entry.S
PARK_OBJS := $(addprefix $(BUILD)/park/,$(PARK_SRCS:.c=.o) $(PARK_ASM:.S=.o))
PARK_INC := -Ifirmware/park -I$(FW_SHARED)

$(BUILD)/park/%.o: firmware/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) $(PARK_INC) -MMD -MP -c $< -o $@
$(BUILD)/park/%.o: firmware/%.S
	@mkdir -p $(dir $@)
	$(CC) $(SMM_CFLAGS) $(PARK_INC) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/park/park.elf: $(PARK_OBJS) firmware/park/park.lds scripts/checksmm.sh
	sh scripts/checksmm.sh $(filter-out %/header.o,$(PARK_OBJS))
	$(CC) $(SMM_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
		-T firmware/park/park.lds $(PARK_OBJS) -o $@
$(BUILD)/park/park.bin: $(BUILD)/park/park.elf
	objcopy -O binary -j .header -j .text -j .rodata -j .data $< $@

$(BUILD)/fw/boot/park_blob.o: $(BUILD)/park/park.bin
$(BUILD)/fw/boot/park_blob.o: FW_CFLAGS += -DPARK_BIN='"$(BUILD)/park/park.bin"'

$(BUILD)/hotcpu.elf: $(FW_OBJS) firmware/boot/firmware.lds
	$(CC) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_OBJS) -o $@

ALL += $(BUILD)/hotcpu.fd

$(BUILD)/hotcpu.fd: $(BUILD)/hotcpu.elf scripts/checkrom.sh
	objcopy -O binary --gap-fill 0xff $< $@
	sh scripts/checkrom.sh $< $@ $(FW_ROM_SIZE)

-include $(FW_OBJS:.o=.d) $(SMM_OBJS:.o=.d) $(PARK_OBJS:.o=.d)
