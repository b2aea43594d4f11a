# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Container option rows, part two: resources (CPU, memory, block IO, PIDs, OOM, devices, storage).

What the Engine changes in place (``docker container update``: CPU shares, period, quota and sets,
memory reservation and swap, block IO weight, the PIDs limit) is applied with an update and keeps
the container; the rest recreates it.  Values the task leaves out stand for the daemon's defaults.
"""

from __future__ import annotations

import os
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._container._table_base import host_value, many, opt, put
from ansible_collections.devops.docker.plugins.module_utils._engine import UPDATE, Option

Ctx = t.Any

DEVICE_RATE_SUBOPTIONS: dict[str, t.Any] = {
    "path": {"type": "str", "required": True},
    "rate": {"type": "str", "required": True},
}
DEVICE_IOPS_SUBOPTIONS: dict[str, t.Any] = {
    "path": {"type": "str", "required": True},
    "rate": {"type": "int", "required": True},
}
WEIGHT_DEVICE_SUBOPTIONS: dict[str, t.Any] = {
    "path": {"type": "str", "required": True},
    "weight": {"type": "int", "required": True},
}
DEVICE_REQUEST_SUBOPTIONS: dict[str, t.Any] = {
    "capabilities": {"type": "list", "elements": "list"},
    "count": {"type": "int"},
    "device_ids": {"type": "list", "elements": "str"},
    "driver": {"type": "str"},
    "options": {"type": "dict"},
}

_BLKIO_WEIGHT_FILES = ("/sys/fs/cgroup/blkio/blkio.weight", "/sys/fs/cgroup/blkio/blkio.bfq.weight",
                       "/sys/fs/cgroup/io.bfq.weight")


def _local_daemon(ctx: Ctx) -> bool:
    host = ctx.params.get("docker_host") or os.environ.get("DOCKER_HOST") or "unix://"
    return str(host).startswith("unix://")


def _blkio_weight_equal(ctx: Ctx, current: t.Any, wanted: t.Any) -> bool:
    """A kernel without block IO weight support makes the daemon discard the weight (with a warning at
    create): on such a host (local daemon, no weight file in the cgroup tree) 0 is what any weight becomes."""
    if current == wanted:
        return True
    return current == 0 and bool(wanted) and _local_daemon(ctx) and not any(os.path.exists(p) for p in _BLKIO_WEIGHT_FILES)


def _weight_device_equal(ctx: Ctx, current: t.Any, wanted: t.Any) -> bool:
    """As for blkio_weight: a kernel without weight support makes the daemon discard per-device weights."""
    return current == wanted or _blkio_weight_equal(ctx, 0 if not current else current, 1 if wanted else 0)


def _swap_equal(_ctx: Ctx, current: t.Any, wanted: t.Any) -> bool:
    # Not given: the daemon's choice (twice the memory limit, or unlimited) is fine.
    return wanted is None or current == wanted


def _swap_read(ctx: Ctx) -> int:
    return ctx.host_config.get("MemorySwap") or 0


def _swap_update_cli(ctx: Ctx) -> list[str]:
    return ["--memory-swap", str(ctx.parsed["memory_swap"])] if ctx.parsed.get("memory_swap") is not None else []


def _pids_norm(value: t.Any) -> int:
    # 0 and -1 (and no value) all mean: no limit.
    return 0 if value in (None, "") or int(value) <= 0 else int(value)


def _throttle(name: str, key: str, flag: str, suboptions: dict[str, t.Any]) -> Option:
    def read(ctx: Ctx) -> list[tuple[str, int]]:
        return sorted((d.get("Path"), int(d.get("Rate") or 0)) for d in ctx.host_config.get(key) or [])

    return Option(
        name, {"type": "list", "elements": "dict", "options": suboptions},
        read=read,
        want=lambda ctx: sorted((d["Path"], d["Rate"]) for d in ctx.parsed[name]),
        body=put("HostConfig", key, lambda ctx: ctx.parsed[name] or None),
        cli=many(flag, lambda ctx: [f"{d['Path']}:{d['Rate']}" for d in ctx.parsed[name]]),
    )


def _device_requests_norm(value: t.Any) -> list[dict[str, t.Any]]:
    result = []
    for req in value or []:
        result.append({
            "Driver": req.get("Driver") or "",
            "Count": req.get("Count") or 0,
            "DeviceIDs": sorted(req.get("DeviceIDs") or []),
            "Capabilities": sorted(sorted(c) for c in req.get("Capabilities") or []),
            "Options": dict(req.get("Options") or {}),
        })
    return sorted(result, key=repr)


def _device_request_cli(req: dict[str, t.Any]) -> str:
    """One DeviceRequest as ``docker run --gpus`` writes it (the CLI's only flag for them)."""
    parts = []
    if req.get("DeviceIDs"):
        parts.append("device=" + ",".join(req["DeviceIDs"]))
    elif req.get("Count") == -1:
        parts.append("all")
    elif req.get("Count"):
        parts.append(f"count={req['Count']}")
    if req.get("Driver"):
        parts.append(f"driver={req['Driver']}")
    caps = [c for group in req.get("Capabilities") or [] for c in group]
    if caps:
        parts.append("capabilities=" + ",".join(caps))
    for key, val in sorted((req.get("Options") or {}).items()):
        parts.append(f"{key}={val}")
    # a field whose value holds commas is quoted, as the CLI's CSV syntax wants ('"device=0,1"')
    return ",".join(f'"{part}"' if "," in part else part for part in parts or ["all"])


RESOURCE_OPTIONS: tuple[Option, ...] = (
    host_value("blkio_weight", "BlkioWeight", "--blkio-weight", {"type": "int"}, default=0, apply=UPDATE, update=True,
               equal=_blkio_weight_equal),
    Option("blkio_weight_device", {"type": "list", "elements": "dict", "options": WEIGHT_DEVICE_SUBOPTIONS},
           read=lambda ctx: sorted((d.get("Path"), int(d.get("Weight") or 0)) for d in ctx.host_config.get("BlkioWeightDevice") or []),
           want=lambda ctx: sorted((d["Path"], d["Weight"]) for d in ctx.parsed["blkio_weight_device"]),
           equal=_weight_device_equal,
           body=put("HostConfig", "BlkioWeightDevice", lambda ctx: ctx.parsed["blkio_weight_device"] or None),
           cli=many("--blkio-weight-device", lambda ctx: [f"{d['Path']}:{d['Weight']}" for d in ctx.parsed["blkio_weight_device"]])),
    host_value("cpu_period", "CpuPeriod", "--cpu-period", {"type": "int"}, default=0, apply=UPDATE, update=True),
    host_value("cpu_quota", "CpuQuota", "--cpu-quota", {"type": "int"}, default=0, apply=UPDATE, update=True),
    host_value("cpu_shares", "CpuShares", "--cpu-shares", {"type": "int"}, default=0, apply=UPDATE, update=True),
    host_value("cpuset_cpus", "CpusetCpus", "--cpuset-cpus", {"type": "str"}, default="", apply=UPDATE, update=True),
    host_value("cpuset_mems", "CpusetMems", "--cpuset-mems", {"type": "str"}, default="", apply=UPDATE, update=True),
    host_value("memory_reservation", "MemoryReservation", "--memory-reservation", {"type": "str"}, parsed=True,
               default=0, apply=UPDATE, update=True),
    Option("memory_swap", {"type": "str"},
           read=_swap_read,
           want=lambda ctx: ctx.parsed.get("memory_swap"),
           equal=_swap_equal,
           body=put("HostConfig", "MemorySwap", lambda ctx: ctx.parsed.get("memory_swap")),
           cli=_swap_update_cli, apply=UPDATE,
           update=put(None, "MemorySwap", lambda ctx: ctx.parsed.get("memory_swap")), update_cli=_swap_update_cli),
    Option("memory_swappiness", {"type": "int"},
           read=lambda ctx: ctx.host_config.get("MemorySwappiness"),
           want=lambda ctx: ctx.params.get("memory_swappiness"),
           # not given: the host's; the daemon shows none (or -1)
           equal=lambda ctx, cur, want: cur == want or (want is None and cur in (None, -1)),
           body=put("HostConfig", "MemorySwappiness", lambda ctx: ctx.params.get("memory_swappiness")),
           cli=opt("--memory-swappiness", "memory_swappiness")),
    host_value("kernel_memory", "KernelMemory", "--kernel-memory", {"type": "str"}, parsed=True, default=0),
    host_value("oom_killer", "OomKillDisable", "--oom-kill-disable", {"type": "bool"}, default=False,
               norm=bool),
    host_value("oom_score_adj", "OomScoreAdj", "--oom-score-adj", {"type": "int"}, default=0),
    host_value("pids_limit", "PidsLimit", "--pids-limit", {"type": "int"}, default=0, norm=_pids_norm,
               apply=UPDATE, update=True),
    _throttle("device_read_bps", "BlkioDeviceReadBps", "--device-read-bps", DEVICE_RATE_SUBOPTIONS),
    _throttle("device_write_bps", "BlkioDeviceWriteBps", "--device-write-bps", DEVICE_RATE_SUBOPTIONS),
    _throttle("device_read_iops", "BlkioDeviceReadIOps", "--device-read-iops", DEVICE_IOPS_SUBOPTIONS),
    _throttle("device_write_iops", "BlkioDeviceWriteIOps", "--device-write-iops", DEVICE_IOPS_SUBOPTIONS),
    Option("device_cgroup_rules", {"type": "list", "elements": "str"},
           read=lambda ctx: sorted(ctx.host_config.get("DeviceCgroupRules") or []),
           want=lambda ctx: sorted(ctx.params.get("device_cgroup_rules") or []),
           body=put("HostConfig", "DeviceCgroupRules", lambda ctx: ctx.params.get("device_cgroup_rules") or None),
           cli=many("--device-cgroup-rule", lambda ctx: ctx.params.get("device_cgroup_rules") or [])),
    Option("device_requests", {"type": "list", "elements": "dict", "options": DEVICE_REQUEST_SUBOPTIONS},
           read=lambda ctx: _device_requests_norm(ctx.host_config.get("DeviceRequests")),
           want=lambda ctx: _device_requests_norm(ctx.parsed["device_requests"]),
           body=put("HostConfig", "DeviceRequests", lambda ctx: ctx.parsed["device_requests"] or None),
           cli=many("--gpus", lambda ctx: [_device_request_cli(r) for r in ctx.parsed["device_requests"]])),
    Option("storage_opts", {"type": "dict"},
           read=lambda ctx: dict(ctx.host_config.get("StorageOpt") or {}),
           want=lambda ctx: ctx.parsed["storage_opts"],
           body=put("HostConfig", "StorageOpt", lambda ctx: ctx.parsed["storage_opts"] or None),
           cli=many("--storage-opt", lambda ctx: [f"{k}={v}" for k, v in ctx.parsed["storage_opts"].items()])),
)
