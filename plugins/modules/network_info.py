#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network_info
short_description: Facts about Docker networks, like C(docker network ls) and C(docker network inspect)
version_added: 0.1.0
description:
  - Returns one network by O(name), or every network matching O(filters) (all networks when neither is given).
  - Each network is returned as C(docker network inspect) shows it, plus C(AttachedContainers), the containers
    attached to it (running, or stopped with the network in their configuration), with their aliases and addresses.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  name:
    description: The network's name or ID. Mutually exclusive with O(filters).
    type: str
  filters:
    description:
      - 'Filters as C(docker network ls --filter) takes them, for example C({"label": ["app=web"], "driver": "bridge"}).'
      - Keys are C(driver), C(id), C(label), C(name), C(scope) and C(type) (V(custom) or V(builtin)).
        Values are a string or a list of strings.
    type: dict
  containers:
    description:
      - Add C(AttachedContainers) to each network. V(false) saves one container inspect per attached container.
    type: bool
    default: true
seealso:
  - module: devops.docker.network
"""

EXAMPLES = r"""
- name: Look at one network
  devops.docker.network_info:
    name: my-network
  register: my_network

- name: Show who is attached
  ansible.builtin.debug:
    msg: "{{ my_network.network.AttachedContainers | map(attribute='Name') | list }}"
  when: my_network.exists

- name: Every user-defined network with a label
  devops.docker.network_info:
    filters:
      type: custom
      label: [app=catalog]
  register: app_networks
"""

RETURN = r"""
actions:
  description:
    - The C(docker) commands that read the same information, C(docker network inspect) for O(name),
      C(docker network ls) (then C(docker network inspect)) for O(filters).
  returned: always
  type: list
  elements: str
  sample: ["docker network inspect my-network"]
exists:
  description: Whether the network given by O(name) exists.
  returned: when O(name) is given
  type: bool
network:
  description:
    - The network given by O(name), as C(docker network inspect) shows it, plus C(AttachedContainers);
      C(null) when it does not exist.
  returned: when O(name) is given
  type: dict
  sample:
    Name: my-network
    Driver: bridge
    IPAM:
      Config:
        - Subnet: 172.29.10.0/24
    AttachedContainers:
      - Name: catalog-service
        Id: 4f0c...
        State: running
        Aliases: [api]
        IPv4Address: 172.29.10.2
        IPv6Address: null
        MacAddress: 02:42:ac:1d:0a:02
        FixedIPv4Address: null
        FixedIPv6Address: null
        Links: []
networks:
  description:
    - The networks found, sorted by name, each as C(docker network inspect) shows it plus C(AttachedContainers)
      (a list of dictionaries with C(Name), C(Id), C(State), C(Aliases) (without the ones the daemon adds itself),
      C(IPv4Address), C(IPv6Address), C(MacAddress), C(FixedIPv4Address), C(FixedIPv6Address), C(Links)).
    - With O(containers=false), as C(docker network ls) lists them, without C(AttachedContainers).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._entry import run_read_only
from ansible_collections.devops.docker.plugins.module_utils._info_actions import network_info_actions
from ansible_collections.devops.docker.plugins.module_utils._network._info import network_info


def main() -> None:
    run_read_only(
        {"name": {"type": "str"}, "filters": {"type": "dict"}, "containers": {"type": "bool", "default": True}},
        network_info, network_info_actions, mutually_exclusive=[("name", "filters")],
    )


if __name__ == "__main__":
    main()
