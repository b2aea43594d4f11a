#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: compose_pull
short_description: Pull the images of a Compose project's services, like C(docker compose pull)
version_added: 1.1.0
description:
  - Loads the Compose project as M(devops.docker.compose) does and pulls the image of every service (or of
    O(services)), through the M(devops.docker.image) module's pull. Services with C(pull_policy) C(never) or C(build)
    are skipped, as the Compose CLI does.
  - community.docker's C(docker_compose_v2_pull) resolves to this module.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.compose_project
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: partial
    details: With O(policy=always) the registry is asked every time; C(changed) only when an image changed.
options:
  env:
    description: Variables for interpolating the Compose file, as O(devops.docker.compose#module:env).
    type: dict
  services:
    description: Pull the images of these services only.
    type: list
    elements: str
  policy:
    description: V(always) pulls every image; V(missing) only those not on the daemon.
    type: str
    default: always
    choices: [always, missing]
  ignore_buildable:
    description: Skip the services that have a C(build) section.
    type: bool
    default: false
  include_deps:
    description: With O(services), pull the images of their dependencies too.
    type: bool
    default: false
  actions_format:
    description:
      - The shape of RV(actions). V(cli) (the default, as every module of this collection) - the C(docker image pull)
        commands. V(compose) - community.docker's C(docker_compose_v2_pull) shape, a list of C({what, id, status})
        (C(what) V(image), C(id) the image, C(status) V(Pulling)), as O(devops.docker.compose#module:actions_format).
    type: str
    choices: [cli, compose]
    default: cli
"""

EXAMPLES = r"""
- name: Pull the newest images of the project before a maintenance window
  devops.docker.compose_pull:
    project_src: /srv/shop
    policy: always
"""

RETURN = r"""
actions:
  description:
    - The equivalent C(docker image pull) commands, one per image that was (or would be) pulled.
    - With O(actions_format=compose), community.docker's list of C({what, id, status}) instead.
  returned: success
  type: list
  elements: raw
images:
  description: The images that were (or would be) pulled.
  returned: success
  type: list
  elements: str
  sample: [mariadb:11, shop/app:latest]
"""

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import PULL_ARGS, ComposePull
from ansible_collections.devops.docker.plugins.module_utils._entry import managed, run_module


def main() -> None:
    run_module(PULL_ARGS, managed(ComposePull))


if __name__ == "__main__":
    main()
