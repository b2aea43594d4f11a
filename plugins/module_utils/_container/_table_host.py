# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Container option rows, part three: namespaces, security, DNS, identity and the image's platform.

Lists Docker does not keep in a meaningful order (groups, security options, DNS options,
``volumes_from``) compare as sets; ``container:NAME`` compares equal to ``container:ID`` of the same
container; options whose default depends on the daemon (runtime, cgroup namespace) are compared
only when the task gives them.
"""

from __future__ import annotations

import typing as t
from dataclasses import replace

from ansible_collections.devops.docker.plugins.module_utils._container._table_base import many, opt, put
from ansible_collections.devops.docker.plugins.module_utils._engine import Option

Ctx = t.Any

_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm", "i386": "386"}


def same_container_mode(ctx: Ctx, current: t.Any, wanted: t.Any) -> bool:
    """``container:NAME`` (the task) and ``container:ID`` (what the daemon stores) of the same container."""
    if current == wanted:
        return True
    if (isinstance(current, str) and isinstance(wanted, str) and current.startswith("container:")
            and wanted.startswith("container:") and ctx.lookup):
        cur, want = current[10:], wanted[10:]
        found = ctx.lookup("container_id", want)
        return bool(found) and (found == cur or found.startswith(cur) or cur == want)
    return False


def _daemon_default(ctx: Ctx, current: t.Any, wanted: t.Any) -> bool:
    """Not given: whatever the daemon chose (its configuration decides)."""
    return wanted in (None, "") or current == wanted


def _str_host(name: str, key: str, flag: str, spec: dict[str, t.Any],
              equal: t.Callable[[Ctx, t.Any, t.Any], bool] | None = None) -> Option:
    return Option(
        name, spec,
        read=lambda ctx: ctx.host_config.get(key) or "",
        want=lambda ctx: ctx.params.get(name) or "",
        body=put("HostConfig", key, lambda ctx: ctx.params.get(name) or None),
        cli=opt(flag, name),
        equal=equal,
    )


def _set_host(name: str, key: str, flag: str) -> Option:
    return Option(
        name, {"type": "list", "elements": "str"},
        read=lambda ctx: sorted(set(ctx.host_config.get(key) or [])),
        want=lambda ctx: sorted({str(v) for v in ctx.params.get(name) or []}),
        body=put("HostConfig", key, lambda ctx: [str(v) for v in ctx.params.get(name) or []] or None),
        cli=many(flag, lambda ctx: ctx.params.get(name) or []),
    )


def normalize_platform(value: t.Any) -> str:
    """'linux/x86_64' -> 'linux/amd64'; '' stays ''."""
    parts = [p.lower() for p in str(value or "").split("/") if p]
    if len(parts) > 1:
        parts[1] = _ARCH_ALIASES.get(parts[1], parts[1])
        if parts[1] == "arm64" and len(parts) > 2 and parts[2] == "v8":
            parts = parts[:2]
    return "/".join(parts)


def _platform_read(ctx: Ctx) -> str:
    """The platform of the image the container runs, as precise as the task asks for."""
    image = ctx.image or {}
    wanted = normalize_platform(ctx.params.get("platform"))
    have = [image.get("Os") or (ctx.container or {}).get("Platform") or "", image.get("Architecture") or "",
            image.get("Variant") or ""]
    depth = max(1, len(wanted.split("/"))) if wanted else 3
    return normalize_platform("/".join(p for p in have[:depth] if p))


def _security_opts_read(ctx: Ctx) -> list[str]:
    """The container's security options, without the ``label=disable`` the daemon adds on its own to a
    privileged container or one sharing the host's PID or IPC namespace."""
    hc = ctx.host_config
    opts = set(hc.get("SecurityOpt") or [])
    if hc.get("Privileged") or hc.get("PidMode") == "host" or hc.get("IpcMode") == "host":
        opts.discard("label=disable")
        opts |= {"label=disable"} & set(ctx.params.get("security_opts") or [])
    return sorted(opts)


HOST_OPTIONS: tuple[Option, ...] = (
    _set_host("groups", "GroupAdd", "--group-add"),
    replace(_set_host("security_opts", "SecurityOpt", "--security-opt"), read=_security_opts_read),
    _set_host("dns_opts", "DnsOptions", "--dns-option"),
    _set_host("volumes_from", "VolumesFrom", "--volumes-from"),
    _str_host("userns_mode", "UsernsMode", "--userns", {"type": "str"}),
    _str_host("uts", "UTSMode", "--uts", {"type": "str"}),
    _str_host("cgroupns_mode", "CgroupnsMode", "--cgroupns", {"type": "str", "choices": ["host", "private"]},
              equal=_daemon_default),
    _str_host("cgroup_parent", "CgroupParent", "--cgroup-parent", {"type": "str"}),
    _str_host("runtime", "Runtime", "--runtime", {"type": "str"}, equal=_daemon_default),
    _str_host("volume_driver", "VolumeDriver", "--volume-driver", {"type": "str"}),
    Option("domainname", {"type": "str"},
           read=lambda ctx: ctx.config.get("Domainname") or "",
           want=lambda ctx: ctx.params.get("domainname") or "",
           body=put(None, "Domainname", lambda ctx: ctx.params.get("domainname") or None),
           cli=opt("--domainname", "domainname")),
    Option("mac_address", {"type": "str"},
           read=lambda ctx: (ctx.config.get("MacAddress") or "").lower(),
           want=lambda ctx: str(ctx.params.get("mac_address") or "").lower(),
           # not given: the address the daemon generated
           equal=_daemon_default,
           body=put(None, "MacAddress", lambda ctx: ctx.params.get("mac_address") or None),
           cli=opt("--mac-address", "mac_address")),
    Option("platform", {"type": "str"},
           read=_platform_read,
           want=lambda ctx: normalize_platform(ctx.params.get("platform")) or None,
           equal=lambda ctx, cur, want: want is None or cur == want,
           cli=opt("--platform", "platform")),
)
