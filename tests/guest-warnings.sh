# shellcheck shell=bash
# Sourced by the shell tests and bench-resize: what a guest console must
# not print, as one grep -E alternation. A script adds its own further
# lines to it; the C tests keep their own lists.
# shellcheck disable=SC2034
guest_warnings='Eject incomplete|soft lockup|failed to report alive|Unable to map lapic|NMI received for unknown reason'
