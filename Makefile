# hotcpu: firmware, command line, platform model, tests, benchmarks.
#   make          build/hotcpu.fd and build/hotcpu
#   make demo     boot the bundled guest, hot-add and hot-remove vCPUs
#   make check    every test (unit, model, boot); installs what is missing
#   make bench    benchmarks against SeaBIOS and OVMF
BUILD ?= build
CC ?= cc
# CI builds with WERROR=-Werror.
WERROR ?=

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wformat=2 \
	-Wmissing-prototypes -Wstrict-prototypes -Wundef -Wwrite-strings \
	-Wno-format-nonliteral $(WERROR) -Iinclude

# Each area's build.mk appends to these.
ALL :=
CHECKS :=
BENCHES :=

all: build-all

include firmware/build.mk
include model/build.mk
include guest/build.mk
include tests/build.mk
include tools/build.mk
include bench/build.mk

build-all: $(ALL)

# Packages (apt-get as root); the stamp is refreshed when the list changes.
$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	sh scripts/deps.sh
	@touch $@
deps: $(BUILD)/.deps

check: deps
	$(MAKE) build-all guest
	$(MAKE) $(CHECKS)

bench: deps
	$(MAKE) build-all guest
	$(MAKE) $(BENCHES)

clean:
	rm -rf $(filter-out $(BUILD)/guest,$(wildcard $(BUILD)/*)) $(BUILD)/.deps

.PHONY: all build-all deps check bench clean demo
