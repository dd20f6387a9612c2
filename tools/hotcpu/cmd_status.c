/* hotcpu status: possible, present and online vCPUs with their topology
 * and APIC ids, and the last _OST the guest reported for each. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cpus.h"
#include "events.h"
#include "guest.h"
#include "hotcpu.h"
#include "hotplug.h"
#include "opts.h"
#include "util.h"

#define CMD "status"

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
		events__ospm_status(&q, &ost);
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
