# Tests: cmocka unit tests (tests/test-*.c) and boot tests under QEMU.
