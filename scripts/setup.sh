#!/usr/bin/env bash
# Set-up shared by `make demo` and `make test`: a virtual environment with the
# requirements, and a Docker Engine that answers. Idempotent and quiet when
# everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=${PYTHON:-python3}
SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
say() { printf 'setup: %s\n' "$*"; }

# 0. Host tools: rsync and curl for the scripts, and the packages the tests and
#    the demo build their images from (busybox, docker-registry, debootstrap).
missing=()
for pkg in rsync curl busybox-static docker-registry debootstrap apache2-utils iproute2; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 1. The virtual environment, re-installed only when a requirements file changed.
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.requirements-stamp"
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ requirements-test.txt -nt "$stamp" ]; then
  say "installing Python requirements"
  "$VENV/bin/pip" install -q -U pip
  "$VENV/bin/pip" install -q -r requirements-test.txt
  touch "$stamp"
fi

# 2. A Docker Engine that answers.
engine_answers() { curl -sf --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
if ! engine_answers; then
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker.io >/dev/null
  fi
  if [ -f playbooks/engine.yml ] && [ -z "${SETUP_NO_ROLE:-}" ]; then
    # The engine role does the real work (systemd or a supervised dockerd).
    say "starting the Docker Engine with the devops.docker.engine role"
    scripts/ansible-env.sh ansible-playbook -i localhost, -c local playbooks/engine.yml \
      -e engine_install=false -e engine_socket="$SOCK" >/tmp/devops-docker-engine.log 2>&1 || {
        cat /tmp/devops-docker-engine.log
        exit 1
      }
  else
    say "starting dockerd in the background (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do engine_answers && break; sleep 1; done
  engine_answers || { say "the engine did not answer on $SOCK"; exit 1; }
fi
