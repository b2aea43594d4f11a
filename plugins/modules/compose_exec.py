#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: compose_exec
short_description: Run a command in a service's container of a Compose project, like C(docker compose exec)
version_added: 1.1.0
description:
  - Loads the Compose project as M(devops.docker.compose) does, finds container O(index) of O(service) by the
    labels Docker Compose writes, and runs the command in it with C(docker exec).
  - community.docker's C(docker_compose_v2_exec) resolves to this module.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
  - devops.docker.exec_command
  - devops.docker.exec_command.EXEC
  - devops.docker.compose_project
attributes:
  check_mode:
    support: partial
    details: In check mode the command does not run; the module checks the container and returns C(skipped=true).
  diff_mode:
    support: none
    details: A command has no before and after.
  idempotent:
    support: none
    details: The command runs on every call.
options:
  project_env:
    description: Variables for interpolating the Compose file (the O(devops.docker.compose#module:env) option of the compose module).
    type: dict
  service:
    description: The service whose container runs the command.
    type: str
    required: true
  index:
    description: The replica number of the container (C(docker compose exec --index)).
    type: int
    default: 1
"""

EXAMPLES = r"""
- name: Run a database shell command in the db service of the project
  devops.docker.compose_exec:
    project_src: /srv/shop
    service: db
    command: mysql -e 'SHOW DATABASES'
  register: databases
"""

RETURN = r"""
actions:
  description:
    - The equivalent C(docker exec) command, in the container of O(service) and O(index).
      Env values are left out (C(--env KEY) only).
  returned: success
  type: list
  elements: str
  sample: ["docker exec shop-db-1 mysql -e 'SHOW DATABASES'"]
container:
  description: The ID of the container the command ran in.
  returned: success
  type: str
rc:
  description: The command's exit code.
  returned: when the command ran and O(detach=false)
  type: int
stderr:
  description: The command's standard error.
  returned: when the command ran and O(detach=false)
  type: str
stdout:
  description: The command's standard output.
  returned: when the command ran and O(detach=false)
  type: str
  sample: "Database\ninformation_schema\nshop\n"
stdout_lines:
  description: RV(stdout) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
stderr_lines:
  description: RV(stderr) split into lines.
  returned: when the command ran and O(detach=false)
  type: list
  elements: str
"""

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import EXEC_ARGS, ComposeExec
from ansible_collections.devops.docker.plugins.module_utils._entry import managed, run_module


def main() -> None:
    run_module(EXEC_ARGS, managed(ComposeExec), mutually_exclusive=[("command", "argv")])


if __name__ == "__main__":
    main()
