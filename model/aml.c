/* QEMU 10.0.2's generated CPU hotplug AML, method by method.
 *
 * Source lines (hw/acpi/cpu.c of QEMU 10.0.2, build_cpus_aml()):
 *   fields (PRST: CPEN..CCMD; CSEL, CDAT)   382-410
 *   aml_ini()   PRES._INI                   412-419
 *   notify()    CTFY                        440-452
 *   aml_sta()   CSTA, C%03X._STA            454-470, 694-696
 *   aml_ej0()   CEJ0, C%03X._EJ0            472-487, 704-708
 *   aml_cscn()  CSCN, \_GPE._E02            489-661, 732-734
 *   aml_ost()   COST, C%03X._OST            663-676, 710-715
 * and hw/i386/acpi-build.c: SMI0.SMIC at the FADT's smi_cmd (166,
 * 1413-1435), the options q35 passes (1470-1478).
 *
 * Every access below is one the AML makes, in its order; locals,
 * packages and Debug stores make none. */
#include <errno.h>

#include "aml.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"

static uint32_t rd(const struct aml_cpus *a, unsigned off, unsigned size)
{
	return a->p->io_read(a->p->ctx, (uint16_t)(a->base + off), size);
}

static void wr(const struct aml_cpus *a, unsigned off, unsigned size,
	       uint32_t v)
{
	a->p->io_write(a->p->ctx, (uint16_t)(a->base + off), size, v);
}

static void acquire(const struct aml_cpus *a)
{
	if (a->acquire)
		a->acquire(a->ctx);
}

static void release(const struct aml_cpus *a)
{
	if (a->release)
		a->release(a->ctx);
}

/* Store(x, CSEL): DWordAcc, the whole dword. */
static void csel(const struct aml_cpus *a, uint32_t idx)
{
	wr(a, CPUHP_W_CPU_SEL, 4, idx);
}

/* Store(x, CCMD): ByteAcc, the whole byte at offset 5. */
static void ccmd(const struct aml_cpus *a, uint32_t cmd)
{
	wr(a, CPUHP_W_CMD, 1, cmd);
}

/* CDAT: DWordAcc at offset 8. */
static uint32_t cdat(const struct aml_cpus *a)
{
	return rd(a, CPUHP_RW_CMD_DATA, 4);
}

/* A one-bit field of the status byte (CPEN, CINS, CRMV): one byte read
 * each time the AML names it. */
static bool flag(const struct aml_cpus *a, uint32_t bit)
{
	return rd(a, CPUHP_R_CPU_STAT, 1) & bit;
}

/* Store(One, CINS/CRMV/CEJ0/CEJF): WriteAsZeros, so only that bit. */
static void ctl(const struct aml_cpus *a, uint32_t bit)
{
	wr(a, CPUHP_W_CPU_CTL, 1, bit);
}

/* Store(4, \_SB.PCI0.SMI0.SMIC): ByteAcc at the FADT's SMI_CMD. */
static void smic(const struct aml_cpus *a)
{
	a->p->io_write(a->p->ctx, a->smi_port, 1, APM_CNT_CPU_HOTPLUG);
}

/* CTFY: If (LEqual(Arg0, i)) Notify(C%03X, Arg1) for each possible
 * CPU: a uid with no CPU object notifies nothing. */
static void notify(const struct aml_cpus *a, uint32_t uid, uint32_t event)
{
	if (uid < a->nr && a->notify)
		a->notify(a->ctx, uid, event);
}

void aml_ini(const struct aml_cpus *a)
{
	/* In legacy mode this is a zero byte at offset 0: QEMU switches
	 * to the modern block. In modern mode it selects CPU 0. */
	csel(a, 0);
}

int aml_sta(const struct aml_cpus *a, uint32_t idx, uint32_t *sta)
{
	uint32_t v = 0;

	if (idx >= a->nr)
		return -ENOENT;
	acquire(a);
	csel(a, idx);
	if (flag(a, CPUHP_STAT_ENABLED))
		v = AML_STA_PRESENT;
	release(a);
	*sta = v;
	return 0;
}

int aml_ej0(const struct aml_cpus *a, uint32_t idx)
{
	if (idx >= a->nr || idx == a->bsp)
		return -ENOENT;
	acquire(a);
	csel(a, idx);
	if (a->fw_unplugs_cpu) {
		/* CEJF: the firmware ejects, in the SMI that follows. */
		ctl(a, CPUHP_CTL_FW_REMOVE);
		smic(a);
	} else {
		ctl(a, CPUHP_CTL_EJECT);
	}
	release(a);
	return 0;
}

int aml_ost(const struct aml_cpus *a, uint32_t idx, uint32_t event,
	    uint32_t status)
{
	if (idx >= a->nr)
		return -ENOENT;
	acquire(a);
	csel(a, idx);
	ccmd(a, CPUHP_CMD_OST_EVENT);
	wr(a, CPUHP_RW_CMD_DATA, 4, event);
	ccmd(a, CPUHP_CMD_OST_STATUS);
	/* QEMU sends ACPI_DEVICE_OST here. */
	wr(a, CPUHP_RW_CMD_DATA, 4, status);
	release(a);
	return 0;
}

/* CSCN's inner While: scans from *uid with GET_NEXT until a CPU without
 * insert or remove event, the end, a wrap or a full list. Returns
 * has_job: 1 when a list filled up and another pass is needed. */
static int cscn_collect(const struct aml_cpus *a, uint32_t *uid,
			uint32_t *new_cpus, uint32_t *n_new,
			uint32_t *ej_cpus, uint32_t *n_ej)
{
	int has_event = 1;

	while (has_event && *uid < a->nr) {
		has_event = 0;
		csel(a, *uid);
		ccmd(a, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
		/* The scan wrapped: every CPU after uid is done. */
		if (cdat(a) < *uid)
			break;
		if (*n_new == AML_CSCN_PER_PASS || *n_ej == AML_CSCN_PER_PASS)
			return 1;
		/* A second read of CDAT: the selected CPU. */
		*uid = cdat(a);
		if (flag(a, CPUHP_STAT_INSERT)) {
			new_cpus[(*n_new)++] = *uid;
			has_event = 1;
		}
		if (flag(a, CPUHP_STAT_REMOVE)) {
			ej_cpus[(*n_ej)++] = *uid;
			has_event = 1;
		}
		/* A CPU with only fw_remove set ends the scan here. */
		(*uid)++;
	}
	return 0;
}

void aml_cscn(const struct aml_cpus *a)
{
	uint32_t new_cpus[AML_CSCN_PER_PASS], ej_cpus[AML_CSCN_PER_PASS];
	uint32_t uid = 0, n_new, n_ej;
	int has_job = 1;

	acquire(a);
	while (has_job) {
		n_new = n_ej = 0;
		has_job = cscn_collect(a, &uid, new_cpus, &n_new, ej_cpus,
				       &n_ej);
		/* The firmware pulls new CPUs in before the OS hears of
		 * them. */
		if (a->smi_on_cpuhp && n_new > 0)
			smic(a);
		for (uint32_t i = 0; i < n_new; i++) {
			uid = new_cpus[i];
			notify(a, uid, AML_NOTIFY_DEVICE_CHECK);
			csel(a, uid);
			ctl(a, CPUHP_CTL_CLEAR_INSERT);
		}
		for (uint32_t i = 0; i < n_ej; i++) {
			uid = ej_cpus[i];
			notify(a, uid, AML_NOTIFY_EJECT_REQUEST);
			csel(a, uid);
			ctl(a, CPUHP_CTL_CLEAR_REMOVE);
		}
		/* The next pass scans from the last CPU notified (an eject
		 * request if any, else an insert), events now cleared. */
	}
	release(a);
}
