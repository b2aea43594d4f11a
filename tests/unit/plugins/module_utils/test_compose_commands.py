# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""compose_exec / compose_run / compose_pull (_compose/_commands.py): their options and compose_run's result."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import EXEC_ARGS, RUN_ARGS, ComposeExec, ComposeRun
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

IMAGE_ID = "sha256:" + "b" * 64


def _run_params(**overrides: t.Any) -> dict[str, t.Any]:
    params = {k: v.get("default") for k, v in RUN_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "devops-test/busybox"}}}, project_name="dt-unit",
                  service="x", command="echo hi", no_deps=True)
    params.update(overrides)
    return params


def test_exec_and_run_env_is_the_command_env_and_project_env_the_projects() -> None:
    assert EXEC_ARGS["env"] == {"type": "dict"} and RUN_ARGS["env"] == {"type": "dict"}
    assert EXEC_ARGS["project_env"] == COMPOSE_ARGS["env"] == RUN_ARGS["project_env"]
    assert not {"index", "privileged", "stdin", "stdin_add_newline"} & set(RUN_ARGS)


@pytest.mark.parametrize("check_mode, detach", [(True, False), (False, True)])
def test_run_returns_no_rc_when_the_command_was_not_waited_for(check_mode: bool, detach: bool) -> None:
    """Ansible fails a result with "rc": null; check mode and detach=true leave rc and stdout out."""
    network = {"Name": "dt-unit_default", "Id": "n" * 64, "Driver": "bridge", "Scope": "local", "Options": {}, "IPAM": {"Config": []},
               "Labels": {"com.docker.compose.project": "dt-unit", "com.docker.compose.network": "default"}}
    daemon = FakeDaemon(images={"devops-test/busybox": {"Id": IMAGE_ID, "RepoTags": ["devops-test/busybox:latest"]}},
                        networks=[network], answers={("POST", "/containers/create"): {"Id": "c" * 64, "Warnings": []}})
    daemon.server_api_version = "1.43"
    result = ComposeRun(daemon, _run_params(detach=detach), check_mode).run()
    assert "rc" not in result and "stdout" not in result
    assert result["container"].startswith("dt-unit-x-run-")
    assert any("docker" in action and "dt-unit-x-run-" in action for action in result["actions"])


def test_exec_passes_the_exec_options_to_the_container_exec_runner() -> None:
    """Check mode: the service's container is found and the docker exec it would run carries every option."""
    container = {"Name": "/dt-unit-x-1", "Id": "d" * 64, "State": {"Running": True, "Status": "running"}, "Config": {}}
    daemon = FakeDaemon(containers=[container])
    params = {k: v.get("default") for k, v in EXEC_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "devops-test/busybox"}}}, project_name="dt-unit", service="x",
                  argv=["id"], user="nobody", workdir="/tmp", env={"A": "1"}, privileged=True, tty=True, stdin="in")
    result = ComposeExec(daemon, params, True).run()
    assert result["container"] == "d" * 64 and result.get("skipped") is True
    flags = result["actions"][0].split()
    for flag in ("--user", "nobody", "--workdir", "/tmp", "--env", "A", "--privileged", "--tty", "--interactive", "id"):
        assert flag in flags, (flag, flags)
