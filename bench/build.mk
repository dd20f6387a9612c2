# Benchmarks: every bench/<name>/build.mk adds its target to BENCHES.
# Each measures hotcpu, SeaBIOS and OVMF in one run and prints ratios.
include $(wildcard bench/*/build.mk)
