#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: login
short_description: Log in to a registry or out of it, like C(docker login) and C(docker logout)
version_added: 0.1.0
description:
  - With O(state=present), checks the credentials against the registry (the Docker daemon does the check,
    C(POST /auth)) and stores them where the Docker CLI keeps them, so that C(docker push), C(docker pull)
    and the SDK find them.
  - The credentials go into O(config_path) as C(auths.<registry>.auth) (base64 of C(user:password)), or into
    the credential helper the config names (C(credsStore), or a C(credHelpers) entry for the registry)
    through C(docker-credential-<helper> store).
  - When the stored credentials already equal the wanted ones, nothing happens and the registry is not
    contacted (unless O(reauthorize=true)).
  - With O(state=absent), removes the stored credentials of the registry (C(docker logout)); the registry is not contacted.
  - The password is never shown, neither in the result nor in the diff or the actions (which use C(--password-stdin)).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  registry_url:
    description:
      - The registry, as the CLI takes it, for example V(localhost:5001), V(registry.example.com) or V(https://registry.example.com).
      - The credentials are stored under C(host[:port]), the way the CLI does; every spelling of Docker Hub
        (V(docker.io), V(index.docker.io)...) is stored under V(https://index.docker.io/v1/).
    type: str
    default: https://index.docker.io/v1/
    aliases: [registry, url]
  username:
    description:
      - The user name. Required with O(state=present).
    type: str
  password:
    description:
      - The password or access token. Required with O(state=present). Never logged.
    type: str
    aliases: [secret]
  state:
    description:
      - V(present) logs in (stores the credentials), V(absent) logs out (removes them).
    type: str
    choices: [present, absent]
    default: present
  config_path:
    description:
      - The Docker CLI's configuration file. Created with mode C(0600) (and its directory with C(0700)) when missing;
        its other keys are kept.
    type: path
    default: ~/.docker/config.json
    aliases: [dockercfg_path]
  reauthorize:
    description:
      - Check the credentials against the registry even when the stored ones already match.
      - Reports a change only if what is stored changes.
    type: bool
    default: false
    aliases: [reauth]
notes:
  - In check mode the credentials are still checked against the registry (it changes nothing), so a wrong
    password fails in check mode too; nothing is written.
  - The daemon reaches plain-HTTP registries only on loopback addresses or when they are listed in its
    C(insecure-registries).
"""

EXAMPLES = r"""
- name: Log in to the local registry (docker login localhost:5001)
  devops.docker.login:
    registry_url: localhost:5001
    username: ci
    password: "{{ registry_password }}"

- name: Log in to a cloud registry with a token, in another user's Docker config
  devops.docker.login:
    registry_url: https://registry.example.com
    username: deploy
    password: "{{ registry_token }}"
    config_path: /home/deploy/.docker/config.json

- name: Log out of it (docker logout registry.example.com)
  devops.docker.login:
    registry_url: registry.example.com
    state: absent
    config_path: /home/deploy/.docker/config.json
"""

RETURN = r"""
registry:
  description: The key the credentials are stored under (C(host[:port]), or C(https://index.docker.io/v1/) for Docker Hub).
  returned: success
  type: str
  sample: localhost:5001
username:
  description: The user now logged in; V(null) after a logout.
  returned: success
  type: str
  sample: ci
config_path:
  description: The configuration file used, with C(~) and symbolic links resolved.
  returned: success
  type: str
  sample: /root/.docker/config.json
login_result:
  description: Who is logged in where, C(serveraddress) and C(username) (community.docker's name).
  returned: when O(state=present)
  type: dict
  sample: {"serveraddress": "localhost:5001", "username": "ci"}
credential_helper:
  description: The credential helper holding the credentials (C(credsStore) or C(credHelpers)), V(null) when they are in the file.
  returned: success
  type: str
  sample: null
actions:
  description: The equivalent Docker CLI commands (the password is passed on stdin, never shown).
  returned: always
  type: list
  elements: str
  sample: ["docker login --username ci --password-stdin localhost:5001"]
diff:
  description: Whether the registry had credentials stored, and for which user, before and after. Never a password.
  returned: always
  type: dict
  sample: {"before": {"logged_in": false, "username": null}, "after": {"logged_in": true, "username": "ci"}}
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._login import DOCKER_HUB, LoginManager


def main() -> None:
    module = DockerModule(
        argument_spec={
            "registry_url": {"type": "str", "default": DOCKER_HUB, "aliases": ["registry", "url"]},
            "username": {"type": "str"},
            "password": {"type": "str", "no_log": True, "aliases": ["secret"]},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "config_path": {"type": "path", "default": "~/.docker/config.json", "aliases": ["dockercfg_path"]},
            "reauthorize": {"type": "bool", "default": False, "aliases": ["reauth"]},
        },
        supports_check_mode=True,
        required_if=[("state", "present", ("username", "password"))],
    )
    with module.errors(changed=False):
        manager = LoginManager(module.api, module.params, module.check_mode, warn=module.warn,
                               runner=module.module.run_command)
        result = manager.run()
        if module.params["state"] == "present":
            # community.docker's name for who logged in where.
            result["login_result"] = {"serveraddress": result.get("registry"), "username": result.get("username")}
    module.exit(**result)


if __name__ == "__main__":
    main()
