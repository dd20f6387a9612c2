/* hotcpu status: possible, present and online vCPUs with their topology
 * and APIC ids, and the last _OST the guest reported for each; for a VM
 * whose QEMU is gone, how it ended and what that cut short. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"
#include "events.h"
#include "guest.h"
#include "hotcpu.h"
#include "hotplug.h"
#include "opts.h"
#include "util.h"

#define CMD "status"
/* How long status waits, once QEMU is gone, for the supervisor to record
 * how it ended and for a command in flight to log what it lost. */
#define ENDED_WAIT_MS 5000

static const struct option options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "qmp", required_argument, NULL, 'q' },
	{ "json", no_argument, NULL, 'j' },
	{ 0 },
};

static json_t *ost_json(json_t *ost)
{
	int source = json_integer_value(json_object_get(ost, "source"));
	int status = json_integer_value(json_object_get(ost, "status"));

	if (!ost)
		return json_null();
	return json_pack("{s:i, s:i, s:s, s:O}", "source", source, "status",
			 status, "meaning", events__ost_name(source, status),
			 "t", json_object_get(ost, "t") ?: json_null());
}

static int print_json(const struct vm *vm, struct cpu_list *l, json_t *ost,
		      const struct guest_console *con, int budget)
{
	json_t *cpus = json_array(), *out;

	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];
		char index[16];
		json_t *c;

		snprintf(index, sizeof(index), "%d", s->index);
		c = json_pack("{s:i, s:s?, s:s?, s:i, s:i, s:i, s:I, s:b, "
			      "s:b, s:b, s:o}", "index", s->index,
			      "id", s->id[0] ? s->id : NULL,
			      "qom-path", s->present ? s->qom_path : NULL,
			      "socket-id", s->socket, "core-id", s->core,
			      "thread-id", s->thread,
			      "apic-id", (json_int_t)s->apic_id,
			      "apic-id-from-qemu", s->apic_from_qemu,
			      "present", s->present, "boot", s->boot,
			      "last-ost", ost_json(json_object_get(ost,
								   index)));
		if (s->die >= 0)
			json_object_set_new(c, "die-id", json_integer(s->die));
		if (s->module >= 0)
			json_object_set_new(c, "module-id",
					    json_integer(s->module));
		json_object_set_new(c, "online", s->online < 0 ? json_null() :
				    json_boolean(s->online));
		json_array_append_new(cpus, c);
	}
	out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:I, s:I, s:o, s:b, "
			"s:o, s:o}", "name", vm->cfg.name, "state", vm->state,
			"accel", vm->accel, "cpu-model", vm->cpu_model,
			"firmware", vm->cfg.firmware, "uptime-s",
			util__wall_s() - vm->started,
			"possible", (json_int_t)l->n,
			"present", (json_int_t)l->present,
			"online", l->online_known ?
				json_integer(l->online) : json_null(),
			"guest-agent", con->agent,
			"tcg-vcpus-left", budget == INT_MAX ? json_null() :
				json_integer(budget),
			"cpus", cpus);
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(out);
	return HOTCPU_EXIT_OK;
}

static void print_text(const struct vm *vm, struct cpu_list *l, json_t *ost,
		       const struct guest_console *con, int budget)
{
	char online[1024];

	if (vm->attached)
		printf("VM %s: QMP %s (not started by hotcpu), %s\n",
		       vm->cfg.name, vm->qmp_path, vm->accel);
	else
		printf("VM %s: %s for %.1f s, %s, -cpu %s, firmware %s\n",
		       vm->cfg.name, vm->state, util__wall_s() - vm->started,
		       vm->accel, vm->cpu_model, vm->cfg.firmware);
	guest__format_online(con, online, sizeof(online));
	if (l->online_known)
		printf("vCPUs: %zu possible, %zu present, %zu online (guest "
		       "agent: online CPUs %s)\n", l->n, l->present, l->online,
		       online);
	else
		printf("vCPUs: %zu possible, %zu present, online unknown (no "
		       "guest agent on the console)\n", l->n, l->present);
	if (con->possible[0])
		printf("guest: booted with possible CPUs %s%s\n", con->possible,
		       strcmp(con->possible, "0") ? "" : " (it will refuse "
		       "hot-added CPUs: see docs/cli.md)");
	if (budget != INT_MAX)
		printf("TCG: %d more vCPU%s can be created before QEMU would "
		       "abort (restart with a larger --max-cpus for more)\n",
		       budget, budget == 1 ? "" : "s");
	printf("%-5s %-8s %-6s %-4s %-6s %-5s %-8s %-7s %s\n", "INDEX", "ID",
	       "SOCKET", "CORE", "THREAD", "APIC", "PRESENT", "ONLINE",
	       "LAST _OST");
	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];
		char index[16], last[128] = "-";
		json_t *o;

		snprintf(index, sizeof(index), "%d", s->index);
		o = json_object_get(ost, index);
		if (o) {
			int src = json_integer_value(json_object_get(o,
								"source"));
			int st = json_integer_value(json_object_get(o,
								"status"));

			int n = snprintf(last, sizeof(last), "%s 0x%x %s",
					 src == 1 ? "add" : src == 3 ? "eject" :
					 "event", st, events__ost_name(src, st));

			if (json_is_number(json_object_get(o, "t")))
				snprintf(last + n, sizeof(last) - n,
					 " at +%.1f s", json_number_value(
					 json_object_get(o, "t")));
		}
		printf("%-5d %-8s %-6d %-4d %-6d %-5u %-8s %-7s %s\n",
		       s->index, s->id[0] ? s->id : "-", s->socket, s->core,
		       s->thread, s->apic_id,
		       s->present ? (s->boot ? "boot" : "yes") : "no",
		       s->online < 0 ? "?" : s->online ? "yes" : "no", last);
	}
}

/* QEMU's end as the supervisor recorded it, and the hotcpu steps it cut
 * short (outcome "lost"), from events.jsonl. */
struct ended {
	char how[128];
	double t;
	json_t *lost;
};

static void read_ended(const struct vm *vm, struct ended *e)
{
	char path[PATH_MAX + 16], *text, *line, *save;

	e->how[0] = '\0';
	e->t = -1;
	e->lost = json_array();
	VM_PATH(vm, "events.jsonl", path);
	if (util__read_file(path, &text, NULL))
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *ev = json_loads(line, 0, NULL);
		const char *name = json_string_value(json_object_get(ev,
								     "event"));
		const char *outcome = json_string_value(json_object_get(ev,
								"outcome"));

		if (name && !strcmp(name, "HOTCPU_QEMU_EXIT")) {
			snprintf(e->how, sizeof(e->how), "%s",
				 json_string_value(json_object_get(ev, "how"))
					 ?: "ended");
			e->t = json_number_value(json_object_get(ev, "t"));
		} else if (name && outcome && !strcmp(outcome, "lost") &&
			   (!strcmp(name, "HOTCPU_PLUG") ||
			    !strcmp(name, "HOTCPU_UNPLUG"))) {
			json_array_append_new(e->lost, json_pack("{s:s, s:O}",
				"step", strcmp(name, "HOTCPU_PLUG") ? "unplug" :
				"plug", "id", json_object_get(ev, "id") ?:
				json_null()));
		}
		json_decref(ev);
	}
	free(text);
}

/* QEMU is gone (killed, crashed or quit): waits for the supervisor to
 * record how it ended and for a plug or unplug in flight (which holds
 * the VM's lock) to log its outcome, then says what happened. Exit 6,
 * as for any VM that is not running. */
static int print_ended(const char *name, int json)
{
	struct ended e;
	struct vm vm;
	size_t i;
	json_t *step;
	int busy;

	if (vm__load(name, &vm))
		return opts__vm_error(name, -ESRCH);
	vm__wait_recorded(&vm, ENDED_WAIT_MS);
	busy = vm__lock(&vm, ENDED_WAIT_MS) == -EBUSY;
	vm__unlock(&vm);
	read_ended(&vm, &e);
	if (json) {
		json_t *out = json_pack("{s:s, s:s, s:o, s:o, s:O, s:s}",
			"name", name, "state", "exited", "qemu-exit",
			e.how[0] ? json_string(e.how) : json_null(),
			"qemu-exit-t", e.t >= 0 ? json_real(e.t) : json_null(),
			"cut-short", e.lost, "logs", vm.dir);

		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(out);
	}
	if (e.how[0])
		fprintf(stderr, "hotcpu: VM %s is not running: QEMU %s %.1f s "
			"after it started\n", name, e.how, e.t);
	else
		fprintf(stderr, "hotcpu: VM %s is not running: QEMU (pid %d) "
			"is gone and its supervisor (pid %d) did not record how "
			"it ended (was it killed too?)\n", name, vm.qemu_pid,
			vm.supervisor_pid);
	json_array_foreach(e.lost, i, step)
		fprintf(stderr, "hotcpu: QEMU's end cut short '%s %s': never "
			"confirmed, the guest may or may not have had it\n",
			json_string_value(json_object_get(step, "step")),
			json_string_value(json_object_get(step, "id")) ?: "?");
	if (busy)
		fprintf(stderr, "hotcpu: a hotcpu command still holds %s/lock\n",
			vm.dir);
	fprintf(stderr, "hotcpu: logs in %s (serial.log, debugcon.log, "
		"qemu.log, events.jsonl); 'hotcpu run --name %s' starts it "
		"again\n", vm.dir, name);
	json_decref(e.lost);
	return HOTCPU_EXIT_NO_VM;
}

int cmd_status(int argc, char **argv)
{
	const char *name = OPTS_DEFAULT_NAME, *qmp = NULL;
	struct guest_console con;
	struct cpu_list l;
	json_t *ost;
	struct qmp q;
	struct vm vm;
	int json = 0, opt, r, budget, named = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (opt == 'j') {
			json = 1;
		} else if (opt == 'n') {
			if (opts__name(CMD, optarg, &name))
				return HOTCPU_EXIT_USAGE;
			named = 1;
		} else if (opt == 'q') {
			if (opts__qmp(CMD, optarg, &qmp))
				return HOTCPU_EXIT_USAGE;
		} else {
			return opts__bad_option(CMD, opt, argv);
		}
	}
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	r = qmp ? vm__attach(qmp, named ? name : NULL, &vm, &q) :
		  vm__open(name, &vm, &q);
	if (r == -ESRCH && !qmp)
		return print_ended(name, json);
	if (r)
		return qmp ? opts__attach_error(qmp, r) :
			     opts__vm_error(name, r);
	name = vm.cfg.name;
	r = cpus__query(&q, &l);
	if (r) {
		vm__close(&vm, &q);
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: cannot query its "
				  "CPUs over QMP: %s", name, q.error);
	}
	memset(&con, 0, sizeof(con));
	if (!guest__open(&vm, &con) && con.agent)
		cpus__set_online(&l, con.online, VM_MAX_CPUS + 1);
	guest__close(&con);
	/* QEMU keeps the last _OST per slot; the event log adds when. */
	if (vm.attached)
		events__ospm_status(&q, EVENTS_OSPM_TIMEOUT_MS, &ost);
	else
		events__last_ost(&vm, &ost);
	vm__tcg_vcpus_left(&vm, &budget);
	if (json)
		print_json(&vm, &l, ost, &con, budget);
	else
		print_text(&vm, &l, ost, &con, budget);
	json_decref(ost);
	cpus__free(&l);
	vm__close(&vm, &q);
	return HOTCPU_EXIT_OK;
}
