# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Networks: validation, comparison and the manager behind ``network`` and ``network_info``.

The pure functions at the top (``parse_ipam``, ``parse_connected``,
``network_differences``, ``endpoint_differences``...) know nothing about the
daemon and are unit-tested.  ``NetworkManager`` plans every change first
(validating all input and every container before the first side effect),
records it in a ``Tracker`` and only then, outside check mode, applies it.
"""

from __future__ import annotations

import ipaddress
import typing as t
from dataclasses import dataclass, field

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, Conflict, DockerError
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._engine import Option, Pair, flag, given, plan
from ansible_collections.devops.docker.plugins.module_utils._engine import create_body as engine_body
from ansible_collections.devops.docker.plugins.module_utils._engine import create_cli as engine_cli
from ansible_collections.devops.docker.plugins.module_utils._values._filters import api_filters
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._networks import PREDEFINED_NETWORKS, connect_flags, endpoint_config
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map

OVERLAY_NEEDS_SWARM = "overlay networks need swarm mode: run devops.docker.swarm (docker swarm init) first"
# Driver options the daemon adds by itself: never a difference when the task does not name them.
DAEMON_ADDED_OPTIONS = frozenset({"com.docker.network.driver.overlay.vxlanid_list"})

IPAM_KEYS = ("subnet", "gateway", "ip_range", "aux_addresses")
ENDPOINT_KEYS = ("name", "aliases", "ipv4_address", "ipv6_address", "links")

Network = t.Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Address = t.Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


# ---------------------------------------------------------------- pure helpers
def _network(value: t.Any, what: str) -> Network:
    try:
        return ipaddress.ip_network(str(value).strip(), strict=True)
    except ValueError as exc:
        raise SpecError(
            f"{what}: {value!r} is not a valid subnet ({exc}); write it in CIDR notation with the host bits "
            "zero, like '172.29.1.0/24' or 'fd00:dead:beef::/64'."
        ) from exc


def _address(value: t.Any, what: str) -> Address:
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError as exc:
        raise SpecError(f"{what}: {value!r} is not a valid IP address; write it like '172.29.1.1'.") from exc


def parse_ipam(entries: t.Any, option: str = "ipam") -> list[dict[str, t.Any]] | None:
    """Validate and normalise the ipam list.

    Returns a list of ``{subnet, gateway, ip_range, aux_addresses}`` with the
    addresses in canonical form (None for what was not given), or None when the
    option was not given (the daemon then picks a subnet and it is not compared).
    """
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise SpecError(f"{option}: expected a list of {{subnet, gateway, ip_range, aux_addresses}}, got {entries!r}.")
    out: list[dict[str, t.Any]] = []
    seen: list[Network] = []
    for index, entry in enumerate(entries):
        where = f"{option}[{index}]"
        if not isinstance(entry, dict):
            raise SpecError(f"{where}: expected a dictionary like {{subnet: 172.29.1.0/24}}, got {entry!r}.")
        unknown = sorted(set(entry) - set(IPAM_KEYS))
        if unknown:
            raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(IPAM_KEYS)}.")
        if not entry.get("subnet"):
            raise SpecError(f"{where}: subnet is required, like '172.29.1.0/24' (gateway and ip_range need a subnet).")
        subnet = _network(entry["subnet"], f"{where}.subnet")
        for other in seen:
            if subnet.version == other.version and subnet.overlaps(other):
                raise SpecError(f"{where}.subnet: {subnet} overlaps {other} given earlier in {option}; subnets must not overlap.")
        seen.append(subnet)
        item: dict[str, t.Any] = {"subnet": str(subnet), "gateway": None, "ip_range": None, "aux_addresses": None}
        if entry.get("gateway"):
            gateway = _address(entry["gateway"], f"{where}.gateway")
            if gateway.version != subnet.version or gateway not in subnet:
                raise SpecError(
                    f"{where}.gateway: {gateway} is outside the subnet {subnet}; pick an address inside it, "
                    f"like {next(subnet.hosts(), subnet.network_address)}."
                )
            item["gateway"] = str(gateway)
        if entry.get("ip_range"):
            ip_range = _network(entry["ip_range"], f"{where}.ip_range")
            if ip_range.version != subnet.version or not ip_range.subnet_of(subnet):  # type: ignore[arg-type]
                raise SpecError(
                    f"{where}.ip_range: {ip_range} is not inside the subnet {subnet}; ip_range is the part of the "
                    "subnet containers get their addresses from, so it must lie inside it."
                )
            item["ip_range"] = str(ip_range)
        aux = entry.get("aux_addresses")
        if aux is not None:
            if not isinstance(aux, dict):
                raise SpecError(f"{where}.aux_addresses: expected a dictionary of host names to addresses, got {aux!r}.")
            norm: dict[str, str] = {}
            for host, addr in aux.items():
                ip = _address(addr, f"{where}.aux_addresses.{host}")
                if ip.version != subnet.version or ip not in subnet:
                    raise SpecError(f"{where}.aux_addresses.{host}: {ip} is outside the subnet {subnet}.")
                norm[str(host)] = str(ip)
            item["aux_addresses"] = norm
        out.append(item)
    return out


def ipam_from_inspect(network: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The network's IPAM configs in the same normalised shape as ``parse_ipam``."""
    out = []
    for conf in (network.get("IPAM") or {}).get("Config") or []:
        subnet = conf.get("Subnet")
        if not subnet:
            continue
        try:
            subnet = str(ipaddress.ip_network(subnet, strict=False))
        except ValueError:
            pass
        item = {
            "subnet": subnet,
            "gateway": _canonical_address(conf.get("Gateway")),
            "ip_range": _canonical_network(conf.get("IPRange")),
            "aux_addresses": {k: _canonical_address(v) for k, v in (conf.get("AuxiliaryAddresses") or {}).items()} or None,
        }
        out.append(item)
    return out


def _canonical_address(value: t.Any) -> str | None:
    if not value:
        return None
    text = str(value).split("/", maxsplit=1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def _canonical_network(value: t.Any) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_network(str(value), strict=False))
    except ValueError:
        return str(value)


def compare_ipam(current: list[dict[str, t.Any]], desired: list[dict[str, t.Any]] | None) -> list[tuple[str, t.Any, t.Any]]:
    """Differences between the network's IPAM configs and the wanted ones.

    Only what the task gives is compared: a gateway the daemon picked by
    itself is no difference when the task names no gateway.  The set of
    subnets is compared as a whole (an extra or missing subnet is a difference).
    """
    if not desired:
        return []
    diffs: list[tuple[str, t.Any, t.Any]] = []
    have = {c["subnet"]: c for c in current}
    want_subnets = sorted(d["subnet"] for d in desired)
    if sorted(have) != want_subnets:
        diffs.append(("ipam.subnet", sorted(have), want_subnets))
        return diffs
    for want in desired:
        cur = have[want["subnet"]]
        for key in ("gateway", "ip_range", "aux_addresses"):
            if want[key] is not None and want[key] != cur.get(key):
                diffs.append((f"ipam[{want['subnet']}].{key}", cur.get(key), want[key]))
    return diffs


def _flag_if(flag: str, key: str) -> t.Callable[[Pair], list[str]]:
    return lambda ctx: [flag] if ctx.wanted.get(key) else []


def _mapping_flags(flag: str, key: str) -> t.Callable[[Pair], list[str]]:
    return lambda ctx: [x for k, v in sorted((ctx.wanted.get(key) or {}).items()) for x in (flag, f"{k}={v}")]


def _set_if(api_key: str, key: str, truthy: bool = False) -> t.Callable[[Pair, dict[str, t.Any]], None]:
    def fill(ctx: Pair, body: dict[str, t.Any]) -> None:
        value = ctx.wanted.get(key)
        if value or (not truthy and value is not None):
            body[api_key] = value
    return fill


def _ipam_body(ctx: Pair, body: dict[str, t.Any]) -> None:
    ipam = body.setdefault("IPAM", {})
    ipam["Driver"] = ctx.wanted.get("ipam_driver") or "default"
    if ctx.wanted.get("ipam_options"):
        ipam["Options"] = ctx.wanted["ipam_options"]
    configs = []
    for conf in ctx.wanted.get("ipam") or []:
        item = {"Subnet": conf["subnet"]}
        for key, api_key in (("gateway", "Gateway"), ("ip_range", "IPRange"), ("aux_addresses", "AuxiliaryAddresses")):
            if conf.get(key):
                item[api_key] = conf[key]
        configs.append(item)
    if configs:
        ipam["Config"] = configs


def _ipam_cli(ctx: Pair) -> list[str]:
    argv: list[str] = []
    for conf in ctx.wanted.get("ipam") or []:
        argv += ["--subnet", conf["subnet"]]
        if conf.get("gateway"):
            argv += ["--gateway", conf["gateway"]]
        if conf.get("ip_range"):
            argv += ["--ip-range", conf["ip_range"]]
        for host, addr in sorted((conf.get("aux_addresses") or {}).items()):
            argv += ["--aux-address", f"{host}={addr}"]
    return argv


def _options_read(ctx: Pair) -> dict[str, t.Any]:
    options = ctx.wanted.get("options") or {}
    return {k: v for k, v in (ctx.current.get("Options") or {}).items() if k in options or k not in DAEMON_ADDED_OPTIONS}


# The network's option table, in comparison order.  Nothing changes in place: a difference means a new
# network (recreate: options-changed) or an error that says so.  The IPAM pools are compared by
# compare_ipam (one difference per pool), and sent and shown by the ``ipam`` row.
NETWORK_OPTIONS: tuple[Option, ...] = (
    Option("driver", read=lambda ctx: ctx.current.get("Driver"), want=given("driver"),
           body=lambda ctx, body: body.update(Driver=ctx.wanted.get("driver") or "bridge"),
           cli=lambda ctx: ["--driver", ctx.wanted.get("driver") or "bridge"]),
    Option("scope", read=lambda ctx: ctx.current.get("Scope"), want=given("scope"),
           body=_set_if("Scope", "scope", truthy=True), cli=lambda ctx: flag("--scope", ctx.wanted.get("scope"))),
    Option("internal", read=lambda ctx: bool(ctx.current.get("Internal")), want=given("internal"),
           body=_set_if("Internal", "internal"), cli=_flag_if("--internal", "internal")),
    Option("attachable", read=lambda ctx: bool(ctx.current.get("Attachable")), want=given("attachable"),
           body=_set_if("Attachable", "attachable"), cli=_flag_if("--attachable", "attachable")),
    Option("enable_ipv6", read=lambda ctx: bool(ctx.current.get("EnableIPv6")), want=given("enable_ipv6"),
           body=_set_if("EnableIPv6", "enable_ipv6"), cli=_flag_if("--ipv6", "enable_ipv6")),
    Option("ipam_driver", read=lambda ctx: (ctx.current.get("IPAM") or {}).get("Driver") or "default",
           want=given("ipam_driver"), cli=lambda ctx: flag("--ipam-driver", ctx.wanted.get("ipam_driver"))),
    Option("ipam_options", read=lambda ctx: dict((ctx.current.get("IPAM") or {}).get("Options") or {}),
           want=given("ipam_options"), cli=_mapping_flags("--ipam-opt", "ipam_options")),
    Option("ipam", body=_ipam_body, cli=_ipam_cli),
    Option("options", read=_options_read, want=given("options"), body=_set_if("Options", "options", truthy=True),
           cli=_mapping_flags("--opt", "options")),
    Option("labels", read=lambda ctx: dict(ctx.current.get("Labels") or {}), want=given("labels"),
           body=_set_if("Labels", "labels", truthy=True), cli=_mapping_flags("--label", "labels")),
)
NETWORK_OPTION = {o.name: o for o in NETWORK_OPTIONS}
CLI_ORDER = ("driver", "ipam", "ipam_driver", "ipam_options", "internal", "attachable", "enable_ipv6", "scope",
             "options", "labels")


def network_differences(network: dict[str, t.Any], desired: dict[str, t.Any]) -> list[tuple[str, t.Any, t.Any]]:
    """Configuration differences that cannot be changed in place (they need a new network).

    ``desired`` holds the normalized options; None means 'not given, not compared'.
    """
    diffs = [(d.option, d.before, d.after) for d in plan(NETWORK_OPTIONS, Pair(network, desired))]
    at = next((i for i, d in enumerate(diffs) if d[0] in ("options", "labels")), len(diffs))
    diffs[at:at] = compare_ipam(ipam_from_inspect(network), desired.get("ipam"))
    return diffs


@dataclass
class Endpoint:
    """One entry of ``connected``: a container and, optionally, how it is attached."""

    name: str
    aliases: list[str] | None = None
    ipv4_address: str | None = None
    ipv6_address: str | None = None
    links: list[str] | None = None

    def endpoint_config(self) -> dict[str, t.Any]:
        return endpoint_config(vars(self))

    def cli_args(self) -> list[str]:
        return connect_flags(vars(self))

    def summary(self) -> dict[str, t.Any]:
        return {k: v for k, v in (("aliases", self.aliases), ("ipv4_address", self.ipv4_address),
                                  ("ipv6_address", self.ipv6_address), ("links", self.links)) if v}


def _str_list(value: t.Any, where: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
        raise SpecError(f"{where}: expected a list of non-empty strings, got {value!r}.")
    return [str(v).strip() for v in value]


def _normalise_link(link: str) -> str:
    name, _sep, alias = link.partition(":")
    return f"{name}:{alias or name}"


def parse_connected(entries: t.Any, option: str = "connected") -> list[Endpoint]:
    """Validate ``connected``: each item a container name or {name, aliases, ipv4_address, ipv6_address, links}."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise SpecError(f"{option}: expected a list of container names or {{name, aliases, ipv4_address}}, got {entries!r}.")
    out: list[Endpoint] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"{option}[{index}]"
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            raise SpecError(f"{where}: expected a container name or a dictionary with a name, got {entry!r}.")
        unknown = sorted(set(entry) - set(ENDPOINT_KEYS))
        if unknown:
            raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(ENDPOINT_KEYS)}.")
        name = str(entry.get("name") or "").strip()
        if not name:
            raise SpecError(f"{where}: the container name is missing; write name: <container>.")
        if name in seen:
            raise SpecError(f"{where}: container {name!r} is listed twice; merge its entries into one.")
        seen.add(name)
        ipv4 = entry.get("ipv4_address")
        if ipv4:
            addr = _address(ipv4, f"{where}.ipv4_address")
            if addr.version != 4:
                raise SpecError(f"{where}.ipv4_address: {ipv4!r} is not an IPv4 address; use ipv6_address for IPv6.")
            ipv4 = str(addr)
        ipv6 = entry.get("ipv6_address")
        if ipv6:
            addr = _address(ipv6, f"{where}.ipv6_address")
            if addr.version != 6:
                raise SpecError(f"{where}.ipv6_address: {ipv6!r} is not an IPv6 address; use ipv4_address for IPv4.")
            ipv6 = str(addr)
        links = _str_list(entry.get("links"), f"{where}.links")
        out.append(Endpoint(
            name=name,
            aliases=_str_list(entry.get("aliases"), f"{where}.aliases"),
            ipv4_address=ipv4 or None,
            ipv6_address=ipv6 or None,
            links=sorted(_normalise_link(x) for x in links) if links is not None else None,
        ))
    return out


def check_addresses_in_ipam(endpoints: list[Endpoint], ipam: list[dict[str, t.Any]] | None, option: str = "connected") -> None:
    """A fixed address must lie in one of the network's subnets."""
    if not ipam:
        return
    subnets = [ipaddress.ip_network(c["subnet"]) for c in ipam]
    for ep in endpoints:
        for key in ("ipv4_address", "ipv6_address"):
            value = getattr(ep, key)
            if value and not any(ipaddress.ip_address(value) in s for s in subnets):
                raise SpecError(
                    f"{option}: {ep.name}.{key} {value} is outside the network's subnet(s) "
                    f"{', '.join(str(s) for s in subnets)}; pick an address inside one of them."
                )


def user_aliases(aliases: t.Any, container: dict[str, t.Any]) -> list[str]:
    """Aliases the user gave: without those the daemon adds itself (the short ID, the name)."""
    auto = {container.get("Id", "")[:12], container.get("Name", "").lstrip("/")}
    return sorted(a for a in aliases or [] if a not in auto)


def endpoint_from_container(container: dict[str, t.Any], network_name: str, network_id: str | None = None) -> Endpoint | None:
    """How a container is attached to a network, read from its inspect; None when it is not."""
    networks = (container.get("NetworkSettings") or {}).get("Networks") or {}
    settings = networks.get(network_name)
    if settings is None and network_id:
        settings = next((s for s in networks.values() if s.get("NetworkID") == network_id), None)
    if settings is None:
        return None
    ipam = settings.get("IPAMConfig") or {}
    links = settings.get("Links")
    return Endpoint(
        name=container.get("Name", "").lstrip("/"),
        aliases=user_aliases(settings.get("Aliases"), container),
        ipv4_address=_canonical_address(ipam.get("IPv4Address")),
        ipv6_address=_canonical_address(ipam.get("IPv6Address")),
        links=sorted(_normalise_link(str(x).lstrip("/")) for x in links) if links else [],
    )


def endpoint_differences(current: Endpoint | None, desired: Endpoint) -> list[str]:
    """Which of the given endpoint settings differ ('connected' when not attached at all)."""
    if current is None:
        return ["connected"]
    diffs = []
    if desired.aliases is not None and sorted(set(desired.aliases)) != sorted(set(current.aliases or [])):
        diffs.append("aliases")
    for key in ("ipv4_address", "ipv6_address"):
        if getattr(desired, key) is not None and getattr(desired, key) != getattr(current, key):
            diffs.append(key)
    if desired.links is not None and sorted(desired.links) != sorted(current.links or []):
        diffs.append("links")
    return diffs


def merge_endpoint(saved: Endpoint, desired: Endpoint | None) -> Endpoint:
    """For a reconnection after recreate: what the task gives wins, the rest is kept."""
    if desired is None:
        return saved
    return Endpoint(
        name=saved.name,
        aliases=desired.aliases if desired.aliases is not None else saved.aliases,
        ipv4_address=desired.ipv4_address if desired.ipv4_address is not None else saved.ipv4_address,
        ipv6_address=desired.ipv6_address if desired.ipv6_address is not None else saved.ipv6_address,
        links=desired.links if desired.links is not None else saved.links,
    )


def create_body(name: str, desired: dict[str, t.Any]) -> dict[str, t.Any]:
    """The POST /networks/create payload."""
    return engine_body(NETWORK_OPTIONS, Pair({}, desired), {"Name": name, "CheckDuplicate": True})


def create_cli(name: str, desired: dict[str, t.Any]) -> list[str]:
    """The `docker network create` command line for the same payload."""
    return ["docker", "network", "create", *engine_cli([NETWORK_OPTION[n] for n in CLI_ORDER], Pair({}, desired)), name]


def config_summary(network: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """A readable, stable picture of a network's configuration (for the diff)."""
    if network is None:
        return None
    ipam = network.get("IPAM") or {}
    return {
        "driver": network.get("Driver"),
        "scope": network.get("Scope"),
        "internal": bool(network.get("Internal")),
        "attachable": bool(network.get("Attachable")),
        "enable_ipv6": bool(network.get("EnableIPv6")),
        "ipam_driver": ipam.get("Driver") or "default",
        "ipam_options": dict(ipam.get("Options") or {}),
        "ipam": ipam_from_inspect(network),
        "options": dict(network.get("Options") or {}),
        "labels": dict(network.get("Labels") or {}),
    }


def desired_summary(desired: dict[str, t.Any], current: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """The configuration after the change: the given options over the current (or default) ones."""
    base = dict(current or {
        "driver": "bridge", "scope": "local", "internal": False, "attachable": False, "enable_ipv6": False,
        "ipam_driver": "default", "ipam_options": {}, "ipam": [], "options": {}, "labels": {},
    })
    for key, value in desired.items():
        if value is not None:
            base[key] = value
    return base


def explain_create_error(exc: APIError, name: str, driver: str, available: list[str] | None = None) -> DockerError:
    """Turn the daemon's terse create errors into messages that say what to do."""
    text = exc.explanation or ""
    low = text.lower()
    if "plugin" in low and "not found" in low:
        names = ", ".join(sorted(available)) if available else "see docker info"
        return DockerError(f"driver {driver} is not installed on this engine; available: {names}. (daemon: {text})")
    if "swarm manager" in low or "swarm mode" in low:
        return DockerError(f"{OVERLAY_NEEDS_SWARM}. (daemon: {text})")
    if "overlap" in low:
        return DockerError(
            f"network {name}: the subnet overlaps a network that already exists (daemon: {text}). Pick another subnet; "
            "devops.docker.network_info or `docker network inspect` shows the subnets in use."
        )
    return DockerError(f"Creating network {name} failed: {text}")


# ---------------------------------------------------------------- manager
class _CreatedMeanwhile(DockerError):
    """The name was free at our inspect and taken at our create (a concurrent run)."""


@dataclass
class _Plan:
    create: bool = False
    remove: bool = False
    connect: list[Endpoint] = field(default_factory=list)
    reconnect: list[Endpoint] = field(default_factory=list)
    disconnect: list[str] = field(default_factory=list)


class NetworkManager:
    """present/absent for one network, with its connected containers."""

    def __init__(
        self,
        api: t.Any,
        params: dict[str, t.Any],
        check_mode: bool,
        tracker: Tracker | None = None,
        warn: t.Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.warn = warn or (lambda msg: None)
        p = params
        self.name: str = p["name"]
        self.state: str = p["state"]
        self.force: bool = p["force"]
        self.exclusive: bool = p["exclusive"]
        self.recreate: str = p["recreate"]
        self.tracker = tracker or Tracker()
        self.create_spec: dict[str, t.Any] | None = None
        self.network_id: str | None = None  # set when this run created the network
        if not self.name or not self.name.strip():
            raise SpecError("name: a network name is required.")
        # Validate everything the user wrote before any request.
        self.desired: dict[str, t.Any] = {
            "driver": p.get("driver"),
            "scope": p.get("scope"),
            "internal": p.get("internal"),
            "attachable": p.get("attachable"),
            "enable_ipv6": p.get("enable_ipv6"),
            "ipam_driver": p.get("ipam_driver"),
            "ipam_options": string_map(p.get("ipam_options"), "ipam_options"),
            "ipam": parse_ipam(p.get("ipam")),
            "options": string_map(p.get("options"), "options"),
            "labels": string_map(p.get("labels"), "labels"),
        }
        self.connected = parse_connected(p.get("connected"))
        check_addresses_in_ipam(self.connected, self.desired["ipam"])

    # -- reading ---------------------------------------------------------
    def attached_containers(self, network: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """Every container attached (running, or stopped but configured), inspected."""
        listed = self.api.get("/containers/json", {"all": True, "filters": {"network": [network["Name"], network["Id"]]}}) or []
        found = []
        for item in listed:
            info = self.api.inspect_container(item["Id"])
            if info is not None:
                found.append(info)
        return sorted(found, key=lambda c: c.get("Name", ""))

    def inspect_containers(self) -> dict[str, dict[str, t.Any]]:
        """Inspect every container of ``connected``; all must exist before anything changes."""
        found: dict[str, dict[str, t.Any]] = {}
        missing = []
        for ep in self.connected:
            info = self.api.inspect_container(ep.name)
            if info is None:
                missing.append(ep.name)
            else:
                found[ep.name] = info
        if missing:
            raise DockerError(
                f"connected: container(s) {', '.join(missing)} do not exist, so they cannot be connected to network "
                f"{self.name}; create them first (devops.docker.container) or fix the names. Nothing was changed."
            )
        for ep in self.connected:
            mode = str((found[ep.name].get("HostConfig") or {}).get("NetworkMode") or "")
            if (mode in ("none", "host") or mode.startswith("container:")) and mode != self.name:
                raise DockerError(
                    f"connected: container {ep.name} runs with network_mode {mode}, which cannot be combined with "
                    f"other networks, so it cannot be connected to {self.name}; recreate it with a network "
                    "(devops.docker.container networks:). Nothing was changed."
                )
        return found

    def check_driver(self, driver: str | None = None) -> None:
        """Before creating: the driver must be installed, and overlay needs swarm mode."""
        driver = driver or self.desired["driver"] or "bridge"
        info = self.api.get("/info") or {}
        available = list((info.get("Plugins") or {}).get("Network") or [])
        if driver == "overlay":
            swarm = info.get("Swarm") or {}
            if swarm.get("LocalNodeState") != "active" or not swarm.get("ControlAvailable"):
                raise DockerError(
                    f"network {self.name}: {OVERLAY_NEEDS_SWARM} (this engine is "
                    f"{'a swarm worker, create it on a manager' if swarm.get('LocalNodeState') == 'active' else 'not in a swarm'})."
                )
        if driver in available:
            return
        try:
            plugins = self.api.get("/plugins", {"filters": {"capability": ["networkdriver"], "enabled": ["true"]}}) or []
        except APIError:
            plugins = []
        names = set()
        for plugin in plugins:
            pname = plugin.get("Name", "")
            names.update({pname, pname.rsplit(":latest", 1)[0]})
        if driver in names:
            return
        raise DockerError(
            f"network {self.name}: driver {driver} is not installed on this engine; available: "
            f"{', '.join(sorted(set(available) | {n for n in names if n}))}."
        )

    # -- the run ---------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        network = self.api.inspect_network(self.name)
        if self.state == "absent":
            self.absent(network)
        else:
            try:
                network = self.present(network)
            except _CreatedMeanwhile:
                # Another run created the name between our inspect and our create (two plays at
                # once): converge with the network that now exists instead of failing.
                self.tracker = Tracker()
                self.create_spec = None
                network = self.present(self.api.inspect_network(self.name))
        if self.tracker.changed and not self.check_mode:
            network = self.api.inspect_network(self.network_id or self.name) if self.state == "present" else None
        result = self.tracker.result(network=network)
        return result

    def absent(self, network: dict[str, t.Any] | None) -> None:
        if self.name in PREDEFINED_NETWORKS:
            raise DockerError(
                f"network {self.name} is one of Docker's predefined networks (bridge, host, none) and cannot be removed; "
                "drop the task or use state: present."
            )
        if network is None:
            return
        if network.get("Name") in PREDEFINED_NETWORKS:
            raise DockerError(f"network {self.name} resolves to the predefined network {network['Name']}, which cannot be removed.")
        attached = self.attached_containers(network)
        names = [c["Name"].lstrip("/") for c in attached]
        if attached and not self.force:
            raise DockerError(
                f"network {self.name} has containers attached: {', '.join(names)}. Set force: true to disconnect them "
                "and remove the network, or remove/disconnect the containers first."
            )
        self.tracker.add("connected", names, [])
        self.tracker.add("network", config_summary(network), None)
        for cname in names:
            self.tracker.action("docker", "network", "disconnect", "--force", self.name, cname)
        self.tracker.action("docker", "network", "rm", self.name)
        if self.check_mode:
            return
        for container in attached:
            self._disconnect(network["Id"], container["Id"])
        try:
            self.api.delete(self.api.url("/networks/{0}", network["Id"]))
        except APIError as exc:
            raise DockerError(f"Removing network {self.name} failed: {exc.explanation}") from exc

    def present(self, network: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        containers = self.inspect_containers()
        is_predefined = self.name in PREDEFINED_NETWORKS or (network is not None and network.get("Name") in PREDEFINED_NETWORKS)
        if network is None:
            if is_predefined:
                raise DockerError(f"the predefined network {self.name} is missing on this engine; it cannot be created.")
            self.check_driver()
            self.tracker.add("network", None, desired_summary(self.desired, None))
            plan = _Plan(create=True, connect=list(self.connected))
            self.tracker.action(*create_cli(self.name, self.desired))
            self.tracker.compare("connected", [], sorted(ep.name for ep in self.connected))
            self._record_connects(plan)
            if not self.check_mode:
                self._apply(plan, None)
            return None

        diffs = network_differences(network, self.desired)
        if diffs and is_predefined:
            raise DockerError(
                f"network {self.name} is a predefined network; its configuration cannot be changed "
                f"(differs: {self._describe(diffs)}). Remove these options from the task."
            )
        if diffs:
            return self._recreate(network, diffs, containers)

        # Same configuration: only the connections may change.
        plan = _Plan()
        wanted_ids = set()
        before_names: set[str] = set()
        for ep in self.connected:
            info = containers[ep.name]
            wanted_ids.add(info["Id"])
            current = endpoint_from_container(info, network["Name"], network["Id"])
            if current is None:
                plan.connect.append(ep)
                continue
            before_names.add(ep.name)
            if endpoint_differences(current, ep):
                merged = merge_endpoint(current, ep)
                plan.reconnect.append(merged)
                self.tracker.add(f"connected.{ep.name}", current.summary(), merged.summary())
        if self.exclusive:
            for info in self.attached_containers(network):
                cname = info["Name"].lstrip("/")
                if info["Id"] not in wanted_ids:
                    plan.disconnect.append(cname)
                    before_names.add(cname)
        if plan.connect or plan.disconnect:
            after = (before_names - set(plan.disconnect)) | {ep.name for ep in plan.connect}
            self.tracker.add("connected", sorted(before_names), sorted(after))
        self._record_connects(plan)
        if not self.check_mode:
            self._apply(plan, network, containers)
        return network

    def _describe(self, diffs: list[tuple[str, t.Any, t.Any]]) -> str:
        return "; ".join(f"{key}: {before!r} -> {after!r}" for key, before, after in diffs)

    def _recreate(
        self, network: dict[str, t.Any], diffs: list[tuple[str, t.Any, t.Any]], containers: dict[str, dict[str, t.Any]]
    ) -> dict[str, t.Any]:
        if self.recreate != "options-changed":
            raise DockerError(
                f"network {self.name} exists with a different configuration, which Docker cannot change in place: "
                f"{self._describe(diffs)}. Set recreate: options-changed to remove and recreate it (attached containers "
                "are disconnected and connected again with their aliases and addresses), or change the task to match."
            )
        self.check_driver(self.desired["driver"] or network.get("Driver"))
        attached = self.attached_containers(network)
        wanted = {containers[ep.name]["Id"]: ep for ep in self.connected}
        reconnect: list[Endpoint] = []
        for info in attached:
            saved = endpoint_from_container(info, network["Name"], network["Id"]) or Endpoint(name=info["Name"].lstrip("/"))
            reconnect.append(merge_endpoint(saved, wanted.pop(info["Id"], None)))
        reconnect.extend(wanted.values())
        # The kept fixed addresses must fit the new subnets: fail now, before anything is removed.
        # The new network keeps every setting the task does not change (its subnets too).
        carried = desired_summary(self.desired, config_summary(network))
        given_options = self.desired["options"] or {}
        carried["options"] = {k: v for k, v in carried["options"].items() if k not in DAEMON_ADDED_OPTIONS or k in given_options}
        self.create_spec = carried
        new_ipam = carried["ipam"]
        try:
            check_addresses_in_ipam(reconnect, new_ipam, option="recreate")
        except SpecError as exc:
            raise DockerError(
                f"{exc} The container keeps that fixed address when the network is recreated; give it a new "
                "ipv4_address in connected. Nothing was changed."
            ) from exc
        for key, before, after in diffs:
            self.tracker.add(f"network.{key}", before, after)
        names = [c["Name"].lstrip("/") for c in attached]
        for cname in names:
            self.tracker.action("docker", "network", "disconnect", "--force", self.name, cname)
        self.tracker.action("docker", "network", "rm", self.name)
        self.tracker.action(*create_cli(self.name, carried))
        after_names = sorted({ep.name for ep in reconnect})
        if after_names != sorted(names):
            self.tracker.add("connected", sorted(names), after_names)
        plan = _Plan(create=True, connect=reconnect)
        self._record_connects(plan)
        if not self.check_mode:
            for info in attached:
                self._disconnect(network["Id"], info["Id"])
            try:
                self.api.delete(self.api.url("/networks/{0}", network["Id"]))
            except APIError as exc:
                raise DockerError(f"Removing network {self.name} to recreate it failed: {exc.explanation}") from exc
            ids = {ep.name: containers[ep.name]["Id"] for ep in self.connected}
            ids.update({c["Name"].lstrip("/"): c["Id"] for c in attached})
            self._apply(plan, None, ids_by_name=ids)
        return network

    def _record_connects(self, plan: _Plan) -> None:
        for cname in plan.disconnect:
            self.tracker.action("docker", "network", "disconnect", self.name, cname)
        for ep in plan.reconnect:
            self.tracker.action("docker", "network", "disconnect", self.name, ep.name)
            self.tracker.action("docker", "network", "connect", *ep.cli_args(), self.name, ep.name)
        for ep in plan.connect:
            self.tracker.action("docker", "network", "connect", *ep.cli_args(), self.name, ep.name)

    # -- side effects ----------------------------------------------------
    def _one_of_duplicates(self, our_id: str) -> str:
        """The daemon's duplicate-name check is racy: two runs at once can both create the name.
        Every run then agrees on one (the smallest ID) and removes its own if it is another."""
        same = [n for n in self.api.get("/networks", {"filters": {"name": [self.name]}}) or [] if n.get("Name") == self.name]
        if len(same) <= 1:
            self.network_id = our_id
            return our_id
        keeper = min(n["Id"] for n in same)
        if keeper != our_id:
            try:
                self.api.delete(self.api.url("/networks/{0}", our_id))
            except APIError:
                pass
        self.network_id = keeper
        return keeper

    def _apply(
        self,
        plan: _Plan,
        network: dict[str, t.Any] | None,
        containers: dict[str, dict[str, t.Any]] | None = None,
        ids_by_name: dict[str, str] | None = None,
    ) -> None:
        ids = dict(ids_by_name or {})
        for name, info in (containers or {}).items():
            ids.setdefault(name, info["Id"])
        if plan.create:
            try:
                created = self.api.post("/networks/create", body=create_body(self.name, self.create_spec or self.desired))
            except Conflict as exc:
                if network is None and "already exists" in (exc.explanation or ""):
                    raise _CreatedMeanwhile(exc.msg) from exc
                raise explain_create_error(exc, self.name, self.desired["driver"] or "bridge") from exc
            except APIError as exc:
                raise explain_create_error(exc, self.name, self.desired["driver"] or "bridge") from exc
            if created and created.get("Warning"):
                self.warn(f"network {self.name}: {created['Warning']}")
            network_id = self._one_of_duplicates(created["Id"])
        elif network is not None:
            network_id = network["Id"]
        else:  # pragma: no cover - the planner always gives one or the other
            raise DockerError(f"network {self.name}: nothing to connect to (internal planning error).")
        if containers is None and not ids:
            ids = {ep.name: ep.name for ep in plan.connect}
        for cname in plan.disconnect:
            self._disconnect(network_id, cname)
        for ep in plan.reconnect:
            self._disconnect(network_id, ids.get(ep.name, ep.name))
            self._connect(network_id, ids.get(ep.name, ep.name), ep)
        for ep in plan.connect:
            self._connect(network_id, ids.get(ep.name, ep.name), ep)

    def _connect(self, network_id: str, container: str, ep: Endpoint) -> None:
        try:
            self.api.post(
                self.api.url("/networks/{0}/connect", network_id),
                body={"Container": container, "EndpointConfig": ep.endpoint_config()},
            )
        except APIError as exc:
            raise DockerError(f"Connecting container {ep.name} to network {self.name} failed: {exc.explanation}") from exc

    def _disconnect(self, network_id: str, container: str) -> None:
        try:
            self.api.post(
                self.api.url("/networks/{0}/disconnect", network_id), body={"Container": container, "Force": True}
            )
        except APIError as exc:
            raise DockerError(f"Disconnecting container {container} from network {self.name} failed: {exc.explanation}") from exc


# ---------------------------------------------------------------- info
def attached_summary(api: t.Any, network: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """The containers attached to a network (running or stopped), with aliases and addresses."""
    listed = api.get("/containers/json", {"all": True, "filters": {"network": [network["Name"], network["Id"]]}}) or []
    endpoints = network.get("Containers") or {}
    out = []
    for item in listed:
        info = api.inspect_container(item["Id"])
        if info is None:
            continue
        networks = (info.get("NetworkSettings") or {}).get("Networks") or {}
        settings = networks.get(network["Name"]) or next(
            (s for s in networks.values() if s.get("NetworkID") == network["Id"]), {}
        )
        ipam = settings.get("IPAMConfig") or {}
        endpoint = endpoints.get(info["Id"]) or {}
        out.append({
            "Name": info["Name"].lstrip("/"),
            "Id": info["Id"],
            "State": (info.get("State") or {}).get("Status"),
            "Aliases": user_aliases(settings.get("Aliases"), info),
            "IPv4Address": settings.get("IPAddress") or (endpoint.get("IPv4Address") or "").split("/")[0] or None,
            "IPv6Address": settings.get("GlobalIPv6Address") or (endpoint.get("IPv6Address") or "").split("/")[0] or None,
            "MacAddress": settings.get("MacAddress") or endpoint.get("MacAddress") or None,
            "FixedIPv4Address": ipam.get("IPv4Address") or None,
            "FixedIPv6Address": ipam.get("IPv6Address") or None,
            "Links": settings.get("Links") or [],
        })
    return sorted(out, key=lambda c: c["Name"])


def network_info(module: t.Any) -> dict[str, t.Any]:
    """``network_info``: one network by name, or many by filters."""
    api = module.api
    params = module.params
    name = params.get("name")
    with_containers = params.get("containers", True)
    if name:
        network = api.inspect_network(name)
        if network is not None and with_containers:
            network["AttachedContainers"] = attached_summary(api, network)
        return {"changed": False, "exists": network is not None, "network": network,
                "networks": [network] if network else []}
    filters = api_filters(params.get("filters"))
    listed = api.get("/networks", {"filters": filters}) or []
    networks = []
    for item in sorted(listed, key=lambda n: n.get("Name", "")):
        network = api.inspect_network(item["Id"]) if with_containers else item
        if network is None:
            continue
        if with_containers:
            network["AttachedContainers"] = attached_summary(api, network)
        networks.append(network)
    return {"changed": False, "networks": networks}
