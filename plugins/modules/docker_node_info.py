#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_node_info
short_description: Facts about Swarm nodes, like C(docker node inspect), with community.docker's docker_node_info options
version_added: 1.1.0
description:
  - Returns swarm nodes as C(docker node inspect) shows them, with the options of community.docker's
    C(docker_node_info). Runs against a swarm manager.
  - M(devops.docker.swarm_info) with O(devops.docker.swarm_info#module:nodes=true) lists the same nodes, with filters.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description:
      - The nodes to return, each by hostname (as registered in the swarm), name or ID. A node the swarm does not
        have is left out of RV(nodes).
      - Without it, every node of the swarm, including nodes that are down or have left without being removed.
      - Ignored with O(self=true).
    type: list
    elements: str
  self:
    description: V(true) returns the node of the engine the module talks to (O(name) is then ignored).
    type: bool
    default: false
seealso:
  - module: devops.docker.swarm_info
  - module: devops.docker.node
"""

EXAMPLES = r"""
- name: Get info on all nodes
  devops.docker.docker_node_info:
  register: result

- name: Get info on the node the module talks to
  devops.docker.docker_node_info:
    self: true
  register: result

- name: Get info on a list of nodes
  devops.docker.docker_node_info:
    name:
      - mynode1
      - mynode2
  register: result

- name: Show the availability of each node
  ansible.builtin.debug:
    msg: "{{ result.nodes | map(attribute='Spec.Availability') | list }}"
"""

RETURN = r"""
actions:
  description: The C(docker) commands that read the same information, C(docker node inspect).
  returned: always
  type: list
  elements: str
  sample: ["docker node inspect mynode1 mynode2"]
nodes:
  description:
    - The nodes, each as C(docker node inspect) shows it (C(ID), C(Spec), C(Description), C(Status),
      C(ManagerStatus) on managers).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only
from ansible_collections.devops.docker.plugins.module_utils._swarm._info_compat import NODE_INFO_ARGS, node_info, node_info_actions


def main() -> None:
    run_read_only(NODE_INFO_ARGS, node_info, node_info_actions)


if __name__ == "__main__":
    main()
