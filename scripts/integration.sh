#!/usr/bin/env bash
# make integration [TARGETS=...]: ansible-test integration against the real daemon.
#
# With targets: those, one after the other. Without: every target, in three
# phases, to keep `make test` well under its 40 minutes on two cores (the
# targets wait on the daemon and on Python start-up far more than they use
# the CPU):
#   1. the test images are built once (tests/integration/setup_images.yml);
#   2. two lanes run side by side, each in its own copy of the collection:
#      targets that only touch objects named with their own dt- prefix and
#      ports of their own;
#   3. one at a time, the targets that touch the daemon as a whole: they stop
#      or restart it, make it a swarm manager, start engines in namespaces,
#      list every container, or snapshot every image.
# Every phase runs even when one fails; the exit status is the worst one. Each
# lane's output goes to a log and is printed after the lane ends.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
hash=$(printf '%s' "$repo" | md5sum | cut -c1-10)
logs=${INTEGRATION_LOGS:-/tmp/devops-docker-integration-$hash}

SOLO="host_info inventory_containers reliability_bad_input reliability_faults remote_ssh swarm"
LANE1="reliability_check_mode connection_docker reliability_data image compose_course container_exec prune login network_info volume_info"
LANE2="container reliability_secrets network reliability_exposure compose registry_info connection_docker_tls volume container_info image_info"

ansible_test() {  # ansible_test SCRATCH TARGET...
  local scratch=$1
  shift
  DEVOPS_DOCKER_SCRATCH=$scratch scripts/ansible-env.sh --cd \
    ansible-test integration --local --python 3.11 --color no --allow-destructive --continue-on-error "$@"
}

if [ $# -gt 0 ]; then
  ansible_test "/tmp/devops-docker-$hash" "$@"
  exit $?
fi

# Every target must be in exactly one phase: a new target fails here until it is placed.
all=$(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
placed=$(printf '%s\n' $SOLO $LANE1 $LANE2 | sort)
hidden=$(grep -l '^hidden$' tests/integration/targets/*/aliases | xargs -n1 dirname | xargs -n1 basename | sort)
missing=$(comm -23 <(echo "$all") <(printf '%s\n' $placed $hidden | sort))
if [ -n "$missing" ]; then
  echo "scripts/integration.sh: place these targets in SOLO, LANE1 or LANE2: $missing" >&2
  exit 1
fi

rm -rf "$logs" && mkdir -p "$logs"
status=0
echo "--- integration phase 1: the test images"
DEVOPS_DOCKER_SCRATCH="/tmp/devops-docker-$hash" scripts/test-images.sh >"$logs/setup.log" 2>&1 \
  || { echo "building the test images failed:"; tail -40 "$logs/setup.log"; exit 1; }

echo "--- integration phase 2: two lanes side by side ($(date -u +%T))"
start=$(date +%s)
# shellcheck disable=SC2086
ansible_test "/tmp/devops-docker-$hash-lane1" $LANE1 >"$logs/lane1.log" 2>&1 &
pid1=$!
# shellcheck disable=SC2086
ansible_test "/tmp/devops-docker-$hash-lane2" $LANE2 >"$logs/lane2.log" 2>&1 &
pid2=$!
wait $pid1; rc1=$?
wait $pid2; rc2=$?
for lane in 1 2; do
  echo "=== lane $lane ($logs/lane$lane.log) ==="
  cat "$logs/lane$lane.log"
done
echo "--- the two lanes took $(( $(date +%s) - start ))s: lane 1 rc=$rc1, lane 2 rc=$rc2"
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || status=1

echo "--- integration phase 3: one at a time ($(date -u +%T))"
# shellcheck disable=SC2086
ansible_test "/tmp/devops-docker-$hash" $SOLO || status=1
for lane in 1 2; do
  # The failed targets are listed one per line after ansible-test's FATAL line.
  sed -n '/^FATAL: /,/^[^a-z_]/p' "$logs/lane$lane.log" | sed "s/^/lane $lane: /" || true
done
exit $status
