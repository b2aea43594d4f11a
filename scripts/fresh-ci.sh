#!/usr/bin/env bash
# scripts/fresh-ci.sh [--stop-engine] [--wipe-images] [--no-cache]
#
# Runs `.ci/run` the way CI and a first-time user see it: a fresh clone of the
# committed HEAD, a fresh HOME (no ~/.ansible, ~/.cache, ~/.docker), no
# standard input, a clean environment, and none of the scratch folders, logs
# or SSH keys an earlier run left under /tmp. Use it before saying a change to
# the test machinery works.
#
#   --stop-engine   stop the Docker Engine first: `make test` must start it
#   --wipe-images   remove every image first (destructive: only on a machine
#                   that is yours), so the run builds all it needs
#   --no-cache      move the base image's debootstrap cache aside for the run
#                   (put back afterwards), as on a machine that never built it
#
# Prints the run's time; the exit status is .ci/run's.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
stop_engine=false wipe_images=false no_cache=false
for arg in "$@"; do
  case $arg in
    --stop-engine) stop_engine=true ;;
    --wipe-images) wipe_images=true ;;
    --no-cache) no_cache=true ;;
    *) echo "usage: $0 [--stop-engine] [--wipe-images] [--no-cache]" >&2; exit 2 ;;
  esac
done
say() { printf 'fresh-ci: %s\n' "$*"; }
sock=/var/run/docker.sock
engine_answers() { curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }

work=$(mktemp -d /tmp/dd-fresh-XXXXXX)
home=$(mktemp -d /tmp/dd-fresh-home-XXXXXX)
git clone -q "$repo" "$work/devops.docker"
say "clone of $(git -C "$repo" rev-parse --short HEAD) in $work/devops.docker, HOME=$home"

# State earlier runs leave under /tmp: the logs of `make test`. (Scratch copies
# are named after the checkout's path, and this clone's path is new.)
rm -rf /tmp/devops-docker-test-logs

if $wipe_images && engine_answers; then
  say "removing every image"
  docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images -aq | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
fi
if $stop_engine && engine_answers; then
  say "stopping the Docker Engine"
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ]; then kill "$pid"; fi
  for _ in $(seq 1 30); do engine_answers || break; sleep 1; done
fi
cache=/var/cache/devops-docker
if $no_cache && [ -d "$cache" ]; then
  say "moving $cache aside"
  mv "$cache" "$cache.fresh-ci-aside"
  trap 'rm -rf "$cache"; mv "$cache.fresh-ci-aside" "$cache"' EXIT
fi

start=$(date +%s)
(cd "$work/devops.docker" && env -i PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  HOME="$home" LANG=C.UTF-8 CI=true bash .ci/run </dev/null) 2>&1 | tee "$work/ci.log"
rc=${PIPESTATUS[0]}
say "exit status $rc after $(( $(date +%s) - start ))s; log: $work/ci.log"
exit "$rc"
