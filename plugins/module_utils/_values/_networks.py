# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Network attachments: the networks every engine has, and one endpoint (aliases, addresses,
links) as the API's EndpointConfig and as ``docker network connect`` flags."""

from __future__ import annotations

import typing as t

PREDEFINED_NETWORKS = ("bridge", "host", "none")


def endpoint_config(net: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """{aliases, ipv4_address, ipv6_address, link_local_ips, links} -> an EndpointConfig (empty members left out)."""
    config: dict[str, t.Any] = {}
    if net.get("aliases"):
        config["Aliases"] = list(net["aliases"])
    ipam = {}
    if net.get("ipv4_address"):
        ipam["IPv4Address"] = net["ipv4_address"]
    if net.get("ipv6_address"):
        ipam["IPv6Address"] = net["ipv6_address"]
    if net.get("link_local_ips"):
        ipam["LinkLocalIPs"] = list(net["link_local_ips"])
    if ipam:
        config["IPAMConfig"] = ipam
    if net.get("links"):
        config["Links"] = list(net["links"])
    if net.get("mac_address"):
        config["MacAddress"] = net["mac_address"]
    if net.get("driver_opts"):
        config["DriverOpts"] = dict(net["driver_opts"])
    if net.get("gw_priority"):
        config["GwPriority"] = net["gw_priority"]
    return config


def connect_flags(net: t.Mapping[str, t.Any]) -> list[str]:
    """The ``docker network connect`` flags of the same endpoint."""
    argv: list[str] = []
    for alias in net.get("aliases") or []:
        argv += ["--alias", alias]
    if net.get("ipv4_address"):
        argv += ["--ip", net["ipv4_address"]]
    if net.get("ipv6_address"):
        argv += ["--ip6", net["ipv6_address"]]
    for address in net.get("link_local_ips") or []:
        argv += ["--link-local-ip", address]
    for link in net.get("links") or []:
        argv += ["--link", link]
    if net.get("mac_address"):
        argv += ["--mac-address", net["mac_address"]]
    for key, val in sorted((net.get("driver_opts") or {}).items()):
        argv += ["--driver-opt", f"{key}={val}"]
    if net.get("gw_priority"):
        argv += ["--gw-priority", str(net["gw_priority"])]
    return argv
