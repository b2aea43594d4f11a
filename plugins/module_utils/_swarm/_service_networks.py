# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A service's networks: the task's entries (names or {name, aliases}) read, then resolved to the swarm's
overlay networks (TaskTemplate.Networks)."""

from __future__ import annotations

import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import check_keys, string_map


def parse_network_refs(value: t.Any, option: str = "networks") -> list[dict[str, t.Any]] | None:
    """networks: names or {name, aliases, options} -> [{name, aliases, options}] (options: the attachment's
    driver options, community.docker's networks[].options)."""
    if value is None:
        return None
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            item = {"name": item}
        item = check_keys(item, {"name", "aliases", "options"}, f"{option}[{i}]")
        if not item.get("name"):
            raise SpecError(f"{option}[{i}]: a network entry needs a name.")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise SpecError(f"{option}[{i}].aliases: expected a list of names.")
        out.append({"name": str(item["name"]), "aliases": [str(a) for a in aliases],
                    "options": string_map(item.get("options"), f"{option}[{i}].options") or {}})
    return out


def _driver_opts(ref: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"DriverOpts": dict(ref["options"])} if ref.get("options") else {}


def inspect_swarm_network(api: t.Any, name: str, tries: int = 20, pause: float = 0.25,
                          sleep: t.Callable[[float], None] = time.sleep) -> dict[str, t.Any] | None:
    """GET /networks/NAME; a swarm-scope network the swarm allocator has not processed yet shows no Driver (seen right
    after a stack created its network, on a busy manager): asked again, up to ``tries`` times, until it has one."""
    net = api.inspect_network(name)
    for _attempt in range(tries - 1):
        if net is None or net.get("Driver") or net.get("Scope") != "swarm":
            break
        sleep(pause)
        net = api.inspect_network(name)
    return net


def resolve_networks(api: t.Any, refs: list[dict[str, t.Any]], service: str,
                     planned: dict[str, str] | None = None) -> list[dict[str, t.Any]]:
    """Network names -> TaskTemplate.Networks; each must exist and be an overlay network (swarm scope).

    ``planned`` maps names of networks that do not exist yet but will be created (check mode of a stack) to a
    placeholder ID.
    """
    out = []
    for ref in refs:
        net = inspect_swarm_network(api, ref["name"])
        if net is None:
            if planned and ref["name"] in planned:
                out.append({"Target": planned[ref["name"]], "Aliases": ref["aliases"], **_driver_opts(ref)})
                continue
            raise DockerError(
                f"networks: network {ref['name']} does not exist; create it first with devops.docker.network "
                f"(driver: overlay) on a manager. Service {service} was not changed."
            )
        if net.get("Driver") != "overlay" or net.get("Scope") != "swarm":
            raise DockerError(
                f"networks: {ref['name']} is a {net.get('Driver')} network (scope {net.get('Scope')}); a swarm service can "
                f"only join overlay networks: create one with devops.docker.network driver: overlay. Service {service} "
                "was not changed."
            )
        entry: dict[str, t.Any] = {"Target": net["Id"]}
        if ref["aliases"]:
            entry["Aliases"] = ref["aliases"]
        entry.update(_driver_opts(ref))
        out.append(entry)
    return out
