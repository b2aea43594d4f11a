# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's docker_network config_only, config_from and ingress: sent on create, compared with
the inspect data (a difference needs a recreate), refused in combinations the daemon refuses; debug."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._network._manager import NetworkManager
from ansible_collections.devops.docker.plugins.module_utils._network._table import (
    carried_config,
    config_summary,
    create_body,
    create_cli,
    network_argument_spec,
    network_differences,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon, FakeModule, manager_for


def params(**kw):
    base = {name: spec.get("default") for name, spec in network_argument_spec().items()}
    base["name"] = "dt-net"
    base.update(kw)
    return base


def inspected(**kw):
    net = {"Name": "dt-net", "Id": "net-id", "Driver": "bridge", "Scope": "local", "Internal": False,
           "Attachable": False, "Ingress": False, "ConfigOnly": False, "ConfigFrom": {"Network": ""},
           "EnableIPv6": False, "IPAM": {"Driver": "default", "Options": {}, "Config": [{"Subnet": "10.229.250.0/24"}]},
           "Options": {}, "Labels": {}, "Containers": {}}
    net.update(kw)
    return net


DESIRED_KEYS = ("driver", "config_only", "config_from", "ingress", "scope", "internal", "attachable", "enable_ipv6",
                "ipam_driver", "ipam_options", "ipam", "options", "labels")


def desired(**kw):
    return {key: kw.get(key) for key in DESIRED_KEYS}


@pytest.mark.parametrize("given, body, cli", [
    (desired(config_only=True, ipam=[{"subnet": "10.229.250.0/24"}]),
     {"Driver": "null", "ConfigOnly": True},
     "docker network create --config-only --subnet 10.229.250.0/24 dt-net"),
    (desired(config_from="dt-conf"), {"Driver": "bridge", "ConfigFrom": {"Network": "dt-conf"}},
     "docker network create --driver bridge --config-from dt-conf dt-net"),
    (desired(driver="macvlan", config_from="dt-conf"), {"Driver": "macvlan", "ConfigFrom": {"Network": "dt-conf"}},
     "docker network create --driver macvlan --config-from dt-conf dt-net"),
    (desired(ingress=True), {"Driver": "overlay", "Ingress": True}, "docker network create --driver overlay --ingress dt-net"),
    (desired(ingress=False, config_only=False), {"Driver": "bridge", "Ingress": False, "ConfigOnly": False},
     "docker network create --driver bridge dt-net"),
])
def test_create_request_and_cli(given, body, cli):
    sent = create_body("dt-net", given)
    assert {k: sent[k] for k in body} == body
    if not given.get("config_from"):
        assert "ConfigFrom" not in sent
    assert " ".join(create_cli("dt-net", given)) == cli


@pytest.mark.parametrize("network, given, diffs", [
    (inspected(), desired(config_only=False, ingress=False, config_from=""), []),
    (inspected(), desired(), []),
    (inspected(), desired(config_only=True), [("config_only", False, True)]),
    (inspected(Driver="null", ConfigOnly=True), desired(config_only=True, driver="macvlan"), []),
    (inspected(Driver="null", ConfigOnly=True), desired(config_only=False), [("config_only", True, False)]),
    (inspected(ConfigFrom={"Network": "dt-conf"}), desired(config_from="dt-conf"), []),
    (inspected(ConfigFrom={"Network": "dt-conf"}), desired(config_from="dt-other"), [("config_from", "dt-conf", "dt-other")]),
    (inspected(ConfigFrom={"Network": "dt-conf"}), desired(config_from=""), [("config_from", "dt-conf", "")]),
    (inspected(), desired(config_from="dt-conf"), [("config_from", "", "dt-conf")]),
    (inspected(ConfigFrom=None), desired(config_from=""), []),
    (inspected(Driver="overlay", Scope="swarm", Ingress=True), desired(ingress=True), []),
    (inspected(), desired(ingress=True), [("ingress", False, True)]),
])
def test_compared_with_the_inspect_data(network, given, diffs):
    assert network_differences(network, given) == diffs


@pytest.mark.parametrize("given, connected, message", [
    (desired(config_only=True, config_from="x"), False, "not both"),
    (desired(config_from="x", labels={"a": "b"}), False, "labels cannot be set here"),
    (desired(config_from="x", ipam=[{"subnet": "10.229.250.0/24"}], enable_ipv6=True), False, "ipam, enable_ipv6"),
    (desired(config_from="x", ipam_driver="other"), False, "ipam_driver cannot"),
    (desired(config_only=True), True, "config-only network"),
    (desired(ingress=True, attachable=True), False, "cannot be attachable"),
    (desired(ingress=True, driver="bridge"), False, "needs the overlay driver"),
])
def test_refused_combinations_fail_before_any_request(given, connected, message):
    api = FakeDaemon(containers=[{"Id": "c1", "Name": "/web", "HostConfig": {}, "NetworkSettings": {"Networks": {}}}])
    task = params(**{k: v for k, v in given.items() if v is not None}, connected=["web"] if connected else None)
    with pytest.raises(SpecError, match=message):
        manager_for(NetworkManager, FakeModule(api, task)).run()
    assert api.calls == []


@pytest.mark.parametrize("check_mode", [True, False])
def test_config_only_network_created_without_a_driver_check(check_mode):
    api = FakeDaemon()
    task = params(config_only=True, ipam=[{"subnet": "10.229.250.0/24"}], options={"parent": "eth0"})
    result = manager_for(NetworkManager, FakeModule(api, task, check_mode)).run()
    assert result["changed"]
    assert result["actions"] == ["docker network create --config-only --subnet 10.229.250.0/24 --opt parent=eth0 dt-net"]
    assert result["diff"]["after"]["network"]["config_only"] is True
    assert ("GET", "/info") not in api.calls  # no driver runs a config-only network
    if check_mode:
        assert api.writes() == []
    else:
        assert api.writes()[0][2]["ConfigOnly"] is True and api.writes()[0][2]["Driver"] == "null"


def test_a_difference_fails_without_recreate_and_names_the_option():
    api = FakeDaemon(networks=[inspected()])
    with pytest.raises(DockerError, match=r"config_from: '' -> 'dt-conf'.*recreate: options-changed"):
        manager_for(NetworkManager, FakeModule(api, params(config_from="dt-conf"))).run()
    assert api.writes() == []


def test_recreate_into_config_from_drops_the_inherited_configuration():
    api = FakeDaemon(networks=[inspected(Labels={"a": "b"}, Options={"x": "1"})])
    task = params(config_from="dt-conf", recreate="options-changed")
    result = manager_for(NetworkManager, FakeModule(api, task)).run()
    assert result["actions"] == ["docker network rm dt-net", "docker network create --driver bridge --config-from dt-conf "
                                 "--ipam-driver default --scope local dt-net"]
    body = [w for w in api.writes() if w[1] == "/networks/create"][0][2]
    assert body["ConfigFrom"] == {"Network": "dt-conf"}
    assert not body.get("Labels") and not body.get("Options") and "Config" not in body.get("IPAM", {})


def test_a_config_only_network_recreated_as_a_plain_one_gets_bridge_not_null():
    current = config_summary(inspected(Driver="null", ConfigOnly=True))
    carried = carried_config(desired(config_only=False), current)
    assert carried["driver"] == "bridge" and carried["config_only"] is False
    assert carried_config(desired(), current)["driver"] == "null"  # still config-only: keeps its null driver


def test_debug_keeps_the_diff_like_diff_mode():
    spec = network_argument_spec()
    assert spec["debug"] == {"type": "bool", "default": False}
    assert spec["config_only"] == {"type": "bool"} and spec["ingress"] == {"type": "bool"}
    assert spec["config_from"] == {"type": "str"}


def test_appends_and_iprange_aliases():
    api = FakeDaemon(networks=[inspected()])
    task = params(ipam=[{"subnet": "10.229.250.0/24", "ip_range": "10.229.250.0/25", "iprange": "10.229.250.0/25"}],
                  appends=False, recreate="options-changed")
    manager = manager_for(NetworkManager, FakeModule(api, task, True))
    assert manager.exclusive is True
    assert manager.run()["diff"]["after"]["network.ipam[10.229.250.0/24].ip_range"] == "10.229.250.0/25"


def test_removing_a_config_only_network_in_use_says_what_to_remove_first():
    from ansible_collections.devops.docker.plugins.module_utils._client import APIError

    in_use = APIError(403, 'error while removing network: configuration network "dt-net" is in use', "DELETE", "/networks/net-id")
    api = FakeDaemon(networks=[inspected(Driver="null", ConfigOnly=True)], answers={("DELETE", "/networks/net-id"): in_use})
    with pytest.raises(DockerError, match="Remove the networks created with config_from: dt-net first"):
        manager_for(NetworkManager, FakeModule(api, params(state="absent"))).run()


# ---------------------------------------------------------------- enable_ipv4 (Engine 28, API 1.47)
def test_enable_ipv4_true_matches_a_network_of_an_engine_without_the_field():
    api = FakeDaemon(networks=[inspected()])  # no EnableIPv4 before Engine 28: IPv4 is always on
    result = manager_for(NetworkManager, FakeModule(api, params(enable_ipv4=True))).run()
    assert not result["changed"] and api.writes() == []


def test_enable_ipv4_false_on_an_older_engine_fails_before_any_change():
    api = FakeDaemon()
    with pytest.raises(DockerError, match="enable_ipv4: false .* Engine 28 .* speaks API 1.41. Nothing was changed"):
        manager_for(NetworkManager, FakeModule(api, params(enable_ipv4=False))).run()
    assert api.writes() == []


def test_enable_ipv4_false_is_sent_compared_and_shown_on_a_newer_engine():
    api = FakeDaemon()
    api.server_api_version = "1.47"
    result = manager_for(NetworkManager, FakeModule(api, params(enable_ipv4=False), True)).run()
    assert result["changed"] and result["actions"] == ["docker network create --driver bridge --ipv4=false dt-net"]
    assert create_body("dt-net", {**desired(), "enable_ipv4": False})["EnableIPv4"] is False
    assert network_differences(inspected(EnableIPv4=False), {**desired(), "enable_ipv4": False}) == []
    assert network_differences(inspected(EnableIPv4=True), {**desired(), "enable_ipv4": False}) == [("enable_ipv4", True, False)]
