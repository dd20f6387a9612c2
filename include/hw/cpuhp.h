/* QEMU ACPI CPU hotplug register block, "modern" interface
 * (QEMU docs/specs/acpi_cpu_hotplug.rst, hw/acpi/cpu.c).
 * Offset 0 reads as command data 2 and writes as the CPU selector: the
 * names carry the access mode. Little-endian. */
#ifndef HW_CPUHP_H
#define HW_CPUHP_H

#define CPUHP_BASE_Q35		0x0cd8	/* ICH9 LPC */
#define CPUHP_BASE_PIIX		0xaf00
#define CPUHP_LEN		12

/* Read-only view */
#define CPUHP_R_CMD_DATA2	0x0	/* u32; 0 after cmd 0, hi arch id after 3 */
#define CPUHP_R_CPU_STAT	0x4	/* u8 */
#define CPUHP_STAT_ENABLED	(1u << 0)	/* CPU present */
#define CPUHP_STAT_INSERT	(1u << 1)	/* insert event pending */
#define CPUHP_STAT_REMOVE	(1u << 2)	/* remove event (OSPM's) */
#define CPUHP_STAT_FW_REMOVE	(1u << 4)	/* OSPM handed eject to fw */

/* Write-only view */
#define CPUHP_W_CPU_SEL		0x0	/* u32 selector, 0..max_cpus-1 */
#define CPUHP_W_CPU_CTL		0x4	/* u8; one action per write */
#define CPUHP_CTL_CLEAR_INSERT	(1u << 1)
#define CPUHP_CTL_CLEAR_REMOVE	(1u << 2)
#define CPUHP_CTL_EJECT		(1u << 3)
#define CPUHP_CTL_FW_REMOVE	(1u << 4)
#define CPUHP_W_CMD		0x5	/* u8 */

/* Read/write */
#define CPUHP_RW_CMD_DATA	0x8	/* u32 */

/* Commands written to CPUHP_W_CMD */
#define CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT 0x0	/* data = selector */
#define CPUHP_CMD_OST_EVENT	0x1	/* data written = _OST event */
#define CPUHP_CMD_OST_STATUS	0x2	/* data written = _OST status */
#define CPUHP_CMD_GET_CPU_ID	0x3	/* data = arch id low, data2 = high */

/* Legacy interface: writing 0 to the first dword switches to modern. */
#define CPUHP_LEGACY_SWITCH	0x0

#endif
