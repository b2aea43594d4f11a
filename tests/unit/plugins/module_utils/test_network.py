# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import APIError
from ansible_collections.devops.docker.plugins.module_utils._network._endpoints import (
    Endpoint,
    check_addresses_in_ipam,
    endpoint_differences,
    endpoint_from_container,
    merge_endpoint,
    parse_connected,
    user_aliases,
)
from ansible_collections.devops.docker.plugins.module_utils._network._manager import explain_create_error
from ansible_collections.devops.docker.plugins.module_utils._network._table import (
    compare_ipam,
    create_body,
    create_cli,
    ipam_from_inspect,
    network_differences,
    parse_ipam,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map as to_str_dict


def inspect(**overrides):
    net = {
        "Name": "dt-net",
        "Id": "abc123",
        "Driver": "bridge",
        "Scope": "local",
        "EnableIPv6": False,
        "Internal": False,
        "Attachable": False,
        "IPAM": {"Driver": "default", "Options": None, "Config": [{"Subnet": "172.29.1.0/24", "Gateway": "172.29.1.1"}]},
        "Options": {},
        "Labels": {},
    }
    net.update(overrides)
    return net


NOTHING = {k: None for k in ("driver", "scope", "internal", "attachable", "enable_ipv6", "ipam_driver",
                             "ipam_options", "ipam", "options", "labels")}


# ---------------------------------------------------------------- ipam validation
@pytest.mark.parametrize("entries, expected", [
    (None, None),
    ([], []),
    ([{"subnet": "172.29.1.0/24"}],
     [{"subnet": "172.29.1.0/24", "gateway": None, "ip_range": None, "aux_addresses": None}]),
    ([{"subnet": " 172.29.1.0/24 ", "gateway": "172.29.1.254", "ip_range": "172.29.1.128/25",
       "aux_addresses": {"router": "172.29.1.2"}}],
     [{"subnet": "172.29.1.0/24", "gateway": "172.29.1.254", "ip_range": "172.29.1.128/25",
       "aux_addresses": {"router": "172.29.1.2"}}]),
    ([{"subnet": "FD00:0:0:0::/64", "gateway": "fd00::1"}],
     [{"subnet": "fd00::/64", "gateway": "fd00::1", "ip_range": None, "aux_addresses": None}]),
    ([{"subnet": "172.29.1.0/24"}, {"subnet": "fd00::/64"}],
     [{"subnet": "172.29.1.0/24", "gateway": None, "ip_range": None, "aux_addresses": None},
      {"subnet": "fd00::/64", "gateway": None, "ip_range": None, "aux_addresses": None}]),
])
def test_parse_ipam_normalizes(entries, expected):
    assert parse_ipam(entries) == expected


@pytest.mark.parametrize("entries, message", [
    ([{"subnet": "172.29.300.0/24"}], "ipam[0].subnet: '172.29.300.0/24' is not a valid subnet"),
    ([{"subnet": "172.29.1.5/24"}], "host bits"),
    ([{"subnet": "not-a-net"}], "is not a valid subnet"),
    ([{"gateway": "172.29.1.1"}], "subnet is required"),
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.2.1"}], "ipam[0].gateway: 172.29.2.1 is outside the subnet 172.29.1.0/24"),
    ([{"subnet": "172.29.1.0/24", "gateway": "fd00::1"}], "outside the subnet"),
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.300"}], "is not a valid IP address"),
    ([{"subnet": "172.29.1.0/24", "ip_range": "172.29.0.0/16"}], "ipam[0].ip_range: 172.29.0.0/16 is not inside the subnet"),
    ([{"subnet": "172.29.1.0/24", "ip_range": "172.29.2.0/25"}], "is not inside the subnet"),
    ([{"subnet": "172.29.1.0/24", "aux_addresses": {"r": "10.0.0.1"}}], "aux_addresses.r: 10.0.0.1 is outside"),
    ([{"subnet": "172.29.1.0/24", "aux_addresses": ["172.29.1.2"]}], "expected a dictionary"),
    ([{"subnet": "172.29.0.0/16"}, {"subnet": "172.29.1.0/24"}], "overlaps 172.29.0.0/16"),
    ([{"subnet": "172.29.1.0/24", "gw": "172.29.1.1"}], "unknown key(s) gw"),
    (["172.29.1.0/24"], "expected a dictionary"),
    ("172.29.1.0/24", "expected a list"),
])
def test_parse_ipam_rejects_bad_input(entries, message):
    with pytest.raises(SpecError) as exc:
        parse_ipam(entries)
    assert message in str(exc.value)


def test_ipam_from_inspect_normalizes_daemon_values():
    net = inspect(IPAM={"Config": [{"Subnet": "172.29.1.0/24", "Gateway": "172.29.1.1/24", "IPRange": "172.29.1.128/25",
                                    "AuxiliaryAddresses": {"r": "172.29.1.2"}}, {"Gateway": "1.1.1.1"}]})
    assert ipam_from_inspect(net) == [
        {"subnet": "172.29.1.0/24", "gateway": "172.29.1.1", "ip_range": "172.29.1.128/25", "aux_addresses": {"r": "172.29.1.2"}}
    ]


# ---------------------------------------------------------------- comparison
@pytest.mark.parametrize("current, desired, keys", [
    # not given: never compared (the daemon picked the subnet)
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1"}], None, []),
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1"}], [], []),
    # a gateway the daemon assigned is no difference when the task names none
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1"}], [{"subnet": "172.29.1.0/24"}], []),
    ([{"subnet": "172.29.1.0/24", "gateway": None}], [{"subnet": "172.29.1.0/24"}], []),
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1"}], [{"subnet": "172.29.2.0/24"}], ["ipam.subnet"]),
    ([{"subnet": "172.29.1.0/24"}], [{"subnet": "172.29.1.0/24"}, {"subnet": "172.29.2.0/24"}], ["ipam.subnet"]),
    ([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1"}], [{"subnet": "172.29.1.0/24", "gateway": "172.29.1.254"}],
     ["ipam[172.29.1.0/24].gateway"]),
    ([{"subnet": "172.29.1.0/24", "ip_range": None}], [{"subnet": "172.29.1.0/24", "ip_range": "172.29.1.0/25"}],
     ["ipam[172.29.1.0/24].ip_range"]),
    ([{"subnet": "172.29.1.0/24", "aux_addresses": None}], [{"subnet": "172.29.1.0/24", "aux_addresses": {"a": "172.29.1.9"}}],
     ["ipam[172.29.1.0/24].aux_addresses"]),
])
def test_compare_ipam(current, desired, keys):
    full = [dict({"gateway": None, "ip_range": None, "aux_addresses": None}, **c) for c in current]
    want = None if desired is None else [dict({"gateway": None, "ip_range": None, "aux_addresses": None}, **d) for d in desired]
    assert [k for k, _b, _a in compare_ipam(full, want)] == keys


@pytest.mark.parametrize("network, desired, keys", [
    (inspect(), {}, []),
    (inspect(Driver="macvlan"), {}, []),  # driver not given: not compared
    (inspect(), {"driver": "bridge"}, []),
    (inspect(), {"driver": "macvlan"}, ["driver"]),
    (inspect(), {"internal": False, "attachable": False, "enable_ipv6": False}, []),
    (inspect(), {"internal": True}, ["internal"]),
    (inspect(Attachable=True), {"attachable": False}, ["attachable"]),
    (inspect(EnableIPv6=True), {"enable_ipv6": True}, []),
    (inspect(), {"ipam_driver": "default"}, []),
    (inspect(), {"ipam_driver": "other"}, ["ipam_driver"]),
    (inspect(), {"ipam_options": {}}, []),
    (inspect(), {"ipam_options": {"a": "1"}}, ["ipam_options"]),
    (inspect(), {"ipam": [{"subnet": "172.29.1.0/24", "gateway": None, "ip_range": None, "aux_addresses": None}]}, []),
    (inspect(), {"ipam": [{"subnet": "172.29.9.0/24", "gateway": None, "ip_range": None, "aux_addresses": None}]},
     ["ipam.subnet"]),
    # option values are strings on the daemon
    (inspect(Options={"com.docker.network.bridge.enable_icc": "false"}),
     {"options": to_str_dict({"com.docker.network.bridge.enable_icc": False}, "options")}, []),
    (inspect(Options={"mtu": "1400"}), {"options": to_str_dict({"mtu": 1400}, "options")}, []),
    (inspect(Options={"mtu": "1400"}), {"options": {}}, ["options"]),
    (inspect(Options={}), {"options": {"mtu": "1400"}}, ["options"]),
    # an option the daemon adds by itself is no difference
    (inspect(Options={"com.docker.network.driver.overlay.vxlanid_list": "4097"}), {"options": {}}, []),
    # labels are desired state when given: a removed label is a difference
    (inspect(Labels={"a": "1", "b": "2"}), {"labels": {"a": "1"}}, ["labels"]),
    (inspect(Labels={"a": "1"}), {"labels": {"a": "1"}}, []),
    (inspect(Labels=None), {"labels": {}}, []),
    (inspect(Labels={"a": "1"}), {}, []),
    (inspect(Scope="local"), {"scope": "swarm"}, ["scope"]),
])
def test_network_differences(network, desired, keys):
    assert [k for k, _b, _a in network_differences(network, dict(NOTHING, **desired))] == keys


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ({}, {}),
    ({"a": True, "b": False, "c": 3, "d": "x", 5: "y"}, {"a": "true", "b": "false", "c": "3", "d": "x", "5": "y"}),
])
def test_to_str_dict(value, expected):
    assert to_str_dict(value, "labels") == expected


@pytest.mark.parametrize("value", [["a"], {"a": None}, {"a": {"b": 1}}])
def test_to_str_dict_rejects(value):
    with pytest.raises(SpecError, match="labels"):
        to_str_dict(value, "labels")


# ---------------------------------------------------------------- connected
def test_parse_connected_names_and_dicts():
    eps = parse_connected(["web", {"name": "db", "aliases": "database", "ipv4_address": "172.29.1.10",
                                   "links": ["web", "cache:c"]}])
    assert eps[0] == Endpoint(name="web")
    assert eps[1] == Endpoint(name="db", aliases=["database"], ipv4_address="172.29.1.10", links=["cache:c", "web:web"])
    assert parse_connected(None) == []


@pytest.mark.parametrize("entries, message", [
    (["web", "web"], "listed twice"),
    ([{"aliases": ["x"]}], "the container name is missing"),
    ([{"name": "a", "ipv4_address": "fd00::1"}], "is not an IPv4 address"),
    ([{"name": "a", "ipv6_address": "172.29.1.1"}], "is not an IPv6 address"),
    ([{"name": "a", "ipv4_address": "172.29.1.999"}], "connected[0].ipv4_address"),
    ([{"name": "a", "alias": ["x"]}], "unknown key(s) alias"),
    ([{"name": "a", "aliases": [""]}], "non-empty strings"),
    ([42], "expected a container name"),
    ("web", "expected a list"),
])
def test_parse_connected_rejects(entries, message):
    with pytest.raises(SpecError) as exc:
        parse_connected(entries)
    assert message in str(exc.value)


def test_addresses_must_fit_the_subnets():
    ipam = parse_ipam([{"subnet": "172.29.1.0/24"}])
    check_addresses_in_ipam([Endpoint("a", ipv4_address="172.29.1.9")], ipam)
    check_addresses_in_ipam([Endpoint("a", ipv4_address="10.1.1.1")], None)
    with pytest.raises(SpecError, match="a.ipv4_address 10.1.1.1 is outside"):
        check_addresses_in_ipam([Endpoint("a", ipv4_address="10.1.1.1")], ipam)


CONTAINER = {
    "Id": "0123456789abcdef",
    "Name": "/web",
    "NetworkSettings": {"Networks": {
        "dt-net": {"NetworkID": "abc123", "Aliases": ["www", "0123456789ab"], "IPAMConfig": {"IPv4Address": "172.29.1.10"},
                   "Links": ["db:database"]},
        "other": {"NetworkID": "zzz", "Aliases": None, "IPAMConfig": None, "Links": None},
    }},
}


def test_endpoint_from_container_drops_daemon_aliases():
    ep = endpoint_from_container(CONTAINER, "dt-net")
    assert ep == Endpoint(name="web", aliases=["www"], ipv4_address="172.29.1.10", links=["db:database"])
    assert endpoint_from_container(CONTAINER, "other") == Endpoint(name="web", aliases=[], links=[])
    assert endpoint_from_container(CONTAINER, "renamed", "abc123").aliases == ["www"]
    assert endpoint_from_container(CONTAINER, "missing") is None
    assert user_aliases(["web", "x", "0123456789ab"], CONTAINER) == ["x"]


@pytest.mark.parametrize("desired, diffs", [
    (Endpoint("web"), []),
    (Endpoint("web", aliases=["www"]), []),
    (Endpoint("web", aliases=["www", "www"]), []),
    (Endpoint("web", aliases=[]), ["aliases"]),
    (Endpoint("web", aliases=["api"]), ["aliases"]),
    (Endpoint("web", ipv4_address="172.29.1.10"), []),
    (Endpoint("web", ipv4_address="172.29.1.11"), ["ipv4_address"]),
    (Endpoint("web", links=["db:database"]), []),
    (Endpoint("web", links=[]), ["links"]),
    (Endpoint("web", aliases=["x"], ipv6_address="fd00::5"), ["aliases", "ipv6_address"]),
])
def test_endpoint_differences(desired, diffs):
    assert endpoint_differences(endpoint_from_container(CONTAINER, "dt-net"), desired) == diffs


def test_endpoint_not_attached():
    assert endpoint_differences(None, Endpoint("web")) == ["connected"]


def test_merge_keeps_saved_settings_unless_given():
    saved = Endpoint("web", aliases=["www"], ipv4_address="172.29.1.10")
    assert merge_endpoint(saved, None) == saved
    assert merge_endpoint(saved, Endpoint("web")) == saved
    assert merge_endpoint(saved, Endpoint("web", ipv4_address="172.29.2.10")) == Endpoint(
        "web", aliases=["www"], ipv4_address="172.29.2.10")
    assert merge_endpoint(saved, Endpoint("web", aliases=[])).aliases == []


def test_endpoint_payload_and_cli():
    ep = Endpoint("web", aliases=["a", "b"], ipv4_address="172.29.1.3", ipv6_address="fd00::3", links=["db:db"])
    assert ep.endpoint_config() == {"Aliases": ["a", "b"], "IPAMConfig": {"IPv4Address": "172.29.1.3", "IPv6Address": "fd00::3"},
                                    "Links": ["db:db"]}
    assert ep.cli_args() == ["--alias", "a", "--alias", "b", "--ip", "172.29.1.3", "--ip6", "fd00::3", "--link", "db:db"]
    assert Endpoint("web").endpoint_config() == {}


# ---------------------------------------------------------------- create payload
def test_create_body_and_cli_agree():
    desired = dict(NOTHING, driver=None, internal=True, labels={"app": "x"}, options={"mtu": "1400"},
                   ipam=parse_ipam([{"subnet": "172.29.1.0/24", "gateway": "172.29.1.1", "ip_range": "172.29.1.0/25",
                                     "aux_addresses": {"r": "172.29.1.2"}}]))
    body = create_body("dt-net", desired)
    assert body["Driver"] == "bridge" and body["Internal"] is True and "Attachable" not in body
    config = {"Subnet": "172.29.1.0/24", "Gateway": "172.29.1.1", "IPRange": "172.29.1.0/25",
              "AuxiliaryAddresses": {"r": "172.29.1.2"}}
    assert body["IPAM"] == {"Driver": "default", "Config": [config]}
    assert create_cli("dt-net", desired) == [
        "docker", "network", "create", "--driver", "bridge", "--subnet", "172.29.1.0/24", "--gateway", "172.29.1.1",
        "--ip-range", "172.29.1.0/25", "--aux-address", "r=172.29.1.2", "--internal", "--opt", "mtu=1400",
        "--label", "app=x", "dt-net",
    ]
    assert "Config" not in create_body("n", NOTHING)["IPAM"]


@pytest.mark.parametrize("explanation, expected", [
    ('plugin "foo" not found', "driver foo is not installed on this engine; available: bridge, host"),
    ("This node is not a swarm manager. Use \"docker swarm init\"", "overlay networks need swarm mode: run devops.docker.swarm"),
    ("Pool overlaps with other one on this address space", "overlaps a network that already exists"),
    ("something else", "Creating network n failed: something else"),
])
def test_explain_create_error(explanation, expected):
    err = explain_create_error(APIError(400, explanation, "POST", "/networks/create"), "n", "foo", ["host", "bridge"])
    assert expected in err.msg
