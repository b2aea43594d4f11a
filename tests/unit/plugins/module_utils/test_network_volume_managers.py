# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The managers' planning against a fake daemon: check mode touches nothing,
bad input fails before the first side effect, and the order of changes."""

from __future__ import annotations


import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._network._manager import NetworkManager
from ansible_collections.devops.docker.plugins.module_utils._prune import PruneManager
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._volume import VolumeManager
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon as FakeAPI
from ansible_collections.devops.docker.tests.unit.conftest import FakeModule, manager_for


def network(name="dt-net", nid="net-id", subnet="172.29.1.0/24", labels=None):
    return {"Name": name, "Id": nid, "Driver": "bridge", "Scope": "local", "Internal": False, "Attachable": False,
            "EnableIPv6": False, "IPAM": {"Driver": "default", "Config": [{"Subnet": subnet, "Gateway": subnet[:-4] + "1"}]},
            "Options": {}, "Labels": labels or {}, "Containers": {}}


def container(name, cid, nets=None, mounts=()):
    return {"Id": cid, "Name": "/" + name, "HostConfig": {"NetworkMode": "dt-home"},
            "NetworkSettings": {"Networks": nets or {}}, "Mounts": [{"Type": "volume", "Name": m} for m in mounts]}


def attached(net_id="net-id", aliases=None, ip=None):
    return {"NetworkID": net_id, "Aliases": aliases, "IPAMConfig": {"IPv4Address": ip} if ip else {}, "Links": None}


def net_params(**kw):
    params = {"name": "dt-net", "state": "present", "driver": None, "ipam": None, "ipam_driver": None,
              "ipam_options": None, "internal": None, "attachable": None, "enable_ipv6": None, "scope": None,
              "options": None, "labels": None, "connected": None, "exclusive": False, "recreate": "never", "force": False}
    params.update(kw)
    return params


# ---------------------------------------------------------------- network
@pytest.mark.parametrize("check_mode", [True, False])
def test_create_and_connect(check_mode):
    api = FakeAPI(containers=[container("web", "c1")])
    module = FakeModule(api, net_params(ipam=[{"subnet": "172.29.1.0/24"}], connected=[{"name": "web", "aliases": ["w"]}]),
                        check_mode)
    result = manager_for(NetworkManager, module).run()
    assert result["changed"]
    assert result["actions"] == ["docker network create --driver bridge --subnet 172.29.1.0/24 dt-net",
                                 "docker network connect --alias w dt-net web"]
    if check_mode:
        assert api.writes() == []
    else:
        assert [w[1] for w in api.writes()] == ["/networks/create", "/networks/new-id/connect"]
        assert api.writes()[1][2] == {"Container": "web", "EndpointConfig": {"Aliases": ["w"]}}


def test_noop_reads_only_the_network_and_the_named_containers():
    api = FakeAPI(networks=[network()], containers=[container("web", "c1", {"dt-net": attached()}),
                                                    container("other", "c2", {"dt-net": attached()})])
    result = manager_for(NetworkManager, FakeModule(api, net_params(connected=["web"]))).run()
    assert not result["changed"] and result["actions"] == []
    assert api.calls == [("GET", "/networks/dt-net"), ("GET", "/containers/web")]


def test_exclusive_disconnects_the_others_only_when_asked():
    nets = {"dt-net": attached()}
    api = FakeAPI(networks=[network()], containers=[container("web", "c1", nets), container("other", "c2", nets)])
    assert not manager_for(NetworkManager, FakeModule(api, net_params(connected=["web"]))).run()["changed"]
    result = manager_for(NetworkManager, FakeModule(api, net_params(connected=["web"], exclusive=True))).run()
    assert result["actions"] == ["docker network disconnect dt-net other"]
    assert api.writes() == [("POST", "/networks/net-id/disconnect", {"Container": "other", "Force": True})]


@pytest.mark.parametrize("params, message", [
    (net_params(connected=["web", "ghost"]), "ghost do not exist"),
    (net_params(ipam=[{"subnet": "172.29.1.0/24", "gateway": "10.0.0.1"}]), "is outside the subnet"),
    (net_params(driver="nope"), "driver nope is not installed on this engine; available: bridge, host"),
    (net_params(driver="overlay"), "overlay networks need swarm mode"),
    (net_params(name="bridge", state="absent"), "predefined"),
])
def test_bad_input_changes_nothing(params, message):
    api = FakeAPI(containers=[container("web", "c1")])
    with pytest.raises((DockerError, SpecError)) as exc:
        manager_for(NetworkManager, FakeModule(api, params)).run()
    assert message in str(getattr(exc.value, "msg", exc.value))
    assert api.writes() == []


def test_recreate_never_names_the_difference():
    api = FakeAPI(networks=[network()])
    with pytest.raises(DockerError) as exc:
        manager_for(NetworkManager, FakeModule(api, net_params(labels={"a": "1"}))).run()
    assert "labels: {} -> {'a': '1'}" in exc.value.msg and "recreate: options-changed" in exc.value.msg
    assert api.writes() == []


def test_recreate_reconnects_with_aliases_and_keeps_what_is_not_asked():
    api = FakeAPI(networks=[network()], containers=[
        container("web", "c1", {"dt-net": attached(aliases=["www", "c1"], ip="172.29.1.9")}),
        container("db", "c2", {"dt-net": attached(aliases=["database"])}),
    ])
    result = manager_for(NetworkManager, FakeModule(api, net_params(labels={"a": "1"}, recreate="options-changed"))).run()
    writes = api.writes()
    assert [w[1] for w in writes] == ["/networks/net-id/disconnect", "/networks/net-id/disconnect", "/networks/net-id",
                                      "/networks/create", "/networks/new-id/connect", "/networks/new-id/connect"]
    body = writes[3][2]
    assert body["Labels"] == {"a": "1"}
    assert body["IPAM"]["Config"] == [{"Subnet": "172.29.1.0/24", "Gateway": "172.29.1.1"}]
    connects = {w[2]["Container"]: w[2]["EndpointConfig"] for w in writes[4:]}
    assert connects == {"c2": {"Aliases": ["database"]}, "c1": {"Aliases": ["www"], "IPAMConfig": {"IPv4Address": "172.29.1.9"}}}
    assert result["changed"]


def test_recreate_refuses_a_fixed_address_outside_the_new_subnet():
    api = FakeAPI(networks=[network()], containers=[container("web", "c1", {"dt-net": attached(ip="172.29.1.9")})])
    with pytest.raises(DockerError, match="172.29.1.9 is outside"):
        manager_for(NetworkManager, FakeModule(api, net_params(ipam=[{"subnet": "172.29.2.0/24"}], recreate="options-changed"))).run()
    assert api.writes() == []


def test_absent_with_attached_containers():
    api = FakeAPI(networks=[network()], containers=[container("web", "c1", {"dt-net": attached()})])
    with pytest.raises(DockerError, match="containers attached: web. Set force: true"):
        manager_for(NetworkManager, FakeModule(api, net_params(state="absent"))).run()
    assert api.writes() == []
    result = manager_for(NetworkManager, FakeModule(api, net_params(state="absent", force=True))).run()
    assert [w[1] for w in api.writes()] == ["/networks/net-id/disconnect", "/networks/net-id"]
    assert result["network"] is None


# ---------------------------------------------------------------- volume
def vol_params(**kw):
    params = {"name": "dt-vol", "state": "present", "driver": None, "driver_options": None, "labels": None, "recreate": "never"}
    params.update(kw)
    return params


VOLUME = {"Name": "dt-vol", "Driver": "local", "Options": {}, "Labels": {"a": "1"}, "Mountpoint": "/var/lib/docker/volumes/dt-vol/_data"}


@pytest.mark.parametrize("params, message", [
    (vol_params(labels={"a": "2"}), "exists with different options: labels"),
    (vol_params(labels={"a": "2"}, recreate="options-changed"), "in use by container(s) db"),
    (vol_params(state="absent"), "in use by container(s) db"),
    (vol_params(name="dt-new", driver="nope"), "driver nope is not installed"),
])
def test_volume_refusals_change_nothing(params, message):
    api = FakeAPI(volumes=[VOLUME], containers=[container("db", "c1", mounts=["dt-vol"])])
    with pytest.raises(DockerError) as exc:
        manager_for(VolumeManager, FakeModule(api, params)).run()
    assert message in exc.value.msg
    assert api.writes() == []


@pytest.mark.parametrize("check_mode", [True, False])
def test_volume_recreate(check_mode):
    api = FakeAPI(volumes=[VOLUME])
    result = manager_for(VolumeManager, FakeModule(api, vol_params(labels={"a": "2"}, recreate="options-changed"), check_mode)).run()
    assert result["actions"] == ["docker volume rm dt-vol", "docker volume create --driver local --label a=2 dt-vol"]
    assert [w[1] for w in api.writes()] == ([] if check_mode else ["/volumes/dt-vol", "/volumes/create"])


def test_volume_noop_inspects_once():
    api = FakeAPI(volumes=[VOLUME])
    result = manager_for(VolumeManager, FakeModule(api, vol_params(labels={"a": 1}))).run()
    assert not result["changed"]
    assert api.calls == [("GET", "/volumes/dt-vol")]


# ---------------------------------------------------------------- prune
def test_prune_check_mode_only_reads():
    api = FakeAPI()
    params = {"containers": True, "images": True, "images_dangling_only": True, "networks": True, "volumes": True,
              "volumes_all": False, "builder": True, "builder_all": False, "filters": None}
    result = manager_for(PruneManager, FakeModule(api, params, check_mode=True)).run()
    assert not result["changed"]
    assert api.writes() == []
    assert result["space_reclaimed"] == 0


def test_predefined_bridge_present_and_connected():
    bridge = dict(network(name="bridge", nid="bridge-id", subnet="172.17.0.0/16"),
                  Options={"com.docker.network.bridge.default_bridge": "true"})
    api = FakeAPI(networks=[bridge], containers=[container("web", "c1")])
    result = manager_for(NetworkManager, FakeModule(api, net_params(name="bridge", connected=["web"]))).run()
    assert result["actions"] == ["docker network connect bridge web"]
    assert [w[1] for w in api.writes()] == ["/networks/bridge-id/connect"]
    with pytest.raises(DockerError, match="predefined network; its configuration cannot be changed"):
        manager_for(NetworkManager, FakeModule(FakeAPI(networks=[bridge]), net_params(name="bridge", internal=True,
                                                                                      recreate="options-changed"))).run()
