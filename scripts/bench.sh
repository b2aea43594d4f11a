#!/usr/bin/env bash
# make bench: how fast devops.docker converges containers, beside Ansible's own
# floor and the plain docker CLI.
#
#   (a) converge   a play that converges N containers (devops.docker.container in a loop)
#   (b) no-op      the same play again: nothing to change
#   (c) ping       the same loop with ansible.builtin.ping: Ansible's floor for N module calls
#   (d) cli        the plain docker CLI doing the work of (a): docker run -d, N times
#   and the ratio (b)/(c), target: within 1.3x.
#
# Each scenario is a function bench_<name>; BENCH_SCENARIOS lists the ones to run,
# in order (add one: write the function, append its name). Everything a scenario
# creates is named dt-bench-* and is removed at the end, even on failure.
#
# Run through `make bench` (which puts the collection on ANSIBLE_COLLECTIONS_PATH).
#   BENCH_COUNT=10        number of containers
#   BENCH_RUNS=3          runs of the repeatable scenarios (no-op, ping, empty); the median is shown
#   BENCH_IMAGE=devops-test/busybox:latest
#   BENCH_SCENARIOS="containers compose compose_cli"   scenario groups to run
#   BENCH_STRICT=1        exit non-zero when a target is missed
set -euo pipefail

BENCH_COUNT=${BENCH_COUNT:-10}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_IMAGE=${BENCH_IMAGE:-devops-test/busybox:latest}
BENCH_SCENARIOS=${BENCH_SCENARIOS:-containers compose compose_cli}
BENCH_STRICT=${BENCH_STRICT:-0}
BENCH_PREFIX=dt-bench

work=$(mktemp -d /tmp/dt-bench.XXXXXX)
missed=0
declare -A RESULT=()

# ---------------------------------------------------------------- helpers
log() { printf '%s\n' "$*" >&2; }

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# elapsed START -> seconds since START, 2 decimals
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }

# run_timed LABEL CMD... : run CMD quietly, print its wall time; show its output if it fails.
run_timed() {
  local label=$1 start out
  shift
  out="$work/$label.log"
  start=$(now)
  if ! "$@" >"$out" 2>&1; then
    log "--- $label failed:"
    tail -n 40 "$out" >&2
    return 1
  fi
  elapsed "$start"
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# repeat LABEL CMD... : run CMD BENCH_RUNS times, print the median wall time
repeat() {
  local label=$1 i times=()
  shift
  for ((i = 1; i <= BENCH_RUNS; i++)); do
    times+=("$(run_timed "$label-$i" "$@")")
  done
  median "${times[@]}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }

playbook() { ansible-playbook -i localhost, -c local "$@"; }

# remove_containers NAME_PREFIX : remove every container whose name starts with it
remove_containers() {
  local ids
  ids=$(docker ps -aq --filter "name=^$1" 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    docker rm -f -v $ids >/dev/null 2>&1 || true
  fi
}

cleanup() {
  remove_containers "$BENCH_PREFIX-"
  docker network rm "$BENCH_PREFIX-compose_default" "$BENCH_PREFIX-cc_default" "$BENCH_PREFIX-cc-cli_default" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

report() { printf '  %-44s %8s s\n' "$1" "$2"; }

# ---------------------------------------------------------------- plays
write_plays() {
  cat >"$work/containers.yml" <<EOF
---
- name: Converge $BENCH_COUNT containers
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Converge the containers
      devops.docker.container:
        name: "$BENCH_PREFIX-{{ item }}"
        image: "$BENCH_IMAGE"
        command: ["sleep", "3600"]
        state: started
        pull: never
      loop: "{{ range(1, $BENCH_COUNT + 1) | list }}"
EOF
  cat >"$work/ping.yml" <<EOF
---
- name: Ping $BENCH_COUNT times
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Ping in the same loop
      ansible.builtin.ping:
      loop: "{{ range(1, $BENCH_COUNT + 1) | list }}"
EOF
  cat >"$work/empty.yml" <<EOF
---
- name: Nothing
  hosts: localhost
  gather_facts: false
  tasks: []
EOF
}

# ---------------------------------------------------------------- scenarios
# Every bench_* function prints its own lines and may set missed=1.

bench_containers() {
  local converge noop ping empty cli r r_tasks
  log "containers: $BENCH_COUNT x $BENCH_IMAGE (sleep 3600), median of $BENCH_RUNS runs where repeated"
  remove_containers "$BENCH_PREFIX-"
  converge=$(run_timed converge playbook "$work/containers.yml")
  noop=$(repeat noop playbook "$work/containers.yml")
  if grep -q 'changed=[1-9]' "$work"/noop-*.log; then
    log "--- the no-op re-run reported a change:"
    grep -h 'changed=' "$work"/noop-*.log >&2
    missed=1
  fi
  ping=$(repeat ping playbook "$work/ping.yml")
  empty=$(repeat empty playbook "$work/empty.yml")
  remove_containers "$BENCH_PREFIX-"
  cli=$(run_timed cli bash -c '
    for i in $(seq 1 "$1"); do docker run -d --name "$2-cli-$i" "$3" sleep 3600 >/dev/null || exit 1; done
  ' _ "$BENCH_COUNT" "$BENCH_PREFIX" "$BENCH_IMAGE")
  remove_containers "$BENCH_PREFIX-"

  r=$(ratio "$noop" "$ping")
  r_tasks=$(ratio "$(awk -v a="$noop" -v b="$empty" 'BEGIN { print a - b }')" \
                  "$(awk -v a="$ping" -v b="$empty" 'BEGIN { print a - b }')")
  echo "== $BENCH_COUNT containers (wall time of the whole ansible-playbook run)"
  report "(a) converge with devops.docker.container" "$converge"
  report "(b) no-op re-run" "$noop"
  report "(c) same loop with ansible.builtin.ping" "$ping"
  report "(d) plain docker CLI (docker run -d x$BENCH_COUNT)" "$cli"
  report "    empty play (ansible-playbook start-up)" "$empty"
  printf '  %-44s %8sx   target: within 1.3x -> %s\n' "(b)/(c) no-op vs ping" "$r" \
    "$(awk -v r="$r" 'BEGIN { print (r <= 1.3) ? "met" : "MISSED" }')"
  printf '  %-44s %8sx   (start-up subtracted from both)\n' "    loop only: (b-empty)/(c-empty)" "$r_tasks"
  printf '  %-44s %8sx\n' "(a)/(d) converge vs docker CLI" "$(ratio "$converge" "$cli")"
  RESULT[containers_noop_ratio]=$r
  if awk -v r="$r" 'BEGIN { exit !(r > 1.3) }'; then
    missed=1
  fi
}

# A Compose project of BENCH_COUNT services (devops.docker.compose, issue 7):
# first converge and no-op re-run, beside the same containers through
# BENCH_COUNT devops.docker.container tasks and through the plain docker CLI
# (docker network create + docker run -d on it).
# Targets: first converge under 1.5x the CLI, no-op re-run under 1.5 s.
bench_compose() {
  local project="$BENCH_PREFIX-compose" up noop tasks cli i r
  log "compose: $BENCH_COUNT services x $BENCH_IMAGE (sleep 3600) in project $project"
  {
    echo "---"
    echo "- name: Converge a $BENCH_COUNT-service Compose project"
    echo "  hosts: localhost"
    echo "  gather_facts: false"
    echo "  tasks:"
    echo "    - name: Converge the project"
    echo "      devops.docker.compose:"
    echo "        project_name: $project"
    echo "        pull: never"
    echo "        definition:"
    echo "          services:"
    for ((i = 1; i <= BENCH_COUNT; i++)); do
      echo "            s$i: {image: \"$BENCH_IMAGE\", command: [sleep, \"3600\"]}"
    done
  } >"$work/compose.yml"
  remove_containers "$BENCH_PREFIX-"
  docker network rm "$project"_default >/dev/null 2>&1 || true
  up=$(run_timed compose-up playbook "$work/compose.yml")
  noop=$(repeat compose-noop playbook "$work/compose.yml")
  if grep -q 'changed=[1-9]' "$work"/compose-noop-*.log; then
    log "--- the compose no-op re-run reported a change:"
    grep -h 'changed=' "$work"/compose-noop-*.log >&2
    missed=1
  fi
  remove_containers "$BENCH_PREFIX-"
  docker network rm "$project"_default >/dev/null 2>&1 || true
  tasks=$(run_timed compose-tasks playbook "$work/containers.yml")
  remove_containers "$BENCH_PREFIX-"
  cli=$(run_timed compose-cli bash -c '
    docker network create "$2-cli" >/dev/null || exit 1
    for i in $(seq 1 "$1"); do docker run -d --name "$2-cli-$i" --network "$2-cli" "$3" sleep 3600 >/dev/null || exit 1; done
  ' _ "$BENCH_COUNT" "$BENCH_PREFIX" "$BENCH_IMAGE")
  remove_containers "$BENCH_PREFIX-"
  docker network rm "$BENCH_PREFIX-cli" >/dev/null 2>&1 || true

  r=$(ratio "$up" "$cli")
  echo "== Compose project of $BENCH_COUNT services (wall time of the whole run)"
  report "(e) first converge with devops.docker.compose" "$up"
  report "(f) no-op re-run" "$noop"
  report "(g) $BENCH_COUNT devops.docker.container tasks" "$tasks"
  report "(h) plain docker CLI (network create + run -d)" "$cli"
  printf '  %-44s %8sx   target: under 1.5x -> %s\n' "(e)/(h) first converge vs docker CLI" "$r" \
    "$(awk -v r="$r" 'BEGIN { print (r < 1.5) ? "met" : "MISSED" }')"
  printf '  %-44s %8s s   target: under 1.5 s -> %s\n' "(f) no-op re-run" "$noop" \
    "$(awk -v n="$noop" 'BEGIN { print (n < 1.5) ? "met" : "MISSED" }')"
  RESULT[compose_up_ratio]=$r
  if awk -v r="$r" -v n="$noop" 'BEGIN { exit !(r >= 1.5 || n >= 1.5) }'; then
    missed=1
  fi
}

# The same project up and down, with devops.docker.compose and with Debian's docker-compose 1.29
# (the runnable Compose reference here). Every service's PID 1 ignores SIGTERM (busybox's sleep does
# not, so a shell that traps it away waits for sleep) and is stopped with SIGTERM (stop_signal: the
# test image's own STOPSIGNAL is SIGKILL, which would make every stop instant): each container takes
# its whole stop_grace_period (5 s) to stop, so a down that stops containers one after the other
# costs N x 5 s, a parallel one about 5 s.  Up and down run BENCH_RUNS times on each side, in turns
# (ours, then docker-compose), and the medians are compared: the machine's load hits both sides alike.
# Targets: up and down each within 1.2x docker-compose; the no-op re-run within a one-task ping
# play + 0.15 s.
bench_compose_cli() {
  local project="$BENCH_PREFIX-cc" dir="$work/compose-cli" up down noop ping cup cdown i r_up r_down state
  local ups=() downs=() cups=() cdowns=()
  if ! command -v docker-compose >/dev/null 2>&1; then
    log "compose_cli: docker-compose is not installed (apt-get install docker-compose); skipped"
    return 0
  fi
  log "compose_cli: $BENCH_COUNT services x $BENCH_IMAGE (PID 1 ignores SIGTERM, stop_grace_period 5s), up/down beside docker-compose"
  mkdir -p "$dir"
  {
    echo "services:"
    for ((i = 1; i <= BENCH_COUNT; i++)); do
      echo "  s$i: {image: \"$BENCH_IMAGE\", command: [sh, -c, \"trap '' TERM; sleep 3600 & wait\"], stop_signal: SIGTERM, stop_grace_period: 5s}"
    done
  } >"$dir/compose.yml"
  for state in present absent; do
    printf '%s\n' "---" "- name: Compose project $state" "  hosts: localhost" "  gather_facts: false" "  tasks:" \
      "    - name: Project $state" "      devops.docker.compose:" "        project_src: \"$dir\"" \
      "        project_name: \"$project\"" "        state: $state" "        pull: never" >"$work/cc-$state.yml"
  done
  printf '%s\n' "---" "- name: One ping" "  hosts: localhost" "  gather_facts: false" "  tasks:" \
    "    - name: Ping once" "      ansible.builtin.ping:" >"$work/ping1.yml"
  remove_containers "$project"
  for ((i = 1; i <= BENCH_RUNS; i++)); do
    ups+=("$(run_timed "cc-up-$i" playbook "$work/cc-present.yml")")
    if ((i == 1)); then
      noop=$(repeat cc-noop playbook "$work/cc-present.yml")
      ping=$(repeat cc-ping playbook "$work/ping1.yml")
    fi
    downs+=("$(run_timed "cc-down-$i" playbook "$work/cc-absent.yml")")
    remove_containers "$project"
    cups+=("$(run_timed "cc-cli-up-$i" docker-compose -f "$dir/compose.yml" -p "$project-cli" up -d)")
    cdowns+=("$(run_timed "cc-cli-down-$i" docker-compose -f "$dir/compose.yml" -p "$project-cli" down)")
    remove_containers "$project"
  done
  if grep -q 'changed=[1-9]' "$work"/cc-noop-*.log; then
    log "--- the compose no-op re-run reported a change:"
    grep -h 'changed=' "$work"/cc-noop-*.log >&2
    missed=1
  fi
  up=$(median "${ups[@]}")
  down=$(median "${downs[@]}")
  cup=$(median "${cups[@]}")
  cdown=$(median "${cdowns[@]}")
  log "compose_cli runs: up ${ups[*]} | docker-compose up ${cups[*]} | down ${downs[*]} | docker-compose down ${cdowns[*]}"
  r_up=$(ratio "$up" "$cup")
  r_down=$(ratio "$down" "$cdown")
  echo "== Compose project of $BENCH_COUNT SIGTERM-ignoring services, beside docker-compose $(docker-compose version --short 2>/dev/null) (medians of $BENCH_RUNS)"
  report "(i) up with devops.docker.compose" "$up"
  report "(j) up with docker-compose" "$cup"
  report "(k) down with devops.docker.compose" "$down"
  report "(l) down with docker-compose" "$cdown"
  report "(m) no-op re-run" "$noop"
  report "(n) one-task ping play" "$ping"
  printf '  %-44s %8sx   target: within 1.2x -> %s\n' "(i)/(j) up vs docker-compose" "$r_up" \
    "$(awk -v r="$r_up" 'BEGIN { print (r <= 1.2) ? "met" : "MISSED" }')"
  printf '  %-44s %8sx   target: within 1.2x -> %s\n' "(k)/(l) down vs docker-compose" "$r_down" \
    "$(awk -v r="$r_down" 'BEGIN { print (r <= 1.2) ? "met" : "MISSED" }')"
  printf '  %-44s %8s s   target: ping + 0.15 s -> %s\n' "(m) no-op re-run" "$noop" \
    "$(awk -v n="$noop" -v p="$ping" 'BEGIN { print (n <= p + 0.15) ? "met" : "MISSED" }')"
  if awk -v a="$r_up" -v b="$r_down" -v n="$noop" -v p="$ping" 'BEGIN { exit !(a > 1.2 || b > 1.2 || n > p + 0.15) }'; then
    missed=1
  fi
}

# ---------------------------------------------------------------- main
if ! docker image inspect "$BENCH_IMAGE" >/dev/null 2>&1; then
  log "bench: building the test images first (scripts/test-images.sh)"
  "$(dirname "$0")/test-images.sh" >"$work/test-images.log" 2>&1 || { tail -30 "$work/test-images.log" >&2; exit 2; }
fi
write_plays
for scenario in $BENCH_SCENARIOS; do
  if ! declare -F "bench_$scenario" >/dev/null; then
    log "bench: unknown scenario '$scenario' (have: $(declare -F | awk '$3 ~ /^bench_/ { sub("bench_", "", $3); printf "%s ", $3 }'))"
    exit 2
  fi
  "bench_$scenario"
done
if [ "$missed" = 1 ]; then
  echo "bench: a target was missed"
  [ "$BENCH_STRICT" = 1 ] && exit 1
fi
exit 0
