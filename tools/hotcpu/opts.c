/* Command-line helpers shared by the subcommands: usage errors that name
 * the argument, numbers, and the messages for a VM that cannot be
 * opened. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hotcpu.h"
#include "opts.h"
#include "util.h"
#include "vm.h"

int opts__usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hotcpu %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'hotcpu help %s')\n", cmd);
	return HOTCPU_EXIT_USAGE;
}

int opts__bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return opts__usage(cmd, "option %s needs a value", arg);
	if (optopt && arg[0] == '-' && arg[1] != '-')
		return opts__usage(cmd, "unknown option -%c", optopt);
	return opts__usage(cmd, "unknown option %s", arg);
}

int opts__fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hotcpu: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int opts__uint(const char *cmd, const char *opt, const char *val,
	       unsigned long min, unsigned long max, unsigned long *out)
{
	if (util__parse_uint(val, max, out) || *out < min) {
		opts__usage(cmd, "%s '%s' is not a number from %lu to %lu",
			    opt, val, min, max);
		return -EINVAL;
	}
	return 0;
}

int opts__timeout(const char *cmd, const char *val, int *ms)
{
	unsigned long s;
	int r = opts__uint(cmd, "--timeout", val, 1, 3600, &s);

	if (!r)
		*ms = (int)s * 1000;
	return r;
}

int opts__name(const char *cmd, const char *val, const char **name)
{
	if (vm__check_name(val)) {
		opts__usage(cmd, "--name '%s' is not a VM name (1-%d of "
			    "A-Z a-z 0-9 . _ -, not starting with '.')", val,
			    VM_NAME_MAX);
		return -EINVAL;
	}
	*name = val;
	return 0;
}

int opts__qmp(const char *cmd, const char *val, const char **path)
{
	if (!*val || strlen(val) >= 108) {
		opts__usage(cmd, "--qmp '%s' is not a UNIX socket path (1 to "
			    "107 bytes)", val);
		return -EINVAL;
	}
	*path = val;
	return 0;
}

int opts__attach_error(const char *path, int err)
{
	return opts__fail(err == -ENOENT || err == -ECONNREFUSED ?
			  HOTCPU_EXIT_NO_VM : HOTCPU_EXIT_ERROR,
			  "cannot attach to QMP socket %s: %s (is QEMU "
			  "running with -qmp unix:%s,server=on,wait=off? "
			  "QEMU serves one client per socket: is another "
			  "one connected?)", path,
			  err == -ETIMEDOUT ? "no QMP greeting" :
			  strerror(-err), path);
}

int opts__vm_error(const char *name, int err)
{
	char base[PATH_MAX];

	vm__base_dir(base, sizeof(base));
	switch (err) {
	case -ENOENT:
		return opts__fail(HOTCPU_EXIT_NO_VM, "no VM named %s in %s "
				  "(start it with 'hotcpu run --name %s')",
				  name, base, name);
	case -ESRCH:
		return opts__fail(HOTCPU_EXIT_NO_VM, "VM %s is not running "
				  "(its logs are in %s/%s; start it with "
				  "'hotcpu run --name %s')", name, base, name,
				  name);
	case -EBUSY:
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s is busy: another "
				  "hotcpu command holds %s/%s/lock", name,
				  base, name);
	case -ENAMETOOLONG:
		return opts__fail(HOTCPU_EXIT_ERROR, "runtime directory %s is "
				  "too long for a UNIX socket path (set "
				  "HOTCPU_RUNTIME_DIR to a shorter one)", base);
	}
	return opts__fail(HOTCPU_EXIT_ERROR, "cannot connect to QMP socket "
			  "%s/%s/qmp.sock: %s (is the VM running?)", base,
			  name, strerror(-err));
}
