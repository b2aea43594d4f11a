# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load a Compose project without a daemon: find the files, interpolate
variables, merge the files in order, validate, and normalise every service
into one canonical shape the converger (``_compose.py``) turns into
containers, networks and volumes.

Pure functions only (reads files, never talks to Docker), unit-tested in
``tests/unit/plugins/module_utils/test_compose_loader.py``.

The rules follow the Compose specification:

* interpolation: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
  ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, ``$$``
  for a literal ``$``; defaults may nest further expressions.  Values come
  from the ``.env`` file, overridden by the process environment, overridden
  by the module's ``env`` option.
* merge (several files, in order): mappings merge recursively; ``command``,
  ``entrypoint`` and ``healthcheck.test`` are replaced; ``environment``,
  ``labels``, ``extra_hosts``, ``depends_on``, ``networks``, ``build.args``
  merge by key; ``ports``, ``expose``, ``cap_add``, ``cap_drop`` append
  without duplicates; ``dns``, ``env_file``, ``tmpfs`` append; ``volumes``
  merge by target path.

Anything the collection does not implement is an error naming the key,
never silently ignored.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._limits import check_ports, relative_bind_warning
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import (
    BoundedSafeLoader,
    SafeYamlError,
)
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import load as safe_load
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import read_file as read_yaml_text
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import command_argv
from ansible_collections.devops.docker.plugins.module_utils._values._ports import binding_from_mapping, first_host_port, port_range
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_port as parse_port_spec
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_duration as _parse_duration
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size as _parse_size

DEFAULT_FILENAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_FILENAMES = {
    "compose.yaml": ("compose.override.yaml", "compose.override.yml"),
    "compose.yml": ("compose.override.yml", "compose.override.yaml"),
    "docker-compose.yml": ("docker-compose.override.yml", "docker-compose.override.yaml"),
    "docker-compose.yaml": ("docker-compose.override.yaml", "docker-compose.override.yml"),
}


class ComposeError(SpecError):
    """A Compose file is malformed or asks for something unsupported."""


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


# ======================================================================
# interpolation
# ======================================================================
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Interpolator:
    def __init__(self, env: t.Mapping[str, str], where: str) -> None:
        self.env = env
        self.where = where

    def expand(self, text: str) -> str:
        out, _pos = self._expand(text, 0, stop_at_brace=False)
        return out

    def _expand(self, text: str, pos: int, stop_at_brace: bool) -> tuple[str, int]:
        """Expand from pos; when stop_at_brace, stop at the '}' closing the current ${...}."""
        out: list[str] = []
        n = len(text)
        while pos < n:
            ch = text[pos]
            if stop_at_brace and ch == "}":
                return "".join(out), pos
            if ch != "$":
                out.append(ch)
                pos += 1
                continue
            nxt = text[pos + 1] if pos + 1 < n else ""
            if nxt == "$":
                out.append("$")
                pos += 2
            elif nxt == "{":
                value, pos = self._braced(text, pos + 2)
                out.append(value)
            else:
                match = _NAME_RE.match(text, pos + 1)
                if match:
                    out.append(self.env.get(match.group(0), ""))
                    pos = match.end()
                else:
                    raise ComposeError(
                        f"{self.where}: invalid interpolation format in {text!r}: a '$' must start $VAR or ${{VAR}}; "
                        "write $$ for a literal dollar sign."
                    )
        if stop_at_brace:
            raise ComposeError(f"{self.where}: unclosed '${{' in {text!r}; add the closing '}}'.")
        return "".join(out), pos

    def _braced(self, text: str, pos: int) -> tuple[str, int]:
        """pos is just after '${'; return (value, position after the closing '}')."""
        match = _NAME_RE.match(text, pos)
        if not match:
            raise ComposeError(
                f"{self.where}: invalid interpolation format in {text!r}: '${{' must be followed by a variable name "
                "([A-Za-z_][A-Za-z0-9_]*); write $$ for a literal dollar sign."
            )
        name = match.group(0)
        pos = match.end()
        if pos >= len(text):
            raise ComposeError(f"{self.where}: unclosed '${{' in {text!r}; add the closing '}}'.")
        if text[pos] == "}":
            return self.env.get(name, ""), pos + 1
        for op in (":-", ":?", ":+", "-", "?", "+"):
            if text.startswith(op, pos):
                break
        else:
            raise ComposeError(
                f"{self.where}: invalid interpolation format in {text!r} after ${{{name}: use ${{VAR}}, "
                "${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} or ${VAR+alt}."
            )
        arg, end = self._expand(text, pos + len(op), stop_at_brace=True)
        is_set = name in self.env
        value = self.env.get(name, "")
        non_empty = is_set and value != ""
        pos = end + 1
        if op == ":-":
            return (value if non_empty else arg), pos
        if op == "-":
            return (value if is_set else arg), pos
        if op == ":+":
            return (arg if non_empty else ""), pos
        if op == "+":
            return (arg if is_set else ""), pos
        if op == ":?" and not non_empty or op == "?" and not is_set:
            detail = arg or ("is not set or empty" if op == ":?" else "is not set")
            raise ComposeError(
                f"{self.where}: required variable {name} is missing a value: {detail}. "
                "Set it in the environment, the project's .env file or the module's env option."
            )
        return value, pos


def interpolate(value: t.Any, env: t.Mapping[str, str], where: str = "compose file") -> t.Any:
    """Interpolate every string value (not keys) of a YAML document, recursively."""
    if isinstance(value, str):
        return _Interpolator(env, where).expand(value)
    if isinstance(value, dict):
        return {k: interpolate(v, env, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


# ======================================================================
# .env files
# ======================================================================
def parse_env_file(text: str, env: t.Mapping[str, str] | None = None, where: str = ".env") -> dict[str, str]:
    """Parse a .env / env_file: KEY=VALUE lines, '#' comments, optional 'export ',
    single quotes literal, double quotes with escapes and interpolation, unquoted
    values interpolated with inline ' #' comments stripped."""
    result: dict[str, str] = {}
    lookup: dict[str, str] = dict(env or {})
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not _NAME_RE.fullmatch(key) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", key):
            raise ComposeError(f"{where} line {lineno}: {raw!r} is not KEY=VALUE; variable names are letters, digits and '_'.")
        if not sep:
            # A bare name takes its value from the environment (or stays unset).
            if key in lookup:
                result[key] = lookup[key]
            continue
        value = value.strip()
        if value[:1] == "'":
            end = value.find("'", 1)
            if end < 0:
                raise ComposeError(f"{where} line {lineno}: unterminated single quote in {raw!r}.")
            value = value[1:end]
        elif value[:1] == '"':
            chars, i = [], 1
            while i < len(value) and value[i] != '"':
                if value[i] == "\\" and i + 1 < len(value):
                    i += 1
                    chars.append({"n": "\n", "t": "\t", "r": "\r"}.get(value[i], value[i]))
                else:
                    chars.append(value[i])
                i += 1
            if i >= len(value):
                raise ComposeError(f"{where} line {lineno}: unterminated double quote in {raw!r}.")
            value = _Interpolator(lookup, f"{where} line {lineno}").expand("".join(chars))
        else:
            comment = re.search(r"\s#", value)
            if comment:
                value = value[:comment.start()].rstrip()
            value = _Interpolator(lookup, f"{where} line {lineno}").expand(value)
        result[key] = value
        lookup[key] = value
    return result


# ======================================================================
# YAML loading
# ======================================================================
class ComposeYamlLoader(BoundedSafeLoader):
    """The YAML loader of Compose and stack files: bounded (alias bombs, deep nesting, huge files and
    duplicate keys are refused, see _safe_yaml); Compose's own tags are added here with add_constructor."""


def read_file(path: str, what: str = "files") -> str:
    """The text of a Compose file; a file over the size limit is refused before it is read."""
    try:
        return read_yaml_text(path)
    except SafeYamlError as exc:
        raise ComposeError(f"{what}: {exc}") from None


def load_yaml(text: str, where: str) -> dict[str, t.Any]:
    try:
        data = safe_load(text, where, loader=ComposeYamlLoader)
    except SafeYamlError as exc:
        raise ComposeError(str(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ComposeError(f"{where}: the top level of a Compose file must be a mapping (services:, networks:, ...), not {type(data).__name__}.")
    return data


# ======================================================================
# merge
# ======================================================================
_APPEND_UNIQUE = {"ports", "expose", "cap_add", "cap_drop", "profiles", "security_opt", "external_links", "devices"}
_APPEND = {"dns", "dns_search", "env_file", "tmpfs", "links"}
_REPLACE = {"command", "entrypoint"}
_MAP_KEYS = {"environment", "labels", "extra_hosts", "depends_on", "networks", "sysctls", "annotations"}


def _list_to_map(key: str, value: t.Any, where: str) -> t.Any:
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


def _merge_service(base: dict[str, t.Any], over: dict[str, t.Any], where: str) -> dict[str, t.Any]:
    result = dict(base)
    for key, value in over.items():
        if key not in result or result[key] is None:
            result[key] = copy.deepcopy(value)
            continue
        old = result[key]
        if key in _REPLACE:
            result[key] = copy.deepcopy(value)
        elif key in _MAP_KEYS:
            old_m = _list_to_map(key, old, where)
            new_m = _list_to_map(key, value, where)
            if isinstance(old_m, dict) and isinstance(new_m, dict):
                merged = dict(old_m)
                for k, v in new_m.items():
                    if isinstance(merged.get(k), dict) and isinstance(v, dict):
                        merged[k] = {**merged[k], **v}
                    else:
                        merged[k] = v
                result[key] = merged
            else:
                result[key] = copy.deepcopy(value)
        elif key in _APPEND_UNIQUE or key in _APPEND:
            old_l = old if isinstance(old, list) else [old]
            new_l = value if isinstance(value, list) else [value]
            merged_l = list(old_l)
            for item in new_l:
                if key in _APPEND or item not in merged_l:
                    merged_l.append(item)
            result[key] = merged_l
        elif key == "volumes" and isinstance(old, list) and isinstance(value, list):
            by_target: dict[str, t.Any] = {}
            for item in old + value:
                by_target[_volume_target(item)] = item
            result[key] = list(by_target.values())
        elif key == "build":
            old_b = {"context": old} if isinstance(old, str) else dict(old)
            new_b = {"context": value} if isinstance(value, str) else dict(value)
            if "args" in old_b and "args" in new_b:
                args = dict(_list_to_map("environment", old_b["args"], where + ".build"))
                args.update(_list_to_map("environment", new_b["args"], where + ".build"))
                new_b["args"] = args
            old_b.update(new_b)
            result[key] = old_b
        elif key == "healthcheck" and isinstance(old, dict) and isinstance(value, dict):
            result[key] = {**old, **value}  # test replaced as a whole
        elif isinstance(old, dict) and isinstance(value, dict):
            result[key] = _deep_merge(old, value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _deep_merge(base: dict[str, t.Any], over: dict[str, t.Any]) -> dict[str, t.Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(result.get(key), dict) and isinstance(value, dict):
            result[key] = _deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _volume_target(item: t.Any) -> str:
    if isinstance(item, dict):
        return str(item.get("target", ""))
    parts = _split_volume(str(item))
    return parts[1] if len(parts) > 1 else parts[0]


def merge_documents(docs: list[tuple[str, dict[str, t.Any]]]) -> dict[str, t.Any]:
    """Merge already-interpolated documents in order (later files win)."""
    result: dict[str, t.Any] = {}
    for where, doc in docs:
        for key, value in doc.items():
            if key == "services":
                if value is None:
                    continue
                if not isinstance(value, dict):
                    raise ComposeError(f"{where}: services must be a mapping of service names to definitions.")
                services = result.setdefault("services", {})
                for name, svc in value.items():
                    svc = {} if svc is None else svc
                    if not isinstance(svc, dict):
                        raise ComposeError(f"{where}: services.{name} must be a mapping, not {type(svc).__name__}.")
                    services[name] = _merge_service(services.get(name, {}), svc, f"services.{name}")
            elif key in ("networks", "volumes", "secrets", "configs") and isinstance(value, dict):
                section = result.setdefault(key, {})
                for name, obj in value.items():
                    if isinstance(section.get(name), dict) and isinstance(obj, dict):
                        section[name] = _deep_merge(section[name], obj)
                    else:
                        section[name] = copy.deepcopy(obj)
            else:
                result[key] = copy.deepcopy(value)
    return result


# ======================================================================
# the normalised project
# ======================================================================
@dataclass
class Project:
    name: str
    working_dir: str
    config_files: list[str]
    services: dict[str, dict[str, t.Any]]
    networks: dict[str, dict[str, t.Any]]
    volumes: dict[str, dict[str, t.Any]]
    disabled: list[str] = field(default_factory=list)  # services left out by profiles
    warnings: list[str] = field(default_factory=list)  # relative bind sources that climb out of the project

    def order(self, names: t.Iterable[str] | None = None) -> list[str]:
        """Services in start order (dependencies first), limited to names plus their dependencies."""
        wanted = set(self.services) if names is None else self.with_dependencies(names)
        ordered: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            for dep in sorted(self.services[name]["depends_on"]):
                visit(dep)
            ordered.append(name)

        for name in sorted(self.services):
            if name in wanted:
                visit(name)
        return [n for n in ordered if n in wanted]

    def with_dependencies(self, names: t.Iterable[str]) -> set[str]:
        result: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in result:
                continue
            if name not in self.services:
                raise ComposeError(
                    f"services: {name!r} is not a service of project {self.name!r}; "
                    f"known services: {', '.join(sorted(self.services)) or 'none'}."
                )
            result.add(name)
            stack.extend(self.services[name]["depends_on"])
        return result


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


def _unsupported(where: str, key: str) -> ComposeError:
    return ComposeError(
        f"{where}.{key} is not supported by devops.docker.compose; remove it from the Compose file "
        "(or manage that part with the devops.docker container, network or volume modules)."
    )


def _check_keys(obj: dict[str, t.Any], allowed: set[str], where: str) -> None:
    for key in obj:
        if not isinstance(key, str):
            raise ComposeError(f"{where}: key {key!r} must be a string.")
        if key.startswith("x-"):
            continue
        if key not in allowed:
            raise _unsupported(where, key)


def normalise_project_name(name: str) -> str:
    """Lowercase, keep [a-z0-9_-], must start with a letter or digit (as the CLI does)."""
    text = re.sub(r"[^a-z0-9_-]", "", str(name).lower())
    text = text.lstrip("_-")
    return text


def _str_or_list(value: t.Any, where: str) -> list[str] | None:
    """command/entrypoint/healthcheck.test: a string is split like a shell would, a list is kept."""
    return command_argv(value, where, ComposeError)


def _string_list(value: t.Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise ComposeError(f"{where}: expected a string or a list of strings, got {value!r}.")


def _scalar_str(value: t.Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _bool(value: t.Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    raise ComposeError(f"{where}: expected true or false, got {value!r}.")


def _mapping(key: str, value: t.Any, where: str) -> dict[str, t.Any]:
    value = _list_to_map(key, value, where)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ComposeError(f"{where}.{key}: expected a mapping or a list, got {value!r}.")
    return value


# ---------------------------------------------------------------- ports


def parse_port(value: t.Any, where: str) -> list[dict[str, t.Any]]:
    """One ports entry (short or long syntax) -> [{target, published, host_ip, protocol}], parsed by the
    value layer's one port grammar (a host range for one container port takes its first port)."""
    try:
        check_ports([value], where)  # before expanding: '1-65535:1-65535' is refused at once
    except SpecError as exc:
        raise ComposeError(str(exc)) from None
    if isinstance(value, dict):
        _check_keys(value, {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"}, where)
        if value.get("target") is None:
            raise ComposeError(f"{where}: the long port syntax needs target (the container port).")
        bindings = binding_from_mapping(value, where)
    else:
        bindings = [first_host_port(b) for b in parse_port_spec(value, where)]
    return [
        {"target": b.container_port, "published": int(b.host_port) if b.host_port else None,
         "host_ip": b.host_ip or None, "protocol": b.protocol}
        for b in bindings
    ]


# ---------------------------------------------------------------- volumes
_VOLUME_FLAGS = ("ro", "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent")


def _split_volume(text: str) -> list[str]:
    # Windows drive letters are not a concern on Linux hosts.
    return text.split(":")


def _is_path(source: str) -> bool:
    return source.startswith(("/", ".", "~"))


def parse_volume(value: t.Any, where: str, project_dir: str) -> dict[str, t.Any]:
    """One volumes entry -> {type, source, target, read_only, ...}; bind paths absolute."""
    if isinstance(value, dict):
        _check_keys(value, {"type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"}, where)
        vtype = value.get("type") or ("bind" if _is_path(str(value.get("source") or "x")) else "volume")
        if vtype not in ("volume", "bind", "tmpfs"):
            raise ComposeError(f"{where}: volume type {vtype!r} is not supported; use volume, bind or tmpfs.")
        target = value.get("target")
        if not target or not str(target).startswith("/"):
            raise ComposeError(f"{where}: {value!r} needs target, an absolute path inside the container.")
        vol: dict[str, t.Any] = {
            "type": vtype,
            "source": _scalar_str(value.get("source")) or None,
            "target": str(target),
            "read_only": _bool(value.get("read_only", False), where + ".read_only"),
        }
        if vtype == "bind":
            bind = value.get("bind") or {}
            _check_keys(bind, {"create_host_path", "propagation", "selinux"}, where + ".bind")
            if not vol["source"]:
                raise ComposeError(f"{where}: a bind mount needs source, a host path.")
            vol["create_host_path"] = _bool(bind.get("create_host_path", True), where + ".bind.create_host_path")
        elif vtype == "volume":
            opts = value.get("volume") or {}
            _check_keys(opts, {"nocopy"}, where + ".volume")
            vol["nocopy"] = _bool(opts.get("nocopy", False), where + ".volume.nocopy")
        else:
            opts = value.get("tmpfs") or {}
            _check_keys(opts, {"size", "mode"}, where + ".tmpfs")
            if vol["source"]:
                raise ComposeError(f"{where}: a tmpfs mount has no source; remove it.")
            vol["size"] = parse_size(opts.get("size"), where + ".tmpfs.size")
            if opts.get("mode") is not None:
                vol["mode"] = int(str(opts["mode"]), 8) if isinstance(opts["mode"], str) else int(opts["mode"])
    else:
        if not isinstance(value, str) or not value.strip():
            raise ComposeError(f"{where}: {value!r} is not a volume; write [SOURCE:]TARGET[:ro|rw].")
        parts = _split_volume(value.strip())
        mode = ""
        if len(parts) == 3:
            source, target, mode = parts
        elif len(parts) == 2:
            if parts[0].startswith("/") and all(f in _VOLUME_FLAGS for f in parts[1].split(",")):
                source, target, mode = "", parts[0], parts[1]
            else:
                source, target = parts
        elif len(parts) == 1:
            source, target = "", parts[0]
        else:
            raise ComposeError(f"{where}: {value!r} is not a volume; write [SOURCE:]TARGET[:ro|rw].")
        flags = [f for f in mode.split(",") if f]
        for flag in flags:
            if flag not in _VOLUME_FLAGS:
                raise ComposeError(f"{where}: unknown volume mode {flag!r} in {value!r}; use ro or rw.")
        if not target.startswith("/"):
            raise ComposeError(f"{where}: the target of {value!r} must be an absolute path inside the container.")
        vtype = "bind" if source and _is_path(source) else "volume"
        vol = {"type": vtype, "source": source or None, "target": target, "read_only": "ro" in flags}
        if vtype == "bind":
            vol["create_host_path"] = True
        else:
            vol["nocopy"] = "nocopy" in flags
    if vol["type"] == "bind":
        src = os.path.expanduser(vol["source"])
        vol["source"] = os.path.normpath(os.path.join(project_dir, src))
    return vol


# ---------------------------------------------------------------- service
def _healthcheck(value: t.Any, where: str) -> dict[str, t.Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ComposeError(f"{where}: healthcheck must be a mapping with test, interval, timeout, retries, start_period.")
    _check_keys(value, {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}, where)
    if value.get("start_interval") is not None:
        raise _unsupported(where, "start_interval")
    if _bool(value.get("disable", False), where + ".disable"):
        return {"disable": True}
    test = value.get("test")
    if test is None:
        test_list = None
    elif isinstance(test, str):
        test_list = ["CMD-SHELL", test]
    else:
        test_list = _str_or_list(test, where + ".test")
        if test_list and test_list[0] == "NONE":
            return {"disable": True}
        if test_list and test_list[0] not in ("CMD", "CMD-SHELL"):
            raise ComposeError(f"{where}.test: a list test must start with CMD, CMD-SHELL or NONE, got {test!r}.")
    retries = value.get("retries")
    if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        raise ComposeError(f"{where}.retries: expected a non-negative integer, got {retries!r}.")
    return {
        "test": test_list,
        "interval": parse_duration(value.get("interval"), where + ".interval"),
        "timeout": parse_duration(value.get("timeout"), where + ".timeout"),
        "retries": retries,
        "start_period": parse_duration(value.get("start_period"), where + ".start_period"),
    }


def _read_env_files(files: list[str], project_dir: str, env: t.Mapping[str, str], where: str) -> tuple[list[str], dict[str, str]]:
    paths, values = [], {}
    for item in files:
        path = os.path.normpath(os.path.join(project_dir, os.path.expanduser(item)))
        paths.append(path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ComposeError(f"{where}: cannot read env_file {path}: {exc.strerror or exc}. Create it or remove it from env_file.") from exc
        values.update(parse_env_file(text, env, path))
    return paths, values


def _build_args(args: dict[str, t.Any], env: t.Mapping[str, str]) -> dict[str, str]:
    """build.args: a value-less arg takes its value from the environment, or is left out."""
    result = {}
    for key, value in sorted(args.items()):
        if value is None:
            if key in env:
                result[str(key)] = env[key]
        else:
            result[str(key)] = _scalar_str(value) or ""
    return result


def normalise_service(
    name: str, svc: dict[str, t.Any], project_dir: str, env: t.Mapping[str, str]
) -> dict[str, t.Any]:
    where = f"services.{name}"
    if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", name):
        raise ComposeError(f"{where}: invalid service name {name!r}; use letters, digits, '_', '.' and '-'.")
    _check_keys(svc, SERVICE_KEYS, where)
    out: dict[str, t.Any] = {"name": name}

    image = svc.get("image")
    if image is not None and (not isinstance(image, str) or not image.strip()):
        raise ComposeError(f"{where}.image: expected an image name like 'busybox:latest', got {image!r}.")
    out["image"] = image
    build = svc.get("build")
    if build is not None:
        if isinstance(build, str):
            build = {"context": build}
        if not isinstance(build, dict):
            raise ComposeError(f"{where}.build: expected a path or a mapping with context, dockerfile, args, target.")
        _check_keys(build, {"context", "dockerfile", "args", "target", "labels", "network", "no_cache", "pull"}, where + ".build")
        context = os.path.normpath(os.path.join(project_dir, os.path.expanduser(str(build.get("context") or "."))))
        args = _mapping("environment", build.get("args"), where + ".build")
        out["build"] = {
            "context": context,
            "dockerfile": _scalar_str(build.get("dockerfile")) or "Dockerfile",
            "args": _build_args(args, env),
            "target": _scalar_str(build.get("target")),
            "labels": {k: _scalar_str(v) or "" for k, v in _mapping("labels", build.get("labels"), where + ".build").items()},
            "network": _scalar_str(build.get("network")),
            "no_cache": _bool(build.get("no_cache", False), where + ".build.no_cache"),
            "pull": _bool(build.get("pull", False), where + ".build.pull"),
        }
    else:
        out["build"] = None
    if not out["image"] and not out["build"]:
        raise ComposeError(f"{where}: a service needs image or build (or both).")
    pull_policy = svc.get("pull_policy")
    if pull_policy is not None and pull_policy not in ("always", "never", "missing", "if_not_present", "build"):
        raise ComposeError(f"{where}.pull_policy: {pull_policy!r} must be always, never, missing or build.")
    out["pull_policy"] = "missing" if pull_policy == "if_not_present" else pull_policy

    out["command"] = _str_or_list(svc.get("command"), where + ".command")
    out["entrypoint"] = _str_or_list(svc.get("entrypoint"), where + ".entrypoint")

    env_files = _string_list(svc.get("env_file"), where + ".env_file")
    out["env_file"], file_env = _read_env_files(env_files, project_dir, env, where)
    environment: dict[str, str] = dict(file_env)
    for key, value in _mapping("environment", svc.get("environment"), where).items():
        if value is None:
            if key in env:
                environment[str(key)] = env[key]
            else:
                environment.pop(str(key), None)
        else:
            environment[str(key)] = _scalar_str(value) or ""
    out["environment"] = environment

    ports: list[dict[str, t.Any]] = []
    raw_ports = svc.get("ports") or []
    if not isinstance(raw_ports, list):
        raise ComposeError(f"{where}.ports: expected a list of ports.")
    for i, port in enumerate(raw_ports):
        for item in parse_port(port, f"{where}.ports[{i}]"):
            if item not in ports:
                ports.append(item)
    out["ports"] = ports
    expose = []
    for item in _string_list(svc.get("expose"), where + ".expose"):
        port_text, _sep, proto = item.partition("/")
        low, high = port_range(port_text, item, where + ".expose")
        for port in range(low, high + 1):
            expose.append(f"{port}/{proto or 'tcp'}")
    out["expose"] = expose

    raw_volumes = svc.get("volumes") or []
    if not isinstance(raw_volumes, list):
        raise ComposeError(f"{where}.volumes: expected a list of volumes.")
    out["volumes"] = [parse_volume(v, f"{where}.volumes[{i}]", project_dir) for i, v in enumerate(raw_volumes)]
    out["tmpfs"] = _string_list(svc.get("tmpfs"), where + ".tmpfs")

    network_mode = svc.get("network_mode")
    if network_mode is not None and not isinstance(network_mode, str):
        raise ComposeError(f"{where}.network_mode: expected a string like 'host', 'none' or 'service:NAME'.")
    if network_mode and network_mode.startswith("service:"):
        raise ComposeError(f"{where}.network_mode: {network_mode!r} (service:) is not supported by devops.docker.compose; use a shared network.")
    out["network_mode"] = network_mode
    networks: dict[str, dict[str, t.Any]] = {}
    for net, cfg in _mapping("networks", svc.get("networks"), where).items():
        cfg = cfg or {}
        if not isinstance(cfg, dict):
            raise ComposeError(f"{where}.networks.{net}: expected a mapping with aliases, ipv4_address.")
        _check_keys(cfg, {"aliases", "ipv4_address", "priority"}, f"{where}.networks.{net}")
        networks[str(net)] = {
            "aliases": _string_list(cfg.get("aliases"), f"{where}.networks.{net}.aliases"),
            "ipv4_address": _scalar_str(cfg.get("ipv4_address")),
        }
    if network_mode and networks:
        raise ComposeError(f"{where}: network_mode and networks cannot both be set; keep one of them.")
    if not network_mode and not networks:
        networks = {"default": {"aliases": [], "ipv4_address": None}}
    out["networks"] = networks

    depends: dict[str, dict[str, t.Any]] = {}
    for dep, cfg in _mapping("depends_on", svc.get("depends_on"), where).items():
        cfg = cfg or {}
        if not isinstance(cfg, dict):
            raise ComposeError(f"{where}.depends_on.{dep}: expected a mapping with condition.")
        _check_keys(cfg, {"condition", "restart", "required"}, f"{where}.depends_on.{dep}")
        condition = cfg.get("condition", "service_started")
        if condition not in CONDITIONS:
            raise ComposeError(
                f"{where}.depends_on.{dep}.condition: {condition!r} must be service_started, service_healthy "
                "or service_completed_successfully."
            )
        depends[str(dep)] = {"condition": condition, "required": _bool(cfg.get("required", True), where + ".required")}
    out["depends_on"] = depends

    out["healthcheck"] = _healthcheck(svc.get("healthcheck"), where + ".healthcheck")
    restart = svc.get("restart")
    if restart is not None:
        restart = str(restart) if restart is not False else "no"
        base, _sep, count = restart.partition(":")
        if base not in RESTART_VALUES or count and (base != "on-failure" or not count.isdigit()):
            raise ComposeError(f"{where}.restart: {restart!r} must be no, always, on-failure[:N] or unless-stopped.")
    out["restart"] = restart
    out["labels"] = {str(k): _scalar_str(v) or "" for k, v in _mapping("labels", svc.get("labels"), where).items()}
    for key in ("container_name", "hostname", "user", "working_dir", "stop_signal"):
        value = svc.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise ComposeError(f"{where}.{key}: expected a string, got {value!r}.")
        out[key] = _scalar_str(value)
    if out["container_name"] and not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*", out["container_name"]):
        raise ComposeError(f"{where}.container_name: {out['container_name']!r} is not a valid container name.")
    out["cap_add"] = sorted(set(_string_list(svc.get("cap_add"), where + ".cap_add")))
    out["cap_drop"] = sorted(set(_string_list(svc.get("cap_drop"), where + ".cap_drop")))
    for key in ("privileged", "read_only", "tty", "stdin_open"):
        out[key] = _bool(svc.get(key, False), f"{where}.{key}")
    out["init"] = None if svc.get("init") is None else _bool(svc.get("init"), where + ".init")
    hosts = _mapping("extra_hosts", svc.get("extra_hosts"), where)
    out["extra_hosts"] = [f"{host}:{ip}" for host, ip in sorted(hosts.items())]
    logging = svc.get("logging")
    if logging is not None:
        if not isinstance(logging, dict):
            raise ComposeError(f"{where}.logging: expected a mapping with driver and options.")
        _check_keys(logging, {"driver", "options"}, where + ".logging")
        options = logging.get("options") or {}
        if not isinstance(options, dict):
            raise ComposeError(f"{where}.logging.options: expected a mapping.")
        logging = {"driver": _scalar_str(logging.get("driver")), "options": {k: _scalar_str(v) for k, v in options.items()}}
    out["logging"] = logging
    out["stop_grace_period"] = parse_duration(svc.get("stop_grace_period"), where + ".stop_grace_period")

    memory = parse_size(svc.get("mem_limit"), where + ".mem_limit")
    cpus = svc.get("cpus")
    replicas = None
    deploy = svc.get("deploy")
    if deploy is not None:
        if not isinstance(deploy, dict):
            raise ComposeError(f"{where}.deploy: expected a mapping.")
        _check_keys(deploy, DEPLOY_KEYS, where + ".deploy")
        replicas = deploy.get("replicas")
        resources = deploy.get("resources") or {}
        _check_keys(resources, {"limits"}, where + ".deploy.resources")
        limits = resources.get("limits") or {}
        _check_keys(limits, {"memory", "cpus"}, where + ".deploy.resources.limits")
        if limits.get("memory") is not None:
            memory = parse_size(limits["memory"], where + ".deploy.resources.limits.memory")
        if limits.get("cpus") is not None:
            cpus = limits["cpus"]
        policy = deploy.get("restart_policy") or {}
        _check_keys(policy, {"condition", "max_attempts"}, where + ".deploy.restart_policy")
        if policy and out["restart"] is None:
            cond = {"none": "no", "on-failure": "on-failure", "any": "always"}.get(policy.get("condition", "any"))
            if cond is None:
                raise ComposeError(f"{where}.deploy.restart_policy.condition must be none, on-failure or any.")
            if cond == "on-failure" and policy.get("max_attempts"):
                cond += f":{int(policy['max_attempts'])}"
            out["restart"] = cond
    out["memory"] = memory
    if cpus is not None:
        try:
            cpus = float(cpus)
        except (TypeError, ValueError) as exc:
            raise ComposeError(f"{where}: cpus {cpus!r} must be a number like 0.5.") from exc
        if cpus <= 0:
            raise ComposeError(f"{where}: cpus {cpus!r} must be greater than 0.")
    out["cpus"] = cpus
    scale = svc.get("scale")
    if scale is not None and replicas is not None and scale != replicas:
        raise ComposeError(f"{where}: scale ({scale}) and deploy.replicas ({replicas}) disagree; keep one of them.")
    scale = scale if scale is not None else replicas
    if scale is None:
        scale = 1
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 0:
        raise ComposeError(f"{where}: scale / deploy.replicas must be a non-negative integer, got {scale!r}.")
    if scale > 1 and out["container_name"]:
        raise ComposeError(f"{where}: container_name {out['container_name']!r} allows only one container, but scale is {scale}.")
    out["scale"] = scale
    out["profiles"] = _string_list(svc.get("profiles"), where + ".profiles")
    return out


def _normalise_network(name: str, cfg: t.Any, project: str) -> dict[str, t.Any]:
    where = f"networks.{name}"
    cfg = cfg or {}
    if not isinstance(cfg, dict):
        raise ComposeError(f"{where}: expected a mapping (driver, ipam, external, name...).")
    _check_keys(cfg, NETWORK_KEYS, where)
    external = cfg.get("external", False)
    if isinstance(external, dict):  # legacy external: {name: x}
        cfg = dict(cfg, name=external.get("name") or cfg.get("name"))
        external = True
    external = _bool(external, where + ".external")
    ipam = cfg.get("ipam") or {}
    if not isinstance(ipam, dict):
        raise ComposeError(f"{where}.ipam: expected a mapping with driver and config.")
    _check_keys(ipam, {"driver", "config", "options"}, where + ".ipam")
    pools = []
    for i, pool in enumerate(ipam.get("config") or []):
        if not isinstance(pool, dict):
            raise ComposeError(f"{where}.ipam.config[{i}]: expected a mapping with subnet, gateway, ip_range.")
        _check_keys(pool, {"subnet", "gateway", "ip_range", "aux_addresses"}, f"{where}.ipam.config[{i}]")
        pools.append({k: pool[k] for k in ("subnet", "gateway", "ip_range", "aux_addresses") if pool.get(k) is not None})
    if external and any(cfg.get(k) for k in ("driver", "driver_opts", "ipam", "internal", "labels")):
        raise ComposeError(f"{where}: an external network is created elsewhere; remove driver, driver_opts, ipam, internal and labels.")
    return {
        "key": name,
        "name": str(cfg.get("name") or (name if external else f"{project}_{name}")),
        "external": external,
        "driver": cfg.get("driver") or "bridge",
        "driver_opts": {str(k): _scalar_str(v) for k, v in (cfg.get("driver_opts") or {}).items()},
        "ipam": {"driver": ipam.get("driver") or "default", "config": pools, "options": ipam.get("options") or {}},
        "internal": _bool(cfg.get("internal", False), where + ".internal"),
        "attachable": _bool(cfg.get("attachable", False), where + ".attachable"),
        "enable_ipv6": _bool(cfg.get("enable_ipv6", False), where + ".enable_ipv6"),
        "labels": {str(k): _scalar_str(v) or "" for k, v in _mapping("labels", cfg.get("labels"), where).items()},
    }


def _normalise_volume(name: str, cfg: t.Any, project: str) -> dict[str, t.Any]:
    where = f"volumes.{name}"
    cfg = cfg or {}
    if not isinstance(cfg, dict):
        raise ComposeError(f"{where}: expected a mapping (driver, driver_opts, external, name...).")
    _check_keys(cfg, VOLUME_KEYS, where)
    external = cfg.get("external", False)
    if isinstance(external, dict):
        cfg = dict(cfg, name=external.get("name") or cfg.get("name"))
        external = True
    external = _bool(external, where + ".external")
    if external and any(cfg.get(k) for k in ("driver", "driver_opts", "labels")):
        raise ComposeError(f"{where}: an external volume is created elsewhere; remove driver, driver_opts and labels.")
    return {
        "key": name,
        "name": str(cfg.get("name") or (name if external else f"{project}_{name}")),
        "external": external,
        "driver": cfg.get("driver") or "local",
        "driver_opts": {str(k): _scalar_str(v) for k, v in (cfg.get("driver_opts") or {}).items()},
        "labels": {str(k): _scalar_str(v) or "" for k, v in _mapping("labels", cfg.get("labels"), where).items()},
    }


def _find_cycle(services: dict[str, dict[str, t.Any]]) -> list[str] | None:
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


def build_project(
    merged: dict[str, t.Any],
    project_dir: str,
    env: t.Mapping[str, str],
    project_name: str | None = None,
    config_files: list[str] | None = None,
    profiles: list[str] | None = None,
) -> Project:
    """Validate and normalise a merged, interpolated Compose document."""
    _check_keys(merged, TOP_KEYS, "compose file")
    name_source = project_name or merged.get("name") or env.get("COMPOSE_PROJECT_NAME") or os.path.basename(os.path.abspath(project_dir))
    name = normalise_project_name(name_source)
    if not name:
        raise ComposeError(
            f"project name {name_source!r} has no usable character once normalised to [a-z0-9_-]; set project_name."
        )
    raw_services = merged.get("services") or {}
    if not isinstance(raw_services, dict) or not raw_services:
        raise ComposeError("compose file: no service is defined; add at least one under services:.")
    services = {}
    for sname, svc in raw_services.items():
        services[str(sname)] = normalise_service(str(sname), svc or {}, project_dir, env)
    active_profiles = set(profiles or [])
    disabled = sorted(s for s, svc in services.items() if svc["profiles"] and not active_profiles & set(svc["profiles"]))
    for sname in disabled:
        del services[sname]
    for sname, svc in services.items():
        for dep, cfg in list(svc["depends_on"].items()):
            if dep not in services:
                if dep in disabled or not cfg["required"] and dep not in raw_services:
                    del svc["depends_on"][dep]
                    continue
                raise ComposeError(
                    f"services.{sname}.depends_on: service {dep!r} is not defined; "
                    f"defined services: {', '.join(sorted(services))}."
                )
    cycle = _find_cycle(services)
    if cycle:
        raise ComposeError(f"services: dependency cycle {' -> '.join(cycle)}; remove one of these depends_on entries.")

    raw_networks = merged.get("networks") or {}
    if not isinstance(raw_networks, dict):
        raise ComposeError("networks: expected a mapping of network names.")
    networks = {str(k): _normalise_network(str(k), v, name) for k, v in raw_networks.items()}
    raw_volumes = merged.get("volumes") or {}
    if not isinstance(raw_volumes, dict):
        raise ComposeError("volumes: expected a mapping of volume names.")
    volumes = {str(k): _normalise_volume(str(k), v, name) for k, v in raw_volumes.items()}

    for sname, svc in services.items():
        for net in svc["networks"]:
            if net not in networks:
                if net == "default":
                    networks["default"] = _normalise_network("default", {}, name)
                else:
                    raise ComposeError(
                        f"services.{sname}.networks: network {net!r} is not declared; add it under the top-level networks:."
                    )
        for vol in svc["volumes"]:
            if vol["type"] == "volume" and vol["source"] and vol["source"] not in volumes:
                raise ComposeError(
                    f"services.{sname}.volumes: named volume {vol['source']!r} is not declared; add it under the "
                    "top-level volumes: (or write a path starting with / or ./ for a bind mount)."
                )
        ports_seen: dict[tuple[t.Any, ...], str] = {}
        for port in svc["ports"]:
            if port["published"] is None:
                continue
            key = (port["host_ip"], port["published"], port["protocol"])
            if key in ports_seen:
                raise ComposeError(f"services.{sname}.ports: host port {port['published']}/{port['protocol']} is published twice.")
            ports_seen[key] = sname
            if svc["scale"] > 1:
                raise ComposeError(
                    f"services.{sname}: scale {svc['scale']} with the fixed host port {port['published']} would conflict; "
                    "publish without a host port or use scale 1."
                )
    warnings = []
    for sname, svc in raw_services.items():
        for index, entry in enumerate((svc or {}).get("volumes") or [] if isinstance(svc, dict) else []):
            source = entry.get("source") if isinstance(entry, dict) else str(entry).split(":", 1)[0]
            warning = relative_bind_warning(str(source or ""), project_dir, f"services.{sname}.volumes[{index}]")
            if warning:
                warnings.append(warning)
    return Project(
        warnings=warnings,
        name=name,
        working_dir=project_dir,
        config_files=list(config_files or []),
        services=services,
        networks=networks,
        volumes=volumes,
        disabled=disabled,
    )


def find_files(project_src: str | None, files: list[str] | None) -> list[str]:
    """The Compose files to read, absolute, in merge order."""
    base = os.path.abspath(project_src) if project_src else os.getcwd()
    if files:
        result = []
        for item in files:
            path = os.path.normpath(os.path.join(base, os.path.expanduser(item)))
            if not os.path.isfile(path):
                raise ComposeError(f"files: {path} does not exist; check the path (relative paths are read from project_src).")
            result.append(path)
        return result
    if project_src and not os.path.isdir(base):
        raise ComposeError(f"project_src: {base} is not a directory; point it at the folder holding the Compose file.")
    for fname in DEFAULT_FILENAMES:
        path = os.path.join(base, fname)
        if os.path.isfile(path):
            result = [path]
            for override in OVERRIDE_FILENAMES[fname]:
                opath = os.path.join(base, override)
                if os.path.isfile(opath):
                    result.append(opath)
                    break
            return result
    raise ComposeError(
        f"project_src: no Compose file in {base}; expected one of {', '.join(DEFAULT_FILENAMES)} (or set files or definition)."
    )


def project_environment(
    project_dir: str, os_env: t.Mapping[str, str], extra: t.Mapping[str, t.Any] | None, env_files: list[str] | None = None
) -> dict[str, str]:
    """The variables for interpolation: .env (or env_files) < process environment < the env option."""
    result: dict[str, str] = {}
    if env_files is None:
        default = os.path.join(project_dir, ".env")
        env_files = [default] if os.path.isfile(default) else []
    for item in env_files:
        path = os.path.normpath(os.path.join(project_dir, os.path.expanduser(item)))
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ComposeError(f"env_files: cannot read {path}: {exc.strerror or exc}.") from exc
        result.update(parse_env_file(text, {**result, **os_env}, path))
    result.update(os_env)
    for key, value in (extra or {}).items():
        result[str(key)] = "" if value is None else _scalar_str(value) or ""
    return result


def load_project(
    project_src: str | None = None,
    files: list[str] | None = None,
    definition: dict[str, t.Any] | None = None,
    project_name: str | None = None,
    env: t.Mapping[str, t.Any] | None = None,
    env_files: list[str] | None = None,
    profiles: list[str] | None = None,
    os_env: t.Mapping[str, str] | None = None,
) -> Project:
    """Everything together: find/read/interpolate/merge/validate/normalise."""
    os_env = dict(os.environ if os_env is None else os_env)
    if definition is not None and files:
        raise ComposeError("definition and files are mutually exclusive: give the project inline or as files.")
    project_dir = os.path.abspath(project_src) if project_src else None
    if definition is not None:
        if not isinstance(definition, dict):
            raise ComposeError("definition: expected a mapping, the content of a Compose file.")
        project_dir = project_dir or os.getcwd()
        variables = project_environment(project_dir, os_env, env, env_files)
        docs = [("definition", interpolate(definition, variables, "definition"))]
        config_files: list[str] = []
    else:
        paths = find_files(project_src, files)
        project_dir = project_dir or os.path.dirname(paths[0])
        variables = project_environment(project_dir, os_env, env, env_files)
        docs = []
        for path in paths:
            docs.append((path, interpolate(load_yaml(read_file(path), path), variables, os.path.basename(path))))
        config_files = paths
    merged = merge_documents(docs)
    return build_project(merged, project_dir, variables, project_name, config_files, profiles)


def config_hash(service: dict[str, t.Any], extra: t.Any = None) -> str:
    """sha256 of the normalised service (plus what it resolves to), the com.docker.compose.config-hash label."""
    data = {k: v for k, v in service.items() if k not in ("scale", "profiles", "depends_on", "pull_policy")}
    data["depends_on"] = sorted(service.get("depends_on", {}))
    data["extra"] = extra
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
