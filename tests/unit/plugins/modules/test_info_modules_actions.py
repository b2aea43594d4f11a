# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The read-only modules' results carry ``actions``, as the README says: each module's main()
run against the shared fake daemon, its JSON result read back."""

from __future__ import annotations

import importlib
import json
import typing as t

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon


def run_module(name: str, args: dict[str, t.Any], daemon: FakeDaemon, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> dict[str, t.Any]:
    monkeypatch.setattr(DockerModule, "api", property(lambda self: daemon))
    module = importlib.import_module(f"ansible_collections.devops.docker.plugins.modules.{name}")
    with patch_module_args(args), pytest.raises(SystemExit):
        module.main()
    return json.loads(capsys.readouterr().out)


CASES = [
    ("image_info", {"name": ["catalog-service:1.0"]},
     FakeDaemon(images={"catalog-service:1.0": {"Id": "sha256:1", "RepoTags": ["catalog-service:1.0"]}}),
     ["docker image inspect catalog-service:1.0"]),
    ("network_info", {"name": "my-network", "containers": False},
     FakeDaemon(networks=[{"Name": "my-network", "Id": "n1"}]),
     ["docker network inspect my-network"]),
    ("volume_info", {"name": "db-data"},
     FakeDaemon(volumes=[{"Name": "db-data", "Mountpoint": "/var/lib/docker/volumes/db-data/_data"}]),
     ["docker volume inspect db-data", "docker ps --all --filter volume=db-data"]),
    ("host_info", {"disk_usage": True},
     FakeDaemon(answers={("GET", "/version"): {"Version": "20.10.24", "ApiVersion": "1.41"}}),
     ["docker version", "docker info", "docker system df --verbose"]),
    ("swarm_info", {}, FakeDaemon(), ["docker info --format '{{json .Swarm}}'"]),
]


@pytest.mark.parametrize("name, args, daemon, expected", CASES, ids=[c[0] for c in CASES])
def test_info_module_returns_actions(name: str, args: dict[str, t.Any], daemon: FakeDaemon, expected: list[str],
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_module(name, args, daemon, monkeypatch, capsys)
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False
    assert result["actions"] == expected
    assert not daemon.writes()
