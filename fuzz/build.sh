#!/usr/bin/env bash
# Builds the fuzz targets as cargo-fuzz does (coverage instrumentation,
# AddressSanitizer), with the stable compiler: RUSTC_BOOTSTRAP=1 lets it
# take the -Z flag. Usage: fuzz/build.sh [--dev] ; binaries land in
# fuzz/target/x86_64-unknown-linux-gnu/{release,debug}/.
set -euo pipefail
cd "$(dirname "$0")"
profile=--release
if [[ "${1:-}" == "--dev" ]]; then
    profile=
fi
target="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
 --cfg fuzzing -Zsanitizer=address -Cdebug-assertions -Coverflow-checks"
# --target keeps the flags off build scripts and proc macros.
cargo build $profile --bins --target "$target"
