#!/usr/bin/env bash
# Swarm on three Docker engines in network namespaces (tests/fixtures/engines.sh):
# node1 manager (10.231.0.2), node2 and node3 workers. The machine's main engine
# is never put into swarm mode. The fixture is torn down on every exit.
set -eux

root=$(pwd)
while [ "$root" != / ] && [ ! -x "$root/tests/fixtures/engines.sh" ]; do root=$(dirname "$root"); done
fixture="$root/tests/fixtures/engines.sh"
[ -x "$fixture" ] || { echo "tests/fixtures/engines.sh not found above $(pwd)" >&2; exit 1; }

trap '"$fixture" down' EXIT
"$fixture" up 3
"$fixture" load devops-test/busybox:latest

export ANSIBLE_STDOUT_CALLBACK=default
playbook() { ansible-playbook -i inventory.yml -e "fixture=$fixture" "$@"; }
changed_count() { sed -n 's/.*changed=\([0-9]*\).*/\1/p' | awk '{s+=$1} END {print s+0}'; }

# The role in check mode on fresh engines: predicts changes, touches nothing.
out=$(playbook cluster.yml --check) || { echo "$out"; exit 1; }
echo "$out"
[ "$(echo "$out" | changed_count)" -gt 0 ]
for k in 1 2 3; do
  [ "$(docker -H unix:///run/dt-node$k.sock info --format '{{.Swarm.LocalNodeState}}')" = inactive ]
done

# Forms the cluster.
out=$(playbook cluster.yml) || { echo "$out"; exit 1; }
echo "$out"
[ "$(echo "$out" | changed_count)" -gt 0 ]
# Second run and check mode: no change.
out=$(playbook cluster.yml --check) || { echo "$out"; exit 1; }
[ "$(echo "$out" | changed_count)" -eq 0 ] || { echo "$out"; exit 1; }
out=$(playbook cluster.yml) || { echo "$out"; exit 1; }
[ "$(echo "$out" | changed_count)" -eq 0 ] || { echo "$out"; exit 1; }

# Everything else: assertions against the daemons.
playbook swarm.yml "$@"

# After node3's engine was stopped and started again (in swarm.yml), the role converges.
out=$(playbook cluster.yml) || { echo "$out"; exit 1; }
echo "$out"
out=$(playbook cluster.yml) || { echo "$out"; exit 1; }
[ "$(echo "$out" | changed_count)" -eq 0 ] || { echo "$out"; exit 1; }
playbook verify.yml
