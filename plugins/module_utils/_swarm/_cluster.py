# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Swarm mode: the managers behind ``swarm``, ``swarm_info`` and ``node``.

* ``SwarmManager``: init (``docker swarm init``), join, leave, and settings
  changed in place (``docker swarm update``) with the swarm's version.
* ``NodeManager``: availability, role and labels of one node
  (``docker node update``, ``promote``/``demote``).
* ``swarm_info``: swarm inspect, nodes, services and tasks.

Join tokens are secrets: they never appear in ``actions`` or ``diff`` (the
CLI equivalent shows ``--token ********``).  The ``swarm`` module returns
them in ``join_tokens`` so that a later task can join other nodes; put
``no_log: true`` on the task that registers them.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._engine import (
    PathOption,
    create_body,
    create_cli,
    flag,
    get_path,
    path_option,
    plan,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import REDACTED
from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map
from ansible_collections.devops.docker.plugins.module_utils._values._units import duration_to_ns

DEFAULT_LISTEN_ADDR = "0.0.0.0:2377"
SWARM_PORT = 2377


# ---------------------------------------------------------------- the swarm's option table
def _int(value: t.Any, option: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SpecError(f"{option}: {value!r} must be a non-negative integer.")
    return value


def _bool(value: t.Any, option: str) -> bool | None:
    return None if value is None else bool(value)


def _duration_flag(flag: str) -> t.Callable[[t.Any], list[str]]:
    return lambda ns: [flag, f"{ns / 1e9:g}s"]


# community.docker's node_cert_expiry is an int of nanoseconds; ours a duration (a bare number: seconds). A bare
# number of at least 10^9 is taken as nanoseconds: as seconds it would be over 31 years, and community.docker's
# shortest valid value (one hour) is 3.6 * 10^12 ns.
_NS_THRESHOLD = 10**9


def _cert_expiry(value: t.Any, option: str) -> int | None:
    text = str(value).strip() if value is not None else ""
    if text.isdigit() and int(text) >= _NS_THRESHOLD:
        return int(text)
    return duration_to_ns(value, option)


@dataclass(frozen=True)
class SwarmSetting:
    """One swarm setting: where it sits in the swarm Spec, how the task's value is parsed, how both sides
    are normalized for the comparison (a Spec leaves zero values out), and its `docker swarm update` flags
    (None: the CLI cannot set it)."""

    path: tuple[str, ...]
    parse: t.Callable[[t.Any, str], t.Any]
    norm: t.Callable[[t.Any], t.Any] = lambda v: v
    flags: t.Callable[[t.Any], list[str]] | None = None


SWARM_SETTINGS: dict[str, SwarmSetting] = {
    "snapshot_interval": SwarmSetting(("Raft", "SnapshotInterval"), _int, flags=lambda v: ["--snapshot-interval", str(v)]),
    "keep_old_snapshots": SwarmSetting(("Raft", "KeepOldSnapshots"), _int),
    "log_entries_for_slow_followers": SwarmSetting(("Raft", "LogEntriesForSlowFollowers"), _int),
    "heartbeat_period": SwarmSetting(("Dispatcher", "HeartbeatPeriod"), duration_to_ns,
                                     flags=_duration_flag("--dispatcher-heartbeat")),
    "task_history_retention_limit": SwarmSetting(("Orchestration", "TaskHistoryRetentionLimit"), _int,
                                                 flags=lambda v: ["--task-history-limit", str(v)]),
    "node_cert_expiry": SwarmSetting(("CAConfig", "NodeCertExpiry"), _cert_expiry, flags=_duration_flag("--cert-expiry")),
    # A swarm that never had autolock has no AutoLockManagers at all: absent is false.
    "autolock": SwarmSetting(("EncryptionConfig", "AutoLockManagers"), _bool, norm=bool,
                             flags=lambda v: [f"--autolock={'true' if v else 'false'}"]),
    "labels": SwarmSetting(("Labels",), string_map, norm=lambda v: dict(v or {})),
    # community.docker's remaining settings (no `docker swarm update` flag).
    "election_tick": SwarmSetting(("Raft", "ElectionTick"), _int),
    "heartbeat_tick": SwarmSetting(("Raft", "HeartbeatTick"), _int),
    "ca_force_rotate": SwarmSetting(("CAConfig", "ForceRotate"), _int, norm=lambda v: v or 0),
    "name": SwarmSetting(("Name",), lambda v, _o: None if v is None else str(v)),
}


def parse_settings(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """The swarm settings the task gives (None = not managed), converted to API units."""
    return {key: setting.parse(params.get(key), key) for key, setting in SWARM_SETTINGS.items()}


def swarm_options(wanted: dict[str, t.Any]) -> list[PathOption]:
    """The swarm's option table for these wanted settings (the engine compares and applies it)."""
    return [
        path_option(key, setting.path, wanted.get(key), setting.norm,
                    setting.flags(wanted[key]) if setting.flags and wanted.get(key) is not None else ())
        for key, setting in SWARM_SETTINGS.items()
    ]


def settings_differences(spec: dict[str, t.Any], wanted: dict[str, t.Any]) -> list[tuple[str, t.Any, t.Any]]:
    """(option, current, wanted) for every given setting that differs from the swarm's Spec."""
    return [(d.option, SWARM_SETTINGS[d.option].norm(d.before), d.after) for d in plan(swarm_options(wanted), spec)]


def apply_settings(spec: dict[str, t.Any], wanted: dict[str, t.Any]) -> dict[str, t.Any]:
    """A copy of the Spec with the given settings applied (what POST /swarm/update takes)."""
    import copy  # pylint: disable=import-outside-toplevel

    return create_body(swarm_options(wanted), spec, copy.deepcopy(spec))


def settings_cli(wanted: dict[str, t.Any], diffs: list[tuple[str, t.Any, t.Any]]) -> list[str]:
    changed = {key for key, _before, _after in diffs}
    return ["docker", "swarm", "update"] + create_cli([o for o in swarm_options(wanted) if o.name in changed], None)


def init_spec(wanted: dict[str, t.Any]) -> dict[str, t.Any]:
    return create_body(swarm_options(wanted), None, {})


def normalize_addr(addr: str, default_port: int = SWARM_PORT) -> str:
    """'10.0.0.1' -> '10.0.0.1:2377'; 'host:1234' and '[::1]:2377' are kept."""
    text = str(addr).strip()
    if text.startswith("["):
        return text if "]:" in text else f"{text}:{default_port}"
    if text.count(":") == 1:
        return text
    if text.count(":") > 1:  # bare IPv6
        return f"[{text}]:{default_port}"
    return f"{text}:{default_port}"


def _pool_list(value: t.Any, option: str) -> list[str] | None:
    if value is None:
        return None
    import ipaddress  # pylint: disable=import-outside-toplevel

    if isinstance(value, str):
        value = [value]
    out = []
    for item in value:
        try:
            out.append(str(ipaddress.ip_network(str(item), strict=True)))
        except ValueError as exc:
            raise SpecError(f"{option}: {item!r} is not a network in CIDR form like 10.20.0.0/16 ({exc}).") from None
    return out


def swarm_summary(swarm: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """The swarm settings the module manages, in option names (for the diff)."""
    if swarm is None:
        return None
    spec = swarm.get("Spec") or {}
    out: dict[str, t.Any] = {}
    for key, setting in SWARM_SETTINGS.items():
        value = get_path(spec, setting.path)
        out[key] = setting.norm(value)
    out["default_addr_pool"] = swarm.get("DefaultAddrPool")
    out["subnet_size"] = swarm.get("SubnetSize")
    out["data_path_port"] = swarm.get("DataPathPort")
    return out


def public_swarm(swarm: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """The swarm inspect without the join tokens (those go to join_tokens only)."""
    if swarm is None:
        return None
    return {k: v for k, v in swarm.items() if k != "JoinTokens"}


# ---------------------------------------------------------------- the swarm module
class SwarmManager(Manager):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        self.state: str = p["state"]
        self.settings = parse_settings(p)
        self.advertise_addr: str | None = p.get("advertise_addr")
        self.listen_addr: str = p.get("listen_addr") or DEFAULT_LISTEN_ADDR
        self.data_path_addr: str | None = p.get("data_path_addr")
        self.data_path_port: int | None = p.get("data_path_port")
        if self.data_path_port is not None and not 1024 <= self.data_path_port <= 49151:
            raise SpecError(f"data_path_port: {self.data_path_port} must be between 1024 and 49151 (default 4789).")
        self.default_addr_pool = _pool_list(p.get("default_addr_pool"), "default_addr_pool")
        self.subnet_size: int | None = p.get("subnet_size")
        if self.subnet_size is not None and not 1 <= self.subnet_size <= 32:
            raise SpecError(f"subnet_size: {self.subnet_size} must be a prefix length between 1 and 32 (default 24).")
        self.remote_addrs = [normalize_addr(a) for a in (p.get("remote_addrs") or [])]
        self.join_token: str | None = p.get("join_token")
        self.force: bool = bool(p.get("force"))
        self.rotate_worker_token = bool(p.get("rotate_worker_token"))
        self.rotate_manager_token = bool(p.get("rotate_manager_token"))
        if self.state == "join":
            if not self.remote_addrs:
                raise SpecError("remote_addrs: state=join needs the address of at least one manager, like ['10.0.0.1:2377'].")
            if not self.join_token:
                raise SpecError(
                    "join_token: state=join needs a join token; take join_tokens.worker (or .manager) from "
                    "devops.docker.swarm on a manager."
                )
            if not self.join_token.startswith("SWMTKN-"):
                raise SpecError("join_token: not a swarm join token (they start with 'SWMTKN-'); copy it from join_tokens.")
        if self.state != "present":
            given = [k for k, v in self.settings.items() if v is not None]
            if given:
                raise SpecError(f"{', '.join(given)}: swarm settings only apply with state=present (on a manager).")
        self._local: dict[str, t.Any] = {}
        self._swarm: dict[str, t.Any] | None = None

    # -- helpers -----------------------------------------------------------
    def local(self) -> dict[str, t.Any]:
        info = self.api.get("/info") or {}
        return info.get("Swarm") or {}

    def inspect(self) -> dict[str, t.Any] | None:
        resp = self.api.request("GET", "/swarm", expect=(404, 503))
        if resp.status in (404, 503):
            resp.read()
            return None
        return resp.json()

    def run(self) -> dict[str, t.Any]:
        local = self.local()
        node_state = local.get("LocalNodeState") or "inactive"
        if node_state == "locked":
            raise DockerError(
                "This node's swarm is locked (autolock is on and the engine restarted): unlock it with "
                "`docker swarm unlock` and the unlock key, then run the task again. Nothing was changed."
            )
        if node_state in ("pending", "error") and self.state != "absent":
            raise DockerError(
                f"This node's swarm state is {node_state!r} (a join did not complete: {local.get('Error') or 'no error reported'}). "
                "Run the task with state=absent and force=true to reset it, then again. Nothing was changed."
            )
        if self.state == "absent":
            self.leave(local)
        elif self.state == "join":
            self.join(local)
        else:
            self.present(local)
        return self.result()

    def result(self) -> dict[str, t.Any]:
        local = self.local() if self.tracker.changed and not self.check_mode else self._local
        swarm = None
        tokens = None
        if local.get("LocalNodeState") == "active" and local.get("ControlAvailable"):
            swarm = self._swarm if self._swarm is not None and not self.tracker.changed else self.inspect()
            tokens = (swarm or {}).get("JoinTokens")
        extra: dict[str, t.Any] = {
            "swarm": public_swarm(swarm),
            "node_id": local.get("NodeID") or None,
            "local_node_state": local.get("LocalNodeState"),
            "is_manager": bool(local.get("ControlAvailable")),
            "join_tokens": {"worker": tokens.get("Worker"), "manager": tokens.get("Manager")} if tokens else None,
        }
        if swarm and ((swarm.get("Spec") or {}).get("EncryptionConfig") or {}).get("AutoLockManagers"):
            extra["unlock_key"] = (self.api.get("/swarm/unlockkey") or {}).get("UnlockKey")
        result = self.tracker.result(**extra)
        return result

    # -- present: init or update ------------------------------------------
    def present(self, local: dict[str, t.Any]) -> None:
        self._local = local
        node_state = local.get("LocalNodeState") or "inactive"
        if node_state == "active" and not local.get("ControlAvailable"):
            raise DockerError(
                "This engine is a worker of a swarm: state=present (init or update the swarm's settings) runs on a "
                "manager. Point docker_host at a manager, or use state=join here. Nothing was changed."
            )
        if node_state == "active":
            self._swarm = self.inspect() or {}
            self.update(self._swarm)
            return
        self._validate_init()
        after = {k: v for k, v in self.settings.items() if v is not None}
        after.update(
            {
                "advertise_addr": self.advertise_addr,
                "listen_addr": self.listen_addr,
                "default_addr_pool": self.default_addr_pool,
                "subnet_size": self.subnet_size,
                "data_path_port": self.data_path_port,
            }
        )
        self.tracker.add("swarm", None, {k: v for k, v in after.items() if v is not None})
        argv = ["docker", "swarm", "init", *self._address_flags()]
        if self.data_path_port:
            argv += ["--data-path-port", str(self.data_path_port)]
        for pool in self.default_addr_pool or []:
            argv += ["--default-addr-pool", pool]
        if self.subnet_size:
            argv += ["--default-addr-pool-mask-length", str(self.subnet_size)]
        diffs = [(k, None, v) for k, v in self.settings.items() if v is not None]
        argv += settings_cli(self.settings, diffs)[3:]
        self.tracker.action(*argv)
        if self.check_mode:
            return
        body: dict[str, t.Any] = {
            "ListenAddr": self.listen_addr,
            "AdvertiseAddr": self.advertise_addr or "",
            "DataPathAddr": self.data_path_addr or "",
            "ForceNewCluster": False,
            "Spec": init_spec(self.settings),
        }
        if self.data_path_port:
            body["DataPathPort"] = self.data_path_port
        if self.default_addr_pool:
            body["DefaultAddrPool"] = self.default_addr_pool
        if self.subnet_size:
            body["SubnetSize"] = self.subnet_size
        try:
            self.api.post("/swarm/init", body=body)
        except APIError as exc:
            hint = ""
            if "advertise" in exc.explanation.lower():
                hint = " Set advertise_addr to one of this host's addresses (the one the other nodes reach)."
            raise DockerError(f"docker swarm init failed: {exc.explanation}.{hint}") from exc

    def _validate_init(self) -> None:
        if self.remote_addrs or self.join_token:
            raise SpecError("remote_addrs, join_token: these are for state=join; state=present initialises a new swarm here.")

    def update(self, swarm: dict[str, t.Any]) -> None:
        for key, current, wanted in (
            ("default_addr_pool", swarm.get("DefaultAddrPool"), self.default_addr_pool),
            ("subnet_size", swarm.get("SubnetSize"), self.subnet_size),
            ("data_path_port", swarm.get("DataPathPort"), self.data_path_port),
        ):
            if wanted is not None and current is not None and current != wanted:
                raise DockerError(
                    f"{key}: the swarm has {current!r}, the task asks for {wanted!r}; it is fixed when the swarm is "
                    "created. Change the task to match, or leave the swarm on every node (state=absent, force=true) and "
                    "initialise it again. Nothing was changed."
                )
        spec = swarm.get("Spec") or {}
        diffs = settings_differences(spec, self.settings)
        for key, before, after in diffs:
            self.tracker.add(key, before, after)
        if diffs:
            self.tracker.action(*settings_cli(self.settings, diffs))
            if any(SWARM_SETTINGS[k].flags is None for k, _b, _a in diffs):
                self.tracker.actions[-1] += "  # plus settings the CLI cannot set: " + ", ".join(
                    k for k, _b, _a in diffs if SWARM_SETTINGS[k].flags is None
                )
        if self.rotate_worker_token:
            self.tracker.action("docker", "swarm", "join-token", "--rotate", "worker")
        if self.rotate_manager_token:
            self.tracker.action("docker", "swarm", "join-token", "--rotate", "manager")
        if not self.tracker.changed or self.check_mode:
            return
        version = (swarm.get("Version") or {}).get("Index")
        params = {
            "version": version,
            "rotateWorkerToken": self.rotate_worker_token,
            "rotateManagerToken": self.rotate_manager_token,
        }
        try:
            self.api.post("/swarm/update", params=params, body=apply_settings(spec, self.settings))
        except APIError as exc:
            raise DockerError(f"docker swarm update failed: {exc.explanation}") from exc

    def _address_flags(self) -> list[str]:
        """--advertise-addr, --listen-addr and --data-path-addr of docker swarm init / join."""
        argv = flag("--advertise-addr", self.advertise_addr)
        if self.listen_addr != DEFAULT_LISTEN_ADDR:
            argv += ["--listen-addr", self.listen_addr]
        return argv + flag("--data-path-addr", self.data_path_addr)

    # -- join ----------------------------------------------------------------
    def join(self, local: dict[str, t.Any]) -> None:
        self._local = local
        node_state = local.get("LocalNodeState") or "inactive"
        if node_state == "active":
            managers = sorted(normalize_addr(m.get("Addr", "")) for m in local.get("RemoteManagers") or [])
            if set(managers) & set(self.remote_addrs):
                return
            raise DockerError(
                f"This engine is already in a swarm whose managers are {', '.join(managers) or 'unknown'}, not one of "
                f"{', '.join(self.remote_addrs)}. Leave it first (state=absent, force=true), then join. Nothing was changed."
            )
        self.tracker.add("swarm", None, {"remote_addrs": self.remote_addrs, "join_token": REDACTED})
        argv = ["docker", "swarm", "join", "--token", REDACTED, *self._address_flags()]
        argv += self.remote_addrs[:1]
        self.tracker.action(*argv)
        if self.check_mode:
            return
        body = {
            "ListenAddr": self.listen_addr,
            "AdvertiseAddr": self.advertise_addr or "",
            "DataPathAddr": self.data_path_addr or "",
            "RemoteAddrs": self.remote_addrs,
            "JoinToken": self.join_token,
        }
        try:
            self.api.post("/swarm/join", body=body, timeout=max(self.api.timeout, 90))
        except APIError as exc:
            text = exc.explanation.replace(self.join_token or "\0", REDACTED)
            low = text.lower()
            hint = ""
            if "token" in low or "certificate" in low or "fingerprint" in low or "invalid join" in low:
                hint = (" The join token is wrong or was rotated: take the current one from join_tokens of "
                        "devops.docker.swarm (or swarm_info with join_tokens: true) on a manager.")
            elif "timeout" in low or "deadline" in low or "connection" in low:
                hint = f" Check that {', '.join(self.remote_addrs)} is reachable from this node (port 2377/tcp)."
            # a failed join can leave the node pending: reset it so nothing changed
            try:
                if (self.local().get("LocalNodeState") or "inactive") != "inactive":
                    self.api.post("/swarm/leave", params={"force": True})
            except DockerError:
                pass
            raise DockerError(f"docker swarm join failed: {text}.{hint} This node was left out of any swarm.") from exc

    # -- absent ----------------------------------------------------------------
    def leave(self, local: dict[str, t.Any]) -> None:
        self._local = local
        node_state = local.get("LocalNodeState") or "inactive"
        if node_state == "inactive":
            return
        if local.get("ControlAvailable") and not self.force:
            raise DockerError(
                "This engine is a swarm manager: leaving can break the swarm's quorum (and the last manager's leave "
                "destroys the swarm's state). Demote it first (devops.docker.node role=worker on another manager) or "
                "set force=true. Nothing was changed."
            )
        self.tracker.add("swarm", {"node_id": local.get("NodeID"), "state": node_state}, None)
        self.tracker.action("docker", "swarm", "leave", "--force" if self.force else None)
        if self.check_mode:
            return
        try:
            self.api.post("/swarm/leave", params={"force": self.force}, timeout=max(self.api.timeout, 90))
        except APIError as exc:
            raise DockerError(f"docker swarm leave failed: {exc.explanation} (set force=true to leave anyway).") from exc


# ---------------------------------------------------------------- node lookup
def require_manager(api: t.Any, what: str) -> dict[str, t.Any]:
    info = (api.get("/info") or {}).get("Swarm") or {}
    if info.get("LocalNodeState") != "active":
        raise DockerError(
            f"{what} needs swarm mode, and the engine at {api.base_url} is not in a swarm: initialise one with "
            "devops.docker.swarm (state=present) first. Nothing was changed."
        )
    if not info.get("ControlAvailable"):
        raise DockerError(
            f"{what} runs on a swarm manager, and the engine at {api.base_url} is a worker: point docker_host at a "
            "manager. Nothing was changed."
        )
    return info


def matching_nodes(nodes: list[dict[str, t.Any]], ref: str) -> list[dict[str, t.Any]]:
    """The listed nodes ``ref`` names: by hostname or name, else by ID prefix (``docker node inspect``'s lookup)."""
    matches = [n for n in nodes if ((n.get("Description") or {}).get("Hostname") == ref or (n.get("Spec") or {}).get("Name") == ref)]
    return matches or [n for n in nodes if str(n.get("ID", "")).startswith(ref)]


def find_node(api: t.Any, ref: str) -> dict[str, t.Any]:
    """A node by ID, ID prefix or hostname; a clear error when missing or ambiguous."""
    resp = api.request("GET", api.url("/nodes/{0}", ref), expect=(404,))
    if resp.status != 404:
        return resp.json()
    resp.read()
    nodes = api.get("/nodes") or []
    matches = matching_nodes(nodes, ref)
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f"{n.get('ID', '')[:12]} ({(n.get('Description') or {}).get('Hostname')})" for n in nodes)
    if not matches:
        raise DockerError(f"hostname: no node {ref!r} in this swarm; the nodes are: {known}. Nothing was changed.")
    raise DockerError(
        f"hostname: {len(matches)} nodes match {ref!r} (hostnames are not unique here); use the node ID instead. "
        f"The nodes are: {known}. Nothing was changed."
    )


def node_summary(node: dict[str, t.Any]) -> dict[str, t.Any]:
    spec = node.get("Spec") or {}
    return {
        "availability": spec.get("Availability"),
        "role": spec.get("Role"),
        "labels": dict(spec.get("Labels") or {}),
    }


def node_options(
    spec: dict[str, t.Any], availability: str | None, role: str | None, labels: dict[str, str] | None, labels_state: str,
    labels_to_remove: list[str] | None = None,
) -> list[PathOption]:
    """The node's option table: availability, role and labels (merged into or replacing the node's own, minus
    labels_to_remove), each with its `docker node update` flags."""
    current = dict(spec.get("Labels") or {})
    wanted = dict(current)
    if labels is not None:
        wanted = dict(labels) if labels_state == "replace" else {**current, **labels}
    for key in labels_to_remove or []:
        wanted.pop(key, None)
    label_flags: list[str] = []
    for name in sorted(set(current) - set(wanted)):
        label_flags += ["--label-rm", name]
    for name, value in sorted(wanted.items()):
        if current.get(name) != value:
            label_flags += ["--label-add", f"{name}={value}"]
    return [
        path_option("availability", ("Availability",), availability, cli=["--availability", availability] if availability else ()),
        path_option("role", ("Role",), role, cli=["--role", role] if role else ()),
        path_option("labels", ("Labels",), wanted, norm=lambda v: dict(v or {}), cli=label_flags),
    ]


def node_differences(
    spec: dict[str, t.Any], availability: str | None, role: str | None, labels: dict[str, str] | None, labels_state: str,
    labels_to_remove: list[str] | None = None,
) -> tuple[list[tuple[str, t.Any, t.Any]], dict[str, t.Any], list[str]]:
    """Differences, the new Spec for ``docker node update`` and its CLI flags (the engine runs the node's table)."""
    options = node_options(spec, availability, role, labels, labels_state, labels_to_remove)
    diffs = plan(options, spec)
    changed = [o for o in options if o.name in {d.option for d in diffs}]
    shown = [(d.option, dict(d.before or {}) if d.option == "labels" else d.before, d.after) for d in diffs]
    return shown, create_body(changed, spec, dict(spec)), create_cli(changed, spec)


class NodeManager(Manager):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        self.ref: str = (p["hostname"] or "").strip()
        if not self.ref:
            raise SpecError("hostname: the node's hostname or ID is required.")
        self.availability = p.get("availability")
        self.role = p.get("role")
        self.labels = string_map(p.get("labels"), "labels")
        self.labels_state = p.get("labels_state") or "merge"
        self.labels_to_remove = p.get("labels_to_remove") or []
        self.state = p.get("state") or "present"
        self.force = bool(p.get("force"))

    def run(self) -> dict[str, t.Any]:
        local = require_manager(self.api, "devops.docker.node")
        if self.state == "absent":
            return self.absent(local)
        node = find_node(self.api, self.ref)
        spec = node.get("Spec") or {}
        diffs, new, flags = node_differences(spec, self.availability, self.role, self.labels, self.labels_state,
                                             self.labels_to_remove)
        node_id = node.get("ID")
        if diffs:
            if self.role == "worker" and spec.get("Role") == "manager":
                managers = [
                    n for n in self.api.get("/nodes", {"filters": {"role": ["manager"]}}) or []
                    if (n.get("ManagerStatus") or {}).get("Reachability") == "reachable"
                ]
                if len(managers) <= 1:
                    raise DockerError(
                        f"role: node {self.ref} is the last reachable manager; demoting it would leave the swarm without "
                        "a manager. Promote another node first. Nothing was changed."
                    )
            for key, before, after in diffs:
                self.tracker.add(key, before, after)
            self.tracker.action("docker", "node", "update", *flags, node_id)
            if not self.check_mode:
                version = (node.get("Version") or {}).get("Index")
                try:
                    self.api.post(self.api.url("/nodes/{0}/update", node_id), params={"version": version}, body=new)
                except APIError as exc:
                    raise DockerError(f"docker node update {node_id} failed: {exc.explanation}") from exc
                node = self.api.get(self.api.url("/nodes/{0}", node_id))
        result = self.tracker.result(node=node, node_id=node_id)
        return result

    def absent(self, local: dict[str, t.Any]) -> dict[str, t.Any]:
        """Remove the node from the swarm's list (`docker node rm`): for nodes that left or are gone."""
        try:
            node: dict[str, t.Any] | None = find_node(self.api, self.ref)
        except DockerError as exc:
            if "no node" not in exc.msg:
                raise
            node = None
        if node is not None:
            node_id = node.get("ID")
            status = (node.get("Status") or {}).get("State")
            if node_id == local.get("NodeID"):
                raise DockerError(
                    f"hostname: {self.ref} is the manager this task talks to; it cannot remove itself. Make it leave with "
                    "devops.docker.swarm state=absent instead. Nothing was changed."
                )
            if status != "down" and not self.force:
                raise DockerError(
                    f"hostname: node {self.ref} is {status}, not down: make it leave first (devops.docker.swarm "
                    "state=absent on that node), or set force=true to remove it anyway. Nothing was changed."
                )
            if node.get("ManagerStatus") and not self.force:
                raise DockerError(
                    f"hostname: node {self.ref} is a manager; demote it first (role=worker) or set force=true. "
                    "Nothing was changed."
                )
            self.tracker.add("node", node_summary(node), None)
            self.tracker.action("docker", "node", "rm", "--force" if self.force else None, node_id)
            if not self.check_mode:
                try:
                    self.api.delete(self.api.url("/nodes/{0}", node_id), params={"force": self.force})
                except APIError as exc:
                    raise DockerError(f"docker node rm {node_id} failed: {exc.explanation}") from exc
        result = self.tracker.result(node=None if self.tracker.changed and not self.check_mode else node,
                                     node_id=(node or {}).get("ID"))
        return result


# ---------------------------------------------------------------- swarm_info
def swarm_info(module: t.Any) -> dict[str, t.Any]:
    api = module.api
    p = module.params
    local = (api.get("/info") or {}).get("Swarm") or {}
    active = local.get("LocalNodeState") == "active"
    manager = active and bool(local.get("ControlAvailable"))
    result: dict[str, t.Any] = {
        "changed": False,
        "swarm_active": active,
        "is_manager": manager,
        "local_node_state": local.get("LocalNodeState"),
        "node_id": local.get("NodeID") or None,
        "swarm": None,
    }
    wants = [k for k in ("nodes", "services", "tasks", "secrets", "configs") if p.get(k)]
    if (wants or p.get("join_tokens")) and not manager:
        raise DockerError(
            f"{', '.join(wants or ['join_tokens'])}: listing them needs a swarm manager, and the engine at {api.base_url} is "
            f"{'a worker' if active else 'not in a swarm'}. Point docker_host at a manager."
        )
    if manager:
        swarm = api.get("/swarm")
        result["swarm"] = public_swarm(swarm)
        if p.get("join_tokens"):
            tokens = swarm.get("JoinTokens") or {}
            result["join_tokens"] = {"worker": tokens.get("Worker"), "manager": tokens.get("Manager")}
    if p.get("nodes"):
        result["nodes"] = api.get("/nodes", {"filters": api_filters(p.get("nodes_filters"), "nodes_filters")}) or []
    if p.get("services"):
        result["services"] = api.get("/services", {"filters": api_filters(p.get("services_filters"), "services_filters")}) or []
    if p.get("tasks"):
        result["tasks"] = api.get("/tasks", {"filters": api_filters(p.get("tasks_filters"), "tasks_filters")}) or []
    if p.get("secrets") or p.get("configs"):
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import listing  # it imports this module
        for kind in ("secrets", "configs"):
            if p.get(kind):
                found = api.get(f"/{kind}", {"filters": api_filters(p.get(f"{kind}_filters"), f"{kind}_filters")}) or []
                result[kind] = sorted((listing(x) for x in found), key=lambda x: (x["Name"] or "", x["ID"] or ""))
    return result
