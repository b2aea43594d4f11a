#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: compose_run
short_description: Run a one-off container of a Compose service, like C(docker compose run)
version_added: 1.1.0
description:
  - Loads the Compose project as M(devops.docker.compose) does, starts the services O(service) depends on (unless
    O(no_deps)), then creates a one-off container from the service's own settings with O(command), runs it and
    (unless O(detach)) waits for it and returns its exit code and output. The container carries
    C(com.docker.compose.oneoff=True), so M(devops.docker.compose) never takes it for a replica.
  - The service's published ports are left out unless O(service_ports=true), as the Compose CLI does.
  - community.docker's C(docker_compose_v2_run) resolves to this module.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.exec_command
  - devops.docker.compose_project
attributes:
  check_mode:
    support: partial
    details: In check mode nothing is created and the command does not run; the RV(actions) show what would run.
  diff_mode:
    support: none
    details: A command has no before and after.
  idempotent:
    support: none
    details: A one-off container runs on every call.
options:
  project_env:
    description: Variables for interpolating the Compose file (the O(devops.docker.compose#module:env) option of the compose module).
    type: dict
  service:
    description: The service the one-off container is made from.
    type: str
    required: true
  entrypoint:
    description: Override the service's entrypoint.
    type: raw
  name:
    description: Name of the one-off container (default C(<project>-<service>-run-<random>)).
    type: str
  labels:
    description: Extra labels of the one-off container.
    type: dict
  env:
    description: Environment variables added to the service's.
    type: dict
  tty:
    description: Allocate a pseudo-TTY.
    type: bool
    default: false
  detach:
    description: Start the container and return without waiting for it (it is then not removed).
    type: bool
    default: false
  no_deps:
    description: Do not start the services O(service) depends on.
    type: bool
    default: false
  service_ports:
    description: Publish the service's ports too (C(--service-ports)).
    type: bool
    default: false
  rm:
    description: Remove the container once the command exited (C(--rm)).
    type: bool
    default: true
  build:
    description: As O(devops.docker.compose#module:build).
    type: str
    default: auto
    choices: [auto, always, never]
  pull:
    description: As O(devops.docker.compose#module:pull).
    type: str
    default: missing
    choices: [missing, always, never]
  strip_empty_ends:
    description: Kept for community.docker compatibility; the output is returned as the container wrote it.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Run the database migrations once, in a one-off container of the app service
  devops.docker.compose_run:
    project_src: /srv/shop
    service: app
    command: ["python", "manage.py", "migrate"]
  register: migrate
"""

RETURN = r"""
actions:
  description:
    - The equivalent C(docker) commands, the services O(service) depends on first (unless O(no_deps)),
      then the one-off container (and its removal with O(rm)).
  returned: success
  type: list
  elements: str
container:
  description: The name of the one-off container.
  returned: success
  type: str
  sample: shop-app-run-4b1f9c2e7a10
stdout:
  description: What the container wrote.
  returned: when O(detach=false)
  type: str
rc:
  description: The exit code of the command.
  returned: when O(detach=false)
  type: int
  sample: 0
"""

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import RUN_ARGS, ComposeRun
from ansible_collections.devops.docker.plugins.module_utils._entry import managed, run_module


def main() -> None:
    run_module(RUN_ARGS, managed(ComposeRun), mutually_exclusive=[("command", "argv")])


if __name__ == "__main__":
    main()
