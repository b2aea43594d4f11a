#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: stack_info
short_description: List the stacks of a swarm, like C(docker stack ls)
version_added: 1.1.0
description:
  - Lists the stacks deployed on the swarm (by M(devops.docker.stack) or C(docker stack deploy)) with their number of
    services, their secrets and their configs. A stack is what carries the label C(com.docker.stack.namespace).
  - Runs against a swarm manager. Only reads.
  - The counterpart of community.docker's C(docker_stack_info), with the same keys in RV(results).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
seealso:
  - module: devops.docker.stack
  - module: devops.docker.stack_task_info
  - module: devops.docker.swarm_info
"""

EXAMPLES = r"""
- name: The stacks on the swarm
  devops.docker.stack_info:
  register: stacks

- name: Their names
  ansible.builtin.debug:
    msg: "{{ stacks.results | map(attribute='Name') | list }}"
"""

RETURN = r"""
results:
  description: One entry per stack, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    Name:
      description: The stack's name.
      type: str
    Namespace:
      description: Always empty (Kubernetes stacks are not supported); kept for community.docker's key.
      type: str
    Orchestrator:
      description: Always C(Swarm).
      type: str
    Services:
      description: The number of services of the stack.
      type: int
    Secrets:
      description: The names of the secrets the stack created.
      type: list
      elements: str
    Configs:
      description: The names of the configs the stack created.
      type: list
      elements: str
  sample:
    - Name: catalog
      Namespace: ""
      Orchestrator: Swarm
      Services: 2
      Secrets: [catalog_db_pw]
      Configs: []
actions:
  description: The equivalent C(docker) command.
  returned: always
  type: list
  elements: str
  sample: [docker stack ls --format json]
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack_info import stack_info


def main() -> None:
    module = DockerModule(argument_spec={}, supports_check_mode=True)
    module.converge(lambda: stack_info(module), "")


if __name__ == "__main__":
    main()
