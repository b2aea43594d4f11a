# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The recreate path keeps the old container until the new one runs (_container/_replace)."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DaemonUnreachable, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._container._replace import Replacement, temp_name
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker

OLD_ID = "a" * 64
NEW_ID = "b" * 64


class Resp:
    def read(self):
        return b""


class Engine:
    """A tiny daemon: containers by ID with a name and a status; requests can be made to fail."""

    timeout = 5

    def __init__(self, fail: dict[tuple[str, str], Exception] | None = None) -> None:
        self.containers: dict[str, dict[str, t.Any]] = {
            OLD_ID: {"Id": OLD_ID, "Name": "/web", "State": {"Status": "running"}},
        }
        self.fail = fail or {}
        self.calls: list[tuple[str, str]] = []
        self.down = False

    def url(self, path, *args):
        return path.format(*args)

    def _by(self, ref):
        for cid, c in self.containers.items():
            if cid == ref or c["Name"] == "/" + ref:
                return c
        return None

    def _maybe_fail(self, method, path):
        self.calls.append((method, path))
        if self.down:
            raise DaemonUnreachable("Cannot reach the Docker daemon at unix:///run/x.sock")
        for (m, p), exc in self.fail.items():
            if m == method and path.startswith(p):
                raise exc

    def inspect_container(self, ref):
        if self.down:
            raise DaemonUnreachable("Cannot reach the Docker daemon at unix:///run/x.sock")
        return self._by(ref)

    def post(self, path, params=None, body=None, **kwargs):
        self._maybe_fail("POST", path)
        if path == "/containers/create":
            self.containers[NEW_ID] = {"Id": NEW_ID, "Name": "/" + params["name"], "State": {"Status": "created"}, "Body": body}
            return {"Id": NEW_ID, "Warnings": []}
        return {}

    def request(self, method, path, params=None, **kwargs):
        self._maybe_fail(method, path)
        parts = path.split("/")
        cid = parts[2]
        container = self._by(cid)
        if container is None:
            raise NotFound(404, "no such container", method, path)
        if method == "DELETE":
            del self.containers[container["Id"]]
        elif path.endswith("/stop"):
            container["State"] = {"Status": "exited"}
        elif path.endswith("/start"):
            container["State"] = {"Status": "running"}
        elif path.endswith("/rename"):
            container["Name"] = "/" + params["name"]
        return Resp()

    def names(self):
        return sorted((c["Name"], c["Id"][:1], c["State"]["Status"]) for c in self.containers.values())


def make(engine, check=False):
    tracker = Tracker()
    old = dict(engine.containers[OLD_ID])
    return Replacement(engine, tracker, "web", old, check, stop_timeout=3), tracker


CLI = ["docker", "container", "create", "--name", "web", "img"]


def test_success_order_and_result():
    engine = Engine()
    rep, tracker = make(engine)
    new_id = rep.run({"Image": "img"}, CLI, networks=[("front", {}, ["docker", "network", "connect", "front", "web"])])
    assert new_id == NEW_ID
    assert engine.names() == [("/web", "b", "running")]
    tmp = temp_name("web", OLD_ID)
    # the old one is stopped only after the new one exists and is connected, right before the new one starts
    assert [c for c in engine.calls if c[0] != "GET"] == [
        ("POST", "/containers/create"),
        ("POST", "/networks/front/connect"),
        ("POST", f"/containers/{OLD_ID}/stop"),
        ("POST", f"/containers/{NEW_ID}/start"),
        ("DELETE", f"/containers/{OLD_ID}"),
        ("POST", f"/containers/{NEW_ID}/rename"),
    ]
    assert tracker.actions == [
        f"docker container create --name {tmp} img",
        f"docker network connect front {tmp}",
        "docker container stop --time 3 web",
        f"docker container start {tmp}",
        "docker container rm web",
        f"docker container rename {tmp} web",
    ]


def test_check_mode_records_the_same_actions_and_touches_nothing():
    real_engine = Engine()
    real, real_tracker = make(real_engine)
    real.run({"Image": "img"}, CLI)
    engine = Engine()
    rep, tracker = make(engine, check=True)
    assert rep.run({"Image": "img"}, CLI) is None
    assert engine.names() == [("/web", "a", "running")]
    assert [c for c in engine.calls if c[0] != "GET"] == []
    assert tracker.actions == real_tracker.actions


@pytest.mark.parametrize("fail, touched", [
    ({("POST", "/containers/create"): APIError(400, "invalid mount config", "POST", "/containers/create")}, False),
    ({("POST", "/networks/front/connect"): APIError(400, "invalid address", "POST", "/networks/front/connect")}, False),
    ({("POST", f"/containers/{NEW_ID}/start"): APIError(500, "exec: no such file", "POST", "/start")}, True),
])
def test_failure_rolls_back_to_the_same_container(fail, touched):
    engine = Engine(fail)
    rep, tracker = make(engine)
    with pytest.raises(DockerError) as caught:
        rep.run({"Image": "img"}, CLI, networks=[("front", {}, ["docker", "network", "connect", "front", "web"])])
    assert engine.names() == [("/web", "a", "running")], "the old container runs again, nothing else remains"
    err = caught.value
    assert "Rolled back:" in err.msg
    assert err.details["changed"] is False
    if touched:
        assert "started the old container web again" in err.msg
        assert (("POST", f"/containers/{OLD_ID}/start")) in engine.calls
    else:
        assert "was not touched" in err.msg
        assert ("POST", f"/containers/{OLD_ID}/stop") not in engine.calls


def test_health_wait_failure_rolls_back():
    engine = Engine()
    rep, _tracker = make(engine)

    def never_healthy(cid):
        raise DockerError("state: container 'web' is unhealthy after wait_timeout=5s")

    with pytest.raises(DockerError, match="unhealthy after wait_timeout=5s. Rolled back: removed the new container"):
        rep.run({"Image": "img"}, CLI, wait=never_healthy)
    assert engine.names() == [("/web", "a", "running")]


def test_unexpected_exception_also_rolls_back():
    engine = Engine()
    rep, _tracker = make(engine)

    def boom(cid):
        raise OverflowError("timeout doesn't fit into C _PyTime_t")

    with pytest.raises(DockerError, match="OverflowError.*Rolled back"):
        rep.run({"Image": "img"}, CLI, wait=boom)
    assert engine.names() == [("/web", "a", "running")]


def test_daemon_gone_says_what_is_left():
    engine = Engine()
    rep, _tracker = make(engine)

    def daemon_dies(cid):
        engine.down = True
        raise DaemonUnreachable("Cannot reach the Docker daemon at unix:///run/x.sock")

    with pytest.raises(DockerError) as caught:
        rep.run({"Image": "img"}, CLI, wait=daemon_dies)
    assert "unix:///run/x.sock" in caught.value.msg
    assert "could NOT remove the new container" in caught.value.msg
    assert "could NOT start the old container web again" in caught.value.msg
    assert caught.value.details["changed"] is True


def test_leftover_of_a_failed_run_is_removed_first():
    engine = Engine()
    engine.containers["c" * 64] = {"Id": "c" * 64, "Name": "/" + temp_name("web", OLD_ID), "State": {"Status": "created"}}
    rep, tracker = make(engine)
    rep.run({"Image": "img"}, CLI)
    assert engine.names() == [("/web", "b", "running")]
    assert tracker.actions[0] == f"docker container rm --force {temp_name('web', OLD_ID)}"


def test_not_started_when_not_wanted():
    """state present/stopped of a stopped container: the new one is created, not started; the old one removed."""
    engine = Engine()
    engine.containers[OLD_ID]["State"] = {"Status": "exited"}
    rep, tracker = make(engine)
    rep.run({"Image": "img"}, CLI, start=False)
    assert engine.names() == [("/web", "b", "created")]
    assert "docker container stop --time 3 web" not in tracker.actions


def test_rename_failure_after_commit_is_clear():
    engine = Engine({("POST", f"/containers/{NEW_ID}/rename"): APIError(500, "boom", "POST", "/rename")})
    rep, _tracker = make(engine)
    with pytest.raises(DockerError, match="docker rename web-dt-new-"):
        rep.run({"Image": "img"}, CLI)


# -- a brand-new container: a refused step leaves nothing behind ------------------------------------

class NewEngine(Engine):
    requested_version = None
    server_api_version = "1.41"

    def __init__(self, fail=None):
        super().__init__(fail)
        self.containers = {}

    def inspect_image(self, name):
        return {"Id": "sha256:" + "1" * 64, "Config": {"Env": ["PATH=/bin"], "Cmd": ["sh"]}}

    def inspect_network(self, name):
        return {"Name": name, "Id": "n" * 64}

    def get(self, path, params=None, **kwargs):
        return {}


def _manager(engine, **params):
    from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
    from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults

    return ContainerManager(engine, {**container_defaults(), "name": "web", "image": "busybox", **params}, False)


def test_new_container_whose_start_fails_is_removed():
    engine = NewEngine({("POST", f"/containers/{NEW_ID}/start"): APIError(400, "exec: no such file", "POST", "/start")})
    with pytest.raises(DockerError, match="It was removed again; nothing was changed") as caught:
        _manager(engine, command=["/no/such"]).run()
    assert engine.containers == {}
    assert caught.value.details["changed"] is False
    assert not any(a.startswith("docker container start") for a in caught.value.details["actions"])


def test_new_container_refused_at_create_reports_nothing_done():
    engine = NewEngine({("POST", "/containers/create"): APIError(400, "invalid mount config", "POST", "/containers/create")})
    with pytest.raises(DockerError, match="Creating container 'web' failed: invalid mount config") as caught:
        _manager(engine).run()
    assert engine.containers == {}
    assert caught.value.details["changed"] is False
    assert caught.value.details["actions"] == []


def test_new_container_whose_network_connect_fails_is_removed():
    engine = NewEngine({("POST", "/networks/back/connect"): APIError(400, "invalid address", "POST", "/networks/back/connect")})
    with pytest.raises(DockerError, match="connecting 'web' to 'back' failed") as caught:
        _manager(engine, networks=[{"name": "front"}, {"name": "back"}]).run()
    assert engine.containers == {}
    assert caught.value.details["changed"] is False


@pytest.mark.parametrize("check", [False, True])
def test_before_stop_runs_right_before_the_old_container_stops(check):
    """Compose's pre_stop hooks of a recreate: called with the old ID before its stop, never in check mode."""
    engine = Engine()
    seen = []
    rep = Replacement(engine, Tracker(), "web", dict(engine.containers[OLD_ID]), check, stop_timeout=3,
                      before_stop=lambda cid: seen.append((cid, [c for c in engine.calls if c[0] != "GET"][-1:])))
    rep.run({"Image": "img"}, CLI)
    assert seen == ([] if check else [(OLD_ID, [("POST", "/containers/create")])])
