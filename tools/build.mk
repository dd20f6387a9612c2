# Host tools: build/hotcpu (tools/hotcpu/), the command line that runs VMs
# and plugs, unplugs, resizes and stresses their vCPUs over QMP.
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)

HOTCPU_SRCS := $(sort $(wildcard tools/hotcpu/*.c))
HOTCPU_OBJS := $(patsubst tools/hotcpu/%.c,$(BUILD)/tools/%.o,$(HOTCPU_SRCS))

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
