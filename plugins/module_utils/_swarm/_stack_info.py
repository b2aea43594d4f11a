# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``stack_info`` and ``stack_task_info``: ``docker stack ls`` and ``docker stack ps``
from the Engine API (a stack is the services, networks, secrets and configs
labelled ``com.docker.stack.namespace``), with the keys ``--format json``
prints, as community.docker's docker_stack_info / docker_stack_task_info
return them."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._info_actions import cli
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import require_manager

NAMESPACE_LABEL = "com.docker.stack.namespace"


def stack_list(services: list[dict[str, t.Any]], secrets: list[dict[str, t.Any]] | None = None,
               configs: list[dict[str, t.Any]] | None = None) -> list[dict[str, t.Any]]:
    """Every stack with its number of services (and, beyond the CLI's keys, its secrets and configs)."""
    stacks: dict[str, dict[str, t.Any]] = {}

    def entry(name: str) -> dict[str, t.Any]:
        return stacks.setdefault(name, {"Name": name, "Namespace": "", "Orchestrator": "Swarm", "Services": 0,
                                        "Secrets": [], "Configs": []})

    for svc in services:
        name = ((svc.get("Spec") or {}).get("Labels") or {}).get(NAMESPACE_LABEL)
        if name:
            entry(name)["Services"] += 1
    for key, objects in (("Secrets", secrets or []), ("Configs", configs or [])):
        for obj in objects:
            spec = obj.get("Spec") or {}
            name = (spec.get("Labels") or {}).get(NAMESPACE_LABEL)
            if name:
                entry(name)[key].append(spec.get("Name"))
    out = [stacks[name] for name in sorted(stacks)]
    for item in out:
        item["Secrets"].sort()
        item["Configs"].sort()
    return out


def _short(ident: str | None) -> str:
    return (ident or "")[:12]


def task_rows(stack: str, tasks: list[dict[str, t.Any]], services: list[dict[str, t.Any]],
              nodes: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """The tasks of a stack as ``docker stack ps --format json`` shows them, newest first per slot."""
    svc_names = {s.get("ID"): (s.get("Spec") or {}).get("Name", "") for s in services}
    node_names = {n.get("ID"): (n.get("Description") or {}).get("Hostname", "") for n in nodes}
    rows = []

    def order(task: dict[str, t.Any]) -> tuple[t.Any, ...]:
        return (svc_names.get(task.get("ServiceID"), ""), task.get("Slot") or 0, task.get("NodeID") or "",
                task.get("CreatedAt") or "")

    for task in sorted(tasks, key=order):
        status = task.get("Status") or {}
        service = svc_names.get(task.get("ServiceID"), _short(task.get("ServiceID")))
        slot = task.get("Slot")
        name = f"{service}.{slot}" if slot else f"{service}.{task.get('NodeID', '')}"
        ports = [f"*:{p.get('PublishedPort')}->{p.get('TargetPort')}/{p.get('Protocol')}"
                 for p in (status.get("PortStatus") or {}).get("Ports") or []]
        rows.append({
            "ID": _short(task.get("ID")),
            "Name": name,
            "Image": (((task.get("Spec") or {}).get("ContainerSpec") or {}).get("Image") or "").split("@", 1)[0],
            "Node": node_names.get(task.get("NodeID"), _short(task.get("NodeID"))),
            "DesiredState": str(task.get("DesiredState") or "").capitalize(),
            "CurrentState": str(status.get("State") or "").capitalize(),
            "Error": status.get("Err") or "",
            "Ports": ",".join(ports),
            "ServiceName": service,
            "TaskID": task.get("ID"),
            "NodeID": task.get("NodeID"),
        })
    return rows


def stack_info(module: t.Any) -> dict[str, t.Any]:
    api = module.api
    require_manager(api, "devops.docker.stack_info")
    label = {"label": [NAMESPACE_LABEL]}
    services = api.get("/services", {"filters": label}) or []
    secrets = api.get("/secrets", {"filters": label}) or []
    configs = api.get("/configs", {"filters": label}) or []
    results = stack_list(services, secrets, configs)
    return {"changed": False, "results": results, "actions": [cli("docker", "stack", "ls", "--format", "json")]}


def stack_task_info(module: t.Any) -> dict[str, t.Any]:
    api = module.api
    name = module.params["name"]
    require_manager(api, "devops.docker.stack_task_info")
    label = {"label": [f"{NAMESPACE_LABEL}={name}"]}
    services = api.get("/services", {"filters": label}) or []
    tasks = api.get("/tasks", {"filters": label}) or []
    nodes = api.get("/nodes") or []
    return {
        "changed": False,
        "results": task_rows(name, tasks, services, nodes),
        "actions": [cli("docker", "stack", "ps", "--no-trunc", "--format", "json", name)],
    }
