# bench-hotplug: vCPU add/remove latency on hotcpu, SeaBIOS and OVMF
# (bench/hotplug/run.sh), with acpi63, the benchmark-only ACPI table
# upgrade for SeaBIOS and OVMF, and hmp, the monitor client that turns
# QEMU's logs on and off around each operation for the SMM counts.
$(BUILD)/bench/acpi63: bench/hotplug/acpi63.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< -o $@

$(BUILD)/bench/hmp: bench/hotplug/hmp.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< -o $@

bench-hotplug: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(BUILD)/bench/acpi63 \
		$(BUILD)/bench/hmp $(GUEST_KERNEL) $(GUEST_INITRD)
	bash bench/hotplug/run.sh $(BUILD)

BENCHES += bench-hotplug

# bench-resize: hotcpu resize 24 from 1 and back, SMM on and off, with
# the SMIs each took (bench/hotplug/resize.sh); bench-hotplug runs it too.
bench-resize: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	bash bench/hotplug/resize.sh $(BUILD)

.PHONY: bench-hotplug bench-resize

# Latency against present vCPUs (1, 8, 16, 32): about 20 minutes here.
bench-hotplug-sweep: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(BUILD)/bench/acpi63 \
		$(GUEST_KERNEL) $(GUEST_INITRD)
	bash bench/hotplug/sweep.sh $(BUILD)

BENCHES += bench-hotplug-sweep

.PHONY: bench-hotplug-sweep
