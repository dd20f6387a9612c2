/* CPU exceptions during boot: report what and where, then halt. */
#ifndef FW_EXCEPTION_H
#define FW_EXCEPTION_H

#include <stdint.h>

/* Pushed by firmware/shared/exception_stubs.S; if you change it, update the stubs. */
struct exception_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void exception_setup(void);
void handle_exception(struct exception_frame *f);

#endif
