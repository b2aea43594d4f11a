#!/usr/bin/env bash
# Remove what the tests made: every container, network, volume and image whose
# name starts with a test prefix. Never touches what a user or the demo owns.
# With DT_TEST_SINCE (an RFC 3339 UTC time, set by `make test` at its start),
# also the dangling anonymous volumes (64 hex digits, no container) created
# since then: the ones test containers left behind when removed without -v.
set -uo pipefail
SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 || exit 0
prefix_re='^/?(devops-test|dt-|ansible-test)'
docker ps -a --format '{{.Names}}' | grep -E "$prefix_re" | xargs -r docker rm -f -v >/dev/null 2>&1
docker network ls --format '{{.Name}}' | grep -E "$prefix_re" | xargs -r docker network rm >/dev/null 2>&1
docker volume ls --format '{{.Name}}' | grep -E "$prefix_re" | xargs -r docker volume rm -f >/dev/null 2>&1
# Images: devops-test/... and dt-... repositories, also behind a registry host (127.0.0.1:15390/dt-a:1).
docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '(^|/)(devops-test|dt-)' | xargs -r docker rmi -f >/dev/null 2>&1
if [ -n "${DT_TEST_SINCE:-}" ]; then
  for vol in $(docker volume ls -q --filter dangling=true | grep -E '^[0-9a-f]{64}$'); do
    created=$(docker volume inspect --format '{{.CreatedAt}}' "$vol" 2>/dev/null) || continue
    # CreatedAt looks like 2026-11-29T02:15:08Z (or with an offset): compare as UTC seconds.
    if [ "$(date -u -d "$created" +%s 2>/dev/null || echo 0)" -ge "$(date -u -d "$DT_TEST_SINCE" +%s)" ]; then
      docker volume rm "$vol" >/dev/null 2>&1
    fi
  done
fi
exit 0
