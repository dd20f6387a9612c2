/* An IDT for the boot path: a fault prints its vector, error code and
 * RIP on debugcon instead of triple-faulting into a reset loop. */
#include "debug.h"
#include "exception.h"
#include "hw/x86.h"
#include "io.h"
#include "lib.h"

#ifdef SMM_MODULE
#define EXCEPTION_WHERE "in SMM: "
#else
#define EXCEPTION_WHERE ""
#endif

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;		/* 0x8e: present, DPL 0, interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "idt gate");

/* firmware/shared/exception_stubs.S: one stub per vector, 16 bytes apart. */
extern const char exception_stubs[];
#define EXCEPTION_STUB_SIZE	16
#define NR_EXCEPTIONS		32

/* The IDT must outlive this function: the CPU reads it on each fault. */
static struct idt_gate idt[NR_EXCEPTIONS] __attribute__((aligned(16)));

/* Mnemonics packed in one string, 4 bytes each: no pointer table, so the
 * SMM module (position independent, never relocated) can share this. */
static const char names[] = "#DE\0#DB\0NMI\0#BP\0#OF\0#BR\0#UD\0#NM\0"
			    "#DF\0?\0\0\0#TS\0#NP\0#SS\0#GP\0#PF\0?\0\0\0"
			    "#MF\0#AC\0#MC\0#XM\0#VE\0#CP\0";

static const char *exception_name(uint64_t vector)
{
	return vector < sizeof(names) / 4 ? names + 4 * vector : "?";
}

void exception_setup(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1,
					    (uintptr_t)idt };

	for (unsigned i = 0; i < NR_EXCEPTIONS; i++) {
		uint64_t off = (uintptr_t)exception_stubs +
			       i * EXCEPTION_STUB_SIZE;

		idt[i] = (struct idt_gate){ (uint16_t)off, GDT_SEL_CODE64, 0,
					    0x8e, (uint16_t)(off >> 16),
					    (uint32_t)(off >> 32), 0 };
	}
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void handle_exception(struct exception_frame *f)
{
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	panic("%sCPU exception %llu (%s), error 0x%llx at rip 0x%llx, "
	      "rsp 0x%llx, cr2 0x%llx\n", EXCEPTION_WHERE,
	      (unsigned long long)f->vector,
	      exception_name(f->vector),
	      (unsigned long long)f->error, (unsigned long long)f->rip,
	      (unsigned long long)f->rsp, (unsigned long long)cr2);
}
