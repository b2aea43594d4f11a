# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A project's containers and images as ``docker compose ps --format json`` and ``docker compose images
--format json`` show them (what community.docker's docker_compose_v2 returns), from the container list the
manager already has (``GET /containers/json``) and one image list: no request per container; and the run's
``actions`` in community.docker's ``{what, id, status}`` shape."""

from __future__ import annotations

import re
import shlex
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._spec import summary_name
from ansible_collections.devops.docker.plugins.module_utils._values._images import is_image_id, parse_image_name
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

Summary = t.Dict[str, t.Any]

_EXIT = re.compile(r"^Exited \((-?\d+)\)")
_HEALTH = re.compile(r"\((healthy|unhealthy|health: starting)\)")


def running_for(created: float, now: float) -> str:
    """The CLI's "RunningFor": how long ago the container was created, in its words."""
    seconds = max(0, int(now - created))
    for size, unit in ((365 * 86400, "year"), (30 * 86400, "month"), (7 * 86400, "week"), (86400, "day"),
                       (3600, "hour"), (60, "minute")):
        if seconds >= 2 * size:
            return f"{seconds // size} {unit}s ago"
        if seconds >= size:
            return f"About {'an' if unit == 'hour' else 'a'} {unit} ago"
    return "Less than a second ago" if seconds < 1 else f"{seconds} seconds ago"


def publishers(summary: Summary) -> list[dict[str, t.Any]]:
    return sorted(
        ({"URL": port.get("IP") or "", "TargetPort": port.get("PrivatePort") or 0,
          "PublishedPort": port.get("PublicPort") or 0, "Protocol": port.get("Type") or "tcp"}
         for port in summary.get("Ports") or []),
        key=lambda item: (item["TargetPort"], item["Protocol"], item["URL"], item["PublishedPort"]),
    )


def ports_text(items: list[dict[str, t.Any]]) -> str:
    """The CLI's "Ports" column: ``0.0.0.0:8080->80/tcp, 80/tcp``."""
    words = []
    for item in items:
        target = f"{item['TargetPort']}/{item['Protocol']}"
        if item["PublishedPort"]:
            host = f"[{item['URL']}]" if ":" in item["URL"] else item["URL"]
            words.append(f"{host}:{item['PublishedPort']}->{target}")
        elif target not in words:
            words.append(target)
    return ", ".join(words)


def ps_entry(summary: Summary, project: str, service: str, now: float | None = None) -> dict[str, t.Any]:
    """One ``docker compose ps --format json`` entry of a listed container."""
    now = time.time() if now is None else now
    status = summary.get("Status") or ""
    exited = _EXIT.match(status)
    health = _HEALTH.search(status)
    mounts = summary.get("Mounts") or []
    published = publishers(summary)
    command = summary.get("Command") or ""
    return {
        "Command": f'"{command}"' if command else "",
        "CreatedAt": time.strftime("%Y-%m-%d %H:%M:%S +0000 UTC", time.gmtime(summary.get("Created") or 0)),
        "ExitCode": int(exited.group(1)) if exited else 0,
        "Health": health.group(1).replace("health: ", "") if health else "",
        "ID": summary.get("Id"),
        "Image": summary.get("Image"),
        "Labels": dict(summary.get("Labels") or {}),
        "LocalVolumes": str(sum(1 for m in mounts if m.get("Type") == "volume" and m.get("Driver", "local") == "local")),
        "Mounts": ",".join(m.get("Name") or m.get("Source") or "" for m in mounts),
        "Name": summary_name(summary),
        "Names": [name.lstrip("/") for name in summary.get("Names") or []],
        "Networks": sorted(((summary.get("NetworkSettings") or {}).get("Networks") or {})),
        "Ports": ports_text(published),
        "Project": project,
        "Publishers": published,
        "RunningFor": running_for(summary.get("Created") or now, now),
        "Service": service,
        "Size": "0B",
        "State": summary.get("State"),
        "Status": status,
    }


def image_entries(summaries: list[Summary], images: list[dict[str, t.Any]]) -> list[dict[str, t.Any]]:
    """``docker compose images --format json``: per container, the image it runs (repository, tag, ID, size)."""
    sizes = {image.get("Id"): image.get("Size") for image in images}
    entries = []
    for summary in summaries:
        ref = summary.get("Image") or ""
        repository, tag = "<none>", "<none>"
        if ref and not is_image_id(ref) and not ref.startswith("sha256:"):
            try:
                name = parse_image_name(ref)
                repository, tag = name.repository, name.tag or ("<none>" if name.digest else "latest")
            except SpecError:
                repository = ref
        entries.append({
            "ContainerName": summary_name(summary),
            "Repository": repository,
            "Tag": tag,
            "ID": summary.get("ImageID"),
            "Size": sizes.get(summary.get("ImageID"), 0),
        })
    return sorted(entries, key=lambda item: item["ContainerName"])


# docker <kind> <verb>: community.docker's status words (the Compose CLI's progress events)
STATUS = {"create": "Creating", "run": "Creating", "start": "Starting", "stop": "Stopping", "rm": "Removing",
          "kill": "Killing", "restart": "Restarting", "rename": "Recreating", "update": "Recreating",
          "connect": "Recreating", "disconnect": "Recreating", "pull": "Pulling", "build": "Building",
          "tag": "Building", "pause": "Stopping", "unpause": "Starting"}
KINDS = ("container", "network", "volume", "image")


def compose_events(actions: list[str]) -> list[dict[str, str]]:
    """Our docker CLI actions as community.docker's ``{what, id, status}`` list (one per action)."""
    events = []
    for action in actions:
        try:
            argv = shlex.split(action)
        except ValueError:
            argv = action.split()
        kind = argv[1] if len(argv) > 2 and argv[1] in KINDS else "unknown"
        verb = argv[2] if len(argv) > 2 else ""
        ident = argv[-1] if argv else ""
        if "--name" in argv[:-1]:
            ident = argv[argv.index("--name") + 1]
        elif kind == "image" and verb == "build":
            tags = [argv[i + 1] for i, word in enumerate(argv[:-1]) if word in ("-t", "--tag")]
            ident = tags[0] if tags else ident
        elif kind in ("network", "container") and verb in ("connect", "disconnect") and len(argv) > 4:
            ident = argv[-1]
        events.append({"what": kind, "id": ident, "status": STATUS.get(verb, "")})
    return events


def shape_actions(params: dict[str, t.Any], result: dict[str, t.Any]) -> None:
    """``actions_format: compose``: the result's actions in community.docker's shape (compose, compose_pull)."""
    if params.get("actions_format") == "compose":
        result["actions"] = compose_events(result.get("actions") or [])
