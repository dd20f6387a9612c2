# Benchmarks: each prints a table of ratios against SeaBIOS and OVMF.
