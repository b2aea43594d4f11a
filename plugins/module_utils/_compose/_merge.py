# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 3: several files merged in order: mappings merge recursively; ``command``, ``entrypoint`` and
``healthcheck.test`` are replaced; ``environment``, ``labels``, ``extra_hosts``, ``depends_on``, ``networks``,
``build.args`` merge by key; ``ports``, ``expose``, ``cap_add``, ``cap_drop`` append without duplicates;
``dns``, ``env_file``, ``tmpfs`` append; ``volumes`` merge by target path.
"""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError, list_to_map, split_volume


APPEND_UNIQUE = {"ports", "expose", "cap_add", "cap_drop", "profiles", "security_opt", "external_links", "devices"}
APPEND = {"dns", "dns_search", "env_file", "tmpfs", "links"}
REPLACE = {"command", "entrypoint"}
MAP_KEYS = {"environment", "labels", "extra_hosts", "depends_on", "networks", "sysctls", "annotations"}


def merge_service(base: dict[str, t.Any], over: dict[str, t.Any], where: str) -> dict[str, t.Any]:
    result = dict(base)
    for key, value in over.items():
        if key not in result or result[key] is None:
            result[key] = copy.deepcopy(value)
            continue
        old = result[key]
        if key in REPLACE:
            result[key] = copy.deepcopy(value)
        elif key in MAP_KEYS:
            old_m = list_to_map(key, old, where)
            new_m = list_to_map(key, value, where)
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
        elif key in APPEND_UNIQUE or key in APPEND:
            old_l = old if isinstance(old, list) else [old]
            new_l = value if isinstance(value, list) else [value]
            merged_l = list(old_l)
            for item in new_l:
                if key in APPEND or item not in merged_l:
                    merged_l.append(item)
            result[key] = merged_l
        elif key == "volumes" and isinstance(old, list) and isinstance(value, list):
            by_target: dict[str, t.Any] = {}
            for item in old + value:
                by_target[volume_target(item)] = item
            result[key] = list(by_target.values())
        elif key == "build":
            old_b = {"context": old} if isinstance(old, str) else dict(old)
            new_b = {"context": value} if isinstance(value, str) else dict(value)
            if "args" in old_b and "args" in new_b:
                args = dict(list_to_map("environment", old_b["args"], where + ".build"))
                args.update(list_to_map("environment", new_b["args"], where + ".build"))
                new_b["args"] = args
            old_b.update(new_b)
            result[key] = old_b
        elif key == "healthcheck" and isinstance(old, dict) and isinstance(value, dict):
            result[key] = {**old, **value}  # test replaced as a whole
        elif isinstance(old, dict) and isinstance(value, dict):
            result[key] = deep_merge(old, value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def deep_merge(base: dict[str, t.Any], over: dict[str, t.Any]) -> dict[str, t.Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(result.get(key), dict) and isinstance(value, dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def volume_target(item: t.Any) -> str:
    if isinstance(item, dict):
        return str(item.get("target", ""))
    parts = split_volume(str(item))
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
                    services[name] = merge_service(services.get(name, {}), svc, f"services.{name}")
            elif key in ("networks", "volumes", "secrets", "configs") and isinstance(value, dict):
                section = result.setdefault(key, {})
                for name, obj in value.items():
                    if isinstance(section.get(name), dict) and isinstance(obj, dict):
                        section[name] = deep_merge(section[name], obj)
                    else:
                        section[name] = copy.deepcopy(obj)
            else:
                result[key] = copy.deepcopy(value)
    return result
