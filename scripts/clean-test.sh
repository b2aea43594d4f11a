#!/usr/bin/env bash
# Remove what the tests made: every container, network, volume and image whose
# name starts with a test prefix. Never touches what a user or the demo owns.
set -uo pipefail
SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 || exit 0
prefix_re='^/?(devops-test|dt-|ansible-test)'
docker ps -a --format '{{.Names}}' | grep -E "$prefix_re" | xargs -r docker rm -f >/dev/null 2>&1
docker network ls --format '{{.Name}}' | grep -E "$prefix_re" | xargs -r docker network rm >/dev/null 2>&1
docker volume ls --format '{{.Name}}' | grep -E "$prefix_re" | xargs -r docker volume rm -f >/dev/null 2>&1
docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E '(^|/)devops-test' | xargs -r docker rmi -f >/dev/null 2>&1
exit 0
