/* The trace of one schedule: what each CPU did, for --replay and the
 * shrunk report of a violation, and as Chrome trace event JSON (one
 * track per CPU: OS, wait-for-SIPI, SMM, parked, firmware), which
 * ui.perfetto.dev and chrome://tracing draw. Kept only when tracing. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct trace_ev {
	uint64_t step, time;
	int cpu;
	int mode;		/* >= 0: a mode change to this mode */
	char msg[136];
};

static void push(struct model *m, int cpu, int mode, const char *msg)
{
	struct trace_ev *e;

	if (m->nr_tr == m->cap_tr) {
		m->cap_tr = m->cap_tr ? m->cap_tr * 2 : 4096;
		m->tr = realloc(m->tr, m->cap_tr * sizeof(*m->tr));
		if (!m->tr)
			abort();
	}
	e = &m->tr[m->nr_tr++];
	e->step = m->step;
	e->time = m->now;
	e->cpu = cpu;
	e->mode = mode;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
}

void trace(int cpu, const char *fmt, ...)
{
	struct model *m = M;
	char buf[136];
	va_list ap;

	if (!m->o->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push(m, cpu, -1, buf);
}

void trace_mode(struct mcpu *c)
{
	struct model *m = M;
	int mode = c->mode;

	if (!m->o->trace)
		return;
	if (c->mode == M_SMM && c->smm_parked)
		mode = M_SMM + 1;	/* parked in SMM */
	else if (c->halted && c->mode == M_OS)
		mode = M_SMM + 2;
	push(m, c->idx, mode, "");
}

void trace_reset(struct model *m)
{
	m->nr_tr = 0;
}

static const char *mode_name(int mode)
{
	static const char *const n[] = { "absent", "wait-for-SIPI",
					 "firmware", "parked (mailbox)", "OS",
					 "SMM", "parked in SMM", "halted" };

	return n[mode];
}

static void who(char *buf, size_t n, int cpu)
{
	if (cpu >= 0)
		snprintf(buf, n, "cpu%-2d", cpu);
	else
		snprintf(buf, n, "host ");
}

/* The shrunk report prints from the start of the cycle the violation
 * happened in (the host's last device_add before it). */
void trace_print(struct model *m, FILE *f, bool shrunk)
{
	uint32_t from = 0, shown = 0;

	if (shrunk)
		for (uint32_t i = 0; i < m->nr_tr; i++)
			if (m->tr[i].cpu < 0 &&
			    !strncmp(m->tr[i].msg, "QMP: cycle", 10))
				from = i;
	for (uint32_t i = from; i < m->nr_tr; i++) {
		struct trace_ev *e = &m->tr[i];
		char w[16];

		if (e->mode >= 0)
			continue;
		who(w, sizeof(w), e->cpu);
		fprintf(f, "  [step %7llu %10.3f ms] %s %s\n",
			(unsigned long long)e->step, e->time / 1000.0, w,
			e->msg);
		shown++;
	}
	if (shrunk && from)
		fprintf(f, "  (%u earlier events of the schedule not shown)\n",
			from);
	(void)shown;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			continue;
		fputc(*s, f);
	}
	fputc('"', f);
}

void trace_chrome(struct model *m, const char *path)
{
	FILE *f = fopen(path, "w");
	int mode[MODEL_MAX_CPUS + 1];
	uint64_t since[MODEL_MAX_CPUS + 1];
	bool first = true;

	if (!f) {
		perror(path);
		return;
	}
	for (int i = 0; i <= MODEL_MAX_CPUS; i++) {
		mode[i] = -1;
		since[i] = 0;
	}
	fprintf(f, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		fprintf(f, "%s{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
			"\"tid\":%u,\"args\":{\"name\":\"CPU %u\"}}",
			first ? "" : ",\n", i + 1, i);
		first = false;
	}
	fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
		"\"tid\":0,\"args\":{\"name\":\"host (QMP)\"}}");
	for (uint32_t i = 0; i < m->nr_tr; i++) {
		struct trace_ev *e = &m->tr[i];
		int t = e->cpu + 1;

		if (e->mode < 0) {
			fprintf(f, ",\n{\"name\":");
			json_str(f, e->msg);
			fprintf(f, ",\"ph\":\"i\",\"s\":\"t\",\"ts\":%llu,"
				"\"pid\":1,\"tid\":%d,\"args\":{\"step\":%llu}}",
				(unsigned long long)e->time, t,
				(unsigned long long)e->step);
			continue;
		}
		if (mode[t] >= 0 && e->time > since[t])
			fprintf(f, ",\n{\"name\":\"%s\",\"ph\":\"X\",\"ts\":%llu,"
				"\"dur\":%llu,\"pid\":1,\"tid\":%d}",
				mode_name(mode[t]),
				(unsigned long long)since[t],
				(unsigned long long)(e->time - since[t]), t);
		mode[t] = e->mode;
		since[t] = e->time;
	}
	for (int t = 1; t <= (int)m->o->max_cpus; t++)
		if (mode[t] > 0 && m->now > since[t])
			fprintf(f, ",\n{\"name\":\"%s\",\"ph\":\"X\",\"ts\":%llu,"
				"\"dur\":%llu,\"pid\":1,\"tid\":%d}",
				mode_name(mode[t]), (unsigned long long)since[t],
				(unsigned long long)(m->now - since[t]), t);
	fprintf(f, "\n]}\n");
	fclose(f);
}
