#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: config
short_description: Create and remove Swarm configs, like C(docker config create/rm)
version_added: 1.1.0
description:
  - Makes sure a Swarm config exists with the given content and labels, or does not exist. Runs against a swarm
    manager.
  - The content comes from O(data) (a string, or base64 with O(data_is_b64)) or from O(data_src), a file on the
    managed host. It never appears in the module's output, C(--diff) or RV(actions).
  - 'Idempotent by content. The daemon returns a config''s data, so the module compares it with the wanted data
    directly: any manager gives the same answer.'
  - 'Docker cannot change a config''s content, only its labels. A label change is made in place. A content change
    replaces the config: it is removed and created again, which Docker refuses while a service uses it; the module
    then fails and says so. With O(rolling_versions=true) every content change makes a new config
    C(NAME_v1), C(NAME_v2), ... instead, which a service update can switch to (C(docker service update
    --config-rm/--config-add)); old versions beyond O(versions_to_keep) are removed once no service uses them.'
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  name:
    description:
      - The config's name. With O(rolling_versions=true), the base of the versioned names C(NAME_vN).
    type: str
    required: true
  state:
    description:
      - V(present) creates the config or replaces it when its content changed.
      - V(absent) removes it (with O(rolling_versions=true), every version). It fails, naming them, while services
        use it.
    type: str
    choices: [present, absent]
    default: present
  data:
    description:
      - The content, as a string. With O(data_is_b64=true), the base64 encoding of the content (for binary data).
      - One of O(data) and O(data_src) is required with O(state=present).
    type: str
  data_is_b64:
    description: Whether O(data) is base64 encoded, and is decoded before it is stored.
    type: bool
    default: false
  data_src:
    description:
      - A file on the managed host whose content becomes the config's content.
      - Mutually exclusive with O(data).
    type: path
  labels:
    description:
      - 'Labels of the config. They are the whole set: a label removed from the task is removed from the config.'
      - The labels C(devops.docker.fingerprint) and C(devops.docker.version) are the module's own and are not
        compared or shown.
    type: dict
  force:
    description:
      - Replace the config (or make a new version) on every run, even when the content did not change.
        Use it once to take over a config made outside this collection.
    type: bool
    default: false
  rolling_versions:
    description:
      - Instead of replacing the config in place, make a new one named C(NAME_vN) on each content change (N one
        higher than the highest existing version), labelled C(devops.docker.version=N).
      - RV(config_name) is the current version's name, to give to the service.
    type: bool
    default: false
  versions_to_keep:
    description:
      - With O(rolling_versions=true), how many versions to keep, the current one included; older ones are removed
        (V(0) and V(1) keep only the current one, V(-1) keeps all).
      - A version still used by a service is never removed; it is listed in RV(in_use) and removed by a later run,
        once the service has moved to a newer version. Such a run reports a change.
    type: int
    default: 5
  template_driver:
    description:
      - The templating driver of the config (C(--template-driver)). With V(golang), the config's content is a Go
        template that Docker renders for each task (C({{.Service.Name}}), C({{.Node.Hostname}}),
        C({{env "VAR"}}) and so on).
      - A change of templating driver is a change of the config (a new one, or a new version).
    type: str
    choices: [golang]
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions), with the content given as C(-)
    (standard input) or the O(data_src) path.
  - Labels can only be changed through the Engine API (the C(docker) CLI has no C(config update)); the action shows
    the API call.
seealso:
  - module: devops.docker.secret
  - module: devops.docker.service
  - module: devops.docker.stack
"""

EXAMPLES = r"""
- name: A config from a string (hidden from the output)
  devops.docker.config:
    name: db-password
    data: "{{ vault_db_password }}"
    labels:
      app: catalog

- name: A config from a file on the managed host, a new version on every change
  devops.docker.config:
    name: nginx-conf
    data_src: /srv/catalog/nginx.conf
    rolling_versions: true
    versions_to_keep: 2
  register: conf

- name: The service uses the current version
  devops.docker.service:
    name: web
    image: registry.example.com:5000/web:1.0
    configs:
      - config_name: "{{ conf.config_name }}"
        filename: /etc/nginx/nginx.conf

- name: A config given as base64 (binary content)
  devops.docker.config:
    name: keystore
    data: "{{ lookup('ansible.builtin.file', 'keystore.b64') }}"
    data_is_b64: true

- name: Remove the config (fails while a service uses it)
  devops.docker.config:
    name: db-password
    state: absent

- name: A templated config rendered per task
  devops.docker.config:
    name: greeting
    data: "Hello from {{ '{{' }} .Task.Name {{ '}}' }}"
    template_driver: golang
"""

RETURN = r"""
config_id:
  description: The ID of the config (the current version with O(rolling_versions=true)); C(null) when absent or in check mode before creation.
  returned: always
  type: str
  sample: ktm0akrb7zo7jfmhwkuhm9b8c
config_name:
  description: The name of the config (C(NAME_vN) with O(rolling_versions=true)); C(null) when absent or in check mode before creation.
  returned: always
  type: str
  sample: db-password_v3
config:
  description:
    - The config as C(docker config inspect) shows it, without its content (C(Spec.Data)); the fingerprint label is redacted.
  returned: always
  type: dict
removed:
  description: The configs removed (or that would be removed in check mode).
  returned: always
  type: list
  elements: str
in_use:
  description: Old versions kept only because a service still uses them; a later run removes them.
  returned: always
  type: list
  elements: str
actions:
  description: The C(docker config create) and C(rm) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - "docker config create --label app=catalog db-password_v2 -"
    - "docker config rm db-password_v1"
diff:
  description:
    - Per config, its name, labels and templating driver before and after; the content is always shown as C(********).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import (
    CONFIG, CONFIG_ARGS,
    COMMON_ARGS,
    MODULE_KWARGS,
    SecretConfigManager,
)


def main() -> None:
    module = DockerModule(
        argument_spec={**COMMON_ARGS, **CONFIG_ARGS},
        supports_check_mode=True,
        **MODULE_KWARGS,
    )
    module.converge(lambda: SecretConfigManager(module, CONFIG).run())


if __name__ == "__main__":
    main()
