/* Host-side stand-ins for the firmware's debug output, heap and fw_cfg
 * device, so firmware logic runs under cmocka. */
#ifndef TESTS_UNIT_SUPPORT_H
#define TESTS_UNIT_SUPPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Everything dprintf() printed since the last support_reset(). */
extern char support_log[65536];
bool support_log_has(const char *needle);
void support_reset(void);

/* Memory below 4 GiB, so 32-bit ACPI pointers can hold its addresses. */
void *arena_alloc(size_t size);

/* In-memory fw_cfg (tests/unit/fake_fw_cfg.c). */
void fake_fw_cfg_reset(void);
uint16_t fake_fw_cfg_add_file(const char *name, const void *data,
			      uint32_t size);
void fake_fw_cfg_set_item(uint16_t key, const void *data, uint32_t size);
const uint8_t *fake_fw_cfg_file_data(const char *name);
extern bool fake_fw_cfg_dma;

/* Asserts a log line and prints the log if it is missing. */
#define assert_log(needle)                                                   \
	do {                                                                 \
		if (!support_log_has(needle))                                \
			print_message("log was:\n%s", support_log);          \
		assert_true(support_log_has(needle));                        \
	} while (0)

#endif
