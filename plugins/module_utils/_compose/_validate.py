# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 4: what a Compose file may hold (the keys this collection implements: anything else is an error
naming the key, never silently ignored), the shape checks every stage uses, and dependency cycles.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import command_argv
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_duration as _parse_duration
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size as _parse_size


class ComposeError(SpecError):
    """A Compose file is malformed or asks for something unsupported."""


SERVICE_KEYS = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes",
    "networks", "network_mode", "depends_on", "healthcheck", "restart", "labels", "container_name",
    "hostname", "user", "working_dir", "cap_add", "cap_drop", "privileged", "read_only", "tmpfs",
    "extra_hosts", "logging", "deploy", "scale", "init", "stop_signal", "stop_grace_period", "tty",
    "stdin_open", "profiles", "mem_limit", "cpus", "pull_policy",
}
TOP_KEYS = {"version", "name", "services", "networks", "volumes"}
NETWORK_KEYS = {"driver", "driver_opts", "ipam", "external", "name", "internal", "attachable", "enable_ipv6", "labels"}
VOLUME_KEYS = {"driver", "driver_opts", "external", "name", "labels"}
DEPLOY_KEYS = {"replicas", "resources", "restart_policy"}
RESTART_VALUES = {"no", "always", "on-failure", "unless-stopped"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def unsupported(where: str, key: str) -> ComposeError:
    return ComposeError(
        f"{where}.{key} is not supported by devops.docker.compose; remove it from the Compose file "
        "(or manage that part with the devops.docker container, network or volume modules)."
    )


def check_keys(obj: dict[str, t.Any], allowed: set[str], where: str) -> None:
    for key in obj:
        if not isinstance(key, str):
            raise ComposeError(f"{where}: key {key!r} must be a string.")
        if key.startswith("x-"):
            continue
        if key not in allowed:
            raise unsupported(where, key)


def normalize_project_name(name: str) -> str:
    """Lowercase, keep [a-z0-9_-], must start with a letter or digit (as the CLI does)."""
    text = re.sub(r"[^a-z0-9_-]", "", str(name).lower())
    text = text.lstrip("_-")
    return text


def command_list(value: t.Any, where: str) -> list[str] | None:
    """command/entrypoint/healthcheck.test: a string is split like a shell would, a list is kept."""
    return command_argv(value, where, ComposeError)


def string_list(value: t.Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise ComposeError(f"{where}: expected a string or a list of strings, got {value!r}.")


def scalar_str(value: t.Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def boolean(value: t.Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    raise ComposeError(f"{where}: expected true or false, got {value!r}.")


def mapping(key: str, value: t.Any, where: str) -> dict[str, t.Any]:
    value = list_to_map(key, value, where)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ComposeError(f"{where}.{key}: expected a mapping or a list, got {value!r}.")
    return value


def list_to_map(key: str, value: t.Any, where: str) -> t.Any:
    """environment/labels/extra_hosts/depends_on/networks written as lists become mappings."""
    if not isinstance(value, list):
        return value
    out: dict[str, t.Any] = {}
    for item in value:
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise ComposeError(f"{where}.{key}: list items must be strings, got {item!r}.")
        item = str(item)
        if key in ("environment", "labels", "annotations", "sysctls"):
            name, sep, val = item.partition("=")
            out[name] = val if sep else None
        elif key == "extra_hosts":
            name, sep, val = item.partition("=") if "=" in item else item.partition(":")
            if not sep:
                raise ComposeError(f"{where}.extra_hosts: {item!r} must be 'HOST:IP' or 'HOST=IP'.")
            out[name] = val
        elif key == "depends_on":
            out[item] = {"condition": "service_started"}
        elif key == "networks":
            out[item] = None
    return out


def parse_duration(value: t.Any, where: str) -> float | None:
    try:
        return _parse_duration(value, where)
    except ComposeError:
        raise
    except SpecError as exc:
        raise ComposeError(str(exc)) from exc


def parse_size(value: t.Any, where: str) -> int | None:
    try:
        return _parse_size(value, where)
    except ComposeError:
        raise
    except SpecError as exc:
        raise ComposeError(str(exc)) from exc


def find_cycle(services: dict[str, dict[str, t.Any]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for dep in sorted(services[name]["depends_on"]):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return None

    for name in sorted(services):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def split_volume(text: str) -> list[str]:
    # Windows drive letters are not a concern on Linux hosts.
    return text.split(":")
