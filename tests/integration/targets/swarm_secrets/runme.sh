#!/usr/bin/env bash
# Swarm secrets and configs, and nodes fed from the local registry, on three
# Docker engines in network namespaces (tests/fixtures/engines.sh with its own
# set: dt-sec1..3 on dt-br5, 10.231.5.0/24). The machine's main engine is the
# registry and build host (on 10.231.5.1:15443), never a swarm member.
#   1. playbooks/swarm.yml on fresh nodes (no image at all): registry with TLS
#      and a user, the course's images built and pushed once, the swarm, the
#      database and a 3-replica backend pulled by every node from the registry;
#      then again in check mode and for real: no change. -vvv --diff output
#      never holds a password.
#   2. secrets.yml: secret and config, rolling versions, a service that picks
#      up the new version, old versions removed once unused.
#   3. stack.yml: a stack with file-based secrets and configs.
#   4. rollback.yml: an update that fails its healthcheck rolls back.
#   5. resolve.yml: resolve_image pins the registry's digest (service and stack).
set -eux

root=$(pwd)
while [ "$root" != / ] && [ ! -x "$root/tests/fixtures/engines.sh" ]; do root=$(dirname "$root"); done
fixture="$root/tests/fixtures/engines.sh"
[ -x "$fixture" ] || { echo "tests/fixtures/engines.sh not found above $(pwd)" >&2; exit 1; }
export DT_NODE_PREFIX=dt-sec DT_BRIDGE=dt-br5 DT_NET=10.231.5 DT_PREFER_OFFLINE=0
REG=10.231.5.1:15443
logs=${INTEGRATION_LOGS:-$(mktemp -d)}
mkdir -p "$logs"

cleanup() {
  set +e
  "$fixture" down
  docker rm -f dt-swarm-registry >/dev/null 2>&1
  docker volume rm dt-swarm-registry-data >/dev/null 2>&1
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$REG/" | xargs -r docker rmi >/dev/null 2>&1
  docker logout "$REG" >/dev/null 2>&1
  rm -rf /etc/devops-docker/registry/dt-swarm-registry /etc/devops-docker/registry-ca/dt-swarm-registry \
    "/etc/docker/certs.d/$REG"
}
trap cleanup EXIT
cleanup
"$fixture" up 3
# Fresh nodes: not a single image.
for k in 1 2 3; do
  [ -z "$(docker -H unix:///run/dt-sec$k.sock images -aq)" ]
done

export ANSIBLE_STDOUT_CALLBACK=default
playbook() { ansible-playbook -i inventory.yml "$@"; }
changed_count() { sed -n 's/.*changed=\([0-9]*\).*/\1/p' "$1" | awk '{s+=$1} END {print s+0}'; }
# Every password the tests use: none may appear in any output.
SECRETS="dt-REGISTRY-pw-7a1c dt-DBPASS-3f9e1 dt-DBROOT-c2d84 dt-SECV1-91b2e dt-SECV2-5ac07 dt-STACKPW-e40d"
no_secret() {
  for s in $SECRETS; do
    if grep -qF -- "$s" "$1"; then
      set +x
      echo "a secret value is in $1:" >&2
      grep -nF -- "$s" "$1" | sed "s/$s/<THE SECRET>/g" | head -5 >&2
      exit 1
    fi
  done
}
run() {  # run LOG ARGS...: a playbook run, its output kept and checked for secrets
  local log="$logs/$1"; shift
  playbook "$@" >"$log" 2>&1 || { tail -150 "$log"; exit 1; }
  no_secret "$log"
}

# 1. The registry-fed swarm, end to end, on fresh nodes.
run swarm-1.log devops.docker.swarm -vvv --diff
[ "$(changed_count "$logs/swarm-1.log")" -gt 0 ]
run swarm-2.log devops.docker.swarm --check --diff -vvv
[ "$(changed_count "$logs/swarm-2.log")" -eq 0 ] || { grep -B3 -A20 '^changed' "$logs/swarm-2.log" | head -80; exit 1; }
run swarm-3.log devops.docker.swarm --diff
[ "$(changed_count "$logs/swarm-3.log")" -eq 0 ] || { grep -B3 -A20 '^changed' "$logs/swarm-3.log" | head -80; exit 1; }
playbook registry_fed.yml || exit 1

# 2-4. Secrets and configs, a stack with secrets, a rollback (-vvv --diff, check mode included).
run secrets.log secrets.yml -vvv --diff
run stack.log stack.yml -vvv --diff
run rollback.log rollback.yml --diff
# 5. resolve_image: services and a stack pinned to the registry's digest of a tag pushed twice.
run resolve.log resolve.yml --diff
