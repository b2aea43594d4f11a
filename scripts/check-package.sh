#!/usr/bin/env bash
# Packaging check (make test): build the collection tarball, make sure it holds
# no caches, virtual environments or test output, install it into a clean
# collections path and run a playbook against the installed copy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
work=$(mktemp -d /tmp/dt-package-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$repo"
.venv/bin/ansible-galaxy collection build --force --output-path "$work" . >/dev/null
tarball=$(ls "$work"/devops-docker-*.tar.gz)
echo "built $(basename "$tarball") ($(du -h "$tarball" | cut -f1))"
bad=$(tar -tzf "$tarball" | grep -E '(^|/)(\.venv|\.venv-sanity|\.git|__pycache__|\.pytest_cache|tests/output|\.cache)(/|$)|\.pyc$|\.tar\.gz$' || true)
if [ -n "$bad" ]; then
  echo "the tarball holds files it must not:" >&2
  echo "$bad" | head -20 >&2
  exit 1
fi
listing=$(tar -tzf "$tarball" | sed 's|^\./||')
for must in MANIFEST.json README.md meta/runtime.yml plugins/modules/container.py roles/registry/tasks/main.yml playbooks/demo.yml; do
  grep -qx "$must" <<<"$listing" || { echo "missing from the tarball: $must" >&2; exit 1; }
done
.venv/bin/ansible-galaxy collection install --force -p "$work/collections" "$tarball" >/dev/null 2>&1
# A playbook against the installed copy only (not this checkout).
cat > "$work/smoke.yml" <<'PLAY'
- name: Smoke test of the installed collection
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Ask the daemon through the installed collection
      devops.docker.host_info:
      register: info
    - name: List the test images through the installed collection
      devops.docker.image_info:
        name: devops-test/busybox:latest
      register: images
    - name: Check what came back
      ansible.builtin.assert:
        that:
          - info.can_talk_to_docker
          - images.images | length == 1
PLAY
ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_PYTHON_INTERPRETER="$repo/.venv/bin/python" \
  .venv/bin/ansible-playbook -i localhost, -c local "$work/smoke.yml" >"$work/smoke.log" 2>&1 || { cat "$work/smoke.log"; exit 1; }
echo "installed tarball works: $(grep -c 'ok:' "$work/smoke.log") tasks ok"
