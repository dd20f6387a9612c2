# Platform model device tests: the CPU hotplug block and the AML as C
# under cmocka (TAP), and the block against real QEMU (diff-qtest).
# Objects live under $(BUILD)/tests/model/ so they never clash with the
# model's own build (model/build.mk).
TM := $(BUILD)/tests/model
TM_CFLAGS := $(HOST_CFLAGS) -Imodel -Ifirmware/shared
TM_MODEL := $(TM)/cpuhp_dev.o $(TM)/aml.o

$(TM)/%.o: model/%.c | $(TM)
	$(CC) $(TM_CFLAGS) -MMD -MP -c $< -o $@
$(TM)/%.o: tests/model/%.c | $(TM)
	$(CC) $(TM_CFLAGS) $(JANSSON_CFLAGS) -Itools/hotcpu -MMD -MP \
		-c $< -o $@
$(TM):
	mkdir -p $@

$(TM)/test-cpuhp-dev: $(TM)/test-cpuhp-dev.o $(TM)/cpuhp_dev.o
	$(CC) $(TM_CFLAGS) $^ $(CMOCKA_LIBS) -o $@
$(TM)/test-aml: $(TM)/test-aml.o $(TM_MODEL)
	$(CC) $(TM_CFLAGS) $^ $(CMOCKA_LIBS) -o $@

TM_UNIT := $(TM)/test-cpuhp-dev $(TM)/test-aml
ALL += $(TM_UNIT)

check-model-unit: $(TM_UNIT)
	@for t in $(TM_UNIT); do $$t || exit 1; done

CHECKS += check-model-unit
.PHONY: check-model-unit

-include $(wildcard $(TM)/*.d)

# The differential test against QEMU: about 12000 operations in
# make check; model-diff-soak runs HOTCPU_DIFF_SOAK_OPS of them.
TM_DIFF_OBJS := $(TM)/diff-qtest.o $(TM)/diff_ops.o $(TM)/q35_qtest.o \
	$(TM)/qtest.o $(TM_MODEL) $(BUILD)/tools/qmp.o $(BUILD)/tools/util.o
$(TM)/diff-qtest: $(TM_DIFF_OBJS)
	$(CC) $(TM_CFLAGS) $^ $(JANSSON_LIBS) -o $@
ALL += $(TM)/diff-qtest

check-model-diff: $(TM)/diff-qtest
	$(TM)/diff-qtest

HOTCPU_DIFF_SOAK_OPS ?= 1000000
model-diff-soak: $(TM)/diff-qtest
	HOTCPU_DIFF_OPS=$(HOTCPU_DIFF_SOAK_OPS) \
		HOTCPU_DIFF_SEED=$${HOTCPU_DIFF_SEED:-$$(date +%s)} \
		$(TM)/diff-qtest

CHECKS += check-model-diff
.PHONY: check-model-diff model-diff-soak
