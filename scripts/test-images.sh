#!/usr/bin/env bash
# Build the test images (devops-test/busybox, registry, debian:bookworm-slim,
# python) with the integration targets' own setup roles, as they do when a
# target needs them; a second run builds nothing. Used by scripts/integration.sh
# before its lanes start, and by `make bench`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
play=$(mktemp /tmp/dt-test-images-XXXXXX.yml)
trap 'rm -f "$play"' EXIT
cat >"$play" <<'PLAY'
- name: Build the test images
  hosts: localhost
  gather_facts: false
  roles: [setup_images, setup_python_image]
PLAY
exec "$repo/scripts/ansible-env.sh" bash -c \
  'ANSIBLE_ROLES_PATH="$ANSIBLE_COLLECTIONS_PATH/ansible_collections/devops/docker/tests/integration/targets" \
   exec ansible-playbook -i localhost, -c local "$0"' "$play"
