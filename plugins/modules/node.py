#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: node
short_description: Manage a swarm node's availability, role and labels, like C(docker node update/rm)
version_added: 0.1.0
description:
  - Sets the availability (V(active), V(pause), V(drain)), the role (V(worker), V(manager)) and the labels of one node
    of the swarm. Runs against a manager.
  - Draining a node makes the swarm move its tasks to other nodes.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  hostname:
    description:
      - The node's ID (or a unique prefix of it) or its hostname. When several nodes share a hostname, use the ID.
    type: str
    required: true
    aliases: [node, name]
  state:
    description:
      - V(present) sets the node's availability, role and labels.
      - V(absent) removes the node from the swarm's list (C(docker node rm)), for a node that left or is gone (status
        down). A node that is still up, or a manager, is refused unless O(force=true). No change when there is no such node.
    type: str
    choices: [present, absent]
    default: present
  force:
    description: With O(state=absent), remove the node even when it is up or a manager (C(docker node rm --force)).
    type: bool
    default: false
  availability:
    description: V(active), V(pause) (no new tasks) or V(drain) (tasks moved away). Not changed when not given.
    type: str
    choices: [active, pause, drain]
  role:
    description: V(worker) or V(manager) (C(docker node promote/demote)). Not changed when not given.
    type: str
    choices: [worker, manager]
  labels:
    description: Node labels, used by placement constraints like C(node.labels.zone==a).
    type: dict
  labels_state:
    description:
      - V(merge) adds and updates the given labels and keeps the others.
      - V(replace) makes the given labels the whole set.
    type: str
    choices: [merge, replace]
    default: merge
  labels_to_remove:
    description: Label names to remove.
    type: list
    elements: str
seealso:
  - module: devops.docker.swarm
  - module: devops.docker.swarm_info
"""

EXAMPLES = r"""
- name: Drain a node before maintenance
  devops.docker.node:
    hostname: worker-2
    availability: drain

- name: Forget a node that left the swarm
  devops.docker.node:
    hostname: hx3ql8d2cq7nmvk3iq9ev6t0e
    state: absent

- name: Label a node for placement constraints
  devops.docker.node:
    hostname: "{{ worker_node_id }}"
    labels:
      zone: a
"""

RETURN = r"""
node:
  description:
    - The node as C(docker node inspect) shows it, after the change (in check mode, before).
    - C(null) after O(state=absent) removed it, or when there is no such node.
  returned: always
  type: dict
node_id:
  description: The node's ID.
  returned: always
  type: str
actions:
  description: The C(docker node update), C(promote) and C(demote) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker node update --availability drain hx3ql8d2cq7nmvk3iq9ev6t0e
diff:
  description: Availability, role and labels before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import NodeManager


def main() -> None:
    module = DockerModule(
        argument_spec={
            "hostname": {"type": "str", "required": True, "aliases": ["node", "name"]},
            "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
            "force": {"type": "bool", "default": False},
            "availability": {"type": "str", "choices": ["active", "pause", "drain"]},
            "role": {"type": "str", "choices": ["worker", "manager"]},
            "labels": {"type": "dict"},
            "labels_state": {"type": "str", "default": "merge", "choices": ["merge", "replace"]},
            "labels_to_remove": {"type": "list", "elements": "str"},
        },
        supports_check_mode=True,
    )
    module.manage(NodeManager, keep_diff=False)


if __name__ == "__main__":
    main()
