# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parsers for the CLI-style specs users write: image names, sizes, durations,
ports and volumes.  Pure functions, no daemon, unit-tested.

Each parser raises ``SpecError`` with a message that names the option, the
bad value and the expected syntax.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass


class SpecError(ValueError):
    """A value the user wrote does not parse; the message says how to write it."""

    @property
    def msg(self) -> str:
        return str(self)


# ---------------------------------------------------------------- image names
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_RE = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")


@dataclass(frozen=True)
class ImageName:
    registry: str | None  # "localhost:5001", None for Docker Hub
    path: str  # "library/busybox" stays "busybox" as written
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        """registry/path, without tag or digest (what `docker push` takes)."""
        return f"{self.registry}/{self.path}" if self.registry else self.path

    @property
    def reference(self) -> str:
        """The tag or digest part ('latest' when neither is given)."""
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag or 'latest'}"

    def with_registry(self, registry: str) -> ImageName:
        return ImageName(registry.rstrip("/"), self.path, self.tag, self.digest)


def parse_image_name(value: t.Any, option: str = "name") -> ImageName:
    """Parse ``[registry[:port]/]path[:tag][@digest]`` like the Docker CLI does."""
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{option}: an image name is required, like 'busybox:latest' or 'localhost:5001/app:1.0'.")
    text = value.strip()
    if len(text) > 255 + 128 + 80:
        raise SpecError(f"{option}: image name {text[:40]!r}... is too long (at most 255 characters before the tag).")
    digest = None
    if "@" in text:
        text, digest = text.split("@", 1)
        if not _DIGEST_RE.match(digest):
            raise SpecError(f"{option}: {value!r} has an invalid digest {digest!r}; write it as 'sha256:<64 hex digits>'.")
    tag = None
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1:]
        if not _TAG_RE.match(tag):
            raise SpecError(
                f"{option}: {value!r} has an invalid tag {tag!r}; a tag is up to 128 letters, digits, '_', '.' or '-', "
                "not starting with '.' or '-'."
            )
    registry = None
    first, sep, rest = text.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        registry, text = first, rest
        if not _DOMAIN_RE.match(registry):
            raise SpecError(f"{option}: {value!r} has an invalid registry host {registry!r}.")
    if len(text) > 255:
        raise SpecError(
            f"{option}: image name {text[:40]!r}... is too long ({len(text)} characters; the repository part "
            "may have at most 255)."
        )
    if not text or not _PATH_RE.match(text):
        raise SpecError(
            f"{option}: {value!r} is not a valid image name: the repository part must be lowercase letters, digits "
            "and separators ('.', '_', '-', '/'), like 'my-app' or 'localhost:5001/team/my-app:1.0'."
        )
    return ImageName(registry, text, tag, digest)


# ---------------------------------------------------------------- sizes
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(value: t.Any, option: str = "size") -> int | None:
    """'512m', '1g', '1.5GB', '1024' -> bytes (binary units, like the CLI)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a size; write it like '512m' or '1g'.")
    if isinstance(value, int):
        if value < 0:
            raise SpecError(f"{option}: {value} is negative; a size is a positive number of bytes like '512m'.")
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise SpecError(f"{option}: {value!r} is not a size; write a number with an optional unit b, k, m, g or t, like '512m'.")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


# ---------------------------------------------------------------- durations
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")


def parse_duration(value: t.Any, option: str = "duration") -> float | None:
    """'30s', '1m30s', '500ms', 10 -> seconds (Go duration syntax, as Compose and the CLI write them)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a duration; write it like '30s', '1m30s' or '500ms'.")
    if isinstance(value, (int, float)):
        if value < 0:
            raise SpecError(f"{option}: {value} is negative; a duration is like '30s'.")
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise SpecError(f"{option}: {value!r} is not a duration; write it like '30s', '1m30s', '500ms' or '2h'.")
    return total


def duration_to_ns(value: t.Any, option: str = "duration") -> int | None:
    seconds = parse_duration(value, option)
    return None if seconds is None else int(round(seconds * 1e9))


# ---------------------------------------------------------------- image names, more
_IMAGE_ID_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
# Docker Hub, the one registry the engine and the CLI know by name. Only these constants
# name it: image names without a registry, config.json keys and logins refer to it.
DOCKER_HUB_HOSTS = ("docker.io", "index.docker.io", "registry-1.docker.io")  # the registry part of an image name
DOCKER_HUB_ALIASES = frozenset(DOCKER_HUB_HOSTS + ("registry.hub.docker.com", "hub.docker.com"))  # config keys, logins
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"  # its key in config.json and its serveraddress
DOCKER_HUB_API_HOST = "registry-1.docker.io"  # where its Registry API answers


def is_image_id(value: t.Any) -> bool:
    """True for a full image ID written as 'sha256:<64 hex digits>'."""
    return isinstance(value, str) and bool(_IMAGE_ID_RE.match(value.strip()))


def familiar_repository(name: ImageName) -> str:
    """The repository as the daemon lists it in RepoTags/RepoDigests: Docker Hub names lose
    'docker.io/' and 'library/' ('docker.io/library/busybox' -> 'busybox'), others stay as written."""
    registry, path = name.registry, name.path
    if registry in DOCKER_HUB_HOSTS:
        registry = None
    if registry is None and path.startswith("library/") and path.count("/") == 1:
        path = path[len("library/"):]
    return f"{registry}/{path}" if registry else path


def familiar_name(name: ImageName) -> str:
    """'repository:tag' (or 'repository@digest') in the daemon's familiar form."""
    if name.digest:
        return f"{familiar_repository(name)}@{name.digest}"
    return f"{familiar_repository(name)}:{name.tag or 'latest'}"


def registry_host(name: ImageName) -> str:
    """The registry a name lives in: its host[:port], or 'docker.io' for Docker Hub."""
    if name.registry is None or name.registry in DOCKER_HUB_HOSTS:
        return "docker.io"
    return name.registry


def is_local_registry(host: str) -> bool:
    """localhost / 127.0.0.0/8 / ::1 registries, which Docker lets speak plain HTTP."""
    if host.startswith("["):
        hostname = host[1:host.find("]")]
    elif host.count(":") == 1:
        hostname = host.split(":", 1)[0]
    else:
        hostname = host
    return hostname == "localhost" or hostname.startswith("127.") or hostname in ("::1",)


def parse_tag_target(value: t.Any, default_tag: str | None, option: str = "repository") -> ImageName:
    """An extra name to tag as: 'repo[:tag]'; without a tag it takes default_tag (the source's tag)."""
    target = parse_image_name(value, option)
    if target.digest:
        raise SpecError(f"{option}: {value!r} has a digest; a tag target is 'repository[:tag]', without '@sha256:...'.")
    if target.tag is None:
        target = ImageName(target.registry, target.path, default_tag or "latest", None)
    return target


# ---------------------------------------------------------------- ports
_PROTOCOLS = ("tcp", "udp", "sctp")
_PORT_HELP = (
    "write it like the -p option of docker run: 'CONTAINER[/PROTO]', 'HOST:CONTAINER', 'IP:HOST:CONTAINER', "
    "'IP::CONTAINER', '[IPv6]:HOST:CONTAINER', with ranges like '8000-8009:80-89' and PROTO tcp, udp or sctp"
)


def command_argv(value: t.Any, option: str, error: type[SpecError] = SpecError) -> list[str] | None:
    """A command (command, entrypoint, healthcheck test...) as argv: a string is split like a shell would,
    a list of strings (or numbers) is kept; None stays None. ``error`` is the exception class to raise."""
    if value is None:
        return None
    if isinstance(value, str):
        import shlex  # pylint: disable=import-outside-toplevel

        try:
            return shlex.split(value)
        except ValueError as exc:
            raise error(f"{option}: {value!r} does not split into words like a shell command ({exc}); "
                        "close the quote or write it as a list.") from None
    if isinstance(value, (list, tuple)) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in value):
        return [str(x) for x in value]
    raise error(f"{option}: write a command as a string like 'sleep 60' or a list of strings like ['sleep', '60'], "
                f"not {value!r}.")


@dataclass(frozen=True)
class PortBinding:
    """One container port and where it is published ('' host_port = a random port)."""

    container_port: int
    protocol: str = "tcp"
    host_ip: str = ""
    host_port: str = ""

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.protocol}"


def _port_range(text: str, value: t.Any, option: str, what: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if not match:
        raise SpecError(f"{option}: {value!r} has an invalid {what} port {text!r}; {_PORT_HELP}.")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if not 1 <= low <= 65535 or not 1 <= high <= 65535:
        raise SpecError(f"{option}: {value!r}: {what} port {text!r} is out of range; ports are 1 to 65535.")
    if high < low:
        raise SpecError(f"{option}: {value!r}: {what} port range {text!r} is reversed; write LOW-HIGH.")
    return low, high


def _host_ip(text: str, value: t.Any, option: str) -> str:
    import ipaddress  # pylint: disable=import-outside-toplevel

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise SpecError(
            f"{option}: {value!r} has an invalid host IP {text!r}; use an IPv4 address like 127.0.0.1 or an IPv6 "
            "address in brackets like [::1]."
        ) from None


def parse_port(value: t.Any, option: str = "ports") -> list[PortBinding]:
    """One ``-p`` spec -> its bindings (a range gives one per port)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SpecError(f"{option}: {value!r} is not a port spec; {_PORT_HELP}.")
    text = str(value).strip()
    if not text:
        raise SpecError(f"{option}: an empty port spec; {_PORT_HELP}.")
    protocol = "tcp"
    if "/" in text:
        text, protocol = text.rsplit("/", 1)
        protocol = protocol.lower()
        if protocol not in _PROTOCOLS:
            raise SpecError(f"{option}: {value!r} has an unknown protocol {protocol!r}; use tcp, udp or sctp.")
    host_ip = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise SpecError(f"{option}: {value!r}: an IPv6 host IP goes in brackets followed by ':', like '[::1]:8080:80'.")
        host_ip = _host_ip(text[1:end], value, option)
        parts = text[end + 2:].split(":")
        if len(parts) != 2:
            raise SpecError(f"{option}: {value!r}: after '[IP]:' write HOST:CONTAINER (HOST may be empty); {_PORT_HELP}.")
        host, container = parts
    else:
        parts = text.split(":")
        if len(parts) == 1:
            host, container = "", parts[0]
        elif len(parts) == 2:
            host, container = parts
            if not host:
                raise SpecError(f"{option}: {value!r} has an empty host port; {_PORT_HELP}.")
        elif len(parts) == 3:
            host_ip = _host_ip(parts[0], value, option)
            host, container = parts[1], parts[2]
        else:
            raise SpecError(f"{option}: {value!r} has too many ':'; put an IPv6 host IP in brackets, {_PORT_HELP}.")
    c_low, c_high = _port_range(container, value, option, "container")
    if not host:
        return [PortBinding(p, protocol, host_ip, "") for p in range(c_low, c_high + 1)]
    h_low, h_high = _port_range(host, value, option, "host")
    if c_low == c_high:
        # A host range for one container port: the daemon picks a free one in the range.
        return [PortBinding(c_low, protocol, host_ip, str(h_low) if h_low == h_high else f"{h_low}-{h_high}")]
    if h_high - h_low != c_high - c_low:
        raise SpecError(
            f"{option}: {value!r}: the host range {host} and the container range {container} have different lengths."
        )
    return [PortBinding(c, protocol, host_ip, str(h)) for c, h in zip(range(c_low, c_high + 1), range(h_low, h_high + 1))]


def parse_ports(values: t.Iterable[t.Any] | None, option: str = "ports") -> list[PortBinding]:
    """Every ``-p`` spec of a list, in order, duplicates removed."""
    result: list[PortBinding] = []
    for value in values or []:
        for binding in parse_port(value, option):
            if binding not in result:
                result.append(binding)
    return result


def parse_exposed_ports(values: t.Iterable[t.Any] | None, option: str = "exposed_ports") -> list[str]:
    """``--expose`` specs ('8080', '8080/udp', '8000-8009') -> 'PORT/PROTO' keys, in order, no duplicates."""
    result: list[str] = []
    for value in values or []:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is not None and ":" in text:
            raise SpecError(
                f"{option}: {value!r} publishes a port; {option} only exposes container ports ('8080', '8080/udp', "
                "'8000-8009'). Publish with ports."
            )
        for binding in parse_port(value, option):
            if binding.key not in result:
                result.append(binding.key)
    return result


def port_bindings(bindings: t.Iterable[PortBinding]) -> dict[str, list[dict[str, str]]]:
    """The HostConfig.PortBindings map of a list of bindings."""
    result: dict[str, list[dict[str, str]]] = {}
    for binding in bindings:
        result.setdefault(binding.key, []).append({"HostIp": binding.host_ip, "HostPort": binding.host_port})
    return result


def normalize_port_bindings(value: dict[str, t.Any] | None) -> dict[str, list[tuple[str, str]]]:
    """PortBindings as comparable data: 0.0.0.0 and '' are the same host IP; order does not matter."""
    result: dict[str, list[tuple[str, str]]] = {}
    for key, entries in (value or {}).items():
        if "/" not in key:
            key += "/tcp"
        items = []
        for entry in entries or [{}]:
            ip = (entry or {}).get("HostIp") or ""
            items.append(("" if ip == "0.0.0.0" else ip, str((entry or {}).get("HostPort") or "")))
        result[key] = sorted(set(items))
    return result


# ---------------------------------------------------------------- volumes and mounts
_VOLUME_NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
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
    if not _VOLUME_NAME_RE.match(source):
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


_MOUNT_TYPES = ("bind", "volume", "tmpfs")
_MOUNT_KEYS = {
    "type", "source", "target", "read_only", "consistency", "propagation", "no_copy",
    "volume_driver", "volume_options", "labels", "tmpfs_size", "tmpfs_mode",
}


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
        raise SpecError(f"{option}: type {kind!r} is not one of bind, volume or tmpfs.")
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
        if value.get("propagation"):
            mount["BindOptions"] = {"Propagation": value["propagation"]}
    elif kind == "volume":
        if source:
            if not _VOLUME_NAME_RE.match(str(source)):
                raise SpecError(f"{option}: {source!r} is not a volume name (letters, digits, '_', '.', '-').")
            mount["Source"] = str(source)
        opts: dict[str, t.Any] = {}
        if value.get("no_copy"):
            opts["NoCopy"] = True
        if value.get("labels"):
            opts["Labels"] = {str(k): str(v) for k, v in value["labels"].items()}
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
        if opts:
            mount["TmpfsOptions"] = opts
    if value.get("read_only"):
        mount["ReadOnly"] = True
    if value.get("consistency"):
        mount["Consistency"] = value["consistency"]
    return mount


def normalize_mount(mount: dict[str, t.Any]) -> dict[str, t.Any]:
    """An API Mount as comparable data: empty and default members dropped."""
    result: dict[str, t.Any] = {"Type": mount.get("Type") or "volume", "Target": mount.get("Target")}
    for key in ("Source", "Consistency"):
        if mount.get(key):
            result[key] = mount[key]
    if mount.get("ReadOnly"):
        result["ReadOnly"] = True
    for key in ("BindOptions", "VolumeOptions", "TmpfsOptions"):
        opts = {k: v for k, v in (mount.get(key) or {}).items() if v not in (None, "", False, {}, [])}
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


# ---------------------------------------------------------------- restart policy, healthcheck, links
_RESTART_NAMES = ("no", "always", "on-failure", "unless-stopped")


def parse_restart_policy(value: t.Any, retries: t.Any = None, option: str = "restart_policy") -> dict[str, t.Any]:
    """'no', 'always', 'unless-stopped', 'on-failure[:N]' -> {Name, MaximumRetryCount}."""
    if value is None or value == "":
        value = "no"
    if isinstance(value, bool):  # YAML 'no' unquoted
        value = "always" if value else "no"
    text = str(value).strip()
    name, _sep, count = text.partition(":")
    if name not in _RESTART_NAMES:
        raise SpecError(f"{option}: {value!r} is not a restart policy; use no, always, unless-stopped or on-failure[:N].")
    maximum = 0
    if count:
        if name != "on-failure" or not count.isdigit():
            raise SpecError(f"{option}: {value!r}: only on-failure takes a count, as 'on-failure:5'.")
        maximum = int(count)
    if retries not in (None, ""):
        if name != "on-failure":
            raise SpecError(f"{option}: restart_retries only applies to on-failure, not {name!r}.")
        if count and int(retries) != maximum:
            raise SpecError(f"{option}: {value!r} and restart_retries={retries} disagree; give the count once.")
        maximum = int(retries)
        if maximum < 0:
            raise SpecError(f"{option}: restart_retries must not be negative.")
    return {"Name": name, "MaximumRetryCount": maximum}


_HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "disable"}


def parse_healthcheck(value: t.Any, option: str = "healthcheck") -> dict[str, t.Any] | None:
    """The healthcheck option -> a Config.Healthcheck object (None when not given)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError(f"{option}: write a mapping like {{test: 'wget -q -O- http://localhost/', interval: 10s}}.")
    unknown = sorted(set(value) - _HEALTHCHECK_KEYS)
    if unknown:
        raise SpecError(f"{option}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(_HEALTHCHECK_KEYS))}.")
    if value.get("disable"):
        return {"Test": ["NONE"]}
    result: dict[str, t.Any] = {}
    test = value.get("test")
    if test not in (None, "", []):
        if isinstance(test, str):
            result["Test"] = ["CMD-SHELL", test]
        elif isinstance(test, (list, tuple)) and all(isinstance(x, (str, int, float)) for x in test):
            test = [str(x) for x in test]
            if test[0] in ("CMD", "CMD-SHELL"):
                if len(test) < 2:
                    raise SpecError(f"{option}: test {test!r} names no command.")
                result["Test"] = test
            elif test[0] == "NONE":
                result["Test"] = ["NONE"]
            else:
                result["Test"] = ["CMD", *test]
        else:
            raise SpecError(f"{option}: test must be a shell string or a list like ['CMD', 'wget', '-q', 'http://localhost/'].")
    for key, api_key in (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod")):
        if value.get(key) not in (None, ""):
            ns = duration_to_ns(value[key], f"{option}.{key}")
            if ns and ns < 1_000_000:
                raise SpecError(f"{option}.{key}: {value[key]!r} is shorter than the 1ms the engine accepts.")
            result[api_key] = ns
    if value.get("retries") not in (None, ""):
        try:
            retries = int(value["retries"])
        except (TypeError, ValueError):
            raise SpecError(f"{option}.retries: {value['retries']!r} is not a whole number.") from None
        if retries < 0:
            raise SpecError(f"{option}.retries must not be negative.")
        result["Retries"] = retries
    return result


def parse_link(value: t.Any, option: str = "links") -> tuple[str, str]:
    """'name[:alias]' (like --link) -> (name, alias)."""
    text = str(value).strip() if value is not None else ""
    name, _sep, alias = text.partition(":")
    name, alias = name.strip("/"), (alias or name).strip("/")
    pattern = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
    if not pattern.match(name) or not pattern.match(alias) or text.count(":") > 1:
        raise SpecError(f"{option}: {value!r} is not a link; write it like --link: 'CONTAINER' or 'CONTAINER:ALIAS'.")
    return name, alias


def normalize_link(text: str) -> str:
    """'/db:/web/database' (as the daemon stores it) or 'db:database' -> 'db:database'."""
    name, _sep, alias = text.partition(":")
    name = name.strip("/")
    alias = alias.rsplit("/", 1)[-1] if alias else name
    return f"{name}:{alias}"


# ---------------------------------------------------------------- env files
def parse_env_file(text: str, option: str = "env_file", environ: t.Mapping[str, str] | None = None) -> dict[str, str]:
    """The --env-file format: KEY=VALUE lines, '#' comments; a bare KEY takes its value from the environment."""
    import os  # pylint: disable=import-outside-toplevel

    environ = os.environ if environ is None else environ
    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, val = stripped.partition("=")
        if not key or any(ch.isspace() for ch in key):
            raise SpecError(f"{option}: line {number} is not KEY=VALUE: {line[:40]!r}.")
        if sep:
            result[key] = val
        elif key in environ:
            result[key] = environ[key]
    return result
