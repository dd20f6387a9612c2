/* SMRAM contents. Written before TSEG is enabled (while the boot
 * firmware can still write it) and never touched from outside SMM after
 * smram_lock(). */
#include "debug.h"
#include "hw/apic.h"
#include "hw/x86.h"
#include "layout.h"
#include "lib.h"
#include "smm_install.h"
#include "x86_tables.h"

/* Templates and the module, assembled into the firmware image. */
extern const char smm_module_image[], smm_module_image_end[];
extern const char smm_stub_start[], smm_stub_end[];
extern const char first_smi_start[], first_smi_end[];
extern const char rom_hlt_loop[];
extern const char smm_stub_off_code32[], smm_stub_off_code64[],
	smm_stub_off_linear[], smm_stub_off_far32[], smm_stub_off_far64[],
	smm_stub_off_cr3[], smm_stub_off_stack[], smm_stub_off_handler[],
	smm_stub_off_slot[], smm_stub_off_gdt_desc[], smm_stub_off_gdt[],
	smm_stub_off_idt_desc[];

#define OFF(sym) ((uintptr_t)(sym))

static const struct smm_module_header *module_header(void)
{
	return (const void *)smm_module_image;
}

int smram_plan(struct smram_plan *p)
{
	const struct smm_module_header *h = module_header();

	/* objcopy stops at the last byte stored; the header's end is
	 * aligned up. */
	if (h->magic != SMM_MODULE_MAGIC ||
	    h->image_size < (uint32_t)(smm_module_image_end -
				       smm_module_image) ||
	    h->mem_size < h->image_size)
		panic("smm: the SMM module in the image is corrupt\n");
	p->module = p->tseg_base;
	p->page_tables = ALIGN_UP(p->module + h->mem_size, 4096);
	p->idt = p->page_tables + X86_IDENTITY_4G_PAGES * 4096;
	p->tiles = p->idt + 4096;
	p->stacks = p->tiles + (p->nr_slots + SMM_TILES_EXTRA) * SMM_TILE_SIZE;
	p->end = p->stacks + (uint64_t)p->nr_slots * SMM_STACK_SIZE;
	return p->end <= p->tseg_base + p->tseg_size ? 0 : -1;
}

static void put32(uint8_t *stub, const char *off, uint32_t v)
{
	memcpy(stub + OFF(off), &v, 4);
}

static void put64(uint8_t *stub, const char *off, uint64_t v)
{
	memcpy(stub + OFF(off), &v, 8);
}

static void install_stub(const struct smram_plan *p, uint32_t slot)
{
	const struct smm_module_header *h = module_header();
	uint64_t linear = p->tiles + slot * SMM_TILE_SIZE;
	uint8_t *stub = phys_ptr(linear);

	memcpy(stub, smm_stub_start, smm_stub_end - smm_stub_start);
	put32(stub, smm_stub_off_linear, (uint32_t)linear);
	put32(stub, smm_stub_off_far32, (uint32_t)(linear +
						   OFF(smm_stub_off_code32)));
	put32(stub, smm_stub_off_far64, (uint32_t)(linear +
						   OFF(smm_stub_off_code64)));
	put32(stub, smm_stub_off_cr3, (uint32_t)p->page_tables);
	put64(stub, smm_stub_off_stack,
	      p->stacks + (uint64_t)(slot + 1) * SMM_STACK_SIZE);
	put64(stub, smm_stub_off_handler, p->module + h->entry);
	put32(stub, smm_stub_off_slot, slot);
	put32(stub, (const char *)(OFF(smm_stub_off_gdt_desc) + 2),
	      (uint32_t)(linear + OFF(smm_stub_off_gdt)));
	x86_desc(stub + OFF(smm_stub_off_idt_desc), X86_IDT_GATES * 16 - 1,
		 p->idt);
}

struct smm_state *smm_install(const struct smram_plan *p)
{
	const struct smm_module_header *h = module_header();
	struct first_smi_data *fsd = phys_ptr(FIRST_SMI_DATA);
	struct smm_state *st;

	_Static_assert(FIRST_SMI_STUB - SMRAM_DEFAULT_BASE < SMRAM_DEFAULT_SIZE,
		       "first-SMI stub inside the window");
	if ((uintptr_t)(smm_stub_end - smm_stub_start) > SMM_STUB_MAX)
		panic("smm: entry stub is %u bytes\n",
		      (unsigned)(smm_stub_end - smm_stub_start));

	memset(phys_ptr(p->tseg_base), 0, p->end - p->tseg_base);
	memcpy(phys_ptr(p->module), smm_module_image,
	       smm_module_image_end - smm_module_image);
	x86_identity_map_4g(p->page_tables);
	x86_idt_fill(p->idt, p->module + h->exception_stubs);
	/* Taken only by a CPU that let NMIs in to sleep (smm_nmi.c). */
	x86_idt_gate(p->idt, 2, p->module + h->nmi_entry);
	for (uint32_t i = 0; i < p->nr_slots; i++)
		install_stub(p, i);

	st = phys_ptr(p->module + h->state);
	st->nr_slots = p->nr_slots;
	st->stacks = p->stacks;
	st->rom_hlt_ip = (uint32_t)((uintptr_t)rom_hlt_loop - 0xffff0000u);
	for (uint32_t i = 0; i < SMM_MAX_CPUS; i++)
		st->admit[i].apic_id = SMM_ADMIT_EMPTY;

	/* The first-SMI window: RAM now, SMRAM-only once locked. */
	memset(phys_ptr(SMRAM_DEFAULT_BASE), 0, SMRAM_DEFAULT_SIZE);
	memcpy(phys_ptr(FIRST_SMI_STUB), first_smi_start,
	       first_smi_end - first_smi_start);
	fsd->lock = 0;
	fsd->admit = (uint32_t)(uintptr_t)st->admit;
	fsd->nr_admit = p->nr_slots;
	fsd->xapic_base = LAPIC_DEFAULT_BASE;
	return st;
}

void smm_first_smi_resume(int where)
{
	struct first_smi_data *fsd = phys_ptr(FIRST_SMI_DATA);

	if (where == SMM_RESUME_TRAMPOLINE) {
		fsd->resume_cs_sel = AP_TRAMPOLINE >> 4;
		fsd->resume_cs_base = AP_TRAMPOLINE;
		fsd->resume_ip = 0;
	} else {
		fsd->resume_cs_sel = 0xf000;
		fsd->resume_cs_base = 0xffff0000u;
		fsd->resume_ip = (uint32_t)((uintptr_t)rom_hlt_loop -
					    0xffff0000u);
	}
}
