# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container task, parsed and validated: ``Desired(params)`` raises ``SpecError`` with a message
for the user before any request when the input is bad, and keeps every parsed value the option
table reads (``parsed``), so the create body and the CLI text of ``actions`` come from the same values."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._container._desired_compat import parse_more
from ansible_collections.devops.docker.plugins.module_utils._limits import check_container_params, check_container_parsed
from ansible_collections.devops.docker.plugins.module_utils._values._env import read_env_file
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import parse_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import parse_mount, parse_tmpfs, parse_volumes
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_exposed_ports, parse_ports
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import (
    capabilities,
    command_argv,
    entrypoint_argv,
    parse_devices,
    parse_extra_hosts,
    parse_link,
    parse_restart_policy,
    parse_ulimits,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import check_reserved_labels, secret_labels
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map
from ansible_collections.devops.docker.plugins.module_utils._values._units import nano_cpus, parse_size

STATES = ("present", "started", "stopped", "paused", "absent", "healthy")


@dataclass
class Desired:
    """The task's parameters, parsed and validated (no daemon needed)."""

    params: dict[str, t.Any]
    parsed: dict[str, t.Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = self.params
        q = self.parsed  # what the option table reads
        if not p.get("name"):
            raise SpecError("name: a container name is required.")
        check_container_params(p)  # bounds first: NUL, env keys, names, integers, port ranges before expanding
        if p.get("state", "started") not in STATES:
            raise SpecError(f"state: {p.get('state')!r} is not one of {', '.join(STATES)}.")
        q["command"] = command_argv(p.get("command"), "command")
        # None: the image's ENTRYPOINT; [] ('', [] or ['']): none -- sent as an empty list, which clears the image's
        q["entrypoint"] = entrypoint_argv(p.get("entrypoint"), "entrypoint")
        q["env_file"] = read_env_file(p["env_file"], "env_file") if p.get("env_file") else {}
        q["env"] = (string_map(p.get("env"), "env") or {})
        q["secret_env"] = (string_map(p.get("secret_env"), "secret_env") or {})
        q["labels"] = (string_map(p.get("labels"), "labels") or {})
        check_reserved_labels(q["labels"])
        q["ports"] = parse_ports(p.get("ports"), "ports")
        q["exposed_ports"] = parse_exposed_ports(p.get("exposed_ports"), "exposed_ports")
        q["volumes"] = parse_volumes(p.get("volumes"), "volumes")
        for spec in q["volumes"]:
            if spec.kind == "anonymous" and spec.modes:
                raise SpecError(
                    f"volumes: the anonymous volume {spec.target!r} takes no mode; name it ('NAME:{spec.target}:ro') "
                    "or use mounts."
                )
        q["mounts"] = [parse_mount(m, "mounts") for m in p.get("mounts") or []]
        targets = [v.target for v in q["volumes"]] + [m["Target"] for m in q["mounts"]]
        dupes = sorted({x for x in targets if targets.count(x) > 1})
        if dupes:
            raise SpecError(f"volumes/mounts: {', '.join(dupes)} mounted more than once; keep one entry per container path.")
        q["tmpfs"] = parse_tmpfs(p.get("tmpfs"), "tmpfs")
        q["links"] = sorted(f"{n}:{a}" for n, a in (parse_link(x, "links") for x in p.get("links") or []))
        q["restart_policy"] = parse_restart_policy(p.get("restart_policy"), p.get("restart_retries"), "restart_policy")
        q["healthcheck"] = parse_healthcheck(p.get("healthcheck"), "healthcheck")
        q["memory"] = parse_size(p.get("memory"), "memory") or 0
        q["cpus"] = nano_cpus(p.get("cpus"), "cpus") or 0
        q["shm_size"] = parse_size(p.get("shm_size"), "shm_size")
        q["log_options"] = (string_map(p.get("log_options"), "log_options") or {})
        q["sysctls"] = (string_map(p.get("sysctls"), "sysctls") or {})
        q["cap_add"] = capabilities(p.get("cap_add"))
        q["cap_drop"] = capabilities(p.get("cap_drop"))
        q["extra_hosts"] = parse_extra_hosts(p.get("extra_hosts"))
        q["ulimits"] = parse_ulimits(p.get("ulimits"))
        q["devices"] = parse_devices(p.get("devices"))
        q.update(parse_more(p))  # resources, devices, storage (community.docker's options)
        if p.get("stop_timeout") is not None and p["stop_timeout"] < 0:
            raise SpecError("stop_timeout must not be negative (seconds).")
        # networks and network_mode
        mode = p.get("network_mode") or None
        nets = []
        for entry in p.get("networks") or []:
            if not isinstance(entry, dict) or not entry.get("name"):
                raise SpecError("networks: each entry needs a name, like {name: my-network, aliases: [db]}.")
            nets.append({
                "name": str(entry["name"]),
                "aliases": sorted({str(a) for a in entry.get("aliases") or []}),
                "ipv4_address": entry.get("ipv4_address") or "",
                "ipv6_address": entry.get("ipv6_address") or "",
                "link_local_ips": sorted({str(a) for a in entry.get("link_local_ips") or []}),
                "mac_address": entry.get("mac_address") or "",
                "driver_opts": string_map(entry.get("driver_opts"), "networks.driver_opts") or {},
                "gw_priority": entry.get("gw_priority"),
                "links": sorted(f"{n}:{a}" for n, a in (parse_link(x, "networks.links") for x in entry.get("links") or [])),
            })
        names = [n["name"] for n in nets]
        if len(set(names)) != len(names):
            raise SpecError("networks: a network is listed twice; list each network once.")
        primary = mode or (names[0] if names else "bridge")
        if primary == "default":
            primary = "bridge"
        if primary in ("host", "none") or primary.startswith("container:"):
            if nets:
                raise SpecError(
                    f"networks: a container with network_mode {primary!r} cannot join other networks; "
                    "drop networks or use a bridge network_mode."
                )
            if q["ports"] and primary.startswith("container:"):
                raise SpecError("ports: a container sharing another container's network cannot publish ports.")
            if q["ports"]:
                # the daemon would accept and silently discard them
                raise SpecError(
                    f"ports: a container with network_mode {primary!r} cannot publish ports (with host it listens on "
                    "the host's ports directly); drop ports or use a bridge network."
                )
        if p.get("links") and primary not in ("bridge",):
            raise SpecError(
                "links: legacy links work only on the default bridge network; on a user network containers reach "
                "each other by name, or use networks[].links."
            )
        for net in nets:
            if net["name"] == "bridge" and (net["aliases"] or net["ipv4_address"] or net["ipv6_address"]):
                raise SpecError("networks: the default 'bridge' network takes no aliases or ipv4_address; use a user network.")
        q["network_mode"] = primary
        q["networks"] = nets
        if p.get("auto_remove") and q["restart_policy"]["Name"] != "no":
            raise SpecError("auto_remove cannot be combined with a restart_policy other than 'no': pick one.")
        if p.get("detach") is False and p.get("state", "started") != "started":
            raise SpecError("detach: false runs the container to completion; it needs state: started.")
        if p.get("wait_timeout") is not None and p["wait_timeout"] <= 0:
            raise SpecError("wait_timeout must be a positive number of seconds.")
        check_container_parsed(q)  # sizes and durations within what the Engine stores (int64)

    @property
    def secret_keys(self) -> list[str]:
        return sorted(self.parsed["secret_env"])

    def task_env(self) -> dict[str, str]:
        """What the task sends as Env: env_file, then env, then secret_env."""
        env = dict(self.parsed["env_file"])
        env.update(self.parsed["env"])
        env.update(self.parsed["secret_env"])
        return env

    def task_labels(self, current: t.Mapping[str, t.Any] | None = None) -> dict[str, str]:
        """The task's labels plus the secret bookkeeping; ``current`` (the container's labels) keeps a
        secret fingerprint that still matches (also one of an earlier release's format)."""
        labels = dict(self.parsed["labels"])
        labels.update(secret_labels(self.parsed["secret_env"], current))
        return labels
