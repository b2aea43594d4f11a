# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A recreate sends the create request of a first create, and brings the old container down as the task says
(force_kill: killed, as for state stopped/absent)."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
from ansible_collections.devops.docker.plugins.module_utils._container._replace import temp_name
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon
from ansible_collections.devops.docker.tests.unit.plugins.module_utils.test_container_compare import (
    IMAGE,
    daemon_create,
    daemon_with,
    params,
)

OLD_ID = "c" * 64
NEW_ID = "e" * 64
# a task with options of every part of the body (Config, HostConfig, NetworkingConfig) and a platform
TASK = {"platform": "linux/amd64", "env": {"A": "1"}, "labels": {"l": "v"}, "command": ["sleep", "1000"],
        "ports": ["127.0.0.1:15190:80"], "memory": "64m", "stop_timeout": 30, "hostname": "box",
        "networks": [{"name": "dt-net", "aliases": ["web"]}]}


def _run(api: FakeDaemon, **task: t.Any) -> dict[str, t.Any]:
    api.answers[("POST", "/containers/create")] = {"Id": NEW_ID, "Warnings": []}
    return ContainerManager(api, params(**task), check_mode=False).run()


def _create(api: FakeDaemon) -> tuple[t.Any, t.Any]:
    """The body and the query parameters of the one create request the run sent."""
    bodies = [c[2] for c in api.calls if c[:2] == ("POST", "/containers/create")]
    queries = [q[2] for q in api.queries if q[:2] == ("POST", "/containers/create")]
    assert len(bodies) == len(queries) == 1
    return bodies[0], queries[0]


@pytest.mark.parametrize("task", [TASK, {**TASK, "platform": None}, {"env": {"A": "1"}}])
def test_recreate_sends_the_request_of_a_first_create(task):
    first = daemon_with(None, IMAGE)
    _run(first, **task)
    first_body, first_query = _create(first)

    old = daemon_create(params(**{**task, "env": {"A": "0"}}), cid=OLD_ID)  # differs: env recreates
    again = daemon_with(old, IMAGE)
    result = _run(again, **task)
    assert result["changed"] is True
    body, query = _create(again)

    assert body == first_body
    assert query == {**first_query, "name": temp_name("dt-unit", OLD_ID)}
    assert first_query["name"] == "dt-unit"
    assert first_query.get("platform") == task.get("platform")
    assert ("POST", f"/containers/{NEW_ID}/rename", None) in again.calls


@pytest.mark.parametrize("signal", [None, "SIGINT"])
def test_force_kill_kills_the_old_container_on_recreate(signal):
    old = daemon_create(params(env={"A": "0"}), cid=OLD_ID)
    api = daemon_with(old, IMAGE)
    result = _run(api, env={"A": "1"}, force_kill=True, kill_signal=signal)
    paths = [c[1] for c in api.writes()]
    kill = paths.index(f"/containers/{OLD_ID}/kill")
    assert f"/containers/{OLD_ID}/stop" not in paths
    # killed (and waited for) after the new container is created, before it starts
    assert paths.index("/containers/create") < kill < paths.index(f"/containers/{OLD_ID}/wait") \
        < paths.index(f"/containers/{NEW_ID}/start")
    assert ("POST", f"/containers/{OLD_ID}/kill", {"signal": signal or "SIGKILL"}) in api.queries
    assert ("POST", f"/containers/{OLD_ID}/wait", {"condition": "not-running"}) in api.queries
    want = "docker container kill " + (f"--signal {signal} " if signal else "") + "dt-unit"
    assert want in result["actions"]
    assert not any(a.startswith("docker container stop") for a in result["actions"])


def test_without_force_kill_the_recreate_stops_gracefully():
    old = daemon_create(params(env={"A": "0"}), cid=OLD_ID)
    api = daemon_with(old, IMAGE)
    result = _run(api, env={"A": "1"}, stop_timeout=7)
    assert ("POST", f"/containers/{OLD_ID}/stop", {"t": 7}) in api.queries
    assert not any(c[1].endswith("/kill") for c in api.writes())
    assert "docker container stop --time 7 dt-unit" in result["actions"]


def test_check_mode_recreate_with_force_kill_predicts_the_kill():
    old = daemon_create(params(env={"A": "0"}), cid=OLD_ID)
    api = daemon_with(old, IMAGE)
    result = ContainerManager(api, params(env={"A": "1"}, force_kill=True), check_mode=True).run()
    assert api.writes() == []
    assert [" ".join(a.split()[:3]) for a in result["actions"]] == [
        "docker container create", "docker container kill", "docker container start",
        "docker container rm", "docker container rename"]


@pytest.mark.parametrize("force_kill, path", [(True, "/kill"), (False, "/stop")])
def test_stopped_uses_the_same_stop_or_kill(force_kill, path):
    api = daemon_with(daemon_create(params(), cid=OLD_ID), IMAGE)
    ContainerManager(api, params(state="stopped", force_kill=force_kill), check_mode=False).run()
    assert [c[1] for c in api.writes()][0] == f"/containers/{OLD_ID}{path}"
