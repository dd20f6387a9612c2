/* Fuzz target: the command line, tools/hotcpu/main.c (as hotcpu_main)
 * and every subcommand's option parsing in tools/hotcpu/cmd_*.c with
 * tools/hotcpu/opts.c. A command stops where it would touch a VM: the
 * linker sends session__open(), vm__open() and vm__create() here
 * (--wrap in build.mk), which check what was parsed. The runtime and
 * data directories are empty temporary ones, so nothing else is found.
 * Checks: the exit code is a documented one; a usage error names the
 * command and the help; a name that reaches a VM is a valid VM name; a
 * configuration that reaches vm__create() is one `hotcpu run` documents.
 *
 * Input: the arguments after "hotcpu", each ended by a NUL. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hotcpu.h"
#include "session.h"
#include "vm.h"

#define MAX_ARGS 32

int hotcpu_main(int argc, char **argv);
int __wrap_session__open(struct session *s, const char *name,
			 const char *qmp);
int __wrap_vm__open(const char *name, struct vm *vm, struct qmp *q);
int __wrap_vm__create(struct vm *vm, const struct vm_config *cfg);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char err_buf[16384];
static char prog[] = "hotcpu";

/* The subcommands this target knows stop before touching a VM. A new
 * one (a word of a-z and -) is skipped until it is listed here, so the
 * fuzzer never runs a command that might act on the host. */
static const char *const known[] = { "run", "status", "plug", "unplug",
				     "resize", "stress", "stop", "list",
				     "help", "--help", "-h" };

static int runnable(const char *cmd)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(cmd, known[i]))
			return 1;
	return strspn(cmd, "abcdefghijklmnopqrstuvwxyz-") != strlen(cmd) ||
	       !*cmd;
}

static void check_name(const char *name)
{
	fuzz_check(!vm__check_name(name), "invalid VM name '%s' used", name);
}

/* With --qmp the name may be NULL (the VM is named after the socket):
 * session__open() attaches then, and the harness stops there too. */
int __wrap_session__open(struct session *s, const char *name,
			 const char *qmp)
{
	memset(s, 0, sizeof(*s));
	if (qmp) {
		fuzz_check(*qmp, "--qmp with an empty path accepted");
		if (name)
			check_name(name);
		fprintf(stderr, "hotcpu: cannot attach to %s\n", qmp);
		return HOTCPU_EXIT_NO_VM;
	}
	check_name(name);
	/* As session__open() says it. */
	fprintf(stderr, "hotcpu: no VM named %s\n", name);
	return HOTCPU_EXIT_NO_VM;
}

int __wrap_vm__open(const char *name, struct vm *vm, struct qmp *q)
{
	(void)vm;
	(void)q;
	check_name(name);
	return -ENOENT;
}

int __wrap_vm__create(struct vm *vm, const struct vm_config *c)
{
	(void)vm;
	check_name(c->name);
	fuzz_check(c->cpus >= 1 && c->cpus <= c->max_cpus &&
			   c->max_cpus <= VM_MAX_CPUS,
		   "--cpus %u --max-cpus %u accepted", c->cpus, c->max_cpus);
	fuzz_check(c->memory_mb >= 64, "--memory %luM accepted", c->memory_mb);
	fuzz_check(!strcmp(c->smm, "on") || !strcmp(c->smm, "off") ||
			   !strcmp(c->smm, "auto"),
		   "--smm '%s' accepted", c->smm);
	fuzz_check(!strcmp(c->accel, "auto") || !strcmp(c->accel, "kvm") ||
			   !strcmp(c->accel, "tcg"),
		   "--accel '%s' accepted", c->accel);
	fuzz_check(c->firmware[0] && c->n_extra <= VM_EXTRA_MAX,
		   "empty firmware or %u extra arguments", c->n_extra);
	fuzz_check(strcmp(c->firmware, "ovmf-smm") || !strcmp(c->smm, "on"),
		   "ovmf-smm without SMM");
	for (unsigned i = 0; i < c->n_extra; i++)
		fuzz_check(memchr(c->extra[i], 0, sizeof(c->extra[i])),
			   "extra argument %u unterminated", i);
	return -EACCES;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char tmpl[] = "/tmp/hotcpu-fuzz-opts-XXXXXX";
	char *dir = mkdtemp(tmpl);

	(void)argc;
	(void)argv;
	if (!dir)
		abort();
	/* Nothing to find: no VMs, no firmware, no QEMU. */
	setenv("HOTCPU_RUNTIME_DIR", dir, 1);
	setenv("HOTCPU_DATA_DIR", dir, 1);
	setenv("HOTCPU_QEMU", "/nonexistent/qemu", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *dummy[] = { prog, NULL };
	char *args[MAX_ARGS + 2], *copy = malloc(size + 1);
	FILE *out, *err, *saved_out, *saved_err;
	int argc = 1, code;
	size_t i = 0;

	memcpy(copy, data, size);
	copy[size] = '\0';
	args[0] = prog;
	while (i < size && argc <= MAX_ARGS) {
		args[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	args[argc] = NULL;
	if (argc > 1 && !runnable(args[1])) {
		free(copy);
		return 0;
	}
	out = fopen("/dev/null", "w");
	memset(err_buf, 0, sizeof(err_buf));
	err = fmemopen(err_buf, sizeof(err_buf) - 1, "w");
	/* getopt keeps a pointer into the last argv it scanned: start
	 * afresh, as a new process would. */
	optind = 0;
	getopt(1, dummy, "");
	saved_out = stdout;
	saved_err = stderr;
	stdout = out;
	stderr = err;
	code = hotcpu_main(argc, args);
	stdout = saved_out;
	stderr = saved_err;
	fclose(out);
	fclose(err);
	fuzz_check(code >= HOTCPU_EXIT_OK && code <= HOTCPU_EXIT_LOST,
		   "exit code %d", code);
	if (code == HOTCPU_EXIT_USAGE)
		fuzz_check(!strncmp(err_buf, "hotcpu", 6) &&
				   strstr(err_buf, "'hotcpu help") &&
				   strchr(err_buf, '\n'),
			   "usage error without the help: %s", err_buf);
	if (code != HOTCPU_EXIT_OK)
		fuzz_check(err_buf[0], "exit code %d without a message", code);
	free(copy);
	return 0;
}
