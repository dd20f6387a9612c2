# shellcheck shell=bash
# Sourced by the shell tests and bench-resize: what a guest console must
# not print, as one grep -E alternation. A script adds its own further
# lines to it. The C tests' harness reads it too (tests/boot/vm.c), and
# fails any test whose guest printed one of these: keep it one line of
# plain strings, no regular expression.
# shellcheck disable=SC2034
guest_warnings='Eject incomplete|soft lockup|failed to report alive|Unable to map lapic|NMI received for unknown reason'
