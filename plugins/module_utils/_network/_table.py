# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The network's option table and values: IPAM pools parsed and compared, every network option read from
``docker network inspect``, wanted from the task, sent to ``POST /networks/create`` and shown as
``docker network create`` flags (the engine runs it); nothing changes in place.
"""

from __future__ import annotations

import ipaddress
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._engine import UNMANAGED, Option, Pair, flag, given, plan
from ansible_collections.devops.docker.plugins.module_utils._engine import create_body as engine_body
from ansible_collections.devops.docker.plugins.module_utils._engine import create_cli as engine_cli
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


OVERLAY_NEEDS_SWARM = "overlay networks need swarm mode: run devops.docker.swarm (docker swarm init) first"


# Driver options the daemon adds by itself: never a difference when the task does not name them.
DAEMON_ADDED_OPTIONS = frozenset({"com.docker.network.driver.overlay.vxlanid_list"})


IPAM_KEYS = ("subnet", "gateway", "ip_range", "aux_addresses")


Network = t.Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


Address = t.Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


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
    """Validate and normalize the ipam list.

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
    """The network's IPAM configs in the same normalized shape as ``parse_ipam``."""
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


def creation_driver(wanted: dict[str, t.Any]) -> str:
    """The driver a new network is created with: the task's, else overlay for an ingress network, null for a
    config-only one (the daemon makes it null anyway) and bridge for the rest."""
    if wanted.get("driver"):
        return str(wanted["driver"])
    if wanted.get("ingress"):
        return "overlay"
    return "null" if wanted.get("config_only") else "bridge"


def _driver_want(ctx: Pair) -> t.Any:
    # a config-only network's driver is always null, whatever the task names (its configuration is for others)
    return UNMANAGED if ctx.wanted.get("config_only") else given("driver")(ctx)


def _driver_cli(ctx: Pair) -> list[str]:
    driver = creation_driver(ctx.wanted)
    return [] if driver == "null" and ctx.wanted.get("config_only") else ["--driver", driver]


def _config_from_body(ctx: Pair, body: dict[str, t.Any]) -> None:
    if ctx.wanted.get("config_from"):
        body["ConfigFrom"] = {"Network": ctx.wanted["config_from"]}


def _options_read(ctx: Pair) -> dict[str, t.Any]:
    options = ctx.wanted.get("options") or {}
    return {k: v for k, v in (ctx.current.get("Options") or {}).items() if k in options or k not in DAEMON_ADDED_OPTIONS}


# The network's option table, in comparison order.  Nothing changes in place: a difference means a new
# network (recreate: options-changed) or an error that says so.  The IPAM pools are compared by
# compare_ipam (one difference per pool), and sent and shown by the ``ipam`` row.
NETWORK_OPTIONS: tuple[Option, ...] = (
    Option("driver", read=lambda ctx: ctx.current.get("Driver"), want=_driver_want,
           body=lambda ctx, body: body.update(Driver=creation_driver(ctx.wanted)), cli=_driver_cli),
    Option("config_only", read=lambda ctx: bool(ctx.current.get("ConfigOnly")), want=given("config_only"),
           body=_set_if("ConfigOnly", "config_only"), cli=_flag_if("--config-only", "config_only")),
    Option("config_from", read=lambda ctx: (ctx.current.get("ConfigFrom") or {}).get("Network") or "",
           want=given("config_from"), body=_config_from_body, cli=lambda ctx: flag("--config-from", ctx.wanted.get("config_from"))),
    Option("ingress", read=lambda ctx: bool(ctx.current.get("Ingress")), want=given("ingress"),
           body=_set_if("Ingress", "ingress"), cli=_flag_if("--ingress", "ingress")),
    Option("scope", read=lambda ctx: ctx.current.get("Scope"), want=given("scope"),
           body=_set_if("Scope", "scope", truthy=True), cli=lambda ctx: flag("--scope", ctx.wanted.get("scope"))),
    Option("internal", read=lambda ctx: bool(ctx.current.get("Internal")), want=given("internal"),
           body=_set_if("Internal", "internal"), cli=_flag_if("--internal", "internal")),
    Option("attachable", read=lambda ctx: bool(ctx.current.get("Attachable")), want=given("attachable"),
           body=_set_if("Attachable", "attachable"), cli=_flag_if("--attachable", "attachable")),
    Option("enable_ipv6", read=lambda ctx: bool(ctx.current.get("EnableIPv6")), want=given("enable_ipv6"),
           body=_set_if("EnableIPv6", "enable_ipv6"), cli=_flag_if("--ipv6", "enable_ipv6")),
    # Engines before 28 (API 1.47) have no EnableIPv4: every network has IPv4 there
    Option("enable_ipv4", read=lambda ctx: ctx.current.get("EnableIPv4") is not False, want=given("enable_ipv4"),
           body=_set_if("EnableIPv4", "enable_ipv4"),
           cli=lambda ctx: ["--ipv4=false"] if ctx.wanted.get("enable_ipv4") is False else []),
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


CLI_ORDER = ("driver", "config_only", "config_from", "ingress", "ipam", "ipam_driver", "ipam_options", "internal",
             "attachable", "enable_ipv4", "enable_ipv6", "scope", "options", "labels")


# What a network that takes its configuration from a config-only network (config_from) may not set itself.
FROM_CONFIG_NETWORK = ("ipam", "ipam_options", "options", "labels")


def check_config_network(desired: dict[str, t.Any], connected: bool = False) -> None:
    """config_only / config_from / ingress with options that the daemon refuses together: fail before anything."""
    if desired.get("config_only") and desired.get("config_from"):
        raise SpecError("config_from: a config-only network cannot take its configuration from another one; "
                        "give config_only or config_from, not both.")
    if desired.get("config_from"):
        mixed = [key for key in FROM_CONFIG_NETWORK if desired.get(key)]
        mixed += ["enable_ipv6"] if desired.get("enable_ipv6") else []
        mixed += ["ipam_driver"] if desired.get("ipam_driver") not in (None, "", "default") else []
        if mixed:
            raise SpecError(
                f"config_from: network configuration comes from the config-only network {desired['config_from']!r}, so "
                f"{', '.join(mixed)} cannot be set here; set them on the config-only network (config_only: true)."
            )
    if desired.get("config_only") and connected:
        raise SpecError("connected: containers cannot be connected to a config-only network; connect them to a network "
                        "created with config_from instead.")
    if desired.get("ingress"):
        if desired.get("attachable"):
            raise SpecError("attachable: an ingress network (the swarm's routing mesh) cannot be attachable; drop one of them.")
        if desired.get("driver") not in (None, "overlay"):
            raise SpecError(f"driver: an ingress network needs the overlay driver, not {desired['driver']!r}; "
                            "drop driver or set it to overlay.")


def network_differences(network: dict[str, t.Any], desired: dict[str, t.Any]) -> list[tuple[str, t.Any, t.Any]]:
    """Configuration differences that cannot be changed in place (they need a new network).

    ``desired`` holds the normalized options; None means 'not given, not compared'.
    """
    diffs = [(d.option, d.before, d.after) for d in plan(NETWORK_OPTIONS, Pair(network, desired))]
    at = next((i for i, d in enumerate(diffs) if d[0] in ("options", "labels")), len(diffs))
    diffs[at:at] = compare_ipam(ipam_from_inspect(network), desired.get("ipam"))
    return diffs


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
        "config_only": bool(network.get("ConfigOnly")),
        "config_from": (network.get("ConfigFrom") or {}).get("Network") or "",
        "ingress": bool(network.get("Ingress")),
        "scope": network.get("Scope"),
        "internal": bool(network.get("Internal")),
        "attachable": bool(network.get("Attachable")),
        "enable_ipv4": network.get("EnableIPv4") is not False,
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
        "driver": creation_driver(desired), "config_only": False, "config_from": "", "ingress": False, "scope": "local",
        "internal": False, "attachable": False, "enable_ipv4": True, "enable_ipv6": False, "ipam_driver": "default",
        "ipam_options": {},
        "ipam": [], "options": {}, "labels": {},
    })
    for key, value in desired.items():
        if value is not None:
            base[key] = value
    if current and current.get("config_only") and not base.get("config_only") and desired.get("driver") is None:
        base["driver"] = creation_driver({**base, "driver": None})  # a config-only network's null is no driver to keep
    return base


def carried_config(desired: dict[str, t.Any], current: dict[str, t.Any]) -> dict[str, t.Any]:
    """What a recreated network is created with: the given options over the current ones, without what the
    daemon filled in by itself (its own driver options; a config_from network's inherited configuration)."""
    carried = desired_summary(desired, current)
    given_options = desired.get("options") or {}
    carried["options"] = {k: v for k, v in carried["options"].items() if k not in DAEMON_ADDED_OPTIONS or k in given_options}
    if carried.get("config_from"):
        carried.update(ipam=[], ipam_options={}, options={}, labels={}, enable_ipv6=False, ipam_driver="default")
    return carried


_BOOL: dict[str, t.Any] = {"type": "bool"}
_TEXT: dict[str, t.Any] = {"type": "str"}
_MAP: dict[str, t.Any] = {"type": "dict"}


def network_argument_spec() -> dict[str, t.Any]:
    """The network module's options (community.docker's names as aliases)."""
    spec: dict[str, t.Any] = {
        "name": {**_TEXT, "required": True, "aliases": ["network_name"]},
        "state": {**_TEXT, "default": "present", "choices": ["present", "absent"]},
        "ipam": {"type": "list", "elements": "dict", "aliases": ["ipam_config"], "options": {
            "subnet": {**_TEXT, "required": True}, "gateway": dict(_TEXT),
            "ip_range": {**_TEXT, "aliases": ["iprange"]}, "aux_addresses": dict(_MAP)}},
        "ipam_options": {**_MAP, "aliases": ["ipam_driver_options"]},
        "scope": {**_TEXT, "choices": ["local", "global", "swarm"]},
        "options": {**_MAP, "aliases": ["driver_options"]},
        "labels": dict(_MAP),
        "connected": {"type": "list", "elements": "raw", "aliases": ["containers"]},
        "appends": {**_BOOL, "aliases": ["incremental"]},
        "recreate": {**_TEXT, "default": "never", "choices": ["never", "options-changed"]},
    }
    for name in ("driver", "ipam_driver", "config_from"):
        spec[name] = dict(_TEXT)
    for name in ("internal", "attachable", "enable_ipv4", "enable_ipv6", "config_only", "ingress"):
        spec[name] = dict(_BOOL)
    for name in ("exclusive", "force", "debug"):
        spec[name] = {**_BOOL, "default": False}
    return spec
