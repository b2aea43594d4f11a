#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_swarm_service_info
short_description: Facts about one Swarm service, like C(docker service inspect), with community.docker's options
version_added: 1.1.0
description:
  - Returns the swarm service O(name) as C(docker service inspect) shows it, with the options of community.docker's
    C(docker_swarm_service_info). Runs against a swarm manager.
  - M(devops.docker.swarm_info) with O(devops.docker.swarm_info#module:services=true) lists every service, with filters.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description: The service's name or ID.
    type: str
    required: true
seealso:
  - module: devops.docker.service
  - module: devops.docker.swarm_info
"""

EXAMPLES = r"""
- name: Get info from a service
  devops.docker.docker_swarm_service_info:
    name: myservice
  register: result

- name: Show its image when it exists
  ansible.builtin.debug:
    msg: "{{ result.service.Spec.TaskTemplate.ContainerSpec.Image }}"
  when: result.exists
"""

RETURN = r"""
actions:
  description: The C(docker) command that reads the same information, C(docker service inspect).
  returned: always
  type: list
  elements: str
  sample: ["docker service inspect myservice"]
exists:
  description: Whether the service exists.
  returned: always
  type: bool
  sample: true
service:
  description: The service as C(docker service inspect) shows it; C(null) when it does not exist.
  returned: always
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only
from ansible_collections.devops.docker.plugins.module_utils._swarm._info_compat import (
    SERVICE_INFO_ARGS,
    service_info,
    service_info_actions,
)


def main() -> None:
    run_read_only(SERVICE_INFO_ARGS, service_info, service_info_actions)


if __name__ == "__main__":
    main()
