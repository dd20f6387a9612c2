# Host tools: build/hotcpu (tools/hotcpu/), the command line that runs VMs
# and plugs, unplugs, resizes and stresses their vCPUs over QMP.
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)

HOTCPU_SRCS := $(sort $(wildcard tools/hotcpu/*.c))
HOTCPU_OBJS := $(patsubst tools/hotcpu/%.c,$(BUILD)/tools/%.o,$(HOTCPU_SRCS))

# What plain `make` needs, named by the Debian package that provides it:
# checked once, before the first object of the firmware or the tool.
define HOTCPU_HEADER_CHECK
printf '#include <$(1)>\n' | $(CC) $(JANSSON_CFLAGS) -E -x c - >/dev/null \
	2>&1 || { echo "hotcpu: $(1) not found: apt-get install $(2)" >&2; \
	exit 1; }
endef

$(BUILD)/tools/.deps-ok: | $(BUILD)/tools
	@command -v $(firstword $(CC)) >/dev/null || { echo "hotcpu: C \
	compiler '$(firstword $(CC))' not found: apt-get install gcc" >&2; \
	exit 1; }
	@$(call HOTCPU_HEADER_CHECK,stdio.h,libc6-dev)
	@$(call HOTCPU_HEADER_CHECK,jansson.h,libjansson-dev)
	@touch $@

$(HOTCPU_OBJS) $(FW_OBJS) $(SMM_OBJS) $(PARK_OBJS): | $(BUILD)/tools/.deps-ok

$(BUILD)/tools/%.o: tools/hotcpu/%.c | $(BUILD)/tools
	$(CC) $(HOST_CFLAGS) $(JANSSON_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tools:
	mkdir -p $@

$(BUILD)/hotcpu: $(HOTCPU_OBJS)
	$(CC) $(HOST_CFLAGS) $(HOTCPU_OBJS) $(JANSSON_LIBS) -o $@

ALL += $(BUILD)/hotcpu

-include $(HOTCPU_OBJS:.o=.d)

# make demo: boot the bundled guest, plug 3 vCPUs, unplug 2, timeline.
demo: deps
	$(MAKE) $(BUILD)/hotcpu $(BUILD)/hotcpu.fd guest
	sh tools/demo.sh $(BUILD)
