# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 3: merging, as the Compose specification's merge rules write it (several ``-f`` files, an
``extends``'d service under its extending one, an ``include``d model): mappings merge recursively;
``command``, ``entrypoint`` and ``healthcheck.test`` are replaced; maps written as lists (``environment``,
``labels``, ``extra_hosts``, ``sysctls``, ``ulimits``, ``depends_on``, ``networks``, ``build.args``...)
merge by key; ``volumes`` and ``tmpfs`` merge by target, ``devices`` by container path, ``secrets`` and
``configs`` by source; the other sequences append without duplicates. ``!reset`` removes a key,
``!override`` replaces it whole.
"""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._tags import Override, Reset, strip
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError, list_to_map, split_volume


REPLACE = {"command", "entrypoint", "test"}
MAP_KEYS = {"environment", "labels", "extra_hosts", "depends_on", "networks", "sysctls", "annotations", "ulimits",
            "args", "options", "driver_opts", "additional_contexts", "links_map"}
BY_TARGET = {"volumes", "secrets", "configs"}
UNIQUE = {"ports", "expose", "cap_add", "cap_drop", "profiles", "security_opt", "external_links", "devices",
          "group_add", "device_cgroup_rules", "volumes_from"}


def _identity(key: str, item: t.Any) -> t.Any:
    """What makes two entries of a merged sequence the same entry (the later one wins)."""
    if key == "volumes":
        return volume_target(item)
    if key in ("secrets", "configs"):
        if isinstance(item, dict):
            return str(item.get("target") or item.get("source"))
        return str(item)
    return repr(item)


def _unwrap(value: t.Any) -> t.Any:
    return value.value if isinstance(value, Override) else value


def merge_value(key: str, old: t.Any, new: t.Any, where: str) -> t.Any:
    """new merged over old for the attribute key (markers in new applied)."""
    if isinstance(new, Override):
        return copy.deepcopy(new.value)
    old = _unwrap(old)
    if old is None or isinstance(old, Reset):
        return copy.deepcopy(new)
    if new is None:
        return copy.deepcopy(old) if key in MAP_KEYS or isinstance(old, (dict, list)) else None
    if key in REPLACE:
        return copy.deepcopy(new)
    if key in MAP_KEYS and (isinstance(old, (dict, list)) and isinstance(new, (dict, list))):
        old_m = list_to_map(key if key != "args" else "environment", old, where)
        new_m = list_to_map(key if key != "args" else "environment", new, where)
        if isinstance(old_m, dict) and isinstance(new_m, dict):
            return merge_mapping(old_m, new_m, where + "." + key, flat=key not in ("depends_on", "networks", "ulimits"))
        return copy.deepcopy(new)
    if key == "build" and isinstance(old, (str, dict)) and isinstance(new, (str, dict)):
        old_b = {"context": old} if isinstance(old, str) else old
        new_b = {"context": new} if isinstance(new, str) else new
        return merge_mapping(old_b, new_b, where + ".build")
    if isinstance(old, dict) and isinstance(new, dict):
        return merge_mapping(old, new, where + "." + key)
    if isinstance(old, list) or isinstance(new, list):
        old_l = old if isinstance(old, list) else [old]
        new_l = new if isinstance(new, list) else [new]
        items = [copy.deepcopy(i) for i in old_l + new_l if not isinstance(i, Reset)]
        if key not in BY_TARGET and key not in UNIQUE:
            return items  # a plain sequence appends (dns keeps a repeated server)
        by_id: dict[t.Any, t.Any] = {}
        for item in items:
            ident = _identity(key, item)
            if key in UNIQUE and ident in by_id:
                continue
            by_id.pop(ident, None)  # by target: the later entry replaces the earlier one, at the end
            by_id[ident] = item
        return list(by_id.values())
    return copy.deepcopy(new)


def merge_mapping(base: dict[str, t.Any], over: dict[str, t.Any], where: str, flat: bool = False) -> dict[str, t.Any]:
    """Keys of over merged into base: a ``!reset`` value removes the key, ``!override`` replaces it; with
    flat, values are replaced (environment, labels...) rather than merged."""
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, Reset):
            result.pop(key, None)
        elif key not in result:
            result[key] = copy.deepcopy(value)
        elif flat:
            result[key] = copy.deepcopy(_unwrap(value))
        else:
            result[key] = merge_value(str(key), result[key], value, where)
    return result


def merge_service(base: dict[str, t.Any], over: dict[str, t.Any], where: str) -> dict[str, t.Any]:
    return merge_mapping(base, over, where)


def deep_merge(base: dict[str, t.Any], over: dict[str, t.Any]) -> dict[str, t.Any]:
    return merge_mapping(base, over, "")


def volume_target(item: t.Any) -> str:
    if isinstance(item, dict):
        return str(item.get("target", ""))
    parts = split_volume(str(item))
    return parts[1] if len(parts) > 1 else parts[0]


SECTIONS = ("networks", "volumes", "secrets", "configs")


def merge_documents(docs: list[tuple[str, dict[str, t.Any]]], finish: bool = True) -> dict[str, t.Any]:
    """Merge already-interpolated documents in order (later files win); with finish, the merge markers
    left over are resolved (``strip``)."""
    result: dict[str, t.Any] = {}
    for where, doc in docs:
        for key, value in doc.items():
            if isinstance(value, Reset):
                result.pop(key, None)
                continue
            if key == "services":
                value = _unwrap(value)
                if value is None:
                    continue
                if not isinstance(value, dict):
                    raise ComposeError(f"{where}: services must be a mapping of service names to definitions.")
                services = result.setdefault("services", {})
                for name, svc in value.items():
                    if isinstance(svc, Reset):
                        services.pop(name, None)
                        continue
                    if isinstance(svc, Override):
                        services[name] = copy.deepcopy(svc.value)
                        continue
                    svc = {} if svc is None else svc
                    if not isinstance(svc, dict):
                        raise ComposeError(f"{where}: services.{name} must be a mapping, not {type(svc).__name__}.")
                    services[name] = merge_service(services.get(name) or {}, svc, f"services.{name}")
            elif key in SECTIONS and isinstance(_unwrap(value), dict):
                section = result.setdefault(key, {})
                if isinstance(value, Override):
                    result[key] = copy.deepcopy(value.value)
                    continue
                for name, obj in value.items():
                    if isinstance(obj, Reset):
                        section.pop(name, None)
                    elif isinstance(section.get(name), dict) and isinstance(obj, dict):
                        section[name] = deep_merge(section[name], obj)
                    else:
                        section[name] = copy.deepcopy(_unwrap(obj))
            else:
                result[key] = copy.deepcopy(_unwrap(value))
    return strip(result) if finish else result
