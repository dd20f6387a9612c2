# libvirt: a libvirtd of the test's own runs Debian's kernel with an
# initramfs that is not the bundled guest on our firmware; virsh
# setvcpus --live up and down, hotcpu --qmp on the same VM. Installs a
# missing libvirt through scripts/deps.sh, skips saying why if it can't.
check-libvirt: $(BUILD)/hotcpu $(BUILD)/hotcpu.fd $(GUEST_KERNEL) \
		$(BUILD)/tests/tools/qmp-cmd
	bash tests/libvirt/test-libvirt.sh $(BUILD)

CHECKS += check-libvirt

.PHONY: check-libvirt
