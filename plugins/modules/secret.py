#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: secret
short_description: Create and remove Swarm secrets, like C(docker secret create/rm)
version_added: 1.1.0
description:
  - Makes sure a Swarm secret exists with the given content and labels, or does not exist. Runs against a swarm
    manager.
  - The content comes from O(data) (a string, or base64 with O(data_is_b64)) or from O(data_src), a file on the
    managed host. It never appears in the module's output, C(--diff) or RV(actions).
  - 'Idempotent by content. The daemon never returns a secret''s data, so the module stores a keyed fingerprint of
    it in the label C(devops.docker.fingerprint): an HMAC-SHA256 under a key that only the managed host holds
    (C(/var/lib/devops.docker/fingerprint.key) for root, created on first use with mode 0600), not a plain hash
    that anyone who can run C(docker secret inspect) could test guesses against offline.'
  - 'B(Several managers.) Each host has its own key, so a fingerprint written through one manager does not match
    when the next run goes through another manager: the secret then reads as changed and is replaced (or, with
    O(rolling_versions), a new version is made) once. To manage secrets through any manager, give every manager the
    same key: O(fingerprint_key_file) (or the environment variable E(DEVOPS_DOCKER_FINGERPRINT_KEY_FILE)) naming a
    file you copy to each of them. The trade-off: the key then sits on several hosts, and anyone who has it and can
    read the label can test guesses of the value offline; keep the file mode 0600, readable by root only.'
  - 'A secret without the fingerprint label (made by hand or by another tool) cannot be compared: it is kept as it
    is, with a warning, unless O(force=true).'
  - 'Docker cannot change a secret''s content, only its labels. A label change is made in place. A content change
    replaces the secret: it is removed and created again, which Docker refuses while a service uses it; the module
    then fails and says so. With O(rolling_versions=true) every content change makes a new secret
    C(NAME_v1), C(NAME_v2), ... instead, which a service update can switch to (C(docker service update
    --secret-rm/--secret-add)); old versions beyond O(versions_to_keep) are removed once no service uses them.'
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.swarm_object
options:
  fingerprint_key_file:
    description:
      - A file on the managed host holding the key of the content fingerprint, instead of the host's own key.
      - Give the same file to every manager through which the secret is managed; see the description for the
        trade-off. The file must exist (the module never creates it), with mode 0600 and at least 16 bytes,
        for example made with C(head -c 32 /dev/urandom).
      - The environment variable E(DEVOPS_DOCKER_FINGERPRINT_KEY_FILE) names the same for every module of the
        collection (with C(environment:) on the play).
    type: path
seealso:
  - module: devops.docker.config
"""

EXAMPLES = r"""
- name: A secret from a string (hidden from the output)
  devops.docker.secret:
    name: db-password
    data: "{{ vault_db_password }}"
    labels:
      app: catalog

- name: A secret from a file on the managed host, a new version on every change
  devops.docker.secret:
    name: nginx-conf
    data_src: /srv/catalog/nginx.conf
    rolling_versions: true
    versions_to_keep: 2
  register: conf

- name: The service uses the current version
  devops.docker.service:
    name: web
    image: registry.example.com:5000/web:1.0
    secrets:
      - secret_name: "{{ conf.secret_name }}"
        filename: /etc/nginx/nginx.conf

- name: A secret given as base64 (binary content)
  devops.docker.secret:
    name: keystore
    data: "{{ lookup('ansible.builtin.file', 'keystore.b64') }}"
    data_is_b64: true

- name: Remove the secret (fails while a service uses it)
  devops.docker.secret:
    name: db-password
    state: absent
"""

RETURN = r"""
secret_id:
  description: The ID of the secret (the current version with O(rolling_versions=true)); C(null) when absent or in check mode before creation.
  returned: always
  type: str
  sample: ktm0akrb7zo7jfmhwkuhm9b8c
secret_name:
  description: The name of the secret (C(NAME_vN) with O(rolling_versions=true)); C(null) when absent or in check mode before creation.
  returned: always
  type: str
  sample: db-password_v3
secret:
  description:
    - The secret as C(docker secret inspect) shows it, without its content (C(Spec.Data)); the fingerprint label is redacted.
  returned: always
  type: dict
removed:
  description: The secrets removed (or that would be removed in check mode).
  returned: always
  type: list
  elements: str
in_use:
  description: Old versions kept only because a service still uses them; a later run removes them.
  returned: always
  type: list
  elements: str
actions:
  description: The C(docker secret create) and C(rm) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - "docker secret create --label app=catalog db-password_v2 -"
    - "docker secret rm db-password_v1"
diff:
  description:
    - Per secret, its name, labels before and after; the content is always shown as C(********).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import SECRET, run_module


def main() -> None:
    run_module(SECRET)


if __name__ == "__main__":
    main()
