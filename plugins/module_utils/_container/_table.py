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
"""

from __future__ import annotations

import shlex
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._container._desired import STATES, Desired
from ansible_collections.devops.docker.plugins.module_utils._engine import (
    NETWORK,
    RECREATE,
    UPDATE,
    Difference,
    Option,
    check_comparisons,
    create_body,
)
from ansible_collections.devops.docker.plugins.module_utils._engine import plan as plan_options
from ansible_collections.devops.docker.plugins.module_utils._values._env import env_to_map
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import healthcheck_to_cli, merge_healthcheck, normalize_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import mount_to_cli, normalize_bind, normalize_mount, tmpfs_to_cli
from ansible_collections.devops.docker.plugins.module_utils._values._networks import endpoint_config
from ansible_collections.devops.docker.plugins.module_utils._values._ports import normalize_port_bindings, port_bindings
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import (
    capabilities,
    device_to_cli,
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
    def config(self) -> dict[str, t.Any]:
        """The container's Config."""
        return ((self.container or {}).get("Config")) or {}

    @property
    def host_config(self) -> dict[str, t.Any]:
        return ((self.container or {}).get("HostConfig")) or {}


def _image_id(ctx: Context) -> str | None:
    return (ctx.image or {}).get("Id")


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
            "links": sorted(normalize_link(x) for x in ep.get("Links") or []),
        }
    if ctx.params.get("networks_exclusive") is False:
        # Connections this task does not list (made by devops.docker.network's connected, say) are left alone.
        wanted = {n["name"] for n in ctx.parsed["networks"]} | {ctx.parsed["network_mode"]}
        result = {name: value for name, value in result.items() if name in wanted}
    return result


def networks_wanted(ctx: Context) -> dict[str, t.Any] | None:
    if not _user_networks(ctx):
        return None
    result = {n["name"]: {k: n[k] for k in ("aliases", "ipv4_address", "links")} for n in ctx.parsed["networks"]}
    result.setdefault(ctx.parsed["network_mode"], {"aliases": [], "ipv4_address": "", "links": []})
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


def _memory_update(ctx: Context, body: dict[str, t.Any]) -> None:
    body["Memory"] = ctx.parsed["memory"]
    body["MemorySwap"] = 2 * ctx.parsed["memory"]  # what the engine sets at create when no swap is given


def _memory_update_cli(ctx: Context) -> list[str]:
    return ["--memory", str(ctx.parsed["memory"]), "--memory-swap", str(2 * ctx.parsed["memory"])]


def _cpus_cli(ctx: Context) -> list[str]:
    return ["--cpus", f"{ctx.parsed['cpus'] / 1e9:g}"] if ctx.parsed["cpus"] else []


def _flag(flag: str, key: str) -> t.Callable[[Context], list[str]]:
    return lambda ctx: [flag] if ctx.params.get(key) else []


def _opt(flag: str, key: str) -> t.Callable[[Context], list[str]]:
    return lambda ctx: [flag, str(ctx.params[key])] if ctx.params.get(key) not in (None, "") else []


def _many(flag: str, values: t.Callable[[Context], t.Iterable[t.Any]]) -> t.Callable[[Context], list[str]]:
    def build(ctx: Context) -> list[str]:
        out: list[str] = []
        for value in values(ctx):
            out += [flag, str(value)]
        return out
    return build


def _set(section: str | None, key: str, value: t.Callable[[Context], t.Any]) -> t.Callable[[Context, dict[str, t.Any]], None]:
    def fill(ctx: Context, body: dict[str, t.Any]) -> None:
        val = value(ctx)
        if val is None:
            return
        (body.setdefault(section, {}) if section else body)[key] = val
    return fill


def _bool_option(name: str, section: str | None, key: str, flag: str, apply: str = RECREATE) -> Option:
    container_key = key
    return Option(
        name,
        {"type": "bool", "default": False},
        read=(lambda ctx: bool(ctx.host_config.get(container_key))) if section == "HostConfig" else (lambda ctx: bool(ctx.config.get(container_key))),
        want=lambda ctx: bool(ctx.params.get(name)),
        body=_set(section, key, lambda ctx: True if ctx.params.get(name) else None),
        cli=_flag(flag, name),
        apply=apply,
    )


def _ports_read(ctx: Context) -> dict[str, t.Any]:
    return {
        "published": normalize_port_bindings(ctx.host_config.get("PortBindings")),
        "exposed": sorted(ctx.config.get("ExposedPorts") or {}),
    }


def _task_exposed(ctx: Context) -> list[str]:
    """The ports the task exposes: every published one and every exposed_ports entry, in order."""
    keys = [b.key for b in ctx.parsed["ports"]]
    return keys + [k for k in ctx.parsed["exposed_ports"] if k not in keys]


def _ports_want(ctx: Context) -> dict[str, t.Any]:
    exposed = set(ctx.image_config.get("ExposedPorts") or {}) | set(_task_exposed(ctx))
    return {"published": normalize_port_bindings(port_bindings(ctx.parsed["ports"])), "exposed": sorted(exposed)}


def _ports_body(ctx: Context, body: dict[str, t.Any]) -> None:
    exposed = _task_exposed(ctx)
    if exposed:
        body["ExposedPorts"] = {key: {} for key in exposed}
    if ctx.parsed["ports"]:
        body.setdefault("HostConfig", {})["PortBindings"] = port_bindings(ctx.parsed["ports"])


def _volumes_read(ctx: Context) -> dict[str, t.Any]:
    return {
        "binds": sorted(normalize_bind(b) for b in ctx.host_config.get("Binds") or []),
        "anonymous": sorted(ctx.config.get("Volumes") or {}),
    }


def _volumes_want(ctx: Context) -> dict[str, t.Any]:
    specs = ctx.parsed["volumes"]
    anonymous = set(ctx.image_config.get("Volumes") or {}) | {v.target for v in specs if v.kind == "anonymous"}
    return {
        "binds": sorted(normalize_bind(v.bind()) for v in specs if v.kind != "anonymous"),
        "anonymous": sorted(anonymous),
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
    env = env_to_map(ctx.image_config.get("Env"))
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
    labels = dict(ctx.image_config.get("Labels") or {})
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
    "type": {"type": "str", "choices": ["bind", "volume", "tmpfs"], "default": "volume"},
    "source": {"type": "str"},
    "target": {"type": "str", "required": True},
    "read_only": {"type": "bool", "default": False},
    "consistency": {"type": "str", "choices": ["default", "consistent", "cached", "delegated"]},
    "propagation": {"type": "str", "choices": ["private", "rprivate", "shared", "rshared", "slave", "rslave"]},
    "no_copy": {"type": "bool", "default": False},
    "volume_driver": {"type": "str"},
    "volume_options": {"type": "dict"},
    "labels": {"type": "dict"},
    "tmpfs_size": {"type": "str"},
    "tmpfs_mode": {"type": "str"},
}

NETWORK_SUBOPTIONS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "aliases": {"type": "list", "elements": "str"},
    "ipv4_address": {"type": "str"},
    "links": {"type": "list", "elements": "str"},
}

HEALTHCHECK_SUBOPTIONS: dict[str, t.Any] = {
    "test": {"type": "raw"},
    "interval": {"type": "str"},
    "timeout": {"type": "str"},
    "retries": {"type": "int"},
    "start_period": {"type": "str"},
    "disable": {"type": "bool", "default": False},
}


OPTIONS: tuple[Option, ...] = (
    Option("image", {"type": "str"},
           read=lambda ctx: (ctx.container or {}).get("Image"),
           want=_image_id,
           body=_set(None, "Image", lambda ctx: ctx.params.get("image"))),
    Option("command", {"type": "raw"},
           read=lambda ctx: ctx.config.get("Cmd") or None,
           want=lambda ctx: ctx.parsed["command"] if ctx.parsed["command"] is not None
           else (None if ctx.parsed["entrypoint"] else (ctx.image_config.get("Cmd") or None)),
           body=_set(None, "Cmd", lambda ctx: ctx.parsed["command"])),
    Option("entrypoint", {"type": "raw"},
           read=lambda ctx: ctx.config.get("Entrypoint") or None,
           want=lambda ctx: ctx.parsed["entrypoint"] or (ctx.image_config.get("Entrypoint") or None),
           body=_set(None, "Entrypoint", lambda ctx: ctx.parsed["entrypoint"]),
           cli=lambda ctx: ["--entrypoint", shlex.join(ctx.parsed["entrypoint"])] if ctx.parsed["entrypoint"] else []),
    Option("env", {"type": "dict"},
           read=lambda ctx: env_to_map(ctx.config.get("Env")),
           want=_env_want,
           body=_set(None, "Env", lambda ctx: [f"{k}={v}" for k, v in ctx.desired.task_env().items()] or None),
           cli=_env_cli),
    Option("secret_env", {"type": "dict", "no_log": True}),
    Option("env_file", {"type": "path"}),
    Option("ports", {"type": "list", "elements": "raw"},
           read=_ports_read, want=_ports_want, body=_ports_body,
           cli=_many("-p", lambda ctx: [b.cli() for b in ctx.parsed["ports"]])),
    # Compared (and sent) with ports: both end up in the container's ExposedPorts.
    Option("exposed_ports", {"type": "list", "elements": "str", "aliases": ["expose"]},
           cli=_many("--expose", lambda ctx: ctx.parsed["exposed_ports"])),
    _bool_option("publish_all", "HostConfig", "PublishAllPorts", "--publish-all"),
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
    Option("networks_exclusive", {"type": "bool", "default": True}),
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
    Option("log_options", {"type": "dict"},
           read=lambda ctx: dict((ctx.host_config.get("LogConfig") or {}).get("Config") or {}),
           want=lambda ctx: ctx.parsed["log_options"],
           cli=_many("--log-opt", lambda ctx: [f"{k}={v}" for k, v in ctx.parsed["log_options"].items()])),
    _bool_option("auto_remove", "HostConfig", "AutoRemove", "--rm"),
    Option("detach", {"type": "bool", "default": True}),
    _bool_option("interactive", None, "OpenStdin", "--interactive"),
    _bool_option("tty", None, "Tty", "--tty"),
    _bool_option("init", "HostConfig", "Init", "--init"),
    _bool_option("privileged", "HostConfig", "Privileged", "--privileged"),
    Option("cap_add", {"type": "list", "elements": "str"},
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
    Option("extra_hosts", {"type": "raw"},
           read=lambda ctx: sorted(ctx.host_config.get("ExtraHosts") or []),
           want=lambda ctx: ctx.parsed["extra_hosts"],
           body=_set("HostConfig", "ExtraHosts", lambda ctx: ctx.parsed["extra_hosts"] or None),
           cli=_many("--add-host", lambda ctx: ctx.parsed["extra_hosts"])),
    Option("dns", {"type": "list", "elements": "str"},
           read=lambda ctx: list(ctx.host_config.get("Dns") or []),
           want=lambda ctx: list(ctx.params.get("dns") or []),
           body=_set("HostConfig", "Dns", lambda ctx: ctx.params.get("dns") or None),
           cli=_many("--dns", lambda ctx: ctx.params.get("dns") or [])),
    Option("dns_search", {"type": "list", "elements": "str"},
           read=lambda ctx: list(ctx.host_config.get("DnsSearch") or []),
           want=lambda ctx: list(ctx.params.get("dns_search") or []),
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
           read=lambda ctx: list(ctx.host_config.get("Devices") or []),
           want=lambda ctx: ctx.parsed["devices"],
           body=_set("HostConfig", "Devices", lambda ctx: ctx.parsed["devices"] or None),
           cli=_many("--device", lambda ctx: [device_to_cli(d) for d in ctx.parsed["devices"]])),
    Option("pid_mode", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("PidMode") or "",
           want=lambda ctx: ctx.params.get("pid_mode") or "",
           body=_set("HostConfig", "PidMode", lambda ctx: ctx.params.get("pid_mode")),
           cli=_opt("--pid", "pid_mode")),
    Option("ipc_mode", {"type": "str"},
           read=lambda ctx: ctx.host_config.get("IpcMode") or "",
           want=lambda ctx: ctx.params.get("ipc_mode") or None,
           body=_set("HostConfig", "IpcMode", lambda ctx: ctx.params.get("ipc_mode")),
           cli=_opt("--ipc", "ipc_mode"),
           # the engine's default (private or shareable) depends on its configuration
           equal=lambda ctx, cur, want: cur == want if want else cur in ("", "private", "shareable")),
)

BEHAVIOUR_SPEC: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "started", "choices": list(STATES)},
    "pull": {"type": "str", "default": "missing", "choices": ["missing", "always", "never"]},
    "wait_timeout": {"type": "int", "default": 60},
    "max_port_range": {"type": "int", "default": 1000},
    "restart": {"type": "bool", "default": False},
    "recreate": {"type": "bool", "default": False},
}


def container_argument_spec() -> dict[str, t.Any]:
    """The container module's argument spec (without the connection options)."""
    spec = {k: dict(v) for k, v in BEHAVIOUR_SPEC.items()}
    for option in OPTIONS:
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
    comparisons = check_comparisons(desired.params.get("comparisons"), (o.name for o in OPTIONS if o.compared))
    return plan_options(OPTIONS, Context(desired, image, container, lookup), comparisons)


def create_request(ctx: Context) -> dict[str, t.Any]:
    """The body of POST /containers/create, every option filling its part."""
    body = create_body(OPTIONS, ctx, {"HostConfig": {}})
    if not body.get("Image"):
        body["Image"] = ctx.config.get("Image") or (ctx.image or {}).get("Id")
    if ctx.params.get("interactive"):
        body["AttachStdin"] = False
        body["StdinOnce"] = False
    return body


def container_secret_keys(container: dict[str, t.Any] | None) -> list[str]:
    return secret_keys_of((((container or {}).get("Config") or {}).get("Labels")))
