#!/usr/bin/env bash
# community.docker's documented swarm tasks (docker_swarm, docker_swarm_info, docker_node, docker_stack; then in
# compat.yml docker_swarm's settings and state: remove, docker_node_info, docker_swarm_service, docker_swarm_service_info,
# docker_secret, docker_config) with only the collection name changed, on two Docker engines in network namespaces of
# their own (tests/fixtures/engines.sh set dt-dri on dt-br7, 10.231.7.0/24): dt-dri1 is the manager, dt-dri2 a worker
# that joins, leaves and is removed in compat.yml. The main engine is never a swarm member.
set -eux

root=$(pwd)
while [ "$root" != / ] && [ ! -x "$root/tests/fixtures/engines.sh" ]; do root=$(dirname "$root"); done
fixture="$root/tests/fixtures/engines.sh"
[ -x "$fixture" ] || { echo "tests/fixtures/engines.sh not found above $(pwd)" >&2; exit 1; }
export DT_NODE_PREFIX=dt-dri DT_BRIDGE=dt-br7 DT_NET=10.231.7

trap '"$fixture" down' EXIT
"$fixture" up 2
"$fixture" load devops-test/busybox:latest

export ANSIBLE_STDOUT_CALLBACK=default
ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$(command -v python)" swarm.yml "$@"
ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$(command -v python)" compat.yml "$@"
