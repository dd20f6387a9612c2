/* How a hot-plug step reads: one line per CPU, and its exit code. */
#ifndef HOTCPU_REPORT_H
#define HOTCPU_REPORT_H

#include <stdio.h>

#include "hotplug.h"

/* One line: when, which CPU, the outcome and each latency. */
void report__step(FILE *f, const struct hp_result *r);
/* The exit code for an outcome (hotcpu.h). */
int report__exit_code(enum hp_outcome outcome);

#endif
