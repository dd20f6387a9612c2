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
