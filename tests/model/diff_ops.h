/* One episode of the differential test: the random operations, done on
 * QEMU and on the model, and the comparison after each. */
#ifndef TESTS_MODEL_DIFF_OPS_H
#define TESTS_MODEL_DIFF_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "aml.h"
#include "cpuhp_dev.h"
#include "platform.h"
#include "q35_qtest.h"
#include "qtest.h"

#define DIFF_MAX_OST	64
#define DIFF_MAX_EJ	1024
#define DIFF_HISTORY	16

struct diff_ost {
	uint32_t idx, event, status;
};

struct diff {
	uint64_t seed, rng;
	char desc[160];
	bool verbose;
	/* QEMU */
	struct qtest t;
	struct q35q q;
	uint32_t add_budget;	/* device_adds QEMU can still take */
	/* Model */
	struct cpuhp_dev dev;
	struct platform plat;	/* the AML's ports: both sides */
	struct aml_cpus aml;
	uint64_t smi_req;
	bool smm;
	unsigned legacy_ops;	/* operations before the switch */
	/* What each side reported during the current operation. */
	struct diff_ost m_ost[DIFF_MAX_OST], q_ost[DIFF_MAX_OST];
	unsigned n_m_ost, n_q_ost;
	bool m_sci;
	/* vCPUs the model ejected and QEMU deleted, whole episode. */
	uint32_t m_ej[DIFF_MAX_EJ], q_del[DIFF_MAX_EJ];
	unsigned n_m_ej, n_q_del;
	/* What was compared, for the TAP line. */
	unsigned n_ops, n_plugs, n_reads, n_refusals, n_ost, n_gpe;
	char history[DIFF_HISTORY][128];
	int failed;
	char why[1024];
};

uint32_t diff__below(struct diff *d, uint32_t n);
void diff__model_init(struct diff *d, uint32_t nr, const uint64_t *ids,
		      uint32_t nr_boot);
void diff__aml_init(struct diff *d);
/* One random operation on both sides, then the comparison. */
void diff__step(struct diff *d);
/* Takes QEMU's events (waiting up to wait_ms for the first). */
void diff__events(struct diff *d, int wait_ms);
void diff__fail(struct diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints the mismatch and the operations before it, TAP comments. */
void diff__report(const struct diff *d);

#endif
