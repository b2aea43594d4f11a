# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``host_info``: the daemon's version and info, and the lists and disk usage the task asks for
(``docker version``, ``docker info``, ``docker ps/image ls/network ls/volume ls``, ``docker system df``)."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compat import host_info_filters
from ansible_collections.devops.docker.plugins.module_utils._info_actions import host_info_actions
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters

# The lists host_info returns on request, and where the Engine API lists them.
LISTS = {"containers": "/containers/json", "images": "/images/json", "networks": "/networks", "volumes": "/volumes"}

# A bool per list (and containers_all, disk_usage, verbose_output), the shared filters, filters per list.
HOST_INFO_ARGS: dict[str, dict[str, t.Any]] = {
    **{flag: {"type": "bool", "default": False} for flag in (*LISTS, "containers_all", "disk_usage", "verbose_output")},
    "filters": {"type": "dict"},
    **{f"{kind}_filters": {"type": "dict"} for kind in LISTS},
}


def unreachable_result(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """What a run that cannot talk to the daemon still returns."""
    return {"changed": False, "can_talk_to_docker": False, "actions": host_info_actions(params)}


class HostInfo(Manager):
    """Reads the host's facts (nothing to change, so check mode reads the same)."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.result = unreachable_result(self.params)

    def _filters(self, kind: str) -> dict[str, list[str]] | None:
        return api_filters(host_info_filters(self.params, kind))

    def run(self) -> dict[str, t.Any]:
        p, api, result = self.params, self.api, self.result
        result["version"] = api.get("/version")
        result["can_talk_to_docker"] = True
        result["info"] = api.get("/info")
        result["host_info"] = result["info"]
        for kind, path in LISTS.items():
            if p[kind]:
                query = {"filters": self._filters(kind), **({"all": p["containers_all"]} if kind == "containers" else {})}
                listed = api.get(path, query)
                result[kind] = (listed.get("Volumes") or []) if kind == "volumes" else listed
        if p["disk_usage"]:
            result["disk_usage"] = api.get("/system/df")
        return result
