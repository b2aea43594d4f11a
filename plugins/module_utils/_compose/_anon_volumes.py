# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The anonymous volumes a recreated service container keeps, as ``docker compose up`` does.

When the Compose CLI replaces a container, each anonymous volume of the old container whose path is still
an anonymous-volume path of the service (an image ``VOLUME``, or a ``volumes`` entry with no source) is
mounted into the new container at the same path, by the volume's name: its data survives the recreate.
``docker compose up --renew-anon-volumes`` (the module's ``renew_anon_volumes``) gives fresh ones instead;
the CLI leaves the old ones dangling, and so does the module.  A path the service now binds, mounts from a
named volume or covers with a tmpfs takes the new configuration.

An anonymous volume is one whose name is a 64-hex ID and that the project does not declare (Engine 20.10
has no ``com.docker.volume.anonymous`` label; later engines keep the same random names).
"""

from __future__ import annotations

import posixpath
import re
import typing as t

ANONYMOUS_NAME = re.compile(r"[0-9a-f]{64}")


def anonymous_candidates(summary: dict[str, t.Any] | None, named: t.Collection[str]) -> list[dict[str, t.Any]]:
    """The volume mounts of a listed container (``GET /containers/json`` entry, or an inspect) that look
    anonymous: a 64-hex name the project does not declare as a named volume."""
    found = []
    for mount in (summary or {}).get("Mounts") or []:
        name = mount.get("Name") or ""
        if mount.get("Type") == "volume" and ANONYMOUS_NAME.fullmatch(name) and name not in named:
            found.append(mount)
    return found


def anonymous_paths(svc: dict[str, t.Any], covered: t.Iterable[str],
                    image_volumes: t.Iterable[str] | None) -> dict[str, dict[str, t.Any] | None]:
    """{container path: the service's volumes entry (None for an image VOLUME)} of the paths the service gives
    an anonymous volume.  ``covered``: other paths the container mounts something at (secrets, configs)."""
    taken = {posixpath.normpath(p) for p in covered}
    taken.update(posixpath.normpath(str(entry).split(":", 1)[0]) for entry in svc.get("tmpfs") or [])
    paths: dict[str, dict[str, t.Any] | None] = {}
    for vol in svc.get("volumes") or []:
        target = posixpath.normpath(vol["target"])
        if vol["type"] == "volume" and not vol.get("source") and not vol.get("subpath"):
            paths[target] = vol
        else:
            taken.add(target)
    for path in image_volumes or ():
        target = posixpath.normpath(path)
        if target not in paths:
            paths[target] = None
    return {path: vol for path, vol in paths.items() if path not in taken}


def carried_mounts(candidates: t.Iterable[dict[str, t.Any]],
                   paths: t.Mapping[str, dict[str, t.Any] | None]) -> list[dict[str, t.Any]]:
    """The ``mounts`` entries (the container module's option) that mount each candidate volume at its path in
    the new container, for the paths that are still anonymous-volume paths (``anonymous_paths``).  Read-only and
    nocopy come from the service's entry; an image VOLUME keeps the old mount's mode, as the CLI does."""
    mounts = []
    seen = set()
    for old in candidates:
        target = posixpath.normpath(old.get("Destination") or "/")
        if target not in paths or target in seen:
            continue
        seen.add(target)
        mount: dict[str, t.Any] = {"type": "volume", "source": old["Name"], "target": target}
        vol = paths[target]
        read_only = vol["read_only"] if vol is not None else old.get("RW") is False
        if read_only:
            mount["read_only"] = True
        if vol is not None and vol.get("nocopy"):
            mount["no_copy"] = True
        mounts.append(mount)
    return sorted(mounts, key=lambda m: m["target"])


def volumes_by_name(inspect: dict[str, t.Any]) -> set[tuple[str, str]]:
    """(volume name, container path) of each volume an inspected container mounts by name (``HostConfig.Mounts``,
    what a recreate that carried its anonymous volumes wrote)."""
    return {(m.get("Source"), posixpath.normpath(m.get("Target") or "/"))
            for m in (inspect.get("HostConfig") or {}).get("Mounts") or [] if (m.get("Type") or "volume") == "volume"}


def mounted_by_name(inspect: dict[str, t.Any], candidates: t.Iterable[dict[str, t.Any]],
                    paths: t.Mapping[str, dict[str, t.Any] | None]) -> list[dict[str, t.Any]]:
    """Of ``carried_mounts``, those the container already has as a ``HostConfig.Mounts`` entry by name (an
    earlier recreate carried them): what the container is, so that it is not compared as drift."""
    by_name = volumes_by_name(inspect)
    return [m for m in carried_mounts(candidates, paths) if (m["source"], m["target"]) in by_name]
