#!/usr/bin/env bash
# make integration [TARGETS=...]: ansible-test integration against the real daemon.
#
# With targets: those, one after the other. Without: every target, in three
# phases, to keep `make test` well under its 40 minutes on two cores (the
# targets wait on the daemon and on Python start-up far more than they use
# the CPU):
#   1. the test images are built once (tests/integration/setup_images.yml);
#   2. three lanes run side by side, each in its own copy of the collection:
#      targets that only touch objects named with their own dt- prefix, ports
#      and subnets of their own (lanes 1 and 2), and the slow targets that work
#      on engines of their own in network namespaces or over SSH (lane 3);
#   3. one at a time, the targets that touch the main daemon as a whole: they
#      stop or restart it, list every container, or snapshot every image.
# Every phase runs even when one fails; the exit status is the worst one. Each
# lane's output goes to a log and is printed after the lane ends.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
hash=$(printf '%s' "$repo" | md5sum | cut -c1-10)
logs=${INTEGRATION_LOGS:-/tmp/devops-docker-integration-$hash}

SOLO="host_info inventory_containers reliability_bad_input reliability_faults"
LANE1="reliability_check_mode connection_docker reliability_data image compose_course container_exec prune login network_info volume_info dropin compose_wordpress compose_keys reliability_safety"
LANE2="container dropin_container reliability_secrets network reliability_exposure compose registry_info connection_docker_tls volume container_info image_info dropin_swarm compose_extends"
# Targets on engines of their own (network namespaces) or a remote host over SSH:
# slow, mostly waiting, and they never list or snapshot the main engine as a whole.
LANE3="swarm_secrets remote_ssh swarm"

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
placed=$(printf '%s\n' $SOLO $LANE1 $LANE2 $LANE3 | sort)
hidden=$(grep -l '^hidden$' tests/integration/targets/*/aliases | xargs -n1 dirname | xargs -n1 basename | sort)
missing=$(comm -23 <(echo "$all") <(printf '%s\n' $placed $hidden | sort))
if [ -n "$missing" ]; then
  echo "scripts/integration.sh: place these targets in SOLO, LANE1, LANE2 or LANE3: $missing" >&2
  exit 1
fi

rm -rf "$logs" && mkdir -p "$logs"
status=0
summary=${INTEGRATION_SUMMARY:-$logs/summary.txt}
: >"$summary"

# ansible-test creates its SSH key pair (~/.ansible/test/id_rsa) on first use.
# Two lanes started at once on a machine that never ran it both find no key,
# both run ssh-keygen, and the second stops at the overwrite prompt with no
# standard input: the lane runs nothing. So the shared first-use state is made
# here, once, before any lane starts (the same key ansible-test would make).
prepare_ansible_test_home() {
  local dir="$HOME/.ansible/test" key
  key="$dir/id_rsa"
  mkdir -p "$dir" "$HOME/.ansible/tmp"
  if [ ! -f "$key" ] || [ ! -f "$key.pub" ]; then
    rm -f "$key" "$key.pub"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$key" </dev/null || return 1
    # ansible-test rewrites the header so that paramiko reads the key.
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
  fi
}

# report NAME LOG RC SECONDS TARGET...: one summary line; a phase that ran fewer
# targets than it was given fails, whatever ansible-test's exit status says.
report() {
  local name=$1 log=$2 rc=$3 secs=$4 want ran failed target
  shift 4
  want=$#
  ran=0
  for target in "$@"; do
    grep -qE "^Running $target integration test (role|script)\$" "$log" && ran=$((ran + 1))
  done
  failed=$(sed -n '/^FATAL: The .* integration test(s) listed below/,/^[^a-z_]/p' "$log" | grep -cE '^[a-z_]+$' || true)
  local line
  line=$(printf '%-22s %2d/%-2d targets ran, %d failed, rc=%d, %ss' "$name" "$ran" "$want" "$failed" "$rc" "$secs")
  if [ "$ran" -lt "$want" ]; then
    line="$line  <- FAILED: $((want - ran)) target(s) never ran"
    rc=1
  fi
  echo "$line" >>"$summary"
  [ "$rc" -ne 0 ] && why "$log" >>"$summary"
  return "$rc"
}

# why LOG: the first failed tasks of a log (task title, the failure and a few
# lines of its message), shortened, for the summary. CI shows the end of the
# output, so the reason for a red lane must be there, not only in the lane log.
why() {
  awk '
    /^TASK \[/ { task = $0; next }
    /^(fatal|failed): \[/ { if (shown >= 3) exit; pending = 1; left = 8; buf = task "\n" $0; next }
    pending && /^\.\.\.ignoring/ { pending = 0; next }
    pending && left > 0 { buf = buf "\n" $0; left--; if (left == 0) { print buf; shown++; pending = 0 } next }
    /^ERROR: / && !errs { errs = $0 }
    END { if (pending) print buf; if (errs) print errs }
  ' "$1" | cut -c1-300 | sed 's/^/    | /'
}

prepare_ansible_test_home || { echo "could not create ansible-test's SSH key in $HOME/.ansible/test"; exit 1; }
echo "--- integration phase 1: the test images"
phase1=$(date +%s)
DEVOPS_DOCKER_SCRATCH="/tmp/devops-docker-$hash" scripts/test-images.sh >"$logs/setup.log" 2>&1 \
  || { echo "building the test images failed:"; tail -40 "$logs/setup.log"
         echo "phase 1 test images      FAILED" >>"$summary"; exit 1; }
echo "phase 1 test images      built, $(( $(date +%s) - phase1 ))s" >>"$summary"

echo "--- integration phase 2: three lanes side by side ($(date -u +%T))"
start=$(date +%s)
pids=()
for lane in 1 2 3; do
  targets=LANE$lane
  # shellcheck disable=SC2086
  ansible_test "/tmp/devops-docker-$hash-lane$lane" ${!targets} >"$logs/lane$lane.log" 2>&1 &
  pids+=($!)
done
rcs=()
for pid in "${pids[@]}"; do
  wait "$pid"; rcs+=($?)
done
secs=$(( $(date +%s) - start ))
for lane in 1 2 3; do
  echo "=== lane $lane ($logs/lane$lane.log) ==="
  cat "$logs/lane$lane.log"
done
echo "--- the three lanes took ${secs}s: rc ${rcs[*]}"
for lane in 1 2 3; do
  targets=LANE$lane
  # shellcheck disable=SC2086
  report "phase 2 lane $lane" "$logs/lane$lane.log" "${rcs[$((lane - 1))]}" $secs ${!targets} || status=1
done

echo "--- integration phase 3: one at a time ($(date -u +%T))"
start=$(date +%s)
# shellcheck disable=SC2086
ansible_test "/tmp/devops-docker-$hash" $SOLO 2>&1 | tee "$logs/solo.log"
rc3=${PIPESTATUS[0]}
# shellcheck disable=SC2086
report "phase 3 one at a time" "$logs/solo.log" $rc3 $(( $(date +%s) - start )) $SOLO || status=1
for lane in 1 2 3; do
  # The failed targets are listed one per line after ansible-test's FATAL line.
  sed -n '/^FATAL: /,/^[^a-z_]/p' "$logs/lane$lane.log" | sed "s/^/lane $lane: /" || true
done
echo "=== integration summary ($summary) ==="
cat "$summary"
exit $status
