#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: stack_task_info
short_description: List the tasks of a stack, like C(docker stack ps)
version_added: 1.1.0
description:
  - Lists the tasks of every service of a stack (running, and the older ones the swarm keeps), with the node each runs
    on and its state and error.
  - Runs against a swarm manager. Only reads.
  - The counterpart of community.docker's C(docker_stack_task_info), with the same keys in RV(results).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description: The stack's name.
    type: str
    required: true
seealso:
  - module: devops.docker.stack
  - module: devops.docker.stack_info
"""

EXAMPLES = r"""
- name: The tasks of the catalog stack
  devops.docker.stack_task_info:
    name: catalog
  register: catalog_tasks

- name: The tasks that failed
  ansible.builtin.debug:
    msg: "{{ catalog_tasks.results | selectattr('Error') | list }}"
"""

RETURN = r"""
results:
  description: One entry per task, by service and slot. Empty when the stack does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    ID:
      description: The task's short ID.
      type: str
    Name:
      description: C(SERVICE.SLOT) (C(SERVICE.NODEID) for a global service).
      type: str
    Image:
      description: The image, without the digest the swarm pinned.
      type: str
    Node:
      description: The hostname of the node the task runs on.
      type: str
    DesiredState:
      description: C(Running), C(Shutdown)...
      type: str
    CurrentState:
      description: C(Running), C(Failed), C(Rejected)...
      type: str
    Error:
      description: The task's error, empty when none.
      type: str
    Ports:
      description: The task's published ports (host mode).
      type: str
    ServiceName:
      description: The full service name (not in the CLI's output).
      type: str
    TaskID:
      description: The full task ID (not in the CLI's output).
      type: str
    NodeID:
      description: The full node ID (not in the CLI's output).
      type: str
actions:
  description: The equivalent C(docker) command.
  returned: always
  type: list
  elements: str
  sample: [docker stack ps --no-trunc --format json catalog]
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack_info import stack_task_info


def main() -> None:
    module = DockerModule(argument_spec={"name": {"type": "str", "required": True}}, supports_check_mode=True)
    module.converge(lambda: stack_task_info(module), "")


if __name__ == "__main__":
    main()
