#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: swarm
short_description: Initialise, join, update and leave a Docker Swarm, like C(docker swarm init/join/update/leave)
version_added: 0.1.0
description:
  - V(present) makes the engine a swarm manager, initialising a new swarm when the engine is in none (C(docker swarm init)),
    and keeps the swarm's settings as the task says, changed in place (C(docker swarm update)).
  - V(join) makes the engine join an existing swarm as a worker or a manager, depending on the join token.
    An engine already in that swarm (one of O(remote_addrs) is among its managers) is no change; an engine in another
    swarm is an error, and nothing is changed.
    The role of an engine already in the swarm is not changed by a join; promote or demote it with devops.docker.node.
  - V(absent) makes the engine leave its swarm (C(docker swarm leave)).
  - Returns the join tokens of the swarm (on a manager) in RV(join_tokens), so that later tasks can join other nodes.
    They are secrets; they never appear in RV(actions) or the diff, but the returned value is the real token, so put
    C(no_log) on the task that registers them (the devops.docker.swarm_cluster role does).
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.ATTRIBUTES
options:
  state:
    description:
      - V(present) initialises a swarm (or updates its settings when the engine is already a manager).
      - V(join) joins the swarm of O(remote_addrs) with O(join_token).
      - V(absent) leaves the swarm. A manager needs O(force=true).
      - V(remove) removes the node O(node_id) from the swarm (C(docker node rm), community.docker's state), run on a
        manager; the same as M(devops.docker.node) with O(devops.docker.node#module:state=absent). A node that is not
        down, or a manager, needs O(force=true).
    type: str
    choices: [present, join, absent, remove]
    default: present
  node_id:
    description: With O(state=remove), the node to remove, by ID or hostname.
    type: str
  advertise_addr:
    description:
      - The address other nodes reach this node at (C(--advertise-addr)), an IP or an interface name, with an optional
        port. Needed when the host has several addresses.
      - Used when initialising or joining only.
    type: str
  listen_addr:
    description: The address the node listens on for swarm traffic (C(--listen-addr)). Used when initialising or joining.
    type: str
    default: 0.0.0.0:2377
  data_path_addr:
    description: The address or interface used for the overlay data traffic (C(--data-path-addr)). Init or join only.
    type: str
  data_path_port:
    description:
      - The UDP port of the overlay (VXLAN) traffic (C(--data-path-port)), 1024 to 49151; Docker's default is 4789.
      - Fixed when the swarm is created; a different value on an existing swarm is an error.
    type: int
  default_addr_pool:
    description:
      - Address pools (CIDR) the overlay networks' subnets are taken from (C(--default-addr-pool)).
      - Fixed when the swarm is created; a different value on an existing swarm is an error.
    type: list
    elements: str
  subnet_size:
    description:
      - Prefix length of each overlay subnet taken from O(default_addr_pool) (C(--default-addr-pool-mask-length)).
      - Fixed when the swarm is created.
    type: int
  remote_addrs:
    description: With O(state=join), addresses of managers of the swarm to join (port 2377 when not given).
    type: list
    elements: str
  join_token:
    description: With O(state=join), the worker or manager join token (from RV(join_tokens) of a manager).
    type: str
  force:
    description: With O(state=absent), leave even a manager (C(docker swarm leave --force)).
    type: bool
    default: false
  snapshot_interval:
    description: Raft log entries between snapshots (C(--snapshot-interval)). Not compared when not given.
    type: int
  keep_old_snapshots:
    description: Raft snapshots to keep beyond the current one. Not compared when not given.
    type: int
  log_entries_for_slow_followers:
    description: Raft log entries kept for slow followers after a snapshot. Not compared when not given.
    type: int
  election_tick:
    description:
      - Raft ticks without a leader before a new election (community.docker's option; Docker's default is V(10)).
        Not compared when not given.
    type: int
  heartbeat_tick:
    description: Raft ticks between heartbeats (community.docker's option; Docker's default is V(1)). Not compared when not given.
    type: int
  ca_force_rotate:
    description:
      - A counter; a value other than the swarm's makes it generate a new signing CA certificate and key (like
        C(docker swarm ca --rotate)). Not compared when not given.
    type: int
  name:
    description: The swarm's name (community.docker's option); Docker only knows V(default). Not compared when not given.
    type: str
  heartbeat_period:
    description: The dispatcher's heartbeat period (C(--dispatcher-heartbeat)), like V(5s). Not compared when not given.
    type: str
  dispatcher_heartbeat_period:
    description:
      - community.docker's form of O(heartbeat_period), in nanoseconds (V(5000000000) is V(5s)). When given, it
        wins over O(heartbeat_period).
    type: int
  task_history_retention_limit:
    description: Old tasks kept per service slot (C(--task-history-limit)). Not compared when not given.
    type: int
  node_cert_expiry:
    description:
      - Validity of node certificates (C(--cert-expiry)), like V(2160h). Not compared when not given.
      - A bare number is seconds, unless it is 10^9 or more; then it is nanoseconds, community.docker's unit
        (V(7776000000000000) is V(2160h)).
    type: str
  autolock:
    description:
      - Lock the managers' raft keys when the engine restarts (C(--autolock)). When on, RV(unlock_key) is returned.
      - Not compared when not given.
    type: bool
    aliases: [autolock_managers]
  labels:
    description: Labels of the swarm; when given, the whole desired set. Not compared when not given.
    type: dict
  rotate_worker_token:
    description: Rotate the worker join token (always a change).
    type: bool
    default: false
  rotate_manager_token:
    description: Rotate the manager join token (always a change).
    type: bool
    default: false
notes:
  - The equivalent C(docker) commands of each change are returned in RV(actions).
  - Raft settings without a CLI flag (O(keep_old_snapshots), O(log_entries_for_slow_followers), O(labels)) are set
    through the API; the action then says so.
seealso:
  - module: devops.docker.swarm_info
  - module: devops.docker.node
  - module: devops.docker.service
"""

EXAMPLES = r"""
- name: Initialise a swarm on the first manager
  devops.docker.swarm:
    state: present
    advertise_addr: 10.0.0.1
    default_addr_pool: [10.20.0.0/16]
    subnet_size: 24
    task_history_retention_limit: 3
  register: manager
  no_log: true  # the join tokens are secrets

- name: Join a worker
  devops.docker.swarm:
    state: join
    advertise_addr: 10.0.0.2
    remote_addrs: [10.0.0.1:2377]
    join_token: "{{ manager.join_tokens.worker }}"
  no_log: true

- name: Leave the swarm
  devops.docker.swarm:
    state: absent
    force: true
"""

RETURN = r"""
swarm:
  description: The swarm as C(docker swarm inspect) shows it (without the join tokens), on a manager; C(null) elsewhere.
  returned: always
  type: dict
  sample:
    ID: 0qz5ayj7ikz0tk7yvu2sfdm3u
    Spec:
      Raft:
        SnapshotInterval: 10000
    DefaultAddrPool: [10.0.0.0/8]
    SubnetSize: 24
swarm_facts:
  description: The same as RV(swarm) (community.docker's name).
  returned: always
  type: dict
node_id:
  description: The swarm node ID of this engine; C(null) when it is in no swarm.
  returned: always
  type: str
  sample: hx3ql8d2cq7nmvk3iq9ev6t0e
local_node_state:
  description: The engine's swarm state after the task, V(active) or V(inactive) (in check mode, before).
  returned: always
  type: str
  sample: active
is_manager:
  description: Whether this engine is a manager.
  returned: always
  type: bool
join_tokens:
  description:
    - The join tokens, on a manager; C(null) elsewhere. Secrets; register them with C(no_log) on the task.
  returned: always
  type: dict
  contains:
    worker:
      description: The token to join as a worker.
      type: str
      returned: on a manager
    manager:
      description: The token to join as a manager.
      type: str
      returned: on a manager
unlock_key:
  description: The key to unlock the managers after a restart, when O(autolock) is on. A secret.
  returned: when autolock is on
  type: str
actions:
  description: The equivalent C(docker) commands of what was done (or would be done in check mode); tokens are masked.
  returned: always
  type: list
  elements: str
  sample:
    - docker swarm init --advertise-addr 10.0.0.1
diff:
  description: The swarm's settings before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._limits import check_duration_ns
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import NodeManager, SwarmManager


def main() -> None:
    module = DockerModule(
        argument_spec={
            "state": {"type": "str", "default": "present", "choices": ["present", "join", "absent", "remove"]},
            "node_id": {"type": "str"},
            "advertise_addr": {"type": "str"},
            "listen_addr": {"type": "str", "default": "0.0.0.0:2377"},
            "data_path_addr": {"type": "str"},
            "data_path_port": {"type": "int"},
            "default_addr_pool": {"type": "list", "elements": "str"},
            "subnet_size": {"type": "int"},
            "remote_addrs": {"type": "list", "elements": "str"},
            "join_token": {"type": "str", "no_log": True},
            "force": {"type": "bool", "default": False},
            "snapshot_interval": {"type": "int"},
            "keep_old_snapshots": {"type": "int"},
            "log_entries_for_slow_followers": {"type": "int"},
            "heartbeat_period": {"type": "str"},
            "task_history_retention_limit": {"type": "int"},
            "node_cert_expiry": {"type": "str"},
            "autolock": {"type": "bool", "aliases": ["autolock_managers"]},
            "dispatcher_heartbeat_period": {"type": "int"},
            "labels": {"type": "dict"},
            "election_tick": {"type": "int"},
            "heartbeat_tick": {"type": "int"},
            "ca_force_rotate": {"type": "int"},
            "name": {"type": "str"},
            "rotate_worker_token": {"type": "bool", "default": False},
            "rotate_manager_token": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    if module.params.get("dispatcher_heartbeat_period") is not None:  # community.docker's nanoseconds
        with module.errors():
            check_duration_ns(module.params["dispatcher_heartbeat_period"], "dispatcher_heartbeat_period")
        module.params["heartbeat_period"] = f"{module.params['dispatcher_heartbeat_period'] / 1e9:g}s"

    if module.params["state"] == "remove":  # community.docker's docker node rm through docker_swarm
        node_params = {"hostname": module.params.get("node_id"), "state": "absent", "force": module.params["force"]}
        if not node_params["hostname"]:
            module.fail("node_id: state=remove needs the node to remove (its ID or hostname).")
        module.converge(lambda: NodeManager(module.api, node_params, module.check_mode, warn=module.warn).run())
        return

    def run() -> dict:
        result = SwarmManager(module.api, module.params, module.check_mode, warn=module.warn).run()
        if not module.diff_mode:
            result.pop("diff", None)
        if "swarm" in result:
            result["swarm_facts"] = result["swarm"]  # community.docker's name
        return result

    module.converge(run)


if __name__ == "__main__":
    main()
