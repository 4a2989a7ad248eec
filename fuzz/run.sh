#!/usr/bin/env bash
# Runs one fuzz target for a while on the nightly toolchain.
#   bash fuzz/run.sh TARGET SECONDS
# Installs cargo-fuzz first if it is missing. New interesting inputs are added
# to fuzz/corpus/TARGET/; crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
exec cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds"
