# bench-hotplug: vCPU add/remove latency on hotcpu, SeaBIOS and OVMF
# (bench/hotplug/run.sh), with acpi63, the benchmark-only ACPI table
# upgrade for SeaBIOS and OVMF.
$(BUILD)/bench/acpi63: bench/hotplug/acpi63.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< -o $@

bench-hotplug: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(BUILD)/bench/acpi63 \
		$(GUEST_KERNEL) $(GUEST_INITRD)
	bash bench/hotplug/run.sh $(BUILD)

BENCHES += bench-hotplug

.PHONY: bench-hotplug
