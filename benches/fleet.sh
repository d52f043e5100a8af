#!/usr/bin/env bash
# The fleet benchmark of issue 14: a thousand Juno-era nova.conf files (the
# fixtures' controller and compute, each with its own host name, IP
# addresses and passwords), migrated to Wallaby into a folder and checked
# against Juno, each in one stackhop run; beside them, the same thousand
# files each edited once by `crudini --set`, one process a file, as
# operators script it today.
#
#   benches/fleet.sh [N]               (N files, 1000 by default)
#   benches/fleet.sh --generate DIR [N] (only write the fleet under DIR)
#
# Needs hyperfine; crudini is optional (the comparison is skipped without
# it). Builds the release binary first. Set KEEP=1 to keep the work folder,
# RUNS to change the number of timed runs (10).
set -euo pipefail
cd "$(dirname "$0")/.."

generate_only=
if [ "${1:-}" = --generate ]; then
    generate_only=${2:?--generate DIR}
    shift 2
fi
n=${1:-1000}
if [ -n "$generate_only" ]; then
    work=$generate_only
    mkdir -p "$work"
else
    cargo build --release --quiet
    bin=$PWD/target/release/stackhop
    work=$(mktemp -d "${TMPDIR:-/tmp}/stackhop-fleet.XXXXXX")
    if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; fi
fi

# One controller for every 50 computes; every file gets its own host name,
# management IP, message-queue and service passwords.
awk -v n="$n" -v dir="$work/fleet" \
    -v ctl="tests/fixtures/juno-controller.conf" \
    -v cmp="tests/fixtures/juno-compute.conf" '
function slurp(file,   line, text) {
    text = ""
    while ((getline line < file) > 0) text = text line "\n"
    close(file)
    return text
}
function pass(kind, i) { return sprintf("%s%05d%x", kind, i, (i * 2654435761) % 4294967296) }
BEGIN {
    srand(14)
    controller = slurp(ctl); compute = slurp(cmp)
    for (i = 1; i <= n; i++) {
        if (i % 50 == 1) { name = sprintf("controller-%02d", int(i / 50) + 1); text = controller }
        else { name = sprintf("compute-%04d", i); text = compute }
        ip = sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256 + 1)
        gsub(/10\.0\.0\.(11|31)/, ip, text)
        gsub(/RABBIT_PASS/, pass("rabbit", i), text)
        gsub(/NOVA_DBPASS/, pass("novadb", i), text)
        gsub(/NOVA_PASS/, pass("nova", i), text)
        gsub(/NEUTRON_PASS/, pass("neutron", i), text)
        gsub(/METADATA_SECRET/, pass("meta", i), text)
        sub(/\[DEFAULT\]\n/, "[DEFAULT]\nhost = " name "\n", text)
        folder = dir "/" name
        system("mkdir -p " folder)
        printf "%s", text > (folder "/nova.conf")
        close(folder "/nova.conf")
    }
}'
echo "fleet: $(find "$work/fleet" -name '*.conf' | wc -l) files under $work/fleet ($(nproc) cores)"
[ -z "$generate_only" ] || exit 0

# Exit 1 is the answer of check (findings), not a failure.
hyperfine --warmup 1 --runs "${RUNS:-10}" --time-unit millisecond \
    --prepare "rm -rf '$work/out'" \
    --command-name "migrate $n files juno → wallaby -o DIR" \
    "$bin migrate --from juno --to wallaby '$work/fleet' -o '$work/out'" \
    --command-name "check $n files against juno" \
    -i "$bin check --release juno '$work/fleet'" \
    --export-markdown "$work/stackhop.md"

if command -v crudini >/dev/null; then
    cp -r "$work/fleet" "$work/crudini"
    hyperfine --runs 1 --time-unit millisecond --command-name "$n × crudini --set" \
        "for f in '$work'/crudini/*/nova.conf; do crudini --set \"\$f\" vnc enabled True; done" \
        --export-markdown "$work/crudini.md"
    cat "$work/crudini.md" | tail -n +3 >> "$work/stackhop.md"
else
    echo "crudini not installed: skipping the comparison (apt-get install crudini)"
fi
echo
cat "$work/stackhop.md"
