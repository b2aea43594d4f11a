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
    # one container option each (_service_keys)
    "platform", "sysctls", "ulimits", "devices", "shm_size", "dns", "dns_search", "dns_opt", "volumes_from",
    "security_opt", "pid", "ipc", "uts", "userns_mode", "cgroup_parent", "cgroup", "runtime", "storage_opt",
    "mac_address", "domainname", "group_add", "oom_score_adj", "oom_kill_disable", "pids_limit", "cpu_shares",
    "cpu_quota", "cpu_period", "cpuset", "mem_reservation", "memswap_limit", "mem_swappiness", "blkio_config",
    "device_cgroup_rules", "gpus", "links", "external_links", "label_file",
    "secrets", "configs", "post_start", "pre_stop", "attach", "extends", "develop",
    "isolation",  # 'default' only: what a Linux engine runs anyway (checked in unsupported_keys)
}
# Keys the specification defines that one Docker Engine cannot honour: an error that says why.
NOT_ON_ONE_ENGINE = {
    "cpu_count": "Windows containers only", "cpu_percent": "Windows containers only",
    "cpu_rt_runtime": "needs a realtime-scheduler kernel and is not in the container option table",
    "cpu_rt_period": "needs a realtime-scheduler kernel and is not in the container option table",
    "credential_spec": "Windows containers only", "isolation": "Windows containers only",
    "annotations": "not in the container option table yet", "use_api_socket": "Docker Desktop only",
    "models": "Docker Model Runner only", "provider": "Compose provider services need the Compose CLI",
    "pull_refresh_after": "not implemented",
    "interface_name": "needs Engine API 1.49",
}
# Keys meant for another tool: accepted, not applied, with a warning that says so.
OTHER_TOOLS = {"develop": "docker compose watch"}
TOP_KEYS = {"version", "name", "services", "networks", "volumes", "secrets", "configs", "include"}
NETWORK_KEYS = {"driver", "driver_opts", "ipam", "external", "name", "internal", "attachable", "enable_ipv6", "labels"}
VOLUME_KEYS = {"driver", "driver_opts", "external", "name", "labels"}
SECRET_KEYS = {"file", "environment", "content", "external", "name", "labels", "driver", "driver_opts",
               "template_driver"}
DEPLOY_KEYS = {"replicas", "resources", "restart_policy", "mode", "labels", "placement", "update_config",
               "rollback_config", "endpoint_mode"}
# deploy keys that only a Swarm scheduler reads: ignored on one engine with a warning, as docker compose does
SWARM_ONLY_DEPLOY = {"mode", "labels", "placement", "update_config", "rollback_config", "endpoint_mode"}
BUILD_KEYS = {"context", "dockerfile", "dockerfile_inline", "args", "target", "labels", "network", "no_cache", "pull",
              "shm_size", "additional_contexts", "secrets", "ssh", "cache_from", "cache_to", "platforms", "tags",
              "extra_hosts", "isolation", "privileged", "ulimits", "entitlements", "provenance", "sbom", "no_cache_filter"}
# build keys not sent to the Engine's /build endpoint (the classic builder)
BUILD_NOT_YET = {"isolation", "privileged", "ulimits"}
BUILDKIT_ONLY = {"additional_contexts", "secrets", "ssh", "cache_to", "platforms", "entitlements", "provenance",
                 "sbom", "no_cache_filter"}
BUILDKIT_WHY = ("needs BuildKit, which the Engine API's /build does not run (the classic builder); build the image with "
                "docker buildx build, then use it with image: and pull_policy: never")
NESTED = {
    "healthcheck": {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"},
    "logging": {"driver", "options"},
    "deploy": DEPLOY_KEYS,
    "build": BUILD_KEYS,
    "blkio_config": {"weight", "weight_device", "device_read_bps", "device_write_bps", "device_read_iops",
                     "device_write_iops"},
}
SERVICE_NETWORK_KEYS = {"aliases", "ipv4_address", "ipv6_address", "link_local_ips", "priority", "mac_address",
                        "driver_opts", "gw_priority"}
VOLUME_ENTRY_KEYS = {"type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency", "image"}
RESTART_VALUES = {"no", "always", "on-failure", "unless-stopped"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def unsupported_keys(doc: dict[str, t.Any]) -> list[str]:
    """Every key of a merged document this collection does not know, as 'path (why)', all at once."""
    found: list[str] = []

    def unknown(obj: t.Any, allowed: set[str], where: str) -> None:
        if not isinstance(obj, dict):
            return
        for key in obj:
            if isinstance(key, str) and (key.startswith("x-") or key in allowed):
                continue
            why = NOT_ON_ONE_ENGINE.get(str(key)) or did_you_mean(str(key), allowed)
            found.append(f"{where}.{key}" + (f" ({why})" if why else ""))

    unknown(doc, TOP_KEYS, "compose file")
    for section, allowed in (("networks", NETWORK_KEYS), ("volumes", VOLUME_KEYS), ("secrets", SECRET_KEYS),
                             ("configs", SECRET_KEYS)):
        for name, obj in (doc.get(section) or {}).items() if isinstance(doc.get(section), dict) else []:
            unknown(obj, allowed, f"{section}.{name}")
    services = doc.get("services")
    for name, svc in (services.items() if isinstance(services, dict) else []):
        if not isinstance(svc, dict):
            continue
        where = f"services.{name}"
        unknown(svc, SERVICE_KEYS, where)
        if svc.get("isolation") not in (None, "", "default"):
            found.append(f"{where}.isolation ({svc['isolation']!r}: Windows containers only; a Linux engine takes "
                         "'default' only)")
        for key, allowed in NESTED.items():
            unknown(svc.get(key), allowed, f"{where}.{key}")
        build = svc.get("build")
        if isinstance(build, dict):
            for key in sorted(BUILD_NOT_YET & set(build)):
                if build[key]:
                    found.append(f"{where}.build.{key} (the image module's build has no such option yet; build the image "
                                 "first, then use it with image: and pull_policy: never)")
            for key in sorted(BUILDKIT_ONLY & set(build)):
                if build[key]:
                    found.append(f"{where}.build.{key} ({BUILDKIT_WHY})")
            for index, entry in enumerate(build.get("cache_from") if isinstance(build.get("cache_from"), list) else []):
                kind = dict(p.partition("=")[::2] for p in str(entry).split(",")).get("type", "registry")
                if "type=" in str(entry) and kind != "registry":
                    found.append(f"{where}.build.cache_from[{index}] (a type={kind} cache {BUILDKIT_WHY})")
        deploy = svc.get("deploy")
        if isinstance(deploy, dict) and isinstance(deploy.get("resources"), dict):
            unknown(deploy["resources"], {"limits", "reservations"}, f"{where}.deploy.resources")
            unknown(deploy["resources"].get("limits"), {"cpus", "memory", "pids"}, f"{where}.deploy.resources.limits")
        if isinstance(deploy, dict):
            unknown(deploy.get("restart_policy"), {"condition", "max_attempts", "delay", "window"}, f"{where}.deploy.restart_policy")
        nets = svc.get("networks")
        for net, cfg in (nets.items() if isinstance(nets, dict) else []):
            unknown(cfg, SERVICE_NETWORK_KEYS, f"{where}.networks.{net}")
        for i, vol in enumerate(svc.get("volumes") if isinstance(svc.get("volumes"), list) else []):
            unknown(vol, VOLUME_ENTRY_KEYS, f"{where}.volumes[{i}]")
            if isinstance(vol, dict):
                unknown(vol.get("bind"), {"create_host_path", "propagation", "selinux"}, f"{where}.volumes[{i}].bind")
                unknown(vol.get("volume"), {"nocopy", "subpath"}, f"{where}.volumes[{i}].volume")
                unknown(vol.get("tmpfs"), {"size", "mode"}, f"{where}.volumes[{i}].tmpfs")
        for key in ("secrets", "configs"):
            for i, ref in enumerate(svc.get(key) if isinstance(svc.get(key), list) else []):
                unknown(ref, {"source", "target", "uid", "gid", "mode"}, f"{where}.{key}[{i}]")
        deps = svc.get("depends_on")
        for dep, cfg in (deps.items() if isinstance(deps, dict) else []):
            unknown(cfg, {"condition", "restart", "required"}, f"{where}.depends_on.{dep}")
    return found


def check_supported(doc: dict[str, t.Any]) -> None:
    """One error for every key of the document that cannot be honoured."""
    found = unsupported_keys(doc)
    if len(found) == 1:
        path, _sep, why = found[0].partition(" (")
        raise ComposeError(
            f"{path} is not supported by devops.docker.compose{' (' + why if why else ''}; remove it from the Compose "
            "file (or manage that part with the devops.docker container, network or volume modules)."
        )
    if found:
        raise ComposeError(
            f"{len(found)} keys of the Compose file cannot be honoured by devops.docker.compose: {'; '.join(found)}. "
            "Remove them (or manage that part with the devops.docker container, network or volume modules)."
        )


def did_you_mean(key: str, allowed: t.Iterable[str]) -> str:
    """'unknown key; did you mean environment?' for a misspelt key (enviroment), else ''."""
    import difflib  # pylint: disable=import-outside-toplevel

    match = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.75)
    return f"unknown key; did you mean {match[0]}?" if match else ""


def unsupported(where: str, key: str, allowed: t.Iterable[str] = ()) -> ComposeError:
    hint = did_you_mean(key, allowed)
    return ComposeError(
        f"{where}.{key} is not supported by devops.docker.compose{' (' + hint + ')' if hint else ''}; remove it from "
        "the Compose file (or manage that part with the devops.docker container, network or volume modules)."
    )


def check_keys(obj: dict[str, t.Any], allowed: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise ComposeError(f"{where}: expected a mapping (with {', '.join(sorted(allowed))}), got {obj!r}.")
    bad = []
    for key in obj:
        if not isinstance(key, str):
            raise ComposeError(f"{where}: key {key!r} must be a string.")
        if key.startswith("x-"):
            continue
        if key not in allowed:
            bad.append(key)
    if len(bad) == 1:
        raise unsupported(where, bad[0], allowed)
    if bad:
        raise ComposeError(
            f"{', '.join(f'{where}.{k}' for k in bad)} are not supported by devops.docker.compose; remove them from the "
            "Compose file (or manage that part with the devops.docker container, network or volume modules)."
        )


def top_objects(section: str, raw: t.Any, keys: set[str], what: str) -> t.Iterator[tuple[str, str, dict[str, t.Any], bool]]:
    """The entries of a top-level networks/volumes/secrets/configs section, checked once for all four:
    (name, where, settings, external), the legacy ``external: {name: X}`` folded into ``name``."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise ComposeError(f"{section}: expected a mapping of names to {{{what}}}.")
    for name, cfg in raw.items():
        where = f"{section}.{name}"
        cfg = {} if cfg is None else cfg
        if not isinstance(cfg, dict):
            raise ComposeError(f"{where}: expected a mapping ({what}).")
        check_keys(cfg, keys, where)
        external = cfg.get("external", False)
        if isinstance(external, dict):
            cfg = dict(cfg, name=external.get("name") or cfg.get("name"))
            external = True
        yield str(name), where, cfg, boolean(external, where + ".external")


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


def whole_number(value: t.Any, where: str) -> int:
    """An integer written as a number or a numeric string; anything else names the key."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]+\s*", value):
        return int(value)
    raise ComposeError(f"{where}: expected a whole number, got {value!r}.")


def string_map(value: t.Any, where: str) -> dict[str, str]:
    """driver_opts and the like: a mapping of names to scalar values (as strings)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or any(isinstance(v, (dict, list)) for v in value.values()):
        raise ComposeError(f"{where}: expected a mapping of names to values, got {value!r}.")
    return {str(k): scalar_str(v) or "" for k, v in value.items()}


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


def named_mappings(key: str, value: t.Any, where: str, keys: set[str], what: str) -> t.Iterator[tuple[str, str, dict[str, t.Any]]]:
    """A service's networks / depends_on: (name, where, settings) for each entry, written as a list or a mapping
    (an entry without settings is an empty mapping)."""
    for name, cfg in mapping(key, value, where).items():
        at = f"{where}.{key}.{name}"
        cfg = {} if cfg is None else cfg
        if not isinstance(cfg, dict):
            raise ComposeError(f"{at}: expected a mapping with {what}.")
        check_keys(cfg, keys, at)
        yield str(name), at, cfg


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


def _as_compose_error(parse: t.Callable[[t.Any, str], t.Any]) -> t.Callable[[t.Any, str], t.Any]:
    """A value-layer parser whose errors are ComposeErrors (they name the Compose key)."""
    def wrapped(value: t.Any, where: str) -> t.Any:
        try:
            return parse(value, where)
        except ComposeError:
            raise
        except SpecError as exc:
            raise ComposeError(str(exc)) from exc
    return wrapped


parse_duration = _as_compose_error(_parse_duration)
parse_size = _as_compose_error(_parse_size)


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
