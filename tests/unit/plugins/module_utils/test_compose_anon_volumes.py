# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A recreated Compose container keeps its anonymous volumes, as ``docker compose up`` does (issue #13);
``renew_anon_volumes`` gives fresh ones (``--renew-anon-volumes``). Each test runs a whole ``ComposeManager``
against the fake daemon and looks at the create request and the remove request it sent."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._anon_volumes import (
    anonymous_candidates,
    anonymous_paths,
    carried_mounts,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_ARGS,
    LABEL_HASH,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
    spec_defaults,
)
from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
from ansible_collections.devops.docker.plugins.module_utils._container._table import plan
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

IMAGE = "devops-test/busybox:latest"
ANON = "c" * 64
OTHER_ANON = "d" * 64
NET_ID = "e" * 64
OLD_ID = "a" * 64


def _image(volumes=None):
    return {"Id": "sha256:" + "b" * 64, "Config": {"Cmd": ["sh"], **({"Volumes": volumes} if volumes else {})}}


def _created(params):
    return {"Id": "f" * 64, "Warnings": []}


def _summary(mounts, chash="0" * 64, networks=True):
    return {
        "Id": OLD_ID, "Names": ["/dt-unit-db-1"], "State": "running", "Status": "Up 1 minute", "Image": IMAGE,
        "ImageID": _image()["Id"],
        "Labels": {LABEL_PROJECT: "dt-unit", LABEL_SERVICE: "db", LABEL_NUMBER: "1", LABEL_ONEOFF: "False", LABEL_HASH: chash},
        "Mounts": mounts,
        "NetworkSettings": {"Networks": {"dt-unit_default": {"NetworkID": NET_ID}} if networks else {}},
    }


def _mount(name, destination, rw=True):
    return {"Type": "volume", "Name": name, "Source": "", "Destination": destination, "Driver": "local", "Mode": "", "RW": rw}


def _inspect(summary, command, host_mounts=None, labels=None):
    """The old container as docker inspect shows it (created from an older configuration: another command)."""
    return {
        "Id": summary["Id"], "Name": summary["Names"][0], "Image": summary["ImageID"], "State": {"Status": "running", "Running": True},
        "Config": {"Image": IMAGE, "Cmd": command, "Labels": labels or summary["Labels"]},
        "HostConfig": {"NetworkMode": "dt-unit_default", **({"Mounts": host_mounts} if host_mounts else {})},
        "Mounts": summary["Mounts"],
        "NetworkSettings": {"Networks": summary["NetworkSettings"]["Networks"]},
    }


def _run(service, summary, inspect, image=None, check_mode=False, **params):
    api = FakeDaemon(
        images={IMAGE: image or _image()},
        networks=[{"Name": "dt-unit_default", "Id": NET_ID, "Driver": "bridge", "Labels": {LABEL_PROJECT: "dt-unit"}}],
        answers={("POST", "/containers/create"): _created, ("GET", "/containers/json"): [summary]},
    )
    api.containers = {"dt-unit-db-1": inspect}
    definition = {"services": {"db": {"image": IMAGE, "command": ["sleep", "3600"], **service}}, "volumes": {"data": {}}}
    full = {**spec_defaults(COMPOSE_ARGS), "definition": definition, "project_name": "dt-unit", "pull": "never", **params}
    manager = ComposeManager(api, full, check_mode)
    if summary["Labels"][LABEL_HASH] == "same":  # made from this very configuration
        summary["Labels"][LABEL_HASH] = manager._service_hash("db")
        inspect["Config"]["Labels"] = manager.container_params("db", 1, IMAGE, summary["Labels"][LABEL_HASH])["labels"]
    return manager.run(), api


def _create_body(api):
    bodies = [c[2] for c in api.calls if c[0] == "POST" and c[1] == "/containers/create"]
    assert len(bodies) == 1
    return bodies[0]


def _removal(api):
    return [q for q in api.queries if q[0] == "DELETE" and q[1] == "/containers/" + OLD_ID]


def test_recreate_mounts_the_old_anonymous_volume_by_name():
    summary = _summary([_mount(ANON, "/data")])
    result, api = _run({"volumes": ["/data"]}, summary, _inspect(summary, ["sleep", "1"]))
    assert result["changed"]
    body = _create_body(api)
    assert body["HostConfig"]["Mounts"] == [{"Type": "volume", "Source": ANON, "Target": "/data"}]
    assert "/data" not in (body.get("Volumes") or {})  # no fresh anonymous volume at the path
    # the old container goes without its volumes (no v=true): the carried volume stays
    assert _removal(api) and all(not (q[2] or {}).get("v") for q in _removal(api))
    assert any(f"--mount type=volume,source={ANON},target=/data" in a for a in result["actions"])


def test_recreate_carries_an_image_volume():
    summary = _summary([_mount(ANON, "/var/lib/db/")])
    result, api = _run({}, summary, _inspect(summary, ["sleep", "1"]), image=_image({"/var/lib/db": {}}))
    assert result["changed"]
    assert _create_body(api)["HostConfig"]["Mounts"] == [{"Type": "volume", "Source": ANON, "Target": "/var/lib/db"}]


def test_recreate_always_carries_too_in_check_mode_without_a_change():
    summary = _summary([_mount(ANON, "/data")], chash="same")
    result, api = _run({"volumes": ["/data"]}, summary, _inspect(summary, ["sleep", "3600"]), check_mode=True,
                       recreate="always")
    assert result["changed"]
    assert any(f"--mount type=volume,source={ANON},target=/data" in a for a in result["actions"])
    assert api.writes() == []


def test_renew_anon_volumes_gives_fresh_ones():
    summary = _summary([_mount(ANON, "/data")])
    result, api = _run({"volumes": ["/data"]}, summary, _inspect(summary, ["sleep", "1"]), renew_anon_volumes=True)
    assert result["changed"]
    body = _create_body(api)
    assert not body["HostConfig"].get("Mounts")
    assert body["Volumes"] == {"/data": {}}
    # as the Compose CLI: the old anonymous volume is left (the old container is removed without v=true)
    assert _removal(api) and all(not (q[2] or {}).get("v") for q in _removal(api))
    assert not any(ANON in a for a in result["actions"])


def test_a_path_now_bound_from_a_named_volume_is_not_carried():
    summary = _summary([_mount(ANON, "/data"), _mount(OTHER_ANON, "/cache")])
    result, api = _run({"volumes": ["data:/data", "/cache"]}, summary, _inspect(summary, ["sleep", "1"]))
    assert result["changed"]
    body = _create_body(api)
    assert body["HostConfig"]["Binds"] == ["dt-unit_data:/data"]
    # only /cache, still anonymous in the new config, keeps its volume
    assert body["HostConfig"]["Mounts"] == [{"Type": "volume", "Source": OTHER_ANON, "Target": "/cache"}]


def test_a_path_no_longer_a_volume_is_not_carried():
    summary = _summary([_mount(ANON, "/data")])
    _result, api = _run({}, summary, _inspect(summary, ["sleep", "1"]))
    assert not _create_body(api)["HostConfig"].get("Mounts")


def test_carried_mount_is_not_drift_when_the_container_is_reconnected():
    """After a recreate that carried /data, the container lost its network: the run reconnects it and does not
    recreate it (the carried mount is what the container has)."""
    summary = _summary([_mount(ANON, "/data")], chash="same", networks=False)
    inspect = _inspect(summary, ["sleep", "3600"], host_mounts=[{"Type": "volume", "Source": ANON, "Target": "/data"}])
    result, api = _run({"volumes": ["/data"]}, summary, inspect)
    assert result["changed"]
    assert ("POST", "/containers/create") not in [(c[0], c[1]) for c in api.calls]
    assert ("POST", "/networks/dt-unit_default/connect") in [(c[0], c[1]) for c in api.calls]
    assert list(result["diff"]["after"]["services.db.dt-unit-db-1"]) == ["networks"]


def test_a_container_with_a_fresh_anonymous_volume_is_not_drift_either():
    """A container created with -v /data (first create, or by the CLI) that lost its network: reconnected only."""
    summary = _summary([_mount(ANON, "/data")], chash="same", networks=False)
    inspect = _inspect(summary, ["sleep", "3600"])
    inspect["Config"]["Volumes"] = {"/data": {}}
    result, api = _run({"volumes": ["/data"]}, summary, inspect)
    assert result["changed"]
    assert ("POST", "/containers/create") not in [(c[0], c[1]) for c in api.calls]
    assert list(result["diff"]["after"]["services.db.dt-unit-db-1"]) == ["networks"]


def test_carried_params_match_the_new_container():
    """What the daemon shows for the new container compares equal to what the next run would ask for."""
    manager = ComposeManager(None, {**spec_defaults(COMPOSE_ARGS), "project_name": "dt-unit",
                                    "definition": {"services": {"db": {"image": IMAGE, "volumes": ["/data"]}}}}, False)
    carried = [{"type": "volume", "source": ANON, "target": "/data"}]
    params = manager.container_params("db", 1, IMAGE, "1" * 64, carried=carried)
    assert params["volumes"] is None and params["mounts"] == carried
    image = _image()
    container = {"Id": "f" * 64, "Image": image["Id"], "State": {"Status": "running"},
                 "Config": {"Image": IMAGE, "Cmd": ["sh"], "Labels": params["labels"]},
                 "HostConfig": {"Mounts": [{"Type": "volume", "Source": ANON, "Target": "/data"}], "RestartPolicy": {"Name": "no"}},
                 "NetworkSettings": {"Networks": {"dt-unit_default": {"Aliases": ["db"]}}}}
    diffs = plan(Desired(params), container, image, lambda what, arg: None)
    assert [d.option for d in diffs if d.option in ("volumes", "mounts")] == []


@pytest.mark.parametrize("name, declared, anonymous", [(ANON, set(), True), ("dt-unit_data", set(), False), (ANON, {ANON}, False)])
def test_only_undeclared_hex_named_volumes_are_anonymous(name, declared, anonymous):
    found = anonymous_candidates({"Mounts": [_mount(name, "/data"), {"Type": "bind", "Source": "/x", "Destination": "/x"}]}, declared)
    assert bool(found) is anonymous


def test_anonymous_paths_leave_out_what_the_service_mounts_otherwise():
    svc = {"volumes": [{"type": "volume", "source": None, "target": "/a/"}, {"type": "bind", "source": "/h", "target": "/b"},
                       {"type": "volume", "source": "data", "target": "/c"}], "tmpfs": ["/d:size=1m"]}
    paths = anonymous_paths(svc, ["/run/secrets/s"], ["/b", "/c", "/d", "/e", "/run/secrets/s"])
    assert sorted(paths) == ["/a", "/e"]
    mounts = carried_mounts([_mount(ANON, "/e", rw=False), _mount(OTHER_ANON, "/b")], paths)
    assert mounts == [{"type": "volume", "source": ANON, "target": "/e", "read_only": True}]


@pytest.mark.parametrize("check_mode", [False, True])
def test_down_with_remove_volumes_removes_a_carried_anonymous_volume(check_mode):
    """rm -v keeps a volume the container mounts by name (carried by a recreate): remove_volumes removes it after
    the container; a fresh anonymous volume (/cache) is rm -v's. Check mode says the same and sends nothing."""
    summary = _summary([_mount(ANON, "/data"), _mount(OTHER_ANON, "/cache")])
    api = FakeDaemon(answers={("GET", "/containers/json"): [summary], ("GET", "/networks"): [], ("GET", "/volumes"): {"Volumes": []}})
    api.containers = {"dt-unit-db-1": _inspect(summary, ["sleep", "1"], host_mounts=[{"Type": "volume", "Source": ANON, "Target": "/data"}])}
    definition = {"services": {"db": {"image": IMAGE, "volumes": ["/data", "/cache"]}}}
    params = {**spec_defaults(COMPOSE_ARGS), "definition": definition, "project_name": "dt-unit", "state": "absent",
              "remove_volumes": True}
    result = ComposeManager(api, params, check_mode).run()
    assert result["changed"]
    assert [a for a in result["actions"] if a.startswith("docker volume rm")] == [f"docker volume rm {ANON}"]
    deletes = [c[1] for c in api.calls if c[0] == "DELETE"]
    assert deletes == ([] if check_mode else ["/containers/" + OLD_ID, "/volumes/" + ANON])
    if not check_mode:
        removal = [q for q in api.queries if q[1] == "/containers/" + OLD_ID and q[0] == "DELETE"]
        assert removal[0][2].get("v") is True
