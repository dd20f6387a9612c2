# The bundled guest under build/guest: the kernel is downloaded once
# (delete it to fetch again), the initramfs follows its sources.
GUEST := $(BUILD)/guest
GUEST_KERNEL := $(GUEST)/vmlinuz
GUEST_INITRD := $(GUEST)/initrd.img

$(GUEST_KERNEL):
	sh guest/build.sh kernel $(GUEST)

$(GUEST_INITRD): guest/build.sh guest/init.sh guest/cpuwatch.c guest/ioport.c guest/physmem.c
	sh guest/build.sh initrd $(GUEST) $(CC)

# For the tests that kexec (tests/hotplug/build.mk lists it): it needs
# kexec-tools, which `make guest` alone, as the README's "By hand" runs
# it, must not.
GUEST_INITRD_KEXEC := $(GUEST)/initrd-kexec.img
$(GUEST_INITRD_KEXEC): $(GUEST_KERNEL) $(GUEST_INITRD) guest/build.sh \
		guest/append-cpio.sh
	sh guest/build.sh kexec $(GUEST) $(CC)

guest: $(GUEST_KERNEL) $(GUEST_INITRD)

.PHONY: guest
