#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network
short_description: Create, remove, connect and disconnect Docker networks, like C(docker network create/rm/connect)
version_added: 0.1.0
description:
  - Makes sure a Docker network exists with the given configuration, or does not exist.
  - Connects containers to it (O(connected)), with aliases and fixed addresses, like C(docker network connect).
    Containers the task does not name are left alone unless O(exclusive=true).
  - Docker cannot change a network's configuration in place. When the existing network differs from the task,
    the module fails and names the differences (O(recreate=never), the default), or removes and recreates the network
    and connects every container that was attached again, with its aliases and fixed addresses
    (O(recreate=options-changed)).
  - Only the options the task gives are compared with an existing network; what the daemon picked by itself
    (a subnet or gateway it assigned) is never a difference.
  - The predefined networks C(bridge), C(host) and C(none) are recognised. They are never removed or changed;
    O(connected) works on them.
options:
  name:
    description:
      - The network's name.
      - No white space around it and no control characters; C(container) and C(container:NAME) are network modes,
        not names. A swarm-scoped network (O(driver=overlay)) takes letters, digits, C(-) and C(_) only.
    type: str
    required: true
    aliases: [network_name]
  state:
    description:
      - V(present) creates the network when it is missing and connects the O(connected) containers.
      - V(absent) removes it. When containers are attached (running, or stopped with the network in their
        configuration) the module fails and names them, unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  driver:
    description:
      - The network driver, for example V(bridge), V(overlay), V(macvlan) or V(ipvlan), or a network plugin's name.
      - When not given, a new network uses V(bridge) and the driver of an existing network is not compared.
      - V(overlay) needs swarm mode (C(docker swarm init)) on a manager node.
    type: str
  ipam:
    description:
      - The network's address configuration, one entry per subnet (C(--subnet), C(--gateway), C(--ip-range), C(--aux-address)).
      - Validated before anything changes; the subnet must be valid CIDR, the gateway, ip_range and aux addresses inside it.
      - When not given (or empty), the daemon picks a subnet and it is not compared.
      - For an existing network, the set of subnets is compared; O(ipam[].gateway), O(ipam[].ip_range) and
        O(ipam[].aux_addresses) are compared only when given.
    type: list
    elements: dict
    aliases: [ipam_config]
    suboptions:
      subnet:
        description: The subnet in CIDR notation, for example V(172.29.1.0/24).
        type: str
        required: true
      gateway:
        description: The gateway address, inside O(ipam[].subnet). The daemon picks one when not given.
        type: str
      ip_range:
        description: The part of the subnet containers get their addresses from (CIDR, inside the subnet).
        type: str
        aliases: [iprange]
      aux_addresses:
        description: Addresses the IPAM driver must not hand out, as a dictionary of host names to addresses.
        type: dict
  ipam_driver:
    description: The IPAM driver (C(--ipam-driver)). Compared only when given; the daemon's default is V(default).
    type: str
  ipam_options:
    description: Options of the IPAM driver (C(--ipam-opt)). Compared only when given.
    type: dict
    aliases: [ipam_driver_options]
  internal:
    description: Restrict external access to the network (C(--internal)). Compared only when given.
    type: bool
  attachable:
    description: Let standalone containers attach to a swarm-scoped network (C(--attachable)). Compared only when given.
    type: bool
  enable_ipv4:
    description:
      - V(false) creates the network without IPv4 (C(--ipv4=false), Docker Engine 28 and later; an older engine fails
        the task, nothing changed). Engines before 28 give every network IPv4, so V(true) matches any network there.
        Compared only when given.
    type: bool
  enable_ipv6:
    description: Enable IPv6 on the network (C(--ipv6)). Compared only when given.
    type: bool
  scope:
    description: The network's scope (C(--scope)). Compared only when given.
    type: str
    choices: [local, global, swarm]
  config_only:
    description:
      - V(true) creates a configuration-only network (C(--config-only)) - it holds IPAM settings, driver options and
        labels for other networks (O(config_from)) and never has containers, so O(connected) cannot be given with it.
      - Its driver is always C(null) (the daemon's choice); O(driver) is then not compared.
      - Compared only when given; a difference needs O(recreate=options-changed).
    type: bool
  config_from:
    description:
      - The name of a configuration-only network (O(config_only=true)) this network takes its IPAM settings,
        driver options and labels from (C(--config-from)). O(ipam), O(ipam_options), O(options), O(labels) and
        O(enable_ipv6=true) cannot be given with it; set them on the configuration-only network.
      - Compared only when given (V("") means taking no configuration from another network); a difference needs
        O(recreate=options-changed). The configuration-only network cannot be removed while this one exists.
    type: str
  ingress:
    description:
      - V(true) creates the swarm's routing-mesh network (C(--ingress)); it needs swarm mode on a manager, the
        V(overlay) driver (the default driver then) and cannot be O(attachable). A swarm has one ingress network.
      - Compared only when given; a difference needs O(recreate=options-changed).
    type: bool
  debug:
    description: community.docker's debug mode - RV(diff) is returned without C(--diff) too. RV(actions) always is.
    type: bool
    default: false
  options:
    description:
      - Driver options (C(--opt)), for example C(com.docker.network.bridge.name).
      - Values are compared as strings (V(true) is C("true")). When given, the options are the whole desired set, so
        an option the network has and the task does not is a difference.
    type: dict
    aliases: [driver_options]
  labels:
    description:
      - Labels of the network. When given, they are the whole desired set (a label removed from the task is a difference).
      - Docker cannot change a network's labels in place, so a label change needs O(recreate=options-changed).
    type: dict
  connected:
    description:
      - Containers to connect to the network. Each item is a container name (or ID), or a dictionary with the keys
        C(name) (required), C(aliases) (list of network-scoped aliases, C(--alias); user-defined networks only),
        C(ipv4_address) (a fixed address inside one of the subnets, C(--ip)), C(ipv6_address) (C(--ip6)) and
        C(links) (list of C(container) or C(container:alias), C(--link)).
      - Every container must exist; the module checks all of them before it changes anything.
      - The settings given are compared with how the container is attached; when one differs, the container is
        disconnected and connected again with it. Settings not given are not compared.
    type: list
    elements: raw
    aliases: [containers]
  exclusive:
    description:
      - V(false) (the default) never disconnects a container the task does not name, so containers attached by other
        tasks or by hand stay attached on every run.
      - V(true) disconnects every container not in O(connected).
      - community.docker's O(appends) sets it too; without O(appends), community.docker disconnects the containers
        not listed (as V(true) does here) - see C(docs/migrating.md).
    type: bool
    default: false
  appends:
    description:
      - community.docker's name for the opposite of O(exclusive) - V(false) is O(exclusive=true), V(true) is
        O(exclusive=false). When given, it wins over O(exclusive).
    type: bool
    aliases: [incremental]
  recreate:
    description:
      - What to do when the existing network's configuration differs from the task.
      - V(never) fails with a message that names the differing options; nothing is changed.
      - V(options-changed) disconnects the attached containers, removes the network, creates it anew and connects
        every container again with its aliases, fixed addresses and links (settings given in O(connected) win).
        A fixed address that would not fit the new subnets makes the module fail before anything is removed.
    type: str
    choices: [never, options-changed]
    default: never
  force:
    description: With O(state=absent), disconnect the attached containers first instead of failing.
    type: bool
    default: false
seealso:
  - module: devops.docker.network_info
  - module: devops.docker.container
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
"""

EXAMPLES = r"""
- name: Create the course's network
  devops.docker.network:
    name: my-network

- name: A network with a fixed subnet, labels and two containers attached
  devops.docker.network:
    name: backend
    ipam:
      - subnet: 172.29.10.0/24
        gateway: 172.29.10.1
        ip_range: 172.29.10.128/25
    labels:
      app: catalog
    connected:
      - my-mariadb
      - name: catalog-service
        aliases: [api]
        ipv4_address: 172.29.10.10

- name: Change the subnet; containers are reconnected with their aliases
  devops.docker.network:
    name: backend
    ipam:
      - subnet: 172.29.20.0/24
    recreate: options-changed

- name: Only these containers may stay attached
  devops.docker.network:
    name: backend
    connected: [catalog-service]
    exclusive: true

- name: Remove the network, disconnecting whatever is still attached
  devops.docker.network:
    name: backend
    state: absent
    force: true
"""

RETURN = r"""
network:
  description:
    - The network as C(docker network inspect) shows it, after the change.
    - In check mode, the network as it was before; C(null) when it does not exist (or was removed).
  returned: always
  type: dict
  sample:
    Name: backend
    Id: 5b1c...
    Driver: bridge
    Scope: local
    ConfigOnly: false
    IPAM: {Driver: default, Config: [{Subnet: 172.29.10.0/24, Gateway: 172.29.10.1}]}
    Labels: {app: catalog}
actions:
  description: The C(docker network create), C(connect), C(disconnect) and C(rm) commands equivalent to what was done (or would be done in check mode).
  returned: always
  type: list
  elements: str
  sample:
    - docker network create --driver bridge --subnet 172.29.10.0/24 my-network
    - docker network connect --alias api my-network catalog-service
diff:
  description: The configuration and the connected containers before and after, with O(ignore:--diff) or O(debug=true).
  returned: when diff mode is on, or O(debug=true)
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._network._manager import NetworkManager
from ansible_collections.devops.docker.plugins.module_utils._network._table import network_argument_spec


def main() -> None:
    module = DockerModule(argument_spec=network_argument_spec(), supports_check_mode=True)
    # community.docker's debug returns the diff even without --diff
    module.manage(NetworkManager, keep_diff=bool(module.params.get("debug")))


if __name__ == "__main__":
    main()
