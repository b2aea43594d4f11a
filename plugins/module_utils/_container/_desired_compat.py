# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's ``docker_container`` interface on top of ours, and the parsing of the options
that came with it.

``community_params(params)``
    The task with community.docker's behaviour options turned into ours: ``pull: true/false``,
    ``paused``, ``container_default_behavior: compatibility``, ``command_handling: compatibility``,
    ``ignore_image``, ``purge_networks``, ``networks_cli_compatible``, ``default_host_ip``,
    ``healthy_wait_timeout`` and ``healthcheck.test_cli_compatible``.  The module calls it once, before
    the manager; everything else about those options (``force_kill``, ``cleanup``...) is read where it acts.

``parse_more(params)``
    The parsed values of the resource and device options (sizes, rates, device requests...), for
    ``Desired``.

``manages(params, names, comparisons)``
    Whether a task manages an option: see ``manages``.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._engine import ALLOW_MORE_PRESENT, IGNORE, STRICT
from ansible_collections.devops.docker.plugins.module_utils._limits import check_seconds_float
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import parse_number, string_map
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size

# community.docker's option names that are aliases of ours (comparisons keys are given in either spelling)
ALIASES: dict[str, str] = {
    "published_ports": "ports",
    "publish_all_ports": "publish_all",
    "exposed": "exposed_ports",
    "expose": "exposed_ports",
    "capabilities": "cap_add",
    "dns_servers": "dns",
    "dns_search_domains": "dns_search",
    "etc_hosts": "extra_hosts",
    "log_opt": "log_options",
    "forcekill": "force_kill",
}

# container_default_behavior: compatibility -- the defaults community.docker's options had before 3.0.0
COMPATIBILITY_DEFAULTS: dict[str, t.Any] = {
    "auto_remove": False, "detach": True, "init": False, "interactive": False, "memory": "0",
    "paused": False, "privileged": False, "read_only": False, "tty": False,
}

# A compared option of the table, and the task's options that make it managed when given.
GIVEN_BY: dict[str, tuple[str, ...]] = {
    "env": ("env", "env_file", "secret_env"),
    "labels": ("labels", "secret_env"),
    "restart_policy": ("restart_policy", "restart_retries"),
    "network_mode": ("network_mode",),
    "networks": ("networks", "network_mode"),
    "exposed_ports": ("exposed_ports",),
}

_FOREVER = 10 * 365 * 24 * 3600


def _truthy(value: t.Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    return None


def _with_default_ip(spec: t.Any, ip: str) -> t.Any:
    """A ``-p`` spec without a host IP, given one (community.docker's default_host_ip)."""
    text = str(spec)
    if text.startswith("[") or text.count(":") >= 2 or not ip:
        return spec
    host_ip = f"[{ip}]" if ":" in ip else ip
    return f"{host_ip}:{text}" if ":" in text else f"{host_ip}::{text}"


def community_params(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """The task, with community.docker's behaviour options turned into ours (a new dict)."""
    p = dict(params)
    pull = p.get("pull")
    if pull is not None and not isinstance(pull, str) or str(pull).lower() in ("true", "false", "yes", "no"):
        p["pull"] = "always" if _truthy(pull) else "missing"
    if p.get("container_default_behavior") == "compatibility":
        for key, value in COMPATIBILITY_DEFAULTS.items():
            if p.get(key) is None:
                p[key] = value
    if p.get("paused") is True and (p.get("state") or "started") in ("started", "present"):
        p["state"] = "paused"
    if p.get("command_handling") == "compatibility":
        for key in ("command", "entrypoint"):
            value = p.get(key)
            if isinstance(value, (list, tuple)):
                # community.docker's pre-3.0 handling: the list is joined with spaces, then split like a shell
                p[key] = " ".join(str(v) for v in value) or None
            elif value == "":
                p[key] = None
    comparisons = {ALIASES.get(str(k), str(k)): v for k, v in (p.get("comparisons") or {}).items()}
    if p.get("ignore_image"):
        comparisons.setdefault("image", IGNORE)
    if p.get("purge_networks") is True:
        comparisons.setdefault("networks", STRICT)
    elif p.get("purge_networks") is False:
        p["networks_exclusive"] = False
    p["comparisons"] = comparisons or None
    if p.get("networks_cli_compatible") is False and p.get("networks") and not p.get("network_mode"):
        p["network_mode"] = "default"  # the default network stays, the listed ones are added
    if p.get("default_host_ip") not in (None, "") and p.get("ports"):
        p["ports"] = [_with_default_ip(spec, str(p["default_host_ip"])) for spec in p["ports"]]
    if p.get("healthy_wait_timeout") is not None:
        timeout = check_seconds_float(p["healthy_wait_timeout"], "healthy_wait_timeout") or 0.0
        p["wait_timeout"] = int(timeout) if timeout > 0 else _FOREVER
    health = p.get("healthcheck")
    if isinstance(health, dict) and "test_cli_compatible" in health:
        health = dict(health)
        cli_compatible = health.pop("test_cli_compatible")
        if cli_compatible is False and health.get("test") in (None, "", []) and not health.get("disable"):
            health["test"] = ["NONE"]  # community.docker's classic behaviour: no test disables the healthcheck
        p["healthcheck"] = health
    return p


def manages(params: dict[str, t.Any], names: t.Sequence[str], option: str, comparisons: t.Mapping[str, str]) -> bool:
    """Whether a task manages the option ``option`` (given by the task options ``names``).

    - The task gives one of ``names``: managed.
    - ``comparisons`` names the option with ``strict``: managed (a strict comparison asks for it).
    - The task does not give the image (``name`` and a ``state``, say, or ``name`` and ``networks``):
      not managed -- what the task does not mention stays as it is.
    - The task gives the image: it describes the whole container, so an option it leaves out is
      compared with its default (the image's value, or the daemon's) -- a port, env var, label...
      removed from the task is removed from the container.  Unless community.docker's semantics are
      asked for: ``container_default_behavior`` set, or ``allow_more_present`` for this option.
    """
    if any(params.get(name) is not None for name in names):
        return True
    mode = comparisons.get(option) or comparisons.get("*") or STRICT
    if comparisons.get(option) == STRICT:
        return True
    if not params.get("image") or params.get("container_default_behavior"):
        return False
    return mode != ALLOW_MORE_PRESENT


# ---------------------------------------------------------------- parsing of the resource options
def _rates(value: t.Any, option: str, size: bool) -> list[dict[str, t.Any]]:
    result = []
    for entry in value or []:
        if not isinstance(entry, dict) or not entry.get("path") or entry.get("rate") in (None, ""):
            raise SpecError(f"{option}: each entry needs path and rate, like {{path: /dev/sda, rate: 20M}}.")
        if size:
            rate = parse_size(entry["rate"], f"{option}.rate")
        else:
            try:
                rate = int(entry["rate"])
            except (TypeError, ValueError):
                raise SpecError(f"{option}.rate: {entry['rate']!r} is not a whole number of IO per second.") from None
        if rate is None or rate <= 0:
            raise SpecError(f"{option}.rate for {entry['path']!r} must be a positive number.")
        result.append({"Path": str(entry["path"]), "Rate": rate})
    return result


def _weights(value: t.Any) -> list[dict[str, t.Any]]:
    result = []
    for entry in value or []:
        if not isinstance(entry, dict) or not entry.get("path") or entry.get("weight") in (None, ""):
            raise SpecError("blkio_weight_device: each entry needs path and weight, like {path: /dev/sda, weight: 400}.")
        weight = parse_number(entry["weight"], "blkio_weight_device.weight")
        if not 10 <= weight <= 1000:
            raise SpecError(f"blkio_weight_device.weight for {entry['path']!r}: {weight} is not between 10 and 1000.")
        result.append({"Path": str(entry["path"]), "Weight": int(weight)})
    return result


def _device_requests(value: t.Any) -> list[dict[str, t.Any]]:
    result = []
    for entry in value or []:
        if not isinstance(entry, dict):
            raise SpecError("device_requests: each entry is a mapping like {driver: nvidia, count: -1, capabilities: [[gpu]]}.")
        caps = entry.get("capabilities") or []
        if not all(isinstance(c, (list, tuple)) for c in caps):
            raise SpecError("device_requests.capabilities is a list of lists, like [[gpu, utility]].")
        result.append({
            "Driver": entry.get("driver") or "",
            "Count": int(entry.get("count") or 0),
            "DeviceIDs": [str(d) for d in entry.get("device_ids") or []],
            "Capabilities": [[str(c) for c in group] for group in caps],
            "Options": string_map(entry.get("options"), "device_requests.options") or {},
        })
    return result


def _swap(value: t.Any) -> int | None:
    if value in (None, ""):
        return None
    if str(value).strip().lower() in ("unlimited", "-1"):
        return -1
    return parse_size(value, "memory_swap")


def parse_more(p: dict[str, t.Any]) -> dict[str, t.Any]:
    """The parsed values of the resource, device and storage options."""
    swappiness = p.get("memory_swappiness")
    if swappiness is not None and not 0 <= int(swappiness) <= 100:
        raise SpecError(f"memory_swappiness: {swappiness} is not between 0 and 100.")
    weight = p.get("blkio_weight")
    if weight is not None and not (10 <= int(weight) <= 1000 or int(weight) == 0):
        raise SpecError(f"blkio_weight: {weight} is not between 10 and 1000.")
    kernel = parse_size(p.get("kernel_memory"), "kernel_memory")
    if kernel is not None and 0 < kernel < 4 * 1024 * 1024:
        raise SpecError("kernel_memory: the minimum is 4M.")
    return {
        "memory_reservation": parse_size(p.get("memory_reservation"), "memory_reservation"),
        "memory_swap": _swap(p.get("memory_swap")),
        "kernel_memory": kernel,
        "blkio_weight_device": _weights(p.get("blkio_weight_device")),
        "device_read_bps": _rates(p.get("device_read_bps"), "device_read_bps", True),
        "device_write_bps": _rates(p.get("device_write_bps"), "device_write_bps", True),
        "device_read_iops": _rates(p.get("device_read_iops"), "device_read_iops", False),
        "device_write_iops": _rates(p.get("device_write_iops"), "device_write_iops", False),
        "device_requests": _device_requests(p.get("device_requests")),
        "storage_opts": string_map(p.get("storage_opts"), "storage_opts") or {},
    }
