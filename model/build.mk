# The platform model: build/hotcpu-model. It links the firmware's own
# hotplug decision code (firmware/shared/) with the model's devices, CPUs
# and OS (model/); mutations are switched on at run time
# (firmware/shared/mutation.h), never in the firmware image.
MODEL_CFLAGS := $(HOST_CFLAGS) -DHOTCPU_HOST -DHOTCPU_MODEL -Imodel \
	-I$(FW_SHARED) -fno-omit-frame-pointer
MODEL_FW := $(addprefix $(FW_SHARED)/,smm_session.c smm_monarch.c smm_nmi.c smm_phase.c smm_boot.c cpuhp.c \
	cpuhp_plan.c mbox.c)
MODEL_SRCS := $(wildcard model/*.c)
MODEL_OBJS := $(patsubst model/%.c,$(BUILD)/model/%.o,$(MODEL_SRCS)) \
	$(BUILD)/model/coro-asm.o \
	$(patsubst $(FW_SHARED)/%.c,$(BUILD)/model/fw/%.o,$(MODEL_FW))

$(BUILD)/model/%.o: model/%.c
	@mkdir -p $(dir $@)
	$(CC) $(MODEL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/model/coro-asm.o: model/coro.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@
$(BUILD)/model/fw/%.o: $(FW_SHARED)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(MODEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hotcpu-model: $(MODEL_OBJS)
	$(CC) $(MODEL_CFLAGS) $^ -o $@

ALL += $(BUILD)/hotcpu-model
PROGRAMS += $(BUILD)/hotcpu-model

-include $(MODEL_OBJS:.o=.d)

# make check: a short campaign per rule set and bring-up, every mutation,
# the seed-004 scenario (tests/model/check-model.sh).
MODEL_CHECK_SCHEDULES ?= 3000
check-model: $(BUILD)/hotcpu-model
	bash tests/model/check-model.sh $(BUILD) $(MODEL_CHECK_SCHEDULES)
CHECKS += check-model

# make model-soak: 10^5 schedules per rule set and bring-up, all faults.
MODEL_SOAK_SCHEDULES ?= 100000
model-soak: $(BUILD)/hotcpu-model
	@for r in kvm tcg; do for b in mailbox sipi; do \
		$(BUILD)/hotcpu-model --rules $$r --bringup $$b --faults all \
			--schedules $(MODEL_SOAK_SCHEDULES) --cycles 8 --json \
			| tee -a $(BUILD)/model-soak.jsonl; \
	done; done
.PHONY: check-model model-soak
