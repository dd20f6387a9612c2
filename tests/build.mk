# Tests: every tests/<area>/build.mk adds its programs to CHECKS.
# Unit tests use cmocka and print TAP; boot tests start QEMU (TCG).
CMOCKA_LIBS := -lcmocka
include $(wildcard tests/*/build.mk)
