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
  - devops.docker.swarm_object
options:
  template_driver:
    description:
      - The templating driver of the config (C(--template-driver)). With V(golang), the config's content is a Go
        template that Docker renders for each task (C({{.Service.Name}}), C({{.Node.Hostname}}),
        C({{env "VAR"}}) and so on).
      - A change of templating driver is a change of the config (a new one, or a new version).
    type: str
    choices: [golang]
seealso:
  - module: devops.docker.secret
"""

EXAMPLES = r"""
- name: The web server's configuration, rendered from a template of the playbook
  devops.docker.config:
    name: nginx-conf
    data: "{{ lookup('ansible.builtin.template', 'nginx.conf.j2') }}"
    labels:
      app: catalog
    rolling_versions: true
    versions_to_keep: 2
  register: nginx_conf

- name: The service mounts the current version; a new version is a rolling update
  devops.docker.service:
    name: web
    image: registry.example.com:5000/web:1.0
    configs:
      - config_name: "{{ nginx_conf.config_name }}"
        filename: /etc/nginx/nginx.conf
        mode: "0440"

- name: A config copied from a file on the managed host
  devops.docker.config:
    name: ca-bundle
    data_src: /etc/ssl/certs/ca-certificates.crt

- name: A config that Docker renders for each task (Go template)
  devops.docker.config:
    name: greeting
    data: "Hello from {{ '{{' }} .Task.Name {{ '}}' }} on {{ '{{' }} .Node.Hostname {{ '}}' }}"
    template_driver: golang

- name: Remove the config (fails while a service uses it)
  devops.docker.config:
    name: ca-bundle
    state: absent
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

from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import CONFIG, run_module


def main() -> None:
    run_module(CONFIG)


if __name__ == "__main__":
    main()
