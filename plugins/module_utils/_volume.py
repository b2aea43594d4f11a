# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Volumes: comparison and the manager behind ``volume`` and ``volume_info``.

A volume holds data, so a configuration mismatch never destroys it silently:
with ``recreate: never`` (the default) the module fails and names the
differing options; ``recreate: options-changed`` removes and creates the
volume again, and only when no container uses it.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager, require_driver
from ansible_collections.devops.docker.plugins.module_utils._engine import Option, Pair, given, plan
from ansible_collections.devops.docker.plugins.module_utils._engine import create_body as engine_body
from ansible_collections.devops.docker.plugins.module_utils._engine import create_cli as engine_cli
from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters
from ansible_collections.devops.docker.plugins.module_utils._limits import check_no_nul, check_volume_name
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map

VOLUME_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True, "aliases": ["volume_name"]},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "driver": {"type": "str"},
    "driver_options": {"type": "dict", "aliases": ["options"]},
    "labels": {"type": "dict"},
    "recreate": {"type": "str", "default": "never", "choices": ["never", "options-changed", "keep", "always"]},
}
VOLUME_INFO_ARGS: dict[str, t.Any] = {"name": {"type": "str", "aliases": ["volume_name"]}, "filters": {"type": "dict"}}


def _mapping_flags(flag: str, key: str) -> t.Callable[[Pair], list[str]]:
    return lambda ctx: [x for k, v in sorted((ctx.wanted.get(key) or {}).items()) for x in (flag, f"{k}={v}")]


# The volume's option table: nothing changes in place, so every difference means a new volume.
VOLUME_OPTIONS: tuple[Option, ...] = (
    Option("driver", read=lambda ctx: ctx.current.get("Driver"), want=given("driver"),
           body=lambda ctx, body: body.update(Driver=ctx.wanted.get("driver") or "local"),
           cli=lambda ctx: ["--driver", ctx.wanted.get("driver") or "local"]),
    Option("driver_options", read=lambda ctx: dict(ctx.current.get("Options") or {}), want=given("driver_options"),
           body=lambda ctx, body: body.update(DriverOpts=ctx.wanted.get("driver_options") or {}),
           cli=_mapping_flags("--opt", "driver_options")),
    Option("labels", read=lambda ctx: dict(ctx.current.get("Labels") or {}), want=given("labels"),
           body=lambda ctx, body: body.update(Labels=ctx.wanted.get("labels") or {}),
           cli=_mapping_flags("--label", "labels")),
)


def volume_differences(volume: dict[str, t.Any], desired: dict[str, t.Any]) -> list[tuple[str, t.Any, t.Any]]:
    """Differences between an existing volume and the task; None in ``desired`` means 'not compared'."""
    return [(d.option, d.before, d.after) for d in plan(VOLUME_OPTIONS, Pair(volume, desired))]


def volume_summary(volume: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    if volume is None:
        return None
    return {
        "driver": volume.get("Driver"),
        "driver_options": dict(volume.get("Options") or {}),
        "labels": dict(volume.get("Labels") or {}),
    }


def desired_volume_summary(desired: dict[str, t.Any], current: dict[str, t.Any] | None) -> dict[str, t.Any]:
    base = dict(current or {"driver": "local", "driver_options": {}, "labels": {}})
    for key, value in desired.items():
        if value is not None:
            base[key] = value
    return base


def create_body(name: str, desired: dict[str, t.Any]) -> dict[str, t.Any]:
    return engine_body(VOLUME_OPTIONS, Pair({}, desired), {"Name": name})


def create_cli(name: str, desired: dict[str, t.Any]) -> list[str]:
    return ["docker", "volume", "create", *engine_cli(VOLUME_OPTIONS, Pair({}, desired)), name]


def containers_using(api: t.Any, name: str) -> list[str]:
    """Names of the containers (running or not) that mount the volume."""
    listed = api.get("/containers/json", {"all": True, "filters": {"volume": [name]}}) or []
    return sorted((c.get("Names") or ["/" + c.get("Id", "")[:12]])[0].lstrip("/") for c in listed)


class VolumeManager(Manager):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        # the daemon's rule (a name is required), before any request
        self.name: str = check_volume_name((p["name"] or "").strip(), "name", p.get("driver"))
        check_no_nul({"labels": p.get("labels"), "driver_options": p.get("driver_options")}, "volume")
        self.state: str = p["state"]
        self.recreate: str = p["recreate"]
        self.desired = {
            "driver": p.get("driver"),
            "driver_options": string_map(p.get("driver_options"), "driver_options"),
            "labels": string_map(p.get("labels"), "labels"),
        }

    def run(self) -> dict[str, t.Any]:
        volume = self.api.inspect_volume(self.name)
        if self.state == "absent":
            self.absent(volume)
        else:
            self.present(volume)
        if self.tracker.changed and not self.check_mode:
            volume = self.api.inspect_volume(self.name) if self.state == "present" else None
        result = self.tracker.result(volume=volume)
        return result

    def absent(self, volume: dict[str, t.Any] | None) -> None:
        if volume is None:
            return
        users = containers_using(self.api, self.name)
        if users:
            raise DockerError(
                f"volume {self.name} is in use by container(s) {', '.join(users)} (running or stopped), so it cannot be "
                "removed; remove those containers first (devops.docker.container with state: absent). Nothing was changed."
            )
        self.tracker.add("volume", volume_summary(volume), None)
        self.tracker.action("docker", "volume", "rm", self.name)
        if not self.check_mode:
            self._remove()

    def check_driver(self) -> None:
        """Before creating: the driver must be installed (checked in check mode too)."""
        driver = self.desired.get("driver")
        if not driver or driver == "local":
            return
        require_driver(self.api, self.api.get("/info") or {}, "Volume", driver, f"volume {self.name}")

    def present(self, volume: dict[str, t.Any] | None) -> None:
        if volume is None:
            self.check_driver()
            self.tracker.add("volume", None, desired_volume_summary(self.desired, None))
            self.tracker.action(*create_cli(self.name, self.desired))
            if not self.check_mode:
                self._create()
            return
        diffs = volume_differences(volume, self.desired)
        if self.recreate == "always" and not diffs:  # community.docker's always: recreated on every run
            diffs = [("recreate", "always", "always")]
        if not diffs:
            return
        described = "; ".join(f"{key}: {before!r} -> {after!r}" for key, before, after in diffs)
        if self.recreate == "keep":  # community.docker's never: the volume stays as it is, no change
            self.warn(f"volume {self.name} exists with different options ({described}); kept as it is (recreate: keep).")
            return
        if self.recreate not in ("options-changed", "always"):
            raise DockerError(
                f"volume {self.name} exists with different options: {described}. Docker cannot change a volume in place "
                "and recreating it deletes its data, so nothing was changed. Change the task to match, or set "
                "recreate: options-changed to remove the volume (and its data) and create it anew."
            )
        users = containers_using(self.api, self.name)
        if users:
            raise DockerError(
                f"volume {self.name} must be recreated ({described}) but is in use by container(s) {', '.join(users)}; "
                "remove those containers first. Nothing was changed."
            )
        self.check_driver()
        for key, before, after in diffs:
            self.tracker.add(f"volume.{key}", before, after)
        self.tracker.action("docker", "volume", "rm", self.name)
        self.tracker.action(*create_cli(self.name, self.desired))
        if not self.check_mode:
            self._remove()
            self._create()

    def _create(self) -> None:
        try:
            self.api.post("/volumes/create", body=create_body(self.name, self.desired))
        except APIError as exc:
            text = exc.explanation
            if "plugin" in text.lower() and "not found" in text.lower():
                info = self.api.get("/info") or {}
                available = ", ".join(sorted((info.get("Plugins") or {}).get("Volume") or []))
                raise DockerError(
                    f"volume {self.name}: driver {self.desired.get('driver')} is not installed on this engine; "
                    f"available: {available}. (daemon: {text})"
                ) from exc
            raise DockerError(f"Creating volume {self.name} failed: {text}") from exc

    def _remove(self) -> None:
        try:
            self.api.delete(self.api.url("/volumes/{0}", self.name))
        except APIError as exc:
            raise DockerError(f"Removing volume {self.name} failed: {exc.explanation}") from exc


def volume_info(module: t.Any) -> dict[str, t.Any]:
    """``volume_info``: one volume by name, or many by filters, each with UsedBy."""
    api = module.api
    params = module.params
    name = params.get("name")
    users: dict[str, list[str]] = {}
    containers = api.get("/containers/json", {"all": True}) or []
    for container in containers:
        cname = (container.get("Names") or ["/" + container.get("Id", "")[:12]])[0].lstrip("/")
        for mount in container.get("Mounts") or []:
            if mount.get("Type") == "volume" and mount.get("Name"):
                users.setdefault(mount["Name"], []).append(cname)

    def decorate(volume: dict[str, t.Any]) -> dict[str, t.Any]:
        volume["UsedBy"] = sorted(set(users.get(volume.get("Name", ""), [])))
        return volume

    if name:
        volume = api.inspect_volume(name)
        if volume is not None:
            decorate(volume)
        return {"changed": False, "exists": volume is not None, "volume": volume, "volumes": [volume] if volume else []}
    filters = api_filters(params.get("filters"))
    listed = (api.get("/volumes", {"filters": filters}) or {}).get("Volumes") or []
    return {"changed": False, "volumes": [decorate(v) for v in sorted(listed, key=lambda v: v.get("Name", ""))]}
