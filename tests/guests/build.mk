# Guests that are not the bundled one: Debian's kernel with initramfs
# images the test builds without guest/ (tests/guests/build-initrd.sh),
# driven by build/hotcpu, also attached to a QEMU it did not start.
check-guests: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) \
		$(BUILD)/tests/tools/qmp-cmd
	bash tests/guests/test-guests.sh $(BUILD)

CHECKS += check-guests

.PHONY: check-guests
