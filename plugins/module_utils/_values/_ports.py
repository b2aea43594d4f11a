# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ports, parsed once into structured bindings: the ``-p`` syntax of containers (and Compose's short
syntax), ``--expose``, Compose's long syntax, and Swarm service ports.  One range rule for all of them;
nothing is rendered to CLI text to be parsed again (``PortBinding.cli()`` is only for ``actions``)."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

PROTOCOLS = ("tcp", "udp", "sctp")
SERVICE_PORT_MODES = ("ingress", "host")
_PORT_HELP = (
    "write it like the -p option of docker run: 'CONTAINER[/PROTO]', 'HOST:CONTAINER', 'IP:HOST:CONTAINER', "
    "'IP::CONTAINER', '[IPv6]:HOST:CONTAINER', with ranges like '8000-8009:80-89' and PROTO tcp, udp or sctp"
)


@dataclass(frozen=True)
class PortBinding:
    """One container port and where it is published ('' host_port = a random port)."""

    container_port: int
    protocol: str = "tcp"
    host_ip: str = ""
    host_port: str = ""

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.protocol}"

    def cli(self) -> str:
        """The binding as ``docker run -p`` writes it."""
        text = str(self.container_port)
        if self.host_port or self.host_ip:
            text = f"{self.host_port}:{text}"
            if self.host_ip:
                text = f"{'[' + self.host_ip + ']' if ':' in self.host_ip else self.host_ip}:{text}"
        return text if self.protocol == "tcp" else f"{text}/{self.protocol}"


def port_range(text: t.Any, value: t.Any, option: str, what: str = "container") -> tuple[int, int]:
    """'80' or '8000-8009' -> (low, high), each port 1 to 65535."""
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", str(text).strip())
    if not match:
        raise SpecError(f"{option}: {value!r} has an invalid {what} port {text!r}; {_PORT_HELP}.")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if not 1 <= low <= 65535 or not 1 <= high <= 65535:
        raise SpecError(f"{option}: {value!r}: {what} port {text!r} is out of range; ports are 1 to 65535.")
    if high < low:
        raise SpecError(f"{option}: {value!r}: {what} port range {text!r} is reversed; write LOW-HIGH.")
    return low, high


def _host_ip(text: str, value: t.Any, option: str) -> str:
    import ipaddress  # pylint: disable=import-outside-toplevel

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise SpecError(
            f"{option}: {value!r} has an invalid host IP {text!r}; use an IPv4 address like 127.0.0.1 or an IPv6 "
            "address in brackets like [::1]."
        ) from None


def parse_port(value: t.Any, option: str = "ports") -> list[PortBinding]:
    """One ``-p`` spec -> its bindings (a range gives one per port); a PortBinding passes through."""
    if isinstance(value, PortBinding):
        return [value]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SpecError(f"{option}: {value!r} is not a port spec; {_PORT_HELP}.")
    text = str(value).strip()
    if not text:
        raise SpecError(f"{option}: an empty port spec; {_PORT_HELP}.")
    protocol = "tcp"
    if "/" in text:
        text, protocol = text.rsplit("/", 1)
        protocol = protocol.lower()
        if protocol not in PROTOCOLS:
            raise SpecError(f"{option}: {value!r} has an unknown protocol {protocol!r}; use tcp, udp or sctp.")
    host_ip = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise SpecError(f"{option}: {value!r}: an IPv6 host IP goes in brackets followed by ':', like '[::1]:8080:80'.")
        host_ip = _host_ip(text[1:end], value, option)
        parts = text[end + 2:].split(":")
        if len(parts) != 2:
            raise SpecError(f"{option}: {value!r}: after '[IP]:' write HOST:CONTAINER (HOST may be empty); {_PORT_HELP}.")
        host, container = parts
    else:
        parts = text.split(":")
        if len(parts) == 1:
            host, container = "", parts[0]
        elif len(parts) == 2:
            host, container = parts
            if not host:
                raise SpecError(f"{option}: {value!r} has an empty host port; {_PORT_HELP}.")
        elif len(parts) == 3:
            # an empty host IP (':8080:80', what '${BIND:-}:8080:80' gives) is every address, as docker run reads it
            host_ip = _host_ip(parts[0], value, option) if parts[0] else ""
            host, container = parts[1], parts[2]
        else:
            raise SpecError(f"{option}: {value!r} has too many ':'; put an IPv6 host IP in brackets, {_PORT_HELP}.")
    c_low, c_high = port_range(container, value, option, "container")
    if not host:
        return [PortBinding(p, protocol, host_ip, "") for p in range(c_low, c_high + 1)]
    h_low, h_high = port_range(host, value, option, "host")
    if c_low == c_high:
        # A host range for one container port: the daemon picks a free one in the range.
        return [PortBinding(c_low, protocol, host_ip, str(h_low) if h_low == h_high else f"{h_low}-{h_high}")]
    if h_high - h_low != c_high - c_low:
        raise SpecError(
            f"{option}: {value!r}: the host range {host} and the container range {container} have different lengths."
        )
    return [PortBinding(c, protocol, host_ip, str(h)) for c, h in zip(range(c_low, c_high + 1), range(h_low, h_high + 1))]


def parse_ports(values: t.Iterable[t.Any] | None, option: str = "ports") -> list[PortBinding]:
    """Every ``-p`` spec of a list, in order, duplicates removed."""
    result: list[PortBinding] = []
    for value in values or []:
        for binding in parse_port(value, option):
            if binding not in result:
                result.append(binding)
    return result


def parse_exposed_ports(values: t.Iterable[t.Any] | None, option: str = "exposed_ports") -> list[str]:
    """``--expose`` specs ('8080', '8080/udp', '8000-8009') -> 'PORT/PROTO' keys, in order, no duplicates."""
    result: list[str] = []
    for value in values or []:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is not None and ":" in text:
            raise SpecError(
                f"{option}: {value!r} publishes a port; {option} only exposes container ports ('8080', '8080/udp', "
                "'8000-8009'). Publish with ports."
            )
        for binding in parse_port(value, option):
            if binding.key not in result:
                result.append(binding.key)
    return result


def port_bindings(bindings: t.Iterable[PortBinding]) -> dict[str, list[dict[str, str]]]:
    """The HostConfig.PortBindings map of a list of bindings."""
    result: dict[str, list[dict[str, str]]] = {}
    for binding in bindings:
        result.setdefault(binding.key, []).append({"HostIp": binding.host_ip, "HostPort": binding.host_port})
    return result


def normalize_port_bindings(value: dict[str, t.Any] | None) -> dict[str, list[tuple[str, str]]]:
    """PortBindings as comparable data: 0.0.0.0 and '' are the same host IP; order does not matter."""
    result: dict[str, list[tuple[str, str]]] = {}
    for key, entries in (value or {}).items():
        if "/" not in key:
            key += "/tcp"
        items = []
        for entry in entries or [{}]:
            ip = (entry or {}).get("HostIp") or ""
            items.append(("" if ip == "0.0.0.0" else ip, str((entry or {}).get("HostPort") or "")))
        result[key] = sorted(set(items))
    return result


def binding_from_mapping(value: t.Any, option: str) -> list[PortBinding]:
    """Compose's long syntax {target, published, host_ip, protocol} -> bindings, with the rules of the short one:
    a host range for one container port is kept whole (the Engine binds the first free port of it)."""
    targets = port_range(value.get("target"), value, option)
    protocol = str(value.get("protocol") or "tcp").lower()
    if protocol not in PROTOCOLS:
        raise SpecError(f"{option}: protocol {protocol!r} in {value!r} must be tcp, udp or sctp.")
    host_ip = _host_ip(str(value["host_ip"]), value, option) if value.get("host_ip") else ""
    ports = range(targets[0], targets[1] + 1)
    published = value.get("published")
    if published in (None, ""):
        return [PortBinding(p, protocol, host_ip, "") for p in ports]
    low, high = port_range(published, value, option, "host")
    if len(ports) == 1:
        return [PortBinding(targets[0], protocol, host_ip, str(low) if low == high else f"{low}-{high}")]
    if high - low + 1 != len(ports):
        raise SpecError(f"{option}: {value!r} maps {len(ports)} container ports to {high - low + 1} host ports.")
    return [PortBinding(c, protocol, host_ip, str(h)) for c, h in zip(ports, range(low, high + 1))]


def host_port_range(binding: PortBinding) -> tuple[int, int] | None:
    """The (first, last) host port a binding may take; None when the Engine picks any free port."""
    if not binding.host_port:
        return None
    first, _sep, last = binding.host_port.partition("-")
    return int(first), int(last or first)


# ---------------------------------------------------------------- swarm service ports
def parse_service_port(value: t.Any, option: str = "ports") -> list[dict[str, t.Any]]:
    """'8080:80', '8080:80/udp', '80' or {published, target, protocol, mode} -> EndpointSpec.Ports entries.

    PublishMode is always set (ingress unless the mapping says host), so a comparison with the daemon's
    spec, which always carries it, sees no difference."""
    from ansible_collections.devops.docker.plugins.module_utils._values._text import check_keys  # pylint: disable=import-outside-toplevel

    if isinstance(value, dict):
        spec = check_keys(value, {"published", "target", "protocol", "mode"}, option)
        protocol = str(spec.get("protocol") or "tcp").lower()
        mode = spec.get("mode") or "ingress"
        pairs: list[tuple[t.Any, t.Any]] = [(spec.get("published"), spec.get("target"))]
    else:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise SpecError(f"{option}: {value!r} is not a port; write 'PUBLISHED:TARGET[/PROTO]' or a mapping.")
        text = str(value).strip()
        protocol = "tcp"
        if "/" in text:
            text, protocol = text.rsplit("/", 1)
            protocol = protocol.lower()
        mode = "ingress"
        parts = text.split(":")
        if len(parts) > 2:
            raise SpecError(
                f"{option}: {value!r}: a service port is 'PUBLISHED:TARGET[/PROTO]' (no host IP: the routing mesh listens "
                "on every node); use mode: host in the mapping form for a port on the node itself."
            )
        pairs = [(None, parts[0])] if len(parts) == 1 else [(parts[0], parts[1])]
    if protocol not in PROTOCOLS:
        raise SpecError(f"{option}: {value!r} has an unknown protocol {protocol!r}; use tcp, udp or sctp.")
    if mode not in SERVICE_PORT_MODES:
        raise SpecError(f"{option}: {value!r} has mode {mode!r}; use ingress (routing mesh) or host.")
    out = []
    for published, target in pairs:
        if target is None:
            raise SpecError(f"{option}: {value!r} needs target, the container port.")
        low, high = port_range(target, value, option, "target")
        targets = list(range(low, high + 1))
        hosts: list[int | None] = [None] * len(targets)
        if published not in (None, ""):
            p_low, p_high = port_range(published, value, option, "published")
            if p_high - p_low != high - low:
                if low == high:
                    raise SpecError(
                        f"{option}: {value!r}: a service publishes one port for each target port; a published range "
                        "for one target port (the Engine picking a free one, as docker run -p 8000-8010:80 does) is "
                        "for containers only. Publish a single port, or leave it out and let Swarm pick one."
                    )
                raise SpecError(f"{option}: {value!r}: the published and target ranges have different lengths.")
            hosts = list(range(p_low, p_high + 1))
        for port, host in zip(targets, hosts):
            entry: dict[str, t.Any] = {"Protocol": protocol, "TargetPort": port, "PublishMode": mode}
            if host is not None:
                entry["PublishedPort"] = host
            out.append(entry)
    return out


def service_port_cli(port: dict[str, t.Any]) -> str:
    """An EndpointSpec port as ``docker service create --publish`` writes it."""
    parts = []
    if port.get("PublishedPort"):
        parts.append(f"published={port['PublishedPort']}")
    parts.append(f"target={port['TargetPort']}")
    if port.get("Protocol", "tcp") != "tcp":
        parts.append(f"protocol={port['Protocol']}")
    if port.get("PublishMode", "ingress") != "ingress":
        parts.append(f"mode={port['PublishMode']}")
    return ",".join(parts)
