/* Choosing the accelerator and CPU model: KVM only when a probe shows it
 * runs the guest kernel, else TCG with a model that QEMU version runs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

#define PROBE_TIMEOUT_MS 20000

static int qemu_version(char *buf, size_t size)
{
	char cmd[PATH_MAX + 32], line[256];
	unsigned int major, minor, micro;
	FILE *p;
	int r = -ENOEXEC;

	snprintf(cmd, sizeof(cmd), "'%s' --version 2>/dev/null",
		 launch__qemu_binary());
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	if (fgets(line, sizeof(line), p)) {
		char *v = strstr(line, "version ");

		if (v && sscanf(v, "version %u.%u.%u", &major, &minor,
				&micro) == 3) {
			snprintf(buf, size, "%u.%u.%u", major, minor, micro);
			r = 0;
		}
	}
	pclose(p);
	return r;
}

static void cache_key(const struct vm *vm, char *buf, size_t size)
{
	char *boot_id = NULL;

	util__read_file("/proc/sys/kernel/random/boot_id", &boot_id, NULL);
	if (boot_id)
		boot_id[strcspn(boot_id, "\n")] = '\0';
	snprintf(buf, size, "qemu %s, firmware %.300s, kernel %.300s, "
		 "host boot %s", vm->qemu_version, vm->cfg.firmware,
		 vm->cfg.kernel, boot_id ?: "?");
	free(boot_id);
}

/* Boots the VM's firmware and kernel under KVM until the kernel prints
 * its banner. Some hosts have a /dev/kvm that cannot run a guest (KVM
 * internal error in nested setups): only a real boot tells. */
static int kvm_probe(const struct vm *vm, char *why, size_t why_size)
{
	char serial[PATH_MAX + 32], log[PATH_MAX + 32], *text = NULL;
	struct strv argv = { 0 };
	double deadline = util__now_ms() + PROBE_TIMEOUT_MS;
	int pid, status, ok = 0, r;

	VM_PATH(vm, "kvm-probe.serial", serial);
	VM_PATH(vm, "kvm-probe.log", log);
	unlink(serial);
	r = util__strv_add(&argv, "%s", launch__qemu_binary());
	r = r ?: util__strv_add(&argv, "-accel");
	r = r ?: util__strv_add(&argv, "kvm");
	r = r ?: util__strv_add(&argv, "-M");
	r = r ?: util__strv_add(&argv, "q35");
	r = r ?: util__strv_add(&argv, "-cpu");
	r = r ?: util__strv_add(&argv, "host");
	r = r ?: util__strv_add(&argv, "-m");
	r = r ?: util__strv_add(&argv, "256");
	r = r ?: launch__firmware_args(vm, &argv);
	r = r ?: util__strv_add(&argv, "-kernel");
	r = r ?: util__strv_add(&argv, "%s", vm->cfg.kernel);
	r = r ?: util__strv_add(&argv, "-append");
	r = r ?: util__strv_add(&argv, "console=ttyS0 panic=-1");
	r = r ?: util__strv_add(&argv, "-display");
	r = r ?: util__strv_add(&argv, "none");
	r = r ?: util__strv_add(&argv, "-nodefaults");
	r = r ?: util__strv_add(&argv, "-no-reboot");
	r = r ?: util__strv_add(&argv, "-serial");
	r = r ?: util__strv_add(&argv, "file:%s", serial);
	if (r)
		goto out_free;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out_free;
	}
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv.v[0], argv.v);
		_exit(127);
	}
	while (util__now_ms() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			pid = 0;
			break;
		}
		free(text);
		text = NULL;
		util__read_file(serial, &text, NULL);
		if (text && strstr(text, "Linux version")) {
			ok = 1;
			break;
		}
		free(text);
		text = NULL;
		util__read_file(log, &text, NULL);
		if (text && strstr(text, "KVM internal error"))
			break;
		util__sleep_ms(50);
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	free(text);
	text = NULL;
	if (ok) {
		snprintf(why, why_size, "a KVM probe booted the guest kernel");
	} else {
		util__read_file(log, &text, NULL);
		snprintf(why, why_size, "a KVM probe did not boot the guest "
			 "kernel (%.120s)", text && *text ?
			 strtok(text, "\n") : "no kernel output");
	}
	free(text);
	r = ok;
out_free:
	util__strv_free(&argv);
	return r;
}

static int probe_cached(const struct vm *vm, char *why, size_t why_size)
{
	char base[PATH_MAX], path[PATH_MAX + 32], key[1024];
	json_t *j;
	int r;

	cache_key(vm, key, sizeof(key));
	r = vm__base_dir(base, sizeof(base));
	if (r)
		return r;
	snprintf(path, sizeof(path), "%s/kvm-probe.json", base);
	j = json_load_file(path, 0, NULL);
	if (j && !strcmp(json_string_value(json_object_get(j, "key")) ?: "",
			 key)) {
		snprintf(why, why_size, "%.160s (cached in %.60s)",
			 json_string_value(json_object_get(j, "why")) ?: "",
			 path);
		r = json_is_true(json_object_get(j, "ok"));
		json_decref(j);
		return r;
	}
	json_decref(j);
	r = kvm_probe(vm, why, why_size);
	if (r < 0)
		return r;
	j = json_pack("{s:s, s:b, s:s}", "key", key, "ok", r, "why", why);
	if (j)
		json_dump_file(j, path, JSON_INDENT(1));
	json_decref(j);
	return r;
}

int accel__resolve(struct vm *vm)
{
	const char *req = vm->cfg.accel;
	unsigned int major = 0;
	int fd, r;

	r = qemu_version(vm->qemu_version, sizeof(vm->qemu_version));
	if (r)
		return r;
	sscanf(vm->qemu_version, "%u", &major);
	if (!strcmp(req, "tcg")) {
		strcpy(vm->accel, "tcg");
		snprintf(vm->accel_why, sizeof(vm->accel_why),
			 "--accel tcg");
	} else if (!strcmp(req, "kvm")) {
		strcpy(vm->accel, "kvm");
		snprintf(vm->accel_why, sizeof(vm->accel_why),
			 "--accel kvm");
	} else {
		fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			strcpy(vm->accel, "tcg");
			snprintf(vm->accel_why, sizeof(vm->accel_why),
				 "/dev/kvm: %s", strerror(errno));
		} else {
			close(fd);
			r = probe_cached(vm, vm->accel_why,
					 sizeof(vm->accel_why));
			if (r < 0)
				return r;
			strcpy(vm->accel, r ? "kvm" : "tcg");
		}
	}
	/* QEMU 7.2's TCG lacks a working cmpxchg16b for the 6.12 guest
	 * (it panics in kmem_cache_alloc); later versions run qemu64. */
	if (!strcmp(vm->accel, "kvm"))
		strcpy(vm->cpu_model, "host");
	else
		strcpy(vm->cpu_model, major >= 8 ? "qemu64" : "qemu64,-cx16");
	return 0;
}
