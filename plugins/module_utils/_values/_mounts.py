# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Volumes (``-v``), mounts (``--mount``) and tmpfs: parsed into API objects, normalized for
comparison, and shown as CLI text, for containers, services and Compose alike."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size

VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
_VOLUME_MODES = {
    "ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated",
    "shared", "rshared", "slave", "rslave", "private", "rprivate",
}
_VOLUME_HELP = (
    "write it like the -v option of docker run: 'NAME:/path' (named volume), '/host/path:/path' or "
    "'./relative:/path' (bind mount), '/path' (anonymous volume), with an optional ':ro' or ':rw'"
)


@dataclass(frozen=True)
class VolumeSpec:
    kind: str  # "volume", "bind" or "anonymous"
    source: str  # volume name or absolute host path ('' for anonymous)
    target: str
    modes: tuple[str, ...] = ()

    @property
    def read_only(self) -> bool:
        return "ro" in self.modes

    def bind(self) -> str:
        """The HostConfig.Binds entry ('rw' is the default and left out)."""
        text = f"{self.source}:{self.target}"
        return f"{text}:{','.join(self.modes)}" if self.modes else text


def _volume_modes(text: str, value: t.Any, option: str) -> tuple[str, ...]:
    modes = [m for m in text.split(",") if m]
    for mode in modes:
        if mode not in _VOLUME_MODES:
            raise SpecError(
                f"{option}: {value!r} has an unknown mode {mode!r}; use ro or rw (and optionally z, Z, nocopy or a "
                "propagation like rshared)."
            )
    if "ro" in modes and "rw" in modes:
        raise SpecError(f"{option}: {value!r} is both 'ro' and 'rw'; choose one.")
    return tuple(sorted(set(modes) - {"rw"}))


def parse_volume(value: t.Any, option: str = "volumes", base_dir: str | None = None) -> VolumeSpec:
    """One ``-v`` spec; relative bind sources are resolved against base_dir (default: the working directory)."""
    import os.path  # pylint: disable=import-outside-toplevel

    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{option}: {value!r} is not a volume spec; {_VOLUME_HELP}.")
    text = value.strip()
    parts = text.split(":")
    if len(parts) > 3:
        raise SpecError(f"{option}: {value!r} has too many ':'; {_VOLUME_HELP}.")
    source, modes = "", ""
    if len(parts) == 1:
        target = parts[0]
    elif len(parts) == 2:
        if parts[1].startswith("/"):
            source, target = parts
        else:
            target, modes = parts
    else:
        source, target, modes = parts
    if not target.startswith("/"):
        raise SpecError(f"{option}: {value!r}: the container path {target!r} must be absolute; {_VOLUME_HELP}.")
    if target.rstrip("/") == "":
        raise SpecError(f"{option}: {value!r}: a volume cannot be mounted on '/'.")
    target = os.path.normpath(target)
    mode_tuple = _volume_modes(modes, value, option)
    if not source:
        if len(parts) == 3:
            raise SpecError(f"{option}: {value!r} has an empty source; {_VOLUME_HELP}.")
        return VolumeSpec("anonymous", "", target, mode_tuple)
    if source.startswith(("/", ".", "~")):
        path = os.path.expanduser(source)
        if not os.path.isabs(path):
            path = os.path.join(base_dir or os.getcwd(), path)
        return VolumeSpec("bind", os.path.normpath(path), target, mode_tuple)
    if not VOLUME_NAME_RE.match(source):
        raise SpecError(
            f"{option}: {value!r}: {source!r} is neither a volume name (letters, digits, '_', '.', '-') nor a path "
            "(start bind mounts with '/' or './'); " + _VOLUME_HELP + "."
        )
    return VolumeSpec("volume", source, target, mode_tuple)


def parse_volumes(values: t.Iterable[t.Any] | None, option: str = "volumes", base_dir: str | None = None) -> list[VolumeSpec]:
    result: list[VolumeSpec] = []
    targets: set[str] = set()
    for value in values or []:
        spec = parse_volume(value, option, base_dir)
        if spec.target in targets:
            raise SpecError(f"{option}: {spec.target!r} is mounted twice; each container path takes one volume.")
        targets.add(spec.target)
        result.append(spec)
    return result


def normalize_bind(text: str) -> str:
    """A Binds entry as comparable text: modes sorted, 'rw' left out."""
    parts = text.split(":")
    if len(parts) == 3:
        modes = sorted({m for m in parts[2].split(",") if m} - {"rw"})
        return f"{parts[0]}:{parts[1]}" + (f":{','.join(modes)}" if modes else "")
    return text


_MOUNT_TYPES = ("bind", "volume", "tmpfs", "npipe", "cluster", "image")
_MOUNT_KEYS = {
    "type", "source", "target", "read_only", "consistency", "propagation", "no_copy",
    "volume_driver", "volume_options", "labels", "tmpfs_size", "tmpfs_mode",
    "create_mountpoint", "non_recursive", "read_only_non_recursive", "read_only_force_recursive", "subpath",
    "tmpfs_options",
}
# (key, the mount types it applies to, the API field it sets)
_BIND_FLAGS = (("create_mountpoint", "CreateMountpoint"), ("non_recursive", "NonRecursive"),
               ("read_only_non_recursive", "ReadOnlyNonRecursive"), ("read_only_force_recursive", "ReadOnlyForceRecursive"))


def parse_mount(value: t.Any, option: str = "mounts", base_dir: str | None = None) -> dict[str, t.Any]:
    """A long-form mount (dict with type, source, target, ...) -> an API Mount object."""
    import os.path  # pylint: disable=import-outside-toplevel

    if not isinstance(value, dict):
        raise SpecError(f"{option}: {value!r} is not a mapping; write {{type: bind|volume|tmpfs, source: ..., target: /path}}.")
    unknown = sorted(set(value) - _MOUNT_KEYS)
    if unknown:
        raise SpecError(f"{option}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(_MOUNT_KEYS))}.")
    kind = value.get("type") or "volume"
    if kind not in _MOUNT_TYPES:
        raise SpecError(f"{option}: type {kind!r} is not one of {', '.join(_MOUNT_TYPES)}.")
    for key, _api in _BIND_FLAGS:
        if value.get(key) and kind != "bind":
            raise SpecError(f"{option}: {key} applies only to type bind, not {kind!r}.")
    if value.get("subpath") and kind not in ("volume", "image"):
        raise SpecError(f"{option}: subpath applies only to type volume or image, not {kind!r}.")
    if value.get("tmpfs_options") and kind != "tmpfs":
        raise SpecError(f"{option}: tmpfs_options applies only to type tmpfs, not {kind!r}.")
    target = value.get("target")
    if not isinstance(target, str) or not target.startswith("/") or target.rstrip("/") == "":
        raise SpecError(f"{option}: target {target!r} must be an absolute container path other than '/'.")
    mount: dict[str, t.Any] = {"Type": kind, "Target": os.path.normpath(target)}
    source = value.get("source")
    if kind == "bind":
        if not source:
            raise SpecError(f"{option}: a bind mount on {target!r} needs a source (a host path).")
        path = os.path.expanduser(str(source))
        if not os.path.isabs(path):
            path = os.path.join(base_dir or os.getcwd(), path)
        mount["Source"] = os.path.normpath(path)
        bind_opts: dict[str, t.Any] = {api: True for key, api in _BIND_FLAGS if value.get(key)}
        if value.get("propagation"):
            bind_opts["Propagation"] = value["propagation"]
        if bind_opts:
            mount["BindOptions"] = bind_opts
    elif kind in ("npipe", "cluster", "image"):
        if not source:
            raise SpecError(f"{option}: a {kind} mount on {target!r} needs a source.")
        mount["Source"] = str(source)
        if kind == "image" and value.get("subpath"):
            mount["ImageOptions"] = {"Subpath": str(value["subpath"])}
    elif kind == "volume":
        if source:
            if not VOLUME_NAME_RE.match(str(source)):
                raise SpecError(f"{option}: {source!r} is not a volume name (letters, digits, '_', '.', '-').")
            mount["Source"] = str(source)
        opts: dict[str, t.Any] = {}
        if value.get("no_copy"):
            opts["NoCopy"] = True
        if value.get("labels"):
            opts["Labels"] = {str(k): str(v) for k, v in value["labels"].items()}
        if value.get("subpath"):
            opts["Subpath"] = str(value["subpath"])
        if value.get("volume_driver") or value.get("volume_options"):
            opts["DriverConfig"] = {
                "Name": value.get("volume_driver") or "local",
                "Options": {str(k): str(v) for k, v in (value.get("volume_options") or {}).items()},
            }
        if opts:
            mount["VolumeOptions"] = opts
    else:
        if source:
            raise SpecError(f"{option}: a tmpfs mount on {target!r} takes no source.")
        opts = {}
        if value.get("tmpfs_size") not in (None, ""):
            opts["SizeBytes"] = parse_size(value["tmpfs_size"], f"{option}.tmpfs_size")
        if value.get("tmpfs_mode") not in (None, ""):
            mode = value["tmpfs_mode"]
            try:
                opts["Mode"] = int(str(mode), 8) if isinstance(mode, str) else int(mode)
            except ValueError:
                raise SpecError(f"{option}: tmpfs_mode {mode!r} is not an octal mode like '1777'.") from None
        if value.get("tmpfs_options"):
            entries = []
            for entry in value["tmpfs_options"]:
                if not isinstance(entry, dict) or len(entry) != 1:
                    raise SpecError(f"{option}: each tmpfs_options entry is a mapping of one key, like {{exec: null}}.")
                (key, val), = entry.items()
                entries.append([str(key)] if val is None else [str(key), str(val)])
            opts["Options"] = entries
        if opts:
            mount["TmpfsOptions"] = opts
    if value.get("read_only"):
        mount["ReadOnly"] = True
    if value.get("consistency"):
        mount["Consistency"] = value["consistency"]
    return mount


def _without_empty(value: dict[str, t.Any]) -> dict[str, t.Any]:
    """A mapping without its empty members, at every level (the daemon leaves out what is empty)."""
    result = {}
    for key, val in value.items():
        if isinstance(val, dict):
            val = _without_empty(val)
        if val not in (None, "", False, {}, []):
            result[key] = val
    return result


def normalize_mount(mount: dict[str, t.Any]) -> dict[str, t.Any]:
    """An API Mount as comparable data: empty and default members dropped."""
    result: dict[str, t.Any] = {"Type": mount.get("Type") or "volume", "Target": mount.get("Target")}
    for key in ("Source", "Consistency"):
        if mount.get(key):
            result[key] = mount[key]
    if mount.get("ReadOnly"):
        result["ReadOnly"] = True
    for key in ("BindOptions", "VolumeOptions", "TmpfsOptions", "ImageOptions"):
        opts = _without_empty(mount.get(key) or {})
        if opts:
            result[key] = opts
    return result


def parse_tmpfs(value: t.Any, option: str = "tmpfs") -> dict[str, str]:
    """tmpfs as a list of 'PATH[:OPTIONS]' (like --tmpfs) or a {PATH: OPTIONS} mapping -> HostConfig.Tmpfs."""
    if not value:
        return {}
    items: list[tuple[str, str]] = []
    if isinstance(value, dict):
        items = [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        for entry in value:
            path, _sep, opts = str(entry).partition(":")
            items.append((path, opts))
    else:
        raise SpecError(f"{option}: write a list like ['/run:size=64m', '/tmp'].")
    result: dict[str, str] = {}
    for path, opts in items:
        if not path.startswith("/") or path.rstrip("/") == "":
            raise SpecError(f"{option}: {path!r} must be an absolute container path other than '/', like '/run:size=64m'.")
        result[path] = opts
    return result


def mount_from_volume(value: t.Any, option: str = "mounts", base_dir: str | None = None) -> dict[str, t.Any]:
    """A mount given as a mapping, or as a ``-v`` string 'NAME:/path[:ro]' / '/host:/path' (services)."""
    if not isinstance(value, str):
        return parse_mount(value, option, base_dir)
    spec = parse_volume(value, option, base_dir)
    mount: dict[str, t.Any] = {"Type": "volume" if spec.kind == "anonymous" else spec.kind, "Target": spec.target}
    if spec.kind != "anonymous":
        mount["Source"] = spec.source
    if spec.read_only:
        mount["ReadOnly"] = True
    return mount


def mount_to_cli(mount: dict[str, t.Any]) -> str:
    """An API Mount as the ``--mount`` flag writes it (every field the parser can set)."""
    parts = [f"type={mount.get('Type') or 'volume'}"]
    if mount.get("Source"):
        parts.append(f"source={mount['Source']}")
    parts.append(f"target={mount['Target']}")
    if mount.get("ReadOnly"):
        parts.append("readonly")
    if mount.get("Consistency"):
        parts.append(f"consistency={mount['Consistency']}")
    bind = mount.get("BindOptions") or {}
    if bind.get("Propagation"):
        parts.append(f"bind-propagation={bind['Propagation']}")
    if bind.get("NonRecursive"):
        parts.append("bind-nonrecursive")
    if bind.get("CreateMountpoint"):
        parts.append("bind-create-src")
    if bind.get("ReadOnlyNonRecursive"):
        parts.append("readonly=non-recursive")
    if bind.get("ReadOnlyForceRecursive"):
        parts.append("readonly=recursive")
    volume = mount.get("VolumeOptions") or {}
    if volume.get("NoCopy"):
        parts.append("volume-nocopy")
    if volume.get("Subpath") or (mount.get("ImageOptions") or {}).get("Subpath"):
        parts.append(f"volume-subpath={volume.get('Subpath') or mount['ImageOptions']['Subpath']}")
    for key, val in sorted((volume.get("Labels") or {}).items()):
        parts.append(f"volume-label={key}={val}")
    driver = volume.get("DriverConfig") or {}
    if driver.get("Name"):
        parts.append(f"volume-driver={driver['Name']}")
    for key, val in sorted((driver.get("Options") or {}).items()):
        parts.append(f"volume-opt={key}={val}")
    tmpfs = mount.get("TmpfsOptions") or {}
    if tmpfs.get("SizeBytes"):
        parts.append(f"tmpfs-size={tmpfs['SizeBytes']}")
    if tmpfs.get("Mode"):
        parts.append(f"tmpfs-mode={tmpfs['Mode']:o}")
    return ",".join(parts)


def tmpfs_to_cli(tmpfs: dict[str, str]) -> list[str]:
    """HostConfig.Tmpfs -> the ``--tmpfs`` values."""
    return [f"{path}:{opts}" if opts else path for path, opts in tmpfs.items()]
