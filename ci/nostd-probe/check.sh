#!/usr/bin/env bash
# Proves that every library core is no_std and allocation-free.
#   bash ci/nostd-probe/check.sh         build the probe (must succeed), then
#                                        the two negative controls (must fail)
set -euo pipefail
cd "$(dirname "$0")"
# -nostartfiles: we provide _start; -lc only supplies memcpy/memset to core.
flags=(-C link-arg=-nostartfiles -C link-arg=-lc)
build() { cargo rustc --quiet --release "$@" -- "${flags[@]}"; }

build
echo "nostd-probe: every library core links without std or alloc"

# The probe must really catch a leak, or the green line above means nothing.
if out=$(build --features leak-std 2>&1); then
  echo "nostd-probe: ERROR: a core using std still linked" >&2; exit 1
fi
grep -q "duplicate lang item" <<<"$out" || { echo "$out" >&2; exit 1; }
echo "nostd-probe: control ok: std in a core is rejected (duplicate panic_impl)"
if out=$(build --features leak-alloc 2>&1); then
  echo "nostd-probe: ERROR: a core using alloc still linked" >&2; exit 1
fi
grep -q "no global memory allocator" <<<"$out" || { echo "$out" >&2; exit 1; }
echo "nostd-probe: control ok: alloc in a core is rejected (no global allocator)"
