#!/usr/bin/env bash
# The Ansible role end to end, on "hosts" that are folders on this machine
# (connection: local), each with its own nova configs copied from
# tests/fixtures: a controller, two computes and a compute whose folder
# holds a config nova would refuse.
#
#   contrib/ansible/test/run.sh [STACKHOP_BINARY]
#
# Installs ansible-core (pinned) from PyPI into a virtual environment
# (target/ansible-venv, kept between runs) and asserts:
#   1. the default run (no apply) reports every host (the broken one with
#      its error) and changes no config;
#   2. ansible's --check with stackhop_apply=true changes no config either;
#   3. stackhop_apply=true migrates the three good hosts in place, keeping
#      .bak files, and leaves the broken host alone;
#   4. a second apply run changes nothing (changed=0 everywhere) and the
#      report has nothing to change;
#   5. a host whose migration fails stops the batches: the hosts after it
#      (serial: 1) are not migrated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ansible_core=${ANSIBLE_CORE_VERSION:-2.19.14}
venv=${ANSIBLE_VENV:-$root/target/ansible-venv}
bin=$(realpath "${1:-$root/target/debug/stackhop}")
[ -x "$bin" ] || { echo "no stackhop binary at $bin: build it first" >&2; exit 2; }

# Ansible wants a UTF-8 locale; a bare CI machine may have none set.
export LC_ALL=C.UTF-8 LANG=C.UTF-8

if [ ! -x "$venv/bin/ansible-playbook" ] ||
    ! "$venv/bin/python" -c "import ansible.release as r, sys; sys.exit(r.__version__ != '$ansible_core')" 2>/dev/null; then
    rm -rf "$venv"
    # Without the venv module (Debian's python3-venv), virtualenv from PyPI.
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        python3 -m pip install --quiet --disable-pip-version-check --target "$venv.tools" virtualenv
        PYTHONPATH="$venv.tools" python3 -m virtualenv --quiet "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ansible-core==$ansible_core"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/stackhop-ansible.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export ANSIBLE_ROLES_PATH="$root/contrib/ansible/roles"
export ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_REMOTE_TEMP="$work/ansible-tmp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0

fixtures=$root/tests/fixtures
host() { mkdir -p "$work/hosts/$1/etc/nova" "$work/hosts/$1/bin"; }
host controller && cp "$fixtures/juno-controller.conf" "$work/hosts/controller/etc/nova/nova.conf"
for h in compute1 compute2; do
    host $h && cp "$fixtures/juno-compute.conf" "$work/hosts/$h/etc/nova/nova.conf"
done
host broken
cp "$fixtures/juno-compute.conf" "$work/hosts/broken/etc/nova/nova.conf"
cp "$fixtures/bad/no-separator.conf" "$work/hosts/broken/etc/nova/nova-compute.conf"

# inventory FILE [YAML]: the four hosts; YAML is added to compute1's variables.
inventory() {
    cat > "$1" <<YAML
all:
  children:
    nova:
      hosts:
        controller: {stackhop_role: controller}
        compute1: {stackhop_role: compute${2:+, $2}}
        compute2: {stackhop_role: compute}
        broken: {stackhop_role: compute}
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    stackhop_to: wallaby
    stackhop_binary_src: $bin
    stackhop_local_bin: $bin
    stackhop_bin: "$work/hosts/{{ inventory_hostname }}/bin/stackhop"
    stackhop_configs: ["$work/hosts/{{ inventory_hostname }}/etc/nova"]
    stackhop_reports_dir: $work/reports
    stackhop_serial: 2
YAML
}
inventory "$work/inventory.yml"

fail() { echo "FAIL: $*" >&2; exit 1; }
playbook() { # playbook NAME INVENTORY ARGS...: output in $work/NAME.log
    local name=$1 inv=$2; shift 2
    echo "== $name"
    "$venv/bin/ansible-playbook" -i "$inv" "$root/contrib/ansible/playbook.yml" "$@" \
        > "$work/$name.log" 2>&1
}
play() { # play NAME ARGS...: the playbook on the four hosts, which must succeed
    playbook "$@" || { cat "$work/$1.log"; fail "$1: ansible-playbook failed"; }
}
changed() { # changed LOG HOST: the host's changed= count in the recap
    sed -n "s/^$2 *: .*changed=\([0-9]*\).*/\1/p" "$work/$1.log"
}
sums() { find "$work/hosts" -name '*.conf*' -type f | sort | xargs sha256sum; }
fleet() { # fleet PY-EXPR: evaluates PY-EXPR over the fleet report `f`
    python3 -c "import json,sys; f=json.load(open('$work/reports/fleet.json')); sys.exit(0 if ($1) else 1)"
}

# 1. Report only.
before=$(sums)
play report "$work/inventory.yml"
[ "$(sums)" = "$before" ] || fail "report: a config changed"
fleet "f['totals']['files'] == 5 and f['totals']['with_changes'] == 4 and f['totals']['failed'] == 1" ||
    fail "report: fleet.json totals $(python3 -c "import json; print(json.load(open('$work/reports/fleet.json'))['totals'])")"
fleet "[e['host'] for e in f['files'] if e['status'] == 'error'] == ['broken']" ||
    fail "report: the broken host is not the one reported"
fleet "all(e['report']['changes'] for e in f['files'] if e['status'] == 'changes')" ||
    fail "report: a host's report is missing"
grep -q "nova-compute.conf:3: line is not a comment" "$work/reports/fleet.txt" ||
    fail "report: fleet.txt does not give the broken file's error"
grep -q 'RABBIT_PASS\|NOVA_PASS' "$work/reports/"*.json "$work/reports/fleet."* && fail "report: a secret shows"
grep -q "broken: .*nova-compute.conf:3: .*not migrated" "$work/report.log" ||
    fail "report: the play does not name the broken host"

# 2. Ansible's check mode writes nothing, even asked to apply.
play check-mode "$work/inventory.yml" --check -e stackhop_apply=true
[ "$(sums)" = "$before" ] || fail "check mode: a config changed"

# 3. Apply: the good hosts migrated, with backups; the broken one untouched.
play apply "$work/inventory.yml" -e stackhop_apply=true
for h in controller compute1 compute2; do
    [ "$(changed apply $h)" -ge 1 ] || fail "apply: $h not changed"
    [ -f "$work/hosts/$h/etc/nova/nova.conf.bak" ] || fail "apply: $h kept no backup"
    cmp -s "$work/hosts/$h/etc/nova/nova.conf.bak" \
        "$fixtures/juno-$([ $h = controller ] && echo controller || echo compute).conf" ||
        fail "apply: $h's backup is not the original"
    grep -q '^transport_url' "$work/hosts/$h/etc/nova/nova.conf" || fail "apply: $h not migrated"
done
[ "$(changed apply broken)" = 0 ] || fail "apply: the broken host changed"
cmp -s "$work/hosts/broken/etc/nova/nova.conf" "$fixtures/juno-compute.conf" ||
    fail "apply: the broken host's good config was migrated"
[ -e "$work/hosts/broken/etc/nova/nova.conf.bak" ] && fail "apply: the broken host has a backup"

# 4. A second run changes nothing and has nothing to change.
play again "$work/inventory.yml" -e stackhop_apply=true
for h in controller compute1 compute2 broken; do
    [ "$(changed again $h)" = 0 ] || fail "again: $h changed"
done
fleet "all(e['status'] == 'ok' and e['changes'] == 0 for e in f['files'] if e['host'] != 'broken')" ||
    fail "again: the fleet report still has changes"

# 5. A host that fails to migrate stops the batches: with one host a
# batch, compute1's failure leaves compute2 and broken (after it) alone.
for h in controller compute1 compute2; do
    cp "$work/hosts/$h/etc/nova/nova.conf.bak" "$work/hosts/$h/etc/nova/nova.conf"
    rm "$work/hosts/$h/etc/nova/nova.conf.bak"
done
rm "$work/hosts/broken/etc/nova/nova-compute.conf"
cat > "$work/failing-stackhop" <<SH
#!/bin/sh
# stackhop, except that writing fails (as on a full disk).
for a in "\$@"; do
    if [ "\$a" = --in-place ]; then echo "stackhop: nova.conf: no space left on device" >&2; exit 2; fi
done
exec "$bin" "\$@"
SH
chmod +x "$work/failing-stackhop"
inventory "$work/inventory-failing.yml" "stackhop_binary_src: '', stackhop_bin: $work/failing-stackhop"
if playbook stop "$work/inventory-failing.yml" -e stackhop_apply=true -e stackhop_serial=1; then
    fail "stop: the playbook succeeded though compute1 failed"
fi
grep -q '^transport_url' "$work/hosts/controller/etc/nova/nova.conf" || fail "stop: controller (before compute1) not migrated"
for h in compute1 compute2 broken; do
    cmp -s "$work/hosts/$h/etc/nova/nova.conf" "$fixtures/juno-compute.conf" || fail "stop: $h was migrated"
done

echo "ok: the Ansible role (report, check mode, apply with backups, a broken host, a second run, a failing batch)"
