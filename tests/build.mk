# Tests: every tests/<area>/build.mk adds its programs to CHECKS.
# Unit tests use cmocka and print TAP; boot tests start QEMU (TCG).
CMOCKA_LIBS := -lcmocka
include $(wildcard tests/*/build.mk)

# The unit tests and the tool's unit tests once more under Address- and
# UndefinedBehaviorSanitizer: their own rules, built into $(BUILD)/sanitize.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
check-sanitize:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize \
		CC="$(CC) $(SANITIZE)" check-unit check-tools-unit
CHECKS += check-sanitize
.PHONY: check-sanitize
