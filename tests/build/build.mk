# The build and install as a user meets them: plain make, a missing
# header named with its package, make install (TAP).
check-build: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	bash tests/build/test-build.sh $(BUILD)

CHECKS += check-build

.PHONY: check-build
