# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's docker_container output_logs and debug (what goes to the managed host's log) and
pull_check_mode_behavior (what check mode reports for pull: always)."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._container._module_log import log_lines, logged_run
from ansible_collections.devops.docker.plugins.module_utils._container._pull import resolve_image
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

RAN = {"changed": True, "rc": 0, "output": "hello\n", "diff": {"before": {}, "after": {}},
       "actions": ["docker container create --name job busybox echo hello", "docker container start --attach job"]}


@pytest.mark.parametrize("params, result, expected", [
    ({"name": "job", "detach": False, "output_logs": True}, RAN, ["container job output (rc 0):\nhello\n"]),
    # not asked for, or the container was not started by this run (it ran before: its logs are only returned)
    ({"name": "job", "detach": False, "output_logs": False}, RAN, []),
    ({"name": "job", "detach": False, "output_logs": True}, {**RAN, "actions": []}, []),
    ({"name": "job", "detach": True, "output_logs": True}, {**RAN, "output": None}, []),
    ({"name": "job", "detach": None, "output_logs": True}, {"actions": ["docker container start job"]}, []),
    # debug: every action and the differences
    ({"name": "web", "debug": True},
     {"actions": ["docker container stop web"], "diff": {"before": {"state": "running"}, "after": {"state": "stopped"}}},
     ["container web action: docker container stop web",
      'container web diff: {"after": {"state": "stopped"}, "before": {"state": "running"}}']),
    ({"name": "web", "debug": True}, {"actions": [], "diff": {"before": {}, "after": {}}}, []),
    ({"name": "web", "debug": False}, {"actions": ["docker container stop web"]}, []),
])
def test_log_lines(params, result, expected):
    assert log_lines(params, result) == expected


def test_a_failed_run_logs_its_output_then_fails():
    logged = []

    def run():
        raise DockerError("Container 'job' exited with rc 3", rc=3, output="boom\n",
                          actions=["docker container start --attach job"])

    with pytest.raises(DockerError, match="rc 3"):
        logged_run(run, {"name": "job", "detach": False, "output_logs": True}, logged.append)
    assert logged == ["container job output (rc 3):\nboom\n"]


def test_a_run_returns_its_result_after_logging():
    logged = []
    params = {"name": "job", "detach": False, "output_logs": True, "debug": True}
    assert logged_run(lambda: RAN, params, logged.append) is RAN
    assert logged[0].startswith("container job output") and logged[1:] == [f"container job action: {a}" for a in RAN["actions"]]


@pytest.mark.parametrize("present, always, actions", [
    (True, False, []),
    (True, True, ["docker image pull busybox"]),
    (False, False, ["docker image pull busybox"]),
    (False, True, ["docker image pull busybox"]),
])
def test_pull_check_mode_behavior(present, always, actions):
    api = FakeDaemon(images={"busybox": {"Id": "sha256:1"}} if present else {})
    tracker = Tracker()
    image = resolve_image(api, "busybox", "always", None, True, tracker, "web", always)
    assert tracker.actions == actions and tracker.changed == bool(actions)
    assert (image is not None) == present
    assert not [c for c in api.calls if c[0] != "GET"]  # check mode pulls nothing


def test_pull_check_mode_behavior_is_only_about_pull_always():
    api = FakeDaemon(images={"busybox": {"Id": "sha256:1"}})
    tracker = Tracker()
    resolve_image(api, "busybox", "missing", None, True, tracker, "web", True)
    assert tracker.actions == []


@pytest.mark.parametrize("behavior, pulls", [("image_not_present", False), ("always", True)])
def test_the_container_manager_passes_pull_check_mode_behavior(behavior, pulls):
    from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
    from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults

    api = FakeDaemon(images={"busybox": {"Id": "sha256:1", "Config": {}}})
    params = {**container_defaults(), "name": "web", "image": "busybox", "pull": "always",
              "pull_check_mode_behavior": behavior}
    result = ContainerManager(api, params, True).run()
    assert ("docker image pull busybox" in result["actions"]) == pulls
    assert not [c for c in api.calls if c[0] != "GET"]
