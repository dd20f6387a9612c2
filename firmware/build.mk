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
	heap.c debug.c format.c timer.c string.c exception.c
FW_ASM := entry.S exception_stubs.S
FW_OBJS := $(addprefix $(BUILD)/fw/,$(FW_SRCS:.c=.o) $(FW_ASM:.S=.o))

$(BUILD)/fw/%.o: firmware/%.c | $(BUILD)/fw
	$(CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fw/%.o: firmware/%.S | $(BUILD)/fw
	$(CC) $(FW_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(BUILD)/fw:
	mkdir -p $@

$(BUILD)/hotcpu.elf: $(FW_OBJS) firmware/firmware.lds
	$(CC) $(FW_CFLAGS) $(FW_LDFLAGS) $(FW_OBJS) -o $@

ALL += $(BUILD)/hotcpu.fd

$(BUILD)/hotcpu.fd: $(BUILD)/hotcpu.elf scripts/checkrom.sh
	objcopy -O binary --gap-fill 0xff $< $@
	sh scripts/checkrom.sh $< $@ $(FW_ROM_SIZE)

-include $(FW_OBJS:.o=.d)
