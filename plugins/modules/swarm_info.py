#!/usr/bin/python
# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: swarm_info
short_description: Facts about a Docker Swarm, its nodes, services and tasks, like C(docker node ls), C(docker service ps)
version_added: 0.1.0
description:
  - Tells whether the engine is in a swarm and whether it is a manager, and returns the swarm's inspect data.
  - On request, and on a manager only, the nodes, services, tasks, secrets and configs, each with API filters.
extends_documentation_fragment:
  - devops.docker.docker
  - devops.docker.docker.INFO_ATTRIBUTES
options:
  nodes:
    description: Also return the nodes (C(docker node ls)).
    type: bool
    default: false
  nodes_filters:
    description:
      - 'API filters for the nodes (C(docker node ls --filter)), as a dictionary, for example C({role: manager}).'
      - 'C(node.label) filters on the node labels set with C(docker node update --label-add) (or
        M(devops.docker.node) O(devops.docker.node#module:labels)): C({node.label: zone=a}) keeps the nodes whose label
        C(zone) is C(a), C({node.label: zone}) the nodes that have the label at all.'
      - C(label) filters on the B(engine) labels of each node's daemon (C(labels) in C(daemon.json)), not on node labels.
      - 'Other keys the daemon knows: C(id), C(name), C(membership) (V(accepted)/V(pending)), C(role) (V(manager)/V(worker)).'
    type: dict
  services:
    description: Also return the services (C(docker service ls)).
    type: bool
    default: false
  services_filters:
    description: API filters for the services, like C(name=web) or C(label=com.docker.stack.namespace=app), as a dictionary.
    type: dict
  tasks:
    description: Also return the tasks (C(docker service ps)).
    type: bool
    default: false
  tasks_filters:
    description: API filters for the tasks, like C(service=web) and C(desired-state=running), or C(node=ID), as a dictionary.
    type: dict
  secrets:
    description:
      - Also return the secrets (C(docker secret ls)) - their IDs, names, labels and versions, never their data.
    type: bool
    default: false
  secrets_filters:
    description: API filters for the secrets, like C(name=db) or C(label=app=shop), as a dictionary.
    type: dict
  configs:
    description:
      - Also return the configs (C(docker config ls)) - their IDs, names, labels, versions and template drivers, never
        their data.
    type: bool
    default: false
  configs_filters:
    description: API filters for the configs, like C(name=nginx), as a dictionary.
    type: dict
  join_tokens:
    description: Also return the join tokens (secrets; use C(no_log) on the task).
    type: bool
    default: false
  unlock_key:
    description:
      - On a manager, also return the key that unlocks an autolocked swarm, RV(swarm_unlock_key).
      - It is a secret; use C(no_log) on the task.
    type: bool
    default: false
  verbose_output:
    description:
      - Accepted for community.docker's tasks. The lists always hold every field the Engine API returns, plus
        community.docker's short keys (see RV(nodes), RV(services), RV(tasks)).
    type: bool
    default: false
seealso:
  - module: devops.docker.swarm
"""

EXAMPLES = r"""
- name: Running tasks of a service
  devops.docker.swarm_info:
    tasks: true
    tasks_filters:
      service: web
      desired-state: running
  register: web_tasks

- name: The secrets' names and versions (never their data)
  devops.docker.swarm_info:
    secrets: true
    secrets_filters:
      label: app=shop
  register: shop_secrets

- name: Managers of the swarm
  devops.docker.swarm_info:
    nodes: true
    nodes_filters:
      role: manager
  register: managers

- name: The nodes labelled zone=a (node labels, as devops.docker.node sets them)
  devops.docker.swarm_info:
    nodes: true
    nodes_filters:
      node.label: zone=a
  register: zone_a
"""

RETURN = r"""
can_talk_to_docker:
  description: Always V(true) when the module succeeds (community.docker's name; a daemon that cannot be reached fails the task).
  returned: success
  type: bool
docker_swarm_active:
  description: The same as RV(swarm_active) (community.docker's name).
  returned: success
  type: bool
docker_swarm_manager:
  description: The same as RV(is_manager) (community.docker's name).
  returned: success
  type: bool
swarm_facts:
  description: The same as RV(swarm) (community.docker's name).
  returned: success
  type: dict
swarm_unlock_key:
  description: The swarm's unlock key (V(null) when autolock is off), with O(unlock_key=true) on a manager.
  returned: when O(unlock_key=true) on a manager
  type: str
swarm_active:
  description: Whether the engine is an active member of a swarm.
  returned: always
  type: bool
is_manager:
  description: Whether the engine is a swarm manager.
  returned: always
  type: bool
local_node_state:
  description: The engine's swarm state (V(inactive), V(pending), V(active), V(error), V(locked)).
  returned: always
  type: str
node_id:
  description: This engine's node ID, C(null) outside a swarm.
  returned: always
  type: str
swarm:
  description: The swarm inspect data (without join tokens), on a manager; C(null) elsewhere.
  returned: always
  type: dict
join_tokens:
  description: The worker and manager join tokens.
  returned: when O(join_tokens=true)
  type: dict
nodes:
  description:
    - The nodes as C(GET /nodes) returns them, plus community.docker's short keys C(Hostname), C(Availability) and
      C(EngineVersion). C(Status) and C(ManagerStatus) stay the API's dictionaries (community.docker's strings are
      C(Status.State) and C(ManagerStatus.Reachability)).
  returned: when O(nodes=true)
  type: list
  elements: dict
services:
  description:
    - The services as C(GET /services) returns them, plus community.docker's short keys C(Name), C(Mode),
      C(Replicas), C(Image) and C(Ports).
  returned: when O(services=true)
  type: list
  elements: dict
tasks:
  description:
    - The tasks as C(GET /tasks) returns them (C(NodeID), C(Status.State), C(DesiredState), ...), plus
      community.docker's short keys C(ContainerID), C(Image), C(Node) (the node's host name), C(CurrentState) and
      C(Error).
  returned: when O(tasks=true)
  type: list
  elements: dict
secrets:
  description:
    - The secrets, each with C(ID), C(Name), C(Labels), C(Version) (the object's version index), C(CreatedAt) and
      C(UpdatedAt); the data never (Docker does not return it), and the value of the label C(devops.docker.fingerprint)
      (a keyed fingerprint of the data) shown as C(********).
  returned: when O(secrets=true)
  type: list
  elements: dict
  sample: [{ID: 4a1c..., Name: db_password_v2, Labels: {app: shop}, Version: 12}]
configs:
  description:
    - The configs, with the same keys as RV(secrets) and C(TemplateDriver) when the config is a template; never the data
      (which C(docker config inspect) would show).
  returned: when O(configs=true)
  type: list
  elements: dict
actions:
  description:
    - The C(docker) commands that read the same information (C(docker info), C(docker node ls), C(docker service ls),
      C(docker service ps), C(docker secret ls), C(docker config ls), C(docker swarm join-token)).
  returned: always
  type: list
  elements: str
  sample: ["docker info --format '{{json .Swarm}}'", "docker node ls"]
"""

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.plugins.module_utils._compat import swarm_info_summaries
from ansible_collections.devops.docker.plugins.module_utils._info_actions import swarm_info_actions
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import swarm_info


def main() -> None:
    module = DockerModule(
        argument_spec={
            "nodes": {"type": "bool", "default": False},
            "nodes_filters": {"type": "dict"},
            "services": {"type": "bool", "default": False},
            "services_filters": {"type": "dict"},
            "tasks": {"type": "bool", "default": False},
            "tasks_filters": {"type": "dict"},
            "secrets": {"type": "bool", "default": False, "no_log": False},
            "secrets_filters": {"type": "dict", "no_log": False},
            "configs": {"type": "bool", "default": False},
            "configs_filters": {"type": "dict"},
            "join_tokens": {"type": "bool", "default": False, "no_log": False},
            "unlock_key": {"type": "bool", "default": False, "no_log": False},
            "verbose_output": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )

    def run() -> dict:
        result = swarm_info(module)
        result["actions"] = swarm_info_actions(module.params, result)
        # community.docker's names for the same facts.
        result["can_talk_to_docker"] = True
        result["docker_swarm_active"] = bool(result.get("swarm_active"))
        result["docker_swarm_manager"] = bool(result.get("is_manager"))
        result["swarm_facts"] = result.get("swarm")
        swarm_info_summaries(module.api, result)
        if module.params["unlock_key"] and result.get("is_manager"):
            result["swarm_unlock_key"] = (module.api.get("/swarm/unlockkey") or {}).get("UnlockKey") or None
            result["actions"].append("docker swarm unlock-key -q")
        return result

    module.report(run)


if __name__ == "__main__":
    main()
