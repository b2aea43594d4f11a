# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container option table: every option of the ``container`` module once, with how it is read
from ``docker inspect``, wanted from the task (merged over the image's config), sent in the create
request, shown as ``docker container create`` flags, compared, and applied (recreate, ``docker
container update`` in place, or network connect/disconnect).  The engine (``_engine``) runs it.

A new option is one ``Option(...)`` row in ``OPTIONS`` (plus its parsing in ``Desired`` when the
value needs more than a type check).

How the comparison works: the wanted env is the image's ENV overlaid with ``env_file``, ``env`` and
``secret_env``; the wanted labels, exposed ports, anonymous volumes, CMD, ENTRYPOINT, WORKDIR, USER,
STOPSIGNAL and healthcheck start from the image's.  So a value that comes from the image never causes
a recreate, and a value that is in the container but neither in the image nor in the task (a removed
env var, label, port...) does.

Which options a task manages (``_desired_compat.manages``): the ones it gives; when it gives the image
(a whole description), also the ones it leaves out, compared with their defaults -- unless it asks for
community.docker's semantics (``container_default_behavior``, or ``allow_more_present``).  A task
without the image (``name`` and ``state``, say) manages only what it names.

The table is split by theme: this file (image, command, env, ports, volumes, networks, lifecycle...),
``_table_resources.py`` (CPU, memory, block IO, devices) and ``_table_host.py`` (namespaces, security,
DNS, identity, platform); ``_table_base.py`` holds the row builders.
"""

from __future__ import annotations

import shlex
import typing as t
from dataclasses import dataclass, replace

from ansible_collections.devops.docker.plugins.module_utils._container._desired import STATES, Desired
from ansible_collections.devops.docker.plugins.module_utils._container._desired_compat import ALIASES, GIVEN_BY, manages
from ansible_collections.devops.docker.plugins.module_utils._container._table_base import bool_option, flag_if, many, of_type, opt, put, require_api
from ansible_collections.devops.docker.plugins.module_utils._container._table_host import HOST_OPTIONS, same_container_mode
from ansible_collections.devops.docker.plugins.module_utils._container._table_resources import RESOURCE_OPTIONS
from ansible_collections.devops.docker.plugins.module_utils._engine import (
    ALLOW_MORE_PRESENT,
    NETWORK,
    RECREATE,
    STRICT,
    UNMANAGED,
    UPDATE,
    Difference,
    Option,
    check_comparisons,
    create_body,
)
from ansible_collections.devops.docker.plugins.module_utils._engine import plan as plan_options
from ansible_collections.devops.docker.plugins.module_utils._values._env import env_to_map
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import healthcheck_to_cli, merge_healthcheck, normalize_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import mount_to_cli, normalize_bind, normalize_mount, tmpfs_to_cli
from ansible_collections.devops.docker.plugins.module_utils._values._networks import endpoint_config
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name
from ansible_collections.devops.docker.plugins.module_utils._values._ports import normalize_port_bindings, port_bindings
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import (
    capabilities,
    device_to_cli,
    engine_command,
    normalize_link,
    restart_policy_to_cli,
    signal_name,
    ulimit_to_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import redact_labels, secret_keys_of

DEFAULT_SHM_SIZE = 64 * 1024 * 1024


# ============================================================ comparison context
@dataclass
class Context:
    """What an option looks at: the desired container, the image, and (when comparing) the container."""

    desired: Desired
    image: dict[str, t.Any] | None
    container: dict[str, t.Any] | None = None
    lookup: t.Callable[[str, str], t.Any] | None = None  # ("log_driver", "") / ("container_id", name)

    @property
    def params(self) -> dict[str, t.Any]:
        """The task's options as given."""
        return self.desired.params

    @property
    def parsed(self) -> dict[str, t.Any]:
        """The task's options parsed by Desired (what the body and the CLI text are built from)."""
        return self.desired.parsed

    @property
    def image_config(self) -> dict[str, t.Any]:
        return ((self.image or {}).get("Config")) or {}

    @property
    def merge_config(self) -> dict[str, t.Any]:
        """The image config the task's env, labels, exposed ports and volumes are merged over: the task's
        image, or with ``image_comparison: current-image`` the image the container runs."""
        if self.params.get("image_comparison") == "current-image" and self.container and self.lookup:
            own = self.lookup("image", self.container.get("Image") or "")
            if own:
                return own.get("Config") or {}
        return self.image_config

    @property
    def config(self) -> dict[str, t.Any]:
        """The container's Config."""
        return ((self.container or {}).get("Config")) or {}

    @property
    def host_config(self) -> dict[str, t.Any]:
        return ((self.container or {}).get("HostConfig")) or {}


def _engine_command(ctx: Context) -> tuple[list[str], list[str]]:
    return engine_command(ctx.parsed["entrypoint"], ctx.parsed["command"],
                          ctx.image_config.get("Entrypoint"), ctx.image_config.get("Cmd"))


def _image_id(ctx: Context) -> str | None:
    return (ctx.image or {}).get("Id")


def _devices_norm(devices: t.Any) -> list[tuple[str, str, str]]:
    """Devices in any order (the daemon does not care)."""
    return sorted((d.get("PathOnHost") or "", d.get("PathInContainer") or "", d.get("CgroupPermissions") or "")
                  for d in devices or [])


def _image_name(value: t.Any) -> str:
    """An image reference in one spelling ('busybox' and 'docker.io/library/busybox:latest' alike)."""
    if not value or str(value).startswith("sha256:"):
        return str(value or "")
    try:
        return str(parse_image_name(value, "image"))
    except SpecError:
        return str(value)


def _network_mode_read(ctx: Context) -> str:
    mode = ctx.host_config.get("NetworkMode") or "default"
    return "bridge" if mode == "default" else mode


def _network_mode_equal(ctx: Context, current: str, wanted: str) -> bool:
    if current == wanted:
        return True
    if current.startswith("container:") and wanted.startswith("container:") and ctx.lookup:
        return current[10:] == ctx.lookup("container_id", wanted[10:])
    return False


def _user_networks(ctx: Context) -> bool:
    mode = ctx.parsed["network_mode"]
    return not (mode in ("host", "none") or mode.startswith("container:"))


def networks_current(ctx: Context) -> dict[str, t.Any] | None:
    if not _user_networks(ctx):
        return None
    cid = (ctx.container or {}).get("Id", "")[:12]
    result = {}
    for name, ep in (((ctx.container or {}).get("NetworkSettings") or {}).get("Networks") or {}).items():
        ep = ep or {}
        aliases = sorted(set(ep.get("Aliases") or []) - {cid, ((ctx.container or {}).get("Name") or "").lstrip("/")})
        result[name] = {
            "aliases": aliases,
            "ipv4_address": ((ep.get("IPAMConfig") or {}).get("IPv4Address")) or "",
            "ipv6_address": ((ep.get("IPAMConfig") or {}).get("IPv6Address")) or "",
            "link_local_ips": sorted((ep.get("IPAMConfig") or {}).get("LinkLocalIPs") or []),
            "links": sorted(normalize_link(x) for x in ep.get("Links") or []),
        }
    modes = ctx.params.get("comparisons") or {}
    mode = modes.get("networks") or modes.get("*")
    exclusive = ctx.params.get("networks_exclusive")
    if exclusive is None:
        # A task that gives the image describes the whole container; one without it (name and networks, as
        # community.docker's "Add container to networks") adds to what is there, unless it asks for strict.
        exclusive = bool(ctx.params.get("image")) or mode == STRICT
    if not exclusive or mode == ALLOW_MORE_PRESENT:
        # Connections this task does not list (made by devops.docker.network's connected, say) are left alone.
        wanted = {n["name"] for n in ctx.parsed["networks"]} | {ctx.parsed["network_mode"]}
        result = {name: value for name, value in result.items() if name in wanted}
    return result


def _leave_all_networks(ctx: Context) -> bool:
    """community.docker's documented "Remove container from all networks": a task without ``image`` and
    ``networks`` that asks ``comparisons: {networks: strict}`` disconnects the container from every network."""
    if ctx.params.get("networks") is not None or ctx.params.get("image"):
        return False
    modes = {ALIASES.get(str(k), str(k)): v for k, v in (ctx.params.get("comparisons") or {}).items()}
    return modes.get("networks") == STRICT


def networks_wanted(ctx: Context) -> dict[str, t.Any] | None:
    if not _user_networks(ctx):
        return None
    if _leave_all_networks(ctx):
        return {}
    result = {n["name"]: {k: n[k] for k in ("aliases", "ipv4_address", "ipv6_address", "link_local_ips", "links")}
              for n in ctx.parsed["networks"]}
    result.setdefault(ctx.parsed["network_mode"], {"aliases": [], "ipv4_address": "", "ipv6_address": "", "link_local_ips": [],
                                                   "links": []})
    return result


def _hostname_equal(ctx: Context, current: str, wanted: str | None) -> bool:
    if wanted:
        return current == wanted
    mode = ctx.parsed["network_mode"]
    if mode == "host" or mode.startswith("container:"):
        return True
    return current in ("", ((ctx.container or {}).get("Id") or "")[:12])


def _log_driver_equal(ctx: Context, current: str, wanted: str | None) -> bool:
    if wanted:
        return current == wanted
    if current in ("", "json-file"):
        return True
    return bool(ctx.lookup) and current == ctx.lookup("log_driver", "")


def _resources_update(current: t.Any, wanted: t.Any) -> str:
    # The engine cannot lift a memory or CPU limit in place (0 means "leave it"): that takes a new container.
    return UPDATE if wanted else RECREATE


def _memory_cli(ctx: Context) -> list[str]:
    return ["--memory", str(ctx.parsed["memory"])] if ctx.parsed["memory"] else []


def _swap_for(ctx: Context) -> int:
    swap = ctx.parsed.get("memory_swap")
    return swap if swap is not None else 2 * ctx.parsed["memory"]  # what the engine sets at create when no swap is given


def _memory_update(ctx: Context, body: dict[str, t.Any]) -> None:
    body["Memory"] = ctx.parsed["memory"]
    body["MemorySwap"] = _swap_for(ctx)


def _memory_update_cli(ctx: Context) -> list[str]:
    return ["--memory", str(ctx.parsed["memory"]), "--memory-swap", str(_swap_for(ctx))]


def _cpus_cli(ctx: Context) -> list[str]:
    return ["--cpus", f"{ctx.parsed['cpus'] / 1e9:g}"] if ctx.parsed["cpus"] else []


# the row builders (``_table_base``), under the names this table was first written with
_flag = flag_if
_opt = opt
_many = many
_set = put


def _bool_option(name: str, section: str | None, key: str, flag: str, aliases: tuple[str, ...] = ()) -> Option:
    # no default: not given is not managed (or, when the task gives the image, the daemon's false)
    return bool_option(name, section, key, flag, spec={"type": "bool", **({"aliases": list(aliases)} if aliases else {})})


def _ports_read(ctx: Context) -> dict[str, t.Any]:
    return normalize_port_bindings(ctx.host_config.get("PortBindings"))


def _ports_want(ctx: Context) -> dict[str, t.Any]:
    return normalize_port_bindings(port_bindings(ctx.parsed["ports"]))


def _task_exposed(ctx: Context) -> list[str]:
    """The ports the task exposes: every published one and every exposed_ports entry, in order."""
    keys = [b.key for b in ctx.parsed["ports"]]
    return keys + [k for k in ctx.parsed["exposed_ports"] if k not in keys]


def _exposed_want(ctx: Context) -> list[str]:
    exposed = set(ctx.merge_config.get("ExposedPorts") or {}) | set(_task_exposed(ctx))
    if not manages(ctx.params, ("ports",), "ports", ctx.parsed.get("comparisons") or {}):
        # published ports the task does not manage stay exposed
        exposed |= set(normalize_port_bindings(ctx.host_config.get("PortBindings")))
    return sorted(exposed)


def _ports_body(ctx: Context, body: dict[str, t.Any]) -> None:
    exposed = _task_exposed(ctx)
    if exposed:
        body["ExposedPorts"] = {key: {} for key in exposed}
    if ctx.parsed["ports"]:
        body.setdefault("HostConfig", {})["PortBindings"] = port_bindings(ctx.parsed["ports"])


def _volumes_read(ctx: Context) -> dict[str, t.Any]:
    # A path that a bind covers is not an anonymous volume, even when Config.Volumes lists it
    # (docker-compose 1.x lists every mount target there).
    bound = {str(b).split(":")[1] for b in ctx.host_config.get("Binds") or [] if ":" in str(b)}
    return {
        "binds": sorted(normalize_bind(b) for b in ctx.host_config.get("Binds") or []),
        "anonymous": sorted(set(ctx.config.get("Volumes") or {}) - bound),
    }


def _volumes_want(ctx: Context) -> dict[str, t.Any]:
    specs = ctx.parsed["volumes"]
    anonymous = set(ctx.merge_config.get("Volumes") or {}) | {v.target for v in specs if v.kind == "anonymous"}
    bound = {v.target for v in specs if v.kind != "anonymous"}
    return {
        "binds": sorted(normalize_bind(v.bind()) for v in specs if v.kind != "anonymous"),
        "anonymous": sorted(anonymous - bound),
    }


def _volumes_body(ctx: Context, body: dict[str, t.Any]) -> None:
    specs = ctx.parsed["volumes"]
    binds = [v.bind() for v in specs if v.kind != "anonymous"]
    anonymous = {v.target: {} for v in specs if v.kind == "anonymous"}
    if binds:
        body.setdefault("HostConfig", {})["Binds"] = binds
    if anonymous:
        body["Volumes"] = anonymous


def _env_want(ctx: Context) -> dict[str, str]:
    env = env_to_map(ctx.merge_config.get("Env"))
    env.update(ctx.desired.task_env())
    return env


def _env_cli(ctx: Context) -> list[str]:
    out: list[str] = []
    if ctx.params.get("env_file"):
        out += ["--env-file", ctx.params["env_file"]]
    for key, val in ctx.parsed["env"].items():
        out += ["-e", f"{key}={val}"]
    for key in ctx.desired.secret_keys:
        out += ["-e", key]  # `-e NAME` takes the value from the caller's environment: never printed
    return out


def _labels_want(ctx: Context) -> dict[str, str]:
    labels = dict(ctx.merge_config.get("Labels") or {})
    if ctx.params.get("image_label_mismatch") == "fail":
        extra = sorted(set(labels) - set(ctx.parsed["labels"]))
        if extra:
            raise SpecError(
                f"labels: the image sets label(s) {', '.join(extra)} that labels does not; image_label_mismatch: fail "
                "refuses them. Add them to labels, or set image_label_mismatch: ignore."
            )
    labels.update(ctx.desired.task_labels(ctx.config.get("Labels") if ctx.container else None))
    return labels


def _restart_cli(ctx: Context) -> list[str]:
    rp = ctx.parsed["restart_policy"]
    if rp["Name"] == "no":
        return []
    return ["--restart", restart_policy_to_cli(rp)]


def _log_body(ctx: Context, body: dict[str, t.Any]) -> None:
    if ctx.params.get("log_driver") or ctx.parsed["log_options"]:
        body.setdefault("HostConfig", {})["LogConfig"] = {"Type": ctx.params.get("log_driver") or "", "Config": ctx.parsed["log_options"]}


def _network_body(ctx: Context, body: dict[str, t.Any]) -> None:
    mode = ctx.parsed["network_mode"]
    body.setdefault("HostConfig", {})["NetworkMode"] = mode
    for net in ctx.parsed["networks"]:
        if net["name"] == mode:
            body["NetworkingConfig"] = {"EndpointsConfig": {mode: endpoint_config(net)}}


def _network_cli(ctx: Context) -> list[str]:
    mode = ctx.parsed["network_mode"]
    out = [] if mode == "bridge" and not ctx.params.get("network_mode") else ["--network", mode]
    for net in ctx.parsed["networks"]:
        if net["name"] == mode:
            for alias in net["aliases"]:
                out += ["--network-alias", alias]
            if net["ipv4_address"]:
                out += ["--ip", net["ipv4_address"]]
            if net.get("ipv6_address"):
                out += ["--ip6", net["ipv6_address"]]
            for address in net.get("link_local_ips") or []:
                out += ["--link-local-ip", address]
    return out


def _user_or_image(key: str, image_key: str, norm: t.Callable[[t.Any], t.Any] = lambda v: v or "") -> tuple[t.Callable, t.Callable]:
    return (
        lambda ctx: norm(ctx.config.get(image_key)),
        lambda ctx: norm(ctx.params.get(key) if ctx.params.get(key) not in (None, "") else ctx.image_config.get(image_key)),
    )


_user_read, _user_want = _user_or_image("user", "User")
_wd_read, _wd_want = _user_or_image("working_dir", "WorkingDir")
_sig_read, _sig_want = _user_or_image("stop_signal", "StopSignal", signal_name)


MOUNT_SUBOPTIONS: dict[str, t.Any] = {
    "type": {"type": "str", "choices": ["bind", "volume", "tmpfs", "npipe", "cluster", "image"], "default": "volume"},
    "target": {"type": "str", "required": True},
    "consistency": {"type": "str", "choices": ["default", "consistent", "cached", "delegated"]},
    "propagation": {"type": "str", "choices": ["private", "rprivate", "shared", "rshared", "slave", "rslave"]},
    **of_type("str", "source", "subpath", "volume_driver", "tmpfs_size", "tmpfs_mode"),
    **of_type("bool", "read_only", "no_copy", "create_mountpoint", "non_recursive", "read_only_non_recursive",
              "read_only_force_recursive"),
    **of_type("dict", "volume_options", "labels"),
    "tmpfs_options": {"type": "list", "elements": "dict"},
}

NETWORK_SUBOPTIONS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "aliases": {"type": "list", "elements": "str"},
    "ipv4_address": {"type": "str"},
    "ipv6_address": {"type": "str"},
    "link_local_ips": {"type": "list", "elements": "str"},
    "links": {"type": "list", "elements": "str"},
    "mac_address": {"type": "str"},
    "driver_opts": {"type": "dict"},
    "gw_priority": {"type": "int"},
}

HEALTHCHECK_SUBOPTIONS: dict[str, t.Any] = {
    "test": {"type": "raw"},
    "test_cli_compatible": {"type": "bool"},
    **of_type("str", "interval", "timeout", "start_period", "start_interval"),  # durations: 30s, 1m30s
    "retries": {"type": "int"},
    "disable": {"type": "bool", "default": False},
}

# What needs a newer Engine API than 1.41 (Docker 20.10): checked only when the task uses it.
_MOUNT_NEEDS = (("create_mountpoint", "BindOptions", "CreateMountpoint", "1.42"),
                ("read_only_non_recursive", "BindOptions", "ReadOnlyNonRecursive", "1.44"),
                ("read_only_force_recursive", "BindOptions", "ReadOnlyForceRecursive", "1.44"),
                ("subpath", "VolumeOptions", "Subpath", "1.45"),
                ("tmpfs_options", "TmpfsOptions", "Options", "1.46"))


def _mount_uses(option: str, section: str, key: str) -> t.Callable[[Context], bool]:
    return lambda ctx: any((m.get(section) or {}).get(key) for m in ctx.parsed["mounts"])


API_NEEDS: tuple[tuple[str, t.Callable[[Context], bool], str], ...] = (
    ("healthcheck.start_interval", lambda ctx: bool((ctx.parsed["healthcheck"] or {}).get("StartInterval")), "1.44"),
    ("networks[].mac_address", lambda ctx: any(n.get("mac_address") for n in ctx.parsed["networks"]), "1.44"),
    ("networks[].gw_priority", lambda ctx: any(n.get("gw_priority") for n in ctx.parsed["networks"]), "1.48"),
    ("mounts[].type=cluster", lambda ctx: any(m.get("Type") == "cluster" for m in ctx.parsed["mounts"]), "1.42"),
    ("mounts[].type=image", lambda ctx: any(m.get("Type") == "image" for m in ctx.parsed["mounts"]), "1.47"),
    *((f"mounts[].{opt_name}", _mount_uses(opt_name, section, key), version) for opt_name, section, key, version in _MOUNT_NEEDS),
)


OPTIONS: tuple[Option, ...] = (
    Option("image", {"type": "str"},
           read=lambda ctx: (ctx.container or {}).get("Image"),
           want=_image_id,
           body=_set(None, "Image", lambda ctx: ctx.params.get("image"))),
    # Compared as the Engine keeps them (_runtime.engine_command): an empty entrypoint clears the image's, an empty
    # command is sent as such and the Engine puts the image's CMD back unless the container has an entrypoint
    Option("command", {"type": "raw"},
           read=lambda ctx: list(ctx.config.get("Cmd") or []),
           want=lambda ctx: _engine_command(ctx)[1],
           body=_set(None, "Cmd", lambda ctx: ctx.parsed["command"])),
    Option("entrypoint", {"type": "raw"},
           read=lambda ctx: list(ctx.config.get("Entrypoint") or []),
           want=lambda ctx: _engine_command(ctx)[0],
           body=_set(None, "Entrypoint", lambda ctx: ctx.parsed["entrypoint"]),
           # an empty one as '--entrypoint=' (what the docker CLI reads as ''): the actions text drops empty words
           cli=lambda ctx: [] if ctx.parsed["entrypoint"] is None else
           ["--entrypoint", shlex.join(ctx.parsed["entrypoint"])] if ctx.parsed["entrypoint"] else ["--entrypoint="]),
    Option("env", {"type": "dict"},
           read=lambda ctx: env_to_map(ctx.config.get("Env")),
           want=_env_want,
           body=_set(None, "Env", lambda ctx: [f"{k}={v}" for k, v in ctx.desired.task_env().items()] or None),
           cli=_env_cli),
    Option("secret_env", {"type": "dict", "no_log": True}),
    Option("env_file", {"type": "path"}),
    Option("ports", {"type": "list", "elements": "raw", "aliases": ["published_ports"]},
           read=_ports_read, want=_ports_want, body=_ports_body,
           cli=_many("-p", lambda ctx: [b.cli() for b in ctx.parsed["ports"]])),
    # Compared (and sent) with ports: both end up in the container's ExposedPorts.
    # sent with ports: both end up in the container's ExposedPorts
    Option("exposed_ports", {"type": "list", "elements": "str", "aliases": ["exposed", "expose"]},
           read=lambda ctx: sorted(ctx.config.get("ExposedPorts") or {}), want=_exposed_want,
           cli=_many("--expose", lambda ctx: ctx.parsed["exposed_ports"])),
    _bool_option("publish_all", "HostConfig", "PublishAllPorts", "--publish-all", ("publish_all_ports",)),
    Option("volumes", {"type": "list", "elements": "str"},
           read=_volumes_read, want=_volumes_want, body=_volumes_body,
           cli=_many("-v", lambda ctx: [v.bind() if v.kind != "anonymous" else v.target for v in ctx.parsed["volumes"]])),
    Option("mounts", {"type": "list", "elements": "dict", "options": MOUNT_SUBOPTIONS},
           read=lambda ctx: sorted((normalize_mount(m) for m in ctx.host_config.get("Mounts") or []), key=lambda m: m["Target"]),
           want=lambda ctx: sorted((normalize_mount(m) for m in ctx.parsed["mounts"]), key=lambda m: m["Target"]),
           body=_set("HostConfig", "Mounts", lambda ctx: ctx.parsed["mounts"] or None),
           cli=_many("--mount", lambda ctx: [mount_to_cli(m) for m in ctx.parsed["mounts"]])),
    Option("tmpfs", {"type": "list", "elements": "str"},
           read=lambda ctx: dict(ctx.host_config.get("Tmpfs") or {}),
           want=lambda ctx: ctx.parsed["tmpfs"],
           body=_set("HostConfig", "Tmpfs", lambda ctx: ctx.parsed["tmpfs"] or None),
           cli=_many("--tmpfs", lambda ctx: tmpfs_to_cli(ctx.parsed["tmpfs"]))),
    Option("network_mode", {"type": "str"},
           read=_network_mode_read,
           want=lambda ctx: ctx.parsed["network_mode"],
           body=_network_body, cli=_network_cli, equal=_network_mode_equal),
    Option("networks", {"type": "list", "elements": "dict", "options": NETWORK_SUBOPTIONS},
           read=networks_current, want=networks_wanted, apply=NETWORK),
    Option("networks_exclusive", {"type": "bool"}),
    Option("keep_volumes", {"type": "bool", "default": True}),
    Option("links", {"type": "list", "elements": "str"},
           read=lambda ctx: sorted(normalize_link(x) for x in ctx.host_config.get("Links") or []),
           want=lambda ctx: ctx.parsed["links"],
           body=_set("HostConfig", "Links", lambda ctx: ctx.parsed["links"] or None),
           cli=_many("--link", lambda ctx: ctx.parsed["links"])),
    Option("restart_policy", {"type": "str"},
           read=lambda ctx: {"Name": (ctx.host_config.get("RestartPolicy") or {}).get("Name") or "no",
                             "MaximumRetryCount": (ctx.host_config.get("RestartPolicy") or {}).get("MaximumRetryCount") or 0},
           want=lambda ctx: ctx.parsed["restart_policy"],
           body=_set("HostConfig", "RestartPolicy", lambda ctx: ctx.parsed["restart_policy"]),
           cli=_restart_cli, apply=UPDATE,
           update=_set(None, "RestartPolicy", lambda ctx: ctx.parsed["restart_policy"]), update_cli=_restart_cli),
    Option("restart_retries", {"type": "int"}),
    Option("labels", {"type": "dict"},
           read=lambda ctx: dict(ctx.config.get("Labels") or {}),
           want=_labels_want,
           body=_set(None, "Labels", lambda ctx: ctx.desired.task_labels() or None),
           cli=_many("--label", lambda ctx: [f"{k}={v}" for k, v in redact_labels(ctx.desired.task_labels()).items()])),
    Option("healthcheck", {"type": "dict", "options": HEALTHCHECK_SUBOPTIONS},
           read=lambda ctx: normalize_healthcheck(ctx.config.get("Healthcheck")),
           want=lambda ctx: merge_healthcheck(ctx.parsed["healthcheck"], ctx.image_config.get("Healthcheck")),
           body=_set(None, "Healthcheck", lambda ctx: ctx.parsed["healthcheck"]),
           cli=lambda ctx: healthcheck_to_cli(ctx.parsed["healthcheck"])),
    Option("user", {"type": "str"}, read=_user_read, want=_user_want,
           body=_set(None, "User", lambda ctx: ctx.params.get("user")), cli=_opt("--user", "user")),
    Option("working_dir", {"type": "str"}, read=_wd_read, want=_wd_want,
           body=_set(None, "WorkingDir", lambda ctx: ctx.params.get("working_dir")), cli=_opt("--workdir", "working_dir")),
    Option("hostname", {"type": "str"},
           read=lambda ctx: ctx.config.get("Hostname") or "",
           want=lambda ctx: ctx.params.get("hostname") or None,
           body=_set(None, "Hostname", lambda ctx: ctx.params.get("hostname")),
           cli=_opt("--hostname", "hostname"), equal=_hostname_equal),
    Option("memory", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("Memory") or 0,
           want=lambda ctx: ctx.parsed["memory"],
           body=_set("HostConfig", "Memory", lambda ctx: ctx.parsed["memory"] or None),
           cli=_memory_cli, apply=_resources_update, update=_memory_update, update_cli=_memory_update_cli),
    Option("cpus", {"type": "float"},
           read=lambda ctx: ctx.host_config.get("NanoCpus") or 0,
           want=lambda ctx: ctx.parsed["cpus"],
           body=_set("HostConfig", "NanoCpus", lambda ctx: ctx.parsed["cpus"] or None),
           cli=_cpus_cli, apply=_resources_update,
           update=_set(None, "NanoCpus", lambda ctx: ctx.parsed["cpus"]), update_cli=_cpus_cli),
    Option("log_driver", {"type": "str"},
           read=lambda ctx: (ctx.host_config.get("LogConfig") or {}).get("Type") or "",
           want=lambda ctx: ctx.params.get("log_driver") or None,
           body=_log_body, cli=_opt("--log-driver", "log_driver"), equal=_log_driver_equal),
    Option("log_options", {"type": "dict", "aliases": ["log_opt"]},
           read=lambda ctx: dict((ctx.host_config.get("LogConfig") or {}).get("Config") or {}),
           want=lambda ctx: ctx.parsed["log_options"],
           cli=_many("--log-opt", lambda ctx: [f"{k}={v}" for k, v in ctx.parsed["log_options"].items()])),
    _bool_option("auto_remove", "HostConfig", "AutoRemove", "--rm"),
    Option("detach", {"type": "bool", "default": True}),
    _bool_option("interactive", None, "OpenStdin", "--interactive"),
    _bool_option("tty", None, "Tty", "--tty"),
    _bool_option("init", "HostConfig", "Init", "--init"),
    _bool_option("privileged", "HostConfig", "Privileged", "--privileged"),
    Option("cap_add", {"type": "list", "elements": "str", "aliases": ["capabilities"]},
           read=lambda ctx: capabilities(ctx.host_config.get("CapAdd")),
           want=lambda ctx: ctx.parsed["cap_add"],
           body=_set("HostConfig", "CapAdd", lambda ctx: ctx.parsed["cap_add"] or None),
           cli=_many("--cap-add", lambda ctx: ctx.parsed["cap_add"])),
    Option("cap_drop", {"type": "list", "elements": "str"},
           read=lambda ctx: capabilities(ctx.host_config.get("CapDrop")),
           want=lambda ctx: ctx.parsed["cap_drop"],
           body=_set("HostConfig", "CapDrop", lambda ctx: ctx.parsed["cap_drop"] or None),
           cli=_many("--cap-drop", lambda ctx: ctx.parsed["cap_drop"])),
    _bool_option("read_only", "HostConfig", "ReadonlyRootfs", "--read-only"),
    Option("stop_signal", {"type": "str"}, read=_sig_read, want=_sig_want,
           body=_set(None, "StopSignal", lambda ctx: signal_name(ctx.params.get("stop_signal")) or None),
           cli=_opt("--stop-signal", "stop_signal")),
    Option("stop_timeout", {"type": "int"},
           read=lambda ctx: ctx.config.get("StopTimeout"),
           want=lambda ctx: ctx.params.get("stop_timeout"),
           body=_set(None, "StopTimeout", lambda ctx: ctx.params.get("stop_timeout")),
           cli=_opt("--stop-timeout", "stop_timeout")),
    # extras a serious user expects
    Option("extra_hosts", {"type": "raw", "aliases": ["etc_hosts"]},
           read=lambda ctx: sorted(ctx.host_config.get("ExtraHosts") or []),
           want=lambda ctx: ctx.parsed["extra_hosts"],
           body=_set("HostConfig", "ExtraHosts", lambda ctx: ctx.parsed["extra_hosts"] or None),
           cli=_many("--add-host", lambda ctx: ctx.parsed["extra_hosts"])),
    Option("dns", {"type": "list", "elements": "str", "aliases": ["dns_servers"]},
           read=lambda ctx: sorted(ctx.host_config.get("Dns") or []),
           want=lambda ctx: sorted(ctx.params.get("dns") or []),
           body=_set("HostConfig", "Dns", lambda ctx: ctx.params.get("dns") or None),
           cli=_many("--dns", lambda ctx: ctx.params.get("dns") or [])),
    Option("dns_search", {"type": "list", "elements": "str", "aliases": ["dns_search_domains"]},
           read=lambda ctx: sorted(ctx.host_config.get("DnsSearch") or []),
           want=lambda ctx: sorted(ctx.params.get("dns_search") or []),
           body=_set("HostConfig", "DnsSearch", lambda ctx: ctx.params.get("dns_search") or None),
           cli=_many("--dns-search", lambda ctx: ctx.params.get("dns_search") or [])),
    Option("shm_size", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("ShmSize") or DEFAULT_SHM_SIZE,
           want=lambda ctx: ctx.parsed["shm_size"] or DEFAULT_SHM_SIZE,
           body=_set("HostConfig", "ShmSize", lambda ctx: ctx.parsed["shm_size"]),
           cli=_opt("--shm-size", "shm_size")),
    Option("sysctls", {"type": "dict"},
           read=lambda ctx: dict(ctx.host_config.get("Sysctls") or {}),
           want=lambda ctx: ctx.parsed["sysctls"],
           body=_set("HostConfig", "Sysctls", lambda ctx: ctx.parsed["sysctls"] or None),
           cli=_many("--sysctl", lambda ctx: [f"{k}={v}" for k, v in ctx.parsed["sysctls"].items()])),
    Option("ulimits", {"type": "list", "elements": "str"},
           read=lambda ctx: sorted(({"Name": u.get("Name"), "Soft": u.get("Soft"), "Hard": u.get("Hard")}
                                    for u in ctx.host_config.get("Ulimits") or []), key=lambda u: u["Name"]),
           want=lambda ctx: ctx.parsed["ulimits"],
           body=_set("HostConfig", "Ulimits", lambda ctx: ctx.parsed["ulimits"] or None),
           cli=_many("--ulimit", lambda ctx: [ulimit_to_cli(u) for u in ctx.parsed["ulimits"]])),
    Option("devices", {"type": "list", "elements": "str"},
           read=lambda ctx: _devices_norm(ctx.host_config.get("Devices")),
           want=lambda ctx: _devices_norm(ctx.parsed["devices"]),
           body=_set("HostConfig", "Devices", lambda ctx: ctx.parsed["devices"] or None),
           cli=_many("--device", lambda ctx: [device_to_cli(d) for d in ctx.parsed["devices"]])),
    Option("pid_mode", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("PidMode") or "",
           want=lambda ctx: ctx.params.get("pid_mode") or "",
           body=_set("HostConfig", "PidMode", lambda ctx: ctx.params.get("pid_mode")),
           cli=_opt("--pid", "pid_mode"), equal=same_container_mode),
    Option("ipc_mode", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("IpcMode") or "",
           want=lambda ctx: ctx.params.get("ipc_mode") or None,
           body=_set("HostConfig", "IpcMode", lambda ctx: ctx.params.get("ipc_mode")),
           cli=_opt("--ipc", "ipc_mode"),
           # the engine's default (private or shareable) depends on its configuration
           equal=lambda ctx, cur, want: same_container_mode(ctx, cur, want) if want else cur in ("", "private", "shareable")),
    # community.docker's image_name_mismatch: recreate -- the same image under another name recreates
    Option("image_name",
           read=lambda ctx: _image_name(ctx.config.get("Image")),
           want=lambda ctx: _image_name(ctx.params.get("image"))
           if ctx.params.get("image_name_mismatch") == "recreate" and ctx.params.get("image") else UNMANAGED),
) + RESOURCE_OPTIONS + HOST_OPTIONS

BEHAVIOUR_SPEC: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "started", "choices": list(STATES)},
    # community.docker's true (always) and false (missing) too
    "pull": {"type": "raw", "default": "missing", "choices": ["missing", "always", "never", True, False]},
    "pull_check_mode_behavior": {"type": "str", "choices": ["image_not_present", "always"], "default": "image_not_present"},
    "wait_timeout": {"type": "int", "default": 60},
    "healthy_wait_timeout": {"type": "float"},
    "removal_wait_timeout": {"type": "float"},
    "max_port_range": {"type": "int", "default": 1000},
    "restart": {"type": "bool", "default": False},
    "recreate": {"type": "bool", "default": False},
    "comparisons": {"type": "dict"},
    "container_default_behavior": {"type": "str", "choices": ["compatibility", "no_defaults"]},
    "command_handling": {"type": "str", "choices": ["compatibility", "correct"], "default": "correct"},
    "image_comparison": {"type": "str", "choices": ["desired-image", "current-image"], "default": "desired-image"},
    "image_label_mismatch": {"type": "str", "choices": ["ignore", "fail"], "default": "ignore"},
    "image_name_mismatch": {"type": "str", "choices": ["recreate", "ignore"]},
    "ignore_image": {"type": "bool"},
    "networks_cli_compatible": {"type": "bool", "default": True},
    "purge_networks": {"type": "bool"},
    "default_host_ip": {"type": "str"},
    "force_kill": {"type": "bool", "default": False, "aliases": ["forcekill"]},
    "kill_signal": {"type": "str"},
    "paused": {"type": "bool"},
    "cleanup": {"type": "bool", "default": False},
    "output_logs": {"type": "bool", "default": False},
    "debug": {"type": "bool", "default": False},
}


def container_argument_spec() -> dict[str, t.Any]:
    """The container module's argument spec (without the connection options)."""
    spec = {k: dict(v) for k, v in BEHAVIOUR_SPEC.items()}
    for option in OPTIONS:
        if option.spec is not None:
            spec[option.name] = dict(option.spec)
    return spec


def container_defaults() -> dict[str, t.Any]:
    """{option: default} for every option of container_argument_spec() (None where there is none)."""
    return {name: spec.get("default") for name, spec in container_argument_spec().items()}


def plan(
    params: dict[str, t.Any] | Desired,
    container: dict[str, t.Any],
    image: dict[str, t.Any] | None,
    lookup: t.Callable[[str, str], t.Any] | None = None,
) -> list[Difference]:
    """Every difference between an existing container and the task (merged over the image), with the
    task's ``comparisons`` (per option strict / ignore / allow_more_present) when it gives them."""
    desired = params if isinstance(params, Desired) else Desired(params)
    given = {ALIASES.get(str(k), str(k)): v for k, v in (desired.params.get("comparisons") or {}).items()}
    comparisons = check_comparisons(given, (o.name for o in OPTIONS if o.compared))
    desired.parsed["comparisons"] = comparisons
    return plan_options(managed_options(desired.params, comparisons), Context(desired, image, container, lookup), comparisons)


def _unmanaged(_ctx: Context) -> t.Any:
    return UNMANAGED


def managed_options(params: dict[str, t.Any], comparisons: dict[str, str]) -> list[Option]:
    """The table, with the options the task does not manage (``_desired_compat.manages``) left out of
    the comparison."""
    return [option if manages(params, GIVEN_BY.get(option.name, (option.name,)), option.name, comparisons)
            else replace(option, want=_unmanaged) for option in OPTIONS]


def check_api_versions(ctx: Context) -> None:
    """Fail, naming the API version needed, when the task uses an option the daemon is too old for."""
    require_api(ctx, API_NEEDS)


def create_request(ctx: Context) -> dict[str, t.Any]:
    """The body of POST /containers/create, every option filling its part."""
    require_api(ctx, API_NEEDS)
    body = create_body(OPTIONS, ctx, {"HostConfig": {}})
    if not body.get("Image"):
        body["Image"] = ctx.config.get("Image") or (ctx.image or {}).get("Id")
    if ctx.params.get("interactive"):
        # stdin_once (not an option: compose_run's attached run, like docker run -i): EOF on the attach closes stdin
        body["AttachStdin"] = body["StdinOnce"] = bool(ctx.params.get("stdin_once"))
    return body


def container_secret_keys(container: dict[str, t.Any] | None) -> list[str]:
    return secret_keys_of((((container or {}).get("Config") or {}).get("Labels")))
