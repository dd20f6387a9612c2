# The build and install as a user meets them: plain make, a missing
# header named with its package, make install (TAP).
check-build: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) $(GUEST_INITRD)
	bash tests/build/test-build.sh $(BUILD)

CHECKS += check-build

.PHONY: check-build

# The README's "By hand" section as written, on a fresh Debian 12 in a
# debootstrap chroot (root, Debian's mirror, minutes): not in make check.
check-fresh:
	bash tests/build/fresh-machine.sh

.PHONY: check-fresh
