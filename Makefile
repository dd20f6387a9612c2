# hotcpu: firmware, command line, platform model, tests, benchmarks.
#   make          build/hotcpu.fd, build/hotcpu and build/hotcpu-model (a
#                 C compiler and jansson's headers are all it needs)
#   make install  both, to $(DESTDIR)$(PREFIX)/bin and .../share/hotcpu
#   make demo     boot the bundled guest, hot-add and hot-remove vCPUs
#   make check    builds and runs every test (unit, model, boot);
#                 installs what is missing
#   make bench    benchmarks against SeaBIOS and OVMF
#   make fuzz     every fuzz target for FUZZ_S seconds (tests/fuzz/)
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
# CI builds with WERROR=-Werror.
WERROR ?=

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wformat=2 \
	-Wmissing-prototypes -Wstrict-prototypes -Wundef -Wwrite-strings \
	-Wno-format-nonliteral $(WERROR) -Iinclude

# Each area's build.mk appends to these. ALL is everything `make check`
# builds, tests included; plain `make` builds PROGRAMS only.
ALL :=
CHECKS :=
BENCHES :=
PROGRAMS := $(BUILD)/hotcpu.fd $(BUILD)/hotcpu

all: programs

include firmware/build.mk
include model/build.mk
include guest/build.mk
include tests/build.mk
include tools/build.mk
include bench/build.mk

build-all: $(ALL)
programs: $(PROGRAMS)

# Packages (apt-get as root); the stamp is refreshed when the list changes.
$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	sh scripts/deps.sh
	@touch $@
deps: $(BUILD)/.deps

# -k: one failing check does not hide the others; make still fails.
check: deps
	$(MAKE) build-all guest
	$(MAKE) -k $(CHECKS)

bench: deps
	$(MAKE) build-all guest
	$(MAKE) $(BENCHES)

# The binary finds the firmware in ../share/hotcpu beside its bin/.
install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hotcpu
	install -m 755 $(BUILD)/hotcpu $(DESTDIR)$(PREFIX)/bin/hotcpu
	install -m 644 $(BUILD)/hotcpu.fd $(DESTDIR)$(PREFIX)/share/hotcpu/hotcpu.fd

clean:
	rm -rf $(filter-out $(BUILD)/guest,$(wildcard $(BUILD)/*)) $(BUILD)/.deps

.PHONY: all programs build-all deps check bench clean demo install
