# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pure helpers of the devops.docker.containers inventory plugin.

They turn one entry of ``GET /containers/json`` into host variables and
default group names, and apply the name patterns; no daemon, no Ansible
inventory object, so they are unit-tested directly.
"""

from __future__ import annotations

import fnmatch
import re
import typing as t

COMPOSE_PROJECT = "com.docker.compose.project"
COMPOSE_SERVICE = "com.docker.compose.service"

# Connection options of a daemon, as the inventory file names them, and the
# variable the devops.docker.docker connection plugin reads each from.
CONNECTION_VARS = {
    "docker_host": "ansible_docker_docker_host",
    "tls": "ansible_docker_tls",
    "validate_certs": "ansible_docker_validate_certs",
    "ca_path": "ansible_docker_ca_path",
    "client_cert": "ansible_docker_client_cert",
    "client_key": "ansible_docker_client_key",
    "api_version": "ansible_docker_api_version",
    "timeout": "ansible_docker_timeout",
}

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def safe_group_name(name: str) -> str:
    """A group name Ansible accepts as is: letters, digits, underscores, not starting with a digit."""
    name = _UNSAFE.sub("_", name)
    if not name or name[0].isdigit():
        name = "_" + name
    return name


def container_name(entry: dict[str, t.Any]) -> str:
    """The container's name without the leading slash (the first of Names, not a link alias)."""
    names = entry.get("Names") or []
    direct = [n for n in names if n.count("/") == 1] or names
    return direct[0].lstrip("/") if direct else entry["Id"][:12]


def name_selected(name: str, include: list[str] | None, exclude: list[str] | None) -> bool:
    """Shell-style patterns: kept when it matches one of include (or include is empty), and none of exclude."""
    if include and not any(fnmatch.fnmatchcase(name, pattern) for pattern in include):
        return False
    return not any(fnmatch.fnmatchcase(name, pattern) for pattern in exclude or [])


def api_filters(running_only: bool, label_filters: list[str] | None, filters: dict[str, t.Any] | None) -> dict[str, list[str]]:
    """The filters argument of GET /containers/json."""
    result: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        result[key] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    if label_filters:
        result.setdefault("label", []).extend(str(label) for label in label_filters)
    if running_only:
        result["status"] = ["running"]
    return result


def _ports(entry: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    ports = []
    for port in entry.get("Ports") or []:
        ports.append({
            "container_port": port.get("PrivatePort"),
            "protocol": port.get("Type", "tcp"),
            "host_ip": port.get("IP"),
            "host_port": port.get("PublicPort"),
        })
    return sorted(ports, key=lambda p: (p["container_port"] or 0, p["protocol"], p["host_ip"] or "", p["host_port"] or 0))


def _networks(entry: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    networks = {}
    for name, net in sorted(((entry.get("NetworkSettings") or {}).get("Networks") or {}).items()):
        net = net or {}
        networks[name] = {
            "ip_address": net.get("IPAddress") or None,
            "ip_prefix_len": net.get("IPPrefixLen") or None,
            "gateway": net.get("Gateway") or None,
            "ipv6_address": net.get("GlobalIPv6Address") or None,
            "mac_address": net.get("MacAddress") or None,
            "network_id": net.get("NetworkID"),
        }
    return networks


def _health(status: str) -> str | None:
    match = re.search(r"\((healthy|unhealthy|health: starting)\)", status or "")
    if not match:
        return None
    return "starting" if match.group(1) == "health: starting" else match.group(1)


def host_vars(entry: dict[str, t.Any], daemon: dict[str, t.Any], connection_vars: bool = True) -> dict[str, t.Any]:
    """Host variables for one container of GET /containers/json on the daemon ``daemon``.

    ``daemon`` holds the connection options of that daemon (docker_host, tls...)
    and its ``name`` in the inventory.
    """
    name = container_name(entry)
    labels = dict(entry.get("Labels") or {})
    networks = _networks(entry)
    hv: dict[str, t.Any] = {
        "docker_id": entry["Id"],
        "docker_short_id": entry["Id"][:12],
        "docker_name": name,
        "docker_image": entry.get("Image"),
        "docker_image_id": entry.get("ImageID"),
        "docker_command": entry.get("Command"),
        "docker_created": entry.get("Created"),
        "docker_state": entry.get("State"),
        "docker_status": entry.get("Status"),
        "docker_health": _health(entry.get("Status") or ""),
        "docker_labels": labels,
        "docker_networks": networks,
        "docker_network_mode": (entry.get("HostConfig") or {}).get("NetworkMode"),
        "docker_ip_addresses": [net["ip_address"] for net in networks.values() if net["ip_address"]],
        "docker_ports": _ports(entry),
        "docker_mounts": [
            {k: m.get(v) for k, v in (("type", "Type"), ("source", "Source"), ("name", "Name"),
                                      ("destination", "Destination"), ("rw", "RW"))}
            for m in entry.get("Mounts") or []
        ],
        "docker_compose_project": labels.get(COMPOSE_PROJECT),
        "docker_compose_service": labels.get(COMPOSE_SERVICE),
        "docker_daemon": daemon.get("name"),
        "docker_daemon_host": daemon.get("docker_host"),
    }
    if connection_vars:
        hv["ansible_connection"] = "devops.docker.docker"
        hv["ansible_host"] = name
        for option, var in CONNECTION_VARS.items():
            value = daemon.get(option)
            if value is not None and not (option == "api_version" and value == "auto"):
                hv[var] = value
    return hv


def default_groups(hv: dict[str, t.Any], group_by_labels: list[str] | None = None) -> list[str]:
    """Group names for a host: by daemon, state, image, network, Compose project and service, chosen labels."""
    groups = []
    if hv.get("docker_daemon"):
        groups.append("docker_daemon_" + str(hv["docker_daemon"]))
    if hv.get("docker_state"):
        groups.append("docker_state_" + str(hv["docker_state"]))
    if hv.get("docker_image"):
        groups.append("docker_image_" + str(hv["docker_image"]))
    for network in hv.get("docker_networks") or {}:
        groups.append("docker_network_" + network)
    project = hv.get("docker_compose_project")
    if project:
        groups.append("compose_project_" + project)
        if hv.get("docker_compose_service"):
            groups.append(f"compose_service_{project}_{hv['docker_compose_service']}")
    labels = hv.get("docker_labels") or {}
    for key in group_by_labels or []:
        if key in labels:
            groups.append(f"docker_label_{key}_{labels[key]}" if labels[key] else f"docker_label_{key}")
    seen: list[str] = []
    for group in (safe_group_name(g) for g in groups):
        if group not in seen:
            seen.append(group)
    return seen


def hostname(hv: dict[str, t.Any], style: str, prefix: str = "") -> str:
    """The inventory name of a container: its name, full ID or short ID, with an optional prefix."""
    value = {"name": hv["docker_name"], "id": hv["docker_id"], "short_id": hv["docker_short_id"]}[style]
    return f"{prefix}{value}"
