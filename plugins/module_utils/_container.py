# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container manager: one option table, one comparison, one lifecycle.

Interface (stable; the compose code builds on it):

``container_argument_spec() -> dict``
    The ``container`` module's argument spec, without the connection options.

``container_defaults() -> dict``
    ``{option: default}`` for every option of that spec (``None`` where there
    is no default), so a caller can build a full ``params`` dict.

``ContainerManager(api, params, check_mode, tracker=None, warn=None, replace_other_image=False)``
    ``params`` is a full dict in the module's option names (defaults filled).
    ``.run() -> dict`` converges one container and returns the module result:
    ``changed``, ``actions`` (docker CLI equivalents), ``diff`` (before/after
    per option), ``container`` (inspect data, ``secret_env`` values redacted),
    and ``rc`` / ``output`` when ``detach`` is false.  Errors are raised as
    ``DockerError`` / ``SpecError`` with a message for the user, before any side
    effect when the input is bad.  Any label change (``com.docker.compose.*``
    included) recreates the container.  A container whose image is of another
    repository is an error unless ``recreate`` is true or the manager was made
    with ``replace_other_image=True``.

``plan(params, container, image, lookup=None) -> list[Difference]``
    The pure comparison (no daemon), used by the manager and the unit tests.
    Each ``Difference`` says how it is applied: ``RECREATE``, ``UPDATE``
    (``docker container update``: restart policy, raising or changing memory
    and cpus) or ``NETWORK`` (connect / disconnect).

``Desired(params)`` (parsed and validated task), ``Context(desired, image,
container, lookup)`` and ``ContainerManager._create_cli(ctx)`` (the
``docker container create`` argv) are used by compose's check-mode
prediction; keep their signatures.

Lifecycle notes: a recreate renames the old container, creates the new one,
and only then stops (gracefully, ``stop_timeout``) and removes the old one, so
a create the daemon rejects leaves the old container in place.  With
``state: present`` a recreated container that was running is started again.
A no-op run makes exactly two requests (inspect container, inspect image).

How the comparison works: each option of ``OPTIONS`` says how to read its
current value from ``docker inspect`` and how to compute the wanted value from
the task *merged over the image's config*: the wanted env is the image's ENV
overlaid with ``env_file``, ``env`` and ``secret_env``; the wanted labels,
exposed ports, anonymous volumes, CMD, ENTRYPOINT, WORKDIR, USER, STOPSIGNAL
and healthcheck start from the image's.  So a value that comes from the image
never causes a recreate, and a value that is in the container but neither in
the image nor in the task (a removed env var, label, port...) does.

``secret_env`` values are compared in memory and never returned: the
container carries two labels, ``devops.docker.secret-env-keys`` (the names)
and ``devops.docker.secret-env-hash`` (sha256 of the sorted KEY=VALUE
lines), so a changed secret recreates and the names are known for redaction.
"""

from __future__ import annotations

import shlex
import time
import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, Conflict, DockerAPI, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._values._env import env_to_map, read_env_file
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import healthcheck_to_cli, merge_healthcheck, normalize_healthcheck, parse_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name, registry_host
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import (
    mount_to_cli,
    normalize_bind,
    normalize_mount,
    parse_mount,
    parse_tmpfs,
    parse_volumes,
    tmpfs_to_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._values._networks import connect_flags, endpoint_config
from ansible_collections.devops.docker.plugins.module_utils._values._ports import normalize_port_bindings, parse_exposed_ports, parse_ports, port_bindings
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import (
    capabilities,
    command_argv,
    device_to_cli,
    normalize_link,
    parse_devices,
    parse_extra_hosts,
    parse_link,
    parse_restart_policy,
    parse_ulimits,
    restart_policy_to_cli,
    signal_name,
    ulimit_to_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    check_reserved_labels,
    redact,
    redact_container,
    redact_env,
    redact_labels,
    secret_keys_of,
    secret_labels,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import output_text
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size


RECREATE = "recreate"  # the container has to be replaced
UPDATE = "update"  # POST /containers/{id}/update
NETWORK = "network"  # docker network connect / disconnect

STATES = ("present", "started", "stopped", "paused", "absent", "healthy")
ZERO_TIME = "0001-01-01T00:00:00Z"
DEFAULT_SHM_SIZE = 64 * 1024 * 1024


# ============================================================ the desired container


@dataclass
class Desired:
    """The task's parameters, parsed and validated (no daemon needed)."""

    params: dict[str, t.Any]
    parsed: dict[str, t.Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = self.params
        q = self.parsed
        if not p.get("name"):
            raise SpecError("name: a container name is required.")
        if p.get("state", "started") not in STATES:
            raise SpecError(f"state: {p.get('state')!r} is not one of {', '.join(STATES)}.")
        q["command"] = command_argv(p.get("command"), "command")
        q["entrypoint"] = command_argv(p.get("entrypoint"), "entrypoint") or None
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
        cpus = p.get("cpus")
        if cpus is not None and cpus < 0:
            raise SpecError("cpus must not be negative; write a number of CPUs like 0.5.")
        q["cpus"] = int(round((cpus or 0) * 1e9))
        q["shm_size"] = parse_size(p.get("shm_size"), "shm_size")
        q["log_options"] = (string_map(p.get("log_options"), "log_options") or {})
        q["sysctls"] = (string_map(p.get("sysctls"), "sysctls") or {})
        q["cap_add"] = capabilities(p.get("cap_add"))
        q["cap_drop"] = capabilities(p.get("cap_drop"))
        q["extra_hosts"] = parse_extra_hosts(p.get("extra_hosts"))
        q["ulimits"] = parse_ulimits(p.get("ulimits"))
        q["devices"] = parse_devices(p.get("devices"))
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
            if net["name"] == "bridge" and (net["aliases"] or net["ipv4_address"]):
                raise SpecError("networks: the default 'bridge' network takes no aliases or ipv4_address; use a user network.")
        q["network_mode"] = primary
        q["networks"] = nets
        if p.get("auto_remove") and q["restart_policy"]["Name"] != "no":
            raise SpecError("auto_remove cannot be combined with a restart_policy other than 'no': pick one.")
        if p.get("detach") is False and p.get("state", "started") != "started":
            raise SpecError("detach: false runs the container to completion; it needs state: started.")
        if p.get("wait_timeout") is not None and p["wait_timeout"] <= 0:
            raise SpecError("wait_timeout must be a positive number of seconds.")

    @property
    def secret_keys(self) -> list[str]:
        return sorted(self.parsed["secret_env"])

    def task_env(self) -> dict[str, str]:
        """What the task sends as Env: env_file, then env, then secret_env."""
        env = dict(self.parsed["env_file"])
        env.update(self.parsed["env"])
        env.update(self.parsed["secret_env"])
        return env

    def task_labels(self) -> dict[str, str]:
        labels = dict(self.parsed["labels"])
        labels.update(secret_labels(self.parsed["secret_env"]))
        return labels


# ============================================================ comparison context
@dataclass
class Context:
    """What an option looks at: the desired container, the image, and (when comparing) the container."""

    desired: Desired
    image: dict[str, t.Any] | None
    container: dict[str, t.Any] | None = None
    lookup: t.Callable[[str, str], t.Any] | None = None  # ("log_driver", "") / ("container_id", name)

    @property
    def p(self) -> dict[str, t.Any]:
        return self.desired.params

    @property
    def q(self) -> dict[str, t.Any]:
        return self.desired.parsed

    @property
    def ic(self) -> dict[str, t.Any]:
        return ((self.image or {}).get("Config")) or {}

    @property
    def cc(self) -> dict[str, t.Any]:
        return ((self.container or {}).get("Config")) or {}

    @property
    def hc(self) -> dict[str, t.Any]:
        return ((self.container or {}).get("HostConfig")) or {}


def _image_id(ctx: Context) -> str | None:
    return (ctx.image or {}).get("Id")


def _network_mode_read(ctx: Context) -> str:
    mode = ctx.hc.get("NetworkMode") or "default"
    return "bridge" if mode == "default" else mode


def _network_mode_equal(ctx: Context, current: str, wanted: str) -> bool:
    if current == wanted:
        return True
    if current.startswith("container:") and wanted.startswith("container:") and ctx.lookup:
        return current[10:] == ctx.lookup("container_id", wanted[10:])
    return False


def _user_networks(ctx: Context) -> bool:
    mode = ctx.q["network_mode"]
    return not (mode in ("host", "none") or mode.startswith("container:"))


def _networks_read(ctx: Context) -> dict[str, t.Any] | None:
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
    if ctx.p.get("networks_exclusive") is False:
        # Connections this task does not list (made by devops.docker.network's connected, say) are left alone.
        wanted = {n["name"] for n in ctx.q["networks"]} | {ctx.q["network_mode"]}
        result = {name: value for name, value in result.items() if name in wanted}
    return result


def _networks_want(ctx: Context) -> dict[str, t.Any] | None:
    if not _user_networks(ctx):
        return None
    result = {n["name"]: {k: n[k] for k in ("aliases", "ipv4_address", "links")} for n in ctx.q["networks"]}
    result.setdefault(ctx.q["network_mode"], {"aliases": [], "ipv4_address": "", "links": []})
    return result


def _hostname_equal(ctx: Context, current: str, wanted: str | None) -> bool:
    if wanted:
        return current == wanted
    mode = ctx.q["network_mode"]
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


# ============================================================ the option table
@dataclass(frozen=True)
class Option:
    """One option: its argspec, how it is read back, wanted, sent and shown as CLI.

    read(ctx) -> current comparable value (None: the option is not compared)
    want(ctx) -> wanted comparable value (the task merged over the image)
    body(ctx, create_body) fills the create request
    cli(ctx) -> docker container create arguments
    how: RECREATE / UPDATE / NETWORK, or a function (current, wanted) -> one of them
    equal(ctx, current, wanted) for the few options where "equal" is more than ==
    """

    name: str
    spec: dict[str, t.Any]
    read: t.Callable[[Context], t.Any] | None = None
    want: t.Callable[[Context], t.Any] | None = None
    body: t.Callable[[Context, dict[str, t.Any]], None] | None = None
    cli: t.Callable[[Context], list[str]] | None = None
    how: str | t.Callable[[t.Any, t.Any], str] = RECREATE
    equal: t.Callable[[Context, t.Any, t.Any], bool] | None = None


def _flag(flag: str, key: str) -> t.Callable[[Context], list[str]]:
    return lambda ctx: [flag] if ctx.p.get(key) else []


def _opt(flag: str, key: str) -> t.Callable[[Context], list[str]]:
    return lambda ctx: [flag, str(ctx.p[key])] if ctx.p.get(key) not in (None, "") else []


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


def _bool_option(name: str, section: str | None, key: str, flag: str, how: str = RECREATE) -> Option:
    container_key = key
    return Option(
        name,
        {"type": "bool", "default": False},
        read=(lambda ctx: bool(ctx.hc.get(container_key))) if section == "HostConfig" else (lambda ctx: bool(ctx.cc.get(container_key))),
        want=lambda ctx: bool(ctx.p.get(name)),
        body=_set(section, key, lambda ctx: True if ctx.p.get(name) else None),
        cli=_flag(flag, name),
        how=how,
    )


def _ports_read(ctx: Context) -> dict[str, t.Any]:
    return {
        "published": normalize_port_bindings(ctx.hc.get("PortBindings")),
        "exposed": sorted(ctx.cc.get("ExposedPorts") or {}),
    }


def _task_exposed(ctx: Context) -> list[str]:
    """The ports the task exposes: every published one and every exposed_ports entry, in order."""
    keys = [b.key for b in ctx.q["ports"]]
    return keys + [k for k in ctx.q["exposed_ports"] if k not in keys]


def _ports_want(ctx: Context) -> dict[str, t.Any]:
    exposed = set(ctx.ic.get("ExposedPorts") or {}) | set(_task_exposed(ctx))
    return {"published": normalize_port_bindings(port_bindings(ctx.q["ports"])), "exposed": sorted(exposed)}


def _ports_body(ctx: Context, body: dict[str, t.Any]) -> None:
    exposed = _task_exposed(ctx)
    if exposed:
        body["ExposedPorts"] = {key: {} for key in exposed}
    if ctx.q["ports"]:
        body.setdefault("HostConfig", {})["PortBindings"] = port_bindings(ctx.q["ports"])


def _volumes_read(ctx: Context) -> dict[str, t.Any]:
    return {
        "binds": sorted(normalize_bind(b) for b in ctx.hc.get("Binds") or []),
        "anonymous": sorted(ctx.cc.get("Volumes") or {}),
    }


def _volumes_want(ctx: Context) -> dict[str, t.Any]:
    specs = ctx.q["volumes"]
    anonymous = set(ctx.ic.get("Volumes") or {}) | {v.target for v in specs if v.kind == "anonymous"}
    return {
        "binds": sorted(normalize_bind(v.bind()) for v in specs if v.kind != "anonymous"),
        "anonymous": sorted(anonymous),
    }


def _volumes_body(ctx: Context, body: dict[str, t.Any]) -> None:
    specs = ctx.q["volumes"]
    binds = [v.bind() for v in specs if v.kind != "anonymous"]
    anonymous = {v.target: {} for v in specs if v.kind == "anonymous"}
    if binds:
        body.setdefault("HostConfig", {})["Binds"] = binds
    if anonymous:
        body["Volumes"] = anonymous


def _env_want(ctx: Context) -> dict[str, str]:
    env = env_to_map(ctx.ic.get("Env"))
    env.update(ctx.desired.task_env())
    return env


def _env_cli(ctx: Context) -> list[str]:
    out: list[str] = []
    if ctx.p.get("env_file"):
        out += ["--env-file", ctx.p["env_file"]]
    for key, val in ctx.q["env"].items():
        out += ["-e", f"{key}={val}"]
    for key in ctx.desired.secret_keys:
        out += ["-e", key]  # `-e NAME` takes the value from the caller's environment: never printed
    return out


def _labels_want(ctx: Context) -> dict[str, str]:
    labels = dict(ctx.ic.get("Labels") or {})
    labels.update(ctx.desired.task_labels())
    return labels


def _restart_cli(ctx: Context) -> list[str]:
    rp = ctx.q["restart_policy"]
    if rp["Name"] == "no":
        return []
    return ["--restart", restart_policy_to_cli(rp)]


def _log_body(ctx: Context, body: dict[str, t.Any]) -> None:
    if ctx.p.get("log_driver") or ctx.q["log_options"]:
        body.setdefault("HostConfig", {})["LogConfig"] = {"Type": ctx.p.get("log_driver") or "", "Config": ctx.q["log_options"]}


def _network_body(ctx: Context, body: dict[str, t.Any]) -> None:
    mode = ctx.q["network_mode"]
    body.setdefault("HostConfig", {})["NetworkMode"] = mode
    for net in ctx.q["networks"]:
        if net["name"] == mode:
            body["NetworkingConfig"] = {"EndpointsConfig": {mode: endpoint_config(net)}}


def _network_cli(ctx: Context) -> list[str]:
    mode = ctx.q["network_mode"]
    out = [] if mode == "bridge" and not ctx.p.get("network_mode") else ["--network", mode]
    for net in ctx.q["networks"]:
        if net["name"] == mode:
            for alias in net["aliases"]:
                out += ["--network-alias", alias]
            if net["ipv4_address"]:
                out += ["--ip", net["ipv4_address"]]
    return out


def _user_or_image(key: str, image_key: str, norm: t.Callable[[t.Any], t.Any] = lambda v: v or "") -> tuple[t.Callable, t.Callable]:
    return (
        lambda ctx: norm(ctx.cc.get(image_key)),
        lambda ctx: norm(ctx.p.get(key) if ctx.p.get(key) not in (None, "") else ctx.ic.get(image_key)),
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
           body=_set(None, "Image", lambda ctx: ctx.p.get("image"))),
    Option("command", {"type": "raw"},
           read=lambda ctx: ctx.cc.get("Cmd") or None,
           want=lambda ctx: ctx.q["command"] if ctx.q["command"] is not None
           else (None if ctx.q["entrypoint"] else (ctx.ic.get("Cmd") or None)),
           body=_set(None, "Cmd", lambda ctx: ctx.q["command"])),
    Option("entrypoint", {"type": "raw"},
           read=lambda ctx: ctx.cc.get("Entrypoint") or None,
           want=lambda ctx: ctx.q["entrypoint"] or (ctx.ic.get("Entrypoint") or None),
           body=_set(None, "Entrypoint", lambda ctx: ctx.q["entrypoint"]),
           cli=lambda ctx: ["--entrypoint", shlex.join(ctx.q["entrypoint"])] if ctx.q["entrypoint"] else []),
    Option("env", {"type": "dict"},
           read=lambda ctx: env_to_map(ctx.cc.get("Env")),
           want=_env_want,
           body=_set(None, "Env", lambda ctx: [f"{k}={v}" for k, v in ctx.desired.task_env().items()] or None),
           cli=_env_cli),
    Option("secret_env", {"type": "dict", "no_log": True}),
    Option("env_file", {"type": "path"}),
    Option("ports", {"type": "list", "elements": "raw"},
           read=_ports_read, want=_ports_want, body=_ports_body,
           cli=_many("-p", lambda ctx: [b.cli() for b in ctx.q["ports"]])),
    # Compared (and sent) with ports: both end up in the container's ExposedPorts.
    Option("exposed_ports", {"type": "list", "elements": "str", "aliases": ["expose"]},
           cli=_many("--expose", lambda ctx: ctx.q["exposed_ports"])),
    _bool_option("publish_all", "HostConfig", "PublishAllPorts", "--publish-all"),
    Option("volumes", {"type": "list", "elements": "str"},
           read=_volumes_read, want=_volumes_want, body=_volumes_body,
           cli=_many("-v", lambda ctx: [v.bind() if v.kind != "anonymous" else v.target for v in ctx.q["volumes"]])),
    Option("mounts", {"type": "list", "elements": "dict", "options": MOUNT_SUBOPTIONS},
           read=lambda ctx: sorted((normalize_mount(m) for m in ctx.hc.get("Mounts") or []), key=lambda m: m["Target"]),
           want=lambda ctx: sorted((normalize_mount(m) for m in ctx.q["mounts"]), key=lambda m: m["Target"]),
           body=_set("HostConfig", "Mounts", lambda ctx: ctx.q["mounts"] or None),
           cli=_many("--mount", lambda ctx: [mount_to_cli(m) for m in ctx.q["mounts"]])),
    Option("tmpfs", {"type": "list", "elements": "str"},
           read=lambda ctx: dict(ctx.hc.get("Tmpfs") or {}),
           want=lambda ctx: ctx.q["tmpfs"],
           body=_set("HostConfig", "Tmpfs", lambda ctx: ctx.q["tmpfs"] or None),
           cli=_many("--tmpfs", lambda ctx: tmpfs_to_cli(ctx.q["tmpfs"]))),
    Option("network_mode", {"type": "str"},
           read=_network_mode_read,
           want=lambda ctx: ctx.q["network_mode"],
           body=_network_body, cli=_network_cli, equal=_network_mode_equal),
    Option("networks", {"type": "list", "elements": "dict", "options": NETWORK_SUBOPTIONS},
           read=_networks_read, want=_networks_want, how=NETWORK),
    Option("networks_exclusive", {"type": "bool", "default": True}),
    Option("keep_volumes", {"type": "bool", "default": True}),
    Option("links", {"type": "list", "elements": "str"},
           read=lambda ctx: sorted(normalize_link(x) for x in ctx.hc.get("Links") or []),
           want=lambda ctx: ctx.q["links"],
           body=_set("HostConfig", "Links", lambda ctx: ctx.q["links"] or None),
           cli=_many("--link", lambda ctx: ctx.q["links"])),
    Option("restart_policy", {"type": "str"},
           read=lambda ctx: {"Name": (ctx.hc.get("RestartPolicy") or {}).get("Name") or "no",
                             "MaximumRetryCount": (ctx.hc.get("RestartPolicy") or {}).get("MaximumRetryCount") or 0},
           want=lambda ctx: ctx.q["restart_policy"],
           body=_set("HostConfig", "RestartPolicy", lambda ctx: ctx.q["restart_policy"]),
           cli=_restart_cli, how=UPDATE),
    Option("restart_retries", {"type": "int"}),
    Option("labels", {"type": "dict"},
           read=lambda ctx: dict(ctx.cc.get("Labels") or {}),
           want=_labels_want,
           body=_set(None, "Labels", lambda ctx: ctx.desired.task_labels() or None),
           cli=_many("--label", lambda ctx: [f"{k}={v}" for k, v in redact_labels(ctx.desired.task_labels()).items()])),
    Option("healthcheck", {"type": "dict", "options": HEALTHCHECK_SUBOPTIONS},
           read=lambda ctx: normalize_healthcheck(ctx.cc.get("Healthcheck")),
           want=lambda ctx: merge_healthcheck(ctx.q["healthcheck"], ctx.ic.get("Healthcheck")),
           body=_set(None, "Healthcheck", lambda ctx: ctx.q["healthcheck"]),
           cli=lambda ctx: healthcheck_to_cli(ctx.q["healthcheck"])),
    Option("user", {"type": "str"}, read=_user_read, want=_user_want,
           body=_set(None, "User", lambda ctx: ctx.p.get("user")), cli=_opt("--user", "user")),
    Option("working_dir", {"type": "str"}, read=_wd_read, want=_wd_want,
           body=_set(None, "WorkingDir", lambda ctx: ctx.p.get("working_dir")), cli=_opt("--workdir", "working_dir")),
    Option("hostname", {"type": "str"},
           read=lambda ctx: ctx.cc.get("Hostname") or "",
           want=lambda ctx: ctx.p.get("hostname") or None,
           body=_set(None, "Hostname", lambda ctx: ctx.p.get("hostname")),
           cli=_opt("--hostname", "hostname"), equal=_hostname_equal),
    Option("memory", {"type": "str"},
           read=lambda ctx: ctx.hc.get("Memory") or 0,
           want=lambda ctx: ctx.q["memory"],
           body=_set("HostConfig", "Memory", lambda ctx: ctx.q["memory"] or None),
           cli=_opt("--memory", "memory"), how=_resources_update),
    Option("cpus", {"type": "float"},
           read=lambda ctx: ctx.hc.get("NanoCpus") or 0,
           want=lambda ctx: ctx.q["cpus"],
           body=_set("HostConfig", "NanoCpus", lambda ctx: ctx.q["cpus"] or None),
           cli=_opt("--cpus", "cpus"), how=_resources_update),
    Option("log_driver", {"type": "str"},
           read=lambda ctx: (ctx.hc.get("LogConfig") or {}).get("Type") or "",
           want=lambda ctx: ctx.p.get("log_driver") or None,
           body=_log_body, cli=_opt("--log-driver", "log_driver"), equal=_log_driver_equal),
    Option("log_options", {"type": "dict"},
           read=lambda ctx: dict((ctx.hc.get("LogConfig") or {}).get("Config") or {}),
           want=lambda ctx: ctx.q["log_options"],
           cli=_many("--log-opt", lambda ctx: [f"{k}={v}" for k, v in ctx.q["log_options"].items()])),
    _bool_option("auto_remove", "HostConfig", "AutoRemove", "--rm"),
    Option("detach", {"type": "bool", "default": True}),
    _bool_option("interactive", None, "OpenStdin", "--interactive"),
    _bool_option("tty", None, "Tty", "--tty"),
    _bool_option("init", "HostConfig", "Init", "--init"),
    _bool_option("privileged", "HostConfig", "Privileged", "--privileged"),
    Option("cap_add", {"type": "list", "elements": "str"},
           read=lambda ctx: capabilities(ctx.hc.get("CapAdd")),
           want=lambda ctx: ctx.q["cap_add"],
           body=_set("HostConfig", "CapAdd", lambda ctx: ctx.q["cap_add"] or None),
           cli=_many("--cap-add", lambda ctx: ctx.q["cap_add"])),
    Option("cap_drop", {"type": "list", "elements": "str"},
           read=lambda ctx: capabilities(ctx.hc.get("CapDrop")),
           want=lambda ctx: ctx.q["cap_drop"],
           body=_set("HostConfig", "CapDrop", lambda ctx: ctx.q["cap_drop"] or None),
           cli=_many("--cap-drop", lambda ctx: ctx.q["cap_drop"])),
    _bool_option("read_only", "HostConfig", "ReadonlyRootfs", "--read-only"),
    Option("stop_signal", {"type": "str"}, read=_sig_read, want=_sig_want,
           body=_set(None, "StopSignal", lambda ctx: signal_name(ctx.p.get("stop_signal")) or None),
           cli=_opt("--stop-signal", "stop_signal")),
    Option("stop_timeout", {"type": "int"},
           read=lambda ctx: ctx.cc.get("StopTimeout"),
           want=lambda ctx: ctx.p.get("stop_timeout"),
           body=_set(None, "StopTimeout", lambda ctx: ctx.p.get("stop_timeout")),
           cli=_opt("--stop-timeout", "stop_timeout")),
    # extras a serious user expects
    Option("extra_hosts", {"type": "raw"},
           read=lambda ctx: sorted(ctx.hc.get("ExtraHosts") or []),
           want=lambda ctx: ctx.q["extra_hosts"],
           body=_set("HostConfig", "ExtraHosts", lambda ctx: ctx.q["extra_hosts"] or None),
           cli=_many("--add-host", lambda ctx: ctx.q["extra_hosts"])),
    Option("dns", {"type": "list", "elements": "str"},
           read=lambda ctx: list(ctx.hc.get("Dns") or []),
           want=lambda ctx: list(ctx.p.get("dns") or []),
           body=_set("HostConfig", "Dns", lambda ctx: ctx.p.get("dns") or None),
           cli=_many("--dns", lambda ctx: ctx.p.get("dns") or [])),
    Option("dns_search", {"type": "list", "elements": "str"},
           read=lambda ctx: list(ctx.hc.get("DnsSearch") or []),
           want=lambda ctx: list(ctx.p.get("dns_search") or []),
           body=_set("HostConfig", "DnsSearch", lambda ctx: ctx.p.get("dns_search") or None),
           cli=_many("--dns-search", lambda ctx: ctx.p.get("dns_search") or [])),
    Option("shm_size", {"type": "str"},
           read=lambda ctx: ctx.hc.get("ShmSize") or DEFAULT_SHM_SIZE,
           want=lambda ctx: ctx.q["shm_size"] or DEFAULT_SHM_SIZE,
           body=_set("HostConfig", "ShmSize", lambda ctx: ctx.q["shm_size"]),
           cli=_opt("--shm-size", "shm_size")),
    Option("sysctls", {"type": "dict"},
           read=lambda ctx: dict(ctx.hc.get("Sysctls") or {}),
           want=lambda ctx: ctx.q["sysctls"],
           body=_set("HostConfig", "Sysctls", lambda ctx: ctx.q["sysctls"] or None),
           cli=_many("--sysctl", lambda ctx: [f"{k}={v}" for k, v in ctx.q["sysctls"].items()])),
    Option("ulimits", {"type": "list", "elements": "str"},
           read=lambda ctx: sorted(({"Name": u.get("Name"), "Soft": u.get("Soft"), "Hard": u.get("Hard")}
                                    for u in ctx.hc.get("Ulimits") or []), key=lambda u: u["Name"]),
           want=lambda ctx: ctx.q["ulimits"],
           body=_set("HostConfig", "Ulimits", lambda ctx: ctx.q["ulimits"] or None),
           cli=_many("--ulimit", lambda ctx: [ulimit_to_cli(u) for u in ctx.q["ulimits"]])),
    Option("devices", {"type": "list", "elements": "str"},
           read=lambda ctx: list(ctx.hc.get("Devices") or []),
           want=lambda ctx: ctx.q["devices"],
           body=_set("HostConfig", "Devices", lambda ctx: ctx.q["devices"] or None),
           cli=_many("--device", lambda ctx: [device_to_cli(d) for d in ctx.q["devices"]])),
    Option("pid_mode", {"type": "str"},
           read=lambda ctx: ctx.hc.get("PidMode") or "",
           want=lambda ctx: ctx.p.get("pid_mode") or "",
           body=_set("HostConfig", "PidMode", lambda ctx: ctx.p.get("pid_mode")),
           cli=_opt("--pid", "pid_mode")),
    Option("ipc_mode", {"type": "str"},
           read=lambda ctx: ctx.hc.get("IpcMode") or "",
           want=lambda ctx: ctx.p.get("ipc_mode") or None,
           body=_set("HostConfig", "IpcMode", lambda ctx: ctx.p.get("ipc_mode")),
           cli=_opt("--ipc", "ipc_mode"),
           # the engine's default (private or shareable) depends on its configuration
           equal=lambda ctx, cur, want: cur == want if want else cur in ("", "private", "shareable")),
)

BEHAVIOUR_SPEC: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "started", "choices": list(STATES)},
    "pull": {"type": "str", "default": "missing", "choices": ["missing", "always", "never"]},
    "wait_timeout": {"type": "int", "default": 60},
    "restart": {"type": "bool", "default": False},
    "recreate": {"type": "bool", "default": False},
}

OPTION_BY_NAME = {o.name: o for o in OPTIONS}


def container_argument_spec() -> dict[str, t.Any]:
    """The container module's argument spec (without the connection options)."""
    spec = {k: dict(v) for k, v in BEHAVIOUR_SPEC.items()}
    for option in OPTIONS:
        spec[option.name] = dict(option.spec)
    return spec


def container_defaults() -> dict[str, t.Any]:
    """{option: default} for every option of container_argument_spec() (None where there is none)."""
    return {name: spec.get("default") for name, spec in container_argument_spec().items()}


# ============================================================ the comparison
@dataclass(frozen=True)
class Difference:
    option: str
    before: t.Any
    after: t.Any
    how: str


def plan(
    params: dict[str, t.Any] | Desired,
    container: dict[str, t.Any],
    image: dict[str, t.Any] | None,
    lookup: t.Callable[[str, str], t.Any] | None = None,
) -> list[Difference]:
    """Every difference between an existing container and the task (merged over the image)."""
    desired = params if isinstance(params, Desired) else Desired(params)
    ctx = Context(desired, image, container, lookup)
    diffs = []
    for option in OPTIONS:
        if option.read is None or option.want is None:
            continue
        if option.name == "image" and image is None:
            diffs.append(Difference("image", container.get("Image"), None, RECREATE))
            continue
        current, wanted = option.read(ctx), option.want(ctx)
        same = option.equal(ctx, current, wanted) if option.equal else current == wanted
        if not same:
            how = option.how(current, wanted) if callable(option.how) else option.how
            diffs.append(Difference(option.name, current, wanted, how))
    return diffs


def container_secret_keys(container: dict[str, t.Any] | None) -> list[str]:
    return secret_keys_of((((container or {}).get("Config") or {}).get("Labels")))


# ============================================================ the manager
class ContainerManager:
    """Converge one container to the task: create, recreate, update, connect, start/stop/pause, remove."""

    def __init__(
        self,
        api: DockerAPI,
        params: dict[str, t.Any],
        check_mode: bool,
        tracker: Tracker | None = None,
        warn: t.Callable[[str], None] | None = None,
        replace_other_image: bool = False,
    ) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.tracker = tracker or Tracker()
        self.warn = warn or (lambda msg: None)
        self.replace_other_image = replace_other_image
        self.name: str = params.get("name") or ""
        self.desired: Desired | None = None
        self._log_driver: str | None = None
        self.result_extra: dict[str, t.Any] = {}
        self.secret_values = [v for v in ((params.get("secret_env") or {}).values()) if v not in (None, "")]
        self.secret_values = [str(v) for v in self.secret_values]

    # -- helpers -----------------------------------------------------------
    def _lookup(self, what: str, arg: str) -> t.Any:
        if what == "log_driver":
            if self._log_driver is None:
                self._log_driver = (self.api.get("/info") or {}).get("LoggingDriver") or "json-file"
            return self._log_driver
        if what == "container_id":
            other = self.api.inspect_container(arg)
            return (other or {}).get("Id")
        return None

    def _secret_keys(self, container: dict[str, t.Any] | None) -> list[str]:
        return sorted(set(container_secret_keys(container)) | set((self.params.get("secret_env") or {}).keys()))

    def _redacted(self, container: dict[str, t.Any] | None) -> dict[str, t.Any]:
        return redact_container(container, self._secret_keys(container), self.secret_values) or {}

    def _show(self, diff: Difference, container: dict[str, t.Any] | None) -> tuple[t.Any, t.Any]:
        """Before/after of a difference as the diff shows it (secrets redacted)."""
        if diff.option == "env":
            keys = self._secret_keys(container)
            return redact_env(diff.before, keys), redact_env(diff.after, keys)
        if diff.option == "labels":
            return redact_labels(diff.before), redact_labels(diff.after)
        if diff.option == "image":
            cfg_image = ((container or {}).get("Config") or {}).get("Image")
            return f"{cfg_image} ({diff.before})", f"{self.params.get('image') or cfg_image} ({diff.after or 'not present yet'})"
        return diff.before, diff.after

    def _wait_timeout(self) -> int:
        return int(self.params.get("wait_timeout") or 60)

    def _stop_timeout_s(self, container: dict[str, t.Any] | None) -> int:
        if self.params.get("stop_timeout") is not None:
            return int(self.params["stop_timeout"])
        value = ((container or {}).get("Config") or {}).get("StopTimeout")
        return int(value) if value is not None else 10

    # -- image -------------------------------------------------------------
    def _image(self, container: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        """Inspect (and per pull, pull) the task's image; None only in check mode when it would be pulled."""
        name = self.params.get("image")
        if not name:
            if container is None:
                raise DockerError(
                    f"image: container {self.name!r} does not exist, so an image is needed to create it; set image."
                )
            return self.api.inspect_image(container["Image"])
        parse_image_name(name, "image") if not name.startswith("sha256:") else None
        pull = self.params.get("pull") or "missing"
        image = self.api.inspect_image(name)
        if image is None and pull == "never":
            raise DockerError(
                f"image: {name!r} is not present on the Docker host and pull is 'never'. Build it with "
                "devops.docker.image (or docker build / docker load), or set pull: missing to pull it."
            )
        if image is None or pull == "always":
            if self.check_mode:
                if image is None:
                    self.tracker.action("docker", "image", "pull", name)
                return image
            before = (image or {}).get("Id")
            self._pull(name)
            image = self.api.inspect_image(name)
            if image is None:
                raise DockerError(f"image: pulled {name!r} but the daemon does not know it afterwards; check the name and tag.")
            if image.get("Id") != before:
                self.tracker.action("docker", "image", "pull", name)
        return image

    def _pull(self, name: str) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._image_registry import auth_header  # pylint: disable=import-outside-toplevel

        ref = parse_image_name(name, "image")
        headers = auth_header(registry_host(ref))
        query = {"fromImage": ref.repository, "tag": ref.reference}
        try:
            for event in self.api.stream("POST", self.api.url("/images/create"), query, headers=headers,
                                         timeout=max(self.api.timeout, 300)):
                if event.get("error") or event.get("errorDetail"):
                    message = event.get("error") or (event.get("errorDetail") or {}).get("message")
                    raise DockerError(
                        f"image: pulling {name!r} failed: {message}. Check the name and registry, log in with "
                        "devops.docker.login, or build the image locally and set pull: never."
                    )
        except APIError as exc:
            raise DockerError(
                f"image: pulling {name!r} failed: {exc.explanation}. Check the name and registry, log in with "
                "devops.docker.login, or build the image locally and set pull: never."
            ) from None

    # -- run ---------------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        self.desired = Desired(self.params)  # every parse error is raised here, before any request
        try:
            return self._converge(retry=True)
        except DockerError as exc:
            # A failure after a side effect (create, start...) still reports what was done.
            if self.tracker.actions and not self.check_mode:
                exc.details.setdefault("changed", True)
                exc.details.setdefault("actions", list(self.tracker.actions))
            raise

    def _converge(self, retry: bool) -> dict[str, t.Any]:
        p = self.params
        state = p.get("state") or "started"
        container = self.api.inspect_container(self.name)

        if state == "absent":
            if container is not None:
                self.tracker.state("present", "absent")
                self._remove_actions(container)
                if not self.check_mode:
                    self._remove(container)
            return self.tracker.result(container={})

        if container is not None:
            self._check_same_repository(container)
        image = self._image(container)
        diffs: list[Difference] = []
        recreate = False
        if container is not None:
            diffs = plan(self.desired, container, image, self._lookup)
            recreate = bool(p.get("recreate")) or any(d.how == RECREATE for d in diffs)
            for diff in diffs:
                before, after = self._show(diff, container)
                self.tracker.add(diff.option, before, after)
            if p.get("recreate") and not diffs:
                self.tracker.add("recreate", False, True)
        status = ((container or {}).get("State") or {}).get("Status") if container else None
        was_running = status in ("running", "restarting", "paused")
        ctx = Context(self.desired, image, container, self._lookup)

        if container is None or recreate:
            self._validate_references()
            if container is None:
                self.tracker.state("absent", state)
            else:
                self._remove_actions(container)
            self.tracker.action(*self._create_cli(ctx))
            for net in self._extra_networks():
                self.tracker.action(*self._connect_cli(net))
            new_id = None
            if not self.check_mode:
                try:
                    new_id = self._create(ctx, container)
                except Conflict as exc:
                    if retry and "already in use" in exc.explanation:
                        # Someone created the name between our inspect and our create: converge with that one.
                        # The daemon reserves the name before the other create finishes, and inspect answers
                        # 404 until then: wait for it to appear.
                        for _attempt in range(100):
                            if self.api.inspect_container(self.name) is not None:
                                break
                            time.sleep(0.1)
                        self.tracker = Tracker()
                        return self._converge(retry=False)
                    raise
            return self._settle(new_id, fresh=True, was_running=was_running and container is not None)

        # in-place changes
        updates = [d for d in diffs if d.how == UPDATE]
        if updates:
            self._update(container, updates)
        if any(d.how == NETWORK for d in diffs):
            self._reconnect(ctx, container)
        return self._settle(container["Id"], fresh=False, was_running=was_running, container=container)

    def _check_same_repository(self, container: dict[str, t.Any]) -> None:
        wanted = self.params.get("image")
        current = (container.get("Config") or {}).get("Image") or ""
        if not wanted or self.params.get("recreate") or self.replace_other_image:
            return
        if wanted.startswith("sha256:") or current.startswith("sha256:") or not current:
            return
        try:
            same = parse_image_name(current, "image").repository == parse_image_name(wanted, "image").repository
        except SpecError:
            return
        if not same:
            raise DockerError(
                f"name: a container named {self.name!r} already exists and runs image {current!r}, not {wanted!r}. "
                "Choose another name, remove it first (state: absent), or set recreate: true to replace it."
            )

    def _validate_references(self) -> None:
        """Networks and linked containers must exist before anything is removed or created."""
        wanted = [n["name"] for n in self.desired.parsed["networks"]]
        mode = self.desired.parsed["network_mode"]
        if mode not in ("bridge", "host", "none") and not mode.startswith("container:") and mode not in wanted:
            wanted.append(mode)
        for name in wanted:
            if name in ("bridge", "host", "none"):
                continue
            if self.api.inspect_network(name) is None:
                option = "networks" if name in [n["name"] for n in self.desired.parsed["networks"]] else "network_mode"
                if self.check_mode:
                    # In a check-mode play an earlier task "creates" the network without creating it.
                    self.warn(
                        f"{option}: network {name!r} does not exist yet; the real run fails unless an earlier "
                        "task creates it."
                    )
                    continue
                raise DockerError(
                    f"{option}: network {name!r} does not exist. Create it first with devops.docker.network "
                    "(or docker network create), or fix the name."
                )
        if mode.startswith("container:") and self.api.inspect_container(mode[10:]) is None:
            raise DockerError(f"network_mode: container {mode[10:]!r} does not exist; start it first or fix the name.")
        for link in self.desired.parsed["links"]:
            target = link.split(":", 1)[0]
            if self.api.inspect_container(target) is None:
                raise DockerError(f"links: container {target!r} does not exist; create it first or fix the name.")

    def _extra_networks(self) -> list[dict[str, t.Any]]:
        mode = self.desired.parsed["network_mode"]
        return [n for n in self.desired.parsed["networks"] if n["name"] != mode]

    def _connect_cli(self, net: dict[str, t.Any]) -> list[str]:
        return ["docker", "network", "connect", *connect_flags(net), net["name"], self.name]

    def _create_cli(self, ctx: Context) -> list[str]:
        argv = ["docker", "container", "create", "--name", self.name]
        for option in OPTIONS:
            if option.cli:
                argv += option.cli(ctx)
        argv.append(self.params.get("image") or (ctx.cc.get("Image") if ctx.container else ""))
        argv += self.desired.parsed["command"] or []
        return argv

    def _create_body(self, ctx: Context) -> dict[str, t.Any]:
        body: dict[str, t.Any] = {"HostConfig": {}}
        for option in OPTIONS:
            if option.body:
                option.body(ctx, body)
        if not body.get("Image"):
            body["Image"] = ctx.cc.get("Image") or (ctx.image or {}).get("Id")
        if self.params.get("interactive"):
            body["AttachStdin"] = False
            body["StdinOnce"] = False
        return body

    def _create(self, ctx: Context, old: dict[str, t.Any] | None) -> str:
        body = self._create_body(ctx)
        parked = None
        if old is not None:
            # Keep the old container until the new one exists: a create the daemon rejects leaves it in place.
            parked = f"{self.name}-old-{old['Id'][:12]}"
            try:
                self.api.request("POST", self.api.url("/containers/{0}/rename", old["Id"]), {"name": parked}).read()
            except APIError:
                # After a daemon restart a running container can refuse a rename ("sandbox ... not
                # found"): replace it the plain way, remove first.
                parked = None
                self._remove(old)
        try:
            created = self.api.post(self.api.url("/containers/create"), {"name": self.name}, body)
        except DockerError as exc:
            if parked:
                self.api.request("POST", self.api.url("/containers/{0}/rename", old["Id"]), {"name": self.name}).read()
            if isinstance(exc, APIError) and not isinstance(exc, Conflict):
                raise DockerError(
                    f"Creating container {self.name!r} failed: {exc.explanation}. Check the options named there.",
                    status=exc.status,
                ) from None
            raise
        for warning in created.get("Warnings") or []:
            self.warn(warning)
        new_id = created["Id"]
        if parked:
            self._remove(old)
        try:
            for net in self._extra_networks():
                self.api.post(self.api.url("/networks/{0}/connect", net["name"]),
                              body={"Container": new_id, "EndpointConfig": endpoint_config(net)})
        except APIError as exc:
            raise DockerError(
                f"networks: connecting {self.name!r} failed: {exc.explanation}. Check the network options."
            ) from None
        return new_id

    def _remove_actions(self, container: dict[str, t.Any]) -> None:
        if ((container.get("State") or {}).get("Status")) in ("running", "restarting", "paused"):
            self.tracker.action("docker", "container", "stop", "--time", self._stop_timeout_s(container), self.name)
        self.tracker.action("docker", "container", "rm", *(["--volumes"] if self._drop_volumes() else []), self.name)

    def _drop_volumes(self) -> bool:
        """state absent with keep_volumes false: the anonymous volumes go with the container (docker rm -v)."""
        return (self.params.get("state") or "started") == "absent" and self.params.get("keep_volumes") is False

    def _remove(self, container: dict[str, t.Any]) -> None:
        """Stop gracefully (stop signal, then stop_timeout), then remove; named volumes stay, and anonymous
        ones too unless keep_volumes is false (state absent only: a recreate keeps them, like the CLI)."""
        cid = container["Id"]
        if ((container.get("State") or {}).get("Status")) in ("running", "restarting", "paused"):
            try:
                self.api.request("POST", self.api.url("/containers/{0}/stop", cid),
                                 {"t": self._stop_timeout_s(container)},
                                 timeout=self.api.timeout + self._stop_timeout_s(container)).read()
            except (NotFound, Conflict):
                pass
        try:
            self.api.request("DELETE", self.api.url("/containers/{0}", cid),
                             {"force": True, **({"v": True} if self._drop_volumes() else {})},
                             timeout=self.api.timeout + self._stop_timeout_s(container)).read()
        except NotFound:
            return
        except Conflict:
            # auto_remove already removing it: wait for that to finish
            try:
                self.api.request("POST", self.api.url("/containers/{0}/wait", cid), {"condition": "removed"},
                                 timeout=self.api.timeout).read()
            except NotFound:
                pass

    def _update(self, container: dict[str, t.Any], updates: list[Difference]) -> None:
        body: dict[str, t.Any] = {}
        argv = ["docker", "container", "update"]
        for diff in updates:
            if diff.option == "restart_policy":
                body["RestartPolicy"] = diff.after
                rp = diff.after
                argv += ["--restart", restart_policy_to_cli(rp)]
            elif diff.option == "memory":
                body["Memory"] = diff.after
                body["MemorySwap"] = 2 * diff.after  # what the engine sets at create when no swap is given
                argv += ["--memory", str(self.params.get("memory")), "--memory-swap", str(2 * diff.after)]
            elif diff.option == "cpus":
                body["NanoCpus"] = diff.after
                argv += ["--cpus", str(self.params.get("cpus"))]
        self.tracker.action(*argv, self.name)
        if not self.check_mode:
            try:
                self.api.post(self.api.url("/containers/{0}/update", container["Id"]), body=body)
            except APIError as exc:
                raise DockerError(f"Updating container {self.name!r} in place failed: {exc.explanation}.") from None

    def _reconnect(self, ctx: Context, container: dict[str, t.Any]) -> None:
        current = _networks_read(ctx) or {}
        wanted = _networks_want(ctx) or {}
        by_name = {n["name"]: n for n in self.desired.parsed["networks"]}
        missing = [n for n in wanted if n not in current and n not in ("bridge", "host", "none")]
        for name in missing:
            if self.api.inspect_network(name) is None:
                raise DockerError(
                    f"networks: network {name!r} does not exist. Create it first with devops.docker.network "
                    "(or docker network create), or fix the name."
                )
        for name in sorted(current):
            if name not in wanted or current[name] != wanted[name]:
                self.tracker.action("docker", "network", "disconnect", name, self.name)
                if not self.check_mode:
                    try:
                        self.api.post(self.api.url("/networks/{0}/disconnect", name),
                                      body={"Container": container["Id"], "Force": True})
                    except NotFound:
                        pass
        for name in sorted(wanted):
            if name not in current or current[name] != wanted[name]:
                net = by_name.get(name) or {"name": name, "aliases": [], "ipv4_address": "", "links": []}
                self.tracker.action(*self._connect_cli(net))
                if not self.check_mode:
                    try:
                        self.api.post(self.api.url("/networks/{0}/connect", name),
                                      body={"Container": container["Id"], "EndpointConfig": endpoint_config(net)})
                    except APIError as exc:
                        raise DockerError(f"networks: connecting {self.name!r} to {name!r} failed: {exc.explanation}.") from None

    # -- lifecycle -----------------------------------------------------------
    def _settle(
        self,
        cid: str | None,
        fresh: bool,
        was_running: bool,
        container: dict[str, t.Any] | None = None,
    ) -> dict[str, t.Any]:
        """Bring a (new or existing) container to the wanted state; return the module result."""
        p = self.params
        state = p.get("state") or "started"
        status = "created" if fresh else ((container or {}).get("State") or {}).get("Status")
        running = status in ("running", "restarting")
        paused = status == "paused"
        check = self.check_mode
        name = self.name

        def do(action: list[str], method: str, path: str, query: dict | None = None, timeout: float | None = None) -> None:
            self.tracker.action(*action)
            if not check and cid:
                self.api.request("POST", self.api.url(path, cid), query, timeout=timeout).read()

        if p.get("detach") is False:
            return self._run_to_completion(cid, fresh, container)

        if state == "present":
            if fresh and was_running:
                do(["docker", "container", "start", name], "POST", "/containers/{0}/start")
        elif state in ("started", "healthy"):
            if paused:
                do(["docker", "container", "unpause", name], "POST", "/containers/{0}/unpause")
            elif not running:
                do(["docker", "container", "start", name], "POST", "/containers/{0}/start")
            elif p.get("restart") and not fresh:
                do(["docker", "container", "restart", name], "POST", "/containers/{0}/restart",
                   self._stop_query(container), self.api.timeout + self._stop_timeout_s(container))
        elif state == "stopped":
            if running or paused:
                if not fresh:
                    self.tracker.state(status, "exited")
                do(["docker", "container", "stop", name], "POST", "/containers/{0}/stop",
                   self._stop_query(container), self.api.timeout + self._stop_timeout_s(container))
        elif state == "paused":
            if not fresh and not running and not paused:
                raise DockerError(
                    f"state: container {name!r} is {status}, and only a running container can be paused. "
                    "Start it first (state: started), then pause it."
                )
            if fresh:
                do(["docker", "container", "start", name], "POST", "/containers/{0}/start")
            if not paused:
                if not fresh:
                    self.tracker.state(status, "paused")
                do(["docker", "container", "pause", name], "POST", "/containers/{0}/pause")
        if not fresh and state in ("started", "healthy") and (paused or not running):
            self.tracker.state(status, "running")

        final = None
        if cid and not check and (fresh or self.tracker.changed):
            final = self.api.inspect_container(cid)
        elif not fresh:
            final = container  # nothing done: the inspect we have is current (a no-op run makes two requests)
        if state == "healthy" and not check:
            final = self._wait_healthy(cid, final)
        elif state == "healthy" and check and container is not None and not fresh:
            health = ((container.get("State") or {}).get("Health") or {}).get("Status")
            if health != "healthy":
                self.tracker.state(health or "no healthcheck", "healthy")
        return self.tracker.result(container=self._redacted(final), **self.result_extra)

    def _stop_query(self, container: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        if self.params.get("stop_timeout") is not None:
            return {"t": self.params["stop_timeout"]}
        return None

    def _wait_healthy(self, cid: str | None, container: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        deadline = time.monotonic() + self._wait_timeout()
        while True:
            state = (container or {}).get("State") or {}
            health = state.get("Health")
            if health is None:
                raise DockerError(
                    f"state: healthy needs a healthcheck, and container {self.name!r} has none. Set the healthcheck "
                    "option (or a HEALTHCHECK in the image), or use state: started."
                )
            if health.get("Status") == "healthy":
                return container
            if state.get("Status") not in ("running", "restarting") or time.monotonic() >= deadline:
                log = health.get("Log") or []
                last = log[-1] if log else {}
                output = redact(str(last.get("Output") or "").strip(), self.secret_values)
                why = (f"is {state.get('Status')}" if state.get("Status") not in ("running", "restarting")
                       else f"is {health.get('Status')} after wait_timeout={self._wait_timeout()}s")
                raise DockerError(
                    f"state: container {self.name!r} {why}; last healthcheck exit code {last.get('ExitCode')}, "
                    f"output: {output!r}. Check the healthcheck command and the container's logs, or raise wait_timeout.",
                    container=self._redacted(container),
                    actions=list(self.tracker.actions),
                )
            time.sleep(0.5)
            container = self.api.inspect_container(cid or self.name)

    def _run_to_completion(self, cid: str | None, fresh: bool, container: dict[str, t.Any] | None) -> dict[str, t.Any]:
        """detach: false, like docker run without -d: start, wait for the exit, return rc and output."""
        state = (container or {}).get("State") or {}
        never_started = fresh or (state.get("StartedAt") in (None, "", ZERO_TIME) and state.get("Status") == "created")
        if not never_started:
            # It already ran (or still runs) with this configuration: report what it did, change nothing.
            final = container
            if state.get("Status") in ("exited", "dead") and container:
                rc = state.get("ExitCode")
                output = self._logs(container)
                self.result_extra.update(rc=rc, output=output)
                if rc:
                    raise DockerError(
                        f"Container {self.name!r} exited with rc {rc}; output: {output[-2000:]!r}",
                        rc=rc, output=output, container=self._redacted(final), actions=list(self.tracker.actions),
                    )
            return self.tracker.result(container=self._redacted(final), **self.result_extra)
        self.tracker.action("docker", "container", "start", "--attach", self.name)
        if self.check_mode or not cid:
            return self.tracker.result(container=self._redacted(container), **self.result_extra)
        timeout = self._wait_timeout()
        waiter = self.api.request("POST", self.api.url("/containers/{0}/wait", cid), {"condition": "next-exit"}, timeout=timeout)
        attach = self.api.request("POST", self.api.url("/containers/{0}/attach", cid),
                                  {"stream": 1, "stdout": 1, "stderr": 1, "logs": 1}, timeout=timeout)
        inspected = self.api.inspect_container(cid)
        tty = bool(((inspected or {}).get("Config") or {}).get("Tty"))
        self.api.request("POST", self.api.url("/containers/{0}/start", cid)).read()
        try:
            raw = attach.read()
            rc = (waiter.json() or {}).get("StatusCode")
        except DockerError:
            raise
        except OSError as exc:  # socket timeout
            raise DockerError(
                f"Container {self.name!r} did not exit within wait_timeout={timeout}s ({exc}); it is still running. "
                "Raise wait_timeout, or run it detached (detach: true).",
                actions=list(self.tracker.actions),
            ) from None
        output = redact(output_text(raw, tty), self.secret_values)
        final = self.api.inspect_container(cid) or inspected
        self.result_extra.update(rc=rc, output=output)
        if rc:
            raise DockerError(
                f"Container {self.name!r} exited with rc {rc}; output: {output[-2000:]!r}",
                rc=rc, output=output, container=self._redacted(final), actions=list(self.tracker.actions),
                changed=True,
            )
        return self.tracker.result(container=self._redacted(final), **self.result_extra)

    def _logs(self, container: dict[str, t.Any]) -> str:
        resp = self.api.request("GET", self.api.url("/containers/{0}/logs", container["Id"]), {"stdout": 1, "stderr": 1})
        return redact(output_text(resp.read(), bool((container.get("Config") or {}).get("Tty"))), self.secret_values)
