# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The containers a network connects (``connected``): each endpoint's aliases, addresses and links, read
from a container's inspect data, compared with the task and merged for a reconnect.
"""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._network._table import _address, _canonical_address
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._networks import connect_flags, endpoint_config
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import normalize_link


ENDPOINT_KEYS = ("name", "aliases", "ipv4_address", "ipv6_address", "links")


@dataclass
class Endpoint:
    """One entry of ``connected``: a container and, optionally, how it is attached."""

    name: str
    aliases: list[str] | None = None
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    links: list[str] | None = None

    def endpoint_config(self) -> dict[str, t.Any]:
        return endpoint_config(vars(self))

    def cli_args(self) -> list[str]:
        return connect_flags(vars(self))

    def summary(self) -> dict[str, t.Any]:
        return {k: v for k, v in (("aliases", self.aliases), ("ipv4_address", self.ipv4_address),
                                  ("ipv6_address", self.ipv6_address), ("links", self.links)) if v}


def _str_list(value: t.Any, where: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise SpecError(f"{where}: expected a list of non-empty strings, got {value!r}.")
    return [str(v).strip() for v in value]


def _endpoint_address(entry: dict[str, t.Any], version: int, where: str) -> str | None:
    """ipv4_address / ipv6_address of a connected entry, checked and in canonical form."""
    key, other = (f"ipv{version}_address", f"ipv{10 - version}_address")
    value = entry.get(key)
    if not value:
        return value
    addr = _address(value, f"{where}.{key}")
    if addr.version != version:
        raise SpecError(f"{where}.{key}: {value!r} is not an IPv{version} address; use {other} for IPv{10 - version}.")
    return str(addr)


def parse_connected(entries: t.Any, option: str = "connected") -> list[Endpoint]:
    """Validate ``connected``: each item a container name or {name, aliases, ipv4_address, ipv6_address, links}."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise SpecError(f"{option}: expected a list of container names or {{name, aliases, ipv4_address}}, got {entries!r}.")
    out: list[Endpoint] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"{option}[{index}]"
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            raise SpecError(f"{where}: expected a container name or a dictionary with a name, got {entry!r}.")
        unknown = sorted(set(entry) - set(ENDPOINT_KEYS))
        if unknown:
            raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(ENDPOINT_KEYS)}.")
        name = str(entry.get("name") or "").strip()
        if not name:
            raise SpecError(f"{where}: the container name is missing; write name: <container>.")
        if name in seen:
            raise SpecError(f"{where}: container {name!r} is listed twice; merge its entries into one.")
        seen.add(name)
        ipv4 = _endpoint_address(entry, 4, where)
        ipv6 = _endpoint_address(entry, 6, where)
        links = _str_list(entry.get("links"), f"{where}.links")
        out.append(Endpoint(
            name=name,
            aliases=_str_list(entry.get("aliases"), f"{where}.aliases"),
            ipv4_address=ipv4 or None,
            ipv6_address=ipv6 or None,
            links=sorted(normalize_link(x) for x in links) if links is not None else None,
        ))
    return out


def check_addresses_in_ipam(endpoints: list[Endpoint], ipam: list[dict[str, t.Any]] | None, option: str = "connected") -> None:
    """A fixed address must lie in one of the network's subnets."""
    if not ipam:
        return
    subnets = [ipaddress.ip_network(c["subnet"]) for c in ipam]
    for ep in endpoints:
        for key in ("ipv4_address", "ipv6_address"):
            value = getattr(ep, key)
            if value and not any(ipaddress.ip_address(value) in s for s in subnets):
                raise SpecError(
                    f"{option}: {ep.name}.{key} {value} is outside the network's subnet(s) "
                    f"{', '.join(str(s) for s in subnets)}; pick an address inside one of them."
                )


def user_aliases(aliases: t.Any, container: dict[str, t.Any]) -> list[str]:
    """Aliases the user gave: without those the daemon adds itself (the short ID, the name)."""
    auto = {container.get("Id", "")[:12], container.get("Name", "").lstrip("/")}
    return sorted(a for a in aliases or [] if a not in auto)


def endpoint_from_container(container: dict[str, t.Any], network_name: str, network_id: str | None = None) -> Endpoint | None:
    """How a container is attached to a network, read from its inspect; None when it is not."""
    networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
    settings = networks.get(network_name)
    if settings is None and network_id:
        settings = next((s for s in networks.values() if s.get("NetworkID") == network_id), None)
    if settings is None:
        return None
    ipam = settings.get("IPAMConfig") or {}
    links = settings.get("Links")
    return Endpoint(
        name=container.get("Name", "").lstrip("/"),
        aliases=user_aliases(settings.get("Aliases"), container),
        ipv4_address=_canonical_address(ipam.get("IPv4Address")),
        ipv6_address=_canonical_address(ipam.get("IPv6Address")),
        links=sorted(normalize_link(str(x).lstrip("/")) for x in links) if links else [],
    )


def endpoint_differences(current: Endpoint | None, desired: Endpoint) -> list[str]:
    """Which of the given endpoint settings differ ('connected' when not attached at all)."""
    if current is None:
        return ["connected"]
    diffs = []
    if desired.aliases is not None and sorted(set(desired.aliases)) != sorted(set(current.aliases or [])):
        diffs.append("aliases")
    for key in ("ipv4_address", "ipv6_address"):
        if getattr(desired, key) is not None and getattr(desired, key) != getattr(current, key):
            diffs.append(key)
    if desired.links is not None and sorted(desired.links) != sorted(current.links or []):
        diffs.append("links")
    return diffs


def merge_endpoint(saved: Endpoint, desired: Endpoint | None) -> Endpoint:
    """For a reconnection after recreate: what the task gives wins, the rest is kept."""
    if desired is None:
        return saved
    return Endpoint(
        name=saved.name,
        aliases=desired.aliases if desired.aliases is not None else saved.aliases,
        ipv4_address=desired.ipv4_address if desired.ipv4_address is not None else saved.ipv4_address,
        ipv6_address=desired.ipv6_address if desired.ipv6_address is not None else saved.ipv6_address,
        links=desired.links if desired.links is not None else saved.links,
    )
