# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's docker_node_info and docker_swarm_service_info: swarm nodes and one service, as
``docker node inspect`` and ``docker service inspect`` show them (swarm_info has the same facts as lists)."""

from __future__ import annotations

import shlex
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import matching_nodes, require_manager

NODE_INFO_ARGS: dict[str, dict[str, t.Any]] = {
    "name": {"type": "list", "elements": "str"},
    "self": {"type": "bool", "default": False},
}

SERVICE_INFO_ARGS: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
}


def _node_by_ref(api: t.Any, ref: str, listed: list[dict[str, t.Any]] | None) -> tuple[dict[str, t.Any] | None, list[dict[str, t.Any]] | None]:
    """A node by ID, ID prefix, name or hostname (what ``docker node inspect`` takes); None when the swarm has none."""
    node = api.get_or_none(api.url("/nodes/{0}", ref))
    if node is not None:
        return node, listed
    if listed is None:
        listed = api.get("/nodes") or []
    matches = matching_nodes(listed, ref)
    return (matches[0] if matches else None), listed


def node_info(module: t.Any) -> dict[str, t.Any]:
    """``self``: the node the module talks to; ``name``: those nodes (missing ones left out); else every node."""
    api, params = module.api, module.params
    swarm = require_manager(api, "docker_node_info")
    if params.get("self"):
        node = api.get_or_none(api.url("/nodes/{0}", swarm.get("NodeID") or "self"))
        return {"nodes": [node] if node else []}
    names = params.get("name")
    if not names:
        return {"nodes": api.get("/nodes") or []}
    nodes: list[dict[str, t.Any]] = []
    listed: list[dict[str, t.Any]] | None = None
    for ref in names:
        node, listed = _node_by_ref(api, ref, listed)
        if node is not None and all(node.get("ID") != n.get("ID") for n in nodes):
            nodes.append(node)
    return {"nodes": nodes}


def node_info_actions(params: dict[str, t.Any], _result: dict[str, t.Any]) -> list[str]:
    if params.get("self"):
        return ["docker node inspect self"]
    if not params.get("name"):
        return ["docker node ls --quiet", "docker node inspect $(docker node ls --quiet)"]
    return [shlex.join(["docker", "node", "inspect", *params["name"]])]


def service_info(module: t.Any) -> dict[str, t.Any]:
    """The service ``name`` (name or ID) as ``docker service inspect`` shows it; ``exists: false`` without one."""
    api = module.api
    require_manager(api, "docker_swarm_service_info")
    service = api.get_or_none(api.url("/services/{0}", module.params["name"]))
    return {"exists": service is not None, "service": service}


def service_info_actions(params: dict[str, t.Any], _result: dict[str, t.Any]) -> list[str]:
    return [shlex.join(["docker", "service", "inspect", params["name"]])]
