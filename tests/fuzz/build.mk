# Fuzz targets: libFuzzer with AddressSanitizer and UndefinedBehavior-
# Sanitizer, one per input surface (tests/fuzz/fuzz-TARGET.c), compiled
# from the firmware's and the tool's own source files. Corpora live in
# tests/fuzz/corpus/TARGET/.
#   make fuzz FUZZ_S=N     every target for N seconds on its corpus
#   make fuzz-merge        fold what make fuzz found into the corpora
#   make check-fuzz        (in make check) every corpus replayed once
FUZZ_CC ?= clang-14
FUZZ_S ?= 60
FZ := $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link -Wall -Wextra -Wformat=2 \
	-Wstrict-prototypes -Wundef -Wwrite-strings -Wno-format-nonliteral \
	$(WERROR) -Iinclude -Itests/fuzz
# Firmware files as the unit tests build them; fw-io/ objects reach
# their ports through tests/fuzz/host/io.h.
FUZZ_FW_CFLAGS := $(FUZZ_CFLAGS) -DHOTCPU_HOST -Ifirmware/boot \
	-Ifirmware/shared -Itests/unit
FUZZ_FW_IO_CFLAGS := $(FUZZ_CFLAGS) -DHOTCPU_HOST -Itests/fuzz/host \
	-Ifirmware/boot -Ifirmware/shared
# JANSSON_* come from tools/build.mk, read later: expand at use.
FUZZ_TOOL_CFLAGS = $(FUZZ_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu

FUZZ_TARGETS := fw-cfg table-loader linux e820 cpuhp-plan mbox qmp \
	guest-console opts
FUZZ_BINS := $(addprefix $(FZ)/fuzz-,$(FUZZ_TARGETS))

# What each target links besides its own fuzz-TARGET.c.
FUZZ_FW_BASE := $(FZ)/obj/fuzz_support.o $(FZ)/obj/fw/shared/format.o
FUZZ_FAKE_FW_CFG := $(FZ)/obj/unit/fake_fw_cfg.o
FUZZ_OBJS_fw-cfg := $(FUZZ_FW_BASE) $(FZ)/obj/fw-io/boot/fw_cfg.o \
	$(FZ)/obj/fw/boot/fw_cfg_dir.o
FUZZ_OBJS_table-loader := $(FUZZ_FW_BASE) $(FUZZ_FAKE_FW_CFG) \
	$(addprefix $(FZ)/obj/fw/boot/,table_loader.o acpi_fixup.o zone.o)
FUZZ_OBJS_linux := $(FUZZ_FW_BASE) $(FUZZ_FAKE_FW_CFG) \
	$(addprefix $(FZ)/obj/fw/boot/,linux.o e820.o)
FUZZ_OBJS_e820 := $(FUZZ_FW_BASE) $(FUZZ_FAKE_FW_CFG) \
	$(FZ)/obj/fw/boot/e820.o
FUZZ_OBJS_cpuhp-plan := $(FUZZ_FW_BASE) $(FZ)/obj/unit/fake_cpuhp.o \
	$(addprefix $(FZ)/obj/fw/shared/,cpuhp.o cpuhp_plan.o)
FUZZ_OBJS_mbox := $(FUZZ_FW_BASE) $(FZ)/obj/fw/shared/mbox.o
# The tool: every file but main.c; fuzz-opts takes main.c renamed, and
# fuzz-qmp a qmp.c whose read(), poll() and send() reach the harness.
FUZZ_TOOL := $(patsubst tools/hotcpu/%.c,$(FZ)/obj/tools/%.o,\
	$(filter-out %/main.c,$(wildcard tools/hotcpu/*.c)))
FUZZ_OBJS_qmp := $(filter-out %/qmp.o,$(FUZZ_TOOL)) $(FZ)/obj/tools/qmp-io.o
FUZZ_OBJS_guest-console := $(FUZZ_TOOL)
FUZZ_OBJS_opts := $(FUZZ_TOOL) $(FZ)/obj/tools/main.o
FUZZ_LIBS_qmp = $(JANSSON_LIBS)
FUZZ_LIBS_guest-console = $(JANSSON_LIBS)
# The commands stop where they would touch a VM (tests/fuzz/fuzz-opts.c).
FUZZ_LIBS_opts = $(JANSSON_LIBS) \
	-Wl,--wrap=session__open,--wrap=vm__open,--wrap=vm__create

$(FZ)/obj/fw/%.o: firmware/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FW_CFLAGS) -MMD -MP -c $< -o $@
$(FZ)/obj/fw-io/%.o: firmware/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FW_IO_CFLAGS) -MMD -MP -c $< -o $@
$(FZ)/obj/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FW_CFLAGS) -MMD -MP -c $< -o $@
$(FZ)/obj/tools/%.o: tools/hotcpu/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_TOOL_CFLAGS) -MMD -MP -c $< -o $@
$(FZ)/obj/tools/main.o: tools/hotcpu/main.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_TOOL_CFLAGS) -Dmain=hotcpu_main -MMD -MP -c $< -o $@
$(FZ)/obj/tools/qmp-io.o: $(FZ)/obj/tools/qmp.o
	objcopy --redefine-sym read=fuzz_read --redefine-sym poll=fuzz_poll \
		--redefine-sym send=fuzz_send $< $@
$(FZ)/obj/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FW_CFLAGS) -MMD -MP -c $< -o $@
$(FZ)/obj/fuzz-qmp.o $(FZ)/obj/fuzz-guest-console.o $(FZ)/obj/fuzz-opts.o: \
		$(FZ)/obj/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_TOOL_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_target
$(FZ)/fuzz-$(1): $(FZ)/obj/fuzz-$(1).o $(FZ)/obj/fuzz_check.o $(FUZZ_OBJS_$(1))
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $$^ $$(FUZZ_LIBS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

fuzz-build: $(FUZZ_BINS)
fuzz: deps
	$(MAKE) fuzz-build
	sh tests/fuzz/run.sh $(FZ) $(FUZZ_S) $(FUZZ_TARGETS)
fuzz-merge: fuzz-build
	sh tests/fuzz/run.sh -merge $(FZ) 0 $(FUZZ_TARGETS)
check-fuzz: $(FUZZ_BINS)
	sh tests/fuzz/run.sh -replay $(FZ) 0 $(FUZZ_TARGETS)
CHECKS += check-fuzz
.PHONY: fuzz fuzz-build fuzz-merge check-fuzz

-include $(shell find $(FZ)/obj -name '*.d' 2>/dev/null)
