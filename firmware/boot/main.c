/* The boot sequence. */
#include "acpi.h"
#include "e820.h"
#include "fw_cfg.h"
#include "linux.h"
#include "mp_wakeup.h"
#include "mtrr.h"
#include "pci.h"
#include "q35.h"
#include "smm_setup.h"

void main(void);

void main(void)
{
	q35_setup();
	fw_cfg_setup();
	e820_setup();
	mtrr_setup();
	pci_setup();
	smm_setup();
	mp_wakeup_setup(smm_hotplug_on());
	acpi_setup();
	smm_finish();
	linux_boot();
}
