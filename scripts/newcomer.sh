#!/usr/bin/env bash
# A newcomer's role tested with molecule, the way docs/molecule.md tells them:
# the collection installed from its built tarball into an empty collections
# path (not this checkout), a role of their own written in a scratch folder,
# a molecule scenario whose create.yml/destroy.yml only import the shipped
# devops.docker.molecule_create / molecule_destroy playbooks, then
# `molecule test`. No molecule-plugins, no community.docker, nothing pulled:
# the platforms use the local image devops-test/python (scripts/test-images.sh
# builds it), one as it is and one built from a Dockerfile.j2.
#   scripts/newcomer.sh            (make newcomer; a step of make test)
#   NEWCOMER_KEEP=1 scripts/newcomer.sh   keeps the scratch folder to look at
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
image=${NEWCOMER_IMAGE:-devops-test/python:latest}
work=$(mktemp -d /tmp/dt-newcomer-XXXXXX)
start=$(date +%s)
cleanup() {
  docker rm -f -v dt-newcomer-plain dt-newcomer-built >/dev/null 2>&1 || true
  docker network rm dt-newcomer-net >/dev/null 2>&1 || true
  docker image rm molecule_local/dt-newcomer-built:latest >/dev/null 2>&1 || true
  if [ -n "${NEWCOMER_KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if ! docker image inspect "$image" >/dev/null 2>&1; then
  echo "newcomer: building the test images first (scripts/test-images.sh; nothing is pulled)"
  "$repo/scripts/test-images.sh" >"$work/test-images.log" 2>&1 || { tail -30 "$work/test-images.log" >&2; exit 1; }
  docker image inspect "$image" >/dev/null 2>&1 || { echo "newcomer: no image $image to test with." >&2; exit 1; }
fi

# 1. The collection as a user gets it: built, then installed from the tarball.
"$repo/.venv/bin/ansible-galaxy" collection build --force --output-path "$work" "$repo" >/dev/null
ANSIBLE_COLLECTIONS_PATH="$work/collections" "$repo/.venv/bin/ansible-galaxy" collection install --force -p "$work/collections" "$work"/devops-docker-*.tar.gz >/dev/null
echo "newcomer: installed $(basename "$work"/devops-docker-*.tar.gz) into an empty collections path"

# 2. A role of their own: a message of the day, with a handler.
role="$work/roles/motd"
mkdir -p "$role"/{tasks,handlers,defaults,meta,templates} "$role/molecule/default"
cat >"$role/defaults/main.yml" <<'EOF'
---
motd_message: Welcome
motd_owner: root
EOF
cat >"$role/templates/motd.j2" <<'EOF'
{{ motd_message }} ({{ ansible_facts['hostname'] }})
EOF
cat >"$role/tasks/main.yml" <<'EOF'
---
- name: Write the message of the day
  ansible.builtin.template:
    src: motd.j2
    dest: /etc/motd
    owner: "{{ motd_owner }}"
    mode: "0644"
  notify: Record the change
EOF
cat >"$role/handlers/main.yml" <<'EOF'
---
- name: Record the change
  ansible.builtin.copy:
    content: "changed\n"
    dest: /etc/motd.changed
    mode: "0644"
EOF
cat >"$role/meta/main.yml" <<'EOF'
---
galaxy_info:
  role_name: motd
  namespace: newcomer
  author: a newcomer
  description: Writes /etc/motd
  license: MIT
  min_ansible_version: "2.17"
dependencies: []
EOF

# 3. The scenario, as docs/molecule.md shows it.
scenario="$role/molecule/default"
cat >"$scenario/molecule.yml" <<EOF
---
prerun: false
driver:
  name: default
  options:
    managed: true
platforms:
  - name: dt-newcomer-plain
    image: $image
    pull: never
    env:
      MOTD_ENV: test
    tmpfs:
      - /run:size=8m
    networks:
      - name: dt-newcomer-net
        aliases: [plain]
    published_ports:
      - 127.0.0.1:15792:8080
  - name: dt-newcomer-built
    image: $image
    dockerfile: Dockerfile.j2
    buildargs:
      NOTE: built for the newcomer
    networks:
      - name: dt-newcomer-net
provisioner:
  name: ansible
  env:
    ANSIBLE_PYTHON_INTERPRETER: auto_silent
    ANSIBLE_ROLES_PATH: \${MOLECULE_PROJECT_DIRECTORY}/..
scenario:
  test_sequence:
    - destroy
    - create
    - converge
    - idempotence
    - verify
    - destroy
EOF
cat >"$scenario/create.yml" <<'EOF'
---
- name: Create
  ansible.builtin.import_playbook: devops.docker.molecule_create
EOF
cat >"$scenario/destroy.yml" <<'EOF'
---
- name: Destroy
  ansible.builtin.import_playbook: devops.docker.molecule_destroy
EOF
cat >"$scenario/Dockerfile.j2" <<'EOF'
FROM {{ item.image }}
ARG NOTE=none
RUN echo "$NOTE" > /etc/newcomer-note
EOF
cat >"$scenario/converge.yml" <<'EOF'
---
- name: Converge
  hosts: all
  roles:
    - role: motd
      motd_message: Hello from molecule
EOF
cat >"$scenario/verify.yml" <<'EOF'
---
- name: Verify
  hosts: all
  gather_facts: false
  tasks:
    - name: Read the message of the day
      ansible.builtin.slurp:
        src: /etc/motd
      register: verify_motd

    - name: Read the build's note
      ansible.builtin.slurp:
        src: /etc/newcomer-note
      register: verify_note
      when: inventory_hostname == 'dt-newcomer-built'

    - name: The role wrote the message, through the devops.docker.docker connection
      ansible.builtin.assert:
        that:
          - ansible_connection == 'devops.docker.docker'
          - (verify_motd.content | b64decode).startswith('Hello from molecule (')
          - verify_note is skipped or (verify_note.content | b64decode | trim) == 'built for the newcomer'
EOF

# 4. molecule test, with only what a user has: the installed collection and
# the tools of the venv (not this checkout's scripts/ansible-env.sh).
cd "$role"
log="$work/molecule.log"
if ! env -u ANSIBLE_PYTHON_INTERPRETER -u ANSIBLE_ROLES_PATH -u ANSIBLE_CONFIG \
    PATH="$repo/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_NOCOLOR=1 \
    MOLECULE_NO_COLOR=1 NO_COLOR=1 HOME="$work/home" \
    molecule test >"$log" 2>&1; then
  echo "newcomer: molecule test failed; the end of its output ($log):" >&2
  grep -E 'fatal:|FAILED!|ERROR|CRITICAL' "$log" | tail -20 >&2 || true
  tail -40 "$log" >&2
  NEWCOMER_KEEP=1
  exit 1
fi
grep -q "idempotence\] Executed: Successful" "$log" || {
  echo "newcomer: molecule test passed without an idempotence step? ($log)" >&2
  tail -40 "$log" >&2
  NEWCOMER_KEEP=1
  exit 1
}
# The destroy step removed what create made.
left=$(docker ps -a --filter label=devops.docker.molecule.scenario=default --filter name=dt-newcomer -q; docker network ls -q --filter name=dt-newcomer-net)
if [ -n "$left" ]; then
  echo "newcomer: molecule destroy left containers or networks behind: $left" >&2
  exit 1
fi
echo "newcomer: a role in a scratch folder passed molecule test (create, converge, idempotence, verify, destroy)" \
  "with the shipped playbooks only, in $(( $(date +%s) - start ))s"
