/* A VM's runtime directory: its configuration, state files, sockets and
 * logs, found by name under the runtime base directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "vm.h"

int vm__base_dir(char *buf, size_t size)
{
	const char *env = getenv("HOTCPU_RUNTIME_DIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (env && *env)
		n = snprintf(buf, size, "%s", env);
	else if (xdg && *xdg)
		n = snprintf(buf, size, "%s/hotcpu", xdg);
	else
		n = snprintf(buf, size, "/tmp/hotcpu-%u", (unsigned)getuid());
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int vm__check_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > VM_NAME_MAX || name[0] == '.')
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]))
			return -EINVAL;
	return 0;
}

void vm__path(const struct vm *vm, const char *file, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", vm->dir, file);
}

static int vm_dir(const char *name, char *buf, size_t size)
{
	char base[PATH_MAX];
	int r = vm__base_dir(base, sizeof(base));

	if (r)
		return r;
	if ((size_t)snprintf(buf, size, "%s/%s", base, name) >= size)
		return -ENAMETOOLONG;
	/* QEMU listens on <dir>/events.sock: sun_path holds 108 bytes. */
	if (strlen(buf) + sizeof("/events.sock") > 108)
		return -ENAMETOOLONG;
	return 0;
}

int vm__create(struct vm *vm, const struct vm_config *cfg)
{
	DIR *d;
	struct dirent *e;
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->lock_fd = -1;
	vm->cfg = *cfg;
	r = vm_dir(cfg->name, vm->dir, sizeof(vm->dir));
	if (r)
		return r;
	if (mkdir(vm->dir, 0700) && errno != EEXIST)
		return -errno;
	/* A stopped VM's logs go when a VM of that name runs again. */
	d = opendir(vm->dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[PATH_MAX + 256];

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "lock"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", vm->dir, e->d_name);
		/* Directories of archived runs (stress restarts) are left:
		 * their files are replaced by the next archive. */
		unlink(path);
	}
	closedir(d);
	strcpy(vm->state, "booting");
	return 0;
}

int vm__archive(const struct vm *vm, const char *sub)
{
	char to[PATH_MAX + 64];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(to, sizeof(to), "%s/%s", vm->dir, sub);
	if (mkdir(to, 0700) && errno != EEXIST)
		return -errno;
	d = opendir(vm->dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char from[PATH_MAX + 256], dst[PATH_MAX + 320];

		snprintf(from, sizeof(from), "%s/%s", vm->dir, e->d_name);
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "lock") ||
		    stat(from, &st) || !S_ISREG(st.st_mode))
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		rename(from, dst);
	}
	closedir(d);
	return 0;
}

int vm__save(const struct vm *vm)
{
	const struct vm_config *c = &vm->cfg;
	char path[PATH_MAX + 16], *text;
	json_t *j, *extra;
	int r;

	j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:s, s:s, "
		      "s:b, s:s, s:s, s:s, s:s}",
		      "name", c->name, "firmware", c->firmware, "smm", c->smm,
		      "accel-requested", c->accel, "cpus", c->cpus,
		      "max-cpus", c->max_cpus, "memory-mb",
		      (json_int_t)c->memory_mb, "kernel", c->kernel,
		      "initrd", c->initrd, "append", c->append,
		      "agent", c->agent, "accel", vm->accel,
		      "cpu-model", vm->cpu_model, "accel-why", vm->accel_why,
		      "qemu-version", vm->qemu_version);
	if (!j)
		return -ENOMEM;
	extra = json_array();
	for (unsigned int i = 0; i < c->n_extra; i++)
		json_array_append_new(extra, json_string(c->extra[i]));
	json_object_set_new(j, "qemu-extra", extra);
	text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(j);
	if (!text)
		return -ENOMEM;
	VM_PATH(vm, "vm.json", path);
	r = util__write_file(path, text, strlen(text));
	free(text);
	return r;
}

static void copy_str(char *dst, size_t size, json_t *j, const char *key)
{
	snprintf(dst, size, "%s", json_string_value(json_object_get(j, key))
				       ?: "");
}
#define COPY_STR(dst, j, key) copy_str(dst, sizeof(dst), j, key)

int vm__load(const char *name, struct vm *vm)
{
	struct vm_config *c = &vm->cfg;
	char path[PATH_MAX + 16];
	json_t *j;
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->lock_fd = -1;
	r = vm__check_name(name);
	if (r)
		return r;
	r = vm_dir(name, vm->dir, sizeof(vm->dir));
	if (r)
		return r;
	VM_PATH(vm, "vm.json", path);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return access(path, F_OK) ? -ENOENT : -EBADMSG;
	COPY_STR(c->name, j, "name");
	COPY_STR(c->firmware, j, "firmware");
	COPY_STR(c->smm, j, "smm");
	COPY_STR(c->accel, j, "accel-requested");
	c->cpus = json_integer_value(json_object_get(j, "cpus"));
	c->max_cpus = json_integer_value(json_object_get(j, "max-cpus"));
	c->memory_mb = json_integer_value(json_object_get(j, "memory-mb"));
	COPY_STR(c->kernel, j, "kernel");
	COPY_STR(c->initrd, j, "initrd");
	COPY_STR(c->append, j, "append");
	c->agent = json_is_true(json_object_get(j, "agent"));
	{
		json_t *extra = json_object_get(j, "qemu-extra"), *e;
		size_t i;

		json_array_foreach(extra, i, e)
			if (c->n_extra < VM_EXTRA_MAX)
				snprintf(c->extra[c->n_extra++],
					 sizeof(c->extra[0]), "%s",
					 json_string_value(e) ?: "");
	}
	COPY_STR(vm->accel, j, "accel");
	COPY_STR(vm->cpu_model, j, "cpu-model");
	COPY_STR(vm->accel_why, j, "accel-why");
	COPY_STR(vm->qemu_version, j, "qemu-version");
	json_decref(j);
	return vm__reload_state(vm);
}

int vm__write_state(const struct vm *vm)
{
	char path[PATH_MAX + 16], *text;
	json_t *j;
	int r;

	j = json_pack("{s:s, s:i, s:i, s:f, s:f, s:b, s:i, s:i}", "state",
		      vm->state, "qemu-pid", vm->qemu_pid, "supervisor-pid",
		      vm->supervisor_pid, "started", vm->started, "boot-ms",
		      vm->boot_ms, "acpi-up", vm->acpi_up, "vcpus-started",
		      vm->vcpus_started, "vcpus-present", vm->vcpus_present);
	text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return -ENOMEM;
	VM_PATH(vm, "state.json", path);
	r = util__write_file(path, text, strlen(text));
	free(text);
	return r;
}

int vm__reload_state(struct vm *vm)
{
	char path[PATH_MAX + 16];
	json_t *j;

	VM_PATH(vm, "state.json", path);
	j = json_load_file(path, 0, NULL);
	if (!j)
		return 0;	/* not started yet */
	COPY_STR(vm->state, j, "state");
	vm->qemu_pid = json_integer_value(json_object_get(j, "qemu-pid"));
	vm->supervisor_pid =
		json_integer_value(json_object_get(j, "supervisor-pid"));
	vm->started = json_number_value(json_object_get(j, "started"));
	vm->boot_ms = json_number_value(json_object_get(j, "boot-ms"));
	vm->acpi_up = json_is_true(json_object_get(j, "acpi-up"));
	vm->vcpus_started =
		json_integer_value(json_object_get(j, "vcpus-started"));
	vm->vcpus_present =
		json_integer_value(json_object_get(j, "vcpus-present"));
	json_decref(j);
	return 0;
}

int vm__alive(const struct vm *vm)
{
	char path[64], *cmdline;
	size_t len;
	int alive = 0;

	if (vm->qemu_pid <= 0 || kill(vm->qemu_pid, 0))
		return 0;
	/* A recycled pid is not our QEMU: its command line names our
	 * runtime directory. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", vm->qemu_pid);
	if (util__read_file(path, &cmdline, &len))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!cmdline[i])
			cmdline[i] = ' ';
	alive = strstr(cmdline, vm->dir) != NULL;
	free(cmdline);
	return alive;
}

int vm__wait_recorded(struct vm *vm, int timeout_ms)
{
	double deadline = util__now_ms() + timeout_ms;

	for (;;) {
		if (!strcmp(vm->state, "exited") || vm->supervisor_pid <= 0 ||
		    kill(vm->supervisor_pid, 0))
			return 0;
		if (util__now_ms() >= deadline)
			return -ETIMEDOUT;
		util__sleep_ms(20);
		vm__reload_state(vm);
	}
}

int vm__lock(struct vm *vm, int timeout_ms)
{
	char path[PATH_MAX + 16];
	int fd;

	VM_PATH(vm, "lock", path);
	fd = util__lock_file(path, timeout_ms);
	vm->lock_fd = fd < 0 ? -1 : fd;
	return fd < 0 ? fd : 0;
}

void vm__unlock(struct vm *vm)
{
	if (vm->lock_fd >= 0)
		close(vm->lock_fd);
	vm->lock_fd = -1;
}

int vm__open(const char *name, struct vm *vm, struct qmp *q)
{
	char path[PATH_MAX + 16];
	int r;

	qmp__init(q);
	r = vm__load(name, vm);
	if (r)
		return r;
	if (!vm__alive(vm))
		return -ESRCH;
	r = vm__lock(vm, 10000);
	if (r)
		return r;
	VM_PATH(vm, "qmp.sock", path);
	r = qmp__connect(q, path, 10000);
	if (r)
		goto out_unlock;
	return 0;
out_unlock:
	vm__unlock(vm);
	return r;
}

void vm__close(struct vm *vm, struct qmp *q)
{
	qmp__close(q);
	vm__unlock(vm);
}

int vm__attach(const char *path, const char *name, struct vm *vm,
	       struct qmp *q)
{
	const char *base;
	json_t *ret;
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->lock_fd = -1;
	qmp__init(q);
	if (strlen(path) >= sizeof(vm->qmp_path))
		return -ENAMETOOLONG;
	strcpy(vm->qmp_path, path);
	vm->attached = 1;
	vm->started = util__wall_s();
	strcpy(vm->state, "attached");
	strcpy(vm->cfg.firmware, "?");
	/* One client per QMP socket: a second one waits in QEMU's listen
	 * queue for the greeting, so this also serializes hotcpu commands. */
	r = qmp__connect(q, path, 10000);
	if (r)
		return r;
	if (!name && !qmp__execute(q, "query-name", NULL, &ret, 10000)) {
		name = json_string_value(json_object_get(ret, "name"));
		if (name)
			snprintf(vm->cfg.name, sizeof(vm->cfg.name), "%s",
				 name);
		json_decref(ret);
	} else if (name) {
		snprintf(vm->cfg.name, sizeof(vm->cfg.name), "%s", name);
	}
	if (!vm->cfg.name[0]) {
		base = strrchr(path, '/');
		snprintf(vm->cfg.name, sizeof(vm->cfg.name), "%s",
			 base ? base + 1 : path);
	}
	strcpy(vm->accel, "tcg");
	if (!qmp__execute(q, "query-kvm", NULL, &ret, 10000)) {
		if (json_is_true(json_object_get(ret, "enabled")))
			strcpy(vm->accel, "kvm");
		json_decref(ret);
	}
	return 0;
}

int vm__vcpus_created(const struct vm *vm, unsigned int *n)
{
	char path[PATH_MAX + 16], *text;
	int r;

	VM_PATH(vm, "vcpus-created", path);
	r = util__read_file(path, &text, NULL);
	if (r == -ENOENT) {
		*n = vm->cfg.cpus;
		return 0;
	}
	if (r)
		return r;
	*n = strtoul(text, NULL, 10);
	free(text);
	return 0;
}

int vm__set_vcpus_created(const struct vm *vm, unsigned int n)
{
	char path[PATH_MAX + 16], text[32];

	VM_PATH(vm, "vcpus-created", path);
	snprintf(text, sizeof(text), "%u\n", n);
	return util__write_file(path, text, strlen(text));
}

int vm__tcg_vcpus_left(const struct vm *vm, int *left)
{
	unsigned int created;
	int r;

	*left = INT_MAX;
	if (strcmp(vm->accel, "tcg") || vm->attached)
		return 0;
	r = vm__vcpus_created(vm, &created);
	if (r)
		return r;
	*left = (int)VM_TCG_VCPU_LIMIT(vm) - (int)created;
	if (*left < 0)
		*left = 0;
	return 0;
}
