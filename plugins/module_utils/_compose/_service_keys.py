# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 5 (continued): the service keys that are one container option each (``sysctls``, ``ulimits``,
``devices``, ``dns``, ``security_opt``, namespaces, cgroups, CPU, memory and block IO limits, ``gpus``...)
normalized into the container module's own option names (``svc["container"]``): the container option
table then parses, compares, sends and shows them, as for a ``container`` task. Keys that name another
service (``volumes_from``, ``ipc``/``pid``/``network_mode: service:X``, ``links``) are kept apart and
resolved to container names by the converger.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._validate import (
    ComposeError,
    boolean,
    check_keys,
    mapping,
    parse_size,
    scalar_str,
    string_list,
)

# compose key -> container option, for the keys that are a plain string
STRING_KEYS = {
    "platform": "platform", "userns_mode": "userns_mode", "cgroup_parent": "cgroup_parent", "runtime": "runtime",
    "mac_address": "mac_address", "domainname": "domainname", "uts": "uts", "cgroup": "cgroupns_mode",
    "cpuset": "cpuset_cpus", "cpuset_mems": "cpuset_mems",
}
INT_KEYS = {"oom_score_adj": "oom_score_adj", "pids_limit": "pids_limit", "cpu_shares": "cpu_shares",
            "cpu_quota": "cpu_quota", "cpu_period": "cpu_period", "mem_swappiness": "memory_swappiness"}
SIZE_KEYS = {"shm_size": "shm_size", "mem_reservation": "memory_reservation", "memswap_limit": "memory_swap"}
LIST_KEYS = {"dns": "dns", "dns_search": "dns_search", "dns_opt": "dns_opts", "security_opt": "security_opts",
             "group_add": "groups", "device_cgroup_rules": "device_cgroup_rules"}
HOOK_KEYS = {"command", "user", "privileged", "working_dir", "environment"}


def _int(value: t.Any, where: str) -> int:
    if isinstance(value, bool):
        raise ComposeError(f"{where}: expected a whole number, got {value!r}.")
    try:
        return int(str(value))
    except ValueError:
        raise ComposeError(f"{where}: expected a whole number, got {value!r}.") from None


def _size_text(value: t.Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return str(value)  # memswap_limit: -1 is unlimited swap
    size = parse_size(value, where)
    return None if size is None else str(size)


def _ulimits(value: t.Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        raise ComposeError(f"{where}: expected a mapping like {{nofile: {{soft: 1024, hard: 2048}}, nproc: 512}}.")
    out = []
    for name, limit in sorted(value.items()):
        if isinstance(limit, dict):
            check_keys(limit, {"soft", "hard"}, f"{where}.{name}")
            if limit.get("soft") is None or limit.get("hard") is None:
                raise ComposeError(f"{where}.{name}: give both soft and hard.")
            out.append(f"{name}={_int(limit['soft'], f'{where}.{name}.soft')}:{_int(limit['hard'], f'{where}.{name}.hard')}")
        else:
            out.append(f"{name}={_int(limit, f'{where}.{name}')}")
    return out


def _devices(value: t.Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise ComposeError(f"{where}: expected a list like ['/dev/fuse', '/dev/sda:/dev/xvda:rwm'].")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            check_keys(item, {"source", "target", "permissions"}, f"{where}[{i}]")
            source = scalar_str(item.get("source"))
            if not source:
                raise ComposeError(f"{where}[{i}]: a device needs source, a path on the host.")
            text = source + ":" + (scalar_str(item.get("target")) or source)
            if item.get("permissions"):
                text += ":" + str(item["permissions"])
            out.append(text)
        elif isinstance(item, str) and item.startswith("/"):
            out.append(item)
        else:
            raise ComposeError(
                f"{where}[{i}]: {item!r} is not a device path; CDI device names need the Compose CLI with CDI support."
            )
    return out


def _gpus(value: t.Any, where: str) -> list[dict[str, t.Any]]:
    if value == "all":
        return [{"driver": "nvidia", "count": -1, "capabilities": [["gpu"]]}]
    if not isinstance(value, list):
        raise ComposeError(f"{where}: expected all or a list of {{driver, count, device_ids, capabilities, options}}.")
    return [_device_request(item, f"{where}[{i}]", ["gpu"]) for i, item in enumerate(value)]


def _device_request(item: t.Any, where: str, default_caps: list[str] | None = None) -> dict[str, t.Any]:
    if not isinstance(item, dict):
        raise ComposeError(f"{where}: expected a mapping with driver, count, device_ids, capabilities, options.")
    check_keys(item, {"driver", "count", "device_ids", "capabilities", "options"}, where)
    count = item.get("count")
    if count == "all":
        count = -1
    elif count is not None:
        count = _int(count, where + ".count")
    caps = string_list(item.get("capabilities"), where + ".capabilities") or list(default_caps or [])
    if not caps:
        raise ComposeError(f"{where}.capabilities: name at least one capability, like [gpu].")
    request: dict[str, t.Any] = {"capabilities": [caps]}
    if item.get("driver"):
        request["driver"] = str(item["driver"])
    ids = string_list(item.get("device_ids"), where + ".device_ids")
    if ids:
        request["device_ids"] = ids
    elif count is not None:
        request["count"] = count
    elif not ids:
        request["count"] = -1
    if item.get("options"):
        request["options"] = {str(k): scalar_str(v) or "" for k, v in dict(item["options"]).items()}
    return request


def _blkio(value: t.Any, where: str, out: dict[str, t.Any]) -> None:
    if not isinstance(value, dict):
        raise ComposeError(f"{where}: expected a mapping with weight, weight_device, device_read_bps...")
    check_keys(value, {"weight", "weight_device", "device_read_bps", "device_write_bps", "device_read_iops",
                       "device_write_iops"}, where)
    if value.get("weight") is not None:
        out["blkio_weight"] = _int(value["weight"], where + ".weight")
    weights = _device_rows(value, "weight_device", "weight", where)
    for i, row in enumerate(weights):
        row["weight"] = _int(row["weight"], f"{where}.weight_device[{i}].weight")
        if not 10 <= row["weight"] <= 1000:
            raise ComposeError(f"{where}.weight_device[{i}].weight: {row['weight']} is not between 10 and 1000.")
    if weights:
        out["blkio_weight_device"] = weights
    for key in ("device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"):
        rows = _device_rows(value, key, "rate", where)
        if rows:
            out[key] = [{"path": row["path"], "rate": str(row["rate"])} for row in rows]


def _device_rows(value: dict[str, t.Any], key: str, field: str, where: str) -> list[dict[str, t.Any]]:
    """blkio_config's per-device lists: [{path, FIELD}], checked once for the weights and the four limits."""
    entries = value.get(key) or []
    if not isinstance(entries, list):
        raise ComposeError(f"{where}.{key}: expected a list of {{path, {field}}}.")
    rows = []
    for i, entry in enumerate(entries):
        at = f"{where}.{key}[{i}]"
        if not isinstance(entry, dict) or not entry.get("path") or entry.get(field) is None:
            raise ComposeError(f"{at}: expected {{path: /dev/sda, {field}: ...}}.")
        check_keys(entry, {"path", field}, at)
        rows.append({"path": str(entry["path"]), field: entry[field]})
    return rows


def _hooks(value: t.Any, where: str) -> list[dict[str, t.Any]]:
    from ansible_collections.devops.docker.plugins.module_utils._compose._validate import command_list  # pylint: disable=import-outside-toplevel

    if not isinstance(value, list):
        raise ComposeError(f"{where}: expected a list of {{command, user, privileged, working_dir, environment}}.")
    hooks = []
    for i, hook in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(hook, dict) or hook.get("command") is None:
            raise ComposeError(f"{at}: a hook needs command.")
        check_keys(hook, HOOK_KEYS, at)
        env = {str(k): scalar_str(v) or "" for k, v in mapping("environment", hook.get("environment"), at).items() if v is not None}
        hooks.append({
            "command": command_list(hook["command"], at + ".command"),
            "user": scalar_str(hook.get("user")),
            "privileged": boolean(hook.get("privileged", False), at + ".privileged"),
            "working_dir": scalar_str(hook.get("working_dir")),
            "environment": env,
        })
    return hooks


def service_ref(value: str | None) -> str | None:
    """The service named by 'service:NAME' (ipc, pid, network_mode), else None."""
    if value and value.startswith("service:"):
        return value[len("service:"):]
    return None


def normalize_service_keys(svc: dict[str, t.Any], where: str, out: dict[str, t.Any]) -> None:
    """Fill out["container"] (container options), out["refs"] (names of other services) and out["hooks"]."""
    container: dict[str, t.Any] = {}
    for key, option in STRING_KEYS.items():
        if svc.get(key) is not None:
            container[option] = str(svc[key])
    if container.get("cgroupns_mode") not in (None, "host", "private"):
        raise ComposeError(f"{where}.cgroup: {container['cgroupns_mode']!r} must be host or private.")
    for key, option in INT_KEYS.items():
        if svc.get(key) is not None:
            container[option] = _int(svc[key], f"{where}.{key}")
    for key, option in SIZE_KEYS.items():
        if svc.get(key) is not None:
            container[option] = _size_text(svc[key], f"{where}.{key}")
    for key, option in LIST_KEYS.items():
        if svc.get(key) is not None:
            container[option] = string_list(svc[key], f"{where}.{key}")
    if svc.get("oom_kill_disable") is not None:
        container["oom_killer"] = boolean(svc["oom_kill_disable"], where + ".oom_kill_disable")
    if svc.get("sysctls") is not None:
        container["sysctls"] = {str(k): scalar_str(v) or "" for k, v in mapping("sysctls", svc["sysctls"], where).items()}
    if svc.get("ulimits") is not None:
        container["ulimits"] = _ulimits(svc["ulimits"], where + ".ulimits")
    if svc.get("devices") is not None:
        container["devices"] = _devices(svc["devices"], where + ".devices")
    if svc.get("storage_opt") is not None:
        container["storage_opts"] = {str(k): scalar_str(v) or "" for k, v in mapping("storage_opt", svc["storage_opt"], where).items()}
    if svc.get("blkio_config") is not None:
        _blkio(svc["blkio_config"], where + ".blkio_config", container)
    if svc.get("gpus") is not None:
        container["device_requests"] = _gpus(svc["gpus"], where + ".gpus")
    refs: dict[str, t.Any] = {}
    for key, option in (("ipc", "ipc_mode"), ("pid", "pid_mode")):
        value = scalar_str(svc.get(key))
        if value is None:
            continue
        if service_ref(value):
            refs[option] = service_ref(value)
        else:
            container[option] = value
    volumes_from = []
    for item in string_list(svc.get("volumes_from"), where + ".volumes_from"):
        if not item.strip() or item.startswith(":") or item == "container:":
            raise ComposeError(f"{where}.volumes_from: {item!r} names no service; write SERVICE[:ro|rw] or "
                               "container:NAME[:ro|rw] (is a variable not set?).")
        if item.startswith("container:"):
            volumes_from.append({"container": item[len("container:"):]})
            continue
        name, _sep, mode = item.partition(":")
        if mode and mode not in ("ro", "rw"):
            raise ComposeError(f"{where}.volumes_from: {item!r}: the mode must be ro or rw.")
        volumes_from.append({"service": name, "mode": mode})
    refs["volumes_from"] = volumes_from
    links = []
    for item in string_list(svc.get("links"), where + ".links"):
        name, _sep, alias = item.partition(":")
        links.append({"service": name, "alias": alias or name})
    refs["links"] = links
    refs["external_links"] = string_list(svc.get("external_links"), where + ".external_links")
    out["container"] = container
    out["refs"] = refs
    out["hooks"] = {
        "post_start": _hooks(svc["post_start"], where + ".post_start") if svc.get("post_start") is not None else [],
        "pre_stop": _hooks(svc["pre_stop"], where + ".pre_stop") if svc.get("pre_stop") is not None else [],
    }
    out["attach"] = boolean(svc.get("attach", True), where + ".attach")


def reservations(resources: dict[str, t.Any], where: str, out: dict[str, t.Any], warn: list[str]) -> None:
    """deploy.resources.reservations on one engine: memory is a soft limit (--memory-reservation), devices are
    device requests (--gpus); a CPU reservation is a Swarm scheduling input with no engine setting."""
    res = resources.get("reservations")
    if not res:
        return
    check_keys(res, {"cpus", "memory", "devices", "generic_resources", "pids"}, where)
    if res.get("memory") is not None:
        out["container"]["memory_reservation"] = _size_text(res["memory"], where + ".memory")
    if res.get("devices"):
        if not isinstance(res["devices"], list):
            raise ComposeError(f"{where}.devices: expected a list of {{capabilities, driver, count, device_ids}}.")
        requests = out["container"].setdefault("device_requests", [])
        requests.extend(_device_request(d, f"{where}.devices[{i}]") for i, d in enumerate(res["devices"]))
    if res.get("cpus") is not None:
        warn.append(
            f"{where}.cpus is a Swarm scheduling reservation; a single Docker Engine has no setting for it, so it is "
            "ignored, as docker compose does (use cpus or deploy.resources.limits.cpus to limit the service)."
        )
    if res.get("generic_resources"):
        if not isinstance(res["generic_resources"], list):
            raise ComposeError(f"{where}.generic_resources: expected a list of {{discrete_resource_spec: {{kind, value}}}}.")
        warn.append(
            f"{where}.generic_resources are Swarm scheduling resources; a single Docker Engine has no setting for them, "
            "so they are ignored, as docker compose does (deploy the file as a stack to use them)."
        )


def limits_pids(limits: dict[str, t.Any], where: str, out: dict[str, t.Any]) -> None:
    if limits.get("pids") is not None:
        pids = _int(limits["pids"], where + ".pids")
        if out["container"].get("pids_limit") not in (None, pids):
            raise ComposeError(f"{where.rsplit('.deploy', 1)[0]}: pids_limit and deploy.resources.limits.pids are one "
                               "setting with distinct values here; keep one of them.")
        out["container"]["pids_limit"] = pids


PULL_EVERY_RE = re.compile(r"every_(\d+[smhdw]?(?:\d+[smhdw])*)")
