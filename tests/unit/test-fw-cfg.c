/* Unit tests: decoding the fw_cfg file directory. */
#include <string.h>

#include "fw_cfg.h"
#include "lib.h"
#include "support.h"

static uint8_t raw[4 + 3 * 64];
static struct fw_cfg_file files[8];

static int setup(void **state)
{
	static const char *names[] = { "etc/e820", "etc/table-loader",
				       "etc/acpi/rsdp" };

	(void)state;
	support_reset();
	memset(raw, 0, sizeof(raw));
	le_write(raw, 4, cpu_to_be32(3));
	for (int i = 0; i < 3; i++) {
		struct fw_cfg_dir_entry *e = (void *)(raw + 4 + 64 * i);

		e->size = cpu_to_be32(100 + i);
		e->select = be16_to_cpu(0x20 + i);
		strcpy(e->name, names[i]);
	}
	return 0;
}

static void test_parse_directory(void **state)
{
	(void)state;
	assert_int_equal(fw_cfg_dir_parse(raw, sizeof(raw), files, 8), 3);
	assert_string_equal(files[1].name, "etc/table-loader");
	assert_int_equal(files[1].size, 101);
	assert_int_equal(files[2].select, 0x22);
}

static void test_name_without_nul(void **state)
{
	(void)state;
	memset(raw + 4 + 64 + 8, 'x', 56);
	assert_int_equal(fw_cfg_dir_parse(raw, sizeof(raw), files, 8), -1);
	assert_log("fw_cfg: file 1: name is not NUL-terminated within 56");
}

static void test_count_overruns(void **state)
{
	(void)state;
	le_write(raw, 4, cpu_to_be32(4));
	assert_int_equal(fw_cfg_dir_parse(raw, sizeof(raw), files, 8), -1);
	assert_log("claims 4 files, room for 3");
	le_write(raw, 4, cpu_to_be32(3));
	assert_int_equal(fw_cfg_dir_parse(raw, sizeof(raw), files, 2), -1);
	assert_int_equal(fw_cfg_dir_parse(raw, 3, files, 8), -1);
	assert_log("shorter than its count");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_directory, setup),
		cmocka_unit_test_setup(test_name_without_nul, setup),
		cmocka_unit_test_setup(test_count_overruns, setup),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("fw-cfg", tests, NULL, NULL);
}
