#!/usr/bin/env bash
# Run a command with this checkout visible as the collection devops.docker:
# a scratch folder holds ansible_collections/devops/docker -> this checkout.
#   scripts/ansible-env.sh ansible-playbook playbooks/demo.yml
#   scripts/ansible-env.sh --cd ansible-test sanity   (runs inside the collection path)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
scratch=${DEVOPS_DOCKER_SCRATCH:-/tmp/devops-docker-$(printf '%s' "$repo" | md5sum | cut -c1-10)}
coll="$scratch/ansible_collections/devops/docker"
# ansible-test wants its working directory really inside ansible_collections/
# (and walks real files only), so the collection folder is a copy of the
# checkout, refreshed on every call (a few milliseconds).
[ -L "$coll" ] && rm -f "$coll"
mkdir -p "$coll"
rsync -a --delete --exclude /.venv --exclude /.git --exclude /tests/output \
  --exclude __pycache__ --exclude .pytest_cache --exclude '/*.tar.gz' "$repo/" "$coll/"
export PATH="$repo/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$scratch"
export ANSIBLE_ROLES_PATH="$repo/roles"
export ANSIBLE_NOCOLOR=1
export ANSIBLE_FORCE_COLOR=0
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$repo/.venv/bin/python}"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_DEPRECATION_WARNINGS=false
if [ "${1:-}" = "--cd" ]; then
  shift
  cd "$coll"
  export PWD="$coll"
fi
exec "$@"
