#!/usr/bin/env bash
# Issue 13's hostile inputs: three 50 MB shapes of nova.conf, each checked,
# migrated and diffed (against itself, and against a copy with one line
# added in the middle) by the release binary, with wall time, CPU time and
# peak memory from /usr/bin/time. Target: under 2 s, peak under 4x the input
# (for diff, the input is both files). check's other formats are measured
# too: their output is many times the input (SARIF: about 26x), and costs
# its time, but memory stays bounded.
#
#   benches/hostile.sh [MB]          (50 by default)
#
#   repeated  the Wallaby sample fixture repeated
#   keys      [DEFAULT] then distinct `opt_N = value_N` keys
#   sections  `[section_N]` / `key = value_N` pairs
#   juno      the Juno controller fixture repeated: nearly every option
#             changes on the way to Wallaby, thousands of times over
#
# Builds the release binary first (BIN=path to use another one). Set KEEP=1
# to keep the work folder. No output is written to /dev/null with -o.
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${1:-50}
size=$((mb * 1000000))
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=$PWD/target/release/stackhop
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/stackhop-hostile.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

SIZE=$size WORK=$work python3 - <<'PY'
import os
size, work = int(os.environ["SIZE"]), os.environ["WORK"]
sample = open("tests/fixtures/wallaby-sample.conf", "rb").read()
juno = open("tests/fixtures/juno-controller.conf", "rb").read()
def write(name, chunks):
    out, n = [], 0
    for c in chunks:
        if n + len(c) > size:
            break
        out.append(c)
        n += len(c)
    data = b"".join(out)
    open(os.path.join(work, name + ".conf"), "wb").write(data)
    mid = data.index(b"\n", len(data) // 2) + 1
    edited = data[:mid] + b"edited_key = 1\n" + data[mid:]
    open(os.path.join(work, name + ".edited.conf"), "wb").write(edited)
def repeated():
    while True:
        yield sample
def keys():
    yield b"[DEFAULT]\n"
    i = 0
    while True:
        yield b"opt_%d = value_%d\n" % (i, i)
        i += 1
def sections():
    i = 0
    while True:
        yield b"[section_%d]\nkey = value_%d\n" % (i, i)
        i += 1
write("repeated", repeated())
def junos():
    while True:
        yield juno
write("juno", junos())
write("keys", keys())
write("sections", sections())
PY

timed() {
    local what=$1
    shift
    # Standard output is thrown away by the shell (SARIF of 2 M findings
    # is over a gigabyte); stackhop itself never writes to /dev/null here.
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>"$work/stderr" || true
    read -r wall user sys kb < <(tail -1 "$work/time")
    printf '%-10s %-13s %7s s %7.2f s %7d MB\n' "$shape" "$what" "$wall" \
        "$(echo "$user + $sys" | bc)" $((kb / 1024))
}

printf '%-10s %-13s %9s %9s %10s\n' file command wall cpu peak
for shape in repeated keys sections juno; do
    f=$work/$shape.conf
    timed check "$BIN" check --release wallaby "$f"
    for format in json github sarif; do
        timed "check-$format" "$BIN" check --release wallaby --format "$format" "$f"
    done
    timed migrate "$BIN" migrate --from juno --to wallaby -o "$work/out.conf" "$f"
    timed diff-same "$BIN" diff "$f" "$f"
    timed diff-edit "$BIN" diff "$f" "$work/$shape.edited.conf"
done
