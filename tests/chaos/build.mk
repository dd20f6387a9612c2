# The chaos soak (tests/chaos/soak.sh): SMM CPU hotplug with two guests
# under a CPU-hungry workload, an oversubscribed host, two hotcpu
# processes at once, guest junk to port 0xB2 and the register block, the
# guest's own CPU offlining, and QEMU killed in the middle of a plug.
#   make soak-chaos    CHAOS_CYCLES (3000) cycles, hours; CHAOS_SLOTS,
#                      CHAOS_TIME_S, CHAOS_OUT, ... (soak.sh's header)
#   make check-chaos   the smoke: one small VM per guest, each killed in
#                      the middle of a plug, about a minute
# Both boot VMs: run them under the VM lock,
#   flock /tmp/hotcpu-vm.lock make soak-chaos
CHAOS := $(BUILD)/chaos
CHAOS_IMGS := $(CHAOS)/bundled.img $(CHAOS)/onliner.img
CHAOS_DEPS := $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) \
	$(CHAOS_IMGS) $(BUILD)/tests/tools/qmp-cmd
CHAOS_CYCLES ?= 3000

$(CHAOS_IMGS) &: tests/chaos/build-initrd.sh guest/append-cpio.sh guest/chaos.sh guest/ioport.c \
		guest/physmem.c $(GUEST_INITRD)
	sh tests/chaos/build-initrd.sh $(BUILD) $(CHAOS) $(CC)

soak-chaos: $(CHAOS_DEPS)
	CHAOS_CYCLES=$(CHAOS_CYCLES) bash tests/chaos/soak.sh $(BUILD)

check-chaos: $(CHAOS_DEPS)
	rm -rf $(CHAOS)/check
	CHAOS_CYCLES=16 CHAOS_SLOTS=16 CHAOS_OUT=$(CHAOS)/check \
		bash tests/chaos/soak.sh $(BUILD)

.PHONY: soak-chaos check-chaos
