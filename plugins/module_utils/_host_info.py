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

HOST_INFO_ARGS: dict[str, dict[str, t.Any]] = {
    "containers": {"type": "bool", "default": False},
    "containers_all": {"type": "bool", "default": False},
    "images": {"type": "bool", "default": False},
    "networks": {"type": "bool", "default": False},
    "volumes": {"type": "bool", "default": False},
    "disk_usage": {"type": "bool", "default": False},
    "filters": {"type": "dict"},
    "containers_filters": {"type": "dict"},
    "images_filters": {"type": "dict"},
    "networks_filters": {"type": "dict"},
    "volumes_filters": {"type": "dict"},
    "verbose_output": {"type": "bool", "default": False},
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
        if p["containers"]:
            result["containers"] = api.get("/containers/json", {"all": p["containers_all"], "filters": self._filters("containers")})
        if p["images"]:
            result["images"] = api.get("/images/json", {"filters": self._filters("images")})
        if p["networks"]:
            result["networks"] = api.get("/networks", {"filters": self._filters("networks")})
        if p["volumes"]:
            result["volumes"] = api.get("/volumes", {"filters": self._filters("volumes")}).get("Volumes") or []
        if p["disk_usage"]:
            result["disk_usage"] = api.get("/system/df")
        return result
