# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``network_info``: networks by name or filters, with the containers attached.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._network._endpoints import user_aliases
from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters


def attached_summary(api: t.Any, network: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The containers attached to a network (running or stopped), with aliases and addresses."""
    listed = api.get("/containers/json", {"all": True, "filters": {"network": [network["Name"], network["Id"]]}}) or []
    endpoints = network.get("Containers") or {}
    out = []
    for item in listed:
        info = api.inspect_container(item["Id"])
        if info is None:
            continue
        networks = (info.get("NetworkSettings") or {}).get("Networks") or {}
        settings = networks.get(network["Name"]) or next(
            (s for s in networks.values() if s.get("NetworkID") == network["Id"]), {}
        )
        ipam = settings.get("IPAMConfig") or {}
        endpoint = endpoints.get(info["Id"]) or {}
        out.append({
            "Name": info["Name"].lstrip("/"),
            "Id": info["Id"],
            "State": (info.get("State") or {}).get("Status"),
            "Aliases": user_aliases(settings.get("Aliases"), info),
            "IPv4Address": settings.get("IPAddress") or (endpoint.get("IPv4Address") or "").split("/")[0] or None,
            "IPv6Address": settings.get("GlobalIPv6Address") or (endpoint.get("IPv6Address") or "").split("/")[0] or None,
            "MacAddress": settings.get("MacAddress") or endpoint.get("MacAddress") or None,
            "FixedIPv4Address": ipam.get("IPv4Address") or None,
            "FixedIPv6Address": ipam.get("IPv6Address") or None,
            "Links": settings.get("Links") or [],
        })
    return sorted(out, key=lambda c: c["Name"])


def network_info(module: t.Any) -> dict[str, t.Any]:
    """``network_info``: one network by name, or many by filters."""
    api = module.api
    params = module.params
    name = params.get("name")
    with_containers = params.get("containers", True)
    if name:
        network = api.inspect_network(name)
        if network is not None and with_containers:
            network["AttachedContainers"] = attached_summary(api, network)
        return {"changed": False, "exists": network is not None, "network": network,
                "networks": [network] if network else []}
    filters = api_filters(params.get("filters"))
    listed = api.get("/networks", {"filters": filters}) or []
    networks = []
    for item in sorted(listed, key=lambda n: n.get("Name", "")):
        network = api.inspect_network(item["Id"]) if with_containers else item
        if network is None:
            continue
        if with_containers:
            network["AttachedContainers"] = attached_summary(api, network)
        networks.append(network)
    return {"changed": False, "networks": networks}
